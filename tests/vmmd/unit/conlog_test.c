// SPDX-License-Identifier: GPL-2.0-only
/*
 * The capped console log (vmmd/conlog.c) in a temporary directory: it
 * never holds more than its cap; a write past the cap starts it over
 * with that write; a daemon that reopens it after a restart goes on
 * from what is there and keeps to the same cap; a new VM's log starts
 * empty.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conlog.h"
#include "tap.h"

#define CAP 1000U

static char path[64];

static long long file_size(void)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* The file holds exactly @want. */
static int holds(const char *want)
{
	char got[CAP + 1];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(got, 1, sizeof(got), f) : 0;

	if (f)
		fclose(f);
	return n == strlen(want) && !memcmp(got, want, n);
}

static void fill(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = 0;
}

static void test_cap_starts_over(void)
{
	char a[301], b[301];
	struct conlog l;
	int i;

	fill(a, 'a', 300);
	fill(b, 'b', 300);
	conlog_open(&l, path, true, CAP);
	CHECK(l.fd >= 0);
	for (i = 0; i < 3; i++)
		conlog_write(&l, (const uint8_t *)a, 300);
	CHECK_EQ(file_size(), 900);
	conlog_write(&l, (const uint8_t *)b, 300);	/* 1200 > CAP */
	CHECK_EQ(file_size(), 300);
	CHECK(holds(b));
	conlog_close(&l);
}

static void test_cap_across_restart(void)
{
	char a[301], c[601], d[201];
	struct conlog l;

	fill(a, 'a', 300);
	fill(c, 'c', 600);
	fill(d, 'd', 200);
	conlog_open(&l, path, true, CAP);
	conlog_write(&l, (const uint8_t *)a, 300);
	conlog_close(&l);	/* the daemon stops; the next one reattaches */
	conlog_open(&l, path, false, CAP);
	conlog_write(&l, (const uint8_t *)c, 600);
	CHECK_EQ(file_size(), 900);
	conlog_write(&l, (const uint8_t *)d, 200);	/* 1100 > CAP */
	CHECK_EQ(file_size(), 200);
	CHECK(holds(d));
	conlog_close(&l);
	conlog_open(&l, path, true, CAP);	/* a new VM: empty */
	CHECK_EQ(file_size(), 0);
	conlog_close(&l);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_cap_starts_over),
	TAP_CASE(test_cap_across_restart),
};

int main(void)
{
	char dir[] = "/tmp/conlog-test.XXXXXX";
	int r;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/vm1.console.log", dir);
	r = tap_run("vmmd/conlog", cases, TAP_COUNT(cases));
	unlink(path);
	rmdir(dir);
	return r;
}
