/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * String port I/O (INS/OUTS, with and without REP) through the PIO data
 * page of the vCPU mmap, in batches that stay inside one guest page.
 */
#ifndef LAMINA_PIO_STRING_H
#define LAMINA_PIO_STRING_H

#include <linux/types.h>

struct lamina_vcpu;
struct vmm_exit_event;

/*
 * An INS batch whose data userspace leaves in the PIO page: it goes to
 * guest-physical gpa[0] (len0 bytes) then gpa[1] (the rest, when one
 * element straddles a page boundary) on the next KVM_RUN.
 */
struct lamina_pio_string_pending {
	bool ins;
	bool reverse;		/* DF = 1: element 0 is the highest address */
	u8 size;
	u16 count;
	u32 len0;
	u64 gpa[2];
};

/*
 * An INS/OUTS exit: 1 to re-enter the guest (REP with a zero count),
 * 0 with vcpu->run filled in (KVM_EXIT_IO or an internal error).
 */
int lamina_pio_string(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev);

/* On KVM_RUN: copy a pending INS batch into guest memory. */
void lamina_pio_string_complete(struct lamina_vcpu *vcpu);

#endif /* LAMINA_PIO_STRING_H */
