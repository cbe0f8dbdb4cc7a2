// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI bus 0 and the virtio devices, driven as a guest drives them: config
 * space through CF8/CFC and ECAM, BAR sizing, the virtio-pci status
 * machine and feature negotiation, queues set up and checked, virtio-blk
 * requests against a real file (read, write, flush, get-id, read-only,
 * limits), virtio-rng, virtio-net over a socketpair standing in for the
 * tap (header handling, receive without buffers), MSI-X delivery and
 * masking. The hostile cases: a
 * driver that breaks the protocol gets DEVICE_NEEDS_RESET or a failed
 * request, and nothing outside guest RAM is touched (ASan watches).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bus.h"
#include "devmgr.h"
#include "pci.h"
#include "tap.h"
#include "tapdev.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "virtio_pci.h"
#include "virtio_rng.h"
#include "vm.h"

#define RAM		(16ULL << 20)
#define DESC		0x10000ULL
#define AVAIL		0x11000ULL
#define USED		0x12000ULL
#define BUF		0x20000ULL
#define QSIZE		16
#define MSI_ADDR	0xfee00000U

static struct guest_mem mem;
static unsigned int msi_count;
static uint32_t msi_last_data;

/* The stand-in for KVM_SIGNAL_MSI. */
void vm_signal_msi(uint32_t addr, uint32_t data)
{
	if (addr == MSI_ADDR) {
		msi_count++;
		msi_last_data = data;
	}
}

/* No VM here: no GSI routes or irqfds, every message is KVM_SIGNAL_MSI's. */
int vm_route_msi(unsigned int gsi, uint32_t addr, uint32_t data)
{
	(void)gsi;
	(void)addr;
	(void)data;
	return -1;
}

int vm_irqfd(int efd, unsigned int gsi)
{
	(void)efd;
	(void)gsi;
	return -1;
}

static uint8_t *gp(uint64_t gpa)
{
	return guest_mem_ptr(&mem, gpa, 1);
}

static uint32_t ecam_rd(unsigned int slot, unsigned int reg, unsigned int size)
{
	uint8_t b[4] = { 0 };

	pci_ecam_access((slot << 15) | reg, b, size, 0);
	return bus_get(b, size);
}

static void ecam_wr(unsigned int slot, unsigned int reg, unsigned int size,
		    uint32_t v)
{
	uint8_t b[4];

	bus_put(b, size, v);
	pci_ecam_access((slot << 15) | reg, b, size, 1);
}

static uint32_t cf8_rd(unsigned int slot, unsigned int fn, unsigned int reg,
		       unsigned int size)
{
	uint8_t b[4];

	bus_put(b, 4, 0x80000000U | (slot << 11) | (fn << 8) | (reg & 0xfc));
	pci_cf8_access(0, b, 4, 1);
	pci_cf8_access(4 + (reg & 3), b, size, 0);
	return bus_get(b, size);
}

static uint64_t bar0(struct virtio_dev *d)
{
	return pci_cfg_get(&d->pci, PCI_BAR0, 4) & ~0xfULL;
}

static uint64_t rd(struct virtio_dev *d, unsigned int off, unsigned int size)
{
	uint8_t b[8] = { 0 };

	pci_mmio_access(bar0(d) + off - DEVMGR_MMIO_BASE, b, size, 0);
	return bus_get(b, size);
}

static void wr(struct virtio_dev *d, unsigned int off, unsigned int size,
	       uint64_t v)
{
	uint8_t b[8];

	bus_put(b, size, v);
	pci_mmio_access(bar0(d) + off - DEVMGR_MMIO_BASE, b, size, 1);
}

static char disk_path[] = "/tmp/virtio_test.XXXXXX";
static int disk_fd = -1;
static off_t disk_size = 4096;

/* A fresh machine: 16 MiB of RAM, bus 0, an rng at slot 1, a disk at 2. */
static struct virtio_dev *rng, *blk;

static void machine(int read_only)
{
	static uint8_t pattern[4096];
	unsigned int i;

	guest_mem_free(&mem);
	if (guest_mem_alloc(&mem, RAM))
		abort();
	pci_reset();
	if (disk_fd >= 0)
		close(disk_fd);
	strcpy(disk_path, "/tmp/virtio_test.XXXXXX");
	disk_fd = mkstemp(disk_path);
	unlink(disk_path);
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = i * 7;
	if (disk_fd < 0 || pwrite(disk_fd, pattern, sizeof(pattern), 0) != 4096 ||
	    ftruncate(disk_fd, disk_size))
		abort();
	virtio_pci_free(rng);
	virtio_pci_free(blk);
	rng = virtio_rng_add(&mem);
	blk = virtio_blk_add(&mem, dup(disk_fd), read_only, "vda-serial");
	if (!rng || !blk)
		abort();
	msi_count = 0;
}

/* The Linux virtio-pci driver's bring-up, up to the queues. */
static void driver_setup(struct virtio_dev *d, uint64_t features)
{
	unsigned int slot = d->pci.slot, msix = d->msix_cap, v;

	wr(d, 0x14, 1, 0);
	wr(d, 0x14, 1, VIRTIO_S_ACKNOWLEDGE);
	wr(d, 0x14, 1, VIRTIO_S_ACKNOWLEDGE | VIRTIO_S_DRIVER);
	wr(d, 0x08, 4, 0);
	wr(d, 0x0c, 4, (uint32_t)features);
	wr(d, 0x08, 4, 1);
	wr(d, 0x0c, 4, (uint32_t)(features >> 32));
	wr(d, 0x14, 1, 0x0b);
	/* MSI-X on, vector v: data 0x40 + v, unmasked. */
	ecam_wr(slot, msix + 2, 2, 0x8000 | (VIRTIO_MAX_VECTORS - 1));
	for (v = 0; v < VIRTIO_MAX_VECTORS; v++) {
		wr(d, VIRTIO_MSIX_AT + 16 * v, 4, MSI_ADDR);
		wr(d, VIRTIO_MSIX_AT + 16 * v + 8, 4, 0x40 + v);
		wr(d, VIRTIO_MSIX_AT + 16 * v + 12, 4, 0);
	}
	wr(d, 0x10, 2, 0);		/* config vector 0 */
	wr(d, 0x16, 2, 0);
	wr(d, 0x18, 2, QSIZE);
	wr(d, 0x1a, 2, 1);		/* queue 0: vector 1 */
	wr(d, 0x20, 8, DESC);
	wr(d, 0x28, 4, (uint32_t)AVAIL);
	wr(d, 0x2c, 4, 0);
	wr(d, 0x30, 8, USED);
	wr(d, 0x1c, 2, 1);
}

/* ... and DRIVER_OK. */
static void driver_up(struct virtio_dev *d, uint64_t features)
{
	driver_setup(d, features);
	wr(d, 0x14, 1, 0x0f);
}

static uint16_t avail_idx;

struct seg {
	uint64_t gpa;
	uint32_t len;
	int write;
};

/* Queue @qi's rings: queue 0 at DESC/AVAIL/USED, queue 1 0x4000 above. */
#define QOFF(qi)	((uint64_t)(qi) * 0x4000)
static uint16_t q1_avail_idx;

/*
 * Put a chain of @n descriptors (from index @first) on queue @qi's ring
 * and notify.
 */
static void submit_at(struct virtio_dev *d, unsigned int qi, unsigned int first,
		      const struct seg *s, unsigned int n)
{
	uint16_t *idx = qi ? &q1_avail_idx : &avail_idx;
	uint16_t head = first;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint8_t *e = gp(DESC + QOFF(qi) + 16 * (first + i));
		uint16_t flags = (i + 1 < n ? 1 : 0) | (s[i].write ? 2 : 0);
		uint16_t next = first + i + 1;

		memcpy(e, &s[i].gpa, 8);
		memcpy(e + 8, &s[i].len, 4);
		memcpy(e + 12, &flags, 2);
		memcpy(e + 14, &next, 2);
	}
	memcpy(gp(AVAIL + QOFF(qi) + 4 + 2 * (*idx % QSIZE)), &head, 2);
	(*idx)++;
	memcpy(gp(AVAIL + QOFF(qi) + 2), idx, 2);
	wr(d, VIRTIO_NOTIFY_AT + VIRTIO_NOTIFY_MULT * qi, 2, 0);
}

static void submit(struct virtio_dev *d, const struct seg *s, unsigned int n)
{
	submit_at(d, 0, 0, s, n);
}

static uint16_t used_idx_q(unsigned int qi)
{
	uint16_t v;

	memcpy(&v, gp(USED + QOFF(qi) + 2), 2);
	return v;
}

static uint32_t used_len_q(unsigned int qi, uint16_t i)
{
	uint32_t v;

	memcpy(&v, gp(USED + QOFF(qi) + 4 + 8 * (i % QSIZE) + 4), 4);
	return v;
}

static uint16_t used_idx(void)
{
	return used_idx_q(0);
}

static uint32_t used_len(uint16_t i)
{
	return used_len_q(0, i);
}

/* A virtio-blk request: header, optional data, status byte. */
static uint8_t blk_req(uint32_t type, uint64_t sector, uint32_t len,
		       int data_write)
{
	uint8_t hdr[16] = { 0 };
	struct seg s[3] = {
		{ BUF, 16, 0 },
		{ BUF + 0x1000, len, data_write },
		{ BUF + 0x100, 1, 1 },
	};

	memcpy(hdr, &type, 4);
	memcpy(hdr + 8, &sector, 8);
	memcpy(gp(BUF), hdr, 16);
	*gp(BUF + 0x100) = 0xee;
	if (len) {
		submit(blk, s, 3);
	} else {
		s[1] = s[2];
		submit(blk, s, 2);
	}
	return *gp(BUF + 0x100);
}

/* The host bridge answers through both mechanisms; nothing else does. */
static void test_config_mechanisms(void)
{
	uint8_t b[4];

	machine(0);
	CHECK_EQ(cf8_rd(0, 0, 0, 4), 0x00081b36);
	CHECK_EQ(ecam_rd(0, 0, 4), 0x00081b36);
	CHECK_EQ(cf8_rd(0, 0, 0x0a, 2), 0x0600);	/* host bridge class */
	CHECK_EQ(cf8_rd(2, 0, 0, 4), 0x10421af4);	/* virtio-blk, modern */
	CHECK_EQ(ecam_rd(1, 0, 4), 0x10441af4);		/* virtio-rng */
	CHECK_EQ(cf8_rd(2, 1, 0, 4), 0xffffffff);	/* function 1: none */
	CHECK_EQ(cf8_rd(9, 0, 0, 2), 0xffff);		/* empty slot */
	CHECK_EQ(ecam_rd(2, 0x100, 4), 0);		/* no extended caps */
	CHECK_EQ(ecam_rd(2, 1, 2), 0xffff);		/* misaligned */
	/* Linux's probe: a byte at 0xcfb is not the address register. */
	bus_put(b, 4, 0x80001000U);
	pci_cf8_access(0, b, 4, 1);
	b[0] = 1;
	pci_cf8_access(3, b, 1, 1);
	pci_cf8_access(0, b, 4, 0);
	CHECK_EQ(bus_get(b, 4), 0x80001000U);
	/* Bus 1 is nobody's. */
	bus_put(b, 4, 0x80010000U);
	pci_cf8_access(0, b, 4, 1);
	pci_cf8_access(4, b, 4, 0);
	CHECK_EQ(bus_get(b, 4), 0xffffffff);
}

/* BAR sizing, read-only fields, memory decode on and off. */
static void test_bar(void)
{
	uint32_t at;

	machine(0);
	at = ecam_rd(2, PCI_BAR0, 4);
	CHECK(at >= DEVMGR_MMIO_BASE && at < DEVMGR_MMIO_BASE + DEVMGR_MMIO_SIZE);
	CHECK_EQ(at % VIRTIO_BAR_SIZE, 0);
	ecam_wr(2, PCI_BAR0, 4, 0xffffffff);
	CHECK_EQ(ecam_rd(2, PCI_BAR0, 4), ~(VIRTIO_BAR_SIZE - 1));
	ecam_wr(2, PCI_BAR0 + 4, 4, 0xffffffff);
	CHECK_EQ(ecam_rd(2, PCI_BAR0 + 4, 4), 0);	/* no BAR 1 */
	ecam_wr(2, PCI_BAR0, 4, at | 0xf);
	CHECK_EQ(ecam_rd(2, PCI_BAR0, 4), at);		/* type bits fixed */
	ecam_wr(2, 0, 4, 0x12345678);
	CHECK_EQ(ecam_rd(2, 0, 4), 0x10421af4);		/* ids read-only */
	CHECK_EQ(rd(blk, 0x12, 2), 1);			/* num_queues */
	ecam_wr(2, PCI_COMMAND, 2, 0);
	CHECK_EQ(rd(blk, 0x12, 2), 0xffff);		/* decode off */
	ecam_wr(2, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(rd(blk, 0x12, 2), 1);
	/* An access that runs past the BAR's end is nobody's. */
	CHECK_EQ(rd(blk, VIRTIO_BAR_SIZE - 2, 4), 0xffffffff);
}

/* The capability list holds the five virtio structures and MSI-X. */
static void test_caps(void)
{
	unsigned int p, seen = 0, guard = 0, msix = 0;

	machine(0);
	CHECK(ecam_rd(2, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (p = ecam_rd(2, PCI_CAP_PTR, 1); p && guard < 48;
	     p = ecam_rd(2, p + 1, 1), guard++) {
		if (ecam_rd(2, p, 1) == 0x09)
			seen |= 1U << ecam_rd(2, p + 3, 1);
		if (ecam_rd(2, p, 1) == 0x11)
			msix = ecam_rd(2, p + 2, 2);
	}
	CHECK_EQ(seen, 0x3e);		/* cfg types 1-5 */
	CHECK_EQ(msix & 0x7ff, 1);	/* 2 vectors: queue, config */
}

/* The status machine (2.1, 3.1.1) and feature negotiation. */
static void test_status(void)
{
	machine(0);
	wr(blk, 0x14, 1, 3);
	wr(blk, 0x08, 4, 0);
	wr(blk, 0x0c, 4, 1U << 9);		/* FLUSH, but no VERSION_1 */
	wr(blk, 0x14, 1, 0x0b);
	CHECK_EQ(rd(blk, 0x14, 1), 3);		/* FEATURES_OK refused */
	wr(blk, 0x08, 4, 1);
	wr(blk, 0x0c, 4, 1 | (1U << 30));	/* VERSION_1 and one not offered */
	wr(blk, 0x14, 1, 0x0b);
	CHECK_EQ(rd(blk, 0x14, 1), 3);
	wr(blk, 0x0c, 4, 1);
	wr(blk, 0x14, 1, 0x0b);
	CHECK_EQ(rd(blk, 0x14, 1), 0x0b);
	CHECK(virtio_has(blk, VIRTIO_F_VERSION_1));
	wr(blk, 0x0c, 4, 0);			/* too late: ignored */
	CHECK(virtio_has(blk, VIRTIO_F_VERSION_1));
	wr(blk, 0x14, 1, 0x03);			/* clearing a bit */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	wr(blk, 0x14, 1, 0);
	CHECK_EQ(rd(blk, 0x14, 1), 0);
	wr(blk, 0x14, 1, 0x07);			/* DRIVER_OK, no FEATURES_OK */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	wr(blk, 0x14, 1, 0);
	wr(blk, 0x14, 1, 0x40);			/* a device-only bit */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	wr(blk, 0x14, 1, 0);
	wr(blk, 0x14, 1, 0x02);			/* DRIVER before ACKNOWLEDGE */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
}

/*
 * From a reset up to FEATURES_OK, then queue 0 with @size and the
 * descriptor table at @desc enabled: did it take (no NEEDS_RESET)?
 */
static int enable_queue_with(uint16_t size, uint64_t desc)
{
	wr(blk, 0x14, 1, 0);
	wr(blk, 0x14, 1, 0x03);
	wr(blk, 0x08, 4, 1);
	wr(blk, 0x0c, 4, 1);
	wr(blk, 0x14, 1, 0x0b);
	wr(blk, 0x18, 2, size);
	wr(blk, 0x20, 8, desc);
	wr(blk, 0x28, 8, AVAIL);
	wr(blk, 0x30, 8, USED);
	wr(blk, 0x1c, 2, 1);
	return !(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET) && rd(blk, 0x1c, 2) == 1;
}

/* Queue registers: checked at enable, frozen after. */
static void test_queue_setup(void)
{
	machine(0);
	driver_up(blk, 1ULL << 32);
	CHECK_EQ(rd(blk, 0x14, 1), 0x0f);
	CHECK_EQ(rd(blk, 0x1c, 2), 1);
	wr(blk, 0x20, 8, 0x1234);		/* enabled: frozen */
	CHECK_EQ(rd(blk, 0x20, 8), DESC);
	wr(blk, 0x1a, 2, 77);			/* no such vector */
	CHECK_EQ(rd(blk, 0x1a, 2), VIRTIO_NO_VECTOR);
	wr(blk, 0x16, 2, 5);			/* no such queue */
	CHECK_EQ(rd(blk, 0x18, 2), 0);

	/* A size that is not a power of two. */
	machine(0);
	CHECK(!enable_queue_with(3, DESC));
	CHECK_EQ(rd(blk, 0x1c, 2), 0);
	/* Rings outside RAM (the PCI hole), a size above the maximum. */
	CHECK(!enable_queue_with(QSIZE, 0xc0000000ULL));
	CHECK(!enable_queue_with(1024, DESC));
	/* And a good one after a reset, to show the others were the values. */
	CHECK(enable_queue_with(QSIZE, DESC));
}

/* Write, read back, flush, get-id, and the interrupt for each. */
static void test_blk_rw(void)
{
	uint8_t back[512];
	unsigned int i;

	machine(0);
	avail_idx = 0;
	driver_up(blk, (1ULL << 32) | (1ULL << 9));
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT, 8), 8);	/* capacity: 4 KiB */
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 12, 4), VIRTIO_BLK_SEG_MAX);
	for (i = 0; i < 512; i++)
		gp(BUF + 0x1000)[i] = 0xa5 ^ i;
	CHECK_EQ(blk_req(1, 3, 512, 0), 0);		/* OUT, sector 3 */
	CHECK_EQ(used_idx(), 1);
	CHECK_EQ(used_len(0), 1);
	CHECK_EQ(msi_count, 1);
	CHECK_EQ(msi_last_data, 0x41);
	CHECK_EQ(pread(disk_fd, back, 512, 3 * 512), 512);
	CHECK(!memcmp(back, gp(BUF + 0x1000), 512));
	memset(gp(BUF + 0x1000), 0, 1024);
	CHECK_EQ(blk_req(0, 2, 1024, 1), 0);		/* IN, sectors 2-3 */
	CHECK_EQ(used_len(1), 1025);
	CHECK_EQ(gp(BUF + 0x1000)[0], (uint8_t)(2 * 512 * 7));
	CHECK(!memcmp(gp(BUF + 0x1000) + 512, back, 512));
	CHECK_EQ(blk_req(4, 0, 0, 0), 0);		/* FLUSH */
	CHECK_EQ(blk_req(8, 0, 20, 1), 0);		/* GET_ID */
	CHECK(!memcmp(gp(BUF + 0x1000), "vda-serial", 11));
	CHECK_EQ(used_len(3), 21);
	CHECK_EQ(blk_req(11, 0, 16, 0), 2);		/* DISCARD: UNSUPP */
	CHECK_EQ(used_idx(), 5);
	CHECK_EQ(msi_count, 5);
	CHECK(!(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET));
}

/*
 * The disk I/O the block device does, in order: stand-ins for libc's
 * pwrite and fdatasync (the executable's definitions win over libc's),
 * which note each call ('w', 'f') while io_watch is set, and whether the
 * request was already answered (its status byte or used->idx) when the
 * syscall began.
 */
static int io_watch, io_answered_early;
static char io_log[16];
static unsigned int io_n;
static uint16_t io_used_before;

static void io_note(char c)
{
	if (!io_watch)
		return;
	if (io_n + 1 < sizeof(io_log))
		io_log[io_n++] = c;
	if (*gp(BUF + 0x100) != 0xee || used_idx() != io_used_before)
		io_answered_early = 1;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	io_note('w');
	return syscall(SYS_pwrite64, fd, buf, n, off);
}

int fdatasync(int fd)
{
	io_note('f');
	return syscall(SYS_fdatasync, fd);
}

/*
 * A write is answered only after its pwrite returned, and FLUSH is an
 * fdatasync of the image, answered after it returned; OUT alone does no
 * fdatasync (the guest asks for durability with FLUSH: 5.2.6).
 */
static void test_blk_write_then_flush(void)
{
	machine(0);
	avail_idx = 0;
	driver_up(blk, (1ULL << 32) | (1ULL << 9));
	memset(io_log, 0, sizeof(io_log));
	io_n = 0;
	io_answered_early = 0;
	io_watch = 1;
	io_used_before = used_idx();
	CHECK_EQ(blk_req(1, 4, 1024, 0), 0);		/* OUT, sectors 4-5 */
	CHECK(!strcmp(io_log, "w"));
	io_used_before = used_idx();
	CHECK_EQ(blk_req(4, 0, 0, 0), 0);		/* FLUSH */
	io_watch = 0;
	CHECK(!strcmp(io_log, "wf"));
	CHECK_EQ(io_answered_early, 0);
	CHECK_EQ(used_idx(), 2);
}

/*
 * fallocate as the block device calls it: a stand-in that notes each call
 * (mode, offset, length) and can play a file system without ZERO_RANGE
 * (tmpfs) before doing the real syscall.
 */
static struct { int mode; off_t off, len; } fa_log[8];
static unsigned int fa_n;
static int fa_no_zero_range;

int fallocate(int fd, int mode, off_t off, off_t len)
{
	if (fa_n < 8)
		fa_log[fa_n] = (typeof(fa_log[0])){ mode, off, len };
	fa_n++;
	if (fa_no_zero_range && (mode & FALLOC_FL_ZERO_RANGE)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	return syscall(SYS_fallocate, fd, mode, off, len);
}

#define F_DISCARD	(1ULL << 13)
#define F_WRITE_ZEROES	(1ULL << 14)
#define PUNCH		(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)
#define ZERO		(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE)

/* Segment @i of a DISCARD / WRITE_ZEROES request's data. */
static void dwz_seg(unsigned int i, uint64_t sector, uint32_t num,
		    uint32_t flags)
{
	memcpy(gp(BUF + 0x1000 + 16 * i), &sector, 8);
	memcpy(gp(BUF + 0x1000 + 16 * i + 8), &num, 4);
	memcpy(gp(BUF + 0x1000 + 16 * i + 12), &flags, 4);
}

/* How many bytes of [from, to) of the image read as zero? */
static unsigned int zeroes(off_t from, off_t to)
{
	uint8_t back[4096];
	unsigned int i, n = 0;

	if (pread(disk_fd, back, to - from, from) != to - from)
		return ~0U;
	for (i = 0; i < to - from; i++)
		n += !back[i];
	return n;
}

/* Is the image still the pattern machine() wrote? */
static int image_untouched(void)
{
	uint8_t back[4096];
	unsigned int i;

	if (pread(disk_fd, back, 4096, 0) != 4096)
		return 0;
	for (i = 0; i < 4096 && back[i] == (uint8_t)(i * 7); i++)
		;
	return i == 4096;
}

/*
 * DISCARD and WRITE_ZEROES: offered (the image is on a file system that
 * punches holes), the config filled, each segment checked before any is
 * done, the answers of 5.2.6.2, and the fallocate calls they make.
 */
static void test_blk_discard(void)
{
	machine(0);
	avail_idx = 0;
	wr(blk, 0x08, 4, 0);
	CHECK_EQ(rd(blk, 0x04, 4) & (F_DISCARD | F_WRITE_ZEROES),
		 F_DISCARD | F_WRITE_ZEROES);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 36, 4), VIRTIO_BLK_DWZ_SECTORS_MAX);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 40, 4), VIRTIO_BLK_DISCARD_SEG_MAX);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 44, 4), VIRTIO_BLK_DISCARD_ALIGN);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 48, 4), VIRTIO_BLK_DWZ_SECTORS_MAX);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 52, 4), VIRTIO_BLK_WZ_SEG_MAX);
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 56, 1), 1);
	driver_up(blk, (1ULL << 32) | F_DISCARD | F_WRITE_ZEROES);
	CHECK_EQ(rd(blk, 0x14, 1), 0x0f);

	/* refused, the image untouched, no fallocate */
	fa_n = 0;
	dwz_seg(0, 2, 2, 1);
	CHECK_EQ(blk_req(11, 0, 16, 0), 2);	/* unmap on DISCARD: UNSUPP */
	dwz_seg(0, 2, 2, 4);
	CHECK_EQ(blk_req(13, 0, 16, 0), 2);	/* reserved flag: UNSUPP */
	dwz_seg(0, 7, 2, 0);
	CHECK_EQ(blk_req(11, 0, 16, 0), 1);	/* past the end: IOERR */
	dwz_seg(0, ~0ULL, 2, 0);
	CHECK_EQ(blk_req(13, 0, 16, 0), 1);	/* wraps: IOERR */
	dwz_seg(0, 0, 2, 0);
	dwz_seg(1, 6, 3, 0);
	CHECK_EQ(blk_req(11, 0, 32, 0), 1);	/* second one bad: IOERR */
	CHECK_EQ(blk_req(11, 0, 20, 0), 1);	/* not whole segments */
	CHECK_EQ(blk_req(11, 0, 16 * (VIRTIO_BLK_DISCARD_SEG_MAX + 1), 0), 1);
	CHECK_EQ(blk_req(11, 0, 16, 1), 1);	/* writable segments */
	CHECK_EQ(fa_n, 0);
	CHECK(image_untouched());

	/* DISCARD of sectors 2-3 and 6: holes, reading as zeroes */
	dwz_seg(0, 2, 2, 0);
	dwz_seg(1, 6, 1, 0);
	CHECK_EQ(blk_req(11, 0, 32, 0), 0);
	CHECK_EQ(fa_n, 2);
	CHECK_EQ(fa_log[0].mode, PUNCH);
	CHECK_EQ(fa_log[0].off, 1024);
	CHECK_EQ(fa_log[0].len, 1024);
	CHECK_EQ(fa_log[1].off, 3072);
	CHECK_EQ(fa_log[1].len, 512);
	CHECK_EQ(zeroes(1024, 2048), 1024);
	CHECK_EQ(zeroes(3072, 3584), 512);
	CHECK(zeroes(0, 1024) < 16);

	/* WRITE_ZEROES of sector 0: ZERO_RANGE */
	fa_n = 0;
	dwz_seg(0, 0, 1, 0);
	CHECK_EQ(blk_req(13, 0, 16, 0), 0);
	CHECK_EQ(fa_n, 1);
	CHECK_EQ(fa_log[0].mode, ZERO);
	CHECK_EQ(zeroes(0, 512), 512);
	/* without ZERO_RANGE: a hole if unmap is allowed, else zeroes written */
	fa_no_zero_range = 1;
	fa_n = 0;
	dwz_seg(0, 1, 1, 1);
	CHECK_EQ(blk_req(13, 0, 16, 0), 0);
	CHECK_EQ(fa_n, 2);
	CHECK_EQ(fa_log[1].mode, PUNCH);
	CHECK_EQ(zeroes(512, 1024), 512);
	fa_n = 0;
	dwz_seg(0, 4, 1, 0);
	CHECK_EQ(blk_req(13, 0, 16, 0), 0);
	CHECK_EQ(fa_n, 1);
	CHECK_EQ(zeroes(2048, 2560), 512);
	fa_no_zero_range = 0;
	CHECK_EQ(zeroes(2560, 3072) < 16, 1);	/* sector 5 kept */
	CHECK(!(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET));

	/* not negotiated: UNSUPP, nothing done */
	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	fa_n = 0;
	dwz_seg(0, 0, 1, 0);
	CHECK_EQ(blk_req(11, 0, 16, 0), 2);
	CHECK_EQ(blk_req(13, 0, 16, 0), 2);
	CHECK_EQ(fa_n, 0);
	CHECK(image_untouched());
	/* a read-only disk offers neither and fails both with IOERR */
	machine(1);
	avail_idx = 0;
	wr(blk, 0x08, 4, 0);
	CHECK_EQ(rd(blk, 0x04, 4) & (F_DISCARD | F_WRITE_ZEROES), 0);
	driver_up(blk, (1ULL << 32) | (1ULL << 5));
	fa_n = 0;
	CHECK_EQ(blk_req(11, 0, 16, 0), 1);
	CHECK_EQ(fa_n, 0);
	CHECK(image_untouched());
}

/* Requests the device must fail, each with IOERR, the file untouched. */
static void test_blk_bad_requests(void)
{
	uint8_t back[4096];
	unsigned int i;

	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	CHECK_EQ(blk_req(1, 7, 1024, 0), 1);		/* runs past the end */
	CHECK_EQ(blk_req(0, ~0ULL, 512, 1), 1);		/* sector overflows */
	CHECK_EQ(blk_req(1, 0, 100, 0), 1);		/* not whole sectors */
	CHECK_EQ(blk_req(0, 0, 512, 0), 1);		/* IN into a readable buffer */
	CHECK_EQ(pread(disk_fd, back, 4096, 0), 4096);
	for (i = 0; i < 4096 && back[i] == (uint8_t)(i * 7); i++)
		;
	CHECK_EQ(i, 4096);
	CHECK(!(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET));
	CHECK_EQ(used_idx(), 4);
}

/* A read-only disk: OUT fails with IOERR and the file is unchanged. */
static void test_blk_read_only(void)
{
	uint8_t back[512];
	unsigned int i;

	machine(1);
	avail_idx = 0;
	wr(blk, 0x08, 4, 0);
	CHECK(rd(blk, 0x04, 4) & (1U << 5));		/* VIRTIO_BLK_F_RO */
	driver_up(blk, (1ULL << 32) | (1ULL << 5));
	memset(gp(BUF + 0x1000), 0x55, 512);
	CHECK_EQ(blk_req(1, 0, 512, 0), 1);
	CHECK_EQ(pread(disk_fd, back, 512, 0), 512);
	for (i = 0; i < 512 && back[i] == (uint8_t)(i * 7); i++)
		;
	CHECK_EQ(i, 512);
	CHECK_EQ(blk_req(0, 0, 512, 1), 0);		/* reads still work */
}

/* Malformed chains: NEEDS_RESET, nothing read or written outside RAM. */
static void test_blk_hostile_chains(void)
{
	struct seg outside[3] = {
		{ BUF, 16, 0 }, { RAM - 256, 512, 1 }, { BUF + 0x100, 1, 1 },
	};
	struct seg no_status[2] = { { BUF, 16, 0 }, { BUF + 0x1000, 512, 1 } };
	uint16_t loop = 0;

	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	memset(gp(BUF), 0, 16);
	submit(blk, outside, 3);		/* data runs off the end of RAM */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	CHECK(msi_count >= 1);			/* the config interrupt */
	CHECK_EQ(msi_last_data, 0x40);

	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	submit(blk, no_status, 2);		/* no status byte */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);

	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	submit(blk, no_status, 2);
	memcpy(gp(DESC + 14), &loop, 2);	/* descriptor 0 -> 0 -> ... */
	memcpy(gp(DESC + 12), &(uint16_t){ 1 }, 2);
	avail_idx++;
	memcpy(gp(AVAIL + 2), &avail_idx, 2);
	wr(blk, 0x14, 1, 0);			/* reset clears NEEDS_RESET */
	CHECK_EQ(rd(blk, 0x14, 1), 0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	memcpy(gp(AVAIL + 2), &(uint16_t){ 1 }, 2);
	wr(blk, VIRTIO_NOTIFY_AT, 2, 0);	/* the loop */
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);

	/* avail->idx far ahead of what the queue can hold. */
	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	memcpy(gp(AVAIL + 2), &(uint16_t){ 1000 }, 2);
	wr(blk, VIRTIO_NOTIFY_AT, 2, 0);
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	/* Once it needs a reset, notifications do nothing. */
	wr(blk, VIRTIO_NOTIFY_AT, 2, 0);
	CHECK_EQ(used_idx(), 0);
}

/*
 * An OUT request of @nseg data buffers of 512 bytes in an indirect table
 * (a direct chain cannot be longer than the queue): its status byte.
 */
static uint8_t indirect_out(unsigned int nseg)
{
	uint64_t table = BUF + 0x40000;
	uint16_t flags, next;
	uint32_t len;
	unsigned int i, n = nseg + 2;

	memset(gp(BUF), 0, 16);
	*gp(BUF) = 1;
	*gp(BUF + 0x100) = 0xee;
	for (i = 0; i < n; i++) {
		uint8_t *e = gp(table + 16 * i);
		uint64_t addr = i == 0 ? BUF : i == n - 1 ? BUF + 0x100 :
				BUF + 0x1000 + 512 * i;

		len = i == 0 ? 16 : i == n - 1 ? 1 : 512;
		flags = (i + 1 < n ? 1 : 0) | (i == n - 1 ? 2 : 0);
		next = i + 1;
		memcpy(e, &addr, 8);
		memcpy(e + 8, &len, 4);
		memcpy(e + 12, &flags, 2);
		memcpy(e + 14, &next, 2);
	}
	len = 16 * n;
	flags = 4;			/* VIRTQ_DESC_F_INDIRECT */
	memcpy(gp(DESC), &table, 8);
	memcpy(gp(DESC + 8), &len, 4);
	memcpy(gp(DESC + 12), &flags, 2);
	memset(gp(AVAIL + 4 + 2 * (avail_idx % QSIZE)), 0, 2);
	avail_idx++;
	memcpy(gp(AVAIL + 2), &avail_idx, 2);
	wr(blk, VIRTIO_NOTIFY_AT, 2, 0);
	return *gp(BUF + 0x100);
}

/* seg_max and size_max, as advertised, are what the device takes. */
static void test_blk_limits(void)
{
	disk_size = 4 << 20;
	machine(0);
	disk_size = 4096;
	avail_idx = 0;
	driver_up(blk, (1ULL << 32) | (1ULL << 28));
	CHECK_EQ(rd(blk, VIRTIO_DEVCFG_AT + 8, 4), VIRTIO_BLK_SIZE_MAX);
	CHECK_EQ(indirect_out(VIRTIO_BLK_SEG_MAX), 0);
	CHECK_EQ(indirect_out(VIRTIO_BLK_SEG_MAX + 1), 1);	/* IOERR */
	CHECK_EQ(blk_req(1, 0, VIRTIO_BLK_SIZE_MAX, 0), 0);
	CHECK_EQ(blk_req(1, 0, VIRTIO_BLK_SIZE_MAX + 512, 0), 1);
	CHECK(!(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET));
	/* More buffers than the device has room for: a broken queue. */
	indirect_out(VIRTIO_MAX_BUFS);
	CHECK(rd(blk, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
}

/* Masked vectors wait in the PBA and go when unmasked. */
static void test_msix_mask(void)
{
	machine(0);
	avail_idx = 0;
	driver_up(blk, 1ULL << 32);
	wr(blk, VIRTIO_MSIX_AT + 16 + 12, 4, 1);	/* mask vector 1 */
	blk_req(4, 0, 0, 0);
	CHECK_EQ(msi_count, 0);
	CHECK_EQ(rd(blk, VIRTIO_PBA_AT, 4), 2);
	wr(blk, VIRTIO_MSIX_AT + 16 + 12, 4, 0);
	CHECK_EQ(msi_count, 1);
	CHECK_EQ(rd(blk, VIRTIO_PBA_AT, 4), 0);
	/* Function mask, then MSI-X off: the ISR still says why. */
	ecam_wr(blk->pci.slot, blk->msix_cap + 2, 2, 0xc000);
	blk_req(4, 0, 0, 0);
	CHECK_EQ(msi_count, 1);
	ecam_wr(blk->pci.slot, blk->msix_cap + 2, 2, 0x8000);
	CHECK_EQ(msi_count, 2);
	CHECK_EQ(rd(blk, VIRTIO_ISR_AT, 1), 1);
	CHECK_EQ(rd(blk, VIRTIO_ISR_AT, 1), 0);		/* read clears */
}

/* The VIRTIO_PCI_CAP_PCI_CFG window reads the BAR. */
static void test_pci_cfg_window(void)
{
	unsigned int c;

	machine(0);
	c = blk->cfg_cap;
	ecam_wr(2, c + 4, 1, 0);
	ecam_wr(2, c + 8, 4, 0x12);		/* num_queues */
	ecam_wr(2, c + 12, 4, 2);
	CHECK_EQ(ecam_rd(2, c + 16, 2), 1);
	ecam_wr(2, c + 12, 4, 3);		/* a length it refuses */
	ecam_wr(2, c + 8, 4, 0x14);
	ecam_wr(2, c + 16, 4, 0x0f);
	CHECK_EQ(rd(blk, 0x14, 1), 0);
}

/* virtio-rng fills what the driver offers, and says how much. */
static void test_rng(void)
{
	struct seg s = { BUF + 0x1000, 64, 1 };
	unsigned int i, nz = 0;

	machine(0);
	avail_idx = 0;
	driver_up(rng, 1ULL << 32);
	memset(gp(BUF + 0x1000), 0, 64);
	submit(rng, &s, 1);
	CHECK_EQ(used_idx(), 1);
	CHECK_EQ(used_len(0), 64);
	for (i = 0; i < 64; i++)
		nz += gp(BUF + 0x1000)[i] != 0;
	CHECK(nz > 32);

	/*
	 * Linux's virtio-rng adds and notifies its first buffer before
	 * DRIVER_OK: the device takes it at DRIVER_OK, not before.
	 */
	machine(0);
	avail_idx = 0;
	driver_setup(rng, 1ULL << 32);
	submit(rng, &s, 1);
	CHECK_EQ(used_idx(), 0);
	wr(rng, 0x14, 1, 0x0f);
	CHECK_EQ(used_idx(), 1);
	CHECK_EQ(msi_count, 1);
}

/* virtio-net: a socketpair's packets stand in for the tap's frames. */
static struct virtio_dev *net;
static int net_peer = -1;
static int net_watch;

static void watch_stub(int fd, int how)
{
	(void)fd;
	net_watch = how;
}

#define NET_FEATURES	((1ULL << 32) | (1ULL << 5) | (1ULL << 16))
/* What the next net_machine()'s tap can do, and what its driver takes. */
static unsigned int net_tap;
static uint64_t net_features = NET_FEATURES;

/* A machine with a NIC at slot 3, its driver up: RX queue 0, TX queue 1. */
static void net_machine(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x99 };
	int sv[2];

	machine(0);
	virtio_pci_free(net);
	if (net_peer >= 0)
		close(net_peer);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv))
		abort();
	net_peer = sv[0];
	net = virtio_net_add(&mem, sv[1], net_tap, mac, watch_stub);
	if (!net)
		abort();
	net_watch = 0;
	avail_idx = q1_avail_idx = 0;
	memset(gp(DESC), 0, 0x8000);
	driver_setup(net, net_features);
	wr(net, 0x16, 2, 1);
	wr(net, 0x18, 2, QSIZE);
	wr(net, 0x1a, 2, 2);		/* queue 1: vector 2 */
	wr(net, 0x20, 8, DESC + QOFF(1));
	wr(net, 0x28, 8, AVAIL + QOFF(1));
	wr(net, 0x30, 8, USED + QOFF(1));
	wr(net, 0x1c, 2, 1);
	wr(net, 0x14, 1, 0x0f);
}

static void net_done(void)
{
	close(virtio_net_fd(net));
	virtio_pci_free(net);
	net = NULL;
}

/* The device: what it offers, its MAC and link in the config. */
static void test_net_config(void)
{
	net_machine();
	CHECK_EQ(ecam_rd(3, 0, 4), 0x10411af4U);
	CHECK_EQ(ecam_rd(3, 0x0a, 2), 0x0200);	/* Ethernet controller */
	CHECK_EQ(rd(net, 0x14, 1), 0x0f);
	wr(net, 0x00, 4, 0);
	CHECK_EQ(rd(net, 0x04, 4), (1U << 5) | (1U << 16) | (1U << 28));
	CHECK_EQ(rd(net, VIRTIO_DEVCFG_AT, 4), 0x12005452U);
	CHECK_EQ(rd(net, VIRTIO_DEVCFG_AT + 4, 2), 0x9934);
	CHECK_EQ(rd(net, VIRTIO_DEVCFG_AT + 6, 2), 1);	/* LINK_UP */
	net_done();
}

/* Transmit: the 12-byte header (split across buffers) off, the frame out. */
static void test_net_tx(void)
{
	uint8_t frame[100], got[200];
	struct seg s[3] = {
		{ BUF, 5, 0 },			/* header, first part */
		{ BUF + 0x100, 7 + 40, 0 },	/* header's rest, frame */
		{ BUF + 0x200, 60, 0 },		/* frame's rest */
	};
	unsigned int i;

	net_machine();
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = 0x80 + i;
	memset(gp(BUF), 0, 5);
	memset(gp(BUF + 0x100), 0, 7);
	memcpy(gp(BUF + 0x100 + 7), frame, 40);
	memcpy(gp(BUF + 0x200), frame + 40, 60);
	submit_at(net, 1, 0, s, 3);
	CHECK_EQ(used_idx_q(1), 1);
	CHECK_EQ(used_len_q(1, 0), 0);
	CHECK_EQ(recv(net_peer, got, sizeof(got), MSG_DONTWAIT), 100);
	CHECK(!memcmp(got, frame, 100));
	CHECK_EQ(virtio_net_stats(net)->tx_packets, 1);
	CHECK_EQ(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET, 0);

	/* A frame shorter than an Ethernet header: dropped, not sent. */
	s[1].len = 7 + 5;
	submit_at(net, 1, 0, s, 2);
	CHECK_EQ(used_idx_q(1), 2);
	CHECK_EQ(virtio_net_stats(net)->tx_dropped, 1);
	CHECK(recv(net_peer, got, sizeof(got), MSG_DONTWAIT) < 0);

	/* NEEDS_CSUM without VIRTIO_NET_F_CSUM: that packet dropped. */
	s[1].len = 7 + 40;
	gp(BUF)[0] = 1;
	submit_at(net, 1, 0, s, 3);
	CHECK_EQ(used_idx_q(1), 3);
	CHECK_EQ(virtio_net_stats(net)->tx_bad_hdr, 1);
	CHECK_EQ(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET, 0);
	CHECK(recv(net_peer, got, sizeof(got), MSG_DONTWAIT) < 0);
	net_done();

	/* A writable buffer, or no room for the header: the same. */
	net_machine();
	s[0].write = 0;
	s[1] = (struct seg){ BUF + 0x100, 64, 1 };
	submit_at(net, 1, 0, s, 2);
	CHECK(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	net_done();
	net_machine();
	submit_at(net, 1, 0, s, 1);
	CHECK(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	net_done();
}

/* One receive buffer of @len bytes at @gpa, descriptor @first. */
static void rx_buffer(unsigned int first, uint64_t gpa, uint32_t len)
{
	struct seg s = { gpa, len, 1 };

	memset(gp(gpa), 0xee, len);
	submit_at(net, 0, first, &s, 1);
}

/* Did receive buffer @gpa get header (num_buffers 1) + @frame? */
static int rx_got(uint64_t gpa, const uint8_t *frame, uint32_t len)
{
	static const uint8_t hdr[12] = { [10] = 1 };

	return !memcmp(gp(gpa), hdr, 12) && !memcmp(gp(gpa + 12), frame, len);
}

/*
 * Receive: no packet is read, lost or cut while the driver has no
 * buffers; the tap is watched only while it has.
 */
static void test_net_rx_no_buffers(void)
{
	uint8_t a[60], b[1514], c[70];
	unsigned int msi;

	net_machine();
	memset(a, 0xa1, sizeof(a));
	memset(b, 0xb2, sizeof(b));
	memset(c, 0xc3, sizeof(c));
	CHECK_EQ(send(net_peer, a, sizeof(a), 0), 60);
	CHECK_EQ(send(net_peer, b, sizeof(b), 0), 1514);
	/* The event thread saw the tap readable; no buffer: unwatched. */
	virtio_net_rx(net);
	CHECK_EQ(net_watch, 0);
	CHECK_EQ(used_idx_q(0), 0);
	/* One buffer: a arrives, b waits. */
	msi = msi_count;
	rx_buffer(0, BUF, 1526);
	CHECK_EQ(used_idx_q(0), 1);
	CHECK_EQ(used_len_q(0, 0), 12 + 60);
	CHECK(rx_got(BUF, a, 60));
	CHECK_EQ(msi_count, msi + 1);
	CHECK_EQ(msi_last_data, 0x41);
	CHECK_EQ(net_watch, 0);
	virtio_net_rx(net);
	CHECK_EQ(used_idx_q(0), 1);
	/* The next buffer takes b, whole. */
	rx_buffer(1, BUF + 0x1000, 1526);
	CHECK_EQ(used_idx_q(0), 2);
	CHECK_EQ(used_len_q(0, 1), 12 + 1514);
	CHECK(rx_got(BUF + 0x1000, b, 1514));
	/* A buffer and nothing to read: the tap is watched. */
	rx_buffer(2, BUF + 0x2000, 1526);
	CHECK_EQ(used_idx_q(0), 2);
	CHECK_EQ(net_watch, 1);
	CHECK_EQ(send(net_peer, c, sizeof(c), 0), 70);
	virtio_net_rx(net);
	CHECK_EQ(used_idx_q(0), 3);
	CHECK(rx_got(BUF + 0x2000, c, 70));
	CHECK_EQ(net_watch, 0);
	CHECK_EQ(virtio_net_stats(net)->rx_packets, 3);

	/* A buffer too small for the packet: dropped, the chain back empty. */
	CHECK_EQ(send(net_peer, b, sizeof(b), 0), 1514);
	rx_buffer(3, BUF + 0x3000, 100);
	CHECK_EQ(used_idx_q(0), 4);
	CHECK_EQ(used_len_q(0, 3), 0);
	CHECK_EQ(virtio_net_stats(net)->rx_dropped, 1);
	CHECK_EQ(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET, 0);
	net_done();
}

/* Receive chains a driver must not give: the device needs a reset. */
static void test_net_rx_hostile(void)
{
	struct seg s[2] = { { BUF, 16, 0 }, { BUF + 0x100, 1526, 1 } };
	uint8_t a[60] = { 0 };

	net_machine();
	CHECK_EQ(send(net_peer, a, sizeof(a), 0), 60);
	submit_at(net, 0, 0, s, 2);		/* a device-readable buffer */
	CHECK(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	CHECK_EQ(used_idx_q(0), 1);
	CHECK_EQ(used_len_q(0, 0), 0);
	net_done();

	net_machine();
	CHECK_EQ(send(net_peer, a, sizeof(a), 0), 60);
	CHECK_EQ(send(net_peer, a, sizeof(a), 0), 60);
	rx_buffer(0, BUF, 1526);
	CHECK_EQ(used_idx_q(0), 1);
	/* Past RAM: the virtqueue layer refuses it. */
	s[1].gpa = RAM - 100;
	submit_at(net, 0, 1, &s[1], 1);
	CHECK(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET);
	/* Reset: nothing runs until the driver is back. */
	wr(net, 0x14, 1, 0);
	virtio_net_rx(net);
	CHECK_EQ(rd(net, 0x14, 1), 0);
	net_done();
}


/* Offload feature bits (5.1.3). */
#define F_CSUM		(1ULL << 0)
#define F_GUEST_CSUM	(1ULL << 1)
#define F_GUEST_TSO4	(1ULL << 7)
#define F_GUEST_TSO6	(1ULL << 8)
#define F_HOST_TSO4	(1ULL << 11)
#define F_HOST_TSO6	(1ULL << 12)
#define F_OFFLOADS	(F_CSUM | F_GUEST_CSUM | F_GUEST_TSO4 | F_GUEST_TSO6 | \
			 F_HOST_TSO4 | F_HOST_TSO6)

/* A virtio_net_hdr (5.1.6), little-endian. */
static void net_hdr(uint8_t *h, uint8_t flags, uint8_t gso, uint16_t hdr_len,
		    uint16_t gso_size, uint16_t start, uint16_t off)
{
	memset(h, 0, 12);
	h[0] = flags;
	h[1] = gso;
	memcpy(h + 2, &hdr_len, 2);
	memcpy(h + 4, &gso_size, 2);
	memcpy(h + 6, &start, 2);
	memcpy(h + 8, &off, 2);
}

/* virtio_net_tx_hdr_check(): each field the guest controls. */
static void test_net_hdr_check(void)
{
	static const uint64_t all = F_OFFLOADS | NET_FEATURES;
	static const struct {
		uint8_t flags, gso;
		uint16_t hdr_len, gso_size, start, off;
		uint32_t frame;
		uint64_t features;
		int good;
	} c[] = {
		/* A TSO4 frame of 3000 bytes, TCP checksum at 34 + 16. */
		{ 1, 1, 66, 1448, 34, 16, 3000, all, 1 },
		{ 1, 4, 86, 1428, 54, 16, 3000, all, 1 },	/* TSO6 */
		{ 0, 0, 0, 0, 0, 0, 60, NET_FEATURES, 1 },	/* nothing asked */
		/* csum_start + csum_offset + 2 == the frame: its last bytes. */
		{ 1, 0, 0, 0, 42, 16, 60, all, 1 },
		{ 1, 1, 3000, 1448, 34, 16, 3000, all, 1 },	/* hdr_len: all */
		/* Bad gso_type: UDP, UDP_L4, ECN, unknown, not negotiated. */
		{ 1, 3, 66, 1448, 34, 16, 3000, all, 0 },
		{ 1, 5, 66, 1448, 34, 16, 3000, all, 0 },
		{ 1, 0x81, 66, 1448, 34, 16, 3000, all, 0 },
		{ 1, 2, 66, 1448, 34, 16, 3000, all, 0 },
		{ 1, 1, 66, 1448, 34, 16, 3000, all & ~F_HOST_TSO4, 0 },
		{ 1, 4, 86, 1428, 54, 16, 3000, all & ~F_HOST_TSO6, 0 },
		/* hdr_len past the packet. */
		{ 1, 1, 3001, 1448, 34, 16, 3000, all, 0 },
		{ 0, 0, 0xffff, 0, 0, 0, 60, all, 0 },
		/* csum_start + csum_offset + 2 past the packet. */
		{ 1, 0, 0, 0, 43, 16, 60, all, 0 },
		{ 1, 0, 0, 0, 0xffff, 0xffff, 60, all, 0 },
		{ 1, 1, 66, 1448, 2990, 16, 3000, all, 0 },
		/* gso_size 0 with GSO set; GSO without NEEDS_CSUM. */
		{ 1, 1, 66, 0, 34, 16, 3000, all, 0 },
		{ 0, 1, 66, 1448, 34, 16, 3000, all, 0 },
		/* NEEDS_CSUM without CSUM; DATA_VALID (receive only); 0x80. */
		{ 1, 0, 0, 0, 34, 16, 60, all & ~F_CSUM, 0 },
		{ 2, 0, 0, 0, 0, 0, 60, all, 0 },
		{ 0x80, 0, 0, 0, 0, 0, 60, all, 0 },
	};
	const char *why;
	uint8_t h[12];
	unsigned int i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		net_hdr(h, c[i].flags, c[i].gso, c[i].hdr_len, c[i].gso_size,
			c[i].start, c[i].off);
		why = virtio_net_tx_hdr_check(h, c[i].frame, c[i].features);
		CHECK_EQ(!why, c[i].good);
		if ((why == NULL) != c[i].good)
			printf("# case %u: %s\n", i, why ? why : "accepted");
	}
}

/*
 * A tap with a vnet header and every offload: the features offered, the
 * header passed to the tap as the guest wrote it (num_buffers cleared),
 * a bad header dropping that packet only, the tap's header passed to
 * the guest, a large packet into one chain of several buffers.
 */
static void test_net_offloads(void)
{
	struct seg s[2] = { { BUF, 12, 0 }, { BUF + 0x100, 3000, 0 } };
	struct seg big[3] = {
		{ BUF + 0x4000, 12 + 4084, 1 }, { BUF + 0x6000, 4096, 1 },
		{ BUF + 0x8000, 4096, 1 },
	};
	static uint8_t frame[3000], got[4000], pkt[12 + 10000];
	uint8_t h[12];
	unsigned int i;

	net_tap = TAPDEV_VNET_HDR | TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	net_features = NET_FEATURES | F_OFFLOADS;
	net_machine();
	wr(net, 0x00, 4, 0);
	CHECK_EQ(rd(net, 0x04, 4), (1U << 5) | (1U << 16) | (1U << 28) |
				   (uint32_t)F_OFFLOADS);
	CHECK_EQ(rd(net, 0x14, 1), 0x0f);	/* FEATURES_OK stuck */

	/* A TSO4 frame of 3000 bytes: header and frame in one write. */
	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	net_hdr(h, 1, 1, 66, 1448, 34, 16);
	h[10] = 0x55;				/* num_buffers: not the tap's */
	memcpy(gp(BUF), h, 12);
	memcpy(gp(BUF + 0x100), frame, 3000);
	submit_at(net, 1, 0, s, 2);
	CHECK_EQ(used_idx_q(1), 1);
	CHECK_EQ(recv(net_peer, got, sizeof(got), MSG_DONTWAIT), 12 + 3000);
	h[10] = 0;
	CHECK(!memcmp(got, h, 12));
	CHECK(!memcmp(got + 12, frame, 3000));
	CHECK_EQ(virtio_net_stats(net)->tx_packets, 1);

	/* Bad headers: each packet dropped and counted, nothing sent. */
	net_hdr(gp(BUF), 1, 3, 66, 1448, 34, 16);	/* gso_type UDP */
	submit_at(net, 1, 2, s, 2);
	net_hdr(gp(BUF), 1, 1, 3001, 1448, 34, 16);	/* hdr_len */
	submit_at(net, 1, 4, s, 2);
	net_hdr(gp(BUF), 1, 0, 0, 0, 2990, 9);		/* csum past */
	submit_at(net, 1, 6, s, 2);
	net_hdr(gp(BUF), 1, 1, 66, 0, 34, 16);		/* gso_size 0 */
	submit_at(net, 1, 8, s, 2);
	CHECK_EQ(used_idx_q(1), 5);
	CHECK_EQ(used_len_q(1, 4), 0);
	CHECK_EQ(virtio_net_stats(net)->tx_bad_hdr, 4);
	CHECK_EQ(virtio_net_stats(net)->tx_dropped, 4);
	CHECK(recv(net_peer, got, sizeof(got), MSG_DONTWAIT) < 0);
	CHECK_EQ(rd(net, 0x14, 1) & VIRTIO_S_NEEDS_RESET, 0);
	/* The device goes on: the next good one is sent. */
	net_hdr(gp(BUF), 1, 0, 0, 0, 34, 16);
	submit_at(net, 1, 10, s, 2);
	CHECK_EQ(recv(net_peer, got, sizeof(got), MSG_DONTWAIT), 12 + 3000);
	CHECK_EQ(virtio_net_stats(net)->tx_packets, 2);

	/* Receive: a GSO packet with a partial checksum, 10000 bytes. */
	net_hdr(pkt, 1, 1, 66, 1448, 34, 16);
	pkt[10] = 0x77;
	for (i = 12; i < sizeof(pkt); i++)
		pkt[i] = (uint8_t)(i * 13);
	CHECK_EQ(send(net_peer, pkt, sizeof(pkt), 0), (ssize_t)sizeof(pkt));
	for (i = 0; i < 3; i++)
		memset(gp(big[i].gpa), 0xee, big[i].len);
	submit_at(net, 0, 0, big, 3);
	CHECK_EQ(used_idx_q(0), 1);
	CHECK_EQ(used_len_q(0, 0), 12 + 10000);
	pkt[10] = 1;				/* num_buffers */
	CHECK(!memcmp(gp(BUF + 0x4000), pkt, 12 + 4084));
	CHECK(!memcmp(gp(BUF + 0x6000), pkt + 12 + 4084, 4096));
	CHECK(!memcmp(gp(BUF + 0x8000), pkt + 12 + 4084 + 4096, 10000 - 8180));
	CHECK_EQ(virtio_net_stats(net)->rx_packets, 1);
	net_done();

	/*
	 * A driver that took no guest offloads: a packet the tap queued
	 * with GSO or NEEDS_CSUM is dropped, DATA_VALID is cleared.
	 */
	net_features = NET_FEATURES | F_CSUM | F_HOST_TSO4;
	net_machine();
	CHECK_EQ(send(net_peer, pkt, sizeof(pkt), 0), (ssize_t)sizeof(pkt));
	net_hdr(pkt, 1, 0, 0, 0, 34, 16);
	CHECK_EQ(send(net_peer, pkt, 12 + 60, 0), 12 + 60);
	net_hdr(pkt, 2, 0, 0, 0, 0, 0);
	CHECK_EQ(send(net_peer, pkt, 12 + 60, 0), 12 + 60);
	rx_buffer(0, BUF, 1526);
	CHECK_EQ(used_idx_q(0), 1);
	CHECK_EQ(used_len_q(0, 0), 12 + 60);
	CHECK(rx_got(BUF, pkt + 12, 60));	/* flags 0, num_buffers 1 */
	CHECK_EQ(virtio_net_stats(net)->rx_bad_hdr, 2);
	CHECK_EQ(virtio_net_stats(net)->rx_dropped, 2);
	net_done();
	net_tap = 0;
	net_features = NET_FEATURES;
}

int main(void)
{
	static const struct tap_case cases[] = {
		TAP_CASE(test_config_mechanisms),
		TAP_CASE(test_bar),
		TAP_CASE(test_caps),
		TAP_CASE(test_status),
		TAP_CASE(test_queue_setup),
		TAP_CASE(test_blk_rw),
		TAP_CASE(test_blk_write_then_flush),
		TAP_CASE(test_blk_discard),
		TAP_CASE(test_blk_bad_requests),
		TAP_CASE(test_blk_read_only),
		TAP_CASE(test_blk_hostile_chains),
		TAP_CASE(test_blk_limits),
		TAP_CASE(test_msix_mask),
		TAP_CASE(test_pci_cfg_window),
		TAP_CASE(test_rng),
		TAP_CASE(test_net_config),
		TAP_CASE(test_net_tx),
		TAP_CASE(test_net_rx_no_buffers),
		TAP_CASE(test_net_rx_hostile),
		TAP_CASE(test_net_hdr_check),
		TAP_CASE(test_net_offloads),
	};

	int r = tap_run("vmmd/virtio", cases, TAP_COUNT(cases));

	virtio_pci_free(rng);
	virtio_pci_free(blk);
	if (net_peer >= 0)
		close(net_peer);
	guest_mem_free(&mem);
	return r;
}
