// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtualization on every host CPU, as KVM does it: enabled on each CPU
 * as it comes online (and on all online CPUs at load), disabled as it
 * goes offline, around suspend and at unload.
 */
#include <linux/cpuhotplug.h>
#include <linux/syscore_ops.h>

#include "backend.h"
#include "lamina.h"

static enum cpuhp_state lamina_cpuhp_state;

static int lamina_cpu_online(unsigned int cpu)
{
	int ret;

	preempt_disable();
	ret = lamina_backend->cpu_enable();
	preempt_enable();
	return ret;
}

static int lamina_cpu_offline(unsigned int cpu)
{
	preempt_disable();
	lamina_backend->cpu_disable();
	preempt_enable();
	return 0;
}

/* Syscore callbacks run on the last CPU standing, interrupts off. */
static int lamina_suspend(void)
{
	lamina_backend->cpu_disable();
	return 0;
}

static void lamina_resume(void)
{
	WARN_ON(lamina_backend->cpu_enable());
}

static struct syscore_ops lamina_syscore_ops = {
	.suspend = lamina_suspend,
	.resume = lamina_resume,
};

int lamina_cpus_enable(void)
{
	int ret;

	ret = lamina_backend->setup();
	if (ret)
		return ret;
	/* Runs lamina_cpu_online on every online CPU; rolls back on error. */
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "lamina:online",
				lamina_cpu_online, lamina_cpu_offline);
	if (ret < 0) {
		lamina_backend->unsetup();
		return ret;
	}
	lamina_cpuhp_state = ret;
	register_syscore_ops(&lamina_syscore_ops);
	return 0;
}

void lamina_cpus_disable(void)
{
	unregister_syscore_ops(&lamina_syscore_ops);
	cpuhp_remove_state(lamina_cpuhp_state);
	lamina_backend->unsetup();
}
