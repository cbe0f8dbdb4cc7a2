// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_IOEVENTFD (ioeventfd.h), with the rules of KVM's virt/kvm/eventfd.c
 * (Linux 6.1): decode the argument (ioeventfd_decode, the one place that
 * judges it), then register or drop it. A write hits an ioeventfd when
 * the address is the registered one and, unless the length is 0 ("any
 * length"), the length too and, with DATAMATCH, the value.
 *
 * Locking: the list is read under RCU by the vCPUs' exit path (which must
 * not wait for an ioctl) and changed under vm->lock by the ioctls. An
 * entry holds its own eventfd reference: the eventfd outlives a close()
 * of its fd until the entry is deassigned or the VM goes, as in KVM.
 */
#include <linux/eventfd.h>
#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioeventfd.h"
#include "lamina.h"

/*
 * Registrations per VM: bounds the exit path's walk. KVM 6.1 does not
 * count ioeventfds against its 1000 devices per bus (docs/abi.md).
 */
#define IOEVENTFD_MAX 1000U

struct lamina_ioeventfd {
	struct list_head list;		/* vm->ioeventfds */
	struct eventfd_ctx *ctx;
	u64 addr;
	u64 datamatch;
	u32 len;			/* 0: a write of any length */
	enum lamina_iobus bus;
	bool wildcard;			/* no DATAMATCH: any value */
};

static enum lamina_iobus ioeventfd_bus(u32 flags)
{
	if (flags & KVM_IOEVENTFD_FLAG_PIO)
		return LAMINA_IOBUS_PIO;
	if (flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
		return LAMINA_IOBUS_CCW;
	return LAMINA_IOBUS_MMIO;
}

/*
 * Decode an assignment into @p (all but the eventfd): NULL, or why it is
 * invalid (-EINVAL). The checks and their order are KVM's
 * kvm_assign_ioeventfd(); the padding is not looked at, as in KVM.
 */
static const char *ioeventfd_decode(const struct kvm_ioeventfd *a,
				    struct lamina_ioeventfd *p)
{
	if (a->len != 0 && a->len != 1 && a->len != 2 && a->len != 4 &&
	    a->len != 8)
		return "length not 0, 1, 2, 4 or 8";
	if (a->addr + a->len < a->addr)
		return "address range wraps around";
	if (a->flags & ~KVM_IOEVENTFD_VALID_FLAG_MASK)
		return "unknown flags";
	if (!a->len && (a->flags & KVM_IOEVENTFD_FLAG_DATAMATCH))
		return "DATAMATCH with length 0";
	p->addr = a->addr;
	p->len = a->len;
	p->bus = ioeventfd_bus(a->flags);
	p->wildcard = !(a->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	p->datamatch = p->wildcard ? 0 : a->datamatch;
	return NULL;
}

/*
 * Could one write hit both? KVM's ioeventfd_check_collision(): the same
 * address on the same bus, and any length on one side, or the same
 * length and any value on one side or the same value.
 */
static bool ioeventfd_collide(const struct lamina_ioeventfd *a,
			      const struct lamina_ioeventfd *b)
{
	return a->bus == b->bus && a->addr == b->addr &&
	       (!a->len || !b->len ||
		(a->len == b->len &&
		 (a->wildcard || b->wildcard || a->datamatch == b->datamatch)));
}

/* Does a write of @len bytes of @val at @addr hit @p? KVM's rule. */
static bool ioeventfd_hit(const struct lamina_ioeventfd *p, u64 addr,
			  u32 len, u64 val)
{
	if (p->addr != addr)
		return false;
	if (!p->len)
		return true;
	if (p->len != len)
		return false;
	return p->wildcard || val == p->datamatch;
}

bool lamina_ioeventfd_write(struct lamina_vm *vm, enum lamina_iobus bus,
			    u64 addr, u32 len, u64 val)
{
	struct lamina_ioeventfd *p;
	bool hit = false;

	if (len < 8)
		val &= (1ULL << (8 * len)) - 1;
	rcu_read_lock();
	list_for_each_entry_rcu(p, &vm->ioeventfds, list) {
		/* Registrations never collide: at most one hits. */
		if (p->bus == bus && ioeventfd_hit(p, addr, len, val)) {
			eventfd_signal(p->ctx, 1);
			hit = true;
			break;
		}
	}
	rcu_read_unlock();
	return hit;
}

static long ioeventfd_assign(struct lamina_vm *vm, const struct kvm_ioeventfd *a)
{
	struct lamina_ioeventfd *p, *q;
	const char *why;
	long ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	why = ioeventfd_decode(a, p);
	if (why) {
		pr_info_ratelimited("lamina: KVM_IOEVENTFD: %s (addr 0x%llx, len %u, flags 0x%x)\n",
				    why, a->addr, a->len, a->flags);
		kfree(p);
		return -EINVAL;
	}
	/* -EBADF for no fd, -EINVAL for an fd that is not an eventfd. */
	p->ctx = eventfd_ctx_fdget(a->fd);
	if (IS_ERR(p->ctx)) {
		ret = PTR_ERR(p->ctx);
		kfree(p);
		return ret;
	}
	mutex_lock(&vm->lock);
	ret = 0;
	list_for_each_entry(q, &vm->ioeventfds, list)
		if (ioeventfd_collide(p, q))
			ret = -EEXIST;
	if (!ret && vm->nr_ioeventfds >= IOEVENTFD_MAX) {
		pr_info_ratelimited("lamina: KVM_IOEVENTFD: %u registrations already (the limit)\n",
				    vm->nr_ioeventfds);
		ret = -ENOSPC;
	}
	if (!ret) {
		list_add_tail_rcu(&p->list, &vm->ioeventfds);
		vm->nr_ioeventfds++;
	}
	mutex_unlock(&vm->lock);
	if (ret) {
		eventfd_ctx_put(p->ctx);
		kfree(p);
	}
	return ret;
}

/*
 * KVM's kvm_deassign_ioeventfd(): the flags are not checked; the entry
 * must match in bus, eventfd, address, length and datamatch (-ENOENT).
 */
static long ioeventfd_deassign(struct lamina_vm *vm,
			       const struct kvm_ioeventfd *a)
{
	bool wildcard = !(a->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	enum lamina_iobus bus = ioeventfd_bus(a->flags);
	struct lamina_ioeventfd *p, *found = NULL;
	struct eventfd_ctx *ctx;

	ctx = eventfd_ctx_fdget(a->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mutex_lock(&vm->lock);
	list_for_each_entry(p, &vm->ioeventfds, list) {
		if (p->bus == bus && p->ctx == ctx && p->addr == a->addr &&
		    p->len == a->len && p->wildcard == wildcard &&
		    (wildcard || p->datamatch == a->datamatch)) {
			found = p;
			break;
		}
	}
	if (found) {
		list_del_rcu(&found->list);
		vm->nr_ioeventfds--;
	}
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(ctx);
	if (!found)
		return -ENOENT;
	/* A vCPU may be walking past it: free after every reader left. */
	synchronize_rcu();
	eventfd_ctx_put(found->ctx);
	kfree(found);
	return 0;
}

long lamina_ioeventfd_ioctl(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_ioeventfd a;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.flags & KVM_IOEVENTFD_FLAG_DEASSIGN)
		return ioeventfd_deassign(vm, &a);
	return ioeventfd_assign(vm, &a);
}

void lamina_ioeventfd_release_all(struct lamina_vm *vm)
{
	struct lamina_ioeventfd *p, *n;

	list_for_each_entry_safe(p, n, &vm->ioeventfds, list) {
		list_del(&p->list);
		eventfd_ctx_put(p->ctx);
		kfree(p);
	}
	vm->nr_ioeventfds = 0;
}
