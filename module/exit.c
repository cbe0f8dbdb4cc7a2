// SPDX-License-Identifier: GPL-2.0-only
/*
 * Act on a decoded exit. Every exit kind has an explicit policy: handled
 * here, returned to userspace as KVM would, or the VM stops with
 * KVM_EXIT_INTERNAL_ERROR carrying the raw code. Nothing is ignored.
 */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>
#include <linux/string.h>
#include <asm/trapnr.h>

#include <libvmm/policy.h>

#include "cpuid.h"
#include "cr.h"
#include "backend.h"
#include "exit.h"
#include "gmem.h"
#include "ioeventfd.h"
#include "irq.h"
#include "lamina.h"
#include "mmio.h"
#include "pio_string.h"
#include "wake.h"

/*
 * The instruction that exited is done: move past it. Its completion ends
 * an STI or MOV-SS shadow, as KVM's skip_emulated_instruction() does.
 */
static void skip_insn(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	if (ev->next_rip_valid)
		vcpu->rip = ev->next_rip;
	else
		vcpu->rip += ev->insn_len;
	vcpu->intr_shadow = 0;
}

/*
 * Skip an instruction whose length the exit may not give: SVM without
 * NRIPS (QEMU's TCG by default) reports neither the next RIP nor the
 * length. The callers' instructions have a fixed encoding (HLT F4; CPUID,
 * RDMSR, WRMSR 0F xx); a prefix on them (meaningless, never emitted by
 * compilers) would make them longer, which KVM's emulator would see and
 * lamina does not.
 */
static void skip_fixed_insn(struct lamina_vcpu *vcpu,
			    const struct vmm_exit_event *ev, u8 len)
{
	if (ev->next_rip_valid || ev->insn_len)
		skip_insn(vcpu, ev);
	else {
		vcpu->rip += len;
		vcpu->intr_shadow = 0;
	}
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

	if (io->string)
		return lamina_pio_string(vcpu, ev);
	/* An OUT an ioeventfd takes is done without userspace. */
	if (!io->in && lamina_ioeventfd_write(vcpu->vm, VMM_UAPI_IOBUS_PIO,
					      io->port, io->size,
					      vcpu->gprs[LAMINA_GPR_RAX])) {
		skip_insn(vcpu, ev);
		return 1;
	}

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

static void exit_complete_pio(struct lamina_vcpu *vcpu)
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

void lamina_exit_complete(struct lamina_vcpu *vcpu)
{
	exit_complete_pio(vcpu);
	lamina_pio_string_complete(vcpu);
	lamina_mmio_complete(vcpu);
}

void lamina_exit_cancel(struct lamina_vcpu *vcpu)
{
	vcpu->pio.in = false;
	vcpu->pio_string.ins = false;
	vcpu->mmio.read = false;
}

/* cr.c may complete the event (register, length): it works on a copy. */
static int exit_cr(struct lamina_vcpu *vcpu, const struct vmm_exit_event *ev)
{
	struct vmm_exit_event full = *ev;

	switch (lamina_cr_exit(vcpu, &full)) {
	case LAMINA_CR_DONE:
		skip_insn(vcpu, &full);
		return 1;
	case LAMINA_CR_DONE_SET_TPR:
		skip_insn(vcpu, &full);
		vcpu->run->exit_reason = KVM_EXIT_SET_TPR;
		return 0;
	case LAMINA_CR_FAULT:
		return 1;
	default:
		return exit_internal_error(vcpu, ev,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	}
}

/*
 * The exceptions the backends intercept, #DB and #AC (their intercept
 * lists say why), go back to the guest as the CPU raised them: the exit
 * in between is what keeps a delivery that faults on itself from holding
 * the host CPU. No other vector is intercepted: one here stops the VM.
 */
static int exit_exception(struct lamina_vcpu *vcpu,
			  const struct vmm_exit_event *ev)
{
	switch (ev->exc.vector) {
	case X86_TRAP_DB:
	case X86_TRAP_AC:
		lamina_reflect_exception(vcpu, &ev->exc);
		return 1;
	default:
		return exit_internal_error(vcpu, ev,
				KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON);
	}
}

/*
 * VMCALL / VMMCALL (3 bytes each). lamina offers no hypercall, and gives
 * kvm.ko's answer to one it does not know (kvm_emulate_hypercall): RAX =
 * -KVM_ENOSYS, or -KVM_EPERM from CPL > 0, only 32 bits of it outside
 * 64-bit mode; the guest goes on. Stopping the VM instead let any guest
 * process end its VM: VMMCALL is not privileged.
 */
static int exit_hypercall(struct lamina_vcpu *vcpu,
			  const struct vmm_exit_event *ev)
{
	struct lamina_gmode m;
	struct kvm_sregs s;
	u64 ret = -KVM_ENOSYS;

	lamina_backend->get_sregs(vcpu, &s);
	lamina_gmode_from_sregs(&m, vcpu, &s);
	if (m.cpl)
		ret = -KVM_EPERM;
	if (m.mode != 64)
		ret = (u32)ret;
	vcpu->gprs[LAMINA_GPR_RAX] = ret;
	skip_fixed_insn(vcpu, ev, 3);
	return 1;
}

void lamina_exit_policy_refused(struct vmm_exit_event *ev, u32 rule)
{
	*ev = (struct vmm_exit_event) {
		.kind = VMM_EXIT_ENTRY_FAILURE,
		.raw = VMM_POLICY_FAIL_ENTRY_REASON | rule,
	};
}

static int exit_fail_entry(struct lamina_vcpu *vcpu,
			   const struct vmm_exit_event *ev)
{
	vcpu->run->exit_reason = KVM_EXIT_FAIL_ENTRY;
	/*
	 * What KVM reports: the whole 32-bit VMX exit-reason field (bit 31
	 * set) or SVM's 32-bit EXITCODE (VMEXIT_INVALID = 0xffffffff), or
	 * lamina's policy check's VMM_POLICY_FAIL_ENTRY_REASON | rule.
	 */
	vcpu->run->fail_entry.hardware_entry_failure_reason = (u32)ev->raw;
	vcpu->run->fail_entry.cpu = vcpu->last_cpu;
	return 0;
}

int lamina_exit_halt(struct lamina_vcpu *vcpu)
{
	/* With a LAPIC the vCPU halts in the kernel (wake.c). */
	if (vcpu->lapic) {
		lamina_vcpu_halt(vcpu);
		return 1;
	}
	vcpu->run->exit_reason = KVM_EXIT_HLT;
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
	case VMM_EXIT_MMIO:
		/* RAM the guest touches first is mapped now (mem.c). */
		ret = lamina_mem_fault(vcpu->vm, ev->mmio.gpa,
				       ev->mmio.write);
		if (!ret)
			ret = lamina_mmio_exit(vcpu, ev);
		break;
	case VMM_EXIT_HLT:
		skip_fixed_insn(vcpu, ev, 1);
		ret = lamina_exit_halt(vcpu);
		break;
	case VMM_EXIT_CPUID:
		lamina_cpuid_exit(vcpu);
		skip_fixed_insn(vcpu, ev, 2);
		ret = 1;
		break;
	case VMM_EXIT_RDMSR:
	case VMM_EXIT_WRMSR:
		/* On #GP the instruction did not complete: RIP stays. */
		if (lamina_msr_exit(vcpu, ev->kind == VMM_EXIT_WRMSR))
			skip_fixed_insn(vcpu, ev, 2);
		ret = 1;
		break;
	case VMM_EXIT_PAUSE:
		/*
		 * A PAUSE loop (VMX PAUSE-loop exiting): the vCPU waits for
		 * another one, which may need this host CPU to get there.
		 */
		skip_fixed_insn(vcpu, ev, 2);
		yield();
		ret = 1;
		break;
	case VMM_EXIT_EXTERNAL_INTERRUPT:
	case VMM_EXIT_NMI:
	case VMM_EXIT_PREEMPTION_TIMER:
		/*
		 * Nothing for the guest: the host took its interrupt when
		 * interrupts came back on, or the backend's bound on one
		 * guest run (vmx_probe.c) ran out. The loop goes on, looking
		 * at signals and rescheduling first.
		 */
		ret = 1;
		break;
	case VMM_EXIT_CR_ACCESS:
		ret = exit_cr(vcpu, ev);
		break;
	case VMM_EXIT_INTERRUPT_WINDOW:
		ret = lamina_irq_window_exit(vcpu);
		break;
	case VMM_EXIT_EXCEPTION:
		ret = exit_exception(vcpu, ev);
		break;
	case VMM_EXIT_HYPERCALL:
		ret = exit_hypercall(vcpu, ev);
		break;
	case VMM_EXIT_DR_ACCESS:
		/*
		 * The guest's first MOV DR: debugreg.c gave it its debug
		 * registers, the intercept goes; the MOV runs again.
		 */
		ret = 1;
		break;
	case VMM_EXIT_SHUTDOWN:
		/* Nothing is delivered to a vCPU that shut down. */
		vcpu->event.valid = false;
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
