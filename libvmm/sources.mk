# libvmm sources, relative to libvmm/, one per layer, in dependency order
# (a layer uses only the layers listed before it).  Included by the module
# Kbuild, by tests/unit/Makefile and read by scripts/verify.sh.
# One line per layer, so that adding a layer is adding a line.
LIBVMM_SRCS :=
LIBVMM_SRCS += memslot.c
