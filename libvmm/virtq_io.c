// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest-memory access for the virtqueue layer (virtq.h): trusted, not
 * proved.  Each function is one volatile load or store, so the compiler
 * makes exactly one access where the proved code asked for one and never
 * re-reads guest memory instead of keeping a value it copied (a re-read
 * could see what another vCPU wrote since: a double fetch).  x86-64 is
 * little-endian like virtio 1.x, so no byte swap.  The types are declared
 * with alignment 1: an indirect table may sit at any address (virtio 1.2,
 * 2.7.5.3 sets none), and x86 loads and stores at any alignment; the
 * rings' own fields are aligned (vmm_virtq_enable() checks it), so the
 * 16-bit index loads and stores are single, untorn accesses.
 */
#include <libvmm/virtq.h>

typedef vmm_u16 __attribute__((aligned(1))) virtq_io_u16;
typedef vmm_u32 __attribute__((aligned(1))) virtq_io_u32;
typedef vmm_u64 __attribute__((aligned(1))) virtq_io_u64;

vmm_u16 vmm_guest_read16(const vmm_u8 *p)
{
	return *(const volatile virtq_io_u16 *)p;
}

vmm_u32 vmm_guest_read32(const vmm_u8 *p)
{
	return *(const volatile virtq_io_u32 *)p;
}

vmm_u64 vmm_guest_read64(const vmm_u8 *p)
{
	return *(const volatile virtq_io_u64 *)p;
}

void vmm_guest_write16(vmm_u8 *p, vmm_u16 v)
{
	*(volatile virtq_io_u16 *)p = v;
}

void vmm_guest_write32(vmm_u8 *p, vmm_u32 v)
{
	*(volatile virtq_io_u32 *)p = v;
}
