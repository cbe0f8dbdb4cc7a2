/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest-GPR moves both entry paths share (svm/svm_vmrun.S,
 * vmx/vmx_vmenter.S): one copy, so a register cannot be forgotten in one
 * backend only. RAX and RBX are not here: each entry path uses them for
 * its own bookkeeping (pointer, launched flag, return value) and moves or
 * clears them itself. Assembly only.
 */
#ifndef LAMINA_GPR_ASM_H
#define LAMINA_GPR_ASM_H

#include "gpr.h"

#define GPR(r) (LAMINA_GPR_##r * 8)

/* Load RCX, RDX, RBP, RSI, RDI, R8-R15 from the array at \base. */
.macro LAMINA_GPRS_LOAD base:req
	mov GPR(RCX)(\base), %rcx
	mov GPR(RDX)(\base), %rdx
	mov GPR(RBP)(\base), %rbp
	mov GPR(RSI)(\base), %rsi
	mov GPR(RDI)(\base), %rdi
	mov GPR(R8)(\base), %r8
	mov GPR(R9)(\base), %r9
	mov GPR(R10)(\base), %r10
	mov GPR(R11)(\base), %r11
	mov GPR(R12)(\base), %r12
	mov GPR(R13)(\base), %r13
	mov GPR(R14)(\base), %r14
	mov GPR(R15)(\base), %r15
.endm

/* Store RCX, RDX, RBX, RBP, RSI, RDI, R8-R15 into the array at \base. */
.macro LAMINA_GPRS_STORE base:req
	mov %rcx, GPR(RCX)(\base)
	mov %rdx, GPR(RDX)(\base)
	mov %rbx, GPR(RBX)(\base)
	mov %rbp, GPR(RBP)(\base)
	mov %rsi, GPR(RSI)(\base)
	mov %rdi, GPR(RDI)(\base)
	mov %r8, GPR(R8)(\base)
	mov %r9, GPR(R9)(\base)
	mov %r10, GPR(R10)(\base)
	mov %r11, GPR(R11)(\base)
	mov %r12, GPR(R12)(\base)
	mov %r13, GPR(R13)(\base)
	mov %r14, GPR(R14)(\base)
	mov %r15, GPR(R15)(\base)
.endm

/*
 * Leave no guest value in a register the host might speculate on:
 * RCX, RDX, RBP, RSI, RDI, R8-R15 (RAX/RBX: the caller's).
 */
.macro LAMINA_GPRS_SCRUB
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d
.endm

#endif /* LAMINA_GPR_ASM_H */
