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
 * later flush has returned), GET_ID, DISCARD and WRITE_ZEROES (below). Limits offered and enforced: at most
 * VIRTIO_BLK_SEG_MAX data buffers per request, each at most
 * VIRTIO_BLK_SIZE_MAX bytes; a request beyond them fails with IOERR (a
 * chain longer than VIRTIO_MAX_BUFS is a malformed queue: NEEDS_RESET).
 * Requests run on the notifying vCPU's thread, to completion.
 */
#define VIRTIO_BLK_SEG_MAX	126U
/*
 * DISCARD (a hole: fallocate PUNCH_HOLE | KEEP_SIZE) and WRITE_ZEROES
 * (fallocate ZERO_RANGE, else a hole if the guest allows unmap, else
 * written zeroes) are offered only for a writable regular file whose file
 * system punches holes (probed at start).  Per request at most these many
 * 16-byte segments of at most VIRTIO_BLK_DWZ_SECTORS_MAX sectors each
 * (Linux sends up to 256 discard segments; it splits larger requests).
 */
#define VIRTIO_BLK_DISCARD_SEG_MAX	32U
#define VIRTIO_BLK_WZ_SEG_MAX		32U
#define VIRTIO_BLK_DWZ_SECTORS_MAX	(1U << 22)	/* 2 GiB */
/* discard_sector_alignment: 4 KiB, the file system's block. */
#define VIRTIO_BLK_DISCARD_ALIGN	8U
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
