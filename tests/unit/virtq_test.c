// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 9 (split virtqueue, virtio-blk decode):
 * the chains Linux builds (direct, indirect, direct then indirect), every
 * error code of the walk and of the blk decode, and that an error leaves
 * the queue state as it was.  Guest RAM is one heap buffer of exactly its
 * size, so ASan reports any access the layer makes outside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libvmm/virtq.h>

#include "tap.h"

/* 1 MiB at GPA 0, 64 KiB at 4 GiB. */
#define LOW (1024U * 1024U)
#define HIGH (64U * 1024U)
#define QSIZE 8U
#define DESC 0x1000ULL
#define AVAIL 0x2000ULL
#define USED 0x3000ULL
#define F_NEXT VMM_VIRTQ_DESC_F_NEXT
#define F_WRITE VMM_VIRTQ_DESC_F_WRITE
#define F_IND VMM_VIRTQ_DESC_F_INDIRECT
#define CAP 16U

static struct vmm_guest_ram ram;
static struct vmm_virtq q;
static struct vmm_virtq_buf bufs[CAP];
static struct vmm_virtq_chain chain;

static void put16(uint64_t off, uint16_t v) { memcpy(ram.host + off, &v, 2); }
static void put32(uint64_t off, uint32_t v) { memcpy(ram.host + off, &v, 4); }
static void put64(uint64_t off, uint64_t v) { memcpy(ram.host + off, &v, 8); }
static uint16_t get16(uint64_t off) { uint16_t v; memcpy(&v, ram.host + off, 2); return v; }
static uint32_t get32(uint64_t off) { uint32_t v; memcpy(&v, ram.host + off, 4); return v; }

/* Descriptor i of the table at host offset tbl. */
static void desc_at(uint64_t tbl, unsigned int i, uint64_t addr, uint32_t len,
		    uint16_t flags, uint16_t next)
{
	put64(tbl + 16U * i, addr);
	put32(tbl + 16U * i + 8U, len);
	put16(tbl + 16U * i + 12U, flags);
	put16(tbl + 16U * i + 14U, next);
}

static void desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	desc_at(DESC, i, addr, len, flags, next);
}

/* Make chain @head the driver's next available entry; returns avail->idx. */
static uint16_t offer(uint16_t head)
{
	uint16_t idx = get16(AVAIL + 2U);

	put16(AVAIL + 4U + 2U * (idx % QSIZE), head);
	put16(AVAIL + 2U, (uint16_t)(idx + 1U));
	return (uint16_t)(idx + 1U);
}

/* Fresh RAM (heap, exact size), a ready queue of QSIZE entries. */
static void setup(void)
{
	free(ram.host);
	ram.size = LOW + HIGH;
	ram.low_size = LOW;
	ram.host = calloc(1, ram.size);
	if (ram.host == NULL)
		abort();
	memset(&q, 0, sizeof(q));
	q.size = QSIZE;
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL;
	q.used_gpa = USED;
	q.indirect = 1U;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_OK);
	memset(bufs, 0xA5, sizeof(bufs));
	memset(&chain, 0xA5, sizeof(chain));
}

/* Pop with the current avail->idx; on error the queue must not move. */
static enum vmm_virtq_err pop_cap(vmm_u32 cap)
{
	struct vmm_virtq before = q;
	enum vmm_virtq_err err;
	vmm_u16 idx = 0;

	CHECK_EQ(vmm_virtq_avail_idx(&q, &ram, &idx), VMM_VIRTQ_OK);
	err = vmm_virtq_pop(&q, &ram, idx, bufs, cap, &chain);
	if (err != VMM_VIRTQ_OK)
		CHECK(memcmp(&before, &q, sizeof(q)) == 0);
	return err;
}

static enum vmm_virtq_err pop(void)
{
	return pop_cap(CAP);
}

static void test_ram_range(void)
{
	vmm_u64 off = 77;

	setup();
	CHECK_EQ(vmm_guest_ram_range(&ram, 0, LOW, &off), VMM_VIRTQ_OK);
	CHECK_EQ(off, 0);
	CHECK_EQ(vmm_guest_ram_range(&ram, 0x100000000ULL + 16, 32, &off),
		 VMM_VIRTQ_OK);
	CHECK_EQ(off, LOW + 16U);
	CHECK_EQ(vmm_guest_ram_range(&ram, 0x100000000ULL, HIGH, &off),
		 VMM_VIRTQ_OK);
	off = 77;
	/* one byte past each part, across the hole, wrap, empty */
	CHECK_EQ(vmm_guest_ram_range(&ram, 0, LOW + 1U, &off), VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&ram, 0x100000000ULL, HIGH + 1U, &off),
		 VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&ram, LOW - 8U, 0x100000000ULL, &off),
		 VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&ram, 0x100000000ULL - 8U, 16, &off),
		 VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&ram, UINT64_MAX - 3U, 8, &off),
		 VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&ram, 16, 0, &off), VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(off, 77);
	CHECK_EQ(vmm_guest_ram_range(NULL, 0, 1, &off), VMM_VIRTQ_ERR_NULL);
	CHECK_EQ(vmm_guest_ram_range(&ram, 0, 1, NULL), VMM_VIRTQ_ERR_NULL);
	ram.low_size = ram.size + 1U;
	CHECK_EQ(vmm_guest_ram_range(&ram, 0, 1, &off), VMM_VIRTQ_ERR_RAM);
	ram.low_size = LOW;
}

static void test_ram_layout(void)
{
	struct vmm_guest_ram bad = { NULL, 0x200000000ULL, 0x100000001ULL };
	vmm_u64 off;

	/* low part above 4 GiB, size above the limit */
	CHECK_EQ(vmm_guest_ram_range(&bad, 0, 1, &off), VMM_VIRTQ_ERR_RAM);
	bad.low_size = 0;
	bad.size = VMM_RAM_SIZE_MAX + 1U;
	CHECK_EQ(vmm_guest_ram_range(&bad, 0x100000000ULL, 1, &off),
		 VMM_VIRTQ_ERR_RAM);
	/* all RAM high: nothing at GPA 0 */
	bad.size = 4096;
	CHECK_EQ(vmm_guest_ram_range(&bad, 0, 1, &off), VMM_VIRTQ_ERR_RANGE);
	CHECK_EQ(vmm_guest_ram_range(&bad, 0x100000000ULL, 4096, &off),
		 VMM_VIRTQ_OK);
	CHECK_EQ(off, 0);
}

static void test_enable(void)
{
	struct vmm_virtq before;
	unsigned int s;

	setup();
	CHECK_EQ(q.ready, 1);
	for (s = 1; s <= 32768; s *= 2) {
		q.size = s;
		q.ready = 0;
		q.desc_gpa = 0x10000;
		q.avail_gpa = 0x90000;
		q.used_gpa = 0xB0000;
		CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_OK);
	}
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL;
	q.used_gpa = USED;
	q.size = 0;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_SIZE);
	q.size = 3;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_SIZE);
	q.size = 65536;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_SIZE);
	q.size = QSIZE;
	q.desc_gpa = DESC + 8U;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_ALIGN);
	q.desc_gpa = DESC;
	q.avail_gpa = AVAIL + 1U;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_ALIGN);
	q.avail_gpa = AVAIL;
	q.used_gpa = USED + 2U;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_ALIGN);
	/* the used ring's last byte one past low RAM */
	q.used_gpa = LOW - 68U;
	q.ready = 0;
	before = q;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_RING_RANGE);
	CHECK(memcmp(&before, &q, sizeof(q)) == 0);
	q.used_gpa = LOW - 72U;
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_OK);
	q.desc_gpa = 0xC0000000ULL; /* the hole */
	CHECK_EQ(vmm_virtq_enable(&q, &ram), VMM_VIRTQ_ERR_RING_RANGE);
	CHECK_EQ(vmm_virtq_enable(NULL, &ram), VMM_VIRTQ_ERR_NULL);
	CHECK_EQ(vmm_virtq_enable(&q, NULL), VMM_VIRTQ_ERR_NULL);
}

static void test_not_ready(void)
{
	vmm_u16 idx;

	setup();
	q.ready = 0;
	CHECK_EQ(vmm_virtq_avail_idx(&q, &ram, &idx), VMM_VIRTQ_ERR_NOT_READY);
	CHECK_EQ(vmm_virtq_pop(&q, &ram, 1, bufs, CAP, &chain),
		 VMM_VIRTQ_ERR_NOT_READY);
	CHECK_EQ(vmm_virtq_push(&q, &ram, 0, 0), VMM_VIRTQ_ERR_NOT_READY);
	CHECK_EQ(vmm_virtq_publish(&q, &ram), VMM_VIRTQ_ERR_NOT_READY);
	CHECK_EQ(vmm_virtq_pop(&q, &ram, 1, NULL, CAP, &chain), VMM_VIRTQ_ERR_NULL);
	q.ready = 1;
	CHECK_EQ(vmm_virtq_pop(&q, &ram, 1, bufs, 0, &chain), VMM_VIRTQ_ERR_CAP);
	/* rings checked again on every call: moved into the hole */
	q.avail_gpa = 0xC0000000ULL;
	CHECK_EQ(vmm_virtq_avail_idx(&q, &ram, &idx), VMM_VIRTQ_ERR_RING_RANGE);
	CHECK_EQ(vmm_virtq_pop(&q, &ram, 1, bufs, CAP, &chain),
		 VMM_VIRTQ_ERR_RING_RANGE);
}

/* Linux's virtio-blk read: header, data, status; then push and publish. */
static void test_chain_round_trip(void)
{
	setup();
	CHECK_EQ(pop(), VMM_VIRTQ_EMPTY);
	desc(3, 0x10000, 16, F_NEXT, 5);
	desc(5, 0x100000000ULL + 0x1000, 4096, F_NEXT | F_WRITE, 1);
	desc(1, 0x10010, 1, F_WRITE, 0);
	offer(3);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
	CHECK_EQ(chain.head, 3);
	CHECK_EQ(chain.n, 3);
	CHECK_EQ(chain.n_read, 1);
	CHECK_EQ(chain.read_len, 16);
	CHECK_EQ(chain.write_len, 4097);
	CHECK_EQ(bufs[0].off, 0x10000);
	CHECK_EQ(bufs[0].write, 0);
	CHECK_EQ(bufs[1].off, LOW + 0x1000U);
	CHECK_EQ(bufs[1].len, 4096);
	CHECK_EQ(bufs[1].write, 1);
	CHECK_EQ(bufs[2].off, 0x10010);
	CHECK_EQ(q.last_avail_idx, 1);
	CHECK_EQ(q.in_flight, 1);
	CHECK_EQ(pop(), VMM_VIRTQ_EMPTY);
	CHECK_EQ(vmm_virtq_push(&q, &ram, 3, 4097), VMM_VIRTQ_OK);
	CHECK_EQ(get32(USED + 4U), 3);
	CHECK_EQ(get32(USED + 8U), 4097);
	CHECK_EQ(get16(USED + 2U), 0);
	CHECK_EQ(vmm_virtq_publish(&q, &ram), VMM_VIRTQ_OK);
	CHECK_EQ(get16(USED + 2U), 1);
	CHECK_EQ(q.in_flight, 0);
	/* one used entry per chain taken */
	CHECK_EQ(vmm_virtq_push(&q, &ram, 3, 0), VMM_VIRTQ_ERR_OVERRUN);
	CHECK_EQ(vmm_virtq_push(NULL, &ram, 3, 0), VMM_VIRTQ_ERR_NULL);
}

/* Indices run modulo 2^16 and the ring modulo size. */
static void test_index_wrap(void)
{
	unsigned int i;

	setup();
	desc(0, 0x10000, 64, 0, 0);
	put16(AVAIL + 2U, 65530);
	q.last_avail_idx = 65530;
	q.used_idx = 65530;
	for (i = 0; i < 12; i++) {
		offer(0);
		CHECK_EQ(pop(), VMM_VIRTQ_OK);
		CHECK_EQ(vmm_virtq_push(&q, &ram, 0, 0), VMM_VIRTQ_OK);
	}
	CHECK_EQ(q.last_avail_idx, 6);
	CHECK_EQ(q.used_idx, 6);
	CHECK_EQ(vmm_virtq_publish(&q, &ram), VMM_VIRTQ_OK);
	CHECK_EQ(get16(USED + 2U), 6);
}

static void test_avail_idx_and_overrun(void)
{
	unsigned int i;

	setup();
	desc(0, 0x10000, 64, 0, 0);
	/* more than size chains announced at once: garbage */
	put16(AVAIL + 2U, QSIZE + 1U);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_AVAIL_IDX);
	put16(AVAIL + 2U, 0xFFFF);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_AVAIL_IDX);
	/* size chains in flight: a ninth cannot exist */
	put16(AVAIL + 2U, 0);
	for (i = 0; i < QSIZE; i++) {
		offer(0);
		CHECK_EQ(pop(), VMM_VIRTQ_OK);
	}
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_OVERRUN);
}

static void test_bad_indices(void)
{
	setup();
	offer(QSIZE);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_HEAD);
	setup();
	desc(0, 0x10000, 64, F_NEXT, QSIZE);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_NEXT);
	CHECK_EQ(vmm_virtq_push(&q, &ram, QSIZE, 0), VMM_VIRTQ_ERR_HEAD);
}

/* A cycle ends after size descriptors, with its own error. */
static void test_loop(void)
{
	unsigned int i;

	setup();
	desc(0, 0x10000, 64, F_NEXT, 1);
	desc(1, 0x10000, 64, F_NEXT, 0);
	offer(0);
	CHECK_EQ(pop_cap(CAP), VMM_VIRTQ_ERR_LOOP);
	/* a self-loop */
	setup();
	desc(2, 0x10000, 64, F_NEXT, 2);
	offer(2);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_LOOP);
	/* exactly size descriptors is fine */
	setup();
	for (i = 0; i < QSIZE; i++)
		desc(i, 0x10000, 8, i + 1U < QSIZE ? F_NEXT : 0, i + 1U);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
	CHECK_EQ(chain.n, QSIZE);
	/* the caller's array is too small */
	setup();
	for (i = 0; i < QSIZE; i++)
		desc(i, 0x10000, 8, i + 1U < QSIZE ? F_NEXT : 0, i + 1U);
	offer(0);
	CHECK_EQ(pop_cap(3), VMM_VIRTQ_ERR_TOO_MANY);
}

static void test_buffers(void)
{
	setup();
	desc(0, 0x10000, 0, 0, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_LEN_ZERO);
	setup();
	desc(0, LOW - 4U, 8, 0, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_BUF_RANGE);
	setup();
	desc(0, UINT64_MAX - 7U, 16, 0, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_BUF_RANGE);
	setup();
	desc(0, 0xFEE00000ULL, 4, 0, 0); /* the LAPIC, not RAM */
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_BUF_RANGE);
	/* readable after writable */
	setup();
	desc(0, 0x10000, 16, F_NEXT | F_WRITE, 1);
	desc(1, 0x10000, 16, 0, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_ORDER);
}

/* A chain of 2^32 bytes: the largest queue, every descriptor 128 KiB of
 * the same RAM (buffers may overlap): 32768 * 2^17 = 2^32 > 2^32 - 1. */
static void test_total_len(void)
{
	static struct vmm_virtq_buf big[70000];
	struct vmm_guest_ram r2 = ram;
	struct vmm_virtq q2;
	vmm_u8 *host;
	unsigned int i;
	uint16_t idx;

	r2.size = 0x100000;
	r2.low_size = 0x100000;
	host = calloc(1, r2.size);
	if (host == NULL)
		abort();
	r2.host = host;
	memset(&q2, 0, sizeof(q2));
	q2.size = 32768;
	q2.desc_gpa = 0x80000;   /* 512 KiB of descriptors */
	q2.avail_gpa = 0x10000;
	q2.used_gpa = 0x20000;
	CHECK_EQ(vmm_virtq_enable(&q2, &r2), VMM_VIRTQ_OK);
	for (i = 0; i < 32768; i++) {
		uint64_t d = 0x80000 + 16ULL * i;
		uint64_t a = 0;
		uint32_t l = 0x20000;
		uint16_t f = i + 1U < 32768 ? F_NEXT : 0;
		uint16_t n = (uint16_t)(i + 1U);

		memcpy(host + d, &a, 8);
		memcpy(host + d + 8, &l, 4);
		memcpy(host + d + 12, &f, 2);
		memcpy(host + d + 14, &n, 2);
	}
	idx = 1;
	memcpy(host + 0x10000 + 2, &idx, 2);
	CHECK_EQ(vmm_virtq_pop(&q2, &r2, 1, big, 70000, &chain),
		 VMM_VIRTQ_ERR_TOTAL_LEN);
	CHECK_EQ(q2.last_avail_idx, 0);
	free(host);
}

static void test_indirect(void)
{
	const uint64_t tbl = 0x20000;

	/* one indirect descriptor: header, data, status in the table */
	setup();
	desc_at(tbl, 0, 0x10000, 16, F_NEXT, 2);
	desc_at(tbl, 2, 0x11000, 512, F_NEXT | F_WRITE, 1);
	desc_at(tbl, 1, 0x10010, 1, F_WRITE, 0);
	desc(4, tbl, 48, F_IND | F_WRITE, 0); /* WRITE ignored here */
	offer(4);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
	CHECK_EQ(chain.head, 4);
	CHECK_EQ(chain.n, 3);
	CHECK_EQ(chain.n_read, 1);
	CHECK_EQ(bufs[1].len, 512);
	/* direct descriptors, then one indirect (2.7.5.3.2) */
	setup();
	desc_at(tbl, 0, 0x11000, 512, F_WRITE, 0);
	desc(0, 0x10000, 16, F_NEXT, 1);
	desc(1, tbl, 16, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
	CHECK_EQ(chain.n, 2);
	CHECK_EQ(chain.n_read, 1);
	/* not negotiated */
	setup();
	q.indirect = 0;
	desc(0, tbl, 16, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_FEATURE);
	/* with NEXT */
	setup();
	desc_at(tbl, 0, 0x11000, 512, 0, 0);
	desc(0, tbl, 16, F_IND | F_NEXT, 1);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_NEXT);
	/* length 0, 8, 24 */
	setup();
	desc(0, tbl, 0, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_LEN);
	desc(0, tbl, 8, F_IND, 0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_LEN);
	desc(0, tbl, 24, F_IND, 0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_LEN);
	/* table outside RAM */
	desc(0, LOW - 16U, 32, F_IND, 0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_RANGE);
	/* nested */
	setup();
	desc_at(tbl, 0, tbl, 16, F_IND, 0);
	desc(0, tbl, 16, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_INDIRECT_NESTED);
	/* a loop inside the table, and a next past its end */
	setup();
	desc_at(tbl, 0, 0x11000, 8, F_NEXT, 1);
	desc_at(tbl, 1, 0x11000, 8, F_NEXT, 0);
	desc(0, tbl, 32, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_LOOP);
	desc_at(tbl, 1, 0x11000, 8, F_NEXT, 2);
	CHECK_EQ(pop(), VMM_VIRTQ_ERR_NEXT);
	/* an unaligned table is allowed (the spec sets no alignment) */
	setup();
	desc_at(tbl + 3U, 0, 0x11000, 8, 0, 0);
	desc(0, tbl + 3U, 16, F_IND, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
}

/* ---- virtio-blk ------------------------------------------------------ */

#define HDR 0x10000ULL
#define STATUS 0x10010ULL
#define DATA 0x11000ULL
#define CAPACITY 64U /* sectors */

static struct vmm_virtio_blk_req req;

static void hdr(uint32_t type, uint64_t sector)
{
	put32(HDR, type);
	put32(HDR + 4U, 0);
	put64(HDR + 8U, sector);
}

/* bufs/chain by hand: header, n_data data buffers of len each, status. */
static void blk_chain(unsigned int n_data, uint32_t len, uint32_t write)
{
	unsigned int i;

	bufs[0] = (struct vmm_virtq_buf){ HDR, 16, 0 };
	for (i = 1; i <= n_data; i++)
		bufs[i] = (struct vmm_virtq_buf){ DATA + 4096U * i, len, write };
	bufs[n_data + 1U] = (struct vmm_virtq_buf){ STATUS, 1, 1 };
	chain.n = n_data + 2U;
	chain.n_read = write ? 1 : n_data + 1U;
	chain.head = 0;
}

static enum vmm_virtio_blk_err decode(void)
{
	memset(&req, 0xA5, sizeof(req));
	return vmm_virtio_blk_decode(&ram, bufs, CAP, &chain, CAPACITY, 0, &req);
}

static void test_blk_ok(void)
{
	setup();
	/* the decode of a chain that came out of pop() */
	desc(0, HDR, 16, F_NEXT, 1);
	desc(1, DATA, 1024, F_NEXT | F_WRITE, 2);
	desc(2, STATUS, 1, F_WRITE, 0);
	offer(0);
	CHECK_EQ(pop(), VMM_VIRTQ_OK);
	hdr(VMM_VIRTIO_BLK_T_IN, 62);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.type, VMM_VIRTIO_BLK_T_IN);
	CHECK_EQ(req.sector, 62);
	CHECK_EQ(req.status_off, STATUS);
	CHECK_EQ(req.data_first, 1);
	CHECK_EQ(req.data_count, 1);
	CHECK_EQ(req.data_len, 1024);
	blk_chain(3, 512, 0);
	hdr(VMM_VIRTIO_BLK_T_OUT, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.data_len, 1536);
	CHECK_EQ(req.data_count, 3);
	blk_chain(0, 0, 0);
	hdr(VMM_VIRTIO_BLK_T_FLUSH, 12345678);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.data_count, 0);
	blk_chain(1, 20, 1);
	hdr(VMM_VIRTIO_BLK_T_GET_ID, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.data_len, 20);
}

static void test_blk_layout(void)
{
	setup();
	hdr(VMM_VIRTIO_BLK_T_IN, 0);
	blk_chain(1, 512, 1);
	chain.n = 1;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_CHAIN);
	chain.n = CAP + 1U;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_CHAIN);
	blk_chain(1, 512, 1);
	bufs[1].off = LOW + HIGH - 511U; /* not in the host buffer */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_CHAIN);
	blk_chain(1, 512, 1);
	bufs[0].len = 15;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_HDR);
	bufs[0].len = 17;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_HDR);
	bufs[0].len = 16;
	bufs[0].write = 1;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_HDR);
	blk_chain(1, 512, 1);
	bufs[2].len = 2;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_STATUS);
	bufs[2].len = 1;
	bufs[2].write = 0;
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_STATUS);
	CHECK_EQ(vmm_virtio_blk_decode(NULL, bufs, CAP, &chain, 1, 0, &req),
		 VMM_VIRTIO_BLK_ERR_NULL);
	CHECK_EQ(vmm_virtio_blk_decode(&ram, bufs, CAP, &chain, 1, 0, NULL),
		 VMM_VIRTIO_BLK_ERR_NULL);
}

static void test_blk_request_errors(void)
{
	setup();
	blk_chain(1, 512, 1);
	hdr(3, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_TYPE);
	CHECK_EQ(req.status_off, STATUS);
	hdr(12, 0); /* between DISCARD and WRITE_ZEROES */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_TYPE);
	hdr(VMM_VIRTIO_BLK_T_OUT, 0); /* OUT with writable data */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DIRECTION);
	blk_chain(2, 512, 0);
	bufs[2].write = 1; /* mixed */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DIRECTION);
	hdr(VMM_VIRTIO_BLK_T_IN, 0);
	blk_chain(1, 512, 0); /* IN with readable data */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DIRECTION);
	hdr(VMM_VIRTIO_BLK_T_GET_ID, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DIRECTION);
	blk_chain(0, 0, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	hdr(VMM_VIRTIO_BLK_T_FLUSH, 0);
	blk_chain(1, 512, 1);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	hdr(VMM_VIRTIO_BLK_T_IN, 0);
	blk_chain(1, 511, 1);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	CHECK_EQ(req.status_off, STATUS);
	/* bounds: the last sector, one past, and sector + n wrapping */
	blk_chain(2, 512, 1);
	hdr(VMM_VIRTIO_BLK_T_IN, CAPACITY - 2U);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	hdr(VMM_VIRTIO_BLK_T_IN, CAPACITY - 1U);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_BEYOND);
	hdr(VMM_VIRTIO_BLK_T_IN, UINT64_MAX);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_BEYOND);
	/* read-only disk */
	blk_chain(1, 512, 0);
	hdr(VMM_VIRTIO_BLK_T_OUT, 0);
	memset(&req, 0, sizeof(req));
	CHECK_EQ(vmm_virtio_blk_decode(&ram, bufs, CAP, &chain, CAPACITY, 1, &req),
		 VMM_VIRTIO_BLK_ERR_READ_ONLY);
	CHECK_EQ(req.status_off, STATUS);
}

/* Data longer than 2^32 - 1 in total: 4097 buffers of 1 MiB (they may
 * overlap), then the same minus one buffer, which only the capacity
 * refuses. */
static void test_blk_data_len(void)
{
	static struct vmm_virtq_buf many[4200];
	struct vmm_virtq_chain c = { 0 };
	unsigned int i;

	setup();
	hdr(VMM_VIRTIO_BLK_T_IN, 0);
	many[0] = (struct vmm_virtq_buf){ HDR, 16, 0 };
	for (i = 1; i <= 4097; i++)
		many[i] = (struct vmm_virtq_buf){ 0, LOW, 1 };
	many[4098] = (struct vmm_virtq_buf){ STATUS, 1, 1 };
	c.n = 4099;
	CHECK_EQ(vmm_virtio_blk_decode(&ram, many, 4200, &c, UINT64_MAX, 0, &req),
		 VMM_VIRTIO_BLK_ERR_DATA_LEN);
	many[4097] = (struct vmm_virtq_buf){ STATUS, 1, 1 };
	c.n = 4098;
	/* 4096 MiB = 2^32: still too long for the 32-bit data_len */
	CHECK_EQ(vmm_virtio_blk_decode(&ram, many, 4200, &c, UINT64_MAX, 0, &req),
		 VMM_VIRTIO_BLK_ERR_DATA_LEN);
	many[4096] = (struct vmm_virtq_buf){ STATUS, 1, 1 };
	c.n = 4097;
	many[1].len = LOW - 512U; /* 4095 MiB - 512: fits */
	CHECK_EQ(vmm_virtio_blk_decode(&ram, many, 4200, &c, UINT64_MAX, 0, &req),
		 VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.data_len, 4095ULL * LOW - 512U);
	CHECK_EQ(vmm_virtio_blk_decode(&ram, many, 4200, &c, 1000, 0, &req),
		 VMM_VIRTIO_BLK_ERR_BEYOND);
}

/* DISCARD / WRITE_ZEROES: one readable buffer of whole 16-byte segments. */
static void test_blk_dwz_decode(void)
{
	setup();
	hdr(VMM_VIRTIO_BLK_T_DISCARD, UINT64_MAX); /* sector ignored */
	blk_chain(1, 32, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.type, VMM_VIRTIO_BLK_T_DISCARD);
	CHECK_EQ(req.data_first, 1);
	CHECK_EQ(req.data_count, 1);
	CHECK_EQ(req.data_len, 32);
	hdr(VMM_VIRTIO_BLK_T_WRITE_ZEROES, 0);
	blk_chain(1, 16, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(req.type, VMM_VIRTIO_BLK_T_WRITE_ZEROES);
	CHECK_EQ(req.data_len, 16);
	blk_chain(1, 16, 1); /* writable segments */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DIRECTION);
	CHECK_EQ(req.status_off, STATUS);
	blk_chain(1, 20, 0); /* not whole segments */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	blk_chain(1, 8, 0);
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	blk_chain(2, 16, 0); /* two buffers */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	blk_chain(0, 0, 0); /* none */
	CHECK_EQ(decode(), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	hdr(VMM_VIRTIO_BLK_T_DISCARD, 0);
	blk_chain(1, 16, 0);
	CHECK_EQ(vmm_virtio_blk_decode(&ram, bufs, CAP, &chain, CAPACITY, 1, &req),
		 VMM_VIRTIO_BLK_ERR_READ_ONLY);
	CHECK_EQ(req.status_off, STATUS);
}

static struct vmm_virtio_blk_seg seg;

static void put_seg(unsigned int i, uint64_t sector, uint32_t num,
		    uint32_t flags)
{
	put64(DATA + 4096U + 16U * i, sector);
	put32(DATA + 4096U + 16U * i + 8U, num);
	put32(DATA + 4096U + 16U * i + 12U, flags);
}

static enum vmm_virtio_blk_err seg_at(uint32_t type, uint32_t idx)
{
	memset(&seg, 0xA5, sizeof(seg));
	return vmm_virtio_blk_seg(&ram, &bufs[1], type, idx, CAPACITY, 8, 4,
				  &seg);
}

/* The segment reader: flags, limits, range, every refusal. */
static void test_blk_dwz_seg(void)
{
	const uint32_t D = VMM_VIRTIO_BLK_T_DISCARD;
	const uint32_t W = VMM_VIRTIO_BLK_T_WRITE_ZEROES;

	setup();
	blk_chain(1, 48, 0);
	put_seg(0, 3, 5, 0);
	put_seg(1, CAPACITY - 8U, 8, 1); /* the last 8 sectors, unmap */
	put_seg(2, 0, 0, 0);
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(seg.sector, 3);
	CHECK_EQ(seg.num, 5);
	CHECK_EQ(seg.unmap, 0);
	CHECK_EQ(seg_at(W, 1), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(seg.sector, CAPACITY - 8U);
	CHECK_EQ(seg.unmap, 1);
	CHECK_EQ(seg_at(D, 2), VMM_VIRTIO_BLK_OK);
	CHECK_EQ(seg.num, 0);
	/* unmap on DISCARD, reserved flags: UNSUPP (5.2.6.2) */
	CHECK_EQ(seg_at(D, 1), VMM_VIRTIO_BLK_ERR_FLAGS);
	CHECK_EQ(seg.sector, 0xA5A5A5A5A5A5A5A5ULL); /* *seg untouched */
	put_seg(0, 0, 1, 2);
	CHECK_EQ(seg_at(W, 0), VMM_VIRTIO_BLK_ERR_FLAGS);
	put_seg(0, 0, 1, 0x80000001U);
	CHECK_EQ(seg_at(W, 0), VMM_VIRTIO_BLK_ERR_FLAGS);
	/* too many sectors for one segment */
	put_seg(0, 0, 9, 0);
	CHECK_EQ(seg_at(W, 0), VMM_VIRTIO_BLK_ERR_SECTORS);
	/* past the end, and sector + num wrapping */
	put_seg(0, CAPACITY - 7U, 8, 0);
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_BEYOND);
	put_seg(0, CAPACITY, 0, 0);
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_OK);
	put_seg(0, CAPACITY + 1U, 0, 0);
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_BEYOND);
	put_seg(0, UINT64_MAX - 2U, 8, 0);
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_BEYOND);
	/* idx past the buffer, more segments than max_seg, partial segment */
	CHECK_EQ(seg_at(D, 3), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	bufs[1].len = 80;
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	bufs[1].len = 40;
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_DATA_LEN);
	/* not a segment type; a writable or misplaced buffer */
	bufs[1].len = 16;
	CHECK_EQ(seg_at(VMM_VIRTIO_BLK_T_OUT, 0), VMM_VIRTIO_BLK_ERR_TYPE);
	bufs[1].write = 1;
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_CHAIN);
	bufs[1] = (struct vmm_virtq_buf){ ram.size - 8U, 16, 0 };
	CHECK_EQ(seg_at(D, 0), VMM_VIRTIO_BLK_ERR_CHAIN);
	CHECK_EQ(vmm_virtio_blk_seg(NULL, &bufs[1], D, 0, 1, 1, 1, &seg),
		 VMM_VIRTIO_BLK_ERR_NULL);
	CHECK_EQ(vmm_virtio_blk_seg(&ram, &bufs[1], D, 0, 1, 1, 1, NULL),
		 VMM_VIRTIO_BLK_ERR_NULL);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_ram_range),
	TAP_CASE(test_ram_layout),
	TAP_CASE(test_enable),
	TAP_CASE(test_not_ready),
	TAP_CASE(test_chain_round_trip),
	TAP_CASE(test_index_wrap),
	TAP_CASE(test_avail_idx_and_overrun),
	TAP_CASE(test_bad_indices),
	TAP_CASE(test_loop),
	TAP_CASE(test_buffers),
	TAP_CASE(test_total_len),
	TAP_CASE(test_indirect),
	TAP_CASE(test_blk_ok),
	TAP_CASE(test_blk_layout),
	TAP_CASE(test_blk_request_errors),
	TAP_CASE(test_blk_data_len),
	TAP_CASE(test_blk_dwz_decode),
	TAP_CASE(test_blk_dwz_seg),
};

int main(void)
{
	int rc = tap_run("virtq", cases, TAP_COUNT(cases));

	free(ram.host);
	return rc;
}
