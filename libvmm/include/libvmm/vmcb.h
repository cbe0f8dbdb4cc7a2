/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 3 (AMD): VMRUN consistency checks on VMCB values.
 *
 * AMD64 APM vol. 2, section 15.5.1 "Basic Operation", list "Canonicalization
 * and Consistency Checks": VMRUN fails with #VMEXIT(VMEXIT_INVALID) when the
 * guest state is an illegal combination.  vmm_svm_vmrun_check() runs the
 * same checks in software before VMRUN, so the module can refuse a bad state
 * (and say which rule it breaks) instead of decoding VMEXIT_INVALID.
 *
 * This layer checks VALUES only.  The VMCB layout (field offsets, clean
 * bits) belongs to the kernel module: it copies the fields named below out
 * of its VMCB into struct vmm_svm_vmrun_state, together with the CPU
 * capabilities the rules depend on (read from CPUID), and calls the check.
 *
 * Rules, in the order they are checked (one enumerator each in
 * enum vmm_svm_vmrun_check; "APM" = AMD64 APM vol. 2):
 *   input  phys_addr_bits is in [32, 52] (lamina: CPUID 8000_0008h
 *          EAX[7:0] is at most 52 on x86-64; 32 is the architectural floor)
 *   APM 15.5.1 state checks, in the APM's order:
 *          EFER.SVME set; not (CR0.CD = 0 and CR0.NW = 1); CR0[63:32] = 0;
 *          CR3 MBZ bits (long mode: bits 63:MAXPHYADDR); CR4[63:32] = 0;
 *          CR4 MBZ bits; DR6[63:32] = 0; DR7[63:32] = 0; EFER MBZ bits;
 *          EFER.LMA/LME only with long-mode support; LME and PG ==> PAE;
 *          LME and PG ==> PE; not (LME, PG, PAE, CS.L and CS.D all set)
 *   APM 15.5.1 control checks:
 *          VMRUN intercept set; MSRPM and IOPM below MAXPHYADDR;
 *          EVENTINJ legal (APM 15.20); ASID != 0
 *   lamina uses nested paging (APM 15.25): NP_ENABLE set and
 *          nCR3 bits 63:MAXPHYADDR zero.
 * Every rule predicate is in acsl-specs/vmcb.acsl.
 *
 * Result: VMM_SVM_VMRUN_OK when every rule holds; otherwise the enumerator
 * of the FIRST rule (in the order above) that fails.  Proved: OK <==> all
 * rules hold; RULE_k ==> rule k fails and every rule before k holds.
 *
 * Preconditions are weak: a NULL state is rejected at run time.  libvmm
 * takes no lock; the caller owns the state object for the call.
 */
#ifndef LIBVMM_VMCB_H
#define LIBVMM_VMCB_H

#include <libvmm/types.h>

/* EFER bits (APM vol. 2, 3.1.7 "Extended Feature Enable Register"). */
#define VMM_SVM_EFER_LME 0x0000000000000100ULL   /* bit 8 */
#define VMM_SVM_EFER_LMA 0x0000000000000400ULL   /* bit 10 */
#define VMM_SVM_EFER_SVME 0x0000000000001000ULL  /* bit 12 */

/* CR0 bits (APM vol. 2, 3.1.1). */
#define VMM_SVM_CR0_PE 0x0000000000000001ULL     /* bit 0 */
#define VMM_SVM_CR0_NW 0x0000000020000000ULL     /* bit 29 */
#define VMM_SVM_CR0_CD 0x0000000040000000ULL     /* bit 30 */
#define VMM_SVM_CR0_PG 0x0000000080000000ULL     /* bit 31 */

/* CR4.PAE (APM vol. 2, 3.1.3). */
#define VMM_SVM_CR4_PAE 0x0000000000000020ULL    /* bit 5 */

/* Largest value with bits 63:32 clear. */
#define VMM_SVM_LOW32_MAX 0x00000000FFFFFFFFULL

/*
 * VMCB segment attribute word (APM vol. 2, 15.5 / Table B-2: the
 * descriptor's attribute bits packed into 12 bits): bit 9 L, bit 10 D/B.
 */
#define VMM_SVM_SEG_ATTR_L 0x0200U
#define VMM_SVM_SEG_ATTR_DB 0x0400U

/* Intercept word of the VMRUN intercept (APM vol. 2, Table B-1): bit 0. */
#define VMM_SVM_INTERCEPT_VMRUN 0x00000001U

/*
 * MSR and I/O permission maps (APM vol. 2, 15.11 and 15.10.1): the base
 * addresses' low 12 bits are ignored; the maps are 8 KiB and 12 KiB.
 */
#define VMM_SVM_PM_BASE_MASK 0xFFFFFFFFFFFFF000ULL
#define VMM_SVM_MSRPM_SIZE 0x2000ULL
#define VMM_SVM_IOPM_SIZE 0x3000ULL

/*
 * EVENTINJ (APM vol. 2, 15.20 "Event Injection"): bits 7:0 vector,
 * 10:8 type, 31 valid.  Types: 0 external interrupt, 2 NMI, 3 exception,
 * 4 software interrupt; 1, 5, 6, 7 are reserved.
 */
#define VMM_SVM_EVTINJ_VECTOR_MASK 0x00000000000000FFULL
#define VMM_SVM_EVTINJ_TYPE_MASK 0x0000000000000700ULL
#define VMM_SVM_EVTINJ_VALID 0x0000000080000000ULL
#define VMM_SVM_EVTINJ_TYPE_INTR 0x0000000000000000ULL
#define VMM_SVM_EVTINJ_TYPE_NMI 0x0000000000000200ULL
#define VMM_SVM_EVTINJ_TYPE_EXCEPTION 0x0000000000000300ULL
#define VMM_SVM_EVTINJ_TYPE_SOFT_INT 0x0000000000000400ULL
#define VMM_SVM_NMI_VECTOR 2ULL

/* Nested-paging control word (APM vol. 2, Table B-1): bit 0 NP_ENABLE. */
#define VMM_SVM_NP_ENABLE 0x0000000000000001ULL

/* Bounds on CPUID 8000_0008h EAX[7:0], the physical-address width. */
#define VMM_SVM_PHYS_BITS_MIN 32U
#define VMM_SVM_PHYS_BITS_MAX 52U

enum vmm_svm_vmrun_check {
	VMM_SVM_VMRUN_OK = 0,
	VMM_SVM_VMRUN_ERR_NULL = 1,          /* state pointer is NULL */
	/* Input: 32 <= phys_addr_bits <= 52. */
	VMM_SVM_VMRUN_PHYS_ADDR_BITS = 2,
	/* APM 15.5.1: "EFER.SVME is zero." */
	VMM_SVM_VMRUN_EFER_SVME = 3,
	/* APM 15.5.1: "CR0.CD is zero and CR0.NW is set." */
	VMM_SVM_VMRUN_CR0_CD_NW = 4,
	/* APM 15.5.1: "CR0[63:32] are not zero." */
	VMM_SVM_VMRUN_CR0_HIGH = 5,
	/* APM 15.5.1: "Any MBZ bit of CR3 is set."  With EFER.LME and
	 * CR0.PG (long mode), bits 63:MAXPHYADDR of CR3 are MBZ. */
	VMM_SVM_VMRUN_CR3_MBZ = 6,
	/* APM 15.5.1: "Any MBZ bit of CR4 is set": bits 63:32 ... */
	VMM_SVM_VMRUN_CR4_HIGH = 7,
	/* ... and the CPU's reserved bits (cr4_mbz, from CPUID). */
	VMM_SVM_VMRUN_CR4_MBZ = 8,
	/* APM 15.5.1: "DR6[63:32] are not zero." */
	VMM_SVM_VMRUN_DR6_HIGH = 9,
	/* APM 15.5.1: "DR7[63:32] are not zero." */
	VMM_SVM_VMRUN_DR7_HIGH = 10,
	/* APM 15.5.1: "Any MBZ bit of EFER is set" (efer_mbz). */
	VMM_SVM_VMRUN_EFER_MBZ = 11,
	/* APM 15.5.1: "EFER.LMA or EFER.LME is non-zero and this processor
	 * does not support long mode." */
	VMM_SVM_VMRUN_EFER_LONG_MODE = 12,
	/* APM 15.5.1: "EFER.LME and CR0.PG are both set and CR4.PAE is
	 * zero." */
	VMM_SVM_VMRUN_LME_PG_NO_PAE = 13,
	/* APM 15.5.1: "EFER.LME and CR0.PG are both non-zero and CR0.PE is
	 * zero." */
	VMM_SVM_VMRUN_LME_PG_NO_PE = 14,
	/* APM 15.5.1: "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all
	 * non-zero." */
	VMM_SVM_VMRUN_LME_PG_PAE_CS_L_D = 15,
	/* APM 15.5.1: "The VMRUN intercept bit is clear." */
	VMM_SVM_VMRUN_VMRUN_INTERCEPT = 16,
	/* APM 15.5.1: "The MSR or IOIO intercept tables extend to a physical
	 * address that is greater than or equal to the maximum supported
	 * physical address": MSRPM, then IOPM. */
	VMM_SVM_VMRUN_MSRPM_LIMIT = 17,
	VMM_SVM_VMRUN_IOPM_LIMIT = 18,
	/* APM 15.5.1 "Illegal event injection", APM 15.20: a valid EVENTINJ
	 * of a reserved type (1, 5, 6, 7) ... */
	VMM_SVM_VMRUN_EVENTINJ_TYPE = 19,
	/* ... or of type exception with vector 2 (NMI). */
	VMM_SVM_VMRUN_EVENTINJ_VECTOR = 20,
	/* APM 15.5.1: "ASID is equal to zero." */
	VMM_SVM_VMRUN_ASID_ZERO = 21,
	/* lamina runs every guest with nested paging (APM 15.25.3). */
	VMM_SVM_VMRUN_NP_ENABLE = 22,
	/* APM 15.25.3 / 15.5.1 MBZ rule applied to nCR3: bits
	 * 63:MAXPHYADDR of the nested page-table base must be zero. */
	VMM_SVM_VMRUN_NCR3_MBZ = 23
};

#define VMM_SVM_VMRUN_FIRST_RULE VMM_SVM_VMRUN_PHYS_ADDR_BITS
#define VMM_SVM_VMRUN_LAST_RULE VMM_SVM_VMRUN_NCR3_MBZ

/*
 * Values VMRUN checks, copied by the module from the guest's VMCB (save
 * area and control area), plus the capabilities they are checked against.
 * Explicit widths; the order is not the VMCB's (offsets stay in module/).
 */
struct vmm_svm_vmrun_state {
	/* VMCB state-save area */
	vmm_u64 efer;
	vmm_u64 cr0;
	vmm_u64 cr3;
	vmm_u64 cr4;
	vmm_u64 dr6;
	vmm_u64 dr7;
	vmm_u16 cs_attrib;        /* CS attribute word (12 bits used) */
	vmm_u16 pad0;             /* not checked */
	/* VMCB control area */
	vmm_u32 intercept_misc2;  /* intercept word holding VMRUN (bit 0) */
	vmm_u32 asid;
	vmm_u32 pad1;             /* not checked */
	vmm_u64 msrpm_base_pa;
	vmm_u64 iopm_base_pa;
	vmm_u64 event_inj;
	vmm_u64 np_ctl;           /* nested-paging control, bit 0 NP_ENABLE */
	vmm_u64 ncr3;
	/* CPU capabilities, from CPUID, supplied by the module */
	vmm_u64 efer_mbz;         /* EFER bits this CPU reserves */
	vmm_u64 cr4_mbz;          /* CR4 bits 31:0 this CPU reserves */
	vmm_u8 phys_addr_bits;    /* CPUID 8000_0008h EAX[7:0] */
	vmm_u8 long_mode;         /* CPUID 8000_0001h EDX[29] (LM), 0 or 1 */
	vmm_u8 pad2[6];           /* not checked */
};

#ifdef __FRAMAC__
#include "vmcb.acsl"
#endif

/*
 * Run the VMRUN consistency checks on *s, in the order listed at the top
 * of this file, and name the first one that fails.
 */
/*@ requires s == \null || \valid_read(s);
  @
  @ assigns \nothing;
  @
  @ ensures s == \null <==> \result == VMM_SVM_VMRUN_ERR_NULL;
  @ ensures s != \null ==> (\result == VMM_SVM_VMRUN_OK <==> svm_vmrun_ok(s));
  @ ensures s != \null && \result != VMM_SVM_VMRUN_OK ==>
  @           svm_first_failure(s, \result);
  @*/
enum vmm_svm_vmrun_check
vmm_svm_vmrun_check(const struct vmm_svm_vmrun_state *s);

#endif /* LIBVMM_VMCB_H */
