/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_CPUID_H
#define VMMD_CPUID_H

#include <linux/kvm.h>

/*
 * The guest's CPUID: what the device supports (KVM_GET_SUPPORTED_CPUID),
 * plus what only userspace knows: the hypervisor bit, the TSC-deadline
 * timer (the kernel's LAPIC has it, KVM_CAP_TSC_DEADLINE_TIMER), and
 * each vCPU's APIC ID and the CPU count in the topology leaves.
 */
struct kvm_cpuid2 *cpuid_supported(void);
/* A copy of base for vCPU id of cpus, ready for KVM_SET_CPUID2. */
struct kvm_cpuid2 *cpuid_for_vcpu(const struct kvm_cpuid2 *base,
				  unsigned int id, unsigned int cpus);

#endif /* VMMD_CPUID_H */
