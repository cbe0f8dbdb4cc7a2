// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_IRQFD (irqfd.h), with the rules of KVM's virt/kvm/eventfd.c (Linux
 * 6.1) for the split irqchip: the GSI's MSI route (irqchip.c) is looked
 * up when the eventfd fires, so a later KVM_SET_GSI_ROUTING retargets it;
 * a GSI without a route injects nothing. KVM_IRQFD_FLAG_RESAMPLE needs
 * KVM's in-kernel IOAPIC: -EINVAL here, as in KVM with a split irqchip.
 * The argument's rules are libvmm's (vmm_uapi_decode_irqfd), and so is
 * the route's MSI, decoded when the table was set (irqchip.c); this file
 * keeps the VM state (split irqchip, which eventfd drives which GSI:
 * -EBUSY).
 *
 * An irqfd sits on its eventfd's wait queue. The wake-up callback runs
 * with the eventfd's lock held and interrupts off, so it only queues
 * work: the injection (irqfd_inject) runs in process context, where it
 * reads the table under vm->irq_srcu and delivers (an MSI of mode INIT
 * starts a vCPU: not for atomic context). Teardown
 * (deassign, close() of the eventfd: EPOLLHUP, VM destruction) takes the
 * irqfd off the VM's list and queues irqfd_shutdown on irqfd_wq, which
 * unhooks it from the eventfd, waits for a running injection and frees
 * it; deassign and VM destruction wait for that queue, so no injection
 * reaches the VM after they return.
 *
 * Locking: vm->irqfd_lock (irq-safe: taken in the wake-up callback)
 * guards vm->irqfds; vm->lock serializes assign against deassign, so an
 * irqfd is never torn down while its assign still hooks it up.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/kvm.h>
#include <linux/poll.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <libvmm/uapi.h>

#include "irqfd.h"
#include "lamina.h"
#include "lapic.h"

static_assert(sizeof(struct vmm_uapi_irqfd) == sizeof(struct kvm_irqfd));
static_assert(offsetof(struct vmm_uapi_irqfd, flags) ==
	      offsetof(struct kvm_irqfd, flags));
static_assert(VMM_UAPI_IRQFD_DEASSIGN == KVM_IRQFD_FLAG_DEASSIGN &&
	      VMM_UAPI_IRQFD_RESAMPLE == KVM_IRQFD_FLAG_RESAMPLE);

struct lamina_irqfd {
	struct lamina_vm *vm;
	struct eventfd_ctx *ctx;
	u32 gsi;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
	struct list_head list;		/* vm->irqfds; empty once deactivated */
};

static struct workqueue_struct *irqfd_wq;

static void irqfd_inject(struct work_struct *work)
{
	struct lamina_irqfd *irqfd =
		container_of(work, struct lamina_irqfd, inject);

	lamina_irqchip_inject(irqfd->vm, irqfd->gsi);
}

static void irqfd_shutdown(struct work_struct *work)
{
	struct lamina_irqfd *irqfd =
		container_of(work, struct lamina_irqfd, shutdown);
	u64 cnt;

	/* No wake-up queues an injection after this ... */
	eventfd_ctx_remove_wait_queue(irqfd->ctx, &irqfd->wait, &cnt);
	/* ... and none still runs after this. */
	flush_work(&irqfd->inject);
	eventfd_ctx_put(irqfd->ctx);
	kfree(irqfd);
}

/* With vm->irqfd_lock held; once per irqfd (the list entry says so). */
static void irqfd_deactivate(struct lamina_irqfd *irqfd)
{
	list_del_init(&irqfd->list);
	queue_work(irqfd_wq, &irqfd->shutdown);
}

/* The eventfd's wake-up: its lock held, interrupts off. */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode,
			int sync, void *key)
{
	struct lamina_irqfd *irqfd =
		container_of(wait, struct lamina_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	struct lamina_vm *vm = irqfd->vm;
	unsigned long iflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		/* Consumed, as KVM does: a reader of the eventfd sees 0. */
		eventfd_ctx_do_read(irqfd->ctx, &cnt);
		schedule_work(&irqfd->inject);
	}
	if (flags & EPOLLHUP) {
		/* The eventfd's file is being released. */
		spin_lock_irqsave(&vm->irqfd_lock, iflags);
		if (!list_empty(&irqfd->list))
			irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&vm->irqfd_lock, iflags);
	}
	return 0;
}

static void irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
			     poll_table *pt)
{
	struct lamina_irqfd *irqfd = container_of(pt, struct lamina_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

/* Is @ctx some irqfd's already? With vm->irqfd_lock held. */
static bool irqfd_ctx_used(struct lamina_vm *vm, struct eventfd_ctx *ctx)
{
	struct lamina_irqfd *t;

	list_for_each_entry(t, &vm->irqfds, list)
		if (t->ctx == ctx)
			return true;
	return false;
}

static long irqfd_assign(struct lamina_vm *vm, const struct vmm_uapi_irqfd *a)
{
	struct lamina_irqfd *irqfd;
	struct fd f;
	__poll_t events;
	long ret;

	/* KVM's kvm_arch_irqfd_allowed(): an in-kernel LAPIC. */
	if (!READ_ONCE(vm->split_irqchip)) {
		pr_info_ratelimited("lamina: KVM_IRQFD: no KVM_CAP_SPLIT_IRQCHIP\n");
		return -EINVAL;
	}
	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return -ENOMEM;
	irqfd->vm = vm;
	irqfd->gsi = a->gsi;
	INIT_LIST_HEAD(&irqfd->list);
	INIT_WORK(&irqfd->inject, irqfd_inject);
	INIT_WORK(&irqfd->shutdown, irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, irqfd_queue_proc);

	f = fdget(a->fd);
	if (!f.file) {
		kfree(irqfd);
		return -EBADF;
	}
	irqfd->ctx = eventfd_ctx_fileget(f.file);	/* -EINVAL: no eventfd */
	if (IS_ERR(irqfd->ctx)) {
		ret = PTR_ERR(irqfd->ctx);
		goto out_free;
	}

	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfd_lock);
	/* KVM: one eventfd drives one GSI at a time (-EBUSY). */
	ret = irqfd_ctx_used(vm, irqfd->ctx) ? -EBUSY : 0;
	if (!ret)
		list_add_tail(&irqfd->list, &vm->irqfds);
	spin_unlock_irq(&vm->irqfd_lock);
	if (!ret) {
		/* Hook up; a signal that came before counts, as in KVM. */
		events = vfs_poll(f.file, &irqfd->pt);
		if (events & EPOLLIN)
			schedule_work(&irqfd->inject);
	}
	mutex_unlock(&vm->lock);
	if (!ret) {
		fdput(f);
		return 0;
	}
	eventfd_ctx_put(irqfd->ctx);
out_free:
	fdput(f);
	kfree(irqfd);
	return ret;
}

/* KVM: every irqfd of this eventfd and GSI goes; none is not an error. */
static long irqfd_deassign(struct lamina_vm *vm,
			   const struct vmm_uapi_irqfd *a)
{
	struct lamina_irqfd *irqfd, *n;
	struct eventfd_ctx *ctx;

	ctx = eventfd_ctx_fdget((int)a->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	mutex_lock(&vm->lock);
	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, n, &vm->irqfds, list)
		if (irqfd->ctx == ctx && irqfd->gsi == a->gsi)
			irqfd_deactivate(irqfd);
	spin_unlock_irq(&vm->irqfd_lock);
	mutex_unlock(&vm->lock);
	eventfd_ctx_put(ctx);
	/* No interrupt from it once this returns. */
	flush_workqueue(irqfd_wq);
	return 0;
}

long lamina_irqfd_ioctl(struct lamina_vm *vm, void __user *argp)
{
	struct vmm_uapi_irqfd a;
	enum vmm_uapi_err err;
	u32 deassign;

	if (copy_from_user(&a, argp, sizeof(a)))
		return -EFAULT;
	err = vmm_uapi_decode_irqfd(&a, &deassign);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_IRQFD(flags 0x%x): %s\n",
				    a.flags, lamina_uapi_why(err));
		return -(long)vmm_uapi_errno_class(err);
	}
	if (deassign)
		return irqfd_deassign(vm, &a);
	return irqfd_assign(vm, &a);
}

void lamina_irqfd_release_all(struct lamina_vm *vm)
{
	struct lamina_irqfd *irqfd, *n;

	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, n, &vm->irqfds, list)
		irqfd_deactivate(irqfd);
	spin_unlock_irq(&vm->irqfd_lock);
	flush_workqueue(irqfd_wq);
}

int lamina_irqfd_init(void)
{
	irqfd_wq = alloc_workqueue("lamina-irqfd", 0, 0);
	return irqfd_wq ? 0 : -ENOMEM;
}

void lamina_irqfd_exit(void)
{
	destroy_workqueue(irqfd_wq);
}
