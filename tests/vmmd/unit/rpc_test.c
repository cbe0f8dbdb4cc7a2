// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RPC layer fed packets directly: the handshake, the checks every
 * call passes (program, version, type, procedure known, connection open,
 * read-only, admitted), framing (split, joined, oversize, undersize), the
 * output bound, and define/list/lookup/undefine end to end.
 */
#include <unistd.h>

#include "rpc_dispatch.h"
#include "tap.h"
#include "testctl.h"

static struct ctl ctl;
static const char *dir;

/* Feed one packet and process; returns rpc_client_process's result. */
static int send_pkt(struct rpc_client *cl, struct xdr_enc *e)
{
	int r;

	pkt_end(e);
	r = rpc_client_feed(cl, e->buf, e->len) ?: rpc_client_process(&ctl, cl);
	xdr_enc_free(e);
	return r;
}

/* A call with no body. */
static int call0(struct rpc_client *cl, int32_t proc, uint32_t serial)
{
	struct xdr_enc e;

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, proc, RPC_CALL, serial);
	return send_pkt(cl, &e);
}

static void open_conn(struct rpc_client *cl, uint32_t flags)
{
	struct xdr_enc e;
	struct reply r;

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 1, RPC_CALL, 2);
	xdr_put_opt_string(&e, "lamina:///system");
	xdr_put_u32(&e, flags);
	CHECK_EQ(send_pkt(cl, &e), 0);
	CHECK(reply_take(cl, &r) && r.h.status == RPC_OK);
	reply_free(&r);
}

static const char *xml_for(char *buf, size_t n, const char *name)
{
	snprintf(buf, n,
		 "<domain type='lamina'><name>%s</name><memory unit='MiB'>64</memory>"
		 "<os><type>hvm</type><kernel>/proc/self/exe</kernel></os></domain>",
		 name);
	return buf;
}

/* DEFINE_XML of @xml; its reply in @r. */
static int define_xml(struct rpc_client *cl, const char *xml, struct reply *r)
{
	struct xdr_enc e;

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 11, RPC_CALL, 7);
	xdr_put_string(&e, xml);
	send_pkt(cl, &e);
	return reply_take(cl, r);
}

static int define(struct rpc_client *cl, const char *name, struct reply *r)
{
	char xml[512];

	return define_xml(cl, xml_for(xml, sizeof(xml), name), r);
}

/* The exact AUTH_LIST reply from docs/virsh.md. */
static void test_auth_list_bytes(void)
{
	static const uint8_t want[] = {
		0, 0, 0, 0x24, 0x20, 0x00, 0x80, 0x86, 0, 0, 0, 1, 0, 0, 0, 0x42,
		0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
	};
	struct rpc_client cl;
	struct reply r;

	rpc_client_init(&cl, false);
	CHECK_EQ(call0(&cl, 66, 0), 0);
	CHECK(reply_take(&cl, &r));
	CHECK_EQ(r.len, sizeof(want));
	CHECK(r.len == sizeof(want) && !memcmp(r.raw, want, sizeof(want)));
	reply_free(&r);
	rpc_client_free(&cl);
}

static void test_unknown_procedure(void)
{
	struct rpc_client cl;
	struct reply r;

	rpc_client_init(&cl, false);
	open_conn(&cl, 0);
	CHECK_EQ(call0(&cl, 9999, 5), 0);
	CHECK(reply_take(&cl, &r));
	CHECK_EQ(r.h.type, RPC_REPLY);
	CHECK_EQ(r.h.status, RPC_ERROR);
	CHECK_EQ(r.h.serial, 5);
	CHECK_EQ(r.h.proc, 9999);
	CHECK_EQ(r.code, VERR_NO_SUPPORT);
	CHECK(r.msg && !strcmp(r.msg, "procedure 9999 is not supported by lamina"));
	reply_free(&r);
	rpc_client_free(&cl);
}

static void test_wrong_program_version_type(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	struct reply r;

	rpc_client_init(&cl, false);
	pkt_begin(&e, 0x12345678, RPC_VERSION, 66, RPC_CALL, 1);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC && r.h.serial == 1);
	reply_free(&r);
	pkt_begin(&e, RPC_PROGRAM, 2, 66, RPC_CALL, 2);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC && r.h.serial == 2);
	reply_free(&r);
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 66, RPC_CALL_WITH_FDS, 3);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC && r.h.serial == 3);
	reply_free(&r);
	/* Stream data (CONTINUE) and replies from a client: no answer. */
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 201, RPC_STREAM, 4);
	xdr_patch_u32(&e, 24, RPC_CONTINUE);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(!reply_take(&cl, &r));
	/*
	 * A stream finish (OK) for a stream it does not have: the client
	 * waits for an answer, so it gets the empty OK that ends one.
	 */
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 201, RPC_STREAM, 5);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.h.type == RPC_STREAM &&
	      r.h.status == RPC_OK && r.h.serial == 5 && r.len == RPC_HEADER_LEN);
	reply_free(&r);
	rpc_client_free(&cl);
}

static void test_before_open(void)
{
	struct rpc_client cl;
	struct reply r;

	rpc_client_init(&cl, false);
	CHECK_EQ(call0(&cl, 59, 1), 0);	/* GET_HOSTNAME */
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC);
	reply_free(&r);
	open_conn(&cl, 0);
	CHECK_EQ(call0(&cl, 59, 2), 0);
	CHECK(reply_take(&cl, &r) && r.h.status == RPC_OK);
	reply_free(&r);
	rpc_client_free(&cl);
}

/* Read-only by socket, or by CONNECT_OPEN's flag: queries pass, changes do not. */
static void test_read_only(void)
{
	struct rpc_client cl;
	struct reply r;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		rpc_client_init(&cl, pass == 0);
		open_conn(&cl, pass == 1 ? 1 : 0);
		CHECK(define(&cl, "ro-test", &r));
		CHECK_EQ(r.code, VERR_OPERATION_DENIED);
		CHECK(r.msg && strstr(r.msg, "read only access prevents DOMAIN_DEFINE_XML"));
		reply_free(&r);
		CHECK(!ctl_find_name(&ctl, "ro-test"));
		CHECK_EQ(call0(&cl, 6, 3), 0);	/* NODE_GET_INFO */
		CHECK(reply_take(&cl, &r) && r.h.status == RPC_OK);
		reply_free(&r);
		rpc_client_free(&cl);
	}
}

static void test_denied(void)
{
	struct rpc_client cl;
	struct reply r;

	rpc_client_init(&cl, false);
	cl.denied = "uid 1000 may not";
	CHECK_EQ(call0(&cl, 66, 0), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_ACCESS_DENIED);
	CHECK(r.msg && strstr(r.msg, "uid 1000 may not"));
	reply_free(&r);
	rpc_client_free(&cl);
}

/* Lengths out of bounds end the connection: the stream cannot be resynchronised. */
static void test_bad_lengths(void)
{
	static const uint8_t big[] = { 0x01, 0x00, 0x00, 0x05 };	/* 16 MiB + 5 */
	static const uint8_t small[] = { 0, 0, 0, 27 };
	static const uint8_t max[] = { 0x01, 0x00, 0x00, 0x04 };	/* 16 MiB + 4 */
	struct rpc_client cl;

	rpc_client_init(&cl, false);
	CHECK_EQ(rpc_client_feed(&cl, big, 4), 0);
	CHECK_EQ(rpc_client_process(&ctl, &cl), -1);
	CHECK(cl.in_cap < 1U << 20);	/* nothing was allocated for it */
	rpc_client_free(&cl);
	rpc_client_init(&cl, false);
	CHECK_EQ(rpc_client_feed(&cl, small, 4), 0);
	CHECK_EQ(rpc_client_process(&ctl, &cl), -1);
	rpc_client_free(&cl);
	/* The maximum itself is a length to wait for, not an error. */
	rpc_client_init(&cl, false);
	CHECK_EQ(rpc_client_feed(&cl, max, 4), 0);
	CHECK_EQ(rpc_client_process(&ctl, &cl), 0);
	CHECK(!rpc_client_has_packet(&cl));
	rpc_client_free(&cl);
}

/* A packet in pieces is answered once whole; two in one read, twice. */
static void test_split_and_joined(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	struct reply r;
	size_t i;

	rpc_client_init(&cl, false);
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 66, RPC_CALL, 1);
	pkt_end(&e);
	for (i = 0; i < e.len; i++) {
		CHECK_EQ(rpc_client_feed(&cl, e.buf + i, 1), 0);
		CHECK_EQ(rpc_client_process(&ctl, &cl), 0);
		CHECK_EQ(cl.out_len != 0, i == e.len - 1);
	}
	CHECK(reply_take(&cl, &r) && r.h.serial == 1);
	reply_free(&r);
	CHECK_EQ(rpc_client_feed(&cl, e.buf, e.len), 0);
	CHECK_EQ(rpc_client_feed(&cl, e.buf, e.len), 0);
	CHECK_EQ(rpc_client_process(&ctl, &cl), 0);
	CHECK(reply_take(&cl, &r));
	reply_free(&r);
	CHECK(reply_take(&cl, &r));
	reply_free(&r);
	CHECK(!reply_take(&cl, &r));
	xdr_enc_free(&e);
	rpc_client_free(&cl);
}

static void test_bad_args(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	struct reply r;

	rpc_client_init(&cl, false);
	open_conn(&cl, 0);
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 59, RPC_CALL, 1);
	xdr_put_u32(&e, 7);	/* GET_HOSTNAME takes nothing */
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC);
	reply_free(&r);
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 23, RPC_CALL, 2);
	xdr_put_u32(&e, 1000);	/* LOOKUP_BY_NAME: a string cut short */
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.code == VERR_RPC);
	reply_free(&r);
	rpc_client_free(&cl);
}

/* Calls sent without reading the replies stop being processed past RPC_OUT_HIGH. */
static void test_output_bound(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	unsigned int i, n = 0;
	struct reply r;

	rpc_client_init(&cl, false);
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 66, RPC_CALL, 1);
	pkt_end(&e);
	for (i = 0; i < RPC_OUT_HIGH / 36 + 100; i++)
		rpc_client_feed(&cl, e.buf, e.len);
	CHECK_EQ(rpc_client_process(&ctl, &cl), 0);
	CHECK(cl.out_len >= RPC_OUT_HIGH && cl.out_len < RPC_OUT_HIGH + 64);
	CHECK(rpc_client_has_packet(&cl));
	while (reply_take(&cl, &r)) {
		reply_free(&r);
		n++;
	}
	CHECK_EQ(rpc_client_process(&ctl, &cl), 0);	/* the rest, now */
	while (reply_take(&cl, &r)) {
		reply_free(&r);
		n++;
	}
	CHECK_EQ(n, i);
	xdr_enc_free(&e);
	rpc_client_free(&cl);
}

static void test_keepalive(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	struct reply r;

	rpc_client_init(&cl, false);
	pkt_begin(&e, RPC_PROGRAM_KEEPALIVE, 1, 1, RPC_MESSAGE, 0);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.h.proc == 2 && r.h.type == RPC_MESSAGE);
	reply_free(&r);
	/* A CALL on the keepalive program is still a call: answered, with an error. */
	pkt_begin(&e, RPC_PROGRAM_KEEPALIVE, 1, 1, RPC_CALL, 9);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.h.serial == 9 && r.code == VERR_RPC);
	reply_free(&r);
	rpc_client_free(&cl);
}

/* Define, list, look up, undefine, with the durable file following along. */
static void test_define_list_undefine(void)
{
	struct rpc_client cl;
	struct xdr_enc e;
	struct reply r;
	struct dom *d;
	uint32_t n = 0, ret = 0;
	char *name = NULL, path[256];

	rpc_client_init(&cl, false);
	open_conn(&cl, 0);
	CHECK(define(&cl, "unit1", &r) && r.h.status == RPC_OK);
	CHECK(xdr_get_string(&r.body, 64, &name) && !strcmp(name, "unit1"));
	free(name);
	reply_free(&r);
	d = ctl_find_name(&ctl, "unit1");
	CHECK(d != NULL);
	snprintf(path, sizeof(path), "%s/unit1.xml", dir);
	CHECK(access(path, F_OK) == 0);
	/* No <uuid>: a new one is generated, which clashes with the name's. */
	CHECK(define(&cl, "unit1", &r) && r.code == VERR_DOM_EXIST);
	reply_free(&r);

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 273, RPC_CALL, 9);
	xdr_put_i32(&e, 1);
	xdr_put_u32(&e, 2);	/* INACTIVE */
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.h.status == RPC_OK);
	CHECK(xdr_get_u32(&r.body, &n));
	CHECK_EQ(n, 1);
	reply_free(&r);

	d = ctl_find_name(&ctl, "unit1");
	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 35, RPC_CALL, 10);
	xdr_put_string(&e, "unit1");
	xdr_put_fixed(&e, d->def->uuid, 16);
	xdr_put_i32(&e, -1);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && r.h.status == RPC_OK);
	reply_free(&r);
	CHECK(!ctl_find_name(&ctl, "unit1"));
	CHECK(access(path, F_OK) != 0);

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, 273, RPC_CALL, 11);
	xdr_put_i32(&e, 1);
	xdr_put_u32(&e, 0);
	CHECK_EQ(send_pkt(&cl, &e), 0);
	CHECK(reply_take(&cl, &r) && xdr_get_u32(&r.body, &n) && n == 0);
	CHECK(xdr_get_u32(&r.body, &ret) && ret == 0);
	reply_free(&r);
	rpc_client_free(&cl);
}

/* A name or a uuid another domain holds: DOM_EXIST, nothing replaced. */
static void test_duplicates(void)
{
#define DUP(name, uuid) "<domain type='lamina'><name>" name "</name><uuid>" uuid \
	"</uuid><memory unit='MiB'>64</memory><os><type>hvm</type>" \
	"<kernel>/proc/self/exe</kernel></os></domain>"
	struct rpc_client cl;
	struct reply r;

	rpc_client_init(&cl, false);
	open_conn(&cl, 0);
	CHECK(define_xml(&cl, DUP("dup", "11111111-2222-3333-4444-555555555555"), &r) &&
	      r.h.status == RPC_OK);
	reply_free(&r);
	CHECK(define_xml(&cl, DUP("dup", "11111111-2222-3333-4444-666666666666"), &r) &&
	      r.code == VERR_DOM_EXIST);
	reply_free(&r);
	CHECK(define_xml(&cl, DUP("dup2", "11111111-2222-3333-4444-555555555555"), &r) &&
	      r.code == VERR_DOM_EXIST);
	reply_free(&r);
	CHECK(!ctl_find_name(&ctl, "dup2"));
	CHECK(!memcmp(ctl_find_name(&ctl, "dup")->def->uuid, "\x11\x11\x11\x11\x22\x22\x33\x33\x44\x44\x55", 11));
	rpc_client_free(&cl);
#undef DUP
}

/* The one table: sorted, unique, every entry named and handled. */
static void test_table(void)
{
	const struct rpc_proc *t;
	size_t n, i;

	t = rpc_proc_table(&n);
	CHECK(n > 0);
	for (i = 0; i < n; i++) {
		CHECK(t[i].name && t[i].fn);
		CHECK(i == 0 || t[i - 1].proc < t[i].proc);
		CHECK(rpc_proc_find(t[i].proc) == &t[i]);
	}
	CHECK(rpc_proc_find(0) == NULL);
	CHECK(rpc_proc_find(-1) == NULL);
	CHECK(rpc_proc_find(t[n - 1].proc + 1) == NULL);
	/* Handshake procedures are allowed before CONNECT_OPEN, and only they. */
	CHECK(rpc_proc_find(66)->flags & RPC_PRE_OPEN);
	CHECK(!(rpc_proc_find(11)->flags & (RPC_PRE_OPEN | RPC_QUERY)));
}

static const struct tap_case cases[] = {
	TAP_CASE(test_auth_list_bytes),
	TAP_CASE(test_unknown_procedure),
	TAP_CASE(test_wrong_program_version_type),
	TAP_CASE(test_before_open),
	TAP_CASE(test_read_only),
	TAP_CASE(test_denied),
	TAP_CASE(test_bad_lengths),
	TAP_CASE(test_split_and_joined),
	TAP_CASE(test_bad_args),
	TAP_CASE(test_output_bound),
	TAP_CASE(test_keepalive),
	TAP_CASE(test_define_list_undefine),
	TAP_CASE(test_duplicates),
	TAP_CASE(test_table),
};

int main(void)
{
	int r;

	dir = testctl_init(&ctl);
	r = tap_run("vmmd/rpc", cases, TAP_COUNT(cases));
	testctl_free(&ctl, dir);
	return r;
}
