// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest MSRs of a VMX vCPU (backend.h: get_msr/set_msr), their switch
 * around each entry, and the MSR and I/O bitmaps (libvmm's bitmap layer).
 *
 * The VMCS switches FS/GS bases and SYSENTER_CS/ESP/EIP on every entry and
 * exit (SDM vol. 3C, 27.3.2 "Loading Guest State", 28.3 "Saving Guest
 * State"), EFER and PAT through the load/save controls, and applies the
 * TSC offset: those live in the VMCS. STAR, LSTAR, CSTAR, SFMASK and
 * KERNEL_GS_BASE are not in it: the module loads the guest's values
 * before the first entry on a CPU and the host's in vmx_vcpu_put()
 * (vmx_run.c), and only when the guest can use them: SYSCALL needs
 * EFER.SCE, SWAPGS needs long mode, hence EFER.LME; the guest changes
 * neither bit without an exit, and every access below puts the host's
 * back first, so the next entry loads what the guest has then. A
 * real-mode guest pays nothing.
 */
#include <linux/preempt.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/vmx.h>

#include <libvmm/bitmap.h>

#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/* The order of vmx_vcpu.syscall_msrs[]. */
static const u32 vmx_syscall_msrs[VMX_NR_SYSCALL_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
};

/* What the VMCS switches, the guest may access without an exit. */
static const struct vmm_msr_allow vmx_msr_passthrough[] = {
	{ MSR_FS_BASE, VMM_BITMAP_RW },
	{ MSR_GS_BASE, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_CS, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_ESP, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_EIP, VMM_BITMAP_RW },
};

/* Every port exits: the I/O allowlist is empty. */
int vmx_build_permission_maps(struct vmx_vcpu *vv)
{
	enum vmm_bitmap_err err;

	err = vmm_bitmap_vmx_msr_build(vmx_msr_passthrough,
				       ARRAY_SIZE(vmx_msr_passthrough),
				       vv->msr_bitmap);
	if (err == VMM_BITMAP_OK)
		err = vmm_bitmap_vmx_io_build(NULL, 0, vv->io_bitmap_a,
					      vv->io_bitmap_b);
	if (err != VMM_BITMAP_OK) {
		pr_err("lamina: VMX permission bitmap refused (libvmm bitmap error %d)\n",
		       err);
		return -EINVAL;
	}
	return 0;
}

static int vmx_syscall_slot(u32 index)
{
	int i;

	for (i = 0; i < VMX_NR_SYSCALL_MSRS; i++)
		if (vmx_syscall_msrs[i] == index)
			return i;
	return -1;
}

/* VMCS current, preemption off. */
static int vmx_msr_read(struct vmx_vcpu *vv, u32 index, u64 *val)
{
	int slot = vmx_syscall_slot(index);

	if (slot >= 0) {
		*val = vv->syscall_msrs[slot];
		return 0;
	}
	switch (index) {
	case MSR_KERNEL_GS_BASE:
		*val = vv->kernel_gs_base;
		break;
	case MSR_EFER:
		*val = vmcs_read64(GUEST_IA32_EFER);
		break;
	case MSR_FS_BASE:
		*val = vmcs_readl(GUEST_FS_BASE);
		break;
	case MSR_GS_BASE:
		*val = vmcs_readl(GUEST_GS_BASE);
		break;
	case MSR_IA32_SYSENTER_CS:
		*val = vmcs_read32(GUEST_SYSENTER_CS);
		break;
	case MSR_IA32_SYSENTER_ESP:
		*val = vmcs_readl(GUEST_SYSENTER_ESP);
		break;
	case MSR_IA32_SYSENTER_EIP:
		*val = vmcs_readl(GUEST_SYSENTER_EIP);
		break;
	case MSR_IA32_CR_PAT:
		*val = vmcs_read64(GUEST_IA32_PAT);
		break;
	case MSR_IA32_TSC:
		*val = vmcs_read64(TSC_OFFSET);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int vmx_msr_write(struct vmx_vcpu *vv, u32 index, u64 val)
{
	int slot = vmx_syscall_slot(index);

	if (slot >= 0) {
		vv->syscall_msrs[slot] = val;
		return 0;
	}
	switch (index) {
	case MSR_KERNEL_GS_BASE:
		vv->kernel_gs_base = val;
		break;
	case MSR_EFER:
		/* LMA is unchanged (vmm_msr_efer_write), so is IA-32e mode. */
		vmcs_write64(GUEST_IA32_EFER, val);
		break;
	case MSR_FS_BASE:
		vmcs_writel(GUEST_FS_BASE, val);
		break;
	case MSR_GS_BASE:
		vmcs_writel(GUEST_GS_BASE, val);
		break;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, val);
		break;
	case MSR_IA32_SYSENTER_ESP:
		vmcs_writel(GUEST_SYSENTER_ESP, val);
		break;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_writel(GUEST_SYSENTER_EIP, val);
		break;
	case MSR_IA32_CR_PAT:
		vmcs_write64(GUEST_IA32_PAT, val);
		break;
	case MSR_IA32_TSC:
		vmcs_write64(TSC_OFFSET, val);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int vmx_get_msr(struct lamina_vcpu *vcpu, u32 index, u64 *val)
{
	unsigned long fails;
	int ret;

	preempt_disable();
	/* The guest's KERNEL_GS_BASE may be live: vv's copy is then stale. */
	vmx_vcpu_put(vcpu);
	fails = vmx_vmcs_fails();
	ret = vmx_vcpu_load(vcpu->vendor);
	if (ret >= 0)
		ret = vmx_msr_read(vcpu->vendor, index, val);
	if (!ret && vmx_vmcs_fails() != fails)
		ret = -EIO;
	preempt_enable();
	return ret < 0 ? ret : 0;
}

int vmx_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 val)
{
	unsigned long fails;
	int ret;

	preempt_disable();
	/* The next entry loads the new value (or stops switching: EFER). */
	vmx_vcpu_put(vcpu);
	fails = vmx_vmcs_fails();
	ret = vmx_vcpu_load(vcpu->vendor);
	if (ret >= 0)
		ret = vmx_msr_write(vcpu->vendor, index, val);
	if (!ret && vmx_vmcs_fails() != fails)
		ret = -EIO;
	preempt_enable();
	return ret < 0 ? ret : 0;
}

/* Interrupts off, VMCS current: from vmx_host_load(). */
void vmx_msr_switch_in(struct vmx_vcpu *vv, struct vmx_msr_switch *sw)
{
	u64 efer = vmcs_read64(GUEST_IA32_EFER);
	int i;

	sw->syscall = efer & EFER_SCE;
	sw->swapgs = efer & EFER_LME;
	if (sw->syscall) {
		for (i = 0; i < VMX_NR_SYSCALL_MSRS; i++) {
			rdmsrl(vmx_syscall_msrs[i], sw->host[i]);
			if (sw->host[i] != vv->syscall_msrs[i])
				wrmsrl(vmx_syscall_msrs[i], vv->syscall_msrs[i]);
		}
	}
	if (sw->swapgs)
		wrmsrl(MSR_KERNEL_GS_BASE, vv->kernel_gs_base);
}

/*
 * Interrupts off, from vmx_vcpu_put(), before vmx_host_restore() puts
 * the host's KERNEL_GS_BASE back: SWAPGS may have changed the guest's.
 */
void vmx_msr_switch_out(struct vmx_vcpu *vv, const struct vmx_msr_switch *sw)
{
	int i;

	if (sw->swapgs)
		rdmsrl(MSR_KERNEL_GS_BASE, vv->kernel_gs_base);
	if (sw->syscall)
		for (i = 0; i < VMX_NR_SYSCALL_MSRS; i++)
			if (sw->host[i] != vv->syscall_msrs[i])
				wrmsrl(vmx_syscall_msrs[i], sw->host[i]);
}
