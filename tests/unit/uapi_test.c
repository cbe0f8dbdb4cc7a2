// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 7 (ioctl argument validation): every
 * reject reason with a minimal input, the boundaries next to it, NULL
 * pointers, the errno classes, and that a failed decode wrote nothing.
 * The uapi twins are also checked against <linux/kvm.h> on this machine.
 */
#include <stddef.h>
#include <string.h>

#include <linux/kvm.h>

#include <libvmm/uapi.h>

#include "tap.h"

/* ---- layouts: the module's BUILD_BUG_ONs, here at run time ------------- */

#define SAME_SIZE(a, b) CHECK_EQ(sizeof(struct a), sizeof(struct b))
#define SAME_OFF(a, b, f) \
	CHECK_EQ(offsetof(struct a, f), offsetof(struct b, f))

static void layout_twins(void)
{
	SAME_SIZE(vmm_uapi_enable_cap, kvm_enable_cap);
	SAME_OFF(vmm_uapi_enable_cap, kvm_enable_cap, args);
	SAME_OFF(vmm_uapi_enable_cap, kvm_enable_cap, pad);
	SAME_SIZE(vmm_uapi_msi, kvm_msi);
	SAME_OFF(vmm_uapi_msi, kvm_msi, flags);
	SAME_OFF(vmm_uapi_msi, kvm_msi, devid);
	SAME_OFF(vmm_uapi_msi, kvm_msi, pad);
	SAME_SIZE(vmm_uapi_irq_routing, kvm_irq_routing);
	SAME_SIZE(vmm_uapi_irq_routing_entry, kvm_irq_routing_entry);
	SAME_OFF(vmm_uapi_irq_routing_entry, kvm_irq_routing_entry, flags);
	CHECK_EQ(offsetof(struct vmm_uapi_irq_routing_entry, msi_address_hi),
		 offsetof(struct kvm_irq_routing_entry, u.msi.address_hi));
	CHECK_EQ(offsetof(struct vmm_uapi_irq_routing_entry, msi_data),
		 offsetof(struct kvm_irq_routing_entry, u.msi.data));
	SAME_SIZE(vmm_uapi_irqfd, kvm_irqfd);
	SAME_OFF(vmm_uapi_irqfd, kvm_irqfd, flags);
	SAME_OFF(vmm_uapi_irqfd, kvm_irqfd, pad);
	CHECK_EQ(VMM_UAPI_CAP_SPLIT_IRQCHIP, KVM_CAP_SPLIT_IRQCHIP);
	CHECK_EQ(VMM_UAPI_IRQ_ROUTING_MSI, KVM_IRQ_ROUTING_MSI);
	CHECK_EQ(VMM_UAPI_MSI_VALID_DEVID, KVM_MSI_VALID_DEVID);
	CHECK_EQ(VMM_UAPI_IRQFD_DEASSIGN, KVM_IRQFD_FLAG_DEASSIGN);
	CHECK_EQ(VMM_UAPI_IRQFD_RESAMPLE, KVM_IRQFD_FLAG_RESAMPLE);
	SAME_SIZE(vmm_memslot_region, kvm_userspace_memory_region);
	SAME_OFF(vmm_memslot_region, kvm_userspace_memory_region, slot);
	SAME_OFF(vmm_memslot_region, kvm_userspace_memory_region, flags);
	SAME_OFF(vmm_memslot_region, kvm_userspace_memory_region,
		 guest_phys_addr);
	SAME_OFF(vmm_memslot_region, kvm_userspace_memory_region,
		 memory_size);
	SAME_OFF(vmm_memslot_region, kvm_userspace_memory_region,
		 userspace_addr);
	SAME_SIZE(vmm_uapi_regs, kvm_regs);
	SAME_OFF(vmm_uapi_regs, kvm_regs, r8);
	SAME_OFF(vmm_uapi_regs, kvm_regs, rip);
	SAME_OFF(vmm_uapi_regs, kvm_regs, rflags);
	SAME_SIZE(vmm_uapi_segment, kvm_segment);
	SAME_OFF(vmm_uapi_segment, kvm_segment, limit);
	SAME_OFF(vmm_uapi_segment, kvm_segment, selector);
	SAME_OFF(vmm_uapi_segment, kvm_segment, type);
	SAME_OFF(vmm_uapi_segment, kvm_segment, l);
	SAME_OFF(vmm_uapi_segment, kvm_segment, unusable);
	SAME_OFF(vmm_uapi_segment, kvm_segment, padding);
	SAME_SIZE(vmm_uapi_dtable, kvm_dtable);
	SAME_OFF(vmm_uapi_dtable, kvm_dtable, limit);
	SAME_OFF(vmm_uapi_dtable, kvm_dtable, padding);
	SAME_SIZE(vmm_uapi_sregs, kvm_sregs);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, cs);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, ldt);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, gdt);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, idt);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, cr0);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, cr8);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, efer);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, apic_base);
	SAME_OFF(vmm_uapi_sregs, kvm_sregs, interrupt_bitmap);
	CHECK_EQ(offsetof(struct vmm_uapi_sregs_valid, sregs), 0U);
	SAME_SIZE(vmm_uapi_cpuid_entry2, kvm_cpuid_entry2);
	SAME_OFF(vmm_uapi_cpuid_entry2, kvm_cpuid_entry2, flags);
	SAME_OFF(vmm_uapi_cpuid_entry2, kvm_cpuid_entry2, edx);
	SAME_OFF(vmm_uapi_cpuid_entry2, kvm_cpuid_entry2, padding);
	CHECK_EQ(sizeof(struct vmm_uapi_cpuid2),
		 offsetof(struct kvm_cpuid2, entries));
	SAME_OFF(vmm_uapi_cpuid2, kvm_cpuid2, padding);
	SAME_SIZE(vmm_uapi_interrupt, kvm_interrupt);
	CHECK_EQ(VMM_CPUID_FLAG_SIGNIFCANT_INDEX,
		 KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
	CHECK_EQ(VMM_UAPI_NR_INTERRUPTS, KVM_NR_INTERRUPTS);
}

/* ---- errno classes ------------------------------------------------------ */

static void errno_memslot(void)
{
	CHECK_EQ(vmm_uapi_memslot_errno_class(VMM_MEMSLOT_OK), 0U);
	CHECK_EQ(vmm_uapi_memslot_errno_class(VMM_MEMSLOT_ERR_OVERLAP),
		 VMM_EEXIST);
	CHECK_EQ(vmm_uapi_memslot_errno_class(VMM_MEMSLOT_ERR_NULL),
		 VMM_EINVAL);
	CHECK_EQ(vmm_uapi_memslot_errno_class(VMM_MEMSLOT_ERR_GPA_ALIGN),
		 VMM_EINVAL);
	CHECK_EQ(vmm_uapi_memslot_errno_class(VMM_MEMSLOT_ERR_NOT_FOUND),
		 VMM_EINVAL);
	CHECK_EQ(vmm_uapi_memslot_errno_class((enum vmm_memslot_err)99),
		 VMM_EINVAL);
}

static void errno_uapi(void)
{
	int e;

	/* Linux's numbers (asm-generic/errno-base.h). */
	CHECK_EQ(VMM_E2BIG, 7U);
	CHECK_EQ(VMM_EFAULT, 14U);
	CHECK_EQ(VMM_EEXIST, 17U);
	CHECK_EQ(VMM_EINVAL, 22U);
	CHECK_EQ(VMM_ENOTTY, 25U);
	CHECK_EQ(vmm_uapi_errno_class(VMM_UAPI_OK), 0U);
	CHECK_EQ(vmm_uapi_errno_class(VMM_UAPI_ERR_NULL), VMM_EFAULT);
	CHECK_EQ(vmm_uapi_errno_class(VMM_UAPI_ERR_CPUID_E2BIG), VMM_E2BIG);
	for (e = VMM_UAPI_ERR_CAPS_MAXPHYADDR; e <= VMM_UAPI_ERR_IRQ_RANGE;
	     e++) {
		if (e != VMM_UAPI_ERR_CPUID_E2BIG)
			CHECK_EQ(vmm_uapi_errno_class((enum vmm_uapi_err)e),
				 VMM_EINVAL);
	}
	CHECK_EQ(vmm_uapi_errno_class((enum vmm_uapi_err)1000), VMM_EINVAL);
}

/* ---- memory region ------------------------------------------------------ */

static void region_thin_decode(void)
{
	struct vmm_memslot_region r = {
		.slot = 1U,
		.flags = VMM_MEM_READONLY,
		.guest_phys_addr = 0x100000U,
		.memory_size = 0x2000U,
		.userspace_addr = 0x7F0000000000ULL,
	};

	CHECK_EQ(vmm_uapi_decode_memory_region(NULL), VMM_MEMSLOT_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_memory_region(&r), VMM_MEMSLOT_OK);
	/* Layer 1's codes pass through unchanged. */
	r.guest_phys_addr = 0x100001U;
	CHECK_EQ(vmm_uapi_decode_memory_region(&r), VMM_MEMSLOT_ERR_GPA_ALIGN);
	r.guest_phys_addr = 0x100000U;
	r.flags = VMM_MEM_LOG_DIRTY_PAGES;
	CHECK_EQ(vmm_uapi_decode_memory_region(&r),
		 VMM_MEMSLOT_ERR_FLAGS_DIRTY_LOG);
	r.flags = 0U;
	r.slot = 0x10000U;
	CHECK_EQ(vmm_uapi_decode_memory_region(&r), VMM_MEMSLOT_ERR_AS_ID);
}

/* ---- kvm_regs ----------------------------------------------------------- */

static void regs_null(void)
{
	CHECK_EQ(vmm_uapi_decode_regs(NULL), VMM_UAPI_ERR_NULL);
}

static void regs_forces_rflags_bit1(void)
{
	struct vmm_uapi_regs r;
	struct vmm_uapi_regs before;

	memset(&r, 0x5A, sizeof(r));
	r.rflags = 0U;
	before = r;
	CHECK_EQ(vmm_uapi_decode_regs(&r), VMM_UAPI_OK);
	CHECK_EQ(r.rflags, 0x2U);
	/* Nothing else changes. */
	r.rflags = before.rflags;
	CHECK(memcmp(&r, &before, sizeof(r)) == 0);
	/* Already set, and every other bit kept. */
	r.rflags = VMM_U64_MAX;
	CHECK_EQ(vmm_uapi_decode_regs(&r), VMM_UAPI_OK);
	CHECK_EQ(r.rflags, VMM_U64_MAX);
	r.rflags = 0x245U;
	CHECK_EQ(vmm_uapi_decode_regs(&r), VMM_UAPI_OK);
	CHECK_EQ(r.rflags, 0x247U);
}

/* ---- kvm_sregs ---------------------------------------------------------- */

static const struct vmm_uapi_sregs_caps caps_std = {
	.cr4_allowed = 0x3FFFFFULL, /* bits 21:0 */
	.efer_allowed = 0xD01ULL,   /* SCE, LME, LMA, NXE */
	.maxphyaddr = 40U,
	.x2apic = 1U,
};

/* A valid 64-bit state: PE|PG, PAE, LME|LMA, APIC enabled at 0xFEE00000. */
static void sregs_long(struct vmm_uapi_sregs_valid *d)
{
	memset(d, 0, sizeof(*d));
	d->sregs.cr0 = VMM_CR0_PE | VMM_CR0_PG;
	d->sregs.cr4 = VMM_CR4_PAE;
	d->sregs.efer = VMM_EFER_LME | VMM_EFER_LMA;
	d->sregs.cr3 = 0x1000U;
	d->sregs.cs.l = 1U;
	d->sregs.apic_base = 0xFEE00000ULL | VMM_APIC_BASE_EN | 0x100U;
	d->pending_irq = 0xDEADU;
	d->reserved = 0xBEEFU;
}

/* A valid reset state: real mode, nothing set. */
static void sregs_real(struct vmm_uapi_sregs_valid *d)
{
	memset(d, 0, sizeof(*d));
	d->sregs.cr0 = 0x60000010ULL; /* CD | NW | ET: the reset value */
	d->pending_irq = 0xDEADU;
	d->reserved = 0xBEEFU;
}

/* decode_sregs() that must fail with @want, writing nothing. */
static void sregs_fails(struct vmm_uapi_sregs_valid *d,
			const struct vmm_uapi_sregs_caps *caps,
			enum vmm_uapi_err want)
{
	struct vmm_uapi_sregs_valid before = *d;

	CHECK_EQ(vmm_uapi_decode_sregs(d, caps), want);
	CHECK(memcmp(&before, d, sizeof(*d)) == 0);
}

static void sregs_ok(struct vmm_uapi_sregs_valid *d,
		     const struct vmm_uapi_sregs_caps *caps,
		     vmm_u32 want_pending)
{
	struct vmm_uapi_sregs before = d->sregs;

	CHECK_EQ(vmm_uapi_decode_sregs(d, caps), VMM_UAPI_OK);
	CHECK_EQ(d->pending_irq, want_pending);
	CHECK_EQ(d->reserved, 0U);
	CHECK(memcmp(&before, &d->sregs, sizeof(before)) == 0);
}

static void sregs_null(void)
{
	struct vmm_uapi_sregs_valid d;

	sregs_real(&d);
	CHECK_EQ(vmm_uapi_decode_sregs(NULL, &caps_std), VMM_UAPI_ERR_NULL);
	sregs_fails(&d, NULL, VMM_UAPI_ERR_NULL);
}

static void sregs_accepts(void)
{
	struct vmm_uapi_sregs_valid d;

	sregs_real(&d);
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	sregs_long(&d);
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	/* 32-bit paging: PG without LME is not long mode. */
	sregs_real(&d);
	d.sregs.cr0 = VMM_CR0_PE | VMM_CR0_PG;
	d.sregs.cr3 = VMM_U64_MAX; /* not checked outside long mode */
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	/* LME without PG is not long mode: LMA must be clear, CS.L too. */
	sregs_real(&d);
	d.sregs.efer = VMM_EFER_LME;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	/* x2APIC mode, allowed. */
	sregs_long(&d);
	d.sregs.apic_base |= VMM_APIC_BASE_EXTD;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	/* Segments: unusable/present combinations are not checked (KVM). */
	sregs_long(&d);
	d.sregs.ds.unusable = 1U;
	d.sregs.ds.present = 1U;
	d.sregs.es.unusable = 0U;
	d.sregs.es.present = 0U;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
}

static void sregs_caps(void)
{
	struct vmm_uapi_sregs_valid d;
	struct vmm_uapi_sregs_caps c = caps_std;

	sregs_real(&d);
	c.maxphyaddr = 31U;
	sregs_fails(&d, &c, VMM_UAPI_ERR_CAPS_MAXPHYADDR);
	c.maxphyaddr = 53U;
	sregs_fails(&d, &c, VMM_UAPI_ERR_CAPS_MAXPHYADDR);
	c.maxphyaddr = 64U;
	sregs_fails(&d, &c, VMM_UAPI_ERR_CAPS_MAXPHYADDR);
	c.maxphyaddr = 32U;
	sregs_ok(&d, &c, VMM_UAPI_NO_PENDING_IRQ);
	c.maxphyaddr = 52U;
	sregs_ok(&d, &c, VMM_UAPI_NO_PENDING_IRQ);
}

static void sregs_cr0(void)
{
	struct vmm_uapi_sregs_valid d;

	sregs_real(&d);
	d.sregs.cr0 = 0x100000000ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR0_RESERVED);
	d.sregs.cr0 = 0xFFFFFFFFULL; /* every low bit: valid CR0 */
	d.sregs.cr4 = VMM_CR4_PAE;   /* PG && PAE, not long mode */
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	sregs_real(&d);
	d.sregs.cr0 = VMM_CR0_PG;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR0_PG_NO_PE);
	d.sregs.cr0 = VMM_CR0_NW;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR0_NW_NO_CD);
	d.sregs.cr0 = VMM_CR0_CD;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
}

static void sregs_cr4_efer(void)
{
	struct vmm_uapi_sregs_valid d;
	struct vmm_uapi_sregs_caps c = caps_std;

	sregs_real(&d);
	d.sregs.cr4 = 0x400000ULL; /* bit 22, not allowed */
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR4_RESERVED);
	d.sregs.cr4 = 0x8000000000000000ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR4_RESERVED);
	c.cr4_allowed = 0U;
	d.sregs.cr4 = 1U;
	sregs_fails(&d, &c, VMM_UAPI_ERR_CR4_RESERVED);
	c.cr4_allowed = VMM_U64_MAX;
	d.sregs.cr4 = VMM_U64_MAX;
	sregs_ok(&d, &c, VMM_UAPI_NO_PENDING_IRQ);
	sregs_real(&d);
	d.sregs.efer = 0x2ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_EFER_RESERVED);
	d.sregs.efer = 0x801ULL; /* NXE | SCE: allowed */
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
}

static void sregs_long_mode(void)
{
	struct vmm_uapi_sregs_valid d;

	sregs_long(&d);
	d.sregs.cr4 = 0U;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_LONG_NO_PAE);
	sregs_long(&d);
	d.sregs.efer = VMM_EFER_LME;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_LMA_MISMATCH);
	/* LMA without long mode. */
	sregs_real(&d);
	d.sregs.efer = VMM_EFER_LMA;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_LMA_MISMATCH);
	sregs_real(&d);
	d.sregs.cr0 = VMM_CR0_PE | VMM_CR0_PG;
	d.sregs.efer = VMM_EFER_LMA; /* PG but no LME */
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_LMA_MISMATCH);
	/* CR3 below 2^40 is fine, bit 40 is not. */
	sregs_long(&d);
	d.sregs.cr3 = 0xFFFFFFFFFFULL;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	d.sregs.cr3 = 0x10000000000ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR3_RESERVED);
	d.sregs.cr3 = 0x8000000000000000ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CR3_RESERVED);
	/* CS.L outside long mode. */
	sregs_real(&d);
	d.sregs.cs.l = 1U;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_CS_L);
}

static void sregs_apic_base(void)
{
	struct vmm_uapi_sregs_valid d;
	struct vmm_uapi_sregs_caps c = caps_std;

	sregs_long(&d);
	d.sregs.apic_base |= 0x1U;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_APIC_BASE_RESERVED);
	sregs_long(&d);
	d.sregs.apic_base |= 0x200U; /* bit 9 */
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_APIC_BASE_RESERVED);
	sregs_long(&d);
	d.sregs.apic_base = 0xFFFFFFF000ULL | VMM_APIC_BASE_EN;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
	d.sregs.apic_base = 0x10000000000ULL | VMM_APIC_BASE_EN;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_APIC_BASE_MAXPHYADDR);
	sregs_long(&d);
	d.sregs.apic_base |= VMM_APIC_BASE_EXTD;
	c.x2apic = 0U;
	sregs_fails(&d, &c, VMM_UAPI_ERR_APIC_BASE_X2APIC);
	sregs_long(&d);
	d.sregs.apic_base = 0xFEE00000ULL | VMM_APIC_BASE_EXTD;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_APIC_BASE_MODE);
	/* Disabled APIC is a valid mode. */
	d.sregs.apic_base = 0xFEE00000ULL;
	sregs_ok(&d, &caps_std, VMM_UAPI_NO_PENDING_IRQ);
}

static void sregs_irq_bitmap(void)
{
	struct vmm_uapi_sregs_valid d;
	vmm_u32 v;

	/* Each single bit is accepted and reported. */
	for (v = 0U; v < 256U; v++) {
		sregs_real(&d);
		d.sregs.interrupt_bitmap[v / 64U] = 1ULL << (v % 64U);
		sregs_ok(&d, &caps_std, v);
	}
	sregs_real(&d);
	d.sregs.interrupt_bitmap[0] = 0x3U;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_IRQ_BITMAP);
	sregs_real(&d);
	d.sregs.interrupt_bitmap[0] = 1U;
	d.sregs.interrupt_bitmap[3] = 0x8000000000000000ULL;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_IRQ_BITMAP);
	sregs_real(&d);
	d.sregs.interrupt_bitmap[2] = VMM_U64_MAX;
	sregs_fails(&d, &caps_std, VMM_UAPI_ERR_IRQ_BITMAP);
}

/* ---- kvm_cpuid2 ---------------------------------------------------------- */

static struct vmm_uapi_cpuid_table tbl;

static void ent(vmm_u32 k, vmm_u32 function, vmm_u32 index, vmm_u32 flags,
		vmm_u32 eax)
{
	memset(&tbl.entries[k], 0, sizeof(tbl.entries[k]));
	tbl.entries[k].function = function;
	tbl.entries[k].index = index;
	tbl.entries[k].flags = flags;
	tbl.entries[k].eax = eax;
	tbl.entries[k].padding[1] = 0xFFFFFFFFU; /* ignored */
}

static void tbl_reset(void)
{
	memset(&tbl, 0xA5, sizeof(tbl));
	tbl.nent = 7U;
	tbl.maxphyaddr = 9U;
}

/* decode_cpuid() that must fail with @want, writing nothing. */
static void cpuid_fails(vmm_u32 nent, enum vmm_uapi_err want)
{
	struct vmm_uapi_cpuid_table before = tbl;

	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, nent), want);
	CHECK(memcmp(&before, &tbl, sizeof(tbl)) == 0);
}

static void cpuid_header(void)
{
	struct vmm_uapi_cpuid2 h = { .nent = 256U, .padding = 0xFFU };
	vmm_u32 n = 0xDEADU;

	CHECK_EQ(vmm_uapi_decode_cpuid2_header(NULL, &n), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_cpuid2_header(&h, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(n, 0xDEADU);
	CHECK_EQ(vmm_uapi_decode_cpuid2_header(&h, &n), VMM_UAPI_OK);
	CHECK_EQ(n, 256U);
	h.nent = 0U;
	CHECK_EQ(vmm_uapi_decode_cpuid2_header(&h, &n), VMM_UAPI_OK);
	CHECK_EQ(n, 0U);
	n = 0xDEADU;
	h.nent = 257U;
	CHECK_EQ(vmm_uapi_decode_cpuid2_header(&h, &n),
		 VMM_UAPI_ERR_CPUID_E2BIG);
	CHECK_EQ(n, 0xDEADU);
	h.nent = 0xFFFFFFFFU;
	CHECK_EQ(vmm_uapi_decode_cpuid2_header(&h, &n),
		 VMM_UAPI_ERR_CPUID_E2BIG);
}

static void cpuid_null_and_size(void)
{
	CHECK_EQ(vmm_uapi_decode_cpuid(NULL, 0U), VMM_UAPI_ERR_NULL);
	tbl_reset();
	cpuid_fails(257U, VMM_UAPI_ERR_CPUID_E2BIG);
	cpuid_fails(0xFFFFFFFFU, VMM_UAPI_ERR_CPUID_E2BIG);
	/* Empty: valid, default MAXPHYADDR. */
	tbl_reset();
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 0U), VMM_UAPI_OK);
	CHECK_EQ(tbl.nent, 0U);
	CHECK_EQ(tbl.maxphyaddr, VMM_MAXPHYADDR_DEFAULT);
}

static void cpuid_full_table(void)
{
	vmm_u32 k;
	vmm_u32 idx = 0U;

	tbl_reset();
	for (k = 0U; k < 256U; k++)
		ent(k, 0x40000000U + k, 0U, 0U, k);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 256U), VMM_UAPI_OK);
	CHECK_EQ(tbl.nent, 256U);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 0x400000FFU, 0U, &idx),
		 VMM_UAPI_OK);
	CHECK_EQ(idx, 255U);
}

static void cpuid_flags(void)
{
	tbl_reset();
	ent(0, 0U, 0U, 0U, 0U);
	ent(1, 7U, 0U, 2U, 0U); /* KVM_CPUID_FLAG_STATEFUL_FUNC */
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_FLAGS);
	ent(1, 7U, 0U, 0x80000001U, 0U);
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_FLAGS);
	ent(1, 7U, 0U, 1U, 0U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
	/* Only the first nent entries are read. */
	tbl_reset();
	ent(0, 0U, 0U, 0U, 0U);
	ent(1, 7U, 0U, 4U, 0U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 1U), VMM_UAPI_OK);
}

static void cpuid_duplicate(void)
{
	tbl_reset();
	ent(0, 7U, 1U, 1U, 0U);
	ent(1, 7U, 1U, 1U, 0U);
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_DUPLICATE);
	ent(0, 1U, 0U, 0U, 0U);
	ent(1, 1U, 0U, 0U, 0U);
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_DUPLICATE);
	/* Far apart. */
	tbl_reset();
	ent(0, 0xDU, 1U, 1U, 0U);
	ent(1, 0xDU, 0U, 1U, 0U);
	ent(2, 0U, 0U, 0U, 0U);
	ent(3, 0xDU, 1U, 1U, 0U);
	cpuid_fails(4U, VMM_UAPI_ERR_CPUID_DUPLICATE);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 3U), VMM_UAPI_OK);
}

static void cpuid_ambiguous(void)
{
	tbl_reset();
	ent(0, 4U, 0U, 0U, 0U); /* answers every index of leaf 4 */
	ent(1, 4U, 1U, 1U, 0U);
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_AMBIGUOUS);
	ent(0, 4U, 0U, 1U, 0U);
	ent(1, 4U, 1U, 0U, 0U);
	cpuid_fails(2U, VMM_UAPI_ERR_CPUID_AMBIGUOUS);
	ent(1, 4U, 1U, 1U, 0U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
}

static void cpuid_phys_bits(void)
{
	tbl_reset();
	ent(0, 0x80000000U, 0U, 0U, 0x80000008U);
	ent(1, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 0U, 0x3030U); /* 48 bits */
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
	CHECK_EQ(tbl.maxphyaddr, 48U);
	/* Only EAX[7:0] counts. */
	ent(1, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 0U, 0xFFFFFF20U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
	CHECK_EQ(tbl.maxphyaddr, 32U);
	ent(1, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 0U, 52U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
	CHECK_EQ(tbl.maxphyaddr, 52U);
	/* With the significant-index flag it must be index 0 to count. */
	ent(1, VMM_CPUID_LEAF_ADDR_SIZES, 1U, 1U, 20U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 2U), VMM_UAPI_OK);
	CHECK_EQ(tbl.maxphyaddr, VMM_MAXPHYADDR_DEFAULT);
	tbl_reset();
	ent(0, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 0U, 31U);
	cpuid_fails(1U, VMM_UAPI_ERR_CPUID_PHYS_BITS);
	ent(0, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 0U, 53U);
	cpuid_fails(1U, VMM_UAPI_ERR_CPUID_PHYS_BITS);
	ent(0, VMM_CPUID_LEAF_ADDR_SIZES, 0U, 1U, 0U);
	cpuid_fails(1U, VMM_UAPI_ERR_CPUID_PHYS_BITS);
}

static void cpuid_lookup(void)
{
	vmm_u32 idx = 0xDEADU;

	tbl_reset();
	ent(0, 0U, 0U, 0U, 0xDU);
	ent(1, 7U, 0U, 1U, 1U);
	ent(2, 7U, 1U, 1U, 2U);
	ent(3, 1U, 5U, 0U, 3U);
	CHECK_EQ(vmm_uapi_decode_cpuid(&tbl, 4U), VMM_UAPI_OK);
	CHECK_EQ(vmm_uapi_cpuid_lookup(NULL, 0U, 0U, &idx), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 0U, 0U, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 7U, 1U, &idx), VMM_UAPI_OK);
	CHECK_EQ(idx, 2U);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 7U, 0U, &idx), VMM_UAPI_OK);
	CHECK_EQ(idx, 1U);
	/* No flag: any index matches. */
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 1U, 0xFFFFFFFFU, &idx),
		 VMM_UAPI_OK);
	CHECK_EQ(idx, 3U);
	idx = 0xDEADU;
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 7U, 2U, &idx),
		 VMM_UAPI_ERR_CPUID_NOT_FOUND);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 2U, 0U, &idx),
		 VMM_UAPI_ERR_CPUID_NOT_FOUND);
	CHECK_EQ(idx, 0xDEADU);
	/* Entries past nent are not looked at. */
	ent(4, 2U, 0U, 0U, 0U);
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 2U, 0U, &idx),
		 VMM_UAPI_ERR_CPUID_NOT_FOUND);
	/* A table that was never decoded: nent out of range. */
	tbl.nent = 257U;
	CHECK_EQ(vmm_uapi_cpuid_lookup(&tbl, 0U, 0U, &idx),
		 VMM_UAPI_ERR_CPUID_E2BIG);
	CHECK_EQ(idx, 0xDEADU);
}

/* ---- kvm_interrupt ------------------------------------------------------ */

static void interrupt(void)
{
	struct vmm_uapi_interrupt in = { .irq = 255U };
	vmm_u32 v = 0xDEADU;

	CHECK_EQ(vmm_uapi_decode_interrupt(NULL, &v), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_interrupt(&in, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(v, 0xDEADU);
	CHECK_EQ(vmm_uapi_decode_interrupt(&in, &v), VMM_UAPI_OK);
	CHECK_EQ(v, 255U);
	in.irq = 0U;
	CHECK_EQ(vmm_uapi_decode_interrupt(&in, &v), VMM_UAPI_OK);
	CHECK_EQ(v, 0U);
	v = 0xDEADU;
	in.irq = 256U;
	CHECK_EQ(vmm_uapi_decode_interrupt(&in, &v), VMM_UAPI_ERR_IRQ_RANGE);
	in.irq = 0xFFFFFFFFU;
	CHECK_EQ(vmm_uapi_decode_interrupt(&in, &v), VMM_UAPI_ERR_IRQ_RANGE);
	CHECK_EQ(v, 0xDEADU);
}

/* ---- kvm_ioeventfd ------------------------------------------------------ */

static struct vmm_uapi_ioeventfd ioe(vmm_u64 addr, vmm_u32 len, vmm_u32 flags,
				     vmm_u64 datamatch)
{
	struct vmm_uapi_ioeventfd a = { .addr = addr, .len = len,
					.flags = flags, .datamatch = datamatch };

	return a;
}

static void ioeventfd_decode(void)
{
	struct vmm_uapi_ioeventfd_key k = { .addr = 0xDEADU };
	struct vmm_uapi_ioeventfd a = ioe(0x100U, 3U, 0U, 0U);

	CHECK_EQ(vmm_uapi_decode_ioeventfd(NULL, &k), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, NULL), VMM_UAPI_ERR_NULL);
	/* KVM's order: length, wrap, flags, DATAMATCH with length 0. */
	a = ioe(~0ULL, 3U, 0x80U, 0U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k), VMM_UAPI_ERR_IOEVENTFD_LEN);
	a = ioe(~0ULL - 3U, 4U, 0x80U, 0U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k), VMM_UAPI_ERR_IOEVENTFD_WRAP);
	a = ioe(~0ULL - 4U, 4U, 0x20U, 0U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k), VMM_UAPI_ERR_IOEVENTFD_FLAGS);
	a = ioe(0x100U, 0U, VMM_UAPI_IOEVENTFD_DATAMATCH, 1U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k),
		 VMM_UAPI_ERR_IOEVENTFD_LEN0_DATAMATCH);
	CHECK_EQ(k.addr, 0xDEADU);
	CHECK_EQ(vmm_uapi_errno_class(VMM_UAPI_ERR_IOEVENTFD_WRAP), VMM_EINVAL);
	/* Bit 4 is in KVM's valid mask; PIO wins over virtio-ccw. */
	a = ioe(0x100U, 2U, VMM_UAPI_IOEVENTFD_PIO | VMM_UAPI_IOEVENTFD_CCW |
		0x10U, 7U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k), VMM_UAPI_OK);
	CHECK_EQ(k.bus, VMM_UAPI_IOBUS_PIO);
	CHECK_EQ(k.wildcard, 1U);
	CHECK_EQ(k.datamatch, 0U);
	a = ioe(0x100U, 8U, VMM_UAPI_IOEVENTFD_CCW |
		VMM_UAPI_IOEVENTFD_DATAMATCH, 7U);
	CHECK_EQ(vmm_uapi_decode_ioeventfd(&a, &k), VMM_UAPI_OK);
	CHECK_EQ(k.bus, VMM_UAPI_IOBUS_CCW);
	CHECK_EQ(k.wildcard, 0U);
	CHECK_EQ(k.datamatch, 7U);
}

static void ioeventfd_match(void)
{
	struct vmm_uapi_ioeventfd a;
	struct vmm_uapi_ioeventfd_key w, d1, d2, any, other;

	a = ioe(0x200U, 2U, VMM_UAPI_IOEVENTFD_PIO, 0U);
	vmm_uapi_ioeventfd_key(&a, &w);
	a = ioe(0x200U, 2U, VMM_UAPI_IOEVENTFD_PIO |
		VMM_UAPI_IOEVENTFD_DATAMATCH, 0x1234U);
	vmm_uapi_ioeventfd_key(&a, &d1);
	a.datamatch = 0x5678U;
	vmm_uapi_ioeventfd_key(&a, &d2);
	a = ioe(0x200U, 0U, VMM_UAPI_IOEVENTFD_PIO, 0U);
	vmm_uapi_ioeventfd_key(&a, &any);
	a = ioe(0x200U, 2U, 0U, 0U);		/* MMIO */
	vmm_uapi_ioeventfd_key(&a, &other);

	CHECK_EQ(vmm_uapi_ioeventfd_collide(&w, &d1), VMM_TRUE);
	CHECK_EQ(vmm_uapi_ioeventfd_collide(&any, &d1), VMM_TRUE);
	CHECK_EQ(vmm_uapi_ioeventfd_collide(&d1, &d2), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_collide(&w, &other), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_same(&d1, &d1), VMM_TRUE);
	CHECK_EQ(vmm_uapi_ioeventfd_same(&d1, &d2), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_same(&w, &any), VMM_FALSE);

	/* Only the low len bytes of the register are compared. */
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&d1, VMM_UAPI_IOBUS_PIO, 0x200U, 2U,
					0xFFFF1234ULL), VMM_TRUE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&d1, VMM_UAPI_IOBUS_PIO, 0x200U, 2U,
					0x5678U), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&d1, VMM_UAPI_IOBUS_PIO, 0x200U, 1U,
					0x34U), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&d1, VMM_UAPI_IOBUS_MMIO, 0x200U, 2U,
					0x1234U), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&w, VMM_UAPI_IOBUS_PIO, 0x201U, 2U,
					0U), VMM_FALSE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&any, VMM_UAPI_IOBUS_PIO, 0x200U, 4U,
					0U), VMM_TRUE);
	CHECK_EQ(vmm_uapi_ioeventfd_hit(&any, VMM_UAPI_IOBUS_PIO, 0x200U, 1U,
					0U), VMM_TRUE);
}

/* ---- kvm_enable_cap ----------------------------------------------------- */

static void enable_cap(void)
{
	struct vmm_uapi_enable_cap c;
	vmm_u32 pins = 0xDEADU;

	memset(&c, 0, sizeof(c));
	c.cap = KVM_CAP_SPLIT_IRQCHIP;
	c.args[0] = 24U;
	CHECK_EQ(vmm_uapi_decode_enable_cap(NULL, &pins), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_OK);
	CHECK_EQ(pins, 24U);
	c.args[0] = 4096U;
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_OK);
	CHECK_EQ(pins, 4096U);
	/* args[1..3] and the padding are not looked at, as in KVM. */
	c.args[1] = c.args[2] = c.args[3] = ~0ULL;
	c.pad[63] = 1U;
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_OK);
	pins = 0xDEADU;
	c.args[0] = 4097U;
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_ERR_CAP_PINS);
	c.args[0] = 1ULL << 32;		/* not truncated to 0 */
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_ERR_CAP_PINS);
	c.cap = KVM_CAP_IRQCHIP;
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_ERR_CAP_UNKNOWN);
	/* KVM's order: flags before the capability. */
	c.flags = 1U;
	CHECK_EQ(vmm_uapi_decode_enable_cap(&c, &pins), VMM_UAPI_ERR_CAP_FLAGS);
	CHECK_EQ(pins, 0xDEADU);
	CHECK_EQ(vmm_uapi_errno_class(VMM_UAPI_ERR_CAP_UNKNOWN), VMM_EINVAL);
}

/* ---- MSI ---------------------------------------------------------------- */

static void msi_msg(void)
{
	static const vmm_u32 addr[][2] = {
		{ 0xFED00000U, 0U }, { 0xFEF00000U, 0U }, { 0xFEE00000U, 1U },
	};
	struct vmm_uapi_msi_msg m = { .dest = 0xDEADU };
	vmm_u32 mode, i, bad;

	CHECK_EQ(vmm_uapi_decode_msi_msg(0xFEE00000U, 0U, 0x20U, NULL),
		 VMM_UAPI_ERR_NULL);
	/* Destination 0x12, logical, vector 0x41, lowest priority, level. */
	CHECK_EQ(vmm_uapi_decode_msi_msg(0xFEE12004U, 0U, 0x8141U, &m),
		 VMM_UAPI_OK);
	CHECK_EQ(m.dest, 0x12U);
	CHECK_EQ(m.logical, 1U);
	CHECK_EQ(m.vector, 0x41U);
	CHECK_EQ(m.mode, 1U);
	CHECK_EQ(m.level, 1U);
	/* Fixed, lowest, NMI and INIT pass; SMI, 3, SIPI and ExtINT do not. */
	for (mode = 0U; mode < 8U; mode++) {
		m.dest = 0xDEADU;
		bad = mode == 2U || mode == 3U || mode == 6U || mode == 7U;
		CHECK_EQ(vmm_uapi_decode_msi_msg(0xFEE00000U, 0U, mode << 8, &m),
			 bad ? VMM_UAPI_ERR_MSI_MODE : VMM_UAPI_OK);
		CHECK_EQ(m.dest == 0xDEADU, bad);
	}
	/* The window: 0xFEE in bits 31:20, nothing above 4 GiB. */
	for (i = 0U; i < sizeof(addr) / sizeof(addr[0]); i++)
		CHECK_EQ(vmm_uapi_decode_msi_msg(addr[i][0], addr[i][1], 0x20U,
						 &m), VMM_UAPI_ERR_MSI_ADDR);
	CHECK_EQ(m.dest, 0xDEADU);
}

static void msi_signal(void)
{
	struct vmm_uapi_msi in;
	struct vmm_uapi_msi_msg m = { .dest = 0xDEADU };

	memset(&in, 0, sizeof(in));
	in.address_lo = 0xFEE00000U;
	in.data = 0x30U;
	CHECK_EQ(vmm_uapi_decode_msi(NULL, &m), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_msi(&in, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_OK);
	CHECK_EQ(m.vector, 0x30U);
	/* KVM_MSI_VALID_DEVID is KVM's one flag; the devid is ignored. */
	in.flags = KVM_MSI_VALID_DEVID;
	in.devid = 7U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_OK);
	m.dest = 0xDEADU;
	in.flags = 2U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_FLAGS);
	in.flags = 0x80000000U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_FLAGS);
	in.flags = 0U;
	in.pad[11] = 1U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_PAD);
	in.pad[11] = 0U;
	in.pad[0] = 0x80U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_PAD);
	in.pad[0] = 0U;
	in.address_hi = 1U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_ADDR);
	in.address_hi = 0U;
	in.data = 0x700U;
	CHECK_EQ(vmm_uapi_decode_msi(&in, &m), VMM_UAPI_ERR_MSI_MODE);
	CHECK_EQ(m.dest, 0xDEADU);
}

/* ---- kvm_irq_routing ---------------------------------------------------- */

static struct vmm_uapi_irq_routing_entry route(vmm_u32 gsi, vmm_u32 data)
{
	struct vmm_uapi_irq_routing_entry e;

	memset(&e, 0, sizeof(e));
	e.gsi = gsi;
	e.type = KVM_IRQ_ROUTING_MSI;
	e.msi_address_lo = 0xFEE00000U + gsi;
	e.msi_data = data;
	return e;
}

static void routing_header(void)
{
	struct vmm_uapi_irq_routing h = { .nr = 4096U };
	vmm_u32 n = 0xDEADU;

	CHECK_EQ(vmm_uapi_decode_gsi_routing_header(NULL, &n), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_gsi_routing_header(&h, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_gsi_routing_header(&h, &n), VMM_UAPI_OK);
	CHECK_EQ(n, 4096U);
	n = 0xDEADU;
	h.nr = 4097U;
	CHECK_EQ(vmm_uapi_decode_gsi_routing_header(&h, &n),
		 VMM_UAPI_ERR_ROUTING_NR);
	h.nr = 0U;
	h.flags = 1U;
	CHECK_EQ(vmm_uapi_decode_gsi_routing_header(&h, &n),
		 VMM_UAPI_ERR_ROUTING_FLAGS);
	CHECK_EQ(n, 0xDEADU);
}

static void routes_span(void)
{
	struct vmm_uapi_irq_routing_entry e[3];

	e[0] = route(5U, 0U);
	e[1] = route(4096U, 0U);	/* refused later: not counted */
	e[2] = route(2U, 0U);
	CHECK_EQ(vmm_uapi_gsi_routes_span(NULL, 0U), 0U);
	CHECK_EQ(vmm_uapi_gsi_routes_span(e, 0U), 0U);
	CHECK_EQ(vmm_uapi_gsi_routes_span(e, 3U), 6U);
	e[2] = route(4095U, 0U);
	CHECK_EQ(vmm_uapi_gsi_routes_span(e, 3U), 4096U);
}

static struct vmm_uapi_msi_route rt[VMM_UAPI_MAX_IRQ_ROUTES];

static enum vmm_uapi_err routes(const struct vmm_uapi_irq_routing_entry *e,
				vmm_u32 n)
{
	memset(rt, 0, sizeof(rt));
	return vmm_uapi_decode_gsi_routes(e, n, rt,
					  vmm_uapi_gsi_routes_span(e, n));
}

static void routes_decode(void)
{
	struct vmm_uapi_irq_routing_entry e[3];
	vmm_u32 g;

	e[0] = route(3U, 0x8031U);
	e[1] = route(0U, 0x30U);
	e[2] = route(4095U, 0x32U);
	CHECK_EQ(vmm_uapi_decode_gsi_routes(NULL, 0U, rt, 0U), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_gsi_routes(e, 0U, NULL, 0U), VMM_UAPI_ERR_NULL);
	CHECK_EQ(routes(e, 0U), VMM_UAPI_OK);
	e[2].flags = KVM_MSI_VALID_DEVID;	/* KVM's one route flag */
	CHECK_EQ(routes(e, 3U), VMM_UAPI_OK);
	for (g = 0U; g < 4096U; g++)
		CHECK_EQ(rt[g].valid, g == 0U || g == 3U || g == 4095U);
	CHECK_EQ(rt[3].address, 0xFEE00003U);
	CHECK_EQ(rt[3].data, 0x8031U);
	CHECK_EQ(rt[4095].data, 0x32U);
	/* The table's size is the caller's: a GSI beyond it is refused. */
	memset(rt, 0, sizeof(rt));
	CHECK_EQ(vmm_uapi_decode_gsi_routes(e, 3U, rt, 4095U),
		 VMM_UAPI_ERR_ROUTE_TABLE);
}

static void routes_reject(void)
{
	struct vmm_uapi_irq_routing_entry e[2];

	e[0] = route(1U, 0x30U);
	e[1] = route(4096U, 0x30U);
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_GSI);
	e[1] = route(2U, 0x30U);
	e[1].type = KVM_IRQ_ROUTING_IRQCHIP;
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_TYPE);
	e[1].type = 99U;
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_TYPE);
	e[1] = route(2U, 0x30U);
	e[1].flags = 2U;
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_FLAGS);
	e[1] = route(2U, 0x30U);
	e[1].msi_address_hi = 1U;
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_ADDR_HI);
	e[1] = route(1U, 0x31U);
	CHECK_EQ(routes(e, 2U), VMM_UAPI_ERR_ROUTE_DUPLICATE);
	/* Padding and the rest of the union are not read. */
	e[1] = route(2U, 0x30U);
	e[1].pad = ~0U;
	e[1].msi_devid = ~0U;
	e[1].u_rest[3] = ~0U;
	CHECK_EQ(routes(e, 2U), VMM_UAPI_OK);
}

/* ---- kvm_irqfd ---------------------------------------------------------- */

static void irqfd(void)
{
	struct vmm_uapi_irqfd a;
	vmm_u32 d = 0xDEADU;

	memset(&a, 0, sizeof(a));
	CHECK_EQ(vmm_uapi_decode_irqfd(NULL, &d), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, NULL), VMM_UAPI_ERR_NULL);
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_OK);
	CHECK_EQ(d, 0U);
	a.flags = KVM_IRQFD_FLAG_DEASSIGN;
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_OK);
	CHECK_EQ(d, 1U);
	/* A deassign ignores RESAMPLE, as KVM. */
	a.flags = KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE;
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_OK);
	CHECK_EQ(d, 1U);
	d = 0xDEADU;
	a.flags = KVM_IRQFD_FLAG_RESAMPLE;
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_ERR_IRQFD_RESAMPLE);
	a.flags = 4U;
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_ERR_IRQFD_FLAGS);
	a.flags = KVM_IRQFD_FLAG_DEASSIGN | 0x80000000U;
	CHECK_EQ(vmm_uapi_decode_irqfd(&a, &d), VMM_UAPI_ERR_IRQFD_FLAGS);
	CHECK_EQ(d, 0xDEADU);
}

int main(void)
{
	static const struct tap_case cases[] = {
		TAP_CASE(layout_twins),
		TAP_CASE(errno_memslot),
		TAP_CASE(errno_uapi),
		TAP_CASE(region_thin_decode),
		TAP_CASE(regs_null),
		TAP_CASE(regs_forces_rflags_bit1),
		TAP_CASE(sregs_null),
		TAP_CASE(sregs_accepts),
		TAP_CASE(sregs_caps),
		TAP_CASE(sregs_cr0),
		TAP_CASE(sregs_cr4_efer),
		TAP_CASE(sregs_long_mode),
		TAP_CASE(sregs_apic_base),
		TAP_CASE(sregs_irq_bitmap),
		TAP_CASE(cpuid_header),
		TAP_CASE(cpuid_null_and_size),
		TAP_CASE(cpuid_full_table),
		TAP_CASE(cpuid_flags),
		TAP_CASE(cpuid_duplicate),
		TAP_CASE(cpuid_ambiguous),
		TAP_CASE(cpuid_phys_bits),
		TAP_CASE(cpuid_lookup),
		TAP_CASE(interrupt),
		TAP_CASE(ioeventfd_decode),
		TAP_CASE(ioeventfd_match),
		TAP_CASE(enable_cap),
		TAP_CASE(msi_msg),
		TAP_CASE(msi_signal),
		TAP_CASE(routing_header),
		TAP_CASE(routes_span),
		TAP_CASE(routes_decode),
		TAP_CASE(routes_reject),
		TAP_CASE(irqfd),
	};

	return tap_run("uapi", cases, TAP_COUNT(cases));
}
