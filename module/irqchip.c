// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM side of KVM's split irqchip (Documentation/virt/kvm/api.rst):
 * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP) gives every vCPU created after it
 * an in-kernel LAPIC while PIC and IOAPIC stay in userspace; the IOAPIC
 * raises interrupts with KVM_SIGNAL_MSI and tells, through
 * KVM_SET_GSI_ROUTING's MSI routes for its pins, which vectors are
 * level-triggered: their EOI exits to userspace (KVM_EXIT_IOAPIC_EOI).
 * The MSI routes are kept for KVM_IRQFD (irqfd.c): a table indexed by
 * GSI of messages libvmm decoded when the table was set, replaced whole
 * by each KVM_SET_GSI_ROUTING under vm->lock and read under the VM's
 * vm->irq_srcu, as KVM's kvm->irq_srcu. A new table returns once no
 * injection uses the old one: synchronize_srcu_expedited(), which only
 * this VM's injections delay (synchronize_rcu() waited for the whole
 * host: in gsi-routing-running in the QEMU machine, 9.6-17 ms per ioctl
 * against kvm.ko's 0.1-0.2 ms, and 5x the vCPU's exits meanwhile).
 *
 * Its own SRCU, not ioeventfd.c's vm->ioeventfd_srcu, as KVM keeps
 * irq_srcu apart from kvm->srcu: a routing change then waits only for
 * the injections in flight (each delivers to LAPICs, INIT included)
 * and never for the vCPUs' exit path, and an ioeventfd deassign never
 * for an injection; the cost is one srcu_struct per VM.
 *
 * Every argument is decoded by libvmm (layer 7, libvmm/uapi.h) before
 * anything changes; this file copies, keeps the VM state (is there a
 * split irqchip, are there vCPUs) and the table, and says in dmesg why
 * libvmm refused an argument (uapi_why.c).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/uaccess.h>

#include <libvmm/uapi.h>

#include "lamina.h"
#include "lapic.h"

static_assert(sizeof(struct vmm_uapi_enable_cap) == sizeof(struct kvm_enable_cap));
static_assert(offsetof(struct vmm_uapi_enable_cap, args) ==
	      offsetof(struct kvm_enable_cap, args));
static_assert(sizeof(struct vmm_uapi_msi) == sizeof(struct kvm_msi));
static_assert(offsetof(struct vmm_uapi_msi, pad) == offsetof(struct kvm_msi, pad));
static_assert(sizeof(struct vmm_uapi_irq_routing) == sizeof(struct kvm_irq_routing));
static_assert(sizeof(struct vmm_uapi_irq_routing_entry) ==
	      sizeof(struct kvm_irq_routing_entry));
static_assert(offsetof(struct vmm_uapi_irq_routing_entry, msi_address_lo) ==
	      offsetof(struct kvm_irq_routing_entry, u.msi.address_lo));
static_assert(offsetof(struct vmm_uapi_irq_routing_entry, msi_data) ==
	      offsetof(struct kvm_irq_routing_entry, u.msi.data));
static_assert(VMM_UAPI_CAP_SPLIT_IRQCHIP == KVM_CAP_SPLIT_IRQCHIP &&
	      VMM_UAPI_IRQ_ROUTING_MSI == KVM_IRQ_ROUTING_MSI &&
	      VMM_UAPI_MSI_VALID_DEVID == KVM_MSI_VALID_DEVID);

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
	struct vmm_uapi_enable_cap cap;
	enum vmm_uapi_err err;
	u32 pins;
	long ret;

	if (copy_from_user(&cap, argp, sizeof(cap)))
		return -EFAULT;
	err = vmm_uapi_decode_enable_cap(&cap, &pins);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(%u, flags 0x%x, %llu): %s\n",
				    cap.cap, cap.flags, cap.args[0],
				    lamina_uapi_why(err));
		return -(long)vmm_uapi_errno_class(err);
	}
	/* -EEXIST for both, as KVM: an irqchip or vCPUs are there already. */
	mutex_lock(&vm->lock);
	ret = -EEXIST;
	if (vm->split_irqchip) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(SPLIT_IRQCHIP): already enabled\n");
	} else if (irqchip_has_vcpus(vm)) {
		pr_info_ratelimited("lamina: KVM_ENABLE_CAP(SPLIT_IRQCHIP): vCPUs exist already\n");
	} else {
		vm->ioapic_pins = pins;
		vm->split_irqchip = true;
		ret = 0;
	}
	mutex_unlock(&vm->lock);
	return ret;
}

long lamina_irqchip_signal_msi(struct lamina_vm *vm, void __user *argp)
{
	struct vmm_uapi_msi in;
	struct vmm_uapi_msi_msg msg;
	enum vmm_uapi_err err;

	if (copy_from_user(&in, argp, sizeof(in)))
		return -EFAULT;
	if (!READ_ONCE(vm->split_irqchip)) {
		pr_info_ratelimited("lamina: KVM_SIGNAL_MSI without KVM_CAP_SPLIT_IRQCHIP\n");
		return -EINVAL;
	}
	err = vmm_uapi_decode_msi(&in, &msg);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_SIGNAL_MSI(address 0x%x%08x, data 0x%x, flags 0x%x): %s\n",
				    in.address_hi, in.address_lo, in.data, in.flags,
				    lamina_uapi_why(err));
		return -(long)vmm_uapi_errno_class(err);
	}
	return lamina_lapic_deliver_msi(vm, &msg);
}

/*
 * KVM_SET_GSI_ROUTING's table, indexed by GSI: each routed GSI's MSI,
 * decoded by libvmm when the table is set, so firing only delivers.
 */
struct lamina_gsi_msi {
	struct vmm_uapi_msi_msg msg;
	bool deliver;		/* routed, and libvmm accepted its message */
};

struct lamina_msi_routes {
	u32 nr;
	struct lamina_gsi_msi m[];
};

void lamina_irqchip_inject(struct lamina_vm *vm, u32 gsi)
{
	const struct lamina_msi_routes *t;
	int idx;

	idx = srcu_read_lock(&vm->irq_srcu);
	t = srcu_dereference(vm->msi_routes, &vm->irq_srcu);
	/* Delivered inside: after KVM_SET_GSI_ROUTING no old route is. */
	if (t && gsi < t->nr) {
		gsi = array_index_nospec(gsi, t->nr);
		if (t->m[gsi].deliver)
			lamina_lapic_deliver_msi(vm, &t->m[gsi].msg);
	}
	srcu_read_unlock(&vm->irq_srcu, idx);
}

void lamina_irqchip_free(struct lamina_vm *vm)
{
	kvfree(rcu_dereference_protected(vm->msi_routes, true));
}

/*
 * As KVM's kvm_scan_ioapic_routes(): the vectors of level-triggered
 * routes of IOAPIC pins, whose EOI exits to userspace.
 */
static void irqchip_scan_eoi(const struct lamina_vm *vm,
			     const struct vmm_uapi_msi_route *r, u32 nr,
			     unsigned long *eoi)
{
	u32 g;

	bitmap_zero(eoi, 256);
	for (g = 0; g < min(nr, vm->ioapic_pins); g++)
		if (r[g].valid && (r[g].data & VMM_UAPI_MSI_DATA_LEVEL))
			__set_bit(r[g].data & 0xff, eoi);
}

/*
 * Each route's message, decoded once here (KVM takes any route's
 * address; lamina's irqfd injects only what libvmm accepts).
 */
static void irqchip_decode_msgs(const struct vmm_uapi_msi_route *r,
				struct lamina_msi_routes *t)
{
	enum vmm_uapi_err err;
	u32 g;

	for (g = 0; g < t->nr; g++) {
		if (!r[g].valid)
			continue;
		/* address_hi is 0 in every route libvmm accepts. */
		err = vmm_uapi_decode_msi_msg((u32)r[g].address, 0,
					      (u32)r[g].data, &t->m[g].msg);
		t->m[g].deliver = err == VMM_UAPI_OK;
		if (err != VMM_UAPI_OK)
			pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING: GSI %u: MSI address 0x%llx, data 0x%llx: %s, an irqfd on it injects nothing\n",
					    g, r[g].address, r[g].data,
					    lamina_uapi_why(err));
	}
}

long lamina_irqchip_set_gsi_routing(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_irq_routing __user *uarg = argp;
	struct vmm_uapi_irq_routing hdr;
	struct vmm_uapi_irq_routing_entry *e;
	struct vmm_uapi_msi_route *r = NULL;
	struct lamina_msi_routes *t = NULL;
	DECLARE_BITMAP(eoi, 256);
	enum vmm_uapi_err err;
	u32 n, span;
	long ret;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (!READ_ONCE(vm->split_irqchip)) {
		pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING without KVM_CAP_SPLIT_IRQCHIP\n");
		return -EINVAL;
	}
	err = vmm_uapi_decode_gsi_routing_header(&hdr, &n);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING(%u routes, flags 0x%x): %s\n",
				    hdr.nr, hdr.flags, lamina_uapi_why(err));
		return -(long)vmm_uapi_errno_class(err);
	}
	e = vmemdup_user(uarg->entries, (size_t)n * sizeof(*e));
	if (IS_ERR(e))
		return PTR_ERR(e);
	/* Zeroed: every slot starts without a route, as libvmm requires. */
	span = vmm_uapi_gsi_routes_span(e, n);
	r = kvcalloc(span, sizeof(*r), GFP_KERNEL_ACCOUNT);
	t = kvzalloc(struct_size(t, m, span), GFP_KERNEL_ACCOUNT);
	ret = -ENOMEM;
	if (!r || !t)
		goto out;
	err = vmm_uapi_decode_gsi_routes(e, n, r, span);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_SET_GSI_ROUTING: %s\n",
				    lamina_uapi_why(err));
		ret = -(long)vmm_uapi_errno_class(err);
		goto out;
	}
	t->nr = span;
	irqchip_decode_msgs(r, t);
	irqchip_scan_eoi(vm, r, span, eoi);
	mutex_lock(&vm->lock);
	bitmap_copy(vm->ioapic_eoi_vectors, eoi, 256);
	t = rcu_replace_pointer(vm->msi_routes, t, lockdep_is_held(&vm->lock));
	mutex_unlock(&vm->lock);
	/* t is the old table: an irqfd injection may still deliver from it. */
	if (t)
		synchronize_srcu_expedited(&vm->irq_srcu);
	ret = 0;
out:
	kvfree(t);
	kvfree(r);
	kvfree(e);
	return ret;
}
