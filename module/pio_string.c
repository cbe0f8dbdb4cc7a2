// SPDX-License-Identifier: GPL-2.0-only
/*
 * INS and OUTS (SDM vol. 2A/2B "INS/INSB/INSW/INSD", "OUTS/OUTSB/OUTSW/
 * OUTSD", "REP/REPE/REPZ/REPNE/REPNZ"). libvmm's exit decoder (layer 4)
 * gives the port, size, direction and REP, and the address size and
 * segment when the hardware reports them; the instruction bytes fetched
 * at CS:RIP go to layer 8's vmm_mmio_decode_string_io(), which checks
 * them against that event and says the address size and segment to use
 * (proved; the rule is in libvmm/include/libvmm/mmio.h). Used as is.
 *
 * One exit to userspace moves one batch: as many elements as REP has
 * left, that fit in the PIO data page and that stay inside the guest page
 * of the first element (a single element may straddle two). RSI/RDI and
 * RCX move by the batch at once; RIP stays on the instruction while REP
 * has elements left, so the guest re-executes it for the next batch, as
 * the hardware itself would resume after an interrupt.
 */
#include <linux/kvm.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <asm/processor-flags.h>

#include <libvmm/exit.h>
#include <libvmm/mmio.h>

#include "backend.h"
#include "gmem.h"
#include "lamina.h"
#include "mmio.h"
#include "pio_string.h"

static u8 *pio_page(struct lamina_vcpu *vcpu)
{
	return (u8 *)vcpu->run + LAMINA_PIO_PAGE * PAGE_SIZE;
}

/*
 * Fetch the instruction at CS:RIP and decode it against the exit (layer
 * 8). 0 and *sio; 1 when the guest takes the fetch's fault instead; -1
 * with vcpu->run filled in (an emulation failure, with the reason).
 */
static int pio_decode(struct lamina_vcpu *vcpu, const struct lamina_gmode *m,
		      const struct vmm_exit_io *io,
		      struct vmm_mmio_string_io *sio)
{
	struct lamina_gmem_fault fault = {};
	struct lamina_vm *vm = vcpu->vm;
	enum vmm_mmio_err err = VMM_MMIO_ERR_TRUNCATED;
	u8 b[VMM_MMIO_MAX_LEN];
	size_t n;
	u64 la;

	la = lamina_gmode_rip_linear(m, vcpu->rip);
	n = lamina_gmem_fetch(vm, m, la, b, sizeof(b), &fault);
	if (n)
		err = vmm_mmio_decode_string_io(b, n, m->mode, io, sio);
	if (err == VMM_MMIO_OK)
		return 0;
	/* The guest changed its tables since the CPU fetched the bytes. */
	if (fault.vector && err == VMM_MMIO_ERR_TRUNCATED) {
		lamina_gmem_raise(vcpu, &fault);
		return 1;
	}
	pr_info_ratelimited("lamina: %s at RIP 0x%llx: %s\n",
			    io->in ? "INS" : "OUTS", vcpu->rip,
			    n ? lamina_mmio_why(err) :
				"instruction bytes not readable");
	lamina_emulation_failure(vcpu, b, n, la);
	return -1;
}

/* Write @val to a register used at @bits address size: 16 merges, 32 zero-
 * extends (vol. 1, 3.4.1.1), 64 is all of it. */
static void pio_set_reg(u64 *reg, u64 val, unsigned int bits)
{
	if (bits == 16)
		*reg = (*reg & ~0xffffULL) | (val & 0xffff);
	else if (bits == 32)
		*reg = (u32)val;
	else
		*reg = val;
}

/* How many elements of @size from @la on fit in its guest page. */
static u64 pio_fit(u64 la, unsigned int size, bool down)
{
	u64 off = offset_in_page(la);

	if (off + size > PAGE_SIZE)
		return 1;	/* it straddles: one element, two pages */
	return down ? off / size + 1 : (PAGE_SIZE - off) / size;
}

/*
 * Guest-physical pieces of [la, la + len): at most two pages, each
 * checked for @access as the CPU checks it (-EFAULT: *fault is the
 * exception the guest takes instead, nothing moved).
 */
static int pio_translate(struct lamina_vm *vm, const struct lamina_gmode *m,
			 u64 la, u32 len, enum lamina_gmem_access access,
			 struct lamina_pio_string_pending *p,
			 struct lamina_gmem_fault *fault)
{
	int ret;

	p->len0 = min_t(u64, len, PAGE_SIZE - offset_in_page(la));
	p->gpa[1] = 0;
	ret = lamina_gmem_translate(vm, m, la, access, &p->gpa[0], fault);
	if (!ret && p->len0 < len)
		ret = lamina_gmem_translate(vm, m, la + p->len0, access,
					    &p->gpa[1], fault);
	return ret;
}

/* Element order in the PIO page is I/O order: DF = 1 reverses memory's. */
static void pio_reverse(u8 *data, unsigned int count, unsigned int size)
{
	unsigned int i, j, k;
	u8 t;

	for (i = 0, j = count - 1; i < j; i++, j--)
		for (k = 0; k < size; k++) {
			t = data[i * size + k];
			data[i * size + k] = data[j * size + k];
			data[j * size + k] = t;
		}
}

static int pio_copy(struct lamina_vm *vm, struct lamina_pio_string_pending *p,
		    u8 *data, bool write)
{
	u32 len = p->count * p->size;
	int ret;

	if (write) {
		ret = lamina_gmem_write(vm, p->gpa[0], data, p->len0);
		if (!ret && p->len0 < len)
			ret = lamina_gmem_write(vm, p->gpa[1], data + p->len0,
						len - p->len0);
	} else {
		ret = lamina_gmem_read(vm, p->gpa[0], data, p->len0);
		if (!ret && p->len0 < len)
			ret = lamina_gmem_read(vm, p->gpa[1], data + p->len0,
					       len - p->len0);
	}
	return ret;
}

/* INS: can the whole batch be written (RAM, not read-only)? */
static int pio_check_write(struct lamina_vm *vm,
			   const struct lamina_pio_string_pending *p)
{
	u32 len = p->count * p->size;
	int ret;

	ret = lamina_gmem_check(vm, p->gpa[0], p->len0, true);
	if (!ret && p->len0 < len)
		ret = lamina_gmem_check(vm, p->gpa[1], len - p->len0, true);
	return ret;
}

int lamina_pio_string(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	const struct vmm_exit_io *io = &ev->io;
	struct lamina_pio_string_pending p = { .size = io->size };
	struct lamina_gmem_fault fault = {};
	struct lamina_vm *vm = vcpu->vm;
	struct vmm_mmio_string_io sio;
	unsigned int ptr = io->in ? LAMINA_GPR_RDI : LAMINA_GPR_RSI;
	unsigned int addr_bits;
	bool down = vcpu->rflags & X86_EFLAGS_DF;
	u64 next_rip, amask, total, off, la, low;
	struct lamina_gmode m;
	struct kvm_sregs s;
	struct kvm_run *run = vcpu->run;
	int ret;

	next_rip = ev->next_rip_valid ? ev->next_rip : vcpu->rip + ev->insn_len;
	lamina_backend->get_sregs(vcpu, &s);
	lamina_gmode_from_sregs(&m, vcpu, &s);

	down_read(&vm->mem_sem);
	ret = pio_decode(vcpu, &m, io, &sio);
	if (ret) {
		up_read(&vm->mem_sem);
		return ret > 0;
	}
	addr_bits = sio.addr_bits;
	amask = addr_bits == 64 ? ~0ULL : (1ULL << addr_bits) - 1;
	total = io->rep ? vcpu->gprs[LAMINA_GPR_RCX] & amask : 1;
	if (!total) {
		up_read(&vm->mem_sem);
		vcpu->rip = next_rip;	/* REP with rCX = 0 does nothing */
		return 1;
	}
	off = vcpu->gprs[ptr] & amask;
	la = lamina_gmode_linear(&m, sio.seg, off);
	p.count = min_t(u64, min_t(u64, total, pio_fit(la, p.size, down)),
			PAGE_SIZE / p.size);
	low = down ? la - (u64)(p.count - 1) * p.size : la;
	/* INS writes guest memory, OUTS reads it, both at the guest's CPL. */
	ret = pio_translate(vm, &m, low, p.count * p.size,
			    io->in ? LAMINA_GMEM_WRITE : LAMINA_GMEM_READ, &p,
			    &fault);
	if (!ret)
		ret = io->in ? pio_check_write(vm, &p) :
			       pio_copy(vm, &p, pio_page(vcpu), false);
	up_read(&vm->mem_sem);
	if (ret == -EFAULT) {
		/* Before any port access: RIP, rSI/rDI, rCX stay. */
		lamina_gmem_raise(vcpu, &fault);
		return 1;
	}
	if (ret) {
		pr_info_ratelimited("lamina: %s at linear 0x%llx: guest memory not accessible (%d)\n",
				    io->in ? "INS" : "OUTS", la, ret);
		lamina_emulation_failure(vcpu, NULL, 0, la);
		return 0;
	}
	if (!io->in && down)
		pio_reverse(pio_page(vcpu), p.count, p.size);

	off = down ? off - (u64)p.count * p.size : off + (u64)p.count * p.size;
	pio_set_reg(&vcpu->gprs[ptr], off, addr_bits);
	if (io->rep)
		pio_set_reg(&vcpu->gprs[LAMINA_GPR_RCX], total - p.count,
			    addr_bits);
	if (!io->rep || total == p.count)
		vcpu->rip = next_rip;
	if (io->in) {
		p.ins = true;
		p.reverse = down;
		vcpu->pio_string = p;
	}

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = io->in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = p.size;
	run->io.port = io->port;
	run->io.count = p.count;
	run->io.data_offset = LAMINA_PIO_PAGE * PAGE_SIZE;
	return 0;
}

void lamina_pio_string_complete(struct lamina_vcpu *vcpu)
{
	struct lamina_pio_string_pending *p = &vcpu->pio_string;
	struct lamina_vm *vm = vcpu->vm;
	int ret;

	if (!p->ins)
		return;
	p->ins = false;
	if (p->reverse)
		pio_reverse(pio_page(vcpu), p->count, p->size);
	down_read(&vm->mem_sem);
	ret = pio_copy(vm, p, pio_page(vcpu), true);
	up_read(&vm->mem_sem);
	/* Only if userspace moved or deleted the slot in between. */
	if (ret)
		pr_info_ratelimited("lamina: INS data dropped: guest memory at GPA 0x%llx went away (%d)\n",
				    p->gpa[0], ret);
}
