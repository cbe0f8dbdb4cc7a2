/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_XDR_H
#define VMMD_XDR_H

/*
 * XDR (RFC 4506) as libvirt's remote protocol uses it: 4-byte big-endian
 * words, 8-byte hypers, strings as length + bytes + zero pad to 4, fixed
 * opaque (UUIDs) with no length. The decoder reads a buffer the caller
 * owns and bounds every length and count against both its declared
 * maximum and the bytes actually left BEFORE it allocates anything, so a
 * peer cannot make the daemon allocate more than it sent. The encoder
 * grows its buffer up to a hard maximum (the packet limit).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* libvirt's limits (docs/virsh.md): a packet, a string. */
#define XDR_PACKET_MAX ((16U << 20) + 4U)
#define XDR_STRING_MAX (4U << 20)

struct xdr_dec {
	const uint8_t *buf;
	size_t len;
	size_t pos;
};

struct xdr_enc {
	uint8_t *buf;
	size_t len;
	size_t cap;
	size_t max;	/* never grows beyond this */
	bool failed;	/* a put did not fit (or out of memory): reply is void */
};

void xdr_dec_init(struct xdr_dec *d, const uint8_t *buf, size_t len);
bool xdr_dec_done(const struct xdr_dec *d);	/* every byte consumed */

bool xdr_get_u32(struct xdr_dec *d, uint32_t *v);
bool xdr_get_i32(struct xdr_dec *d, int32_t *v);
bool xdr_get_u64(struct xdr_dec *d, uint64_t *v);
bool xdr_get_fixed(struct xdr_dec *d, void *out, size_t n);
/*
 * A string of at most max bytes (and at most XDR_STRING_MAX), returned
 * NUL-terminated in a fresh allocation. An embedded NUL is refused: every
 * string the daemon takes is a name, a path or XML, never binary.
 */
bool xdr_get_string(struct xdr_dec *d, size_t max, char **out);
/* remote_string: a 4-byte presence flag (0/1), then the string; NULL if absent. */
bool xdr_get_opt_string(struct xdr_dec *d, size_t max, char **out);
/*
 * A variable array's count: at most max elements, and each element takes
 * at least min_size bytes, so count * min_size must fit in what is left.
 */
bool xdr_get_count(struct xdr_dec *d, uint32_t max, size_t min_size,
		   uint32_t *count);

void xdr_enc_init(struct xdr_enc *e, size_t max);
void xdr_enc_free(struct xdr_enc *e);
void xdr_put_u32(struct xdr_enc *e, uint32_t v);
void xdr_put_i32(struct xdr_enc *e, int32_t v);
void xdr_put_u64(struct xdr_enc *e, uint64_t v);
void xdr_put_fixed(struct xdr_enc *e, const void *p, size_t n);
/* @n bytes with no padding: a stream packet's body is raw bytes. */
void xdr_put_raw(struct xdr_enc *e, const void *p, size_t n);
void xdr_put_string(struct xdr_enc *e, const char *s);
void xdr_put_opt_string(struct xdr_enc *e, const char *s);	/* NULL: absent */
/* Overwrite a word already written (the packet length, a count). */
void xdr_patch_u32(struct xdr_enc *e, size_t at, uint32_t v);

#endif /* VMMD_XDR_H */
