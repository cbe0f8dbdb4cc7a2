// SPDX-License-Identifier: GPL-2.0-only
/*
 * A HLT under an interrupt shadow, done by lamina instead of the guest.
 *
 * STI;HLT is every OS's idle loop: the shadow lets an interrupt in only
 * after the HLT (SDM vol. 2B, STI: "the processor ... will not respond to
 * the interrupt until after the HLT instruction"), so the vCPU halts and
 * the interrupt wakes it. An exit that lands between the two (a host
 * interrupt) leaves the shadow open, and the entry after it must hand
 * the shadow back to the CPU (VMCB INT_STATE, VMCS interruptibility
 * state). QEMU's TCG up to 9.0 drops INT_STATE on VMRUN (fixed in 9.1,
 * "target/i386: fix INHIBIT_IRQ/TF/RF handling for VMRUN"): a host
 * interrupt at once then reports the shadow gone, the interrupt goes in
 * before the HLT, and the HLT sleeps after the handler with nothing left
 * to wake it (kvm-amd loses that wakeup too: tests/lapic.c,
 * timer-oneshot-storm). Halting here is what the CPU does, on any CPU,
 * and no entry starts under a shadow at a HLT.
 */
#include <linux/kvm.h>

#include "backend.h"
#include "gmem.h"
#include "lamina.h"
#include "mmio.h"
#include "shadow_hlt.h"

#define HLT_OPCODE 0xf4

/*
 * Apart from lamina_shadow_hlt(), which runs before every entry: the
 * kernel zeroes every local at function entry (INIT_STACK_ALL_ZERO), and
 * these are ~400 bytes, wasted when there is no shadow.
 */
static noinline bool shadow_hlt_at_hlt(struct lamina_vcpu *vcpu)
{
	struct lamina_gmode m;
	struct kvm_sregs s;
	u8 op = 0;
	size_t n;
	u64 la;

	lamina_backend->get_sregs(vcpu, &s);
	lamina_gmode_from_sregs(&m, vcpu, &s);
	/* HLT above CPL 0 is the guest's #GP to take. */
	if (m.cpl)
		return false;
	la = lamina_gmode_rip_linear(&m, vcpu->rip);
	down_read(&vcpu->vm->mem_sem);
	n = lamina_gmem_fetch(vcpu->vm, &m, la, &op, 1, NULL);
	up_read(&vcpu->vm->mem_sem);
	if (n != 1 || op != HLT_OPCODE)
		return false;
	lamina_rip_advance(vcpu, 1, m.mode);
	vcpu->intr_shadow = 0;
	return true;
}

bool lamina_shadow_hlt(struct lamina_vcpu *vcpu)
{
	/* An event being delivered goes first; it ends the shadow anyway. */
	if (!vcpu->intr_shadow || vcpu->event.valid)
		return false;
	return shadow_hlt_at_hlt(vcpu);
}
