// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 6: MSR and I/O permission bitmaps.  Rules and contracts: bitmap.h;
 * abstract model: acsl-specs/bitmap.acsl.
 *
 * Shape: fill with ones ("exit"), decode (check every entry, no write),
 * then invoke (clear the allowed bits, cannot fail).  Bit position p is bit
 * p % 8 of byte p / 8, the expressions of the model.  Masks are built as
 * 0x80 >> (7 - k), a right shift, so no goal has to bound 1 << k.
 */
#include <libvmm/bitmap.h>

/* Set every bit of the @size bytes at @bm. */
/*@ requires \valid(bm + (0 .. size - 1));
  @ assigns bm[0 .. size - 1];
  @ ensures \forall integer p; 0 <= p < 8 * size ==> pos_set(bm, p);
  @*/
static void bitmap__fill(vmm_u8 *bm, vmm_u32 size)
{
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= size;
	  @ loop invariant \forall integer j; 0 <= j < i ==> bm[j] == 0xFF;
	  @ loop assigns i, bm[0 .. size - 1];
	  @ loop variant size - i;
	  @*/
	for (i = 0U; i < size; i++) {
		bm[i] = 0xFFU;
	}
	/*@ assert \forall integer p; 0 <= p < 8 * size ==>
	  @   bm[p / 8] == 0xFF && 0 <= p % 8 < 8;
	  @*/
}

/* Is bit position @p of @bm set? */
/*@ requires \valid_read(bm + (p / 8));
  @ assigns \nothing;
  @ ensures \result == 0 || \result == 1;
  @ ensures \result == 1 <==> pos_set(bm, p);
  @*/
static vmm_bool bitmap__test(const vmm_u8 *bm, vmm_u32 p)
{
	vmm_u32 bit = ((vmm_u32)bm[p / 8U] >> (p % 8U)) & 1U;

	return (bit != 0U) ? VMM_TRUE : VMM_FALSE;
}

/* Clear bit position @p of the @size bytes at @bm; every other bit stays. */
/*@ requires \valid(bm + (0 .. size - 1));
  @ requires p < 8 * size;
  @ assigns bm[0 .. size - 1];
  @ ensures !pos_set(bm, p);
  @ ensures positions_unchanged{Pre, Post}(bm, 8 * size, p);
  @*/
static void bitmap__clear(vmm_u8 *bm, vmm_u32 size, vmm_u32 p)
{
	vmm_u32 mask = 0x80U >> (7U - (p % 8U));

	/*@ assert mask == (1 << (p % 8)); */
	if ((p / 8U) < size) {
		/* Always true (precondition); kept as a run-time bound. */
		bm[p / 8U] = (vmm_u8)((vmm_u32)bm[p / 8U] & ~mask);
	}
}

/* Offset of mapped MSR @msr in its range, and the range number. */
/*@ requires svm_msr_mapped(msr);
  @ assigns \nothing;
  @ ensures \result == msr_range(msr) * 0x2000 + msr_index(msr);
  @*/
static vmm_u32 bitmap__msr_slot(vmm_u32 msr)
{
	vmm_u32 slot;

	if (msr <= VMM_MSR_LOW_LAST) {
		slot = msr;
	} else if (msr <= VMM_MSR_HIGH_LAST) {
		slot = 0x2000U + (msr - VMM_MSR_HIGH_FIRST);
	} else {
		slot = 0x4000U + (msr - VMM_MSR_AMD_FIRST);
	}
	return slot;
}

/*
 * Check every entry: OK, or the code of the first bad one.  @svm picks the
 * SVM ranges (with the AMD range) over the VMX ones.
 */
/*@ requires \valid_read(list + (0 .. count - 1));
  @ assigns \nothing;
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_MSR_RANGE ||
  @   \result == VMM_BITMAP_ERR_MSR_FLAGS;
  @ ensures svm != 0 ==> (\result == VMM_BITMAP_OK <==>
  @   entries_ok_svm(list, count));
  @ ensures svm == 0 ==> (\result == VMM_BITMAP_OK <==>
  @   entries_ok_vmx(list, count));
  @ ensures svm != 0 && \result == VMM_BITMAP_ERR_MSR_RANGE ==>
  @   \exists integer j; 0 <= j < count && !svm_msr_mapped(list[j].msr);
  @ ensures svm == 0 && \result == VMM_BITMAP_ERR_MSR_RANGE ==>
  @   \exists integer j; 0 <= j < count && !vmx_msr_mapped(list[j].msr);
  @ ensures \result == VMM_BITMAP_ERR_MSR_FLAGS ==>
  @   \exists integer j; 0 <= j < count && !flags_ok(list[j].flags);
  @*/
static enum vmm_bitmap_err
bitmap__check_msrs(const struct vmm_msr_allow *list, vmm_u32 count,
		   vmm_bool svm)
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= count;
	  @ loop invariant err == VMM_BITMAP_OK ==>
	  @   (svm != 0 ==> entries_ok_svm(list, i)) &&
	  @   (svm == 0 ==> entries_ok_vmx(list, i));
	  @ loop invariant err == VMM_BITMAP_OK || err == VMM_BITMAP_ERR_MSR_RANGE ||
	  @   err == VMM_BITMAP_ERR_MSR_FLAGS;
	  @ loop invariant svm != 0 && err == VMM_BITMAP_ERR_MSR_RANGE ==>
	  @   \exists integer j; 0 <= j < count && !svm_msr_mapped(list[j].msr);
	  @ loop invariant svm == 0 && err == VMM_BITMAP_ERR_MSR_RANGE ==>
	  @   \exists integer j; 0 <= j < count && !vmx_msr_mapped(list[j].msr);
	  @ loop invariant err == VMM_BITMAP_ERR_MSR_FLAGS ==>
	  @   \exists integer j; 0 <= j < count && !flags_ok(list[j].flags);
	  @ loop assigns i, err;
	  @ loop variant count - i;
	  @*/
	for (i = 0U; (i < count) && (err == VMM_BITMAP_OK); i++) {
		vmm_u32 m = list[i].msr;
		vmm_bool mapped = ((m <= VMM_MSR_LOW_LAST) ||
				   ((m >= VMM_MSR_HIGH_FIRST) &&
				    (m <= VMM_MSR_HIGH_LAST)) ||
				   ((svm != 0) && (m >= VMM_MSR_AMD_FIRST) &&
				    (m <= VMM_MSR_AMD_LAST))) ? VMM_TRUE
							      : VMM_FALSE;

		if (mapped == VMM_FALSE) {
			err = VMM_BITMAP_ERR_MSR_RANGE;
		} else if ((list[i].flags == 0U) ||
			   (list[i].flags > VMM_BITMAP_RW)) {
			err = VMM_BITMAP_ERR_MSR_FLAGS;
		}
	}
	return err;
}

/* Clear the VMX bits entry @e passes through. */
/*@ requires \valid(bm + (0 .. VMM_VMX_MSR_BITMAP_SIZE - 1));
  @ requires vmx_msr_mapped(e_msr) && flags_ok(e_flags);
  @ assigns bm[0 .. VMM_VMX_MSR_BITMAP_SIZE - 1];
  @ ensures \forall integer m, w; vmx_msr_mapped(m) && 0 <= w <= 1 ==>
  @   (pos_set(bm, vmx_msr_pos(m, w)) <==>
  @     (\at(pos_set(bm, vmx_msr_pos(m, w)), Pre) &&
  @      !(m == e_msr && flags_allow(e_flags, w))));
  @*/
static void bitmap__vmx_apply(vmm_u8 *bm, vmm_u32 e_msr, vmm_u32 e_flags)
{
	vmm_u32 slot = bitmap__msr_slot(e_msr);

	if ((e_flags == VMM_BITMAP_READ) || (e_flags == VMM_BITMAP_RW)) {
		bitmap__clear(bm, VMM_VMX_MSR_BITMAP_SIZE, slot);
	}
	/*@ assert \forall integer m, w; vmx_msr_mapped(m) && 0 <= w <= 1 ==>
	  @   (pos_set(bm, vmx_msr_pos(m, w)) <==>
	  @     (\at(pos_set(bm, vmx_msr_pos(m, w)), Pre) &&
	  @      !(m == e_msr && w == 0 && flags_allow(e_flags, 0))));
	  @*/
	if ((e_flags == VMM_BITMAP_WRITE) || (e_flags == VMM_BITMAP_RW)) {
		bitmap__clear(bm, VMM_VMX_MSR_BITMAP_SIZE, 0x4000U + slot);
	}
}

/* Clear the SVM bits entry @e passes through. */
/*@ requires \valid(pm + (0 .. VMM_SVM_MSRPM_SIZE - 1));
  @ requires svm_msr_mapped(e_msr) && flags_ok(e_flags);
  @ assigns pm[0 .. VMM_SVM_MSRPM_SIZE - 1];
  @ ensures \forall integer m, w; svm_msr_mapped(m) && 0 <= w <= 1 ==>
  @   (pos_set(pm, svm_msr_pos(m, w)) <==>
  @     (\at(pos_set(pm, svm_msr_pos(m, w)), Pre) &&
  @      !(m == e_msr && flags_allow(e_flags, w))));
  @ ensures \forall integer p; 0xC000 <= p < 8 * VMM_SVM_MSRPM_SIZE ==>
  @   (pos_set(pm, p) <==> \at(pos_set(pm, p), Pre));
  @*/
static void bitmap__svm_apply(vmm_u8 *pm, vmm_u32 e_msr, vmm_u32 e_flags)
{
	vmm_u32 slot = bitmap__msr_slot(e_msr);

	if ((e_flags == VMM_BITMAP_READ) || (e_flags == VMM_BITMAP_RW)) {
		bitmap__clear(pm, VMM_SVM_MSRPM_SIZE, 2U * slot);
	}
	/*@ assert \forall integer m, w; svm_msr_mapped(m) && 0 <= w <= 1 ==>
	  @   (pos_set(pm, svm_msr_pos(m, w)) <==>
	  @     (\at(pos_set(pm, svm_msr_pos(m, w)), Pre) &&
	  @      !(m == e_msr && w == 0 && flags_allow(e_flags, 0))));
	  @*/
	if ((e_flags == VMM_BITMAP_WRITE) || (e_flags == VMM_BITMAP_RW)) {
		bitmap__clear(pm, VMM_SVM_MSRPM_SIZE, (2U * slot) + 1U);
	}
}

enum vmm_bitmap_err
vmm_bitmap_vmx_msr_build(const struct vmm_msr_allow *list, vmm_u32 count,
			 vmm_u8 bm[VMM_VMX_MSR_BITMAP_SIZE])
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	if (bm == VMM_NULL) {
		err = VMM_BITMAP_ERR_NULL;
	} else {
		bitmap__fill(bm, VMM_VMX_MSR_BITMAP_SIZE);
		if ((list == VMM_NULL) && (count != 0U)) {
			err = VMM_BITMAP_ERR_NULL;
		} else if (count != 0U) {
			err = bitmap__check_msrs(list, count, VMM_FALSE);
		}
		if ((err == VMM_BITMAP_OK) && (count != 0U)) {
			/*@ loop invariant 0 <= i <= count;
			  @ loop invariant \forall integer m, w;
			  @   vmx_msr_mapped(m) && 0 <= w <= 1 ==>
			  @   (pos_set(bm, vmx_msr_pos(m, w)) <==>
			  @     !msr_allowed(list, i, m, w));
			  @ loop assigns i, bm[0 .. VMM_VMX_MSR_BITMAP_SIZE - 1];
			  @ loop variant count - i;
			  @*/
			for (i = 0U; i < count; i++) {
				bitmap__vmx_apply(bm, list[i].msr,
						  list[i].flags);
			}
		}
	}
	return err;
}

enum vmm_bitmap_err
vmm_bitmap_svm_msr_build(const struct vmm_msr_allow *list, vmm_u32 count,
			 vmm_u8 pm[VMM_SVM_MSRPM_SIZE])
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	if (pm == VMM_NULL) {
		err = VMM_BITMAP_ERR_NULL;
	} else {
		bitmap__fill(pm, VMM_SVM_MSRPM_SIZE);
		if ((list == VMM_NULL) && (count != 0U)) {
			err = VMM_BITMAP_ERR_NULL;
		} else if (count != 0U) {
			err = bitmap__check_msrs(list, count, VMM_TRUE);
		}
		if ((err == VMM_BITMAP_OK) && (count != 0U)) {
			/*@ loop invariant 0 <= i <= count;
			  @ loop invariant \forall integer m, w;
			  @   svm_msr_mapped(m) && 0 <= w <= 1 ==>
			  @   (pos_set(pm, svm_msr_pos(m, w)) <==>
			  @     !msr_allowed(list, i, m, w));
			  @ loop invariant \forall integer p;
			  @   0xC000 <= p < 8 * VMM_SVM_MSRPM_SIZE ==> pos_set(pm, p);
			  @ loop assigns i, pm[0 .. VMM_SVM_MSRPM_SIZE - 1];
			  @ loop variant count - i;
			  @*/
			for (i = 0U; i < count; i++) {
				bitmap__svm_apply(pm, list[i].msr,
						  list[i].flags);
			}
		}
	}
	return err;
}

vmm_bool vmm_bitmap_vmx_msr_intercepted(const vmm_u8 bm[VMM_VMX_MSR_BITMAP_SIZE],
					vmm_u32 msr, vmm_bool write)
{
	vmm_bool exit = VMM_TRUE;
	vmm_u32 pos;

	if ((bm != VMM_NULL) &&
	    ((msr <= VMM_MSR_LOW_LAST) ||
	     ((msr >= VMM_MSR_HIGH_FIRST) && (msr <= VMM_MSR_HIGH_LAST)))) {
		pos = bitmap__msr_slot(msr);
		if (write != 0) {
			pos = pos + 0x4000U;
		}
		exit = bitmap__test(bm, pos);
	}
	return exit;
}

vmm_bool vmm_bitmap_svm_msr_intercepted(const vmm_u8 pm[VMM_SVM_MSRPM_SIZE],
					vmm_u32 msr, vmm_bool write)
{
	vmm_bool exit = VMM_TRUE;
	vmm_u32 pos;

	if ((pm != VMM_NULL) &&
	    ((msr <= VMM_MSR_LOW_LAST) ||
	     ((msr >= VMM_MSR_HIGH_FIRST) && (msr <= VMM_MSR_HIGH_LAST)) ||
	     ((msr >= VMM_MSR_AMD_FIRST) && (msr <= VMM_MSR_AMD_LAST)))) {
		pos = 2U * bitmap__msr_slot(msr);
		if (write != 0) {
			pos = pos + 1U;
		}
		exit = bitmap__test(pm, pos);
	}
	return exit;
}

/* Check every port range: OK, or the code of the first bad one. */
/*@ requires \valid_read(list + (0 .. count - 1));
  @ assigns \nothing;
  @ ensures \result == VMM_BITMAP_OK || \result == VMM_BITMAP_ERR_PORT_EMPTY ||
  @   \result == VMM_BITMAP_ERR_PORT_RANGE;
  @ ensures \result == VMM_BITMAP_OK <==> port_entries_ok(list, count);
  @ ensures \result == VMM_BITMAP_ERR_PORT_EMPTY ==>
  @   \exists integer j; 0 <= j < count && list[j].count == 0;
  @ ensures \result == VMM_BITMAP_ERR_PORT_RANGE ==>
  @   \exists integer j; 0 <= j < count &&
  @     list[j].first + list[j].count > VMM_IO_PORTS;
  @*/
static enum vmm_bitmap_err
bitmap__check_ports(const struct vmm_port_allow *list, vmm_u32 count)
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	/*@ loop invariant 0 <= i <= count;
	  @ loop invariant err == VMM_BITMAP_OK ==> port_entries_ok(list, i);
	  @ loop invariant err == VMM_BITMAP_OK ||
	  @   err == VMM_BITMAP_ERR_PORT_EMPTY || err == VMM_BITMAP_ERR_PORT_RANGE;
	  @ loop invariant err == VMM_BITMAP_ERR_PORT_EMPTY ==>
	  @   \exists integer j; 0 <= j < count && list[j].count == 0;
	  @ loop invariant err == VMM_BITMAP_ERR_PORT_RANGE ==>
	  @   \exists integer j; 0 <= j < count &&
	  @     list[j].first + list[j].count > VMM_IO_PORTS;
	  @ loop assigns i, err;
	  @ loop variant count - i;
	  @*/
	for (i = 0U; (i < count) && (err == VMM_BITMAP_OK); i++) {
		if (list[i].count == 0U) {
			err = VMM_BITMAP_ERR_PORT_EMPTY;
		} else if ((list[i].first >= VMM_IO_PORTS) ||
			   (list[i].count > (VMM_IO_PORTS - list[i].first))) {
			/* first + count > 0x10000, computed without wrapping. */
			err = VMM_BITMAP_ERR_PORT_RANGE;
		}
	}
	return err;
}

/* Clear the VMX bits of ports [first, first + count). */
/*@ requires \valid(a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires \valid(b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires \separated(a + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1),
  @                     b + (0 .. VMM_VMX_IO_BITMAP_SIZE - 1));
  @ requires count != 0 && first + count <= VMM_IO_PORTS;
  @ assigns a[0 .. VMM_VMX_IO_BITMAP_SIZE - 1],
  @         b[0 .. VMM_VMX_IO_BITMAP_SIZE - 1];
  @ ensures \forall integer p; 0 <= p < VMM_IO_PORTS ==>
  @   (vmx_io_set(a, b, p) <==>
  @     (\at(vmx_io_set(a, b, p), Pre) && !(first <= p < first + count)));
  @*/
static void bitmap__vmx_io_apply(vmm_u8 *a, vmm_u8 *b, vmm_u32 first,
				 vmm_u32 count)
{
	vmm_u32 q;

	/*@ loop invariant first <= q <= first + count;
	  @ loop invariant \forall integer p; 0 <= p < VMM_IO_PORTS ==>
	  @   (vmx_io_set(a, b, p) <==>
	  @     (\at(vmx_io_set(a, b, p), Pre) && !(first <= p < q)));
	  @ loop assigns q, a[0 .. VMM_VMX_IO_BITMAP_SIZE - 1],
	  @   b[0 .. VMM_VMX_IO_BITMAP_SIZE - 1];
	  @ loop variant first + count - q;
	  @*/
	for (q = first; q < (first + count); q++) {
		if (q < VMM_IO_B_FIRST) {
			bitmap__clear(a, VMM_VMX_IO_BITMAP_SIZE, q);
		} else {
			bitmap__clear(b, VMM_VMX_IO_BITMAP_SIZE,
				      q - VMM_IO_B_FIRST);
		}
	}
}

/* Clear the SVM bits of ports [first, first + count). */
/*@ requires \valid(pm + (0 .. VMM_SVM_IOPM_SIZE - 1));
  @ requires count != 0 && first + count <= VMM_IO_PORTS;
  @ assigns pm[0 .. VMM_SVM_IOPM_SIZE - 1];
  @ ensures \forall integer p; 0 <= p < 8 * VMM_SVM_IOPM_SIZE ==>
  @   (pos_set(pm, p) <==>
  @     (\at(pos_set(pm, p), Pre) && !(first <= p < first + count)));
  @*/
static void bitmap__svm_io_apply(vmm_u8 *pm, vmm_u32 first, vmm_u32 count)
{
	vmm_u32 q;

	/*@ loop invariant first <= q <= first + count;
	  @ loop invariant \forall integer p; 0 <= p < 8 * VMM_SVM_IOPM_SIZE ==>
	  @   (pos_set(pm, p) <==>
	  @     (\at(pos_set(pm, p), Pre) && !(first <= p < q)));
	  @ loop assigns q, pm[0 .. VMM_SVM_IOPM_SIZE - 1];
	  @ loop variant first + count - q;
	  @*/
	for (q = first; q < (first + count); q++) {
		bitmap__clear(pm, VMM_SVM_IOPM_SIZE, q);
	}
}

enum vmm_bitmap_err
vmm_bitmap_vmx_io_build(const struct vmm_port_allow *list, vmm_u32 count,
			vmm_u8 a[VMM_VMX_IO_BITMAP_SIZE],
			vmm_u8 b[VMM_VMX_IO_BITMAP_SIZE])
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	if ((a == VMM_NULL) || (b == VMM_NULL)) {
		err = VMM_BITMAP_ERR_NULL;
	} else {
		bitmap__fill(a, VMM_VMX_IO_BITMAP_SIZE);
		bitmap__fill(b, VMM_VMX_IO_BITMAP_SIZE);
		if ((list == VMM_NULL) && (count != 0U)) {
			err = VMM_BITMAP_ERR_NULL;
		} else if (count != 0U) {
			err = bitmap__check_ports(list, count);
		}
		if ((err == VMM_BITMAP_OK) && (count != 0U)) {
			/*@ loop invariant 0 <= i <= count;
			  @ loop invariant \forall integer p;
			  @   0 <= p < VMM_IO_PORTS ==>
			  @   (vmx_io_set(a, b, p) <==> !port_allowed(list, i, p));
			  @ loop assigns i, a[0 .. VMM_VMX_IO_BITMAP_SIZE - 1],
			  @   b[0 .. VMM_VMX_IO_BITMAP_SIZE - 1];
			  @ loop variant count - i;
			  @*/
			for (i = 0U; i < count; i++) {
				bitmap__vmx_io_apply(a, b, list[i].first,
						     list[i].count);
			}
		}
	}
	return err;
}

enum vmm_bitmap_err
vmm_bitmap_svm_io_build(const struct vmm_port_allow *list, vmm_u32 count,
			vmm_u8 pm[VMM_SVM_IOPM_SIZE])
{
	enum vmm_bitmap_err err = VMM_BITMAP_OK;
	vmm_u32 i;

	if (pm == VMM_NULL) {
		err = VMM_BITMAP_ERR_NULL;
	} else {
		bitmap__fill(pm, VMM_SVM_IOPM_SIZE);
		if ((list == VMM_NULL) && (count != 0U)) {
			err = VMM_BITMAP_ERR_NULL;
		} else if (count != 0U) {
			err = bitmap__check_ports(list, count);
		}
		if ((err == VMM_BITMAP_OK) && (count != 0U)) {
			/*@ loop invariant 0 <= i <= count;
			  @ loop invariant \forall integer p;
			  @   0 <= p < VMM_IO_PORTS ==>
			  @   (pos_set(pm, p) <==> !port_allowed(list, i, p));
			  @ loop invariant \forall integer p;
			  @   VMM_IO_PORTS <= p < 8 * VMM_SVM_IOPM_SIZE ==>
			  @   pos_set(pm, p);
			  @ loop assigns i, pm[0 .. VMM_SVM_IOPM_SIZE - 1];
			  @ loop variant count - i;
			  @*/
			for (i = 0U; i < count; i++) {
				bitmap__svm_io_apply(pm, list[i].first,
						     list[i].count);
			}
		}
	}
	return err;
}

vmm_bool vmm_bitmap_vmx_io_intercepted(const vmm_u8 a[VMM_VMX_IO_BITMAP_SIZE],
				       const vmm_u8 b[VMM_VMX_IO_BITMAP_SIZE],
				       vmm_u32 port, vmm_u32 size)
{
	vmm_bool exit = VMM_TRUE;
	vmm_u32 k;

	if ((a != VMM_NULL) && (b != VMM_NULL) &&
	    ((size == 1U) || (size == 2U) || (size == 4U)) &&
	    (port <= (VMM_IO_PORTS - size))) {
		exit = VMM_FALSE;
		/*@ loop invariant 0 <= k <= size;
		  @ loop invariant exit == 0 || exit == 1;
		  @ loop invariant exit == 0 ==>
		  @   \forall integer q; port <= q < port + k ==>
		  @     !vmx_io_set(a, b, q);
		  @ loop invariant exit == 1 ==>
		  @   \exists integer q; port <= q < port + size &&
		  @     vmx_io_set(a, b, q);
		  @ loop assigns k, exit;
		  @ loop variant size - k;
		  @*/
		for (k = 0U; (k < size) && (exit == VMM_FALSE); k++) {
			if ((port + k) < VMM_IO_B_FIRST) {
				exit = bitmap__test(a, port + k);
			} else {
				exit = bitmap__test(b, (port + k) -
							       VMM_IO_B_FIRST);
			}
		}
	}
	return exit;
}

vmm_bool vmm_bitmap_svm_io_intercepted(const vmm_u8 pm[VMM_SVM_IOPM_SIZE],
				       vmm_u32 port, vmm_u32 size)
{
	vmm_bool exit = VMM_TRUE;
	vmm_u32 k;

	if ((pm != VMM_NULL) &&
	    ((size == 1U) || (size == 2U) || (size == 4U)) &&
	    (port < VMM_IO_PORTS)) {
		exit = VMM_FALSE;
		/*@ loop invariant 0 <= k <= size;
		  @ loop invariant exit == 0 || exit == 1;
		  @ loop invariant exit == 0 ==>
		  @   \forall integer q; port <= q < port + k ==> !pos_set(pm, q);
		  @ loop invariant exit == 1 ==>
		  @   \exists integer q; port <= q < port + size && pos_set(pm, q);
		  @ loop assigns k, exit;
		  @ loop variant size - k;
		  @*/
		for (k = 0U; (k < size) && (exit == VMM_FALSE); k++) {
			/* Up to bit 0x10002: inside the 12 KiB map. */
			exit = bitmap__test(pm, port + k);
		}
	}
	return exit;
}
