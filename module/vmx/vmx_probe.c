// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VMX backend: can this host run lamina?
 *
 * lamina needs EPT (guest memory is mapped only by libvmm's page tables)
 * and unrestricted guest (real-mode guests run natively, no emulator).
 * The probe also fixes, once, the control values every VMCS gets: each is
 * what lamina wants, plus what the CPU requires, checked against what the
 * CPU allows (SDM vol. 3D, appendix A "VMX Capability Reporting Facility").
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>
#include <asm/tsc.h>
#include <asm/vmx.h>

#include "vmx.h"

struct vmx_caps vmx_caps;

/*
 * What every guest runs under (the SVM backend's intercepts, in VMX):
 *   pin   external interrupts and NMIs belong to the host;
 *   proc  HLT, MWAIT/MONITOR, MOV DR until the guest owns its debug
 *         registers (debugreg.c: vmx_event_load() turns it off then),
 *         every I/O port (unconditional I/O exiting, no bitmaps), every
 *         MSR (bitmap all ones), CR8 (no TPR shadow:
 *         without these exits a 64-bit guest would write the host's TPR,
 *         SDM vol. 3C, 26.3 "Changes to Instruction Behavior in VMX
 *         Non-Root Operation");
 *   proc2 EPT and unrestricted guest;
 *   exit  64-bit host, EFER saved and loaded, DR7 and IA32_DEBUGCTL
 *         saved ("save debug controls");
 *   entry EFER, DR7 and IA32_DEBUGCTL loaded: MOV DR7 runs natively once
 *         the guest owns it, so without these its DR7 is lost at every
 *         exit (the exit sets DR7 to 0x400, 28.5.1) and its breakpoints
 *         vanish.
 * CR3-load/store and INVLPG exiting are left out: with EPT the guest owns
 * its paging. A CPU without the TRUE_ capability MSRs forces them on
 * (they are "default1", A.2); the guest then gets CR3/INVLPG exits.
 */
#define VMX_WANT_PIN (PIN_BASED_EXT_INTR_MASK | PIN_BASED_NMI_EXITING)
#define VMX_WANT_PROC (CPU_BASED_HLT_EXITING | CPU_BASED_MWAIT_EXITING | \
		       CPU_BASED_MOV_DR_EXITING | \
		       CPU_BASED_MONITOR_EXITING | \
		       CPU_BASED_USE_IO_BITMAPS | \
		       CPU_BASED_USE_MSR_BITMAPS | \
		       CPU_BASED_USE_TSC_OFFSETTING | \
		       CPU_BASED_CR8_LOAD_EXITING | \
		       CPU_BASED_CR8_STORE_EXITING | \
		       CPU_BASED_ACTIVATE_SECONDARY_CONTROLS)
#define VMX_WANT_PROC2 (SECONDARY_EXEC_ENABLE_EPT | \
			SECONDARY_EXEC_UNRESTRICTED_GUEST)
#define VMX_WANT_EXIT (VM_EXIT_HOST_ADDR_SPACE_SIZE | VM_EXIT_SAVE_IA32_EFER | \
		       VM_EXIT_LOAD_IA32_EFER | VM_EXIT_SAVE_IA32_PAT | \
		       VM_EXIT_LOAD_IA32_PAT | VM_EXIT_SAVE_DEBUG_CONTROLS)
#define VMX_WANT_ENTRY (VM_ENTRY_LOAD_IA32_EFER | VM_ENTRY_LOAD_IA32_PAT | \
			VM_ENTRY_LOAD_DEBUG_CONTROLS)

/* IA32_VMX_BASIC (A.1): bits 44:32 region size, 48 32-bit addresses only. */
#define VMX_BASIC_SIZE(b) (((b) >> VMX_BASIC_VMCS_SIZE_SHIFT) & 0x1fffU)
#define VMX_BASIC_32BIT_PA BIT_ULL(48)

bool vmx_cpu_has_extension(void)
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

/*
 * The capability MSR of a control: A.3.1, the TRUE_ one, when
 * IA32_VMX_BASIC[55] says it exists, reports the default1 bits that may
 * be 0.
 */
static u32 vmx_ctl_msr(u64 basic, u32 msr, u32 true_msr)
{
	return true_msr && (basic & VMX_BASIC_TRUE_CTLS) ? true_msr : msr;
}

/*
 * A control value: @want plus the bits the CPU requires (allowed-0, low
 * half), refused when @want has a bit the CPU does not allow (allowed-1,
 * high half).
 */
static int vmx_ctl(const char *name, u32 msr, u32 true_msr, u64 basic,
		   u32 want, u32 *out)
{
	u32 lo, hi;
	u64 val;

	msr = vmx_ctl_msr(basic, msr, true_msr);
	if (rdmsrl_safe(msr, &val)) {
		pr_err("lamina: cannot read VMX capability MSR 0x%x\n", msr);
		return -ENODEV;
	}
	lo = (u32)val;
	hi = (u32)(val >> 32);
	if (want & ~hi) {
		pr_err("lamina: VMX %s controls 0x%x are not supported by this CPU (allowed 0x%x)\n",
		       name, want & ~hi, hi);
		return -ENODEV;
	}
	*out = want | lo;
	return 0;
}

/*
 * Optional: the VMX-preemption timer (SDM vol. 3C, 26.5.1) as a bound on
 * one guest run. A host interrupt ends the guest anyway (external-
 * interrupt exiting); the bound is the guard for when that fails. In the
 * rig's Bochs machine a guest spinning with RFLAGS.IF=0 and no exits held
 * the whole machine: the host's timer interrupts never ended it. With the
 * bound, the host CPU comes back to the run loop (signals, rescheduling,
 * pending interrupts) at least every VMX_RUN_BOUND_US. The timer counts
 * down at the TSC rate divided by 2^IA32_VMX_MISC[4:0] (A.6); the value
 * is not saved on exit, so every entry starts the full bound again.
 */
#define VMX_RUN_BOUND_US 1000

static void vmx_probe_run_bound(u64 basic)
{
	u32 msr = vmx_ctl_msr(basic, MSR_IA32_VMX_PINBASED_CTLS,
			      MSR_IA32_VMX_TRUE_PINBASED_CTLS);
	u64 misc, ticks;

	vmx_caps.run_bound = 0;
	if (!tsc_khz || !vmx_ctl_allowed(msr, PIN_BASED_VMX_PREEMPTION_TIMER) ||
	    rdmsrl_safe(MSR_IA32_VMX_MISC, &misc))
		return;
	ticks = ((u64)tsc_khz * VMX_RUN_BOUND_US / 1000) >>
		(misc & VMX_MISC_PREEMPTION_TIMER_RATE_MASK);
	vmx_caps.run_bound = clamp_t(u64, ticks, 1, U32_MAX);
	vmx_caps.pin |= PIN_BASED_VMX_PREEMPTION_TIMER;
}

static int vmx_probe_controls(u64 basic)
{
	struct vmx_caps *c = &vmx_caps;
	u64 entry;
	int ret;

	ret = vmx_ctl("pin-based", MSR_IA32_VMX_PINBASED_CTLS,
		      MSR_IA32_VMX_TRUE_PINBASED_CTLS, basic, VMX_WANT_PIN,
		      &c->pin);
	if (!ret)
		ret = vmx_ctl("processor-based", MSR_IA32_VMX_PROCBASED_CTLS,
			      MSR_IA32_VMX_TRUE_PROCBASED_CTLS, basic,
			      VMX_WANT_PROC, &c->proc);
	if (!ret)
		ret = vmx_ctl("secondary", MSR_IA32_VMX_PROCBASED_CTLS2, 0,
			      basic, VMX_WANT_PROC2, &c->proc2);
	if (!ret)
		ret = vmx_ctl("VM-exit", MSR_IA32_VMX_EXIT_CTLS,
			      MSR_IA32_VMX_TRUE_EXIT_CTLS, basic, VMX_WANT_EXIT,
			      &c->exit);
	if (!ret)
		ret = vmx_ctl("VM-entry", MSR_IA32_VMX_ENTRY_CTLS,
			      MSR_IA32_VMX_TRUE_ENTRY_CTLS, basic,
			      VMX_WANT_ENTRY, &c->entry);
	if (ret)
		return ret;
	/*
	 * Optional: PAUSE-loop exiting (25.6.13), so a vCPU spinning on a
	 * lock or a flag another vCPU must set gives its host CPU away
	 * (exit.c yields) instead of burning its whole time slice.
	 */
	rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, entry);
	c->ple = (entry >> 32) & SECONDARY_EXEC_PAUSE_LOOP_EXITING;
	if (c->ple)
		c->proc2 |= SECONDARY_EXEC_PAUSE_LOOP_EXITING;
	vmx_probe_run_bound(basic);
	/* "IA-32e mode guest" is set per entry from the guest's EFER.LMA. */
	c->entry &= ~VM_ENTRY_IA32E_MODE;
	rdmsrl(vmx_ctl_msr(basic, MSR_IA32_VMX_ENTRY_CTLS,
			   MSR_IA32_VMX_TRUE_ENTRY_CTLS), entry);
	c->entry_ia32e_ok = (entry >> 32) & VM_ENTRY_IA32E_MODE;
	return 0;
}

/* VMXON/VMCS regions: one page, write-back, anywhere in memory (A.1). */
static int vmx_probe_basic(u64 *basic)
{
	rdmsrl(MSR_IA32_VMX_BASIC, *basic);
	if (VMX_BASIC_SIZE(*basic) > PAGE_SIZE ||
	    (*basic & VMX_BASIC_32BIT_PA) ||
	    ((*basic & VMX_BASIC_MEM_TYPE_MASK) >> VMX_BASIC_MEM_TYPE_SHIFT) !=
	    VMX_BASIC_MEM_TYPE_WB) {
		pr_err("lamina: unsupported IA32_VMX_BASIC 0x%llx (VMCS larger than a page, 32-bit addresses or not write-back)\n",
		       *basic);
		return -ENODEV;
	}
	vmx_caps.revision = (u32)*basic & 0x7fffffffU;
	vmx_caps.io_insn_info = *basic & VMX_BASIC_INOUT;
	return 0;
}

/*
 * EPT as libvmm builds it: 4 levels, write-back, no A/D bits, flushed by
 * INVEPT single-context or, failing that, all-context (A.10).
 */
static int vmx_probe_ept(void)
{
	u64 cap;

	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, cap);
	if (!(cap & VMX_EPT_PAGE_WALK_4_BIT) || !(cap & VMX_EPTP_WB_BIT) ||
	    !(cap & VMX_EPT_INVEPT_BIT) ||
	    !(cap & (VMX_EPT_EXTENT_CONTEXT_BIT | VMX_EPT_EXTENT_GLOBAL_BIT))) {
		pr_err("lamina: EPT without 4-level write-back tables or INVEPT (IA32_VMX_EPT_VPID_CAP 0x%llx) is not supported\n",
		       cap);
		return -ENODEV;
	}
	vmx_caps.invept_single = cap & VMX_EPT_EXTENT_CONTEXT_BIT;
	return 0;
}

int vmx_probe(void)
{
	u64 feat, basic;
	int ret;

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
	ret = vmx_probe_basic(&basic);
	if (!ret)
		ret = vmx_probe_controls(basic);
	if (!ret)
		ret = vmx_probe_ept();
	if (ret)
		return ret;
	/* A.7, A.8: bits fixed to 1 (FIXED0) and allowed to be 1 (FIXED1). */
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vmx_caps.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vmx_caps.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vmx_caps.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vmx_caps.cr4_fixed1);
	return 0;
}
