/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_STORE_H
#define VMMD_STORE_H

/*
 * The daemon's state directory: one <name>.xml per defined domain, and
 * autostart/<name>.xml, a symlink to ../<name>.xml, per autostarted one.
 * Every change is atomic and durable: a new file is written beside the
 * old one, fsynced, renamed over it, and the directory is fsynced, so a
 * crash leaves the old file or the new one, never a torn one.
 */
#include <stdbool.h>

#include "verr.h"

int store_init(const char *dir, struct verr *err);
/* <dir>/<name>.xml, through store_put. */
int store_write(const char *dir, const char *name, const char *xml,
		struct verr *err);
/* <dir>/<leaf> holds @text: written to <dir>/.<leaf>.new, fsynced, renamed. */
int store_put(const char *dir, const char *leaf, const char *text,
	      struct verr *err);
int store_remove(const char *dir, const char *name, struct verr *err);
int store_set_autostart(const char *dir, const char *name, bool on,
			struct verr *err);
bool store_autostart(const char *dir, const char *name);
/* The contents of <dir>/<file>, at most max bytes; NULL on error. */
char *store_read(const char *dir, const char *file, size_t max, size_t *len);

#endif /* VMMD_STORE_H */
