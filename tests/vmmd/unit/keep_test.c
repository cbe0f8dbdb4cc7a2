// SPDX-License-Identifier: GPL-2.0-only
/*
 * The records that let VMs outlive the daemon (vmmd/vmkeep.c): what a
 * starting daemon does with records it cannot use. A garbled record, one
 * whose VM is gone (nobody listens on its socket), one for a socket that
 * another process answers: each is reported and removed, and changes no
 * domain; a file that is not a record is left alone.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tap.h"
#include "testctl.h"
#include "vmkeep.h"

#define UUID "a93d3483-4f33-4f19-83dd-6816e10591c5"

static struct ctl ctl;
static const char *dir;
static char run[32];

static void put(const char *leaf, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/vm/%s", run, leaf);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool there(const char *leaf)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/vm/%s", run, leaf);
	return !access(path, F_OK);
}

static void test_unusable_records(void)
{
	static const char *const bad[] = {
		"", "pid 1\nid 1\n", "pid 0x10\nid 1\n", "pid 100\nid 0\n",
		"pid 100\nid 1\nextra\n", "id 1\npid 100\n", "pid 100\0id 1\n",
	};
	struct verr err;
	size_t i;

	CHECK_EQ(vmkeep_init(run, &err), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(UUID ".vm", bad[i]);
		vmkeep_reattach_all(&ctl, run);
		CHECK(!there(UUID ".vm"));
	}
	/* A good record whose VM is gone: nobody listens on the socket. */
	put(UUID ".vm", "pid 4242\nid 7\n");
	put(UUID ".xml", "<domain/>");
	vmkeep_reattach_all(&ctl, run);
	CHECK(!there(UUID ".vm") && !there(UUID ".xml"));
	CHECK_EQ(ctl.ndoms, 0);
	CHECK_EQ(ctl.next_id, 1);
	/* Not a record's name: left alone. */
	put("not-a-uuid.vm", "pid 4242\nid 7\n");
	put(".hidden.vm", "pid 4242\nid 7\n");
	vmkeep_reattach_all(&ctl, run);
	CHECK(there("not-a-uuid.vm") && there(".hidden.vm"));
}

static void test_wrong_listener(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	/* This process listens: SO_PEERCRED names it, not the recorded pid. */
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/vm/%s.sock", run, UUID);
	CHECK(fd >= 0 && !bind(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
	      !listen(fd, 1));
	put(UUID ".vm", "pid 4242\nid 7\n");
	vmkeep_reattach_all(&ctl, run);
	CHECK(!there(UUID ".vm") && !there(UUID ".sock"));
	CHECK_EQ(ctl.ndoms, 0);
	close(fd);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_unusable_records),
	TAP_CASE(test_wrong_listener),
};

int main(void)
{
	char cmd[160];
	int r;

	dir = testctl_init(&ctl);
	strcpy(run, "/tmp/vmmd-keep.XXXXXX");
	if (!mkdtemp(run))
		return 1;
	r = tap_run("vmmd/keep", cases, TAP_COUNT(cases));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", run);
	if (system(cmd))
		r = 1;
	testctl_free(&ctl, dir);
	return r;
}
