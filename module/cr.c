// SPDX-License-Identifier: GPL-2.0-only
/*
 * Control-register writes the guest makes while the backend owns a bit
 * (cr.h). libvmm layer 13 (libvmm/include/libvmm/cr.h) gives each write's
 * value, checks it with the rules of SDM vol. 3A 2.5 and 9.8.5 / KVM's
 * kvm_set_cr0/kvm_set_cr4 (#GP when broken) and gives the state after
 * it; that goes in through the backend's set_sregs like a KVM_SET_SREGS
 * would, and the next entry runs libvmm's entry checks on the result.
 */
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/string.h>
#include <asm/processor-flags.h>
#include <asm/msr-index.h>
#include <asm/trapnr.h>

#include <libvmm/cr.h>

#include "backend.h"
#include "cr.h"
#include "event.h"
#include "exit.h"
#include "gmem.h"
#include "irq.h"
#include "lamina.h"
#include "lapic.h"

static_assert(VMM_CR0_PE == X86_CR0_PE && VMM_CR_CR0_TS == X86_CR0_TS &&
	      VMM_CR_CR0_ET == X86_CR0_ET && VMM_CR0_NW == X86_CR0_NW &&
	      VMM_CR0_CD == X86_CR0_CD && VMM_CR0_PG == X86_CR0_PG &&
	      VMM_CR4_PAE == X86_CR4_PAE && VMM_EFER_LME == EFER_LME &&
	      VMM_EFER_LMA == EFER_LMA);

/* The value the write gives (libvmm layer 13 decides; here the source). */
static u64 cr_new_value(const struct lamina_vcpu *vcpu,
			const struct vmm_exit_cr *c, const struct kvm_sregs *s)
{
	if (c->dir == VMM_EXIT_DIR_CLTS)
		return vmm_cr_new_value(VMM_CR_CLTS, s->cr0, 0);
	if (c->dir == VMM_EXIT_DIR_LMSW)
		return vmm_cr_new_value(VMM_CR_LMSW, s->cr0, c->lmsw_data);
	return vmm_cr_new_value(VMM_CR_MOV, s->cr0, vcpu->gprs[c->gpr & 15]);
}

u64 lamina_cr8_get(const struct lamina_vcpu *vcpu)
{
	if (vcpu->lapic)
		return READ_ONCE(vcpu->lapic->r.tpr) >> 4 & 0xf;
	return vcpu->cr8;
}

void lamina_cr8_set(struct lamina_vcpu *vcpu, u64 cr8)
{
	unsigned long flags;

	lamina_irq_recheck(vcpu);	/* a lower TPR may let a vector in */
	if (!vcpu->lapic) {
		vcpu->cr8 = cr8 & 0xf;
		return;
	}
	spin_lock_irqsave(&vcpu->lapic->lock, flags);
	vcpu->lapic->r.tpr = (cr8 & 0xf) << 4;
	spin_unlock_irqrestore(&vcpu->lapic->lock, flags);
}

/* CR8 is TPR[7:4] (SDM vol. 3A 10.8.6.1). */
static enum lamina_cr_result cr8_exit(struct lamina_vcpu *vcpu,
				      const struct vmm_exit_cr *c)
{
	u64 *reg = &vcpu->gprs[c->gpr & 15];
	u64 old = lamina_cr8_get(vcpu);

	if (c->dir == VMM_EXIT_DIR_MOV_FROM) {
		*reg = old;
		return LAMINA_CR_DONE;
	}
	if (*reg >> 4) {
		/* Reserved bits 63:4 set: #GP, the instruction did not run. */
		lamina_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return LAMINA_CR_FAULT;
	}
	lamina_cr8_set(vcpu, *reg);
	return !vcpu->lapic && *reg < old ? LAMINA_CR_DONE_SET_TPR :
					    LAMINA_CR_DONE;
}

/* Legacy prefixes (SDM vol. 2A, 2.1.1); F0 (LOCK) is told apart. */
static bool cr_legacy_prefix(u8 b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
	       b == 0x64 || b == 0x65 || b == 0x66 || b == 0x67 ||
	       b == 0xf0 || b == 0xf2 || b == 0xf3;
}

/*
 * SVM without decode assists names neither the register of a MOV to or
 * from a CR nor, without NRIPS, its length (APM vol. 2, 15.8.1): read
 * them from the instruction (SDM vol. 2B "MOV—Move to/from Control
 * Registers": [prefixes] [REX] 0F 22 /r to, 0F 20 /r from; ModRM.reg is
 * the CR, plus 8 with REX.R or, on AMD, a LOCK prefix; ModRM.rm is the
 * GPR, plus 8 with REX.B; the mod bits are ignored). False when the
 * bytes are not such a MOV of the CR the exit named.
 */
static bool cr_decode_mov(struct lamina_vcpu *vcpu, struct vmm_exit_event *ev)
{
	struct vmm_exit_cr *c = &ev->cr;
	bool lock = false, rex_r = false, rex_b = false, to;
	struct lamina_gmode m;
	struct kvm_sregs s;
	size_t n, i = 0;
	u8 b[15], modrm;
	u64 la;

	lamina_backend->get_sregs(vcpu, &s);
	lamina_gmode_from_sregs(&m, vcpu, &s);
	la = lamina_gmode_rip_linear(&m, vcpu->rip);
	down_read(&vcpu->vm->mem_sem);
	n = lamina_gmem_fetch(vcpu->vm, &m, la, b, sizeof(b), NULL);
	up_read(&vcpu->vm->mem_sem);
	for (; i < n && cr_legacy_prefix(b[i]); i++)
		lock |= b[i] == 0xf0;
	if (m.mode == 64 && i < n && (b[i] & 0xf0) == 0x40) {
		rex_r = b[i] & 4;
		rex_b = b[i] & 1;
		i++;
	}
	if (i + 3 > n || b[i] != 0x0f || (b[i + 1] != 0x22 && b[i + 1] != 0x20))
		return false;
	to = b[i + 1] == 0x22;
	modrm = b[i + 2];
	if (((modrm >> 3) & 7) + (rex_r || lock ? 8 : 0) != c->cr ||
	    to != (c->dir == VMM_EXIT_DIR_WRITE))
		return false;
	c->dir = to ? VMM_EXIT_DIR_MOV_TO : VMM_EXIT_DIR_MOV_FROM;
	c->gpr_valid = 1;
	c->gpr = (modrm & 7) + (rex_b ? 8 : 0);
	if (!ev->next_rip_valid)
		ev->insn_len = i + 3;
	return true;
}

enum lamina_cr_result lamina_cr_exit(struct lamina_vcpu *vcpu,
				     struct vmm_exit_event *ev)
{
	const struct vmm_exit_cr *c = &ev->cr;
	struct vmm_uapi_sregs_caps caps;
	struct vmm_cr_state st;
	enum vmm_cr_err err;
	struct kvm_sregs s;
	u64 v;

	if ((c->dir == VMM_EXIT_DIR_WRITE || c->dir == VMM_EXIT_DIR_READ) &&
	    !cr_decode_mov(vcpu, ev))
		return LAMINA_CR_UNHANDLED;
	if (c->cr == 8 && c->gpr_valid &&
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
	st.cr0 = s.cr0;
	st.cr4 = s.cr4;
	st.efer = s.efer;
	if (c->cr == 0) {
		err = vmm_cr_write_cr0(&st, v);
	} else {
		lamina_sregs_caps(&caps);
		err = vmm_cr_write_cr4(&st, v, caps.cr4_allowed);
	}
	if (err != VMM_CR_OK) {
		/* A rule of libvmm/include/libvmm/cr.h is broken: #GP. */
		lamina_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return LAMINA_CR_FAULT;
	}
	s.cr0 = st.cr0;
	s.cr4 = st.cr4;
	s.efer = st.efer;
	if (lamina_backend->set_sregs(vcpu, &s))
		return LAMINA_CR_ERROR;
	vcpu->state_changed = true;
	return LAMINA_CR_DONE;
}
