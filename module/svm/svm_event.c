// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM event injection, the interrupt shadow and the interrupt window
 * (AMD APM vol. 2: 15.20 "Event Injection", 15.21 "Interrupt and LocalAPIC
 * Support" / "Virtual Interrupts", 15.7.2 "Intercepts During IDT Interrupt
 * Delivery").
 */
#include <linux/bits.h>
#include <asm/processor-flags.h>
#include <asm/svm.h>
#include <asm/trapnr.h>

#include "../cr.h"
#include "../lamina.h"
#include "svm.h"

/* A changed intercept word is checked against the policy again. */
static void svm_set_intercept(struct svm_vcpu *sv, u32 bit, bool on)
{
	u32 *word = &sv->vmcb->control.intercepts[bit / 32];
	u32 mask = 1U << (bit % 32);
	u32 old = *word;

	if (on)
		*word |= mask;
	else
		*word &= ~mask;
	if (*word != old)
		sv->policy_dirty = true;
}

/*
 * Before VMRUN: vcpu->event into EVENTINJ, the shadow into INT_STATE, and
 * the window. The window is a virtual interrupt (V_IRQ, priority 15,
 * ignoring V_TPR) with the VINTR intercept: the CPU takes that #VMEXIT
 * exactly when the guest could take an interrupt (IF = 1, no shadow).
 */
void svm_event_load(struct lamina_vcpu *vcpu, struct vmcb *vmcb)
{
	struct vmcb_control_area *c = &vmcb->control;
	const struct lamina_event *e = &vcpu->event;

	c->event_inj = 0;
	c->event_inj_err = 0;
	if (e->valid) {
		c->event_inj = SVM_EVTINJ_VALID | e->vector |
			       ((u32)e->type << SVM_EVTINJ_TYPE_SHIFT);
		/* Real mode pushes no error code (KVM drops it too). */
		if (e->has_error && (vmcb->save.cr0 & X86_CR0_PE)) {
			c->event_inj |= SVM_EVTINJ_VALID_ERR;
			c->event_inj_err = e->error;
		}
	}
	/*
	 * An intercepted #DB: the CPU wrote DR6 into the VMCB already
	 * (APM 15.12), so this rewrites the same conditions; injection
	 * itself changes neither DR6 nor DR7.
	 */
	if (e->valid && e->has_cr2)
		vmcb->save.cr2 = e->cr2;
	if (e->valid && e->has_dbg) {
		vmcb->save.dr6 = lamina_db_deliver_dr6(vmcb->save.dr6, e->dbg);
		vmcb->save.dr7 &= ~LAMINA_DR7_GD;
	}
	c->int_state = vcpu->intr_shadow ? SVM_INTERRUPT_SHADOW_MASK : 0;

	/*
	 * INT_CTL is written whole before every entry, never trusted to
	 * stay: the CPU writes it back on #VMEXIT, and QEMU 7.2's TCG
	 * writes its own copy, 0, when it refuses a VMRUN (a CR4 bit its
	 * CPU lacks) before loading the field. V_INTR_MASKING lost that
	 * way puts host interrupts behind the guest's RFLAGS.IF: a guest
	 * looping with IF = 0 then keeps the host CPU forever (issue 14).
	 * With it, host interrupts follow the host's IF at VMRUN (set:
	 * svm_run.c) and exit through the INTR intercept.
	 * V_TPR: what a guest MOV from CR8 reads. Writes exit (svm_vcpu.c),
	 * so the TPR itself lives in one place, cr.c.
	 */
	c->int_ctl = V_INTR_MASKING_MASK | (lamina_cr8_get(vcpu) & V_TPR_MASK);
	c->int_vector = 0;
	if (vcpu->irq_window)
		c->int_ctl |= V_IRQ_MASK | V_IGN_TPR_MASK |
			      (0xfU << V_INTR_PRIO_SHIFT);
	svm_set_intercept(vcpu->vendor, INTERCEPT_VINTR, vcpu->irq_window);
	/* MOV DR0-DR7 until the guest owns its debug registers (debugreg.c). */
	c->intercepts[INTERCEPT_DR] = vcpu->db_owned ? 0 : 0x00ff00ff;
}

/*
 * After a #VMEXIT that followed a successful VMRUN: EVENTINJ was taken
 * (APM 15.20), and EXITINTINFO names an event whose delivery the exit
 * interrupted, which goes back into vcpu->event for the next entry.
 * Software events are not re-injected: RIP still points at the INTn,
 * INT3 or INTO (APM 15.7.2), and running it again delivers the same
 * event with the right return address, with no NextRIP needed (KVM
 * does the same for INT3/INTO).
 */
void svm_event_store(struct lamina_vcpu *vcpu, const struct vmcb *vmcb)
{
	const struct vmcb_control_area *c = &vmcb->control;
	u32 info = c->exit_int_info;
	u32 type = (info & SVM_EXITINTINFO_TYPE_MASK) >> SVM_EVTINJ_TYPE_SHIFT;
	u8 vector = info & SVM_EXITINTINFO_VEC_MASK;

	vcpu->event.valid = false;
	vcpu->intr_shadow = (c->int_state & SVM_INTERRUPT_SHADOW_MASK) ?
			    LAMINA_SHADOW_STI : 0;
	if (!(info & SVM_EXITINTINFO_VALID))
		return;
	if (type == LAMINA_EVENT_SOFT_INT ||
	    (type == LAMINA_EVENT_EXCEPTION &&
	     (vector == X86_TRAP_BP || vector == X86_TRAP_OF)))
		return;
	vcpu->event = (struct lamina_event) {
		.valid = true,
		.type = type,
		.vector = vector,
		.has_error = !!(info & SVM_EXITINTINFO_VALID_ERR),
		.error = c->exit_int_info_err,
	};
}
