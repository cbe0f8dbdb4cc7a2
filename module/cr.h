/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Control-register exits (cr.c): a guest write to a CR0/CR4 bit the
 * backend owns (VMX keeps CR0.NE and the VMX-fixed CR4 bits in the read
 * shadow: a change exits), CLTS, LMSW, and CR8 as the TPR (VMX: every
 * access exits; SVM: writes exit, reads see V_TPR, which the backend
 * loads from lamina_cr8_get() before each entry).
 */
#ifndef LAMINA_CR_H
#define LAMINA_CR_H

#include <libvmm/exit.h>
#include <libvmm/uapi.h>

struct lamina_vcpu;

enum lamina_cr_result {
	LAMINA_CR_DONE,		/* written: move past the instruction */
	/*
	 * CR8 written lower with no in-kernel LAPIC: move past it and exit
	 * with KVM_EXIT_SET_TPR, as KVM does: userspace owns the APIC and
	 * may now deliver an interrupt the old TPR held back.
	 */
	LAMINA_CR_DONE_SET_TPR,
	LAMINA_CR_FAULT,	/* #GP queued: the instruction did not run */
	LAMINA_CR_UNHANDLED,	/* not an access lamina intercepts */
	LAMINA_CR_ERROR,	/* the backend refused the state */
};

/*
 * VMM_EXIT_CR_ACCESS. An exit that names no register (SVM without
 * decode assists) is completed in @ev from the instruction bytes: the
 * register, and the length when there is no next RIP.
 */
enum lamina_cr_result lamina_cr_exit(struct lamina_vcpu *vcpu,
				     struct vmm_exit_event *ev);

/*
 * The guest's TPR as CR8 (bits 3:0): the in-kernel LAPIC's TPR[7:4]
 * when there is one (SDM vol. 3A 10.8.6.1), else the vCPU's own, which
 * only userspace and the guest's MOV CR8 change (KVM's kvm_get_cr8 /
 * kvm_set_cr8). KVM_GET/SET_SREGS show and set this one value.
 */
u64 lamina_cr8_get(const struct lamina_vcpu *vcpu);
void lamina_cr8_set(struct lamina_vcpu *vcpu, u64 cr8);

/* What a guest may set in CR4 and EFER on this host (vcpu.c). */
void lamina_sregs_caps(struct vmm_uapi_sregs_caps *caps);

#endif /* LAMINA_CR_H */
