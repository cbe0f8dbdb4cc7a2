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

/*
 * The guest's HLT is done (RIP past it): halt the vCPU in the kernel
 * with a LAPIC (1, go on), else KVM_EXIT_HLT to userspace (0).
 */
int lamina_exit_halt(struct lamina_vcpu *vcpu);

/*
 * On KVM_RUN: finish the exit userspace answered: a pending IN or INS
 * takes the data left in the PIO page, an MMIO read run->mmio.data.
 */
void lamina_exit_complete(struct lamina_vcpu *vcpu);

/*
 * A backend's policy check (libvmm layer 11) refused the entry: @ev
 * becomes a failed entry that userspace sees as KVM_EXIT_FAIL_ENTRY with
 * hardware_entry_failure_reason VMM_POLICY_FAIL_ENTRY_REASON | @rule.
 */
void lamina_exit_policy_refused(struct vmm_exit_event *ev, u32 rule);

/* KVM_SET_REGS: new registers drop whatever was waiting for data. */
void lamina_exit_cancel(struct lamina_vcpu *vcpu);

#endif /* LAMINA_EXIT_H */
