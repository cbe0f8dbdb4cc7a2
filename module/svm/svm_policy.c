// SPDX-License-Identifier: GPL-2.0-only
/*
 * lamina's policy on the VMCB's controls (libvmm layer 11, policy.h),
 * before VMRUN: nested paging on the page table libvmm built, the I/O and
 * MSR permission maps libvmm filled, and the intercepts lamina relies on
 * (svm_vcpu.c says why each one). Run on a vCPU's first entry and after
 * the backend changed a control word (sv->policy_dirty); a broken rule is
 * a failed entry (lamina_exit_policy_refused), never a run.
 */
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/printk.h>
#include <asm/io.h>
#include <asm/svm.h>
#include <asm/trapnr.h>

#include <libvmm/policy.h>

#include "../exit.h"
#include "../lamina.h"
#include "../npt.h"
#include "svm.h"

/*
 * The intercept rules: (policy.h name, the kernel's intercept bit). One
 * list for the compile-time check that policy.h's masks (APM table B-1)
 * are the kernel's bits in the word the policy record reads, the rule
 * names in dmesg and the test-only corruption.
 */
#define SVM_POLICY_INTERCEPTS(X) \
	X(IOIO_PROT, INTERCEPT_IOIO_PROT, INTERCEPT_WORD3) \
	X(MSR_PROT, INTERCEPT_MSR_PROT, INTERCEPT_WORD3) \
	X(EXC_DB, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB, INTERCEPT_EXCEPTION) \
	X(EXC_AC, INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC, INTERCEPT_EXCEPTION) \
	X(INTR, INTERCEPT_INTR, INTERCEPT_WORD3) \
	X(NMI, INTERCEPT_NMI, INTERCEPT_WORD3) \
	X(SMI, INTERCEPT_SMI, INTERCEPT_WORD3) \
	X(CR8_WRITE, INTERCEPT_CR8_WRITE, INTERCEPT_CR) \
	X(CPUID, INTERCEPT_CPUID, INTERCEPT_WORD3) \
	X(INVD, INTERCEPT_INVD, INTERCEPT_WORD3) \
	X(HLT, INTERCEPT_HLT, INTERCEPT_WORD3) \
	X(SHUTDOWN, INTERCEPT_SHUTDOWN, INTERCEPT_WORD3) \
	X(VMRUN, INTERCEPT_VMRUN, INTERCEPT_WORD4) \
	X(VMMCALL, INTERCEPT_VMMCALL, INTERCEPT_WORD4) \
	X(VMLOAD, INTERCEPT_VMLOAD, INTERCEPT_WORD4) \
	X(VMSAVE, INTERCEPT_VMSAVE, INTERCEPT_WORD4) \
	X(STGI, INTERCEPT_STGI, INTERCEPT_WORD4) \
	X(CLGI, INTERCEPT_CLGI, INTERCEPT_WORD4) \
	X(SKINIT, INTERCEPT_SKINIT, INTERCEPT_WORD4) \
	X(INVLPGA, INTERCEPT_INVLPGA, INTERCEPT_WORD3) \
	X(MONITOR, INTERCEPT_MONITOR, INTERCEPT_WORD4) \
	X(MWAIT, INTERCEPT_MWAIT, INTERCEPT_WORD4) \
	X(XSETBV, INTERCEPT_XSETBV, INTERCEPT_WORD4)

#define SVM_POLICY_ASSERT(name, bit, word) \
	static_assert((bit) / 32 == (word) && \
		      BIT((bit) % 32) == VMM_POLICY_SVM_##name);
SVM_POLICY_INTERCEPTS(SVM_POLICY_ASSERT)
static_assert(SVM_NESTED_CTL_NP_ENABLE == VMM_POLICY_SVM_NP_ENABLE);

#define SVM_POLICY_NAME(name, bit, word) \
	[VMM_POLICY_SVM_RULE_##name] = #name " intercept",
/* The rules' names for dmesg, by enumerator (policy.h). */
static const char *const svm_policy_names[] = {
	[VMM_POLICY_SVM_RULE_NP_ENABLE] = "NP_ENABLE (nested paging)",
	[VMM_POLICY_SVM_RULE_NCR3] = "NCR3 (lamina's page-table root)",
	[VMM_POLICY_SVM_RULE_IOPM] = "IOPM_BASE_PA (lamina's I/O map)",
	[VMM_POLICY_SVM_RULE_MSRPM] = "MSRPM_BASE_PA (lamina's MSR map)",
	SVM_POLICY_INTERCEPTS(SVM_POLICY_NAME)
};
static_assert(ARRAY_SIZE(svm_policy_names) == VMM_POLICY_SVM_LAST_RULE + 1);

bool svm_policy_check(struct lamina_vcpu *vcpu, struct vmm_exit_event *ev)
{
	struct svm_vcpu *sv = vcpu->vendor;
	const struct vmcb_control_area *c = &sv->vmcb->control;
	struct vmm_policy_svm p = {
		.intercept_cr = c->intercepts[INTERCEPT_CR],
		.intercept_exc = c->intercepts[INTERCEPT_EXCEPTION],
		.intercept_word3 = c->intercepts[INTERCEPT_WORD3],
		.intercept_word4 = c->intercepts[INTERCEPT_WORD4],
		.np_ctl = c->nested_ctl,
		.ncr3 = c->nested_cr3,
		.iopm_base_pa = c->iopm_base_pa,
		.msrpm_base_pa = c->msrpm_base_pa,
		.npt_root = lamina_npt_root(vcpu->vm->npt),
		.iopm_pa = virt_to_phys(sv->iopm),
		.msrpm_pa = virt_to_phys(sv->msrpm),
	};
	enum vmm_policy_svm_rule rule = vmm_policy_svm_check(&p);

	if (rule == VMM_POLICY_SVM_OK) {
		sv->policy_dirty = false;
		return true;
	}
	pr_info_ratelimited("lamina: vCPU %u: VMRUN refused: policy rule %d (%s) of enum vmm_policy_svm_rule (libvmm/include/libvmm/policy.h) fails\n",
			    vcpu->id, rule,
			    rule <= VMM_POLICY_SVM_LAST_RULE &&
			    svm_policy_names[rule] ? svm_policy_names[rule] : "?");
	lamina_exit_policy_refused(ev, rule);
	return false;
}

/*
 * Test only (lamina.test_corrupt_policy, main.c): break rule @rule in the
 * new VMCB, so that the policy check must refuse every entry.
 */
void svm_policy_test_corrupt(struct svm_vcpu *sv, unsigned int rule)
{
#define SVM_POLICY_BIT(name, bit, word) { VMM_POLICY_SVM_RULE_##name, bit },
	static const struct {
		u32 rule, bit;
	} bits[] = { SVM_POLICY_INTERCEPTS(SVM_POLICY_BIT) };
	struct vmcb_control_area *c = &sv->vmcb->control;
	size_t i;

	switch (rule) {
	case VMM_POLICY_SVM_RULE_NP_ENABLE:
		c->nested_ctl &= ~SVM_NESTED_CTL_NP_ENABLE;
		break;
	/* Another page: what the CPU would use is not what libvmm built. */
	case VMM_POLICY_SVM_RULE_NCR3:
		c->nested_cr3 ^= PAGE_SIZE;
		break;
	case VMM_POLICY_SVM_RULE_IOPM:
		c->iopm_base_pa ^= PAGE_SIZE;
		break;
	case VMM_POLICY_SVM_RULE_MSRPM:
		c->msrpm_base_pa ^= PAGE_SIZE;
		break;
	default:
		for (i = 0; i < ARRAY_SIZE(bits); i++)
			if (bits[i].rule == rule)
				c->intercepts[bits[i].bit / 32] &=
					~BIT(bits[i].bit % 32);
		break;
	}
	sv->policy_dirty = true;
}
