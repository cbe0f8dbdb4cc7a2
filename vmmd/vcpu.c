// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "cpuid.h"
#include "exitcode.h"
#include "ioapic.h"
#include "mem.h"
#include "run.h"
#include "vcpu.h"
#include "vm.h"

#define CR0_PE		(1ULL << 0)
#define CR0_ET		(1ULL << 4)
#define CR0_NE		(1ULL << 5)
#define CR0_PG		(1ULL << 31)
#define CR4_PAE		(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

#define MSR_MISC_ENABLE		0x1a0
#define MISC_ENABLE_FAST_STRING	(1ULL << 0)
#define MSR_MTRR_DEF_TYPE	0x2ff
#define MTRR_ENABLE		(1ULL << 11)
#define MTRR_TYPE_WB		6ULL

/*
 * What firmware would have set: fast string operations on (Linux says
 * "Disabled fast string operations" otherwise), MTRRs on with all memory
 * write-back and no variable ranges (left off, Linux turns PAT off too).
 * Cosmetic for the guest, so a device without them only gets a note.
 */
static void set_firmware_msrs(struct vcpu *v)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} m;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.e[0].index = MSR_MISC_ENABLE;
	m.e[0].data = MISC_ENABLE_FAST_STRING;
	m.e[1].index = MSR_MTRR_DEF_TYPE;
	m.e[1].data = MTRR_ENABLE | MTRR_TYPE_WB;
	if (ioctl(v->fd, KVM_SET_MSRS, &m) != 2 && v->id == 0)
		fprintf(stderr, "vmmd: KVM_SET_MSRS(MISC_ENABLE, MTRRdefType) failed: "
			"the guest sees firmware defaults off\n");
}

int vcpu_create(struct vcpu *v, unsigned int id,
		const struct kvm_cpuid2 *base, unsigned int cpus)
{
	struct kvm_cpuid2 *cpuid;
	int r;

	memset(v, 0, sizeof(*v));
	v->id = id;
	v->fd = ioctl(vm.vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0) {
		fprintf(stderr, "vmmd: KVM_CREATE_VCPU %u: %s\n", id, strerror(errno));
		return -1;
	}
	v->run = mmap(NULL, vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		fprintf(stderr, "vmmd: mmap kvm_run of vCPU %u: %s\n", id, strerror(errno));
		return -1;
	}
	cpuid = cpuid_for_vcpu(base, id, cpus);
	if (!cpuid)
		return -1;
	r = ioctl(v->fd, KVM_SET_CPUID2, cpuid);
	if (r)
		fprintf(stderr, "vmmd: KVM_SET_CPUID2 on vCPU %u: %s\n", id, strerror(errno));
	free(cpuid);
	if (!r)
		set_firmware_msrs(v);
	return r ? -1 : 0;
}

static void flat_segment(struct kvm_segment *s, uint16_t sel, uint8_t type,
			 int code64)
{
	s->base = 0;
	s->limit = 0xffffffff;
	s->selector = sel;
	s->type = type;
	s->present = 1;
	s->dpl = 0;
	s->db = !code64;
	s->s = 1;
	s->l = code64;
	s->g = 1;
	s->avl = 0;
	s->unusable = 0;
}

int vcpu_set_boot_state(struct vcpu *v, const struct boot_entry *e)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(v->fd, KVM_GET_SREGS, &s)) {
		fprintf(stderr, "vmmd: KVM_GET_SREGS: %s\n", strerror(errno));
		return -1;
	}
	/* TR and LDTR keep KVM's reset values: usable, and unused here. */
	flat_segment(&s.cs, BOOT_CS, 0xb, 1);
	flat_segment(&s.ds, BOOT_DS, 0x3, 0);
	s.es = s.fs = s.gs = s.ss = s.ds;
	s.gdt.base = e->gdt_base;
	s.gdt.limit = e->gdt_limit;
	s.idt.base = 0;
	s.idt.limit = 0;
	s.cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
	s.cr3 = e->cr3;
	s.cr4 = CR4_PAE;
	s.efer = EFER_LME | EFER_LMA;
	if (ioctl(v->fd, KVM_SET_SREGS, &s)) {
		fprintf(stderr, "vmmd: KVM_SET_SREGS: %s\n", strerror(errno));
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.rip = e->rip;
	r.rsi = e->rsi;
	r.rflags = 0x2;		/* IF clear: the protocol wants interrupts off */
	if (ioctl(v->fd, KVM_SET_REGS, &r)) {
		fprintf(stderr, "vmmd: KVM_SET_REGS: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void handle_io(struct kvm_run *run)
{
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;

	/* data_offset and count come from the kernel, sized by run_size. */
	for (i = 0; i < run->io.count; i++) {
		bus_pio(run->io.port, data, run->io.size,
			run->io.direction == KVM_EXIT_IO_OUT);
		data += run->io.size;
	}
}

static void report_regs(struct vcpu *v, const char *what)
{
	struct kvm_regs r;

	if (!ioctl(v->fd, KVM_GET_REGS, &r))
		vmmd_stop(VMMD_EXIT_FAILURE, "vCPU %u: %s at rip 0x%llx", v->id,
			  what, (unsigned long long)r.rip);
	else
		vmmd_stop(VMMD_EXIT_FAILURE, "vCPU %u: %s", v->id, what);
}

/* One exit; returns 0 to keep running. */
static int handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	char what[96];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(run);
		return 0;
	case KVM_EXIT_MMIO:
		bus_mmio(run->mmio.phys_addr, run->mmio.data,
			 run->mmio.len > 8 ? 8 : run->mmio.len,
			 run->mmio.is_write);
		return 0;
	case KVM_EXIT_IOAPIC_EOI:
		bus_lock();
		ioapic_eoi(run->eoi.vector);
		bus_unlock();
		return 0;
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_SHUTDOWN:
		vmmd_stop(VMMD_EXIT_TRIPLE_FAULT,
			  "vCPU %u: guest triple fault (KVM_EXIT_SHUTDOWN)", v->id);
		return -1;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			vmmd_stop(VMMD_EXIT_POWEROFF, "guest powered off");
		else
			vmmd_stop(VMMD_EXIT_RESET, "guest reset (system event %u)",
				  run->system_event.type);
		return -1;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(what, sizeof(what), "VM entry failed (hardware reason 0x%llx)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		report_regs(v, what);
		return -1;
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(what, sizeof(what), "hypervisor internal error (suberror %u)",
			 run->internal.suberror);
		report_regs(v, what);
		return -1;
	default:
		snprintf(what, sizeof(what), "unexpected exit reason %u",
			 run->exit_reason);
		report_regs(v, what);
		return -1;
	}
}

/*
 * Pause: every vCPU thread parks here, between two KVM_RUNs, until
 * resumed or stopped. vcpus_pause returns once all of them are parked,
 * so a paused domain runs no guest instruction.
 */
static pthread_mutex_t pause_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pause_cond = PTHREAD_COND_INITIALIZER;
static int pause_wanted;
static unsigned int parked;

static void park_if_paused(struct vcpu *v)
{
	pthread_mutex_lock(&pause_lock);
	if (pause_wanted && !vmmd_stopping()) {
		parked++;
		pthread_cond_broadcast(&pause_cond);
		while (pause_wanted && !vmmd_stopping())
			pthread_cond_wait(&pause_cond, &pause_lock);
		parked--;
	}
	/* A resume undoes the kick that parked it; a stop keeps it. */
	if (!vmmd_stopping() && v->run)
		__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&pause_lock);
}

void vcpus_pause(struct vcpu *v, unsigned int n)
{
	unsigned int i, running;

	pthread_mutex_lock(&pause_lock);
	pause_wanted = 1;
	pthread_mutex_unlock(&pause_lock);
	for (;;) {
		struct timespec ts;

		running = 0;
		for (i = 0; i < n; i++)
			running += v[i].started;
		pthread_mutex_lock(&pause_lock);
		if (parked >= running || vmmd_stopping()) {
			pthread_mutex_unlock(&pause_lock);
			return;
		}
		pthread_mutex_unlock(&pause_lock);
		for (i = 0; i < n; i++)
			vcpu_kick(&v[i]);
		ts.tv_sec = 0;
		ts.tv_nsec = 10 * 1000 * 1000;
		nanosleep(&ts, NULL);
	}
}

void vcpus_resume(void)
{
	pthread_mutex_lock(&pause_lock);
	pause_wanted = 0;
	pthread_cond_broadcast(&pause_cond);
	pthread_mutex_unlock(&pause_lock);
}

void vcpus_wake_paused(void)
{
	pthread_mutex_lock(&pause_lock);
	pthread_cond_broadcast(&pause_cond);
	pthread_mutex_unlock(&pause_lock);
}

/*
 * The first entry's time, said after the first exit so that the guest
 * does not wait on the print: CLOCK_MONOTONIC is the daemon's clock too,
 * which logs when it took the start call (vmctl.c).
 */
static void report_entry(struct vcpu *v, const struct timespec *t)
{
	fprintf(stderr, "vmmd-vm: vCPU %u first entered the guest at monotonic %lld.%09ld\n",
		v->id, (long long)t->tv_sec, t->tv_nsec);
	v->report_entry = false;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct timespec entry;
	sigset_t set;

	/* Only the kick reaches a vCPU thread; main takes SIGINT/SIGTERM. */
	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!vmmd_stopping()) {
		if (__atomic_load_n(&pause_wanted, __ATOMIC_SEQ_CST))
			park_if_paused(v);
		if (v->report_entry)
			clock_gettime(CLOCK_MONOTONIC, &entry);
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				/* A pause kick whose pause was already undone. */
				if (!vmmd_stopping() &&
				    !__atomic_load_n(&pause_wanted, __ATOMIC_SEQ_CST))
					__atomic_store_n(&v->run->immediate_exit, 0,
							 __ATOMIC_SEQ_CST);
				continue;
			}
			vmmd_stop(VMMD_EXIT_FAILURE, "vCPU %u: KVM_RUN: %s",
				  v->id, strerror(errno));
			break;
		}
		if (v->report_entry)
			report_entry(v, &entry);
		if (handle_exit(v))
			break;
	}
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	int r = pthread_create(&v->thread, NULL, vcpu_thread, v);

	if (r) {
		fprintf(stderr, "vmmd: vCPU %u thread: %s\n", v->id, strerror(r));
		return -1;
	}
	v->started = 1;
	return 0;
}

void vcpu_kick(struct vcpu *v)
{
	/*
	 * immediate_exit closes the window between the thread's stop check
	 * and KVM_RUN; the signal gets a thread already inside KVM_RUN out.
	 */
	if (v->run)
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	if (v->started)
		pthread_kill(v->thread, VCPU_KICK_SIGNAL);
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->started)
		pthread_join(v->thread, NULL);
	v->started = 0;
	if (v->run)
		munmap(v->run, vm.run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

#define PTE_PRESENT 0x1ULL
#define PTE_LARGE 0x80ULL
#define PTE_ADDR 0x000ffffffffff000ULL
#define EFER_LMA (1ULL << 10)
#define STACK_QWORDS 16

/* Guest-virtual @va through the guest's 4-level tables, or NULL. */
static const uint64_t *guest_va(const struct guest_mem *m, uint64_t cr3,
				uint64_t va)
{
	uint64_t e = cr3, size;
	const uint64_t *t;
	int level;

	for (level = 3; level >= 0; level--) {
		t = guest_mem_ptr(m, (e & PTE_ADDR) +
				  ((va >> (12 + 9 * level)) & 511) * 8, 8);
		if (!t || !(*t & PTE_PRESENT))
			return NULL;
		e = *t;
		if ((level == 1 || level == 2) && (e & PTE_LARGE)) {
			size = 1ULL << (12 + 9 * level);
			return guest_mem_ptr(m, (e & PTE_ADDR & ~(size - 1)) +
					     (va & (size - 1)), 8);
		}
	}
	return guest_mem_ptr(m, (e & PTE_ADDR) + (va & 0xfff), 8);
}

/* The top of a 64-bit guest's stack: where a hung guest was called from. */
static void vcpu_report_stack(const struct guest_mem *m,
			      const struct kvm_regs *r,
			      const struct kvm_sregs *s)
{
	const uint64_t *q;
	unsigned int i;

	if (!m || !(s->efer & EFER_LMA))
		return;
	for (i = 0; i < STACK_QWORDS; i++) {
		q = guest_va(m, s->cr3, r->rsp + 8 * i);
		if (!q)
			break;
		fprintf(stderr, "%s0x%016llx%s", i % 4 ? " " :
			"vmmd: stack: ", (unsigned long long)*q,
			i % 4 == 3 ? "\n" : "");
	}
	if (i % 4)
		fputc('\n', stderr);
}

void vcpu_report(struct vcpu *v, const struct guest_mem *mem)
{
	struct kvm_mp_state mp = { 0 };
	struct kvm_sregs s;
	struct kvm_regs r;

	if (v->fd < 0 || ioctl(v->fd, KVM_GET_REGS, &r) ||
	    ioctl(v->fd, KVM_GET_SREGS, &s))
		return;
	ioctl(v->fd, KVM_GET_MP_STATE, &mp);
	fprintf(stderr, "vmmd: vCPU %u: rip 0x%llx rsp 0x%llx rflags 0x%llx "
		"cr0 0x%llx cr3 0x%llx mp_state %u\n",
		v->id, (unsigned long long)r.rip, (unsigned long long)r.rsp,
		(unsigned long long)r.rflags, (unsigned long long)s.cr0,
		(unsigned long long)s.cr3, mp.mp_state);
	fprintf(stderr, "vmmd: vCPU %u: rax 0x%llx rbx 0x%llx rcx 0x%llx "
		"rdx 0x%llx rsi 0x%llx rdi 0x%llx\n", v->id,
		(unsigned long long)r.rax, (unsigned long long)r.rbx,
		(unsigned long long)r.rcx, (unsigned long long)r.rdx,
		(unsigned long long)r.rsi, (unsigned long long)r.rdi);
	vcpu_report_stack(mem, &r, &s);
}
