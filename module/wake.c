// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU run states with an in-kernel LAPIC (wake.h).
 *
 * Kicks and entries pair up like KVM's vcpu->mode: the entry marks the
 * vCPU in_guest and clears kick_pending, a full barrier, then decides
 * what to inject; a sender sets the IRR, then kick_pending, a full
 * barrier, then reads in_guest. Either the decision sees the new vector,
 * or the sender sees in_guest and interrupts that CPU, which ends the
 * guest run (external-interrupt exiting); if that interrupt came before
 * the backend turned interrupts off, kick_pending is still set when it
 * checks, and a self-IPI makes the entry exit at once.
 */
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <asm/processor-flags.h>

#include "backend.h"
#include "exit.h"
#include "irq.h"
#include "lamina.h"
#include "lapic.h"
#include "wake.h"

void lamina_vcpu_wake_init(struct lamina_vcpu *vcpu)
{
	init_waitqueue_head(&vcpu->wq);
	vcpu->mp_state = vcpu->lapic && vcpu->id ? KVM_MP_STATE_UNINITIALIZED :
						   KVM_MP_STATE_RUNNABLE;
}

void lamina_vcpu_kick(struct lamina_vcpu *vcpu)
{
	int cpu, me;

	WRITE_ONCE(vcpu->kick_pending, true);
	smp_mb();
	if (READ_ONCE(vcpu->in_guest)) {
		cpu = READ_ONCE(vcpu->cpu);
		me = get_cpu();
		if (cpu != me && cpu >= 0)
			smp_send_reschedule(cpu);
		put_cpu();
	}
	wake_up_interruptible(&vcpu->wq);
}

void lamina_vcpu_kick_check(struct lamina_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->kick_pending))
		smp_send_reschedule(smp_processor_id());
}

void lamina_vcpu_init(struct lamina_vcpu *vcpu)
{
	unsigned long flags;

	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	vcpu->init_pending = true;
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
	lamina_vcpu_kick(vcpu);
}

void lamina_vcpu_sipi(struct lamina_vcpu *vcpu, u8 vector)
{
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	/*
	 * 8.4.4: a SIPI counts only in wait-for-SIPI, or right behind the
	 * INIT that vCPU has not taken yet; a second one is ignored.
	 */
	if ((vcpu->mp_state == KVM_MP_STATE_INIT_RECEIVED ||
	     vcpu->init_pending) && !vcpu->sipi_pending) {
		vcpu->sipi_vector = vector;
		vcpu->sipi_pending = true;
		kick = true;
	}
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
	if (kick)
		lamina_vcpu_kick(vcpu);
}

void lamina_vcpu_halt(struct lamina_vcpu *vcpu)
{
	unsigned long flags;

	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	if (vcpu->mp_state == KVM_MP_STATE_RUNNABLE)
		vcpu->mp_state = KVM_MP_STATE_HALTED;
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
}

/* A real-mode segment as after INIT (SDM vol. 3A table 9-1). */
static void real_seg(struct kvm_segment *s, u16 sel, u8 type)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = (u64)sel << 4;
	s->limit = 0xffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
}

/*
 * SIPI with vector V (8.4.3): the state after INIT, in real mode at
 * V*0x1000: CS = V<<8, IP = 0. INIT leaves x87/SSE and most MSRs alone.
 */
static int vcpu_start_at(struct lamina_vcpu *vcpu, u8 vector)
{
	struct kvm_sregs s;
	int ret;

	memset(&s, 0, sizeof(s));
	lamina_backend->get_sregs(vcpu, &s);
	real_seg(&s.cs, (u16)vector << 8, 0xb);
	real_seg(&s.ds, 0, 3);
	real_seg(&s.es, 0, 3);
	real_seg(&s.fs, 0, 3);
	real_seg(&s.gs, 0, 3);
	real_seg(&s.ss, 0, 3);
	real_seg(&s.ldt, 0, 2);
	s.ldt.s = 0;
	real_seg(&s.tr, 0, 0xb);
	s.tr.s = 0;
	s.gdt.base = s.idt.base = 0;
	s.gdt.limit = s.idt.limit = 0xffff;
	s.cr0 = X86_CR0_ET | X86_CR0_CD | X86_CR0_NW;
	s.cr2 = s.cr3 = s.cr4 = s.cr8 = 0;
	s.efer = 0;
	ret = lamina_backend->set_sregs(vcpu, &s);
	if (ret)
		return ret;
	memset(vcpu->gprs, 0, sizeof(vcpu->gprs));
	vcpu->rip = 0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	vcpu->intr_shadow = 0;
	vcpu->event.valid = false;
	vcpu->user_irq_pending = false;
	lamina_irq_recheck(vcpu);
	lamina_exit_cancel(vcpu);
	vcpu->state_changed = true;
	return 0;
}

/* Take what other vCPUs sent: INIT resets the LAPIC, SIPI starts. */
static int vcpu_take_init_sipi(struct lamina_vcpu *vcpu)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;
	bool init, sipi;
	u8 vector;

	spin_lock_irqsave(&apic->lock, flags);
	init = vcpu->init_pending;
	sipi = vcpu->sipi_pending;
	vector = vcpu->sipi_vector;
	vcpu->init_pending = false;
	vcpu->sipi_pending = false;
	if (init)
		vcpu->mp_state = KVM_MP_STATE_INIT_RECEIVED;
	if (sipi)
		vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
	spin_unlock_irqrestore(&apic->lock, flags);

	if (init) {
		/* 10.4.7.3: INIT resets the LAPIC but keeps its APIC ID. */
		u32 id = READ_ONCE(apic->r.id);

		lamina_lapic_reset(vcpu);
		WRITE_ONCE(apic->r.id, id);
	}
	return sipi ? vcpu_start_at(vcpu, vector) : 0;
}

/* Would the vCPU leave its current wait? Called in wait_event. */
static bool vcpu_should_wake(struct lamina_vcpu *vcpu)
{
	if (READ_ONCE(vcpu->init_pending) || READ_ONCE(vcpu->sipi_pending))
		return true;
	return READ_ONCE(vcpu->mp_state) == KVM_MP_STATE_HALTED &&
	       lamina_irq_pending(vcpu);
}

int lamina_vcpu_wait_runnable(struct lamina_vcpu *vcpu)
{
	unsigned long flags;
	int ret;

	if (!vcpu->lapic)
		return 0;
	for (;;) {
		ret = vcpu_take_init_sipi(vcpu);
		if (ret)
			return ret;
		if (vcpu->mp_state == KVM_MP_STATE_HALTED &&
		    lamina_irq_pending(vcpu)) {
			spin_lock_irqsave(&vcpu->lapic->lock, flags);
			if (vcpu->mp_state == KVM_MP_STATE_HALTED)
				vcpu->mp_state = KVM_MP_STATE_RUNNABLE;
			spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
		}
		if (vcpu->mp_state == KVM_MP_STATE_RUNNABLE)
			return 0;
		if (wait_event_interruptible(vcpu->wq, vcpu_should_wake(vcpu)))
			return -EINTR;
	}
}

long lamina_vcpu_get_mp_state(struct lamina_vcpu *vcpu,
			      struct kvm_mp_state __user *uarg)
{
	struct kvm_mp_state mp = { .mp_state = READ_ONCE(vcpu->mp_state) };

	return copy_to_user(uarg, &mp, sizeof(mp)) ? -EFAULT : 0;
}
