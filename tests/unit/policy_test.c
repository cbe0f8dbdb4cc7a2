// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 11: lamina's policy on the entry
 * controls. Start from controls that obey the policy (what the backends
 * write), break one rule at a time and check its exact enumerator; break
 * every rule from k on and check that k wins (first failure).
 */
#include <string.h>

#include <libvmm/policy.h>

#include "tap.h"

static struct vmm_policy_svm svm;
static struct vmm_policy_vmx vmx;

static void reset(void)
{
	memset(&svm, 0, sizeof(svm));
	svm.intercept_cr = VMM_POLICY_SVM_CR8_WRITE;
	svm.intercept_exc = VMM_POLICY_SVM_EXC_DB | VMM_POLICY_SVM_EXC_AC;
	svm.intercept_word3 = VMM_POLICY_SVM_INTR | VMM_POLICY_SVM_NMI |
		VMM_POLICY_SVM_SMI | VMM_POLICY_SVM_CPUID |
		VMM_POLICY_SVM_INVD | VMM_POLICY_SVM_HLT |
		VMM_POLICY_SVM_INVLPGA | VMM_POLICY_SVM_IOIO_PROT |
		VMM_POLICY_SVM_MSR_PROT | VMM_POLICY_SVM_SHUTDOWN;
	svm.intercept_word4 = VMM_POLICY_SVM_VMRUN | VMM_POLICY_SVM_VMMCALL |
		VMM_POLICY_SVM_VMLOAD | VMM_POLICY_SVM_VMSAVE |
		VMM_POLICY_SVM_STGI | VMM_POLICY_SVM_CLGI |
		VMM_POLICY_SVM_SKINIT | VMM_POLICY_SVM_MONITOR |
		VMM_POLICY_SVM_MWAIT | VMM_POLICY_SVM_XSETBV;
	svm.np_ctl = VMM_POLICY_SVM_NP_ENABLE;
	svm.ncr3 = svm.npt_root = 0x123000ULL;
	svm.iopm_base_pa = svm.iopm_pa = 0x200000ULL;
	svm.msrpm_base_pa = svm.msrpm_pa = 0x300000ULL;

	memset(&vmx, 0, sizeof(vmx));
	vmx.pin_ctls = VMM_POLICY_VMX_PIN_EXT_INTR | VMM_POLICY_VMX_PIN_NMI;
	vmx.proc_ctls = VMM_POLICY_VMX_PROC_HLT | VMM_POLICY_VMX_PROC_MWAIT |
		VMM_POLICY_VMX_PROC_CR8_LOAD | VMM_POLICY_VMX_PROC_CR8_STORE |
		VMM_POLICY_VMX_PROC_IO_BITMAPS |
		VMM_POLICY_VMX_PROC_MSR_BITMAPS | VMM_POLICY_VMX_PROC_MONITOR |
		VMM_POLICY_VMX_PROC_SECONDARY;
	vmx.proc_ctls2 = VMM_POLICY_VMX_PROC2_EPT;
	vmx.exception_bitmap = VMM_POLICY_VMX_EXC_DB | VMM_POLICY_VMX_EXC_AC;
	vmx.ept_root = 0x123000ULL;
	vmx.eptp = vmx.ept_root | VMM_POLICY_VMX_EPTP_FLAGS;
	vmx.io_bitmap_a = vmx.io_bitmap_a_pa = 0x200000ULL;
	vmx.io_bitmap_b = vmx.io_bitmap_b_pa = 0x201000ULL;
	vmx.msr_bitmap = vmx.msr_bitmap_pa = 0x300000ULL;
}

static void svm_break(unsigned int rule)
{
	switch (rule) {
	case VMM_POLICY_SVM_RULE_NP_ENABLE:
		svm.np_ctl &= ~VMM_POLICY_SVM_NP_ENABLE;
		break;
	case VMM_POLICY_SVM_RULE_NCR3:
		svm.ncr3 ^= 0x1000ULL;
		break;
	case VMM_POLICY_SVM_RULE_IOIO_PROT:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_IOIO_PROT;
		break;
	case VMM_POLICY_SVM_RULE_IOPM:
		svm.iopm_base_pa ^= 0x1000ULL;
		break;
	case VMM_POLICY_SVM_RULE_MSR_PROT:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_MSR_PROT;
		break;
	case VMM_POLICY_SVM_RULE_MSRPM:
		svm.msrpm_base_pa ^= 0x1000ULL;
		break;
	case VMM_POLICY_SVM_RULE_EXC_DB:
		svm.intercept_exc &= ~VMM_POLICY_SVM_EXC_DB;
		break;
	case VMM_POLICY_SVM_RULE_EXC_AC:
		svm.intercept_exc &= ~VMM_POLICY_SVM_EXC_AC;
		break;
	case VMM_POLICY_SVM_RULE_INTR:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_INTR;
		break;
	case VMM_POLICY_SVM_RULE_NMI:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_NMI;
		break;
	case VMM_POLICY_SVM_RULE_SMI:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_SMI;
		break;
	case VMM_POLICY_SVM_RULE_CR8_WRITE:
		svm.intercept_cr &= ~VMM_POLICY_SVM_CR8_WRITE;
		break;
	case VMM_POLICY_SVM_RULE_CPUID:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_CPUID;
		break;
	case VMM_POLICY_SVM_RULE_INVD:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_INVD;
		break;
	case VMM_POLICY_SVM_RULE_HLT:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_HLT;
		break;
	case VMM_POLICY_SVM_RULE_SHUTDOWN:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_SHUTDOWN;
		break;
	case VMM_POLICY_SVM_RULE_VMRUN:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_VMRUN;
		break;
	case VMM_POLICY_SVM_RULE_VMMCALL:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_VMMCALL;
		break;
	case VMM_POLICY_SVM_RULE_VMLOAD:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_VMLOAD;
		break;
	case VMM_POLICY_SVM_RULE_VMSAVE:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_VMSAVE;
		break;
	case VMM_POLICY_SVM_RULE_STGI:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_STGI;
		break;
	case VMM_POLICY_SVM_RULE_CLGI:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_CLGI;
		break;
	case VMM_POLICY_SVM_RULE_SKINIT:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_SKINIT;
		break;
	case VMM_POLICY_SVM_RULE_INVLPGA:
		svm.intercept_word3 &= ~VMM_POLICY_SVM_INVLPGA;
		break;
	case VMM_POLICY_SVM_RULE_MONITOR:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_MONITOR;
		break;
	case VMM_POLICY_SVM_RULE_MWAIT:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_MWAIT;
		break;
	case VMM_POLICY_SVM_RULE_XSETBV:
		svm.intercept_word4 &= ~VMM_POLICY_SVM_XSETBV;
		break;
	}
}

static void vmx_break(unsigned int rule)
{
	switch (rule) {
	case VMM_POLICY_VMX_RULE_EXT_INTR:
		vmx.pin_ctls &= ~VMM_POLICY_VMX_PIN_EXT_INTR;
		break;
	case VMM_POLICY_VMX_RULE_NMI:
		vmx.pin_ctls &= ~VMM_POLICY_VMX_PIN_NMI;
		break;
	case VMM_POLICY_VMX_RULE_HLT:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_HLT;
		break;
	case VMM_POLICY_VMX_RULE_MWAIT:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_MWAIT;
		break;
	case VMM_POLICY_VMX_RULE_MONITOR:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_MONITOR;
		break;
	case VMM_POLICY_VMX_RULE_CR8_LOAD:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_CR8_LOAD;
		break;
	case VMM_POLICY_VMX_RULE_CR8_STORE:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_CR8_STORE;
		break;
	case VMM_POLICY_VMX_RULE_IO_BITMAPS:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_IO_BITMAPS;
		break;
	case VMM_POLICY_VMX_RULE_MSR_BITMAPS:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_MSR_BITMAPS;
		break;
	case VMM_POLICY_VMX_RULE_SECONDARY:
		vmx.proc_ctls &= ~VMM_POLICY_VMX_PROC_SECONDARY;
		break;
	case VMM_POLICY_VMX_RULE_EPT:
		vmx.proc_ctls2 &= ~VMM_POLICY_VMX_PROC2_EPT;
		break;
	case VMM_POLICY_VMX_RULE_VMFUNC:
		vmx.proc_ctls2 |= VMM_POLICY_VMX_PROC2_VMFUNC;
		break;
	case VMM_POLICY_VMX_RULE_EPTP_ROOT:
		vmx.eptp ^= 0x1000ULL;
		break;
	case VMM_POLICY_VMX_RULE_EPTP_FORMAT:
		vmx.eptp |= 0x40ULL; /* A/D enable */
		break;
	case VMM_POLICY_VMX_RULE_IO_BITMAP_A:
		vmx.io_bitmap_a ^= 0x1000ULL;
		break;
	case VMM_POLICY_VMX_RULE_IO_BITMAP_B:
		vmx.io_bitmap_b ^= 0x1000ULL;
		break;
	case VMM_POLICY_VMX_RULE_MSR_BITMAP:
		vmx.msr_bitmap ^= 0x1000ULL;
		break;
	case VMM_POLICY_VMX_RULE_EXC_DB:
		vmx.exception_bitmap &= ~VMM_POLICY_VMX_EXC_DB;
		break;
	case VMM_POLICY_VMX_RULE_EXC_AC:
		vmx.exception_bitmap &= ~VMM_POLICY_VMX_EXC_AC;
		break;
	}
}

static enum vmm_policy_svm_rule svm_check(void)
{
	struct vmm_policy_svm before = svm;
	enum vmm_policy_svm_rule r = vmm_policy_svm_check(&svm);

	CHECK(memcmp(&before, &svm, sizeof(svm)) == 0);
	return r;
}

static enum vmm_policy_vmx_rule vmx_check(void)
{
	struct vmm_policy_vmx before = vmx;
	enum vmm_policy_vmx_rule r = vmm_policy_vmx_check(&vmx);

	CHECK(memcmp(&before, &vmx, sizeof(vmx)) == 0);
	return r;
}

static void null_record(void)
{
	CHECK_EQ(vmm_policy_svm_check(NULL), VMM_POLICY_SVM_ERR_NULL);
	CHECK_EQ(vmm_policy_vmx_check(NULL), VMM_POLICY_VMX_ERR_NULL);
}

static void lamina_controls_pass(void)
{
	reset();
	CHECK_EQ(svm_check(), VMM_POLICY_SVM_OK);
	CHECK_EQ(vmx_check(), VMM_POLICY_VMX_OK);
	/* Bits the policy does not name do not matter. */
	svm.intercept_word3 |= 0x10U;	/* VINTR */
	svm.intercept_cr |= 0xFFFFU;
	vmx.proc_ctls |= 0x4U | 0x00800000U;	/* window, MOV DR exiting */
	CHECK_EQ(svm_check(), VMM_POLICY_SVM_OK);
	CHECK_EQ(vmx_check(), VMM_POLICY_VMX_OK);
}

static void svm_each_rule(void)
{
	unsigned int k;

	for (k = VMM_POLICY_SVM_FIRST_RULE; k <= VMM_POLICY_SVM_LAST_RULE; k++) {
		reset();
		svm_break(k);
		CHECK_EQ(svm_check(), k);
	}
}

static void vmx_each_rule(void)
{
	unsigned int k;

	for (k = VMM_POLICY_VMX_FIRST_RULE; k <= VMM_POLICY_VMX_LAST_RULE; k++) {
		reset();
		vmx_break(k);
		CHECK_EQ(vmx_check(), k);
	}
}

static void first_failure_wins(void)
{
	unsigned int k, j;

	for (k = VMM_POLICY_SVM_FIRST_RULE; k <= VMM_POLICY_SVM_LAST_RULE; k++) {
		reset();
		for (j = k; j <= VMM_POLICY_SVM_LAST_RULE; j++)
			svm_break(j);
		CHECK_EQ(svm_check(), k);
	}
	for (k = VMM_POLICY_VMX_FIRST_RULE; k <= VMM_POLICY_VMX_LAST_RULE; k++) {
		reset();
		for (j = k; j <= VMM_POLICY_VMX_LAST_RULE; j++)
			vmx_break(j);
		CHECK_EQ(vmx_check(), k);
	}
}

static const struct tap_case cases[] = {
	TAP_CASE(null_record),
	TAP_CASE(lamina_controls_pass),
	TAP_CASE(svm_each_rule),
	TAP_CASE(vmx_each_rule),
	TAP_CASE(first_failure_wins),
};

int main(void)
{
	return tap_run("unit/policy", cases, TAP_COUNT(cases));
}
