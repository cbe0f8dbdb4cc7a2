// SPDX-License-Identifier: GPL-2.0-only
/*
 * two_vcpus DEVICE: several vCPUs of one VM.
 *  - two vCPUs run at once from two threads, each looping OUT/IN/OUT on
 *    its own port with its own data; both must see exactly their own
 *    exchange, every round;
 *  - one vCPU whose thread hops between host CPUs every round (VMX: its
 *    VMCS is cleared on the old CPU and loaded on the new one; SVM: the
 *    new CPU's host save area and a TLB flush) keeps its state;
 *  - vCPU creation limits: eight vCPUs (ids 0..7) can be created, id
 *    KVM_CAP_MAX_VCPU_ID (or KVM_CAP_MAX_VCPUS when that is 0) cannot
 *    (-EINVAL), and a duplicate id is -EEXIST.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define MEM_SIZE 0x10000UL
#define CODE_ADDR 0x1000UL
#define ROUNDS 500U
#define MIGRATE_ROUNDS 200U

/*
 * Each vCPU: DX = its port (set by the host); every round, OUT the round
 * number, IN the host's answer, OUT it back to port + 1; HLT after ROUNDS.
 * 16-bit data, so both directions carry something per vCPU.
 */
asm(".pushsection .rodata\n"
    ".code16\n"
    "two_start:\n"
    "	xor %cx, %cx\n"
    "1:\n"
    "	mov %cx, %ax\n"
    "	out %ax, %dx\n"
    "	in %dx, %ax\n"
    "	inc %dx\n"
    "	out %ax, %dx\n"
    "	dec %dx\n"
    "	inc %cx\n"
    "	cmp %si, %cx\n"
    "	jne 1b\n"
    "	hlt\n"
    "two_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char two_start[], two_end[];

struct loop {
	int fd;
	struct kvm_run *run;
	size_t run_size;
	unsigned int port;
	unsigned int rounds;
	int migrate;		/* hop between CPUs 0 and 1 every round */
	unsigned int done;	/* rounds completed correctly */
	int halted;
	pthread_barrier_t *start;
	char why[128];
};

static uint16_t answer(unsigned int port, unsigned int round)
{
	return (uint16_t)(port * 0x1111U + round * 3U);
}

static void hop(unsigned int round)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(round & 1U, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* One I/O exit of the loop, checked; 0 on success. */
static int io_step(struct loop *l, unsigned int round, unsigned int phase)
{
	struct kvm_run *r = l->run;
	uint16_t *data = (uint16_t *)((unsigned char *)r + r->io.data_offset);
	int ok = r->exit_reason == KVM_EXIT_IO && r->io.size == 2 &&
		 r->io.count == 1;

	if (phase == 0)
		ok = ok && r->io.direction == KVM_EXIT_IO_OUT &&
		     r->io.port == l->port && *data == round;
	else if (phase == 1) {
		ok = ok && r->io.direction == KVM_EXIT_IO_IN &&
		     r->io.port == l->port;
		*data = answer(l->port, round);
	} else
		ok = ok && r->io.direction == KVM_EXIT_IO_OUT &&
		     r->io.port == l->port + 1 &&
		     *data == answer(l->port, round);
	if (!ok)
		snprintf(l->why, sizeof(l->why),
			 "round %u phase %u: exit %u port 0x%x", round, phase,
			 r->exit_reason, r->io.port);
	return !ok;
}

static void *loop_thread(void *arg)
{
	struct loop *l = arg;
	unsigned int round, phase;

	if (l->start)
		pthread_barrier_wait(l->start);
	for (round = 0; round < l->rounds; round++) {
		if (l->migrate)
			hop(round);
		for (phase = 0; phase < 3; phase++) {
			if (ioctl(l->fd, KVM_RUN, 0)) {
				snprintf(l->why, sizeof(l->why), "KVM_RUN: %s",
					 strerror(errno));
				return NULL;
			}
			if (io_step(l, round, phase))
				return NULL;
		}
		l->done++;
	}
	if (ioctl(l->fd, KVM_RUN, 0) == 0 &&
	    l->run->exit_reason == KVM_EXIT_HLT)
		l->halted = 1;
	else
		snprintf(l->why, sizeof(l->why), "no HLT after %u rounds",
			 l->rounds);
	return NULL;
}

/* A vCPU of @vm with its own kvm_run, in real mode at CODE_ADDR. */
static int loop_vcpu(struct test_vm *vm, struct loop *l, unsigned int id,
		     unsigned int port, unsigned int rounds)
{
	struct kvm_sregs s;
	struct kvm_regs regs;

	memset(l, 0, sizeof(*l));
	l->run = MAP_FAILED;
	l->port = port;
	l->rounds = rounds;
	l->fd = id ? ioctl(vm->vm_fd, KVM_CREATE_VCPU, id) : vm->vcpu_fd;
	if (l->fd < 0)
		return -1;
	l->run_size = vm->run_size;
	l->run = id ? mmap(NULL, l->run_size, PROT_READ | PROT_WRITE,
			   MAP_SHARED, l->fd, 0) : vm->run;
	if (l->run == MAP_FAILED || ioctl(l->fd, KVM_GET_SREGS, &s))
		return -1;
	s.cs.base = 0;
	s.cs.selector = 0;
	memset(&regs, 0, sizeof(regs));
	regs.rip = CODE_ADDR;
	regs.rflags = 0x2;
	regs.rdx = port;
	regs.rsi = rounds;
	if (ioctl(l->fd, KVM_SET_SREGS, &s) ||
	    ioctl(l->fd, KVM_SET_REGS, &regs))
		return -1;
	return 0;
}

static void loop_put(struct loop *l, struct test_vm *vm)
{
	if (l->run != MAP_FAILED && l->run != vm->run)
		munmap(l->run, l->run_size);
	if (l->fd >= 0 && l->fd != vm->vcpu_fd)
		close(l->fd);
}

static int vm_setup(struct test_vm *vm, const char *path)
{
	if (test_vm_open_dev(vm, path) || test_vm_create(vm, MEM_SIZE)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	memcpy(vm->mem + CODE_ADDR, two_start, two_end - two_start);
	return 0;
}

static int concurrent_test(const char *path)
{
	pthread_barrier_t start;
	struct loop l[2];
	pthread_t t[2];
	struct test_vm vm;
	int i, ok = 0, started = 0;

	memset(l, 0, sizeof(l));
	l[0].fd = l[1].fd = -1;
	l[0].run = l[1].run = MAP_FAILED;
	if (vm_setup(&vm, path))
		goto out;
	if (loop_vcpu(&vm, &l[0], 0, 0x10, ROUNDS) ||
	    loop_vcpu(&vm, &l[1], 1, 0x20, ROUNDS)) {
		ksft_print_msg("vCPU setup: %s\n", strerror(errno));
		goto out;
	}
	pthread_barrier_init(&start, NULL, 2);
	for (i = 0; i < 2; i++) {
		l[i].start = &start;
		if (pthread_create(&t[i], NULL, loop_thread, &l[i]) == 0)
			started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < 2; i++)
		ksft_print_msg("vCPU %d: %u/%u rounds, %s %s\n", i, l[i].done,
			       ROUNDS, l[i].halted ? "halted" : "not halted",
			       l[i].why);
	ok = started == 2 && l[0].done == ROUNDS && l[1].done == ROUNDS &&
	     l[0].halted && l[1].halted;
out:
	loop_put(&l[0], &vm);
	loop_put(&l[1], &vm);
	test_vm_destroy(&vm);
	return ok;
}

static int migrate_test(const char *path)
{
	struct test_vm vm;
	struct loop l;
	int ok = 0;

	memset(&l, 0, sizeof(l));
	l.fd = -1;
	l.run = MAP_FAILED;
	if (vm_setup(&vm, path) ||
	    loop_vcpu(&vm, &l, 0, 0x30, MIGRATE_ROUNDS))
		goto out;
	l.migrate = sysconf(_SC_NPROCESSORS_ONLN) > 1;
	ksft_print_msg("hopping between CPUs: %s\n", l.migrate ? "yes" :
		       "no, one CPU online");
	loop_thread(&l);
	ksft_print_msg("%u/%u rounds, %s %s\n", l.done, MIGRATE_ROUNDS,
		       l.halted ? "halted" : "not halted", l.why);
	ok = l.done == MIGRATE_ROUNDS && l.halted;
out:
	loop_put(&l, &vm);
	test_vm_destroy(&vm);
	return ok;
}

/* Create vCPUs 1..7 next to vCPU 0, then try the ids past the limit. */
static void limits_test(const char *path, int *eight, int *max_id, int *dup)
{
	int fds[8], i, max, ret;
	struct test_vm vm;

	*eight = *max_id = *dup = 0;
	for (i = 0; i < 8; i++)
		fds[i] = -1;
	if (vm_setup(&vm, path))
		goto out;
	for (i = 1; i < 8; i++)
		fds[i] = ioctl(vm.vm_fd, KVM_CREATE_VCPU, i);
	*eight = 1;
	for (i = 1; i < 8; i++)
		if (fds[i] < 0) {
			ksft_print_msg("vCPU %d: %s\n", i, strerror(errno));
			*eight = 0;
		}
	max = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	if (max <= 0)
		max = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	ret = ioctl(vm.vm_fd, KVM_CREATE_VCPU, max);
	*max_id = max >= 8 && ret == -1 && errno == EINVAL;
	ksft_print_msg("id %d (the limit): %d (%s)\n", max, ret,
		       ret < 0 ? strerror(errno) : "created");
	if (ret >= 0)
		close(ret);
	ret = ioctl(vm.vm_fd, KVM_CREATE_VCPU, 0);
	*dup = ret == -1 && errno == EEXIST;
	ksft_print_msg("id 0 again: %d (%s)\n", ret,
		       ret < 0 ? strerror(errno) : "created");
	if (ret >= 0)
		close(ret);
out:
	for (i = 1; i < 8; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	test_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int eight, max_id, dup;
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(5);
	alarm(300);

	ksft_result_dev(concurrent_test(path), "two-vcpus-concurrent", dev);
	ksft_result_dev(migrate_test(path), "vcpu-migrates-cpus", dev);
	limits_test(path, &eight, &max_id, &dup);
	ksft_result_dev(eight, "eight-vcpus", dev);
	ksft_result_dev(max_id, "vcpu-id-limit-einval", dev);
	ksft_result_dev(dup, "vcpu-id-duplicate-eexist", dev);
	ksft_finished();
	return KSFT_FAIL;
}
