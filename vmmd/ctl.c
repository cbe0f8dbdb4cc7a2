// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain table: lookups, define, undefine, autostart, and loading
 * what the state directory holds at start.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "domxml.h"
#include "store.h"

struct dom *ctl_find_uuid(const struct ctl *ctl, const uint8_t uuid[16])
{
	size_t i;

	for (i = 0; i < ctl->ndoms; i++)
		if (!memcmp(ctl->doms[i]->def->uuid, uuid, 16))
			return ctl->doms[i];
	return NULL;
}

struct dom *ctl_find_name(const struct ctl *ctl, const char *name)
{
	size_t i;

	for (i = 0; i < ctl->ndoms; i++)
		if (!strcmp(ctl->doms[i]->def->name, name))
			return ctl->doms[i];
	return NULL;
}

struct dom *ctl_find_id(const struct ctl *ctl, int id)
{
	size_t i;

	for (i = 0; id >= 0 && i < ctl->ndoms; i++)
		if (ctl->doms[i]->id == id)
			return ctl->doms[i];
	return NULL;
}

/* A new record, inactive; takes @def. NULL if the table is full or no memory. */
static struct dom *add(struct ctl *ctl, struct dom_def *def)
{
	struct dom *d;

	if (ctl->ndoms == CTL_DOMAINS_MAX)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->def = def;
	d->state = DOM_STATE_SHUTOFF;
	d->reason = DOM_SHUTOFF_UNKNOWN;
	d->id = -1;
	ctl->doms[ctl->ndoms++] = d;
	return d;
}

static void drop(struct ctl *ctl, struct dom *d)
{
	size_t i;

	for (i = 0; i < ctl->ndoms; i++)
		if (ctl->doms[i] == d)
			break;
	if (i == ctl->ndoms)
		return;
	memmove(&ctl->doms[i], &ctl->doms[i + 1],
		(ctl->ndoms - i - 1) * sizeof(ctl->doms[0]));
	ctl->ndoms--;
	dom_def_free(d->def);
	free(d);
}

/* Which existing record @def replaces (NULL: a new domain), or a clash. */
static int match_existing(struct ctl *ctl, const struct dom_def *def,
			  struct dom **old, struct verr *err)
{
	struct dom *by_name = ctl_find_name(ctl, def->name);
	struct dom *by_uuid = ctl_find_uuid(ctl, def->uuid);
	char uuid[37];

	*old = NULL;
	if (by_name && by_name != by_uuid) {
		dom_uuid_format(by_name->def->uuid, uuid);
		return verr_set(err, VERR_DOM_EXIST,
				"operation failed: domain '%s' already exists with uuid %s",
				def->name, uuid);
	}
	if (by_uuid && by_uuid != by_name) {
		dom_uuid_format(def->uuid, uuid);
		return verr_set(err, VERR_DOM_EXIST,
				"operation failed: domain '%s' already exists with uuid %s",
				by_uuid->def->name, uuid);
	}
	*old = by_name;
	return 0;
}

int ctl_define(struct ctl *ctl, const char *xml, size_t len, struct dom **out,
	       struct verr *err)
{
	struct dom_def *def;
	struct dom *old;
	char *text = NULL;

	if (domxml_parse(xml, len, &def, err))
		return -1;
	if (dom_def_check_host(def, ctl->host.ram_kib, err) ||
	    match_existing(ctl, def, &old, err))
		goto fail;
	if (!old && ctl->ndoms == CTL_DOMAINS_MAX) {
		verr_set(err, VERR_OPERATION_FAILED,
			 "operation failed: lamina manages at most %u domains",
			 CTL_DOMAINS_MAX);
		goto fail;
	}
	text = domxml_format(def);
	if (!text) {
		verr_set(err, VERR_INTERNAL, "out of memory");
		goto fail;
	}
	/* On disk first: a failure here leaves the table as it was. */
	if (store_write(ctl->state_dir, def->name, text, err))
		goto fail;
	free(text);
	if (old) {
		/* Defining a running transient domain makes it persistent. */
		dom_def_free(old->def);
		old->def = def;
		old->transient = false;
		*out = old;
		return 0;
	}
	*out = add(ctl, def);
	if (*out)
		return 0;
	/* calloc failed after the file was written: take the file back. */
	store_remove(ctl->state_dir, def->name, err);
	verr_set(err, VERR_INTERNAL, "out of memory");
	def = NULL;
fail:
	free(text);
	dom_def_free(def);
	return -1;
}

/*
 * A transient domain: in the table while it runs, never on disk. Its
 * name and uuid must be free: lamina does not run a new definition
 * under a defined domain's name.
 */
int ctl_add_transient(struct ctl *ctl, const char *xml, size_t len,
		      bool check_host, struct dom **out, struct verr *err)
{
	struct dom_def *def;
	struct dom *old;

	if (domxml_parse(xml, len, &def, err))
		return -1;
	if ((check_host && dom_def_check_host(def, ctl->host.ram_kib, err)) ||
	    match_existing(ctl, def, &old, err))
		goto fail;
	if (old) {
		verr_set(err, VERR_DOM_EXIST,
			 "operation failed: domain '%s' already exists (virsh start runs a defined domain)",
			 def->name);
		goto fail;
	}
	*out = add(ctl, def);
	if (*out) {
		(*out)->transient = true;
		return 0;
	}
	verr_set(err, VERR_OPERATION_FAILED,
		 "operation failed: lamina manages at most %u domains", CTL_DOMAINS_MAX);
fail:
	dom_def_free(def);
	return -1;
}

void ctl_sweep_transient(struct ctl *ctl)
{
	size_t i = ctl->ndoms;

	while (i--)
		if (ctl->doms[i]->transient && ctl->doms[i]->id == -1)
			drop(ctl, ctl->doms[i]);
}

int ctl_undefine(struct ctl *ctl, struct dom *d, struct verr *err)
{
	if (d->transient)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: cannot undefine transient domain '%s'",
				d->def->name);
	if (d->id != -1)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: domain '%s' is running",
				d->def->name);
	if (store_remove(ctl->state_dir, d->def->name, err))
		return -1;
	drop(ctl, d);
	return 0;
}

int ctl_set_autostart(struct ctl *ctl, struct dom *d, bool on, struct verr *err)
{
	if (d->transient)
		return verr_set(err, VERR_OPERATION_INVALID,
				"Requested operation is not valid: cannot set autostart for transient domain '%s'",
				d->def->name);
	if (store_set_autostart(ctl->state_dir, d->def->name, on, err))
		return -1;
	d->autostart = on;
	return 0;
}

/* Load one <name>.xml; complain and skip it if it is not a good domain. */
static void load_one(struct ctl *ctl, const char *file)
{
	size_t n = strlen(file), len;
	struct dom_def *def;
	struct verr err;
	struct dom *d, *old;
	char *xml;

	xml = store_read(ctl->state_dir, file, DOMXML_MAX, &len);
	if (!xml) {
		fprintf(stderr, "vmmd daemon: %s/%s: cannot read it (or larger than %u bytes); skipped\n",
			ctl->state_dir, file, DOMXML_MAX);
		return;
	}
	if (domxml_parse(xml, len, &def, &err)) {
		fprintf(stderr, "vmmd daemon: %s/%s: %s; skipped\n",
			ctl->state_dir, file, err.msg);
		free(xml);
		return;
	}
	free(xml);
	if (strlen(def->name) != n - 4 || strncmp(def->name, file, n - 4)) {
		fprintf(stderr, "vmmd daemon: %s/%s: holds domain '%s', not '%.*s'; skipped\n",
			ctl->state_dir, file, def->name, (int)(n - 4), file);
	} else if (match_existing(ctl, def, &old, &err) || old) {
		fprintf(stderr, "vmmd daemon: %s/%s: %s; skipped\n",
			ctl->state_dir, file, old ? "defined twice" : err.msg);
	} else if (!(d = add(ctl, def))) {
		fprintf(stderr, "vmmd daemon: %s/%s: too many domains; skipped\n",
			ctl->state_dir, file);
	} else {
		d->autostart = store_autostart(ctl->state_dir, def->name);
		return;
	}
	dom_def_free(def);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load in name order, so that which of two clashing files wins is stable. */
static int load_all(struct ctl *ctl, struct verr *err)
{
	struct dirent *e;
	char **names = NULL, **grown;
	size_t n = 0, i, len;
	DIR *dir;

	dir = opendir(ctl->state_dir);
	if (!dir)
		return verr_set(err, VERR_OPERATION_FAILED, "cannot read %s",
				ctl->state_dir);
	while ((e = readdir(dir))) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 ||
		    strcmp(e->d_name + len - 4, ".xml"))
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown || !(grown[n] = strdup(e->d_name))) {
			names = grown ? grown : names;
			break;
		}
		names = grown;
		n++;
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		load_one(ctl, names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int ctl_init(struct ctl *ctl, const char *state_dir, struct verr *err)
{
	memset(ctl, 0, sizeof(*ctl));
	ctl->state_dir = state_dir;
	ctl->next_id = 1;
	host_info_read(&ctl->host);
	if (store_init(state_dir, err))
		return -1;
	ctl->doms = calloc(CTL_DOMAINS_MAX, sizeof(*ctl->doms));
	if (!ctl->doms)
		return verr_set(err, VERR_INTERNAL, "out of memory");
	return load_all(ctl, err);
}

void ctl_free(struct ctl *ctl)
{
	while (ctl->ndoms)
		drop(ctl, ctl->doms[ctl->ndoms - 1]);
	free(ctl->doms);
	ctl->doms = NULL;
}
