/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * void lamina_svm_vmrun(u64 guest_vmcb_pa, u64 host_save_pa, u64 *gprs)
 *
 * Called with GIF clear. Saves the host state VMRUN does not switch
 * (FS/GS/TR/LDTR with hidden parts, KernelGsBase, STAR and friends),
 * loads the guest's GPRs (RAX and RSP live in the VMCB), runs the guest,
 * stores its GPRs, scrubs them from the registers and restores the host.
 * The guest GPR array is indexed by encoding (module/gpr.h).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>

#include "../gpr.h"

#define GPR(r) (LAMINA_GPR_##r * 8)


SYM_FUNC_START(lamina_svm_vmrun)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* 16(%rsp) gprs, 8(%rsp) host save area, 0(%rsp) guest VMCB */
	push %rdx
	push %rsi
	push %rdi

	mov %rsi, %rax
	vmsave %rax

	mov %rdx, %rax
	mov GPR(RCX)(%rax), %rcx
	mov GPR(RDX)(%rax), %rdx
	mov GPR(RBX)(%rax), %rbx
	mov GPR(RBP)(%rax), %rbp
	mov GPR(RSI)(%rax), %rsi
	mov GPR(RDI)(%rax), %rdi
	mov GPR(R8)(%rax), %r8
	mov GPR(R9)(%rax), %r9
	mov GPR(R10)(%rax), %r10
	mov GPR(R11)(%rax), %r11
	mov GPR(R12)(%rax), %r12
	mov GPR(R13)(%rax), %r13
	mov GPR(R14)(%rax), %r14
	mov GPR(R15)(%rax), %r15

	mov (%rsp), %rax
	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX, RSP and RIP are the host's again. */
	vmsave %rax

	mov 16(%rsp), %rax
	mov %rcx, GPR(RCX)(%rax)
	mov %rdx, GPR(RDX)(%rax)
	mov %rbx, GPR(RBX)(%rax)
	mov %rbp, GPR(RBP)(%rax)
	mov %rsi, GPR(RSI)(%rax)
	mov %rdi, GPR(RDI)(%rax)
	mov %r8, GPR(R8)(%rax)
	mov %r9, GPR(R9)(%rax)
	mov %r10, GPR(R10)(%rax)
	mov %r11, GPR(R11)(%rax)
	mov %r12, GPR(R12)(%rax)
	mov %r13, GPR(R13)(%rax)
	mov %r14, GPR(R14)(%rax)
	mov %r15, GPR(R15)(%rax)

	/* Leave no guest value in a register the host might speculate on. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebx, %ebx
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

	mov 8(%rsp), %rax
	vmload %rax

	/* The guest may have filled the return stack buffer. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RETPOLINE

	add $24, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(lamina_svm_vmrun)
