// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 8: decoding the MOV forms emulated on an MMIO exit, and
 * the INS/OUTS prefixes on a string I/O exit (at the end of this file).
 * Accepted forms, rules and contract: mmio.h; abstract model:
 * acsl-specs/mmio.acsl.
 *
 * Shape: decode in stages, each a small function whose contract is one
 * stage of the model (prefixes, opcode, ModRM, length, output), then copy
 * the result to the caller only on success.  The stages pass scalars, not
 * a state struct: a write to memory between two reads of the bytes would
 * make every later goal prove that the bytes did not change.  Every byte is read by
 * mmio__byte(), whose precondition p < lim <= 15 is the proof that no byte
 * at or past min(avail, 15) is ever read.  Bit fields are taken with / and
 * % (mod = m / 64, ...): the provers reason about them, seldom about masks;
 * gcc emits the same shifts and masks.
 */
#include <libvmm/mmio.h>

/* Prefixes (SDM vol. 2A 2.1.1). */
#define MMIO_PFX_OPSIZE 0x66U
#define MMIO_PFX_ADSIZE 0x67U
#define MMIO_PFX_ES 0x26U
#define MMIO_PFX_CS 0x2EU
#define MMIO_PFX_SS 0x36U
#define MMIO_PFX_DS 0x3EU
#define MMIO_PFX_FS 0x64U
#define MMIO_PFX_GS 0x65U
#define MMIO_PFX_LOCK 0xF0U
#define MMIO_PFX_REPNE 0xF2U
#define MMIO_PFX_REP 0xF3U
#define MMIO_REX_FIRST 0x40U
#define MMIO_REX_LAST 0x4FU
#define MMIO_REX_W 0x48U /* REX bytes >= 48 have W set */

/* Opcodes (SDM vol. 2A appendix A); two-byte ones as 0x0F00 + byte. */
#define MMIO_ESCAPE 0x0FU
#define MMIO_TWO_BYTE 0x0F00U
#define MMIO_OP_MOV_RM8_R8 0x88U
#define MMIO_OP_MOV_RM_R 0x89U
#define MMIO_OP_MOV_R8_RM8 0x8AU
#define MMIO_OP_MOV_R_RM 0x8BU
#define MMIO_OP_MOV_RM8_IMM8 0xC6U
#define MMIO_OP_MOV_RM_IMM 0xC7U
#define MMIO_OP_MOV_AL_MOFFS 0xA0U
#define MMIO_OP_MOV_AX_MOFFS 0xA1U
#define MMIO_OP_MOV_MOFFS_AL 0xA2U
#define MMIO_OP_MOV_MOFFS_AX 0xA3U
#define MMIO_OP_MOVZX_8 0x0FB6U
#define MMIO_OP_MOVZX_16 0x0FB7U
#define MMIO_OP_MOVSX_8 0x0FBEU
#define MMIO_OP_MOVSX_16 0x0FBFU

/* The only read of the instruction bytes. */
/*@ requires p < lim <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. lim - 1));
  @ assigns \nothing;
  @ ensures \result == b[p];
  @*/
static vmm_u8 mmio__byte(const vmm_u8 *b, vmm_u32 lim, vmm_u32 p)
{
	(void)lim; /* the bound is the contract's */
	return b[p];
}

/* A byte at index p is needed and p >= avail. */
/*@ assigns \nothing;
  @ ensures \result == mmio_need(p);
  @ ensures \result == VMM_MMIO_ERR_TRUNCATED ||
  @         \result == VMM_MMIO_ERR_TOO_LONG;
  @*/
static enum vmm_mmio_err mmio__need(vmm_u32 p)
{
	enum vmm_mmio_err err = VMM_MMIO_ERR_TRUNCATED;

	if (p >= VMM_MMIO_MAX_LEN) {
		err = VMM_MMIO_ERR_TOO_LONG;
	}
	return err;
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> mmio_ok_prefix(x);
  @*/
static vmm_bool mmio__ok_prefix(vmm_u32 x)
{
	return (x == MMIO_PFX_OPSIZE) || (x == MMIO_PFX_ADSIZE) ||
	       (x == MMIO_PFX_ES) || (x == MMIO_PFX_CS) ||
	       (x == MMIO_PFX_SS) || (x == MMIO_PFX_DS) ||
	       (x == MMIO_PFX_FS) || (x == MMIO_PFX_GS);
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> mmio_rex(m, x);
  @*/
static vmm_bool mmio__rex(vmm_u32 m, vmm_u32 x)
{
	return (m == VMM_MMIO_MODE_64) && (x >= MMIO_REX_FIRST) &&
	       (x <= MMIO_REX_LAST);
}

/* A byte that is a prefix when it comes before an opcode: legacy, or REX
 * in 64-bit mode (MMIO: none of them may follow a REX). */
/*@ assigns \nothing;
  @ ensures \result != 0 <==> mmio_stray(m, x);
  @*/
static vmm_bool mmio__any_prefix(vmm_u32 m, vmm_u32 x)
{
	return (mmio__ok_prefix(x) != 0) || (x == MMIO_PFX_LOCK) ||
	       (x == MMIO_PFX_REPNE) || (x == MMIO_PFX_REP) ||
	       (mmio__rex(m, x) != 0);
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> mmio_opc_ok(opc);
  @*/
static vmm_bool mmio__opc_ok(vmm_u32 opc)
{
	return ((opc >= MMIO_OP_MOV_RM8_R8) && (opc <= MMIO_OP_MOV_R_RM)) ||
	       (opc == MMIO_OP_MOV_RM8_IMM8) || (opc == MMIO_OP_MOV_RM_IMM) ||
	       ((opc >= MMIO_OP_MOV_AL_MOFFS) &&
		(opc <= MMIO_OP_MOV_MOFFS_AX)) ||
	       (opc == MMIO_OP_MOVZX_8) || (opc == MMIO_OP_MOVZX_16) ||
	       (opc == MMIO_OP_MOVSX_8) || (opc == MMIO_OP_MOVSX_16);
}

/*@ assigns \nothing;
  @ ensures \result != 0 <==> mmio_moffs(opc);
  @*/
static vmm_bool mmio__moffs(vmm_u32 opc)
{
	return (opc >= MMIO_OP_MOV_AL_MOFFS) && (opc <= MMIO_OP_MOV_MOFFS_AX);
}

/*
 * Stage 1: the run of accepted prefixes (66, 67, segment overrides): its
 * length, i.e. the index of the first other byte, or avail.
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ assigns \nothing;
  @ ensures \result == mmio_n(b, a) && \result <= a;
  @*/
static vmm_u32 mmio__prefix_count(const vmm_u8 *b, vmm_u32 a)
{
	vmm_u32 i = 0U;
	vmm_bool more = VMM_TRUE;

	/*@ loop invariant 0 <= i <= a;
	  @ loop invariant mmio_npfx(b, a, i) == mmio_npfx(b, a, 0);
	  @ loop invariant more == 0 ==> i < a && !mmio_ok_prefix(b[i]);
	  @ loop assigns i, more;
	  @ loop variant a - i + (more != 0 ? 1 : 0);
	  @*/
	while ((i < a) && (more != 0)) {
		if (mmio__ok_prefix(mmio__byte(b, a, i)) != 0) {
			i++;
		} else {
			more = VMM_FALSE;
		}
	}
	return i;
}

/* 1 if byte @x occurs in b[0 .. n - 1] (the prefix run), else 0. */
/*@ requires n <= a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ assigns \nothing;
  @ ensures \result == mmio_seen(b, n, x);
  @ ensures \result == 0 || \result == 1;
  @*/
static vmm_u32 mmio__seen(const vmm_u8 *b, vmm_u32 a, vmm_u32 n, vmm_u32 x)
{
	vmm_u32 i;
	vmm_u32 seen = 0U;

	/*@ loop invariant 0 <= i <= n;
	  @ loop invariant seen == mmio_seen(b, i, x);
	  @ loop assigns i, seen;
	  @ loop variant n - i;
	  @*/
	for (i = 0U; i < n; i++) {
		if (mmio__byte(b, a, i) == x) {
			seen = 1U;
		}
	}
	return seen;
}

/* Stage 2a: the byte after the prefixes may not be LOCK or REP. */
/*@ assigns \nothing;
  @ ensures \result == mmio_st_first(x);
  @ ensures \result == VMM_MMIO_OK || \result == VMM_MMIO_ERR_LOCK ||
  @         \result == VMM_MMIO_ERR_REP;
  @*/
static enum vmm_mmio_err mmio__first(vmm_u32 x)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;

	if (x == MMIO_PFX_LOCK) {
		err = VMM_MMIO_ERR_LOCK;
	} else if ((x == MMIO_PFX_REPNE) || (x == MMIO_PFX_REP)) {
		err = VMM_MMIO_ERR_REP;
	} else {
		err = VMM_MMIO_OK;
	}
	return err;
}

/*
 * Stage 2b: the opcode at @o, after the prefixes (@o == @n) or after a
 * REX prefix at @n (@o == @n + 1).
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires n < a && (o == n || o == n + 1);
  @ assigns \nothing;
  @ ensures \result == mmio_st_op(b, a, m, n, o);
  @ ensures \result == VMM_MMIO_OK || \result == VMM_MMIO_ERR_TRUNCATED ||
  @         \result == VMM_MMIO_ERR_TOO_LONG ||
  @         \result == VMM_MMIO_ERR_REX_POSITION ||
  @         \result == VMM_MMIO_ERR_OPCODE;
  @*/
static enum vmm_mmio_err mmio__op(const vmm_u8 *b, vmm_u32 a, vmm_u32 m,
				  vmm_u32 n, vmm_u32 o)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	vmm_u32 y;

	if (o >= a) {
		err = mmio__need(o);
	} else {
		y = mmio__byte(b, a, o);
		if ((o != n) && (mmio__any_prefix(m, y) != 0)) {
			/* SDM vol. 2A 2.2.1: REX must immediately precede
			 * the opcode (elsewhere hardware ignores it). */
			err = VMM_MMIO_ERR_REX_POSITION;
		} else if (y == MMIO_ESCAPE) {
			if ((o + 1U) >= a) {
				err = mmio__need(o + 1U);
			} else if (mmio__opc_ok(MMIO_TWO_BYTE +
						mmio__byte(b, a, o + 1U)) == 0) {
				err = VMM_MMIO_ERR_OPCODE;
			} else {
				err = VMM_MMIO_OK;
			}
		} else if (mmio__opc_ok(y) == 0) {
			err = VMM_MMIO_ERR_OPCODE;
		} else {
			err = VMM_MMIO_OK;
		}
	}
	return err;
}

/* The opcode at @o, once mmio__op() accepted it. */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires o < a && (b[o] == 0x0F ==> o + 1 < a);
  @ assigns \nothing;
  @ ensures \result == mmio_opc_at(b, o);
  @*/
static vmm_u32 mmio__opc(const vmm_u8 *b, vmm_u32 a, vmm_u32 o)
{
	vmm_u32 opc = mmio__byte(b, a, o);

	if (opc == MMIO_ESCAPE) {
		opc = MMIO_TWO_BYTE + mmio__byte(b, a, o + 1U);
	}
	return opc;
}

/*
 * SIB and displacement bytes after the memory ModRM byte @modrm
 * (mod != 3), SDM vol. 2A tables 2-1, 2-2, 2-3.  @sib matters only for
 * 32/64-bit addressing with rm = 4.
 */
/*@ requires modrm <= 255 && modrm / 64 != 3;
  @ requires asz == 2 || asz == 4 || asz == 8;
  @ assigns \nothing;
  @ ensures \result == mmio_ea_len(modrm, sib, asz);
  @ ensures \result <= 5;
  @*/
static vmm_u32 mmio__ea_len(vmm_u32 modrm, vmm_u32 sib, vmm_u32 asz)
{
	vmm_u32 mod = modrm / 64U;
	vmm_u32 rm = modrm % 8U;
	vmm_u32 len = 0U;

	if (asz == 2U) {
		if (mod == 0U) {
			if (rm == 6U) {
				len = 2U; /* [disp16] */
			}
		} else if (mod == 1U) {
			len = 1U;
		} else {
			len = 2U;
		}
	} else {
		if (rm == 4U) {
			len = 1U; /* SIB */
		}
		if (mod == 0U) {
			if ((rm == 5U) || ((rm == 4U) && ((sib % 8U) == 5U))) {
				/* [disp32], [rip + disp32], [index*s + disp32] */
				len += 4U;
			}
		} else if (mod == 1U) {
			len += 1U;
		} else {
			len += 4U;
		}
	}
	return len;
}

/*
 * Stage 3: the ModRM byte at @mp (memory operand; /0 for C6/C7) and
 * whether its SIB byte is there.  Nothing for the moffs forms.
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires mmio_mode_ok(m) && n < a;
  @ requires opc == mmio_opc(b, n, m) && mmio_opc_ok(opc);
  @ requires asz == mmio_asz(m, h67);
  @ requires mp == mmio_mp(b, n, m) && mp <= a;
  @ assigns \nothing;
  @ ensures \result == mmio_st_modrm(b, a, m, n, h67);
  @ ensures \result == VMM_MMIO_OK || \result == VMM_MMIO_ERR_TRUNCATED ||
  @         \result == VMM_MMIO_ERR_TOO_LONG ||
  @         \result == VMM_MMIO_ERR_REG_OPERAND ||
  @         \result == VMM_MMIO_ERR_MODRM_REG;
  @*/
static enum vmm_mmio_err mmio__modrm(const vmm_u8 *b, vmm_u32 a, vmm_u32 m,
				     vmm_u32 n, vmm_u32 h67, vmm_u32 opc,
				     vmm_u32 asz, vmm_u32 mp)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	vmm_u32 modrm;

	(void)m; /* used by the contract only */
	(void)n;
	(void)h67;
	if (mmio__moffs(opc) != 0) {
		err = VMM_MMIO_OK;
	} else if (mp >= a) {
		err = mmio__need(mp);
	} else {
		modrm = mmio__byte(b, a, mp);
		if ((modrm / 64U) == 3U) {
			/* a register operand cannot cause an MMIO exit */
			err = VMM_MMIO_ERR_REG_OPERAND;
		} else if (((opc == MMIO_OP_MOV_RM8_IMM8) ||
			    (opc == MMIO_OP_MOV_RM_IMM)) &&
			   (((modrm / 8U) % 8U) != 0U)) {
			/* C6/C7 are MOV only with /0 */
			err = VMM_MMIO_ERR_MODRM_REG;
		} else if ((asz != 2U) && ((modrm % 8U) == 4U) &&
			   ((mp + 1U) >= a)) {
			err = mmio__need(mp + 1U);
		} else {
			err = VMM_MMIO_OK;
		}
	}
	return err;
}

/*
 * Stage 4: the instruction length, once the ModRM (and SIB) checked out.
 * At most mp + 8 + 4: no wrap.
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires mmio_opc_ok(opc) && mp <= a;
  @ requires asz == 2 || asz == 4 || asz == 8;
  @ requires osz == 2 || osz == 4 || osz == 8;
  @ requires !mmio_moffs(opc) ==>
  @   mp < a && b[mp] / 64 != 3 &&
  @   (asz != 2 && b[mp] % 8 == 4 ==> mp + 1 < a);
  @ assigns \nothing;
  @ ensures \result == mp + mmio_body_len(opc, asz, b[mp], b[mp + 1]) +
  @                    mmio_imm_len(opc, osz);
  @*/
static vmm_u32 mmio__length(const vmm_u8 *b, vmm_u32 a, vmm_u32 opc,
			    vmm_u32 asz, vmm_u32 osz, vmm_u32 mp)
{
	vmm_u32 body;
	vmm_u32 imm;
	vmm_u32 modrm;
	vmm_u32 sib = 0U;

	if (mmio__moffs(opc) != 0) {
		body = asz;
	} else {
		modrm = mmio__byte(b, a, mp);
		if ((asz != 2U) && ((modrm % 8U) == 4U)) {
			sib = mmio__byte(b, a, mp + 1U);
		}
		body = 1U + mmio__ea_len(modrm, sib, asz);
	}
	if (opc == MMIO_OP_MOV_RM8_IMM8) {
		imm = 1U;
	} else if (opc == MMIO_OP_MOV_RM_IMM) {
		imm = (osz == 2U) ? 2U : 4U;
	} else {
		imm = 0U;
	}
	return mp + body + imm;
}

/* Little-endian immediate of @k = 1, 2 or 4 bytes at b[p]. */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires k == 1 || k == 2 || k == 4;
  @ requires p + k <= a;
  @ assigns \nothing;
  @ ensures k == 1 ==> \result == b[p];
  @ ensures k == 2 ==> \result == mmio_le16(b, p);
  @ ensures k == 4 ==> \result == mmio_le32(b, p);
  @ ensures \result <= 0xFFFFFFFF;
  @*/
static vmm_u64 mmio__le(const vmm_u8 *b, vmm_u32 a, vmm_u32 p, vmm_u32 k)
{
	vmm_u64 v = mmio__byte(b, a, p);

	if (k >= 2U) {
		v += 256ULL * mmio__byte(b, a, p + 1U);
	}
	if (k == 4U) {
		v += 65536ULL * (mmio__byte(b, a, p + 2U) +
				 256ULL * mmio__byte(b, a, p + 3U));
	}
	return v;
}

/* The immediate of C6/C7 (@len: instruction length), else 0. */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires osz == 2 || osz == 4 || osz == 8;
  @ requires len <= a && len >= mmio_imm_len(opc, osz);
  @ assigns \nothing;
  @ ensures \result == (opc == 0xC6 ? b[len - 1] :
  @                     opc == 0xC7 ? mmio_imm_val(b, len - mmio_imm_len(opc, osz), osz) :
  @                     0);
  @*/
static vmm_u64 mmio__imm(const vmm_u8 *b, vmm_u32 a, vmm_u32 opc,
			 vmm_u32 osz, vmm_u32 len)
{
	vmm_u64 v = 0ULL;

	if (opc == MMIO_OP_MOV_RM8_IMM8) {
		v = mmio__le(b, a, len - 1U, 1U);
	} else if (opc == MMIO_OP_MOV_RM_IMM) {
		if (osz == 2U) {
			v = mmio__le(b, a, len - 2U, 2U);
		} else {
			v = mmio__le(b, a, len - 4U, 4U);
			if ((osz == 8U) && (v >= 0x80000000ULL)) {
				/* REX.W: imm32 sign-extended to 64 bits */
				v += 0xFFFFFFFF00000000ULL;
			}
		}
	} else {
		v = 0ULL;
	}
	return v;
}

/* Output field: direction. */
/*@ assigns \nothing;
  @ ensures \result == (mmio_write(opc) ? VMM_MMIO_WRITE : VMM_MMIO_READ);
  @*/
static vmm_u32 mmio__dir(vmm_u32 opc)
{
	vmm_u32 dir = VMM_MMIO_READ;

	if ((opc == MMIO_OP_MOV_RM8_R8) || (opc == MMIO_OP_MOV_RM_R) ||
	    (opc == MMIO_OP_MOV_RM8_IMM8) || (opc == MMIO_OP_MOV_RM_IMM) ||
	    (opc == MMIO_OP_MOV_MOFFS_AL) || (opc == MMIO_OP_MOV_MOFFS_AX)) {
		dir = VMM_MMIO_WRITE;
	}
	return dir;
}

/* Output field: bytes accessed at the GPA. */
/*@ requires osz == 2 || osz == 4 || osz == 8;
  @ assigns \nothing;
  @ ensures \result == mmio_size(opc, osz);
  @*/
static vmm_u32 mmio__size(vmm_u32 opc, vmm_u32 osz)
{
	vmm_u32 size = osz;

	if ((opc == MMIO_OP_MOV_RM8_R8) || (opc == MMIO_OP_MOV_R8_RM8) ||
	    (opc == MMIO_OP_MOV_RM8_IMM8) || (opc == MMIO_OP_MOV_AL_MOFFS) ||
	    (opc == MMIO_OP_MOV_MOFFS_AL) || (opc == MMIO_OP_MOVZX_8) ||
	    (opc == MMIO_OP_MOVSX_8)) {
		size = 1U;
	} else if ((opc == MMIO_OP_MOVZX_16) || (opc == MMIO_OP_MOVSX_16)) {
		size = 2U;
	} else {
		size = osz;
	}
	return size;
}

/* Output field: extension (MOVZX / MOVSX). */
/*@ assigns \nothing;
  @ ensures \result == mmio_ext(opc);
  @*/
static vmm_u32 mmio__ext(vmm_u32 opc)
{
	vmm_u32 ext = VMM_MMIO_EXT_NONE;

	if ((opc == MMIO_OP_MOVZX_8) || (opc == MMIO_OP_MOVZX_16)) {
		ext = VMM_MMIO_EXT_ZERO;
	} else if ((opc == MMIO_OP_MOVSX_8) || (opc == MMIO_OP_MOVSX_16)) {
		ext = VMM_MMIO_EXT_SIGN;
	} else {
		ext = VMM_MMIO_EXT_NONE;
	}
	return ext;
}

/* Output field: register number, from the ModRM reg field @regf. */
/*@ requires regf <= 7 && rx <= 0x4F;
  @ assigns \nothing;
  @ ensures \result == ((mmio_moffs(opc) || mmio_immop(opc)) ? 0 :
  @                     regf + (rx % 8 >= 4 ? 8 : 0));
  @*/
static vmm_u32 mmio__reg(vmm_u32 opc, vmm_u32 rx, vmm_u32 regf)
{
	vmm_u32 reg = 0U;

	if ((mmio__moffs(opc) == 0) && (opc != MMIO_OP_MOV_RM8_IMM8) &&
	    (opc != MMIO_OP_MOV_RM_IMM)) {
		/* REX.R extends the reg field (SDM vol. 2A 2.2.1.2). */
		reg = regf + (((rx % 8U) >= 4U) ? 8U : 0U);
	}
	return reg;
}

/* Output field: AH, CH, DH, BH (SDM vol. 2A 3.1.1.1, table 3-1). */
/*@ assigns \nothing;
  @ ensures \result == ((rx == 0 && (opc == 0x88 || opc == 0x8A) &&
  @                      regf >= 4) ? 1 : 0);
  @*/
static vmm_u32 mmio__high(vmm_u32 opc, vmm_u32 rx, vmm_u32 regf)
{
	vmm_u32 high = 0U;

	if ((rx == 0U) &&
	    ((opc == MMIO_OP_MOV_RM8_R8) || (opc == MMIO_OP_MOV_R8_RM8)) &&
	    (regf >= 4U)) {
		/* no REX: byte registers 4..7 are the high bytes */
		high = 1U;
	}
	return high;
}

/*
 * Stage 5 (everything checked): the output fields.  Cannot fail.  All
 * bytes are read before *ins is written.
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires \valid(ins);
  @ requires \separated(ins, b + (0 .. a - 1));
  @ requires mmio_opc_ok(opc) && rx <= 0x4F;
  @ requires osz == 2 || osz == 4 || osz == 8;
  @ requires len <= a && len >= mmio_imm_len(opc, osz);
  @ requires mp < a;
  @
  @ assigns *ins;
  @
  @ ensures ins->len == len;
  @ ensures ins->dir == (mmio_write(opc) ? VMM_MMIO_WRITE : VMM_MMIO_READ);
  @ ensures ins->size == mmio_size(opc, osz);
  @ ensures ins->reg == ((mmio_moffs(opc) || mmio_immop(opc)) ? 0 :
  @           (\at(b[mp], Pre) / 8) % 8 + (rx % 8 >= 4 ? 8 : 0));
  @ ensures ins->high_byte == ((rx == 0 && (opc == 0x88 || opc == 0x8A) &&
  @                             (\at(b[mp], Pre) / 8) % 8 >= 4) ? 1 : 0);
  @ ensures ins->has_imm == (mmio_immop(opc) ? 1 : 0);
  @ ensures ins->imm ==
  @         (opc == 0xC6 ? \at(b[len - mmio_imm_len(opc, osz)], Pre) :
  @           opc == 0xC7 ?
  @             mmio_imm_val{Pre}(b, len - mmio_imm_len(opc, osz), osz) : 0);
  @ ensures ins->ext == mmio_ext(opc);
  @ ensures ins->dst_size == (mmio_ext(opc) != VMM_MMIO_EXT_NONE ? osz :
  @                           mmio_size(opc, osz));
  @*/
static void mmio__fill(const vmm_u8 *b, vmm_u32 a, vmm_u32 rx, vmm_u32 opc,
		       vmm_u32 osz, vmm_u32 mp, vmm_u32 len,
		       struct vmm_mmio_insn *ins)
{
	vmm_u32 regf = (mmio__byte(b, a, mp) / 8U) % 8U;
	vmm_u64 imm = mmio__imm(b, a, opc, osz, len);
	vmm_u32 size = mmio__size(opc, osz);
	vmm_u32 ext = mmio__ext(opc);

	ins->len = len;
	ins->dir = mmio__dir(opc);
	ins->size = size;
	ins->reg = mmio__reg(opc, rx, regf);
	ins->high_byte = mmio__high(opc, rx, regf);
	ins->has_imm = ((opc == MMIO_OP_MOV_RM8_IMM8) ||
			(opc == MMIO_OP_MOV_RM_IMM)) ? 1U : 0U;
	ins->imm = imm;
	ins->ext = ext;
	ins->dst_size = (ext != VMM_MMIO_EXT_NONE) ? osz : size;
}

/*
 * Lemma: the error order of mmio_status_at and the declarative
 * acceptance mmio_accepts_at agree.  A ghost function (no code) so that
 * the fact is proved once, on its own, and used only where it is called;
 * as a global ACSL lemma it would sit in every goal and drown the provers.
 */
/*@ ghost
  @ /@ requires mmio_mode_ok(m) && a <= VMM_MMIO_MAX_LEN;
  @  @ assigns \nothing;
  @  @ ensures mmio_status_at(b, a, m, n, h66, h67) == VMM_MMIO_OK <==>
  @  @         mmio_accepts_at(b, a, m, n, h66, h67);
  @  @/
  @ static void mmio__lemma_status_ok(const vmm_u8 *b, vmm_u32 a, vmm_u32 m,
  @                                   vmm_u32 n, vmm_u32 h66, vmm_u32 h67)
  @ {
  @ }
  @*/

/*
 * Decode with valid arguments: no NULL, avail <= 15, a known mode.  Only
 * the last step writes memory (*ins).
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires mmio_mode_ok(m);
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires \valid(ins);
  @ requires \separated(ins, b + (0 .. a - 1));
  @
  @ assigns *ins;
  @
  @ ensures \result == mmio_status{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK <==> mmio_accepts{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->len == mmio_len{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->dir == mmio_dir{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   ins->size == mmio_size_of{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->reg == mmio_reg{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   ins->high_byte == mmio_high{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   ins->has_imm == mmio_has_imm{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->imm == mmio_imm{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->ext == mmio_ext_of{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> ins->dst_size == mmio_dst{Pre}(b, a, m);
  @ ensures VMM_MMIO_ERR_TRUNCATED <= \result <= VMM_MMIO_ERR_MODRM_REG ||
  @         \result == VMM_MMIO_OK;
  @ ensures \result == VMM_MMIO_ERR_TRUNCATED ==> a < VMM_MMIO_MAX_LEN;
  @*/
static enum vmm_mmio_err mmio__decode(const vmm_u8 *b, vmm_u32 a, vmm_u32 m,
				      struct vmm_mmio_insn *ins)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	vmm_u32 n = mmio__prefix_count(b, a);
	vmm_u32 h66 = mmio__seen(b, a, n, MMIO_PFX_OPSIZE);
	vmm_u32 h67 = mmio__seen(b, a, n, MMIO_PFX_ADSIZE);
	vmm_u32 x = 0U;
	vmm_u32 rx = 0U;
	vmm_u32 o = 0U;
	vmm_u32 opc = 0U;
	vmm_u32 osz = 0U;
	vmm_u32 asz = 0U;
	vmm_u32 mp = 0U;
	vmm_u32 len = 0U;

	/*@ ghost mmio__lemma_status_ok(b, a, m, n, h66, h67); */
	/*@ assert mmio_status(b, a, m) == mmio_status_at(b, a, m, n, h66, h67); */
	/*@ assert mmio_accepts(b, a, m) <==>
	  @        mmio_accepts_at(b, a, m, n, h66, h67); */
	if (n >= a) {
		err = mmio__need(n);
		/*@ assert err == mmio_status_at(b, a, m, n, h66, h67); */
	} else {
		x = mmio__byte(b, a, n);
		err = mmio__first(x);
		if (err == VMM_MMIO_OK) {
			if (mmio__rex(m, x) != 0) {
				rx = x;
			}
			o = (rx != 0U) ? (n + 1U) : n;
			/*@ assert o == mmio_o(b, n, m) && rx == mmio_rx(b, n, m); */
			err = mmio__op(b, a, m, n, o);
			/*@ assert err == mmio_st_opcode(b, a, m, n); */
		}
		/*@ assert err != VMM_MMIO_OK ==>
		  @        err == mmio_status_at(b, a, m, n, h66, h67); */
		if (err == VMM_MMIO_OK) {
			opc = mmio__opc(b, a, o);
			/* REX.W wins over 66 (SDM vol. 1 table 3-4). */
			if (rx >= MMIO_REX_W) {
				osz = 8U;
			} else if (m == VMM_MMIO_MODE_16) {
				osz = (h66 != 0U) ? 4U : 2U;
			} else {
				osz = (h66 != 0U) ? 2U : 4U;
			}
			if (m == VMM_MMIO_MODE_16) {
				asz = (h67 != 0U) ? 4U : 2U;
			} else if (m == VMM_MMIO_MODE_32) {
				asz = (h67 != 0U) ? 2U : 4U;
			} else {
				asz = (h67 != 0U) ? 4U : 8U;
			}
			mp = o + ((opc >= MMIO_TWO_BYTE) ? 2U : 1U);
			/*@ assert opc == mmio_opc(b, n, m) &&
			  @        osz == mmio_osz_at(b, n, m, h66) &&
			  @        asz == mmio_asz(m, h67) &&
			  @        mp == mmio_mp(b, n, m); */
			err = mmio__modrm(b, a, m, n, h67, opc, asz, mp);
			if (err == VMM_MMIO_OK) {
				len = mmio__length(b, a, opc, asz, osz, mp);
				/*@ assert len == mmio_len_at(b, n, m, h66, h67); */
				/*@ assert len - mmio_imm_len(opc, osz) ==
				  @        mmio_ip(b, n, m, h67); */
				if (len > VMM_MMIO_MAX_LEN) {
					err = VMM_MMIO_ERR_TOO_LONG;
				} else if (len > a) {
					err = VMM_MMIO_ERR_TRUNCATED;
				} else {
					mmio__fill(b, a, rx, opc, osz, mp,
						   len, ins);
				}
			}
		}
	}
	return err;
}

enum vmm_mmio_err vmm_mmio_decode(const vmm_u8 *bytes, vmm_u32 avail,
				  vmm_u32 cpu_mode, struct vmm_mmio_insn *out)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	struct vmm_mmio_insn ins;

	if ((bytes == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_MMIO_ERR_NULL;
	} else if (avail > VMM_MMIO_MAX_LEN) {
		err = VMM_MMIO_ERR_AVAIL;
		/*@ assert !mmio_accepts(bytes, avail, cpu_mode); */
	} else if ((cpu_mode != VMM_MMIO_MODE_16) &&
		   (cpu_mode != VMM_MMIO_MODE_32) &&
		   (cpu_mode != VMM_MMIO_MODE_64)) {
		err = VMM_MMIO_ERR_MODE;
		/*@ assert !mmio_accepts(bytes, avail, cpu_mode); */
	} else {
		/* Decode into a local; the caller sees all or nothing. */
		err = mmio__decode(bytes, avail, cpu_mode, &ins);
		if (err == VMM_MMIO_OK) {
			*out = ins;
		}
	}
	return err;
}

/* ---- String I/O (INS/OUTS): prefixes, address size, segment. ---- */

/* INS/OUTS opcodes (SDM vol. 2B). */
#define MMIO_OP_INSB 0x6CU
#define MMIO_OP_INS 0x6DU
#define MMIO_OP_OUTSB 0x6EU
#define MMIO_OP_OUTS 0x6FU
#define MMIO_SEG_NONE 6U

/* The prefix run before a string-I/O opcode: its length. */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ assigns \nothing;
  @ ensures \result == sio_n(b, a, m) && \result <= a;
  @*/
static vmm_u32 mmio__sio_count(const vmm_u8 *b, vmm_u32 a, vmm_u32 m)
{
	vmm_u32 i = 0U;
	vmm_bool more = VMM_TRUE;

	/*@ loop invariant 0 <= i <= a;
	  @ loop invariant sio_npfx(b, a, m, i) == sio_npfx(b, a, m, 0);
	  @ loop invariant more == 0 ==> i < a && !mmio_stray(m, b[i]);
	  @ loop assigns i, more;
	  @ loop variant a - i + (more != 0 ? 1 : 0);
	  @*/
	while ((i < a) && (more != 0)) {
		if (mmio__any_prefix(m, mmio__byte(b, a, i)) != 0) {
			i++;
		} else {
			more = VMM_FALSE;
		}
	}
	return i;
}

/* The segment a prefix byte selects (64-bit mode: FS and GS only). */
/*@ assigns \nothing;
  @ ensures \result == sio_override(m, x);
  @ ensures \result <= MMIO_SEG_NONE;
  @*/
static vmm_u32 mmio__sio_override(vmm_u32 m, vmm_u32 x)
{
	vmm_u32 seg = MMIO_SEG_NONE;

	if (x == MMIO_PFX_FS) {
		seg = 4U;
	} else if (x == MMIO_PFX_GS) {
		seg = 5U;
	} else if (m == VMM_MMIO_MODE_64) {
		/* ES, CS, SS, DS overrides are ignored (vol. 2A 2.1.1). */
		seg = MMIO_SEG_NONE;
	} else if (x == MMIO_PFX_ES) {
		seg = 0U;
	} else if (x == MMIO_PFX_CS) {
		seg = 1U;
	} else if (x == MMIO_PFX_SS) {
		seg = 2U;
	} else if (x == MMIO_PFX_DS) {
		seg = 3U;
	} else {
		seg = MMIO_SEG_NONE;
	}
	return seg;
}

/* OUTS's segment after the prefixes b[0 .. n - 1]: the last override. */
/*@ requires n <= a <= VMM_MMIO_MAX_LEN;
  @ requires \valid_read(b + (0 .. a - 1));
  @ assigns \nothing;
  @ ensures \result == sio_seg_run(b, n, m);
  @ ensures \result <= VMM_EXIT_SEG_GS;
  @*/
static vmm_u32 mmio__sio_seg_run(const vmm_u8 *b, vmm_u32 a, vmm_u32 n,
				 vmm_u32 m)
{
	vmm_u32 i;
	vmm_u32 o;
	vmm_u32 seg = VMM_EXIT_SEG_DS;

	/*@ loop invariant 0 <= i <= n;
	  @ loop invariant seg == sio_seg_run(b, i, m);
	  @ loop invariant seg <= VMM_EXIT_SEG_GS;
	  @ loop assigns i, o, seg;
	  @ loop variant n - i;
	  @*/
	for (i = 0U; i < n; i++) {
		o = mmio__sio_override(m, mmio__byte(b, a, i));
		if (o < MMIO_SEG_NONE) {
			seg = o;
		}
	}
	return seg;
}

/*@ requires \valid_read(io);
  @ assigns \nothing;
  @ ensures \result != 0 <==> sio_event_ok(*io);
  @*/
static vmm_bool mmio__sio_event_ok(const struct vmm_exit_io *io)
{
	vmm_u32 ab = io->addr_bits;

	return (io->string == 1U) && (io->in <= 1U) && (io->rep <= 1U) &&
	       ((io->size == 1U) || (io->size == 2U) || (io->size == 4U)) &&
	       ((ab == 0U) || (ab == 16U) || (ab == 32U) || (ab == 64U)) &&
	       (io->seg_valid <= 1U) && (io->seg <= VMM_EXIT_SEG_GS) &&
	       ((io->in != 1U) || (io->seg == VMM_EXIT_SEG_ES));
}

/*
 * Decode and check with valid arguments (no NULL, avail <= 15, a known
 * mode, a well-formed event).  Only the last step writes memory (*s).
 */
/*@ requires a <= VMM_MMIO_MAX_LEN;
  @ requires mmio_mode_ok(m);
  @ requires \valid_read(b + (0 .. a - 1));
  @ requires \valid_read(io) && sio_event_ok(*io);
  @ requires \valid(s);
  @ requires \separated(s, b + (0 .. a - 1));
  @ requires \separated(s, io);
  @
  @ assigns *s;
  @
  @ ensures \result == sio_status{Pre}(b, a, m, \old(*io));
  @ ensures \result == VMM_MMIO_OK ==>
  @   s->npfx == sio_n{Pre}(b, a, m) && s->len == s->npfx + 1 &&
  @   s->len <= VMM_MMIO_MAX_LEN;
  @ ensures \result == VMM_MMIO_OK ==> s->in == sio_in{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> s->size == sio_size{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==> s->rep == sio_rep{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   s->addr_bits == sio_addr_bits{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   s->seg == sio_seg{Pre}(b, a, m, \old(*io));
  @ ensures \result == VMM_MMIO_OK ==> s->rex == sio_rex{Pre}(b, a, m);
  @ ensures \result == VMM_MMIO_OK ==>
  @   s->in == \old(io->in) && s->size == \old(io->size) &&
  @   s->rep == \old(io->rep);
  @ ensures \result == VMM_MMIO_OK && \old(io->addr_bits) != 0 ==>
  @   s->addr_bits == \old(io->addr_bits);
  @ ensures \result == VMM_MMIO_OK && \old(io->seg_valid) == 1 ==>
  @   s->seg == \old(io->seg);
  @ ensures \result == VMM_MMIO_OK ==> s->seg <= VMM_EXIT_SEG_GS;
  @ ensures \result == VMM_MMIO_OK || \result == VMM_MMIO_ERR_TRUNCATED ||
  @         \result == VMM_MMIO_ERR_TOO_LONG ||
  @         \result == VMM_MMIO_ERR_NOT_STRING_IO ||
  @         \result == VMM_MMIO_ERR_IO_MISMATCH;
  @ ensures \result == VMM_MMIO_ERR_TRUNCATED ==> a < VMM_MMIO_MAX_LEN;
  @*/
static enum vmm_mmio_err mmio__sio(const vmm_u8 *b, vmm_u32 a, vmm_u32 m,
				   const struct vmm_exit_io *io,
				   struct vmm_mmio_string_io *s)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	vmm_u32 n = mmio__sio_count(b, a, m);
	vmm_u32 h66 = mmio__seen(b, a, n, MMIO_PFX_OPSIZE);
	vmm_u32 h67 = mmio__seen(b, a, n, MMIO_PFX_ADSIZE);
	vmm_u32 f2 = mmio__seen(b, a, n, MMIO_PFX_REPNE);
	vmm_u32 f3 = mmio__seen(b, a, n, MMIO_PFX_REP);
	vmm_u32 seg = mmio__sio_seg_run(b, a, n, m);
	vmm_u32 opc = 0U;
	vmm_u32 in = 0U;
	vmm_u32 size = 1U;
	vmm_u32 rep = 0U;
	vmm_u32 abits = 0U;
	vmm_u32 rex = 0U;
	vmm_u32 x;

	if (n >= a) {
		err = mmio__need(n);
	} else {
		opc = mmio__byte(b, a, n);
		if ((opc < MMIO_OP_INSB) || (opc > MMIO_OP_OUTS)) {
			err = VMM_MMIO_ERR_NOT_STRING_IO;
		} else {
			in = (opc <= MMIO_OP_INS) ? 1U : 0U;
			if ((opc == MMIO_OP_INS) || (opc == MMIO_OP_OUTS)) {
				/* 66 toggles 16 <-> 32; REX.W is ignored. */
				if (m == VMM_MMIO_MODE_16) {
					size = (h66 != 0U) ? 4U : 2U;
				} else {
					size = (h66 != 0U) ? 2U : 4U;
				}
			}
			rep = ((f2 != 0U) || (f3 != 0U)) ? 1U : 0U;
			/* Table 3-4: 67 toggles 16 <-> 32, or 64 -> 32. */
			if (m == VMM_MMIO_MODE_16) {
				abits = (h67 != 0U) ? 32U : 16U;
			} else if (m == VMM_MMIO_MODE_32) {
				abits = (h67 != 0U) ? 16U : 32U;
			} else {
				abits = (h67 != 0U) ? 32U : 64U;
			}
			if (n > 0U) {
				x = mmio__byte(b, a, n - 1U);
				if (mmio__rex(m, x) != 0) {
					rex = x;
				}
			}
			/*@ assert in == sio_in(b, a, m) &&
			  @        size == sio_size(b, a, m) &&
			  @        rep == sio_rep(b, a, m) &&
			  @        abits == sio_addr_bits(b, a, m) &&
			  @        rex == sio_rex(b, a, m); */
			if ((io->in != in) || (io->size != size) ||
			    (io->rep != rep) ||
			    ((io->addr_bits != 0U) && (io->addr_bits != abits))) {
				/* Not the instruction that exited. */
				err = VMM_MMIO_ERR_IO_MISMATCH;
			} else {
				if (in != 0U) {
					seg = VMM_EXIT_SEG_ES;
				} else if (io->seg_valid != 0U) {
					seg = io->seg;
				}
				s->len = n + 1U;
				s->npfx = n;
				s->in = in;
				s->size = size;
				s->rep = rep;
				s->addr_bits = abits;
				s->seg = seg;
				s->rex = rex;
			}
		}
	}
	return err;
}

enum vmm_mmio_err vmm_mmio_decode_string_io(const vmm_u8 *bytes,
					    vmm_u32 avail, vmm_u32 cpu_mode,
					    const struct vmm_exit_io *io,
					    struct vmm_mmio_string_io *out)
{
	enum vmm_mmio_err err = VMM_MMIO_OK;
	struct vmm_mmio_string_io r;

	if ((bytes == VMM_NULL) || (io == VMM_NULL) || (out == VMM_NULL)) {
		err = VMM_MMIO_ERR_NULL;
	} else if (avail > VMM_MMIO_MAX_LEN) {
		err = VMM_MMIO_ERR_AVAIL;
	} else if ((cpu_mode != VMM_MMIO_MODE_16) &&
		   (cpu_mode != VMM_MMIO_MODE_32) &&
		   (cpu_mode != VMM_MMIO_MODE_64)) {
		err = VMM_MMIO_ERR_MODE;
	} else if (mmio__sio_event_ok(io) == 0) {
		err = VMM_MMIO_ERR_IO_EVENT;
	} else {
		/* Decode into a local; the caller sees all or nothing. */
		err = mmio__sio(bytes, avail, cpu_mode, io, &r);
		if (err == VMM_MMIO_OK) {
			*out = r;
		}
	}
	return err;
}
