// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 1: guest memory slots.  Rules and contracts: memslot.h;
 * abstract model: acsl-specs/memslot.acsl.
 *
 * Shape: decode, then invoke.  vmm_memslot_set() runs every check first
 * (validate the region, check the change against the old slot, check
 * overlap) and writes the table only when all passed, so a failure leaves
 * the table as it was.  All arithmetic is unsigned and written so that it
 * cannot wrap (verify.sh proves that with -warn-unsigned-overflow).
 */
#include <libvmm/memslot.h>

/*
 * 2^@top for @top <= 48: start at the reach and halve once per bit below
 * it.  Halving, not shifting, so that each step is one unfolding of
 * gpa_limit_of() for the provers, and nothing can overflow.
 */
/*@ requires top <= VMM_GPA_REACH_BITS;
  @ assigns \nothing;
  @ ensures \result == gpa_limit_of(top) && \result <= VMM_GPA_REACH;
  @*/
static vmm_u64 memslot__gpa_limit(vmm_u32 top)
{
	vmm_u64 limit = VMM_GPA_REACH;
	vmm_u32 b = VMM_GPA_REACH_BITS;

	/*@ loop invariant top <= b <= VMM_GPA_REACH_BITS;
	  @ loop invariant limit == gpa_limit_of(b) && limit <= VMM_GPA_REACH;
	  @ loop assigns b, limit;
	  @ loop variant b;
	  @*/
	while (b > top) {
		b--;
		limit = limit / 2U;
	}
	return limit;
}

enum vmm_memslot_err vmm_memslot_init(struct vmm_memslot_table *tbl,
				      vmm_u32 phys_bits)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;
	vmm_u32 i;

	if (tbl == VMM_NULL) {
		err = VMM_MEMSLOT_ERR_NULL;
	} else if ((phys_bits < VMM_MAXPHYADDR_MIN) ||
		   (phys_bits > VMM_MAXPHYADDR_MAX)) {
		err = VMM_MEMSLOT_ERR_PHYS_BITS;
	} else {
		tbl->gpa_limit = memslot__gpa_limit(
			(phys_bits < VMM_GPA_REACH_BITS) ? phys_bits :
							   VMM_GPA_REACH_BITS);
		/*@ loop invariant 0 <= i <= VMM_MEMSLOT_MAX;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   tbl->slots[k].id == k && slot_empty(tbl->slots[k]);
		  @ loop invariant tbl->gpa_limit ==
		  @   gpa_limit_of(gpa_limit_bits(phys_bits)) &&
		  @   tbl->gpa_limit <= VMM_GPA_REACH;
		  @ loop assigns i, tbl->slots[0 .. VMM_MEMSLOT_MAX - 1];
		  @ loop variant VMM_MEMSLOT_MAX - i;
		  @*/
		for (i = 0U; i < VMM_MEMSLOT_MAX; i++) {
			tbl->slots[i].id = i;
			tbl->slots[i].flags = 0U;
			tbl->slots[i].guest_phys_addr = 0U;
			tbl->slots[i].memory_size = 0U;
			tbl->slots[i].userspace_addr = 0U;
		}
	}
	return err;
}

enum vmm_memslot_err vmm_memslot_validate(const struct vmm_memslot_region *r)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;

	if (r == VMM_NULL) {
		err = VMM_MEMSLOT_ERR_NULL;
	} else if (r->slot > VMM_MEMSLOT_ID_MASK) {
		/* KVM: as_id = slot >> 16; only address space 0 exists here. */
		err = VMM_MEMSLOT_ERR_AS_ID;
	} else if (r->slot >= VMM_MEMSLOT_MAX) {
		err = VMM_MEMSLOT_ERR_SLOT_ID;
	} else if (r->flags > VMM_MEM_FLAGS_KNOWN) {
		/*
		 * KVM's "flags & ~valid": the known flags are the low bits
		 * (build-asserted in memslot.h), so a value above them has an
		 * unknown bit.  Comparisons, not masks, because the provers
		 * handle them; masks on integers mostly time out.
		 */
		err = VMM_MEMSLOT_ERR_FLAGS_UNKNOWN;
	} else if ((r->flags != 0U) && (r->flags != VMM_MEM_READONLY)) {
		/*
		 * Left: 1 and 3, i.e. KVM_MEM_LOG_DIRTY_PAGES, known to KVM
		 * but not supported: lamina keeps no dirty bitmap yet.
		 */
		err = VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG;
	} else if ((r->guest_phys_addr % VMM_PAGE_SIZE) != 0U) {
		err = VMM_MEMSLOT_ERR_GPA_ALIGN;
	} else if ((r->memory_size % VMM_PAGE_SIZE) != 0U) {
		err = VMM_MEMSLOT_ERR_SIZE_ALIGN;
	} else if ((r->userspace_addr % VMM_PAGE_SIZE) != 0U) {
		err = VMM_MEMSLOT_ERR_UADDR_ALIGN;
	} else if (r->memory_size > (VMM_U64_MAX - r->guest_phys_addr)) {
		/* gpa + size would wrap: compare without computing it. */
		err = VMM_MEMSLOT_ERR_GPA_WRAP;
	} else if (r->memory_size > (VMM_U64_MAX - r->userspace_addr)) {
		err = VMM_MEMSLOT_ERR_UADDR_WRAP;
	} else if (r->memory_size > VMM_MEMSLOT_SIZE_MAX) {
		err = VMM_MEMSLOT_ERR_SIZE_LIMIT;
	} else {
		err = VMM_MEMSLOT_OK;
	}
	return err;
}

/*
 * May slot @old take region @r (already validated)?  Delete needs a used
 * slot; a used slot keeps its size, host address and read-only flag.
 */
/*@ requires \valid_read(old) && \valid_read(r);
  @ requires region_valid(*r);
  @ requires slot_empty(*old) ||
  @   (slot_used(*old) && mem_range_ok(old->flags, old->guest_phys_addr,
  @                                    old->memory_size, old->userspace_addr));
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_MEMSLOT_OK <==>
  @   ((r->memory_size == 0 ==> slot_used(*old)) &&
  @    (r->memory_size != 0 && slot_used(*old) ==>
  @       old->memory_size == r->memory_size &&
  @       old->userspace_addr == r->userspace_addr &&
  @       old->flags == r->flags));
  @ ensures \result == VMM_MEMSLOT_OK ||
  @   (\result == VMM_MEMSLOT_ERR_DELETE_EMPTY && r->memory_size == 0 &&
  @      !slot_used(*old)) ||
  @   (\result == VMM_MEMSLOT_ERR_CHANGE_SIZE && r->memory_size != 0 &&
  @      slot_used(*old) && old->memory_size != r->memory_size) ||
  @   (\result == VMM_MEMSLOT_ERR_CHANGE_UADDR && r->memory_size != 0 &&
  @      slot_used(*old) && old->userspace_addr != r->userspace_addr) ||
  @   (\result == VMM_MEMSLOT_ERR_CHANGE_READONLY && r->memory_size != 0 &&
  @      slot_used(*old) && old->flags != r->flags);
  @*/
static enum vmm_memslot_err
memslot__check_change(const struct vmm_memslot *old,
		      const struct vmm_memslot_region *r)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;

	if (r->memory_size == 0U) {
		if (old->memory_size == 0U) {
			err = VMM_MEMSLOT_ERR_DELETE_EMPTY;
		}
	} else if (old->memory_size != 0U) {
		if (old->memory_size != r->memory_size) {
			err = VMM_MEMSLOT_ERR_CHANGE_SIZE;
		} else if (old->userspace_addr != r->userspace_addr) {
			err = VMM_MEMSLOT_ERR_CHANGE_UADDR;
		} else if (old->flags != r->flags) {
			/*
			 * Both are 0 or READONLY (validated / table invariant),
			 * so they differ exactly when KVM's
			 * "(old ^ new) & KVM_MEM_READONLY" is set.
			 */
			err = VMM_MEMSLOT_ERR_CHANGE_READONLY;
		} else {
			/* Same flags: a move, or a no-op at the same gpa. */
			err = VMM_MEMSLOT_OK;
		}
	} else {
		/* Create. */
		err = VMM_MEMSLOT_OK;
	}
	return err;
}

/*
 * Does the range of region @r (validated, size != 0) overlap a used slot
 * other than r->slot?  Neither end wraps (r: validated; a slot: below the
 * table's limit), so the sums in the comparison cannot wrap.
 */
/*@ requires \valid_read(tbl) && \valid_read(r);
  @ requires table_invariant(tbl);
  @ requires region_valid(*r) && r->memory_size != 0;
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_MEMSLOT_OK || \result == VMM_MEMSLOT_ERR_OVERLAP;
  @ ensures \result == VMM_MEMSLOT_ERR_OVERLAP <==> region_overlaps(tbl, *r);
  @*/
static enum vmm_memslot_err
memslot__check_overlap(const struct vmm_memslot_table *tbl,
		       const struct vmm_memslot_region *r)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;
	vmm_u64 r_end = r->guest_phys_addr + r->memory_size;
	vmm_u32 j;

	/*@ loop invariant 0 <= j <= VMM_MEMSLOT_MAX;
	  @ loop invariant err == VMM_MEMSLOT_OK || err == VMM_MEMSLOT_ERR_OVERLAP;
	  @ loop invariant err == VMM_MEMSLOT_OK ==>
	  @   \forall integer k; 0 <= k < j && k != r->slot ==>
	  @     !slot_used(tbl->slots[k]) ||
	  @     ranges_disjoint(tbl->slots[k].guest_phys_addr,
	  @                     tbl->slots[k].memory_size,
	  @                     r->guest_phys_addr, r->memory_size);
	  @ loop invariant err == VMM_MEMSLOT_ERR_OVERLAP ==>
	  @   region_overlaps(tbl, *r);
	  @ loop assigns j, err;
	  @ loop variant VMM_MEMSLOT_MAX - j;
	  @*/
	for (j = 0U; (j < VMM_MEMSLOT_MAX) && (err == VMM_MEMSLOT_OK); j++) {
		const struct vmm_memslot *s = &tbl->slots[j];

		if ((j != r->slot) && (s->memory_size != 0U) &&
		    (s->guest_phys_addr < r_end) &&
		    (r->guest_phys_addr <
		     (s->guest_phys_addr + s->memory_size))) {
			err = VMM_MEMSLOT_ERR_OVERLAP;
		}
	}
	return err;
}

/* Write every field of slot @s but its id. */
/*@ requires \valid(s);
  @
  @ assigns s->flags, s->guest_phys_addr, s->memory_size, s->userspace_addr;
  @
  @ ensures s->id == \old(s->id) && s->flags == flags &&
  @   s->guest_phys_addr == gpa && s->memory_size == size &&
  @   s->userspace_addr == uaddr;
  @*/
static void memslot__write(struct vmm_memslot *s, vmm_u32 flags, vmm_u64 gpa,
			   vmm_u64 size, vmm_u64 uaddr)
{
	s->flags = flags;
	s->guest_phys_addr = gpa;
	s->memory_size = size;
	s->userspace_addr = uaddr;
}

enum vmm_memslot_err vmm_memslot_set(struct vmm_memslot_table *tbl,
				     const struct vmm_memslot_region *r)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;

	if ((tbl == VMM_NULL) || (r == VMM_NULL)) {
		err = VMM_MEMSLOT_ERR_NULL;
	} else {
		/* Decode: every check, no write. */
		err = vmm_memslot_validate(r);
		if (err == VMM_MEMSLOT_OK) {
			err = memslot__check_change(&tbl->slots[r->slot], r);
		}
		if ((err == VMM_MEMSLOT_OK) && (r->memory_size != 0U)) {
			err = memslot__check_overlap(tbl, r);
		}
		/*
		 * Last, as KVM checks it (kvm_arch_prepare_memory_region(),
		 * after the overlap): an overlap is EEXIST even above the
		 * limit.  The sum cannot wrap: validated above.
		 */
		if ((err == VMM_MEMSLOT_OK) && (r->memory_size != 0U) &&
		    ((r->guest_phys_addr + r->memory_size) > tbl->gpa_limit)) {
			err = VMM_MEMSLOT_ERR_GPA_LIMIT;
		}
		/* Invoke: cannot fail. */
		if (err == VMM_MEMSLOT_OK) {
			if (r->memory_size == 0U) {
				memslot__write(&tbl->slots[r->slot], 0U, 0U, 0U, 0U);
			} else {
				memslot__write(&tbl->slots[r->slot], r->flags,
					       r->guest_phys_addr, r->memory_size,
					       r->userspace_addr);
			}
			/* Steps for lemma table_invariant_update. */
			/*@ assert slots_unchanged{Pre, Here}(tbl, r->slot); */
			/*@ assert slot_valid(tbl->slots[r->slot], r->slot,
			  @                   tbl->gpa_limit);
			  @*/
			/*@ assert \forall integer j;
			  @   0 <= j < VMM_MEMSLOT_MAX && j != r->slot ==>
			  @   slots_disjoint(tbl->slots[r->slot],
			  @                  \at(tbl->slots[j], Pre));
			  @*/
		}
	}
	return err;
}

/*
 * Does used slot @s back every byte of [gpa, gpa + len)?  Computed as
 * offsets from the slot base, so nothing can wrap whatever @s holds.
 */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result != 0 <==> range_in_slot(*s, gpa, len);
  @*/
static vmm_bool memslot__contains(const struct vmm_memslot *s, vmm_u64 gpa,
				  vmm_u64 len)
{
	vmm_bool in = VMM_FALSE;
	vmm_u64 off;

	if ((s->memory_size != 0U) && (len != 0U) &&
	    (gpa >= s->guest_phys_addr)) {
		off = gpa - s->guest_phys_addr;
		if ((off < s->memory_size) && (len <= (s->memory_size - off))) {
			in = VMM_TRUE;
		}
	}
	return in;
}

enum vmm_memslot_err vmm_memslot_lookup(const struct vmm_memslot_table *tbl,
					vmm_u64 gpa, vmm_u64 len,
					vmm_u32 *out_idx, vmm_u64 *out_off)
{
	enum vmm_memslot_err err = VMM_MEMSLOT_OK;
	vmm_u32 found = VMM_MEMSLOT_MAX;
	vmm_u32 i;

	if ((tbl == VMM_NULL) || (out_idx == VMM_NULL) ||
	    (out_off == VMM_NULL)) {
		err = VMM_MEMSLOT_ERR_NULL;
	} else if (len == 0U) {
		err = VMM_MEMSLOT_ERR_LEN_ZERO;
	} else if (len > (VMM_U64_MAX - gpa)) {
		/* [gpa, gpa + len) would pass 2^64. */
		err = VMM_MEMSLOT_ERR_RANGE_WRAP;
	} else {
		/*@ loop invariant 0 <= i <= VMM_MEMSLOT_MAX;
		  @ loop invariant found == VMM_MEMSLOT_MAX || found < i;
		  @ loop invariant found == VMM_MEMSLOT_MAX ==>
		  @   \forall integer k; 0 <= k < i ==>
		  @     !range_in_slot(tbl->slots[k], gpa, len);
		  @ loop invariant found < VMM_MEMSLOT_MAX ==>
		  @   range_in_slot(tbl->slots[found], gpa, len);
		  @ loop assigns i, found;
		  @ loop variant VMM_MEMSLOT_MAX - i;
		  @*/
		for (i = 0U; (i < VMM_MEMSLOT_MAX) && (found == VMM_MEMSLOT_MAX);
		     i++) {
			if (memslot__contains(&tbl->slots[i], gpa, len) != 0) {
				found = i;
			}
		}
		if (found == VMM_MEMSLOT_MAX) {
			err = VMM_MEMSLOT_ERR_NOT_FOUND;
		} else {
			*out_idx = found;
			*out_off = gpa - tbl->slots[found].guest_phys_addr;
		}
	}
	return err;
}
