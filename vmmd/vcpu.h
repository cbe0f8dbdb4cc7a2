/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VCPU_H
#define VMMD_VCPU_H

#include <pthread.h>
#include <stdbool.h>
#include <linux/kvm.h>

#include "boot.h"

/* One vCPU, run by its own thread (vcpu_start) until the VM stops. */
struct vcpu {
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int started;
	/* vmmd-vm: log when it first entered the guest (docs/bench.md) */
	bool report_entry;
};

/* KVM_CREATE_VCPU, its kvm_run mapping and KVM_SET_CPUID2: 0 or -1. */
int vcpu_create(struct vcpu *v, unsigned int id,
		const struct kvm_cpuid2 *cpuid, unsigned int cpus);
/* The boot CPU's 64-bit entry state: 0 or -1. Others wait for INIT/SIPI. */
int vcpu_set_boot_state(struct vcpu *v, const struct boot_entry *e);
int vcpu_start(struct vcpu *v);
/* Make KVM_RUN return now and from now on (immediate_exit + signal). */
void vcpu_kick(struct vcpu *v);
void vcpu_destroy(struct vcpu *v);
/*
 * Pause: park every started vCPU between KVM_RUNs and return when all
 * are parked (or the VM stops); may be called before they start.
 * Resume lets them go on. A stop wakes parked vCPUs: call
 * vcpus_wake_paused() after vmmd_stop() so they see it.
 */
void vcpus_pause(struct vcpu *v, unsigned int n);
void vcpus_resume(void);
void vcpus_wake_paused(void);
/*
 * Print the vCPU's registers, MP state and, in long mode, the top of its
 * stack (read through @mem) on stderr; the vCPU thread has stopped.
 */
struct guest_mem;
void vcpu_report(struct vcpu *v, const struct guest_mem *mem);
/* The signal vcpu_kick sends; run.c installs a no-op handler for it. */
#define VCPU_KICK_SIGNAL SIGUSR1

#endif /* VMMD_VCPU_H */
