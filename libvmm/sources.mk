# libvmm sources, relative to libvmm/, one per layer, in dependency order
# (a layer uses only the layers listed before it).  Included by the module
# Kbuild, by tests/unit/Makefile and read by scripts/verify.sh.
# One line per layer, so that adding a layer is adding a line.
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

# Layers compiled into the module whose proof is not complete yet. They are
# not counted by make verify, verify.sh names them on every run, and
# docs/verification.md says what is missing. Empty when every layer proves.
LIBVMM_PENDING_SRCS :=
LIBVMM_PENDING_SRCS += walk.c
