// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 3 (Intel): VMCS field encodings and the
 * VM-entry checks.  Encodings: every table entry decodes, reserved bits,
 * unknown fields, high accesses, typed widths, read-only writes.  Entry
 * checks: a legal 64-bit guest and a legal real-mode guest pass; each rule
 * broken alone gives its own enumerator; two broken rules give the first.
 */
#include <string.h>

#include <libvmm/vmcs.h>

#include "tap.h"

/* ---- (a) field encodings ------------------------------------------------ */

static void info_null(void)
{
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_GUEST_RIP, NULL),
		 VMM_VMCS_ERR_NULL);
}

static void info_every_table_entry(void)
{
	unsigned int i;
	struct vmm_vmcs_field_info info;

	for (i = 0U; i < VMM_VMCS_FIELD_COUNT; i++) {
		vmm_u32 e = vmm_vmcs_fields[i];

		CHECK_EQ(vmm_vmcs_field_info(e, &info), VMM_VMCS_OK);
		CHECK_EQ(info.width, (e >> 13) & 3U);
		CHECK_EQ(info.type, (e >> 10) & 3U);
		CHECK_EQ(info.high, 0U);
		CHECK_EQ(e & 1U, 0U);            /* table holds full encodings */
		if (i > 0U)
			CHECK(vmm_vmcs_fields[i - 1U] < e); /* sorted, unique */
	}
}

static void info_decodes(void)
{
	struct vmm_vmcs_field_info info;

	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_GUEST_CS_SELECTOR, &info),
		 VMM_VMCS_OK);
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_16);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_GUEST);
	CHECK_EQ(info.access_bits, 16U);
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_EPT_POINTER, &info), VMM_VMCS_OK);
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_64);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_CONTROL);
	CHECK_EQ(info.access_bits, 64U);
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_EXIT_REASON, &info), VMM_VMCS_OK);
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_32);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_READ_ONLY);
	CHECK_EQ(info.access_bits, 32U);
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_HOST_RIP, &info), VMM_VMCS_OK);
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_NATURAL);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_HOST);
	CHECK_EQ(info.access_bits, 64U);
	/* High half of a 64-bit field: a 32-bit access. */
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_GUEST_PHYSICAL_ADDRESS + 1U,
				     &info), VMM_VMCS_OK);
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_64);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_READ_ONLY);
	CHECK_EQ(info.high, 1U);
	CHECK_EQ(info.access_bits, 32U);
}

static void info_rejects(void)
{
	struct vmm_vmcs_field_info info = { VMM_VMCS_WIDTH_32,
					    VMM_VMCS_TYPE_HOST, 7U, 99U };

	CHECK_EQ(vmm_vmcs_field_info(0x00001000U, &info),
		 VMM_VMCS_ERR_RESERVED);
	CHECK_EQ(vmm_vmcs_field_info(0x00008000U | VMM_VMCS_GUEST_RIP, &info),
		 VMM_VMCS_ERR_RESERVED);
	CHECK_EQ(vmm_vmcs_field_info(0xFFFFFFFFU, &info),
		 VMM_VMCS_ERR_RESERVED);
	/* Posted-interrupt vector (0x0002): real, but not used by lamina. */
	CHECK_EQ(vmm_vmcs_field_info(0x00000002U, &info), VMM_VMCS_ERR_UNKNOWN);
	CHECK_EQ(vmm_vmcs_field_info(0x00006C18U, &info), VMM_VMCS_ERR_UNKNOWN);
	/* High access of 16-, 32- and natural-width fields. */
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_GUEST_CS_SELECTOR + 1U, &info),
		 VMM_VMCS_ERR_HIGH_NOT_64);
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_EXIT_REASON + 1U, &info),
		 VMM_VMCS_ERR_HIGH_NOT_64);
	CHECK_EQ(vmm_vmcs_field_info(VMM_VMCS_GUEST_RIP + 1U, &info),
		 VMM_VMCS_ERR_HIGH_NOT_64);
	/* Nothing written on failure. */
	CHECK_EQ(info.width, VMM_VMCS_WIDTH_32);
	CHECK_EQ(info.type, VMM_VMCS_TYPE_HOST);
	CHECK_EQ(info.high, 7U);
	CHECK_EQ(info.access_bits, 99U);
}

static void access_widths(void)
{
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_GUEST_ES_SELECTOR, 16U, 1U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_GUEST_ES_SELECTOR, 32U, 0U),
		 VMM_VMCS_ERR_WIDTH);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_PIN_BASED_CONTROLS, 32U, 1U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_PIN_BASED_CONTROLS, 64U, 1U),
		 VMM_VMCS_ERR_WIDTH);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EPT_POINTER, 64U, 1U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EPT_POINTER, 32U, 1U),
		 VMM_VMCS_ERR_WIDTH);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EPT_POINTER + 1U, 32U, 1U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EPT_POINTER + 1U, 64U, 0U),
		 VMM_VMCS_ERR_WIDTH);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_GUEST_CR0, 64U, 1U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_GUEST_CR0, 0U, 0U),
		 VMM_VMCS_ERR_WIDTH);
	CHECK_EQ(vmm_vmcs_check_access(0x00000002U, 16U, 0U),
		 VMM_VMCS_ERR_UNKNOWN);
	CHECK_EQ(vmm_vmcs_check_access(0x80000000U, 16U, 0U),
		 VMM_VMCS_ERR_RESERVED);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_HOST_RIP + 1U, 32U, 0U),
		 VMM_VMCS_ERR_HIGH_NOT_64);
}

static void access_read_only(void)
{
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EXIT_REASON, 32U, 0U),
		 VMM_VMCS_OK);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EXIT_REASON, 32U, 1U),
		 VMM_VMCS_ERR_READ_ONLY);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EXIT_QUALIFICATION, 64U, 1U),
		 VMM_VMCS_ERR_READ_ONLY);
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_GUEST_PHYSICAL_ADDRESS + 1U,
				       32U, 1U), VMM_VMCS_ERR_READ_ONLY);
	/* Width is checked before the write rule. */
	CHECK_EQ(vmm_vmcs_check_access(VMM_VMCS_EXIT_REASON, 16U, 1U),
		 VMM_VMCS_ERR_WIDTH);
}

/* ---- (b) VM-entry checks ------------------------------------------------ */

static struct vmm_vmx_entry_state st;

/* Capability MSR: must-be-1 bits @must, may-be-1 bits @may. */
static vmm_u64 cap(vmm_u32 must, vmm_u32 may)
{
	return ((vmm_u64)may << 32) | must;
}

static void set_seg(struct vmm_vmx_segment *g, vmm_u16 sel, vmm_u64 base,
		    vmm_u32 limit, vmm_u32 ar)
{
	g->selector = sel;
	g->base = base;
	g->limit = limit;
	g->access_rights = ar;
}

/* A legal 64-bit guest on a 64-bit host, 46/48 address bits. */
static void reset(void)
{
	memset(&st, 0, sizeof(st));
	st.cap_pinbased = cap(0x16U, 0xFFU);
	st.cap_procbased = cap(0x0401E172U, 0xFFFFFFFFU);
	st.cap_procbased2 = cap(0U, 0x00FFFFFFU);
	st.cap_exit = cap(0x00036DFFU, 0x00FFFFFFU);
	st.cap_entry = cap(0x000011FFU, 0x0000FFFFU);
	st.cap_misc = 0x1C0ULL;
	st.cap_ept_vpid = VMM_VMX_EPT_CAP_WALK4 | VMM_VMX_EPT_CAP_WB;
	st.cr0_fixed0 = 0x80000021ULL;   /* PE NE PG */
	st.cr0_fixed1 = 0xFFFFFFFFULL;
	st.cr4_fixed0 = 0x2000ULL;       /* VMXE */
	st.cr4_fixed1 = 0x003727FFULL;
	st.phys_addr_bits = 46U;
	st.lin_addr_bits = 48U;
	st.pin_ctls = 0x16U;
	st.proc_ctls = 0x0401E172U | VMM_VMX_PROC_SECONDARY |
		       VMM_VMX_PROC_USE_MSR_BITMAPS | VMM_VMX_PROC_USE_IO_BITMAPS;
	st.proc_ctls2 = VMM_VMX_PROC2_EPT | VMM_VMX_PROC2_UG;
	st.exit_ctls = 0x00036DFFU | VMM_VMX_EXIT_HOST_ADDR_SPACE |
		       VMM_VMX_EXIT_LOAD_EFER;
	st.entry_ctls = 0x000011FFU | VMM_VMX_ENTRY_IA32E |
			VMM_VMX_ENTRY_LOAD_EFER;
	st.entry_ctls &= ~VMM_VMX_ENTRY_SMM;
	st.cap_entry = cap(st.entry_ctls & ~(VMM_VMX_ENTRY_IA32E |
			   VMM_VMX_ENTRY_LOAD_EFER), 0x0000F3FFU);
	st.eptp = 0x12345000ULL | VMM_VMX_EPTP_WALK_4 | VMM_VMX_EPTP_MEMTYPE_WB;
	st.io_bitmap_a = 0x1000ULL;
	st.io_bitmap_b = 0x2000ULL;
	st.msr_bitmap = 0x3FFFFFFFF000ULL;
	st.host_cr0 = 0x80050033ULL;
	st.host_cr3 = 0x10000000ULL;
	st.host_cr4 = 0x003726F0ULL;
	st.host_efer = 0xD01ULL;
	st.host_fs_base = 0x00007F0000000000ULL;
	st.host_gs_base = 0xFFFF888000000000ULL;
	st.host_tr_base = 0xFFFFFE0000003000ULL;
	st.host_gdtr_base = 0xFFFFFE0000001000ULL;
	st.host_idtr_base = 0xFFFFFE0000000000ULL;
	st.host_sysenter_esp = 0xFFFFFE0000005000ULL;
	st.host_sysenter_eip = 0xFFFFFFFF81000000ULL;
	st.host_rip = 0xFFFFFFFFA0001000ULL;
	st.host_cs_sel = 0x10U;
	st.host_ss_sel = 0x18U;
	st.host_tr_sel = 0x40U;
	st.guest_cr0 = 0x80050033ULL;
	st.guest_cr3 = 0x1000ULL;
	st.guest_cr4 = 0x20A0ULL | VMM_VMX_CR4_PAE;
	st.guest_dr7 = 0x400ULL;
	st.guest_efer = 0xD01ULL;
	st.guest_rip = 0xFFFFFFFF81000000ULL;
	st.guest_rflags = 0x202ULL;
	st.guest_gdtr_base = 0xFFFFFE0000001000ULL;
	st.guest_gdtr_limit = 0x7FU;
	st.guest_idtr_limit = 0xFFFU;
	st.guest_link_pointer = VMM_U64_MAX;
	set_seg(&st.cs, 0x10U, 0U, 0xFFFFFFFFU, 0xA09BU);   /* 64-bit code */
	set_seg(&st.ss, 0x18U, 0U, 0xFFFFFFFFU, 0xC093U);
	set_seg(&st.ds, 0U, 0U, 0U, 0x1C000U);              /* unusable */
	set_seg(&st.es, 0U, 0U, 0U, 0x1C000U);
	set_seg(&st.fs, 0U, 0x00007F0000001000ULL, 0U, 0x1C000U);
	set_seg(&st.gs, 0U, 0xFFFF888000000000ULL, 0U, 0x1C000U);
	set_seg(&st.tr, 0x40U, 0xFFFFFE0000003000ULL, 0x67U, 0x8BU);
	set_seg(&st.ldtr, 0U, 0U, 0U, 0x10000U);
}

static enum vmm_vmx_entry_check check(void)
{
	struct vmm_vmx_entry_state before = st;
	enum vmm_vmx_entry_check r = vmm_vmx_entry_check(&st);

	CHECK(memcmp(&before, &st, sizeof(st)) == 0);
	return r;
}

static void entry_null(void)
{
	CHECK_EQ(vmm_vmx_entry_check(NULL), VMM_VMX_ENTRY_ERR_NULL);
}

static void entry_legal_long_mode(void)
{
	reset();
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	/* 57-bit linear addresses accept 57-bit canonical values. */
	st.lin_addr_bits = 57U;
	st.host_gs_base = 0xFF11000000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	st.lin_addr_bits = 48U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_BASE_CANONICAL);
}

/* Real mode through unrestricted guest: PE = PG = 0, CS type 3. */
static void entry_legal_real_mode(void)
{
	reset();
	st.entry_ctls &= ~VMM_VMX_ENTRY_IA32E;
	st.guest_cr0 = 0x60000030ULL;    /* CD NW NE ET, PE = PG = 0 */
	st.guest_cr4 = 0x2000ULL;
	st.guest_efer = 0U;
	st.guest_rip = 0xFFF0ULL;
	st.guest_rflags = 0x2ULL;
	set_seg(&st.cs, 0xF000U, 0xF0000ULL, 0xFFFFU, 0x9BU & ~0x8U);
	st.cs.access_rights = 0x93U;     /* type 3, S, P, DPL 0 */
	set_seg(&st.ss, 0U, 0U, 0xFFFFU, 0x93U);
	set_seg(&st.ds, 0U, 0U, 0xFFFFU, 0x93U);
	set_seg(&st.es, 0U, 0U, 0xFFFFU, 0x93U);
	set_seg(&st.fs, 0U, 0U, 0xFFFFU, 0x93U);
	set_seg(&st.gs, 0U, 0U, 0xFFFFU, 0x93U);
	set_seg(&st.tr, 0U, 0U, 0xFFFFU, 0x8BU);
	set_seg(&st.ldtr, 0U, 0U, 0xFFFFU, 0x82U);
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	/* Not in IA-32e mode, a 16-bit busy TSS is fine too. */
	st.tr.access_rights = 0x83U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	/* PG without PE. */
	st.guest_cr0 |= VMM_VMX_CR0_PG;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CR0_PG_PE);
}

static void entry_inputs(void)
{
	reset();
	st.phys_addr_bits = 53U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_PHYS_ADDR_BITS);
	st.phys_addr_bits = 31U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_PHYS_ADDR_BITS);
	reset();
	st.lin_addr_bits = 52U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_LIN_ADDR_BITS);
}

static void entry_exec_controls(void)
{
	reset();
	st.pin_ctls &= ~0x2U;            /* a must-be-1 bit */
	CHECK_EQ(check(), VMM_VMX_ENTRY_PIN_CTLS);
	reset();
	st.pin_ctls |= 0x100U;           /* a may-not-be-1 bit */
	CHECK_EQ(check(), VMM_VMX_ENTRY_PIN_CTLS);
	reset();
	st.cap_procbased = cap(0x0401E172U, 0x7FFFFFFFU);
	CHECK_EQ(check(), VMM_VMX_ENTRY_PROC_CTLS);
	reset();
	st.proc_ctls &= ~VMM_VMX_PROC_SECONDARY;
	CHECK_EQ(check(), VMM_VMX_ENTRY_PROC_SECONDARY);
	reset();
	st.cap_procbased2 = cap(0U, 0x7FU);
	CHECK_EQ(check(), VMM_VMX_ENTRY_PROC2_CTLS);
	reset();
	st.proc_ctls2 = VMM_VMX_PROC2_UG;
	CHECK_EQ(check(), VMM_VMX_ENTRY_UG_EPT);
	st.proc_ctls2 = VMM_VMX_PROC2_EPT;
	CHECK_EQ(check(), VMM_VMX_ENTRY_UG_EPT);
	reset();
	st.io_bitmap_b = 0x2800ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_IO_BITMAPS);
	st.io_bitmap_b = 0x400000000000ULL;   /* bit 46 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_IO_BITMAPS);
	st.proc_ctls &= ~VMM_VMX_PROC_USE_IO_BITMAPS;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.msr_bitmap = 0x3FFFFFFFF001ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_MSR_BITMAP);
	st.msr_bitmap = 0x400000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_MSR_BITMAP);
}

static void entry_eptp_exit_entry(void)
{
	reset();
	st.eptp = (st.eptp & ~VMM_VMX_EPTP_MEMTYPE_MASK);   /* UC */
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_MEMTYPE);
	reset();
	st.cap_ept_vpid &= ~VMM_VMX_EPT_CAP_WB;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_MEMTYPE);
	reset();
	st.eptp = (st.eptp & ~VMM_VMX_EPTP_WALK_MASK) | 0x20ULL; /* 5 levels */
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_WALK);
	reset();
	st.eptp |= VMM_VMX_EPTP_AD;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_AD);
	st.cap_ept_vpid |= VMM_VMX_EPT_CAP_AD;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.eptp |= 0x80ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_RSVD);
	reset();
	st.eptp |= 0x400000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EPTP_RSVD);
	st.phys_addr_bits = 47U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.exit_ctls |= 0x01000000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EXIT_CTLS);
	reset();
	st.cap_exit = cap(0x00036DFFU & ~VMM_VMX_EXIT_HOST_ADDR_SPACE,
			  0x00FFFFFFU);
	st.exit_ctls &= ~VMM_VMX_EXIT_HOST_ADDR_SPACE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_EXIT_HOST_ADDR_SPACE);
	reset();
	st.entry_ctls |= 0x10000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_ENTRY_CTLS);
	reset();
	st.cap_entry |= 0x00000C00ULL << 32;
	st.entry_ctls |= 0x400U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_ENTRY_SMM);
	st.entry_ctls = (st.entry_ctls & ~0x400U) | 0x800U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_ENTRY_SMM);
}

static void entry_host(void)
{
	reset();
	st.host_cr0 &= ~0x20ULL;         /* NE is fixed to 1 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CR0_FIXED);
	reset();
	st.host_cr0 |= 0x100000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CR0_FIXED);
	reset();
	st.host_cr4 &= ~0x2000ULL;       /* VMXE */
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CR4_FIXED);
	reset();
	st.host_cr3 = 0x400000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CR3);
	reset();
	st.host_sysenter_eip = 0x0000800000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_SYSENTER);
	reset();
	st.host_efer |= 0x2ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_EFER_RSVD);
	st.exit_ctls &= ~VMM_VMX_EXIT_LOAD_EFER;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.host_efer &= ~VMM_VMX_EFER_LMA;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_EFER_LMA_LME);
	reset();
	st.host_ds_sel = 0x3U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_SEL_RPL_TI);
	reset();
	st.host_tr_sel = 0x44U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_SEL_RPL_TI);
	reset();
	st.host_cs_sel = 0U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CS_NONZERO);
	reset();
	st.host_tr_sel = 0U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_TR_NONZERO);
	reset();
	st.host_idtr_base = 0xFFFF7FFFFFFFFFFFULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_BASE_CANONICAL);
	reset();
	st.host_cr4 &= ~VMM_VMX_CR4_PAE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CR4_PAE);
	reset();
	st.host_rip = 0x8000000000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_RIP);
	st.host_rip = 0x00007FFFFFFFFFFFULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
}

static void entry_guest_regs(void)
{
	reset();
	st.guest_cr0 &= ~0x20ULL;        /* NE */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CR0_FIXED);
	reset();
	st.guest_cr0 |= 0x100000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CR0_FIXED);
	reset();
	/* CD and NW are never checked, even outside FIXED1. */
	st.cr0_fixed1 = 0x9FFFFFFFULL;
	st.guest_cr0 |= 0x60000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.guest_cr4 &= ~0x2000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CR4_FIXED);
	reset();
	st.guest_cr3 = 0x0000400000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CR3);
	reset();
	st.guest_dr7 = 0x100000400ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_DR7);
	reset();
	st.guest_sysenter_esp = 0x1000000000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SYSENTER);
	reset();
	st.guest_cr4 &= ~VMM_VMX_CR4_PAE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_IA32E_PG_PAE);
	reset();
	st.entry_ctls &= ~VMM_VMX_ENTRY_IA32E;
	st.guest_cr4 |= VMM_VMX_CR4_PCIDE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_PCIDE);
	reset();
	st.guest_efer |= 0x200ULL;       /* bit 9: reserved */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_EFER_RSVD);
	reset();
	st.guest_efer &= ~VMM_VMX_EFER_LMA;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_EFER_LMA);
	reset();
	st.guest_efer &= ~VMM_VMX_EFER_LME;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_EFER_LME);
	/* Without "load IA32_EFER" none of the EFER rules applies. */
	st.entry_ctls &= ~VMM_VMX_ENTRY_LOAD_EFER;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
}

static void entry_cs(void)
{
	reset();
	st.cs.base = 0x100000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_BASE);
	reset();
	st.cs.access_rights = (st.cs.access_rights & ~0xFU) | 0x1U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_TYPE);
	reset();
	st.cs.access_rights &= ~VMM_VMX_AR_S;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_S);
	reset();
	st.cs.access_rights |= 0x60U;    /* DPL 3 != SS.DPL 0 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_DPL);
	st.cs.access_rights |= 0x4U;     /* conforming: 3 > 0 still bad */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_DPL);
	reset();
	st.cs.access_rights &= ~VMM_VMX_AR_P;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_P);
	reset();
	st.cs.access_rights |= 0x100U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_RSVD_11_8);
	reset();
	st.cs.access_rights |= VMM_VMX_AR_DB;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_DB);
	reset();
	st.cs.limit = 0xFFFFEU;          /* low 12 bits not all 1, G = 1 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_G);
	reset();
	st.cs.access_rights &= ~VMM_VMX_AR_G;   /* limit >= 1 MiB, G = 0 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_G);
	reset();
	st.cs.access_rights |= 0x20000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_CS_RSVD_31_17);
}

static void entry_ss(void)
{
	reset();
	st.ss.base = 0x100000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_BASE);
	st.ss.access_rights |= VMM_VMX_AR_UNUSABLE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.ss.access_rights = (st.ss.access_rights & ~0xFU) | 0x1U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_TYPE);
	reset();
	st.ss.access_rights &= ~VMM_VMX_AR_S;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_S);
	reset();
	/* Real mode: SS.DPL must be 0, usable or not. */
	st.entry_ctls &= ~(VMM_VMX_ENTRY_IA32E | VMM_VMX_ENTRY_LOAD_EFER);
	st.guest_cr0 = 0x30ULL;
	st.guest_rip = 0U;
	st.ss.access_rights = 0x100F3U;  /* unusable, DPL 3 */
	st.cs.access_rights = 0xC093U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_DPL);
	reset();
	st.ss.access_rights &= ~VMM_VMX_AR_P;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_P);
	reset();
	st.ss.access_rights |= 0x800U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_RSVD_11_8);
	reset();
	st.ss.limit = 0x0FFFFEU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_G);
	reset();
	st.ss.access_rights |= 0x80000000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_SS_RSVD_31_17);
}

/* The seven data-segment rules, for @g whose first rule is @first. */
static void dseg_rules(struct vmm_vmx_segment *g, vmm_u32 first, int canon)
{
	reset();
	g->access_rights = 0xC093U;
	g->limit = 0xFFFFFFFFU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	g->base = canon ? 0x0000800000000000ULL : 0x100000000ULL;
	CHECK_EQ(check(), first + 0U);
	/* Unusable: DS/ES base not checked; FS/GS base always. */
	g->access_rights |= VMM_VMX_AR_UNUSABLE;
	CHECK_EQ(check(), canon ? first + 0U : (vmm_u32)VMM_VMX_ENTRY_OK);
	g->base = 0U;
	g->access_rights = 0xC092U;      /* not accessed */
	CHECK_EQ(check(), first + 1U);
	g->access_rights = 0xC09BU & ~0x2U;     /* code, not readable */
	CHECK_EQ(check(), first + 1U);
	g->access_rights = 0xC09BU;      /* readable code is fine */
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	g->access_rights = 0xC083U;
	CHECK_EQ(check(), first + 2U);
	g->access_rights = 0xC013U;
	CHECK_EQ(check(), first + 3U);
	g->access_rights = 0xC493U;
	CHECK_EQ(check(), first + 4U);
	g->access_rights = 0x4093U;
	CHECK_EQ(check(), first + 5U);
	g->access_rights = 0x4C093U;
	CHECK_EQ(check(), first + 6U);
	/* Every one of them is skipped when unusable. */
	g->access_rights = 0x1C013U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
}

static void entry_data_segments(void)
{
	dseg_rules(&st.ds, VMM_VMX_ENTRY_GUEST_DS_BASE, 0);
	dseg_rules(&st.es, VMM_VMX_ENTRY_GUEST_ES_BASE, 0);
	dseg_rules(&st.fs, VMM_VMX_ENTRY_GUEST_FS_BASE, 1);
	dseg_rules(&st.gs, VMM_VMX_ENTRY_GUEST_GS_BASE, 1);
}

static void entry_tr(void)
{
	reset();
	st.tr.selector |= VMM_VMX_SEL_TI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_SEL_TI);
	reset();
	st.tr.base = 0x0000800000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_BASE);
	reset();
	st.tr.access_rights = 0x83U;     /* 16-bit TSS in IA-32e mode */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_TYPE);
	st.tr.access_rights = 0x89U;     /* available, not busy */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_TYPE);
	reset();
	st.tr.access_rights |= VMM_VMX_AR_S;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_S);
	reset();
	st.tr.access_rights &= ~VMM_VMX_AR_P;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_P);
	reset();
	st.tr.access_rights |= 0x200U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_RSVD_11_8);
	reset();
	st.tr.access_rights |= VMM_VMX_AR_G;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_G);
	reset();
	st.tr.access_rights |= VMM_VMX_AR_UNUSABLE;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_UNUSABLE);
	reset();
	st.tr.access_rights |= 0x100000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_TR_RSVD_31_17);
}

static void entry_ldtr(void)
{
	reset();
	/* Unusable: anything goes. */
	st.ldtr.selector = 0xFFFFU;
	st.ldtr.base = 0x0000800000000000ULL;
	st.ldtr.access_rights = 0xFFFFFFFFU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	set_seg(&st.ldtr, 0x28U, 0xFFFFFE0000004000ULL, 0xFFFU, 0x82U);
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	st.ldtr.selector |= VMM_VMX_SEL_TI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_SEL_TI);
	st.ldtr.selector = 0x28U;
	st.ldtr.base = 0x0080000000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_BASE);
	st.ldtr.base = 0U;
	st.ldtr.access_rights = 0x83U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_TYPE);
	st.ldtr.access_rights = 0x92U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_S);
	st.ldtr.access_rights = 0x02U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_P);
	st.ldtr.access_rights = 0xF82U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_RSVD_11_8);
	st.ldtr.limit = 0xFFEU;
	st.ldtr.access_rights = 0x8082U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_G);
	st.ldtr.access_rights = 0x20082U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LDTR_RSVD_31_17);
}

static void entry_desc_rip_rflags(void)
{
	reset();
	st.guest_gdtr_base = 0x0000800000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_GDTR_BASE);
	reset();
	st.guest_idtr_base = 0xFFFF000000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_IDTR_BASE);
	reset();
	st.guest_gdtr_limit = 0x10000U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_GDTR_LIMIT);
	reset();
	st.guest_idtr_limit = 0xFFFFFFFFU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_IDTR_LIMIT);
	reset();
	/* Compatibility mode (L = 0): RIP bits 63:32 must be 0. */
	st.cs.access_rights = 0xC09BU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RIP_HIGH);
	st.guest_rip = 0xFFFFFFFFULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.guest_rip = 0x0000800000000000ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RIP_CANONICAL);
	reset();
	st.guest_rflags = 0x200ULL;      /* bit 1 clear */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_RSVD);
	st.guest_rflags = 0x20AULL;      /* bit 3 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_RSVD);
	st.guest_rflags = 0x400202ULL;   /* bit 22 */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_RSVD);
	reset();
	st.guest_rflags |= VMM_VMX_RFLAGS_VM;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_VM);
	/* Protected mode, not IA-32e: the SDM allows v8086, lamina not. */
	st.entry_ctls &= ~(VMM_VMX_ENTRY_IA32E | VMM_VMX_ENTRY_LOAD_EFER);
	st.guest_cr0 = 0x00000031ULL;
	st.guest_rip = 0U;
	st.cs.access_rights = 0xC09BU;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_VM_LAMINA);
	reset();
	st.entry_intr_info = VMM_VMX_INTR_INFO_VALID | 0x20U;
	st.guest_rflags = 0x2ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_RFLAGS_IF_INJECT);
	st.entry_intr_info |= 0x300U;    /* an exception: IF not needed */
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
}

static void entry_nonreg(void)
{
	reset();
	st.guest_activity_state = 4U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE);
	st.guest_activity_state = VMM_VMX_ACTIVITY_SHUTDOWN;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	st.cap_misc = 0x140ULL;          /* shutdown not supported */
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE);
	reset();
	st.guest_activity_state = VMM_VMX_ACTIVITY_HLT;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	st.ss.access_rights |= 0x60U;
	st.cs.access_rights |= 0x60U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_ACTIVITY_HLT_SS_DPL);
	reset();
	st.guest_activity_state = VMM_VMX_ACTIVITY_HLT;
	st.guest_interruptibility = VMM_VMX_INTR_MOV_SS;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_ACTIVITY_BLOCKING);
	reset();
	st.guest_interruptibility = 0x20U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_RSVD);
	reset();
	st.guest_interruptibility = VMM_VMX_INTR_STI | VMM_VMX_INTR_MOV_SS;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_STI_MOVSS);
	reset();
	st.guest_interruptibility = VMM_VMX_INTR_STI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	st.guest_rflags = 0x2ULL;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_STI_IF);
	reset();
	st.guest_interruptibility = VMM_VMX_INTR_SMI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_SMI);
	reset();
	st.entry_intr_info = VMM_VMX_INTR_INFO_VALID | 0x30U;
	st.guest_interruptibility = VMM_VMX_INTR_STI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_INJECT_EXT);
	reset();
	st.entry_intr_info = VMM_VMX_INTR_INFO_VALID | VMM_VMX_INTR_TYPE_NMI |
			     2U;
	st.guest_interruptibility = VMM_VMX_INTR_MOV_SS;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_INTR_INJECT_NMI);
	st.guest_interruptibility = VMM_VMX_INTR_STI;
	CHECK_EQ(check(), VMM_VMX_ENTRY_OK);
	reset();
	st.guest_link_pointer = 0U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_LINK_POINTER);
}

static void entry_first_failure_wins(void)
{
	reset();
	st.guest_link_pointer = 0U;
	st.host_cs_sel = 0U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_HOST_CS_NONZERO);
	reset();
	st.gs.access_rights = 0xC013U;
	st.ds.access_rights = 0xC012U;
	CHECK_EQ(check(), VMM_VMX_ENTRY_GUEST_DS_TYPE);
	reset();
	st.phys_addr_bits = 0U;
	st.eptp = VMM_U64_MAX;
	CHECK_EQ(check(), VMM_VMX_ENTRY_PHYS_ADDR_BITS);
}

static const struct tap_case cases[] = {
	TAP_CASE(info_null),
	TAP_CASE(info_every_table_entry),
	TAP_CASE(info_decodes),
	TAP_CASE(info_rejects),
	TAP_CASE(access_widths),
	TAP_CASE(access_read_only),
	TAP_CASE(entry_null),
	TAP_CASE(entry_legal_long_mode),
	TAP_CASE(entry_legal_real_mode),
	TAP_CASE(entry_inputs),
	TAP_CASE(entry_exec_controls),
	TAP_CASE(entry_eptp_exit_entry),
	TAP_CASE(entry_host),
	TAP_CASE(entry_guest_regs),
	TAP_CASE(entry_cs),
	TAP_CASE(entry_ss),
	TAP_CASE(entry_data_segments),
	TAP_CASE(entry_tr),
	TAP_CASE(entry_ldtr),
	TAP_CASE(entry_desc_rip_rflags),
	TAP_CASE(entry_nonreg),
	TAP_CASE(entry_first_failure_wins),
};

int main(void)
{
	return tap_run("unit/vmcs", cases, TAP_COUNT(cases));
}
