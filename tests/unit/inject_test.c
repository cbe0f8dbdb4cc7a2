// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 5 (interrupt-injection decision and
 * LAPIC IRR/ISR bookkeeping): NULL arguments, bad vectors, the precedence
 * of re-injection over NMI over ExtINT, every blocking reason, PPR masking
 * at class boundaries, the highest-vector choice across words, illegal
 * vectors 0-15, windows left armed, and IRR->ISR / EOI post-states.  Each
 * case checks exact values, and that a failed call wrote nothing.
 */
#include <string.h>

#include <libvmm/inject.h>

#include "tap.h"

/* Set vector @v in a 256-bit bitmap (test-side, independent code). */
static void vset(vmm_u64 bm[VMM_INJECT_WORDS], unsigned int v)
{
	bm[v >> 6] |= 1ULL << (v & 63U);
}

static int vtest(const vmm_u64 bm[VMM_INJECT_WORDS], unsigned int v)
{
	return (int)((bm[v >> 6] >> (v & 63U)) & 1ULL);
}

/* An interruptible vCPU with nothing pending. */
static struct vmm_inject_state idle(void)
{
	struct vmm_inject_state s;

	memset(&s, 0, sizeof(s));
	s.rflags_if = 1;
	return s;
}

/* decide() that must succeed; the decision is returned. */
static struct vmm_inject_decision decide(const struct vmm_inject_state *s)
{
	struct vmm_inject_decision d;

	memset(&d, 0xA5, sizeof(d));
	CHECK_EQ(vmm_inject_decide(s, &d), VMM_INJECT_OK);
	return d;
}

static void check_decision(const struct vmm_inject_decision *d,
			   enum vmm_inject_kind kind, vmm_u32 vector,
			   enum vmm_inject_source source, int irq_window,
			   int nmi_window)
{
	CHECK_EQ(d->kind, kind);
	CHECK_EQ(d->vector, vector);
	CHECK_EQ(d->source, source);
	CHECK_EQ(d->irq_window != 0, irq_window);
	CHECK_EQ(d->nmi_window != 0, nmi_window);
}

static void decide_null(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	memset(&d, 0x5A, sizeof(d));
	CHECK_EQ(vmm_inject_decide(VMM_NULL, &d), VMM_INJECT_ERR_NULL);
	CHECK_EQ(d.kind, 0x5A5A5A5AU);
	CHECK_EQ(vmm_inject_decide(&s, VMM_NULL), VMM_INJECT_ERR_NULL);
	CHECK_EQ(vmm_inject_decide(VMM_NULL, VMM_NULL), VMM_INJECT_ERR_NULL);
}

static void decide_user_vector_range(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d, before;

	memset(&d, 0x5A, sizeof(d));
	before = d;
	s.user_irq_pending = 1;
	s.user_vector = 256U;
	CHECK_EQ(vmm_inject_decide(&s, &d), VMM_INJECT_ERR_USER_VECTOR);
	CHECK(memcmp(&d, &before, sizeof(d)) == 0);
	s.user_vector = 0xFFFFFFFFU;
	CHECK_EQ(vmm_inject_decide(&s, &d), VMM_INJECT_ERR_USER_VECTOR);
	/* Not pending: the stale vector is not looked at. */
	s.user_irq_pending = 0;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	/* 255 and 0 are fine (KVM rejects only >= 256). */
	s.user_irq_pending = 1;
	s.user_vector = 255U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 255U, VMM_INJECT_SRC_USER,
		       0, 0);
	s.user_vector = 0U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0U, VMM_INJECT_SRC_USER,
		       0, 0);
}

static void decide_nothing(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d = decide(&s);

	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	CHECK_EQ(d.illegal_irr, 0);
	/* Blocked, but nothing pending: still nothing. */
	s.rflags_if = 0;
	s.nmi_blocked = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
}

static void decide_lapic_highest(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	vset(s.irr, 0x20U);
	vset(s.irr, 0x41U);
	vset(s.irr, 0x3FU);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x41U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
	/* Across words: 255 (word 3, bit 63) wins. */
	vset(s.irr, 255U);
	d = decide(&s);
	CHECK_EQ(d.vector, 255U);
	/* Word boundaries 63/64, 127/128. */
	s = idle();
	vset(s.irr, 63U);
	d = decide(&s);
	CHECK_EQ(d.vector, 63U);
	vset(s.irr, 64U);
	d = decide(&s);
	CHECK_EQ(d.vector, 64U);
	s = idle();
	vset(s.irr, 127U);
	vset(s.irr, 128U);
	d = decide(&s);
	CHECK_EQ(d.vector, 128U);
	/* Lowest legal vector. */
	s = idle();
	vset(s.irr, 16U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 16U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
	CHECK_EQ(d.illegal_irr, 0);
}

static void decide_illegal_vectors(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	vset(s.irr, 15U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	CHECK_EQ(d.illegal_irr, 1);
	s = idle();
	vset(s.irr, 0U);
	vset(s.irr, 0x30U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x30U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
	CHECK_EQ(d.illegal_irr, 1);
}

static void decide_ppr(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	vset(s.irr, 0x5FU);
	/* TPR class 5 masks class 5 (needs strictly greater). */
	s.tpr = 0x50U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	/* TPR class 4 (sub-class ignored) lets it through. */
	s.tpr = 0x4FU;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x5FU,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
	/* ISR class 5 in service masks it too, whatever TPR says. */
	s.tpr = 0U;
	vset(s.isr, 0x50U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	/* A class-6 arrival beats the class-5 one in service. */
	vset(s.irr, 0x60U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x60U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
	/* TPR 0xFF masks everything from the LAPIC... */
	s.tpr = 0xFFU;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_NONE, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	/* ...but not the userspace ExtINT, which bypasses the PPR. */
	s.user_irq_pending = 1;
	s.user_vector = 0x21U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x21U, VMM_INJECT_SRC_USER,
		       0, 0);
}

static void decide_irq_blocked(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	vset(s.irr, 0x80U);
	s.rflags_if = 0;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	s.rflags_if = 1;
	s.sti_blocking = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	s.sti_blocking = 0;
	s.movss_blocking = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	/* Userspace vector, blocked. */
	s = idle();
	s.rflags_if = 0;
	s.user_irq_pending = 1;
	s.user_vector = 0x20U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	/* NMI blocking alone does not block maskable interrupts. */
	s = idle();
	s.nmi_blocked = 1;
	vset(s.irr, 0x80U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x80U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
}

static void decide_nmi(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	s.nmi_pending = 1;
	vset(s.irr, 0x80U);
	/* NMI goes before the interrupt, which keeps its window. */
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_NMI, 0U, VMM_INJECT_SRC_NONE, 1,
		       0);
	/* NMI goes even with IF = 0. */
	s.rflags_if = 0;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_NMI, 0U, VMM_INJECT_SRC_NONE, 1,
		       0);
	/* Each NMI mask opens the NMI window. */
	s.nmi_blocked = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_NMI_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 1);
	s.nmi_blocked = 0;
	s.sti_blocking = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_NMI_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 1);
	s.sti_blocking = 0;
	s.movss_blocking = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_NMI_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 1);
	/* Blocked NMI, nothing else: only the NMI window. */
	s = idle();
	s.nmi_pending = 1;
	s.nmi_blocked = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_NMI_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       0, 1);
}

static void decide_reinject(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	s.event_pending = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_REINJECT, 0U, VMM_INJECT_SRC_NONE, 0, 0);
	/* Before NMI and interrupts, which keep their windows. */
	s.nmi_pending = 1;
	vset(s.irr, 0x90U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_REINJECT, 0U, VMM_INJECT_SRC_NONE, 1, 1);
	/* Blocking does not apply to the re-injection. */
	s.rflags_if = 0;
	s.nmi_blocked = 1;
	s.movss_blocking = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_REINJECT, 0U, VMM_INJECT_SRC_NONE, 1, 1);
}

static void decide_user_and_window(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;

	/* Userspace PIC vector first; the LAPIC one keeps the window. */
	s.user_irq_pending = 1;
	s.user_vector = 0x30U;
	vset(s.irr, 0xF0U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x30U, VMM_INJECT_SRC_USER,
		       1, 0);
	/* Window request alone, interruptible: open it (exits at once). */
	s = idle();
	s.user_window_request = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	/* Window request with a LAPIC vector: inject, keep the window. */
	vset(s.irr, 0x40U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x40U,
		       VMM_INJECT_SRC_LAPIC, 1, 0);
	/* Window request, masked LAPIC vector only. */
	s.tpr = 0xF0U;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_OPEN_IRQ_WINDOW, 0U, VMM_INJECT_SRC_NONE,
		       1, 0);
	/* User vector plus window request. */
	s = idle();
	s.user_irq_pending = 1;
	s.user_vector = 0x22U;
	s.user_window_request = 1;
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x22U, VMM_INJECT_SRC_USER,
		       1, 0);
}

static void ppr_values(void)
{
	vmm_u64 isr[VMM_INJECT_WORDS] = { 0 };
	vmm_u8 ppr = 0xEEU;

	CHECK_EQ(vmm_inject_ppr(VMM_NULL, 0U, &ppr), VMM_INJECT_ERR_NULL);
	CHECK_EQ(ppr, 0xEEU);
	CHECK_EQ(vmm_inject_ppr(isr, 0U, VMM_NULL), VMM_INJECT_ERR_NULL);
	/* Empty ISR: PPR = TPR. */
	CHECK_EQ(vmm_inject_ppr(isr, 0x37U, &ppr), VMM_INJECT_OK);
	CHECK_EQ(ppr, 0x37U);
	/* ISRV class above TPR class: ISRV[7:4] << 4. */
	vset(isr, 0x4AU);
	CHECK_EQ(vmm_inject_ppr(isr, 0x37U, &ppr), VMM_INJECT_OK);
	CHECK_EQ(ppr, 0x40U);
	/* Equal classes: TPR (KVM's choice; SDM: model-specific). */
	CHECK_EQ(vmm_inject_ppr(isr, 0x45U, &ppr), VMM_INJECT_OK);
	CHECK_EQ(ppr, 0x45U);
	/* Highest ISR bit counts, in the top word. */
	vset(isr, 0xFEU);
	CHECK_EQ(vmm_inject_ppr(isr, 0x45U, &ppr), VMM_INJECT_OK);
	CHECK_EQ(ppr, 0xF0U);
}

static void ack_moves_vector(void)
{
	vmm_u64 irr[VMM_INJECT_WORDS] = { 0 };
	vmm_u64 isr[VMM_INJECT_WORDS] = { 0 };
	vmm_u64 want_irr[VMM_INJECT_WORDS] = { 0 };
	vmm_u64 want_isr[VMM_INJECT_WORDS] = { 0 };
	unsigned int v;

	for (v = 16U; v < 256U; v += 7U) {
		vset(irr, v);
	}
	vset(irr, 255U);
	vset(isr, 0x20U);
	memcpy(want_irr, irr, sizeof(irr));
	memcpy(want_isr, isr, sizeof(isr));
	want_irr[255U >> 6] &= ~(1ULL << (255U & 63U));
	vset(want_isr, 255U);
	CHECK_EQ(vmm_inject_ack(irr, isr, 255U), VMM_INJECT_OK);
	CHECK(memcmp(irr, want_irr, sizeof(irr)) == 0);
	CHECK(memcmp(isr, want_isr, sizeof(isr)) == 0);
	CHECK_EQ(vtest(irr, 255U), 0);
	CHECK_EQ(vtest(isr, 255U), 1);
	/* Bit 0 of word 1. */
	vset(irr, 64U);
	CHECK_EQ(vmm_inject_ack(irr, isr, 64U), VMM_INJECT_OK);
	CHECK_EQ(vtest(irr, 64U), 0);
	CHECK_EQ(vtest(isr, 64U), 1);
	CHECK_EQ(vtest(irr, 65U), 1); /* 16 + 7 * 7 */
	CHECK_EQ(vtest(irr, 66U), 0);
	CHECK_EQ(vtest(irr, 72U), 1); /* 16 + 7 * 8 */
	/* Lowest legal vector. */
	vset(irr, 16U);
	CHECK_EQ(vmm_inject_ack(irr, isr, 16U), VMM_INJECT_OK);
	CHECK_EQ(vtest(isr, 16U), 1);
	CHECK_EQ(vtest(irr, 16U), 0);
}

static void ack_rejects(void)
{
	vmm_u64 irr[VMM_INJECT_WORDS] = { 0 };
	vmm_u64 isr[VMM_INJECT_WORDS] = { 0 };
	vmm_u64 irr0[VMM_INJECT_WORDS], isr0[VMM_INJECT_WORDS];

	vset(irr, 15U);
	vset(irr, 0x30U);
	memcpy(irr0, irr, sizeof(irr));
	memcpy(isr0, isr, sizeof(isr));
	CHECK_EQ(vmm_inject_ack(VMM_NULL, isr, 0x30U), VMM_INJECT_ERR_NULL);
	CHECK_EQ(vmm_inject_ack(irr, VMM_NULL, 0x30U), VMM_INJECT_ERR_NULL);
	CHECK_EQ(vmm_inject_ack(irr, isr, 15U), VMM_INJECT_ERR_VECTOR);
	CHECK_EQ(vmm_inject_ack(irr, isr, 256U), VMM_INJECT_ERR_VECTOR);
	CHECK_EQ(vmm_inject_ack(irr, isr, 0xFFFFFFFFU), VMM_INJECT_ERR_VECTOR);
	CHECK_EQ(vmm_inject_ack(irr, isr, 0x31U), VMM_INJECT_ERR_NOT_PENDING);
	CHECK(memcmp(irr, irr0, sizeof(irr)) == 0);
	CHECK(memcmp(isr, isr0, sizeof(isr)) == 0);
}

static void eoi_clears_highest(void)
{
	vmm_u64 isr[VMM_INJECT_WORDS] = { 0 };
	vmm_u32 v = 0xDEADU;

	vset(isr, 0x20U);
	vset(isr, 0x80U);
	vset(isr, 0x7FU);
	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 0x80U);
	CHECK_EQ(isr[0], 1ULL << 0x20U);
	CHECK_EQ(isr[1], 1ULL << 63U);
	CHECK_EQ(isr[2], 0ULL);
	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 0x7FU);
	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 0x20U);
	CHECK_EQ(isr[0] | isr[1] | isr[2] | isr[3], 0ULL);
	/* Vector 255 and vector 0 (never legal, but EOI still clears it). */
	vset(isr, 255U);
	vset(isr, 0U);
	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 255U);
	CHECK_EQ(isr[3], 0ULL);
	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 0U);
	CHECK_EQ(isr[0], 0ULL);
}

static void eoi_rejects(void)
{
	vmm_u64 isr[VMM_INJECT_WORDS] = { 0 };
	vmm_u32 v = 0xDEADU;

	CHECK_EQ(vmm_inject_eoi(isr, &v), VMM_INJECT_ERR_ISR_EMPTY);
	CHECK_EQ(v, 0xDEADU);
	CHECK_EQ(vmm_inject_eoi(VMM_NULL, &v), VMM_INJECT_ERR_NULL);
	CHECK_EQ(vmm_inject_eoi(isr, VMM_NULL), VMM_INJECT_ERR_NULL);
	CHECK_EQ(v, 0xDEADU);
}

/* Decide, then act as the module would: ack, then EOI re-opens class. */
static void decide_ack_eoi_cycle(void)
{
	struct vmm_inject_state s = idle();
	struct vmm_inject_decision d;
	vmm_u32 v = 0U;

	vset(s.irr, 0x51U);
	vset(s.irr, 0x52U);
	d = decide(&s);
	CHECK_EQ(d.vector, 0x52U);
	CHECK_EQ(vmm_inject_ack(s.irr, s.isr, d.vector), VMM_INJECT_OK);
	/* 0x51 is the same class as 0x52 in service: masked. */
	d = decide(&s);
	CHECK_EQ(d.kind, VMM_INJECT_NONE);
	CHECK_EQ(vmm_inject_eoi(s.isr, &v), VMM_INJECT_OK);
	CHECK_EQ(v, 0x52U);
	d = decide(&s);
	check_decision(&d, VMM_INJECT_INJECT_EXTINT, 0x51U,
		       VMM_INJECT_SRC_LAPIC, 0, 0);
}

static const struct tap_case cases[] = {
	TAP_CASE(decide_null),
	TAP_CASE(decide_user_vector_range),
	TAP_CASE(decide_nothing),
	TAP_CASE(decide_lapic_highest),
	TAP_CASE(decide_illegal_vectors),
	TAP_CASE(decide_ppr),
	TAP_CASE(decide_irq_blocked),
	TAP_CASE(decide_nmi),
	TAP_CASE(decide_reinject),
	TAP_CASE(decide_user_and_window),
	TAP_CASE(ppr_values),
	TAP_CASE(ack_moves_vector),
	TAP_CASE(ack_rejects),
	TAP_CASE(eoi_clears_highest),
	TAP_CASE(eoi_rejects),
	TAP_CASE(decide_ack_eoi_cycle),
};

int main(void)
{
	return tap_run("unit/inject", cases, TAP_COUNT(cases));
}
