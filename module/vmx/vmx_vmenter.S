/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * int lamina_vmx_vmenter(u64 *gprs, bool launched)
 *
 * Called with interrupts off and the vCPU's VMCS current. Writes HOST_RSP
 * (this frame's RSP: the exit resumes at lamina_vmx_vmexit with it, SDM
 * vol. 3C, 28.5.3), loads the guest's GPRs (RSP lives in the VMCS) from
 * the array indexed by encoding (module/gpr.h), then VMLAUNCH or VMRESUME.
 * After the exit it stores the guest's GPRs, scrubs them from the
 * registers and fills the RSB. Returns 0 after a VM exit, 1 when the
 * VMWRITE, VMLAUNCH or VMRESUME failed (VMfail, or a fault: VMX off).
 *
 * void lamina_vmx_do_nmi(unsigned long entry)
 *
 * Calls the host's NMI entry point with an interrupt frame, as if the NMI
 * that ended the guest had arrived here (KVM's vmx_do_interrupt_nmi_irqoff).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "../gpr_asm.h"

/* SDM vol. 3C, appendix B: natural-width host-state field HOST_RSP. */
#define VMCS_HOST_RSP 0x00006c14


SYM_FUNC_START(lamina_vmx_vmenter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* 0(%rsp): the guest GPR array, found again after the exit. */
	push %rdi
	/* Keep the launched flag across the GPR loads in EBX. */
	movzbl %sil, %ebx

	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jna .Lfail

	/* MOV leaves the flags alone: test now, branch after the loads. */
	test %ebx, %ebx

	mov 0(%rsp), %rax
	LAMINA_GPRS_LOAD %rax
	mov GPR(RBX)(%rax), %rbx
	mov GPR(RAX)(%rax), %rax

	jz .Llaunch

	/*
	 * A VM exit resumes at lamina_vmx_vmexit with this RSP: tell
	 * objtool the stack there is the stack here.
	 */
	UNWIND_HINT_SAVE
.Lresume:
	vmresume
	jmp .Lfail
.Llaunch:
	vmlaunch
	jmp .Lfail

	_ASM_EXTABLE(.Lresume, .Lfail)
	_ASM_EXTABLE(.Llaunch, .Lfail)

SYM_INNER_LABEL(lamina_vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	/* The guest's RAX is parked on the stack to free a pointer. */
	push %rax
	mov 8(%rsp), %rax
	LAMINA_GPRS_STORE %rax
	pop GPR(RAX)(%rax)
	xor %ebx, %ebx
	jmp .Lscrub

.Lfail:
	/* Some guest GPRs may be loaded already: scrub them too. */
	mov $1, %ebx

.Lscrub:
	/* Leave no guest value in a register the host might speculate on. */
	xor %eax, %eax
	LAMINA_GPRS_SCRUB

	/* The guest may have filled the return stack buffer. */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RETPOLINE

	mov %ebx, %eax
	add $8, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(lamina_vmx_vmenter)


SYM_FUNC_START(lamina_vmx_do_nmi)
	push %rbp
	mov %rsp, %rbp
	/* The CPU aligns RSP to 16 bytes before pushing an interrupt frame. */
	and $-16, %rsp
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET restored RSP already; objtool cannot know, so say it. */
	mov %rbp, %rsp
	pop %rbp
	RET
SYM_FUNC_END(lamina_vmx_do_nmi)
