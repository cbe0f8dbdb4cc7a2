// SPDX-License-Identifier: GPL-2.0-only
/*
 * lamina.ko: module load/unload and the /dev/lamina character device.
 *
 * /dev/lamina answers the system-fd ioctls of <linux/kvm.h> with the same
 * numbers and structs as /dev/kvm. What it does not implement answers
 * -ENOTTY (unknown ioctl) or -EINVAL (bad argument), as KVM does.
 */
#include <linux/fs.h>
#include <linux/kvm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

#include "backend.h"
#include "cpuid.h"
#include "irqfd.h"
#include "lamina.h"

const struct lamina_backend_ops *lamina_backend;

atomic_long_t lamina_live_vms, lamina_live_vcpus, lamina_live_pinned;

/* Read-only counters in /sys/module/lamina/parameters/live_*. */
static int lamina_counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops lamina_counter_ops = {
	.get = lamina_counter_get,
};

module_param_cb(live_vms, &lamina_counter_ops, &lamina_live_vms, 0444);
MODULE_PARM_DESC(live_vms, "VMs alive now");
module_param_cb(live_vcpus, &lamina_counter_ops, &lamina_live_vcpus, 0444);
MODULE_PARM_DESC(live_vcpus, "vCPUs alive now");
module_param_cb(live_pinned_pages, &lamina_counter_ops, &lamina_live_pinned,
		0444);
MODULE_PARM_DESC(live_pinned_pages, "guest pages pinned now");

/*
 * TEST ONLY (tests/policy_check.c): a vCPU created while this is N != 0
 * gets policy rule N (libvmm/include/libvmm/policy.h, this backend's
 * enum) broken in its VMCB/VMCS, so that every entry must fail. Never
 * set it on a host that runs guests.
 */
unsigned int lamina_test_corrupt_policy;
module_param_named(test_corrupt_policy, lamina_test_corrupt_policy, uint,
		   0644);
MODULE_PARM_DESC(test_corrupt_policy,
		 "TEST ONLY: break policy rule N in every new vCPU's controls (0: off)");

/*
 * Extensions are advertised only once they really work (docs/abi.md);
 * everything else answers 0, which KVM's ABI defines as "not supported".
 */
static long lamina_check_extension(unsigned long ext)
{
	long ret;

	switch (ext) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_READONLY_MEM:
	case KVM_CAP_SET_TSS_ADDR:
	case KVM_CAP_EXT_CPUID:
	/* The split irqchip: module/irqchip.c, lapic*.c, wake.c. */
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_IRQ_ROUTING:
	case KVM_CAP_TSC_DEADLINE_TIMER:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_MP_STATE:
	/* module/ioeventfd.c, irqfd.c; not KVM_CAP_IRQFD_RESAMPLE. */
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_IOEVENTFD_NO_LENGTH:
	case KVM_CAP_IOEVENTFD_ANY_LENGTH:
	case KVM_CAP_IRQFD:
		ret = 1;
		break;
	case KVM_CAP_NR_VCPUS:
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:	/* ids 0 .. LAMINA_MAX_VCPUS - 1 */
		ret = LAMINA_MAX_VCPUS;
		break;
	case KVM_CAP_NR_MEMSLOTS:
		ret = VMM_MEMSLOT_MAX;
		break;
	default:
		ret = 0;
		break;
	}
	return ret;
}

static long lamina_dev_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	long ret;

	switch (cmd) {
	case KVM_GET_API_VERSION:
		/* KVM rejects any argument here; so do we. */
		ret = arg ? -EINVAL : KVM_API_VERSION;
		break;
	case KVM_CHECK_EXTENSION:
		ret = lamina_check_extension(arg);
		break;
	case KVM_CREATE_VM:
		/* Machine type 0 only, as KVM on x86. */
		ret = arg ? -EINVAL : lamina_vm_create();
		break;
	case KVM_GET_VCPU_MMAP_SIZE:
		ret = arg ? -EINVAL : LAMINA_RUN_PAGES * PAGE_SIZE;
		break;
	case KVM_GET_SUPPORTED_CPUID:
		ret = lamina_cpuid_get_supported((void __user *)arg);
		break;
	case KVM_GET_MSR_INDEX_LIST:
		ret = lamina_msr_index_list((void __user *)arg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	return ret;
}

/*
 * .owner pins the module while any fd is open, so rmmod is refused
 * (EBUSY) instead of pulling code from under a running VM.
 */
static const struct file_operations lamina_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = lamina_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice lamina_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "lamina",
	.fops = &lamina_dev_fops,
	.mode = 0660,
};

static int __init lamina_init(void)
{
	int ret;

	lamina_backend = lamina_backend_select();
	if (!lamina_backend)
		return -ENODEV;

	ret = lamina_backend->probe();
	if (ret)
		return ret;

	ret = lamina_mem_init();
	if (ret)
		return ret;

	ret = lamina_irqfd_init();
	if (ret)
		return ret;

	ret = lamina_cpus_enable();
	if (ret) {
		pr_err("lamina: cannot enable %s on every CPU (%d)\n",
		       lamina_backend->name, ret);
		lamina_irqfd_exit();
		return ret;
	}

	/* vcpu.c's preempt notifiers: the scheduler calls them from here on. */
	preempt_notifier_inc();
	ret = misc_register(&lamina_misc);
	if (ret) {
		pr_err("lamina: cannot register /dev/lamina (%d)\n", ret);
		preempt_notifier_dec();
		lamina_cpus_disable();
		lamina_irqfd_exit();
		return ret;
	}
	pr_info("lamina: loaded, %s backend, /dev/lamina ready\n",
		lamina_backend->name);
	return 0;
}

static void __exit lamina_exit(void)
{
	misc_deregister(&lamina_misc);
	preempt_notifier_dec();
	lamina_cpus_disable();
	lamina_irqfd_exit();
	pr_info("lamina: unloaded; live VMs %ld, vCPUs %ld, pinned pages %ld\n",
		atomic_long_read(&lamina_live_vms),
		atomic_long_read(&lamina_live_vcpus),
		atomic_long_read(&lamina_live_pinned));
}

module_init(lamina_init);
module_exit(lamina_exit);

MODULE_DESCRIPTION("lamina: a secure virtual machine monitor (VMX/SVM)");
MODULE_LICENSE("GPL");
