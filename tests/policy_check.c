// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_check DEVICE: lamina's policy check (libvmm layer 11,
 * libvmm/include/libvmm/policy.h) refuses an entry whose controls break
 * a policy rule, and nothing of the guest runs.
 *
 * lamina.ko only: the test-only module parameter test_corrupt_policy=N
 * makes every vCPU created while it is set break rule N in its VMCB/VMCS
 * (module/svm/svm_policy.c, module/vmx/vmx_policy.c). For each rule of
 * the backend in turn: create a vCPU with it broken, run it twice; each
 * KVM_RUN must end in KVM_EXIT_FAIL_ENTRY with hardware_entry_failure_
 * reason 0x504c0000 | N (VMM_POLICY_FAIL_ENTRY_REASON, docs/abi.md),
 * and the guest's first instruction (a store) must not have happened.
 * Last, with the parameter 0, the same guest runs: its store lands and
 * it exits on its OUT. The dmesg line naming the rule is not checked
 * here (pr_info_ratelimited drops some of a quick series).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define PARAM "/sys/module/lamina/parameters/test_corrupt_policy"
/* libvmm/include/libvmm/policy.h: VMM_POLICY_FAIL_ENTRY_REASON. */
#define POLICY_REASON 0x504c0000U
/* policy.h: rules are numbered from 2 (1 is a NULL record). */
#define FIRST_RULE 2U
#define SVM_LAST_RULE 28U	/* VMM_POLICY_SVM_LAST_RULE */
#define VMX_LAST_RULE 20U	/* VMM_POLICY_VMX_LAST_RULE */

#define GUEST_RIP 0x1000UL
#define MARK_GPA 0x2000UL
#define MARK 0x42
#define PORT 0x80
#define MEM_SIZE 0x10000UL

static const unsigned char guest_code[] = {
	0xc6, 0x06, 0x00, 0x20, MARK,	/* mov byte [0x2000], 0x42 */
	0xe6, PORT,			/* out 0x80, al */
	0xf4,				/* hlt */
	0xeb, 0xfd,			/* jmp hlt */
};

static int set_param(unsigned int n)
{
	char buf[16];
	int fd, len, ok;

	fd = open(PARAM, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%u\n", n);
	ok = write(fd, buf, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

static void clear_param(void)
{
	set_param(0);
}

/* The backend lamina.ko picked: VMX first (module/backend.c), then SVM. */
static unsigned int last_rule(void)
{
	char line[4096];
	unsigned int last = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return 0;
	while (!last && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		if (strstr(line, " vmx"))
			last = VMX_LAST_RULE;
		else if (strstr(line, " svm"))
			last = SVM_LAST_RULE;
	}
	fclose(f);
	return last;
}

/* A VM whose vCPU was created with rule @rule broken (0: none). */
static int make_vm(struct test_vm *vm, const char *path, unsigned int rule)
{
	int ret;

	if (test_vm_open_dev(vm, path))
		return -1;
	if (set_param(rule)) {
		ksft_print_msg("cannot write %s: %s\n", PARAM, strerror(errno));
		return -1;
	}
	ret = test_vm_create(vm, MEM_SIZE);
	clear_param();
	if (ret || test_vm_real_mode(vm, GUEST_RIP)) {
		ksft_print_msg("%s\n", vm->err);
		return -1;
	}
	memcpy(vm->mem + GUEST_RIP, guest_code, sizeof(guest_code));
	return 0;
}

static int refused(struct test_vm *vm, unsigned int rule)
{
	int run;

	for (run = 0; run < 2; run++) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			ksft_print_msg("rule %u: KVM_RUN: %s\n", rule,
				       strerror(errno));
			return 0;
		}
		if (vm->run->exit_reason != KVM_EXIT_FAIL_ENTRY ||
		    vm->run->fail_entry.hardware_entry_failure_reason !=
		    (POLICY_REASON | rule)) {
			ksft_print_msg("rule %u: exit %u, reason 0x%llx; want %u, 0x%x\n",
				       rule, vm->run->exit_reason,
				       (unsigned long long)vm->run->fail_entry.hardware_entry_failure_reason,
				       KVM_EXIT_FAIL_ENTRY, POLICY_REASON | rule);
			return 0;
		}
	}
	if (vm->mem[MARK_GPA]) {
		ksft_print_msg("rule %u: the guest ran (its store landed)\n",
			       rule);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	unsigned int rule, last;
	struct test_vm vm;
	char name[64];
	int ok, fd;

	ksft_print_header();
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		ksft_exit_skip("device not present");
	if (fd >= 0)
		close(fd);
	if (strcmp(dev, "lamina"))
		ksft_exit_skip("lamina.ko's own policy check: /dev/lamina only");
	if (access(PARAM, W_OK))
		ksft_exit_skip("lamina.ko's test_corrupt_policy parameter not present");
	last = last_rule();
	if (!last)
		ksft_exit_skip("neither vmx nor svm in /proc/cpuinfo");
	atexit(clear_param);
	ksft_set_plan(last - FIRST_RULE + 2);

	for (rule = FIRST_RULE; rule <= last; rule++) {
		ok = !make_vm(&vm, path, rule) && refused(&vm, rule);
		test_vm_destroy(&vm);
		snprintf(name, sizeof(name), "policy-check-rule-%u", rule);
		ksft_result_dev(ok, name, dev);
	}

	/* No rule broken: the same guest runs. */
	ok = !make_vm(&vm, path, 0) && !ioctl(vm.vcpu_fd, KVM_RUN, 0) &&
	     vm.run->exit_reason == KVM_EXIT_IO &&
	     vm.run->io.port == PORT && vm.mem[MARK_GPA] == MARK;
	if (!ok && vm.run != MAP_FAILED)
		ksft_print_msg("clean vCPU: exit %u\n", vm.run->exit_reason);
	test_vm_destroy(&vm);
	ksft_result_dev(ok, "policy-check", dev);
	ksft_finished();
	return KSFT_FAIL;
}
