// SPDX-License-Identifier: GPL-2.0-only
/* virtio-rng from getrandom() (virtio_rng.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "virtio_pci.h"
#include "virtio_rng.h"

#define PCI_CLASS_OTHER		0xff0000

static int rng_chain(struct virtio_dev *d, unsigned int q,
		     const struct vmm_virtq_buf *bufs,
		     const struct vmm_virtq_chain *chain)
{
	uint32_t i, done = 0;

	(void)q;
	for (i = chain->n_read; i < chain->n && done < VIRTIO_RNG_MAX; i++) {
		uint32_t want = bufs[i].len;
		ssize_t r;

		if (want > VIRTIO_RNG_MAX - done)
			want = VIRTIO_RNG_MAX - done;
		/*
		 * Blocking: until the host's pool is ready, GRND_NONBLOCK
		 * gives nothing, and a used buffer of length 0 (which 5.4.6.1
		 * forbids) leaves Linux's virtio-rng waiting for ever (seen in
		 * the rig, early in the outer machine's boot).
		 */
		r = getrandom(d->ram.host + bufs[i].off, want, 0);
		if (r < 0 && errno == EINTR)
			r = getrandom(d->ram.host + bufs[i].off, want, 0);
		if (r <= 0)
			break;		/* what was filled goes back */
		done += r;
		if ((uint32_t)r < want)
			break;
	}
	return (int)done;
}

static const struct virtio_type rng_type = {
	.name = "virtio-rng",
	.device_type = 4,
	.pci_class = PCI_CLASS_OTHER,
	.nqueues = 1,
	.queue_max = 64,
	.max_bufs = 64,
	.chain = rng_chain,
};

struct virtio_dev *virtio_rng_add(const struct guest_mem *mem)
{
	struct virtio_dev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->priv = d;
	if (virtio_pci_add(d, &rng_type, mem, 1ULL << 28)) {
		fprintf(stderr, "vmmd: virtio-rng: no PCI slot or BAR space left\n");
		free(d);
		return NULL;
	}
	return d;
}
