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

#include "../gpr_asm.h"


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
	mov GPR(RBX)(%rax), %rbx
	LAMINA_GPRS_LOAD %rax

	mov (%rsp), %rax
	vmload %rax
	vmrun %rax
	/* #VMEXIT: RAX, RSP and RIP are the host's again. */
	vmsave %rax

	mov 16(%rsp), %rax
	LAMINA_GPRS_STORE %rax

	/* Leave no guest value in a register the host might speculate on. */
	LAMINA_GPRS_SCRUB
	xor %ebx, %ebx

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
