// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest of tests/virtqueue_hostile.c: a driver of vmmd's virtio-blk
 * (virtio 1.2, 4.1 and 5.2) that breaks the rules on purpose, one case
 * at a time, each on a freshly reset device. Every case names the answer
 * docs/virtio.md documents for it:
 *   reset     the device sets DEVICE_NEEDS_RESET (0x40) and writes
 *             nothing: the used ring (filled with POISON), the status
 *             byte and the data buffers stay as they were;
 *   IOERR / UNSUPP  the request completes (used->idx 1, id = head, len
 *             1) with that status byte and no data written;
 *   refused   FEATURES_OK does not stick (3.1.1 step 6);
 *   ignored   the device does not touch the queue.
 * After each case the device is reset and must serve a good read of
 * sector 0 again (the disk's magic): the device recovered and vmmd is
 * alive. What a single vCPU cannot do (rewrite a chain between two of
 * the device's reads of it) is done by the device itself: a request's
 * read data lands on the descriptors of the next chain, or on its own.
 */
#include "vguest.h"
#include "virtqueue_hostile.h"

#define RAM_END		((u64)VQH_MEM_MIB << 20)
#define QSIZE		16
#define QSIZE_MAX	256	/* vmmd's VIRTIO_BLK_QUEUE_MAX */
#define SEG_MAX		126	/* offered seg_max */
#define SIZE_MAX	(1U << 20)	/* offered size_max */

/* Guest-physical layout of the rings and buffers (identity-mapped). */
#define DESC		0x800000ULL
#define AVAIL		0x801000ULL
#define USED		0x802000ULL
#define INDIR		0x803000ULL
#define INDIR2		0x804000ULL
#define HDR		0x805000ULL
#define STATUS		0x805800ULL
#define STATUS2		0x805801ULL
#define DATA		0x806000ULL
#define DATA_LEN	0x10000ULL	/* poisoned: room for SEG_MAX + 1 x 512 */
#define BIG		0x900000ULL	/* 1 MiB + 512 */
#define POISON		0xa5

#define F_SIZE_MAX	(1ULL << 1)
#define F_SEG_MAX	(1ULL << 2)
#define F_FLUSH		(1ULL << 9)
#define F_DISCARD	(1ULL << 13)
#define F_WRITE_ZEROES	(1ULL << 14)
#define F_INDIRECT	(1ULL << 28)
#define F_EVENT_IDX	(1ULL << 29)
#define F_VERSION_1	(1ULL << 32)
#define F_STD		(F_VERSION_1 | F_INDIRECT | F_FLUSH | F_SEG_MAX | F_SIZE_MAX)

#define D_NEXT		1
#define D_WRITE		2
#define D_INDIRECT	4

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8
#define T_DISCARD	11
#define T_WRITE_ZEROES	13
#define S_OK		0
#define S_IOERR		1
#define S_UNSUPP	2

#define barrier()	__asm__ volatile("" ::: "memory")

static struct vpci dev;
static u16 avail_idx;

/* Descriptor @i of the table at @table (16 bytes: addr, len, flags, next). */
static void desc(u64 table, unsigned int i, u64 addr, u32 len, u16 flags,
		 u16 next)
{
	u64 d = table + 16ULL * i;

	WR(64, d, addr);
	WR(32, d + 8, len);
	WR(16, d + 12, flags);
	WR(16, d + 14, next);
}

static void hdr(u32 type, u64 sector)
{
	WR(32, HDR, type);
	WR(32, HDR + 4, 0);
	WR(64, HDR + 8, sector);
}

/* The usual request in descriptors 0-2: header, one data buffer, status. */
static void req3(u32 type, u64 sector, u64 data, u32 len, u16 dflags)
{
	hdr(type, sector);
	desc(DESC, 0, HDR, 16, D_NEXT, 1);
	desc(DESC, 1, data, len, D_NEXT | dflags, 2);
	desc(DESC, 2, STATUS, 1, D_WRITE, 0);
}

/* Heads made available with one index write, then one notification. */
static void submit_n(const u16 *heads, unsigned int n, u16 idx_ahead)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		WR(16, AVAIL + 4 + 2 * ((avail_idx + i) % QSIZE), heads[i]);
	avail_idx += idx_ahead ? idx_ahead : n;
	barrier();
	WR(16, AVAIL + 2, avail_idx);
	barrier();
	vpci_notify(&dev, 0);
}

static void submit(u16 head)
{
	submit_n(&head, 1, 0);
}

static void set_status(u8 s)
{
	barrier();
	vpci_set_status(&dev, s);
}

/* Reset, and the rings and buffers back to known contents. */
static const char *reset_dev(void)
{
	set_status(0);
	if (vpci_status(&dev) != 0)
		return "the status is not 0 after a reset";
	memset((void *)DESC, 0, 0x1000);
	memset((void *)AVAIL, 0, 0x1000);
	memset((void *)USED, POISON, 0x1000);
	memset((void *)HDR, 0, 0x1000);
	WR(8, STATUS, POISON);
	WR(8, STATUS2, POISON);
	memset((void *)DATA, POISON, DATA_LEN);
	avail_idx = 0;
	return 0;
}

/* Reset, ACKNOWLEDGE, DRIVER, @features; FEATURES_OK checked. */
static const char *negotiate(u64 features)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_DRIVER);
	vpci_set_driver_features(&dev, features);
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK);
	if (vpci_status(&dev) != (VS_ACK | VS_DRIVER | VS_FEATURES_OK))
		return "FEATURES_OK refused for features the device offered";
	return 0;
}

/* A working device: negotiated, queue 0 enabled, DRIVER_OK. */
static const char *bring_up(u64 features)
{
	const char *why = negotiate(features);

	if (why)
		return why;
	vpci_queue(&dev, QSIZE, DESC, AVAIL, USED, 1);
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	if (vpci_status(&dev) != (VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK))
		return "the device did not take DRIVER_OK";
	return 0;
}

/* [at, at + n) all bytes @v; at and n multiples of 8. */
static int all(u64 at, u8 v, unsigned long n)
{
	u64 w = 0x0101010101010101ULL * v;

	for (; n; n -= 8, at += 8)
		if (RD(64, at) != w)
			return 0;
	return 1;
}

/* Answer "reset": NEEDS_RESET and nothing written. */
static const char *want_reset(void)
{
	if (!(vpci_status(&dev) & VS_NEEDS_RESET))
		return "no DEVICE_NEEDS_RESET";
	if (!all(USED, POISON, 0x1000))
		return "the device wrote the used ring";
	if (RD(8, STATUS) != POISON || RD(8, STATUS2) != POISON)
		return "the device wrote a status byte";
	if (!all(DATA, POISON, DATA_LEN))
		return "the device wrote a data buffer";
	return 0;
}

/*
 * Answer "reset, returned": a chain the queue layer accepted but with no
 * status byte to answer in: NEEDS_RESET, the chain given back with used
 * length 0, nothing else written (virtio_pci.h, virtio_chain_fn).
 */
static const char *want_reset_returned(void)
{
	if (!(vpci_status(&dev) & VS_NEEDS_RESET))
		return "no DEVICE_NEEDS_RESET";
	if (RD(16, USED + 2) != 1 || RD(32, USED + 4) != 0 || RD(32, USED + 8) != 0)
		return "the chain was not given back with length 0";
	if (!all(USED + 16, POISON, 0x1000 - 16))
		return "the device wrote more of the used ring";
	if (RD(8, STATUS) != POISON || !all(DATA, POISON, DATA_LEN))
		return "the device wrote the status byte or data";
	return 0;
}

/* Answer "ignored": no NEEDS_RESET, nothing written. */
static const char *want_ignored(void)
{
	if (vpci_status(&dev) & VS_NEEDS_RESET)
		return "DEVICE_NEEDS_RESET";
	if (!all(USED, POISON, 0x1000) || RD(8, STATUS) != POISON)
		return "the device used the queue";
	return 0;
}

/* Answer "status @st": chain @head completed as the @n-th used entry. */
static const char *want_status_n(u8 st, u16 head, u16 n, u32 len)
{
	u64 e = USED + 4 + 8ULL * ((n - 1) % QSIZE);

	if (vpci_status(&dev) & VS_NEEDS_RESET)
		return "DEVICE_NEEDS_RESET, not a request status";
	if (RD(16, USED + 2) != n)
		return "used->idx is not the chains served";
	if (RD(32, e) != head || RD(32, e + 4) != len)
		return "wrong used element (id or len)";
	if (RD(8, STATUS) != st)
		return "wrong status byte";
	return 0;
}

/* A failed request: its status and no data written (used len 1). */
static const char *want_error(u8 st)
{
	const char *why = want_status_n(st, 0, 1, 1);

	if (!why && !all(DATA, POISON, DATA_LEN))
		why = "the device wrote data for a failed request";
	return why;
}

#define UP(f)	do { const char *w_ = bring_up(f); if (w_) return w_; } while (0)
#define NEG(f)	do { const char *w_ = negotiate(f); if (w_) return w_; } while (0)

/* --- malformed rings and chains: reset -------------------------------- */

static const char *desc_loop(void)
{
	UP(F_STD);
	hdr(T_IN, 0);
	desc(DESC, 0, HDR, 16, D_NEXT, 1);
	desc(DESC, 1, DATA, 512, D_NEXT, 0);	/* back to 0 */
	submit(0);
	return want_reset();
}

static const char *desc_self_loop(void)
{
	UP(F_STD);
	hdr(T_IN, 0);
	desc(DESC, 0, HDR, 16, D_NEXT, 0);
	submit(0);
	return want_reset();
}

static const char *next_out_of_table(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	desc(DESC, 1, DATA, 512, D_NEXT | D_WRITE, QSIZE + 3);
	submit(0);
	return want_reset();
}

static const char *header_outside_ram(void)
{
	UP(F_STD);
	req3(T_OUT, 0, DATA, 512, 0);
	desc(DESC, 0, RAM_END - 8, 16, D_NEXT, 1);
	submit(0);
	return want_reset();
}

static const char *readable_after_writable(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	desc(DESC, 2, STATUS, 1, D_NEXT | D_WRITE, 3);
	desc(DESC, 3, DATA + 0x1000, 16, 0, 0);
	submit(0);
	return want_reset();
}

static const char *avail_idx_ahead(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	submit_n((const u16[]){ 0 }, 1, QSIZE + 1);
	return want_reset();
}

static const char *avail_idx_far(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	submit_n((const u16[]){ 0 }, 1, 0x8000);
	return want_reset();
}

static const char *avail_head_out_of_table(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	submit(QSIZE + 5);
	return want_reset();
}

/* An indirect descriptor at 0 for a table of @n entries at @table. */
static void indirect_at(u64 table, u32 len)
{
	desc(DESC, 0, table, len, D_INDIRECT, 0);
}

/* The usual request as an indirect table at INDIR. */
static void indirect_req3(u32 type, u64 sector)
{
	hdr(type, sector);
	desc(INDIR, 0, HDR, 16, D_NEXT, 1);
	desc(INDIR, 1, DATA, 512, D_NEXT | D_WRITE, 2);
	desc(INDIR, 2, STATUS, 1, D_WRITE, 0);
}

static const char *indirect_ok(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	indirect_at(INDIR, 48);
	submit(0);
	if (want_status_n(S_OK, 0, 1, 513))
		return want_status_n(S_OK, 0, 1, 513);
	return memcmp((void *)DATA, VQH_DISK_MAGIC, sizeof(VQH_DISK_MAGIC) - 1) ?
	       "wrong data read" : 0;
}

static const char *indirect_outside_ram(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	indirect_at(RAM_END - 32, 64);
	submit(0);
	return want_reset();
}

static const char *indirect_len_not_entries(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	indirect_at(INDIR, 40);
	submit(0);
	return want_reset();
}

static const char *indirect_nested(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	desc(INDIR, 1, INDIR2, 32, D_INDIRECT, 0);
	desc(INDIR2, 0, DATA, 512, D_NEXT | D_WRITE, 1);
	desc(INDIR2, 1, STATUS, 1, D_WRITE, 0);
	desc(INDIR, 0, HDR, 16, D_NEXT, 1);
	indirect_at(INDIR, 32);
	submit(0);
	return want_reset();
}

static const char *indirect_next_out_of_table(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	desc(INDIR, 1, DATA, 512, D_NEXT | D_WRITE, 7);
	indirect_at(INDIR, 48);
	submit(0);
	return want_reset();
}

static const char *indirect_loop(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	desc(INDIR, 1, DATA, 512, D_NEXT | D_WRITE, 1);	/* 1 -> 1 */
	indirect_at(INDIR, 48);
	submit(0);
	return want_reset();
}

static const char *indirect_with_next(void)
{
	UP(F_STD);
	indirect_req3(T_IN, 0);
	desc(DESC, 0, INDIR, 48, D_INDIRECT | D_NEXT, 1);
	desc(DESC, 1, STATUS2, 1, D_WRITE, 0);
	submit(0);
	return want_reset();
}

static const char *indirect_not_negotiated(void)
{
	UP(F_STD & ~F_INDIRECT);
	indirect_req3(T_IN, 0);
	indirect_at(INDIR, 48);
	submit(0);
	return want_reset();
}

/* The disk's sector VQH_SECTOR_IMAGE: descriptors pointing outside RAM. */
static void hostile_image(u64 at)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		WR(64, at + 16 * i, 0xffffffffff000000ULL);
		WR(32, at + 16 * i + 8, 16);
		WR(32, at + 16 * i + 12, 0);
	}
}

/*
 * Chain 0 reads the hostile image onto descriptors 8-15, where chain 8,
 * made available after it with the same notification, is a good read:
 * the device must see chain 8 as it is when it gets to it (a double
 * fetch could take a checked copy and a rewritten one apart) and answer
 * the rewritten, broken chain with a reset, after completing chain 0.
 */
static const char *chain_rewritten_by_device(void)
{
	const u16 heads[2] = { 0, 8 };

	UP(F_STD);
	req3(T_IN, VQH_SECTOR_IMAGE, DESC + 8 * 16, 512, D_WRITE);
	desc(DESC, 8, HDR + 0x100, 16, D_NEXT, 9);
	desc(DESC, 9, DATA, 512, D_NEXT | D_WRITE, 10);
	desc(DESC, 10, STATUS2, 1, D_WRITE, 0);
	WR(32, HDR + 0x100, T_IN);
	submit_n(heads, 2, 0);
	if (!(vpci_status(&dev) & VS_NEEDS_RESET))
		return "the rewritten chain was served (no DEVICE_NEEDS_RESET)";
	if (RD(16, USED + 2) != 1 || RD(32, USED + 4) != 0 || RD(8, STATUS) != S_OK)
		return "the first chain was not completed before the reset";
	if (RD(8, STATUS2) != POISON || !all(DATA, POISON, DATA_LEN))
		return "the rewritten chain's buffers were written";
	return 0;
}

/* A read whose data lands on its own descriptors: the device's copy wins. */
static const char *chain_overwrites_itself(void)
{
	const char *why;

	UP(F_STD);
	req3(T_IN, VQH_SECTOR_IMAGE, DESC, 512, D_WRITE);
	submit(0);
	why = want_status_n(S_OK, 0, 1, 513);
	if (!why && RD(64, DESC) != 0xffffffffff000000ULL)
		why = "the descriptors were not overwritten by the data";
	return why;
}

/* --- failed requests: IOERR or UNSUPP, the device goes on ------------- */

static const char *get_id_without_data(void)
{
	UP(F_STD);
	hdr(T_GET_ID, 0);
	desc(DESC, 0, HDR, 16, D_NEXT, 1);
	desc(DESC, 1, STATUS, 1, D_WRITE, 0);
	submit(0);
	return want_error(S_IOERR);
}

/* A read of sector 0 in @segs buffers of 512 bytes (indirect). */
static const char *segments(unsigned int segs, u8 want)
{
	unsigned int i;

	UP(F_STD);
	hdr(T_IN, 0);
	desc(INDIR, 0, HDR, 16, D_NEXT, 1);
	for (i = 0; i < segs; i++)
		desc(INDIR, 1 + i, DATA + 512ULL * i, 512, D_NEXT | D_WRITE, 2 + i);
	desc(INDIR, 1 + segs, STATUS, 1, D_WRITE, 0);
	indirect_at(INDIR, 16 * (segs + 2));
	submit(0);
	if (want == S_OK)
		return want_status_n(S_OK, 0, 1, 512 * segs + 1);
	return want_error(want);
}

static const char *seg_max_ok(void)
{
	return segments(SEG_MAX, S_OK);
}

static const char *seg_max_exceeded(void)
{
	return segments(SEG_MAX + 1, S_IOERR);
}

static const char *size_max_ok(void)
{
	UP(F_STD);
	req3(T_IN, 0, BIG, SIZE_MAX, D_WRITE);
	submit(0);
	return want_status_n(S_OK, 0, 1, SIZE_MAX + 1);
}

static const char *size_max_exceeded(void)
{
	UP(F_STD);
	memset((void *)BIG, POISON, SIZE_MAX + 512);
	req3(T_IN, 0, BIG, SIZE_MAX + 512, D_WRITE);
	submit(0);
	if (want_error(S_IOERR))
		return want_error(S_IOERR);
	return all(BIG, POISON, SIZE_MAX + 512) ? 0 : "data written";
}

/* Layout errors: no status byte to answer in, so reset. */
static const char *header_short(void)
{
	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	desc(DESC, 0, HDR, 8, D_NEXT, 1);
	submit(0);
	return want_reset_returned();
}

static const char *no_status_byte(void)
{
	UP(F_STD);
	hdr(T_IN, 0);
	desc(DESC, 0, HDR, 16, D_NEXT, 1);
	desc(DESC, 1, DATA, 512, D_WRITE, 0);
	submit(0);
	return want_reset_returned();
}

static const char *status_byte_readable(void)
{
	UP(F_STD);
	hdr(T_OUT, VQH_SECTOR_REFUSED);
	desc(DESC, 0, HDR, 16, D_NEXT, 1);
	desc(DESC, 1, DATA, 512, D_NEXT, 2);
	desc(DESC, 2, STATUS, 1, 0, 0);
	submit(0);
	return want_reset_returned();
}

/* --- feature negotiation and the status machine ----------------------- */

static const char *queue_before_features_ok(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_DRIVER);
	vpci_set_driver_features(&dev, F_STD);
	vpci_queue(&dev, QSIZE, DESC, AVAIL, USED, 1);
	return want_reset();
}

static const char *features_not_offered(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_DRIVER);
	vpci_set_driver_features(&dev, F_STD | F_EVENT_IDX);
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK);
	if (vpci_status(&dev) != (VS_ACK | VS_DRIVER))
		return "FEATURES_OK stuck with a feature not offered";
	/* Going on regardless: DRIVER_OK without FEATURES_OK. */
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	return want_reset();
}

static const char *features_without_version_1(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_DRIVER);
	vpci_set_driver_features(&dev, F_STD & ~F_VERSION_1);
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK);
	return vpci_status(&dev) == (VS_ACK | VS_DRIVER) ? 0 :
	       "FEATURES_OK stuck without VERSION_1";
}

static const char *features_after_features_ok(void)
{
	NEG(F_STD & ~F_INDIRECT);
	vpci_set_driver_features(&dev, F_STD);
	if (vpci_driver_features(&dev) != (F_STD & ~F_INDIRECT))
		return "driver features changed after FEATURES_OK";
	vpci_queue(&dev, QSIZE, DESC, AVAIL, USED, 1);
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	indirect_req3(T_IN, 0);
	indirect_at(INDIR, 48);
	submit(0);
	return want_reset();
}

static const char *notify_before_driver_ok(void)
{
	const char *why;

	NEG(F_STD);
	vpci_queue(&dev, QSIZE, DESC, AVAIL, USED, 1);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	submit(0);
	why = want_ignored();
	if (why)
		return why;
	/* Then DRIVER_OK: the buffer made available earlier is served. */
	set_status(VS_ACK | VS_DRIVER | VS_FEATURES_OK | VS_DRIVER_OK);
	return want_status_n(S_OK, 0, 1, 513);
}

static const char *driver_ok_without_features_ok(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_DRIVER);
	set_status(VS_ACK | VS_DRIVER | VS_DRIVER_OK);
	return want_reset();
}

static const char *status_bit_cleared(void)
{
	NEG(F_STD);
	set_status(VS_ACK | VS_DRIVER);
	return want_reset();
}

static const char *status_out_of_order(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK);
	set_status(VS_ACK | VS_FEATURES_OK);
	return want_reset();
}

static const char *status_unknown_bit(void)
{
	const char *why = reset_dev();

	if (why)
		return why;
	set_status(VS_ACK | 0x20);
	why = want_reset();
	if (!why && (vpci_status(&dev) & 0x20))
		why = "the unknown bit stuck";
	return why;
}

static const char *queue_enable_zero(void)
{
	NEG(F_STD);
	vpci_queue(&dev, QSIZE, DESC, AVAIL, USED, 0);
	return want_reset();
}

static const char *queue_size_not_power_of_2(void)
{
	NEG(F_STD);
	vpci_queue(&dev, 12, DESC, AVAIL, USED, 1);
	return want_reset();
}

static const char *queue_size_above_max(void)
{
	NEG(F_STD);
	vpci_queue(&dev, 2 * QSIZE_MAX, DESC, AVAIL, USED, 1);
	return want_reset();
}

static const char *ring_outside_ram(void)
{
	NEG(F_STD);
	vpci_queue(&dev, QSIZE, RAM_END - 64, AVAIL, USED, 1);
	return want_reset();
}

static const char *ring_misaligned(void)
{
	NEG(F_STD);
	vpci_queue(&dev, QSIZE, DESC + 8, AVAIL, USED, 1);
	return want_reset();
}

/* Once NEEDS_RESET is set, a good chain and its notification do nothing. */
static const char *ignored_after_needs_reset(void)
{
	const char *why = desc_loop();

	if (why)
		return why;
	req3(T_IN, 0, DATA, 512, D_WRITE);
	vpci_notify(&dev, 0);
	return want_reset();
}

/* --- DISCARD and WRITE_ZEROES, negotiated ------------------------------ */

/*
 * One request of @len bytes of segments at DATA, with DISCARD and
 * WRITE_ZEROES negotiated (offered when the image's file system punches
 * holes: the rig's /tmp does); segment 0 is (@sector, @num, @flags),
 * segment 1 covers sector 0, which holds the magic that the host checks
 * (a refused request must not have reached the image).  Answer @st, and
 * nothing written outside the status byte.
 */
static const char *dwz_req(u32 type, u64 sector, u32 num, u32 flags,
			   u32 len, u8 st)
{
	const char *why;

	UP(F_STD | F_DISCARD | F_WRITE_ZEROES);
	WR(64, DATA, sector);
	WR(32, DATA + 8, num);
	WR(32, DATA + 12, flags);
	WR(64, DATA + 16, 0);
	WR(32, DATA + 24, 1);
	WR(32, DATA + 28, 0);
	req3(type, 0, DATA, len, 0);
	submit(0);
	why = want_status_n(st, 0, 1, 1);
	if (!why && !all(DATA + 32, POISON, DATA_LEN - 32))
		why = "the device wrote into the data buffer";
	return why;
}

/* Eight sectors that are zero already: OK, the image keeps its magic. */
static const char *discard_ok(void)
{
	return dwz_req(T_DISCARD, VQH_SECTOR_DISCARD, 8, 0, 16, S_OK);
}

/* 5.2.6.2: unmap on DISCARD and reserved flags are UNSUPP. */
static const char *discard_unmap_flag(void)
{
	return dwz_req(T_DISCARD, VQH_SECTOR_DISCARD, 1, 1, 32, S_UNSUPP);
}

static const char *write_zeroes_reserved_flag(void)
{
	return dwz_req(T_WRITE_ZEROES, VQH_SECTOR_DISCARD, 1, 2, 32, S_UNSUPP);
}

static const char *discard_beyond_capacity(void)
{
	return dwz_req(T_DISCARD, VQH_DISK_SECTORS - 1, 2, 0, 32, S_IOERR);
}

static const char *write_zeroes_sector_overflow(void)
{
	return dwz_req(T_WRITE_ZEROES, ~0ULL, 2, 0, 32, S_IOERR);
}

/* 20 bytes: not whole segments. */
static const char *discard_partial_segment(void)
{
	return dwz_req(T_DISCARD, 0, 1, 0, 20, S_IOERR);
}

/* Segment 0 bad, segment 1 (sector 0) good: nothing done. */
static const char *discard_second_segment_bad(void)
{
	UP(F_STD | F_DISCARD | F_WRITE_ZEROES);
	WR(64, DATA, 0);
	WR(32, DATA + 8, 1);
	WR(32, DATA + 12, 0);
	WR(64, DATA + 16, VQH_DISK_SECTORS);
	WR(32, DATA + 24, 1);
	WR(32, DATA + 28, 0);
	req3(T_DISCARD, 0, DATA, 32, 0);
	submit(0);
	return want_status_n(S_IOERR, 0, 1, 1);
}

/* A case that is one usual request (req3) and the answer it gets. */
struct vqh_req {
	u32 type;
	u64 sector;
	u64 data;
	u32 len;
	u16 dflags;
	u8 answer;		/* A_RESET, or the status byte wanted */
};

#define A_RESET		0xff
#define CAP		VQH_DISK_SECTORS

static const char *run_req(const struct vqh_req *r)
{
	UP(F_STD);
	req3(r->type, r->sector, r->data, r->len, r->dflags);
	submit(0);
	return r->answer == A_RESET ? want_reset() : want_error(r->answer);
}

/* Either a function (run), or one request (req). */
struct vqh_case {
	const char *name;
	const char *(*run)(void);
	struct vqh_req req;
};

#define REQ(n, type, sector, data, len, dflags, answer) \
	{ .name = n, .req = { type, sector, data, len, dflags, answer } }
#define FN(n, f)	{ .name = n, .run = f }

static const struct vqh_case cases[] = {
	/* Buffers outside RAM (the first: the last 256 bytes of RAM and
	 * 256 of vmmd's guard page; the LAPIC; no RAM above 4 GiB). */
	REQ("addr-past-ram-end", T_IN, 0, RAM_END - 256, 512, D_WRITE, A_RESET),
	REQ("addr-in-mmio-hole", T_IN, 0, 0xfee00000ULL, 512, D_WRITE, A_RESET),
	REQ("addr-above-4g", T_IN, 0, 0x100001000ULL, 512, D_WRITE, A_RESET),
	REQ("addr-len-wraps", T_IN, 0, 0xfffffffffffffe00ULL, 0x400, D_WRITE, A_RESET),
	REQ("huge-len", T_IN, 0, DATA, 0xfffffe00U, D_WRITE, A_RESET),
	REQ("zero-length-buffer", T_IN, 0, DATA, 0, D_WRITE, A_RESET),
	/* Failed requests: IOERR or UNSUPP, the device goes on. */
	REQ("sector-beyond-capacity", T_IN, CAP, DATA, 512, D_WRITE, S_IOERR),
	REQ("range-straddles-end", T_IN, CAP - 1, DATA, 1024, D_WRITE, S_IOERR),
	REQ("sector-overflow", T_IN, ~0ULL, DATA, 1024, D_WRITE, S_IOERR),
	REQ("out-beyond-capacity", T_OUT, CAP, DATA, 512, 0, S_IOERR),
	REQ("data-not-sector-multiple", T_IN, 0, DATA, 100, D_WRITE, S_IOERR),
	REQ("out-data-writable", T_OUT, VQH_SECTOR_REFUSED, DATA, 512, D_WRITE, S_IOERR),
	REQ("in-data-readable", T_IN, 0, DATA, 512, 0, S_IOERR),
	REQ("flush-with-data", T_FLUSH, 0, DATA, 512, D_WRITE, S_IOERR),
	REQ("unknown-type", 99, 0, DATA, 512, D_WRITE, S_UNSUPP),
	REQ("discard-not-negotiated", T_DISCARD, 0, DATA, 16, 0, S_UNSUPP),
	REQ("write-zeroes-not-negotiated", T_WRITE_ZEROES, 0, DATA, 16, 0, S_UNSUPP),
	FN("discard-ok", discard_ok),
	FN("discard-unmap-flag", discard_unmap_flag),
	FN("write-zeroes-reserved-flag", write_zeroes_reserved_flag),
	FN("discard-beyond-capacity", discard_beyond_capacity),
	FN("write-zeroes-sector-overflow", write_zeroes_sector_overflow),
	FN("discard-partial-segment", discard_partial_segment),
	FN("discard-second-segment-bad", discard_second_segment_bad),
	FN("desc-loop", desc_loop),
	FN("desc-self-loop", desc_self_loop),
	FN("next-out-of-table", next_out_of_table),
	FN("header-outside-ram", header_outside_ram),
	FN("readable-after-writable", readable_after_writable),
	FN("avail-idx-ahead", avail_idx_ahead),
	FN("avail-idx-far", avail_idx_far),
	FN("avail-head-out-of-table", avail_head_out_of_table),
	FN("indirect-ok", indirect_ok),
	FN("indirect-outside-ram", indirect_outside_ram),
	FN("indirect-len-not-entries", indirect_len_not_entries),
	FN("indirect-nested", indirect_nested),
	FN("indirect-next-out-of-table", indirect_next_out_of_table),
	FN("indirect-loop", indirect_loop),
	FN("indirect-with-next", indirect_with_next),
	FN("indirect-not-negotiated", indirect_not_negotiated),
	FN("chain-rewritten-by-device", chain_rewritten_by_device),
	FN("chain-overwrites-itself", chain_overwrites_itself),
	FN("get-id-without-data", get_id_without_data),
	FN("seg-max-ok", seg_max_ok),
	FN("seg-max-exceeded", seg_max_exceeded),
	FN("size-max-ok", size_max_ok),
	FN("size-max-exceeded", size_max_exceeded),
	FN("header-short", header_short),
	FN("no-status-byte", no_status_byte),
	FN("status-byte-readable", status_byte_readable),
	FN("queue-before-features-ok", queue_before_features_ok),
	FN("features-not-offered", features_not_offered),
	FN("features-without-version-1", features_without_version_1),
	FN("features-after-features-ok", features_after_features_ok),
	FN("notify-before-driver-ok", notify_before_driver_ok),
	FN("driver-ok-without-features-ok", driver_ok_without_features_ok),
	FN("status-bit-cleared", status_bit_cleared),
	FN("status-out-of-order", status_out_of_order),
	FN("status-unknown-bit", status_unknown_bit),
	FN("queue-enable-zero", queue_enable_zero),
	FN("queue-size-not-power-of-2", queue_size_not_power_of_2),
	FN("queue-size-above-max", queue_size_above_max),
	FN("ring-outside-ram", ring_outside_ram),
	FN("ring-misaligned", ring_misaligned),
	FN("ignored-after-needs-reset", ignored_after_needs_reset),
};

/* A good read of sector 0 on a fresh device: it recovered. */
static const char *healthy(void)
{
	const char *why;

	UP(F_STD);
	req3(T_IN, 0, DATA, 512, D_WRITE);
	submit(0);
	why = want_status_n(S_OK, 0, 1, 513);
	if (!why && memcmp((void *)DATA, VQH_DISK_MAGIC, sizeof(VQH_DISK_MAGIC) - 1))
		why = "sector 0 does not hold the disk's magic";
	return why;
}

/* The hostile descriptor image on the disk, with a good write. */
static const char *prepare(void)
{
	u64 capacity = RD(32, dev.device) | (u64)RD(32, dev.device + 4) << 32;
	const char *why;

	if (capacity != VQH_DISK_SECTORS)
		return "the disk's capacity is not the image's";
	UP(F_STD);
	hostile_image(DATA);
	req3(T_OUT, VQH_SECTOR_IMAGE, DATA, 512, 0);
	submit(0);
	why = want_status_n(S_OK, 0, 1, 1);
	if (!why) {
		req3(T_FLUSH, 0, DATA, 512, 0);
		desc(DESC, 0, HDR, 16, D_NEXT, 2);
		submit(0);
		why = want_status_n(S_OK, 0, 2, 1);
	}
	return why;
}

static void report(const char *name, const char *why, const char *what)
{
	con_puts(VQH_PREFIX);
	con_puts(why ? "not ok " : "ok ");
	con_puts(name);
	if (why) {
		con_puts(": ");
		con_puts(what);
		con_puts(why);
		con_puts(" (status ");
		con_putx(vpci_status(&dev));
		con_puts(")");
	}
	con_puts("\n");
}

int main(void)
{
	unsigned int i;
	const char *why;

	if (vpci_find(0x1042, &dev) || !dev.device) {
		report("find-virtio-blk", "no virtio-blk function with its capabilities", "");
		return 1;
	}
	why = prepare();
	report("prepare", why, "");
	for (i = 0; !why && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *rec;

		why = cases[i].run ? cases[i].run() : run_req(&cases[i].req);
		rec = healthy();
		report(cases[i].name, why ? why : rec,
		       why ? "" : "device did not recover: ");
		why = 0;
	}
	set_status(0);
	con_puts(VQH_PREFIX "done ");
	con_putu(i);
	con_puts("\n");
	return 0;
}
