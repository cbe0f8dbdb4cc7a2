// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 12: the MSR set and the rules of each MSR.  Rules and
 * contract: msr.h; model: acsl-specs/msr.acsl.
 *
 * Shape: one classifier per group of the set (if-chains of equality
 * tests, no table: the contracts name the same indices), one checker per
 * value rule, and the three public decisions (read, write, EFER write)
 * as if-else chains over the groups, in the order of msr.h.  Loops: the
 * reset of the MTRR arrays and the index list, of constant length.
 */
#include <libvmm/msr.h>

/* ---- The set ---- */

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_vendor_canonical(index);
  @*/
static vmm_bool msr__is_canonical_checked(vmm_u32 index)
{
	return index == VMM_MSR_LSTAR || index == VMM_MSR_CSTAR ||
	       index == VMM_MSR_KERNEL_GS_BASE || index == VMM_MSR_FS_BASE ||
	       index == VMM_MSR_GS_BASE;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_vendor(index);
  @*/
static vmm_bool msr__is_vendor(vmm_u32 index)
{
	return index == VMM_MSR_EFER || index == VMM_MSR_STAR ||
	       msr__is_canonical_checked(index) ||
	       index == VMM_MSR_SYSCALL_MASK ||
	       index == VMM_MSR_SYSENTER_CS || index == VMM_MSR_SYSENTER_ESP ||
	       index == VMM_MSR_SYSENTER_EIP || index == VMM_MSR_PAT;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_platform_zero(index);
  @*/
static vmm_bool msr__is_platform_zero(vmm_u32 index)
{
	return index == VMM_MSR_AMD_SYSCFG || index == VMM_MSR_AMD_TSEG_ADDR ||
	       index == VMM_MSR_AMD_TSEG_MASK ||
	       index == VMM_MSR_AMD_INT_PENDING_MSG ||
	       index == VMM_MSR_AMD_NB_CFG ||
	       index == VMM_MSR_AMD_MMIO_CONF_BASE ||
	       index == VMM_MSR_AMD_BU_CFG2 || index == VMM_MSR_PERF_CTL ||
	       index == VMM_MSR_AMD_DC_CFG || index == VMM_MSR_AMD_EX_CFG;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_kvmclock(index);
  @*/
static vmm_bool msr__is_kvmclock(vmm_u32 index)
{
	return index == VMM_MSR_KVM_WALL_CLOCK_NEW ||
	       index == VMM_MSR_KVM_SYSTEM_TIME_NEW;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_mtrr_var(index);
  @*/
static vmm_bool msr__is_mtrr_var(vmm_u32 index)
{
	return index >= VMM_MSR_MTRR_VAR_FIRST &&
	       index <= VMM_MSR_MTRR_VAR_LAST;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_mtrr_fixed(index);
  @*/
static vmm_bool msr__is_mtrr_fixed(vmm_u32 index)
{
	return index == VMM_MSR_MTRR_FIX64K_00000 ||
	       index == VMM_MSR_MTRR_FIX16K_80000 ||
	       index == VMM_MSR_MTRR_FIX16K_A0000 ||
	       (index >= VMM_MSR_MTRR_FIX4K_C0000 &&
		index <= VMM_MSR_MTRR_FIX4K_F8000);
}

/*@ requires msr_mtrr_fixed(index);
  @ assigns \nothing;
  @ ensures \result == msr_fixed_slot(index);
  @ ensures 0 <= \result < VMM_MSR_MTRR_FIXED;
  @*/
static vmm_u32 msr__fixed_slot(vmm_u32 index)
{
	vmm_u32 slot = 0U;

	if (index == VMM_MSR_MTRR_FIX64K_00000) {
		slot = 0U;
	} else if (index == VMM_MSR_MTRR_FIX16K_80000) {
		slot = 1U;
	} else if (index == VMM_MSR_MTRR_FIX16K_A0000) {
		slot = 2U;
	} else {
		slot = index - VMM_MSR_MTRR_FIX4K_C0000 + 3U;
	}
	return slot;
}

/* ---- Value rules ---- */

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_canonical(v);
  @*/
static vmm_bool msr__canonical(vmm_u64 v)
{
	vmm_u64 high = v & VMM_MSR_CANON_BITS;

	return high == 0U || high == VMM_MSR_CANON_BITS;
}

/*@ assigns \nothing;
  @ ensures \result == msr_canon(v);
  @*/
static vmm_u64 msr__canon(vmm_u64 v)
{
	vmm_u64 r = 0U;

	if ((v & VMM_MSR_CANON_SIGN) != 0U) {
		r = v | VMM_MSR_CANON_HIGH;
	} else {
		r = v & VMM_MSR_CANON_LOW;
	}
	return r;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_mtrr_type_ok(t);
  @*/
static vmm_bool msr__mtrr_type_ok(vmm_u64 t)
{
	return t == 0U || t == 1U || t == 4U || t == 5U || t == 6U;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_type_ok(t, pat);
  @*/
static vmm_bool msr__type_ok(vmm_u64 t, vmm_bool pat)
{
	return msr__mtrr_type_ok(t) != 0 || (pat != 0 && t == 7U);
}

/* Written out, one test per byte: no loop for the provers to follow. */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_types_ok(v, pat);
  @*/
static vmm_bool msr__types_ok(vmm_u64 v, vmm_bool pat)
{
	return msr__type_ok(v & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 8) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 16) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 24) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 32) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 40) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 48) & 0xffU, pat) != 0 &&
	       msr__type_ok((v >> 56) & 0xffU, pat) != 0;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_below_maxphyaddr(v, m);
  @*/
static vmm_bool msr__below_maxphyaddr(vmm_u64 v, vmm_u32 m)
{
	return m >= 64U || (v >> m) == 0U;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> msr_mtrr_var_ok(index, v, m);
  @*/
static vmm_bool msr__mtrr_var_ok(vmm_u32 index, vmm_u64 v, vmm_u32 m)
{
	vmm_bool ok = VMM_FALSE;

	if (msr__below_maxphyaddr(v, m) == 0) {
		ok = VMM_FALSE;
	} else if ((index & 1U) == 0U) {
		ok = (v & VMM_MSR_MTRR_BASE_RSVD) == 0U &&
		     msr__mtrr_type_ok(v & 0xffU) != 0;
	} else {
		ok = (v & VMM_MSR_MTRR_MASK_RSVD) == 0U;
	}
	return ok;
}

/*@ requires \valid_read(c);
  @ assigns \nothing;
  @ ensures \result != 0 <==>
  @   msr_apic_base_ok(old, v, c->maxphyaddr, c->x2apic, c->host);
  @*/
static vmm_bool msr__apic_base_ok(vmm_u64 old, vmm_u64 v,
				  const struct vmm_msr_ctx *c)
{
	vmm_u64 old_mode = old & VMM_MSR_APIC_BASE_MODE;
	vmm_u64 new_mode = v & VMM_MSR_APIC_BASE_MODE;
	vmm_bool ok = VMM_FALSE;

	if (msr__below_maxphyaddr(v, c->maxphyaddr) == 0) {
		ok = VMM_FALSE;
	} else if ((v & VMM_MSR_APIC_BASE_RSVD) != 0U) {
		ok = VMM_FALSE;
	} else if (c->x2apic == 0 && (v & VMM_MSR_APIC_BASE_EXTD) != 0U) {
		ok = VMM_FALSE;
	} else if (new_mode == VMM_MSR_APIC_BASE_EXTD) {
		ok = VMM_FALSE;	/* x2APIC without xAPIC: invalid */
	} else if (c->host == 0 && old_mode == VMM_MSR_APIC_BASE_MODE &&
		   new_mode == VMM_MSR_APIC_BASE_EN) {
		ok = VMM_FALSE;	/* x2APIC -> xAPIC */
	} else if (c->host == 0 && old_mode == 0U &&
		   new_mode == VMM_MSR_APIC_BASE_MODE) {
		ok = VMM_FALSE;	/* disabled -> x2APIC */
	} else {
		ok = VMM_TRUE;
	}
	return ok;
}

/* ---- Constants and reset ---- */

vmm_u64 vmm_msr_efer_allowed(vmm_bool host_nx)
{
	vmm_u64 efer = VMM_MSR_EFER_SCE | VMM_MSR_EFER_LME | VMM_MSR_EFER_LMA;

	if (host_nx != 0) {
		efer = efer | VMM_MSR_EFER_NX;
	}
	return efer;
}

vmm_u64 vmm_msr_apic_base_reset(vmm_bool bsp)
{
	vmm_u64 base = VMM_MSR_APIC_DEFAULT_BASE | VMM_MSR_APIC_BASE_EN;

	if (bsp != 0) {
		base = base | VMM_MSR_APIC_BASE_BSP;
	}
	return base;
}

void vmm_msr_reset(struct vmm_msr_state *s, vmm_bool bsp)
{
	vmm_u32 i;

	if (s != VMM_NULL) {
		s->misc_enable = VMM_MSR_MISC_RESET;
		s->apic_base = vmm_msr_apic_base_reset(bsp);
		s->ucode_rev = VMM_MSR_UCODE_REV_RESET;
		s->mtrr_def_type = 0U;
		/*@ loop invariant 0 <= i <= VMM_MSR_MTRR_VAR_MSRS;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   s->mtrr_var[k] == 0;
		  @ loop assigns i, s->mtrr_var[0 .. VMM_MSR_MTRR_VAR_MSRS - 1];
		  @ loop variant VMM_MSR_MTRR_VAR_MSRS - i;
		  @*/
		for (i = 0U; i < VMM_MSR_MTRR_VAR_MSRS; i++) {
			s->mtrr_var[i] = 0U;
		}
		/*@ loop invariant 0 <= i <= VMM_MSR_MTRR_FIXED;
		  @ loop invariant \forall integer k; 0 <= k < i ==>
		  @   s->mtrr_fixed[k] == 0;
		  @ loop assigns i, s->mtrr_fixed[0 .. VMM_MSR_MTRR_FIXED - 1];
		  @ loop variant VMM_MSR_MTRR_FIXED - i;
		  @*/
		for (i = 0U; i < VMM_MSR_MTRR_FIXED; i++) {
			s->mtrr_fixed[i] = 0U;
		}
	}
}

vmm_bool vmm_msr_batch_ok(vmm_u32 nmsrs)
{
	return nmsrs < VMM_MSR_IO_MAX;
}

/* ---- KVM_GET_MSR_INDEX_LIST ---- */

/*@ requires k < VMM_MSR_LIST_LEN;
  @ assigns \nothing;
  @ ensures \result == msr_list_entry(k);
  @ ensures msr_listed(\result);
  @*/
static vmm_u32 msr__list_entry(vmm_u32 k)
{
	vmm_u32 index = VMM_MSR_UCODE_REV;

	switch (k) {
	case 0U: index = VMM_MSR_EFER; break;
	case 1U: index = VMM_MSR_STAR; break;
	case 2U: index = VMM_MSR_LSTAR; break;
	case 3U: index = VMM_MSR_CSTAR; break;
	case 4U: index = VMM_MSR_SYSCALL_MASK; break;
	case 5U: index = VMM_MSR_KERNEL_GS_BASE; break;
	case 6U: index = VMM_MSR_FS_BASE; break;
	case 7U: index = VMM_MSR_GS_BASE; break;
	case 8U: index = VMM_MSR_SYSENTER_CS; break;
	case 9U: index = VMM_MSR_SYSENTER_ESP; break;
	case 10U: index = VMM_MSR_SYSENTER_EIP; break;
	case 11U: index = VMM_MSR_PAT; break;
	case 12U: index = VMM_MSR_TSC; break;
	case 13U: index = VMM_MSR_MISC_ENABLE; break;
	case 14U: index = VMM_MSR_MTRRCAP; break;
	case 15U: index = VMM_MSR_MTRR_DEF_TYPE; break;
	case 32U: index = VMM_MSR_MTRR_FIX64K_00000; break;
	case 33U: index = VMM_MSR_MTRR_FIX16K_80000; break;
	case 34U: index = VMM_MSR_MTRR_FIX16K_A0000; break;
	case 43U: index = VMM_MSR_APIC_BASE; break;
	case 44U: index = VMM_MSR_UCODE_REV; break;
	default:
		if (k < 32U) {
			index = VMM_MSR_MTRR_VAR_FIRST + (k - 16U);
		} else {
			index = VMM_MSR_MTRR_FIX4K_C0000 + (k - 35U);
		}
		break;
	}
	return index;
}

vmm_u32 vmm_msr_index_list(vmm_u32 *out, vmm_u32 cap)
{
	vmm_u32 k;

	if (out != VMM_NULL && cap >= VMM_MSR_LIST_LEN) {
		/*@ loop invariant 0 <= k <= VMM_MSR_LIST_LEN;
		  @ loop invariant \forall integer j; 0 <= j < k ==>
		  @   out[j] == msr_list_entry(j) && msr_listed(out[j]);
		  @ loop assigns k, out[0 .. VMM_MSR_LIST_LEN - 1];
		  @ loop variant VMM_MSR_LIST_LEN - k;
		  @*/
		for (k = 0U; k < VMM_MSR_LIST_LEN; k++) {
			out[k] = msr__list_entry(k);
		}
	}
	return VMM_MSR_LIST_LEN;
}

/* ---- Reads ---- */

enum vmm_msr_action vmm_msr_read(const struct vmm_msr_state *s,
				 const struct vmm_msr_ctx *c, vmm_u32 index,
				 vmm_u64 *out)
{
	enum vmm_msr_action act = VMM_MSR_ACT_REFUSE;

	if (s == VMM_NULL || c == VMM_NULL || out == VMM_NULL) {
		act = VMM_MSR_ACT_REFUSE;
	} else {
		*out = 0U;
		if (msr__is_vendor(index) != 0) {
			act = VMM_MSR_ACT_BACKEND;
		} else if (index == VMM_MSR_TSC) {
			act = VMM_MSR_ACT_TSC;
		} else if (index == VMM_MSR_MISC_ENABLE) {
			*out = s->misc_enable;
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_MTRRCAP) {
			*out = VMM_MSR_MTRRCAP_VALUE;
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_MTRR_DEF_TYPE) {
			*out = s->mtrr_def_type;
			act = VMM_MSR_ACT_DONE;
		} else if (msr__is_mtrr_var(index) != 0) {
			*out = s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST];
			act = VMM_MSR_ACT_DONE;
		} else if (msr__is_mtrr_fixed(index) != 0) {
			*out = s->mtrr_fixed[msr__fixed_slot(index)];
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_APIC_BASE) {
			*out = s->apic_base;
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_UCODE_REV) {
			*out = s->ucode_rev;
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_TSC_DEADLINE) {
			act = c->tsc_deadline != 0 ? VMM_MSR_ACT_TSC_DEADLINE :
						     VMM_MSR_ACT_REFUSE;
		} else if (msr__is_platform_zero(index) != 0) {
			act = VMM_MSR_ACT_DONE;
		} else if (msr__is_kvmclock(index) != 0) {
			act = VMM_MSR_ACT_KVMCLOCK;
		} else {
			act = VMM_MSR_ACT_REFUSE;
		}
	}
	return act;
}

/* ---- Writes ---- */

/* A backend-held MSR other than EFER: its value rule. */
/*@ requires \valid(out);
  @ requires msr_vendor(index) && index != VMM_MSR_EFER;
  @ assigns *out;
  @ ensures msr_vendor_value_ok(index, v) ==>
  @   \result == VMM_MSR_ACT_BACKEND && *out == msr_vendor_value(index, v);
  @ ensures !msr_vendor_value_ok(index, v) ==> \result == VMM_MSR_ACT_REFUSE;
  @*/
static enum vmm_msr_action msr__write_vendor(vmm_u32 index, vmm_u64 v,
					     vmm_u64 *out)
{
	enum vmm_msr_action act = VMM_MSR_ACT_BACKEND;

	*out = v;
	if (msr__is_canonical_checked(index) != 0) {
		if (msr__canonical(v) == 0) {
			act = VMM_MSR_ACT_REFUSE;
		}
	} else if (index == VMM_MSR_SYSCALL_MASK) {
		/* Bits 63:32 are reserved: WRMSR would #GP on the host. */
		if ((v >> 32) != 0U) {
			act = VMM_MSR_ACT_REFUSE;
		}
	} else if (index == VMM_MSR_SYSENTER_ESP ||
		   index == VMM_MSR_SYSENTER_EIP) {
		/* KVM makes them canonical rather than refuse them. */
		*out = msr__canon(v);
	} else if (index == VMM_MSR_PAT) {
		if (msr__types_ok(v, VMM_TRUE) == 0) {
			act = VMM_MSR_ACT_REFUSE;
		}
	} else {
		act = VMM_MSR_ACT_BACKEND;	/* STAR, SYSENTER_CS: any value */
	}
	return act;
}

enum vmm_msr_action vmm_msr_write(struct vmm_msr_state *s,
				  const struct vmm_msr_ctx *c, vmm_u32 index,
				  vmm_u64 v, vmm_u64 *out)
{
	enum vmm_msr_action act = VMM_MSR_ACT_REFUSE;
	vmm_u64 old = 0U;
	vmm_u32 slot = 0U;

	if (s == VMM_NULL || c == VMM_NULL || out == VMM_NULL) {
		act = VMM_MSR_ACT_REFUSE;
	} else {
		*out = v;
		if (index == VMM_MSR_EFER) {
			act = VMM_MSR_ACT_EFER;
		} else if (msr__is_vendor(index) != 0) {
			act = msr__write_vendor(index, v, out);
		} else if (index == VMM_MSR_TSC) {
			act = VMM_MSR_ACT_TSC;
		} else if (index == VMM_MSR_MISC_ENABLE) {
			old = s->misc_enable;
			if (c->host != 0) {
				s->misc_enable = v;
				act = VMM_MSR_ACT_DONE;
			} else if (VMM_MSR_MISC_GUEST_OK(old, v)) {
				/* EMON is read-only; writing it does not fault. */
				s->misc_enable = VMM_MSR_MISC_GUEST(old, v);
				act = VMM_MSR_ACT_DONE;
			}
		} else if (index == VMM_MSR_MTRR_DEF_TYPE) {
			if ((v & VMM_MSR_MTRR_DEF_RSVD) == 0U &&
			    msr__mtrr_type_ok(v & 0xffU) != 0) {
				s->mtrr_def_type = v;
				act = VMM_MSR_ACT_DONE;
			}
		} else if (msr__is_mtrr_var(index) != 0) {
			if (msr__mtrr_var_ok(index, v, c->maxphyaddr) != 0) {
				s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST] = v;
				act = VMM_MSR_ACT_DONE;
			}
		} else if (msr__is_mtrr_fixed(index) != 0) {
			if (msr__types_ok(v, VMM_FALSE) != 0) {
				slot = msr__fixed_slot(index);
				s->mtrr_fixed[slot] = v;
				act = VMM_MSR_ACT_DONE;
			}
		} else if (index == VMM_MSR_APIC_BASE) {
			if (msr__apic_base_ok(s->apic_base, v, c) != 0) {
				s->apic_base = v;
				act = VMM_MSR_ACT_DONE;
			}
		} else if (index == VMM_MSR_UCODE_REV) {
			/* KVM: userspace sets the revision, a guest write
			 * is dropped. */
			if (c->host != 0) {
				s->ucode_rev = v;
			}
			act = VMM_MSR_ACT_DONE;
		} else if (index == VMM_MSR_TSC_DEADLINE) {
			act = c->tsc_deadline != 0 ? VMM_MSR_ACT_TSC_DEADLINE :
						     VMM_MSR_ACT_REFUSE;
		} else if (msr__is_platform_zero(index) != 0) {
			act = VMM_MSR_ACT_DONE;	/* dropped, as KVM does */
		} else if (msr__is_kvmclock(index) != 0) {
			act = VMM_MSR_ACT_KVMCLOCK;
		} else {
			act = VMM_MSR_ACT_REFUSE;	/* MTRRcap, or not in the set */
		}
	}
	return act;
}

enum vmm_msr_action vmm_msr_efer_write(vmm_u64 allowed, vmm_u64 cur,
				       vmm_u64 v, vmm_bool paging,
				       vmm_bool host, vmm_u64 *out)
{
	enum vmm_msr_action act = VMM_MSR_ACT_REFUSE;

	if (out == VMM_NULL) {
		act = VMM_MSR_ACT_REFUSE;
	} else if ((v & allowed) != v) {
		act = VMM_MSR_ACT_REFUSE;
	} else if (host == 0 && paging != 0 &&
		   (cur & VMM_MSR_EFER_LME) != (v & VMM_MSR_EFER_LME)) {
		act = VMM_MSR_ACT_REFUSE;	/* LME is fixed while paging is on */
	} else {
		*out = (v & VMM_MSR_EFER_KEEP_LMA) | (cur & VMM_MSR_EFER_LMA);
		act = VMM_MSR_ACT_BACKEND;
	}
	return act;
}
