/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_MEM_H
#define VMMD_MEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Guest physical layout (the PC's, so an unmodified kernel finds what
 * it expects):
 *   0          - 0x9fc00     RAM (real-mode area; boot_params, GDT,
 *                            boot page tables, command line)
 *   0x9fc00    - 0x100000    reserved (EBDA, VGA, ROM; ACPI tables at
 *                            0xe0000 where the RSDP scan looks)
 *   0x100000   - low_end     RAM; low_end = min(mem, 3 GiB)
 *   3 GiB      - 4 GiB       hole: IOAPIC 0xfec00000, LAPIC 0xfee00000,
 *                            KVM's TSS and identity-map pages
 *   4 GiB      - ...         RAM beyond 3 GiB, if any
 * One host mapping backs all RAM; two memory slots map it.
 */
#define MEM_LOW_LIMIT	0xc0000000ULL
#define MEM_HIGH_BASE	0x100000000ULL
#define MEM_EBDA	0x9fc00ULL
#define MEM_HIGH_RAM	0x100000ULL

struct guest_mem {
	uint8_t *host;		/* RAM, low part then high part */
	uint64_t size;		/* total RAM bytes */
	uint64_t low_size;	/* bytes mapped at GPA 0 */
};

int guest_mem_alloc(struct guest_mem *m, uint64_t size);
void guest_mem_free(struct guest_mem *m);
/* Host pointer for [gpa, gpa + len) if all of it is RAM, else NULL. */
void *guest_mem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);

#endif /* VMMD_MEM_H */
