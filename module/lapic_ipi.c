// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt messages between LAPICs (SDM vol. 3A 10.6 "Issuing
 * Interprocessor Interrupts", 10.11 "Message Signalled Interrupts"): an
 * ICR write of the guest, or KVM_SIGNAL_MSI from the userspace IOAPIC,
 * names a destination (physical APIC ID, or a logical one in the flat or
 * cluster model), a delivery mode and a vector. Fixed and lowest-priority
 * interrupts go to the targets' IRR; INIT and SIPI start other vCPUs
 * (wake.c). NMI, SMI and ExtINT messages are not delivered: lamina
 * injects no NMI from the LAPIC yet (logged, docs/abi.md).
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <asm/apicdef.h>

#include "lamina.h"
#include "lapic.h"
#include "wake.h"

/* Delivery modes (ICR and MSI data bits 10:8). */
#define DM_FIXED 0U
#define DM_LOWEST 1U
#define DM_NMI 4U
#define DM_INIT 5U
#define DM_SIPI 6U

/* ICR destination shorthand (bits 19:18). */
#define SH_NONE 0U
#define SH_SELF 1U
#define SH_ALL 2U
#define SH_OTHERS 3U

struct lapic_msg {
	u32 shorthand;
	u32 dest;		/* 8-bit xAPIC destination */
	bool logical;
	u32 mode;
	u8 vector;
	bool level_trigger;
	bool assert;
};

/* 10.6.2: does @t's LAPIC answer to this destination? */
static bool lapic_match(struct lamina_lapic *t, const struct lapic_msg *m)
{
	u32 id = READ_ONCE(t->id) >> 24, ldr = READ_ONCE(t->ldr) >> 24;

	if (m->dest == 0xff)
		return true;			/* broadcast, both modes */
	if (!m->logical)
		return m->dest == id;
	if ((READ_ONCE(t->dfr) >> 28) == 0xf)	/* flat model */
		return ldr & m->dest;
	/* Cluster model: cluster in bits 7:4, members in 3:0. */
	return (ldr >> 4) == (m->dest >> 4) && (ldr & m->dest & 0xf);
}

static bool lapic_targets(struct lamina_vcpu *t, struct lamina_vcpu *src,
			  const struct lapic_msg *m)
{
	switch (m->shorthand) {
	case SH_SELF:
		return t == src;
	case SH_ALL:
		return true;
	case SH_OTHERS:
		return t != src;
	default:
		return lapic_match(t->lapic, m);
	}
}

/* One target: true if it took the message. */
static bool lapic_deliver_one(struct lamina_vcpu *t, const struct lapic_msg *m)
{
	switch (m->mode) {
	case DM_FIXED:
	case DM_LOWEST:
		return lamina_lapic_accept(t, m->vector, m->level_trigger);
	case DM_INIT:
		/* "INIT level de-assert" only synchronises arbitration IDs. */
		if (m->level_trigger && !m->assert)
			return false;
		lamina_vcpu_init(t);
		return true;
	case DM_SIPI:
		lamina_vcpu_sipi(t, m->vector);
		return true;
	default:
		pr_info_ratelimited("lamina: vCPU %u: delivery mode %u not supported, message dropped\n",
				    t->id, m->mode);
		return false;
	}
}

/*
 * Every vCPU of @vm the message names; lowest priority goes to the first
 * one (KVM arbitrates; any target is architecturally correct, 10.6.2.4).
 */
static int lapic_deliver(struct lamina_vm *vm, struct lamina_vcpu *src,
			 const struct lapic_msg *m)
{
	struct lamina_vcpu *t;
	int i, n = 0;

	for (i = 0; i < LAMINA_MAX_VCPUS; i++) {
		/* vCPUs are published once and live as long as the VM. */
		t = smp_load_acquire(&vm->vcpus[i]);
		if (!t || !t->lapic || !lapic_targets(t, src, m))
			continue;
		if (lapic_deliver_one(t, m))
			n++;
		if (m->mode == DM_LOWEST && n)
			break;
	}
	return n;
}

void lamina_lapic_send_ipi(struct lamina_vcpu *vcpu, u32 icr_lo, u32 icr_hi)
{
	struct lapic_msg m = {
		.shorthand = (icr_lo >> 18) & 3,
		.dest = icr_hi >> 24,
		.logical = icr_lo & APIC_DEST_LOGICAL,
		.mode = (icr_lo >> 8) & 7,
		.vector = icr_lo & 0xff,
		.level_trigger = icr_lo & APIC_INT_LEVELTRIG,
		.assert = icr_lo & APIC_INT_ASSERT,
	};

	lapic_deliver(vcpu->vm, vcpu, &m);
}

int lamina_lapic_deliver_msi(struct lamina_vm *vm,
			     const struct vmm_uapi_msi_msg *msg)
{
	/* Decoded by libvmm: window and delivery mode are checked. */
	struct lapic_msg m = {
		.shorthand = SH_NONE,
		.dest = msg->dest,
		.logical = msg->logical,
		.mode = msg->mode,
		.vector = msg->vector,
		.level_trigger = msg->level,
		.assert = true,
	};

	return lapic_deliver(vm, NULL, &m);
}
