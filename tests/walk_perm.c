// SPDX-License-Identifier: GPL-2.0-only
/*
 * walk_perm DEVICE: the hypervisor's own accesses to guest-linear memory
 * obey the guest's page tables the way the CPU's do (SDM vol. 3A 4.6
 * "Access Rights", 4.7 "Page-Fault Exceptions").
 *
 * The guest runs 32-bit paging with user code (CPL 3, IOPL 3, so port
 * I/O is allowed) and pages of each kind: user read-write, user
 * read-only, supervisor, not present, and one mapping MMIO. REP INSB and
 * REP OUTSB are emulated by the hypervisor (string I/O always exits), so
 * it is the hypervisor that writes or reads the guest page; a real CPU
 * raises #PF instead of writing a read-only or supervisor page from CPL
 * 3. Each point checks what the guest's #PF handler sees (error code,
 * the faulting EIP, ECX), CR2, that the page is unchanged, and the
 * control cases (a user read-write page, MMIO through a user mapping)
 * that the access happens. kvm.ko gives the reference answer: both
 * devices must give the same.
 *  - guest-walk-perm-ins-user-ro: CPL 3 REP INSB into a read-only user
 *    page: #PF, error P|W|U (7)
 *  - guest-walk-perm-ins-user-super: into a supervisor page: #PF 7
 *  - guest-walk-perm-ins-user-absent: into a not-present page: #PF W|U (6)
 *  - guest-walk-perm-ins-user-cross: 4 bytes from 2 before the end of a
 *    user page into a not-present one: 2 bytes land, then #PF 6 with
 *    CR2 the next page, ECX 2 (the elements before the fault completed)
 *  - guest-walk-perm-outs-user-super: REP OUTSB from a supervisor page:
 *    #PF P|U (5), no byte reaches the port
 *  - guest-walk-perm-ins-kernel-wp: CPL 0, CR0.WP = 1, into a read-only
 *    page: #PF P|W (3); with CR0.WP = 0 the write is allowed
 *  - guest-walk-perm-ins-user-ok: into a user read-write page: written
 *  - guest-walk-perm-mmio-user-super: CPL 3 MOV from MMIO mapped
 *    supervisor-only: #PF 5 (the CPU's own walk), no MMIO exit
 *  - guest-walk-perm-mmio-user-ok: through a user mapping: the MMIO
 *    exit, and the instruction (fetched by the hypervisor from the user
 *    code page) completes
 * Not testable from one vCPU: the hypervisor's fetch of an MMIO
 * instruction from a page the guest made NX after the CPU ran it
 * (tests/unit/walk_test.c covers the walk's answer).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/desc.h"
#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE_ADDR 0x10000UL	/* user code */
#define HANDLER_ADDR 0x11000UL	/* #PF handler, at the test's CPL */
#define PAGE_RO 0x20000UL	/* user, read-only */
#define PAGE_SUPER 0x21000UL	/* supervisor, read-write */
#define PAGE_RW 0x22000UL	/* user, read-write */
#define PAGE_ABSENT 0x23000UL	/* not present, right after PAGE_RW */
#define LA_MMIO_SUPER 0x24000UL	/* -> MMIO_GPA, supervisor */
#define LA_MMIO_USER 0x25000UL	/* -> MMIO_GPA, user */
#define MMIO_GPA 0x80000000UL
#define USER_STACK_PAGE 0x2f000UL
#define USER_STACK_TOP 0x30000UL
#define KERNEL_STACK_TOP 0x38000UL
#define PORT_IO 0xe0		/* the port INS reads, OUTS writes */
#define PORT_ERR 0xe1
#define PORT_DONE 0xe2
#define PORT_EIP 0xe3
#define PORT_ECX 0xe4
#define PORT_NOFAULT 0xe5
#define COUNT 4U
#define FILL 0x55
#define IN_BYTE 0xaa
#define MMIO_BYTE 0x5a
#define RFLAGS_IOPL3 0x3000UL
#define CR0_WP (1ULL << 16)
#define PTE_P 0x1U
#define PTE_RW 0x2U
#define PTE_US 0x4U
#define PF_P 1U
#define PF_W 2U
#define PF_U 4U
#define MAX_EXITS 64U
#define STR_(x) #x
#define STR(x) STR_(x)

asm(".pushsection .rodata\n"
    ".code32\n"
    /* EDI/ESI, ECX, DX set by the host. */
    "ins_start:\n"
    "	rep insb\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "1:	jmp 1b\n"
    "ins_end:\n"
    "outs_start:\n"
    "	rep outsb\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "1:	jmp 1b\n"
    "outs_end:\n"
    "mov_start:\n"
    "	movb (%edi), %al\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "1:	jmp 1b\n"
    "mov_end:\n"
    /*
     * #PF handler, at the CPL of the code it interrupts (no stack
     * switch: QEMU's TCG aborts on a TSS of KVM's busy type): error code,
     * EIP, ECX, then done (the host reads CR2 with KVM_GET_SREGS).
     */
    "pf_handler:\n"
    "	mov %ecx, %ebx\n"
    "	pop %eax\n"
    "	out %eax, $" STR(PORT_ERR) "\n"
    "	mov (%esp), %eax\n"
    "	out %eax, $" STR(PORT_EIP) "\n"
    "	mov %ebx, %eax\n"
    "	out %eax, $" STR(PORT_ECX) "\n"
    "	out %al, $" STR(PORT_DONE) "\n"
    "1:	jmp 1b\n"
    "pf_handler_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char ins_start[], ins_end[];
extern const unsigned char outs_start[], outs_end[];
extern const unsigned char mov_start[], mov_end[];
extern const unsigned char pf_handler[], pf_handler_end[];

enum kind { K_INS, K_OUTS, K_MOV };

struct wcase {
	const char *name;
	enum kind kind;
	int user;		/* CPL 3, else CPL 0 */
	int wp;			/* CR0.WP */
	unsigned long la;	/* where the access starts */
	int fault;		/* a #PF is expected */
	uint32_t err, cr2, ecx;	/* its error code, CR2, ECX */
	unsigned int moved;	/* bytes that must land / reach the port */
};

static const struct wcase cases[] = {
	{ "ins-user-ro", K_INS, 1, 0, PAGE_RO, 1, PF_P | PF_W | PF_U,
	  PAGE_RO, COUNT, 0 },
	{ "ins-user-super", K_INS, 1, 0, PAGE_SUPER, 1, PF_P | PF_W | PF_U,
	  PAGE_SUPER, COUNT, 0 },
	{ "ins-user-absent", K_INS, 1, 0, PAGE_ABSENT, 1, PF_W | PF_U,
	  PAGE_ABSENT, COUNT, 0 },
	{ "ins-user-cross", K_INS, 1, 0, PAGE_ABSENT - 2, 1, PF_W | PF_U,
	  PAGE_ABSENT, 2, 2 },
	{ "outs-user-super", K_OUTS, 1, 0, PAGE_SUPER, 1, PF_P | PF_U,
	  PAGE_SUPER, COUNT, 0 },
	{ "ins-kernel-wp", K_INS, 0, 1, PAGE_RO, 1, PF_P | PF_W, PAGE_RO,
	  COUNT, 0 },
	{ "ins-kernel-nowp", K_INS, 0, 0, PAGE_RO, 0, 0, 0, 0, COUNT },
	{ "ins-user-ok", K_INS, 1, 0, PAGE_RW, 0, 0, 0, 0, COUNT },
	{ "mmio-user-super", K_MOV, 1, 0, LA_MMIO_SUPER, 1, PF_P | PF_U,
	  LA_MMIO_SUPER, COUNT, 0 },
	{ "mmio-user-ok", K_MOV, 1, 0, LA_MMIO_USER, 0, 0, 0, 0, 1 },
};

/* Our pages in the mode's 32-bit page table: PDE 0 -> one table. */
static void map_pages(struct test_vm *vm, uint32_t cr3)
{
	uint32_t *pd = (uint32_t *)(vm->mem + cr3);
	uint32_t *pt = (uint32_t *)(vm->mem + (pd[0] & ~0xfffU));

	pd[0] |= PTE_US;
	pt[CODE_ADDR >> 12] |= PTE_US;
	pt[HANDLER_ADDR >> 12] |= PTE_US;
	pt[USER_STACK_PAGE >> 12] |= PTE_US;
	pt[PAGE_RW >> 12] |= PTE_US;
	pt[PAGE_RO >> 12] = PAGE_RO | PTE_P | PTE_US;
	pt[PAGE_SUPER >> 12] = PAGE_SUPER | PTE_P | PTE_RW;
	pt[PAGE_ABSENT >> 12] = PAGE_ABSENT | PTE_RW | PTE_US;
	pt[LA_MMIO_SUPER >> 12] = MMIO_GPA | PTE_P | PTE_RW;
	pt[LA_MMIO_USER >> 12] = MMIO_GPA | PTE_P | PTE_RW | PTE_US;
}

static int setup(struct test_vm *vm, const char *path, const struct wcase *c)
{
	const unsigned char *code = c->kind == K_INS ? ins_start :
				    c->kind == K_OUTS ? outs_start : mov_start;
	const unsigned char *end = c->kind == K_INS ? ins_end :
				   c->kind == K_OUTS ? outs_end : mov_end;
	struct kvm_sregs s;
	struct kvm_regs r;

	if (test_vm_open_dev(vm, path) || test_vm_create(vm, MEM_SIZE) ||
	    test_vm_set_mode(vm, TEST_MODE_PG32, CODE_ADDR) ||
	    test_desc_setup(vm, TEST_MODE_PROT))
		return -1;
	memcpy(vm->mem + CODE_ADDR, code, end - code);
	memcpy(vm->mem + HANDLER_ADDR, pf_handler,
	       pf_handler_end - pf_handler);
	memset(vm->mem + PAGE_RO, FILL, PAGE_ABSENT + 0x1000 - PAGE_RO);
	test_desc_gate(vm, TEST_MODE_PROT, 14,
		       c->user ? TEST_SEL_USER_CODE32 : TEST_SEL_CODE32,
		       HANDLER_ADDR, 0);
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	map_pages(vm, s.cr3);
	if (c->wp) {
		s.cr0 |= CR0_WP;
		if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
			return -1;
	}
	if (c->user &&
	    test_desc_user32(vm, 0x2 | RFLAGS_IOPL3, USER_STACK_TOP))
		return -1;
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return -1;
	if (!c->user)
		r.rsp = KERNEL_STACK_TOP;
	r.rflags = 0x2 | RFLAGS_IOPL3;
	r.rdi = c->la;
	r.rsi = c->la;
	r.rcx = COUNT;
	r.rdx = PORT_IO;
	return ioctl(vm->vcpu_fd, KVM_SET_REGS, &r);
}

/*
 * Run until an OUT to one of the report ports or HLT, answering INS
 * with IN_BYTE, counting OUTS bytes and answering MMIO reads.
 */
static int run_step(struct test_vm *vm, unsigned int *port, uint32_t *val,
		    unsigned int *io_bytes, unsigned int *mmio)
{
	struct kvm_run *run = vm->run;
	unsigned int n;
	char *data;

	for (n = 0; n < MAX_EXITS; n++) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			ksft_print_msg("KVM_RUN: %s\n", strerror(errno));
			return -1;
		}
		if (run->exit_reason == KVM_EXIT_HLT) {
			*port = 0;
			return 0;
		}
		if (run->exit_reason == KVM_EXIT_MMIO) {
			if (run->mmio.phys_addr != MMIO_GPA ||
			    run->mmio.is_write) {
				ksft_print_msg("unexpected MMIO at 0x%llx\n",
					       run->mmio.phys_addr);
				return -1;
			}
			memset(run->mmio.data, MMIO_BYTE, run->mmio.len);
			(*mmio)++;
			continue;
		}
		if (run->exit_reason != KVM_EXIT_IO) {
			ksft_print_msg("exit %u\n", run->exit_reason);
			if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
				ksft_print_msg("internal error %u\n",
					       run->internal.suberror);
			return -1;
		}
		data = (char *)run + run->io.data_offset;
		if (run->io.port == PORT_IO) {
			if (run->io.direction == KVM_EXIT_IO_IN)
				memset(data, IN_BYTE,
				       run->io.size * run->io.count);
			*io_bytes += run->io.size * run->io.count;
			continue;
		}
		*port = run->io.port;
		*val = 0;
		memcpy(val, data, run->io.size);
		return 0;
	}
	ksft_print_msg("more than %u exits\n", MAX_EXITS);
	return -1;
}

/* Bytes of [la, la + COUNT) holding IN_BYTE (the rest must be FILL). */
static int landed(const struct test_vm *vm, unsigned long la,
		  unsigned int *n)
{
	unsigned int i;

	*n = 0;
	for (i = 0; i < COUNT; i++) {
		unsigned char b = vm->mem[la + i];

		if (la + i >= PAGE_ABSENT + 0x1000)
			return -1;
		if (b == IN_BYTE)
			(*n)++;
		else if (b != FILL)
			return -1;
	}
	return 0;
}

static int walk_case(const char *path, const struct wcase *c)
{
	uint32_t val, err = 0, cr2 = 0, eip = 0, ecx = 0;
	unsigned int port = 0, io = 0, mmio = 0, got = 0, ports = 0;
	unsigned long la = c->kind == K_MOV ? 0 : c->la;
	struct kvm_sregs s;
	struct test_vm vm;
	int ok = 0, nofault = 0;

	if (setup(&vm, path, c)) {
		ksft_print_msg("%s: setup: %s (%s)\n", c->name, vm.err,
			       strerror(errno));
		goto out;
	}
	while (!run_step(&vm, &port, &val, &io, &mmio) && port && ports < 8) {
		ports++;
		if (port == PORT_ERR)
			err = val;
		else if (port == PORT_EIP)
			eip = val;
		else if (port == PORT_ECX)
			ecx = val;
		else if (port == PORT_NOFAULT)
			nofault = 1;
		if (nofault || port == PORT_DONE)
			break;
	}
	if (port == PORT_DONE && !ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s))
		cr2 = s.cr2;
	if (la && landed(&vm, la, &got)) {
		ksft_print_msg("%s: guest memory at 0x%lx changed beyond the INS\n",
			       c->name, la);
		goto out;
	}
	if (c->kind == K_OUTS)
		got = io;
	if (c->kind == K_MOV)
		got = mmio;
	ksft_print_msg("%s: %s, error 0x%x, CR2 0x%x, EIP 0x%x, ECX %u, %u bytes moved\n",
		       c->name, nofault ? "no fault" :
		       port == PORT_DONE ? "#PF" : "no report",
		       err, cr2, eip, ecx, got);
	if (!c->fault) {
		ok = nofault && got == c->moved;
		goto out;
	}
	/* The faulting instruction is the first one of the user code. */
	ok = !nofault && ports == 4 && port == PORT_DONE && err == c->err &&
	     cr2 == c->cr2 && eip == CODE_ADDR && got == c->moved &&
	     (c->kind == K_MOV || ecx == c->ecx);
out:
	test_vm_destroy(&vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	char name[64];
	struct test_vm vm;
	unsigned int i;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	ksft_set_plan(sizeof(cases) / sizeof(cases[0]));
	alarm(120);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "guest-walk-perm-%s", cases[i].name);
		ksft_result_dev(walk_case(path, &cases[i]), name, dev);
	}
	ksft_finished();
	return KSFT_FAIL;
}
