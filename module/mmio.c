// SPDX-License-Identifier: GPL-2.0-only
/*
 * MMIO exits (decode, then invoke): libvmm decoded the exit (the GPA and
 * the access), the module fetches the instruction bytes at CS:RIP through
 * the guest's paging (gmem.c), libvmm's vmm_mmio_decode() says what moves,
 * and this file moves it the way KVM reports it: KVM_EXIT_MMIO with
 * run->mmio filled in. A write carries its value and the guest is already
 * past it; a read is finished on the next KVM_RUN with run->mmio.data.
 */
#include <linux/kvm.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <libvmm/exit.h>
#include <libvmm/memslot.h>
#include <libvmm/mmio.h>

#include "backend.h"
#include "gmem.h"
#include "ioeventfd.h"
#include "lamina.h"
#include "lapic.h"
#include "mmio.h"

static const char *const mmio_reason[] = {
	[VMM_MMIO_ERR_NULL] = "internal: NULL argument",
	[VMM_MMIO_ERR_AVAIL] = "internal: too many bytes",
	[VMM_MMIO_ERR_MODE] = "internal: unknown CPU mode",
	[VMM_MMIO_ERR_TRUNCATED] = "instruction runs into unreadable memory",
	[VMM_MMIO_ERR_TOO_LONG] = "instruction longer than 15 bytes",
	[VMM_MMIO_ERR_LOCK] = "LOCK prefix",
	[VMM_MMIO_ERR_REP] = "REP/REPNE prefix",
	[VMM_MMIO_ERR_REX_POSITION] = "REX prefix not right before the opcode",
	[VMM_MMIO_ERR_OPCODE] = "opcode is not one of the MOV forms emulated",
	[VMM_MMIO_ERR_REG_OPERAND] = "register operand",
	[VMM_MMIO_ERR_MODRM_REG] = "C6/C7 with ModRM.reg != 0",
	[VMM_MMIO_ERR_NOT_STRING_IO] = "not INS/OUTS",
	[VMM_MMIO_ERR_IO_EVENT] = "internal: not a string I/O exit",
	[VMM_MMIO_ERR_IO_MISMATCH] = "instruction does not match the I/O exit",
};

const char *lamina_mmio_why(enum vmm_mmio_err err)
{
	if ((unsigned int)err < ARRAY_SIZE(mmio_reason) && mmio_reason[err])
		return mmio_reason[err];
	return "decoder error";
}

void lamina_emulation_failure(struct lamina_vcpu *vcpu, const u8 *bytes,
			      size_t n, u64 info)
{
	struct kvm_run *run = vcpu->run;

	n = min_t(size_t, n, sizeof(run->emulation_failure.insn_bytes));
	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->emulation_failure.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run->emulation_failure.flags = 0;
	/* data[0] flags, data[1..2] insn_size + 15 bytes, data[3] info. */
	run->emulation_failure.ndata = 4;
	/* Unused bytes are NOPs, as KVM fills them. */
	memset(run->emulation_failure.insn_bytes, 0x90,
	       sizeof(run->emulation_failure.insn_bytes));
	run->emulation_failure.insn_size = n;
	if (n) {
		run->emulation_failure.flags =
			KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES;
		memcpy(run->emulation_failure.insn_bytes, bytes, n);
	}
	run->internal.data[3] = info;
}

void lamina_rip_advance(struct lamina_vcpu *vcpu, unsigned int len,
			unsigned int mode)
{
	vcpu->rip += len;
	if (mode != 64)
		vcpu->rip &= 0xffffffff;
}

/*
 * Is this fault an MMIO access lamina emulates? A GPA with no slot, or a
 * write to a read-only slot. Anything else (a fault inside a mapped slot,
 * a guest page walk that reached MMIO, an instruction fetch from MMIO) is
 * not something an MMIO device can answer: NULL, or the reason why not.
 */
static const char *mmio_refuse(struct lamina_vm *vm,
			       const struct vmm_exit_mmio *mm)
{
	u32 idx;
	u64 off;

	if (mm->stage == VMM_EXIT_STAGE_WALK)
		return "guest page-table walk reached MMIO";
	if (mm->fetch)
		return "instruction fetch from MMIO";
	if (vmm_memslot_lookup(&vm->slots, mm->gpa, 1, &idx, &off) !=
	    VMM_MEMSLOT_OK)
		return NULL;
	if (mm->write && (vm->slots.slots[idx].flags & VMM_MEM_READONLY))
		return NULL;
	return "fault at a GPA inside a mapped slot";
}

u64 lamina_mmio_write_value(const struct lamina_vcpu *vcpu,
			    const struct vmm_mmio_insn *insn)
{
	if (insn->has_imm)
		return insn->imm;
	if (insn->high_byte)
		return (vcpu->gprs[insn->reg & 3] >> 8) & 0xff;
	return vcpu->gprs[insn->reg & 15];
}

/* A read whose value arrives in run->mmio.data (lamina_mmio_complete). */
static void mmio_pend_read(struct lamina_vcpu *vcpu,
			   const struct vmm_mmio_insn *insn, u32 mode)
{
	vcpu->mmio = (struct lamina_mmio_pending) {
		.read = true, .reg = insn->reg, .high_byte = insn->high_byte,
		.size = insn->size, .dst_size = insn->dst_size,
		.ext = insn->ext, .len = insn->len, .mode = mode,
	};
}

void lamina_mmio_finish_read(struct lamina_vcpu *vcpu,
			     const struct vmm_mmio_insn *insn, u32 mode, u64 val)
{
	mmio_pend_read(vcpu, insn, mode);
	memset(vcpu->run->mmio.data, 0, sizeof(vcpu->run->mmio.data));
	memcpy(vcpu->run->mmio.data, &val, insn->size);
	lamina_mmio_complete(vcpu);
}

static void mmio_start(struct lamina_vcpu *vcpu, u64 gpa,
		       const struct vmm_mmio_insn *insn, u32 mode)
{
	struct kvm_run *run = vcpu->run;
	u64 val;

	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = gpa;
	run->mmio.len = insn->size;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (insn->dir == VMM_MMIO_WRITE) {
		run->mmio.is_write = 1;
		val = lamina_mmio_write_value(vcpu, insn);
		memcpy(run->mmio.data, &val, insn->size);
		lamina_rip_advance(vcpu, insn->len, mode);
		return;
	}
	run->mmio.is_write = 0;
	mmio_pend_read(vcpu, insn, mode);
}

int lamina_mmio_exit(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	const struct vmm_exit_mmio *mm = &ev->mmio;
	struct lamina_vm *vm = vcpu->vm;
	u8 bytes[VMM_MMIO_MAX_LEN];
	struct lamina_gmem_fault fault = {};
	struct vmm_mmio_insn insn;
	enum vmm_mmio_err err = VMM_MMIO_OK;
	struct lamina_gmode m;
	struct kvm_sregs s;
	const char *why;
	size_t avail = 0;
	u64 la;

	lamina_backend->get_sregs(vcpu, &s);
	lamina_gmode_from_sregs(&m, vcpu, &s);
	la = lamina_gmode_rip_linear(&m, vcpu->rip);
	down_read(&vm->mem_sem);
	why = mmio_refuse(vm, mm);
	if (!why)
		avail = lamina_gmem_fetch(vm, &m, la, bytes, sizeof(bytes),
					  &fault);
	up_read(&vm->mem_sem);

	if (!why && avail)
		err = vmm_mmio_decode(bytes, avail, m.mode, &insn);
	/*
	 * The fetch stopped at a fault before the instruction's end (the
	 * guest changed its tables since the CPU ran it): the guest takes
	 * that fault, as it would from the CPU's own fetch.
	 */
	if (!why && fault.vector &&
	    (!avail || err == VMM_MMIO_ERR_TRUNCATED)) {
		lamina_gmem_raise(vcpu, &fault);
		return 1;
	}
	if (!why && !avail)
		why = "instruction bytes not readable";
	if (!why) {
		if (err != VMM_MMIO_OK)
			why = lamina_mmio_why(err);
		else if (!!mm->write != (insn.dir == VMM_MMIO_WRITE))
			why = "instruction does not match the faulting access";
	}
	if (why) {
		pr_info_ratelimited("lamina: MMIO at GPA 0x%llx, RIP 0x%llx: %s\n",
				    mm->gpa, vcpu->rip, why);
		lamina_emulation_failure(vcpu, bytes, avail, mm->gpa);
		return 0;
	}
	/* The in-kernel LAPIC's page is answered here, not by userspace. */
	if (lamina_lapic_owns(vcpu, mm->gpa))
		return lamina_lapic_mmio(vcpu, mm->gpa, &insn, m.mode);
	/* Then the ioeventfds, as KVM's vcpu_mmio_write(): done here. */
	if (insn.dir == VMM_MMIO_WRITE &&
	    lamina_ioeventfd_write(vm, VMM_UAPI_IOBUS_MMIO, mm->gpa, insn.size,
				   lamina_mmio_write_value(vcpu, &insn))) {
		lamina_rip_advance(vcpu, insn.len, m.mode);
		return 1;
	}
	mmio_start(vcpu, mm->gpa, &insn, m.mode);
	return 0;
}

void lamina_mmio_complete(struct lamina_vcpu *vcpu)
{
	struct lamina_mmio_pending *p = &vcpu->mmio;
	unsigned int bits = 8 * p->size;
	u64 val = 0, *dst, mask;

	if (!p->read)
		return;
	p->read = false;
	memcpy(&val, vcpu->run->mmio.data, p->size);
	if (p->ext == VMM_MMIO_EXT_SIGN && bits < 64)
		val = (u64)((s64)(val << (64 - bits)) >> (64 - bits));
	/* SDM vol. 1, 3.4.1.1: 32-bit results zero-extend, 8/16 merge. */
	if (p->high_byte) {
		dst = &vcpu->gprs[p->reg & 3];
		*dst = (*dst & ~0xff00ULL) | (val & 0xff) << 8;
	} else {
		dst = &vcpu->gprs[p->reg & 15];
		if (p->dst_size >= 8)
			*dst = val;
		else if (p->dst_size == 4)
			*dst = (u32)val;
		else {
			mask = (1ULL << (8 * p->dst_size)) - 1;
			*dst = (*dst & ~mask) | (val & mask);
		}
	}
	lamina_rip_advance(vcpu, p->len, p->mode);
}
