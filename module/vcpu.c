// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU fd: kvm_run mmap, register ioctls and the KVM_RUN loop.
 */
#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/fpu/api.h>

#include <libvmm/uapi.h>

#include "backend.h"
#include "debugreg.h"
#include "cpuid.h"
#include "cr.h"
#include "exit.h"
#include "irq.h"
#include "lamina.h"
#include "lapic.h"
#include "npt.h"
#include "shadow_hlt.h"
#include "wake.h"

void lamina_vcpu_free(struct lamina_vcpu *vcpu)
{
	lamina_lapic_free(vcpu);
	lamina_backend->vcpu_free(vcpu);
	lamina_cpuid_free(vcpu);
	fpu_free_guest_fpstate(&vcpu->guest_fpu);
	if (vcpu->run)
		free_pages_exact(vcpu->run, LAMINA_RUN_PAGES * PAGE_SIZE);
	kfree(vcpu);
	atomic_long_dec(&lamina_live_vcpus);
}

/*
 * The vCPU itself stays until the VM goes (lamina_vm_free): another
 * vCPU's IPI or an MSI may still name it, as in KVM, where a vCPU lives
 * as long as its VM.
 */
static int lamina_vcpu_release(struct inode *inode, struct file *filp)
{
	struct lamina_vcpu *vcpu = filp->private_data;

	lamina_vm_put(vcpu->vm);
	return 0;
}

static vm_fault_t lamina_vcpu_fault(struct vm_fault *vmf)
{
	struct lamina_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff >= LAMINA_RUN_PAGES)
		return VM_FAULT_SIGBUS;
	page = virt_to_page((u8 *)vcpu->run + vmf->pgoff * PAGE_SIZE);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct lamina_vcpu_vm_ops = {
	.fault = lamina_vcpu_fault,
};

static int lamina_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff + vma_pages(vma) > LAMINA_RUN_PAGES)
		return -EINVAL;
	vma->vm_ops = &lamina_vcpu_vm_ops;
	return 0;
}

/* One guest entry: take the locks an entry needs, then the backend's. */
static int lamina_vcpu_enter(struct lamina_vcpu *vcpu,
			     struct vmm_exit_event *ev)
{
	struct lamina_vm *vm = vcpu->vm;
	bool flush;
	int cpu, ret;

	down_read(&vm->mem_sem);
	/* The vCPU stays on this CPU until the exit is taken. */
	preempt_disable();
	cpu = smp_processor_id();
	flush = vcpu->npt_gen_seen != vm->npt_gen || vcpu->last_cpu != cpu;
	/* From here a kick interrupts this CPU (wake.c), then decide. */
	WRITE_ONCE(vcpu->cpu, cpu);
	WRITE_ONCE(vcpu->in_guest, true);
	WRITE_ONCE(vcpu->kick_pending, false);
	smp_mb();
	lamina_irq_prepare(vcpu);
	lamina_db_before_run(vcpu);
	ret = lamina_backend->run(vcpu, flush, ev);
	lamina_db_after_run(vcpu, ret ? NULL : ev);
	WRITE_ONCE(vcpu->in_guest, false);
	vcpu->last_cpu = cpu;
	vcpu->npt_gen_seen = vm->npt_gen;
	preempt_enable();
	up_read(&vm->mem_sem);
	return ret;
}

static long lamina_vcpu_run_loop(struct lamina_vcpu *vcpu)
{
	struct vmm_exit_event ev;
	long ret;

	lamina_exit_complete(vcpu);
	/* Userspace's "stop before entering" (KVM_CAP_IMMEDIATE_EXIT). */
	if (READ_ONCE(vcpu->run->immediate_exit)) {
		vcpu->run->exit_reason = KVM_EXIT_INTR;
		lamina_irq_report(vcpu);
		return -EINTR;
	}
	for (;;) {
		if (signal_pending(current) || lamina_vcpu_wait_runnable(vcpu)) {
			vcpu->run->exit_reason = KVM_EXIT_INTR;
			ret = -EINTR;
			break;
		}
		if (vcpu->shutdown_pending) {
			vcpu->shutdown_pending = false;
			vcpu->event.valid = false;
			vcpu->run->exit_reason = KVM_EXIT_SHUTDOWN;
			ret = 0;
			break;
		}
		cond_resched();
		/* Never entered under a shadow at a HLT: shadow_hlt.c. */
		if (lamina_shadow_hlt(vcpu)) {
			ret = lamina_exit_halt(vcpu);
			if (ret <= 0)
				break;
			continue;
		}
		ret = lamina_vcpu_enter(vcpu, &ev);
		if (ret)
			break;
		ret = lamina_exit_handle(vcpu, &ev);
		if (ret <= 0)
			break;
	}
	lamina_irq_report(vcpu);
	return ret;
}

/*
 * A backend may leave host state it switched for the guest loaded from
 * one entry to the next (VMX: the SYSCALL MSRs, KERNEL_GS_BASE, the
 * user's segments), as KVM does. That state must never reach another
 * task or userspace: it is put back when the thread is scheduled out
 * (this notifier, registered for the whole KVM_RUN) and before KVM_RUN
 * returns. The next entry loads it again.
 */
static void lamina_vcpu_sched_in(struct preempt_notifier *pn, int cpu)
{
}

static void lamina_vcpu_sched_out(struct preempt_notifier *pn,
				  struct task_struct *next)
{
	lamina_backend->vcpu_put(container_of(pn, struct lamina_vcpu,
					      preempt));
}

static struct preempt_ops lamina_vcpu_preempt_ops = {
	.sched_in = lamina_vcpu_sched_in,
	.sched_out = lamina_vcpu_sched_out,
};

void lamina_vcpu_entry_irqs_off(struct lamina_vcpu *vcpu)
{
	/* The kernel used the FPU since the last entry: load the guest's. */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	lamina_vcpu_kick_check(vcpu);
}

/*
 * The guest's x87/SSE state is the task's FPU state for the whole of
 * KVM_RUN, as in KVM (fpu_swap_kvm_fpstate): loaded once here, it stays
 * in the registers across in-kernel exits. The kernel saves it into the
 * guest's fpstate when the thread is scheduled out or kernel code takes
 * the FPU (TIF_NEED_FPU_LOAD), and the next entry loads it back
 * (lamina_vcpu_entry_irqs_off). The task's own state comes back before
 * KVM_RUN returns; userspace never sees the guest's.
 */
static long lamina_vcpu_run(struct lamina_vcpu *vcpu)
{
	long ret;

	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, true);
	preempt_disable();
	preempt_notifier_register(&vcpu->preempt);
	preempt_enable();
	ret = lamina_vcpu_run_loop(vcpu);
	preempt_disable();
	lamina_backend->vcpu_put(vcpu);
	preempt_notifier_unregister(&vcpu->preempt);
	preempt_enable();
	fpu_swap_kvm_fpstate(&vcpu->guest_fpu, false);
	return ret;
}

static long lamina_vcpu_get_regs(struct lamina_vcpu *vcpu, void __user *argp)
{
	struct kvm_regs r = {
		.rax = vcpu->gprs[0], .rcx = vcpu->gprs[1],
		.rdx = vcpu->gprs[2], .rbx = vcpu->gprs[3],
		.rsp = vcpu->gprs[4], .rbp = vcpu->gprs[5],
		.rsi = vcpu->gprs[6], .rdi = vcpu->gprs[7],
		.r8 = vcpu->gprs[8], .r9 = vcpu->gprs[9],
		.r10 = vcpu->gprs[10], .r11 = vcpu->gprs[11],
		.r12 = vcpu->gprs[12], .r13 = vcpu->gprs[13],
		.r14 = vcpu->gprs[14], .r15 = vcpu->gprs[15],
		.rip = vcpu->rip, .rflags = vcpu->rflags,
	};

	return copy_to_user(argp, &r, sizeof(r)) ? -EFAULT : 0;
}

/* libvmm's twins must have <linux/kvm.h>'s layout: the copy goes in place. */
static_assert(sizeof(struct vmm_uapi_regs) == sizeof(struct kvm_regs));
static_assert(offsetof(struct vmm_uapi_regs, rflags) ==
	      offsetof(struct kvm_regs, rflags));
static_assert(sizeof(struct vmm_uapi_sregs) == sizeof(struct kvm_sregs));
static_assert(offsetof(struct vmm_uapi_sregs, efer) ==
	      offsetof(struct kvm_sregs, efer));
static_assert(offsetof(struct vmm_uapi_sregs, interrupt_bitmap) ==
	      offsetof(struct kvm_sregs, interrupt_bitmap));

static long lamina_vcpu_set_regs(struct lamina_vcpu *vcpu, void __user *argp)
{
	struct vmm_uapi_regs d;
	struct kvm_regs *r = (struct kvm_regs *)&d;

	if (copy_from_user(&d, argp, sizeof(d)))
		return -EFAULT;
	/* Decode (libvmm forces RFLAGS bit 1, as KVM does), then invoke. */
	if (vmm_uapi_decode_regs(&d) != VMM_UAPI_OK)
		return -EINVAL;
	vcpu->gprs[0] = r->rax; vcpu->gprs[1] = r->rcx;
	vcpu->gprs[2] = r->rdx; vcpu->gprs[3] = r->rbx;
	vcpu->gprs[4] = r->rsp; vcpu->gprs[5] = r->rbp;
	vcpu->gprs[6] = r->rsi; vcpu->gprs[7] = r->rdi;
	vcpu->gprs[8] = r->r8; vcpu->gprs[9] = r->r9;
	vcpu->gprs[10] = r->r10; vcpu->gprs[11] = r->r11;
	vcpu->gprs[12] = r->r12; vcpu->gprs[13] = r->r13;
	vcpu->gprs[14] = r->r14; vcpu->gprs[15] = r->r15;
	vcpu->rip = r->rip;
	vcpu->rflags = r->rflags;
	lamina_irq_recheck(vcpu);	/* RFLAGS.IF */
	/* New registers cancel an IN waiting for its data (KVM does too). */
	lamina_exit_cancel(vcpu);
	vcpu->state_changed = true;
	return 0;
}

static long lamina_vcpu_get_sregs(struct lamina_vcpu *vcpu, void __user *argp)
{
	struct kvm_sregs s;

	memset(&s, 0, sizeof(s));
	lamina_backend->get_sregs(vcpu, &s);
	s.cr8 = lamina_cr8_get(vcpu);
	/* The architectural default, not the stored MSR (docs/abi.md). */
	s.apic_base = vmm_msr_apic_base_reset(vcpu->id == 0);
	lamina_irq_get_bitmap(vcpu, &s);
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

/*
 * What a guest may set in CR4 and EFER on this host, and its physical
 * address width, for libvmm's sregs rules: the architectural bits the
 * host CPU has, never VMXE/SVME (the backends own those).
 */
void lamina_sregs_caps(struct vmm_uapi_sregs_caps *caps)
{
	u64 cr4 = X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | X86_CR4_DE |
		  X86_CR4_PSE | X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |
		  X86_CR4_PCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;

	if (boot_cpu_has(X86_FEATURE_FSGSBASE))
		cr4 |= X86_CR4_FSGSBASE;
	if (boot_cpu_has(X86_FEATURE_PCID))
		cr4 |= X86_CR4_PCIDE;
	if (boot_cpu_has(X86_FEATURE_SMEP))
		cr4 |= X86_CR4_SMEP;
	if (boot_cpu_has(X86_FEATURE_SMAP))
		cr4 |= X86_CR4_SMAP;
	memset(caps, 0, sizeof(*caps));
	caps->cr4_allowed = cr4;
	caps->efer_allowed = vmm_msr_efer_allowed(boot_cpu_has(X86_FEATURE_NX));
	caps->maxphyaddr = clamp_t(u32, boot_cpu_data.x86_phys_bits, 32, 52);
}

static long lamina_vcpu_set_sregs(struct lamina_vcpu *vcpu, void __user *argp)
{
	struct vmm_uapi_sregs_caps caps;
	struct vmm_uapi_sregs_valid d;
	enum vmm_uapi_err err;
	long ret;

	memset(&d, 0, sizeof(d));
	if (copy_from_user(&d.sregs, argp, sizeof(d.sregs)))
		return -EFAULT;
	lamina_sregs_caps(&caps);
	err = vmm_uapi_decode_sregs(&d, &caps);
	if (err != VMM_UAPI_OK) {
		pr_info_ratelimited("lamina: KVM_SET_SREGS: rule %d of libvmm/include/libvmm/uapi.h fails\n",
				    err);
		return -EINVAL;
	}
	ret = lamina_backend->set_sregs(vcpu,
					(const struct kvm_sregs *)&d.sregs);
	if (ret)
		return ret;
	lamina_cr8_set(vcpu, d.sregs.cr8);
	vcpu->state_changed = true;
	lamina_irq_set_pending(vcpu, d.pending_irq);
	return 0;
}

static long lamina_vcpu_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct lamina_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	long ret;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	if (mutex_lock_killable(&vcpu->lock))
		return -EINTR;
	switch (cmd) {
	case KVM_RUN:
		ret = arg ? -EINVAL : lamina_vcpu_run(vcpu);
		break;
	case KVM_GET_REGS:
		ret = lamina_vcpu_get_regs(vcpu, argp);
		break;
	case KVM_SET_REGS:
		ret = lamina_vcpu_set_regs(vcpu, argp);
		break;
	case KVM_GET_SREGS:
		ret = lamina_vcpu_get_sregs(vcpu, argp);
		break;
	case KVM_SET_SREGS:
		ret = lamina_vcpu_set_sregs(vcpu, argp);
		break;
	case KVM_INTERRUPT:
		ret = lamina_irq_ioctl_interrupt(vcpu, argp);
		break;
	case KVM_SET_CPUID2:
		ret = lamina_cpuid_set(vcpu, argp);
		break;
	case KVM_GET_CPUID2:
		ret = lamina_cpuid_get(vcpu, argp);
		break;
	case KVM_GET_MSRS:
	case KVM_SET_MSRS:
		ret = lamina_msr_ioctl(vcpu, argp, cmd == KVM_SET_MSRS);
		break;
	case KVM_GET_MP_STATE:
		ret = lamina_vcpu_get_mp_state(vcpu, argp);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&vcpu->lock);
	return ret;
}

static const struct file_operations lamina_vcpu_fops = {
	.owner = THIS_MODULE,
	.release = lamina_vcpu_release,
	.unlocked_ioctl = lamina_vcpu_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = lamina_vcpu_mmap,
	.llseek = noop_llseek,
};

static struct lamina_vcpu *lamina_vcpu_alloc(struct lamina_vm *vm,
					     unsigned int id)
{
	struct lamina_vcpu *vcpu;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;
	atomic_long_inc(&lamina_live_vcpus);
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->last_cpu = -1;
	vcpu->cpu = -1;
	vcpu->state_changed = true;
	vcpu->event_check = true;
	mutex_init(&vcpu->lock);
	preempt_notifier_init(&vcpu->preempt, &lamina_vcpu_preempt_ops);
	vcpu->db6 = DR6_RESERVED;	/* the reset value, 0xffff0ff0 */
	/*
	 * _exact: each page has its own refcount, so the fault handler can
	 * hand out either one (a plain order-1 block's second page has none).
	 */
	vcpu->run = alloc_pages_exact(LAMINA_RUN_PAGES * PAGE_SIZE,
				      GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	/* x87/SSE as after RESET: FCW 0x37f, MXCSR 0x1f80 (init_fpstate). */
	if (!vcpu->run || !fpu_alloc_guest_fpstate(&vcpu->guest_fpu) ||
	    lamina_backend->vcpu_create(vcpu, lamina_npt_root(vm->npt)) ||
	    (vm->split_irqchip && lamina_lapic_create(vcpu))) {
		lamina_vcpu_free(vcpu);
		return NULL;
	}
	lamina_vcpu_wake_init(vcpu);
	lamina_msr_reset(vcpu);
	return vcpu;
}

/* KVM_CREATE_VCPU: returns the new vCPU's fd. */
int lamina_vcpu_create(struct lamina_vm *vm, unsigned long id)
{
	struct lamina_vcpu *vcpu;
	int fd;

	if (id >= LAMINA_MAX_VCPUS) {
		pr_info_ratelimited("lamina: KVM_CREATE_VCPU: id %lu >= %u\n",
				    id, LAMINA_MAX_VCPUS);
		return -EINVAL;
	}
	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		return -EEXIST;
	}
	vcpu = lamina_vcpu_alloc(vm, id);
	if (!vcpu) {
		mutex_unlock(&vm->lock);
		return -ENOMEM;
	}
	kref_get(&vm->ref);
	fd = anon_inode_getfd("lamina-vcpu", &lamina_vcpu_fops, vcpu,
			      O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		mutex_unlock(&vm->lock);
		lamina_vcpu_free(vcpu);
		lamina_vm_put(vm);
		return fd;
	}
	/* Published for lapic_ipi.c's lockless walk. */
	smp_store_release(&vm->vcpus[id], vcpu);
	mutex_unlock(&vm->lock);
	return fd;
}
