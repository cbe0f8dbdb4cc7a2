/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * For the daemon's unit tests and fuzzers: a struct ctl on a fresh
 * temporary state directory, call packets built as virsh builds them,
 * and replies taken apart.
 */
#ifndef VMMD_TESTCTL_H
#define VMMD_TESTCTL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "rpc.h"
#include "xdr.h"

static inline char *testctl_init(struct ctl *ctl)
{
	static char tmpl[64];
	struct verr err;

	strcpy(tmpl, "/tmp/vmmd-test.XXXXXX");
	if (!mkdtemp(tmpl) || ctl_init(ctl, tmpl, &err)) {
		fprintf(stderr, "testctl: cannot set up %s\n", tmpl);
		exit(1);
	}
	return tmpl;
}

static inline void testctl_free(struct ctl *ctl, const char *dir)
{
	char cmd[128];

	ctl_free(ctl);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "testctl: cannot remove %s\n", dir);
}

/* Start a CALL packet: header with a placeholder length; body follows. */
static inline void pkt_begin(struct xdr_enc *e, uint32_t prog, uint32_t vers,
			     int32_t proc, uint32_t type, uint32_t serial)
{
	xdr_enc_init(e, XDR_PACKET_MAX);
	xdr_put_u32(e, 0);
	xdr_put_u32(e, prog);
	xdr_put_u32(e, vers);
	xdr_put_i32(e, proc);
	xdr_put_u32(e, type);
	xdr_put_u32(e, serial);
	xdr_put_u32(e, RPC_OK);
}

static inline void pkt_end(struct xdr_enc *e)
{
	xdr_patch_u32(e, 0, (uint32_t)e->len);
}

/* One reply taken from the client's output queue. */
struct reply {
	struct rpc_header h;
	struct xdr_dec body;
	int code;		/* status ERROR: the error's code */
	char *msg;		/* and its message */
	uint8_t *raw;
	size_t len;
};

/* Take the first queued reply; 0 if there is none (or it is malformed). */
static inline int reply_take(struct rpc_client *cl, struct reply *r)
{
	struct xdr_dec d;
	uint32_t len, proc, dom, level;
	int32_t code;

	memset(r, 0, sizeof(*r));
	if (cl->out_len - cl->out_off < RPC_HEADER_LEN)
		return 0;
	xdr_dec_init(&d, cl->out + cl->out_off, cl->out_len - cl->out_off);
	xdr_get_u32(&d, &len);
	if (len > cl->out_len - cl->out_off || len < RPC_HEADER_LEN)
		return 0;
	r->raw = malloc(len);
	memcpy(r->raw, cl->out + cl->out_off, len);
	r->len = len;
	rpc_client_sent(cl, len);
	xdr_dec_init(&d, r->raw, len);
	xdr_get_u32(&d, &len);
	xdr_get_u32(&d, &r->h.prog);
	xdr_get_u32(&d, &r->h.vers);
	xdr_get_u32(&d, &proc);
	r->h.proc = (int32_t)proc;
	xdr_get_u32(&d, &r->h.type);
	xdr_get_u32(&d, &r->h.serial);
	xdr_get_u32(&d, &r->h.status);
	r->body = d;
	if (r->h.status == RPC_ERROR) {
		xdr_get_i32(&d, &code);
		r->code = code;
		xdr_get_u32(&d, &dom);
		xdr_get_opt_string(&d, XDR_STRING_MAX, &r->msg);
		xdr_get_u32(&d, &level);
	}
	return 1;
}

static inline void reply_free(struct reply *r)
{
	free(r->raw);
	free(r->msg);
}

#endif /* VMMD_TESTCTL_H */
