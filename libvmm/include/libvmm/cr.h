/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 13: a guest's write of CR0 or CR4 that exits.
 *
 * The backends intercept the CR0/CR4 writes that touch a bit they own
 * (and CLTS/LMSW, which write CR0); module/cr.c decodes which register
 * and instruction, and this layer decides: the value the write gives,
 * whether it is legal (else #GP, the instruction does not run), and the
 * state after it.  Rules (SDM vol. 3A 2.5, 9.8.5; KVM 6.1's kvm_set_cr0()
 * and kvm_set_cr4(); one enumerator each in enum vmm_cr_err, checked in
 * this order):
 *   CR0  bits 63:32 clear (RESERVED); PG only with PE (PG_NO_PE); NW only
 *        with CD (NW_NO_CD); turning PG on with EFER.LME needs CR4.PAE
 *        (LONG_NO_PAE).
 *   CR4  only bits of @cr4_allowed (RESERVED: the host's architectural
 *        bits, never VMXE/SVME); in long mode (EFER.LMA) PAE stays set
 *        (LMA_NO_PAE).
 * The write then: CR0 gets the value with ET (bit 4, hardwired) set;
 * turning PG on with LME sets EFER.LMA, turning it off clears it; CR4 gets
 * the value.  The value of CLTS is CR0 without TS; of LMSW, CR0 with PE,
 * MP, EM, TS from the source's bits 3:0, and PE never cleared.
 *
 * Bit constants: layer 7's (uapi.h) where it has them.  The ACSL model is
 * acsl-specs/cr.acsl.  Preconditions are weak: NULL is
 * rejected.  No state, no lock: the caller owns the copy of the registers.
 */
#ifndef LIBVMM_CR_H
#define LIBVMM_CR_H

#include <libvmm/types.h>
#include <libvmm/uapi.h>

/* SDM vol. 3A 2.5; the other CR0, CR4, EFER bits: uapi.h. */
#define VMM_CR_CR0_TS 0x0000000000000008ULL
#define VMM_CR_CR0_ET 0x0000000000000010ULL
#define VMM_CR_LMSW_BITS 0x000000000000000FULL /* PE, MP, EM, TS */
/* Complements, as u64 constants: the model's integers have no width. */
#define VMM_CR_NOT_CR0_TS (VMM_U64_MAX - VMM_CR_CR0_TS)
#define VMM_CR_NOT_LMSW_BITS (VMM_U64_MAX - VMM_CR_LMSW_BITS)
#define VMM_CR_NOT_EFER_LMA (VMM_U64_MAX - VMM_EFER_LMA)

/* How the guest wrote the register. */
enum vmm_cr_how {
	VMM_CR_MOV = 0,    /* MOV to CR from a GPR: the GPR's value */
	VMM_CR_CLTS = 1,   /* CR0 only */
	VMM_CR_LMSW = 2    /* CR0 only */
};

enum vmm_cr_err {
	VMM_CR_OK = 0,
	VMM_CR_ERR_NULL = 1,
	VMM_CR_ERR_CR0_RESERVED = 2,
	VMM_CR_ERR_CR0_PG_NO_PE = 3,
	VMM_CR_ERR_CR0_NW_NO_CD = 4,
	VMM_CR_ERR_CR0_LONG_NO_PAE = 5,
	VMM_CR_ERR_CR4_RESERVED = 6,
	VMM_CR_ERR_CR4_LMA_NO_PAE = 7
};

/* The registers a write reads and changes. */
struct vmm_cr_state {
	vmm_u64 cr0;
	vmm_u64 cr4;
	vmm_u64 efer;
};

#ifdef __FRAMAC__
#include "cr.acsl"
#endif

/*
 * The value the write gives CR0 (@how CLTS, LMSW) or its register
 * (@how MOV: @src, the GPR; LMSW: @src, the source operand).
 */
/*@ assigns \nothing;
  @ ensures \result == cr_new_value(how, cr0, src);
  @*/
vmm_u64 vmm_cr_new_value(enum vmm_cr_how how, vmm_u64 cr0, vmm_u64 src);

/*
 * Write CR0 = @v into *s: OK and the new state, or the first rule broken
 * and *s as it was.
 */
/*@ requires s == \null || \valid(s);
  @
  @ assigns s->cr0, s->efer;
  @
  @ ensures s == \null <==> \result == VMM_CR_ERR_NULL;
  @ ensures s != \null ==> (\result == VMM_CR_OK <==> cr_cr0_ok{Pre}(s, v));
  @ ensures s != \null && \result != VMM_CR_OK ==>
  @   cr_cr0_first_failure{Pre}(s, v, \result) &&
  @   s->cr0 == \old(s->cr0) && s->efer == \old(s->efer);
  @ ensures \result == VMM_CR_OK ==>
  @   s->cr0 == (v | VMM_CR_CR0_ET) &&
  @   s->efer == cr_efer_after{Pre}(s, v);
  @*/
enum vmm_cr_err vmm_cr_write_cr0(struct vmm_cr_state *s, vmm_u64 v);

/* Write CR4 = @v into *s (CR4 bits the guest may set: @cr4_allowed). */
/*@ requires s == \null || \valid(s);
  @
  @ assigns s->cr4;
  @
  @ ensures s == \null <==> \result == VMM_CR_ERR_NULL;
  @ ensures s != \null ==>
  @   (\result == VMM_CR_OK <==> cr_cr4_ok{Pre}(s, v, cr4_allowed));
  @ ensures s != \null && \result != VMM_CR_OK ==>
  @   cr_cr4_first_failure{Pre}(s, v, cr4_allowed, \result) &&
  @   s->cr4 == \old(s->cr4);
  @ ensures \result == VMM_CR_OK ==> s->cr4 == v;
  @*/
enum vmm_cr_err vmm_cr_write_cr4(struct vmm_cr_state *s, vmm_u64 v,
				 vmm_u64 cr4_allowed);

#endif /* LIBVMM_CR_H */
