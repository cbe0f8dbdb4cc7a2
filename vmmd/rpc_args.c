// SPDX-License-Identifier: GPL-2.0-only
/* Argument helpers shared by the procedure handlers. */
#include <stdlib.h>
#include <string.h>

#include "rpc_dispatch.h"

int rpc_bad_args(struct rpc_call *c)
{
	return verr_set(&c->err, VERR_RPC,
			"RPC error: cannot decode the arguments of this call");
}

int rpc_args_end(struct rpc_call *c)
{
	if (!xdr_dec_done(&c->args))
		return verr_set(&c->err, VERR_RPC,
				"RPC error: %zu unexpected bytes after the arguments",
				c->args.len - c->args.pos);
	return 0;
}

/*
 * remote_nonnull_domain {name, uuid, id}. The uuid identifies the domain:
 * the id a client holds may be stale, and a name can be reused after an
 * undefine.
 */
int rpc_get_dom(struct rpc_call *c, struct dom **d)
{
	uint8_t uuid[16];
	char *name;
	int32_t id;
	char text[37];

	if (!xdr_get_string(&c->args, DOM_NAME_MAX * 4, &name))
		return rpc_bad_args(c);
	if (!xdr_get_fixed(&c->args, uuid, 16) || !xdr_get_i32(&c->args, &id)) {
		free(name);
		return rpc_bad_args(c);
	}
	*d = ctl_find_uuid(c->ctl, uuid);
	if (!*d) {
		dom_uuid_format(uuid, text);
		verr_set(&c->err, VERR_NO_DOMAIN,
			 "Domain not found: no domain with matching uuid '%s' (%.64s)",
			 text, name);
	}
	free(name);
	return *d ? 0 : -1;
}

void rpc_put_dom(struct rpc_call *c, const struct dom *d)
{
	xdr_put_string(c->ret, d->def->name);
	xdr_put_fixed(c->ret, d->def->uuid, 16);
	xdr_put_i32(c->ret, d->id);
}

int rpc_get_dom_only(struct rpc_call *c, struct dom **d)
{
	return rpc_get_dom(c, d) ?: rpc_args_end(c);
}

int rpc_get_dom_flags(struct rpc_call *c, struct dom **d, uint32_t allowed,
		      uint32_t *out)
{
	uint32_t flags;

	if (rpc_get_dom(c, d))
		return -1;
	if (!xdr_get_u32(&c->args, &flags))
		return rpc_bad_args(c);
	if (rpc_args_end(c) || rpc_check_flags(c, flags, allowed))
		return -1;
	if (out)
		*out = flags;
	return 0;
}

int rpc_check_flags(struct rpc_call *c, uint32_t flags, uint32_t allowed)
{
	if (flags & ~allowed)
		return verr_set(&c->err, VERR_INVALID_ARG,
				"invalid argument: unsupported flags (0x%x)",
				flags & ~allowed);
	return 0;
}
