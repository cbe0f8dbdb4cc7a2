/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CONSOLE_H
#define VMMD_CONSOLE_H

/*
 * virsh console: a DOMAIN_OPEN_CONSOLE stream between one client and one
 * running VM's serial port (docs/virsh.md). The VM process sends the
 * bytes its guest writes (VMMSG_CONSOLE_OUT), the daemon passes them on
 * as STREAM packets (status CONTINUE, raw bytes) with the OPEN_CONSOLE
 * call's proc and serial; the client's CONTINUE packets go back as
 * VMMSG_CONSOLE_IN. The daemon sees serial bytes only, never guest
 * memory. One client per VM and one stream per connection.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "rpc.h"

struct vmproc;

#define CONSOLE_PROC 201	/* REMOTE_PROC_DOMAIN_OPEN_CONSOLE */

/* Attach @cl to @d's VM; @force takes it from a client that has it. */
int console_open(struct ctl *ctl, struct dom *d, struct rpc_client *cl,
		 uint32_t serial, bool force, struct verr *err);
/* Guest output: to the attached client, if any (dropped if it does not read). */
void console_from_vm(struct ctl *ctl, struct vmproc *p, const uint8_t *data,
		     size_t len);
/* The VM ended or the daemon lets go of it: EOF to its client. */
void console_vm_ended(struct ctl *ctl, struct vmproc *p);
/*
 * A STREAM packet from @cl: data for its stream goes to the guest; a
 * finish (OK) or abort (ERROR) ends the stream and is answered with an
 * empty OK, as the client waits for one. -1: no memory for the answer.
 */
int console_from_client(struct ctl *ctl, struct rpc_client *cl,
			const struct rpc_header *h, const uint8_t *body,
			size_t len);
/* @cl is being dropped: detach its stream, take it off ctl->woken. */
void console_client_gone(struct ctl *ctl, struct rpc_client *cl);

#endif /* VMMD_CONSOLE_H */
