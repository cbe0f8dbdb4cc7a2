// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 9 (the guest page walk): each paging
 * mode (none, 32-bit, PAE, 4-level) and page size (4K, 4M with PSE-36,
 * 2M, 1G), each reserved-bit rule, each access-rights rule of SDM vol. 3A
 * 4.6.1 (U/S, R/W with CR0.WP, XD with EFER.NXE, SMEP, SMAP with
 * EFLAGS.AC and implicit accesses), the #PF error code of each fault and
 * the input errors.  Guest memory is a small array; walk() plays the
 * module's part, reading each entry the walk names.
 */
#include <string.h>

#include <libvmm/walk.h>

#include "tap.h"

#define PAGE 0x1000ULL
#define MEM_PAGES 16U

#define P 0x1ULL
#define RW 0x2ULL
#define US 0x4ULL
#define PS 0x80ULL
#define XD (1ULL << 63)

#define CR0_PG (1ULL << 31)
#define CR0_WP (1ULL << 16)
#define CR4_PSE (1ULL << 4)
#define CR4_PAE (1ULL << 5)
#define CR4_LA57 (1ULL << 12)
#define CR4_SMEP (1ULL << 20)
#define CR4_SMAP (1ULL << 21)
#define EFER_LMA (1ULL << 10)
#define EFER_NXE (1ULL << 11)

#define PF_P VMM_WALK_PF_P
#define PF_W VMM_WALK_PF_W
#define PF_U VMM_WALK_PF_U
#define PF_RSVD VMM_WALK_PF_RSVD
#define PF_ID VMM_WALK_PF_ID

static unsigned char mem[MEM_PAGES * PAGE];
static struct vmm_walk w;
static unsigned int steps;

static void put(vmm_u64 gpa, vmm_u64 v, unsigned int size)
{
	memcpy(&mem[gpa], &v, size);
}

/* The module's loop: read what the walk asks for, at most 4 times. */
static enum vmm_walk_status walk(const struct vmm_walk_in *in)
{
	enum vmm_walk_status st = vmm_walk_begin(in, &w);
	vmm_u64 e;

	for (steps = 0; st == VMM_WALK_ENTRY && steps < 4U; steps++) {
		if (w.entry_gpa + w.entry_size > sizeof(mem))
			return VMM_WALK_ERR_STATE;
		e = 0;
		memcpy(&e, &mem[w.entry_gpa], w.entry_size);
		st = vmm_walk_step(&w, e);
	}
	CHECK(st != VMM_WALK_ENTRY);
	return st;
}

static struct vmm_walk_in mode(vmm_u64 cr0, vmm_u64 cr4, vmm_u64 efer,
			       vmm_u64 la, vmm_u32 access)
{
	struct vmm_walk_in in = {
		.cr0 = cr0 | 1ULL, .cr4 = cr4, .efer = efer, .la = la,
		.maxphyaddr = 40U, .gbpages = 1U, .access = access,
	};

	memset(mem, 0, sizeof(mem));
	return in;
}

static void check_done(const struct vmm_walk_in *in, vmm_u64 gpa,
		       vmm_u64 size)
{
	CHECK_EQ(walk(in), VMM_WALK_DONE);
	CHECK_EQ(w.gpa, gpa);
	CHECK_EQ(w.page_size, size);
}

static void check_pf(const struct vmm_walk_in *in, vmm_u32 err)
{
	CHECK_EQ(walk(in), VMM_WALK_PF);
	CHECK_EQ(w.error_code, err);
}

static void no_paging(void)
{
	struct vmm_walk_in in = mode(0, 0, 0, 0x1234567890ULL, VMM_WALK_WRITE);

	in.cr0 = 0;
	check_done(&in, 0x34567890ULL, PAGE);
	CHECK_EQ(steps, 0U);
}

/* 32-bit paging: PD at 0x1000, PT at 0x2000, la 0x00400123. */
static struct vmm_walk_in setup32(vmm_u64 pde, vmm_u64 pte, vmm_u32 access)
{
	struct vmm_walk_in in = mode(CR0_PG, 0, 0, 0x00400123ULL, access);

	in.cr3 = 0x1000ULL;
	put(0x1000 + 1 * 4, pde, 4);
	put(0x2000 + 0 * 4, pte, 4);
	return in;
}

static void paging32_4k(void)
{
	struct vmm_walk_in in = setup32(0x2000 | P | RW | US,
					0x5000 | P | RW | US, VMM_WALK_READ);

	check_done(&in, 0x5123ULL, PAGE);
	CHECK_EQ(steps, 2U);
	CHECK_EQ(w.nread, 2U);
	/* Without CR4.PSE the PS bit of a PDE is ignored. */
	in = setup32(0x2000 | P | RW | US | PS, 0x6000 | P, VMM_WALK_READ);
	check_done(&in, 0x6123ULL, PAGE);
	/* Not present at each level; a not-present entry's bits are ignored. */
	in = setup32(0x2000 | RW | US, 0x5000 | P, VMM_WALK_WRITE);
	in.cpl3 = 1;
	check_pf(&in, PF_W | PF_U);
	in = setup32(0x2000 | P | RW | US, 0xfffff000 | RW, VMM_WALK_READ);
	check_pf(&in, 0);
}

static void paging32_4m_pse36(void)
{
	vmm_u64 pde = 0x00c00000 | (0x3ULL << 13) | P | RW | US | PS;
	struct vmm_walk_in in = setup32(pde, 0, VMM_WALK_READ);

	in.cr4 = CR4_PSE;
	check_done(&in, 0x300c00123ULL, 0x400000ULL);
	CHECK_EQ(steps, 1U);
	/* PA bit 36 with MAXPHYADDR 36: reserved; with 40 it is address. */
	in = setup32(0x00c00000 | (0x10ULL << 13) | P | PS, 0, VMM_WALK_READ);
	in.cr4 = CR4_PSE;
	check_done(&in, 0x1000c00123ULL, 0x400000ULL);
	in.maxphyaddr = 36U;
	check_pf(&in, PF_P | PF_RSVD);
	/* Bit 21 is always reserved. */
	in = setup32(0x00c00000 | (1ULL << 21) | P | PS, 0, VMM_WALK_READ);
	in.cr4 = CR4_PSE;
	check_pf(&in, PF_P | PF_RSVD);
	/* 32-bit paging has no XD: a fetch has no I/D bit without SMEP. */
	in = setup32(0x2000 | P, 0x5000 | P, VMM_WALK_FETCH);
	in.cpl3 = 1;
	in.efer = EFER_NXE;
	check_pf(&in, PF_P | PF_U);
	in.cr4 = CR4_SMEP;
	check_pf(&in, PF_P | PF_U | PF_ID);
}

/* PAE: PDPT at 0x1020, PD at 0x2000, PT at 0x3000, la 0x40201123. */
static struct vmm_walk_in setup_pae(vmm_u64 pdpte, vmm_u64 pde, vmm_u64 pte,
				    vmm_u32 access)
{
	struct vmm_walk_in in = mode(CR0_PG, CR4_PAE, EFER_NXE,
				     0x40201123ULL, access);

	in.cr3 = 0x1020ULL;
	put(0x1020 + 1 * 8, pdpte, 8);
	put(0x2000 + 1 * 8, pde, 8);
	put(0x3000 + 1 * 8, pte, 8);
	return in;
}

static void paging_pae(void)
{
	struct vmm_walk_in in = setup_pae(0x2000 | P, 0x3000 | P | RW | US,
					  0x7000 | P | RW | US, VMM_WALK_WRITE);

	in.cpl3 = 1;
	check_done(&in, 0x7123ULL, PAGE);
	CHECK_EQ(steps, 3U);
	/* 2M page: PAT (bit 12) is not address. */
	in = setup_pae(0x2000 | P, 0x600000 | (1ULL << 12) | P | PS, 0,
		       VMM_WALK_READ);
	check_done(&in, 0x601123ULL, 0x200000ULL);
	/* A PDPTE has no R/W or U/S (they give no rights); bits 8:5 and 2:1
	 * are the CPU's to check at MOV CR3, bits 63:M the walk's. */
	in = setup_pae(0x2000 | P | RW | 0x20, 0x3000 | P | RW | US,
		       0x7000 | P | RW | US, VMM_WALK_READ);
	in.cpl3 = 1;
	check_done(&in, 0x7123ULL, PAGE);
	in = setup_pae((1ULL << 52) | 0x2000 | P, 0x3000 | P, 0x7000 | P,
		       VMM_WALK_READ);
	check_pf(&in, PF_P | PF_RSVD);
	/* 2M page bits 20:13 are reserved. */
	in = setup_pae(0x2000 | P, 0x600000 | (1ULL << 13) | P | PS, 0,
		       VMM_WALK_READ);
	check_pf(&in, PF_P | PF_RSVD);
	/* XD with NXE: a fetch faults, with I/D; without NXE XD is reserved. */
	in = setup_pae(0x2000 | P, 0x3000 | P | RW | US,
		       0x7000 | P | RW | US | XD, VMM_WALK_FETCH);
	check_pf(&in, PF_P | PF_ID);
	CHECK_EQ(walk(&(struct vmm_walk_in){ .cr0 = in.cr0, .cr3 = in.cr3,
		 .cr4 = in.cr4, .efer = in.efer, .la = in.la,
		 .maxphyaddr = 40U, .access = VMM_WALK_READ }), VMM_WALK_DONE);
	in.efer = 0;
	check_pf(&in, PF_P | PF_RSVD);
	/* MAXPHYADDR: bit 40 in a PTE is reserved with 40. */
	in = setup_pae(0x2000 | P, 0x3000 | P, (1ULL << 40) | 0x7000 | P,
		       VMM_WALK_READ);
	check_pf(&in, PF_P | PF_RSVD);
	in.maxphyaddr = 52U;
	check_done(&in, (1ULL << 40) | 0x7123ULL, PAGE);
}

/* 4-level: PML4 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000. */
#define LA4 0x00007f8040201123ULL	/* indices 255, 1, 1, 1 */
static struct vmm_walk_in setup4(vmm_u64 pml4e, vmm_u64 pdpte, vmm_u64 pde,
				 vmm_u64 pte, vmm_u32 access)
{
	struct vmm_walk_in in = mode(CR0_PG, CR4_PAE, EFER_LMA | EFER_NXE,
				     LA4, access);

	in.cr3 = 0x1000ULL;
	put(0x1000 + 255 * 8, pml4e, 8);
	put(0x2000 + 1 * 8, pdpte, 8);
	put(0x3000 + 1 * 8, pde, 8);
	put(0x4000 + 1 * 8, pte, 8);
	return in;
}

#define UP (P | RW | US)

static void paging4_sizes(void)
{
	struct vmm_walk_in in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP,
				       0x9000 | UP, VMM_WALK_READ);

	check_done(&in, 0x9123ULL, PAGE);
	CHECK_EQ(steps, 4U);
	in = setup4(0x2000 | UP, 0x3000 | UP, 0x800000 | UP | PS, 0,
		    VMM_WALK_READ);
	check_done(&in, 0x801123ULL, 0x200000ULL);
	in = setup4(0x2000 | UP, 0xc0000000 | UP | PS, 0, 0, VMM_WALK_READ);
	check_done(&in, 0xc0201123ULL, 0x40000000ULL);
	CHECK_EQ(steps, 2U);
	/* Without Page1GB, PS in a PDPTE is reserved; bits 29:13 are too. */
	in.gbpages = 0;
	check_pf(&in, PF_P | PF_RSVD);
	in = setup4(0x2000 | UP, 0xc0000000 | (1ULL << 29) | UP | PS, 0, 0,
		    VMM_WALK_READ);
	check_pf(&in, PF_P | PF_RSVD);
	/* PS in a PML4E is reserved. */
	in = setup4(0x2000 | UP | PS, 0x3000 | UP, 0x4000 | UP, 0x9000 | UP,
		    VMM_WALK_READ);
	check_pf(&in, PF_P | PF_RSVD);
	/* Upper half, canonical: walks. Non-canonical: #GP. LA57: refused. */
	in = setup4(0, 0, 0, 0, VMM_WALK_READ);
	in.la = 0xffff800000000000ULL;
	check_pf(&in, 0);
	in.la = 0x0000800000000000ULL;
	CHECK_EQ(walk(&in), VMM_WALK_GP);
	in.la = LA4;
	in.cr4 |= CR4_LA57;
	CHECK_EQ(walk(&in), VMM_WALK_ERR_LA57);
}

static void rights_user(void)
{
	/* A supervisor page (U/S = 0 in the PDE only), from CPL 3. */
	struct vmm_walk_in in = setup4(0x2000 | UP, 0x3000 | UP,
				       0x4000 | P | RW, 0x9000 | UP,
				       VMM_WALK_WRITE);

	in.cpl3 = 1;
	check_pf(&in, PF_P | PF_W | PF_U);
	in.access = VMM_WALK_READ;
	check_pf(&in, PF_P | PF_U);
	/* ... but fine as an implicit supervisor access, or at CPL 0. */
	in.implicit = 1;
	check_done(&in, 0x9123ULL, PAGE);
	in.implicit = 0;
	in.cpl3 = 0;
	check_done(&in, 0x9123ULL, PAGE);
	/* A read-only user page (R/W = 0 in the PDPTE only): CPL 3 writes
	 * fault whatever CR0.WP says, reads do not. */
	in = setup4(0x2000 | UP, 0x3000 | P | US, 0x4000 | UP, 0x9000 | UP,
		    VMM_WALK_WRITE);
	in.cpl3 = 1;
	check_pf(&in, PF_P | PF_W | PF_U);
	in.access = VMM_WALK_READ;
	check_done(&in, 0x9123ULL, PAGE);
	/* XD anywhere on the path stops a user fetch. */
	in = setup4(0x2000 | UP | XD, 0x3000 | UP, 0x4000 | UP, 0x9000 | UP,
		    VMM_WALK_FETCH);
	in.cpl3 = 1;
	check_pf(&in, PF_P | PF_U | PF_ID);
	/* Not present, user write. */
	in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP, 0x9000 | RW | US,
		    VMM_WALK_WRITE);
	in.cpl3 = 1;
	check_pf(&in, PF_W | PF_U);
}

static void rights_supervisor(void)
{
	/* Read-only page, supervisor write: allowed with WP = 0 only. */
	struct vmm_walk_in in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP,
				       0x9000 | P, VMM_WALK_WRITE);

	check_done(&in, 0x9123ULL, PAGE);
	in.cr0 |= CR0_WP;
	check_pf(&in, PF_P | PF_W);
	/* SMAP: a user page, supervisor data access: needs AC, explicit. */
	in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP, 0x9000 | UP,
		    VMM_WALK_READ);
	check_done(&in, 0x9123ULL, PAGE);
	in.cr4 |= CR4_SMAP;
	check_pf(&in, PF_P);
	in.ac = 1;
	check_done(&in, 0x9123ULL, PAGE);
	in.implicit = 1;
	check_pf(&in, PF_P);
	/* Implicit at CPL 3 is supervisor: U/S clear in the error code. */
	in.cpl3 = 1;
	in.access = VMM_WALK_WRITE;
	check_pf(&in, PF_P | PF_W);
	/* SMEP: supervisor fetch from a user page. */
	in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP, 0x9000 | UP,
		    VMM_WALK_FETCH);
	check_done(&in, 0x9123ULL, PAGE);
	in.cr4 |= CR4_SMEP;
	check_pf(&in, PF_P | PF_ID);
	/* XD, supervisor fetch; NXE = 0 and SMEP = 0: no I/D bit. */
	in = setup4(0x2000 | P, 0x3000 | P, 0x4000 | P, 0x9000 | P | XD,
		    VMM_WALK_FETCH);
	check_pf(&in, PF_P | PF_ID);
	in.efer = EFER_LMA;
	check_pf(&in, PF_P | PF_RSVD);
	in = setup4(0x2000 | P, 0x3000 | P, 0x4000 | P, 0x9000, VMM_WALK_FETCH);
	in.efer = EFER_LMA;
	check_pf(&in, 0);
}

static void input_errors(void)
{
	struct vmm_walk_in in = setup4(0x2000 | UP, 0x3000 | UP, 0x4000 | UP,
				       0x9000 | UP, VMM_WALK_READ);

	CHECK_EQ(vmm_walk_begin(NULL, &w), VMM_WALK_ERR_NULL);
	CHECK_EQ(vmm_walk_begin(&in, NULL), VMM_WALK_ERR_NULL);
	in.access = 3;
	CHECK_EQ(vmm_walk_begin(&in, &w), VMM_WALK_ERR_INPUT);
	in.access = VMM_WALK_READ;
	in.maxphyaddr = 31;
	CHECK_EQ(vmm_walk_begin(&in, &w), VMM_WALK_ERR_INPUT);
	in.maxphyaddr = 53;
	CHECK_EQ(vmm_walk_begin(&in, &w), VMM_WALK_ERR_INPUT);
	in.maxphyaddr = 40;
	check_done(&in, 0x9123ULL, PAGE);
	/* A finished walk takes no more steps and keeps its result. */
	CHECK_EQ(vmm_walk_step(&w, 0x5000 | UP), VMM_WALK_ERR_STATE);
	CHECK_EQ(w.status, VMM_WALK_DONE);
	CHECK_EQ(w.gpa, 0x9123ULL);
}

static const struct tap_case cases[] = {
	TAP_CASE(no_paging),
	TAP_CASE(paging32_4k),
	TAP_CASE(paging32_4m_pse36),
	TAP_CASE(paging_pae),
	TAP_CASE(paging4_sizes),
	TAP_CASE(rights_user),
	TAP_CASE(rights_supervisor),
	TAP_CASE(input_errors),
};

int main(void)
{
	return tap_run("unit/walk", cases, TAP_COUNT(cases));
}
