// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMCB of a vCPU: its intercepts, its reset state (AMD APM vol. 2,
 * "Processor Initialization State"), and KVM_GET/SET_SREGS.
 */
#include <linux/gfp.h>
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <asm/io.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include <libvmm/ptable.h>

#include "../lamina.h"
#include "svm.h"

#define SVM_MSRPM_ORDER 1	/* 8 KiB */
#define SVM_IOPM_ORDER 2	/* 12 KiB used of 16 */
#define SVM_DEFAULT_PAT 0x0007040600070406ULL

/*
 * What the guest may not do without us (AMD APM vol. 2, 15.9-15.13), one
 * reason each; docs/architecture.md has the same list as a table.
 */
static const u32 svm_intercepts[] = {
	/*
	 * #DB and #AC: a guest can make their delivery raise them again
	 * (a data breakpoint on the stack the #DB frame goes to; a CPL3
	 * handler on a misaligned stack with EFLAGS.AC). Without the
	 * intercept the CPU repeats that delivery forever and takes no
	 * interrupt in between: the host CPU hangs (CVE-2015-8104,
	 * CVE-2015-5307). Intercepted, each one is an exit, and the
	 * common code reflects it (exit.c).
	 */
	INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_DB,
	INTERCEPT_EXCEPTION_OFFSET + X86_TRAP_AC,
	/* Host interrupts, NMIs and SMIs end the guest: the host takes them. */
	INTERCEPT_INTR, INTERCEPT_NMI, INTERCEPT_SMI,
	/*
	 * CR8 writes: the TPR lives in one place (cr.c: the in-kernel
	 * LAPIC's, or the vCPU's for userspace's APIC, which must hear of a
	 * lower TPR: KVM_EXIT_SET_TPR); reads see V_TPR, loaded before each
	 * entry. Unintercepted, a write changed V_TPR behind lamina's back,
	 * and under QEMU 7.2's TCG one that met the interrupt window's
	 * pending V_IRQ aborted the emulator. kvm-amd intercepts them too.
	 */
	INTERCEPT_CR8_WRITE,
	/* CPUID: the guest sees the CPU lamina emulates (cpuid.c). */
	INTERCEPT_CPUID,
	/* INVD: would drop dirty lines of memory the host owns too. */
	INTERCEPT_INVD,
	/* HLT: the vCPU sleeps in the host (wake.c), not on the CPU. */
	INTERCEPT_HLT,
	/* Every I/O port and MSR but those in the maps (svm_msr.c). */
	INTERCEPT_IOIO_PROT, INTERCEPT_MSR_PROT,
	/* SHUTDOWN: a triple fault ends the vCPU, not the host's state. */
	INTERCEPT_SHUTDOWN,
	/*
	 * SVM itself and host-wide state: VMRUN (no nested SVM), VMMCALL,
	 * VMLOAD/VMSAVE, STGI/CLGI, SKINIT, INVLPGA (the host's ASIDs),
	 * MONITOR/MWAIT (would park the host CPU), XSETBV (host XCR0).
	 */
	INTERCEPT_VMRUN, INTERCEPT_VMMCALL, INTERCEPT_VMLOAD,
	INTERCEPT_VMSAVE, INTERCEPT_STGI, INTERCEPT_CLGI, INTERCEPT_SKINIT,
	INTERCEPT_INVLPGA, INTERCEPT_MONITOR, INTERCEPT_MWAIT,
	INTERCEPT_XSETBV,
};

static void seg_init(struct vmcb_seg *seg, u16 attrib)
{
	seg->selector = 0;
	seg->base = 0;
	seg->limit = 0xffff;
	seg->attrib = attrib;
}

static void vmcb_init(struct vmcb *vmcb, u64 msrpm_pa, u64 iopm_pa,
		      u64 npt_root)
{
	struct vmcb_control_area *c = &vmcb->control;
	struct vmcb_save_area *s = &vmcb->save;
	u16 data = SVM_SELECTOR_P_MASK | SVM_SELECTOR_S_MASK |
		   SVM_SELECTOR_WRITE_MASK;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(svm_intercepts); i++)
		c->intercepts[svm_intercepts[i] / 32] |=
			1U << (svm_intercepts[i] % 32);
	c->iopm_base_pa = iopm_pa;
	c->msrpm_base_pa = msrpm_pa;
	c->asid = 1;	/* 0 is the host's; every flush is explicit */
	/* INT_CTL (V_INTR_MASKING, V_TPR, V_IRQ): each entry, svm_event.c. */
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = npt_root;

	seg_init(&s->es, data);
	seg_init(&s->ss, data);
	seg_init(&s->ds, data);
	seg_init(&s->fs, data);
	seg_init(&s->gs, data);
	seg_init(&s->cs, SVM_SELECTOR_P_MASK | SVM_SELECTOR_S_MASK |
			 SVM_SELECTOR_READ_MASK | SVM_SELECTOR_CODE_MASK);
	s->cs.selector = 0xf000;
	s->cs.base = 0xffff0000;
	seg_init(&s->ldtr, SVM_SELECTOR_P_MASK | 2);	/* LDT */
	seg_init(&s->tr, SVM_SELECTOR_P_MASK | 3);	/* busy 16-bit TSS */
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->efer = EFER_SVME;	/* required by VMRUN; hidden from the guest */
	s->cr0 = X86_CR0_NW | X86_CR0_CD | X86_CR0_ET;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = SVM_DEFAULT_PAT;
}

int svm_vcpu_create(struct lamina_vcpu *vcpu, u64 npt_root)
{
	struct svm_vcpu *sv;
	struct page *vmcb, *msrpm, *iopm;

	sv = kzalloc(sizeof(*sv), GFP_KERNEL_ACCOUNT);
	if (!sv)
		return -ENOMEM;
	vcpu->vendor = sv;
	vmcb = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	msrpm = alloc_pages(GFP_KERNEL_ACCOUNT, SVM_MSRPM_ORDER);
	iopm = alloc_pages(GFP_KERNEL_ACCOUNT, SVM_IOPM_ORDER);
	if (vmcb)
		sv->vmcb = page_address(vmcb);
	if (msrpm)
		sv->msrpm = page_address(msrpm);
	if (iopm)
		sv->iopm = page_address(iopm);
	if (!vmcb || !msrpm || !iopm)
		return -ENOMEM;	/* the caller frees through svm_vcpu_free */

	/* The 4 KiB past the 12 KiB IOPM are never read; exit all the same. */
	memset(sv->iopm, 0xff, PAGE_SIZE << SVM_IOPM_ORDER);
	if (svm_build_permission_maps(sv))
		return -EINVAL;
	sv->vmcb_pa = page_to_phys(vmcb);
	vmcb_init(sv->vmcb, page_to_phys(msrpm), page_to_phys(iopm), npt_root);
	sv->policy_dirty = true;
	if (lamina_test_corrupt_policy)
		svm_policy_test_corrupt(sv, lamina_test_corrupt_policy);

	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
	return 0;
}

void svm_vcpu_free(struct lamina_vcpu *vcpu)
{
	struct svm_vcpu *sv = vcpu->vendor;

	if (!sv)
		return;
	if (sv->vmcb)
		free_page((unsigned long)sv->vmcb);
	if (sv->msrpm)
		free_pages((unsigned long)sv->msrpm, SVM_MSRPM_ORDER);
	if (sv->iopm)
		free_pages((unsigned long)sv->iopm, SVM_IOPM_ORDER);
	kfree(sv);
	vcpu->vendor = NULL;
}

static void seg_to_kvm(const struct vmcb_seg *v, struct kvm_segment *k)
{
	k->base = v->base;
	k->limit = v->limit;
	k->selector = v->selector;
	k->type = v->attrib & SVM_SELECTOR_TYPE_MASK;
	k->s = (v->attrib >> SVM_SELECTOR_S_SHIFT) & 1;
	k->dpl = (v->attrib >> SVM_SELECTOR_DPL_SHIFT) & 3;
	k->present = (v->attrib >> SVM_SELECTOR_P_SHIFT) & 1;
	k->avl = (v->attrib >> SVM_SELECTOR_AVL_SHIFT) & 1;
	k->l = (v->attrib >> SVM_SELECTOR_L_SHIFT) & 1;
	k->db = (v->attrib >> SVM_SELECTOR_DB_SHIFT) & 1;
	k->g = (v->attrib >> SVM_SELECTOR_G_SHIFT) & 1;
	k->unusable = !k->present;
}

static void seg_from_kvm(struct vmcb_seg *v, const struct kvm_segment *k)
{
	v->base = k->base;
	v->limit = k->limit;
	v->selector = k->selector;
	v->attrib = k->unusable ? 0 :
		(k->type & SVM_SELECTOR_TYPE_MASK) |
		(k->s & 1) << SVM_SELECTOR_S_SHIFT |
		(k->dpl & 3) << SVM_SELECTOR_DPL_SHIFT |
		(k->present & 1) << SVM_SELECTOR_P_SHIFT |
		(k->avl & 1) << SVM_SELECTOR_AVL_SHIFT |
		(k->l & 1) << SVM_SELECTOR_L_SHIFT |
		(k->db & 1) << SVM_SELECTOR_DB_SHIFT |
		(k->g & 1) << SVM_SELECTOR_G_SHIFT;
}

void svm_get_sregs(struct lamina_vcpu *vcpu, struct kvm_sregs *s)
{
	struct svm_vcpu *sv = vcpu->vendor;
	struct vmcb_save_area *v = &sv->vmcb->save;

	seg_to_kvm(&v->cs, &s->cs);
	seg_to_kvm(&v->ds, &s->ds);
	seg_to_kvm(&v->es, &s->es);
	seg_to_kvm(&v->fs, &s->fs);
	seg_to_kvm(&v->gs, &s->gs);
	seg_to_kvm(&v->ss, &s->ss);
	seg_to_kvm(&v->tr, &s->tr);
	seg_to_kvm(&v->ldtr, &s->ldt);
	s->gdt.base = v->gdtr.base;
	s->gdt.limit = v->gdtr.limit;
	s->idt.base = v->idtr.base;
	s->idt.limit = v->idtr.limit;
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->efer = v->efer & ~EFER_SVME;
}

int svm_set_sregs(struct lamina_vcpu *vcpu, const struct kvm_sregs *s)
{
	struct svm_vcpu *sv = vcpu->vendor;
	struct vmcb_save_area *v = &sv->vmcb->save;

	seg_from_kvm(&v->cs, &s->cs);
	seg_from_kvm(&v->ds, &s->ds);
	seg_from_kvm(&v->es, &s->es);
	seg_from_kvm(&v->fs, &s->fs);
	seg_from_kvm(&v->gs, &s->gs);
	seg_from_kvm(&v->ss, &s->ss);
	seg_from_kvm(&v->tr, &s->tr);
	seg_from_kvm(&v->ldtr, &s->ldt);
	/* CPL is SS.DPL (APM vol. 2, "SVM Processor and Platform Extensions"). */
	v->cpl = s->ss.dpl & 3;
	v->gdtr.base = s->gdt.base;
	v->gdtr.limit = s->gdt.limit;
	v->idtr.base = s->idt.base;
	v->idtr.limit = s->idt.limit;
	v->cr0 = s->cr0;
	v->cr2 = s->cr2;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->efer = s->efer | EFER_SVME;
	return 0;
}
