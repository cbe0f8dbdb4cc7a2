// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 7: ioctl argument validation.  Rules and contracts: uapi.h;
 * abstract model: acsl-specs/uapi.acsl.  Rests on layer 1 (memslot.h) only
 * through the contract of vmm_memslot_validate().
 *
 * Shape: every decoder runs all its checks first, reading only its input,
 * and writes its output last, only when every check passed; so a failure
 * leaves the output as it was.  The checks are an if/else-if chain in the
 * order of the error codes: the first rule broken names the error.
 */
#include <libvmm/uapi.h>

vmm_u32 vmm_uapi_memslot_errno_class(enum vmm_memslot_err err)
{
	vmm_u32 cls = VMM_EINVAL;

	if (err == VMM_MEMSLOT_OK) {
		cls = 0U;
	} else if (err == VMM_MEMSLOT_ERR_OVERLAP) {
		/* KVM: -EEXIST for a range that meets another slot. */
		cls = VMM_EEXIST;
	} else {
		cls = VMM_EINVAL;
	}
	return cls;
}

vmm_u32 vmm_uapi_errno_class(enum vmm_uapi_err err)
{
	vmm_u32 cls = VMM_EINVAL;

	if (err == VMM_UAPI_OK) {
		cls = 0U;
	} else if (err == VMM_UAPI_ERR_NULL) {
		/* Only a module bug passes NULL: the closest is "bad address". */
		cls = VMM_EFAULT;
	} else if (err == VMM_UAPI_ERR_CPUID_E2BIG) {
		/* KVM_SET_CPUID2 with nent > KVM_MAX_CPUID_ENTRIES: -E2BIG. */
		cls = VMM_E2BIG;
	} else {
		cls = VMM_EINVAL;
	}
	return cls;
}

enum vmm_memslot_err
vmm_uapi_decode_memory_region(const struct vmm_memslot_region *r)
{
	/*
	 * Every stateless rule is layer 1's: this layer adds none.  (NULL is
	 * layer 1's ERR_NULL too.)
	 */
	return vmm_memslot_validate(r);
}

enum vmm_uapi_err vmm_uapi_decode_regs(struct vmm_uapi_regs *regs)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if (regs == VMM_NULL) {
		err = VMM_UAPI_ERR_NULL;
	} else {
		/* kvm_set_regs(): rflags | X86_EFLAGS_FIXED. */
		regs->rflags = regs->rflags | VMM_RFLAGS_FIXED;
	}
	return err;
}

/* ---- kvm_sregs ----------------------------------------------------------- */

/* kvm_is_valid_cr0(): bits 63:32 reserved, PG needs PE, NW needs CD. */
/*@ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==> uapi_cr0_valid(cr0);
  @ ensures \result != VMM_UAPI_OK ==> uapi_cr0_fault(cr0, \result);
  @*/
static enum vmm_uapi_err uapi__check_cr0(vmm_u64 cr0)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if (cr0 > VMM_CR0_MAX) {
		err = VMM_UAPI_ERR_CR0_RESERVED;
	} else if (((cr0 & VMM_CR0_PG) != 0ULL) &&
		   ((cr0 & VMM_CR0_PE) == 0ULL)) {
		err = VMM_UAPI_ERR_CR0_PG_NO_PE;
	} else if (((cr0 & VMM_CR0_NW) != 0ULL) &&
		   ((cr0 & VMM_CR0_CD) == 0ULL)) {
		err = VMM_UAPI_ERR_CR0_NW_NO_CD;
	} else {
		err = VMM_UAPI_OK;
	}
	return err;
}

/* kvm_is_valid_cr4(), and EFER against the allowed bits. */
/*@ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==>
  @   uapi_allowed_valid(cr4, efer, cr4_allowed, efer_allowed);
  @ ensures \result != VMM_UAPI_OK ==>
  @   uapi_allowed_fault(cr4, efer, cr4_allowed, efer_allowed, \result);
  @*/
static enum vmm_uapi_err uapi__check_allowed(vmm_u64 cr4, vmm_u64 efer,
					     vmm_u64 cr4_allowed,
					     vmm_u64 efer_allowed)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* KVM's "x & ~allowed"; the complement in the form uapi.acsl uses. */
	if ((cr4 & (VMM_U64_MAX - cr4_allowed)) != 0ULL) {
		err = VMM_UAPI_ERR_CR4_RESERVED;
	} else if ((efer & (VMM_U64_MAX - efer_allowed)) != 0ULL) {
		err = VMM_UAPI_ERR_EFER_RESERVED;
	} else {
		err = VMM_UAPI_OK;
	}
	return err;
}

/*
 * The long-mode consistency of kvm_is_valid_sregs().  IA-32e mode (SDM
 * Vol. 3A 9.8.5) is EFER.LME && CR0.PG: it needs CR4.PAE, it is what
 * EFER.LMA reports, CR3 then holds a physical address below MAXPHYADDR;
 * outside it there is no 64-bit code segment (CS.L).
 */
/*@ requires maxphyaddr <= VMM_MAXPHYADDR_MAX;
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==>
  @   uapi_paging_valid(cr0, cr3, cr4, efer, cs_l, maxphyaddr);
  @ ensures \result != VMM_UAPI_OK ==>
  @   uapi_paging_fault(cr0, cr3, cr4, efer, cs_l, maxphyaddr, \result);
  @*/
static enum vmm_uapi_err uapi__check_paging(vmm_u64 cr0, vmm_u64 cr3,
					    vmm_u64 cr4, vmm_u64 efer,
					    vmm_u8 cs_l, vmm_u32 maxphyaddr)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if (((efer & VMM_EFER_LME) != 0ULL) && ((cr0 & VMM_CR0_PG) != 0ULL)) {
		if ((cr4 & VMM_CR4_PAE) == 0ULL) {
			err = VMM_UAPI_ERR_LONG_NO_PAE;
		} else if ((efer & VMM_EFER_LMA) == 0ULL) {
			err = VMM_UAPI_ERR_LMA_MISMATCH;
		} else if ((cr3 >> maxphyaddr) != 0ULL) {
			/* kvm_vcpu_is_illegal_gpa(cr3). */
			err = VMM_UAPI_ERR_CR3_RESERVED;
		} else {
			err = VMM_UAPI_OK;
		}
	} else if ((efer & VMM_EFER_LMA) != 0ULL) {
		err = VMM_UAPI_ERR_LMA_MISMATCH;
	} else if (cs_l != 0U) {
		err = VMM_UAPI_ERR_CS_L;
	} else {
		err = VMM_UAPI_OK;
	}
	return err;
}

/*
 * kvm_set_apic_base() (host-initiated): reserved bits 0x2FF, bits at or
 * above MAXPHYADDR, EXTD without x2APIC, and LAPIC_MODE_INVALID (EXTD
 * without EN; SDM Vol. 3A 10.12.5, Figure 10-27).
 */
/*@ requires \valid_read(c);
  @ requires uapi_caps_valid(c);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==>
  @   uapi_apic_base_valid(base, c->maxphyaddr, c->x2apic);
  @ ensures \result != VMM_UAPI_OK ==>
  @   uapi_apic_base_fault(base, c->maxphyaddr, c->x2apic, \result);
  @*/
static enum vmm_uapi_err
uapi__check_apic_base(vmm_u64 base, const struct vmm_uapi_sregs_caps *c)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if ((base & VMM_APIC_BASE_RSVD) != 0ULL) {
		err = VMM_UAPI_ERR_APIC_BASE_RESERVED;
	} else if ((base >> c->maxphyaddr) != 0ULL) {
		err = VMM_UAPI_ERR_APIC_BASE_MAXPHYADDR;
	} else if (((base & VMM_APIC_BASE_EXTD) != 0ULL) && (c->x2apic == 0U)) {
		err = VMM_UAPI_ERR_APIC_BASE_X2APIC;
	} else if (((base & VMM_APIC_BASE_EXTD) != 0ULL) &&
		   ((base & VMM_APIC_BASE_EN) == 0ULL)) {
		err = VMM_UAPI_ERR_APIC_BASE_MODE;
	} else {
		err = VMM_UAPI_OK;
	}
	return err;
}

/*
 * Scan interrupt_bitmap bit by bit: at most one bit may be set.  Returns
 * that bit, VMM_UAPI_NO_PENDING_IRQ if none, UAPI__IRQ_MANY if two.
 * (A value, not an output pointer: a write to memory would make the
 * provers re-read the whole register file in the caller.)
 */
#define UAPI__IRQ_MANY (VMM_UAPI_NO_PENDING_IRQ + 1U)

/*@ requires \valid_read(bm + (0 .. VMM_UAPI_IRQ_WORDS - 1));
  @
  @ assigns \nothing;
  @
  @ ensures \result <= UAPI__IRQ_MANY;
  @ ensures \result <= VMM_UAPI_NO_PENDING_IRQ ==> uapi_irq_bitmap_valid(bm);
  @ ensures \result <= VMM_UAPI_NO_PENDING_IRQ ==>
  @   uapi_pending_irq_of(bm, \result);
  @ ensures \result == UAPI__IRQ_MANY ==> uapi_irq_two(bm);
  @*/
static vmm_u32 uapi__scan_irq(const vmm_u64 *bm)
{
	vmm_u32 first = VMM_UAPI_NO_PENDING_IRQ;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= VMM_UAPI_NR_INTERRUPTS;
	  @ loop invariant first == VMM_UAPI_NO_PENDING_IRQ || first < i ||
	  @   first == UAPI__IRQ_MANY;
	  @ loop invariant first < VMM_UAPI_NO_PENDING_IRQ ==>
	  @   uapi_irq_pending(bm, first);
	  @ loop invariant first <= VMM_UAPI_NO_PENDING_IRQ ==>
	  @   \forall integer k; 0 <= k < i && uapi_irq_pending(bm, k) ==>
	  @     k == first;
	  @ loop invariant first == UAPI__IRQ_MANY ==> uapi_irq_two(bm);
	  @ loop assigns i, first;
	  @ loop variant VMM_UAPI_NR_INTERRUPTS - i;
	  @*/
	for (i = 0U; (i < VMM_UAPI_NR_INTERRUPTS) && (first != UAPI__IRQ_MANY);
	     i++) {
		if (((bm[i / 64U] >> (i % 64U)) & 1ULL) != 0ULL) {
			if (first == VMM_UAPI_NO_PENDING_IRQ) {
				first = i;
			} else {
				/* Bits first and i: KVM would drop i. */
				/*@ assert first < i && uapi_irq_pending(bm, first) &&
				  @   uapi_irq_pending(bm, i);
				  @*/
				first = UAPI__IRQ_MANY;
			}
		}
	}
	return first;
}

enum vmm_uapi_err
vmm_uapi_decode_sregs(struct vmm_uapi_sregs_valid *d,
		      const struct vmm_uapi_sregs_caps *caps)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 pending = VMM_UAPI_NO_PENDING_IRQ;

	if ((d == VMM_NULL) || (caps == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if ((caps->maxphyaddr < VMM_MAXPHYADDR_MIN) ||
		   (caps->maxphyaddr > VMM_MAXPHYADDR_MAX)) {
		/* Also keeps the shifts by maxphyaddr below 64. */
		err = VMM_UAPI_ERR_CAPS_MAXPHYADDR;
	} else {
		/* Decode: every check, no write. */
		err = uapi__check_cr0(d->sregs.cr0);
		if (err == VMM_UAPI_OK) {
			err = uapi__check_allowed(d->sregs.cr4, d->sregs.efer,
						  caps->cr4_allowed,
						  caps->efer_allowed);
		}
		if (err == VMM_UAPI_OK) {
			err = uapi__check_paging(d->sregs.cr0, d->sregs.cr3,
						 d->sregs.cr4, d->sregs.efer,
						 d->sregs.cs.l, caps->maxphyaddr);
		}
		if (err == VMM_UAPI_OK) {
			err = uapi__check_apic_base(d->sregs.apic_base, caps);
		}
		if (err == VMM_UAPI_OK) {
			pending = uapi__scan_irq(&d->sregs.interrupt_bitmap[0]);
			if (pending == UAPI__IRQ_MANY) {
				err = VMM_UAPI_ERR_IRQ_BITMAP;
			}
		}
		/* Then the derived fields. */
		if (err == VMM_UAPI_OK) {
			d->pending_irq = pending;
			d->reserved = 0U;
		}
	}
	return err;
}

/* ---- kvm_cpuid2 ---------------------------------------------------------- */

enum vmm_uapi_err
vmm_uapi_decode_cpuid2_header(const struct vmm_uapi_cpuid2 *hdr,
			      vmm_u32 *out_nent)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if ((hdr == VMM_NULL) || (out_nent == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if (hdr->nent > VMM_CPUID_MAX_ENTRIES) {
		/* kvm_vcpu_ioctl_set_cpuid2(): -E2BIG. */
		err = VMM_UAPI_ERR_CPUID_E2BIG;
	} else {
		*out_nent = hdr->nent;
	}
	return err;
}

/*
 * Does entry @j conflict with an earlier entry (flags of 0 .. j already
 * checked)?  DUPLICATE for the same (function, index), AMBIGUOUS for the
 * same function where one of the two lacks the significant-index flag.
 */
/*@ requires j < VMM_CPUID_MAX_ENTRIES;
  @ requires \valid_read(ents + (0 .. j));
  @ requires uapi_cpuid_flags_valid(ents, j + 1);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==>
  @   \forall integer k; 0 <= k < j ==> !uapi_cpuid_conflict(ents + k, ents + j);
  @ ensures \result == VMM_UAPI_OK ||
  @   (\result == VMM_UAPI_ERR_CPUID_DUPLICATE &&
  @      \exists integer k; 0 <= k < j && uapi_cpuid_dup(ents + k, ents + j)) ||
  @   (\result == VMM_UAPI_ERR_CPUID_AMBIGUOUS &&
  @      \exists integer k; 0 <= k < j &&
  @        uapi_cpuid_ambiguous(ents + k, ents + j));
  @*/
static enum vmm_uapi_err
uapi__cpuid_check_pairs(const struct vmm_uapi_cpuid_entry2 *ents, vmm_u32 j)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 k;

	/*@ loop invariant 0 <= k <= j;
	  @ loop invariant err == VMM_UAPI_OK ==>
	  @   \forall integer m; 0 <= m < k ==>
	  @     !uapi_cpuid_conflict(ents + m, ents + j);
	  @ loop invariant err == VMM_UAPI_OK ||
	  @   (err == VMM_UAPI_ERR_CPUID_DUPLICATE &&
	  @      \exists integer m; 0 <= m < j &&
	  @        uapi_cpuid_dup(ents + m, ents + j)) ||
	  @   (err == VMM_UAPI_ERR_CPUID_AMBIGUOUS &&
	  @      \exists integer m; 0 <= m < j &&
	  @        uapi_cpuid_ambiguous(ents + m, ents + j));
	  @ loop assigns k, err;
	  @ loop variant j - k;
	  @*/
	for (k = 0U; (k < j) && (err == VMM_UAPI_OK); k++) {
		if (ents[k].function == ents[j].function) {
			if (ents[k].index == ents[j].index) {
				err = VMM_UAPI_ERR_CPUID_DUPLICATE;
			} else if ((ents[k].flags !=
				    VMM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
				   (ents[j].flags !=
				    VMM_CPUID_FLAG_SIGNIFCANT_INDEX)) {
				/* One of them answers every index. */
				err = VMM_UAPI_ERR_CPUID_AMBIGUOUS;
			} else {
				err = VMM_UAPI_OK;
			}
		}
	}
	return err;
}

/* Flags and conflicts of the @n entries, entry by entry. */
/*@ requires n <= VMM_CPUID_MAX_ENTRIES;
  @ requires \valid_read(ents + (0 .. n - 1));
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_CPUID_FLAGS ||
  @   \result == VMM_UAPI_ERR_CPUID_DUPLICATE ||
  @   \result == VMM_UAPI_ERR_CPUID_AMBIGUOUS;
  @ ensures \result == VMM_UAPI_OK ==>
  @   uapi_cpuid_flags_valid(ents, n) && uapi_cpuid_no_conflict(ents, n);
  @ ensures \result == VMM_UAPI_OK || uapi_cpuid_fault(ents, n, \result);
  @ ensures \result != VMM_UAPI_OK ==>
  @   !(uapi_cpuid_flags_valid(ents, n) && uapi_cpuid_no_conflict(ents, n));
  @*/
static enum vmm_uapi_err
uapi__cpuid_check(const struct vmm_uapi_cpuid_entry2 *ents, vmm_u32 n)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 j;

	/*@ loop invariant 0 <= j <= n;
	  @ loop invariant err == VMM_UAPI_OK ==>
	  @   uapi_cpuid_flags_valid(ents, j) && uapi_cpuid_no_conflict(ents, j);
	  @ loop invariant err == VMM_UAPI_OK || err == VMM_UAPI_ERR_CPUID_FLAGS ||
	  @   err == VMM_UAPI_ERR_CPUID_DUPLICATE ||
	  @   err == VMM_UAPI_ERR_CPUID_AMBIGUOUS;
	  @ loop invariant err == VMM_UAPI_OK || uapi_cpuid_fault(ents, n, err);
	  @ loop assigns j, err;
	  @ loop variant n - j;
	  @*/
	for (j = 0U; (j < n) && (err == VMM_UAPI_OK); j++) {
		if (ents[j].flags > VMM_CPUID_FLAG_SIGNIFCANT_INDEX) {
			/* Strict: KVM 6.1 would keep the unknown flags. */
			err = VMM_UAPI_ERR_CPUID_FLAGS;
		} else {
			err = uapi__cpuid_check_pairs(ents, j);
		}
	}
	return err;
}

/* First of the @n entries that answers CPUID(@f, @i), or @n if none. */
/*@ requires n <= VMM_CPUID_MAX_ENTRIES;
  @ requires \valid_read(ents + (0 .. n - 1));
  @
  @ assigns \nothing;
  @
  @ ensures \result <= n;
  @ ensures \result < n ==> uapi_cpuid_matches(ents + \result, f, i);
  @ ensures \result == n <==> !uapi_cpuid_has_match(ents, n, f, i);
  @*/
static vmm_u32 uapi__cpuid_find(const struct vmm_uapi_cpuid_entry2 *ents,
				vmm_u32 n, vmm_u32 f, vmm_u32 i)
{
	vmm_u32 found = n;
	vmm_u32 k;

	/*@ loop invariant 0 <= k <= n;
	  @ loop invariant found == n || found < k;
	  @ loop invariant found == n ==>
	  @   \forall integer m; 0 <= m < k ==> !uapi_cpuid_matches(ents + m, f, i);
	  @ loop invariant found < n ==> uapi_cpuid_matches(ents + found, f, i);
	  @ loop assigns k, found;
	  @ loop variant n - k;
	  @*/
	for (k = 0U; (k < n) && (found == n); k++) {
		if ((ents[k].function == f) &&
		    ((ents[k].flags != VMM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		     (ents[k].index == i))) {
			found = k;
		}
	}
	return found;
}

enum vmm_uapi_err vmm_uapi_decode_cpuid(struct vmm_uapi_cpuid_table *t,
					vmm_u32 nent)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 bits = VMM_MAXPHYADDR_DEFAULT;
	vmm_u32 found;

	if (t == VMM_NULL) {
		err = VMM_UAPI_ERR_NULL;
	} else if (nent > VMM_CPUID_MAX_ENTRIES) {
		err = VMM_UAPI_ERR_CPUID_E2BIG;
	} else {
		/* Decode: every check, no write. */
		err = uapi__cpuid_check(&t->entries[0], nent);
		if (err == VMM_UAPI_OK) {
			found = uapi__cpuid_find(&t->entries[0], nent,
						 VMM_CPUID_LEAF_ADDR_SIZES, 0U);
			if (found < nent) {
				bits = t->entries[found].eax &
				       VMM_CPUID_PHYS_BITS_MASK;
				if ((bits < VMM_MAXPHYADDR_MIN) ||
				    (bits > VMM_MAXPHYADDR_MAX)) {
					err = VMM_UAPI_ERR_CPUID_PHYS_BITS;
				}
			}
		}
		/* Then the derived fields. */
		if (err == VMM_UAPI_OK) {
			/* nent <= 256, 32 <= bits <= 52: the narrowing is exact. */
			t->nent = (vmm_u16)nent;
			t->maxphyaddr = (vmm_u8)bits;
		}
	}
	return err;
}

enum vmm_uapi_err
vmm_uapi_cpuid_lookup(const struct vmm_uapi_cpuid_table *t, vmm_u32 function,
		      vmm_u32 index, vmm_u32 *out_idx)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 found;

	if ((t == VMM_NULL) || (out_idx == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if (t->nent > VMM_CPUID_MAX_ENTRIES) {
		/* Not a validated table: do not read past entries[]. */
		err = VMM_UAPI_ERR_CPUID_E2BIG;
	} else {
		found = uapi__cpuid_find(&t->entries[0], t->nent, function,
					 index);
		if (found < t->nent) {
			*out_idx = found;
		} else {
			err = VMM_UAPI_ERR_CPUID_NOT_FOUND;
		}
	}
	return err;
}

/* ---- kvm_interrupt ------------------------------------------------------- */

enum vmm_uapi_err
vmm_uapi_decode_interrupt(const struct vmm_uapi_interrupt *in,
			  vmm_u32 *out_vector)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if ((in == VMM_NULL) || (out_vector == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if (in->irq >= VMM_UAPI_NR_INTERRUPTS) {
		/* kvm_vcpu_ioctl_interrupt(): irq >= KVM_NR_INTERRUPTS. */
		err = VMM_UAPI_ERR_IRQ_RANGE;
	} else {
		*out_vector = in->irq;
	}
	return err;
}

/* ---- kvm_ioeventfd ------------------------------------------------------- */

void vmm_uapi_ioeventfd_key(const struct vmm_uapi_ioeventfd *a,
			    struct vmm_uapi_ioeventfd_key *k)
{
	vmm_u32 bus = VMM_UAPI_IOBUS_MMIO;

	/* KVM's ioeventfd_bus_from_flags(): PIO first, then virtio-ccw. */
	if ((a->flags & VMM_UAPI_IOEVENTFD_PIO) != 0U) {
		bus = VMM_UAPI_IOBUS_PIO;
	} else if ((a->flags & VMM_UAPI_IOEVENTFD_CCW) != 0U) {
		bus = VMM_UAPI_IOBUS_CCW;
	}
	k->addr = a->addr;
	k->len = a->len;
	k->bus = bus;
	if ((a->flags & VMM_UAPI_IOEVENTFD_DATAMATCH) != 0U) {
		k->wildcard = 0U;
		k->datamatch = a->datamatch;
	} else {
		k->wildcard = 1U;
		k->datamatch = 0U;
	}
}

enum vmm_uapi_err
vmm_uapi_decode_ioeventfd(const struct vmm_uapi_ioeventfd *a,
			  struct vmm_uapi_ioeventfd_key *k)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* kvm_assign_ioeventfd()'s checks, in its order. */
	if ((a == VMM_NULL) || (k == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if ((a->len != 0U) && (a->len != 1U) && (a->len != 2U) &&
		   (a->len != 4U) && (a->len != 8U)) {
		err = VMM_UAPI_ERR_IOEVENTFD_LEN;
	} else if (a->addr > (VMM_U64_MAX - a->len)) {
		err = VMM_UAPI_ERR_IOEVENTFD_WRAP;
	} else if ((a->flags & ~VMM_UAPI_IOEVENTFD_VALID) != 0U) {
		err = VMM_UAPI_ERR_IOEVENTFD_FLAGS;
	} else if ((a->len == 0U) &&
		   ((a->flags & VMM_UAPI_IOEVENTFD_DATAMATCH) != 0U)) {
		err = VMM_UAPI_ERR_IOEVENTFD_LEN0_DATAMATCH;
	} else {
		vmm_uapi_ioeventfd_key(a, k);
	}
	return err;
}

vmm_bool vmm_uapi_ioeventfd_collide(const struct vmm_uapi_ioeventfd_key *a,
				    const struct vmm_uapi_ioeventfd_key *b)
{
	vmm_bool c = VMM_FALSE;

	/* KVM's ioeventfd_check_collision(). */
	if ((a->bus == b->bus) && (a->addr == b->addr)) {
		if ((a->len == 0U) || (b->len == 0U)) {
			c = VMM_TRUE;
		} else if ((a->len == b->len) &&
			   ((a->wildcard != 0U) || (b->wildcard != 0U) ||
			    (a->datamatch == b->datamatch))) {
			c = VMM_TRUE;
		} else {
			c = VMM_FALSE;
		}
	}
	return c;
}

vmm_bool vmm_uapi_ioeventfd_same(const struct vmm_uapi_ioeventfd_key *a,
				 const struct vmm_uapi_ioeventfd_key *b)
{
	vmm_bool s = VMM_FALSE;

	if ((a->bus == b->bus) && (a->addr == b->addr) &&
	    (a->len == b->len) && (a->wildcard == b->wildcard) &&
	    (a->datamatch == b->datamatch)) {
		s = VMM_TRUE;
	}
	return s;
}

vmm_bool vmm_uapi_ioeventfd_hit(const struct vmm_uapi_ioeventfd_key *p,
				vmm_u32 bus, vmm_u64 addr, vmm_u32 len,
				vmm_u64 val)
{
	vmm_bool hit = VMM_FALSE;
	vmm_u64 low = val;

	/* The bytes written: the low len of the register. */
	if (len == 1U) {
		low = val & 0xFFULL;
	} else if (len == 2U) {
		low = val & 0xFFFFULL;
	} else if (len == 4U) {
		low = val & 0xFFFFFFFFULL;
	} else {
		low = val;
	}
	/* KVM's ioeventfd_in_range(): exact address; length 0 takes all. */
	if ((p->bus == bus) && (p->addr == addr)) {
		if (p->len == 0U) {
			hit = VMM_TRUE;
		} else if ((p->len == len) &&
			   ((p->wildcard != 0U) || (low == p->datamatch))) {
			hit = VMM_TRUE;
		} else {
			hit = VMM_FALSE;
		}
	}
	return hit;
}

/* ---- kvm_enable_cap ------------------------------------------------------ */

enum vmm_uapi_err
vmm_uapi_decode_enable_cap(const struct vmm_uapi_enable_cap *c,
			   vmm_u32 *out_pins)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* x86 kvm_vm_ioctl_enable_cap(): flags first, then the capability. */
	if ((c == VMM_NULL) || (out_pins == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if (c->flags != 0U) {
		err = VMM_UAPI_ERR_CAP_FLAGS;
	} else if (c->cap != VMM_UAPI_CAP_SPLIT_IRQCHIP) {
		err = VMM_UAPI_ERR_CAP_UNKNOWN;
	} else if (c->args[0] > VMM_UAPI_MAX_IRQ_ROUTES) {
		/* MAX_NR_RESERVED_IOAPIC_PINS. */
		err = VMM_UAPI_ERR_CAP_PINS;
	} else {
		/* <= 4096: the narrowing is exact. */
		*out_pins = (vmm_u32)c->args[0];
	}
	return err;
}

/* ---- MSI ----------------------------------------------------------------- */

enum vmm_uapi_err vmm_uapi_decode_msi_msg(vmm_u32 address_lo,
					  vmm_u32 address_hi, vmm_u32 data,
					  struct vmm_uapi_msi_msg *m)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 mode = (data >> 8) & 7U;

	if (m == VMM_NULL) {
		err = VMM_UAPI_ERR_NULL;
	} else if ((address_hi != 0U) ||
		   ((address_lo & VMM_UAPI_MSI_ADDR_BASE_MASK) !=
		    VMM_UAPI_MSI_ADDR_BASE)) {
		/* Only the LAPICs' window takes an MSI (SDM 10.11.1). */
		err = VMM_UAPI_ERR_MSI_ADDR;
	} else if ((mode == VMM_UAPI_MSI_MODE_SMI) ||
		   (mode == VMM_UAPI_MSI_MODE_RSVD) ||
		   (mode == VMM_UAPI_MSI_MODE_SIPI) ||
		   (mode == VMM_UAPI_MSI_MODE_EXTINT)) {
		/* No SMM, no 8259 behind the LAPIC; SIPI is not an MSI's. */
		err = VMM_UAPI_ERR_MSI_MODE;
	} else {
		m->dest = (address_lo >> 12) & 0xFFU;
		m->logical = (address_lo >> 2) & 1U;
		m->vector = data & 0xFFU;
		m->mode = mode;
		m->level = (data >> 15) & 1U;
	}
	return err;
}

/* Are the 12 padding bytes of @in zero? */
/*@ requires \valid_read(in);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_TRUE <==> uapi_msi_pad_zero(in);
  @ ensures \result == VMM_TRUE || \result == VMM_FALSE;
  @*/
static vmm_bool uapi__msi_pad_zero(const struct vmm_uapi_msi *in)
{
	vmm_bool zero = VMM_TRUE;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= 12;
	  @ loop invariant zero == VMM_TRUE || zero == VMM_FALSE;
	  @ loop invariant zero == VMM_TRUE ==>
	  @   \forall integer k; 0 <= k < i ==> in->pad[k] == 0;
	  @ loop invariant zero == VMM_FALSE ==> !uapi_msi_pad_zero(in);
	  @ loop assigns i, zero;
	  @ loop variant 12 - i;
	  @*/
	for (i = 0U; (i < 12U) && (zero == VMM_TRUE); i++) {
		if (in->pad[i] != 0U) {
			zero = VMM_FALSE;
		}
	}
	return zero;
}

enum vmm_uapi_err vmm_uapi_decode_msi(const struct vmm_uapi_msi *in,
				      struct vmm_uapi_msi_msg *out)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* kvm_send_userspace_msi(): flags & ~KVM_MSI_VALID_DEVID. */
	if ((in == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if ((in->flags & (VMM_U32_MAX - VMM_UAPI_MSI_VALID_DEVID)) !=
		   0U) {
		err = VMM_UAPI_ERR_MSI_FLAGS;
	} else if (uapi__msi_pad_zero(in) == VMM_FALSE) {
		err = VMM_UAPI_ERR_MSI_PAD;
	} else {
		err = vmm_uapi_decode_msi_msg(in->address_lo, in->address_hi,
					      in->data, out);
	}
	return err;
}

/* ---- kvm_irq_routing ----------------------------------------------------- */

enum vmm_uapi_err
vmm_uapi_decode_gsi_routing_header(const struct vmm_uapi_irq_routing *hdr,
				   vmm_u32 *out_nr)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* kvm_vm_ioctl(KVM_SET_GSI_ROUTING): the count, then the flags. */
	if ((hdr == VMM_NULL) || (out_nr == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if (hdr->nr > VMM_UAPI_MAX_IRQ_ROUTES) {
		err = VMM_UAPI_ERR_ROUTING_NR;
	} else if (hdr->flags != 0U) {
		err = VMM_UAPI_ERR_ROUTING_FLAGS;
	} else {
		*out_nr = hdr->nr;
	}
	return err;
}

vmm_u32 vmm_uapi_gsi_routes_span(const struct vmm_uapi_irq_routing_entry *es,
				 vmm_u32 n)
{
	vmm_u32 span = 0U;
	vmm_u32 k;

	if (es != VMM_NULL) {
		/*@ loop invariant 0 <= k <= n;
		  @ loop invariant span <= VMM_UAPI_MAX_IRQ_ROUTES;
		  @ loop invariant \forall integer m; 0 <= m < k &&
		  @   es[m].gsi < VMM_UAPI_MAX_IRQ_ROUTES ==> es[m].gsi < span;
		  @ loop invariant span == 0 ||
		  @   \exists integer m; 0 <= m < k && es[m].gsi + 1 == span;
		  @ loop assigns k, span;
		  @ loop variant n - k;
		  @*/
		for (k = 0U; k < n; k++) {
			/* A larger GSI is refused by the decoder. */
			if ((es[k].gsi < VMM_UAPI_MAX_IRQ_ROUTES) &&
			    (es[k].gsi >= span)) {
				span = es[k].gsi + 1U;
			}
		}
	}
	return span;
}

/* One entry's own rules (kvm_set_irq_routing(), kvm_set_routing_entry()). */
/*@ requires \valid_read(e);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_UAPI_OK <==> uapi_route_valid(e, nr);
  @ ensures \result != VMM_UAPI_OK ==> uapi_route_fault(e, nr, \result);
  @*/
static enum vmm_uapi_err
uapi__check_route(const struct vmm_uapi_irq_routing_entry *e, vmm_u32 nr)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	if (e->gsi >= VMM_UAPI_MAX_IRQ_ROUTES) {
		err = VMM_UAPI_ERR_ROUTE_GSI;
	} else if (e->type != VMM_UAPI_IRQ_ROUTING_MSI) {
		/* Irqchip routes need KVM's in-kernel PIC/IOAPIC. */
		err = VMM_UAPI_ERR_ROUTE_TYPE;
	} else if ((e->flags & (VMM_U32_MAX - VMM_UAPI_MSI_VALID_DEVID)) !=
		   0U) {
		err = VMM_UAPI_ERR_ROUTE_FLAGS;
	} else if (e->msi_address_hi != 0U) {
		/* Stricter than KVM: no LAPIC answers above 4 GiB. */
		err = VMM_UAPI_ERR_ROUTE_ADDR_HI;
	} else if (e->gsi >= nr) {
		err = VMM_UAPI_ERR_ROUTE_TABLE;
	} else {
		err = VMM_UAPI_OK;
	}
	return err;
}

/*
 * Enter entry @i (valid, entries 0 .. i - 1 already in @t) into @t: DUPLICATE
 * if its GSI has a route already, else its slot now holds it.
 */
/*@ requires i < n <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ requires nr <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ requires \valid_read(es + (0 .. n - 1));
  @ requires \valid(t + (0 .. nr - 1));
  @ requires \separated(es + (0 .. n - 1), t + (0 .. nr - 1));
  @ requires uapi_route_valid(es + i, nr);
  @ requires uapi_routes_distinct(es, i);
  @ requires uapi_routes_table_of(es, i, t, nr);
  @
  @ assigns t[es[i].gsi];
  @
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_ROUTE_DUPLICATE;
  @ ensures \result == VMM_UAPI_OK ==>
  @   uapi_routes_distinct(es, i + 1) &&
  @   uapi_routes_table_of(es, i + 1, t, nr);
  @ ensures \result == VMM_UAPI_ERR_ROUTE_DUPLICATE ==>
  @   \exists integer k; 0 <= k < i && es[k].gsi == es[i].gsi;
  @*/
static enum vmm_uapi_err
uapi__route_add(const struct vmm_uapi_irq_routing_entry *es, vmm_u32 n,
		vmm_u32 i, struct vmm_uapi_msi_route *t, vmm_u32 nr)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 g = es[i].gsi;

	(void)n; /* n and nr: named by the contract only */
	(void)nr;
	/*@ assert g < nr &&
	  @   uapi_route_slot(es, i, t[g].valid, t[g].address, t[g].data, g);
	  @*/
	if (t[g].valid != 0U) {
		//@ assert \exists integer k; 0 <= k < i && es[k].gsi == g;
		err = VMM_UAPI_ERR_ROUTE_DUPLICATE;
	} else {
		//@ assert \forall integer k; 0 <= k < i ==> es[k].gsi != g;
		t[g].address = es[i].msi_address_lo;
		t[g].data = es[i].msi_data;
		t[g].valid = 1U;
		/*@ assert uapi_route_slot(es, i + 1, t[g].valid, t[g].address,
		  @                        t[g].data, g);
		  @*/
		//@ assert uapi_routes_distinct(es, i + 1);
		/*@ assert \forall integer h; 0 <= h < nr && h != g ==>
		  @   t[h].valid == \at(t[h].valid, Pre) &&
		  @   t[h].address == \at(t[h].address, Pre) &&
		  @   t[h].data == \at(t[h].data, Pre);
		  @*/
		/*@ assert \forall integer h; 0 <= h < nr && h != g ==>
		  @   uapi_route_slot(es, i + 1, t[h].valid, t[h].address,
		  @                   t[h].data, h);
		  @*/
	}
	return err;
}

enum vmm_uapi_err
vmm_uapi_decode_gsi_routes(const struct vmm_uapi_irq_routing_entry *es,
			   vmm_u32 n, struct vmm_uapi_msi_route *t,
			   vmm_u32 nr)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;
	vmm_u32 i;

	if ((es == VMM_NULL) || (t == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else {
		/*@ loop invariant 0 <= i <= n;
		  @ loop invariant err == VMM_UAPI_OK ==>
		  @   \forall integer k; 0 <= k < i ==> uapi_route_valid(es + k, nr);
		  @ loop invariant err == VMM_UAPI_OK ==> uapi_routes_distinct(es, i);
		  @ loop invariant err == VMM_UAPI_OK ==>
		  @   uapi_routes_table_of(es, i, t, nr);
		  @ loop invariant err != VMM_UAPI_OK ==>
		  @   uapi_routes_fault(es, n, nr, err);
		  @ loop assigns i, err, t[0 .. nr - 1];
		  @ loop variant n - i;
		  @*/
		for (i = 0U; (i < n) && (err == VMM_UAPI_OK); i++) {
			err = uapi__check_route(&es[i], nr);
			if (err == VMM_UAPI_OK) {
				err = uapi__route_add(es, n, i, t, nr);
			}
		}
	}
	return err;
}

/* ---- kvm_irqfd ----------------------------------------------------------- */

enum vmm_uapi_err vmm_uapi_decode_irqfd(const struct vmm_uapi_irqfd *a,
					vmm_u32 *out_deassign)
{
	enum vmm_uapi_err err = VMM_UAPI_OK;

	/* kvm_irqfd(), then kvm_irqfd_assign()'s kvm_arch_irqfd_allowed(). */
	if ((a == VMM_NULL) || (out_deassign == VMM_NULL)) {
		err = VMM_UAPI_ERR_NULL;
	} else if ((a->flags & (VMM_U32_MAX - VMM_UAPI_IRQFD_VALID)) != 0U) {
		err = VMM_UAPI_ERR_IRQFD_FLAGS;
	} else if ((a->flags & VMM_UAPI_IRQFD_DEASSIGN) != 0U) {
		*out_deassign = 1U;
	} else if ((a->flags & VMM_UAPI_IRQFD_RESAMPLE) != 0U) {
		err = VMM_UAPI_ERR_IRQFD_RESAMPLE;
	} else {
		*out_deassign = 0U;
	}
	return err;
}
