// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 9: the guest page walk with the CPU's access checks.
 * Rules and contracts: walk.h; abstract model: acsl-specs/walk.acsl.
 *
 * Each helper computes one function of the model with the model's own
 * expression, so its contract is "\result is the model's value"; the two
 * entry points only combine them.  The walk keeps the entries it read;
 * the decision at the leaf takes the rights of all of them (AND of U/S,
 * AND of R/W, OR of XD), written out for the at most four entries as
 * the model is, so no goal needs a loop invariant or a quantifier.
 */
#include <libvmm/walk.h>

/*@ requires n < 64;
  @ assigns \nothing;
  @ ensures \result == w_bit(x, n);
  @ ensures \result == 0 || \result == 1;
  @*/
static vmm_u32 walk__bit(vmm_u64 x, vmm_u32 n)
{
	return (vmm_u32)((x >> n) & 1ULL);
}

/* The rights one entry contributes: U/S, R/W, XD (0 or 1 each). */
struct walk__rights {
	vmm_u32 us, rw, xd;
};

#define WALK_4G 0x100000000ULL
#define WALK_2_52 0x10000000000000ULL

/* w_bits: bits hi-1 .. lo of x, in place. */
/*@ requires hi <= 0x10000000000000 && 0 < lo <= hi;
  @ assigns \nothing;
  @ ensures \result == w_bits(x, hi, lo);
  @ ensures \result < hi;
  @*/
static vmm_u64 walk__bits(vmm_u64 x, vmm_u64 hi, vmm_u64 lo)
{
	return x % hi / lo * lo;
}

/*@ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ requires 1 <= l <= p;
  @ requires base < 0x10000000000000;
  @ assigns \nothing;
  @ ensures \result == w_entry_gpa(p, l, base, la);
  @*/
static vmm_u64 walk__entry_gpa(vmm_u32 p, vmm_u32 l, vmm_u64 base,
			       vmm_u64 la)
{
	vmm_u32 shift = 12U;
	vmm_u64 nidx = 512ULL;
	vmm_u64 size = 8ULL;

	if (p == VMM_WALK_PG_32) {
		nidx = 1024ULL;
		size = 4ULL;
		if (l == 2U)
			shift = 22U;
	} else if (l == 4U) {
		shift = 39U;
	} else if (l == 3U) {
		shift = 30U;
		if (p == VMM_WALK_PG_PAE)
			nidx = 4ULL;
	} else if (l == 2U) {
		shift = 21U;
	}
	/*@ assert shift == w_shift(p, l) && nidx == w_nidx(p, l) &&
	  @        size == w_esize(p); */
	return base + (la >> shift) % nidx * size;
}

/* The table the entry points to. */
/*@ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_next(p, e);
  @ ensures \result < 0x10000000000000;
  @*/
static vmm_u64 walk__next(vmm_u32 p, vmm_u64 e)
{
	if (p == VMM_WALK_PG_32)
		return walk__bits(e, WALK_4G, 0x1000ULL);
	return walk__bits(e, WALK_2_52, 0x1000ULL);
}

/*@ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_root(in, p);
  @ ensures \result < 0x10000000000000;
  @*/
static vmm_u64 walk__root(struct vmm_walk_in in, vmm_u32 p)
{
	if (p == VMM_WALK_PG_32)
		return walk__bits(in.cr3, WALK_4G, 0x1000ULL);
	if (p == VMM_WALK_PG_PAE)
		return walk__bits(in.cr3, WALK_4G, 0x20ULL);
	return walk__bits(in.cr3, WALK_2_52, 0x1000ULL);
}

/*@ requires w_in_ok(in);
  @ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ requires 1 <= l <= p;
  @ assigns \nothing;
  @ ensures \result != 0 <==> w_rsvd(in, p, l, e);
  @*/
static vmm_bool walk__rsvd(struct vmm_walk_in in, vmm_u32 p, vmm_u32 l,
			   vmm_u64 e)
{
	vmm_u32 ps = walk__bit(e, 7U);
	vmm_bool r;

	if (p == VMM_WALK_PG_32) {
		r = l == 2U && ps == 1U && walk__bit(in.cr4, 4U) == 1U &&
		    (walk__bit(e, 21U) == 1U ||
		     ((e >> 13) & 0xFFULL) >> (in.maxphyaddr - 32U) != 0ULL);
	} else if (p == VMM_WALK_PG_PAE && l == 3U) {
		r = ((e & 0xFFFFFFFFFFFFFULL) >> in.maxphyaddr) != 0ULL ||
		    (e >> 52) != 0ULL;
	} else {
		r = ((e & 0xFFFFFFFFFFFFFULL) >> in.maxphyaddr) != 0ULL ||
		    (walk__bit(in.efer, 11U) == 0U && walk__bit(e, 63U) == 1U) ||
		    (p == VMM_WALK_PG_4LEVEL && l == 4U && ps == 1U) ||
		    (p == VMM_WALK_PG_4LEVEL && l == 3U && ps == 1U &&
		     (in.gbpages == 0U || (e & 0x3FFFE000ULL) != 0ULL)) ||
		    (l == 2U && ps == 1U && (e & 0x1FE000ULL) != 0ULL);
	}
	return r ? VMM_TRUE : VMM_FALSE;
}

/*@ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ requires 1 <= l <= p;
  @ assigns \nothing;
  @ ensures \result != 0 <==> w_leaf(in, p, l, e);
  @*/
static vmm_bool walk__leaf(struct vmm_walk_in in, vmm_u32 p, vmm_u32 l,
			   vmm_u64 e)
{
	vmm_bool r = VMM_FALSE;

	if (l == 1U)
		r = VMM_TRUE;
	else if (walk__bit(e, 7U) == 1U) {
		if (p == VMM_WALK_PG_32)
			r = walk__bit(in.cr4, 4U) == 1U;
		else
			r = l == 2U || (p == VMM_WALK_PG_4LEVEL && l == 3U);
	}
	return r;
}

/*@ requires 1 <= l <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_gpa(p, l, e, la);
  @*/
static vmm_u64 walk__gpa(vmm_u32 p, vmm_u32 l, vmm_u64 e, vmm_u64 la)
{
	if (l == 1U) {
		if (p == VMM_WALK_PG_32)
			return walk__bits(e, WALK_4G, 0x1000ULL) + la % 0x1000ULL;
		return walk__bits(e, WALK_2_52, 0x1000ULL) + la % 0x1000ULL;
	}
	if (l == 2U) {
		if (p == VMM_WALK_PG_32)
			/* PSE-36: PDE bits 20:13 are PA bits 39:32. */
			return walk__bits(e, WALK_4G, 0x400000ULL) +
			       e / 0x2000ULL % 0x100ULL * WALK_4G +
			       la % 0x400000ULL;
		return walk__bits(e, WALK_2_52, 0x200000ULL) + la % 0x200000ULL;
	}
	return walk__bits(e, WALK_2_52, 0x40000000ULL) + la % 0x40000000ULL;
}

/*@ requires 1 <= l <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_size(p, l);
  @*/
static vmm_u64 walk__size(vmm_u32 p, vmm_u32 l)
{
	if (l == 1U)
		return 0x1000ULL;
	if (l == 2U)
		return p == VMM_WALK_PG_32 ? 0x400000ULL : 0x200000ULL;
	return 0x40000000ULL;
}

/*@ requires VMM_WALK_PG_32 <= p <= VMM_WALK_PG_4LEVEL;
  @ requires present == 0 || present == 1;
  @ requires rsvd == 0 || rsvd == 1;
  @ assigns \nothing;
  @ ensures \result == w_err(in, p, present, rsvd);
  @*/
static vmm_u32 walk__err(struct vmm_walk_in in, vmm_u32 p, vmm_u32 present,
			 vmm_u32 rsvd)
{
	vmm_u32 err = present + 8U * rsvd;

	if (in.access == VMM_WALK_WRITE)
		err += VMM_WALK_PF_W;
	if (in.cpl3 != 0U && in.implicit == 0U)
		err += VMM_WALK_PF_U;
	if (in.access == VMM_WALK_FETCH &&
	    (walk__bit(in.cr4, 20U) == 1U ||
	     (p != VMM_WALK_PG_32 && walk__bit(in.efer, 11U) == 1U)))
		err += VMM_WALK_PF_ID;
	return err;
}

/* An entry's contribution to the rights (w_us_bit, w_rw_bit, w_xd_bit). */
/*@ requires 1 <= l <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_us_bit(p, l, e);
  @*/
static vmm_u32 walk__us_bit(vmm_u32 p, vmm_u32 l, vmm_u64 e)
{
	if (p == VMM_WALK_PG_PAE && l == 3U)
		return 1U;
	return walk__bit(e, 2U);
}

/*@ requires 1 <= l <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_rw_bit(p, l, e);
  @*/
static vmm_u32 walk__rw_bit(vmm_u32 p, vmm_u32 l, vmm_u64 e)
{
	if (p == VMM_WALK_PG_PAE && l == 3U)
		return 1U;
	return walk__bit(e, 1U);
}

/*@ requires 1 <= l <= p <= VMM_WALK_PG_4LEVEL;
  @ assigns \nothing;
  @ ensures \result == w_xd_bit(in, p, l, e);
  @*/
static vmm_u32 walk__xd_bit(struct vmm_walk_in in, vmm_u32 p, vmm_u32 l,
			    vmm_u64 e)
{
	if (p != VMM_WALK_PG_32 && walk__bit(in.efer, 11U) == 1U &&
	    !(p == VMM_WALK_PG_PAE && l == 3U))
		return walk__bit(e, 63U);
	return 0U;
}

/* Entry k's part of the rights of e[0 .. nread - 1]. */
/*@ requires \valid_read(w);
  @ requires VMM_WALK_PG_32 <= w->paging <= VMM_WALK_PG_4LEVEL;
  @ requires w->nread <= w->paging;
  @ requires k < VMM_WALK_MAX_LEVELS;
  @ assigns \nothing;
  @ ensures \result.us != 0 <==> w_us_k(w->paging, w->nread, k, w->e[k]);
  @ ensures \result.rw != 0 <==> w_rw_k(w->paging, w->nread, k, w->e[k]);
  @ ensures \result.xd != 0 <==>
  @           w_xd_k(w->in, w->paging, w->nread, k, w->e[k]);
  @*/
static struct walk__rights walk__rights_k(const struct vmm_walk *w, vmm_u32 k)
{
	struct walk__rights r = { 1U, 1U, 0U };
	vmm_u32 p = w->paging;

	if (k < w->nread) {
		r.us = walk__us_bit(p, p - k, w->e[k]);
		r.rw = walk__rw_bit(p, p - k, w->e[k]);
		r.xd = walk__xd_bit(w->in, p, p - k, w->e[k]);
	}
	return r;
}

/* 4.6.1, from the rights of all the entries read. */
/*@ requires \valid_read(w);
  @ requires VMM_WALK_PG_32 <= w->paging <= VMM_WALK_PG_4LEVEL;
  @ requires w->nread <= w->paging;
  @ assigns \nothing;
  @ ensures \result != 0 <==> w_allowed(w);
  @*/
static vmm_bool walk__allowed(const struct vmm_walk *w)
{
	const struct vmm_walk_in *in = &w->in;
	struct walk__rights r0 = walk__rights_k(w, 0U);
	struct walk__rights r1 = walk__rights_k(w, 1U);
	struct walk__rights r2 = walk__rights_k(w, 2U);
	struct walk__rights r3 = walk__rights_k(w, 3U);
	vmm_bool us = r0.us != 0U && r1.us != 0U && r2.us != 0U && r3.us != 0U;
	vmm_bool rw = r0.rw != 0U && r1.rw != 0U && r2.rw != 0U && r3.rw != 0U;
	vmm_bool xd = r0.xd != 0U || r1.xd != 0U || r2.xd != 0U || r3.xd != 0U;
	vmm_bool ok;

	/*@ assert us != 0 <==> w_all_us(w->paging, w->nread, w->e[0], w->e[1],
	  @                              w->e[2], w->e[3]); */
	/*@ assert rw != 0 <==> w_all_rw(w->paging, w->nread, w->e[0], w->e[1],
	  @                              w->e[2], w->e[3]); */
	/*@ assert xd != 0 <==> w_any_xd(w->in, w->paging, w->nread, w->e[0],
	  @                              w->e[1], w->e[2], w->e[3]); */
	if (in->cpl3 != 0U && in->implicit == 0U)
		ok = us && (in->access != VMM_WALK_WRITE || rw) &&
		     (in->access != VMM_WALK_FETCH || !xd);
	else if (in->access == VMM_WALK_FETCH)
		ok = !xd && !(us && walk__bit(in->cr4, 20U) == 1U);
	else
		ok = !(us && walk__bit(in->cr4, 21U) == 1U &&
		       (in->ac == 0U || in->implicit != 0U)) &&
		     (in->access != VMM_WALK_WRITE ||
		      walk__bit(in->cr0, 16U) == 0U || rw);
	return ok ? VMM_TRUE : VMM_FALSE;
}

/*@ assigns \nothing;
  @ ensures \result == w_paging(in);
  @ ensures \result == VMM_WALK_PG_NONE || \result == VMM_WALK_PG_32 ||
  @         \result == VMM_WALK_PG_PAE || \result == VMM_WALK_PG_4LEVEL;
  @*/
static vmm_u32 walk__paging(struct vmm_walk_in in)
{
	if (walk__bit(in.cr0, 31U) == 0U)
		return VMM_WALK_PG_NONE;
	if (walk__bit(in.efer, 10U) == 1U)
		return VMM_WALK_PG_4LEVEL;
	if (walk__bit(in.cr4, 5U) == 1U)
		return VMM_WALK_PG_PAE;
	return VMM_WALK_PG_32;
}

/*
 * w->in = c, with each field's value in the contract: a caller's goals
 * that read a field of w->in then match a hypothesis as it stands,
 * instead of asking the provers to unfold the struct store.
 */
/*@ requires \valid(w);
  @ assigns w->in;
  @ ensures w->in == c;
  @ ensures w->in.cr0 == c.cr0 && w->in.cr3 == c.cr3 &&
  @         w->in.cr4 == c.cr4 && w->in.efer == c.efer &&
  @         w->in.la == c.la && w->in.maxphyaddr == c.maxphyaddr &&
  @         w->in.gbpages == c.gbpages && w->in.access == c.access &&
  @         w->in.cpl3 == c.cpl3 && w->in.ac == c.ac &&
  @         w->in.implicit == c.implicit;
  @*/
static void walk__set_in(struct vmm_walk *w, struct vmm_walk_in c)
{
	w->in = c;
}

/*
 * The entry points decide first, on local copies, and write *w last, in
 * one straight run of stores with no branch between them: every field
 * is written on every path (a field the status does not use gets 0 or
 * its old value), the struct w->in last.  The provers then read each
 * field of the final state through a plain chain of stores to distinct
 * fields; with stores under conditions, or other stores after the struct
 * store, they had to case-split the memory and timed out.
 */
enum vmm_walk_status vmm_walk_begin(const struct vmm_walk_in *in,
				    struct vmm_walk *w)
{
	enum vmm_walk_status st;
	struct vmm_walk_in c;
	vmm_u32 p, esize;
	vmm_u64 top, egpa = 0ULL, gpa = 0ULL, psize = 0ULL;

	if (in == VMM_NULL || w == VMM_NULL)
		return VMM_WALK_ERR_NULL;
	c = *in;
	p = walk__paging(c);
	top = c.la / 0x800000000000ULL;	/* bits 63:47 */
	esize = p == VMM_WALK_PG_32 ? 4U : 8U;
	if (c.access > VMM_WALK_FETCH || c.maxphyaddr < VMM_WALK_MIN_PHYS ||
	    c.maxphyaddr > VMM_WALK_MAX_PHYS) {
		st = VMM_WALK_ERR_INPUT;
	} else if (p == VMM_WALK_PG_NONE) {
		st = VMM_WALK_DONE;	/* 4.1.1: linear is physical, 32 bits */
		gpa = c.la % WALK_4G;
		psize = 0x1000ULL;
	} else if (p == VMM_WALK_PG_4LEVEL && walk__bit(c.cr4, 12U) == 1U) {
		st = VMM_WALK_ERR_LA57;
	} else if (p == VMM_WALK_PG_4LEVEL && top != 0ULL &&
		   top != 0x1FFFFULL) {
		st = VMM_WALK_GP;
	} else {
		st = VMM_WALK_ENTRY;
		egpa = walk__entry_gpa(p, p, walk__root(c, p), c.la);
	}
	w->status = (vmm_u32)st;
	w->paging = p;
	w->level = p;
	w->nread = 0U;
	w->entry_size = esize;
	w->entry_gpa = egpa;
	w->gpa = gpa;
	w->page_size = psize;
	w->error_code = 0U;
	walk__set_in(w, c);
	return st;
}

/*
 * e[n] = entry, written with a constant index so that the provers see at
 * once that nothing but e[] changes.  The other entries' frame is said
 * per index (for walk_inv, whose entries are e[0] .. e[2]) and for all
 * of them (for vmm_walk_step()'s own contract).
 */
/*@ requires \valid(w);
  @ requires n < VMM_WALK_MAX_LEVELS;
  @ assigns w->e[0 .. VMM_WALK_MAX_LEVELS - 1];
  @ ensures w->e[n] == entry;
  @ ensures n != 0 ==> w->e[0] == \old(w->e[0]);
  @ ensures n != 1 ==> w->e[1] == \old(w->e[1]);
  @ ensures n != 2 ==> w->e[2] == \old(w->e[2]);
  @ ensures n != 3 ==> w->e[3] == \old(w->e[3]);
  @ ensures \forall integer k; 0 <= k < VMM_WALK_MAX_LEVELS && k != n ==>
  @           w->e[k] == \old(w->e[k]);
  @*/
static void walk__store(struct vmm_walk *w, vmm_u32 n, vmm_u64 entry)
{
	if (n == 0U)
		w->e[0] = entry;
	else if (n == 1U)
		w->e[1] = entry;
	else if (n == 2U)
		w->e[2] = entry;
	else
		w->e[3] = entry;
}

enum vmm_walk_status vmm_walk_step(struct vmm_walk *w, vmm_u64 entry)
{
	enum vmm_walk_status st;
	struct vmm_walk_in c;
	vmm_u32 p, l, nl, code = 0U;
	vmm_u64 egpa, gpa = 0ULL, psize = 0ULL;
	vmm_bool rsvd, leaf, ok;

	if (w->status != VMM_WALK_ENTRY)
		return VMM_WALK_ERR_STATE;
	c = w->in;
	p = w->paging;
	l = w->level;
	egpa = w->entry_gpa;
	nl = l;
	walk__store(w, w->nread, entry);
	w->nread = w->nread + 1U;
	/*@ assert w->in == \at(w->in, Pre) && w->paging == p &&
	  @        w->level == l && l == p - \at(w->nread, Pre); */
	/* The entries as lemma walk_inv_next names them. */
	/*@ assert w->e[0] == (\at(w->nread, Pre) == 0 ? entry :
	  @                                              \at(w->e[0], Pre)) &&
	  @        w->e[1] == (\at(w->nread, Pre) == 1 ? entry :
	  @                                              \at(w->e[1], Pre)) &&
	  @        w->e[2] == (\at(w->nread, Pre) == 2 ? entry :
	  @                                              \at(w->e[2], Pre)); */
	rsvd = walk__rsvd(c, p, l, entry);
	leaf = walk__leaf(c, p, l, entry);
	ok = walk__allowed(w);
	if (walk__bit(entry, 0U) == 0U) {
		st = VMM_WALK_PF;
		code = walk__err(c, p, 0U, 0U);
	} else if (rsvd) {
		st = VMM_WALK_PF;
		code = walk__err(c, p, 1U, 1U);
	} else if (leaf && ok) {
		st = VMM_WALK_DONE;
		gpa = walk__gpa(p, l, entry, c.la);
		psize = walk__size(p, l);
	} else if (leaf) {
		st = VMM_WALK_PF;
		code = walk__err(c, p, 1U, 0U);
	} else {
		st = VMM_WALK_ENTRY;
		nl = l - 1U;
		egpa = walk__entry_gpa(p, nl, walk__next(p, entry), c.la);
	}
	w->status = (vmm_u32)st;
	w->error_code = code;
	w->gpa = gpa;
	w->page_size = psize;
	w->level = nl;
	w->entry_gpa = egpa;
	/* The same value again: the contract's w->in is then c as it stands. */
	walk__set_in(w, c);
	return st;
}
