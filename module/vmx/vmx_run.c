// SPDX-License-Identifier: GPL-2.0-only
/*
 * One VMX guest entry, and the exit's decoding by libvmm.
 *
 * Interrupt discipline: the entry runs with host interrupts off. With
 * external-interrupt exiting and without "acknowledge interrupt on exit",
 * a host interrupt arriving in the guest ends it and stays pending in the
 * local APIC (SDM vol. 3C, 26.2 "Other Causes of VM Exits", 28.2 "Recording
 * VM-Exit Information"); the host takes it when interrupts come back on.
 * An NMI is different: NMI exiting consumes it, so it is handed to the
 * host's NMI handler before interrupts come back on, as KVM does.
 *
 * The VM exit loads only part of the host state (28.5 "Loading Host
 * State"). What the kernel itself does not use stays as the exit left
 * it, and the guest's SYSCALL MSRs and KERNEL_GS_BASE stay loaded, from
 * the first entry on this CPU until vmx_vcpu_put(), as in KVM
 * (vmx_prepare_switch_to_guest/host): the user FS/GS/DS/ES selectors,
 * the user GS base (the guest can SWAPGS), the LDT (the exit makes LDTR
 * null), the TSS and GDT limits (the exit sets 0x67 and 0xffff). The
 * common code calls vmx_vcpu_put() before KVM_RUN returns and when the
 * thread is scheduled out (vcpu.c), so neither userspace nor another
 * task ever runs with them. DEBUGCTL and DR7 (the exit clears them) are
 * restored after every exit, CR2 (not switched at all) around every
 * entry.
 */
#include <linux/irqflags.h>
#include <linux/printk.h>
#include <asm/desc.h>
#include <asm/fsgsbase.h>
#include <asm/idtentry.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>
#include <asm/vmx.h>
#include <asm/debugreg.h>

#include <libvmm/exit.h>

#include "../backend.h"
#include "../gpr.h"
#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/* The exit leaves LDTR null (28.5.2); a task with an LDT gets it back. */
static void vmx_load_ldt(u16 sel)
{
	asm volatile("lldt %0" : : "rm" (sel));
}

/* 27.2.3: host selectors need RPL = 0 and TI = 0, else null and reload. */
static u16 vmx_host_sel(u16 sel)
{
	return (sel & (SEGMENT_RPL_MASK | SEGMENT_TI_MASK)) ? 0 : sel;
}

/*
 * Interrupts off, VMCS current, before the first entry since the last
 * vmx_vcpu_put(): save the host state the exits clobber, write the
 * task's part of the VMCS host state, load the guest's MSRs.
 */
static void vmx_host_load(struct vmx_vcpu *vv)
{
	struct vmx_host_state *h = &vv->host;

	savesegment(ds, h->ds);
	savesegment(es, h->es);
	savesegment(fs, h->fs);
	savesegment(gs, h->gs);
	store_ldt(h->ldt);
	h->fs_base = x86_fsbase_read_cpu();
	rdmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	h->debugctl = get_debugctlmsr();

	vmcs_write16(HOST_FS_SELECTOR, vmx_host_sel(h->fs));
	vmcs_write16(HOST_GS_SELECTOR, vmx_host_sel(h->gs));
	vmcs_writel(HOST_FS_BASE, h->fs_base);
	/*
	 * From here vmx_vcpu_put() must run before userspace or another
	 * task does, else the host keeps the guest's SYSCALL MSRs and
	 * KERNEL_GS_BASE: host_loaded tells it so.
	 */
	vmx_msr_switch_in(vv, &vv->sw);
	vv->host_loaded = true;
}

/* Interrupts off. What vmx_host_load() saved, back in place. */
static void vmx_host_restore(const struct vmx_host_state *h)
{
	if (h->ldt)
		vmx_load_ldt(h->ldt);
	if (vmx_host_sel(h->gs) != h->gs)
		load_gs_index(h->gs);
	if (vmx_host_sel(h->fs) != h->fs) {
		loadsegment(fs, h->fs);
		x86_fsbase_write_cpu(h->fs_base);
	}
	if (h->ds | h->es) {
		loadsegment(ds, h->ds);
		loadsegment(es, h->es);
	}
	wrmsrl(MSR_KERNEL_GS_BASE, h->kernel_gs_base);
	invalidate_tss_limit();
	load_fixmap_gdt(raw_smp_processor_id());
}

void vmx_vcpu_put(struct lamina_vcpu *vcpu)
{
	struct vmx_vcpu *vv = vcpu->vendor;
	unsigned long flags;

	if (!vv->host_loaded)
		return;
	local_irq_save(flags);
	/* First: it reads the guest's KERNEL_GS_BASE before the host's. */
	vmx_msr_switch_out(vv, &vv->sw);
	vmx_host_restore(&vv->host);
	vv->host_loaded = false;
	local_irq_restore(flags);
}

/* After every exit: what the exit clears and the host may be using. */
static void vmx_host_debug_restore(const struct vmx_host_state *h)
{
	if (h->debugctl)
		update_debugctlmsr(h->debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

static void vmx_read_exit(struct vmm_vmx_exit_info *in)
{
	*in = (struct vmm_vmx_exit_info) {
		.exit_reason = vmcs_read32(VM_EXIT_REASON),
		.qualification = vmcs_readl(EXIT_QUALIFICATION),
		.guest_phys_addr = vmcs_read64(GUEST_PHYSICAL_ADDRESS),
		.insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN),
		.insn_info = vmcs_read32(VMX_INSTRUCTION_INFO),
		.insn_info_valid = vmx_caps.io_insn_info,
		.intr_info = vmcs_read32(VM_EXIT_INTR_INFO),
		.intr_error_code = vmcs_read32(VM_EXIT_INTR_ERROR_CODE),
	};
}

/*
 * EPT-tagged TLB entries (29.4.3 "Guidance for Use of the INVEPT"): no
 * VPID, so a flush is an INVEPT of this EPTP, or of all of them if the
 * CPU has only the all-context type.
 */
static int vmx_flush_ept(const struct vmx_vcpu *vv)
{
	int ret;

	if (vmx_caps.invept_single)
		ret = vmx_invept(VMX_EPT_EXTENT_CONTEXT, vv->eptp);
	else
		ret = vmx_invept(VMX_EPT_EXTENT_GLOBAL, 0);
	if (ret)
		pr_err_ratelimited("lamina: INVEPT failed on CPU %d (%d)\n",
				   smp_processor_id(), ret);
	return ret;
}

/* vmx_enter(): the policy check refused the entry, @ev says why. */
#define VMX_ENTER_REFUSED 2

/*
 * The entry itself: interrupts off, VMCS current. 0 (@in holds the exit),
 * 1 (VMfail) or VMX_ENTER_REFUSED.
 */
static int vmx_enter(struct lamina_vcpu *vcpu, struct vmx_vcpu *vv,
		     struct vmm_vmx_exit_info *in, struct vmm_exit_event *ev)
{
	int fail;

	if (!vv->host_loaded)
		vmx_host_load(vv);
	/* Per task, and CR4 can change per task (TSD, PCE): every entry. */
	vmcs_writel(HOST_CR3, __read_cr3());
	vmcs_writel(HOST_CR4, cr4_read_shadow());
	vmcs_writel(GUEST_RSP, vcpu->gprs[LAMINA_GPR_RSP]);
	vmcs_writel(GUEST_RIP, vcpu->rip);
	vmcs_writel(GUEST_RFLAGS, vcpu->rflags);
	vmx_event_load(vcpu);
	/*
	 * lamina's policy (libvmm layer 11) on the controls, first: on the
	 * first entry and after a control changed. Refused, nothing runs:
	 * the entry failed, and says which rule.
	 */
	if (vv->policy_dirty && !vmx_policy_check(vcpu, ev))
		return VMX_ENTER_REFUSED;
	/*
	 * libvmm's VM-entry checks, when userspace may have changed the
	 * state or an event goes in (the guest alone cannot make it
	 * invalid). A failed rule looks like the hardware's exit 33.
	 */
	if (vcpu->state_changed || vcpu->event.valid) {
		if (!vmx_entry_check(vcpu)) {
			*in = (struct vmm_vmx_exit_info) {
				.exit_reason = VMX_EXIT_REASONS_FAILED_VMENTRY |
					       EXIT_REASON_INVALID_STATE,
			};
			return 0;
		}
		vcpu->state_changed = false;
	}
	if (read_cr2() != vv->cr2)
		write_cr2(vv->cr2);

	fail = lamina_vmx_vmenter(vcpu->gprs, vv->launched);

	if (!fail) {
		vv->cr2 = read_cr2();
		vmx_read_exit(in);
		vcpu->gprs[LAMINA_GPR_RSP] = vmcs_readl(GUEST_RSP);
		vcpu->rip = vmcs_readl(GUEST_RIP);
		vcpu->rflags = vmcs_readl(GUEST_RFLAGS);
		/*
		 * 27.8 "VM-Entry Failures During or After Loading Guest
		 * State": such an entry leaves the launch state as it was.
		 */
		if (!(in->exit_reason & VMX_EXIT_REASONS_FAILED_VMENTRY)) {
			vv->launched = true;
			vmx_event_store(vcpu);
		}
	}
	vmx_host_debug_restore(&vv->host);
	return fail;
}

int vmx_run(struct lamina_vcpu *vcpu, bool flush, struct vmm_exit_event *ev)
{
	struct vmx_vcpu *vv = vcpu->vendor;
	struct vmm_vmx_exit_info in;
	bool launched = vv->launched;
	int ret, fail;

	ret = vmx_vcpu_load(vv);
	if (ret < 0)
		return -EIO;
	local_irq_disable();
	if (flush && vmx_flush_ept(vv)) {
		local_irq_enable();
		return -EIO;
	}
	/* Interrupts off: the guest's FPU, the self-IPI of a late kick. */
	lamina_vcpu_entry_irqs_off(vcpu);
	fail = vmx_enter(vcpu, vv, &in, ev);
	if (fail == VMX_ENTER_REFUSED) {
		local_irq_enable();
		return 0;
	}
	if (!fail) {
		vmm_exit_decode_vmx(&in, ev);
		if (ev->kind == VMM_EXIT_NMI)
			lamina_vmx_do_nmi((unsigned long)asm_exc_nmi_noist);
	}
	local_irq_enable();

	if (fail) {
		pr_err_ratelimited("lamina: %s failed on CPU %d: VM-instruction error %u\n",
				   launched ? "VMRESUME" : "VMLAUNCH",
				   smp_processor_id(), vmx_insn_error());
		return -EIO;
	}
	if (ev->kind == VMM_EXIT_ENTRY_FAILURE ||
	    ev->kind == VMM_EXIT_INVALID_STATE)
		pr_info_ratelimited("lamina: VM entry failed: exit reason 0x%x, qualification 0x%llx\n",
				    in.exit_reason, in.qualification);
	return 0;
}
