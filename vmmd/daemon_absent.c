// SPDX-License-Identifier: GPL-2.0-only
/*
 * daemon_run() of vmmd-static, the build the rig's initramfs carries: it
 * boots guests (`vmmd run`) but has no control daemon, which needs
 * libxml2, and libxml2 linked statically drags in ICU (~30 MB).
 */
#include <stdio.h>

#include "daemon.h"
#include "exitcode.h"

int daemon_run(const struct daemon_config *cfg)
{
	(void)cfg;
	fprintf(stderr, "vmmd daemon: not in this build (vmmd-static has no libxml2); use the dynamically linked vmmd\n");
	return VMMD_EXIT_FAILURE;
}
