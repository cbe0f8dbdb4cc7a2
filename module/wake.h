/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's run state with an in-kernel LAPIC (KVM's mp_state): a new
 * application processor waits for INIT and SIPI, a halted vCPU sleeps in
 * KVM_RUN until an interrupt it would take arrives, and whoever makes an
 * interrupt pending kicks the vCPU: wakes it, or forces it out of the
 * guest on the CPU it runs on (wake.c). Without a LAPIC a vCPU is always
 * runnable and HLT goes to userspace, as before.
 */
#ifndef LAMINA_WAKE_H
#define LAMINA_WAKE_H

#include <linux/kvm.h>
#include <linux/types.h>

struct lamina_vcpu;

/* vCPU creation with a LAPIC: the BSP (id 0) runs, the others wait. */
void lamina_vcpu_wake_init(struct lamina_vcpu *vcpu);

/* Any context: an interrupt became pending for @vcpu. */
void lamina_vcpu_kick(struct lamina_vcpu *vcpu);

/*
 * Backends, interrupts off, right before the guest entry: a kick that
 * came after the injection decision makes the entry exit at once.
 */
void lamina_vcpu_kick_check(struct lamina_vcpu *vcpu);

/* INIT and SIPI from another LAPIC (lapic_ipi.c). */
void lamina_vcpu_init(struct lamina_vcpu *vcpu);
void lamina_vcpu_sipi(struct lamina_vcpu *vcpu, u8 vector);

/* HLT with a LAPIC: the vCPU halts in the kernel. */
void lamina_vcpu_halt(struct lamina_vcpu *vcpu);

/*
 * KVM_RUN, before each entry: apply INIT/SIPI and sleep while the vCPU
 * is not runnable. 0 to enter, -EINTR on a signal.
 */
int lamina_vcpu_wait_runnable(struct lamina_vcpu *vcpu);

/* KVM_GET_MP_STATE. */
long lamina_vcpu_get_mp_state(struct lamina_vcpu *vcpu,
			      struct kvm_mp_state __user *uarg);

#endif /* LAMINA_WAKE_H */
