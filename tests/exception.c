// SPDX-License-Identifier: GPL-2.0-only
/*
 * exception DEVICE: exceptions a hypervisor intercepts (#DB and #AC, so
 * that a guest cannot hang the host with them: tests/hostile_guest.c)
 * still reach the guest's own handler as the CPU delivers them.
 *  - exception-db-singlestep: RFLAGS.TF set by POPF traps after the next
 *    instruction; the #DB handler sees DR6.BS (and B0-B3 clear) and the
 *    address after that instruction;
 *  - exception-db-icebp: INT1 (ICEBP, F1) reaches the #DB handler with the
 *    address after it (VMX intercepts it with #DB; SVM does not, APM
 *    vol. 2 15.12);
 *  - exception-ac: at CPL3 with CR0.AM and RFLAGS.AC, a misaligned load
 *    reaches the #AC handler with error code 0 and the address of the
 *    load (SDM vol. 3A 6.15 "Interrupt 17").
 * The guest reports through OUT; the handlers end in HLT (CPL0) or a
 * loop (CPL3, where the test stops running it).
 *
 * Where the CPU cannot raise the fault, a point could neither fail nor
 * pass, and a SKIP in the rig is a failure: such a point is not planned,
 * with a diagnostic line saying why (lib/cpu_probe.h). exception-ac runs
 * only where the CPU raises #AC (asked: not QEMU's TCG, the SVM rig
 * machine); exception-db-icebp not on QEMU's TCG, which runs INT1 as its
 * own debugger trap (the nested guest shuts down, on kvm.ko too).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/cpu_probe.h"
#include "lib/desc.h"
#include "lib/guest.h"
#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE_ADDR 0x10000UL
#define HANDLER_ADDR 0x11000UL
#define DATA_ADDR 0x20000UL
#define STACK_TOP 0x30000UL
#define PORT_DR6 0xe0
#define PORT_EIP 0xe1
#define PORT_ERR 0xe2
#define PORT_NOFAULT 0xe3
#define CR0_AM (1ULL << 18)
#define RFLAGS_IOPL3 0x3000UL
#define RFLAGS_AC (1UL << 18)
#define DR6_BS 0x4000U
#define STR_(x) #x
#define STR(x) STR_(x)

asm(".pushsection .rodata\n"
    ".code32\n"
    /* POPF sets TF: the trap comes after the NOP (SDM vol. 3B 17.3.1.4). */
    "ss_start:\n"
    "	pushf\n"
    "	orl $0x100, (%esp)\n"
    "	popf\n"
    "	nop\n"
    "ss_after:\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "	hlt\n"
    "ss_end:\n"
    "icebp_start:\n"
    "	.byte 0xf1\n"
    "icebp_after:\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "	hlt\n"
    "icebp_end:\n"
    /* CPL0 #DB handler: DR6, then the return address. */
    "db_handler:\n"
    "	mov %dr6, %eax\n"
    "	out %eax, $" STR(PORT_DR6) "\n"
    "	mov (%esp), %eax\n"
    "	out %eax, $" STR(PORT_EIP) "\n"
    "	hlt\n"
    "db_handler_end:\n"
    /* CPL3: a 4-byte load from an odd address. */
    "ac_start:\n"
    "	movl " STR(DATA_ADDR) " + 1, %eax\n"
    "	out %al, $" STR(PORT_NOFAULT) "\n"
    "1:	jmp 1b\n"
    "ac_end:\n"
    /* CPL3 #AC handler: the error code, then the return address. */
    "ac_handler:\n"
    "	pop %eax\n"
    "	out %eax, $" STR(PORT_ERR) "\n"
    "	pop %eax\n"
    "	out %eax, $" STR(PORT_EIP) "\n"
    "1:	jmp 1b\n"
    "ac_handler_end:\n"
    ".code64\n"
    ".popsection\n");

extern const unsigned char ss_start[], ss_after[], ss_end[];
extern const unsigned char icebp_start[], icebp_after[], icebp_end[];
extern const unsigned char db_handler[], db_handler_end[];
extern const unsigned char ac_start[], ac_end[];
extern const unsigned char ac_handler[], ac_handler_end[];

/* A 32-bit guest with @code at CODE_ADDR and @handler for @vector. */
static int guest_setup(struct test_vm *vm, const char *path,
		       const unsigned char *code, const unsigned char *code_end,
		       unsigned int vector, unsigned int sel,
		       const unsigned char *handler,
		       const unsigned char *handler_end)
{
	if (test_guest_create(vm, path, MEM_SIZE, 0) ||
	    test_guest_load(vm, TEST_MODE_PROT, CODE_ADDR, code,
			    code_end - code, STACK_TOP)) {
		ksft_print_msg("setup: %s\n", vm->err);
		return -1;
	}
	memcpy(vm->mem + HANDLER_ADDR, handler, handler_end - handler);
	test_desc_gate(vm, TEST_MODE_PROT, vector, sel, HANDLER_ADDR, 0);
	return 0;
}

static int singlestep_test(const char *path)
{
	uint32_t eip = CODE_ADDR + (ss_after - ss_start), dr6, at;
	struct test_vm vm;
	int ok = 0;

	if (guest_setup(&vm, path, ss_start, ss_end, 1, TEST_SEL_CODE32,
			db_handler, db_handler_end) ||
	    test_guest_run_out(&vm, PORT_DR6, &dr6, "single-step") ||
	    test_guest_run_out(&vm, PORT_EIP, &at, "single-step") ||
	    test_guest_run_hlt(&vm, "single-step"))
		goto out;
	ksft_print_msg("single-step: DR6 0x%x, return address 0x%x\n", dr6,
		       at);
	ok = (dr6 & (DR6_BS | 0xf)) == DR6_BS && at == eip;
out:
	test_vm_destroy(&vm);
	return ok;
}

static int icebp_test(const char *path)
{
	uint32_t eip = CODE_ADDR + (icebp_after - icebp_start), dr6, at;
	struct test_vm vm;
	int ok = 0;

	if (guest_setup(&vm, path, icebp_start, icebp_end, 1,
			TEST_SEL_CODE32, db_handler, db_handler_end) ||
	    test_guest_run_out(&vm, PORT_DR6, &dr6, "icebp") ||
	    test_guest_run_out(&vm, PORT_EIP, &at, "icebp") ||
	    test_guest_run_hlt(&vm, "icebp"))
		goto out;
	/* What INT1 does to DR6 is not the point (nor the same everywhere). */
	ksft_print_msg("icebp: DR6 0x%x, return address 0x%x\n", dr6, at);
	ok = at == eip;
out:
	test_vm_destroy(&vm);
	return ok;
}

static int ac_test(const char *path)
{
	struct test_vm vm;
	struct kvm_sregs s;
	uint32_t err, at;
	int ok = 0;

	if (guest_setup(&vm, path, ac_start, ac_end, 17,
			TEST_SEL_USER_CODE32, ac_handler, ac_handler_end) ||
	    test_desc_user32(&vm, 0x2 | RFLAGS_IOPL3 | RFLAGS_AC, STACK_TOP) ||
	    ioctl(vm.vcpu_fd, KVM_GET_SREGS, &s))
		goto fail;
	s.cr0 |= CR0_AM;
	if (ioctl(vm.vcpu_fd, KVM_SET_SREGS, &s) ||
	    test_guest_run_out(&vm, PORT_ERR, &err, "#AC") ||
	    test_guest_run_out(&vm, PORT_EIP, &at, "#AC"))
		goto fail;
	ksft_print_msg("#AC: error code 0x%x, return address 0x%x\n", err, at);
	ok = err == 0 && at == CODE_ADDR;
	goto out;
fail:
	ksft_print_msg("#AC: %s\n", vm.err);
out:
	test_vm_destroy(&vm);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int has_ac = test_cpu_raises_ac();
	int has_icebp = !test_cpu_is_qemu_tcg();
	struct test_vm vm;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	if (!has_ac)
		ksft_print_msg("this CPU raises no #AC: exception-ac not run\n");
	if (!has_icebp)
		ksft_print_msg("QEMU's TCG mis-executes INT1: exception-db-icebp not run\n");
	ksft_set_plan(1 + has_icebp + has_ac);
	alarm(120);

	ksft_result_dev(singlestep_test(path), "exception-db-singlestep", dev);
	if (has_icebp)
		ksft_result_dev(icebp_test(path), "exception-db-icebp", dev);
	if (has_ac)
		ksft_result_dev(ac_test(path), "exception-ac", dev);
	ksft_finished();
	return KSFT_FAIL;
}
