/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-kernel local APIC of a vCPU (xAPIC), present when userspace
 * turned on KVM_CAP_SPLIT_IRQCHIP before creating vCPUs: the register
 * page at APIC_BASE (lapic.c), its timer in one-shot, periodic and
 * TSC-deadline modes (lapic_timer.c), and interrupts between LAPICs:
 * IPIs, MSIs from the userspace IOAPIC, INIT and SIPI (lapic_ipi.c).
 * Which pending vector goes in, and when, is libvmm's inject layer
 * (vmm_inject_decide/ack/eoi/ppr), called from irq.c.
 *
 * Locking: lapic->lock (irqsave: the timer fires in hardirq context)
 * guards IRR/ISR/TMR, the registers, and the vCPU's mp_state and SIPI
 * vector, which other vCPUs change. Everything else is the vCPU thread's.
 */
#ifndef LAMINA_LAPIC_H
#define LAMINA_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <libvmm/uapi.h>

#include <libvmm/inject.h>
#include <libvmm/lapic.h>

struct lamina_vcpu;
struct lamina_vm;
struct vmm_mmio_insn;

struct lamina_lapic {
	struct lamina_vcpu *vcpu;	/* the owner, for the timer's kick */
	spinlock_t lock;
	u64 irr[VMM_INJECT_WORDS];
	u64 isr[VMM_INJECT_WORDS];
	u64 tmr[VMM_INJECT_WORDS];	/* level-triggered, as accepted */
	struct vmm_lapic_regs r;	/* the registers: libvmm's (layer 15) */
	/* The timer (lapic_timer.c). */
	struct hrtimer timer;
	ktime_t period;			/* periodic mode: the reload */
	ktime_t deadline;		/* when the armed timer fires */
	u64 tsc_deadline;		/* IA32_TSC_DEADLINE, guest TSC */
	bool armed;
};

/* Is @gpa inside the vCPU's APIC page (with the LAPIC enabled)? */
bool lamina_lapic_owns(struct lamina_vcpu *vcpu, u64 gpa);

/*
 * A decoded guest access to the APIC page (mmio.c). Returns 1 when done
 * (the guest goes on), 0 when vcpu->run carries an exit for userspace
 * (KVM_EXIT_IOAPIC_EOI after an EOI of a level-triggered IOAPIC vector).
 */
int lamina_lapic_mmio(struct lamina_vcpu *vcpu, u64 gpa,
		      const struct vmm_mmio_insn *insn, u32 mode);

/*
 * Accept a fixed interrupt: IRR (and TMR for level), then kick. False
 * when the LAPIC is software-disabled or the vector illegal (dropped).
 */
bool lamina_lapic_accept(struct lamina_vcpu *vcpu, u8 vector, bool level);

/*
 * Fill libvmm's injection inputs (IRR, ISR, TPR) / acknowledge the
 * vector libvmm chose (IRR -> ISR). Both take lapic->lock.
 */
void lamina_lapic_inject_state(struct lamina_vcpu *vcpu,
			       struct vmm_inject_state *s);
void lamina_lapic_ack(struct lamina_vcpu *vcpu, u32 vector);

/* vCPU creation / INIT: the state after RESET (SDM vol. 3A 10.4.7.1). */
int lamina_lapic_create(struct lamina_vcpu *vcpu);
void lamina_lapic_reset(struct lamina_vcpu *vcpu);
void lamina_lapic_free(struct lamina_vcpu *vcpu);

/* lapic_timer.c */
void lamina_lapic_timer_init(struct lamina_lapic *apic);
/*
 * With lapic->lock held, carrying out layer 15's answer to a write: LVTT
 * changed the timer's mode (stop) / TMICT was written (stop, re-arm).
 */
void lamina_lapic_timer_stop(struct lamina_lapic *apic);
void lamina_lapic_timer_tmict(struct lamina_lapic *apic);
/* With lapic->lock held: TMCCT. */
u32 lamina_lapic_timer_current(struct lamina_lapic *apic);
/* IA32_TSC_DEADLINE (msr.c): 0 when stored, 1 when refused. */
int lamina_lapic_set_tsc_deadline(struct lamina_vcpu *vcpu, u64 v);
u64 lamina_lapic_get_tsc_deadline(struct lamina_vcpu *vcpu);

/* lapic_ipi.c */
/* ICR low written: send the IPI. With lapic->lock NOT held. */
void lamina_lapic_send_ipi(struct lamina_vcpu *vcpu, u32 icr_lo, u32 icr_hi);
/* An MSI libvmm decoded: the number of LAPICs that took it. */
int lamina_lapic_deliver_msi(struct lamina_vm *vm,
			     const struct vmm_uapi_msi_msg *msg);

#endif /* LAMINA_LAPIC_H */
