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

#include "backend.h"

static const struct lamina_backend_ops *lamina_backend;

/* Extensions are advertised only once they really work: none yet. */
static long lamina_check_extension(unsigned long ext)
{
	return 0;
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

	ret = misc_register(&lamina_misc);
	if (ret) {
		pr_err("lamina: cannot register /dev/lamina (%d)\n", ret);
		return ret;
	}
	pr_info("lamina: loaded, %s backend, /dev/lamina ready\n",
		lamina_backend->name);
	return 0;
}

static void __exit lamina_exit(void)
{
	misc_deregister(&lamina_misc);
	pr_info("lamina: unloaded\n");
}

module_init(lamina_init);
module_exit(lamina_exit);

MODULE_DESCRIPTION("lamina: a secure virtual machine monitor (VMX/SVM)");
MODULE_LICENSE("GPL");
