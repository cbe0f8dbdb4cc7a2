// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 2 (second-level page tables): the
 * run-time cases the contracts allow (NULL, torn-down table, limits,
 * misalignment, bad permissions, missing or read-only slot, double map,
 * pool exhaustion, growing the pool), the exact EPT and NPT entry encodings, a software
 * "hardware walker" that follows the physical addresses in the entries
 * (not libvmm's shadow), a 1 GiB guest, and teardown.
 */
#include <string.h>

#include <libvmm/memslot.h>
#include <libvmm/ptable.h>

#include "tap.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)
#define PAGE VMM_PAGE_SIZE

#define R VMM_PT_PERM_R
#define W VMM_PT_PERM_W
#define X VMM_PT_PERM_X

/* Fake host-physical address of pool page i: distinct, not contiguous. */
#define POOL_PA(i) (0x200000000ULL + (vmm_u64)(i) * 2ULL * PAGE)

/*
 * The pool a table starts with (POOL_PAGES) and room for it to grow to
 * POOL_CAP pages.  pool2 stands for the module's new view after a grow:
 * the same pages (here: a copy of their content) and more; view is the
 * one the table uses, which hw_walk() reads.
 */
#define POOL_PAGES 1024U
#define POOL_CAP 2048U
#define POOL_ENTRIES (POOL_CAP * VMM_PT_ENTRIES)
static vmm_u64 pool[POOL_ENTRIES] __attribute__((aligned(4096)));
static vmm_u64 pool2[POOL_ENTRIES] __attribute__((aligned(4096)));
static vmm_u64 *view = pool;
static vmm_u16 child[POOL_ENTRIES];
static vmm_u16 child2[POOL_ENTRIES];
static vmm_u64 pool_pa[POOL_CAP];
static struct vmm_ptable pt;
static struct vmm_memslot_table slots;

static void add_slot(vmm_u32 id, vmm_u32 flags, vmm_u64 gpa, vmm_u64 size,
		     vmm_u64 uaddr)
{
	struct vmm_memslot_region r = {
		.slot = id, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = uaddr,
	};

	CHECK_EQ(vmm_memslot_set(&slots, &r), VMM_MEMSLOT_OK);
}

/* Fresh table of @format and a slot table with RAM [0, 64 MiB) and a
 * read-only slot [1 GiB, 1 GiB + 1 MiB). */
static void reset(vmm_u32 format)
{
	vmm_u32 i;

	memset(&pt, 0xA5, sizeof(pt));
	memset(pool, 0xA5, sizeof(pool));
	view = pool;
	for (i = 0U; i < POOL_CAP; i++)
		pool_pa[i] = POOL_PA(i);
	CHECK_EQ(vmm_ptable_init(&pt, format, pool, child, pool_pa, POOL_PAGES), VMM_PT_OK);
	/* MAXPHYADDR 52: the slot limit is the page tables' reach, 2^48. */
	CHECK_EQ(vmm_memslot_init(&slots, VMM_MAXPHYADDR_MAX), VMM_MEMSLOT_OK);
	add_slot(0U, 0U, 0U, 64U * MIB, 0x7F0000000000ULL);
	add_slot(1U, VMM_MEM_READONLY, 1U * GIB, 1U * MIB, 0x7F1000000000ULL);
}

static vmm_u32 used_pages(void)
{
	vmm_u32 i, n = 0U;

	for (i = 0U; i < VMM_PT_POOL_MAX; i++)
		n += (pt.used[i] != 0U) ? 1U : 0U;
	return n;
}

/* Pool page whose host-physical address is @pa, or -1. */
static int page_of(vmm_u64 pa)
{
	vmm_u32 i;

	for (i = 0U; i < POOL_CAP; i++)
		if (pool_pa[i] == pa)
			return (int)i;
	return -1;
}

/*
 * Walk the tables the way the CPU does: from the root, by the address
 * bits 51:12 of each entry, checking the non-leaf format.  Returns the
 * leaf entry or 0 when a level is not present.
 */
static vmm_u64 hw_walk(vmm_u64 gpa)
{
	int page = page_of(pool_pa[VMM_PT_ROOT]);
	int level;

	for (level = 3; level > 0; level--) {
		unsigned int idx = (unsigned int)((gpa >> (12 + 9 * level)) & 511U);
		vmm_u64 e = view[(vmm_u64)page * 512U + idx];

		if ((e & 7U) == 0U)
			return 0U;
		/* Non-leaf: RWX / P|RW|US set, nothing else but the address. */
		CHECK_EQ(e & ~0x000FFFFFFFFFF000ULL, 7U);
		page = page_of(e & 0x000FFFFFFFFFF000ULL);
		CHECK(page > 0);
		if (page <= 0)
			return 0U;
	}
	return view[(vmm_u64)page * 512U + ((gpa >> 12) & 511U)];
}

static void lookup_ok(vmm_u64 gpa, vmm_u64 want_hpa, vmm_u32 want_perms)
{
	vmm_u64 hpa = 0xDEADULL;
	vmm_u32 perms = 0xDEADU;

	CHECK_EQ(vmm_ptable_lookup(&pt, gpa, &hpa, &perms), VMM_PT_OK);
	CHECK_EQ(hpa, want_hpa);
	CHECK_EQ(perms, want_perms);
}

static void lookup_fails(vmm_u64 gpa, enum vmm_ptable_err want)
{
	vmm_u64 hpa = 0xDEADULL;
	vmm_u32 perms = 0xBEEFU;

	CHECK_EQ(vmm_ptable_lookup(&pt, gpa, &hpa, &perms), want);
	CHECK_EQ(hpa, 0xDEADULL);
	CHECK_EQ(perms, 0xBEEFU);
}

static vmm_u64 hpa_of(vmm_u64 gpa)
{
	return 0x123400000000ULL + gpa;
}

static enum vmm_ptable_err map(vmm_u64 gpa, vmm_u32 perms)
{
	return vmm_ptable_map(&pt, &slots, gpa, hpa_of(gpa), perms);
}

/* map() that must fail with @want and change no table byte. */
static void map_fails(vmm_u64 gpa, vmm_u64 hpa, vmm_u32 perms,
		      enum vmm_ptable_err want)
{
	static vmm_u64 before[POOL_ENTRIES];
	static struct vmm_ptable pt_before;

	memcpy(before, pool, sizeof(pool));
	pt_before = pt;
	CHECK_EQ(vmm_ptable_map(&pt, &slots, gpa, hpa, perms), want);
	CHECK(memcmp(before, pool, sizeof(pool)) == 0);
	CHECK(memcmp(&pt_before, &pt, sizeof(pt)) == 0);
}

/* ---- init -------------------------------------------------------------- */

static void init_null(void)
{
	CHECK_EQ(vmm_ptable_init(NULL, VMM_PT_FORMAT_EPT, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, NULL, child, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, child, NULL, POOL_PAGES),
		 VMM_PT_ERR_NULL);
}

static void init_bad_format(void)
{
	CHECK_EQ(vmm_ptable_init(&pt, 0U, pool, child, pool_pa, POOL_PAGES), VMM_PT_ERR_FORMAT);
	CHECK_EQ(vmm_ptable_init(&pt, 3U, pool, child, pool_pa, POOL_PAGES), VMM_PT_ERR_FORMAT);
	CHECK_EQ(vmm_ptable_init(&pt, 0xFFFFFFFFU, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_FORMAT);
}

static void init_bad_pages(void)
{
	reset(VMM_PT_FORMAT_EPT);
	pool_pa[POOL_PAGES - 1U] = POOL_PA(0) + 8U;
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_PAGE_ALIGN);
	pool_pa[POOL_PAGES - 1U] = VMM_PT_HPA_LIMIT;
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_NPT, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_PAGE_LIMIT);
	/* The last page below 2^52 is fine. */
	pool_pa[POOL_PAGES - 1U] = VMM_PT_HPA_LIMIT - PAGE;
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_NPT, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_OK);
}

static void init_empty(void)
{
	vmm_u64 root = 0U;
	vmm_u32 j;

	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(used_pages(), 1U);
	for (j = 0U; j < VMM_PT_ENTRIES; j++)
		CHECK_EQ(pool[j], 0U);
	CHECK_EQ(vmm_ptable_root_pa(&pt, &root), VMM_PT_OK);
	CHECK_EQ(root, POOL_PA(0));
	lookup_fails(0U, VMM_PT_ERR_NOT_MAPPED);
	lookup_fails(VMM_PT_GPA_LIMIT - 1U, VMM_PT_ERR_NOT_MAPPED);
}

/* ---- map: decode checks ------------------------------------------------ */

static void map_null(void)
{
	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(vmm_ptable_map(NULL, &slots, 0U, 0U, R), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_map(&pt, NULL, 0U, 0U, R), VMM_PT_ERR_NULL);
}

static void map_rejects(void)
{
	reset(VMM_PT_FORMAT_EPT);
	map_fails(VMM_PT_GPA_LIMIT, 0U, R, VMM_PT_ERR_GPA_LIMIT);
	map_fails(VMM_U64_MAX - PAGE + 1U, 0U, R, VMM_PT_ERR_GPA_LIMIT);
	map_fails(PAGE + 8U, 0U, R, VMM_PT_ERR_GPA_ALIGN);
	map_fails(0U, 0x800U, R, VMM_PT_ERR_HPA_ALIGN);
	map_fails(0U, VMM_PT_HPA_LIMIT, R, VMM_PT_ERR_HPA_LIMIT);
	map_fails(0U, VMM_U64_MAX - PAGE + 1U, R, VMM_PT_ERR_HPA_LIMIT);
	map_fails(0U, 0U, 0U, VMM_PT_ERR_PERMS);
	map_fails(0U, 0U, W, VMM_PT_ERR_PERMS);
	map_fails(0U, 0U, X, VMM_PT_ERR_PERMS);
	map_fails(0U, 0U, W | X, VMM_PT_ERR_PERMS);
	map_fails(0U, 0U, 8U | R, VMM_PT_ERR_PERMS);
	/* Not backed: past slot 0, between slots, past the RO slot. */
	map_fails(64U * MIB, 0U, R, VMM_PT_ERR_NO_SLOT);
	map_fails(512U * MIB, 0U, R, VMM_PT_ERR_NO_SLOT);
	map_fails(1U * GIB + 1U * MIB, 0U, R, VMM_PT_ERR_NO_SLOT);
	/* Read-only slot: W refused, R and RX fine. */
	map_fails(1U * GIB, 0U, R | W, VMM_PT_ERR_SLOT_READONLY);
	map_fails(1U * GIB, 0U, R | W | X, VMM_PT_ERR_SLOT_READONLY);
	CHECK_EQ(map(1U * GIB, R), VMM_PT_OK);
	CHECK_EQ(map(1U * GIB + PAGE, R | X), VMM_PT_OK);
	/* Highest HPA page. */
	CHECK_EQ(vmm_ptable_map(&pt, &slots, 2U * PAGE,
				VMM_PT_HPA_LIMIT - PAGE, R), VMM_PT_OK);
	lookup_ok(2U * PAGE + 5U, VMM_PT_HPA_LIMIT - PAGE + 5U, R);
}

static void map_twice(void)
{
	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(map(0x5000U, R | W), VMM_PT_OK);
	map_fails(0x5000U, 0x99000U, R, VMM_PT_ERR_MAPPED);
	lookup_ok(0x5000U, hpa_of(0x5000U), R | W);
}

/*
 * A page-table page is never guest memory: map refuses the pool's pages
 * (the root, a table in use, a page not used yet), and after a grow the
 * new pages too; a page outside the pool maps.
 */
static void map_pool_page(void)
{
	vmm_u32 f;

	for (f = VMM_PT_FORMAT_EPT; f <= VMM_PT_FORMAT_NPT; f++) {
		reset(f);
		CHECK_EQ(map(0x5000U, R | W), VMM_PT_OK);
		map_fails(0x6000U, pool_pa[VMM_PT_ROOT], R, VMM_PT_ERR_HPA_POOL);
		map_fails(0x6000U, pool_pa[1], R | W, VMM_PT_ERR_HPA_POOL);
		map_fails(0x6000U, pool_pa[POOL_PAGES - 1U], R | X,
			  VMM_PT_ERR_HPA_POOL);
		lookup_fails(0x6000U, VMM_PT_ERR_NOT_MAPPED);
		CHECK_EQ(map(0x6000U, R | W), VMM_PT_OK);
		memcpy(pool2, pool, (size_t)POOL_PAGES * PAGE);
		CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa,
					 POOL_PAGES + 2U), VMM_PT_OK);
		view = pool2;
		map_fails(0x7000U, pool_pa[POOL_PAGES + 1U], R,
			  VMM_PT_ERR_HPA_POOL);
		lookup_fails(0x7000U, VMM_PT_ERR_NOT_MAPPED);
		CHECK_EQ(vmm_ptable_map(&pt, &slots, 0x7000U,
					pool_pa[POOL_PAGES + 2U], R), VMM_PT_OK);
		lookup_ok(0x7000U, pool_pa[POOL_PAGES + 2U], R);
	}
}

/* ---- map: encodings ---------------------------------------------------- */

static void map_ept_encoding(void)
{
	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(map(0x3000U, R), VMM_PT_OK);
	CHECK_EQ(map(0x4000U, R | W), VMM_PT_OK);
	CHECK_EQ(map(0x5000U, R | X), VMM_PT_OK);
	CHECK_EQ(map(0x6000U, R | W | X), VMM_PT_OK);
	/* Leaf: address | IPAT (0x40) | WB << 3 (0x30) | perms. */
	CHECK_EQ(hw_walk(0x3000U), hpa_of(0x3000U) | 0x71U);
	CHECK_EQ(hw_walk(0x4000U), hpa_of(0x4000U) | 0x73U);
	CHECK_EQ(hw_walk(0x5000U), hpa_of(0x5000U) | 0x75U);
	CHECK_EQ(hw_walk(0x6000U), hpa_of(0x6000U) | 0x77U);
	CHECK_EQ(hw_walk(0x7000U), 0U);
	lookup_ok(0x3000U, hpa_of(0x3000U), R);
	lookup_ok(0x4FFFU, hpa_of(0x4000U) + 0xFFFU, R | W);
	lookup_ok(0x5000U, hpa_of(0x5000U), R | X);
	lookup_ok(0x6001U, hpa_of(0x6000U) + 1U, R | W | X);
	/* One path: root + 3 tables. */
	CHECK_EQ(used_pages(), 4U);
}

static void map_npt_encoding(void)
{
	reset(VMM_PT_FORMAT_NPT);
	CHECK_EQ(map(0x3000U, R), VMM_PT_OK);
	CHECK_EQ(map(0x4000U, R | W), VMM_PT_OK);
	CHECK_EQ(map(0x5000U, R | X), VMM_PT_OK);
	CHECK_EQ(map(0x6000U, R | W | X), VMM_PT_OK);
	/* Leaf: NX (bit 63) unless X | US | RW if W | P. */
	CHECK_EQ(hw_walk(0x3000U), hpa_of(0x3000U) | VMM_NPT_NX | 5U);
	CHECK_EQ(hw_walk(0x4000U), hpa_of(0x4000U) | VMM_NPT_NX | 7U);
	CHECK_EQ(hw_walk(0x5000U), hpa_of(0x5000U) | 5U);
	CHECK_EQ(hw_walk(0x6000U), hpa_of(0x6000U) | 7U);
	lookup_ok(0x3000U, hpa_of(0x3000U), R);
	lookup_ok(0x4008U, hpa_of(0x4000U) + 8U, R | W);
	lookup_ok(0x5000U, hpa_of(0x5000U), R | X);
	lookup_ok(0x6000U, hpa_of(0x6000U), R | W | X);
	/* NPT A/D bits set by the CPU do not change what lookup reports. */
	pool[(vmm_u64)pt.child[VMM_PT_AT(pt.child[VMM_PT_AT(
		pt.child[VMM_PT_AT(VMM_PT_ROOT, 0U)], 0U)], 0U)] * 512U + 4U] |=
		0x60U;
	lookup_ok(0x4000U, hpa_of(0x4000U), R | W);
}

static void map_shares_tables(void)
{
	reset(VMM_PT_FORMAT_EPT);
	add_slot(2U, 0U, VMM_PT_GPA_LIMIT - 2U * MIB, 2U * MIB,
		 0x7F2000000000ULL);
	CHECK_EQ(map(0U, R), VMM_PT_OK);
	CHECK_EQ(used_pages(), 4U);
	/* Same leaf table. */
	CHECK_EQ(map(2U * MIB - PAGE, R), VMM_PT_OK);
	CHECK_EQ(used_pages(), 4U);
	/* Next 2 MiB: one more leaf table. */
	CHECK_EQ(map(2U * MIB, R), VMM_PT_OK);
	CHECK_EQ(used_pages(), 5U);
	/* Top of the 48-bit space: a whole new path under the root. */
	CHECK_EQ(map(VMM_PT_GPA_LIMIT - 2U * MIB, R | W), VMM_PT_OK);
	CHECK_EQ(used_pages(), 8U);
	CHECK_EQ(hw_walk(VMM_PT_GPA_LIMIT - 2U * MIB),
		 hpa_of(VMM_PT_GPA_LIMIT - 2U * MIB) | 0x73U);
	lookup_ok(VMM_PT_GPA_LIMIT - 2U * MIB, hpa_of(VMM_PT_GPA_LIMIT -
						       2U * MIB), R | W);
	lookup_fails(VMM_PT_GPA_LIMIT - 1U, VMM_PT_ERR_NOT_MAPPED);
	lookup_fails(VMM_PT_GPA_LIMIT, VMM_PT_ERR_GPA_LIMIT);
	/* Shadow and hardware agree: parent of each linked page. */
	CHECK_EQ(pt.parent_page[pt.child[VMM_PT_AT(VMM_PT_ROOT, 0U)]],
		 VMM_PT_ROOT);
}

static void map_pool_exhausted(void)
{
	vmm_u32 k;
	vmm_u32 maps = 0U;
	enum vmm_ptable_err err = VMM_PT_OK;

	reset(VMM_PT_FORMAT_EPT);
	/* 8 TiB slot: every page 2 MiB apart needs its own leaf table. */
	add_slot(3U, 0U, 4U * GIB, VMM_MEMSLOT_SIZE_MAX, 0U);
	for (k = 0U; (k < 2000U) && (err == VMM_PT_OK); k++) {
		err = map(4U * GIB + (vmm_u64)k * 2U * MIB, R);
		if (err == VMM_PT_OK)
			maps++;
	}
	CHECK_EQ(err, VMM_PT_ERR_POOL_EMPTY);
	CHECK_EQ(used_pages(), POOL_PAGES);
	/* root + L2 + 2 L1 (GiB 4 and 5) + one L0 per map = 1024 */
	CHECK_EQ(maps, 1020U);
	/* The failed page is not mapped; the others still are. */
	lookup_fails(4U * GIB + (vmm_u64)maps * 2U * MIB, VMM_PT_ERR_NOT_MAPPED);
	lookup_ok(4U * GIB, hpa_of(4U * GIB), R);
	lookup_ok(4U * GIB + (vmm_u64)(maps - 1U) * 2U * MIB,
		  hpa_of(4U * GIB + (vmm_u64)(maps - 1U) * 2U * MIB), R);
	/* Maps into existing leaf tables still work. */
	CHECK_EQ(map(4U * GIB + PAGE, R), VMM_PT_OK);
	map_fails(4U * GIB + (vmm_u64)(maps + 1U) * 2U * MIB, 0U, R,
		  VMM_PT_ERR_POOL_EMPTY);
}

/*
 * Fill the pool, grow it (a new view holding the old pages' content plus
 * new pages, a new shadow), and go on mapping: every old translation is
 * kept, the hardware walk follows the same physical pages, the new maps
 * take new pages.
 */
static void grow_pool(void)
{
	vmm_u32 k, maps = 0U;
	vmm_u64 root = 0U;
	enum vmm_ptable_err err = VMM_PT_OK;

	reset(VMM_PT_FORMAT_NPT);
	add_slot(3U, 0U, 4U * GIB, VMM_MEMSLOT_SIZE_MAX, 0U);
	for (k = 0U; (k < 3000U) && (err == VMM_PT_OK); k++) {
		err = map(4U * GIB + (vmm_u64)k * 2U * MIB, R | W);
		if (err == VMM_PT_OK)
			maps++;
	}
	CHECK_EQ(err, VMM_PT_ERR_POOL_EMPTY);
	CHECK_EQ(maps, 1020U);
	memset(pool2, 0xA5, sizeof(pool2));
	memcpy(pool2, pool, (size_t)POOL_PAGES * PAGE);
	memset(child2, 0xA5, sizeof(child2));
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_OK);
	view = pool2;
	CHECK_EQ(pt.npages, POOL_CAP);
	CHECK(pt.entries == pool2 && pt.child == child2);
	CHECK_EQ(vmm_ptable_root_pa(&pt, &root), VMM_PT_OK);
	CHECK_EQ(root, POOL_PA(0));
	for (k = 0U; k < maps; k++) {
		vmm_u64 g = 4U * GIB + (vmm_u64)k * 2U * MIB;

		lookup_ok(g, hpa_of(g), R | W);
		CHECK_EQ(hw_walk(g), hpa_of(g) | VMM_NPT_NX | 7U);
	}
	/* The page that failed maps now, and 1,000 more (GiB 4 to 8). */
	for (k = maps; k < maps + 1000U; k++)
		CHECK_EQ(map(4U * GIB + (vmm_u64)k * 2U * MIB, R | W), VMM_PT_OK);
	CHECK_EQ(hw_walk(4U * GIB + (vmm_u64)(maps + 999U) * 2U * MIB),
		 hpa_of(4U * GIB + (vmm_u64)(maps + 999U) * 2U * MIB) |
			 VMM_NPT_NX | 7U);
	/* root + L2 + L1 for GiB 4, 5, 6, 7 + 2020 leaf tables */
	CHECK_EQ(used_pages(), 2026U);
	CHECK_EQ(vmm_ptable_teardown(&pt), VMM_PT_OK);
	CHECK_EQ(used_pages(), 0U);
}

/* Grow refuses what it cannot take, and changes nothing then. */
static void grow_rejects(void)
{
	static struct vmm_ptable pt_before;

	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(map(0U, R), VMM_PT_OK);
	memcpy(pool2, pool, sizeof(pool));
	pt_before = pt;
	CHECK_EQ(vmm_ptable_grow(NULL, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_grow(&pt, NULL, child2, pool_pa, POOL_CAP),
		 VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, NULL, pool_pa, POOL_CAP),
		 VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, NULL, POOL_CAP),
		 VMM_PT_ERR_NULL);
	/* Not larger, or larger than the layer can index. */
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_PAGES),
		 VMM_PT_ERR_POOL_SIZE);
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, 1U),
		 VMM_PT_ERR_POOL_SIZE);
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa,
				 VMM_PT_POOL_MAX + 1U), VMM_PT_ERR_POOL_SIZE);
	/* A bad new page address; old pages' addresses are not looked at. */
	pool_pa[POOL_CAP - 1U] = POOL_PA(0) + 8U;
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_ERR_PAGE_ALIGN);
	pool_pa[POOL_CAP - 1U] = VMM_PT_HPA_LIMIT;
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_ERR_PAGE_LIMIT);
	CHECK(memcmp(&pt_before, &pt, sizeof(pt)) == 0);
	pool_pa[POOL_CAP - 1U] = POOL_PA(POOL_CAP - 1U);
	pool_pa[0] = 0x8U;
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_OK);
	CHECK_EQ(pt.page_pa[0], POOL_PA(0));
	pool_pa[0] = POOL_PA(0);
	view = pool2;
	lookup_ok(0U, hpa_of(0U), R);
	/* Torn down: refused. */
	CHECK_EQ(vmm_ptable_teardown(&pt), VMM_PT_OK);
	CHECK_EQ(vmm_ptable_grow(&pt, pool2, child2, pool_pa, POOL_CAP),
		 VMM_PT_ERR_TORN_DOWN);
}

static void init_bad_size(void)
{
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, child, pool_pa,
				 0U), VMM_PT_ERR_POOL_SIZE);
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, child, pool_pa,
				 VMM_PT_POOL_MAX + 1U), VMM_PT_ERR_POOL_SIZE);
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, NULL, pool_pa,
				 POOL_PAGES), VMM_PT_ERR_NULL);
}

static void map_one_gib_guest(void)
{
	vmm_u64 gpa;

	reset(VMM_PT_FORMAT_NPT);
	add_slot(4U, 0U, 2U * GIB, 1U * GIB, 0x7F4000000000ULL);
	for (gpa = 2U * GIB; gpa < 3U * GIB; gpa += PAGE)
		if (map(gpa, R | W | X) != VMM_PT_OK)
			break;
	CHECK_EQ(gpa, 3U * GIB);
	/* root + L2 + L1 + 512 leaf tables */
	CHECK_EQ(used_pages(), 515U);
	lookup_ok(2U * GIB, hpa_of(2U * GIB), R | W | X);
	lookup_ok(3U * GIB - 1U, hpa_of(3U * GIB - PAGE) + PAGE - 1U,
		  R | W | X);
	CHECK_EQ(hw_walk(2U * GIB + 123U * PAGE),
		 hpa_of(2U * GIB + 123U * PAGE) | 7U);
}

/* ---- unmap ------------------------------------------------------------- */

static void unmap_cases(void)
{
	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(vmm_ptable_unmap(NULL, 0U), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_unmap(&pt, VMM_PT_GPA_LIMIT), VMM_PT_ERR_GPA_LIMIT);
	CHECK_EQ(vmm_ptable_unmap(&pt, 0x10U), VMM_PT_ERR_GPA_ALIGN);
	/* No path, then a path but no leaf. */
	CHECK_EQ(vmm_ptable_unmap(&pt, 0x8000U), VMM_PT_ERR_NOT_MAPPED);
	CHECK_EQ(map(0x9000U, R | W), VMM_PT_OK);
	CHECK_EQ(map(0xA000U, R), VMM_PT_OK);
	CHECK_EQ(vmm_ptable_unmap(&pt, 0x8000U), VMM_PT_ERR_NOT_MAPPED);
	CHECK_EQ(vmm_ptable_unmap(&pt, 0x9000U), VMM_PT_OK);
	lookup_fails(0x9000U, VMM_PT_ERR_NOT_MAPPED);
	CHECK_EQ(hw_walk(0x9000U), 0U);
	/* The neighbour is untouched; tables stay. */
	lookup_ok(0xA000U, hpa_of(0xA000U), R);
	CHECK_EQ(used_pages(), 4U);
	CHECK_EQ(vmm_ptable_unmap(&pt, 0x9000U), VMM_PT_ERR_NOT_MAPPED);
	/* Map again, with other permissions. */
	CHECK_EQ(map(0x9000U, R | X), VMM_PT_OK);
	lookup_ok(0x9000U, hpa_of(0x9000U), R | X);
}

/* ---- lookup, root_pa, teardown ---------------------------------------- */

static void lookup_null(void)
{
	vmm_u64 hpa = 0U;
	vmm_u32 perms = 0U;

	reset(VMM_PT_FORMAT_EPT);
	CHECK_EQ(vmm_ptable_lookup(NULL, 0U, &hpa, &perms), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_lookup(&pt, 0U, NULL, &perms), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_lookup(&pt, 0U, &hpa, NULL), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_root_pa(NULL, &hpa), VMM_PT_ERR_NULL);
	CHECK_EQ(vmm_ptable_root_pa(&pt, NULL), VMM_PT_ERR_NULL);
	lookup_fails(VMM_U64_MAX, VMM_PT_ERR_GPA_LIMIT);
}

static void teardown_frees_all(void)
{
	vmm_u64 root = 0xDEADULL;
	vmm_u32 j;

	reset(VMM_PT_FORMAT_NPT);
	CHECK_EQ(vmm_ptable_teardown(NULL), VMM_PT_ERR_NULL);
	CHECK_EQ(map(0U, R), VMM_PT_OK);
	CHECK_EQ(map(32U * MIB, R | W), VMM_PT_OK);
	CHECK(used_pages() > 1U);
	CHECK_EQ(vmm_ptable_teardown(&pt), VMM_PT_OK);
	CHECK_EQ(used_pages(), 0U);
	for (j = 0U; j < VMM_PT_ENTRIES; j++)
		CHECK_EQ(pool[j], 0U);
	CHECK_EQ(hw_walk(0U), 0U);
	lookup_fails(0U, VMM_PT_ERR_TORN_DOWN);
	CHECK_EQ(vmm_ptable_root_pa(&pt, &root), VMM_PT_ERR_TORN_DOWN);
	CHECK_EQ(root, 0xDEADULL);
	map_fails(0U, 0U, R, VMM_PT_ERR_TORN_DOWN);
	CHECK_EQ(vmm_ptable_unmap(&pt, 0U), VMM_PT_ERR_TORN_DOWN);
	CHECK_EQ(vmm_ptable_teardown(&pt), VMM_PT_OK);
	/* init makes it usable again. */
	CHECK_EQ(vmm_ptable_init(&pt, VMM_PT_FORMAT_EPT, pool, child, pool_pa, POOL_PAGES),
		 VMM_PT_OK);
	CHECK_EQ(map(0U, R), VMM_PT_OK);
	lookup_ok(0U, hpa_of(0U), R);
}

static const struct tap_case cases[] = {
	TAP_CASE(init_null),
	TAP_CASE(init_bad_format),
	TAP_CASE(init_bad_pages),
	TAP_CASE(init_empty),
	TAP_CASE(map_null),
	TAP_CASE(map_rejects),
	TAP_CASE(map_twice),
	TAP_CASE(map_pool_page),
	TAP_CASE(map_ept_encoding),
	TAP_CASE(map_npt_encoding),
	TAP_CASE(map_shares_tables),
	TAP_CASE(map_pool_exhausted),
	TAP_CASE(grow_pool),
	TAP_CASE(grow_rejects),
	TAP_CASE(init_bad_size),
	TAP_CASE(map_one_gib_guest),
	TAP_CASE(unmap_cases),
	TAP_CASE(lookup_null),
	TAP_CASE(teardown_frees_all),
};

int main(void)
{
	return tap_run("unit/ptable", cases, TAP_COUNT(cases));
}
