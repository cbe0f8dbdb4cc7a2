// SPDX-License-Identifier: GPL-2.0-only
/*
 * MSRs: one table of what lamina implements, read and written the same
 * way for userspace (KVM_GET/SET_MSRS, "host-initiated" in KVM's words)
 * and for the guest (RDMSR/WRMSR exits). Every value is checked before
 * it is stored (decode), with KVM's rules (arch/x86/kvm/x86.c, mtrr.c,
 * lapic.c in 6.1); a value or MSR the guest may not have is #GP for the
 * guest and ends a KVM_SET_MSRS batch for userspace, as in KVM.
 *
 * The MSRs the VMCS/VMCB holds (EFER, the SYSCALL/SYSENTER MSRs, FS/GS
 * bases, PAT, the TSC offset) go through the backend's get_msr/set_msr;
 * MISC_ENABLE, the MTRRs and APIC_BASE are stored here (no memory type
 * depends on them; APIC_BASE places the in-kernel LAPIC's page, but its
 * relocation is not modelled), and IA32_TSC_DEADLINE is the LAPIC
 * timer's (lapic_timer.c), with an in-kernel LAPIC only (docs/abi.md).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/apicdef.h>
#include <asm/cpufeature.h>
#include <asm/msr-index.h>
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

/* KVM's MAX_IO_MSRS: KVM_GET/SET_MSRS with nmsrs >= this is E2BIG. */
#define MSR_IO_MAX 256U

/* MTRRcap as KVM reports it: WC and fixed ranges, 8 variable pairs. */
#define MSR_MTRRCAP_VAL (0x500ULL | LAMINA_MTRR_VAR)
#define MSR_MTRR_VAR_FIRST 0x200U
#define MSR_MTRR_VAR_LAST (0x200U + 2 * LAMINA_MTRR_VAR - 1)

/* After RESET (KVM: kvm_vcpu_reset()): no PEBS, no BTS. */
#define MISC_ENABLE_RESET (MSR_IA32_MISC_ENABLE_PEBS_UNAVAIL | \
			   MSR_IA32_MISC_ENABLE_BTS_UNAVAIL)
/* The guest may not change these (KVM's MSR_IA32_MISC_ENABLE_PMU_RO_MASK). */
#define MISC_ENABLE_GUEST_RO MISC_ENABLE_RESET

/* The MSRs the backend holds (backend.h: get_msr/set_msr). */
static const u32 msr_vendor[] = {
	MSR_EFER, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SYSCALL_MASK,
	MSR_KERNEL_GS_BASE, MSR_FS_BASE, MSR_GS_BASE, MSR_IA32_SYSENTER_CS,
	MSR_IA32_SYSENTER_ESP, MSR_IA32_SYSENTER_EIP, MSR_IA32_CR_PAT,
};

/*
 * Platform MSRs that KVM (x86.c, 6.1) reads as 0 and whose writes it
 * drops: a guest kernel may read them without a fault handler (Linux on
 * AMD reads SYSCFG at boot, and reports an "unchecked MSR access error"
 * if that faults). They configure the physical platform, which a guest
 * neither sees nor controls, so 0 is the honest answer.
 */
static const u32 msr_platform_zero[] = {
	MSR_AMD64_SYSCFG, MSR_K8_TSEG_ADDR, MSR_K8_TSEG_MASK,
	MSR_K8_INT_PENDING_MSG, MSR_AMD64_NB_CFG, MSR_FAM10H_MMIO_CONF_BASE,
	MSR_AMD64_BU_CFG2, MSR_IA32_PERF_CTL, MSR_AMD64_DC_CFG,
	MSR_F15H_EX_CFG,
};

static const u32 msr_mtrr_fixed[LAMINA_MTRR_FIXED] = {
	MSR_MTRRfix64K_00000, MSR_MTRRfix16K_80000, MSR_MTRRfix16K_A0000,
	MSR_MTRRfix4K_C0000, MSR_MTRRfix4K_C8000, MSR_MTRRfix4K_D0000,
	MSR_MTRRfix4K_D8000, MSR_MTRRfix4K_E0000, MSR_MTRRfix4K_E8000,
	MSR_MTRRfix4K_F0000, MSR_MTRRfix4K_F8000,
};

static int msr_fixed_slot(u32 index)
{
	int i;

	for (i = 0; i < LAMINA_MTRR_FIXED; i++)
		if (msr_mtrr_fixed[i] == index)
			return i;
	return -1;
}

static bool msr_in(const u32 *list, size_t n, u32 index)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == index)
			return true;
	return false;
}

static bool msr_is_vendor(u32 index)
{
	return msr_in(msr_vendor, ARRAY_SIZE(msr_vendor), index);
}

static bool msr_is_platform_zero(u32 index)
{
	return msr_in(msr_platform_zero, ARRAY_SIZE(msr_platform_zero), index);
}

/* 48-bit linear addresses: lamina offers no LA57. */
static u64 msr_canonical(u64 v)
{
	return (u64)(((s64)v << 16) >> 16);
}

/* Memory types valid in MTRRs: UC, WC, WT, WP, WB (0, 1, 4, 5, 6). */
static bool mtrr_type_ok(u64 t)
{
	return t < 8 && (BIT(t) & 0x73);
}

/* SDM vol. 3A 11.12.2: each PAT entry is 0, 1, 4, 5, 6 or 7. */
static bool pat_ok(u64 v)
{
	if (v & 0xf8f8f8f8f8f8f8f8ULL)
		return false;
	return (v | ((v & 0x0202020202020202ULL) << 1)) == v;
}

static bool mtrr_fixed_ok(u64 v)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!mtrr_type_ok((v >> (8 * i)) & 0xff))
			return false;
	return true;
}

/* Bits at or above the guest's MAXPHYADDR (KVM: reserved GPA bits). */
static u64 msr_gpa_rsvd(const struct lamina_vcpu *vcpu)
{
	return ~0ULL << lamina_cpuid_maxphyaddr(vcpu);
}

static bool mtrr_var_ok(const struct lamina_vcpu *vcpu, u32 index, u64 v)
{
	u64 rsvd = msr_gpa_rsvd(vcpu);

	if (!(index & 1)) {	/* PHYSBASE: type, bits 11:8 reserved */
		if (!mtrr_type_ok(v & 0xff))
			return false;
		rsvd |= 0xf00;
	} else {		/* PHYSMASK: bits 10:0 reserved */
		rsvd |= 0x7ff;
	}
	return !(v & rsvd);
}

/* x2APIC mode bits of APIC_BASE: 0 disabled, EN xAPIC, EN|EXTD x2APIC. */
static bool apic_base_ok(const struct lamina_vcpu *vcpu, u64 v, bool host)
{
	u64 mode_bits = MSR_IA32_APICBASE_ENABLE | X2APIC_ENABLE;
	u64 old = vcpu->msr.apic_base & mode_bits, new = v & mode_bits;
	u64 rsvd = msr_gpa_rsvd(vcpu) | 0x2ff;

	if (!lamina_cpuid_has_x2apic(vcpu))
		rsvd |= X2APIC_ENABLE;
	if ((v & rsvd) || new == X2APIC_ENABLE)
		return false;
	/* The guest cannot leave x2APIC for xAPIC, nor skip xAPIC. */
	if (!host && old == mode_bits && new == MSR_IA32_APICBASE_ENABLE)
		return false;
	return host || old != 0 || new != mode_bits;
}

static u64 efer_allowed(void)
{
	u64 efer = EFER_SCE | EFER_LME | EFER_LMA;

	if (boot_cpu_has(X86_FEATURE_NX))
		efer |= EFER_NX;
	return efer;
}

/* KVM's set_efer(): LMA is the CPU's, LME is fixed while paging is on. */
static int msr_set_efer(struct lamina_vcpu *vcpu, u64 v, bool host)
{
	struct kvm_sregs s;
	u64 cur = 0;

	if (v & ~efer_allowed())
		return 1;
	lamina_backend->get_msr(vcpu, MSR_EFER, &cur);
	if (!host && ((cur ^ v) & EFER_LME)) {
		memset(&s, 0, sizeof(s));
		lamina_backend->get_sregs(vcpu, &s);
		if (s.cr0 & X86_CR0_PG)
			return 1;
	}
	v = (v & ~EFER_LMA) | (cur & EFER_LMA);
	return lamina_backend->set_msr(vcpu, MSR_EFER, v) ? 1 : 0;
}

/* Decode one write: 0 when @v was stored, 1 when it is refused. */
static int msr_set(struct lamina_vcpu *vcpu, u32 index, u64 v, bool host)
{
	struct lamina_msr_state *m = &vcpu->msr;
	int slot;

	switch (index) {
	case MSR_EFER:
		return msr_set_efer(vcpu, v, host);
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_KERNEL_GS_BASE:
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		if (msr_canonical(v) != v)
			return 1;
		break;
	case MSR_SYSCALL_MASK:
		/* Bits 63:32 are reserved: WRMSR would #GP on the host. */
		if (v >> 32)
			return 1;
		break;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		/* KVM makes them canonical rather than refuse them. */
		v = msr_canonical(v);
		break;
	case MSR_IA32_CR_PAT:
		if (!pat_ok(v))
			return 1;
		break;
	case MSR_IA32_TSC:
		return lamina_backend->set_msr(vcpu, MSR_IA32_TSC,
					       v - rdtsc()) ? 1 : 0;
	case MSR_IA32_MISC_ENABLE:
		if (!host) {
			if ((m->misc_enable ^ v) & MISC_ENABLE_GUEST_RO)
				return 1;
			/* EMON is read-only, but writing it does not fault. */
			v = (v & ~MSR_IA32_MISC_ENABLE_EMON) |
			    (m->misc_enable & MSR_IA32_MISC_ENABLE_EMON);
		}
		m->misc_enable = v;
		return 0;
	case MSR_MTRRdefType:
		if ((v & ~0xcffULL) || !mtrr_type_ok(v & 0xff))
			return 1;
		m->mtrr_def_type = v;
		return 0;
	case MSR_MTRR_VAR_FIRST ... MSR_MTRR_VAR_LAST:
		if (!mtrr_var_ok(vcpu, index, v))
			return 1;
		m->mtrr_var[index - MSR_MTRR_VAR_FIRST] = v;
		return 0;
	case MSR_IA32_APICBASE:
		if (!apic_base_ok(vcpu, v, host))
			return 1;
		m->apic_base = v;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
		return lamina_lapic_set_tsc_deadline(vcpu, v);
	case MSR_IA32_UCODE_REV:
		/* KVM: userspace sets the revision, a guest write is dropped. */
		if (host)
			m->ucode_rev = v;
		return 0;
	default:
		if (msr_is_vendor(index))
			break;	/* STAR, SYSENTER_CS: any value */
		if (msr_is_platform_zero(index))
			return 0;	/* dropped, as KVM does */
		if (lamina_kvmclock_msr(index))
			return lamina_kvmclock_set_msr(vcpu, index, v);
		slot = msr_fixed_slot(index);
		if (slot < 0 || !mtrr_fixed_ok(v))
			return 1;
		m->mtrr_fixed[slot] = v;
		return 0;
	}
	/* Only the vendor-held MSRs come down here. */
	return lamina_backend->set_msr(vcpu, index, v) ? 1 : 0;
}

/* Decode one read: 0 with *v, or 1 for an MSR lamina does not have. */
static int msr_get(struct lamina_vcpu *vcpu, u32 index, u64 *v)
{
	const struct lamina_msr_state *m = &vcpu->msr;
	u64 off = 0;
	int slot;

	if (msr_is_vendor(index))
		return lamina_backend->get_msr(vcpu, index, v) ? 1 : 0;
	switch (index) {
	case MSR_IA32_TSC:
		lamina_backend->get_msr(vcpu, MSR_IA32_TSC, &off);
		*v = rdtsc() + off;
		return 0;
	case MSR_IA32_MISC_ENABLE:
		*v = m->misc_enable;
		return 0;
	case MSR_MTRRcap:
		*v = MSR_MTRRCAP_VAL;
		return 0;
	case MSR_MTRRdefType:
		*v = m->mtrr_def_type;
		return 0;
	case MSR_MTRR_VAR_FIRST ... MSR_MTRR_VAR_LAST:
		*v = m->mtrr_var[index - MSR_MTRR_VAR_FIRST];
		return 0;
	case MSR_IA32_APICBASE:
		*v = m->apic_base;
		return 0;
	case MSR_IA32_UCODE_REV:
		*v = m->ucode_rev;
		return 0;
	case MSR_IA32_TSC_DEADLINE:
		if (!vcpu->lapic || !lamina_cpuid_has_tsc_deadline(vcpu))
			return 1;
		*v = lamina_lapic_get_tsc_deadline(vcpu);
		return 0;
	default:
		if (msr_is_platform_zero(index)) {
			*v = 0;
			return 0;
		}
		if (lamina_kvmclock_msr(index)) {
			*v = lamina_kvmclock_get_msr(vcpu, index);
			return 0;
		}
		slot = msr_fixed_slot(index);
		if (slot < 0)
			return 1;
		*v = m->mtrr_fixed[slot];
		return 0;
	}
}

/* Every MSR above, in one list: KVM_GET_MSR_INDEX_LIST. */
static unsigned int msr_list(u32 *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(msr_vendor); i++)
		out[n++] = msr_vendor[i];
	out[n++] = MSR_IA32_TSC;
	out[n++] = MSR_IA32_MISC_ENABLE;
	out[n++] = MSR_MTRRcap;
	out[n++] = MSR_MTRRdefType;
	for (i = MSR_MTRR_VAR_FIRST; i <= MSR_MTRR_VAR_LAST; i++)
		out[n++] = i;
	for (i = 0; i < LAMINA_MTRR_FIXED; i++)
		out[n++] = msr_mtrr_fixed[i];
	out[n++] = MSR_IA32_APICBASE;
	out[n++] = MSR_IA32_UCODE_REV;
	return n;
}

#define MSR_LIST_MAX (ARRAY_SIZE(msr_vendor) + 6 + 2 * LAMINA_MTRR_VAR + \
		      LAMINA_MTRR_FIXED)

long lamina_msr_index_list(struct kvm_msr_list __user *uarg)
{
	u32 list[MSR_LIST_MAX];
	struct kvm_msr_list hdr;
	u32 given;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/* KVM writes the count back first, then E2BIG if it does not fit. */
	given = hdr.nmsrs;
	hdr.nmsrs = msr_list(list);
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
	if (hdr.nmsrs >= MSR_IO_MAX)
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
	memset(&vcpu->msr, 0, sizeof(vcpu->msr));
	vcpu->msr.misc_enable = MISC_ENABLE_RESET;
	/* KVM's default microcode revision (Linux reads it at boot). */
	vcpu->msr.ucode_rev = 0x100000000ULL;
	vcpu->msr.apic_base = APIC_DEFAULT_PHYS_BASE |
			      MSR_IA32_APICBASE_ENABLE |
			      (vcpu->id == 0 ? MSR_IA32_APICBASE_BSP : 0);
	/*
	 * Guest TSC 0 is the VM's creation, for every vCPU: their TSCs agree
	 * (KVM synchronises vCPUs created close together) and one kvmclock
	 * record serves them all.
	 */
	lamina_backend->set_msr(vcpu, MSR_IA32_TSC, -vcpu->vm->tsc_epoch);
}
