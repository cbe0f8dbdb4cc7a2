# SPDX-License-Identifier: GPL-2.0-only
# The PCI bus and the virtio devices, relative to vmmd/: in vmmd and in
# their unit tests (tests/vmmd/unit), which drive them as a guest does.
# They use libvmm's virtqueue layer: VIRTQ_SRCS, relative to the top.
DEV_SRCS := devmgr.c pci.c virtio_pci.c virtio_blk.c virtio_rng.c
VIRTQ_SRCS := libvmm/virtq.c libvmm/virtq_io.c
