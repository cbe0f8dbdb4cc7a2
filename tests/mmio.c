// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmio DEVICE: guest loads and stores that KVM_RUN hands to userspace as
 * KVM_EXIT_MMIO, in real mode, protected mode without paging, with 32-bit
 * paging and with PAE, and in long mode (tests/lib/mode.h).
 *
 * Each case is one instruction and a HLT. Its memory operand names either
 * a guest-physical address with no memory slot (MMIO_GPA) or a read-only
 * slot (ROM_GPA). The host checks what the exit reports (phys_addr, len,
 * is_write, data), answers a read, and after the HLT checks with
 * KVM_GET_REGS the register the guest loaded and where RIP went. A read of
 * the read-only slot must not exit at all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ksft.h"
#include "lib/mode.h"
#include "lib/vm.h"

#define MEM_SIZE 0x40000UL
#define CODE 0x10000UL
/* One 64 KiB real-mode segment holds both targets: DS = 0xd000 there. */
#define SEG_BASE 0xd0000UL
#define MMIO_GPA 0xd0010UL	/* no slot */
#define ROM_GPA 0xd8000UL	/* slot 1, KVM_MEM_READONLY */
#define ROM_SIZE 0x1000UL

#define REG_RAX 0
#define REG_RCX 1
#define REG_RDX 2
#define REG_AH 4	/* in 8-bit forms without REX */

#define RAX_INIT 0x0123456789abcdefULL
#define RCX_INIT 0x8877665544332211ULL
#define RDX_INIT 0x1122334455667788ULL
/* What the host answers a read with (little-endian, size bytes). */
#define READ_DATA 0xf7e6d5c4b3a29180ULL

enum kind {
	K_WRITE,	/* MOV [m], reg: 88/89 */
	K_WRITE_AH,	/* MOV [m], AH: 88 /4 */
	K_WRITE_IMM,	/* MOV [m], imm: C6/C7 /0 */
	K_WRITE_MOFFS,	/* MOV moffs, eAX: A2/A3 */
	K_READ,		/* MOV reg, [m]: 8A/8B */
	K_READ_AH,	/* MOV AH, [m]: 8A /4 */
	K_READ_MOFFS,	/* MOV eAX, moffs: A0/A1 */
	K_MOVZX,	/* MOVZX r32, [m]: 0F B6/B7 */
	K_MOVSX,	/* MOVSX r32, [m]: 0F BE/BF */
	K_MOVSX_Q,	/* MOVSX r64, [m] (long mode) */
	K_ROM_WRITE,	/* MOV [rom], reg: exits as MMIO */
	K_ROM_READ,	/* MOV reg, [rom]: no exit */
};

struct mcase {
	enum kind kind;
	int size;	/* bytes accessed */
	const char *name;
	int alias;	/* run the code through TEST_MODE_ALIAS (paging) */
};

static const struct mcase cases[] = {
	{ K_WRITE, 1, "write-1", 0 },
	{ K_WRITE, 2, "write-2", 0 },
	{ K_WRITE, 4, "write-4", 0 },
	{ K_WRITE, 8, "write-8", 0 },
	{ K_WRITE_AH, 1, "write-ah", 0 },
	{ K_WRITE_IMM, 1, "write-imm-1", 0 },
	{ K_WRITE_IMM, 2, "write-imm-2", 0 },
	{ K_WRITE_IMM, 4, "write-imm-4", 0 },
	{ K_WRITE_IMM, 8, "write-imm-8", 0 },
	{ K_WRITE_MOFFS, 4, "write-moffs-4", 0 },
	{ K_READ, 1, "read-1", 0 },
	{ K_READ, 2, "read-2", 0 },
	{ K_READ, 4, "read-4", 0 },
	{ K_READ, 8, "read-8", 0 },
	{ K_READ_AH, 1, "read-ah", 0 },
	{ K_READ_MOFFS, 2, "read-moffs-2", 0 },
	{ K_MOVZX, 1, "movzx-1", 0 },
	{ K_MOVZX, 2, "movzx-2", 0 },
	{ K_MOVSX, 1, "movsx-1", 0 },
	{ K_MOVSX, 2, "movsx-2", 0 },
	{ K_MOVSX_Q, 1, "movsx-1-q", 0 },
	{ K_ROM_WRITE, 1, "rom-write-1", 0 },
	{ K_ROM_WRITE, 2, "rom-write-2", 0 },
	{ K_ROM_WRITE, 4, "rom-write-4", 0 },
	{ K_ROM_WRITE, 8, "rom-write-8", 0 },
	{ K_ROM_READ, 4, "rom-read-4", 0 },
	/* The instruction fetch must walk the guest's tables. */
	{ K_WRITE, 4, "write-4-alias-code", 1 },
	{ K_READ, 2, "read-2-alias-code", 1 },
};

struct insn {
	unsigned char b[16];
	int n;
};

static void emit(struct insn *in, unsigned int byte)
{
	in->b[in->n++] = (unsigned char)byte;
}

static void emit_le(struct insn *in, uint64_t v, int size)
{
	int i;

	for (i = 0; i < size; i++)
		emit(in, (unsigned int)(v >> (8 * i)) & 0xff);
}

/* Operand-size prefixes for @size in a @bits-bit code segment; REX.W last. */
static void opsize(struct insn *in, int bits, int size)
{
	if ((size == 2 && bits != 16) || (size == 4 && bits == 16))
		emit(in, 0x66);
	else if (size == 8)
		emit(in, 0x48);
}

/* ModRM for [bx] (16-bit addressing) or [ebx]/[rbx], with @reg. */
static void modrm_bx(struct insn *in, int bits, int reg)
{
	emit(in, (unsigned int)(reg << 3) | (bits == 16 ? 7 : 3));
}

static int uses_rom(enum kind k)
{
	return k == K_ROM_WRITE || k == K_ROM_READ;
}

static int is_write(enum kind k)
{
	return k == K_WRITE || k == K_WRITE_AH || k == K_WRITE_IMM ||
	       k == K_WRITE_MOFFS || k == K_ROM_WRITE;
}

static uint64_t imm_for(int size)
{
	return size == 1 ? 0xa5 : size == 2 ? 0xbeef : 0x89abcdef;
}

/* Encode the case; returns 0 if the mode cannot express it. */
static int encode(const struct mcase *c, enum test_mode mode,
		  struct insn *in)
{
	int sz = c->size, bits = test_mode_bits(mode);

	memset(in, 0, sizeof(*in));
	if ((sz == 8 || c->kind == K_MOVSX_Q) && bits != 64)
		return 0;
	if (c->alias && !test_mode_paging(mode))
		return 0;
	switch (c->kind) {
	case K_WRITE:
	case K_ROM_WRITE:
		opsize(in, bits, sz);
		emit(in, sz == 1 ? 0x88 : 0x89);
		modrm_bx(in, bits, REG_RCX);
		break;
	case K_WRITE_AH:
		emit(in, 0x88);
		modrm_bx(in, bits, REG_AH);
		break;
	case K_WRITE_IMM:
		opsize(in, bits, sz);
		emit(in, sz == 1 ? 0xc6 : 0xc7);
		modrm_bx(in, bits, 0);
		emit_le(in, imm_for(sz), sz == 8 ? 4 : sz);
		break;
	case K_READ:
	case K_ROM_READ:
		opsize(in, bits, sz);
		emit(in, sz == 1 ? 0x8a : 0x8b);
		modrm_bx(in, bits, REG_RDX);
		break;
	case K_READ_AH:
		emit(in, 0x8a);
		modrm_bx(in, bits, REG_AH);
		break;
	case K_WRITE_MOFFS:
	case K_READ_MOFFS:
		opsize(in, bits, sz);
		emit(in, c->kind == K_WRITE_MOFFS ? 0xa3 : 0xa1);
		emit_le(in, bits == 16 ? MMIO_GPA - SEG_BASE : MMIO_GPA,
			bits / 8);
		break;
	case K_MOVZX:
	case K_MOVSX:
	case K_MOVSX_Q:
		opsize(in, bits, c->kind == K_MOVSX_Q ? 8 : 4);
		emit(in, 0x0f);
		emit(in, (c->kind == K_MOVZX ? 0xb6 : 0xbe) + (sz == 2));
		modrm_bx(in, bits, REG_RDX);
		break;
	}
	return 1;
}

/* The value a write must show in run->mmio.data. */
static uint64_t write_data(const struct mcase *c)
{
	uint64_t mask = c->size == 8 ? ~0ULL : (1ULL << (8 * c->size)) - 1;

	switch (c->kind) {
	case K_WRITE_AH:
		return (RAX_INIT >> 8) & 0xff;
	case K_WRITE_IMM:	/* REX.W C7: imm32 sign-extended */
		return c->size == 8 ? (uint64_t)(int64_t)(int32_t)imm_for(4) :
				      imm_for(c->size);
	case K_WRITE_MOFFS:
		return RAX_INIT & mask;
	default:
		return RCX_INIT & mask;
	}
}

static uint64_t merge(uint64_t old, uint64_t val, int size)
{
	uint64_t mask = (1ULL << (8 * size)) - 1;

	return (old & ~mask) | (val & mask);
}

/* The register a read loads, and its value afterwards (SDM vol. 1, 3.4.1.1). */
static uint64_t read_result(const struct mcase *c, int bits, uint64_t rom,
			    int *reg)
{
	uint64_t d = c->kind == K_ROM_READ ? rom : READ_DATA;
	int dst = c->size;

	*reg = REG_RDX;
	switch (c->kind) {
	case K_READ_AH:
		*reg = REG_RAX;
		return (RAX_INIT & ~0xff00ULL) | (d & 0xff) << 8;
	case K_READ_MOFFS:
		*reg = REG_RAX;
		return merge(RAX_INIT, d, c->size);
	case K_MOVZX:
		d &= (1ULL << (8 * c->size)) - 1;
		dst = 4;
		break;
	case K_MOVSX:
	case K_MOVSX_Q:
		d = c->size == 1 ? (uint64_t)(int64_t)(int8_t)d :
				   (uint64_t)(int64_t)(int16_t)d;
		dst = c->kind == K_MOVSX_Q ? 8 : 4;
		break;
	default:
		break;
	}
	(void)bits;
	if (dst == 8)
		return d;
	if (dst == 4)
		return (uint32_t)d;
	return merge(RDX_INIT, d, dst);
}

static uint64_t reg_of(const struct kvm_regs *r, int reg)
{
	return reg == REG_RAX ? r->rax : reg == REG_RCX ? r->rcx : r->rdx;
}

static int run(struct test_vm *vm, char *why, size_t n)
{
	if (ioctl(vm->vcpu_fd, KVM_RUN, 0)) {
		snprintf(why, n, "KVM_RUN: %s", strerror(errno));
		return -1;
	}
	return (int)vm->run->exit_reason;
}

static int rom_intact(const unsigned char *rom);

/* One case in the current mode: 1 pass, 0 fail (reason printed). */
static int run_case(struct test_vm *vm, const struct mcase *c, int bits,
		    const struct insn *in, const unsigned char *rom)
{
	uint64_t gpa = uses_rom(c->kind) ? ROM_GPA : MMIO_GPA;
	uint64_t base = bits == 16 ? SEG_BASE : 0, data = 0, want, rom_val = 0;
	uint64_t mask = bits == 64 ? ~0ULL : 0xffffffffULL;
	struct kvm_run *kr = vm->run;
	struct kvm_regs r;
	unsigned long rip0 = test_mode_rip(bits == 16 ? TEST_MODE_REAL :
					   TEST_MODE_PROT, CODE) +
			     (c->alias ? TEST_MODE_ALIAS : 0);
	char why[160] = "";
	int reason, reg;

	memcpy(vm->mem + CODE, in->b, in->n);
	vm->mem[CODE + in->n] = 0xf4;	/* hlt */
	memset(&r, 0, sizeof(r));
	r.rip = rip0;
	r.rflags = 0x2;
	r.rax = RAX_INIT;
	r.rcx = RCX_INIT;
	r.rdx = RDX_INIT;
	r.rbx = gpa - base;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r)) {
		ksft_print_msg("%s: KVM_SET_REGS: %s\n", c->name, strerror(errno));
		return 0;
	}
	reason = run(vm, why, sizeof(why));
	if (c->kind != K_ROM_READ) {
		if (reason != KVM_EXIT_MMIO) {
			ksft_print_msg("%s: exit reason %d, want MMIO %s\n",
				       c->name, reason, why);
			return 0;
		}
		/* Only len bytes of data are defined. */
		memcpy(&data, kr->mmio.data, c->size);
		if (kr->mmio.phys_addr != gpa || kr->mmio.len != (unsigned int)c->size ||
		    kr->mmio.is_write != is_write(c->kind) ||
		    (is_write(c->kind) &&
		     data != write_data(c))) {
			ksft_print_msg("%s: MMIO gpa 0x%llx len %u write %u data 0x%llx; want 0x%llx %d %d 0x%llx\n",
				       c->name,
				       (unsigned long long)kr->mmio.phys_addr,
				       kr->mmio.len, kr->mmio.is_write,
				       (unsigned long long)data,
				       (unsigned long long)gpa, c->size,
				       is_write(c->kind),
				       (unsigned long long)(is_write(c->kind) ? write_data(c) : 0));
			return 0;
		}
		if (!is_write(c->kind)) {
			data = READ_DATA;
			memcpy(kr->mmio.data, &data, sizeof(data));
		}
		reason = run(vm, why, sizeof(why));
	}
	if (reason != KVM_EXIT_HLT) {
		ksft_print_msg("%s: exit reason %d, want HLT %s\n", c->name,
			       reason, why);
		return 0;
	}
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r)) {
		ksft_print_msg("%s: KVM_GET_REGS: %s\n", c->name, strerror(errno));
		return 0;
	}
	if (r.rip != rip0 + in->n + 1) {
		ksft_print_msg("%s: RIP 0x%llx, want 0x%lx\n", c->name,
			       (unsigned long long)r.rip, rip0 + in->n + 1);
		return 0;
	}
	if (c->kind == K_ROM_WRITE) {
		/* The read-only slot must not have changed. */
		if (!rom_intact(rom)) {
			ksft_print_msg("%s: read-only slot was written\n", c->name);
			return 0;
		}
		return 1;
	}
	if (is_write(c->kind))
		return 1;
	if (c->kind == K_ROM_READ)
		memcpy(&rom_val, rom, sizeof(rom_val));
	want = read_result(c, bits, rom_val, &reg);
	/* Outside long mode the upper halves are not architectural. */
	if ((reg_of(&r, reg) & mask) != (want & mask)) {
		ksft_print_msg("%s: register %d = 0x%llx, want 0x%llx\n",
			       c->name, reg,
			       (unsigned long long)reg_of(&r, reg),
			       (unsigned long long)want);
		return 0;
	}
	return 1;
}

static unsigned char rom_byte(unsigned int i)
{
	return (unsigned char)(0x5a + i * 17);
}

static int rom_intact(const unsigned char *rom)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (rom[i] != rom_byte(i))
			return 0;
	return 1;
}

static int add_rom(struct test_vm *vm, unsigned char **rom)
{
	struct kvm_userspace_memory_region region = {
		.slot = 1,
		.flags = KVM_MEM_READONLY,
		.guest_phys_addr = ROM_GPA,
		.memory_size = ROM_SIZE,
	};
	unsigned int i;

	*rom = mmap(NULL, ROM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*rom == MAP_FAILED)
		return -1;
	for (i = 0; i < ROM_SIZE; i++)
		(*rom)[i] = rom_byte(i);
	region.userspace_addr = (unsigned long)*rom;
	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region);
}

/* Real mode reaches the targets through DS = 0xd000. */
static int set_data_segment(struct test_vm *vm, int bits)
{
	struct kvm_sregs s;

	if (bits != 16)
		return 0;
	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return -1;
	s.ds.selector = SEG_BASE >> 4;
	s.ds.base = SEG_BASE;
	return ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s);
}

static void run_mode(const char *path, const char *dev, enum test_mode mode)
{
	int bits = test_mode_bits(mode), setup_ok;
	unsigned char *rom = MAP_FAILED;
	struct test_vm vm;
	struct insn in;
	char name[96];
	size_t i;

	setup_ok = !test_vm_open_dev(&vm, path) &&
		   !test_vm_create(&vm, MEM_SIZE) &&
		   !test_vm_set_mode(&vm, mode, CODE);
	if (!setup_ok)
		ksft_print_msg("%s setup: %s\n", test_mode_name(mode), vm.err);
	else if (add_rom(&vm, &rom) || set_data_segment(&vm, bits)) {
		ksft_print_msg("%s setup: %s\n", test_mode_name(mode),
			       strerror(errno));
		setup_ok = 0;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!encode(&cases[i], mode, &in))
			continue;
		snprintf(name, sizeof(name), "mmio-%s-%s/%s", cases[i].name,
			 test_mode_name(mode), dev);
		ksft_test_result(setup_ok && run_case(&vm, &cases[i], bits,
						      &in, rom), name);
	}
	test_vm_destroy(&vm);
	if (rom != MAP_FAILED)
		munmap(rom, ROM_SIZE);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	unsigned int plan = 0, m;
	struct test_vm vm;
	struct insn in;
	size_t i;

	ksft_print_header();
	if (test_vm_open_dev(&vm, path) && errno == ENOENT)
		ksft_exit_skip(vm.err);
	test_vm_destroy(&vm);
	for (m = 0; m < TEST_MODE_COUNT; m++)
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			plan += encode(&cases[i], m, &in);
	ksft_set_plan(plan);
	alarm(120);
	for (m = 0; m < TEST_MODE_COUNT; m++)
		run_mode(path, dev, m);
	ksft_finished();
	return KSFT_FAIL;
}
