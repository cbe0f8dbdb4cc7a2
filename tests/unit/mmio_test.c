// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 8 (MMIO instruction decoding): the
 * encodings Linux's MMIO accessors compile to (readb/w/l/q, writeb/w/l/q,
 * with and without REX, SIB, displacements, RIP-relative), 16- and 32-bit
 * forms, every rejected class with its exact error code, and truncation at
 * every length; and vmm_mmio_decode_string_io() (INS/OUTS: 67 in each
 * mode, segment overrides, REX placement, the 15-byte limit, the rule that
 * checks the bytes against the exit).  Every decode runs on a heap copy of
 * exactly avail bytes, so ASan reports any read past avail; a failed
 * decode must leave *out unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <libvmm/mmio.h>

#include "tap.h"

#define M16 VMM_MMIO_MODE_16
#define M32 VMM_MMIO_MODE_32
#define M64 VMM_MMIO_MODE_64
#define R VMM_MMIO_READ
#define W VMM_MMIO_WRITE
#define NONE VMM_MMIO_EXT_NONE
#define ZERO VMM_MMIO_EXT_ZERO
#define SIGN VMM_MMIO_EXT_SIGN

#define BYTES(...) ((const vmm_u8[]){ __VA_ARGS__ }), \
	sizeof((const vmm_u8[]){ __VA_ARGS__ })

static struct vmm_mmio_insn got;

/* Decode the first @avail of @bytes from an exact-size heap copy. */
static enum vmm_mmio_err decode(const vmm_u8 *bytes, unsigned int avail,
				vmm_u32 mode)
{
	vmm_u8 *copy = malloc(avail != 0U ? avail : 1U);
	struct vmm_mmio_insn before;
	enum vmm_mmio_err err;

	if (copy == NULL)
		abort();
	memcpy(copy, bytes, avail);
	memset(&got, 0xA5, sizeof(got));
	before = got;
	err = vmm_mmio_decode(copy, avail, mode, &got);
	if (err != VMM_MMIO_OK)
		CHECK(memcmp(&before, &got, sizeof(got)) == 0);
	free(copy);
	return err;
}

struct want {
	vmm_u32 len, dir, size, reg, high, has_imm;
	vmm_u64 imm;
	vmm_u32 ext, dst;
};

/*
 * @bytes (n of them) must decode to @w in @mode; every shorter prefix must
 * be TRUNCATED; with bytes after it (up to 15) it must decode the same.
 */
static void ok(const vmm_u8 *bytes, unsigned int n, vmm_u32 mode,
	       struct want w)
{
	vmm_u8 padded[VMM_MMIO_MAX_LEN];
	unsigned int k;

	CHECK_EQ(n, w.len);
	CHECK_EQ(decode(bytes, n, mode), VMM_MMIO_OK);
	CHECK_EQ(got.len, w.len);
	CHECK_EQ(got.dir, w.dir);
	CHECK_EQ(got.size, w.size);
	CHECK_EQ(got.reg, w.reg);
	CHECK_EQ(got.high_byte, w.high);
	CHECK_EQ(got.has_imm, w.has_imm);
	CHECK_EQ(got.imm, w.imm);
	CHECK_EQ(got.ext, w.ext);
	CHECK_EQ(got.dst_size, w.dst);

	for (k = 0U; k < n; k++)
		CHECK_EQ(decode(bytes, k, mode), VMM_MMIO_ERR_TRUNCATED);

	memset(padded, 0x90, sizeof(padded));
	memcpy(padded, bytes, n);
	CHECK_EQ(decode(padded, VMM_MMIO_MAX_LEN, mode), VMM_MMIO_OK);
	CHECK_EQ(got.len, w.len);
	CHECK_EQ(got.size, w.size);
	CHECK_EQ(got.reg, w.reg);
}

/* A register operand: len, dir, size, reg, high byte. */
static struct want reg_op(vmm_u32 len, vmm_u32 dir, vmm_u32 size,
			  vmm_u32 reg, vmm_u32 high)
{
	struct want w = { len, dir, size, reg, high, 0U, 0ULL, NONE, size };

	return w;
}

static struct want imm_op(vmm_u32 len, vmm_u32 size, vmm_u64 imm)
{
	struct want w = { len, W, size, 0U, 0U, 1U, imm, NONE, size };

	return w;
}

static struct want ext_op(vmm_u32 len, vmm_u32 size, vmm_u32 reg,
			  vmm_u32 ext, vmm_u32 dst)
{
	struct want w = { len, R, size, reg, 0U, 0U, 0ULL, ext, dst };

	return w;
}

static void fails(const vmm_u8 *bytes, unsigned int n, vmm_u32 mode,
		  enum vmm_mmio_err want)
{
	CHECK_EQ(decode(bytes, n, mode), want);
}

static void test_args(void)
{
	static const vmm_u8 b[VMM_MMIO_MAX_LEN + 1U] = { 0x8B, 0x07 };
	struct vmm_mmio_insn out;

	memset(&out, 0x5A, sizeof(out));
	CHECK_EQ(vmm_mmio_decode(NULL, 2U, M64, &out), VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode(b, 2U, M64, NULL), VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode(NULL, 0U, M64, NULL), VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode(b, 16U, M64, &out), VMM_MMIO_ERR_AVAIL);
	CHECK_EQ(out.len, 0x5A5A5A5AU);
	CHECK_EQ(decode(b, 2U, 0U), VMM_MMIO_ERR_MODE);
	CHECK_EQ(decode(b, 2U, 8U), VMM_MMIO_ERR_MODE);
	CHECK_EQ(decode(b, 2U, 63U), VMM_MMIO_ERR_MODE);
	CHECK_EQ(decode(b, 2U, 65U), VMM_MMIO_ERR_MODE);
	CHECK_EQ(decode(b, 0U, M64), VMM_MMIO_ERR_TRUNCATED);
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_OK);
	CHECK_EQ(got.len, 2U);
}

/* Linux readb/readw/readl/readq and writes (arch/x86/include/asm/io.h). */
static void test_linux_accessors(void)
{
	/* readl: mov (%rdi),%eax */
	ok(BYTES(0x8B, 0x07), M64, reg_op(2, R, 4, 0, 0));
	/* writel: mov %eax,(%rdi) */
	ok(BYTES(0x89, 0x07), M64, reg_op(2, W, 4, 0, 0));
	/* readb / writeb */
	ok(BYTES(0x8A, 0x07), M64, reg_op(2, R, 1, 0, 0));
	ok(BYTES(0x88, 0x07), M64, reg_op(2, W, 1, 0, 0));
	/* readq / writeq */
	ok(BYTES(0x48, 0x8B, 0x07), M64, reg_op(3, R, 8, 0, 0));
	ok(BYTES(0x48, 0x89, 0x07), M64, reg_op(3, W, 8, 0, 0));
	/* readw / writew */
	ok(BYTES(0x66, 0x8B, 0x07), M64, reg_op(3, R, 2, 0, 0));
	ok(BYTES(0x66, 0x89, 0x07), M64, reg_op(3, W, 2, 0, 0));
	/* movl $0x12345678,(%rdi) */
	ok(BYTES(0xC7, 0x07, 0x78, 0x56, 0x34, 0x12), M64,
	   imm_op(6, 4, 0x12345678ULL));
	/* movzwl (%rdi),%eax ; movzbl (%rdi),%eax */
	ok(BYTES(0x0F, 0xB7, 0x07), M64, ext_op(3, 2, 0, ZERO, 4));
	ok(BYTES(0x0F, 0xB6, 0x07), M64, ext_op(3, 1, 0, ZERO, 4));
	/* mov %eax,0x0(%r13): REX.B, mod 1 rm 5 = disp8 */
	ok(BYTES(0x41, 0x89, 0x45, 0x00), M64, reg_op(4, W, 4, 0, 0));
	/* mov %r13d,0x10(%rax): REX.R */
	ok(BYTES(0x44, 0x89, 0x68, 0x10), M64, reg_op(4, W, 4, 13, 0));
	/* mov 0x8(%r12),%r15: REX.WRB, SIB, disp8 */
	ok(BYTES(0x4D, 0x8B, 0x7C, 0x24, 0x08), M64, reg_op(5, R, 8, 15, 0));
	/* mov %edx,0x100(%rbx,%rcx,4): SIB, disp32 */
	ok(BYTES(0x89, 0x94, 0x8B, 0x00, 0x01, 0x00, 0x00), M64,
	   reg_op(7, W, 4, 2, 0));
	/* mov 0x1000(%rip),%ecx */
	ok(BYTES(0x8B, 0x0D, 0x00, 0x10, 0x00, 0x00), M64,
	   reg_op(6, R, 4, 1, 0));
	/* mov %esi,0xfee000b0: SIB base 5 with mod 0 = disp32, no base */
	ok(BYTES(0x89, 0x34, 0x25, 0xB0, 0x00, 0xE0, 0xFE), M64,
	   reg_op(7, W, 4, 6, 0));
	/* mov (%rsp),%eax: SIB without displacement */
	ok(BYTES(0x8B, 0x04, 0x24), M64, reg_op(3, R, 4, 0, 0));
	/* mov %ebx,0x300(%rdi): mod 2 disp32 */
	ok(BYTES(0x89, 0x9F, 0x00, 0x03, 0x00, 0x00), M64,
	   reg_op(6, W, 4, 3, 0));
	/* mov %gs:(%rax),%eax: segment override ignored */
	ok(BYTES(0x65, 0x8B, 0x00), M64, reg_op(3, R, 4, 0, 0));
	ok(BYTES(0x64, 0x48, 0x89, 0x10), M64, reg_op(4, W, 8, 2, 0));
	/* 66 with REX.W: REX.W wins */
	ok(BYTES(0x66, 0x48, 0x8B, 0x07), M64, reg_op(4, R, 8, 0, 0));
	/* 67: 32-bit addressing in 64-bit mode, same ModRM rules */
	ok(BYTES(0x67, 0x8B, 0x44, 0x24, 0x04), M64, reg_op(5, R, 4, 0, 0));
	/* repeated prefixes are allowed, as on hardware */
	ok(BYTES(0x66, 0x66, 0x2E, 0x89, 0x07), M64, reg_op(5, W, 2, 0, 0));
}

static void test_byte_registers(void)
{
	/* mov %ah,(%rdi) ; mov (%rdi),%bh: high-byte registers */
	ok(BYTES(0x88, 0x27), M64, reg_op(2, W, 1, 4, 1));
	ok(BYTES(0x8A, 0x3F), M64, reg_op(2, R, 1, 7, 1));
	/* with any REX (even 40) they are SPL..DIL */
	ok(BYTES(0x40, 0x88, 0x27), M64, reg_op(3, W, 1, 4, 0));
	ok(BYTES(0x40, 0x8A, 0x3F), M64, reg_op(3, R, 1, 7, 0));
	/* mov %r12b,(%rdi) */
	ok(BYTES(0x44, 0x88, 0x27), M64, reg_op(3, W, 1, 12, 0));
	/* mov %dl,(%rdi): low byte register below 4 */
	ok(BYTES(0x88, 0x17), M64, reg_op(2, W, 1, 2, 0));
	/* REX.W has no effect on byte forms */
	ok(BYTES(0x48, 0x8A, 0x07), M64, reg_op(3, R, 1, 0, 0));
	/* 16-bit mode: mov [0x1000],ah */
	ok(BYTES(0x88, 0x26, 0x00, 0x10), M16, reg_op(4, W, 1, 4, 1));
}

static void test_immediates(void)
{
	/* movb $0x5a,(%rdi) ; movb $0xff,0x8(%rdi) */
	ok(BYTES(0xC6, 0x07, 0x5A), M64, imm_op(3, 1, 0x5AULL));
	ok(BYTES(0xC6, 0x47, 0x08, 0xFF), M64, imm_op(4, 1, 0xFFULL));
	/* movw $0x1234,(%rdi) */
	ok(BYTES(0x66, 0xC7, 0x07, 0x34, 0x12), M64, imm_op(5, 2, 0x1234ULL));
	/* movq $imm32: sign-extended to 64 bits */
	ok(BYTES(0x48, 0xC7, 0x07, 0x78, 0x56, 0x34, 0x12), M64,
	   imm_op(7, 8, 0x12345678ULL));
	ok(BYTES(0x48, 0xC7, 0x07, 0xFF, 0xFF, 0xFF, 0xFF), M64,
	   imm_op(7, 8, 0xFFFFFFFFFFFFFFFFULL));
	ok(BYTES(0x48, 0xC7, 0x07, 0x00, 0x00, 0x00, 0x80), M64,
	   imm_op(7, 8, 0xFFFFFFFF80000000ULL));
	ok(BYTES(0x48, 0xC7, 0x07, 0xFF, 0xFF, 0xFF, 0x7F), M64,
	   imm_op(7, 8, 0x7FFFFFFFULL));
	/* without REX.W no sign extension */
	ok(BYTES(0xC7, 0x07, 0x00, 0x00, 0x00, 0x80), M64,
	   imm_op(6, 4, 0x80000000ULL));
	/* movl $1,0x10(%rsp,%rax,8): SIB + disp8 + imm32 */
	ok(BYTES(0xC7, 0x44, 0xC4, 0x10, 0x01, 0x00, 0x00, 0x00), M64,
	   imm_op(8, 4, 1ULL));
	/* movl $0xdeadbeef,0x1000(%rip): disp32 + imm32 */
	ok(BYTES(0xC7, 0x05, 0x00, 0x10, 0x00, 0x00, 0xEF, 0xBE, 0xAD, 0xDE),
	   M64, imm_op(10, 4, 0xDEADBEEFULL));
	/* REX.R is ignored for the immediate forms (no register) */
	ok(BYTES(0x4C, 0xC7, 0x07, 0x02, 0x00, 0x00, 0x00), M64,
	   imm_op(7, 8, 2ULL));
}

static void test_extensions(void)
{
	/* movsbl, movswl, movzbw, movswq, movzbq */
	ok(BYTES(0x0F, 0xBE, 0x07), M64, ext_op(3, 1, 0, SIGN, 4));
	ok(BYTES(0x0F, 0xBF, 0x07), M64, ext_op(3, 2, 0, SIGN, 4));
	ok(BYTES(0x66, 0x0F, 0xB6, 0x07), M64, ext_op(4, 1, 0, ZERO, 2));
	ok(BYTES(0x48, 0x0F, 0xBF, 0x07), M64, ext_op(4, 2, 0, SIGN, 8));
	ok(BYTES(0x4C, 0x0F, 0xB6, 0x47, 0x08), M64,
	   ext_op(5, 1, 8, ZERO, 8));
	/* 16-bit mode: movzx ax,byte [bx] ; with 66: movzx eax */
	ok(BYTES(0x0F, 0xB6, 0x07), M16, ext_op(3, 1, 0, ZERO, 2));
	ok(BYTES(0x66, 0x0F, 0xB7, 0x07), M16, ext_op(4, 2, 0, ZERO, 4));
}

static void test_moffs(void)
{
	/* 64-bit: moffs64 */
	ok(BYTES(0xA1, 0x00, 0x00, 0xE0, 0xFE, 0x00, 0x00, 0x00, 0x00), M64,
	   reg_op(9, R, 4, 0, 0));
	ok(BYTES(0x48, 0xA3, 0x00, 0x00, 0xE0, 0xFE, 0x00, 0x00, 0x00, 0x00),
	   M64, reg_op(10, W, 8, 0, 0));
	ok(BYTES(0xA0, 1, 2, 3, 4, 5, 6, 7, 8), M64, reg_op(9, R, 1, 0, 0));
	ok(BYTES(0xA2, 1, 2, 3, 4, 5, 6, 7, 8), M64, reg_op(9, W, 1, 0, 0));
	/* 67 in 64-bit mode: moffs32 */
	ok(BYTES(0x67, 0xA1, 0x00, 0x00, 0xE0, 0xFE), M64,
	   reg_op(6, R, 4, 0, 0));
	/* REX.R does not change the accumulator, no high byte */
	ok(BYTES(0x44, 0xA0, 1, 2, 3, 4, 5, 6, 7, 8), M64,
	   reg_op(10, R, 1, 0, 0));
	/* 32-bit: moffs32, 66 = 16-bit operand */
	ok(BYTES(0xA1, 0x00, 0x00, 0xE0, 0xFE), M32, reg_op(5, R, 4, 0, 0));
	ok(BYTES(0x66, 0xA3, 0x00, 0x00, 0xE0, 0xFE), M32,
	   reg_op(6, W, 2, 0, 0));
	/* 32-bit with 67: moffs16 */
	ok(BYTES(0x67, 0xA1, 0x00, 0x10), M32, reg_op(4, R, 4, 0, 0));
	/* 16-bit: moffs16, AX */
	ok(BYTES(0xA1, 0x34, 0x12), M16, reg_op(3, R, 2, 0, 0));
	ok(BYTES(0x66, 0x67, 0xA3, 0x00, 0x00, 0x0B, 0x00), M16,
	   reg_op(7, W, 4, 0, 0));
}

static void test_mode16(void)
{
	/* mov ax,[bx] ; mov [bx],ax */
	ok(BYTES(0x8B, 0x07), M16, reg_op(2, R, 2, 0, 0));
	ok(BYTES(0x89, 0x07), M16, reg_op(2, W, 2, 0, 0));
	/* 66: eax */
	ok(BYTES(0x66, 0x8B, 0x07), M16, reg_op(3, R, 4, 0, 0));
	/* mov dx,[0x1234]: mod 0 rm 6 = disp16 */
	ok(BYTES(0x8B, 0x16, 0x34, 0x12), M16, reg_op(4, R, 2, 2, 0));
	/* mov [bx+0x10],cx: disp8 ; mov si,[bx+0x1234]: disp16 */
	ok(BYTES(0x89, 0x4F, 0x10), M16, reg_op(3, W, 2, 1, 0));
	ok(BYTES(0x8B, 0xB7, 0x34, 0x12), M16, reg_op(4, R, 2, 6, 0));
	/* rm 4 in 16-bit addressing is [si]: no SIB */
	ok(BYTES(0x8B, 0x04), M16, reg_op(2, R, 2, 0, 0));
	/* mod 0 rm 5 in 16-bit addressing is [di]: no disp */
	ok(BYTES(0x8B, 0x05), M16, reg_op(2, R, 2, 0, 0));
	/* es: mov byte [di],0x41 ; mov word [0x20],0x1234 */
	ok(BYTES(0x26, 0xC6, 0x05, 0x41), M16, imm_op(4, 1, 0x41ULL));
	ok(BYTES(0xC7, 0x06, 0x20, 0x00, 0x34, 0x12), M16,
	   imm_op(6, 2, 0x1234ULL));
	/* 66 c7: imm32 */
	ok(BYTES(0x66, 0xC7, 0x07, 0x78, 0x56, 0x34, 0x12), M16,
	   imm_op(7, 4, 0x12345678ULL));
	/* 67: 32-bit addressing, SIB + disp32 */
	ok(BYTES(0x67, 0x8B, 0x04, 0x25, 0x00, 0x00, 0x0B, 0x00), M16,
	   reg_op(8, R, 2, 0, 0));
	/* 40-4F is INC/DEC outside 64-bit mode */
	fails(BYTES(0x48, 0x8B, 0x07), M16, VMM_MMIO_ERR_OPCODE);
}

static void test_mode32(void)
{
	ok(BYTES(0x8B, 0x07), M32, reg_op(2, R, 4, 0, 0));
	ok(BYTES(0x66, 0x89, 0x07), M32, reg_op(3, W, 2, 0, 0));
	ok(BYTES(0x8B, 0x04, 0x24), M32, reg_op(3, R, 4, 0, 0));
	/* mod 0 rm 5 is [disp32] (no RIP outside 64-bit mode) */
	ok(BYTES(0x89, 0x15, 0x00, 0x00, 0xE0, 0xFE), M32,
	   reg_op(6, W, 4, 2, 0));
	/* 67: 16-bit addressing, mod 0 rm 6 disp16 */
	ok(BYTES(0x67, 0x8B, 0x06, 0x34, 0x12), M32, reg_op(5, R, 4, 0, 0));
	ok(BYTES(0x67, 0x8B, 0x04), M32, reg_op(3, R, 4, 0, 0));
	fails(BYTES(0x41, 0x89, 0x07), M32, VMM_MMIO_ERR_OPCODE);
	fails(BYTES(0x4F, 0x89, 0x07), M32, VMM_MMIO_ERR_OPCODE);
}

static void test_rejected_prefixes(void)
{
	fails(BYTES(0xF0, 0x89, 0x07), M64, VMM_MMIO_ERR_LOCK);
	fails(BYTES(0x66, 0xF0, 0x89, 0x07), M64, VMM_MMIO_ERR_LOCK);
	fails(BYTES(0xF0), M64, VMM_MMIO_ERR_LOCK);
	fails(BYTES(0xF2, 0x89, 0x07), M64, VMM_MMIO_ERR_REP);
	fails(BYTES(0xF3, 0x89, 0x07), M64, VMM_MMIO_ERR_REP);
	fails(BYTES(0x65, 0xF3, 0xA5), M32, VMM_MMIO_ERR_REP);
	/* REX must be the last prefix */
	fails(BYTES(0x48, 0x66, 0x89, 0x07), M64,
	      VMM_MMIO_ERR_REX_POSITION);
	fails(BYTES(0x48, 0x48, 0x89, 0x07), M64,
	      VMM_MMIO_ERR_REX_POSITION);
	fails(BYTES(0x41, 0x65, 0x89, 0x07), M64,
	      VMM_MMIO_ERR_REX_POSITION);
	fails(BYTES(0x48, 0xF0, 0x89, 0x07), M64,
	      VMM_MMIO_ERR_REX_POSITION);
	fails(BYTES(0x48, 0xF3, 0x89, 0x07), M64,
	      VMM_MMIO_ERR_REX_POSITION);
}

static void test_rejected_opcodes(void)
{
	fails(BYTES(0x90), M64, VMM_MMIO_ERR_OPCODE);         /* nop */
	fails(BYTES(0x8D, 0x07), M64, VMM_MMIO_ERR_OPCODE);   /* lea */
	fails(BYTES(0x8C, 0x07), M64, VMM_MMIO_ERR_OPCODE);   /* mov r/m,sreg */
	fails(BYTES(0x8E, 0x07), M64, VMM_MMIO_ERR_OPCODE);   /* mov sreg */
	fails(BYTES(0x87, 0x07), M64, VMM_MMIO_ERR_OPCODE);   /* xchg */
	fails(BYTES(0x01, 0x07), M64, VMM_MMIO_ERR_OPCODE);   /* add */
	fails(BYTES(0xA4), M64, VMM_MMIO_ERR_OPCODE);         /* movsb */
	fails(BYTES(0xA5), M64, VMM_MMIO_ERR_OPCODE);         /* movs */
	fails(BYTES(0xC8, 0, 0, 0), M64, VMM_MMIO_ERR_OPCODE); /* enter */
	fails(BYTES(0xB8, 1, 0, 0, 0), M64, VMM_MMIO_ERR_OPCODE);
	fails(BYTES(0x0F, 0x05), M64, VMM_MMIO_ERR_OPCODE);   /* syscall */
	fails(BYTES(0x0F, 0xB8, 0x07), M64, VMM_MMIO_ERR_OPCODE); /* popcnt */
	fails(BYTES(0x0F, 0xB5, 0x07), M64, VMM_MMIO_ERR_OPCODE); /* lgs */
	fails(BYTES(0x0F, 0xC0, 0x07), M64, VMM_MMIO_ERR_OPCODE); /* xadd */
	fails(BYTES(0x0F, 0x0F, 0x07, 0x00), M64, VMM_MMIO_ERR_OPCODE);
	fails(BYTES(0xC5, 0xF8, 0x10, 0x07), M64, VMM_MMIO_ERR_OPCODE); /* VEX */
	fails(BYTES(0x62, 0xF1, 0x7C, 0x48, 0x10, 0x07), M64,
	      VMM_MMIO_ERR_OPCODE);                             /* EVEX */
	fails(BYTES(0x66, 0x90), M16, VMM_MMIO_ERR_OPCODE);
}

static void test_rejected_modrm(void)
{
	/* register operands cannot be MMIO */
	fails(BYTES(0x89, 0xC0), M64, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0x8A, 0xE0), M16, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0x48, 0x8B, 0xC1), M64, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0x0F, 0xB6, 0xC0), M64, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0xC6, 0xC0, 0x01), M64, VMM_MMIO_ERR_REG_OPERAND);
	/* XABORT (C6 F8 ib), XBEGIN (C7 F8 rel32): mod 3 */
	fails(BYTES(0xC6, 0xF8, 0x00), M64, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0xC7, 0xF8, 0, 0, 0, 0), M64, VMM_MMIO_ERR_REG_OPERAND);
	/* C6/C7 need /0 */
	fails(BYTES(0xC6, 0x0F, 0x01), M64, VMM_MMIO_ERR_MODRM_REG);
	fails(BYTES(0xC7, 0x7F, 0x08, 0, 0, 0, 0), M64,
	      VMM_MMIO_ERR_MODRM_REG);
	/* the ModRM check needs only the ModRM byte */
	fails(BYTES(0x89, 0xC0), M64, VMM_MMIO_ERR_REG_OPERAND);
	fails(BYTES(0xC7, 0x4F), M64, VMM_MMIO_ERR_MODRM_REG);
}

static void test_length_limit(void)
{
	vmm_u8 b[VMM_MMIO_MAX_LEN];
	unsigned int k;

	/* 13 prefixes + 8B 07 = 15 bytes: accepted */
	memset(b, 0x66, sizeof(b));
	b[13] = 0x8B;
	b[14] = 0x07;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_OK);
	CHECK_EQ(got.len, 15U);
	CHECK_EQ(got.size, 2U);
	for (k = 0U; k < 15U; k++)
		CHECK_EQ(decode(b, k, M64), VMM_MMIO_ERR_TRUNCATED);

	/* 14 prefixes + 89: the ModRM would be byte 16 */
	memset(b, 0x3E, sizeof(b));
	b[14] = 0x89;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 14U, M64), VMM_MMIO_ERR_TRUNCATED);

	/* 15 prefixes: the opcode would be byte 16 */
	memset(b, 0x66, sizeof(b));
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 14U, M64), VMM_MMIO_ERR_TRUNCATED);

	/* 14 prefixes + REX: the opcode would be byte 16 */
	b[14] = 0x48;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);

	/* 13 prefixes + 0F: the second opcode byte would be byte 15 */
	memset(b, 0x66, sizeof(b));
	b[13] = 0x0F;
	b[14] = 0xB6;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	b[12] = 0x0F;
	b[13] = 0xB6;
	b[14] = 0x07;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_OK);
	CHECK_EQ(got.len, 15U);
	b[12] = 0x66;
	b[13] = 0x66;
	b[14] = 0x0F;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);

	/* 13 prefixes + 8B 04: the SIB would be byte 16 */
	memset(b, 0x66, sizeof(b));
	b[13] = 0x8B;
	b[14] = 0x04;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 14U, M64), VMM_MMIO_ERR_TRUNCATED);

	/* 9 prefixes + C7 07 imm32 = 15 bytes: accepted */
	memset(b, 0x66, sizeof(b));
	b[9] = 0xC7;
	b[10] = 0x07;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_OK); /* 66: imm16, len 13 */
	CHECK_EQ(got.len, 13U);
	memset(b, 0x2E, sizeof(b));
	b[9] = 0xC7;
	b[10] = 0x07;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_OK);
	CHECK_EQ(got.len, 15U);
	CHECK_EQ(got.imm, 0x2E2E2E2EULL);
	/* 10 prefixes + C7 07 imm32 = 16 bytes: known too long */
	memset(b, 0x2E, sizeof(b));
	b[10] = 0xC7;
	b[11] = 0x07;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 12U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 11U, M64), VMM_MMIO_ERR_TRUNCATED);

	/* 6 prefixes + 48 A1 moffs64 = 16 bytes */
	memset(b, 0x65, sizeof(b));
	b[6] = 0x48;
	b[7] = 0xA1;
	CHECK_EQ(decode(b, 15U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 8U, M64), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(decode(b, 7U, M64), VMM_MMIO_ERR_TRUNCATED);
}

/* A truncated prefix of a rejected instruction reports the first problem
 * met: an early LOCK is reported, a late one needs the bytes first. */
static void test_error_order(void)
{
	fails(BYTES(0xF0, 0x89), M64, VMM_MMIO_ERR_LOCK);
	CHECK_EQ(decode((const vmm_u8[]){ 0x66, 0xF0 }, 1U, M64),
		 VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x48), M64, VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x0F), M64, VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x48, 0x0F), M64, VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x89), M64, VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x89, 0x04), M64, VMM_MMIO_ERR_TRUNCATED);
	fails(BYTES(0x89, 0x80, 0x00), M64, VMM_MMIO_ERR_TRUNCATED);
	/* the opcode is rejected before the ModRM is needed */
	fails(BYTES(0x8D), M64, VMM_MMIO_ERR_OPCODE);
	fails(BYTES(0x0F, 0xB8), M64, VMM_MMIO_ERR_OPCODE);
}

/* ---- vmm_mmio_decode_string_io(): INS/OUTS against their exit. ---- */

#define ES 0U
#define CS 1U
#define SS 2U
#define DS 3U
#define FS 4U
#define GS 5U

static struct vmm_mmio_string_io sgot;

/* The I/O event layer 4 gives for a string exit (addr_bits 0: not
 * reported; seg_valid 0: no segment reported). */
static struct vmm_exit_io ev_io(vmm_u8 in, vmm_u8 size, vmm_u8 rep,
				vmm_u8 addr_bits, vmm_u8 seg_valid, vmm_u8 seg)
{
	struct vmm_exit_io io = { 0x3F0U, size, in, 1U, rep, addr_bits,
				  seg_valid, seg };

	return io;
}

/* OUTS / INS as QEMU's TCG reports them: no address size, no segment. */
static struct vmm_exit_io outs(vmm_u8 size, vmm_u8 rep)
{
	return ev_io(0U, size, rep, 0U, 0U, 0U);
}

static struct vmm_exit_io ins(vmm_u8 size, vmm_u8 rep)
{
	return ev_io(1U, size, rep, 0U, 0U, 0U);
}

/* Decode the first @avail of @bytes from an exact-size heap copy (ASan
 * sees any read past it); a failure must leave the output unchanged. */
static enum vmm_mmio_err sdecode(const vmm_u8 *bytes, unsigned int avail,
				 vmm_u32 mode, struct vmm_exit_io io)
{
	vmm_u8 *copy = malloc(avail != 0U ? avail : 1U);
	struct vmm_mmio_string_io before;
	enum vmm_mmio_err err;

	if (copy == NULL)
		abort();
	memcpy(copy, bytes, avail);
	memset(&sgot, 0xA5, sizeof(sgot));
	before = sgot;
	err = vmm_mmio_decode_string_io(copy, avail, mode, &io, &sgot);
	if (err != VMM_MMIO_OK)
		CHECK(memcmp(&before, &sgot, sizeof(sgot)) == 0);
	free(copy);
	return err;
}

struct swant {
	vmm_u32 npfx, in, size, rep, addr_bits, seg, rex;
};

/*
 * @bytes (n: prefixes and opcode) decode to @w against @io; every shorter
 * fetch is TRUNCATED; followed by other bytes (up to 15) the same.
 */
static void sok(const vmm_u8 *bytes, unsigned int n, vmm_u32 mode,
		struct vmm_exit_io io, struct swant w)
{
	vmm_u8 padded[VMM_MMIO_MAX_LEN];
	unsigned int k;

	CHECK_EQ(n, w.npfx + 1U);
	CHECK_EQ(sdecode(bytes, n, mode, io), VMM_MMIO_OK);
	CHECK_EQ(sgot.len, n);
	CHECK_EQ(sgot.npfx, w.npfx);
	CHECK_EQ(sgot.in, w.in);
	CHECK_EQ(sgot.size, w.size);
	CHECK_EQ(sgot.rep, w.rep);
	CHECK_EQ(sgot.addr_bits, w.addr_bits);
	CHECK_EQ(sgot.seg, w.seg);
	CHECK_EQ(sgot.rex, w.rex);
	for (k = 0U; k < n; k++)
		CHECK_EQ(sdecode(bytes, k, mode, io), VMM_MMIO_ERR_TRUNCATED);
	memset(padded, 0x6E, sizeof(padded));
	memcpy(padded, bytes, n);
	CHECK_EQ(sdecode(padded, VMM_MMIO_MAX_LEN, mode, io), VMM_MMIO_OK);
	CHECK_EQ(sgot.len, n);
	CHECK_EQ(sgot.addr_bits, w.addr_bits);
	CHECK_EQ(sgot.seg, w.seg);
}

static void sfails(const vmm_u8 *bytes, unsigned int n, vmm_u32 mode,
		   struct vmm_exit_io io, enum vmm_mmio_err want)
{
	CHECK_EQ(sdecode(bytes, n, mode, io), want);
}

static struct swant sw(vmm_u32 npfx, vmm_u32 in, vmm_u32 size, vmm_u32 rep,
		       vmm_u32 addr_bits, vmm_u32 seg, vmm_u32 rex)
{
	struct swant w = { npfx, in, size, rep, addr_bits, seg, rex };

	return w;
}

static void test_sio_args(void)
{
	static const vmm_u8 b[VMM_MMIO_MAX_LEN + 1U] = { 0x6E };
	struct vmm_exit_io io = outs(1U, 0U);
	struct vmm_mmio_string_io out;

	memset(&out, 0x5A, sizeof(out));
	CHECK_EQ(vmm_mmio_decode_string_io(NULL, 1U, M64, &io, &out),
		 VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode_string_io(b, 1U, M64, NULL, &out),
		 VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode_string_io(b, 1U, M64, &io, NULL),
		 VMM_MMIO_ERR_NULL);
	CHECK_EQ(vmm_mmio_decode_string_io(b, 16U, M64, &io, &out),
		 VMM_MMIO_ERR_AVAIL);
	CHECK_EQ(out.len, 0x5A5A5A5AU);
	sfails(b, 1U, 0U, io, VMM_MMIO_ERR_MODE);
	sfails(b, 1U, 63U, io, VMM_MMIO_ERR_MODE);
	/* Not a string I/O event, or one with fields out of range: refused
	 * before the bytes are looked at (even none). */
	io.string = 0U;
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	sfails(b, 0U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = outs(3U, 0U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = outs(1U, 2U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = ev_io(2U, 1U, 0U, 0U, 0U, 0U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = ev_io(0U, 1U, 0U, 8U, 0U, 0U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = ev_io(0U, 1U, 0U, 0U, 2U, 0U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	io = ev_io(0U, 1U, 0U, 0U, 1U, 6U);
	sfails(b, 1U, M64, io, VMM_MMIO_ERR_IO_EVENT);
	/* INS always uses ES: an event saying otherwise is not layer 4's. */
	io = ev_io(1U, 1U, 0U, 0U, 1U, FS);
	sfails(BYTES(0x6C), M64, io, VMM_MMIO_ERR_IO_EVENT);
	sok(BYTES(0x6E), M64, outs(1U, 0U), sw(0U, 0U, 1U, 0U, 64U, DS, 0U));
}

/* 67 in each mode (SDM vol. 1 table 3-4), exit reporting no size. */
static void test_sio_addr_size(void)
{
	sok(BYTES(0x6E), M16, outs(1U, 0U), sw(0U, 0U, 1U, 0U, 16U, DS, 0U));
	sok(BYTES(0x67, 0x6E), M16, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
	sok(BYTES(0x6E), M32, outs(1U, 0U), sw(0U, 0U, 1U, 0U, 32U, DS, 0U));
	sok(BYTES(0x67, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 16U, DS, 0U));
	sok(BYTES(0x6E), M64, outs(1U, 0U), sw(0U, 0U, 1U, 0U, 64U, DS, 0U));
	sok(BYTES(0x67, 0x6E), M64, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
	/* Two 67s are one: no toggling back. */
	sok(BYTES(0x67, 0x67, 0x6C), M64, ins(1U, 0U),
	    sw(2U, 1U, 1U, 0U, 32U, ES, 0U));
	sok(BYTES(0x67, 0x67, 0x6C), M32, ins(1U, 0U),
	    sw(2U, 1U, 1U, 0U, 16U, ES, 0U));
	/* 67 anywhere in the run, among other prefixes. */
	sok(BYTES(0xF3, 0x67, 0x66, 0x6D), M16, ins(4U, 1U),
	    sw(3U, 1U, 4U, 1U, 32U, ES, 0U));
	/* Element sizes: 66 toggles 16 <-> 32. */
	sok(BYTES(0x6F), M16, outs(2U, 0U), sw(0U, 0U, 2U, 0U, 16U, DS, 0U));
	sok(BYTES(0x66, 0x6F), M16, outs(4U, 0U),
	    sw(1U, 0U, 4U, 0U, 16U, DS, 0U));
	sok(BYTES(0x6F), M32, outs(4U, 0U), sw(0U, 0U, 4U, 0U, 32U, DS, 0U));
	sok(BYTES(0x66, 0x6D), M64, ins(2U, 0U),
	    sw(1U, 1U, 2U, 0U, 64U, ES, 0U));
	/* 66 does not change a byte form. */
	sok(BYTES(0x66, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
}

/* The rule that combines the bytes with the exit's report. */
static void test_sio_against_exit(void)
{
	/* The exit reports the size (VMX instruction information, SVM's
	 * A field): the bytes agree, or it is a mismatch. */
	sok(BYTES(0x67, 0x6E), M64, ev_io(0U, 1U, 0U, 32U, 0U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
	sfails(BYTES(0x67, 0x6E), M64, ev_io(0U, 1U, 0U, 64U, 0U, 0U),
	       VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0x6E), M16, ev_io(0U, 1U, 0U, 32U, 0U, 0U),
	       VMM_MMIO_ERR_IO_MISMATCH);
	sok(BYTES(0x67, 0x6E), M16, ev_io(0U, 1U, 0U, 32U, 0U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
	/* Direction, element size and REP must always agree. */
	sfails(BYTES(0x6C), M64, outs(1U, 0U), VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0x6E), M64, ins(1U, 0U), VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0x6F), M32, outs(2U, 0U), VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0x6E), M32, outs(2U, 0U), VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0xF3, 0x6E), M32, outs(1U, 0U),
	       VMM_MMIO_ERR_IO_MISMATCH);
	sfails(BYTES(0x6E), M32, outs(1U, 1U), VMM_MMIO_ERR_IO_MISMATCH);
	/* F2 repeats INS/OUTS as F3 does. */
	sok(BYTES(0xF2, 0x6E), M32, outs(1U, 1U),
	    sw(1U, 0U, 1U, 1U, 32U, DS, 0U));
	/* The exit's segment wins for OUTS (the CPU's own decode)... */
	sok(BYTES(0x6E), M64, ev_io(0U, 1U, 0U, 64U, 1U, FS),
	    sw(0U, 0U, 1U, 0U, 64U, FS, 0U));
	sok(BYTES(0x64, 0x2E, 0x6E), M64, ev_io(0U, 1U, 0U, 64U, 1U, CS),
	    sw(2U, 0U, 1U, 0U, 64U, CS, 0U));
	/* ...and INS is ES whatever the prefixes say. */
	sok(BYTES(0x64, 0x6C), M64, ev_io(1U, 1U, 0U, 64U, 1U, ES),
	    sw(1U, 1U, 1U, 0U, 64U, ES, 0U));
}

/* Segment overrides for OUTS: the last one wins; 64-bit mode only FS, GS. */
static void test_sio_segments(void)
{
	sok(BYTES(0x26, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, ES, 0U));
	sok(BYTES(0x2E, 0x6E), M16, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 16U, CS, 0U));
	sok(BYTES(0x36, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, SS, 0U));
	sok(BYTES(0x3E, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, DS, 0U));
	sok(BYTES(0x64, 0x6E), M32, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 32U, FS, 0U));
	sok(BYTES(0x65, 0x6E), M16, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 16U, GS, 0U));
	sok(BYTES(0x65, 0x2E, 0x6E), M32, outs(1U, 0U),
	    sw(2U, 0U, 1U, 0U, 32U, CS, 0U));
	sok(BYTES(0x2E, 0xF3, 0x65, 0x67, 0x6E), M32, outs(1U, 1U),
	    sw(4U, 0U, 1U, 1U, 16U, GS, 0U));
	/* 64-bit mode: ES, CS, SS, DS overrides are ignored. */
	sok(BYTES(0x2E, 0x6E), M64, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 64U, DS, 0U));
	sok(BYTES(0x64, 0x2E, 0x6E), M64, outs(1U, 0U),
	    sw(2U, 0U, 1U, 0U, 64U, FS, 0U));
	sok(BYTES(0x64, 0x36, 0x65, 0x26, 0x6E), M64, outs(1U, 0U),
	    sw(4U, 0U, 1U, 0U, 64U, GS, 0U));
	/* INS: ES, never overridden. */
	sok(BYTES(0x64, 0x6C), M32, ins(1U, 0U),
	    sw(1U, 1U, 1U, 0U, 32U, ES, 0U));
	sok(BYTES(0x2E, 0x6D), M16, ins(2U, 0U),
	    sw(1U, 1U, 2U, 0U, 16U, ES, 0U));
}

/* REX: 64-bit mode only, counts only right before the opcode. */
static void test_sio_rex(void)
{
	sok(BYTES(0x48, 0x6E), M64, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 64U, DS, 0x48U));
	/* REX.W does not promote INS/OUTS to 8 bytes. */
	sok(BYTES(0x48, 0x6F), M64, outs(4U, 0U),
	    sw(1U, 0U, 4U, 0U, 64U, DS, 0x48U));
	sok(BYTES(0x66, 0x48, 0x6D), M64, ins(2U, 0U),
	    sw(2U, 1U, 2U, 0U, 64U, ES, 0x48U));
	/* A REX followed by a prefix is ignored; the prefixes go on. */
	sok(BYTES(0x48, 0x67, 0x6E), M64, outs(1U, 0U),
	    sw(2U, 0U, 1U, 0U, 32U, DS, 0U));
	sok(BYTES(0x67, 0x41, 0x6E), M64, outs(1U, 0U),
	    sw(2U, 0U, 1U, 0U, 32U, DS, 0x41U));
	sok(BYTES(0x40, 0x65, 0x4F, 0x6C), M64, ins(1U, 0U),
	    sw(3U, 1U, 1U, 0U, 64U, ES, 0x4FU));
	sok(BYTES(0x4F, 0x65, 0x6E), M64, outs(1U, 0U),
	    sw(2U, 0U, 1U, 0U, 64U, GS, 0U));
	/* 16/32-bit mode: 40-4F are INC/DEC, the opcode, not a prefix. */
	sfails(BYTES(0x48, 0x6E), M32, outs(1U, 0U),
	       VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0x67, 0x40, 0x6C), M16, ins(1U, 0U),
	       VMM_MMIO_ERR_NOT_STRING_IO);
}

/* Not INS/OUTS: another opcode after the run, or a byte that is no
 * prefix ending the run early. */
static void test_sio_not_string(void)
{
	sfails(BYTES(0x90), M64, outs(1U, 0U), VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0xEE), M64, outs(1U, 0U), VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0xEC), M32, ins(1U, 0U), VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0x6B), M32, ins(1U, 0U), VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0x70), M32, outs(1U, 0U), VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0x0F, 0x6E), M64, outs(1U, 0U),
	       VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0x64, 0x90, 0x6E), M64, outs(1U, 0U),
	       VMM_MMIO_ERR_NOT_STRING_IO);
	sfails(BYTES(0xC5, 0xF9, 0x6E), M64, outs(1U, 0U),
	       VMM_MMIO_ERR_NOT_STRING_IO);
	/* LOCK is a prefix here (the CPU raised no #UD, the exit says so). */
	sok(BYTES(0xF0, 0x6E), M64, outs(1U, 0U),
	    sw(1U, 0U, 1U, 0U, 64U, DS, 0U));
}

/* At most 15 bytes: 14 prefixes and the opcode. */
static void test_sio_length(void)
{
	vmm_u8 b[VMM_MMIO_MAX_LEN];
	unsigned int k;

	memset(b, 0x64, sizeof(b));
	b[14] = 0x6E;
	CHECK_EQ(sdecode(b, 15U, M64, outs(1U, 0U)), VMM_MMIO_OK);
	CHECK_EQ(sgot.len, 15U);
	CHECK_EQ(sgot.npfx, 14U);
	CHECK_EQ(sgot.seg, FS);
	for (k = 0U; k < 15U; k++)
		CHECK_EQ(sdecode(b, k, M64, outs(1U, 0U)),
			 VMM_MMIO_ERR_TRUNCATED);
	/* 15 prefixes: the opcode would be byte 16. */
	b[14] = 0x67;
	CHECK_EQ(sdecode(b, 15U, M64, outs(1U, 0U)), VMM_MMIO_ERR_TOO_LONG);
	CHECK_EQ(sdecode(b, 14U, M64, outs(1U, 0U)),
		 VMM_MMIO_ERR_TRUNCATED);
	b[14] = 0x48;
	CHECK_EQ(sdecode(b, 15U, M64, outs(1U, 0U)), VMM_MMIO_ERR_TOO_LONG);
	/* In 32-bit mode that 48 is the opcode: not a string I/O. */
	CHECK_EQ(sdecode(b, 15U, M32, outs(1U, 0U)),
		 VMM_MMIO_ERR_NOT_STRING_IO);
	/* A fetch of more than 15 bytes is refused. */
	CHECK_EQ(vmm_mmio_decode_string_io(b, 16U, M64,
					   &(struct vmm_exit_io){ 0 }, &sgot),
		 VMM_MMIO_ERR_AVAIL);
	/* Bytes after the opcode are not read and change nothing. */
	memset(b, 0xFF, sizeof(b));
	b[0] = 0xF3;
	b[1] = 0x6D;
	CHECK_EQ(sdecode(b, 15U, M32, ins(4U, 1U)), VMM_MMIO_OK);
	CHECK_EQ(sgot.len, 2U);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_args),
	TAP_CASE(test_linux_accessors),
	TAP_CASE(test_byte_registers),
	TAP_CASE(test_immediates),
	TAP_CASE(test_extensions),
	TAP_CASE(test_moffs),
	TAP_CASE(test_mode16),
	TAP_CASE(test_mode32),
	TAP_CASE(test_rejected_prefixes),
	TAP_CASE(test_rejected_opcodes),
	TAP_CASE(test_rejected_modrm),
	TAP_CASE(test_length_limit),
	TAP_CASE(test_error_order),
	TAP_CASE(test_sio_args),
	TAP_CASE(test_sio_addr_size),
	TAP_CASE(test_sio_against_exit),
	TAP_CASE(test_sio_segments),
	TAP_CASE(test_sio_rex),
	TAP_CASE(test_sio_not_string),
	TAP_CASE(test_sio_length),
};

int main(void)
{
	return tap_run("mmio", cases, TAP_COUNT(cases));
}
