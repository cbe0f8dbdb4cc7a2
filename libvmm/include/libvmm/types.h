/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm fixed-width types.
 *
 * libvmm is compiled into the Linux kernel module and into host userspace
 * tests, and it is proved with Frama-C/WP.  It therefore includes no system
 * or kernel header: <stdint.h> does not exist in the kernel, and the kernel's
 * u64/bool/NULL do not exist in userspace.  Every name here carries the vmm_
 * (or VMM_) prefix so it cannot clash with either world.
 *
 * The widths below hold for the LP64 data model of x86-64 Linux (kernel and
 * userspace alike) and for Frama-C's x86_64 machdep, which verify.sh pins.
 * The build assertions make any other model a compile error.
 */
#ifndef LIBVMM_TYPES_H
#define LIBVMM_TYPES_H

typedef unsigned char vmm_u8;
typedef unsigned short vmm_u16;
typedef unsigned int vmm_u32;
typedef unsigned long long vmm_u64;

/* Truth values: a plain int, 0 is false and anything else is true. */
typedef int vmm_bool;
#define VMM_FALSE 0
#define VMM_TRUE 1

#define VMM_NULL ((void *)0)

#define VMM_U32_MAX 0xFFFFFFFFU
#define VMM_U64_MAX 0xFFFFFFFFFFFFFFFFULL

/*
 * Compile-time check that works in gcc, in the kernel and in Frama-C 25
 * (whose C parser does not know C11 _Static_assert): a false condition
 * gives an array of negative size, which every compiler rejects.
 */
#define VMM_BUILD_ASSERT(name, cond) \
	typedef char vmm__build_assert_##name[(cond) ? 1 : -1]

VMM_BUILD_ASSERT(u8_is_8_bits, sizeof(vmm_u8) == 1U);
VMM_BUILD_ASSERT(u16_is_16_bits, sizeof(vmm_u16) == 2U);
VMM_BUILD_ASSERT(u32_is_32_bits, sizeof(vmm_u32) == 4U);
VMM_BUILD_ASSERT(u64_is_64_bits, sizeof(vmm_u64) == 8U);

#endif /* LIBVMM_TYPES_H */
