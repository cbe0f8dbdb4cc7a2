/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts for the next entry, decided by libvmm's vmm_inject_decide()
 * before an entry when something it looks at may have changed: the
 * in-kernel LAPIC's IRR (lapic.h), and from a userspace interrupt
 * controller KVM_INTERRUPT, kvm_run.request_interrupt_window and the
 * interrupt window.
 */
#ifndef LAMINA_IRQ_H
#define LAMINA_IRQ_H

#include <linux/kvm.h>

struct lamina_vcpu;

/* KVM_INTERRUPT: queue a vector for the guest (-EINVAL, -EFAULT, -EEXIST). */
long lamina_irq_ioctl_interrupt(struct lamina_vcpu *vcpu, void __user *argp);

/*
 * Before each entry: decide (libvmm) what this entry injects, fill
 * vcpu->event with it and set vcpu->irq_window; skipped, the last
 * decision kept, when none of its inputs can have changed since
 * (struct lamina_vcpu, event_check).
 */
void lamina_irq_prepare(struct lamina_vcpu *vcpu);

/*
 * An input of the decision changed (IRR, ISR, TPR, RFLAGS.IF, a queued
 * vector...): the next entry decides again. Any context; a setter on
 * another thread calls it before kicking the vCPU (wake.h).
 */
void lamina_irq_recheck(struct lamina_vcpu *vcpu);

/*
 * Would the guest take an interrupt now (a halted vCPU wakes up)? The
 * vCPU's own thread only.
 */
bool lamina_irq_pending(struct lamina_vcpu *vcpu);

/* Interrupt-window exit: 0 to report KVM_EXIT_IRQ_WINDOW_OPEN, 1 to go on. */
int lamina_irq_window_exit(struct lamina_vcpu *vcpu);

/* On every return to userspace: if_flag, ready_for_interrupt_injection. */
void lamina_irq_report(struct lamina_vcpu *vcpu);

/* KVM_GET_SREGS / KVM_SET_SREGS: the interrupt_bitmap. */
void lamina_irq_get_bitmap(struct lamina_vcpu *vcpu, struct kvm_sregs *s);
void lamina_irq_set_pending(struct lamina_vcpu *vcpu, u32 vector);

#endif /* LAMINA_IRQ_H */
