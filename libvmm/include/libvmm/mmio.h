/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvmm layer 8: decoding the MOV forms emulated on an MMIO exit, and
 * the prefixes of INS/OUTS on a string I/O exit (vmm_mmio_decode_string_io
 * at the end of this file).
 *
 * When a guest access to a guest-physical address with no memory slot
 * behind it exits (VMX: "EPT Violations", SDM vol. 3C; SVM: "Nested Page
 * Faults", APM vol. 2 15.25.6), the module fetches the instruction
 * bytes at the guest RIP and calls vmm_mmio_decode().  The hardware gave
 * the GPA already, so the decoder never computes an address: it only says
 * what to move (direction, size, register or immediate, extension) and how
 * long the instruction is, so the module can emulate the access and advance
 * RIP.  KVM's x86 emulator handles hundreds of instructions and has a long
 * CVE history; lamina accepts the handful below and proves that decoder.
 *
 * Accepted forms (Intel SDM vol. 2, appendix A, one-byte and two-byte
 * opcode maps, and the MOV/MOVZX/MOVSX pages of vol. 2B):
 *   88 /r        MOV r/m8, r8                 write, 1 byte
 *   89 /r        MOV r/m16/32/64, r16/32/64   write, operand size
 *   8A /r        MOV r8, r/m8                 read, 1 byte
 *   8B /r        MOV r16/32/64, r/m16/32/64   read, operand size
 *   C6 /0 ib     MOV r/m8, imm8               write, 1 byte
 *   C7 /0 iw/id  MOV r/m16/32/64, imm16/32    write, operand size; with
 *                                             REX.W the imm32 is sign-
 *                                             extended to 64 bits
 *   0F B6 /r     MOVZX r16/32/64, r/m8        read, 1 byte, zero-extend
 *   0F B7 /r     MOVZX r16/32/64, r/m16       read, 2 bytes, zero-extend
 *   0F BE /r     MOVSX r16/32/64, r/m8        read, 1 byte, sign-extend
 *   0F BF /r     MOVSX r16/32/64, r/m16       read, 2 bytes, sign-extend
 *   A0           MOV AL, moffs8               read, 1 byte, register 0
 *   A1           MOV AX/EAX/RAX, moffs        read, operand size, reg 0
 *   A2           MOV moffs8, AL               write, 1 byte, register 0
 *   A3           MOV moffs, AX/EAX/RAX        write, operand size, reg 0
 *
 * Prefixes (SDM vol. 2A 2.1.1, 2.2.1): any run of 66 (operand size), 67
 * (address size) and the segment overrides 26 2E 36 3E 64 65 (accepted
 * and ignored: the hardware already translated the address), repeats
 * allowed as on hardware, then in 64-bit mode at most one REX (40-4F),
 * which must be the byte right before the opcode.  REX.W = 64-bit
 * operands (wins over 66; no effect on byte forms), REX.R = bit 3 of the
 * ModRM reg field; REX.X/B only change the address, which we do not
 * compute.  In 16/32-bit mode 40-4F are INC/DEC: rejected as opcodes.
 *
 * Sizes (SDM vol. 1 3.6, table 3-4; vol. 2A 2.2.1.2):
 *   operand size: REX.W -> 8; else 16-bit mode: 2, with 66: 4;
 *                 32/64-bit mode: 4, with 66: 2
 *   address size: 16-bit mode: 2, with 67: 4; 32-bit: 4, with 67: 2;
 *                 64-bit: 8, with 67: 4
 * The ModRM byte must name memory (mod != 3): a register-register form
 * cannot cause an MMIO exit.  Its length (SDM vol. 2A 2.1.5, tables 2-1,
 * 2-2, 2-3; 2.2.1.6 for RIP-relative) with 16-bit addressing: mod 0 rm 6
 * disp16, mod 1 disp8, mod 2 disp16; with 32/64-bit addressing: a SIB
 * byte if rm = 4, then mod 0 with rm = 5 (disp32, RIP-relative in 64-bit
 * mode) or with SIB base = 5: disp32; mod 1 disp8; mod 2 disp32.  A moffs
 * is address-size bytes.  No instruction may exceed 15 bytes (SDM vol. 2A
 * 2.3.11).
 *
 * Errors, in the order the decoder meets them (the exact function is
 * mmio_status in acsl-specs/mmio.acsl): the bytes are read from the first
 * on; when a byte at position p is needed and p >= avail, the result is
 * TOO_LONG if p >= 15 (no fetch can help) else TRUNCATED (the module
 * should fetch more bytes, up to 15, and decode again); once the whole
 * length L is known, L > 15 is TOO_LONG and L > avail TRUNCATED.
 *
 * Output registers use the SDM's GPR numbering (0 RAX/EAX/AX/AL, 1 RCX,
 * 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15).  For 88/8A
 * without any REX prefix, reg 4-7 names AH, CH, DH, BH (bits 15..8 of
 * register reg - 4) and high_byte is 1; with a REX prefix (even 40) they
 * are SPL, BPL, SIL, DIL and high_byte is 0.  When the module writes a
 * register on a read: a 4-byte destination in 64-bit mode zeroes bits
 * 63..32, 1- and 2-byte destinations keep the other bits (SDM vol. 1
 * 3.4.1.1).
 *
 * Preconditions are weak: NULL, avail > 15 and unknown modes are rejected
 * at run time.  The decoder reads only bytes[0 .. min(avail, 15) - 1]
 * (proved: every read goes through one helper whose precondition is
 * p < avail <= 15).  It keeps no state and takes no lock.
 */
#ifndef LIBVMM_MMIO_H
#define LIBVMM_MMIO_H

#include <libvmm/exit.h>
#include <libvmm/types.h>

/* Longest x86 instruction (SDM vol. 2A 2.3.11). */
#define VMM_MMIO_MAX_LEN 15U

/* cpu_mode: the default operand/address size of the code segment, which
 * the module derives (SDM vol. 3A 3.4.5 "Segment Descriptors", D/B and L
 * flags; 5.2.1): CR0.PE = 0 (real mode) or CS.D = 0 -> 16; CS.D = 1 -> 32;
 * EFER.LMA = 1 and CS.L = 1 -> 64 (compatibility mode: 16 or 32 by CS.D).
 * Virtual-8086 mode is 16. */
#define VMM_MMIO_MODE_16 16U
#define VMM_MMIO_MODE_32 32U
#define VMM_MMIO_MODE_64 64U

/* vmm_mmio_insn.dir */
#define VMM_MMIO_READ 0U  /* guest loads from MMIO into a register */
#define VMM_MMIO_WRITE 1U /* guest stores a register or immediate */

/* vmm_mmio_insn.ext: how a read value is widened into the register. */
#define VMM_MMIO_EXT_NONE 0U
#define VMM_MMIO_EXT_ZERO 1U /* MOVZX */
#define VMM_MMIO_EXT_SIGN 2U /* MOVSX */

enum vmm_mmio_err {
	VMM_MMIO_OK = 0,
	VMM_MMIO_ERR_NULL = 1,         /* bytes or out is NULL */
	VMM_MMIO_ERR_AVAIL = 2,        /* avail > 15 */
	VMM_MMIO_ERR_MODE = 3,         /* cpu_mode not 16, 32 or 64 */
	VMM_MMIO_ERR_TRUNCATED = 4,    /* needs a byte at index < 15 but >= avail */
	VMM_MMIO_ERR_TOO_LONG = 5,     /* needs a byte at index >= 15 */
	VMM_MMIO_ERR_LOCK = 6,         /* LOCK prefix F0 */
	VMM_MMIO_ERR_REP = 7,          /* REPNE/REP prefix F2/F3 */
	VMM_MMIO_ERR_REX_POSITION = 8, /* REX followed by a prefix or a REX */
	VMM_MMIO_ERR_OPCODE = 9,       /* not one of the accepted opcodes */
	VMM_MMIO_ERR_REG_OPERAND = 10, /* ModRM mod = 3: register operand */
	VMM_MMIO_ERR_MODRM_REG = 11,   /* C6/C7 with ModRM reg != 0 */
	/* vmm_mmio_decode_string_io() only: */
	VMM_MMIO_ERR_NOT_STRING_IO = 12, /* the opcode is not 6C..6F */
	VMM_MMIO_ERR_IO_EVENT = 13,    /* io is not a string I/O event */
	VMM_MMIO_ERR_IO_MISMATCH = 14  /* the bytes and the exit disagree */
};

/* A decoded instruction (written only on success). */
struct vmm_mmio_insn {
	vmm_u32 len;       /* instruction length, 1..15: RIP += len */
	vmm_u32 dir;       /* VMM_MMIO_READ or VMM_MMIO_WRITE */
	vmm_u32 size;      /* bytes accessed at the GPA: 1, 2, 4 or 8 */
	vmm_u32 reg;       /* GPR 0..15; 0 when has_imm */
	vmm_u32 high_byte; /* 1: reg 4..7 is AH, CH, DH, BH */
	vmm_u32 has_imm;   /* 1: a write of imm, no register */
	vmm_u64 imm;       /* the value to store (size bytes) if has_imm */
	vmm_u32 ext;       /* VMM_MMIO_EXT_* */
	vmm_u32 dst_size;  /* register width: size, or the MOVZX/MOVSX
			    * destination size (2, 4 or 8) */
};

/* A decoded INS/OUTS, checked against its exit (written only on success). */
struct vmm_mmio_string_io {
	vmm_u32 len;       /* npfx + 1 (the opcode), 1..15 */
	vmm_u32 npfx;      /* prefix bytes before the opcode, REX included */
	vmm_u32 in;        /* 1: INS (6C, 6D); 0: OUTS (6E, 6F) */
	vmm_u32 size;      /* element bytes: 1, 2 or 4 */
	vmm_u32 rep;       /* 1: an F2 or F3 prefix */
	vmm_u32 addr_bits; /* address size: 16, 32 or 64 (rSI/rDI/rCX width) */
	vmm_u32 seg;       /* segment of the memory operand, 0 ES .. 5 GS */
	vmm_u32 rex;       /* the REX prefix right before the opcode, or 0 */
};

#ifdef __FRAMAC__
#include "mmio.acsl"
#endif

/*
 * Decode the instruction that starts at bytes[0].  avail is how many bytes
 * the module could fetch (at most 15).  cpu_mode is VMM_MMIO_MODE_*.
 * Returns VMM_MMIO_OK exactly when the bytes start with one of the forms
 * above, all of it within avail bytes (mmio_accepts), and then every
 * field of *out is the model's (mmio_len, mmio_dir, ...: one postcondition
 * per field); otherwise *out is not written and the error code is the one
 * mmio_status gives (see the list at the top).  TRUNCATED implies
 * avail < 15: fetching more bytes can help.
 */
/*@ requires bytes == \null || \valid_read(bytes + (0 .. avail - 1));
  @ requires out == \null || \valid(out);
  @ requires bytes != \null && out != \null ==>
  @            \separated(bytes + (0 .. avail - 1), out);
  @
  @ assigns *out;
  @
  @ ensures bytes == \null || out == \null <==>
  @           \result == VMM_MMIO_ERR_NULL;
  @ ensures bytes != \null && out != \null && avail > VMM_MMIO_MAX_LEN ==>
  @           \result == VMM_MMIO_ERR_AVAIL;
  @ ensures bytes != \null && out != \null && avail <= VMM_MMIO_MAX_LEN &&
  @         !mmio_mode_ok(cpu_mode) ==> \result == VMM_MMIO_ERR_MODE;
  @ ensures bytes != \null && out != \null && avail <= VMM_MMIO_MAX_LEN &&
  @         mmio_mode_ok(cpu_mode) ==>
  @           \result == mmio_status{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK <==>
  @           bytes != \null && out != \null &&
  @           mmio_accepts{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->len == mmio_len{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->dir == mmio_dir{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->size == mmio_size_of{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->reg == mmio_reg{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->high_byte == mmio_high{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->has_imm == mmio_has_imm{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->imm == mmio_imm{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->ext == mmio_ext_of{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->dst_size == mmio_dst{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_ERR_TRUNCATED ==> avail < VMM_MMIO_MAX_LEN;
  @ ensures \result != VMM_MMIO_OK && out != \null ==> *out == \old(*out);
  @*/
enum vmm_mmio_err vmm_mmio_decode(const vmm_u8 *bytes, vmm_u32 avail,
				  vmm_u32 cpu_mode, struct vmm_mmio_insn *out);

/*
 * String I/O: decode the INS/OUTS that starts at bytes[0] (avail <= 15
 * bytes fetched at the guest's CS:RIP, cpu_mode as above) and check it
 * against @io, the I/O event layer 4 decoded from the same exit
 * (io->string must be 1).  The module uses the result as is: RIP, rSI or
 * rDI and rCX at addr_bits, the memory operand at seg.
 *
 * The bytes (acsl-specs/mmio.acsl, "String I/O", SDM vol. 2A 2.1.1 and
 * 2.2.1, vol. 1 table 3-4): a run of prefixes, any of F0 F2 F3 26 2E 36
 * 3E 64 65 66 67 in any order and number and, in 64-bit mode, REX
 * (40-4F), ends at the first other byte, the opcode, which must be
 * 6C..6F (else NOT_STRING_IO).  In 16/32-bit mode 40-4F are opcodes
 * (INC/DEC), so they end the run.  A REX counts only right before the
 * opcode (.rex; anywhere else it is ignored) and changes nothing for
 * INS/OUTS.  Element size: 1 for 6C/6E; for 6D/6F 2 or 4 by the mode
 * and 66.  REP: F2 or F3 seen.  Address size: 16-bit mode 16, with 67
 * 32; 32-bit mode 32, with 67 16; 64-bit mode 64, with 67 32 (any
 * number of 67s is one).  Segment: INS ES (no override); OUTS the last
 * segment override, DS if none; in 64-bit mode 26 2E 36 3E are ignored.
 * Length: when the run reaches index 15 the instruction is longer than
 * 15 bytes (TOO_LONG); when it reaches avail < 15, TRUNCATED.
 *
 * The rule that combines the bytes with the exit: the exit reports the
 * direction, element size and REP on every I/O exit and the address
 * size on most (VMX with INS/OUTS information; SVM unless EXITINFO1's
 * A field is zero, as QEMU's TCG writes it): the bytes must agree on
 * each of them, or IO_MISMATCH (they are not the instruction that
 * exited: changed since).  The segment of OUTS is the exit's when it
 * reports one (VMX with INS/OUTS information, SVM with decode assists:
 * the CPU's decode, and CPUs differ on the ignored 64-bit overrides),
 * else the bytes'.  So every field the exit reports is the result's, and
 * what it does not report comes from the bytes.
 *
 * Errors, in this order: ERR_NULL, ERR_AVAIL, ERR_MODE, IO_EVENT (io
 * not a string I/O event with fields in range, an INS with a segment
 * other than ES), TRUNCATED / TOO_LONG /
 * NOT_STRING_IO, IO_MISMATCH.  On any error *out is not written.  Reads
 * only bytes[0 .. npfx] (the prefixes and the opcode).
 */
/*@ requires bytes == \null || \valid_read(bytes + (0 .. avail - 1));
  @ requires io == \null || \valid_read(io);
  @ requires out == \null || \valid(out);
  @ requires bytes != \null && out != \null ==>
  @            \separated(bytes + (0 .. avail - 1), out);
  @ requires io != \null && out != \null ==> \separated(io, out);
  @
  @ assigns *out;
  @
  @ ensures bytes == \null || io == \null || out == \null <==>
  @           \result == VMM_MMIO_ERR_NULL;
  @ ensures bytes != \null && io != \null && out != \null &&
  @         avail > VMM_MMIO_MAX_LEN ==> \result == VMM_MMIO_ERR_AVAIL;
  @ ensures bytes != \null && io != \null && out != \null &&
  @         avail <= VMM_MMIO_MAX_LEN && !mmio_mode_ok(cpu_mode) ==>
  @           \result == VMM_MMIO_ERR_MODE;
  @ ensures bytes != \null && io != \null && out != \null &&
  @         avail <= VMM_MMIO_MAX_LEN && mmio_mode_ok(cpu_mode) ==>
  @           \result == sio_status{Pre}(bytes, avail, cpu_mode, \old(*io));
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->npfx == sio_n{Pre}(bytes, avail, cpu_mode) &&
  @           out->len == out->npfx + 1 && out->len <= VMM_MMIO_MAX_LEN;
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->in == sio_in{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->size == sio_size{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->rep == sio_rep{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->addr_bits == sio_addr_bits{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->seg == sio_seg{Pre}(bytes, avail, cpu_mode, \old(*io));
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->rex == sio_rex{Pre}(bytes, avail, cpu_mode);
  @ ensures \result == VMM_MMIO_OK ==>
  @           out->in == \old(io->in) && out->size == \old(io->size) &&
  @           out->rep == \old(io->rep);
  @ ensures \result == VMM_MMIO_OK && \old(io->addr_bits) != 0 ==>
  @           out->addr_bits == \old(io->addr_bits);
  @ ensures \result == VMM_MMIO_OK && \old(io->seg_valid) == 1 ==>
  @           out->seg == \old(io->seg);
  @ ensures \result == VMM_MMIO_OK ==> out->seg <= VMM_EXIT_SEG_GS;
  @ ensures \result == VMM_MMIO_ERR_TRUNCATED ==> avail < VMM_MMIO_MAX_LEN;
  @ ensures \result != VMM_MMIO_OK && out != \null ==> *out == \old(*out);
  @*/
enum vmm_mmio_err vmm_mmio_decode_string_io(const vmm_u8 *bytes,
					    vmm_u32 avail, vmm_u32 cpu_mode,
					    const struct vmm_exit_io *io,
					    struct vmm_mmio_string_io *out);

#endif /* LIBVMM_MMIO_H */
