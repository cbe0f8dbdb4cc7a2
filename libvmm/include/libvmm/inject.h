/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 5: the interrupt-injection decision.
 *
 * KVM's shape (arch/x86/x86.c, kvm_check_and_inject_events() and the
 * enable_{nmi,irq}_window calls after it): first a decision, then an
 * action.  If an event can be injected now, inject it; otherwise arm the
 * NMI- or interrupt-window exit, whose handler closes the window and asks
 * again.  vmm_inject_decide() is the decision; the module performs the
 * action (VMCS/VMCB writes) and, for a LAPIC vector, calls vmm_inject_ack().
 *
 * Order, highest first (KVM's):
 *   1. an event already being injected at the last exit (IDT-vectoring /
 *      EXITINTINFO valid) is re-injected: REINJECT.  It was accepted by the
 *      guest before the exit, so blocking does not apply to it, and nothing
 *      else can go in with it (one event per VM entry).
 *   2. a pending NMI: INJECT_NMI unless NMIs are masked (NMI blocking, or
 *      blocking by STI or MOV SS: KVM's vmx_nmi_blocked(); SDM vol. 3C
 *      26.3.1.5 refuses an NMI injection under MOV-SS blocking), else
 *      OPEN_NMI_WINDOW.
 *   3. a maskable interrupt, blocked when RFLAGS.IF = 0 or by STI / MOV SS
 *      (SDM vol. 3C 24.4.2, "Guest Non-Register State", interruptibility):
 *      a. the userspace vector of KVM_INTERRUPT (an ExtINT from a userspace
 *         PIC: KVM's kvm_cpu_get_extint() comes before the LAPIC, and ExtINT
 *         bypasses the PPR, SDM vol. 3A 10.8.3.1);
 *      b. the highest vector in the IRR, if its priority class (V[7:4]) is
 *         above the processor-priority class PPR[7:4] = max(TPR[7:4],
 *         ISRV[7:4]) (SDM vol. 3A 10.8.3.1 "Task and Processor Priorities");
 *      c. userspace's request_interrupt_window alone.
 *      When blocked, OPEN_IRQ_WINDOW.  In case c (nothing to inject, not
 *      blocked) the answer is OPEN_IRQ_WINDOW too: the window exit then
 *      happens at once and the module reports KVM_EXIT_IRQ_WINDOW_OPEN.
 *   4. nothing: NONE.
 * Besides the main decision, irq_window / nmi_window list every window that
 * must be armed, so that an event left pending by this entry (an IRQ behind
 * a re-injection or an NMI, an NMI behind a re-injection) always gets its
 * exit: the decision never drops a pending event silently.  A LAPIC vector
 * masked by the PPR opens no window: it becomes deliverable only through an
 * EOI or a TPR write, both handled in the module's LAPIC, which asks again.
 *
 * Vectors 0-15 are illegal for fixed interrupts (SDM vol. 3A 10.5.2 "Valid
 * Interrupt Vectors"; the LAPIC never sets them in the IRR).  If the IRR
 * holds one anyway they are ignored and reported in illegal_irr, so the
 * in-module LAPIC can flag "Received Illegal Vector" in its ESR.  The
 * userspace vector may be any of 0-255 (KVM_INTERRUPT rejects only >= 256).
 *
 * IRR/ISR bookkeeping for the in-module LAPIC (SDM vol. 3A 10.8.4 and
 * 10.8.5): vmm_inject_ack() moves the injected vector from IRR to ISR,
 * vmm_inject_eoi() clears the highest ISR bit, vmm_inject_ppr() computes
 * the PPR register.
 *
 * The ACSL model is acsl-specs/inject.acsl.  Preconditions are weak: NULL is
 * allowed and rejected at run time.  libvmm takes no lock: the caller holds
 * the vCPU (these run on the vCPU thread, with the LAPIC state owned by it).
 */
#ifndef LIBVMM_INJECT_H
#define LIBVMM_INJECT_H

#include <libvmm/types.h>

#define VMM_INJECT_NR_VECTORS 256U
#define VMM_INJECT_WORDS 4U              /* 256 bits in 64-bit words */
#define VMM_INJECT_FIRST_VECTOR 16U      /* 0-15 are illegal (SDM 10.5.2) */
#define VMM_INJECT_NO_VECTOR 256U        /* "no vector found" */

VMM_BUILD_ASSERT(inject_words, VMM_INJECT_WORDS * 64U == VMM_INJECT_NR_VECTORS);

enum vmm_inject_err {
	VMM_INJECT_OK = 0,
	VMM_INJECT_ERR_NULL = 1,          /* a pointer argument is NULL */
	VMM_INJECT_ERR_USER_VECTOR = 2,   /* KVM_INTERRUPT vector >= 256 */
	VMM_INJECT_ERR_VECTOR = 3,        /* ack of a vector outside 16..255 */
	VMM_INJECT_ERR_NOT_PENDING = 4,   /* ack of a vector not in the IRR */
	VMM_INJECT_ERR_ISR_EMPTY = 5      /* EOI with nothing in service */
};

enum vmm_inject_kind {
	VMM_INJECT_NONE = 0,              /* nothing pending */
	VMM_INJECT_REINJECT = 1,          /* re-inject the pending event */
	VMM_INJECT_INJECT_NMI = 2,        /* inject an NMI */
	VMM_INJECT_INJECT_EXTINT = 3,     /* inject external interrupt .vector */
	VMM_INJECT_OPEN_NMI_WINDOW = 4,   /* arm the NMI-window exit */
	VMM_INJECT_OPEN_IRQ_WINDOW = 5    /* arm the interrupt-window exit */
};

enum vmm_inject_source {
	VMM_INJECT_SRC_NONE = 0,
	VMM_INJECT_SRC_LAPIC = 1,         /* the IRR: call vmm_inject_ack() */
	VMM_INJECT_SRC_USER = 2           /* KVM_INTERRUPT: clear it */
};

/*
 * What the decision looks at.  Truth values: 0 false, anything else true.
 * irr/isr: vector v is bit v % 64 of word v / 64 (LAPIC IRR/ISR layout).
 */
struct vmm_inject_state {
	vmm_u64 irr[VMM_INJECT_WORDS];    /* pending fixed interrupts */
	vmm_u64 isr[VMM_INJECT_WORDS];    /* in service */
	vmm_u8 tpr;                       /* LAPIC TPR[7:0] */
	vmm_bool nmi_pending;             /* an NMI waits */
	vmm_bool nmi_blocked;             /* NMI blocking (in an NMI handler) */
	vmm_bool rflags_if;               /* guest RFLAGS.IF */
	vmm_bool sti_blocking;            /* interruptibility: blocking by STI */
	vmm_bool movss_blocking;          /* interruptibility: blocking by MOV SS */
	vmm_bool event_pending;           /* event from the last exit to re-inject */
	vmm_bool user_irq_pending;        /* KVM_INTERRUPT queued user_vector */
	vmm_bool user_window_request;     /* kvm_run.request_interrupt_window */
	vmm_u32 user_vector;              /* the KVM_INTERRUPT vector */
};

struct vmm_inject_decision {
	enum vmm_inject_kind kind;
	vmm_u32 vector;                   /* INJECT_EXTINT only, else 0 */
	enum vmm_inject_source source;    /* INJECT_EXTINT only, else NONE */
	vmm_bool irq_window;              /* arm the interrupt-window exit */
	vmm_bool nmi_window;              /* arm the NMI-window exit */
	vmm_bool illegal_irr;             /* IRR holds a vector 0-15 (ignored) */
};

#ifdef __FRAMAC__
#include "inject.acsl"
#endif

/*
 * Decide what to inject on the next VM entry (see the order above).  On
 * success *d holds the decision; on failure *d is not written.
 */
/*@ requires s == \null || \valid_read(s);
  @ requires d == \null || \valid(d);
  @ requires s != \null && d != \null ==> \separated(s, d);
  @
  @ assigns *d;
  @
  @ ensures s == \null || d == \null <==> \result == VMM_INJECT_ERR_NULL;
  @ ensures \result == VMM_INJECT_ERR_USER_VECTOR <==>
  @   s != \null && d != \null && s->user_irq_pending != 0 &&
  @   s->user_vector >= VMM_INJECT_NR_VECTORS;
  @ ensures \result == VMM_INJECT_OK || \result == VMM_INJECT_ERR_NULL ||
  @         \result == VMM_INJECT_ERR_USER_VECTOR;
  @ ensures \result != VMM_INJECT_OK && d != \null ==> *d == \old(*d);
  @
  @ // The decision, case by case, in order of precedence.
  @ ensures \result == VMM_INJECT_OK ==>
  @   (d->kind == VMM_INJECT_REINJECT <==> s->event_pending != 0);
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending != 0 && !nmi_masked(s) ==>
  @   d->kind == VMM_INJECT_INJECT_NMI;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending != 0 && nmi_masked(s) ==>
  @   d->kind == VMM_INJECT_OPEN_NMI_WINDOW;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending == 0 && irq_wanted(s) && irq_blocked(s) ==>
  @   d->kind == VMM_INJECT_OPEN_IRQ_WINDOW;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending == 0 && !irq_blocked(s) && s->user_irq_pending != 0 ==>
  @   d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER && d->vector == s->user_vector;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending == 0 && !irq_blocked(s) && s->user_irq_pending == 0 &&
  @   lapic_deliverable(s) ==>
  @   d->kind == VMM_INJECT_INJECT_EXTINT && d->source == VMM_INJECT_SRC_LAPIC;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending == 0 && !irq_blocked(s) && s->user_irq_pending == 0 &&
  @   !lapic_deliverable(s) && s->user_window_request != 0 ==>
  @   d->kind == VMM_INJECT_OPEN_IRQ_WINDOW;
  @ ensures \result == VMM_INJECT_OK && s->event_pending == 0 &&
  @   s->nmi_pending == 0 && !irq_wanted(s) ==>
  @   d->kind == VMM_INJECT_NONE;
  @
  @ // Safety: what is injected may be injected.
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_LAPIC ==>
  @   VMM_INJECT_FIRST_VECTOR <= d->vector < VMM_INJECT_NR_VECTORS &&
  @   vec_in(&s->irr[0], d->vector) &&
  @   none_above(&s->irr[0], d->vector) &&
  @   above_ppr(&s->isr[0], s->tpr, vec_class(d->vector)) &&
  @   !irq_blocked(s) && s->event_pending == 0 && s->nmi_pending == 0;
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER ==>
  @   s->user_irq_pending != 0 && d->vector == s->user_vector &&
  @   d->vector < VMM_INJECT_NR_VECTORS &&
  @   !irq_blocked(s) && s->event_pending == 0 && s->nmi_pending == 0;
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_EXTINT ==>
  @   d->source == VMM_INJECT_SRC_LAPIC || d->source == VMM_INJECT_SRC_USER;
  @ ensures \result == VMM_INJECT_OK && d->kind != VMM_INJECT_INJECT_EXTINT ==>
  @   d->vector == 0 && d->source == VMM_INJECT_SRC_NONE;
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_NMI ==>
  @   s->nmi_pending != 0 && !nmi_masked(s) && s->event_pending == 0;
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_NONE ==>
  @   s->event_pending == 0 && s->nmi_pending == 0 && !irq_wanted(s);
  @
  @ // Windows: every event this entry leaves pending gets its exit.
  @ ensures \result == VMM_INJECT_OK ==>
  @   (d->nmi_window != 0 <==>
  @      s->nmi_pending != 0 && d->kind != VMM_INJECT_INJECT_NMI);
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_USER ==>
  @   (d->irq_window != 0 <==>
  @      lapic_deliverable(s) || s->user_window_request != 0);
  @ ensures \result == VMM_INJECT_OK && d->kind == VMM_INJECT_INJECT_EXTINT &&
  @   d->source == VMM_INJECT_SRC_LAPIC ==>
  @   (d->irq_window != 0 <==> s->user_window_request != 0);
  @ ensures \result == VMM_INJECT_OK && d->kind != VMM_INJECT_INJECT_EXTINT ==>
  @   (d->irq_window != 0 <==> irq_wanted(s));
  @ ensures \result == VMM_INJECT_OK ==>
  @   (d->illegal_irr != 0 <==>
  @      !none_in(&s->irr[0], 0, VMM_INJECT_FIRST_VECTOR));
  @*/
enum vmm_inject_err vmm_inject_decide(const struct vmm_inject_state *s,
				      struct vmm_inject_decision *d);

/*
 * The PPR register (SDM vol. 3A 10.8.3.1): TPR if TPR[7:4] >= ISRV[7:4],
 * else ISRV[7:4] << 4, ISRV being the highest in-service vector or 0.  An
 * interrupt class c is delivered only if c > PPR[7:4] (above_ppr).
 */
/*@ requires isr == \null || \valid_read(isr + (0 .. VMM_INJECT_WORDS - 1));
  @ requires out_ppr == \null || \valid(out_ppr);
  @ requires isr != \null && out_ppr != \null ==>
  @   \separated(isr + (0 .. VMM_INJECT_WORDS - 1), out_ppr);
  @
  @ assigns *out_ppr;
  @
  @ ensures isr == \null || out_ppr == \null <==>
  @   \result == VMM_INJECT_ERR_NULL;
  @ ensures \result == VMM_INJECT_OK || \result == VMM_INJECT_ERR_NULL;
  @ ensures \result == VMM_INJECT_OK ==> ppr_is(isr, tpr, *out_ppr);
  @ ensures \result == VMM_INJECT_OK ==>
  @   \forall integer c; above_ppr(isr, tpr, c) <==> c > vec_class(*out_ppr);
  @ ensures \result != VMM_INJECT_OK && out_ppr != \null ==>
  @   *out_ppr == \old(*out_ppr);
  @*/
enum vmm_inject_err vmm_inject_ppr(const vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u8 tpr, vmm_u8 *out_ppr);

/*
 * The guest accepted LAPIC vector @vector (the module injected it): move it
 * from IRR to ISR (SDM vol. 3A 10.8.4).  Every other bit of both registers
 * stays.  On failure neither register changes.
 */
/*@ requires irr == \null || \valid(irr + (0 .. VMM_INJECT_WORDS - 1));
  @ requires isr == \null || \valid(isr + (0 .. VMM_INJECT_WORDS - 1));
  @ requires irr != \null && isr != \null ==>
  @   \separated(irr + (0 .. VMM_INJECT_WORDS - 1),
  @              isr + (0 .. VMM_INJECT_WORDS - 1));
  @
  @ assigns irr[0 .. VMM_INJECT_WORDS - 1], isr[0 .. VMM_INJECT_WORDS - 1];
  @
  @ ensures irr == \null || isr == \null <==> \result == VMM_INJECT_ERR_NULL;
  @ ensures \result == VMM_INJECT_ERR_VECTOR <==>
  @   irr != \null && isr != \null &&
  @   (vector < VMM_INJECT_FIRST_VECTOR || vector >= VMM_INJECT_NR_VECTORS);
  @ ensures \result == VMM_INJECT_ERR_NOT_PENDING <==>
  @   irr != \null && isr != \null &&
  @   VMM_INJECT_FIRST_VECTOR <= vector < VMM_INJECT_NR_VECTORS &&
  @   !vec_in{Pre}(irr, vector);
  @ ensures \result == VMM_INJECT_OK || \result == VMM_INJECT_ERR_NULL ||
  @   \result == VMM_INJECT_ERR_VECTOR || \result == VMM_INJECT_ERR_NOT_PENDING;
  @ ensures \result == VMM_INJECT_OK ==>
  @   vec_in{Pre}(irr, vector) && !vec_in(irr, vector) &&
  @   vec_in(isr, vector) &&
  @   bitmap_unchanged{Pre, Post}(irr, vector) &&
  @   bitmap_unchanged{Pre, Post}(isr, vector);
  @ ensures \result != VMM_INJECT_OK && irr != \null ==>
  @   \forall integer i; 0 <= i < VMM_INJECT_WORDS ==> irr[i] == \old(irr[i]);
  @ ensures \result != VMM_INJECT_OK && isr != \null ==>
  @   \forall integer i; 0 <= i < VMM_INJECT_WORDS ==> isr[i] == \old(isr[i]);
  @*/
enum vmm_inject_err vmm_inject_ack(vmm_u64 irr[VMM_INJECT_WORDS],
				   vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u32 vector);

/*
 * EOI (SDM vol. 3A 10.8.5): clear the highest in-service vector and return
 * it in *out_vector (the module uses it for level-triggered EOI broadcast).
 * With nothing in service it is ISR_EMPTY and nothing is written (KVM's
 * apic_set_eoi() does nothing then).
 */
/*@ requires isr == \null || \valid(isr + (0 .. VMM_INJECT_WORDS - 1));
  @ requires out_vector == \null || \valid(out_vector);
  @ requires isr != \null && out_vector != \null ==>
  @   \separated(isr + (0 .. VMM_INJECT_WORDS - 1), out_vector);
  @
  @ assigns isr[0 .. VMM_INJECT_WORDS - 1], *out_vector;
  @
  @ ensures isr == \null || out_vector == \null <==>
  @   \result == VMM_INJECT_ERR_NULL;
  @ ensures \result == VMM_INJECT_ERR_ISR_EMPTY <==>
  @   isr != \null && out_vector != \null &&
  @   none_in{Pre}(isr, 0, VMM_INJECT_NR_VECTORS);
  @ ensures \result == VMM_INJECT_OK || \result == VMM_INJECT_ERR_NULL ||
  @   \result == VMM_INJECT_ERR_ISR_EMPTY;
  @ ensures \result == VMM_INJECT_OK ==>
  @   *out_vector < VMM_INJECT_NR_VECTORS &&
  @   vec_in{Pre}(isr, *out_vector) && none_above{Pre}(isr, *out_vector) &&
  @   !vec_in(isr, *out_vector) &&
  @   bitmap_unchanged{Pre, Post}(isr, *out_vector);
  @ ensures \result != VMM_INJECT_OK && isr != \null ==>
  @   \forall integer i; 0 <= i < VMM_INJECT_WORDS ==> isr[i] == \old(isr[i]);
  @ ensures \result != VMM_INJECT_OK && out_vector != \null ==>
  @   *out_vector == \old(*out_vector);
  @*/
enum vmm_inject_err vmm_inject_eoi(vmm_u64 isr[VMM_INJECT_WORDS],
				   vmm_u32 *out_vector);

#endif /* LIBVMM_INJECT_H */
