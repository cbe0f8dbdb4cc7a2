// SPDX-License-Identifier: GPL-2.0-only
/*
 * irq DEVICE: interrupts from a userspace interrupt controller, and the
 * exceptions a guest raises itself. Real-mode guests with their own IVT;
 * every handler writes its vector to MARK_PORT, so the host sees which
 * handler ran.
 *  (a) request_interrupt_window while the guest runs with IF=0: no
 *      KVM_EXIT_IRQ_WINDOW_OPEN until STI, and not inside STI's shadow;
 *      if_flag / ready_for_interrupt_injection on the way; then
 *      KVM_INTERRUPT shows in KVM_GET_SREGS and its handler runs.
 *  (b) a guest spinning with IF=1 gets KVM_INTERRUPT vectors in order.
 *  (c) KVM_INTERRUPT with vector 256 (-EINVAL) and a bad pointer (-EFAULT).
 *  (d) #DE (DIV by 0), #UD (UD2) and #BP (INT3) go through the guest's
 *      IVT without an exit to userspace.
 *  (e) KVM_SET_SREGS with an interrupt_bitmap bit delivers that vector.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define GUEST_RIP 0x1000UL
#define MEM_SIZE 0x10000UL
#define MARK_PORT 0x20
#define NR_HANDLERS 8	/* vectors 0x20 .. 0x27 */
#define MAX_STEPS 64

/*
 * The guests, assembled by gcc as 16-bit code and copied to GUEST_RIP.
 * Addresses inside them are GUEST_RIP + (label - start).
 */
asm(".pushsection .rodata\n"
    ".code16\n"
    /* (a): IF=0, then STI; the window must open at irq_a_window. */
    "irq_a_start:\n"
    "	cli\n"
    "	mov $0x8000, %sp\n"
    "	out %al, $0x10\n"		/* host arms the window here */
    "	nop\n"
    "	out %al, $0x11\n"		/* IF=0: an I/O exit, no window */
    "	sti\n"
    "	nop\n"				/* STI shadow */
    "irq_a_window:\n"
    "	nop\n"
    "	out %al, $0x12\n"
    "	hlt\n"
    "irq_a_end:\n"
    /* (b), (e): spin with IF=1, one exit per round. */
    "irq_b_start:\n"
    "	mov $0x8000, %sp\n"
    "	sti\n"
    "	nop\n"
    "irq_b_loop:\n"
    "	out %al, $0x13\n"
    "	jmp irq_b_loop\n"
    "irq_b_end:\n"
    /* Handlers of vectors 0x20 .. 0x27: write the vector, return. */
    "irq_handlers:\n"
    "	.irp v, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27\n"
    "	mov $\\v, %al\n"
    "	out %al, $0x20\n"
    "	iret\n"
    "	.endr\n"
    "irq_handlers_end:\n"
    /* (d): three exceptions, each handled in the guest. */
    "irq_d_start:\n"
    "	mov $0x8000, %sp\n"
    "	xor %ax, %ax\n"
    "	xor %bl, %bl\n"
    "	div %bl\n"			/* #DE, 2 bytes */
    "	ud2\n"				/* #UD, 2 bytes */
    "	int3\n"				/* #BP, a trap: no fix-up */
    "	out %al, $0x12\n"
    "	hlt\n"
    /* Faults push the faulting IP: step over the 2-byte instruction. */
    "irq_d_de:\n"
    "	push %bp\n"
    "	mov %sp, %bp\n"
    "	addw $2, 2(%bp)\n"
    "	pop %bp\n"
    "	mov $0x00, %al\n"
    "	out %al, $0x20\n"
    "	iret\n"
    "irq_d_ud:\n"
    "	push %bp\n"
    "	mov %sp, %bp\n"
    "	addw $2, 2(%bp)\n"
    "	pop %bp\n"
    "	mov $0x06, %al\n"
    "	out %al, $0x20\n"
    "	iret\n"
    "irq_d_bp:\n"
    "	mov $0x03, %al\n"
    "	out %al, $0x20\n"
    "	iret\n"
    "irq_d_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char irq_a_start[], irq_a_window[], irq_a_end[];
extern const unsigned char irq_b_start[], irq_b_loop[], irq_b_end[];
extern const unsigned char irq_handlers[], irq_handlers_end[];
extern const unsigned char irq_d_start[], irq_d_de[], irq_d_ud[], irq_d_bp[];
extern const unsigned char irq_d_end[];

/* Each handler: mov $v, %al (2) + out %al, $imm (2) + iret (1). */
#define HANDLER_SIZE 5

static void set_ivt(struct test_vm *vm, unsigned int vector, uint16_t ip)
{
	uint16_t entry[2] = { ip, 0 };	/* offset, segment 0 */

	memcpy(vm->mem + 4 * vector, entry, sizeof(entry));
}

/* Load @code at GUEST_RIP, handlers after it, IVT entries 0x20..0x27. */
static int guest_setup(struct test_vm *vm, const char *path,
		       const unsigned char *start, const unsigned char *end)
{
	size_t len = end - start;
	size_t hlen = irq_handlers_end - irq_handlers;
	unsigned int i;

	if (test_vm_open_dev(vm, path) || test_vm_create(vm, MEM_SIZE) ||
	    test_vm_real_mode(vm, GUEST_RIP)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	memcpy(vm->mem + GUEST_RIP, start, len);
	memcpy(vm->mem + GUEST_RIP + 0x800, irq_handlers, hlen);
	for (i = 0; i < NR_HANDLERS; i++)
		set_ivt(vm, 0x20 + i, GUEST_RIP + 0x800 + i * HANDLER_SIZE);
	return 0;
}

static uint64_t guest_addr(const unsigned char *start, const unsigned char *l)
{
	return GUEST_RIP + (uint64_t)(l - start);
}

/* One KVM_RUN; returns the exit reason, or -1. */
static int run(struct test_vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		ksft_print_msg("KVM_RUN: %s\n", strerror(errno));
		return -1;
	}
	return vm->run->exit_reason;
}

/* The last exit was an OUT of one byte to @port; its byte, or -1. */
static int out_byte(struct test_vm *vm, unsigned int port)
{
	struct kvm_run *r = vm->run;

	if (r->exit_reason != KVM_EXIT_IO ||
	    r->io.direction != KVM_EXIT_IO_OUT || r->io.port != port ||
	    r->io.size != 1) {
		ksft_print_msg("exit %u port 0x%x, want an OUT to 0x%x\n",
			       r->exit_reason, r->io.port, port);
		return -1;
	}
	return *((unsigned char *)r + r->io.data_offset);
}

static int run_out(struct test_vm *vm, unsigned int port)
{
	if (run(vm) < 0)
		return -1;
	return out_byte(vm, port);
}

static int queue_irq(struct test_vm *vm, unsigned int vector)
{
	struct kvm_interrupt irq = { .irq = vector };

	if (ioctl(vm->vcpu_fd, KVM_INTERRUPT, &irq)) {
		ksft_print_msg("KVM_INTERRUPT %u: %s\n", vector,
			       strerror(errno));
		return -1;
	}
	return 0;
}

/* The vector KVM_GET_SREGS reports pending, -1 if none, -2 on error. */
static int sregs_pending(struct test_vm *vm)
{
	struct kvm_sregs s;
	int i;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -2;
	for (i = 0; i < 256; i++)
		if (s.interrupt_bitmap[i / 64] & (1ULL << (i % 64)))
			return i;
	return -1;
}

struct window_result {
	int no_window_if0;	/* IF=0: an I/O exit came, not the window */
	int flags_if0;		/* ... with if_flag 0, not ready */
	int window_after_shadow; /* window at irq_a_window, not before */
	int flags_window;	/* if_flag 1, ready 1 at the window */
	int queued_in_sregs;	/* KVM_GET_SREGS shows the queued vector */
	int handler_ran;	/* handler 0x21 ran, then the guest went on */
};

static void window_test(const char *path, struct window_result *res)
{
	struct kvm_regs regs;
	struct test_vm vm;
	struct kvm_run *r;
	int reason;

	memset(res, 0, sizeof(*res));
	if (guest_setup(&vm, path, irq_a_start, irq_a_end))
		goto out;
	r = vm.run;
	if (run_out(&vm, 0x10) < 0)
		goto out;
	r->request_interrupt_window = 1;
	reason = run(&vm);
	res->no_window_if0 = reason == KVM_EXIT_IO && r->io.port == 0x11;
	res->flags_if0 = !r->if_flag && !r->ready_for_interrupt_injection;
	ksft_print_msg("IF=0: exit %d port 0x%x if_flag %u ready %u\n", reason,
		       r->io.port, r->if_flag,
		       r->ready_for_interrupt_injection);
	if (!res->no_window_if0)
		goto out;

	reason = run(&vm);
	if (ioctl(vm.vcpu_fd, KVM_GET_REGS, &regs))
		goto out;
	res->window_after_shadow = reason == KVM_EXIT_IRQ_WINDOW_OPEN &&
		regs.rip == guest_addr(irq_a_start, irq_a_window);
	res->flags_window = r->if_flag && r->ready_for_interrupt_injection;
	ksft_print_msg("after STI: exit %d (want %d) rip 0x%llx (want 0x%llx) if_flag %u ready %u\n",
		       reason, KVM_EXIT_IRQ_WINDOW_OPEN,
		       (unsigned long long)regs.rip,
		       (unsigned long long)guest_addr(irq_a_start,
						      irq_a_window),
		       r->if_flag, r->ready_for_interrupt_injection);
	if (reason != KVM_EXIT_IRQ_WINDOW_OPEN)
		goto out;

	r->request_interrupt_window = 0;
	if (queue_irq(&vm, 0x21))
		goto out;
	res->queued_in_sregs = sregs_pending(&vm) == 0x21;
	res->handler_ran = run_out(&vm, MARK_PORT) == 0x21 &&
			   run_out(&vm, 0x12) >= 0 && run(&vm) == KVM_EXIT_HLT;
out:
	test_vm_destroy(&vm);
}

/* (b): vectors 0x20..0x27, one per round, reach their handlers in order. */
static int ordered_test(const char *path)
{
	struct test_vm vm;
	unsigned int i, got = 0;
	int ok = 0;

	if (guest_setup(&vm, path, irq_b_start, irq_b_end))
		goto out;
	for (i = 0; i < NR_HANDLERS; i++) {
		if (run_out(&vm, 0x13) < 0)
			goto out;
		if (!vm.run->if_flag ||
		    !vm.run->ready_for_interrupt_injection) {
			ksft_print_msg("round %u: if_flag %u ready %u\n", i,
				       vm.run->if_flag,
				       vm.run->ready_for_interrupt_injection);
			goto out;
		}
		if (queue_irq(&vm, 0x20 + i))
			goto out;
		if (run_out(&vm, MARK_PORT) != (int)(0x20 + i)) {
			ksft_print_msg("round %u: handler did not run\n", i);
			goto out;
		}
		got++;
	}
	ok = 1;
out:
	ksft_print_msg("%u of %u vectors delivered in order\n", got,
		       NR_HANDLERS);
	test_vm_destroy(&vm);
	return ok;
}

/* (c): what KVM_INTERRUPT refuses. */
static int bad_args_test(const char *path, int *efault)
{
	struct kvm_interrupt irq = { .irq = 256 };
	struct test_vm vm;
	int einval = 0, ret;

	*efault = 0;
	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	ret = ioctl(vm.vcpu_fd, KVM_INTERRUPT, &irq);
	einval = ret == -1 && errno == EINVAL;
	ksft_print_msg("vector 256: %d (%s)\n", ret, strerror(errno));
	ret = ioctl(vm.vcpu_fd, KVM_INTERRUPT, (void *)8);
	*efault = ret == -1 && errno == EFAULT;
	ksft_print_msg("bad pointer: %d (%s)\n", ret, strerror(errno));
out:
	test_vm_destroy(&vm);
	return einval;
}

/* (d): the three handlers run in order, then the guest halts. */
static int exception_test(const char *path)
{
	static const int want[] = { 0x00, 0x06, 0x03 };
	struct test_vm vm;
	unsigned int i;
	int ok = 0, got;

	if (guest_setup(&vm, path, irq_d_start, irq_d_end))
		goto out;
	set_ivt(&vm, 0, guest_addr(irq_d_start, irq_d_de));
	set_ivt(&vm, 6, guest_addr(irq_d_start, irq_d_ud));
	set_ivt(&vm, 3, guest_addr(irq_d_start, irq_d_bp));
	for (i = 0; i < 3; i++) {
		got = run_out(&vm, MARK_PORT);
		ksft_print_msg("exception %u: handler %d (want %d)\n", i, got,
			       want[i]);
		if (got != want[i])
			goto out;
	}
	ok = run_out(&vm, 0x12) >= 0 && run(&vm) == KVM_EXIT_HLT;
out:
	test_vm_destroy(&vm);
	return ok;
}

/* (e): a pending vector given to KVM_SET_SREGS is delivered. */
static int sregs_irq_test(const char *path)
{
	struct kvm_sregs s;
	struct kvm_regs regs;
	struct test_vm vm;
	int ok = 0, before, after, got;

	if (guest_setup(&vm, path, irq_b_start, irq_b_end) ||
	    ioctl(vm.vcpu_fd, KVM_GET_REGS, &regs))
		goto out;
	regs.rip = guest_addr(irq_b_start, irq_b_loop);
	regs.rsp = 0x8000;
	regs.rflags = 0x202;	/* IF */
	if (ioctl(vm.vcpu_fd, KVM_SET_REGS, &regs) ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s))
		goto out;
	memset(s.interrupt_bitmap, 0, sizeof(s.interrupt_bitmap));
	s.interrupt_bitmap[0] |= 1ULL << 0x22;
	if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &s)) {
		ksft_print_msg("KVM_SET_SREGS: %s\n", strerror(errno));
		goto out;
	}
	before = sregs_pending(&vm);
	got = run_out(&vm, MARK_PORT);
	after = sregs_pending(&vm);
	ksft_print_msg("pending before %d, handler %d, pending after %d\n",
		       before, got, after);
	ok = before == 0x22 && got == 0x22 && after == -1;
out:
	test_vm_destroy(&vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct window_result w;
	struct test_vm vm;
	int efault;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(11);
	alarm(120);

	window_test(path, &w);
	ksft_result_dev(w.no_window_if0, "irq-window-not-while-if0", dev);
	ksft_result_dev(w.flags_if0, "irq-flags-if0", dev);
	ksft_result_dev(w.window_after_shadow, "irq-window-after-sti-shadow", dev);
	ksft_result_dev(w.flags_window, "irq-flags-window-open", dev);
	ksft_result_dev(w.queued_in_sregs, "irq-queued-in-sregs", dev);
	ksft_result_dev(w.handler_ran, "irq-inject-handler", dev);
	ksft_result_dev(ordered_test(path), "irq-inject-in-order", dev);
	ksft_result_dev(bad_args_test(path, &efault), "irq-bad-vector-einval", dev);
	ksft_result_dev(efault, "irq-bad-pointer-efault", dev);
	ksft_result_dev(exception_test(path), "irq-guest-exceptions", dev);
	ksft_result_dev(sregs_irq_test(path), "irq-set-sregs-pending", dev);
	ksft_finished();
	return KSFT_FAIL;
}
