/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-side VM setup through the KVM ioctl ABI: works unchanged on
 * /dev/kvm and /dev/lamina, which is the point of the parity suite.
 */
#ifndef LAMINA_TEST_VM_H
#define LAMINA_TEST_VM_H

#include <stddef.h>
#include <linux/kvm.h>

struct test_vm {
	int sys_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	unsigned char *mem;	/* guest physical 0 .. mem_size */
	size_t mem_size;
	char err[160];		/* why the last call failed */
};

/*
 * Short name of a device path for TAP test names: "/dev/kvm" -> "kvm".
 */
const char *test_dev_name(const char *path);

/*
 * Open @dev. Returns 0, or -1 with errno set (ENOENT: the device is
 * missing, which callers turn into a SKIP).
 */
int test_vm_open_dev(struct test_vm *vm, const char *dev);

/*
 * Create a VM (unless vm->vm_fd holds one already) with one memory slot
 * (@mem_size bytes at GPA 0) and one vCPU with its kvm_run mapped.
 * Returns 0, or -1 with vm->err set.
 */
int test_vm_create(struct test_vm *vm, size_t mem_size);

/*
 * Point the vCPU at @rip in 16-bit real mode with flat segments at 0.
 * Returns 0, or -1 with vm->err set.
 */
int test_vm_real_mode(struct test_vm *vm, unsigned long rip);

/* Close every fd and unmap everything; safe on a partly built VM. */
void test_vm_destroy(struct test_vm *vm);

#endif /* LAMINA_TEST_VM_H */
