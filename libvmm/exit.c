// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 4: VM-exit decoding.  Rules and contracts: exit.h;
 * abstract model (the manuals' encodings): acsl-specs/exit.acsl.
 *
 * Shape: each vendor entry point clears the event, picks the nominal kind
 * from the exit reason / exit code, lets one helper per encoding check the
 * information and fill the kind's sub-struct, then turns any reserved
 * encoding into VMM_EXIT_MALFORMED.  No field is read that the manuals
 * leave undefined for the exit at hand.  Fields are cut out with explicit
 * shifts and masks (no C bitfields: their layout is the compiler's).
 */
#include <libvmm/exit.h>

/* ---- Intel SDM vol. 3C, appendix C "VMX Basic Exit Reasons" ---------- */
#define VMX_REASON_BASIC_MASK 0xFFFFU
#define VMX_REASON_ENTRY_FAIL_SHIFT 31U
#define VMX_REASON_EXC_NMI 0U
#define VMX_REASON_EXT_INTR 1U
#define VMX_REASON_TRIPLE_FAULT 2U
#define VMX_REASON_INTR_WINDOW 7U
#define VMX_REASON_CPUID 10U
#define VMX_REASON_HLT 12U
#define VMX_REASON_INVLPG 14U
#define VMX_REASON_VMCALL 18U
#define VMX_REASON_CR_ACCESS 28U
#define VMX_REASON_DR_ACCESS 29U
#define VMX_REASON_IO 30U
#define VMX_REASON_RDMSR 31U
#define VMX_REASON_WRMSR 32U
#define VMX_REASON_INVALID_STATE 33U
#define VMX_REASON_MSR_LOAD_FAIL 34U
#define VMX_REASON_PAUSE 40U
#define VMX_REASON_MCE_DURING_ENTRY 41U
#define VMX_REASON_EPT_VIOLATION 48U
#define VMX_REASON_PREEMPTION_TIMER 52U

/* VM-exit interruption information (SDM "Information for VM Exits Due to
 * Vectored Events"). */
#define VMX_INTR_VECTOR_MASK 0xFFU
#define VMX_INTR_TYPE_SHIFT 8U
#define VMX_INTR_EV_SHIFT 11U
#define VMX_INTR_VALID_SHIFT 31U
#define VMX_INTR_TYPE_EXT 0U
#define VMX_INTR_TYPE_NMI 2U
#define VMX_INTR_TYPE_HW_EXC 3U
#define VMX_INTR_TYPE_PRIV_SW_EXC 5U
#define VMX_INTR_TYPE_SW_EXC 6U
#define VMX_VECTOR_NMI 2U
#define VMX_VECTOR_LAST_EXC 31U
#define VEC_DB 1U
#define VEC_PF 14U

/* ---- AMD APM vol. 2, appendix C "SVM Intercept Exit Codes" ------------ */
#define SVM_EXIT_CR_LAST 0x1FULL   /* 0x00-0x0F read, 0x10-0x1F write */
#define SVM_EXIT_CR_WRITE 0x10ULL
#define SVM_EXIT_DR_LAST 0x3FULL   /* 0x20-0x2F read, 0x30-0x3F write */
#define SVM_EXIT_DR_WRITE 0x30ULL
#define SVM_EXIT_EXC_FIRST 0x40ULL
#define SVM_EXIT_EXC_LAST 0x5FULL
#define SVM_EXIT_INTR 0x60ULL
#define SVM_EXIT_NMI 0x61ULL
#define SVM_EXIT_VINTR 0x64ULL
#define SVM_EXIT_CR0_SEL_WRITE 0x65ULL
#define SVM_EXIT_CPUID 0x72ULL
#define SVM_EXIT_PAUSE 0x77ULL
#define SVM_EXIT_HLT 0x78ULL
#define SVM_EXIT_INVLPG 0x79ULL
#define SVM_EXIT_IOIO 0x7BULL
#define SVM_EXIT_MSR 0x7CULL
#define SVM_EXIT_SHUTDOWN 0x7FULL
#define SVM_EXIT_VMMCALL 0x81ULL
#define SVM_EXIT_NPF 0x400ULL
#define SVM_EXIT_INVALID 0xFFFFFFFFFFFFFFFFULL /* -1 */
#define SVM_REG_NUM_MASK 0xFULL
/* DR6's fixed-1 and active-low bits (APM vol. 2 13.1.1.3). */
#define SVM_DR6_SET_BITS 0xFFFF0FF0ULL

/*
 * Every value below is built in a local variable and returned or stored
 * whole: WP then reasons on plain records instead of on memory written
 * through pointers into the event, which the provers handle far better.
 */

/* The all-zero event. */
/*@ assigns \nothing;
  @ ensures event_zero(\result);
  @*/
static struct vmm_exit_event exit__zero(void)
{
	struct vmm_exit_event e = {
		.kind = VMM_EXIT_UNKNOWN,
		.bad = VMM_EXIT_BAD_NONE,
		.raw = 0U,
		.insn_len = 0U,
		.next_rip_valid = 0U,
		.next_rip = 0U,
		.io = { 0U, 0U, 0U, 0U, 0U, 0U, 0U, 0U },
		.cr = { 0U, 0U, 0U, 0U, 0U, 0U },
		.dr = { 0U, 0U, 0U, 0U },
		.mmio = { 0U, 0U, 0U, 0U, 0U },
		.exc = { 0U, 0U, 0U, 0U, 0U, 0U, 0U },
		.intr = { 0U, 0U },
		.invlpg = { 0U, 0U },
		.entry = { 0U, 0U },
	};

	return e;
}

/* Is @k an exit caused by an instruction, which the handler may skip? */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> insn_kind(k);
  @*/
static vmm_bool exit__is_insn(enum vmm_exit_kind k)
{
	vmm_bool r = VMM_FALSE;

	switch (k) {
	case VMM_EXIT_IO:
	case VMM_EXIT_CR_ACCESS:
	case VMM_EXIT_HLT:
	case VMM_EXIT_CPUID:
	case VMM_EXIT_RDMSR:
	case VMM_EXIT_WRMSR:
	case VMM_EXIT_INVLPG:
	case VMM_EXIT_DR_ACCESS:
	case VMM_EXIT_HYPERCALL:
	case VMM_EXIT_PAUSE:
		r = VMM_TRUE;
		break;
	default:
		r = VMM_FALSE;
		break;
	}
	return r;
}

/* ======================================================================
 * Intel VMX
 * ====================================================================== */

/* Exit reason 0: is the interruption information an NMI or exception? */
/*@ assigns \nothing;
  @ ensures \result == vmx_exc_bad(ii);
  @*/
static enum vmm_exit_bad vmx__exc_bad(vmm_u32 ii)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_INTR_INFO;
	vmm_u32 vector = ii & VMX_INTR_VECTOR_MASK;
	vmm_u32 type = (ii >> VMX_INTR_TYPE_SHIFT) & 7U;

	if (((ii >> VMX_INTR_VALID_SHIFT) & 1U) == 0U) {
		bad = VMM_EXIT_BAD_INTR_INFO;
	} else if (type == VMX_INTR_TYPE_NMI) {
		if (vector == VMX_VECTOR_NMI) {
			bad = VMM_EXIT_BAD_NONE;
		}
	} else if ((type == VMX_INTR_TYPE_HW_EXC) ||
		   (type == VMX_INTR_TYPE_PRIV_SW_EXC) ||
		   (type == VMX_INTR_TYPE_SW_EXC)) {
		if ((vector <= VMX_VECTOR_LAST_EXC) &&
		    (vector != VMX_VECTOR_NMI)) {
			bad = VMM_EXIT_BAD_NONE;
		}
	} else {
		/* Types 0, 1, 4, 7 do not come with exit reason 0. */
		bad = VMM_EXIT_BAD_INTR_INFO;
	}
	return bad;
}

/* Exit reason 0: raised by INT1, INT3 or INTO (types 5, 6)? */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result != 0 <==> vmx_soft_exc(*in);
  @*/
static vmm_bool vmx__soft_exc(const struct vmm_vmx_exit_info *in)
{
	vmm_bool r = VMM_FALSE;
	vmm_u32 type = (in->intr_info >> VMX_INTR_TYPE_SHIFT) & 7U;

	if ((((in->exit_reason >> VMX_REASON_ENTRY_FAIL_SHIFT) & 1U) == 0U) &&
	    ((in->exit_reason & VMX_REASON_BASIC_MASK) == VMX_REASON_EXC_NMI) &&
	    ((type == VMX_INTR_TYPE_PRIV_SW_EXC) ||
	     (type == VMX_INTR_TYPE_SW_EXC))) {
		r = VMM_TRUE;
	}
	return r;
}

/* Exit reason 0, an exception: vector, error code, #PF address, how it
 * was raised, #DB conditions. */
/*@ requires \valid_read(in);
  @ requires vmx_exc_bad(in->intr_info) == VMM_EXIT_BAD_NONE;
  @ requires vmx_soft_exc(*in) ==> insn_len_ok(in->insn_len);
  @ assigns \nothing;
  @ ensures vmx_exc_fields(*in, \result);
  @*/
static struct vmm_exit_exc vmx__exc(const struct vmm_vmx_exit_info *in)
{
	struct vmm_exit_exc x = { 0U, 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u32 ii = in->intr_info;
	vmm_u32 vector = ii & VMX_INTR_VECTOR_MASK;
	vmm_u32 ev = (ii >> VMX_INTR_EV_SHIFT) & 1U;

	if (vmx__soft_exc(in) != 0) {
		x.soft = 1U;
		x.insn_len = (vmm_u8)in->insn_len;
	}
	if (vector == VEC_DB) {
		x.dbg = (vmm_u32)(in->qualification & VMM_EXIT_DBG_MASK);
	}

	x.vector = (vmm_u8)vector;
	x.err_valid = (vmm_u8)ev;
	if (ev != 0U) {
		x.err_code = in->intr_error_code;
	}
	if (vector == VEC_PF) {
		x.pf_addr = in->qualification;
	}
	return x;
}

/* Exit reason 1: the interruption information is absent ("acknowledge
 * interrupt on exit" off) or an external interrupt. */
/*@ assigns \nothing;
  @ ensures \result == vmx_extint_bad(ii);
  @*/
static enum vmm_exit_bad vmx__ext_intr_bad(vmm_u32 ii)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;

	if ((((ii >> VMX_INTR_VALID_SHIFT) & 1U) != 0U) &&
	    (((ii >> VMX_INTR_TYPE_SHIFT) & 7U) != VMX_INTR_TYPE_EXT)) {
		bad = VMM_EXIT_BAD_INTR_INFO;
	}
	return bad;
}

/*@ assigns \nothing;
  @ ensures vmx_intr_fields(ii, \result);
  @*/
static struct vmm_exit_intr vmx__ext_intr(vmm_u32 ii)
{
	struct vmm_exit_intr t = { 0U, 0U };

	if (((ii >> VMX_INTR_VALID_SHIFT) & 1U) != 0U) {
		t.vector_valid = 1U;
		t.vector = (vmm_u8)(ii & VMX_INTR_VECTOR_MASK);
	}
	return t;
}

/* Exit reason 30: "Exit Qualification for I/O Instructions", plus the
 * INS/OUTS instruction information when the CPU reports it. */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == vmx_io_bad(*in);
  @*/
static enum vmm_exit_bad vmx__io_bad(const struct vmm_vmx_exit_info *in)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;
	vmm_u64 q = in->qualification;
	vmm_u64 sz = q & 7U;

	if ((sz != 0U) && (sz != 1U) && (sz != 3U)) {
		/* 2 and 4..7 are not used by the SDM's table. */
		bad = VMM_EXIT_BAD_IO_SIZE;
	} else if ((((q >> 4) & 1U) != 0U) && (in->insn_info_valid != 0U)) {
		if (((in->insn_info >> 7) & 7U) > 2U) {
			bad = VMM_EXIT_BAD_IO_ADDR_SIZE;
		} else if ((((q >> 3) & 1U) == 0U) &&
			   (((in->insn_info >> 15) & 7U) > VMM_EXIT_SEG_GS)) {
			bad = VMM_EXIT_BAD_IO_SEG;
		} else {
			bad = VMM_EXIT_BAD_NONE;
		}
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/*@ requires \valid_read(in);
  @ requires vmx_io_bad(*in) == VMM_EXIT_BAD_NONE;
  @ assigns \nothing;
  @ ensures vmx_io_fields(*in, \result);
  @*/
static struct vmm_exit_io vmx__io(const struct vmm_vmx_exit_info *in)
{
	struct vmm_exit_io io = { 0U, 0U, 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u64 q = in->qualification;
	vmm_u64 sz = q & 7U;
	vmm_u64 in_bit = (q >> 3) & 1U;
	vmm_u64 str = (q >> 4) & 1U;
	vmm_u32 asize = (in->insn_info >> 7) & 7U;

	io.port = (vmm_u16)((q >> 16) & 0xFFFFU);
	io.in = (vmm_u8)in_bit;
	io.string = (vmm_u8)str;
	io.rep = (vmm_u8)((q >> 5) & 1U);
	if (sz == 0U) {
		io.size = 1U;
	} else if (sz == 1U) {
		io.size = 2U;
	} else {
		io.size = 4U;
	}
	if ((str != 0U) && (in->insn_info_valid != 0U)) {
		if (asize == 0U) {
			io.addr_bits = 16U;
		} else if (asize == 1U) {
			io.addr_bits = 32U;
		} else {
			io.addr_bits = 64U;
		}
		io.seg_valid = 1U;
		/* INS always writes ES:[rDI]; bits 17:15 are undefined. */
		if (in_bit == 0U) {
			io.seg = (vmm_u8)((in->insn_info >> 15) & 7U);
		}
	}
	return io;
}

/* Exit reason 28: "Exit Qualification for Control-Register Accesses". */
/*@ assigns \nothing;
  @ ensures \result == vmx_cr_bad(q);
  @*/
static enum vmm_exit_bad vmx__cr_bad(vmm_u64 q)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;
	vmm_u64 num = q & 0xFU;
	vmm_u64 type = (q >> 4) & 3U;

	if ((num != 0U) && (num != 3U) && (num != 4U) && (num != 8U)) {
		bad = VMM_EXIT_BAD_CR_NUMBER;
	} else if (((type == 2U) || (type == 3U)) && (num != 0U)) {
		/* CLTS and LMSW only touch CR0. */
		bad = VMM_EXIT_BAD_CR_ACCESS;
	} else if ((type == 1U) && ((num == 0U) || (num == 4U))) {
		/* Reads of CR0/CR4 come from the read shadows, no exit. */
		bad = VMM_EXIT_BAD_CR_ACCESS;
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/*@ requires vmx_cr_bad(q) == VMM_EXIT_BAD_NONE;
  @ assigns \nothing;
  @ ensures vmx_cr_fields(q, \result);
  @*/
static struct vmm_exit_cr vmx__cr(vmm_u64 q)
{
	struct vmm_exit_cr c = { 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u64 type = (q >> 4) & 3U;

	c.cr = (vmm_u8)(q & 0xFU);
	if (type == 0U) {
		c.dir = (vmm_u8)VMM_EXIT_DIR_MOV_TO;
	} else if (type == 1U) {
		c.dir = (vmm_u8)VMM_EXIT_DIR_MOV_FROM;
	} else if (type == 2U) {
		c.dir = (vmm_u8)VMM_EXIT_DIR_CLTS;
	} else if (type == 3U) {
		c.dir = (vmm_u8)VMM_EXIT_DIR_LMSW;
		c.lmsw_data = (vmm_u16)((q >> 16) & 0xFFFFU);
		c.lmsw_mem = (vmm_u8)((q >> 6) & 1U);
	}
	if ((type == 0U) || (type == 1U)) {
		c.gpr_valid = 1U;
		c.gpr = (vmm_u8)((q >> 8) & 0xFU);
	}
	return c;
}

/* Exit reason 29: "Exit Qualification for MOV DR".  Every encoding is
 * defined. */
/*@ assigns \nothing;
  @ ensures vmx_dr_fields(q, \result);
  @*/
static struct vmm_exit_dr vmx__dr(vmm_u64 q)
{
	struct vmm_exit_dr d = { 0U, 0U, 0U, 0U };

	d.dr = (vmm_u8)(q & 7U);
	if (((q >> 4) & 1U) == 0U) {
		d.dir = (vmm_u8)VMM_EXIT_DIR_MOV_TO;
	} else {
		d.dir = (vmm_u8)VMM_EXIT_DIR_MOV_FROM;
	}
	d.gpr_valid = 1U;
	d.gpr = (vmm_u8)((q >> 8) & 0xFU);
	return d;
}

/* Exit reason 48: "Exit Qualification for EPT Violations". */
/*@ assigns \nothing;
  @ ensures \result == vmx_ept_bad(q);
  @*/
static enum vmm_exit_bad vmx__ept_bad(vmm_u64 q)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;

	if ((q & 7U) == 0U) {
		bad = VMM_EXIT_BAD_NPF_ACCESS;
	} else if ((((q >> 7) & 1U) == 0U) && (((q >> 8) & 1U) != 0U)) {
		/* Bit 8 is reserved (0) when bit 7 is 0. */
		bad = VMM_EXIT_BAD_NPF_STAGE;
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures vmx_mmio_fields(*in, \result);
  @*/
static struct vmm_exit_mmio vmx__ept(const struct vmm_vmx_exit_info *in)
{
	struct vmm_exit_mmio m = { 0U, 0U, 0U, 0U, 0U };
	vmm_u64 q = in->qualification;

	m.gpa = in->guest_phys_addr;
	m.read = (vmm_u8)(q & 1U);
	m.write = (vmm_u8)((q >> 1) & 1U);
	m.fetch = (vmm_u8)((q >> 2) & 1U);
	if (((q >> 7) & 1U) == 0U) {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_UNKNOWN;
	} else if (((q >> 8) & 1U) != 0U) {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_FINAL;
	} else {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_WALK;
	}
	return m;
}

/* The kind that the basic exit reason names (appendix C). */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == vmx_nominal(*in);
  @*/
static enum vmm_exit_kind vmx__nominal(const struct vmm_vmx_exit_info *in)
{
	enum vmm_exit_kind kind = VMM_EXIT_UNKNOWN;
	vmm_u32 basic = in->exit_reason & VMX_REASON_BASIC_MASK;

	if (((in->exit_reason >> VMX_REASON_ENTRY_FAIL_SHIFT) & 1U) != 0U) {
		kind = (basic == VMX_REASON_INVALID_STATE)
			       ? VMM_EXIT_INVALID_STATE
			       : VMM_EXIT_ENTRY_FAILURE;
	} else {
		switch (basic) {
		case VMX_REASON_EXC_NMI:
			kind = (((in->intr_info >> VMX_INTR_TYPE_SHIFT) & 7U) ==
				VMX_INTR_TYPE_NMI)
				       ? VMM_EXIT_NMI
				       : VMM_EXIT_EXCEPTION;
			break;
		case VMX_REASON_EXT_INTR:
			kind = VMM_EXIT_EXTERNAL_INTERRUPT;
			break;
		case VMX_REASON_TRIPLE_FAULT:
			kind = VMM_EXIT_SHUTDOWN;
			break;
		case VMX_REASON_INTR_WINDOW:
			kind = VMM_EXIT_INTERRUPT_WINDOW;
			break;
		case VMX_REASON_CPUID:
			kind = VMM_EXIT_CPUID;
			break;
		case VMX_REASON_HLT:
			kind = VMM_EXIT_HLT;
			break;
		case VMX_REASON_INVLPG:
			kind = VMM_EXIT_INVLPG;
			break;
		case VMX_REASON_VMCALL:
			kind = VMM_EXIT_HYPERCALL;
			break;
		case VMX_REASON_CR_ACCESS:
			kind = VMM_EXIT_CR_ACCESS;
			break;
		case VMX_REASON_DR_ACCESS:
			kind = VMM_EXIT_DR_ACCESS;
			break;
		case VMX_REASON_IO:
			kind = VMM_EXIT_IO;
			break;
		case VMX_REASON_RDMSR:
			kind = VMM_EXIT_RDMSR;
			break;
		case VMX_REASON_WRMSR:
			kind = VMM_EXIT_WRMSR;
			break;
		case VMX_REASON_PAUSE:
			kind = VMM_EXIT_PAUSE;
			break;
		case VMX_REASON_EPT_VIOLATION:
			kind = VMM_EXIT_MMIO;
			break;
		case VMX_REASON_PREEMPTION_TIMER:
			kind = VMM_EXIT_PREEMPTION_TIMER;
			break;
		default:
			/* Not decoded: the module stops the VM. */
			kind = VMM_EXIT_UNKNOWN;
			break;
		}
	}
	return kind;
}

/* The first reserved encoding in the exit information, or NONE. */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == vmx_info_bad(*in);
  @*/
static enum vmm_exit_bad vmx__info_bad(const struct vmm_vmx_exit_info *in)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;
	vmm_u32 basic = in->exit_reason & VMX_REASON_BASIC_MASK;
	vmm_bool entry_reason = ((basic == VMX_REASON_INVALID_STATE) ||
				 (basic == VMX_REASON_MSR_LOAD_FAIL) ||
				 (basic == VMX_REASON_MCE_DURING_ENTRY))
					? VMM_TRUE
					: VMM_FALSE;

	if (((in->exit_reason >> VMX_REASON_ENTRY_FAIL_SHIFT) & 1U) != 0U) {
		bad = (entry_reason != 0) ? VMM_EXIT_BAD_NONE
					  : VMM_EXIT_BAD_ENTRY_REASON;
	} else if (entry_reason != 0) {
		/* Entry-failure reasons always come with bit 31. */
		bad = VMM_EXIT_BAD_ENTRY_BIT;
	} else if (basic == VMX_REASON_EXC_NMI) {
		bad = vmx__exc_bad(in->intr_info);
	} else if (basic == VMX_REASON_EXT_INTR) {
		bad = vmx__ext_intr_bad(in->intr_info);
	} else if (basic == VMX_REASON_CR_ACCESS) {
		bad = vmx__cr_bad(in->qualification);
	} else if (basic == VMX_REASON_IO) {
		bad = vmx__io_bad(in);
	} else if (basic == VMX_REASON_EPT_VIOLATION) {
		bad = vmx__ept_bad(in->qualification);
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/* The event of a well-formed exit of kind @kind = vmx_nominal(*in). */
/*@ requires \valid_read(in);
  @ requires kind == vmx_nominal(*in);
  @ requires vmx_bad(*in) == VMM_EXIT_BAD_NONE;
  @ requires payload_zero(e);
  @ assigns \nothing;
  @ ensures vmx_payload(*in, \result, kind);
  @ ensures same_header(\result, e);
  @*/
static struct vmm_exit_event vmx__payload(const struct vmm_vmx_exit_info *in,
					  enum vmm_exit_kind kind,
					  struct vmm_exit_event e)
{
	struct vmm_exit_event r = e;

	switch (kind) {
	case VMM_EXIT_EXCEPTION:
		r.exc = vmx__exc(in);
		break;
	case VMM_EXIT_EXTERNAL_INTERRUPT:
		r.intr = vmx__ext_intr(in->intr_info);
		break;
	case VMM_EXIT_INVLPG:
		r.invlpg.addr_valid = 1U;
		r.invlpg.addr = in->qualification;
		break;
	case VMM_EXIT_CR_ACCESS:
		r.cr = vmx__cr(in->qualification);
		break;
	case VMM_EXIT_DR_ACCESS:
		r.dr = vmx__dr(in->qualification);
		break;
	case VMM_EXIT_IO:
		r.io = vmx__io(in);
		break;
	case VMM_EXIT_MMIO:
		r.mmio = vmx__ept(in);
		break;
	case VMM_EXIT_ENTRY_FAILURE:
	case VMM_EXIT_INVALID_STATE:
		r.entry.hw_reason = in->exit_reason & VMX_REASON_BASIC_MASK;
		r.entry.detail = in->qualification;
		break;
	default:
		/* No payload. */
		break;
	}
	return r;
}

/* The whole event, built as a value (see the top of this file). */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures kind_valid(\result.kind);
  @ ensures \result.kind == vmx_kind(*in);
  @ ensures \result.bad == vmx_bad(*in);
  @ ensures \result.kind == VMM_EXIT_MALFORMED <==>
  @   \result.bad != VMM_EXIT_BAD_NONE;
  @ ensures vmx_event_fields(*in, \result);
  @*/
static struct vmm_exit_event vmx__decode(const struct vmm_vmx_exit_info *in)
{
	struct vmm_exit_event e = exit__zero();
	enum vmm_exit_kind kind = vmx__nominal(in);
	enum vmm_exit_bad bad = vmx__info_bad(in);

	if ((bad == VMM_EXIT_BAD_NONE) &&
	    ((exit__is_insn(kind) != 0) || (vmx__soft_exc(in) != 0)) &&
	    ((in->insn_len < 1U) || (in->insn_len > 15U))) {
		/* "VM-exit instruction length" of an instruction. */
		bad = VMM_EXIT_BAD_INSN_LEN;
	}
	if (bad != VMM_EXIT_BAD_NONE) {
		kind = VMM_EXIT_MALFORMED;
	}
	e.raw = in->exit_reason;
	e.kind = kind;
	e.bad = bad;
	if (bad == VMM_EXIT_BAD_NONE) {
		if (exit__is_insn(kind) != 0) {
			e.insn_len = (vmm_u8)in->insn_len;
		}
		e = vmx__payload(in, kind, e);
	}
	return e;
}

enum vmm_exit_err vmm_exit_decode_vmx(const struct vmm_vmx_exit_info *in,
				      struct vmm_exit_event *out)
{
	enum vmm_exit_err err = VMM_EXIT_OK;

	if ((in == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_EXIT_ERR_NULL;
	} else {
		*out = vmx__decode(in);
	}
	return err;
}

/* ======================================================================
 * AMD SVM
 * ====================================================================== */

/* IOIO (0x7B): APM 15.10.2. */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == svm_io_bad(*in);
  @*/
static enum vmm_exit_bad svm__io_bad(const struct vmm_svm_exit_info *in)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;
	vmm_u64 x = in->exit_info1;
	vmm_u64 sz = (x >> 4) & 7U;
	vmm_u64 a = (x >> 7) & 7U;

	if ((sz != 1U) && (sz != 2U) && (sz != 4U)) {
		/* SZ8, SZ16, SZ32 must be one-hot. */
		bad = VMM_EXIT_BAD_IO_SIZE;
	} else if ((((x >> 2) & 1U) != 0U) && (a != 0U) && (a != 1U) &&
		   (a != 2U) && (a != 4U)) {
		/* A64/A32/A16: one-hot, or 0 (not reported, see exit.h). */
		bad = VMM_EXIT_BAD_IO_ADDR_SIZE;
	} else if ((((x >> 2) & 1U) != 0U) && (in->decode_assists != 0U) &&
		   ((x & 1U) == 0U) && (((x >> 10) & 7U) > VMM_EXIT_SEG_GS)) {
		bad = VMM_EXIT_BAD_IO_SEG;
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/*@ requires \valid_read(in);
  @ requires svm_io_bad(*in) == VMM_EXIT_BAD_NONE;
  @ assigns \nothing;
  @ ensures svm_io_fields(*in, \result);
  @*/
static struct vmm_exit_io svm__io(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_io io = { 0U, 0U, 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u64 x = in->exit_info1;
	vmm_u64 in_bit = x & 1U;
	vmm_u64 str = (x >> 2) & 1U;
	vmm_u64 a = (x >> 7) & 7U;

	io.port = (vmm_u16)((x >> 16) & 0xFFFFU);
	io.in = (vmm_u8)in_bit;
	io.string = (vmm_u8)str;
	io.rep = (vmm_u8)((x >> 3) & 1U);
	/* One-hot SZ8/SZ16/SZ32: the set bit's value is the size. */
	io.size = (vmm_u8)((x >> 4) & 7U);
	if (str != 0U) {
		if (a == 1U) {
			io.addr_bits = 16U;
		} else if (a == 2U) {
			io.addr_bits = 32U;
		} else if (a == 4U) {
			io.addr_bits = 64U;
		} else {
			io.addr_bits = 0U; /* not reported */
		}
		if (in->decode_assists != 0U) {
			io.seg_valid = 1U;
			/* INS always writes ES:[rDI]. */
			if (in_bit == 0U) {
				io.seg = (vmm_u8)((x >> 10) & 7U);
			}
		}
	}
	return io;
}

/* CR read/write (0x00-0x1F) and selective CR0 write (0x65). */
/*@ requires \valid_read(in);
  @ requires in->exit_code <= 0x1F || in->exit_code == 0x65;
  @ requires cr_num_ok(svm_cr_num(in->exit_code));
  @ assigns \nothing;
  @ ensures svm_cr_fields(*in, \result);
  @*/
static struct vmm_exit_cr svm__cr(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_cr c = { 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u64 code = in->exit_code;
	vmm_bool write = VMM_TRUE;

	if (code != SVM_EXIT_CR0_SEL_WRITE) {
		c.cr = (vmm_u8)(code & SVM_REG_NUM_MASK);
		write = (code >= SVM_EXIT_CR_WRITE) ? VMM_TRUE : VMM_FALSE;
	}
	if ((in->decode_assists != 0U) &&
	    (((in->exit_info1 >> 63) & 1U) != 0U)) {
		c.dir = (write != 0) ? (vmm_u8)VMM_EXIT_DIR_MOV_TO
				     : (vmm_u8)VMM_EXIT_DIR_MOV_FROM;
		c.gpr_valid = 1U;
		c.gpr = (vmm_u8)(in->exit_info1 & SVM_REG_NUM_MASK);
	} else {
		/* MOV, CLTS, LMSW or SMSW: the handler decodes. */
		c.dir = (write != 0) ? (vmm_u8)VMM_EXIT_DIR_WRITE
				     : (vmm_u8)VMM_EXIT_DIR_READ;
	}
	return c;
}

/* DR read/write (0x20-0x3F), DR0-DR7. */
/*@ requires \valid_read(in);
  @ requires 0x20 <= in->exit_code <= 0x3F;
  @ requires (in->exit_code & 0xF) <= 7;
  @ assigns \nothing;
  @ ensures svm_dr_fields(*in, \result);
  @*/
static struct vmm_exit_dr svm__dr(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_dr d = { 0U, 0U, 0U, 0U };

	d.dr = (vmm_u8)(in->exit_code & SVM_REG_NUM_MASK);
	if (in->exit_code >= SVM_EXIT_DR_WRITE) {
		d.dir = (vmm_u8)VMM_EXIT_DIR_MOV_TO;
	} else {
		d.dir = (vmm_u8)VMM_EXIT_DIR_MOV_FROM;
	}
	if (in->decode_assists != 0U) {
		d.gpr_valid = 1U;
		d.gpr = (vmm_u8)(in->exit_info1 & SVM_REG_NUM_MASK);
	}
	return d;
}

/* Exception intercepts (0x40-0x5F). */
/*@ requires \valid_read(in);
  @ requires 0x40 <= in->exit_code <= 0x5F;
  @ assigns \nothing;
  @ ensures svm_exc_fields(*in, \result);
  @*/
static struct vmm_exit_exc svm__exc(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_exc x = { 0U, 0U, 0U, 0U, 0U, 0U, 0U };
	vmm_u64 v = in->exit_code - SVM_EXIT_EXC_FIRST;

	x.vector = (vmm_u8)v;
	switch (v) {
	case 8U:  /* #DF */
	case 10U: /* #TS */
	case 11U: /* #NP */
	case 12U: /* #SS */
	case 13U: /* #GP */
	case 14U: /* #PF */
	case 17U: /* #AC */
	case 21U: /* #CP */
	case 29U: /* #VC */
	case 30U: /* #SX */
		x.err_valid = 1U;
		x.err_code = (vmm_u32)(in->exit_info1 & 0xFFFFFFFFULL);
		break;
	default:
		break;
	}
	if (v == VEC_PF) {
		x.pf_addr = in->exit_info2;
	}
	if (v == VEC_DB) {
		x.dbg = (vmm_u32)((in->dr6 ^ SVM_DR6_SET_BITS) &
				  VMM_EXIT_DBG_MASK);
	}
	return x;
}

/* Nested page fault (0x400): APM 15.25.6. */
/*@ assigns \nothing;
  @ ensures \result == svm_npf_bad(x);
  @*/
static enum vmm_exit_bad svm__npf_bad(vmm_u64 x)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;

	if ((((x >> 1) & 1U) != 0U) && (((x >> 4) & 1U) != 0U)) {
		/* A fetch is never a write. */
		bad = VMM_EXIT_BAD_NPF_ACCESS;
	} else if ((((x >> 32) & 1U) != 0U) && (((x >> 33) & 1U) != 0U)) {
		bad = VMM_EXIT_BAD_NPF_STAGE;
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/*@ requires \valid_read(in);
  @ requires svm_npf_bad(in->exit_info1) == VMM_EXIT_BAD_NONE;
  @ assigns \nothing;
  @ ensures svm_mmio_fields(*in, \result);
  @*/
static struct vmm_exit_mmio svm__npf(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_mmio m = { 0U, 0U, 0U, 0U, 0U };
	vmm_u64 x = in->exit_info1;
	vmm_u64 rw = (x >> 1) & 1U;
	vmm_u64 id = (x >> 4) & 1U;

	m.gpa = in->exit_info2;
	m.write = (vmm_u8)rw;
	m.fetch = (vmm_u8)id;
	if ((rw == 0U) && (id == 0U)) {
		m.read = 1U;
	}
	if (((x >> 32) & 1U) != 0U) {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_FINAL;
	} else if (((x >> 33) & 1U) != 0U) {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_WALK;
	} else {
		m.stage = (vmm_u8)VMM_EXIT_STAGE_UNKNOWN;
	}
	return m;
}

/* The kind that EXITCODE names (appendix C). */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == svm_nominal(*in);
  @*/
static enum vmm_exit_kind svm__nominal(const struct vmm_svm_exit_info *in)
{
	enum vmm_exit_kind kind = VMM_EXIT_UNKNOWN;
	vmm_u64 code = in->exit_code;

	if (code <= SVM_EXIT_CR_LAST) {
		kind = VMM_EXIT_CR_ACCESS;
	} else if (code <= SVM_EXIT_DR_LAST) {
		kind = VMM_EXIT_DR_ACCESS;
	} else if (code <= SVM_EXIT_EXC_LAST) {
		kind = VMM_EXIT_EXCEPTION;
	} else if (code == SVM_EXIT_INVALID) {
		/*
		 * VMRUN found invalid guest state.  Tested outside the
		 * switch: Frama-C 25's WP cannot take a case label above
		 * INT64_MAX.
		 */
		kind = VMM_EXIT_INVALID_STATE;
	} else {
		switch (code) {
		case SVM_EXIT_INTR:
			kind = VMM_EXIT_EXTERNAL_INTERRUPT;
			break;
		case SVM_EXIT_NMI:
			kind = VMM_EXIT_NMI;
			break;
		case SVM_EXIT_VINTR:
			kind = VMM_EXIT_INTERRUPT_WINDOW;
			break;
		case SVM_EXIT_CR0_SEL_WRITE:
			kind = VMM_EXIT_CR_ACCESS;
			break;
		case SVM_EXIT_CPUID:
			kind = VMM_EXIT_CPUID;
			break;
		case SVM_EXIT_PAUSE:
			kind = VMM_EXIT_PAUSE;
			break;
		case SVM_EXIT_HLT:
			kind = VMM_EXIT_HLT;
			break;
		case SVM_EXIT_INVLPG:
			kind = VMM_EXIT_INVLPG;
			break;
		case SVM_EXIT_IOIO:
			kind = VMM_EXIT_IO;
			break;
		case SVM_EXIT_MSR:
			/* EXITINFO1: 0 = RDMSR, 1 = WRMSR (others: bad). */
			kind = (in->exit_info1 == 1U) ? VMM_EXIT_WRMSR
						      : VMM_EXIT_RDMSR;
			break;
		case SVM_EXIT_SHUTDOWN:
			kind = VMM_EXIT_SHUTDOWN;
			break;
		case SVM_EXIT_VMMCALL:
			kind = VMM_EXIT_HYPERCALL;
			break;
		case SVM_EXIT_NPF:
			kind = VMM_EXIT_MMIO;
			break;
		default:
			/* Not decoded: the module stops the VM. */
			kind = VMM_EXIT_UNKNOWN;
			break;
		}
	}
	return kind;
}

/* The first reserved encoding in EXITINFO1/2, or NONE. */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures \result == svm_bad(*in);
  @*/
static enum vmm_exit_bad svm__bad(const struct vmm_svm_exit_info *in)
{
	enum vmm_exit_bad bad = VMM_EXIT_BAD_NONE;
	vmm_u64 code = in->exit_code;
	vmm_u64 num = code & SVM_REG_NUM_MASK;

	if (code <= SVM_EXIT_CR_LAST) {
		if ((num != 0U) && (num != 3U) && (num != 4U) && (num != 8U)) {
			bad = VMM_EXIT_BAD_CR_NUMBER;
		}
	} else if (code <= SVM_EXIT_DR_LAST) {
		if (num > 7U) {
			/* DR8-DR15 do not exist. */
			bad = VMM_EXIT_BAD_DR_NUMBER;
		}
	} else if (code == SVM_EXIT_IOIO) {
		bad = svm__io_bad(in);
	} else if (code == SVM_EXIT_MSR) {
		if (in->exit_info1 > 1U) {
			bad = VMM_EXIT_BAD_MSR_DIR;
		}
	} else if (code == SVM_EXIT_NPF) {
		bad = svm__npf_bad(in->exit_info1);
	} else {
		bad = VMM_EXIT_BAD_NONE;
	}
	return bad;
}

/* The event of a well-formed exit of kind @kind = svm_nominal(*in). */
/*@ requires \valid_read(in);
  @ requires kind == svm_nominal(*in);
  @ requires svm_bad(*in) == VMM_EXIT_BAD_NONE;
  @ requires payload_zero(e);
  @ assigns \nothing;
  @ ensures svm_payload(*in, \result, kind);
  @ ensures same_header(\result, e);
  @*/
static struct vmm_exit_event svm__payload(const struct vmm_svm_exit_info *in,
					  enum vmm_exit_kind kind,
					  struct vmm_exit_event e)
{
	struct vmm_exit_event r = e;

	switch (kind) {
	case VMM_EXIT_CR_ACCESS:
		r.cr = svm__cr(in);
		break;
	case VMM_EXIT_DR_ACCESS:
		r.dr = svm__dr(in);
		break;
	case VMM_EXIT_EXCEPTION:
		r.exc = svm__exc(in);
		break;
	case VMM_EXIT_INVLPG:
		/* Decode assists give the operand in EXITINFO1. */
		if (in->decode_assists != 0U) {
			r.invlpg.addr_valid = 1U;
			r.invlpg.addr = in->exit_info1;
		}
		break;
	case VMM_EXIT_IO:
		r.io = svm__io(in);
		break;
	case VMM_EXIT_MMIO:
		r.mmio = svm__npf(in);
		break;
	case VMM_EXIT_INVALID_STATE:
		r.entry.hw_reason = in->exit_code;
		r.entry.detail = in->exit_info1;
		break;
	default:
		/* No payload. */
		break;
	}
	return r;
}

/* The whole event, built as a value. */
/*@ requires \valid_read(in);
  @ assigns \nothing;
  @ ensures kind_valid(\result.kind);
  @ ensures \result.kind == svm_kind(*in);
  @ ensures \result.bad == svm_bad(*in);
  @ ensures \result.kind == VMM_EXIT_MALFORMED <==>
  @   \result.bad != VMM_EXIT_BAD_NONE;
  @ ensures svm_event_fields(*in, \result);
  @*/
static struct vmm_exit_event svm__decode(const struct vmm_svm_exit_info *in)
{
	struct vmm_exit_event e = exit__zero();
	enum vmm_exit_kind kind = svm__nominal(in);
	enum vmm_exit_bad bad = svm__bad(in);

	if (bad != VMM_EXIT_BAD_NONE) {
		kind = VMM_EXIT_MALFORMED;
	}
	e.raw = in->exit_code;
	e.kind = kind;
	e.bad = bad;
	if (bad == VMM_EXIT_BAD_NONE) {
		if (kind == VMM_EXIT_IO) {
			/* APM 15.10.2: EXITINFO2 is the next RIP. */
			e.next_rip_valid = 1U;
			e.next_rip = in->exit_info2;
		} else if ((exit__is_insn(kind) != 0) && (in->nrips != 0U)) {
			e.next_rip_valid = 1U;
			e.next_rip = in->next_rip;
		}
		e = svm__payload(in, kind, e);
	}
	return e;
}

enum vmm_exit_err vmm_exit_decode_svm(const struct vmm_svm_exit_info *in,
				      struct vmm_exit_event *out)
{
	enum vmm_exit_err err = VMM_EXIT_OK;

	if ((in == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_EXIT_ERR_NULL;
	} else {
		*out = svm__decode(in);
	}
	return err;
}
