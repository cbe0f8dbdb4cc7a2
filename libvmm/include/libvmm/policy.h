/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 11: lamina's policy on the controls of a VM entry.
 *
 * Layer 3 (vmcb.h, vmcs.h) checks what the CPU requires of the VMCB/VMCS:
 * a state that passes it enters.  It does not check what lamina requires:
 * that the guest's memory is the page table layer 2 built, that its I/O
 * ports and MSRs go through the maps layer 6 built, and that the guest
 * cannot use the instructions and events that would reach host state.
 * Those controls are written by trusted backend code; a single wrong bit
 * there would make the proofs of layers 2 and 6 say nothing about the
 * guest.  This layer reads the controls the backend is about to enter
 * with, next to what lamina built (the page-table root from layer 2, the
 * physical addresses of the pages layer 6 filled), and names the first
 * policy rule they break.
 *
 * One function per vendor: the controls differ, and the bit decoding
 * belongs here, not in the backend.  The backend that owns the VMCB
 * (module/svm/svm_policy.c) calls vmm_policy_svm_check(); the one that
 * owns the VMCS (module/vmx/vmx_policy.c) calls vmm_policy_vmx_check().
 *
 * SVM rules, in the order they are checked (AMD64 APM vol. 2, appendix B,
 * table B-1 "VMCB Layout, Control Area"; one enumerator each in
 * enum vmm_policy_svm_rule):
 *   paging  NP_ENABLE set; nCR3 is the root of lamina's page table
 *   maps    IOIO_PROT set; IOPM_BASE_PA is lamina's I/O map;
 *           MSR_PROT set; MSRPM_BASE_PA is lamina's MSR map
 *   events  #DB and #AC intercepted (exception word);
 *           INTR, NMI, SMI intercepted (host events end the guest)
 *   insns   CR8 write; CPUID, INVD, HLT; SHUTDOWN;
 *           VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA;
 *           MONITOR, MWAIT, XSETBV
 *
 * VMX rules, in order (Intel SDM vol. 3C, 25.6 "VM-Execution Control
 * Fields"; enum vmm_policy_vmx_rule):
 *   events  pin: external-interrupt exiting, NMI exiting
 *   insns   proc: HLT, MWAIT, MONITOR, CR8-load, CR8-store exiting
 *   maps    proc: use I/O bitmaps, use MSR bitmaps
 *   paging  proc: activate secondary controls; proc2: enable EPT, VM
 *           functions off (an EPTP list would let the guest switch to
 *           tables lamina did not build, 26.5.6.3); EPTP bits 63:12 are
 *           the root of lamina's table; EPTP bits 11:0 are libvmm's
 *           format (write-back, 4-level walk, accessed/dirty flags off:
 *           layer 2 assumes them off)
 *   maps    I/O bitmap A, I/O bitmap B, MSR bitmap are lamina's maps
 *   events  exception bitmap: #DB, #AC
 * On VMX, CPUID, INVD, XSETBV, GETSEC and every VMX instruction exit
 * unconditionally (SDM vol. 3C, 26.1.2): nothing to check.  The list and
 * the reason for each rule: docs/verification.md, "Layer 11".
 *
 * Result: OK when every rule holds; otherwise the enumerator of the
 * FIRST rule (in the order above) that fails.  Proved: OK <==> the
 * policy predicate (acsl-specs/policy.acsl) holds; RULE_k ==> rule k
 * fails and every rule before it holds.  A NULL input is ERR_NULL.
 *
 * Preconditions are weak; libvmm takes no lock; the caller owns the
 * record for the call.
 */
#ifndef LIBVMM_POLICY_H
#define LIBVMM_POLICY_H

#include <libvmm/types.h>

/*
 * What lamina.ko reports in kvm_run.fail_entry.hardware_entry_failure_
 * reason when this layer refuses an entry: this value OR'ed with the rule
 * number (docs/abi.md).  Bit 31 is clear, so no VMX exit reason of a
 * failed entry (bit 31 set) and no SVM EXITCODE (VMEXIT_INVALID is
 * 0xffffffff) has this form.
 */
#define VMM_POLICY_FAIL_ENTRY_REASON 0x504c0000U   /* "PL" */

/* ---- SVM (APM vol. 2, table B-1) ---- */

/* Nested-paging control word, bit 0 NP_ENABLE. */
#define VMM_POLICY_SVM_NP_ENABLE 0x0000000000000001ULL
/* Intercept word 0 (offset 000h): bit 24 CR8 write. */
#define VMM_POLICY_SVM_CR8_WRITE 0x01000000U
/* Intercept word 2 (offset 008h): one bit per exception vector. */
#define VMM_POLICY_SVM_EXC_DB 0x00000002U          /* vector 1 */
#define VMM_POLICY_SVM_EXC_AC 0x00020000U          /* vector 17 */
/* Intercept word 3 (offset 00Ch). */
#define VMM_POLICY_SVM_INTR 0x00000001U            /* bit 0 */
#define VMM_POLICY_SVM_NMI 0x00000002U             /* bit 1 */
#define VMM_POLICY_SVM_SMI 0x00000004U             /* bit 2 */
#define VMM_POLICY_SVM_CPUID 0x00040000U           /* bit 18 */
#define VMM_POLICY_SVM_INVD 0x00400000U            /* bit 22 */
#define VMM_POLICY_SVM_HLT 0x01000000U             /* bit 24 */
#define VMM_POLICY_SVM_INVLPGA 0x04000000U         /* bit 26 */
#define VMM_POLICY_SVM_IOIO_PROT 0x08000000U       /* bit 27 */
#define VMM_POLICY_SVM_MSR_PROT 0x10000000U        /* bit 28 */
#define VMM_POLICY_SVM_SHUTDOWN 0x80000000U        /* bit 31 */
/* Intercept word 4 (offset 010h). */
#define VMM_POLICY_SVM_VMRUN 0x00000001U           /* bit 0 */
#define VMM_POLICY_SVM_VMMCALL 0x00000002U         /* bit 1 */
#define VMM_POLICY_SVM_VMLOAD 0x00000004U          /* bit 2 */
#define VMM_POLICY_SVM_VMSAVE 0x00000008U          /* bit 3 */
#define VMM_POLICY_SVM_STGI 0x00000010U            /* bit 4 */
#define VMM_POLICY_SVM_CLGI 0x00000020U            /* bit 5 */
#define VMM_POLICY_SVM_SKINIT 0x00000040U          /* bit 6 */
#define VMM_POLICY_SVM_MONITOR 0x00000400U         /* bit 10 */
#define VMM_POLICY_SVM_MWAIT 0x00000800U           /* bit 11 */
#define VMM_POLICY_SVM_XSETBV 0x00002000U          /* bit 13 */

enum vmm_policy_svm_rule {
	VMM_POLICY_SVM_OK = 0,
	VMM_POLICY_SVM_ERR_NULL = 1,
	VMM_POLICY_SVM_RULE_NP_ENABLE = 2,
	VMM_POLICY_SVM_RULE_NCR3 = 3,
	VMM_POLICY_SVM_RULE_IOIO_PROT = 4,
	VMM_POLICY_SVM_RULE_IOPM = 5,
	VMM_POLICY_SVM_RULE_MSR_PROT = 6,
	VMM_POLICY_SVM_RULE_MSRPM = 7,
	VMM_POLICY_SVM_RULE_EXC_DB = 8,
	VMM_POLICY_SVM_RULE_EXC_AC = 9,
	VMM_POLICY_SVM_RULE_INTR = 10,
	VMM_POLICY_SVM_RULE_NMI = 11,
	VMM_POLICY_SVM_RULE_SMI = 12,
	VMM_POLICY_SVM_RULE_CR8_WRITE = 13,
	VMM_POLICY_SVM_RULE_CPUID = 14,
	VMM_POLICY_SVM_RULE_INVD = 15,
	VMM_POLICY_SVM_RULE_HLT = 16,
	VMM_POLICY_SVM_RULE_SHUTDOWN = 17,
	VMM_POLICY_SVM_RULE_VMRUN = 18,
	VMM_POLICY_SVM_RULE_VMMCALL = 19,
	VMM_POLICY_SVM_RULE_VMLOAD = 20,
	VMM_POLICY_SVM_RULE_VMSAVE = 21,
	VMM_POLICY_SVM_RULE_STGI = 22,
	VMM_POLICY_SVM_RULE_CLGI = 23,
	VMM_POLICY_SVM_RULE_SKINIT = 24,
	VMM_POLICY_SVM_RULE_INVLPGA = 25,
	VMM_POLICY_SVM_RULE_MONITOR = 26,
	VMM_POLICY_SVM_RULE_MWAIT = 27,
	VMM_POLICY_SVM_RULE_XSETBV = 28
};

#define VMM_POLICY_SVM_FIRST_RULE VMM_POLICY_SVM_RULE_NP_ENABLE
#define VMM_POLICY_SVM_LAST_RULE VMM_POLICY_SVM_RULE_XSETBV

/*
 * The SVM controls of the next VMRUN, copied by the backend from the
 * VMCB, and what lamina built for this vCPU.
 */
struct vmm_policy_svm {
	/* VMCB control area */
	vmm_u32 intercept_cr;      /* intercept word 0 (CR reads/writes) */
	vmm_u32 intercept_exc;     /* intercept word 2 (exceptions) */
	vmm_u32 intercept_word3;   /* intercept word 3 */
	vmm_u32 intercept_word4;   /* intercept word 4 */
	vmm_u64 np_ctl;            /* nested-paging control */
	vmm_u64 ncr3;
	vmm_u64 iopm_base_pa;
	vmm_u64 msrpm_base_pa;
	/* What lamina built */
	vmm_u64 npt_root;          /* layer 2: vmm_ptable_root_pa() */
	vmm_u64 iopm_pa;           /* the 12 KiB layer 6 filled */
	vmm_u64 msrpm_pa;          /* the 8 KiB layer 6 filled */
};

/* ---- VMX (SDM vol. 3C, 25.6) ---- */

/* Pin-based controls (25.6.1, table 25-5). */
#define VMM_POLICY_VMX_PIN_EXT_INTR 0x00000001U     /* bit 0 */
#define VMM_POLICY_VMX_PIN_NMI 0x00000008U          /* bit 3 */
/* Primary processor-based controls (25.6.2, table 25-6). */
#define VMM_POLICY_VMX_PROC_HLT 0x00000080U         /* bit 7 */
#define VMM_POLICY_VMX_PROC_MWAIT 0x00000400U       /* bit 10 */
#define VMM_POLICY_VMX_PROC_CR8_LOAD 0x00080000U    /* bit 19 */
#define VMM_POLICY_VMX_PROC_CR8_STORE 0x00100000U   /* bit 20 */
#define VMM_POLICY_VMX_PROC_IO_BITMAPS 0x02000000U  /* bit 25 */
#define VMM_POLICY_VMX_PROC_MSR_BITMAPS 0x10000000U /* bit 28 */
#define VMM_POLICY_VMX_PROC_MONITOR 0x20000000U     /* bit 29 */
#define VMM_POLICY_VMX_PROC_SECONDARY 0x80000000U   /* bit 31 */
/* Secondary processor-based controls (25.6.2, table 25-7). */
#define VMM_POLICY_VMX_PROC2_EPT 0x00000002U        /* bit 1 */
#define VMM_POLICY_VMX_PROC2_VMFUNC 0x00002000U     /* bit 13 */
/*
 * EPTP (25.6.11): bits 11:0 are the memory type (2:0, 6 = write-back),
 * the walk length minus one (5:3, 3 = 4 levels), accessed/dirty enable
 * (6) and reserved or other bits; lamina's value is WB | 4-level, the
 * format libvmm's ptable layer writes.  Bits 63:12: the root.
 */
#define VMM_POLICY_VMX_EPTP_FLAGS_MASK 0x0000000000000FFFULL
#define VMM_POLICY_VMX_EPTP_FLAGS 0x000000000000001EULL
#define VMM_POLICY_VMX_EPTP_ROOT_MASK 0xFFFFFFFFFFFFF000ULL
/* Exception bitmap (25.6.3): one bit per vector. */
#define VMM_POLICY_VMX_EXC_DB 0x00000002U           /* vector 1 */
#define VMM_POLICY_VMX_EXC_AC 0x00020000U           /* vector 17 */

enum vmm_policy_vmx_rule {
	VMM_POLICY_VMX_OK = 0,
	VMM_POLICY_VMX_ERR_NULL = 1,
	VMM_POLICY_VMX_RULE_EXT_INTR = 2,
	VMM_POLICY_VMX_RULE_NMI = 3,
	VMM_POLICY_VMX_RULE_HLT = 4,
	VMM_POLICY_VMX_RULE_MWAIT = 5,
	VMM_POLICY_VMX_RULE_MONITOR = 6,
	VMM_POLICY_VMX_RULE_CR8_LOAD = 7,
	VMM_POLICY_VMX_RULE_CR8_STORE = 8,
	VMM_POLICY_VMX_RULE_IO_BITMAPS = 9,
	VMM_POLICY_VMX_RULE_MSR_BITMAPS = 10,
	VMM_POLICY_VMX_RULE_SECONDARY = 11,
	VMM_POLICY_VMX_RULE_EPT = 12,
	VMM_POLICY_VMX_RULE_VMFUNC = 13,
	VMM_POLICY_VMX_RULE_EPTP_ROOT = 14,
	VMM_POLICY_VMX_RULE_EPTP_FORMAT = 15,
	VMM_POLICY_VMX_RULE_IO_BITMAP_A = 16,
	VMM_POLICY_VMX_RULE_IO_BITMAP_B = 17,
	VMM_POLICY_VMX_RULE_MSR_BITMAP = 18,
	VMM_POLICY_VMX_RULE_EXC_DB = 19,
	VMM_POLICY_VMX_RULE_EXC_AC = 20
};

#define VMM_POLICY_VMX_FIRST_RULE VMM_POLICY_VMX_RULE_EXT_INTR
#define VMM_POLICY_VMX_LAST_RULE VMM_POLICY_VMX_RULE_EXC_AC

/*
 * The VMX controls of the next entry, read by the backend from the
 * current VMCS, and what lamina built for this vCPU.
 */
struct vmm_policy_vmx {
	/* VMCS execution controls */
	vmm_u32 pin_ctls;
	vmm_u32 proc_ctls;
	vmm_u32 proc_ctls2;
	vmm_u32 exception_bitmap;
	vmm_u64 eptp;
	vmm_u64 io_bitmap_a;
	vmm_u64 io_bitmap_b;
	vmm_u64 msr_bitmap;
	/* What lamina built */
	vmm_u64 ept_root;          /* layer 2: vmm_ptable_root_pa() */
	vmm_u64 io_bitmap_a_pa;    /* the pages layer 6 filled */
	vmm_u64 io_bitmap_b_pa;
	vmm_u64 msr_bitmap_pa;
};

#ifdef __FRAMAC__
#include "policy.acsl"
#endif

/* Check lamina's policy on the SVM controls *p; name the first rule broken. */
/*@ requires p == \null || \valid_read(p);
  @
  @ assigns \nothing;
  @
  @ ensures p == \null <==> \result == VMM_POLICY_SVM_ERR_NULL;
  @ ensures p != \null ==> (\result == VMM_POLICY_SVM_OK <==> policy_svm_ok(p));
  @ ensures p != \null && \result != VMM_POLICY_SVM_OK ==>
  @           policy_svm_first_failure(p, \result);
  @*/
enum vmm_policy_svm_rule vmm_policy_svm_check(const struct vmm_policy_svm *p);

/* Check lamina's policy on the VMX controls *p; name the first rule broken. */
/*@ requires p == \null || \valid_read(p);
  @
  @ assigns \nothing;
  @
  @ ensures p == \null <==> \result == VMM_POLICY_VMX_ERR_NULL;
  @ ensures p != \null ==> (\result == VMM_POLICY_VMX_OK <==> policy_vmx_ok(p));
  @ ensures p != \null && \result != VMM_POLICY_VMX_OK ==>
  @           policy_vmx_first_failure(p, \result);
  @*/
enum vmm_policy_vmx_rule vmm_policy_vmx_check(const struct vmm_policy_vmx *p);

#endif /* LIBVMM_POLICY_H */
