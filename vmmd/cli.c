// SPDX-License-Identifier: GPL-2.0-only
/* `vmmd run` flags: parsed and checked for form before anything else. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"

void vmmd_cli_usage(FILE *f)
{
	fprintf(f,
		"usage: vmmd probe [--dev PATH]\n"
		"       vmmd run --kernel BZIMAGE [--initrd FILE] [--cmdline STR]\n"
		"                [--mem SIZE] [--cpus N] [--dev PATH] [--disk FILE[,ro]]...\n"
		"                [--net TAPNAME[,mac=MAC]]...\n"
		"       vmmd run --raw-payload FILE [--mem SIZE] [--cpus N] [--dev PATH]\n"
		"                [--disk FILE[,ro]]...\n"
		"       vmmd daemon [--socket PATH] [--ro-socket PATH] [--state-dir DIR]\n"
		"                   [--run-dir DIR] [--group NAME]\n"
		"\n"
		"  probe      report the KVM API version and extensions of a\n"
		"             hypervisor device\n"
		"  run        boot a Linux bzImage (x86 boot protocol 2.12+, 64-bit\n"
		"             entry); the guest's ttyS0 is vmmd's stdin/stdout\n"
		"  --kernel   the guest kernel, a bzImage (this or --raw-payload)\n"
		"  --raw-payload  for tests: a flat 64-bit binary loaded at 1 MiB and\n"
		"             entered there in long mode (identity-mapped low 4 GiB,\n"
		"             interrupts off, no boot_params); same devices\n"
		"  --initrd   an initramfs or initrd image\n"
		"  --cmdline  the guest kernel command line (default \"console=ttyS0\")\n"
		"  --mem      guest RAM: a number with an optional K, M or G suffix;\n"
		"             no suffix means MiB (default 256M)\n"
		"  --cpus     vCPUs, 1-%u (default 1)\n"
		"  --dev      /dev/lamina or /dev/kvm: vmmd speaks the same ABI to\n"
		"             both (default /dev/lamina)\n"
		"  --disk     a raw disk image as a virtio-blk disk (vda, vdb, ...,\n"
		"             up to %u); FILE,ro: read-only. The guest also gets a\n"
		"             virtio-rng. Both are virtio 1.x PCI devices\n"
		"  --net      a virtio-net NIC on tap device TAPNAME (opened, or\n"
		"             created, with /dev/net/tun; up to %u); mac= its\n"
		"             address (default 52:54:00:12:34:56, the last byte\n"
		"             plus the NIC's index)\n"
		"\n"
		"  daemon       the control daemon: serves libvirt's remote protocol\n"
		"               so that virsh manages lamina's domains (docs/virsh.md)\n"
		"  --socket     read-write socket: root only, mode 0600 (0660 and\n"
		"               that group too with --group)\n"
		"               (default <run-dir>/lamina-sock)\n"
		"  --ro-socket  read-only socket for anyone, mode 0666: queries only\n"
		"               (default <run-dir>/lamina-sock-ro)\n"
		"  --state-dir  defined domains, <name>.xml, and autostart/\n"
		"               (default /var/lib/lamina)\n"
		"  --run-dir    where the sockets live (default /run/lamina)\n"
		"  --group      also admit this group on the read-write socket\n"
		"  virsh -c 'lamina+unix:///system?socket=PATH' CMD talks to it;\n"
		"  make install sets up the alias: virsh -c lamina CMD.\n"
		"\n"
		"exit status of run: 0 guest powered off, 1 run-time failure,\n"
		"2 bad flags, 3 bad kernel/initrd file, 4 does not fit (memory,\n"
		"initrd, command line), 5 device unusable, 6 guest reset,\n"
		"7 guest triple fault, 8 guest kernel panic, 9 SIGINT/SIGTERM.\n"
		"exit status of daemon: 0 stopped by SIGINT/SIGTERM, 1 cannot start,\n"
		"2 bad flags.\n"
		"See vmmd(1) (docs/vmmd.1.md).\n",
		VMMD_MAX_CPUS, VMMD_MAX_DISKS, VMMD_MAX_NICS);
}

/* "256M", "1G", "65536K", "512" (MiB). Returns 0 or -1. */
static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	uint64_t shift = 20;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end) {
		switch (*end) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return -1;
		}
		if (end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B"))
			return -1;
	}
	if (v > (VMMD_MAX_MEM >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_cpus(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > VMMD_MAX_CPUS)
		return -1;
	*out = v;
	return 0;
}

/* FILE or FILE,ro; the ",ro" is cut off the argument in place. */
static int parse_disk(char *s, struct vmmd_config *cfg)
{
	size_t n = strlen(s);
	struct vmmd_disk *d;

	if (cfg->ndisks == VMMD_MAX_DISKS)
		return -1;
	d = &cfg->disks[cfg->ndisks];
	d->read_only = n >= 3 && !strcmp(s + n - 3, ",ro");
	if (n == (d->read_only ? 3U : 0U))
		return -1;		/* no FILE */
	if (d->read_only)
		s[n - 3] = '\0';
	d->path = s;
	cfg->ndisks++;
	return 0;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6], i;
	char end;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	/* A NIC's own address: unicast (I/G bit clear), not all zeros. */
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -1;
	return 0;
}

int vmmd_cli_parse_net(const char *s, struct vmmd_config *cfg)
{
	static const uint8_t def[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const char *comma = strchr(s, ',');
	size_t len = comma ? (size_t)(comma - s) : strlen(s);
	struct vmmd_nic *n;

	if (cfg->nnics == VMMD_MAX_NICS || len == 0 ||
	    len >= sizeof(n->tap) || memchr(s, '/', len))
		return -1;
	n = &cfg->nics[cfg->nnics];
	memset(n, 0, sizeof(*n));
	memcpy(n->tap, s, len);
	memcpy(n->mac, def, 6);
	n->mac[5] += cfg->nnics;
	if (comma && (strncmp(comma + 1, "mac=", 4) ||
		      parse_mac(comma + 5, n->mac)))
		return -1;
	cfg->nnics++;
	return 0;
}

int vmmd_cli_bad(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(--help lists the flags)\n");
	return VMMD_EXIT_USAGE;
}

int vmmd_cli_flag(const char *cmd, int argc, char **argv,
		  const struct option *opts)
{
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, "+:", opts, NULL);
	if (c == ':')
		vmmd_cli_bad(cmd, "%s needs a value", argv[optind - 1]);
	else if (c == '?')
		vmmd_cli_bad(cmd, "unknown flag '%s'", argv[optind - 1]);
	else if (c == -1 && optind < argc)
		vmmd_cli_bad(cmd, "unexpected argument '%s'", argv[optind]);
	else
		return c;
	return 0;
}

static int bad(const char *fmt, const char *arg)
{
	return vmmd_cli_bad("vmmd run", fmt, arg);
}

int vmmd_cli_parse_run(int argc, char **argv, struct vmmd_config *cfg,
		       int *help)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "raw-payload", required_argument, NULL, 'r' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'n' },
		{ "dev", required_argument, NULL, 'd' },
		{ "disk", required_argument, NULL, 'D' },
		{ "net", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, cmdline_set = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->cmdline = "console=ttyS0";
	cfg->dev = "/dev/lamina";
	cfg->mem = 256ULL << 20;
	cfg->cpus = 1;
	*help = 0;

	optind = 1;
	while ((c = vmmd_cli_flag("vmmd run", argc, argv, opts)) > 0) {
		switch (c) {
		case 'k': cfg->kernel = optarg; break;
		case 'r': cfg->raw_payload = optarg; break;
		case 'i': cfg->initrd = optarg; break;
		case 'c': cfg->cmdline = optarg; cmdline_set = 1; break;
		case 'd': cfg->dev = optarg; break;
		case 'm':
			if (parse_size(optarg, &cfg->mem))
				return bad("--mem '%s': want a size such as 256M or 1G", optarg);
			if (cfg->mem < VMMD_MIN_MEM)
				return bad("--mem '%s': at least 16M", optarg);
			break;
		case 'n':
			if (parse_cpus(optarg, &cfg->cpus))
				return bad("--cpus '%s': want a number from 1 to 64", optarg);
			break;
		case 'D':
			if (parse_disk(optarg, cfg))
				return bad("--disk '%s': want FILE or FILE,ro, at most 16 of them", optarg);
			break;
		case 'N':
			if (vmmd_cli_parse_net(optarg, cfg))
				return bad("--net '%s': want TAPNAME[,mac=52:54:00:xx:xx:xx] (a unicast address, a name of 1-15 characters), at most 8", optarg);
			break;
		case 'h':
			*help = 1;
			return 0;
		}
	}
	if (c == 0)
		return VMMD_EXIT_USAGE;
	if (cfg->raw_payload) {
		/* A raw payload has no boot protocol to hand these to. */
		if (cfg->kernel || cfg->initrd || cmdline_set)
			return bad("%s", "--raw-payload takes no --kernel, --initrd or --cmdline");
		if (!*cfg->raw_payload || !*cfg->dev)
			return bad("%s", "--raw-payload and --dev need a non-empty path");
		return 0;
	}
	if (!cfg->kernel)
		return bad("%s", "--kernel BZIMAGE is required (or --raw-payload FILE)");
	if (!*cfg->kernel || (cfg->initrd && !*cfg->initrd) || !*cfg->dev)
		return bad("%s", "--kernel, --initrd and --dev need a non-empty path");
	return 0;
}
