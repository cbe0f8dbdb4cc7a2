/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CONLOG_H
#define VMMD_CONLOG_H

/*
 * A running domain's console log, <run-dir>/<name>.console.log, written
 * by the daemon with every CONSOLE_OUT (docs/sandbox.md). Capped: a
 * write that would take it past the cap starts it over, so it never
 * holds more than the cap, whatever the guest prints. A daemon that
 * reattaches a VM goes on with the log its predecessor wrote, the cap
 * counted from its size.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONLOG_MAX (1U << 20)

struct conlog {
	int fd;			/* -1: no log (it could not be opened) */
	uint64_t size;
	uint64_t max;
};

/* A new VM's log (@fresh) starts empty; a reattached one's goes on. */
void conlog_open(struct conlog *l, const char *path, bool fresh, uint64_t max);
void conlog_write(struct conlog *l, const uint8_t *data, size_t len);
void conlog_close(struct conlog *l);

#endif /* VMMD_CONLOG_H */
