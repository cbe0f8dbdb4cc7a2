/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_BOOT_H
#define VMMD_BOOT_H

#include <stdint.h>

#include "bzimage.h"
#include "mem.h"

/* Fixed low-memory spots for what the loader builds (all below 640 KiB). */
#define BOOT_GDT	0x500ULL
#define BOOT_PARAMS	0x7000ULL
#define BOOT_PML4	0x9000ULL
#define BOOT_PDPT	0xa000ULL
#define BOOT_PD		0xb000ULL	/* 4 pages: 4 GiB in 2 MiB pages */
#define BOOT_CMDLINE	0x20000ULL

/* The 64-bit entry's selectors (boot.rst: __BOOT_CS, __BOOT_DS). */
#define BOOT_CS		0x10
#define BOOT_DS		0x18

/* The boot CPU's register state at the 64-bit entry. */
struct boot_entry {
	uint64_t rip;	/* load address + 0x200 */
	uint64_t rsi;	/* boot_params */
	uint64_t cr3;
	uint64_t gdt_base;
	uint16_t gdt_limit;
};

/*
 * Read kernel and initrd (@initrd->fd -1: none) straight into guest RAM
 * and write the command line, boot_params (with the e820 map and the ACPI
 * RSDP address), GDT and identity page tables, following the plan (checked
 * to fit). Fails (a VMMD_EXIT_* code, reason printed) only if a file
 * cannot be read to its checked size.
 */
int boot_load(const struct guest_mem *m, const struct bzimage *bz,
	      const struct boot_file *kernel, const struct boot_file *initrd,
	      const char *cmdline, const struct boot_plan *plan, uint64_t rsdp,
	      struct boot_entry *entry);

/*
 * A test payload (`vmmd run --raw-payload`, e.g. tests/vguest/): a flat
 * binary read to BOOT_RAW_LOAD and entered there in 64-bit mode with
 * the same GDT and identity page tables as a kernel gets (the low 4 GiB,
 * so the PCI window and ECAM too), interrupts off, no boot_params
 * (%rsi 0). It must fit below the end of low RAM (checked by the caller).
 */
#define BOOT_RAW_LOAD	0x100000ULL
int boot_load_raw(const struct guest_mem *m, const struct boot_file *payload,
		  struct boot_entry *entry);

#endif /* VMMD_BOOT_H */
