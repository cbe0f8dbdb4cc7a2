// SPDX-License-Identifier: GPL-2.0-only
/* Console output kept while no daemon listens (conring.h). */
#include <stdio.h>
#include <string.h>

#include "conring.h"
#include "vmchan.h"

void conring_init(struct conring *r, int chan)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->chan = chan;
}

/* One CONSOLE_OUT message of 1..VMMSG_PAYLOAD_MAX bytes: 0 if it went out. */
static int send_one(const struct conring *r, const uint8_t *data, size_t len)
{
	struct vmmsg m;

	m.type = VMMSG_CONSOLE_OUT;
	m.u.console.len = (uint32_t)len;
	memcpy(m.u.console.data, data, len);
	return vmchan_send(r->chan, &m, NULL);
}

/* Keep @data, dropping the oldest bytes when it does not fit. */
static void keep(struct conring *r, const uint8_t *data, size_t len)
{
	size_t tail, n;

	if (len > CONRING_SIZE) {
		r->lost += len - CONRING_SIZE;
		data += len - CONRING_SIZE;
		len = CONRING_SIZE;
	}
	if (r->len + len > CONRING_SIZE) {
		n = r->len + len - CONRING_SIZE;
		r->lost += n;
		r->head = (r->head + n) % CONRING_SIZE;
		r->len -= n;
	}
	while (len) {
		tail = (r->head + r->len) % CONRING_SIZE;
		n = CONRING_SIZE - tail < len ? CONRING_SIZE - tail : len;
		memcpy(r->buf + tail, data, n);
		r->len += n;
		data += n;
		len -= n;
	}
}

/*
 * The lost-bytes notice first, then the held bytes in order, each message
 * at most up to the ring's wrap point; stops at the first refusal.
 */
static int flush_locked(struct conring *r)
{
	char note[128];
	size_t n;
	int k;

	if (r->lost) {
		k = snprintf(note, sizeof(note), CONRING_LOST_FMT, r->lost);
		if (send_one(r, (const uint8_t *)note, (size_t)k))
			return 1;
		r->lost = 0;
	}
	while (r->len) {
		n = CONRING_SIZE - r->head;
		if (n > r->len)
			n = r->len;
		if (n > VMMSG_PAYLOAD_MAX)
			n = VMMSG_PAYLOAD_MAX;
		if (send_one(r, r->buf + r->head, n))
			return 1;
		r->head = (r->head + n) % CONRING_SIZE;
		r->len -= n;
	}
	return 0;
}

int conring_flush(struct conring *r)
{
	int rc;

	pthread_mutex_lock(&r->lock);
	rc = flush_locked(r);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

int conring_send(struct conring *r, const uint8_t *data, size_t len)
{
	size_t n;
	int rc;

	pthread_mutex_lock(&r->lock);
	/* Nothing newer goes out before what waits. */
	rc = flush_locked(r);
	while (!rc && len) {
		n = len < VMMSG_PAYLOAD_MAX ? len : VMMSG_PAYLOAD_MAX;
		if (send_one(r, data, n)) {
			rc = 1;
			break;
		}
		data += n;
		len -= n;
	}
	if (rc)
		keep(r, data, len);
	pthread_mutex_unlock(&r->lock);
	return rc;
}
