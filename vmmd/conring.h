/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CONRING_H
#define VMMD_CONRING_H

/*
 * The VM process's console output on its way to the daemon
 * (VMMSG_CONSOLE_OUT on the channel). While no daemon is attached (the
 * old channel closed, the next not yet accepted: vmkeep.h), or the
 * channel refuses a message, the bytes wait here; the next daemon gets
 * them before anything newer, so the console log and `virsh console`
 * miss nothing a restart would otherwise have lost. The ring is bounded:
 * a guest that writes more than CONRING_SIZE while no daemon is there
 * loses its oldest bytes, and the daemon is told how many (a line in the
 * stream, CONRING_LOST_FMT).
 *
 * Callers: the serial port (under the bus lock, from vCPU and event
 * threads), the main thread once a new channel is in place, and the
 * stand-in VM. The ring's own lock orders them; it is taken last.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define CONRING_SIZE (64U << 10)
#define CONRING_LOST_FMT "\r\n[vmmd: %llu bytes of console output lost while no daemon was attached]\r\n"

struct conring {
	pthread_mutex_t lock;
	int chan;			/* the channel's fd number (dup2 keeps it) */
	uint8_t buf[CONRING_SIZE];
	size_t head;			/* oldest byte held */
	size_t len;			/* bytes held */
	unsigned long long lost;	/* dropped since the last flush */
};

void conring_init(struct conring *r, int chan);
/*
 * Send @data (any length) after whatever the ring holds; what the channel
 * does not take waits in the ring. 0 if it all went out, 1 if some waits.
 */
int conring_send(struct conring *r, const uint8_t *data, size_t len);
/* Send what the ring holds: 0 once it is empty, 1 if some still waits. */
int conring_flush(struct conring *r);

#endif /* VMMD_CONRING_H */
