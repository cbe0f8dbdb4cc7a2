// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console stream (vmmd/console.c) with a stand-in VM process: a
 * socketpair in place of its channel. Guest bytes become STREAM packets
 * for the OPEN_CONSOLE serial; the client's CONTINUE packets become
 * CONSOLE_IN messages, and packets for any other serial or proc go
 * nowhere; finish and abort are answered; one client per VM unless
 * forced; the VM's end is an EOF; a dropped client leaves nothing behind.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "console.h"
#include "tap.h"
#include "testctl.h"
#include "vmchan.h"
#include "vmctl.h"

static struct ctl ctl;
static const char *dir;

struct stand_in {
	struct dom_def def;
	struct dom dom;
	struct vmproc proc;
	int vm_end;		/* the VM process's end of the channel */
};

static void stand_in_init(struct stand_in *s)
{
	int sv[2];

	memset(s, 0, sizeof(*s));
	strcpy(s->def.name, "c1");
	s->dom.def = &s->def;
	s->dom.id = 7;
	s->dom.state = DOM_STATE_RUNNING;
	s->dom.proc = &s->proc;
	s->proc.dom = &s->dom;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv))
		exit(1);
	s->proc.src.fd = sv[0];
	s->vm_end = sv[1];
}

static void stand_in_free(struct stand_in *s)
{
	close(s->proc.src.fd);
	close(s->vm_end);
}

static void stream_pkt(struct rpc_client *cl, int32_t proc, uint32_t serial,
		       uint32_t status, const char *data)
{
	struct xdr_enc e;

	pkt_begin(&e, RPC_PROGRAM, RPC_VERSION, proc, RPC_STREAM, serial);
	xdr_patch_u32(&e, 24, status);
	xdr_put_raw(&e, data, strlen(data));
	pkt_end(&e);
	rpc_client_feed(cl, e.buf, e.len);
	rpc_client_process(&ctl, cl);
	xdr_enc_free(&e);
}

/* The next CONSOLE_IN the VM process got, as text; "" if none. */
static const char *vm_got(struct stand_in *s)
{
	static struct vmmsg m;
	int fds[VMMSG_FDS_MAX];

	if (vmchan_recv(s->vm_end, VMMSG_TO_VM, &m, fds) != 1 ||
	    m.type != VMMSG_CONSOLE_IN || m.u.console.len >= sizeof(m.u.console.data))
		return "";
	m.u.console.data[m.u.console.len] = 0;
	return (const char *)m.u.console.data;
}

static void test_both_ways(void)
{
	struct rpc_client cl;
	struct stand_in s;
	struct verr err;
	struct reply r;

	stand_in_init(&s);
	rpc_client_init(&cl, false);
	CHECK_EQ(console_open(&ctl, &s.dom, &cl, 42, false, &err), 0);
	console_from_vm(&ctl, &s.proc, (const uint8_t *)"login: ", 7);
	CHECK(ctl.woken == &cl);
	CHECK(reply_take(&cl, &r) && r.h.type == RPC_STREAM &&
	      r.h.status == RPC_CONTINUE && r.h.proc == CONSOLE_PROC &&
	      r.h.serial == 42 && r.len == RPC_HEADER_LEN + 7 &&
	      !memcmp(r.raw + RPC_HEADER_LEN, "login: ", 7));
	reply_free(&r);
	stream_pkt(&cl, CONSOLE_PROC, 42, RPC_CONTINUE, "root\r");
	CHECK(!strcmp(vm_got(&s), "root\r"));
	CHECK(!reply_take(&cl, &r));	/* data is never answered */
	/* Another serial, another proc: not this stream, dropped. */
	stream_pkt(&cl, CONSOLE_PROC, 43, RPC_CONTINUE, "x");
	stream_pkt(&cl, 200, 42, RPC_CONTINUE, "y");
	CHECK(!strcmp(vm_got(&s), ""));
	CHECK(!reply_take(&cl, &r));
	/* Finish: an empty OK, and the stream is gone. */
	stream_pkt(&cl, CONSOLE_PROC, 42, RPC_OK, "");
	CHECK(reply_take(&cl, &r) && r.h.type == RPC_STREAM &&
	      r.h.status == RPC_OK && r.h.serial == 42 && r.len == RPC_HEADER_LEN);
	reply_free(&r);
	CHECK(!cl.console_vm && !s.proc.console);
	console_client_gone(&ctl, &cl);
	CHECK(!ctl.woken);
	rpc_client_free(&cl);
	stand_in_free(&s);
}

static void test_one_client_force_end(void)
{
	struct rpc_client a, b;
	struct stand_in s;
	struct verr err;
	struct reply r;

	stand_in_init(&s);
	rpc_client_init(&a, false);
	rpc_client_init(&b, false);
	CHECK_EQ(console_open(&ctl, &s.dom, &a, 1, false, &err), 0);
	CHECK_EQ(console_open(&ctl, &s.dom, &a, 2, false, &err), -1);
	CHECK_EQ(console_open(&ctl, &s.dom, &b, 3, false, &err), -1);
	CHECK(err.code == VERR_OPERATION_FAILED && strstr(err.msg, "--force"));
	CHECK_EQ(console_open(&ctl, &s.dom, &b, 3, true, &err), 0);
	/* a was forced out: EOF, an empty CONTINUE on its serial. */
	CHECK(reply_take(&a, &r) && r.h.status == RPC_CONTINUE &&
	      r.h.serial == 1 && r.len == RPC_HEADER_LEN);
	reply_free(&r);
	CHECK(!a.console_vm && s.proc.console == &b);
	/* An abort from a, whose stream is gone, is still answered. */
	stream_pkt(&a, CONSOLE_PROC, 1, RPC_ERROR, "");
	CHECK(reply_take(&a, &r) && r.h.status == RPC_OK && r.h.serial == 1);
	reply_free(&r);
	/* The VM ends: b gets EOF. */
	console_vm_ended(&ctl, &s.proc);
	CHECK(reply_take(&b, &r) && r.h.status == RPC_CONTINUE &&
	      r.h.serial == 3 && r.len == RPC_HEADER_LEN);
	reply_free(&r);
	CHECK(!b.console_vm && !s.proc.console);
	console_client_gone(&ctl, &a);
	console_client_gone(&ctl, &b);
	CHECK(!ctl.woken);
	rpc_client_free(&a);
	rpc_client_free(&b);
	/* Not running: refused. */
	s.dom.id = -1;
	s.dom.proc = NULL;
	rpc_client_init(&a, false);
	CHECK_EQ(console_open(&ctl, &s.dom, &a, 1, false, &err), -1);
	CHECK(err.code == VERR_OPERATION_INVALID);
	rpc_client_free(&a);
	stand_in_free(&s);
}

static void test_client_gone_and_slow(void)
{
	struct rpc_client cl;
	struct stand_in s;
	struct verr err;
	uint8_t big[4096];
	size_t i;

	stand_in_init(&s);
	rpc_client_init(&cl, false);
	CHECK_EQ(console_open(&ctl, &s.dom, &cl, 9, false, &err), 0);
	/* A client that never reads: the daemon keeps at most ~RPC_OUT_HIGH. */
	memset(big, 'x', sizeof(big));
	for (i = 0; i < 2 * RPC_OUT_HIGH / sizeof(big); i++)
		console_from_vm(&ctl, &s.proc, big, sizeof(big));
	CHECK(cl.out_len <= RPC_OUT_HIGH + sizeof(big) + RPC_HEADER_LEN);
	console_client_gone(&ctl, &cl);
	CHECK(!s.proc.console && !ctl.woken);
	console_from_vm(&ctl, &s.proc, big, 1);	/* nobody to send to */
	rpc_client_free(&cl);
	stand_in_free(&s);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_both_ways),
	TAP_CASE(test_one_client_force_end),
	TAP_CASE(test_client_gone_and_slow),
};

int main(void)
{
	int r;

	dir = testctl_init(&ctl);
	r = tap_run("vmmd/console", cases, TAP_COUNT(cases));
	testctl_free(&ctl, dir);
	return r;
}
