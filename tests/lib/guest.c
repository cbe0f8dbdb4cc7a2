// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "desc.h"
#include "guest.h"
#include "ksft.h"

#define GUEST_FAIL(vm, what) \
	(snprintf((vm)->err, sizeof((vm)->err), "%s: %s", what, \
		  strerror(errno)), -1)

int test_guest_create(struct test_vm *vm, const char *path, size_t mem_size,
		      int split)
{
	struct kvm_enable_cap cap;
	int vm_fd;

	if (test_vm_open_dev(vm, path))
		return -1;
	if (!split)
		return test_vm_create(vm, mem_size);
	/* The LAPICs must be in the kernel before the first vCPU. */
	vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		return GUEST_FAIL(vm, "KVM_CREATE_VM");
	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_SPLIT_IRQCHIP;
	cap.args[0] = 24;
	if (ioctl(vm_fd, KVM_ENABLE_CAP, &cap)) {
		close(vm_fd);
		return GUEST_FAIL(vm, "KVM_ENABLE_CAP(SPLIT_IRQCHIP)");
	}
	vm->vm_fd = vm_fd;
	return test_vm_create(vm, mem_size);
}

int test_guest_load(struct test_vm *vm, enum test_mode mode,
		    unsigned long at, const void *code, size_t len,
		    unsigned long sp)
{
	struct kvm_regs r;

	if (at + len > vm->mem_size) {
		errno = EINVAL;
		return GUEST_FAIL(vm, "guest code outside guest memory");
	}
	if (test_vm_set_mode(vm, mode, at) ||
	    (mode != TEST_MODE_REAL && test_desc_setup(vm, mode)))
		return -1;
	memcpy(vm->mem + at, code, len);
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return GUEST_FAIL(vm, "KVM_GET_REGS");
	r.rsp = sp;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r))
		return GUEST_FAIL(vm, "KVM_SET_REGS");
	return 0;
}

void test_guest_print_exit(const struct test_vm *vm, const char *what)
{
	const struct kvm_run *r = vm->run;

	switch (r->exit_reason) {
	case KVM_EXIT_IO:
		ksft_print_msg("%s: exit IO, %s port 0x%x size %u count %u\n",
			       what, r->io.direction == KVM_EXIT_IO_OUT ?
			       "out" : "in", r->io.port, r->io.size,
			       r->io.count);
		break;
	case KVM_EXIT_MMIO:
		ksft_print_msg("%s: exit MMIO, %s 0x%llx len %u\n", what,
			       r->mmio.is_write ? "write" : "read",
			       (unsigned long long)r->mmio.phys_addr,
			       r->mmio.len);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		ksft_print_msg("%s: exit internal error %u, ndata %u, data 0x%llx 0x%llx 0x%llx\n",
			       what, r->internal.suberror, r->internal.ndata,
			       (unsigned long long)r->internal.data[0],
			       (unsigned long long)r->internal.data[1],
			       (unsigned long long)r->internal.data[2]);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		ksft_print_msg("%s: exit fail entry, reason 0x%llx\n", what,
			       (unsigned long long)
			       r->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		ksft_print_msg("%s: exit %u\n", what, r->exit_reason);
		break;
	}
}

int test_guest_run_out(struct test_vm *vm, unsigned int port, uint32_t *val,
		       const char *what)
{
	struct kvm_run *run = vm->run;

	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		ksft_print_msg("%s: KVM_RUN: %s\n", what, strerror(errno));
		return -1;
	}
	if (run->exit_reason != KVM_EXIT_IO ||
	    run->io.direction != KVM_EXIT_IO_OUT || run->io.port != port) {
		ksft_print_msg("%s: want OUT 0x%x\n", what, port);
		test_guest_print_exit(vm, what);
		return -1;
	}
	*val = 0;
	memcpy(val, (char *)run + run->io.data_offset, run->io.size);
	return 0;
}

int test_guest_run_hlt(struct test_vm *vm, const char *what)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0) ||
	    vm->run->exit_reason != KVM_EXIT_HLT) {
		ksft_print_msg("%s: want HLT\n", what);
		test_guest_print_exit(vm, what);
		return -1;
	}
	return 0;
}
