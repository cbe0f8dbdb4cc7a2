// SPDX-License-Identifier: GPL-2.0-only
/*
 * pio_loop DEVICE: the rig's first proof that a hypervisor works.
 *
 * A 16-bit real-mode guest counts 0..PIO_ROUNDS-1 and, each round, writes the
 * counter to port 0x10, reads a byte from port 0x10 and echoes it to port
 * 0x11, then halts. The host answers each IN with a value derived from the
 * round, so a hypervisor that loses or reorders exits, drops data in either
 * direction or does not complete the IN before resuming is caught.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/vm.h"

#define PIO_ROUNDS	100U
#define PIO_PORT	0x10
#define GUEST_RIP	0x1000UL
#define MEM_SIZE	0x10000UL
/* 3 I/O exits per round, then HLT; anything beyond this is runaway. */
#define MAX_EXITS	(3U * PIO_ROUNDS + 8U)

static const unsigned char guest_code[] = {
	0x31, 0xc9,		/*  0: xor  cx, cx                     */
	0xba, 0x10, 0x00,	/*  2: mov  dx, 0x10                   */
	0x89, 0xc8,		/*  5: mov  ax, cx     ; loop:         */
	0xee,			/*  7: out  dx, al     ; counter       */
	0xec,			/*  8: in   al, dx     ; host's answer */
	0x42,			/*  9: inc  dx                         */
	0xee,			/* 10: out  dx, al     ; echo to 0x11  */
	0x4a,			/* 11: dec  dx                         */
	0x41,			/* 12: inc  cx                         */
	0x81, 0xf9, PIO_ROUNDS, 0x00,	/* 13: cmp cx, PIO_ROUNDS      */
	0x75, 0xf2,		/* 17: jne  loop (19 - 14 = 5)         */
	0xf4,			/* 19: hlt                             */
};

static unsigned char host_answer(unsigned int round)
{
	return (unsigned char)(round * 7U + 0xa5U);
}

struct pio_result {
	unsigned int io_exits;
	unsigned int bad_data;	/* exits whose port/size/data was wrong */
	int halted;
	char why[160];
};

/* Check one I/O exit against the step the guest must be at. */
static int pio_check_exit(struct kvm_run *run, unsigned int step)
{
	unsigned char *data = (unsigned char *)run + run->io.data_offset;
	unsigned int round = step / 3U;
	unsigned int phase = step % 3U;
	int ok = run->io.size == 1 && run->io.count == 1;

	if (phase == 0U)
		ok = ok && run->io.direction == KVM_EXIT_IO_OUT &&
		     run->io.port == PIO_PORT && *data == (unsigned char)round;
	else if (phase == 1U) {
		ok = ok && run->io.direction == KVM_EXIT_IO_IN &&
		     run->io.port == PIO_PORT;
		*data = host_answer(round);
	} else
		ok = ok && run->io.direction == KVM_EXIT_IO_OUT &&
		     run->io.port == PIO_PORT + 1 && *data == host_answer(round);
	return ok;
}

static void pio_run(struct test_vm *vm, struct pio_result *res)
{
	unsigned int exits;

	for (exits = 0; exits < MAX_EXITS && !res->halted; exits++) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			snprintf(res->why, sizeof(res->why), "KVM_RUN: %s",
				 strerror(errno));
			return;
		}
		if (vm->run->exit_reason == KVM_EXIT_HLT) {
			res->halted = 1;
		} else if (vm->run->exit_reason == KVM_EXIT_IO) {
			if (!pio_check_exit(vm->run, res->io_exits))
				res->bad_data++;
			res->io_exits++;
		} else {
			snprintf(res->why, sizeof(res->why),
				 "unexpected exit reason %u",
				 vm->run->exit_reason);
			return;
		}
	}
	if (!res->halted)
		snprintf(res->why, sizeof(res->why), "no HLT after %u exits",
			 exits);
}

int main(int argc, char **argv)
{
	const char *dev = argc > 1 ? argv[1] : "/dev/kvm";
	const char *name = test_dev_name(dev);
	struct pio_result res = { 0 };
	struct test_vm vm;
	char tname[3][64];

	ksft_print_header();
	if (test_vm_open_dev(&vm, dev)) {
		if (errno == ENOENT)
			ksft_exit_skip(vm.err);
		snprintf(res.why, sizeof(res.why), "%s", vm.err);
	}
	ksft_set_plan(3);
	snprintf(tname[0], sizeof(tname[0]), "pio-loop-exit-count/%s", name);
	snprintf(tname[1], sizeof(tname[1]), "pio-loop-data/%s", name);
	snprintf(tname[2], sizeof(tname[2]), "pio-loop-halt/%s", name);

	/* A hypervisor that never returns from KVM_RUN must not hang the rig. */
	alarm(60);
	if (!res.why[0] && (test_vm_create(&vm, MEM_SIZE) ||
			    test_vm_real_mode(&vm, GUEST_RIP)))
		snprintf(res.why, sizeof(res.why), "%s", vm.err);
	if (!res.why[0]) {
		memcpy(vm.mem + GUEST_RIP, guest_code, sizeof(guest_code));
		pio_run(&vm, &res);
	}
	if (res.why[0])
		ksft_print_msg("%s\n", res.why);
	ksft_print_msg("%u I/O exits (expected %u), %u with wrong port/size/data\n",
		       res.io_exits, 3U * PIO_ROUNDS, res.bad_data);

	ksft_test_result(res.io_exits == 3U * PIO_ROUNDS, tname[0]);
	ksft_test_result(res.io_exits && !res.bad_data, tname[1]);
	ksft_test_result(res.halted, tname[2]);
	test_vm_destroy(&vm);
	ksft_finished();
	return KSFT_FAIL;
}
