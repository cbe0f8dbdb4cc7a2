// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 15: the in-kernel LAPIC's decisions.  Rules and contracts:
 * lapic.h; model: acsl-specs/lapic.acsl.
 *
 * Shape: each decision is an if/else-if chain over the offset or mode, in
 * the order of the model's; offsets are tested with % 16 and comparisons.
 */
#include <libvmm/lapic.h>

void vmm_lapic_reset(struct vmm_lapic_regs *r, vmm_u32 apic_id)
{
	vmm_u32 i;

	if (r != VMM_NULL) {
		r->id = (apic_id % 256U) * 0x1000000U;
		r->tpr = 0U;
		r->ldr = 0U;
		r->dfr = VMM_LAPIC_DFR_RESET;
		r->svr = VMM_LAPIC_SVR_RESET;
		r->esr = 0U;
		r->esr_pending = 0U;
		r->icr_lo = 0U;
		r->icr_hi = 0U;
		r->tmict = 0U;
		r->tdcr = 0U;
		/*@ loop invariant 0 <= i <= VMM_LAPIC_LVT_NUM;
		  @ loop invariant \forall integer j; 0 <= j < i ==>
		  @   r->lvt[j] == VMM_LAPIC_LVT_MASKED;
		  @ loop invariant r->id == (apic_id % 256) * 0x1000000 &&
		  @   r->tpr == 0 && r->ldr == 0 && r->dfr == VMM_LAPIC_DFR_RESET &&
		  @   r->svr == VMM_LAPIC_SVR_RESET && r->esr == 0 &&
		  @   r->esr_pending == 0 && r->icr_lo == 0 && r->icr_hi == 0 &&
		  @   r->tmict == 0 && r->tdcr == 0;
		  @ loop assigns i, r->lvt[0 .. VMM_LAPIC_LVT_NUM - 1];
		  @ loop variant VMM_LAPIC_LVT_NUM - i;
		  @*/
		for (i = 0U; i < VMM_LAPIC_LVT_NUM; i++)
			r->lvt[i] = VMM_LAPIC_LVT_MASKED;
	}
}

enum vmm_lapic_read_kind vmm_lapic_read(const struct vmm_lapic_regs *r,
					vmm_u32 off, vmm_u32 *val)
{
	enum vmm_lapic_read_kind kind = VMM_LAPIC_READ_VALUE;
	vmm_u32 v = 0U;

	if (r == VMM_NULL) {
		kind = VMM_LAPIC_READ_ERR_NULL;
	} else if ((off % 16U) != 0U) {
		v = 0U;
	} else if (off == VMM_LAPIC_PPR) {
		kind = VMM_LAPIC_READ_PPR;
	} else if ((off >= VMM_LAPIC_ISR) && (off <= VMM_LAPIC_ISR + 0x70U)) {
		kind = VMM_LAPIC_READ_ISR;
		v = (off - VMM_LAPIC_ISR) / 16U;
	} else if ((off >= VMM_LAPIC_TMR) && (off <= VMM_LAPIC_TMR + 0x70U)) {
		kind = VMM_LAPIC_READ_TMR;
		v = (off - VMM_LAPIC_TMR) / 16U;
	} else if ((off >= VMM_LAPIC_IRR) && (off <= VMM_LAPIC_IRR + 0x70U)) {
		kind = VMM_LAPIC_READ_IRR;
		v = (off - VMM_LAPIC_IRR) / 16U;
	} else if (off == VMM_LAPIC_TMCCT) {
		kind = VMM_LAPIC_READ_TMCCT;
	} else if (off == VMM_LAPIC_ID) {
		v = r->id;
	} else if (off == VMM_LAPIC_LVR) {
		v = VMM_LAPIC_VERSION;
	} else if (off == VMM_LAPIC_TPR) {
		v = r->tpr;
	} else if (off == VMM_LAPIC_LDR) {
		v = r->ldr;
	} else if (off == VMM_LAPIC_DFR) {
		v = r->dfr;
	} else if (off == VMM_LAPIC_SVR) {
		v = r->svr;
	} else if (off == VMM_LAPIC_ESR) {
		v = r->esr;
	} else if (off == VMM_LAPIC_ICR) {
		v = r->icr_lo & VMM_LAPIC_NOT_ICR_BUSY;
	} else if (off == VMM_LAPIC_ICR2) {
		v = r->icr_hi;
	} else if ((off >= VMM_LAPIC_LVTT) && (off <= VMM_LAPIC_LVTERR)) {
		v = r->lvt[(off - VMM_LAPIC_LVTT) / 16U];
	} else if (off == VMM_LAPIC_TMICT) {
		v = r->tmict;
	} else if (off == VMM_LAPIC_TDCR) {
		v = r->tdcr;
	} else {
		/* APR, EOI, RRR, CMCI and reserved offsets read 0. */
		v = 0U;
	}
	*val = v;
	return kind;
}

vmm_u32 vmm_lapic_timer_mode(vmm_u32 lvtt)
{
	return (lvtt >> 17) & 3U;
}

vmm_u32 vmm_lapic_timer_divisor(vmm_u32 tdcr)
{
	vmm_u32 code = (tdcr % 4U) + (((tdcr & 8U) != 0U) ? 4U : 0U);
	vmm_u32 d = 1U;

	if (code == 0U)
		d = 2U;
	else if (code == 1U)
		d = 4U;
	else if (code == 2U)
		d = 8U;
	else if (code == 3U)
		d = 16U;
	else if (code == 4U)
		d = 32U;
	else if (code == 5U)
		d = 64U;
	else if (code == 6U)
		d = 128U;
	return d;
}

/* The bits a write of LVT @j keeps. */
/*@ requires j < VMM_LAPIC_LVT_NUM;
  @ assigns \nothing;
  @ ensures \result == lapic_lvt_writable(j);
  @*/
static vmm_u32 lapic_lvt_writable(vmm_u32 j)
{
	vmm_u32 w = VMM_LAPIC_LVT_VECTOR | VMM_LAPIC_LVT_MASKED;

	if (j == VMM_LAPIC_LVT_TIMER) {
		w = VMM_LAPIC_LVT_VECTOR | VMM_LAPIC_LVT_MASKED |
		    VMM_LAPIC_LVT_TIMER_MODE;
	} else if ((j == VMM_LAPIC_LVT_THERMAL) || (j == VMM_LAPIC_LVT_PERF)) {
		w = VMM_LAPIC_LVT_VECTOR | VMM_LAPIC_LVT_MASKED |
		    VMM_LAPIC_LVT_DM;
	} else if ((j == VMM_LAPIC_LVT_LINT0) || (j == VMM_LAPIC_LVT_LINT1)) {
		w = VMM_LAPIC_LVT_VECTOR | VMM_LAPIC_LVT_MASKED |
		    VMM_LAPIC_LVT_DM | VMM_LAPIC_LVT_POLARITY |
		    VMM_LAPIC_LVT_LEVEL;
	}
	return w;
}

/* LVT @j's value after a write of @v, with SVR @svr. */
/*@ requires j < VMM_LAPIC_LVT_NUM;
  @ assigns \nothing;
  @ ensures \result == lapic_lvt_value(j, v, svr, tsc);
  @*/
static vmm_u32 lapic_lvt_value(vmm_u32 j, vmm_u32 v, vmm_u32 svr,
			       vmm_bool tsc)
{
	vmm_u32 w = v & lapic_lvt_writable(j);

	/* 10.4.7.2: software-disabled, every LVT stays masked. */
	if ((svr & VMM_LAPIC_SVR_ENABLE) == 0U)
		w = w | VMM_LAPIC_LVT_MASKED;
	if ((j == VMM_LAPIC_LVT_TIMER) && ((w & VMM_LAPIC_LVT_TSC_BIT) != 0U) &&
	    ((vmm_lapic_timer_mode(w) == 3U) || (tsc == 0)))
		w = w & VMM_LAPIC_NOT_LVT_TSC_BIT;
	return w;
}

/* SVR = @v; software disable masks every LVT (10.4.7.2). */
/*@ requires \valid(r);
  @ assigns r->svr, r->lvt[0 .. VMM_LAPIC_LVT_NUM - 1];
  @ ensures r->svr == (v & VMM_LAPIC_SVR_MASK);
  @ ensures \forall integer j; 0 <= j < VMM_LAPIC_LVT_NUM ==>
  @   r->lvt[j] == ((v & VMM_LAPIC_SVR_MASK & VMM_LAPIC_SVR_ENABLE) == 0 ?
  @                 (\old(r->lvt[j]) | VMM_LAPIC_LVT_MASKED) :
  @                 \old(r->lvt[j]));
  @*/
static void lapic_write_svr(struct vmm_lapic_regs *r, vmm_u32 v)
{
	vmm_u32 i;

	r->svr = v & VMM_LAPIC_SVR_MASK;
	if ((v & VMM_LAPIC_SVR_MASK & VMM_LAPIC_SVR_ENABLE) == 0U) {
		/*@ loop invariant 0 <= i <= VMM_LAPIC_LVT_NUM;
		  @ loop invariant r->svr == (v & VMM_LAPIC_SVR_MASK);
		  @ loop invariant \forall integer j; 0 <= j < i ==>
		  @   r->lvt[j] == (\at(r->lvt[j], Pre) | VMM_LAPIC_LVT_MASKED);
		  @ loop invariant \forall integer j;
		  @   i <= j < VMM_LAPIC_LVT_NUM ==>
		  @   r->lvt[j] == \at(r->lvt[j], Pre);
		  @ loop assigns i, r->lvt[0 .. VMM_LAPIC_LVT_NUM - 1];
		  @ loop variant VMM_LAPIC_LVT_NUM - i;
		  @*/
		for (i = 0U; i < VMM_LAPIC_LVT_NUM; i++)
			r->lvt[i] = r->lvt[i] | VMM_LAPIC_LVT_MASKED;
	}
}

enum vmm_lapic_write_action vmm_lapic_write(struct vmm_lapic_regs *r,
					    vmm_u32 off, vmm_u32 v,
					    vmm_bool tsc_deadline)
{
	enum vmm_lapic_write_action act = VMM_LAPIC_WRITE_DONE;
	vmm_u32 j;
	vmm_u32 lvt;

	if (r == VMM_NULL) {
		act = VMM_LAPIC_WRITE_ERR_NULL;
	} else if ((off % 16U) != 0U) {
		act = VMM_LAPIC_WRITE_DONE;
	} else if (off == VMM_LAPIC_ID) {
		r->id = v & VMM_LAPIC_ID_MASK;
	} else if (off == VMM_LAPIC_TPR) {
		r->tpr = v & VMM_LAPIC_TPR_MASK;
	} else if (off == VMM_LAPIC_EOI) {
		act = VMM_LAPIC_WRITE_EOI;
	} else if (off == VMM_LAPIC_LDR) {
		r->ldr = v & VMM_LAPIC_ID_MASK;
	} else if (off == VMM_LAPIC_DFR) {
		r->dfr = v | VMM_LAPIC_DFR_ONES;
	} else if (off == VMM_LAPIC_SVR) {
		lapic_write_svr(r, v);
	} else if (off == VMM_LAPIC_ESR) {
		/* 10.5.3: a write latches the errors seen since the last. */
		r->esr = r->esr_pending;
		r->esr_pending = 0U;
	} else if (off == VMM_LAPIC_ICR) {
		r->icr_lo = v & VMM_LAPIC_NOT_ICR_BUSY;
		act = VMM_LAPIC_WRITE_IPI;
	} else if (off == VMM_LAPIC_ICR2) {
		r->icr_hi = v & VMM_LAPIC_ID_MASK;
	} else if ((off >= VMM_LAPIC_LVTT) && (off <= VMM_LAPIC_LVTERR)) {
		j = (off - VMM_LAPIC_LVTT) / 16U;
		lvt = lapic_lvt_value(j, v, r->svr, tsc_deadline);
		/* A mode change stops the timer and clears its count (KVM). */
		if ((j == VMM_LAPIC_LVT_TIMER) &&
		    (vmm_lapic_timer_mode(lvt) !=
		     vmm_lapic_timer_mode(r->lvt[VMM_LAPIC_LVT_TIMER]))) {
			r->tmict = 0U;
			act = VMM_LAPIC_WRITE_TIMER_STOP;
		}
		r->lvt[j] = lvt;
	} else if (off == VMM_LAPIC_TMICT) {
		/* 10.5.4.1: TSC-deadline mode ignores TMICT writes. */
		if (vmm_lapic_timer_mode(r->lvt[VMM_LAPIC_LVT_TIMER]) ==
		    VMM_LAPIC_TIMER_TSC_DEADLINE) {
			r->tmict = 0U;
		} else {
			r->tmict = v;
			act = VMM_LAPIC_WRITE_TIMER_START;
		}
	} else if (off == VMM_LAPIC_TDCR) {
		/* Takes effect at the next TMICT write. */
		r->tdcr = v & VMM_LAPIC_TDCR_MASK;
	}
	/* Read-only and reserved registers: writes are ignored. */
	return act;
}

vmm_bool vmm_lapic_timer_start(const struct vmm_lapic_regs *r, vmm_u64 *ns,
			       vmm_u64 *period)
{
	vmm_bool arm = VMM_FALSE;
	vmm_u64 n = 0ULL;
	vmm_u64 p = 0ULL;

	if ((r != VMM_NULL) && (r->tmict != 0U)) {
		arm = VMM_TRUE;
		/* 1 GHz bus: N counts at divisor D last N * D ns (< 2^39). */
		n = (vmm_u64)r->tmict * (vmm_u64)vmm_lapic_timer_divisor(r->tdcr);
		if (vmm_lapic_timer_mode(r->lvt[VMM_LAPIC_LVT_TIMER]) ==
		    VMM_LAPIC_TIMER_PERIODIC) {
			if (n < VMM_LAPIC_MIN_PERIOD_NS)
				n = VMM_LAPIC_MIN_PERIOD_NS;
			p = n;
		}
	}
	*ns = n;
	*period = p;
	return arm;
}

vmm_u32 vmm_lapic_timer_current(const struct vmm_lapic_regs *r,
				vmm_bool armed, vmm_u64 now,
				vmm_u64 deadline, vmm_u64 period)
{
	vmm_u64 left = 0ULL;
	vmm_u64 count;
	vmm_u32 mode;
	vmm_u32 cur = 0U;

	if ((r != VMM_NULL) && (armed != 0)) {
		mode = vmm_lapic_timer_mode(r->lvt[VMM_LAPIC_LVT_TIMER]);
		if (mode != VMM_LAPIC_TIMER_TSC_DEADLINE) {
			if (now < deadline) {
				left = deadline - now;
			} else if ((mode == VMM_LAPIC_TIMER_PERIODIC) &&
				   (period != 0ULL)) {
				/* A periodic count reloads at every expiry. */
				left = period - ((now - deadline) % period);
			}
			count = left / (vmm_u64)vmm_lapic_timer_divisor(r->tdcr);
			cur = r->tmict;
			if (count < (vmm_u64)r->tmict)
				cur = (vmm_u32)count;
		}
	}
	return cur;
}

vmm_bool vmm_lapic_timer_fires(vmm_u32 lvtt)
{
	vmm_bool fires = VMM_FALSE;

	if (((lvtt & VMM_LAPIC_LVT_MASKED) == 0U) &&
	    ((lvtt & VMM_LAPIC_LVT_VECTOR) >= VMM_INJECT_FIRST_VECTOR))
		fires = VMM_TRUE;
	return fires;
}

enum vmm_lapic_expiry vmm_lapic_timer_expiry(vmm_u32 lvtt, vmm_u64 period)
{
	enum vmm_lapic_expiry e = VMM_LAPIC_EXPIRY_STOP;
	vmm_u32 mode = vmm_lapic_timer_mode(lvtt);

	if ((mode == VMM_LAPIC_TIMER_PERIODIC) && (period != 0ULL))
		e = VMM_LAPIC_EXPIRY_RELOAD;
	else if (mode == VMM_LAPIC_TIMER_TSC_DEADLINE)
		e = VMM_LAPIC_EXPIRY_STOP_TSC;
	return e;
}

enum vmm_lapic_accept vmm_lapic_accept(vmm_u32 svr, vmm_u32 vector)
{
	enum vmm_lapic_accept a = VMM_LAPIC_ACCEPT;

	if (vector < VMM_INJECT_FIRST_VECTOR)
		a = VMM_LAPIC_ACCEPT_ILLEGAL;	/* 10.5.3 */
	else if ((svr & VMM_LAPIC_SVR_ENABLE) == 0U)
		a = VMM_LAPIC_ACCEPT_DISABLED;
	return a;
}

void vmm_lapic_icr_decode(vmm_u32 lo, vmm_u32 hi, struct vmm_lapic_msg *m)
{
	if (m != VMM_NULL) {
		m->shorthand = (lo >> 18) & 3U;
		m->dest = hi >> 24;
		m->mode = (lo >> 8) & 7U;
		m->vector = lo & 0xFFU;
		m->logical = ((lo & VMM_LAPIC_ICR_LOGICAL) != 0U) ? 1 : 0;
		m->level = ((lo & VMM_LAPIC_ICR_LEVEL) != 0U) ? 1 : 0;
		m->assert = ((lo & VMM_LAPIC_ICR_ASSERT) != 0U) ? 1 : 0;
	}
}

/* 10.6.2: does a LAPIC with @id, @ldr, @dfr answer to @dest? */
/*@ assigns \nothing;
  @ ensures LAPIC_MATCH_BCAST(\result != 0, dest);
  @ ensures LAPIC_MATCH_PHYS(\result != 0, dest, logical, id);
  @ ensures LAPIC_MATCH_FLAT(\result != 0, dest, logical, ldr, dfr);
  @ ensures LAPIC_MATCH_CLUSTER(\result != 0, dest, logical, ldr, dfr);
  @*/
static vmm_bool lapic_match(vmm_u32 dest, vmm_bool logical, vmm_u32 id,
			    vmm_u32 ldr, vmm_u32 dfr)
{
	vmm_u32 l = ldr >> 24;
	vmm_bool hit = VMM_FALSE;

	if (dest == VMM_LAPIC_BROADCAST) {
		hit = VMM_TRUE;			/* both modes */
	} else if (logical == 0) {
		hit = (dest == (id >> 24)) ? VMM_TRUE : VMM_FALSE;
	} else if (dfr >= VMM_LAPIC_DFR_FLAT) {	/* flat model */
		hit = ((l & dest) != 0U) ? VMM_TRUE : VMM_FALSE;
	} else {
		/* Cluster model: cluster in bits 7:4, members in 3:0. */
		hit = (((l / 16U) == (dest / 16U)) && ((l & dest & 0xFU) != 0U)) ?
			VMM_TRUE : VMM_FALSE;
	}
	return hit;
}

vmm_bool vmm_lapic_targets(const struct vmm_lapic_msg *m, vmm_bool self,
			   vmm_u32 id, vmm_u32 ldr, vmm_u32 dfr)
{
	vmm_bool hit = VMM_FALSE;

	if (m == VMM_NULL)
		hit = VMM_FALSE;
	else if (m->shorthand == VMM_LAPIC_SH_SELF)
		hit = (self != 0) ? VMM_TRUE : VMM_FALSE;
	else if (m->shorthand == VMM_LAPIC_SH_ALL)
		hit = VMM_TRUE;
	else if (m->shorthand == VMM_LAPIC_SH_OTHERS)
		hit = (self == 0) ? VMM_TRUE : VMM_FALSE;
	else
		hit = lapic_match(m->dest, m->logical, id, ldr, dfr);
	return hit;
}

enum vmm_lapic_delivery vmm_lapic_delivery(const struct vmm_lapic_msg *m)
{
	enum vmm_lapic_delivery d = VMM_LAPIC_DELIVER_UNSUPPORTED;

	if (m == VMM_NULL) {
		d = VMM_LAPIC_DELIVER_UNSUPPORTED;
	} else if (m->mode == VMM_LAPIC_DM_FIXED) {
		d = VMM_LAPIC_DELIVER_FIXED;
	} else if (m->mode == VMM_LAPIC_DM_LOWEST) {
		d = VMM_LAPIC_DELIVER_LOWEST;
	} else if (m->mode == VMM_LAPIC_DM_INIT) {
		/* "INIT level de-assert" only synchronises arbitration IDs. */
		if ((m->level != 0) && (m->assert == 0))
			d = VMM_LAPIC_DELIVER_NOTHING;
		else
			d = VMM_LAPIC_DELIVER_INIT;
	} else if (m->mode == VMM_LAPIC_DM_SIPI) {
		d = VMM_LAPIC_DELIVER_SIPI;
	}
	return d;
}
