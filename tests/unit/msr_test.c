// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 12: the MSR set and the rules of each
 * MSR.  One case per rule with the values at its edges, NULL inputs, and
 * a parity case: module/msr.c's rules as they were before the layer
 * (kernel-style bit tricks, transcribed below as ref_*) against the
 * layer, on every index of the set and its neighbours, with edge and
 * pseudo-random values, for the guest and for userspace.
 */
#include <string.h>

#include <libvmm/msr.h>

#include "tap.h"

static struct vmm_msr_state st;
static struct vmm_msr_ctx ctx;

static void reset(int bsp)
{
	memset(&st, 0xa5, sizeof(st));
	vmm_msr_reset(&st, bsp);
	memset(&ctx, 0, sizeof(ctx));
	ctx.maxphyaddr = 40U;
}

static enum vmm_msr_action wr(vmm_u32 index, vmm_u64 v, vmm_u64 *out)
{
	vmm_u64 dummy = 0;

	return vmm_msr_write(&st, &ctx, index, v, out ? out : &dummy);
}

static enum vmm_msr_action rd(vmm_u32 index, vmm_u64 *out)
{
	return vmm_msr_read(&st, &ctx, index, out);
}

static void null_inputs(void)
{
	vmm_u64 v = 7;
	vmm_u32 list[VMM_MSR_LIST_LEN];

	reset(1);
	CHECK_EQ(vmm_msr_read(NULL, &ctx, VMM_MSR_TSC, &v), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_read(&st, NULL, VMM_MSR_TSC, &v), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_read(&st, &ctx, VMM_MSR_TSC, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_write(NULL, &ctx, VMM_MSR_PAT, 0, &v), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_write(&st, NULL, VMM_MSR_PAT, 0, &v), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_write(&st, &ctx, VMM_MSR_PAT, 0, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(v, 7);
	CHECK_EQ(vmm_msr_efer_write(~0ULL, 0, 0, 0, 0, NULL), VMM_MSR_ACT_REFUSE);
	vmm_msr_reset(NULL, 1);	/* must not crash */
	CHECK_EQ(vmm_msr_index_list(NULL, 100), VMM_MSR_LIST_LEN);
	list[0] = 0xdead;
	CHECK_EQ(vmm_msr_index_list(list, VMM_MSR_LIST_LEN - 1), VMM_MSR_LIST_LEN);
	CHECK_EQ(list[0], 0xdead);	/* too short: nothing written */
}

static void reset_values(void)
{
	unsigned int i;

	reset(1);
	CHECK_EQ(st.misc_enable, 0x1800);
	CHECK_EQ(st.ucode_rev, 0x100000000ULL);
	CHECK_EQ(st.apic_base, 0xfee00900ULL);
	CHECK_EQ(st.mtrr_def_type, 0);
	for (i = 0; i < VMM_MSR_MTRR_VAR_MSRS; i++)
		CHECK_EQ(st.mtrr_var[i], 0);
	for (i = 0; i < VMM_MSR_MTRR_FIXED; i++)
		CHECK_EQ(st.mtrr_fixed[i], 0);
	reset(0);
	CHECK_EQ(st.apic_base, 0xfee00800ULL);
	CHECK_EQ(vmm_msr_apic_base_reset(1), 0xfee00900ULL);
	CHECK_EQ(vmm_msr_apic_base_reset(0), 0xfee00800ULL);
	CHECK_EQ(vmm_msr_efer_allowed(1), 0xd01);
	CHECK_EQ(vmm_msr_efer_allowed(0), 0x501);
	CHECK(vmm_msr_batch_ok(0));
	CHECK(vmm_msr_batch_ok(255));
	CHECK(!vmm_msr_batch_ok(256));
	CHECK(!vmm_msr_batch_ok(0xffffffffU));
}

/* The list of KVM_GET_MSR_INDEX_LIST, as module/msr.c built it. */
static const vmm_u32 old_list[VMM_MSR_LIST_LEN] = {
	0xc0000080, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,
	0xc0000102, 0xc0000100, 0xc0000101, 0x174, 0x175, 0x176, 0x277,
	0x10, 0x1a0, 0xfe, 0x2ff,
	0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207,
	0x208, 0x209, 0x20a, 0x20b, 0x20c, 0x20d, 0x20e, 0x20f,
	0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d,
	0x26e, 0x26f,
	0x1b, 0x8b,
};

static void index_list(void)
{
	vmm_u32 list[VMM_MSR_LIST_LEN + 1];
	vmm_u64 v;
	unsigned int i, j;

	reset(1);
	list[VMM_MSR_LIST_LEN] = 0xdead;
	CHECK_EQ(vmm_msr_index_list(list, VMM_MSR_LIST_LEN + 1),
		 VMM_MSR_LIST_LEN);
	CHECK_EQ(list[VMM_MSR_LIST_LEN], 0xdead);
	for (i = 0; i < VMM_MSR_LIST_LEN; i++) {
		CHECK_EQ(list[i], old_list[i]);
		for (j = 0; j < i; j++)
			CHECK(list[i] != list[j]);
		/* Every listed MSR can be read (TSC_DEADLINE is not listed). */
		CHECK(rd(list[i], &v) != VMM_MSR_ACT_REFUSE);
	}
}

static void unknown_msrs(void)
{
	static const vmm_u32 unknown[] = {
		0, 0x11, 0x1a, 0x1c, 0x3a, 0x48, 0x8a, 0xfd, 0xff, 0x173,
		0x177, 0x19a, 0x1a1, 0x1ff, 0x210, 0x24f, 0x251, 0x257,
		0x25a, 0x267, 0x270, 0x276, 0x278, 0x2fe, 0x300, 0x6df,
		0x6e1, 0x800, 0x4b564cff, 0x4b564d02, 0x4b564d03,
		0xc000007f, 0xc0000085, 0xc00000ff, 0xc0000103,
		0xc0010011, 0xc0010114, 0xc0011023, 0xffffffff,
	};
	unsigned int i;
	vmm_u64 v, out;

	reset(1);
	for (ctx.host = 0; ctx.host <= 1; ctx.host++) {
		for (i = 0; i < TAP_COUNT(unknown); i++) {
			v = 1;
			CHECK_EQ(rd(unknown[i], &v), VMM_MSR_ACT_REFUSE);
			CHECK_EQ(v, 0);
			CHECK_EQ(wr(unknown[i], 0, &out), VMM_MSR_ACT_REFUSE);
		}
		/* MTRRcap is read-only. */
		CHECK_EQ(rd(VMM_MSR_MTRRCAP, &v), VMM_MSR_ACT_DONE);
		CHECK_EQ(v, 0x508);
		CHECK_EQ(wr(VMM_MSR_MTRRCAP, 0x508, &out), VMM_MSR_ACT_REFUSE);
	}
}

static void backend_msrs(void)
{
	static const vmm_u32 any[] = { VMM_MSR_STAR, VMM_MSR_SYSENTER_CS };
	static const vmm_u32 canon[] = {
		VMM_MSR_LSTAR, VMM_MSR_CSTAR, VMM_MSR_KERNEL_GS_BASE,
		VMM_MSR_FS_BASE, VMM_MSR_GS_BASE,
	};
	unsigned int i;
	vmm_u64 out, v;

	reset(1);
	for (i = 0; i < TAP_COUNT(any); i++) {
		CHECK_EQ(rd(any[i], &v), VMM_MSR_ACT_BACKEND);
		CHECK_EQ(wr(any[i], ~0ULL, &out), VMM_MSR_ACT_BACKEND);
		CHECK_EQ(out, ~0ULL);
	}
	for (i = 0; i < TAP_COUNT(canon); i++) {
		CHECK_EQ(rd(canon[i], &v), VMM_MSR_ACT_BACKEND);
		CHECK_EQ(wr(canon[i], 0x00007fffffffffffULL, &out),
			 VMM_MSR_ACT_BACKEND);
		CHECK_EQ(out, 0x00007fffffffffffULL);
		CHECK_EQ(wr(canon[i], 0xffff800000000000ULL, &out),
			 VMM_MSR_ACT_BACKEND);
		CHECK_EQ(wr(canon[i], 0x0000800000000000ULL, &out),
			 VMM_MSR_ACT_REFUSE);
		CHECK_EQ(wr(canon[i], 0xfff0000000000000ULL, &out),
			 VMM_MSR_ACT_REFUSE);
		CHECK_EQ(wr(canon[i], 0x8000000000000000ULL, &out),
			 VMM_MSR_ACT_REFUSE);
	}
	/* SYSCALL_MASK: bits 63:32 reserved. */
	CHECK_EQ(wr(VMM_MSR_SYSCALL_MASK, 0xffffffffULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(wr(VMM_MSR_SYSCALL_MASK, 0x100000000ULL, &out),
		 VMM_MSR_ACT_REFUSE);
	/* SYSENTER_ESP/EIP: made canonical. */
	CHECK_EQ(wr(VMM_MSR_SYSENTER_ESP, 0x0000800000001234ULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0xffff800000001234ULL);
	CHECK_EQ(wr(VMM_MSR_SYSENTER_EIP, 0x1234800000001234ULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0xffff800000001234ULL);
	CHECK_EQ(wr(VMM_MSR_SYSENTER_EIP, 0x1234000000001234ULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0x0000000000001234ULL);
	/* PAT: entries 0, 1, 4, 5, 6, 7 only. */
	CHECK_EQ(wr(VMM_MSR_PAT, 0x0007040600070406ULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(wr(VMM_MSR_PAT, 0x0706050401000100ULL, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(wr(VMM_MSR_PAT, 0x0200000000000000ULL, &out),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_PAT, 0x0000000000000003ULL, &out),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_PAT, 0x0000000000080000ULL, &out),
		 VMM_MSR_ACT_REFUSE);
	/* EFER goes to vmm_msr_efer_write(). */
	CHECK_EQ(wr(VMM_MSR_EFER, 0x12345, &out), VMM_MSR_ACT_EFER);
	CHECK_EQ(out, 0x12345);
	CHECK_EQ(rd(VMM_MSR_EFER, &v), VMM_MSR_ACT_BACKEND);
	/* TSC: the module's arithmetic. */
	CHECK_EQ(wr(VMM_MSR_TSC, 99, &out), VMM_MSR_ACT_TSC);
	CHECK_EQ(out, 99);
	CHECK_EQ(rd(VMM_MSR_TSC, &v), VMM_MSR_ACT_TSC);
}

static void efer(void)
{
	vmm_u64 nx = vmm_msr_efer_allowed(1), no_nx = vmm_msr_efer_allowed(0);
	vmm_u64 out;

	CHECK_EQ(vmm_msr_efer_write(nx, 0, 0x801, 0, 0, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0x801);
	CHECK_EQ(vmm_msr_efer_write(no_nx, 0, 0x801, 0, 0, &out),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_efer_write(nx, 0, 0x1000, 0, 1, &out),
		 VMM_MSR_ACT_REFUSE);	/* SVME is never the guest's */
	/* LMA is kept from the current value. */
	CHECK_EQ(vmm_msr_efer_write(nx, 0x500, 0x101, 1, 0, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0x501);
	CHECK_EQ(vmm_msr_efer_write(nx, 0x100, 0x501, 0, 0, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0x101);
	/* LME while paging: the guest may not change it, userspace may. */
	CHECK_EQ(vmm_msr_efer_write(nx, 0x500, 0x001, 1, 0, &out),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_efer_write(nx, 0x000, 0x100, 1, 0, &out),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(vmm_msr_efer_write(nx, 0x500, 0x001, 1, 1, &out),
		 VMM_MSR_ACT_BACKEND);
	CHECK_EQ(out, 0x401);
	CHECK_EQ(vmm_msr_efer_write(nx, 0x000, 0x100, 0, 0, &out),
		 VMM_MSR_ACT_BACKEND);
}

static void misc_enable(void)
{
	vmm_u64 v;

	reset(1);
	CHECK_EQ(rd(VMM_MSR_MISC_ENABLE, &v), VMM_MSR_ACT_DONE);
	CHECK_EQ(v, 0x1800);
	/* The guest: PEBS/BTS_UNAVAIL fixed, EMON dropped. */
	CHECK_EQ(wr(VMM_MSR_MISC_ENABLE, 0x0800, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_MISC_ENABLE, 0x1000, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.misc_enable, 0x1800);
	CHECK_EQ(wr(VMM_MSR_MISC_ENABLE, 0x1881, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.misc_enable, 0x1801);
	/* Userspace sets anything, EMON included. */
	ctx.host = 1;
	CHECK_EQ(wr(VMM_MSR_MISC_ENABLE, 0x80, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.misc_enable, 0x80);
	ctx.host = 0;
	CHECK_EQ(wr(VMM_MSR_MISC_ENABLE, 0x0, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.misc_enable, 0x80);
}

/* A distinct valid fixed-range MTRR value per list position. */
static vmm_u64 fixed_val(unsigned int i)
{
	static const vmm_u64 types[] = { 0, 1, 4, 5, 6 };

	return 0x0605040100060000ULL | types[i % 5] << 8 |
	       types[(i / 5) % 5];
}

static void mtrrs(void)
{
	vmm_u64 v;
	unsigned int i;

	reset(1);
	/* MTRRdefType: type, FE, E; the rest reserved. */
	CHECK_EQ(wr(VMM_MSR_MTRR_DEF_TYPE, 0xc06, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.mtrr_def_type, 0xc06);
	CHECK_EQ(wr(VMM_MSR_MTRR_DEF_TYPE, 0x106, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_MTRR_DEF_TYPE, 0x2, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_MTRR_DEF_TYPE, 0x7, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.mtrr_def_type, 0xc06);
	CHECK_EQ(rd(VMM_MSR_MTRR_DEF_TYPE, &v), VMM_MSR_ACT_DONE);
	CHECK_EQ(v, 0xc06);
	/* Variable: PHYSBASE (even), PHYSMASK (odd), MAXPHYADDR 40. */
	CHECK_EQ(wr(0x200, 0xff00000006ULL, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.mtrr_var[0], 0xff00000006ULL);
	CHECK_EQ(wr(0x200, 0x10000000006ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x200, 0x0000000106ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x200, 0x0000000003ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.mtrr_var[0], 0xff00000006ULL);
	CHECK_EQ(wr(0x20f, 0xfffffff800ULL, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.mtrr_var[15], 0xfffffff800ULL);
	CHECK_EQ(wr(0x20f, 0xfffffff801ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x20f, 0x1fffffff800ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(rd(0x20f, &v), VMM_MSR_ACT_DONE);
	CHECK_EQ(v, 0xfffffff800ULL);
	ctx.maxphyaddr = 64;	/* no address bit reserved */
	CHECK_EQ(wr(0x201, 0xfffffffffffff800ULL, NULL), VMM_MSR_ACT_DONE);
	ctx.maxphyaddr = 0;	/* every address bit reserved */
	CHECK_EQ(wr(0x201, 0x800ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x201, 0ULL, NULL), VMM_MSR_ACT_DONE);
	ctx.maxphyaddr = 40;
	/* Fixed: 8 types, each UC, WC, WT, WP or WB; list order = slots. */
	for (i = 32; i < 43; i++) {
		CHECK_EQ(wr(old_list[i], fixed_val(i), NULL), VMM_MSR_ACT_DONE);
		CHECK_EQ(rd(old_list[i], &v), VMM_MSR_ACT_DONE);
		CHECK_EQ(v, fixed_val(i));
		CHECK_EQ(st.mtrr_fixed[i - 32], fixed_val(i));
	}
	CHECK_EQ(wr(0x26f, 0x0700000000000000ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x250, 0x0000000000000002ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(0x259, 0x0000000000001000ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.mtrr_fixed[10], fixed_val(42));
}

static void apic_base(void)
{
	reset(1);
	/* Reserved: bits 7:0, 9, at or above MAXPHYADDR. */
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00801ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00a00ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0x10000000800ULL, NULL),
		 VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.apic_base, 0xfee00900ULL);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfed00900ULL, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.apic_base, 0xfed00900ULL);
	/* EXTD needs x2APIC in CPUID, and EN. */
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00d00ULL, NULL), VMM_MSR_ACT_REFUSE);
	ctx.x2apic = 1;
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00500ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00d00ULL, NULL), VMM_MSR_ACT_DONE);
	/* x2APIC -> xAPIC: not for the guest, fine for userspace. */
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00900ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.apic_base, 0xfee00d00ULL);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00100ULL, NULL), VMM_MSR_ACT_DONE);
	/* disabled -> x2APIC: not for the guest either. */
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00d00ULL, NULL), VMM_MSR_ACT_REFUSE);
	ctx.host = 1;
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00d00ULL, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00900ULL, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(wr(VMM_MSR_APIC_BASE, 0xfee00500ULL, NULL), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(st.apic_base, 0xfee00900ULL);
}

static void others(void)
{
	static const vmm_u32 platform[] = {
		0xc0010010, 0xc0010112, 0xc0010113, 0xc0010055, 0xc001001f,
		0xc0010058, 0xc001102a, 0x199, 0xc0011022, 0xc001102c,
	};
	struct vmm_msr_state before;
	vmm_u64 v, out;
	unsigned int i;

	reset(1);
	/* UCODE_REV: userspace sets it, a guest write is dropped. */
	CHECK_EQ(wr(VMM_MSR_UCODE_REV, 5, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(st.ucode_rev, 0x100000000ULL);
	ctx.host = 1;
	CHECK_EQ(wr(VMM_MSR_UCODE_REV, 5, NULL), VMM_MSR_ACT_DONE);
	CHECK_EQ(rd(VMM_MSR_UCODE_REV, &v), VMM_MSR_ACT_DONE);
	CHECK_EQ(v, 5);
	ctx.host = 0;
	/* TSC_DEADLINE: only with the LAPIC and the CPUID bit. */
	CHECK_EQ(rd(VMM_MSR_TSC_DEADLINE, &v), VMM_MSR_ACT_REFUSE);
	CHECK_EQ(wr(VMM_MSR_TSC_DEADLINE, 1, &out), VMM_MSR_ACT_REFUSE);
	ctx.tsc_deadline = 1;
	CHECK_EQ(rd(VMM_MSR_TSC_DEADLINE, &v), VMM_MSR_ACT_TSC_DEADLINE);
	CHECK_EQ(wr(VMM_MSR_TSC_DEADLINE, 1234, &out),
		 VMM_MSR_ACT_TSC_DEADLINE);
	CHECK_EQ(out, 1234);
	/* Platform MSRs: 0, writes dropped; kvmclock: kvmclock's. */
	memcpy(&before, &st, sizeof(st));
	for (i = 0; i < TAP_COUNT(platform); i++) {
		v = 1;
		CHECK_EQ(rd(platform[i], &v), VMM_MSR_ACT_DONE);
		CHECK_EQ(v, 0);
		CHECK_EQ(wr(platform[i], ~0ULL, &out), VMM_MSR_ACT_DONE);
	}
	CHECK(memcmp(&before, &st, sizeof(st)) == 0);
	CHECK_EQ(rd(0x4b564d00, &v), VMM_MSR_ACT_KVMCLOCK);
	CHECK_EQ(rd(0x4b564d01, &v), VMM_MSR_ACT_KVMCLOCK);
	CHECK_EQ(wr(0x4b564d01, 0x1001, &out), VMM_MSR_ACT_KVMCLOCK);
	CHECK_EQ(out, 0x1001);
}

/* ---- module/msr.c's rules before the layer, for the parity case ---- */

static int ref_type_ok(vmm_u64 t)
{
	return t < 8 && ((1U << t) & 0x73);
}

static int ref_pat_ok(vmm_u64 v)
{
	if (v & 0xf8f8f8f8f8f8f8f8ULL)
		return 0;
	return (v | ((v & 0x0202020202020202ULL) << 1)) == v;
}

static int ref_fixed_ok(vmm_u64 v)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!ref_type_ok((v >> (8 * i)) & 0xff))
			return 0;
	return 1;
}

static vmm_u64 ref_canon(vmm_u64 v)
{
	return (vmm_u64)(((long long)(v << 16)) >> 16);
}

static int ref_var_ok(vmm_u32 index, vmm_u64 v, vmm_u32 m)
{
	vmm_u64 rsvd = ~0ULL << m;

	if (!(index & 1)) {
		if (!ref_type_ok(v & 0xff))
			return 0;
		rsvd |= 0xf00;
	} else {
		rsvd |= 0x7ff;
	}
	return !(v & rsvd);
}

static int ref_apic_ok(vmm_u64 cur, vmm_u64 v, vmm_u32 m, int x2, int host)
{
	vmm_u64 mode_bits = 0x800 | 0x400;
	vmm_u64 old = cur & mode_bits, new = v & mode_bits;
	vmm_u64 rsvd = (~0ULL << m) | 0x2ff;

	if (!x2)
		rsvd |= 0x400;
	if ((v & rsvd) || new == 0x400)
		return 0;
	if (!host && old == mode_bits && new == 0x800)
		return 0;
	return host || old != 0 || new != mode_bits;
}

/* 1 refused, 0 taken; *out what reaches the backend or the state. */
static int ref_write(vmm_u32 index, vmm_u64 v, int host, vmm_u64 *stored)
{
	vmm_u32 m = ctx.maxphyaddr;

	*stored = v;
	switch (index) {
	case 0xc0000082: case 0xc0000083: case 0xc0000102:
	case 0xc0000100: case 0xc0000101:
		return ref_canon(v) != v;
	case 0xc0000084:
		return (v >> 32) != 0;
	case 0x175: case 0x176:
		*stored = ref_canon(v);
		return 0;
	case 0x277:
		return !ref_pat_ok(v);
	case 0x1a0:
		if (!host) {
			if ((st.misc_enable ^ v) & 0x1800)
				return 1;
			*stored = (v & ~0x80ULL) | (st.misc_enable & 0x80);
		}
		return 0;
	case 0x2ff:
		return (v & ~0xcffULL) || !ref_type_ok(v & 0xff);
	case 0x1b:
		return !ref_apic_ok(st.apic_base, v, m, ctx.x2apic, host);
	default:
		if (index >= 0x200 && index <= 0x20f)
			return !ref_var_ok(index, v, m);
		if (index == 0x250 || index == 0x258 || index == 0x259 ||
		    (index >= 0x268 && index <= 0x26f))
			return !ref_fixed_ok(v);
		return -1;	/* not a value rule: not compared */
	}
}

static vmm_u64 stored_value(vmm_u32 index, vmm_u64 out)
{
	switch (index) {
	case 0x1a0: return st.misc_enable;
	case 0x2ff: return st.mtrr_def_type;
	case 0x1b: return st.apic_base;
	default:
		if (index >= 0x200 && index <= 0x20f)
			return st.mtrr_var[index - 0x200];
		if (index == 0x250)
			return st.mtrr_fixed[0];
		if (index == 0x258)
			return st.mtrr_fixed[1];
		if (index == 0x259)
			return st.mtrr_fixed[2];
		if (index >= 0x268 && index <= 0x26f)
			return st.mtrr_fixed[index - 0x268 + 3];
		return out;	/* backend-held */
	}
}

static vmm_u64 rng_state = 0x9e3779b97f4a7c15ULL;

static vmm_u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A value with few bits set, or few clear: where the rules' edges are. */
static vmm_u64 interesting(unsigned int n)
{
	static const vmm_u64 base[] = {
		0, ~0ULL, 0x0007040600070406ULL, 0x0606060606060606ULL,
		0xfee00900ULL, 0xfee00d00ULL, 0x0000800000000000ULL,
		0xffff800000000000ULL, 0x00007fffffffffffULL, 0xc06,
		0x1800, 0x1880, 0xff00000006ULL, 0xfffffff800ULL,
	};
	vmm_u64 v = base[n % TAP_COUNT(base)];

	switch ((n / TAP_COUNT(base)) % 4) {
	case 0: return v;
	case 1: return v ^ (1ULL << (rng() % 64));
	case 2: return v ^ (rng() & rng() & rng());
	default: return rng();
	}
}

static void parity_with_old_rules(void)
{
	static const vmm_u32 maxphy[] = { 36, 40, 46, 52 };
	unsigned int i, n, k;
	vmm_u64 v, out, want;
	int host, refused, got;

	for (k = 0; k < 4 * TAP_COUNT(maxphy); k++) {
		reset(k & 1);
		ctx.maxphyaddr = maxphy[k % TAP_COUNT(maxphy)];
		ctx.x2apic = (k / 4) & 1;
		for (n = 0; n < 3000; n++) {
			for (i = 0; i < VMM_MSR_LIST_LEN; i++) {
				host = (n + i) & 1;
				v = interesting(n + i);
				refused = ref_write(old_list[i], v, host, &want);
				if (refused < 0)
					continue;
				ctx.host = host;
				got = wr(old_list[i], v, &out);
				CHECK_EQ(got == VMM_MSR_ACT_REFUSE, refused);
				if (!refused && got != VMM_MSR_ACT_REFUSE)
					CHECK_EQ(stored_value(old_list[i], out),
						 want);
			}
		}
	}
}

static const struct tap_case cases[] = {
	TAP_CASE(null_inputs),
	TAP_CASE(reset_values),
	TAP_CASE(index_list),
	TAP_CASE(unknown_msrs),
	TAP_CASE(backend_msrs),
	TAP_CASE(efer),
	TAP_CASE(misc_enable),
	TAP_CASE(mtrrs),
	TAP_CASE(apic_base),
	TAP_CASE(others),
	TAP_CASE(parity_with_old_rules),
};

int main(void)
{
	return tap_run("unit/msr", cases, TAP_COUNT(cases));
}
