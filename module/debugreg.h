/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest debug registers the CPU does not switch (debugreg.c).
 */
#ifndef LAMINA_DEBUGREG_H
#define LAMINA_DEBUGREG_H

struct lamina_vcpu;
struct vmm_exit_event;

/*
 * Around one guest run, preemption disabled: load the guest's DR0-DR3
 * (and DR6 where the backend asks) once the guest owns them; after the
 * run save them, hand them to the guest on its first MOV DR exit (@ev,
 * NULL when the entry failed), and put back the host's breakpoints, if
 * it has any.
 */
void lamina_db_before_run(struct lamina_vcpu *vcpu);
void lamina_db_after_run(struct lamina_vcpu *vcpu,
			 const struct vmm_exit_event *ev);

#endif /* LAMINA_DEBUGREG_H */
