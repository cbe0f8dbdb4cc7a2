// SPDX-License-Identifier: GPL-2.0-only
/*
 * lamina's policy on the VMCS's execution controls (libvmm layer 11,
 * policy.h), before VMLAUNCH/VMRESUME: EPT on the page table libvmm
 * built, in libvmm's format; the I/O and MSR bitmaps libvmm filled; the
 * exits lamina relies on (vmx_probe.c says why each one). Run on a
 * vCPU's first entry and after the backend changed a control
 * (vv->policy_dirty); a broken rule is a failed entry
 * (lamina_exit_policy_refused), never a run. VMCS current, interrupts off.
 */
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/printk.h>
#include <asm/io.h>
#include <asm/traps.h>
#include <asm/vmx.h>

#include <libvmm/policy.h>

#include "../exit.h"
#include "../lamina.h"
#include "../npt.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/*
 * The control-bit rules that require a bit set: (policy.h name, VMCS
 * field, the kernel's mask). One list for the compile-time check that
 * policy.h's masks (SDM vol. 3C, 25.6) are the kernel's, the rule names
 * in dmesg and the test-only corruption.
 */
#define VMX_POLICY_BITS(X) \
	X(EXT_INTR, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_EXT_INTR_MASK, \
	  PIN_EXT_INTR) \
	X(NMI, PIN_BASED_VM_EXEC_CONTROL, PIN_BASED_NMI_EXITING, PIN_NMI) \
	X(HLT, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_HLT_EXITING, PROC_HLT) \
	X(MWAIT, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MWAIT_EXITING, \
	  PROC_MWAIT) \
	X(MONITOR, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_MONITOR_EXITING, \
	  PROC_MONITOR) \
	X(CR8_LOAD, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR8_LOAD_EXITING, \
	  PROC_CR8_LOAD) \
	X(CR8_STORE, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_CR8_STORE_EXITING, \
	  PROC_CR8_STORE) \
	X(IO_BITMAPS, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_IO_BITMAPS, \
	  PROC_IO_BITMAPS) \
	X(MSR_BITMAPS, CPU_BASED_VM_EXEC_CONTROL, CPU_BASED_USE_MSR_BITMAPS, \
	  PROC_MSR_BITMAPS) \
	X(SECONDARY, CPU_BASED_VM_EXEC_CONTROL, \
	  CPU_BASED_ACTIVATE_SECONDARY_CONTROLS, PROC_SECONDARY) \
	X(EPT, SECONDARY_VM_EXEC_CONTROL, SECONDARY_EXEC_ENABLE_EPT, PROC2_EPT) \
	X(EXC_DB, EXCEPTION_BITMAP, BIT(DB_VECTOR), EXC_DB) \
	X(EXC_AC, EXCEPTION_BITMAP, BIT(AC_VECTOR), EXC_AC)

#define VMX_POLICY_ASSERT(name, field, mask, pmask) \
	static_assert((mask) == VMM_POLICY_VMX_##pmask);
VMX_POLICY_BITS(VMX_POLICY_ASSERT)
static_assert(SECONDARY_EXEC_ENABLE_VMFUNC == VMM_POLICY_VMX_PROC2_VMFUNC);
static_assert((VMX_EPTP_MT_WB | VMX_EPTP_PWL_4) == VMM_POLICY_VMX_EPTP_FLAGS);

#define VMX_POLICY_NAME(name, field, mask, pmask) \
	[VMM_POLICY_VMX_RULE_##name] = #name,
/* The rules' names for dmesg, by enumerator (policy.h). */
static const char *const vmx_policy_names[] = {
	VMX_POLICY_BITS(VMX_POLICY_NAME)
	[VMM_POLICY_VMX_RULE_VMFUNC] = "VMFUNC (VM functions off)",
	[VMM_POLICY_VMX_RULE_EPTP_ROOT] = "EPTP_ROOT (lamina's page-table root)",
	[VMM_POLICY_VMX_RULE_EPTP_FORMAT] = "EPTP_FORMAT (WB, 4 levels, A/D off)",
	[VMM_POLICY_VMX_RULE_IO_BITMAP_A] = "IO_BITMAP_A (lamina's I/O bitmap A)",
	[VMM_POLICY_VMX_RULE_IO_BITMAP_B] = "IO_BITMAP_B (lamina's I/O bitmap B)",
	[VMM_POLICY_VMX_RULE_MSR_BITMAP] = "MSR_BITMAP (lamina's MSR bitmap)",
};
static_assert(ARRAY_SIZE(vmx_policy_names) == VMM_POLICY_VMX_LAST_RULE + 1);

bool vmx_policy_check(struct lamina_vcpu *vcpu, struct vmm_exit_event *ev)
{
	struct vmx_vcpu *vv = vcpu->vendor;
	struct vmm_policy_vmx p = {
		.pin_ctls = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL),
		.proc_ctls = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL),
		.proc_ctls2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL),
		.exception_bitmap = vmcs_read32(EXCEPTION_BITMAP),
		.eptp = vmcs_read64(EPT_POINTER),
		.io_bitmap_a = vmcs_read64(IO_BITMAP_A),
		.io_bitmap_b = vmcs_read64(IO_BITMAP_B),
		.msr_bitmap = vmcs_read64(MSR_BITMAP),
		.ept_root = lamina_npt_root(vcpu->vm->npt),
		.io_bitmap_a_pa = virt_to_phys(vv->io_bitmap_a),
		.io_bitmap_b_pa = virt_to_phys(vv->io_bitmap_b),
		.msr_bitmap_pa = virt_to_phys(vv->msr_bitmap),
	};
	enum vmm_policy_vmx_rule rule = vmm_policy_vmx_check(&p);

	if (rule == VMM_POLICY_VMX_OK) {
		vv->policy_dirty = false;
		return true;
	}
	pr_info_ratelimited("lamina: vCPU %u: VM entry refused: policy rule %d (%s) of enum vmm_policy_vmx_rule (libvmm/include/libvmm/policy.h) fails\n",
			    vcpu->id, rule,
			    rule <= VMM_POLICY_VMX_LAST_RULE &&
			    vmx_policy_names[rule] ? vmx_policy_names[rule] : "?");
	lamina_exit_policy_refused(ev, rule);
	return false;
}

/*
 * Flip one bit of a 64-bit field: another page than the one libvmm built.
 * Always inlined, so that the typed accessors see constant encodings.
 */
static __always_inline void vmx_policy_corrupt64(unsigned long field,
						  u64 flip)
{
	vmcs_write64(field, vmcs_read64(field) ^ flip);
}

/*
 * Test only (lamina.test_corrupt_policy, main.c): break rule @rule in the
 * new VMCS (current, preemption off), so that the policy check must
 * refuse every entry.
 */
void vmx_policy_test_corrupt(struct vmx_vcpu *vv, unsigned int rule)
{
#define VMX_POLICY_CLEAR(name, field, mask, pmask) \
	case VMM_POLICY_VMX_RULE_##name: \
		vmcs_write32(field, vmcs_read32(field) & ~(u32)(mask)); \
		break;
	switch (rule) {
	VMX_POLICY_BITS(VMX_POLICY_CLEAR)
	case VMM_POLICY_VMX_RULE_VMFUNC:
		vmcs_write32(SECONDARY_VM_EXEC_CONTROL,
			     vmcs_read32(SECONDARY_VM_EXEC_CONTROL) |
			     SECONDARY_EXEC_ENABLE_VMFUNC);
		break;
	case VMM_POLICY_VMX_RULE_EPTP_ROOT:
		vmx_policy_corrupt64(EPT_POINTER, PAGE_SIZE);
		break;
	case VMM_POLICY_VMX_RULE_EPTP_FORMAT:
		vmx_policy_corrupt64(EPT_POINTER, VMX_EPTP_AD_ENABLE_BIT);
		break;
	case VMM_POLICY_VMX_RULE_IO_BITMAP_A:
		vmx_policy_corrupt64(IO_BITMAP_A, PAGE_SIZE);
		break;
	case VMM_POLICY_VMX_RULE_IO_BITMAP_B:
		vmx_policy_corrupt64(IO_BITMAP_B, PAGE_SIZE);
		break;
	case VMM_POLICY_VMX_RULE_MSR_BITMAP:
		vmx_policy_corrupt64(MSR_BITMAP, PAGE_SIZE);
		break;
	}
#undef VMX_POLICY_CLEAR
	vv->policy_dirty = true;
}
