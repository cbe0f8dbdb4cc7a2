// SPDX-License-Identifier: GPL-2.0-only
/* The console stream between a client and a VM process (console.h). */
#include <string.h>

#include "console.h"
#include "vmchan.h"
#include "vmctl.h"

/* Output was queued outside a call: the daemon sends it after this event. */
static void wake(struct ctl *ctl, struct rpc_client *cl)
{
	if (cl->woken)
		return;
	cl->woken = true;
	cl->woken_next = ctl->woken;
	ctl->woken = cl;
}

static void detach(struct rpc_client *cl)
{
	cl->console_vm->console = NULL;
	cl->console_vm = NULL;
}

/* The server ends the stream: EOF, an empty CONTINUE packet. */
static void end_stream(struct ctl *ctl, struct rpc_client *cl)
{
	rpc_queue_stream(cl, CONSOLE_PROC, cl->console_serial, RPC_CONTINUE,
			 NULL, 0);
	detach(cl);
	wake(ctl, cl);
}

int console_open(struct ctl *ctl, struct dom *d, struct rpc_client *cl,
		 uint32_t serial, bool force, struct verr *err)
{
	struct vmproc *p = d->proc;

	if (d->id == -1 || !p)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain '%s' is not running",
				d->def->name);
	if (cl->console_vm)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: this connection has a console open already");
	if (p->console && !force)
		return verr_set(err, VERR_OPERATION_FAILED,
				"operation failed: the console of '%s' is in use by another client (virsh console --force takes it over)",
				d->def->name);
	if (p->console)
		end_stream(ctl, p->console);
	p->console = cl;
	cl->console_vm = p;
	cl->console_serial = serial;
	return 0;
}

void console_from_vm(struct ctl *ctl, struct vmproc *p, const uint8_t *data,
		     size_t len)
{
	struct rpc_client *cl = p->console;

	/*
	 * A client that stops reading loses console bytes, as a serial line
	 * overruns: the daemon holds at most RPC_OUT_HIGH for it.
	 */
	if (!cl || cl->out_len - cl->out_off >= RPC_OUT_HIGH)
		return;
	if (!rpc_queue_stream(cl, CONSOLE_PROC, cl->console_serial,
			      RPC_CONTINUE, data, len))
		wake(ctl, cl);
}

void console_vm_ended(struct ctl *ctl, struct vmproc *p)
{
	if (p->console)
		end_stream(ctl, p->console);
}

/* Keystrokes for the guest, in messages of at most VMMSG_PAYLOAD_MAX bytes. */
static void to_vm(const struct vmproc *p, const uint8_t *data, size_t len)
{
	struct vmmsg m = { .type = VMMSG_CONSOLE_IN };
	size_t n;

	while (len) {
		n = len < VMMSG_PAYLOAD_MAX ? len : VMMSG_PAYLOAD_MAX;
		m.u.console.len = (uint32_t)n;
		memcpy(m.u.console.data, data, n);
		/* A VM process that does not keep up loses keystrokes, never the daemon's time. */
		if (vmchan_send(p->src.fd, &m, NULL))
			return;
		data += n;
		len -= n;
	}
}

int console_from_client(struct ctl *ctl, struct rpc_client *cl,
			const struct rpc_header *h, const uint8_t *body,
			size_t len)
{
	bool ours = cl->console_vm && h->prog == RPC_PROGRAM &&
		    h->vers == RPC_VERSION && h->proc == CONSOLE_PROC &&
		    h->serial == cl->console_serial;

	(void)ctl;
	if (h->status == RPC_CONTINUE) {
		/* Data for a stream this client does not have: dropped, unanswered. */
		if (ours && len)
			to_vm(cl->console_vm, body, len);
		return 0;
	}
	/* Finish, abort, or any other status: the stream is over. */
	if (ours)
		detach(cl);
	return rpc_queue_stream(cl, h->proc, h->serial, RPC_OK, NULL, 0);
}

void console_client_gone(struct ctl *ctl, struct rpc_client *cl)
{
	struct rpc_client **pp;

	if (cl->console_vm)
		detach(cl);
	for (pp = &ctl->woken; *pp; pp = &(*pp)->woken_next)
		if (*pp == cl) {
			*pp = cl->woken_next;
			break;
		}
	cl->woken = false;
}
