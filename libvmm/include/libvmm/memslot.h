/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 1: guest memory slots.
 *
 * A VM's guest-physical memory is a table of at most VMM_MEMSLOT_MAX slots,
 * each mapping [guest_phys_addr, guest_phys_addr + memory_size) to an opaque
 * host handle (userspace_addr: in the kernel module it is the VMM process's
 * user address, which the module checks with access_ok() before calling in).
 * The table is indexed by slot id, like KVM's id_to_memslot().
 *
 * Update rules (those of KVM_SET_USER_MEMORY_REGION in virt/kvm/kvm_main.c,
 * __kvm_set_memory_region(), with dirty logging not supported yet):
 *   - slot: bits 31..16 are the address-space id, which must be 0 (no SMM
 *     address space); bits 15..0 are the slot id, < VMM_MEMSLOT_MAX.
 *   - flags: only KVM_MEM_READONLY (2); KVM_MEM_LOG_DIRTY_PAGES (1) gets its
 *     own error, any other bit is unknown.
 *   - guest_phys_addr, memory_size and userspace_addr are 4 KiB aligned;
 *     neither gpa + size nor userspace_addr + size wraps around 2^64;
 *     size <= VMM_MEMSLOT_SIZE_MAX (KVM_MEM_MAX_NR_PAGES pages).
 *     These checks apply to deletions too, as in KVM.
 *   - memory_size 0 deletes the slot; deleting an unused slot is an error.
 *   - a new size on an unused slot creates it.
 *   - on a used slot, size, userspace_addr and the read-only flag cannot
 *     change (KVM: -EINVAL); a new guest_phys_addr moves the slot; the same
 *     guest_phys_addr is a successful no-op (KVM's flags-only change needs
 *     dirty logging, which we reject).
 *   - the new range may not overlap another used slot (KVM: -EEXIST).  KVM
 *     only checks this on create and move; we check on every non-delete,
 *     which gives the same answer because the table never holds an overlap.
 *   - then, unless it deletes, gpa + size <= the table's gpa_limit (KVM:
 *     kvm_arch_prepare_memory_region(), "last gfn > kvm_mmu_max_gfn()",
 *     -EINVAL, after the overlap check; not for deletions, whose
 *     guest_phys_addr KVM ignores).
 *
 * The guest-physical limit is one number per table, fixed by
 * vmm_memslot_init() from the host's MAXPHYADDR (CPUID 0x80000008
 * EAX[7:0], which the module reads): gpa_limit = 2^min(MAXPHYADDR, 48).
 * 2^MAXPHYADDR is kvm.ko's limit with two-dimensional paging
 * (kvm_mmu_max_gfn(): the hardware cannot translate a GPA above it);
 * 2^48 = VMM_GPA_REACH is what 4-level EPT / NPT tables reach, and the
 * page-table layer (ptable.h) maps exactly that far.  The table invariant
 * puts every used slot below gpa_limit <= VMM_GPA_REACH, so no page of a
 * slot is ever out of the page-table layer's reach.
 * Every failure reason has its own code (enum vmm_memslot_err); for KVM's
 * ABI the module should map VMM_MEMSLOT_ERR_OVERLAP to -EEXIST and the
 * others to -EINVAL.
 *
 * Lookup translates a whole guest range [gpa, gpa + len), never just its
 * first byte: it succeeds only if one slot backs every byte of it.
 *
 * The ACSL model these contracts speak in is acsl-specs/memslot.acsl.
 * Preconditions are weak: NULL pointers are allowed and rejected at run
 * time.  The table invariant (no overlap, every used slot well formed) is
 * established by vmm_memslot_init() and kept by vmm_memslot_set(); the
 * table must not be written by anything else.  libvmm takes no lock: the
 * caller serializes all calls on one table (the module's VM lock).
 */
#ifndef LIBVMM_MEMSLOT_H
#define LIBVMM_MEMSLOT_H

#include <libvmm/types.h>

#define VMM_PAGE_SIZE 4096ULL

/* Slots per VM (KVM on x86 allows 32764; lamina needs few). */
#define VMM_MEMSLOT_MAX 32U

/* kvm_userspace_memory_region.slot: address-space id << 16 | slot id. */
#define VMM_MEMSLOT_ID_MASK 0xFFFFU

/* Flag values are KVM's uapi values (include/uapi/linux/kvm.h). */
#define VMM_MEM_LOG_DIRTY_PAGES 1U
#define VMM_MEM_READONLY 2U
#define VMM_MEM_FLAGS_KNOWN (VMM_MEM_LOG_DIRTY_PAGES | VMM_MEM_READONLY)
/* The known flags are the low bits: "flags & ~KNOWN" is "flags > KNOWN". */
VMM_BUILD_ASSERT(mem_flags_low_bits,
		 (VMM_MEM_FLAGS_KNOWN & (VMM_MEM_FLAGS_KNOWN + 1U)) == 0U);

/* KVM_MEM_MAX_NR_PAGES = 2^31 - 1 pages of 4 KiB. */
#define VMM_MEMSLOT_MAX_PAGES 0x7FFFFFFFULL
#define VMM_MEMSLOT_SIZE_MAX (VMM_MEMSLOT_MAX_PAGES * VMM_PAGE_SIZE)

/*
 * MAXPHYADDR bounds (SDM Vol. 3A, 4.1.4: at most 52; KVM and lamina take
 * 32 as the least a 64-bit CPU with VMX or SVM reports), and KVM's value
 * for a guest whose CPUID does not give it (cpuid_query_maxphyaddr()).
 */
#define VMM_MAXPHYADDR_MIN 32U
#define VMM_MAXPHYADDR_MAX 52U
#define VMM_MAXPHYADDR_DEFAULT 36U

/*
 * Reach of a 4-level EPT / NPT table: 4 x 9 index bits + 12 offset bits.
 * ptable.h build-asserts that its VMM_PT_GPA_LIMIT is this number.
 */
#define VMM_GPA_REACH_BITS 48U
#define VMM_GPA_REACH 0x0001000000000000ULL

enum vmm_memslot_err {
	VMM_MEMSLOT_OK = 0,
	VMM_MEMSLOT_ERR_NULL = 1,            /* a pointer argument is NULL */
	/* region checks (vmm_memslot_validate, vmm_memslot_set) */
	VMM_MEMSLOT_ERR_AS_ID = 2,           /* address-space id != 0 */
	VMM_MEMSLOT_ERR_SLOT_ID = 3,         /* slot id >= VMM_MEMSLOT_MAX */
	VMM_MEMSLOT_ERR_FLAGS_UNKNOWN = 4,   /* flag bit KVM does not define */
	VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG = 5, /* KVM_MEM_LOG_DIRTY_PAGES */
	VMM_MEMSLOT_ERR_GPA_ALIGN = 6,       /* guest_phys_addr % 4 KiB */
	VMM_MEMSLOT_ERR_SIZE_ALIGN = 7,      /* memory_size % 4 KiB */
	VMM_MEMSLOT_ERR_UADDR_ALIGN = 8,     /* userspace_addr % 4 KiB */
	VMM_MEMSLOT_ERR_GPA_WRAP = 9,        /* gpa + size wraps 2^64 */
	VMM_MEMSLOT_ERR_UADDR_WRAP = 10,     /* userspace_addr + size wraps */
	VMM_MEMSLOT_ERR_SIZE_LIMIT = 11,     /* size > VMM_MEMSLOT_SIZE_MAX */
	VMM_MEMSLOT_ERR_GPA_LIMIT = 12,      /* gpa + size > tbl->gpa_limit */
	/* table checks (vmm_memslot_set) */
	VMM_MEMSLOT_ERR_DELETE_EMPTY = 13,   /* size 0 on an unused slot */
	VMM_MEMSLOT_ERR_CHANGE_SIZE = 14,    /* used slot, other size */
	VMM_MEMSLOT_ERR_CHANGE_UADDR = 15,   /* used slot, other host address */
	VMM_MEMSLOT_ERR_CHANGE_READONLY = 16, /* used slot, read-only toggled */
	VMM_MEMSLOT_ERR_OVERLAP = 17,        /* overlaps another used slot */
	/* lookup checks (vmm_memslot_lookup) */
	VMM_MEMSLOT_ERR_LEN_ZERO = 18,       /* empty range */
	VMM_MEMSLOT_ERR_RANGE_WRAP = 19,     /* gpa + len wraps 2^64 */
	VMM_MEMSLOT_ERR_NOT_FOUND = 20,      /* no single slot backs the range */
	/* init checks (vmm_memslot_init) */
	VMM_MEMSLOT_ERR_PHYS_BITS = 21       /* MAXPHYADDR not in [32, 52] */
};

/* One slot.  Unused slots have every field but id equal to 0. */
struct vmm_memslot {
	vmm_u32 id;               /* == index in the table */
	vmm_u32 flags;            /* 0 or VMM_MEM_READONLY */
	vmm_u64 guest_phys_addr;
	vmm_u64 memory_size;      /* bytes; 0 = slot unused */
	vmm_u64 userspace_addr;   /* opaque host handle */
};

/* Proposed region: the layout of struct kvm_userspace_memory_region. */
struct vmm_memslot_region {
	vmm_u32 slot;
	vmm_u32 flags;
	vmm_u64 guest_phys_addr;
	vmm_u64 memory_size;
	vmm_u64 userspace_addr;
};

struct vmm_memslot_table {
	struct vmm_memslot slots[VMM_MEMSLOT_MAX];
	/* Every used slot ends at or below it; set by init, then constant. */
	vmm_u64 gpa_limit;
};

#ifdef __FRAMAC__
#include "memslot.acsl"
#endif

/*
 * Make every slot unused and fix the table's guest-physical limit from
 * the host's MAXPHYADDR @phys_bits: gpa_limit = 2^min(phys_bits, 48)
 * (gpa_limit_of(gpa_limit_bits()) in memslot.acsl).  This establishes the table
 * invariant.  @phys_bits outside [32, 52] is refused and *tbl not written.
 */
/*@ requires tbl == \null || \valid(tbl);
  @
  @ assigns *tbl;
  @
  @ ensures tbl == \null <==> \result == VMM_MEMSLOT_ERR_NULL;
  @ ensures tbl != \null ==>
  @           (\result == VMM_MEMSLOT_OK <==> phys_bits_ok(phys_bits));
  @ ensures \result == VMM_MEMSLOT_OK || \result == VMM_MEMSLOT_ERR_NULL ||
  @         \result == VMM_MEMSLOT_ERR_PHYS_BITS;
  @ ensures \result == VMM_MEMSLOT_OK ==>
  @           table_invariant(tbl) && table_empty(tbl) &&
  @           tbl->gpa_limit == gpa_limit_of(gpa_limit_bits(phys_bits)) &&
  @           tbl->gpa_limit <= VMM_GPA_REACH;
  @ ensures \result != VMM_MEMSLOT_OK && tbl != \null ==>
  @           *tbl == \old(*tbl);
  @*/
enum vmm_memslot_err vmm_memslot_init(struct vmm_memslot_table *tbl,
				      vmm_u32 phys_bits);

/*
 * Check a proposed region on its own (no table): every rule listed at the
 * top of this file that does not depend on the current slots.
 */
/*@ requires r == \null || \valid_read(r);
  @
  @ assigns \nothing;
  @
  @ ensures r == \null <==> \result == VMM_MEMSLOT_ERR_NULL;
  @ ensures r != \null ==> (\result == VMM_MEMSLOT_OK <==> region_valid(*r));
  @ ensures r != \null && \result != VMM_MEMSLOT_OK ==>
  @           region_fault(*r, \result);
  @*/
enum vmm_memslot_err
vmm_memslot_validate(const struct vmm_memslot_region *r);

/*
 * Add, move or delete a slot as KVM_SET_USER_MEMORY_REGION does.  On
 * success only slot r->slot changed; on failure nothing changed; the
 * limit never changes.
 */
/*@ requires tbl == \null || (\valid(tbl) && table_invariant(tbl));
  @ requires r == \null || \valid_read(r);
  @ requires tbl != \null && r != \null ==> \separated(tbl, r);
  @
  @ assigns tbl->slots[0 .. VMM_MEMSLOT_MAX - 1];
  @
  @ ensures tbl != \null ==> table_invariant(tbl);
  @ ensures tbl != \null ==> tbl->gpa_limit == \old(tbl->gpa_limit);
  @ ensures tbl == \null || r == \null <==> \result == VMM_MEMSLOT_ERR_NULL;
  @ ensures tbl != \null && r != \null ==>
  @           (\result == VMM_MEMSLOT_OK <==> set_allowed{Pre}(tbl, *r));
  @ ensures \result == VMM_MEMSLOT_OK ==>
  @           slots_unchanged{Pre, Post}(tbl, r->slot);
  @ ensures \result == VMM_MEMSLOT_OK && r->memory_size == 0 ==>
  @           slot_empty(tbl->slots[r->slot]);
  @ ensures \result == VMM_MEMSLOT_OK && r->memory_size != 0 ==>
  @           slot_holds(tbl->slots[r->slot], *r);
  @ ensures tbl != \null && \result != VMM_MEMSLOT_OK ==>
  @           slots_unchanged{Pre, Post}(tbl, -1);
  @ ensures tbl != \null && r != \null && \result != VMM_MEMSLOT_OK ==>
  @           region_fault(*r, \result) || set_fault{Pre}(tbl, *r, \result);
  @*/
enum vmm_memslot_err vmm_memslot_set(struct vmm_memslot_table *tbl,
				     const struct vmm_memslot_region *r);

/*
 * Find the slot that backs every byte of [gpa, gpa + len).  On success
 * *out_idx is its index and *out_off = gpa - its guest_phys_addr; the
 * range then lies in [userspace_addr + *out_off, ... + len) on the host.
 * A range crossing from one slot into an adjacent one is NOT_FOUND: the
 * caller must split it.  On failure *out_idx and *out_off are not written.
 */
/*@ requires tbl == \null || \valid_read(tbl);
  @ requires out_idx == \null || \valid(out_idx);
  @ requires out_off == \null || \valid(out_off);
  @ requires tbl != \null && out_idx != \null ==> \separated(tbl, out_idx);
  @ requires tbl != \null && out_off != \null ==> \separated(tbl, out_off);
  @ requires out_idx != \null && out_off != \null ==>
  @            \separated(out_idx, out_off);
  @
  @ assigns *out_idx, *out_off;
  @
  @ ensures tbl == \null || out_idx == \null || out_off == \null <==>
  @           \result == VMM_MEMSLOT_ERR_NULL;
  @ ensures \result == VMM_MEMSLOT_ERR_LEN_ZERO ==> len == 0;
  @ ensures \result == VMM_MEMSLOT_ERR_RANGE_WRAP ==> gpa + len > VMM_U64_MAX;
  @ ensures \result == VMM_MEMSLOT_ERR_NOT_FOUND ==>
  @           !range_mapped(tbl, gpa, len);
  @ ensures \result == VMM_MEMSLOT_OK <==>
  @           tbl != \null && out_idx != \null && out_off != \null &&
  @           gpa + len <= VMM_U64_MAX && range_mapped(tbl, gpa, len);
  @ ensures \result == VMM_MEMSLOT_OK ==>
  @           *out_idx < VMM_MEMSLOT_MAX &&
  @           range_in_slot(tbl->slots[*out_idx], gpa, len) &&
  @           *out_off == gpa - tbl->slots[*out_idx].guest_phys_addr;
  @ ensures \result == VMM_MEMSLOT_OK && table_invariant{Pre}(tbl) ==>
  @           \forall integer j; 0 <= j < VMM_MEMSLOT_MAX && j != *out_idx ==>
  @             !gpa_in_slot(\at(tbl->slots[j], Pre), gpa);
  @ ensures \result != VMM_MEMSLOT_OK && out_idx != \null ==>
  @           *out_idx == \old(*out_idx);
  @ ensures \result != VMM_MEMSLOT_OK && out_off != \null ==>
  @           *out_off == \old(*out_off);
  @ ensures \result == VMM_MEMSLOT_OK || \result == VMM_MEMSLOT_ERR_NULL ||
  @         \result == VMM_MEMSLOT_ERR_LEN_ZERO ||
  @         \result == VMM_MEMSLOT_ERR_RANGE_WRAP ||
  @         \result == VMM_MEMSLOT_ERR_NOT_FOUND;
  @*/
enum vmm_memslot_err vmm_memslot_lookup(const struct vmm_memslot_table *tbl,
					vmm_u64 gpa, vmm_u64 len,
					vmm_u32 *out_idx, vmm_u64 *out_off);

#endif /* LIBVMM_MEMSLOT_H */
