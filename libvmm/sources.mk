# libvmm sources, relative to libvmm/, one per layer, in dependency order
# (a layer uses only the layers listed before it).  Included by the module
# Kbuild, by tests/unit/Makefile and read by scripts/verify.sh.
# One line per layer, so that adding a layer is adding a line.
#
# LIBVMM_SRCS: in lamina.ko and in the userspace libvmm.a.
LIBVMM_SRCS :=
LIBVMM_SRCS += memslot.c
LIBVMM_SRCS += ptable.c
LIBVMM_SRCS += uapi.c
LIBVMM_SRCS += vmcb.c
LIBVMM_SRCS += vmcs.c
LIBVMM_SRCS += exit.c
LIBVMM_SRCS += inject.c
LIBVMM_SRCS += bitmap.c
LIBVMM_SRCS += mmio.c
LIBVMM_SRCS += walk.c
LIBVMM_SRCS += policy.c
LIBVMM_SRCS += msr.c
LIBVMM_SRCS += cpuid.c
LIBVMM_SRCS += cr.c
LIBVMM_SRCS += lapic.c

# Layers compiled into the module whose proof is not complete yet. They are
# not counted by make verify, verify.sh names them on every run, and
# docs/verification.md says what is missing. Empty when every layer proves.
LIBVMM_PENDING_SRCS :=

# Userspace-only layers: proved by verify.sh (after LIBVMM_SRCS) and in the
# userspace libvmm.a that vmmd links, never in lamina.ko.  Least privilege:
# parsing guest virtio rings is vmmd's job (the devices live there), so the
# module does not carry the code, and a bug in it cannot be a kernel bug.
# Kbuild reads only LIBVMM_SRCS and LIBVMM_PENDING_SRCS.
LIBVMM_USER_SRCS :=
LIBVMM_USER_SRCS += virtq.c

# The trusted, unproved part of the userspace layers: guest-memory access
# (one volatile load or store per function; docs/verification.md, "Trusted
# base").  In libvmm.a, not proved, not in lamina.ko.
LIBVMM_USER_TRUSTED_SRCS := virtq_io.c
