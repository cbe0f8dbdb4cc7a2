/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of a test payload for `vmmd run --raw-payload` (vmmd/boot.h):
 * long mode, identity-mapped low 4 GiB, interrupts off, no IDT. A stack,
 * a zeroed .bss, then main(); its return powers the machine off.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	lea	vguest_stack_top(%rip), %rsp
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	call	main
	call	vguest_poweroff
1:	hlt
	jmp	1b

	.section .bss
	.balign 16
	.space	65536
vguest_stack_top:

	.section .note.GNU-stack, "", @progbits
