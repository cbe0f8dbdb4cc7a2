/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VERR_H
#define VMMD_VERR_H

/*
 * An error the daemon reports to a libvirt client: libvirt's error code
 * (virErrorNumber, the numbers are part of the wire protocol) and the
 * message virsh prints after "error: ". Every failing path fills one, so
 * the message can name what was wrong.
 */
enum verr_code {
	VERR_INTERNAL = 1,
	VERR_NO_SUPPORT = 3,
	VERR_INVALID_ARG = 8,
	VERR_OPERATION_FAILED = 9,
	VERR_XML_ERROR = 27,
	VERR_DOM_EXIST = 28,
	VERR_OPERATION_DENIED = 29,	/* read-only connection */
	VERR_RPC = 39,
	VERR_NO_DOMAIN = 42,
	VERR_OPERATION_INVALID = 55,
	VERR_CONFIG_UNSUPPORTED = 67,
	VERR_ACCESS_DENIED = 88,
};

struct verr {
	int code;
	char msg[1024];
};

/* Fill @e and return -1, so a failing path reads `return verr_set(...)`. */
int verr_set(struct verr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* VMMD_VERR_H */
