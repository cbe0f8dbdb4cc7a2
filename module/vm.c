// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM fd: memory slots, vCPU creation, and the VM's lifetime.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "ioeventfd.h"
#include "irqfd.h"
#include "kvmclock.h"
#include "lamina.h"
#include "npt.h"

static void lamina_vm_free(struct kref *ref)
{
	struct lamina_vm *vm = container_of(ref, struct lamina_vm, ref);
	unsigned int i;

	/* Before the vCPUs go: an irqfd injection may still target them. */
	lamina_irqfd_release_all(vm);
	for (i = 0; i < LAMINA_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			lamina_vcpu_free(vm->vcpus[i]);
	lamina_ioeventfd_release_all(vm);
	cleanup_srcu_struct(&vm->ioeventfd_srcu);
	/* No injection reads the routes any more (irqfd_release_all). */
	lamina_irqchip_free(vm);
	cleanup_srcu_struct(&vm->irq_srcu);
	lamina_mem_release_all(vm);
	lamina_npt_free(vm->npt);
	mmdrop(vm->mm);
	kfree(vm);
	atomic_long_dec(&lamina_live_vms);
}

void lamina_vm_put(struct lamina_vm *vm)
{
	kref_put(&vm->ref, lamina_vm_free);
}

static int lamina_vm_release(struct inode *inode, struct file *filp)
{
	lamina_vm_put(filp->private_data);
	return 0;
}

static long lamina_vm_set_region(struct lamina_vm *vm, void __user *argp)
{
	struct kvm_userspace_memory_region r;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	return lamina_mem_set_region(vm, &r);
}

static long lamina_vm_ioctl(struct file *filp, unsigned int cmd,
			    unsigned long arg)
{
	struct lamina_vm *vm = filp->private_data;
	long ret;

	/* Only the process that created the VM may change it (KVM's rule). */
	if (vm->mm != current->mm)
		return -EIO;

	switch (cmd) {
	case KVM_SET_USER_MEMORY_REGION:
		ret = lamina_vm_set_region(vm, (void __user *)arg);
		break;
	case KVM_CREATE_VCPU:
		ret = lamina_vcpu_create(vm, arg);
		break;
	case KVM_SET_TSS_ADDR:
		/*
		 * KVM needs three pages there for its real-mode emulation;
		 * lamina requires unrestricted guests and keeps the value
		 * only so that the same userspace works (docs/abi.md).
		 */
		vm->tss_addr = arg;
		ret = 0;
		break;
	case KVM_ENABLE_CAP:
		ret = lamina_irqchip_enable_cap(vm, (void __user *)arg);
		break;
	case KVM_SIGNAL_MSI:
		ret = lamina_irqchip_signal_msi(vm, (void __user *)arg);
		break;
	case KVM_SET_GSI_ROUTING:
		ret = lamina_irqchip_set_gsi_routing(vm, (void __user *)arg);
		break;
	case KVM_IOEVENTFD:
		ret = lamina_ioeventfd_ioctl(vm, (void __user *)arg);
		break;
	case KVM_IRQFD:
		ret = lamina_irqfd_ioctl(vm, (void __user *)arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	return ret;
}

static const struct file_operations lamina_vm_fops = {
	.owner = THIS_MODULE,
	.release = lamina_vm_release,
	.unlocked_ioctl = lamina_vm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* KVM_CREATE_VM: returns the new VM's fd. */
int lamina_vm_create(void)
{
	struct lamina_vm *vm;
	int fd;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	if (lamina_mem_vm_init(vm)) {
		kfree(vm);
		return -EIO;
	}
	vm->npt = lamina_npt_alloc(lamina_backend);
	if (!vm->npt) {
		kfree(vm);
		return -ENOMEM;
	}
	if (init_srcu_struct(&vm->ioeventfd_srcu)) {
		lamina_npt_free(vm->npt);
		kfree(vm);
		return -ENOMEM;
	}
	if (init_srcu_struct(&vm->irq_srcu)) {
		cleanup_srcu_struct(&vm->ioeventfd_srcu);
		lamina_npt_free(vm->npt);
		kfree(vm);
		return -ENOMEM;
	}
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_rwsem(&vm->mem_sem);
	INIT_LIST_HEAD(&vm->ioeventfds);
	spin_lock_init(&vm->irqfd_lock);
	INIT_LIST_HEAD(&vm->irqfds);
	lamina_kvmclock_vm_init(vm);
	mmgrab(current->mm);
	vm->mm = current->mm;
	atomic_long_inc(&lamina_live_vms);

	fd = anon_inode_getfd("lamina-vm", &lamina_vm_fops, vm,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0)
		lamina_vm_put(vm);
	return fd;
}
