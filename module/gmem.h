/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory as the module's emulation sees it: guest-physical bytes
 * through the VM's slot table and its pinned pages, and guest-linear
 * addresses through the guest's own paging.
 *
 * Every function here must be called with vm->mem_sem held for reading:
 * the slot table and the pinned pages cannot change under it.
 */
#ifndef LAMINA_GMEM_H
#define LAMINA_GMEM_H

#include <linux/kvm.h>
#include <linux/types.h>

struct lamina_vm;

/*
 * Read / write @len bytes of guest-physical memory at @gpa. The range may
 * span pages and slots, never a hole. Returns 0, -ENXIO when a byte has
 * no slot behind it (MMIO), -EROFS when writing a read-only slot.
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
};

void lamina_gmode_from_sregs(struct lamina_gmode *m, const struct kvm_sregs *s);

/*
 * Linear address of @seg:@off (SDM vol. 3A, 3.4 "Logical and Linear
 * Addresses"; 3.4.4: in 64-bit mode only FS and GS have a base). Limits
 * and access rights are not checked: see docs/abi.md.
 */
u64 lamina_gmode_linear(const struct lamina_gmode *m, unsigned int seg,
			u64 off);

/*
 * Guest linear -> guest physical (SDM vol. 3A, chapter 4 "Paging").
 * Returns 0, -EFAULT when the guest's own tables do not map @la (the guest
 * would take #PF), -ENXIO when a page-table entry lies outside guest RAM,
 * -EOPNOTSUPP for 5-level paging.
 */
int lamina_gmem_translate(struct lamina_vm *vm, const struct lamina_gmode *m,
			  u64 la, u64 *gpa);

/*
 * Read up to @len bytes at guest-linear @la, page by page, stopping at the
 * first byte that cannot be translated or read. Returns how many were read.
 */
size_t lamina_gmem_read_linear(struct lamina_vm *vm,
			       const struct lamina_gmode *m, u64 la,
			       void *buf, size_t len);

#endif /* LAMINA_GMEM_H */
