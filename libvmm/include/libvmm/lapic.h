/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 15: the in-kernel local APIC's decisions (xAPIC).
 *
 * module/lapic.c, lapic_timer.c and lapic_ipi.c keep the kernel glue (the
 * lock, the hrtimer, kicks, the IRR/ISR/TMR bit arrays, the vCPU loop of
 * a message); this layer decides, on the struct vmm_lapic_regs that the
 * module's struct lamina_lapic embeds (called under lapic->lock):
 *   registers  which offset reads what (SDM vol. 3A table 10-1; KVM's
 *              version register 0x14 with six LVTs), the effect of a
 *              write (ID/LDR/ICR2 bits 31:24, TPR 7:0, DFR 31:28, SVR 9:0
 *              with software disable masking every LVT (10.4.7.2), each
 *              LVT's writable bits, TSC-deadline timer mode only if the
 *              guest's CPUID has it, ESR write-then-read (10.5.3), TDCR
 *              bits 3, 1:0), and what the module must carry out (EOI,
 *              IPI, timer stop/start);
 *   timer      the mode from LVTT (10.5.4: one-shot, periodic,
 *              TSC-deadline), the divisor from TDCR, TMICT as ns at the
 *              1 GHz APIC bus KVM uses (at most 2^32 * 128 ns: no
 *              overflow), the 200 us shortest period, TMCCT from the
 *              time left, what an expiry does;
 *   messages   ICR decoding (10.6.1; an MSI is decoded by the uapi
 *              layer, vmm_uapi_decode_msi/_msi_msg), whether a LAPIC is a
 *              target (shorthand; physical, logical flat or cluster
 *              destination, 10.6.2), what each delivery mode does (fixed,
 *              lowest priority to the first target taking it, INIT,
 *              SIPI; NMI, SMI, ExtINT not delivered), a fixed
 *              interrupt's acceptance (illegal vector, disabled LAPIC).
 *
 * The ACSL model is acsl-specs/lapic.acsl.  Preconditions are weak: NULL
 * is rejected.  No state, no lock: the caller owns the registers.
 */
#ifndef LIBVMM_LAPIC_H
#define LIBVMM_LAPIC_H

#include <libvmm/types.h>
#include <libvmm/inject.h>

/* Register offsets in the APIC page (SDM vol. 3A table 10-1). */
#define VMM_LAPIC_ID 0x020U
#define VMM_LAPIC_LVR 0x030U
#define VMM_LAPIC_TPR 0x080U
#define VMM_LAPIC_PPR 0x0A0U
#define VMM_LAPIC_EOI 0x0B0U
#define VMM_LAPIC_LDR 0x0D0U
#define VMM_LAPIC_DFR 0x0E0U
#define VMM_LAPIC_SVR 0x0F0U
#define VMM_LAPIC_ISR 0x100U    /* 8 words, 0x100..0x170 */
#define VMM_LAPIC_TMR 0x180U    /* 8 words, 0x180..0x1F0 */
#define VMM_LAPIC_IRR 0x200U    /* 8 words, 0x200..0x270 */
#define VMM_LAPIC_ESR 0x280U
#define VMM_LAPIC_ICR 0x300U
#define VMM_LAPIC_ICR2 0x310U
#define VMM_LAPIC_LVTT 0x320U   /* 6 LVTs, 0x320..0x370 */
#define VMM_LAPIC_LVTERR 0x370U
#define VMM_LAPIC_TMICT 0x380U
#define VMM_LAPIC_TMCCT 0x390U
#define VMM_LAPIC_TDCR 0x3E0U

/* The LVT registers, in register-page order. */
#define VMM_LAPIC_LVT_TIMER 0U
#define VMM_LAPIC_LVT_THERMAL 1U
#define VMM_LAPIC_LVT_PERF 2U
#define VMM_LAPIC_LVT_LINT0 3U
#define VMM_LAPIC_LVT_LINT1 4U
#define VMM_LAPIC_LVT_ERROR 5U
#define VMM_LAPIC_LVT_NUM 6U

/* KVM's version register: version 0x14, LVT entries 0..5. */
#define VMM_LAPIC_VERSION (0x14U | ((VMM_LAPIC_LVT_NUM - 1U) << 16))
#define VMM_LAPIC_ID_MASK 0xFF000000U   /* ID, LDR, ICR2: bits 31:24 */
#define VMM_LAPIC_TPR_MASK 0xFFU
#define VMM_LAPIC_DFR_ONES 0x0FFFFFFFU  /* DFR bits 27:0 read as 1 */
#define VMM_LAPIC_DFR_RESET 0xFFFFFFFFU
#define VMM_LAPIC_DFR_FLAT 0xF0000000U   /* model 31:28 = 1111: flat */
/* SVR: vector, APIC software enable (8), focus disable (9). */
#define VMM_LAPIC_SVR_MASK 0x3FFU
#define VMM_LAPIC_SVR_ENABLE 0x100U
#define VMM_LAPIC_SVR_RESET 0xFFU
#define VMM_LAPIC_ESR_RECVILL 0x40U     /* "Received Illegal Vector" */
/* ICR: delivery status (12) reads idle: delivery is immediate. */
#define VMM_LAPIC_ICR_BUSY 0x1000U
#define VMM_LAPIC_NOT_ICR_BUSY (VMM_U32_MAX - VMM_LAPIC_ICR_BUSY)
#define VMM_LAPIC_ICR_LOGICAL 0x800U
#define VMM_LAPIC_ICR_ASSERT 0x4000U
#define VMM_LAPIC_ICR_LEVEL 0x8000U
#define VMM_LAPIC_TDCR_MASK 0xBU

/* LVT bits: vector 7:0, delivery mode 10:8, polarity 13, trigger 15. */
#define VMM_LAPIC_LVT_VECTOR 0xFFU
#define VMM_LAPIC_LVT_MASKED 0x10000U
#define VMM_LAPIC_LVT_DM 0x700U
#define VMM_LAPIC_LVT_POLARITY 0x2000U
#define VMM_LAPIC_LVT_LEVEL 0x8000U
#define VMM_LAPIC_LVT_TIMER_MODE 0x60000U       /* bits 18:17 */
#define VMM_LAPIC_LVT_TSC_BIT 0x40000U          /* bit 18 */
#define VMM_LAPIC_NOT_LVT_TSC_BIT (VMM_U32_MAX - VMM_LAPIC_LVT_TSC_BIT)

/* Timer modes, LVTT bits 18:17 (3 is reserved, never stored). */
#define VMM_LAPIC_TIMER_ONESHOT 0U
#define VMM_LAPIC_TIMER_PERIODIC 1U
#define VMM_LAPIC_TIMER_TSC_DEADLINE 2U
/*
 * The shortest period a periodic timer gets (KVM's min_timer_period_us):
 * a guest asking for a 1 ns period would otherwise keep a host CPU in
 * the timer interrupt.
 */
#define VMM_LAPIC_MIN_PERIOD_NS 200000ULL
/* The longest count: 2^32 - 1 at the largest divisor, 128. */
#define VMM_LAPIC_MAX_NS (0xFFFFFFFFULL * 128ULL)

/* Delivery modes (ICR and MSI data bits 10:8). */
#define VMM_LAPIC_DM_FIXED 0U
#define VMM_LAPIC_DM_LOWEST 1U
#define VMM_LAPIC_DM_SMI 2U
#define VMM_LAPIC_DM_NMI 4U
#define VMM_LAPIC_DM_INIT 5U
#define VMM_LAPIC_DM_SIPI 6U
#define VMM_LAPIC_DM_EXTINT 7U

/* ICR destination shorthand (bits 19:18). */
#define VMM_LAPIC_SH_NONE 0U
#define VMM_LAPIC_SH_SELF 1U
#define VMM_LAPIC_SH_ALL 2U
#define VMM_LAPIC_SH_OTHERS 3U

#define VMM_LAPIC_BROADCAST 0xFFU

/* The registers of one LAPIC the layer reads and writes. */
struct vmm_lapic_regs {
	vmm_u32 id;             /* APIC ID register (ID in 31:24) */
	vmm_u32 tpr;
	vmm_u32 ldr;
	vmm_u32 dfr;
	vmm_u32 svr;
	vmm_u32 esr;            /* as the guest reads it */
	vmm_u32 esr_pending;    /* errors since the last ESR write */
	vmm_u32 icr_lo;
	vmm_u32 icr_hi;
	vmm_u32 lvt[VMM_LAPIC_LVT_NUM];
	vmm_u32 tmict;
	vmm_u32 tdcr;
};

/* What a read returns. */
enum vmm_lapic_read_kind {
	VMM_LAPIC_READ_VALUE = 0,   /* *val */
	VMM_LAPIC_READ_PPR = 1,     /* the PPR (layer 5's vmm_inject_ppr) */
	VMM_LAPIC_READ_ISR = 2,     /* word *val (0..7) of the ISR */
	VMM_LAPIC_READ_TMR = 3,     /* word *val of the TMR */
	VMM_LAPIC_READ_IRR = 4,     /* word *val of the IRR */
	VMM_LAPIC_READ_TMCCT = 5,   /* vmm_lapic_timer_current() */
	VMM_LAPIC_READ_ERR_NULL = 6
};

/* What the module carries out after a write (the registers are done). */
enum vmm_lapic_write_action {
	VMM_LAPIC_WRITE_DONE = 0,
	VMM_LAPIC_WRITE_EOI = 1,         /* layer 5's vmm_inject_eoi */
	VMM_LAPIC_WRITE_IPI = 2,         /* send icr_lo/icr_hi, lock dropped */
	VMM_LAPIC_WRITE_TIMER_STOP = 3,  /* LVTT mode changed: stop, clear */
	VMM_LAPIC_WRITE_TIMER_START = 4, /* TMICT: stop, vmm_lapic_timer_start */
	VMM_LAPIC_WRITE_ERR_NULL = 5
};

/* What an interrupt for this LAPIC (fixed, lowest priority) does. */
enum vmm_lapic_accept {
	VMM_LAPIC_ACCEPT = 0,           /* IRR, TMR as its trigger; kick */
	VMM_LAPIC_ACCEPT_ILLEGAL = 1,   /* vector < 16: ESR_RECVILL pending */
	VMM_LAPIC_ACCEPT_DISABLED = 2   /* software-disabled: dropped */
};

/* What a timer expiry does after setting the LVTT vector pending. */
enum vmm_lapic_expiry {
	VMM_LAPIC_EXPIRY_RELOAD = 0,    /* periodic: deadline += period */
	VMM_LAPIC_EXPIRY_STOP = 1,      /* one-shot: disarm */
	VMM_LAPIC_EXPIRY_STOP_TSC = 2   /* TSC-deadline: disarm, MSR reads 0 */
};

/* An interrupt message: from an ICR write or KVM_SIGNAL_MSI. */
struct vmm_lapic_msg {
	vmm_u32 shorthand;      /* VMM_LAPIC_SH_* (MSI: NONE) */
	vmm_u32 dest;           /* 8-bit xAPIC destination */
	vmm_u32 mode;           /* VMM_LAPIC_DM_* */
	vmm_u32 vector;         /* 0..255 */
	vmm_bool logical;
	vmm_bool level;         /* level-triggered */
	vmm_bool assert;
};


/* What a delivery mode does at one target. */
enum vmm_lapic_delivery {
	VMM_LAPIC_DELIVER_FIXED = 0,        /* accept into the IRR */
	VMM_LAPIC_DELIVER_LOWEST = 1,       /* accept; stop at the first taker */
	VMM_LAPIC_DELIVER_INIT = 2,
	VMM_LAPIC_DELIVER_SIPI = 3,         /* start at the vector's page */
	VMM_LAPIC_DELIVER_NOTHING = 4,      /* INIT level de-assert */
	VMM_LAPIC_DELIVER_UNSUPPORTED = 5   /* NMI, SMI, ExtINT, 3: dropped */
};

#ifdef __FRAMAC__
#include "lapic.acsl"
#endif

/* The registers after RESET (10.4.7.1), APIC ID @apic_id (bits 7:0). */
/*@ requires r == \null || \valid(r);
  @ assigns *r;
  @ ensures r != \null ==> lapic_is_reset(r, apic_id);
  @*/
void vmm_lapic_reset(struct vmm_lapic_regs *r, vmm_u32 apic_id);

/*
 * A 32-bit read at @off (16-byte aligned, below 4096; any other offset
 * reads 0): the value in *val, or which state the module reads.
 */
/*@ requires r == \null || \valid_read(r);
  @ requires \valid(val);
  @ requires \separated(r, val);
  @ assigns *val;
  @ ensures r == \null <==> \result == VMM_LAPIC_READ_ERR_NULL;
  @ ensures r != \null ==> \result == lapic_read_kind(off);
  @ ensures r != \null && \result == VMM_LAPIC_READ_VALUE ==>
  @   *val == lapic_read_value(r, off);
  @ ensures \result == VMM_LAPIC_READ_ISR ==>
  @   *val == (off - VMM_LAPIC_ISR) / 16 && 0 <= *val < 8;
  @ ensures \result == VMM_LAPIC_READ_TMR ==>
  @   *val == (off - VMM_LAPIC_TMR) / 16 && 0 <= *val < 8;
  @ ensures \result == VMM_LAPIC_READ_IRR ==>
  @   *val == (off - VMM_LAPIC_IRR) / 16 && 0 <= *val < 8;
  @*/
enum vmm_lapic_read_kind vmm_lapic_read(const struct vmm_lapic_regs *r,
					vmm_u32 off, vmm_u32 *val);

/*
 * A 32-bit write of @v at @off (16-byte aligned; others are ignored):
 * the registers after it, and what the module must do.  @tsc_deadline:
 * the guest's CPUID offers the TSC-deadline timer.
 */
/*@ requires r == \null || \valid(r);
  @ assigns *r;
  @ ensures r == \null <==> \result == VMM_LAPIC_WRITE_ERR_NULL;
  @ ensures r != \null ==>
  @   \result == lapic_write_action{Pre}(r, off, v, tsc_deadline);
  @ ensures r != \null ==> lapic_write_regs{Pre,Post}(r, off, v, tsc_deadline);
  @*/
enum vmm_lapic_write_action vmm_lapic_write(struct vmm_lapic_regs *r,
					    vmm_u32 off, vmm_u32 v,
					    vmm_bool tsc_deadline);

/* Timer mode from LVTT (bits 18:17). */
/*@ assigns \nothing;
  @ ensures \result == lapic_timer_mode(lvtt);
  @ ensures 0 <= \result <= 3;
  @*/
vmm_u32 vmm_lapic_timer_mode(vmm_u32 lvtt);

/* TDCR bits 0, 1, 3 (figure 10-10): 2, 4, ... 128, then 1. */
/*@ assigns \nothing;
  @ ensures \result == lapic_divisor(tdcr);
  @ ensures 1 <= \result <= 128;
  @*/
vmm_u32 vmm_lapic_timer_divisor(vmm_u32 tdcr);

/*
 * After a TMICT write outside TSC-deadline mode (the timer stopped): true
 * to arm it *ns from now, reloading every *period ns (0: one-shot).
 */
/*@ requires r == \null || \valid_read(r);
  @ requires \valid(ns) && \valid(period);
  @ requires \separated(ns, period);
  @ requires r != \null ==> \separated(r, ns) && \separated(r, period);
  @ assigns *ns, *period;
  @ ensures \result != 0 <==> (r != \null && r->tmict != 0);
  @ ensures \result == 0 ==> *ns == 0 && *period == 0;
  @ ensures \result != 0 ==>
  @   *ns == lapic_start_ns(r->tmict, r->tdcr, r->lvt[0]) &&
  @   *period == (lapic_timer_mode(r->lvt[0]) == VMM_LAPIC_TIMER_PERIODIC ?
  @               *ns : 0);
  @ ensures *ns <= VMM_LAPIC_MAX_NS;
  @*/
vmm_bool vmm_lapic_timer_start(const struct vmm_lapic_regs *r, vmm_u64 *ns,
			       vmm_u64 *period);

/*
 * TMCCT: the count left of a timer armed (@armed) to fire at @deadline
 * (ns, monotonic), at @now, reloading every @period ns (0: none).
 */
/*@ requires r == \null || \valid_read(r);
  @ assigns \nothing;
  @ ensures r == \null ==> \result == 0;
  @ ensures r != \null ==>
  @   \result == lapic_current(r->lvt[0], r->tdcr, r->tmict, armed, now,
  @                            deadline, period);
  @ ensures r != \null ==> \result <= r->tmict;
  @*/
vmm_u32 vmm_lapic_timer_current(const struct vmm_lapic_regs *r,
				vmm_bool armed, vmm_u64 now,
				vmm_u64 deadline, vmm_u64 period);

/* Does an expiry of the timer set the LVTT vector pending? */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> lapic_lvt_fires(lvtt);
  @*/
vmm_bool vmm_lapic_timer_fires(vmm_u32 lvtt);

/* What an expiry does next (@period: the reload, 0 for none). */
/*@ assigns \nothing;
  @ ensures \result == lapic_expiry(lvtt, period);
  @*/
enum vmm_lapic_expiry vmm_lapic_timer_expiry(vmm_u32 lvtt, vmm_u64 period);

/* A fixed or lowest-priority interrupt @vector for a LAPIC with @svr. */
/*@ assigns \nothing;
  @ ensures \result == lapic_accept(svr, vector);
  @*/
enum vmm_lapic_accept vmm_lapic_accept(vmm_u32 svr, vmm_u32 vector);

/* The message of an ICR write (ICR low @lo, high @hi). */
/*@ requires m == \null || \valid(m);
  @ assigns *m;
  @ ensures m != \null ==> m->shorthand == ((lo >> 18) & 3);
  @ ensures m != \null ==> m->dest == hi >> 24;
  @ ensures m != \null ==> m->mode == ((lo >> 8) & 7);
  @ ensures m != \null ==> m->vector == (lo & 0xFF);
  @ ensures m != \null ==>
  @   m->logical == LAPIC_FLAG(lo, VMM_LAPIC_ICR_LOGICAL);
  @ ensures m != \null ==> m->level == LAPIC_FLAG(lo, VMM_LAPIC_ICR_LEVEL);
  @ ensures m != \null ==>
  @   m->assert == LAPIC_FLAG(lo, VMM_LAPIC_ICR_ASSERT);
  @*/
void vmm_lapic_icr_decode(vmm_u32 lo, vmm_u32 hi, struct vmm_lapic_msg *m);

/*
 * Is the LAPIC with ID register @id, LDR @ldr and DFR @dfr a target of
 * @m?  @self: it is the sender's (false for an MSI).
 */
/*@ requires m == \null || \valid_read(m);
  @ assigns \nothing;
  @ ensures m == \null ==> \result == 0;
  @ ensures m != \null && m->shorthand == VMM_LAPIC_SH_SELF ==>
  @   (\result != 0 <==> self != 0);
  @ ensures m != \null && m->shorthand == VMM_LAPIC_SH_ALL ==> \result != 0;
  @ ensures m != \null && m->shorthand == VMM_LAPIC_SH_OTHERS ==>
  @   (\result != 0 <==> self == 0);
  @ ensures LAPIC_DEST(m) ==> LAPIC_MATCH_BCAST(\result != 0, m->dest);
  @ ensures LAPIC_DEST(m) ==>
  @   LAPIC_MATCH_PHYS(\result != 0, m->dest, m->logical, id);
  @ ensures LAPIC_DEST(m) ==>
  @   LAPIC_MATCH_FLAT(\result != 0, m->dest, m->logical, ldr, dfr);
  @ ensures LAPIC_DEST(m) ==>
  @   LAPIC_MATCH_CLUSTER(\result != 0, m->dest, m->logical, ldr, dfr);
  @*/
vmm_bool vmm_lapic_targets(const struct vmm_lapic_msg *m, vmm_bool self,
			   vmm_u32 id, vmm_u32 ldr, vmm_u32 dfr);

/* What @m does at a target. */
/*@ requires m == \null || \valid_read(m);
  @ assigns \nothing;
  @ ensures m == \null ==> \result == VMM_LAPIC_DELIVER_UNSUPPORTED;
  @ ensures m != \null ==> \result == lapic_delivery(m);
  @*/
enum vmm_lapic_delivery vmm_lapic_delivery(const struct vmm_lapic_msg *m);

#endif /* LIBVMM_LAPIC_H */
