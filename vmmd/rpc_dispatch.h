/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_RPC_DISPATCH_H
#define VMMD_RPC_DISPATCH_H

/*
 * The procedure table (rpc_table.c): one entry per procedure lamina
 * serves, with its number, its name, what it may be called on, and its
 * handler. Adding a procedure is adding one entry; its permission is
 * declared beside it. A number not in the table is answered NO_SUPPORT.
 */
#include "rpc.h"
#include "verr.h"

/* Allowed on a read-only connection: it changes nothing. */
#define RPC_QUERY (1U << 0)
/* Allowed before CONNECT_OPEN (the handshake). */
#define RPC_PRE_OPEN (1U << 1)

struct rpc_call {
	struct ctl *ctl;
	struct rpc_client *cl;
	uint32_t serial;	/* the call's: a stream it opens keeps it */
	struct xdr_dec args;	/* the call's body */
	struct xdr_enc *ret;	/* the reply's body goes here */
	struct verr err;	/* filled when the handler returns -1 */
};

struct rpc_proc {
	int32_t proc;
	const char *name;
	unsigned int flags;
	int (*fn)(struct rpc_call *c);
};

const struct rpc_proc *rpc_proc_find(int32_t proc);
/* The table itself, for the unit test that checks it is well formed. */
const struct rpc_proc *rpc_proc_table(size_t *n);

/*
 * Helpers for handlers. Each returns 0, or -1 with c->err set (an RPC
 * error for arguments that do not decode).
 */
int rpc_bad_args(struct rpc_call *c);
/* All arguments consumed: call after decoding, before acting. */
int rpc_args_end(struct rpc_call *c);
/* remote_nonnull_domain: found by uuid, else NO_DOMAIN. */
int rpc_get_dom(struct rpc_call *c, struct dom **d);
/* A domain and nothing else. */
int rpc_get_dom_only(struct rpc_call *c, struct dom **d);
/*
 * A domain and u32 flags, refused if a flag outside @allowed is set; the
 * flags go to *@out when @out is not NULL.
 */
int rpc_get_dom_flags(struct rpc_call *c, struct dom **d, uint32_t allowed,
		      uint32_t *out);
void rpc_put_dom(struct rpc_call *c, const struct dom *d);
/* INVALID_ARG naming the flags outside @allowed, if any. */
int rpc_check_flags(struct rpc_call *c, uint32_t flags, uint32_t allowed);

/* Handlers, by file. */
int proc_auth_list(struct rpc_call *c);
int proc_supports_feature(struct rpc_call *c);
int proc_connect_open(struct rpc_call *c);
int proc_connect_close(struct rpc_call *c);
int proc_get_type(struct rpc_call *c);
int proc_get_version(struct rpc_call *c);
int proc_get_lib_version(struct rpc_call *c);
int proc_get_hostname(struct rpc_call *c);
int proc_get_uri(struct rpc_call *c);
int proc_get_max_vcpus(struct rpc_call *c);
int proc_node_get_info(struct rpc_call *c);
int proc_is_secure(struct rpc_call *c);

int proc_lookup_by_id(struct rpc_call *c);
int proc_lookup_by_name(struct rpc_call *c);
int proc_lookup_by_uuid(struct rpc_call *c);
int proc_list_all_domains(struct rpc_call *c);
int proc_num_of_domains(struct rpc_call *c);
int proc_num_of_defined_domains(struct rpc_call *c);
int proc_get_info(struct rpc_call *c);
int proc_get_state(struct rpc_call *c);
int proc_get_os_type(struct rpc_call *c);
int proc_get_max_memory(struct rpc_call *c);
int proc_get_xml_desc(struct rpc_call *c);
int proc_get_autostart(struct rpc_call *c);
int proc_is_active(struct rpc_call *c);
int proc_is_persistent(struct rpc_call *c);
int proc_is_updated(struct rpc_call *c);
int proc_has_managed_save(struct rpc_call *c);
int proc_snapshot_num(struct rpc_call *c);
int proc_get_messages(struct rpc_call *c);

int proc_define_xml(struct rpc_call *c);
int proc_define_xml_flags(struct rpc_call *c);
int proc_undefine(struct rpc_call *c);
int proc_undefine_flags(struct rpc_call *c);
int proc_set_autostart(struct rpc_call *c);

int proc_create(struct rpc_call *c);
int proc_create_with_flags(struct rpc_call *c);
int proc_create_xml(struct rpc_call *c);
int proc_destroy(struct rpc_call *c);
int proc_destroy_flags(struct rpc_call *c);
int proc_suspend(struct rpc_call *c);
int proc_resume(struct rpc_call *c);
int proc_shutdown(struct rpc_call *c);
int proc_shutdown_flags(struct rpc_call *c);
int proc_reboot(struct rpc_call *c);
int proc_open_console(struct rpc_call *c);

#endif /* VMMD_RPC_DISPATCH_H */
