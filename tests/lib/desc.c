// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "desc.h"

#define GDT_ADDR TEST_DESC_START
#define IDT_ADDR TEST_DESC_IDT
#define TSS_ADDR TEST_DESC_TSS
#define GDT_ENTRIES 8		/* null, 3 of mode.c, 2 user, TSS (2 in long) */
#define TSS_LIMIT 0x67
#define TYPE_CODE 0xb		/* execute/read, accessed */
#define TYPE_DATA 0x3		/* read/write, accessed */
#define TYPE_TSS_BUSY 0xb
#define TYPE_INTR_GATE 0xe

static int desc_fail(struct test_vm *vm, const char *what)
{
	snprintf(vm->err, sizeof(vm->err), "%s: %s", what, strerror(errno));
	return -1;
}

/* A code or data descriptor, base 0, limit 4 GiB. */
static uint64_t desc_flat(unsigned int type, unsigned int dpl, int l, int db)
{
	return 0xffffULL | (uint64_t)(0x90 | dpl << 5 | type) << 40 |
	       0xfULL << 48 | (uint64_t)(0x8 | db << 2 | l << 1) << 52;
}

/* The low 8 bytes of a system descriptor with a byte-granular limit. */
static uint64_t desc_system(unsigned int type, uint64_t base, uint32_t limit)
{
	return (limit & 0xffffULL) | (base & 0xffffffULL) << 16 |
	       (uint64_t)(0x80 | type) << 40 |
	       (uint64_t)((limit >> 16) & 0xf) << 48 |
	       ((base >> 24) & 0xffULL) << 56;
}

int test_desc_setup(struct test_vm *vm, enum test_mode mode)
{
	uint64_t *gdt = (uint64_t *)(vm->mem + GDT_ADDR);
	int longm = mode == TEST_MODE_LONG;
	struct kvm_sregs s;

	if (vm->mem_size < TEST_DESC_END || mode == TEST_MODE_REAL) {
		errno = EINVAL;
		return desc_fail(vm, "descriptor tables: mode or memory");
	}
	memset(vm->mem + TEST_DESC_START, 0, TEST_DESC_END - TEST_DESC_START);
	gdt[TEST_SEL_CODE32 / 8] = desc_flat(TYPE_CODE, 0, 0, 1);
	gdt[TEST_SEL_DATA / 8] = desc_flat(TYPE_DATA, 0, 0, 1);
	gdt[TEST_SEL_CODE64 / 8] = desc_flat(TYPE_CODE, 0, 1, 0);
	gdt[TEST_SEL_USER_CODE32 / 8] = desc_flat(TYPE_CODE, 3, 0, 1);
	gdt[TEST_SEL_USER_DATA / 8] = desc_flat(TYPE_DATA, 3, 0, 1);
	/* The 64-bit TSS descriptor's second half: base 63:32 = 0. */
	gdt[TEST_SEL_TSS / 8] = desc_system(TYPE_TSS_BUSY, TSS_ADDR, TSS_LIMIT);

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return desc_fail(vm, "KVM_GET_SREGS");
	s.gdt.base = GDT_ADDR;
	s.gdt.limit = GDT_ENTRIES * 8 - 1;
	s.idt.base = IDT_ADDR;
	s.idt.limit = 256 * (longm ? 16 : 8) - 1;
	memset(&s.tr, 0, sizeof(s.tr));
	s.tr.selector = TEST_SEL_TSS;
	s.tr.base = TSS_ADDR;
	s.tr.limit = TSS_LIMIT;
	s.tr.type = TYPE_TSS_BUSY;
	s.tr.present = 1;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return desc_fail(vm, "KVM_SET_SREGS");
	return 0;
}

void test_desc_gate(struct test_vm *vm, enum test_mode mode,
		    unsigned int vector, unsigned int sel,
		    unsigned long handler, unsigned int ist)
{
	int longm = mode == TEST_MODE_LONG;
	uint64_t *g = (uint64_t *)(vm->mem + IDT_ADDR +
				   vector * (longm ? 16 : 8));

	g[0] = (handler & 0xffffULL) | (uint64_t)sel << 16 |
	       (uint64_t)(longm ? ist & 7 : 0) << 32 |
	       (uint64_t)(0x80 | 3 << 5 | TYPE_INTR_GATE) << 40 |
	       ((handler >> 16) & 0xffffULL) << 48;
	if (longm)
		g[1] = handler >> 32;
}

void test_desc_tss_stacks(struct test_vm *vm, enum test_mode mode,
			  unsigned long sp0, unsigned long ist1)
{
	unsigned char *tss = vm->mem + TSS_ADDR;

	if (mode == TEST_MODE_LONG) {
		uint64_t v = sp0;

		memcpy(tss + 4, &v, 8);		/* RSP0 */
		v = ist1;
		memcpy(tss + 0x24, &v, 8);	/* IST1 */
	} else {
		uint32_t esp0 = sp0, ss0 = TEST_SEL_DATA;

		memcpy(tss + 4, &esp0, 4);
		memcpy(tss + 8, &ss0, 4);
	}
}

int test_desc_user32(struct test_vm *vm, unsigned long rflags,
		     unsigned long sp)
{
	struct kvm_sregs s;
	struct kvm_regs r;

	if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s))
		return desc_fail(vm, "KVM_GET_SREGS");
	s.cs.selector = TEST_SEL_USER_CODE32;
	s.cs.dpl = 3;
	s.ds.selector = TEST_SEL_USER_DATA;
	s.ds.dpl = 3;
	s.es = s.ds;
	s.fs = s.ds;
	s.gs = s.ds;
	s.ss = s.ds;
	if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s))
		return desc_fail(vm, "KVM_SET_SREGS");
	if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r))
		return desc_fail(vm, "KVM_GET_REGS");
	r.rflags = rflags;
	r.rsp = sp;
	if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &r))
		return desc_fail(vm, "KVM_SET_REGS");
	return 0;
}
