// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 5: interrupt-injection decision and LAPIC IRR/ISR
 * bookkeeping.  Rules and contracts: inject.h; abstract model:
 * acsl-specs/inject.acsl.
 *
 * Bits are addressed as word v / 64, bit v % 64, the same expressions the
 * model uses.  Masks are built as 2^63 >> (63 - k) rather than 1 << k: a
 * right shift cannot overflow, so no goal needs a bound on 2^k (the lemma
 * vmm_bit_mask equates the two).  Bits are cleared with XOR, only where the
 * bit is known to be set.  Scans go from vector 255 down, so the first hit
 * is the highest vector: the highest-priority one (SDM vol. 3A 10.8.3).
 */
#include <libvmm/inject.h>

/* Is vector @v set in the 256-bit bitmap @bm? */
/*@ requires \valid_read(bm + (0 .. VMM_INJECT_WORDS - 1));
  @ requires v < VMM_INJECT_NR_VECTORS;
  @ assigns \nothing;
  @ ensures \result != 0 <==> vec_in(bm, v);
  @*/
static vmm_bool inject__test(const vmm_u64 *bm, vmm_u32 v)
{
	vmm_u64 bit = (bm[v / 64U] >> (v % 64U)) & 1ULL;

	return (bit != 0ULL) ? VMM_TRUE : VMM_FALSE;
}

/* The mask of bit @k of a word: 1 << k, written as a right shift. */
/*@ requires k < 64;
  @ assigns \nothing;
  @ ensures \result == (1 << k);
  @*/
static vmm_u64 inject__mask(vmm_u32 k)
{
	return 0x8000000000000000ULL >> (63U - k);
}

/* Set vector @v in @bm; every other vector keeps its bit. */
/*@ requires \valid(bm + (0 .. VMM_INJECT_WORDS - 1));
  @ requires v < VMM_INJECT_NR_VECTORS;
  @ assigns bm[0 .. VMM_INJECT_WORDS - 1];
  @ ensures vec_in(bm, v);
  @ ensures bitmap_unchanged{Pre, Post}(bm, v);
  @*/
static void inject__set(vmm_u64 *bm, vmm_u32 v)
{
	bm[v / 64U] = bm[v / 64U] | inject__mask(v % 64U);
}

/* Clear vector @v, which is set, in @bm; every other vector keeps its bit. */
/*@ requires \valid(bm + (0 .. VMM_INJECT_WORDS - 1));
  @ requires v < VMM_INJECT_NR_VECTORS;
  @ requires vec_in(bm, v);
  @ assigns bm[0 .. VMM_INJECT_WORDS - 1];
  @ ensures !vec_in(bm, v);
  @ ensures bitmap_unchanged{Pre, Post}(bm, v);
  @*/
static void inject__clear(vmm_u64 *bm, vmm_u32 v)
{
	bm[v / 64U] = bm[v / 64U] ^ inject__mask(v % 64U);
}

/*
 * The highest vector set in [lo, hi) of @bm, or VMM_INJECT_NO_VECTOR when
 * none is.
 */
/*@ requires \valid_read(bm + (0 .. VMM_INJECT_WORDS - 1));
  @ requires lo <= hi <= VMM_INJECT_NR_VECTORS;
  @ assigns \nothing;
  @ ensures \result == VMM_INJECT_NO_VECTOR <==> none_in(bm, lo, hi);
  @ ensures \result != VMM_INJECT_NO_VECTOR ==>
  @   lo <= \result < hi && vec_in(bm, \result) &&
  @   none_in(bm, \result + 1, hi);
  @*/
static vmm_u32 inject__highest(const vmm_u64 *bm, vmm_u32 lo, vmm_u32 hi)
{
	vmm_u32 found = VMM_INJECT_NO_VECTOR;
	vmm_u32 v = hi;
	vmm_u32 base;

	/*@ loop invariant lo <= v <= hi;
	  @ loop invariant found == VMM_INJECT_NO_VECTOR ==> none_in(bm, v, hi);
	  @ loop invariant found != VMM_INJECT_NO_VECTOR ==>
	  @   found == v && v < hi && vec_in(bm, v) && none_in(bm, v + 1, hi);
	  @ loop assigns v, found, base;
	  @ loop variant v;
	  @*/
	while ((v > lo) && (found == VMM_INJECT_NO_VECTOR)) {
		v--;
		if (bm[v / 64U] == 0ULL) {
			/*
			 * v's word is empty: so is every vector of it below
			 * v. One step down to the word's first vector (or lo)
			 * instead of one per vector: this runs before every
			 * guest entry, and the bitmaps are mostly empty.
			 */
			base = v - (v % 64U);
			/*@ assert \forall integer u; base <= u <= v ==>
			  @   u / 64 == v / 64;
			  @*/
			/*@ assert none_in(bm, base, v + 1); */
			v = (base > lo) ? base : lo;
		} else if (inject__test(bm, v) != VMM_FALSE) {
			found = v;
		}
	}
	return found;
}

/*
 * PPR from ISR and TPR (SDM vol. 3A 10.8.3.1; KVM's apic_update_ppr()).
 * Also: a class is above PPR[7:4] exactly when above_ppr() says so.
 */
/*@ requires \valid_read(isr + (0 .. VMM_INJECT_WORDS - 1));
  @ assigns \nothing;
  @ ensures ppr_is(isr, tpr, \result);
  @ ensures \forall integer c; above_ppr(isr, tpr, c) <==>
  @   c > vec_class(\result);
  @*/
static vmm_u8 inject__ppr(const vmm_u64 *isr, vmm_u8 tpr)
{
	vmm_u32 top = inject__highest(isr, 0U, VMM_INJECT_NR_VECTORS);
	vmm_u32 isrv = (top == VMM_INJECT_NO_VECTOR) ? 0U : top;
	vmm_u8 ppr;

	/*@ assert isrv_is(isr, isrv); */
	/*@ assert \forall integer u; 0 <= u < VMM_INJECT_NR_VECTORS &&
	  @   vec_in(isr, u) ==> vec_class(u) <= vec_class(isrv);
	  @*/
	if ((tpr / 16U) >= (isrv / 16U)) {
		ppr = tpr;
	} else {
		/* isrv < 256, so the class times 16 fits in 8 bits. */
		ppr = (vmm_u8)((isrv / 16U) * 16U);
	}
	return ppr;
}

enum vmm_inject_err vmm_inject_ppr(const vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u8 tpr, vmm_u8 *out_ppr)
{
	enum vmm_inject_err err = VMM_INJECT_OK;

	if ((isr == VMM_NULL) || (out_ppr == VMM_NULL)) {
		err = VMM_INJECT_ERR_NULL;
	} else {
		*out_ppr = inject__ppr(isr, tpr);
	}
	return err;
}

/*
 * The LAPIC candidate: the highest legal IRR vector if it beats the PPR,
 * else VMM_INJECT_NO_VECTOR.  The highest legal IRR vector has the highest
 * class, so some IRR vector beats the PPR exactly when this one does.
 */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_INJECT_NO_VECTOR <==> !lapic_deliverable(s);
  @ ensures \result != VMM_INJECT_NO_VECTOR ==>
  @   VMM_INJECT_FIRST_VECTOR <= \result < VMM_INJECT_NR_VECTORS &&
  @   vec_in(&s->irr[0], \result) && none_above(&s->irr[0], \result) &&
  @   above_ppr(&s->isr[0], s->tpr, vec_class(\result));
  @*/
static vmm_u32 inject__lapic_candidate(const struct vmm_inject_state *s)
{
	vmm_u32 top = inject__highest(s->irr, VMM_INJECT_FIRST_VECTOR,
				      VMM_INJECT_NR_VECTORS);
	vmm_u8 ppr = inject__ppr(s->isr, s->tpr);
	vmm_u32 cand = VMM_INJECT_NO_VECTOR;

	if ((top != VMM_INJECT_NO_VECTOR) && ((top / 16U) > (ppr / 16U))) {
		cand = top;
	}
	/*@ assert top != VMM_INJECT_NO_VECTOR ==>
	  @   \forall integer u; VMM_INJECT_FIRST_VECTOR <= u <
	  @     VMM_INJECT_NR_VECTORS && vec_in(&s->irr[0], u) ==>
	  @     vec_class(u) <= vec_class(top);
	  @*/
	return cand;
}

/* Does the IRR hold an illegal vector (0-15)? */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result != 0 <==>
  @   !none_in(&s->irr[0], 0, VMM_INJECT_FIRST_VECTOR);
  @*/
static vmm_bool inject__illegal(const struct vmm_inject_state *s)
{
	vmm_u32 low = inject__highest(s->irr, 0U, VMM_INJECT_FIRST_VECTOR);

	return (low != VMM_INJECT_NO_VECTOR) ? VMM_TRUE : VMM_FALSE;
}

/*
 * The decision proper, on a checked state.  Kept apart from the argument
 * checks so each proof stays small.
 */
/*@ requires \valid_read(s) && \valid(d) && \separated(s, d);
  @ requires s->user_irq_pending != 0 ==>
  @   s->user_vector < VMM_INJECT_NR_VECTORS;
  @
  @ assigns *d;
  @
  @ ensures d->kind == VMM_INJECT_REINJECT <==> s->event_pending != 0;
  @ ensures s->event_pending == 0 && s->nmi_pending != 0 && !nmi_masked(s) ==>
  @   d->kind == VMM_INJECT_INJECT_NMI;
  @ ensures s->event_pending == 0 && s->nmi_pending != 0 && nmi_masked(s) ==>
  @   d->kind == VMM_INJECT_OPEN_NMI_WINDOW;
  @ ensures s->event_pending == 0 && s->nmi_pending == 0 && irq_wanted(s) &&
  @   irq_blocked(s) ==> d->kind == VMM_INJECT_OPEN_IRQ_WINDOW;
  @ ensures s->event_pending == 0 && s->nmi_pending == 0 && !irq_blocked(s) &&
  @   s->user_irq_pending != 0 ==>
  @   d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER && d->vector == s->user_vector;
  @ ensures s->event_pending == 0 && s->nmi_pending == 0 && !irq_blocked(s) &&
  @   s->user_irq_pending == 0 && lapic_deliverable(s) ==>
  @   d->kind == VMM_INJECT_INJECT_EXTINT && d->source == VMM_INJECT_SRC_LAPIC;
  @ ensures s->event_pending == 0 && s->nmi_pending == 0 && !irq_blocked(s) &&
  @   s->user_irq_pending == 0 && !lapic_deliverable(s) &&
  @   s->user_window_request != 0 ==>
  @   d->kind == VMM_INJECT_OPEN_IRQ_WINDOW;
  @ ensures s->event_pending == 0 && s->nmi_pending == 0 && !irq_wanted(s) ==>
  @   d->kind == VMM_INJECT_NONE;
  @ ensures d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_LAPIC ==>
  @   VMM_INJECT_FIRST_VECTOR <= d->vector < VMM_INJECT_NR_VECTORS &&
  @   vec_in(&s->irr[0], d->vector) &&
  @   none_above(&s->irr[0], d->vector) &&
  @   above_ppr(&s->isr[0], s->tpr, vec_class(d->vector)) &&
  @   !irq_blocked(s) && s->event_pending == 0 && s->nmi_pending == 0;
  @ ensures d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER ==>
  @   s->user_irq_pending != 0 && d->vector == s->user_vector &&
  @   d->vector < VMM_INJECT_NR_VECTORS &&
  @   !irq_blocked(s) && s->event_pending == 0 && s->nmi_pending == 0;
  @ ensures d->kind == VMM_INJECT_INJECT_EXTINT ==>
  @   d->source == VMM_INJECT_SRC_LAPIC || d->source == VMM_INJECT_SRC_USER;
  @ ensures d->kind != VMM_INJECT_INJECT_EXTINT ==>
  @   d->vector == 0 && d->source == VMM_INJECT_SRC_NONE;
  @ ensures d->kind == VMM_INJECT_INJECT_NMI ==>
  @   s->nmi_pending != 0 && !nmi_masked(s) && s->event_pending == 0;
  @ ensures d->kind == VMM_INJECT_NONE ==>
  @   s->event_pending == 0 && s->nmi_pending == 0 && !irq_wanted(s);
  @ ensures d->nmi_window != 0 <==>
  @   s->nmi_pending != 0 && d->kind != VMM_INJECT_INJECT_NMI;
  @ ensures d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER ==>
  @   (d->irq_window != 0 <==>
  @      lapic_deliverable(s) || s->user_window_request != 0);
  @ ensures d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_LAPIC ==>
  @   (d->irq_window != 0 <==> s->user_window_request != 0);
  @ ensures d->kind != VMM_INJECT_INJECT_EXTINT ==>
  @   (d->irq_window != 0 <==> irq_wanted(s));
  @ ensures d->illegal_irr != 0 <==>
  @   !none_in(&s->irr[0], 0, VMM_INJECT_FIRST_VECTOR);
  @*/
static void inject__decide(const struct vmm_inject_state *s,
			   struct vmm_inject_decision *d)
{
	vmm_u32 top = inject__lapic_candidate(s);
	vmm_bool lapic = (top != VMM_INJECT_NO_VECTOR) ? VMM_TRUE : VMM_FALSE;
	vmm_bool wanted;
	vmm_bool irq_blocked;
	vmm_bool nmi_masked;
	enum vmm_inject_kind kind = VMM_INJECT_NONE;
	enum vmm_inject_source source = VMM_INJECT_SRC_NONE;
	vmm_u32 vector = 0U;
	vmm_bool irq_window;
	vmm_bool nmi_window = (s->nmi_pending != 0) ? VMM_TRUE : VMM_FALSE;

	wanted = ((s->user_irq_pending != 0) || (lapic != VMM_FALSE) ||
		  (s->user_window_request != 0)) ? VMM_TRUE : VMM_FALSE;
	irq_blocked = ((s->rflags_if == 0) || (s->sti_blocking != 0) ||
		       (s->movss_blocking != 0)) ? VMM_TRUE : VMM_FALSE;
	nmi_masked = ((s->nmi_blocked != 0) || (s->sti_blocking != 0) ||
		      (s->movss_blocking != 0)) ? VMM_TRUE : VMM_FALSE;
	irq_window = wanted;

	if (s->event_pending != 0) {
		/* The interrupted delivery goes first; nothing else fits. */
		kind = VMM_INJECT_REINJECT;
	} else if (s->nmi_pending != 0) {
		if (nmi_masked != VMM_FALSE) {
			kind = VMM_INJECT_OPEN_NMI_WINDOW;
		} else {
			kind = VMM_INJECT_INJECT_NMI;
			nmi_window = VMM_FALSE;
		}
	} else if (wanted == VMM_FALSE) {
		kind = VMM_INJECT_NONE;
	} else if (irq_blocked != VMM_FALSE) {
		kind = VMM_INJECT_OPEN_IRQ_WINDOW;
	} else if (s->user_irq_pending != 0) {
		/* ExtINT from the userspace PIC: before the LAPIC, no PPR. */
		kind = VMM_INJECT_INJECT_EXTINT;
		source = VMM_INJECT_SRC_USER;
		vector = s->user_vector;
		irq_window = ((lapic != VMM_FALSE) ||
			      (s->user_window_request != 0)) ? VMM_TRUE
							     : VMM_FALSE;
	} else if (lapic != VMM_FALSE) {
		kind = VMM_INJECT_INJECT_EXTINT;
		source = VMM_INJECT_SRC_LAPIC;
		vector = top;
		/*
		 * Once V is in service PPR[7:4] >= V[7:4] and V was the
		 * highest: no other IRR vector can go next, only userspace's
		 * window request remains.
		 */
		irq_window = (s->user_window_request != 0) ? VMM_TRUE
							   : VMM_FALSE;
	} else {
		/* Only the window request: the window is open, exit at once. */
		kind = VMM_INJECT_OPEN_IRQ_WINDOW;
	}

	d->kind = kind;
	d->vector = vector;
	d->source = source;
	d->irq_window = irq_window;
	d->nmi_window = nmi_window;
	d->illegal_irr = inject__illegal(s);
}

enum vmm_inject_err vmm_inject_decide(const struct vmm_inject_state *s,
				      struct vmm_inject_decision *d)
{
	enum vmm_inject_err err = VMM_INJECT_OK;

	if ((s == VMM_NULL) || (d == VMM_NULL)) {
		err = VMM_INJECT_ERR_NULL;
	} else if ((s->user_irq_pending != 0) &&
		   (s->user_vector >= VMM_INJECT_NR_VECTORS)) {
		/* KVM_INTERRUPT: irq >= KVM_NR_INTERRUPTS is -EINVAL. */
		err = VMM_INJECT_ERR_USER_VECTOR;
	} else {
		inject__decide(s, d);
	}
	return err;
}

enum vmm_inject_err vmm_inject_ack(vmm_u64 irr[VMM_INJECT_WORDS],
				   vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u32 vector)
{
	enum vmm_inject_err err = VMM_INJECT_OK;

	if ((irr == VMM_NULL) || (isr == VMM_NULL)) {
		err = VMM_INJECT_ERR_NULL;
	} else if ((vector < VMM_INJECT_FIRST_VECTOR) ||
		   (vector >= VMM_INJECT_NR_VECTORS)) {
		err = VMM_INJECT_ERR_VECTOR;
	} else if (inject__test(irr, vector) == VMM_FALSE) {
		err = VMM_INJECT_ERR_NOT_PENDING;
	} else {
		inject__clear(irr, vector);
		inject__set(isr, vector);
	}
	return err;
}

enum vmm_inject_err vmm_inject_eoi(vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u32 *out_vector)
{
	enum vmm_inject_err err = VMM_INJECT_OK;
	vmm_u32 top;

	if ((isr == VMM_NULL) || (out_vector == VMM_NULL)) {
		err = VMM_INJECT_ERR_NULL;
	} else {
		top = inject__highest(isr, 0U, VMM_INJECT_NR_VECTORS);
		if (top == VMM_INJECT_NO_VECTOR) {
			err = VMM_INJECT_ERR_ISR_EMPTY;
		} else {
			inject__clear(isr, top);
			*out_vector = top;
		}
	}
	return err;
}
