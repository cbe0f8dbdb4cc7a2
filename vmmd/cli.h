/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CLI_H
#define VMMD_CLI_H

#include <stdint.h>
#include <stdio.h>

#define VMMD_MAX_CPUS 64U	/* xAPIC IDs, one MADT, one thread each */
#define VMMD_MIN_MEM (16ULL << 20)
#define VMMD_MAX_MEM (1ULL << 40)

#define VMMD_MAX_DISKS 16U	/* --disk, vda..vdp (DOM_DISKS_MAX) */

struct vmmd_disk {
	const char *path;
	int read_only;		/* FILE,ro */
};

#define VMMD_MAX_NICS 8U	/* --net, one event-thread fd each */

struct vmmd_nic {
	char tap[16];		/* IFNAMSIZ, terminated */
	uint8_t mac[6];		/* unicast; default 52:54:00:12:34:56 + index */
};

/* What `vmmd run` was asked to do, validated for form (not for fit). */
struct vmmd_config {
	const char *kernel;
	/* Tests only: a flat 64-bit binary instead of a kernel (boot.h). */
	const char *raw_payload;
	const char *initrd;	/* NULL: no initrd */
	const char *cmdline;
	const char *dev;
	uint64_t mem;		/* bytes */
	unsigned int cpus;
	struct vmmd_disk disks[VMMD_MAX_DISKS];
	unsigned int ndisks;
	struct vmmd_nic nics[VMMD_MAX_NICS];
	unsigned int nnics;
};
/*
 * TAPNAME[,mac=xx:xx:xx:xx:xx:xx] into the next of cfg->nics: 0, or -1
 * (a name that is empty, too long or has '/', a bad or multicast
 * address, too many).
 */
int vmmd_cli_parse_net(const char *s, struct vmmd_config *cfg);

/*
 * Parse `vmmd run` flags (argv[0] is "run"). Returns 0, or
 * VMMD_EXIT_USAGE after printing the reason; 1 with *help set for --help.
 */
int vmmd_cli_parse_run(int argc, char **argv, struct vmmd_config *cfg,
		       int *help);
void vmmd_cli_usage(FILE *f);
/*
 * "CMD: <fmt with arg>" and a pointer to --help; returns VMMD_EXIT_USAGE.
 * @cmd: the command as typed ("vmmd run", "vmmd-vm").
 */
int vmmd_cli_bad(const char *cmd, const char *fmt, const char *arg);

struct option;
/*
 * The next flag of @cmd (getopt_long over @opts, flags first; the
 * caller sets optind = 1 before the first call). Returns the flag's
 * value, -1 once the flags are done and no argument is left over, or 0
 * after printing why the command line is refused: an unknown flag, a
 * flag without its value, an argument left over.
 */
int vmmd_cli_flag(const char *cmd, int argc, char **argv,
		  const struct option *opts);

#endif /* VMMD_CLI_H */
