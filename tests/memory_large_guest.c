// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_large_guest DEVICE: a guest larger than the machine it runs in.
 * Test points "memory-large-guest-<case>/<dev>":
 *   - slot-16gib: KVM_SET_USER_MEMORY_REGION of a 16 GiB slot over
 *     MAP_NORESERVE anonymous memory (at GPA 4 GiB) is accepted quickly
 *     (kvm.ko and lamina.ko pin a page when the guest first touches it;
 *     the time is printed next to those of 256 MiB, 2 GiB and 64 GiB
 *     slots, no timed assertion: the machines are emulated);
 *   - touch-spread: a 64-bit guest writes a value into pages spread over
 *     the whole 16 GiB, reads them all back and reports the mismatches
 *     (none), and userspace sees every value through its own mapping;
 *   - every-2mib: one page in each 2 MiB of the 16 GiB: 8192 leaf tables,
 *     which both map (lamina.ko's page-table pool grows: with the fixed
 *     1024-page pool it had before, KVM_RUN failed with ENOMEM here);
 *   - spread-64gib: a 64 GiB guest (slot at GPA 4 GiB, the machine has
 *     1 GiB) touches one page per 32 MiB of it, 2048 pages, 2048 leaf
 *     tables: written, read back, seen by userspace (SKIP when the host's
 *     MAXPHYADDR cannot address 68 GiB);
 *   - over-limit: a guest that touches more memory than the machine has
 *     (2 GiB densely, the QEMU machine has 1 GiB) does not complete: its
 *     VMM gets an error from KVM_RUN, and the machine and the rest of the
 *     suite go on;
 *   - over-limit-tables: the same with a guest whose second-level page
 *     tables cost as much as its pages (one page per 2 MiB of 64 GiB).
 *
 * over-limit(-tables) runs in a child process placed in a memory cgroup (v1,
 * limit OVER_CG_LIMIT, OOM killer off: see cg_setup()): the pages a
 * hypervisor pins for the guest are charged there, so the pin past the
 * limit fails and KVM_RUN returns an error (kvm.ko and lamina.ko: EFAULT);
 * nothing outside the child is touched, nothing is killed.
 * setrlimit() cannot do this (RLIMIT_AS counts the 16 GiB reservation,
 * not what is touched; RLIMIT_RSS is not enforced). Without a memory
 * cgroup the point is a SKIP, never a run that could take the machine.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/guest.h"
#include "lib/ksft.h"
#include "lib/vm.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)
#define MEM_SIZE 0x80000UL	/* slot 0: tables, code, stack, our PDs */
#define CODE_ADDR 0x10000UL
#define STACK_TOP 0x18000UL
#define PD_BASE 0x20000UL	/* HUGE_GIB page directories: GPA 4.. GiB */
#define BIG_GPA (4 * GIB)
#define BIG_SIZE (16 * GIB)
#define HUGE_GIB 64
#define HUGE_SIZE (HUGE_GIB * GIB)
#define MID_SIZE (2 * GIB)
#define SMALL_SIZE (256 * MIB)
#define SPREAD_PAGES 512ULL	/* one per 32 MiB of 16 GiB */
#define HUGE_PAGES 2048ULL	/* one per 32 MiB of 64 GiB */
#define OVER_SIZE (2 * GIB)	/* more than the QEMU machine's 1 GiB */
#define OVER_CG_LIMIT (64 * MIB)
#define MAGIC 0x5a5a1234c3c3ULL
#define PORT_DONE 0xe0
#define CG_DIR "/tmp/lamina-lg-cg"
#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * RSI base, RCX pages, RDX stride, R9 magic: write addr ^ magic into the
 * first quadword of each page, read them back, OUT the mismatch count.
 */
asm(".pushsection .rodata\n"
    ".code64\n"
    "lg_start:\n"
    "	mov %rsi, %rdi\n"
    "	mov %rcx, %r8\n"
    "1:	mov %rdi, %rax\n"
    "	xor %r9, %rax\n"
    "	mov %rax, (%rdi)\n"
    "	add %rdx, %rdi\n"
    "	dec %r8\n"
    "	jnz 1b\n"
    "	mov %rsi, %rdi\n"
    "	mov %rcx, %r8\n"
    "	xor %ebx, %ebx\n"
    "2:	mov %rdi, %rax\n"
    "	xor %r9, %rax\n"
    "	cmp %rax, (%rdi)\n"
    "	je 3f\n"
    "	inc %ebx\n"
    "3:	add %rdx, %rdi\n"
    "	dec %r8\n"
    "	jnz 2b\n"
    "	mov %ebx, %eax\n"
    "	out %eax, $" STR(PORT_DONE) "\n"
    "	hlt\n"
    "lg_end:\n"
    ".popsection\n");

extern const unsigned char lg_start[], lg_end[];

static const char *dev;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * No transparent huge pages: with them each page the guest touches costs
 * the 2 MiB around it (512 touches spread over 16 GiB took the QEMU
 * machine's whole 1 GiB).
 */
static void *reserve(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, size, MADV_NOHUGEPAGE);
	return p;
}

static int set_region(int vm_fd, uint32_t slot, uint64_t gpa, uint64_t size,
		      void *host, double *ms)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};
	double t0 = now_ms();
	int ret = ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r);

	if (ms)
		*ms = now_ms() - t0;
	return ret ? errno : 0;
}

/*
 * Map guest-linear [4 GiB, 4 + HUGE_GIB GiB) to the same GPAs with 2 MiB
 * pages: PDPT entries 4.. of the mode's tables, one page directory per
 * GiB at PD_BASE.
 */
static int map_high(struct test_vm *vm)
{
	struct kvm_sregs s;
	uint64_t *pml4, *pdpt, *pd;
	unsigned int i, j;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	pml4 = (uint64_t *)(vm->mem + (s.cr3 & ~0xfffULL));
	pdpt = (uint64_t *)(vm->mem + (pml4[0] & 0xffffffffff000ULL));
	for (i = 0; i < HUGE_GIB; i++) {
		pd = (uint64_t *)(vm->mem + PD_BASE + i * 0x1000UL);
		for (j = 0; j < 512; j++)
			pd[j] = (BIG_GPA + i * GIB + j * 2 * MIB) | 0x83;
		pdpt[4 + i] = (PD_BASE + i * 0x1000UL) | 0x3;
	}
	return 0;
}

/* A long-mode guest with slot 1 = @size bytes of @host at BIG_GPA. */
static int guest_setup(struct test_vm *vm, const char *path, void *host,
		       uint64_t size, uint64_t pages, uint64_t stride)
{
	struct kvm_regs r;
	int err;

	memset(vm, 0, sizeof(*vm));
	if (test_guest_create(vm, path, MEM_SIZE, 0) ||
	    test_guest_load(vm, TEST_MODE_LONG, CODE_ADDR, lg_start,
			    lg_end - lg_start, STACK_TOP) ||
	    map_high(vm)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	err = set_region(vm->vm_fd, 1, BIG_GPA, size, host, NULL);
	if (err) {
		ksft_print_msg("slot 1 (%llu MiB): %s\n",
			       (unsigned long long)(size / MIB), strerror(err));
		return -1;
	}
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return -1;
	r.rsi = BIG_GPA;
	r.rcx = pages;
	r.rdx = stride;
	r.r9 = MAGIC;
	return ioctl(vm->vcpu_fd, KVM_SET_REGS, &r);
}

/* Slot setup times of 256 MiB, 2 GiB, 16 GiB and 64 GiB slots; all accepted. */
static int slot_test(const char *path, int huge_ok)
{
	static const struct {
		uint64_t gpa, size;
		const char *name;
	} sl[] = {
		{ 0, SMALL_SIZE, "256 MiB" },
		{ GIB, MID_SIZE, "2 GiB" },
		{ BIG_GPA, BIG_SIZE, "16 GiB" },
		{ 32 * GIB, HUGE_SIZE, "64 GiB" },
	};
	unsigned int n = huge_ok ? 4 : 3, i;
	void *mem[4] = { NULL };
	double t[4] = { 0 };
	int err[4] = { -1, -1, -1, -1 }, ok = 1, vm_fd;
	struct test_vm vm;

	memset(&vm, 0, sizeof(vm));
	if (test_vm_open_dev(&vm, path))
		return 0;
	vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
	for (i = 0; i < n && vm_fd >= 0; i++) {
		mem[i] = reserve(sl[i].size);
		if (mem[i])
			err[i] = set_region(vm_fd, i, sl[i].gpa, sl[i].size,
					    mem[i], &t[i]);
		ksft_print_msg("%s: slot setup %s %.2f ms (%s)\n", dev,
			       sl[i].name, t[i], strerror(err[i]));
		ok = ok && err[i] == 0;
	}
	if (vm_fd < 0)
		ok = 0;
	else
		close(vm_fd);
	test_vm_destroy(&vm);
	for (i = 0; i < n; i++)
		if (mem[i])
			munmap(mem[i], sl[i].size);
	return ok;
}

/* @pages pages spread over a @size slot: written, read back, all equal. */
static int spread_test(const char *path, uint64_t size, uint64_t pages,
		       const char *what)
{
	uint64_t stride = size / pages, i, bad = 0;
	unsigned char *big = reserve(size);
	struct test_vm vm;
	uint32_t val = ~0U;
	double t0;
	int ok = 0;

	if (!big)
		return 0;
	t0 = now_ms();
	if (guest_setup(&vm, path, big, size, pages, stride) == 0 &&
	    test_guest_run_out(&vm, PORT_DONE, &val, what) == 0) {
		for (i = 0; i < pages; i++)
			if (*(uint64_t *)(big + i * stride) !=
			    ((BIG_GPA + i * stride) ^ MAGIC))
				bad++;
		ksft_print_msg("%s: %s: %llu pages over %llu GiB in %.0f ms; guest mismatches %u, host mismatches %llu\n",
			       dev, what, (unsigned long long)pages,
			       (unsigned long long)(size / GIB), now_ms() - t0,
			       val, (unsigned long long)bad);
		ok = val == 0 && bad == 0;
	}
	test_vm_destroy(&vm);
	munmap(big, size);
	return ok;
}

/*
 * One page in every 2 MiB of the 16 GiB: 8192 leaf tables, 32 MiB of
 * page-table pages (lamina.ko's pool grows to 16384 pages), mapped by
 * both devices.
 */
static int every_2mib_test(const char *path)
{
	return spread_test(path, BIG_SIZE, BIG_SIZE / (2 * MIB), "every-2mib");
}

/*
 * Whether the host can address the 64 GiB slot at GPA 4 GiB: the slot
 * limit of both devices is 2^MAXPHYADDR (CPUID 0x80000008 EAX[7:0]).
 */
static int huge_fits(void)
{
	unsigned int eax, ebx, ecx, edx;

	if (!__get_cpuid(0x80000008, &eax, &ebx, &ecx, &edx))
		return 0;
	return (1ULL << (eax & 0xff)) >= BIG_GPA + HUGE_SIZE;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * A memory cgroup (v1) with OVER_CG_LIMIT and its OOM killer off: 0, or -1
 * when there is none. v1, not v2, for memory.oom_control: with the killer
 * off a charge that a pin (get_user_pages, not a user fault) makes past
 * the limit fails with -ENOMEM, which the hypervisor turns into an error
 * from KVM_RUN; with it on (v2 has no off), the kill writes a stack trace
 * to the kernel log, which the rig counts as a kernel fault.
 */
static int cg_setup(void)
{
	char buf[32];

	mkdir(CG_DIR, 0755);
	if (mount("none", CG_DIR, "cgroup", 0, "memory"))
		return -1;
	mkdir(CG_DIR "/over", 0755);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)OVER_CG_LIMIT);
	if (write_file(CG_DIR "/over/memory.limit_in_bytes", buf) ||
	    write_file(CG_DIR "/over/memory.oom_control", "1"))
		return -1;
	return 0;
}

static void cg_teardown(void)
{
	/* The child is gone: what it pinned went with it. */
	rmdir(CG_DIR "/over");
	umount(CG_DIR);
	rmdir(CG_DIR);
}

/* What a guest in the limited cgroup touches: a slot, how many pages, how far apart. */
struct over_case {
	const char *name;
	uint64_t size, pages, stride;
};

/*
 * The child: its own cgroup, a guest touching @c's pages. Exits
 * 100 + errno when KVM_RUN fails (the answer wanted), 1 when the guest got
 * to its end, 3 when setup failed. Nothing that could need a new page runs
 * after KVM_RUN: at the cgroup's limit, a fault of the child's own would
 * wait for memory that only its exit gives back (the OOM killer is off).
 * alarm() ends it should it wait anyway (a fatal signal wakes it).
 */
static int over_child(const char *path, const struct over_case *c)
{
	unsigned char *big = reserve(c->size);
	struct test_vm vm;
	char pid[16];
	int ret;

	alarm(300);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (!big || write_file(CG_DIR "/over/cgroup.procs", pid))
		return 3;
	if (guest_setup(&vm, path, big, c->size, c->pages, c->stride))
		return 3;
	errno = 0;
	ret = ioctl(vm.vcpu_fd, KVM_RUN, 0);
	return ret < 0 ? 100 + errno : 1;
}

static int over_test(const char *path, const struct over_case *c)
{
	int status, code;
	pid_t pid;

	if (cg_setup()) {
		cg_teardown();
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(over_child(path, c));
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		cg_teardown();
		return 0;
	}
	cg_teardown();
	if (WIFSIGNALED(status)) {
		ksft_print_msg("%s: %s: child killed by signal %d\n",
			       dev, c->name, WTERMSIG(status));
		return 0;
	}
	code = WEXITSTATUS(status);
	if (code >= 100)
		ksft_print_msg("%s: %s: KVM_RUN: %s\n", dev, c->name,
			       strerror(code - 100));
	else
		ksft_print_msg("%s: %s: child exit %d (%s)\n", dev, c->name,
			       code, code == 1 ? "the guest touched it all" :
			       "setup failed");
	return code == 100 + EFAULT || code == 100 + ENOMEM;
}

/*
 * over-limit: 2 GiB touched densely, past the cgroup's limit with the pins
 * alone. over-limit-tables: one page per 2 MiB of the 64 GiB guest, where
 * the second-level table pages (one per page touched, charged to the
 * cgroup like the pins) are half of what the guest costs: whichever of the
 * two hits the limit first, KVM_RUN fails with EFAULT (a pin) or ENOMEM
 * (a table page), nothing is killed, nothing WARNs.
 */
static const struct over_case over_dense = {
	"over-limit", BIG_SIZE, OVER_SIZE / 4096, 4096,
};
static const struct over_case over_tables = {
	"over-limit-tables", HUGE_SIZE, HUGE_SIZE / (2 * MIB), 2 * MIB,
};

static void over_point(const char *path, const struct over_case *c, int can)
{
	char name[128];
	int over = can ? over_test(path, c) : -1;

	snprintf(name, sizeof(name), "memory-large-guest-%s/%s", c->name, dev);
	if (over < 0)
		ksft_test_result_skip(name, can ? "no memory cgroup" :
				      "MAXPHYADDR below 37: no 68 GiB of GPA");
	else
		ksft_test_result(over, name);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	struct test_vm vm;

	dev = test_dev_name(path);
	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(6);
	alarm(500);

	ksft_result_dev(slot_test(path, huge_fits()),
			"memory-large-guest-slot-16gib", dev);
	ksft_result_dev(spread_test(path, BIG_SIZE, SPREAD_PAGES,
				    "touch-spread"),
			"memory-large-guest-touch-spread", dev);
	ksft_result_dev(every_2mib_test(path), "memory-large-guest-every-2mib",
			dev);
	if (huge_fits()) {
		ksft_result_dev(spread_test(path, HUGE_SIZE, HUGE_PAGES,
					    "spread-64gib"),
				"memory-large-guest-spread-64gib", dev);
	} else {
		char name[128];

		snprintf(name, sizeof(name), "memory-large-guest-spread-64gib/%s",
			 dev);
		ksft_test_result_skip(name, "MAXPHYADDR below 37: no 68 GiB of GPA");
	}
	over_point(path, &over_dense, 1);
	over_point(path, &over_tables, huge_fits());
	ksft_finished();
	return KSFT_FAIL;
}
