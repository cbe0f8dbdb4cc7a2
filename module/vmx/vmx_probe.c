// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VMX backend: can this host run lamina?
 *
 * lamina needs EPT (guest memory is mapped only by libvmm's page tables)
 * and unrestricted guest (real-mode guests run natively, no emulator).
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>

#include "../backend.h"

static bool vmx_cpu_has_extension(void)
{
	return boot_cpu_has(X86_FEATURE_VMX);
}

/* Allowed-1 settings of a VMX capability MSR are its high 32 bits. */
static bool vmx_ctl_allowed(u32 msr, u32 bits)
{
	u64 val;

	if (rdmsrl_safe(msr, &val))
		return false;
	return ((u32)(val >> 32) & bits) == bits;
}

static int vmx_probe(void)
{
	u64 feat;

	if (rdmsrl_safe(MSR_IA32_FEAT_CTL, &feat) ||
	    !(feat & FEAT_CTL_LOCKED) ||
	    !(feat & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("lamina: VMX is disabled by the firmware (IA32_FEATURE_CONTROL); enable Intel VT-x in the BIOS setup\n");
		return -ENODEV;
	}
	if (!vmx_ctl_allowed(MSR_IA32_VMX_PROCBASED_CTLS,
			     CPU_BASED_ACTIVATE_SECONDARY_CONTROLS) ||
	    !vmx_ctl_allowed(MSR_IA32_VMX_PROCBASED_CTLS2,
			     SECONDARY_EXEC_ENABLE_EPT)) {
		pr_err("lamina: VMX without EPT is not supported\n");
		return -ENODEV;
	}
	if (!vmx_ctl_allowed(MSR_IA32_VMX_PROCBASED_CTLS2,
			     SECONDARY_EXEC_UNRESTRICTED_GUEST)) {
		pr_err("lamina: VMX without unrestricted guest is not supported\n");
		return -ENODEV;
	}
	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err("lamina: VMX is already in use on this CPU (CR4.VMXE set); unload the other hypervisor first, e.g. 'rmmod kvm_intel'\n");
		return -EBUSY;
	}
	return 0;
}

const struct lamina_backend_ops lamina_vmx_ops = {
	.name = "vmx",
	.probe = vmx_probe,
	.cpu_has_extension = vmx_cpu_has_extension,
};
