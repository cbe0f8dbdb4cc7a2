// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCS of a vCPU: allocation, VM-execution/exit/entry controls and
 * the host-state area (SDM vol. 3C, chapter 25 "Virtual Machine Control
 * Structures"; the checks they must pass: 27.2 "Checks on VMX Controls
 * and Host-State Area").
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/segment.h>
#include <asm/special_insns.h>
#include <asm/vmx.h>

#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/* EPTP (25.6.11): WB tables, 4-level walk, A/D off (libvmm's format). */
#define VMX_EPTP_FLAGS (VMX_EPTP_MT_WB | VMX_EPTP_PWL_4)

/*
 * Exceptions that exit: #DB and #AC, which a guest can make recur forever
 * inside the CPU's event delivery (KVM's fix for CVE-2015-8104 and
 * CVE-2015-5307). The common code stops the VM on them for now.
 */
#define VMX_EXCEPTION_BITMAP (BIT(DB_VECTOR) | BIT(AC_VECTOR))

/*
 * Host state that differs between CPUs (27.2.3, 28.5 "Loading Host
 * State"): the TSS, GDT and per-CPU GS base, and the SYSENTER stack.
 * Written whenever the VMCS arrives on a CPU (vmx_vcpu_load); the IDT is the same on all
 * CPUs but costs nothing to write here too.
 */
void vmx_write_cpu_host_state(void)
{
	int cpu = smp_processor_id();
	struct desc_ptr idt;
	u64 val;

	vmcs_writel(HOST_TR_BASE,
		    (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_writel(HOST_GDTR_BASE, (unsigned long)get_current_gdt_ro());
	store_idt(&idt);
	vmcs_writel(HOST_IDTR_BASE, idt.address);
	vmcs_writel(HOST_GS_BASE, cpu_kernelmode_gs_base(cpu));
	rdmsrl(MSR_IA32_SYSENTER_ESP, val);
	vmcs_writel(HOST_IA32_SYSENTER_ESP, val);
}

/*
 * Host state the same on every CPU. The VM exit loads the selectors
 * (28.5.2): DS and ES are null (27.2.3 allows it in a 64-bit host) and
 * the user's are reloaded after the exit if they were not; FS and GS are
 * written per entry (vmx_run.c).
 */
static void vmx_write_const_host_state(void)
{
	u64 val;

	vmcs_writel(HOST_CR0, read_cr0());
	vmcs_write16(HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, 0);
	vmcs_write16(HOST_ES_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	rdmsrl(MSR_IA32_SYSENTER_CS, val);
	vmcs_write32(HOST_IA32_SYSENTER_CS, val);
	rdmsrl(MSR_IA32_SYSENTER_EIP, val);
	vmcs_writel(HOST_IA32_SYSENTER_EIP, val);
	rdmsrl(MSR_EFER, val);
	vmcs_write64(HOST_IA32_EFER, val);
	rdmsrl(MSR_IA32_CR_PAT, val);
	vmcs_write64(HOST_IA32_PAT, val);
	vmcs_writel(HOST_RIP, (unsigned long)lamina_vmx_vmexit);
}

/*
 * The CR0/CR4 bits VMX fixes (A.7, A.8) are owned by the host: the guest
 * reads them from the read shadow and a write that would change them
 * exits (25.6.6 "Guest/Host Masks and Read Shadows for CR0 and CR4").
 * Unrestricted guest exempts CR0.PE and CR0.PG (27.3.1.1).
 */
static unsigned long vmx_cr0_host_owned(void)
{
	return (vmx_caps.cr0_fixed0 | ~vmx_caps.cr0_fixed1) &
	       ~(X86_CR0_PE | X86_CR0_PG) & 0xffffffffUL;
}

static unsigned long vmx_cr4_host_owned(void)
{
	return (vmx_caps.cr4_fixed0 | ~vmx_caps.cr4_fixed1) & 0xffffffffUL;
}

static void vmx_write_controls(const struct vmx_vcpu *vv)
{
	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, vmx_caps.pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, vmx_caps.proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, vmx_caps.proc2);
	vmcs_write32(VM_EXIT_CONTROLS, vmx_caps.exit);
	vmcs_write32(VM_ENTRY_CONTROLS, vmx_caps.entry);
	vmcs_write32(EXCEPTION_BITMAP, VMX_EXCEPTION_BITMAP);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write32(PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, 0);
	vmcs_write64(TSC_OFFSET, 0);
	vmcs_write64(MSR_BITMAP, virt_to_phys(vv->msr_bitmap));
	vmcs_write64(IO_BITMAP_A, virt_to_phys(vv->io_bitmap_a));
	vmcs_write64(IO_BITMAP_B, virt_to_phys(vv->io_bitmap_b));
	vmcs_write64(EPT_POINTER, vv->eptp);
	vmcs_writel(CR0_GUEST_HOST_MASK, vmx_cr0_host_owned());
	vmcs_writel(CR4_GUEST_HOST_MASK, vmx_cr4_host_owned());
	if (vmx_caps.ple) {
		/* KVM's defaults: PAUSEs 128 cycles apart, 4096 cycles long. */
		vmcs_write32(PLE_GAP, 128);
		vmcs_write32(PLE_WINDOW, 4096);
	}
	/* Not saved on exit (no such exit control): every entry reloads it. */
	if (vmx_caps.run_bound)
		vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, vmx_caps.run_bound);
}

/* Load the new VMCS on this CPU and fill it in; preemption off. */
static int vmx_vmcs_init(struct lamina_vcpu *vcpu)
{
	struct vmx_vcpu *vv = vcpu->vendor;
	unsigned long fails = vmx_vmcs_fails();
	int ret;

	/* A new VMCS arrives: the load writes the per-CPU host state. */
	ret = vmx_vcpu_load(vv);
	if (ret < 0)
		return ret;
	vmx_write_const_host_state();
	vmx_write_controls(vv);
	vmx_reset_guest_state(vcpu);
	return vmx_vmcs_fails() == fails ? 0 : -EIO;
}

int vmx_vcpu_create(struct lamina_vcpu *vcpu, u64 npt_root)
{
	struct vmx_vcpu *vv;
	int ret;

	vv = kzalloc(sizeof(*vv), GFP_KERNEL_ACCOUNT);
	if (!vv)
		return -ENOMEM;
	vcpu->vendor = vv;
	vv->cpu = -1;
	INIT_LIST_HEAD(&vv->loaded_link);
	vv->vmcs = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	vv->msr_bitmap = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	vv->io_bitmap_a = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	vv->io_bitmap_b = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
	if (!vv->vmcs || !vv->msr_bitmap || !vv->io_bitmap_a ||
	    !vv->io_bitmap_b)
		return -ENOMEM;	/* the caller frees through vmx_vcpu_free */

	/* 25.2 "Format of the VMCS Region": revision ID, bit 31 clear. */
	*(u32 *)vv->vmcs = vmx_caps.revision;
	vv->vmcs_pa = virt_to_phys(vv->vmcs);
	/* 25.6.4, 25.6.9: the I/O and MSR bitmaps, built by libvmm. */
	if (vmx_build_permission_maps(vv))
		return -EINVAL;
	vv->eptp = npt_root | VMX_EPTP_FLAGS;

	vv->policy_dirty = true;
	preempt_disable();
	ret = vmx_vmcs_init(vcpu);
	if (!ret && lamina_test_corrupt_policy)
		vmx_policy_test_corrupt(vv, lamina_test_corrupt_policy);
	preempt_enable();
	if (ret)
		pr_err("lamina: cannot initialize the VMCS of vCPU %u (%d)\n",
		       vcpu->id, ret);
	return ret;
}

void vmx_vcpu_free(struct lamina_vcpu *vcpu)
{
	struct vmx_vcpu *vv = vcpu->vendor;

	if (!vv)
		return;
	/* No CPU may keep a VMCS region that goes back to the allocator. */
	vmx_vcpu_clear(vv);
	free_page((unsigned long)vv->vmcs);
	free_page((unsigned long)vv->msr_bitmap);
	free_page((unsigned long)vv->io_bitmap_a);
	free_page((unsigned long)vv->io_bitmap_b);
	kfree(vv);
	vcpu->vendor = NULL;
}
