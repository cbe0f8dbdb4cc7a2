// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_region DEVICE: KVM_SET_USER_MEMORY_REGION's rules, same answers
 * on /dev/kvm and /dev/lamina: add, move, delete, read-only, and every
 * malformed region rejected with KVM's errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define PAGE 0x1000UL
#define MEM (16 * PAGE)

static int vm_fd;
static unsigned char *mem;
static const char *dev;

static int set_region(unsigned int slot, unsigned int flags, unsigned long gpa,
		      unsigned long size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = (unsigned long)host,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? errno : 0;
}

static void expect(const char *what, int got, int want)
{
	char name[96];

	snprintf(name, sizeof(name), "memregion-%s/%s", what, dev);
	if (got != want)
		ksft_print_msg("%s: got %s, want %s\n", what,
			       got ? strerror(got) : "success",
			       want ? strerror(want) : "success");
	ksft_test_result(got == want, name);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	struct test_vm vm;
	int r;

	dev = test_dev_name(path);
	ksft_print_header();
	if (test_vm_open_dev(&vm, path)) {
		if (errno == ENOENT)
			ksft_exit_skip(vm.err);
		ksft_print_msg("%s\n", vm.err);
	}
	ksft_set_plan(14);
	vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
	mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm_fd < 0 || mem == MAP_FAILED)
		ksft_print_msg("setup failed: %s\n", strerror(errno));

	expect("add", set_region(0, 0, 0, 8 * PAGE, mem), 0);
	expect("overlap", set_region(1, 0, 4 * PAGE, 8 * PAGE, mem + 8 * PAGE), EEXIST);
	expect("gpa-misaligned", set_region(1, 0, 0x100800, PAGE, mem + 8 * PAGE), EINVAL);
	expect("size-misaligned", set_region(1, 0, 0x100000, PAGE + 8, mem + 8 * PAGE), EINVAL);
	expect("hva-misaligned", set_region(1, 0, 0x100000, PAGE, mem + 8 * PAGE + 16), EINVAL);
	expect("unknown-flag", set_region(1, 1U << 7, 0x100000, PAGE, mem + 8 * PAGE), EINVAL);
	expect("gpa-wraps", set_region(1, 0, ~0UL & ~(PAGE - 1), 2 * PAGE, mem + 8 * PAGE), EINVAL);
	expect("add-readonly", set_region(1, KVM_MEM_READONLY, 0x100000, 4 * PAGE, mem + 8 * PAGE), 0);
	expect("change-readonly", set_region(1, 0, 0x100000, 4 * PAGE, mem + 8 * PAGE), EINVAL);
	expect("change-size", set_region(1, KVM_MEM_READONLY, 0x100000, 2 * PAGE, mem + 8 * PAGE), EINVAL);
	expect("move", set_region(1, KVM_MEM_READONLY, 0x200000, 4 * PAGE, mem + 8 * PAGE), 0);
	expect("delete", set_region(1, KVM_MEM_READONLY, 0x200000, 0, mem + 8 * PAGE), 0);
	expect("delete-again", set_region(1, KVM_MEM_READONLY, 0x200000, 0, mem + 8 * PAGE), EINVAL);

	/* A bad pointer is -EFAULT, never a crash. */
	r = ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, (void *)8) ? errno : 0;
	expect("bad-pointer", r, EFAULT);

	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
