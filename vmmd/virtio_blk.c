// SPDX-License-Identifier: GPL-2.0-only
/* virtio-blk over a raw image file (virtio_blk.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtio_blk.h"
#include "virtio_pci.h"

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_FLUSH	9
#define VIRTIO_F_INDIRECT_DESC	28

#define PCI_CLASS_STORAGE_OTHER	0x018000
#define BLK_CONFIG_LEN		60	/* struct virtio_blk_config, 1.2 */

struct blk {
	struct virtio_dev dev;
	int fd;
	int read_only;
	uint64_t sectors;
	char id[VMM_VIRTIO_BLK_ID_BYTES];
};

/* All of [pos, pos + len) or failure: short transfers are retried. */
static int blk_io(int fd, uint8_t *p, uint32_t len, uint64_t pos, int write)
{
	while (len) {
		ssize_t r = write ? pwrite(fd, p, len, pos) : pread(fd, p, len, pos);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		len -= r;
		pos += r;
	}
	return 0;
}

/* The data buffers of a decoded request, within the advertised limits. */
static int within_limits(const struct vmm_virtq_buf *bufs,
			 const struct vmm_virtio_blk_req *req)
{
	uint32_t i;

	if (req->data_count > VIRTIO_BLK_SEG_MAX)
		return 0;
	for (i = 0; i < req->data_count; i++)
		if (bufs[req->data_first + i].len > VIRTIO_BLK_SIZE_MAX)
			return 0;
	return 1;
}

/* Do a request decode accepted; *written: bytes put in the guest's buffers. */
static uint8_t blk_do(struct blk *b, const struct vmm_virtq_buf *bufs,
		      const struct vmm_virtio_blk_req *req, uint32_t *written)
{
	uint8_t *host = b->dev.ram.host;
	uint64_t pos = req->sector * VMM_VIRTIO_BLK_SECTOR_SIZE;
	uint32_t i, n;

	*written = 0;
	if (!within_limits(bufs, req))
		return VMM_VIRTIO_BLK_S_IOERR;
	switch (req->type) {
	case VMM_VIRTIO_BLK_T_IN:
	case VMM_VIRTIO_BLK_T_OUT:
		for (i = 0; i < req->data_count; i++) {
			const struct vmm_virtq_buf *buf = &bufs[req->data_first + i];

			if (blk_io(b->fd, host + buf->off, buf->len, pos,
				   req->type == VMM_VIRTIO_BLK_T_OUT))
				return VMM_VIRTIO_BLK_S_IOERR;
			pos += buf->len;
		}
		if (req->type == VMM_VIRTIO_BLK_T_IN)
			*written = req->data_len;
		return VMM_VIRTIO_BLK_S_OK;
	case VMM_VIRTIO_BLK_T_FLUSH:
		return fdatasync(b->fd) ? VMM_VIRTIO_BLK_S_IOERR :
					  VMM_VIRTIO_BLK_S_OK;
	case VMM_VIRTIO_BLK_T_GET_ID:
		for (i = 0; i < req->data_count && *written < sizeof(b->id); i++) {
			const struct vmm_virtq_buf *buf = &bufs[req->data_first + i];

			n = sizeof(b->id) - *written;
			if (n > buf->len)
				n = buf->len;
			memcpy(host + buf->off, b->id + *written, n);
			*written += n;
		}
		return VMM_VIRTIO_BLK_S_OK;
	default:
		return VMM_VIRTIO_BLK_S_UNSUPP;
	}
}

static int blk_chain(struct virtio_dev *d, unsigned int q,
		     const struct vmm_virtq_buf *bufs,
		     const struct vmm_virtq_chain *chain)
{
	struct blk *b = d->priv;
	struct vmm_virtio_blk_req req;
	uint32_t written = 0;
	uint8_t status;

	(void)q;
	switch (vmm_virtio_blk_decode(&d->ram, bufs, d->type->max_bufs, chain,
				      b->sectors, b->read_only, &req)) {
	case VMM_VIRTIO_BLK_OK:
		status = blk_do(b, bufs, &req, &written);
		break;
	case VMM_VIRTIO_BLK_ERR_TYPE:
		status = VMM_VIRTIO_BLK_S_UNSUPP;
		break;
	case VMM_VIRTIO_BLK_ERR_DIRECTION:
	case VMM_VIRTIO_BLK_ERR_DATA_LEN:
	case VMM_VIRTIO_BLK_ERR_BEYOND:
	case VMM_VIRTIO_BLK_ERR_READ_ONLY:
		status = VMM_VIRTIO_BLK_S_IOERR;
		break;
	default:
		return -1;		/* no status byte to answer in */
	}
	d->ram.host[req.status_off] = status;
	return (int)(written + 1);
}

static const struct virtio_type blk_type = {
	.name = "virtio-blk",
	.device_type = 2,
	.pci_class = PCI_CLASS_STORAGE_OTHER,
	.nqueues = 1,
	.queue_max = VIRTIO_BLK_QUEUE_MAX,
	/*
	 * Room for more than the header, seg_max data buffers and the
	 * status byte: a request with too many segments can then be failed
	 * (IOERR) rather than taken for a broken queue.
	 */
	.max_bufs = VIRTIO_MAX_BUFS,
	.chain = blk_chain,
};

static void blk_config(struct blk *b)
{
	uint8_t *c = b->dev.devcfg;
	uint32_t size_max = VIRTIO_BLK_SIZE_MAX, seg_max = VIRTIO_BLK_SEG_MAX;
	uint16_t one = 1;

	memset(c, 0, sizeof(b->dev.devcfg));
	memcpy(c + 0, &b->sectors, 8);		/* capacity */
	memcpy(c + 8, &size_max, 4);
	memcpy(c + 12, &seg_max, 4);
	memcpy(c + 34, &one, 2);		/* num_queues */
	b->dev.devcfg_len = BLK_CONFIG_LEN;
}

struct virtio_dev *virtio_blk_add(const struct guest_mem *mem, int fd,
				  int read_only, const char *id)
{
	uint64_t features = (1ULL << VIRTIO_BLK_F_SIZE_MAX) |
			    (1ULL << VIRTIO_BLK_F_SEG_MAX) |
			    (1ULL << VIRTIO_BLK_F_FLUSH) |
			    (1ULL << VIRTIO_F_INDIRECT_DESC);
	struct stat st;
	struct blk *b;

	if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		fprintf(stderr, "vmmd: disk %s: not a regular file\n", id);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->fd = fd;
	b->read_only = read_only;
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		st.st_size = end < 0 ? 0 : end;
	}
	b->sectors = (uint64_t)st.st_size / VMM_VIRTIO_BLK_SECTOR_SIZE;
	/* Zero-padded; 20 bytes need no terminator (5.2.6). */
	memcpy(b->id, id, strnlen(id, sizeof(b->id)));
	if (read_only)
		features |= 1ULL << VIRTIO_BLK_F_RO;
	b->dev.priv = b;
	blk_config(b);
	if (virtio_pci_add(&b->dev, &blk_type, mem, features)) {
		fprintf(stderr, "vmmd: disk %s: no PCI slot or BAR space left\n", id);
		free(b);
		return NULL;
	}
	return &b->dev;
}
