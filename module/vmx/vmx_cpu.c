// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX on each host CPU: the VMXON region, VMXON/VMXOFF, and which VMCSs
 * are active on the CPU (KVM's loaded_vmcss_on_cpu idea).
 *
 * A VMCS is active on at most one CPU; moving it needs VMCLEAR on the old
 * CPU (which writes its cached state back to memory and clears its launch
 * state) before VMPTRLD on the new one (SDM vol. 3C, 25.11.1 "Software
 * Use of Virtual-Machine Control Structures", 25.11.3 "Initializing a
 * VMCS"). Each CPU keeps the list of VMCSs active on it and clears them
 * all before VMXOFF (25.11.1 again: VMXOFF leaves active VMCSs' data
 * unwritten). Lists are only touched by their own CPU with interrupts
 * off; other CPUs ask through an IPI.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <asm/io.h>
#include <asm/msr.h>
#include <asm/tlbflush.h>

#include "vmx.h"
#include "vmx_vmcs.h"

struct vmx_cpu {
	struct page *vmxon;		/* the VMXON region */
	bool on;			/* in VMX operation */
	struct list_head loaded;	/* struct vmx_vcpu.loaded_link */
	struct vmx_vcpu *cur;		/* the current VMCS (VMPTRLD) */
};

static DEFINE_PER_CPU(struct vmx_cpu, vmx_cpus);

void vmx_unsetup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpus, cpu);

		if (vc->vmxon)
			__free_page(vc->vmxon);
		vc->vmxon = NULL;
	}
}

/* Allocate every CPU's region up front: enable runs where it cannot sleep. */
int vmx_setup(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct vmx_cpu *vc = per_cpu_ptr(&vmx_cpus, cpu);

		INIT_LIST_HEAD(&vc->loaded);
		vc->vmxon = alloc_pages_node(cpu_to_node(cpu),
					     GFP_KERNEL | __GFP_ZERO, 0);
		if (!vc->vmxon) {
			vmx_unsetup();
			return -ENOMEM;
		}
		/* 25.11.5: the region starts with the VMCS revision ID. */
		*(u32 *)page_address(vc->vmxon) = vmx_caps.revision;
	}
	return 0;
}

int vmx_cpu_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);
	int ret;

	if (cr4_read_shadow() & X86_CR4_VMXE) {
		pr_err("lamina: VMX is already in use on CPU %d (CR4.VMXE set); unload the other hypervisor first, e.g. 'rmmod kvm_intel'\n",
		       smp_processor_id());
		return -EBUSY;
	}
	/* 24.7 "Enabling and Entering VMX Operation": CR4.VMXE, then VMXON. */
	cr4_set_bits(X86_CR4_VMXE);
	ret = vmx_vmxon(page_to_phys(vc->vmxon));
	if (ret) {
		cr4_clear_bits(X86_CR4_VMXE);
		pr_err("lamina: VMXON failed on CPU %d (%d); is IA32_FEATURE_CONTROL set the same on every CPU?\n",
		       smp_processor_id(), ret);
		return ret;
	}
	vc->on = true;
	vc->cur = NULL;
	return 0;
}

/* VMCLEAR @vv on this CPU, where it is active. Interrupts off. */
static void vmx_clear_here(struct vmx_cpu *vc, struct vmx_vcpu *vv)
{
	int ret = vmx_vmclear(vv->vmcs_pa);

	if (ret)
		pr_err("lamina: VMCLEAR failed on CPU %d (%d)\n",
		       smp_processor_id(), ret);
	/* 31.3 VMCLEAR: clearing the current VMCS leaves none current. */
	if (vc->cur == vv)
		vc->cur = NULL;
	list_del(&vv->loaded_link);
	vv->launched = false;
	/* The list entry and launch state are updated before ->cpu says so. */
	smp_wmb();
	WRITE_ONCE(vv->cpu, -1);
}

void vmx_cpu_disable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);
	struct vmx_vcpu *vv, *tmp;
	unsigned long flags;

	if (!vc->on)
		return;
	local_irq_save(flags);
	list_for_each_entry_safe(vv, tmp, &vc->loaded, loaded_link)
		vmx_clear_here(vc, vv);
	local_irq_restore(flags);
	if (vmx_vmxoff())
		pr_err("lamina: VMXOFF failed on CPU %d\n", smp_processor_id());
	cr4_clear_bits(X86_CR4_VMXE);
	vc->on = false;
}

/* IPI handler (or a direct call on the right CPU): interrupts are off. */
static void vmx_clear_ipi(void *arg)
{
	struct vmx_vcpu *vv = arg;

	/* The CPU may have cleared it already, going offline. */
	if (READ_ONCE(vv->cpu) == smp_processor_id())
		vmx_clear_here(this_cpu_ptr(&vmx_cpus), vv);
}

void vmx_vcpu_clear(struct vmx_vcpu *vv)
{
	int cpu = READ_ONCE(vv->cpu);

	/*
	 * An offline CPU cleared its VMCSs in vmx_cpu_disable() before it
	 * went: -ENXIO then leaves nothing behind.
	 */
	if (cpu >= 0)
		smp_call_function_single(cpu, vmx_clear_ipi, vv, 1);
}

int vmx_vcpu_load(struct vmx_vcpu *vv)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpus);
	int cpu = smp_processor_id();
	bool arrived = false;
	int ret;

	if (READ_ONCE(vv->cpu) != cpu) {
		vmx_vcpu_clear(vv);
		/* Pairs with smp_wmb() in vmx_clear_here(). */
		smp_rmb();
		local_irq_disable();
		/* A new VMCS is initialized by VMCLEAR (25.11.3). */
		ret = vmx_vmclear(vv->vmcs_pa);
		if (!ret) {
			list_add(&vv->loaded_link, &vc->loaded);
			vv->launched = false;
			WRITE_ONCE(vv->cpu, cpu);
		}
		local_irq_enable();
		if (ret) {
			pr_err("lamina: VMCLEAR failed on CPU %d (%d)\n",
			       cpu, ret);
			return ret;
		}
		arrived = true;
	}
	if (vc->cur != vv) {
		ret = vmx_vmptrld(vv->vmcs_pa);
		if (ret) {
			pr_err("lamina: VMPTRLD failed on CPU %d (%d)\n",
			       cpu, ret);
			return ret;
		}
		vc->cur = vv;
	}
	/*
	 * The exit loads TR, GDTR and GS bases and the SYSENTER stack from
	 * the VMCS (SDM vol. 3C, 28.5 "Loading Host State"): left at the
	 * old CPU's, the next exit here runs on that CPU's TSS stacks and
	 * per-CPU data. A load from an ioctl or an exit handler
	 * (get_sregs, MSRs: shadow_hlt.c, MMIO decoding) also moves the
	 * VMCS, and the entry's own load then finds it here already.
	 */
	if (arrived)
		vmx_write_cpu_host_state();
	return arrived;
}
