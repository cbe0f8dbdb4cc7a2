// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC's register page (lapic.h): xAPIC MMIO at APIC_BASE,
 * 32-bit aligned accesses to the registers of SDM vol. 3A table 10-1,
 * with the values after RESET of 10.4.7.1. A vector is accepted into the
 * IRR (any context), chosen and acknowledged through libvmm (irq.c), and
 * retired by an EOI write here: libvmm's vmm_inject_eoi() clears the
 * highest in-service vector; a level-triggered vector that the userspace
 * IOAPIC routed (KVM_SET_GSI_ROUTING) then exits as KVM_EXIT_IOAPIC_EOI,
 * as KVM's split irqchip does, so that its Remote IRR clears.
 * What a register read returns, what a write stores and what it asks for
 * (EOI, IPI, timer), and whether a vector is accepted are libvmm's
 * (layer 15, libvmm/lapic.c); this file holds the lock and the bit arrays.
 *
 * Not modelled: x2APIC (not offered in CPUID), LINT0/LINT1 input pins
 * (the PIC reaches the guest through KVM_INTERRUPT), the error and
 * thermal/performance interrupts (their LVTs are stored), the Remote
 * Read register, and CR8 on SVM (V_TPR is not synchronised with TPR;
 * 64-bit Linux never writes CR8). docs/abi.md lists these.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>

#include <libvmm/inject.h>
#include <libvmm/lapic.h>
#include <libvmm/mmio.h>

#include "cpuid.h"
#include "irq.h"
#include "lamina.h"
#include "lapic.h"
#include "wake.h"

/* Layer 15's register offsets and bits are the kernel's apicdef.h ones. */
static_assert(VMM_LAPIC_ID == APIC_ID && VMM_LAPIC_EOI == APIC_EOI);
static_assert(VMM_LAPIC_LVR == APIC_LVR && VMM_LAPIC_TPR == APIC_TASKPRI);
static_assert(VMM_LAPIC_LDR == APIC_LDR && VMM_LAPIC_DFR == APIC_DFR);
static_assert(VMM_LAPIC_SVR == APIC_SPIV && VMM_LAPIC_ESR == APIC_ESR);
static_assert(VMM_LAPIC_ICR == APIC_ICR && VMM_LAPIC_ICR2 == APIC_ICR2);
static_assert(VMM_LAPIC_LVTT == APIC_LVTT && VMM_LAPIC_LVTERR == APIC_LVTERR);
static_assert(VMM_LAPIC_TMICT == APIC_TMICT && VMM_LAPIC_TMCCT == APIC_TMCCT);
static_assert(VMM_LAPIC_TDCR == APIC_TDCR && VMM_LAPIC_PPR == APIC_PROCPRI);
static_assert(VMM_LAPIC_ISR == APIC_ISR && VMM_LAPIC_TMR == APIC_TMR &&
	      VMM_LAPIC_IRR == APIC_IRR);
static_assert(VMM_LAPIC_SVR_ENABLE == APIC_SPIV_APIC_ENABLED);
static_assert(VMM_LAPIC_LVT_MASKED == APIC_LVT_MASKED);
static_assert(VMM_LAPIC_ESR_RECVILL == APIC_ESR_RECVILL);
static_assert(VMM_LAPIC_ICR_BUSY == APIC_ICR_BUSY);

bool lamina_lapic_owns(struct lamina_vcpu *vcpu, u64 gpa)
{
	u64 base = vcpu->msr.apic_base;

	if (!vcpu->lapic || !(base & MSR_IA32_APICBASE_ENABLE))
		return false;
	base &= MSR_IA32_APICBASE_BASE;
	return gpa >= base && gpa - base < PAGE_SIZE;
}

/* Bit @v of a 256-bit vector set, as one 32-bit register word @i. */
static u32 vec_word(const u64 *bits, unsigned int i)
{
	return (u32)(bits[i / 2] >> (32 * (i % 2)));
}

/* The PPR of 10.8.3.1, by libvmm. */
static u32 lapic_ppr(const struct lamina_lapic *apic)
{
	u8 ppr = 0;

	vmm_inject_ppr(apic->isr, (u8)apic->r.tpr, &ppr);
	return ppr;
}

/* With apic->lock held: layer 15 says what the read returns. */
static u32 lapic_read(struct lamina_vcpu *vcpu, u32 off)
{
	struct lamina_lapic *apic = vcpu->lapic;
	u32 v = 0;

	switch (vmm_lapic_read(&apic->r, off, &v)) {
	case VMM_LAPIC_READ_VALUE:
		return v;
	case VMM_LAPIC_READ_PPR:
		return lapic_ppr(apic);
	case VMM_LAPIC_READ_ISR:
		return vec_word(apic->isr, v);
	case VMM_LAPIC_READ_TMR:
		return vec_word(apic->tmr, v);
	case VMM_LAPIC_READ_IRR:
		return vec_word(apic->irr, v);
	case VMM_LAPIC_READ_TMCCT:
		return lamina_lapic_timer_current(apic);
	default:
		return 0;
	}
}

/*
 * EOI (10.8.5): retire the highest in-service vector. 1 to go on, 0 when
 * userspace's IOAPIC must see it (vcpu->run filled in).
 */
static int lapic_eoi(struct lamina_vcpu *vcpu)
{
	struct lamina_lapic *apic = vcpu->lapic;
	bool level = false;
	u32 vector = 0;

	if (vmm_inject_eoi(apic->isr, &vector) != VMM_INJECT_OK)
		return 1;	/* nothing in service: ignored */
	if (vector < VMM_INJECT_NR_VECTORS)
		level = apic->tmr[vector / 64] & BIT_ULL(vector % 64);
	if (!level || !test_bit(vector, vcpu->vm->ioapic_eoi_vectors))
		return 1;
	vcpu->run->exit_reason = KVM_EXIT_IOAPIC_EOI;
	vcpu->run->eoi.vector = vector;
	return 0;
}

/*
 * With apic->lock held: layer 15 writes the registers, the module carries
 * out the rest. Returns 1 to go on, 0 for an exit to userspace; *ipi is
 * set when ICR low was written (sent after the lock is dropped).
 */
static int lapic_write(struct lamina_vcpu *vcpu, u32 off, u32 v, bool *ipi)
{
	struct lamina_lapic *apic = vcpu->lapic;
	/* Only an LVTT write asks; the CPUID lookup stays off the EOI path. */
	bool tsc = off == VMM_LAPIC_LVTT && lamina_cpuid_has_tsc_deadline(vcpu);

	switch (vmm_lapic_write(&apic->r, off, v, tsc)) {
	case VMM_LAPIC_WRITE_EOI:
		return lapic_eoi(vcpu);
	case VMM_LAPIC_WRITE_IPI:
		*ipi = true;
		break;
	case VMM_LAPIC_WRITE_TIMER_STOP:
		lamina_lapic_timer_stop(apic);
		break;
	case VMM_LAPIC_WRITE_TIMER_START:
		lamina_lapic_timer_tmict(apic);
		break;
	default:
		break;
	}
	return 1;
}

int lamina_lapic_mmio(struct lamina_vcpu *vcpu, u64 gpa,
		      const struct vmm_mmio_insn *insn, u32 mode)
{
	struct lamina_lapic *apic = vcpu->lapic;
	u32 off = gpa & (PAGE_SIZE - 1), v = 0;
	unsigned long flags;
	bool ipi = false;
	int ret = 1;

	/*
	 * 10.4.1: registers are 32 bits on 16-byte boundaries; anything
	 * else reads 0 and writes nothing (KVM logs and does the same).
	 */
	if ((off & 0xf) || insn->size != 4) {
		pr_info_ratelimited("lamina: vCPU %u: %u-byte APIC access at offset 0x%x ignored\n",
				    vcpu->id, insn->size, off);
	} else if (insn->dir == VMM_MMIO_WRITE) {
		spin_lock_irqsave(&apic->lock, flags);
		ret = lapic_write(vcpu, off, (u32)lamina_mmio_write_value(vcpu, insn),
				  &ipi);
		spin_unlock_irqrestore(&apic->lock, flags);
		/* An EOI or a TPR write may let a pending vector in. */
		lamina_irq_recheck(vcpu);
		if (ipi)
			lamina_lapic_send_ipi(vcpu, apic->r.icr_lo, apic->r.icr_hi);
	} else {
		spin_lock_irqsave(&apic->lock, flags);
		v = lapic_read(vcpu, off);
		spin_unlock_irqrestore(&apic->lock, flags);
	}
	if (insn->dir == VMM_MMIO_WRITE) {
		lamina_rip_advance(vcpu, insn->len, mode);
		return ret;
	}
	/* A read: finish it the way a userspace answer is finished. */
	lamina_mmio_finish_read(vcpu, insn, mode, v);
	return 1;
}

bool lamina_lapic_accept(struct lamina_vcpu *vcpu, u8 vector, bool level)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&apic->lock, flags);
	switch (vmm_lapic_accept(apic->r.svr, vector)) {
	case VMM_LAPIC_ACCEPT_ILLEGAL:
		apic->r.esr_pending |= VMM_LAPIC_ESR_RECVILL;
		break;
	case VMM_LAPIC_ACCEPT:
		apic->irr[vector / 64] |= BIT_ULL(vector % 64);
		if (level)
			apic->tmr[vector / 64] |= BIT_ULL(vector % 64);
		else
			apic->tmr[vector / 64] &= ~BIT_ULL(vector % 64);
		lamina_irq_recheck(vcpu);
		kick = true;
		break;
	default:
		break;	/* software-disabled: dropped */
	}
	spin_unlock_irqrestore(&apic->lock, flags);
	if (kick)
		lamina_vcpu_kick(vcpu);
	return kick;
}

void lamina_lapic_inject_state(struct lamina_vcpu *vcpu,
			       struct vmm_inject_state *s)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&apic->lock, flags);
	memcpy(s->irr, apic->irr, sizeof(s->irr));
	memcpy(s->isr, apic->isr, sizeof(s->isr));
	s->tpr = (u8)apic->r.tpr;
	spin_unlock_irqrestore(&apic->lock, flags);
}

void lamina_lapic_ack(struct lamina_vcpu *vcpu, u32 vector)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;

	spin_lock_irqsave(&apic->lock, flags);
	vmm_inject_ack(apic->irr, apic->isr, vector);
	spin_unlock_irqrestore(&apic->lock, flags);
}

/* With apic->lock held, timer stopped. */
static void lapic_reset_locked(struct lamina_vcpu *vcpu)
{
	struct lamina_lapic *apic = vcpu->lapic;

	memset(apic->irr, 0, sizeof(apic->irr));
	memset(apic->isr, 0, sizeof(apic->isr));
	memset(apic->tmr, 0, sizeof(apic->tmr));
	/* KVM's APIC ID is the vCPU id (and so is CPUID.1:EBX[31:24]). */
	vmm_lapic_reset(&apic->r, vcpu->id);
	apic->tsc_deadline = 0;
	apic->armed = false;
	lamina_irq_recheck(vcpu);
}

void lamina_lapic_reset(struct lamina_vcpu *vcpu)
{
	unsigned long flags;

	hrtimer_cancel(&vcpu->lapic->timer);
	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	lapic_reset_locked(vcpu);
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
}

int lamina_lapic_create(struct lamina_vcpu *vcpu)
{
	struct lamina_lapic *apic;

	apic = kzalloc(sizeof(*apic), GFP_KERNEL_ACCOUNT);
	if (!apic)
		return -ENOMEM;
	apic->vcpu = vcpu;
	spin_lock_init(&apic->lock);
	lamina_lapic_timer_init(apic);
	vcpu->lapic = apic;
	lapic_reset_locked(vcpu);
	return 0;
}

void lamina_lapic_free(struct lamina_vcpu *vcpu)
{
	if (!vcpu->lapic)
		return;
	hrtimer_cancel(&vcpu->lapic->timer);
	kfree(vcpu->lapic);
	vcpu->lapic = NULL;
}
