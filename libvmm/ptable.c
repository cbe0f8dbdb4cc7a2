// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 2: second-level page tables (EPT / NPT).  Rules, contracts
 * and caller requirements: ptable.h; abstract model: acsl-specs/ptable.acsl.
 *
 * Shape: decode, then invoke.  Every public function checks its inputs
 * first; map then walks down from the root, linking a fresh zeroed table
 * from the pool wherever one is missing (ptable__descend), and writes the
 * leaf last.  The walk follows the software shadow (child pool indices),
 * never the physical addresses in the entries.
 *
 * Entries are built by adding disjoint bit groups and read with / and %
 * (see acsl-specs/ptable.acsl), so the provers never see bitwise operators;
 * the compiler turns the constant divisions into shifts and masks.
 */
#include <libvmm/ptable.h>

/* Flat index of entry @j of pool page @p (VMM_PT_AT, without wrapping). */
/*@ requires p < VMM_PT_POOL_MAX && j < VMM_PT_ENTRIES;
  @ assigns \nothing;
  @ ensures \result == pt_at(p, j) && \result < VMM_PT_POOL_MAX_ENTRIES;
  @*/
static vmm_u32 ptable__at(vmm_u32 p, vmm_u32 j)
{
	return VMM_PT_AT(p, j);
}

/* Index of @gpa in the table of level @level (3 = root). */
/*@ requires level <= 3;
  @ assigns \nothing;
  @ ensures \result == pt_idx(gpa, level) && \result < VMM_PT_ENTRIES;
  @*/
static vmm_u32 ptable__index(vmm_u64 gpa, vmm_u32 level)
{
	vmm_u64 span = VMM_PT_SPAN_L3;

	if (level == 0U) {
		span = VMM_PT_SPAN_L0;
	} else if (level == 1U) {
		span = VMM_PT_SPAN_L1;
	} else if (level == 2U) {
		span = VMM_PT_SPAN_L2;
	}
	return (vmm_u32)((gpa / span) % VMM_PT_ENTRIES);
}

/* Hardware view of a leaf: present (EPT: R, W or X; NPT: P). */
/*@ requires pt_fmt_ok(format);
  @ assigns \nothing;
  @ ensures \result != 0 <==> pt_present(format, e);
  @*/
static vmm_bool ptable__present(vmm_u32 format, vmm_u64 e)
{
	vmm_bool present;

	if (format == VMM_PT_FORMAT_EPT) {
		present = ((e % 8U) != 0U) ? VMM_TRUE : VMM_FALSE;
	} else {
		present = ((e % 2U) != 0U) ? VMM_TRUE : VMM_FALSE;
	}
	return present;
}

/* W in a valid perms value (compared, not masked: see ptable.acsl). */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> pt_perm_w(perms);
  @*/
static vmm_bool ptable__perm_w(vmm_u32 perms)
{
	return ((perms == (VMM_PT_PERM_R | VMM_PT_PERM_W)) ||
		(perms == (VMM_PT_PERM_R | VMM_PT_PERM_W | VMM_PT_PERM_X))) ?
		       VMM_TRUE : VMM_FALSE;
}

/* X in a valid perms value. */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> pt_perm_x(perms);
  @*/
static vmm_bool ptable__perm_x(vmm_u32 perms)
{
	return ((perms == (VMM_PT_PERM_R | VMM_PT_PERM_X)) ||
		(perms == (VMM_PT_PERM_R | VMM_PT_PERM_W | VMM_PT_PERM_X))) ?
		       VMM_TRUE : VMM_FALSE;
}

/* The leaf entry mapping host page @hpa with @perms. */
/*@ requires pt_fmt_ok(format) && pt_pa_ok(hpa) && pt_perms_ok(perms);
  @ assigns \nothing;
  @ ensures \result == pt_leaf_entry(format, hpa, perms);
  @*/
static vmm_u64 ptable__leaf_entry(vmm_u32 format, vmm_u64 hpa, vmm_u32 perms)
{
	vmm_u64 e;

	if (format == VMM_PT_FORMAT_EPT) {
		/* SDM 29.3.2, table 29-6: R/W/X in bits 2:0, MT 5:3, IPAT 6. */
		e = hpa + perms + VMM_EPT_LEAF_MT_WB + VMM_EPT_LEAF_IPAT;
	} else {
		/* APM 5.3.3 / 15.25.5: P, RW, US; NX (bit 63) unless X. */
		e = hpa + VMM_NPT_P + VMM_NPT_US;
		if (ptable__perm_w(perms) != 0) {
			e += VMM_NPT_RW;
		}
		if (ptable__perm_x(perms) == 0) {
			e += VMM_NPT_NX;
		}
	}
	return e;
}

/*
 * Pool page of the level-0 table on @gpa's path, or VMM_PT_NONE when an
 * intermediate table is missing.  Follows the shadow only.
 */
/*@ requires pt_mem(pt) && pt_live(pt);
  @ assigns \nothing;
  @ ensures \result == pt_p0(pt, gpa);
  @ ensures \result == VMM_PT_NONE ||
  @   (\result < VMM_PT_POOL_MAX && pt->used[\result] != 0 &&
  @    pt->level[\result] == 0);
  @*/
static vmm_u32 ptable__leaf_table(const struct vmm_ptable *pt, vmm_u64 gpa)
{
	vmm_u32 i3 = ptable__index(gpa, 3U);
	vmm_u32 i2 = ptable__index(gpa, 2U);
	vmm_u32 i1 = ptable__index(gpa, 1U);
	vmm_u32 p = pt->child[ptable__at(VMM_PT_ROOT, i3)];

	if (p != VMM_PT_NONE) {
		p = pt->child[ptable__at(p, i2)];
	}
	if (p != VMM_PT_NONE) {
		p = pt->child[ptable__at(p, i1)];
	}
	return p;
}

/*
 * First free page of the pool given, or VMM_PT_POOL_MAX when all npages
 * are in use.  Linear: pages are freed only all at once (teardown), so
 * this finds the first free page after at most npages steps.
 */
/*@ requires \valid_read(pt) && pt->npages <= VMM_PT_POOL_MAX;
  @ assigns \nothing;
  @ ensures \result < pt->npages || \result == VMM_PT_POOL_MAX;
  @ ensures \result < VMM_PT_POOL_MAX ==> pt->used[\result] == 0;
  @ ensures \result == VMM_PT_POOL_MAX ==>
  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
  @*/
static vmm_u32 ptable__find_free(const struct vmm_ptable *pt)
{
	vmm_u32 found = VMM_PT_POOL_MAX;
	vmm_u32 n = pt->npages;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= n;
	  @ loop invariant found == VMM_PT_POOL_MAX || found < i;
	  @ loop invariant found == VMM_PT_POOL_MAX ==>
	  @   \forall integer k; 0 <= k < i ==> pt->used[k] != 0;
	  @ loop invariant found < VMM_PT_POOL_MAX ==> pt->used[found] == 0;
	  @ loop assigns i, found;
	  @ loop variant n - i;
	  @*/
	for (i = 0U; (i < n) && (found == VMM_PT_POOL_MAX); i++) {
		if (pt->used[i] == 0U) {
			found = i;
		}
	}
	return found;
}

/*
 * Zero pool page @c: hardware entries 0, shadow children NONE.  The
 * helpers below keep their preconditions to memory validity, so that each
 * proof sees only the few cells it writes.
 */
/*@ requires pt_mem(pt) && c < pt->npages;
  @
  @ assigns pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures \forall integer m; 0 <= m < VMM_PT_ENTRIES ==>
  @   pt->child[pt_at(c, m)] == VMM_PT_NONE && pt->entries[pt_at(c, m)] == 0;
  @ ensures \forall integer q, m;
  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES && q != c ==>
  @   pt->child[pt_at(q, m)] == \old(pt->child[pt_at(q, m)]);
  @ ensures \forall integer q, m;
  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES && q != c ==>
  @   pt->entries[pt_at(q, m)] == \old(pt->entries[pt_at(q, m)]);
  @ ensures pt->npages == \old(pt->npages);
  @*/
static void ptable__clear_table(struct vmm_ptable *pt, vmm_u32 c)
{
	vmm_u32 k;

	/*@ loop invariant 0 <= k <= VMM_PT_ENTRIES;
	  @ loop invariant \forall integer m; 0 <= m < k ==>
	  @   pt->child[pt_at(c, m)] == VMM_PT_NONE && pt->entries[pt_at(c, m)] == 0;
	  @ loop invariant \forall integer q, m;
	  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES && q != c ==>
	  @   pt->child[pt_at(q, m)] == \at(pt->child[pt_at(q, m)], Pre);
	  @ loop invariant \forall integer q, m;
	  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES && q != c ==>
	  @   pt->entries[pt_at(q, m)] == \at(pt->entries[pt_at(q, m)], Pre);
	  @ loop assigns k,
	  @   pt->child[0 .. pt_at(pt->npages, 0) - 1],
	  @   pt->entries[0 .. pt_at(pt->npages, 0) - 1];
	  @ loop variant VMM_PT_ENTRIES - k;
	  @*/
	for (k = 0U; k < VMM_PT_ENTRIES; k++) {
		pt->entries[ptable__at(c, k)] = 0U;
		pt->child[ptable__at(c, k)] = VMM_PT_NONE;
	}
}

/* Point entry @j of page @p at page @c, whose host address is @pa. */
/*@ requires pt_mem(pt) && p < pt->npages && j < VMM_PT_ENTRIES;
  @ requires c < VMM_PT_POOL_MAX && pt_pa_ok(pa);
  @
  @ assigns pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt->child[pt_at(p, j)] == c &&
  @   pt->entries[pt_at(p, j)] == pt_table_entry(pa);
  @ ensures \forall integer q, m;
  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES &&
  @   (q != p || m != j) ==>
  @   pt->child[pt_at(q, m)] == \old(pt->child[pt_at(q, m)]) &&
  @   pt->entries[pt_at(q, m)] == \old(pt->entries[pt_at(q, m)]);
  @ ensures pt->npages == \old(pt->npages);
  @*/
static void ptable__set_entry(struct vmm_ptable *pt, vmm_u32 p, vmm_u32 j,
			      vmm_u32 c, vmm_u64 pa)
{
	pt->child[ptable__at(p, j)] = (vmm_u16)c;
	pt->entries[ptable__at(p, j)] = pa + VMM_PT_TABLE_BITS;
}

/*
 * Make free page @c an empty table one level below used page @p and link
 * it into entry @j of @p (absent so far).  The new table is zeroed before
 * the entry that points to it is written.
 */
/*@ requires pt_mem(pt) && pt_link_pre(pt, p, j, c);
  @
  @ assigns pt->used[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->level[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_page[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_idx[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt_live(pt);
  @ ensures pt_linked{Pre, Post}(pt, p, j, c);
  @ ensures \forall integer g; 0 <= g ==>
  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures pt->npages == \old(pt->npages);
  @*/
static void ptable__new_table(struct vmm_ptable *pt, vmm_u32 p, vmm_u32 j,
			      vmm_u32 c)
{
	vmm_u64 pa = pt->page_pa[c];

	ptable__clear_table(pt, c);
	pt->level[c] = (vmm_u8)(pt->level[p] - 1U);
	pt->parent_page[c] = p;
	pt->parent_idx[c] = j;
	pt->used[c] = 1U;
	/* Publish last: the table is complete before it is reachable. */
	ptable__set_entry(pt, p, j, c, pa);
	/* Steps to pt_linked, for lemmas pt_link_live and pt_link_leaf. */
	/*@ assert \forall integer q; 0 <= q < VMM_PT_POOL_MAX ==>
	  @   \at(pt->page_pa[q], Here) == \at(pt->page_pa[q], Pre);
	  @*/
	/*@ assert \forall integer q; 0 <= q < VMM_PT_POOL_MAX && q != c ==>
	  @   \at(pt->used[q], Here) == \at(pt->used[q], Pre) &&
	  @   \at(pt->level[q], Here) == \at(pt->level[q], Pre) &&
	  @   \at(pt->parent_page[q], Here) == \at(pt->parent_page[q], Pre) &&
	  @   \at(pt->parent_idx[q], Here) == \at(pt->parent_idx[q], Pre);
	  @*/
	/*@ assert \forall integer q, m;
	  @   0 <= q < VMM_PT_POOL_MAX && 0 <= m < VMM_PT_ENTRIES && q != c &&
	  @   (q != p || m != j) ==>
	  @   \at(pt->child[pt_at(q, m)], Here) == \at(pt->child[pt_at(q, m)], Pre) &&
	  @   \at(pt->entries[pt_at(q, m)], Here) ==
	  @     \at(pt->entries[pt_at(q, m)], Pre);
	  @*/
	/*@ assert \forall integer m; 0 <= m < VMM_PT_ENTRIES ==>
	  @   pt->child[pt_at(c, m)] == VMM_PT_NONE && pt->entries[pt_at(c, m)] == 0;
	  @*/
	/*@ assert pt_linked{Pre, Here}(pt, p, j, c); */
}

/*
 * The table one level below used page @p on entry @j: the existing one,
 * or a fresh one from the pool; VMM_PT_NONE when the pool is empty.  No
 * translation changes either way.  (Returned, not written through a
 * pointer: a write to the caller's memory would make every frame harder.)
 */
/*@ requires pt_mem(pt) && pt_live(pt);
  @ requires p < pt->npages && pt->used[p] != 0;
  @ requires 1 <= pt->level[p] <= 3;
  @ requires j < VMM_PT_ENTRIES;
  @
  @ assigns pt->used[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->level[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_page[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_idx[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt_live(pt);
  @ ensures \forall integer g; 0 <= g ==>
  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures \result != VMM_PT_NONE ==>
  @   \result < pt->npages && pt->child[pt_at(p, j)] == \result &&
  @   pt->used[\result] != 0 && pt->level[\result] + 1 == pt->level[p];
  @ ensures \result == VMM_PT_NONE ==>
  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
  @ ensures \forall integer q, k;
  @   0 <= q < VMM_PT_POOL_MAX && 0 <= k < VMM_PT_ENTRIES &&
  @   \at(pt->used[q], Pre) != 0 ==>
  @     pt->used[q] != 0 && pt->level[q] == \at(pt->level[q], Pre) &&
  @     (q != p || k != j ==>
  @        pt->child[pt_at(q, k)] == \at(pt->child[pt_at(q, k)], Pre) &&
  @        pt->entries[pt_at(q, k)] == \at(pt->entries[pt_at(q, k)], Pre));
  @ ensures pt->npages == \old(pt->npages);
  @*/
static vmm_u32 ptable__descend(struct vmm_ptable *pt, vmm_u32 p, vmm_u32 j)
{
	vmm_u32 c = pt->child[ptable__at(p, j)];

	if (c == VMM_PT_NONE) {
		c = ptable__find_free(pt);
		if (c == VMM_PT_POOL_MAX) {
			c = VMM_PT_NONE;
		} else {
			ptable__new_table(pt, p, j, c);
		}
	}
	return c;
}

/*
 * Decode the pool pages [@from, @n) of @page_pa: 4 KiB aligned, below
 * 2^52.  No write.
 */
/*@ requires from <= n && \valid_read(page_pa + (0 .. n - 1));
  @ assigns \nothing;
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_PAGE_ALIGN ||
  @   \result == VMM_PT_ERR_PAGE_LIMIT;
  @ ensures \result == VMM_PT_OK <==>
  @   \forall integer k; from <= k < n ==> pt_pa_ok(page_pa[k]);
  @ ensures \result == VMM_PT_ERR_PAGE_ALIGN ==>
  @   \exists integer k; from <= k < n && page_pa[k] % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_PAGE_LIMIT ==>
  @   \exists integer k; from <= k < n && page_pa[k] >= VMM_PT_HPA_LIMIT;
  @*/
static enum vmm_ptable_err ptable__check_pages(const vmm_u64 *page_pa,
					       vmm_u32 from, vmm_u32 n)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 i;

	/*@ loop invariant from <= i <= n;
	  @ loop invariant err == VMM_PT_OK ||
	  @   err == VMM_PT_ERR_PAGE_ALIGN || err == VMM_PT_ERR_PAGE_LIMIT;
	  @ loop invariant err == VMM_PT_OK ==>
	  @   \forall integer k; from <= k < i ==> pt_pa_ok(page_pa[k]);
	  @ loop invariant err == VMM_PT_ERR_PAGE_ALIGN ==>
	  @   \exists integer k; from <= k < n &&
	  @     page_pa[k] % VMM_PAGE_SIZE != 0;
	  @ loop invariant err == VMM_PT_ERR_PAGE_LIMIT ==>
	  @   \exists integer k; from <= k < n &&
	  @     page_pa[k] >= VMM_PT_HPA_LIMIT;
	  @ loop assigns i, err;
	  @ loop variant n - i;
	  @*/
	for (i = from; (i < n) && (err == VMM_PT_OK); i++) {
		if ((page_pa[i] % VMM_PAGE_SIZE) != 0U) {
			err = VMM_PT_ERR_PAGE_ALIGN;
		} else if (page_pa[i] >= VMM_PT_HPA_LIMIT) {
			err = VMM_PT_ERR_PAGE_LIMIT;
		}
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_init(struct vmm_ptable *pt, vmm_u32 format,
				    vmm_u64 *entries, vmm_u16 *child,
				    const vmm_u64 *page_pa, vmm_u32 npages)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 i;

	if ((pt == VMM_NULL) || (entries == VMM_NULL) ||
	    (child == VMM_NULL) || (page_pa == VMM_NULL)) {
		err = VMM_PT_ERR_NULL;
	} else if ((format != VMM_PT_FORMAT_EPT) &&
		   (format != VMM_PT_FORMAT_NPT)) {
		err = VMM_PT_ERR_FORMAT;
	} else if ((npages == 0U) || (npages > VMM_PT_POOL_MAX)) {
		err = VMM_PT_ERR_POOL_SIZE;
	} else {
		/* Decode: every page address, no write. */
		err = ptable__check_pages(page_pa, 0U, npages);
	}
	if (err == VMM_PT_OK) {
		/* Invoke: cannot fail. */
		pt->format = format;
		pt->npages = npages;
		pt->entries = entries;
		pt->child = child;
		/* Pages not given have address 0: pt_pages_ok holds for all. */
		/*@ loop invariant 0 <= i <= VMM_PT_POOL_MAX;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   pt->page_pa[k] == (k < npages ? page_pa[k] : 0) &&
		  @   pt->used[k] == 0;
		  @ loop assigns i, pt->page_pa[0 .. VMM_PT_POOL_MAX - 1],
		  @   pt->used[0 .. VMM_PT_POOL_MAX - 1];
		  @ loop variant VMM_PT_POOL_MAX - i;
		  @*/
		for (i = 0U; i < VMM_PT_POOL_MAX; i++) {
			pt->page_pa[i] = (i < npages) ? page_pa[i] : 0U;
			pt->used[i] = 0U;
		}
		/*@ loop invariant 0 <= i <= VMM_PT_ENTRIES;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   child[pt_at(VMM_PT_ROOT, k)] == VMM_PT_NONE &&
		  @   entries[pt_at(VMM_PT_ROOT, k)] == 0;
		  @ loop assigns i, child[0 .. VMM_PT_ENTRIES - 1],
		  @   entries[0 .. VMM_PT_ENTRIES - 1];
		  @ loop variant VMM_PT_ENTRIES - i;
		  @*/
		for (i = 0U; i < VMM_PT_ENTRIES; i++) {
			entries[ptable__at(VMM_PT_ROOT, i)] = 0U;
			child[ptable__at(VMM_PT_ROOT, i)] = VMM_PT_NONE;
		}
		pt->level[VMM_PT_ROOT] = 3U;
		pt->parent_page[VMM_PT_ROOT] = VMM_PT_NONE;
		pt->parent_idx[VMM_PT_ROOT] = VMM_PT_NONE;
		pt->used[VMM_PT_ROOT] = 1U;
		/* Steps to the postcondition. */
		/*@ assert \forall integer i; 0 <= i < npages ==>
		  @   page_pa[i] == \at(page_pa[i], Pre) &&
		  @   pt->page_pa[i] == page_pa[i] && pt_pa_ok(page_pa[i]);
		  @*/
		/*@ assert \forall integer i; 0 < i < VMM_PT_POOL_MAX ==>
		  @   pt->used[i] == 0;
		  @*/
		/*@ assert pt_mem(pt); */
		/*@ assert pt_pages_ok(pt); */
		/*@ assert pt_live(pt); */
		/*@ assert \forall integer g; 0 <= g ==> pt_p2(pt, g) == VMM_PT_NONE; */
		/*@ assert \forall integer g; 0 <= g ==> pt_leaf(pt, g) == 0; */
		/* Lemma pt_empty_secure. */
		/*@ assert \forall struct vmm_memslot_table t; pt_secure(pt, t); */
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_grow(struct vmm_ptable *pt, vmm_u64 *entries,
				    vmm_u16 *child, const vmm_u64 *page_pa,
				    vmm_u32 npages)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 old = 0U;
	vmm_u32 n_old;
	vmm_u32 i;

	if ((pt == VMM_NULL) || (entries == VMM_NULL) ||
	    (child == VMM_NULL) || (page_pa == VMM_NULL)) {
		err = VMM_PT_ERR_NULL;
	} else if (pt->used[VMM_PT_ROOT] == 0U) {
		err = VMM_PT_ERR_TORN_DOWN;
	} else if ((npages <= pt->npages) || (npages > VMM_PT_POOL_MAX)) {
		err = VMM_PT_ERR_POOL_SIZE;
	} else {
		old = pt->npages;
		err = ptable__check_pages(page_pa, old, npages);
	}
	if (err == VMM_PT_OK) {
		/*@ assert pt_live{Pre}(pt) && pt_pages_ok{Pre}(pt); */
		/* Invoke: the old shadow into the new, then switch. */
		n_old = ptable__at(old, 0U);
		/*@ loop invariant 0 <= i <= n_old;
		  @ loop invariant \forall integer y; 0 <= y < i ==>
		  @   child[y] == pt->child[y];
		  @ loop assigns i, child[0 .. pt_at(npages, 0) - 1];
		  @ loop variant n_old - i;
		  @*/
		for (i = 0U; i < n_old; i++) {
			child[i] = pt->child[i];
		}
		/*@ loop invariant old <= i <= npages;
		  @ loop invariant \forall integer k; old <= k < i ==>
		  @   pt->page_pa[k] == page_pa[k];
		  @ loop invariant \forall integer k;
		  @   0 <= k < VMM_PT_POOL_MAX && (k < old || i <= k) ==>
		  @   pt->page_pa[k] == \at(pt->page_pa[k], Pre);
		  @ loop assigns i, pt->page_pa[0 .. VMM_PT_POOL_MAX - 1];
		  @ loop variant npages - i;
		  @*/
		for (i = old; i < npages; i++) {
			pt->page_pa[i] = page_pa[i];
		}
		/*@ assert \forall integer y; 0 <= y < pt_at(old, 0) ==>
		  @   child[y] == \at(pt->child[y], Pre) &&
		  @   entries[y] == \at(pt->entries[y], Pre);
		  @*/
		pt->entries = entries;
		pt->child = child;
		pt->npages = npages;
		/* Steps to pt_grown, for lemmas pt_grown_live and _leaf. */
		/*@ assert \forall integer y; 0 <= y < pt_at(old, 0) ==>
		  @   pt->child[y] == \at(pt->child[y], Pre) &&
		  @   pt->entries[y] == \at(pt->entries[y], Pre);
		  @*/
		/*@ assert \forall integer q; 0 <= q < VMM_PT_POOL_MAX ==>
		  @   pt_pa_ok(pt->page_pa[q]);
		  @*/
		/*@ assert pt_grown{Pre, Here}(pt); */
		/* The success conditions, stated before the ownership steps
		 * below add their quantifiers. */
		/*@ assert pt_live{Pre}(pt) && old == \at(pt->npages, Pre) &&
		  @   old < npages <= VMM_PT_POOL_MAX &&
		  @   \forall integer k; old <= k < npages ==>
		  @     pt_pa_ok(page_pa[k]);
		  @*/
		/*@ assert \forall integer g; 0 <= g ==>
		  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
		  @*/
		/* Lemma pt_owned_keep: the new pages are fresh. */
		/*@ assert \forall integer g; 0 <= g ==>
		  @   !pt_present(pt->format, pt_leaf(pt, g)) ||
		  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
		  @*/
		/*@ assert \forall integer q; 0 <= q < old ==>
		  @   pt->page_pa[q] == \at(pt->page_pa[q], Pre);
		  @*/
		/*@ assert pt_fresh{Pre}(pt, page_pa, old, npages) ==>
		  @   \forall integer q, g; old <= q < npages ==>
		  @     0 <= g < VMM_PT_GPA_LIMIT ==>
		  @     pt_present(\at(pt->format, Pre), pt_leaf{Pre}(pt, g)) ==>
		  @     pt_leaf_hpa(pt_leaf{Pre}(pt, g)) != pt->page_pa[q];
		  @*/
		/*@ assert pt_owned{Pre}(pt) ==>
		  @   pt_fresh{Pre}(pt, page_pa, old, npages) ==> pt_owned(pt);
		  @*/
	}
	return err;
}

/*
 * Is @hpa one of the pool's own pages?  Linear in the pool (npages
 * compares per map, i.e. per first touch of a guest page): the price of
 * a guarantee the contract can state without trusting the module.
 */
/*@ requires \valid_read(pt) && pt->npages <= VMM_PT_POOL_MAX;
  @ assigns \nothing;
  @ ensures \result != 0 <==> pt_pool_page(pt, hpa);
  @*/
static vmm_bool ptable__pool_page(const struct vmm_ptable *pt, vmm_u64 hpa)
{
	vmm_bool found = VMM_FALSE;
	vmm_u32 n = pt->npages;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= n;
	  @ loop invariant found == VMM_FALSE ==>
	  @   \forall integer k; 0 <= k < i ==> pt->page_pa[k] != hpa;
	  @ loop invariant found != VMM_FALSE ==> pt_pool_page(pt, hpa);
	  @ loop assigns i, found;
	  @ loop variant n - i;
	  @*/
	for (i = 0U; (i < n) && (found == VMM_FALSE); i++) {
		if (pt->page_pa[i] == hpa) {
			found = VMM_TRUE;
		}
	}
	return found;
}

/*
 * Decode half of vmm_ptable_map(): every check, no write.  On success
 * the page lies in one slot, which is writable if W is asked.
 */
/*@ requires pt_mem(pt) && pt_inv(pt);
  @ requires \valid_read(slots) && pt_sep(pt, slots);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_ERR_GPA_LIMIT ==> gpa >= VMM_PT_GPA_LIMIT;
  @ ensures \result == VMM_PT_ERR_GPA_ALIGN ==> gpa % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_HPA_ALIGN ==> hpa % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_HPA_LIMIT ==> hpa >= VMM_PT_HPA_LIMIT;
  @ ensures \result == VMM_PT_ERR_PERMS ==> !pt_perms_ok(perms);
  @ ensures \result == VMM_PT_ERR_NO_SLOT ==>
  @   !range_mapped(slots, gpa, VMM_PAGE_SIZE);
  @ ensures \result == VMM_PT_ERR_SLOT_READONLY ==>
  @   pt_perm_w(perms) &&
  @   \exists integer i; 0 <= i < VMM_MEMSLOT_MAX &&
  @     range_in_slot(slots->slots[i], gpa, VMM_PAGE_SIZE) &&
  @     slots->slots[i].flags != 0;
  @ ensures \result == VMM_PT_OK ==>
  @   pt_live{Pre}(pt) && gpa < VMM_PT_GPA_LIMIT && gpa % VMM_PAGE_SIZE == 0 &&
  @   pt_pa_ok(hpa) && pt_perms_ok(perms) &&
  @   \exists integer i; 0 <= i < VMM_MEMSLOT_MAX &&
  @     range_in_slot(\at(*slots, Pre).slots[i], gpa, VMM_PAGE_SIZE) &&
  @     (pt_perm_w(perms) ==> \at(*slots, Pre).slots[i].flags == 0);
  @ ensures \result == VMM_PT_ERR_HPA_POOL ==> pt_pool_page(pt, hpa);
  @ ensures \result == VMM_PT_OK ==> !pt_pool_page(pt, hpa);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_TORN_DOWN ||
  @   \result == VMM_PT_ERR_GPA_LIMIT || \result == VMM_PT_ERR_GPA_ALIGN ||
  @   \result == VMM_PT_ERR_HPA_ALIGN || \result == VMM_PT_ERR_HPA_LIMIT ||
  @   \result == VMM_PT_ERR_PERMS || \result == VMM_PT_ERR_NO_SLOT ||
  @   \result == VMM_PT_ERR_SLOT_READONLY || \result == VMM_PT_ERR_HPA_POOL;
  @*/
static enum vmm_ptable_err
ptable__map_check(const struct vmm_ptable *pt,
		  const struct vmm_memslot_table *slots, vmm_u64 gpa,
		  vmm_u64 hpa, vmm_u32 perms)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 slot = 0U;
	vmm_u64 off = 0U;

	if (pt->used[VMM_PT_ROOT] == 0U) {
		err = VMM_PT_ERR_TORN_DOWN;
	} else if (gpa >= VMM_PT_GPA_LIMIT) {
		err = VMM_PT_ERR_GPA_LIMIT;
	} else if ((gpa % VMM_PAGE_SIZE) != 0U) {
		err = VMM_PT_ERR_GPA_ALIGN;
	} else if ((hpa % VMM_PAGE_SIZE) != 0U) {
		err = VMM_PT_ERR_HPA_ALIGN;
	} else if (hpa >= VMM_PT_HPA_LIMIT) {
		err = VMM_PT_ERR_HPA_LIMIT;
	} else if ((perms != VMM_PT_PERM_R) && (ptable__perm_w(perms) == 0) &&
		   (ptable__perm_x(perms) == 0)) {
		err = VMM_PT_ERR_PERMS;
	} else if (vmm_memslot_lookup(slots, gpa, VMM_PAGE_SIZE, &slot,
				      &off) != VMM_MEMSLOT_OK) {
		/* The whole page must lie in one slot (layer 1 contract). */
		err = VMM_PT_ERR_NO_SLOT;
	} else if ((ptable__perm_w(perms) != 0) &&
		   (slots->slots[slot].flags != 0U)) {
		/* KVM_MEM_READONLY: the guest may read, never write. */
		err = VMM_PT_ERR_SLOT_READONLY;
	} else if (ptable__pool_page(pt, hpa) != 0) {
		/* A page-table page is never guest memory. */
		err = VMM_PT_ERR_HPA_POOL;
	} else {
		/* The witness for the postcondition, as a value. */
		/*@ assert range_in_slot(\at(*slots, Pre).slots[slot], gpa,
		  @                      VMM_PAGE_SIZE);
		  @*/
		/*@ assert pt_perm_w(perms) ==>
		  @   \at(*slots, Pre).slots[slot].flags == 0;
		  @*/
		err = VMM_PT_OK;
	}
	return err;
}

/*
 * Write leaf @e at flat index @x, the entry of @gpa's page in the leaf
 * table on its path: only that page's translation changes.
 */
/*@ requires pt_mem(pt) && pt_live(pt) && gpa < VMM_PT_GPA_LIMIT;
  @ requires pt_p0(pt, gpa) != VMM_PT_NONE;
  @ requires x == pt_at(pt_p0(pt, gpa), pt_idx(gpa, 0));
  @
  @ assigns pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt_live(pt);
  @ ensures pt_leaf(pt, gpa) == e;
  @ ensures \forall integer g; 0 <= g ==> !pt_same_page(g, gpa) ==>
  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures pt->npages == \old(pt->npages);
  @*/
static void ptable__write_leaf(struct vmm_ptable *pt, vmm_u64 gpa, vmm_u32 x,
			       vmm_u64 e)
{
	(void)gpa; /* named by the contract only */
	pt->entries[x] = e;
	/*@ assert \forall integer q; 0 <= q < VMM_PT_POOL_MAX ==>
	  @   \at(pt->page_pa[q], Here) == \at(pt->page_pa[q], Pre);
	  @*/
	/*@ assert \forall integer y; 0 <= y < VMM_PT_POOL_MAX_ENTRIES && y != x ==>
	  @   \at(pt->entries[y], Here) == \at(pt->entries[y], Pre);
	  @*/
	/* For lemmas pt_leaf_write_live, _walk and _other. */
	/*@ assert pt_entry_written{Pre, Here}(pt, x); */
}

/* Hardware entry @j of pool page @p (read from the view). */
/*@ requires pt_mem(pt) && p < pt->npages && j < VMM_PT_ENTRIES;
  @ assigns \nothing;
  @ ensures \result == pt->entries[pt_at(p, j)];
  @*/
static vmm_u64 ptable__entry(const struct vmm_ptable *pt, vmm_u32 p,
			     vmm_u32 j)
{
	return pt->entries[ptable__at(p, j)];
}

/*
 * Invoke half of vmm_ptable_map(): walk down to @gpa's leaf table,
 * linking missing tables (no translation changes), then write leaf @e
 * unless the page is mapped already.
 */
/*@ requires pt_mem(pt) && pt_live(pt);
  @ requires gpa < VMM_PT_GPA_LIMIT;
  @
  @ assigns pt->used[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->level[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_page[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_idx[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt_live(pt);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_MAPPED ||
  @   \result == VMM_PT_ERR_POOL_EMPTY;
  @ ensures \result == VMM_PT_OK ==> pt_leaf(pt, gpa) == e;
  @ ensures \result == VMM_PT_OK ==>
  @   !pt_present(pt->format, pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_ERR_MAPPED ==>
  @   pt_present(pt->format, pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_ERR_POOL_EMPTY ==>
  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
  @ ensures \forall integer g; 0 <= g ==>
  @   !(\result == VMM_PT_OK && pt_same_page(g, gpa)) ==>
  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures pt->npages == \old(pt->npages);
  @*/
static enum vmm_ptable_err ptable__map_leaf(struct vmm_ptable *pt,
					    vmm_u64 gpa, vmm_u64 e)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 p2;
	vmm_u32 p1 = VMM_PT_NONE;
	vmm_u32 p0 = VMM_PT_NONE;
	vmm_u32 i0 = ptable__index(gpa, 0U);
	vmm_u32 x;

	p2 = ptable__descend(pt, VMM_PT_ROOT, ptable__index(gpa, 3U));
	/*@ assert p2 == VMM_PT_NONE ==>
	  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
	  @*/
	if (p2 != VMM_PT_NONE) {
		p1 = ptable__descend(pt, p2, ptable__index(gpa, 2U));
	}
	/*@ assert p1 == VMM_PT_NONE ==>
	  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
	  @*/
	if (p1 != VMM_PT_NONE) {
		p0 = ptable__descend(pt, p1, ptable__index(gpa, 1U));
	}
	/*@ assert p0 == VMM_PT_NONE ==>
	  @   \forall integer i; 0 <= i < pt->npages ==> pt->used[i] != 0;
	  @*/
	/*@ assert \forall integer g; 0 <= g ==>
	  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
	  @*/
	if (p0 == VMM_PT_NONE) {
		err = VMM_PT_ERR_POOL_EMPTY;
	} else {
		/*@ assert p0 == pt_p0(pt, gpa) && p0 < pt->npages; */
		x = ptable__at(p0, i0);
		/*@ assert pt_leaf(pt, gpa) == pt->entries[pt_at(p0, i0)]; */
		if (ptable__present(pt->format, ptable__entry(pt, p0, i0)) != 0) {
			err = VMM_PT_ERR_MAPPED;
		} else {
			ptable__write_leaf(pt, gpa, x, e);
		}
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_map(struct vmm_ptable *pt,
				   const struct vmm_memslot_table *slots,
				   vmm_u64 gpa, vmm_u64 hpa, vmm_u32 perms)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u64 e;

	if ((pt == VMM_NULL) || (slots == VMM_NULL)) {
		err = VMM_PT_ERR_NULL;
	} else {
		err = ptable__map_check(pt, slots, gpa, hpa, perms);
		if (err == VMM_PT_OK) {
			e = ptable__leaf_entry(pt->format, hpa, perms);
			err = ptable__map_leaf(pt, gpa, e);
			/* Frame: map writes no pool address, size or format. */
			/*@ assert \forall integer q; 0 <= q < VMM_PT_POOL_MAX ==>
			  @   pt->page_pa[q] == \at(pt->page_pa[q], Pre);
			  @*/
			/*@ assert pt->npages == \at(pt->npages, Pre) &&
			  @   pt->format == \at(pt->format, Pre);
			  @*/
			/*
			 * Isolation, ownership and backing, one case at a time
			 * (each branch proves its steps without the other's):
			 * lemmas pt_isolated_same, pt_owned_same and
			 * pt_backed_same when no leaf changed; pt_isolated_map,
			 * pt_owned_map and pt_backed_map when one did.
			 */
			if (err == VMM_PT_OK) {
				/*@ assert pt_live(pt) && gpa < VMM_PT_GPA_LIMIT &&
				  @   gpa % VMM_PAGE_SIZE == 0 && pt_pa_ok(hpa) &&
				  @   pt_perms_ok(perms) &&
				  @   range_mapped(slots, gpa, VMM_PAGE_SIZE) &&
				  @   pt_leaf(pt, gpa) ==
				  @     pt_leaf_entry(pt->format, hpa, perms);
				  @*/
				/*@ assert !pt_pool_page(pt, hpa); */
				/*@ assert pt_isolated{Pre}(pt, \at(*slots, Pre)) ==>
				  @   pt_isolated(pt, \at(*slots, Pre));
				  @*/
				/*@ assert \forall integer g;
				  @   0 <= g < VMM_PT_GPA_LIMIT ==>
				  @   pt_same_page(g, gpa) ==>
				  @   pt_leaf_hpa(pt_leaf(pt, g)) == hpa;
				  @*/
				/*@ assert pt_owned{Pre}(pt) ==>
				  @   \forall integer g;
				  @     0 <= g < VMM_PT_GPA_LIMIT ==>
				  @     !pt_same_page(g, gpa) ==>
				  @     pt_present(pt->format, pt_leaf(pt, g)) ==>
				  @     !pt_pool_page(pt, pt_leaf_hpa(pt_leaf(pt, g)));
				  @*/
				/*@ assert pt_owned{Pre}(pt) ==> pt_owned(pt); */
				/*@ assert pt_backed{Pre}(pt, \at(*slots, Pre)) ==>
				  @   pt_backs(\at(*slots, Pre), gpa, hpa) ==>
				  @   pt_backed(pt, \at(*slots, Pre));
				  @*/
			} else {
				/*@ assert \forall integer g; 0 <= g ==>
				  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
				  @*/
				/*@ assert pt_isolated{Pre}(pt, \at(*slots, Pre)) ==>
				  @   pt_isolated(pt, \at(*slots, Pre));
				  @*/
				/*@ assert pt_owned{Pre}(pt) ==> pt_owned(pt); */
				/*@ assert pt_backed{Pre}(pt, \at(*slots, Pre)) ==>
				  @   pt_backed(pt, \at(*slots, Pre));
				  @*/
			}
		}
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_unmap(struct vmm_ptable *pt, vmm_u64 gpa)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 p0 = VMM_PT_NONE;
	vmm_u32 i0 = 0U;

	if (pt == VMM_NULL) {
		err = VMM_PT_ERR_NULL;
	} else if (pt->used[VMM_PT_ROOT] == 0U) {
		err = VMM_PT_ERR_TORN_DOWN;
	} else if (gpa >= VMM_PT_GPA_LIMIT) {
		err = VMM_PT_ERR_GPA_LIMIT;
	} else if ((gpa % VMM_PAGE_SIZE) != 0U) {
		err = VMM_PT_ERR_GPA_ALIGN;
	} else {
		p0 = ptable__leaf_table(pt, gpa);
		i0 = ptable__index(gpa, 0U);
		if ((p0 == VMM_PT_NONE) ||
		    (ptable__present(pt->format, pt->entries[ptable__at(p0, i0)]) == 0)) {
			err = VMM_PT_ERR_NOT_MAPPED;
		}
	}
	if (err == VMM_PT_OK) {
		pt->entries[ptable__at(p0, i0)] = 0U;
		/* For lemmas pt_owned_keep and pt_backed_keep. */
		/*@ assert \forall integer g; 0 <= g ==>
		  @   !pt_present(pt->format, pt_leaf(pt, g)) ||
		  @   pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
		  @*/
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_lookup(const struct vmm_ptable *pt,
				      vmm_u64 gpa, vmm_u64 *hpa,
				      vmm_u32 *perms)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 p0 = VMM_PT_NONE;
	vmm_u64 e = 0U;
	vmm_u32 pm;

	if ((pt == VMM_NULL) || (hpa == VMM_NULL) || (perms == VMM_NULL)) {
		err = VMM_PT_ERR_NULL;
	} else if (pt->used[VMM_PT_ROOT] == 0U) {
		err = VMM_PT_ERR_TORN_DOWN;
	} else if (gpa >= VMM_PT_GPA_LIMIT) {
		err = VMM_PT_ERR_GPA_LIMIT;
	} else {
		p0 = ptable__leaf_table(pt, gpa);
		if (p0 == VMM_PT_NONE) {
			err = VMM_PT_ERR_NOT_MAPPED;
		} else {
			e = pt->entries[ptable__at(p0, ptable__index(gpa, 0U))];
			if (ptable__present(pt->format, e) == 0) {
				err = VMM_PT_ERR_NOT_MAPPED;
			}
		}
	}
	if (err == VMM_PT_OK) {
		if (pt->format == VMM_PT_FORMAT_EPT) {
			pm = (vmm_u32)(e % 8U);
		} else {
			pm = VMM_PT_PERM_R;
			if ((e % 4U) >= 2U) {
				pm += VMM_PT_PERM_W;
			}
			if (e < VMM_NPT_NX) {
				pm += VMM_PT_PERM_X;
			}
		}
		/* Bits 51:12, plus the byte offset in the page. */
		*hpa = ((e % VMM_PT_HPA_LIMIT) - (e % VMM_PAGE_SIZE)) +
		       (gpa % VMM_PAGE_SIZE);
		*perms = pm;
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_teardown(struct vmm_ptable *pt)
{
	enum vmm_ptable_err err = VMM_PT_OK;
	vmm_u32 i;

	if (pt == VMM_NULL) {
		err = VMM_PT_ERR_NULL;
	} else {
		/* Empty the root first: the hardware then sees nothing. */
		/*@ loop invariant 0 <= i <= VMM_PT_ENTRIES;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   pt->child[pt_at(VMM_PT_ROOT, k)] == VMM_PT_NONE &&
		  @   pt->entries[pt_at(VMM_PT_ROOT, k)] == 0;
		  @ loop assigns i, pt->child[0 .. VMM_PT_ENTRIES - 1],
		  @   pt->entries[0 .. VMM_PT_ENTRIES - 1];
		  @ loop variant VMM_PT_ENTRIES - i;
		  @*/
		for (i = 0U; i < VMM_PT_ENTRIES; i++) {
			pt->entries[ptable__at(VMM_PT_ROOT, i)] = 0U;
			pt->child[ptable__at(VMM_PT_ROOT, i)] = VMM_PT_NONE;
		}
		/*@ loop invariant 0 <= i <= VMM_PT_POOL_MAX;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   pt->used[k] == 0;
		  @ loop assigns i, pt->used[0 .. VMM_PT_POOL_MAX - 1];
		  @ loop variant VMM_PT_POOL_MAX - i;
		  @*/
		for (i = 0U; i < VMM_PT_POOL_MAX; i++) {
			pt->used[i] = 0U;
		}
		/*@ assert \forall integer g; 0 <= g ==> pt_p2(pt, g) == VMM_PT_NONE; */
		/*@ assert \forall integer g; 0 <= g ==> pt_leaf(pt, g) == 0; */
		/* Lemma pt_empty_secure. */
		/*@ assert \forall struct vmm_memslot_table t; pt_secure(pt, t); */
	}
	return err;
}

enum vmm_ptable_err vmm_ptable_root_pa(const struct vmm_ptable *pt,
				       vmm_u64 *out)
{
	enum vmm_ptable_err err = VMM_PT_OK;

	if ((pt == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_PT_ERR_NULL;
	} else if (pt->used[VMM_PT_ROOT] == 0U) {
		err = VMM_PT_ERR_TORN_DOWN;
	} else {
		*out = pt->page_pa[VMM_PT_ROOT];
	}
	return err;
}
