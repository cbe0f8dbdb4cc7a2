// SPDX-License-Identifier: GPL-2.0-only
/* Procedures about the connection and the host: the handshake, version, nodeinfo. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rpc_dispatch.h"

#define REMOTE_AUTH_NONE 0
#define VIR_CONNECT_RO 1U
#define URI_MAX 4096

/* The hypervisor type virsh shows ("Running hypervisor: lamina 0.1.0"). */
#define LAMINA_TYPE "lamina"

static uint64_t version_number(void)
{
	return LAMINA_VERSION_MAJOR * 1000000ULL + LAMINA_VERSION_MINOR * 1000ULL +
	       LAMINA_VERSION_MICRO;
}

/* No arguments at all. */
static int no_args(struct rpc_call *c)
{
	return rpc_args_end(c);
}

int proc_auth_list(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	/* The socket's permissions and SO_PEERCRED are the authentication. */
	xdr_put_u32(c->ret, 1);
	xdr_put_i32(c->ret, REMOTE_AUTH_NONE);
	return 0;
}

/*
 * Every optional feature is answered "no": without keepalive (10) the
 * client sends no PINGs, without the event and close callbacks (14, 15)
 * it registers none.
 */
int proc_supports_feature(struct rpc_call *c)
{
	int32_t feature;

	if (!xdr_get_i32(&c->args, &feature))
		return rpc_bad_args(c);
	if (rpc_args_end(c))
		return -1;
	xdr_put_i32(c->ret, 0);
	return 0;
}

int proc_connect_open(struct rpc_call *c)
{
	uint32_t flags;
	char *name;

	if (!xdr_get_opt_string(&c->args, URI_MAX, &name))
		return rpc_bad_args(c);
	free(name);	/* any URI: the socket already chose this daemon */
	if (!xdr_get_u32(&c->args, &flags))
		return rpc_bad_args(c);
	if (rpc_args_end(c))
		return -1;
	if (flags & VIR_CONNECT_RO)
		c->cl->readonly = true;
	c->cl->opened = true;
	return 0;
}

int proc_connect_close(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	c->cl->opened = false;
	return 0;
}

int proc_get_type(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	xdr_put_string(c->ret, LAMINA_TYPE);
	return 0;
}

int proc_get_version(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	xdr_put_u64(c->ret, version_number());
	return 0;
}

int proc_get_lib_version(struct rpc_call *c)
{
	return proc_get_version(c);
}

int proc_get_hostname(struct rpc_call *c)
{
	char host[256];

	if (no_args(c))
		return -1;
	if (gethostname(host, sizeof(host) - 1))
		return verr_set(&c->err, VERR_OPERATION_FAILED,
				"operation failed: cannot read the host name");
	host[sizeof(host) - 1] = '\0';
	xdr_put_string(c->ret, host);
	return 0;
}

int proc_get_uri(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	xdr_put_string(c->ret, "lamina:///system");
	return 0;
}

int proc_get_max_vcpus(struct rpc_call *c)
{
	char *type;

	if (!xdr_get_opt_string(&c->args, 64, &type))
		return rpc_bad_args(c);
	free(type);
	if (rpc_args_end(c))
		return -1;
	xdr_put_i32(c->ret, DOM_VCPUS_MAX);
	return 0;
}

/* remote_node_get_info_ret: char model[32] (each char a 4-byte word), then the numbers. */
int proc_node_get_info(struct rpc_call *c)
{
	static const char model[32] = "x86_64";
	const struct host_info *h = &c->ctl->host;
	unsigned int i;

	if (no_args(c))
		return -1;
	for (i = 0; i < sizeof(model); i++)
		xdr_put_i32(c->ret, model[i]);
	xdr_put_u64(c->ret, h->ram_kib);
	xdr_put_i32(c->ret, h->cpus);
	xdr_put_i32(c->ret, h->mhz);
	xdr_put_i32(c->ret, 1);		/* NUMA nodes */
	xdr_put_i32(c->ret, 1);		/* sockets per node */
	xdr_put_i32(c->ret, h->cpus);	/* cores per socket */
	xdr_put_i32(c->ret, 1);		/* threads per core */
	return 0;
}

/* A Unix socket on this host is secure (libvirt says the same). */
int proc_is_secure(struct rpc_call *c)
{
	if (no_args(c))
		return -1;
	xdr_put_i32(c->ret, 1);
	return 0;
}
