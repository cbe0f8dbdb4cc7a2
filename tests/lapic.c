// SPDX-License-Identifier: GPL-2.0-only
/*
 * lapic DEVICE: the in-kernel local APIC of KVM's split irqchip
 * (KVM_CAP_SPLIT_IRQCHIP: LAPICs in the kernel, PIC and IOAPIC in
 * userspace), with the same expectations on /dev/kvm and /dev/lamina.
 *  - KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP): before vCPUs, twice, after a
 *    vCPU (-EEXIST, as KVM), with flags, with more pins than KVM's
 *    KVM_MAX_IRQ_ROUTES, with args[1..3] set (ignored); an unknown
 *    capability; the extensions a split-irqchip VMM checks.
 *  - The register page at 0xFEE00000, which no memory slot covers: APIC
 *    ID, version, SVR read back (long mode).
 *  - KVM_SIGNAL_MSI: wakes a vCPU halted in the kernel (no KVM_EXIT_HLT);
 *    a bad address (lamina only: KVM does not check it); flags other
 *    than KVM_MSI_VALID_DEVID (-EINVAL), that one (accepted, the devid
 *    ignored on x86); a LAPIC still
 *    software-disabled does not take it (returns 0); two vectors pending
 *    while IF = 0 are taken highest first; a level-triggered MSI that an
 *    MSI route of an IOAPIC pin names exits with KVM_EXIT_IOAPIC_EOI when
 *    the guest EOIs it.
 *  - KVM differences seen and not asserted: after immediate_exit KVM 6.1
 *    leaves kvm_run.exit_reason as it was (lamina: KVM_EXIT_INTR); KVM
 *    returns 0 for an MSI at 0xFED00000 to a disabled LAPIC.
 *  - The timer: one-shot, periodic, TSC-deadline (CPUID.1:ECX[24] set
 *    with KVM_SET_CPUID2). Timer tests set the device's CPUID first: KVM
 *    allows periodic (and TSC-deadline) mode only with a CPUID leaf 1.
 *  - Two vCPUs: vCPU 1 waits (KVM_MP_STATE_UNINITIALIZED) until vCPU 0
 *    sends INIT and SIPI, then starts in real mode at the SIPI page; then
 *    a fixed IPI from vCPU 0 wakes it from HLT.
 *  - kvm_run.immediate_exit.
 *
 * The guests are 32-bit protected-mode code (the APIC ID test: 64-bit),
 * copied into guest memory. Every vector has a stub in the IDT; vectors
 * 32..255 write their number to P_MARK, count themselves at CNT_BASE and
 * EOI; an exception writes its vector to P_FAULT and stops. Each vCPU
 * runs in a thread of its own that logs every OUT (and IOAPIC EOI exit)
 * and resumes, so that it can block in KVM_RUN while the main thread
 * signals; every wait is bounded, and a stuck vCPU is taken out of
 * KVM_RUN with immediate_exit plus a signal.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/sched.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* Guest memory: one slot at 0; the APIC page (0xFEE00000) has none. */
#define MEM_SIZE 0x20000UL
#define CODE_ADDR 0x1000	/* vCPU 0's program */
/* TEST_MODE_TABLES_START .. _END (0x2000 .. 0xa000): GDT, page tables */
#define IDT_ADDR 0xb000		/* 256 32-bit interrupt gates */
#define CNT_BASE 0xd000		/* a 32-bit count per vector */
#define BADIF_ADDR 0xd400	/* interrupts taken with RFLAGS.IF = 0 */
#define FLAG_ADDR 0xd800	/* host -> guest: go on */
#define GDTR_ADDR 0xd900	/* pseudo-descriptors for vCPU 1's LGDT/LIDT */
#define IDTR_ADDR 0xd910
#define AP_STACK 0xe000
#define BSP_STACK 0xf000
#define STUBS_ADDR 0x10000	/* 16 bytes per vector, then the common part */
#define AP_PAGE 0x18		/* the SIPI vector: vCPU 1 starts at 0x18000 */
#define AP_BASE 0x18000

/* Ports the guests write. */
#define P_A 0xe8		/* test-specific values */
#define P_B 0xe9
#define P_C 0xea
#define P_READY 0xeb		/* "host, do your part now" */
#define P_MARK 0xe0		/* the handler of vector N ran: N */
#define P_FAULT 0xe1		/* exception N: the guest stops */
#define P_DONE 0xef		/* the program ended */
/* A KVM_EXIT_IOAPIC_EOI in a vCPU's log (not an I/O port). */
#define EV_EOI 0x10000

/* Vectors. */
#define MSI_VEC 0x41
#define PRIO_LOW 0x40
#define PRIO_HIGH 0x80
#define T_ONESHOT 0x51
#define T_PERIODIC 0x52
#define T_DEADLINE 0x53
#define T_STORM 0x54
#define IPI_VEC 0x61
#define LEVEL_VEC 0x71
#define LEVEL_GSI 5
#define IOAPIC_PINS 24
#define MAX_PINS 4096		/* KVM's limit: KVM_MAX_IRQ_ROUTES */

#define ONESHOT_COUNT 100000	/* 100 us at 1 GHz, divide by 1 */
#define STORM_COUNT 20000	/* 20 us */
#define STORM_N 1000		/* one-shot interrupts in a row */
#define PERIODIC_COUNT 1000000	/* 1 ms */
#define DEADLINE_DELTA 0x2000000 /* TSC cycles: ~10 ms at 3 GHz */

#define MSI_ADDR 0xfee00000U
#define MSI_LEVEL (1U << 15)
#define CPUID_TSC_DEADLINE (1U << 24)

#define WAIT_MS 5000		/* any one wait for the guest */
#define LOG_MAX 32

/*
 * The guests. Absolute addresses are the constants above: every blob is
 * copied to the address it was written for.
 */
asm(".pushsection .rodata\n"
    ".set APIC, 0xfee00000\n"
    ".set APIC_ID, APIC + 0x20\n"
    ".set APIC_EOI, APIC + 0xb0\n"
    ".set APIC_SVR, APIC + 0xf0\n"
    ".set APIC_IRR, APIC + 0x200\n"
    ".set APIC_ICR, APIC + 0x300\n"
    ".set APIC_ICR2, APIC + 0x310\n"
    ".set APIC_LVTT, APIC + 0x320\n"
    ".set APIC_TMICT, APIC + 0x380\n"
    ".set APIC_TMCCT, APIC + 0x390\n"
    ".set APIC_TDCR, APIC + 0x3e0\n"
    ".set CNT, " STR(CNT_BASE) "\n"
    ".set FLAG, " STR(FLAG_ADDR) "\n"
    ".set BADIF, " STR(BADIF_ADDR) "\n"
    /* Software-enable the LAPIC, spurious vector 0xff. */
    ".macro apic_on\n"
    "	movl $0x1ff, APIC_SVR\n"
    ".endm\n"
    /*
     * Sleep until vector @vec's handler ran @cnt times: STI;HLT so that
     * an interrupt arriving after the check still ends the HLT.
     */
    ".macro wait_count vec, cnt\n"
    "	cli\n"
    ".Lwc\\@:\n"
    "	cmpl $\\cnt, CNT + 4 * (\\vec)\n"
    "	jae .Lwd\\@\n"
    "	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp .Lwc\\@\n"
    ".Lwd\\@:\n"
    ".endm\n"
    /* Spin with interrupts as they are until the host sets FLAG. */
    ".macro wait_flag\n"
    ".Lwf\\@:\n"
    "	pause\n"
    "	cmpl $0, FLAG\n"
    "	je .Lwf\\@\n"
    ".endm\n"

    ".code32\n"
    /* Interrupt stubs, one per vector, 16 bytes apart. */
    ".balign 16\n"
    "stubs_start:\n"
    ".set vec, 0\n"
    ".rept 256\n"
    "	.balign 16\n"
    "	push %eax\n"
    "	mov $vec, %eax\n"
    "	jmp stubs_common\n"
    "	.set vec, vec + 1\n"
    ".endr\n"
    "stubs_common:\n"
    "	cmp $32, %eax\n"
    "	jb 1f\n"
    /*
     * Vectors 32..255 come only from the LAPIC here, and an external
     * interrupt is taken only with IF = 1: the interrupted EFLAGS (above
     * EAX, EIP, CS) must have it. Counted, for the storm test to report.
     */
    "	testl $0x200, 12(%esp)\n"
    "	jnz 2f\n"
    "	incl BADIF\n"
    /*
     * The storm's thousand would flood the log, and how many periodic
     * interrupts come before the guest stops the timer depends on how
     * fast it runs: both count without logging.
     */
    "2:	cmp $" STR(T_STORM) ", %eax\n"
    "	je 3f\n"
    "	cmp $" STR(T_PERIODIC) ", %eax\n"
    "	je 3f\n"
    "	out %al, $" STR(P_MARK) "\n"
    "3:\n"
    "	incl CNT(,%eax,4)\n"
    "	movl $0, APIC_EOI\n"
    "	pop %eax\n"
    "	iret\n"
    "1:	out %al, $" STR(P_FAULT) "\n"
    "	cli\n"
    "	hlt\n"
    "	jmp 1b\n"
    "stubs_end:\n"

    /* One MSI (edge or level) while halted with IF = 1. */
    "msi_start:\n"
    "	apic_on\n"
    "	out %al, $" STR(P_READY) "\n"
    "	wait_count " STR(MSI_VEC) ", 1\n"
    "	out %al, $" STR(P_DONE) "\n"
    "msi_end:\n"
    "level_start:\n"
    "	apic_on\n"
    "	out %al, $" STR(P_READY) "\n"
    "	wait_count " STR(LEVEL_VEC) ", 1\n"
    "	out %al, $" STR(P_DONE) "\n"
    "level_end:\n"

    /* Two MSIs arrive with IF = 0: both in the IRR, then STI. */
    "prio_start:\n"
    "	apic_on\n"
    "	out %al, $" STR(P_READY) "\n"
    "	wait_flag\n"
    "	mov APIC_IRR + 0x10 * (" STR(PRIO_LOW) " / 32), %eax\n"
    "	out %eax, $" STR(P_A) "\n"
    "	mov APIC_IRR + 0x10 * (" STR(PRIO_HIGH) " / 32), %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	wait_count " STR(PRIO_LOW) ", 1\n"
    "	out %al, $" STR(P_DONE) "\n"
    "prio_end:\n"

    /* One-shot: fires once, then the current count reads 0. */
    "oneshot_start:\n"
    "	apic_on\n"
    "	movl $0xb, APIC_TDCR\n"
    "	movl $" STR(T_ONESHOT) ", APIC_LVTT\n"
    "	movl $" STR(ONESHOT_COUNT) ", APIC_TMICT\n"
    "	wait_count " STR(T_ONESHOT) ", 1\n"
    "	mov APIC_TMCCT, %eax\n"
    "	out %eax, $" STR(P_A) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "oneshot_end:\n"

    /*
     * STORM_N one-shots in a row, each waited for: every one is taken
     * exactly once (P_A: the count) and never with IF = 0 (P_B).
     */
    "storm_start:\n"
    "	apic_on\n"
    "	movl $0xb, APIC_TDCR\n"
    "	movl $" STR(T_STORM) ", APIC_LVTT\n"
    "	mov $1, %ebx\n"
    "1:	movl $" STR(STORM_COUNT) ", APIC_TMICT\n"
    "	cli\n"
    "2:	cmpl %ebx, CNT + 4 * " STR(T_STORM) "\n"
    "	jae 3f\n"
    "	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp 2b\n"
    "3:	inc %ebx\n"
    "	cmp $(" STR(STORM_N) " + 1), %ebx\n"
    "	jb 1b\n"
    "	mov CNT + 4 * " STR(T_STORM) ", %eax\n"
    "	out %eax, $" STR(P_A) "\n"
    "	mov BADIF, %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "storm_end:\n"

    /*
     * Periodic: the current count is running, at least three interrupts
     * (P_B: how many; a fourth may come in before CLI), stop.
     */
    "periodic_start:\n"
    "	apic_on\n"
    "	movl $0xb, APIC_TDCR\n"
    "	movl $(0x20000 | " STR(T_PERIODIC) "), APIC_LVTT\n"
    "	movl $" STR(PERIODIC_COUNT) ", APIC_TMICT\n"
    "	mov APIC_TMCCT, %eax\n"
    "	out %eax, $" STR(P_A) "\n"
    "	wait_count " STR(T_PERIODIC) ", 3\n"
    "	movl $0, APIC_TMICT\n"
    "	mov CNT + 4 * " STR(T_PERIODIC) ", %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "periodic_end:\n"

    /*
     * TSC deadline: arm IA32_TSC_DEADLINE (0x6e0) at TSC + delta, read it
     * back (P_B: 1 if equal), sleep, then read it again (P_A, P_C).
     */
    "deadline_start:\n"
    "	apic_on\n"
    "	movl $(0x40000 | " STR(T_DEADLINE) "), APIC_LVTT\n"
    "	rdtsc\n"
    "	add $" STR(DEADLINE_DELTA) ", %eax\n"
    "	adc $0, %edx\n"
    "	mov %eax, %esi\n"
    "	mov %edx, %edi\n"
    "	mov $0x6e0, %ecx\n"
    "	wrmsr\n"
    "	rdmsr\n"
    "	xor %ebx, %ebx\n"
    "	cmp %esi, %eax\n"
    "	jne 1f\n"
    "	cmp %edi, %edx\n"
    "	jne 1f\n"
    "	inc %ebx\n"
    "1:	mov %ebx, %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	wait_count " STR(T_DEADLINE) ", 1\n"
    "	mov $0x6e0, %ecx\n"
    "	rdmsr\n"
    "	out %eax, $" STR(P_A) "\n"
    "	mov %edx, %eax\n"
    "	out %eax, $" STR(P_C) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "deadline_end:\n"

    /*
     * vCPU 0 of the two-vCPU test: INIT and SIPI to APIC ID 1; when the
     * host says vCPU 1 sleeps, a fixed IPI to it.
     */
    "sipi_start:\n"
    "	apic_on\n"
    "	movl $(1 << 24), APIC_ICR2\n"
    "	movl $0x4500, APIC_ICR\n"
    "	movl $(0x4600 | " STR(AP_PAGE) "), APIC_ICR\n"
    "	out %al, $" STR(P_A) "\n"
    "	wait_flag\n"
    "	movl $(1 << 24), APIC_ICR2\n"
    "	movl $" STR(IPI_VEC) ", APIC_ICR\n"
    "	out %al, $" STR(P_DONE) "\n"
    "sipi_end:\n"

    /*
     * vCPU 1, from the SIPI: real mode at AP_BASE, reports CS, goes to
     * protected mode with vCPU 0's GDT and the IDT, reports its APIC ID,
     * and sleeps until the IPI.
     */
    ".code16\n"
    "ap_start:\n"
    "	mov %cs, %ax\n"
    "	out %ax, $" STR(P_A) "\n"
    "	lgdtl " STR(GDTR_ADDR) "\n"
    "	lidtl " STR(IDTR_ADDR) "\n"
    "	mov %cr0, %eax\n"
    "	or $1, %eax\n"
    "	mov %eax, %cr0\n"
    "	ljmpl $" STR(TEST_SEL_CODE32) ", $(" STR(AP_BASE) " + ap_pm - ap_start)\n"
    ".code32\n"
    "ap_pm:\n"
    "	mov $" STR(TEST_SEL_DATA) ", %ax\n"
    "	mov %ax, %ds\n"
    "	mov %ax, %es\n"
    "	mov %ax, %fs\n"
    "	mov %ax, %gs\n"
    "	mov %ax, %ss\n"
    "	mov $" STR(AP_STACK) ", %esp\n"
    "	mov APIC_ID, %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	apic_on\n"
    "	out %al, $" STR(P_READY) "\n"
    "	wait_count " STR(IPI_VEC) ", 1\n"
    "	out %al, $" STR(P_DONE) "\n"
    "ap_end:\n"

    /* immediate_exit: the first instruction exits. */
    "imm_start:\n"
    "	out %al, $" STR(P_READY) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "imm_end:\n"

    /* The register page from 64-bit code, by a base register. */
    ".code64\n"
    "regs_start:\n"
    "	mov $0xfee00000, %esi\n"
    "	mov 0x20(%rsi), %eax\n"
    "	out %eax, $" STR(P_A) "\n"
    "	mov 0x30(%rsi), %eax\n"
    "	out %eax, $" STR(P_B) "\n"
    "	movl $0x1ff, 0xf0(%rsi)\n"
    "	mov 0xf0(%rsi), %eax\n"
    "	out %eax, $" STR(P_C) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "regs_end:\n"
    ".popsection\n");

extern const unsigned char stubs_start[], stubs_end[];
extern const unsigned char msi_start[], msi_end[];
extern const unsigned char level_start[], level_end[];
extern const unsigned char prio_start[], prio_end[];
extern const unsigned char oneshot_start[], oneshot_end[];
extern const unsigned char periodic_start[], periodic_end[];
extern const unsigned char storm_start[], storm_end[];
extern const unsigned char deadline_start[], deadline_end[];
extern const unsigned char sipi_start[], sipi_end[];
extern const unsigned char ap_start[], ap_end[];
extern const unsigned char imm_start[], imm_end[];
extern const unsigned char regs_start[], regs_end[];

/* One entry of a vCPU's log: an OUT (port, value) or EV_EOI (vector). */
struct ev {
	unsigned int port;
	uint32_t val;
};

/*
 * A vCPU and the thread that runs it. The thread logs every OUT and
 * IOAPIC EOI exit and enters again; it ends at P_DONE, P_FAULT, any
 * other exit, a KVM_RUN error, or when asked to stop.
 */
struct vcpu {
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	int started;
	int leaked;		/* did not stop: its fd and maps stay */
	/* Under log_lock: */
	int stop;
	int finished;
	unsigned int n;
	struct ev log[LOG_MAX];
	int last_exit;		/* the exit that ended the thread, or -1 */
	int err;		/* errno of a failed KVM_RUN, or 0 */
	unsigned int eagain;	/* KVM_RUN -EAGAIN (KVM, INIT/SIPI) */
};

struct lvm {
	struct test_vm vm;	/* vm.vcpu_fd / vm.run: vCPU 0 */
	struct vcpu v[2];
	int nv;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t log_cond = PTHREAD_COND_INITIALIZER;

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* With log_lock held. */
static void log_push(struct vcpu *v, unsigned int port, uint32_t val)
{
	if (v->n < LOG_MAX)
		v->log[v->n++] = (struct ev) { port, val };
	pthread_cond_broadcast(&log_cond);
}

static void vcpu_end(struct vcpu *v, int exit_reason, int err)
{
	pthread_mutex_lock(&log_lock);
	v->finished = 1;
	v->last_exit = exit_reason;
	v->err = err;
	pthread_cond_broadcast(&log_cond);
	pthread_mutex_unlock(&log_lock);
}

static int vcpu_stopping(struct vcpu *v)
{
	int stop;

	pthread_mutex_lock(&log_lock);
	stop = v->stop;
	pthread_mutex_unlock(&log_lock);
	return stop;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct kvm_run *r = v->run;
	uint32_t val;

	for (;;) {
		if (vcpu_stopping(v)) {
			vcpu_end(v, -1, 0);
			break;
		}
		if (ioctl(v->fd, KVM_RUN, 0)) {
			/* KVM: a vCPU that took INIT/SIPI; run it again. */
			if (errno == EAGAIN) {
				pthread_mutex_lock(&log_lock);
				v->eagain++;
				pthread_mutex_unlock(&log_lock);
				continue;
			}
			if (errno == EINTR)
				continue;	/* stop is checked above */
			vcpu_end(v, -1, errno);
			break;
		}
		if (r->exit_reason == KVM_EXIT_IO &&
		    r->io.direction == KVM_EXIT_IO_OUT && r->io.count == 1 &&
		    r->io.size <= 4) {
			val = 0;
			memcpy(&val, (unsigned char *)r + r->io.data_offset,
			       r->io.size);
			pthread_mutex_lock(&log_lock);
			log_push(v, r->io.port, val);
			pthread_mutex_unlock(&log_lock);
			if (r->io.port == P_DONE || r->io.port == P_FAULT) {
				vcpu_end(v, KVM_EXIT_IO, 0);
				break;
			}
			continue;
		}
		if (r->exit_reason == KVM_EXIT_IOAPIC_EOI) {
			pthread_mutex_lock(&log_lock);
			log_push(v, EV_EOI, r->eoi.vector);
			pthread_mutex_unlock(&log_lock);
			continue;
		}
		vcpu_end(v, r->exit_reason, 0);
		break;
	}
	return NULL;
}

static int vcpu_start(struct vcpu *v)
{
	if (pthread_create(&v->thread, NULL, vcpu_thread, v)) {
		ksft_print_msg("vCPU %d: pthread_create failed\n", v->id);
		return -1;
	}
	v->started = 1;
	return 0;
}

static void deadline_in(struct timespec *ts, unsigned int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Wait until @v logged @n entries (1) or ended or @ms passed (0). */
static int wait_log(struct vcpu *v, unsigned int n, unsigned int ms)
{
	struct timespec ts;
	int ok;

	deadline_in(&ts, ms);
	pthread_mutex_lock(&log_lock);
	while (v->n < n && !v->finished)
		if (pthread_cond_timedwait(&log_cond, &log_lock, &ts) ==
		    ETIMEDOUT)
			break;
	ok = v->n >= n;
	pthread_mutex_unlock(&log_lock);
	return ok;
}

/* Wait until @v's thread ended (1) or @ms passed (0). */
static int wait_end(struct vcpu *v, unsigned int ms)
{
	struct timespec ts;
	int done;

	deadline_in(&ts, ms);
	pthread_mutex_lock(&log_lock);
	while (!v->finished)
		if (pthread_cond_timedwait(&log_cond, &log_lock, &ts) ==
		    ETIMEDOUT)
			break;
	done = v->finished;
	pthread_mutex_unlock(&log_lock);
	return done;
}

/* Entry @i of @v's log, or { 0, 0 } if there is none yet. */
static struct ev log_at(struct vcpu *v, unsigned int i)
{
	struct ev e = { 0, 0 };

	pthread_mutex_lock(&log_lock);
	if (i < v->n)
		e = v->log[i];
	pthread_mutex_unlock(&log_lock);
	return e;
}

static void log_print(struct vcpu *v)
{
	unsigned int i;

	pthread_mutex_lock(&log_lock);
	ksft_print_msg("vCPU %d: %u exits logged, %s, last exit %d, errno %d, %u x EAGAIN\n",
		       v->id, v->n, v->finished ? "ended" : "running",
		       v->last_exit, v->err, v->eagain);
	for (i = 0; i < v->n; i++)
		ksft_print_msg("  [%u] %s 0x%x: 0x%x\n", i,
			       v->log[i].port == EV_EOI ? "IOAPIC EOI" : "OUT",
			       v->log[i].port == EV_EOI ? 0 : v->log[i].port,
			       v->log[i].val);
	pthread_mutex_unlock(&log_lock);
}

/*
 * Did @v end at P_DONE with exactly @want logged? An entry with port
 * P_A/P_B/P_C and val ~0U matches any value (the caller checks it).
 */
static int log_is(struct vcpu *v, const struct ev *want, unsigned int n)
{
	unsigned int i;
	int ok;

	pthread_mutex_lock(&log_lock);
	ok = v->finished && v->last_exit == KVM_EXIT_IO && v->n == n;
	for (i = 0; ok && i < n; i++)
		ok = v->log[i].port == want[i].port &&
		     (want[i].val == ~0U || v->log[i].val == want[i].val);
	pthread_mutex_unlock(&log_lock);
	if (!ok)
		log_print(v);
	return ok;
}

/* Take @v out of KVM_RUN for good: stop flag, immediate_exit, signals. */
static void vcpu_stop(struct vcpu *v)
{
	int i;

	if (!v->started)
		return;
	pthread_mutex_lock(&log_lock);
	v->stop = 1;
	pthread_mutex_unlock(&log_lock);
	v->run->immediate_exit = 1;
	for (i = 0; i < 300 && !wait_end(v, 0); i++) {
		pthread_kill(v->thread, SIGUSR1);
		wait_end(v, 10);
	}
	if (wait_end(v, 0)) {
		pthread_join(v->thread, NULL);
	} else {
		ksft_print_msg("vCPU %d did not leave KVM_RUN in 3 s: leaked\n",
			       v->id);
		pthread_detach(v->thread);
		v->leaked = 1;
	}
	v->started = 0;
}

static void vcpu_init(struct vcpu *v, int id)
{
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->fd = -1;
	v->run = MAP_FAILED;
	v->last_exit = -1;
}

static int lvm_fail(struct lvm *l, const char *what)
{
	ksft_print_msg("setup: %s: %s\n", what, strerror(errno));
	(void)l;
	return -1;
}

/* A VM with guest memory at 0 and, if @split, the split irqchip. */
static int lvm_create(struct lvm *l, const char *path, int split)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap cap;
	uint32_t *idt;
	unsigned int i;
	uint32_t off;

	memset(l, 0, sizeof(*l));
	vcpu_init(&l->v[0], 0);
	vcpu_init(&l->v[1], 1);
	if (test_vm_open_dev(&l->vm, path)) {
		ksft_print_msg("setup: %s\n", l->vm.err);
		return -1;
	}
	l->vm.vm_fd = ioctl(l->vm.sys_fd, KVM_CREATE_VM, 0);
	if (l->vm.vm_fd < 0)
		return lvm_fail(l, "KVM_CREATE_VM");
	l->vm.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (l->vm.mem == MAP_FAILED)
		return lvm_fail(l, "mmap");
	l->vm.mem_size = MEM_SIZE;
	memset(&region, 0, sizeof(region));
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (unsigned long)l->vm.mem;
	if (ioctl(l->vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return lvm_fail(l, "KVM_SET_USER_MEMORY_REGION");
	if (split) {
		memset(&cap, 0, sizeof(cap));
		cap.cap = KVM_CAP_SPLIT_IRQCHIP;
		cap.args[0] = IOAPIC_PINS;
		if (ioctl(l->vm.vm_fd, KVM_ENABLE_CAP, &cap))
			return lvm_fail(l, "KVM_ENABLE_CAP(SPLIT_IRQCHIP)");
	}
	/* 32-bit interrupt gates to the stubs, selector TEST_SEL_CODE32. */
	memcpy(l->vm.mem + STUBS_ADDR, stubs_start, stubs_end - stubs_start);
	idt = (uint32_t *)(l->vm.mem + IDT_ADDR);
	for (i = 0; i < 256; i++) {
		off = STUBS_ADDR + 16 * i;
		idt[2 * i] = (off & 0xffff) | (TEST_SEL_CODE32 << 16);
		idt[2 * i + 1] = (off & 0xffff0000U) | 0x8e00;
	}
	return 0;
}

static int lvm_add_vcpu(struct lvm *l, int id)
{
	struct vcpu *v = &l->v[id];
	int size;

	v->fd = ioctl(l->vm.vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return lvm_fail(l, "KVM_CREATE_VCPU");
	l->nv = id + 1;
	size = ioctl(l->vm.sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return lvm_fail(l, "KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		return lvm_fail(l, "mmap kvm_run");
	if (id == 0) {
		/* For tests/lib/mode.c, which works on vm.vcpu_fd. */
		l->vm.vcpu_fd = v->fd;
		l->vm.run = v->run;
		l->vm.run_size = v->run_size;
	}
	return 0;
}

/* vCPU 0 in @mode at CODE_ADDR running @start..@end, with the IDT. */
static int lvm_guest(struct lvm *l, enum test_mode mode,
		     const unsigned char *start, const unsigned char *end)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	memcpy(l->vm.mem + CODE_ADDR, start, end - start);
	if (test_vm_set_mode(&l->vm, mode, CODE_ADDR)) {
		ksft_print_msg("setup: %s\n", l->vm.err);
		return -1;
	}
	if (ioctl(l->vm.vcpu_fd, KVM_GET_SREGS, &s))
		return lvm_fail(l, "KVM_GET_SREGS");
	if (mode == TEST_MODE_PROT) {
		s.idt.base = IDT_ADDR;
		s.idt.limit = 256 * 8 - 1;
		if (ioctl(l->vm.vcpu_fd, KVM_SET_SREGS, &s))
			return lvm_fail(l, "KVM_SET_SREGS");
	}
	/* For vCPU 1's LGDT/LIDT: limit (16 bits), base (32 bits). */
	memcpy(l->vm.mem + GDTR_ADDR, &s.gdt.limit, 2);
	memcpy(l->vm.mem + GDTR_ADDR + 2, &s.gdt.base, 4);
	memcpy(l->vm.mem + IDTR_ADDR, &(uint16_t){ 256 * 8 - 1 }, 2);
	memcpy(l->vm.mem + IDTR_ADDR + 2, &(uint32_t){ IDT_ADDR }, 4);
	if (ioctl(l->vm.vcpu_fd, KVM_GET_REGS, &r))
		return lvm_fail(l, "KVM_GET_REGS");
	r.rsp = BSP_STACK;
	if (ioctl(l->vm.vcpu_fd, KVM_SET_REGS, &r))
		return lvm_fail(l, "KVM_SET_REGS");
	return 0;
}

static void lvm_set_flag(struct lvm *l)
{
	__atomic_store_n((uint32_t *)(l->vm.mem + FLAG_ADDR), 1,
			 __ATOMIC_SEQ_CST);
}

static void lvm_destroy(struct lvm *l)
{
	int i, leaked = 0;

	for (i = 0; i < l->nv; i++) {
		vcpu_stop(&l->v[i]);
		leaked |= l->v[i].leaked;
	}
	if (leaked)
		return;		/* a thread may still be in KVM_RUN */
	for (i = 0; i < l->nv; i++) {
		if (l->v[i].run != MAP_FAILED)
			munmap(l->v[i].run, l->v[i].run_size);
		if (l->v[i].fd >= 0)
			close(l->v[i].fd);
	}
	/* vCPU 0's fd and map are gone already. */
	l->vm.vcpu_fd = -1;
	l->vm.run = MAP_FAILED;
	test_vm_destroy(&l->vm);
}

/*
 * After a timer test failed: how far the guest got, for the log. Stops
 * vCPU 0 first so that its registers can be read.
 */
static void timer_report(struct lvm *l, unsigned int vec)
{
	volatile uint32_t *cnt = (uint32_t *)(l->vm.mem + CNT_BASE);
	struct kvm_regs r;

	vcpu_stop(&l->v[0]);
	ksft_print_msg("vector 0x%x taken %u times, %u with IF = 0\n", vec,
		       cnt[vec], *(volatile uint32_t *)(l->vm.mem + BADIF_ADDR));
	if (!l->v[0].leaked && !ioctl(l->v[0].fd, KVM_GET_REGS, &r))
		ksft_print_msg("vCPU 0 at RIP 0x%llx, RFLAGS 0x%llx, RSP 0x%llx\n",
			       r.rip, r.rflags, r.rsp);
}

static int signal_msi(struct lvm *l, uint32_t addr, uint32_t data)
{
	struct kvm_msi msi;
	int ret;

	memset(&msi, 0, sizeof(msi));
	msi.address_lo = addr;
	msi.data = data;
	ret = ioctl(l->vm.vm_fd, KVM_SIGNAL_MSI, &msi);
	ksft_print_msg("KVM_SIGNAL_MSI address 0x%x data 0x%x: %d%s%s\n", addr,
		       data, ret, ret < 0 ? ", " : "",
		       ret < 0 ? strerror(errno) : "");
	return ret;
}

/* KVM_ENABLE_CAP(@cap) on @vm_fd with args[0] @a0, args[1..3] @rest. */
static int enable_cap(int vm_fd, uint32_t cap_nr, uint64_t a0, uint64_t rest)
{
	struct kvm_enable_cap cap;

	memset(&cap, 0, sizeof(cap));
	cap.cap = cap_nr;
	cap.args[0] = a0;
	cap.args[1] = cap.args[2] = cap.args[3] = rest;
	return ioctl(vm_fd, KVM_ENABLE_CAP, &cap) ? errno : 0;
}

/* KVM_ENABLE_CAP(SPLIT_IRQCHIP) on @vm_fd: 0 or the errno. */
static int enable_split(int vm_fd, uint32_t flags, uint64_t pins)
{
	struct kvm_enable_cap cap;

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_SPLIT_IRQCHIP;
	cap.flags = flags;
	cap.args[0] = pins;
	return ioctl(vm_fd, KVM_ENABLE_CAP, &cap) ? errno : 0;
}

/* (1): the capability and its rules. */
static void cap_tests(const char *path, const char *dev)
{
	static const struct {
		unsigned int cap;
		const char *name;
	} caps[] = {
		{ KVM_CAP_SPLIT_IRQCHIP, "SPLIT_IRQCHIP" },
		{ KVM_CAP_SIGNAL_MSI, "SIGNAL_MSI" },
		{ KVM_CAP_TSC_DEADLINE_TIMER, "TSC_DEADLINE_TIMER" },
		{ KVM_CAP_IMMEDIATE_EXIT, "IMMEDIATE_EXIT" },
	};
	int first = -1, twice = -1, after = -1, flags = -1, pins = -1;
	int unknown = -1, args = -1;
	int vcpu, ok;
	struct test_vm vm;
	unsigned int i;

	if (test_vm_open_dev(&vm, path) == 0) {
		vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
		if (vm.vm_fd >= 0) {
			first = enable_split(vm.vm_fd, 0, IOAPIC_PINS);
			twice = enable_split(vm.vm_fd, 0, IOAPIC_PINS);
		}
		ok = 1;
		for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
			int r = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION,
				      caps[i].cap);

			ksft_print_msg("KVM_CHECK_EXTENSION(KVM_CAP_%s): %d\n",
				       caps[i].name, r);
			ok = ok && r > 0;
		}
		close(vm.vm_fd);
		vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
		vcpu = vm.vm_fd >= 0 ? ioctl(vm.vm_fd, KVM_CREATE_VCPU, 0) : -1;
		if (vcpu >= 0) {
			after = enable_split(vm.vm_fd, 0, IOAPIC_PINS);
			close(vcpu);
		}
		close(vm.vm_fd);
		vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
		if (vm.vm_fd >= 0)
			flags = enable_split(vm.vm_fd, 1, IOAPIC_PINS);
		close(vm.vm_fd);
		vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
		if (vm.vm_fd >= 0)
			pins = enable_split(vm.vm_fd, 0, MAX_PINS + 1);
		close(vm.vm_fd);
		vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
		if (vm.vm_fd >= 0) {
			unknown = enable_cap(vm.vm_fd, 0x7fffffffU, 0, 0);
			/* args[1..3] mean nothing to SPLIT_IRQCHIP: not looked at. */
			args = enable_cap(vm.vm_fd, KVM_CAP_SPLIT_IRQCHIP,
					  IOAPIC_PINS, ~0ULL);
		}
	} else {
		ok = 0;
	}
	test_vm_destroy(&vm);
	ksft_print_msg("ENABLE_CAP(SPLIT_IRQCHIP, %d pins): %s; again: %s; after a vCPU: %s; flags 1: %s; %d pins: %s\n",
		       IOAPIC_PINS, strerror(first), strerror(twice),
		       strerror(after), strerror(flags), MAX_PINS + 1,
		       strerror(pins));
	ksft_result_dev(first == 0, "split-irqchip-enable", dev);
	ksft_result_dev(twice == EEXIST, "split-irqchip-twice-eexist", dev);
	/* KVM: -EEXIST as for a second enable (kvm->created_vcpus). */
	ksft_result_dev(after == EEXIST, "split-irqchip-after-vcpu-eexist", dev);
	ksft_result_dev(flags == EINVAL, "split-irqchip-bad-flags-einval", dev);
	ksft_result_dev(pins == EINVAL, "split-irqchip-too-many-pins-einval", dev);
	ksft_print_msg("ENABLE_CAP(0x7fffffff): %s; SPLIT_IRQCHIP with args[1..3] set: %s\n",
		       strerror(unknown), strerror(args));
	ksft_result_dev(unknown == EINVAL, "enable-cap-unknown-einval", dev);
	ksft_result_dev(args == 0, "split-irqchip-other-args-ignored", dev);
	ksft_result_dev(ok, "split-irqchip-extensions", dev);
}

/* (2): APIC ID, version and SVR from long mode. */
static void regs_test(const char *path, const char *dev)
{
	static const struct ev want[] = {
		{ P_A, ~0U }, { P_B, ~0U }, { P_C, ~0U }, { P_DONE, ~0U },
	};
	uint32_t id = ~0U, ver = ~0U, svr = ~0U;
	struct lvm l;
	int ran = 0;

	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0 &&
	    lvm_guest(&l, TEST_MODE_LONG, regs_start, regs_end) == 0 &&
	    vcpu_start(&l.v[0]) == 0) {
		wait_end(&l.v[0], WAIT_MS);
		ran = log_is(&l.v[0], want, 4);
		id = log_at(&l.v[0], 0).val;
		ver = log_at(&l.v[0], 1).val;
		svr = log_at(&l.v[0], 2).val;
	}
	lvm_destroy(&l);
	ksft_print_msg("APIC ID 0x%x (want 0), version 0x%x (want 0x14 in 7:0), SVR 0x%x (want 0x1ff)\n",
		       id, ver, svr);
	ksft_result_dev(ran && id == 0, "lapic-id-vcpu0-long", dev);
	ksft_result_dev(ran && (ver & 0xff) == 0x14, "lapic-version", dev);
	ksft_result_dev(ran && svr == 0x1ff, "lapic-svr-readback", dev);
}

/* (3): an MSI wakes vCPU 0 from HLT; its handler runs, no HLT exit. */
static int msi_halt_test(const char *path)
{
	static const struct ev want[] = {
		{ P_READY, ~0U }, { P_MARK, MSI_VEC }, { P_DONE, ~0U },
	};
	struct lvm l;
	int ok = 0, ret;

	if (lvm_create(&l, path, 1) || lvm_add_vcpu(&l, 0) ||
	    lvm_guest(&l, TEST_MODE_PROT, msi_start, msi_end) ||
	    vcpu_start(&l.v[0]))
		goto out;
	if (!wait_log(&l.v[0], 1, WAIT_MS))
		goto out;
	test_sleep_ms(100);		/* into HLT */
	ret = signal_msi(&l, MSI_ADDR, MSI_VEC);
	wait_end(&l.v[0], WAIT_MS);
	ok = log_is(&l.v[0], want, 3) && ret == 1;
out:
	lvm_destroy(&l);
	return ok;
}

/*
 * (3): an address outside 0xFEExxxxx. lamina refuses it (-EINVAL); KVM
 * 6.1 does not look at bits 31:20 and treats it as an MSI to the
 * destination in 19:12 (returns 0 or 1, never an error): the point
 * checks each device's documented answer (docs/abi.md).
 */
static void msi_bad_addr_test(const char *path, const char *dev)
{
	struct lvm l;
	int ret = 0, err = 0;

	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0) {
		ret = signal_msi(&l, 0xfed00000U, MSI_VEC);
		err = errno;
	}
	lvm_destroy(&l);
	ksft_print_msg("MSI to 0xfed00000: %d (%s)\n", ret,
		       ret < 0 ? strerror(err) : "no error");
	if (strcmp(dev, "lamina"))
		ksft_result_dev(ret >= 0, "msi-bad-address", dev);
	else
		ksft_result_dev(ret == -1 && err == EINVAL, "msi-bad-address",
				dev);
}

/*
 * KVM_SIGNAL_MSI's flags: KVM_MSI_VALID_DEVID is KVM's one flag (x86
 * ignores the devid: delivered, 0 or 1); any other is -EINVAL.
 */
static void msi_flags_test(const char *path, const char *dev)
{
	static const uint32_t bad[] = { 2U, 0x80000000U,
					KVM_MSI_VALID_DEVID | 4U };
	struct kvm_msi msi;
	struct lvm l;
	unsigned int i;
	int ok = 0, devid = -2;

	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0) {
		ok = 1;
		memset(&msi, 0, sizeof(msi));
		msi.address_lo = MSI_ADDR;
		msi.data = MSI_VEC;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			msi.flags = bad[i];
			if (ioctl(l.vm.vm_fd, KVM_SIGNAL_MSI, &msi) != -1 ||
			    errno != EINVAL) {
				ksft_print_msg("KVM_SIGNAL_MSI flags 0x%x: not EINVAL\n",
					       bad[i]);
				ok = 0;
			}
		}
		msi.flags = KVM_MSI_VALID_DEVID;
		msi.devid = 0x1234;
		devid = ioctl(l.vm.vm_fd, KVM_SIGNAL_MSI, &msi);
		ksft_print_msg("KVM_SIGNAL_MSI with KVM_MSI_VALID_DEVID: %d%s%s\n",
			       devid, devid < 0 ? ", " : "",
			       devid < 0 ? strerror(errno) : "");
	}
	lvm_destroy(&l);
	ksft_result_dev(ok, "msi-bad-flags-einval", dev);
	ksft_result_dev(devid == 0 || devid == 1, "msi-valid-devid-ignored", dev);
}

/*
 * An MSI to a LAPIC that is software-disabled (SVR bit 8 clear, as after
 * RESET) is not accepted: KVM_SIGNAL_MSI returns 0 ("the guest blocked
 * the MSI", api.rst), not 1.
 */
static int msi_disabled_test(const char *path)
{
	struct lvm l;
	int ret = -2;

	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0)
		ret = signal_msi(&l, MSI_ADDR, MSI_VEC);
	lvm_destroy(&l);
	return ret == 0;
}

/* (4): 0x40 and 0x80 pending with IF = 0: 0x80 runs first. */
static int priority_test(const char *path)
{
	static const struct ev want[] = {
		{ P_READY, ~0U }, { P_A, 1U << (PRIO_LOW % 32) },
		{ P_B, 1U << (PRIO_HIGH % 32) }, { P_MARK, PRIO_HIGH },
		{ P_MARK, PRIO_LOW }, { P_DONE, ~0U },
	};
	struct lvm l;
	int ok = 0, lo, hi;

	if (lvm_create(&l, path, 1) || lvm_add_vcpu(&l, 0) ||
	    lvm_guest(&l, TEST_MODE_PROT, prio_start, prio_end) ||
	    vcpu_start(&l.v[0]))
		goto out;
	if (!wait_log(&l.v[0], 1, WAIT_MS))
		goto out;
	lo = signal_msi(&l, MSI_ADDR, PRIO_LOW);
	hi = signal_msi(&l, MSI_ADDR, PRIO_HIGH);
	lvm_set_flag(&l);
	wait_end(&l.v[0], WAIT_MS);
	ok = log_is(&l.v[0], want, 6) && lo == 1 && hi == 1;
out:
	lvm_destroy(&l);
	return ok;
}

/*
 * vCPU 0's CPUID: the device's supported table, with @ecx1 ORed into
 * leaf 1's ECX. KVM needs it for more than CPUID: without a leaf 1 its
 * LVTT timer-mode mask stays 0, so the timer is one-shot only.
 */
static int set_cpuid(struct lvm *l, uint32_t ecx1)
{
	unsigned int max = 256, i;
	struct kvm_cpuid2 *c;
	int ret = -1, found = 0;

	c = calloc(1, sizeof(*c) + max * sizeof(c->entries[0]));
	if (!c)
		return -1;
	c->nent = max;
	if (ioctl(l->vm.sys_fd, KVM_GET_SUPPORTED_CPUID, c)) {
		lvm_fail(l, "KVM_GET_SUPPORTED_CPUID");
		goto out;
	}
	for (i = 0; i < c->nent; i++) {
		if (c->entries[i].function == 1) {
			c->entries[i].ecx |= ecx1;
			found = 1;
		}
	}
	if (!found) {
		ksft_print_msg("setup: no CPUID leaf 1\n");
		goto out;
	}
	if (ioctl(l->v[0].fd, KVM_SET_CPUID2, c)) {
		lvm_fail(l, "KVM_SET_CPUID2");
		goto out;
	}
	ret = 0;
out:
	free(c);
	return ret;
}

/* (5): the timer, in its three modes. */
static void timer_tests(const char *path, const char *dev)
{
	static const struct ev w_one[] = {
		{ P_MARK, T_ONESHOT }, { P_A, 0 }, { P_DONE, ~0U },
	};
	/* Each of STORM_N one-shots taken once, none with IF = 0. */
	static const struct ev w_storm[] = {
		{ P_A, STORM_N }, { P_B, 0 }, { P_DONE, ~0U },
	};
	static const struct ev w_per[] = {
		{ P_A, ~0U }, { P_B, ~0U }, { P_DONE, ~0U },
	};
	static const struct ev w_dl[] = {
		{ P_B, 1 }, { P_MARK, T_DEADLINE }, { P_A, 0 }, { P_C, 0 },
		{ P_DONE, ~0U },
	};
	struct lvm l;
	uint32_t cur, n;
	int ok = 0;

	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0 &&
	    set_cpuid(&l, 0) == 0 &&
	    lvm_guest(&l, TEST_MODE_PROT, oneshot_start, oneshot_end) == 0 &&
	    vcpu_start(&l.v[0]) == 0) {
		wait_end(&l.v[0], WAIT_MS);
		ok = log_is(&l.v[0], w_one, 3);
		if (!ok)
			timer_report(&l, T_ONESHOT);
	}
	lvm_destroy(&l);
	ksft_result_dev(ok, "timer-oneshot", dev);

	ok = 0;
	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0 &&
	    set_cpuid(&l, 0) == 0 &&
	    lvm_guest(&l, TEST_MODE_PROT, storm_start, storm_end) == 0 &&
	    vcpu_start(&l.v[0]) == 0) {
		wait_end(&l.v[0], 10 * WAIT_MS);
		ok = log_is(&l.v[0], w_storm, 3);
		if (!ok)
			timer_report(&l, T_STORM);
	}
	lvm_destroy(&l);
	ksft_result_dev(ok, "timer-oneshot-storm", dev);

	ok = 0;
	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0 &&
	    set_cpuid(&l, 0) == 0 &&
	    lvm_guest(&l, TEST_MODE_PROT, periodic_start, periodic_end) == 0 &&
	    vcpu_start(&l.v[0]) == 0) {
		wait_end(&l.v[0], WAIT_MS);
		ok = log_is(&l.v[0], w_per, 3);
		cur = log_at(&l.v[0], 0).val;
		n = log_at(&l.v[0], 1).val;
		ksft_print_msg("periodic: TMCCT after the TMICT write %u (want 1..%u), %u interrupts (want >= 3)\n",
			       cur, PERIODIC_COUNT, n);
		ok = ok && cur > 0 && cur <= PERIODIC_COUNT && n >= 3;
		if (!ok)
			timer_report(&l, T_PERIODIC);
	}
	lvm_destroy(&l);
	ksft_result_dev(ok, "timer-periodic", dev);

	ok = 0;
	if (lvm_create(&l, path, 1) == 0 && lvm_add_vcpu(&l, 0) == 0 &&
	    set_cpuid(&l, CPUID_TSC_DEADLINE) == 0 &&
	    lvm_guest(&l, TEST_MODE_PROT, deadline_start, deadline_end) == 0 &&
	    vcpu_start(&l.v[0]) == 0) {
		wait_end(&l.v[0], WAIT_MS);
		ok = log_is(&l.v[0], w_dl, 5);
	}
	lvm_destroy(&l);
	ksft_result_dev(ok, "timer-tsc-deadline", dev);
}

/*
 * (6): vCPU 1 waits for INIT/SIPI, starts in real mode at AP_BASE, then
 * sleeps in HLT until vCPU 0's fixed IPI.
 */
static void two_vcpu_tests(const char *path, const char *dev)
{
	static const struct ev w_ap[] = {
		{ P_A, AP_PAGE << 8 }, { P_B, 1U << 24 }, { P_READY, ~0U },
		{ P_MARK, IPI_VEC }, { P_DONE, ~0U },
	};
	static const struct ev w_bsp[] = {
		{ P_A, ~0U }, { P_DONE, ~0U },
	};
	int waits = 0, started = 0, id_ok = 0, ipi = 0;
	struct kvm_mp_state mp = { .mp_state = ~0U };
	struct ev e;
	struct lvm l;

	if (lvm_create(&l, path, 1) || lvm_add_vcpu(&l, 0) ||
	    lvm_add_vcpu(&l, 1) ||
	    lvm_guest(&l, TEST_MODE_PROT, sipi_start, sipi_end))
		goto out;
	memcpy(l.vm.mem + AP_BASE, ap_start, ap_end - ap_start);
	if (ioctl(l.v[1].fd, KVM_GET_MP_STATE, &mp))
		lvm_fail(&l, "KVM_GET_MP_STATE");
	if (vcpu_start(&l.v[1]))
		goto out;
	/* It must stay in KVM_RUN, without an exit, until the SIPI. */
	wait_log(&l.v[1], 1, 200);
	waits = mp.mp_state == KVM_MP_STATE_UNINITIALIZED &&
		log_at(&l.v[1], 0).port == 0 && !wait_end(&l.v[1], 0);
	ksft_print_msg("vCPU 1 before SIPI: mp_state %u (want %u), %s\n",
		       mp.mp_state, KVM_MP_STATE_UNINITIALIZED,
		       waits ? "waiting" : "did not wait");
	if (vcpu_start(&l.v[0]))
		goto out;
	wait_log(&l.v[1], 1, WAIT_MS);
	e = log_at(&l.v[1], 0);
	started = e.port == P_A && e.val == AP_PAGE << 8;
	ksft_print_msg("vCPU 1 after SIPI: OUT 0x%x: CS 0x%x (want 0x%x)\n",
		       e.port, e.val, AP_PAGE << 8);
	wait_log(&l.v[1], 3, WAIT_MS);
	e = log_at(&l.v[1], 1);
	id_ok = e.port == P_B && e.val == 1U << 24;
	ksft_print_msg("vCPU 1 APIC ID 0x%x (want 0x%x)\n", e.val, 1U << 24);
	if (log_at(&l.v[1], 2).port == P_READY) {
		test_sleep_ms(100);		/* into HLT */
		lvm_set_flag(&l);
	}
	wait_end(&l.v[1], WAIT_MS);
	wait_end(&l.v[0], WAIT_MS);
	ipi = log_is(&l.v[1], w_ap, 5) && log_is(&l.v[0], w_bsp, 2);
out:
	lvm_destroy(&l);
	ksft_result_dev(waits, "ap-waits-uninitialized", dev);
	ksft_result_dev(started, "init-sipi-starts-ap-real-mode", dev);
	ksft_result_dev(id_ok, "lapic-id-vcpu1", dev);
	ksft_result_dev(ipi, "ipi-fixed-wakes-halted-ap", dev);
}

/* (7): a level-triggered MSI of an IOAPIC pin's route: EOI exits. */
static int level_eoi_test(const char *path)
{
	static const struct ev want[] = {
		{ P_READY, ~0U }, { P_MARK, LEVEL_VEC },
		{ EV_EOI, LEVEL_VEC }, { P_DONE, ~0U },
	};
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[1];
	} rt;
	struct lvm l;
	int ok = 0, ret;

	memset(&rt, 0, sizeof(rt));
	rt.hdr.nr = 1;
	rt.e[0].gsi = LEVEL_GSI;
	rt.e[0].type = KVM_IRQ_ROUTING_MSI;
	rt.e[0].u.msi.address_lo = MSI_ADDR;
	rt.e[0].u.msi.data = LEVEL_VEC | MSI_LEVEL;
	if (lvm_create(&l, path, 1) || lvm_add_vcpu(&l, 0) ||
	    lvm_guest(&l, TEST_MODE_PROT, level_start, level_end))
		goto out;
	if (ioctl(l.vm.vm_fd, KVM_SET_GSI_ROUTING, &rt)) {
		lvm_fail(&l, "KVM_SET_GSI_ROUTING");
		goto out;
	}
	if (vcpu_start(&l.v[0]) || !wait_log(&l.v[0], 1, WAIT_MS))
		goto out;
	test_sleep_ms(100);
	ret = signal_msi(&l, MSI_ADDR, LEVEL_VEC | MSI_LEVEL);
	wait_end(&l.v[0], WAIT_MS);
	ok = log_is(&l.v[0], want, 4) && ret == 1;
out:
	lvm_destroy(&l);
	return ok;
}

/* (8): immediate_exit: -EINTR at once, the guest did not run. */
static int immediate_exit_test(const char *path)
{
	struct lvm l;
	struct kvm_run *r;
	int ok = 0, ret, err;

	if (lvm_create(&l, path, 1) || lvm_add_vcpu(&l, 0) ||
	    lvm_guest(&l, TEST_MODE_PROT, imm_start, imm_end))
		goto out;
	r = l.v[0].run;
	r->immediate_exit = 1;
	ret = ioctl(l.v[0].fd, KVM_RUN, 0);
	err = errno;
	ksft_print_msg("immediate_exit: KVM_RUN %d (%s), exit_reason %u\n",
		       ret, ret ? strerror(err) : "no error", r->exit_reason);
	r->immediate_exit = 0;
	if (ret != -1 || err != EINTR)
		goto out;
	/* The first instruction has not run yet. */
	ret = ioctl(l.v[0].fd, KVM_RUN, 0);
	ok = ret == 0 && r->exit_reason == KVM_EXIT_IO &&
	     r->io.port == P_READY;
	ksft_print_msg("then: KVM_RUN %d, exit %u port 0x%x (want OUT 0x%x)\n",
		       ret, r->exit_reason, r->io.port, P_READY);
out:
	lvm_destroy(&l);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	struct sigaction sa;
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(27);
	alarm(300);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;	/* no SA_RESTART: KVM_RUN returns */
	sigaction(SIGUSR1, &sa, NULL);

	cap_tests(path, dev);
	regs_test(path, dev);
	ksft_result_dev(msi_halt_test(path), "msi-wakes-halted-vcpu", dev);
	msi_bad_addr_test(path, dev);
	msi_flags_test(path, dev);
	ksft_result_dev(msi_disabled_test(path), "msi-sw-disabled-apic-returns-0", dev);
	ksft_result_dev(priority_test(path), "msi-priority-highest-first", dev);
	timer_tests(path, dev);
	two_vcpu_tests(path, dev);
	ksft_result_dev(level_eoi_test(path), "msi-level-ioapic-eoi-exit", dev);
	ksft_result_dev(immediate_exit_test(path), "immediate-exit-eintr", dev);
	ksft_finished();
	return KSFT_FAIL;
}
