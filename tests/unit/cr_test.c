// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 13: a guest's CR0/CR4 write. The value
 * of CLTS, LMSW and MOV; each CR0 and CR4 rule broken alone (its exact
 * code, the state untouched) and in order (the first one named); what a
 * legal write leaves (ET set, EFER.LMA following paging with LME); NULL.
 */
#include <string.h>

#include <libvmm/cr.h>

#include "tap.h"

#define PE VMM_CR0_PE
#define PG VMM_CR0_PG
#define LME VMM_EFER_LME
#define LMA VMM_EFER_LMA
#define PAE VMM_CR4_PAE

static struct vmm_cr_state st;

static void state(vmm_u64 cr0, vmm_u64 cr4, vmm_u64 efer)
{
	st.cr0 = cr0;
	st.cr4 = cr4;
	st.efer = efer;
}

static void new_value(void)
{
	/* MOV: the GPR as it is, even with reserved bits (checked later). */
	CHECK_EQ(vmm_cr_new_value(VMM_CR_MOV, 0x11, ~0ULL), ~0ULL);
	/* CLTS: CR0 without TS, nothing else. */
	CHECK_EQ(vmm_cr_new_value(VMM_CR_CLTS, 0x8000003BULL, 0x99),
		 0x80000033ULL);
	CHECK_EQ(vmm_cr_new_value(VMM_CR_CLTS, 0x11, 0), 0x11);
	/* LMSW: bits 3:0 from the source, PE never cleared, rest kept. */
	CHECK_EQ(vmm_cr_new_value(VMM_CR_LMSW, 0x80000011ULL, 0xFFFE),
		 0x8000001FULL);
	CHECK_EQ(vmm_cr_new_value(VMM_CR_LMSW, 0x10, 0x1), 0x11);
	CHECK_EQ(vmm_cr_new_value(VMM_CR_LMSW, 0x1F, 0x0), 0x11);
}

static void cr0_null(void)
{
	CHECK_EQ(vmm_cr_write_cr0(NULL, 0x11), VMM_CR_ERR_NULL);
	CHECK_EQ(vmm_cr_write_cr4(NULL, 0, ~0ULL), VMM_CR_ERR_NULL);
}

/* One broken rule: its code, and the state as it was. */
static void cr0_fails(vmm_u64 v, enum vmm_cr_err want)
{
	struct vmm_cr_state before = st;

	CHECK_EQ(vmm_cr_write_cr0(&st, v), want);
	CHECK(!memcmp(&st, &before, sizeof(st)));
}

static void cr0_rules(void)
{
	state(0x11, 0, 0);
	cr0_fails(0x100000011ULL, VMM_CR_ERR_CR0_RESERVED);
	cr0_fails(0x8000000000000011ULL, VMM_CR_ERR_CR0_RESERVED);
	cr0_fails(PG, VMM_CR_ERR_CR0_PG_NO_PE);
	cr0_fails(VMM_CR0_NW | 0x11, VMM_CR_ERR_CR0_NW_NO_CD);
	state(0x11, 0, LME);
	cr0_fails(PG | PE, VMM_CR_ERR_CR0_LONG_NO_PAE);
	/* First failure wins: every rule broken, then all but the first. */
	cr0_fails(0x1A0000000ULL, VMM_CR_ERR_CR0_RESERVED);
	cr0_fails(0xA0000000ULL, VMM_CR_ERR_CR0_PG_NO_PE);
	cr0_fails(0xA0000001ULL, VMM_CR_ERR_CR0_NW_NO_CD);
	/* Legal ones. */
	CHECK_EQ(vmm_cr_write_cr0(&st, VMM_CR0_NW | VMM_CR0_CD), VMM_CR_OK);
	CHECK_EQ(vmm_cr_write_cr0(&st, VMM_CR0_MAX & ~PG), VMM_CR_OK);
	/* PG already on: LME without PAE is not this write's rule. */
	state(0x80000011ULL, 0, LME);
	CHECK_EQ(vmm_cr_write_cr0(&st, PG | PE), VMM_CR_OK);
}

static void cr0_effects(void)
{
	/* ET is hardwired to 1. */
	state(0x11, 0, 0);
	CHECK_EQ(vmm_cr_write_cr0(&st, PE), VMM_CR_OK);
	CHECK_EQ(st.cr0, PE | VMM_CR_CR0_ET);
	CHECK_EQ(st.efer, 0);
	/* Paging on with LME (and PAE): LMA set, other EFER bits kept. */
	state(0x11, PAE, LME | 1);
	CHECK_EQ(vmm_cr_write_cr0(&st, PG | PE), VMM_CR_OK);
	CHECK_EQ(st.cr0, PG | PE | VMM_CR_CR0_ET);
	CHECK_EQ(st.efer, LME | LMA | 1);
	CHECK_EQ(st.cr4, PAE);
	/* Paging off: LMA cleared. */
	CHECK_EQ(vmm_cr_write_cr0(&st, PE), VMM_CR_OK);
	CHECK_EQ(st.efer, LME | 1);
	/* Paging on without LME: LMA stays clear. */
	state(0x11, 0, 0);
	CHECK_EQ(vmm_cr_write_cr0(&st, PG | PE), VMM_CR_OK);
	CHECK_EQ(st.efer, 0);
	/* Paging unchanged: EFER untouched, even a stale LMA. */
	state(0x80000011ULL, PAE, LMA);
	CHECK_EQ(vmm_cr_write_cr0(&st, PG | PE | 8), VMM_CR_OK);
	CHECK_EQ(st.efer, LMA);
}

static void cr4_rules(void)
{
	struct vmm_cr_state before;

	state(0x11, 0, 0);
	before = st;
	CHECK_EQ(vmm_cr_write_cr4(&st, 0x2000, ~0x2000ULL),
		 VMM_CR_ERR_CR4_RESERVED);
	CHECK(!memcmp(&st, &before, sizeof(st)));
	CHECK_EQ(vmm_cr_write_cr4(&st, 1ULL << 63, ~0ULL >> 1),
		 VMM_CR_ERR_CR4_RESERVED);
	CHECK_EQ(vmm_cr_write_cr4(&st, 0x6F0, 0x6F0), VMM_CR_OK);
	CHECK_EQ(st.cr4, 0x6F0);
	CHECK_EQ(vmm_cr_write_cr4(&st, 0, 0), VMM_CR_OK);
	CHECK_EQ(st.cr4, 0);
	/* Long mode cannot leave PAE. */
	state(0x80000011ULL, PAE, LME | LMA);
	before = st;
	CHECK_EQ(vmm_cr_write_cr4(&st, 0, ~0ULL), VMM_CR_ERR_CR4_LMA_NO_PAE);
	CHECK(!memcmp(&st, &before, sizeof(st)));
	/* Both broken: RESERVED first. */
	CHECK_EQ(vmm_cr_write_cr4(&st, 0x2000, 0x20), VMM_CR_ERR_CR4_RESERVED);
	CHECK_EQ(vmm_cr_write_cr4(&st, PAE | 0x80, PAE | 0x80), VMM_CR_OK);
	CHECK_EQ(st.cr4, PAE | 0x80);
	CHECK_EQ(st.cr0, 0x80000011ULL);
	CHECK_EQ(st.efer, LME | LMA);
}

static const struct tap_case cases[] = {
	TAP_CASE(new_value),
	TAP_CASE(cr0_null),
	TAP_CASE(cr0_rules),
	TAP_CASE(cr0_effects),
	TAP_CASE(cr4_rules),
};

int main(void)
{
	return tap_run("unit/cr", cases, TAP_COUNT(cases));
}
