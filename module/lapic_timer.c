// SPDX-License-Identifier: GPL-2.0-only
/*
 * The LAPIC timer (SDM vol. 3A 10.5.4): one hrtimer per vCPU, in
 * one-shot, periodic or TSC-deadline mode (LVTT bits 18:17). The APIC bus
 * runs at 1 GHz as in KVM, so a count of N with divisor D lasts N*D ns.
 * Expiry sets the LVTT vector in the IRR from hardirq context and kicks
 * the vCPU (lamina_vcpu_kick), which may be in the guest on another CPU
 * or halted. The mode, the divisor, the count in ns, the current count,
 * whether an expiry fires and what it does next are libvmm's (layer 15);
 * this file holds the hrtimer and the guest's TSC.
 */
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <asm/msr-index.h>
#include <asm/tsc.h>

#include "backend.h"
#include "cpuid.h"
#include "irq.h"
#include "lamina.h"
#include "lapic.h"
#include "wake.h"

/* LVTT bits 18:17, by layer 15. */
static u32 timer_mode(const struct lamina_lapic *apic)
{
	return vmm_lapic_timer_mode(apic->r.lvt[VMM_LAPIC_LVT_TIMER]);
}

/* With apic->lock held: the LVTT vector into the IRR, if layer 15 says. */
static bool timer_fire(struct lamina_lapic *apic)
{
	u32 lvt = apic->r.lvt[VMM_LAPIC_LVT_TIMER];
	u32 v = lvt & VMM_LAPIC_LVT_VECTOR;

	if (!vmm_lapic_timer_fires(lvt))
		return false;
	apic->irr[v / 64] |= BIT_ULL(v % 64);
	apic->tmr[v / 64] &= ~BIT_ULL(v % 64);
	lamina_irq_recheck(apic->vcpu);
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
	switch (vmm_lapic_timer_expiry(apic->r.lvt[VMM_LAPIC_LVT_TIMER],
				       apic->period)) {
	case VMM_LAPIC_EXPIRY_RELOAD:
		apic->deadline = ktime_add(apic->deadline, apic->period);
		hrtimer_forward_now(t, apic->period);
		ret = HRTIMER_RESTART;
		break;
	case VMM_LAPIC_EXPIRY_STOP_TSC:
		apic->tsc_deadline = 0;
		fallthrough;
	default:
		apic->armed = false;
		break;
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

void lamina_lapic_timer_stop(struct lamina_lapic *apic)
{
	/* A mode change stops the timer and clears its counts (KVM too). */
	timer_stop(apic);
	apic->period = 0;
	apic->tsc_deadline = 0;
}

void lamina_lapic_timer_tmict(struct lamina_lapic *apic)
{
	u64 ns, period;

	timer_stop(apic);
	apic->period = 0;
	if (!vmm_lapic_timer_start(&apic->r, &ns, &period))
		return;
	apic->period = period;
	timer_arm(apic, ktime_add_ns(ktime_get(), ns));
}

u32 lamina_lapic_timer_current(struct lamina_lapic *apic)
{
	/* Monotonic time is never negative: the u64 casts keep the order. */
	return vmm_lapic_timer_current(&apic->r, apic->armed,
				       (u64)ktime_to_ns(ktime_get()),
				       (u64)ktime_to_ns(apic->deadline),
				       (u64)apic->period);
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
	if (timer_mode(apic) != VMM_LAPIC_TIMER_TSC_DEADLINE)
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
	if (timer_mode(apic) == VMM_LAPIC_TIMER_TSC_DEADLINE)
		v = apic->tsc_deadline;
	spin_unlock_irqrestore(&apic->lock, flags);
	return v;
}
