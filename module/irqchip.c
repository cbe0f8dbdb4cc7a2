// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM side of KVM's split irqchip (Documentation/virt/kvm/api.rst):
 * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP) gives every vCPU created after it
 * an in-kernel LAPIC while PIC and IOAPIC stay in userspace; the IOAPIC
 * raises interrupts with KVM_SIGNAL_MSI and tells, through
 * KVM_SET_GSI_ROUTING's MSI routes for its pins, which vectors are
 * level-triggered: their EOI exits to userspace (KVM_EXIT_IOAPIC_EOI).
 * The MSI routes are kept for KVM_IRQFD (irqfd.c): a table indexed by
 * GSI, replaced whole by each KVM_SET_GSI_ROUTING under vm->lock and read
 * under RCU. Every argument is checked before anything changes; each
 * refusal says why in dmesg.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "lamina.h"
#include "lapic.h"

/* KVM's KVM_MAX_IRQ_ROUTES (x86) and MAX_NR_RESERVED_IOAPIC_PINS. */
#define IRQCHIP_MAX_ROUTES 4096U
/* MSI data bit 15: level-triggered (SDM vol. 3A 10.11.2). */
#define MSI_DATA_LEVEL BIT(15)

static bool irqchip_has_vcpus(const struct lamina_vm *vm)
{
	unsigned int i;

	for (i = 0; i < LAMINA_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			return true;
	return false;
}

long lamina_irqchip_enable_cap(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_enable_cap cap;
	long ret;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	if (cap.cap != KVM_CAP_SPLIT_IRQCHIP) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP: capability %u cannot be enabled\n",
				    cap.cap);
		return -EINVAL;
	}
	if (cap.flags || cap.args[0] > IRQCHIP_MAX_ROUTES) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(SPLIT_IRQCHIP): flags 0x%x, %llu pins (at most %u)\n",
				    cap.flags, cap.args[0], IRQCHIP_MAX_ROUTES);
		return -EINVAL;
	}
	/* -EEXIST for both, as KVM: an irqchip or vCPUs are there already. */
	mutex_lock(&vm->lock);
	ret = -EEXIST;
	if (vm->split_irqchip) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(SPLIT_IRQCHIP): already enabled\n");
	} else if (irqchip_has_vcpus(vm)) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(SPLIT_IRQCHIP): vCPUs exist already\n");
	} else {
		vm->ioapic_pins = cap.args[0];
		vm->split_irqchip = true;
		ret = 0;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

long lamina_irqchip_signal_msi(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_msi msi;

	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	if (!READ_ONCE(vm->split_irqchip)) {
		pr_info_ratelimited("lamina: KVM_SIGNAL_MSI without KVM_CAP_SPLIT_IRQCHIP\n");
		return -EINVAL;
	}
	if (msi.flags || memchr_inv(msi.pad, 0, sizeof(msi.pad))) {
		pr_info_ratelimited("lamina: KVM_SIGNAL_MSI: flags 0x%x or padding set\n",
				    msi.flags);
		return -EINVAL;
	}
	return lamina_lapic_deliver_msi(vm, (u64)msi.address_hi << 32 |
					msi.address_lo, msi.data);
}

/* One GSI's MSI route; valid: the table has a route for it. */
struct lamina_msi_route {
	u64 addr;
	u32 data;
	bool valid;
};

/* KVM_SET_GSI_ROUTING's MSI routes, indexed by GSI (0 .. nr - 1). */
struct lamina_msi_routes {
	u32 nr;
	struct lamina_msi_route r[];
};

bool lamina_irqchip_msi_route(struct lamina_vm *vm, u32 gsi, u64 *addr,
			      u32 *data)
{
	const struct lamina_msi_routes *t;
	bool found = false;

	rcu_read_lock();
	t = rcu_dereference(vm->msi_routes);
	if (t && gsi < t->nr && t->r[gsi].valid) {
		*addr = t->r[gsi].addr;
		*data = t->r[gsi].data;
		found = true;
	}
	rcu_read_unlock();
	return found;
}

void lamina_irqchip_free(struct lamina_vm *vm)
{
	kvfree(rcu_dereference_protected(vm->msi_routes, true));
}

/* One route: -EINVAL with the reason logged, or 0. */
static int irqchip_check_route(const struct kvm_irq_routing_entry *e)
{
	const char *why = NULL;

	if (e->gsi >= IRQCHIP_MAX_ROUTES)
		why = "GSI out of range";
	else if (e->type != KVM_IRQ_ROUTING_MSI)
		why = "only MSI routes exist with the split irqchip";
	else if (e->flags)
		why = "flags set";
	else if (e->u.msi.address_hi)
		why = "MSI address above 4 GiB";
	if (!why)
		return 0;
	pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING: GSI %u: %s\n",
			    e->gsi, why);
	return -EINVAL;
}

/* A table big enough for the highest valid GSI of @e. */
static struct lamina_msi_routes *
irqchip_routes_alloc(const struct kvm_irq_routing_entry *e, u32 n)
{
	struct lamina_msi_routes *t;
	u32 i, nr = 0;

	for (i = 0; i < n; i++)
		if (e[i].gsi < IRQCHIP_MAX_ROUTES)	/* else fill refuses it */
			nr = max(nr, e[i].gsi + 1);
	t = kvzalloc(struct_size(t, r, nr), GFP_KERNEL_ACCOUNT);
	if (t)
		t->nr = nr;
	return t;
}

/*
 * Check every route and fill @t and @eoi from them: 0, or -EINVAL with
 * the reason logged. KVM's setup_routing_entry() refuses a second route
 * for a GSI unless both are irqchip routes, which do not exist here.
 */
static long irqchip_routes_fill(struct lamina_vm *vm,
				const struct kvm_irq_routing_entry *e, u32 n,
				struct lamina_msi_routes *t, unsigned long *eoi)
{
	long ret = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		ret = irqchip_check_route(&e[i]);
		if (ret)
			break;
		if (t->r[e[i].gsi].valid) {
			pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING: GSI %u: routed twice\n",
					    e[i].gsi);
			ret = -EINVAL;
			break;
		}
		t->r[e[i].gsi] = (struct lamina_msi_route) {
			.addr = e[i].u.msi.address_lo, .data = e[i].u.msi.data,
			.valid = true,
		};
		/* As KVM's kvm_scan_ioapic_routes(): level routes of pins. */
		if (e[i].gsi < vm->ioapic_pins &&
		    (e[i].u.msi.data & MSI_DATA_LEVEL))
			__set_bit(e[i].u.msi.data & 0xff, eoi);
	}
	return ret;
}

long lamina_irqchip_set_gsi_routing(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *uarg = argp;
	struct lamina_msi_routes *t, *old;
	DECLARE_BITMAP(eoi, 256);
	struct kvm_irq_routing hdr;
	struct kvm_irq_routing_entry *e;
	long ret;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (!READ_ONCE(vm->split_irqchip) || hdr.flags ||
	    hdr.nr > IRQCHIP_MAX_ROUTES) {
		pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING: no split irqchip, flags 0x%x, or %u routes (at most %u)\n",
				    hdr.flags, hdr.nr, IRQCHIP_MAX_ROUTES);
		return -EINVAL;
	}
	e = vmemdup_user(uarg->entries, (size_t)hdr.nr * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	t = irqchip_routes_alloc(e, hdr.nr);
	if (!t) {
		kvfree(e);
		return -ENOMEM;
	}
	bitmap_zero(eoi, 256);
	ret = irqchip_routes_fill(vm, e, hdr.nr, t, eoi);
	if (!ret) {
		mutex_lock(&vm->lock);
		bitmap_copy(vm->ioapic_eoi_vectors, eoi, 256);
		old = rcu_replace_pointer(vm->msi_routes, t,
					  lockdep_is_held(&vm->lock));
		mutex_unlock(&vm->lock);
		/* An irqfd injection may still read the old table. */
		synchronize_rcu();
		t = old;
	}
	kvfree(t);
	kvfree(e);
	return ret;
}
