/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 12: lamina's CPUID policy.
 *
 * Layer 7 (uapi.h) decodes a KVM_SET_CPUID2 table and finds the entry that
 * answers CPUID(function, index).  This layer holds the rest of what
 * lamina decides about CPUID; module/cpuid.c keeps the kernel glue and the
 * CPUID instruction on the host.
 *
 *   KVM_GET_SUPPORTED_CPUID  the module executes CPUID(vmm_cpuid_host_
 *       function(s), 0) for every slot s < VMM_CPUID_HOST_LEAVES into
 *       host->leaf[s], then keeps, in slot order, the entries
 *       vmm_cpuid_offer(host, s, &e) gives for every offer slot.  A slot is offered when its function is
 *       at most the host's maximum of its class (CPUID.0:EAX, CPUID.
 *       80000000H:EAX), clamped to VMM_CPUID_MAX_BASIC / _MAX_EXT.  Each
 *       register offered is the host's ANDed with the slot's allowlist
 *       below; lamina's own values are the clamped maxima (EAX of leaves 0
 *       and 80000000H), CPUID.1:ECX[31] "hypervisor", and KVM's two
 *       paravirtual leaves (signature, features: kvmclock only), after the
 *       host's.  Every bit on the allowlists is one the guest can use
 *       without the module's help (an instruction that does not exit, a
 *       register or MSR the module switches or emulates).  Left out on
 *       purpose: VMX/SVM (no nesting); XSAVE and everything built on it
 *       (the module switches the FPU with FXSAVE only, and XSETBV exits
 *       unhandled); x2APIC (the in-kernel LAPIC of KVM_CAP_SPLIT_IRQCHIP
 *       is xAPIC only); TSC-deadline (offered through
 *       KVM_CAP_TSC_DEADLINE_TIMER, as KVM does); MCE/MCA (no
 *       machine-check MSRs); RDTSCP (TSC_AUX is not switched); the
 *       speculation-control MSRs.  Of KVM's paravirtual leaves only
 *       kvmclock: without it a guest cannot learn its TSC rate.
 *   KVM_SET_CPUID2  layer 7 decodes the table; once the vCPU has run,
 *       vmm_cpuid_may_replace() allows only the same table again (KVM 6.1,
 *       kvm_cpuid_check_equal()).  Not checked, as KVM does not: that the
 *       table offers only what KVM_GET_SUPPORTED_CPUID offered.  lamina
 *       does not need it: what the guest may use is decided by the
 *       intercepts and maps (layers 6, 11), not by the bits it is shown;
 *       the module reads back only x2APIC, 1 GiB pages, TSC-deadline and
 *       MAXPHYADDR, whose every use it checks itself.
 *   CPUID exit  vmm_cpuid_answer(): the entry that matches (function,
 *       index); else kvm_cpuid()'s fallback (Linux 6.1, arch/x86/kvm/
 *       cpuid.c): unless the vendor (EBX of leaf 0) is AMD or Hygon, a
 *       function above the maximum of its class (basic, 4000xxxxH by
 *       256-leaf range, 8000xxxxH, C000xxxxH; the class's leaf EAX, or
 *       no such leaf) reads the highest basic leaf (EAX of leaf 0) with
 *       the index as given; else for the topology leaves 0BH and 1FH past
 *       the last level, ECX[7:0] = index and EDX = subleaf 1's EDX; else
 *       zeros.  No bit is computed from guest state (KVM's OSXSAVE,
 *       APIC-enabled and OSPKE: lamina offers neither XSAVE, PKU nor a
 *       way to disable the xAPIC that would change them).
 *   Queries  vmm_cpuid_has_feature(): x2APIC, 1 GiB pages, TSC-deadline
 *       in the table (entry (leaf, 0) only, no fallback, as the module's
 *       uses of them need).
 *
 * The ACSL model is acsl-specs/cpuid.acsl.  Preconditions are weak: NULL
 * is allowed and rejected (or answered with zeros) at run time; tables
 * are read, never written; the results of vmm_cpuid_answer() are stated
 * for tables layer 7 decoded (uapi_cpuid_table_valid), which are the only
 * ones the module installs.  No state, no lock.
 */
#ifndef LIBVMM_CPUID_H
#define LIBVMM_CPUID_H

#include <libvmm/types.h>
#include <libvmm/uapi.h>

/*
 * Allowlists, one per offered feature register (SDM vol. 2A, CPUID,
 * tables 3-10, 3-11, 3-8 leaf 07H; APM vol. 3, E.4.2).  module/cpuid.c
 * static_asserts each against asm/cpufeatures.h.
 */
/* CPUID.1:ECX: SSE3 0, PCLMULQDQ 1, SSSE3 9, CX16 13, SSE4.1 19, SSE4.2 20,
 * MOVBE 22, POPCNT 23, AES 25, RDRAND 30. */
#define VMM_CPUID_LEAF1_ECX 0x42D82203U
/* CPUID.1:EDX: FPU VME DE PSE TSC MSR PAE 0-6, CX8 8, APIC 9, SEP 11,
 * MTRR 12, PGE 13, CMOV 15, PAT 16, PSE36 17, CLFSH 19, MMX 23, FXSR 24,
 * SSE 25, SSE2 26. */
#define VMM_CPUID_LEAF1_EDX 0x078BBB7FU
/* CPUID.(7,0):EBX: FSGSBASE 0, BMI1 3, SMEP 7, BMI2 8, ERMS 9, RDSEED 18,
 * ADX 19, SMAP 20, CLFLUSHOPT 23, CLWB 24, SHA 29. */
#define VMM_CPUID_LEAF7_EBX 0x219C0389U
/* CPUID.80000001H:ECX: LAHF/SAHF 0, ABM 5, SSE4A 6, MisAlignSse 7,
 * 3DNowPrefetch 8. */
#define VMM_CPUID_EXT1_ECX 0x000001E1U
/* CPUID.80000001H:EDX: leaf 1's EDX bits 0-17, 23, 24 that AMD mirrors
 * (VMM_CPUID_LEAF1_EDX & 0x0183F3FF), SYSCALL 11, NX 20, MmxExt 22,
 * Page1GB 26, LM 29. */
#define VMM_CPUID_EXT1_EDX 0x25D3BB7FU
/* CPUID.1:EBX bits 15:0 (brand index, CLFLUSH size, not the APIC ID);
 * CPUID.80000008H:EAX bits 15:0 (physical and linear address sizes). */
#define VMM_CPUID_LOW16 0x0000FFFFU
#define VMM_CPUID_ALL 0xFFFFFFFFU

/* The highest leaves lamina offers, per class. */
#define VMM_CPUID_MAX_BASIC 7U
#define VMM_CPUID_EXT_BASE 0x80000000U
#define VMM_CPUID_MAX_EXT 0x80000008U

/* Single bits lamina sets or reads. */
#define VMM_CPUID_1_ECX_HYPERVISOR 0x80000000U   /* CPUID.1:ECX[31] */
#define VMM_CPUID_1_ECX_X2APIC 0x00200000U       /* CPUID.1:ECX[21] */
#define VMM_CPUID_1_ECX_TSC_DEADLINE 0x01000000U /* CPUID.1:ECX[24] */
#define VMM_CPUID_EXT1_EDX_GBPAGES 0x04000000U   /* CPUID.80000001H:EDX[26] */

/*
 * KVM's paravirtual leaves (Documentation/virt/kvm/x86/cpuid.rst):
 * 40000000H answers the highest PV leaf and "KVMKVMKVM\0\0\0"; 40000001H
 * EAX has KVM_FEATURE_CLOCKSOURCE2 (bit 3) and
 * KVM_FEATURE_CLOCKSOURCE_STABLE_BIT (bit 24): kvmclock only.
 */
#define VMM_CPUID_PV_SIGNATURE 0x40000000U
#define VMM_CPUID_PV_FEATURES 0x40000001U
#define VMM_CPUID_PV_SIG_EBX 0x4B4D564BU   /* "KVMK" */
#define VMM_CPUID_PV_SIG_ECX 0x564B4D56U   /* "VMKV" */
#define VMM_CPUID_PV_SIG_EDX 0x0000004DU   /* "M\0\0\0" */
#define VMM_CPUID_PV_FEATURES_EAX 0x01000008U

/*
 * Host leaves read, by slot: 0 -> 0, 1 -> 1, 2 -> 7 (subleaf 0),
 * 3 .. 11 -> 80000000H .. 80000008H.  The slots are offered in this
 * order, then the two PV leaves.
 */
#define VMM_CPUID_HOST_LEAVES 12U
#define VMM_CPUID_PV_LEAVES 2U
#define VMM_CPUID_OFFER_MAX (VMM_CPUID_HOST_LEAVES + VMM_CPUID_PV_LEAVES)

/* Vendor signatures, EBX of leaf 0: "Auth"(enticAMD), "Hygo"(nGenuine). */
#define VMM_CPUID_VENDOR_AMD_EBX 0x68747541U
#define VMM_CPUID_VENDOR_HYGON_EBX 0x6F677948U

/* The topology leaves of the exit's last fallback (SDM: 0BH, 1FH). */
#define VMM_CPUID_LEAF_TOPOLOGY 0x0000000BU
#define VMM_CPUID_LEAF_TOPOLOGY2 0x0000001FU
#define VMM_CPUID_TOPOLOGY_LEVEL 0x000000FFU  /* ECX[7:0] */

/* The class boundaries of kvm_cpuid()'s fallback. */
#define VMM_CPUID_PV_BASE 0x40000000U
#define VMM_CPUID_PV_LAST 0x4FFFFFFFU
#define VMM_CPUID_PV_CLASS_MASK 0xFFFFFF00U
#define VMM_CPUID_CENTAUR_BASE 0xC0000000U

/* The four registers of one CPUID. */
struct vmm_cpuid_regs {
	vmm_u32 eax;
	vmm_u32 ebx;
	vmm_u32 ecx;
	vmm_u32 edx;
};

/* What the host's CPUID answered, slot by slot (vmm_cpuid_host_function). */
struct vmm_cpuid_host {
	struct vmm_cpuid_regs leaf[VMM_CPUID_HOST_LEAVES];
};

/* Where vmm_cpuid_answer() took its answer from. */
enum vmm_cpuid_source {
	VMM_CPUID_SRC_ENTRY = 0,     /* the entry matching (function, index) */
	VMM_CPUID_SRC_MAX_BASIC = 1, /* out of range: the highest basic leaf */
	VMM_CPUID_SRC_TOPOLOGY = 2,  /* 0BH/1FH past the last level */
	VMM_CPUID_SRC_NONE = 3       /* zeros */
};

/* Features vmm_cpuid_has_feature() answers. */
enum vmm_cpuid_feature {
	VMM_CPUID_FEAT_X2APIC = 0,       /* CPUID.1:ECX[21] */
	VMM_CPUID_FEAT_GBPAGES = 1,      /* CPUID.80000001H:EDX[26] */
	VMM_CPUID_FEAT_TSC_DEADLINE = 2  /* CPUID.1:ECX[24] */
};

#ifdef __FRAMAC__
#include "cpuid.acsl"
#endif

/* The function the host is asked for slot @slot (0 past the last slot). */
/*@ assigns \nothing;
  @ ensures \result == cpuid_slot_function(slot);
  @*/
vmm_u32 vmm_cpuid_host_function(vmm_u32 slot);

/*
 * KVM_GET_SUPPORTED_CPUID, one slot at a time: @slot < VMM_CPUID_HOST_LEAVES
 * is a host leaf, the next VMM_CPUID_PV_LEAVES are KVM's PV leaves.  If
 * lamina offers the slot on this host, write its entry into *e and return
 * VMM_TRUE; otherwise (not offered, @slot past the last, a NULL pointer)
 * return VMM_FALSE and leave *e as it was.  The module calls it for every
 * slot in order and keeps the entries offered, in that order.
 */
/*@ requires host == \null || \valid_read(host);
  @ requires e == \null || \valid(e);
  @ requires host != \null && e != \null ==> \separated(host, e);
  @
  @ assigns *e;
  @
  @ ensures \result != VMM_FALSE <==>
  @   host != \null && e != \null &&
  @   (slot < VMM_CPUID_HOST_LEAVES ? cpuid_slot_offered(host, slot) :
  @                                   slot < VMM_CPUID_OFFER_MAX);
  @ ensures \result != VMM_FALSE && slot < VMM_CPUID_HOST_LEAVES ==>
  @   cpuid_slot_entry(host, e, slot);
  @ ensures \result != VMM_FALSE && slot >= VMM_CPUID_HOST_LEAVES ==>
  @   cpuid_pv_entry(e) &&
  @   e->function == VMM_CPUID_PV_SIGNATURE + (slot - VMM_CPUID_HOST_LEAVES);
  @ ensures \result != VMM_FALSE && slot < VMM_CPUID_HOST_LEAVES ==>
  @   cpuid_within_host(host, e, slot);
  @ ensures \result != VMM_FALSE ==> cpuid_offered(host, e);
  @*/
vmm_bool vmm_cpuid_offer(const struct vmm_cpuid_host *host, vmm_u32 slot,
			 struct vmm_uapi_cpuid_entry2 *e);

/*
 * KVM_SET_CPUID2 on a vCPU: may the decoded table @next replace @cur
 * (NULL: none set)?  Before the first run, always; after it, only with
 * the same entries, compared field by field in order (padding ignored),
 * or with an empty table where none was set (KVM 6.1).
 */
/*@ requires cur == \null || \valid_read(cur);
  @ requires next == \null || \valid_read(next);
  @
  @ assigns \nothing;
  @
  @ ensures next == \null ==> \result == VMM_FALSE;
  @ ensures next != \null && has_run == VMM_FALSE ==> \result == VMM_TRUE;
  @ ensures next != \null && has_run != VMM_FALSE && cur == \null ==>
  @   (\result != VMM_FALSE <==> next->nent == 0);
  @ ensures next != \null && has_run != VMM_FALSE && cur != \null ==>
  @   (\result != VMM_FALSE <==> cpuid_same_table(cur, next));
  @*/
vmm_bool vmm_cpuid_may_replace(const struct vmm_uapi_cpuid_table *cur,
			       const struct vmm_uapi_cpuid_table *next,
			       vmm_bool has_run);

/*
 * A CPUID exit: the guest's EAX..EDX for CPUID(@function, @index) from
 * table @t (NULL: none set, zeros), into *out.  Returns where the answer
 * came from.
 */
/*@ requires t == \null || \valid_read(t);
  @ requires \valid(out);
  @ requires t != \null ==> \separated(t, out);
  @
  @ assigns *out;
  @
  @ ensures \result == VMM_CPUID_SRC_ENTRY || \result == VMM_CPUID_SRC_MAX_BASIC ||
  @         \result == VMM_CPUID_SRC_TOPOLOGY || \result == VMM_CPUID_SRC_NONE;
  @ ensures t == \null ==> \result == VMM_CPUID_SRC_NONE;
  @ ensures \result == VMM_CPUID_SRC_NONE ==> cpuid_regs_zero(out);
  @ ensures t != \null && uapi_cpuid_table_valid{Pre}(t) ==>
  @   (\result == VMM_CPUID_SRC_ENTRY <==>
  @      uapi_cpuid_has_match{Pre}(&t->entries[0], \at(t->nent, Pre),
  @                                function, index));
  @ ensures t != \null && uapi_cpuid_table_valid{Pre}(t) &&
  @   \result == VMM_CPUID_SRC_ENTRY ==>
  @     cpuid_answer_entry{Pre, Here}(t, function, index, out);
  @ ensures t != \null && uapi_cpuid_table_valid{Pre}(t) &&
  @   \result == VMM_CPUID_SRC_MAX_BASIC ==>
  @     cpuid_answer_fallback{Pre, Here}(t, function, index, out);
  @ ensures t != \null && uapi_cpuid_table_valid{Pre}(t) &&
  @   \result == VMM_CPUID_SRC_TOPOLOGY ==>
  @     cpuid_answer_topology{Pre, Here}(t, function, index, out);
  @ ensures t != \null && uapi_cpuid_table_valid{Pre}(t) &&
  @   \result == VMM_CPUID_SRC_NONE ==>
  @     cpuid_answer_none{Pre}(t, function, index);
  @*/
enum vmm_cpuid_source vmm_cpuid_answer(const struct vmm_uapi_cpuid_table *t,
				       vmm_u32 function, vmm_u32 index,
				       struct vmm_cpuid_regs *out);

/*
 * Does table @t (NULL: none set) offer feature @feat?  Only entry
 * (leaf, 0) is read; an unknown @feat is not offered.
 */
/*@ requires t == \null || \valid_read(t);
  @
  @ assigns \nothing;
  @
  @ ensures t == \null ==> \result == VMM_FALSE;
  @ ensures t != \null && uapi_cpuid_table_valid(t) ==>
  @   (\result != VMM_FALSE <==> cpuid_has_feature(t, feat));
  @*/
vmm_bool vmm_cpuid_has_feature(const struct vmm_uapi_cpuid_table *t,
			       enum vmm_cpuid_feature feat);

/* The guest MAXPHYADDR of table @t: layer 7's, or KVM's 36 without one. */
/*@ requires t == \null || \valid_read(t);
  @
  @ assigns \nothing;
  @
  @ ensures t == \null ==> \result == VMM_MAXPHYADDR_DEFAULT;
  @ ensures t != \null ==> \result == t->maxphyaddr;
  @*/
vmm_u32 vmm_cpuid_maxphyaddr(const struct vmm_uapi_cpuid_table *t);

#endif /* LIBVMM_CPUID_H */
