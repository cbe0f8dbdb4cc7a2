// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 15: the in-kernel LAPIC's decisions.
 * The state after RESET; what each offset reads (plain registers, the
 * ones the module reads for it, reserved and unaligned ones); each
 * register write's masks and effects (SVR software disable masking every
 * LVT, LVT writable bits, the TSC-deadline mode only with the CPUID bit,
 * ESR write-then-read, timer stop/start); the timer arithmetic (divisor,
 * the largest count without overflow, the 200 us periodic minimum, the
 * current count before and after the deadline); acceptance; ICR
 * decoding; destination matching (shorthands, physical, flat, cluster,
 * broadcast); delivery modes; NULL everywhere the contracts allow it.
 */
#include <string.h>

#include <libvmm/lapic.h>

#include "tap.h"

static struct vmm_lapic_regs r;

static vmm_u32 rd(vmm_u32 off)
{
	vmm_u32 v = 0xDEADBEEFU;

	CHECK_EQ(vmm_lapic_read(&r, off, &v), VMM_LAPIC_READ_VALUE);
	return v;
}

static void reset(void)
{
	unsigned int i;

	memset(&r, 0xA5, sizeof(r));
	vmm_lapic_reset(&r, 3);
	CHECK_EQ(r.id, 3U << 24);
	CHECK_EQ(r.dfr, 0xFFFFFFFFU);
	CHECK_EQ(r.svr, 0xFFU);
	CHECK_EQ(r.tpr | r.ldr | r.esr | r.esr_pending | r.icr_lo | r.icr_hi |
		 r.tmict | r.tdcr, 0);
	for (i = 0; i < VMM_LAPIC_LVT_NUM; i++)
		CHECK_EQ(r.lvt[i], VMM_LAPIC_LVT_MASKED);
	/* Only the low 8 bits of the id are an xAPIC ID. */
	vmm_lapic_reset(&r, 0x1FF);
	CHECK_EQ(r.id, 0xFF000000U);
	vmm_lapic_reset(NULL, 0);	/* no crash */
	vmm_lapic_reset(&r, 0);
}

static void reads(void)
{
	vmm_u32 v = 0;
	vmm_u32 off;

	vmm_lapic_reset(&r, 2);
	CHECK_EQ(rd(VMM_LAPIC_ID), 2U << 24);
	CHECK_EQ(rd(VMM_LAPIC_LVR), 0x50014U);	/* KVM's: 0x14, 6 LVTs */
	CHECK_EQ(rd(VMM_LAPIC_DFR), 0xFFFFFFFFU);
	CHECK_EQ(rd(VMM_LAPIC_SVR), 0xFFU);
	for (off = VMM_LAPIC_LVTT; off <= VMM_LAPIC_LVTERR; off += 16)
		CHECK_EQ(rd(off), VMM_LAPIC_LVT_MASKED);
	/* ICR: delivery status always reads idle. */
	r.icr_lo = 0x1234 | VMM_LAPIC_ICR_BUSY;
	CHECK_EQ(rd(VMM_LAPIC_ICR), 0x0234);
	r.icr_hi = 0x5000000;
	CHECK_EQ(rd(VMM_LAPIC_ICR2), 0x5000000);
	r.tmict = 77;
	r.tdcr = 0xB;
	CHECK_EQ(rd(VMM_LAPIC_TMICT), 77);
	CHECK_EQ(rd(VMM_LAPIC_TDCR), 0xB);
	/* APR, EOI, RRR, CMCI, reserved, beyond the page: 0. */
	CHECK_EQ(rd(0x90), 0);
	CHECK_EQ(rd(VMM_LAPIC_EOI), 0);
	CHECK_EQ(rd(0xC0), 0);
	CHECK_EQ(rd(0x2F0), 0);
	CHECK_EQ(rd(0x3F0), 0);
	CHECK_EQ(rd(0x1000), 0);
	/* Unaligned (the module refuses them first): 0, never a register. */
	CHECK_EQ(rd(VMM_LAPIC_ID + 4), 0);
	CHECK_EQ(rd(VMM_LAPIC_ISR + 8), 0);
	/* What the module reads itself. */
	CHECK_EQ(vmm_lapic_read(&r, VMM_LAPIC_PPR, &v), VMM_LAPIC_READ_PPR);
	CHECK_EQ(vmm_lapic_read(&r, VMM_LAPIC_TMCCT, &v),
		 VMM_LAPIC_READ_TMCCT);
	CHECK_EQ(vmm_lapic_read(&r, 0x100, &v), VMM_LAPIC_READ_ISR);
	CHECK_EQ(v, 0);
	CHECK_EQ(vmm_lapic_read(&r, 0x170, &v), VMM_LAPIC_READ_ISR);
	CHECK_EQ(v, 7);
	CHECK_EQ(vmm_lapic_read(&r, 0x1A0, &v), VMM_LAPIC_READ_TMR);
	CHECK_EQ(v, 2);
	CHECK_EQ(vmm_lapic_read(&r, 0x270, &v), VMM_LAPIC_READ_IRR);
	CHECK_EQ(v, 7);
	CHECK_EQ(vmm_lapic_read(NULL, VMM_LAPIC_ID, &v),
		 VMM_LAPIC_READ_ERR_NULL);
}

static vmm_u32 wr(vmm_u32 off, vmm_u32 v, vmm_bool tsc)
{
	return vmm_lapic_write(&r, off, v, tsc);
}

static void writes(void)
{
	struct vmm_lapic_regs before;

	vmm_lapic_reset(&r, 1);
	CHECK_EQ(wr(VMM_LAPIC_ID, 0xFFFFFFFFU, 0), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(r.id, 0xFF000000U);
	wr(VMM_LAPIC_TPR, 0x1FF, 0);
	CHECK_EQ(r.tpr, 0xFF);
	wr(VMM_LAPIC_LDR, 0x12345678, 0);
	CHECK_EQ(r.ldr, 0x12000000);
	wr(VMM_LAPIC_DFR, 0, 0);
	CHECK_EQ(r.dfr, 0x0FFFFFFF);	/* cluster model */
	wr(VMM_LAPIC_ICR2, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.icr_hi, 0xFF000000U);
	CHECK_EQ(wr(VMM_LAPIC_ICR, 0xFFFFFFFFU, 0), VMM_LAPIC_WRITE_IPI);
	CHECK_EQ(r.icr_lo, 0xFFFFEFFFU);
	CHECK_EQ(wr(VMM_LAPIC_EOI, 0, 0), VMM_LAPIC_WRITE_EOI);
	wr(VMM_LAPIC_TDCR, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.tdcr, 0xB);
	/* ESR: a write latches the pending errors and clears them. */
	r.esr_pending = VMM_LAPIC_ESR_RECVILL;
	CHECK_EQ(rd(VMM_LAPIC_ESR), 0);
	wr(VMM_LAPIC_ESR, 0xFFFF, 0);
	CHECK_EQ(rd(VMM_LAPIC_ESR), VMM_LAPIC_ESR_RECVILL);
	CHECK_EQ(r.esr_pending, 0);
	wr(VMM_LAPIC_ESR, 0, 0);
	CHECK_EQ(rd(VMM_LAPIC_ESR), 0);
	/* Read-only, reserved and unaligned: nothing changes. */
	before = r;
	CHECK_EQ(wr(VMM_LAPIC_LVR, 0xFFFFFFFFU, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(VMM_LAPIC_PPR, 0xFF, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(VMM_LAPIC_TMCCT, 5, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(0x100, 5, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(0x3F0, 5, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(VMM_LAPIC_ICR + 4, 5, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(wr(VMM_LAPIC_EOI + 8, 5, 1), VMM_LAPIC_WRITE_DONE);
	CHECK(!memcmp(&r, &before, sizeof(r)));
	CHECK_EQ(vmm_lapic_write(NULL, VMM_LAPIC_ID, 0, 0),
		 VMM_LAPIC_WRITE_ERR_NULL);
}

static void svr_lvt(void)
{
	unsigned int i;

	vmm_lapic_reset(&r, 0);
	/* Software-disabled: an LVT write keeps the mask. */
	wr(VMM_LAPIC_LVTT + 0x30, 0x20, 0);	/* LINT0 */
	CHECK_EQ(r.lvt[VMM_LAPIC_LVT_LINT0], 0x20 | VMM_LAPIC_LVT_MASKED);
	/* Enabled: each LVT's writable bits. */
	wr(VMM_LAPIC_SVR, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.svr, 0x3FF);
	wr(VMM_LAPIC_LVTT, 0xFFFFFFFFU & ~VMM_LAPIC_LVT_TSC_BIT, 0);
	CHECK_EQ(r.lvt[0], 0x300FF);	/* periodic, masked, vector */
	wr(VMM_LAPIC_LVTT + 0x10, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.lvt[1], 0x107FF);
	wr(VMM_LAPIC_LVTT + 0x20, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.lvt[2], 0x107FF);
	wr(VMM_LAPIC_LVTT + 0x30, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.lvt[3], 0x1A7FF);
	wr(VMM_LAPIC_LVTT + 0x40, 0x0000A720, 0);
	CHECK_EQ(r.lvt[4], 0xA720);
	wr(VMM_LAPIC_LVTERR, 0xFFFFFFFFU, 0);
	CHECK_EQ(r.lvt[5], 0x100FF);
	wr(VMM_LAPIC_LVTERR, 0x33, 0);
	CHECK_EQ(r.lvt[5], 0x33);
	/* Software disable masks every LVT, keeping the rest. */
	wr(VMM_LAPIC_SVR, 0xFF, 0);
	CHECK_EQ(r.svr, 0xFF);
	CHECK_EQ(r.lvt[4], 0xA720 | VMM_LAPIC_LVT_MASKED);
	CHECK_EQ(r.lvt[5], 0x33 | VMM_LAPIC_LVT_MASKED);
	for (i = 0; i < VMM_LAPIC_LVT_NUM; i++)
		CHECK(r.lvt[i] & VMM_LAPIC_LVT_MASKED);
	/* Enabling again unmasks nothing. */
	wr(VMM_LAPIC_SVR, 0x1FF, 0);
	CHECK_EQ(r.lvt[5], 0x33 | VMM_LAPIC_LVT_MASKED);
}

static void timer_modes(void)
{
	vmm_lapic_reset(&r, 0);
	wr(VMM_LAPIC_SVR, 0x1FF, 0);
	/* TSC deadline without the CPUID bit: one-shot; with it: mode 2. */
	CHECK_EQ(wr(VMM_LAPIC_LVTT, 0x40030, 0), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(vmm_lapic_timer_mode(r.lvt[0]), VMM_LAPIC_TIMER_ONESHOT);
	CHECK_EQ(r.lvt[0], 0x30);
	r.tmict = 9;
	CHECK_EQ(wr(VMM_LAPIC_LVTT, 0x40030, 1), VMM_LAPIC_WRITE_TIMER_STOP);
	CHECK_EQ(vmm_lapic_timer_mode(r.lvt[0]),
		 VMM_LAPIC_TIMER_TSC_DEADLINE);
	CHECK_EQ(r.tmict, 0);
	/* TSC-deadline mode ignores TMICT. */
	CHECK_EQ(wr(VMM_LAPIC_TMICT, 1000, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(r.tmict, 0);
	/* Reserved mode 3 reads back as periodic. */
	CHECK_EQ(wr(VMM_LAPIC_LVTT, 0x60030, 1), VMM_LAPIC_WRITE_TIMER_STOP);
	CHECK_EQ(vmm_lapic_timer_mode(r.lvt[0]), VMM_LAPIC_TIMER_PERIODIC);
	/* Same mode again: the timer runs on. */
	CHECK_EQ(wr(VMM_LAPIC_TMICT, 1000, 1), VMM_LAPIC_WRITE_TIMER_START);
	CHECK_EQ(r.tmict, 1000);
	CHECK_EQ(wr(VMM_LAPIC_LVTT, 0x20031, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(r.tmict, 1000);
	/* Other LVTs never stop the timer. */
	CHECK_EQ(wr(VMM_LAPIC_LVTERR, 0, 1), VMM_LAPIC_WRITE_DONE);
	CHECK_EQ(r.tmict, 1000);
}

static void divisor(void)
{
	static const vmm_u32 want[16] = {
		2, 4, 8, 16, 2, 4, 8, 16, 32, 64, 128, 1, 32, 64, 128, 1,
	};
	unsigned int i;

	for (i = 0; i < 16; i++)
		CHECK_EQ(vmm_lapic_timer_divisor(i), want[i]);
	CHECK_EQ(vmm_lapic_timer_divisor(0xFFFFFFF4U), 2);
}

static void start(void)
{
	vmm_u64 ns = 1, period = 1;

	vmm_lapic_reset(&r, 0);
	/* TMICT 0: stays stopped. */
	CHECK(!vmm_lapic_timer_start(&r, &ns, &period));
	CHECK_EQ(ns, 0);
	CHECK_EQ(period, 0);
	CHECK(!vmm_lapic_timer_start(NULL, &ns, &period));
	/* One-shot: N * D ns, even below the periodic minimum. */
	r.tmict = 10;
	r.tdcr = 0;
	CHECK(vmm_lapic_timer_start(&r, &ns, &period));
	CHECK_EQ(ns, 20);
	CHECK_EQ(period, 0);
	/* The largest count at the largest divisor: no overflow. */
	r.tmict = 0xFFFFFFFFU;
	r.tdcr = 0xA;
	CHECK(vmm_lapic_timer_start(&r, &ns, &period));
	CHECK_EQ(ns, 0xFFFFFFFFULL * 128);
	CHECK_EQ(ns, VMM_LAPIC_MAX_NS);
	/* Periodic: at least 200 us. */
	r.lvt[0] = 0x20030;
	r.tmict = 1;
	r.tdcr = 0xB;
	CHECK(vmm_lapic_timer_start(&r, &ns, &period));
	CHECK_EQ(ns, 200000);
	CHECK_EQ(period, 200000);
	r.tmict = 100001;
	r.tdcr = 0;
	CHECK(vmm_lapic_timer_start(&r, &ns, &period));
	CHECK_EQ(ns, 200002);
	CHECK_EQ(period, 200002);
}

static void current(void)
{
	vmm_lapic_reset(&r, 0);
	r.tmict = 1000;
	r.tdcr = 0;	/* divide by 2 */
	/* Not armed, or TSC deadline: 0. */
	CHECK_EQ(vmm_lapic_timer_current(&r, 0, 0, 5000, 0), 0);
	CHECK_EQ(vmm_lapic_timer_current(NULL, 1, 0, 5000, 0), 0);
	r.lvt[0] = 0x40000;
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 0, 5000, 0), 0);
	/* One-shot: ns left / divisor, never above TMICT. */
	r.lvt[0] = 0;
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1000, 1500, 0), 250);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 0, 1000000, 0), 1000);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1500, 1500, 0), 0);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1600, 1500, 0), 0);
	/* Periodic past its deadline: the next period's count. */
	r.lvt[0] = 0x20000;
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1500, 1500, 2000), 1000);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1600, 1500, 2000), 950);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 5600, 1500, 2000), 950);
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, ~0ULL, 0, 2000),
		 (2000 - (~0ULL % 2000)) / 2);
	/* Periodic with no period yet: 0 after the deadline. */
	CHECK_EQ(vmm_lapic_timer_current(&r, 1, 1600, 1500, 0), 0);
}

static void expiry_accept(void)
{
	CHECK(vmm_lapic_timer_fires(0x30));
	CHECK(vmm_lapic_timer_fires(0x10));
	CHECK(!vmm_lapic_timer_fires(0x0F));	/* illegal vector */
	CHECK(!vmm_lapic_timer_fires(0x10030));	/* masked */
	CHECK_EQ(vmm_lapic_timer_expiry(0x20030, 200000),
		 VMM_LAPIC_EXPIRY_RELOAD);
	CHECK_EQ(vmm_lapic_timer_expiry(0x20030, 0), VMM_LAPIC_EXPIRY_STOP);
	CHECK_EQ(vmm_lapic_timer_expiry(0x30, 200000), VMM_LAPIC_EXPIRY_STOP);
	CHECK_EQ(vmm_lapic_timer_expiry(0x40030, 5),
		 VMM_LAPIC_EXPIRY_STOP_TSC);
	CHECK_EQ(vmm_lapic_accept(0x1FF, 0x30), VMM_LAPIC_ACCEPT);
	CHECK_EQ(vmm_lapic_accept(0x1FF, 16), VMM_LAPIC_ACCEPT);
	CHECK_EQ(vmm_lapic_accept(0x1FF, 15), VMM_LAPIC_ACCEPT_ILLEGAL);
	CHECK_EQ(vmm_lapic_accept(0xFF, 15), VMM_LAPIC_ACCEPT_ILLEGAL);
	CHECK_EQ(vmm_lapic_accept(0xFF, 0x30), VMM_LAPIC_ACCEPT_DISABLED);
}

static void decode(void)
{
	struct vmm_lapic_msg m;

	memset(&m, 0xA5, sizeof(m));
	/* Fixed, logical, level, assert, all-but-self, vector 0x41. */
	vmm_lapic_icr_decode(0x000CC841, 0x03FFFFFF, &m);
	CHECK_EQ(m.shorthand, VMM_LAPIC_SH_OTHERS);
	CHECK_EQ(m.dest, 3);
	CHECK_EQ(m.mode, VMM_LAPIC_DM_FIXED);
	CHECK_EQ(m.vector, 0x41);
	CHECK_EQ(m.logical, 1);
	CHECK_EQ(m.level, 1);
	CHECK_EQ(m.assert, 1);
	vmm_lapic_icr_decode(0x00000608, 0x01000000, &m);	/* SIPI */
	CHECK_EQ(m.shorthand, VMM_LAPIC_SH_NONE);
	CHECK_EQ(m.mode, VMM_LAPIC_DM_SIPI);
	CHECK_EQ(m.vector, 8);
	CHECK_EQ(m.logical | m.level | m.assert, 0);
	vmm_lapic_icr_decode(0, 0, NULL);	/* no crash */
}

static struct vmm_lapic_msg msg(vmm_u32 sh, vmm_u32 dest, vmm_bool logical)
{
	struct vmm_lapic_msg m = {
		.shorthand = sh, .dest = dest, .logical = logical,
	};

	return m;
}

#define FLAT 0xFFFFFFFFU
#define CLUSTER 0x0FFFFFFFU

static void targets(void)
{
	struct vmm_lapic_msg m;

	/* Shorthands. */
	m = msg(VMM_LAPIC_SH_SELF, 7, 0);
	CHECK(vmm_lapic_targets(&m, 1, 0, 0, FLAT));
	CHECK(!vmm_lapic_targets(&m, 0, 7U << 24, 0, FLAT));
	m = msg(VMM_LAPIC_SH_ALL, 7, 0);
	CHECK(vmm_lapic_targets(&m, 1, 0, 0, FLAT));
	CHECK(vmm_lapic_targets(&m, 0, 0, 0, FLAT));
	m = msg(VMM_LAPIC_SH_OTHERS, 7, 0);
	CHECK(!vmm_lapic_targets(&m, 1, 0, 0, FLAT));
	CHECK(vmm_lapic_targets(&m, 0, 0, 0, FLAT));
	/* Physical: the APIC ID; 0xFF broadcasts. */
	m = msg(VMM_LAPIC_SH_NONE, 2, 0);
	CHECK(vmm_lapic_targets(&m, 0, 2U << 24, 0, FLAT));
	CHECK(vmm_lapic_targets(&m, 1, 2U << 24, 0, FLAT));
	CHECK(!vmm_lapic_targets(&m, 0, 3U << 24, 2U << 24, FLAT));
	m = msg(VMM_LAPIC_SH_NONE, 0xFF, 0);
	CHECK(vmm_lapic_targets(&m, 0, 3U << 24, 0, FLAT));
	/* Logical flat: any common LDR bit. */
	m = msg(VMM_LAPIC_SH_NONE, 0x06, 1);
	CHECK(vmm_lapic_targets(&m, 0, 0, 0x04U << 24, FLAT));
	CHECK(!vmm_lapic_targets(&m, 0, 6U << 24, 0x08U << 24, FLAT));
	CHECK(!vmm_lapic_targets(&m, 0, 0, 0, FLAT));
	m = msg(VMM_LAPIC_SH_NONE, 0xFF, 1);
	CHECK(vmm_lapic_targets(&m, 0, 0, 0, FLAT));
	/* Logical cluster: same cluster, a common member bit. */
	m = msg(VMM_LAPIC_SH_NONE, 0x23, 1);
	CHECK(vmm_lapic_targets(&m, 0, 0, 0x21U << 24, CLUSTER));
	CHECK(!vmm_lapic_targets(&m, 0, 0, 0x11U << 24, CLUSTER));
	CHECK(!vmm_lapic_targets(&m, 0, 0, 0x24U << 24, CLUSTER));
	/* The same LDR in the flat model matches on bit 0x20. */
	CHECK(vmm_lapic_targets(&m, 0, 0, 0x24U << 24, FLAT));
	CHECK(!vmm_lapic_targets(NULL, 1, 0, 0, FLAT));
}

static void delivery(void)
{
	struct vmm_lapic_msg m = msg(VMM_LAPIC_SH_NONE, 0, 0);

	m.mode = VMM_LAPIC_DM_FIXED;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_FIXED);
	m.mode = VMM_LAPIC_DM_LOWEST;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_LOWEST);
	m.mode = VMM_LAPIC_DM_INIT;
	m.level = 1;
	m.assert = 1;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_INIT);
	m.assert = 0;	/* INIT level de-assert */
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_NOTHING);
	m.level = 0;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_INIT);
	m.mode = VMM_LAPIC_DM_SIPI;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_SIPI);
	m.mode = VMM_LAPIC_DM_NMI;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_UNSUPPORTED);
	m.mode = VMM_LAPIC_DM_SMI;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_UNSUPPORTED);
	m.mode = VMM_LAPIC_DM_EXTINT;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_UNSUPPORTED);
	m.mode = 3;
	CHECK_EQ(vmm_lapic_delivery(&m), VMM_LAPIC_DELIVER_UNSUPPORTED);
	CHECK_EQ(vmm_lapic_delivery(NULL), VMM_LAPIC_DELIVER_UNSUPPORTED);
}

static const struct tap_case cases[] = {
	TAP_CASE(reset),
	TAP_CASE(reads),
	TAP_CASE(writes),
	TAP_CASE(svr_lvt),
	TAP_CASE(timer_modes),
	TAP_CASE(divisor),
	TAP_CASE(start),
	TAP_CASE(current),
	TAP_CASE(expiry_accept),
	TAP_CASE(decode),
	TAP_CASE(targets),
	TAP_CASE(delivery),
};

int main(void)
{
	return tap_run("unit/lapic", cases, TAP_COUNT(cases));
}
