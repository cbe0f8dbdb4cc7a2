// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt messages between LAPICs (SDM vol. 3A 10.6 "Issuing
 * Interprocessor Interrupts", 10.11 "Message Signalled Interrupts"): an
 * ICR write of the guest, or KVM_SIGNAL_MSI from the userspace IOAPIC,
 * names a destination (physical APIC ID, or a logical one in the flat or
 * cluster model), a delivery mode and a vector. Fixed and lowest-priority
 * interrupts go to the targets' IRR; INIT and SIPI start other vCPUs
 * (wake.c). NMI, SMI and ExtINT messages are not delivered: lamina
 * injects no NMI from the LAPIC yet (logged, docs/abi.md). Decoding the
 * message, matching a destination and what each delivery mode does are
 * libvmm's (layer 15); this file walks the VM's vCPUs and acts.
 */
#include <linux/kernel.h>
#include <linux/printk.h>

#include "lamina.h"
#include "lapic.h"
#include "wake.h"

/* Is @t a target of @m (sent by @src; NULL for an MSI)? Layer 15 says. */
static bool lapic_targets(struct lamina_vcpu *t, struct lamina_vcpu *src,
			  const struct vmm_lapic_msg *m)
{
	struct lamina_lapic *apic = t->lapic;

	return vmm_lapic_targets(m, t == src, READ_ONCE(apic->r.id),
				 READ_ONCE(apic->r.ldr), READ_ONCE(apic->r.dfr));
}

/* One target: true if it took the message (@kind: layer 15's for @m). */
static bool lapic_deliver_one(struct lamina_vcpu *t,
			      const struct vmm_lapic_msg *m,
			      enum vmm_lapic_delivery kind)
{
	switch (kind) {
	case VMM_LAPIC_DELIVER_FIXED:
	case VMM_LAPIC_DELIVER_LOWEST:
		return lamina_lapic_accept(t, m->vector, m->level);
	case VMM_LAPIC_DELIVER_NOTHING:
		return false;
	case VMM_LAPIC_DELIVER_INIT:
		lamina_vcpu_init(t);
		return true;
	case VMM_LAPIC_DELIVER_SIPI:
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
			 const struct vmm_lapic_msg *m)
{
	enum vmm_lapic_delivery kind = vmm_lapic_delivery(m);
	struct lamina_vcpu *t;
	int i, n = 0;

	for (i = 0; i < LAMINA_MAX_VCPUS; i++) {
		/* vCPUs are published once and live as long as the VM. */
		t = smp_load_acquire(&vm->vcpus[i]);
		if (!t || !t->lapic || !lapic_targets(t, src, m))
			continue;
		if (lapic_deliver_one(t, m, kind))
			n++;
		if (kind == VMM_LAPIC_DELIVER_LOWEST && n)
			break;
	}
	return n;
}

void lamina_lapic_send_ipi(struct lamina_vcpu *vcpu, u32 icr_lo, u32 icr_hi)
{
	struct vmm_lapic_msg m;

	vmm_lapic_icr_decode(icr_lo, icr_hi, &m);
	lapic_deliver(vcpu->vm, vcpu, &m);
}

/* @msg: libvmm decoded it (vmm_uapi_decode_msi, _decode_msi_msg). */
int lamina_lapic_deliver_msi(struct lamina_vm *vm,
			     const struct vmm_uapi_msi_msg *msg)
{
	struct vmm_lapic_msg m = {
		.shorthand = VMM_LAPIC_SH_NONE,
		.dest = msg->dest,
		.mode = msg->mode,
		.vector = msg->vector,
		.logical = msg->logical != 0,
		.level = msg->level != 0,
		.assert = true,
	};

	return lapic_deliver(vm, NULL, &m);
}
