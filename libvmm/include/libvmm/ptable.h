/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 2: second-level page tables (Intel EPT, AMD NPT).
 *
 * One table translates a VM's guest-physical addresses (GPA, 48 bits, four
 * levels of 512 entries, 4 KiB leaves only) to host-physical addresses
 * (HPA, below 2^52).  The format is chosen per table at init:
 *   - Intel EPT (SDM vol. 3C, 29.3.2 "EPT Translation Mechanism" and 29.3.7
 *     "EPT and Memory Typing"): bit 0 read, bit 1 write, bit 2 execute;
 *     non-leaf entries RWX; leaf entries add memory type WB (6) in bits 5:3
 *     and ignore-PAT (bit 6), so the guest cannot make a page UC/WC while
 *     the host maps it WB (no memory-type aliasing); address in bits 51:12.
 *   - AMD NPT (APM vol. 2, 15.25 "Nested Paging", long-mode 4-level format
 *     of 5.3.3): bit 0 present, bit 1 read/write, bit 2 user/supervisor set
 *     on every level (the nested walk treats every guest access as a user
 *     access, 15.25.5), bit 63 no-execute, address in bits 51:12.  NX is
 *     honoured only with the host's EFER.NXE = 1 (Linux always sets it).
 *
 * Memory: the page-table pages come from a pool of npages pages (at most
 * VMM_PT_POOL_MAX) that the module allocates and hands over at init, and
 * adds to with vmm_ptable_grow() when a map finds every page in use: one
 * page-aligned, virtually contiguous view (vmap of the pool's pages) whose
 * 4 KiB page i, entries[512 * i .. 512 * i + 511], is the hardware-visible
 * content of pool page i, and page_pa[i], its host-physical address.  A
 * grown pool is a new view of the old pages plus new ones: the old pages
 * keep their physical addresses, so no entry changes.  Page 0 is the root
 * (EPTP / nCR3 point at it: vmm_ptable_root_pa()).  The rest of struct
 * vmm_ptable is libvmm-private software state: which pool pages are in
 * use, the level of each, and a shadow of the child pool index of every
 * non-leaf entry (child[], 512 per pool page, in an array the module
 * allocates and vmm_ptable_grow() copies into a larger one), so that no
 * proof (and no code) turns a physical address into a pointer.  A guest
 * needs one leaf table per 2 MiB it touches, one level-1 table per 1 GiB,
 * one level-2 table per 512 GiB, and the root.
 *
 * Guarantees (proved with Frama-C/WP against acsl-specs/ptable.acsl):
 *   - structural invariant pt_live(): every present non-leaf entry holds
 *     page_pa[c] | 7 of a used pool page c one level below, whose shadow
 *     parent is exactly that entry (so no page is the child of two
 *     entries); absent non-leaf entries are 0; the root is used.
 *   - functional: pt_leaf(pt, gpa) is what a walk from the root finds;
 *     map sets it for one page and changes no other page's translation,
 *     unmap clears it, lookup returns it, teardown empties everything.
 *   - isolation pt_isolated(pt, slots): every leaf the hardware sees as
 *     present maps a GPA byte that lies in a slot of the slot table passed
 *     to vmm_ptable_map(), and a leaf the hardware sees as writable lies in
 *     a slot that is not read-only.  Map keeps it, unmap and lookup keep
 *     it for every slot table.
 *   - host ownership: pt_owned(pt), no present leaf maps one of the pool's
 *     pages (map refuses such an hpa: VMM_PT_ERR_HPA_POOL), and
 *     pt_backed(pt, slots), every present leaf maps the host page backing
 *     its GPA in its slot (vmm_host_page() of the slot's user address:
 *     kept by map when hpa is that page, pt_backs).  pt_secure() is the
 *     three together; init and teardown give it, map, unmap and grow keep
 *     it under the conditions their contracts state.
 *   - map on a present entry is refused (VMM_PT_ERR_MAPPED or an earlier
 *     error): a map that succeeds found the page absent.
 *
 * Requirements on the caller (the module); libvmm cannot check them:
 *   - pool page i really is the page at host-physical page_pa[i], the pool
 *     pages are distinct, a view handed to vmm_ptable_grow() shows the
 *     pool's pages at the same offsets as the view it replaces (and the
 *     old view is not used after), and nothing else writes them or struct vmm_ptable
 *     (the CPU's own accessed/dirty updates touch NPT bits 5/6 only, which
 *     nothing here reads; the module must leave EPTP bit 6, EPT A/D, clear).
 *   - hpa passed to vmm_ptable_map() is the host-physical address of the
 *     page the module pinned at slots[slot].userspace_addr + (gpa - slot
 *     base), i.e. pt_backs() holds; libvmm only knows the slot, not host
 *     memory.  It stays pinned while mapped.
 *   - pages handed to vmm_ptable_grow() are no present leaf's page
 *     (pt_fresh(): fresh allocations; a mapped page is pinned, not free).
 *   - slot changes: before vmm_memslot_set() deletes or moves a slot, the
 *     module unmaps every page of the slot's old range (lemma
 *     pt_isolated_slot_change: isolation then holds for the new table).
 *   - serialization: one caller at a time per table (the VM's MMU lock).
 *     Stores are plain C stores, so while map/unmap run no vCPU of this VM
 *     may be in guest mode using the table (v1: the module maps a page on
 *     its first access with the VM's memory lock held for writing, which
 *     keeps every vCPU out), and after unmap (or a teardown) no guest of
 *     the VM runs on the table before the module has flushed the TLBs
 *     (INVEPT / ASID flush); the page is unpinned only then, or while no
 *     vCPU can enter before such a flush.
 *
 * A failed call changes no translation; every failure reason has its own
 * code.  VMM_PT_ERR_POOL_EMPTY can leave empty intermediate tables linked
 * (the structure stays valid, no translation changes, later maps reuse
 * them, teardown frees them).
 */
#ifndef LIBVMM_PTABLE_H
#define LIBVMM_PTABLE_H

#include <libvmm/types.h>
#include <libvmm/memslot.h>

/* Table formats. */
#define VMM_PT_FORMAT_EPT 1U
#define VMM_PT_FORMAT_NPT 2U

/* Geometry: 4 levels of 512 entries, 48-bit GPAs, 52-bit HPAs. */
#define VMM_PT_ENTRIES 512U
#define VMM_PT_LEVELS 4U
/* 2^48: the memory-slot layer's VMM_GPA_REACH, the one place it is set. */
#define VMM_PT_GPA_LIMIT VMM_GPA_REACH
#define VMM_PT_HPA_LIMIT 0x0010000000000000ULL /* 2^52 */
/* Bytes covered by one entry of a level-l table (level 0 = leaf table). */
#define VMM_PT_SPAN_L0 0x1000ULL         /* 4 KiB */
#define VMM_PT_SPAN_L1 0x200000ULL       /* 2 MiB */
#define VMM_PT_SPAN_L2 0x40000000ULL     /* 1 GiB */
#define VMM_PT_SPAN_L3 0x8000000000ULL   /* 512 GiB */

/*
 * Pool: page 0 is the root.  Child indices are stored as vmm_u16, so a
 * pool has at most 65534 pages (256 MiB of tables: every 4 KiB page of a
 * 127 GiB guest).  The module decides how many it gives (npages).
 */
#define VMM_PT_POOL_MAX 65534U
#define VMM_PT_POOL_MAX_ENTRIES (VMM_PT_POOL_MAX * VMM_PT_ENTRIES)
/*
 * Flat index of entry j of pool page p, in entries[] and child[].  A macro
 * rather than an inline function because the ACSL contracts use the same
 * text; arguments are pool page < 65534 and index < 512, so no overflow
 * of 32 bits.
 */
#define VMM_PT_AT(p, j) (((p) * VMM_PT_ENTRIES) + (j))
#define VMM_PT_ROOT 0U
#define VMM_PT_NONE 0xFFFFU /* shadow child index of an absent entry */
VMM_BUILD_ASSERT(pt_pool_fits_u16, VMM_PT_POOL_MAX < VMM_PT_NONE);

/* Permissions of a leaf, as the caller asks for them. */
#define VMM_PT_PERM_R 1U
#define VMM_PT_PERM_W 2U
#define VMM_PT_PERM_X 4U
/* Accepted: R, RW, RX, RWX (readable; no write- or execute-only). */

/* Entry bits. */
#define VMM_PT_TABLE_BITS 7ULL      /* EPT: R|W|X; NPT: P|RW|US */
#define VMM_EPT_LEAF_MT_WB 0x30ULL  /* EPT memory type 6 (WB), bits 5:3 */
#define VMM_EPT_LEAF_IPAT 0x40ULL   /* EPT ignore PAT, bit 6 */
#define VMM_NPT_P 1ULL
#define VMM_NPT_RW 2ULL
#define VMM_NPT_US 4ULL
#define VMM_NPT_NX 0x8000000000000000ULL /* bit 63 */

enum vmm_ptable_err {
	VMM_PT_OK = 0,
	VMM_PT_ERR_NULL = 1,          /* a pointer argument is NULL */
	VMM_PT_ERR_FORMAT = 2,        /* init: neither EPT nor NPT */
	VMM_PT_ERR_PAGE_ALIGN = 3,    /* init: a page_pa[i] % 4 KiB != 0 */
	VMM_PT_ERR_PAGE_LIMIT = 4,    /* init: a page_pa[i] >= 2^52 */
	VMM_PT_ERR_TORN_DOWN = 5,     /* table torn down: init it again */
	VMM_PT_ERR_GPA_LIMIT = 6,     /* gpa >= 2^48 */
	VMM_PT_ERR_GPA_ALIGN = 7,     /* map/unmap: gpa % 4 KiB != 0 */
	VMM_PT_ERR_HPA_ALIGN = 8,     /* map: hpa % 4 KiB != 0 */
	VMM_PT_ERR_HPA_LIMIT = 9,     /* map: hpa >= 2^52 */
	VMM_PT_ERR_PERMS = 10,        /* map: not R, RW, RX or RWX */
	VMM_PT_ERR_NO_SLOT = 11,      /* map: no slot backs the page */
	VMM_PT_ERR_SLOT_READONLY = 12, /* map: W asked, slot is read-only */
	VMM_PT_ERR_MAPPED = 13,       /* map: the page is already mapped */
	VMM_PT_ERR_POOL_EMPTY = 14,   /* map: every pool page is in use */
	VMM_PT_ERR_NOT_MAPPED = 15,   /* unmap/lookup: nothing mapped */
	VMM_PT_ERR_POOL_SIZE = 16,    /* init/grow: npages not in range */
	VMM_PT_ERR_HPA_POOL = 17      /* map: hpa is a page-table page */
};

struct vmm_ptable {
	vmm_u32 format;                 /* VMM_PT_FORMAT_* */
	vmm_u32 npages;                 /* pool pages given, <= POOL_MAX */
	/*
	 * Hardware-visible, module-allocated: pool page i is entries[512 * i
	 * .. 512 * i + 511] (VMM_PT_AT(i, j)), i < npages.  One flat array,
	 * not a pointer per page: the pool is one virtually contiguous view
	 * (vmap), page aligned, whose pages need not be physically contiguous.
	 */
	vmm_u64 *entries;
	/*
	 * libvmm-private, module-allocated: the shadow child index of entry
	 * VMM_PT_AT(p, j), or NONE; npages * 512 of them.
	 */
	vmm_u16 *child;
	vmm_u64 page_pa[VMM_PT_POOL_MAX]; /* host PA of pool page i */
	/* libvmm-private shadow state. */
	vmm_u8 used[VMM_PT_POOL_MAX];     /* 0 = free */
	vmm_u8 level[VMM_PT_POOL_MAX];    /* 3 = root ... 0 = leaf table */
	/*
	 * The entry pointing here: page and index.  vmm_u32, not vmm_u16
	 * like child[]: a different C type is a different memory for the
	 * prover, so writing a parent cannot look like writing a child.
	 */
	vmm_u32 parent_page[VMM_PT_POOL_MAX];
	vmm_u32 parent_idx[VMM_PT_POOL_MAX];
};

#ifdef __FRAMAC__
#include "ptable.acsl"
#endif

/*
 * Take over a pool of @npages pages (entries: npages * 512 entries, child:
 * as many shadow indices, page_pa: npages addresses) and make an empty
 * table of @format: only the root is used, nothing is mapped.  @npages is
 * 1 .. VMM_PT_POOL_MAX; every page_pa[i] must be 4 KiB aligned and below
 * 2^52.
 */
/*@ requires pt == \null || \valid(pt);
  @ requires pt_grow_args(entries, child, page_pa, npages);
  @ requires pt != \null && entries != \null && child != \null &&
  @          page_pa != \null && pt_npages_ok(npages) ==>
  @            pt_grow_sep(pt, entries, child, page_pa, npages);
  @
  @ assigns *pt, entries[0 .. VMM_PT_ENTRIES - 1],
  @         child[0 .. VMM_PT_ENTRIES - 1];
  @
  @ ensures pt == \null || entries == \null || child == \null ||
  @         page_pa == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_FORMAT ==> !pt_fmt_ok(format);
  @ ensures \result == VMM_PT_ERR_POOL_SIZE ==> !pt_npages_ok(npages);
  @ ensures \result == VMM_PT_ERR_PAGE_ALIGN ==>
  @           \exists integer i; 0 <= i < npages &&
  @             page_pa[i] % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_PAGE_LIMIT ==>
  @           \exists integer i; 0 <= i < npages &&
  @             page_pa[i] >= VMM_PT_HPA_LIMIT;
  @ ensures \result == VMM_PT_OK <==>
  @           pt != \null && entries != \null && child != \null &&
  @           page_pa != \null && pt_fmt_ok(format) &&
  @           pt_npages_ok(npages) &&
  @           \forall integer i; 0 <= i < npages ==> pt_pa_ok(page_pa[i]);
  @ ensures \result == VMM_PT_OK ==>
  @           pt_mem(pt) && pt_live(pt) && pt->entries == entries &&
  @           pt->child == child && pt->npages == npages &&
  @           pt->format == format &&
  @           (\forall integer i; 0 <= i < npages ==>
  @              pt->page_pa[i] == page_pa[i]) &&
  @           (\forall integer i; 0 < i < VMM_PT_POOL_MAX ==>
  @              pt->used[i] == 0) &&
  @           (\forall integer g; 0 <= g ==> pt_leaf(pt, g) == 0);
  @ ensures \result == VMM_PT_OK ==> \forall struct vmm_memslot_table t;
  @           pt_secure(pt, t);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_FORMAT ||
  @         \result == VMM_PT_ERR_POOL_SIZE ||
  @         \result == VMM_PT_ERR_PAGE_ALIGN ||
  @         \result == VMM_PT_ERR_PAGE_LIMIT;
  @*/
enum vmm_ptable_err vmm_ptable_init(struct vmm_ptable *pt, vmm_u32 format,
				    vmm_u64 *entries, vmm_u16 *child,
				    const vmm_u64 *page_pa, vmm_u32 npages);

/*
 * Grow the pool of a live table to @npages pages (more than it has, at
 * most VMM_PT_POOL_MAX).  @entries is a new view of the pool: its first
 * pt->npages pages must be the pool's pages as they are (the same
 * physical pages, so it reads what pt->entries reads), the rest are new;
 * page_pa[pt->npages .. npages - 1] are the new pages' host-physical
 * addresses (the first ones are ignored: old pages keep theirs).  @child
 * is a new shadow array of npages * 512 entries: libvmm copies the old one
 * into it.  On success the table uses the new view and shadow (the module
 * may free the old ones); no translation changes, nothing else changes.
 * On failure nothing changes.
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @ requires pt_grow_args(entries, child, page_pa, npages);
  @ requires pt != \null && entries != \null && child != \null &&
  @          page_pa != \null && pt_npages_ok(npages) ==>
  @            pt_grow_sep(pt, entries, child, page_pa, npages) &&
  @            \separated(child + (0 .. pt_at(npages, 0) - 1),
  @                       pt->child + (0 .. pt_at(pt->npages, 0) - 1));
  @ requires pt != \null && entries != \null && pt->npages < npages &&
  @          npages <= VMM_PT_POOL_MAX ==>
  @            \forall integer y; 0 <= y < pt_at(pt->npages, 0) ==>
  @              entries[y] == pt->entries[y];
  @
  @ assigns *pt, child[0 .. pt_at(npages, 0) - 1];
  @
  @ ensures pt != \null ==> pt_mem(pt) && pt_inv(pt);
  @ ensures pt == \null || entries == \null || child == \null ||
  @         page_pa == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_ERR_POOL_SIZE ==>
  @           !(\at(pt->npages, Pre) < npages <= VMM_PT_POOL_MAX);
  @ ensures \result == VMM_PT_ERR_PAGE_ALIGN ==>
  @           \exists integer i; \at(pt->npages, Pre) <= i < npages &&
  @             page_pa[i] % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_PAGE_LIMIT ==>
  @           \exists integer i; \at(pt->npages, Pre) <= i < npages &&
  @             page_pa[i] >= VMM_PT_HPA_LIMIT;
  @ ensures \result == VMM_PT_OK <==>
  @           pt != \null && entries != \null && child != \null &&
  @           page_pa != \null && pt_live{Pre}(pt) &&
  @           \at(pt->npages, Pre) < npages <= VMM_PT_POOL_MAX &&
  @           \forall integer i; \at(pt->npages, Pre) <= i < npages ==>
  @             pt_pa_ok(page_pa[i]);
  @ ensures \result == VMM_PT_OK ==>
  @           pt_live(pt) && pt->npages == npages &&
  @           pt->entries == entries && pt->child == child &&
  @           (\forall integer i; \at(pt->npages, Pre) <= i < npages ==>
  @              pt->page_pa[i] == page_pa[i]) &&
  @           pt->page_pa[VMM_PT_ROOT] == \at(pt->page_pa[VMM_PT_ROOT], Pre);
  @ ensures \result != VMM_PT_OK && pt != \null ==>
  @           pt->npages == \at(pt->npages, Pre) &&
  @           pt->entries == \at(pt->entries, Pre) &&
  @           pt->child == \at(pt->child, Pre);
  @ ensures pt != \null ==> \forall integer g; 0 <= g ==>
  @           pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures pt != \null ==> \forall struct vmm_memslot_table t;
  @           pt_isolated{Pre}(pt, t) ==> pt_isolated(pt, t);
  @ ensures pt != \null ==> \forall struct vmm_memslot_table t;
  @           pt_backed{Pre}(pt, t) ==> pt_backed(pt, t);
  @ ensures pt != \null && page_pa != \null && pt_owned{Pre}(pt) &&
  @         pt_fresh{Pre}(pt, page_pa, \at(pt->npages, Pre), npages) ==>
  @           pt_owned(pt);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_TORN_DOWN ||
  @         \result == VMM_PT_ERR_POOL_SIZE ||
  @         \result == VMM_PT_ERR_PAGE_ALIGN ||
  @         \result == VMM_PT_ERR_PAGE_LIMIT;
  @*/
enum vmm_ptable_err vmm_ptable_grow(struct vmm_ptable *pt, vmm_u64 *entries,
				    vmm_u16 *child, const vmm_u64 *page_pa,
				    vmm_u32 npages);

/*
 * Map the 4 KiB guest page at @gpa to the host page at @hpa with @perms,
 * for a VM whose memory slots are @slots: the page must lie in one slot,
 * and W needs a slot that is not read-only.  A page of a slot of a table
 * that holds the memory-slot invariant is never VMM_PT_ERR_GPA_LIMIT: the
 * table's limit is at most this layer's reach (lemma mapped_below_reach).  Allocates missing
 * intermediate tables from the pool: VMM_PT_ERR_POOL_EMPTY when all its
 * npages are in use (vmm_ptable_grow(), then map again).  An already mapped page is refused
 * (unmap it first, so that the TLB flush is not forgotten).
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @ requires slots == \null || \valid_read(slots);
  @ requires pt != \null && slots != \null ==> pt_sep(pt, slots);
  @
  @ assigns pt->used[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->level[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_page[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->parent_idx[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->child[0 .. pt_at(pt->npages, 0) - 1],
  @         pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt != \null ==> pt_inv(pt);
  @ ensures pt != \null && slots != \null && pt_live{Pre}(pt) &&
  @         pt_isolated{Pre}(pt, \at(*slots, Pre)) ==>
  @           pt_isolated(pt, \at(*slots, Pre));
  @ ensures pt == \null || slots == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_ERR_GPA_LIMIT ==> gpa >= VMM_PT_GPA_LIMIT;
  @ ensures slots != \null && table_invariant{Pre}(slots) &&
  @         range_mapped{Pre}(slots, gpa, VMM_PAGE_SIZE) ==>
  @           \result != VMM_PT_ERR_GPA_LIMIT;
  @ ensures \result == VMM_PT_ERR_GPA_ALIGN ==> gpa % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_HPA_ALIGN ==> hpa % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_HPA_LIMIT ==> hpa >= VMM_PT_HPA_LIMIT;
  @ ensures \result == VMM_PT_ERR_PERMS ==> !pt_perms_ok(perms);
  @ ensures \result == VMM_PT_ERR_NO_SLOT ==>
  @           !range_mapped(slots, gpa, VMM_PAGE_SIZE);
  @ ensures \result == VMM_PT_ERR_SLOT_READONLY ==>
  @           pt_perm_w(perms) &&
  @           \exists integer i; 0 <= i < VMM_MEMSLOT_MAX &&
  @             range_in_slot(slots->slots[i], gpa, VMM_PAGE_SIZE) &&
  @             slots->slots[i].flags != 0;
  @ ensures \result == VMM_PT_ERR_MAPPED ==>
  @           pt_present(pt->format, pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_OK ==>
  @           !pt_present(\at(pt->format, Pre), pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_ERR_HPA_POOL ==> pt_pool_page(pt, hpa);
  @ ensures \result == VMM_PT_OK ==> !pt_pool_page(pt, hpa);
  @ ensures pt != \null && slots != \null && pt_live{Pre}(pt) &&
  @         pt_owned{Pre}(pt) ==> pt_owned(pt);
  @ ensures pt != \null && slots != \null && pt_live{Pre}(pt) &&
  @         pt_backed{Pre}(pt, \at(*slots, Pre)) &&
  @         pt_backs(\at(*slots, Pre), gpa, hpa) ==>
  @           pt_backed(pt, \at(*slots, Pre));
  @ ensures \result == VMM_PT_ERR_POOL_EMPTY ==>
  @           \forall integer i; 0 <= i < pt->npages ==>
  @             pt->used[i] != 0;
  @ ensures \result == VMM_PT_OK ==>
  @           pt_live(pt) && gpa < VMM_PT_GPA_LIMIT &&
  @           gpa % VMM_PAGE_SIZE == 0 && pt_pa_ok(hpa) &&
  @           pt_perms_ok(perms) && range_mapped(slots, gpa, VMM_PAGE_SIZE) &&
  @           pt_leaf(pt, gpa) == pt_leaf_entry(pt->format, hpa, perms);
  @ ensures pt != \null ==> \forall integer g; 0 <= g ==>
  @           !(\result == VMM_PT_OK && pt_same_page(g, gpa)) ==>
  @           pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_TORN_DOWN ||
  @         \result == VMM_PT_ERR_GPA_LIMIT ||
  @         \result == VMM_PT_ERR_GPA_ALIGN ||
  @         \result == VMM_PT_ERR_HPA_ALIGN ||
  @         \result == VMM_PT_ERR_HPA_LIMIT ||
  @         \result == VMM_PT_ERR_PERMS || \result == VMM_PT_ERR_NO_SLOT ||
  @         \result == VMM_PT_ERR_SLOT_READONLY ||
  @         \result == VMM_PT_ERR_MAPPED || \result == VMM_PT_ERR_POOL_EMPTY ||
  @         \result == VMM_PT_ERR_HPA_POOL;
  @*/
enum vmm_ptable_err vmm_ptable_map(struct vmm_ptable *pt,
				   const struct vmm_memslot_table *slots,
				   vmm_u64 gpa, vmm_u64 hpa, vmm_u32 perms);

/*
 * Remove the leaf of the 4 KiB guest page at @gpa.  Intermediate tables
 * stay (empty ones are reused by later maps and freed by teardown).  The
 * module must flush the TLBs afterwards.
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @
  @ assigns pt->entries[0 .. pt_at(pt->npages, 0) - 1];
  @
  @ ensures pt != \null ==> pt_inv(pt);
  @ ensures pt != \null ==> \forall struct vmm_memslot_table t;
  @           pt_isolated{Pre}(pt, t) ==> pt_isolated(pt, t);
  @ ensures pt != \null ==> \forall struct vmm_memslot_table t;
  @           pt_backed{Pre}(pt, t) ==> pt_backed(pt, t);
  @ ensures pt != \null ==> pt_owned{Pre}(pt) ==> pt_owned(pt);
  @ ensures pt == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_ERR_GPA_LIMIT ==> gpa >= VMM_PT_GPA_LIMIT;
  @ ensures \result == VMM_PT_ERR_GPA_ALIGN ==> gpa % VMM_PAGE_SIZE != 0;
  @ ensures \result == VMM_PT_ERR_NOT_MAPPED ==>
  @           !pt_present(pt->format, pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_OK ==>
  @           pt_live(pt) && gpa < VMM_PT_GPA_LIMIT &&
  @           gpa % VMM_PAGE_SIZE == 0 &&
  @           pt_present(pt->format, pt_leaf{Pre}(pt, gpa)) &&
  @           pt_leaf(pt, gpa) == 0;
  @ ensures pt != \null ==> \forall integer g; 0 <= g ==>
  @           !(\result == VMM_PT_OK && pt_same_page(g, gpa)) ==>
  @           pt_leaf(pt, g) == pt_leaf{Pre}(pt, g);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_TORN_DOWN ||
  @         \result == VMM_PT_ERR_GPA_LIMIT ||
  @         \result == VMM_PT_ERR_GPA_ALIGN ||
  @         \result == VMM_PT_ERR_NOT_MAPPED;
  @*/
enum vmm_ptable_err vmm_ptable_unmap(struct vmm_ptable *pt, vmm_u64 gpa);

/*
 * Translate the guest byte @gpa (any alignment): on success *hpa is the
 * host-physical address of that byte and *perms the leaf's permissions
 * (VMM_PT_PERM_*).  On failure the outputs are not written.
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @ requires hpa == \null || \valid(hpa);
  @ requires perms == \null || \valid(perms);
  @ requires hpa != \null && perms != \null ==> \separated(hpa, perms);
  @ requires pt != \null && hpa != \null ==> pt_sep_out(pt, hpa);
  @ requires pt != \null && perms != \null ==> \separated(pt, perms);
  @
  @ assigns *hpa, *perms;
  @
  @ ensures pt == \null || hpa == \null || perms == \null <==>
  @           \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_ERR_GPA_LIMIT ==> gpa >= VMM_PT_GPA_LIMIT;
  @ ensures \result == VMM_PT_OK <==>
  @           pt != \null && hpa != \null && perms != \null &&
  @           pt_live{Pre}(pt) && gpa < VMM_PT_GPA_LIMIT &&
  @           pt_present(\at(pt->format, Pre), pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_ERR_NOT_MAPPED ==>
  @           !pt_present(\at(pt->format, Pre), pt_leaf{Pre}(pt, gpa));
  @ ensures \result == VMM_PT_OK ==>
  @           *hpa == pt_leaf_hpa(pt_leaf{Pre}(pt, gpa)) +
  @                   gpa % VMM_PAGE_SIZE &&
  @           *perms == pt_leaf_perms(\at(pt->format, Pre),
  @                                   pt_leaf{Pre}(pt, gpa));
  @ ensures \result != VMM_PT_OK && hpa != \null ==> *hpa == \old(*hpa);
  @ ensures \result != VMM_PT_OK && perms != \null ==>
  @           *perms == \old(*perms);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_TORN_DOWN ||
  @         \result == VMM_PT_ERR_GPA_LIMIT ||
  @         \result == VMM_PT_ERR_NOT_MAPPED;
  @*/
enum vmm_ptable_err vmm_ptable_lookup(const struct vmm_ptable *pt,
				      vmm_u64 gpa, vmm_u64 *hpa,
				      vmm_u32 *perms);

/*
 * Return every pool page to free and empty the root: nothing is mapped.
 * The table then refuses map/unmap/lookup (VMM_PT_ERR_TORN_DOWN) until
 * vmm_ptable_init() runs again; tearing down twice is fine.  The module
 * may free the pool pages once no CPU can walk them (vCPUs stopped, TLBs
 * flushed).
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @
  @ assigns pt->used[0 .. VMM_PT_POOL_MAX - 1],
  @         pt->child[0 .. VMM_PT_ENTRIES - 1],
  @         pt->entries[0 .. VMM_PT_ENTRIES - 1];
  @
  @ ensures pt == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures pt != \null ==> \result == VMM_PT_OK && pt_torn(pt) &&
  @           (\forall integer i; 0 <= i < VMM_PT_POOL_MAX ==>
  @              pt->used[i] == 0) &&
  @           (\forall integer g; 0 <= g ==> pt_leaf(pt, g) == 0);
  @ ensures pt != \null ==> \forall struct vmm_memslot_table t;
  @           pt_secure(pt, t);
  @*/
enum vmm_ptable_err vmm_ptable_teardown(struct vmm_ptable *pt);

/*
 * Host-physical address of the root table, for the EPTP (Intel: with
 * memory type WB and page-walk length 4 - 1, A/D disabled) or nCR3 (AMD).
 */
/*@ requires pt == \null || (pt_mem(pt) && pt_inv(pt));
  @ requires out == \null || \valid(out);
  @ requires pt != \null && out != \null ==> pt_sep_out(pt, out);
  @
  @ assigns *out;
  @
  @ ensures pt == \null || out == \null <==> \result == VMM_PT_ERR_NULL;
  @ ensures \result == VMM_PT_ERR_TORN_DOWN ==> pt_torn{Pre}(pt);
  @ ensures \result == VMM_PT_OK <==>
  @           pt != \null && out != \null && pt_live{Pre}(pt);
  @ ensures \result == VMM_PT_OK ==>
  @           *out == \at(pt->page_pa[VMM_PT_ROOT], Pre) && pt_pa_ok(*out);
  @ ensures \result != VMM_PT_OK && out != \null ==> *out == \old(*out);
  @ ensures \result == VMM_PT_OK || \result == VMM_PT_ERR_NULL ||
  @         \result == VMM_PT_ERR_TORN_DOWN;
  @*/
enum vmm_ptable_err vmm_ptable_root_pa(const struct vmm_ptable *pt,
				       vmm_u64 *out);

#endif /* LIBVMM_PTABLE_H */
