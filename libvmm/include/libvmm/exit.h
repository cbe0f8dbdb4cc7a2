/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 4: VM-exit decoding.
 *
 * Turns what the hardware reports about one VM exit into ONE
 * vendor-neutral event (struct vmm_exit_event).  This is the "decode" half
 * of decode-then-invoke: the module's exit handlers act on the event only
 * and never read an exit qualification or an EXITINFO field themselves.
 *
 *   vmm_exit_decode_vmx()  Intel VMX: the exit-reason field, exit
 *                          qualification, guest-physical address,
 *                          instruction length / information and VM-exit
 *                          interruption information (Intel SDM vol. 3C,
 *                          "Basic VM-Exit Information", "Exit Qualification
 *                          for ..." tables, appendix C "VMX Basic Exit
 *                          Reasons").
 *   vmm_exit_decode_svm()  AMD SVM: EXITCODE, EXITINFO1/2, next RIP (AMD
 *                          APM vol. 2, 15.7-15.10, 15.25.6, 15.33 and
 *                          appendix C "SVM Intercept Exit Codes").
 *
 * Every input gives exactly one event kind (the ACSL model computes it as
 * a total logic function, acsl-specs/exit.acsl).  An exit that the decoder
 * does not know is VMM_EXIT_UNKNOWN with the raw code in .raw; an exit it
 * knows but whose information uses a reserved or impossible encoding (I/O
 * size 2 in a VMX qualification, CR5, CLTS on CR4, ...) is
 * VMM_EXIT_MALFORMED with the reason in .bad, never a plausible event.
 * The module's policy for both: stop the VM with KVM_EXIT_INTERNAL_ERROR
 * (suberror KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON, .raw and .bad as
 * data).  Never log-and-continue.
 *
 * Only the sub-struct named by .kind is meaningful (e.g. .io for
 * VMM_EXIT_IO); every other sub-struct is zero (proved).  A MALFORMED event
 * carries only .kind, .bad and .raw; its handler must not read the rest
 * (the code leaves it zero, which the unit tests check).
 *
 * Preconditions are weak: NULL pointers are allowed and rejected at run
 * time; every bit pattern of every input field is allowed.  libvmm takes
 * no lock: the caller passes values it read from its own vCPU's VMCS/VMCB
 * (a copy, so nothing changes while libvmm reads it).
 */
#ifndef LIBVMM_EXIT_H
#define LIBVMM_EXIT_H

#include <libvmm/types.h>

enum vmm_exit_err {
	VMM_EXIT_OK = 0,
	VMM_EXIT_ERR_NULL = 1 /* a pointer argument is NULL */
};

/* Event kinds.  VMM_EXIT_KIND_COUNT is one past the last. */
enum vmm_exit_kind {
	VMM_EXIT_UNKNOWN = 0,            /* exit code not decoded: .raw */
	VMM_EXIT_MALFORMED = 1,          /* reserved encoding: .bad */
	VMM_EXIT_IO = 2,                 /* IN/OUT/INS/OUTS: .io */
	VMM_EXIT_CR_ACCESS = 3,          /* MOV CR, CLTS, LMSW: .cr */
	VMM_EXIT_MMIO = 4,               /* EPT violation / NPF: .mmio */
	VMM_EXIT_HLT = 5,
	VMM_EXIT_CPUID = 6,
	VMM_EXIT_RDMSR = 7,
	VMM_EXIT_WRMSR = 8,
	VMM_EXIT_EXTERNAL_INTERRUPT = 9, /* .intr */
	VMM_EXIT_NMI = 10,
	VMM_EXIT_EXCEPTION = 11,         /* .exc */
	VMM_EXIT_INTERRUPT_WINDOW = 12,
	VMM_EXIT_SHUTDOWN = 13,          /* VMX triple fault, SVM SHUTDOWN */
	VMM_EXIT_INVLPG = 14,            /* .invlpg */
	VMM_EXIT_DR_ACCESS = 15,         /* MOV DR: .dr */
	VMM_EXIT_HYPERCALL = 16,         /* VMCALL / VMMCALL */
	VMM_EXIT_PAUSE = 17,
	VMM_EXIT_ENTRY_FAILURE = 18,     /* VMX entry failure: .entry */
	VMM_EXIT_INVALID_STATE = 19,     /* invalid guest state: .entry */
	VMM_EXIT_PREEMPTION_TIMER = 20   /* VMX: the host's run bound ran out */
};
#define VMM_EXIT_KIND_COUNT 21U

/* Why an exit is MALFORMED (.bad); VMM_EXIT_BAD_NONE for every other kind. */
enum vmm_exit_bad {
	VMM_EXIT_BAD_NONE = 0,
	VMM_EXIT_BAD_ENTRY_REASON = 1, /* VMX: bit 31 set, reason not 33/34/41 */
	VMM_EXIT_BAD_ENTRY_BIT = 2,    /* VMX: reason 33/34/41, bit 31 clear */
	VMM_EXIT_BAD_INTR_INFO = 3,    /* VMX: interruption info invalid,
					* reserved type, or vector/type clash */
	VMM_EXIT_BAD_INSN_LEN = 4,     /* VMX: instruction exit, length not
					* 1..15 */
	VMM_EXIT_BAD_IO_SIZE = 5,      /* VMX size 2,4..7; SVM SZ not one-hot */
	VMM_EXIT_BAD_IO_ADDR_SIZE = 6, /* VMX info 9:7 > 2; SVM A with two
					* or three bits set */
	VMM_EXIT_BAD_IO_SEG = 7,       /* OUTS segment 6 or 7 */
	VMM_EXIT_BAD_CR_NUMBER = 8,    /* CR other than 0, 3, 4, 8 */
	VMM_EXIT_BAD_CR_ACCESS = 9,    /* VMX: CLTS/LMSW on CR!=0, MOV from
					* CR0/CR4 (never intercepted) */
	VMM_EXIT_BAD_DR_NUMBER = 10,   /* SVM: DR8..DR15 */
	VMM_EXIT_BAD_NPF_ACCESS = 11,  /* VMX: no access bit; SVM: RW and ID */
	VMM_EXIT_BAD_NPF_STAGE = 12,   /* VMX: bit 8 without bit 7; SVM: bits
					* 32 and 33 both */
	VMM_EXIT_BAD_MSR_DIR = 13      /* SVM MSR: EXITINFO1 not 0 or 1 */
};

/* Register access direction (.cr.dir, .dr.dir). */
enum vmm_exit_dir {
	VMM_EXIT_DIR_MOV_TO = 0,   /* MOV to CR/DR from .gpr */
	VMM_EXIT_DIR_MOV_FROM = 1, /* MOV from CR/DR to .gpr */
	VMM_EXIT_DIR_CLTS = 2,
	VMM_EXIT_DIR_LMSW = 3,     /* .lmsw_data, .lmsw_mem */
	VMM_EXIT_DIR_WRITE = 4,    /* SVM, no decode assist: some write */
	VMM_EXIT_DIR_READ = 5      /* SVM, no decode assist: some read */
};

/* Guest-physical fault stage (.mmio.stage). */
enum vmm_exit_stage {
	VMM_EXIT_STAGE_UNKNOWN = 0, /* VMX: no guest linear address (PDPTE
				     * load); SVM: neither bit 32 nor 33 */
	VMM_EXIT_STAGE_FINAL = 1,   /* the translation of the access itself */
	VMM_EXIT_STAGE_WALK = 2     /* a guest page-table access (walk, A/D) */
};

/* Segment numbers: the same encoding in VMX instruction info and SVM SEG. */
#define VMM_EXIT_SEG_ES 0U
#define VMM_EXIT_SEG_DS 3U
#define VMM_EXIT_SEG_GS 5U

/* Exceptions that push an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC
 * #SX (SDM vol. 3A table 6-1, APM vol. 2 table 8-1). */

struct vmm_exit_io {
	vmm_u16 port;
	vmm_u8 size;      /* bytes: 1, 2 or 4 */
	vmm_u8 in;        /* 1 = IN/INS, 0 = OUT/OUTS */
	vmm_u8 string;    /* 1 = INS/OUTS */
	vmm_u8 rep;       /* 1 = REP prefix */
	/* String forms: 16, 32, 64; 0 = not reported (VMX without INS/OUTS
	 * information; SVM with EXITINFO1 bits 9:7 all zero, which the APM
	 * does not allow but QEMU's TCG writes on every string I/O exit).
	 * The module takes the address size and segment from layer 8's
	 * vmm_mmio_decode_string_io(), which checks them against these. */
	vmm_u8 addr_bits;
	vmm_u8 seg_valid; /* string forms: .seg is reported */
	vmm_u8 seg;       /* 0 ES .. 5 GS (INS: always ES) */
};

struct vmm_exit_cr {
	vmm_u8 cr;        /* 0, 3, 4 or 8 */
	vmm_u8 dir;       /* enum vmm_exit_dir */
	vmm_u8 gpr_valid; /* .gpr is the MOV operand */
	vmm_u8 gpr;       /* 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, ... 15 R15 */
	vmm_u16 lmsw_data; /* LMSW source operand (VMX) */
	vmm_u8 lmsw_mem;  /* LMSW operand was in memory (VMX) */
};

struct vmm_exit_dr {
	vmm_u8 dr;        /* 0..7 */
	vmm_u8 dir;       /* MOV_TO or MOV_FROM */
	vmm_u8 gpr_valid;
	vmm_u8 gpr;
};

struct vmm_exit_mmio {
	vmm_u64 gpa;      /* faulting guest-physical address */
	vmm_u8 read;      /* access flags: at least one is 1 */
	vmm_u8 write;
	vmm_u8 fetch;
	vmm_u8 stage;     /* enum vmm_exit_stage */
};

/*
 * The debug conditions a #DB reports (.exc.dbg), in the positions of their
 * DR6 bits and in the polarity of the VMX exit qualification for #DB
 * (SDM vol. 3C table "Exit Qualification for Debug Exceptions"): 1 = the
 * condition occurred.  B0-B3 (bits 3:0), BD (13), BS (14), BT (15), RTM
 * (16; active low in DR6 itself).
 */
#define VMM_EXIT_DBG_MASK 0x1E00FU

struct vmm_exit_exc {
	vmm_u8 vector;    /* 0..31 */
	vmm_u8 err_valid;
	vmm_u32 err_code;
	vmm_u64 pf_addr;  /* #PF (vector 14): faulting linear address */
	/* VMX interruption type 5 (INT1) or 6 (INT3, INTO): the instruction
	 * raised it, RIP is still on it, .insn_len (1..15) is its length.
	 * SVM: always 0 (its #DB intercept never sees INT1, APM vol. 2
	 * 15.12; a #BP/#OF intercept would need NextRIP to be re-raised). */
	vmm_u8 soft;
	vmm_u8 insn_len;
	/* #DB (vector 1): VMM_EXIT_DBG_MASK bits.  VMX: the exit
	 * qualification (the CPU has not written DR6).  SVM: the VMCB's DR6,
	 * which the CPU wrote before the intercept (APM vol. 2 15.12),
	 * turned to that polarity (DR6 ^ 0xFFFF0FF0).  0 for other vectors. */
	vmm_u32 dbg;
};

struct vmm_exit_intr {
	vmm_u8 vector_valid; /* VMX with "acknowledge interrupt on exit" */
	vmm_u8 vector;
};

struct vmm_exit_invlpg {
	vmm_u8 addr_valid;   /* VMX always; SVM with decode assists */
	vmm_u64 addr;        /* linear address operand */
};

struct vmm_exit_entry {
	vmm_u64 hw_reason;   /* VMX basic exit reason; SVM EXITCODE */
	vmm_u64 detail;      /* VMX exit qualification; SVM EXITINFO1 */
};

struct vmm_exit_event {
	enum vmm_exit_kind kind;
	enum vmm_exit_bad bad;      /* != NONE exactly when MALFORMED */
	vmm_u64 raw;                /* VMX exit-reason field; SVM EXITCODE */
	/* Instruction exits (insn_kind in exit.acsl: IO, CR/DR access, HLT,
	 * CPUID, RDMSR, WRMSR, INVLPG, HYPERCALL, PAUSE): how to skip it. */
	vmm_u8 insn_len;            /* VMX: 1..15; SVM: 0 */
	vmm_u8 next_rip_valid;      /* SVM: next RIP known; VMX: 0 */
	vmm_u64 next_rip;
	struct vmm_exit_io io;
	struct vmm_exit_cr cr;
	struct vmm_exit_dr dr;
	struct vmm_exit_mmio mmio;
	struct vmm_exit_exc exc;
	struct vmm_exit_intr intr;
	struct vmm_exit_invlpg invlpg;
	struct vmm_exit_entry entry;
};

/* VMX exit information, copied by the module from the current VMCS. */
struct vmm_vmx_exit_info {
	vmm_u32 exit_reason;     /* VMCS 0x4402: bits 15:0 basic reason,
				  * bit 31 VM-entry failure; others ignored */
	vmm_u64 qualification;   /* VMCS 0x6400 */
	vmm_u64 guest_phys_addr; /* VMCS 0x2400 (EPT violations) */
	vmm_u32 insn_len;        /* VMCS 0x440C */
	vmm_u32 insn_info;       /* VMCS 0x440E */
	vmm_u32 insn_info_valid; /* IA32_VMX_BASIC bit 54: INS/OUTS info */
	vmm_u32 intr_info;       /* VMCS 0x4404 VM-exit interruption info */
	vmm_u32 intr_error_code; /* VMCS 0x4406 */
};

/* SVM exit information, copied by the module from the VMCB. */
struct vmm_svm_exit_info {
	vmm_u64 exit_code;       /* VMCB 0x70 EXITCODE */
	vmm_u64 exit_info1;      /* VMCB 0x78 */
	vmm_u64 exit_info2;      /* VMCB 0x80 */
	vmm_u64 next_rip;        /* VMCB 0xC8 nRIP */
	vmm_u32 nrips;           /* CPUID 8000_000A EDX[3]: next_rip valid */
	vmm_u32 decode_assists;  /* CPUID 8000_000A EDX[7] */
	vmm_u64 dr6;             /* VMCB 0x668 guest DR6 (#DB intercepts) */
};

#ifdef __FRAMAC__
#include "exit.acsl"
#endif

/*
 * Decode one VMX exit.  Returns VMM_EXIT_ERR_NULL (and writes nothing) if
 * a pointer is NULL; otherwise VMM_EXIT_OK and *out is the event.
 */
/*@ requires in == \null || \valid_read(in);
  @ requires out == \null || \valid(out);
  @ requires in != \null && out != \null ==> \separated(in, out);
  @
  @ assigns *out;
  @
  @ ensures in == \null || out == \null <==> \result == VMM_EXIT_ERR_NULL;
  @ ensures in != \null && out != \null ==> \result == VMM_EXIT_OK;
  @ ensures \result == VMM_EXIT_OK ==> vmx_decoded(*in, *out);
  @*/
enum vmm_exit_err vmm_exit_decode_vmx(const struct vmm_vmx_exit_info *in,
				      struct vmm_exit_event *out);

/*
 * Decode one SVM #VMEXIT.  Same rules as vmm_exit_decode_vmx().
 */
/*@ requires in == \null || \valid_read(in);
  @ requires out == \null || \valid(out);
  @ requires in != \null && out != \null ==> \separated(in, out);
  @
  @ assigns *out;
  @
  @ ensures in == \null || out == \null <==> \result == VMM_EXIT_ERR_NULL;
  @ ensures in != \null && out != \null ==> \result == VMM_EXIT_OK;
  @ ensures \result == VMM_EXIT_OK ==> svm_decoded(*in, *out);
  @*/
enum vmm_exit_err vmm_exit_decode_svm(const struct vmm_svm_exit_info *in,
				      struct vmm_exit_event *out);

#endif /* LIBVMM_EXIT_H */
