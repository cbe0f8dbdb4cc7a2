/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP 13 reporting with kselftest's conventions: one "ok"/"not ok"
 * line per test point, "# " for diagnostics, exit 0 pass, 1 fail, 4 skip.
 */
#ifndef LAMINA_KSFT_H
#define LAMINA_KSFT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

struct ksft_counts {
	unsigned int planned, run, pass, fail, skip;
};

static struct ksft_counts ksft_cnt;

static inline void ksft_print_header(void)
{
	printf("TAP version 13\n");
}

static inline void ksft_set_plan(unsigned int n)
{
	ksft_cnt.planned = n;
	printf("1..%u\n", n);
}

static inline void ksft_print_msg(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Report one test point; @name is printed as is (e.g. "pio-loop/kvm"). */
static inline void ksft_test_result(int ok, const char *name)
{
	ksft_cnt.run++;
	if (ok)
		ksft_cnt.pass++;
	else
		ksft_cnt.fail++;
	printf("%sok %u %s\n", ok ? "" : "not ", ksft_cnt.run, name);
	fflush(stdout);
}

/* Report one test point named "@what/@dev" (e.g. "pio-loop/kvm"). */
static inline void ksft_result_dev(int ok, const char *what, const char *dev)
{
	char name[128];

	snprintf(name, sizeof(name), "%s/%s", what, dev);
	ksft_test_result(ok, name);
}

static inline void ksft_test_result_skip(const char *name, const char *why)
{
	ksft_cnt.run++;
	ksft_cnt.skip++;
	printf("ok %u %s # SKIP %s\n", ksft_cnt.run, name, why);
	fflush(stdout);
}

/*
 * Exit with the kselftest code. A plan that was not met is a failure: a
 * test that stops early must not read as a pass.
 */
static inline void ksft_finished(void)
{
	int code = KSFT_PASS;

	if (ksft_cnt.run != ksft_cnt.planned) {
		ksft_print_msg("planned %u tests but ran %u\n",
			       ksft_cnt.planned, ksft_cnt.run);
		code = KSFT_FAIL;
	} else if (ksft_cnt.fail) {
		code = KSFT_FAIL;
	} else if (ksft_cnt.skip == ksft_cnt.run && ksft_cnt.run) {
		code = KSFT_SKIP;
	}
	ksft_print_msg("totals: pass:%u fail:%u skip:%u\n", ksft_cnt.pass,
		       ksft_cnt.fail, ksft_cnt.skip);
	exit(code);
}

/* Skip the whole program (device missing, capability absent). */
static inline void ksft_exit_skip(const char *why)
{
	if (!ksft_cnt.planned)
		printf("1..0 # SKIP %s\n", why);
	else
		ksft_print_msg("SKIP: %s\n", why);
	fflush(stdout);
	exit(KSFT_SKIP);
}

#endif /* LAMINA_KSFT_H */
