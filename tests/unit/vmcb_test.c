// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 3 (AMD): VMRUN consistency checks.
 * Start from a legal 64-bit guest state, break one rule at a time and
 * check the exact enumerator; break two and check the first one wins;
 * check the boundaries of every numeric rule.
 */
#include <string.h>

#include <libvmm/vmcb.h>

#include "tap.h"

static struct vmm_svm_vmrun_state st;

/* A legal long-mode guest, 48 physical-address bits. */
static void reset(void)
{
	memset(&st, 0, sizeof(st));
	st.efer = VMM_SVM_EFER_SVME | VMM_SVM_EFER_LME | VMM_SVM_EFER_LMA |
		  0x1ULL /* SCE */ | 0x800ULL /* NXE */;
	st.cr0 = VMM_SVM_CR0_PG | VMM_SVM_CR0_PE | 0x10ULL /* ET */;
	st.cr3 = 0x0000FFFFFFFFF000ULL;
	st.cr4 = VMM_SVM_CR4_PAE;
	st.dr6 = 0xFFFF0FF0ULL;
	st.dr7 = 0x400ULL;
	st.cs_attrib = 0x29BU | VMM_SVM_SEG_ATTR_L; /* 64-bit code, D=0 */
	st.intercept_misc2 = VMM_SVM_INTERCEPT_VMRUN;
	st.asid = 1U;
	st.msrpm_base_pa = 0x100000ULL;
	st.iopm_base_pa = 0x200000ULL;
	st.event_inj = 0U;
	st.np_ctl = VMM_SVM_NP_ENABLE;
	st.ncr3 = 0x300000ULL;
	st.efer_mbz = ~0x7D01ULL; /* SCE LME LMA NXE SVME LMSLE FFXSR */
	st.cr4_mbz = 0xFF800000ULL;
	st.phys_addr_bits = 48U;
	st.long_mode = 1U;
}

static enum vmm_svm_vmrun_check check(void)
{
	struct vmm_svm_vmrun_state before = st;
	enum vmm_svm_vmrun_check r = vmm_svm_vmrun_check(&st);

	/* The check writes nothing. */
	CHECK(memcmp(&before, &st, sizeof(st)) == 0);
	return r;
}

static void null_state(void)
{
	CHECK_EQ(vmm_svm_vmrun_check(NULL), VMM_SVM_VMRUN_ERR_NULL);
}

static void legal_states(void)
{
	reset();
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	/* Real mode: no long mode, CR3 bits above MAXPHYADDR not MBZ. */
	reset();
	st.efer = VMM_SVM_EFER_SVME;
	st.cr0 = 0x60000010ULL; /* CD NW ET: reset value */
	st.cr3 = 0xFFFFF000ULL;
	st.cr4 = 0U;
	st.cs_attrib = 0x93U | VMM_SVM_SEG_ATTR_DB | VMM_SVM_SEG_ATTR_L;
	st.long_mode = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	/* Compatibility mode: L=0, D=1. */
	reset();
	st.cs_attrib = 0x49BU;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void phys_addr_bits(void)
{
	reset();
	st.phys_addr_bits = 31U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_PHYS_ADDR_BITS);
	st.phys_addr_bits = 53U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_PHYS_ADDR_BITS);
	st.phys_addr_bits = 255U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_PHYS_ADDR_BITS);
	st.phys_addr_bits = 52U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.phys_addr_bits = 32U;
	st.cr3 = 0xFFFFF000ULL;
	st.ncr3 = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void efer_svme(void)
{
	reset();
	st.efer &= ~VMM_SVM_EFER_SVME;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EFER_SVME);
}

static void cr0(void)
{
	reset();
	st.cr0 |= VMM_SVM_CR0_NW;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR0_CD_NW);
	st.cr0 |= VMM_SVM_CR0_CD;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.cr0 &= ~VMM_SVM_CR0_NW;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	reset();
	st.cr0 |= 0x100000000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR0_HIGH);
	st.cr0 = 0x8000000000000000ULL | VMM_SVM_CR0_PE | VMM_SVM_CR0_PG;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR0_HIGH);
}

static void cr3(void)
{
	reset();
	st.cr3 = 0x0001000000000000ULL; /* bit 48 */
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR3_MBZ);
	st.cr3 = 0x0000FFFFFFFFFFFFULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.cr3 = 0x8000000000000000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR3_MBZ);
	/* Not in long mode (PG clear): not checked. */
	st.cr0 &= ~VMM_SVM_CR0_PG;
	st.efer &= ~VMM_SVM_EFER_LMA;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void cr4(void)
{
	reset();
	st.cr4 |= 0x100000000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR4_HIGH);
	reset();
	st.cr4 |= 0x00800000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_CR4_MBZ);
	st.cr4 = VMM_SVM_CR4_PAE | 0x00400000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void debug_regs(void)
{
	reset();
	st.dr6 = 0x1FFFF0FF0ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_DR6_HIGH);
	reset();
	st.dr7 = 0x8000000000000400ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_DR7_HIGH);
	st.dr7 = 0xFFFFFFFFULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void efer(void)
{
	reset();
	st.efer |= 0x2ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EFER_MBZ);
	reset();
	st.long_mode = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EFER_LONG_MODE);
	st.efer = VMM_SVM_EFER_SVME | VMM_SVM_EFER_LMA;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EFER_LONG_MODE);
	st.efer = VMM_SVM_EFER_SVME;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void long_mode_combinations(void)
{
	reset();
	st.cr4 &= ~VMM_SVM_CR4_PAE;
	CHECK_EQ(check(), VMM_SVM_VMRUN_LME_PG_NO_PAE);
	reset();
	st.cr0 &= ~VMM_SVM_CR0_PE;
	CHECK_EQ(check(), VMM_SVM_VMRUN_LME_PG_NO_PE);
	reset();
	st.cs_attrib |= VMM_SVM_SEG_ATTR_DB;
	CHECK_EQ(check(), VMM_SVM_VMRUN_LME_PG_PAE_CS_L_D);
	/* Without LME the same CS is fine. */
	st.efer = VMM_SVM_EFER_SVME;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	/* PG clear: LME with PAE clear is fine. */
	reset();
	st.cr0 &= ~VMM_SVM_CR0_PG;
	st.cr4 = 0U;
	st.cs_attrib |= VMM_SVM_SEG_ATTR_DB;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void vmrun_intercept(void)
{
	reset();
	st.intercept_misc2 = 0xFFFFFFFEU;
	CHECK_EQ(check(), VMM_SVM_VMRUN_VMRUN_INTERCEPT);
}

static void permission_maps(void)
{
	reset();
	/* MSRPM: 8 KiB must end at or below 2^48. */
	st.msrpm_base_pa = 0x0000FFFFFFFFE000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.msrpm_base_pa = 0x0000FFFFFFFFF000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_MSRPM_LIMIT);
	/* Low 12 bits are ignored. */
	st.msrpm_base_pa = 0x0000FFFFFFFFEFFFULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	/* Would wrap 2^64. */
	st.msrpm_base_pa = 0xFFFFFFFFFFFFF000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_MSRPM_LIMIT);
	reset();
	st.iopm_base_pa = 0x0000FFFFFFFFD000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.iopm_base_pa = 0x0000FFFFFFFFE000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_IOPM_LIMIT);
	st.iopm_base_pa = VMM_U64_MAX;
	CHECK_EQ(check(), VMM_SVM_VMRUN_IOPM_LIMIT);
}

static void event_injection(void)
{
	static const vmm_u64 bad_types[] = { 1U, 5U, 6U, 7U };
	static const vmm_u64 good_types[] = { 0U, 2U, 3U, 4U };
	unsigned int i;

	for (i = 0U; i < 4U; i++) {
		reset();
		st.event_inj = VMM_SVM_EVTINJ_VALID | (bad_types[i] << 8) | 14U;
		CHECK_EQ(check(), VMM_SVM_VMRUN_EVENTINJ_TYPE);
		/* Not valid: not checked. */
		st.event_inj &= ~VMM_SVM_EVTINJ_VALID;
		CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
		st.event_inj = VMM_SVM_EVTINJ_VALID | (good_types[i] << 8) | 14U;
		CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	}
	reset();
	st.event_inj = VMM_SVM_EVTINJ_VALID | VMM_SVM_EVTINJ_TYPE_EXCEPTION | 2U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EVENTINJ_VECTOR);
	st.event_inj = VMM_SVM_EVTINJ_VALID | VMM_SVM_EVTINJ_TYPE_NMI | 2U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
	st.event_inj = VMM_SVM_EVTINJ_TYPE_EXCEPTION | 2U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

static void asid_and_nested_paging(void)
{
	reset();
	st.asid = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_ASID_ZERO);
	reset();
	st.np_ctl = 0x6ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_NP_ENABLE);
	reset();
	st.ncr3 = 0x0001000000000000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_NCR3_MBZ);
	st.ncr3 = 0x0000FFFFFFFFF000ULL;
	CHECK_EQ(check(), VMM_SVM_VMRUN_OK);
}

/* Two broken rules: the first in the APM's order is reported. */
static void first_failure_wins(void)
{
	reset();
	st.asid = 0U;
	st.efer &= ~VMM_SVM_EFER_SVME;
	CHECK_EQ(check(), VMM_SVM_VMRUN_EFER_SVME);
	reset();
	st.ncr3 = VMM_U64_MAX;
	st.phys_addr_bits = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_PHYS_ADDR_BITS);
	reset();
	st.intercept_misc2 = 0U;
	st.dr7 = VMM_U64_MAX;
	CHECK_EQ(check(), VMM_SVM_VMRUN_DR7_HIGH);
	reset();
	st.np_ctl = 0U;
	st.asid = 0U;
	CHECK_EQ(check(), VMM_SVM_VMRUN_ASID_ZERO);
}

static const struct tap_case cases[] = {
	TAP_CASE(null_state),
	TAP_CASE(legal_states),
	TAP_CASE(phys_addr_bits),
	TAP_CASE(efer_svme),
	TAP_CASE(cr0),
	TAP_CASE(cr3),
	TAP_CASE(cr4),
	TAP_CASE(debug_regs),
	TAP_CASE(efer),
	TAP_CASE(long_mode_combinations),
	TAP_CASE(vmrun_intercept),
	TAP_CASE(permission_maps),
	TAP_CASE(event_injection),
	TAP_CASE(asid_and_nested_paging),
	TAP_CASE(first_failure_wins),
};

int main(void)
{
	return tap_run("unit/vmcb", cases, TAP_COUNT(cases));
}
