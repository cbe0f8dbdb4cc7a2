/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_RPC_H
#define VMMD_RPC_H

/*
 * libvirt's remote protocol, server side (facts: docs/virsh.md and
 * libvirt's src/remote/remote_protocol.x). A packet is a 4-byte length
 * that counts itself, a 24-byte header, a body. Bytes from a client go
 * into its struct rpc_client with rpc_client_feed(); rpc_client_process()
 * answers every complete call into the client's output queue. A client
 * that breaks the framing (a length out of bounds) is to be dropped;
 * anything else it sends, garbage included, is answered with an error.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl.h"
#include "xdr.h"

#define RPC_PROGRAM 0x20008086U
#define RPC_PROGRAM_KEEPALIVE 0x6b656570U
#define RPC_VERSION 1U
#define RPC_HEADER_LEN 28U	/* length word + header */

enum rpc_type {
	RPC_CALL = 0,
	RPC_REPLY = 1,
	RPC_MESSAGE = 2,
	RPC_STREAM = 3,
	RPC_CALL_WITH_FDS = 4,
};

enum rpc_status {
	RPC_OK = 0,
	RPC_ERROR = 1,
	RPC_CONTINUE = 2,
};

struct rpc_header {
	uint32_t prog;
	uint32_t vers;
	int32_t proc;
	uint32_t type;
	uint32_t serial;
	uint32_t status;
};

/*
 * Replies queued beyond this stop the processing of further calls until
 * the client reads them: a client that sends calls and never reads costs
 * the daemon at most one reply beyond this.
 */
#define RPC_OUT_HIGH (1U << 20)
/* Bytes read at a time; also how far input may run ahead of a packet. */
#define RPC_READ_CHUNK 65536U

struct vmproc;

struct rpc_client {
	bool readonly;		/* only RPC_QUERY procedures */
	bool opened;		/* CONNECT_OPEN succeeded */
	const char *denied;	/* non-NULL: every call is refused with this */
	uint8_t *in;		/* bytes received, not yet processed */
	size_t in_len, in_cap;
	uint8_t *out;		/* replies not yet sent: out[out_off..out_len) */
	size_t out_len, out_off, out_cap;
	/* An open console stream (console.c): the VM, the OPEN_CONSOLE serial. */
	struct vmproc *console_vm;
	uint32_t console_serial;
	/* On ctl->woken: output was queued outside a call, send it. */
	bool woken;
	struct rpc_client *woken_next;
};

void rpc_client_init(struct rpc_client *cl, bool readonly);
void rpc_client_free(struct rpc_client *cl);
/* Append received bytes. -1: out of memory or over the input bound. */
int rpc_client_feed(struct rpc_client *cl, const uint8_t *data, size_t len);
/*
 * Answer the complete calls buffered, until the output queue passes
 * RPC_OUT_HIGH. Returns -1 when the client must be dropped: a length
 * below the header or above XDR_PACKET_MAX (the stream cannot be
 * resynchronised), or no memory for a reply.
 */
int rpc_client_process(struct ctl *ctl, struct rpc_client *cl);
/* Whether rpc_client_process would do something (a whole packet is buffered). */
bool rpc_client_has_packet(const struct rpc_client *cl);
/*
 * Queue a STREAM packet for @proc/@serial with @status and @len raw
 * bytes (no XDR: stream data is bytes). -1: no memory, or too long.
 */
int rpc_queue_stream(struct rpc_client *cl, int32_t proc, uint32_t serial,
		     uint32_t status, const uint8_t *data, size_t len);
/* Mark @n queued bytes as sent. */
void rpc_client_sent(struct rpc_client *cl, size_t n);

#endif /* VMMD_RPC_H */
