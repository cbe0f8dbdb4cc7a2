/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VIRTIO_RNG_H
#define VMMD_VIRTIO_RNG_H

#include "mem.h"

/*
 * virtio-rng (virtio 1.2, 5.4): one queue; each chain's device-writable
 * buffers are filled from getrandom() (the host's pool; it blocks only
 * until that pool is first ready, never after),
 * at most VIRTIO_RNG_MAX bytes a request. Device-readable buffers are
 * left alone.
 */
#define VIRTIO_RNG_MAX		65536U

struct virtio_dev;

/* The device on the next PCI slot, or NULL if none is left. */
struct virtio_dev *virtio_rng_add(const struct guest_mem *mem);

#endif /* VMMD_VIRTIO_RNG_H */
