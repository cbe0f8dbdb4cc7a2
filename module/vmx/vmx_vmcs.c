// SPDX-License-Identifier: GPL-2.0-only
/*
 * The slow path of the typed VMCS accessors (vmx_vmcs.h): every VMREAD or
 * VMWRITE that fails is logged with its field and counted on its CPU.
 */
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/smp.h>

#include "vmx_vmcs.h"

static DEFINE_PER_CPU(unsigned long, vmx_vmcs_fail_count);

/*
 * Read the VM-instruction error field (SDM vol. 3C, 31.4) without the
 * typed accessor, which would report its own failure back here.
 */
u32 vmx_insn_error(void)
{
	unsigned long field = VM_INSTRUCTION_ERROR, value;
	bool fail;

	asm volatile("vmread %[field], %[value]\n\t"
		     "setna %[fail]"
		     : [value] "=rm" (value), [fail] "=qm" (fail)
		     : [field] "r" (field) : "cc");
	return fail ? 0xffffffffU : (u32)value;
}

void vmx_vmwrite_failed(unsigned long field, unsigned long value)
{
	this_cpu_inc(vmx_vmcs_fail_count);
	pr_err_ratelimited("lamina: vmwrite of VMCS field 0x%lx (value 0x%lx) failed on CPU %d: VM-instruction error %u\n",
			   field, value, raw_smp_processor_id(),
			   vmx_insn_error());
}

void vmx_vmread_failed(unsigned long field)
{
	this_cpu_inc(vmx_vmcs_fail_count);
	pr_err_ratelimited("lamina: vmread of VMCS field 0x%lx failed on CPU %d: VM-instruction error %u\n",
			   field, raw_smp_processor_id(), vmx_insn_error());
}

void vmx_vmcs_faulted(const char *insn, unsigned long field)
{
	this_cpu_inc(vmx_vmcs_fail_count);
	pr_err_ratelimited("lamina: %s of VMCS field 0x%lx faulted on CPU %d: VMX is off\n",
			   insn, field, raw_smp_processor_id());
}

/* Failures so far on this CPU: compare before and after a sequence. */
unsigned long vmx_vmcs_fails(void)
{
	return this_cpu_read(vmx_vmcs_fail_count);
}
