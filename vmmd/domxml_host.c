// SPDX-License-Identifier: GPL-2.0-only
/* Checks of a domain definition against this host: RAM, files. */
#include <sys/stat.h>

#include "domxml.h"

static int want_file(const char *path, const char *what, bool block_ok,
		     struct verr *err)
{
	struct stat st;

	if (stat(path, &st))
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s '%.256s' does not exist or cannot be reached",
				what, path);
	if (!S_ISREG(st.st_mode) && !(block_ok && S_ISBLK(st.st_mode)))
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s '%.256s' is not a regular file%s",
				what, path, block_ok ? " or block device" : "");
	return 0;
}

int dom_def_check_host(const struct dom_def *def, uint64_t host_ram_kib,
		       struct verr *err)
{
	unsigned int i;

	if (def->mem_kib > host_ram_kib)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: <memory> %llu KiB is more than the host's RAM (%llu KiB)",
				(unsigned long long)def->mem_kib,
				(unsigned long long)host_ram_kib);
	if (want_file(def->kernel, "kernel", false, err))
		return -1;
	if (def->initrd && want_file(def->initrd, "initrd", false, err))
		return -1;
	for (i = 0; i < def->ndisks; i++)
		if (want_file(def->disks[i].path, "disk source file", true, err))
			return -1;
	return 0;
}
