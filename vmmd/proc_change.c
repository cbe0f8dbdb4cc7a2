// SPDX-License-Identifier: GPL-2.0-only
/*
 * Procedures that change domains: define, undefine, autostart; and the
 * lifecycle calls, which need the per-VM process (not built yet) and so
 * answer with an error that says so.
 */
#include <stdlib.h>
#include <string.h>

#include "domxml.h"
#include "rpc_dispatch.h"

/* VIR_DOMAIN_DEFINE_VALIDATE: lamina always validates. */
#define DEFINE_VALIDATE 1U
/*
 * VIR_DOMAIN_UNDEFINE_*: managed save, snapshot metadata, nvram, keep
 * nvram, checkpoint metadata, tpm, keep tpm. lamina has none of those
 * things to remove or keep, so each flag is satisfied as it stands.
 */
#define UNDEFINE_FLAGS 0x7fU

static int define(struct rpc_call *c, bool with_flags)
{
	struct dom *d;
	uint32_t flags = 0;
	char *xml;
	int r;

	if (!xdr_get_string(&c->args, XDR_STRING_MAX, &xml))
		return rpc_bad_args(c);
	r = with_flags && !xdr_get_u32(&c->args, &flags) ? rpc_bad_args(c) :
							    rpc_args_end(c);
	if (!r)
		r = rpc_check_flags(c, flags, DEFINE_VALIDATE);
	if (!r)
		r = ctl_define(c->ctl, xml, strlen(xml), &d, &c->err);
	free(xml);
	if (!r)
		rpc_put_dom(c, d);
	return r;
}

int proc_define_xml(struct rpc_call *c)
{
	return define(c, false);
}

int proc_define_xml_flags(struct rpc_call *c)
{
	return define(c, true);
}

int proc_undefine(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_only(c, &d) ?: ctl_undefine(c->ctl, d, &c->err);
}

int proc_undefine_flags(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_flags(c, &d, UNDEFINE_FLAGS) ?:
	       ctl_undefine(c->ctl, d, &c->err);
}

int proc_set_autostart(struct rpc_call *c)
{
	struct dom *d;
	int32_t on;

	if (rpc_get_dom(c, &d))
		return -1;
	if (!xdr_get_i32(&c->args, &on))
		return rpc_bad_args(c);
	if (rpc_args_end(c))
		return -1;
	return ctl_set_autostart(c->ctl, d, on != 0, &c->err);
}

/*
 * Starting a domain is the per-VM process's job: the daemon never opens
 * /dev/lamina nor maps guest memory. Until that process exists, say so.
 */
static int cannot_start(struct rpc_call *c, const char *name)
{
	return verr_set(&c->err, VERR_NO_SUPPORT,
			"this function is not supported by lamina yet: starting domain '%s' needs the per-VM sandboxed process, which is not built yet",
			name);
}

int proc_create(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_only(c, &d) ?: cannot_start(c, d->def->name);
}

/* Flags PAUSED, AUTODESTROY, BYPASS_CACHE, FORCE_BOOT, VALIDATE, RESET_NVRAM. */
int proc_create_with_flags(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_flags(c, &d, 0x3fU) ?: cannot_start(c, d->def->name);
}

/* CREATE_XML {xml, flags}: a transient domain, started at once. */
int proc_create_xml(struct rpc_call *c)
{
	uint32_t flags;
	char *xml;
	int r;

	if (!xdr_get_string(&c->args, XDR_STRING_MAX, &xml))
		return rpc_bad_args(c);
	r = !xdr_get_u32(&c->args, &flags) ? rpc_bad_args(c) : rpc_args_end(c);
	free(xml);
	if (r)
		return r;
	return verr_set(&c->err, VERR_NO_SUPPORT,
			"this function is not supported by lamina yet: starting a domain needs the per-VM sandboxed process, which is not built yet");
}

/* Stop, pause, resume, reboot: no domain can be running yet. */
static int not_running(struct rpc_call *c, const struct dom *d)
{
	if (d->id == -1)
		return verr_set(&c->err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain '%s' is not running (lamina cannot start domains yet: the per-VM process is not built)",
				d->def->name);
	return verr_set(&c->err, VERR_INTERNAL,
			"internal error: domain '%s' is running but has no per-VM process",
			d->def->name);
}

int proc_dom_not_running(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_only(c, &d) ?: not_running(c, d);
}

/* Whatever the flags ask (graceful, signal, ACPI...), the answer is the same. */
int proc_dom_not_running_flags(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_flags(c, &d, ~0U) ?: not_running(c, d);
}

/* OPEN_CONSOLE {dom; optional string dev; u32 flags}. */
int proc_open_console(struct rpc_call *c)
{
	uint32_t flags;
	struct dom *d;
	char *dev;

	if (rpc_get_dom(c, &d))
		return -1;
	if (!xdr_get_opt_string(&c->args, 256, &dev))
		return rpc_bad_args(c);
	free(dev);
	if (!xdr_get_u32(&c->args, &flags))
		return rpc_bad_args(c);
	if (rpc_args_end(c))
		return -1;
	return not_running(c, d);
}
