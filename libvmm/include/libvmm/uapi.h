/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 7: ioctl argument validation (decode, then invoke).
 *
 * The kernel module copies each ioctl argument from userspace into a libvmm
 * struct with the layout of its <linux/kvm.h> twin (the module checks the
 * layouts with BUILD_BUG_ON on sizeof/offsetof; this header checks the sizes
 * and offsets it can state on its own), then calls the matching
 * vmm_uapi_decode_*() function.  A decoder checks everything and either
 * rejects the argument with its own error code, or establishes the
 * invariant of the decoded value (a predicate of acsl-specs/uapi.acsl) that
 * the invoke side can rely on without checking again.  Decoders work in
 * place: they never write the copied argument, only the few fields they
 * derive (forced RFLAGS bit, pending interrupt, CPUID count and
 * MAXPHYADDR), and those only on success (RFLAGS: always).
 *
 * What the module calls, and when (all after copy_from_user):
 *   KVM_SET_USER_MEMORY_REGION  vmm_uapi_decode_memory_region(r), then,
 *       under the VM lock, vmm_memslot_set(tbl, r) (layer 1); errno:
 *       -vmm_uapi_memslot_errno_class(err) of either.
 *   KVM_SET_REGS     vmm_uapi_decode_regs() (cannot fail on non-NULL).
 *   KVM_SET_SREGS    copy into d->sregs, vmm_uapi_decode_sregs(d, caps)
 *       with the vCPU's capabilities (allowed CR4/EFER bits, guest
 *       MAXPHYADDR, x2APIC in guest CPUID); then load d->sregs and queue
 *       d->pending_irq if it is < 256.
 *   KVM_SET_CPUID2   vmm_uapi_decode_cpuid2_header() on the 8-byte header
 *       (gives nent <= 256, so the module knows how much to copy), copy nent
 *       entries into t->entries of a fresh table, vmm_uapi_decode_cpuid(t,
 *       nent); on success install t, on failure drop it.  Lookups:
 *       vmm_uapi_cpuid_lookup().  t->maxphyaddr is the value to pass in
 *       vmm_uapi_sregs_caps.
 *   KVM_INTERRUPT    vmm_uapi_decode_interrupt().
 *   KVM_IOEVENTFD    assign: vmm_uapi_decode_ioeventfd() gives the
 *       registration's key; the module refuses it (-EEXIST) if
 *       vmm_uapi_ioeventfd_collide() with one it has.  Deassign: KVM checks
 *       nothing, so vmm_uapi_ioeventfd_key() (cannot fail), and the entry
 *       to drop is the one with vmm_uapi_ioeventfd_same().  A guest write
 *       goes to the registration vmm_uapi_ioeventfd_hit() names; two
 *       registrations that do not collide are never hit by one write
 *       (lemma uapi_ioeventfd_one_hit), so the first hit is the only one.
 *   KVM_ENABLE_CAP   vmm_uapi_decode_enable_cap() gives the IOAPIC pin
 *       count; whether the VM may still take the capability (no irqchip,
 *       no vCPU yet: -EEXIST) is the module's state.
 *   KVM_SIGNAL_MSI   vmm_uapi_decode_msi() gives the decoded message the
 *       LAPICs act on.
 *   KVM_SET_GSI_ROUTING  vmm_uapi_decode_gsi_routing_header() on the 8-byte
 *       header (nr <= 4096: how much to copy), copy nr entries,
 *       vmm_uapi_gsi_routes_span() sizes a zeroed table of routes by GSI,
 *       vmm_uapi_decode_gsi_routes() checks the entries and fills it; on
 *       success the module decodes each route's MSI once with
 *       vmm_uapi_decode_msi_msg() and publishes the messages, on failure
 *       drops the table.
 *   KVM_IRQFD        vmm_uapi_decode_irqfd() says assign or deassign; when
 *       an irqfd fires, the module delivers its GSI's decoded message.
 *   Errors of this layer: -vmm_uapi_errno_class(err).
 *
 * Rules, and where they differ from KVM (Linux 6.1, arch/x86/kvm/x86.c and
 * cpuid.c):
 *   memory region  every rule is layer 1's (vmm_memslot_validate() for the
 *       region alone, vmm_memslot_set() for the table, including the
 *       table's guest-physical limit, which KVM too checks after the
 *       overlap): this layer adds none.  Errno class: OVERLAP -> EEXIST,
 *       every other code -> EINVAL, as KVM's __kvm_set_memory_region().
 *   kvm_regs       nothing is invalid.  RFLAGS bit 1 is forced to 1, as
 *       kvm_set_regs() does (kvm_set_rflags(regs->rflags | X86_EFLAGS_FIXED)):
 *       mirrored, not rejected, so every KVM userspace keeps working.
 *   kvm_sregs      the checks of kvm_is_valid_sregs() and
 *       __set_sregs_common()/kvm_set_apic_base():
 *         - CR0 bits 63:32 set, CR0.PG without CR0.PE, CR0.NW without CR0.CD
 *           (kvm_is_valid_cr0(), checked by KVM_SET_SREGS since "KVM: x86:
 *           Disallow KVM_SET_SREGS{2} if incoming CR0 is invalid", in 6.1.y
 *           stable); the vendor CR0 hook (VMX without unrestricted guest)
 *           is not modelled;
 *         - CR4 bit outside caps->cr4_allowed (kvm_is_valid_cr4());
 *         - EFER bit outside caps->efer_allowed (KVM 6.1 does not check
 *           EFER in KVM_SET_SREGS; later kernels do, with kvm_valid_efer());
 *         - EFER.LME && CR0.PG ("long mode"): CR4.PAE must be set;
 *           EFER.LMA must equal long mode; in long mode CR3 has no bit at
 *           or above MAXPHYADDR; outside long mode CS.L must be 0;
 *         - APIC base (kvm_set_apic_base(), host-initiated): bits 7:0 and 9
 *           reserved (0x2FF), no bit at or above MAXPHYADDR, EXTD (bit 10)
 *           only with x2APIC in guest CPUID, EXTD without EN (bit 11) is
 *           KVM's LAPIC_MODE_INVALID;
 *         - interrupt_bitmap: at most one bit set.  KVM takes the lowest
 *           set bit and ignores the others; lamina rejects the ambiguity.
 *       Segments: KVM requires no consistency between "unusable" and
 *       "present" (VMX treats !present as unusable; SVM uses the present
 *       bit), so none is checked.  CR8 is not checked (KVM ignores the
 *       result of kvm_set_cr8() here).  PAE PDPTRs (non-long-mode PAE
 *       paging) need guest memory: the invoke side loads them.
 *   kvm_cpuid2     nent <= 256 (KVM_MAX_CPUID_ENTRIES, else E2BIG); entry
 *       flags 0 or KVM_CPUID_FLAG_SIGNIFCANT_INDEX only (strict: KVM 6.1
 *       does not look at the flags beyond that bit); no two entries for the
 *       same (function, index) (DUPLICATE); no two entries for one function
 *       where one of them lacks the significant-index flag (AMBIGUOUS: both
 *       would match some lookup; KVM silently takes the first).  The
 *       padding is never read.  The guest MAXPHYADDR is
 *       EAX[7:0] of the entry matching (0x80000008, 0) and must be in
 *       [32, 52]; without such an entry it is 36, KVM's default in
 *       cpuid_query_maxphyaddr() (which also consults leaf 0x80000000;
 *       lamina does not).
 *   kvm_interrupt  irq < 256 (KVM_NR_INTERRUPTS).
 *   kvm_ioeventfd  the checks of kvm_assign_ioeventfd() (virt/kvm/eventfd.c),
 *       in its order: len 0, 1, 2, 4 or 8; addr + len does not wrap; flags
 *       within KVM_IOEVENTFD_VALID_FLAG_MASK (bits 0..4: bit 4, "fast
 *       MMIO", is in KVM's mask though nothing uses it); no DATAMATCH with
 *       len 0.  The bus is PIO if that flag is set, else virtio-ccw if
 *       that one is (s390's; accepted on x86 as KVM does, never hit), else
 *       MMIO.  The padding and the fd are not read (the module resolves
 *       the fd: -EBADF / -EINVAL as KVM).  Collision and hit are KVM's
 *       ioeventfd_check_collision() and ioeventfd_in_range().
 *   kvm_enable_cap  x86 kvm_vm_ioctl_enable_cap(): flags 0; only
 *       KVM_CAP_SPLIT_IRQCHIP (every other capability: EINVAL; KVM enables
 *       a few more); args[0] <= 4096 pins (MAX_NR_RESERVED_IOAPIC_PINS);
 *       args[1..3] and the padding are not read, as in KVM.
 *   kvm_msi        kvm_send_userspace_msi(): flags only KVM_MSI_VALID_DEVID
 *       (the devid is not read: x86 ignores it).  Stricter than KVM: the
 *       padding must be zero; the address must be in the LAPICs' window
 *       (bits 31:20 0xFEE, address_hi 0; KVM does not look at bits 31:20
 *       and, without x2APIC routing, at address_hi); SMI, reserved (3),
 *       SIPI and ExtINT delivery modes are refused (no SMM, no 8259 behind
 *       the LAPIC).  The same message rules apply to a route's MSI when
 *       its irqfd fires (KVM takes any route address): a bad one is
 *       dropped, not an ioctl error.
 *   kvm_irq_routing  nr <= 4096 (KVM_MAX_IRQ_ROUTES), then flags 0 (KVM's
 *       order); per entry (kvm_set_irq_routing(), kvm_set_routing_entry()):
 *       GSI < 4096; type MSI only (irqchip routes need KVM's in-kernel
 *       PIC/IOAPIC, which a split irqchip has not; KVM would also take
 *       Hyper-V SynIC and Xen routes, lamina has neither); flags only
 *       KVM_MSI_VALID_DEVID; address_hi 0 (stricter than KVM); no GSI
 *       twice (setup_routing_entry(): only irqchip routes may share one).
 *       The entry's padding and the rest of the union are not read.
 *   kvm_irqfd      kvm_irqfd(): flags only DEASSIGN and RESAMPLE; an
 *       assign with RESAMPLE needs KVM's in-kernel IOAPIC
 *       (kvm_arch_irqfd_allowed()): EINVAL; a deassign ignores RESAMPLE.
 *       fd, gsi, resamplefd and the padding have no rule here.
 *
 * The ACSL model is acsl-specs/uapi.acsl.  Preconditions are weak: NULL
 * pointers are allowed and rejected at run time; the objects passed to one
 * call must not overlap.  No state, no lock.
 */
#ifndef LIBVMM_UAPI_H
#define LIBVMM_UAPI_H

#include <libvmm/types.h>
#include <libvmm/memslot.h>

/* Errno classes, positive; the values are Linux's (asm-generic/errno*.h). */
#define VMM_E2BIG 7U
#define VMM_EFAULT 14U
#define VMM_EEXIST 17U
#define VMM_EINVAL 22U
#define VMM_ENOTTY 25U /* for the module: unknown ioctl; no code maps here */

/* KVM_NR_INTERRUPTS (asm/kvm.h). */
#define VMM_UAPI_NR_INTERRUPTS 256U
/* kvm_sregs.interrupt_bitmap: (KVM_NR_INTERRUPTS + 63) / 64 words. */
#define VMM_UAPI_IRQ_WORDS ((VMM_UAPI_NR_INTERRUPTS + 63U) / 64U)
/* decoded sregs: no interrupt pending. */
#define VMM_UAPI_NO_PENDING_IRQ VMM_UAPI_NR_INTERRUPTS

/* RFLAGS bit 1 reads as 1 (SDM Vol. 1, 3.4.3 "EFLAGS Register"). */
#define VMM_RFLAGS_FIXED 0x2ULL

/* CR0, CR4, EFER, IA32_APIC_BASE bits (SDM Vol. 3A, 2.5 and 10.4.4). */
#define VMM_CR0_PE 0x1ULL
#define VMM_CR0_NW 0x20000000ULL
#define VMM_CR0_CD 0x40000000ULL
#define VMM_CR0_PG 0x80000000ULL
#define VMM_CR0_MAX 0xFFFFFFFFULL /* bits 63:32 are reserved */
#define VMM_CR4_PAE 0x20ULL
#define VMM_EFER_LME 0x100ULL
#define VMM_EFER_LMA 0x400ULL
#define VMM_APIC_BASE_RSVD 0x2FFULL /* bits 7:0 and 9 (KVM's 0x2ff) */
#define VMM_APIC_BASE_EXTD 0x400ULL /* x2APIC mode */
#define VMM_APIC_BASE_EN 0x800ULL

/* Guest MAXPHYADDR bounds and default: VMM_MAXPHYADDR_* of memslot.h. */

/* KVM_MAX_CPUID_ENTRIES and the entry flag values (asm/kvm.h). */
#define VMM_CPUID_MAX_ENTRIES 256U
#define VMM_CPUID_FLAG_SIGNIFCANT_INDEX 1U
/* The extended leaf holding the physical address width (AMD APM Vol. 3,
 * E.4.7; SDM Vol. 2A, CPUID): EAX[7:0] = physical address bits. */
#define VMM_CPUID_LEAF_ADDR_SIZES 0x80000008U
#define VMM_CPUID_PHYS_BITS_MASK 0xFFU

enum vmm_uapi_err {
	VMM_UAPI_OK = 0,
	VMM_UAPI_ERR_NULL = 1,               /* a pointer argument is NULL */
	/* sregs (vmm_uapi_decode_sregs) */
	VMM_UAPI_ERR_CAPS_MAXPHYADDR = 2,    /* caps->maxphyaddr not in [32,52] */
	VMM_UAPI_ERR_CR0_RESERVED = 3,       /* CR0 bits 63:32 */
	VMM_UAPI_ERR_CR0_PG_NO_PE = 4,       /* CR0.PG without CR0.PE */
	VMM_UAPI_ERR_CR0_NW_NO_CD = 5,       /* CR0.NW without CR0.CD */
	VMM_UAPI_ERR_CR4_RESERVED = 6,       /* CR4 bit not in cr4_allowed */
	VMM_UAPI_ERR_EFER_RESERVED = 7,      /* EFER bit not in efer_allowed */
	VMM_UAPI_ERR_LONG_NO_PAE = 8,        /* LME && PG, CR4.PAE clear */
	VMM_UAPI_ERR_LMA_MISMATCH = 9,       /* EFER.LMA != (LME && PG) */
	VMM_UAPI_ERR_CR3_RESERVED = 10,      /* long mode, CR3 >= 2^maxphyaddr */
	VMM_UAPI_ERR_CS_L = 11,              /* CS.L outside long mode */
	VMM_UAPI_ERR_APIC_BASE_RESERVED = 12, /* APIC base bits 7:0 or 9 */
	VMM_UAPI_ERR_APIC_BASE_MAXPHYADDR = 13, /* APIC base >= 2^maxphyaddr */
	VMM_UAPI_ERR_APIC_BASE_X2APIC = 14,  /* EXTD, guest has no x2APIC */
	VMM_UAPI_ERR_APIC_BASE_MODE = 15,    /* EXTD without EN */
	VMM_UAPI_ERR_IRQ_BITMAP = 16,        /* two interrupt_bitmap bits */
	/* cpuid (vmm_uapi_decode_cpuid2_header, _decode_cpuid, _lookup) */
	VMM_UAPI_ERR_CPUID_E2BIG = 17,       /* nent > 256 */
	VMM_UAPI_ERR_CPUID_FLAGS = 18,       /* entry flags other than 0, 1 */
	VMM_UAPI_ERR_CPUID_DUPLICATE = 19,   /* same (function, index) twice */
	VMM_UAPI_ERR_CPUID_AMBIGUOUS = 20,   /* same function, one w/o flag */
	VMM_UAPI_ERR_CPUID_PHYS_BITS = 21,   /* 0x80000008 EAX[7:0] not 32..52 */
	VMM_UAPI_ERR_CPUID_NOT_FOUND = 22,   /* lookup: no entry matches */
	/* interrupt (vmm_uapi_decode_interrupt) */
	VMM_UAPI_ERR_IRQ_RANGE = 23,         /* irq >= 256 */
	/* ioeventfd (vmm_uapi_decode_ioeventfd) */
	VMM_UAPI_ERR_IOEVENTFD_LEN = 24,     /* len not 0, 1, 2, 4, 8 */
	VMM_UAPI_ERR_IOEVENTFD_WRAP = 25,    /* addr + len wraps around */
	VMM_UAPI_ERR_IOEVENTFD_FLAGS = 26,   /* flag outside the valid mask */
	VMM_UAPI_ERR_IOEVENTFD_LEN0_DATAMATCH = 27, /* DATAMATCH with len 0 */
	/* enable_cap (vmm_uapi_decode_enable_cap) */
	VMM_UAPI_ERR_CAP_FLAGS = 28,         /* flags set */
	VMM_UAPI_ERR_CAP_UNKNOWN = 29,       /* not KVM_CAP_SPLIT_IRQCHIP */
	VMM_UAPI_ERR_CAP_PINS = 30,          /* args[0] > 4096 IOAPIC pins */
	/* msi (vmm_uapi_decode_msi, _decode_msi_msg) */
	VMM_UAPI_ERR_MSI_FLAGS = 31,         /* flag other than VALID_DEVID */
	VMM_UAPI_ERR_MSI_PAD = 32,           /* padding not zero */
	VMM_UAPI_ERR_MSI_ADDR = 33,          /* not in the 0xFEExxxxx window */
	VMM_UAPI_ERR_MSI_MODE = 34,          /* SMI, 3, SIPI or ExtINT */
	/* gsi routing (vmm_uapi_decode_gsi_routing_header, _decode_gsi_routes) */
	VMM_UAPI_ERR_ROUTING_NR = 35,        /* nr > 4096 */
	VMM_UAPI_ERR_ROUTING_FLAGS = 36,     /* header flags set */
	VMM_UAPI_ERR_ROUTE_GSI = 37,         /* gsi >= 4096 */
	VMM_UAPI_ERR_ROUTE_TYPE = 38,        /* not an MSI route */
	VMM_UAPI_ERR_ROUTE_FLAGS = 39,       /* flag other than VALID_DEVID */
	VMM_UAPI_ERR_ROUTE_ADDR_HI = 40,     /* MSI address above 4 GiB */
	VMM_UAPI_ERR_ROUTE_TABLE = 41,       /* gsi beyond the caller's table */
	VMM_UAPI_ERR_ROUTE_DUPLICATE = 42,   /* one GSI routed twice */
	/* irqfd (vmm_uapi_decode_irqfd) */
	VMM_UAPI_ERR_IRQFD_FLAGS = 43,       /* flag other than DEASSIGN, RESAMPLE */
	VMM_UAPI_ERR_IRQFD_RESAMPLE = 44     /* assign with RESAMPLE */
};

/* KVM_CAP_SPLIT_IRQCHIP (linux/kvm.h), the one capability to enable. */
#define VMM_UAPI_CAP_SPLIT_IRQCHIP 121U
/*
 * KVM_MAX_IRQ_ROUTES (x86): routes per table, GSIs below it, and KVM's
 * MAX_NR_RESERVED_IOAPIC_PINS, the most pins KVM_ENABLE_CAP may name.
 */
#define VMM_UAPI_MAX_IRQ_ROUTES 4096U
/* KVM_IRQ_ROUTING_MSI: the only route type of a split irqchip here. */
#define VMM_UAPI_IRQ_ROUTING_MSI 2U
/* KVM_MSI_VALID_DEVID: x86 KVM accepts it and ignores the devid. */
#define VMM_UAPI_MSI_VALID_DEVID 0x1U
/* KVM_IRQFD_FLAG_DEASSIGN, KVM_IRQFD_FLAG_RESAMPLE. */
#define VMM_UAPI_IRQFD_DEASSIGN 0x1U
#define VMM_UAPI_IRQFD_RESAMPLE 0x2U
#define VMM_UAPI_IRQFD_VALID 0x3U	/* the two above */
/*
 * An MSI (SDM vol. 3A, 10.11.1-2): address bits 31:20 are 0xFEE, 19:12
 * the destination, bit 2 logical destination mode; data bits 7:0 the
 * vector, 10:8 the delivery mode, bit 15 level-triggered.
 */
#define VMM_UAPI_MSI_ADDR_BASE 0xFEE00000U
#define VMM_UAPI_MSI_ADDR_BASE_MASK 0xFFF00000U
#define VMM_UAPI_MSI_ADDR_LOGICAL 0x4U
#define VMM_UAPI_MSI_DATA_LEVEL 0x8000U
/* Delivery modes an MSI may not use here: SMI, 3 (reserved), SIPI, ExtINT. */
#define VMM_UAPI_MSI_MODE_SMI 2U
#define VMM_UAPI_MSI_MODE_RSVD 3U
#define VMM_UAPI_MSI_MODE_SIPI 6U
#define VMM_UAPI_MSI_MODE_EXTINT 7U

/* KVM_IOEVENTFD flags (linux/kvm.h, 1 << kvm_ioeventfd_flag_nr_*). */
#define VMM_UAPI_IOEVENTFD_DATAMATCH 0x1U
#define VMM_UAPI_IOEVENTFD_PIO 0x2U
#define VMM_UAPI_IOEVENTFD_DEASSIGN 0x4U
#define VMM_UAPI_IOEVENTFD_CCW 0x8U	/* VIRTIO_CCW_NOTIFY */
#define VMM_UAPI_IOEVENTFD_VALID 0x1FU	/* KVM_IOEVENTFD_VALID_FLAG_MASK */

/* The address spaces (KVM's buses) an ioeventfd watches. */
#define VMM_UAPI_IOBUS_MMIO 0U
#define VMM_UAPI_IOBUS_PIO 1U
#define VMM_UAPI_IOBUS_CCW 2U

/*
 * The uapi twins.  Field order, widths and padding are those of
 * <linux/kvm.h> / <asm/kvm.h>; "padding" fields are explicit where the
 * uapi has them.  KVM_SET_USER_MEMORY_REGION's twin is layer 1's
 * struct vmm_memslot_region (twin of struct kvm_userspace_memory_region).
 */

/* Twin of struct kvm_regs (asm/kvm.h). */
struct vmm_uapi_regs {
	vmm_u64 rax, rbx, rcx, rdx;
	vmm_u64 rsi, rdi, rsp, rbp;
	vmm_u64 r8, r9, r10, r11;
	vmm_u64 r12, r13, r14, r15;
	vmm_u64 rip, rflags;
};

/* Twin of struct kvm_segment (asm/kvm.h). */
struct vmm_uapi_segment {
	vmm_u64 base;
	vmm_u32 limit;
	vmm_u16 selector;
	vmm_u8 type;
	vmm_u8 present, dpl, db, s, l, g, avl;
	vmm_u8 unusable;
	vmm_u8 padding;
};

/* Twin of struct kvm_dtable (asm/kvm.h). */
struct vmm_uapi_dtable {
	vmm_u64 base;
	vmm_u16 limit;
	vmm_u16 padding[3];
};

/* Twin of struct kvm_sregs (asm/kvm.h). */
struct vmm_uapi_sregs {
	struct vmm_uapi_segment cs, ds, es, fs, gs, ss;
	struct vmm_uapi_segment tr, ldt;
	struct vmm_uapi_dtable gdt, idt;
	vmm_u64 cr0, cr2, cr3, cr4, cr8;
	vmm_u64 efer;
	vmm_u64 apic_base;
	vmm_u64 interrupt_bitmap[VMM_UAPI_IRQ_WORDS];
};

/* Twin of struct kvm_cpuid_entry2 (asm/kvm.h). */
struct vmm_uapi_cpuid_entry2 {
	vmm_u32 function;
	vmm_u32 index;
	vmm_u32 flags;
	vmm_u32 eax;
	vmm_u32 ebx;
	vmm_u32 ecx;
	vmm_u32 edx;
	vmm_u32 padding[3];
};

/*
 * Twin of the header of struct kvm_cpuid2 (asm/kvm.h): its flexible array
 * "entries" starts at offset 8 == sizeof(struct vmm_uapi_cpuid2); the module
 * copies the entries separately, after vmm_uapi_decode_cpuid2_header().
 */
struct vmm_uapi_cpuid2 {
	vmm_u32 nent;
	vmm_u32 padding;
};

/* Twin of struct kvm_interrupt (linux/kvm.h). */
struct vmm_uapi_interrupt {
	vmm_u32 irq;
};

/* Twin of struct kvm_ioeventfd (linux/kvm.h); fd is __s32 there. */
struct vmm_uapi_ioeventfd {
	vmm_u64 datamatch;
	vmm_u64 addr;
	vmm_u32 len;
	vmm_u32 fd;          /* never read here */
	vmm_u32 flags;
	vmm_u8 pad[36];      /* never read */
};

/* Twin of struct kvm_enable_cap (linux/kvm.h). */
struct vmm_uapi_enable_cap {
	vmm_u32 cap;
	vmm_u32 flags;
	vmm_u64 args[4];
	vmm_u8 pad[64];      /* never read, as in KVM */
};

/* Twin of struct kvm_msi (linux/kvm.h). */
struct vmm_uapi_msi {
	vmm_u32 address_lo;
	vmm_u32 address_hi;
	vmm_u32 data;
	vmm_u32 flags;
	vmm_u32 devid;       /* never read (x86) */
	vmm_u8 pad[12];
};

/*
 * Twin of the header of struct kvm_irq_routing (linux/kvm.h): its
 * flexible array "entries" starts at offset 8; the module copies the
 * entries separately, after vmm_uapi_decode_gsi_routing_header().
 */
struct vmm_uapi_irq_routing {
	vmm_u32 nr;
	vmm_u32 flags;
};

/*
 * Twin of struct kvm_irq_routing_entry (linux/kvm.h), with the union u
 * (at offset 16, 32 bytes) seen as its MSI member; the rest of u is not
 * read.
 */
struct vmm_uapi_irq_routing_entry {
	vmm_u32 gsi;
	vmm_u32 type;
	vmm_u32 flags;
	vmm_u32 pad;             /* never read, as in KVM */
	vmm_u32 msi_address_lo;
	vmm_u32 msi_address_hi;
	vmm_u32 msi_data;
	vmm_u32 msi_devid;       /* never read (x86) */
	vmm_u32 u_rest[4];       /* never read */
};

/* Twin of struct kvm_irqfd (linux/kvm.h); fd and resamplefd are not read. */
struct vmm_uapi_irqfd {
	vmm_u32 fd;
	vmm_u32 gsi;
	vmm_u32 flags;
	vmm_u32 resamplefd;
	vmm_u8 pad[16];      /* never read, as in KVM */
};

/*
 * A decoded MSI (address and data), what the LAPICs act on.  Every field
 * is a bit field of the address or data (see VMM_UAPI_MSI_*).
 */
struct vmm_uapi_msi_msg {
	vmm_u32 dest;        /* address bits 19:12 */
	vmm_u32 logical;     /* address bit 2 */
	vmm_u32 vector;      /* data bits 7:0 */
	vmm_u32 mode;        /* data bits 10:8, not SMI, 3, SIPI, ExtINT */
	vmm_u32 level;       /* data bit 15 */
};

/*
 * One GSI's MSI route in a decoded routing table, indexed by GSI: valid
 * is 1 if the table routes that GSI, 0 if not.  The address is the MSI's
 * address_lo (address_hi is 0 in every accepted route).  u64 and u8, not
 * u32, on purpose: the entries are all u32, and in WP's memory model each
 * C integer type has its own memory, so writing a slot leaves the entries
 * untouched without frame reasoning (as struct vmm_uapi_cpuid_table).
 */
struct vmm_uapi_msi_route {
	vmm_u64 address;
	vmm_u64 data;
	vmm_u8 valid;
	vmm_u8 reserved[7];  /* never read or written here */
};

/*
 * A decoded ioeventfd: what a write must match.  datamatch is 0 for a
 * wildcard (no DATAMATCH), so two keys of one registration are equal.
 */
struct vmm_uapi_ioeventfd_key {
	vmm_u64 addr;
	vmm_u64 datamatch;
	vmm_u32 len;         /* 0: a write of any length */
	vmm_u32 bus;         /* VMM_UAPI_IOBUS_* */
	vmm_u32 wildcard;    /* 1: any value, 0: datamatch only */
};

VMM_BUILD_ASSERT(uapi_memory_region_size,
		 sizeof(struct vmm_memslot_region) == 32U);
VMM_BUILD_ASSERT(uapi_memory_region_uaddr,
		 __builtin_offsetof(struct vmm_memslot_region,
				    userspace_addr) == 24U);
VMM_BUILD_ASSERT(uapi_regs_size, sizeof(struct vmm_uapi_regs) == 144U);
VMM_BUILD_ASSERT(uapi_regs_rflags,
		 __builtin_offsetof(struct vmm_uapi_regs, rflags) == 136U);
VMM_BUILD_ASSERT(uapi_segment_size, sizeof(struct vmm_uapi_segment) == 24U);
VMM_BUILD_ASSERT(uapi_segment_unusable,
		 __builtin_offsetof(struct vmm_uapi_segment, unusable) == 22U);
VMM_BUILD_ASSERT(uapi_dtable_size, sizeof(struct vmm_uapi_dtable) == 16U);
VMM_BUILD_ASSERT(uapi_sregs_size, sizeof(struct vmm_uapi_sregs) == 312U);
VMM_BUILD_ASSERT(uapi_sregs_cr0,
		 __builtin_offsetof(struct vmm_uapi_sregs, cr0) == 224U);
VMM_BUILD_ASSERT(uapi_sregs_bitmap,
		 __builtin_offsetof(struct vmm_uapi_sregs, interrupt_bitmap) ==
			 280U);
VMM_BUILD_ASSERT(uapi_cpuid_entry2_size,
		 sizeof(struct vmm_uapi_cpuid_entry2) == 40U);
VMM_BUILD_ASSERT(uapi_cpuid_entry2_padding,
		 __builtin_offsetof(struct vmm_uapi_cpuid_entry2, padding) ==
			 28U);
VMM_BUILD_ASSERT(uapi_cpuid2_size, sizeof(struct vmm_uapi_cpuid2) == 8U);
VMM_BUILD_ASSERT(uapi_interrupt_size,
		 sizeof(struct vmm_uapi_interrupt) == 4U);
VMM_BUILD_ASSERT(uapi_ioeventfd_size,
		 sizeof(struct vmm_uapi_ioeventfd) == 64U);
VMM_BUILD_ASSERT(uapi_enable_cap_size,
		 sizeof(struct vmm_uapi_enable_cap) == 104U);
VMM_BUILD_ASSERT(uapi_msi_size, sizeof(struct vmm_uapi_msi) == 32U);
VMM_BUILD_ASSERT(uapi_irq_routing_size,
		 sizeof(struct vmm_uapi_irq_routing) == 8U);
VMM_BUILD_ASSERT(uapi_irq_routing_entry_size,
		 sizeof(struct vmm_uapi_irq_routing_entry) == 48U);
VMM_BUILD_ASSERT(uapi_irq_routing_entry_msi,
		 __builtin_offsetof(struct vmm_uapi_irq_routing_entry,
				    msi_address_lo) == 16U);
VMM_BUILD_ASSERT(uapi_irqfd_size, sizeof(struct vmm_uapi_irqfd) == 32U);
VMM_BUILD_ASSERT(uapi_ioeventfd_flags,
		 __builtin_offsetof(struct vmm_uapi_ioeventfd, flags) == 24U);

/*
 * What KVM_SET_SREGS may accept on this vCPU: the module fills it from the
 * host CPU (KVM's cr4_reserved_bits and EFER support) and the vCPU's
 * validated CPUID table (maxphyaddr, x2APIC = CPUID.1:ECX[21]).
 */
struct vmm_uapi_sregs_caps {
	vmm_u64 cr4_allowed;  /* CR4 bits the guest may set */
	vmm_u64 efer_allowed; /* EFER bits the guest may set */
	vmm_u32 maxphyaddr;   /* guest MAXPHYADDR, in [32, 52] */
	vmm_u32 x2apic;       /* nonzero: APIC_BASE.EXTD may be set */
};

/*
 * KVM_SET_SREGS, decoded in place: sregs (at offset 0) is the copied
 * argument; invariant after decoding: uapi_sregs_decoded(sregs,
 * pending_irq, caps) (uapi.acsl).  The registers are stated as of the call
 * ({Pre}): the decoder does not write them (assigns clause), which is the
 * frame the caller's proof uses.
 */
struct vmm_uapi_sregs_valid {
	struct vmm_uapi_sregs sregs;  /* as given, never written here */
	vmm_u32 pending_irq;          /* the set bit, or NO_PENDING_IRQ */
	vmm_u32 reserved;             /* 0 */
};

/*
 * KVM_SET_CPUID2, decoded in place; invariant after decoding:
 * uapi_cpuid_table_valid (uapi.acsl).
 */
struct vmm_uapi_cpuid_table {
	/*
	 * u16 and u8, not u32, on purpose: in WP's memory model each C
	 * integer type has its own memory, so writing these two leaves the
	 * entries' (all u32) untouched, and the provers need no frame
	 * reasoning to see that the entries are still valid.
	 */
	vmm_u16 nent;        /* <= VMM_CPUID_MAX_ENTRIES */
	vmm_u8 maxphyaddr;   /* guest MAXPHYADDR, in [32, 52] */
	vmm_u8 reserved[5];  /* unused, never read */
	struct vmm_uapi_cpuid_entry2 entries[VMM_CPUID_MAX_ENTRIES];
};

#ifdef __FRAMAC__
#include "uapi.acsl"
#endif

/*
 * Errno class of a layer-1 code, for KVM_SET_USER_MEMORY_REGION: 0 for OK,
 * VMM_EEXIST for OVERLAP, VMM_EINVAL for every other value.
 */
/*@ assigns \nothing;
  @
  @ ensures err == VMM_MEMSLOT_OK ==> \result == 0;
  @ ensures err == VMM_MEMSLOT_ERR_OVERLAP ==> \result == VMM_EEXIST;
  @ ensures err != VMM_MEMSLOT_OK && err != VMM_MEMSLOT_ERR_OVERLAP ==>
  @           \result == VMM_EINVAL;
  @*/
vmm_u32 vmm_uapi_memslot_errno_class(enum vmm_memslot_err err);

/*
 * Errno class of a code of this layer: 0 for OK, VMM_EFAULT for NULL,
 * VMM_E2BIG for CPUID_E2BIG, VMM_EINVAL for every other value.
 */
/*@ assigns \nothing;
  @
  @ ensures \result == uapi_errno_class(err);
  @ ensures err == VMM_UAPI_OK <==> \result == 0;
  @*/
vmm_u32 vmm_uapi_errno_class(enum vmm_uapi_err err);

/*
 * KVM_SET_USER_MEMORY_REGION, in place: layer 1's region rules
 * (vmm_memslot_validate()), nothing more.  On success *r satisfies
 * region_valid; the table rules are checked by vmm_memslot_set() at invoke
 * time (under the VM lock), which the module then calls with r.
 */
/*@ requires r == \null || \valid_read(r);
  @
  @ assigns \nothing;
  @
  @ ensures r == \null <==> \result == VMM_MEMSLOT_ERR_NULL;
  @ ensures r != \null ==> (\result == VMM_MEMSLOT_OK <==> region_valid(*r));
  @ ensures r != \null && \result != VMM_MEMSLOT_OK ==>
  @           region_fault(*r, \result);
  @*/
enum vmm_memslot_err
vmm_uapi_decode_memory_region(const struct vmm_memslot_region *r);

/*
 * KVM_SET_REGS, in place: every value is valid; RFLAGS bit 1 is set.
 */
/*@ requires regs == \null || \valid(regs);
  @
  @ assigns regs->rflags;
  @
  @ ensures regs == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures regs != \null <==> \result == VMM_UAPI_OK;
  @ ensures \result == VMM_UAPI_OK ==>
  @           regs->rflags == (\old(regs->rflags) | VMM_RFLAGS_FIXED);
  @ ensures \result == VMM_UAPI_OK ==>
  @           (regs->rflags & VMM_RFLAGS_FIXED) == VMM_RFLAGS_FIXED;
  @*/
enum vmm_uapi_err vmm_uapi_decode_regs(struct vmm_uapi_regs *regs);

/*
 * KVM_SET_SREGS, in place: the module copies the argument into d->sregs;
 * the rules listed at the top of this file are checked against the vCPU's
 * capabilities @caps.  On success d->pending_irq is the interrupt to queue
 * (the one set bit of interrupt_bitmap), or VMM_UAPI_NO_PENDING_IRQ, and
 * d->reserved is 0.  d->sregs is never written.
 */
/*@ requires d == \null || \valid(d);
  @ requires caps == \null || \valid_read(caps);
  @ requires d != \null && caps != \null ==> \separated(d, caps);
  @
  @ assigns d->pending_irq, d->reserved;
  @
  @ ensures d == \null || caps == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures d != \null && caps != \null ==>
  @           (\result == VMM_UAPI_OK <==>
  @              uapi_caps_valid{Pre}(caps) &&
  @              uapi_sregs_valid{Pre}(&d->sregs, caps));
  @ ensures d != \null && caps != \null && \result != VMM_UAPI_OK ==>
  @           uapi_sregs_fault{Pre}(&d->sregs, caps, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           uapi_sregs_decoded{Pre}(&d->sregs, d->pending_irq, caps) &&
  @           d->reserved == 0;
  @ ensures \result != VMM_UAPI_OK && d != \null ==>
  @           d->pending_irq == \old(d->pending_irq) &&
  @           d->reserved == \old(d->reserved);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_sregs(struct vmm_uapi_sregs_valid *d,
		      const struct vmm_uapi_sregs_caps *caps);

/*
 * KVM_SET_CPUID2, step 1: the header.  On success *out_nent = hdr->nent,
 * at most VMM_CPUID_MAX_ENTRIES: the number of entries to copy in.
 */
/*@ requires hdr == \null || \valid_read(hdr);
  @ requires out_nent == \null || \valid(out_nent);
  @ requires hdr != \null && out_nent != \null ==>
  @            \separated(hdr, out_nent);
  @
  @ assigns *out_nent;
  @
  @ ensures hdr == \null || out_nent == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures hdr != \null && out_nent != \null ==>
  @           (\result == VMM_UAPI_OK <==>
  @              hdr->nent <= VMM_CPUID_MAX_ENTRIES);
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_NULL ||
  @         \result == VMM_UAPI_ERR_CPUID_E2BIG;
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_nent == hdr->nent && *out_nent <= VMM_CPUID_MAX_ENTRIES;
  @ ensures \result != VMM_UAPI_OK && out_nent != \null ==>
  @           *out_nent == \old(*out_nent);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_cpuid2_header(const struct vmm_uapi_cpuid2 *hdr,
			      vmm_u32 *out_nent);

/*
 * KVM_SET_CPUID2, step 2, in place: the module copies the @nent entries
 * into t->entries[0 .. nent - 1] of a table not in use; on success
 * t->nent = nent and t->maxphyaddr is the guest MAXPHYADDR they give; on
 * failure the module drops the table.  t->entries is never written.
 */
/*@ requires t == \null || \valid(t);
  @
  @ assigns t->nent, t->maxphyaddr;
  @
  @ ensures t == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures t != \null ==>
  @           (\result == VMM_UAPI_OK <==>
  @              nent <= VMM_CPUID_MAX_ENTRIES &&
  @              uapi_cpuid_entries_valid(&t->entries[0], nent));
  @ ensures t != \null && \result != VMM_UAPI_OK ==>
  @           uapi_cpuid_fault(&t->entries[0], nent, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           uapi_cpuid_table_valid(t) && t->nent == nent;
  @ ensures \result != VMM_UAPI_OK && t != \null ==>
  @           t->nent == \old(t->nent) &&
  @           t->maxphyaddr == \old(t->maxphyaddr);
  @*/
enum vmm_uapi_err vmm_uapi_decode_cpuid(struct vmm_uapi_cpuid_table *t,
					vmm_u32 nent);

/*
 * The entry of table @t that answers CPUID(@function, @index): its
 * function is @function and, if it has KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
 * its index is @index.  On a validated table the answer is unique.
 * *out_idx is written only on success.
 */
/*@ requires t == \null || \valid_read(t);
  @ requires out_idx == \null || \valid(out_idx);
  @ requires t != \null && out_idx != \null ==> \separated(t, out_idx);
  @
  @ assigns *out_idx;
  @
  @ ensures t == \null || out_idx == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures \result == VMM_UAPI_ERR_CPUID_E2BIG <==>
  @           t != \null && out_idx != \null &&
  @           t->nent > VMM_CPUID_MAX_ENTRIES;
  @ ensures \result == VMM_UAPI_OK <==>
  @           t != \null && out_idx != \null &&
  @           t->nent <= VMM_CPUID_MAX_ENTRIES &&
  @           uapi_cpuid_has_match(&t->entries[0], t->nent, function, index);
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_NULL ||
  @         \result == VMM_UAPI_ERR_CPUID_E2BIG ||
  @         \result == VMM_UAPI_ERR_CPUID_NOT_FOUND;
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_idx < t->nent &&
  @           uapi_cpuid_matches(&t->entries[0] + *out_idx, function, index);
  @ ensures \result == VMM_UAPI_OK && uapi_cpuid_table_valid{Pre}(t) ==>
  @           \forall integer k; 0 <= k < \at(t->nent, Pre) && k != *out_idx ==>
  @             !uapi_cpuid_matches{Pre}(&t->entries[0] + k, function, index);
  @ ensures \result != VMM_UAPI_OK && out_idx != \null ==>
  @           *out_idx == \old(*out_idx);
  @*/
enum vmm_uapi_err
vmm_uapi_cpuid_lookup(const struct vmm_uapi_cpuid_table *t, vmm_u32 function,
		      vmm_u32 index, vmm_u32 *out_idx);

/*
 * KVM_INTERRUPT: on success *out_vector = in->irq, below 256.
 */
/*@ requires in == \null || \valid_read(in);
  @ requires out_vector == \null || \valid(out_vector);
  @ requires in != \null && out_vector != \null ==>
  @            \separated(in, out_vector);
  @
  @ assigns *out_vector;
  @
  @ ensures in == \null || out_vector == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures in != \null && out_vector != \null ==>
  @           (\result == VMM_UAPI_OK <==> in->irq < VMM_UAPI_NR_INTERRUPTS);
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_NULL ||
  @         \result == VMM_UAPI_ERR_IRQ_RANGE;
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_vector == in->irq && *out_vector < VMM_UAPI_NR_INTERRUPTS;
  @ ensures \result != VMM_UAPI_OK && out_vector != \null ==>
  @           *out_vector == \old(*out_vector);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_interrupt(const struct vmm_uapi_interrupt *in,
			  vmm_u32 *out_vector);

/*
 * KVM_IOEVENTFD, either way: the key of @a, whatever it holds (KVM's
 * deassign checks nothing).
 */
/*@ requires \valid_read(a) && \valid(k) && \separated(a, k);
  @
  @ assigns *k;
  @
  @ ensures uapi_ioeventfd_key_of(a, k);
  @*/
void vmm_uapi_ioeventfd_key(const struct vmm_uapi_ioeventfd *a,
			    struct vmm_uapi_ioeventfd_key *k);

/*
 * KVM_IOEVENTFD assign: the checks of kvm_assign_ioeventfd(), then the
 * key.  *k is written on success only.
 */
/*@ requires a == \null || \valid_read(a);
  @ requires k == \null || \valid(k);
  @ requires a != \null && k != \null ==> \separated(a, k);
  @
  @ assigns *k;
  @
  @ ensures a == \null || k == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures a != \null && k != \null ==>
  @           (\result == VMM_UAPI_OK <==> uapi_ioeventfd_valid(a));
  @ ensures a != \null && k != \null && \result != VMM_UAPI_OK ==>
  @           uapi_ioeventfd_fault(a, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           uapi_ioeventfd_key_of(a, k) && uapi_ioeventfd_key_valid(k);
  @ ensures \result != VMM_UAPI_OK && k != \null ==> *k == \old(*k);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_ioeventfd(const struct vmm_uapi_ioeventfd *a,
			  struct vmm_uapi_ioeventfd_key *k);

/* Could one guest write hit both registrations?  (-EEXIST in KVM.) */
/*@ requires \valid_read(a) && \valid_read(b);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_TRUE || \result == VMM_FALSE;
  @ ensures \result == VMM_TRUE <==> uapi_ioeventfd_collide(a, b);
  @*/
vmm_bool vmm_uapi_ioeventfd_collide(const struct vmm_uapi_ioeventfd_key *a,
				    const struct vmm_uapi_ioeventfd_key *b);

/* Deassign: is @a the registration @b names? */
/*@ requires \valid_read(a) && \valid_read(b);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_TRUE || \result == VMM_FALSE;
  @ ensures \result == VMM_TRUE <==> uapi_ioeventfd_same(a, b);
  @*/
vmm_bool vmm_uapi_ioeventfd_same(const struct vmm_uapi_ioeventfd_key *a,
				 const struct vmm_uapi_ioeventfd_key *b);

/*
 * Does a guest write of @len bytes on @bus at @addr hit @p?  @val is the
 * written register: only its low @len bytes count.
 */
/*@ requires \valid_read(p);
  @
  @ assigns \nothing;
  @
  @ ensures \result == VMM_TRUE || \result == VMM_FALSE;
  @ ensures \result == VMM_TRUE <==> uapi_ioeventfd_hit(p, bus, addr, len, val);
  @*/
vmm_bool vmm_uapi_ioeventfd_hit(const struct vmm_uapi_ioeventfd_key *p,
				vmm_u32 bus, vmm_u64 addr, vmm_u32 len,
				vmm_u64 val);

/*
 * KVM_ENABLE_CAP on the VM: only KVM_CAP_SPLIT_IRQCHIP, no flags, at most
 * VMM_UAPI_MAX_IRQ_ROUTES IOAPIC pins in args[0].  On success *out_pins
 * = args[0].  (Whether the VM may still take it is state: the module's.)
 */
/*@ requires c == \null || \valid_read(c);
  @ requires out_pins == \null || \valid(out_pins);
  @ requires c != \null && out_pins != \null ==> \separated(c, out_pins);
  @
  @ assigns *out_pins;
  @
  @ ensures c == \null || out_pins == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures c != \null && out_pins != \null ==>
  @           (\result == VMM_UAPI_OK <==> uapi_enable_cap_valid(c));
  @ ensures c != \null && out_pins != \null && \result != VMM_UAPI_OK ==>
  @           uapi_enable_cap_fault(c, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_pins == c->args[0] &&
  @           *out_pins <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ ensures \result != VMM_UAPI_OK && out_pins != \null ==>
  @           *out_pins == \old(*out_pins);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_enable_cap(const struct vmm_uapi_enable_cap *c,
			   vmm_u32 *out_pins);

/*
 * An MSI's address and data (KVM_SIGNAL_MSI, or a route when its irqfd
 * fires): the address is in the 0xFEExxxxx window, below 4 GiB, and the
 * delivery mode is fixed, lowest priority, NMI or INIT.  On success *m is
 * the decoded message; on failure it is not written.
 */
/*@ requires m == \null || \valid(m);
  @
  @ assigns *m;
  @
  @ ensures m == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures m != \null ==>
  @           (\result == VMM_UAPI_OK <==>
  @              uapi_msi_msg_valid(address_lo, address_hi, data));
  @ ensures m != \null && \result != VMM_UAPI_OK ==>
  @           uapi_msi_msg_fault(address_lo, address_hi, data, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           uapi_msi_msg_of(m, address_lo, data);
  @ ensures \result != VMM_UAPI_OK && m != \null ==> *m == \old(*m);
  @*/
enum vmm_uapi_err vmm_uapi_decode_msi_msg(vmm_u32 address_lo,
					  vmm_u32 address_hi, vmm_u32 data,
					  struct vmm_uapi_msi_msg *m);

/*
 * KVM_SIGNAL_MSI: flags only KVM_MSI_VALID_DEVID (KVM's rule; the devid
 * is ignored on x86), padding zero (stricter than KVM, which does not
 * look), then vmm_uapi_decode_msi_msg()'s rules.  On success *out is the
 * message; on failure it is not written.
 */
/*@ requires in == \null || \valid_read(in);
  @ requires out == \null || \valid(out);
  @ requires in != \null && out != \null ==> \separated(in, out);
  @
  @ assigns *out;
  @
  @ ensures in == \null || out == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures in != \null && out != \null ==>
  @           (\result == VMM_UAPI_OK <==> uapi_msi_valid(in));
  @ ensures in != \null && out != \null && \result != VMM_UAPI_OK ==>
  @           uapi_msi_fault(in, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           uapi_msi_msg_of(out, in->address_lo, in->data);
  @ ensures \result != VMM_UAPI_OK && out != \null ==> *out == \old(*out);
  @*/
enum vmm_uapi_err vmm_uapi_decode_msi(const struct vmm_uapi_msi *in,
				      struct vmm_uapi_msi_msg *out);

/*
 * KVM_SET_GSI_ROUTING, step 1: the header.  On success *out_nr = hdr->nr,
 * at most VMM_UAPI_MAX_IRQ_ROUTES: the number of entries to copy in.
 */
/*@ requires hdr == \null || \valid_read(hdr);
  @ requires out_nr == \null || \valid(out_nr);
  @ requires hdr != \null && out_nr != \null ==> \separated(hdr, out_nr);
  @
  @ assigns *out_nr;
  @
  @ ensures hdr == \null || out_nr == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures hdr != \null && out_nr != \null ==>
  @           (\result == VMM_UAPI_OK <==>
  @              hdr->nr <= VMM_UAPI_MAX_IRQ_ROUTES && hdr->flags == 0);
  @ ensures \result == VMM_UAPI_OK || \result == VMM_UAPI_ERR_NULL ||
  @         (\result == VMM_UAPI_ERR_ROUTING_NR &&
  @            hdr->nr > VMM_UAPI_MAX_IRQ_ROUTES) ||
  @         (\result == VMM_UAPI_ERR_ROUTING_FLAGS && hdr->flags != 0);
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_nr == hdr->nr && *out_nr <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ ensures \result != VMM_UAPI_OK && out_nr != \null ==>
  @           *out_nr == \old(*out_nr);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_gsi_routing_header(const struct vmm_uapi_irq_routing *hdr,
				   vmm_u32 *out_nr);

/*
 * KVM_SET_GSI_ROUTING, step 2a: how many table slots the @n entries need:
 * one more than the highest GSI below VMM_UAPI_MAX_IRQ_ROUTES among them
 * (0 for none).  Entries with a larger GSI are left to the decoder, which
 * refuses them.
 */
/*@ requires n <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ requires es == \null || \valid_read(es + (0 .. n - 1));
  @
  @ assigns \nothing;
  @
  @ ensures \result <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ ensures es == \null ==> \result == 0;
  @ ensures es != \null ==>
  @           \forall integer k; 0 <= k < n &&
  @             es[k].gsi < VMM_UAPI_MAX_IRQ_ROUTES ==> es[k].gsi < \result;
  @ ensures \result == 0 ||
  @         \exists integer k; 0 <= k < n && es[k].gsi + 1 == \result;
  @*/
vmm_u32 vmm_uapi_gsi_routes_span(const struct vmm_uapi_irq_routing_entry *es,
				 vmm_u32 n);

/*
 * KVM_SET_GSI_ROUTING, step 2b: check the @n copied entries and fill the
 * table @t of @nr slots (indexed by GSI, every slot invalid on entry: the
 * module allocates it zeroed, with nr from vmm_uapi_gsi_routes_span()).
 * Every entry is an MSI route (flags at most VALID_DEVID, address below 4
 * GiB) of a GSI below VMM_UAPI_MAX_IRQ_ROUTES and @nr, and no GSI is
 * routed twice (KVM's setup_routing_entry() refuses that but for irqchip
 * routes, which a split irqchip has not).  On success @t holds exactly
 * the entries' routes; on failure its contents are unspecified and the
 * module drops it.
 */
/*@ requires n <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ requires nr <= VMM_UAPI_MAX_IRQ_ROUTES;
  @ requires es == \null || \valid_read(es + (0 .. n - 1));
  @ requires t == \null || \valid(t + (0 .. nr - 1));
  @ requires es != \null && t != \null ==>
  @            \separated(es + (0 .. n - 1), t + (0 .. nr - 1));
  @ requires t != \null ==> \forall integer g; 0 <= g < nr ==> t[g].valid == 0;
  @
  @ assigns t[0 .. nr - 1];
  @
  @ ensures es == \null || t == \null <==> \result == VMM_UAPI_ERR_NULL;
  @ ensures es != \null && t != \null ==>
  @           (\result == VMM_UAPI_OK <==> uapi_routes_valid(es, n, nr));
  @ ensures es != \null && t != \null && \result != VMM_UAPI_OK ==>
  @           uapi_routes_fault(es, n, nr, \result);
  @ ensures \result == VMM_UAPI_OK ==> uapi_routes_table_of(es, n, t, nr);
  @*/
enum vmm_uapi_err
vmm_uapi_decode_gsi_routes(const struct vmm_uapi_irq_routing_entry *es,
			   vmm_u32 n, struct vmm_uapi_msi_route *t,
			   vmm_u32 nr);

/*
 * KVM_IRQFD: flags only DEASSIGN and RESAMPLE (KVM's first check);
 * RESAMPLE on assign needs KVM's in-kernel IOAPIC, which a split irqchip
 * has not (kvm_arch_irqfd_allowed()); a deassign ignores it, as KVM.  On
 * success *out_deassign is 1 for a deassign, 0 for an assign.  fd, gsi
 * and resamplefd have no rule here: KVM checks none of them (the module
 * resolves the fds).
 */
/*@ requires a == \null || \valid_read(a);
  @ requires out_deassign == \null || \valid(out_deassign);
  @ requires a != \null && out_deassign != \null ==>
  @            \separated(a, out_deassign);
  @
  @ assigns *out_deassign;
  @
  @ ensures a == \null || out_deassign == \null <==>
  @           \result == VMM_UAPI_ERR_NULL;
  @ ensures a != \null && out_deassign != \null ==>
  @           (\result == VMM_UAPI_OK <==> uapi_irqfd_valid(a->flags));
  @ ensures a != \null && out_deassign != \null &&
  @         \result != VMM_UAPI_OK ==> uapi_irqfd_fault(a->flags, \result);
  @ ensures \result == VMM_UAPI_OK ==>
  @           *out_deassign ==
  @             ((a->flags & VMM_UAPI_IRQFD_DEASSIGN) != 0 ? 1 : 0);
  @ ensures \result != VMM_UAPI_OK && out_deassign != \null ==>
  @           *out_deassign == \old(*out_deassign);
  @*/
enum vmm_uapi_err vmm_uapi_decode_irqfd(const struct vmm_uapi_irqfd *a,
					vmm_u32 *out_deassign);

#endif /* LIBVMM_UAPI_H */
