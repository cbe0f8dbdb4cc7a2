/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LAMINA_SVM_H
#define LAMINA_SVM_H

#include <linux/types.h>
#include <linux/kvm.h>
#include <asm/svm.h>

/* Per-vCPU SVM state. */
struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	void *msrpm;		/* 8 KiB MSR permission map */
	void *iopm;		/* 12 KiB I/O permission map */
	/*
	 * A control word may have changed since the policy check last passed
	 * (svm_policy.c): set at creation and by whoever writes one.
	 */
	bool policy_dirty;
};

struct lamina_vcpu;
struct vmm_exit_event;

bool svm_cpu_has_extension(void);
int svm_probe(void);
int svm_setup(void);
void svm_unsetup(void);
int svm_cpu_enable(void);
void svm_cpu_disable(void);
/* Host state area for VMSAVE/VMLOAD on this CPU (a VMCB-format page). */
u64 svm_host_save_pa(void);
/* Last VMCB that ran on this CPU: a different one means flush the ASID. */
bool svm_cpu_switch_vmcb(struct vmcb *vmcb);

int svm_vcpu_create(struct lamina_vcpu *vcpu, u64 npt_root);
void svm_vcpu_free(struct lamina_vcpu *vcpu);
void svm_get_sregs(struct lamina_vcpu *vcpu, struct kvm_sregs *s);
int svm_set_sregs(struct lamina_vcpu *vcpu, const struct kvm_sregs *s);
/* svm_msr.c */
int svm_build_permission_maps(struct svm_vcpu *sv);
int svm_get_msr(struct lamina_vcpu *vcpu, u32 index, u64 *val);
int svm_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 val);
int svm_run(struct lamina_vcpu *vcpu, bool flush, struct vmm_exit_event *ev);
void svm_vcpu_put(struct lamina_vcpu *vcpu);

/* svm_event.c: vcpu->event, shadow and window into / out of the VMCB. */
void svm_event_load(struct lamina_vcpu *vcpu, struct vmcb *vmcb);
void svm_event_store(struct lamina_vcpu *vcpu, const struct vmcb *vmcb);
/* svm_check.c: libvmm's VMRUN checks; false (logged) if one fails. */
bool svm_entry_check(struct lamina_vcpu *vcpu, const struct vmcb *vmcb);
/*
 * svm_policy.c: libvmm's policy check on the VMCB's controls; false
 * (logged, @ev a failed entry naming the rule) if a rule is broken.
 */
bool svm_policy_check(struct lamina_vcpu *vcpu, struct vmm_exit_event *ev);
void svm_policy_test_corrupt(struct svm_vcpu *sv, unsigned int rule);

/* svm_vmrun.S */
void lamina_svm_vmrun(u64 guest_vmcb_pa, u64 host_save_pa, u64 *gprs);

#endif /* LAMINA_SVM_H */
