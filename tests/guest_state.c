// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_state DEVICE: what a guest can do to its own state.
 *  - triple fault: a real-mode INT through an empty IDT (limit 0) faults,
 *    the fault faults again, and the vCPU shuts down: KVM_EXIT_SHUTDOWN.
 *  - invalid state: long mode with CS.L and CS.D both set passes
 *    KVM_SET_SREGS but fails the hardware's VM-entry checks (Intel SDM
 *    "Checks on Guest Segment Registers"; AMD APM 15.5.1): the vCPU
 *    reports KVM_EXIT_FAIL_ENTRY, and the host does not oops; its
 *    hardware_entry_failure_reason is the hardware's: VMX exit reason 33
 *    with bit 31 set (0x80000021), or SVM VMEXIT_INVALID as the 32-bit
 *    EXITCODE KVM reports (0xffffffff). The guest has EFER.SCE: the host's
 *    SYSCALL MSRs must come through the failed entry intact (this test's
 *    own system calls after it depend on them).
 *  - host interrupts after a refused entry: the guest sets CR0.NW with
 *    CR0.CD clear and exits. A CPU that checks MOV to CR0 raises #GP
 *    (kvm-amd intercepts the write and does so); QEMU 7.2's TCG takes
 *    it, and refuses the next VMRUN (VMEXIT_INVALID) before it has read
 *    INT_CTL, writing its own copy, 0, back. The VMM puts the state
 *    right and runs a loop with RFLAGS.IF = 0: KVM_RUN must end on this
 *    thread's timer signal (EINTR or KVM_EXIT_INTR). A hypervisor that
 *    trusts V_INTR_MASKING to stay in the VMCB runs that loop with host
 *    interrupts behind the guest's IF, and the machine hangs (issue 14;
 *    the rig reports the silence).
 *  - host SYSCALL MSRs: a 64-bit guest with EFER.SCE and wild STAR, LSTAR,
 *    SFMASK and KERNEL_GS_BASE runs CPUID loops (exits handled in the
 *    kernel, so the vCPU thread is preempted inside KVM_RUN) while a
 *    child process pinned to the same CPU makes system calls; then the
 *    vCPU thread runs it again on each CPU in turn (migration), making
 *    system calls after every KVM_RUN. A guest LSTAR or STAR left in the
 *    host sends the next system call to the guest's entry point (the
 *    machine crashes, and the rig reports it); a guest KERNEL_GS_BASE
 *    left in the kernel becomes the task's user GS base on the return to
 *    userspace, which arch_prctl(ARCH_GET_GS) shows: both processes set
 *    their own GS base and check it after each KVM_RUN / system call.
 *  - FPU: a 64-bit guest loads XMM0, MXCSR and the x87 control word once,
 *    then runs CPUID loops and stores the three before each OUT, while a
 *    child pinned to the same CPU sets its own XMM0 and MXCSR and checks
 *    them in a loop, and the vCPU thread sets its own MXCSR and x87
 *    control word before each KVM_RUN and checks them after. The guest's
 *    values must survive the in-kernel exits, the preemptions inside
 *    KVM_RUN and the returns to userspace between runs; the host's must
 *    never be the guest's (the guest's FPU state is loaded once per
 *    KVM_RUN and stays across in-kernel exits, docs/architecture.md).
 */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cpu_probe.h"
#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define GUEST_RIP 0x1000UL
#define MEM_SIZE 0x10000UL

static const unsigned char triple_fault_code[] = {
	0x0f, 0x01, 0x1e, 0x10, 0x10,	/* lidt [0x1010]: limit 0, base 0 */
	0xcd, 0x21,			/* int 0x21 */
	0xf4,				/* hlt: never reached */
};

/* Run until something other than an I/O exit; returns the exit reason. */
static int run_once(struct test_vm *vm)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		ksft_print_msg("KVM_RUN: %s\n", strerror(errno));
		return -1;
	}
	return vm->run->exit_reason;
}

static int triple_fault(const char *path)
{
	struct test_vm vm;
	int reason = -1;

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, GUEST_RIP)) {
		ksft_print_msg("setup: %s\n", vm.err);
	} else {
		memcpy(vm.mem + GUEST_RIP, triple_fault_code,
		       sizeof(triple_fault_code));
		memset(vm.mem + 0x1010, 0, 6);
		reason = run_once(&vm);
	}
	ksft_print_msg("triple fault: exit reason %d (want %d)\n", reason,
		       KVM_EXIT_SHUTDOWN);
	test_vm_destroy(&vm);
	return reason == KVM_EXIT_SHUTDOWN;
}

#define VMX_INVALID_STATE 0x80000021ULL
#define SVM_VMEXIT_INVALID 0xffffffffULL

static int invalid_state(const char *path, int *reason_ok)
{
	struct kvm_sregs s;
	struct test_vm vm;
	int reason = -1;
	__u64 hw;

	*reason_ok = 0;
	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, GUEST_RIP) ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	s.cr0 = 0x80000011;	/* PG | ET | PE */
	s.cr4 = 0x20;		/* PAE */
	/*
	 * SCE too: a hypervisor that switches the SYSCALL MSRs around the
	 * entry must put the host's back when the entry fails, else this
	 * process's next system call jumps to the guest's LSTAR (0).
	 */
	s.efer = 0x501;		/* LMA | LME | SCE */
	s.cr3 = 0x2000;
	s.cs.l = 1;
	s.cs.db = 1;		/* illegal together with L in long mode */
	s.cs.type = 0xb;
	s.cs.s = 1;
	s.cs.present = 1;
	if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &s)) {
		ksft_print_msg("KVM_SET_SREGS: %s\n", strerror(errno));
		goto out;
	}
	reason = run_once(&vm);
	if (reason == KVM_EXIT_FAIL_ENTRY) {
		hw = vm.run->fail_entry.hardware_entry_failure_reason;
		*reason_ok = hw == VMX_INVALID_STATE ||
			     hw == SVM_VMEXIT_INVALID;
		ksft_print_msg("hardware reason 0x%llx\n",
			       (unsigned long long)hw);
	}
out:
	ksft_print_msg("invalid state: exit reason %d (want %d)\n", reason,
		       KVM_EXIT_FAIL_ENTRY);
	test_vm_destroy(&vm);
	return reason == KVM_EXIT_FAIL_ENTRY;
}

static void on_timer(int sig)
{
	(void)sig;
}

/* Real mode: CR0.NW without CR0.CD, OUT; then the loop at CLI_LOOP. */
#define CLI_LOOP 18
static const unsigned char cr0_then_loop_code[] = {
	0x0f, 0x20, 0xc0,		/*  0: mov  eax, cr0     */
	0x66, 0x0f, 0xba, 0xf0, 0x1e,	/*  3: btr  eax, 30 (CD) */
	0x66, 0x0f, 0xba, 0xe8, 0x1d,	/*  8: bts  eax, 29 (NW) */
	0x0f, 0x22, 0xc0,		/* 13: mov  cr0, eax     */
	0xe6, 0x10,			/* 16: out  0x10, al     */
	0xfa,				/* 18: cli               */
	0xeb, 0xfe,			/* 19: jmp  $            */
};

/*
 * KVM_RUN with this thread's timer @ms away: 0 and the exit reason in
 * *reason, or -1 and errno (EINTR: the signal ended it).
 */
static int run_timed(struct test_vm *vm, long ms, int *reason)
{
	struct sigaction sa = { .sa_handler = on_timer };	/* no SA_RESTART */
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = SIGUSR1 };
	struct itimerspec its = { .it_value.tv_nsec = ms * 1000 * 1000 };
	timer_t t;
	int ret, err;

	*reason = -1;
	sev._sigev_un._tid = syscall(SYS_gettid);
	sigaction(SIGUSR1, &sa, NULL);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t))
		return -1;
	timer_settime(t, 0, &its, NULL);
	ret = ioctl(vm->vcpu_fd, KVM_RUN, 0);
	err = errno;
	timer_delete(t);
	if (!ret)
		*reason = vm->run->exit_reason;
	errno = err;
	return ret;
}

static int intr_after_refused_entry(const char *path)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	struct test_vm vm;
	int ok = 0, reason, ret;

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    test_vm_real_mode(&vm, GUEST_RIP) ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s)) {
		ksft_print_msg("setup: %s\n", vm.err);
		goto out;
	}
	memcpy(vm.mem + GUEST_RIP, cr0_then_loop_code,
	       sizeof(cr0_then_loop_code));
	/* The CR0 write, then (where the CPU took it) the refused entry. */
	ret = run_timed(&vm, 200, &reason);
	ksft_print_msg("MOV to CR0, NW without CD: KVM_RUN %d, exit reason %d\n",
		       ret, reason);
	ret = run_timed(&vm, 200, &reason);
	ksft_print_msg("next entry: KVM_RUN %d, exit reason %d\n", ret, reason);
	if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &s) ||
	    ioctl(vm.vcpu_fd, KVM_GET_REGS, &r)) {
		ksft_print_msg("put the state back: %s\n", strerror(errno));
		goto out;
	}
	r.rip = GUEST_RIP + CLI_LOOP;
	r.rflags = 0x2;
	if (ioctl(vm.vcpu_fd, KVM_SET_REGS, &r)) {
		ksft_print_msg("KVM_SET_REGS: %s\n", strerror(errno));
		goto out;
	}
	ret = run_timed(&vm, 200, &reason);
	ok = (ret && errno == EINTR) || (!ret && reason == KVM_EXIT_INTR);
	ksft_print_msg("IF=0 loop: KVM_RUN %d (%s), exit reason %d\n", ret,
		       ret ? strerror(errno) : "-", reason);
out:
	test_vm_destroy(&vm);
	return ok;
}

/* mov esi, N (patched at 1); loop: CPUID leaf 0 until ESI is 0; OUT; again. */
static const unsigned char cpuid_loop_code[] = {
	0xbe, 0, 0, 0, 0,	/*  0: mov  esi, N     */
	0x31, 0xc0,		/*  5: xor  eax, eax   */
	0x0f, 0xa2,		/*  7: cpuid           */
	0xff, 0xce,		/*  9: dec  esi        */
	0x75, 0xf8,		/* 11: jnz  5          */
	0xe6, 0x10,		/* 13: out  0x10, al   */
	0xeb, 0xef,		/* 15: jmp  0          */
};

#define CPUID_PER_RUN 20000U
#define RUNS_PER_CPU 3

#define MSR_EFER_SCE 0x1ULL
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_KERNEL_GS_BASE 0xc0000102

/* Canonical, but nothing the host could survive jumping to or using. */
static const struct { __u32 index; __u64 val; } wild_msrs[] = {
	{ MSR_STAR, 0x001b000800000000ULL },
	{ MSR_LSTAR, 0xffffffffdead0000ULL },
	{ MSR_SYSCALL_MASK, 0 },
	{ MSR_KERNEL_GS_BASE, 0x00007fffbad00000ULL },
};

/* What each process sets as its own user GS base and then checks. */
#define PARENT_GS 0x00007f1234560000ULL
#define CHILD_GS 0x00007f6543210000ULL

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void unpin(void)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* This task's involuntary context switches so far (preemptions). */
static long preemptions(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "nonvoluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* Own GS base still @want, and a system call answers right? */
static int host_intact(unsigned long long want)
{
	unsigned long gs = 0;

	if (syscall(SYS_arch_prctl, ARCH_GET_GS, &gs) || gs != want)
		return 0;
	return syscall(SYS_getpid) == getpid();
}

/* The child: system calls on @cpu until killed; exit 1 if one goes wrong. */
static void syscall_loop(int cpu)
{
	if (pin(cpu) || syscall(SYS_arch_prctl, ARCH_SET_GS, CHILD_GS))
		_exit(2);
	for (;;)
		if (!host_intact(CHILD_GS))
			_exit(1);
}

static int wild_guest(struct test_vm *vm)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[4];
	} msrs;
	unsigned int n = CPUID_PER_RUN, i;
	struct kvm_sregs s;

	if (test_vm_set_mode(vm, TEST_MODE_LONG, GUEST_RIP) ||
	    ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	s.efer |= MSR_EFER_SCE;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return -1;
	memset(&msrs, 0, sizeof(msrs));
	msrs.hdr.nmsrs = 4;
	for (i = 0; i < 4; i++) {
		msrs.e[i].index = wild_msrs[i].index;
		msrs.e[i].data = wild_msrs[i].val;
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_MSRS, &msrs) != 4)
		return -1;
	memcpy(vm->mem + GUEST_RIP, cpuid_loop_code, sizeof(cpuid_loop_code));
	memcpy(vm->mem + GUEST_RIP + 1, &n, 4);
	return 0;
}

static int run_checked(struct test_vm *vm)
{
	int reason = run_once(vm);

	if (reason != KVM_EXIT_IO) {
		ksft_print_msg("exit reason %d (want %d)\n", reason,
			       KVM_EXIT_IO);
		return 0;
	}
	if (!host_intact(PARENT_GS)) {
		ksft_print_msg("after KVM_RUN: the host's GS base or system calls are not the task's\n");
		return 0;
	}
	return 1;
}

/*
 * Runs of @vm checked by @run, beside a child (@child_loop) pinned to
 * CPU 0, where it preempts the vCPU thread inside KVM_RUN; then moved
 * from CPU to CPU between runs. The child must not have exited.
 */
static int runs_beside_child(struct test_vm *vm, void (*child_loop)(int),
			     int (*run)(struct test_vm *), const char *what)
{
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN), ok = 0, status = 0, cpu, i;
	long preempted;
	pid_t child;

	if (pin(0)) {
		ksft_print_msg("pin: %s\n", strerror(errno));
		return 0;
	}
	child = fork();
	if (child == 0)
		child_loop(0);
	if (child < 0) {
		unpin();
		return 0;
	}
	preempted = preemptions();
	for (i = 0; i < RUNS_PER_CPU; i++)
		if (!run(vm))
			goto out;
	ksft_print_msg("%d runs of %u CPUID exits beside %s: preempted %ld times\n",
		       RUNS_PER_CPU, CPUID_PER_RUN, what,
		       preemptions() - preempted);
	for (cpu = 0; cpu < ncpus; cpu++) {
		if (pin(cpu))
			goto out;
		for (i = 0; i < RUNS_PER_CPU; i++)
			if (!run(vm))
				goto out;
	}
	ok = 1;
out:
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	if (!WIFSIGNALED(status)) {
		ksft_print_msg("%s went wrong (status 0x%x)\n", what, status);
		ok = 0;
	}
	unpin();
	return ok;
}

static int syscall_msrs_host(const char *path)
{
	struct test_vm vm;
	int ok = 0;

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    wild_guest(&vm)) {
		ksft_print_msg("setup: %s %s\n", vm.err, strerror(errno));
		goto out;
	}
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, PARENT_GS)) {
		ksft_print_msg("ARCH_SET_GS: %s\n", strerror(errno));
		goto out;
	}
	ok = runs_beside_child(&vm, syscall_loop, run_checked,
			       "a syscall loop");
	syscall(SYS_arch_prctl, ARCH_SET_GS, 0UL);
out:
	test_vm_destroy(&vm);
	return ok;
}

/*
 * 64-bit guest: XMM0, MXCSR and FCW from 0x2000 once; then (at 24)
 * N CPUID exits, stores of the three at 0x2020, OUT 0x10, again.
 */
static const unsigned char fpu_loop_code[] = {
	0xf3, 0x0f, 0x6f, 0x04, 0x25, 0x00, 0x20, 0, 0,	/*  0: movdqu xmm0, [0x2000] */
	0x0f, 0xae, 0x14, 0x25, 0x10, 0x20, 0, 0,	/*  9: ldmxcsr [0x2010] */
	0xd9, 0x2c, 0x25, 0x14, 0x20, 0, 0,		/* 17: fldcw [0x2014] */
	0xbe, 0, 0, 0, 0,				/* 24: mov esi, N */
	0x31, 0xc0,					/* 29: xor eax, eax */
	0x0f, 0xa2,					/* 31: cpuid */
	0xff, 0xce,					/* 33: dec esi */
	0x75, 0xf8,					/* 35: jnz 29 */
	0xf3, 0x0f, 0x7f, 0x04, 0x25, 0x20, 0x20, 0, 0,	/* 37: movdqu [0x2020], xmm0 */
	0x0f, 0xae, 0x1c, 0x25, 0x30, 0x20, 0, 0,	/* 46: stmxcsr [0x2030] */
	0xd9, 0x3c, 0x25, 0x34, 0x20, 0, 0,		/* 54: fnstcw [0x2034] */
	0xe6, 0x10,					/* 61: out 0x10, al */
	0xeb, 0xd7,					/* 63: jmp 24 */
};

#define FPU_DATA 0x2000UL
#define FPU_OUT 0x2020UL
/* Rounding control of each party: toward zero, up, down (and FTZ). */
#define GUEST_MXCSR 0xff80U
#define PARENT_MXCSR 0x5f80U
#define CHILD_MXCSR 0x3f80U
#define GUEST_FCW 0x0f7fU
#define PARENT_FCW 0x077fU
#define CHILD_XMM0 0x0123456789abcdefULL

static const unsigned char guest_xmm0[16] = {
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
};

/* The child: its own XMM0 and MXCSR on @cpu until killed; exit 1 if lost. */
static void fpu_child_loop(int cpu)
{
	unsigned long long pat = CHILD_XMM0, lo;
	unsigned int csr = CHILD_MXCSR, got;

	if (pin(cpu))
		_exit(2);
	for (;;) {
		asm volatile("ldmxcsr %[csr]\n\t"
			     "movq %[pat], %%xmm0\n\t"
			     "mov $100000, %%ecx\n"
			     "1: dec %%ecx\n\t"
			     "jnz 1b\n\t"
			     "movq %%xmm0, %[lo]\n\t"
			     "stmxcsr %[got]"
			     : [lo] "=r" (lo), [got] "=m" (got)
			     : [csr] "m" (csr), [pat] "r" (pat)
			     : "xmm0", "ecx", "cc");
		if (lo != pat || got != csr)
			_exit(1);
	}
}

static int fpu_guest(struct test_vm *vm)
{
	unsigned int n = CPUID_PER_RUN, csr = GUEST_MXCSR;
	unsigned short fcw = GUEST_FCW;
	struct kvm_sregs s;

	if (test_vm_set_mode(vm, TEST_MODE_LONG, GUEST_RIP) ||
	    ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	s.cr0 = (s.cr0 | 0x2) & ~0xcULL;	/* MP; no EM, no TS */
	s.cr4 |= 0x600;				/* OSFXSR, OSXMMEXCPT */
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return -1;
	memcpy(vm->mem + GUEST_RIP, fpu_loop_code, sizeof(fpu_loop_code));
	memcpy(vm->mem + GUEST_RIP + 25, &n, 4);
	memcpy(vm->mem + FPU_DATA, guest_xmm0, 16);
	memcpy(vm->mem + FPU_DATA + 0x10, &csr, 4);
	memcpy(vm->mem + FPU_DATA + 0x14, &fcw, 2);
	return 0;
}

/* One KVM_RUN with the host's own MXCSR and FCW around it. */
static int fpu_run_checked(struct test_vm *vm)
{
	unsigned int csr = PARENT_MXCSR, host_csr = 0, guest_csr = 0;
	unsigned short fcw = PARENT_FCW, host_fcw = 0, guest_fcw = 0;
	const unsigned char *out = vm->mem + FPU_OUT;
	int reason;

	memset(vm->mem + FPU_OUT, 0, 0x18);
	asm volatile("ldmxcsr %0\n\tfldcw %1" : : "m" (csr), "m" (fcw));
	reason = run_once(vm);
	asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m" (host_csr), "=m" (host_fcw));
	/* Back to the defaults before anything else runs here. */
	csr = 0x1f80;
	fcw = 0x037f;
	asm volatile("ldmxcsr %0\n\tfldcw %1" : : "m" (csr), "m" (fcw));
	if (reason != KVM_EXIT_IO) {
		ksft_print_msg("exit reason %d (want %d)\n", reason, KVM_EXIT_IO);
		return 0;
	}
	memcpy(&guest_csr, out + 0x10, 4);
	memcpy(&guest_fcw, out + 0x14, 2);
	if (memcmp(out, guest_xmm0, 16) || guest_csr != GUEST_MXCSR ||
	    guest_fcw != GUEST_FCW) {
		ksft_print_msg("guest: XMM0 %s, MXCSR 0x%x (want 0x%x), FCW 0x%x (want 0x%x)\n",
			       memcmp(out, guest_xmm0, 16) ? "lost" : "kept",
			       guest_csr, GUEST_MXCSR, guest_fcw, GUEST_FCW);
		return 0;
	}
	if (host_csr != PARENT_MXCSR || host_fcw != PARENT_FCW) {
		ksft_print_msg("host after KVM_RUN: MXCSR 0x%x (want 0x%x), FCW 0x%x (want 0x%x)\n",
			       host_csr, PARENT_MXCSR, host_fcw, PARENT_FCW);
		return 0;
	}
	return 1;
}

static int fpu_stays(const char *path)
{
	struct test_vm vm;
	int ok = 0;

	if (test_vm_open_dev(&vm, path) || test_vm_create(&vm, MEM_SIZE) ||
	    fpu_guest(&vm))
		ksft_print_msg("setup: %s %s\n", vm.err, strerror(errno));
	else
		ok = runs_beside_child(&vm, fpu_child_loop, fpu_run_checked,
				       "an FPU loop");
	test_vm_destroy(&vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct test_vm vm;
	int reason_ok, refused;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	/*
	 * intr-after-refused-entry needs a CPU that lets the guest set CR0.NW
	 * without CD (QEMU's TCG; a real CPU raises #GP, Bochs' VMX guest too):
	 * elsewhere the refused entry it guards against cannot happen.
	 */
	refused = test_cpu_is_qemu_tcg();
	ksft_set_plan(refused ? 6 : 5);
	alarm(120);
	ksft_result_dev(triple_fault(path), "triple-fault-shutdown", dev);
	ksft_result_dev(invalid_state(path, &reason_ok), "invalid-state-fail-entry",
	       dev);
	ksft_result_dev(reason_ok, "invalid-state-hw-reason", dev);
	if (refused)
		ksft_result_dev(intr_after_refused_entry(path),
				"intr-after-refused-entry", dev);
	else
		ksft_print_msg("intr-after-refused-entry not run: this CPU refuses CR0.NW without CD itself\n");
	ksft_result_dev(syscall_msrs_host(path), "syscall-msrs-stay-in-guest",
			dev);
	ksft_result_dev(fpu_stays(path), "fpu-stays-in-guest", dev);
	ksft_finished();
	return KSFT_FAIL;
}
