/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSRs: KVM_GET/SET_MSRS, KVM_GET_MSR_INDEX_LIST and the guest's
 * RDMSR/WRMSR exits (msr.c). The MSRs the VMCS/VMCB holds are the
 * backend's (get_msr/set_msr in backend.h); the rest live here.
 */
#ifndef LAMINA_MSR_H
#define LAMINA_MSR_H

#include <linux/kvm.h>
#include <linux/types.h>

/* Variable-range MTRR pairs offered (MTRRcap.VCNT), as KVM. */
#define LAMINA_MTRR_VAR 8U
/* Fixed-range MTRRs: 64K_00000, 16K_80000/A0000, 4K_C0000..F8000. */
#define LAMINA_MTRR_FIXED 11U

/* The MSRs no backend holds: stored, see docs/abi.md for their effect. */
struct lamina_msr_state {
	u64 misc_enable;
	u64 apic_base;
	u64 ucode_rev;		/* IA32_UCODE_REV (BIOS_SIGN_ID) */
	u64 mtrr_def_type;
	u64 mtrr_var[2 * LAMINA_MTRR_VAR];	/* base, mask, base, ... */
	u64 mtrr_fixed[LAMINA_MTRR_FIXED];
};

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
