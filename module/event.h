/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one event a vCPU delivers on its next guest entry.
 *
 * VMX (VM-entry interruption-information) and SVM (EVENTINJ) both inject
 * at most one event per entry, so the common code keeps at most one here:
 * an exception the module raised while emulating (e.g. #GP for an MSR it
 * does not know), an event whose delivery an exit interrupted (IDT-vectoring
 * information / EXITINTINFO, re-injected), or an external interrupt chosen
 * by libvmm's injection decision. The backend's run op programs it into
 * the VMCS/VMCB and clears it once the entry succeeded.
 */
#ifndef LAMINA_EVENT_H
#define LAMINA_EVENT_H

#include <linux/types.h>

struct lamina_vcpu;

/* The interruption types of both vendors' injection fields (same values). */
enum lamina_event_type {
	LAMINA_EVENT_EXTINT = 0,	/* external interrupt */
	LAMINA_EVENT_NMI = 2,
	LAMINA_EVENT_EXCEPTION = 3,	/* hardware exception */
	LAMINA_EVENT_SOFT_INT = 4,	/* INTn: needs insn_len on VMX */
	LAMINA_EVENT_PRIV_SOFT_EXCEPTION = 5, /* INT1 (VMX only), insn_len */
	LAMINA_EVENT_SOFT_EXCEPTION = 6, /* INT3, INTO: needs insn_len on VMX */
};

/*
 * Blocking by STI / by MOV SS (struct lamina_vcpu.intr_shadow): the VMX
 * interruptibility-state bits 0 and 1 (SDM vol. 3C 25.4.2); SVM has one
 * interrupt-shadow bit (VMCB INTERRUPT_SHADOW), reported as STI. The
 * backend loads it before each entry and stores it after each exit;
 * skipping an emulated instruction clears it, as the CPU would.
 */
#define LAMINA_SHADOW_STI 1U
#define LAMINA_SHADOW_MOVSS 2U

struct lamina_event {
	bool valid;
	u8 type;		/* enum lamina_event_type */
	u8 vector;
	bool has_error;
	u32 error;
	u8 insn_len;		/* soft events only */
};

/*
 * Raise a hardware exception in the guest on its next entry. With an
 * event already queued, the two become #DF (error code 0); with #DF
 * already queued, the vCPU shuts down (triple fault) before its next
 * entry. Deliberately simpler than the SDM's benign/contributory table:
 * the module raises only #GP and #UD, both contributory.
 */
void lamina_queue_exception(struct lamina_vcpu *vcpu, u8 vector,
			    bool has_error, u32 error);

#endif /* LAMINA_EVENT_H */
