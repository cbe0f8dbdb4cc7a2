/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory as the module's emulation sees it: guest-physical bytes
 * through the VM's slot table and its pinned pages, and guest-linear
 * addresses through the guest's own paging.
 *
 * Every function here must be called with vm->mem_sem held for reading:
 * the slot table cannot change under it and no pinned page goes; a page
 * not pinned yet is pinned (which may sleep).
 */
#ifndef LAMINA_GMEM_H
#define LAMINA_GMEM_H

#include <linux/kvm.h>
#include <linux/types.h>

struct lamina_vm;

/*
 * Read / write @len bytes of guest-physical memory at @gpa. The range may
 * span pages and slots, never a hole. Returns 0, -ENXIO when a byte has
 * no slot behind it (MMIO), -EROFS when writing a read-only slot, -EFAULT
 * when userspace has no page behind a slot's page.
 */
int lamina_gmem_read(struct lamina_vm *vm, u64 gpa, void *buf, size_t len);
int lamina_gmem_write(struct lamina_vm *vm, u64 gpa, const void *buf,
		      size_t len);

/* Would lamina_gmem_read/write() of this range succeed? Same errors. */
int lamina_gmem_check(struct lamina_vm *vm, u64 gpa, size_t len, bool write);

/* Segment numbers: the x86 encoding, as in libvmm's exit events. */
enum lamina_seg {
	LAMINA_SEG_ES, LAMINA_SEG_CS, LAMINA_SEG_SS, LAMINA_SEG_DS,
	LAMINA_SEG_FS, LAMINA_SEG_GS, LAMINA_NR_SEGS
};

/* What address translation needs of the vCPU (from the get_sregs op). */
struct lamina_gmode {
	u64 cr0, cr3, cr4, efer;
	u64 seg_base[LAMINA_NR_SEGS];
	/*
	 * Default operand/address size of the code, 16, 32 or 64 (SDM vol.
	 * 3A, 3.4.5 "Segment Descriptors", D/B and L; 5.2.1): real mode or
	 * CS.D = 0: 16; CS.D = 1: 32; EFER.LMA = 1 and CS.L = 1: 64.
	 */
	u32 mode;
	/* The page walk's inputs beyond the control registers. */
	u32 cpl;		/* 0 in real mode, 3 in virtual-8086 mode */
	bool ac;		/* EFLAGS.AC */
	u32 maxphyaddr;		/* the guest's CPUID 80000008H EAX[7:0] */
	bool gbpages;		/* the guest's CPUID has Page1GB */
};

/* The exception a guest-linear access raises in the guest. */
struct lamina_gmem_fault {
	u8 vector;		/* X86_TRAP_PF or X86_TRAP_GP */
	u32 error;		/* its error code */
	u64 cr2;		/* #PF: the faulting linear address */
};

struct lamina_vcpu;

void lamina_gmode_from_sregs(struct lamina_gmode *m,
			     const struct lamina_vcpu *vcpu,
			     const struct kvm_sregs *s);

/*
 * Linear address of @seg:@off (SDM vol. 3A, 3.4 "Logical and Linear
 * Addresses"; 3.4.4: in 64-bit mode only FS and GS have a base). Limits
 * and access rights are not checked: see docs/abi.md.
 */
u64 lamina_gmode_linear(const struct lamina_gmode *m, unsigned int seg,
			u64 off);
/* The linear address of the instruction at CS:@rip (fetches, decodes). */
u64 lamina_gmode_rip_linear(const struct lamina_gmode *m, u64 rip);

/* What a guest-linear access is, for the CPU's permission checks. */
enum lamina_gmem_access {
	LAMINA_GMEM_READ,	/* a data read at the vCPU's CPL */
	LAMINA_GMEM_WRITE,	/* a data write at the vCPU's CPL */
	LAMINA_GMEM_FETCH,	/* an instruction fetch */
};

/*
 * Guest linear -> guest physical (SDM vol. 3A, chapter 4 "Paging"), by
 * libvmm's proved walk (libvmm/walk.h), with every permission check the
 * CPU makes for @access at the vCPU's CPL. Returns 0; -EFAULT when the
 * CPU would raise an exception instead (*fault says which: #PF with its
 * error code and CR2, or #GP(0) for a non-canonical address);
 * -ENXIO when a paging-structure entry lies outside guest RAM;
 * -EOPNOTSUPP for 5-level paging. The accessed and dirty bits are not
 * set (docs/verification.md).
 */
int lamina_gmem_translate(struct lamina_vm *vm, const struct lamina_gmode *m,
			  u64 la, enum lamina_gmem_access access, u64 *gpa,
			  struct lamina_gmem_fault *fault);

/*
 * Fetch up to @len instruction bytes at guest-linear @la, page by page,
 * stopping at the first byte that cannot be translated or read. Returns
 * how many were read; when a fault stopped it and @fault is not NULL,
 * *fault is that fault and the function returns the count with
 * fault->vector set (else fault->vector is 0).
 */
size_t lamina_gmem_fetch(struct lamina_vm *vm, const struct lamina_gmode *m,
			 u64 la, void *buf, size_t len,
			 struct lamina_gmem_fault *fault);

/* Raise @fault in the guest on its next entry (#PF sets CR2). */
void lamina_gmem_raise(struct lamina_vcpu *vcpu,
		       const struct lamina_gmem_fault *fault);

#endif /* LAMINA_GMEM_H */
