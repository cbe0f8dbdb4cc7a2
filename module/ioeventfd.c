// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_IOEVENTFD (ioeventfd.h), with the rules of KVM's virt/kvm/eventfd.c
 * (Linux 6.1). Every decision is libvmm's (layer 7, libvmm/uapi.h): the
 * argument's checks and its key (vmm_uapi_decode_ioeventfd), collisions
 * (-EEXIST), which registration a deassign names, and whether a guest
 * write hits a registration. This file resolves the eventfd, keeps the
 * list and signals.
 *
 * Locking: the list is read under the VM's own SRCU (vm->ioeventfd_srcu)
 * by the vCPUs' exit path (which must not wait for an ioctl) and changed
 * under vm->lock by the ioctls. A deassign returns only once no vCPU can
 * signal the eventfd any more, as KVM's: it waits for that SRCU's readers
 * with synchronize_srcu_expedited(), which only this VM's vCPUs delay
 * (synchronize_rcu() waited for a normal grace period of the whole host:
 * 33x the exits of kvm.ko in ioeventfd-deassign-running in Bochs, and
 * minutes of a silent machine). An
 * entry holds its own eventfd reference: the eventfd outlives a close()
 * of its fd until the entry is deassigned or the VM goes, as in KVM.
 */
#include <linux/eventfd.h>
#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/srcu.h>
#include <linux/uaccess.h>

#include <libvmm/uapi.h>

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
	struct vmm_uapi_ioeventfd_key key;	/* libvmm's decoding */
};

static_assert(sizeof(struct vmm_uapi_ioeventfd) == sizeof(struct kvm_ioeventfd));
static_assert(offsetof(struct vmm_uapi_ioeventfd, flags) ==
	      offsetof(struct kvm_ioeventfd, flags));
static_assert(VMM_UAPI_IOEVENTFD_DATAMATCH == KVM_IOEVENTFD_FLAG_DATAMATCH &&
	      VMM_UAPI_IOEVENTFD_PIO == KVM_IOEVENTFD_FLAG_PIO &&
	      VMM_UAPI_IOEVENTFD_DEASSIGN == KVM_IOEVENTFD_FLAG_DEASSIGN &&
	      VMM_UAPI_IOEVENTFD_CCW == KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY &&
	      VMM_UAPI_IOEVENTFD_VALID == KVM_IOEVENTFD_VALID_FLAG_MASK);

bool lamina_ioeventfd_write(struct lamina_vm *vm, u32 bus, u64 addr, u32 len,
			    u64 val)
{
	struct lamina_ioeventfd *p;
	bool hit = false;
	int idx;

	idx = srcu_read_lock(&vm->ioeventfd_srcu);
	list_for_each_entry_srcu(p, &vm->ioeventfds, list,
				 srcu_read_lock_held(&vm->ioeventfd_srcu)) {
		/* Registrations never collide: at most one hits (libvmm). */
		if (vmm_uapi_ioeventfd_hit(&p->key, bus, addr, len, val)) {
			eventfd_signal(p->ctx, 1);
			hit = true;
			break;
		}
	}
	srcu_read_unlock(&vm->ioeventfd_srcu, idx);
	return hit;
}

static long ioeventfd_assign(struct lamina_vm *vm,
			     const struct vmm_uapi_ioeventfd *a)
{
	struct lamina_ioeventfd *p, *q;
	enum vmm_uapi_err err;
	long ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	err = vmm_uapi_decode_ioeventfd(a, &p->key);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_IOEVENTFD: %s (addr 0x%llx, len %u, flags 0x%x)\n",
				    lamina_uapi_why(err), a->addr, a->len, a->flags);
		kfree(p);
		return -(long)vmm_uapi_errno_class(err);
	}
	/* -EBADF for no fd, -EINVAL for an fd that is not an eventfd. */
	p->ctx = eventfd_ctx_fdget((int)a->fd);
	if (IS_ERR(p->ctx)) {
		ret = PTR_ERR(p->ctx);
		kfree(p);
		return ret;
	}
	mutex_lock(&vm->lock);
	ret = 0;
	list_for_each_entry(q, &vm->ioeventfds, list)
		if (vmm_uapi_ioeventfd_collide(&p->key, &q->key))
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
 * KVM's kvm_deassign_ioeventfd(): nothing is checked; the entry must
 * match in eventfd and key (bus, address, length, datamatch): -ENOENT.
 */
static long ioeventfd_deassign(struct lamina_vm *vm,
			       const struct vmm_uapi_ioeventfd *a)
{
	struct lamina_ioeventfd *p, *found = NULL;
	struct vmm_uapi_ioeventfd_key key;
	struct eventfd_ctx *ctx;

	vmm_uapi_ioeventfd_key(a, &key);
	ctx = eventfd_ctx_fdget((int)a->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mutex_lock(&vm->lock);
	list_for_each_entry(p, &vm->ioeventfds, list) {
		if (p->ctx == ctx && vmm_uapi_ioeventfd_same(&p->key, &key)) {
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
	synchronize_srcu_expedited(&vm->ioeventfd_srcu);
	eventfd_ctx_put(found->ctx);
	kfree(found);
	return 0;
}

long lamina_ioeventfd_ioctl(struct lamina_vm *vm, void __user *argp)
{
	struct vmm_uapi_ioeventfd a;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	if (a.flags & VMM_UAPI_IOEVENTFD_DEASSIGN)
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
