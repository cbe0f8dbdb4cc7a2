// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vm.h"

#define VM_FAIL(vm, what) \
	(snprintf((vm)->err, sizeof((vm)->err), "%s: %s", what, \
		  strerror(errno)), -1)

const char *test_dev_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int test_vm_open_dev(struct test_vm *vm, const char *dev)
{
	memset(vm, 0, sizeof(*vm));
	vm->sys_fd = vm->vm_fd = vm->vcpu_fd = -1;
	vm->run = MAP_FAILED;
	vm->mem = MAP_FAILED;
	vm->sys_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (vm->sys_fd < 0)
		return VM_FAIL(vm, dev);
	return 0;
}

int test_vm_create(struct test_vm *vm, size_t mem_size)
{
	struct kvm_userspace_memory_region region;
	int size;

	/* A caller may have created the VM to set it up before its vCPU. */
	if (vm->vm_fd < 0)
		vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return VM_FAIL(vm, "KVM_CREATE_VM");

	vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		return VM_FAIL(vm, "mmap guest memory");
	vm->mem_size = mem_size;

	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = mem_size;
	region.userspace_addr = (unsigned long)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return VM_FAIL(vm, "KVM_SET_USER_MEMORY_REGION");

	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		return VM_FAIL(vm, "KVM_CREATE_VCPU");

	size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return VM_FAIL(vm, "KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		return VM_FAIL(vm, "mmap kvm_run");
	vm->run_size = size;
	return 0;
}

int test_vm_real_mode(struct test_vm *vm, unsigned long rip)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs))
		return VM_FAIL(vm, "KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs))
		return VM_FAIL(vm, "KVM_SET_SREGS");

	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 0x2;	/* bit 1 is reserved and must be set */
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs))
		return VM_FAIL(vm, "KVM_SET_REGS");
	return 0;
}

void test_vm_destroy(struct test_vm *vm)
{
	if (vm->run != MAP_FAILED)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
	if (vm->sys_fd >= 0)
		close(vm->sys_fd);
	vm->run = MAP_FAILED;
	vm->mem = MAP_FAILED;
	vm->sys_fd = vm->vm_fd = vm->vcpu_fd = -1;
}
