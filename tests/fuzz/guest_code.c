// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "guest_code.h"

/*
 * IRET (CF), far RET (CA, CB), far JMP/CALL (EA, 9A, FF /3 /5: all of FF),
 * SYSRET (0F 07), SYSEXIT (0F 35), MOV DRn (0F 23).
 */
static const unsigned char unsafe_bytes[] = {
	0xcf, 0xca, 0xcb, 0xea, 0x9a, 0xff, 0x07, 0x35, 0x23,
};

int fuzz_guest_byte_safe(unsigned char b)
{
	return !memchr(unsafe_bytes, b, sizeof(unsafe_bytes));
}

struct code_buf {
	unsigned char *p;
	size_t len, at;
	int bits, safe;
	struct fuzz_rng *r;
};

static void put(struct code_buf *c, unsigned char b)
{
	if (c->safe && !fuzz_guest_byte_safe(b))
		b = 0x90;	/* NOP */
	if (c->at < c->len)
		c->p[c->at++] = b;
}

static void put_n(struct code_buf *c, unsigned long long v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		put(c, v >> (8 * i));
}

/* An immediate the width of the mode's operand size (64: 32 bits). */
static void put_imm(struct code_buf *c, unsigned long long v)
{
	put_n(c, v, c->bits == 16 ? 2 : 4);
}

/* B8+reg: MOV reg, imm. */
static void mov_reg(struct code_buf *c, int reg, unsigned long long v)
{
	put(c, 0xb8 + reg);
	put_imm(c, v);
}

/* Guest-physical (= linear in every test mode) addresses worth touching. */
static unsigned long long gaddr(struct fuzz_rng *r)
{
	static const unsigned long long base[] = {
		0xfee00000, 0xfec00000, 0xd0000000, 0x00001000, 0x000b8000,
		0x00100000, 0x000f0000, 0xc0000000, 0x00010000, 0x7ffff000,
	};

	if (fuzz_one_in(r, 8))
		return fuzz_u64(r) & 0xffffffff;
	return FUZZ_PICK(r, base) + (fuzz_below(r, 0x400) & ~3ULL);
}

static unsigned long long msr_index(struct fuzz_rng *r)
{
	static const unsigned int msrs[] = {
		0xc0000080, 0xc0000081, 0xc0000082, 0xc0000084, 0xc0000100,
		0xc0000101, 0xc0000102, 0xc0000103, 0x10, 0x1b, 0x174, 0x176,
		0x277, 0x2ff, 0x200, 0x250, 0x1a0, 0x8b, 0x6e0, 0x4b564d00,
		0x4b564d01, 0x3a, 0x48, 0x49, 0xc0010114, 0xc0010117, 0x0,
	};

	if (fuzz_one_in(r, 6))
		return fuzz_u64(r) & 0xffffffff;
	return FUZZ_PICK(r, msrs);
}

/* MOV [addr], eAX or MOV eAX, [addr] (A3 / A1 with a moffs). */
static void moffs(struct code_buf *c, int store)
{
	put(c, store ? 0xa3 : 0xa1);
	put_n(c, gaddr(c->r), c->bits / 8);
}

/* One template, chosen at random. */
static void one_insn(struct code_buf *c)
{
	struct fuzz_rng *r = c->r;
	int i, n;

	switch (fuzz_below(r, 24)) {
	case 0:		/* OUT/IN imm8 */
		put(c, fuzz_one_in(r, 2) ? 0xe6 : 0xe4 + fuzz_below(r, 2));
		put(c, fuzz_u64(r));
		break;
	case 1:		/* OUT/IN DX */
		put(c, 0xba);
		put_imm(c, fuzz_u64(r) & 0xffff);
		put(c, 0xec + fuzz_below(r, 4));
		break;
	case 2:		/* REP INS/OUTS, sizes 1..4 */
		mov_reg(c, 1, fuzz_below(r, 3) ? fuzz_below(r, 64) : fuzz_u64(r));
		if (fuzz_one_in(r, 2))
			put(c, 0xfd);	/* STD */
		put(c, 0xf3);
		if (fuzz_one_in(r, 3))
			put(c, 0x66);
		put(c, 0x6c + fuzz_below(r, 4));
		put(c, 0xfc);		/* CLD */
		break;
	case 3:
	case 4:		/* MMIO or memory, load or store */
		moffs(c, fuzz_one_in(r, 2));
		break;
	case 5:		/* MOV [addr], imm (C7 /0) */
		put(c, 0xc7);
		if (c->bits == 16) {
			put(c, 0x06);
			put_n(c, gaddr(r), 2);
		} else {
			/* 64-bit: SIB with no base, an absolute disp32. */
			put(c, 0x04);
			put(c, 0x25);
			put_n(c, gaddr(r), 4);
		}
		put_imm(c, fuzz_u64(r));
		break;
	case 6:		/* CPUID */
		mov_reg(c, 0, fuzz_one_in(r, 2) ? fuzz_below(r, 0x20) :
			0x80000000 + fuzz_below(r, 0x20));
		mov_reg(c, 1, fuzz_below(r, 4));
		put(c, 0x0f);
		put(c, 0xa2);
		break;
	case 7:		/* RDMSR / WRMSR */
		mov_reg(c, 1, msr_index(r));
		mov_reg(c, 0, fuzz_u64(r));
		mov_reg(c, 2, fuzz_below(r, 2) ? 0 : fuzz_u64(r));
		put(c, 0x0f);
		put(c, fuzz_one_in(r, 2) ? 0x30 : 0x32);
		break;
	case 8:		/* HLT, with interrupts on or off */
		put(c, fuzz_one_in(r, 2) ? 0xfb : 0xfa);
		put(c, 0xf4);
		break;
	case 9:		/* SVM and VMX instructions, VMMCALL, MONITOR... */
		put(c, 0x0f);
		put(c, 0x01);
		put(c, fuzz_one_in(r, 2) ? 0xd8 + fuzz_below(r, 8) :
		       0xc0 + fuzz_below(r, 0x10));
		break;
	case 10:	/* XSETBV, RDTSCP, RDPKRU... */
		put(c, 0x0f);
		put(c, 0x01);
		put(c, 0xd0 + fuzz_below(r, 8) + (fuzz_one_in(r, 2) ? 0x20 : 0));
		break;
	case 11:	/* MOV CRn, eAX (CR0/2/3/4, CR8 in 64-bit) */
		mov_reg(c, 0, fuzz_u64(r));
		if (c->bits == 64 && fuzz_one_in(r, 3))
			put(c, 0x44);	/* REX.R: CR8 with reg 0 */
		put(c, 0x0f);
		put(c, 0x22);
		put(c, 0xc0 | FUZZ_PICK(r, ((const int[]){ 0, 2, 3, 4 })) << 3);
		break;
	case 12:	/* LGDT/LIDT/LLDT/LTR from random memory */
		put(c, 0x0f);
		/* ModRM [disp32] (rm 101; RIP-relative in 64-bit), [disp16] (rm 110) */
		put(c, fuzz_below(r, 2));	/* 0F 01: LGDT/LIDT, 0F 00: LLDT/LTR */
		put(c, (c->bits == 16 ? 0x06 : 0x05) | (2 + fuzz_below(r, 2)) << 3);
		put_n(c, gaddr(r), c->bits == 16 ? 2 : 4);
		break;
	case 13:	/* INT n, INT3, INTO, UD2, a #DE */
		n = fuzz_below(r, 5);
		if (n == 0) {
			put(c, 0xcd);
			put(c, fuzz_u64(r));
		} else if (n == 1) {
			put(c, 0xcc);
		} else if (n == 2) {
			put(c, 0xce);
		} else if (n == 3) {
			put(c, 0x0f);
			put(c, 0x0b);
		} else {
			mov_reg(c, 1, 0);
			put(c, 0xf7);	/* DIV eCX */
			put(c, 0xf1);
		}
		break;
	case 14:	/* RDTSC, RDPMC, WBINVD, INVD, CLTS, SWAPGS area */
		put(c, 0x0f);
		put(c, FUZZ_PICK(r, ((const unsigned char[]){
			0x31, 0x33, 0x09, 0x08, 0x06, 0x34, 0x05, 0xaa, 0x30 })));
		break;
	case 15:	/* a loop that never ends: only a signal ends the run */
		put(c, 0xeb);
		put(c, 0xfe);
		break;
	case 16:	/* PUSHF/POPF with random flags, STI/CLI */
		mov_reg(c, 0, fuzz_u64(r) & ~0x20000ULL);	/* never VM */
		put(c, 0x50);
		put(c, 0x9d);
		break;
	case 17:	/* MOV Sreg, AX (SS included) */
		mov_reg(c, 0, fuzz_below(r, 0x40) & ~3ULL);
		put(c, 0x8e);
		put(c, 0xc0 | fuzz_below(r, 6) << 3);
		break;
	case 18:	/* PAUSE, a short jump forward or back */
		if (fuzz_one_in(r, 2)) {
			put(c, 0xf3);
			put(c, 0x90);
		} else {
			put(c, 0xeb);
			put(c, fuzz_u64(r));
		}
		break;
	case 19:	/* INVLPG [eAX] */
		mov_reg(c, 0, gaddr(r));
		put(c, 0x0f);
		put(c, 0x01);
		put(c, 0x38);
		break;
	default:	/* random bytes */
		n = 1 + fuzz_below(r, 12);
		for (i = 0; i < n; i++)
			put(c, fuzz_u64(r));
		break;
	}
}

void fuzz_guest_code(struct fuzz_rng *r, unsigned char *buf, size_t len,
		     int bits, int safe)
{
	struct code_buf c = {
		.p = buf, .len = len, .bits = bits, .safe = safe, .r = r,
	};

	while (c.at + 24 < len)
		one_insn(&c);
	/* Whatever runs off the end meets HLT then a loop. */
	while (c.at + 2 < len)
		put(&c, 0xf4);
	put(&c, 0xeb);
	put(&c, 0xfe);
}
