// SPDX-License-Identifier: GPL-2.0-only
#include <sys/mman.h>

#include "mem.h"

/*
 * An inaccessible page on each side of guest RAM: a device model that
 * reads or writes just past a guest buffer at either end of RAM faults
 * instead of touching vmmd's own memory (tests/virtqueue_hostile.c
 * relies on it).
 */
#define MEM_GUARD	4096ULL

int guest_mem_alloc(struct guest_mem *m, uint64_t size)
{
	uint8_t *p;

	p = mmap(NULL, size + 2 * MEM_GUARD, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	/* NORESERVE: the guest touches what it uses, not all of --mem. */
	if (mprotect(p + MEM_GUARD, size, PROT_READ | PROT_WRITE)) {
		munmap(p, size + 2 * MEM_GUARD);
		return -1;
	}
	m->host = p + MEM_GUARD;
	m->size = size;
	m->low_size = size < MEM_LOW_LIMIT ? size : MEM_LOW_LIMIT;
	return 0;
}

void guest_mem_free(struct guest_mem *m)
{
	if (m->host)
		munmap(m->host - MEM_GUARD, m->size + 2 * MEM_GUARD);
	m->host = NULL;
}

void *guest_mem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	uint64_t high = m->size - m->low_size;

	/* The whole range, without wraparound, in one part of RAM. */
	if (gpa + len < gpa)
		return NULL;
	if (gpa + len <= m->low_size)
		return m->host + gpa;
	if (gpa >= MEM_HIGH_BASE && gpa + len - MEM_HIGH_BASE <= high)
		return m->host + m->low_size + (gpa - MEM_HIGH_BASE);
	return NULL;
}
