/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Vendor-neutral exit handling: libvmm decoded the exit (decode), this
 * acts on it (invoke).
 */
#ifndef LAMINA_EXIT_H
#define LAMINA_EXIT_H

#include <libvmm/exit.h>

struct lamina_vcpu;

/*
 * Act on one decoded exit. Returns 1 to re-enter the guest, 0 to return
 * to userspace with vcpu->run filled in, or a negative errno.
 */
int lamina_exit_handle(struct lamina_vcpu *vcpu,
		       const struct vmm_exit_event *ev);

/* On KVM_RUN: give a pending IN the data userspace left in the PIO page. */
void lamina_exit_complete_pio(struct lamina_vcpu *vcpu);

#endif /* LAMINA_EXIT_H */
