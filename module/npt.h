/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM's second-level page table (EPT or NPT), built by libvmm's
 * page-table layer. This file only owns the memory the table lives in:
 * libvmm decides every entry.
 */
#ifndef LAMINA_NPT_H
#define LAMINA_NPT_H

#include <linux/types.h>

#include <libvmm/memslot.h>

struct lamina_npt;
struct lamina_backend_ops;

struct lamina_npt *lamina_npt_alloc(const struct lamina_backend_ops *ops);
void lamina_npt_free(struct lamina_npt *npt);

/*
 * Map the 4 KiB guest page at @gpa to host physical @hpa. @slots must be
 * the VM's slot table with @gpa inside a slot, and @hpa the page pinned
 * for it: libvmm checks the first, the caller guarantees the second.
 * Caller holds vm->mem_sem for writing. Grows the page-table pool when
 * it is full. Returns 0, -EEXIST when the page is mapped already, -ENOMEM
 * when the pool cannot grow (the host or the memory cgroup has no page
 * for it, or it has VMM_PT_POOL_MAX pages).
 */
int lamina_npt_map(struct lamina_npt *npt,
		   const struct vmm_memslot_table *slots, u64 gpa, u64 hpa,
		   bool writable);
void lamina_npt_unmap(struct lamina_npt *npt, u64 gpa);

/* Host physical address of the root, for nCR3 / the EPTP. */
u64 lamina_npt_root(const struct lamina_npt *npt);

#endif /* LAMINA_NPT_H */
