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
struct vmm_exit_exc;

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
	/*
	 * A hardware #DB: its delivery shows these conditions in the
	 * guest's DR6 and clears DR7.GD (lamina_db_deliver_dr6()); the
	 * backend applies them on the entry that injects it.
	 */
	bool has_dbg;
	u32 dbg;		/* VMM_EXIT_DBG_MASK bits (libvmm/exit.h) */
	/*
	 * A #PF the module raised: the backend loads cr2 into the guest's
	 * CR2 on the entry that injects it, as the CPU writes CR2 when it
	 * raises #PF (SDM vol. 3A 6.15, interrupt 14).
	 */
	bool has_cr2;
	u64 cr2;
};

/*
 * Raise a hardware exception in the guest on its next entry. An event
 * already queued is one whose delivery the exception interrupted, and the
 * two combine as SDM vol. 3A table 6-5 "Conditions for Generating a
 * Double Fault" says: two contributory exceptions, or a page fault then a
 * contributory exception or page fault, become #DF (error code 0); #DF
 * then anything shuts the vCPU down (triple fault) before its next entry;
 * otherwise (a benign exception on either side, or an interrupt) the new
 * exception is delivered and the old event is lost, as on hardware (an
 * exception comes back when its instruction runs again).
 */
void lamina_queue_exception(struct lamina_vcpu *vcpu, u8 vector,
			    bool has_error, u32 error);

/* A #PF at linear address @cr2, as lamina_queue_exception(). */
void lamina_queue_page_fault(struct lamina_vcpu *vcpu, u32 error, u64 cr2);

/*
 * An exception the backend intercepted goes back to the guest, raised
 * the way the CPU raised it: INT1 as the instruction's own event, a
 * hardware #DB with the conditions it reports in DR6. Same rules as
 * lamina_queue_exception() for what was already queued.
 */
void lamina_reflect_exception(struct lamina_vcpu *vcpu,
			      const struct vmm_exit_exc *exc);

/*
 * DR7.GD: the processor clears it when it delivers any #DB (SDM vol. 3B
 * 17.2.4, APM vol. 2 13.1.1.5).
 */
#define LAMINA_DR7_GD (1UL << 13)

/*
 * The guest's DR6 after the delivery of a #DB reporting @dbg: B0-B3 are
 * this #DB's own, the fixed-1 bits stay 1, BD/BS/BT are set when they
 * occurred and RTM (active low) is cleared when it did (SDM vol. 3B
 * 17.2.3 "Debug Status Register (DR6)").
 */
unsigned long lamina_db_deliver_dr6(unsigned long dr6, u32 dbg);

#endif /* LAMINA_EVENT_H */
