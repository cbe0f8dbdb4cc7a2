/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one vendor boundary of lamina.ko.
 *
 * vmx/ and svm/ each export one const ops table; lamina_backend_select()
 * picks one at load time and the common code only ever calls through it.
 * Nothing outside vmx/ and svm/ tests the CPU vendor. Every op is
 * required: lamina_backend_select() refuses a table with a hole.
 */
#ifndef LAMINA_BACKEND_H
#define LAMINA_BACKEND_H

#include <linux/kvm.h>
#include <linux/types.h>

#include <libvmm/exit.h>

struct lamina_vcpu;

struct lamina_backend_ops {
	/* "vmx" or "svm": used in log messages only. */
	const char *name;
	/* libvmm page-table format: VMM_PT_FORMAT_EPT or _NPT. */
	u32 npt_format;
	/*
	 * The guest's DR6 is the CPU's own while it runs (VMX: no VMCS
	 * field), so debugreg.c switches it with DR0-DR3.
	 */
	bool switch_dr6;
	/* Does the CPU advertise this vendor's extension at all? */
	bool (*cpu_has_extension)(void);
	/*
	 * Can this host run lamina with this backend? Returns 0, or a
	 * negative errno after logging the reason and how to fix it.
	 */
	int (*probe)(void);
	/* Allocate / free what every CPU needs, before any is enabled. */
	int (*setup)(void);
	void (*unsetup)(void);
	/*
	 * Turn virtualization on / off on the calling CPU (VMXON, or
	 * EFER.SVME + host save area). Called from CPU hotplug callbacks
	 * and syscore suspend/resume, preemption disabled.
	 */
	int (*cpu_enable)(void);
	void (*cpu_disable)(void);
	/* Allocate / free the vendor state of a vCPU (VMCS or VMCB). */
	int (*vcpu_create)(struct lamina_vcpu *vcpu, u64 npt_root);
	void (*vcpu_free)(struct lamina_vcpu *vcpu);
	/*
	 * Registers. RAX, RSP, RIP and RFLAGS are kept in the VMCS/VMCB;
	 * the backend moves them to and from vcpu->gprs/rip/rflags around
	 * each entry, so the common code only ever sees struct lamina_vcpu.
	 */
	void (*get_sregs)(struct lamina_vcpu *vcpu, struct kvm_sregs *s);
	int (*set_sregs)(struct lamina_vcpu *vcpu, const struct kvm_sregs *s);
	/*
	 * The MSRs the VMCS/VMCB holds or the backend switches: those
	 * libvmm's MSR layer answers VMM_MSR_ACT_BACKEND for (msr_vendor in
	 * acsl-specs/msr.acsl: EFER as KVM_GET/SET_SREGS see it, the
	 * SYSCALL and SYSENTER MSRs, FS/GS/KERNEL_GS_BASE, PAT), and
	 * MSR_IA32_TSC meaning the TSC *offset*. The layer has validated
	 * the value already. Return 0, or -EIO when the VMCS failed (logged).
	 */
	int (*get_msr)(struct lamina_vcpu *vcpu, u32 index, u64 *val);
	int (*set_msr)(struct lamina_vcpu *vcpu, u32 index, u64 val);
	/*
	 * Enter the guest once and decode the exit with libvmm into @ev.
	 * Called with preemption disabled. @flush: the second-level page
	 * table changed or the vCPU moved CPU since its last entry.
	 * Returns 0, or a negative errno when the entry itself failed in a
	 * way that is the module's bug (VMfail), after logging it.
	 */
	int (*run)(struct lamina_vcpu *vcpu, bool flush,
		   struct vmm_exit_event *ev);
	/*
	 * The vCPU leaves this CPU: KVM_RUN returns, or its thread is
	 * scheduled out (vcpu.c's preempt notifier). Put back the host
	 * state the backend left loaded across exits since its first
	 * entry. Preemption off, interrupts on or off; cheap when nothing
	 * is loaded.
	 */
	void (*vcpu_put)(struct lamina_vcpu *vcpu);
};

/*
 * For the run op: with interrupts off (SVM: GIF = 0), right before the
 * entry. Loads the guest's FPU registers if the kernel took them since
 * the last entry, and makes a kick that came after the injection
 * decision end the entry at once (vcpu.c).
 */
void lamina_vcpu_entry_irqs_off(struct lamina_vcpu *vcpu);

extern const struct lamina_backend_ops lamina_vmx_ops;
extern const struct lamina_backend_ops lamina_svm_ops;

const struct lamina_backend_ops *lamina_backend_select(void);

#endif /* LAMINA_BACKEND_H */
