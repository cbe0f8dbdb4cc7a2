// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest segment and control registers in the VMCS: KVM_GET/SET_SREGS and
 * the reset state. The rules are the guest-state checks of VM entry
 * (SDM vol. 3C, 27.3.1 "Checks on the Guest State Area") as they apply
 * with unrestricted guest.
 */
#include <linux/kvm.h>
#include <linux/preempt.h>
#include <asm/msr-index.h>
#include <asm/processor-flags.h>
#include <asm/vmx.h>

#include "../gmem.h"
#include "../lamina.h"
#include "vmx.h"
#include "vmx_vmcs.h"

/*
 * Access rights (25.4.1, table 25-2): type 3:0, S 4, DPL 6:5, P 7,
 * AVL 12, L 13, D/B 14, G 15, unusable 16; the other bits are reserved.
 */
#define VMX_SEG_AR_TYPE_MASK 0xfU
#define VMX_SEG_AR_S_SHIFT 4
#define VMX_SEG_AR_DPL_SHIFT 5
#define VMX_SEG_AR_P_SHIFT 7
#define VMX_SEG_AR_AVL_SHIFT 12
#define VMX_SEG_AR_L_SHIFT 13
#define VMX_SEG_AR_DB_SHIFT 14
#define VMX_SEG_AR_G_SHIFT 15
#define VMX_SEG_AR_UNUSABLE (1U << 16)
/* Code/data type bit 0: accessed. */
#define VMX_SEG_AR_TYPE_ACCESSED 1U

/* IA32_PAT after RESET (SDM vol. 3A, 11.12.4 "Programming the PAT"). */
#define VMX_RESET_PAT 0x0007040600070406ULL

/*
 * EFER bits a guest may have on an Intel CPU (SDM vol. 4, table 2-2):
 * lamina's EFER bits with NX (libvmm/include/libvmm/msr.h).
 */
#define VMX_EFER_VALID vmm_msr_efer_allowed(VMM_TRUE)

/* x86 reset: CR0.CD, CR0.NW and CR0.ET set (SDM vol. 3A, table 9-1). */
#define VMX_RESET_CR0 (X86_CR0_CD | X86_CR0_NW | X86_CR0_ET)

static u32 vmx_seg_ar(const struct kvm_segment *k)
{
	u32 type = k->type & VMX_SEG_AR_TYPE_MASK;

	/*
	 * 25.4.1: a usable segment is present; KVM turns a not-present
	 * segment into an unusable one, and so do we.
	 */
	if (k->unusable || !k->present)
		return VMX_SEG_AR_UNUSABLE;
	/*
	 * 27.3.1.2: with unrestricted guest, usable code and data segments
	 * must be accessed; the CPU sets the bit on any load anyway, and
	 * some userspace (old QEMU) leaves it clear. System segments keep
	 * their type: bit 0 there is part of it.
	 */
	if (k->s)
		type |= VMX_SEG_AR_TYPE_ACCESSED;
	return type | (k->s & 1U) << VMX_SEG_AR_S_SHIFT |
	       (k->dpl & 3U) << VMX_SEG_AR_DPL_SHIFT |
	       1U << VMX_SEG_AR_P_SHIFT |
	       (k->avl & 1U) << VMX_SEG_AR_AVL_SHIFT |
	       (k->l & 1U) << VMX_SEG_AR_L_SHIFT |
	       (k->db & 1U) << VMX_SEG_AR_DB_SHIFT |
	       (k->g & 1U) << VMX_SEG_AR_G_SHIFT;
}

static void vmx_seg_from_ar(u32 ar, struct kvm_segment *k)
{
	k->type = ar & VMX_SEG_AR_TYPE_MASK;
	k->s = (ar >> VMX_SEG_AR_S_SHIFT) & 1;
	k->dpl = (ar >> VMX_SEG_AR_DPL_SHIFT) & 3;
	k->avl = (ar >> VMX_SEG_AR_AVL_SHIFT) & 1;
	k->l = (ar >> VMX_SEG_AR_L_SHIFT) & 1;
	k->db = (ar >> VMX_SEG_AR_DB_SHIFT) & 1;
	k->g = (ar >> VMX_SEG_AR_G_SHIFT) & 1;
	k->unusable = !!(ar & VMX_SEG_AR_UNUSABLE);
	k->present = !k->unusable;
}

/*
 * Guest segment fields come in runs of eight, ES CS SS DS FS GS LDTR TR,
 * two encodings apart (SDM vol. 3D, appendix B "Field Encoding in VMCS"):
 * a segment's four fields follow from its number. The helpers are always
 * inlined so that the typed accessors still see constant encodings.
 */
enum vmx_seg {
	VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS,
	VMX_SEG_FS, VMX_SEG_GS, VMX_SEG_LDTR, VMX_SEG_TR,
};

static_assert(GUEST_TR_SELECTOR == GUEST_ES_SELECTOR + 2 * VMX_SEG_TR);
static_assert(GUEST_TR_BASE == GUEST_ES_BASE + 2 * VMX_SEG_TR);
static_assert(GUEST_TR_LIMIT == GUEST_ES_LIMIT + 2 * VMX_SEG_TR);
static_assert(GUEST_TR_AR_BYTES == GUEST_ES_AR_BYTES + 2 * VMX_SEG_TR);

static __always_inline void vmx_seg_set(enum vmx_seg seg,
					const struct kvm_segment *k)
{
	vmcs_write16(GUEST_ES_SELECTOR + 2 * seg, k->selector);
	vmcs_writel(GUEST_ES_BASE + 2 * seg, k->base);
	vmcs_write32(GUEST_ES_LIMIT + 2 * seg, k->limit);
	vmcs_write32(GUEST_ES_AR_BYTES + 2 * seg, vmx_seg_ar(k));
}

static __always_inline void vmx_seg_get(enum vmx_seg seg,
					struct kvm_segment *k)
{
	k->selector = vmcs_read16(GUEST_ES_SELECTOR + 2 * seg);
	k->base = vmcs_readl(GUEST_ES_BASE + 2 * seg);
	k->limit = vmcs_read32(GUEST_ES_LIMIT + 2 * seg);
	vmx_seg_from_ar(vmcs_read32(GUEST_ES_AR_BYTES + 2 * seg), k);
}

/* What the guest sees of CR0/CR4: its own bits, the shadow for ours. */
static u64 vmx_guest_cr(u64 real, u64 shadow, u64 mask)
{
	return (real & ~mask) | (shadow & mask);
}

/* VMCS current, preemption off. */
static void vmx_sregs_read(struct lamina_vcpu *vcpu, struct kvm_sregs *s)
{
	struct vmx_vcpu *vv = vcpu->vendor;

	vmx_seg_get(VMX_SEG_CS, &s->cs);
	vmx_seg_get(VMX_SEG_DS, &s->ds);
	vmx_seg_get(VMX_SEG_ES, &s->es);
	vmx_seg_get(VMX_SEG_FS, &s->fs);
	vmx_seg_get(VMX_SEG_GS, &s->gs);
	vmx_seg_get(VMX_SEG_SS, &s->ss);
	vmx_seg_get(VMX_SEG_TR, &s->tr);
	vmx_seg_get(VMX_SEG_LDTR, &s->ldt);
	s->gdt.base = vmcs_readl(GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_readl(GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s->cr0 = vmx_guest_cr(vmcs_readl(GUEST_CR0),
			      vmcs_readl(CR0_READ_SHADOW),
			      vmcs_readl(CR0_GUEST_HOST_MASK));
	s->cr4 = vmx_guest_cr(vmcs_readl(GUEST_CR4),
			      vmcs_readl(CR4_READ_SHADOW),
			      vmcs_readl(CR4_GUEST_HOST_MASK));
	s->cr3 = vmcs_readl(GUEST_CR3);
	s->cr2 = vv->cr2;
	s->efer = vmcs_read64(GUEST_IA32_EFER);
}

/*
 * The CR values the guest asked for must fit VMX (A.7, A.8): bits the
 * CPU cannot set, or EFER bits Intel reserves, are refused as KVM does.
 */
static bool vmx_sregs_valid(const struct kvm_sregs *s)
{
	return !(s->cr0 & ~vmx_caps.cr0_fixed1) &&
	       !(s->cr4 & ~vmx_caps.cr4_fixed1 & ~(u64)X86_CR4_VMXE) &&
	       !(s->cr4 & X86_CR4_VMXE) && !(s->efer & ~VMX_EFER_VALID) &&
	       (!(s->efer & EFER_LMA) || vmx_caps.entry_ia32e_ok);
}

static void vmx_sregs_write(struct lamina_vcpu *vcpu,
			    const struct kvm_sregs *s, const u64 *pdpte)
{
	struct vmx_vcpu *vv = vcpu->vendor;
	u64 cr0_fixed = vmx_caps.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);
	u32 entry = vmx_caps.entry;

	vmx_seg_set(VMX_SEG_CS, &s->cs);
	vmx_seg_set(VMX_SEG_DS, &s->ds);
	vmx_seg_set(VMX_SEG_ES, &s->es);
	vmx_seg_set(VMX_SEG_FS, &s->fs);
	vmx_seg_set(VMX_SEG_GS, &s->gs);
	vmx_seg_set(VMX_SEG_SS, &s->ss);
	vmx_seg_set(VMX_SEG_TR, &s->tr);
	vmx_seg_set(VMX_SEG_LDTR, &s->ldt);
	vmcs_writel(GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write32(GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_writel(GUEST_IDTR_BASE, s->idt.base);
	vmcs_write32(GUEST_IDTR_LIMIT, s->idt.limit);
	/* The guest reads what it set; VMX runs it with the fixed bits. */
	vmcs_writel(CR0_READ_SHADOW, s->cr0);
	vmcs_writel(GUEST_CR0, s->cr0 | cr0_fixed);
	vmcs_writel(CR4_READ_SHADOW, s->cr4);
	vmcs_writel(GUEST_CR4, s->cr4 | vmx_caps.cr4_fixed0);
	vmcs_writel(GUEST_CR3, s->cr3);
	vv->cr2 = s->cr2;
	vmcs_write64(GUEST_IA32_EFER, s->efer);
	vmcs_write64(GUEST_PDPTR0, pdpte[0]);
	vmcs_write64(GUEST_PDPTR1, pdpte[1]);
	vmcs_write64(GUEST_PDPTR2, pdpte[2]);
	vmcs_write64(GUEST_PDPTR3, pdpte[3]);
	/* 27.3.1.1: with "load IA32_EFER", LMA must equal IA-32e mode guest. */
	if (s->efer & EFER_LMA)
		entry |= VM_ENTRY_IA32E_MODE;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

void vmx_get_sregs(struct lamina_vcpu *vcpu, struct kvm_sregs *s)
{
	preempt_disable();
	if (vmx_vcpu_load(vcpu->vendor) >= 0)
		vmx_sregs_read(vcpu, s);
	preempt_enable();
}

/*
 * PAE paging without long mode: with EPT, VM entry takes the four PDPTEs
 * from the VMCS, not from memory (SDM vol. 3C, 27.3.2.4 "Loading Page-
 * Directory-Pointer-Table Entries"); the CPU keeps them current on the
 * guest's own CR3 loads and saves them on exit (28.3.4), so only a CR3
 * set from userspace needs them read, as a MOV to CR3 would. A PDPT
 * outside guest RAM reads as not present.
 */
static void vmx_read_pdptes(struct lamina_vcpu *vcpu,
			    const struct kvm_sregs *s, u64 *pdpte)
{
	struct lamina_vm *vm = vcpu->vm;

	memset(pdpte, 0, 4 * sizeof(*pdpte));
	if (!(s->cr0 & X86_CR0_PG) || !(s->cr4 & X86_CR4_PAE) ||
	    (s->efer & EFER_LMA))
		return;
	down_read(&vm->mem_sem);
	if (lamina_gmem_read(vm, s->cr3 & 0xffffffe0, pdpte,
			     4 * sizeof(*pdpte)))
		memset(pdpte, 0, 4 * sizeof(*pdpte));
	up_read(&vm->mem_sem);
}

int vmx_set_sregs(struct lamina_vcpu *vcpu, const struct kvm_sregs *s)
{
	unsigned long fails;
	u64 pdpte[4];
	int ret;

	if (!vmx_sregs_valid(s))
		return -EINVAL;
	vmx_read_pdptes(vcpu, s, pdpte);
	preempt_disable();
	/* EFER decides which MSRs vmx_host_load() switches: redo it. */
	vmx_vcpu_put(vcpu);
	fails = vmx_vmcs_fails();
	ret = vmx_vcpu_load(vcpu->vendor);
	if (ret >= 0) {
		vmx_sregs_write(vcpu, s, pdpte);
		ret = vmx_vmcs_fails() == fails ? 0 : -EIO;
	}
	preempt_enable();
	return ret;
}

static void vmx_reset_seg(struct kvm_segment *k, u16 sel, u64 base, u8 type,
			  u8 s)
{
	*k = (struct kvm_segment) {
		.selector = sel, .base = base, .limit = 0xffff, .type = type,
		.s = s, .present = 1,
	};
}

/*
 * SDM vol. 3A, 9.1.1, table 9-1 "IA-32 and Intel 64 Processor States
 * Following Power-up, Reset, or INIT". VMCS current, preemption off.
 */
void vmx_reset_guest_state(struct lamina_vcpu *vcpu)
{
	struct kvm_sregs s = {
		.gdt = { .limit = 0xffff },
		.idt = { .limit = 0xffff },
		.cr0 = VMX_RESET_CR0,
	};
	static const u64 no_pdptes[4];

	vmx_reset_seg(&s.cs, 0xf000, 0xffff0000, 0xb, 1);	/* code, RX */
	vmx_reset_seg(&s.ds, 0, 0, 0x3, 1);			/* data, RW */
	s.es = s.ds;
	s.fs = s.ds;
	s.gs = s.ds;
	s.ss = s.ds;
	vmx_reset_seg(&s.ldt, 0, 0, 0x2, 0);			/* LDT */
	/* 27.3.1.2: TR must be a busy TSS; 32-bit busy as KVM sets it. */
	vmx_reset_seg(&s.tr, 0, 0, 0xb, 0);
	vmx_sregs_write(vcpu, &s, no_pdptes);

	vmcs_writel(GUEST_DR7, 0x400);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writel(GUEST_SYSENTER_ESP, 0);
	vmcs_writel(GUEST_SYSENTER_EIP, 0);
	vmcs_write64(GUEST_IA32_PAT, VMX_RESET_PAT);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, GUEST_ACTIVITY_ACTIVE);
	vmcs_writel(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	/* 27.3.1.5: no shadow VMCS, the link pointer is all ones. */
	vmcs_write64(VMCS_LINK_POINTER, ~0ULL);

	vcpu->rip = 0xfff0;
	vcpu->rflags = X86_EFLAGS_FIXED;
}
