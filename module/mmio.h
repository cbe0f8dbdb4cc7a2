/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MMIO exits: a guest access to a guest-physical address with no slot
 * behind it, or a write to a read-only slot, becomes KVM_EXIT_MMIO after
 * libvmm's decoder (libvmm/include/libvmm/mmio.h) has said what moves.
 */
#ifndef LAMINA_MMIO_H
#define LAMINA_MMIO_H

#include <linux/types.h>

#include <libvmm/mmio.h>

struct lamina_vcpu;
struct vmm_exit_event;

/* A read whose value userspace supplies in run->mmio.data. */
struct lamina_mmio_pending {
	bool read;
	u8 reg;		/* destination GPR */
	u8 high_byte;	/* reg 4..7 means AH, CH, DH, BH */
	u8 size;	/* bytes read: 1, 2, 4, 8 */
	u8 dst_size;	/* destination width: 1, 2, 4, 8 */
	u8 ext;		/* VMM_MMIO_EXT_* */
	u8 len;		/* instruction length */
	u8 mode;	/* 16, 32, 64: how RIP wraps */
};

/*
 * VMM_EXIT_MMIO: 0 with vcpu->run filled in (MMIO or internal error), 1
 * when the kernel finished the access (the LAPIC, an ioeventfd).
 */
int lamina_mmio_exit(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev);

/*
 * KVM_EXIT_INTERNAL_ERROR, KVM_INTERNAL_ERROR_EMULATION, in KVM's
 * emulation_failure layout: the instruction bytes when @n > 0 (flag
 * KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES), then @info as
 * the one word of debug data after them.
 */
void lamina_emulation_failure(struct lamina_vcpu *vcpu, const u8 *bytes,
			      size_t n, u64 info);

/* The dmesg reason for a layer-8 decoder error. */
const char *lamina_mmio_why(enum vmm_mmio_err err);

/* RIP += @len, wrapping as the code size @mode (16, 32, 64) does. */
void lamina_rip_advance(struct lamina_vcpu *vcpu, unsigned int len,
			unsigned int mode);

struct vmm_mmio_insn;

/* The value a decoded MMIO write stores: the immediate or the register. */
u64 lamina_mmio_write_value(const struct lamina_vcpu *vcpu,
			    const struct vmm_mmio_insn *insn);

/* A decoded read answered in the kernel (the LAPIC): @val, as userspace's. */
void lamina_mmio_finish_read(struct lamina_vcpu *vcpu,
			     const struct vmm_mmio_insn *insn, u32 mode, u64 val);

/* On KVM_RUN: finish a pending read with run->mmio.data. */
void lamina_mmio_complete(struct lamina_vcpu *vcpu);

#endif /* LAMINA_MMIO_H */
