// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory for emulation: guest-physical bytes through libvmm's slot
 * lookup and the pinned pages, guest-linear addresses through the guest's
 * paging structures, which are read the same way. Nothing here trusts a
 * guest value: every byte goes through vmm_memslot_lookup(), which checks
 * the whole range against one slot, and through the pinned-page array
 * bounds.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>

#include <libvmm/memslot.h>

#include "gmem.h"
#include "lamina.h"

/* Paging-structure entry bits (SDM vol. 3A, 4.3 - 4.5, tables 4-4 .. 4-20). */
#define PTE_PRESENT BIT_ULL(0)
#define PTE_PS BIT_ULL(7)
#define PTE_ADDR_MASK GENMASK_ULL(51, 12)	/* MAXPHYADDR at most 52 */

/* Copy one piece that lies in one guest page. */
static int gmem_copy_page(struct lamina_vm *vm, u64 gpa, void *buf,
			  size_t len, bool write)
{
	const struct lamina_slot_pages *sp;
	u32 idx;
	u64 off;
	u8 *va;

	if (vmm_memslot_lookup(&vm->slots, gpa, len, &idx, &off) !=
	    VMM_MEMSLOT_OK)
		return -ENXIO;
	if (write && (vm->slots.slots[idx].flags & VMM_MEM_READONLY))
		return -EROFS;
	sp = &vm->pinned[idx];
	if (!sp->pages || (off >> PAGE_SHIFT) >= sp->npages)
		return -ENXIO;
	if (!buf)
		return 0;	/* lamina_gmem_check(): no copy */
	va = kmap_local_page(sp->pages[off >> PAGE_SHIFT]);
	if (write)
		memcpy(va + offset_in_page(off), buf, len);
	else
		memcpy(buf, va + offset_in_page(off), len);
	kunmap_local(va);
	return 0;
}

/* Page by page: a slot ends on a page boundary, so no piece spans two. */
static int gmem_copy(struct lamina_vm *vm, u64 gpa, void *buf, size_t len,
		     bool write)
{
	size_t chunk;
	int ret = 0;

	while (len && !ret) {
		chunk = min_t(u64, len, PAGE_SIZE - offset_in_page(gpa));
		ret = gmem_copy_page(vm, gpa, buf, chunk, write);
		gpa += chunk;
		buf = (u8 *)buf + chunk;
		len -= chunk;
	}
	return ret;
}

int lamina_gmem_read(struct lamina_vm *vm, u64 gpa, void *buf, size_t len)
{
	return gmem_copy(vm, gpa, buf, len, false);
}

int lamina_gmem_write(struct lamina_vm *vm, u64 gpa, const void *buf,
		      size_t len)
{
	return gmem_copy(vm, gpa, (void *)buf, len, true);
}

int lamina_gmem_check(struct lamina_vm *vm, u64 gpa, size_t len, bool write)
{
	return gmem_copy(vm, gpa, NULL, len, write);
}

void lamina_gmode_from_sregs(struct lamina_gmode *m, const struct kvm_sregs *s)
{
	m->cr0 = s->cr0;
	m->cr3 = s->cr3;
	m->cr4 = s->cr4;
	m->efer = s->efer;
	m->seg_base[LAMINA_SEG_ES] = s->es.base;
	m->seg_base[LAMINA_SEG_CS] = s->cs.base;
	m->seg_base[LAMINA_SEG_SS] = s->ss.base;
	m->seg_base[LAMINA_SEG_DS] = s->ds.base;
	m->seg_base[LAMINA_SEG_FS] = s->fs.base;
	m->seg_base[LAMINA_SEG_GS] = s->gs.base;
	if (!(s->cr0 & X86_CR0_PE))
		m->mode = 16;
	else if ((s->efer & EFER_LMA) && s->cs.l)
		m->mode = 64;
	else
		m->mode = s->cs.db ? 32 : 16;
}

u64 lamina_gmode_linear(const struct lamina_gmode *m, unsigned int seg,
			u64 off)
{
	u64 base = seg < LAMINA_NR_SEGS ? m->seg_base[seg] : 0;

	if (m->mode == 64)
		return (seg == LAMINA_SEG_FS || seg == LAMINA_SEG_GS) ?
		       base + off : off;
	return (base + off) & 0xffffffff;
}

/* One paging-structure entry: -ENXIO if it is not in guest RAM. */
static int gmem_read_pte(struct lamina_vm *vm, u64 gpa, size_t size, u64 *e)
{
	*e = 0;		/* x86 is little-endian: a 4-byte read fills the low half */
	return lamina_gmem_read(vm, gpa, e, size) ? -ENXIO : 0;
}

/*
 * The 8-byte-entry levels shared by PAE (4.4.2: page directory, page
 * table) and 4-level paging (4.5.4: PML4, PDPT, PD, PT): each level takes
 * 9 bits of @la; PS in a PDPTE (1 GiB) or a PDE (2 MiB) ends the walk.
 */
static int gmem_walk64(struct lamina_vm *vm, u64 table, u64 la, int level,
		       u64 *gpa)
{
	unsigned int shift;
	u64 e, mask;

	for (; level >= 1; level--) {
		shift = PAGE_SHIFT + 9 * (level - 1);
		if (gmem_read_pte(vm, table + ((la >> shift) & 511) * 8, 8, &e))
			return -ENXIO;
		if (!(e & PTE_PRESENT))
			return -EFAULT;
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			/* A large page's bit 12 is PAT, not address. */
			mask = BIT_ULL(shift) - 1;
			*gpa = (e & PTE_ADDR_MASK & ~mask) | (la & mask);
			return 0;
		}
		table = e & PTE_ADDR_MASK;
	}
	return -EFAULT;
}

/*
 * 32-bit paging (4.3): 4-byte entries, 10 bits of @la per level; a PDE
 * with PS (CR4.PSE) maps 4 MiB, with PSE-36 address bits 39:32 in PDE
 * bits 20:13 (table 4-4).
 */
static int gmem_walk32(struct lamina_vm *vm, const struct lamina_gmode *m,
		       u64 la, u64 *gpa)
{
	u64 pde, pte;

	if (gmem_read_pte(vm, (m->cr3 & 0xfffff000) + ((la >> 22) & 0x3ff) * 4,
			  4, &pde))
		return -ENXIO;
	if (!(pde & PTE_PRESENT))
		return -EFAULT;
	if ((pde & PTE_PS) && (m->cr4 & X86_CR4_PSE)) {
		*gpa = (pde & 0xffc00000) | ((pde >> 13) & 0xff) << 32 |
		       (la & 0x3fffff);
		return 0;
	}
	if (gmem_read_pte(vm, (pde & 0xfffff000) + ((la >> 12) & 0x3ff) * 4,
			  4, &pte))
		return -ENXIO;
	if (!(pte & PTE_PRESENT))
		return -EFAULT;
	*gpa = (pte & 0xfffff000) | (la & 0xfff);
	return 0;
}

/*
 * PAE (4.4): CR3 bits 31:5 locate four PDPTEs, la bits 31:30 pick one.
 * The CPU caches them when CR3 is loaded (4.4.1); we read them from
 * memory, which differs only for a guest that edits its live PDPTEs
 * without reloading CR3.
 */
static int gmem_walk_pae(struct lamina_vm *vm, const struct lamina_gmode *m,
			 u64 la, u64 *gpa)
{
	u64 pdpte;

	if (gmem_read_pte(vm, (m->cr3 & 0xffffffe0) + ((la >> 30) & 3) * 8, 8,
			  &pdpte))
		return -ENXIO;
	if (!(pdpte & PTE_PRESENT))
		return -EFAULT;
	return gmem_walk64(vm, pdpte & PTE_ADDR_MASK, la & 0xffffffff, 2, gpa);
}

int lamina_gmem_translate(struct lamina_vm *vm, const struct lamina_gmode *m,
			  u64 la, u64 *gpa)
{
	/* 4.1.1: CR0.PG = 0: linear is physical (32 bits wide). */
	if (!(m->cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffff;
		return 0;
	}
	if (m->efer & EFER_LMA) {
		if (m->cr4 & X86_CR4_LA57)
			return -EOPNOTSUPP;
		return gmem_walk64(vm, m->cr3 & PTE_ADDR_MASK, la, 4, gpa);
	}
	if (m->cr4 & X86_CR4_PAE)
		return gmem_walk_pae(vm, m, la, gpa);
	return gmem_walk32(vm, m, la & 0xffffffff, gpa);
}

size_t lamina_gmem_read_linear(struct lamina_vm *vm,
			       const struct lamina_gmode *m, u64 la,
			       void *buf, size_t len)
{
	size_t done = 0, chunk;
	u64 gpa;

	while (done < len) {
		chunk = min_t(u64, len - done, PAGE_SIZE - offset_in_page(la));
		if (lamina_gmem_translate(vm, m, la, &gpa) ||
		    lamina_gmem_read(vm, gpa, (u8 *)buf + done, chunk))
			break;
		done += chunk;
		la += chunk;
	}
	return done;
}
