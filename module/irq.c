// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts for the next entry (irq.h): from the in-kernel LAPIC and
 * from a userspace interrupt controller.
 *
 * KVM_INTERRUPT's vector waits in vcpu->user_irq until libvmm's decision
 * lets it in (RFLAGS.IF = 1, no STI/MOV-SS shadow, no other event this
 * entry); while it waits, the interrupt window is armed, so the guest's
 * STI ends the wait. KVM (Linux 6.1, userspace irqchip) instead injects
 * the vector on the next entry whatever IF says, trusting userspace to
 * have checked ready_for_interrupt_injection (docs/abi.md).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/processor-flags.h>

#include <libvmm/inject.h>
#include <libvmm/uapi.h>

#include "irq.h"
#include "lamina.h"
#include "lapic.h"

long lamina_irq_ioctl_interrupt(struct lamina_vcpu *vcpu, void __user *argp)
{
	struct vmm_uapi_interrupt in;
	u32 vector;

	static_assert(sizeof(in) == sizeof(struct kvm_interrupt));
	if (copy_from_user(&in, argp, sizeof(in)))
		return -EFAULT;
	if (vmm_uapi_decode_interrupt(&in, &vector) != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_INTERRUPT: vector %u >= 256\n",
				    in.irq);
		return -EINVAL;
	}
	/* api.rst: "-EEXIST if an interrupt is already enqueued". */
	if (vcpu->user_irq_pending)
		return -EEXIST;
	vcpu->user_irq_pending = true;
	vcpu->user_irq = vector;
	lamina_irq_recheck(vcpu);
	return 0;
}

void lamina_irq_recheck(struct lamina_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->event_check, true);
}

/*
 * Must this entry decide (lamina.h, event_check)? Called after the
 * entry's full barrier (vcpu.c): a flag set after this read is either
 * seen by the next entry, or its setter saw in_guest and kicked.
 */
static bool irq_must_decide(struct lamina_vcpu *vcpu)
{
	/* Userspace may change it any time: against the last decision's. */
	bool window = !!READ_ONCE(vcpu->run->request_interrupt_window);

	/* Clear, with a full barrier, before the inputs are read. */
	if (READ_ONCE(vcpu->event_check) && xchg(&vcpu->event_check, false))
		return true;
	return vcpu->event.valid || window != vcpu->user_window_seen;
}

/* libvmm's inputs: the LAPIC's IRR/ISR/TPR, if any, and the vCPU's state. */
static void irq_state(struct lamina_vcpu *vcpu, struct vmm_inject_state *s)
{
	memset(s, 0, sizeof(*s));
	if (vcpu->lapic)
		lamina_lapic_inject_state(vcpu, s);
	s->rflags_if = !!(vcpu->rflags & X86_EFLAGS_IF);
	s->sti_blocking = !!(vcpu->intr_shadow & LAMINA_SHADOW_STI);
	s->movss_blocking = !!(vcpu->intr_shadow & LAMINA_SHADOW_MOVSS);
	s->event_pending = vcpu->event.valid;
	s->user_irq_pending = vcpu->user_irq_pending;
	s->user_vector = vcpu->user_irq;
	/* kvm_run is shared with userspace: read the request once. */
	s->user_window_request =
		!!READ_ONCE(vcpu->run->request_interrupt_window);
}

void lamina_irq_prepare(struct lamina_vcpu *vcpu)
{
	struct vmm_inject_decision d;
	struct vmm_inject_state s;

	if (!irq_must_decide(vcpu))
		return;
	irq_state(vcpu, &s);
	vcpu->user_window_seen = s.user_window_request;
	/* user_vector < 256 always (u8): the decision cannot fail. */
	if (vmm_inject_decide(&s, &d) != VMM_INJECT_OK) {
		vcpu->irq_window = false;
		lamina_irq_recheck(vcpu);
		return;
	}
	if (d.kind == VMM_INJECT_INJECT_EXTINT) {
		vcpu->event = (struct lamina_event) {
			.valid = true,
			.type = LAMINA_EVENT_EXTINT,
			.vector = d.vector,
		};
		if (d.source == VMM_INJECT_SRC_USER)
			vcpu->user_irq_pending = false;
		else
			lamina_lapic_ack(vcpu, d.vector);
	}
	vcpu->irq_window = d.irq_window;
	/* This entry delivers an event: the next one decides again. */
	if (vcpu->event.valid)
		lamina_irq_recheck(vcpu);
}

bool lamina_irq_pending(struct lamina_vcpu *vcpu)
{
	struct vmm_inject_decision d;
	struct vmm_inject_state s;

	irq_state(vcpu, &s);
	if (vmm_inject_decide(&s, &d) != VMM_INJECT_OK)
		return false;
	return d.kind == VMM_INJECT_INJECT_EXTINT ||
	       d.kind == VMM_INJECT_INJECT_NMI;
}

/* KVM's kvm_vcpu_ready_for_interrupt_injection() without a LAPIC. */
static bool lamina_irq_ready(const struct lamina_vcpu *vcpu)
{
	return (vcpu->rflags & X86_EFLAGS_IF) && !vcpu->intr_shadow &&
	       !vcpu->user_irq_pending && !vcpu->event.valid;
}

int lamina_irq_window_exit(struct lamina_vcpu *vcpu)
{
	/* KVM's handle_interrupt_window(): only userspace's request exits. */
	lamina_irq_recheck(vcpu);
	if (READ_ONCE(vcpu->run->request_interrupt_window) &&
	    !vcpu->user_irq_pending) {
		vcpu->run->exit_reason = KVM_EXIT_IRQ_WINDOW_OPEN;
		return 0;
	}
	return 1;
}

void lamina_irq_report(struct lamina_vcpu *vcpu)
{
	vcpu->run->if_flag = !!(vcpu->rflags & X86_EFLAGS_IF);
	vcpu->run->ready_for_interrupt_injection = lamina_irq_ready(vcpu);
}

/*
 * KVM reports an external interrupt it has accepted but not delivered yet
 * (vcpu->arch.interrupt.injected and not soft): lamina's are a queued
 * KVM_INTERRUPT and an interrupted delivery waiting for re-injection.
 */
void lamina_irq_get_bitmap(struct lamina_vcpu *vcpu, struct kvm_sregs *s)
{
	int vector = -1;

	if (vcpu->user_irq_pending)
		vector = vcpu->user_irq;
	else if (vcpu->event.valid && vcpu->event.type == LAMINA_EVENT_EXTINT)
		vector = vcpu->event.vector;
	if (vector >= 0)
		s->interrupt_bitmap[vector / 64] |= 1ULL << (vector % 64);
}

/* KVM_SET_SREGS with one interrupt_bitmap bit: queue it as KVM does. */
void lamina_irq_set_pending(struct lamina_vcpu *vcpu, u32 vector)
{
	if (vector >= VMM_UAPI_NR_INTERRUPTS)
		return;
	vcpu->user_irq_pending = true;
	vcpu->user_irq = vector;
	lamina_irq_recheck(vcpu);
}
