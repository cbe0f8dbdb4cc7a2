// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_migrate DEVICE: vCPUs that move between host CPUs while they run,
 * and a host CPU that goes offline and comes back under them.
 *
 * NVMS VMs of two vCPUs each (in-kernel LAPICs: KVM's split irqchip),
 * every vCPU in a thread of its own. The threads of VM 0 are moved to
 * another host CPU every few ms by a host thread (sched_setaffinity),
 * VM 1's are pinned one per CPU, VM 2's are left to the scheduler; CPU
 * N-1 goes offline and online HOTPLUG_CYCLES times meanwhile. What moves
 * with a vCPU: VMX its VMCS (VMCLEAR on the old CPU, VMPTRLD on the new:
 * SDM vol. 3C, 25.11.1), SVM a TLB flush of its ASID (APM vol. 2, 15.16);
 * its LAPIC timer fires on one CPU and wakes or kicks the vCPU on
 * another; an IPI from the other vCPU kicks it wherever it is.
 *
 * Each guest (32-bit protected mode, both vCPUs run the same code, EDI =
 * 4 * APIC ID) runs a periodic LAPIC timer, waits for the other vCPU's
 * LAPIC to be enabled, and runs ROUNDS rounds of: OUT the
 * round number (the host checks the sequence), check a register it
 * keeps (EBX = 3 * round) across the exit; every PING_EVERY rounds it
 * sends a fixed IPI to the other vCPU and sleeps (STI;HLT) until the
 * other's IPI came. Then it waits for MIN_TICKS timer interrupts and for
 * the host's go (after the hotplug cycles), stops the timer and OUTs its
 * tick count. Handlers count the interrupts taken with the interrupted
 * RFLAGS.IF = 0 (BADIF): none may be; the interrupted EIP of the last
 * one is kept, to say where it hit. Any exception ends the guest.
 *
 * Test points: every vCPU's rounds in order (rounds), its timer ticks
 * and no BADIF (timer), every IPI taken once (ipi), the moved threads
 * ran on more than one CPU (moved), the CPU went offline and online
 * while the VMs ran (cpu-hotplug). With one CPU online the last two are
 * SKIPs (the rig counts a SKIP as a failure). The guest kernel's dmesg
 * is checked for WARNs by the rig (scripts/guest/init, dmesg-clean).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define NVMS 3
#define NVCPUS 2		/* per VM: the guest code knows two */
#define ROUNDS 1024U
#define PING_SHIFT 4
#define PING_EVERY (1U << PING_SHIFT)	/* rounds between IPIs */
#define MIN_TICKS 10U
#define TIMER_PERIOD 2000000	/* LAPIC counts, divide by 1: 2 ms */
#define HOTPLUG_CYCLES 3
#define FLIP_MS 3		/* VM 0's threads move this often */
#define WAIT_S 240		/* the whole run, at most */

/* Guest memory: one slot at 0. */
#define MEM_SIZE 0x20000UL
#define CODE_ADDR 0x1000	/* vCPU 0's start */
/* TEST_MODE_TABLES_START .. _END (0x2000 .. 0xa000): GDT */
#define IDT_ADDR 0xb000
#define TICKS_ADDR 0xc000	/* u32 per vCPU: timer interrupts */
#define RECV_ADDR 0xc010	/* u32 per vCPU: IPIs taken */
#define BADIF_ADDR 0xc020	/* u32 per vCPU: interrupts with IF = 0 */
#define BADIF_EIP_ADDR 0xc040	/* u32 per vCPU: where the last one hit */
#define ROUNDS_ADDR 0xc030	/* host -> guest: rounds to run */
#define GO_ADDR 0xc034		/* host -> guest: may finish */
#define UP_ADDR 0xc038		/* vCPUs with their LAPIC enabled */
#define GDTR_ADDR 0xc100	/* for vCPU 1's LGDT/LIDT */
#define IDTR_ADDR 0xc110
#define BSP_STACK 0xe000
#define AP_STACK 0xf000
#define BLOB_ADDR 0x10000	/* handlers and the common work code */
#define AP_PAGE 0x18		/* SIPI vector: vCPU 1 starts at 0x18000 */
#define AP_BASE 0x18000

#define P_ROUND 0xe0
#define P_DONE 0xe1
#define P_FAULT 0xe2

#define TIMER_VEC 0x50
#define IPI_VEC 0x60
#define SPURIOUS_VEC 0xff

asm(".pushsection .rodata\n"
    ".set APIC, 0xfee00000\n"
    ".set APIC_EOI, APIC + 0xb0\n"
    ".set APIC_SVR, APIC + 0xf0\n"
    ".set APIC_ICR, APIC + 0x300\n"
    ".set APIC_ICR2, APIC + 0x310\n"
    ".set APIC_LVTT, APIC + 0x320\n"
    ".set APIC_TMICT, APIC + 0x380\n"
    ".set APIC_TDCR, APIC + 0x3e0\n"
    /* STI;HLT until @cond jumps to @out: an interrupt after the check
     * still ends the HLT (the STI shadow). */
    ".code32\n"
    "mig_blob_start:\n"
    /* Counting handlers: EDI = 4 * this vCPU's APIC ID, never changed. */
    "mig_timer_isr:\n"
    "	push %eax\n"
    "	testl $0x200, 12(%esp)\n"
    "	jnz 1f\n"
    "	incl " STR(BADIF_ADDR) "(%edi)\n"
    "	mov 4(%esp), %eax\n"
    "	mov %eax, " STR(BADIF_EIP_ADDR) "(%edi)\n"
    "1:	incl " STR(TICKS_ADDR) "(%edi)\n"
    "	movl $0, APIC_EOI\n"
    "	pop %eax\n"
    "	iret\n"
    "mig_ipi_isr:\n"
    "	push %eax\n"
    "	testl $0x200, 12(%esp)\n"
    "	jnz 1f\n"
    "	incl " STR(BADIF_ADDR) "(%edi)\n"
    "	mov 4(%esp), %eax\n"
    "	mov %eax, " STR(BADIF_EIP_ADDR) "(%edi)\n"
    "1:	incl " STR(RECV_ADDR) "(%edi)\n"
    "	movl $0, APIC_EOI\n"
    "	pop %eax\n"
    "	iret\n"
    /* The spurious vector takes no EOI (SDM vol. 3A, 10.9). */
    "mig_spurious_isr:\n"
    "	iret\n"
    /* Anything else: report the word on top of the stack and stop. */
    "mig_fault_isr:\n"
    "	mov (%esp), %eax\n"
    "	out %eax, $" STR(P_FAULT) "\n"
    "	cli\n"
    "2:	hlt\n"
    "	jmp 2b\n"

    /* Entered with IF = 0, the LAPIC enabled, EDI and ESP set. */
    "mig_work:\n"
    "	movl $0xb, APIC_TDCR\n"
    "	movl $(" STR(TIMER_VEC) " | 0x20000), APIC_LVTT\n"
    "	movl $" STR(TIMER_PERIOD) ", APIC_TMICT\n"
    /*
     * Both LAPICs software-enabled before the first ping: a disabled
     * LAPIC drops a fixed IPI (SDM vol. 3A, 10.4.7.2; KVM does too).
     */
    "	lock incl " STR(UP_ADDR) "\n"
    "0:	cmpl $" STR(NVCPUS) ", " STR(UP_ADDR) "\n"
    "	jae 1f\n"
    "	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp 0b\n"
    "1:	mov " STR(ROUNDS_ADDR) ", %esi\n"
    "	xor %ecx, %ecx\n"
    "	xor %ebx, %ebx\n"
    "	sti\n"
    "3:	mov %ecx, %eax\n"
    "	out %eax, $" STR(P_ROUND) "\n"
    "	lea (%ecx,%ecx,2), %eax\n"
    "	cmp %eax, %ebx\n"
    "	jne 9f\n"
    "	add $3, %ebx\n"
    "	inc %ecx\n"
    "	test $(" STR(PING_EVERY) " - 1), %ecx\n"
    "	jnz 4f\n"
    "	call mig_ping\n"
    "4:	cmp %esi, %ecx\n"
    "	jne 3b\n"
    /* Enough ticks and the host's go, then stop the timer and report. */
    "	cli\n"
    "5:	cmpl $" STR(MIN_TICKS) ", " STR(TICKS_ADDR) "(%edi)\n"
    "	jb 6f\n"
    "	cmpl $0, " STR(GO_ADDR) "\n"
    "	jne 7f\n"
    "6:	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp 5b\n"
    "7:	movl $0, APIC_TMICT\n"
    "	mov " STR(TICKS_ADDR) "(%edi), %eax\n"
    "	out %eax, $" STR(P_DONE) "\n"
    "8:	hlt\n"
    "	jmp 8b\n"
    "9:	mov $0xbad00000, %eax\n"
    "	or %ecx, %eax\n"
    "	out %eax, $" STR(P_FAULT) "\n"
    "	jmp 8b\n"

    /*
     * Ping k = ECX / PING_EVERY: wait until the other vCPU took our
     * ping k - 1 (two pings pending at once would be one IRR bit), send
     * ping k, sleep until its ping k came. EBP = the other's offset.
     */
    "mig_ping:\n"
    "	mov %ecx, %edx\n"
    "	shr $" STR(PING_SHIFT) ", %edx\n"
    "	lea -1(%edx), %eax\n"
    "	mov %edi, %ebp\n"
    "	xor $4, %ebp\n"
    "	cli\n"
    "1:	cmp %eax, " STR(RECV_ADDR) "(%ebp)\n"
    "	jae 2f\n"
    "	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp 1b\n"
    "2:	mov %ebp, %eax\n"
    "	shl $22, %eax\n"
    /* Through a register: no moffs form (A3) for an MMIO write. */
    "	push %ebx\n"
    "	mov $APIC_ICR2, %ebx\n"
    "	mov %eax, (%ebx)\n"
    "	pop %ebx\n"
    "	movl $" STR(IPI_VEC) ", APIC_ICR\n"
    "3:	cmp %edx, " STR(RECV_ADDR) "(%edi)\n"
    "	jae 4f\n"
    "	sti\n"
    "	hlt\n"
    "	cli\n"
    "	jmp 3b\n"
    "4:	sti\n"
    "	ret\n"
    "mig_blob_end:\n"

    /* vCPU 0: start vCPU 1 (INIT, SIPI), then work. */
    "mig_bsp_start:\n"
    "	movl $0x1ff, APIC_SVR\n"
    "	movl $(1 << 24), APIC_ICR2\n"
    "	movl $0x4500, APIC_ICR\n"
    "	movl $(0x4600 | " STR(AP_PAGE) "), APIC_ICR\n"
    "	xor %edi, %edi\n"
    "	mov $" STR(BSP_STACK) ", %esp\n"
    "	mov $(" STR(BLOB_ADDR) " + mig_work - mig_blob_start), %eax\n"
    "	jmp *%eax\n"
    "mig_bsp_end:\n"

    /* vCPU 1, from the SIPI: real mode at AP_BASE. */
    ".code16\n"
    "mig_ap_start:\n"
    "	lgdtl " STR(GDTR_ADDR) "\n"
    "	lidtl " STR(IDTR_ADDR) "\n"
    "	mov %cr0, %eax\n"
    "	or $1, %eax\n"
    "	mov %eax, %cr0\n"
    "	ljmpl $" STR(TEST_SEL_CODE32) ", $(" STR(AP_BASE) " + mig_ap_pm - mig_ap_start)\n"
    ".code32\n"
    "mig_ap_pm:\n"
    "	mov $" STR(TEST_SEL_DATA) ", %ax\n"
    "	mov %ax, %ds\n"
    "	mov %ax, %es\n"
    "	mov %ax, %fs\n"
    "	mov %ax, %gs\n"
    "	mov %ax, %ss\n"
    "	mov $" STR(AP_STACK) ", %esp\n"
    "	movl $0x1ff, APIC_SVR\n"
    "	mov $4, %edi\n"
    "	mov $(" STR(BLOB_ADDR) " + mig_work - mig_blob_start), %eax\n"
    "	jmp *%eax\n"
    "mig_ap_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char mig_blob_start[], mig_blob_end[];
extern const unsigned char mig_timer_isr[], mig_ipi_isr[];
extern const unsigned char mig_spurious_isr[], mig_fault_isr[];
extern const unsigned char mig_bsp_start[], mig_bsp_end[];
extern const unsigned char mig_ap_start[], mig_ap_end[];

enum placement { MOVED, PINNED, FREE };

struct mvcpu {
	int id;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	enum placement where;
	pthread_t thread;
	int started;
	/* Written by the vCPU's thread, read after it finished. */
	uint32_t next;		/* the round expected next */
	uint32_t ticks;		/* the guest's P_DONE */
	int done;
	unsigned long cpus_seen;	/* host CPUs KVM_RUN returned on */
	char why[128];
};

struct mvm {
	struct test_vm vm;	/* vm.vcpu_fd, vm.run: vCPU 0's */
	struct mvcpu v[NVCPUS];
};

static pthread_mutex_t fin_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fin_cond = PTHREAD_COND_INITIALIZER;
static int finished, started;
static volatile int flip_stop;
static long ncpus;		/* online at start */

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int pin(pthread_t t, long cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(t, sizeof(set), &set);
}

static void vcpu_fail(struct mvcpu *v, const char *fmt, unsigned int a,
		      unsigned int b)
{
	snprintf(v->why, sizeof(v->why), fmt, a, b);
}

/* One OUT of the guest: 1 to go on, 0 when the vCPU is done. */
static int vcpu_out(struct mvcpu *v)
{
	struct kvm_run *r = v->run;
	uint32_t val = 0;

	if (r->io.direction != KVM_EXIT_IO_OUT || r->io.count != 1 ||
	    r->io.size != 4) {
		vcpu_fail(v, "I/O exit port 0x%x size %u", r->io.port,
			  r->io.size);
		return 0;
	}
	memcpy(&val, (unsigned char *)r + r->io.data_offset, 4);
	switch (r->io.port) {
	case P_ROUND:
		if (val != v->next) {
			vcpu_fail(v, "round %u, want %u", val, v->next);
			return 0;
		}
		v->next++;
		return 1;
	case P_DONE:
		v->ticks = val;
		v->done = 1;
		return 0;
	case P_FAULT:
		vcpu_fail(v, "guest fault 0x%x after round %u", val, v->next);
		return 0;
	}
	vcpu_fail(v, "OUT to port 0x%x (0x%x)", r->io.port, val);
	return 0;
}

static void *vcpu_thread(void *arg)
{
	struct mvcpu *v = arg;
	int cpu;

	if (v->where == PINNED && ncpus > 1)
		pin(pthread_self(), v->id % ncpus);
	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0)) {
			/* KVM: a vCPU that took INIT/SIPI runs again. */
			if (errno == EAGAIN || errno == EINTR)
				continue;
			vcpu_fail(v, "KVM_RUN: errno %u (round %u)", errno,
				  v->next);
			break;
		}
		cpu = sched_getcpu();
		if (cpu >= 0 && cpu < (int)(8 * sizeof(v->cpus_seen)))
			v->cpus_seen |= 1UL << cpu;
		if (v->run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
			vcpu_fail(v, "internal error %u after round %u",
				  v->run->internal.suberror, v->next);
			break;
		}
		if (v->run->exit_reason != KVM_EXIT_IO) {
			vcpu_fail(v, "exit %u after round %u",
				  v->run->exit_reason, v->next);
			break;
		}
		if (!vcpu_out(v))
			break;
	}
	pthread_mutex_lock(&fin_lock);
	finished++;
	pthread_cond_broadcast(&fin_cond);
	pthread_mutex_unlock(&fin_lock);
	return NULL;
}

/* Every FLIP_MS, each thread of VM 0 to a CPU picked at random. */
static void *flip_thread(void *arg)
{
	struct mvm *vms = arg;
	unsigned int seed = 1, i;

	while (!flip_stop) {
		for (i = 0; i < NVCPUS; i++)
			if (vms[0].v[i].started)
				/* EINVAL for an offline CPU: next time. */
				pin(vms[0].v[i].thread, rand_r(&seed) % ncpus);
		sleep_ms(FLIP_MS);
	}
	return NULL;
}

static int fail(const char *what)
{
	ksft_print_msg("setup: %s: %s\n", what, strerror(errno));
	return -1;
}

/*
 * The device's CPUID table on @fd: KVM allows the periodic timer mode
 * only with a CPUID leaf 1.
 */
static int set_cpuid(int sys_fd, int fd)
{
	struct kvm_cpuid2 *c;
	int ret;

	c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	if (!c)
		return -1;
	c->nent = 256;
	ret = ioctl(sys_fd, KVM_GET_SUPPORTED_CPUID, c);
	if (ret)
		fail("KVM_GET_SUPPORTED_CPUID");
	else if ((ret = ioctl(fd, KVM_SET_CPUID2, c)))
		fail("KVM_SET_CPUID2");
	free(c);
	return ret;
}

static int vcpu_create(struct mvm *m, int id)
{
	struct mvcpu *v = &m->v[id];
	int size;

	v->fd = ioctl(m->vm.vm_fd, KVM_CREATE_VCPU, id);
	if (v->fd < 0)
		return fail("KVM_CREATE_VCPU");
	size = ioctl(m->vm.sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		return fail("mmap kvm_run");
	if (id == 0) {
		/* test_vm_set_mode() and test_vm_destroy() use these. */
		m->vm.vcpu_fd = v->fd;
		m->vm.run = v->run;
		m->vm.run_size = v->run_size;
	}
	return set_cpuid(m->vm.sys_fd, v->fd);
}

/* The IDT: counting handlers for the timer and the IPI, else a fault. */
static void idt_fill(unsigned char *mem)
{
	uint32_t *idt = (uint32_t *)(mem + IDT_ADDR);
	const unsigned char *h;
	unsigned int i;
	uint32_t off;

	for (i = 0; i < 256; i++) {
		h = i == TIMER_VEC ? mig_timer_isr : i == IPI_VEC ? mig_ipi_isr :
		    i == SPURIOUS_VEC ? mig_spurious_isr : mig_fault_isr;
		off = BLOB_ADDR + (uint32_t)(h - mig_blob_start);
		idt[2 * i] = (off & 0xffff) | (TEST_SEL_CODE32 << 16);
		idt[2 * i + 1] = (off & 0xffff0000U) | 0x8e00;
	}
}

static int vm_setup(struct mvm *m, const char *path, int index)
{
	struct kvm_userspace_memory_region region;
	struct kvm_enable_cap cap;
	struct kvm_sregs s;
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < NVCPUS; i++) {
		m->v[i].id = i;
		m->v[i].fd = -1;
		m->v[i].run = MAP_FAILED;
		m->v[i].where = index == 0 ? MOVED : index == 1 ? PINNED : FREE;
	}
	if (test_vm_open_dev(&m->vm, path)) {
		ksft_print_msg("setup: %s\n", m->vm.err);
		return -1;
	}
	m->vm.vm_fd = ioctl(m->vm.sys_fd, KVM_CREATE_VM, 0);
	if (m->vm.vm_fd < 0)
		return fail("KVM_CREATE_VM");
	m->vm.mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->vm.mem == MAP_FAILED)
		return fail("mmap");
	m->vm.mem_size = MEM_SIZE;
	memset(&region, 0, sizeof(region));
	region.memory_size = MEM_SIZE;
	region.userspace_addr = (unsigned long)m->vm.mem;
	if (ioctl(m->vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return fail("KVM_SET_USER_MEMORY_REGION");
	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_SPLIT_IRQCHIP;
	cap.args[0] = 24;
	if (ioctl(m->vm.vm_fd, KVM_ENABLE_CAP, &cap))
		return fail("KVM_ENABLE_CAP(SPLIT_IRQCHIP)");
	for (i = 0; i < NVCPUS; i++)
		if (vcpu_create(m, i))
			return -1;
	memcpy(m->vm.mem + BLOB_ADDR, mig_blob_start,
	       mig_blob_end - mig_blob_start);
	memcpy(m->vm.mem + CODE_ADDR, mig_bsp_start,
	       mig_bsp_end - mig_bsp_start);
	memcpy(m->vm.mem + AP_BASE, mig_ap_start, mig_ap_end - mig_ap_start);
	idt_fill(m->vm.mem);
	*(uint32_t *)(m->vm.mem + ROUNDS_ADDR) = ROUNDS;
	if (test_vm_set_mode(&m->vm, TEST_MODE_PROT, CODE_ADDR)) {
		ksft_print_msg("setup: %s\n", m->vm.err);
		return -1;
	}
	if (ioctl(m->vm.vcpu_fd, KVM_GET_SREGS, &s))
		return fail("KVM_GET_SREGS");
	s.idt.base = IDT_ADDR;
	s.idt.limit = 256 * 8 - 1;
	if (ioctl(m->vm.vcpu_fd, KVM_SET_SREGS, &s))
		return fail("KVM_SET_SREGS");
	/* vCPU 1's LGDT/LIDT operands: limit (16 bits), base (32 bits). */
	memcpy(m->vm.mem + GDTR_ADDR, &s.gdt.limit, 2);
	memcpy(m->vm.mem + GDTR_ADDR + 2, &s.gdt.base, 4);
	memcpy(m->vm.mem + IDTR_ADDR, &s.idt.limit, 2);
	memcpy(m->vm.mem + IDTR_ADDR + 2, &s.idt.base, 4);
	return 0;
}

static void vm_put(struct mvm *m)
{
	int i;

	for (i = 1; i < NVCPUS; i++) {
		if (m->v[i].run != MAP_FAILED)
			munmap(m->v[i].run, m->v[i].run_size);
		if (m->v[i].fd >= 0)
			close(m->v[i].fd);
	}
	test_vm_destroy(&m->vm);
}

static int cpu_online(long cpu, int on)
{
	char path[64];
	int fd, ok;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/online",
		 cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, on ? "1" : "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

static int all_finished(void)
{
	int n;

	pthread_mutex_lock(&fin_lock);
	n = finished;
	pthread_mutex_unlock(&fin_lock);
	return n == started;
}

/*
 * CPU ncpus - 1 offline and online again, HOTPLUG_CYCLES times, while
 * the guests run (they do not finish before GO). Cycles done, or -1.
 */
static int hotplug(void)
{
	long cpu = ncpus - 1;
	int i;

	for (i = 0; i < HOTPLUG_CYCLES; i++) {
		sleep_ms(100);
		if (all_finished())
			break;
		if (cpu_online(cpu, 0)) {
			ksft_print_msg("CPU %ld offline: %s\n", cpu,
				       strerror(errno));
			return -1;
		}
		sleep_ms(100);
		if (cpu_online(cpu, 1)) {
			ksft_print_msg("CPU %ld online: %s\n", cpu,
				       strerror(errno));
			return -1;
		}
	}
	return i;
}

/* Wait until every vCPU finished, at most WAIT_S seconds: 0 if so. */
static int wait_all(void)
{
	struct timespec ts;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_S;
	pthread_mutex_lock(&fin_lock);
	while (finished < started && ret == 0)
		ret = pthread_cond_timedwait(&fin_cond, &fin_lock, &ts);
	ret = finished < started;
	pthread_mutex_unlock(&fin_lock);
	return ret;
}

static uint32_t guest_u32(struct mvm *m, unsigned long addr, int id)
{
	return __atomic_load_n((uint32_t *)(m->vm.mem + addr + 4 * id),
			       __ATOMIC_SEQ_CST);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int rounds = 1, timer = 1, ipi = 1, moved = 0, cycles = -1;
	int setup = 1, stuck, i, j;
	static struct mvm vms[NVMS];
	pthread_t flipper;
	struct mvcpu *v;
	char name[96];

	ksft_print_header();
	if (test_vm_open_dev(&vms[0].vm, path) && errno == ENOENT)
		ksft_exit_skip(vms[0].vm.err);
	test_vm_destroy(&vms[0].vm);
	ksft_set_plan(5);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	ksft_print_msg("%ld CPU(s) online, %d VMs x %d vCPUs, %u rounds\n",
		       ncpus, NVMS, NVCPUS, ROUNDS);

	for (i = 0; i < NVMS && setup; i++)
		setup = vm_setup(&vms[i], path, i) == 0;
	for (i = 0; i < NVMS && setup; i++)
		for (j = 0; j < NVCPUS; j++) {
			v = &vms[i].v[j];
			v->started = pthread_create(&v->thread, NULL,
						    vcpu_thread, v) == 0;
			setup &= v->started;
			started += v->started;
		}
	if (setup && ncpus > 1) {
		pthread_create(&flipper, NULL, flip_thread, vms);
		cycles = hotplug();
	}
	/* Every VM that has memory may finish (a failed setup: at once). */
	for (i = 0; i < NVMS; i++)
		if (vms[i].vm.mem && vms[i].vm.mem != MAP_FAILED)
			__atomic_store_n((uint32_t *)(vms[i].vm.mem + GO_ADDR),
					 1, __ATOMIC_SEQ_CST);
	stuck = wait_all();
	if (setup && ncpus > 1) {
		flip_stop = 1;
		pthread_join(flipper, NULL);
	}

	for (i = 0; i < NVMS; i++)
		for (j = 0; j < NVCPUS; j++) {
			v = &vms[i].v[j];
			uint32_t ticks = guest_u32(&vms[i], TICKS_ADDR, j);
			uint32_t recv = guest_u32(&vms[i], RECV_ADDR, j);
			uint32_t badif = guest_u32(&vms[i], BADIF_ADDR, j);
			uint32_t badif_eip = guest_u32(&vms[i], BADIF_EIP_ADDR, j);

			ksft_print_msg("VM %d vCPU %d: %u/%u rounds%s, %u ticks (%u at done), %u IPIs, %u with IF=0, CPUs 0x%lx %s\n",
				       i, j, v->next, ROUNDS,
				       v->done ? ", done" : "", ticks,
				       v->ticks, recv, badif, v->cpus_seen,
				       v->why);
			if (badif)
				ksft_print_msg("VM %d vCPU %d: last interrupt with IF = 0 hit EIP 0x%x (handlers and work code from 0x%x)\n",
					       i, j, badif_eip, BLOB_ADDR);
			rounds &= v->done && v->next == ROUNDS;
			timer &= v->done && v->ticks >= MIN_TICKS && !badif;
			ipi &= recv == ROUNDS / PING_EVERY;
			if (i == 0 && __builtin_popcountl(v->cpus_seen) > 1)
				moved = 1;
		}
	rounds &= setup && !stuck;
	ksft_result_dev(rounds, "vcpu-migrate-rounds", dev);
	ksft_result_dev(timer && rounds, "vcpu-migrate-timer", dev);
	ksft_result_dev(ipi && rounds, "vcpu-migrate-ipi", dev);
	if (ncpus < 2) {
		snprintf(name, sizeof(name), "vcpu-migrate-moved/%s", dev);
		ksft_test_result_skip(name, "one CPU online");
		snprintf(name, sizeof(name), "vcpu-migrate-cpu-hotplug/%s", dev);
		ksft_test_result_skip(name, "one CPU online");
	} else {
		ksft_result_dev(moved && rounds, "vcpu-migrate-moved", dev);
		ksft_print_msg("CPU %ld offline/online cycles: %d of %d\n",
			       ncpus - 1, cycles, HOTPLUG_CYCLES);
		ksft_result_dev(cycles == HOTPLUG_CYCLES && rounds,
				"vcpu-migrate-cpu-hotplug", dev);
	}
	/* A vCPU still in KVM_RUN: leave its VM to exit(). */
	if (!stuck)
		for (i = 0; i < NVMS; i++) {
			for (j = 0; j < NVCPUS; j++)
				if (vms[i].v[j].started)
					pthread_join(vms[i].v[j].thread, NULL);
			vm_put(&vms[i]);
		}
	ksft_finished();
	return KSFT_FAIL;
}
