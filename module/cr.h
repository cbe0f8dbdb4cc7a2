/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Control-register exits (cr.c): a guest write to a CR0/CR4 bit the
 * backend owns (VMX keeps CR0.NE and the VMX-fixed CR4 bits in the read
 * shadow: a change exits), CLTS, LMSW, and CR8 as the LAPIC's TPR.
 */
#ifndef LAMINA_CR_H
#define LAMINA_CR_H

#include <libvmm/exit.h>
#include <libvmm/uapi.h>

struct lamina_vcpu;

enum lamina_cr_result {
	LAMINA_CR_DONE,		/* written: move past the instruction */
	LAMINA_CR_FAULT,	/* #GP queued: the instruction did not run */
	LAMINA_CR_UNHANDLED,	/* not an access lamina intercepts */
	LAMINA_CR_ERROR,	/* the backend refused the state */
};

/* VMM_EXIT_CR_ACCESS. */
enum lamina_cr_result lamina_cr_exit(struct lamina_vcpu *vcpu,
				     const struct vmm_exit_event *ev);

/* What a guest may set in CR4 and EFER on this host (vcpu.c). */
void lamina_sregs_caps(struct vmm_uapi_sregs_caps *caps);

#endif /* LAMINA_CR_H */
