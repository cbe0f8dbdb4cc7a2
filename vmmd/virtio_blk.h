/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_BLK_H
#define VMMD_VIRTIO_BLK_H

#include <stdint.h>

#include "mem.h"

/*
 * virtio-blk (virtio 1.2, 5.2) over a raw image: an fd opened before the
 * VM starts (the sandboxed VM process opens nothing later), O_RDWR or,
 * for a read-only disk, O_RDONLY. The capacity is the file's size in
 * 512-byte sectors, fixed at start. Requests: IN (pread), OUT (pwrite),
 * FLUSH (fdatasync: with VIRTIO_BLK_F_FLUSH offered the guest treats the
 * disk as a write-back cache, so a write is only promised durable once a
 * later flush has returned), GET_ID. Limits offered and enforced: at most
 * VIRTIO_BLK_SEG_MAX data buffers per request, each at most
 * VIRTIO_BLK_SIZE_MAX bytes; a request beyond them fails with IOERR (a
 * chain longer than VIRTIO_MAX_BUFS is a malformed queue: NEEDS_RESET).
 * Requests run on the notifying vCPU's thread, to completion.
 */
#define VIRTIO_BLK_SEG_MAX	126U
#define VIRTIO_BLK_SIZE_MAX	(1U << 20)
#define VIRTIO_BLK_QUEUE_MAX	256U

struct virtio_dev;

/*
 * A disk on the next PCI slot; @id (up to 20 bytes) answers GET_ID.
 * Returns the device, or NULL (printed why) if the file cannot be used
 * or no slot is left. The fd belongs to the device from then on.
 */
struct virtio_dev *virtio_blk_add(const struct guest_mem *mem, int fd,
				  int read_only, const char *id);

#endif /* VMMD_VIRTIO_BLK_H */
