// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory: KVM_SET_USER_MEMORY_REGION decodes with libvmm's slot
 * layer and records the slot; nothing is pinned or mapped then. The
 * guest's first access to a page of a slot faults (NPF / EPT violation):
 * lamina_mem_fault() pins that user page and maps it through libvmm's
 * page-table layer (the same proved vmm_ptable_map() as ever).
 *
 * A page stays pinned until its slot goes or moves, so the second-level
 * page table never points at a page the host could reuse.
 */
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <asm/io.h>
#include <asm/processor.h>

#include <libvmm/ptable.h>
#include <libvmm/uapi.h>

#include "lamina.h"
#include "npt.h"

static const char *const memslot_reason[] = {
	[VMM_MEMSLOT_ERR_NULL] = "internal: NULL argument",
	[VMM_MEMSLOT_ERR_AS_ID] = "address space id must be 0",
	[VMM_MEMSLOT_ERR_SLOT_ID] = "slot id too large",
	[VMM_MEMSLOT_ERR_FLAGS_UNKNOWN] = "unknown flag bits",
	[VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG] = "KVM_MEM_LOG_DIRTY_PAGES is not supported",
	[VMM_MEMSLOT_ERR_GPA_ALIGN] = "guest_phys_addr not 4 KiB aligned",
	[VMM_MEMSLOT_ERR_SIZE_ALIGN] = "memory_size not 4 KiB aligned",
	[VMM_MEMSLOT_ERR_UADDR_ALIGN] = "userspace_addr not 4 KiB aligned",
	[VMM_MEMSLOT_ERR_GPA_WRAP] = "guest_phys_addr + memory_size wraps",
	[VMM_MEMSLOT_ERR_UADDR_WRAP] = "userspace_addr + memory_size wraps",
	[VMM_MEMSLOT_ERR_SIZE_LIMIT] = "memory_size too large",
	[VMM_MEMSLOT_ERR_GPA_LIMIT] = "region ends above the guest-physical limit",
	[VMM_MEMSLOT_ERR_DELETE_EMPTY] = "deleting a slot that is not in use",
	[VMM_MEMSLOT_ERR_CHANGE_SIZE] = "a used slot cannot change size",
	[VMM_MEMSLOT_ERR_CHANGE_UADDR] = "a used slot cannot change userspace_addr",
	[VMM_MEMSLOT_ERR_CHANGE_READONLY] = "a used slot cannot change KVM_MEM_READONLY",
	[VMM_MEMSLOT_ERR_OVERLAP] = "overlaps another slot",
	[VMM_MEMSLOT_ERR_PHYS_BITS] = "internal: host MAXPHYADDR not in [32, 52]",
};

/* The host's MAXPHYADDR, read once at load: every VM's slot limit. */
static u32 host_phys_bits __ro_after_init;

/*
 * CPUID 0x80000008 EAX[7:0], as kvm.ko reads it (kvm_get_shadow_phys_bits()):
 * not boot_cpu_data.x86_phys_bits, which SME and MKTME reduce by their key
 * bits although the CPU still takes them as address bits.
 */
static u32 read_host_phys_bits(void)
{
	if (boot_cpu_data.extended_cpuid_level >= 0x80000008)
		return cpuid_eax(0x80000008) & 0xff;
	return boot_cpu_data.x86_phys_bits;
}

int __init lamina_mem_init(void)
{
	static struct vmm_memslot_table probe __initdata;

	host_phys_bits = read_host_phys_bits();
	if (vmm_memslot_init(&probe, host_phys_bits) != VMM_MEMSLOT_OK) {
		pr_err("lamina: host MAXPHYADDR %u is not in [%u, %u]\n",
		       host_phys_bits, VMM_MAXPHYADDR_MIN, VMM_MAXPHYADDR_MAX);
		return -ENODEV;
	}
	pr_info("lamina: guest-physical limit %#llx (MAXPHYADDR %u, %u-bit EPT/NPT reach)\n",
		probe.gpa_limit, host_phys_bits, VMM_GPA_REACH_BITS);
	return 0;
}

int lamina_mem_vm_init(struct lamina_vm *vm)
{
	unsigned int i;

	for (i = 0; i < VMM_MEMSLOT_MAX; i++)
		xa_init(&vm->pinned[i].pages);
	/* Cannot fail: lamina_mem_init() took the same value. */
	if (vmm_memslot_init(&vm->slots, host_phys_bits) != VMM_MEMSLOT_OK)
		return -EIO;
	return 0;
}

static int memslot_errno(const struct vmm_memslot_table *tbl,
			 enum vmm_memslot_err err)
{
	const char *why = "unknown reason";

	if ((unsigned int)err < ARRAY_SIZE(memslot_reason) &&
	    memslot_reason[err])
		why = memslot_reason[err];
	pr_info_ratelimited("lamina: KVM_SET_USER_MEMORY_REGION: %s (limit %#llx)\n",
			    why, tbl->gpa_limit);
	return -(int)vmm_uapi_memslot_errno_class(err);
}

/*
 * Unmap every page of the slot that was at @gpa. Only a pinned page can
 * be mapped (lamina_mem_fault() pins before it maps), so the pinned pages
 * are the whole list: a 16 GiB slot of which the guest touched ten pages
 * costs ten unmaps, not four million.
 */
static void unmap_slot(struct lamina_vm *vm, u64 gpa,
		       struct lamina_slot_pages *sp)
{
	struct page *page;
	unsigned long i;

	xa_for_each(&sp->pages, i, page)
		lamina_npt_unmap(vm->npt, gpa + ((u64)i << PAGE_SHIFT));
}

/* Give every pinned page of the slot back. Its pages are unmapped. */
static void unpin_slot(struct lamina_slot_pages *sp)
{
	struct page *page;
	unsigned long i, n = 0;

	xa_for_each(&sp->pages, i, page) {
		unpin_user_page(page);
		n++;
	}
	xa_destroy(&sp->pages);
	atomic_long_sub(n, &lamina_live_pinned);
}

struct page *lamina_mem_page(struct lamina_vm *vm, u32 idx, u64 off)
{
	const struct vmm_memslot *s = &vm->slots.slots[idx];
	struct lamina_slot_pages *sp = &vm->pinned[idx];
	unsigned long pgoff = off >> PAGE_SHIFT;
	unsigned int gup = FOLL_LONGTERM;
	struct page *page, *old;

	page = xa_load(&sp->pages, pgoff);
	if (page)
		return page;
	/*
	 * FOLL_WRITE for a writable slot: the page the guest writes must be
	 * the one userspace sees, never the shared zero page nor a page a
	 * later copy-on-write would replace.
	 */
	if (!(s->flags & VMM_MEM_READONLY))
		gup |= FOLL_WRITE;
	if (pin_user_pages_fast(s->userspace_addr + (pgoff << PAGE_SHIFT), 1,
				gup, &page) != 1) {
		pr_info_ratelimited("lamina: cannot pin the userspace page of GPA %#llx\n",
				    s->guest_phys_addr + (pgoff << PAGE_SHIFT));
		return ERR_PTR(-EFAULT);
	}
	/* Readers pin concurrently: the first one to store it wins. */
	old = xa_cmpxchg(&sp->pages, pgoff, NULL, page, GFP_KERNEL_ACCOUNT);
	if (old) {
		unpin_user_page(page);
		return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
	}
	atomic_long_inc(&lamina_live_pinned);
	return page;
}

/*
 * Locking of the lazy mapping (see also lamina.h):
 *  - the slot table changes, and pinned pages are released, only with
 *    mem_sem held for writing (KVM_SET_USER_MEMORY_REGION);
 *  - pages are pinned with mem_sem held for reading (here and gmem.c):
 *    the slot cannot go meanwhile; concurrent pinners of one page meet in
 *    xa_cmpxchg(), the loser unpins its own pin;
 *  - the second-level page table is written only with mem_sem held for
 *    writing: libvmm's plain stores need no vCPU of the VM in guest mode
 *    (libvmm/ptable.h), and every guest entry holds mem_sem for reading;
 *  - between the two, the slot may go: deleting or moving a slot bumps
 *    npt_gen, so an unchanged npt_gen under the write lock says the page
 *    pinned under the read lock is still the slot's, still pinned.
 * Two vCPUs faulting on one page: both pin (one pin survives), both map;
 * the second map finds the page mapped (-EEXIST), which is success.
 */
int lamina_mem_fault(struct lamina_vm *vm, u64 gpa, bool write)
{
	struct page *page;
	bool writable;
	u64 off, gen;
	u32 idx;
	int ret;

	gpa &= PAGE_MASK;
	down_read(&vm->mem_sem);
	if (vmm_memslot_lookup(&vm->slots, gpa, PAGE_SIZE, &idx, &off) !=
	    VMM_MEMSLOT_OK) {
		up_read(&vm->mem_sem);
		return 0;
	}
	writable = !(vm->slots.slots[idx].flags & VMM_MEM_READONLY);
	/* A write to a read-only slot is MMIO, mapped or not (as in KVM). */
	if (write && !writable) {
		up_read(&vm->mem_sem);
		return 0;
	}
	page = lamina_mem_page(vm, idx, off);
	gen = vm->npt_gen;
	up_read(&vm->mem_sem);
	if (IS_ERR(page))
		return PTR_ERR(page);

	down_write(&vm->mem_sem);
	ret = 0;
	/*
	 * page is what pin_user_pages_fast() gave for the slot's
	 * userspace_addr + off: the page backing gpa, which is what
	 * vmm_ptable_map() assumes of its hpa (pt_backs, docs/verification.md).
	 */
	if (vm->npt_gen == gen)
		ret = lamina_npt_map(vm->npt, &vm->slots, gpa,
				     page_to_phys(page), writable);
	up_write(&vm->mem_sem);
	/* A changed npt_gen: the slot moved or went; the guest faults again. */
	if (ret == -EEXIST)
		ret = 0;
	return ret ? ret : 1;
}

/*
 * Does @reg delete or move the used slot @old? Then its pages must leave
 * the page table before the slot table changes: libvmm's isolation
 * carries over to the new slot table only from tables that map nothing
 * of the slot (lemmas pt_isolated_slot_change, pt_backed_slot_change).
 */
static bool slot_goes(const struct vmm_memslot *old,
		      const struct vmm_memslot_region *reg)
{
	return old->memory_size &&
	       (!reg->memory_size || old->guest_phys_addr != reg->guest_phys_addr);
}

int lamina_mem_set_region(struct lamina_vm *vm,
			  const struct kvm_userspace_memory_region *r)
{
	/* struct kvm_userspace_memory_region's layout, decoded in place. */
	struct vmm_memslot_region reg = {
		.slot = r->slot,
		.flags = r->flags,
		.guest_phys_addr = r->guest_phys_addr,
		.memory_size = r->memory_size,
		.userspace_addr = r->userspace_addr,
	};
	enum vmm_memslot_err err;
	struct vmm_memslot old;
	unsigned int idx;
	bool goes;
	int ret = 0;

	err = vmm_uapi_decode_memory_region(&reg);
	if (err != VMM_MEMSLOT_OK)
		return memslot_errno(&vm->slots, err);
	if (reg.memory_size &&
	    !access_ok((void __user *)(unsigned long)reg.userspace_addr,
		       reg.memory_size)) {
		pr_info_ratelimited("lamina: KVM_SET_USER_MEMORY_REGION: userspace_addr range is not user memory\n");
		return -EINVAL;
	}

	idx = reg.slot & VMM_MEMSLOT_ID_MASK;
	mutex_lock(&vm->lock);
	down_write(&vm->mem_sem);
	old = vm->slots.slots[idx];
	goes = slot_goes(&old, &reg);
	/*
	 * Unmap first, then flush (npt_gen: every vCPU flushes its TLB
	 * before it enters again, and none is in the guest while mem_sem is
	 * held for writing), then change the slot, then unpin. If the change
	 * is refused the pages stay pinned and the guest faults them back.
	 * A new slot maps nothing until the guest touches it.
	 */
	if (goes) {
		unmap_slot(vm, old.guest_phys_addr, &vm->pinned[idx]);
		vm->npt_gen++;
	}
	err = vmm_memslot_set(&vm->slots, &reg);
	if (err != VMM_MEMSLOT_OK)
		ret = memslot_errno(&vm->slots, err);
	else if (goes)
		unpin_slot(&vm->pinned[idx]);
	up_write(&vm->mem_sem);
	mutex_unlock(&vm->lock);
	return ret;
}

/* VM teardown: no vCPU is left, so nothing can run on these pages. */
void lamina_mem_release_all(struct lamina_vm *vm)
{
	unsigned int i;

	for (i = 0; i < VMM_MEMSLOT_MAX; i++)
		unpin_slot(&vm->pinned[i]);
}
