/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 12: the MSRs a guest has, and the rules of each.
 *
 * lamina implements a fixed set of MSRs (the "MSR set"), read and written
 * the same way by userspace (KVM_GET/SET_MSRS, "host-initiated" in KVM's
 * words) and by the guest (RDMSR/WRMSR exits).  This layer holds the set
 * and every decision about it: whether an index is in the set, whether a
 * value is legal, what a read returns, and the stored MSRs themselves
 * (struct vmm_msr_state).  The module (module/msr.c) keeps the kernel
 * glue: copying from and to userspace, the backend's VMCS/VMCB access,
 * the host TSC, the LAPIC timer and kvmclock.
 *
 * The rules are KVM's (arch/x86/kvm/x86.c, mtrr.c, lapic.c in Linux 6.1)
 * and the SDM's; each is named in the contract of vmm_msr_write() below
 * and modelled in acsl-specs/msr.acsl.
 *
 *   backend-held  EFER (vmm_msr_efer_write()), STAR, LSTAR, CSTAR,
 *                 SYSCALL_MASK, KERNEL_GS_BASE, FS_BASE, GS_BASE,
 *                 SYSENTER_CS/ESP/EIP, PAT: the VMCS/VMCB holds them.
 *                 LSTAR, CSTAR, KERNEL_GS_BASE, FS/GS_BASE must be
 *                 canonical (48-bit: lamina offers no LA57);
 *                 SYSCALL_MASK bits 63:32 are reserved; SYSENTER_ESP/EIP
 *                 are made canonical, not refused (as KVM); every PAT
 *                 entry is UC, WC, WT, WP, WB or UC- (SDM vol. 3A 11.12.2).
 *   TSC           the module's (host TSC + the backend's offset).
 *   MISC_ENABLE   stored; the guest may not change PEBS_UNAVAIL and
 *                 BTS_UNAVAIL (#GP) and its writes to EMON are dropped;
 *                 userspace sets any value.
 *   MTRRs         MTRRcap is read-only (WC, fixed ranges, 8 variable
 *                 pairs); MTRRdefType, the 16 variable and 11 fixed-range
 *                 MTRRs are stored: memory types UC, WC, WT, WP, WB only,
 *                 reserved bits clear, addresses below MAXPHYADDR.
 *   APIC_BASE     stored; reserved bits (0-7, 9, at or above MAXPHYADDR,
 *                 EXTD without x2APIC in CPUID) clear; EXTD without EN is
 *                 invalid; the guest may not go x2APIC -> xAPIC nor
 *                 disabled -> x2APIC (SDM vol. 3A 10.12.5); userspace may.
 *   UCODE_REV     stored; userspace sets it, a guest write is dropped.
 *   TSC_DEADLINE  the LAPIC timer's, only with an in-kernel LAPIC and the
 *                 bit in the guest's CPUID.
 *   platform      SYSCFG, TSEG_ADDR/MASK, INT_PENDING_MSG, NB_CFG,
 *                 MMIO_CONF_BASE, BU_CFG2, PERF_CTL, DC_CFG, EX_CFG: read
 *                 as 0, writes dropped (a guest kernel reads them without
 *                 a fault handler; they describe the host's platform).
 *   kvmclock      MSR_KVM_WALL_CLOCK_NEW, MSR_KVM_SYSTEM_TIME_NEW: the
 *                 module's kvmclock.
 *   anything else #GP for the guest; for userspace, the end of the
 *                 KVM_GET/SET_MSRS batch.  KVM does the same unless
 *                 userspace enabled KVM_CAP_X86_USER_SPACE_MSR, which
 *                 lamina does not offer: there is no exit to userspace.
 *
 * KVM_GET_MSR_INDEX_LIST lists the backend-held MSRs, TSC, MISC_ENABLE,
 * the MTRRs, APIC_BASE and UCODE_REV (vmm_msr_index_list()); as in KVM,
 * TSC_DEADLINE, the platform MSRs and kvmclock's are handled but not
 * listed.  KVM_GET/SET_MSRS take fewer than VMM_MSR_IO_MAX entries.
 *
 * Preconditions are weak: NULL pointers are refused.  libvmm takes no
 * lock: the caller owns the state for the call (the vCPU's thread).
 */
#ifndef LIBVMM_MSR_H
#define LIBVMM_MSR_H

#include <libvmm/types.h>

/* ---- The MSR set (SDM vol. 4; AMD APM vol. 2 appendix A) ---- */

#define VMM_MSR_TSC 0x00000010U
#define VMM_MSR_APIC_BASE 0x0000001bU
#define VMM_MSR_UCODE_REV 0x0000008bU
#define VMM_MSR_MTRRCAP 0x000000feU
#define VMM_MSR_SYSENTER_CS 0x00000174U
#define VMM_MSR_SYSENTER_ESP 0x00000175U
#define VMM_MSR_SYSENTER_EIP 0x00000176U
#define VMM_MSR_PERF_CTL 0x00000199U
#define VMM_MSR_MISC_ENABLE 0x000001a0U
#define VMM_MSR_MTRR_VAR_FIRST 0x00000200U     /* PHYSBASE0 */
#define VMM_MSR_MTRR_VAR_LAST 0x0000020fU      /* PHYSMASK7 */
#define VMM_MSR_MTRR_FIX64K_00000 0x00000250U
#define VMM_MSR_MTRR_FIX16K_80000 0x00000258U
#define VMM_MSR_MTRR_FIX16K_A0000 0x00000259U
#define VMM_MSR_MTRR_FIX4K_C0000 0x00000268U   /* .. FIX4K_F8000 0x26f */
#define VMM_MSR_MTRR_FIX4K_F8000 0x0000026fU
#define VMM_MSR_PAT 0x00000277U
#define VMM_MSR_MTRR_DEF_TYPE 0x000002ffU
#define VMM_MSR_TSC_DEADLINE 0x000006e0U
#define VMM_MSR_KVM_WALL_CLOCK_NEW 0x4b564d00U
#define VMM_MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01U
#define VMM_MSR_EFER 0xc0000080U
#define VMM_MSR_STAR 0xc0000081U
#define VMM_MSR_LSTAR 0xc0000082U
#define VMM_MSR_CSTAR 0xc0000083U
#define VMM_MSR_SYSCALL_MASK 0xc0000084U
#define VMM_MSR_FS_BASE 0xc0000100U
#define VMM_MSR_GS_BASE 0xc0000101U
#define VMM_MSR_KERNEL_GS_BASE 0xc0000102U
#define VMM_MSR_AMD_SYSCFG 0xc0010010U
#define VMM_MSR_AMD_NB_CFG 0xc001001fU
#define VMM_MSR_AMD_INT_PENDING_MSG 0xc0010055U
#define VMM_MSR_AMD_MMIO_CONF_BASE 0xc0010058U
#define VMM_MSR_AMD_TSEG_ADDR 0xc0010112U
#define VMM_MSR_AMD_TSEG_MASK 0xc0010113U
#define VMM_MSR_AMD_DC_CFG 0xc0011022U
#define VMM_MSR_AMD_BU_CFG2 0xc001102aU
#define VMM_MSR_AMD_EX_CFG 0xc001102cU

/* Variable-range MTRR pairs (MTRRcap.VCNT) and fixed-range MTRRs. */
#define VMM_MSR_MTRR_VAR_PAIRS 8U
#define VMM_MSR_MTRR_VAR_MSRS 16U
#define VMM_MSR_MTRR_FIXED 11U

/* KVM_GET_MSR_INDEX_LIST's length: 12 backend-held + TSC, MISC_ENABLE,
 * MTRRcap, MTRRdefType + 16 variable + 11 fixed + APIC_BASE, UCODE_REV. */
#define VMM_MSR_LIST_LEN 45U

/* KVM's MAX_IO_MSRS: KVM_GET/SET_MSRS with nmsrs >= this is E2BIG. */
#define VMM_MSR_IO_MAX 256U

/* ---- Values and bits ---- */

/* EFER (SDM vol. 4, table 2-2): SCE, LME, LMA, NX. */
#define VMM_MSR_EFER_SCE 0x0000000000000001ULL
#define VMM_MSR_EFER_LME 0x0000000000000100ULL
#define VMM_MSR_EFER_LMA 0x0000000000000400ULL
#define VMM_MSR_EFER_NX 0x0000000000000800ULL
#define VMM_MSR_EFER_KEEP_LMA 0xfffffffffffffbffULL  /* ~LMA */

/* APIC_BASE (SDM vol. 3A 10.4.4, 10.12.1). */
#define VMM_MSR_APIC_BASE_BSP 0x0000000000000100ULL
#define VMM_MSR_APIC_BASE_EXTD 0x0000000000000400ULL  /* x2APIC mode */
#define VMM_MSR_APIC_BASE_EN 0x0000000000000800ULL
#define VMM_MSR_APIC_BASE_MODE 0x0000000000000c00ULL  /* EN | EXTD */
#define VMM_MSR_APIC_BASE_RSVD 0x00000000000002ffULL  /* bits 7:0, 9 */
#define VMM_MSR_APIC_DEFAULT_BASE 0x00000000fee00000ULL

/* MISC_ENABLE: EMON (bit 7) read-only; PEBS_UNAVAIL (12), BTS_UNAVAIL
 * (11) set after RESET and fixed for the guest (KVM's
 * MSR_IA32_MISC_ENABLE_PMU_RO_MASK). */
#define VMM_MSR_MISC_EMON 0x0000000000000080ULL
#define VMM_MSR_MISC_KEEP_EMON 0xffffffffffffff7fULL  /* ~EMON */
#define VMM_MSR_MISC_GUEST_RO 0x0000000000001800ULL
#define VMM_MSR_MISC_RESET 0x0000000000001800ULL
/* The guest's write of @v over @old: allowed, and the value it stores.
 * (Macros, so that the code and the contract say it the same way.) */
#define VMM_MSR_MISC_GUEST_OK(old, v) \
	(((old) & VMM_MSR_MISC_GUEST_RO) == ((v) & VMM_MSR_MISC_GUEST_RO))
#define VMM_MSR_MISC_GUEST(old, v) \
	(((v) & VMM_MSR_MISC_KEEP_EMON) | ((old) & VMM_MSR_MISC_EMON))

/* KVM's default microcode revision after vCPU creation. */
#define VMM_MSR_UCODE_REV_RESET 0x0000000100000000ULL

/* MTRRcap as KVM reports it: WC (bit 10), FIX (bit 8), VCNT 8. */
#define VMM_MSR_MTRRCAP_VALUE 0x0000000000000508ULL
/* MTRRdefType: type 7:0, FE 10, E 11; the rest reserved. */
#define VMM_MSR_MTRR_DEF_RSVD 0xfffffffffffff300ULL
/* Variable MTRRs: PHYSBASE type 7:0, bits 11:8 reserved; PHYSMASK bits
 * 10:0 reserved; both: bits at or above MAXPHYADDR. */
#define VMM_MSR_MTRR_BASE_RSVD 0x0000000000000f00ULL
#define VMM_MSR_MTRR_MASK_RSVD 0x00000000000007ffULL

/* 48-bit canonical form: bits 63:47 all equal. */
#define VMM_MSR_CANON_BITS 0xffff800000000000ULL      /* bits 63:47 */
#define VMM_MSR_CANON_SIGN 0x0000800000000000ULL      /* bit 47 */
#define VMM_MSR_CANON_HIGH 0xffff000000000000ULL
#define VMM_MSR_CANON_LOW 0x0000ffffffffffffULL

/* ---- Types ---- */

/* What the caller does with an MSR access. */
enum vmm_msr_action {
	/* Not allowed: #GP for the guest, the end of a KVM_*_MSRS batch. */
	VMM_MSR_ACT_REFUSE = 0,
	/* Done here: a read's value is in *out; a write was stored in the
	 * state, or dropped. */
	VMM_MSR_ACT_DONE = 1,
	/* The backend's get_msr/set_msr; a write stores *out. */
	VMM_MSR_ACT_BACKEND = 2,
	/* The guest TSC: host TSC + the backend's offset; a write of *out
	 * sets the offset to *out - host TSC. */
	VMM_MSR_ACT_TSC = 3,
	/* EFER write: call vmm_msr_efer_write() with the current EFER. */
	VMM_MSR_ACT_EFER = 4,
	/* IA32_TSC_DEADLINE: the LAPIC timer's (value *out for a write). */
	VMM_MSR_ACT_TSC_DEADLINE = 5,
	/* A kvmclock MSR: kvmclock's (value *out for a write). */
	VMM_MSR_ACT_KVMCLOCK = 6,
};

/* The MSRs stored here rather than in the VMCS/VMCB. */
struct vmm_msr_state {
	vmm_u64 misc_enable;
	vmm_u64 apic_base;
	vmm_u64 ucode_rev;		/* IA32_UCODE_REV (BIOS_SIGN_ID) */
	vmm_u64 mtrr_def_type;
	vmm_u64 mtrr_var[VMM_MSR_MTRR_VAR_MSRS];	/* base, mask, ... */
	vmm_u64 mtrr_fixed[VMM_MSR_MTRR_FIXED];
};

/* What the rules depend on besides the index and value. */
struct vmm_msr_ctx {
	/* The guest's physical-address width (its CPUID 0x80000008). */
	vmm_u32 maxphyaddr;
	/* The guest's CPUID has x2APIC (APIC_BASE writes only). */
	vmm_bool x2apic;
	/* An in-kernel LAPIC and TSC-deadline in the guest's CPUID
	 * (TSC_DEADLINE accesses only). */
	vmm_bool tsc_deadline;
	/* KVM_GET/SET_MSRS (true) or a guest RDMSR/WRMSR (false). */
	vmm_bool host;
};

#ifdef __FRAMAC__
#include "msr.acsl"
#endif

/*
 * EFER bits a guest may set on this host: SCE, LME, LMA, and NX if the
 * host has it.  One definition for the MSR rules and the sregs rules.
 */
/*@ assigns \nothing;
  @ ensures \result == msr_efer_allowed(host_nx);
  @*/
vmm_u64 vmm_msr_efer_allowed(vmm_bool host_nx);

/*
 * APIC_BASE after RESET: the default base, enabled, BSP on vCPU 0
 * (@bsp).  Also what KVM_GET_SREGS reports in apic_base.
 */
/*@ assigns \nothing;
  @ ensures \result == msr_apic_base_reset(bsp);
  @*/
vmm_u64 vmm_msr_apic_base_reset(vmm_bool bsp);

/*
 * A new vCPU's stored MSRs (KVM's vCPU creation): MISC_ENABLE with
 * PEBS/BTS unavailable, the default microcode revision, APIC_BASE as
 * vmm_msr_apic_base_reset(), the MTRRs 0.  NULL: nothing.
 */
/*@ requires s == \null || \valid(s);
  @ assigns *s;
  @ ensures s != \null ==> msr_state_reset(s, bsp);
  @*/
void vmm_msr_reset(struct vmm_msr_state *s, vmm_bool bsp);

/* KVM_GET/SET_MSRS: may a batch of @nmsrs entries be processed? */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> nmsrs < VMM_MSR_IO_MAX;
  @*/
vmm_bool vmm_msr_batch_ok(vmm_u32 nmsrs);

/*
 * KVM_GET_MSR_INDEX_LIST: writes the VMM_MSR_LIST_LEN listed indices to
 * @out when @cap is at least that, nothing otherwise; returns
 * VMM_MSR_LIST_LEN.  Proved: entry k is msr_list_entry(k), and each is
 * an MSR that vmm_msr_read() serves and vmm_msr_write() decides
 * (msr_listed).
 */
/*@ requires out == \null || \valid(out + (0 .. cap - 1));
  @ ensures \result == VMM_MSR_LIST_LEN;
  @ behavior fill:
  @   assumes out != \null && cap >= VMM_MSR_LIST_LEN;
  @   assigns out[0 .. VMM_MSR_LIST_LEN - 1];
  @   ensures \forall integer k; 0 <= k < VMM_MSR_LIST_LEN ==>
  @     out[k] == msr_list_entry(k) && msr_listed(out[k]);
  @ behavior short:
  @   assumes out == \null || cap < VMM_MSR_LIST_LEN;
  @   assigns \nothing;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
vmm_u32 vmm_msr_index_list(vmm_u32 *out, vmm_u32 cap);

/*
 * Read MSR @index.  Returns the action; *out is the value for DONE and 0
 * otherwise.  Any NULL: REFUSE.
 */
/*@ requires s == \null || \valid_read(s);
  @ requires c == \null || \valid_read(c);
  @ requires out == \null || \valid(out);
  @ requires \separated(out, s) && \separated(out, c);
  @
  @ behavior null:
  @   assumes s == \null || c == \null || out == \null;
  @   assigns \nothing;
  @   ensures \result == VMM_MSR_ACT_REFUSE;
  @ behavior backend:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_vendor(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_BACKEND && *out == 0;
  @ behavior tsc:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_TSC;
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_TSC && *out == 0;
  @ behavior stored:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_stored(index) || index == VMM_MSR_MTRRCAP;
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_DONE && *out == msr_stored_value(s, index);
  @ behavior tsc_deadline:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_TSC_DEADLINE;
  @   assigns *out;
  @   ensures c->tsc_deadline != 0 ==> \result == VMM_MSR_ACT_TSC_DEADLINE;
  @   ensures c->tsc_deadline == 0 ==> \result == VMM_MSR_ACT_REFUSE;
  @   ensures *out == 0;
  @ behavior platform:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_platform_zero(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_DONE && *out == 0;
  @ behavior kvmclock:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_kvmclock(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_KVMCLOCK && *out == 0;
  @ behavior unknown:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes !msr_known(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_REFUSE && *out == 0;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
enum vmm_msr_action vmm_msr_read(const struct vmm_msr_state *s,
				 const struct vmm_msr_ctx *c, vmm_u32 index,
				 vmm_u64 *out);

/*
 * Write @v to MSR @index.  Returns the action; *out is the value to hand
 * on (BACKEND, TSC, TSC_DEADLINE, KVMCLOCK, EFER): @v, or its canonical
 * form for SYSENTER_ESP/EIP.  A stored MSR is updated here (DONE) or left
 * unchanged (REFUSE, or a dropped write).  Any NULL: REFUSE.
 */
/*@ requires s == \null || \valid(s);
  @ requires c == \null || \valid_read(c);
  @ requires out == \null || \valid(out);
  @ requires \separated(out, s) && \separated(out, c) && \separated(s, c);
  @
  @ behavior null:
  @   assumes s == \null || c == \null || out == \null;
  @   assigns \nothing;
  @   ensures \result == VMM_MSR_ACT_REFUSE;
  @ behavior efer:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_EFER;
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_EFER && *out == v;
  @ behavior backend:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_vendor(index) && index != VMM_MSR_EFER;
  @   assigns *out;
  @   ensures msr_vendor_value_ok(index, v) ==>
  @     \result == VMM_MSR_ACT_BACKEND && *out == msr_vendor_value(index, v);
  @   ensures !msr_vendor_value_ok(index, v) ==> \result == VMM_MSR_ACT_REFUSE;
  @ behavior tsc:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_TSC;
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_TSC && *out == v;
  @ behavior misc_enable:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_MISC_ENABLE;
  @   assigns *out, s->misc_enable;
  @   ensures c->host != 0 ==>
  @     \result == VMM_MSR_ACT_DONE && s->misc_enable == v;
  @   ensures c->host == 0 &&
  @     VMM_MSR_MISC_GUEST_OK(\old(s->misc_enable), v) ==>
  @     \result == VMM_MSR_ACT_DONE &&
  @     s->misc_enable == VMM_MSR_MISC_GUEST(\old(s->misc_enable), v);
  @   ensures c->host == 0 &&
  @     !VMM_MSR_MISC_GUEST_OK(\old(s->misc_enable), v) ==>
  @     \result == VMM_MSR_ACT_REFUSE && s->misc_enable == \old(s->misc_enable);
  @ behavior mtrr_def_type:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_MTRR_DEF_TYPE;
  @   assigns *out, s->mtrr_def_type;
  @   ensures msr_mtrr_def_ok(v) ==>
  @     \result == VMM_MSR_ACT_DONE && s->mtrr_def_type == v;
  @   ensures !msr_mtrr_def_ok(v) ==>
  @     \result == VMM_MSR_ACT_REFUSE &&
  @     s->mtrr_def_type == \old(s->mtrr_def_type);
  @ behavior mtrr_var:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_mtrr_var(index);
  @   assigns *out, s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST];
  @   ensures msr_mtrr_var_ok(index, v, c->maxphyaddr) ==>
  @     \result == VMM_MSR_ACT_DONE &&
  @     s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST] == v;
  @   ensures !msr_mtrr_var_ok(index, v, c->maxphyaddr) ==>
  @     \result == VMM_MSR_ACT_REFUSE &&
  @     s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST] ==
  @       \old(s->mtrr_var[index - VMM_MSR_MTRR_VAR_FIRST]);
  @ behavior mtrr_fixed:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_mtrr_fixed(index);
  @   assigns *out, s->mtrr_fixed[msr_fixed_slot(index)];
  @   ensures msr_mtrr_fixed_ok(v) ==>
  @     \result == VMM_MSR_ACT_DONE &&
  @     s->mtrr_fixed[msr_fixed_slot(index)] == v;
  @   ensures !msr_mtrr_fixed_ok(v) ==>
  @     \result == VMM_MSR_ACT_REFUSE &&
  @     s->mtrr_fixed[msr_fixed_slot(index)] ==
  @       \old(s->mtrr_fixed[msr_fixed_slot(index)]);
  @ behavior apic_base:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_APIC_BASE;
  @   assigns *out, s->apic_base;
  @   ensures msr_apic_base_ok(\old(s->apic_base), v, c->maxphyaddr,
  @                            c->x2apic, c->host) ==>
  @     \result == VMM_MSR_ACT_DONE && s->apic_base == v;
  @   ensures !msr_apic_base_ok(\old(s->apic_base), v, c->maxphyaddr,
  @                             c->x2apic, c->host) ==>
  @     \result == VMM_MSR_ACT_REFUSE && s->apic_base == \old(s->apic_base);
  @ behavior ucode_rev:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_UCODE_REV;
  @   assigns *out, s->ucode_rev;
  @   ensures \result == VMM_MSR_ACT_DONE;
  @   ensures c->host != 0 ==> s->ucode_rev == v;
  @   ensures c->host == 0 ==> s->ucode_rev == \old(s->ucode_rev);
  @ behavior tsc_deadline:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes index == VMM_MSR_TSC_DEADLINE;
  @   assigns *out;
  @   ensures c->tsc_deadline != 0 ==>
  @     \result == VMM_MSR_ACT_TSC_DEADLINE && *out == v;
  @   ensures c->tsc_deadline == 0 ==> \result == VMM_MSR_ACT_REFUSE;
  @ behavior platform:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_platform_zero(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_DONE;
  @ behavior kvmclock:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes msr_kvmclock(index);
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_KVMCLOCK && *out == v;
  @ behavior read_only_or_unknown:
  @   assumes s != \null && c != \null && out != \null;
  @   assumes !msr_known(index) || index == VMM_MSR_MTRRCAP;
  @   assigns *out;
  @   ensures \result == VMM_MSR_ACT_REFUSE;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
enum vmm_msr_action vmm_msr_write(struct vmm_msr_state *s,
				  const struct vmm_msr_ctx *c, vmm_u32 index,
				  vmm_u64 v, vmm_u64 *out);

/*
 * KVM's set_efer(): an EFER write of @v, given the allowed bits
 * (vmm_msr_efer_allowed()), the current EFER @cur and whether paging is
 * on (CR0.PG).  Refused: a bit outside @allowed; for the guest (@host
 * false), changing LME while paging is on.  Otherwise BACKEND with *out =
 * @v with LMA kept from @cur (the CPU sets LMA, not WRMSR).  NULL @out:
 * REFUSE.
 */
/*@ requires out == \null || \valid(out);
  @ behavior null:
  @   assumes out == \null;
  @   assigns \nothing;
  @   ensures \result == VMM_MSR_ACT_REFUSE;
  @ behavior decide:
  @   assumes out != \null;
  @   assigns *out;
  @   ensures MSR_EFER_OK(allowed, cur, v, paging, host) ==>
  @     \result == VMM_MSR_ACT_BACKEND && *out == MSR_EFER_VALUE(cur, v);
  @   ensures !MSR_EFER_OK(allowed, cur, v, paging, host) ==>
  @     \result == VMM_MSR_ACT_REFUSE;
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
enum vmm_msr_action vmm_msr_efer_write(vmm_u64 allowed, vmm_u64 cur,
				       vmm_u64 v, vmm_bool paging,
				       vmm_bool host, vmm_u64 *out);

#endif /* LIBVMM_MSR_H */
