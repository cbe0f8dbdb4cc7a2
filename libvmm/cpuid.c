// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 12: lamina's CPUID policy.  Rules and contracts: cpuid.h;
 * model: acsl-specs/cpuid.acsl.  Rests on layer 7 (uapi.h) through the
 * contract of vmm_uapi_cpuid_lookup() only.
 *
 * Shape: the allowlists are if/else chains on the slot (no table: the
 * provers match a chain with the model's definition directly); every
 * table lookup goes through layer 7 into a local index; results are
 * written last.
 */
#include <libvmm/cpuid.h>

vmm_u32 vmm_cpuid_host_function(vmm_u32 slot)
{
	vmm_u32 f = 0U;

	if (slot == 1U) {
		f = 1U;
	} else if (slot == 2U) {
		f = 7U;
	} else if ((slot >= 3U) && (slot < VMM_CPUID_HOST_LEAVES)) {
		f = VMM_CPUID_EXT_BASE + (slot - 3U);
	} else {
		f = 0U;
	}
	return f;
}

/* ---- KVM_GET_SUPPORTED_CPUID -------------------------------------------- */

/*@ assigns \nothing;
  @ ensures \result == cpuid_mask_eax(s);
  @*/
static vmm_u32 cpuid__mask_eax(vmm_u32 s)
{
	vmm_u32 m = VMM_CPUID_ALL;

	if ((s == 2U) || (s == 10U)) {
		m = 0U;
	} else if (s == 11U) {
		m = VMM_CPUID_LOW16;
	} else {
		m = VMM_CPUID_ALL;
	}
	return m;
}

/*@ assigns \nothing;
  @ ensures \result == cpuid_mask_ebx(s);
  @*/
static vmm_u32 cpuid__mask_ebx(vmm_u32 s)
{
	vmm_u32 m = VMM_CPUID_ALL;

	if (s == 1U) {
		m = VMM_CPUID_LOW16;	/* not the APIC ID, bits 31:24 */
	} else if (s == 2U) {
		m = VMM_CPUID_LEAF7_EBX;
	} else if ((s == 4U) || (s == 10U) || (s == 11U)) {
		m = 0U;
	} else {
		m = VMM_CPUID_ALL;
	}
	return m;
}

/*@ assigns \nothing;
  @ ensures \result == cpuid_mask_ecx(s);
  @*/
static vmm_u32 cpuid__mask_ecx(vmm_u32 s)
{
	vmm_u32 m = VMM_CPUID_ALL;

	if (s == 1U) {
		m = VMM_CPUID_LEAF1_ECX;
	} else if (s == 4U) {
		m = VMM_CPUID_EXT1_ECX;
	} else if ((s == 2U) || (s == 10U) || (s == 11U)) {
		m = 0U;
	} else {
		m = VMM_CPUID_ALL;
	}
	return m;
}

/*@ assigns \nothing;
  @ ensures \result == cpuid_mask_edx(s);
  @*/
static vmm_u32 cpuid__mask_edx(vmm_u32 s)
{
	vmm_u32 m = VMM_CPUID_ALL;

	if (s == 1U) {
		m = VMM_CPUID_LEAF1_EDX;
	} else if (s == 4U) {
		m = VMM_CPUID_EXT1_EDX;
	} else if ((s == 2U) || (s == 10U) || (s == 11U)) {
		m = 0U;
	} else {
		m = VMM_CPUID_ALL;
	}
	return m;
}

/* Is slot @s within the host's maximum of its class, clamped to lamina's? */
/*@ requires \valid_read(h);
  @ requires s < VMM_CPUID_HOST_LEAVES;
  @ assigns \nothing;
  @ ensures \result != VMM_FALSE <==> cpuid_slot_offered(h, s);
  @*/
static vmm_bool cpuid__slot_offered(const struct vmm_cpuid_host *h,
				    vmm_u32 s)
{
	vmm_u32 f = vmm_cpuid_host_function(s);
	vmm_u32 max = 0U;

	if (s < 3U) {
		max = h->leaf[0].eax;
		if (max > VMM_CPUID_MAX_BASIC) {
			max = VMM_CPUID_MAX_BASIC;
		}
	} else {
		max = h->leaf[3].eax;
		if (max > VMM_CPUID_MAX_EXT) {
			max = VMM_CPUID_MAX_EXT;
		}
	}
	return (f <= max) ? VMM_TRUE : VMM_FALSE;
}

/* The registers of slot @s's offer, one function each. */
/*@ requires \valid_read(h) && s < VMM_CPUID_HOST_LEAVES;
  @ assigns \nothing;
  @ ensures \result == cpuid_offer_eax(h, s);
  @*/
static vmm_u32 cpuid__offer_eax(const struct vmm_cpuid_host *h, vmm_u32 s)
{
	vmm_u32 a = h->leaf[s].eax & cpuid__mask_eax(s);

	if (s == 0U) {
		/* lamina's maximum basic leaf, not the host's */
		a = (h->leaf[0].eax > VMM_CPUID_MAX_BASIC) ?
			VMM_CPUID_MAX_BASIC : h->leaf[0].eax;
	} else if (s == 3U) {
		a = (h->leaf[3].eax > VMM_CPUID_MAX_EXT) ?
			VMM_CPUID_MAX_EXT : h->leaf[3].eax;
	}
	return a;
}

/*@ requires \valid_read(h) && s < VMM_CPUID_HOST_LEAVES;
  @ assigns \nothing;
  @ ensures \result == cpuid_offer_ebx(h, s);
  @*/
static vmm_u32 cpuid__offer_ebx(const struct vmm_cpuid_host *h, vmm_u32 s)
{
	return h->leaf[s].ebx & cpuid__mask_ebx(s);
}

/*@ requires \valid_read(h) && s < VMM_CPUID_HOST_LEAVES;
  @ assigns \nothing;
  @ ensures \result == cpuid_offer_ecx(h, s);
  @*/
static vmm_u32 cpuid__offer_ecx(const struct vmm_cpuid_host *h, vmm_u32 s)
{
	vmm_u32 c = h->leaf[s].ecx & cpuid__mask_ecx(s);

	if (s == 1U) {
		c = c | VMM_CPUID_1_ECX_HYPERVISOR;
	}
	return c;
}

/*@ requires \valid_read(h) && s < VMM_CPUID_HOST_LEAVES;
  @ assigns \nothing;
  @ ensures \result == cpuid_offer_edx(h, s);
  @*/
static vmm_u32 cpuid__offer_edx(const struct vmm_cpuid_host *h, vmm_u32 s)
{
	return h->leaf[s].edx & cpuid__mask_edx(s);
}

/* Slot @s's offer into *e. */
/*@ requires \valid_read(h) && \valid(e) && \separated(h, e);
  @ requires s < VMM_CPUID_HOST_LEAVES;
  @ assigns *e;
  @ ensures cpuid_slot_entry(h, e, s);
  @*/
static void cpuid__fill_slot(const struct vmm_cpuid_host *h, vmm_u32 s,
			     struct vmm_uapi_cpuid_entry2 *e)
{
	/* Every read of *h before the first write of *e. */
	vmm_u32 a = cpuid__offer_eax(h, s);
	vmm_u32 b = cpuid__offer_ebx(h, s);
	vmm_u32 c = cpuid__offer_ecx(h, s);
	vmm_u32 d = cpuid__offer_edx(h, s);

	e->function = vmm_cpuid_host_function(s);
	e->index = 0U;
	/* Leaf 7 has subleaves; lamina offers subleaf 0 only. */
	e->flags = (s == 2U) ? VMM_CPUID_FLAG_SIGNIFCANT_INDEX : 0U;
	e->eax = a;
	e->ebx = b;
	e->ecx = c;
	e->edx = d;
	e->padding[0] = 0U;
	e->padding[1] = 0U;
	e->padding[2] = 0U;
}

/* KVM's paravirtual leaf @pv (0: signature, 1: features) into *e. */
/*@ requires \valid(e) && pv <= 1;
  @ assigns *e;
  @ ensures cpuid_pv_entry(e);
  @ ensures e->function == VMM_CPUID_PV_SIGNATURE + pv;
  @*/
static void cpuid__fill_pv(vmm_u32 pv, struct vmm_uapi_cpuid_entry2 *e)
{
	e->index = 0U;
	e->flags = 0U;
	e->padding[0] = 0U;
	e->padding[1] = 0U;
	e->padding[2] = 0U;
	if (pv == 0U) {
		e->function = VMM_CPUID_PV_SIGNATURE;
		e->eax = VMM_CPUID_PV_FEATURES;	/* the highest PV leaf */
		e->ebx = VMM_CPUID_PV_SIG_EBX;
		e->ecx = VMM_CPUID_PV_SIG_ECX;
		e->edx = VMM_CPUID_PV_SIG_EDX;
	} else {
		e->function = VMM_CPUID_PV_FEATURES;
		e->eax = VMM_CPUID_PV_FEATURES_EAX;
		e->ebx = 0U;
		e->ecx = 0U;
		e->edx = 0U;
	}
}

vmm_bool vmm_cpuid_offer(const struct vmm_cpuid_host *host, vmm_u32 slot,
			 struct vmm_uapi_cpuid_entry2 *e)
{
	vmm_bool ok = VMM_FALSE;

	if ((host == VMM_NULL) || (e == VMM_NULL)) {
		ok = VMM_FALSE;
	} else if (slot < VMM_CPUID_HOST_LEAVES) {
		ok = cpuid__slot_offered(host, slot);
		if (ok != VMM_FALSE) {
			cpuid__fill_slot(host, slot, e);
		}
	} else if (slot < VMM_CPUID_OFFER_MAX) {
		cpuid__fill_pv(slot - VMM_CPUID_HOST_LEAVES, e);
		ok = VMM_TRUE;
	} else {
		ok = VMM_FALSE;
	}
	return ok;
}

/* ---- KVM_SET_CPUID2 after the first run ---------------------------------- */

/* Same entries, field by field (KVM's kvm_cpuid_check_equal()). */
/*@ requires \valid_read(a) && \valid_read(b);
  @ assigns \nothing;
  @ ensures \result != VMM_FALSE <==> cpuid_same_table(a, b);
  @*/
static vmm_bool cpuid__same(const struct vmm_uapi_cpuid_table *a,
			    const struct vmm_uapi_cpuid_table *b)
{
	vmm_bool same = VMM_TRUE;
	vmm_u32 k;

	if ((a->nent != b->nent) || (a->nent > VMM_CPUID_MAX_ENTRIES)) {
		same = VMM_FALSE;
	} else {
		/*@ loop invariant 0 <= k <= a->nent;
		  @ loop invariant same != VMM_FALSE ==>
		  @   \forall integer m; 0 <= m < k ==>
		  @     cpuid_same_entry(&a->entries[0] + m, &b->entries[0] + m);
		  @ loop invariant same == VMM_FALSE ==>
		  @   k > 0 && !cpuid_same_entry(&a->entries[0] + (k - 1),
		  @                               &b->entries[0] + (k - 1));
		  @ loop assigns k, same;
		  @ loop variant a->nent - k;
		  @*/
		for (k = 0U; (k < a->nent) && (same != VMM_FALSE); k++) {
			const struct vmm_uapi_cpuid_entry2 *x = &a->entries[k];
			const struct vmm_uapi_cpuid_entry2 *y = &b->entries[k];

			if ((x->function != y->function) ||
			    (x->index != y->index) || (x->flags != y->flags) ||
			    (x->eax != y->eax) || (x->ebx != y->ebx) ||
			    (x->ecx != y->ecx) || (x->edx != y->edx)) {
				same = VMM_FALSE;
			}
		}
	}
	return same;
}

vmm_bool vmm_cpuid_may_replace(const struct vmm_uapi_cpuid_table *cur,
			       const struct vmm_uapi_cpuid_table *next,
			       vmm_bool has_run)
{
	vmm_bool ok = VMM_FALSE;

	if (next == VMM_NULL) {
		ok = VMM_FALSE;
	} else if (has_run == VMM_FALSE) {
		ok = VMM_TRUE;
	} else if (cur == VMM_NULL) {
		/* KVM 6.1: no table yet, only an empty one is "the same". */
		ok = (next->nent == 0U) ? VMM_TRUE : VMM_FALSE;
	} else {
		ok = cpuid__same(cur, next);
	}
	return ok;
}

/* ---- CPUID exits --------------------------------------------------------- */

/*@ assigns \nothing;
  @ ensures \result == cpuid_class_of(f);
  @*/
static vmm_u32 cpuid__class_of(vmm_u32 f)
{
	vmm_u32 c = 0U;

	if ((f >= VMM_CPUID_PV_BASE) && (f <= VMM_CPUID_PV_LAST)) {
		c = f & VMM_CPUID_PV_CLASS_MASK;
	} else if (f >= VMM_CPUID_CENTAUR_BASE) {
		c = VMM_CPUID_CENTAUR_BASE;
	} else if (f >= VMM_CPUID_EXT_BASE) {
		c = VMM_CPUID_EXT_BASE;
	} else {
		c = 0U;
	}
	return c;
}

/* cpuid__find() and cpuid__fallback(): no entry. */
#define CPUID__NONE 0xFFFFFFFFU

/*
 * The entry of @t answering CPUID(@f, @i), or CPUID__NONE: layer 7's
 * lookup with the index as the result, so that callers write no memory
 * (the provers then need no frame for the table).
 */
/*@ requires \valid_read(t);
  @ assigns \nothing;
  @ ensures \result == CPUID__NONE ||
  @   (t->nent <= VMM_CPUID_MAX_ENTRIES && cpuid_at(t, f, i, \result));
  @ ensures \result == CPUID__NONE ==>
  @   !uapi_cpuid_has_match(&t->entries[0], t->nent, f, i) ||
  @   t->nent > VMM_CPUID_MAX_ENTRIES;
  @ ensures \result != CPUID__NONE && uapi_cpuid_table_valid(t) ==>
  @   \forall integer m; cpuid_at(t, f, i, m) ==> m == \result;
  @*/
static vmm_u32 cpuid__find(const struct vmm_uapi_cpuid_table *t, vmm_u32 f,
			   vmm_u32 i)
{
	vmm_u32 idx = 0U;
	vmm_u32 found = CPUID__NONE;

	if (vmm_uapi_cpuid_lookup(t, f, i, &idx) == VMM_UAPI_OK) {
		found = idx;
	}
	return found;
}

/*
 * kvm_cpuid()'s out-of-range fallback: the entry it reads, or
 * CPUID__NONE.
 */
/*@ requires \valid_read(t);
  @ assigns \nothing;
  @ ensures \result == CPUID__NONE ||
  @   (t->nent <= VMM_CPUID_MAX_ENTRIES && 0 <= \result < t->nent);
  @ ensures uapi_cpuid_table_valid(t) && \result != CPUID__NONE ==>
  @   cpuid_fallback_at(t, f, i, \result);
  @ ensures uapi_cpuid_table_valid(t) && \result == CPUID__NONE ==>
  @   !cpuid_has_fallback(t, f, i);
  @*/
static vmm_u32 cpuid__fallback(const struct vmm_uapi_cpuid_table *t,
			       vmm_u32 f, vmm_u32 i)
{
	vmm_u32 hit = CPUID__NONE;
	vmm_u32 kb = cpuid__find(t, 0U, 0U);
	vmm_u32 kc;
	vmm_u32 vendor;

	if (kb == CPUID__NONE) {
		/* No leaf 0: no vendor, no fallback. */
		hit = CPUID__NONE;
	} else {
		vendor = t->entries[kb].ebx;
		if ((vendor == VMM_CPUID_VENDOR_AMD_EBX) ||
		    (vendor == VMM_CPUID_VENDOR_HYGON_EBX)) {
			/* AMD and Hygon CPUs answer zeros out of range. */
			hit = CPUID__NONE;
		} else {
			kc = cpuid__find(t, cpuid__class_of(f), 0U);
			if ((kc != CPUID__NONE) && (f <= t->entries[kc].eax)) {
				/* Within its class: no fallback. */
				hit = CPUID__NONE;
			} else {
				/*@ assert uapi_cpuid_table_valid(t) ==>
				  @   cpuid_out_of_class(t, f);
				  @*/
				hit = cpuid__find(t, t->entries[kb].eax, i);
			}
		}
	}
	return hit;
}

/*@ requires \valid(o) && \valid_read(e) && \separated(o, e);
  @ assigns *o;
  @ ensures cpuid_regs_of(o, e);
  @*/
static void cpuid__copy(struct vmm_cpuid_regs *o,
			const struct vmm_uapi_cpuid_entry2 *e)
{
	o->eax = e->eax;
	o->ebx = e->ebx;
	o->ecx = e->ecx;
	o->edx = e->edx;
}

enum vmm_cpuid_source vmm_cpuid_answer(const struct vmm_uapi_cpuid_table *t,
				       vmm_u32 function, vmm_u32 index,
				       struct vmm_cpuid_regs *out)
{
	enum vmm_cpuid_source src = VMM_CPUID_SRC_NONE;
	vmm_u32 k = CPUID__NONE;
	vmm_u32 kf = CPUID__NONE;
	vmm_u32 kt = CPUID__NONE;

	if (t != VMM_NULL) {
		k = cpuid__find(t, function, index);
		if (k == CPUID__NONE) {
			kf = cpuid__fallback(t, function, index);
		}
		if ((k == CPUID__NONE) && (kf == CPUID__NONE) &&
		    ((function == VMM_CPUID_LEAF_TOPOLOGY) ||
		     (function == VMM_CPUID_LEAF_TOPOLOGY2))) {
			kt = cpuid__find(t, function, 1U);
		}
	}
	/* Decided on the table alone; now the writes. */
	if (k != CPUID__NONE) {
		src = VMM_CPUID_SRC_ENTRY;
		cpuid__copy(out, &t->entries[k]);
	} else if (kf != CPUID__NONE) {
		src = VMM_CPUID_SRC_MAX_BASIC;
		cpuid__copy(out, &t->entries[kf]);
	} else if (kt != CPUID__NONE) {
		/* Past the last level: ECX[7:0] and EDX still valid. */
		src = VMM_CPUID_SRC_TOPOLOGY;
		out->eax = 0U;
		out->ebx = 0U;
		out->ecx = index & VMM_CPUID_TOPOLOGY_LEVEL;
		out->edx = t->entries[kt].edx;
	} else {
		src = VMM_CPUID_SRC_NONE;
		out->eax = 0U;
		out->ebx = 0U;
		out->ecx = 0U;
		out->edx = 0U;
	}
	return src;
}

/* ---- queries ------------------------------------------------------------- */

vmm_bool vmm_cpuid_has_feature(const struct vmm_uapi_cpuid_table *t,
			       enum vmm_cpuid_feature feat)
{
	vmm_bool has = VMM_FALSE;
	vmm_u32 k = 0U;
	vmm_u32 leaf = 1U;

	if (feat == VMM_CPUID_FEAT_GBPAGES) {
		leaf = VMM_CPUID_EXT_BASE + 1U;
	}
	if ((t != VMM_NULL) &&
	    (vmm_uapi_cpuid_lookup(t, leaf, 0U, &k) == VMM_UAPI_OK)) {
		if (feat == VMM_CPUID_FEAT_X2APIC) {
			has = ((t->entries[k].ecx & VMM_CPUID_1_ECX_X2APIC) != 0U) ?
				VMM_TRUE : VMM_FALSE;
		} else if (feat == VMM_CPUID_FEAT_GBPAGES) {
			has = ((t->entries[k].edx & VMM_CPUID_EXT1_EDX_GBPAGES) !=
			       0U) ? VMM_TRUE : VMM_FALSE;
		} else if (feat == VMM_CPUID_FEAT_TSC_DEADLINE) {
			has = ((t->entries[k].ecx &
				VMM_CPUID_1_ECX_TSC_DEADLINE) != 0U) ?
				VMM_TRUE : VMM_FALSE;
		} else {
			has = VMM_FALSE;
		}
	}
	return has;
}

vmm_u32 vmm_cpuid_maxphyaddr(const struct vmm_uapi_cpuid_table *t)
{
	vmm_u32 bits = VMM_MAXPHYADDR_DEFAULT;

	if (t != VMM_NULL) {
		bits = t->maxphyaddr;
	}
	return bits;
}
