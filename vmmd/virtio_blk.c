// SPDX-License-Identifier: GPL-2.0-only
/* virtio-blk over a raw image file (virtio_blk.h). */
#include <errno.h>
#include <fcntl.h>
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
#define VIRTIO_BLK_F_DISCARD	13
#define VIRTIO_BLK_F_WRITE_ZEROES 14
#define VIRTIO_F_INDIRECT_DESC	28

#define PCI_CLASS_STORAGE_OTHER	0x018000
#define BLK_CONFIG_LEN		60	/* struct virtio_blk_config, 1.2 */

struct blk {
	struct virtio_dev dev;
	int fd;
	int read_only;
	int discard;		/* DISCARD and WRITE_ZEROES offered */
	uint64_t sectors;
	char id[VMM_VIRTIO_BLK_ID_BYTES];
};

/* A 4 KiB block of zeroes: WRITE_ZEROES where ZERO_RANGE is missing. */
static const uint8_t zero_block[4096];

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

/* Deallocate [pos, pos + len): reads of it return zeroes afterwards. */
static int blk_punch(int fd, uint64_t pos, uint64_t len)
{
	return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			 (off_t)pos, (off_t)len);
}

/*
 * Zero [pos, pos + len): ZERO_RANGE if the file system has it, else a hole
 * if the guest allowed unmap, else written zeroes (tmpfs has no
 * ZERO_RANGE; 5.2.6.2 only asks that the range reads as zeroes).
 */
static int blk_zero(int fd, uint64_t pos, uint64_t len, uint32_t unmap)
{
	uint32_t n;

	if (!fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		       (off_t)pos, (off_t)len))
		return 0;
	if (errno != EOPNOTSUPP)
		return -1;
	if (unmap && !blk_punch(fd, pos, len))
		return 0;
	while (len) {
		n = len < sizeof(zero_block) ? (uint32_t)len : sizeof(zero_block);
		if (blk_io(fd, (uint8_t *)zero_block, n, pos, 1))
			return -1;
		pos += n;
		len -= n;
	}
	return 0;
}

/* The status for a segment vmm_virtio_blk_seg() refused. */
static uint8_t seg_status(enum vmm_virtio_blk_err err)
{
	return err == VMM_VIRTIO_BLK_ERR_FLAGS ? VMM_VIRTIO_BLK_S_UNSUPP :
						 VMM_VIRTIO_BLK_S_IOERR;
}

/*
 * DISCARD / WRITE_ZEROES: every segment is checked before any is done, so
 * a bad one fails the request without a partial change.
 */
static uint8_t blk_dwz(struct blk *b, const struct vmm_virtq_buf *bufs,
		       const struct vmm_virtio_blk_req *req)
{
	const struct vmm_virtq_buf *data = &bufs[req->data_first];
	int discard = req->type == VMM_VIRTIO_BLK_T_DISCARD;
	uint32_t max_seg = discard ? VIRTIO_BLK_DISCARD_SEG_MAX :
				     VIRTIO_BLK_WZ_SEG_MAX;
	struct vmm_virtio_blk_seg seg;
	enum vmm_virtio_blk_err err;
	uint32_t i, n = req->data_len / VMM_VIRTIO_BLK_SEG_SIZE;
	uint64_t pos, len;
	int pass;

	if (!virtio_has(&b->dev, discard ? VIRTIO_BLK_F_DISCARD :
					     VIRTIO_BLK_F_WRITE_ZEROES))
		return VMM_VIRTIO_BLK_S_UNSUPP;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			/* Read again in the second pass: guest memory. */
			err = vmm_virtio_blk_seg(&b->dev.ram, data, req->type, i,
						 b->sectors, VIRTIO_BLK_DWZ_SECTORS_MAX,
						 max_seg, &seg);
			if (err != VMM_VIRTIO_BLK_OK)
				return seg_status(err);
			if (!pass || !seg.num)
				continue;
			pos = seg.sector * VMM_VIRTIO_BLK_SECTOR_SIZE;
			len = (uint64_t)seg.num * VMM_VIRTIO_BLK_SECTOR_SIZE;
			if (discard ? blk_punch(b->fd, pos, len) :
				      blk_zero(b->fd, pos, len, seg.unmap))
				return VMM_VIRTIO_BLK_S_IOERR;
		}
	}
	return VMM_VIRTIO_BLK_S_OK;
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
	case VMM_VIRTIO_BLK_T_DISCARD:
	case VMM_VIRTIO_BLK_T_WRITE_ZEROES:
		return blk_dwz(b, bufs, req);
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
	if (b->discard) {
		uint32_t sectors = VIRTIO_BLK_DWZ_SECTORS_MAX;
		uint32_t dseg = VIRTIO_BLK_DISCARD_SEG_MAX;
		uint32_t wseg = VIRTIO_BLK_WZ_SEG_MAX;
		uint32_t align = VIRTIO_BLK_DISCARD_ALIGN;

		memcpy(c + 36, &sectors, 4);	/* max_discard_sectors */
		memcpy(c + 40, &dseg, 4);	/* max_discard_seg */
		memcpy(c + 44, &align, 4);	/* discard_sector_alignment */
		memcpy(c + 48, &sectors, 4);	/* max_write_zeroes_sectors */
		memcpy(c + 52, &wseg, 4);	/* max_write_zeroes_seg */
		c[56] = 1;			/* write_zeroes_may_unmap */
	}
	b->dev.devcfg_len = BLK_CONFIG_LEN;
}

/*
 * Can this image punch holes?  A hole past the end (KEEP_SIZE) changes
 * nothing; file systems without it say EOPNOTSUPP.  Regular files only:
 * a block device's end is not a harmless place.
 */
static int blk_can_punch(int fd, const struct stat *st)
{
	return S_ISREG(st->st_mode) &&
	       !blk_punch(fd, (uint64_t)st->st_size, VMM_VIRTIO_BLK_SECTOR_SIZE);
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
	else if (blk_can_punch(fd, &st))
		b->discard = 1;
	if (b->discard)
		features |= (1ULL << VIRTIO_BLK_F_DISCARD) |
			    (1ULL << VIRTIO_BLK_F_WRITE_ZEROES);
	b->dev.priv = b;
	blk_config(b);
	if (virtio_pci_add(&b->dev, &blk_type, mem, features)) {
		fprintf(stderr, "vmmd: disk %s: no PCI slot or BAR space left\n", id);
		free(b);
		return NULL;
	}
	return &b->dev;
}
