/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmclock (KVM's paravirtual clock, Documentation/virt/kvm/x86/msr.rst):
 * the one paravirtual interface lamina offers. A guest learns from it the
 * rate of its TSC, which it cannot measure itself under emulation (PIT
 * polling needs thousands of port exits in 10 ms), and a wall clock.
 */
#ifndef LAMINA_KVMCLOCK_H
#define LAMINA_KVMCLOCK_H

#include <linux/kvm.h>
#include <linux/types.h>

struct lamina_vcpu;
struct lamina_vm;

/* VM creation: the clock's epoch (host TSC and wall time at that point). */
void lamina_kvmclock_vm_init(struct lamina_vm *vm);

/*
 * MSR_KVM_WALL_CLOCK_NEW or MSR_KVM_SYSTEM_TIME_NEW (libvmm's MSR layer
 * names them), from msr.c: 0 when done, 1 when refused (#GP).
 */
int lamina_kvmclock_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 v);
u64 lamina_kvmclock_get_msr(struct lamina_vcpu *vcpu, u32 index);

#endif /* LAMINA_KVMCLOCK_H */
