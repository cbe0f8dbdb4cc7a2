// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm's VMRUN consistency checks (libvmm/include/libvmm/vmcb.h) on the
 * VMCB, before VMRUN. A failed rule is reported as the hardware would
 * report it, #VMEXIT(VMEXIT_INVALID), with the rule in dmesg.
 */
#include <linux/bits.h>
#include <linux/printk.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
#include <asm/processor.h>
#include <asm/processor-flags.h>
#include <asm/svm.h>

#include <libvmm/vmcb.h>

#include "../lamina.h"
#include "svm.h"

/* EFER bits an AMD64 CPU defines (APM vol. 2, 3.1.7); bit 15 is TCE. */
#define SVM_EFER_DEFINED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NX | \
			  EFER_SVME | EFER_LMSLE | EFER_FFXSR | BIT_ULL(15))
/* CR4 bits an x86-64 CPU defines, less VMXE/SMXE (APM vol. 2, 3.1.3). */
#define SVM_CR4_DEFINED (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
			 X86_CR4_DE | X86_CR4_PSE | X86_CR4_PAE | \
			 X86_CR4_MCE | X86_CR4_PGE | X86_CR4_PCE | \
			 X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_UMIP | \
			 X86_CR4_LA57 | X86_CR4_FSGSBASE | X86_CR4_PCIDE | \
			 X86_CR4_OSXSAVE | X86_CR4_SMEP | X86_CR4_SMAP | \
			 X86_CR4_PKE)

static_assert(INTERCEPT_VMRUN % 32 == 0, "VMRUN is bit 0 of its word");

bool svm_entry_check(struct lamina_vcpu *vcpu, const struct vmcb *vmcb)
{
	const struct vmcb_control_area *c = &vmcb->control;
	const struct vmcb_save_area *v = &vmcb->save;
	struct vmm_svm_vmrun_state s = {
		.efer = v->efer,
		.cr0 = v->cr0,
		.cr3 = v->cr3,
		.cr4 = v->cr4,
		.dr6 = v->dr6,
		.dr7 = v->dr7,
		.cs_attrib = v->cs.attrib,
		.intercept_misc2 = c->intercepts[INTERCEPT_VMRUN / 32],
		.asid = c->asid,
		.msrpm_base_pa = c->msrpm_base_pa,
		.iopm_base_pa = c->iopm_base_pa,
		.event_inj = c->event_inj,
		.np_ctl = c->nested_ctl,
		.ncr3 = c->nested_cr3,
		.efer_mbz = ~(u64)SVM_EFER_DEFINED,
		.cr4_mbz = 0xffffffffULL & ~(u64)SVM_CR4_DEFINED,
		.phys_addr_bits = boot_cpu_data.x86_phys_bits,
		.long_mode = boot_cpu_has(X86_FEATURE_LM),
	};
	enum vmm_svm_vmrun_check rule = vmm_svm_vmrun_check(&s);

	if (rule == VMM_SVM_VMRUN_OK)
		return true;
	pr_info_ratelimited("lamina: vCPU %u: VMRUN refused: rule %d of enum vmm_svm_vmrun_check (libvmm/include/libvmm/vmcb.h) fails\n",
			    vcpu->id, rule);
	return false;
}
