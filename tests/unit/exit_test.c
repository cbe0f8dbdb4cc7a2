// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 4 (VM-exit decoding).  Encodings are
 * written out as the manuals give them (Intel SDM vol. 3C exit-reason
 * numbers and exit-qualification tables; AMD APM vol. 2 appendix C exit
 * codes, 15.10.2 IOIO and 15.25.6 NPF), not through libvmm's macros, and
 * every reserved value of every decoded field is fed in.  Each case checks
 * the exact kind, reason and fields, and that sub-structs the kind does not
 * name stay zero.
 */
#include <string.h>

#include <libvmm/exit.h>

#include "tap.h"

static struct vmm_exit_event ev;

/* ---- helpers ----------------------------------------------------------- */

/*
 * Every sub-struct but the one @kind names is zero, field by field (the
 * padding bytes of a struct copy are unspecified, so no memcmp).
 */
static void check_others_zero(enum vmm_exit_kind kind)
{
	if (kind != VMM_EXIT_IO)
		CHECK(ev.io.port == 0U && ev.io.size == 0U && ev.io.in == 0U &&
		      ev.io.string == 0U && ev.io.rep == 0U &&
		      ev.io.addr_bits == 0U && ev.io.seg_valid == 0U &&
		      ev.io.seg == 0U);
	if (kind != VMM_EXIT_CR_ACCESS)
		CHECK(ev.cr.cr == 0U && ev.cr.dir == 0U &&
		      ev.cr.gpr_valid == 0U && ev.cr.gpr == 0U &&
		      ev.cr.lmsw_data == 0U && ev.cr.lmsw_mem == 0U);
	if (kind != VMM_EXIT_DR_ACCESS)
		CHECK(ev.dr.dr == 0U && ev.dr.dir == 0U &&
		      ev.dr.gpr_valid == 0U && ev.dr.gpr == 0U);
	if (kind != VMM_EXIT_MMIO)
		CHECK(ev.mmio.gpa == 0U && ev.mmio.read == 0U &&
		      ev.mmio.write == 0U && ev.mmio.fetch == 0U &&
		      ev.mmio.stage == 0U);
	if (kind != VMM_EXIT_EXCEPTION)
		CHECK(ev.exc.vector == 0U && ev.exc.err_valid == 0U &&
		      ev.exc.err_code == 0U && ev.exc.pf_addr == 0U &&
		      ev.exc.soft == 0U && ev.exc.insn_len == 0U &&
		      ev.exc.dbg == 0U);
	if (kind != VMM_EXIT_EXTERNAL_INTERRUPT)
		CHECK(ev.intr.vector_valid == 0U && ev.intr.vector == 0U);
	if (kind != VMM_EXIT_INVLPG)
		CHECK(ev.invlpg.addr_valid == 0U && ev.invlpg.addr == 0U);
	if (kind != VMM_EXIT_ENTRY_FAILURE && kind != VMM_EXIT_INVALID_STATE)
		CHECK(ev.entry.hw_reason == 0U && ev.entry.detail == 0U);
}

static struct vmm_vmx_exit_info vmx(vmm_u32 reason, vmm_u64 qual)
{
	struct vmm_vmx_exit_info i;

	memset(&i, 0, sizeof(i));
	i.exit_reason = reason;
	i.qualification = qual;
	i.insn_len = 2U;
	return i;
}

static void decode_vmx(const struct vmm_vmx_exit_info *i)
{
	memset(&ev, 0xA5, sizeof(ev));
	CHECK_EQ(vmm_exit_decode_vmx(i, &ev), VMM_EXIT_OK);
}

/* A VMX exit that must decode to @kind (not malformed). */
static void vmx_kind(const struct vmm_vmx_exit_info *i,
		     enum vmm_exit_kind kind)
{
	decode_vmx(i);
	CHECK_EQ(ev.kind, kind);
	CHECK_EQ(ev.bad, VMM_EXIT_BAD_NONE);
	CHECK_EQ(ev.raw, i->exit_reason);
	CHECK_EQ(ev.next_rip_valid, 0U);
	check_others_zero(kind);
}

/* A VMX exit that must be MALFORMED for reason @bad, nothing else set. */
static void vmx_bad(const struct vmm_vmx_exit_info *i, enum vmm_exit_bad bad)
{
	decode_vmx(i);
	CHECK_EQ(ev.kind, VMM_EXIT_MALFORMED);
	CHECK_EQ(ev.bad, bad);
	CHECK_EQ(ev.raw, i->exit_reason);
	CHECK_EQ(ev.insn_len, 0U);
	check_others_zero(VMM_EXIT_UNKNOWN);
}

static struct vmm_svm_exit_info svm(vmm_u64 code, vmm_u64 info1,
				    vmm_u64 info2)
{
	struct vmm_svm_exit_info i;

	memset(&i, 0, sizeof(i));
	i.exit_code = code;
	i.exit_info1 = info1;
	i.exit_info2 = info2;
	return i;
}

static void decode_svm(const struct vmm_svm_exit_info *i)
{
	memset(&ev, 0x5A, sizeof(ev));
	CHECK_EQ(vmm_exit_decode_svm(i, &ev), VMM_EXIT_OK);
}

static void svm_kind(const struct vmm_svm_exit_info *i,
		     enum vmm_exit_kind kind)
{
	decode_svm(i);
	CHECK_EQ(ev.kind, kind);
	CHECK_EQ(ev.bad, VMM_EXIT_BAD_NONE);
	CHECK_EQ(ev.raw, i->exit_code);
	CHECK_EQ(ev.insn_len, 0U);
	check_others_zero(kind);
}

static void svm_bad(const struct vmm_svm_exit_info *i, enum vmm_exit_bad bad)
{
	decode_svm(i);
	CHECK_EQ(ev.kind, VMM_EXIT_MALFORMED);
	CHECK_EQ(ev.bad, bad);
	CHECK_EQ(ev.raw, i->exit_code);
	CHECK_EQ(ev.next_rip_valid, 0U);
	check_others_zero(VMM_EXIT_UNKNOWN);
}

/* ---- NULL --------------------------------------------------------------- */

static void null_pointers(void)
{
	struct vmm_vmx_exit_info vi = vmx(12U, 0U);
	struct vmm_svm_exit_info si = svm(0x78U, 0U, 0U);

	memset(&ev, 0xA5, sizeof(ev));
	CHECK_EQ(vmm_exit_decode_vmx(NULL, &ev), VMM_EXIT_ERR_NULL);
	CHECK_EQ(vmm_exit_decode_vmx(&vi, NULL), VMM_EXIT_ERR_NULL);
	CHECK_EQ(vmm_exit_decode_vmx(NULL, NULL), VMM_EXIT_ERR_NULL);
	CHECK_EQ(vmm_exit_decode_svm(NULL, &ev), VMM_EXIT_ERR_NULL);
	CHECK_EQ(vmm_exit_decode_svm(&si, NULL), VMM_EXIT_ERR_NULL);
	/* Nothing written on failure. */
	CHECK_EQ(ev.raw, 0xA5A5A5A5A5A5A5A5ULL);
}

/* ---- VMX ---------------------------------------------------------------- */

/* Appendix C numbers of the exits without payload. */
static void vmx_simple_reasons(void)
{
	struct vmm_vmx_exit_info i;
	static const struct {
		vmm_u32 reason;
		enum vmm_exit_kind kind;
		int insn;
	} t[] = {
		{ 2U, VMM_EXIT_SHUTDOWN, 0 },        /* triple fault */
		{ 7U, VMM_EXIT_INTERRUPT_WINDOW, 0 },
		{ 10U, VMM_EXIT_CPUID, 1 },
		{ 12U, VMM_EXIT_HLT, 1 },
		{ 18U, VMM_EXIT_HYPERCALL, 1 },      /* VMCALL */
		{ 31U, VMM_EXIT_RDMSR, 1 },
		{ 32U, VMM_EXIT_WRMSR, 1 },
		{ 40U, VMM_EXIT_PAUSE, 1 },
		{ 52U, VMM_EXIT_PREEMPTION_TIMER, 0 },
	};
	unsigned int k;

	for (k = 0; k < TAP_COUNT(t); k++) {
		i = vmx(t[k].reason, 0U);
		i.insn_len = 3U;
		vmx_kind(&i, t[k].kind);
		CHECK_EQ(ev.insn_len, t[k].insn ? 3U : 0U);
	}
	/* Bits 30:16 (e.g. 27 enclave, 29 from VMX root) are ignored. */
	i = vmx(12U | (1U << 27), 0U);
	vmx_kind(&i, VMM_EXIT_HLT);
}

static void vmx_unknown(void)
{
	struct vmm_vmx_exit_info i;
	static const vmm_u32 r[] = { 3U, 4U, 8U, 9U, 13U, 16U, 36U, 49U, 65U,
				     0xFFFFU };
	unsigned int k;

	for (k = 0; k < TAP_COUNT(r); k++) {
		i = vmx(r[k], 0U);
		vmx_kind(&i, VMM_EXIT_UNKNOWN);
		CHECK_EQ(ev.raw, r[k]);
	}
}

static void vmx_insn_len(void)
{
	struct vmm_vmx_exit_info i = vmx(10U, 0U);

	i.insn_len = 0U;
	vmx_bad(&i, VMM_EXIT_BAD_INSN_LEN);
	i.insn_len = 16U;
	vmx_bad(&i, VMM_EXIT_BAD_INSN_LEN);
	i.insn_len = 0x101U;  /* would truncate to 1 in a u8 */
	vmx_bad(&i, VMM_EXIT_BAD_INSN_LEN);
	i.insn_len = 1U;
	vmx_kind(&i, VMM_EXIT_CPUID);
	CHECK_EQ(ev.insn_len, 1U);
	i.insn_len = 15U;
	vmx_kind(&i, VMM_EXIT_CPUID);
	CHECK_EQ(ev.insn_len, 15U);
	/* Not an instruction exit: the length is not looked at. */
	i = vmx(7U, 0U);
	i.insn_len = 0U;
	vmx_kind(&i, VMM_EXIT_INTERRUPT_WINDOW);
	CHECK_EQ(ev.insn_len, 0U);
}

static void vmx_entry_failures(void)
{
	struct vmm_vmx_exit_info i;

	i = vmx(0x80000021U, 0U);   /* 33: invalid guest state */
	vmx_kind(&i, VMM_EXIT_INVALID_STATE);
	CHECK_EQ(ev.entry.hw_reason, 33U);
	i = vmx(0x80000022U, 5U);   /* 34: MSR loading, entry 5 */
	vmx_kind(&i, VMM_EXIT_ENTRY_FAILURE);
	CHECK_EQ(ev.entry.hw_reason, 34U);
	CHECK_EQ(ev.entry.detail, 5U);
	i = vmx(0x80000029U, 0U);   /* 41: machine check during entry */
	vmx_kind(&i, VMM_EXIT_ENTRY_FAILURE);
	CHECK_EQ(ev.entry.hw_reason, 41U);
	/* Bit 31 with a reason that is not an entry failure. */
	i = vmx(0x8000001EU, 0U);
	vmx_bad(&i, VMM_EXIT_BAD_ENTRY_REASON);
	/* Entry-failure reasons without bit 31. */
	i = vmx(33U, 0U);
	vmx_bad(&i, VMM_EXIT_BAD_ENTRY_BIT);
	i = vmx(34U, 0U);
	vmx_bad(&i, VMM_EXIT_BAD_ENTRY_BIT);
	i = vmx(41U, 0U);
	vmx_bad(&i, VMM_EXIT_BAD_ENTRY_BIT);
}

static void vmx_exception_nmi(void)
{
	struct vmm_vmx_exit_info i = vmx(0U, 0xDEAD000ULL);

	/* #GP, hardware exception (3), error code valid. */
	i.intr_info = 0x80000B0DU;
	i.intr_error_code = 0x18U;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 13U);
	CHECK_EQ(ev.exc.err_valid, 1U);
	CHECK_EQ(ev.exc.err_code, 0x18U);
	CHECK_EQ(ev.exc.pf_addr, 0U);
	/* #PF: qualification is the linear address. */
	i.intr_info = 0x80000B0EU;
	i.intr_error_code = 2U;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 14U);
	CHECK_EQ(ev.exc.pf_addr, 0xDEAD000ULL);
	/* #BP (INT3), software exception (6), no error code. */
	i.intr_info = 0x80000603U;
	i.intr_error_code = 0x77U;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 3U);
	CHECK_EQ(ev.exc.err_valid, 0U);
	CHECK_EQ(ev.exc.err_code, 0U);
	CHECK_EQ(ev.exc.soft, 1U);
	CHECK_EQ(ev.exc.insn_len, 2U);
	CHECK_EQ(ev.exc.dbg, 0U);
	/* ICEBP, privileged software exception (5): its length. */
	i.intr_info = 0x80000501U;
	i.insn_len = 1U;
	i.qualification = 0U;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 1U);
	CHECK_EQ(ev.exc.soft, 1U);
	CHECK_EQ(ev.exc.insn_len, 1U);
	CHECK_EQ(ev.exc.dbg, 0U);
	/* A software exception without a length 1..15 is malformed. */
	i.insn_len = 0U;
	vmx_bad(&i, VMM_EXIT_BAD_INSN_LEN);
	i.insn_len = 16U;
	vmx_bad(&i, VMM_EXIT_BAD_INSN_LEN);
	/* #DB, hardware: the qualification's B0-B3, BD, BS, RTM; not soft
	 * and the length not looked at. */
	i.intr_info = 0x80000301U;
	i.qualification = 0xFFFFFFFFFFFFFFFFULL;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 1U);
	CHECK_EQ(ev.exc.soft, 0U);
	CHECK_EQ(ev.exc.insn_len, 0U);
	CHECK_EQ(ev.exc.dbg, 0x1E00FU);
	i.qualification = 0x4000U;  /* BS */
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.dbg, 0x4000U);
	/* #AC, hardware: error code, no #DB bits even with a qualification. */
	i.intr_info = 0x80000B11U;
	i.intr_error_code = 0U;
	i.insn_len = 2U;
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 17U);
	CHECK_EQ(ev.exc.err_valid, 1U);
	CHECK_EQ(ev.exc.dbg, 0U);
	i.qualification = 0xDEAD000ULL;
	/* NMI: type 2, vector 2; no payload. */
	i.intr_info = 0x80000202U;
	vmx_kind(&i, VMM_EXIT_NMI);
	/* Reserved / impossible: not valid, types 0 1 4 7, bad vectors. */
	i.intr_info = 0x00000B0DU;
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000020U;  /* type 0 */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000103U;  /* type 1 (reserved) */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000480U;  /* type 4: INT n */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000700U;  /* type 7 */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000203U;  /* NMI type, vector 3 */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000302U;  /* hardware exception vector 2 */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x80000320U;  /* hardware exception vector 32 */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
	i.intr_info = 0x8000031FU;  /* vector 31: last exception */
	vmx_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.vector, 31U);
}

static void vmx_external_interrupt(void)
{
	struct vmm_vmx_exit_info i = vmx(1U, 0U);

	/* "Acknowledge interrupt on exit" off: no vector. */
	vmx_kind(&i, VMM_EXIT_EXTERNAL_INTERRUPT);
	CHECK_EQ(ev.intr.vector_valid, 0U);
	CHECK_EQ(ev.intr.vector, 0U);
	i.intr_info = 0x800000ECU;
	vmx_kind(&i, VMM_EXIT_EXTERNAL_INTERRUPT);
	CHECK_EQ(ev.intr.vector_valid, 1U);
	CHECK_EQ(ev.intr.vector, 0xECU);
	i.intr_info = 0x800002ECU;  /* type NMI: not an external interrupt */
	vmx_bad(&i, VMM_EXIT_BAD_INTR_INFO);
}

static void vmx_invlpg(void)
{
	struct vmm_vmx_exit_info i = vmx(14U, 0xFFFF800000001000ULL);

	vmx_kind(&i, VMM_EXIT_INVLPG);
	CHECK_EQ(ev.invlpg.addr_valid, 1U);
	CHECK_EQ(ev.invlpg.addr, 0xFFFF800000001000ULL);
	CHECK_EQ(ev.insn_len, 2U);
}

/* "Exit Qualification for I/O Instructions". */
static void vmx_io(void)
{
	struct vmm_vmx_exit_info i;

	/* out dx, al to 0x3F8: size 0, OUT, port 0x3F8. */
	i = vmx(30U, 0x03F80000ULL);
	i.insn_len = 1U;
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.port, 0x3F8U);
	CHECK_EQ(ev.io.size, 1U);
	CHECK_EQ(ev.io.in, 0U);
	CHECK_EQ(ev.io.string, 0U);
	CHECK_EQ(ev.io.rep, 0U);
	CHECK_EQ(ev.io.addr_bits, 0U);
	CHECK_EQ(ev.io.seg_valid, 0U);
	CHECK_EQ(ev.insn_len, 1U);
	/* in ax, 0x60 (immediate, bit 6): size 1 = 2 bytes, IN. */
	i = vmx(30U, 0x00600049ULL);
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.port, 0x60U);
	CHECK_EQ(ev.io.size, 2U);
	CHECK_EQ(ev.io.in, 1U);
	/* in eax, dx port 0xCFC: size 3 = 4 bytes. */
	i = vmx(30U, 0x0CFC000BULL);
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.port, 0xCFCU);
	CHECK_EQ(ev.io.size, 4U);
	/* rep outsb to 0xE9, no instruction information. */
	i = vmx(30U, 0x00E90030ULL);
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.string, 1U);
	CHECK_EQ(ev.io.rep, 1U);
	CHECK_EQ(ev.io.addr_bits, 0U);
	CHECK_EQ(ev.io.seg_valid, 0U);
	/* same with information: 64-bit addresses (2 << 7), FS (4 << 15). */
	i.insn_info_valid = 1U;
	i.insn_info = (2U << 7) | (4U << 15);
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.addr_bits, 64U);
	CHECK_EQ(ev.io.seg_valid, 1U);
	CHECK_EQ(ev.io.seg, 4U);
	i.insn_info = (1U << 7) | (5U << 15);  /* 32-bit, GS */
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.addr_bits, 32U);
	CHECK_EQ(ev.io.seg, 5U);
	i.insn_info = 0U;                      /* 16-bit, ES */
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.addr_bits, 16U);
	CHECK_EQ(ev.io.seg, 0U);
	/* insw: IN string; the segment field is undefined, ES is used. */
	i.qualification = 0x00E90019ULL;
	i.insn_info = (1U << 7) | (7U << 15);
	vmx_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.in, 1U);
	CHECK_EQ(ev.io.size, 2U);
	CHECK_EQ(ev.io.seg, 0U);
	CHECK_EQ(ev.io.seg_valid, 1U);
}

static void vmx_io_reserved(void)
{
	struct vmm_vmx_exit_info i;
	vmm_u64 sz;

	for (sz = 0U; sz < 8U; sz++) {
		i = vmx(30U, 0x03F80000ULL | sz);
		if (sz == 0U || sz == 1U || sz == 3U)
			vmx_kind(&i, VMM_EXIT_IO);
		else
			vmx_bad(&i, VMM_EXIT_BAD_IO_SIZE);
	}
	/* Address size 3..7 in the instruction information. */
	for (sz = 3U; sz < 8U; sz++) {
		i = vmx(30U, 0x00E90010ULL);
		i.insn_info_valid = 1U;
		i.insn_info = (vmm_u32)(sz << 7);
		vmx_bad(&i, VMM_EXIT_BAD_IO_ADDR_SIZE);
	}
	/* Segment 6 and 7 for OUTS. */
	i = vmx(30U, 0x00E90010ULL);
	i.insn_info_valid = 1U;
	i.insn_info = 6U << 15;
	vmx_bad(&i, VMM_EXIT_BAD_IO_SEG);
	i.insn_info = 7U << 15;
	vmx_bad(&i, VMM_EXIT_BAD_IO_SEG);
}

/* "Exit Qualification for Control-Register Accesses". */
static void vmx_cr(void)
{
	struct vmm_vmx_exit_info i;

	/* mov cr3, rbx: CR 3, type 0, GPR 3. */
	i = vmx(28U, 0x303ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.cr, 3U);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_MOV_TO);
	CHECK_EQ(ev.cr.gpr_valid, 1U);
	CHECK_EQ(ev.cr.gpr, 3U);
	CHECK_EQ(ev.cr.lmsw_data, 0U);
	/* mov r15, cr8: CR 8, type 1, GPR 15. */
	i = vmx(28U, 0xF18ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.cr, 8U);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_MOV_FROM);
	CHECK_EQ(ev.cr.gpr, 15U);
	/* mov cr4, rax and mov cr0, rsp. */
	i = vmx(28U, 0x004ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.cr, 4U);
	i = vmx(28U, 0x400ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.cr, 0U);
	CHECK_EQ(ev.cr.gpr, 4U);
	/* clts: CR 0, type 2. */
	i = vmx(28U, 0x20ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_CLTS);
	CHECK_EQ(ev.cr.gpr_valid, 0U);
	/* lmsw from memory, source 0x0011: type 3, bit 6. */
	i = vmx(28U, 0x00110070ULL);
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_LMSW);
	CHECK_EQ(ev.cr.lmsw_data, 0x11U);
	CHECK_EQ(ev.cr.lmsw_mem, 1U);
	CHECK_EQ(ev.cr.gpr_valid, 0U);
}

static void vmx_cr_reserved(void)
{
	struct vmm_vmx_exit_info i;
	vmm_u64 n;

	for (n = 0U; n < 16U; n++) {
		i = vmx(28U, n);  /* mov to CRn */
		if (n == 0U || n == 3U || n == 4U || n == 8U)
			vmx_kind(&i, VMM_EXIT_CR_ACCESS);
		else
			vmx_bad(&i, VMM_EXIT_BAD_CR_NUMBER);
	}
	/* CLTS / LMSW on CR3, CR4, CR8. */
	i = vmx(28U, 0x23ULL);
	vmx_bad(&i, VMM_EXIT_BAD_CR_ACCESS);
	i = vmx(28U, 0x34ULL);
	vmx_bad(&i, VMM_EXIT_BAD_CR_ACCESS);
	i = vmx(28U, 0x28ULL);
	vmx_bad(&i, VMM_EXIT_BAD_CR_ACCESS);
	/* MOV from CR0 / CR4 never exits. */
	i = vmx(28U, 0x10ULL);
	vmx_bad(&i, VMM_EXIT_BAD_CR_ACCESS);
	i = vmx(28U, 0x14ULL);
	vmx_bad(&i, VMM_EXIT_BAD_CR_ACCESS);
	i = vmx(28U, 0x13ULL);     /* MOV from CR3 is fine */
	vmx_kind(&i, VMM_EXIT_CR_ACCESS);
}

static void vmx_dr(void)
{
	struct vmm_vmx_exit_info i;

	/* mov dr7, rcx: DR 7, to, GPR 1. */
	i = vmx(29U, 0x107ULL);
	vmx_kind(&i, VMM_EXIT_DR_ACCESS);
	CHECK_EQ(ev.dr.dr, 7U);
	CHECK_EQ(ev.dr.dir, VMM_EXIT_DIR_MOV_TO);
	CHECK_EQ(ev.dr.gpr_valid, 1U);
	CHECK_EQ(ev.dr.gpr, 1U);
	/* mov r9, dr6: from. */
	i = vmx(29U, 0x916ULL);
	vmx_kind(&i, VMM_EXIT_DR_ACCESS);
	CHECK_EQ(ev.dr.dr, 6U);
	CHECK_EQ(ev.dr.dir, VMM_EXIT_DIR_MOV_FROM);
	CHECK_EQ(ev.dr.gpr, 9U);
}

/* "Exit Qualification for EPT Violations". */
static void vmx_ept(void)
{
	struct vmm_vmx_exit_info i;

	/* Data write to the final translation: bits 1, 7, 8. */
	i = vmx(48U, 0x182ULL);
	i.guest_phys_addr = 0xFEE00030ULL;
	vmx_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.gpa, 0xFEE00030ULL);
	CHECK_EQ(ev.mmio.read, 0U);
	CHECK_EQ(ev.mmio.write, 1U);
	CHECK_EQ(ev.mmio.fetch, 0U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_FINAL);
	CHECK_EQ(ev.insn_len, 0U);
	/* Read during a guest page walk: bits 0, 7. */
	i.qualification = 0x81ULL;
	vmx_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.read, 1U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_WALK);
	/* Fetch, no linear address (PDPTE load style): bit 2 only. */
	i.qualification = 0x4ULL;
	vmx_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.fetch, 1U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_UNKNOWN);
	/* Read-modify-write: bits 0 and 1. */
	i.qualification = 0x183ULL;
	vmx_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.read, 1U);
	CHECK_EQ(ev.mmio.write, 1U);
	/* Reserved: no access bit; bit 8 without bit 7. */
	i.qualification = 0x180ULL;
	vmx_bad(&i, VMM_EXIT_BAD_NPF_ACCESS);
	i.qualification = 0x101ULL;
	vmx_bad(&i, VMM_EXIT_BAD_NPF_STAGE);
}

/* ---- SVM ---------------------------------------------------------------- */

static void svm_simple_codes(void)
{
	struct vmm_svm_exit_info i;
	static const struct {
		vmm_u64 code;
		enum vmm_exit_kind kind;
		int insn;
	} t[] = {
		{ 0x60U, VMM_EXIT_EXTERNAL_INTERRUPT, 0 },
		{ 0x61U, VMM_EXIT_NMI, 0 },
		{ 0x64U, VMM_EXIT_INTERRUPT_WINDOW, 0 },  /* VINTR */
		{ 0x72U, VMM_EXIT_CPUID, 1 },
		{ 0x77U, VMM_EXIT_PAUSE, 1 },
		{ 0x78U, VMM_EXIT_HLT, 1 },
		{ 0x7FU, VMM_EXIT_SHUTDOWN, 0 },
		{ 0x81U, VMM_EXIT_HYPERCALL, 1 },         /* VMMCALL */
	};
	unsigned int k;

	for (k = 0; k < TAP_COUNT(t); k++) {
		i = svm(t[k].code, 0U, 0U);
		svm_kind(&i, t[k].kind);
		CHECK_EQ(ev.next_rip_valid, 0U);
		/* With nRIP save, instruction exits report the next RIP. */
		i.nrips = 1U;
		i.next_rip = 0x1234U;
		svm_kind(&i, t[k].kind);
		CHECK_EQ(ev.next_rip_valid, t[k].insn ? 1U : 0U);
		CHECK_EQ(ev.next_rip, t[k].insn ? 0x1234U : 0U);
	}
}

static void svm_unknown_and_invalid(void)
{
	struct vmm_svm_exit_info i;
	static const vmm_u64 c[] = { 0x62U, 0x63U, 0x6EU, 0x7AU, 0x7DU, 0x80U,
				     0x82U, 0x401U, 0x402U, 0x403U,
				     0xFFFFFFFFFFFFFFFEULL,
				     0x8000000000000000ULL };
	unsigned int k;

	for (k = 0; k < TAP_COUNT(c); k++) {
		i = svm(c[k], 0U, 0U);
		svm_kind(&i, VMM_EXIT_UNKNOWN);
		CHECK_EQ(ev.raw, c[k]);
	}
	/* VMEXIT_INVALID (-1): invalid guest state in the VMCB. */
	i = svm(0xFFFFFFFFFFFFFFFFULL, 7U, 0U);
	svm_kind(&i, VMM_EXIT_INVALID_STATE);
	CHECK_EQ(ev.entry.hw_reason, 0xFFFFFFFFFFFFFFFFULL);
	CHECK_EQ(ev.entry.detail, 7U);
}

static void svm_msr(void)
{
	struct vmm_svm_exit_info i = svm(0x7CU, 0U, 0U);

	svm_kind(&i, VMM_EXIT_RDMSR);
	i.exit_info1 = 1U;
	svm_kind(&i, VMM_EXIT_WRMSR);
	i.exit_info1 = 2U;
	svm_bad(&i, VMM_EXIT_BAD_MSR_DIR);
	i.exit_info1 = 0x100000000ULL;
	svm_bad(&i, VMM_EXIT_BAD_MSR_DIR);
}

static void svm_cr(void)
{
	struct vmm_svm_exit_info i;
	vmm_u64 n;

	for (n = 0U; n < 16U; n++) {
		i = svm(n, 0U, 0U);         /* read CRn */
		if (n == 0U || n == 3U || n == 4U || n == 8U) {
			svm_kind(&i, VMM_EXIT_CR_ACCESS);
			CHECK_EQ(ev.cr.cr, n);
			CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_READ);
		} else {
			svm_bad(&i, VMM_EXIT_BAD_CR_NUMBER);
		}
		i = svm(0x10U + n, 0U, 0U); /* write CRn */
		if (n == 0U || n == 3U || n == 4U || n == 8U) {
			svm_kind(&i, VMM_EXIT_CR_ACCESS);
			CHECK_EQ(ev.cr.cr, n);
			CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_WRITE);
			CHECK_EQ(ev.cr.gpr_valid, 0U);
		} else {
			svm_bad(&i, VMM_EXIT_BAD_CR_NUMBER);
		}
	}
	/* Decode assists: mov cr3, r10 (bit 63, GPR 10). */
	i = svm(0x13U, 0x800000000000000AULL, 0U);
	i.decode_assists = 1U;
	i.nrips = 1U;
	i.next_rip = 0x2000U;
	svm_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_MOV_TO);
	CHECK_EQ(ev.cr.gpr_valid, 1U);
	CHECK_EQ(ev.cr.gpr, 10U);
	CHECK_EQ(ev.next_rip_valid, 1U);
	CHECK_EQ(ev.next_rip, 0x2000U);
	/* mov rax, cr8. */
	i = svm(0x08U, 0x8000000000000000ULL, 0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_MOV_FROM);
	CHECK_EQ(ev.cr.gpr, 0U);
	/* Bit 63 clear (LMSW/CLTS/SMSW): not decoded. */
	i = svm(0x10U, 0x5U, 0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_WRITE);
	CHECK_EQ(ev.cr.gpr_valid, 0U);
	/* Bit 63 without decode assists is not trusted. */
	i = svm(0x10U, 0x8000000000000005ULL, 0U);
	svm_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.gpr_valid, 0U);
	/* Selective CR0 write (0x65). */
	i = svm(0x65U, 0x8000000000000002ULL, 0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_CR_ACCESS);
	CHECK_EQ(ev.cr.cr, 0U);
	CHECK_EQ(ev.cr.dir, VMM_EXIT_DIR_MOV_TO);
	CHECK_EQ(ev.cr.gpr, 2U);
}

static void svm_dr(void)
{
	struct vmm_svm_exit_info i;
	vmm_u64 n;

	for (n = 0U; n < 16U; n++) {
		i = svm(0x20U + n, 0U, 0U);
		if (n <= 7U) {
			svm_kind(&i, VMM_EXIT_DR_ACCESS);
			CHECK_EQ(ev.dr.dr, n);
			CHECK_EQ(ev.dr.dir, VMM_EXIT_DIR_MOV_FROM);
		} else {
			svm_bad(&i, VMM_EXIT_BAD_DR_NUMBER);
		}
		i = svm(0x30U + n, 0U, 0U);
		if (n <= 7U) {
			svm_kind(&i, VMM_EXIT_DR_ACCESS);
			CHECK_EQ(ev.dr.dir, VMM_EXIT_DIR_MOV_TO);
		} else {
			svm_bad(&i, VMM_EXIT_BAD_DR_NUMBER);
		}
	}
	i = svm(0x37U, 0xDU, 0U);  /* mov dr7, r13 with decode assists */
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_DR_ACCESS);
	CHECK_EQ(ev.dr.gpr_valid, 1U);
	CHECK_EQ(ev.dr.gpr, 13U);
}

static void svm_exceptions(void)
{
	struct vmm_svm_exit_info i;
	vmm_u64 v;

	for (v = 0U; v < 32U; v++) {
		int err = (v == 8U || v == 10U || v == 11U || v == 12U ||
			   v == 13U || v == 14U || v == 17U || v == 21U ||
			   v == 29U || v == 30U);

		i = svm(0x40U + v, 0xFFFFFFFF00000018ULL, 0xC0FFEEULL);
		i.dr6 = 0xFFFF0FF0ULL;  /* DR6 at reset: no condition */
		svm_kind(&i, VMM_EXIT_EXCEPTION);
		CHECK_EQ(ev.exc.vector, v);
		CHECK_EQ(ev.exc.err_valid, err ? 1U : 0U);
		CHECK_EQ(ev.exc.err_code, err ? 0x18U : 0U);
		CHECK_EQ(ev.exc.pf_addr, v == 14U ? 0xC0FFEEULL : 0U);
		CHECK_EQ(ev.exc.soft, 0U);
		CHECK_EQ(ev.exc.insn_len, 0U);
		CHECK_EQ(ev.exc.dbg, 0U);
	}
	/* #DB: the VMCB's DR6 as the CPU wrote it, fixed bits removed and
	 * RTM (active low) turned to 1 = occurred. */
	i = svm(0x41U, 0U, 0U);
	i.dr6 = 0xFFFF4FF0ULL;  /* BS */
	svm_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.dbg, 0x4000U);
	i.dr6 = 0xFFFF0FF1ULL;  /* B0 */
	svm_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.dbg, 0x1U);
	i.dr6 = 0xFFFE2FF0ULL;  /* BD, RTM */
	svm_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.dbg, 0x12000U);
	i.dr6 = 0xFFFF4FF0ULL;  /* not #DB: nothing */
	i.exit_code = 0x51U;
	svm_kind(&i, VMM_EXIT_EXCEPTION);
	CHECK_EQ(ev.exc.dbg, 0U);
}

static void svm_invlpg(void)
{
	struct vmm_svm_exit_info i = svm(0x79U, 0xFFFF800000002000ULL, 0U);

	svm_kind(&i, VMM_EXIT_INVLPG);
	CHECK_EQ(ev.invlpg.addr_valid, 0U);
	CHECK_EQ(ev.invlpg.addr, 0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_INVLPG);
	CHECK_EQ(ev.invlpg.addr_valid, 1U);
	CHECK_EQ(ev.invlpg.addr, 0xFFFF800000002000ULL);
}

/* APM 15.10.2 IOIO EXITINFO1. */
static void svm_io(void)
{
	struct vmm_svm_exit_info i;

	/* out dx, al to 0x3F8: SZ8 (bit 4), A16 (bit 7). */
	i = svm(0x7BU, 0x03F80090ULL, 0x1001U);
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.port, 0x3F8U);
	CHECK_EQ(ev.io.size, 1U);
	CHECK_EQ(ev.io.in, 0U);
	CHECK_EQ(ev.io.string, 0U);
	CHECK_EQ(ev.io.addr_bits, 0U);
	CHECK_EQ(ev.next_rip_valid, 1U);
	CHECK_EQ(ev.next_rip, 0x1001U);
	/* in eax, dx from 0xCFC: IN, SZ32 (bit 6), A32 (bit 8). */
	i = svm(0x7BU, 0x0CFC0141ULL, 0x2002U);
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.size, 4U);
	CHECK_EQ(ev.io.in, 1U);
	/* rep outsw: STR, REP, SZ16, A64, SEG = DS (3); decode assists. */
	i = svm(0x7BU, 0x00E90000ULL | (3U << 10) | 0x200U | 0x20U | 0xCU,
		0x3003U);
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.size, 2U);
	CHECK_EQ(ev.io.string, 1U);
	CHECK_EQ(ev.io.rep, 1U);
	CHECK_EQ(ev.io.addr_bits, 64U);
	CHECK_EQ(ev.io.seg_valid, 0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.seg_valid, 1U);
	CHECK_EQ(ev.io.seg, 3U);
	/* insb: the segment is always ES. */
	i = svm(0x7BU, 0x00E90000ULL | (5U << 10) | 0x100U | 0x10U | 0x5U,
		0U);
	i.decode_assists = 1U;
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.addr_bits, 32U);
	CHECK_EQ(ev.io.seg, 0U);
	i.exit_info1 = 0x00E90000ULL | 0x80U | 0x10U | 0x5U;  /* A16 */
	svm_kind(&i, VMM_EXIT_IO);
	CHECK_EQ(ev.io.addr_bits, 16U);
}

static void svm_io_reserved(void)
{
	struct vmm_svm_exit_info i;
	vmm_u64 v;

	for (v = 0U; v < 8U; v++) {
		i = svm(0x7BU, 0x03F80080ULL | (v << 4), 0U);
		if (v == 1U || v == 2U || v == 4U)
			svm_kind(&i, VMM_EXIT_IO);
		else
			svm_bad(&i, VMM_EXIT_BAD_IO_SIZE);
	}
	for (v = 0U; v < 8U; v++) {
		/* String form: A16/A32/A64 one-hot, or all zero (QEMU's
		 * TCG): the size is then not reported. */
		i = svm(0x7BU, 0x03F80014ULL | (v << 7), 0U);
		if (v == 0U || v == 1U || v == 2U || v == 4U) {
			svm_kind(&i, VMM_EXIT_IO);
			CHECK_EQ(ev.io.addr_bits, v == 0U ? 0U :
				 v == 1U ? 16U : v == 2U ? 32U : 64U);
		} else {
			svm_bad(&i, VMM_EXIT_BAD_IO_ADDR_SIZE);
		}
	}
	/* OUTS with SEG 6 or 7 (decode assists). */
	i = svm(0x7BU, 0x03F80094ULL | (6U << 10), 0U);
	i.decode_assists = 1U;
	svm_bad(&i, VMM_EXIT_BAD_IO_SEG);
	i.exit_info1 = 0x03F80094ULL | (7U << 10);
	svm_bad(&i, VMM_EXIT_BAD_IO_SEG);
}

/* APM 15.25.6 nested page faults. */
static void svm_npf(void)
{
	struct vmm_svm_exit_info i;

	/* Write (RW), final translation (bit 32). */
	i = svm(0x400U, 0x100000007ULL, 0xFEC00000ULL);
	svm_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.gpa, 0xFEC00000ULL);
	CHECK_EQ(ev.mmio.write, 1U);
	CHECK_EQ(ev.mmio.read, 0U);
	CHECK_EQ(ev.mmio.fetch, 0U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_FINAL);
	CHECK_EQ(ev.next_rip_valid, 0U);
	/* Read during a guest page walk (bit 33). */
	i.exit_info1 = 0x200000000ULL;
	svm_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.read, 1U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_WALK);
	/* Fetch (ID), neither bit 32 nor 33. */
	i.exit_info1 = 0x10ULL;
	svm_kind(&i, VMM_EXIT_MMIO);
	CHECK_EQ(ev.mmio.fetch, 1U);
	CHECK_EQ(ev.mmio.read, 0U);
	CHECK_EQ(ev.mmio.stage, VMM_EXIT_STAGE_UNKNOWN);
	/* Reserved: RW with ID; bits 32 and 33 together. */
	i.exit_info1 = 0x12ULL;
	svm_bad(&i, VMM_EXIT_BAD_NPF_ACCESS);
	i.exit_info1 = 0x300000000ULL;
	svm_bad(&i, VMM_EXIT_BAD_NPF_STAGE);
}

static const struct tap_case cases[] = {
	TAP_CASE(null_pointers),
	TAP_CASE(vmx_simple_reasons),
	TAP_CASE(vmx_unknown),
	TAP_CASE(vmx_insn_len),
	TAP_CASE(vmx_entry_failures),
	TAP_CASE(vmx_exception_nmi),
	TAP_CASE(vmx_external_interrupt),
	TAP_CASE(vmx_invlpg),
	TAP_CASE(vmx_io),
	TAP_CASE(vmx_io_reserved),
	TAP_CASE(vmx_cr),
	TAP_CASE(vmx_cr_reserved),
	TAP_CASE(vmx_dr),
	TAP_CASE(vmx_ept),
	TAP_CASE(svm_simple_codes),
	TAP_CASE(svm_unknown_and_invalid),
	TAP_CASE(svm_msr),
	TAP_CASE(svm_cr),
	TAP_CASE(svm_dr),
	TAP_CASE(svm_exceptions),
	TAP_CASE(svm_invlpg),
	TAP_CASE(svm_io),
	TAP_CASE(svm_io_reserved),
	TAP_CASE(svm_npf),
};

int main(void)
{
	return tap_run("unit/exit", cases, TAP_COUNT(cases));
}
