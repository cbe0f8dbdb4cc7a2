// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory for the VM's second-level page table. Every entry is written
 * by libvmm's page-table layer (libvmm/ptable.c, proved); this file
 * allocates the pool pages, tells libvmm their physical addresses, grows
 * the pool when a map finds it full, and turns libvmm's errors into
 * errnos.
 *
 * The pool starts small and grows on demand (npt_grow()), up to
 * VMM_PT_POOL_MAX pages. How far it grows is bounded by the slots: libvmm links a table
 * only on the path of a page that lies in a slot, so a guest needs at
 * most one leaf table per 2 MiB of slot it touches, one per GiB above
 * those and one per 512 GiB above those (tables of a slot that moved or
 * went stay until the VM goes). Every page of it is charged to the
 * memory cgroup of the process that makes the guest touch memory
 * (GFP_KERNEL_ACCOUNT, like kvm.ko's MMU pages), and an allocation the
 * host cannot satisfy fails (__GFP_RETRY_MAYFAIL: no OOM kill, no
 * warning): KVM_RUN then returns -ENOMEM.
 */
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#include <libvmm/ptable.h>

#include "backend.h"
#include "npt.h"

#define NPT_GFP (GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
/* A new VM's pool: the root and room for a small guest's first maps. */
#define NPT_FIRST_PAGES 16U
/*
 * The pool doubles up to this many pages, then grows by as many at a
 * time: at most 4 MiB of table pages ahead of the guest's needs, and a
 * 64 GiB guest touched everywhere (32834 tables) in 38 steps.
 */
#define NPT_GROW_STEP 1024U

struct lamina_npt {
	struct vmm_ptable pt;
	/* The pool: pages[0 .. npages - 1], pages[0] the root. */
	struct page **pages;
	unsigned int npages;
	/* libvmm's flat view of the pool (vmap of pages[]) and its shadow. */
	u64 *view;
	u16 *child;
	u64 root_pa;
};

/* The pool arrays of one size, before they are handed to libvmm. */
struct npt_pool {
	struct page **pages;
	u64 *page_pa;
	u16 *child;
	u64 *view;
	unsigned int n;
};

static void npt_pool_free(struct npt_pool *p, unsigned int first_own)
{
	unsigned int i;

	if (p->view)
		vunmap(p->view);
	for (i = first_own; p->pages && i < p->n && p->pages[i]; i++)
		__free_page(p->pages[i]);
	kvfree(p->pages);
	kvfree(p->page_pa);
	kvfree(p->child);
}

/*
 * Pool arrays for @n pages whose first @old are @old_pages (kept), the
 * others new zeroed pages. Returns 0 or -ENOMEM (everything freed but the
 * old pages).
 */
static int npt_pool_make(struct npt_pool *p, struct page **old_pages,
			 unsigned int old, unsigned int n)
{
	unsigned int i;

	*p = (struct npt_pool){ .n = n };
	p->pages = kvcalloc(n, sizeof(*p->pages), NPT_GFP);
	p->page_pa = kvmalloc_array(n, sizeof(*p->page_pa), NPT_GFP);
	p->child = kvmalloc_array((size_t)n * VMM_PT_ENTRIES,
				  sizeof(*p->child), NPT_GFP);
	if (!p->pages || !p->page_pa || !p->child)
		goto fail;
	if (old)
		memcpy(p->pages, old_pages, old * sizeof(*p->pages));
	for (i = old; i < n; i++) {
		p->pages[i] = alloc_page(NPT_GFP | __GFP_ZERO);
		if (!p->pages[i])
			goto fail;
	}
	for (i = 0; i < n; i++)
		p->page_pa[i] = page_to_phys(p->pages[i]);
	p->view = vmap(p->pages, n, VM_MAP, PAGE_KERNEL);
	if (!p->view)
		goto fail;
	return 0;
fail:
	npt_pool_free(p, old);
	return -ENOMEM;
}

struct lamina_npt *lamina_npt_alloc(const struct lamina_backend_ops *ops)
{
	struct lamina_npt *npt;
	struct npt_pool p;
	enum vmm_ptable_err err;

	npt = kvzalloc(sizeof(*npt), GFP_KERNEL_ACCOUNT);
	if (!npt)
		return NULL;
	if (npt_pool_make(&p, NULL, 0, NPT_FIRST_PAGES)) {
		kvfree(npt);
		return NULL;
	}
	err = vmm_ptable_init(&npt->pt, ops->npt_format, p.view, p.child,
			      p.page_pa, p.n);
	if (err == VMM_PT_OK)
		err = vmm_ptable_root_pa(&npt->pt, &npt->root_pa);
	if (err != VMM_PT_OK) {
		pr_err("lamina: page table init failed (libvmm error %d)\n", err);
		npt_pool_free(&p, 0);
		kvfree(npt);
		return NULL;
	}
	kvfree(p.page_pa);
	npt->pages = p.pages;
	npt->npages = p.n;
	npt->view = p.view;
	npt->child = p.child;
	return npt;
}

void lamina_npt_free(struct lamina_npt *npt)
{
	struct npt_pool p;

	if (!npt)
		return;
	vmm_ptable_teardown(&npt->pt);
	p = (struct npt_pool){ .pages = npt->pages, .child = npt->child,
			       .view = npt->view, .n = npt->npages };
	npt_pool_free(&p, 0);
	kvfree(npt);
}

/*
 * Grow the pool by min(npages, NPT_GROW_STEP) pages (at most to
 * VMM_PT_POOL_MAX): a new view of the old pages plus new ones, which
 * libvmm takes over with a copy of its shadow.
 * The old pages keep their physical addresses, so no entry changes and
 * no TLB flush is needed. Caller holds vm->mem_sem for writing.
 */
static int npt_grow(struct lamina_npt *npt)
{
	unsigned int n = min(npt->npages + min(npt->npages, NPT_GROW_STEP),
			     VMM_PT_POOL_MAX);
	enum vmm_ptable_err err;
	struct npt_pool p, old;

	if (npt->npages >= VMM_PT_POOL_MAX) {
		pr_info_ratelimited("lamina: the page-table pool is at its maximum (%u pages)\n",
				    VMM_PT_POOL_MAX);
		return -ENOMEM;
	}
	if (npt_pool_make(&p, npt->pages, npt->npages, n)) {
		pr_info_ratelimited("lamina: no memory to grow the page-table pool to %u pages\n",
				    n);
		return -ENOMEM;
	}
	err = vmm_ptable_grow(&npt->pt, p.view, p.child, p.page_pa, n);
	if (err != VMM_PT_OK) {
		/* The arguments are made above: a lamina bug, not user input. */
		pr_err("lamina: vmm_ptable_grow(%u) failed: %d\n", n, err);
		npt_pool_free(&p, npt->npages);
		return -EIO;
	}
	old = (struct npt_pool){ .pages = npt->pages, .child = npt->child,
				 .view = npt->view, .n = 0 };
	npt_pool_free(&old, 0);
	kvfree(p.page_pa);
	npt->pages = p.pages;
	npt->npages = n;
	npt->view = p.view;
	npt->child = p.child;
	return 0;
}

int lamina_npt_map(struct lamina_npt *npt,
		   const struct vmm_memslot_table *slots, u64 gpa, u64 hpa,
		   bool writable)
{
	u32 perms = VMM_PT_PERM_R | VMM_PT_PERM_X |
		    (writable ? VMM_PT_PERM_W : 0);
	enum vmm_ptable_err err;
	int ret;

	err = vmm_ptable_map(&npt->pt, slots, gpa, hpa, perms);
	/*
	 * A map links at most 3 new tables and a grow adds at least 16
	 * pages, so one round does; the loop ends anyway, as npt_grow()
	 * fails once the pool has VMM_PT_POOL_MAX pages.
	 */
	while (err == VMM_PT_ERR_POOL_EMPTY) {
		ret = npt_grow(npt);
		if (ret)
			return ret;
		err = vmm_ptable_map(&npt->pt, slots, gpa, hpa, perms);
	}
	if (err == VMM_PT_OK)
		return 0;
	/* Another vCPU mapped it first (mem.c's fault path). */
	if (err == VMM_PT_ERR_MAPPED)
		return -EEXIST;
	/*
	 * The pinned page is one of the pool's own table pages: libvmm
	 * refuses to give the guest its page table. Not expected (pool
	 * pages are kernel allocations, never user pages), but the check
	 * is libvmm's, so the answer is an error, not a WARN.
	 */
	if (err == VMM_PT_ERR_HPA_POOL) {
		pr_info_ratelimited("lamina: GPA %#llx: host page %#llx is a page-table page, not mapped\n",
				    gpa, hpa);
		return -EFAULT;
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
