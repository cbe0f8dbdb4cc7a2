// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_guest DEVICE: guests that do what VM-escape bugs are made of,
 * each with the one answer kvm.ko (or the SDM/APM, for what hardware does
 * without an exit) gives, asked of /dev/kvm and /dev/lamina alike. A case
 * is data: a mode, a guest code blob, a few host-side pokes (page-table
 * entries, IDT gates), and its answer per device and CPU vendor; one
 * runner (run_case) sets the guest up, answers its MMIO and port I/O,
 * and compares how the run ends. TAP: hostile-guest-<case>/<dev>.
 *
 * Answers: the run ends with an OUT to PORT_OK (RAX compared), an
 * exception reaching the guest's own handler (a stub per vector: OUT of
 * the vector to PORT_EXC; the error code read from its stack), another
 * port, HLT, KVM_EXIT_SHUTDOWN (triple fault), KVM_EXIT_INTERNAL_ERROR
 * (suberror compared), or KVM_EXIT_INTR: the guest loops where only the
 * host's timer signal can end KVM_RUN (the host keeps its CPU). The last
 * MMIO exit (address, length, direction, written data) is compared too;
 * MMIO reads get the bytes of MMIO_PATTERN, port reads 0x5a.
 *
 * Where lamina.ko's answer is not kvm.ko's, it is one docs/abi.md
 * ("Hostile guests: where lamina answers differently") lists with the
 * reason; the table names each device's answer.
 *
 * Left out, because the emulator under the rig crashes on them, not the
 * hypervisor (lib/cpu_probe.h): data breakpoints (DR7) on QEMU's TCG (a
 * DR7 write by a nested guest under lamina.ko aborts QEMU 7.2; kvm-amd's
 * never fire), INT1, and interrupts from CPL3 or virtual-8086 mode
 * through the TSS (QEMU 7.2 TCG aborts: "invalid tss type"). Planned only
 * where the CPU answers truthfully (F_NOT_TCG, F_KVM_NOT_TCG; each case
 * not run is named in the output, docs/abi.md says why): the CR0/CR3/CR4
 * writes the CPU itself must refuse (TCG does not), LOCK MOV to MMIO (TCG
 * accesses before its #UD), CPL3 I/O faulting to CPL0, INVD (TCG ignores
 * its intercept), the #DB loop, the tiny periodic LAPIC timer on kvm.ko;
 * the #AC loop only where the CPU raises #AC. Error codes TCG pushes differently are compared as TCG
 * pushes them there (F_TCG_EC).
 *
 * The loops (CVE-2015-5307 #AC, CVE-2015-8104 #DB): their delivery raises
 * the same exception again; unless the hypervisor intercepts it, the CPU
 * repeats that delivery forever and takes no interrupt in between, so
 * the host CPU never comes back. kvm.ko's answer: KVM_EXIT_INTR on a
 * signal; kvm-intel stops the VM instead for the #AC loop
 * (KVM_INTERNAL_ERROR_SIMUL_EX: an exception other than #PF during the
 * delivery of another event).
 *
 * Plus hostile-guest-cr8-window and cr8-lower-exit-set-tpr: no in-kernel
 * irqchip; userspace asks for an interrupt window while the guest keeps
 * RFLAGS.IF = 0 and raises CR8: kvm.ko's answer is that the guest runs on
 * (no window exit, KVM_GET_SREGS shows the CR8); lowering CR8 to 0 then
 * exits with KVM_EXIT_SET_TPR, and the next KVM_RUN goes on to HLT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <cpuid.h>

#include "lib/cpu_probe.h"
#include "lib/desc.h"
#include "lib/guest.h"
#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/sched.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE_ADDR 0x10000UL
#define STUBS_ADDR 0x12000UL	/* one 8-byte stub per vector 0..31 */
#define HANDLER_ADDR 0x13000UL	/* a case's own handler */
#define DATA_ADDR 0x20000UL
#define COUNTER_ADDR 0x20f00UL	/* handlers count here */
#define IST_TOP 0x28000UL
#define STACK_TOP 0x30000UL
#define USER_SP 0x2e000UL
#define TRICK_PT 0x38000UL	/* long mode: the table of TRICK_VA */
#define TRICK_VA 0x80000000UL	/* 2 MiB, nothing present but pokes */
#define PD_ADDR 0x5000UL	/* lib/mode.c's page directories */
#define REAL_SP 0xf000UL
#define MMIO_ADDR 0x80000UL	/* no slot: MMIO in every mode */
#define MMIO_PATTERN 0xf8e7d6c5b4a39281ULL
#define PIO_IN_BYTE 0x5a
#define PORT_OK 0xe0
#define PORT_EXC 0xe1
#define PORT_SINK 0xe8
#define WATCH_ADDR (IST_TOP - 8)	/* #DB loop: the frame's SS slot */
#define CR0_AM (1ULL << 18)
#define RF_IF 0x200UL
#define RF_IOPL3 0x3000UL
#define RF_AC (1UL << 18)
#define NO_EC (-1LL)
#define IRQ_STORM 1000
#define LOOP_MS 300
#define CASE_MS 3000
#define SLOW_MS 10000
#define MAX_STEPS 200000
#define CR8_VAL 5
#define STR_(x) #x
#define STR(x) STR_(x)
#define OK "out %eax, $0xe0\n"

/* A guest blob: a label pair around code assembled for @bits. */
#define GUEST(name, bits, body)						\
	extern const unsigned char name##_s[], name##_e[];		\
	asm(".pushsection .rodata\n.code" #bits "\n" #name "_s:\n"	\
	    body "\n" #name "_e:\n.code64\n.popsection\n")

/* ---- MMIO by the MOV forms libvmm decodes (libvmm/include/libvmm/mmio.h) */
GUEST(m88, 64, "mov $0x5a, %bl\n mov %bl, 0x80000\n xor %eax, %eax\n" OK);
GUEST(m89w, 64, "mov $0x1234, %bx\n mov %bx, 0x80000\n xor %eax, %eax\n" OK);
GUEST(m89d, 64, "mov $0x12345678, %ebx\n mov %ebx, 0x80000\n xor %eax, %eax\n" OK);
GUEST(m89q, 64, "mov $0x1122334455667788, %rbx\n mov %rbx, 0x80000\n xor %eax, %eax\n" OK);
GUEST(m8a, 64, "mov $-1, %rax\n mov 0x80000, %al\n" OK);
GUEST(m8aah, 64, "mov $-1, %rax\n mov 0x80000, %ah\n" OK);
GUEST(m8bw, 64, "mov $-1, %rax\n mov 0x80000, %ax\n" OK);
GUEST(m8bd, 64, "mov $-1, %rax\n mov 0x80000, %eax\n" OK);
GUEST(m8bq, 64, "mov 0x80000, %rax\n" OK);
GUEST(mc6, 64, "movb $0xa5, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mc7w, 64, "movw $0xbeef, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mc7d, 64, "movl $0xdeadbeef, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mc7q, 64, "movq $-2, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mzxb, 64, "mov $-1, %rax\n movzbl 0x80000, %eax\n" OK);
GUEST(mzxw, 64, "mov $-1, %rax\n movzwq 0x80000, %rax\n" OK);
GUEST(msxb, 64, "movsbq 0x80000, %rax\n" OK);
GUEST(msxw, 64, "movswq 0x80000, %rax\n" OK);
GUEST(msxbw, 64, "xor %eax, %eax\n movsbw 0x80000, %ax\n" OK);
GUEST(ma0, 64, "xor %eax, %eax\n movabs 0x80000, %al\n" OK);
GUEST(ma1, 64, "movabs 0x80000, %rax\n" OK);
GUEST(ma2, 64, "mov $0x33, %al\n movabs %al, 0x80000\n xor %eax, %eax\n" OK);
GUEST(ma3, 64, "mov $0xcafef00d, %eax\n movabs %eax, 0x80000\n xor %eax, %eax\n" OK);
GUEST(ma1a32, 64, "xor %eax, %eax\n .byte 0x67, 0xa1\n .long 0x80000\n" OK);
GUEST(mr9, 64, "mov 0x80000, %r9\n mov %r9, %rax\n" OK);
GUEST(mr12b, 64, "mov $0x66, %r12b\n mov %r12b, 0x80000\n xor %eax, %eax\n" OK);
GUEST(msil, 64, "mov $0x77, %sil\n mov %sil, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mrsp, 64, "mov 0x80000, %rsp\n mov %rsp, %rax\n mov $0x30000, %esp\n" OK);
/* movl $0x600d, disp32(%rip): 10 bytes at CODE_ADDR, so disp32 =
 * MMIO_ADDR - (CODE_ADDR + 10) (a linker cannot place .rodata there). */
GUEST(mrip, 64, ".byte 0xc7, 0x05\n .long 0x6fff6\n .long 0x600d\n xor %eax, %eax\n" OK);
GUEST(msib, 64, "mov $0x80000, %ebx\n mov $2, %ecx\n movl $0x1234, 0x10(%rbx,%rcx,4)\n xor %eax, %eax\n" OK);
GUEST(mfs, 64, "mov $0xc0000100, %ecx\n mov $0x7f000, %eax\n xor %edx, %edx\n wrmsr\n"
	       "xor %eax, %eax\n mov %fs:0x1000, %eax\n" OK);
GUEST(mreal, 16, "mov $0x8000, %ax\n mov %ax, %es\n mov $0x1234, %bx\n mov %bx, %es:0x10\n"
		 "xor %eax, %eax\n" OK);
GUEST(mreal66, 16, "mov $0x8000, %ax\n mov %ax, %es\n xor %eax, %eax\n mov %es:0x20, %eax\n" OK);
GUEST(mreal67, 16, "mov $0x8000, %ax\n mov %ax, %es\n xor %eax, %eax\n mov $0x30, %ebx\n"
		   "mov %es:(%ebx), %al\n" OK);
GUEST(mprot16, 32, "xor %eax, %eax\n mov 0x80000, %ax\n" OK);
GUEST(mprotzx, 32, "movzwl 0x80000, %eax\n" OK);
GUEST(malias32, 32, "mov 0xc0080000, %eax\n" OK);
GUEST(malias64, 64, "mov $0xc0080000, %ebx\n movl $0xa11a5, (%rbx)\n xor %eax, %eax\n" OK);
GUEST(mbig32, 32, "mov 0x800000, %eax\n" OK);
GUEST(m2m, 64, "mov $0x400000, %ebx\n mov (%rbx), %eax\n" OK);
GUEST(mtrick, 64, "mov $0x80000000, %ebx\n mov 0x10(%rbx), %eax\n" OK);
GUEST(mtrickw, 64, "mov $0x80000000, %ebx\n movl $0x5a5a, 0x10(%rbx)\n xor %eax, %eax\n" OK);
GUEST(mapic, 64, "mov $0xfee00030, %ebx\n mov (%rbx), %eax\n" OK);
GUEST(msplit, 64, "mov $0x80000ffd, %eax\n jmp *%rax\n");
GUEST(m15, 64, ".fill 8, 1, 0x3e\n mov 0x80000, %eax\n" OK);
GUEST(m16, 64, ".fill 12, 1, 0x3e\n mov 0x80000, %eax\n" OK);
GUEST(mlock, 64, ".byte 0xf0\n mov %eax, 0x80000\n" OK);
GUEST(mrex66, 64, "xor %eax, %eax\n .byte 0x48, 0x66, 0x8b, 0x04, 0x25\n .long 0x80000\n" OK);
GUEST(mrex2, 64, "xor %eax, %eax\n .byte 0x40, 0x48, 0x8b, 0x04, 0x25\n .long 0x80000\n" OK);
GUEST(mfetch, 64, "mov $0x80000, %eax\n jmp *%rax\n");
GUEST(mwalk, 64, "mov $0x80200000, %ebx\n mov (%rbx), %eax\n" OK);
GUEST(mstraddle, 64, "movl $0x11223344, 0x3fffe\n xor %eax, %eax\n" OK);
GUEST(minvlpg, 64, "mov $0x80000000, %ebx\n mov (%rbx), %eax\n movq $0x82003, 0x38000\n"
		   "invlpg (%rbx)\n mov (%rbx), %eax\n" OK);

/* ---- MMIO by instructions libvmm does not decode (kvm.ko emulates them) */
GUEST(madd, 64, "addl $5, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mor, 64, "orb $0x0f, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mand, 64, "andw $0x00ff, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mxor, 64, "xorq $-1, 0x80000\n xor %eax, %eax\n" OK);
GUEST(msub, 64, "subl $1, 0x80000\n xor %eax, %eax\n" OK);
GUEST(minc, 64, "incl 0x80000\n xor %eax, %eax\n" OK);
GUEST(mdec, 64, "decw 0x80000\n xor %eax, %eax\n" OK);
GUEST(mneg, 64, "negb 0x80000\n xor %eax, %eax\n" OK);
GUEST(mnot, 64, "notl 0x80000\n xor %eax, %eax\n" OK);
GUEST(mxchg, 64, "mov $7, %eax\n xchg %eax, 0x80000\n" OK);
GUEST(mcmpxchg, 64, "xor %eax, %eax\n mov $9, %ebx\n cmpxchg %ebx, 0x80000\n" OK);
GUEST(mlockadd, 64, "lock addl $1, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mxadd, 64, "mov $1, %ebx\n xadd %ebx, 0x80000\n mov %ebx, %eax\n" OK);
GUEST(mbts, 64, "btsl $2, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mbt, 64, "xor %eax, %eax\n btl $7, 0x80000\n setc %al\n" OK);
GUEST(mtest, 64, "xor %eax, %eax\n testl $1, 0x80000\n setnz %al\n" OK);
GUEST(mcmp, 64, "xor %eax, %eax\n cmpb $0x81, 0x80000\n sete %al\n" OK);
GUEST(mmovs, 64, "mov $0x80000, %esi\n mov $0x20000, %edi\n movsl\n mov 0x20000, %eax\n" OK);
GUEST(mstos, 64, "mov $0x80000, %edi\n mov $0x42, %eax\n stosb\n xor %eax, %eax\n" OK);
GUEST(mrepstos, 64, "mov $0x80000, %edi\n mov $4, %ecx\n mov $0x42, %eax\n rep stosb\n mov %edi, %eax\n" OK);
GUEST(mpush, 64, "mov $0x80100, %esp\n pushq $0x1234\n mov $0x30000, %esp\n xor %eax, %eax\n" OK);
GUEST(mpop, 64, "mov $0x80000, %esp\n pop %rax\n mov $0x30000, %esp\n" OK);
GUEST(mjmp, 64, "jmp *0x80000\n");
GUEST(msetcc, 64, "xor %eax, %eax\n sete 0x80000\n" OK);
GUEST(mmovnti, 64, "mov $0xabcdef, %ebx\n movnti %ebx, 0x80000\n xor %eax, %eax\n" OK);
GUEST(mfld, 64, "fldl 0x80000\n xor %eax, %eax\n" OK);

/* ---- string I/O (REP INS/OUTS) into and out of what is not RAM */
#define SINK "mov $0xe8, %edx\n"
GUEST(sram, 64, "mov $0x20000, %esi\n mov $64, %ecx\n" SINK "rep outsb\n mov %rsi, %rax\n" OK);
GUEST(soutmmio, 64, "mov $0x3fff0, %esi\n mov $32, %ecx\n" SINK "rep outsb\n mov %rsi, %rax\n" OK);
GUEST(sinmmio, 64, "mov $0x3fff0, %edi\n mov $32, %ecx\n" SINK "rep insb\n mov %rdi, %rax\n" OK);
GUEST(soutpf, 64, "mov $0x80000000, %esi\n mov $4, %ecx\n" SINK "rep outsb\n mov %rsi, %rax\n" OK);
GUEST(sinpf, 64, "mov $0x80000000, %edi\n mov $4, %ecx\n" SINK "rep insb\n mov %rdi, %rax\n" OK);
GUEST(scount0, 64, "mov $0x20000, %esi\n xor %ecx, %ecx\n" SINK "rep outsb\n mov %rsi, %rax\n" OK);
GUEST(sa16wrap, 32, "mov $0x1fff8, %edi\n mov $16, %ecx\n" SINK "addr16 rep insb\n mov %edi, %eax\n" OK);
GUEST(sdf1, 64, "mov $0x2000f, %esi\n mov $16, %ecx\n" SINK "std\n rep outsb\n cld\n mov %rsi, %rax\n" OK);
GUEST(sdf1wrap, 32, "mov $7, %esi\n mov $16, %ecx\n" SINK "std\n rep outsb\n cld\n mov %esi, %eax\n" OK);
GUEST(sinswx, 64, "mov $0x20ffe, %edi\n mov $4, %ecx\n" SINK "rep insw\n mov %rdi, %rax\n" OK);
GUEST(sfs, 64, "mov $0xc0000100, %ecx\n mov $0x1ff00, %eax\n xor %edx, %edx\n wrmsr\n"
	       "mov $0x100, %esi\n mov $8, %ecx\n" SINK "rep outsb %fs:(%rsi), %dx\n mov %rsi, %rax\n" OK);
GUEST(shuge, 64, "mov $0x20000, %edi\n mov $0x8000, %ecx\n" SINK "rep insb\n mov %rdi, %rax\n" OK);
GUEST(suser, 32, "out %al, $0xe8\n mov $0x600d, %eax\n" OK);

/* ---- port I/O decoding */
GUEST(p15, 64, ".fill 13, 1, 0x3e\n out %al, $0xe8\n mov $0x600d, %eax\n" OK);
GUEST(p16, 64, ".fill 14, 1, 0x3e\n out %al, $0xe8\n mov $0x600d, %eax\n" OK);
GUEST(prep, 64, ".byte 0xf3\n out %al, $0xe8\n mov $0x600d, %eax\n" OK);
GUEST(pinb, 64, "mov $-1, %rax\n in $0xe8, %al\n" OK);
GUEST(pinw, 64, "mov $-1, %rax\n in $0xe8, %ax\n" OK);
GUEST(pind, 64, "mov $-1, %rax\n in $0xe8, %eax\n" OK);
GUEST(pffff, 64, "mov $0xffff, %edx\n out %eax, %dx\n" OK);

/* ---- the other vendor's and the virtualization instructions */
GUEST(vvmrun, 64, "mov $0x20000, %eax\n vmrun\n" OK);
GUEST(vvmload, 64, "mov $0x20000, %eax\n vmload\n" OK);
GUEST(vvmsave, 64, "mov $0x20000, %eax\n vmsave\n" OK);
GUEST(vstgi, 64, "stgi\n" OK);
GUEST(vclgi, 64, "clgi\n" OK);
GUEST(vskinit, 64, "mov $0x20000, %eax\n skinit\n" OK);
GUEST(vinvlpga, 64, "xor %eax, %eax\n xor %ecx, %ecx\n invlpga\n" OK);
GUEST(vvmmcall, 64, "xor %eax, %eax\n vmmcall\n" OK);
GUEST(vvmcall, 64, "xor %eax, %eax\n vmcall\n" OK);
GUEST(vvmmcall3, 32, "xor %eax, %eax\n vmmcall\n" OK);
GUEST(vvmxon, 64, "vmxon 0x20000\n" OK);
GUEST(vvmclear, 64, "vmclear 0x20000\n" OK);
GUEST(vvmptrld, 64, "vmptrld 0x20000\n" OK);
GUEST(vvmptrst, 64, "vmptrst 0x20000\n" OK);
GUEST(vvmread, 64, "xor %eax, %eax\n vmread %rax, %rbx\n" OK);
GUEST(vvmwrite, 64, "xor %eax, %eax\n vmwrite %rax, %rbx\n" OK);
GUEST(vvmlaunch, 64, "vmlaunch\n" OK);
GUEST(vvmresume, 64, "vmresume\n" OK);
GUEST(vvmxoff, 64, "vmxoff\n" OK);
GUEST(vinvept, 64, "xor %eax, %eax\n invept 0x20000, %rax\n" OK);
GUEST(vinvvpid, 64, "xor %eax, %eax\n invvpid 0x20000, %rax\n" OK);
GUEST(vvmfunc, 64, "xor %eax, %eax\n vmfunc\n" OK);
GUEST(vgetsec, 64, "xor %eax, %eax\n getsec\n" OK);

/* ---- control registers, EFER, XCR0 */
#define CR4SET(bit) "mov %cr4, %rax\n bts $" #bit ", %rax\n mov %rax, %cr4\n" OK
GUEST(c4b63, 64, CR4SET(63));
GUEST(c4vmxe, 64, CR4SET(13));
GUEST(c4smxe, 64, CR4SET(14));
GUEST(c4b31, 64, CR4SET(31));
GUEST(c4nopae, 64, "mov %cr4, %rax\n btr $5, %rax\n mov %rax, %cr4\n" OK);
GUEST(c0nw, 64, "mov %cr0, %rax\n btr $30, %rax\n bts $29, %rax\n mov %rax, %cr0\n" OK);
GUEST(c0b32, 64, "mov %cr0, %rax\n bts $32, %rax\n mov %rax, %cr0\n" OK);
GUEST(c0nopg, 64, "mov %cr0, %rax\n btr $31, %rax\n mov %rax, %cr0\n" OK);
GUEST(c0nope, 32, "mov %cr0, %eax\n and $~1, %eax\n mov %eax, %cr0\n" OK);
GUEST(c3rsvd, 64, "mov %cr3, %rax\n bts $52, %rax\n mov %rax, %cr3\n" OK);
GUEST(c8high, 64, "mov $16, %eax\n mov %rax, %cr8\n" OK);
GUEST(c8back, 64, "mov $7, %eax\n mov %rax, %cr8\n xor %eax, %eax\n mov %cr8, %rax\n" OK);
GUEST(c9, 64, ".byte 0x44, 0x0f, 0x22, 0xc8\n" OK);
GUEST(c1, 64, ".byte 0x0f, 0x22, 0xc8\n" OK);
GUEST(clmsw, 32, "xor %eax, %eax\n lmsw %ax\n smsw %eax\n and $0xf, %eax\n" OK);
GUEST(cclts, 64, "mov %cr0, %rax\n bts $3, %rax\n mov %rax, %cr0\n clts\n mov %cr0, %rax\n and $8, %eax\n" OK);
GUEST(cts, 64, "mov %cr0, %rax\n bts $3, %rax\n mov %rax, %cr0\n fninit\n" OK);
GUEST(cem, 64, "mov %cr0, %rax\n bts $2, %rax\n mov %rax, %cr0\n fninit\n" OK);
#define EFER "mov $0xc0000080, %ecx\n rdmsr\n"
GUEST(erscvd, 64, EFER "bts $31, %edx\n wrmsr\n" OK);
GUEST(esvme, 64, EFER "bts $12, %eax\n wrmsr\n" OK);
GUEST(enolme, 64, EFER "btr $8, %eax\n wrmsr\n" OK);
GUEST(elmepg, 32, EFER "bts $8, %eax\n wrmsr\n" OK);
GUEST(eread, 64, EFER "shl $32, %rdx\n or %rdx, %rax\n" OK);
GUEST(xsetbv, 64, "xor %ecx, %ecx\n mov $1, %eax\n xor %edx, %edx\n xsetbv\n" OK);
GUEST(xgetbv, 64, "xor %ecx, %ecx\n xgetbv\n" OK);

/* ---- exceptions, and exceptions during event delivery */
GUEST(eidtlim, 64, "sub $16, %rsp\n movw $0x1ff, (%rsp)\n movq $0xc000, 2(%rsp)\n lidt (%rsp)\n int $0x40\n" OK);
GUEST(enp, 64, "int $0x30\n" OK);
GUEST(ebadtype, 64, "int $0x31\n" OK);
GUEST(edatasel, 64, "int $0x32\n" OK);
GUEST(enullsel, 64, "int $0x33\n" OK);
GUEST(enoncanon, 64, "int $0x34\n" OK);
GUEST(eudnpdf, 64, "ud2\n" OK);
GUEST(epfpf, 64, "mov $0x80000000, %ebx\n mov $0x80001000, %esp\n mov (%rbx), %eax\n" OK);
GUEST(eudpf, 64, "mov $0x80001000, %esp\n ud2\n" OK);
GUEST(erspnc, 64, "mov $0x8000000000000000, %rsp\n ud2\n" OK);
GUEST(etriple, 64, "sub $16, %rsp\n movq $0, (%rsp)\n movq $0, 8(%rsp)\n lidt (%rsp)\n ud2\n" OK);
GUEST(etriplereal, 16, "push $0\n push $0\n push $0\n mov %sp, %bx\n lidt (%bx)\n int3\n" OK);
GUEST(eiretnc, 64, "push $0x10\n push $0x30000\n pushf\n push $0x18\n"
		   "mov $0x8000000000000000, %rax\n push %rax\n iretq\n");
GUEST(ede, 64, "xor %ecx, %ecx\n div %ecx\n" OK);
GUEST(ebp, 64, "int3\n" OK);
GUEST(eud, 64, "ud2\n" OK);
GUEST(eof, 32, "mov $0x7fffffff, %eax\n add $1, %eax\n into\n" OK);
GUEST(ebound, 32, "mov $5, %eax\n bound %eax, 0x20000\n" OK);
GUEST(egpnc, 64, "mov $0x8000000000000000, %rbx\n mov (%rbx), %eax\n" OK);
GUEST(epfw, 64, "mov $0x80000000, %ebx\n movl $1, (%rbx)\n" OK);
GUEST(epfrsvd, 64, "mov $0x80000000, %ebx\n mov (%rbx), %eax\n" OK);
GUEST(epfro, 64, "mov %cr0, %rax\n bts $16, %rax\n mov %rax, %cr0\n"
		 "mov $0x80000000, %ebx\n movl $1, (%rbx)\n" OK);
/* The #AC loop (CPL3, misaligned stack) and the #DB loop (data breakpoints
 * on the #DB gate and on the IST slot its frame's SS goes to). */
GUEST(acloop, 32, "movl 0x20001, %eax\n out %al, $0xe3\n1: jmp 1b\n");
GUEST(dbloop, 64, "mov $" STR(WATCH_ADDR) ", %eax\n mov %rax, %dr0\n"
		  "mov $0xc010, %eax\n mov %rax, %dr1\n mov $0xb90505, %eax\n mov %rax, %dr7\n"
		  "movq $0, " STR(WATCH_ADDR) "\n nop\n out %al, $0xe3\n hlt\n");

/* ---- interrupt storms, the LAPIC timer with tiny periods */
GUEST(ireal, 16, "sti\n1: out %al, $0xe8\n cmpw $1000, 0xf800\n jb 1b\n cli\n movzwl 0xf800, %eax\n" OK);
GUEST(irealh, 16, "incw 0xf800\n iret\n");
GUEST(ilong, 64, "sti\n1: out %al, $0xe8\n cmpl $1000, 0x20f00\n jb 1b\n cli\n mov 0x20f00, %eax\n" OK);
GUEST(ilongh, 64, "incl 0x20f00\n iretq\n");
GUEST(iif0, 64, "cli\n1: jmp 1b\n");
GUEST(iif0hlt, 64, "cli\n hlt\n mov $0x600d, %eax\n" OK);
#define APIC "mov $0xfee00000, %ebx\n movl $0x1ff, 0xf0(%rbx)\n"
GUEST(lapich, 64, "push %rbx\n mov $0xfee00000, %ebx\n incl 0x20f00\n movl $0, 0xb0(%rbx)\n pop %rbx\n iretq\n");
GUEST(lipi, 64, APIC "sti\n xor %ecx, %ecx\n1: movl $0x40040, 0x300(%rbx)\n inc %ecx\n"
		"2: cmp %ecx, 0x20f00\n jb 2b\n cmp $1000, %ecx\n jb 1b\n mov 0x20f00, %eax\n" OK);
GUEST(ltper, 64, APIC "movl $0xb, 0x3e0(%rbx)\n movl $0x20040, 0x320(%rbx)\n movl $1, 0x380(%rbx)\n"
		 "1: sti\n hlt\n cli\n cmpl $50, 0x20f00\n jb 1b\n movl $0, 0x380(%rbx)\n mov $1, %eax\n" OK);
GUEST(ltone, 64, APIC "movl $0xb, 0x3e0(%rbx)\n movl $0x40, 0x320(%rbx)\n movl $1, 0x380(%rbx)\n"
		 "1: sti\n hlt\n cli\n cmpl $1, 0x20f00\n jb 1b\n mov 0x20f00, %eax\n" OK);
GUEST(ltstorm, 64, APIC "movl $0xb, 0x3e0(%rbx)\n movl $0x20040, 0x320(%rbx)\n movl $1, 0x380(%rbx)\n"
		   "1: sti\n hlt\n jmp 1b\n");
GUEST(ltmask, 64, APIC "movl $0xb, 0x3e0(%rbx)\n movl $0x30040, 0x320(%rbx)\n movl $1, 0x380(%rbx)\n"
		  "sti\n mov $200000, %ecx\n1: dec %ecx\n jnz 1b\n cli\n mov 0x20f00, %eax\n" OK);
GUEST(ltpr, 64, APIC "movl $0xf0, 0x80(%rbx)\n sti\n movl $0x40040, 0x300(%rbx)\n"
		"mov $20000, %ecx\n1: dec %ecx\n jnz 1b\n mov 0x20f00, %edx\n shl $8, %edx\n"
		"movl $0, 0x80(%rbx)\n mov $20000, %ecx\n2: dec %ecx\n jnz 2b\n cli\n"
		"mov 0x20f00, %eax\n or %edx, %eax\n" OK);

/* ---- other exits */
GUEST(xmsrrd, 64, "mov $0x12345678, %ecx\n rdmsr\n" OK);
GUEST(xmsrwr, 64, "mov $0x12345678, %ecx\n xor %eax, %eax\n xor %edx, %edx\n wrmsr\n" OK);
GUEST(xkvmclock, 64, "mov $0x4b564d01, %ecx\n mov $0x80001, %eax\n xor %edx, %edx\n wrmsr\n"
		     "mov $0x600d, %eax\n" OK);
GUEST(xinvd, 64, "invd\n mov $0x600d, %eax\n" OK);
GUEST(xwbinvd, 64, "wbinvd\n mov $0x600d, %eax\n" OK);
GUEST(xpause, 64, "mov $10000, %ecx\n1: pause\n dec %ecx\n jnz 1b\n mov $0x600d, %eax\n" OK);
GUEST(xhlt, 64, "hlt\n");

/* ---- debug registers: one guest's are not the next guest's */
GUEST(drset, 64, "mov $0x1000, %eax\n mov %rax, %dr0\n mov $0x2000, %eax\n mov %rax, %dr1\n"
		 "mov $0x3000, %eax\n mov %rax, %dr2\n mov $0x4000, %eax\n mov %rax, %dr3\n" OK);
GUEST(drget, 64, "mov %dr0, %rax\n mov %dr1, %rbx\n or %rbx, %rax\n mov %dr2, %rbx\n"
		 "or %rbx, %rax\n mov %dr3, %rbx\n or %rbx, %rax\n" OK);
GUEST(dr6set, 64, "mov $0xffff4ff3, %eax\n mov %rax, %dr6\n" OK);
GUEST(dr6get, 64, "mov %dr6, %rax\n" OK);
GUEST(drkeep, 64, "mov $0x5000, %eax\n mov %rax, %dr0\n out %al, $0xe8\n mov %dr0, %rax\n" OK);

/* ---- answers */
enum ans_kind {
	A_OUT = 1,	/* OUT to PORT_OK: .val = RAX */
	A_EXC,		/* the guest's stub for vector .val ran: .ec */
	A_PIO,		/* port I/O to port .val, none of the above */
	A_HLT,
	A_SHUTDOWN,
	A_IERR,		/* KVM_EXIT_INTERNAL_ERROR, suberror .val */
	A_INTR,		/* only the host's timer signal ended KVM_RUN */
	A_OTHER,	/* anything else: exit reason or errno in .val */
};

struct answer {
	uint8_t kind;
	uint8_t mlen;	/* the last MMIO exit's length, 0: none at all */
	uint8_t mwrite;
	uint64_t val;
	int64_t ec;	/* NO_EC: not compared */
	uint64_t maddr;
	uint64_t mdata;	/* a write's data */
};

#define OUT(v) { .kind = A_OUT, .val = (v), .ec = NO_EC }
#define OUT_MR(v, a, l) { .kind = A_OUT, .val = (v), .ec = NO_EC, \
			  .mlen = (l), .maddr = (a) }
#define OUT_MW(v, a, l, d) { .kind = A_OUT, .val = (v), .ec = NO_EC, \
			     .mlen = (l), .mwrite = 1, .maddr = (a), \
			     .mdata = (d) }
#define EXC(v) { .kind = A_EXC, .val = (v), .ec = NO_EC }
#define EXC_EC(v, e) { .kind = A_EXC, .val = (v), .ec = (e) }
#define EXC_MR(v, e, a, l) { .kind = A_EXC, .val = (v), .ec = (e), \
			     .mlen = (l), .maddr = (a) }
#define PIO(p) { .kind = A_PIO, .val = (p), .ec = NO_EC }
#define HLT { .kind = A_HLT, .ec = NO_EC }
#define SHUTDOWN { .kind = A_SHUTDOWN, .ec = NO_EC }
#define IERR(s) { .kind = A_IERR, .val = (s), .ec = NO_EC }
#define INTR { .kind = A_INTR, .ec = NO_EC }
#define GP0 EXC_EC(13, 0)
#define UD EXC(6)
#define EMUL IERR(KVM_INTERNAL_ERROR_EMULATION)
#define UNEXP IERR(KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON)

/* ans[device][vendor]: device 0 kvm.ko, 1 lamina.ko; vendor 0 AMD, 1 Intel */
#define ALL(a) { { a, a }, { a, a } }
#define KL(k, l) { { k, k }, { l, l } }
#define V4(ka, ki, la, li) { { ka, ki }, { la, li } }

#define P64 MMIO_PATTERN
#define P32 (MMIO_PATTERN & 0xffffffffULL)
#define P16 (MMIO_PATTERN & 0xffffULL)
#define P8 (MMIO_PATTERN & 0xffULL)
#define M MMIO_ADDR

/* Host-side writes into guest memory after the setup: page-table
 * entries, IDT gates, data. */
struct poke {
	uint64_t gpa;
	uint64_t val;
	uint8_t len;
};

#define POKES(...) ((const struct poke[]){ __VA_ARGS__, { 0, 0, 0 } })
#define TPTE(i, v) { TRICK_PT + 8 * (i), (v), 8 }
#define GATE(vec, lo) { TEST_DESC_IDT + 16 * (vec), (lo), 8 }
#define GATE_HI(vec, hi) { TEST_DESC_IDT + 16 * (vec) + 8, (hi), 8 }
/* Gate halves (SDM vol. 3A 6.14.1): offset STUBS_ADDR, P, DPL 3. */
#define GATE_TYPE0 0x0001e00000182000ULL	/* type 0: not a gate */
#define GATE_NP 0x00016e0000182000ULL		/* interrupt gate, P = 0 */
#define GATE_SEL(sel) (0x0001ee0000002000ULL | (uint64_t)(sel) << 16)

enum case_flags {
	F_LOOP = 1 << 0,	/* expected to loop: the short timer */
	F_AC = 1 << 1,		/* the #AC loop: CPL3, CR0.AM, RFLAGS.AC */
	F_DB = 1 << 2,		/* the #DB loop: #DB on IST1 */
	F_SPLIT = 1 << 3,	/* in-kernel LAPIC; .handler on vector 0x40 */
	F_IRQS = 1 << 4,	/* IRQ_STORM x KVM_INTERRUPT 0x20 (.handler) */
	F_WINDOW = 1 << 5,	/* an interrupt window asked, nothing sent */
	F_USER = 1 << 6,	/* 32-bit CPL3, IOPL 0 */
	F_USER_IO = 1 << 7,	/* 32-bit CPL3, IOPL 3 */
	F_NOIST = 1 << 8,	/* #DF on the current stack, not IST1 */
	F_AMD = 1 << 9,		/* runs on AMD CPUs only (the answer is AMD's) */
	F_NOT_TCG = 1 << 10,	/* not where QEMU's TCG is the CPU */
	F_TCG_EC = 1 << 11,	/* QEMU's TCG pushes .tcg_ec instead */
	F_SLOW = 1 << 12,	/* SLOW_MS, not CASE_MS */
	F_KVM_NOT_TCG = 1 << 13,	/* not kvm.ko where QEMU's TCG is the CPU */
};

struct hcase {
	const char *name;
	enum test_mode mode;
	const unsigned char *start, *end;
	const unsigned char *hstart, *hend;	/* F_SPLIT, F_IRQS handler */
	/* A guest run to its OUT in another VM first, on the same CPU. */
	const unsigned char *pstart, *pend;
	unsigned int flags;
	unsigned int repeat;	/* runs of the same guest, 0 = 1 */
	int64_t tcg_ec;		/* F_TCG_EC */
	const struct poke *pokes;
	struct answer ans[2][2];
};

#define B(n) n##_s, n##_e
#define H(n) .hstart = n##_s, .hend = n##_e
#define PREV(n) .pstart = n##_s, .pend = n##_e
#define LONG TEST_MODE_LONG
#define PROT TEST_MODE_PROT
#define REAL TEST_MODE_REAL
#define PAE TEST_MODE_PAE
#define PG32 TEST_MODE_PG32

static const struct hcase cases[] = {
	/* MMIO by the forms both emulate: the same exit, the same result */
	{ "mmio-mov-88", LONG, B(m88), .ans = ALL(OUT_MW(0, M, 1, 0x5a)) },
	{ "mmio-mov-89-16", LONG, B(m89w), .ans = ALL(OUT_MW(0, M, 2, 0x1234)) },
	{ "mmio-mov-89-32", LONG, B(m89d), .ans = ALL(OUT_MW(0, M, 4, 0x12345678)) },
	{ "mmio-mov-89-64", LONG, B(m89q), .ans = ALL(OUT_MW(0, M, 8, 0x1122334455667788ULL)) },
	{ "mmio-mov-8a", LONG, B(m8a), .ans = ALL(OUT_MR(~0xffULL | P8, M, 1)) },
	{ "mmio-mov-8a-ah", LONG, B(m8aah), .ans = ALL(OUT_MR(~0xff00ULL | P8 << 8, M, 1)) },
	{ "mmio-mov-8b-16-merge", LONG, B(m8bw), .ans = ALL(OUT_MR(~0xffffULL | P16, M, 2)) },
	{ "mmio-mov-8b-32-zext", LONG, B(m8bd), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-mov-8b-64", LONG, B(m8bq), .ans = ALL(OUT_MR(P64, M, 8)) },
	{ "mmio-mov-c6", LONG, B(mc6), .ans = ALL(OUT_MW(0, M, 1, 0xa5)) },
	{ "mmio-mov-c7-16", LONG, B(mc7w), .ans = ALL(OUT_MW(0, M, 2, 0xbeef)) },
	{ "mmio-mov-c7-32", LONG, B(mc7d), .ans = ALL(OUT_MW(0, M, 4, 0xdeadbeef)) },
	{ "mmio-mov-c7-64-sext", LONG, B(mc7q), .ans = ALL(OUT_MW(0, M, 8, (uint64_t)-2)) },
	{ "mmio-movzx-8", LONG, B(mzxb), .ans = ALL(OUT_MR(P8, M, 1)) },
	{ "mmio-movzx-16", LONG, B(mzxw), .ans = ALL(OUT_MR(P16, M, 2)) },
	{ "mmio-movsx-8", LONG, B(msxb), .ans = ALL(OUT_MR((uint64_t)(int8_t)P8, M, 1)) },
	{ "mmio-movsx-16", LONG, B(msxw), .ans = ALL(OUT_MR((uint64_t)(int16_t)P16, M, 2)) },
	{ "mmio-movsx-8-to-16", LONG, B(msxbw), .ans = ALL(OUT_MR(0xff00 | P8, M, 1)) },
	{ "mmio-moffs-a0", LONG, B(ma0), .ans = ALL(OUT_MR(P8, M, 1)) },
	{ "mmio-moffs-a1-64", LONG, B(ma1), .ans = ALL(OUT_MR(P64, M, 8)) },
	{ "mmio-moffs-a2", LONG, B(ma2), .ans = ALL(OUT_MW(0, M, 1, 0x33)) },
	{ "mmio-moffs-a3-32", LONG, B(ma3), .ans = ALL(OUT_MW(0, M, 4, 0xcafef00d)) },
	{ "mmio-moffs-addr32", LONG, B(ma1a32), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-rex-r9", LONG, B(mr9), .ans = ALL(OUT_MR(P64, M, 8)) },
	{ "mmio-rex-r12b", LONG, B(mr12b), .ans = ALL(OUT_MW(0, M, 1, 0x66)) },
	{ "mmio-rex40-sil-not-dh", LONG, B(msil), .ans = ALL(OUT_MW(0, M, 1, 0x77)) },
	{ "mmio-into-rsp", LONG, B(mrsp), .ans = ALL(OUT_MR(P64, M, 8)) },
	{ "mmio-rip-relative", LONG, B(mrip), .ans = ALL(OUT_MW(0, M, 4, 0x600d)) },
	{ "mmio-sib-disp8", LONG, B(msib), .ans = ALL(OUT_MW(0, M + 0x18, 4, 0x1234)) },
	{ "mmio-fs-base", LONG, B(mfs), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-real-mode", REAL, B(mreal), .ans = ALL(OUT_MW(0, M + 0x10, 2, 0x1234)) },
	{ "mmio-real-mode-66", REAL, B(mreal66), .ans = ALL(OUT_MR(P32, M + 0x20, 4)) },
	{ "mmio-real-mode-67", REAL, B(mreal67), .ans = ALL(OUT_MR(P8, M + 0x30, 1)) },
	{ "mmio-prot-66-moffs", PROT, B(mprot16), .ans = ALL(OUT_MR(P16, M, 2)) },
	{ "mmio-prot-movzx", PROT, B(mprotzx), .ans = ALL(OUT_MR(P16, M, 2)) },
	{ "mmio-pae-alias", PAE, B(malias32), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-pg32-alias", PG32, B(malias32), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-long-alias", LONG, B(malias64), .ans = ALL(OUT_MW(0, M, 4, 0xa11a5)) },
	{ "mmio-pae-2m-page", PAE, B(mbig32), .ans = ALL(OUT_MR(P32, 0x800000, 4)) },
	{ "mmio-pg32-4m-page", PG32, B(mbig32), .ans = ALL(OUT_MR(P32, 0x800000, 4)) },
	{ "mmio-long-2m-page", LONG, B(m2m), .ans = ALL(OUT_MR(P32, 0x400000, 4)) },
	{ "mmio-gpa-32g", LONG, B(mtrick), .pokes = POKES(TPTE(0, 0x800000003ULL)),
	  .ans = ALL(OUT_MR(P32, 0x800000010ULL, 4)) },
	{ "mmio-remapped-page", LONG, B(mtrickw), .pokes = POKES(TPTE(0, M | 3)),
	  .ans = ALL(OUT_MW(0, M + 0x10, 4, 0x5a5a)) },
	{ "mmio-apic-page-no-irqchip", LONG, B(mapic), .ans = ALL(OUT_MR(P32, 0xfee00030, 4)) },
	{ "mmio-insn-split-pages", LONG, B(msplit),
	  .pokes = POKES(TPTE(0, 0x14003), TPTE(1, 0x16003), { 0x14ffd, 0x25048b, 3 },
			 { 0x16000, 0xe0e700080000ULL, 6 }),
	  .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-15-byte-insn", LONG, B(m15), .ans = ALL(OUT_MR(P32, M, 4)) },
	{ "mmio-invlpg-remap", LONG, B(minvlpg), .pokes = POKES(TPTE(0, M | 3)),
	  .ans = ALL(OUT_MR(P32, M + 0x2000, 4)) },
	/* Decoder edges the CPU settles before any exit */
	{ "mmio-16-byte-insn-gp", LONG, B(m16), .ans = ALL(GP0) },
	{ "mmio-lock-mov-ud", LONG, B(mlock), .flags = F_NOT_TCG, .ans = ALL(UD) },
	/* MMIO by instructions lamina.ko does not emulate: it stops the VM */
	{ "mmio-rex-then-66", LONG, B(mrex66), .ans = KL(OUT_MR(P16, M, 2), EMUL) },
	{ "mmio-two-rex", LONG, B(mrex2), .ans = KL(OUT_MR(P64, M, 8), EMUL) },
	{ "mmio-add", LONG, B(madd), .ans = KL(OUT_MW(0, M, 4, P32 + 5), EMUL) },
	{ "mmio-or-8", LONG, B(mor), .ans = KL(OUT_MW(0, M, 1, P8 | 0xf), EMUL) },
	{ "mmio-and-16", LONG, B(mand), .ans = KL(OUT_MW(0, M, 2, P16 & 0xff), EMUL) },
	{ "mmio-xor-64", LONG, B(mxor), .ans = KL(OUT_MW(0, M, 8, ~P64), EMUL) },
	{ "mmio-sub", LONG, B(msub), .ans = KL(OUT_MW(0, M, 4, P32 - 1), EMUL) },
	{ "mmio-inc", LONG, B(minc), .ans = KL(OUT_MW(0, M, 4, P32 + 1), EMUL) },
	{ "mmio-dec-16", LONG, B(mdec), .ans = KL(OUT_MW(0, M, 2, P16 - 1), EMUL) },
	{ "mmio-neg-8", LONG, B(mneg), .ans = KL(OUT_MW(0, M, 1, (0x100 - P8) & 0xff), EMUL) },
	{ "mmio-not", LONG, B(mnot), .ans = KL(OUT_MW(0, M, 4, ~P32 & 0xffffffff), EMUL) },
	{ "mmio-xchg", LONG, B(mxchg), .ans = KL(OUT_MW(P32, M, 4, 7), EMUL) },
	{ "mmio-cmpxchg-fail", LONG, B(mcmpxchg), .ans = KL(OUT_MW(P32, M, 4, P32), EMUL) },
	{ "mmio-lock-add", LONG, B(mlockadd), .ans = KL(OUT_MW(0, M, 4, P32 + 1), EMUL) },
	{ "mmio-xadd", LONG, B(mxadd), .ans = KL(OUT_MW(P32, M, 4, P32 + 1), EMUL) },
	{ "mmio-bts", LONG, B(mbts), .ans = KL(OUT_MW(0, M, 4, P32 | 4), EMUL) },
	{ "mmio-bt", LONG, B(mbt), .ans = KL(OUT_MR(1, M, 4), EMUL) },
	{ "mmio-test", LONG, B(mtest), .ans = KL(OUT_MR(1, M, 4), EMUL) },
	{ "mmio-cmp-8", LONG, B(mcmp), .ans = KL(OUT_MR(1, M, 1), EMUL) },
	{ "mmio-movs-from", LONG, B(mmovs), .ans = KL(OUT_MR(P32, M, 4), EMUL) },
	{ "mmio-stos", LONG, B(mstos), .ans = KL(OUT_MW(0, M, 1, 0x42), EMUL) },
	{ "mmio-rep-stos", LONG, B(mrepstos), .ans = KL(OUT_MW(M + 4, M + 3, 1, 0x42), EMUL) },
	{ "mmio-push", LONG, B(mpush), .ans = KL(OUT_MW(0, M + 0xf8, 8, 0x1234), EMUL) },
	{ "mmio-pop", LONG, B(mpop), .ans = KL(OUT_MR(P64, M, 8), EMUL) },
	{ "mmio-jmp-indirect", LONG, B(mjmp), .ans = KL(EXC_MR(13, 0, M, 8), EMUL) },
	{ "mmio-setcc", LONG, B(msetcc), .ans = KL(OUT_MW(0, M, 1, 1), EMUL) },
	{ "mmio-movnti", LONG, B(mmovnti), .ans = KL(OUT_MW(0, M, 4, 0xabcdef), EMUL) },
	{ "mmio-straddles-ram", LONG, B(mstraddle),
	  .ans = KL(OUT_MW(0, 0x40000, 2, 0x1122), OUT_MW(0, 0x40000, 4, 0x11223344)) },
	/* Neither emulates these: the VM stops */
	{ "mmio-x87-fld", LONG, B(mfld), .ans = ALL(EMUL) },
	{ "mmio-insn-fetch", LONG, B(mfetch), .ans = ALL(EMUL) },
	/* kvm.ko emulates the load as an MMIO access at the GPA of the walk */
	{ "mmio-page-walk", LONG, B(mwalk), .pokes = POKES({ PD_ADDR + 1025 * 8, 0x81003, 8 }),
	  .ans = KL(OUT_MR(P32, 0x81000, 4), EMUL) },

	/* REP string I/O */
	{ "string-outs-ram", LONG, B(sram), .ans = ALL(OUT(0x20040)) },
	{ "string-outs-count-0", LONG, B(scount0), .ans = ALL(OUT(0x20000)) },
	{ "string-ins-addr16-wraps", PROT, B(sa16wrap), .ans = ALL(OUT(0x10008)) },
	{ "string-outs-df1", LONG, B(sdf1), .ans = ALL(OUT(0x1ffff)) },
	{ "string-insw-page-cross", LONG, B(sinswx), .ans = ALL(OUT(0x21006)) },
	{ "string-outs-fs", LONG, B(sfs), .ans = ALL(OUT(0x108)) },
	{ "string-ins-32k", LONG, B(shuge), .ans = ALL(OUT(0x28000)) },
	{ "string-outs-into-mmio", LONG, B(soutmmio), .ans = KL(OUT_MR(0x40010, 0x4000f, 1), EMUL) },
	{ "string-ins-into-mmio", LONG, B(sinmmio),
	  .ans = KL(OUT_MW(0x40010, 0x40008, 8, 0x5a5a5a5a5a5a5a5aULL), EMUL) },
	{ "string-outs-df1-wraps-4g", PROT, B(sdf1wrap),
	  .ans = KL(OUT_MR(0xfffffff7, 0xfffffff8, 1), EMUL) },
	{ "string-outs-not-mapped", LONG, B(soutpf), .ans = ALL(EXC_EC(14, 0)) },
	{ "string-ins-not-mapped", LONG, B(sinpf), .ans = ALL(EXC_EC(14, 2)) },
	{ "pio-cpl3-iopl0-gp", PROT, B(suser), .flags = F_USER | F_NOT_TCG, .ans = ALL(GP0) },
	{ "pio-cpl3-iopl3", PROT, B(suser), .flags = F_USER_IO, .ans = ALL(OUT(0x600d)) },
	{ "pio-15-byte-out", LONG, B(p15), .ans = ALL(OUT(0x600d)) },
	{ "pio-16-byte-out-gp", LONG, B(p16), .ans = ALL(GP0) },
	{ "pio-rep-out", LONG, B(prep), .ans = ALL(OUT(0x600d)) },
	{ "pio-in-8-merge", LONG, B(pinb), .ans = ALL(OUT(~0xffULL | PIO_IN_BYTE)) },
	{ "pio-in-16-merge", LONG, B(pinw), .ans = ALL(OUT(~0xffffULL | 0x5a5a)) },
	{ "pio-in-32-zext", LONG, B(pind), .ans = ALL(OUT(0x5a5a5a5a)) },
	{ "pio-port-ffff-32", LONG, B(pffff), .ans = ALL(PIO(0xffff)) },

	/* SVM and VMX instructions: #UD (no nested virtualization) */
	{ "svm-vmrun", LONG, B(vvmrun), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-vmload", LONG, B(vvmload), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-vmsave", LONG, B(vvmsave), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-stgi", LONG, B(vstgi), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-clgi", LONG, B(vclgi), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-skinit", LONG, B(vskinit), .ans = V4(UD, UD, UNEXP, UD) },
	{ "svm-invlpga", LONG, B(vinvlpga), .ans = V4(UD, UD, UNEXP, UD) },
	{ "hypercall-vmmcall", LONG, B(vvmmcall),
	  .ans = V4(OUT(-1000ULL), OUT(-1000ULL), OUT(-1000ULL), UD) },
	{ "hypercall-vmcall", LONG, B(vvmcall),
	  .ans = V4(OUT(-1000ULL), OUT(-1000ULL), UD, OUT(-1000ULL)) },
	{ "hypercall-vmmcall-cpl3", PROT, B(vvmmcall3), .flags = F_USER_IO | F_AMD,
	  .ans = ALL(OUT(0xffffffff)) },
	{ "vmx-vmxon", LONG, B(vvmxon), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmclear", LONG, B(vvmclear), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmptrld", LONG, B(vvmptrld), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmptrst", LONG, B(vvmptrst), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmread", LONG, B(vvmread), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmwrite", LONG, B(vvmwrite), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmlaunch", LONG, B(vvmlaunch), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmresume", LONG, B(vvmresume), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmxoff", LONG, B(vvmxoff), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-invept", LONG, B(vinvept), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-invvpid", LONG, B(vinvvpid), .ans = V4(UD, UD, UD, UNEXP) },
	{ "vmx-vmfunc", LONG, B(vvmfunc), .ans = ALL(UD) },
	{ "smx-getsec", LONG, B(vgetsec), .ans = ALL(UD) },

	/* CR, EFER, XCR0 */
	{ "cr4-bit63-gp", LONG, B(c4b63), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr4-bit31-gp", LONG, B(c4b31), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	/*
	 * kvm-intel (Debian's 6.1, nested=1) lets a vCPU whose CPUID was
	 * never set take CR4.VMXE (0x2020 read back; Bochs machine): it
	 * offers nested VMX. lamina.ko offers none: #GP, a reserved bit.
	 */
	{ "cr4-vmxe-gp", LONG, B(c4vmxe), .flags = F_NOT_TCG,
	  .ans = V4(GP0, OUT(0x2020), GP0, GP0) },
	{ "cr4-smxe-gp", LONG, B(c4smxe), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr4-clear-pae-in-long-mode-gp", LONG, B(c4nopae), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr0-nw-without-cd-gp", LONG, B(c0nw), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr0-bit32-gp", LONG, B(c0b32), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr0-clear-pg-in-64-bit-gp", LONG, B(c0nopg), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr0-pg-without-pe-gp", PAE, B(c0nope), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr3-reserved-bit-gp", LONG, B(c3rsvd), .flags = F_NOT_TCG, .ans = ALL(GP0) },
	{ "cr8-above-15-gp", LONG, B(c8high), .ans = ALL(GP0) },
	{ "cr8-write-read", LONG, B(c8back), .ans = ALL(OUT(7)) },
	{ "cr9-ud", LONG, B(c9), .ans = ALL(UD) },
	{ "cr1-ud", LONG, B(c1), .ans = ALL(UD) },
	{ "lmsw-keeps-pe", PROT, B(clmsw), .ans = ALL(OUT(1)) },
	{ "clts", LONG, B(cclts), .ans = ALL(OUT(0)) },
	{ "cr0-ts-x87-nm", LONG, B(cts), .ans = ALL(EXC(7)) },
	{ "cr0-em-x87-nm", LONG, B(cem), .ans = ALL(EXC(7)) },
	{ "efer-reserved-bit-gp", LONG, B(erscvd), .ans = ALL(GP0) },
	{ "efer-svme-gp", LONG, B(esvme), .ans = ALL(GP0) },
	{ "efer-clear-lme-in-long-mode-gp", LONG, B(enolme), .ans = ALL(GP0) },
	{ "efer-set-lme-while-paging-gp", PAE, B(elmepg), .ans = ALL(GP0) },
	{ "efer-read", LONG, B(eread), .ans = ALL(OUT(0x500)) },
	{ "xsetbv-without-osxsave-ud", LONG, B(xsetbv), .ans = ALL(UD) },
	{ "xgetbv-without-osxsave-ud", LONG, B(xgetbv), .ans = ALL(UD) },

	/* Exceptions, and exceptions while delivering an event */
	{ "int-beyond-idt-limit-gp", LONG, B(eidtlim), .flags = F_TCG_EC, .tcg_ec = 0x40 * 16 + 2,
	  .ans = ALL(EXC_EC(13, 0x40 * 8 + 2)) },
	{ "int-gate-not-present-np", LONG, B(enp), .pokes = POKES(GATE(0x30, GATE_NP)),
	  .flags = F_TCG_EC, .tcg_ec = 0x30 * 16 + 2, .ans = ALL(EXC_EC(11, 0x30 * 8 + 2)) },
	{ "int-gate-bad-type-gp", LONG, B(ebadtype), .pokes = POKES(GATE(0x31, GATE_TYPE0)),
	  .flags = F_TCG_EC, .tcg_ec = 0x31 * 16 + 2, .ans = ALL(EXC_EC(13, 0x31 * 8 + 2)) },
	{ "int-gate-data-selector-gp", LONG, B(edatasel),
	  .pokes = POKES(GATE(0x32, GATE_SEL(TEST_SEL_DATA))), .ans = ALL(EXC_EC(13, TEST_SEL_DATA)) },
	{ "int-gate-null-selector-gp", LONG, B(enullsel), .pokes = POKES(GATE(0x33, GATE_SEL(0))),
	  .ans = ALL(EXC_EC(13, 0)) },
	{ "int-gate-noncanonical-gp", LONG, B(enoncanon),
	  .pokes = POKES(GATE(0x34, GATE_SEL(TEST_SEL_CODE64)), GATE_HI(0x34, 0x80000000)),
	  .ans = ALL(EXC_EC(13, 0)) },
	{ "ud-gates-missing-df", LONG, B(eudnpdf), .pokes = POKES(GATE(6, 0), GATE(13, 0)),
	  .ans = ALL(EXC_EC(8, 0)) },
	{ "gp-gate-broken-df", LONG, B(egpnc), .pokes = POKES(GATE(13, GATE_TYPE0)),
	  .ans = ALL(EXC_EC(8, 0)) },
	{ "pf-stack-not-mapped-df", LONG, B(epfpf), .ans = ALL(EXC_EC(8, 0)) },
	{ "ud-stack-not-mapped-df", LONG, B(eudpf), .ans = ALL(EXC_EC(8, 0)) },
	{ "ud-rsp-noncanonical-df", LONG, B(erspnc), .ans = ALL(EXC_EC(8, 0)) },
	{ "triple-fault-idt-limit-0", LONG, B(etriple), .ans = ALL(SHUTDOWN) },
	{ "triple-fault-df-stack", LONG, B(eudpf), .flags = F_NOIST, .ans = ALL(SHUTDOWN) },
	{ "triple-fault-real-mode", REAL, B(etriplereal), .ans = ALL(SHUTDOWN) },
	{ "triple-fault-loop", LONG, B(etriple), .repeat = 50, .ans = ALL(SHUTDOWN) },
	{ "iretq-noncanonical-gp", LONG, B(eiretnc), .ans = ALL(EXC_EC(13, 0)) },
	{ "div-by-0-de", LONG, B(ede), .ans = ALL(EXC(0)) },
	{ "int3-bp", LONG, B(ebp), .ans = ALL(EXC(3)) },
	{ "ud2-ud", LONG, B(eud), .ans = ALL(UD) },
	{ "into-of", PROT, B(eof), .ans = ALL(EXC(4)) },
	{ "bound-br", PROT, B(ebound), .pokes = POKES({ DATA_ADDR, 1ULL << 32, 8 }),
	  .ans = ALL(EXC(5)) },
	{ "load-noncanonical-gp", LONG, B(egpnc), .ans = ALL(GP0) },
	{ "pf-write-not-present", LONG, B(epfw), .ans = ALL(EXC_EC(14, 2)) },
	{ "pf-reserved-bit", LONG, B(epfrsvd), .pokes = POKES(TPTE(0, 0x20003 | 1ULL << 51)),
	  .flags = F_TCG_EC, .tcg_ec = 8,
	  .ans = ALL(EXC_EC(14, 9)) },
	{ "pf-wp-read-only-mmio", LONG, B(epfro), .pokes = POKES(TPTE(0, M | 1)),
	  .ans = ALL(EXC_EC(14, 3)) },
	{ "ac-loop", PROT, B(acloop), .flags = F_AC | F_LOOP,
	  .ans = V4(INTR, IERR(KVM_INTERNAL_ERROR_SIMUL_EX), INTR, INTR) },
	{ "db-idt", LONG, B(dbloop), .flags = F_DB | F_LOOP | F_NOT_TCG, .ans = ALL(INTR) },

	/* Interrupt storms, the LAPIC timer with tiny periods */
	{ "irq-storm-real-mode", REAL, B(ireal), H(irealh), .flags = F_IRQS,
	  .ans = ALL(OUT(IRQ_STORM)) },
	{ "irq-storm-long-mode", LONG, B(ilong), H(ilongh), .flags = F_IRQS,
	  .ans = ALL(OUT(IRQ_STORM)) },
	{ "irq-window-if0-spin", LONG, B(iif0), .flags = F_WINDOW | F_LOOP, .ans = ALL(INTR) },
	{ "irq-window-if0-hlt", LONG, B(iif0hlt), .flags = F_WINDOW, .ans = ALL(HLT) },
	{ "lapic-self-ipi-storm", LONG, B(lipi), H(lapich), .flags = F_SPLIT, .ans = ALL(OUT(1000)) },
	{ "lapic-timer-periodic-tiny", LONG, B(ltper), H(lapich),
	  .flags = F_SPLIT | F_SLOW | F_KVM_NOT_TCG,
	  .ans = ALL(OUT(1)) },
	{ "lapic-timer-oneshot-tiny", LONG, B(ltone), H(lapich), .flags = F_SPLIT,
	  .ans = ALL(OUT(1)) },
	{ "lapic-timer-tiny-forever", LONG, B(ltstorm), H(lapich), .flags = F_SPLIT | F_LOOP,
	  .ans = ALL(INTR) },
	{ "lapic-timer-masked", LONG, B(ltmask), H(lapich), .flags = F_SPLIT, .ans = ALL(OUT(0)) },
	{ "lapic-tpr-holds-ipi", LONG, B(ltpr), H(lapich), .flags = F_SPLIT, .ans = ALL(OUT(1)) },

	/* Other exits */
	{ "rdmsr-unknown-gp", LONG, B(xmsrrd), .ans = ALL(GP0) },
	{ "wrmsr-unknown-gp", LONG, B(xmsrwr), .ans = ALL(GP0) },
	{ "kvmclock-at-mmio", LONG, B(xkvmclock), .ans = ALL(OUT(0x600d)) },
	/* QEMU's TCG ignores the INVD intercept (lamina.ko sets it) */
	{ "invd", LONG, B(xinvd), .flags = F_NOT_TCG, .ans = KL(OUT(0x600d), UNEXP) },
	{ "wbinvd", LONG, B(xwbinvd), .ans = ALL(OUT(0x600d)) },
	{ "pause-loop", LONG, B(xpause), .ans = ALL(OUT(0x600d)) },
	{ "hlt", LONG, B(xhlt), .ans = ALL(HLT) },
	/* Debug registers: a guest's start at their reset values */
	{ "debugreg-dr0-3-not-inherited", LONG, B(drget), PREV(drset), .ans = ALL(OUT(0)) },
	{ "debugreg-dr6-not-inherited", LONG, B(dr6get), PREV(dr6set), .ans = ALL(OUT(0xffff0ff0)) },
	{ "debugreg-dr0-kept-across-exits", LONG, B(drkeep), .ans = ALL(OUT(0x5000)) },
};

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* One shot of SIGALRM in @ms; 0 disarms. */
static void arm_timer(unsigned int ms)
{
	struct itimerval t;

	memset(&t, 0, sizeof(t));
	t.it_value.tv_sec = ms / 1000;
	t.it_value.tv_usec = (ms % 1000) * 1000;
	timed_out = 0;
	setitimer(ITIMER_REAL, &t, NULL);
}

static int has_error_code(unsigned int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 ||
	       vector == 21;
}

/* The guest's stub for a vector ran: the vector, and its error code. */
static void exc_exit(struct test_vm *vm, const struct hcase *c,
		     uint8_t vector, struct answer *got)
{
	struct kvm_regs r;
	uint64_t ec = 0;
	size_t n = c->mode == TEST_MODE_LONG ? 8 : 4;

	got->kind = A_EXC;
	got->val = vector;
	got->ec = NO_EC;
	if (c->mode == TEST_MODE_REAL || !has_error_code(vector) ||
	    ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return;
	if (r.rsp + n <= vm->mem_size) {
		memcpy(&ec, vm->mem + r.rsp, n);
		got->ec = (int64_t)ec;
	}
}

/* Port I/O: 1 when the run is over (@got filled), 0 to go on. */
static int io_exit(struct test_vm *vm, const struct hcase *c,
		   struct answer *got)
{
	struct kvm_run *r = vm->run;
	unsigned char *data = (unsigned char *)r + r->io.data_offset;
	struct kvm_regs regs;

	if (r->io.port == PORT_SINK) {
		if (r->io.direction == KVM_EXIT_IO_IN)
			memset(data, PIO_IN_BYTE, r->io.size * r->io.count);
		return 0;
	}
	if (r->io.port == PORT_OK && r->io.direction == KVM_EXIT_IO_OUT) {
		got->kind = A_OUT;
		got->val = ioctl(vm->vcpu_fd, KVM_GET_REGS, &regs) ? ~0ULL :
			   regs.rax;
	} else if (r->io.port == PORT_EXC &&
		   r->io.direction == KVM_EXIT_IO_OUT) {
		exc_exit(vm, c, data[0], got);
	} else {
		got->kind = A_PIO;
		got->val = r->io.port;
	}
	return 1;
}

/* MMIO: reads get MMIO_PATTERN; the last access is kept. */
static void mmio_exit(struct kvm_run *r, struct answer *got)
{
	uint64_t pattern = MMIO_PATTERN;
	unsigned int len = r->mmio.len > 8 ? 8 : r->mmio.len;

	got->mlen = r->mmio.len;
	got->mwrite = r->mmio.is_write;
	got->maddr = r->mmio.phys_addr;
	got->mdata = 0;
	if (r->mmio.is_write)
		memcpy(&got->mdata, r->mmio.data, len);
	else
		memcpy(r->mmio.data, &pattern, len);
}

/* One KVM_RUN after another until the guest's answer: its kind and data. */
static void run_guest(struct test_vm *vm, const struct hcase *c,
		      struct answer *got)
{
	struct kvm_run *r = vm->run;
	unsigned int injected = 0, steps;
	struct kvm_interrupt irq = { .irq = 0x20 };

	memset(got, 0, sizeof(*got));
	got->ec = NO_EC;
	r->request_interrupt_window = !!(c->flags & (F_IRQS | F_WINDOW));
	arm_timer(c->flags & F_LOOP ? LOOP_MS :
		  c->flags & F_SLOW ? SLOW_MS : CASE_MS);
	for (steps = 0; steps < MAX_STEPS; steps++) {
		if ((c->flags & F_IRQS) && injected < IRQ_STORM &&
		    r->ready_for_interrupt_injection) {
			if (ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq))
				break;
			r->request_interrupt_window = ++injected < IRQ_STORM;
		}
		/* A signal between two KVM_RUNs must end a loop too. */
		if (timed_out) {
			got->kind = A_INTR;
			break;
		}
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			got->kind = errno == EINTR ? A_INTR : A_OTHER;
			got->val = errno;
			break;
		}
		if (r->exit_reason == KVM_EXIT_IO) {
			if (io_exit(vm, c, got))
				break;
			continue;
		}
		if (r->exit_reason == KVM_EXIT_MMIO) {
			mmio_exit(r, got);
			continue;
		}
		if (r->exit_reason == KVM_EXIT_IRQ_WINDOW_OPEN &&
		    (c->flags & F_IRQS))
			continue;
		got->kind = r->exit_reason == KVM_EXIT_HLT ? A_HLT :
			    r->exit_reason == KVM_EXIT_SHUTDOWN ? A_SHUTDOWN :
			    r->exit_reason == KVM_EXIT_INTERNAL_ERROR ? A_IERR :
			    r->exit_reason == KVM_EXIT_INTR ? A_INTR : A_OTHER;
		got->val = got->kind == A_IERR ? r->internal.suberror :
			   r->exit_reason;
		break;
	}
	arm_timer(0);
	if (got->kind == A_OTHER || got->kind == A_IERR)
		test_guest_print_exit(vm, c->name);
}

static const char *const kind_names[] = {
	[A_OUT] = "OUT", [A_EXC] = "exception", [A_PIO] = "port I/O",
	[A_HLT] = "HLT", [A_SHUTDOWN] = "shutdown",
	[A_IERR] = "internal error", [A_INTR] = "KVM_EXIT_INTR (looping)",
	[A_OTHER] = "other exit/errno",
};

static void print_answer(const char *what, const struct answer *a)
{
	const char *kind = a->kind < A_OTHER + 1 && kind_names[a->kind] ?
			   kind_names[a->kind] : "none";

	ksft_print_msg("  %s: %s 0x%llx", what, kind,
		       (unsigned long long)a->val);
	if (a->ec != NO_EC)
		printf(" error code 0x%llx", (unsigned long long)a->ec);
	if (a->mlen)
		printf(", last MMIO %s 0x%llx len %u data 0x%llx",
		       a->mwrite ? "write" : "read",
		       (unsigned long long)a->maddr, a->mlen,
		       (unsigned long long)a->mdata);
	printf("\n");
}

static int answer_matches(const struct answer *want, const struct answer *got)
{
	uint64_t mask;

	if (want->kind != got->kind)
		return 0;
	if ((want->kind == A_OUT || want->kind == A_EXC ||
	     want->kind == A_PIO || want->kind == A_IERR) &&
	    want->val != got->val)
		return 0;
	if (want->ec != NO_EC && want->ec != got->ec)
		return 0;
	/* After a stop or a loop, what came before is not the answer. */
	if (want->kind == A_IERR || want->kind == A_INTR ||
	    want->kind == A_SHUTDOWN)
		return 1;
	if (want->mlen != got->mlen)
		return 0;
	if (!want->mlen)
		return 1;
	mask = want->mlen >= 8 ? ~0ULL : (1ULL << (8 * want->mlen)) - 1;
	return want->maddr == got->maddr && want->mwrite == got->mwrite &&
	       (!want->mwrite || (want->mdata & mask) == (got->mdata & mask));
}

/* The guest of @c, from scratch, in @vm. */
static int guest_setup(struct test_vm *vm, const struct hcase *c)
{
	int longm = c->mode == TEST_MODE_LONG, real = c->mode == TEST_MODE_REAL;
	unsigned int sel = longm ? TEST_SEL_CODE64 : TEST_SEL_CODE32;
	unsigned int v, hvec = c->flags & F_SPLIT ? 0x40 : 0x20;
	const struct poke *p;
	struct kvm_sregs s;

	if (test_guest_load(vm, c->mode, CODE_ADDR, c->start,
			    c->end - c->start, real ? REAL_SP : STACK_TOP))
		return -1;
	memset(vm->mem + COUNTER_ADDR, 0, 8);
	for (v = 0; v < 32; v++) {
		unsigned char stub[8] = { 0xb0, v, 0xe6, PORT_EXC, 0xf4 };
		uint32_t ivt = (STUBS_ADDR >> 4) << 16 | v * 8;

		memcpy(vm->mem + STUBS_ADDR + 8 * v, stub, sizeof(stub));
		if (real)
			memcpy(vm->mem + 4 * v, &ivt, 4);
		else
			test_desc_gate(vm, c->mode, v, sel, STUBS_ADDR + 8 * v,
				       (v == 8 && !(c->flags & F_NOIST)) ||
				       (v == 1 && (c->flags & F_DB)));
	}
	if (c->hstart) {
		uint32_t ivt = (HANDLER_ADDR >> 4) << 16;

		memcpy(vm->mem + HANDLER_ADDR, c->hstart, c->hend - c->hstart);
		if (real)
			memcpy(vm->mem + 4 * hvec, &ivt, 4);
		else
			test_desc_gate(vm, c->mode, hvec, sel, HANDLER_ADDR, 0);
	}
	if (!real) {
		/* No I/O bitmap: I/O at CPL3 needs IOPL 3 (SDM vol. 1 19.5.2). */
		uint16_t iomap = 0xffff;

		test_desc_tss_stacks(vm, c->mode, STACK_TOP, IST_TOP);
		memcpy(vm->mem + TEST_DESC_TSS + 0x66, &iomap, 2);
	}
	if (longm) {
		uint64_t pde = TRICK_PT | 3;

		memset(vm->mem + TRICK_PT, 0, 0x1000);
		memcpy(vm->mem + PD_ADDR + 8 * (TRICK_VA >> 21), &pde, 8);
	}
	for (p = c->pokes; p && p->len; p++)
		memcpy(vm->mem + p->gpa, &p->val, p->len);
	if (c->flags & (F_USER | F_USER_IO))
		return test_desc_user32(vm, 0x2 | (c->flags & F_USER_IO ?
						   RF_IOPL3 : 0), USER_SP);
	if (c->flags & F_AC) {
		/* A CPL3 handler on the misaligned CPL3 stack. */
		test_desc_gate(vm, c->mode, 17, TEST_SEL_USER_CODE32,
			       STUBS_ADDR + 8 * 17, 0);
		if (test_desc_user32(vm, 0x2 | RF_IOPL3 | RF_AC, STACK_TOP - 1) ||
		    ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
			return -1;
		s.cr0 |= CR0_AM;
		return ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s);
	}
	return 0;
}

/* @c's earlier guest, in a VM of its own, to its OUT. */
static int run_prev(const struct hcase *c, const char *path)
{
	struct hcase prev = { .name = c->name, .mode = c->mode,
			      .start = c->pstart, .end = c->pend };
	struct test_vm vm;
	struct answer got;
	int ret = -1;

	if (test_guest_create(&vm, path, MEM_SIZE, 0) ||
	    guest_setup(&vm, &prev)) {
		ksft_print_msg("%s: setup: %s\n", c->name, vm.err);
		goto out;
	}
	run_guest(&vm, &prev, &got);
	if (got.kind != A_OUT) {
		ksft_print_msg("%s: the earlier guest did not finish:\n",
			       c->name);
		print_answer("got", &got);
		goto out;
	}
	ret = 0;
out:
	test_vm_destroy(&vm);
	return ret;
}

static int run_case(const struct hcase *c, const char *path, int dev,
		    int intel, int tcg)
{
	struct answer tcg_want, *want_tcg = &tcg_want;
	const struct answer *want = &c->ans[dev][intel];
	unsigned int i, runs = c->repeat ? c->repeat : 1;
	struct test_vm vm;
	struct answer got;
	struct timespec t0, t1;
	long ms;
	int ok = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (test_guest_create(&vm, path, MEM_SIZE, !!(c->flags & F_SPLIT))) {
		ksft_print_msg("%s: setup: %s\n", c->name, vm.err);
		goto out;
	}
	if (c->pstart && run_prev(c, path))
		goto out;
	if (tcg && (c->flags & F_TCG_EC)) {
		/* What the emulator pushes, not what the SDM says: no EXT,
		 * 16-byte IDT indexes, no P with RSVD (QEMU 7.2). */
		tcg_want = *want;
		tcg_want.ec = c->tcg_ec;
		want = want_tcg;
	}
	for (i = 0; i < runs; i++) {
		if (guest_setup(&vm, c)) {
			ksft_print_msg("%s: setup: %s\n", c->name, vm.err);
			goto out;
		}
		run_guest(&vm, c, &got);
		if (!answer_matches(want, &got)) {
			ksft_print_msg("%s: run %u of %u:\n", c->name, i + 1,
				       runs);
			print_answer("want", want);
			print_answer("got", &got);
			if (c->hstart)
				ksft_print_msg("  its handler ran %u times\n",
					       *(uint32_t *)(vm.mem + COUNTER_ADDR));
			goto out;
		}
	}
	ok = 1;
out:
	test_vm_destroy(&vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (ms > 500)
		ksft_print_msg("%s: %ld ms\n", c->name, ms);
	return ok;
}

/*
 * IF = 0, a window requested, then MOV to CR8: the guest goes on. Then
 * *@lowered: CR8 lowered to 0 exits with KVM_EXIT_SET_TPR, then HLT.
 */
GUEST(cr8w, 64, "cli\n mov $" STR(CR8_VAL) ", %eax\n mov %rax, %cr8\n"
		"out %al, $0xe5\n xor %ecx, %ecx\n mov %rcx, %cr8\n hlt\n");

static int cr8_window_test(const char *path, int *lowered)
{
	struct test_vm vm;
	struct kvm_sregs s;
	struct kvm_run *r;
	uint32_t val;
	int ok = 0;

	*lowered = 0;
	if (test_guest_create(&vm, path, MEM_SIZE, 0) ||
	    test_guest_load(&vm, TEST_MODE_LONG, CODE_ADDR, cr8w_s,
			    cr8w_e - cr8w_s, STACK_TOP)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	r = vm.run;
	r->request_interrupt_window = 1;
	if (test_guest_run_out(&vm, 0xe5, &val, "CR8 write"))
		goto out;
	if (ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s) || s.cr8 != CR8_VAL ||
	    r->if_flag) {
		ksft_print_msg("CR8 write: CR8 %llu (want %u), if_flag %u\n",
			       (unsigned long long)s.cr8, CR8_VAL, r->if_flag);
		goto out;
	}
	ok = 1;
	r->request_interrupt_window = 0;
	if (ioctl(vm.vcpu_fd, KVM_RUN, 0) || r->exit_reason != KVM_EXIT_SET_TPR ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s) || s.cr8 != 0) {
		ksft_print_msg("CR8 lowered: exit %u (want %u), CR8 %llu\n",
			       r->exit_reason, KVM_EXIT_SET_TPR,
			       (unsigned long long)s.cr8);
		goto out;
	}
	if (test_guest_run_hlt(&vm, "after SET_TPR"))
		goto out;
	*lowered = 1;
out:
	test_vm_destroy(&vm);
	return ok;
}

static int cpu_is_intel(void)
{
	unsigned int eax, ebx, ecx, edx;

	__cpuid(0, eax, ebx, ecx, edx);
	return ebx == 0x756e6547;	/* "Genu"ineIntel */
}

/* Is @name an item of the comma-separated list @list (NULL: empty)? */
static int name_listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (list && *list) {
		if (!strncmp(list, name, n) && (list[n] == ',' || !list[n]))
			return 1;
		list = strchr(list, ',');
		if (list)
			list++;
	}
	return 0;
}

/*
 * Does @c run here (lib/cpu_probe.h: where its fault can happen)? @skip:
 * LAMINA_HOSTILE_SKIP, the cases the caller leaves out by name (the rig:
 * those that freeze its machine under kvm.ko, scripts/guest/init).
 */
static int case_runs(const struct hcase *c, int lamina, int intel,
		     int has_ac, int tcg, const char *skip)
{
	return !((c->flags & F_AC) && !has_ac) &&
	       !((c->flags & F_NOT_TCG) && tcg) &&
	       !((c->flags & F_KVM_NOT_TCG) && tcg && !lamina) &&
	       !((c->flags & F_AMD) && intel) &&
	       !name_listed(skip, c->name);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int lamina = !strcmp(dev, "lamina");
	int intel = cpu_is_intel();
	int has_ac = test_cpu_raises_ac();
	int tcg = test_cpu_is_qemu_tcg();
	const char *skip = getenv("LAMINA_HOSTILE_SKIP");
	unsigned int i, plan = 2;
	struct sigaction sa;
	struct timespec t0, t1;
	char name[96];
	int lowered;
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (case_runs(&cases[i], lamina, intel, has_ac, tcg, skip))
			plan++;
		else
			ksft_print_msg("hostile-guest-%s not run: %s\n",
				       cases[i].name,
				       name_listed(skip, cases[i].name) ?
				       "left out by LAMINA_HOSTILE_SKIP" :
				       (cases[i].flags & F_AC) && !has_ac ?
				       "this CPU raises no #AC" :
				       (cases[i].flags & F_AMD) ?
				       "its answer is AMD's" :
				       "QEMU's TCG (see the file's comment)");
	}
	ksft_print_msg("%s CPU, answers of %s\n", intel ? "Intel" : "AMD",
		       lamina ? "lamina.ko" : "kvm.ko");
	ksft_set_plan(plan);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_pin_cpu0();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: KVM_RUN ends */

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!case_runs(&cases[i], lamina, intel, has_ac, tcg, skip))
			continue;
		snprintf(name, sizeof(name), "hostile-guest-%s", cases[i].name);
		ksft_result_dev(run_case(&cases[i], path, lamina, intel, tcg),
				name, dev);
	}
	ksft_result_dev(cr8_window_test(path, &lowered),
			"hostile-guest-cr8-window", dev);
	ksft_result_dev(lowered, "cr8-lower-exit-set-tpr", dev);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ksft_print_msg("%u points in %ld s\n", plan, (long)(t1.tv_sec - t0.tv_sec));
	ksft_finished();
	return KSFT_FAIL;
}
