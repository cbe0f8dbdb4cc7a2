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

const struct lamina_backend_ops *lamina_backend_select(void)
{
	const struct lamina_backend_ops *chosen = NULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lamina_backends) && !chosen; i++)
		if (lamina_backends[i]->cpu_has_extension())
			chosen = lamina_backends[i];

	if (!chosen)
		pr_err("lamina: this CPU has neither Intel VMX nor AMD SVM; enable virtualization in the firmware or, in a VM, expose it to the guest (e.g. QEMU -cpu ...,+svm or +vmx)\n");
	return chosen;
}
