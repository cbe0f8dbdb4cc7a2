// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM on each host CPU: EFER.SVME, the VMRUN host save area, and the
 * page VMSAVE/VMLOAD use for the host state VMRUN does not switch.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <asm/io.h>
#include <asm/msr.h>

#include "svm.h"

struct svm_cpu {
	struct page *hsave;	/* MSR_VM_HSAVE_PA */
	struct page *host_save;	/* VMSAVE/VMLOAD of host state */
	struct vmcb *last_vmcb;
};

static DEFINE_PER_CPU(struct svm_cpu, svm_cpus);

void svm_unsetup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);

		if (sc->hsave)
			__free_page(sc->hsave);
		if (sc->host_save)
			__free_page(sc->host_save);
		sc->hsave = NULL;
		sc->host_save = NULL;
	}
}

/* Allocate every CPU's pages up front: enable runs where it cannot sleep. */
int svm_setup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct svm_cpu *sc = per_cpu_ptr(&svm_cpus, cpu);

		sc->hsave = alloc_pages_node(cpu_to_node(cpu),
					     GFP_KERNEL | __GFP_ZERO, 0);
		sc->host_save = alloc_pages_node(cpu_to_node(cpu),
						 GFP_KERNEL | __GFP_ZERO, 0);
		if (!sc->hsave || !sc->host_save) {
			svm_unsetup();
			return -ENOMEM;
		}
	}
	return 0;
}

int svm_cpu_enable(void)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpus);
	u64 efer;

	rdmsrl(MSR_EFER, efer);
	if (efer & EFER_SVME) {
		pr_err("lamina: SVM is already in use on CPU %d (EFER.SVME set); unload the other hypervisor first, e.g. 'rmmod kvm_amd'\n",
		       smp_processor_id());
		return -EBUSY;
	}
	wrmsrl(MSR_EFER, efer | EFER_SVME);
	wrmsrl(MSR_VM_HSAVE_PA, page_to_phys(sc->hsave));
	sc->last_vmcb = NULL;
	return 0;
}

void svm_cpu_disable(void)
{
	u64 efer;

	wrmsrl(MSR_VM_HSAVE_PA, 0);
	rdmsrl(MSR_EFER, efer);
	wrmsrl(MSR_EFER, efer & ~EFER_SVME);
}

u64 svm_host_save_pa(void)
{
	return page_to_phys(this_cpu_ptr(&svm_cpus)->host_save);
}

bool svm_cpu_switch_vmcb(struct vmcb *vmcb)
{
	struct svm_cpu *sc = this_cpu_ptr(&svm_cpus);
	bool switched = sc->last_vmcb != vmcb;

	sc->last_vmcb = vmcb;
	return switched;
}
