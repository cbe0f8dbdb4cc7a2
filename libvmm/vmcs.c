// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 3 (Intel): typed VMCS fields and VM-entry checks.  Rules and
 * contracts: vmcs.h; model: acsl-specs/vmcs.acsl.
 *
 * Shape of the entry checks: one function per group of rules (execution
 * controls, EPTP/exit/entry controls, host state, guest control registers,
 * each guest segment register, descriptor tables/RIP/RFLAGS, non-register
 * state), each an if-else chain that names the first rule of its group
 * that fails; vmm_vmx_entry_check() runs the groups in order and stops at
 * the first failure.  Rule PHYS_ADDR_BITS comes first and bounds the
 * physical-address width to [32, 52], so every later shift by it is
 * defined (the groups that shift require it).  Nothing wraps.
 */
#include <libvmm/vmcs.h>

/* ---- (a) field table ------------------------------------------------------ */

#define VMCS_FIELD_ELEM(f) f,
const vmm_u32 vmm_vmcs_fields[VMM_VMCS_FIELD_COUNT] = {
	VMM_VMCS_FIELD_LIST(VMCS_FIELD_ELEM)
};
#undef VMCS_FIELD_ELEM

/*
 * Is @full one of vmm_vmcs_fields[]?  A switch over the same list
 * (VMM_VMCS_FIELD_LIST) rather than a scan of the table: the contracts then
 * speak of constants only (vmcs_field_known), not of the table's memory,
 * so vmm_vmcs_field_info() needs no memory-model hypothesis that @info is
 * separated from the table.  The compiler rejects a duplicate case; the
 * unit test checks that the table is sorted and each entry is accepted.
 */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> vmcs_field_known(full);
  @*/
static vmm_bool vmcs__known(vmm_u32 full)
{
	vmm_bool found = VMM_FALSE;

	switch (full) {
#define VMCS_FIELD_CASE(f) case f:
	VMM_VMCS_FIELD_LIST(VMCS_FIELD_CASE)
#undef VMCS_FIELD_CASE
		found = VMM_TRUE;
		break;
	default:
		found = VMM_FALSE;
		break;
	}
	return found;
}

/* Bits 14:13 of @encoding: the field's width (vmm_vmcs_width). */
/*@ assigns \nothing;
  @ ensures \result == vmcs_enc_width(encoding);
  @ ensures \result <= 3;
  @*/
static vmm_u32 vmcs__enc_width(vmm_u32 encoding)
{
	return (encoding & VMM_VMCS_ENC_WIDTH_MASK) >> VMM_VMCS_ENC_WIDTH_SHIFT;
}

/* Bits 11:10 of @encoding: the field's type (vmm_vmcs_type). */
/*@ assigns \nothing;
  @ ensures \result == vmcs_enc_type(encoding);
  @ ensures \result <= 3;
  @*/
static vmm_u32 vmcs__enc_type(vmm_u32 encoding)
{
	return (encoding & VMM_VMCS_ENC_TYPE_MASK) >> VMM_VMCS_ENC_TYPE_SHIFT;
}

/* Operand width of a typed access to a valid encoding (see vmcs.h). */
/*@ assigns \nothing;
  @ ensures \result == vmcs_access_bits(encoding);
  @*/
static vmm_u32 vmcs__access_bits(vmm_u32 encoding)
{
	vmm_u32 width = vmcs__enc_width(encoding);
	vmm_u32 bits = 64U;

	if ((encoding & VMM_VMCS_ENC_HIGH) != 0U) {
		bits = 32U;
	} else if (width == (vmm_u32)VMM_VMCS_WIDTH_16) {
		bits = 16U;
	} else if (width == (vmm_u32)VMM_VMCS_WIDTH_32) {
		bits = 32U;
	} else {
		bits = 64U;
	}
	return bits;
}

enum vmm_vmcs_err vmm_vmcs_field_info(vmm_u32 encoding,
				      struct vmm_vmcs_field_info *info)
{
	enum vmm_vmcs_err err = VMM_VMCS_OK;
	vmm_u32 width = vmcs__enc_width(encoding);
	vmm_u32 type = vmcs__enc_type(encoding);

	if (info == VMM_NULL) {
		err = VMM_VMCS_ERR_NULL;
	} else if ((encoding & VMM_VMCS_ENC_RSVD_MASK) != 0U) {
		err = VMM_VMCS_ERR_RESERVED;
	} else if (vmcs__known(encoding & VMM_VMCS_ENC_FULL_MASK) == 0) {
		err = VMM_VMCS_ERR_UNKNOWN;
	} else if (((encoding & VMM_VMCS_ENC_HIGH) != 0U) &&
		   (width != (vmm_u32)VMM_VMCS_WIDTH_64)) {
		/* SDM 24.11.2: only 64-bit fields have a high encoding. */
		err = VMM_VMCS_ERR_HIGH_NOT_64;
	} else {
		info->width = (enum vmm_vmcs_width)width;
		info->type = (enum vmm_vmcs_type)type;
		info->high = encoding & VMM_VMCS_ENC_HIGH;
		info->access_bits = vmcs__access_bits(encoding);
	}
	return err;
}

enum vmm_vmcs_err vmm_vmcs_check_access(vmm_u32 encoding,
					vmm_u32 access_bits, vmm_u32 write)
{
	struct vmm_vmcs_field_info info;
	enum vmm_vmcs_err err = vmm_vmcs_field_info(encoding, &info);

	if (err == VMM_VMCS_OK) {
		if (access_bits != info.access_bits) {
			err = VMM_VMCS_ERR_WIDTH;
		} else if ((write != 0U) &&
			   (info.type == VMM_VMCS_TYPE_READ_ONLY)) {
			/* SDM 30.3 VMWRITE: read-only fields fail (lamina
			 * does not use IA32_VMX_MISC bit 29). */
			err = VMM_VMCS_ERR_READ_ONLY;
		} else {
			err = VMM_VMCS_OK;
		}
	}
	return err;
}

/* ---- (b) helpers ---------------------------------------------------------- */

/*@ assigns \nothing;
  @ ensures \result != 0 <==> vmx_canonical(x, w);
  @*/
static vmm_bool vmx__canonical(vmm_u64 x, vmm_u8 w)
{
	vmm_bool ok = VMM_FALSE;

	if (w == 57U) {
		ok = ((x < VMM_VMX_CANON57_LOW_END) ||
		      (x >= VMM_VMX_CANON57_HIGH_START)) ? VMM_TRUE : VMM_FALSE;
	} else {
		ok = ((x < VMM_VMX_CANON48_LOW_END) ||
		      (x >= VMM_VMX_CANON48_HIGH_START)) ? VMM_TRUE : VMM_FALSE;
	}
	return ok;
}

/* v has every f0 bit and no bit outside f1 (see vmx_fixed_ok). */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> vmx_fixed_ok(v, f0, f1);
  @*/
static vmm_bool vmx__fixed_ok(vmm_u64 v, vmm_u64 f0, vmm_u64 f1)
{
	return (((f0 & ~v) == 0U) && ((v & ~f1) == 0U)) ? VMM_TRUE : VMM_FALSE;
}

/* A control word against its capability MSR (see vmx_ctls_allowed). */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> vmx_ctls_allowed(ctl, cap);
  @*/
static vmm_bool vmx__ctls_allowed(vmm_u32 ctl, vmm_u64 cap)
{
	return vmx__fixed_ok(ctl, cap & VMM_VMX_CAP_LOW_MASK,
			     cap >> VMM_VMX_CAP_HIGH_SHIFT);
}

/*@ requires w <= 52;
  @ assigns \nothing;
  @ ensures \result != 0 <==> vmx_pa_ok(a, w);
  @*/
static vmm_bool vmx__pa_ok(vmm_u64 a, vmm_u8 w)
{
	return ((a >> w) == 0U) ? VMM_TRUE : VMM_FALSE;
}

/*@ requires w <= 52;
  @ assigns \nothing;
  @ ensures \result != 0 <==> vmx_page_pa_ok(a, w);
  @*/
static vmm_bool vmx__page_pa_ok(vmm_u64 a, vmm_u8 w)
{
	return (((a & VMM_VMX_PAGE_OFFSET_MASK) == 0U) &&
		(vmx__pa_ok(a, w) != 0)) ? VMM_TRUE : VMM_FALSE;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> vmx_seg_g_ok(limit, ar);
  @*/
static vmm_bool vmx__seg_g_ok(vmm_u32 limit, vmm_u32 ar)
{
	vmm_bool ok = VMM_TRUE;

	if (((limit & VMM_VMX_LIMIT_LOW12) != VMM_VMX_LIMIT_LOW12) &&
	    ((ar & VMM_VMX_AR_G) != 0U)) {
		ok = VMM_FALSE;
	} else if (((limit & VMM_VMX_LIMIT_HIGH12) != 0U) &&
		   ((ar & VMM_VMX_AR_G) == 0U)) {
		ok = VMM_FALSE;
	} else {
		ok = VMM_TRUE;
	}
	return ok;
}

/* ---- (b) groups ----------------------------------------------------------- */

/* Inputs and execution controls: PHYS_ADDR_BITS .. MSR_BITMAP. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_exec_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_PHYS_ADDR_BITS, VMM_VMX_ENTRY_MSR_BITMAP);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_PHYS_ADDR_BITS,
  @                      VMM_VMX_ENTRY_MSR_BITMAP, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_exec(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;

	if ((s->phys_addr_bits < 32U) || (s->phys_addr_bits > 52U)) {
		err = VMM_VMX_ENTRY_PHYS_ADDR_BITS;
	} else if ((s->lin_addr_bits != 48U) && (s->lin_addr_bits != 57U)) {
		err = VMM_VMX_ENTRY_LIN_ADDR_BITS;
	} else if (vmx__ctls_allowed(s->pin_ctls, s->cap_pinbased) == 0) {
		err = VMM_VMX_ENTRY_PIN_CTLS;
	} else if (vmx__ctls_allowed(s->proc_ctls, s->cap_procbased) == 0) {
		err = VMM_VMX_ENTRY_PROC_CTLS;
	} else if ((s->proc_ctls & VMM_VMX_PROC_SECONDARY) == 0U) {
		err = VMM_VMX_ENTRY_PROC_SECONDARY;
	} else if (vmx__ctls_allowed(s->proc_ctls2, s->cap_procbased2) == 0) {
		err = VMM_VMX_ENTRY_PROC2_CTLS;
	} else if (((s->proc_ctls2 & VMM_VMX_PROC2_UG) == 0U) ||
		   ((s->proc_ctls2 & VMM_VMX_PROC2_EPT) == 0U)) {
		err = VMM_VMX_ENTRY_UG_EPT;
	} else if (((s->proc_ctls & VMM_VMX_PROC_USE_IO_BITMAPS) != 0U) &&
		   ((vmx__page_pa_ok(s->io_bitmap_a, s->phys_addr_bits) == 0) ||
		    (vmx__page_pa_ok(s->io_bitmap_b, s->phys_addr_bits) == 0))) {
		err = VMM_VMX_ENTRY_IO_BITMAPS;
	} else if (((s->proc_ctls & VMM_VMX_PROC_USE_MSR_BITMAPS) != 0U) &&
		   (vmx__page_pa_ok(s->msr_bitmap, s->phys_addr_bits) == 0)) {
		err = VMM_VMX_ENTRY_MSR_BITMAP;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* EPTP, exit and entry controls: EPTP_MEMTYPE .. ENTRY_SMM. */
/*@ requires \valid_read(s) && vmx_r_phys_addr_bits(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_ctl2_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_EPTP_MEMTYPE, VMM_VMX_ENTRY_ENTRY_SMM);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_EPTP_MEMTYPE,
  @                      VMM_VMX_ENTRY_ENTRY_SMM, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_ctl2(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;

	if (((s->eptp & VMM_VMX_EPTP_MEMTYPE_MASK) !=
	     VMM_VMX_EPTP_MEMTYPE_WB) ||
	    ((s->cap_ept_vpid & VMM_VMX_EPT_CAP_WB) == 0U)) {
		err = VMM_VMX_ENTRY_EPTP_MEMTYPE;
	} else if (((s->eptp & VMM_VMX_EPTP_WALK_MASK) !=
		    VMM_VMX_EPTP_WALK_4) ||
		   ((s->cap_ept_vpid & VMM_VMX_EPT_CAP_WALK4) == 0U)) {
		err = VMM_VMX_ENTRY_EPTP_WALK;
	} else if (((s->eptp & VMM_VMX_EPTP_AD) != 0U) &&
		   ((s->cap_ept_vpid & VMM_VMX_EPT_CAP_AD) == 0U)) {
		err = VMM_VMX_ENTRY_EPTP_AD;
	} else if (((s->eptp & VMM_VMX_EPTP_RSVD_LOW) != 0U) ||
		   (vmx__pa_ok(s->eptp, s->phys_addr_bits) == 0)) {
		err = VMM_VMX_ENTRY_EPTP_RSVD;
	} else if (vmx__ctls_allowed(s->exit_ctls, s->cap_exit) == 0) {
		err = VMM_VMX_ENTRY_EXIT_CTLS;
	} else if ((s->exit_ctls & VMM_VMX_EXIT_HOST_ADDR_SPACE) == 0U) {
		err = VMM_VMX_ENTRY_EXIT_HOST_ADDR_SPACE;
	} else if (vmx__ctls_allowed(s->entry_ctls, s->cap_entry) == 0) {
		err = VMM_VMX_ENTRY_ENTRY_CTLS;
	} else if ((s->entry_ctls & VMM_VMX_ENTRY_SMM) != 0U) {
		err = VMM_VMX_ENTRY_ENTRY_SMM;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Host state: HOST_CR0_FIXED .. HOST_RIP. */
/*@ requires \valid_read(s) && vmx_r_phys_addr_bits(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_host_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_HOST_CR0_FIXED, VMM_VMX_ENTRY_HOST_RIP);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_HOST_CR0_FIXED,
  @                      VMM_VMX_ENTRY_HOST_RIP, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_host(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u8 w = s->lin_addr_bits;
	vmm_bool load_efer = ((s->exit_ctls & VMM_VMX_EXIT_LOAD_EFER) != 0U) ?
		VMM_TRUE : VMM_FALSE;

	if (vmx__fixed_ok(s->host_cr0, s->cr0_fixed0, s->cr0_fixed1) == 0) {
		err = VMM_VMX_ENTRY_HOST_CR0_FIXED;
	} else if (vmx__fixed_ok(s->host_cr4, s->cr4_fixed0,
				 s->cr4_fixed1) == 0) {
		err = VMM_VMX_ENTRY_HOST_CR4_FIXED;
	} else if (vmx__pa_ok(s->host_cr3, s->phys_addr_bits) == 0) {
		err = VMM_VMX_ENTRY_HOST_CR3;
	} else if ((vmx__canonical(s->host_sysenter_esp, w) == 0) ||
		   (vmx__canonical(s->host_sysenter_eip, w) == 0)) {
		err = VMM_VMX_ENTRY_HOST_SYSENTER;
	} else if ((load_efer != 0) &&
		   ((s->host_efer | VMM_VMX_EFER_DEFINED) !=
		    VMM_VMX_EFER_DEFINED)) {
		err = VMM_VMX_ENTRY_HOST_EFER_RSVD;
	} else if ((load_efer != 0) &&
		   (((s->host_efer & VMM_VMX_EFER_LMA) == 0U) ||
		    ((s->host_efer & VMM_VMX_EFER_LME) == 0U))) {
		err = VMM_VMX_ENTRY_HOST_EFER_LMA_LME;
	} else if (((s->host_es_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_cs_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_ss_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_ds_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_fs_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_gs_sel & VMM_VMX_SEL_RPL_TI) != 0U) ||
		   ((s->host_tr_sel & VMM_VMX_SEL_RPL_TI) != 0U)) {
		err = VMM_VMX_ENTRY_HOST_SEL_RPL_TI;
	} else if (s->host_cs_sel == 0U) {
		err = VMM_VMX_ENTRY_HOST_CS_NONZERO;
	} else if (s->host_tr_sel == 0U) {
		err = VMM_VMX_ENTRY_HOST_TR_NONZERO;
	} else if ((vmx__canonical(s->host_fs_base, w) == 0) ||
		   (vmx__canonical(s->host_gs_base, w) == 0) ||
		   (vmx__canonical(s->host_gdtr_base, w) == 0) ||
		   (vmx__canonical(s->host_idtr_base, w) == 0) ||
		   (vmx__canonical(s->host_tr_base, w) == 0)) {
		err = VMM_VMX_ENTRY_HOST_BASE_CANONICAL;
	} else if ((s->host_cr4 & VMM_VMX_CR4_PAE) == 0U) {
		err = VMM_VMX_ENTRY_HOST_CR4_PAE;
	} else if (vmx__canonical(s->host_rip, w) == 0) {
		err = VMM_VMX_ENTRY_HOST_RIP;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Guest control registers and MSRs: GUEST_CR0_FIXED .. GUEST_EFER_LME. */
/*@ requires \valid_read(s) && vmx_r_phys_addr_bits(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_gregs_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_CR0_FIXED,
  @                  VMM_VMX_ENTRY_GUEST_EFER_LME);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_CR0_FIXED,
  @                      VMM_VMX_ENTRY_GUEST_EFER_LME, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_gregs(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u8 w = s->lin_addr_bits;
	vmm_bool ia32e = ((s->entry_ctls & VMM_VMX_ENTRY_IA32E) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool load_efer = ((s->entry_ctls & VMM_VMX_ENTRY_LOAD_EFER) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool pg = ((s->guest_cr0 & VMM_VMX_CR0_PG) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool lma = ((s->guest_efer & VMM_VMX_EFER_LMA) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool lme = ((s->guest_efer & VMM_VMX_EFER_LME) != 0U) ?
		VMM_TRUE : VMM_FALSE;

	if (vmx__fixed_ok(s->guest_cr0,
			  s->cr0_fixed0 & VMM_VMX_CR0_UG_CHECKED0,
			  s->cr0_fixed1 | VMM_VMX_CR0_NW_CD) == 0) {
		err = VMM_VMX_ENTRY_GUEST_CR0_FIXED;
	} else if ((pg != 0) && ((s->guest_cr0 & VMM_VMX_CR0_PE) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_CR0_PG_PE;
	} else if (vmx__fixed_ok(s->guest_cr4, s->cr4_fixed0,
				 s->cr4_fixed1) == 0) {
		err = VMM_VMX_ENTRY_GUEST_CR4_FIXED;
	} else if (vmx__pa_ok(s->guest_cr3, s->phys_addr_bits) == 0) {
		err = VMM_VMX_ENTRY_GUEST_CR3;
	} else if (((s->entry_ctls & VMM_VMX_ENTRY_LOAD_DEBUG) != 0U) &&
		   (s->guest_dr7 > VMM_VMX_LOW32_MAX)) {
		err = VMM_VMX_ENTRY_GUEST_DR7;
	} else if ((vmx__canonical(s->guest_sysenter_esp, w) == 0) ||
		   (vmx__canonical(s->guest_sysenter_eip, w) == 0)) {
		err = VMM_VMX_ENTRY_GUEST_SYSENTER;
	} else if ((ia32e != 0) &&
		   ((pg == 0) || ((s->guest_cr4 & VMM_VMX_CR4_PAE) == 0U))) {
		err = VMM_VMX_ENTRY_GUEST_IA32E_PG_PAE;
	} else if ((ia32e == 0) &&
		   ((s->guest_cr4 & VMM_VMX_CR4_PCIDE) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_PCIDE;
	} else if ((load_efer != 0) &&
		   ((s->guest_efer | VMM_VMX_EFER_DEFINED) !=
		    VMM_VMX_EFER_DEFINED)) {
		err = VMM_VMX_ENTRY_GUEST_EFER_RSVD;
	} else if ((load_efer != 0) && (lma != ia32e)) {
		err = VMM_VMX_ENTRY_GUEST_EFER_LMA;
	} else if ((load_efer != 0) && (pg != 0) && (lme != lma)) {
		err = VMM_VMX_ENTRY_GUEST_EFER_LME;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Guest CS: GUEST_CS_BASE .. GUEST_CS_RSVD_31_17 (all unconditional). */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_cs_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_CS_BASE,
  @                  VMM_VMX_ENTRY_GUEST_CS_RSVD_31_17);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_CS_BASE,
  @                      VMM_VMX_ENTRY_GUEST_CS_RSVD_31_17, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_cs(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u32 ar = s->cs.access_rights;
	vmm_u32 type = ar & VMM_VMX_AR_TYPE_MASK;
	vmm_u32 dpl = ar & VMM_VMX_AR_DPL_MASK;
	vmm_u32 ss_dpl = s->ss.access_rights & VMM_VMX_AR_DPL_MASK;

	if (s->cs.base > VMM_VMX_LOW32_MAX) {
		err = VMM_VMX_ENTRY_GUEST_CS_BASE;
	} else if ((type != 3U) && (type != 9U) && (type != 11U) &&
		   (type != 13U) && (type != 15U)) {
		err = VMM_VMX_ENTRY_GUEST_CS_TYPE;
	} else if ((ar & VMM_VMX_AR_S) == 0U) {
		err = VMM_VMX_ENTRY_GUEST_CS_S;
	} else if (((type == 3U) && (dpl != 0U)) ||
		   (((type == 9U) || (type == 11U)) && (dpl != ss_dpl)) ||
		   (((type == 13U) || (type == 15U)) && (dpl > ss_dpl))) {
		err = VMM_VMX_ENTRY_GUEST_CS_DPL;
	} else if ((ar & VMM_VMX_AR_P) == 0U) {
		err = VMM_VMX_ENTRY_GUEST_CS_P;
	} else if ((ar & VMM_VMX_AR_RSVD_11_8) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_CS_RSVD_11_8;
	} else if (((s->entry_ctls & VMM_VMX_ENTRY_IA32E) != 0U) &&
		   ((ar & VMM_VMX_AR_L) != 0U) && ((ar & VMM_VMX_AR_DB) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_CS_DB;
	} else if (vmx__seg_g_ok(s->cs.limit, ar) == 0) {
		err = VMM_VMX_ENTRY_GUEST_CS_G;
	} else if ((ar & VMM_VMX_AR_RSVD_31_17) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_CS_RSVD_31_17;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Guest SS: GUEST_SS_BASE .. GUEST_SS_RSVD_31_17. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_ss_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_SS_BASE,
  @                  VMM_VMX_ENTRY_GUEST_SS_RSVD_31_17);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_SS_BASE,
  @                      VMM_VMX_ENTRY_GUEST_SS_RSVD_31_17, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_ss(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u32 ar = s->ss.access_rights;
	vmm_u32 type = ar & VMM_VMX_AR_TYPE_MASK;
	vmm_bool usable = ((ar & VMM_VMX_AR_UNUSABLE) == 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_u32 cs_type = s->cs.access_rights & VMM_VMX_AR_TYPE_MASK;

	if ((usable != 0) && (s->ss.base > VMM_VMX_LOW32_MAX)) {
		err = VMM_VMX_ENTRY_GUEST_SS_BASE;
	} else if ((usable != 0) && (type != 3U) && (type != 7U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_TYPE;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_S) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_S;
	} else if (((cs_type == 3U) ||
		    ((s->guest_cr0 & VMM_VMX_CR0_PE) == 0U)) &&
		   ((ar & VMM_VMX_AR_DPL_MASK) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_DPL;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_P) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_P;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_RSVD_11_8) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_RSVD_11_8;
	} else if ((usable != 0) && (vmx__seg_g_ok(s->ss.limit, ar) == 0)) {
		err = VMM_VMX_ENTRY_GUEST_SS_G;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_RSVD_31_17) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_SS_RSVD_31_17;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/*
 * One data segment (DS, ES: @canon 0; FS, GS: @canon 1): 0 if every rule
 * holds, else the number (VMM_VMX_DSEG_*) of the first that fails.
 */
/*@ requires \valid_read(g);
  @ assigns \nothing;
  @ ensures 0 <= \result <= VMM_VMX_DSEG_RULES;
  @ ensures \result == 0 <==> vmx_dseg_ok(g, canon, w);
  @ ensures \result != 0 ==> !vmx_dseg_rule(g, canon, w, \result);
  @ ensures \forall integer j; 1 <= j <= VMM_VMX_DSEG_RULES &&
  @   (\result == 0 || j < \result) ==> vmx_dseg_rule(g, canon, w, j);
  @*/
static vmm_u32 vmx__check_dseg(const struct vmm_vmx_segment *g,
			       vmm_bool canon, vmm_u8 w)
{
	vmm_u32 sub = 0U;
	vmm_u32 ar = g->access_rights;
	vmm_bool usable = ((ar & VMM_VMX_AR_UNUSABLE) == 0U) ?
		VMM_TRUE : VMM_FALSE;

	if ((canon != 0) && (vmx__canonical(g->base, w) == 0)) {
		sub = VMM_VMX_DSEG_BASE;
	} else if ((canon == 0) && (usable != 0) &&
		   (g->base > VMM_VMX_LOW32_MAX)) {
		sub = VMM_VMX_DSEG_BASE;
	} else if ((usable != 0) &&
		   (((ar & VMM_VMX_AR_TYPE_ACCESSED) == 0U) ||
		    (((ar & VMM_VMX_AR_TYPE_CODE) != 0U) &&
		     ((ar & VMM_VMX_AR_TYPE_READABLE) == 0U)))) {
		sub = VMM_VMX_DSEG_TYPE;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_S) == 0U)) {
		sub = VMM_VMX_DSEG_S;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_P) == 0U)) {
		sub = VMM_VMX_DSEG_P;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_RSVD_11_8) != 0U)) {
		sub = VMM_VMX_DSEG_RSVD_11_8;
	} else if ((usable != 0) && (vmx__seg_g_ok(g->limit, ar) == 0)) {
		sub = VMM_VMX_DSEG_G;
	} else if ((usable != 0) && ((ar & VMM_VMX_AR_RSVD_31_17) != 0U)) {
		sub = VMM_VMX_DSEG_RSVD_31_17;
	} else {
		sub = 0U;
	}
	return sub;
}

/* Guest DS, ES, FS, GS: GUEST_DS_BASE .. GUEST_GS_RSVD_31_17. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_dsegs_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_DS_BASE,
  @                  VMM_VMX_ENTRY_GUEST_GS_RSVD_31_17);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_DS_BASE,
  @                      VMM_VMX_ENTRY_GUEST_GS_RSVD_31_17, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_dsegs(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u8 w = s->lin_addr_bits;
	vmm_u32 sub = vmx__check_dseg(&s->ds, VMM_FALSE, w);

	if (sub != 0U) {
		err = (enum vmm_vmx_entry_check)
			((vmm_u32)VMM_VMX_ENTRY_GUEST_DS_BASE - 1U + sub);
	} else {
		sub = vmx__check_dseg(&s->es, VMM_FALSE, w);
		if (sub != 0U) {
			err = (enum vmm_vmx_entry_check)
				((vmm_u32)VMM_VMX_ENTRY_GUEST_ES_BASE - 1U + sub);
		} else {
			sub = vmx__check_dseg(&s->fs, VMM_TRUE, w);
			if (sub != 0U) {
				err = (enum vmm_vmx_entry_check)
					((vmm_u32)VMM_VMX_ENTRY_GUEST_FS_BASE -
					 1U + sub);
			} else {
				sub = vmx__check_dseg(&s->gs, VMM_TRUE, w);
				if (sub != 0U) {
					err = (enum vmm_vmx_entry_check)
						((vmm_u32)
						 VMM_VMX_ENTRY_GUEST_GS_BASE -
						 1U + sub);
				}
			}
		}
	}
	return err;
}

/* Guest TR: GUEST_TR_SEL_TI .. GUEST_TR_RSVD_31_17. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_tr_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_TR_SEL_TI,
  @                  VMM_VMX_ENTRY_GUEST_TR_RSVD_31_17);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_TR_SEL_TI,
  @                      VMM_VMX_ENTRY_GUEST_TR_RSVD_31_17, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_tr(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u32 ar = s->tr.access_rights;
	vmm_u32 type = ar & VMM_VMX_AR_TYPE_MASK;
	vmm_bool ia32e = ((s->entry_ctls & VMM_VMX_ENTRY_IA32E) != 0U) ?
		VMM_TRUE : VMM_FALSE;

	if ((s->tr.selector & VMM_VMX_SEL_TI) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_SEL_TI;
	} else if (vmx__canonical(s->tr.base, s->lin_addr_bits) == 0) {
		err = VMM_VMX_ENTRY_GUEST_TR_BASE;
	} else if ((type != 11U) && ((ia32e != 0) || (type != 3U))) {
		err = VMM_VMX_ENTRY_GUEST_TR_TYPE;
	} else if ((ar & VMM_VMX_AR_S) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_S;
	} else if ((ar & VMM_VMX_AR_P) == 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_P;
	} else if ((ar & VMM_VMX_AR_RSVD_11_8) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_RSVD_11_8;
	} else if (vmx__seg_g_ok(s->tr.limit, ar) == 0) {
		err = VMM_VMX_ENTRY_GUEST_TR_G;
	} else if ((ar & VMM_VMX_AR_UNUSABLE) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_UNUSABLE;
	} else if ((ar & VMM_VMX_AR_RSVD_31_17) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_TR_RSVD_31_17;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Guest LDTR: GUEST_LDTR_SEL_TI .. GUEST_LDTR_RSVD_31_17, if usable. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_ldtr_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_LDTR_SEL_TI,
  @                  VMM_VMX_ENTRY_GUEST_LDTR_RSVD_31_17);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_LDTR_SEL_TI,
  @                      VMM_VMX_ENTRY_GUEST_LDTR_RSVD_31_17, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_ldtr(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u32 ar = s->ldtr.access_rights;

	if ((ar & VMM_VMX_AR_UNUSABLE) != 0U) {
		/* Unusable: no rule applies (26.3.1.2). */
		err = VMM_VMX_ENTRY_OK;
	} else if ((s->ldtr.selector & VMM_VMX_SEL_TI) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_SEL_TI;
	} else if (vmx__canonical(s->ldtr.base, s->lin_addr_bits) == 0) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_BASE;
	} else if ((ar & VMM_VMX_AR_TYPE_MASK) != 2U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_TYPE;
	} else if ((ar & VMM_VMX_AR_S) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_S;
	} else if ((ar & VMM_VMX_AR_P) == 0U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_P;
	} else if ((ar & VMM_VMX_AR_RSVD_11_8) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_RSVD_11_8;
	} else if (vmx__seg_g_ok(s->ldtr.limit, ar) == 0) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_G;
	} else if ((ar & VMM_VMX_AR_RSVD_31_17) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_LDTR_RSVD_31_17;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* GDTR, IDTR, RIP, RFLAGS: GUEST_GDTR_BASE .. GUEST_RFLAGS_IF_INJECT. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_misc_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_GDTR_BASE,
  @                  VMM_VMX_ENTRY_GUEST_RFLAGS_IF_INJECT);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_GDTR_BASE,
  @                      VMM_VMX_ENTRY_GUEST_RFLAGS_IF_INJECT, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_misc(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u8 w = s->lin_addr_bits;
	vmm_bool ia32e = ((s->entry_ctls & VMM_VMX_ENTRY_IA32E) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool cs_long = ((ia32e != 0) &&
			    ((s->cs.access_rights & VMM_VMX_AR_L) != 0U)) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool vm = ((s->guest_rflags & VMM_VMX_RFLAGS_VM) != 0U) ?
		VMM_TRUE : VMM_FALSE;

	if (vmx__canonical(s->guest_gdtr_base, w) == 0) {
		err = VMM_VMX_ENTRY_GUEST_GDTR_BASE;
	} else if (vmx__canonical(s->guest_idtr_base, w) == 0) {
		err = VMM_VMX_ENTRY_GUEST_IDTR_BASE;
	} else if (s->guest_gdtr_limit > VMM_VMX_LOW16_MAX) {
		err = VMM_VMX_ENTRY_GUEST_GDTR_LIMIT;
	} else if (s->guest_idtr_limit > VMM_VMX_LOW16_MAX) {
		err = VMM_VMX_ENTRY_GUEST_IDTR_LIMIT;
	} else if ((cs_long == 0) && (s->guest_rip > VMM_VMX_LOW32_MAX)) {
		err = VMM_VMX_ENTRY_GUEST_RIP_HIGH;
	} else if ((cs_long != 0) &&
		   (vmx__canonical(s->guest_rip, w) == 0)) {
		err = VMM_VMX_ENTRY_GUEST_RIP_CANONICAL;
	} else if (((s->guest_rflags & VMM_VMX_RFLAGS_RSVD) != 0U) ||
		   ((s->guest_rflags & VMM_VMX_RFLAGS_FIXED1) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_RFLAGS_RSVD;
	} else if ((vm != 0) &&
		   ((ia32e != 0) || ((s->guest_cr0 & VMM_VMX_CR0_PE) == 0U))) {
		err = VMM_VMX_ENTRY_GUEST_RFLAGS_VM;
	} else if (vm != 0) {
		err = VMM_VMX_ENTRY_GUEST_RFLAGS_VM_LAMINA;
	} else if (((s->entry_intr_info & VMM_VMX_INTR_INFO_VALID) != 0U) &&
		   ((s->entry_intr_info & VMM_VMX_INTR_INFO_TYPE_MASK) ==
		    VMM_VMX_INTR_TYPE_EXT) &&
		   ((s->guest_rflags & VMM_VMX_RFLAGS_IF) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_RFLAGS_IF_INJECT;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

/* Activity, interruptibility, link pointer: .._ACTIVITY_STATE .. LINK. */
/*@ requires \valid_read(s);
  @ assigns \nothing;
  @ ensures \result == VMM_VMX_ENTRY_OK <==> vmx_nonreg_ok(s);
  @ ensures \result == VMM_VMX_ENTRY_OK ==>
  @   vmx_rules_hold(s, VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE,
  @                  VMM_VMX_ENTRY_GUEST_LINK_POINTER);
  @ ensures \result != VMM_VMX_ENTRY_OK ==>
  @   vmx_fails_first_in(s, VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE,
  @                      VMM_VMX_ENTRY_GUEST_LINK_POINTER, \result);
  @*/
static enum vmm_vmx_entry_check
vmx__check_nonreg(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;
	vmm_u32 act = s->guest_activity_state;
	vmm_u32 intr = s->guest_interruptibility;
	vmm_bool sti = ((intr & VMM_VMX_INTR_STI) != 0U) ? VMM_TRUE : VMM_FALSE;
	vmm_bool movss = ((intr & VMM_VMX_INTR_MOV_SS) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_bool inj = ((s->entry_intr_info & VMM_VMX_INTR_INFO_VALID) != 0U) ?
		VMM_TRUE : VMM_FALSE;
	vmm_u32 inj_type = s->entry_intr_info & VMM_VMX_INTR_INFO_TYPE_MASK;

	if ((act != VMM_VMX_ACTIVITY_ACTIVE) &&
	    ((act != VMM_VMX_ACTIVITY_HLT) ||
	     ((s->cap_misc & VMM_VMX_MISC_ACT_HLT) == 0U)) &&
	    ((act != VMM_VMX_ACTIVITY_SHUTDOWN) ||
	     ((s->cap_misc & VMM_VMX_MISC_ACT_SHUTDOWN) == 0U)) &&
	    ((act != VMM_VMX_ACTIVITY_WAIT_SIPI) ||
	     ((s->cap_misc & VMM_VMX_MISC_ACT_SIPI) == 0U))) {
		err = VMM_VMX_ENTRY_GUEST_ACTIVITY_STATE;
	} else if ((act == VMM_VMX_ACTIVITY_HLT) &&
		   ((s->ss.access_rights & VMM_VMX_AR_DPL_MASK) != 0U)) {
		err = VMM_VMX_ENTRY_GUEST_ACTIVITY_HLT_SS_DPL;
	} else if (((sti != 0) || (movss != 0)) &&
		   (act != VMM_VMX_ACTIVITY_ACTIVE)) {
		err = VMM_VMX_ENTRY_GUEST_ACTIVITY_BLOCKING;
	} else if (intr > VMM_VMX_INTR_DEFINED_MAX) {
		err = VMM_VMX_ENTRY_GUEST_INTR_RSVD;
	} else if ((sti != 0) && (movss != 0)) {
		err = VMM_VMX_ENTRY_GUEST_INTR_STI_MOVSS;
	} else if ((sti != 0) &&
		   ((s->guest_rflags & VMM_VMX_RFLAGS_IF) == 0U)) {
		err = VMM_VMX_ENTRY_GUEST_INTR_STI_IF;
	} else if ((intr & VMM_VMX_INTR_SMI) != 0U) {
		err = VMM_VMX_ENTRY_GUEST_INTR_SMI;
	} else if ((inj != 0) && (inj_type == VMM_VMX_INTR_TYPE_EXT) &&
		   ((sti != 0) || (movss != 0))) {
		err = VMM_VMX_ENTRY_GUEST_INTR_INJECT_EXT;
	} else if ((inj != 0) && (inj_type == VMM_VMX_INTR_TYPE_NMI) &&
		   (movss != 0)) {
		err = VMM_VMX_ENTRY_GUEST_INTR_INJECT_NMI;
	} else if (s->guest_link_pointer != VMM_U64_MAX) {
		err = VMM_VMX_ENTRY_GUEST_LINK_POINTER;
	} else {
		err = VMM_VMX_ENTRY_OK;
	}
	return err;
}

enum vmm_vmx_entry_check
vmm_vmx_entry_check(const struct vmm_vmx_entry_state *s)
{
	enum vmm_vmx_entry_check err = VMM_VMX_ENTRY_OK;

	if (s == VMM_NULL) {
		err = VMM_VMX_ENTRY_ERR_NULL;
	} else {
		err = vmx__check_exec(s);
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_ctl2(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_host(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_gregs(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_cs(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_ss(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_dsegs(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_tr(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_ldtr(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_misc(s);
		}
		if (err == VMM_VMX_ENTRY_OK) {
			err = vmx__check_nonreg(s);
		}
	}
	return err;
}
