// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSRs: KVM_GET/SET_MSRS ("host-initiated" in KVM's words), the guest's
 * RDMSR/WRMSR exits and KVM_GET_MSR_INDEX_LIST. Which MSRs exist, which
 * values are legal, what a read returns and the stored MSRs themselves
 * are libvmm's (layer 12, libvmm/include/libvmm/msr.h, proved); this
 * file carries its answer out: the backend's get_msr/set_msr for the
 * MSRs the VMCS/VMCB holds, the host TSC, the LAPIC timer's
 * TSC_DEADLINE, kvmclock, and #GP for the guest or the end of a
 * KVM_SET/GET_MSRS batch when the layer refuses (as KVM does).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>
#include <asm/cpufeature.h>
#include <asm/kvm_para.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>
#include <asm/tsc.h>

#include "backend.h"
#include "cpuid.h"
#include "event.h"
#include "gpr.h"
#include "kvmclock.h"
#include "lamina.h"
#include "lapic.h"
#include "msr.h"

/* libvmm's numbers are the kernel's (msr-index.h, apicdef.h, kvm_para.h). */
#define MSR_SAME(vmm, kernel) static_assert((vmm) == (kernel))
MSR_SAME(VMM_MSR_TSC, MSR_IA32_TSC);
MSR_SAME(VMM_MSR_APIC_BASE, MSR_IA32_APICBASE);
MSR_SAME(VMM_MSR_UCODE_REV, MSR_IA32_UCODE_REV);
MSR_SAME(VMM_MSR_MTRRCAP, MSR_MTRRcap);
MSR_SAME(VMM_MSR_SYSENTER_CS, MSR_IA32_SYSENTER_CS);
MSR_SAME(VMM_MSR_SYSENTER_ESP, MSR_IA32_SYSENTER_ESP);
MSR_SAME(VMM_MSR_SYSENTER_EIP, MSR_IA32_SYSENTER_EIP);
MSR_SAME(VMM_MSR_PERF_CTL, MSR_IA32_PERF_CTL);
MSR_SAME(VMM_MSR_MISC_ENABLE, MSR_IA32_MISC_ENABLE);
MSR_SAME(VMM_MSR_MTRR_FIX64K_00000, MSR_MTRRfix64K_00000);
MSR_SAME(VMM_MSR_MTRR_FIX16K_80000, MSR_MTRRfix16K_80000);
MSR_SAME(VMM_MSR_MTRR_FIX16K_A0000, MSR_MTRRfix16K_A0000);
MSR_SAME(VMM_MSR_MTRR_FIX4K_C0000, MSR_MTRRfix4K_C0000);
MSR_SAME(VMM_MSR_MTRR_FIX4K_F8000, MSR_MTRRfix4K_F8000);
MSR_SAME(VMM_MSR_PAT, MSR_IA32_CR_PAT);
MSR_SAME(VMM_MSR_MTRR_DEF_TYPE, MSR_MTRRdefType);
MSR_SAME(VMM_MSR_TSC_DEADLINE, MSR_IA32_TSC_DEADLINE);
MSR_SAME(VMM_MSR_KVM_WALL_CLOCK_NEW, MSR_KVM_WALL_CLOCK_NEW);
MSR_SAME(VMM_MSR_KVM_SYSTEM_TIME_NEW, MSR_KVM_SYSTEM_TIME_NEW);
MSR_SAME(VMM_MSR_EFER, MSR_EFER);
MSR_SAME(VMM_MSR_STAR, MSR_STAR);
MSR_SAME(VMM_MSR_LSTAR, MSR_LSTAR);
MSR_SAME(VMM_MSR_CSTAR, MSR_CSTAR);
MSR_SAME(VMM_MSR_SYSCALL_MASK, MSR_SYSCALL_MASK);
MSR_SAME(VMM_MSR_FS_BASE, MSR_FS_BASE);
MSR_SAME(VMM_MSR_GS_BASE, MSR_GS_BASE);
MSR_SAME(VMM_MSR_KERNEL_GS_BASE, MSR_KERNEL_GS_BASE);
MSR_SAME(VMM_MSR_AMD_SYSCFG, MSR_AMD64_SYSCFG);
MSR_SAME(VMM_MSR_AMD_NB_CFG, MSR_AMD64_NB_CFG);
MSR_SAME(VMM_MSR_AMD_INT_PENDING_MSG, MSR_K8_INT_PENDING_MSG);
MSR_SAME(VMM_MSR_AMD_MMIO_CONF_BASE, MSR_FAM10H_MMIO_CONF_BASE);
MSR_SAME(VMM_MSR_AMD_TSEG_ADDR, MSR_K8_TSEG_ADDR);
MSR_SAME(VMM_MSR_AMD_TSEG_MASK, MSR_K8_TSEG_MASK);
MSR_SAME(VMM_MSR_AMD_DC_CFG, MSR_AMD64_DC_CFG);
MSR_SAME(VMM_MSR_AMD_BU_CFG2, MSR_AMD64_BU_CFG2);
MSR_SAME(VMM_MSR_AMD_EX_CFG, MSR_F15H_EX_CFG);
MSR_SAME(VMM_MSR_EFER_SCE, EFER_SCE);
MSR_SAME(VMM_MSR_EFER_LME, EFER_LME);
MSR_SAME(VMM_MSR_EFER_LMA, EFER_LMA);
MSR_SAME(VMM_MSR_EFER_NX, EFER_NX);
MSR_SAME(VMM_MSR_APIC_BASE_BSP, MSR_IA32_APICBASE_BSP);
MSR_SAME(VMM_MSR_APIC_BASE_EN, MSR_IA32_APICBASE_ENABLE);
MSR_SAME(VMM_MSR_APIC_BASE_EXTD, X2APIC_ENABLE);
MSR_SAME(VMM_MSR_APIC_DEFAULT_BASE, APIC_DEFAULT_PHYS_BASE);
MSR_SAME(VMM_MSR_MISC_EMON, MSR_IA32_MISC_ENABLE_EMON);
MSR_SAME(VMM_MSR_MISC_RESET, MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL |
			     MSR_IA32_MISC_ENABLE_BTS_UNAVAIL);

/*
 * What the rules of @index read besides the value. The CPUID table is
 * scanned only for the MSR whose rule needs that bit.
 */
static void msr_ctx(const struct lamina_vcpu *vcpu, u32 index, bool host,
		    struct vmm_msr_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->maxphyaddr = lamina_cpuid_maxphyaddr(vcpu);
	c->x2apic = index == VMM_MSR_APIC_BASE &&
		    lamina_cpuid_has_x2apic(vcpu);
	c->tsc_deadline = index == VMM_MSR_TSC_DEADLINE && vcpu->lapic &&
			  lamina_cpuid_has_tsc_deadline(vcpu);
	c->host = host;
}

/* KVM's set_efer(): the rule needs the current EFER and CR0.PG. */
static int msr_set_efer(struct lamina_vcpu *vcpu, u64 v, bool host)
{
	u64 allowed = vmm_msr_efer_allowed(boot_cpu_has(X86_FEATURE_NX));
	struct kvm_sregs s;
	u64 cur = 0;

	lamina_backend->get_msr(vcpu, MSR_EFER, &cur);
	memset(&s, 0, sizeof(s));
	lamina_backend->get_sregs(vcpu, &s);
	if (vmm_msr_efer_write(allowed, cur, v, !!(s.cr0 & X86_CR0_PG), host,
			       &v) != VMM_MSR_ACT_BACKEND)
		return 1;
	return lamina_backend->set_msr(vcpu, MSR_EFER, v) ? 1 : 0;
}

/* One write: 0 when @v was taken, 1 when it is refused. */
static int msr_set(struct lamina_vcpu *vcpu, u32 index, u64 v, bool host)
{
	struct vmm_msr_ctx c;
	u64 out = 0;

	msr_ctx(vcpu, index, host, &c);
	switch (vmm_msr_write(&vcpu->msr, &c, index, v, &out)) {
	case VMM_MSR_ACT_DONE:
		return 0;
	case VMM_MSR_ACT_BACKEND:
		return lamina_backend->set_msr(vcpu, index, out) ? 1 : 0;
	case VMM_MSR_ACT_EFER:
		return msr_set_efer(vcpu, out, host);
	case VMM_MSR_ACT_TSC:
		return lamina_backend->set_msr(vcpu, MSR_IA32_TSC,
					       out - rdtsc()) ? 1 : 0;
	case VMM_MSR_ACT_TSC_DEADLINE:
		return lamina_lapic_set_tsc_deadline(vcpu, out);
	case VMM_MSR_ACT_KVMCLOCK:
		return lamina_kvmclock_set_msr(vcpu, index, out);
	default:
		return 1;
	}
}

/*
 * One read: 0 with *v, or 1 for an MSR lamina does not have (*v is then
 * left as it was: a KVM_GET_MSRS entry keeps what userspace passed).
 */
static int msr_get(struct lamina_vcpu *vcpu, u32 index, u64 *v)
{
	struct vmm_msr_ctx c;
	u64 val = 0, off = 0;

	msr_ctx(vcpu, index, false, &c);
	switch (vmm_msr_read(&vcpu->msr, &c, index, &val)) {
	case VMM_MSR_ACT_DONE:
		break;
	case VMM_MSR_ACT_BACKEND:
		return lamina_backend->get_msr(vcpu, index, v) ? 1 : 0;
	case VMM_MSR_ACT_TSC:
		lamina_backend->get_msr(vcpu, MSR_IA32_TSC, &off);
		val = rdtsc() + off;
		break;
	case VMM_MSR_ACT_TSC_DEADLINE:
		val = lamina_lapic_get_tsc_deadline(vcpu);
		break;
	case VMM_MSR_ACT_KVMCLOCK:
		val = lamina_kvmclock_get_msr(vcpu, index);
		break;
	default:
		return 1;
	}
	*v = val;
	return 0;
}

long lamina_msr_index_list(struct kvm_msr_list __user *uarg)
{
	u32 list[VMM_MSR_LIST_LEN];
	struct kvm_msr_list hdr;
	u32 given;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/* KVM writes the count back first, then E2BIG if it does not fit. */
	given = hdr.nmsrs;
	hdr.nmsrs = vmm_msr_index_list(list, ARRAY_SIZE(list));
	if (copy_to_user(uarg, &hdr, sizeof(hdr)))
		return -EFAULT;
	if (given < hdr.nmsrs)
		return -E2BIG;
	if (copy_to_user(uarg->indices, list, hdr.nmsrs * sizeof(list[0])))
		return -EFAULT;
	return 0;
}

long lamina_msr_ioctl(struct lamina_vcpu *vcpu, struct kvm_msrs __user *uarg,
		      bool set)
{
	struct kvm_msr_entry *e;
	struct kvm_msrs hdr;
	size_t size;
	long ret;
	u32 i;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	if (!vmm_msr_batch_ok(hdr.nmsrs))
		return -E2BIG;
	size = hdr.nmsrs * sizeof(*e);
	e = memdup_user(uarg->entries, size);
	if (IS_ERR(e))
		return PTR_ERR(e);
	/* As KVM's __msr_io(): stop at the first MSR that fails. */
	for (i = 0; i < hdr.nmsrs; i++)
		if (set ? msr_set(vcpu, e[i].index, e[i].data, true) :
			  msr_get(vcpu, e[i].index, &e[i].data))
			break;
	ret = i;
	/* EFER and friends feed libvmm's entry checks: run them again. */
	if (set && i)
		vcpu->state_changed = true;
	if (!set && copy_to_user(uarg->entries, e, size))
		ret = -EFAULT;
	kfree(e);
	return ret;
}

bool lamina_msr_exit(struct lamina_vcpu *vcpu, bool write)
{
	u64 *gprs = vcpu->gprs;
	u32 index = (u32)gprs[LAMINA_GPR_RCX];
	u64 v = 0;
	int fail;

	if (write) {
		v = (u32)gprs[LAMINA_GPR_RAX] |
		    (u64)(u32)gprs[LAMINA_GPR_RDX] << 32;
		fail = msr_set(vcpu, index, v, false);
	} else {
		fail = msr_get(vcpu, index, &v);
		if (!fail) {
			gprs[LAMINA_GPR_RAX] = (u32)v;
			gprs[LAMINA_GPR_RDX] = v >> 32;
		}
	}
	if (fail) {
		pr_info_ratelimited("lamina: guest %s 0x%x: #GP\n",
				    write ? "WRMSR" : "RDMSR", index);
		lamina_queue_exception(vcpu, X86_TRAP_GP, true, 0);
		return false;
	}
	return true;
}

void lamina_msr_reset(struct lamina_vcpu *vcpu)
{
	vmm_msr_reset(&vcpu->msr, vcpu->id == 0);
	/*
	 * Guest TSC 0 is the VM's creation, for every vCPU: their TSCs agree
	 * (KVM synchronises vCPUs created close together) and one kvmclock
	 * record serves them all.
	 */
	lamina_backend->set_msr(vcpu, MSR_IA32_TSC, -vcpu->vm->tsc_epoch);
}
