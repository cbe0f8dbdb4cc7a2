// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue the event of a vCPU's next entry (see event.h).
 */
#include <linux/percpu.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/debugreg.h>
#include <asm/trapnr.h>

#include <libvmm/exit.h>

#include "event.h"
#include "lamina.h"

/* DR6 bit 16, RTM: active low (0 = the #DB arose in an RTM region). */
#define DR6_RTM (1U << 16)

/* SDM vol. 3A table 6-4: the contributory exceptions. */
static bool exc_contributory(u8 vector)
{
	return vector == X86_TRAP_DE || vector == X86_TRAP_TS ||
	       vector == X86_TRAP_NP || vector == X86_TRAP_SS ||
	       vector == X86_TRAP_GP;
}

/* Table 6-5: does @second, raised while delivering @first, make #DF? */
static bool exc_double_fault(u8 first, u8 second)
{
	bool contributory = exc_contributory(second);

	if (exc_contributory(first))
		return contributory;
	if (first == X86_TRAP_PF)
		return contributory || second == X86_TRAP_PF;
	return false;
}

static void queue_event(struct lamina_vcpu *vcpu,
			const struct lamina_event *next)
{
	struct lamina_event *ev = &vcpu->event;
	bool prev_exc = ev->valid && ev->type == LAMINA_EVENT_EXCEPTION;

	if (prev_exc && ev->vector == X86_TRAP_DF) {
		vcpu->shutdown_pending = true;
		return;
	}
	if (prev_exc && exc_double_fault(ev->vector, next->vector)) {
		*ev = (struct lamina_event) {
			.valid = true,
			.type = LAMINA_EVENT_EXCEPTION,
			.vector = X86_TRAP_DF,
			.has_error = true,
			/* CR2 is written even when the #PF becomes #DF. */
			.has_cr2 = next->has_cr2,
			.cr2 = next->cr2,
		};
		return;
	}
	*ev = *next;
}

void lamina_queue_exception(struct lamina_vcpu *vcpu, u8 vector,
			    bool has_error, u32 error)
{
	struct lamina_event next = {
		.valid = true,
		.type = LAMINA_EVENT_EXCEPTION,
		.vector = vector,
		.has_error = has_error,
		.error = error,
	};

	queue_event(vcpu, &next);
}

void lamina_queue_page_fault(struct lamina_vcpu *vcpu, u32 error, u64 cr2)
{
	struct lamina_event next = {
		.valid = true,
		.type = LAMINA_EVENT_EXCEPTION,
		.vector = X86_TRAP_PF,
		.has_error = true,
		.error = error,
		.has_cr2 = true,
		.cr2 = cr2,
	};

	queue_event(vcpu, &next);
}

void lamina_reflect_exception(struct lamina_vcpu *vcpu,
			      const struct vmm_exit_exc *exc)
{
	struct lamina_event next = {
		.valid = true,
		.type = LAMINA_EVENT_EXCEPTION,
		.vector = exc->vector,
		.has_error = exc->err_valid,
		.error = exc->err_code,
	};

	if (exc->soft) {
		/* RIP is still on INT1/INT3/INTO: delivery pushes RIP + len. */
		next.type = exc->vector == X86_TRAP_DB ?
			    LAMINA_EVENT_PRIV_SOFT_EXCEPTION :
			    LAMINA_EVENT_SOFT_EXCEPTION;
		next.insn_len = exc->insn_len;
	} else if (exc->vector == X86_TRAP_DB) {
		next.has_dbg = true;
		next.dbg = exc->dbg;
	}
	queue_event(vcpu, &next);
}

unsigned long lamina_db_deliver_dr6(unsigned long dr6, u32 dbg)
{
	/* B0-B3, BD, BS, BT are active high; RTM is the active-low one. */
	u32 high = dbg & (VMM_EXIT_DBG_MASK & ~DR6_RTM);

	/* The upper half is reserved (0); DR6_RESERVED: the bits read as 1. */
	dr6 &= ~(unsigned long)DR_TRAP_BITS & 0xffffffffUL;
	dr6 |= DR6_RESERVED | high;
	if (dbg & DR6_RTM)
		dr6 &= ~(unsigned long)DR6_RTM;
	/* Bit 12 is reserved (0) in DR6. */
	return dr6 & ~(1UL << 12);
}
