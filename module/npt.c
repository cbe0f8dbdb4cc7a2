// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory for the VM's second-level page table. Every entry is written
 * by libvmm's page-table layer (libvmm/ptable.c, proved); this file
 * allocates the pool pages, tells libvmm their physical addresses and
 * turns libvmm's errors into errnos.
 */
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#include <libvmm/ptable.h>

#include "backend.h"
#include "npt.h"

struct lamina_npt {
	struct vmm_ptable pt;
	/* The pool: VMM_PT_POOL_PAGES page-aligned pages, the hardware's. */
	u64 (*pool)[VMM_PT_ENTRIES];
	u64 root_pa;
};

struct lamina_npt *lamina_npt_alloc(const struct lamina_backend_ops *ops)
{
	struct lamina_npt *npt;
	u64 *page_pa;
	unsigned int i;
	enum vmm_ptable_err err;

	npt = kvzalloc(sizeof(*npt), GFP_KERNEL_ACCOUNT);
	page_pa = kvmalloc_array(VMM_PT_POOL_PAGES, sizeof(u64), GFP_KERNEL);
	if (npt)
		npt->pool = vzalloc(VMM_PT_POOL_PAGES * PAGE_SIZE);
	if (!npt || !page_pa || !npt->pool)
		goto fail;

	for (i = 0; i < VMM_PT_POOL_PAGES; i++)
		page_pa[i] = page_to_phys(vmalloc_to_page(npt->pool[i]));
	err = vmm_ptable_init(&npt->pt, ops->npt_format, &npt->pool[0][0],
			      page_pa);
	if (err == VMM_PT_OK)
		err = vmm_ptable_root_pa(&npt->pt, &npt->root_pa);
	if (err != VMM_PT_OK) {
		pr_err("lamina: page table init failed (libvmm error %d)\n", err);
		goto fail;
	}
	kvfree(page_pa);
	return npt;

fail:
	kvfree(page_pa);
	if (npt)
		vfree(npt->pool);
	kvfree(npt);
	return NULL;
}

void lamina_npt_free(struct lamina_npt *npt)
{
	if (!npt)
		return;
	vmm_ptable_teardown(&npt->pt);
	vfree(npt->pool);
	kvfree(npt);
}

int lamina_npt_map(struct lamina_npt *npt,
		   const struct vmm_memslot_table *slots, u64 gpa, u64 hpa,
		   bool writable)
{
	u32 perms = VMM_PT_PERM_R | VMM_PT_PERM_X |
		    (writable ? VMM_PT_PERM_W : 0);
	enum vmm_ptable_err err;

	err = vmm_ptable_map(&npt->pt, slots, gpa, hpa, perms);
	if (err == VMM_PT_OK)
		return 0;
	/* Another vCPU mapped it first (mem.c's fault path). */
	if (err == VMM_PT_ERR_MAPPED)
		return -EEXIST;
	if (err == VMM_PT_ERR_POOL_EMPTY) {
		pr_info_ratelimited("lamina: guest memory too large for the page-table pool (%u pages)\n",
				    VMM_PT_POOL_PAGES);
		return -ENOMEM;
	}
	/*
	 * No other error can happen (docs/verification.md, "The GPA limit"):
	 * the callers map pages of a slot of @slots, whose invariant
	 * vmm_memslot_init()/vmm_memslot_set() prove, so GPA_LIMIT is ruled
	 * out by vmm_ptable_map()'s contract (the slot table's limit is at
	 * most the page tables' reach), NO_SLOT and GPA_ALIGN by the slot's
	 * bounds and alignment; HPA_* hold for a pinned page, PERMS and
	 * SLOT_READONLY for the permissions mem.c derives from the slot.
	 * A WARN here is a lamina bug, not something an ioctl can ask for.
	 */
	WARN_ONCE(1, "lamina: vmm_ptable_map(gpa %llx) failed: %d\n", gpa, err);
	return -EINVAL;
}

void lamina_npt_unmap(struct lamina_npt *npt, u64 gpa)
{
	enum vmm_ptable_err err = vmm_ptable_unmap(&npt->pt, gpa);

	/*
	 * NOT_MAPPED is expected (unwinding a partly mapped slot). The
	 * callers pass pages of a slot that was in the table, so GPA_LIMIT
	 * and GPA_ALIGN cannot happen (table invariant: every slot is page
	 * aligned and ends at or below gpa_limit <= VMM_PT_GPA_LIMIT), nor
	 * TORN_DOWN before lamina_npt_free(): a WARN is a lamina bug.
	 */
	WARN_ONCE(err != VMM_PT_OK && err != VMM_PT_ERR_NOT_MAPPED,
		  "lamina: vmm_ptable_unmap(gpa %llx) failed: %d\n", gpa, err);
}

u64 lamina_npt_root(const struct lamina_npt *npt)
{
	return npt->root_pa;
}
