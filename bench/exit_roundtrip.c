// SPDX-License-Identifier: GPL-2.0-only
/*
 * exit_roundtrip DEVICE [PIO_ROUNDS [CPUID_ROUNDS]]: the cost of one exit.
 *
 * Not a test: no thresholds, no TAP. Prints one line per measurement,
 *   BENCH <kind> <dev> <rounds> <total ns> <ns per round trip>
 * which scripts/bench.sh collects (docs/bench.md says what they mean).
 *  - pio: a real-mode guest loops on OUT; each KVM_RUN returns with the
 *    I/O exit and the host re-enters at once: a full round trip through
 *    userspace, timed around PIO_ROUNDS KVM_RUN calls.
 *  - cpuid: the guest executes CPUID CPUID_ROUNDS times, each handled in
 *    the kernel without leaving KVM_RUN, then one OUT: timed around that
 *    single KVM_RUN.
 * Time is CLOCK_MONOTONIC of the machine the program runs in.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "lib/vm.h"

#define MEM_SIZE 0x10000UL
#define PIO_RIP 0x1000UL
#define CPUID_RIP 0x2000UL
#define PORT 0x10
#define NENT_MAX 256

static const unsigned char pio_code[] = {
	0xe6, PORT,		/* 0: out 0x10, al */
	0xeb, 0xfc,		/* 2: jmp 0        */
};

/* mov esi, N is patched in at offset 2. */
static const unsigned char cpuid_code[] = {
	0x66, 0xbe, 0, 0, 0, 0,	/*  0: mov  esi, N              */
	0x66, 0x31, 0xc0,	/*  6: xor  eax, eax   ; loop:  */
	0x0f, 0xa2,		/*  9: cpuid                    */
	0x66, 0x4e,		/* 11: dec  esi                 */
	0x75, 0xf7,		/* 13: jnz  loop (6 - 15 = -9)  */
	0xe6, PORT,		/* 15: out  0x10, al            */
	0xf4,			/* 17: hlt                      */
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void report(const char *kind, const char *dev, unsigned long rounds,
		   unsigned long long ns)
{
	printf("BENCH %s %s %lu %llu %llu\n", kind, dev, rounds, ns,
	       rounds ? ns / rounds : 0);
	fflush(stdout);
}

static int run_io(struct test_vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		fprintf(stderr, "KVM_RUN: %s\n", strerror(errno));
		return -1;
	}
	if (vm->run->exit_reason != KVM_EXIT_IO) {
		fprintf(stderr, "exit reason %u, want KVM_EXIT_IO\n",
			vm->run->exit_reason);
		return -1;
	}
	return 0;
}

static int set_rip(struct test_vm *vm, unsigned long rip)
{
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rip = rip;
	regs.rflags = 2;
	return ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs);
}

/* The guest's CPUID table: what the device supports, as a VMM would do. */
static int set_cpuid(struct test_vm *vm)
{
	struct kvm_cpuid2 *c;
	int r;

	c = calloc(1, sizeof(*c) + NENT_MAX * sizeof(c->entries[0]));
	if (!c)
		return -1;
	c->nent = NENT_MAX;
	r = ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c);
	if (!r)
		r = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c);
	free(c);
	return r;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	unsigned long pio_rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 10000;
	unsigned long cpuid_rounds = argc > 3 ? strtoul(argv[3], NULL, 0) :
						100000;
	const char *dev = test_dev_name(path);
	unsigned long long t0;
	struct test_vm vm;
	unsigned int n32 = cpuid_rounds;
	unsigned long i;
	unsigned char code[sizeof(cpuid_code)];

	if (!pio_rounds || !cpuid_rounds || cpuid_rounds > 0xffffffffUL) {
		fprintf(stderr, "rounds must be 1 .. 2^32-1\n");
		return 2;
	}
	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, PIO_RIP) || set_cpuid(&vm)) {
		fprintf(stderr, "setup: %s\n", vm.err[0] ? vm.err : "CPUID");
		return 1;
	}
	memcpy(vm.mem + PIO_RIP, pio_code, sizeof(pio_code));
	memcpy(code, cpuid_code, sizeof(code));
	memcpy(code + 2, &n32, 4);
	memcpy(vm.mem + CPUID_RIP, code, sizeof(code));

	/* One round first: faults in the pages, warms the caches. */
	if (run_io(&vm))
		return 1;
	t0 = now_ns();
	for (i = 0; i < pio_rounds; i++)
		if (run_io(&vm))
			return 1;
	report("pio", dev, pio_rounds, now_ns() - t0);

	if (set_rip(&vm, CPUID_RIP))
		return 1;
	t0 = now_ns();
	if (run_io(&vm))
		return 1;
	report("cpuid", dev, cpuid_rounds, now_ns() - t0);
	test_vm_destroy(&vm);
	return 0;
}
