// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmclock (kvmclock.h). Every vCPU of a VM shares one TSC offset (the
 * VM's epoch, msr.c), so one record serves them all: at guest TSC 0 the
 * clock reads 0 ns, and it advances at tsc_khz. The records are written
 * once, when the guest names their address, with PVCLOCK_TSC_STABLE_BIT
 * (every vCPU reads the same time from the same TSC). Assumed: the host
 * TSC runs at a constant tsc_khz. Not followed: a guest or userspace
 * write of the TSC after the record was written (docs/abi.md).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <asm/kvm_para.h>
#include <asm/pvclock-abi.h>
#include <asm/tsc.h>

#include "gmem.h"
#include "kvmclock.h"
#include "lamina.h"

/* An even version: the record is complete (the guest retries on odd). */
#define KVMCLOCK_VERSION 2U
#define KVMCLOCK_ENABLE BIT_ULL(0)

void lamina_kvmclock_vm_init(struct lamina_vm *vm)
{
	vm->tsc_epoch = rdtsc();
	vm->wall_epoch_ns = ktime_get_real_ns();
}

/*
 * ns = ((tsc << shift) * mul) >> 32 (the guest's pvclock_scale_delta):
 * mul / 2^32 * 2^shift must be 10^6 / tsc_khz, with mul < 2^32.
 */
static void kvmclock_scale(u32 khz, u32 *mul, s8 *shift)
{
	u64 num = USEC_PER_SEC, den = khz;
	int s = 0;

	while (num >= den) {		/* slower than 1 GHz */
		den <<= 1;
		s++;
	}
	while (num < den / 2 && s > -31) {	/* keep 31 bits of precision */
		num <<= 1;
		s--;
	}
	*mul = (u32)div64_u64(num << 32, den);
	*shift = (s8)s;
}

static int kvmclock_write_time(struct lamina_vcpu *vcpu, u64 gpa)
{
	struct pvclock_vcpu_time_info t = {
		.version = KVMCLOCK_VERSION,
		/* Guest TSC at the epoch: the shared offset makes it 0. */
		.tsc_timestamp = 0,
		.system_time = 0,
		.flags = PVCLOCK_TSC_STABLE_BIT,
	};
	struct lamina_vm *vm = vcpu->vm;
	int ret;

	if (!tsc_khz)
		return -EINVAL;
	kvmclock_scale(tsc_khz, &t.tsc_to_system_mul, &t.tsc_shift);
	down_read(&vm->mem_sem);
	ret = lamina_gmem_write(vm, gpa, &t, sizeof(t));
	up_read(&vm->mem_sem);
	return ret;
}

static int kvmclock_write_wall(struct lamina_vcpu *vcpu, u64 gpa)
{
	struct lamina_vm *vm = vcpu->vm;
	struct pvclock_wall_clock w = { .version = KVMCLOCK_VERSION };
	u32 rem;
	int ret;

	w.sec = (u32)div_u64_rem(vm->wall_epoch_ns, NSEC_PER_SEC, &rem);
	w.nsec = rem;
	down_read(&vm->mem_sem);
	ret = lamina_gmem_write(vm, gpa, &w, sizeof(w));
	up_read(&vm->mem_sem);
	return ret;
}

int lamina_kvmclock_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 v)
{
	int ret = 0;

	if (index == MSR_KVM_WALL_CLOCK_NEW) {
		vcpu->kvmclock_wall = v;
		ret = kvmclock_write_wall(vcpu, v);
	} else {
		vcpu->kvmclock_time = v;
		if (v & KVMCLOCK_ENABLE)
			ret = kvmclock_write_time(vcpu, v & ~KVMCLOCK_ENABLE);
	}
	/*
	 * As KVM: the MSR keeps the value; a record it cannot place is not
	 * written, and the guest sees a clock that never starts.
	 */
	if (ret)
		pr_info_ratelimited("lamina: vCPU %u: kvmclock MSR 0x%x = 0x%llx: no guest RAM there (%d)\n",
				    vcpu->id, index, v, ret);
	return 0;
}

u64 lamina_kvmclock_get_msr(struct lamina_vcpu *vcpu, u32 index)
{
	return index == MSR_KVM_WALL_CLOCK_NEW ? vcpu->kvmclock_wall :
						 vcpu->kvmclock_time;
}
