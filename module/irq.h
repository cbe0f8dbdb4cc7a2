/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts from a userspace interrupt controller (no in-kernel LAPIC):
 * KVM_INTERRUPT, kvm_run.request_interrupt_window and the interrupt
 * window, decided by libvmm's vmm_inject_decide() before every entry.
 */
#ifndef LAMINA_IRQ_H
#define LAMINA_IRQ_H

#include <linux/kvm.h>

struct lamina_vcpu;

/* KVM_INTERRUPT: queue a vector for the guest (-EINVAL, -EFAULT, -EEXIST). */
long lamina_irq_ioctl_interrupt(struct lamina_vcpu *vcpu, void __user *argp);

/*
 * Before each entry: decide (libvmm) what this entry injects, fill
 * vcpu->event with it and set vcpu->irq_window.
 */
void lamina_irq_prepare(struct lamina_vcpu *vcpu);

/* Interrupt-window exit: 0 to report KVM_EXIT_IRQ_WINDOW_OPEN, 1 to go on. */
int lamina_irq_window_exit(struct lamina_vcpu *vcpu);

/* On every return to userspace: if_flag, ready_for_interrupt_injection. */
void lamina_irq_report(struct lamina_vcpu *vcpu);

/* KVM_GET_SREGS / KVM_SET_SREGS: the interrupt_bitmap. */
void lamina_irq_get_bitmap(struct lamina_vcpu *vcpu, struct kvm_sregs *s);
void lamina_irq_set_pending(struct lamina_vcpu *vcpu, u32 vector);

#endif /* LAMINA_IRQ_H */
