// SPDX-License-Identifier: GPL-2.0-only
/* What NODE_GET_INFO reports, and the RAM that bounds a domain's memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "ctl.h"

static unsigned int cpu_mhz(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[256];
	double mhz = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "cpu MHz", 7) &&
		    sscanf(strchr(line, ':') ? strchr(line, ':') + 1 : "", "%lf", &mhz) == 1)
			break;
	fclose(f);
	return (unsigned int)mhz;
}

void host_info_read(struct host_info *h)
{
	struct sysinfo si;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(h, 0, sizeof(*h));
	if (!sysinfo(&si))
		h->ram_kib = (uint64_t)si.totalram * si.mem_unit / 1024;
	h->cpus = n > 0 ? (unsigned int)n : 1;
	h->mhz = cpu_mhz();
}
