// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX event injection, the interrupt shadow and the interrupt window
 * (SDM vol. 3C: 25.8.3 "VM-Entry Controls for Event Injection", 27.6
 * "Event Injection", 25.4.2 interruptibility state, 26.7.5 "Interrupt-
 * Window Exiting", 28.2.4 "Information for VM Exits During Event
 * Delivery"). VMCS current, host interrupts off.
 */
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/debugreg.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

#define VMX_SHADOW_MASK (GUEST_INTR_STATE_STI | GUEST_INTR_STATE_MOV_SS)

static_assert(LAMINA_SHADOW_STI == GUEST_INTR_STATE_STI);
static_assert(LAMINA_SHADOW_MOVSS == GUEST_INTR_STATE_MOV_SS);

/* Types 4, 5, 6 need the instruction length (27.6.1.1). */
static bool vmx_event_is_soft(u8 type)
{
	return type == LAMINA_EVENT_SOFT_INT ||
	       type == LAMINA_EVENT_PRIV_SOFT_EXCEPTION ||
	       type == LAMINA_EVENT_SOFT_EXCEPTION;
}

/*
 * An intercepted #DB: the exit left DR6 and DR7.GD as they were (27.1
 * "Architectural State Before a VM Exit"); the guest's DR6 is the CPU's
 * own (MOV DR does not exit), so it is written here, interrupts off,
 * on the CPU that enters. With RFLAGS.TF and an STI/MOV-SS shadow the
 * entry needs the single step pending (26.3.1.5), which the #DB exit did
 * not record (KVM sets it the same way).
 */
static void vmx_event_load_dbg(struct lamina_vcpu *vcpu, u32 dbg)
{
	unsigned long dr6;

	get_debugreg(dr6, 6);
	set_debugreg(lamina_db_deliver_dr6(dr6, dbg), 6);
	vmcs_writel(GUEST_DR7, vmcs_readl(GUEST_DR7) & ~LAMINA_DR7_GD);
	if ((vcpu->rflags & X86_EFLAGS_TF) && vcpu->intr_shadow)
		vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS,
			    vmcs_readl(GUEST_PENDING_DBG_EXCEPTIONS) | DR_STEP);
}

void vmx_event_load(struct lamina_vcpu *vcpu)
{
	const struct lamina_event *e = &vcpu->event;
	u32 info = 0, intr, proc, old, shadow = vcpu->intr_shadow;

	if (e->valid) {
		info = INTR_INFO_VALID_MASK | e->vector | ((u32)e->type << 8);
		/*
		 * Real mode pushes no error code, and 27.2.1.3 refuses one
		 * with CR0.PE = 0: drop it there, as KVM's
		 * kvm_inject_exception() does.
		 */
		if (e->has_error && (vmcs_readl(GUEST_CR0) & X86_CR0_PE)) {
			info |= INTR_INFO_DELIVER_CODE_MASK;
			vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, e->error);
		}
		if (vmx_event_is_soft(e->type))
			vmcs_write32(VM_ENTRY_INSTRUCTION_LEN, e->insn_len);
		if (e->has_dbg)
			vmx_event_load_dbg(vcpu, e->dbg);
		/* Loaded into the CPU's CR2 right before VM entry. */
		if (e->has_cr2)
			((struct vmx_vcpu *)vcpu->vendor)->cr2 = e->cr2;
	}
	vmcs_write32(VM_ENTRY_INTR_INFO_FIELD, info);

	/*
	 * 27.3.1.5: no blocking by STI with RFLAGS.IF = 0 (userspace may
	 * have cleared IF), and never both kinds at once.
	 */
	if (!(vcpu->rflags & X86_EFLAGS_IF) ||
	    (shadow & GUEST_INTR_STATE_MOV_SS))
		shadow &= ~GUEST_INTR_STATE_STI;
	intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) & ~VMX_SHADOW_MASK;
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, intr | shadow);

	old = proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	if (vcpu->irq_window)
		proc |= CPU_BASED_INTR_WINDOW_EXITING;
	else
		proc &= ~CPU_BASED_INTR_WINDOW_EXITING;
	/* MOV DR until the guest owns its debug registers (debugreg.c). */
	if (vcpu->db_owned)
		proc &= ~CPU_BASED_MOV_DR_EXITING;
	else
		proc |= CPU_BASED_MOV_DR_EXITING;
	/* A changed control is checked against the policy again. */
	if (proc != old) {
		vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
		((struct vmx_vcpu *)vcpu->vendor)->policy_dirty = true;
	}
}

/*
 * After a VM exit (not a failed entry): the injected event was delivered
 * or is named again by the IDT-vectoring information, which goes back
 * into vcpu->event so the interrupted delivery is retried; soft events
 * keep their instruction length (VM-exit instruction length, 28.2.5).
 */
void vmx_event_store(struct lamina_vcpu *vcpu)
{
	u32 idt = vmcs_read32(IDT_VECTORING_INFO_FIELD);
	u8 type = (idt & VECTORING_INFO_TYPE_MASK) >> 8;

	vcpu->event.valid = false;
	vcpu->intr_shadow = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
			    VMX_SHADOW_MASK;
	if (!(idt & VECTORING_INFO_VALID_MASK))
		return;
	vcpu->event = (struct lamina_event) {
		.valid = true,
		.type = type,
		.vector = idt & VECTORING_INFO_VECTOR_MASK,
		.has_error = !!(idt & VECTORING_INFO_DELIVER_CODE_MASK),
	};
	if (vcpu->event.has_error)
		vcpu->event.error = vmcs_read32(IDT_VECTORING_ERROR_CODE);
	if (vmx_event_is_soft(type))
		vcpu->event.insn_len = vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
}
