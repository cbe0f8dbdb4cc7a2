// SPDX-License-Identifier: GPL-2.0-only
/*
 * One SVM guest entry, and the exit's decoding by libvmm.
 *
 * Interrupt discipline (the classic KVM/SVM sequence): CLGI with host
 * interrupts off, then STI: with GIF clear nothing is delivered, but
 * VMRUN runs the guest with host IF set, so a host interrupt arriving
 * while the guest runs is recognised and, being intercepted, ends it.
 * After #VMEXIT (GIF clear again) the host state VMRUN does not restore
 * is reloaded before CLI; STGI lets the pending interrupt in once
 * interrupts come back on.
 */
#include <linux/irqflags.h>
#include <asm/svm.h>

#include <libvmm/exit.h>

#include "../backend.h"
#include "../gpr.h"
#include "../lamina.h"
#include "svm.h"

static inline void svm_clgi(void)
{
	asm volatile("clgi" ::: "memory");
}

static inline void svm_stgi(void)
{
	asm volatile("stgi" ::: "memory");
}

static void svm_sync_to_vmcb(struct lamina_vcpu *vcpu, struct vmcb *vmcb)
{
	vmcb->save.rax = vcpu->gprs[LAMINA_GPR_RAX];
	vmcb->save.rsp = vcpu->gprs[LAMINA_GPR_RSP];
	vmcb->save.rip = vcpu->rip;
	vmcb->save.rflags = vcpu->rflags;
	/* No VMCB caching: the hardware reloads every field on VMRUN. */
	vmcb->control.clean = 0;
}

static void svm_sync_from_vmcb(struct lamina_vcpu *vcpu,
			       const struct vmcb *vmcb)
{
	vcpu->gprs[LAMINA_GPR_RAX] = vmcb->save.rax;
	vcpu->gprs[LAMINA_GPR_RSP] = vmcb->save.rsp;
	vcpu->rip = vmcb->save.rip;
	vcpu->rflags = vmcb->save.rflags;
}

static void svm_decode_exit(const struct vmcb *vmcb, struct vmm_exit_event *ev)
{
	/*
	 * EXITCODE is 64 bits, but every defined code is a small positive
	 * number or -1/-2/-3 (VMEXIT_INVALID...), so its low half sign-
	 * extended is the whole value. Some implementations (QEMU's TCG)
	 * write -1 as a 32-bit value; KVM reads only the low half too.
	 */
	const struct vmm_svm_exit_info in = {
		.exit_code = (u64)(s64)(s32)vmcb->control.exit_code,
		.exit_info1 = vmcb->control.exit_info_1,
		.exit_info2 = vmcb->control.exit_info_2,
		.next_rip = vmcb->control.next_rip,
		.nrips = boot_cpu_has(X86_FEATURE_NRIPS),
		.decode_assists = boot_cpu_has(X86_FEATURE_DECODEASSISTS),
		.dr6 = vmcb->save.dr6,
	};

	vmm_exit_decode_svm(&in, ev);
}

int svm_run(struct lamina_vcpu *vcpu, bool flush, struct vmm_exit_event *ev)
{
	struct svm_vcpu *sv = vcpu->vendor;
	struct vmcb *vmcb = sv->vmcb;

	svm_sync_to_vmcb(vcpu, vmcb);
	svm_event_load(vcpu, vmcb);
	/*
	 * lamina's policy (libvmm layer 11) on the controls, first: on the
	 * first entry and after a control word changed. Refused, nothing
	 * runs: the entry failed, and says which rule.
	 */
	if (sv->policy_dirty && !svm_policy_check(vcpu, ev))
		return 0;
	/*
	 * libvmm's VMRUN checks, when userspace may have changed the state
	 * or an event goes in (the guest alone cannot make the state
	 * invalid). A failed rule looks like the hardware's VMEXIT_INVALID.
	 */
	if (vcpu->state_changed || vcpu->event.valid) {
		if (!svm_entry_check(vcpu, vmcb)) {
			vmcb->control.exit_code = SVM_EXIT_ERR;
			vmcb->control.exit_info_1 = 0;
			vmcb->control.exit_info_2 = 0;
			svm_decode_exit(vmcb, ev);
			return 0;
		}
		vcpu->state_changed = false;
	}
	/* ASID 1 is shared by every vCPU: flush when it changes hands. */
	if (svm_cpu_switch_vmcb(vmcb) || flush)
		vmcb->control.tlb_ctl = TLB_CONTROL_FLUSH_ASID;
	else
		vmcb->control.tlb_ctl = TLB_CONTROL_DO_NOTHING;

	local_irq_disable();
	svm_clgi();
	/*
	 * GIF = 0 holds the self-IPI of a late kick until VMRUN, and keeps
	 * interrupt handlers from taking the guest's FPU registers.
	 */
	lamina_vcpu_entry_irqs_off(vcpu);
	local_irq_enable();
	lamina_svm_vmrun(sv->vmcb_pa, svm_host_save_pa(), vcpu->gprs);
	local_irq_disable();
	svm_stgi();
	local_irq_enable();

	svm_sync_from_vmcb(vcpu, vmcb);
	svm_decode_exit(vmcb, ev);
	/* VMEXIT_INVALID: nothing was entered, the event stays queued. */
	if (ev->kind != VMM_EXIT_ENTRY_FAILURE &&
	    ev->kind != VMM_EXIT_INVALID_STATE)
		svm_event_store(vcpu, vmcb);
	return 0;
}

/*
 * Nothing stays loaded across exits on SVM: VMRUN and #VMEXIT switch the
 * SYSCALL MSRs and KERNEL_GS_BASE with VMLOAD/VMSAVE around each entry
 * (svm_vmrun.S), so leaving the CPU has nothing to put back.
 */
void svm_vcpu_put(struct lamina_vcpu *vcpu)
{
}
