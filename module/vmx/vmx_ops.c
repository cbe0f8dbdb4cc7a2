// SPDX-License-Identifier: GPL-2.0-only
/* The VMX backend's ops table: everything the common code may call. */
#include <libvmm/ptable.h>

#include "../backend.h"
#include "vmx.h"

const struct lamina_backend_ops lamina_vmx_ops = {
	.name = "vmx",
	.npt_format = VMM_PT_FORMAT_EPT,
	.switch_dr6 = true,
	.cpu_has_extension = vmx_cpu_has_extension,
	.probe = vmx_probe,
	.setup = vmx_setup,
	.unsetup = vmx_unsetup,
	.cpu_enable = vmx_cpu_enable,
	.cpu_disable = vmx_cpu_disable,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_free = vmx_vcpu_free,
	.get_sregs = vmx_get_sregs,
	.set_sregs = vmx_set_sregs,
	.get_msr = vmx_get_msr,
	.set_msr = vmx_set_msr,
	.run = vmx_run,
	.vcpu_put = vmx_vcpu_put,
};
