// SPDX-License-Identifier: GPL-2.0-only
/*
 * Act on a decoded exit. Every exit kind has an explicit policy: handled
 * here, returned to userspace as KVM would, or the VM stops with
 * KVM_EXIT_INTERNAL_ERROR carrying the raw code. Nothing is ignored.
 */
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/string.h>

#include "cpuid.h"
#include "exit.h"
#include "lamina.h"

/* The instruction that exited is done: move past it. */
static void skip_insn(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	if (ev->next_rip_valid)
		vcpu->rip = ev->next_rip;
	else
		vcpu->rip += ev->insn_len;
}

/*
 * CPUID, RDMSR, WRMSR: SVM without NRIPS (QEMU's TCG by default) gives
 * neither the next RIP nor the length. They are the two bytes 0F xx; a
 * prefix (meaningless on them, never emitted by compilers) would make the
 * instruction longer, which KVM's emulator would see and lamina does not.
 */
static void skip_0f_insn(struct lamina_vcpu *vcpu,
			 const struct vmm_exit_event *ev)
{
	if (ev->next_rip_valid || ev->insn_len)
		skip_insn(vcpu, ev);
	else
		vcpu->rip += 2;
}

static int exit_internal_error(struct lamina_vcpu *vcpu,
			       const struct vmm_exit_event *ev, u32 suberror)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 3;
	run->internal.data[0] = ev->raw;
	run->internal.data[1] = ev->kind;
	run->internal.data[2] = ev->bad;
	return 0;
}

static void *pio_data(struct lamina_vcpu *vcpu)
{
	return (u8 *)vcpu->run + LAMINA_PIO_PAGE * PAGE_SIZE;
}

static int exit_io(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	const struct vmm_exit_io *io = &ev->io;
	struct kvm_run *run = vcpu->run;

	/* INS/OUTS need guest-virtual memory access: not supported yet. */
	if (io->string)
		return exit_internal_error(vcpu, ev,
					   KVM_INTERNAL_ERROR_EMULATION);

	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = io->in ? KVM_EXIT_IO_IN : KVM_EXIT_IO_OUT;
	run->io.size = io->size;
	run->io.port = io->port;
	run->io.count = 1;
	run->io.data_offset = LAMINA_PIO_PAGE * PAGE_SIZE;
	if (io->in) {
		vcpu->pio.in = true;
		vcpu->pio.size = io->size;
	} else {
		memcpy(pio_data(vcpu), &vcpu->gprs[LAMINA_GPR_RAX], io->size);
	}
	skip_insn(vcpu, ev);
	return 0;
}

void lamina_exit_complete_pio(struct lamina_vcpu *vcpu)
{
	u64 *rax = &vcpu->gprs[LAMINA_GPR_RAX];
	u32 val = 0;

	if (!vcpu->pio.in)
		return;
	vcpu->pio.in = false;
	memcpy(&val, pio_data(vcpu), vcpu->pio.size);
	/* IN AL/AX keeps the rest of RAX; IN EAX zero-extends, as in hardware. */
	if (vcpu->pio.size == 4)
		*rax = val;
	else
		*rax = (*rax & ~((1ULL << (8 * vcpu->pio.size)) - 1)) | val;
}

static int exit_fail_entry(struct lamina_vcpu *vcpu,
			   const struct vmm_exit_event *ev)
{
	vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	vcpu->run->fail_entry.hardware_entry_failure_reason = ev->entry.hw_reason;
	vcpu->run->fail_entry.cpu = vcpu->last_cpu;
	return 0;
}

int lamina_exit_handle(struct lamina_vcpu *vcpu,
		       const struct vmm_exit_event *ev)
{
	int ret;

	switch (ev->kind) {
	case VMM_EXIT_IO:
		ret = exit_io(vcpu, ev);
		break;
	case VMM_EXIT_HLT:
		skip_insn(vcpu, ev);
		vcpu->run->exit_reason = KVM_EXIT_HLT;
		ret = 0;
		break;
	case VMM_EXIT_CPUID:
		lamina_cpuid_exit(vcpu);
		skip_0f_insn(vcpu, ev);
		ret = 1;
		break;
	case VMM_EXIT_RDMSR:
	case VMM_EXIT_WRMSR:
		/* On #GP the instruction did not complete: RIP stays. */
		if (lamina_msr_exit(vcpu, ev->kind == VMM_EXIT_WRMSR))
			skip_0f_insn(vcpu, ev);
		ret = 1;
		break;
	case VMM_EXIT_EXTERNAL_INTERRUPT:
	case VMM_EXIT_NMI:
		/* The host took it when interrupts came back on: go on. */
		ret = 1;
		break;
	case VMM_EXIT_SHUTDOWN:
		vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
		ret = 0;
		break;
	case VMM_EXIT_ENTRY_FAILURE:
	case VMM_EXIT_INVALID_STATE:
		ret = exit_fail_entry(vcpu, ev);
		break;
	default:
		ret = exit_internal_error(vcpu, ev,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
		break;
	}
	return ret;
}
