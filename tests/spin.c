// SPDX-License-Identifier: GPL-2.0-only
/*
 * spin DEVICE: a guest that never exits must not hold its host CPU.
 *
 * The guest spins on a flag in its memory, without PAUSE and without any
 * instruction that exits, until the host sets the flag; then OUT. The vCPU
 * thread and the thread that sets the flag are pinned to the same host
 * CPU, so the flag is set only if the hypervisor gives that CPU back while
 * the guest spins (host interrupts end the guest; the scheduler runs the
 * other thread):
 *  - spin-if0-host-runs: the guest spins with RFLAGS.IF=0;
 *  - spin-if1-host-runs: the guest spins with RFLAGS.IF=1;
 *  - spin-signal-eintr: while the guest spins, a signal to the vCPU thread
 *    ends KVM_RUN with EINTR and KVM_EXIT_INTR, and a later KVM_RUN goes
 *    on where the guest was.
 * A failure can be a hang of the whole (one-CPU) machine: the rig's
 * timeout reports it, and alarm() ends this program where the host still
 * runs.
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

#include "lib/ksft.h"
#include "lib/sched.h"
#include "lib/vm.h"

#define MEM_SIZE 0x10000UL
#define CODE_ADDR 0x1000UL
#define FLAG_ADDR 0x2000
#define PORT_DONE 0xe0
#define HOLD_MS 50
#define STR_(x) #x
#define STR(x) STR_(x)

/* AL = 1: STI before the spin, else CLI. */
asm(".pushsection .rodata\n"
    ".code16\n"
    "spin_start:\n"
    "	cli\n"
    "	test %al, %al\n"
    "	jz 1f\n"
    "	sti\n"
    "1:	cmpl $0, " STR(FLAG_ADDR) "\n"
    "	je 1b\n"
    "	out %al, $" STR(PORT_DONE) "\n"
    "	hlt\n"
    "spin_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char spin_start[], spin_end[];

struct spin {
	struct test_vm vm;
	int ret;		/* KVM_RUN's result */
	int err;		/* its errno */
	volatile int entered;	/* the vCPU thread is about to run */
};

static void *vcpu_thread(void *arg)
{
	struct spin *s = arg;

	test_pin_cpu0();
	s->entered = 1;
	s->ret = ioctl(s->vm.vcpu_fd, KVM_RUN, 0);
	s->err = errno;
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

static int spin_setup(struct spin *s, const char *path, int sti)
{
	struct kvm_regs regs;

	memset(s, 0, sizeof(*s));
	if (test_vm_open_dev(&s->vm, path) ||
	    test_vm_create(&s->vm, MEM_SIZE) ||
	    test_vm_real_mode(&s->vm, CODE_ADDR)) {
		ksft_print_msg("setup: %s\n", s->vm.err);
		return -1;
	}
	memcpy(s->vm.mem + CODE_ADDR, spin_start, spin_end - spin_start);
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rflags = 0x2;
	regs.rax = sti;
	if (ioctl(s->vm.vcpu_fd, KVM_SET_REGS, &regs)) {
		ksft_print_msg("KVM_SET_REGS: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Start the vCPU thread and wait until it is (very likely) in the guest. */
static int spin_start_thread(struct spin *s, pthread_t *t)
{
	if (pthread_create(t, NULL, vcpu_thread, s))
		return -1;
	while (!s->entered)
		sched_yield();
	test_sleep_ms(HOLD_MS);
	return 0;
}

static int set_flag(struct spin *s)
{
	__atomic_store_n((uint32_t *)(s->vm.mem + FLAG_ADDR), 1,
			 __ATOMIC_SEQ_CST);
	return 0;
}

static int exited_done(struct spin *s, const char *what)
{
	struct kvm_run *r = s->vm.run;

	if (s->ret == 0 && r->exit_reason == KVM_EXIT_IO &&
	    r->io.port == PORT_DONE && r->io.direction == KVM_EXIT_IO_OUT)
		return 1;
	ksft_print_msg("%s: KVM_RUN %d (%s), exit %u port 0x%x\n", what,
		       s->ret, s->ret ? strerror(s->err) : "ok",
		       r->exit_reason, r->io.port);
	return 0;
}

/* The host thread on the spinning vCPU's CPU runs and sets the flag. */
static int host_runs_test(const char *path, int sti)
{
	struct spin s;
	pthread_t t;
	int ok = 0;

	if (spin_setup(&s, path, sti) == 0 && spin_start_thread(&s, &t) == 0) {
		set_flag(&s);
		pthread_join(t, NULL);
		ok = exited_done(&s, sti ? "IF=1" : "IF=0");
	}
	test_vm_destroy(&s.vm);
	return ok;
}

/* A signal ends KVM_RUN of a spinning guest; the next run goes on. */
static int signal_test(const char *path)
{
	struct sigaction sa;
	struct spin s;
	pthread_t t;
	int ok = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (spin_setup(&s, path, 0) || spin_start_thread(&s, &t))
		goto out;
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	if (s.ret != -1 || s.err != EINTR ||
	    s.vm.run->exit_reason != KVM_EXIT_INTR) {
		ksft_print_msg("signal: KVM_RUN %d (%s), exit %u\n", s.ret,
			       strerror(s.err), s.vm.run->exit_reason);
		goto out;
	}
	set_flag(&s);
	s.ret = ioctl(s.vm.vcpu_fd, KVM_RUN, 0);
	s.err = errno;
	ok = exited_done(&s, "after the signal");
out:
	test_vm_destroy(&s.vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(3);
	alarm(120);
	test_pin_cpu0();

	ksft_result_dev(host_runs_test(path, 0), "spin-if0-host-runs", dev);
	ksft_result_dev(host_runs_test(path, 1), "spin-if1-host-runs", dev);
	ksft_result_dev(signal_test(path), "spin-signal-eintr", dev);
	ksft_finished();
	return KSFT_FAIL;
}
