// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm's VM-entry checks (libvmm/include/libvmm/vmcs.h) on the current
 * VMCS, before VMLAUNCH/VMRESUME. A failed rule is reported as the
 * hardware would report it, exit reason 33 "VM-entry failure due to
 * invalid guest state" with bit 31 set (SDM vol. 3C, 27.8), and the rule
 * is named in dmesg. VMCS current, host interrupts off, host state of
 * this entry written.
 */
#include <linux/printk.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/vmx.h>

#include <libvmm/vmcs.h>

#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/* The capability MSRs the rules compare with (SDM vol. 3D, appendix A). */
static void vmx_check_caps(struct vmm_vmx_entry_state *s)
{
	bool true_ctls;
	u64 basic;

	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	rdmsrl(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
	       MSR_IA32_VMX_PINBASED_CTLS, s->cap_pinbased);
	rdmsrl(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
	       MSR_IA32_VMX_PROCBASED_CTLS, s->cap_procbased);
	rdmsrl(MSR_IA32_VMX_PROCBASED_CTLS2, s->cap_procbased2);
	rdmsrl(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
	       MSR_IA32_VMX_EXIT_CTLS, s->cap_exit);
	rdmsrl(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
	       MSR_IA32_VMX_ENTRY_CTLS, s->cap_entry);
	rdmsrl(MSR_IA32_VMX_MISC, s->cap_misc);
	rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, s->cap_ept_vpid);
	s->cr0_fixed0 = vmx_caps.cr0_fixed0;
	s->cr0_fixed1 = vmx_caps.cr0_fixed1;
	s->cr4_fixed0 = vmx_caps.cr4_fixed0;
	s->cr4_fixed1 = vmx_caps.cr4_fixed1;
	s->phys_addr_bits = boot_cpu_data.x86_phys_bits;
	s->lin_addr_bits = boot_cpu_data.x86_virt_bits;
}

static void vmx_check_controls_host(struct vmm_vmx_entry_state *s)
{
	s->pin_ctls = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
	s->proc_ctls = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	s->proc_ctls2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
	s->exit_ctls = vmcs_read32(VM_EXIT_CONTROLS);
	s->entry_ctls = vmcs_read32(VM_ENTRY_CONTROLS);
	s->entry_intr_info = vmcs_read32(VM_ENTRY_INTR_INFO_FIELD);
	s->eptp = vmcs_read64(EPT_POINTER);
	s->io_bitmap_a = vmcs_read64(IO_BITMAP_A);
	s->io_bitmap_b = vmcs_read64(IO_BITMAP_B);
	s->msr_bitmap = vmcs_read64(MSR_BITMAP);

	s->host_cr0 = vmcs_readl(HOST_CR0);
	s->host_cr3 = vmcs_readl(HOST_CR3);
	s->host_cr4 = vmcs_readl(HOST_CR4);
	s->host_efer = vmcs_read64(HOST_IA32_EFER);
	s->host_fs_base = vmcs_readl(HOST_FS_BASE);
	s->host_gs_base = vmcs_readl(HOST_GS_BASE);
	s->host_tr_base = vmcs_readl(HOST_TR_BASE);
	s->host_gdtr_base = vmcs_readl(HOST_GDTR_BASE);
	s->host_idtr_base = vmcs_readl(HOST_IDTR_BASE);
	s->host_sysenter_esp = vmcs_readl(HOST_IA32_SYSENTER_ESP);
	s->host_sysenter_eip = vmcs_readl(HOST_IA32_SYSENTER_EIP);
	s->host_rip = vmcs_readl(HOST_RIP);
	s->host_es_sel = vmcs_read16(HOST_ES_SELECTOR);
	s->host_cs_sel = vmcs_read16(HOST_CS_SELECTOR);
	s->host_ss_sel = vmcs_read16(HOST_SS_SELECTOR);
	s->host_ds_sel = vmcs_read16(HOST_DS_SELECTOR);
	s->host_fs_sel = vmcs_read16(HOST_FS_SELECTOR);
	s->host_gs_sel = vmcs_read16(HOST_GS_SELECTOR);
	s->host_tr_sel = vmcs_read16(HOST_TR_SELECTOR);
}

/*
 * Segment fields come in runs of eight (ES CS SS DS FS GS LDTR TR), two
 * encodings apart (vmx_sregs.c); always inlined so that the typed
 * accessors see constant encodings.
 */
static __always_inline void vmx_check_seg(unsigned int n,
					  struct vmm_vmx_segment *seg)
{
	seg->selector = vmcs_read16(GUEST_ES_SELECTOR + 2 * n);
	seg->base = vmcs_readl(GUEST_ES_BASE + 2 * n);
	seg->limit = vmcs_read32(GUEST_ES_LIMIT + 2 * n);
	seg->access_rights = vmcs_read32(GUEST_ES_AR_BYTES + 2 * n);
}

static void vmx_check_guest(struct vmm_vmx_entry_state *s)
{
	s->guest_cr0 = vmcs_readl(GUEST_CR0);
	s->guest_cr3 = vmcs_readl(GUEST_CR3);
	s->guest_cr4 = vmcs_readl(GUEST_CR4);
	s->guest_dr7 = vmcs_readl(GUEST_DR7);
	s->guest_efer = vmcs_read64(GUEST_IA32_EFER);
	s->guest_sysenter_esp = vmcs_readl(GUEST_SYSENTER_ESP);
	s->guest_sysenter_eip = vmcs_readl(GUEST_SYSENTER_EIP);
	s->guest_rip = vmcs_readl(GUEST_RIP);
	s->guest_rflags = vmcs_readl(GUEST_RFLAGS);
	s->guest_gdtr_base = vmcs_readl(GUEST_GDTR_BASE);
	s->guest_idtr_base = vmcs_readl(GUEST_IDTR_BASE);
	s->guest_link_pointer = vmcs_read64(VMCS_LINK_POINTER);
	s->guest_gdtr_limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->guest_idtr_limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s->guest_interruptibility = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	s->guest_activity_state = vmcs_read32(GUEST_ACTIVITY_STATE);
	vmx_check_seg(0, &s->es);
	vmx_check_seg(1, &s->cs);
	vmx_check_seg(2, &s->ss);
	vmx_check_seg(3, &s->ds);
	vmx_check_seg(4, &s->fs);
	vmx_check_seg(5, &s->gs);
	vmx_check_seg(6, &s->ldtr);
	vmx_check_seg(7, &s->tr);
}

bool vmx_entry_check(struct lamina_vcpu *vcpu)
{
	struct vmm_vmx_entry_state s = {};
	enum vmm_vmx_entry_check rule;

	vmx_check_caps(&s);
	vmx_check_controls_host(&s);
	vmx_check_guest(&s);
	rule = vmm_vmx_entry_check(&s);
	if (rule == VMM_VMX_ENTRY_OK)
		return true;
	pr_info_ratelimited("lamina: vCPU %u: VM entry refused: rule %d of enum vmm_vmx_entry_check (libvmm/include/libvmm/vmcs.h) fails\n",
			    vcpu->id, rule);
	return false;
}
