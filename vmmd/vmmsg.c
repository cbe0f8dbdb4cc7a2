// SPDX-License-Identifier: GPL-2.0-only
/*
 * The daemon <-> VM process codec (vmmsg.h). One decoder for both sides
 * and for the encoder's own check, so what one side sends is exactly
 * what the other accepts.
 */
#include <string.h>

#include "vmmsg.h"

/* cpus, flags, mem, ndisks, disks_ro, nnics, macs */
#define START_MACS 28U
#define START_FIXED (START_MACS + 6U * VMMSG_NICS_MAX)
#define EXIT_FIXED 4U

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

bool vmmsg_type_dir(uint8_t type, enum vmmsg_dir *dir)
{
	if (type >= VMMSG_START && type <= VMMSG_TEST_FORBIDDEN) {
		*dir = VMMSG_TO_VM;
		return true;
	}
	if (type >= VMMSG_STATE && type <= VMMSG_EXIT) {
		*dir = VMMSG_TO_DAEMON;
		return true;
	}
	return false;
}

unsigned int vmmsg_nfds(const struct vmmsg *m)
{
	if (m->type != VMMSG_START)
		return 0;
	return (m->u.start.flags & VMMSG_START_INITRD ? 2 : 1) +
	       m->u.start.ndisks + m->u.start.nnics;
}

/* Text: no NUL, no more than @max bytes. */
static bool text_ok(const uint8_t *p, size_t len, size_t max)
{
	return len <= max && !memchr(p, 0, len);
}

/* Each NIC's address is a unicast one, the rest of the table zeros. */
static bool macs_ok(const struct vmmsg *m)
{
	unsigned int i, j;

	for (i = 0; i < VMMSG_NICS_MAX; i++) {
		const uint8_t *a = m->u.start.macs[i];
		uint8_t any = 0;

		for (j = 0; j < 6; j++)
			any |= a[j];
		if (i < m->u.start.nnics ? (!any || (a[0] & 1)) : any)
			return false;
	}
	return true;
}

/* The payload of a message of @type, @len bytes: fill @m or fail. */
static int decode_payload(uint8_t type, const uint8_t *p, uint32_t len,
			  struct vmmsg *m)
{
	switch (type) {
	case VMMSG_START:
		if (len < START_FIXED ||
		    !text_ok(p + START_FIXED, len - START_FIXED, VMMSG_CMDLINE_MAX))
			return -1;
		m->u.start.cpus = get32(p);
		m->u.start.flags = get32(p + 4);
		m->u.start.mem = get32(p + 8) | (uint64_t)get32(p + 12) << 32;
		m->u.start.ndisks = get32(p + 16);
		m->u.start.disks_ro = get32(p + 20);
		m->u.start.nnics = get32(p + 24);
		memcpy(m->u.start.macs, p + START_MACS, 6 * VMMSG_NICS_MAX);
		if (m->u.start.cpus == 0 || m->u.start.cpus > 64 ||
		    m->u.start.mem == 0 || (m->u.start.flags & ~VMMSG_START_FLAGS) ||
		    m->u.start.ndisks > VMMSG_DISKS_MAX ||
		    (m->u.start.disks_ro >> m->u.start.ndisks) ||
		    m->u.start.nnics > VMMSG_NICS_MAX || !macs_ok(m))
			return -1;
		memcpy(m->u.start.cmdline, p + START_FIXED, len - START_FIXED);
		m->u.start.cmdline[len - START_FIXED] = 0;
		return 0;
	case VMMSG_STATE:
		if (len != 4)
			return -1;
		m->u.state = get32(p);
		return m->u.state == VMMSG_RUNNING || m->u.state == VMMSG_PAUSED ? 0 : -1;
	case VMMSG_EXIT:
		if (len < EXIT_FIXED ||
		    !text_ok(p + EXIT_FIXED, len - EXIT_FIXED, VMMSG_REASON_MAX))
			return -1;
		m->u.exit.code = get32(p);
		if (m->u.exit.code > 255)
			return -1;
		memcpy(m->u.exit.reason, p + EXIT_FIXED, len - EXIT_FIXED);
		m->u.exit.reason[len - EXIT_FIXED] = 0;
		return 0;
	case VMMSG_CONSOLE_IN:
	case VMMSG_CONSOLE_OUT:
		if (len == 0)
			return -1;
		m->u.console.len = len;
		memcpy(m->u.console.data, p, len);
		return 0;
	default:	/* the rest carry nothing */
		return len ? -1 : 0;
	}
}

long vmmsg_decode(const uint8_t *buf, size_t len, enum vmmsg_dir dir,
		  struct vmmsg *m)
{
	enum vmmsg_dir want;
	uint32_t plen;

	if (len < VMMSG_HDR_LEN)
		return 0;
	plen = get32(buf + 4);
	if (buf[0] != VMMSG_VERSION || buf[2] || buf[3] ||
	    !vmmsg_type_dir(buf[1], &want) || want != dir ||
	    plen > VMMSG_PAYLOAD_MAX)
		return -1;
	if (len - VMMSG_HDR_LEN < plen)
		return 0;
	memset(m, 0, sizeof(*m));
	m->type = buf[1];
	if (decode_payload(m->type, buf + VMMSG_HDR_LEN, plen, m))
		return -1;
	return (long)(VMMSG_HDR_LEN + plen);
}

/* The payload of @m into @p; its length, or -1 if it would not fit. */
static long encode_payload(const struct vmmsg *m, uint8_t *p)
{
	size_t n;

	switch (m->type) {
	case VMMSG_START:
		n = strnlen(m->u.start.cmdline, sizeof(m->u.start.cmdline));
		if (n > VMMSG_CMDLINE_MAX)
			return -1;
		put32(p, m->u.start.cpus);
		put32(p + 4, m->u.start.flags);
		put32(p + 8, (uint32_t)m->u.start.mem);
		put32(p + 12, (uint32_t)(m->u.start.mem >> 32));
		put32(p + 16, m->u.start.ndisks);
		put32(p + 20, m->u.start.disks_ro);
		put32(p + 24, m->u.start.nnics);
		memcpy(p + START_MACS, m->u.start.macs, 6 * VMMSG_NICS_MAX);
		memcpy(p + START_FIXED, m->u.start.cmdline, n);
		return (long)(START_FIXED + n);
	case VMMSG_STATE:
		put32(p, m->u.state);
		return 4;
	case VMMSG_EXIT:
		n = strnlen(m->u.exit.reason, sizeof(m->u.exit.reason));
		if (n > VMMSG_REASON_MAX)
			return -1;
		put32(p, m->u.exit.code);
		memcpy(p + EXIT_FIXED, m->u.exit.reason, n);
		return (long)(EXIT_FIXED + n);
	case VMMSG_CONSOLE_IN:
	case VMMSG_CONSOLE_OUT:
		if (m->u.console.len > VMMSG_PAYLOAD_MAX)
			return -1;
		memcpy(p, m->u.console.data, m->u.console.len);
		return m->u.console.len;
	default:
		return 0;
	}
}

size_t vmmsg_encode(const struct vmmsg *m, uint8_t *buf, size_t cap)
{
	enum vmmsg_dir dir;
	struct vmmsg check;
	long n;

	if (cap < VMMSG_MAX || !vmmsg_type_dir(m->type, &dir))
		return 0;
	n = encode_payload(m, buf + VMMSG_HDR_LEN);
	if (n < 0)
		return 0;
	buf[0] = VMMSG_VERSION;
	buf[1] = m->type;
	buf[2] = buf[3] = 0;
	put32(buf + 4, (uint32_t)n);
	/* Never send what the peer would refuse. */
	if (vmmsg_decode(buf, VMMSG_HDR_LEN + (size_t)n, dir, &check) <= 0)
		return 0;
	return VMMSG_HDR_LEN + (size_t)n;
}
