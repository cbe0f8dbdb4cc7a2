/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed VMCS access and the VMX instructions, each failure reported.
 *
 * A VMCS field's width is part of its encoding (SDM vol. 3C, 25.11.2
 * "VMREAD, VMWRITE, and Encodings of VMCS Fields", table 25-21): bits
 * 14:13 give the width, bit 0 selects the high half of a 64-bit field.
 * The encoding's layout and the width values are libvmm's, the ones its
 * proved vmm_vmcs_field_info() decodes with (libvmm/include/libvmm/vmcs.h,
 * VMM_VMCS_ENC_* and enum vmm_vmcs_width): this header does not restate
 * them. Each accessor takes only constant fields of its own width that
 * are in libvmm's field list (VMM_VMCS_FIELD_LIST), checked at compile
 * time against those definitions, so a 32-bit write
 * to a natural-width field is a build error rather than a value truncated
 * at run time; the operand widths are the typed accesses of libvmm's
 * vmm_vmcs_check_access() (16-bit fields 16, 32-bit 32, 64-bit and
 * natural width 64).
 *
 * VMX instructions report VMfailInvalid (CF = 1: no current VMCS) or
 * VMfailValid (ZF = 1: the VM-instruction error field holds the reason,
 * SDM vol. 3C, 31.4 "VM Instruction Error Numbers"); they fault (#UD)
 * outside VMX operation. Both are logged, with the field for VMREAD and
 * VMWRITE, and told apart; a VMREAD/VMWRITE fail is also counted per CPU
 * (vmx_vmcs_fails()) so that a sequence of writes can be checked once.
 * Nothing ignores a fail.
 */
#ifndef LAMINA_VMX_VMCS_H
#define LAMINA_VMX_VMCS_H

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/asm.h>
#include <asm/vmx.h>

#include <libvmm/vmcs.h>

/* libvmm's vmcs_enc_width(): bits 14:13 of the encoding. */
#define VMCS_FIELD_WIDTH(field) \
	(((field) & VMM_VMCS_ENC_WIDTH_MASK) >> VMM_VMCS_ENC_WIDTH_SHIFT)

/* vmx_vmcs.c: out of line, they are the slow path. */
void vmx_vmwrite_failed(unsigned long field, unsigned long value);
void vmx_vmread_failed(unsigned long field);
void vmx_vmcs_faulted(const char *insn, unsigned long field);
unsigned long vmx_vmcs_fails(void);
/* The VM-instruction error of the last VMfailValid, read raw. */
u32 vmx_insn_error(void);

/* Is @full in libvmm's list of the fields lamina uses? Folded at build time. */
static __always_inline bool vmcs_field_listed(unsigned long full)
{
	switch (full) {
#define VMCS_FIELD_CASE(f) case f:
	VMM_VMCS_FIELD_LIST(VMCS_FIELD_CASE)
#undef VMCS_FIELD_CASE
		return true;
	}
	return false;
}

static __always_inline void vmcs_check_field(unsigned long field,
					     enum vmm_vmcs_width width)
{
	BUILD_BUG_ON_MSG(!__builtin_constant_p(field),
			 "VMCS field must be a constant encoding");
	BUILD_BUG_ON_MSG(!vmcs_field_listed(field & ~VMM_VMCS_ENC_HIGH),
			 "VMCS field missing from libvmm's VMM_VMCS_FIELD_LIST");
	BUILD_BUG_ON_MSG(VMCS_FIELD_WIDTH(field) != width,
			 "VMCS accessor width differs from the field's");
	BUILD_BUG_ON_MSG(width == VMM_VMCS_WIDTH_64 && (field & VMM_VMCS_ENC_HIGH),
			 "64-bit VMCS fields are accessed whole");
}

static __always_inline unsigned long __vmcs_read(unsigned long field)
{
	unsigned long value;

	asm_goto_output("1: vmread %[field], %[value]\n\t"
			"jna %l[fail]\n\t"
			_ASM_EXTABLE(1b, %l[fault])
			: [value] "=rm" (value)
			: [field] "r" (field)
			: "cc" : fail, fault);
	return value;
fail:
	vmx_vmread_failed(field);
	return 0;
fault:
	vmx_vmcs_faulted("vmread", field);
	return 0;
}

static __always_inline void __vmcs_write(unsigned long field,
					 unsigned long value)
{
	asm goto("1: vmwrite %[value], %[field]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [field] "r" (field), [value] "rm" (value)
		 : "cc" : fail, fault);
	return;
fail:
	vmx_vmwrite_failed(field, value);
	return;
fault:
	vmx_vmcs_faulted("vmwrite", field);
}

static __always_inline u16 vmcs_read16(unsigned long field)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_16);
	return __vmcs_read(field);
}

static __always_inline u32 vmcs_read32(unsigned long field)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_32);
	return __vmcs_read(field);
}

static __always_inline u64 vmcs_read64(unsigned long field)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_64);
	return __vmcs_read(field);
}

static __always_inline unsigned long vmcs_readl(unsigned long field)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_NATURAL);
	return __vmcs_read(field);
}

static __always_inline void vmcs_write16(unsigned long field, u16 value)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_16);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_write32(unsigned long field, u32 value)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_32);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_write64(unsigned long field, u64 value)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_64);
	__vmcs_write(field, value);
}

static __always_inline void vmcs_writel(unsigned long field,
					unsigned long value)
{
	vmcs_check_field(field, VMM_VMCS_WIDTH_NATURAL);
	__vmcs_write(field, value);
}

/*
 * VMXON, VMCLEAR and VMPTRLD take the physical address of a 4 KiB region
 * as a memory operand (SDM vol. 3C, 31.3). 0, -EIO on VMfail, -EFAULT on
 * a fault. One macro makes the three wrappers: asm goto needs the
 * mnemonic as a string literal.
 */
#define VMX_DEFINE_PA_INSN(name, insn)					\
static inline int name(u64 pa)						\
{									\
	asm goto("1: " insn " %[pa]\n\t"				\
		 "jna %l[fail]\n\t"					\
		 _ASM_EXTABLE(1b, %l[fault])				\
		 : : [pa] "m" (pa) : "cc", "memory" : fail, fault);	\
	return 0;							\
fail:									\
	return -EIO;							\
fault:									\
	return -EFAULT;							\
}

VMX_DEFINE_PA_INSN(vmx_vmxon, "vmxon")
VMX_DEFINE_PA_INSN(vmx_vmclear, "vmclear")
VMX_DEFINE_PA_INSN(vmx_vmptrld, "vmptrld")

static inline int vmx_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

/* INVEPT with a descriptor of EPTP and 64 reserved zero bits (31.3). */
static inline int vmx_invept(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp;
		u64 rsvd;
	} desc = { eptp, 0 };

	asm goto("1: invept %[desc], %[type]\n\t"
		 "jna %l[fail]\n\t"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : [desc] "m" (desc), [type] "r" (type)
		 : "cc", "memory" : fail, fault);
	return 0;
fail:
	return -EIO;
fault:
	return -EFAULT;
}

#endif /* LAMINA_VMX_VMCS_H */
