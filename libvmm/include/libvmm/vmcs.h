/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 3 (Intel): typed VMCS fields and the VM-entry checks.
 *
 * (a) Field table.  A VMCS field encoding (Intel SDM vol. 3D, appendix B
 * "Field Encoding in VMCS"; vol. 3C 24.11.2 "VMREAD, VMWRITE, and
 * Encodings of VMCS Fields") is a 32-bit value:
 *     bit 0       access type (0 full, 1 high: upper 32 bits of a 64-bit field)
 *     bits 9:1    index
 *     bits 11:10  type (0 control, 1 VM-exit information = read-only data,
 *                 2 guest state, 3 host state)
 *     bit 12      reserved, 0
 *     bits 14:13  width (0 16-bit, 1 64-bit, 2 32-bit, 3 natural width)
 *     bits 31:15  reserved, 0
 * vmm_vmcs_field_info() accepts exactly the encodings of the fields lamina
 * uses (vmm_vmcs_fields[], the VMM_VMCS_* constants below) and the "high"
 * encodings of its 64-bit fields, and derives width and type from the bits.
 * vmm_vmcs_check_access() says whether a VMREAD/VMWRITE of a given operand
 * width is a typed access to the field (KVM's vmx_ops.h rules: 16-bit
 * fields with 16-bit accesses, 32-bit and "high" with 32-bit, 64-bit and
 * natural-width with 64-bit on a 64-bit host), and rejects writes to
 * read-only data fields.
 *
 * (b) VM-entry checks: the subset of SDM vol. 3C chapter 26 "VM Entries"
 * (26.2 "Checks on VMX Controls and Host-State Area", 26.3.1 "Checks on the
 * Guest State Area"; section numbers of the 2016-2022 editions, chapter 27
 * or 28 in later ones) that applies to lamina's configuration: unrestricted
 * guest and EPT on, a 64-bit host, no SMM, no VMCS shadowing.  The module
 * fills struct vmm_vmx_entry_state from its VMCS and the capability MSRs
 * and calls vmm_vmx_entry_check() before VMLAUNCH/VMRESUME; the result
 * names the first rule (in enum order) that fails.  The SDM says the checks
 * "may be performed in any order"; lamina's order is: inputs, execution
 * controls, EPTP, exit/entry controls, host state, guest control
 * registers/MSRs, CS, SS, DS, ES, FS, GS, TR, LDTR (each: selector, base,
 * access rights in bit order), GDTR/IDTR, RIP, RFLAGS, activity and
 * interruptibility state, VMCS link pointer.
 *
 * Not modelled, so the checks are a subset: features lamina leaves off
 * (virtual APIC, posted interrupts, VMCS shadowing, PML, VM functions,
 * preemption timer, PAT/PERF_GLOBAL_CTRL/BNDCFGS/CET loading, MSR-load
 * areas, CR3-target count, event-injection field format, pending debug
 * exceptions, PDPTEs).  One lamina restriction is stricter than the SDM:
 * a virtual-8086 guest (RFLAGS.VM = 1) is rejected (GUEST_RFLAGS_VM_LAMINA)
 * because the v8086 segment rules are not modelled.
 *
 * Proved (vmm_vmx_entry_check): OK <==> every rule predicate of
 * acsl-specs/vmcs.acsl holds; a result RULE_k ==> rule k fails and every
 * rule before k holds.  NULL is rejected at run time.  libvmm takes no
 * lock; the caller owns the state object for the call.
 */
#ifndef LIBVMM_VMCS_H
#define LIBVMM_VMCS_H

#include <libvmm/types.h>

/* ---- (a) field encodings ------------------------------------------------ */

#define VMM_VMCS_ENC_HIGH 0x00000001U        /* bit 0 */
#define VMM_VMCS_ENC_FULL_MASK 0xFFFFFFFEU   /* all but bit 0 */
#define VMM_VMCS_ENC_TYPE_MASK 0x00000C00U   /* bits 11:10 */
#define VMM_VMCS_ENC_WIDTH_MASK 0x00006000U  /* bits 14:13 */
/* Reserved: bit 12 and bits 31:15. */
#define VMM_VMCS_ENC_RSVD_MASK 0xFFFF9000U
#define VMM_VMCS_ENC_TYPE_SHIFT 10U
#define VMM_VMCS_ENC_WIDTH_SHIFT 13U

enum vmm_vmcs_width {
	VMM_VMCS_WIDTH_16 = 0,
	VMM_VMCS_WIDTH_64 = 1,
	VMM_VMCS_WIDTH_32 = 2,
	VMM_VMCS_WIDTH_NATURAL = 3
};

enum vmm_vmcs_type {
	VMM_VMCS_TYPE_CONTROL = 0,
	VMM_VMCS_TYPE_READ_ONLY = 1,   /* VM-exit information */
	VMM_VMCS_TYPE_GUEST = 2,
	VMM_VMCS_TYPE_HOST = 3
};

/* 16-bit fields (SDM vol. 3D, B.1). */
#define VMM_VMCS_VPID 0x00000000U
#define VMM_VMCS_GUEST_ES_SELECTOR 0x00000800U
#define VMM_VMCS_GUEST_CS_SELECTOR 0x00000802U
#define VMM_VMCS_GUEST_SS_SELECTOR 0x00000804U
#define VMM_VMCS_GUEST_DS_SELECTOR 0x00000806U
#define VMM_VMCS_GUEST_FS_SELECTOR 0x00000808U
#define VMM_VMCS_GUEST_GS_SELECTOR 0x0000080AU
#define VMM_VMCS_GUEST_LDTR_SELECTOR 0x0000080CU
#define VMM_VMCS_GUEST_TR_SELECTOR 0x0000080EU
#define VMM_VMCS_HOST_ES_SELECTOR 0x00000C00U
#define VMM_VMCS_HOST_CS_SELECTOR 0x00000C02U
#define VMM_VMCS_HOST_SS_SELECTOR 0x00000C04U
#define VMM_VMCS_HOST_DS_SELECTOR 0x00000C06U
#define VMM_VMCS_HOST_FS_SELECTOR 0x00000C08U
#define VMM_VMCS_HOST_GS_SELECTOR 0x00000C0AU
#define VMM_VMCS_HOST_TR_SELECTOR 0x00000C0CU
/* 64-bit fields (B.2). */
#define VMM_VMCS_IO_BITMAP_A 0x00002000U
#define VMM_VMCS_IO_BITMAP_B 0x00002002U
#define VMM_VMCS_MSR_BITMAP 0x00002004U
#define VMM_VMCS_TSC_OFFSET 0x00002010U
#define VMM_VMCS_EPT_POINTER 0x0000201AU
#define VMM_VMCS_GUEST_PHYSICAL_ADDRESS 0x00002400U
#define VMM_VMCS_LINK_POINTER 0x00002800U
#define VMM_VMCS_GUEST_IA32_DEBUGCTL 0x00002802U
#define VMM_VMCS_GUEST_IA32_PAT 0x00002804U
#define VMM_VMCS_GUEST_IA32_EFER 0x00002806U
#define VMM_VMCS_GUEST_PDPTR0 0x0000280AU
#define VMM_VMCS_GUEST_PDPTR1 0x0000280CU
#define VMM_VMCS_GUEST_PDPTR2 0x0000280EU
#define VMM_VMCS_GUEST_PDPTR3 0x00002810U
#define VMM_VMCS_HOST_IA32_PAT 0x00002C00U
#define VMM_VMCS_HOST_IA32_EFER 0x00002C02U
/* 32-bit fields (B.3). */
#define VMM_VMCS_PIN_BASED_CONTROLS 0x00004000U
#define VMM_VMCS_PROC_BASED_CONTROLS 0x00004002U
#define VMM_VMCS_EXCEPTION_BITMAP 0x00004004U
#define VMM_VMCS_PF_ERROR_CODE_MASK 0x00004006U
#define VMM_VMCS_PF_ERROR_CODE_MATCH 0x00004008U
#define VMM_VMCS_CR3_TARGET_COUNT 0x0000400AU
#define VMM_VMCS_EXIT_CONTROLS 0x0000400CU
#define VMM_VMCS_EXIT_MSR_STORE_COUNT 0x0000400EU
#define VMM_VMCS_EXIT_MSR_LOAD_COUNT 0x00004010U
#define VMM_VMCS_ENTRY_CONTROLS 0x00004012U
#define VMM_VMCS_ENTRY_MSR_LOAD_COUNT 0x00004014U
#define VMM_VMCS_ENTRY_INTR_INFO 0x00004016U
#define VMM_VMCS_ENTRY_EXCEPTION_ERROR_CODE 0x00004018U
#define VMM_VMCS_ENTRY_INSTRUCTION_LEN 0x0000401AU
#define VMM_VMCS_SECONDARY_CONTROLS 0x0000401EU
#define VMM_VMCS_PLE_GAP 0x00004020U
#define VMM_VMCS_PLE_WINDOW 0x00004022U
#define VMM_VMCS_VM_INSTRUCTION_ERROR 0x00004400U
#define VMM_VMCS_EXIT_REASON 0x00004402U
#define VMM_VMCS_EXIT_INTR_INFO 0x00004404U
#define VMM_VMCS_EXIT_INTR_ERROR_CODE 0x00004406U
#define VMM_VMCS_IDT_VECTORING_INFO 0x00004408U
#define VMM_VMCS_IDT_VECTORING_ERROR_CODE 0x0000440AU
#define VMM_VMCS_EXIT_INSTRUCTION_LEN 0x0000440CU
#define VMM_VMCS_VMX_INSTRUCTION_INFO 0x0000440EU
#define VMM_VMCS_GUEST_ES_LIMIT 0x00004800U
#define VMM_VMCS_GUEST_CS_LIMIT 0x00004802U
#define VMM_VMCS_GUEST_SS_LIMIT 0x00004804U
#define VMM_VMCS_GUEST_DS_LIMIT 0x00004806U
#define VMM_VMCS_GUEST_FS_LIMIT 0x00004808U
#define VMM_VMCS_GUEST_GS_LIMIT 0x0000480AU
#define VMM_VMCS_GUEST_LDTR_LIMIT 0x0000480CU
#define VMM_VMCS_GUEST_TR_LIMIT 0x0000480EU
#define VMM_VMCS_GUEST_GDTR_LIMIT 0x00004810U
#define VMM_VMCS_GUEST_IDTR_LIMIT 0x00004812U
#define VMM_VMCS_GUEST_ES_AR 0x00004814U
#define VMM_VMCS_GUEST_CS_AR 0x00004816U
#define VMM_VMCS_GUEST_SS_AR 0x00004818U
#define VMM_VMCS_GUEST_DS_AR 0x0000481AU
#define VMM_VMCS_GUEST_FS_AR 0x0000481CU
#define VMM_VMCS_GUEST_GS_AR 0x0000481EU
#define VMM_VMCS_GUEST_LDTR_AR 0x00004820U
#define VMM_VMCS_GUEST_TR_AR 0x00004822U
#define VMM_VMCS_GUEST_INTERRUPTIBILITY 0x00004824U
#define VMM_VMCS_GUEST_ACTIVITY_STATE 0x00004826U
#define VMM_VMCS_GUEST_SYSENTER_CS 0x0000482AU
#define VMM_VMCS_PREEMPTION_TIMER_VALUE 0x0000482EU
#define VMM_VMCS_HOST_SYSENTER_CS 0x00004C00U
/* Natural-width fields (B.4). */
#define VMM_VMCS_CR0_GUEST_HOST_MASK 0x00006000U
#define VMM_VMCS_CR4_GUEST_HOST_MASK 0x00006002U
#define VMM_VMCS_CR0_READ_SHADOW 0x00006004U
#define VMM_VMCS_CR4_READ_SHADOW 0x00006006U
#define VMM_VMCS_EXIT_QUALIFICATION 0x00006400U
#define VMM_VMCS_GUEST_LINEAR_ADDRESS 0x0000640AU
#define VMM_VMCS_GUEST_CR0 0x00006800U
#define VMM_VMCS_GUEST_CR3 0x00006802U
#define VMM_VMCS_GUEST_CR4 0x00006804U
#define VMM_VMCS_GUEST_ES_BASE 0x00006806U
#define VMM_VMCS_GUEST_CS_BASE 0x00006808U
#define VMM_VMCS_GUEST_SS_BASE 0x0000680AU
#define VMM_VMCS_GUEST_DS_BASE 0x0000680CU
#define VMM_VMCS_GUEST_FS_BASE 0x0000680EU
#define VMM_VMCS_GUEST_GS_BASE 0x00006810U
#define VMM_VMCS_GUEST_LDTR_BASE 0x00006812U
#define VMM_VMCS_GUEST_TR_BASE 0x00006814U
#define VMM_VMCS_GUEST_GDTR_BASE 0x00006816U
#define VMM_VMCS_GUEST_IDTR_BASE 0x00006818U
#define VMM_VMCS_GUEST_DR7 0x0000681AU
#define VMM_VMCS_GUEST_RSP 0x0000681CU
#define VMM_VMCS_GUEST_RIP 0x0000681EU
#define VMM_VMCS_GUEST_RFLAGS 0x00006820U
#define VMM_VMCS_GUEST_PENDING_DBG_EXCEPTIONS 0x00006822U
#define VMM_VMCS_GUEST_SYSENTER_ESP 0x00006824U
#define VMM_VMCS_GUEST_SYSENTER_EIP 0x00006826U
#define VMM_VMCS_HOST_CR0 0x00006C00U
#define VMM_VMCS_HOST_CR3 0x00006C02U
#define VMM_VMCS_HOST_CR4 0x00006C04U
#define VMM_VMCS_HOST_FS_BASE 0x00006C06U
#define VMM_VMCS_HOST_GS_BASE 0x00006C08U
#define VMM_VMCS_HOST_TR_BASE 0x00006C0AU
#define VMM_VMCS_HOST_GDTR_BASE 0x00006C0CU
#define VMM_VMCS_HOST_IDTR_BASE 0x00006C0EU
#define VMM_VMCS_HOST_SYSENTER_ESP 0x00006C10U
#define VMM_VMCS_HOST_SYSENTER_EIP 0x00006C12U
#define VMM_VMCS_HOST_RSP 0x00006C14U
#define VMM_VMCS_HOST_RIP 0x00006C16U

/*
 * The fields lamina uses (full encodings), in encoding order: the one
 * list that vmm_vmcs_fields[], vmcs__known() and the model's
 * vmcs_field_known are made from (X-macro), and that the module's VMCS
 * accessors check each field they name against at compile time
 * (module/vmx/vmx_vmcs.h).
 */
#define VMM_VMCS_FIELD_LIST(X) \
	X(VMM_VMCS_VPID)\
	X(VMM_VMCS_GUEST_ES_SELECTOR)\
	X(VMM_VMCS_GUEST_CS_SELECTOR)\
	X(VMM_VMCS_GUEST_SS_SELECTOR)\
	X(VMM_VMCS_GUEST_DS_SELECTOR)\
	X(VMM_VMCS_GUEST_FS_SELECTOR)\
	X(VMM_VMCS_GUEST_GS_SELECTOR)\
	X(VMM_VMCS_GUEST_LDTR_SELECTOR)\
	X(VMM_VMCS_GUEST_TR_SELECTOR)\
	X(VMM_VMCS_HOST_ES_SELECTOR)\
	X(VMM_VMCS_HOST_CS_SELECTOR)\
	X(VMM_VMCS_HOST_SS_SELECTOR)\
	X(VMM_VMCS_HOST_DS_SELECTOR)\
	X(VMM_VMCS_HOST_FS_SELECTOR)\
	X(VMM_VMCS_HOST_GS_SELECTOR)\
	X(VMM_VMCS_HOST_TR_SELECTOR)\
	X(VMM_VMCS_IO_BITMAP_A)\
	X(VMM_VMCS_IO_BITMAP_B)\
	X(VMM_VMCS_MSR_BITMAP)\
	X(VMM_VMCS_TSC_OFFSET)\
	X(VMM_VMCS_EPT_POINTER)\
	X(VMM_VMCS_GUEST_PHYSICAL_ADDRESS)\
	X(VMM_VMCS_LINK_POINTER)\
	X(VMM_VMCS_GUEST_IA32_DEBUGCTL)\
	X(VMM_VMCS_GUEST_IA32_PAT)\
	X(VMM_VMCS_GUEST_IA32_EFER)\
	X(VMM_VMCS_GUEST_PDPTR0)\
	X(VMM_VMCS_GUEST_PDPTR1)\
	X(VMM_VMCS_GUEST_PDPTR2)\
	X(VMM_VMCS_GUEST_PDPTR3)\
	X(VMM_VMCS_HOST_IA32_PAT)\
	X(VMM_VMCS_HOST_IA32_EFER)\
	X(VMM_VMCS_PIN_BASED_CONTROLS)\
	X(VMM_VMCS_PROC_BASED_CONTROLS)\
	X(VMM_VMCS_EXCEPTION_BITMAP)\
	X(VMM_VMCS_PF_ERROR_CODE_MASK)\
	X(VMM_VMCS_PF_ERROR_CODE_MATCH)\
	X(VMM_VMCS_CR3_TARGET_COUNT)\
	X(VMM_VMCS_EXIT_CONTROLS)\
	X(VMM_VMCS_EXIT_MSR_STORE_COUNT)\
	X(VMM_VMCS_EXIT_MSR_LOAD_COUNT)\
	X(VMM_VMCS_ENTRY_CONTROLS)\
	X(VMM_VMCS_ENTRY_MSR_LOAD_COUNT)\
	X(VMM_VMCS_ENTRY_INTR_INFO)\
	X(VMM_VMCS_ENTRY_EXCEPTION_ERROR_CODE)\
	X(VMM_VMCS_ENTRY_INSTRUCTION_LEN)\
	X(VMM_VMCS_SECONDARY_CONTROLS)\
	X(VMM_VMCS_PLE_GAP)\
	X(VMM_VMCS_PLE_WINDOW)\
	X(VMM_VMCS_VM_INSTRUCTION_ERROR)\
	X(VMM_VMCS_EXIT_REASON)\
	X(VMM_VMCS_EXIT_INTR_INFO)\
	X(VMM_VMCS_EXIT_INTR_ERROR_CODE)\
	X(VMM_VMCS_IDT_VECTORING_INFO)\
	X(VMM_VMCS_IDT_VECTORING_ERROR_CODE)\
	X(VMM_VMCS_EXIT_INSTRUCTION_LEN)\
	X(VMM_VMCS_VMX_INSTRUCTION_INFO)\
	X(VMM_VMCS_GUEST_ES_LIMIT)\
	X(VMM_VMCS_GUEST_CS_LIMIT)\
	X(VMM_VMCS_GUEST_SS_LIMIT)\
	X(VMM_VMCS_GUEST_DS_LIMIT)\
	X(VMM_VMCS_GUEST_FS_LIMIT)\
	X(VMM_VMCS_GUEST_GS_LIMIT)\
	X(VMM_VMCS_GUEST_LDTR_LIMIT)\
	X(VMM_VMCS_GUEST_TR_LIMIT)\
	X(VMM_VMCS_GUEST_GDTR_LIMIT)\
	X(VMM_VMCS_GUEST_IDTR_LIMIT)\
	X(VMM_VMCS_GUEST_ES_AR)\
	X(VMM_VMCS_GUEST_CS_AR)\
	X(VMM_VMCS_GUEST_SS_AR)\
	X(VMM_VMCS_GUEST_DS_AR)\
	X(VMM_VMCS_GUEST_FS_AR)\
	X(VMM_VMCS_GUEST_GS_AR)\
	X(VMM_VMCS_GUEST_LDTR_AR)\
	X(VMM_VMCS_GUEST_TR_AR)\
	X(VMM_VMCS_GUEST_INTERRUPTIBILITY)\
	X(VMM_VMCS_GUEST_ACTIVITY_STATE)\
	X(VMM_VMCS_GUEST_SYSENTER_CS)\
	X(VMM_VMCS_PREEMPTION_TIMER_VALUE)\
	X(VMM_VMCS_HOST_SYSENTER_CS)\
	X(VMM_VMCS_CR0_GUEST_HOST_MASK)\
	X(VMM_VMCS_CR4_GUEST_HOST_MASK)\
	X(VMM_VMCS_CR0_READ_SHADOW)\
	X(VMM_VMCS_CR4_READ_SHADOW)\
	X(VMM_VMCS_EXIT_QUALIFICATION)\
	X(VMM_VMCS_GUEST_LINEAR_ADDRESS)\
	X(VMM_VMCS_GUEST_CR0)\
	X(VMM_VMCS_GUEST_CR3)\
	X(VMM_VMCS_GUEST_CR4)\
	X(VMM_VMCS_GUEST_ES_BASE)\
	X(VMM_VMCS_GUEST_CS_BASE)\
	X(VMM_VMCS_GUEST_SS_BASE)\
	X(VMM_VMCS_GUEST_DS_BASE)\
	X(VMM_VMCS_GUEST_FS_BASE)\
	X(VMM_VMCS_GUEST_GS_BASE)\
	X(VMM_VMCS_GUEST_LDTR_BASE)\
	X(VMM_VMCS_GUEST_TR_BASE)\
	X(VMM_VMCS_GUEST_GDTR_BASE)\
	X(VMM_VMCS_GUEST_IDTR_BASE)\
	X(VMM_VMCS_GUEST_DR7)\
	X(VMM_VMCS_GUEST_RSP)\
	X(VMM_VMCS_GUEST_RIP)\
	X(VMM_VMCS_GUEST_RFLAGS)\
	X(VMM_VMCS_GUEST_PENDING_DBG_EXCEPTIONS)\
	X(VMM_VMCS_GUEST_SYSENTER_ESP)\
	X(VMM_VMCS_GUEST_SYSENTER_EIP)\
	X(VMM_VMCS_HOST_CR0)\
	X(VMM_VMCS_HOST_CR3)\
	X(VMM_VMCS_HOST_CR4)\
	X(VMM_VMCS_HOST_FS_BASE)\
	X(VMM_VMCS_HOST_GS_BASE)\
	X(VMM_VMCS_HOST_TR_BASE)\
	X(VMM_VMCS_HOST_GDTR_BASE)\
	X(VMM_VMCS_HOST_IDTR_BASE)\
	X(VMM_VMCS_HOST_SYSENTER_ESP)\
	X(VMM_VMCS_HOST_SYSENTER_EIP)\
	X(VMM_VMCS_HOST_RSP)\
	X(VMM_VMCS_HOST_RIP)

/* Number of entries of vmm_vmcs_fields[]. */
#define VMM_VMCS_FIELD_COUNT 118U

extern const vmm_u32 vmm_vmcs_fields[VMM_VMCS_FIELD_COUNT];

enum vmm_vmcs_err {
	VMM_VMCS_OK = 0,
	VMM_VMCS_ERR_NULL = 1,         /* out pointer is NULL */
	VMM_VMCS_ERR_RESERVED = 2,     /* bit 12 or a bit of 31:15 set */
	VMM_VMCS_ERR_UNKNOWN = 3,      /* not a field lamina uses */
	VMM_VMCS_ERR_HIGH_NOT_64 = 4,  /* "high" access of a non-64-bit field */
	VMM_VMCS_ERR_WIDTH = 5,        /* access width is not the field's */
	VMM_VMCS_ERR_READ_ONLY = 6     /* write to a VM-exit information field */
};

/* What an encoding says about its field. */
struct vmm_vmcs_field_info {
	enum vmm_vmcs_width width;   /* of the field (not of the access) */
	enum vmm_vmcs_type type;
	vmm_u32 high;                /* 1: the upper half of a 64-bit field */
	vmm_u32 access_bits;         /* VMREAD/VMWRITE operand width: 16/32/64 */
};

/* ---- (b) VM-entry checks ------------------------------------------------- */

/* Control bits (SDM vol. 3C 24.6-24.8). */
#define VMM_VMX_PROC_USE_IO_BITMAPS 0x02000000U   /* primary bit 25 */
#define VMM_VMX_PROC_USE_MSR_BITMAPS 0x10000000U  /* primary bit 28 */
#define VMM_VMX_PROC_SECONDARY 0x80000000U        /* primary bit 31 */
#define VMM_VMX_PROC2_EPT 0x00000002U             /* secondary bit 1 */
#define VMM_VMX_PROC2_UG 0x00000080U              /* secondary bit 7 */
#define VMM_VMX_EXIT_HOST_ADDR_SPACE 0x00000200U  /* exit bit 9 */
#define VMM_VMX_EXIT_LOAD_EFER 0x00200000U        /* exit bit 21 */
#define VMM_VMX_ENTRY_LOAD_DEBUG 0x00000004U      /* entry bit 2 */
#define VMM_VMX_ENTRY_IA32E 0x00000200U           /* entry bit 9 */
#define VMM_VMX_ENTRY_SMM 0x00000C00U             /* entry bits 10, 11 */
#define VMM_VMX_ENTRY_LOAD_EFER 0x00008000U       /* entry bit 15 */

/* IA32_VMX_EPT_VPID_CAP (SDM vol. 3D, A.10). */
#define VMM_VMX_EPT_CAP_WALK4 0x0000000000000040ULL   /* bit 6 */
#define VMM_VMX_EPT_CAP_WB 0x0000000000004000ULL      /* bit 14 */
#define VMM_VMX_EPT_CAP_AD 0x0000000000200000ULL      /* bit 21 */
/* EPTP (SDM vol. 3C 24.6.11). */
#define VMM_VMX_EPTP_MEMTYPE_MASK 0x0000000000000007ULL
#define VMM_VMX_EPTP_MEMTYPE_WB 0x0000000000000006ULL
#define VMM_VMX_EPTP_WALK_MASK 0x0000000000000038ULL
#define VMM_VMX_EPTP_WALK_4 0x0000000000000018ULL     /* (4 - 1) << 3 */
#define VMM_VMX_EPTP_AD 0x0000000000000040ULL
#define VMM_VMX_EPTP_RSVD_LOW 0x0000000000000F80ULL   /* bits 11:7 */
#define VMM_VMX_PAGE_OFFSET_MASK 0x0000000000000FFFULL

/* IA32_VMX_MISC bits 6, 7, 8: HLT, shutdown, wait-for-SIPI supported. */
#define VMM_VMX_MISC_ACT_HLT 0x0000000000000040ULL
#define VMM_VMX_MISC_ACT_SHUTDOWN 0x0000000000000080ULL
#define VMM_VMX_MISC_ACT_SIPI 0x0000000000000100ULL

/* Capability MSR halves: bits 31:0 allowed-0, bits 63:32 allowed-1. */
#define VMM_VMX_CAP_LOW_MASK 0x00000000FFFFFFFFULL
#define VMM_VMX_CAP_HIGH_SHIFT 32U

/* Control registers, EFER, RFLAGS. */
#define VMM_VMX_CR0_PE 0x0000000000000001ULL
#define VMM_VMX_CR0_PG 0x0000000080000000ULL
/* CR0 bits checked against FIXED0 under unrestricted guest: all but PE,
 * PG (26.3.1.1 exception 1) and NW, CD (never checked, exception 2). */
#define VMM_VMX_CR0_UG_CHECKED0 0xFFFFFFFF1FFFFFFEULL
/* NW and CD: never checked against FIXED1 either. */
#define VMM_VMX_CR0_NW_CD 0x0000000060000000ULL
#define VMM_VMX_CR4_PAE 0x0000000000000020ULL
#define VMM_VMX_CR4_PCIDE 0x0000000000020000ULL
#define VMM_VMX_EFER_LME 0x0000000000000100ULL
#define VMM_VMX_EFER_LMA 0x0000000000000400ULL
/* Intel EFER bits that exist: SCE (0), LME (8), LMA (10), NXE (11). */
#define VMM_VMX_EFER_DEFINED 0x0000000000000D01ULL
#define VMM_VMX_RFLAGS_FIXED1 0x0000000000000002ULL   /* bit 1 */
/* Reserved: bits 63:22, 15, 5, 3. */
#define VMM_VMX_RFLAGS_RSVD 0xFFFFFFFFFFC08028ULL
#define VMM_VMX_RFLAGS_IF 0x0000000000000200ULL
#define VMM_VMX_RFLAGS_VM 0x0000000000020000ULL
#define VMM_VMX_LOW32_MAX 0x00000000FFFFFFFFULL
#define VMM_VMX_LOW16_MAX 0x000000000000FFFFULL

/* Canonical address ranges for 48 and 57 linear-address bits. */
#define VMM_VMX_CANON48_LOW_END 0x0000800000000000ULL
#define VMM_VMX_CANON48_HIGH_START 0xFFFF800000000000ULL
#define VMM_VMX_CANON57_LOW_END 0x0100000000000000ULL
#define VMM_VMX_CANON57_HIGH_START 0xFF00000000000000ULL

/* Selectors and segment access rights (SDM vol. 3C 24.4.1, Table 24-2). */
#define VMM_VMX_SEL_RPL_TI 0x0007U
#define VMM_VMX_SEL_TI 0x0004U
#define VMM_VMX_AR_TYPE_MASK 0x0000000FU
#define VMM_VMX_AR_TYPE_ACCESSED 0x00000001U
#define VMM_VMX_AR_TYPE_READABLE 0x00000002U
#define VMM_VMX_AR_TYPE_CODE 0x00000008U
#define VMM_VMX_AR_S 0x00000010U
#define VMM_VMX_AR_DPL_MASK 0x00000060U
#define VMM_VMX_AR_P 0x00000080U
#define VMM_VMX_AR_RSVD_11_8 0x00000F00U
#define VMM_VMX_AR_L 0x00002000U
#define VMM_VMX_AR_DB 0x00004000U
#define VMM_VMX_AR_G 0x00008000U
#define VMM_VMX_AR_UNUSABLE 0x00010000U
#define VMM_VMX_AR_RSVD_31_17 0xFFFE0000U
#define VMM_VMX_LIMIT_LOW12 0x00000FFFU
#define VMM_VMX_LIMIT_HIGH12 0xFFF00000U

/* VM-entry interruption information (24.8.3): valid, type bits 10:8. */
#define VMM_VMX_INTR_INFO_VALID 0x80000000U
#define VMM_VMX_INTR_INFO_TYPE_MASK 0x00000700U
#define VMM_VMX_INTR_TYPE_EXT 0x00000000U
#define VMM_VMX_INTR_TYPE_NMI 0x00000200U

/* Interruptibility state (24.4.2, Table 24-3). */
#define VMM_VMX_INTR_STI 0x00000001U
#define VMM_VMX_INTR_MOV_SS 0x00000002U
#define VMM_VMX_INTR_SMI 0x00000004U
#define VMM_VMX_INTR_DEFINED_MAX 0x0000001FU   /* bits 31:5 reserved */

/* Activity states (24.4.2). */
#define VMM_VMX_ACTIVITY_ACTIVE 0U
#define VMM_VMX_ACTIVITY_HLT 1U
#define VMM_VMX_ACTIVITY_SHUTDOWN 2U
#define VMM_VMX_ACTIVITY_WAIT_SIPI 3U

/*
 * The rules, in check order; "26.x" are SDM vol. 3C sections.  The guest
 * segment rules DS, ES, FS, GS have one layout (VMM_VMX_DSEG_*), asserted
 * below.  "usable": bit 16 of the access rights is 0.
 */
enum vmm_vmx_entry_check {
	VMM_VMX_ENTRY_OK = 0,
	VMM_VMX_ENTRY_ERR_NULL = 1,
	/* Inputs (from CPUID 80000008H): 32 <= phys_addr_bits <= 52 ... */
	VMM_VMX_ENTRY_PHYS_ADDR_BITS = 2,
	/* ... and lin_addr_bits is 48 or 57. */
	VMM_VMX_ENTRY_LIN_ADDR_BITS = 3,
	/* 26.2.1.1: pin-based controls within the allowed-0/allowed-1
	 * settings of IA32_VMX_(TRUE_)PINBASED_CTLS. */
	VMM_VMX_ENTRY_PIN_CTLS = 4,
	/* 26.2.1.1: primary processor-based controls, likewise. */
	VMM_VMX_ENTRY_PROC_CTLS = 5,
	/* lamina: "activate secondary controls" is 1. */
	VMM_VMX_ENTRY_PROC_SECONDARY = 6,
	/* 26.2.1.1: secondary controls within IA32_VMX_PROCBASED_CTLS2. */
	VMM_VMX_ENTRY_PROC2_CTLS = 7,
	/* 26.2.1.1: "unrestricted guest" requires "enable EPT"; lamina
	 * requires both. */
	VMM_VMX_ENTRY_UG_EPT = 8,
	/* 26.2.1.1: with "use I/O bitmaps", bitmap A and B addresses are
	 * 4-KiB aligned with no bit set beyond the physical-address width. */
	VMM_VMX_ENTRY_IO_BITMAPS = 9,
	/* 26.2.1.1: with "use MSR bitmaps", the MSR-bitmap address, same. */
	VMM_VMX_ENTRY_MSR_BITMAP = 10,
	/* 26.2.1.1 EPTP bits 2:0: a type IA32_VMX_EPT_VPID_CAP supports;
	 * lamina: write-back (6). */
	VMM_VMX_ENTRY_EPTP_MEMTYPE = 11,
	/* 26.2.1.1 EPTP bits 5:3: page-walk length - 1; lamina: 3 (4-level),
	 * which the CAP MSR must report (bit 6). */
	VMM_VMX_ENTRY_EPTP_WALK = 12,
	/* 26.2.1.1 EPTP bit 6 (accessed/dirty flags) only if CAP bit 21. */
	VMM_VMX_ENTRY_EPTP_AD = 13,
	/* 26.2.1.1 EPTP reserved bits 11:7 and 63:MAXPHYADDR are 0. */
	VMM_VMX_ENTRY_EPTP_RSVD = 14,
	/* 26.2.1.2: VM-exit controls within IA32_VMX_(TRUE_)EXIT_CTLS. */
	VMM_VMX_ENTRY_EXIT_CTLS = 15,
	/* 26.2.4: the host is 64-bit, so "host address-space size" is 1. */
	VMM_VMX_ENTRY_EXIT_HOST_ADDR_SPACE = 16,
	/* 26.2.1.3: VM-entry controls within IA32_VMX_(TRUE_)ENTRY_CTLS. */
	VMM_VMX_ENTRY_ENTRY_CTLS = 17,
	/* 26.2.1.3: "entry to SMM" and "deactivate dual-monitor treatment"
	 * are 0 outside SMM. */
	VMM_VMX_ENTRY_ENTRY_SMM = 18,
	/* 26.2.2: host CR0 has every IA32_VMX_CR0_FIXED0 bit set and no bit
	 * outside IA32_VMX_CR0_FIXED1. */
	VMM_VMX_ENTRY_HOST_CR0_FIXED = 19,
	/* 26.2.2: host CR4, same with IA32_VMX_CR4_FIXED0/1. */
	VMM_VMX_ENTRY_HOST_CR4_FIXED = 20,
	/* 26.2.2: host CR3 bits beyond the physical-address width are 0. */
	VMM_VMX_ENTRY_HOST_CR3 = 21,
	/* 26.2.2: host IA32_SYSENTER_ESP and _EIP are canonical. */
	VMM_VMX_ENTRY_HOST_SYSENTER = 22,
	/* 26.2.2: with "load IA32_EFER" (exit), reserved EFER bits are 0. */
	VMM_VMX_ENTRY_HOST_EFER_RSVD = 23,
	/* 26.2.2: with "load IA32_EFER" (exit), EFER.LMA and LME equal
	 * "host address-space size" (1). */
	VMM_VMX_ENTRY_HOST_EFER_LMA_LME = 24,
	/* 26.2.3: host ES, CS, SS, DS, FS, GS, TR selectors: RPL and TI 0. */
	VMM_VMX_ENTRY_HOST_SEL_RPL_TI = 25,
	/* 26.2.3: host CS selector is not 0. */
	VMM_VMX_ENTRY_HOST_CS_NONZERO = 26,
	/* 26.2.3: host TR selector is not 0. */
	VMM_VMX_ENTRY_HOST_TR_NONZERO = 27,
	/* 26.2.3: host FS, GS, GDTR, IDTR and TR bases are canonical. */
	VMM_VMX_ENTRY_HOST_BASE_CANONICAL = 28,
	/* 26.2.4: "host address-space size" 1: host CR4.PAE is 1 ... */
	VMM_VMX_ENTRY_HOST_CR4_PAE = 29,
	/* ... and host RIP is canonical. */
	VMM_VMX_ENTRY_HOST_RIP = 30,
	/* 26.3.1.1: guest CR0 obeys CR0_FIXED0/1, except bits 0 (PE) and 31
	 * (PG) with "unrestricted guest", and bits 29 (NW), 30 (CD). */
	VMM_VMX_ENTRY_GUEST_CR0_FIXED = 31,
	/* 26.3.1.1: guest CR0.PG 1 requires CR0.PE 1. */
	VMM_VMX_ENTRY_GUEST_CR0_PG_PE = 32,
	/* 26.3.1.1: guest CR4 obeys IA32_VMX_CR4_FIXED0/1. */
	VMM_VMX_ENTRY_GUEST_CR4_FIXED = 33,
	/* 26.3.1.1: guest CR3 bits beyond the physical-address width 0. */
	VMM_VMX_ENTRY_GUEST_CR3 = 34,
	/* 26.3.1.1: with "load debug controls", DR7 bits 63:32 are 0. */
	VMM_VMX_ENTRY_GUEST_DR7 = 35,
	/* 26.3.1.1: guest IA32_SYSENTER_ESP and _EIP are canonical. */
	VMM_VMX_ENTRY_GUEST_SYSENTER = 36,
	/* 26.3.1.1: "IA-32e mode guest" requires CR0.PG and CR4.PAE. */
	VMM_VMX_ENTRY_GUEST_IA32E_PG_PAE = 37,
	/* 26.3.1.1: without "IA-32e mode guest", CR4.PCIDE is 0. */
	VMM_VMX_ENTRY_GUEST_PCIDE = 38,
	/* 26.3.1.1: with "load IA32_EFER" (entry), reserved bits are 0. */
	VMM_VMX_ENTRY_GUEST_EFER_RSVD = 39,
	/* 26.3.1.1: ... EFER.LMA equals "IA-32e mode guest" ... */
	VMM_VMX_ENTRY_GUEST_EFER_LMA = 40,
	/* 26.3.1.1: ... and equals EFER.LME if CR0.PG is 1. */
	VMM_VMX_ENTRY_GUEST_EFER_LME = 41,
	/* 26.3.1.2, CS (checked whether or not marked unusable):
	 * base bits 63:32 are 0. */
	VMM_VMX_ENTRY_GUEST_CS_BASE = 42,
	/* type 3 (unrestricted guest), 9, 11, 13 or 15. */
	VMM_VMX_ENTRY_GUEST_CS_TYPE = 43,
	/* S is 1. */
	VMM_VMX_ENTRY_GUEST_CS_S = 44,
	/* type 3: DPL 0; 9, 11: DPL = SS.DPL; 13, 15: DPL <= SS.DPL. */
	VMM_VMX_ENTRY_GUEST_CS_DPL = 45,
	/* P is 1. */
	VMM_VMX_ENTRY_GUEST_CS_P = 46,
	/* bits 11:8 are 0. */
	VMM_VMX_ENTRY_GUEST_CS_RSVD_11_8 = 47,
	/* "IA-32e mode guest" and L: D/B is 0. */
	VMM_VMX_ENTRY_GUEST_CS_DB = 48,
	/* limit bits 11:0 not all 1 ==> G 0; limit bits 31:20 not 0 ==> G 1. */
	VMM_VMX_ENTRY_GUEST_CS_G = 49,
	/* bits 31:17 are 0. */
	VMM_VMX_ENTRY_GUEST_CS_RSVD_31_17 = 50,
	/* 26.3.1.2, SS: if usable, base bits 63:32 are 0. */
	VMM_VMX_ENTRY_GUEST_SS_BASE = 51,
	/* if usable, type 3 or 7. */
	VMM_VMX_ENTRY_GUEST_SS_TYPE = 52,
	/* if usable, S is 1. */
	VMM_VMX_ENTRY_GUEST_SS_S = 53,
	/* DPL is 0 if CS type is 3 or CR0.PE is 0 (usable or not). */
	VMM_VMX_ENTRY_GUEST_SS_DPL = 54,
	/* if usable, P is 1. */
	VMM_VMX_ENTRY_GUEST_SS_P = 55,
	/* if usable, bits 11:8 are 0. */
	VMM_VMX_ENTRY_GUEST_SS_RSVD_11_8 = 56,
	/* if usable, G consistent with the limit (as CS). */
	VMM_VMX_ENTRY_GUEST_SS_G = 57,
	/* if usable, bits 31:17 are 0. */
	VMM_VMX_ENTRY_GUEST_SS_RSVD_31_17 = 58,
	/* 26.3.1.2, DS: if usable, base bits 63:32 are 0 (FS, GS: the base
	 * is canonical, usable or not). */
	VMM_VMX_ENTRY_GUEST_DS_BASE = 59,
	/* if usable: accessed (type bit 0), and readable if code (bit 3). */
	VMM_VMX_ENTRY_GUEST_DS_TYPE = 60,
	/* if usable, S is 1. */
	VMM_VMX_ENTRY_GUEST_DS_S = 61,
	/* if usable, P is 1. */
	VMM_VMX_ENTRY_GUEST_DS_P = 62,
	/* if usable, bits 11:8 are 0. */
	VMM_VMX_ENTRY_GUEST_DS_RSVD_11_8 = 63,
	/* if usable, G consistent with the limit. */
	VMM_VMX_ENTRY_GUEST_DS_G = 64,
	/* if usable, bits 31:17 are 0. */
	VMM_VMX_ENTRY_GUEST_DS_RSVD_31_17 = 65,
	/* ES, FS, GS: the same seven rules, same order. */
	VMM_VMX_ENTRY_GUEST_ES_BASE = 66,
	VMM_VMX_ENTRY_GUEST_ES_TYPE = 67,
	VMM_VMX_ENTRY_GUEST_ES_S = 68,
	VMM_VMX_ENTRY_GUEST_ES_P = 69,
	VMM_VMX_ENTRY_GUEST_ES_RSVD_11_8 = 70,
	VMM_VMX_ENTRY_GUEST_ES_G = 71,
	VMM_VMX_ENTRY_GUEST_ES_RSVD_31_17 = 72,
	VMM_VMX_ENTRY_GUEST_FS_BASE = 73,
	VMM_VMX_ENTRY_GUEST_FS_TYPE = 74,
	VMM_VMX_ENTRY_GUEST_FS_S = 75,
	VMM_VMX_ENTRY_GUEST_FS_P = 76,
	VMM_VMX_ENTRY_GUEST_FS_RSVD_11_8 = 77,
	VMM_VMX_ENTRY_GUEST_FS_G = 78,
	VMM_VMX_ENTRY_GUEST_FS_RSVD_31_17 = 79,
	VMM_VMX_ENTRY_GUEST_GS_BASE = 80,
	VMM_VMX_ENTRY_GUEST_GS_TYPE = 81,
	VMM_VMX_ENTRY_GUEST_GS_S = 82,
	VMM_VMX_ENTRY_GUEST_GS_P = 83,
	VMM_VMX_ENTRY_GUEST_GS_RSVD_11_8 = 84,
	VMM_VMX_ENTRY_GUEST_GS_G = 85,
	VMM_VMX_ENTRY_GUEST_GS_RSVD_31_17 = 86,
	/* 26.3.1.2, TR: selector TI flag is 0. */
	VMM_VMX_ENTRY_GUEST_TR_SEL_TI = 87,
	/* base canonical. */
	VMM_VMX_ENTRY_GUEST_TR_BASE = 88,
	/* type 11 (busy 64/32-bit TSS); 3 also if not "IA-32e mode guest". */
	VMM_VMX_ENTRY_GUEST_TR_TYPE = 89,
	/* S is 0. */
	VMM_VMX_ENTRY_GUEST_TR_S = 90,
	/* P is 1. */
	VMM_VMX_ENTRY_GUEST_TR_P = 91,
	/* bits 11:8 are 0. */
	VMM_VMX_ENTRY_GUEST_TR_RSVD_11_8 = 92,
	/* G consistent with the limit. */
	VMM_VMX_ENTRY_GUEST_TR_G = 93,
	/* unusable bit is 0. */
	VMM_VMX_ENTRY_GUEST_TR_UNUSABLE = 94,
	/* bits 31:17 are 0. */
	VMM_VMX_ENTRY_GUEST_TR_RSVD_31_17 = 95,
	/* 26.3.1.2, LDTR (all: if usable): selector TI flag is 0. */
	VMM_VMX_ENTRY_GUEST_LDTR_SEL_TI = 96,
	/* base canonical. */
	VMM_VMX_ENTRY_GUEST_LDTR_BASE = 97,
	/* type 2 (LDT). */
	VMM_VMX_ENTRY_GUEST_LDTR_TYPE = 98,
	/* S is 0. */
	VMM_VMX_ENTRY_GUEST_LDTR_S = 99,
	/* P is 1. */
	VMM_VMX_ENTRY_GUEST_LDTR_P = 100,
	/* bits 11:8 are 0. */
	VMM_VMX_ENTRY_GUEST_LDTR_RSVD_11_8 = 101,
	/* G consistent with the limit. */
	VMM_VMX_ENTRY_GUEST_LDTR_G = 102,
	/* bits 31:17 are 0. */
	VMM_VMX_ENTRY_GUEST_LDTR_RSVD_31_17 = 103,
	/* 26.3.1.3: GDTR and IDTR bases canonical, limits bits 31:16 0. */
	VMM_VMX_ENTRY_GUEST_GDTR_BASE = 104,
	VMM_VMX_ENTRY_GUEST_IDTR_BASE = 105,
	VMM_VMX_ENTRY_GUEST_GDTR_LIMIT = 106,
	VMM_VMX_ENTRY_GUEST_IDTR_LIMIT = 107,
	/* 26.3.1.4: RIP bits 63:32 are 0 unless "IA-32e mode guest" and
	 * CS.L ... */
	VMM_VMX_ENTRY_GUEST_RIP_HIGH = 108,
	/* ... with both, RIP is canonical (bits 63:N identical). */
	VMM_VMX_ENTRY_GUEST_RIP_CANONICAL = 109,
	/* 26.3.1.4: RFLAGS bits 63:22, 15, 5, 3 are 0 and bit 1 is 1. */
	VMM_VMX_ENTRY_GUEST_RFLAGS_RSVD = 110,
	/* 26.3.1.4: VM is 0 with "IA-32e mode guest" or CR0.PE = 0. */
	VMM_VMX_ENTRY_GUEST_RFLAGS_VM = 111,
	/* lamina: VM is 0 (virtual-8086 guest state is not modelled). */
	VMM_VMX_ENTRY_GUEST_RFLAGS_VM_LAMINA = 112,
	/* 26.3.1.4: IF is 1 when injecting an external interrupt. */
	VMM_VMX_ENTRY_GUEST_RFLAGS_IF_INJECT = 113,
	/* 26.3.1.5: activity state 0-3 and supported (IA32_VMX_MISC 8:6). */
	VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE = 114,
	/* 26.3.1.5: HLT only if SS.DPL is 0. */
	VMM_VMX_ENTRY_GUEST_ACTIVITY_HLT_SS_DPL = 115,
	/* 26.3.1.5: active if blocking by STI or by MOV SS. */
	VMM_VMX_ENTRY_GUEST_ACTIVITY_BLOCKING = 116,
	/* 26.3.1.5: interruptibility bits 31:5 are 0. */
	VMM_VMX_ENTRY_GUEST_INTR_RSVD = 117,
	/* 26.3.1.5: not both blocking by STI and by MOV SS. */
	VMM_VMX_ENTRY_GUEST_INTR_STI_MOVSS = 118,
	/* 26.3.1.5: no blocking by STI if RFLAGS.IF is 0. */
	VMM_VMX_ENTRY_GUEST_INTR_STI_IF = 119,
	/* 26.3.1.5: no blocking by SMI outside SMM. */
	VMM_VMX_ENTRY_GUEST_INTR_SMI = 120,
	/* 26.3.1.5: injecting an external interrupt: no STI/MOV-SS block. */
	VMM_VMX_ENTRY_GUEST_INTR_INJECT_EXT = 121,
	/* 26.3.1.5: injecting an NMI: no blocking by MOV SS. */
	VMM_VMX_ENTRY_GUEST_INTR_INJECT_NMI = 122,
	/* 26.3.1.5: lamina uses no VMCS shadowing: link pointer all ones. */
	VMM_VMX_ENTRY_GUEST_LINK_POINTER = 123
};

#define VMM_VMX_ENTRY_FIRST_RULE VMM_VMX_ENTRY_PHYS_ADDR_BITS
#define VMM_VMX_ENTRY_LAST_RULE VMM_VMX_ENTRY_GUEST_LINK_POINTER

/* Rules of one data segment (DS, ES, FS, GS), numbered from 1. */
#define VMM_VMX_DSEG_BASE 1U
#define VMM_VMX_DSEG_TYPE 2U
#define VMM_VMX_DSEG_S 3U
#define VMM_VMX_DSEG_P 4U
#define VMM_VMX_DSEG_RSVD_11_8 5U
#define VMM_VMX_DSEG_G 6U
#define VMM_VMX_DSEG_RSVD_31_17 7U
#define VMM_VMX_DSEG_RULES 7U

VMM_BUILD_ASSERT(vmx_dseg_ds, VMM_VMX_ENTRY_GUEST_DS_RSVD_31_17 -
		 VMM_VMX_ENTRY_GUEST_DS_BASE + 1 == VMM_VMX_DSEG_RULES &&
		 VMM_VMX_ENTRY_GUEST_DS_G - VMM_VMX_ENTRY_GUEST_DS_BASE + 1 ==
		 VMM_VMX_DSEG_G);
VMM_BUILD_ASSERT(vmx_dseg_es, VMM_VMX_ENTRY_GUEST_ES_BASE ==
		 VMM_VMX_ENTRY_GUEST_DS_BASE + VMM_VMX_DSEG_RULES);
VMM_BUILD_ASSERT(vmx_dseg_fs, VMM_VMX_ENTRY_GUEST_FS_BASE ==
		 VMM_VMX_ENTRY_GUEST_ES_BASE + VMM_VMX_DSEG_RULES);
VMM_BUILD_ASSERT(vmx_dseg_gs, VMM_VMX_ENTRY_GUEST_GS_BASE ==
		 VMM_VMX_ENTRY_GUEST_FS_BASE + VMM_VMX_DSEG_RULES &&
		 VMM_VMX_ENTRY_GUEST_GS_RSVD_31_17 + 1 ==
		 VMM_VMX_ENTRY_GUEST_TR_SEL_TI);

/* A guest segment register as the VMCS holds it (24.4.1). */
struct vmm_vmx_segment {
	vmm_u64 base;
	vmm_u32 limit;
	vmm_u32 access_rights;
	vmm_u16 selector;
	vmm_u16 pad[3];           /* not checked */
};

/*
 * Everything vmm_vmx_entry_check() reads: VMCS fields (named as in the
 * VMM_VMCS_* encodings) and capability values the module reads once
 * (rdmsr/CPUID).  For the *_ctls capabilities the module passes the TRUE_
 * MSR when IA32_VMX_BASIC bit 55 is set, as the SDM (A.2) says.
 */
struct vmm_vmx_entry_state {
	/* capabilities: bits 31:0 allowed-0, bits 63:32 allowed-1 */
	vmm_u64 cap_pinbased;
	vmm_u64 cap_procbased;
	vmm_u64 cap_procbased2;
	vmm_u64 cap_exit;
	vmm_u64 cap_entry;
	vmm_u64 cap_misc;         /* IA32_VMX_MISC */
	vmm_u64 cap_ept_vpid;     /* IA32_VMX_EPT_VPID_CAP */
	vmm_u64 cr0_fixed0;
	vmm_u64 cr0_fixed1;
	vmm_u64 cr4_fixed0;
	vmm_u64 cr4_fixed1;
	vmm_u8 phys_addr_bits;    /* CPUID.80000008H:EAX[7:0] */
	vmm_u8 lin_addr_bits;     /* CPUID.80000008H:EAX[15:8] */
	vmm_u8 pad0[6];
	/* controls */
	vmm_u32 pin_ctls;
	vmm_u32 proc_ctls;
	vmm_u32 proc_ctls2;
	vmm_u32 exit_ctls;
	vmm_u32 entry_ctls;
	vmm_u32 entry_intr_info;
	vmm_u64 eptp;
	vmm_u64 io_bitmap_a;
	vmm_u64 io_bitmap_b;
	vmm_u64 msr_bitmap;
	/* host state */
	vmm_u64 host_cr0;
	vmm_u64 host_cr3;
	vmm_u64 host_cr4;
	vmm_u64 host_efer;
	vmm_u64 host_fs_base;
	vmm_u64 host_gs_base;
	vmm_u64 host_tr_base;
	vmm_u64 host_gdtr_base;
	vmm_u64 host_idtr_base;
	vmm_u64 host_sysenter_esp;
	vmm_u64 host_sysenter_eip;
	vmm_u64 host_rip;
	vmm_u16 host_es_sel;
	vmm_u16 host_cs_sel;
	vmm_u16 host_ss_sel;
	vmm_u16 host_ds_sel;
	vmm_u16 host_fs_sel;
	vmm_u16 host_gs_sel;
	vmm_u16 host_tr_sel;
	vmm_u16 pad1;
	/* guest state */
	vmm_u64 guest_cr0;
	vmm_u64 guest_cr3;
	vmm_u64 guest_cr4;
	vmm_u64 guest_dr7;
	vmm_u64 guest_efer;
	vmm_u64 guest_sysenter_esp;
	vmm_u64 guest_sysenter_eip;
	vmm_u64 guest_rip;
	vmm_u64 guest_rflags;
	vmm_u64 guest_gdtr_base;
	vmm_u64 guest_idtr_base;
	vmm_u64 guest_link_pointer;
	vmm_u32 guest_gdtr_limit;
	vmm_u32 guest_idtr_limit;
	vmm_u32 guest_interruptibility;
	vmm_u32 guest_activity_state;
	struct vmm_vmx_segment cs;
	struct vmm_vmx_segment ss;
	struct vmm_vmx_segment ds;
	struct vmm_vmx_segment es;
	struct vmm_vmx_segment fs;
	struct vmm_vmx_segment gs;
	struct vmm_vmx_segment tr;
	struct vmm_vmx_segment ldtr;
};

#ifdef __FRAMAC__
/* The model's vmcs_field_known: VMM_VMCS_FIELD_LIST as a disjunction. */
#define VMCS_FIELD_IS(f) e == f ||
#include "vmcs.acsl"
#endif

/*
 * Decode @encoding.  On success *info holds the field's width and type
 * (from bits 14:13 and 11:10), whether it is a high access (bit 0) and the
 * operand width of a typed access.  On failure *info is not written.
 */
/*@ requires info == \null || \valid(info);
  @
  @ assigns *info;
  @
  @ ensures info == \null <==> \result == VMM_VMCS_ERR_NULL;
  @ ensures \result == VMM_VMCS_OK <==>
  @           info != \null && vmcs_encoding_valid(encoding);
  @ ensures \result == VMM_VMCS_ERR_RESERVED ==>
  @           (encoding & VMM_VMCS_ENC_RSVD_MASK) != 0;
  @ ensures \result == VMM_VMCS_ERR_UNKNOWN ==>
  @           !vmcs_field_known(encoding & VMM_VMCS_ENC_FULL_MASK);
  @ ensures \result == VMM_VMCS_ERR_HIGH_NOT_64 ==>
  @           (encoding & VMM_VMCS_ENC_HIGH) != 0 &&
  @           vmcs_enc_width(encoding) != VMM_VMCS_WIDTH_64;
  @ ensures \result == VMM_VMCS_OK ==>
  @           info->width == vmcs_enc_width(encoding) &&
  @           info->type == vmcs_enc_type(encoding) &&
  @           info->high == (encoding & VMM_VMCS_ENC_HIGH) &&
  @           info->access_bits == vmcs_access_bits(encoding);
  @ ensures \result != VMM_VMCS_OK && info != \null ==>
  @           *info == \old(*info);
  @ ensures \result == VMM_VMCS_OK || \result == VMM_VMCS_ERR_NULL ||
  @         \result == VMM_VMCS_ERR_RESERVED ||
  @         \result == VMM_VMCS_ERR_UNKNOWN ||
  @         \result == VMM_VMCS_ERR_HIGH_NOT_64;
  @*/
enum vmm_vmcs_err vmm_vmcs_field_info(vmm_u32 encoding,
				      struct vmm_vmcs_field_info *info);

/*
 * May a VMREAD (@write == 0) or VMWRITE (@write != 0) with an operand of
 * @access_bits bits use @encoding?  Yes iff the encoding is valid, the
 * width is the field's typed width, and a write is not to a read-only
 * (VM-exit information) field.
 */
/*@ assigns \nothing;
  @
  @ ensures \result == VMM_VMCS_OK <==>
  @           vmcs_encoding_valid(encoding) &&
  @           access_bits == vmcs_access_bits(encoding) &&
  @           (write != 0 ==>
  @              vmcs_enc_type(encoding) != VMM_VMCS_TYPE_READ_ONLY);
  @ ensures \result == VMM_VMCS_ERR_WIDTH ==>
  @           vmcs_encoding_valid(encoding) &&
  @           access_bits != vmcs_access_bits(encoding);
  @ ensures \result == VMM_VMCS_ERR_READ_ONLY ==>
  @           vmcs_encoding_valid(encoding) && write != 0 &&
  @           vmcs_enc_type(encoding) == VMM_VMCS_TYPE_READ_ONLY;
  @ ensures \result == VMM_VMCS_OK || \result == VMM_VMCS_ERR_RESERVED ||
  @         \result == VMM_VMCS_ERR_UNKNOWN ||
  @         \result == VMM_VMCS_ERR_HIGH_NOT_64 ||
  @         \result == VMM_VMCS_ERR_WIDTH || \result == VMM_VMCS_ERR_READ_ONLY;
  @*/
enum vmm_vmcs_err vmm_vmcs_check_access(vmm_u32 encoding,
					vmm_u32 access_bits, vmm_u32 write);

/*
 * Run the VM-entry checks on *s in enum order and name the first rule
 * that fails (VMM_VMX_ENTRY_OK if none).
 */
/*@ requires s == \null || \valid_read(s);
  @
  @ assigns \nothing;
  @
  @ ensures s == \null <==> \result == VMM_VMX_ENTRY_ERR_NULL;
  @ ensures s != \null ==> (\result == VMM_VMX_ENTRY_OK <==> vmx_entry_ok(s));
  @ ensures s != \null && \result != VMM_VMX_ENTRY_OK ==>
  @           vmx_first_failure(s, \result);
  @*/
enum vmm_vmx_entry_check
vmm_vmx_entry_check(const struct vmm_vmx_entry_state *s);

#endif /* LIBVMM_VMCS_H */
