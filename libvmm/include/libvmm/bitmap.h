/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 6: MSR and I/O permission bitmaps built from an allowlist.
 *
 * Both vendors let the hypervisor pass chosen MSR accesses through to the
 * guest; a set bit means "exit", and an MSR outside the mapped ranges
 * always exits.
 *   - VMX MSR bitmap, 4 KiB (SDM vol. 3C 24.6.9 "MSR-Bitmap Address"):
 *     read-low at byte 0x000 (MSRs 0x0-0x1FFF), read-high at 0x400
 *     (0xC0000000-0xC0001FFF), write-low at 0x800, write-high at 0xC00; one
 *     bit per MSR.
 *   - SVM MSRPM, 8 KiB (AMD APM vol. 2 15.11 "MSR Intercepts"): MSRs
 *     0x0-0x1FFF at byte 0x000, 0xC0000000-0xC0001FFF at 0x800,
 *     0xC0010000-0xC0011FFF at 0x1000, two bits per MSR (read, then write);
 *     bytes 0x1800-0x1FFF are reserved and stay all-ones.
 *   - VMX I/O bitmaps A (ports 0x0000-0x7FFF) and B (0x8000-0xFFFF), 4 KiB
 *     each, one bit per port (SDM vol. 3C 24.6.4 "I/O-Bitmap Addresses").
 *   - SVM IOPM, 12 KiB, one bit per port (AMD APM vol. 2 15.10.1 "I/O
 *     Permissions Map").  The processor checks the bits of every byte of a
 *     multi-byte access, up to bit 0x10002 for an access at 0xFFFF, so the
 *     bits past 0xFFFF stay set.
 *
 * Build: set every bit ("exit everything"), check every allowlist entry,
 * then clear the bits the entries pass through.  An entry is an MSR number
 * and VMM_BITMAP_READ / WRITE / RW; an MSR outside the mapped ranges of
 * that vendor or flags outside 1..3 reject the whole list with their own
 * error code, and the bitmap is left all-exit.  A port entry is a range
 * [first, first + count); an empty range, or one past 0xFFFF (it would wrap
 * the 16-bit port space), is rejected the same way.  Duplicates are allowed
 * (the union of their directions passes).  The allowlist is data the module
 * owns (a constant table), not guest or user input, but it is checked all
 * the same.
 *
 * Query: vmm_bitmap_*_intercepted() answer as the processor does (SDM vol.
 * 3C 25.1.3 "Instructions That Cause VM Exits Conditionally"; APM vol. 2
 * 15.10.1, 15.11): an MSR outside the ranges exits, else its bit decides;
 * an I/O access exits if the bit of any byte it touches is set; under VMX
 * an access that wraps past port 0xFFFF always exits.
 *
 * The ACSL model is acsl-specs/bitmap.acsl.  NULL is allowed and rejected
 * at run time.  libvmm takes no lock: the module builds the bitmaps once per
 * vCPU (or per VM) before the first entry and does not change them while a
 * vCPU runs with them.
 */
#ifndef LIBVMM_BITMAP_H
#define LIBVMM_BITMAP_H

#include <libvmm/types.h>

#define VMM_VMX_MSR_BITMAP_SIZE 4096U
#define VMM_SVM_MSRPM_SIZE 8192U
#define VMM_VMX_IO_BITMAP_SIZE 4096U     /* each of A and B */
#define VMM_SVM_IOPM_SIZE 12288U

#define VMM_IO_PORTS 0x10000U
#define VMM_IO_B_FIRST 0x8000U           /* first port of VMX bitmap B */

/* Mapped MSR ranges. */
#define VMM_MSR_LOW_LAST 0x00001FFFU
#define VMM_MSR_HIGH_FIRST 0xC0000000U
#define VMM_MSR_HIGH_LAST 0xC0001FFFU
#define VMM_MSR_AMD_FIRST 0xC0010000U
#define VMM_MSR_AMD_LAST 0xC0011FFFU

/* Allowlist entry flags: which directions pass through. */
#define VMM_BITMAP_READ 1U
#define VMM_BITMAP_WRITE 2U
#define VMM_BITMAP_RW 3U

enum vmm_bitmap_err {
	VMM_BITMAP_OK = 0,
	VMM_BITMAP_ERR_NULL = 1,        /* bitmap NULL, or list NULL, count > 0 */
	VMM_BITMAP_ERR_MSR_RANGE = 2,   /* entry MSR outside the mapped ranges */
	VMM_BITMAP_ERR_MSR_FLAGS = 3,   /* entry flags not READ, WRITE or RW */
	VMM_BITMAP_ERR_PORT_EMPTY = 4,  /* port range of count 0 */
	VMM_BITMAP_ERR_PORT_RANGE = 5   /* first + count > 0x10000 (wraps) */
};

struct vmm_msr_allow {
	vmm_u32 msr;
	vmm_u32 flags;                  /* VMM_BITMAP_READ / WRITE / RW */
};

/* Ports [first, first + count) pass through, both directions. */
struct vmm_port_allow {
	vmm_u32 first;
	vmm_u32 count;
};

#ifdef __FRAMAC__
#include "bitmap.acsl"
#endif

/*
 * Build the VMX MSR bitmap from @count entries of @list.
 */
/*@ requires list == \null || \valid_read(list + (0 .. count - 1));
  @ requires bm == \null || \valid(bm + (0 .. VMM_VMX_MSR_BITMAP_SIZE - 1));
  @ requires list != \null && bm != \null ==>
  @   \separated(list + (0 .. count - 1),
  @              bm + (0 .. VMM_VMX_MSR_BITMAP_SIZE - 1));
  @
  @ assigns bm[0 .. VMM_VMX_MSR_BITMAP_SIZE - 1];
  @
  @ ensures \result == VMM_BITMAP_ERR_NULL <==>
  @   bm == \null || (list == \null && count != 0);
  @ ensures \result == VMM_BITMAP_OK <==>
  @   bm != \null && (list != \null || count == 0) &&
  @   entries_ok_vmx(list, count);
  @ ensures \result == VMM_BITMAP_ERR_MSR_RANGE ==>
  @   \exists integer j; 0 <= j < count && !vmx_msr_mapped(list[j].msr);
  @ ensures \result == VMM_BITMAP_ERR_MSR_FLAGS ==>
  @   \exists integer j; 0 <= j < count && !flags_ok(list[j].flags);
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_NULL ||
  @   \result == VMM_BITMAP_ERR_MSR_RANGE || \result == VMM_BITMAP_ERR_MSR_FLAGS;
  @ ensures bm != \null && \result != VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < 8 * VMM_VMX_MSR_BITMAP_SIZE ==>
  @     pos_set(bm, p);
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer m, w; vmx_msr_mapped(m) && 0 <= w <= 1 ==>
  @     (pos_set(bm, vmx_msr_pos(m, w)) <==> !msr_allowed(list, count, m, w));
  @*/
enum vmm_bitmap_err
vmm_bitmap_vmx_msr_build(const struct vmm_msr_allow *list, vmm_u32 count,
			 vmm_u8 bm[VMM_VMX_MSR_BITMAP_SIZE]);

/*
 * Build the SVM MSRPM from @count entries of @list.
 */
/*@ requires list == \null || \valid_read(list + (0 .. count - 1));
  @ requires pm == \null || \valid(pm + (0 .. VMM_SVM_MSRPM_SIZE - 1));
  @ requires list != \null && pm != \null ==>
  @   \separated(list + (0 .. count - 1), pm + (0 .. VMM_SVM_MSRPM_SIZE - 1));
  @
  @ assigns pm[0 .. VMM_SVM_MSRPM_SIZE - 1];
  @
  @ ensures \result == VMM_BITMAP_ERR_NULL <==>
  @   pm == \null || (list == \null && count != 0);
  @ ensures \result == VMM_BITMAP_OK <==>
  @   pm != \null && (list != \null || count == 0) &&
  @   entries_ok_svm(list, count);
  @ ensures \result == VMM_BITMAP_ERR_MSR_RANGE ==>
  @   \exists integer j; 0 <= j < count && !svm_msr_mapped(list[j].msr);
  @ ensures \result == VMM_BITMAP_ERR_MSR_FLAGS ==>
  @   \exists integer j; 0 <= j < count && !flags_ok(list[j].flags);
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_NULL ||
  @   \result == VMM_BITMAP_ERR_MSR_RANGE || \result == VMM_BITMAP_ERR_MSR_FLAGS;
  @ ensures pm != \null && \result != VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < 8 * VMM_SVM_MSRPM_SIZE ==> pos_set(pm, p);
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer m, w; svm_msr_mapped(m) && 0 <= w <= 1 ==>
  @     (pos_set(pm, svm_msr_pos(m, w)) <==> !msr_allowed(list, count, m, w));
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer p; 0xC000 <= p < 8 * VMM_SVM_MSRPM_SIZE ==>
  @     pos_set(pm, p);
  @*/
enum vmm_bitmap_err
vmm_bitmap_svm_msr_build(const struct vmm_msr_allow *list, vmm_u32 count,
			 vmm_u8 pm[VMM_SVM_MSRPM_SIZE]);

/*
 * Does RDMSR (@write == 0) or WRMSR (@write != 0) of @msr exit under VMX
 * bitmap @bm?  A NULL bitmap answers 1 (as "use MSR bitmaps" = 0 would).
 */
/*@ requires bm == \null || \valid_read(bm + (0 .. VMM_VMX_MSR_BITMAP_SIZE - 1));
  @ assigns \nothing;
  @ ensures bm == \null || !vmx_msr_mapped(msr) ==> \result == 1;
  @ ensures bm != \null && vmx_msr_mapped(msr) ==>
  @   (\result == 1 <==> pos_set(bm, vmx_msr_pos(msr, write != 0 ? 1 : 0)));
  @ ensures \result == 0 || \result == 1;
  @*/
vmm_bool vmm_bitmap_vmx_msr_intercepted(const vmm_u8 bm[VMM_VMX_MSR_BITMAP_SIZE],
					vmm_u32 msr, vmm_bool write);

/*
 * The same for the SVM MSRPM @pm.  A NULL map answers 1.
 */
/*@ requires pm == \null || \valid_read(pm + (0 .. VMM_SVM_MSRPM_SIZE - 1));
  @ assigns \nothing;
  @ ensures pm == \null || !svm_msr_mapped(msr) ==> \result == 1;
  @ ensures pm != \null && svm_msr_mapped(msr) ==>
  @   (\result == 1 <==> pos_set(pm, svm_msr_pos(msr, write != 0 ? 1 : 0)));
  @ ensures \result == 0 || \result == 1;
  @*/
vmm_bool vmm_bitmap_svm_msr_intercepted(const vmm_u8 pm[VMM_SVM_MSRPM_SIZE],
					vmm_u32 msr, vmm_bool write);

/*
 * Build the VMX I/O bitmaps @a and @b from @count port ranges of @list.
 */
/*@ requires list == \null || \valid_read(list + (0 .. count - 1));
  @ requires a == \null || \valid(a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires b == \null || \valid(b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires a != \null && b != \null ==>
  @   \separated(a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1),
  @              b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires list != \null && a != \null ==>
  @   \separated(list + (0 .. count - 1),
  @              a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires list != \null && b != \null ==>
  @   \separated(list + (0 .. count - 1),
  @              b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @
  @ assigns a[0 .. VMM_VMX_IO_BITMAP_SIZE - 1],
  @         b[0 .. VMM_VMX_IO_BITMAP_SIZE - 1];
  @
  @ ensures \result == VMM_BITMAP_ERR_NULL <==>
  @   a == \null || b == \null || (list == \null && count != 0);
  @ ensures \result == VMM_BITMAP_OK <==>
  @   a != \null && b != \null && (list != \null || count == 0) &&
  @   port_entries_ok(list, count);
  @ ensures \result == VMM_BITMAP_ERR_PORT_EMPTY ==>
  @   \exists integer j; 0 <= j < count && list[j].count == 0;
  @ ensures \result == VMM_BITMAP_ERR_PORT_RANGE ==>
  @   \exists integer j; 0 <= j < count &&
  @     list[j].first + list[j].count > VMM_IO_PORTS;
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_NULL ||
  @   \result == VMM_BITMAP_ERR_PORT_EMPTY ||
  @   \result == VMM_BITMAP_ERR_PORT_RANGE;
  @ ensures a != \null && b != \null && \result != VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < VMM_IO_PORTS ==> vmx_io_set(a, b, p);
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < VMM_IO_PORTS ==>
  @     (vmx_io_set(a, b, p) <==> !port_allowed(list, count, p));
  @*/
enum vmm_bitmap_err
vmm_bitmap_vmx_io_build(const struct vmm_port_allow *list, vmm_u32 count,
			vmm_u8 a[VMM_VMX_IO_BITMAP_SIZE],
			vmm_u8 b[VMM_VMX_IO_BITMAP_SIZE]);

/*
 * Build the SVM IOPM @pm from @count port ranges of @list.
 */
/*@ requires list == \null || \valid_read(list + (0 .. count - 1));
  @ requires pm == \null || \valid(pm + (0 .. VMM_SVM_IOPM_SIZE - 1));
  @ requires list != \null && pm != \null ==>
  @   \separated(list + (0 .. count - 1), pm + (0 .. VMM_SVM_IOPM_SIZE - 1));
  @
  @ assigns pm[0 .. VMM_SVM_IOPM_SIZE - 1];
  @
  @ ensures \result == VMM_BITMAP_ERR_NULL <==>
  @   pm == \null || (list == \null && count != 0);
  @ ensures \result == VMM_BITMAP_OK <==>
  @   pm != \null && (list != \null || count == 0) &&
  @   port_entries_ok(list, count);
  @ ensures \result == VMM_BITMAP_ERR_PORT_EMPTY ==>
  @   \exists integer j; 0 <= j < count && list[j].count == 0;
  @ ensures \result == VMM_BITMAP_ERR_PORT_RANGE ==>
  @   \exists integer j; 0 <= j < count &&
  @     list[j].first + list[j].count > VMM_IO_PORTS;
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_NULL ||
  @   \result == VMM_BITMAP_ERR_PORT_EMPTY ||
  @   \result == VMM_BITMAP_ERR_PORT_RANGE;
  @ ensures pm != \null && \result != VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < 8 * VMM_SVM_IOPM_SIZE ==> pos_set(pm, p);
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer p; 0 <= p < VMM_IO_PORTS ==>
  @     (pos_set(pm, p) <==> !port_allowed(list, count, p));
  @ ensures \result == VMM_BITMAP_OK ==>
  @   \forall integer p; VMM_IO_PORTS <= p < 8 * VMM_SVM_IOPM_SIZE ==>
  @     pos_set(pm, p);
  @*/
enum vmm_bitmap_err
vmm_bitmap_svm_io_build(const struct vmm_port_allow *list, vmm_u32 count,
			vmm_u8 pm[VMM_SVM_IOPM_SIZE]);

/*
 * Does an IN/OUT of @size bytes (1, 2 or 4) at @port exit under VMX
 * bitmaps @a/@b?  Exits if any byte's bit is set or the access wraps past
 * 0xFFFF (SDM vol. 3C 25.1.3).  NULL bitmaps, a bad size or a port past
 * 0xFFFF answer 1.
 */
/*@ requires a == \null || \valid_read(a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires b == \null || \valid_read(b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ assigns \nothing;
  @ ensures a == \null || b == \null || !io_valid_size(size) ||
  @   port + size > VMM_IO_PORTS ==> \result == 1;
  @ ensures a != \null && b != \null && io_valid_size(size) &&
  @   port + size <= VMM_IO_PORTS ==>
  @   (\result == 1 <==>
  @      \exists integer q; port <= q < port + size && vmx_io_set(a, b, q));
  @ ensures \result == 0 || \result == 1;
  @*/
vmm_bool vmm_bitmap_vmx_io_intercepted(const vmm_u8 a[VMM_VMX_IO_BITMAP_SIZE],
				       const vmm_u8 b[VMM_VMX_IO_BITMAP_SIZE],
				       vmm_u32 port, vmm_u32 size);

/*
 * The same for the SVM IOPM @pm: the bits of all bytes of the access,
 * read from the map even past 0xFFFF (APM vol. 2 15.10.1).  A NULL map, a
 * bad size or a port past 0xFFFF answer 1.
 */
/*@ requires pm == \null || \valid_read(pm + (0 .. VMM_SVM_IOPM_SIZE - 1));
  @ assigns \nothing;
  @ ensures pm == \null || !io_valid_size(size) || port >= VMM_IO_PORTS ==>
  @   \result == 1;
  @ ensures pm != \null && io_valid_size(size) && port < VMM_IO_PORTS ==>
  @   (\result == 1 <==>
  @      \exists integer q; port <= q < port + size && pos_set(pm, q));
  @ ensures \result == 0 || \result == 1;
  @*/
vmm_bool vmm_bitmap_svm_io_intercepted(const vmm_u8 pm[VMM_SVM_IOPM_SIZE],
				       vmm_u32 port, vmm_u32 size);

#endif /* LIBVMM_BITMAP_H */
