// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_state DEVICE: what a guest can do to its own state.
 *  - triple fault: a real-mode INT through an empty IDT (limit 0) faults,
 *    the fault faults again, and the vCPU shuts down: KVM_EXIT_SHUTDOWN.
 *  - invalid state: long mode with CS.L and CS.D both set passes
 *    KVM_SET_SREGS but fails the hardware's VM-entry checks (Intel SDM
 *    "Checks on Guest Segment Registers"; AMD APM 15.5.1): the vCPU
 *    reports KVM_EXIT_FAIL_ENTRY, and the host does not oops; its
 *    hardware_entry_failure_reason is the hardware's: VMX exit reason 33
 *    with bit 31 set (0x80000021), or SVM VMEXIT_INVALID as the 32-bit
 *    EXITCODE KVM reports (0xffffffff). The guest has EFER.SCE: the host's
 *    SYSCALL MSRs must come through the failed entry intact (this test's
 *    own system calls after it depend on them).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define GUEST_RIP 0x1000UL
#define MEM_SIZE 0x10000UL

static const unsigned char triple_fault_code[] = {
	0x0f, 0x01, 0x1e, 0x10, 0x10,	/* lidt [0x1010]: limit 0, base 0 */
	0xcd, 0x21,			/* int 0x21 */
	0xf4,				/* hlt: never reached */
};

/* Run until something other than an I/O exit; returns the exit reason. */
static int run_once(struct test_vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		ksft_print_msg("KVM_RUN: %s\n", strerror(errno));
		return -1;
	}
	return vm->run->exit_reason;
}

static int triple_fault(const char *path)
{
	struct test_vm vm;
	int reason = -1;

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, GUEST_RIP)) {
		ksft_print_msg("setup: %s\n", vm.err);
	} else {
		memcpy(vm.mem + GUEST_RIP, triple_fault_code,
		       sizeof(triple_fault_code));
		memset(vm.mem + 0x1010, 0, 6);
		reason = run_once(&vm);
	}
	ksft_print_msg("triple fault: exit reason %d (want %d)\n", reason,
		       KVM_EXIT_SHUTDOWN);
	test_vm_destroy(&vm);
	return reason == KVM_EXIT_SHUTDOWN;
}

#define VMX_INVALID_STATE 0x80000021ULL
#define SVM_VMEXIT_INVALID 0xffffffffULL

static int invalid_state(const char *path, int *reason_ok)
{
	struct kvm_sregs s;
	struct test_vm vm;
	int reason = -1;
	__u64 hw;

	*reason_ok = 0;
	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, GUEST_RIP) ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	s.cr0 = 0x80000011;	/* PG | ET | PE */
	s.cr4 = 0x20;		/* PAE */
	/*
	 * SCE too: a hypervisor that switches the SYSCALL MSRs around the
	 * entry must put the host's back when the entry fails, else this
	 * process's next system call jumps to the guest's LSTAR (0).
	 */
	s.efer = 0x501;		/* LMA | LME | SCE */
	s.cr3 = 0x2000;
	s.cs.l = 1;
	s.cs.db = 1;		/* illegal together with L in long mode */
	s.cs.type = 0xb;
	s.cs.s = 1;
	s.cs.present = 1;
	if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &s)) {
		ksft_print_msg("KVM_SET_SREGS: %s\n", strerror(errno));
		goto out;
	}
	reason = run_once(&vm);
	if (reason == KVM_EXIT_FAIL_ENTRY) {
		hw = vm.run->fail_entry.hardware_entry_failure_reason;
		*reason_ok = hw == VMX_INVALID_STATE ||
			     hw == SVM_VMEXIT_INVALID;
		ksft_print_msg("hardware reason 0x%llx\n",
			       (unsigned long long)hw);
	}
out:
	ksft_print_msg("invalid state: exit reason %d (want %d)\n", reason,
		       KVM_EXIT_FAIL_ENTRY);
	test_vm_destroy(&vm);
	return reason == KVM_EXIT_FAIL_ENTRY;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct test_vm vm;
	int reason_ok;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(3);
	alarm(60);
	ksft_result_dev(triple_fault(path), "triple-fault-shutdown", dev);
	ksft_result_dev(invalid_state(path, &reason_ok), "invalid-state-fail-entry",
	       dev);
	ksft_result_dev(reason_ok, "invalid-state-hw-reason", dev);
	ksft_finished();
	return KSFT_FAIL;
}
