// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control-register writes the guest makes while the backend owns a bit
 * (cr.h). Each write is checked with the rules of SDM vol. 3A 2.5 and
 * 9.8.5 / KVM's kvm_set_cr0/kvm_set_cr4 (#GP when broken), then goes in
 * through the backend's set_sregs like a KVM_SET_SREGS would, and the
 * next entry runs libvmm's entry checks on the result.
 */
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include "backend.h"
#include "cr.h"
#include "event.h"
#include "exit.h"
#include "lamina.h"
#include "lapic.h"

/* KVM's CR0 checks: may @v be loaded (else #GP)? */
static bool cr0_ok(const struct kvm_sregs *s, u64 v)
{
	if (v >> 32)
		return false;
	if ((v & X86_CR0_PG) && !(v & X86_CR0_PE))
		return false;
	if ((v & X86_CR0_NW) && !(v & X86_CR0_CD))
		return false;
	/* Turning paging on with LME needs PAE (9.8.5). */
	if ((v & X86_CR0_PG) && !(s->cr0 & X86_CR0_PG) &&
	    (s->efer & EFER_LME) && !(s->cr4 & X86_CR4_PAE))
		return false;
	return true;
}

static bool cr4_ok(const struct kvm_sregs *s, u64 v)
{
	struct vmm_uapi_sregs_caps caps;

	lamina_sregs_caps(&caps);
	if (v & ~caps.cr4_allowed)
		return false;
	/* Long mode cannot leave PAE. */
	return !((s->efer & EFER_LMA) && !(v & X86_CR4_PAE));
}

/* Load @s with CR0 @v: paging on or off with LME switches LMA too. */
static void cr0_apply(struct kvm_sregs *s, u64 v)
{
	v |= X86_CR0_ET;	/* hardwired to 1 */
	if ((v ^ s->cr0) & X86_CR0_PG) {
		if ((v & X86_CR0_PG) && (s->efer & EFER_LME))
			s->efer |= EFER_LMA;
		else if (!(v & X86_CR0_PG))
			s->efer &= ~EFER_LMA;
	}
	s->cr0 = v;
}

static u64 cr_new_value(const struct lamina_vcpu *vcpu,
			const struct vmm_exit_cr *c, const struct kvm_sregs *s)
{
	switch (c->dir) {
	case VMM_EXIT_DIR_CLTS:
		return s->cr0 & ~X86_CR0_TS;
	case VMM_EXIT_DIR_LMSW:
		/* LMSW loads PE, MP, EM, TS, and cannot clear PE. */
		return (s->cr0 & ~0xeULL) | (c->lmsw_data & 0xf) |
		       (s->cr0 & X86_CR0_PE);
	default:
		return vcpu->gprs[c->gpr & 15];
	}
}

/* CR8 is TPR[7:4] (SDM vol. 3A 10.8.6.1). */
static enum lamina_cr_result cr8_exit(struct lamina_vcpu *vcpu,
				      const struct vmm_exit_cr *c)
{
	u64 *reg = &vcpu->gprs[c->gpr & 15];
	unsigned long flags;

	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	if (c->dir == VMM_EXIT_DIR_MOV_FROM)
		*reg = vcpu->lapic->tpr >> 4;
	else if (!(*reg >> 4))
		vcpu->lapic->tpr = (*reg & 0xf) << 4;
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
	if (c->dir == VMM_EXIT_DIR_MOV_FROM || !(*reg >> 4))
		return LAMINA_CR_DONE;
	/* Reserved bits 63:4 set: #GP, and the instruction did not run. */
	lamina_queue_exception(vcpu, X86_TRAP_GP, true, 0);
	return LAMINA_CR_FAULT;
}

enum lamina_cr_result lamina_cr_exit(struct lamina_vcpu *vcpu,
				     const struct vmm_exit_event *ev)
{
	const struct vmm_exit_cr *c = &ev->cr;
	struct kvm_sregs s;
	bool ok;
	u64 v;

	if (c->cr == 8 && vcpu->lapic && c->gpr_valid &&
	    (c->dir == VMM_EXIT_DIR_MOV_TO || c->dir == VMM_EXIT_DIR_MOV_FROM))
		return cr8_exit(vcpu, c);
	/* Only writes of CR0 and CR4 are intercepted on purpose. */
	if (!(c->cr == 0 || c->cr == 4) || c->dir == VMM_EXIT_DIR_MOV_FROM ||
	    c->dir > VMM_EXIT_DIR_LMSW ||
	    (c->dir == VMM_EXIT_DIR_MOV_TO && !c->gpr_valid))
		return LAMINA_CR_UNHANDLED;
	memset(&s, 0, sizeof(s));
	lamina_backend->get_sregs(vcpu, &s);
	v = cr_new_value(vcpu, c, &s);
	ok = c->cr == 0 ? cr0_ok(&s, v) : cr4_ok(&s, v);
	if (!ok) {
		lamina_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return LAMINA_CR_FAULT;
	}
	if (c->cr == 0)
		cr0_apply(&s, v);
	else
		s.cr4 = v;
	if (lamina_backend->set_sregs(vcpu, &s))
		return LAMINA_CR_ERROR;
	vcpu->state_changed = true;
	return LAMINA_CR_DONE;
}
