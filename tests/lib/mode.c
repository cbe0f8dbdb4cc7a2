// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "mode.h"

#define GDT_ADDR 0x2000UL
#define PML4_ADDR 0x3000UL
#define PDPT_ADDR 0x4000UL
#define PD_ADDR 0x5000UL	/* four page directories: 4 GiB */
#define PT_ADDR 0x9000UL	/* 4 KiB pages for the lowest large page */

#define CR0_PE 0x1ULL
#define CR0_ET 0x10ULL
#define CR0_PG 0x80000000ULL
#define CR4_PSE 0x10ULL
#define CR4_PAE 0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PS 0x80ULL

static int mode_fail(struct test_vm *vm, const char *what)
{
	snprintf(vm->err, sizeof(vm->err), "%s: %s", what, strerror(errno));
	return -1;
}

const char *test_mode_name(enum test_mode mode)
{
	static const char *const names[] = {
		"real", "prot", "long", "pg32", "pae"
	};

	return mode < TEST_MODE_COUNT ? names[mode] : "?";
}

int test_mode_paging(enum test_mode mode)
{
	return mode == TEST_MODE_LONG || mode == TEST_MODE_PG32 ||
	       mode == TEST_MODE_PAE;
}

int test_mode_bits(enum test_mode mode)
{
	return mode == TEST_MODE_REAL ? 16 : mode == TEST_MODE_LONG ? 64 : 32;
}

/* A GDT descriptor (SDM vol. 3A, 3.4.5) with base 0, limit 4 GiB. */
static uint64_t gdt_flat(unsigned int type, int l, int db)
{
	return 0xffffULL | (uint64_t)(0x90 | type) << 40 |	/* P, S */
	       0xfULL << 48 | (uint64_t)(0x8 | db << 2 | l << 1) << 52;
}

static void seg_flat(struct kvm_segment *s, unsigned int sel,
		     unsigned int type, int l, int db)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
	s->g = 1;
	s->l = l;
	s->db = db;
}

static void seg_real(struct kvm_segment *s, unsigned int type)
{
	memset(s, 0, sizeof(*s));
	s->limit = 0xffff;
	s->type = type;
	s->s = 1;
	s->present = 1;
}

/*
 * Identity map of the first 4 GiB with 8-byte entries: PAE (PDPT of four
 * entries) or 4-level (PML4[0] -> PDPT). Four PDs of 2 MiB pages, except
 * the first 2 MiB and TEST_MODE_ALIAS: both -> one table of 4 KiB pages
 * mapping physical [0, 2 MiB).
 */
static void write_tables64(unsigned char *mem, int pae)
{
	uint64_t *pml4 = (uint64_t *)(mem + PML4_ADDR);
	uint64_t *pdpt = (uint64_t *)(mem + (pae ? PML4_ADDR : PDPT_ADDR));
	uint64_t *pd = (uint64_t *)(mem + PD_ADDR);
	uint64_t *pt = (uint64_t *)(mem + PT_ADDR);
	unsigned int i;

	memset(mem + PML4_ADDR, 0, TEST_MODE_TABLES_END - PML4_ADDR);
	if (!pae)
		pml4[0] = PDPT_ADDR | PTE_P | PTE_RW;
	/* PAE PDPTEs have no R/W bit (SDM vol. 3A, table 4-8). */
	for (i = 0; i < 4; i++)
		pdpt[i] = (PD_ADDR + i * 0x1000UL) | PTE_P | (pae ? 0 : PTE_RW);
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | PTE_P | PTE_RW | PTE_PS;
	pd[0] = PT_ADDR | PTE_P | PTE_RW;
	pd[TEST_MODE_ALIAS >> 21] = PT_ADDR | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		pt[i] = ((uint64_t)i << 12) | PTE_P | PTE_RW;
}

/*
 * 32-bit paging: 4 MiB pages (CR4.PSE), except the first 4 MiB and
 * TEST_MODE_ALIAS: both -> one table of 4 KiB pages, physical [0, 4 MiB).
 */
static void write_tables32(unsigned char *mem)
{
	uint32_t *pd = (uint32_t *)(mem + PD_ADDR);
	uint32_t *pt = (uint32_t *)(mem + PT_ADDR);
	unsigned int i;

	memset(mem + PML4_ADDR, 0, TEST_MODE_TABLES_END - PML4_ADDR);
	for (i = 0; i < 1024; i++)
		pd[i] = (i << 22) | PTE_P | PTE_RW | PTE_PS;
	pd[0] = PT_ADDR | PTE_P | PTE_RW;
	pd[TEST_MODE_ALIAS >> 22] = PT_ADDR | PTE_P | PTE_RW;
	for (i = 0; i < 1024; i++)
		pt[i] = (i << 12) | PTE_P | PTE_RW;
}

unsigned long test_mode_rip(enum test_mode mode, unsigned long addr)
{
	return mode == TEST_MODE_REAL ? addr & 0xffff : addr;
}

int test_vm_set_mode(struct test_vm *vm, enum test_mode mode,
		     unsigned long code)
{
	uint64_t *gdt = (uint64_t *)(vm->mem + GDT_ADDR);
	struct kvm_sregs s;
	struct kvm_regs r;
	int code_type = 0xb, data_type = 0x3;	/* accessed: RX code, RW data */

	if (vm->mem_size < TEST_MODE_TABLES_END) {
		errno = EINVAL;
		return mode_fail(vm, "guest memory too small for the mode tables");
	}
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return mode_fail(vm, "KVM_GET_SREGS");

	memset(gdt, 0, 4 * sizeof(*gdt));
	gdt[TEST_SEL_CODE32 / 8] = gdt_flat(code_type, 0, 1);
	gdt[TEST_SEL_DATA / 8] = gdt_flat(data_type, 0, 1);
	gdt[TEST_SEL_CODE64 / 8] = gdt_flat(code_type, 1, 0);
	s.gdt.base = GDT_ADDR;
	s.gdt.limit = 4 * 8 - 1;
	s.cr4 = 0;
	s.efer = 0;
	s.cr3 = 0;
	s.cr0 = (s.cr0 & ~(CR0_PE | CR0_PG)) | CR0_ET;
	/* A busy 32-bit TSS: what VM entry wants in every mode. */
	memset(&s.tr, 0, sizeof(s.tr));
	s.tr.type = 0xb;
	s.tr.present = 1;
	s.tr.limit = 0xffff;

	if (mode == TEST_MODE_REAL) {
		if (code >= 0x100000) {
			errno = EINVAL;
			return mode_fail(vm, "real-mode code above 1 MiB");
		}
		seg_real(&s.cs, code_type);
		s.cs.base = code & 0xf0000;
		s.cs.selector = s.cs.base >> 4;
		seg_real(&s.ds, data_type);
	} else if (mode != TEST_MODE_LONG) {
		s.cr0 |= CR0_PE;
		seg_flat(&s.cs, TEST_SEL_CODE32, code_type, 0, 1);
		seg_flat(&s.ds, TEST_SEL_DATA, data_type, 0, 1);
		if (mode == TEST_MODE_PG32) {
			write_tables32(vm->mem);
			s.cr3 = PD_ADDR;
			s.cr4 = CR4_PSE;
			s.cr0 |= CR0_PG;
		} else if (mode == TEST_MODE_PAE) {
			write_tables64(vm->mem, 1);
			s.cr3 = PML4_ADDR;
			s.cr4 = CR4_PAE;
			s.cr0 |= CR0_PG;
		}
	} else {
		write_tables64(vm->mem, 0);
		s.cr0 |= CR0_PE | CR0_PG;
		s.cr3 = PML4_ADDR;
		s.cr4 = CR4_PAE;
		s.efer = EFER_LME | EFER_LMA;
		seg_flat(&s.cs, TEST_SEL_CODE64, code_type, 1, 0);
		seg_flat(&s.ds, TEST_SEL_DATA, data_type, 0, 1);
	}
	s.es = s.ds;
	s.fs = s.ds;
	s.gs = s.ds;
	s.ss = s.ds;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return mode_fail(vm, "KVM_SET_SREGS");

	memset(&r, 0, sizeof(r));
	r.rip = test_mode_rip(mode, code);
	r.rflags = 0x2;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r))
		return mode_fail(vm, "KVM_SET_REGS");
	return 0;
}
