# SPDX-License-Identifier: GPL-2.0-only
# The PCI bus and the virtio devices, relative to vmmd/: in vmmd and in
# their unit tests (tests/vmmd/unit), which drive them as a guest does.
# They use libvmm's userspace layers (virtq.h): VIRTQ_SRCS, relative to
# the top, from libvmm/sources.mk, which the includer reads first.
DEV_SRCS := devmgr.c pci.c virtio_pci.c virtio_io.c virtio_blk.c virtio_rng.c virtio_net.c
VIRTQ_SRCS := $(addprefix libvmm/,$(LIBVMM_USER_SRCS) $(LIBVMM_USER_TRUSTED_SRCS))
