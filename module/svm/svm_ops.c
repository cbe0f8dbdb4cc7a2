// SPDX-License-Identifier: GPL-2.0-only
/* The SVM backend's ops table: everything the common code may call. */
#include <libvmm/ptable.h>

#include "../backend.h"
#include "svm.h"

const struct lamina_backend_ops lamina_svm_ops = {
	.name = "svm",
	.npt_format = VMM_PT_FORMAT_NPT,
	.cpu_has_extension = svm_cpu_has_extension,
	.probe = svm_probe,
	.setup = svm_setup,
	.unsetup = svm_unsetup,
	.cpu_enable = svm_cpu_enable,
	.cpu_disable = svm_cpu_disable,
	.vcpu_create = svm_vcpu_create,
	.vcpu_free = svm_vcpu_free,
	.get_sregs = svm_get_sregs,
	.set_sregs = svm_set_sregs,
	.get_msr = svm_get_msr,
	.set_msr = svm_set_msr,
	.run = svm_run,
	.vcpu_put = svm_vcpu_put,
};
