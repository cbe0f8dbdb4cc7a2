// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 3 (AMD): VMRUN consistency checks.  Rules and contract:
 * vmcb.h; model: acsl-specs/vmcb.acsl.
 *
 * Shape: two if-else chains, one per VMCB area, each naming the first
 * rule that fails, in the order of the enum (the APM's order).  The first
 * rule bounds phys_addr_bits to [32, 52], so every later shift by it is
 * defined.  All arithmetic is unsigned and cannot wrap.
 */
#include <libvmm/vmcb.h>

/* Does physical address @a fit in @bits bits (bits <= 52)? */
/*@ requires bits <= VMM_SVM_PHYS_BITS_MAX;
  @ assigns \nothing;
  @ ensures \result != 0 <==> (a >> bits) == 0;
  @*/
static vmm_bool svm__pa_ok(vmm_u64 a, vmm_u8 bits)
{
	return ((a >> bits) == 0U) ? VMM_TRUE : VMM_FALSE;
}

/*
 * Does the permission map at page(@base), @size bytes long, end below
 * 2^phys_addr_bits?  The last byte's address is computed only when it
 * cannot wrap.
 */
/*@ requires \valid_read(s) && svm_rule_phys_addr_bits(s);
  @ requires 0 < size <= VMM_SVM_IOPM_SIZE;
  @ assigns \nothing;
  @ ensures \result != 0 <==> svm_pm_ok(s, base, size);
  @*/
static vmm_bool svm__pm_ok(const struct vmm_svm_vmrun_state *s, vmm_u64 base,
			   vmm_u64 size)
{
	vmm_bool ok = VMM_FALSE;
	vmm_u64 page = base & VMM_SVM_PM_BASE_MASK;

	if (page <= (VMM_U64_MAX - (size - 1U))) {
		ok = svm__pa_ok(page + (size - 1U), s->phys_addr_bits);
	}
	return ok;
}

/* The state-save-area rules, PHYS_ADDR_BITS .. LME_PG_PAE_CS_L_D. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_SVM_VMRUN_OK <==> svm_save_ok(s);
  @ ensures \result != VMM_SVM_VMRUN_OK ==>
  @   \result <= VMM_SVM_VMRUN_LME_PG_PAE_CS_L_D &&
  @   svm_first_failure(s, \result);
  @*/
static enum vmm_svm_vmrun_check
svm__check_save(const struct vmm_svm_vmrun_state *s)
{
	enum vmm_svm_vmrun_check err = VMM_SVM_VMRUN_OK;
	vmm_bool long_mode = (((s->efer & VMM_SVM_EFER_LME) != 0U) &&
			      ((s->cr0 & VMM_SVM_CR0_PG) != 0U)) ?
		VMM_TRUE : VMM_FALSE;

	if ((s->phys_addr_bits < VMM_SVM_PHYS_BITS_MIN) ||
	    (s->phys_addr_bits > VMM_SVM_PHYS_BITS_MAX)) {
		err = VMM_SVM_VMRUN_PHYS_ADDR_BITS;
	} else if ((s->efer & VMM_SVM_EFER_SVME) == 0U) {
		err = VMM_SVM_VMRUN_EFER_SVME;
	} else if (((s->cr0 & VMM_SVM_CR0_CD) == 0U) &&
		   ((s->cr0 & VMM_SVM_CR0_NW) != 0U)) {
		err = VMM_SVM_VMRUN_CR0_CD_NW;
	} else if (s->cr0 > VMM_SVM_LOW32_MAX) {
		err = VMM_SVM_VMRUN_CR0_HIGH;
	} else if ((long_mode != 0) &&
		   (svm__pa_ok(s->cr3, s->phys_addr_bits) == 0)) {
		err = VMM_SVM_VMRUN_CR3_MBZ;
	} else if (s->cr4 > VMM_SVM_LOW32_MAX) {
		err = VMM_SVM_VMRUN_CR4_HIGH;
	} else if ((s->cr4 & s->cr4_mbz) != 0U) {
		err = VMM_SVM_VMRUN_CR4_MBZ;
	} else if (s->dr6 > VMM_SVM_LOW32_MAX) {
		err = VMM_SVM_VMRUN_DR6_HIGH;
	} else if (s->dr7 > VMM_SVM_LOW32_MAX) {
		err = VMM_SVM_VMRUN_DR7_HIGH;
	} else if ((s->efer & s->efer_mbz) != 0U) {
		err = VMM_SVM_VMRUN_EFER_MBZ;
	} else if ((((s->efer & VMM_SVM_EFER_LMA) != 0U) ||
		    ((s->efer & VMM_SVM_EFER_LME) != 0U)) &&
		   (s->long_mode == 0U)) {
		err = VMM_SVM_VMRUN_EFER_LONG_MODE;
	} else if ((long_mode != 0) && ((s->cr4 & VMM_SVM_CR4_PAE) == 0U)) {
		err = VMM_SVM_VMRUN_LME_PG_NO_PAE;
	} else if ((long_mode != 0) && ((s->cr0 & VMM_SVM_CR0_PE) == 0U)) {
		err = VMM_SVM_VMRUN_LME_PG_NO_PE;
	} else if ((long_mode != 0) &&
		   ((s->cs_attrib & VMM_SVM_SEG_ATTR_L) != 0U) &&
		   ((s->cs_attrib & VMM_SVM_SEG_ATTR_DB) != 0U)) {
		/* PAE is set here: LME_PG_NO_PAE passed. */
		err = VMM_SVM_VMRUN_LME_PG_PAE_CS_L_D;
	} else {
		err = VMM_SVM_VMRUN_OK;
	}
	return err;
}

/* The control-area rules, VMRUN_INTERCEPT .. NCR3_MBZ. */
/*@ requires \valid_read(s) && svm_save_ok(s);
  @ assigns \nothing;
  @ ensures \result == VMM_SVM_VMRUN_OK <==> svm_control_ok(s);
  @ ensures \result != VMM_SVM_VMRUN_OK ==>
  @   VMM_SVM_VMRUN_VMRUN_INTERCEPT <= \result &&
  @   svm_first_failure(s, \result);
  @*/
static enum vmm_svm_vmrun_check
svm__check_control(const struct vmm_svm_vmrun_state *s)
{
	enum vmm_svm_vmrun_check err = VMM_SVM_VMRUN_OK;
	vmm_u64 inj_valid = s->event_inj & VMM_SVM_EVTINJ_VALID;
	vmm_u64 inj_type = s->event_inj & VMM_SVM_EVTINJ_TYPE_MASK;
	vmm_u64 inj_vector = s->event_inj & VMM_SVM_EVTINJ_VECTOR_MASK;

	if ((s->intercept_misc2 & VMM_SVM_INTERCEPT_VMRUN) == 0U) {
		err = VMM_SVM_VMRUN_VMRUN_INTERCEPT;
	} else if (svm__pm_ok(s, s->msrpm_base_pa, VMM_SVM_MSRPM_SIZE) == 0) {
		err = VMM_SVM_VMRUN_MSRPM_LIMIT;
	} else if (svm__pm_ok(s, s->iopm_base_pa, VMM_SVM_IOPM_SIZE) == 0) {
		err = VMM_SVM_VMRUN_IOPM_LIMIT;
	} else if ((inj_valid != 0U) &&
		   (inj_type != VMM_SVM_EVTINJ_TYPE_INTR) &&
		   (inj_type != VMM_SVM_EVTINJ_TYPE_NMI) &&
		   (inj_type != VMM_SVM_EVTINJ_TYPE_EXCEPTION) &&
		   (inj_type != VMM_SVM_EVTINJ_TYPE_SOFT_INT)) {
		err = VMM_SVM_VMRUN_EVENTINJ_TYPE;
	} else if ((inj_valid != 0U) &&
		   (inj_type == VMM_SVM_EVTINJ_TYPE_EXCEPTION) &&
		   (inj_vector == VMM_SVM_NMI_VECTOR)) {
		err = VMM_SVM_VMRUN_EVENTINJ_VECTOR;
	} else if (s->asid == 0U) {
		err = VMM_SVM_VMRUN_ASID_ZERO;
	} else if ((s->np_ctl & VMM_SVM_NP_ENABLE) == 0U) {
		err = VMM_SVM_VMRUN_NP_ENABLE;
	} else if (svm__pa_ok(s->ncr3, s->phys_addr_bits) == 0) {
		err = VMM_SVM_VMRUN_NCR3_MBZ;
	} else {
		err = VMM_SVM_VMRUN_OK;
	}
	return err;
}

enum vmm_svm_vmrun_check
vmm_svm_vmrun_check(const struct vmm_svm_vmrun_state *s)
{
	enum vmm_svm_vmrun_check err = VMM_SVM_VMRUN_OK;

	if (s == VMM_NULL) {
		err = VMM_SVM_VMRUN_ERR_NULL;
	} else {
		err = svm__check_save(s);
		if (err == VMM_SVM_VMRUN_OK) {
			err = svm__check_control(s);
		}
	}
	return err;
}
