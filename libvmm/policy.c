// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 11: lamina's policy on the controls of a VM entry.  Rules
 * and contract: policy.h; model: acsl-specs/policy.acsl.
 *
 * Shape: per vendor, a few if-else chains (one per group of rules), each
 * naming the first rule of its group that fails, in the order of the
 * enum; the public function runs the groups in order.  No arithmetic:
 * bit tests and comparisons only.
 */
#include <libvmm/policy.h>

/* Rules NP_ENABLE .. MSRPM. */
/*@ requires \valid_read(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_SVM_OK <==> policy_svm_memory_ok(p);
  @ ensures \result != VMM_POLICY_SVM_OK ==>
  @   VMM_POLICY_SVM_RULE_NP_ENABLE <= \result <= VMM_POLICY_SVM_RULE_MSRPM &&
  @   policy_svm_first_failure(p, \result);
  @*/
static enum vmm_policy_svm_rule
svm__check_memory(const struct vmm_policy_svm *p)
{
	enum vmm_policy_svm_rule err = VMM_POLICY_SVM_OK;

	if ((p->np_ctl & VMM_POLICY_SVM_NP_ENABLE) == 0U) {
		err = VMM_POLICY_SVM_RULE_NP_ENABLE;
	} else if (p->ncr3 != p->npt_root) {
		err = VMM_POLICY_SVM_RULE_NCR3;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_IOIO_PROT) == 0U) {
		err = VMM_POLICY_SVM_RULE_IOIO_PROT;
	} else if (p->iopm_base_pa != p->iopm_pa) {
		err = VMM_POLICY_SVM_RULE_IOPM;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_MSR_PROT) == 0U) {
		err = VMM_POLICY_SVM_RULE_MSR_PROT;
	} else if (p->msrpm_base_pa != p->msrpm_pa) {
		err = VMM_POLICY_SVM_RULE_MSRPM;
	} else {
		err = VMM_POLICY_SVM_OK;
	}
	return err;
}

/* Rules EXC_DB .. SMI. */
/*@ requires \valid_read(p) && policy_svm_memory_ok(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_SVM_OK <==> policy_svm_events_ok(p);
  @ ensures \result != VMM_POLICY_SVM_OK ==>
  @   VMM_POLICY_SVM_RULE_EXC_DB <= \result <= VMM_POLICY_SVM_RULE_SMI &&
  @   policy_svm_first_failure(p, \result);
  @*/
static enum vmm_policy_svm_rule
svm__check_events(const struct vmm_policy_svm *p)
{
	enum vmm_policy_svm_rule err = VMM_POLICY_SVM_OK;

	if ((p->intercept_exc & VMM_POLICY_SVM_EXC_DB) == 0U) {
		err = VMM_POLICY_SVM_RULE_EXC_DB;
	} else if ((p->intercept_exc & VMM_POLICY_SVM_EXC_AC) == 0U) {
		err = VMM_POLICY_SVM_RULE_EXC_AC;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_INTR) == 0U) {
		err = VMM_POLICY_SVM_RULE_INTR;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_NMI) == 0U) {
		err = VMM_POLICY_SVM_RULE_NMI;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_SMI) == 0U) {
		err = VMM_POLICY_SVM_RULE_SMI;
	} else {
		err = VMM_POLICY_SVM_OK;
	}
	return err;
}

/* Rules CR8_WRITE .. XSETBV. */
/*@ requires \valid_read(p);
  @ requires policy_svm_memory_ok(p) && policy_svm_events_ok(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_SVM_OK <==> policy_svm_insns_ok(p);
  @ ensures \result != VMM_POLICY_SVM_OK ==>
  @   VMM_POLICY_SVM_RULE_CR8_WRITE <= \result <= VMM_POLICY_SVM_RULE_XSETBV &&
  @   policy_svm_first_failure(p, \result);
  @*/
static enum vmm_policy_svm_rule
svm__check_insns(const struct vmm_policy_svm *p)
{
	enum vmm_policy_svm_rule err = VMM_POLICY_SVM_OK;

	if ((p->intercept_cr & VMM_POLICY_SVM_CR8_WRITE) == 0U) {
		err = VMM_POLICY_SVM_RULE_CR8_WRITE;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_CPUID) == 0U) {
		err = VMM_POLICY_SVM_RULE_CPUID;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_INVD) == 0U) {
		err = VMM_POLICY_SVM_RULE_INVD;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_HLT) == 0U) {
		err = VMM_POLICY_SVM_RULE_HLT;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_SHUTDOWN) == 0U) {
		err = VMM_POLICY_SVM_RULE_SHUTDOWN;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_VMRUN) == 0U) {
		err = VMM_POLICY_SVM_RULE_VMRUN;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_VMMCALL) == 0U) {
		err = VMM_POLICY_SVM_RULE_VMMCALL;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_VMLOAD) == 0U) {
		err = VMM_POLICY_SVM_RULE_VMLOAD;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_VMSAVE) == 0U) {
		err = VMM_POLICY_SVM_RULE_VMSAVE;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_STGI) == 0U) {
		err = VMM_POLICY_SVM_RULE_STGI;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_CLGI) == 0U) {
		err = VMM_POLICY_SVM_RULE_CLGI;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_SKINIT) == 0U) {
		err = VMM_POLICY_SVM_RULE_SKINIT;
	} else if ((p->intercept_word3 & VMM_POLICY_SVM_INVLPGA) == 0U) {
		err = VMM_POLICY_SVM_RULE_INVLPGA;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_MONITOR) == 0U) {
		err = VMM_POLICY_SVM_RULE_MONITOR;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_MWAIT) == 0U) {
		err = VMM_POLICY_SVM_RULE_MWAIT;
	} else if ((p->intercept_word4 & VMM_POLICY_SVM_XSETBV) == 0U) {
		err = VMM_POLICY_SVM_RULE_XSETBV;
	} else {
		err = VMM_POLICY_SVM_OK;
	}
	return err;
}

enum vmm_policy_svm_rule
vmm_policy_svm_check(const struct vmm_policy_svm *p)
{
	enum vmm_policy_svm_rule err = VMM_POLICY_SVM_OK;

	if (p == VMM_NULL) {
		err = VMM_POLICY_SVM_ERR_NULL;
	} else {
		err = svm__check_memory(p);
		if (err == VMM_POLICY_SVM_OK) {
			err = svm__check_events(p);
		}
		if (err == VMM_POLICY_SVM_OK) {
			err = svm__check_insns(p);
		}
	}
	return err;
}

/* Rules EXT_INTR .. NMI. */
/*@ requires \valid_read(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_VMX_OK <==> policy_vmx_events_ok(p);
  @ ensures \result != VMM_POLICY_VMX_OK ==>
  @   VMM_POLICY_VMX_RULE_EXT_INTR <= \result <= VMM_POLICY_VMX_RULE_NMI &&
  @   policy_vmx_first_failure(p, \result);
  @*/
static enum vmm_policy_vmx_rule
vmx__check_events(const struct vmm_policy_vmx *p)
{
	enum vmm_policy_vmx_rule err = VMM_POLICY_VMX_OK;

	if ((p->pin_ctls & VMM_POLICY_VMX_PIN_EXT_INTR) == 0U) {
		err = VMM_POLICY_VMX_RULE_EXT_INTR;
	} else if ((p->pin_ctls & VMM_POLICY_VMX_PIN_NMI) == 0U) {
		err = VMM_POLICY_VMX_RULE_NMI;
	} else {
		err = VMM_POLICY_VMX_OK;
	}
	return err;
}

/* Rules HLT .. CR8_STORE. */
/*@ requires \valid_read(p) && policy_vmx_events_ok(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_VMX_OK <==> policy_vmx_insns_ok(p);
  @ ensures \result != VMM_POLICY_VMX_OK ==>
  @   VMM_POLICY_VMX_RULE_HLT <= \result <= VMM_POLICY_VMX_RULE_CR8_STORE &&
  @   policy_vmx_first_failure(p, \result);
  @*/
static enum vmm_policy_vmx_rule
vmx__check_insns(const struct vmm_policy_vmx *p)
{
	enum vmm_policy_vmx_rule err = VMM_POLICY_VMX_OK;

	if ((p->proc_ctls & VMM_POLICY_VMX_PROC_HLT) == 0U) {
		err = VMM_POLICY_VMX_RULE_HLT;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_MWAIT) == 0U) {
		err = VMM_POLICY_VMX_RULE_MWAIT;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_MONITOR) == 0U) {
		err = VMM_POLICY_VMX_RULE_MONITOR;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_CR8_LOAD) == 0U) {
		err = VMM_POLICY_VMX_RULE_CR8_LOAD;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_CR8_STORE) == 0U) {
		err = VMM_POLICY_VMX_RULE_CR8_STORE;
	} else {
		err = VMM_POLICY_VMX_OK;
	}
	return err;
}

/* Rules IO_BITMAPS .. MSR_BITMAP. */
/*@ requires \valid_read(p);
  @ requires policy_vmx_events_ok(p) && policy_vmx_insns_ok(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_VMX_OK <==> policy_vmx_memory_ok(p);
  @ ensures \result != VMM_POLICY_VMX_OK ==>
  @   VMM_POLICY_VMX_RULE_IO_BITMAPS <= \result &&
  @   \result <= VMM_POLICY_VMX_RULE_MSR_BITMAP &&
  @   policy_vmx_first_failure(p, \result);
  @*/
static enum vmm_policy_vmx_rule
vmx__check_memory(const struct vmm_policy_vmx *p)
{
	enum vmm_policy_vmx_rule err = VMM_POLICY_VMX_OK;

	if ((p->proc_ctls & VMM_POLICY_VMX_PROC_IO_BITMAPS) == 0U) {
		err = VMM_POLICY_VMX_RULE_IO_BITMAPS;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_MSR_BITMAPS) == 0U) {
		err = VMM_POLICY_VMX_RULE_MSR_BITMAPS;
	} else if ((p->proc_ctls & VMM_POLICY_VMX_PROC_SECONDARY) == 0U) {
		err = VMM_POLICY_VMX_RULE_SECONDARY;
	} else if ((p->proc_ctls2 & VMM_POLICY_VMX_PROC2_EPT) == 0U) {
		err = VMM_POLICY_VMX_RULE_EPT;
	} else if ((p->proc_ctls2 & VMM_POLICY_VMX_PROC2_VMFUNC) != 0U) {
		err = VMM_POLICY_VMX_RULE_VMFUNC;
	} else if ((p->eptp & VMM_POLICY_VMX_EPTP_ROOT_MASK) != p->ept_root) {
		err = VMM_POLICY_VMX_RULE_EPTP_ROOT;
	} else if ((p->eptp & VMM_POLICY_VMX_EPTP_FLAGS_MASK) !=
		   VMM_POLICY_VMX_EPTP_FLAGS) {
		err = VMM_POLICY_VMX_RULE_EPTP_FORMAT;
	} else if (p->io_bitmap_a != p->io_bitmap_a_pa) {
		err = VMM_POLICY_VMX_RULE_IO_BITMAP_A;
	} else if (p->io_bitmap_b != p->io_bitmap_b_pa) {
		err = VMM_POLICY_VMX_RULE_IO_BITMAP_B;
	} else if (p->msr_bitmap != p->msr_bitmap_pa) {
		err = VMM_POLICY_VMX_RULE_MSR_BITMAP;
	} else {
		err = VMM_POLICY_VMX_OK;
	}
	return err;
}

/* Rules EXC_DB .. EXC_AC. */
/*@ requires \valid_read(p);
  @ requires policy_vmx_events_ok(p) && policy_vmx_insns_ok(p);
  @ requires policy_vmx_memory_ok(p);
  @ assigns \nothing;
  @ ensures \result == VMM_POLICY_VMX_OK <==> policy_vmx_exc_ok(p);
  @ ensures \result != VMM_POLICY_VMX_OK ==>
  @   VMM_POLICY_VMX_RULE_EXC_DB <= \result <= VMM_POLICY_VMX_RULE_EXC_AC &&
  @   policy_vmx_first_failure(p, \result);
  @*/
static enum vmm_policy_vmx_rule
vmx__check_exc(const struct vmm_policy_vmx *p)
{
	enum vmm_policy_vmx_rule err = VMM_POLICY_VMX_OK;

	if ((p->exception_bitmap & VMM_POLICY_VMX_EXC_DB) == 0U) {
		err = VMM_POLICY_VMX_RULE_EXC_DB;
	} else if ((p->exception_bitmap & VMM_POLICY_VMX_EXC_AC) == 0U) {
		err = VMM_POLICY_VMX_RULE_EXC_AC;
	} else {
		err = VMM_POLICY_VMX_OK;
	}
	return err;
}

enum vmm_policy_vmx_rule
vmm_policy_vmx_check(const struct vmm_policy_vmx *p)
{
	enum vmm_policy_vmx_rule err = VMM_POLICY_VMX_OK;

	if (p == VMM_NULL) {
		err = VMM_POLICY_VMX_ERR_NULL;
	} else {
		err = vmx__check_events(p);
		if (err == VMM_POLICY_VMX_OK) {
			err = vmx__check_insns(p);
		}
		if (err == VMM_POLICY_VMX_OK) {
			err = vmx__check_memory(p);
		}
		if (err == VMM_POLICY_VMX_OK) {
			err = vmx__check_exc(p);
		}
	}
	return err;
}
