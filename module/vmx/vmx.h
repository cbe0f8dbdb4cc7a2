/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Intel VMX backend: what its files share.
 *
 *   vmx_probe.c    can this host run lamina? the controls every VMCS gets
 *   vmx_cpu.c      VMXON/VMXOFF per CPU, which VMCSs are active where
 *   vmx_vcpu.c     a vCPU's VMCS: allocation, controls, host state
 *   vmx_sregs.c    guest segment/control registers, reset state
 *   vmx_run.c      one guest entry and the exit's decoding
 *   vmx_event.c    event injection, interrupt shadow and window
 *   vmx_check.c    libvmm's VM-entry checks on the VMCS
 *   vmx_msr.c      guest MSRs, their switch, MSR and I/O bitmaps
 *   vmx_vmenter.S  VMLAUNCH/VMRESUME and the guest GPRs
 *   vmx_vmcs.c     the typed accessors' failure reports (vmx_vmcs.h)
 *
 * SDM section numbers are those of the 2023 and later editions (vol. 3C:
 * 25 VMCS, 26 non-root operation, 27 VM entries, 28 VM exits, 29 EPT,
 * 31 VMX instructions); editions up to 2022 number these one lower.
 */
#ifndef LAMINA_VMX_H
#define LAMINA_VMX_H

#include <linux/kvm.h>
#include <linux/list.h>
#include <linux/types.h>

struct lamina_vcpu;
struct vmm_exit_event;

/*
 * What the capability MSRs allow, read once by vmx_probe() (SDM vol. 3D,
 * appendix A "VMX Capability Reporting Facility").
 */
struct vmx_caps {
	u32 revision;		/* IA32_VMX_BASIC[30:0], A.1 */
	bool io_insn_info;	/* IA32_VMX_BASIC[54]: INS/OUTS info, A.1 */
	/* The control values every VMCS gets (A.3 - A.5). */
	u32 pin;
	u32 proc;
	u32 proc2;
	u32 exit;
	u32 entry;
	bool entry_ia32e_ok;	/* "IA-32e mode guest" may be 1 */
	bool ple;		/* PAUSE-loop exiting is on */
	u32 run_bound;		/* VMX-preemption timer value, 0 if none */
	/* Fixed CR bits in VMX operation (A.7, A.8). */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	/* INVEPT single-context (else all-context) is supported (A.10). */
	bool invept_single;
};

extern struct vmx_caps vmx_caps;

/* STAR, LSTAR, CSTAR, SFMASK: not in the VMCS (vmx_msr.c). */
#define VMX_NR_SYSCALL_MSRS 4

/* Host values of the MSR switch (vmx_msr.c). */
struct vmx_msr_switch {
	bool syscall;		/* guest EFER.SCE: SYSCALL MSRs switched */
	bool swapgs;		/* guest EFER.LME: KERNEL_GS_BASE switched */
	u64 host[VMX_NR_SYSCALL_MSRS];
};

/* Host state the VM exit does not restore (vmx_run.c). */
struct vmx_host_state {
	u16 ds, es, fs, gs, ldt;
	unsigned long fs_base;
	unsigned long kernel_gs_base;	/* the user's GS base, in the kernel */
	unsigned long debugctl;
};

/* Per-vCPU VMX state (struct lamina_vcpu.vendor). */
struct vmx_vcpu {
	void *vmcs;		/* the VMCS region: one page */
	u64 vmcs_pa;
	void *msr_bitmap;	/* vmx_msr.c: what the VMCS does not switch exits */
	void *io_bitmap_a;	/* ports 0-0x7fff: all exit */
	void *io_bitmap_b;	/* ports 0x8000-0xffff: all exit */
	u64 eptp;
	/*
	 * An execution control may have changed since the policy check last
	 * passed (vmx_policy.c): set at creation and by whoever writes one.
	 */
	bool policy_dirty;
	/*
	 * The CPU this VMCS is active on, or -1 when it is clear (VMCLEAR
	 * done, launch state clear). Written by the owning CPU only, with
	 * interrupts off; read by others to know whom to ask to clear it.
	 */
	int cpu;
	bool launched;		/* next entry is VMRESUME */
	struct list_head loaded_link;	/* on vmx_cpu.loaded of .cpu */
	/* CR2 is not in the VMCS (25.4.1): swapped around each entry. */
	unsigned long cr2;
	/* Guest MSRs the VMCS does not hold, switched by vmx_msr.c. */
	u64 syscall_msrs[VMX_NR_SYSCALL_MSRS];
	u64 kernel_gs_base;
	/*
	 * Set by the first entry on this CPU, cleared by vmx_vcpu_put():
	 * the guest's MSRs above are live in the CPU (the fields may be
	 * stale: KERNEL_GS_BASE changes with the guest's SWAPGS), and
	 * host/sw hold what the put restores. Only the owning thread,
	 * preemption off, touches them.
	 */
	bool host_loaded;
	struct vmx_host_state host;
	struct vmx_msr_switch sw;
};

bool vmx_cpu_has_extension(void);
int vmx_probe(void);

/* vmx_cpu.c */
int vmx_setup(void);
void vmx_unsetup(void);
int vmx_cpu_enable(void);
void vmx_cpu_disable(void);
/*
 * Make @vv's VMCS current on this CPU (preemption off, interrupts on):
 * VMCLEAR it on the CPU it was active on first (SDM vol. 3C, 25.11.1
 * "Software Use of Virtual-Machine Control Structures": a VMCS is active
 * on one processor at a time). A VMCS that arrives on this CPU gets this
 * CPU's host state here (vmx_write_cpu_host_state()), whichever caller
 * loaded it: every load, not only the entry's, can be the one that moves
 * it. Returns 1 when the VMCS arrived on this CPU, 0 when it was active
 * here already, a negative errno when a VMX instruction failed (logged).
 */
int vmx_vcpu_load(struct vmx_vcpu *vv);
/* VMCLEAR @vv wherever it is active (process context). */
void vmx_vcpu_clear(struct vmx_vcpu *vv);

/* vmx_vcpu.c */
int vmx_vcpu_create(struct lamina_vcpu *vcpu, u64 npt_root);
void vmx_vcpu_free(struct lamina_vcpu *vcpu);
void vmx_write_cpu_host_state(void);

/* vmx_sregs.c */
void vmx_get_sregs(struct lamina_vcpu *vcpu, struct kvm_sregs *s);
int vmx_set_sregs(struct lamina_vcpu *vcpu, const struct kvm_sregs *s);
/* Write the architectural reset state (SDM vol. 3A, 9.1.1, table 9-1). */
void vmx_reset_guest_state(struct lamina_vcpu *vcpu);

/* vmx_msr.c */
int vmx_build_permission_maps(struct vmx_vcpu *vv);
int vmx_get_msr(struct lamina_vcpu *vcpu, u32 index, u64 *val);
int vmx_set_msr(struct lamina_vcpu *vcpu, u32 index, u64 val);
void vmx_msr_switch_in(struct vmx_vcpu *vv, struct vmx_msr_switch *sw);
void vmx_msr_switch_out(struct vmx_vcpu *vv, const struct vmx_msr_switch *sw);

/* vmx_run.c */
int vmx_run(struct lamina_vcpu *vcpu, bool flush, struct vmm_exit_event *ev);
void vmx_vcpu_put(struct lamina_vcpu *vcpu);

/* vmx_event.c: vcpu->event, shadow and window into / out of the VMCS. */
void vmx_event_load(struct lamina_vcpu *vcpu);
void vmx_event_store(struct lamina_vcpu *vcpu);

/* vmx_check.c: libvmm's VM-entry checks; false (logged) if one fails. */
bool vmx_entry_check(struct lamina_vcpu *vcpu);
/*
 * vmx_policy.c: libvmm's policy check on the VMCS's execution controls;
 * false (logged, @ev a failed entry naming the rule) if one is broken.
 */
bool vmx_policy_check(struct lamina_vcpu *vcpu, struct vmm_exit_event *ev);
void vmx_policy_test_corrupt(struct vmx_vcpu *vv, unsigned int rule);

/* vmx_vmenter.S */
int lamina_vmx_vmenter(u64 *gprs, bool launched);
void lamina_vmx_vmexit(void);
void lamina_vmx_do_nmi(unsigned long entry);

#endif /* LAMINA_VMX_H */
