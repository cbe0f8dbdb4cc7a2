// SPDX-License-Identifier: GPL-2.0-only
/* `vmmd daemon` flags. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "daemon.h"
#include "exitcode.h"

#define DEFAULT_RUN_DIR "/run/lamina"
#define DEFAULT_STATE_DIR "/var/lib/lamina"

static int bad(const char *fmt, const char *arg)
{
	return vmmd_cli_bad("vmmd daemon", fmt, arg);
}

/* "<run-dir>/<leaf>", allocated once for the life of the process. */
static const char *in_run_dir(const char *run_dir, const char *leaf)
{
	size_t n = strlen(run_dir) + strlen(leaf) + 2;
	char *s = malloc(n);

	if (s)
		snprintf(s, n, "%s/%s", run_dir, leaf);
	return s;
}

/* A uid or gid: 1..65534 (not root, not the overflow id). */
static int id_arg(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v == 0 || v > 65534)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int daemon_cli_parse(int argc, char **argv, struct daemon_config *cfg,
		     int *help)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "ro-socket", required_argument, NULL, 'r' },
		{ "state-dir", required_argument, NULL, 'S' },
		{ "run-dir", required_argument, NULL, 'R' },
		{ "group", required_argument, NULL, 'g' },
		{ "dev", required_argument, NULL, 'd' },
		{ "vm-uid", required_argument, NULL, 'u' },
		{ "vm-gid", required_argument, NULL, 'G' },
		{ "test-hooks", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->state_dir = DEFAULT_STATE_DIR;
	cfg->run_dir = DEFAULT_RUN_DIR;
	cfg->dev = "/dev/lamina";
	*help = 0;
	optind = 1;
	while ((c = vmmd_cli_flag("vmmd daemon", argc, argv, opts)) > 0) {
		switch (c) {
		case 's': cfg->socket = optarg; break;
		case 'r': cfg->ro_socket = optarg; break;
		case 'S': cfg->state_dir = optarg; break;
		case 'R': cfg->run_dir = optarg; break;
		case 'g': cfg->group = optarg; break;
		case 'd': cfg->dev = optarg; break;
		case 'u':
			if (id_arg(optarg, &cfg->vm_uid))
				return bad("--vm-uid '%s' is not a uid", optarg);
			cfg->vm_uid_set = true;
			break;
		case 'G':
			if (id_arg(optarg, &cfg->vm_gid))
				return bad("--vm-gid '%s' is not a gid", optarg);
			break;
		case 't': cfg->test_hooks = true; break;
		case 'h':
			*help = 1;
			return 0;
		}
	}
	if (c == 0)
		return VMMD_EXIT_USAGE;
	if (!cfg->socket)
		cfg->socket = in_run_dir(cfg->run_dir, "lamina-sock");
	if (!cfg->ro_socket)
		cfg->ro_socket = in_run_dir(cfg->run_dir, "lamina-sock-ro");
	if (!cfg->socket || !cfg->ro_socket)
		return bad("%s", "out of memory");
	if (!*cfg->socket || !*cfg->ro_socket || !*cfg->state_dir ||
	    !*cfg->run_dir || (cfg->group && !*cfg->group))
		return bad("%s", "paths and the group need a non-empty value");
	if (cfg->vm_uid_set != (cfg->vm_gid != 0))
		return bad("%s", "--vm-uid and --vm-gid go together");
	if (!strcmp(cfg->socket, cfg->ro_socket))
		return bad("--socket and --ro-socket are both '%s'", cfg->socket);
	return 0;
}
