// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile_guest DEVICE: a guest that makes the delivery of an exception
 * raise that exception again must not hang its host CPU.
 *
 * On hardware such a delivery repeats inside the CPU, which takes no
 * interrupt in between: unless the hypervisor intercepts the exception,
 * the host CPU never comes back (CVE-2015-5307 for #AC, CVE-2015-8104 for
 * #DB). Intercepted, each delivery is an exit: the guest loops forever,
 * but the host runs. kvm.ko's answer, and so the test's: while the guest
 * loops, another thread on the same host CPU runs and a signal to the
 * vCPU thread ends KVM_RUN with EINTR and KVM_EXIT_INTR. One exception:
 * kvm-intel stops the VM instead when an exception other than #PF exits
 * during the delivery of another event (KVM_EXIT_INTERNAL_ERROR,
 * KVM_INTERNAL_ERROR_SIMUL_EX: vmx.c, handle_exception_nmi), which the
 * #AC loop does; that answer, which also leaves the host running, is
 * accepted there. lamina.ko re-delivers on both backends, as the CPU
 * would.
 *  - hostile-guest-ac-loop: at CPL3 with CR0.AM, RFLAGS.AC and an odd
 *    ESP, a misaligned load raises #AC, whose CPL3 handler's frame goes to
 *    the misaligned stack: #AC again, forever (#AC is benign: no #DF).
 *  - hostile-guest-db-idt: in long mode, data breakpoints on the #DB gate
 *    of the IDT (read) and on the IST stack slot the #DB frame's SS goes
 *    to (write); the guest writes that slot: each #DB delivery hits a
 *    breakpoint, which is a trap taken before the handler's first
 *    instruction and before any interrupt.
 * The guest says what went wrong through OUT: no fault at all (the CPU
 * does not implement it), or its handler ran (no loop).
 *  - hostile-guest-cr8-window: no in-kernel irqchip; userspace asks for
 *    an interrupt window while the guest keeps RFLAGS.IF = 0 and writes
 *    CR8 (raising the TPR: no KVM_EXIT_SET_TPR). kvm.ko's answer: the
 *    guest runs on to its OUT, no window exit, KVM_GET_SREGS shows the
 *    new CR8. (QEMU 7.2's TCG aborted here under lamina.ko when a CR8
 *    write met the pending virtual interrupt of the window: lamina.ko
 *    now intercepts CR8 writes on SVM, as kvm-amd does.)
 *  - cr8-lower-exit-set-tpr: the same guest then lowers CR8 to 0: with
 *    the APIC in userspace, kvm.ko completes the write and exits with
 *    KVM_EXIT_SET_TPR (userspace may now deliver what the TPR held back);
 *    the next KVM_RUN goes on to HLT.
 *
 * Points run only where their fault can happen, for the reason
 * exception.c gives (lib/cpu_probe.h): hostile-guest-ac-loop where the
 * CPU raises #AC (not QEMU's TCG, the SVM rig machine), hostile-guest-
 * db-idt not on QEMU's TCG, whose data breakpoints never fire for a
 * nested guest under kvm-amd and whose own DR7 write under lamina.ko
 * aborts QEMU 7.2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lib/cpu_probe.h"
#include "lib/desc.h"
#include "lib/ksft.h"
#include "lib/sched.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE_ADDR 0x10000UL
#define HANDLER_ADDR 0x11000UL
#define DATA_ADDR 0x20000UL
#define STACK_TOP 0x30000UL
#define IST_TOP 0x28000UL
#define WATCH_ADDR (IST_TOP - 8)	/* the frame's SS slot */
#define DB_GATE_ADDR (TEST_DESC_IDT + 16)
/*
 * DR7: LE; DR0 (L0) write, 8 bytes (R/W0 01, LEN0 10); DR1 (L1) read or
 * write, 8 bytes (R/W1 11, LEN1 10); bit 10 reads as 1.
 */
#define DR7_VAL 0xb90505UL
#define PORT_NOFAULT 0xe3
#define PORT_HANDLER 0xe4
#define PORT_DONE 0xe5
#define CR8_VAL 5
#define CR0_AM (1ULL << 18)
#define RFLAGS_IOPL3 0x3000UL
#define RFLAGS_AC (1UL << 18)
#define HOLD_MS 200
#define STR_(x) #x
#define STR(x) STR_(x)

asm(".pushsection .rodata\n"
    ".code32\n"
    "acl_start:\n"
    "	movl " STR(DATA_ADDR) " + 1, %eax\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "1:	jmp 1b\n"
    "acl_end:\n"
    "acl_handler:\n"
    "	out %al, $" STR(PORT_HANDLER) "\n"
    "1:	jmp 1b\n"
    "acl_handler_end:\n"
    ".code64\n"
    "dbl_start:\n"
    "	mov $" STR(WATCH_ADDR) ", %eax\n"
    "	mov %rax, %dr0\n"
    "	mov $" STR(DB_GATE_ADDR) ", %eax\n"
    "	mov %rax, %dr1\n"
    "	mov $" STR(DR7_VAL) ", %eax\n"
    "	mov %rax, %dr7\n"
    "	movq $0, " STR(WATCH_ADDR) "\n"
    "	nop\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "	hlt\n"
    "dbl_end:\n"
    "dbl_handler:\n"
    "	out %al, $" STR(PORT_HANDLER) "\n"
    "	hlt\n"
    "dbl_handler_end:\n"
    "cr8w_start:\n"
    "	cli\n"
    "	mov $" STR(CR8_VAL) ", %eax\n"
    "	mov %rax, %cr8\n"
    "	out %al, $" STR(PORT_DONE) "\n"
    "	xor %ecx, %ecx\n"
    "	mov %rcx, %cr8\n"
    "	hlt\n"
    "cr8w_end:\n"
    ".popsection\n");

extern const unsigned char acl_start[], acl_end[];
extern const unsigned char acl_handler[], acl_handler_end[];
extern const unsigned char dbl_start[], dbl_end[];
extern const unsigned char dbl_handler[], dbl_handler_end[];
extern const unsigned char cr8w_start[], cr8w_end[];

struct loop {
	struct test_vm vm;
	int ret;		/* KVM_RUN's result */
	int err;		/* its errno */
	volatile int entered;	/* the vCPU thread is about to run */
};

static void on_sigusr1(int sig)
{
	(void)sig;
}

static void *vcpu_thread(void *arg)
{
	struct loop *l = arg;

	test_pin_cpu0();
	l->entered = 1;
	l->ret = ioctl(l->vm.vcpu_fd, KVM_RUN, 0);
	l->err = errno;
	return NULL;
}

/* A guest of @mode with @code at CODE_ADDR and @handler for @vector. */
static int loop_setup(struct loop *l, const char *path, enum test_mode mode,
		      const unsigned char *code, const unsigned char *code_end,
		      unsigned int vector, unsigned int sel, unsigned int ist,
		      const unsigned char *handler,
		      const unsigned char *handler_end)
{
	struct test_vm *vm = &l->vm;

	memset(l, 0, sizeof(*l));
	if (test_vm_open_dev(vm, path) || test_vm_create(vm, MEM_SIZE) ||
	    test_vm_set_mode(vm, mode, CODE_ADDR) ||
	    test_desc_setup(vm, mode)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	memcpy(vm->mem + CODE_ADDR, code, code_end - code);
	memcpy(vm->mem + HANDLER_ADDR, handler, handler_end - handler);
	test_desc_gate(vm, mode, vector, sel, HANDLER_ADDR, ist);
	return 0;
}

/*
 * Run the looping guest on this program's CPU; this thread, on the same
 * CPU, must get to run and end KVM_RUN with a signal.
 */
static int loop_host_runs(struct loop *l, const char *what, int simul_ok)
{
	struct kvm_run *r = l->vm.run;
	pthread_t t;

	if (pthread_create(&t, NULL, vcpu_thread, l))
		return 0;
	while (!l->entered)
		sched_yield();
	test_sleep_ms(HOLD_MS);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	if (l->ret == -1 && l->err == EINTR && r->exit_reason == KVM_EXIT_INTR)
		return 1;
	if (simul_ok && l->ret == 0 &&
	    r->exit_reason == KVM_EXIT_INTERNAL_ERROR &&
	    r->internal.suberror == KVM_INTERNAL_ERROR_SIMUL_EX) {
		ksft_print_msg("%s: the VM stopped (simultaneous exceptions)\n",
			       what);
		return 1;
	}
	ksft_print_msg("%s: KVM_RUN %d (%s), exit %u%s\n", what, l->ret,
		       l->ret ? strerror(l->err) : "ok", r->exit_reason,
		       r->exit_reason != KVM_EXIT_IO ? "" :
		       r->io.port == PORT_NOFAULT ? ": the CPU raised no fault" :
		       r->io.port == PORT_HANDLER ? ": the handler ran, no loop" :
		       ": unexpected port");
	if (r->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		ksft_print_msg("%s: internal error %u, data 0x%llx 0x%llx\n",
			       what, r->internal.suberror,
			       (unsigned long long)r->internal.data[0],
			       (unsigned long long)r->internal.data[1]);
	return 0;
}

static int ac_loop_test(const char *path)
{
	struct loop l;
	struct kvm_sregs s;
	int ok = 0;

	if (loop_setup(&l, path, TEST_MODE_PROT, acl_start, acl_end, 17,
		       TEST_SEL_USER_CODE32, 0, acl_handler, acl_handler_end) ||
	    test_desc_user32(&l.vm, 0x2 | RFLAGS_IOPL3 | RFLAGS_AC,
			     STACK_TOP - 1) ||
	    ioctl(l.vm.vcpu_fd, KVM_GET_SREGS, &s))
		goto out;
	s.cr0 |= CR0_AM;
	if (ioctl(l.vm.vcpu_fd, KVM_SET_SREGS, &s))
		goto out;
	ok = loop_host_runs(&l, "#AC loop", 1);
out:
	test_vm_destroy(&l.vm);
	return ok;
}

static int db_loop_test(const char *path)
{
	struct loop l;
	int ok = 0;

	if (loop_setup(&l, path, TEST_MODE_LONG, dbl_start, dbl_end, 1,
		       TEST_SEL_CODE64, 1, dbl_handler, dbl_handler_end))
		goto out;
	test_desc_tss_stacks(&l.vm, TEST_MODE_LONG, STACK_TOP, IST_TOP);
	ok = loop_host_runs(&l, "#DB loop", 0);
out:
	test_vm_destroy(&l.vm);
	return ok;
}

/*
 * IF = 0, a window requested, then MOV to CR8: the guest goes on. Then
 * *@lowered: CR8 lowered to 0 exits with KVM_EXIT_SET_TPR, then HLT.
 */
static int cr8_window_test(const char *path, int *lowered)
{
	struct test_vm vm;
	struct kvm_sregs s;
	struct kvm_run *r;
	int ok = 0;

	*lowered = 0;
	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_set_mode(&vm, TEST_MODE_LONG, CODE_ADDR)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	memcpy(vm.mem + CODE_ADDR, cr8w_start, cr8w_end - cr8w_start);
	r = vm.run;
	r->request_interrupt_window = 1;
	if (ioctl(vm.vcpu_fd, KVM_RUN, 0) || r->exit_reason != KVM_EXIT_IO ||
	    r->io.port != PORT_DONE) {
		ksft_print_msg("CR8 write: exit %u (port 0x%x), want OUT 0x%x\n",
			       r->exit_reason, r->io.port, PORT_DONE);
		goto out;
	}
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
	if (ioctl(vm.vcpu_fd, KVM_RUN, 0) || r->exit_reason != KVM_EXIT_HLT) {
		ksft_print_msg("after SET_TPR: exit %u, want HLT\n",
			       r->exit_reason);
		goto out;
	}
	*lowered = 1;
out:
	test_vm_destroy(&vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int has_ac = test_cpu_raises_ac();
	int has_dbp = !test_cpu_is_qemu_tcg();
	struct sigaction sa;
	int lowered;
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	if (!has_ac)
		ksft_print_msg("this CPU raises no #AC: hostile-guest-ac-loop not run\n");
	if (!has_dbp)
		ksft_print_msg("QEMU's TCG: no nested data breakpoints, hostile-guest-db-idt not run\n");
	ksft_set_plan(has_ac + has_dbp + 2);
	alarm(120);
	test_pin_cpu0();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigaction(SIGUSR1, &sa, NULL);

	if (has_ac)
		ksft_result_dev(ac_loop_test(path), "hostile-guest-ac-loop", dev);
	if (has_dbp)
		ksft_result_dev(db_loop_test(path), "hostile-guest-db-idt", dev);
	ksft_result_dev(cr8_window_test(path, &lowered),
			"hostile-guest-cr8-window", dev);
	ksft_result_dev(lowered, "cr8-lower-exit-set-tpr", dev);
	ksft_finished();
	return KSFT_FAIL;
}
