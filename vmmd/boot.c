// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux x86 64-bit boot protocol (Documentation/x86/boot.rst): the zero
 * page (struct boot_params) holds a copy of the setup header with the
 * loader's fields filled in, the e820 map and the command line pointer;
 * the CPU enters at load + 0x200 in 64-bit mode with paging on, an
 * identity map covering kernel, zero page and command line, a GDT with
 * flat __BOOT_CS (0x10, execute/read) and __BOOT_DS (0x18, read/write),
 * interrupts off and %rsi pointing at boot_params.
 */
#include <string.h>

#include "boot.h"
#include "devmgr.h"

#define E820_RAM	1
#define E820_RESERVED	2
#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)
#define LOADER_UNDEFINED 0xff	/* boot.rst: type_of_loader for others */

static void e820_add(struct boot_params *bp, uint64_t addr, uint64_t size,
		     uint32_t type)
{
	struct boot_e820_entry *e = &bp->e820_table[bp->e820_entries++];

	e->addr = addr;
	e->size = size;
	e->type = type;
}

static void build_e820(struct boot_params *bp, const struct guest_mem *m)
{
	e820_add(bp, 0, MEM_EBDA, E820_RAM);
	e820_add(bp, MEM_EBDA, MEM_HIGH_RAM - MEM_EBDA, E820_RESERVED);
	e820_add(bp, MEM_HIGH_RAM, m->low_size - MEM_HIGH_RAM, E820_RAM);
	/* The ECAM: reserved, as Linux checks before it uses the MCFG. */
	e820_add(bp, DEVMGR_ECAM_BASE, DEVMGR_ECAM_SIZE, E820_RESERVED);
	if (m->size > m->low_size)
		e820_add(bp, MEM_HIGH_BASE, m->size - m->low_size, E820_RAM);
}

/* Identity map of the low 4 GiB in 2 MiB pages: all the entry needs. */
static void build_page_tables(const struct guest_mem *m)
{
	uint64_t *pml4 = guest_mem_ptr(m, BOOT_PML4, 0x1000);
	uint64_t *pdpt = guest_mem_ptr(m, BOOT_PDPT, 0x1000);
	uint64_t *pd = guest_mem_ptr(m, BOOT_PD, 4 * 0x1000);
	unsigned int i;

	memset(pml4, 0, 0x1000);
	memset(pdpt, 0, 0x1000);
	pml4[0] = BOOT_PDPT | PTE_P | PTE_RW;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PD + i * 0x1000ULL) | PTE_P | PTE_RW;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
}

static void build_gdt(const struct guest_mem *m)
{
	uint64_t *gdt = guest_mem_ptr(m, BOOT_GDT, 4 * 8);

	gdt[0] = 0;
	gdt[1] = 0;
	gdt[BOOT_CS / 8] = 0x00af9b000000ffffULL;	/* 64-bit code, flat */
	gdt[BOOT_DS / 8] = 0x00cf93000000ffffULL;	/* data, flat 4 GiB */
}

/* The long-mode environment both entries share. */
static void boot_cpu_env(const struct guest_mem *m, struct boot_entry *entry)
{
	build_page_tables(m);
	build_gdt(m);
	entry->cr3 = BOOT_PML4;
	entry->gdt_base = BOOT_GDT;
	entry->gdt_limit = 4 * 8 - 1;
}

int boot_load_raw(const struct guest_mem *m, const struct boot_file *payload,
		  struct boot_entry *entry)
{
	int r = boot_file_read(payload, 0,
			       guest_mem_ptr(m, BOOT_RAW_LOAD, payload->size),
			       payload->size);

	boot_cpu_env(m, entry);
	entry->rip = BOOT_RAW_LOAD;
	entry->rsi = 0;
	return r;
}

int boot_load(const struct guest_mem *m, const struct bzimage *bz,
	      const struct boot_file *kernel, const struct boot_file *initrd,
	      const char *cmdline, const struct boot_plan *plan, uint64_t rsdp,
	      struct boot_entry *entry)
{
	struct boot_params *bp = guest_mem_ptr(m, BOOT_PARAMS, sizeof(*bp));
	size_t cmdline_len = strlen(cmdline) + 1;
	struct setup_header *h = &bp->hdr;
	int r;

	r = boot_file_read(kernel, bz->kernel_offset,
			   guest_mem_ptr(m, plan->load, bz->kernel_size),
			   bz->kernel_size);
	if (!r && plan->initrd_size)
		r = boot_file_read(initrd, 0,
				   guest_mem_ptr(m, plan->initrd_addr,
						 plan->initrd_size),
				   plan->initrd_size);
	if (r)
		return r;
	memcpy(guest_mem_ptr(m, BOOT_CMDLINE, cmdline_len), cmdline,
	       cmdline_len);

	memset(bp, 0, sizeof(*bp));
	memcpy(h, &bz->hdr, bz->hdr_len);
	h->type_of_loader = LOADER_UNDEFINED;
	h->loadflags &= ~(KEEP_SEGMENTS | QUIET_FLAG);
	h->loadflags |= CAN_USE_HEAP;
	h->heap_end_ptr = 0xfe00;	/* unused by the 64-bit entry */
	h->cmd_line_ptr = BOOT_CMDLINE;
	h->code32_start = plan->load;
	h->ramdisk_image = plan->initrd_addr;
	h->ramdisk_size = plan->initrd_size;
	bp->acpi_rsdp_addr = rsdp;
	build_e820(bp, m);

	boot_cpu_env(m, entry);
	entry->rip = plan->load + 0x200;
	entry->rsi = BOOT_PARAMS;
	return 0;
}
