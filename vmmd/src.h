/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_SRC_H
#define VMMD_SRC_H

#include <stdbool.h>

/* What a daemon epoll event points at (daemon.c, vmctl.c). */
enum src_kind { SRC_LISTEN, SRC_SIGNAL, SRC_CLIENT, SRC_VM };

struct src {
	enum src_kind kind;
	int fd;
	bool readonly;		/* a listener: the read-only socket */
};

#endif /* VMMD_SRC_H */
