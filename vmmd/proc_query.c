// SPDX-License-Identifier: GPL-2.0-only
/* Procedures that read domains: lookups, lists, info, state, XML. */
#include <stdlib.h>
#include <string.h>

#include "domxml.h"
#include "rpc_dispatch.h"

/* virConnectListAllDomainsFlags: pairs of filters; none set in a pair = no filter. */
#define LIST_ACTIVE (1U << 0)
#define LIST_INACTIVE (1U << 1)
#define LIST_PERSISTENT (1U << 2)
#define LIST_TRANSIENT (1U << 3)
#define LIST_RUNNING (1U << 4)
#define LIST_PAUSED (1U << 5)
#define LIST_SHUTOFF (1U << 6)
#define LIST_OTHER (1U << 7)
#define LIST_MANAGEDSAVE (1U << 8)
#define LIST_NO_MANAGEDSAVE (1U << 9)
#define LIST_AUTOSTART (1U << 10)
#define LIST_NO_AUTOSTART (1U << 11)
#define LIST_HAS_SNAPSHOT (1U << 12)
#define LIST_NO_SNAPSHOT (1U << 13)
#define LIST_HAS_CHECKPOINT (1U << 14)
#define LIST_NO_CHECKPOINT (1U << 15)
#define LIST_ALL_FLAGS 0xffffU

/* Reply with one domain (every lookup). */
static int found(struct rpc_call *c, struct dom *d, const char *how)
{
	if (!d)
		return verr_set(&c->err, VERR_NO_DOMAIN,
				"Domain not found: no domain with matching %s", how);
	rpc_put_dom(c, d);
	return 0;
}

int proc_lookup_by_id(struct rpc_call *c)
{
	int32_t id;

	if (!xdr_get_i32(&c->args, &id))
		return rpc_bad_args(c);
	return rpc_args_end(c) ?: found(c, ctl_find_id(c->ctl, id), "id");
}

int proc_lookup_by_name(struct rpc_call *c)
{
	struct dom *d;
	char *name;
	int r;

	if (!xdr_get_string(&c->args, XDR_STRING_MAX, &name))
		return rpc_bad_args(c);
	r = rpc_args_end(c);
	if (!r) {
		d = ctl_find_name(c->ctl, name);
		r = d ? found(c, d, "name") :
			verr_set(&c->err, VERR_NO_DOMAIN,
				 "Domain not found: no domain with matching name '%.64s'",
				 name);
	}
	free(name);
	return r;
}

int proc_lookup_by_uuid(struct rpc_call *c)
{
	uint8_t uuid[16];
	char text[37];
	struct dom *d;

	if (!xdr_get_fixed(&c->args, uuid, 16))
		return rpc_bad_args(c);
	if (rpc_args_end(c))
		return -1;
	d = ctl_find_uuid(c->ctl, uuid);
	if (d)
		return found(c, d, "uuid");
	dom_uuid_format(uuid, text);
	return verr_set(&c->err, VERR_NO_DOMAIN,
			"Domain not found: no domain with matching uuid '%s'", text);
}

static bool pair(unsigned int flags, unsigned int yes, unsigned int no,
		 bool is)
{
	if (!(flags & (yes | no)))
		return true;
	return is ? (flags & yes) : (flags & no);
}

static bool list_match(const struct dom *d, unsigned int f)
{
	bool active = d->id != -1;
	bool other = d->state != DOM_STATE_RUNNING &&
		     d->state != DOM_STATE_PAUSED && d->state != DOM_STATE_SHUTOFF;

	if (!pair(f, LIST_ACTIVE, LIST_INACTIVE, active) ||
	    !pair(f, LIST_PERSISTENT, LIST_TRANSIENT, !d->transient) ||
	    !pair(f, LIST_MANAGEDSAVE, LIST_NO_MANAGEDSAVE, false) ||
	    !pair(f, LIST_AUTOSTART, LIST_NO_AUTOSTART, d->autostart) ||
	    !pair(f, LIST_HAS_SNAPSHOT, LIST_NO_SNAPSHOT, false) ||
	    !pair(f, LIST_HAS_CHECKPOINT, LIST_NO_CHECKPOINT, false))
		return false;
	if (!(f & (LIST_RUNNING | LIST_PAUSED | LIST_SHUTOFF | LIST_OTHER)))
		return true;
	return ((f & LIST_RUNNING) && d->state == DOM_STATE_RUNNING) ||
	       ((f & LIST_PAUSED) && d->state == DOM_STATE_PAUSED) ||
	       ((f & LIST_SHUTOFF) && d->state == DOM_STATE_SHUTOFF) ||
	       ((f & LIST_OTHER) && other);
}

/* {int need_results; u32 flags} -> {domains<16384>; u32 ret}. */
int proc_list_all_domains(struct rpc_call *c)
{
	struct ctl *ctl = c->ctl;
	uint32_t flags, n = 0;
	int32_t need;
	size_t i, at;

	if (!xdr_get_i32(&c->args, &need) || !xdr_get_u32(&c->args, &flags))
		return rpc_bad_args(c);
	if (rpc_args_end(c) || rpc_check_flags(c, flags, LIST_ALL_FLAGS))
		return -1;
	at = c->ret->len;
	xdr_put_u32(c->ret, 0);	/* count, patched below */
	for (i = 0; i < ctl->ndoms; i++) {
		if (!list_match(ctl->doms[i], flags))
			continue;
		if (need)
			rpc_put_dom(c, ctl->doms[i]);
		n++;
	}
	xdr_patch_u32(c->ret, at, need ? n : 0);
	xdr_put_u32(c->ret, n);
	return 0;
}

static int count_active(struct rpc_call *c, bool active)
{
	size_t i;
	int32_t n = 0;

	if (rpc_args_end(c))
		return -1;
	for (i = 0; i < c->ctl->ndoms; i++)
		n += (c->ctl->doms[i]->id != -1) == active;
	xdr_put_i32(c->ret, n);
	return 0;
}

int proc_num_of_domains(struct rpc_call *c)
{
	return count_active(c, true);
}

int proc_num_of_defined_domains(struct rpc_call *c)
{
	return count_active(c, false);
}

/* GET_INFO: state, maxMem, memory, nrVirtCpu (a u16: one XDR word), cpuTime. */
int proc_get_info(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_only(c, &d))
		return -1;
	xdr_put_i32(c->ret, d->state);
	xdr_put_u64(c->ret, d->def->mem_kib);
	xdr_put_u64(c->ret, d->def->cur_mem_kib);
	xdr_put_u32(c->ret, d->def->vcpus);
	xdr_put_u64(c->ret, 0);	/* cpu time: nothing has run */
	return 0;
}

int proc_get_state(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_flags(c, &d, 0, NULL))
		return -1;
	xdr_put_i32(c->ret, d->state);
	xdr_put_i32(c->ret, d->reason);
	return 0;
}

int proc_get_os_type(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_only(c, &d))
		return -1;
	xdr_put_string(c->ret, "hvm");
	return 0;
}

int proc_get_max_memory(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_only(c, &d))
		return -1;
	xdr_put_u64(c->ret, d->def->mem_kib);
	return 0;
}

/* Flags SECURE, INACTIVE, UPDATE_CPU, MIGRATABLE: the XML is the same for each. */
int proc_get_xml_desc(struct rpc_call *c)
{
	struct dom *d;
	char *xml;

	if (rpc_get_dom_flags(c, &d, 0xfU, NULL))
		return -1;
	xml = domxml_format(d->def);
	if (!xml)
		return verr_set(&c->err, VERR_INTERNAL, "out of memory");
	xdr_put_string(c->ret, xml);
	free(xml);
	return 0;
}

static int dom_int(struct rpc_call *c, int (*value)(const struct dom *))
{
	struct dom *d;

	if (rpc_get_dom_only(c, &d))
		return -1;
	xdr_put_i32(c->ret, value(d));
	return 0;
}

static int autostart_of(const struct dom *d) { return d->autostart; }
static int active_of(const struct dom *d) { return d->id != -1; }
static int persistent_of(const struct dom *d) { return !d->transient; }
static int zero(const struct dom *d) { (void)d; return 0; }

int proc_get_autostart(struct rpc_call *c) { return dom_int(c, autostart_of); }
int proc_is_active(struct rpc_call *c) { return dom_int(c, active_of); }
int proc_is_persistent(struct rpc_call *c) { return dom_int(c, persistent_of); }
int proc_is_updated(struct rpc_call *c) { return dom_int(c, zero); }

int proc_has_managed_save(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_flags(c, &d, 0, NULL))
		return -1;
	xdr_put_i32(c->ret, 0);
	return 0;
}

int proc_snapshot_num(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_flags(c, &d, 0x7ffU, NULL))
		return -1;
	xdr_put_i32(c->ret, 0);
	return 0;
}

/* {dom, flags} -> {msgs<>}: lamina records no tainting or deprecation messages. */
int proc_get_messages(struct rpc_call *c)
{
	struct dom *d;

	if (rpc_get_dom_flags(c, &d, 0x3U, NULL))
		return -1;
	xdr_put_u32(c->ret, 0);
	return 0;
}
