/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPUID: what lamina offers, the per-vCPU table userspace sets, and the
 * guest's CPUID exits answered from it (cpuid.c).
 */
#ifndef LAMINA_CPUID_H
#define LAMINA_CPUID_H

#include <linux/kvm.h>
#include <linux/types.h>

struct lamina_vcpu;

/* /dev/lamina: KVM_GET_SUPPORTED_CPUID. */
long lamina_cpuid_get_supported(struct kvm_cpuid2 __user *uarg);

/* vCPU fd: KVM_SET_CPUID2, KVM_GET_CPUID2. vcpu->lock held. */
long lamina_cpuid_set(struct lamina_vcpu *vcpu, struct kvm_cpuid2 __user *uarg);
long lamina_cpuid_get(struct lamina_vcpu *vcpu, struct kvm_cpuid2 __user *uarg);

/* The guest executed CPUID: answer it in RAX/RBX/RCX/RDX. */
void lamina_cpuid_exit(struct lamina_vcpu *vcpu);

/* The guest MAXPHYADDR the vCPU's table gives (36 without a table). */
u32 lamina_cpuid_maxphyaddr(const struct lamina_vcpu *vcpu);

/* Does the vCPU's table offer x2APIC (CPUID.1:ECX[21])? */
bool lamina_cpuid_has_x2apic(const struct lamina_vcpu *vcpu);

/* Does it offer 1 GiB pages (CPUID.80000001H:EDX[26])? */
bool lamina_cpuid_has_gbpages(const struct lamina_vcpu *vcpu);

/* Does it offer the TSC-deadline timer (CPUID.1:ECX[24])? */
bool lamina_cpuid_has_tsc_deadline(const struct lamina_vcpu *vcpu);

void lamina_cpuid_free(struct lamina_vcpu *vcpu);

#endif /* LAMINA_CPUID_H */
