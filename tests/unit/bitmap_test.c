// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 6 (MSR and I/O permission bitmaps):
 * NULL arguments, empty allowlists, range boundaries (0x1FFF, 0xC0000000,
 * 0xC0001FFF, 0xC0010000, ports 0x7FFF/0x8000/0xFFFF), invalid entries
 * (the buffer must stay all-exit), and the exact bits against the SDM/APM
 * layouts, computed here independently of libvmm.
 */
#include <string.h>

#include <libvmm/bitmap.h>

#include "tap.h"

static vmm_u8 vmx_msr[VMM_VMX_MSR_BITMAP_SIZE];
static vmm_u8 svm_msr[VMM_SVM_MSRPM_SIZE];
static vmm_u8 io_a[VMM_VMX_IO_BITMAP_SIZE];
static vmm_u8 io_b[VMM_VMX_IO_BITMAP_SIZE];
static vmm_u8 iopm[VMM_SVM_IOPM_SIZE];

static int bit(const vmm_u8 *bm, unsigned long p)
{
	return (bm[p / 8U] >> (p % 8U)) & 1;
}

static unsigned long count_clear(const vmm_u8 *bm, unsigned long size)
{
	unsigned long p, n = 0;

	for (p = 0; p < 8U * size; p++)
		n += (unsigned long)(bit(bm, p) == 0);
	return n;
}

static int all_ones(const vmm_u8 *bm, unsigned long size)
{
	return count_clear(bm, size) == 0;
}

/* Expected VMX bit (SDM 24.6.9), -1 when the MSR is not mapped. */
static long vmx_pos(vmm_u32 msr, int write)
{
	long base = write ? 0x800L * 8 : 0;

	if (msr <= 0x1FFFU)
		return base + (long)msr;
	if (msr >= 0xC0000000U && msr <= 0xC0001FFFU)
		return base + 0x400L * 8 + (long)(msr - 0xC0000000U);
	return -1;
}

/* Expected SVM bit (APM 15.11), -1 when the MSR is not mapped. */
static long svm_pos(vmm_u32 msr, int write)
{
	long off;

	if (msr <= 0x1FFFU)
		off = 0;
	else if (msr >= 0xC0000000U && msr <= 0xC0001FFFU)
		off = 0x800L * 8 - 2L * 0xC0000000L;
	else if (msr >= 0xC0010000U && msr <= 0xC0011FFFU)
		off = 0x1000L * 8 - 2L * 0xC0010000L;
	else
		return -1;
	return off + 2L * (long)msr + write;
}

static void fill(vmm_u8 *bm, unsigned long size)
{
	memset(bm, 0x5A, size);
}

static void msr_null(void)
{
	struct vmm_msr_allow l[1] = { { 0x10U, VMM_BITMAP_RW } };

	CHECK_EQ(vmm_bitmap_vmx_msr_build(l, 1U, VMM_NULL), VMM_BITMAP_ERR_NULL);
	CHECK_EQ(vmm_bitmap_svm_msr_build(l, 1U, VMM_NULL), VMM_BITMAP_ERR_NULL);
	fill(vmx_msr, sizeof(vmx_msr));
	CHECK_EQ(vmm_bitmap_vmx_msr_build(VMM_NULL, 1U, vmx_msr),
		 VMM_BITMAP_ERR_NULL);
	CHECK(all_ones(vmx_msr, sizeof(vmx_msr)));
	fill(svm_msr, sizeof(svm_msr));
	CHECK_EQ(vmm_bitmap_svm_msr_build(VMM_NULL, 1U, svm_msr),
		 VMM_BITMAP_ERR_NULL);
	CHECK(all_ones(svm_msr, sizeof(svm_msr)));
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(VMM_NULL, 0x10U, 0), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(VMM_NULL, 0x10U, 0), 1);
}

static void msr_empty(void)
{
	fill(vmx_msr, sizeof(vmx_msr));
	CHECK_EQ(vmm_bitmap_vmx_msr_build(VMM_NULL, 0U, vmx_msr), VMM_BITMAP_OK);
	CHECK(all_ones(vmx_msr, sizeof(vmx_msr)));
	/* Every bit of 0xFF (the model's one axiom), byte by byte. */
	CHECK_EQ(vmx_msr[0], 0xFFU);
	CHECK_EQ(vmx_msr[4095], 0xFFU);
	fill(svm_msr, sizeof(svm_msr));
	CHECK_EQ(vmm_bitmap_svm_msr_build(VMM_NULL, 0U, svm_msr), VMM_BITMAP_OK);
	CHECK(all_ones(svm_msr, sizeof(svm_msr)));
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x10U, 0), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC0000080U, 1), 1);
}

static const struct vmm_msr_allow boundaries[] = {
	{ 0x0U, VMM_BITMAP_READ },
	{ 0x1FFFU, VMM_BITMAP_RW },
	{ 0xC0000000U, VMM_BITMAP_WRITE },
	{ 0xC0001FFFU, VMM_BITMAP_RW },
	{ 0x10U, VMM_BITMAP_READ },      /* TSC: reads only ... */
	{ 0x10U, VMM_BITMAP_WRITE },     /* ... duplicate adds writes */
};

static void msr_vmx_boundaries(void)
{
	unsigned int i;
	int w;

	fill(vmx_msr, sizeof(vmx_msr));
	CHECK_EQ(vmm_bitmap_vmx_msr_build(boundaries, TAP_COUNT(boundaries),
					  vmx_msr), VMM_BITMAP_OK);
	/* Exactly the allowed (msr, direction) bits are clear. */
	CHECK_EQ(count_clear(vmx_msr, sizeof(vmx_msr)), 1U + 2U + 1U + 2U + 2U);
	for (i = 0; i < TAP_COUNT(boundaries); i++) {
		for (w = 0; w < 2; w++) {
			vmm_u32 f = boundaries[i].flags;
			int pass = (w == 0) ? (f & 1U) != 0 : (f & 2U) != 0;

			if (pass)
				CHECK_EQ(bit(vmx_msr,
					     (unsigned long)vmx_pos(
						     boundaries[i].msr, w)), 0);
		}
	}
	CHECK_EQ(bit(vmx_msr, 0x0U), 0);                 /* read-low, bit 0 */
	CHECK_EQ(bit(vmx_msr, 0x800U * 8U), 1);          /* write-low 0: exits */
	CHECK_EQ(vmx_msr[0x3FF] & 0x80U, 0U);            /* 0x1FFF read */
	CHECK_EQ(vmx_msr[0xBFF] & 0x80U, 0U);            /* 0x1FFF write */
	CHECK_EQ(vmx_msr[0x400] & 0x01U, 1U);            /* 0xC0000000 read */
	CHECK_EQ(vmx_msr[0xC00] & 0x01U, 0U);            /* 0xC0000000 write */
	CHECK_EQ(vmx_msr[0x7FF] & 0x80U, 0U);            /* 0xC0001FFF read */
	CHECK_EQ(vmx_msr[0xFFF] & 0x80U, 0U);            /* 0xC0001FFF write */
	/* Queries. */
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x10U, 0), 0);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x10U, 1), 0);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x0U, 0), 0);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x0U, 1), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x1FFFU, 1), 0);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x2000U, 0), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0xC0000000U, 0), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0xC0000000U, 7), 0);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0xBFFFFFFFU, 0), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0xC0002000U, 0), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0xC0010000U, 0), 1);
	CHECK_EQ(vmm_bitmap_vmx_msr_intercepted(vmx_msr, 0x11U, 0), 1);
}

static void msr_svm_boundaries(void)
{
	static const struct vmm_msr_allow amd[] = {
		{ 0x1FFFU, VMM_BITMAP_READ },
		{ 0xC0000000U, VMM_BITMAP_RW },
		{ 0xC0001FFFU, VMM_BITMAP_WRITE },
		{ 0xC0010000U, VMM_BITMAP_RW },
		{ 0xC0011FFFU, VMM_BITMAP_READ },
	};
	unsigned int i;
	int w;

	fill(svm_msr, sizeof(svm_msr));
	CHECK_EQ(vmm_bitmap_svm_msr_build(amd, TAP_COUNT(amd), svm_msr),
		 VMM_BITMAP_OK);
	CHECK_EQ(count_clear(svm_msr, sizeof(svm_msr)), 1U + 2U + 1U + 2U + 1U);
	for (i = 0; i < TAP_COUNT(amd); i++) {
		for (w = 0; w < 2; w++) {
			int pass = (w == 0) ? (amd[i].flags & 1U) != 0
					    : (amd[i].flags & 2U) != 0;

			CHECK_EQ(bit(svm_msr,
				     (unsigned long)svm_pos(amd[i].msr, w)),
				 !pass);
		}
	}
	CHECK_EQ(svm_msr[0x7FF], 0xFFU ^ 0x40U);         /* 0x1FFF read */
	CHECK_EQ(svm_msr[0x800], 0xFFU ^ 0x03U);         /* 0xC0000000 rw */
	CHECK_EQ(svm_msr[0xFFF], 0xFFU ^ 0x80U);         /* 0xC0001FFF write */
	CHECK_EQ(svm_msr[0x1000], 0xFFU ^ 0x03U);        /* 0xC0010000 rw */
	CHECK_EQ(svm_msr[0x17FF], 0xFFU ^ 0x40U);        /* 0xC0011FFF read */
	CHECK(all_ones(svm_msr + 0x1800, 0x800));        /* reserved */
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC0010000U, 1), 0);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC0011FFFU, 0), 0);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC0011FFFU, 1), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC0012000U, 0), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xC000FFFFU, 0), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0x1FFFU, 0), 0);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0x1FFFU, 1), 1);
	CHECK_EQ(vmm_bitmap_svm_msr_intercepted(svm_msr, 0xFFFFFFFFU, 0), 1);
}

static void msr_invalid(void)
{
	struct vmm_msr_allow l[2] = { { 0x10U, VMM_BITMAP_RW },
				      { 0x2000U, VMM_BITMAP_READ } };

	fill(vmx_msr, sizeof(vmx_msr));
	CHECK_EQ(vmm_bitmap_vmx_msr_build(l, 2U, vmx_msr),
		 VMM_BITMAP_ERR_MSR_RANGE);
	CHECK(all_ones(vmx_msr, sizeof(vmx_msr)));
	/* The AMD range is SVM-only. */
	l[1].msr = 0xC0010000U;
	CHECK_EQ(vmm_bitmap_vmx_msr_build(l, 2U, vmx_msr),
		 VMM_BITMAP_ERR_MSR_RANGE);
	CHECK(all_ones(vmx_msr, sizeof(vmx_msr)));
	fill(svm_msr, sizeof(svm_msr));
	CHECK_EQ(vmm_bitmap_svm_msr_build(l, 2U, svm_msr), VMM_BITMAP_OK);
	l[1].msr = 0xC0012000U;
	CHECK_EQ(vmm_bitmap_svm_msr_build(l, 2U, svm_msr),
		 VMM_BITMAP_ERR_MSR_RANGE);
	CHECK(all_ones(svm_msr, sizeof(svm_msr)));
	l[1].msr = 0xC0000100U;
	l[1].flags = 0U;
	CHECK_EQ(vmm_bitmap_vmx_msr_build(l, 2U, vmx_msr),
		 VMM_BITMAP_ERR_MSR_FLAGS);
	CHECK(all_ones(vmx_msr, sizeof(vmx_msr)));
	l[1].flags = 4U;
	CHECK_EQ(vmm_bitmap_svm_msr_build(l, 2U, svm_msr),
		 VMM_BITMAP_ERR_MSR_FLAGS);
	CHECK(all_ones(svm_msr, sizeof(svm_msr)));
}

static void io_null_and_empty(void)
{
	struct vmm_port_allow l[1] = { { 0x60U, 1U } };

	CHECK_EQ(vmm_bitmap_vmx_io_build(l, 1U, VMM_NULL, io_b),
		 VMM_BITMAP_ERR_NULL);
	CHECK_EQ(vmm_bitmap_vmx_io_build(l, 1U, io_a, VMM_NULL),
		 VMM_BITMAP_ERR_NULL);
	CHECK_EQ(vmm_bitmap_svm_io_build(l, 1U, VMM_NULL), VMM_BITMAP_ERR_NULL);
	fill(io_a, sizeof(io_a));
	fill(io_b, sizeof(io_b));
	CHECK_EQ(vmm_bitmap_vmx_io_build(VMM_NULL, 1U, io_a, io_b),
		 VMM_BITMAP_ERR_NULL);
	CHECK(all_ones(io_a, sizeof(io_a)) && all_ones(io_b, sizeof(io_b)));
	fill(io_a, sizeof(io_a));
	fill(io_b, sizeof(io_b));
	CHECK_EQ(vmm_bitmap_vmx_io_build(VMM_NULL, 0U, io_a, io_b),
		 VMM_BITMAP_OK);
	CHECK(all_ones(io_a, sizeof(io_a)) && all_ones(io_b, sizeof(io_b)));
	fill(iopm, sizeof(iopm));
	CHECK_EQ(vmm_bitmap_svm_io_build(VMM_NULL, 0U, iopm), VMM_BITMAP_OK);
	CHECK(all_ones(iopm, sizeof(iopm)));
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(VMM_NULL, io_b, 0x60U, 1U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(VMM_NULL, 0x60U, 1U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x60U, 1U), 1);
}

static const struct vmm_port_allow ports[] = {
	{ 0x7FFEU, 2U },    /* 0x7FFE-0x7FFF: end of bitmap A */
	{ 0x8000U, 1U },    /* first port of bitmap B */
	{ 0xFFFFU, 1U },    /* last port */
	{ 0x3F8U, 8U },     /* COM1 */
	{ 0x3FCU, 8U },     /* overlapping range */
};

static void io_vmx_boundaries(void)
{
	fill(io_a, sizeof(io_a));
	fill(io_b, sizeof(io_b));
	CHECK_EQ(vmm_bitmap_vmx_io_build(ports, TAP_COUNT(ports), io_a, io_b),
		 VMM_BITMAP_OK);
	CHECK_EQ(count_clear(io_a, sizeof(io_a)), 2U + 12U);
	CHECK_EQ(count_clear(io_b, sizeof(io_b)), 2U);
	CHECK_EQ(io_a[0xFFF], 0x3FU);          /* 0x7FFE, 0x7FFF clear */
	CHECK_EQ(io_b[0], 0xFEU);              /* 0x8000 clear */
	CHECK_EQ(io_b[0xFFF], 0x7FU);          /* 0xFFFF clear */
	CHECK_EQ(io_a[0x7F], 0x00U);           /* 0x3F8-0x3FF */
	CHECK_EQ(io_a[0x80], 0xF0U);           /* 0x400-0x403 */
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x7FFEU, 2U), 0);
	/* Straddles A and B: 0x7FFF and 0x8000 are both clear. */
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x7FFFU, 2U), 0);
	/* 0x8001 exits. */
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x7FFFU, 4U), 1);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0xFFFFU, 1U), 0);
	/* Wraps past 0xFFFF: always exits. */
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0xFFFFU, 2U), 1);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x3F8U, 4U), 0);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x400U, 4U), 0);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x402U, 4U), 1);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x3F8U, 3U), 1);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x3F8U, 0U), 1);
	CHECK_EQ(vmm_bitmap_vmx_io_intercepted(io_a, io_b, 0x10000U, 1U), 1);
}

static void io_svm_boundaries(void)
{
	fill(iopm, sizeof(iopm));
	CHECK_EQ(vmm_bitmap_svm_io_build(ports, TAP_COUNT(ports), iopm),
		 VMM_BITMAP_OK);
	CHECK_EQ(count_clear(iopm, sizeof(iopm)), 2U + 12U + 2U);
	CHECK_EQ(iopm[0xFFF], 0x3FU);
	CHECK_EQ(iopm[0x1000], 0xFEU);
	CHECK_EQ(iopm[0x1FFF], 0x7FU);
	CHECK(all_ones(iopm + 0x2000, 0x1000));  /* bits past 0xFFFF */
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x7FFFU, 2U), 0);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0xFFFFU, 1U), 0);
	/* Past 0xFFFF the map's set bits make it exit. */
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0xFFFFU, 2U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0xFFFFU, 4U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x3F8U, 4U), 0);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x402U, 4U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x3F8U, 8U), 1);
	CHECK_EQ(vmm_bitmap_svm_io_intercepted(iopm, 0x10000U, 1U), 1);
}

static void io_invalid(void)
{
	struct vmm_port_allow l[2] = { { 0x60U, 1U }, { 0x70U, 0U } };

	fill(io_a, sizeof(io_a));
	fill(io_b, sizeof(io_b));
	fill(iopm, sizeof(iopm));
	CHECK_EQ(vmm_bitmap_vmx_io_build(l, 2U, io_a, io_b),
		 VMM_BITMAP_ERR_PORT_EMPTY);
	CHECK(all_ones(io_a, sizeof(io_a)) && all_ones(io_b, sizeof(io_b)));
	CHECK_EQ(vmm_bitmap_svm_io_build(l, 2U, iopm),
		 VMM_BITMAP_ERR_PORT_EMPTY);
	CHECK(all_ones(iopm, sizeof(iopm)));
	/* 0xFFFF + 2 wraps. */
	l[1].first = 0xFFFFU;
	l[1].count = 2U;
	CHECK_EQ(vmm_bitmap_vmx_io_build(l, 2U, io_a, io_b),
		 VMM_BITMAP_ERR_PORT_RANGE);
	CHECK(all_ones(io_a, sizeof(io_a)) && all_ones(io_b, sizeof(io_b)));
	CHECK_EQ(vmm_bitmap_svm_io_build(l, 2U, iopm),
		 VMM_BITMAP_ERR_PORT_RANGE);
	CHECK(all_ones(iopm, sizeof(iopm)));
	/* A huge count that wraps 32 bits too. */
	l[1].first = 0x10U;
	l[1].count = 0xFFFFFFF8U;
	CHECK_EQ(vmm_bitmap_svm_io_build(l, 2U, iopm),
		 VMM_BITMAP_ERR_PORT_RANGE);
	l[1].first = 0x10000U;
	l[1].count = 1U;
	CHECK_EQ(vmm_bitmap_svm_io_build(l, 2U, iopm),
		 VMM_BITMAP_ERR_PORT_RANGE);
	/* The whole space is one valid range. */
	l[1].first = 0U;
	l[1].count = 0x10000U;
	CHECK_EQ(vmm_bitmap_vmx_io_build(l, 2U, io_a, io_b), VMM_BITMAP_OK);
	CHECK_EQ(count_clear(io_a, sizeof(io_a)) +
			 count_clear(io_b, sizeof(io_b)), 0x10000U);
}

/* Every mapped MSR is exercised by the query: pass iff allowlisted. */
static void msr_exhaustive_query(void)
{
	static const vmm_u32 bases[3] = { 0x0U, 0xC0000000U, 0xC0010000U };
	unsigned int r, i, wrong = 0;
	int w;

	fill(vmx_msr, sizeof(vmx_msr));
	fill(svm_msr, sizeof(svm_msr));
	CHECK_EQ(vmm_bitmap_vmx_msr_build(boundaries, TAP_COUNT(boundaries),
					  vmx_msr), VMM_BITMAP_OK);
	CHECK_EQ(vmm_bitmap_svm_msr_build(boundaries, TAP_COUNT(boundaries),
					  svm_msr), VMM_BITMAP_OK);
	for (r = 0; r < 3; r++) {
		for (i = 0; i < 0x2000U; i++) {
			vmm_u32 msr = bases[r] + i;

			for (w = 0; w < 2; w++) {
				unsigned int j;
				int pass = 0;

				for (j = 0; j < TAP_COUNT(boundaries); j++)
					if (boundaries[j].msr == msr &&
					    (boundaries[j].flags &
					     (w ? 2U : 1U)))
						pass = 1;
				if (vmm_bitmap_vmx_msr_intercepted(
					    vmx_msr, msr, w) !=
				    ((r == 2) ? 1 : !pass))
					wrong++;
				if (vmm_bitmap_svm_msr_intercepted(
					    svm_msr, msr, w) != !pass)
					wrong++;
			}
		}
	}
	CHECK_EQ(wrong, 0U);
}

static const struct tap_case cases[] = {
	TAP_CASE(msr_null),
	TAP_CASE(msr_empty),
	TAP_CASE(msr_vmx_boundaries),
	TAP_CASE(msr_svm_boundaries),
	TAP_CASE(msr_invalid),
	TAP_CASE(msr_exhaustive_query),
	TAP_CASE(io_null_and_empty),
	TAP_CASE(io_vmx_boundaries),
	TAP_CASE(io_svm_boundaries),
	TAP_CASE(io_invalid),
};

int main(void)
{
	return tap_run("unit/bitmap", cases, TAP_COUNT(cases));
}
