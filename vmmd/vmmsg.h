/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VMMSG_H
#define VMMD_VMMSG_H

/*
 * The messages between the control daemon and a per-VM process, over
 * their socketpair (docs/sandbox.md). Each is an 8-byte header, then a
 * payload of at most VMMSG_PAYLOAD_MAX bytes:
 *   u8 version (VMMSG_VERSION), u8 type, u16 zero, u32 payload length,
 * integers little-endian. Both sides decode with vmmsg_decode, which
 * refuses an unknown version or type, a message sent the wrong way, a
 * length over the bound or not the one the type has, and a string that
 * is not NUL-free text.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMMSG_VERSION 1U
#define VMMSG_HDR_LEN 8U
#define VMMSG_PAYLOAD_MAX 4096U
#define VMMSG_MAX (VMMSG_HDR_LEN + VMMSG_PAYLOAD_MAX)
#define VMMSG_CMDLINE_MAX 4000U
#define VMMSG_REASON_MAX 255U
#define VMMSG_DISKS_MAX 16U
#define VMMSG_NICS_MAX 8U	/* = VMMD_MAX_NICS, DOM_NICS_MAX */
/* kernel, initrd, disks, taps */
#define VMMSG_FDS_MAX (2U + VMMSG_DISKS_MAX + VMMSG_NICS_MAX)

enum vmmsg_type {
	/* daemon -> VM process */
	VMMSG_START = 1,	/* cpus, mem, flags, disks, nics, cmdline;
				 * fds: kernel [, initrd], one per disk,
				 * one tap per nic */
	VMMSG_PAUSE = 2,
	VMMSG_RESUME = 3,
	VMMSG_SHUTDOWN = 4,	/* press the ACPI power button */
	VMMSG_REBOOT = 5,	/* reset the machine */
	VMMSG_QUERY = 6,	/* answer with a STATE */
	VMMSG_CONSOLE_IN = 7,	/* bytes for the guest's serial port */
	VMMSG_TEST_FORBIDDEN = 8,	/* test hook: make a forbidden syscall */
	/* VM process -> daemon */
	VMMSG_STATE = 64,	/* running or paused */
	VMMSG_CONSOLE_OUT = 65,	/* bytes the guest wrote to its serial port */
	VMMSG_EXIT = 66,	/* the VM ended: exit code (exitcode.h), reason */
};

enum vmmsg_dir { VMMSG_TO_VM, VMMSG_TO_DAEMON };

/* VMMSG_START flags */
#define VMMSG_START_INITRD 1U	/* a second fd, the initrd, comes along */
#define VMMSG_START_PAUSED 2U	/* build the machine, run no vCPU yet */
#define VMMSG_START_FLAGS (VMMSG_START_INITRD | VMMSG_START_PAUSED)

enum vmmsg_vm_state { VMMSG_RUNNING = 1, VMMSG_PAUSED = 2 };

struct vmmsg {
	uint8_t type;
	union {
		struct {
			uint32_t cpus;
			uint32_t flags;
			uint64_t mem;		/* bytes */
			uint32_t ndisks;	/* <= VMMSG_DISKS_MAX */
			uint32_t disks_ro;	/* bit i: disk i read-only */
			uint32_t nnics;		/* <= VMMSG_NICS_MAX */
			uint8_t macs[VMMSG_NICS_MAX][6];	/* unicast */
			char cmdline[VMMSG_CMDLINE_MAX + 1];
		} start;
		uint32_t state;			/* enum vmmsg_vm_state */
		struct {
			uint32_t code;		/* enum vmmd_exit */
			char reason[VMMSG_REASON_MAX + 1];
		} exit;
		struct {
			uint32_t len;		/* 1..VMMSG_PAYLOAD_MAX */
			uint8_t data[VMMSG_PAYLOAD_MAX];
		} console;
	} u;
};

/*
 * Encode @m into @buf (VMMSG_MAX bytes): its length, or 0 when @m itself
 * is not a valid message (the same checks as decoding).
 */
size_t vmmsg_encode(const struct vmmsg *m, uint8_t *buf, size_t cap);
/*
 * Decode one message from the @len bytes at @buf, read by the side that
 * @dir points at. Returns the bytes used (> 0), 0 when more bytes are
 * needed, -1 when the bytes are not a valid message (the peer is then
 * cut off: a stream that lost sync cannot be trusted).
 */
long vmmsg_decode(const uint8_t *buf, size_t len, enum vmmsg_dir dir,
		  struct vmmsg *m);
/* Which way a type goes; false for an unknown type. */
bool vmmsg_type_dir(uint8_t type, enum vmmsg_dir *dir);
/* How many fds a message of this kind carries. */
unsigned int vmmsg_nfds(const struct vmmsg *m);

#endif /* VMMD_VMMSG_H */
