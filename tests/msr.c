// SPDX-License-Identifier: GPL-2.0-only
/*
 * msr DEVICE: the MSR ioctls and what a guest's RDMSR/WRMSR see.
 *  - KVM_GET_MSR_INDEX_LIST: nmsrs 0 is E2BIG with nmsrs set to the
 *    count; the full list holds the SYSCALL/SYSENTER MSRs, PAT, TSC and
 *    MISC_ENABLE.
 *  - KVM_SET_MSRS then a real-mode guest's RDMSR sees the value; the
 *    guest's WRMSR then KVM_GET_MSRS sees its value, for each of those.
 *    EFER.SCE is set first (and KVM_GET_SREGS must agree), so a backend
 *    that switches the SYSCALL MSRs only for such guests is exercised.
 *    Not LME: a real-mode guest with EFER.LME hangs QEMU's TCG (seen with
 *    kvm-amd), so KERNEL_GS_BASE's switch is not covered here.
 *  - TSC: KVM_SET_MSRS, then RDTSC/RDMSR in the guest and KVM_GET_MSRS
 *    read on from the value set (monotonic, offset applied); a guest
 *    WRMSR to the TSC moves it too.
 *  - A batch with an unknown MSR in the middle stops there: the return
 *    value counts the MSRs before it, for SET and GET. nmsrs 256 is E2BIG,
 *    a bad entries pointer EFAULT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define MEM_SIZE 0x10000UL
#define RDMSR_RIP 0x1000UL
#define WRMSR_RIP 0x1100UL
#define RDTSC_RIP 0x1200UL

#define MSR_IA32_TSC 0x10
#define MSR_IA32_SYSENTER_CS 0x174
#define MSR_IA32_SYSENTER_ESP 0x175
#define MSR_IA32_SYSENTER_EIP 0x176
#define MSR_IA32_MISC_ENABLE 0x1a0
#define MSR_IA32_CR_PAT 0x277
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_UNKNOWN 0x12345	/* no CPU has it */

#define TSC_SET (1ULL << 40)
#define TSC_GUEST_SET (1ULL << 41)
/* The TSC may run on while the test does, but not this far. */
#define TSC_SLACK (1ULL << 38)

#define PLAN 29

#define bail(...) do { ksft_print_msg(__VA_ARGS__); ksft_finished(); } while (0)

struct msr_case {
	const char *name;
	unsigned int index;
	unsigned long long host_val;	/* KVM_SET_MSRS, then guest RDMSR */
	unsigned long long guest_val;	/* guest WRMSR, then KVM_GET_MSRS */
};

/* SYSENTER values stay 32-bit: AMD keeps only the low half. */
static const struct msr_case cases[] = {
	{ "star", MSR_STAR, 0x0023001000000000ULL, 0x0033002000000000ULL },
	{ "lstar", MSR_LSTAR, 0xffffffff81000000ULL, 0xffffffff82000000ULL },
	{ "cstar", MSR_CSTAR, 0xffffffff81000040ULL, 0x00007fff00001000ULL },
	{ "sfmask", MSR_SYSCALL_MASK, 0x47700, 0x300 },
	{ "kernel-gs-base", MSR_KERNEL_GS_BASE, 0xffff888000001000ULL,
	  0x00007f0000002000ULL },
	{ "sysenter-cs", MSR_IA32_SYSENTER_CS, 0x10, 0x60 },
	{ "sysenter-esp", MSR_IA32_SYSENTER_ESP, 0x8000, 0x9ff0 },
	{ "sysenter-eip", MSR_IA32_SYSENTER_EIP, 0xc0001000, 0xc0002000 },
	{ "pat", MSR_IA32_CR_PAT, 0x0007010600070106ULL,
	  0x0406050700060401ULL },
	/* PEBS/BTS unavailable (bits 12, 11) are read-only for the guest. */
	{ "misc-enable", MSR_IA32_MISC_ENABLE, 0x1801, 0x1800 },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static const unsigned char guest_rdmsr[] = { 0x0f, 0x32, 0xf4 };
static const unsigned char guest_wrmsr[] = { 0x0f, 0x30, 0xf4 };
static const unsigned char guest_rdtsc[] = { 0x0f, 0x31, 0xf4 };

struct msrs {
	struct kvm_msrs hdr;
	struct kvm_msr_entry e[8];
};

static int set_msr(struct test_vm *vm, unsigned int index,
		   unsigned long long val)
{
	struct msrs m = { .hdr.nmsrs = 1 };

	m.e[0].index = index;
	m.e[0].data = val;
	return ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m) == 1 ? 0 : -1;
}

static int get_msr(struct test_vm *vm, unsigned int index,
		   unsigned long long *val)
{
	struct msrs m = { .hdr.nmsrs = 1 };

	m.e[0].index = index;
	if (ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m) != 1)
		return -1;
	*val = m.e[0].data;
	return 0;
}

/* Run the guest at @rip with RCX/RAX/RDX set, until HLT; regs after. */
static int guest_run(struct test_vm *vm, unsigned long rip,
		     unsigned long long rcx, unsigned long long edx_eax,
		     struct kvm_regs *out)
{
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rcx = rcx;
	regs.rax = (unsigned int)edx_eax;
	regs.rdx = edx_eax >> 32;
	regs.rip = rip;
	regs.rflags = 2;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) ||
	    ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		ksft_print_msg("KVM_SET_REGS/KVM_RUN: %s\n", strerror(errno));
		return -1;
	}
	if (vm->run->exit_reason != KVM_EXIT_HLT) {
		ksft_print_msg("exit reason %u, want HLT\n",
			       vm->run->exit_reason);
		return -1;
	}
	return ioctl(vm->vcpu_fd, KVM_GET_REGS, out);
}

static unsigned long long edx_eax(const struct kvm_regs *r)
{
	return (r->rax & 0xffffffffULL) | (r->rdx & 0xffffffffULL) << 32;
}

static void index_list(struct test_vm *vm, const char *dev)
{
	struct kvm_msr_list probe = { .nmsrs = 0 }, *list;
	unsigned int i, j, found = 0;
	int r, err;

	r = ioctl(vm->sys_fd, KVM_GET_MSR_INDEX_LIST, &probe);
	err = errno;
	ksft_result_dev(r == -1 && err == E2BIG && probe.nmsrs > 0,
	       "msr-index-list-e2big-count", dev);
	list = calloc(1, sizeof(*list) + (probe.nmsrs + 1) * sizeof(__u32));
	if (!list)
		bail("calloc\n");
	list->nmsrs = probe.nmsrs;
	r = ioctl(vm->sys_fd, KVM_GET_MSR_INDEX_LIST, list);
	for (i = 0; !r && i < NCASES; i++) {
		for (j = 0; j < list->nmsrs; j++)
			if (list->indices[j] == cases[i].index)
				break;
		if (j < list->nmsrs)
			found++;
		else
			ksft_print_msg("MSR 0x%x not in the index list\n",
				       cases[i].index);
	}
	for (j = 0; !r && j < list->nmsrs; j++)
		found += list->indices[j] == MSR_IA32_TSC;
	ksft_result_dev(r == 0 && found == NCASES + 1, "msr-index-list", dev);
	free(list);
}

static void host_to_guest(struct test_vm *vm, const char *dev)
{
	struct kvm_regs regs;
	unsigned int i;
	char what[96];

	for (i = 0; i < NCASES; i++) {
		const struct msr_case *c = &cases[i];
		unsigned long long got = ~0ULL;
		int ok = !set_msr(vm, c->index, c->host_val) &&
			 !guest_run(vm, RDMSR_RIP, c->index, 0, &regs);

		if (ok)
			got = edx_eax(&regs);
		ksft_print_msg("%s: set 0x%llx, guest RDMSR 0x%llx\n", c->name,
			       c->host_val, got);
		snprintf(what, sizeof(what), "set-msrs-guest-rdmsr-%s", c->name);
		ksft_result_dev(ok && got == c->host_val, what, dev);
	}
}

static void guest_to_host(struct test_vm *vm, const char *dev)
{
	struct kvm_regs regs;
	unsigned int i;
	char what[96];

	for (i = 0; i < NCASES; i++) {
		const struct msr_case *c = &cases[i];
		unsigned long long got = ~0ULL;
		int ok = !guest_run(vm, WRMSR_RIP, c->index, c->guest_val,
				    &regs) &&
			 !get_msr(vm, c->index, &got);

		ksft_print_msg("%s: guest WRMSR 0x%llx, get 0x%llx\n", c->name,
			       c->guest_val, got);
		snprintf(what, sizeof(what), "guest-wrmsr-get-msrs-%s", c->name);
		ksft_result_dev(ok && got == c->guest_val, what, dev);
	}
}

/*
 * Whether the host kernel still trusts its TSC. When it has marked the TSC
 * unstable (the QEMU machine's watchdog does, under TCG), kvm.ko re-bases
 * the guest's TSC at every vcpu_load to the last value the guest saw
 * (arch/x86/kvm/x86.c, kvm_arch_vcpu_load: check_tsc_unstable()), so a
 * KVM_GET_MSRS read may run ahead of the guest's next read. The guest's
 * own reads stay monotonic either way; lamina's offset is fixed, so for
 * lamina every read is ordered.
 */
static int host_tsc_stable(void)
{
	char cs[32] = "";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");

	if (f) {
		if (!fgets(cs, sizeof(cs), f))
			cs[0] = 0;
		fclose(f);
	}
	return !strcmp(cs, "tsc\n");
}

static void tsc(struct test_vm *vm, const char *dev)
{
	unsigned long long t_guest = 0, t_get = 0, t_rdmsr = 0, t_wr = 0;
	int rebased = !strcmp(dev, "kvm") && !host_tsc_stable();
	struct kvm_regs regs;
	int ok;

	ok = !set_msr(vm, MSR_IA32_TSC, TSC_SET) &&
	     !guest_run(vm, RDTSC_RIP, 0, 0, &regs);
	t_guest = edx_eax(&regs);
	ok = ok && !get_msr(vm, MSR_IA32_TSC, &t_get) &&
	     !guest_run(vm, RDMSR_RIP, MSR_IA32_TSC, 0, &regs);
	t_rdmsr = edx_eax(&regs);
	ksft_print_msg("TSC set 0x%llx: guest RDTSC 0x%llx, GET_MSRS 0x%llx, guest RDMSR 0x%llx\n",
		       TSC_SET, t_guest, t_get, t_rdmsr);
	if (rebased)
		ksft_print_msg("host TSC unstable: kvm.ko re-bases the guest TSC at each load; guest RDMSR checked against guest RDTSC only\n");
	ksft_result_dev(ok && t_guest >= TSC_SET && t_guest < TSC_SET + TSC_SLACK &&
	       t_get >= t_guest && t_rdmsr >= (rebased ? t_guest : t_get) &&
	       t_rdmsr < TSC_SET + TSC_SLACK, "tsc-set-monotonic", dev);

	ok = !guest_run(vm, WRMSR_RIP, MSR_IA32_TSC, TSC_GUEST_SET, &regs) &&
	     !get_msr(vm, MSR_IA32_TSC, &t_wr);
	ksft_print_msg("TSC guest WRMSR 0x%llx: GET_MSRS 0x%llx\n",
		       TSC_GUEST_SET, t_wr);
	ksft_result_dev(ok && t_wr >= TSC_GUEST_SET && t_wr < TSC_GUEST_SET + TSC_SLACK,
	       "tsc-guest-wrmsr", dev);
}

static void batch(struct test_vm *vm, const char *dev)
{
	struct msrs m = { .hdr.nmsrs = 4 };
	unsigned long long star = 0;
	int r, err;

	m.e[0].index = MSR_STAR;
	m.e[0].data = 0x0010000800000000ULL;
	m.e[1].index = MSR_SYSCALL_MASK;
	m.e[1].data = 0x200;
	m.e[2].index = MSR_UNKNOWN;
	m.e[3].index = MSR_LSTAR;
	m.e[3].data = 0xffffffff80001000ULL;
	r = ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m);
	get_msr(vm, MSR_STAR, &star);
	ksft_print_msg("SET_MSRS with an unknown third: %d, STAR 0x%llx\n",
		       r, star);
	ksft_result_dev(r == 2 && star == m.e[0].data, "set-msrs-stops-at-unknown",
	       dev);
	r = ioctl(vm->vcpu_fd, KVM_GET_MSRS, &m);
	ksft_result_dev(r == 2 && m.e[1].data == 0x200, "get-msrs-stops-at-unknown",
	       dev);

	m.hdr.nmsrs = 256;
	r = ioctl(vm->vcpu_fd, KVM_SET_MSRS, &m);
	err = errno;
	ksft_result_dev(r == -1 && err == E2BIG, "set-msrs-nmsrs-256-e2big", dev);
	r = ioctl(vm->vcpu_fd, KVM_GET_MSRS, (void *)8);
	err = errno;
	ksft_result_dev(r == -1 && err == EFAULT, "get-msrs-bad-pointer-efault", dev);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	unsigned long long efer = 0;
	struct kvm_sregs s;
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	ksft_set_plan(PLAN);
	if (vm.sys_fd < 0)
		bail("%s\n", vm.err);
	alarm(60);
	if (test_vm_create(&vm, MEM_SIZE) || test_vm_real_mode(&vm, RDMSR_RIP))
		bail("setup: %s\n", vm.err);
	memcpy(vm.mem + RDMSR_RIP, guest_rdmsr, sizeof(guest_rdmsr));
	memcpy(vm.mem + WRMSR_RIP, guest_wrmsr, sizeof(guest_wrmsr));
	memcpy(vm.mem + RDTSC_RIP, guest_rdtsc, sizeof(guest_rdtsc));

	index_list(&vm, dev);
	/* EFER.SCE: SYSCALL usable, so its MSRs must reach the guest. */
	ksft_result_dev(!set_msr(&vm, MSR_EFER, 0x1) && !get_msr(&vm, MSR_EFER, &efer) &&
	       efer == 0x1 && !ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s) &&
	       s.efer == 0x1, "set-msrs-efer-matches-sregs", dev);
	host_to_guest(&vm, dev);
	guest_to_host(&vm, dev);
	tsc(&vm, dev);
	batch(&vm, dev);
	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
