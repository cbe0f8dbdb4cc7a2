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
#include <libvmm/mmio.h>

#include "cpuid.h"
#include "lamina.h"
#include "lapic.h"
#include "wake.h"

/* KVM's version register: version 0x14, LVT entries 0..5. */
#define LAPIC_VERSION (0x14U | ((LAMINA_LVT_NUM - 1U) << 16))
/* SVR: vector, APIC software enable, focus disable (no EOI broadcast). */
#define LAPIC_SVR_MASK 0x3ffU
#define LAPIC_SVR_RESET 0xffU
/* Writable bits of each LVT, with the mask bit (16). */
#define LVT_MASKED APIC_LVT_MASKED
#define LVT_VECTOR 0xffU
static const u32 lvt_writable[LAMINA_LVT_NUM] = {
	[LAMINA_LVT_TIMER] = LVT_VECTOR | LVT_MASKED | (3U << 17),
	[LAMINA_LVT_THERMAL] = LVT_VECTOR | LVT_MASKED | (7U << 8),
	[LAMINA_LVT_PERF] = LVT_VECTOR | LVT_MASKED | (7U << 8),
	[LAMINA_LVT_LINT0] = LVT_VECTOR | LVT_MASKED | (7U << 8) |
			     APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER,
	[LAMINA_LVT_LINT1] = LVT_VECTOR | LVT_MASKED | (7U << 8) |
			     APIC_INPUT_POLARITY | APIC_LVT_LEVEL_TRIGGER,
	[LAMINA_LVT_ERROR] = LVT_VECTOR | LVT_MASKED,
};

static bool lapic_sw_enabled(const struct lamina_lapic *apic)
{
	return apic->svr & APIC_SPIV_APIC_ENABLED;
}

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

	vmm_inject_ppr(apic->isr, (u8)apic->tpr, &ppr);
	return ppr;
}

/* With apic->lock held. */
static u32 lapic_read(struct lamina_vcpu *vcpu, u32 off)
{
	struct lamina_lapic *apic = vcpu->lapic;

	switch (off) {
	case APIC_ID:
		return apic->id;
	case APIC_LVR:
		return LAPIC_VERSION;
	case APIC_TASKPRI:
		return apic->tpr;
	case APIC_PROCPRI:
		return lapic_ppr(apic);
	case APIC_LDR:
		return apic->ldr;
	case APIC_DFR:
		return apic->dfr;
	case APIC_SPIV:
		return apic->svr;
	case APIC_ISR ... APIC_ISR + 0x70:
		return vec_word(apic->isr, (off - APIC_ISR) >> 4);
	case APIC_TMR ... APIC_TMR + 0x70:
		return vec_word(apic->tmr, (off - APIC_TMR) >> 4);
	case APIC_IRR ... APIC_IRR + 0x70:
		return vec_word(apic->irr, (off - APIC_IRR) >> 4);
	case APIC_ESR:
		return apic->esr;
	case APIC_ICR:
		/* Delivery is immediate: the status bit (12) reads idle. */
		return apic->icr_lo & ~APIC_ICR_BUSY;
	case APIC_ICR2:
		return apic->icr_hi;
	case APIC_LVTT ... APIC_LVTERR:
		return apic->lvt[(off - APIC_LVTT) >> 4];
	case APIC_TMICT:
		return apic->tmict;
	case APIC_TMCCT:
		return lamina_lapic_timer_current(apic);
	case APIC_TDCR:
		return apic->tdcr;
	default:
		/* APR, EOI, RRR, CMCI and reserved offsets read 0. */
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

static void lapic_write_svr(struct lamina_lapic *apic, u32 v)
{
	int i;

	apic->svr = v & LAPIC_SVR_MASK;
	/* 10.4.7.2: software-disabled, every LVT is masked. */
	if (!lapic_sw_enabled(apic))
		for (i = 0; i < LAMINA_LVT_NUM; i++)
			apic->lvt[i] |= LVT_MASKED;
}

static void lapic_write_lvt(struct lamina_vcpu *vcpu, unsigned int i, u32 v)
{
	struct lamina_lapic *apic = vcpu->lapic;

	u32 old = apic->lvt[i];

	v &= lvt_writable[i];
	if (!lapic_sw_enabled(apic))
		v |= LVT_MASKED;
	/*
	 * Timer mode 11 is reserved, and 10 (TSC deadline) exists only if
	 * the guest's CPUID has it: both read back as their low bit.
	 */
	if (i == LAMINA_LVT_TIMER && (v & (2U << 17)) &&
	    (((v >> 17) & 3) == 3 || !lamina_cpuid_has_tsc_deadline(vcpu)))
		v &= ~(2U << 17);
	apic->lvt[i] = v;
	if (i == LAMINA_LVT_TIMER)
		lamina_lapic_timer_lvtt(apic, old);
}

/*
 * With apic->lock held. Returns 1 to go on, 0 for an exit to userspace;
 * *ipi is set when ICR low was written (sent after the lock is dropped).
 */
static int lapic_write(struct lamina_vcpu *vcpu, u32 off, u32 v, bool *ipi)
{
	struct lamina_lapic *apic = vcpu->lapic;

	switch (off) {
	case APIC_ID:
		apic->id = v & 0xff000000U;
		break;
	case APIC_TASKPRI:
		apic->tpr = v & 0xff;
		break;
	case APIC_EOI:
		return lapic_eoi(vcpu);
	case APIC_LDR:
		apic->ldr = v & 0xff000000U;
		break;
	case APIC_DFR:
		apic->dfr = v | 0x0fffffffU;
		break;
	case APIC_SPIV:
		lapic_write_svr(apic, v);
		break;
	case APIC_ESR:
		/* 10.5.3: a write latches the errors seen since the last. */
		apic->esr = apic->esr_pending;
		apic->esr_pending = 0;
		break;
	case APIC_ICR:
		apic->icr_lo = v & ~APIC_ICR_BUSY;
		*ipi = true;
		break;
	case APIC_ICR2:
		apic->icr_hi = v & 0xff000000U;
		break;
	case APIC_LVTT ... APIC_LVTERR:
		lapic_write_lvt(vcpu, (off - APIC_LVTT) >> 4, v);
		break;
	case APIC_TMICT:
		apic->tmict = v;
		lamina_lapic_timer_tmict(apic);
		break;
	case APIC_TDCR:
		apic->tdcr = v & 0xb;
		lamina_lapic_timer_tdcr(apic);
		break;
	default:
		/* Read-only and reserved registers: writes are ignored. */
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
		if (ipi)
			lamina_lapic_send_ipi(vcpu, apic->icr_lo, apic->icr_hi);
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
	if (vector < VMM_INJECT_FIRST_VECTOR) {
		/* 10.5.3: "Received Illegal Vector". */
		apic->esr_pending |= APIC_ESR_RECVILL;
	} else if (lapic_sw_enabled(apic)) {
		apic->irr[vector / 64] |= BIT_ULL(vector % 64);
		if (level)
			apic->tmr[vector / 64] |= BIT_ULL(vector % 64);
		else
			apic->tmr[vector / 64] &= ~BIT_ULL(vector % 64);
		kick = true;
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
	s->tpr = (u8)apic->tpr;
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
	int i;

	memset(apic->irr, 0, sizeof(apic->irr));
	memset(apic->isr, 0, sizeof(apic->isr));
	memset(apic->tmr, 0, sizeof(apic->tmr));
	/* KVM's APIC ID is the vCPU id (and so is CPUID.1:EBX[31:24]). */
	apic->id = vcpu->id << 24;
	apic->tpr = 0;
	apic->ldr = 0;
	apic->dfr = 0xffffffffU;
	apic->svr = LAPIC_SVR_RESET;
	apic->esr = 0;
	apic->esr_pending = 0;
	apic->icr_lo = 0;
	apic->icr_hi = 0;
	for (i = 0; i < LAMINA_LVT_NUM; i++)
		apic->lvt[i] = LVT_MASKED;
	apic->tmict = 0;
	apic->tdcr = 0;
	apic->divide = 2;
	apic->tsc_deadline = 0;
	apic->armed = false;
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
