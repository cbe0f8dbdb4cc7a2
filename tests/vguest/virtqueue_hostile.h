/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What tests/virtqueue_hostile.c (the host side) and its guest
 * (tests/vguest/virtqueue_hostile.c) agree on: the VM's RAM, the disk
 * image and the guest's console lines.
 */
#ifndef VGUEST_VIRTQUEUE_HOSTILE_H
#define VGUEST_VIRTQUEUE_HOSTILE_H

#define VQH_MEM_MIB		64	/* vmmd run --mem 64M */
#define VQH_DISK_SECTORS	8192	/* a 4 MiB image */
/* Sector 0 starts with this; the guest reads it back after each case. */
#define VQH_DISK_MAGIC		"lamina virtqueue-hostile disk\n"
/* The guest writes its hostile descriptor image here (chain-rewritten). */
#define VQH_SECTOR_IMAGE	8
/* Requests the device must refuse write here; it must stay zero. */
#define VQH_SECTOR_REFUSED	16
/* DISCARD / WRITE_ZEROES cases point here (zero, used by nothing else:
 * a hole there changes no other case's data). */
#define VQH_SECTOR_DISCARD	32
/*
 * Console: one line per case, "vqh: ok NAME" or "vqh: not ok NAME:
 * WHY", then "vqh: done N" (N cases run) before the guest powers off.
 */
#define VQH_PREFIX		"vqh: "

#endif /* VGUEST_VIRTQUEUE_HOSTILE_H */
