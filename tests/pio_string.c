// SPDX-License-Identifier: GPL-2.0-only
/*
 * pio_string DEVICE: port I/O in real mode, protected mode without paging,
 * with 32-bit paging and with PAE, and in long mode (tests/lib/mode.h).
 *
 * IN/OUT of 1, 2 and 4 bytes; INS/OUTS of each size, single and with REP
 * over a few hundred elements of a buffer that crosses a page boundary,
 * with DF = 1, with an FS override on OUTS and with the other address
 * size (67 prefix). The host checks the byte stream it sees (OUT/OUTS)
 * or supplies (IN/INS), the guest memory the INS data lands in (and that
 * nothing around it changed), and RSI/RDI/RCX/RAX/RIP after the HLT.
 * How many exits a REP takes is the hypervisor's business (kvm.ko and
 * lamina.ko batch differently): only the data and the final state count.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE 0x10000UL
#define PORT 0x3f0
#define REAL_DS_BASE 0x20000UL	/* real mode: DS = ES = 0x2000 */
#define FS_BASE 0x30000UL	/* every mode: FS base, via KVM_SET_SREGS */
#define BUF 0x20f00UL		/* crosses the page at 0x21000 */
#define BUF16 0x0f00UL		/* 16-bit addressing, flat: crosses 0x1000 */
#define FSBUF_OFF 0xf80UL	/* FS:0xf80 crosses 0x31000 */
#define COUNT 300U
#define MAX_EXITS 5000U
#define RAX_INIT 0x0123456789abcdefULL
#define STREAM_MAX (COUNT * 4U)

enum op { OP_IN, OP_OUT, OP_INS, OP_OUTS };

struct pcase {
	const char *name;
	enum op op;
	int size;
	int rep;
	int df;
	int prefix;	/* 0, 0x64 (FS) or 0x67 (address size) */
	int alias;	/* the buffer through TEST_MODE_ALIAS (paging modes) */
};

static const struct pcase cases[] = {
	{ "in-1", OP_IN, 1, 0, 0, 0, 0 }, { "in-2", OP_IN, 2, 0, 0, 0, 0 },
	{ "in-4", OP_IN, 4, 0, 0, 0, 0 },
	{ "out-1", OP_OUT, 1, 0, 0, 0, 0 }, { "out-2", OP_OUT, 2, 0, 0, 0, 0 },
	{ "out-4", OP_OUT, 4, 0, 0, 0, 0 },
	{ "outsw", OP_OUTS, 2, 0, 0, 0, 0 }, { "insd", OP_INS, 4, 0, 0, 0, 0 },
	{ "rep-outsb", OP_OUTS, 1, 1, 0, 0, 0 },
	{ "rep-outsw", OP_OUTS, 2, 1, 0, 0, 0 },
	{ "rep-outsd", OP_OUTS, 4, 1, 0, 0, 0 },
	{ "rep-insb", OP_INS, 1, 1, 0, 0, 0 },
	{ "rep-insw", OP_INS, 2, 1, 0, 0, 0 },
	{ "rep-insd", OP_INS, 4, 1, 0, 0, 0 },
	{ "rep-outsb-df", OP_OUTS, 1, 1, 1, 0, 0 },
	{ "rep-outsd-df", OP_OUTS, 4, 1, 1, 0, 0 },
	{ "rep-insw-df", OP_INS, 2, 1, 1, 0, 0 },
	{ "rep-outsw-fs", OP_OUTS, 2, 1, 0, 0x64, 0 },
	{ "rep-outsd-a", OP_OUTS, 4, 1, 0, 0x67, 0 },
	{ "rep-insb-a", OP_INS, 1, 1, 0, 0x67, 0 },
	{ "rep-outsw-alias", OP_OUTS, 2, 1, 0, 0, 1 },
	{ "rep-insd-alias", OP_INS, 4, 1, 0, 0, 1 },
	{ "rep-insb-df-alias", OP_INS, 1, 1, 1, 0, 1 },
};

struct run_state {
	unsigned char out[STREAM_MAX];	/* what the guest wrote to PORT */
	unsigned int nout;
	unsigned int nin;		/* bytes supplied to the guest */
	char why[200];
};

static unsigned char in_byte(unsigned int k)
{
	return (unsigned char)(k * 13U + 7U);
}

static unsigned char mem_byte(uint64_t a)
{
	return (unsigned char)((a * 7U + 3U) ^ (a >> 8));
}

static int addr_bits(const struct pcase *c, int bits)
{
	if (c->prefix != 0x67)
		return bits;
	return bits == 32 ? 16 : 32;
}

static uint64_t reg_set(uint64_t old, uint64_t val, int abits)
{
	if (abits == 16)
		return (old & ~0xffffULL) | (val & 0xffff);
	if (abits == 32)
		return (uint32_t)val;
	return val;
}

/* Junk in the bits the address size ignores: they must survive or clear
 * exactly as the architecture says. */
static uint64_t junk(int bits, int abits)
{
	if (abits == 16)
		return 0xabcd0000ULL;
	if (abits == 32 && bits == 64)
		return 0xdead000000000000ULL;
	return 0;
}

static int encode(const struct pcase *c, int bits, unsigned char *b)
{
	int n = 0;
	static const unsigned char op8[] = { 0xec, 0xee, 0x6c, 0x6e };

	if (c->prefix)
		b[n++] = (unsigned char)c->prefix;
	if (c->rep)
		b[n++] = 0xf3;
	if ((c->size == 2 && bits != 16) || (c->size == 4 && bits == 16))
		b[n++] = 0x66;
	b[n++] = (unsigned char)(op8[c->op] + (c->size != 1));
	b[n++] = 0xf4;	/* hlt */
	return n;
}

static int guest_run(struct test_vm *vm, const struct pcase *c,
		     struct run_state *st)
{
	struct kvm_run *r = vm->run;
	unsigned int exits, bytes, i;
	unsigned char *data;
	int in = c->op == OP_IN || c->op == OP_INS;

	for (exits = 0; exits < MAX_EXITS; exits++) {
		if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
			snprintf(st->why, sizeof(st->why), "KVM_RUN: %s",
				 strerror(errno));
			return 0;
		}
		if (r->exit_reason == KVM_EXIT_HLT)
			return 1;
		if (r->exit_reason != KVM_EXIT_IO) {
			snprintf(st->why, sizeof(st->why),
				 "exit reason %u (suberror %u, data 0x%llx 0x%llx 0x%llx)",
				 r->exit_reason, r->internal.suberror,
				 (unsigned long long)r->internal.data[0],
				 (unsigned long long)r->internal.data[1],
				 (unsigned long long)r->internal.data[2]);
			return 0;
		}
		bytes = r->io.count * r->io.size;
		if (r->io.port != PORT || r->io.size != c->size ||
		    r->io.direction != (in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT) ||
		    !r->io.count ||
		    r->io.data_offset + (uint64_t)bytes > vm->run_size ||
		    (in ? st->nin : st->nout) + bytes > STREAM_MAX) {
			snprintf(st->why, sizeof(st->why),
				 "bad I/O exit: port 0x%x size %u dir %u count %u",
				 r->io.port, r->io.size, r->io.direction,
				 r->io.count);
			return 0;
		}
		data = (unsigned char *)r + r->io.data_offset;
		for (i = 0; i < bytes; i++) {
			if (in)
				data[i] = in_byte(st->nin++);
			else
				st->out[st->nout++] = data[i];
		}
	}
	snprintf(st->why, sizeof(st->why), "no HLT after %u exits", exits);
	return 0;
}

/* Set up, run and check one case. 1 pass, 0 fail (reason printed). */
static int run_case(struct test_vm *vm, const struct pcase *c, int bits)
{
	int abits = addr_bits(c, bits), n_code, fs = c->prefix == 0x64;
	unsigned int n = c->rep ? COUNT : 1, i, k;
	uint64_t base, off, start, lin, want_ptr, want_rcx, lo, hi, want;
	/* The register holds the alias; memory is checked physically. */
	uint64_t gofs = c->alias ? TEST_MODE_ALIAS : 0;
	static struct run_state st;
	unsigned char code[8];
	struct kvm_regs r;
	unsigned long rip0 = test_mode_rip(bits == 16 ? TEST_MODE_REAL :
					   TEST_MODE_PROT, CODE);
	uint64_t mask = bits == 64 ? ~0ULL : 0xffffffffULL;
	int string = c->op == OP_INS || c->op == OP_OUTS;
	int in = c->op == OP_IN || c->op == OP_INS;

	memset(&st, 0, sizeof(st));
	base = fs ? FS_BASE : bits == 16 ? REAL_DS_BASE : 0;
	if (fs)
		off = FSBUF_OFF;
	else if (abits == 16 && !base)
		off = BUF16;
	else
		off = BUF - base;
	/* DF = 1 walks down from the last element. */
	start = c->df ? off + (uint64_t)(n - 1) * c->size : off;
	lo = base + off;
	hi = lo + (uint64_t)n * c->size;
	for (lin = lo - 0x100; lin < hi + 0x100; lin++)
		vm->mem[lin] = mem_byte(lin);

	n_code = encode(c, bits, code);
	memcpy(vm->mem + CODE, code, n_code);
	memset(&r, 0, sizeof(r));
	r.rip = rip0;
	r.rflags = 0x2 | (c->df ? 0x400 : 0);
	r.rax = RAX_INIT & mask;
	r.rdx = PORT;
	r.rcx = junk(bits, abits) | (c->rep ? COUNT : 0);
	if (c->op == OP_INS)
		r.rdi = junk(bits, abits) | (start + gofs);
	else
		r.rsi = junk(bits, abits) | (start + gofs);
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r)) {
		ksft_print_msg("%s: KVM_SET_REGS: %s\n", c->name, strerror(errno));
		return 0;
	}
	if (!guest_run(vm, c, &st) || ioctl(vm->vcpu_fd, KVM_GET_REGS, &r)) {
		ksft_print_msg("%s: %s\n", c->name, st.why);
		return 0;
	}
	if (r.rip != rip0 + n_code) {
		ksft_print_msg("%s: RIP 0x%llx, want 0x%lx\n", c->name,
			       (unsigned long long)r.rip, rip0 + n_code);
		return 0;
	}
	if (!string) {
		if (in) {
			want = in_byte(0) | in_byte(1) << 8 |
			       (uint64_t)in_byte(2) << 16 |
			       (uint64_t)in_byte(3) << 24;
			/* IN EAX zero-extends; IN AL/AX keep the rest. */
			want = c->size == 4 ? want :
			       (RAX_INIT & ~((1ULL << (8 * c->size)) - 1)) |
			       (want & ((1ULL << (8 * c->size)) - 1));
			if ((r.rax & mask) != (want & mask) || st.nin != (unsigned int)c->size) {
				ksft_print_msg("%s: RAX 0x%llx, want 0x%llx\n",
					       c->name, (unsigned long long)r.rax,
					       (unsigned long long)want);
				return 0;
			}
			return 1;
		}
		if (st.nout != (unsigned int)c->size ||
		    memcmp(st.out, &r.rax, c->size)) {
			ksft_print_msg("%s: OUT data wrong (%u bytes)\n", c->name,
				       st.nout);
			return 0;
		}
		return 1;
	}

	/* Element i is at start + i * size (DF = 0) or start - i * size. */
	for (i = 0; i < n; i++) {
		lin = base + start + (c->df ? -(int64_t)i : (int64_t)i) * c->size;
		for (k = 0; k < (unsigned int)c->size; k++) {
			unsigned int s = i * c->size + k;

			if (in ? vm->mem[lin + k] != in_byte(s) :
				 (s >= st.nout || st.out[s] != mem_byte(lin + k))) {
				ksft_print_msg("%s: element %u byte %u wrong (%u bytes %s)\n",
					       c->name, i, k, in ? st.nin : st.nout,
					       in ? "in" : "out");
				return 0;
			}
		}
	}
	if ((in ? st.nin : st.nout) != n * c->size) {
		ksft_print_msg("%s: %u bytes moved, want %u\n", c->name,
			       in ? st.nin : st.nout, n * c->size);
		return 0;
	}
	for (lin = lo - 0x100; lin < hi + 0x100; lin++)
		if ((lin < lo || lin >= hi) && vm->mem[lin] != mem_byte(lin)) {
			ksft_print_msg("%s: byte at 0x%llx outside the buffer changed\n",
				       c->name, (unsigned long long)lin);
			return 0;
		}
	want_ptr = reg_set(junk(bits, abits) | (start + gofs),
			   start + gofs + (c->df ? -(int64_t)n : (int64_t)n) *
					  c->size, abits);
	want_rcx = c->rep ? reg_set(junk(bits, abits) | COUNT, 0, abits) :
			    junk(bits, abits);
	if ((c->op == OP_INS ? r.rdi : r.rsi) != want_ptr || r.rcx != want_rcx) {
		ksft_print_msg("%s: rSI/rDI 0x%llx rCX 0x%llx, want 0x%llx 0x%llx\n",
			       c->name,
			       (unsigned long long)(c->op == OP_INS ? r.rdi : r.rsi),
			       (unsigned long long)r.rcx,
			       (unsigned long long)want_ptr,
			       (unsigned long long)want_rcx);
		return 0;
	}
	return 1;
}

static int set_segments(struct test_vm *vm, int bits)
{
	struct kvm_sregs s;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	if (bits == 16) {
		s.ds.selector = REAL_DS_BASE >> 4;
		s.ds.base = REAL_DS_BASE;
		s.es = s.ds;
		s.fs.selector = FS_BASE >> 4;
	}
	s.fs.base = FS_BASE;
	return ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	size_t ncases = sizeof(cases) / sizeof(cases[0]), i;
	struct test_vm vm;
	char name[96];
	int ok;
	unsigned int m, plan = 0;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	for (m = 0; m < TEST_MODE_COUNT; m++)
		for (i = 0; i < ncases; i++)
			plan += !cases[i].alias || test_mode_paging(m);
	ksft_set_plan(plan);
	alarm(300);
	for (m = 0; m < TEST_MODE_COUNT; m++) {
		ok = !test_vm_open_dev(&vm, path) &&
		     !test_vm_create(&vm, MEM_SIZE) &&
		     !test_vm_set_mode(&vm, m, CODE);
		if (!ok)
			ksft_print_msg("%s setup: %s\n", test_mode_name(m), vm.err);
		else if (set_segments(&vm, test_mode_bits(m))) {
			ksft_print_msg("%s setup: %s\n", test_mode_name(m),
				       strerror(errno));
			ok = 0;
		}
		for (i = 0; i < ncases; i++) {
			if (cases[i].alias && !test_mode_paging(m))
				continue;
			snprintf(name, sizeof(name), "pio-%s-%s/%s", cases[i].name,
				 test_mode_name(m), dev);
			ksft_test_result(ok && run_case(&vm, &cases[i],
						test_mode_bits(m)), name);
		}
		test_vm_destroy(&vm);
	}
	ksft_finished();
	return KSFT_FAIL;
}
