// SPDX-License-Identifier: GPL-2.0-only
/*
 * Choose the vendor backend, once, at module load.
 */
#include <linux/kernel.h>
#include <linux/printk.h>

#include "backend.h"

static const struct lamina_backend_ops *const lamina_backends[] = {
	&lamina_vmx_ops,
	&lamina_svm_ops,
};

/* Every op is required: a hole would be a NULL call at run time. */
static bool lamina_backend_complete(const struct lamina_backend_ops *ops)
{
	return ops->name && ops->cpu_has_extension && ops->probe &&
	       ops->setup && ops->unsetup && ops->cpu_enable &&
	       ops->cpu_disable && ops->vcpu_create && ops->vcpu_free &&
	       ops->get_sregs && ops->set_sregs && ops->get_msr &&
	       ops->set_msr && ops->run && ops->vcpu_put;
}

const struct lamina_backend_ops *lamina_backend_select(void)
{
	const struct lamina_backend_ops *chosen = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lamina_backends) && !chosen; i++)
		if (lamina_backends[i]->cpu_has_extension())
			chosen = lamina_backends[i];
	if (chosen && WARN_ON(!lamina_backend_complete(chosen)))
		chosen = NULL;

	if (!chosen)
		pr_err("lamina: this CPU has neither Intel VMX nor AMD SVM; enable virtualization in the firmware or, in a VM, expose it to the guest (e.g. QEMU -cpu ...,+svm or +vmx)\n");
	return chosen;
}
