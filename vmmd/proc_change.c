// SPDX-License-Identifier: GPL-2.0-only
/*
 * Procedures that change domains: define, undefine, autostart; and the
 * lifecycle calls, which vmctl.c carries out with the per-VM process.
 */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "domxml.h"
#include "rpc_dispatch.h"
#include "vmctl.h"

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

	return rpc_get_dom_flags(c, &d, UNDEFINE_FLAGS, NULL) ?:
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
 * VIR_DOMAIN_START_*: PAUSED, AUTODESTROY, BYPASS_CACHE, FORCE_BOOT,
 * VALIDATE, RESET_NVRAM. Only PAUSED changes anything here.
 */
#define CREATE_PAUSED 1U
#define CREATE_FLAGS 0x3fU

int proc_create(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_only(c, &d) ?: vmctl_start(c->ctl, d, false, &c->err);
}

int proc_create_with_flags(struct rpc_call *c)
{
	struct dom *d;
	uint32_t flags;

	if (rpc_get_dom_flags(c, &d, CREATE_FLAGS, &flags) ||
	    vmctl_start(c->ctl, d, flags & CREATE_PAUSED, &c->err))
		return -1;
	rpc_put_dom(c, d);
	return 0;
}

/*
 * CREATE_XML {xml, flags}: a transient domain, started at once. If it
 * does not start it is shut off and gone at the next sweep
 * (ctl_sweep_transient), as it is once it stops.
 */
int proc_create_xml(struct rpc_call *c)
{
	uint32_t flags;
	struct dom *d;
	char *xml;
	int r;

	if (!xdr_get_string(&c->args, XDR_STRING_MAX, &xml))
		return rpc_bad_args(c);
	r = !xdr_get_u32(&c->args, &flags) ? rpc_bad_args(c) : rpc_args_end(c);
	if (!r)
		r = rpc_check_flags(c, flags, CREATE_FLAGS);
	if (!r)
		r = ctl_add_transient(c->ctl, xml, strlen(xml), true, &d, &c->err);
	free(xml);
	if (!r)
		r = vmctl_start(c->ctl, d, flags & CREATE_PAUSED, &c->err);
	if (!r)
		rpc_put_dom(c, d);
	return r;
}

/* DESTROY, SUSPEND, RESUME, SHUTDOWN: {dom}. */
static int dom_call(struct rpc_call *c, int (*fn)(struct ctl *, struct dom *,
						  struct verr *))
{
	struct dom *d;

	return rpc_get_dom_only(c, &d) ?: fn(c->ctl, d, &c->err);
}

int proc_destroy(struct rpc_call *c) { return dom_call(c, vmctl_destroy); }
int proc_suspend(struct rpc_call *c) { return dom_call(c, vmctl_suspend); }
int proc_resume(struct rpc_call *c) { return dom_call(c, vmctl_resume); }
int proc_shutdown(struct rpc_call *c) { return dom_call(c, vmctl_shutdown); }

/* DESTROY_FLAGS: GRACEFUL (1) is what destroy does anyway: kill, reap. */
int proc_destroy_flags(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_flags(c, &d, 1U, NULL) ?: vmctl_destroy(c->ctl, d, &c->err);
}

/* SHUTDOWN_FLAGS: DEFAULT (0) or ACPI_POWER_BTN (1), the one way there is. */
int proc_shutdown_flags(struct rpc_call *c)
{
	struct dom *d;

	return rpc_get_dom_flags(c, &d, 1U, NULL) ?: vmctl_shutdown(c->ctl, d, &c->err);
}

/*
 * REBOOT: DEFAULT or ACPI_POWER_BTN reset the machine. SIGNAL (8) is,
 * only under --test-hooks, the sandbox test's trigger: the VM process
 * makes a syscall its seccomp filter forbids.
 */
#define REBOOT_SIGNAL 8U

int proc_reboot(struct rpc_call *c)
{
	struct dom *d;
	uint32_t flags;

	if (rpc_get_dom_flags(c, &d, 1U | REBOOT_SIGNAL, &flags))
		return -1;
	if (flags & REBOOT_SIGNAL)
		return vmctl_test_forbidden(c->ctl, d, &c->err);
	return vmctl_reboot(c->ctl, d, &c->err);
}

/*
 * OPEN_CONSOLE {dom; optional string dev; u32 flags}: the domain's one
 * console, by no name or its alias serial0/console0. FORCE (1) takes it
 * from another client; SAFE (2) is what lamina does anyway (one client).
 */
#define CONSOLE_FORCE 1U
#define CONSOLE_FLAGS 3U

int proc_open_console(struct rpc_call *c)
{
	uint32_t flags;
	struct dom *d;
	char *dev;
	int r;

	if (rpc_get_dom(c, &d))
		return -1;
	if (!xdr_get_opt_string(&c->args, 256, &dev))
		return rpc_bad_args(c);
	r = !xdr_get_u32(&c->args, &flags) ? rpc_bad_args(c) : rpc_args_end(c);
	if (!r)
		r = rpc_check_flags(c, flags, CONSOLE_FLAGS);
	if (!r && dev && strcmp(dev, "serial0") && strcmp(dev, "console0"))
		r = verr_set(&c->err, VERR_INVALID_ARG,
			     "invalid argument: no console device '%.64s' (lamina has serial0, alias console0)",
			     dev);
	free(dev);
	return r ?: console_open(c->ctl, d, c->cl, c->serial,
				 flags & CONSOLE_FORCE, &c->err);
}
