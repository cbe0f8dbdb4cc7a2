// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MSRs the VMCB holds (backend.h: get_msr/set_msr), and the MSR and
 * I/O permission maps, built by libvmm's bitmap layer.
 *
 * Every MSR below lives in the VMCB save area: VMRUN/#VMEXIT switch EFER
 * and PAT (g_pat, with nested paging), and lamina_svm_vmrun's VMLOAD/
 * VMSAVE of the guest VMCB switch FS/GS (with their bases), KernelGsBase,
 * STAR, LSTAR, CSTAR, SFMASK and SYSENTER_CS/ESP/EIP (APM vol. 2, 15.5.2
 * "VMSAVE and VMLOAD Instructions"). So the guest may read and write the
 * VMLOAD/VMSAVE ones directly: they pass through the MSRPM. EFER and PAT
 * do not (SVME is the host's, PAT is validated), nor does anything else.
 */
#include <asm/msr-index.h>
#include <asm/svm.h>

#include <libvmm/bitmap.h>

#include "../lamina.h"
#include "svm.h"

static const struct vmm_msr_allow svm_msr_passthrough[] = {
	{ MSR_FS_BASE, VMM_BITMAP_RW },
	{ MSR_GS_BASE, VMM_BITMAP_RW },
	{ MSR_KERNEL_GS_BASE, VMM_BITMAP_RW },
	{ MSR_STAR, VMM_BITMAP_RW },
	{ MSR_LSTAR, VMM_BITMAP_RW },
	{ MSR_CSTAR, VMM_BITMAP_RW },
	{ MSR_SYSCALL_MASK, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_CS, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_ESP, VMM_BITMAP_RW },
	{ MSR_IA32_SYSENTER_EIP, VMM_BITMAP_RW },
};

/* Every port exits: the I/O allowlist is empty. */
int svm_build_permission_maps(struct svm_vcpu *sv)
{
	enum vmm_bitmap_err err;

	err = vmm_bitmap_svm_msr_build(svm_msr_passthrough,
				       ARRAY_SIZE(svm_msr_passthrough),
				       sv->msrpm);
	if (err == VMM_BITMAP_OK)
		err = vmm_bitmap_svm_io_build(NULL, 0, sv->iopm);
	if (err != VMM_BITMAP_OK) {
		pr_err("lamina: SVM permission map refused (libvmm bitmap error %d)\n",
		       err);
		return -EINVAL;
	}
	return 0;
}

int svm_get_msr(struct lamina_vcpu *vcpu, u32 index, u64 *val)
{
	struct svm_vcpu *sv = vcpu->vendor;
	const struct vmcb_save_area *s = &sv->vmcb->save;

	switch (index) {
	case MSR_EFER:
		*val = s->efer & ~EFER_SVME;
		break;
	case MSR_STAR:
		*val = s->star;
		break;
	case MSR_LSTAR:
		*val = s->lstar;
		break;
	case MSR_CSTAR:
		*val = s->cstar;
		break;
	case MSR_SYSCALL_MASK:
		*val = s->sfmask;
		break;
	case MSR_KERNEL_GS_BASE:
		*val = s->kernel_gs_base;
		break;
	case MSR_FS_BASE:
		*val = s->fs.base;
		break;
	case MSR_GS_BASE:
		*val = s->gs.base;
		break;
	case MSR_IA32_SYSENTER_CS:
		*val = s->sysenter_cs;
		break;
	case MSR_IA32_SYSENTER_ESP:
		*val = s->sysenter_esp;
		break;
	case MSR_IA32_SYSENTER_EIP:
		*val = s->sysenter_eip;
		break;
	case MSR_IA32_CR_PAT:
		*val = s->g_pat;
		break;
	case MSR_IA32_TSC:
		*val = sv->vmcb->control.tsc_offset;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int svm_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 val)
{
	struct svm_vcpu *sv = vcpu->vendor;
	struct vmcb_save_area *s = &sv->vmcb->save;

	switch (index) {
	case MSR_EFER:
		s->efer = val | EFER_SVME;	/* VMRUN requires SVME */
		break;
	case MSR_STAR:
		s->star = val;
		break;
	case MSR_LSTAR:
		s->lstar = val;
		break;
	case MSR_CSTAR:
		s->cstar = val;
		break;
	case MSR_SYSCALL_MASK:
		s->sfmask = val;
		break;
	case MSR_KERNEL_GS_BASE:
		s->kernel_gs_base = val;
		break;
	case MSR_FS_BASE:
		s->fs.base = val;
		break;
	case MSR_GS_BASE:
		s->gs.base = val;
		break;
	case MSR_IA32_SYSENTER_CS:
		s->sysenter_cs = val;
		break;
	case MSR_IA32_SYSENTER_ESP:
		s->sysenter_esp = val;
		break;
	case MSR_IA32_SYSENTER_EIP:
		s->sysenter_eip = val;
		break;
	case MSR_IA32_CR_PAT:
		s->g_pat = val;
		break;
	case MSR_IA32_TSC:
		sv->vmcb->control.tsc_offset = val;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
