// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfd DEVICE: KVM_IOEVENTFD, KVM_IRQFD and KVM_SET_GSI_ROUTING, with
 * the same expectations on /dev/kvm and /dev/lamina (KVM 6.1's answers).
 *  - ioeventfd-*: a 32-bit guest writes ports and MMIO addresses with
 *    ioeventfds on them: wildcard, DATAMATCH and length 0 ("any
 *    length"). A write that hits counts on the eventfd and never reaches
 *    userspace; a DATAMATCH or length mismatch exits as usual. Deassign
 *    between two writes; an eventfd closed while registered still
 *    absorbs writes (the registration holds it); 50 assign/deassign
 *    rounds while a vCPU thread writes the port. Bad arguments: length,
 *    wraparound, flags, length 0 with DATAMATCH, no fd (EBADF), an fd
 *    that is no eventfd (EINVAL), collisions (EEXIST), deassign of what
 *    is not there (ENOENT).
 *  - irqfd-*: with the split irqchip and MSI routes, a device thread
 *    signals the eventfd while the vCPU sleeps in HLT in the kernel and
 *    the guest's handler for the routed vector runs; a signal from
 *    before KVM_IRQFD counts; a new routing table retargets the irqfd;
 *    after deassign the eventfd injects nothing; close() of a
 *    registered eventfd; the VM goes with an irqfd still registered.
 *    Bad arguments: no irqchip, flags, RESAMPLE, no fd, no eventfd, one
 *    eventfd on two GSIs (EBUSY).
 *  - gsi-routing-*: no irqchip, flags, too many routes, GSI out of range,
 *    unknown and irqchip route types, a GSI routed twice, route flags
 *    other than KVM_MSI_VALID_DEVID (which is accepted). 50 new tables
 *    while a vCPU thread runs a guest that writes a port with interrupts
 *    on: after each, an irqfd signal brings the new route's vector, once
 *    (the ioctl's time and the vCPU's exits are printed, not asserted).
 * Every KVM_RUN has a 5 s watchdog (a timer signal to the vCPU thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/sched.h"
#include "lib/vm.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define MEM_SIZE 0x20000UL
#define CODE_ADDR 0x1000
/* TEST_MODE_TABLES_START .. _END (0x2000 .. 0xa000): GDT */
#define IDT_ADDR 0xb000
#define FLAG_ADDR 0xd800	/* host -> guest: stop waiting */
#define STACK_TOP 0xf000
#define STUBS_ADDR 0x10000

/* Ports and MMIO addresses (no memory slot above MEM_SIZE). */
#define P_W 0xe0		/* PIO wildcard, length 2 */
#define P_DM 0xe1		/* PIO DATAMATCH 0x1234, length 2 */
#define P_ANY 0xe2		/* PIO length 0 */
#define P_SYNC 0xe3		/* the host acts here */
#define P_READY 0xeb
#define P_MARK 0xec		/* an interrupt handler ran: its vector */
#define P_DONE 0xef
#define M_W 0x100000UL		/* MMIO wildcard, length 4 */
#define M_DM 0x100010UL		/* MMIO DATAMATCH 0xcafe, length 4 */
#define M_ANY 0x100020UL	/* MMIO length 0 */

#define VEC_BASE 0x40		/* handlers for 0x40 .. 0x47 */
#define NR_VEC 8
#define V1 0x41
#define V2 0x42
#define V3 0x43
#define GSI_A 5
#define GSI_B 6
#define IOAPIC_PINS 24
#define MAX_ROUTES 4096		/* KVM_MAX_IRQ_ROUTES on x86 */
#define MSI_ADDR 0xfee00000U

#define RUN_MS 5000
#define MAX_EXITS 16

asm(".pushsection .rodata\n"
    ".code32\n"
    ".set APIC_EOI, 0xfee000b0\n"
    ".set APIC_SVR, 0xfee000f0\n"
    /* Every ioeventfd kind; only the misses may exit. */
    "io_start:\n"
    "	mov $0x1234, %eax\n"
    "	out %ax, $" STR(P_W) "\n"
    "	out %ax, $" STR(P_DM) "\n"
    "	mov $0x5678, %eax\n"
    "	out %ax, $" STR(P_DM) "\n"	/* value mismatch: exits */
    "	out %al, $" STR(P_DM) "\n"	/* length mismatch: exits */
    "	out %al, $" STR(P_ANY) "\n"
    "	out %eax, $" STR(P_ANY) "\n"
    "	movl $0x11223344, " STR(M_W) "\n"
    "	movl $0xcafe, " STR(M_DM) "\n"
    "	movl $0xbeef, " STR(M_DM) "\n"	/* value mismatch: exits */
    "	movb $1, " STR(M_ANY) "\n"
    "	movl $2, " STR(M_ANY) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "io_end:\n"
    /* Deassign between two writes of the same port. */
    "live_start:\n"
    "	out %al, $" STR(P_W) "\n"
    "	out %al, $" STR(P_SYNC) "\n"
    "	out %al, $" STR(P_W) "\n"
    "	out %al, $" STR(P_DONE) "\n"
    "live_end:\n"
    /* Writes the port forever. */
    "spin_start:\n"
    "1:	out %al, $" STR(P_W) "\n"
    "	jmp 1b\n"
    "spin_end:\n"
    /* Interrupts: sleep (STI; HLT) until the host sets FLAG. */
    "irq_start:\n"
    "	movl $0x1ff, APIC_SVR\n"
    "	out %al, $" STR(P_READY) "\n"
    "1:	cli\n"
    "	cmpl $0, " STR(FLAG_ADDR) "\n"
    "	jne 2f\n"
    "	sti\n"
    "	hlt\n"
    "	jmp 1b\n"
    "2:	out %al, $" STR(P_DONE) "\n"
    "irq_end:\n"
    /* Interrupts on: write the port forever (handlers interleave). */
    "rspin_start:\n"
    "	movl $0x1ff, APIC_SVR\n"
    "	sti\n"
    "1:	out %al, $" STR(P_W) "\n"
    "	jmp 1b\n"
    "rspin_end:\n"
    /* Handlers: report the vector, EOI. 16 bytes apart from stubs_start. */
    ".balign 16\n"
    "stubs_start:\n"
    ".set vec, " STR(VEC_BASE) "\n"
    ".rept " STR(NR_VEC) "\n"
    "	.balign 16\n"
    "	push %eax\n"
    "	mov $vec, %eax\n"
    "	jmp stubs_common\n"
    "	.set vec, vec + 1\n"
    ".endr\n"
    "stubs_common:\n"
    "	out %al, $" STR(P_MARK) "\n"
    "	movl $0, APIC_EOI\n"
    "	pop %eax\n"
    "	iret\n"
    "stubs_end:\n"
    ".code64\n"	/* back to what gcc emits */
    ".popsection\n");

extern const unsigned char io_start[], io_end[];
extern const unsigned char live_start[], live_end[];
extern const unsigned char spin_start[], spin_end[];
extern const unsigned char irq_start[], irq_end[];
extern const unsigned char rspin_start[], rspin_end[];
extern const unsigned char stubs_start[], stubs_end[];

static const char *dev;		/* "kvm" or "lamina", for test names */

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* errno of a failed ioctl, 0 on success. */
static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? errno : 0;
}

/* Check one answer; log a mismatch. */
static int expect(const char *what, int got, int want)
{
	if (got == want)
		return 1;
	ksft_print_msg("%s: got %s (%d), want %s (%d)\n", what,
		       got ? strerror(got) : "success", got,
		       want ? strerror(want) : "success", want);
	return 0;
}

/* Check the vector a handler reported (-1: none). */
static int expect_vec(int got, int want)
{
	if (got == want)
		return 1;
	ksft_print_msg("vector: got 0x%x, want 0x%x\n", got, want);
	return 0;
}

/*
 * KVM_RUN with a watchdog: a timer signal to this thread after @ms makes
 * KVM_RUN return EINTR. Returns 0, or the errno of KVM_RUN.
 */
static int run_vcpu(struct test_vm *vm, unsigned int ms)
{
	struct itimerspec its = { 0 };
	struct sigevent sev = { 0 };
	timer_t t;
	int ret;

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = gettid();	/* glibc 2.36 has no sigev_notify_thread_id */
	if (timer_create(CLOCK_MONOTONIC, &sev, &t))
		return errno;
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	timer_settime(t, 0, &its, NULL);
	ret = ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0 ? errno : 0;
	timer_delete(t);
	return ret;
}

/* One exit, as the tests compare them. */
struct exit_rec {
	unsigned int reason;
	uint64_t addr;		/* port or GPA */
	uint32_t size;
	uint64_t val;
};

static void exit_get(struct test_vm *vm, struct exit_rec *e)
{
	struct kvm_run *r = vm->run;

	memset(e, 0, sizeof(*e));
	e->reason = r->exit_reason;
	if (r->exit_reason == KVM_EXIT_IO) {
		e->addr = r->io.port;
		e->size = r->io.size;
		if (r->io.direction == KVM_EXIT_IO_OUT && r->io.size <= 8)
			memcpy(&e->val, (char *)r + r->io.data_offset,
			       r->io.size);
	} else if (r->exit_reason == KVM_EXIT_MMIO) {
		e->addr = r->mmio.phys_addr;
		e->size = r->mmio.len;
		memcpy(&e->val, r->mmio.data, r->mmio.len <= 8 ?
		       r->mmio.len : 8);
	} else if (r->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
		e->size = r->internal.suberror;	/* for the log */
		e->val = r->internal.ndata ? r->internal.data[0] : 0;
	}
}

static void exit_print(const struct exit_rec *e)
{
	ksft_print_msg("  exit %u addr 0x%llx size %u val 0x%llx\n", e->reason,
		       (unsigned long long)e->addr, e->size,
		       (unsigned long long)e->val);
}

/*
 * Run until an OUT to @stop_port (or any exit but I/O and MMIO, or an
 * error), logging each exit. Returns the number logged, or -1.
 */
static int run_log(struct test_vm *vm, unsigned int stop_port,
		   struct exit_rec *log, int max)
{
	int n = 0, err;

	while (n < max) {
		err = run_vcpu(vm, RUN_MS);
		if (err) {
			ksft_print_msg("KVM_RUN: %s\n", strerror(err));
			return -1;
		}
		exit_get(vm, &log[n]);
		n++;
		if (log[n - 1].reason != KVM_EXIT_IO &&
		    log[n - 1].reason != KVM_EXIT_MMIO)
			return n;
		if (log[n - 1].reason == KVM_EXIT_IO &&
		    log[n - 1].addr == stop_port)
			return n;
	}
	return n;
}

/* A pending eventfd count, without blocking: 0 if none. */
static uint64_t efd_count(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

static int new_efd(void)
{
	return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

static struct kvm_ioeventfd ioe(uint64_t addr, uint32_t len, int fd,
				uint32_t flags, uint64_t datamatch)
{
	struct kvm_ioeventfd a;

	memset(&a, 0, sizeof(a));
	a.addr = addr;
	a.len = len;
	a.fd = fd;
	a.flags = flags;
	a.datamatch = datamatch;
	return a;
}

static int ioe_call(struct test_vm *vm, uint64_t addr, uint32_t len, int fd,
		    uint32_t flags, uint64_t datamatch)
{
	struct kvm_ioeventfd a = ioe(addr, len, fd, flags, datamatch);

	return ioctl_err(vm->vm_fd, KVM_IOEVENTFD, &a);
}

/* A VM with memory at 0, the split irqchip if @split, and vCPU 0. */
static int vm_setup(struct test_vm *vm, const char *path, int split)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap cap;
	int size;

	if (test_vm_open_dev(vm, path)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	vm->vm_fd = ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		goto fail;
	vm->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		goto fail;
	vm->mem_size = MEM_SIZE;
	memset(&region, 0, sizeof(region));
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (unsigned long)vm->mem;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		goto fail;
	if (split) {
		memset(&cap, 0, sizeof(cap));
		cap.cap = KVM_CAP_SPLIT_IRQCHIP;
		cap.args[0] = IOAPIC_PINS;
		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
			goto fail;
	}
	vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu_fd < 0)
		goto fail;
	size = ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		goto fail;
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu_fd, 0);
	if (vm->run == MAP_FAILED)
		goto fail;
	vm->run_size = size;
	return 0;
fail:
	ksft_print_msg("setup: %s\n", strerror(errno));
	return -1;
}

/* The guest @start..@end at CODE_ADDR, 32-bit protected mode, an IDT. */
static int vm_guest(struct test_vm *vm, const unsigned char *start,
		    const unsigned char *end)
{
	struct kvm_sregs s;
	struct kvm_regs r;
	uint32_t *idt, off;
	unsigned int i;

	memcpy(vm->mem + CODE_ADDR, start, end - start);
	memcpy(vm->mem + STUBS_ADDR, stubs_start, stubs_end - stubs_start);
	idt = (uint32_t *)(vm->mem + IDT_ADDR);
	for (i = 0; i < NR_VEC; i++) {
		off = STUBS_ADDR + 16 * i;
		idt[2 * (VEC_BASE + i)] = (off & 0xffff) |
					  (TEST_SEL_CODE32 << 16);
		idt[2 * (VEC_BASE + i) + 1] = (off & 0xffff0000U) | 0x8e00;
	}
	if (test_vm_set_mode(vm, TEST_MODE_PROT, CODE_ADDR)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	s.idt.base = IDT_ADDR;
	s.idt.limit = 256 * 8 - 1;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return -1;
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return -1;
	r.rsp = STACK_TOP;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r))
		return -1;
	return 0;
}

/* Two eventfds and a pipe (an fd that is no eventfd), for bad arguments. */
struct arg_fds {
	int efd, efd2, pfd[2];
};

static void arg_fds_open(struct arg_fds *f)
{
	f->efd = new_efd();
	f->efd2 = new_efd();
	if (f->efd < 0 || f->efd2 < 0 || pipe(f->pfd)) {
		ksft_print_msg("eventfd/pipe: %s\n", strerror(errno));
		f->pfd[0] = f->pfd[1] = -1;
	}
}

static void arg_fds_close(struct arg_fds *f)
{
	close(f->efd);
	close(f->efd2);
	close(f->pfd[0]);
	close(f->pfd[1]);
}

/* ---- ioeventfd: bad arguments ------------------------------------------ */

static void ioeventfd_args(const char *path)
{
	struct arg_fds f;
	struct test_vm vm;
	int efd, efd2, *pfd, ok;

	if (vm_setup(&vm, path, 0)) {
		ksft_result_dev(0, "ioeventfd-setup", dev);
		return;
	}
	arg_fds_open(&f);
	efd = f.efd;
	efd2 = f.efd2;
	pfd = f.pfd;

	ok = expect("len 3", ioe_call(&vm, 0x100, 3, efd, KVM_IOEVENTFD_FLAG_PIO, 0), EINVAL);
	ok &= expect("len 16", ioe_call(&vm, 0x100000, 16, efd, 0, 0), EINVAL);
	ksft_result_dev(ok, "ioeventfd-bad-len", dev);

	ok = expect("addr ~0 len 4", ioe_call(&vm, ~0ULL - 1, 4, efd, 0, 0), EINVAL);
	ksft_result_dev(ok, "ioeventfd-wrap", dev);

	/* Bit 4 (kvm_ioeventfd_flag_nr_fast_mmio) is in KVM's valid mask. */
	ok = expect("flags bit 5", ioe_call(&vm, 0x100000, 4, efd, 1U << 5, 0), EINVAL);
	ok &= expect("flags bit 31", ioe_call(&vm, 0x100, 1, efd,
		     KVM_IOEVENTFD_FLAG_PIO | (1U << 31), 0), EINVAL);
	ksft_result_dev(ok, "ioeventfd-bad-flags", dev);

	ok = expect("len 0 + DATAMATCH", ioe_call(&vm, 0x100, 0, efd,
		    KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 1), EINVAL);
	ksft_result_dev(ok, "ioeventfd-len0-datamatch", dev);

	ok = expect("fd -1", ioe_call(&vm, 0x100, 1, -1, KVM_IOEVENTFD_FLAG_PIO, 0), EBADF);
	ok &= expect("fd 999", ioe_call(&vm, 0x100, 1, 999, KVM_IOEVENTFD_FLAG_PIO, 0), EBADF);
	ok &= expect("deassign fd -1", ioe_call(&vm, 0x100, 1, -1,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), EBADF);
	ksft_result_dev(ok, "ioeventfd-badfd", dev);

	ok = expect("pipe fd", ioe_call(&vm, 0x100, 1, pfd[0], KVM_IOEVENTFD_FLAG_PIO, 0), EINVAL);
	ok &= expect("deassign pipe fd", ioe_call(&vm, 0x100, 1, pfd[0],
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), EINVAL);
	ksft_result_dev(ok, "ioeventfd-not-eventfd", dev);

	/* Collisions: same bus and address, and a write could hit both. */
	ok = expect("PIO 0x200 len 2", ioe_call(&vm, 0x200, 2, efd, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	ok &= expect("again, other eventfd", ioe_call(&vm, 0x200, 2, efd2, KVM_IOEVENTFD_FLAG_PIO, 0), EEXIST);
	ok &= expect("len 0 over len 2", ioe_call(&vm, 0x200, 0, efd2, KVM_IOEVENTFD_FLAG_PIO, 0), EEXIST);
	ok &= expect("DATAMATCH over wildcard", ioe_call(&vm, 0x200, 2, efd2,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 7), EEXIST);
	ok &= expect("other length", ioe_call(&vm, 0x200, 4, efd2, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	ok &= expect("overlapping port", ioe_call(&vm, 0x201, 1, efd2, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	ok &= expect("same address, MMIO", ioe_call(&vm, 0x200, 2, efd2, 0, 0), 0);
	ok &= expect("DATAMATCH 1", ioe_call(&vm, 0x300, 4, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 1), 0);
	ok &= expect("DATAMATCH 2", ioe_call(&vm, 0x300, 4, efd2,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 2), 0);
	ok &= expect("DATAMATCH 1 again", ioe_call(&vm, 0x300, 4, efd2,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 1), EEXIST);
	ok &= expect("wildcard over DATAMATCH", ioe_call(&vm, 0x300, 4, efd2, KVM_IOEVENTFD_FLAG_PIO, 0), EEXIST);
	ksft_result_dev(ok, "ioeventfd-eexist", dev);

	/* Deassign: all of bus, fd, address, length, datamatch must match. */
	ok = expect("nothing there", ioe_call(&vm, 0x400, 1, efd,
		    KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), ENOENT);
	ok &= expect("other eventfd", ioe_call(&vm, 0x200, 2, efd2,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), ENOENT);
	ok &= expect("other length", ioe_call(&vm, 0x200, 1, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), ENOENT);
	ok &= expect("other bus", ioe_call(&vm, 0x200, 2, efd,
		     KVM_IOEVENTFD_FLAG_DEASSIGN, 0), ENOENT);
	ok &= expect("other datamatch", ioe_call(&vm, 0x300, 4, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH |
		     KVM_IOEVENTFD_FLAG_DEASSIGN, 2), ENOENT);
	ok &= expect("wildcard for DATAMATCH", ioe_call(&vm, 0x300, 4, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 1), ENOENT);
	ok &= expect("deassign 0x200", ioe_call(&vm, 0x200, 2, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), 0);
	ok &= expect("deassign 0x200 again", ioe_call(&vm, 0x200, 2, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), ENOENT);
	ok &= expect("deassign DATAMATCH 1", ioe_call(&vm, 0x300, 4, efd,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH |
		     KVM_IOEVENTFD_FLAG_DEASSIGN, 1), 0);
	/* KVM does not check a deassign's flags or length. */
	ok &= expect("deassign with bit 4", ioe_call(&vm, 0x500, 3, efd,
		     KVM_IOEVENTFD_FLAG_DEASSIGN | (1U << 4), 0), ENOENT);
	ok &= expect("0x200 free again", ioe_call(&vm, 0x200, 0, efd, KVM_IOEVENTFD_FLAG_PIO, 0), EEXIST);
	ksft_result_dev(ok, "ioeventfd-deassign", dev);

	/* s390's virtio-ccw bus exists on x86 KVM too: accepted, never hit. */
	ok = expect("VIRTIO_CCW_NOTIFY", ioe_call(&vm, 0x10, 8, efd,
		    KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY, 0), 0);
	ksft_result_dev(ok, "ioeventfd-ccw", dev);

	/* The VM goes with registrations left. */
	test_vm_destroy(&vm);
	arg_fds_close(&f);
}

/* ---- ioeventfd: a guest writes ---------------------------------------- */

struct io_efds {
	int w, dm, any, mw, mdm, many;
};

static int io_register(struct test_vm *vm, struct io_efds *e)
{
	int ok;

	e->w = new_efd();
	e->dm = new_efd();
	e->any = new_efd();
	e->mw = new_efd();
	e->mdm = new_efd();
	e->many = new_efd();
	ok = expect("PIO wildcard", ioe_call(vm, P_W, 2, e->w, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	ok &= expect("PIO DATAMATCH", ioe_call(vm, P_DM, 2, e->dm,
		     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH, 0x1234), 0);
	ok &= expect("PIO len 0", ioe_call(vm, P_ANY, 0, e->any, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	ok &= expect("MMIO wildcard", ioe_call(vm, M_W, 4, e->mw, 0, 0), 0);
	ok &= expect("MMIO DATAMATCH", ioe_call(vm, M_DM, 4, e->mdm,
		     KVM_IOEVENTFD_FLAG_DATAMATCH, 0xcafe), 0);
	ok &= expect("MMIO len 0", ioe_call(vm, M_ANY, 0, e->many, 0, 0), 0);
	return ok;
}

static int exit_is(const struct exit_rec *e, unsigned int reason,
		   uint64_t addr, uint32_t size, uint64_t val)
{
	return e->reason == reason && e->addr == addr && e->size == size &&
	       e->val == val;
}

static void ioeventfd_guest(const char *path)
{
	struct exit_rec log[MAX_EXITS];
	struct test_vm vm;
	struct io_efds e;
	uint64_t c[6];
	int n, ok, i;

	if (vm_setup(&vm, path, 0) || vm_guest(&vm, io_start, io_end)) {
		ksft_result_dev(0, "ioeventfd-setup", dev);
		test_vm_destroy(&vm);
		return;
	}
	ok = io_register(&vm, &e);
	ksft_result_dev(ok, "ioeventfd-assign", dev);

	n = run_log(&vm, P_DONE, log, MAX_EXITS);
	c[0] = efd_count(e.w);
	c[1] = efd_count(e.dm);
	c[2] = efd_count(e.any);
	c[3] = efd_count(e.mw);
	c[4] = efd_count(e.mdm);
	c[5] = efd_count(e.many);
	ksft_print_msg("counts: pio w %llu dm %llu any %llu, mmio w %llu dm %llu any %llu\n",
		       (unsigned long long)c[0], (unsigned long long)c[1],
		       (unsigned long long)c[2], (unsigned long long)c[3],
		       (unsigned long long)c[4], (unsigned long long)c[5]);
	/* Exactly the misses reach userspace, then P_DONE. */
	ok = n == 4 &&
	     exit_is(&log[0], KVM_EXIT_IO, P_DM, 2, 0x5678) &&
	     exit_is(&log[1], KVM_EXIT_IO, P_DM, 1, 0x78) &&
	     exit_is(&log[2], KVM_EXIT_MMIO, M_DM, 4, 0xbeef) &&
	     log[3].reason == KVM_EXIT_IO && log[3].addr == P_DONE;
	if (!ok)
		for (i = 0; i < n; i++)
			exit_print(&log[i]);
	ksft_result_dev(ok, "ioeventfd-exits", dev);
	ksft_result_dev(ok && c[0] == 1, "ioeventfd-pio", dev);
	ksft_result_dev(ok && c[1] == 1, "ioeventfd-pio-datamatch", dev);
	ksft_result_dev(ok && c[2] == 2, "ioeventfd-pio-len0", dev);
	ksft_result_dev(ok && c[3] == 1, "ioeventfd-mmio", dev);
	ksft_result_dev(ok && c[4] == 1, "ioeventfd-mmio-datamatch", dev);
	ksft_result_dev(ok && c[5] == 2, "ioeventfd-mmio-len0", dev);

	test_vm_destroy(&vm);
	close(e.w);
	close(e.dm);
	close(e.any);
	close(e.mw);
	close(e.mdm);
	close(e.many);
}

/*
 * Deassign while the vCPU is between two writes; and an eventfd closed
 * while registered: the registration keeps it, writes still count.
 */
static void ioeventfd_live(const char *path, int close_fd)
{
	const char *name = close_fd ? "ioeventfd-closed-fd" :
				      "ioeventfd-deassign-live";
	struct exit_rec log[MAX_EXITS];
	struct test_vm vm;
	int efd, n, ok, i;

	if (vm_setup(&vm, path, 0) || vm_guest(&vm, live_start, live_end)) {
		ksft_result_dev(0, name, dev);
		test_vm_destroy(&vm);
		return;
	}
	efd = new_efd();
	ok = expect("PIO len 1", ioe_call(&vm, P_W, 1, efd, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
	if (close_fd) {
		close(efd);
		efd = -1;
	}
	n = run_log(&vm, P_SYNC, log, MAX_EXITS);
	ok &= n == 1 && log[0].reason == KVM_EXIT_IO && log[0].addr == P_SYNC;
	if (!close_fd) {
		ok &= expect("count", efd_count(efd) == 1 ? 0 : -1, 0);
		ok &= expect("deassign", ioe_call(&vm, P_W, 1, efd,
			     KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), 0);
	}
	n = run_log(&vm, P_DONE, log + 1, MAX_EXITS - 1);
	if (close_fd)
		ok &= n == 1 && log[1].addr == P_DONE;
	else
		ok &= n == 2 && exit_is(&log[1], KVM_EXIT_IO, P_W, 1, 0) &&
		      log[2].addr == P_DONE;
	if (!ok)
		for (i = 0; i < n + 1 && i < MAX_EXITS; i++)
			exit_print(&log[i]);
	ksft_result_dev(ok, name, dev);
	test_vm_destroy(&vm);
	if (efd >= 0)
		close(efd);
}

/*
 * Assign and deassign while the vCPU runs: a vCPU thread runs a guest
 * that writes P_W in a loop and counts the writes that reach userspace.
 * Each round: assign, wait until the eventfd counts (the vCPU is in the
 * guest, its writes absorbed), deassign, wait until writes exit again.
 */
#define SPIN_ROUNDS 50
#define SPIN_WAIT_MS 3000

struct spinner {
	struct test_vm *vm;
	pthread_t thread;
	unsigned int exits;	/* atomic: writes that reached userspace */
	unsigned int marks[NR_VEC];	/* atomic: handler runs by vector */
	unsigned int nr_marks;	/* atomic */
	int stop;		/* atomic; 2 once the thread ended */
	int bad;		/* an exit other than OUT to P_W or P_MARK, or an error */
};

static void *spin_thread(void *arg)
{
	struct spinner *sp = arg;
	struct kvm_run *r = sp->vm->run;
	unsigned int v;
	int err;

	while (!__atomic_load_n(&sp->stop, __ATOMIC_SEQ_CST)) {
		err = ioctl(sp->vm->vcpu_fd, KVM_RUN, 0) < 0 ? errno : 0;
		if (err == EINTR)
			continue;	/* stop is checked above */
		if (err || r->exit_reason != KVM_EXIT_IO) {
			sp->bad = err ? err : -(int)r->exit_reason;
			break;
		}
		if (r->io.port == P_W) {
			__atomic_add_fetch(&sp->exits, 1, __ATOMIC_SEQ_CST);
			continue;
		}
		v = *((uint8_t *)r + r->io.data_offset) - VEC_BASE;
		if (r->io.port != P_MARK || v >= NR_VEC) {
			sp->bad = -1000 - r->io.port;
			break;
		}
		__atomic_add_fetch(&sp->marks[v], 1, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&sp->nr_marks, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&sp->stop, 2, __ATOMIC_SEQ_CST);	/* ended */
	return NULL;
}

/* Poll @cond (evaluated once a try) every ms for up to @ms: 1 or 0. */
#define WAIT_FOR(cond, ms)						\
	({								\
		unsigned int w_ = 0;					\
		int ok_;						\
		while (!(ok_ = !!(cond)) && w_++ < (ms))		\
			test_sleep_ms(1);				\
		ok_;							\
	})

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Stop the vCPU thread: immediate_exit and signals. 1 once it ended. */
static int spinner_stop(struct spinner *sp)
{
	unsigned int k;

	__atomic_store_n(&sp->stop, 1, __ATOMIC_SEQ_CST);
	sp->vm->run->immediate_exit = 1;
	for (k = 0; k < 300 && __atomic_load_n(&sp->stop, __ATOMIC_SEQ_CST) != 2; k++) {
		pthread_kill(sp->thread, SIGUSR1);
		test_sleep_ms(10);
	}
	if (__atomic_load_n(&sp->stop, __ATOMIC_SEQ_CST) != 2) {
		ksft_print_msg("vCPU thread did not stop: leaked\n");
		return 0;
	}
	pthread_join(sp->thread, NULL);
	return 1;
}

static void ioeventfd_running(const char *path)
{
	struct spinner sp = { 0 };
	struct test_vm vm;
	unsigned int i, seen;
	uint64_t total = 0;
	int efd, ok = 1, n;

	if (vm_setup(&vm, path, 0) || vm_guest(&vm, spin_start, spin_end)) {
		ksft_result_dev(0, "ioeventfd-deassign-running", dev);
		test_vm_destroy(&vm);
		return;
	}
	efd = new_efd();
	sp.vm = &vm;
	if (pthread_create(&sp.thread, NULL, spin_thread, &sp)) {
		ksft_result_dev(0, "ioeventfd-deassign-running", dev);
		test_vm_destroy(&vm);
		return;
	}
	ok = WAIT_FOR(__atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST) > 0,
		      SPIN_WAIT_MS);
	for (i = 0; ok && i < SPIN_ROUNDS; i++) {
		ok = expect("assign", ioe_call(&vm, P_W, 1, efd, KVM_IOEVENTFD_FLAG_PIO, 0), 0);
		ok = ok && WAIT_FOR((n = (int)efd_count(efd), total += n, n > 0),
				    SPIN_WAIT_MS);
		if (!ok)
			ksft_print_msg("round %u: no write counted\n", i);
		seen = __atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST);
		ok = ok && expect("deassign", ioe_call(&vm, P_W, 1, efd,
				  KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DEASSIGN, 0), 0);
		ok = ok && WAIT_FOR(__atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST) >
				    seen + 1, SPIN_WAIT_MS);
		if (!ok)
			ksft_print_msg("round %u failed (vCPU: %d)\n", i, sp.bad);
	}
	if (!spinner_stop(&sp)) {
		ksft_result_dev(0, "ioeventfd-deassign-running", dev);
		return;
	}
	ksft_print_msg("%u rounds, %llu writes counted, %u exits, vCPU %d\n",
		       i, (unsigned long long)total, sp.exits, sp.bad);
	ksft_result_dev(ok && !sp.bad, "ioeventfd-deassign-running", dev);
	test_vm_destroy(&vm);
	close(efd);
}

/* ---- KVM_SET_GSI_ROUTING ---------------------------------------------- */

struct routing {
	struct kvm_irq_routing hdr;
	struct kvm_irq_routing_entry e[4];
};

static struct kvm_irq_routing_entry msi_route(uint32_t gsi, uint32_t vec)
{
	struct kvm_irq_routing_entry r;

	memset(&r, 0, sizeof(r));
	r.gsi = gsi;
	r.type = KVM_IRQ_ROUTING_MSI;
	r.u.msi.address_lo = MSI_ADDR;
	r.u.msi.data = vec;
	return r;
}

static int set_routes(struct test_vm *vm, const struct kvm_irq_routing_entry *e,
		      unsigned int n, uint32_t flags)
{
	struct routing r;

	memset(&r, 0, sizeof(r));
	r.hdr.nr = n;
	r.hdr.flags = flags;
	memcpy(r.e, e, n * sizeof(*e));
	return ioctl_err(vm->vm_fd, KVM_SET_GSI_ROUTING, &r);
}

static void gsi_routing_args(const char *path)
{
	struct kvm_irq_routing_entry e[2];
	struct kvm_irq_routing *big;
	struct test_vm vm;
	int ok;

	if (vm_setup(&vm, path, 0)) {
		ksft_result_dev(0, "gsi-routing-setup", dev);
		return;
	}
	e[0] = msi_route(1, V1);
	ok = expect("no irqchip", set_routes(&vm, e, 1, 0), EINVAL);
	ksft_result_dev(ok, "gsi-routing-no-irqchip", dev);
	test_vm_destroy(&vm);

	if (vm_setup(&vm, path, 1)) {
		ksft_result_dev(0, "gsi-routing-setup", dev);
		return;
	}
	ok = expect("none", set_routes(&vm, e, 0, 0), 0);
	ok &= expect("one", set_routes(&vm, e, 1, 0), 0);
	e[1] = msi_route(MAX_ROUTES - 1, V2);
	ok &= expect("GSI 4095", set_routes(&vm, e, 2, 0), 0);
	ksft_result_dev(ok, "gsi-routing-ok", dev);

	ok = expect("flags 1", set_routes(&vm, e, 1, 1), EINVAL);
	ksft_result_dev(ok, "gsi-routing-flags", dev);

	big = calloc(1, sizeof(*big) + (MAX_ROUTES + 1) * sizeof(big->entries[0]));
	ok = big != NULL;
	if (big) {
		big->nr = MAX_ROUTES + 1;
		ok = expect("4097 routes", ioctl_err(vm.vm_fd, KVM_SET_GSI_ROUTING, big), EINVAL);
		free(big);
	}
	ksft_result_dev(ok, "gsi-routing-too-many", dev);

	e[1] = msi_route(MAX_ROUTES, V2);
	ok = expect("GSI 4096", set_routes(&vm, e, 2, 0), EINVAL);
	ksft_result_dev(ok, "gsi-routing-gsi-range", dev);

	e[1] = msi_route(2, V2);
	e[1].type = 99;
	ok = expect("type 99", set_routes(&vm, e, 2, 0), EINVAL);
	ksft_result_dev(ok, "gsi-routing-bad-type", dev);

	/* PIC and IOAPIC are in userspace: no irqchip routes. */
	memset(&e[1], 0, sizeof(e[1]));
	e[1].gsi = 2;
	e[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	e[1].u.irqchip.irqchip = KVM_IRQCHIP_IOAPIC;
	e[1].u.irqchip.pin = 2;
	ok = expect("irqchip route", set_routes(&vm, e, 2, 0), EINVAL);
	ksft_result_dev(ok, "gsi-routing-irqchip-type", dev);

	e[1] = msi_route(1, V2);
	ok = expect("GSI 1 twice", set_routes(&vm, e, 2, 0), EINVAL);
	ksft_result_dev(ok, "gsi-routing-duplicate", dev);

	/* An MSI route's one flag is KVM_MSI_VALID_DEVID (x86: ignored). */
	e[1] = msi_route(2, V2);
	e[1].flags = 2;
	ok = expect("route flags 2", set_routes(&vm, e, 2, 0), EINVAL);
	e[1].flags = 0x80000000U;
	ok &= expect("route flags bit 31", set_routes(&vm, e, 2, 0), EINVAL);
	e[1].flags = KVM_MSI_VALID_DEVID;
	e[1].u.msi.devid = 0x1234;
	ok &= expect("route VALID_DEVID", set_routes(&vm, e, 2, 0), 0);
	ksft_result_dev(ok, "gsi-routing-entry-flags", dev);
	test_vm_destroy(&vm);
}

/* ---- irqfd: bad arguments --------------------------------------------- */

static int irqfd_call(struct test_vm *vm, int fd, uint32_t gsi, uint32_t flags,
		      int resamplefd)
{
	struct kvm_irqfd a;

	memset(&a, 0, sizeof(a));
	a.fd = fd;
	a.gsi = gsi;
	a.flags = flags;
	a.resamplefd = resamplefd;
	return ioctl_err(vm->vm_fd, KVM_IRQFD, &a);
}

static void irqfd_args(const char *path)
{
	struct arg_fds f;
	struct test_vm vm;
	int efd, efd2, *pfd, ok;

	arg_fds_open(&f);
	efd = f.efd;
	efd2 = f.efd2;
	pfd = f.pfd;
	if (vm_setup(&vm, path, 0)) {
		ksft_result_dev(0, "irqfd-setup", dev);
		return;
	}
	ok = expect("no irqchip", irqfd_call(&vm, efd, GSI_A, 0, -1), EINVAL);
	ksft_result_dev(ok, "irqfd-no-irqchip", dev);
	test_vm_destroy(&vm);

	if (vm_setup(&vm, path, 1)) {
		ksft_result_dev(0, "irqfd-setup", dev);
		return;
	}
	ok = expect("flags bit 2", irqfd_call(&vm, efd, GSI_A, 1U << 2, -1), EINVAL);
	ok &= expect("deassign + bit 2", irqfd_call(&vm, efd, GSI_A,
		     KVM_IRQFD_FLAG_DEASSIGN | (1U << 2), -1), EINVAL);
	ksft_result_dev(ok, "irqfd-bad-flags", dev);

	ok = expect("RESAMPLE", irqfd_call(&vm, efd, GSI_A, KVM_IRQFD_FLAG_RESAMPLE, efd2), EINVAL);
	ksft_result_dev(ok, "irqfd-resample", dev);

	ok = expect("fd -1", irqfd_call(&vm, -1, GSI_A, 0, -1), EBADF);
	ok &= expect("deassign fd -1", irqfd_call(&vm, -1, GSI_A, KVM_IRQFD_FLAG_DEASSIGN, -1), EBADF);
	ksft_result_dev(ok, "irqfd-badfd", dev);

	ok = expect("pipe fd", irqfd_call(&vm, pfd[0], GSI_A, 0, -1), EINVAL);
	ok &= expect("deassign pipe fd", irqfd_call(&vm, pfd[0], GSI_A, KVM_IRQFD_FLAG_DEASSIGN, -1), EINVAL);
	ksft_result_dev(ok, "irqfd-not-eventfd", dev);

	/* A GSI without a route is fine: it injects nothing. */
	ok = expect("assign", irqfd_call(&vm, efd, GSI_A, 0, -1), 0);
	ok &= expect("same eventfd, other GSI", irqfd_call(&vm, efd, GSI_B, 0, -1), EBUSY);
	ok &= expect("same eventfd, same GSI", irqfd_call(&vm, efd, GSI_A, 0, -1), EBUSY);
	ok &= expect("other eventfd, same GSI", irqfd_call(&vm, efd2, GSI_A, 0, -1), 0);
	ksft_result_dev(ok, "irqfd-busy", dev);

	ok = expect("deassign other GSI", irqfd_call(&vm, efd, GSI_B, KVM_IRQFD_FLAG_DEASSIGN, -1), 0);
	ok &= expect("still busy", irqfd_call(&vm, efd, GSI_B, 0, -1), EBUSY);
	ok &= expect("deassign", irqfd_call(&vm, efd, GSI_A, KVM_IRQFD_FLAG_DEASSIGN, -1), 0);
	ok &= expect("deassign again", irqfd_call(&vm, efd, GSI_A, KVM_IRQFD_FLAG_DEASSIGN, -1), 0);
	/* A deassign does not look at RESAMPLE (KVM). */
	ok &= expect("deassign + RESAMPLE", irqfd_call(&vm, efd, GSI_A,
		     KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE, efd2), 0);
	ok &= expect("assign after deassign", irqfd_call(&vm, efd, GSI_B, 0, -1), 0);
	ksft_result_dev(ok, "irqfd-deassign-args", dev);

	/* The VM goes with two irqfds registered. */
	test_vm_destroy(&vm);
	arg_fds_close(&f);
}

/* ---- KVM_SET_GSI_ROUTING while a vCPU runs ------------------------------ */

#define ROUTE_ROUNDS 50
#define ROUTE_VECS 4		/* rounds rotate V1 .. V1 + 3 */

/*
 * One round: GSI_A's route moves to @vec (GSI_B's to the vector before
 * it), then the irqfd fires: exactly one handler run, of @vec. The
 * ioctl's time goes to *@ns.
 */
static int route_round(struct test_vm *vm, struct spinner *sp, int efd,
		       uint32_t vec, uint64_t *ns)
{
	struct kvm_irq_routing_entry r[2];
	unsigned int before, want;
	uint64_t one = 1, t0;
	int ok;

	r[0] = msi_route(GSI_A, vec);
	r[1] = msi_route(GSI_B, vec - 1);
	before = __atomic_load_n(&sp->nr_marks, __ATOMIC_SEQ_CST);
	want = __atomic_load_n(&sp->marks[vec - VEC_BASE], __ATOMIC_SEQ_CST) + 1;
	t0 = now_ns();
	ok = expect("routes", set_routes(vm, r, 2, 0), 0);
	*ns = now_ns() - t0;
	ok = ok && write(efd, &one, sizeof(one)) == sizeof(one);
	ok = ok && WAIT_FOR(__atomic_load_n(&sp->nr_marks, __ATOMIC_SEQ_CST) != before,
			    SPIN_WAIT_MS);
	/* Let a second, wrong, delivery show before counting. */
	test_sleep_ms(1);
	if (ok && (__atomic_load_n(&sp->marks[vec - VEC_BASE], __ATOMIC_SEQ_CST) != want ||
		   __atomic_load_n(&sp->nr_marks, __ATOMIC_SEQ_CST) != before + 1)) {
		ksft_print_msg("vector 0x%x: %u runs of it, %u in all (want 1)\n",
			       vec, __atomic_load_n(&sp->marks[vec - VEC_BASE],
						    __ATOMIC_SEQ_CST) - want + 1,
			       __atomic_load_n(&sp->nr_marks, __ATOMIC_SEQ_CST) - before);
		ok = 0;
	}
	return ok;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void gsi_routing_running(const char *path)
{
	uint64_t ns[ROUTE_ROUNDS], sum = 0, t0, wall;
	struct spinner sp = { 0 };
	unsigned int i, exits0 = 0, exits;
	struct kvm_irq_routing_entry r;
	struct test_vm vm;
	int efd = -1, ok;

	ok = !vm_setup(&vm, path, 1) && !vm_guest(&vm, rspin_start, rspin_end);
	if (ok) {
		efd = new_efd();
		r = msi_route(GSI_A, V1);
		ok = expect("routes", set_routes(&vm, &r, 1, 0), 0) &&
		     expect("assign", irqfd_call(&vm, efd, GSI_A, 0, -1), 0);
	}
	sp.vm = &vm;
	if (!ok || pthread_create(&sp.thread, NULL, spin_thread, &sp)) {
		ksft_result_dev(0, "gsi-routing-running", dev);
		test_vm_destroy(&vm);
		close(efd);
		return;
	}
	ok = WAIT_FOR(__atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST) > 0,
		      SPIN_WAIT_MS);
	exits0 = __atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST);
	t0 = now_ns();
	for (i = 0; ok && i < ROUTE_ROUNDS; i++) {
		ok = route_round(&vm, &sp, efd, V1 + i % ROUTE_VECS, &ns[i]);
		if (!ok)
			ksft_print_msg("round %u failed (vCPU: %d)\n", i, sp.bad);
		sum += ns[i];
	}
	wall = now_ns() - t0;
	exits = __atomic_load_n(&sp.exits, __ATOMIC_SEQ_CST) - exits0;
	if (!spinner_stop(&sp)) {
		ksft_result_dev(0, "gsi-routing-running", dev);
		return;
	}
	qsort(ns, i, sizeof(ns[0]), cmp_u64);
	ksft_print_msg("%u rounds in %llu ms: KVM_SET_GSI_ROUTING %llu us median, %llu us mean, %llu us max; vCPU %u exits, %d\n",
		       i, (unsigned long long)(wall / 1000000),
		       (unsigned long long)(i ? ns[i / 2] / 1000 : 0),
		       (unsigned long long)(i ? sum / i / 1000 : 0),
		       (unsigned long long)(i ? ns[i - 1] / 1000 : 0),
		       exits, sp.bad);
	ksft_result_dev(ok && !sp.bad, "gsi-routing-running", dev);
	test_vm_destroy(&vm);
	close(efd);
}

/* ---- irqfd: interrupts ------------------------------------------------ */

/* What the device thread does after its delay. */
enum dev_act {
	DEV_NONE,		/* nothing: an interrupt is pending already */
	DEV_EFD,		/* signal the irqfd's eventfd */
	DEV_MSI,		/* KVM_SIGNAL_MSI, the way without an irqfd */
};

struct device {
	enum dev_act act;
	pthread_t thread;
	int efd;
	int vm_fd;
	uint32_t msi_vec;
	unsigned int delay_ms;
	int err;
};

static void *device_thread(void *arg)
{
	struct device *d = arg;
	struct kvm_msi msi;
	uint64_t one = 1;

	test_sleep_ms(d->delay_ms);
	if (d->act == DEV_EFD) {
		if (write(d->efd, &one, sizeof(one)) != sizeof(one))
			d->err = errno;
	} else if (d->act == DEV_MSI) {
		memset(&msi, 0, sizeof(msi));
		msi.address_lo = MSI_ADDR;
		msi.data = d->msi_vec;
		if (ioctl(d->vm_fd, KVM_SIGNAL_MSI, &msi) < 0)
			d->err = errno;
	}
	return NULL;
}

/*
 * Start the device, run the vCPU (asleep in HLT) until its next exit:
 * the handler's P_MARK. Returns the vector, or -1.
 */
static int irq_next(struct test_vm *vm, enum dev_act act, int efd,
		    uint32_t msi_vec)
{
	struct device d = { .act = act, .efd = efd, .vm_fd = vm->vm_fd,
			    .msi_vec = msi_vec, .delay_ms = 50 };
	struct exit_rec e;
	int err, started;

	started = !pthread_create(&d.thread, NULL, device_thread, &d);
	err = run_vcpu(vm, RUN_MS);
	if (started)
		pthread_join(d.thread, NULL);
	if (!started || d.err || err) {
		ksft_print_msg("device %s, signal: %s, KVM_RUN: %s\n",
			       started ? "ran" : "did not start",
			       strerror(d.err), strerror(err));
		return -1;
	}
	exit_get(vm, &e);
	if (e.reason != KVM_EXIT_IO || e.addr != P_MARK) {
		exit_print(&e);
		return -1;
	}
	return (int)(e.val & 0xff);
}

static void irqfd_guest(const char *path)
{
	struct kvm_irq_routing_entry r[2];
	struct exit_rec log[MAX_EXITS];
	struct test_vm vm;
	uint64_t one = 1;
	int efd, efd2, efd3, ok, v, n;

	if (vm_setup(&vm, path, 1) || vm_guest(&vm, irq_start, irq_end)) {
		ksft_result_dev(0, "irqfd-setup", dev);
		test_vm_destroy(&vm);
		return;
	}
	efd = new_efd();
	efd2 = new_efd();
	efd3 = new_efd();
	r[0] = msi_route(GSI_A, V1);
	r[1] = msi_route(GSI_B, V3);
	ok = expect("routes", set_routes(&vm, r, 2, 0), 0);
	/* P_READY: the LAPIC is software-enabled (else it drops MSIs). */
	n = run_log(&vm, P_READY, log, MAX_EXITS);
	ok &= n == 1 && log[0].addr == P_READY;
	/* Signalled before KVM_IRQFD: delivered once assigned. */
	ok &= write(efd, &one, sizeof(one)) == sizeof(one);
	ok &= expect("assign", irqfd_call(&vm, efd, GSI_A, 0, -1), 0);
	if (!ok) {
		ksft_result_dev(0, "irqfd-setup", dev);
		test_vm_destroy(&vm);
		return;
	}
	v = irq_next(&vm, DEV_NONE, -1, 0);
	ksft_result_dev(expect_vec(v, V1), "irqfd-pending", dev);

	v = irq_next(&vm, DEV_EFD, efd, 0);
	ksft_result_dev(expect_vec(v, V1), "irqfd-msi", dev);

	r[0] = msi_route(GSI_A, V2);
	ok = expect("new routes", set_routes(&vm, r, 2, 0), 0);
	v = irq_next(&vm, DEV_EFD, efd, 0);
	ksft_result_dev(ok && expect_vec(v, V2), "irqfd-reroute", dev);

	/* Deassigned: the signal stays in the eventfd; only the MSI comes. */
	ok = expect("deassign", irqfd_call(&vm, efd, GSI_A, KVM_IRQFD_FLAG_DEASSIGN, -1), 0);
	ok &= write(efd, &one, sizeof(one)) == sizeof(one);
	v = irq_next(&vm, DEV_MSI, -1, V3 + 1);
	ok &= expect_vec(v, V3 + 1);
	ok &= expect("count left", (int)efd_count(efd), 1);
	ksft_result_dev(ok, "irqfd-deassign", dev);

	/* close() of a registered eventfd (EPOLLHUP), then another on GSI_B. */
	ok = expect("assign 2", irqfd_call(&vm, efd2, GSI_B, 0, -1), 0);
	close(efd2);
	test_sleep_ms(50);
	ok &= expect("assign 3", irqfd_call(&vm, efd3, GSI_B, 0, -1), 0);
	v = irq_next(&vm, DEV_EFD, efd3, 0);
	ok &= expect_vec(v, V3);
	ksft_result_dev(ok, "irqfd-close", dev);

	/* The guest ends; the VM goes with efd3 still registered. */
	__atomic_store_n((uint32_t *)(vm.mem + FLAG_ADDR), 1, __ATOMIC_SEQ_CST);
	n = run_log(&vm, P_DONE, log, MAX_EXITS);
	ksft_result_dev(n == 1 && log[0].addr == P_DONE, "irqfd-guest-done", dev);
	test_vm_destroy(&vm);
	close(efd);
	close(efd3);
}

/* ---- capabilities ----------------------------------------------------- */

static void caps(const char *path)
{
	static const struct { long cap; const char *name; } want[] = {
		{ KVM_CAP_IOEVENTFD, "IOEVENTFD" },
		{ KVM_CAP_IOEVENTFD_NO_LENGTH, "IOEVENTFD_NO_LENGTH" },
		{ KVM_CAP_IOEVENTFD_ANY_LENGTH, "IOEVENTFD_ANY_LENGTH" },
		{ KVM_CAP_IRQFD, "IRQFD" },
		{ KVM_CAP_IRQ_ROUTING, "IRQ_ROUTING" },
	};
	struct test_vm vm;
	unsigned int i;
	int ok = 1, r;

	if (test_vm_open_dev(&vm, path)) {
		ksft_result_dev(0, "eventfd-caps", dev);
		return;
	}
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		r = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, want[i].cap);
		if (r <= 0) {
			ksft_print_msg("KVM_CAP_%s: %d\n", want[i].name, r);
			ok = 0;
		}
	}
	ksft_result_dev(ok, "eventfd-caps", dev);
	test_vm_destroy(&vm);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct test_vm probe;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DEVICE\n", argv[0]);
		return KSFT_FAIL;
	}
	dev = test_dev_name(argv[1]);
	ksft_print_header();
	if (test_vm_open_dev(&probe, argv[1]))
		ksft_exit_skip(probe.err);
	test_vm_destroy(&probe);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;	/* no SA_RESTART: KVM_RUN sees EINTR */
	sigaction(SIGUSR1, &sa, NULL);

	ksft_set_plan(44);
	caps(argv[1]);
	ioeventfd_args(argv[1]);
	ioeventfd_guest(argv[1]);
	ioeventfd_live(argv[1], 0);
	ioeventfd_live(argv[1], 1);
	ioeventfd_running(argv[1]);
	gsi_routing_args(argv[1]);
	irqfd_args(argv[1]);
	irqfd_guest(argv[1]);
	gsi_routing_running(argv[1]);
	ksft_finished();
	return 0;
}
