/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 10 (userspace only): the split virtqueue and the virtio-blk
 * request decode, for vmmd's virtio devices.
 *
 * Where it runs.  vmmd, not lamina.ko: the module has no virtio device, and
 * least privilege keeps guest-ring parsing out of the kernel.  The layer is
 * in LIBVMM_USER_SRCS (libvmm/sources.mk), which verify.sh proves and the
 * userspace libvmm.a holds, and which Kbuild does not compile.
 *
 * Guest RAM (struct vmm_guest_ram) as vmmd lays it out (vmmd/mem.h): one
 * host buffer host[0 .. size); GPA [0, low_size) is host offset gpa, GPA
 * [4 GiB, 4 GiB + size - low_size) is host offset low_size + (gpa - 4 GiB).
 * Nothing else is RAM (no ring or buffer may sit in the 3-4 GiB hole or in
 * MMIO).  vmm_guest_ram_range() turns a whole range [gpa, gpa + len) into
 * one host offset, or fails: every byte must be RAM, in one of the two
 * parts, and gpa + len may not wrap.  Every guest address the layer uses
 * goes through it.
 *
 * The rings (virtio 1.2, 2.7 "Split Virtqueues"; layout 2.7.5-2.7.8):
 *   descriptor table  desc_gpa,  16-byte aligned, 16 * size bytes:
 *                     { le64 addr; le32 len; le16 flags; le16 next; }
 *   available ring    avail_gpa, 2-byte aligned, 6 + 2 * size bytes:
 *                     { le16 flags; le16 idx; le16 ring[size];
 *                       le16 used_event; }
 *   used ring         used_gpa,  4-byte aligned, 6 + 8 * size bytes:
 *                     { le16 flags; le16 idx;
 *                       { le32 id; le32 len; } ring[size];
 *                       le16 avail_event; }
 * size is a power of two, 1 .. 32768 (2.7 "Queue Size").  The host is
 * x86-64, little-endian like virtio 1.x: fields are read as they are.
 * VIRTIO_F_EVENT_IDX is not supported (the device must not offer it):
 * used_event/avail_event are inside the checked ranges but never read or
 * written.  Packed rings are not supported.
 *
 * Guest memory can change at any time (another vCPU).  The proof treats
 * every read of guest memory as returning an arbitrary value, and every
 * guarantee below holds whatever the values are.  Each guest field is read
 * exactly once, through one helper per width (virtq.c), into a local copy;
 * the copy is validated, then used (no double fetch).  The helpers access
 * guest memory through volatile lvalues so the compiler cannot re-load it.
 *
 * Memory ordering is the caller's (virtio 1.2, 2.7.13): the layer has no
 * barriers, the proof has no concurrency model.  The protocol is split at
 * the points where a barrier is needed:
 *   1. vmm_virtq_avail_idx()  reads avail->idx once;
 *      caller: acquire fence (x86-64: a compiler barrier), so the ring
 *      and descriptor reads below are not done before it;
 *   2. vmm_virtq_pop()        given that idx, takes one chain;
 *   3. vmm_virtq_push()       writes one used element (id, len);
 *      caller: release fence, so the element is visible before the index;
 *   4. vmm_virtq_publish()    writes used->idx;
 *      caller: full fence before deciding to interrupt the driver.
 * vmmd uses atomic_thread_fence() from <stdatomic.h> for the three.
 * One thread works a queue at a time (the caller's lock).
 *
 * pop() walks one chain: head index from avail->ring[last_avail_idx % size],
 * then descriptors by next.  Each descriptor is copied once (16 bytes, four
 * reads), then checked:
 *   - head and every next < size (direct) or < the table's entry count
 *     (indirect);
 *   - at most size descriptors in the direct chain and at most n entries in
 *     an indirect table of n entries: a loop ends as ERR_LOOP, not as a
 *     hang (2.7.5.2: no chain longer than the queue size);
 *   - len != 0 (as QEMU: a zero-sized buffer is an error);
 *   - [addr, addr + len) is RAM, no wraparound (vmm_guest_ram_range);
 *   - device-readable buffers before device-writable ones (2.7.4.2);
 *   - the chain's total length fits in 32 bits (2.7.5.2: "Drivers MUST NOT
 *     add a descriptor chain longer than 2^32 bytes in total");
 *   - INDIRECT (2.7.5.3): only if the queue has indirect set (feature
 *     VIRTIO_F_INDIRECT_DESC negotiated); not together with NEXT; the last
 *     descriptor of a direct chain (zero or more direct descriptors then one
 *     indirect one is valid, 2.7.5.3.2); len a nonzero multiple of 16; the
 *     table is RAM; no INDIRECT inside the table; the WRITE flag of the
 *     indirect descriptor itself is ignored (2.7.5.3.2);
 *   - at most cap buffers (the caller's array): ERR_TOO_MANY.
 * Unknown flag bits are ignored.  On any error nothing of the queue state
 * changes (the device then sets DEVICE_NEEDS_RESET, 2.1.2); bufs[] and
 * *chain may have been written.
 *
 * The virtio-blk request (virtio 1.2, 5.2.6): header
 *   { le32 type; le32 reserved; le64 sector; }  16 bytes, device-readable
 * then the data buffers, then one status byte, device-writable.  Accepted
 * layout (the one Linux, OVMF and SeaBIOS send; the spec's any-layout
 * freedom beyond it is refused, see vmm_virtio_blk_decode): buffer 0 is
 * exactly the header, the last buffer is exactly the status byte, the
 * buffers between are the data.
 */
#ifndef LIBVMM_VIRTQ_H
#define LIBVMM_VIRTQ_H

#include <libvmm/types.h>

/* Guest RAM above the PC hole starts at 4 GiB (vmmd/mem.h MEM_HIGH_BASE). */
#define VMM_RAM_HIGH_BASE 0x100000000ULL
/* Largest RAM the layer accepts: 2^46 bytes (64 TiB), so that 4 GiB plus
 * the high part never nears 2^64. */
#define VMM_RAM_SIZE_MAX 0x400000000000ULL

/* Largest queue (virtio 1.2, 2.7: "Queue Size ... maximum 32768"). */
#define VMM_VIRTQ_SIZE_MAX 32768U

/* Descriptor flags (2.7.5). */
#define VMM_VIRTQ_DESC_F_NEXT 1U
#define VMM_VIRTQ_DESC_F_WRITE 2U
#define VMM_VIRTQ_DESC_F_INDIRECT 4U
/* Size of one descriptor in the table and in an indirect table. */
#define VMM_VIRTQ_DESC_SIZE 16U

/* virtio-blk (5.2.6). */
#define VMM_VIRTIO_BLK_T_IN 0U
#define VMM_VIRTIO_BLK_T_OUT 1U
#define VMM_VIRTIO_BLK_T_FLUSH 4U
#define VMM_VIRTIO_BLK_T_GET_ID 8U
#define VMM_VIRTIO_BLK_T_DISCARD 11U
#define VMM_VIRTIO_BLK_T_WRITE_ZEROES 13U
#define VMM_VIRTIO_BLK_S_OK 0U
#define VMM_VIRTIO_BLK_S_IOERR 1U
#define VMM_VIRTIO_BLK_S_UNSUPP 2U
#define VMM_VIRTIO_BLK_HDR_SIZE 16U
#define VMM_VIRTIO_BLK_SECTOR_SIZE 512U
/* GET_ID answers with up to 20 bytes (5.2.6: VIRTIO_BLK_ID_BYTES). */
#define VMM_VIRTIO_BLK_ID_BYTES 20U
/* One DISCARD / WRITE_ZEROES segment (5.2.6: struct
 * virtio_blk_discard_write_zeroes): { le64 sector; le32 num_sectors;
 * le32 flags; }; flags bit 0 is unmap, the others are reserved. */
#define VMM_VIRTIO_BLK_SEG_SIZE 16U
#define VMM_VIRTIO_BLK_SEG_F_UNMAP 1U

/* Guest RAM as vmmd maps it (see the top of this file). */
struct vmm_guest_ram {
	vmm_u8 *host;     /* size bytes, low part then high part */
	vmm_u64 size;     /* total RAM bytes, <= VMM_RAM_SIZE_MAX */
	vmm_u64 low_size; /* bytes at GPA 0, <= size and <= 4 GiB */
};

/*
 * One queue.  The transport (virtio-pci common config) writes size,
 * desc_gpa, avail_gpa, used_gpa and indirect while the queue is disabled,
 * then calls vmm_virtq_enable(); the layer owns the rest.  Zero it at
 * device reset (all fields 0 is a disabled queue).
 */
struct vmm_virtq {
	vmm_u32 size;           /* queue size (queue_size register) */
	vmm_u32 indirect;       /* 1: VIRTIO_F_INDIRECT_DESC negotiated */
	vmm_u64 desc_gpa;       /* queue_desc */
	vmm_u64 avail_gpa;      /* queue_driver */
	vmm_u64 used_gpa;       /* queue_device */
	/* Layer state: */
	vmm_u32 ready;          /* set by vmm_virtq_enable() */
	vmm_u16 last_avail_idx; /* next avail->ring entry to take */
	vmm_u16 used_idx;       /* next used->ring entry; used->idx after
				 * vmm_virtq_publish() */
	vmm_u32 in_flight;      /* chains popped, not pushed yet (<= size) */
};

/* One buffer of a chain, validated: [off, off + len) lies in ram->host. */
struct vmm_virtq_buf {
	vmm_u64 off;   /* host offset: ram->host + off */
	vmm_u32 len;   /* bytes, >= 1 */
	vmm_u32 write; /* 1: device-writable, 0: device-readable */
};

/* A popped chain: bufs[0 .. n - 1], the first n_read device-readable, the
 * rest device-writable. */
struct vmm_virtq_chain {
	vmm_u16 head;      /* descriptor index: give it back to push() */
	vmm_u32 n;         /* buffers, 1 .. cap */
	vmm_u32 n_read;    /* device-readable buffers, first in bufs[] */
	vmm_u32 read_len;  /* bytes in the readable buffers */
	vmm_u32 write_len; /* bytes in the writable buffers; read_len +
			    * write_len <= 2^32 - 1 */
};

enum vmm_virtq_err {
	VMM_VIRTQ_OK = 0,
	VMM_VIRTQ_EMPTY = 1,              /* pop: no new chain (not an error) */
	VMM_VIRTQ_ERR_NULL = 2,           /* a pointer argument is NULL */
	VMM_VIRTQ_ERR_RAM = 3,            /* ram: low_size > size, low_size >
					   * 4 GiB or size > VMM_RAM_SIZE_MAX */
	VMM_VIRTQ_ERR_RANGE = 4,          /* range not all RAM, or wraps */
	VMM_VIRTQ_ERR_SIZE = 5,           /* queue size 0, > 32768 or not a
					   * power of two */
	VMM_VIRTQ_ERR_ALIGN = 6,          /* a ring GPA misaligned */
	VMM_VIRTQ_ERR_RING_RANGE = 7,     /* a ring not all RAM */
	VMM_VIRTQ_ERR_NOT_READY = 8,      /* queue not enabled */
	VMM_VIRTQ_ERR_AVAIL_IDX = 9,      /* avail->idx ran more than size
					   * ahead of last_avail_idx */
	VMM_VIRTQ_ERR_HEAD = 10,          /* head index >= size (pop), id >=
					   * size (push) */
	VMM_VIRTQ_ERR_NEXT = 11,          /* next index out of its table */
	VMM_VIRTQ_ERR_LOOP = 12,          /* chain longer than its table */
	VMM_VIRTQ_ERR_LEN_ZERO = 13,      /* a buffer of length 0 */
	VMM_VIRTQ_ERR_BUF_RANGE = 14,     /* a buffer not all RAM, or wraps */
	VMM_VIRTQ_ERR_ORDER = 15,         /* readable after writable */
	VMM_VIRTQ_ERR_TOTAL_LEN = 16,     /* chain total > 2^32 - 1 bytes */
	VMM_VIRTQ_ERR_INDIRECT_FEATURE = 17, /* INDIRECT not negotiated */
	VMM_VIRTQ_ERR_INDIRECT_NEXT = 18, /* INDIRECT together with NEXT */
	VMM_VIRTQ_ERR_INDIRECT_LEN = 19,  /* len 0 or not a multiple of 16 */
	VMM_VIRTQ_ERR_INDIRECT_RANGE = 20, /* table not all RAM, or wraps */
	VMM_VIRTQ_ERR_INDIRECT_NESTED = 21, /* INDIRECT inside a table */
	VMM_VIRTQ_ERR_TOO_MANY = 22,      /* more than cap buffers */
	VMM_VIRTQ_ERR_OVERRUN = 23,       /* pop with size chains in flight,
					   * or push with none */
	VMM_VIRTQ_ERR_CAP = 24            /* cap == 0 */
};

/* What the device does with a decoded request. */
struct vmm_virtio_blk_req {
	vmm_u32 type;       /* VMM_VIRTIO_BLK_T_IN, _OUT, _FLUSH, _GET_ID,
			     * _DISCARD or _WRITE_ZEROES */
	vmm_u64 sector;     /* first 512-byte sector (IN, OUT) */
	vmm_u64 status_off; /* host offset of the status byte (written
			     * whenever the layout is accepted, see below) */
	vmm_u32 data_first; /* data = bufs[data_first .. data_first +
			     * data_count - 1] of the chain */
	vmm_u32 data_count;
	vmm_u32 data_len;   /* their total length in bytes */
};

enum vmm_virtio_blk_err {
	VMM_VIRTIO_BLK_OK = 0,
	VMM_VIRTIO_BLK_ERR_NULL = 1,        /* a pointer argument is NULL */
	/* Layout errors: no status byte to answer in; the device should
	 * set DEVICE_NEEDS_RESET (and push the chain with len 0). */
	VMM_VIRTIO_BLK_ERR_CHAIN = 2,       /* ram not accepted, n < 2,
					     * n > cap, or a buffer empty
					     * or outside ram */
	VMM_VIRTIO_BLK_ERR_HDR = 3,         /* bufs[0] not readable or its
					     * length is not 16 */
	VMM_VIRTIO_BLK_ERR_STATUS = 4,      /* last buffer not writable or
					     * its length is not 1 */
	/* Request errors: status_off is valid; the device writes the
	 * status named and pushes the chain with len 1. */
	VMM_VIRTIO_BLK_ERR_TYPE = 5,        /* unknown type: UNSUPP */
	VMM_VIRTIO_BLK_ERR_DIRECTION = 6,   /* data readable/writable the
					     * wrong way for the type: IOERR */
	VMM_VIRTIO_BLK_ERR_DATA_LEN = 7,    /* IN/OUT data not a multiple of
					     * 512, FLUSH with data, GET_ID
					     * without data, DISCARD /
					     * WRITE_ZEROES data not one
					     * buffer of whole segments, or
					     * more segments than allowed:
					     * IOERR */
	VMM_VIRTIO_BLK_ERR_BEYOND = 8,      /* sector + data sectors >
					     * capacity: IOERR */
	VMM_VIRTIO_BLK_ERR_READ_ONLY = 9,   /* OUT, DISCARD or WRITE_ZEROES
					     * on a read-only disk: IOERR
					     * (5.2.6.2) */
	/* Segment errors (vmm_virtio_blk_seg): */
	VMM_VIRTIO_BLK_ERR_FLAGS = 10,      /* a reserved flag bit, or unmap
					     * on DISCARD: UNSUPP (5.2.6.2
					     * "MUST set the status byte to
					     * VIRTIO_BLK_S_UNSUPP") */
	VMM_VIRTIO_BLK_ERR_SECTORS = 11     /* num_sectors above the
					     * advertised maximum: IOERR */
};

/* One DISCARD / WRITE_ZEROES segment, checked. */
struct vmm_virtio_blk_seg {
	vmm_u64 sector; /* first 512-byte sector */
	vmm_u32 num;    /* sectors; sector + num <= capacity */
	vmm_u32 unmap;  /* 1: the device may deallocate (WRITE_ZEROES) */
};

/* Host offsets of a queue's three rings (internal to virtq.c; here so that
 * the model can speak of it). */
struct virtq__rings {
	vmm_u64 desc;
	vmm_u64 avail;
	vmm_u64 used;
};

#ifdef __FRAMAC__
#include "virtq.acsl"
#endif

/*
 * Guest-memory access, the layer's only contact with guest memory
 * (libvmm/virtq_io.c: trusted, not proved; one volatile load or store
 * each, little-endian, any alignment).  The contracts say which host bytes
 * are touched and nothing about the value read: the proofs take it as
 * arbitrary, a fresh value on every call.
 */
/*@ requires \valid_read(p + (0 .. 1));
  @ assigns \nothing;
  @*/
vmm_u16 vmm_guest_read16(const vmm_u8 *p);

/*@ requires \valid_read(p + (0 .. 3));
  @ assigns \nothing;
  @*/
vmm_u32 vmm_guest_read32(const vmm_u8 *p);

/*@ requires \valid_read(p + (0 .. 7));
  @ assigns \nothing;
  @*/
vmm_u64 vmm_guest_read64(const vmm_u8 *p);

/*@ requires \valid(p + (0 .. 1));
  @ assigns p[0 .. 1];
  @*/
void vmm_guest_write16(vmm_u8 *p, vmm_u16 v);

/*@ requires \valid(p + (0 .. 3));
  @ assigns p[0 .. 3];
  @*/
void vmm_guest_write32(vmm_u8 *p, vmm_u32 v);

/*
 * Host offset of guest range [gpa, gpa + len), len >= 1, if every byte of
 * it is RAM in one part (low or high).  ERR_RAM if *ram is not a layout
 * the layer accepts; ERR_RANGE otherwise.  *off written only on success.
 */
/*@ requires ram == \null || \valid_read(ram);
  @ requires off == \null || \valid(off);
  @ requires ram != \null && off != \null ==> \separated(ram, off);
  @
  @ assigns *off;
  @
  @ ensures ram == \null || off == \null <==> \result == VMM_VIRTQ_ERR_NULL;
  @ ensures ram != \null && off != \null && !ram_ok(*ram) ==>
  @           \result == VMM_VIRTQ_ERR_RAM;
  @ ensures \result == VMM_VIRTQ_OK <==>
  @           ram != \null && off != \null && ram_ok(*ram) &&
  @           in_ram(*ram, gpa, len);
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           *off == ram_off(*ram, gpa) && *off + len <= ram->size;
  @ ensures \result != VMM_VIRTQ_OK && off != \null ==> *off == \old(*off);
  @ ensures \result == VMM_VIRTQ_OK || \result == VMM_VIRTQ_ERR_NULL ||
  @         \result == VMM_VIRTQ_ERR_RAM || \result == VMM_VIRTQ_ERR_RANGE;
  @*/
enum vmm_virtq_err vmm_guest_ram_range(const struct vmm_guest_ram *ram,
				       vmm_u64 gpa, vmm_u64 len, vmm_u64 *off);

/*
 * Validate the queue the driver configured (call when it writes
 * queue_enable = 1): size, the alignment of the three rings, each ring
 * entirely RAM.  On success ready = 1, last_avail_idx = used_idx =
 * in_flight = 0.  On error the queue is unchanged.
 */
/*@ requires q == \null || \valid(q);
  @ requires ram == \null || \valid_read(ram);
  @ requires q != \null && ram != \null ==> \separated(q, ram);
  @
  @ assigns *q;
  @
  @ ensures q == \null || ram == \null <==> \result == VMM_VIRTQ_ERR_NULL;
  @ ensures \result == VMM_VIRTQ_OK <==>
  @           q != \null && ram != \null && virtq_rings_ok{Pre}(q, ram);
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           q->ready == 1 && q->last_avail_idx == 0 && q->used_idx == 0 &&
  @           q->in_flight == 0 && q->size == \old(q->size) &&
  @           q->indirect == \old(q->indirect) &&
  @           q->desc_gpa == \old(q->desc_gpa) &&
  @           q->avail_gpa == \old(q->avail_gpa) &&
  @           q->used_gpa == \old(q->used_gpa);
  @ ensures \result != VMM_VIRTQ_OK && q != \null ==>
  @           virtq_state_eq(*q, \old(*q));
  @ ensures \result == VMM_VIRTQ_OK || \result == VMM_VIRTQ_ERR_NULL ||
  @         \result == VMM_VIRTQ_ERR_RAM || \result == VMM_VIRTQ_ERR_SIZE ||
  @         \result == VMM_VIRTQ_ERR_ALIGN ||
  @         \result == VMM_VIRTQ_ERR_RING_RANGE;
  @*/
enum vmm_virtq_err vmm_virtq_enable(struct vmm_virtq *q,
				    const struct vmm_guest_ram *ram);

/*
 * Step 1: read avail->idx once into *idx.  Needs a ready queue (and every
 * check of enable, made again).  Then an acquire fence, then
 * vmm_virtq_pop() with that value.
 */
/*@ requires q == \null || \valid_read(q);
  @ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid_read(ram->host + (0 .. ram->size - 1));
  @ requires idx == \null || \valid(idx);
  @ requires q != \null && idx != \null ==> \separated(q, idx);
  @ requires ram != \null && idx != \null ==> \separated(ram, idx);
  @
  @ assigns *idx;
  @
  @ ensures q == \null || ram == \null || idx == \null <==>
  @           \result == VMM_VIRTQ_ERR_NULL;
  @ ensures \result == VMM_VIRTQ_OK <==>
  @           q != \null && ram != \null && idx != \null && q->ready == 1 &&
  @           virtq_rings_ok(q, ram);
  @ ensures \result != VMM_VIRTQ_OK && idx != \null ==> *idx == \old(*idx);
  @*/
enum vmm_virtq_err vmm_virtq_avail_idx(const struct vmm_virtq *q,
				       const struct vmm_guest_ram *ram,
				       vmm_u16 *idx);

/*
 * Step 2: take the next chain if avail_idx (from step 1) is ahead of
 * last_avail_idx.  EMPTY if not.  On OK, bufs[0 .. chain->n - 1] and
 * *chain describe it, last_avail_idx and in_flight are one more.  Every
 * check is listed at the top; on any error the queue state is unchanged.
 * bufs has room for cap >= 1 buffers.
 */
/*@ requires q == \null || \valid(q);
  @ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid_read(ram->host + (0 .. ram->size - 1));
  @ requires bufs == \null || \valid(bufs + (0 .. cap - 1));
  @ requires chain == \null || \valid(chain);
  @ requires q != \null && ram != \null && bufs != \null && chain != \null ==>
  @            \separated(q, ram, chain, bufs + (0 .. cap - 1));
  @
  @ assigns q->last_avail_idx, q->in_flight, bufs[0 .. cap - 1], *chain;
  @
  @ ensures q == \null || ram == \null || bufs == \null || chain == \null <==>
  @           \result == VMM_VIRTQ_ERR_NULL;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           chain_ok(ram->size, bufs, chain, cap, q->size);
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           q->ready == 1 && virtq_rings_ok(q, ram);
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           q->last_avail_idx == (\old(q->last_avail_idx) + 1) % 65536;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           q->in_flight == \old(q->in_flight) + 1 &&
  @           q->in_flight <= q->size;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           1 <= (avail_idx + 65536 - \old(q->last_avail_idx)) % 65536 <=
  @             q->size;
  @ ensures \result != VMM_VIRTQ_OK && q != \null ==>
  @           virtq_state_eq(*q, \old(*q));
  @ ensures \result == VMM_VIRTQ_EMPTY ==> avail_idx == q->last_avail_idx;
  @ ensures \result == VMM_VIRTQ_ERR_AVAIL_IDX ==>
  @           (avail_idx + 65536 - q->last_avail_idx) % 65536 > q->size;
  @ ensures \result == VMM_VIRTQ_ERR_NOT_READY ==> q->ready != 1;
  @ ensures \result == VMM_VIRTQ_ERR_CAP ==> cap == 0;
  @*/
enum vmm_virtq_err vmm_virtq_pop(struct vmm_virtq *q,
				 const struct vmm_guest_ram *ram,
				 vmm_u16 avail_idx, struct vmm_virtq_buf *bufs,
				 vmm_u32 cap, struct vmm_virtq_chain *chain);

/*
 * Step 3: put (head, len) in used->ring[used_idx % size]; used_idx one
 * more, in_flight one less.  len is the number of bytes the device wrote
 * into the chain's writable buffers.  ERR_HEAD if head >= size,
 * ERR_OVERRUN if no chain is in flight.  Writes those 8 bytes of guest
 * memory and nothing else; not used->idx.
 */
/*@ requires q == \null || \valid(q);
  @ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid(ram->host + (0 .. ram->size - 1));
  @ requires q != \null && ram != \null ==> \separated(q, ram);
  @ requires q != \null && ram != \null && ram_ok(*ram) ==>
  @            \separated(q, ram->host + (0 .. ram->size - 1));
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \separated(ram, ram->host + (0 .. ram->size - 1));
  @
  @ assigns q->used_idx, q->in_flight,
  @         ram->host[ram_off(*ram, q->used_gpa) + 4 +
  @                   8 * (q->used_idx % q->size) ..
  @                   ram_off(*ram, q->used_gpa) + 4 +
  @                   8 * (q->used_idx % q->size) + 7];
  @
  @ ensures q == \null || ram == \null <==> \result == VMM_VIRTQ_ERR_NULL;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @           \old(q->ready) == 1 && virtq_rings_ok(q, ram) &&
  @           head < q->size && \old(q->in_flight) >= 1 &&
  @           q->used_idx == (\old(q->used_idx) + 1) % 65536 &&
  @           q->in_flight == \old(q->in_flight) - 1;
  @ ensures \result != VMM_VIRTQ_OK && q != \null ==>
  @           virtq_state_eq(*q, \old(*q));
  @ ensures \result == VMM_VIRTQ_ERR_HEAD ==> head >= q->size;
  @ ensures \result == VMM_VIRTQ_ERR_OVERRUN ==> q->in_flight == 0;
  @*/
enum vmm_virtq_err vmm_virtq_push(struct vmm_virtq *q,
				  const struct vmm_guest_ram *ram,
				  vmm_u16 head, vmm_u32 len);

/* Step 4: used->idx = used_idx (after a release fence).  Writes those two
 * bytes of guest memory and nothing else. */
/*@ requires q == \null || \valid_read(q);
  @ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid(ram->host + (0 .. ram->size - 1));
  @ requires q != \null && ram != \null && ram_ok(*ram) ==>
  @            \separated(q, ram->host + (0 .. ram->size - 1));
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \separated(ram, ram->host + (0 .. ram->size - 1));
  @
  @ assigns ram->host[ram_off(*ram, q->used_gpa) + 2 ..
  @                   ram_off(*ram, q->used_gpa) + 3];
  @
  @ ensures q == \null || ram == \null <==> \result == VMM_VIRTQ_ERR_NULL;
  @ ensures \result == VMM_VIRTQ_OK <==>
  @           q != \null && ram != \null && q->ready == 1 &&
  @           virtq_rings_ok(q, ram);
  @*/
enum vmm_virtq_err vmm_virtq_publish(const struct vmm_virtq *q,
				     const struct vmm_guest_ram *ram);

/*
 * Decode the virtio-blk request in a popped chain (bufs, chain from
 * vmm_virtq_pop(), cap the same).  capacity: the disk's size in 512-byte
 * sectors; read_only: 1 if VIRTIO_BLK_F_RO is offered.  Reads the 16-byte
 * header once.  On OK *req says what to do; on a request error (see the
 * enum) req->status_off is valid and the other fields are not; on a
 * layout error nothing of *req is valid.  Nothing of bufs or chain is
 * trusted: each buffer used is checked against ram again.  Checks, in
 * order: layout (ERR_CHAIN: ram not accepted, n < 2, n > cap, a buffer
 * empty or outside ram; ERR_HDR; ERR_STATUS), type (ERR_TYPE), direction
 * (IN, GET_ID: data writable; OUT, DISCARD, WRITE_ZEROES: data readable),
 * data length (IN/OUT: a multiple of 512 and below 2^32; FLUSH: none;
 * GET_ID: at least one byte; DISCARD, WRITE_ZEROES: exactly one buffer, a
 * whole number of 16-byte segments), bounds (IN, OUT: sector + data_len /
 * 512 <= capacity, no overflow), read-only (OUT, DISCARD, WRITE_ZEROES).
 * FLUSH, DISCARD and WRITE_ZEROES ignore the header's sector; the
 * segments of DISCARD / WRITE_ZEROES are read one at a time with
 * vmm_virtio_blk_seg().  Whether the feature was negotiated is the
 * device's to check (answer UNSUPP if not).
 */
/*@ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid_read(ram->host + (0 .. ram->size - 1));
  @ requires bufs == \null || \valid_read(bufs + (0 .. cap - 1));
  @ requires chain == \null || \valid_read(chain);
  @ requires req == \null || \valid(req);
  @ requires ram != \null && bufs != \null && chain != \null && req != \null
  @            ==> \separated(req, ram, chain, bufs + (0 .. cap - 1));
  @
  @ assigns *req;
  @
  @ ensures ram == \null || bufs == \null || chain == \null || req == \null
  @           <==> \result == VMM_VIRTIO_BLK_ERR_NULL;
  @ ensures \result == VMM_VIRTIO_BLK_OK ==> blk_type_ok(req->type);
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           2 <= chain->n <= cap && req->data_first == 1 &&
  @           req->data_count == chain->n - 2;
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           req->data_len == bufs_sum{Pre}(bufs, 1, \old(chain->n) - 1);
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           \forall integer i; 1 <= i < \old(chain->n) - 1 ==>
  @             buf_ok{Pre}(\old(ram->size), bufs + i);
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           \forall integer i; 1 <= i < chain->n - 1 ==>
  @             bufs[i].write == blk_data_write(req->type);
  @ ensures \result == VMM_VIRTIO_BLK_OK &&
  @         (req->type == VMM_VIRTIO_BLK_T_IN ||
  @          req->type == VMM_VIRTIO_BLK_T_OUT) ==>
  @           req->data_len % VMM_VIRTIO_BLK_SECTOR_SIZE == 0 &&
  @           req->sector + req->data_len / VMM_VIRTIO_BLK_SECTOR_SIZE <=
  @             capacity;
  @ ensures \result == VMM_VIRTIO_BLK_OK && blk_type_modifies(req->type)
  @           ==> read_only == 0;
  @ ensures \result == VMM_VIRTIO_BLK_OK && blk_type_dwz(req->type) ==>
  @           req->data_count == 1 &&
  @           req->data_len >= VMM_VIRTIO_BLK_SEG_SIZE &&
  @           req->data_len % VMM_VIRTIO_BLK_SEG_SIZE == 0;
  @ ensures \result == VMM_VIRTIO_BLK_OK &&
  @         req->type == VMM_VIRTIO_BLK_T_FLUSH ==> req->data_count == 0;
  @ ensures \result == VMM_VIRTIO_BLK_OK &&
  @         req->type == VMM_VIRTIO_BLK_T_GET_ID ==> req->data_len >= 1;
  @ ensures \result == VMM_VIRTIO_BLK_OK || \result >= VMM_VIRTIO_BLK_ERR_TYPE
  @           ==> 2 <= chain->n <= cap && ram_ok(*ram) &&
  @               req->status_off == bufs[chain->n - 1].off &&
  @               req->status_off + 1 <= ram->size &&
  @               bufs[chain->n - 1].write == 1 &&
  @               bufs[chain->n - 1].len == 1;
  @ ensures VMM_VIRTIO_BLK_OK <= \result <= VMM_VIRTIO_BLK_ERR_READ_ONLY;
  @*/
enum vmm_virtio_blk_err
vmm_virtio_blk_decode(const struct vmm_guest_ram *ram,
		      const struct vmm_virtq_buf *bufs, vmm_u32 cap,
		      const struct vmm_virtq_chain *chain, vmm_u64 capacity,
		      vmm_u32 read_only, struct vmm_virtio_blk_req *req);

/*
 * Read and check segment idx of a DISCARD or WRITE_ZEROES request: the
 * 16 bytes at data->off + 16 * idx, read once (data: the request's one
 * data buffer, bufs[req->data_first] after vmm_virtio_blk_decode() said
 * OK; checked against ram again).  type: req->type; capacity: the disk's
 * sectors; max_sectors, max_seg: the advertised max_discard_sectors /
 * max_discard_seg or max_write_zeroes_sectors / max_write_zeroes_seg.
 * Checks, in order: ERR_CHAIN (ram not accepted, data empty, outside ram
 * or writable), ERR_TYPE (type neither DISCARD nor WRITE_ZEROES),
 * ERR_DATA_LEN (data->len not a whole number of segments, more than
 * max_seg of them, or idx not one of them), ERR_FLAGS (a reserved flag,
 * or unmap on DISCARD: 5.2.6.2), ERR_SECTORS (num_sectors > max_sectors),
 * ERR_BEYOND (sector + num_sectors > capacity, no overflow).  *seg
 * written only on OK.
 */
/*@ requires ram == \null || \valid_read(ram);
  @ requires ram != \null && ram_ok(*ram) ==>
  @            \valid_read(ram->host + (0 .. ram->size - 1));
  @ requires data == \null || \valid_read(data);
  @ requires seg == \null || \valid(seg);
  @ requires ram != \null && data != \null && seg != \null ==>
  @            \separated(seg, ram, data);
  @
  @ assigns *seg;
  @
  @ ensures ram == \null || data == \null || seg == \null <==>
  @           \result == VMM_VIRTIO_BLK_ERR_NULL;
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           ram_ok(*ram) && buf_ok(ram->size, data) && data->write == 0 &&
  @           blk_type_dwz(type) &&
  @           data->len % VMM_VIRTIO_BLK_SEG_SIZE == 0 &&
  @           data->len / VMM_VIRTIO_BLK_SEG_SIZE <= max_seg &&
  @           idx < data->len / VMM_VIRTIO_BLK_SEG_SIZE;
  @ ensures \result == VMM_VIRTIO_BLK_OK ==>
  @           seg->num <= max_sectors &&
  @           seg->sector + seg->num <= capacity &&
  @           seg->unmap <= 1 &&
  @           (type == VMM_VIRTIO_BLK_T_DISCARD ==> seg->unmap == 0);
  @ ensures \result != VMM_VIRTIO_BLK_OK && seg != \null ==>
  @           *seg == \old(*seg);
  @ ensures \result == VMM_VIRTIO_BLK_OK ||
  @         \result == VMM_VIRTIO_BLK_ERR_NULL ||
  @         \result == VMM_VIRTIO_BLK_ERR_CHAIN ||
  @         \result == VMM_VIRTIO_BLK_ERR_TYPE ||
  @         \result == VMM_VIRTIO_BLK_ERR_DATA_LEN ||
  @         \result == VMM_VIRTIO_BLK_ERR_FLAGS ||
  @         \result == VMM_VIRTIO_BLK_ERR_SECTORS ||
  @         \result == VMM_VIRTIO_BLK_ERR_BEYOND;
  @*/
enum vmm_virtio_blk_err
vmm_virtio_blk_seg(const struct vmm_guest_ram *ram,
		   const struct vmm_virtq_buf *data, vmm_u32 type, vmm_u32 idx,
		   vmm_u64 capacity, vmm_u32 max_sectors, vmm_u32 max_seg,
		   struct vmm_virtio_blk_seg *seg);

#endif /* LIBVMM_VIRTQ_H */
