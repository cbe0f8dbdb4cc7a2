// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_lifecycle DEVICE: 1,000 create/destroy cycles of a VM with one
 * memory slot and one vCPU whose kvm_run is mapped (LAMINA_TEST_CYCLES
 * overrides the count: kvm.ko takes ~0.1 s a cycle under emulation, so the
 * slower emulated machine runs fewer); bad pointers to the
 * register ioctls are -EFAULT. The rig checks the module's own live-object
 * counters afterwards (scripts/guest/init, no-live-objects/lamina).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define DEFAULT_CYCLES 1000
#define MEM_SIZE 0x10000UL

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct test_vm vm;
	const char *env = getenv("LAMINA_TEST_CYCLES");
	int cycles = env ? atoi(env) : DEFAULT_CYCLES;
	struct timespec t0, t1;
	int i, ok = 0, r;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path)) {
		if (errno == ENOENT)
			ksft_exit_skip(vm.err);
	}
	test_vm_destroy(&vm);
	ksft_set_plan(3);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < cycles; i++) {
		if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE)) {
			ksft_print_msg("cycle %d: %s\n", i, vm.err);
			test_vm_destroy(&vm);
			break;
		}
		test_vm_destroy(&vm);
		ok++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ksft_print_msg("%d of %d cycles in %ld ms\n", ok, cycles,
		       (t1.tv_sec - t0.tv_sec) * 1000L +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000L);
	ksft_result_dev(cycles > 0 && ok == cycles, "vm-create-destroy-cycles", dev);

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE))
		ksft_print_msg("setup: %s\n", vm.err);
	r = ioctl(vm.vcpu_fd, KVM_GET_REGS, (void *)8) ? errno : 0;
	ksft_result_dev(r == EFAULT, "get-regs-bad-pointer", dev);
	r = ioctl(vm.vcpu_fd, KVM_SET_SREGS, (void *)8) ? errno : 0;
	ksft_result_dev(r == EFAULT, "set-sregs-bad-pointer", dev);
	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
