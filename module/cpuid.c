// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPUID.
 *
 * KVM_GET_SUPPORTED_CPUID offers the host's CPUID filtered down to what
 * lamina really virtualizes: every feature bit is on an allowlist below,
 * and a bit is listed only if the guest can use it without the module's
 * help (an instruction that does not exit, a register or MSR the module
 * switches or emulates). Left out on purpose: VMX/SVM (no nesting), XSAVE
 * and everything built on it (the module switches the FPU with FXSAVE
 * only, and XSETBV exits unhandled), x2APIC (the in-kernel LAPIC of
 * KVM_CAP_SPLIT_IRQCHIP is xAPIC only; the TSC-deadline bit is offered
 * through KVM_CAP_TSC_DEADLINE_TIMER, as KVM does), MCE/MCA (no
 * machine-check MSRs), RDTSCP (TSC_AUX is not switched), and the
 * speculation-control MSRs. Of KVM's paravirtual leaves only kvmclock is
 * offered (kvmclock.c): without it a guest cannot learn its TSC rate.
 *
 * KVM_SET_CPUID2 is decoded by libvmm (vmm_uapi_decode_cpuid2_header,
 * vmm_uapi_decode_cpuid) and a CPUID exit is answered from the table with
 * vmm_uapi_cpuid_lookup, falling back the way kvm_cpuid() does.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeatures.h>
#include <asm/processor.h>

#include <libvmm/uapi.h>

#include "cpuid.h"
#include "gpr.h"
#include "kvmclock.h"
#include "lamina.h"

/* A feature's bit in its CPUID register (asm/cpufeatures.h: word*32+bit). */
#define F(x) BIT((X86_FEATURE_##x) & 31)

#define LEAF1_ECX (F(XMM3) | F(PCLMULQDQ) | F(SSSE3) | F(CX16) | \
		   F(XMM4_1) | F(XMM4_2) | F(MOVBE) | F(POPCNT) | F(AES) | \
		   F(RDRAND))
#define LEAF1_EDX (F(FPU) | F(VME) | F(DE) | F(PSE) | F(TSC) | F(MSR) | \
		   F(PAE) | F(CX8) | F(APIC) | F(SEP) | F(MTRR) | F(PGE) | F(CMOV) | \
		   F(PAT) | F(PSE36) | F(CLFLUSH) | F(MMX) | F(FXSR) | \
		   F(XMM) | F(XMM2))
#define LEAF7_EBX (F(FSGSBASE) | F(BMI1) | F(SMEP) | F(BMI2) | F(ERMS) | \
		   F(RDSEED) | F(ADX) | F(SMAP) | F(CLFLUSHOPT) | F(CLWB) | \
		   F(SHA_NI))
#define EXT1_ECX (F(LAHF_LM) | F(ABM) | F(SSE4A) | F(MISALIGNSSE) | \
		  F(3DNOWPREFETCH))
/* AMD mirrors leaf 1's EDX bits 0-17, 23, 24 here; bit 11 is SYSCALL. */
#define EXT1_EDX ((LEAF1_EDX & 0x0183f3ffU) | F(SYSCALL) | F(NX) | \
		  F(MMXEXT) | F(GBPAGES) | F(LM))

#define CPUID_MAX_BASIC 7U
#define CPUID_MAX_EXT 0x80000008U
#define CPUID_HYPERVISOR BIT(31)	/* CPUID.1:ECX[31] */
#define CPUID_X2APIC BIT(21)		/* CPUID.1:ECX[21] */
#define CPUID_GBPAGES BIT(26)		/* CPUID.80000001H:EDX[26] */
#define CPUID_TSC_DEADLINE BIT(24)	/* CPUID.1:ECX[24] */

/* One offered leaf: the host's registers ANDed with these masks. */
struct cpuid_offer {
	u32 function;
	bool indexed;		/* KVM_CPUID_FLAG_SIGNIFCANT_INDEX, index 0 */
	u32 eax, ebx, ecx, edx;
};

static const struct cpuid_offer cpuid_offers[] = {
	{ 0, false, ~0U, ~0U, ~0U, ~0U },		/* EAX clamped */
	{ 1, false, ~0U, 0xffffU, LEAF1_ECX, LEAF1_EDX }, /* no APIC ID */
	{ 7, true, 0, LEAF7_EBX, 0, 0 },		/* subleaf 0 only */
	{ 0x80000000U, false, ~0U, ~0U, ~0U, ~0U },	/* EAX clamped */
	{ 0x80000001U, false, ~0U, 0, EXT1_ECX, EXT1_EDX },
	{ 0x80000002U, false, ~0U, ~0U, ~0U, ~0U },	/* brand string */
	{ 0x80000003U, false, ~0U, ~0U, ~0U, ~0U },
	{ 0x80000004U, false, ~0U, ~0U, ~0U, ~0U },
	{ 0x80000005U, false, ~0U, ~0U, ~0U, ~0U },	/* cache/TLB info */
	{ 0x80000006U, false, ~0U, ~0U, ~0U, ~0U },
	{ 0x80000007U, false, 0, 0, 0, 0 },
	{ 0x80000008U, false, 0xffffU, 0, 0, 0 },	/* address sizes */
};

/* The KVM paravirtual leaves lamina answers: signature and features. */
#define CPUID_PV_LEAVES 2U
#define CPUID_OFFERS_MAX (ARRAY_SIZE(cpuid_offers) + CPUID_PV_LEAVES)

/* Fill @out with what lamina offers on this host; returns the count. */
static unsigned int cpuid_supported(struct kvm_cpuid_entry2 *out)
{
	u32 max_basic = min(cpuid_eax(0), CPUID_MAX_BASIC);
	u32 max_ext = min(cpuid_eax(0x80000000U), CPUID_MAX_EXT);
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cpuid_offers); i++) {
		const struct cpuid_offer *o = &cpuid_offers[i];
		struct kvm_cpuid_entry2 *e = &out[n];
		u32 a, b, c, d;

		if (o->function < 0x80000000U ? o->function > max_basic :
						o->function > max_ext)
			continue;
		cpuid_count(o->function, 0, &a, &b, &c, &d);
		memset(e, 0, sizeof(*e));
		e->function = o->function;
		e->flags = o->indexed ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
		e->eax = a & o->eax;
		e->ebx = b & o->ebx;
		e->ecx = c & o->ecx;
		e->edx = d & o->edx;
		if (o->function == 0)
			e->eax = max_basic;
		else if (o->function == 0x80000000U)
			e->eax = max_ext;
		else if (o->function == 1)
			e->ecx |= CPUID_HYPERVISOR;
		n++;
	}
	return n + lamina_kvmclock_cpuid(&out[n]);
}

long lamina_cpuid_get_supported(struct kvm_cpuid2 __user *uarg)
{
	struct kvm_cpuid_entry2 *e;
	struct kvm_cpuid2 hdr;
	unsigned int n;
	long ret = 0;

	if (copy_from_user(&hdr, uarg, sizeof(hdr)))
		return -EFAULT;
	/* KVM: E2BIG when the entries do not fit, and nent left as given. */
	if (hdr.nent < 1)
		return -E2BIG;
	e = kcalloc(CPUID_OFFERS_MAX, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	n = cpuid_supported(e);
	if (hdr.nent < n)
		ret = -E2BIG;
	else if (copy_to_user(uarg->entries, e, n * sizeof(*e)))
		ret = -EFAULT;
	hdr.nent = n;
	if (!ret && copy_to_user(uarg, &hdr, sizeof(hdr)))
		ret = -EFAULT;
	kfree(e);
	return ret;
}

static_assert(sizeof(struct vmm_uapi_cpuid_entry2) ==
	      sizeof(struct kvm_cpuid_entry2));
static_assert(offsetof(struct vmm_uapi_cpuid_entry2, edx) ==
	      offsetof(struct kvm_cpuid_entry2, edx));
static_assert(sizeof(struct vmm_uapi_cpuid2) == sizeof(struct kvm_cpuid2));

/* KVM compares what it compares in kvm_cpuid_check_equal(). */
static bool cpuid_same(const struct vmm_uapi_cpuid_table *a,
		       const struct vmm_uapi_cpuid_table *b)
{
	unsigned int i;

	if (a->nent != b->nent)
		return false;
	for (i = 0; i < a->nent; i++) {
		const struct vmm_uapi_cpuid_entry2 *x = &a->entries[i];
		const struct vmm_uapi_cpuid_entry2 *y = &b->entries[i];

		if (x->function != y->function || x->index != y->index ||
		    x->flags != y->flags || x->eax != y->eax ||
		    x->ebx != y->ebx || x->ecx != y->ecx || x->edx != y->edx)
			return false;
	}
	return true;
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
	/* KVM 6.1: once the vCPU ran, only the same table is accepted. */
	if (vcpu->last_cpu != -1 &&
	    !(vcpu->cpuid ? cpuid_same(vcpu->cpuid, t) : nent == 0)) {
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

static const struct vmm_uapi_cpuid_entry2 *
cpuid_find(const struct vmm_uapi_cpuid_table *t, u32 function, u32 index)
{
	u32 i;

	if (!t || vmm_uapi_cpuid_lookup(t, function, index, &i) != VMM_UAPI_OK)
		return NULL;
	return &t->entries[i];
}

/*
 * kvm_cpuid()'s fallback (arch/x86/kvm/cpuid.c, 6.1): unless the guest's
 * vendor is AMD or Hygon, a function above the maximum of its class
 * (basic, 0x4000xxxx, 0x8000xxxx, 0xc000xxxx) reads the highest basic
 * leaf, with the index as given, as Intel CPUs do.
 */
static const struct vmm_uapi_cpuid_entry2 *
cpuid_out_of_range(const struct vmm_uapi_cpuid_table *t, u32 function,
		   u32 index)
{
	const struct vmm_uapi_cpuid_entry2 *basic, *class;
	u32 class_fn;

	basic = cpuid_find(t, 0, 0);
	if (!basic)
		return NULL;
	/* "AuthenticAMD" / "HygonGenuine": EBX is "Auth" / "Hygo". */
	if (basic->ebx == 0x68747541U || basic->ebx == 0x6f677948U)
		return NULL;
	if (function >= 0x40000000U && function <= 0x4fffffffU)
		class_fn = function & 0xffffff00U;
	else if (function >= 0xc0000000U)
		class_fn = 0xc0000000U;
	else
		class_fn = function & 0x80000000U;
	class = cpuid_find(t, class_fn, 0);
	if (class && function <= class->eax)
		return NULL;
	return cpuid_find(t, basic->eax, index);
}

void lamina_cpuid_exit(struct lamina_vcpu *vcpu)
{
	const struct vmm_uapi_cpuid_entry2 *e;
	u32 function = (u32)vcpu->gprs[LAMINA_GPR_RAX];
	u32 index = (u32)vcpu->gprs[LAMINA_GPR_RCX];
	u32 a = 0, b = 0, c = 0, d = 0;

	e = cpuid_find(vcpu->cpuid, function, index);
	if (!e)
		e = cpuid_out_of_range(vcpu->cpuid, function, index);
	if (e) {
		a = e->eax;
		b = e->ebx;
		c = e->ecx;
		d = e->edx;
	} else if (function == 0xb || function == 0x1f) {
		/* Topology leaves: ECX[7:0] and EDX even past the last level. */
		e = cpuid_find(vcpu->cpuid, function, 1);
		if (e) {
			c = index & 0xff;
			d = e->edx;
		}
	}
	/* CPUID writes EAX..EDX, clearing bits 63:32 of each. */
	vcpu->gprs[LAMINA_GPR_RAX] = a;
	vcpu->gprs[LAMINA_GPR_RBX] = b;
	vcpu->gprs[LAMINA_GPR_RCX] = c;
	vcpu->gprs[LAMINA_GPR_RDX] = d;
}

u32 lamina_cpuid_maxphyaddr(const struct lamina_vcpu *vcpu)
{
	return vcpu->cpuid ? vcpu->cpuid->maxphyaddr : VMM_MAXPHYADDR_DEFAULT;
}

bool lamina_cpuid_has_x2apic(const struct lamina_vcpu *vcpu)
{
	const struct vmm_uapi_cpuid_entry2 *e = cpuid_find(vcpu->cpuid, 1, 0);

	return e && (e->ecx & CPUID_X2APIC);
}

bool lamina_cpuid_has_gbpages(const struct lamina_vcpu *vcpu)
{
	const struct vmm_uapi_cpuid_entry2 *e =
		cpuid_find(vcpu->cpuid, 0x80000001U, 0);

	return e && (e->edx & CPUID_GBPAGES);
}

bool lamina_cpuid_has_tsc_deadline(const struct lamina_vcpu *vcpu)
{
	const struct vmm_uapi_cpuid_entry2 *e = cpuid_find(vcpu->cpuid, 1, 0);

	return e && (e->ecx & CPUID_TSC_DEADLINE);
}

void lamina_cpuid_free(struct lamina_vcpu *vcpu)
{
	kvfree(vcpu->cpuid);
	vcpu->cpuid = NULL;
}
