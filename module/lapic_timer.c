// SPDX-License-Identifier: GPL-2.0-only
/*
 * The LAPIC timer (SDM vol. 3A 10.5.4): one hrtimer per vCPU, in
 * one-shot, periodic or TSC-deadline mode (LVTT bits 18:17). The APIC bus
 * runs at 1 GHz as in KVM, so a count of N with divisor D lasts N*D ns.
 * Expiry sets the LVTT vector in the IRR from hardirq context and kicks
 * the vCPU (lamina_vcpu_kick), which may be in the guest on another CPU
 * or halted.
 */
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <asm/apicdef.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "backend.h"
#include "cpuid.h"
#include "lamina.h"
#include "lapic.h"
#include "wake.h"

#define TIMER_ONESHOT 0U
#define TIMER_PERIODIC 1U
#define TIMER_TSC_DEADLINE 2U
/*
 * The shortest period a periodic timer gets (KVM's min_timer_period_us):
 * a guest asking for a 1 ns period would otherwise keep a host CPU in
 * the timer interrupt.
 */
#define TIMER_MIN_PERIOD_NS (200 * NSEC_PER_USEC)

static u32 timer_mode(const struct lamina_lapic *apic)
{
	return (apic->lvt[LAMINA_LVT_TIMER] >> 17) & 3;
}

/* TDCR bits 0, 1, 3 (10.5.4 figure 10-10): 2, 4, ... 128, then 1. */
static u32 timer_divisor(u32 tdcr)
{
	u32 v = (tdcr & 3) | ((tdcr & 8) >> 1);

	return v == 7 ? 1 : 2U << v;
}

/* With apic->lock held: the LVTT vector into the IRR, if not masked. */
static bool timer_fire(struct lamina_lapic *apic)
{
	u32 lvt = apic->lvt[LAMINA_LVT_TIMER];
	u32 v = lvt & 0xff;

	if ((lvt & APIC_LVT_MASKED) || v < VMM_INJECT_FIRST_VECTOR)
		return false;
	apic->irr[v / 64] |= BIT_ULL(v % 64);
	apic->tmr[v / 64] &= ~BIT_ULL(v % 64);
	return true;
}

static enum hrtimer_restart timer_expired(struct hrtimer *t)
{
	struct lamina_lapic *apic = container_of(t, struct lamina_lapic, timer);
	enum hrtimer_restart ret = HRTIMER_NORESTART;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&apic->lock, flags);
	/* Re-armed or stopped since this expiry was queued: nothing. */
	if (!apic->armed || ktime_before(ktime_get(), apic->deadline))
		goto out;
	kick = timer_fire(apic);
	if (timer_mode(apic) == TIMER_PERIODIC && apic->period) {
		apic->deadline = ktime_add(apic->deadline, apic->period);
		hrtimer_forward_now(t, apic->period);
		ret = HRTIMER_RESTART;
	} else {
		apic->armed = false;
		if (timer_mode(apic) == TIMER_TSC_DEADLINE)
			apic->tsc_deadline = 0;
	}
out:
	spin_unlock_irqrestore(&apic->lock, flags);
	if (kick)
		lamina_vcpu_kick(apic->vcpu);
	return ret;
}

void lamina_lapic_timer_init(struct lamina_lapic *apic)
{
	hrtimer_init(&apic->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	apic->timer.function = timer_expired;
}

/* With apic->lock held. */
static void timer_arm(struct lamina_lapic *apic, ktime_t deadline)
{
	apic->deadline = deadline;
	apic->armed = true;
	hrtimer_start(&apic->timer, deadline, HRTIMER_MODE_ABS_HARD);
}

/* With apic->lock held; a callback already running sees !armed. */
static void timer_stop(struct lamina_lapic *apic)
{
	apic->armed = false;
	hrtimer_try_to_cancel(&apic->timer);
}

void lamina_lapic_timer_lvtt(struct lamina_lapic *apic, u32 old)
{
	/* A mode change stops the timer and clears its counts (KVM too). */
	if (((old >> 17) & 3) == timer_mode(apic))
		return;
	timer_stop(apic);
	apic->tmict = 0;
	apic->period = 0;
	apic->tsc_deadline = 0;
}

void lamina_lapic_timer_tdcr(struct lamina_lapic *apic)
{
	/* Takes effect at the next TMICT write. */
	apic->divide = timer_divisor(apic->tdcr);
}

void lamina_lapic_timer_tmict(struct lamina_lapic *apic)
{
	u64 ns;

	/* 10.5.4.1: TSC-deadline mode ignores TMICT writes. */
	if (timer_mode(apic) == TIMER_TSC_DEADLINE) {
		apic->tmict = 0;
		return;
	}
	timer_stop(apic);
	apic->period = 0;
	if (!apic->tmict)
		return;
	ns = (u64)apic->tmict * apic->divide;
	if (timer_mode(apic) == TIMER_PERIODIC) {
		ns = max_t(u64, ns, TIMER_MIN_PERIOD_NS);
		apic->period = ns;
	}
	timer_arm(apic, ktime_add_ns(ktime_get(), ns));
}

u32 lamina_lapic_timer_current(struct lamina_lapic *apic)
{
	s64 left;

	if (!apic->armed || timer_mode(apic) == TIMER_TSC_DEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(apic->deadline, ktime_get()));
	/*
	 * A periodic count reloads at every expiry (10.5.4), also at one
	 * whose callback has not run yet: it never reads 0 while armed.
	 */
	if (left <= 0 && timer_mode(apic) == TIMER_PERIODIC && apic->period) {
		u64 late;

		div64_u64_rem((u64)-left, apic->period, &late);
		left = apic->period - late;
	}
	if (left <= 0)
		return 0;
	return (u32)min_t(u64, div_u64(left, apic->divide), apic->tmict);
}

/* The guest's TSC now: the host's plus the vCPU's offset. */
static u64 guest_tsc(struct lamina_vcpu *vcpu)
{
	u64 off = 0;

	lamina_backend->get_msr(vcpu, MSR_IA32_TSC, &off);
	return rdtsc() + off;
}

int lamina_lapic_set_tsc_deadline(struct lamina_vcpu *vcpu, u64 v)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;
	bool kick = false;
	u64 now, ns;

	if (!apic || !lamina_cpuid_has_tsc_deadline(vcpu))
		return 1;
	now = guest_tsc(vcpu);
	ns = v > now && tsc_khz ?
		mul_u64_u32_div(v - now, NSEC_PER_MSEC, tsc_khz) : 0;
	spin_lock_irqsave(&apic->lock, flags);
	/* 10.5.4.1: other modes ignore the write. */
	if (timer_mode(apic) != TIMER_TSC_DEADLINE)
		goto out;
	timer_stop(apic);
	apic->tsc_deadline = v;
	if (!v)
		goto out;
	if (!ns) {
		/* Already passed: fires now, and the MSR reads 0 again. */
		kick = timer_fire(apic);
		apic->tsc_deadline = 0;
	} else {
		timer_arm(apic, ktime_add_ns(ktime_get(), ns));
	}
out:
	spin_unlock_irqrestore(&apic->lock, flags);
	if (kick)
		lamina_vcpu_kick(vcpu);
	return 0;
}

u64 lamina_lapic_get_tsc_deadline(struct lamina_vcpu *vcpu)
{
	struct lamina_lapic *apic = vcpu->lapic;
	unsigned long flags;
	u64 v = 0;

	if (!apic)
		return 0;
	spin_lock_irqsave(&apic->lock, flags);
	if (timer_mode(apic) == TIMER_TSC_DEADLINE)
		v = apic->tsc_deadline;
	spin_unlock_irqrestore(&apic->lock, flags);
	return v;
}
