// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpuid DEVICE: the CPUID ioctls and what a guest's CPUID returns.
 *  - KVM_GET_SUPPORTED_CPUID: nent 1 is too small (E2BIG, nent left as
 *    given, as Linux 6.1's KVM does); a big enough array comes back with
 *    nent set and leaves 0 and 1 in it.
 *  - KVM_SET_CPUID2 with nent 257 (> KVM_MAX_CPUID_ENTRIES) is E2BIG.
 *  - A real-mode guest executes CPUID and OUTs EAX, EBX, ECX, EDX: it
 *    sees the table set with KVM_SET_CPUID2, indexed leaf 7 by subleaf,
 *    an unindexed leaf whatever ECX holds, a missing subleaf as zeros, and
 *    a leaf above the maximum as the highest basic leaf (kvm_cpuid()'s
 *    rule for a non-AMD vendor).
 *  - KVM_GET_CPUID2 gives the table back (nent unchecked: see below).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define GUEST_RIP 0x1000UL
#define MEM_SIZE 0x10000UL
#define PORT 0x10
#define NENT_MAX 256
#define PLAN 14

/* Stop here: the plan is not met, so the program fails. */
#define bail(...) do { ksft_print_msg(__VA_ARGS__); ksft_finished(); } while (0)

static const unsigned char guest_code[] = {
	0x0f, 0xa2,			/* cpuid              */
	0x66, 0xe7, PORT,		/* out  0x10, eax     */
	0x66, 0x89, 0xd8,		/* mov  eax, ebx      */
	0x66, 0xe7, PORT,		/* out  0x10, eax     */
	0x66, 0x89, 0xc8,		/* mov  eax, ecx      */
	0x66, 0xe7, PORT,		/* out  0x10, eax     */
	0x66, 0x89, 0xd0,		/* mov  eax, edx      */
	0x66, 0xe7, PORT,		/* out  0x10, eax     */
	0xf4,				/* hlt                */
};

/*
 * The table: values avoid the bits KVM rewrites at run time (CPUID.1
 * OSXSAVE/APIC, CPUID.7.0:ECX OSPKE, leaf 0xd sizes), so both devices
 * must return exactly these.
 */
static const struct kvm_cpuid_entry2 table[] = {
	{ .function = 0, .eax = 7, .ebx = 0x11111111, .ecx = 0x22222222,
	  .edx = 0x33333333 },
	{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .eax = 1, .ebx = 0x44444444, .ecx = 0x55555545, .edx = 0x66666666 },
	{ .function = 7, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .eax = 0x77777777, .ebx = 0x88888888, .ecx = 0x99999999,
	  .edx = 0xaaaaaaaa },
	{ .function = 0x80000000, .eax = 0x80000001, .ebx = 0xbbbbbbbb,
	  .ecx = 0xcccccccc, .edx = 0xdddddddd },
};

struct query {
	const char *name;
	unsigned int function, index;
	int entry;		/* index in table[], or -1: all zeros */
};

static const struct query queries[] = {
	{ "leaf-0", 0, 0, 0 },
	{ "unindexed-leaf-ignores-ecx", 0, 5, 0 },
	{ "leaf-7.0", 7, 0, 1 },
	{ "leaf-7.1", 7, 1, 2 },
	{ "leaf-7.2-missing-is-zero", 7, 2, -1 },
	{ "leaf-0x80000000", 0x80000000, 0, 3 },
	{ "leaf-above-max-reads-max-basic", 0x20, 1, 2 },
	{ "ext-leaf-above-max-reads-max-basic", 0x80000005, 0, 1 },
};

static struct kvm_cpuid2 *cpuid_alloc(unsigned int nent)
{
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));
	if (c)
		c->nent = nent;
	return c;
}

static void supported(struct test_vm *vm, const char *dev)
{
	struct kvm_cpuid2 *c = cpuid_alloc(NENT_MAX);
	int r, err, has0 = 0, has1 = 0;
	unsigned int i;

	if (!c)
		bail("calloc\n");
	c->nent = 1;
	r = ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c);
	err = errno;
	ksft_print_msg("GET_SUPPORTED_CPUID nent 1: %d (%s), nent now %u\n",
		       r, r ? strerror(err) : "ok", c->nent);
	ksft_result_dev(r == -1 && err == E2BIG && c->nent == 1,
	       "supported-cpuid-too-small-e2big", dev);

	c->nent = NENT_MAX;
	r = ioctl(vm->sys_fd, KVM_GET_SUPPORTED_CPUID, c);
	for (i = 0; !r && i < c->nent; i++) {
		has0 |= c->entries[i].function == 0;
		has1 |= c->entries[i].function == 1;
	}
	ksft_print_msg("GET_SUPPORTED_CPUID nent %d: %d, %u entries\n",
		       NENT_MAX, r, c->nent);
	ksft_result_dev(r == 0 && c->nent > 1 && c->nent < NENT_MAX && has0 && has1,
	       "supported-cpuid", dev);
	free(c);
}

static void set_too_big(struct test_vm *vm, const char *dev)
{
	struct kvm_cpuid2 *c = cpuid_alloc(NENT_MAX + 1);
	int r, err;

	if (!c)
		bail("calloc\n");
	r = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c);
	err = errno;
	ksft_result_dev(r == -1 && err == E2BIG, "set-cpuid2-nent-257-e2big", dev);
	free(c);
}

/* Run the guest once for @q; 0 with out[4], or -1. */
static int guest_cpuid(struct test_vm *vm, const struct query *q,
		       unsigned int out[4])
{
	struct kvm_regs regs;
	int n = 0, exits;

	memset(&regs, 0, sizeof(regs));
	regs.rax = q->function;
	regs.rcx = q->index;
	regs.rip = GUEST_RIP;
	regs.rflags = 2;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs))
		return -1;
	for (exits = 0; exits < 8; exits++) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			ksft_print_msg("KVM_RUN: %s\n", strerror(errno));
			return -1;
		}
		if (vm->run->exit_reason == KVM_EXIT_HLT)
			return n == 4 ? 0 : -1;
		if (vm->run->exit_reason != KVM_EXIT_IO ||
		    vm->run->io.port != PORT || vm->run->io.size != 4 ||
		    n >= 4) {
			ksft_print_msg("unexpected exit %u\n",
				       vm->run->exit_reason);
			return -1;
		}
		memcpy(&out[n++], (char *)vm->run + vm->run->io.data_offset, 4);
	}
	return -1;
}

static void guest_sees(struct test_vm *vm, const char *dev)
{
	unsigned int n = sizeof(table) / sizeof(table[0]);
	struct kvm_cpuid2 *c = cpuid_alloc(NENT_MAX);
	unsigned int i, out[4];
	int set, r;

	if (!c)
		bail("calloc\n");
	c->nent = n;
	memcpy(c->entries, table, sizeof(table));
	set = ioctl(vm->vcpu_fd, KVM_SET_CPUID2, c);
	if (set)
		ksft_print_msg("KVM_SET_CPUID2: %s\n", strerror(errno));
	ksft_result_dev(set == 0, "set-cpuid2", dev);

	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		const struct query *q = &queries[i];
		unsigned int want[4] = { 0, 0, 0, 0 };
		char what[96];

		if (q->entry >= 0) {
			want[0] = table[q->entry].eax;
			want[1] = table[q->entry].ebx;
			want[2] = table[q->entry].ecx;
			want[3] = table[q->entry].edx;
		}
		memset(out, 0xee, sizeof(out));
		r = set ? -1 : guest_cpuid(vm, q, out);
		ksft_print_msg("CPUID(0x%x, %u): %08x %08x %08x %08x, want %08x %08x %08x %08x\n",
			       q->function, q->index, out[0], out[1], out[2],
			       out[3], want[0], want[1], want[2], want[3]);
		snprintf(what, sizeof(what), "guest-cpuid-%s", q->name);
		ksft_result_dev(r == 0 && !memcmp(out, want, sizeof(want)), what, dev);
	}

	memset(c, 0, sizeof(*c));
	c->nent = NENT_MAX;
	r = ioctl(vm->vcpu_fd, KVM_GET_CPUID2, c);
	ksft_print_msg("KVM_GET_CPUID2: %d (%s), nent %u, entry 2: 0x%x.%u ecx %08x\n",
		       r, r ? strerror(errno) : "ok", c->nent,
		       c->entries[2].function, c->entries[2].index,
		       c->entries[2].ecx);
	/* nent is not checked: Linux 6.1 leaves it as given, 6.4 sets it. */
	ksft_result_dev(r == 0 && c->entries[2].function == 7 &&
	       c->entries[2].index == 1 && c->entries[2].ecx == table[2].ecx,
	       "get-cpuid2", dev);
	free(c);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	ksft_set_plan(PLAN);
	if (vm.sys_fd < 0)
		bail("%s\n", vm.err);
	alarm(60);
	if (test_vm_create(&vm, MEM_SIZE) || test_vm_real_mode(&vm, GUEST_RIP))
		bail("setup: %s\n", vm.err);
	memcpy(vm.mem + GUEST_RIP, guest_code, sizeof(guest_code));
	ksft_result_dev(ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_EXT_CPUID) == 1,
	       "cap-ext-cpuid", dev);
	supported(&vm, dev);
	set_too_big(&vm, dev);
	guest_sees(&vm, dev);
	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
