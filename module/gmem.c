// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory for emulation: guest-physical bytes through libvmm's slot
 * lookup and the pinned pages, guest-linear addresses through libvmm's
 * page walk (libvmm/walk.h), which decides everything: this file only
 * reads the paging-structure entries the walk asks for. Nothing here
 * trusts a guest value: every byte goes through vmm_memslot_lookup(),
 * which checks the whole range against one slot, and through the slot's
 * pinned pages (mem.c pins a page the guest has not touched yet).
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include <libvmm/memslot.h>
#include <libvmm/walk.h>

#include "cpuid.h"
#include "event.h"
#include "gmem.h"
#include "lamina.h"

/* Copy one piece that lies in one guest page. */
static int gmem_copy_page(struct lamina_vm *vm, u64 gpa, void *buf,
			  size_t len, bool write)
{
	struct page *page;
	u32 idx;
	u64 off;
	u8 *va;

	if (vmm_memslot_lookup(&vm->slots, gpa, len, &idx, &off) !=
	    VMM_MEMSLOT_OK)
		return -ENXIO;
	if (write && (vm->slots.slots[idx].flags & VMM_MEM_READONLY))
		return -EROFS;
	/* Pinned now if the guest never touched it: the write must land. */
	page = lamina_mem_page(vm, idx, off);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!buf)
		return 0;	/* lamina_gmem_check(): no copy */
	va = kmap_local_page(page);
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

void lamina_gmode_from_sregs(struct lamina_gmode *m,
			     const struct lamina_vcpu *vcpu,
			     const struct kvm_sregs *s)
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
	/* CPL: SS.DPL (SDM vol. 3A 5.5), 0 in real and 3 in V8086 mode. */
	if (!(s->cr0 & X86_CR0_PE))
		m->cpl = 0;
	else if (vcpu->rflags & X86_EFLAGS_VM)
		m->cpl = 3;
	else
		m->cpl = s->ss.dpl;
	m->ac = vcpu->rflags & X86_EFLAGS_AC;
	m->maxphyaddr = lamina_cpuid_maxphyaddr(vcpu);
	m->gbpages = lamina_cpuid_has_gbpages(vcpu);
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

u64 lamina_gmode_rip_linear(const struct lamina_gmode *m, u64 rip)
{
	return lamina_gmode_linear(m, LAMINA_SEG_CS,
				   m->mode == 64 ? rip : rip & 0xffffffff);
}

static const u32 gmem_walk_access[] = {
	[LAMINA_GMEM_READ] = VMM_WALK_READ,
	[LAMINA_GMEM_WRITE] = VMM_WALK_WRITE,
	[LAMINA_GMEM_FETCH] = VMM_WALK_FETCH,
};

/*
 * The walk names each entry to read; a walk ends after at most
 * VMM_WALK_MAX_LEVELS entries (proved), the loop bound only restates it.
 */
int lamina_gmem_translate(struct lamina_vm *vm, const struct lamina_gmode *m,
			  u64 la, enum lamina_gmem_access access, u64 *gpa,
			  struct lamina_gmem_fault *fault)
{
	struct vmm_walk_in in = {
		.cr0 = m->cr0, .cr3 = m->cr3, .cr4 = m->cr4, .efer = m->efer,
		.la = la, .maxphyaddr = m->maxphyaddr, .gbpages = m->gbpages,
		.access = gmem_walk_access[access], .cpl3 = m->cpl == 3,
		.ac = m->ac,
	};
	struct vmm_walk w;
	unsigned int i;
	u64 e;

	vmm_walk_begin(&in, &w);
	for (i = 0; i < VMM_WALK_MAX_LEVELS && w.status == VMM_WALK_ENTRY; i++) {
		e = 0;	/* little-endian: a 4-byte entry fills the low half */
		if (lamina_gmem_read(vm, w.entry_gpa, &e, w.entry_size))
			return -ENXIO;
		vmm_walk_step(&w, e);
	}
	switch (w.status) {
	case VMM_WALK_DONE:
		*gpa = w.gpa;
		return 0;
	case VMM_WALK_PF:
		*fault = (struct lamina_gmem_fault) {
			.vector = X86_TRAP_PF, .error = w.error_code, .cr2 = la,
		};
		return -EFAULT;
	case VMM_WALK_GP:
		*fault = (struct lamina_gmem_fault) { .vector = X86_TRAP_GP };
		return -EFAULT;
	default:
		return -EOPNOTSUPP;
	}
}

size_t lamina_gmem_fetch(struct lamina_vm *vm, const struct lamina_gmode *m,
			 u64 la, void *buf, size_t len,
			 struct lamina_gmem_fault *fault)
{
	struct lamina_gmem_fault f = {};
	size_t done = 0, chunk;
	u64 gpa;

	while (done < len) {
		chunk = min_t(u64, len - done, PAGE_SIZE - offset_in_page(la));
		if (lamina_gmem_translate(vm, m, la, LAMINA_GMEM_FETCH, &gpa,
					  &f) ||
		    lamina_gmem_read(vm, gpa, (u8 *)buf + done, chunk))
			break;
		done += chunk;
		la += chunk;
	}
	if (fault)
		*fault = f;
	return done;
}

void lamina_gmem_raise(struct lamina_vcpu *vcpu,
		       const struct lamina_gmem_fault *fault)
{
	if (fault->vector == X86_TRAP_PF)
		lamina_queue_page_fault(vcpu, fault->error, fault->cr2);
	else
		lamina_queue_exception(vcpu, fault->vector, true, fault->error);
}
