// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XDR codec: round trips, and every length and count bounded before
 * anything is allocated or read (ASan reports a read past the buffer:
 * every decode runs on a heap copy of exactly the bytes given).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "xdr.h"

/* Decode from an exact-size heap copy of @len bytes of @src. */
static uint8_t *copy_of(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	memcpy(p, src, len);
	return p;
}

static void test_round_trip(void)
{
	struct xdr_enc e;
	struct xdr_dec d;
	uint32_t u;
	int32_t i;
	uint64_t h;
	uint8_t uuid[16], got[16];
	char *s, *o;

	memset(uuid, 0xab, sizeof(uuid));
	xdr_enc_init(&e, 1024);
	xdr_put_u32(&e, 0xdeadbeef);
	xdr_put_i32(&e, -2);
	xdr_put_u64(&e, 0x0102030405060708ULL);
	xdr_put_string(&e, "hello");
	xdr_put_opt_string(&e, NULL);
	xdr_put_fixed(&e, uuid, 16);
	CHECK(!e.failed);
	CHECK_EQ(e.len, 4 + 4 + 8 + (4 + 8) + 4 + 16);
	CHECK_EQ(e.buf[0], 0xde);		/* big-endian */
	CHECK_EQ(e.buf[16 + 4 + 5], 0);		/* string pad is zero */
	xdr_dec_init(&d, e.buf, e.len);
	CHECK(xdr_get_u32(&d, &u) && u == 0xdeadbeef);
	CHECK(xdr_get_i32(&d, &i) && i == -2);
	CHECK(xdr_get_u64(&d, &h) && h == 0x0102030405060708ULL);
	CHECK(xdr_get_string(&d, 64, &s) && !strcmp(s, "hello"));
	CHECK(xdr_get_opt_string(&d, 64, &o) && o == NULL);
	CHECK(xdr_get_fixed(&d, got, 16) && !memcmp(got, uuid, 16));
	CHECK(xdr_dec_done(&d));
	CHECK(!xdr_get_u32(&d, &u));
	free(s);
	xdr_enc_free(&e);
}

/* A string longer than its maximum, or than what was sent, is refused untouched. */
static void test_string_bounds(void)
{
	static const uint8_t huge[] = { 0xff, 0xff, 0xff, 0xf0, 'a', 'b', 'c', 'd' };
	static const uint8_t five[] = { 0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0 };
	static const uint8_t nul[] = { 0, 0, 0, 3, 'a', 0, 'b', 0 };
	static const uint8_t over_4m[] = { 0, 0x40, 0, 1 };
	struct xdr_dec d;
	uint8_t *p;
	char *s = (char *)1;

	p = copy_of(huge, sizeof(huge));
	xdr_dec_init(&d, p, sizeof(huge));
	CHECK(!xdr_get_string(&d, XDR_STRING_MAX, &s));
	CHECK(s == NULL);
	CHECK_EQ(d.pos, 0);			/* nothing consumed */
	free(p);

	p = copy_of(five, sizeof(five));
	xdr_dec_init(&d, p, sizeof(five));
	CHECK(!xdr_get_string(&d, 4, &s));	/* over the declared max */
	CHECK(xdr_get_string(&d, 5, &s) && !strcmp(s, "hello"));
	free(s);
	free(p);

	p = copy_of(nul, sizeof(nul));
	xdr_dec_init(&d, p, sizeof(nul));
	CHECK(!xdr_get_string(&d, 64, &s));	/* embedded NUL */
	free(p);

	p = copy_of(over_4m, sizeof(over_4m));
	xdr_dec_init(&d, p, sizeof(over_4m));
	CHECK(!xdr_get_string(&d, SIZE_MAX, &s));	/* > XDR_STRING_MAX */
	free(p);
}

/* A valid encoding truncated anywhere fails to decode, never reads past. */
static void test_truncation(void)
{
	struct xdr_enc e;
	struct xdr_dec d;
	size_t cut;
	uint8_t *p, uuid[16] = { 1 };
	uint64_t h;
	char *s;
	bool ok;

	xdr_enc_init(&e, 256);
	xdr_put_opt_string(&e, "seven!!");
	xdr_put_u64(&e, 42);
	xdr_put_fixed(&e, uuid, 16);
	for (cut = 0; cut <= e.len; cut++) {
		p = copy_of(e.buf, cut);
		xdr_dec_init(&d, p, cut);
		ok = xdr_get_opt_string(&d, 64, &s);
		free(s);
		ok = ok && xdr_get_u64(&d, &h) && xdr_get_fixed(&d, uuid, 16);
		CHECK(ok == (cut == e.len));
		free(p);
	}
	xdr_enc_free(&e);
}

static void test_opt_flag(void)
{
	static const uint8_t two[] = { 0, 0, 0, 2, 0, 0, 0, 0 };
	struct xdr_dec d;
	char *s;

	xdr_dec_init(&d, two, sizeof(two));
	CHECK(!xdr_get_opt_string(&d, 64, &s));	/* presence is 0 or 1 */
}

static void test_count(void)
{
	static const uint8_t c3[] = { 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct xdr_dec d;
	uint32_t n = 99;

	xdr_dec_init(&d, c3, sizeof(c3));
	CHECK(!xdr_get_count(&d, 2, 1, &n));	/* over the array's max */
	CHECK_EQ(d.pos, 0);
	CHECK(!xdr_get_count(&d, 10, 4, &n));	/* 3 x 4 bytes > 8 left */
	CHECK(xdr_get_count(&d, 10, 2, &n));	/* 3 x 2 <= 8 */
	CHECK_EQ(n, 3);
}

/* The encoder never grows past its maximum; a failed reply stays failed. */
static void test_enc_cap(void)
{
	struct xdr_enc e;

	xdr_enc_init(&e, 8);
	xdr_put_u32(&e, 1);
	xdr_put_u32(&e, 2);
	CHECK(!e.failed);
	xdr_put_u32(&e, 3);
	CHECK(e.failed);
	CHECK_EQ(e.len, 8);
	xdr_put_string(&e, "");
	CHECK_EQ(e.len, 8);
	xdr_enc_free(&e);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_round_trip),
	TAP_CASE(test_string_bounds),
	TAP_CASE(test_truncation),
	TAP_CASE(test_opt_flag),
	TAP_CASE(test_count),
	TAP_CASE(test_enc_cap),
};

int main(void)
{
	return tap_run("vmmd/xdr", cases, TAP_COUNT(cases));
}
