// SPDX-License-Identifier: GPL-2.0-only
/* XDR decoding with every length bounded before use; encoding into a capped buffer. */
#include <stdlib.h>
#include <string.h>

#include "xdr.h"

static size_t pad4(size_t n)
{
	return (4U - (n & 3U)) & 3U;
}

static size_t left(const struct xdr_dec *d)
{
	return d->len - d->pos;
}

void xdr_dec_init(struct xdr_dec *d, const uint8_t *buf, size_t len)
{
	d->buf = buf;
	d->len = len;
	d->pos = 0;
}

bool xdr_dec_done(const struct xdr_dec *d)
{
	return d->pos == d->len;
}

bool xdr_get_u32(struct xdr_dec *d, uint32_t *v)
{
	const uint8_t *p;

	if (left(d) < 4)
		return false;
	p = d->buf + d->pos;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	     (uint32_t)p[2] << 8 | p[3];
	d->pos += 4;
	return true;
}

bool xdr_get_i32(struct xdr_dec *d, int32_t *v)
{
	uint32_t u;

	if (!xdr_get_u32(d, &u))
		return false;
	*v = (int32_t)u;
	return true;
}

bool xdr_get_u64(struct xdr_dec *d, uint64_t *v)
{
	uint32_t hi, lo;

	if (left(d) < 8)
		return false;
	xdr_get_u32(d, &hi);
	xdr_get_u32(d, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

bool xdr_get_fixed(struct xdr_dec *d, void *out, size_t n)
{
	if (left(d) < n + pad4(n))
		return false;
	memcpy(out, d->buf + d->pos, n);
	d->pos += n + pad4(n);
	return true;
}

bool xdr_get_string(struct xdr_dec *d, size_t max, char **out)
{
	size_t start = d->pos;
	uint32_t n;
	char *s;

	*out = NULL;
	if (!xdr_get_u32(d, &n))
		return false;
	/* Bound first: by the declared maximum and by what was sent. */
	if (n > max || n > XDR_STRING_MAX || n + pad4(n) > left(d) ||
	    memchr(d->buf + d->pos, 0, n)) {
		d->pos = start;
		return false;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		d->pos = start;
		return false;
	}
	memcpy(s, d->buf + d->pos, n);
	s[n] = '\0';
	d->pos += n + pad4(n);
	*out = s;
	return true;
}

bool xdr_get_opt_string(struct xdr_dec *d, size_t max, char **out)
{
	uint32_t present;

	*out = NULL;
	if (!xdr_get_u32(d, &present) || present > 1)
		return false;
	return !present || xdr_get_string(d, max, out);
}

bool xdr_get_count(struct xdr_dec *d, uint32_t max, size_t min_size,
		   uint32_t *count)
{
	uint32_t n;

	if (!xdr_get_u32(d, &n))
		return false;
	if (n > max || (min_size && n > left(d) / min_size)) {
		d->pos -= 4;
		return false;
	}
	*count = n;
	return true;
}

void xdr_enc_init(struct xdr_enc *e, size_t max)
{
	memset(e, 0, sizeof(*e));
	e->max = max;
}

void xdr_enc_free(struct xdr_enc *e)
{
	free(e->buf);
	e->buf = NULL;
	e->len = e->cap = 0;
}

/* Room for n more bytes, or mark the encoding failed. */
static uint8_t *room(struct xdr_enc *e, size_t n)
{
	size_t cap;
	uint8_t *b;

	if (e->failed)
		return NULL;
	if (n > e->max - e->len) {
		e->failed = true;
		return NULL;
	}
	if (e->len + n > e->cap) {
		cap = e->cap ? e->cap : 256;
		while (cap < e->len + n)
			cap *= 2;
		if (cap > e->max)
			cap = e->max;
		b = realloc(e->buf, cap);
		if (!b) {
			e->failed = true;
			return NULL;
		}
		e->buf = b;
		e->cap = cap;
	}
	e->len += n;
	return e->buf + e->len - n;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

void xdr_put_u32(struct xdr_enc *e, uint32_t v)
{
	uint8_t *p = room(e, 4);

	if (p)
		be32(p, v);
}

void xdr_put_i32(struct xdr_enc *e, int32_t v)
{
	xdr_put_u32(e, (uint32_t)v);
}

void xdr_put_u64(struct xdr_enc *e, uint64_t v)
{
	xdr_put_u32(e, v >> 32);
	xdr_put_u32(e, (uint32_t)v);
}

void xdr_put_fixed(struct xdr_enc *e, const void *src, size_t n)
{
	uint8_t *p = room(e, n + pad4(n));

	if (p) {
		memcpy(p, src, n);
		memset(p + n, 0, pad4(n));
	}
}

void xdr_put_raw(struct xdr_enc *e, const void *src, size_t n)
{
	uint8_t *p = n ? room(e, n) : NULL;

	if (p)
		memcpy(p, src, n);
}

void xdr_put_string(struct xdr_enc *e, const char *s)
{
	size_t n = strlen(s);

	if (n > XDR_STRING_MAX) {
		e->failed = true;
		return;
	}
	xdr_put_u32(e, n);
	xdr_put_fixed(e, s, n);
}

void xdr_put_opt_string(struct xdr_enc *e, const char *s)
{
	xdr_put_u32(e, s != NULL);
	if (s)
		xdr_put_string(e, s);
}

void xdr_patch_u32(struct xdr_enc *e, size_t at, uint32_t v)
{
	if (!e->failed && at + 4 <= e->len)
		be32(e->buf + at, v);
}
