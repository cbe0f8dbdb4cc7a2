/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSRs: KVM_GET/SET_MSRS, KVM_GET_MSR_INDEX_LIST and the guest's
 * RDMSR/WRMSR exits (msr.c). The MSRs the VMCS/VMCB holds are the
 * backend's (get_msr/set_msr in backend.h); libvmm decides the rest.
 */
#ifndef LAMINA_MSR_H
#define LAMINA_MSR_H

#include <linux/kvm.h>
#include <linux/types.h>

/*
 * The MSR set, the value rules and the stored MSRs (struct
 * vmm_msr_state, in struct lamina_vcpu; see docs/abi.md for their
 * effect): libvmm layer 12.
 */
#include <libvmm/msr.h>

struct lamina_vcpu;

/* /dev/lamina: KVM_GET_MSR_INDEX_LIST. */
long lamina_msr_index_list(struct kvm_msr_list __user *uarg);

/* vCPU fd: KVM_GET_MSRS (@set false), KVM_SET_MSRS (@set true). */
long lamina_msr_ioctl(struct lamina_vcpu *vcpu, struct kvm_msrs __user *uarg,
		      bool set);

/*
 * The guest executed RDMSR / WRMSR (index in ECX, value in EDX:EAX).
 * Returns true when it is done (move past it), false when the module
 * queued #GP instead.
 */
bool lamina_msr_exit(struct lamina_vcpu *vcpu, bool write);

/* A new vCPU's MSRs, as after RESET (and KVM's vCPU creation). */
void lamina_msr_reset(struct lamina_vcpu *vcpu);

#endif /* LAMINA_MSR_H */
