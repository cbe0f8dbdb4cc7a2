// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 10 (userspace only): the split virtqueue and the virtio-blk
 * request decode.  Rules and contracts: virtq.h; abstract model:
 * acsl-specs/virtq.acsl.
 *
 * Copy, validate, use: every guest field is read once through the access
 * functions of virtq.h into a local (a descriptor into struct
 * virtq__desc), checked there, and only the checked local is used.  The
 * ring geometry is checked again on every call from the queue's GPAs, so
 * nothing a caller or the guest changed since vmm_virtq_enable() can take
 * a ring outside RAM.  Bit fields of the descriptor flags are taken with
 * / and %, not masks: the provers handle the arithmetic (gcc emits the
 * same shifts and ands).  No arithmetic wraps (verify.sh proves it with
 * -warn-unsigned-overflow).
 */
#include <libvmm/virtq.h>

/* Byte offsets inside the rings (virtio 1.2, 2.7.6 and 2.7.8). */
#define VIRTQ_AVAIL_IDX 2U
#define VIRTQ_AVAIL_RING 4U
#define VIRTQ_AVAIL_ELEM 2U
#define VIRTQ_USED_IDX 2U
#define VIRTQ_USED_RING 4U
#define VIRTQ_USED_ELEM 8U
/* Ring indices are free-running 16-bit counters (2.7.6, 2.7.8). */
#define VIRTQ_IDX_MOD 65536U
/* Alignment of the three rings (2.7 "Virtqueue alignment"). */
#define VIRTQ_DESC_ALIGN 16U
#define VIRTQ_AVAIL_ALIGN 2U
#define VIRTQ_USED_ALIGN 4U

/* One descriptor, copied out of guest memory once (2.7.5). */
struct virtq__desc {
	vmm_u64 addr;
	vmm_u32 len;
	vmm_u32 flags;
	vmm_u32 next;
};

/*@ requires \valid_read(ram);
  @ assigns \nothing;
  @ ensures \result != 0 <==> ram_ok(*ram);
  @*/
static vmm_bool virtq__ram_ok(const struct vmm_guest_ram *ram)
{
	return (ram->low_size <= ram->size) &&
	       (ram->low_size <= VMM_RAM_HIGH_BASE) &&
	       (ram->size <= VMM_RAM_SIZE_MAX);
}

enum vmm_virtq_err vmm_guest_ram_range(const struct vmm_guest_ram *ram,
				       vmm_u64 gpa, vmm_u64 len, vmm_u64 *off)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;

	if ((ram == VMM_NULL) || (off == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else if (virtq__ram_ok(ram) == VMM_FALSE) {
		err = VMM_VIRTQ_ERR_RAM;
	} else if ((len == 0U) || (len > (VMM_U64_MAX - gpa))) {
		/* Empty, or [gpa, gpa + len) would pass 2^64. */
		err = VMM_VIRTQ_ERR_RANGE;
	} else if ((gpa + len) <= ram->low_size) {
		*off = gpa;
	} else if ((gpa >= VMM_RAM_HIGH_BASE) &&
		   ((gpa + len - VMM_RAM_HIGH_BASE) <=
		    (ram->size - ram->low_size))) {
		*off = ram->low_size + (gpa - VMM_RAM_HIGH_BASE);
	} else {
		/* Partly outside RAM, or across the hole below 4 GiB. */
		err = VMM_VIRTQ_ERR_RANGE;
	}
	return err;
}

/*
 * The queue geometry: ram accepted, size a power of two up to 32768 (the
 * divisors of 32768 = 2^15), the rings aligned and entirely RAM.  On
 * success *r holds their host offsets.
 */
/*@ requires \valid_read(q) && \valid_read(ram) && \valid(r);
  @ requires \separated(r, q) && \separated(r, ram);
  @
  @ assigns *r;
  @
  @ ensures \result == VMM_VIRTQ_OK <==> virtq_rings_ok(q, ram);
  @ ensures \result == VMM_VIRTQ_OK ==> virtq_rings_at(r, q, ram);
  @ ensures \result == VMM_VIRTQ_OK || \result == VMM_VIRTQ_ERR_RAM ||
  @   \result == VMM_VIRTQ_ERR_SIZE || \result == VMM_VIRTQ_ERR_ALIGN ||
  @   \result == VMM_VIRTQ_ERR_RING_RANGE;
  @*/
static enum vmm_virtq_err virtq__rings(const struct vmm_virtq *q,
				       const struct vmm_guest_ram *ram,
				       struct virtq__rings *r)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	vmm_u64 n;

	if (virtq__ram_ok(ram) == VMM_FALSE) {
		err = VMM_VIRTQ_ERR_RAM;
	} else if ((q->size == 0U) || (q->size > VMM_VIRTQ_SIZE_MAX) ||
		   ((VMM_VIRTQ_SIZE_MAX % q->size) != 0U)) {
		err = VMM_VIRTQ_ERR_SIZE;
	} else if (((q->desc_gpa % VIRTQ_DESC_ALIGN) != 0U) ||
		   ((q->avail_gpa % VIRTQ_AVAIL_ALIGN) != 0U) ||
		   ((q->used_gpa % VIRTQ_USED_ALIGN) != 0U)) {
		err = VMM_VIRTQ_ERR_ALIGN;
	} else {
		n = q->size;
		if ((vmm_guest_ram_range(ram, q->desc_gpa,
					 VMM_VIRTQ_DESC_SIZE * n,
					 &r->desc) != VMM_VIRTQ_OK) ||
		    (vmm_guest_ram_range(ram, q->avail_gpa,
					 VIRTQ_AVAIL_RING + 2U +
						 (VIRTQ_AVAIL_ELEM * n),
					 &r->avail) != VMM_VIRTQ_OK) ||
		    (vmm_guest_ram_range(ram, q->used_gpa,
					 VIRTQ_USED_RING + 2U +
						 (VIRTQ_USED_ELEM * n),
					 &r->used) != VMM_VIRTQ_OK)) {
			err = VMM_VIRTQ_ERR_RING_RANGE;
		}
	}
	return err;
}

/* An enabled queue whose geometry still holds (checked on every call). */
/*@ requires \valid_read(q) && \valid_read(ram) && \valid(r);
  @ requires \separated(r, q) && \separated(r, ram);
  @
  @ assigns *r;
  @
  @ ensures \result == VMM_VIRTQ_OK <==>
  @   q->ready == 1 && virtq_rings_ok(q, ram);
  @ ensures \result == VMM_VIRTQ_OK ==> virtq_rings_at(r, q, ram);
  @ ensures \result == VMM_VIRTQ_ERR_NOT_READY <==> q->ready != 1;
  @ ensures \result == VMM_VIRTQ_OK || \result == VMM_VIRTQ_ERR_RAM ||
  @   \result == VMM_VIRTQ_ERR_SIZE || \result == VMM_VIRTQ_ERR_ALIGN ||
  @   \result == VMM_VIRTQ_ERR_RING_RANGE ||
  @   \result == VMM_VIRTQ_ERR_NOT_READY;
  @*/
static enum vmm_virtq_err virtq__ready(const struct vmm_virtq *q,
				       const struct vmm_guest_ram *ram,
				       struct virtq__rings *r)
{
	enum vmm_virtq_err err = VMM_VIRTQ_ERR_NOT_READY;

	if (q->ready == 1U) {
		err = virtq__rings(q, ram, r);
	}
	return err;
}

enum vmm_virtq_err vmm_virtq_enable(struct vmm_virtq *q,
				    const struct vmm_guest_ram *ram)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__rings r;

	if ((q == VMM_NULL) || (ram == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else {
		err = virtq__rings(q, ram, &r);
		if (err == VMM_VIRTQ_OK) {
			q->ready = 1U;
			q->last_avail_idx = 0U;
			q->used_idx = 0U;
			q->in_flight = 0U;
		}
	}
	return err;
}

enum vmm_virtq_err vmm_virtq_avail_idx(const struct vmm_virtq *q,
				       const struct vmm_guest_ram *ram,
				       vmm_u16 *idx)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__rings r;

	if ((q == VMM_NULL) || (ram == VMM_NULL) || (idx == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else {
		err = virtq__ready(q, ram, &r);
		if (err == VMM_VIRTQ_OK) {
			*idx = vmm_guest_read16(ram->host + r.avail +
						VIRTQ_AVAIL_IDX);
		}
	}
	return err;
}

/* Copy the descriptor at host offset @off: four reads, each field once. */
/*@ requires \valid_read(ram);
  @ requires \valid_read(ram->host + (off .. off + VMM_VIRTQ_DESC_SIZE - 1));
  @ requires \valid(d) && \separated(d, ram);
  @
  @ assigns *d;
  @
  @ ensures d->flags <= 65535 && d->next <= 65535;
  @*/
static void virtq__read_desc(const struct vmm_guest_ram *ram, vmm_u64 off,
			     struct virtq__desc *d)
{
	d->addr = vmm_guest_read64(ram->host + off);
	d->len = vmm_guest_read32(ram->host + off + 8U);
	d->flags = vmm_guest_read16(ram->host + off + 12U);
	d->next = vmm_guest_read16(ram->host + off + 14U);
}

/*
 * Write the walk's counts into *chain.  Like virtq__advance(): the frame
 * (the buffers stay as they were) is proved on this small function.
 */
/*@ requires \valid(chain) && \valid_read(bufs + (0 .. cap - 1));
  @ requires \separated(chain, bufs + (0 .. cap - 1));
  @ requires n <= cap && bufs_ok(size, bufs, n, n_read);
  @
  @ assigns chain->n, chain->n_read, chain->read_len, chain->write_len;
  @
  @ ensures chain->n == n && chain->n_read == n_read;
  @ ensures chain->read_len == read_len && chain->write_len == write_len;
  @ ensures bufs_ok(size, bufs, chain->n, chain->n_read);
  @*/
static void virtq__set_chain(struct vmm_virtq_chain *chain,
			     const struct vmm_virtq_buf *bufs, vmm_u32 cap,
			     vmm_u64 size, vmm_u32 n, vmm_u32 n_read,
			     vmm_u32 read_len, vmm_u32 write_len)
{
	(void)bufs;
	(void)cap;
	(void)size;
	chain->n = n;
	chain->n_read = n_read;
	chain->read_len = read_len;
	chain->write_len = write_len;
}

/*
 * Walk the chain that starts at descriptor @head of the table at host
 * offset @desc (@size entries) into bufs[0 .. cap - 1].  One loop over
 * the descriptors read, at most cap + 1 of them (each one either adds a
 * buffer, at most cap, or is the one indirect descriptor), so it ends
 * whatever the guest wrote.  The table being walked is [tbl, tbl + 16 *
 * tbl_n): the queue's, then an indirect one; steps counts the descriptors
 * taken from it, and a chain that would take more than tbl_n is a loop.
 */
/*@ requires \valid_read(ram) && ram_ok(*ram);
  @ requires \valid_read(ram->host + (0 .. ram->size - 1));
  @ requires 1 <= size <= VMM_VIRTQ_SIZE_MAX;
  @ requires desc + virtq_desc_bytes(size) <= ram->size;
  @ requires head < size;
  @ requires 1 <= cap && \valid(bufs + (0 .. cap - 1)) && \valid(chain);
  @ requires \separated(ram, chain, bufs + (0 .. cap - 1));
  @
  @ assigns bufs[0 .. cap - 1], chain->n, chain->n_read, chain->read_len,
  @         chain->write_len;
  @
  @ ensures \result == VMM_VIRTQ_OK ==> 1 <= chain->n <= cap;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @   bufs_ok(ram->size, bufs, chain->n, chain->n_read);
  @ ensures \result == VMM_VIRTQ_OK ==>
  @   chain->read_len + chain->write_len <= VMM_U32_MAX;
  @ ensures \result == VMM_VIRTQ_OK ||
  @   (VMM_VIRTQ_ERR_NEXT <= \result <= VMM_VIRTQ_ERR_TOO_MANY);
  @*/
static enum vmm_virtq_err virtq__walk(const struct vmm_guest_ram *ram,
				      vmm_u64 desc, vmm_u32 size,
				      vmm_u32 indirect, vmm_u32 head,
				      struct vmm_virtq_buf *bufs, vmm_u32 cap,
				      struct vmm_virtq_chain *chain)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__desc d;
	vmm_u64 tbl = desc;
	vmm_u64 off = 0U;
	vmm_u64 it = 0U;
	vmm_u32 tbl_n = size;
	vmm_u32 idx = head;
	vmm_u32 steps = 0U;
	vmm_u32 k = 0U;
	vmm_u32 n_read = 0U;
	vmm_u32 read_len = 0U;
	vmm_u32 write_len = 0U;
	vmm_u32 w = 0U;
	vmm_bool in_ind = VMM_FALSE;
	vmm_bool done = VMM_FALSE;

	/*@ loop invariant 0 <= it <= cap + 1;
	  @ loop invariant 0 <= n_read <= k <= cap;
	  @ loop invariant 1 <= tbl_n && idx < tbl_n && steps <= tbl_n;
	  @ loop invariant tbl + VMM_VIRTQ_DESC_SIZE * tbl_n <= ram->size;
	  @ loop invariant read_len + write_len <= VMM_U32_MAX;
	  @ loop invariant done != 0 ==> err == VMM_VIRTQ_OK && k >= 1;
	  @ loop invariant err == VMM_VIRTQ_OK ||
	  @   (VMM_VIRTQ_ERR_NEXT <= err <= VMM_VIRTQ_ERR_TOO_MANY);
	  @ loop invariant \forall integer i; 0 <= i < k ==> buf_ok(ram->size, bufs + i);
	  @ loop invariant \forall integer i; 0 <= i < n_read ==> bufs[i].write == 0;
	  @ loop invariant \forall integer i; n_read <= i < k ==> bufs[i].write == 1;
	  @ loop assigns it, k, n_read, tbl, tbl_n, idx, steps, read_len,
	  @   write_len, w, in_ind, done, err, d, off, bufs[0 .. cap - 1];
	  @ loop variant cap + 1 - it;
	  @*/
	while ((it <= cap) && (done == VMM_FALSE) && (err == VMM_VIRTQ_OK)) {
		it++;
		if (steps >= tbl_n) {
			/* More descriptors than the table has: a loop. */
			err = VMM_VIRTQ_ERR_LOOP;
		} else {
			steps++;
			virtq__read_desc(ram,
					 tbl + (VMM_VIRTQ_DESC_SIZE * (vmm_u64)idx),
					 &d);
			if (((d.flags / VMM_VIRTQ_DESC_F_INDIRECT) % 2U) != 0U) {
				if (in_ind != VMM_FALSE) {
					err = VMM_VIRTQ_ERR_INDIRECT_NESTED;
				} else if (indirect == 0U) {
					err = VMM_VIRTQ_ERR_INDIRECT_FEATURE;
				} else if ((d.flags % 2U) != 0U) {
					/* NEXT: not the last of the chain. */
					err = VMM_VIRTQ_ERR_INDIRECT_NEXT;
				} else if ((d.len < VMM_VIRTQ_DESC_SIZE) ||
					   ((d.len % VMM_VIRTQ_DESC_SIZE) != 0U)) {
					err = VMM_VIRTQ_ERR_INDIRECT_LEN;
				} else if (vmm_guest_ram_range(ram, d.addr, d.len,
							       &off) !=
					   VMM_VIRTQ_OK) {
					err = VMM_VIRTQ_ERR_INDIRECT_RANGE;
				} else {
					/* Go on in the table, from entry 0
					 * (2.7.5.3.1); its WRITE flag is
					 * ignored (2.7.5.3.2). */
					/*@ assert VMM_VIRTQ_DESC_SIZE *
					  @   (d.len / VMM_VIRTQ_DESC_SIZE) <= d.len;
					  @*/
					tbl = off;
					tbl_n = d.len / VMM_VIRTQ_DESC_SIZE;
					idx = 0U;
					steps = 0U;
					in_ind = VMM_TRUE;
				}
			} else {
				w = (d.flags / VMM_VIRTQ_DESC_F_WRITE) % 2U;
				/*@ assert w == 0 || w == 1; */
				if (d.len == 0U) {
					err = VMM_VIRTQ_ERR_LEN_ZERO;
				} else if (k >= cap) {
					err = VMM_VIRTQ_ERR_TOO_MANY;
				} else if (vmm_guest_ram_range(ram, d.addr, d.len,
							       &off) !=
					   VMM_VIRTQ_OK) {
					err = VMM_VIRTQ_ERR_BUF_RANGE;
				} else if (((vmm_u64)read_len + write_len +
					    d.len) > VMM_U32_MAX) {
					err = VMM_VIRTQ_ERR_TOTAL_LEN;
				} else if ((w == 0U) && (k != n_read)) {
					/* Readable after a writable one. */
					err = VMM_VIRTQ_ERR_ORDER;
				} else {
					bufs[k].off = off;
					bufs[k].len = d.len;
					bufs[k].write = w;
					if (w != 0U) {
						write_len += d.len;
					} else {
						read_len += d.len;
						n_read++;
					}
					k++;
					/*@ assert \forall integer i; 0 <= i < k ==>
					  @   buf_ok(ram->size, bufs + i);
					  @*/
					/*@ assert \forall integer i; 0 <= i < n_read ==>
					  @   bufs[i].write == 0;
					  @*/
					/*@ assert \forall integer i; n_read <= i < k ==>
					  @   bufs[i].write == 1;
					  @*/
				}
				if (err == VMM_VIRTQ_OK) {
					if ((d.flags % 2U) == 0U) {
						done = VMM_TRUE;
					} else if (d.next >= tbl_n) {
						err = VMM_VIRTQ_ERR_NEXT;
					} else {
						idx = d.next;
					}
				}
			}
		}
	}
	/* Not reached (see above), but a walk must end with a verdict. */
	if ((err == VMM_VIRTQ_OK) && (done == VMM_FALSE)) {
		err = VMM_VIRTQ_ERR_TOO_MANY;
	}
	if (err == VMM_VIRTQ_OK) {
		virtq__set_chain(chain, bufs, cap, ram->size, k, n_read,
				 read_len, write_len);
	}
	return err;
}

/*
 * May a chain be taken?  avail->idx (as read, any value) minus
 * last_avail_idx, modulo 2^16 (2.7.6), is the number of chains the driver
 * says are waiting: 0 is EMPTY, more than size is garbage, and a driver
 * cannot have more than size chains with the device at once.
 */
/*@ requires \valid_read(q) && 1 <= q->size <= VMM_VIRTQ_SIZE_MAX;
  @ assigns \nothing;
  @ ensures \result == VMM_VIRTQ_OK || \result == VMM_VIRTQ_EMPTY ||
  @   \result == VMM_VIRTQ_ERR_AVAIL_IDX || \result == VMM_VIRTQ_ERR_OVERRUN;
  @ ensures \result == VMM_VIRTQ_OK ==>
  @   1 <= (avail_idx + 65536 - q->last_avail_idx) % 65536 <= q->size &&
  @   q->in_flight < q->size;
  @ ensures \result == VMM_VIRTQ_EMPTY ==> avail_idx == q->last_avail_idx;
  @ ensures \result == VMM_VIRTQ_ERR_AVAIL_IDX ==>
  @   (avail_idx + 65536 - q->last_avail_idx) % 65536 > q->size;
  @*/
static enum vmm_virtq_err virtq__pending(const struct vmm_virtq *q,
					 vmm_u16 avail_idx)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	vmm_u32 pending = (((vmm_u32)avail_idx + VIRTQ_IDX_MOD) -
			   q->last_avail_idx) % VIRTQ_IDX_MOD;

	if (pending == 0U) {
		err = VMM_VIRTQ_EMPTY;
	} else if (pending > q->size) {
		err = VMM_VIRTQ_ERR_AVAIL_IDX;
	} else if (q->in_flight >= q->size) {
		err = VMM_VIRTQ_ERR_OVERRUN;
	} else {
		err = VMM_VIRTQ_OK;
	}
	return err;
}

/* The head index in avail->ring[last_avail_idx % size], read once. */
/*@ requires \valid_read(q) && \valid_read(ram);
  @ requires 1 <= q->size <= VMM_VIRTQ_SIZE_MAX;
  @ requires avail + virtq_avail_bytes(q->size) <= ram->size;
  @ requires \valid_read(ram->host + (0 .. ram->size - 1));
  @ assigns \nothing;
  @ ensures \result <= 65535;
  @*/
static vmm_u32 virtq__head(const struct vmm_virtq *q,
			   const struct vmm_guest_ram *ram, vmm_u64 avail)
{
	vmm_u32 slot = q->last_avail_idx % q->size;

	return vmm_guest_read16(ram->host + avail + VIRTQ_AVAIL_RING +
				(VIRTQ_AVAIL_ELEM * (vmm_u64)slot));
}

/* Count the chain taken (vmm_virtq_pop() puts the old values back if the
 * walk fails). */
/*@ requires \valid(q) && q->in_flight < q->size <= VMM_VIRTQ_SIZE_MAX;
  @ assigns q->last_avail_idx, q->in_flight;
  @ ensures q->last_avail_idx == (\old(q->last_avail_idx) + 1) % 65536;
  @ ensures q->in_flight == \old(q->in_flight) + 1;
  @*/
static void virtq__advance(struct vmm_virtq *q)
{
	q->last_avail_idx = (vmm_u16)((q->last_avail_idx + 1U) % VIRTQ_IDX_MOD);
	q->in_flight++;
}

enum vmm_virtq_err vmm_virtq_pop(struct vmm_virtq *q,
				 const struct vmm_guest_ram *ram,
				 vmm_u16 avail_idx, struct vmm_virtq_buf *bufs,
				 vmm_u32 cap, struct vmm_virtq_chain *chain)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__rings r;
	vmm_u32 head = 0U;
	vmm_u32 in_flight = 0U;
	vmm_u16 last = 0U;

	if ((q == VMM_NULL) || (ram == VMM_NULL) || (bufs == VMM_NULL) ||
	    (chain == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else if (cap == 0U) {
		err = VMM_VIRTQ_ERR_CAP;
	} else {
		/* The precondition's separation, now that no pointer is NULL:
		 * the walk's writes leave *q and *ram alone. */
		/*@ assert \separated(q, ram, chain, bufs + (0 .. cap - 1)); */
		err = virtq__ready(q, ram, &r);
		if (err == VMM_VIRTQ_OK) {
			err = virtq__pending(q, avail_idx);
		}
		if (err == VMM_VIRTQ_OK) {
			head = virtq__head(q, ram, r.avail);
			if (head >= q->size) {
				err = VMM_VIRTQ_ERR_HEAD;
			}
		}
		if (err == VMM_VIRTQ_OK) {
			/*
			 * Count the chain first and take it back if the walk
			 * fails: the walk's results are the last thing
			 * written, so their proof needs no frame over *q.
			 */
			last = q->last_avail_idx;
			in_flight = q->in_flight;
			virtq__advance(q);
			err = virtq__walk(ram, r.desc, q->size, q->indirect, head,
					  bufs, cap, chain);
			if (err == VMM_VIRTQ_OK) {
				chain->head = (vmm_u16)head;
				/*@ assert chain_ok(ram->size, bufs, chain, cap,
				  @                 q->size);
				  @*/
				/*
				 * The rings' fields as on entry, one by one:
				 * carrying virtq_rings_ok whole across the
				 * three writes since virtq__ready() took CVC4
				 * 14 s idle and past 60 s on a loaded machine.
				 */
				/*@ assert q->size == \at(q->size, Pre) &&
				  @   q->desc_gpa == \at(q->desc_gpa, Pre) &&
				  @   q->avail_gpa == \at(q->avail_gpa, Pre) &&
				  @   q->used_gpa == \at(q->used_gpa, Pre) &&
				  @   ram->size == \at(ram->size, Pre) &&
				  @   ram->low_size == \at(ram->low_size, Pre);
				  @*/
				/*@ assert virtq_rings_ok(q, ram); */
			} else {
				q->last_avail_idx = last;
				q->in_flight = in_flight;
			}
		}
	}
	return err;
}

enum vmm_virtq_err vmm_virtq_push(struct vmm_virtq *q,
				  const struct vmm_guest_ram *ram,
				  vmm_u16 head, vmm_u32 len)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__rings r;
	vmm_u64 elem;

	if ((q == VMM_NULL) || (ram == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else {
		err = virtq__ready(q, ram, &r);
	}
	if (err == VMM_VIRTQ_OK) {
		if (head >= q->size) {
			err = VMM_VIRTQ_ERR_HEAD;
		} else if (q->in_flight == 0U) {
			/* More used entries than chains taken. */
			err = VMM_VIRTQ_ERR_OVERRUN;
		} else {
			elem = r.used + VIRTQ_USED_RING +
			       (VIRTQ_USED_ELEM * (vmm_u64)(q->used_idx % q->size));
			vmm_guest_write32(ram->host + elem, head);
			vmm_guest_write32(ram->host + elem + 4U, len);
			q->used_idx = (vmm_u16)((q->used_idx + 1U) %
						VIRTQ_IDX_MOD);
			q->in_flight--;
		}
	}
	return err;
}

enum vmm_virtq_err vmm_virtq_publish(const struct vmm_virtq *q,
				     const struct vmm_guest_ram *ram)
{
	enum vmm_virtq_err err = VMM_VIRTQ_OK;
	struct virtq__rings r;

	if ((q == VMM_NULL) || (ram == VMM_NULL)) {
		err = VMM_VIRTQ_ERR_NULL;
	} else {
		err = virtq__ready(q, ram, &r);
		if (err == VMM_VIRTQ_OK) {
			vmm_guest_write16(ram->host + r.used + VIRTQ_USED_IDX,
					  q->used_idx);
		}
	}
	return err;
}

/* Is buffer @b nonempty and inside the host buffer of @ram? */
/*@ requires \valid_read(ram) && \valid_read(b);
  @ assigns \nothing;
  @ ensures \result != 0 <==> buf_ok(ram->size, b);
  @*/
static vmm_bool virtq__buf_in(const struct vmm_guest_ram *ram,
			      const struct vmm_virtq_buf *b)
{
	return (b->len >= 1U) && (b->off <= ram->size) &&
	       (b->len <= (ram->size - b->off));
}

enum vmm_virtio_blk_err
vmm_virtio_blk_decode(const struct vmm_guest_ram *ram,
		      const struct vmm_virtq_buf *bufs, vmm_u32 cap,
		      const struct vmm_virtq_chain *chain, vmm_u64 capacity,
		      vmm_u32 read_only, struct vmm_virtio_blk_req *req)
{
	enum vmm_virtio_blk_err err = VMM_VIRTIO_BLK_OK;
	vmm_u32 last = 0U;
	vmm_u32 i;
	vmm_u64 sum = 0U;
	vmm_bool big = VMM_FALSE;
	vmm_bool all_w = VMM_TRUE;
	vmm_bool all_r = VMM_TRUE;
	vmm_bool in_ram = VMM_TRUE;
	vmm_bool dir_ok = VMM_FALSE;
	vmm_u32 want_w = 0U;
	vmm_u32 type = 0U;
	vmm_u64 sector = 0U;

	if ((ram == VMM_NULL) || (bufs == VMM_NULL) || (chain == VMM_NULL) ||
	    (req == VMM_NULL)) {
		err = VMM_VIRTIO_BLK_ERR_NULL;
	} else if ((virtq__ram_ok(ram) == VMM_FALSE) || (chain->n < 2U) ||
		   (chain->n > cap)) {
		err = VMM_VIRTIO_BLK_ERR_CHAIN;
	} else {
		/* The precondition's separation, now that no pointer is NULL:
		 * writing *req leaves the chain and the buffers alone. */
		/*@ assert \separated(req, ram, chain, bufs + (0 .. cap - 1)); */
		last = chain->n - 1U;
		/*@ loop invariant 0 <= i <= last + 1;
		  @ loop invariant in_ram != 0 <==>
		  @   (\forall integer j; 0 <= j < i ==> buf_ok(ram->size, bufs + j));
		  @ loop assigns i, in_ram;
		  @ loop variant last + 1 - i;
		  @*/
		for (i = 0U; i <= last; i++) {
			if (virtq__buf_in(ram, &bufs[i]) == VMM_FALSE) {
				in_ram = VMM_FALSE;
			}
		}
		/*@ assert in_ram != 0 ==> \forall integer j; 0 <= j <= last ==>
		  @   buf_ok(ram->size, bufs + j);
		  @*/
		if (in_ram == VMM_FALSE) {
			err = VMM_VIRTIO_BLK_ERR_CHAIN;
		} else if ((bufs[0].write != 0U) ||
			   (bufs[0].len != VMM_VIRTIO_BLK_HDR_SIZE)) {
			err = VMM_VIRTIO_BLK_ERR_HDR;
		} else if ((bufs[last].write != 1U) || (bufs[last].len != 1U)) {
			err = VMM_VIRTIO_BLK_ERR_STATUS;
		} else {
			/* From here on the device can answer in the status
			 * byte. */
			req->status_off = bufs[last].off;
		}
	}
	if (err == VMM_VIRTIO_BLK_OK) {
		/* The data buffers: total length, direction. */
		/*@ loop invariant 1 <= i <= last;
		  @ loop invariant sum <= VMM_U32_MAX;
		  @ loop invariant big == 0 ==> sum == bufs_sum(bufs, 1, i);
		  @ loop invariant i == 1 ==> big == 0;
		  @ loop invariant all_w != 0 <==>
		  @   (\forall integer j; 1 <= j < i ==> bufs[j].write == 1);
		  @ loop invariant all_r != 0 <==>
		  @   (\forall integer j; 1 <= j < i ==> bufs[j].write == 0);
		  @ loop assigns i, sum, big, all_w, all_r;
		  @ loop variant last - i;
		  @*/
		for (i = 1U; i < last; i++) {
			if (bufs[i].write != 1U) {
				all_w = VMM_FALSE;
			}
			if (bufs[i].write != 0U) {
				all_r = VMM_FALSE;
			}
			if (bufs[i].len > (VMM_U32_MAX - sum)) {
				big = VMM_TRUE;
			} else if (big == VMM_FALSE) {
				sum += bufs[i].len;
			}
		}
		/* The header, read once: type at 0, sector at 8 (5.2.6). */
		type = vmm_guest_read32(ram->host + bufs[0].off);
		sector = vmm_guest_read64(ram->host + bufs[0].off + 8U);
		/* The direction the type's data must have, and whether all
		 * of it has it (named once: the proof follows one flag). */
		want_w = ((type == VMM_VIRTIO_BLK_T_IN) ||
			  (type == VMM_VIRTIO_BLK_T_GET_ID)) ? 1U : 0U;
		dir_ok = (want_w == 1U) ? all_w : all_r;
		/*@ assert want_w == blk_data_write(type); */
		/*@ assert dir_ok != 0 ==> \forall integer j; 1 <= j < last ==>
		  @   bufs[j].write == want_w;
		  @*/
		if ((type != VMM_VIRTIO_BLK_T_IN) &&
		    (type != VMM_VIRTIO_BLK_T_OUT) &&
		    (type != VMM_VIRTIO_BLK_T_FLUSH) &&
		    (type != VMM_VIRTIO_BLK_T_GET_ID) &&
		    (type != VMM_VIRTIO_BLK_T_DISCARD) &&
		    (type != VMM_VIRTIO_BLK_T_WRITE_ZEROES)) {
			err = VMM_VIRTIO_BLK_ERR_TYPE;
		} else if (type == VMM_VIRTIO_BLK_T_FLUSH) {
			if (last != 1U) {
				err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
			}
		} else if ((type == VMM_VIRTIO_BLK_T_DISCARD) ||
			   (type == VMM_VIRTIO_BLK_T_WRITE_ZEROES)) {
			/* One readable buffer of whole segments: what Linux
			 * sends, and what vmm_virtio_blk_seg() reads. */
			if (dir_ok == VMM_FALSE) {
				err = VMM_VIRTIO_BLK_ERR_DIRECTION;
			} else if ((last != 2U) || (big != VMM_FALSE) ||
				   ((sum % VMM_VIRTIO_BLK_SEG_SIZE) != 0U)) {
				err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
			} else if (read_only != 0U) {
				err = VMM_VIRTIO_BLK_ERR_READ_ONLY;
			} else {
				/*@ assert sum == bufs_sum(bufs, 1, 2) &&
				  @   sum == bufs[1].len && sum >= 1;
				  @*/
				err = VMM_VIRTIO_BLK_OK;
			}
		} else if (dir_ok == VMM_FALSE) {
			err = VMM_VIRTIO_BLK_ERR_DIRECTION;
		} else if (big != VMM_FALSE) {
			err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
		} else if (type == VMM_VIRTIO_BLK_T_GET_ID) {
			if (sum == 0U) {
				err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
			}
		} else if ((sum % VMM_VIRTIO_BLK_SECTOR_SIZE) != 0U) {
			err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
		} else if ((sector > capacity) ||
			   ((sum / VMM_VIRTIO_BLK_SECTOR_SIZE) >
			    (capacity - sector))) {
			err = VMM_VIRTIO_BLK_ERR_BEYOND;
		} else if ((type == VMM_VIRTIO_BLK_T_OUT) && (read_only != 0U)) {
			err = VMM_VIRTIO_BLK_ERR_READ_ONLY;
		} else {
			err = VMM_VIRTIO_BLK_OK;
		}
		if (err == VMM_VIRTIO_BLK_OK) {
			/*@ assert big == 0 && sum == bufs_sum(bufs, 1, last); */
			/*@ assert last == 1 || dir_ok != 0; */
			/*@ assert \forall integer j; 1 <= j < last ==>
			  @   bufs[j].write == blk_data_write(type);
			  @*/
			req->type = type;
			req->sector = sector;
			req->data_first = 1U;
			req->data_count = last - 1U;
			req->data_len = (vmm_u32)sum;
		}
	}
	return err;
}

enum vmm_virtio_blk_err
vmm_virtio_blk_seg(const struct vmm_guest_ram *ram,
		   const struct vmm_virtq_buf *data, vmm_u32 type, vmm_u32 idx,
		   vmm_u64 capacity, vmm_u32 max_sectors, vmm_u32 max_seg,
		   struct vmm_virtio_blk_seg *seg)
{
	enum vmm_virtio_blk_err err = VMM_VIRTIO_BLK_OK;
	vmm_u64 at = 0U;
	vmm_u64 sector = 0U;
	vmm_u32 num = 0U;
	vmm_u32 flags = 0U;

	if ((ram == VMM_NULL) || (data == VMM_NULL) || (seg == VMM_NULL)) {
		err = VMM_VIRTIO_BLK_ERR_NULL;
	} else if ((virtq__ram_ok(ram) == VMM_FALSE) ||
		   (virtq__buf_in(ram, data) == VMM_FALSE) ||
		   (data->write != 0U)) {
		err = VMM_VIRTIO_BLK_ERR_CHAIN;
	} else if ((type != VMM_VIRTIO_BLK_T_DISCARD) &&
		   (type != VMM_VIRTIO_BLK_T_WRITE_ZEROES)) {
		err = VMM_VIRTIO_BLK_ERR_TYPE;
	} else if (((data->len % VMM_VIRTIO_BLK_SEG_SIZE) != 0U) ||
		   ((data->len / VMM_VIRTIO_BLK_SEG_SIZE) > max_seg) ||
		   (idx >= (data->len / VMM_VIRTIO_BLK_SEG_SIZE))) {
		err = VMM_VIRTIO_BLK_ERR_DATA_LEN;
	} else {
		/* The segment, read once: sector, num_sectors, flags. */
		at = data->off + ((vmm_u64)idx * VMM_VIRTIO_BLK_SEG_SIZE);
		sector = vmm_guest_read64(ram->host + at);
		num = vmm_guest_read32(ram->host + at + 8U);
		flags = vmm_guest_read32(ram->host + at + 12U);
		if (((flags & ~VMM_VIRTIO_BLK_SEG_F_UNMAP) != 0U) ||
		    ((type == VMM_VIRTIO_BLK_T_DISCARD) && (flags != 0U))) {
			err = VMM_VIRTIO_BLK_ERR_FLAGS;
		} else if (num > max_sectors) {
			err = VMM_VIRTIO_BLK_ERR_SECTORS;
		} else if ((sector > capacity) || (num > (capacity - sector))) {
			err = VMM_VIRTIO_BLK_ERR_BEYOND;
		} else {
			/* flags is 0 or UNMAP here; said as 0/1 so that
			 * the proof needs no bit arithmetic. */
			seg->sector = sector;
			seg->num = num;
			seg->unmap = (flags != 0U) ? 1U : 0U;
		}
	}
	return err;
}
