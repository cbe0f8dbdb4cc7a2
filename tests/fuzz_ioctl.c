// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_ioctl [--seed N] [--seeds N] [--calls N] [--seconds N]
 *            [--per-seed N] [--safe|--unsafe] [--trace] DEVICE
 *
 * A structured fuzzer of the KVM ioctl ABI that /dev/lamina serves (and,
 * as the baseline, /dev/kvm): random sequences of VM and vCPU creation and
 * close; memory slots that overlap, are huge or unaligned, lie at the
 * guest-physical limit, or point at unmapped, PROT_NONE, read-only or
 * kernel memory; every GET/SET ioctl of docs/abi.md with random sizes,
 * counts and pointers (NULL, kernel, read-only, straddling into an
 * unmapped page, misaligned); unknown ioctl numbers; mmap of every fd;
 * KVM_RUN of random guest code (tests/fuzz/guest_code.c) in real,
 * protected, long, 32-bit-paging and PAE mode; threads that run vCPUs
 * while the main thread changes slots, unmaps the memory behind them and
 * closes the vCPU and VM fds; a child process that uses its parent's fds.
 *
 * Errors from the module are expected and never fail the run. What fails
 * it: a bad kernel log record (tests/fuzz/kmsg.h) while it ran, lamina's
 * live_* counters or module refcount not back to 0 after a seed closed
 * everything (lamina.ko only), a KVM_EXIT_IO whose data lies outside the
 * kvm_run mapping, or the program itself dying (the runner sees that).
 * The rig's /init checks rmmod and the whole log afterwards as well.
 *
 * Every seed is a separate run, printed ("# seed N (calls so far T)") before it starts: the
 * sequence of calls is a function of the seed (thread interleavings and
 * the module's answers are not). --seed gives the first, then seed+1...
 * until --seeds, --calls or --seconds is reached (defaults: a time-based
 * seed, 60 seconds). A machine that dies leaves its last "# seed" line on
 * the console: scripts/fuzz-ioctl.sh records it, runs it again on kvm.ko
 * and carries on from the next seed (docs/fuzz-ioctl.md).
 *
 * --safe (the default under QEMU's TCG) keeps out what crashes QEMU 7.2
 * itself, under kvm.ko as under lamina.ko: see tests/fuzz/guest_code.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz/guest_code.h"
#include "fuzz/kmsg.h"
#include "fuzz/rng.h"
#include "lib/cpu_probe.h"
#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define FZ_MAX_VMS 3
#define FZ_MAX_VCPUS 8		/* lamina's LAMINA_MAX_VCPUS */
#define FZ_RAM_SIZE (1UL << 20)	/* each VM's slot 0, at GPA 0 */
#define FZ_CODE_GPA 0x10000UL
#define FZ_CODE_LEN 0x1000UL
#define FZ_BUF_SIZE (64UL << 10)
#define FZ_HUGE_SIZE (1UL << 30)	/* reserved only; its first MiB mapped */
#define FZ_PAGE 4096UL
#define FZ_EFLAGS_VM (1ULL << 17)

struct fz_vcpu {
	int fd;
	struct kvm_run *run;
};

struct fz_vm {
	int fd;			/* -1 once closed; the entry lives on for its vCPUs */
	int used;
	unsigned char *ram;
	struct fz_vcpu vcpus[FZ_MAX_VCPUS];
};

/* Host memory that slots and pointers are made of. */
struct fz_mem {
	unsigned char *buf, *buf2;	/* RW scratch for ioctl arguments */
	unsigned char *guard;		/* RW page, then a PROT_NONE page */
	unsigned char *ro, *none;	/* read-only, PROT_NONE: 64 KiB each */
	unsigned char *hole;		/* unmapped */
	unsigned char *huge;		/* 1 GiB reserved, first MiB RW */
	unsigned char *memfd_map;	/* 256 KiB shared file pages */
};

struct fz_stats {
	unsigned long long calls, runs, ok, err, threads, forks;
	unsigned long long exits[64];
};

struct fuzz {
	const char *dev, *name;
	int is_lamina, safe, trace;
	unsigned int skip;		/* operations left out (1 << enum fz_op) */
	int sys_fd, kmsg_fd;
	long mmap_size;
	unsigned long long seed;
	struct fuzz_rng r;
	struct fz_vm vms[FZ_MAX_VMS];
	struct fz_mem mem;
	struct kvm_cpuid2 *supported;	/* for KVM_SET_CPUID2's entries */
	__u32 msr_index[128];
	unsigned int nmsr_index;
	timer_t timer;
	struct fz_stats st;
	unsigned int bad;		/* failures found */
};

/*
 * LAMINA_FUZZ_RECORDER=1: the last guest set up (mode, then its first
 * code bytes) in a locked page whose physical address is printed at the
 * start: when a guest hangs the machine, the emulator's monitor reads
 * it there (QEMU: xp /64xb ADDR), where the console has stopped.
 */
static unsigned char *fz_recorder;

static void fz_recorder_init(void)
{
	uint64_t ent = 0;
	int fd;

	fz_recorder = mmap(NULL, FZ_PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (fz_recorder == MAP_FAILED) {
		fz_recorder = NULL;
		return;
	}
	memset(fz_recorder, 0xee, FZ_PAGE);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd >= 0 && pread(fd, &ent, 8, (uintptr_t)fz_recorder / FZ_PAGE * 8) == 8)
		ksft_print_msg("recorder at physical 0x%llx\n",
			       (unsigned long long)(ent & ((1ULL << 55) - 1)) * FZ_PAGE);
	if (fd >= 0)
		close(fd);
	sleep(2);	/* let the console drain it */
}

static struct fz_stats fz_thread_stats;	/* racers add theirs here */
static pthread_mutex_t fz_stats_lock = PTHREAD_MUTEX_INITIALIZER;

/* --- calls -------------------------------------------------------------- */

/* Every call into the device is counted; its error is expected. */
static long fz_ioctl(struct fz_stats *st, int fd, unsigned long cmd,
		     unsigned long arg)
{
	long ret = ioctl(fd, cmd, arg);

	st->calls++;
	if (ret < 0)
		st->err++;
	else
		st->ok++;
	return ret;
}

static void fz_close(struct fz_stats *st, int fd)
{
	if (fd < 0)
		return;
	close(fd);
	st->calls++;
}

static void fz_signal(int sig)
{
	(void)sig;
}

/*
 * A KVM_RUN returns on a signal only: a guest loop or a HLT with the
 * in-kernel LAPIC would hold it forever. Each thread has a 5 ms interval
 * timer aimed at itself while it runs vCPUs.
 */
static int fz_timer_create(timer_t *t)
{
	struct sigevent sev;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGUSR1;
	sev._sigev_un._tid = syscall(SYS_gettid);
	return timer_create(CLOCK_MONOTONIC, &sev, t);
}

static void fz_timer_arm(timer_t t, int on)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (on) {
		its.it_value.tv_nsec = 5000000;
		its.it_interval.tv_nsec = 5000000;
	}
	timer_settime(t, 0, &its, NULL);
}

/* --- pointers and values ------------------------------------------------ */

/*
 * Where an ioctl's argument struct (@size bytes at @content, in buf) is
 * handed from: mostly where it is, else a bad or awkward place.
 */
static void *fz_ptr(struct fuzz *f, void *content, size_t size)
{
	size_t k;

	switch (fuzz_below(&f->r, 20)) {
	case 0:
		return NULL;
	case 1:
		return (void *)0xffffffff81000000UL;	/* kernel text */
	case 2:
		return f->mem.none;
	case 3:
		return f->mem.ro;	/* readable, not writable */
	case 4:
		return f->mem.hole;
	case 5:		/* the struct runs into an unmapped page */
		k = size ? 1 + fuzz_below(&f->r, size < FZ_PAGE ? size : FZ_PAGE) : 0;
		memcpy(f->mem.guard + FZ_PAGE - k, content, k);
		return f->mem.guard + FZ_PAGE - k;
	case 6:		/* misaligned */
		k = 1 + fuzz_below(&f->r, 7);
		memcpy(f->mem.buf2 + k, content, size);
		return f->mem.buf2 + k;
	case 7:
		return (void *)(uintptr_t)fuzz_u64(&f->r);
	default:
		return content;
	}
}

/* A 64-bit value with a bias towards boundaries. */
static unsigned long long fz_val(struct fuzz_rng *r)
{
	static const unsigned long long edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL,
		0xfee00000, 0xfffff000, 1ULL << 40, (1ULL << 40) - 4096,
		1ULL << 48, (1ULL << 48) - 4096, 1ULL << 52,
	};

	switch (fuzz_below(r, 4)) {
	case 0:
		return FUZZ_PICK(r, edge);
	case 1:
		return FUZZ_PICK(r, edge) + fuzz_below(r, 3) - 1;
	case 2:
		return fuzz_below(r, 256);
	default:
		return fuzz_u64(r);
	}
}

static struct fz_vm *fz_pick_vm(struct fuzz *f)
{
	struct fz_vm *vm = &f->vms[fuzz_below(&f->r, FZ_MAX_VMS)];

	return vm->used ? vm : NULL;
}

static struct fz_vcpu *fz_pick_vcpu(struct fuzz *f, struct fz_vm **vmp)
{
	struct fz_vm *vm = fz_pick_vm(f);
	struct fz_vcpu *v;

	if (!vm)
		return NULL;
	v = &vm->vcpus[fuzz_below(&f->r, FZ_MAX_VCPUS)];
	if (v->fd < 0)
		return NULL;
	if (vmp)
		*vmp = vm;
	return v;
}

/* Any fd of ours, or a random number. */
static int fz_pick_fd(struct fuzz *f)
{
	struct fz_vcpu *v;
	struct fz_vm *vm;

	switch (fuzz_below(&f->r, 4)) {
	case 0:
		return f->sys_fd;
	case 1:
		vm = fz_pick_vm(f);
		return vm ? vm->fd : f->sys_fd;
	case 2:
		v = fz_pick_vcpu(f, NULL);
		return v ? v->fd : f->sys_fd;
	default:
		return fuzz_below(&f->r, 64);
	}
}

/* Is @fd one this program keeps (so a stray return value is not closed)? */
static int fz_fd_known(struct fuzz *f, int fd)
{
	int i, j;

	if (fd <= 2 || fd == f->sys_fd || fd == f->kmsg_fd)
		return 1;
	for (i = 0; i < FZ_MAX_VMS; i++) {
		if (f->vms[i].fd == fd)
			return 1;
		for (j = 0; j < FZ_MAX_VCPUS; j++)
			if (f->vms[i].vcpus[j].fd == fd)
				return 1;
	}
	return 0;
}

/* An ioctl that made an fd nobody asked for (kvm.ko's KVM_CREATE_VM...). */
static void fz_reap(struct fuzz *f, long ret)
{
	if (ret > 2 && ret < 1024 && !fz_fd_known(f, ret) &&
	    fcntl(ret, F_GETFD) >= 0)
		fz_close(&f->st, ret);
}

/* --- objects ------------------------------------------------------------ */

static void fz_vcpu_close(struct fuzz *f, struct fz_vcpu *v)
{
	/* Unmapping before or after the close: both must free the vCPU. */
	int unmap_first = fuzz_one_in(&f->r, 2);

	if (unmap_first && v->run != MAP_FAILED)
		munmap(v->run, f->mmap_size);
	fz_close(&f->st, v->fd);
	if (!unmap_first && v->run != MAP_FAILED)
		munmap(v->run, f->mmap_size);
	v->fd = -1;
	v->run = MAP_FAILED;
}

static void fz_vm_drop_if_empty(struct fuzz *f, struct fz_vm *vm)
{
	int j;

	if (vm->fd >= 0)
		return;
	for (j = 0; j < FZ_MAX_VCPUS; j++)
		if (vm->vcpus[j].fd >= 0)
			return;
	munmap(vm->ram, FZ_RAM_SIZE);
	vm->used = 0;
	(void)f;
}

static void fz_vm_close(struct fuzz *f, struct fz_vm *vm)
{
	fz_close(&f->st, vm->fd);
	vm->fd = -1;
	fz_vm_drop_if_empty(f, vm);
}

static int fz_set_region(struct fuzz *f, int vm_fd, __u32 slot, __u32 flags,
			 __u64 gpa, __u64 size, void *uaddr)
{
	struct kvm_userspace_memory_region *r = (void *)f->mem.buf;

	memset(r, 0, sizeof(*r));
	r->slot = slot;
	r->flags = flags;
	r->guest_phys_addr = gpa;
	r->memory_size = size;
	r->userspace_addr = (uintptr_t)uaddr;
	return fz_ioctl(&f->st, vm_fd, KVM_SET_USER_MEMORY_REGION,
			(uintptr_t)r);
}

static void op_create_vm(struct fuzz *f)
{
	struct fz_vm *vm = NULL;
	struct kvm_enable_cap cap;
	unsigned long type = fuzz_one_in(&f->r, 10) ? fz_val(&f->r) : 0;
	int i, fd;

	for (i = 0; i < FZ_MAX_VMS; i++)
		if (!f->vms[i].used)
			vm = &f->vms[i];
	if (!vm) {
		fz_vm_close(f, &f->vms[fuzz_below(&f->r, FZ_MAX_VMS)]);
		return;
	}
	fd = fz_ioctl(&f->st, f->sys_fd, KVM_CREATE_VM, type);
	if (fd < 0)
		return;
	memset(vm, 0, sizeof(*vm));
	vm->used = 1;
	vm->fd = fd;
	for (i = 0; i < FZ_MAX_VCPUS; i++) {
		vm->vcpus[i].fd = -1;
		vm->vcpus[i].run = MAP_FAILED;
	}
	vm->ram = mmap(NULL, FZ_RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->ram == MAP_FAILED) {
		ksft_print_msg("mmap: %s\n", strerror(errno));
		exit(KSFT_FAIL);
	}
	if (!fuzz_one_in(&f->r, 8))
		fz_set_region(f, fd, 0, 0, 0, FZ_RAM_SIZE, vm->ram);
	if (fuzz_one_in(&f->r, 3)) {
		memset(&cap, 0, sizeof(cap));
		cap.cap = KVM_CAP_SPLIT_IRQCHIP;
		cap.args[0] = 24;
		fz_ioctl(&f->st, fd, KVM_ENABLE_CAP, (uintptr_t)&cap);
	}
}

static void op_create_vcpu(struct fuzz *f)
{
	struct fz_vm *vm = fz_pick_vm(f);
	unsigned long id = fuzz_below(&f->r, FZ_MAX_VCPUS + 1);
	struct fz_vcpu *v;
	int fd;

	if (!vm)
		return;
	if (fuzz_one_in(&f->r, 16))
		id = fz_val(&f->r);
	fd = fz_ioctl(&f->st, vm->fd, KVM_CREATE_VCPU, id);
	if (fd < 0)
		return;
	if (id >= FZ_MAX_VCPUS || vm->vcpus[id].fd >= 0) {
		/* kvm.ko takes more ids than lamina: not ours to keep. */
		fz_close(&f->st, fd);
		return;
	}
	v = &vm->vcpus[id];
	v->fd = fd;
	v->run = mmap(NULL, f->mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      fd, 0);
	f->st.calls++;
}

static void op_close(struct fuzz *f)
{
	struct fz_vcpu *v;
	struct fz_vm *vm;

	if (fuzz_one_in(&f->r, 3)) {
		vm = fz_pick_vm(f);
		if (vm && vm->fd >= 0)
			fz_vm_close(f, vm);
		return;
	}
	v = fz_pick_vcpu(f, &vm);
	if (v) {
		fz_vcpu_close(f, v);
		fz_vm_drop_if_empty(f, vm);
	}
}

/* --- memory slots ------------------------------------------------------- */

static void *fz_uaddr(struct fuzz *f, struct fz_vm *vm, __u64 size)
{
	unsigned char *p;

	switch (fuzz_below(&f->r, 12)) {
	case 0:
		return f->mem.ro;
	case 1:
		return f->mem.none;
	case 2:
		return f->mem.hole;
	case 3:
		return f->mem.huge;
	case 4:
		return f->mem.memfd_map;
	case 5:
		return (void *)0xffff888000000000UL;
	case 6:
		return (void *)(0x800000000000UL - FZ_PAGE);	/* top of user */
	case 7:
		return (void *)(uintptr_t)(fz_val(&f->r) & ~(FZ_PAGE - 1));
	case 8:
		return vm->ram + 1 + fuzz_below(&f->r, FZ_PAGE - 1);
	default:
		p = vm->ram + fuzz_below(&f->r, 16) * FZ_PAGE;
		/* Past the end of ram lies whatever mmap put there. */
		return size <= FZ_RAM_SIZE ? p : vm->ram;
	}
}

static void op_slot(struct fuzz *f)
{
	static const __u64 sizes[] = {
		0, FZ_PAGE, 2 * FZ_PAGE, 16 * FZ_PAGE, FZ_RAM_SIZE / 2,
		FZ_RAM_SIZE, 2UL << 20, FZ_HUGE_SIZE, 4UL << 30,
		0x7fffffffULL * FZ_PAGE, 0x80000000ULL * FZ_PAGE, ~0ULL & ~0xfffULL,
	};
	static const __u64 gpas[] = {
		0, FZ_RAM_SIZE, 0xa0000, 0xc0000000, 0xfee00000, 0xfec00000,
		0x100000000ULL, (1ULL << 40) - FZ_PAGE, 1ULL << 40,
		(1ULL << 48) - FZ_PAGE, 1ULL << 48, ~0ULL & ~0xfffULL,
		0xfffffffffff00000ULL,
	};
	struct fz_vm *vm = fz_pick_vm(f);
	__u64 size = FUZZ_PICK(&f->r, sizes), gpa = FUZZ_PICK(&f->r, gpas);
	__u32 slot = fuzz_below(&f->r, 34), flags = 0;

	if (!vm)
		return;
	if (fuzz_one_in(&f->r, 4))
		size = fuzz_below(&f->r, 64) * FZ_PAGE;
	if (fuzz_one_in(&f->r, 8))
		size += fuzz_below(&f->r, FZ_PAGE);	/* unaligned */
	if (fuzz_one_in(&f->r, 4))
		gpa = fuzz_below(&f->r, 512) * FZ_PAGE;	/* overlaps likely */
	if (fuzz_one_in(&f->r, 8))
		gpa += fuzz_below(&f->r, FZ_PAGE);
	if (fuzz_one_in(&f->r, 16))
		slot = fuzz_u64(&f->r);		/* address space id, too */
	if (fuzz_one_in(&f->r, 4))
		flags = KVM_MEM_READONLY;
	if (fuzz_one_in(&f->r, 16))
		flags = fuzz_u64(&f->r);
	if (fuzz_one_in(&f->r, 10)) {
		/* Straight from the pointer pool: bad struct addresses. */
		struct kvm_userspace_memory_region *r = (void *)f->mem.buf;

		memset(r, 0, sizeof(*r));
		r->slot = slot;
		r->memory_size = FZ_PAGE;
		r->userspace_addr = (uintptr_t)vm->ram;
		fz_ioctl(&f->st, vm->fd, KVM_SET_USER_MEMORY_REGION,
			 (uintptr_t)fz_ptr(f, r, sizeof(*r)));
		return;
	}
	/*
	 * Pinning faults every page in: only the 1 GiB reservation (whose
	 * first MiB is backed) may be big, so the machine keeps its memory.
	 */
	if (size > FZ_RAM_SIZE) {
		void *u = fuzz_one_in(&f->r, 2) ? f->mem.huge : f->mem.none;

		fz_set_region(f, vm->fd, slot, flags, gpa, size, u);
		return;
	}
	fz_set_region(f, vm->fd, slot, flags, gpa, size, fz_uaddr(f, vm, size));
}

/* --- device and VM ioctls ----------------------------------------------- */

static void op_dev(struct fuzz *f)
{
	struct kvm_cpuid2 *c = (void *)f->mem.buf;
	struct kvm_msr_list *l = (void *)f->mem.buf;
	size_t sz;
	long ret;

	switch (fuzz_below(&f->r, 7)) {
	case 0:
		fz_ioctl(&f->st, f->sys_fd, KVM_GET_API_VERSION,
			 fuzz_one_in(&f->r, 4) ? fz_val(&f->r) : 0);
		break;
	case 1:
		ret = fz_ioctl(&f->st, f->sys_fd, KVM_CHECK_EXTENSION,
			       fuzz_one_in(&f->r, 4) ? fz_val(&f->r) :
			       fuzz_below(&f->r, 300));
		(void)ret;
		break;
	case 2:
		fz_ioctl(&f->st, f->sys_fd, KVM_GET_VCPU_MMAP_SIZE,
			 fuzz_one_in(&f->r, 4) ? fz_val(&f->r) : 0);
		break;
	case 3:
	case 4:
		c->nent = fuzz_one_in(&f->r, 3) ? fz_val(&f->r) :
			  fuzz_below(&f->r, 300);
		sz = sizeof(*c) + (c->nent < 300 ? c->nent : 0) *
		     sizeof(c->entries[0]);
		fz_ioctl(&f->st, f->sys_fd,
			 fuzz_one_in(&f->r, 4) ? KVM_GET_EMULATED_CPUID :
			 KVM_GET_SUPPORTED_CPUID,
			 (uintptr_t)fz_ptr(f, c, sz));
		break;
	default:
		l->nmsrs = fuzz_one_in(&f->r, 3) ? fz_val(&f->r) :
			   fuzz_below(&f->r, 200);
		sz = sizeof(*l) + (l->nmsrs < 200 ? l->nmsrs : 0) * 4;
		fz_ioctl(&f->st, f->sys_fd,
			 fuzz_one_in(&f->r, 4) ? KVM_GET_MSR_FEATURE_INDEX_LIST :
			 KVM_GET_MSR_INDEX_LIST,
			 (uintptr_t)fz_ptr(f, l, sz));
		break;
	}
}

static void op_vm(struct fuzz *f)
{
	struct fz_vm *vm = fz_pick_vm(f);
	struct kvm_enable_cap *cap = (void *)f->mem.buf;
	struct kvm_msi *msi = (void *)f->mem.buf;
	struct kvm_irq_routing *rt = (void *)f->mem.buf;
	unsigned int i, n;

	if (!vm)
		return;
	switch (fuzz_below(&f->r, 4)) {
	case 0:
		fz_ioctl(&f->st, vm->fd, KVM_SET_TSS_ADDR, fz_val(&f->r));
		break;
	case 1:
		memset(cap, 0, sizeof(*cap));
		cap->cap = fuzz_one_in(&f->r, 4) ? fz_val(&f->r) :
			   KVM_CAP_SPLIT_IRQCHIP;
		cap->flags = fuzz_one_in(&f->r, 4) ? fz_val(&f->r) : 0;
		cap->args[0] = fuzz_one_in(&f->r, 2) ? 24 : fz_val(&f->r);
		fz_ioctl(&f->st, vm->fd, KVM_ENABLE_CAP,
			 (uintptr_t)fz_ptr(f, cap, sizeof(*cap)));
		break;
	case 2:
		memset(msi, 0, sizeof(*msi));
		msi->address_lo = fuzz_one_in(&f->r, 4) ? fz_val(&f->r) :
				  0xfee00000 | fuzz_below(&f->r, 0x100000);
		msi->address_hi = fuzz_one_in(&f->r, 8) ? fz_val(&f->r) : 0;
		msi->data = fuzz_one_in(&f->r, 2) ? fuzz_below(&f->r, 0x10000) :
			    fz_val(&f->r);
		msi->flags = fuzz_one_in(&f->r, 8) ? fz_val(&f->r) : 0;
		fz_ioctl(&f->st, vm->fd, KVM_SIGNAL_MSI,
			 (uintptr_t)fz_ptr(f, msi, sizeof(*msi)));
		break;
	default:
		n = fuzz_one_in(&f->r, 8) ? fz_val(&f->r) : fuzz_below(&f->r, 8);
		memset(rt, 0, sizeof(*rt));
		rt->nr = n;
		rt->flags = fuzz_one_in(&f->r, 8) ? fz_val(&f->r) : 0;
		for (i = 0; i < n && i < 64; i++) {
			struct kvm_irq_routing_entry *e = &rt->entries[i];

			memset(e, 0, sizeof(*e));
			e->gsi = fuzz_below(&f->r, 30);
			e->type = fuzz_one_in(&f->r, 4) ? fz_val(&f->r) :
				  KVM_IRQ_ROUTING_MSI;
			e->u.msi.address_lo = 0xfee00000;
			e->u.msi.address_hi = fuzz_one_in(&f->r, 8);
			e->u.msi.data = fuzz_below(&f->r, 0x10000);
		}
		fz_ioctl(&f->st, vm->fd, KVM_SET_GSI_ROUTING,
			 (uintptr_t)fz_ptr(f, rt, sizeof(*rt) + (n < 64 ? n : 64) *
					   sizeof(rt->entries[0])));
		break;
	}
}

/* --- vCPU ioctls -------------------------------------------------------- */

static void fz_seg(struct fuzz *f, struct kvm_segment *s)
{
	switch (fuzz_below(&f->r, 6)) {
	case 0:
		s->selector = fuzz_u64(&f->r);
		break;
	case 1:
		s->base = fz_val(&f->r);
		break;
	case 2:
		s->limit = fz_val(&f->r);
		break;
	case 3:
		s->type = fuzz_below(&f->r, 16);
		break;
	case 4:
		s->present = fuzz_below(&f->r, 2);
		s->s = fuzz_below(&f->r, 2);
		break;
	default:
		s->l = fuzz_below(&f->r, 2);
		s->db = fuzz_below(&f->r, 2);
		s->g = fuzz_below(&f->r, 2);
		s->unusable = fuzz_below(&f->r, 2);
		break;
	}
}

/* Safe mode: CPL0 (CS RPL, SS DPL) whatever the mutation did. */
static void fz_sregs_cpl0(struct kvm_sregs *s)
{
	s->cs.selector &= ~3;
	s->cs.dpl = 0;
	s->ss.selector &= ~3;
	s->ss.dpl = 0;
}

static void op_sregs(struct fuzz *f, int fd)
{
	struct kvm_sregs *s = (void *)f->mem.buf;
	struct kvm_segment *segs[] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt,
	};
	int i, n;

	memset(s, 0, sizeof(*s));
	if (fz_ioctl(&f->st, fd, KVM_GET_SREGS, (uintptr_t)s) < 0 &&
	    fuzz_one_in(&f->r, 2))
		return;
	n = 1 + fuzz_below(&f->r, 3);
	for (i = 0; i < n; i++) {
		switch (fuzz_below(&f->r, 10)) {
		case 0:
			s->cr0 ^= 1ULL << fuzz_below(&f->r, 64);
			break;
		case 1:
			s->cr4 ^= 1ULL << fuzz_below(&f->r, 64);
			break;
		case 2:
			s->efer ^= 1ULL << fuzz_below(&f->r, 64);
			break;
		case 3:
			s->cr3 = fz_val(&f->r);
			break;
		case 4:
			s->gdt.base = fz_val(&f->r);
			s->gdt.limit = fz_val(&f->r);
			break;
		case 5:
			s->idt.base = fz_val(&f->r);
			s->idt.limit = fz_val(&f->r);
			break;
		case 6:
			s->interrupt_bitmap[fuzz_below(&f->r, 4)] |=
				1ULL << fuzz_below(&f->r, 64);
			break;
		case 7:
			s->cr8 = fz_val(&f->r);
			s->apic_base = fz_val(&f->r);
			break;
		default:
			fz_seg(f, FUZZ_PICK(&f->r, segs));
			break;
		}
	}
	if (f->safe)
		fz_sregs_cpl0(s);
	fz_ioctl(&f->st, fd, KVM_SET_SREGS,
		 (uintptr_t)fz_ptr(f, s, sizeof(*s)));
}

static void op_regs(struct fuzz *f, int fd)
{
	struct kvm_regs *r = (void *)f->mem.buf;
	__u64 *gpr = (__u64 *)r;

	memset(r, 0, sizeof(*r));
	fz_ioctl(&f->st, fd, KVM_GET_REGS, (uintptr_t)r);
	gpr[fuzz_below(&f->r, sizeof(*r) / 8)] = fz_val(&f->r);
	if (f->safe)
		r->rflags &= ~FZ_EFLAGS_VM;
	fz_ioctl(&f->st, fd, KVM_SET_REGS, (uintptr_t)fz_ptr(f, r, sizeof(*r)));
}

static void op_cpuid(struct fuzz *f, int fd)
{
	struct kvm_cpuid2 *c = (void *)f->mem.buf;
	unsigned int i, n = fuzz_below(&f->r, 4) ? f->supported->nent :
			    fuzz_below(&f->r, 260);
	size_t sz;

	if (fuzz_one_in(&f->r, 3)) {
		c->nent = fuzz_one_in(&f->r, 3) ? fz_val(&f->r) :
			  fuzz_below(&f->r, 300);
		sz = sizeof(*c) + (c->nent < 300 ? c->nent : 0) *
		     sizeof(c->entries[0]);
		fz_ioctl(&f->st, fd, KVM_GET_CPUID2, (uintptr_t)fz_ptr(f, c, sz));
		return;
	}
	if (n > 256 + 3)
		n = 256 + 3;
	memset(c, 0, sizeof(*c));
	c->nent = n;
	for (i = 0; i < n; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		*e = f->supported->entries[i % (f->supported->nent ?
						 f->supported->nent : 1)];
		if (fuzz_one_in(&f->r, 16))
			e->function = fz_val(&f->r);
		if (fuzz_one_in(&f->r, 16))
			e->flags = fuzz_below(&f->r, 8);
		if (fuzz_one_in(&f->r, 16))
			e->eax = fz_val(&f->r);
		if (fuzz_one_in(&f->r, 16))
			e->ecx ^= 1U << fuzz_below(&f->r, 32);
	}
	if (fuzz_one_in(&f->r, 8))
		c->nent = fz_val(&f->r);
	fz_ioctl(&f->st, fd, KVM_SET_CPUID2,
		 (uintptr_t)fz_ptr(f, c, sizeof(*c) + n * sizeof(c->entries[0])));
}

static void op_msrs(struct fuzz *f, int fd)
{
	struct kvm_msrs *m = (void *)f->mem.buf;
	unsigned int i, n = fuzz_below(&f->r, 9);
	int set = fuzz_one_in(&f->r, 2);

	memset(m, 0, sizeof(*m));
	m->nmsrs = fuzz_one_in(&f->r, 10) ? fz_val(&f->r) : n;
	for (i = 0; i < n; i++) {
		struct kvm_msr_entry *e = &m->entries[i];

		memset(e, 0, sizeof(*e));
		e->index = f->nmsr_index && !fuzz_one_in(&f->r, 5) ?
			   f->msr_index[fuzz_below(&f->r, f->nmsr_index)] :
			   (__u32)fz_val(&f->r);
		/* DEBUGCTL: kvm.ko passes it to the CPU's own (QEMU's) LBR. */
		if (f->safe && e->index == 0x1d9)
			e->index = 0x10;
		e->data = fz_val(&f->r);
	}
	fz_ioctl(&f->st, fd, set ? KVM_SET_MSRS : KVM_GET_MSRS,
		 (uintptr_t)fz_ptr(f, m, sizeof(*m) + n * sizeof(m->entries[0])));
}

static void op_vcpu(struct fuzz *f)
{
	struct kvm_interrupt *irq = (void *)f->mem.buf;
	struct kvm_mp_state *mp = (void *)f->mem.buf;
	struct fz_vcpu *v = fz_pick_vcpu(f, NULL);

	if (!v)
		return;
	switch (fuzz_below(&f->r, 7)) {
	case 0:
		op_regs(f, v->fd);
		break;
	case 1:
		op_sregs(f, v->fd);
		break;
	case 2:
		op_cpuid(f, v->fd);
		break;
	case 3:
		op_msrs(f, v->fd);
		break;
	case 4:
		irq->irq = fuzz_one_in(&f->r, 4) ? fz_val(&f->r) :
			   fuzz_below(&f->r, 256);
		fz_ioctl(&f->st, v->fd, KVM_INTERRUPT,
			 (uintptr_t)fz_ptr(f, irq, sizeof(*irq)));
		break;
	case 5:
		fz_ioctl(&f->st, v->fd, KVM_GET_MP_STATE,
			 (uintptr_t)fz_ptr(f, mp, sizeof(*mp)));
		break;
	default:
		/* KVM_RUN with an argument: -EINVAL. */
		fz_ioctl(&f->st, v->fd, KVM_RUN, fz_val(&f->r) | 1);
		break;
	}
}

/*
 * KVM ioctls lamina does not have (-ENOTTY), with random arguments: on
 * lamina.ko only, since kvm.ko would act on them (KVM_SET_DEBUGREGS and
 * KVM_SET_GUEST_DEBUG write DR7 into QEMU's CPU, see guest_code.h).
 */
static const unsigned long fz_absent[] = {
	KVM_CREATE_IRQCHIP, KVM_IRQ_LINE, KVM_NMI, KVM_GET_LAPIC,
	KVM_SET_MP_STATE, KVM_GET_VCPU_EVENTS, KVM_SET_DEBUGREGS,
	KVM_SET_GUEST_DEBUG, KVM_GET_FPU, KVM_GET_XSAVE, KVM_GET_XCRS,
	KVM_GET_CLOCK, KVM_IOEVENTFD, KVM_IRQFD, KVM_GET_TSC_KHZ,
	KVM_SET_SIGNAL_MASK, KVM_TRANSLATE, KVM_GET_DIRTY_LOG,
	KVM_SET_IDENTITY_MAP_ADDR, KVM_CREATE_PIT2, KVM_SET_BOOT_CPU_ID,
	KVM_GET_NESTED_STATE, KVM_GET_REG_LIST,
};

static void op_unknown(struct fuzz *f)
{
	unsigned long cmd;
	long ret;

	if (f->is_lamina && fuzz_one_in(&f->r, 2)) {
		cmd = FUZZ_PICK(&f->r, fz_absent);
	} else {
		/* Random numbers that name no KVM ioctl: sized, type 0xAE. */
		cmd = _IOC(1 + fuzz_below(&f->r, 3),
			   fuzz_one_in(&f->r, 8) ? fuzz_u64(&f->r) : KVMIO,
			   fuzz_u64(&f->r), 1 + fuzz_below(&f->r, 4095));
		if (!f->is_lamina &&
		    (cmd == KVM_SET_DEBUGREGS || cmd == KVM_SET_GUEST_DEBUG))
			return;
	}
	ret = fz_ioctl(&f->st, fz_pick_fd(f), cmd,
		       (uintptr_t)fz_ptr(f, f->mem.buf, 256));
	fz_reap(f, ret);
}

static void op_mmap(struct fuzz *f)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_NONE,
	};
	size_t len = (1 + fuzz_below(&f->r, 4)) * FZ_PAGE;
	off_t off = fuzz_below(&f->r, 4) * FZ_PAGE;
	void *p;

	if (fuzz_one_in(&f->r, 8))
		off = fz_val(&f->r) & ~(FZ_PAGE - 1);
	p = mmap(NULL, len, FUZZ_PICK(&f->r, prots),
		 fuzz_one_in(&f->r, 4) ? MAP_PRIVATE : MAP_SHARED,
		 fz_pick_fd(f), off);
	f->st.calls++;
	if (p != MAP_FAILED)
		munmap(p, len);
}

/* --- running guests ----------------------------------------------------- */

/*
 * Take one exit the way a VMM would: IN and MMIO-read data for the next
 * KVM_RUN. Returns 0 to go on, 1 when the vCPU cannot run on, -1 when
 * the module described its exit data outside kvm_run.
 */
static int fz_take_exit(struct fuzz_rng *r, struct fz_stats *st,
			struct kvm_run *run, long size)
{
	unsigned long long end;

	st->exits[run->exit_reason & 63]++;
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		end = run->io.data_offset +
		      (unsigned long long)run->io.size * run->io.count;
		if (end > (unsigned long long)size)
			return -1;
		if (run->io.direction == KVM_EXIT_IO_IN)
			memset((char *)run + run->io.data_offset,
			       fuzz_u64(r), end - run->io.data_offset);
		return 0;
	case KVM_EXIT_MMIO:
		if (!run->mmio.is_write)
			memcpy(run->mmio.data, &(uint64_t){ fuzz_u64(r) }, 8);
		return 0;
	case KVM_EXIT_HLT:
	case KVM_EXIT_INTR:
	case KVM_EXIT_IRQ_WINDOW_OPEN:
	case KVM_EXIT_IOAPIC_EOI:
		return 0;
	default:
		return 1;
	}
}

static int fz_run_some(struct fuzz_rng *r, struct fz_stats *st, int fd,
		       struct kvm_run *run, long size, int n)
{
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		if (run != MAP_FAILED) {
			run->immediate_exit = fuzz_one_in(r, 16);
			run->request_interrupt_window = fuzz_one_in(r, 8);
		}
		st->runs++;
		if (fz_ioctl(st, fd, KVM_RUN, 0) < 0 && errno != EINTR)
			break;
		if (run == MAP_FAILED)
			continue;
		bad = fz_take_exit(r, st, run, size);
		if (bad)
			break;
	}
	return bad < 0;
}

/* Point a vCPU at fresh random code in a random mode. */
static void fz_prepare_guest(struct fuzz *f, struct fz_vm *vm,
			     struct fz_vcpu *v)
{
	struct test_vm tv = {
		.vm_fd = vm->fd, .vcpu_fd = v->fd, .mem = vm->ram,
		.mem_size = FZ_RAM_SIZE,
	};
	enum test_mode mode = fuzz_below(&f->r, TEST_MODE_COUNT);

	fuzz_guest_code(&f->r, vm->ram + FZ_CODE_GPA, FZ_CODE_LEN,
			test_mode_bits(mode), f->safe);
	test_vm_set_mode(&tv, mode, FZ_CODE_GPA);
	if (fz_recorder) {
		fz_recorder[0] = mode;
		memcpy(fz_recorder + 16, vm->ram + FZ_CODE_GPA, 256);
	}
	f->st.calls += 3;	/* GET_SREGS, SET_SREGS, SET_REGS */
	if (fuzz_one_in(&f->r, 4))
		op_regs(f, v->fd);
	if (fuzz_one_in(&f->r, 8))
		op_sregs(f, v->fd);
}

static void op_run(struct fuzz *f)
{
	struct fz_vm *vm;
	struct fz_vcpu *v = fz_pick_vcpu(f, &vm);

	if (!v)
		return;
	if (!fuzz_one_in(&f->r, 4))
		fz_prepare_guest(f, vm, v);
	fz_timer_arm(f->timer, 1);
	if (fz_run_some(&f->r, &f->st, v->fd, v->run, f->mmap_size,
			1 + fuzz_below(&f->r, 8))) {
		ksft_print_msg("seed %llu: KVM_EXIT_IO data outside kvm_run\n",
			       f->seed);
		f->bad++;
	}
	fz_timer_arm(f->timer, 0);
}

/* A thread that runs one vCPU through its own fd and mapping. */
struct fz_racer {
	pthread_t tid;
	int fd;
	long size;
	uint64_t seed;
	int bad;
	volatile int stop;
};

static void *fz_racer_main(void *arg)
{
	struct fz_racer *rc = arg;
	struct fz_stats st;
	struct fuzz_rng r;
	struct kvm_run *run;
	timer_t t;
	int i;

	memset(&st, 0, sizeof(st));
	fuzz_rng_seed(&r, rc->seed);
	run = mmap(NULL, rc->size, PROT_READ | PROT_WRITE, MAP_SHARED, rc->fd, 0);
	if (fz_timer_create(&t) == 0) {
		fz_timer_arm(t, 1);
		for (i = 0; i < 200 && !rc->stop; i++)
			rc->bad |= fz_run_some(&r, &st, rc->fd, run, rc->size, 1);
		fz_timer_arm(t, 0);
		timer_delete(t);
	}
	if (run != MAP_FAILED)
		munmap(run, rc->size);
	close(rc->fd);
	st.calls += 2;
	pthread_mutex_lock(&fz_stats_lock);
	fz_thread_stats.calls += st.calls;
	fz_thread_stats.runs += st.runs;
	fz_thread_stats.ok += st.ok;
	fz_thread_stats.err += st.err;
	for (i = 0; i < 64; i++)
		fz_thread_stats.exits[i] += st.exits[i];
	pthread_mutex_unlock(&fz_stats_lock);
	return NULL;
}

/*
 * Threads run a VM's vCPUs while this one changes its slots, unmaps the
 * memory behind one, and closes vCPU and VM fds under them.
 */
static void op_race(struct fuzz *f)
{
	struct fz_racer rc[2];
	struct fz_vm *vm = fz_pick_vm(f);
	unsigned char *victim;
	int i, n = 0, steps;

	if (!vm || vm->fd < 0)
		return;
	for (i = 0; i < FZ_MAX_VCPUS && n < 2; i++) {
		struct fz_vcpu *v = &vm->vcpus[i];

		if (v->fd < 0)
			continue;
		if (fuzz_one_in(&f->r, 2))
			fz_prepare_guest(f, vm, v);
		memset(&rc[n], 0, sizeof(rc[n]));
		rc[n].fd = dup(v->fd);
		rc[n].size = f->mmap_size;
		rc[n].seed = fuzz_u64(&f->r);
		if (rc[n].fd < 0)
			continue;
		if (pthread_create(&rc[n].tid, NULL, fz_racer_main, &rc[n])) {
			close(rc[n].fd);
			continue;
		}
		n++;
	}
	if (!n)
		return;
	f->st.threads += n;
	victim = mmap(NULL, 64 * FZ_PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	steps = 2 + fuzz_below(&f->r, 8);
	for (i = 0; i < steps; i++) {
		usleep(fuzz_below(&f->r, 3000));
		switch (fuzz_below(&f->r, 6)) {
		case 0:		/* slot 0 away and back */
			fz_set_region(f, vm->fd, 0, 0, 0, 0, NULL);
			fz_set_region(f, vm->fd, 0, 0, 0, FZ_RAM_SIZE, vm->ram);
			break;
		case 1:		/* a slot whose memory goes away while mapped */
			if (victim != MAP_FAILED) {
				fz_set_region(f, vm->fd, 5, 0, 0x200000,
					      64 * FZ_PAGE, victim);
				munmap(victim, 64 * FZ_PAGE);
				victim = MAP_FAILED;
			}
			break;
		case 2:
			op_slot(f);
			break;
		case 3:
			op_vcpu(f);
			break;
		case 4:		/* close a running vCPU's fd (the dup holds it) */
			op_close(f);
			break;
		default:
			if (fuzz_one_in(&f->r, 3) && vm->fd >= 0)
				fz_vm_close(f, vm);
			break;
		}
		if (!vm->used || vm->fd < 0)
			break;
	}
	for (i = 0; i < n; i++)
		rc[i].stop = 1;
	for (i = 0; i < n; i++) {
		pthread_join(rc[i].tid, NULL);
		if (rc[i].bad) {
			ksft_print_msg("seed %llu: KVM_EXIT_IO data outside kvm_run (thread)\n",
				       f->seed);
			f->bad++;
		}
	}
	if (victim != MAP_FAILED)
		munmap(victim, 64 * FZ_PAGE);
}

/* A child process may not use its parent's VM (-EIO, KVM's rule). */
static void op_fork(struct fuzz *f)
{
	struct fz_vcpu *v;
	struct fz_vm *vm = fz_pick_vm(f);
	pid_t pid;

	if (!vm)
		return;
	v = &vm->vcpus[fuzz_below(&f->r, FZ_MAX_VCPUS)];
	f->st.forks++;
	pid = fork();
	if (pid == 0) {
		ioctl(vm->fd, KVM_CREATE_VCPU, 7);
		fz_set_region(f, vm->fd, 9, 0, 0x400000, FZ_PAGE, vm->ram);
		if (v->fd >= 0) {
			ioctl(v->fd, KVM_RUN, 0);
			ioctl(v->fd, KVM_GET_REGS, f->mem.buf);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	f->st.calls += 4;
}

/* --- one seed ----------------------------------------------------------- */

static void fz_close_all(struct fuzz *f)
{
	int i, j;

	for (i = 0; i < FZ_MAX_VMS; i++) {
		struct fz_vm *vm = &f->vms[i];

		if (!vm->used)
			continue;
		for (j = 0; j < FZ_MAX_VCPUS; j++)
			if (vm->vcpus[j].fd >= 0)
				fz_vcpu_close(f, &vm->vcpus[j]);
		fz_vm_close(f, vm);
	}
}

/* lamina.ko: every VM, vCPU and pinned page gone, no reference left. */
static int fz_module_idle(struct fuzz *f)
{
	static const char *const files[] = {
		"parameters/live_vms", "parameters/live_vcpus",
		"parameters/live_pinned_pages", "refcnt",
	};
	char path[128], val[32];
	unsigned int i;
	int ok = 1;
	FILE *fp;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/lamina/%s", files[i]);
		fp = fopen(path, "r");
		if (!fp)
			continue;	/* not loaded as a module: nothing to read */
		if (fgets(val, sizeof(val), fp) && atol(val) != 0) {
			ksft_print_msg("seed %llu: %s = %ld after closing everything\n",
				       f->seed, files[i], atol(val));
			ok = 0;
		}
		fclose(fp);
	}
	return ok;
}

enum fz_op {
	OP_CREATE_VM, OP_CREATE_VCPU, OP_CLOSE, OP_SLOT, OP_DEV, OP_VM,
	OP_VCPU, OP_UNKNOWN, OP_MMAP, OP_RUN, OP_RACE, OP_FORK, OP_COUNT
};

static unsigned long long fz_total_calls(struct fuzz *f);

static const char *const fz_op_name[OP_COUNT] = {
	"create-vm", "create-vcpu", "close", "slot", "dev", "vm", "vcpu",
	"unknown", "mmap", "run", "race", "fork",
};

/* Relative weights: the calls that reach the most code run most. */
static const unsigned int fz_weight[OP_COUNT] = {
	[OP_CREATE_VM] = 4, [OP_CREATE_VCPU] = 8, [OP_CLOSE] = 3,
	[OP_SLOT] = 14, [OP_DEV] = 6, [OP_VM] = 8, [OP_VCPU] = 24,
	[OP_UNKNOWN] = 6, [OP_MMAP] = 3, [OP_RUN] = 14, [OP_RACE] = 1,
	[OP_FORK] = 1,
};

static void fz_step(struct fuzz *f)
{
	unsigned int i, total = 0, x;

	for (i = 0; i < OP_COUNT; i++)
		total += fz_weight[i];
	x = fuzz_below(&f->r, total);
	for (i = 0; x >= fz_weight[i]; i++)
		x -= fz_weight[i];
	if (f->skip & 1U << i)
		return;
	if (f->trace)
		ksft_print_msg("op %s at call %llu\n", fz_op_name[i],
			       fz_total_calls(f));
	switch (i) {
	case OP_CREATE_VM: op_create_vm(f); break;
	case OP_CREATE_VCPU: op_create_vcpu(f); break;
	case OP_CLOSE: op_close(f); break;
	case OP_SLOT: op_slot(f); break;
	case OP_DEV: op_dev(f); break;
	case OP_VM: op_vm(f); break;
	case OP_VCPU: op_vcpu(f); break;
	case OP_UNKNOWN: op_unknown(f); break;
	case OP_MMAP: op_mmap(f); break;
	case OP_RUN: op_run(f); break;
	case OP_RACE: op_race(f); break;
	default: op_fork(f); break;
	}
}

static double fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long fz_total_calls(struct fuzz *f)
{
	return f->st.calls + fz_thread_stats.calls;
}

/* One seed: @per_seed calls at most, until @deadline. */
static void fz_one_seed(struct fuzz *f, unsigned long long per_seed,
			double deadline)
{
	unsigned long long start = fz_total_calls(f);

	fuzz_rng_seed(&f->r, f->seed);
	/* The calls before it, for a campaign whose machine dies in it. */
	ksft_print_msg("seed %llu (calls so far %llu)\n", f->seed, start);
	while (fz_total_calls(f) - start < per_seed && fz_now() < deadline)
		fz_step(f);
	fz_close_all(f);
	/* The device fd too: then nothing may hold the module. */
	close(f->sys_fd);
	if (f->is_lamina && !fz_module_idle(f))
		f->bad++;
	f->sys_fd = open(f->dev, O_RDWR | O_CLOEXEC);
	if (f->sys_fd < 0) {
		ksft_print_msg("seed %llu: reopening %s: %s\n", f->seed, f->dev,
			       strerror(errno));
		f->bad++;
	}
	f->bad += fuzz_kmsg_drain(f->kmsg_fd, f->seed);
}

/* --- setup -------------------------------------------------------------- */

static unsigned char *fz_map(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		ksft_print_msg("mmap %zu: %s\n", len, strerror(errno));
		exit(KSFT_FAIL);
	}
	return p;
}

static void fz_mem_init(struct fz_mem *m)
{
	int mfd;

	m->buf = fz_map(FZ_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	m->buf2 = fz_map(FZ_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	m->guard = fz_map(2 * FZ_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	mprotect(m->guard + FZ_PAGE, FZ_PAGE, PROT_NONE);
	m->ro = fz_map(16 * FZ_PAGE, PROT_READ, MAP_PRIVATE);
	m->none = fz_map(16 * FZ_PAGE, PROT_NONE, MAP_PRIVATE);
	m->hole = fz_map(16 * FZ_PAGE, PROT_NONE, MAP_PRIVATE);
	munmap(m->hole, 16 * FZ_PAGE);
	m->huge = fz_map(FZ_HUGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
	mprotect(m->huge, 1UL << 20, PROT_READ | PROT_WRITE);
	m->memfd_map = m->ro;
	mfd = memfd_create("fuzz-ioctl", MFD_CLOEXEC);
	if (mfd >= 0 && ftruncate(mfd, 64 * FZ_PAGE) == 0) {
		void *p = mmap(NULL, 64 * FZ_PAGE, PROT_READ | PROT_WRITE,
			       MAP_SHARED, mfd, 0);

		if (p != MAP_FAILED)
			m->memfd_map = p;
	}
	if (mfd >= 0)
		close(mfd);
}

/* The supported CPUID table and MSR list, for well-formed SET calls. */
static void fz_learn(struct fuzz *f)
{
	struct kvm_msr_list *l;

	f->supported = calloc(1, sizeof(*f->supported) +
			      256 * sizeof(f->supported->entries[0]));
	l = calloc(1, sizeof(*l) + 1024 * sizeof(__u32));
	if (!f->supported || !l)
		exit(KSFT_FAIL);
	f->supported->nent = 256;
	if (ioctl(f->sys_fd, KVM_GET_SUPPORTED_CPUID, f->supported))
		f->supported->nent = 0;
	l->nmsrs = 1024;
	if (ioctl(f->sys_fd, KVM_GET_MSR_INDEX_LIST, l) == 0) {
		f->nmsr_index = l->nmsrs < 128 ? l->nmsrs : 128;
		memcpy(f->msr_index, l->indices, f->nmsr_index * 4);
	}
	free(l);
}

/* LAMINA_FUZZ_SKIP=run,race: leave operations out (by fz_op_name). */
static unsigned int fz_skip_mask(const char *list)
{
	unsigned int i, mask = 0;
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		for (i = 0; i < OP_COUNT; i++)
			if (!strcmp(tok, fz_op_name[i]))
				mask |= 1U << i;
	return mask;
}

static unsigned long long fz_env(const char *name, unsigned long long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

static void fz_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--seed N] [--seeds N] [--calls N] "
		"[--seconds N] [--per-seed N] [--safe|--unsafe] [--trace] DEVICE\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long long seeds, calls, per_seed, seconds, done = 0;
	struct sigaction sa;
	struct fuzz f;
	double t0, deadline;
	char name[64];
	int i, safe = -1;

	memset(&f, 0, sizeof(f));
	/* Environment first (the rig's runner passes only the device). */
	f.seed = fz_env("LAMINA_FUZZ_SEED", (unsigned long long)time(NULL));
	seeds = fz_env("LAMINA_FUZZ_SEEDS", ~0ULL);
	calls = fz_env("LAMINA_FUZZ_CALLS", ~0ULL);
	seconds = fz_env("LAMINA_FUZZ_SECONDS", 0);
	per_seed = fz_env("LAMINA_FUZZ_PER_SEED", 5000);
	f.skip = fz_skip_mask(getenv("LAMINA_FUZZ_SKIP"));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace")) {
			f.trace = 1;	/* one line per operation, for a replay */
			continue;
		}
		if (!strcmp(argv[i], "--safe") || !strcmp(argv[i], "--unsafe")) {
			safe = !strcmp(argv[i], "--safe");
			continue;
		}
		if (argv[i][0] != '-' || i + 1 >= argc) {
			if (argv[i][0] == '-' || f.dev)
				fz_usage(argv[0]);
			f.dev = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--seed"))
			f.seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seeds"))
			seeds = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--calls"))
			calls = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seconds"))
			seconds = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--per-seed"))
			per_seed = strtoull(argv[++i], NULL, 0);
		else
			fz_usage(argv[0]);
	}
	if (!f.dev)
		fz_usage(argv[0]);
	if (!seconds && calls == ~0ULL && seeds == ~0ULL)
		seconds = 60;
	f.name = test_dev_name(f.dev);
	f.is_lamina = strstr(f.dev, "lamina") != NULL;
	f.safe = safe >= 0 ? safe : test_cpu_is_qemu_tcg();

	ksft_print_header();
	f.sys_fd = open(f.dev, O_RDWR | O_CLOEXEC);
	if (f.sys_fd < 0)
		ksft_exit_skip("no device");
	ksft_set_plan(1);
	f.kmsg_fd = fuzz_kmsg_open();
	if (f.kmsg_fd < 0) {
		ksft_print_msg("/dev/kmsg: %s\n", strerror(errno));
		ksft_test_result(0, "fuzz-ioctl");
		ksft_finished();
	}
	f.mmap_size = ioctl(f.sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (f.mmap_size < (long)FZ_PAGE)
		f.mmap_size = FZ_PAGE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fz_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	if (fz_timer_create(&f.timer)) {
		ksft_print_msg("timer_create: %s\n", strerror(errno));
		exit(KSFT_FAIL);
	}
	fz_mem_init(&f.mem);
	if (getenv("LAMINA_FUZZ_RECORDER") && *getenv("LAMINA_FUZZ_RECORDER"))
		fz_recorder_init();
	fz_learn(&f);

	ksft_print_msg("fuzz-ioctl on %s: first seed %llu, %s mode%s, %llu calls per seed\n",
		       f.dev, f.seed, f.safe ? "safe" : "unsafe",
		       f.safe ? " (no DR7, no CPL3/v86: QEMU TCG crashers)" : "",
		       per_seed);
	if (f.skip)
		ksft_print_msg("left out: %s\n", getenv("LAMINA_FUZZ_SKIP"));
	t0 = fz_now();
	deadline = seconds ? t0 + seconds : 1e300;
	while (done < seeds && fz_total_calls(&f) < calls && fz_now() < deadline &&
	       f.sys_fd >= 0) {
		fz_one_seed(&f, per_seed < calls - fz_total_calls(&f) ?
			    per_seed : calls - fz_total_calls(&f), deadline);
		f.seed++;
		done++;
	}
	f.bad += fuzz_kmsg_drain(f.kmsg_fd, f.seed - 1);

	f.st.calls += fz_thread_stats.calls;
	f.st.runs += fz_thread_stats.runs;
	f.st.ok += fz_thread_stats.ok;
	f.st.err += fz_thread_stats.err;
	for (i = 0; i < 64; i++)
		f.st.exits[i] += fz_thread_stats.exits[i];
	ksft_print_msg("calls executed: %llu in %.1f s (%llu seeds; ioctls ok %llu, failed %llu; %llu KVM_RUN; %llu racing threads, %llu forks)\n",
		       f.st.calls, fz_now() - t0, done, f.st.ok, f.st.err,
		       f.st.runs, f.st.threads, f.st.forks);
	/* Exit reasons by number (<linux/kvm.h> KVM_EXIT_*). */
	printf("# exits:");
	for (i = 0; i < 64; i++)
		if (f.st.exits[i])
			printf(" %d:%llu", i, f.st.exits[i]);
	printf("\n");
	if (f.sys_fd >= 0)
		close(f.sys_fd);
	snprintf(name, sizeof(name), "fuzz-ioctl/%s", f.name);
	ksft_test_result(!f.bad && f.st.calls > 0, name);
	ksft_finished();
	return 0;
}
