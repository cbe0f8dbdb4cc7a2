// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID: the glue around libvmm layer 12 (libvmm/include/libvmm/cpuid.h),
 * which decides what lamina offers (and why each bit is or is not), when a
 * table may replace another, and how a CPUID exit is answered. Here: the
 * host's CPUID instruction, the copies to and from userspace, and the
 * per-vCPU table's lifetime.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/cpufeatures.h>
#include <asm/kvm_para.h>
#include <asm/processor.h>

#include <libvmm/cpuid.h>

#include "cpuid.h"
#include "gpr.h"
#include "lamina.h"

/*
 * libvmm's allowlists spelled with the kernel's feature names: the two
 * transcriptions of the SDM/APM must agree (F(x): the bit in its word).
 */
#define F(x) BIT((X86_FEATURE_##x) & 31)
static_assert(VMM_CPUID_LEAF1_ECX ==
	      (F(XMM3) | F(PCLMULQDQ) | F(SSSE3) | F(CX16) | F(XMM4_1) |
	       F(XMM4_2) | F(MOVBE) | F(POPCNT) | F(AES) | F(RDRAND)));
static_assert(VMM_CPUID_LEAF1_EDX ==
	      (F(FPU) | F(VME) | F(DE) | F(PSE) | F(TSC) | F(MSR) | F(PAE) |
	       F(CX8) | F(APIC) | F(SEP) | F(MTRR) | F(PGE) | F(CMOV) |
	       F(PAT) | F(PSE36) | F(CLFLUSH) | F(MMX) | F(FXSR) | F(XMM) |
	       F(XMM2)));
static_assert(VMM_CPUID_LEAF7_EBX ==
	      (F(FSGSBASE) | F(BMI1) | F(SMEP) | F(BMI2) | F(ERMS) |
	       F(RDSEED) | F(ADX) | F(SMAP) | F(CLFLUSHOPT) | F(CLWB) |
	       F(SHA_NI)));
static_assert(VMM_CPUID_EXT1_ECX ==
	      (F(LAHF_LM) | F(ABM) | F(SSE4A) | F(MISALIGNSSE) |
	       F(3DNOWPREFETCH)));
static_assert(VMM_CPUID_EXT1_EDX ==
	      ((VMM_CPUID_LEAF1_EDX & 0x0183f3ffU) | F(SYSCALL) | F(NX) |
	       F(MMXEXT) | F(GBPAGES) | F(LM)));
static_assert(VMM_CPUID_1_ECX_HYPERVISOR == F(HYPERVISOR));
static_assert(VMM_CPUID_1_ECX_X2APIC == F(X2APIC));
static_assert(VMM_CPUID_1_ECX_TSC_DEADLINE == F(TSC_DEADLINE_TIMER));
static_assert(VMM_CPUID_EXT1_EDX_GBPAGES == F(GBPAGES));
static_assert(VMM_CPUID_PV_SIGNATURE == KVM_CPUID_SIGNATURE);
static_assert(VMM_CPUID_PV_FEATURES == KVM_CPUID_FEATURES);
static_assert(VMM_CPUID_PV_FEATURES_EAX ==
	      (BIT(KVM_FEATURE_CLOCKSOURCE2) |
	       BIT(KVM_FEATURE_CLOCKSOURCE_STABLE_BIT)));
static_assert(sizeof(struct vmm_uapi_cpuid_entry2) ==
	      sizeof(struct kvm_cpuid_entry2));
static_assert(offsetof(struct vmm_uapi_cpuid_entry2, edx) ==
	      offsetof(struct kvm_cpuid_entry2, edx));
static_assert(sizeof(struct vmm_uapi_cpuid2) == sizeof(struct kvm_cpuid2));

long lamina_cpuid_get_supported(struct kvm_cpuid2 __user *uarg)
{
	struct vmm_uapi_cpuid_entry2 *e;
	struct vmm_cpuid_host *host;
	struct kvm_cpuid2 hdr;
	u32 s, n = 0;
	long ret = 0;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/* KVM: E2BIG when the entries do not fit, and nent left as given. */
	if (hdr.nent < 1)
		return -E2BIG;
	host = kzalloc(sizeof(*host), GFP_KERNEL);
	e = kcalloc(VMM_CPUID_OFFER_MAX, sizeof(*e), GFP_KERNEL);
	if (!host || !e) {
		ret = -ENOMEM;
		goto out;
	}
	for (s = 0; s < VMM_CPUID_HOST_LEAVES; s++) {
		struct vmm_cpuid_regs *r = &host->leaf[s];

		cpuid_count(vmm_cpuid_host_function(s), 0, &r->eax, &r->ebx,
			    &r->ecx, &r->edx);
	}
	for (s = 0; s < VMM_CPUID_OFFER_MAX; s++)
		if (vmm_cpuid_offer(host, s, &e[n]))
			n++;
	if (hdr.nent < n)
		ret = -E2BIG;
	else if (copy_to_user(uarg->entries, e, n * sizeof(*e)))
		ret = -EFAULT;
	hdr.nent = n;
	if (!ret && copy_to_user(uarg, &hdr, sizeof(hdr)))
		ret = -EFAULT;
out:
	kfree(e);
	kfree(host);
	return ret;
}

long lamina_cpuid_set(struct lamina_vcpu *vcpu, struct kvm_cpuid2 __user *uarg)
{
	struct vmm_uapi_cpuid_table *t;
	struct vmm_uapi_cpuid2 hdr;
	enum vmm_uapi_err err;
	u32 nent = 0;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	err = vmm_uapi_decode_cpuid2_header(&hdr, &nent);
	if (err != VMM_UAPI_OK)
		return -(long)vmm_uapi_errno_class(err);
	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	/* nent <= VMM_CPUID_MAX_ENTRIES: the copy stays inside t->entries. */
	if (copy_from_user(t->entries, uarg->entries,
			   nent * sizeof(t->entries[0]))) {
		kvfree(t);
		return -EFAULT;
	}
	err = vmm_uapi_decode_cpuid(t, nent);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_SET_CPUID2: rule %d of libvmm/include/libvmm/uapi.h fails\n",
				    err);
		kvfree(t);
		return -(long)vmm_uapi_errno_class(err);
	}
	if (!vmm_cpuid_may_replace(vcpu->cpuid, t, vcpu->last_cpu != -1)) {
		pr_info_ratelimited("lamina: KVM_SET_CPUID2: the vCPU has run; CPUID cannot change\n");
		kvfree(t);
		return -EINVAL;
	}
	kvfree(vcpu->cpuid);
	vcpu->cpuid = t;
	return 0;
}

long lamina_cpuid_get(struct lamina_vcpu *vcpu, struct kvm_cpuid2 __user *uarg)
{
	const struct vmm_uapi_cpuid_table *t = vcpu->cpuid;
	struct kvm_cpuid2 hdr;
	u32 n = t ? t->nent : 0;

	long ret = 0;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/*
	 * nent comes back as the table's size, on E2BIG too, as KVM does
	 * since Linux 6.4; 6.1 leaves it as given (docs/abi.md).
	 */
	if (hdr.nent < n)
		ret = -E2BIG;
	else if (n && copy_to_user(uarg->entries, t->entries,
				   n * sizeof(t->entries[0])))
		return -EFAULT;
	hdr.nent = n;
	if (copy_to_user(uarg, &hdr, sizeof(hdr)))
		return -EFAULT;
	return ret;
}

void lamina_cpuid_exit(struct lamina_vcpu *vcpu)
{
	struct vmm_cpuid_regs r;

	vmm_cpuid_answer(vcpu->cpuid, (u32)vcpu->gprs[LAMINA_GPR_RAX],
			 (u32)vcpu->gprs[LAMINA_GPR_RCX], &r);
	/* CPUID writes EAX..EDX, clearing bits 63:32 of each. */
	vcpu->gprs[LAMINA_GPR_RAX] = r.eax;
	vcpu->gprs[LAMINA_GPR_RBX] = r.ebx;
	vcpu->gprs[LAMINA_GPR_RCX] = r.ecx;
	vcpu->gprs[LAMINA_GPR_RDX] = r.edx;
}

u32 lamina_cpuid_maxphyaddr(const struct lamina_vcpu *vcpu)
{
	return vmm_cpuid_maxphyaddr(vcpu->cpuid);
}

bool lamina_cpuid_has_x2apic(const struct lamina_vcpu *vcpu)
{
	return vmm_cpuid_has_feature(vcpu->cpuid, VMM_CPUID_FEAT_X2APIC);
}

bool lamina_cpuid_has_gbpages(const struct lamina_vcpu *vcpu)
{
	return vmm_cpuid_has_feature(vcpu->cpuid, VMM_CPUID_FEAT_GBPAGES);
}

bool lamina_cpuid_has_tsc_deadline(const struct lamina_vcpu *vcpu)
{
	return vmm_cpuid_has_feature(vcpu->cpuid, VMM_CPUID_FEAT_TSC_DEADLINE);
}

void lamina_cpuid_free(struct lamina_vcpu *vcpu)
{
	kvfree(vcpu->cpuid);
	vcpu->cpuid = NULL;
}
