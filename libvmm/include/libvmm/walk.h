/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 9: the guest's own page walk, with the CPU's access checks.
 *
 * When the module emulates an access to guest-linear memory (the data of
 * INS/OUTS, the instruction bytes of an MMIO exit), it must translate the
 * address the way the guest's CPU would and refuse what the CPU would
 * refuse, raising the same #PF.  Otherwise a CPL 3 guest process allowed
 * port I/O (IOPL 3 or an I/O bitmap) could make the hypervisor's INS write
 * into guest kernel or read-only pages.
 *
 * libvmm cannot read guest memory (no callbacks), so the walk is a small
 * state machine: vmm_walk_begin() takes the paging mode and the access and
 * names the first paging-structure entry to read (GPA and size); the
 * module reads it and hands it to vmm_walk_step(), which names the next
 * one, or ends the walk with a GPA or the fault the CPU would raise.  A
 * walk takes at most VMM_WALK_MAX_LEVELS steps (proved: each step lowers
 * the level, which starts at the number of levels of the mode).
 *
 * Paging modes (SDM vol. 3A 4.1.1, table 4-1), from CR0.PG, CR4.PAE,
 * EFER.LMA: CR0.PG = 0: none, linear = physical (bits 31:0); 32-bit
 * paging (4.3): 2 levels of 4-byte entries, 4 MiB pages when CR4.PSE = 1
 * (PSE-36: PA bits 39:32 in PDE bits 20:13, table 4-4); PAE (4.4): 4
 * PDPTEs at CR3 bits 31:5, then 2 levels, 2 MiB pages; 4-level (4.5): 4
 * levels, 2 MiB pages, 1 GiB pages when the guest's CPUID has Page1GB
 * (gbpages).  5-level paging (CR4.LA57) is refused (VMM_WALK_ERR_LA57).
 * With 4-level paging a non-canonical address (bits 63:47 not all equal)
 * is a #GP, not a #PF (3.3.7.1): VMM_WALK_GP.
 *
 * Each present entry is checked for reserved bits (4.3 tables 4-4 .. 4-6,
 * 4.4.2 tables 4-8 .. 4-11, 4.5.4 tables 4-15 .. 4-20), M = MAXPHYADDR:
 *   every PAE / 4-level entry: bits 51:M; bit 63 (XD) when EFER.NXE = 0
 *   PAE PDPTE: bits 63:M (bits 8:5 and 2:1 are checked by the CPU when
 *     it loads the PDPTEs, MOV to CR3 raising #GP (4.4.1), never by a
 *     walk; the PDPTE's accessed bit may be set there on AMD and QEMU)
 *   4-level PML4E: bit 7 (PS)
 *   4-level PDPTE with PS: all of it without gbpages, else bits 29:13
 *   PDE with PS (2 MiB): bits 20:13
 *   32-bit PDE with PS and CR4.PSE (4 MiB): bit 21 and PA bits 39:M
 *     (PDE bits 20:M-19)
 * A not-present entry (P = 0) ends the walk first: its other bits are
 * not looked at (4.7).
 *
 * Access rights (4.6.1).  U = U/S is 1 in every entry (a user-mode
 * address), W = R/W is 1 in every entry, XD = XD is 1 in some entry with
 * EFER.NXE = 1 (PAE and 4-level paging only; a PAE PDPTE has none of the
 * three).  A user-mode access is one made at CPL 3 that is not an implicit
 * supervisor-mode access (GDT, IDT, TSS ...); every other access is a
 * supervisor-mode access.  The access is allowed exactly when:
 *   user-mode:   U, and W for a write, and not XD for a fetch
 *   supervisor:  fetch: not XD, and not (U and CR4.SMEP)
 *                read or write: not (U and CR4.SMAP and (EFLAGS.AC = 0 or
 *                implicit)), and W for a write when CR0.WP = 1
 * Protection keys (CR4.PKE/PKS) are not modelled: vmm_walk_begin() takes
 * no PKRU; lamina's supported CPUID offers no PKU (leaf 7 ECX = 0).
 *
 * The fault (4.7, figure 4-12): #PF with CR2 = the linear address and the
 * error code P (bit 0: 0 not present, 1 reserved bit or rights),
 * W/R (bit 1: a write), U/S (bit 2: a user-mode access), RSVD (bit 3),
 * I/D (bit 4: a fetch, when CR4.SMEP = 1 or CR4.PAE = 1 and EFER.NXE = 1).
 *
 * Not done here (said in docs/verification.md): the accessed and dirty
 * bits are not set (the CPU sets A in every entry used and D in the leaf
 * of a write); PAE PDPTEs are read from memory, where the CPU uses the
 * copies it loaded with CR3; the TLB is not modelled (a walk always sees
 * the tables as they are now).
 */
#ifndef LIBVMM_WALK_H
#define LIBVMM_WALK_H

#include <libvmm/types.h>

#define VMM_WALK_MAX_LEVELS 4U

/* vmm_walk_in.access */
#define VMM_WALK_READ 0U
#define VMM_WALK_WRITE 1U
#define VMM_WALK_FETCH 2U

/* vmm_walk.paging: the paging mode, which is also its number of levels. */
#define VMM_WALK_PG_NONE 0U
#define VMM_WALK_PG_32 2U
#define VMM_WALK_PG_PAE 3U
#define VMM_WALK_PG_4LEVEL 4U

/* #PF error code bits (SDM vol. 3A 4.7). */
#define VMM_WALK_PF_P 1U
#define VMM_WALK_PF_W 2U
#define VMM_WALK_PF_U 4U
#define VMM_WALK_PF_RSVD 8U
#define VMM_WALK_PF_ID 16U

/* Accepted MAXPHYADDR (CPUID 80000008H EAX[7:0]). */
#define VMM_WALK_MIN_PHYS 32U
#define VMM_WALK_MAX_PHYS 52U

enum vmm_walk_status {
	VMM_WALK_ENTRY = 0,	/* read entry_size bytes at entry_gpa, step */
	VMM_WALK_DONE = 1,	/* gpa, page_size are the translation */
	VMM_WALK_PF = 2,	/* #PF(error_code), CR2 = in.la */
	VMM_WALK_GP = 3,	/* non-canonical address: #GP(0) */
	VMM_WALK_ERR_NULL = 4,	/* in or w is NULL */
	VMM_WALK_ERR_INPUT = 5,	/* access or maxphyaddr out of range */
	VMM_WALK_ERR_LA57 = 6,	/* 5-level paging: not supported */
	VMM_WALK_ERR_STATE = 7	/* step on a walk that is not at ENTRY */
};

/* What the walk needs of the vCPU and of the access. */
struct vmm_walk_in {
	vmm_u64 cr0, cr3, cr4, efer;
	vmm_u64 la;		/* the linear address accessed */
	vmm_u32 maxphyaddr;	/* the guest's, 32 .. 52 */
	vmm_u32 gbpages;	/* != 0: the guest's CPUID has Page1GB */
	vmm_u32 access;		/* VMM_WALK_READ, _WRITE or _FETCH */
	vmm_u32 cpl3;		/* != 0: CPL is 3 */
	vmm_u32 ac;		/* != 0: EFLAGS.AC is 1 */
	vmm_u32 implicit;	/* != 0: an implicit supervisor-mode access */
};

/* A walk in progress, or its result.  Written only by libvmm. */
struct vmm_walk {
	struct vmm_walk_in in;
	vmm_u32 status;		/* enum vmm_walk_status */
	vmm_u32 paging;		/* VMM_WALK_PG_* */
	vmm_u32 level;		/* level of the entry to read: paging .. 1 */
	vmm_u32 nread;		/* entries read so far: e[0 .. nread - 1] */
	vmm_u64 entry_gpa;	/* ENTRY: where the next entry is */
	vmm_u32 entry_size;	/* ENTRY: 4 (32-bit paging) or 8 */
	vmm_u64 e[VMM_WALK_MAX_LEVELS];	/* the entries read, top first */
	vmm_u64 gpa;		/* DONE */
	vmm_u64 page_size;	/* DONE: 4 KiB, 2 MiB, 4 MiB or 1 GiB */
	vmm_u32 error_code;	/* PF */
};

#ifdef __FRAMAC__
#include "walk.acsl"
#endif

/*
 * Start the walk of in->la for the access in *in.  Returns w->status (and
 * nothing is written when in or w is NULL): ERR_INPUT for an access kind
 * or MAXPHYADDR out of range; DONE with gpa = la bits 31:0 when CR0.PG =
 * 0; ERR_LA57 for 5-level paging; GP for a non-canonical address with
 * 4-level paging; else ENTRY with the first entry's GPA and size, and
 * the walk invariant (walk_inv: nothing read yet).
 */
/*@ requires in == \null || \valid_read(in);
  @ requires w == \null || \valid(w);
  @ requires in != \null && w != \null ==> \separated(in, w);
  @
  @ assigns *w;
  @
  @ ensures in == \null || w == \null <==> \result == VMM_WALK_ERR_NULL;
  @ ensures in != \null && w != \null ==> \result == w->status &&
  @           w->in == \old(*in);
  @ ensures in != \null && w != \null ==>
  @           (\result == VMM_WALK_ERR_INPUT <==> !w_in_ok(\old(*in)));
  @ ensures \result == VMM_WALK_DONE ==>
  @           w->paging == VMM_WALK_PG_NONE &&
  @           w->gpa == w->in.la % 0x100000000 && w->page_size == 4096;
  @ ensures \result == VMM_WALK_ERR_LA57 ==>
  @           w->paging == VMM_WALK_PG_4LEVEL && w_bit(w->in.cr4, 12) == 1;
  @ ensures \result == VMM_WALK_GP ==>
  @           w->paging == VMM_WALK_PG_4LEVEL && !w_canonical(w->in.la);
  @ ensures \result == VMM_WALK_ENTRY ==> walk_inv(w) && w->nread == 0;
  @ ensures in != \null && w != \null && w_in_ok(\old(*in)) ==>
  @           w->paging == w_paging(w->in) &&
  @           (w->paging == VMM_WALK_PG_NONE <==> \result == VMM_WALK_DONE) &&
  @           (w->paging == VMM_WALK_PG_4LEVEL ==>
  @              (w_bit(w->in.cr4, 12) == 1 <==>
  @                 \result == VMM_WALK_ERR_LA57)) &&
  @           (w->paging == VMM_WALK_PG_4LEVEL &&
  @            w_bit(w->in.cr4, 12) == 0 ==>
  @              (!w_canonical(w->in.la) <==> \result == VMM_WALK_GP)) &&
  @           (w->paging == VMM_WALK_PG_32 || w->paging == VMM_WALK_PG_PAE ==>
  @              \result == VMM_WALK_ENTRY);
  @*/
enum vmm_walk_status vmm_walk_begin(const struct vmm_walk_in *in,
				    struct vmm_walk *w);

/*
 * One step: @entry is the value of the entry at w->entry_gpa (the low 4
 * bytes for 32-bit paging; the caller zero-extends).  On a walk that is
 * not at ENTRY: ERR_STATE, nothing written.  Else the entry is stored in
 * e[nread] and, with P = present, R = reserved bits set, L = maps the
 * page (PS or level 1), A = the access is allowed by the rights of all
 * the entries read (w_allowed over e[0 .. nread]):
 *   !P          PF, error code without P
 *   P, R        PF, error code P | RSVD
 *   P, !R, L    A: DONE with the page's GPA and size; !A: PF, P
 *   P, !R, !L   ENTRY one level down (walk_inv again)
 * and the error code's W/R, U/S and I/D bits are those of the access.
 */
/*@ requires \valid(w);
  @ requires w->status == VMM_WALK_ENTRY ==> walk_inv(w);
  @
  @ assigns *w;
  @
  @ behavior not_walking:
  @   assumes w->status != VMM_WALK_ENTRY;
  @   assigns \nothing;
  @   ensures \result == VMM_WALK_ERR_STATE;
  @
  @ behavior walking:
  @   assumes w->status == VMM_WALK_ENTRY;
  @   ensures \result == w->status;
  @   ensures w->in == \old(w->in) && w->paging == \old(w->paging);
  @   ensures w->nread == \old(w->nread) + 1;
  @   ensures w->e[\old(w->nread)] == entry;
  @   ensures 0 < \old(w->nread) ==> w->e[0] == \old(w->e[0]);
  @   ensures 1 < \old(w->nread) ==> w->e[1] == \old(w->e[1]);
  @   ensures 2 < \old(w->nread) ==> w->e[2] == \old(w->e[2]);
  @   ensures !w_present(entry) ==>
  @             \result == VMM_WALK_PF &&
  @             w->error_code == w_err(w->in, w->paging, 0, 0);
  @   ensures w_present(entry) &&
  @           w_rsvd(w->in, w->paging, \old(w->level), entry) ==>
  @             \result == VMM_WALK_PF &&
  @             w->error_code == w_err(w->in, w->paging, 1, 1);
  @   ensures w_present(entry) &&
  @           !w_rsvd(w->in, w->paging, \old(w->level), entry) &&
  @           w_leaf(w->in, w->paging, \old(w->level), entry) ==>
  @             (w_allowed(w) ==>
  @                \result == VMM_WALK_DONE &&
  @                w->gpa == w_gpa(w->paging, \old(w->level), entry,
  @                                w->in.la) &&
  @                w->page_size == w_size(w->paging, \old(w->level))) &&
  @             (!w_allowed(w) ==>
  @                \result == VMM_WALK_PF &&
  @                w->error_code == w_err(w->in, w->paging, 1, 0));
  @   ensures w_present(entry) &&
  @           !w_rsvd(w->in, w->paging, \old(w->level), entry) &&
  @           !w_leaf(w->in, w->paging, \old(w->level), entry) ==>
  @             \result == VMM_WALK_ENTRY && walk_inv(w) &&
  @             w->level == \old(w->level) - 1;
  @
  @ complete behaviors;
  @ disjoint behaviors;
  @*/
enum vmm_walk_status vmm_walk_step(struct vmm_walk *w, vmm_u64 entry);

#endif /* LIBVMM_WALK_H */
