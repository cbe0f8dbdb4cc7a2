// SPDX-License-Identifier: GPL-2.0-only
/*
 * Framing, the reply to every call, and the checks every call passes
 * before its handler runs: program and version, call type, procedure
 * known, client admitted, connection opened, read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "rpc.h"
#include "rpc_dispatch.h"

#define KEEPALIVE_PING 1
#define KEEPALIVE_PONG 2
/* Input held beyond one packet: at most one read's worth. */
#define RPC_IN_MAX (XDR_PACKET_MAX + RPC_READ_CHUNK)

void rpc_client_init(struct rpc_client *cl, bool readonly)
{
	memset(cl, 0, sizeof(*cl));
	cl->readonly = readonly;
}

void rpc_client_free(struct rpc_client *cl)
{
	free(cl->in);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
}

/* Grow *buf to hold @need bytes (geometric, capped at @max). */
static int reserve(uint8_t **buf, size_t *cap, size_t need, size_t max)
{
	size_t c = *cap ? *cap : 4096;
	uint8_t *b;

	if (need > max)
		return -1;
	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (c > max)
		c = max;
	b = realloc(*buf, c);
	if (!b)
		return -1;
	*buf = b;
	*cap = c;
	return 0;
}

int rpc_client_feed(struct rpc_client *cl, const uint8_t *data, size_t len)
{
	if (reserve(&cl->in, &cl->in_cap, cl->in_len + len, RPC_IN_MAX))
		return -1;
	memcpy(cl->in + cl->in_len, data, len);
	cl->in_len += len;
	return 0;
}

void rpc_client_sent(struct rpc_client *cl, size_t n)
{
	cl->out_off += n;
	if (cl->out_off == cl->out_len)
		cl->out_off = cl->out_len = 0;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * The length of the packet at @p: 0 if fewer than 4 bytes are there, -1
 * if out of bounds (checked before anything is allocated for it).
 */
static long frame_len(const uint8_t *p, size_t avail)
{
	uint32_t len;

	if (avail < 4)
		return 0;
	len = be32_at(p);
	if (len < RPC_HEADER_LEN || len > XDR_PACKET_MAX)
		return -1;
	return len;
}

bool rpc_client_has_packet(const struct rpc_client *cl)
{
	long len = frame_len(cl->in, cl->in_len);

	return len < 0 || (len > 0 && cl->in_len >= (size_t)len);
}

static void put_header(struct xdr_enc *e, const struct rpc_header *h)
{
	xdr_put_u32(e, 0);	/* length, patched when the packet is done */
	xdr_put_u32(e, h->prog);
	xdr_put_u32(e, h->vers);
	xdr_put_i32(e, h->proc);
	xdr_put_u32(e, h->type);
	xdr_put_u32(e, h->serial);
	xdr_put_u32(e, h->status);
}

/* remote_error: code, domain, message, level, dom, str1-3, int1-2, net. */
static void put_error_body(struct xdr_enc *e, const struct verr *err)
{
	xdr_put_i32(e, err->code);
	xdr_put_i32(e, 0);		/* VIR_FROM_NONE */
	xdr_put_opt_string(e, err->msg);
	xdr_put_i32(e, 2);		/* VIR_ERR_ERROR */
	xdr_put_u32(e, 0);		/* dom: absent */
	xdr_put_u32(e, 0);		/* str1 */
	xdr_put_u32(e, 0);		/* str2 */
	xdr_put_u32(e, 0);		/* str3 */
	xdr_put_i32(e, 0);		/* int1 */
	xdr_put_i32(e, 0);		/* int2 */
	xdr_put_u32(e, 0);		/* net: absent */
}

/* Move a finished packet into the client's output queue. */
static int queue(struct rpc_client *cl, struct xdr_enc *e)
{
	int r;

	xdr_patch_u32(e, 0, (uint32_t)e->len);
	r = e->failed ||
	    reserve(&cl->out, &cl->out_cap, cl->out_len + e->len, SIZE_MAX) ? -1 : 0;
	if (!r) {
		memcpy(cl->out + cl->out_len, e->buf, e->len);
		cl->out_len += e->len;
	}
	xdr_enc_free(e);
	return r;
}

int rpc_queue_stream(struct rpc_client *cl, int32_t proc, uint32_t serial,
		     uint32_t status, const uint8_t *data, size_t len)
{
	struct rpc_header h = {
		.prog = RPC_PROGRAM, .vers = RPC_VERSION, .proc = proc,
		.type = RPC_STREAM, .serial = serial, .status = status,
	};
	struct xdr_enc e;

	xdr_enc_init(&e, XDR_PACKET_MAX);
	put_header(&e, &h);
	xdr_put_raw(&e, data, len);
	return queue(cl, &e);
}

static int reply_error(struct rpc_client *cl, const struct rpc_header *call,
		       const struct verr *err)
{
	struct rpc_header h = *call;
	struct xdr_enc e;

	h.type = RPC_REPLY;
	h.status = RPC_ERROR;
	xdr_enc_init(&e, XDR_PACKET_MAX);
	put_header(&e, &h);
	put_error_body(&e, err);
	return queue(cl, &e);
}

/* The checks every call passes before its handler; 0 or -1 with @err. */
static int admit(const struct rpc_client *cl, const struct rpc_header *h,
		 const struct rpc_proc *p, struct verr *err)
{
	if (h->prog != RPC_PROGRAM || h->vers != RPC_VERSION)
		return verr_set(err, VERR_RPC,
				"RPC error: unknown program 0x%x version %u (lamina serves libvirt's remote program 0x%x version %u)",
				h->prog, h->vers, RPC_PROGRAM, RPC_VERSION);
	if (h->type != RPC_CALL)
		return verr_set(err, VERR_RPC,
				"RPC error: message type %u is not supported by lamina (no fd passing)",
				h->type);
	if (h->status != RPC_OK)
		return verr_set(err, VERR_RPC,
				"RPC error: a call must have status OK, not %u", h->status);
	if (cl->denied)
		return verr_set(err, VERR_ACCESS_DENIED, "access denied: %s",
				cl->denied);
	if (!p)
		return verr_set(err, VERR_NO_SUPPORT,
				"procedure %d is not supported by lamina", h->proc);
	if (!cl->opened && !(p->flags & RPC_PRE_OPEN))
		return verr_set(err, VERR_RPC,
				"RPC error: %s before the connection is open", p->name);
	if (cl->readonly && !(p->flags & RPC_QUERY))
		return verr_set(err, VERR_OPERATION_DENIED,
				"operation forbidden: read only access prevents %s",
				p->name);
	return 0;
}

static int call(struct ctl *ctl, struct rpc_client *cl,
		const struct rpc_header *h, const uint8_t *body, size_t len)
{
	const struct rpc_proc *p = rpc_proc_find(h->proc);
	struct rpc_header rh = *h;
	struct rpc_call c;
	struct xdr_enc e;

	memset(&c, 0, sizeof(c));
	if (admit(cl, h, p, &c.err))
		return reply_error(cl, h, &c.err);
	rh.type = RPC_REPLY;
	rh.status = RPC_OK;
	xdr_enc_init(&e, XDR_PACKET_MAX);
	put_header(&e, &rh);
	c.ctl = ctl;
	c.cl = cl;
	c.serial = h->serial;
	c.ret = &e;
	xdr_dec_init(&c.args, body, len);
	if (!e.failed && p->fn(&c) == 0 && !e.failed)
		return queue(cl, &e);
	if (e.failed)	/* the reply did not fit a packet, or no memory */
		verr_set(&c.err, VERR_INTERNAL,
			 "internal error: the reply to %s is larger than a packet",
			 p->name);
	xdr_enc_free(&e);
	return reply_error(cl, h, &c.err);
}

/* A keepalive PING gets a PONG; other keepalive messages need nothing. */
static int keepalive(struct rpc_client *cl, const struct rpc_header *h)
{
	struct rpc_header pong = *h;
	struct xdr_enc e;

	if (h->proc != KEEPALIVE_PING)
		return 0;
	pong.proc = KEEPALIVE_PONG;
	pong.serial = 0;
	xdr_enc_init(&e, RPC_HEADER_LEN);
	put_header(&e, &pong);
	return queue(cl, &e);
}

static int one_packet(struct ctl *ctl, struct rpc_client *cl,
		      const uint8_t *pkt, size_t len)
{
	struct rpc_header h;
	struct xdr_dec d;
	uint32_t skip, proc;

	xdr_dec_init(&d, pkt, len);
	xdr_get_u32(&d, &skip);
	xdr_get_u32(&d, &h.prog);
	xdr_get_u32(&d, &h.vers);
	xdr_get_u32(&d, &proc);
	xdr_get_u32(&d, &h.type);
	xdr_get_u32(&d, &h.serial);
	xdr_get_u32(&d, &h.status);
	h.proc = (int32_t)proc;
	if (h.prog == RPC_PROGRAM_KEEPALIVE && h.vers == RPC_VERSION &&
	    h.type == RPC_MESSAGE)
		return keepalive(cl, &h);
	if (h.type == RPC_STREAM)
		return console_from_client(ctl, cl, &h, pkt + RPC_HEADER_LEN,
					   len - RPC_HEADER_LEN);
	/* Replies and messages from a client need no answer. */
	if (h.type == RPC_REPLY || h.type == RPC_MESSAGE)
		return 0;
	return call(ctl, cl, &h, pkt + RPC_HEADER_LEN, len - RPC_HEADER_LEN);
}

int rpc_client_process(struct ctl *ctl, struct rpc_client *cl)
{
	size_t done = 0;
	long len;
	int r = 0;

	while (!r && cl->out_len - cl->out_off < RPC_OUT_HIGH) {
		len = frame_len(cl->in + done, cl->in_len - done);
		if (len < 0)
			r = -1;
		if (len <= 0 || cl->in_len - done < (size_t)len)
			break;
		r = one_packet(ctl, cl, cl->in + done, (size_t)len);
		done += (size_t)len;
	}
	memmove(cl->in, cl->in + done, cl->in_len - done);
	cl->in_len -= done;
	return r;
}
