// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: bytes from a client, as the daemon receives them,
 * through framing, the XDR decoder, the admission checks and every
 * handler. Byte 0 picks the connection's state (opened, read-only) and
 * byte 1 how the rest is cut into reads. A crash, a sanitizer report, a
 * leak or a reply that is not a well-formed packet is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/testctl.h"

static struct ctl ctl;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	testctl_init(&ctl);
	return 0;
}

/*
 * Every queued reply must be a packet: length in bounds, header, REPLY or
 * MESSAGE, or the empty STREAM OK that answers a stream finish or abort
 * (no console stream can open here: no domain runs).
 */
static void drain(struct rpc_client *cl)
{
	struct reply r;

	while (reply_take(cl, &r)) {
		if (r.h.type != RPC_REPLY && r.h.type != RPC_MESSAGE &&
		    !(r.h.type == RPC_STREAM && r.h.status == RPC_OK &&
		      r.len == RPC_HEADER_LEN))
			abort();
		reply_free(&r);
	}
	if (cl->out_len != cl->out_off)
		abort();
}

/* Keep the state directory small: domains the fuzzer defined go again. */
static void forget_domains(void)
{
	struct verr err;

	while (ctl.ndoms > 8)
		ctl_undefine(&ctl, ctl.doms[0], &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_client cl;
	size_t chunk, off = 2, n;
	int r = 0;

	if (size < 2)
		return 0;
	rpc_client_init(&cl, data[0] & 2);
	cl.opened = data[0] & 1;
	if (data[0] & 4)
		cl.denied = "fuzz";
	chunk = data[1] ? data[1] : size;
	while (!r && off < size) {
		n = size - off < chunk ? size - off : chunk;
		r = rpc_client_feed(&cl, data + off, n);
		off += n;
		while (!r && rpc_client_has_packet(&cl)) {
			r = rpc_client_process(&ctl, &cl);
			drain(&cl);
			/* As the daemon's loop does: create's failed transients go. */
			ctl_sweep_transient(&ctl);
		}
	}
	rpc_client_free(&cl);
	forget_domains();
	return 0;
}
