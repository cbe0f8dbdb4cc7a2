// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue the event of a vCPU's next entry (see event.h).
 */
#include <asm/trapnr.h>

#include "event.h"
#include "lamina.h"

void lamina_queue_exception(struct lamina_vcpu *vcpu, u8 vector,
			    bool has_error, u32 error)
{
	struct lamina_event *ev = &vcpu->event;

	if (ev->valid && ev->type == LAMINA_EVENT_EXCEPTION &&
	    ev->vector == X86_TRAP_DF) {
		vcpu->shutdown_pending = true;
		return;
	}
	if (ev->valid) {
		vector = X86_TRAP_DF;
		has_error = true;
		error = 0;
	}
	ev->valid = true;
	ev->type = LAMINA_EVENT_EXCEPTION;
	ev->vector = vector;
	ev->has_error = has_error;
	ev->error = error;
	ev->insn_len = 0;
}
