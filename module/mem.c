// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_SET_USER_MEMORY_REGION: decode with libvmm's slot layer, then pin
 * the slot's pages and map them through libvmm's page-table layer.
 *
 * Guest pages are pinned for as long as they are mapped, so the second
 * level page table never points at a page the host could reuse.
 */
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
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

static void unpin_slot(struct lamina_slot_pages *sp)
{
	if (!sp->pages)
		return;
	unpin_user_pages(sp->pages, sp->npages);
	atomic_long_sub(sp->npages, &lamina_live_pinned);
	kvfree(sp->pages);
	sp->pages = NULL;
	sp->npages = 0;
}

/*
 * Pin every page of [uaddr, uaddr + npages pages) in the caller's mm.
 * The page array is sized from the ioctl argument: a slot the page-table
 * pool could never map is refused before it is allocated (kvmalloc() would
 * WARN above INT_MAX bytes, and a large one takes seconds to allocate), and
 * the allocation is quiet and charged to the caller's memory cgroup.  The
 * first page that cannot be pinned ends the loop, and what was pinned is
 * released.
 */
static int pin_slot(struct lamina_slot_pages *sp, u64 uaddr,
		    unsigned long npages, bool writable)
{
	unsigned int gup = FOLL_LONGTERM | (writable ? FOLL_WRITE : 0);
	unsigned long done = 0;
	int ret = 0;
	long got;

	if (npages > VMM_PT_MAP_PAGES_MAX) {
		pr_info_ratelimited("lamina: KVM_SET_USER_MEMORY_REGION: %lu pages, more than the page-table pool can map (%u)\n",
				    npages, VMM_PT_MAP_PAGES_MAX);
		return -ENOMEM;
	}
	sp->pages = kvmalloc_array(npages, sizeof(*sp->pages),
				   GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!sp->pages)
		return -ENOMEM;
	while (done < npages && !ret) {
		got = pin_user_pages_fast(uaddr + done * PAGE_SIZE,
					  min(npages - done, 512UL), gup,
					  sp->pages + done);
		if (got > 0)
			done += got;
		else
			ret = -EFAULT;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
	}
	sp->npages = done;
	atomic_long_add(done, &lamina_live_pinned);
	if (ret) {
		pr_info_ratelimited("lamina: KVM_SET_USER_MEMORY_REGION: %s at page %lu of %lu\n",
				    ret == -EINTR ? "interrupted" :
				    "cannot pin the userspace page", done, npages);
		unpin_slot(sp);
	}
	return ret;
}

static void unmap_range(struct lamina_vm *vm, u64 gpa, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		lamina_npt_unmap(vm->npt, gpa + i * PAGE_SIZE);
}

static int map_slot(struct lamina_vm *vm, const struct vmm_memslot *s,
		    const struct lamina_slot_pages *sp)
{
	bool writable = !(s->flags & VMM_MEM_READONLY);
	unsigned long i;
	int ret = 0;

	for (i = 0; i < sp->npages && !ret; i++)
		ret = lamina_npt_map(vm->npt, &vm->slots,
				     s->guest_phys_addr + i * PAGE_SIZE,
				     page_to_phys(sp->pages[i]), writable);
	if (ret)
		unmap_range(vm, s->guest_phys_addr, i);
	return ret;
}

/* The slot table changed from @old to vm->slots.slots[idx]: follow it. */
static int apply_change(struct lamina_vm *vm, unsigned int idx,
			const struct vmm_memslot *old)
{
	const struct vmm_memslot *new = &vm->slots.slots[idx];
	struct lamina_slot_pages *sp = &vm->pinned[idx];
	unsigned long old_pages = old->memory_size >> PAGE_SHIFT;
	int ret = 0;

	if (old->memory_size && (!new->memory_size ||
				 old->guest_phys_addr != new->guest_phys_addr)) {
		/* Delete or move: no path to the old range may remain. */
		unmap_range(vm, old->guest_phys_addr, old_pages);
		vm->npt_gen++;
	}
	if (!new->memory_size) {
		unpin_slot(sp);
	} else if (!old->memory_size) {
		ret = pin_slot(sp, new->userspace_addr,
			       new->memory_size >> PAGE_SHIFT,
			       !(new->flags & VMM_MEM_READONLY));
		if (!ret)
			ret = map_slot(vm, new, sp);
	} else if (old->guest_phys_addr != new->guest_phys_addr) {
		ret = map_slot(vm, new, sp);
	}
	return ret;
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
	struct vmm_memslot_region undo;
	enum vmm_memslot_err err;
	struct vmm_memslot old;
	unsigned int idx;
	int ret;

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
	err = vmm_memslot_set(&vm->slots, &reg);
	if (err != VMM_MEMSLOT_OK) {
		ret = memslot_errno(&vm->slots, err);
	} else {
		ret = apply_change(vm, idx, &old);
		if (ret) {
			/* Nothing half-done: forget the slot entirely. */
			undo = reg;
			undo.memory_size = 0;
			if (vm->slots.slots[idx].memory_size)
				vmm_memslot_set(&vm->slots, &undo);
			unpin_slot(&vm->pinned[idx]);
			vm->npt_gen++;
		}
	}
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
