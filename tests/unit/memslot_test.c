// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 1 (memory slots): the run-time cases the
 * contracts allow (NULL, zero length, overlap, misalignment, wraparound, bad
 * flags, delete, move, ranges across two slots, exact ends).  Each case
 * checks the exact error code, and that a failed call changed nothing.
 */
#include <string.h>

#include <libvmm/memslot.h>

#include "tap.h"

#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)
#define PAGE VMM_PAGE_SIZE

static struct vmm_memslot_table tbl;

static struct vmm_memslot_region region(vmm_u32 slot, vmm_u32 flags,
					vmm_u64 gpa, vmm_u64 size,
					vmm_u64 uaddr)
{
	struct vmm_memslot_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = uaddr,
	};
	return r;
}

static enum vmm_memslot_err set(vmm_u32 slot, vmm_u32 flags, vmm_u64 gpa,
				vmm_u64 size, vmm_u64 uaddr)
{
	struct vmm_memslot_region r = region(slot, flags, gpa, size, uaddr);

	return vmm_memslot_set(&tbl, &r);
}

static enum vmm_memslot_err validate(vmm_u32 slot, vmm_u32 flags,
				     vmm_u64 gpa, vmm_u64 size, vmm_u64 uaddr)
{
	struct vmm_memslot_region r = region(slot, flags, gpa, size, uaddr);

	return vmm_memslot_validate(&r);
}

/* Fresh table for a host with MAXPHYADDR @bits, checked. */
static void reset_bits(vmm_u32 bits)
{
	memset(&tbl, 0xA5, sizeof(tbl));
	CHECK_EQ(vmm_memslot_init(&tbl, bits), VMM_MEMSLOT_OK);
}

/* Fresh table, limit 2^48: every case starts from here. */
static void reset(void)
{
	reset_bits(VMM_MAXPHYADDR_MAX);
}

/* set() that must fail with @want and leave the table untouched. */
static void set_fails(vmm_u32 slot, vmm_u32 flags, vmm_u64 gpa, vmm_u64 size,
		      vmm_u64 uaddr, enum vmm_memslot_err want)
{
	struct vmm_memslot_table before = tbl;

	CHECK_EQ(set(slot, flags, gpa, size, uaddr), want);
	CHECK(memcmp(&before, &tbl, sizeof(tbl)) == 0);
}

/* lookup() that must succeed with slot @idx at offset @off. */
static void lookup_ok(vmm_u64 gpa, vmm_u64 len, vmm_u32 idx, vmm_u64 off)
{
	vmm_u32 got_idx = 0xDEADU;
	vmm_u64 got_off = 0xDEADULL;

	CHECK_EQ(vmm_memslot_lookup(&tbl, gpa, len, &got_idx, &got_off),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(got_idx, idx);
	CHECK_EQ(got_off, off);
}

/* lookup() that must fail with @want and not write the outputs. */
static void lookup_fails(vmm_u64 gpa, vmm_u64 len, enum vmm_memslot_err want)
{
	vmm_u32 got_idx = 0xDEADU;
	vmm_u64 got_off = 0xBEEFULL;

	CHECK_EQ(vmm_memslot_lookup(&tbl, gpa, len, &got_idx, &got_off), want);
	CHECK_EQ(got_idx, 0xDEADU);
	CHECK_EQ(got_off, 0xBEEFULL);
}

/* ---- init -------------------------------------------------------------- */

static void init_null(void)
{
	CHECK_EQ(vmm_memslot_init(NULL, 40U), VMM_MEMSLOT_ERR_NULL);
}

/* The limit is 2^min(MAXPHYADDR, 48); MAXPHYADDR outside [32, 52] fails. */
static void init_gpa_limit(void)
{
	struct vmm_memslot_table before;
	vmm_u32 bits;

	for (bits = 0U; bits <= 64U; bits++) {
		memset(&tbl, 0x5A, sizeof(tbl));
		before = tbl;
		if (bits < 32U || bits > 52U) {
			CHECK_EQ(vmm_memslot_init(&tbl, bits),
				 VMM_MEMSLOT_ERR_PHYS_BITS);
			CHECK(memcmp(&before, &tbl, sizeof(tbl)) == 0);
		} else {
			CHECK_EQ(vmm_memslot_init(&tbl, bits), VMM_MEMSLOT_OK);
			CHECK_EQ(tbl.gpa_limit,
				 1ULL << (bits < 48U ? bits : 48U));
		}
	}
	CHECK_EQ(VMM_GPA_REACH, 1ULL << VMM_GPA_REACH_BITS);
}

static void init_empties_table(void)
{
	vmm_u32 i;

	reset();
	for (i = 0U; i < VMM_MEMSLOT_MAX; i++) {
		CHECK_EQ(tbl.slots[i].id, i);
		CHECK_EQ(tbl.slots[i].flags, 0U);
		CHECK_EQ(tbl.slots[i].guest_phys_addr, 0U);
		CHECK_EQ(tbl.slots[i].memory_size, 0U);
		CHECK_EQ(tbl.slots[i].userspace_addr, 0U);
	}
	lookup_fails(0U, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
}

/* ---- validate ---------------------------------------------------------- */

static void validate_null(void)
{
	CHECK_EQ(vmm_memslot_validate(NULL), VMM_MEMSLOT_ERR_NULL);
}

static void validate_accepts(void)
{
	CHECK_EQ(validate(0U, 0U, 0U, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(validate(31U, VMM_MEM_READONLY, 4U * GIB, 2U * MIB,
			  0x7F0000000000ULL), VMM_MEMSLOT_OK);
	/* Deletion: size 0 passes the stateless checks. */
	CHECK_EQ(validate(5U, 0U, 1U * MIB, 0U, 0U), VMM_MEMSLOT_OK);
}

static void validate_address_space(void)
{
	CHECK_EQ(validate(0x10000U, 0U, 0U, PAGE, 0U), VMM_MEMSLOT_ERR_AS_ID);
	CHECK_EQ(validate(0xFFFFFFFFU, 0U, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_AS_ID);
}

static void validate_slot_id(void)
{
	CHECK_EQ(validate(VMM_MEMSLOT_MAX, 0U, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_SLOT_ID);
	CHECK_EQ(validate(0xFFFFU, 0U, 0U, PAGE, 0U), VMM_MEMSLOT_ERR_SLOT_ID);
	CHECK_EQ(validate(VMM_MEMSLOT_MAX - 1U, 0U, 0U, PAGE, 0U),
		 VMM_MEMSLOT_OK);
}

static void validate_flags_unknown(void)
{
	CHECK_EQ(validate(0U, 4U, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_FLAGS_UNKNOWN);
	CHECK_EQ(validate(0U, 0x80000000U | VMM_MEM_READONLY, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_FLAGS_UNKNOWN);
	CHECK_EQ(validate(0U, 0xFFFFFFFFU, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_FLAGS_UNKNOWN);
}

static void validate_flags_dirty_log(void)
{
	CHECK_EQ(validate(0U, VMM_MEM_LOG_DIRTY_PAGES, 0U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG);
	CHECK_EQ(validate(0U, VMM_MEM_LOG_DIRTY_PAGES | VMM_MEM_READONLY, 0U,
			  PAGE, 0U), VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG);
}

static void validate_misaligned(void)
{
	CHECK_EQ(validate(0U, 0U, 0x1001U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_GPA_ALIGN);
	CHECK_EQ(validate(0U, 0U, 0x800U, PAGE, 0U), VMM_MEMSLOT_ERR_GPA_ALIGN);
	CHECK_EQ(validate(0U, 0U, 0U, PAGE + 1U, 0U),
		 VMM_MEMSLOT_ERR_SIZE_ALIGN);
	CHECK_EQ(validate(0U, 0U, 0U, 0x800U, 0U), VMM_MEMSLOT_ERR_SIZE_ALIGN);
	CHECK_EQ(validate(0U, 0U, 0U, PAGE, 0x10U),
		 VMM_MEMSLOT_ERR_UADDR_ALIGN);
	CHECK_EQ(validate(0U, 0U, 0U, PAGE, 0x7FFF0800ULL),
		 VMM_MEMSLOT_ERR_UADDR_ALIGN);
	/* KVM checks alignment on delete too. */
	CHECK_EQ(validate(0U, 0U, 0x10U, 0U, 0U), VMM_MEMSLOT_ERR_GPA_ALIGN);
}

static void validate_wraparound(void)
{
	/* Ends exactly at 2^64: gpa + size is 0 in 64 bits. */
	CHECK_EQ(validate(0U, 0U, VMM_U64_MAX - PAGE + 1U, PAGE, 0U),
		 VMM_MEMSLOT_ERR_GPA_WRAP);
	CHECK_EQ(validate(0U, 0U, VMM_U64_MAX - PAGE + 1U, 2U * PAGE, 0U),
		 VMM_MEMSLOT_ERR_GPA_WRAP);
	CHECK_EQ(validate(0U, 0U, 0U, 2U * PAGE, VMM_U64_MAX - PAGE + 1U),
		 VMM_MEMSLOT_ERR_UADDR_WRAP);
}

static void validate_limits(void)
{
	CHECK_EQ(validate(0U, 0U, 0U, VMM_MEMSLOT_SIZE_MAX, 0U),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(validate(0U, 0U, 0U, VMM_MEMSLOT_SIZE_MAX + PAGE, 0U),
		 VMM_MEMSLOT_ERR_SIZE_LIMIT);
	/*
	 * The guest-physical limit is the table's, checked by set() after
	 * the overlap: the stateless checks only refuse wraparound.
	 */
	CHECK_EQ(validate(0U, 0U, 1ULL << 52, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(validate(0U, 0U, VMM_U64_MAX - 2U * PAGE + 1U, PAGE, 0U),
		 VMM_MEMSLOT_OK);
}

/* The limit of a 40-bit host (the rig's QEMU and Bochs machines). */
static void set_gpa_limit(void)
{
	const vmm_u64 lim = 1ULL << 40;

	reset_bits(40U);
	CHECK_EQ(tbl.gpa_limit, lim);
	/* The last page below the limit is fine, the first at it is not. */
	CHECK_EQ(set(1U, 0U, lim - PAGE, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(1U, 0U, lim - PAGE, 0U, 0U), VMM_MEMSLOT_OK);
	set_fails(1U, 0U, lim, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	set_fails(1U, 0U, lim - PAGE, 2U * PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	set_fails(1U, 0U, 1ULL << 48, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	set_fails(1U, 0U, 1ULL << 52, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	set_fails(1U, 0U, 0xfffffffff000ULL, PAGE, 0U,
		  VMM_MEMSLOT_ERR_GPA_LIMIT);
	/* 1 TiB fits exactly; moving it up one page does not. */
	CHECK_EQ(set(2U, 0U, 0U, lim, 0U), VMM_MEMSLOT_OK);
	set_fails(2U, 0U, PAGE, lim, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	lookup_ok(lim - 8U, 8U, 2U, lim - 8U);
	lookup_fails(lim, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
}

/* MAXPHYADDR above 48: the limit is the page tables' reach, 2^48. */
static void set_gpa_limit_reach(void)
{
	reset_bits(52U);
	CHECK_EQ(tbl.gpa_limit, VMM_GPA_REACH);
	CHECK_EQ(set(1U, 0U, 0xfffffffff000ULL, PAGE, 0U), VMM_MEMSLOT_OK);
	set_fails(2U, 0U, VMM_GPA_REACH, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
	set_fails(2U, 0U, 1ULL << 51, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
}

/* KVM's order: overlap (EEXIST) before the limit; deletes ignore the GPA. */
static void set_limit_order(void)
{
	reset_bits(40U);
	CHECK_EQ(set(0U, 0U, 0U, 8U * PAGE, 0U), VMM_MEMSLOT_OK);
	set_fails(1U, 0U, 0U, 2ULL << 40, 0U, VMM_MEMSLOT_ERR_OVERLAP);
	CHECK_EQ(set(2U, 0U, 3U * MIB, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(2U, 0U, 1ULL << 60, 0U, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(tbl.slots[2].memory_size, 0U);
	/* A used slot's other rules come first too. */
	set_fails(0U, 0U, 1ULL << 40, 16U * PAGE, 0U,
		  VMM_MEMSLOT_ERR_CHANGE_SIZE);
	set_fails(0U, 0U, 1ULL << 40, 8U * PAGE, 0U, VMM_MEMSLOT_ERR_GPA_LIMIT);
}

/* ---- set --------------------------------------------------------------- */

static void set_null(void)
{
	struct vmm_memslot_region r = region(0U, 0U, 0U, PAGE, 0U);

	reset();
	CHECK_EQ(vmm_memslot_set(NULL, &r), VMM_MEMSLOT_ERR_NULL);
	CHECK_EQ(vmm_memslot_set(&tbl, NULL), VMM_MEMSLOT_ERR_NULL);
	CHECK_EQ(vmm_memslot_set(NULL, NULL), VMM_MEMSLOT_ERR_NULL);
}

static void set_create(void)
{
	reset();
	CHECK_EQ(set(3U, VMM_MEM_READONLY, 1U * GIB, 16U * MIB, 0x40000000ULL),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(tbl.slots[3].id, 3U);
	CHECK_EQ(tbl.slots[3].flags, VMM_MEM_READONLY);
	CHECK_EQ(tbl.slots[3].guest_phys_addr, 1U * GIB);
	CHECK_EQ(tbl.slots[3].memory_size, 16U * MIB);
	CHECK_EQ(tbl.slots[3].userspace_addr, 0x40000000ULL);
	lookup_ok(1U * GIB + 0x1234U, 8U, 3U, 0x1234U);
}

static void set_rejects_invalid_region(void)
{
	reset();
	CHECK_EQ(set(0U, 0U, 0U, PAGE, 0U), VMM_MEMSLOT_OK);
	/* The stateless checks run first, and change nothing. */
	set_fails(1U, 0U, 0x1800U, PAGE, 0U, VMM_MEMSLOT_ERR_GPA_ALIGN);
	set_fails(1U, VMM_MEM_LOG_DIRTY_PAGES, PAGE, PAGE, 0U,
		  VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG);
	set_fails(1U, 8U, PAGE, PAGE, 0U, VMM_MEMSLOT_ERR_FLAGS_UNKNOWN);
	set_fails(VMM_MEMSLOT_MAX, 0U, PAGE, PAGE, 0U,
		  VMM_MEMSLOT_ERR_SLOT_ID);
	set_fails(1U, 0U, VMM_U64_MAX - PAGE + 1U, PAGE, 0U,
		  VMM_MEMSLOT_ERR_GPA_WRAP);
}

static void set_overlap(void)
{
	reset();
	/* Slot 0: [1 MiB, 2 MiB). */
	CHECK_EQ(set(0U, 0U, 1U * MIB, 1U * MIB, 0U), VMM_MEMSLOT_OK);
	set_fails(1U, 0U, 1U * MIB, 1U * MIB, 0U, VMM_MEMSLOT_ERR_OVERLAP);
	/* Tail of 1 overlaps head of 0. */
	set_fails(1U, 0U, 1U * MIB - PAGE, 2U * PAGE, 0U,
		  VMM_MEMSLOT_ERR_OVERLAP);
	/* Head of 1 overlaps tail of 0. */
	set_fails(1U, 0U, 2U * MIB - PAGE, 2U * PAGE, 0U,
		  VMM_MEMSLOT_ERR_OVERLAP);
	/* Inside, and around. */
	set_fails(1U, 0U, 1U * MIB + PAGE, PAGE, 0U, VMM_MEMSLOT_ERR_OVERLAP);
	set_fails(1U, 0U, 0U, 4U * MIB, 0U, VMM_MEMSLOT_ERR_OVERLAP);
}

static void set_adjacent(void)
{
	reset();
	CHECK_EQ(set(0U, 0U, 1U * MIB, 1U * MIB, 0U), VMM_MEMSLOT_OK);
	/* Touching either end is not an overlap. */
	CHECK_EQ(set(1U, 0U, 2U * MIB, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(2U, 0U, 1U * MIB - PAGE, PAGE, 0U), VMM_MEMSLOT_OK);
}

static void set_delete(void)
{
	reset();
	CHECK_EQ(set(4U, VMM_MEM_READONLY, 1U * MIB, 1U * MIB, 0x10000000ULL),
		 VMM_MEMSLOT_OK);
	/*
	 * size 0 deletes; KVM checks the other fields but does not use them:
	 * nothing of the request may land in the emptied slot.
	 */
	CHECK_EQ(set(4U, VMM_MEM_READONLY, 2U * MIB, 0U, 0x20000000ULL),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(tbl.slots[4].id, 4U);
	CHECK_EQ(tbl.slots[4].flags, 0U);
	CHECK_EQ(tbl.slots[4].guest_phys_addr, 0U);
	CHECK_EQ(tbl.slots[4].memory_size, 0U);
	CHECK_EQ(tbl.slots[4].userspace_addr, 0U);
	lookup_fails(1U * MIB, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
	/* The range is free again, for any slot. */
	CHECK_EQ(set(9U, 0U, 1U * MIB, 1U * MIB, 0U), VMM_MEMSLOT_OK);
}

static void set_delete_empty(void)
{
	reset();
	set_fails(4U, 0U, 0U, 0U, 0U, VMM_MEMSLOT_ERR_DELETE_EMPTY);
	CHECK_EQ(set(4U, 0U, 0U, PAGE, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(4U, 0U, 0U, 0U, 0U), VMM_MEMSLOT_OK);
	set_fails(4U, 0U, 0U, 0U, 0U, VMM_MEMSLOT_ERR_DELETE_EMPTY);
}

static void set_move(void)
{
	reset();
	CHECK_EQ(set(0U, 0U, 1U * MIB, 4U * PAGE, 0x1000000ULL),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(set(1U, 0U, 8U * MIB, 4U * PAGE, 0x2000000ULL),
		 VMM_MEMSLOT_OK);
	/* Move slot 0 onto a range that overlaps its own old range. */
	CHECK_EQ(set(0U, 0U, 1U * MIB + 2U * PAGE, 4U * PAGE, 0x1000000ULL),
		 VMM_MEMSLOT_OK);
	CHECK_EQ(tbl.slots[0].guest_phys_addr, 1U * MIB + 2U * PAGE);
	lookup_fails(1U * MIB, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_ok(1U * MIB + 2U * PAGE, 1U, 0U, 0U);
	/* Moving onto slot 1 fails. */
	set_fails(0U, 0U, 8U * MIB + PAGE, 4U * PAGE, 0x1000000ULL,
		  VMM_MEMSLOT_ERR_OVERLAP);
	/* Same region again: a no-op that succeeds. */
	CHECK_EQ(set(1U, 0U, 8U * MIB, 4U * PAGE, 0x2000000ULL),
		 VMM_MEMSLOT_OK);
	lookup_ok(8U * MIB + 5U, 2U, 1U, 5U);
}

static void set_change_rejected(void)
{
	reset();
	CHECK_EQ(set(2U, VMM_MEM_READONLY, 1U * MIB, 4U * PAGE, 0x1000000ULL),
		 VMM_MEMSLOT_OK);
	set_fails(2U, VMM_MEM_READONLY, 1U * MIB, 8U * PAGE, 0x1000000ULL,
		  VMM_MEMSLOT_ERR_CHANGE_SIZE);
	set_fails(2U, VMM_MEM_READONLY, 1U * MIB, 2U * PAGE, 0x1000000ULL,
		  VMM_MEMSLOT_ERR_CHANGE_SIZE);
	set_fails(2U, VMM_MEM_READONLY, 1U * MIB, 4U * PAGE, 0x2000000ULL,
		  VMM_MEMSLOT_ERR_CHANGE_UADDR);
	set_fails(2U, 0U, 1U * MIB, 4U * PAGE, 0x1000000ULL,
		  VMM_MEMSLOT_ERR_CHANGE_READONLY);
	/* And the other way round. */
	CHECK_EQ(set(3U, 0U, 2U * MIB, PAGE, 0U), VMM_MEMSLOT_OK);
	set_fails(3U, VMM_MEM_READONLY, 2U * MIB, PAGE, 0U,
		  VMM_MEMSLOT_ERR_CHANGE_READONLY);
}

static void set_fill_table(void)
{
	vmm_u32 i;

	reset();
	for (i = 0U; i < VMM_MEMSLOT_MAX; i++)
		CHECK_EQ(set(i, 0U, (vmm_u64)i * MIB, MIB, (vmm_u64)i * GIB),
			 VMM_MEMSLOT_OK);
	for (i = 0U; i < VMM_MEMSLOT_MAX; i++)
		lookup_ok((vmm_u64)i * MIB + MIB - 1U, 1U, i, MIB - 1U);
	set_fails(VMM_MEMSLOT_MAX, 0U, 64U * MIB, MIB, 0U,
		  VMM_MEMSLOT_ERR_SLOT_ID);
}

/* ---- lookup ------------------------------------------------------------ */

static void lookup_null(void)
{
	vmm_u32 idx = 0U;
	vmm_u64 off = 0U;

	reset();
	CHECK_EQ(set(0U, 0U, 0U, MIB, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(vmm_memslot_lookup(NULL, 0U, 1U, &idx, &off),
		 VMM_MEMSLOT_ERR_NULL);
	CHECK_EQ(vmm_memslot_lookup(&tbl, 0U, 1U, NULL, &off),
		 VMM_MEMSLOT_ERR_NULL);
	CHECK_EQ(vmm_memslot_lookup(&tbl, 0U, 1U, &idx, NULL),
		 VMM_MEMSLOT_ERR_NULL);
}

static void lookup_zero_length(void)
{
	reset();
	CHECK_EQ(set(0U, 0U, 0U, MIB, 0U), VMM_MEMSLOT_OK);
	lookup_fails(PAGE, 0U, VMM_MEMSLOT_ERR_LEN_ZERO);
}

static void lookup_wraparound(void)
{
	reset();
	CHECK_EQ(set(0U, 0U, 0U, MIB, 0U), VMM_MEMSLOT_OK);
	lookup_fails(VMM_U64_MAX, 2U, VMM_MEMSLOT_ERR_RANGE_WRAP);
	/* Would wrap to 0x800, inside slot 0: must not be found. */
	lookup_fails(VMM_U64_MAX - 0x7FFU, 0x1000U,
		     VMM_MEMSLOT_ERR_RANGE_WRAP);
	lookup_fails(1U, VMM_U64_MAX, VMM_MEMSLOT_ERR_RANGE_WRAP);
	/* Ending exactly at 2^64 also counts as wrapping. */
	lookup_fails(VMM_U64_MAX, 1U, VMM_MEMSLOT_ERR_RANGE_WRAP);
	/* The largest range that does not wrap is simply not mapped. */
	lookup_fails(0U, VMM_U64_MAX, VMM_MEMSLOT_ERR_NOT_FOUND);
}

static void lookup_exact_end(void)
{
	reset();
	/* Slot 7: [0x10000, 0x14000). */
	CHECK_EQ(set(7U, 0U, 0x10000U, 0x4000U, 0U), VMM_MEMSLOT_OK);
	lookup_ok(0x10000U, 0x4000U, 7U, 0U);
	lookup_ok(0x13FFFU, 1U, 7U, 0x3FFFU);
	lookup_ok(0x13000U, 0x1000U, 7U, 0x3000U);
	lookup_fails(0x13001U, 0x1000U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_fails(0x10000U, 0x4001U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_fails(0x14000U, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_fails(0xFFFFU, 2U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_fails(0xFFFFU, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
}

static void lookup_spans_two_slots(void)
{
	reset();
	/* Adjacent slots [0, 4K) and [4K, 8K), host-contiguous even. */
	CHECK_EQ(set(0U, 0U, 0U, PAGE, 0x100000ULL), VMM_MEMSLOT_OK);
	CHECK_EQ(set(1U, 0U, PAGE, PAGE, 0x101000ULL), VMM_MEMSLOT_OK);
	lookup_ok(PAGE - 2U, 2U, 0U, PAGE - 2U);
	lookup_ok(PAGE, 2U, 1U, 0U);
	lookup_fails(PAGE - 1U, 2U, VMM_MEMSLOT_ERR_NOT_FOUND);
	lookup_fails(0U, 2U * PAGE, VMM_MEMSLOT_ERR_NOT_FOUND);
}

static void lookup_picks_right_slot(void)
{
	reset();
	CHECK_EQ(set(5U, 0U, 3U * GIB, 1U * GIB, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(2U, 0U, 0U, 640U * KIB, 0U), VMM_MEMSLOT_OK);
	CHECK_EQ(set(9U, VMM_MEM_READONLY, 4U * GIB - 256U * KIB, 256U * KIB,
		     0U), VMM_MEMSLOT_ERR_OVERLAP);
	CHECK_EQ(set(9U, VMM_MEM_READONLY, 2U * GIB, 256U * KIB, 0U),
		 VMM_MEMSLOT_OK);
	lookup_ok(0x9F000U, 0x1000U, 2U, 0x9F000U);
	lookup_ok(3U * GIB + 0x5000U, 4U, 5U, 0x5000U);
	lookup_ok(2U * GIB + 0x10U, 4U, 9U, 0x10U);
	lookup_fails(640U * KIB, 1U, VMM_MEMSLOT_ERR_NOT_FOUND);
}

static const struct tap_case cases[] = {
	TAP_CASE(init_null),
	TAP_CASE(init_empties_table),
	TAP_CASE(validate_null),
	TAP_CASE(validate_accepts),
	TAP_CASE(validate_address_space),
	TAP_CASE(validate_slot_id),
	TAP_CASE(validate_flags_unknown),
	TAP_CASE(validate_flags_dirty_log),
	TAP_CASE(validate_misaligned),
	TAP_CASE(validate_wraparound),
	TAP_CASE(validate_limits),
	TAP_CASE(init_gpa_limit),
	TAP_CASE(set_gpa_limit),
	TAP_CASE(set_gpa_limit_reach),
	TAP_CASE(set_limit_order),
	TAP_CASE(set_null),
	TAP_CASE(set_create),
	TAP_CASE(set_rejects_invalid_region),
	TAP_CASE(set_overlap),
	TAP_CASE(set_adjacent),
	TAP_CASE(set_delete),
	TAP_CASE(set_delete_empty),
	TAP_CASE(set_move),
	TAP_CASE(set_change_rejected),
	TAP_CASE(set_fill_table),
	TAP_CASE(lookup_null),
	TAP_CASE(lookup_zero_length),
	TAP_CASE(lookup_wraparound),
	TAP_CASE(lookup_exact_end),
	TAP_CASE(lookup_spans_two_slots),
	TAP_CASE(lookup_picks_right_slot),
};

int main(void)
{
	return tap_run("unit/memslot", cases, TAP_COUNT(cases));
}
