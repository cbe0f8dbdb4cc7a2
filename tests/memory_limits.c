// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_limits DEVICE: KVM_SET_USER_MEMORY_REGION at the edges of what a
 * VM can hold. Test points "memory-limits-<case>/<dev>":
 *   - the guest-physical limit: a slot's last page may sit just below it,
 *     its first page may not sit at it; 2^48, 2^52 and 0xfffffffff000;
 *   - kvm.ko's check order: an overlap is EEXIST before the limit is
 *     looked at, a deletion ignores guest_phys_addr, userspace_addr must
 *     be user memory (access_ok: EINVAL);
 *   - huge regions (1 TiB, 512 GiB) and regions over unmapped memory: an
 *     answer, quickly. The time of each call is printed (no timed
 *     assertion: the machines are emulated); the rig's dmesg-clean step
 *     checks that none of them reached a WARN.
 *
 * The limit (docs/abi.md): kvm.ko refuses a slot that ends above
 * 2^MAXPHYADDR of the host (CPUID 0x80000008 EAX[7:0]; kvm_mmu_max_gfn()
 * with two-dimensional paging); lamina.ko also caps it at 2^48, the reach
 * of its 4-level EPT/NPT tables. Both pin a slot's pages when the guest
 * first touches them, so huge and unmapped regions are accepted by both.
 */
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define PAGE 0x1000ULL
#define MEM (16 * PAGE)
#define GIB (1ULL << 30)
#define TIB (1ULL << 40)
/* KVM's default MAXPHYADDR when CPUID does not give one. */
#define MAXPHYADDR_DEFAULT 36U
/* lamina.ko's EPT/NPT tables have 4 levels: 4 x 9 + 12 bits of GPA. */
#define LAMINA_GPA_BITS 48U
/* Where the huge regions point: user addresses, checked to be unmapped. */
#define HOLE_BASE (1ULL << 45)
#define HOLE_SIZE (2 * TIB)

static const char *dev;
static int is_lamina;
static uint64_t limit;

static unsigned int host_maxphyaddr(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(0x80000000U, &eax, &ebx, &ecx, &edx) ||
	    eax < 0x80000008U)
		return MAXPHYADDR_DEFAULT;
	__get_cpuid(0x80000008U, &eax, &ebx, &ecx, &edx);
	return eax & 0xffU;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int set_region(int vm_fd, unsigned int slot, uint64_t gpa,
		      uint64_t size, uint64_t uaddr)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa,
		.memory_size = size, .userspace_addr = uaddr,
	};

	return ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) ? errno : 0;
}

/* The same, timed: the time goes to a TAP comment. */
static int set_region_timed(int vm_fd, const char *what, unsigned int slot,
			    uint64_t gpa, uint64_t size, uint64_t uaddr)
{
	double t0 = now();
	int ret = set_region(vm_fd, slot, gpa, size, uaddr);

	ksft_print_msg("%s: answered %s in %.6f s\n", what,
		       ret ? strerror(ret) : "success", now() - t0);
	return ret;
}

static void expect(const char *what, int got, int want)
{
	char name[96];

	snprintf(name, sizeof(name), "memory-limits-%s/%s", what, dev);
	if (got != want)
		ksft_print_msg("%s: got %s, want %s\n", what,
			       got ? strerror(got) : "success",
			       want ? strerror(want) : "success");
	ksft_test_result(got == want, name);
}

/* What the limit rule alone says about [gpa, gpa + size). */
static int fits(uint64_t gpa, uint64_t size)
{
	return gpa <= limit && size <= limit - gpa;
}

static int want_fit(uint64_t gpa, uint64_t size)
{
	return fits(gpa, size) ? 0 : EINVAL;
}

/* Accepted slots are deleted again, so that each case starts clean. */
static void expect_and_delete(int vm_fd, const char *what, unsigned int slot,
			      uint64_t gpa, int got, int want)
{
	expect(what, got, want);
	if (!got && set_region(vm_fd, slot, gpa, 0, 0))
		ksft_print_msg("%s: delete failed: %s\n", what, strerror(errno));
}

/* Is [HOLE_BASE, + HOLE_SIZE) free? Reserve it to see, then give it back. */
static int hole_is_unmapped(void)
{
	void *p = mmap((void *)HOLE_BASE, HOLE_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		       MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, HOLE_SIZE);
	return p == (void *)HOLE_BASE;
}

/* Slots at and past the guest-physical limit, and kvm.ko's check order. */
static void edge_cases(int vm_fd, unsigned char *mem)
{
	uint64_t host = (uint64_t)(uintptr_t)(mem + 8 * PAGE);
	uint64_t a48 = 1ULL << 48, a52 = 1ULL << 52;
	uint64_t top48 = 0xfffffffff000ULL;
	int r;

	r = set_region(vm_fd, 1, limit - PAGE, PAGE, host);
	expect_and_delete(vm_fd, "last-page-below-limit", 1, limit - PAGE, r, 0);
	expect("first-page-at-limit", set_region(vm_fd, 1, limit, PAGE, host),
	       EINVAL);
	expect("across-limit", set_region(vm_fd, 1, limit - PAGE, 2 * PAGE, host),
	       EINVAL);
	r = set_region(vm_fd, 1, a48, PAGE, host);
	expect_and_delete(vm_fd, "gpa-2^48", 1, a48, r, want_fit(a48, PAGE));
	r = set_region(vm_fd, 1, a52, PAGE, host);
	expect_and_delete(vm_fd, "gpa-2^52", 1, a52, r, want_fit(a52, PAGE));
	r = set_region(vm_fd, 1, top48, PAGE, host);
	expect_and_delete(vm_fd, "gpa-0xfffffffff000", 1, top48, r,
			  want_fit(top48, PAGE));

	/* kvm.ko: the overlap (EEXIST) is found before the limit (EINVAL). */
	expect("overlap-before-limit",
	       set_region(vm_fd, 1, 0, 2 * TIB, HOLE_BASE), EEXIST);
	/* A deletion names the slot; its guest_phys_addr is not checked. */
	r = set_region(vm_fd, 2, 0x300000, PAGE, host);
	if (!r)
		r = set_region(vm_fd, 2, 1ULL << 60, 0, host);
	expect("delete-ignores-gpa", r, 0);
	/* access_ok(): the range must be user memory. */
	expect("uaddr-kernel",
	       set_region(vm_fd, 1, 0x100000, PAGE, 0xffff888000000000ULL),
	       EINVAL);
	expect("uaddr-past-user",
	       set_region(vm_fd, 1, 0x100000, 2 * PAGE, 0x7ffffffff000ULL),
	       EINVAL);
}

/*
 * Regions over memory that is not there. Both kvm.ko and lamina.ko record
 * the slot and pin its pages when the guest first touches them (lamina
 * since lazy mapping; it used to pin at once and refuse these), so every
 * one is accepted, quickly, whatever its size.
 */
static void huge_cases(int vm_fd, unsigned char *mem)
{
	uint64_t host = (uint64_t)(uintptr_t)mem;
	int r;

	r = set_region_timed(vm_fd, "huge-1tib", 0, 0, TIB, HOLE_BASE);
	expect_and_delete(vm_fd, "huge-1tib", 0, 0, r,
			  fits(0, TIB) ? 0 : EINVAL);
	r = set_region_timed(vm_fd, "huge-512gib", 0, 0, 512 * GIB, HOLE_BASE);
	expect_and_delete(vm_fd, "huge-512gib", 0, 0, r,
			  fits(0, 512 * GIB) ? 0 : EINVAL);
	r = set_region_timed(vm_fd, "unmapped-1gib", 0, 0, GIB, HOLE_BASE);
	expect_and_delete(vm_fd, "unmapped-1gib", 0, 0, r, 0);

	/* Half mapped: nothing is pinned yet, so nothing to refuse. */
	munmap(mem + 8 * PAGE, 8 * PAGE);
	r = set_region_timed(vm_fd, "half-mapped", 0, 0, MEM, host);
	expect_and_delete(vm_fd, "half-mapped", 0, 0, r, 0);
	/* ...and the slot is free again for the part that is there. */
	r = set_region(vm_fd, 0, 0, 8 * PAGE, host);
	expect_and_delete(vm_fd, "mapped-part-after-efault", 0, 0, r, 0);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	unsigned int bits = host_maxphyaddr();
	unsigned char *mem;
	struct test_vm vm;
	int vm_fd, vm2_fd;

	dev = test_dev_name(path);
	is_lamina = strcmp(dev, "lamina") == 0;
	ksft_print_header();
	if (test_vm_open_dev(&vm, path)) {
		if (errno == ENOENT)
			ksft_exit_skip(vm.err);
		ksft_print_msg("%s\n", vm.err);
	}
	if (is_lamina && bits > LAMINA_GPA_BITS)
		bits = LAMINA_GPA_BITS;
	limit = 1ULL << bits;
	ksft_print_msg("host MAXPHYADDR %u, guest-physical limit on %s: 2^%u\n",
		       host_maxphyaddr(), dev, bits);
	if (!hole_is_unmapped())
		ksft_exit_skip("no unmapped user range at 2^45 for the huge regions");
	ksft_set_plan(15);

	vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
	vm2_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
	mem = mmap(NULL, MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm_fd < 0 || vm2_fd < 0 || mem == MAP_FAILED)
		ksft_print_msg("setup failed: %s\n", strerror(errno));
	if (set_region(vm_fd, 0, 0, 8 * PAGE, (uint64_t)(uintptr_t)mem))
		ksft_print_msg("slot 0: %s\n", strerror(errno));

	edge_cases(vm_fd, mem);
	huge_cases(vm2_fd, mem);

	close(vm2_fd);
	close(vm_fd);
	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
