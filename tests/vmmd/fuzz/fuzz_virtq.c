// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target over libvmm's virtqueue walk and virtio-blk decode
 * (libvmm/virtq.c), as vmmd's devices drive them: enable a queue, then
 * avail_idx / pop / blk decode / push / publish until the queue is empty
 * or broken.  The input is the guest:
 *   byte 0      queue size 2^(b % 12)
 *   byte 1      bit 0: VIRTIO_F_INDIRECT_DESC, bit 1: read-only disk
 *   byte 2...   guest RAM from GPA 0 (64 KiB low; 4 KiB at 4 GiB, zero):
 *               descriptor table at 0x0, avail ring at 0x8000, used ring
 *               at 0x9000
 * RAM is one heap buffer of exactly its size, so ASan reports any access
 * outside it.  Beyond memory safety the target checks the contracts'
 * promises at run time and aborts when one is broken: every buffer of a
 * chain lies in RAM and is nonempty, readable ones first, at most cap of
 * them, total below 2^32; a decoded request's status byte and data lie in
 * RAM, its sectors within the capacity.  seeds.py writes two seeds: a
 * direct and an indirect virtio-blk read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libvmm/virtq.h>

#define LOW 0x10000U
#define HIGH 0x1000U
#define CAP 64U
#define CAPACITY 128U

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_chain(const struct vmm_guest_ram *ram,
			const struct vmm_virtq_buf *bufs,
			const struct vmm_virtq_chain *c, uint32_t size)
{
	uint64_t total = 0;
	uint32_t i;

	check(c->n >= 1 && c->n <= CAP && c->n_read <= c->n);
	check(c->head < size);
	for (i = 0; i < c->n; i++) {
		check(bufs[i].len >= 1);
		check(bufs[i].off + bufs[i].len <= ram->size);
		check(bufs[i].write == (i >= c->n_read ? 1U : 0U));
		total += bufs[i].len;
	}
	check(total == (uint64_t)c->read_len + c->write_len);
	check(total <= UINT32_MAX);
}

static void check_req(const struct vmm_guest_ram *ram,
		      const struct vmm_virtq_buf *bufs,
		      const struct vmm_virtq_chain *c,
		      const struct vmm_virtio_blk_req *req, uint32_t ro)
{
	uint64_t sum = 0;
	uint32_t i;

	check(req->data_first == 1 && req->data_count + 2U == c->n);
	for (i = 1; i + 1U < c->n; i++)
		sum += bufs[i].len;
	check(sum == req->data_len);
	if (req->type == VMM_VIRTIO_BLK_T_IN || req->type == VMM_VIRTIO_BLK_T_OUT) {
		check(req->data_len % 512U == 0);
		check(req->sector <= CAPACITY &&
		      req->data_len / 512U <= CAPACITY - req->sector);
	}
	check(req->type != VMM_VIRTIO_BLK_T_OUT || ro == 0);
	check(req->status_off < ram->size);
	if (req->type == VMM_VIRTIO_BLK_T_DISCARD ||
	    req->type == VMM_VIRTIO_BLK_T_WRITE_ZEROES) {
		struct vmm_virtio_blk_seg seg;

		check(ro == 0 && req->data_count == 1 && req->data_len >= 16 &&
		      req->data_len % 16U == 0);
		/* Each segment the reader accepts is within the limits. */
		for (i = 0; i < req->data_len / 16U && i < 8; i++)
			if (vmm_virtio_blk_seg(ram, &bufs[1], req->type, i,
					       CAPACITY, 64, 4, &seg) ==
			    VMM_VIRTIO_BLK_OK)
				check(seg.num <= 64 && seg.unmap <= 1 &&
				      seg.sector <= CAPACITY &&
				      seg.num <= CAPACITY - seg.sector &&
				      (req->type == VMM_VIRTIO_BLK_T_WRITE_ZEROES ||
				       !seg.unmap));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct vmm_virtq_buf bufs[CAP];
	struct vmm_virtq_chain chain;
	struct vmm_virtio_blk_req req;
	struct vmm_guest_ram ram;
	struct vmm_virtq q;
	enum vmm_virtq_err err;
	enum vmm_virtio_blk_err berr;
	uint32_t ro;
	vmm_u16 idx;
	int i;

	if (len < 2)
		return 0;
	ram.size = LOW + HIGH;
	ram.low_size = LOW;
	ram.host = calloc(1, ram.size);
	if (ram.host == NULL)
		abort();
	memcpy(ram.host, data + 2, len - 2 < LOW ? len - 2 : LOW);
	memset(&q, 0, sizeof(q));
	q.size = 1U << (data[0] % 12U);
	q.indirect = data[1] & 1U;
	ro = (data[1] >> 1) & 1U;
	q.desc_gpa = 0;
	q.avail_gpa = 0x8000;
	q.used_gpa = 0x9000;
	if (vmm_virtq_enable(&q, &ram) == VMM_VIRTQ_OK) {
		for (i = 0; i < 16; i++) {
			check(vmm_virtq_avail_idx(&q, &ram, &idx) == VMM_VIRTQ_OK);
			err = vmm_virtq_pop(&q, &ram, idx, bufs, CAP, &chain);
			if (err != VMM_VIRTQ_OK)
				break;
			check_chain(&ram, bufs, &chain, q.size);
			berr = vmm_virtio_blk_decode(&ram, bufs, CAP, &chain,
						     CAPACITY, ro, &req);
			if (berr == VMM_VIRTIO_BLK_OK)
				check_req(&ram, bufs, &chain, &req, ro);
			if (berr == VMM_VIRTIO_BLK_OK ||
			    berr >= VMM_VIRTIO_BLK_ERR_TYPE)
				ram.host[req.status_off] = (uint8_t)berr;
			check(vmm_virtq_push(&q, &ram, chain.head, 1) == VMM_VIRTQ_OK);
			check(vmm_virtq_publish(&q, &ram) == VMM_VIRTQ_OK);
		}
		check(q.in_flight == 0);
	}
	free(ram.host);
	return 0;
}
