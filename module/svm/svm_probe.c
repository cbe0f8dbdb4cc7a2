// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD SVM backend: can this host run lamina?
 *
 * lamina needs NPT: guest memory is mapped only by libvmm's page tables.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/svm.h>

#include "svm.h"

bool svm_cpu_has_extension(void)
{
	return boot_cpu_has(X86_FEATURE_SVM);
}

int svm_probe(void)
{
	u64 vm_cr, efer;

	if (rdmsrl_safe(MSR_VM_CR, &vm_cr) ||
	    (vm_cr & SVM_VM_CR_SVM_DIS_MASK)) {
		pr_err("lamina: SVM is disabled by the firmware (VM_CR.SVMDIS); enable AMD-V/SVM in the BIOS setup\n");
		return -ENODEV;
	}
	if (!boot_cpu_has(X86_FEATURE_NPT)) {
		pr_err("lamina: SVM without nested paging (NPT) is not supported\n");
		return -ENODEV;
	}
	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("lamina: SVM is already in use on this CPU (EFER.SVME set); unload the other hypervisor first, e.g. 'rmmod kvm_amd'\n");
		return -EBUSY;
	}
	return 0;
}
