/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tiny TAP 13 harness for libvmm's host unit tests (kselftest conventions:
 * "ok N name" / "not ok N name", "# " diagnostics, exit 0 pass, 1 fail).
 *
 * A test case is a function that makes CHECK*() calls.  tap_run() prints
 * one test point per case, named PREFIX/CASE.  A case that made no check
 * at all is reported "not ok": a test that cannot fail is a bug.
 *
 * Self-contained on purpose: depends on libc only, nothing outside
 * tests/unit and libvmm/.
 */
#ifndef LAMINA_UNIT_TAP_H
#define LAMINA_UNIT_TAP_H

#include <stdio.h>

#define TAP_PASS 0
#define TAP_FAIL 1

struct tap_case {
	const char *name;
	void (*fn)(void);
};

/* State of the case that is running. */
static unsigned int tap__checks;
static unsigned int tap__failures;

static inline void tap__check(int ok, const char *file, int line,
			      const char *expr)
{
	tap__checks++;
	if (!ok) {
		tap__failures++;
		printf("# %s:%d: check failed: %s\n", file, line, expr);
	}
}

static inline void tap__check_eq(unsigned long long got,
				 unsigned long long want, const char *file,
				 int line, const char *expr)
{
	tap__checks++;
	if (got != want) {
		tap__failures++;
		printf("# %s:%d: %s: got %llu (0x%llx), want %llu (0x%llx)\n",
		       file, line, expr, got, got, want, want);
	}
}

#define CHECK(cond) tap__check((cond) != 0, __FILE__, __LINE__, #cond)
#define CHECK_EQ(got, want)                                                \
	tap__check_eq((unsigned long long)(got),                           \
		      (unsigned long long)(want), __FILE__, __LINE__,      \
		      #got " == " #want)

#define TAP_CASE(fn) { #fn, fn }
#define TAP_COUNT(arr) (sizeof(arr) / sizeof((arr)[0]))

/* Run every case, print a whole TAP 13 document, return the exit code. */
static inline int tap_run(const char *prefix, const struct tap_case *cases,
			  unsigned int n)
{
	unsigned int i;
	unsigned int failed = 0U;

	printf("TAP version 13\n1..%u\n", n);
	for (i = 0U; i < n; i++) {
		int ok;

		tap__checks = 0U;
		tap__failures = 0U;
		cases[i].fn();
		if (tap__checks == 0U)
			printf("# %s/%s made no check\n", prefix, cases[i].name);
		ok = (tap__checks != 0U) && (tap__failures == 0U);
		if (!ok)
			failed++;
		printf("%sok %u %s/%s\n", ok ? "" : "not ", i + 1U, prefix,
		       cases[i].name);
		fflush(stdout);
	}
	printf("# %u passed, %u failed\n", n - failed, failed);
	return failed != 0U ? TAP_FAIL : TAP_PASS;
}

#endif /* LAMINA_UNIT_TAP_H */
