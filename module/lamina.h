/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lamina.ko's vendor-neutral objects: the VM and the vCPU.
 *
 * Locking (docs/verification.md lists which libvmm calls need which lock):
 *   vm->lock    serializes KVM_SET_USER_MEMORY_REGION, vCPU creation, and
 *               the writers of the ioeventfd list and
 *               the MSI route table (read under SRCU by the exit path,
 *               vm->ioeventfd_srcu, and by irqfd injection, vm->irq_srcu).
 *               Never taken while a vCPU runs a guest.
 *   vm->irqfd_lock  the irqfd list (irqfd.c; also taken in the eventfd's
 *               wake-up callback, so irq-safe).
 *   vcpu->lock  one ioctl at a time on a vCPU (KVM's rule too).
 * Lifetime: the VM fd and every vCPU fd hold a reference on the VM; the
 * last one frees it, so a vCPU fd outliving its VM fd is fine.
 */
#ifndef LAMINA_H
#define LAMINA_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/kvm.h>
#include <asm/fpu/types.h>

#include <libvmm/memslot.h>
#include <libvmm/uapi.h>

#include "event.h"
#include "gpr.h"
#include "mmio.h"
#include "pio_string.h"
#include "msr.h"

#define LAMINA_MAX_VCPUS 8U

/* The vCPU mmap: page 0 is struct kvm_run, page 1 carries PIO data. */
#define LAMINA_RUN_PAGES 2U
#define LAMINA_PIO_PAGE 1U

struct lamina_backend_ops;
struct vmm_uapi_cpuid_table;

/*
 * The pages pinned for one memory slot so far, indexed by page number in
 * the slot: only what the guest (or emulation) touched (mem.c).
 */
struct lamina_slot_pages {
	struct xarray pages;
};

struct lamina_vm {
	struct kref ref;
	struct mutex lock;
	/*
	 * Held for reading around every guest entry and while pages are
	 * pinned (mem.c, gmem.c); for writing while the slot table or the
	 * second-level page table changes (a slot set, a page mapped on
	 * first access, pages unmapped and unpinned): no vCPU is in the
	 * guest then, as libvmm's page-table layer requires. npt_gen counts
	 * removals of mappings: it tells vCPUs to flush their TLB, and the
	 * fault path that a page it pinned may have gone with its slot.
	 */
	struct rw_semaphore mem_sem;
	u64 npt_gen;
	struct mm_struct *mm;		/* the creator's; slots live there */
	struct vmm_memslot_table slots;
	struct lamina_slot_pages pinned[VMM_MEMSLOT_MAX];
	struct lamina_npt *npt;		/* second-level page table */
	/* Set once under lock, never cleared before the VM is freed. */
	struct lamina_vcpu *vcpus[LAMINA_MAX_VCPUS];
	u64 tss_addr;
	/* Host TSC and wall time at creation: guest TSC 0, kvmclock 0. */
	u64 tsc_epoch;
	u64 wall_epoch_ns;
	/*
	 * KVM_CAP_SPLIT_IRQCHIP (irqchip.c): vCPUs get an in-kernel LAPIC,
	 * the IOAPIC stays in userspace with ioapic_pins GSIs. Set before
	 * any vCPU exists and never changed after.
	 */
	bool split_irqchip;
	u32 ioapic_pins;
	/* Level-triggered vectors the IOAPIC routes: EOI exits to userspace. */
	DECLARE_BITMAP(ioapic_eoi_vectors, 256);
	/* KVM_SET_GSI_ROUTING's MSI routes (irqchip.c): SRCU, vm->lock. */
	struct lamina_msi_routes __rcu *msi_routes;
	struct srcu_struct irq_srcu;
	/* KVM_IOEVENTFD (ioeventfd.c): SRCU readers, writers under vm->lock. */
	struct list_head ioeventfds;
	struct srcu_struct ioeventfd_srcu;
	unsigned int nr_ioeventfds;
	/* KVM_IRQFD (irqfd.c): the active irqfds, under irqfd_lock. */
	spinlock_t irqfd_lock;
	struct list_head irqfds;
};

/* A port I/O exit whose IN data userspace supplies on the next KVM_RUN. */
struct lamina_pio_pending {
	bool in;		/* an IN is waiting for its data */
	u8 size;		/* 1, 2 or 4 */
};

struct lamina_vcpu {
	struct lamina_vm *vm;
	unsigned int id;
	struct mutex lock;
	struct kvm_run *run;		/* LAMINA_RUN_PAGES pages, mmap'd */
	/* Guest registers, GPRs indexed by their x86 encoding. */
	u64 gprs[LAMINA_NR_GPRS];
	u64 rip;
	u64 rflags;
	/* Guest FPU state: the task's during KVM_RUN (vcpu.c). */
	struct fpu_guest guest_fpu;
	struct lamina_pio_pending pio;
	struct lamina_pio_string_pending pio_string;
	struct lamina_mmio_pending mmio;
	/* KVM_SET_CPUID2's table, decoded by libvmm; NULL until then. */
	struct vmm_uapi_cpuid_table *cpuid;
	struct vmm_msr_state msr;	/* MSRs no backend holds (msr.h) */
	u64 kvmclock_wall, kvmclock_time;	/* kvmclock.c's MSRs */
	/* The event of the next entry (event.h); the backend clears it. */
	struct lamina_event event;
	/* A fault while delivering #DF: KVM_EXIT_SHUTDOWN before entering. */
	bool shutdown_pending;
	/* Interrupts (irq.c): shadow, window, and KVM_INTERRUPT's vector. */
	u8 intr_shadow;			/* LAMINA_SHADOW_* (event.h) */
	bool irq_window;		/* arm the interrupt-window exit */
	/*
	 * Something libvmm's injection decision looks at may have changed
	 * since it last ran: the next entry decides again (KVM's
	 * KVM_REQ_EVENT). Otherwise the entry keeps the last decision (its
	 * irq_window; it injected nothing, or this would be set) and skips
	 * it (irq.c, lamina_irq_prepare). Set, through
	 * lamina_irq_recheck(), by every path that changes an input:
	 *  - the IRR, from any context, before the kick (wake.c orders the
	 *    two against the entry): lamina_lapic_accept() (IPIs, MSIs of
	 *    KVM_SIGNAL_MSI, KVM_IRQFD and the userspace IOAPIC's routes)
	 *    and the LAPIC timer's timer_fire() (expiry, a TSC deadline
	 *    written in the past);
	 *  - the ISR and the TPR: a guest write to the APIC page (EOI, TPR
	 *    and the rest, lamina_lapic_mmio), CR8 (lamina_cr8_set: MOV to
	 *    CR8, KVM_SET_SREGS), a LAPIC reset (creation, INIT);
	 *  - userspace: KVM_INTERRUPT, KVM_SET_REGS (RFLAGS.IF), KVM_SET_SREGS
	 *    (interrupt_bitmap, CR8), and a SIPI's new state (wake.c);
	 *  - an interrupt-window exit (lamina_irq_window_exit);
	 *  - an entry that carries an event (injected by the decision, an
	 *    exception, a re-injection): the entry after it decides again;
	 *  - a new vCPU.
	 * Looked at on every entry besides: an event waiting in vcpu->event
	 * (an exception an exit handler queued, a delivery the exit
	 * interrupted: IDT-vectoring information / EXITINTINFO, stored by
	 * the backend) and kvm_run.request_interrupt_window against the
	 * value the last decision saw (user_window_seen).
	 * RFLAGS.IF and the interrupt shadow changing inside the guest need
	 * no set-point: while they block a wanted interrupt the window is
	 * armed, and its exit sets the flag. lamina has no NMI injection,
	 * KVM_NMI, KVM_SET_VCPU_EVENTS, KVM_SET_LAPIC nor LINT pins; each
	 * needs a set-point when it comes.
	 */
	bool event_check;
	bool user_window_seen;
	/*
	 * Debug registers the CPU does not switch (debugreg.c): DR0-DR3,
	 * and DR6 where the backend says so. MOV DR exits while !db_owned.
	 */
	unsigned long db[4], db6;
	bool db_owned;
	bool user_irq_pending;
	u8 user_irq;
	/*
	 * Userspace changed the guest state (or it is new): the backend runs
	 * libvmm's VM-entry checks before the next entry (docs/abi.md).
	 */
	bool state_changed;
	/* CR8 when there is no in-kernel LAPIC (cr.h: lamina_cr8_get). */
	u8 cr8;
	/* In-kernel LAPIC (lapic.h) and run state (wake.h); NULL: none. */
	struct lamina_lapic *lapic;
	wait_queue_head_t wq;		/* a halted / waiting vCPU sleeps here */
	u32 mp_state;			/* KVM_MP_STATE_*, under lapic->lock */
	bool init_pending, sipi_pending;	/* under lapic->lock */
	u8 sipi_vector;
	bool in_guest;			/* between the decision and the exit */
	bool kick_pending;		/* a kick since the last entry */
	int cpu;			/* where in_guest runs */
	int last_cpu;
	u64 npt_gen_seen;
	/* Registered during KVM_RUN: a switch-out puts the host state back. */
	struct preempt_notifier preempt;
	void *vendor;			/* the backend's per-vCPU state */
};


extern const struct lamina_backend_ops *lamina_backend;
/* main.c: test only, a policy rule new vCPUs break (0: none). */
extern unsigned int lamina_test_corrupt_policy;

/* module/vm.c */
int lamina_vm_create(void);
void lamina_vm_put(struct lamina_vm *vm);

/* module/vcpu.c */
int lamina_vcpu_create(struct lamina_vm *vm, unsigned long id);
/* Every vCPU of a VM goes with it (peers may still send them IPIs). */
void lamina_vcpu_free(struct lamina_vcpu *vcpu);

/* module/irqchip.c: the VM ioctls of the split irqchip. */
long lamina_irqchip_enable_cap(struct lamina_vm *vm, void __user *argp);
long lamina_irqchip_signal_msi(struct lamina_vm *vm, void __user *argp);
long lamina_irqchip_set_gsi_routing(struct lamina_vm *vm, void __user *argp);
/*
 * An irqfd fired: deliver @gsi's MSI if the table routes it (under
 * vm->irq_srcu inside). Process context: delivery may start a vCPU.
 */
void lamina_irqchip_inject(struct lamina_vm *vm, u32 gsi);

/* module/uapi_why.c: why libvmm's layer 7 refused an argument, for dmesg. */
const char *lamina_uapi_why(enum vmm_uapi_err err);
/* VM destruction: the route table. */
void lamina_irqchip_free(struct lamina_vm *vm);

/* module/mem.c */
/* Module load: read the host's MAXPHYADDR, the limit of every VM's slots. */
int lamina_mem_init(void);
/* VM creation: an empty slot table with that limit. */
int lamina_mem_vm_init(struct lamina_vm *vm);
int lamina_mem_set_region(struct lamina_vm *vm,
			  const struct kvm_userspace_memory_region *r);
void lamina_mem_release_all(struct lamina_vm *vm);
/*
 * The pinned page behind byte @off of slot @idx, pinned now if it was not
 * yet: ERR_PTR(-EFAULT) when userspace has no page there. mem_sem held
 * (for reading is enough).
 */
struct page *lamina_mem_page(struct lamina_vm *vm, u32 idx, u64 off);
/*
 * An NPF / EPT violation at @gpa: if a slot holds it and it is not mapped,
 * pin and map it. Returns 1 (enter again), 0 (not RAM: the MMIO path), or
 * -EFAULT (no user page) / -ENOMEM (page-table pool exhausted), which
 * KVM_RUN returns. mem_sem not held.
 */
int lamina_mem_fault(struct lamina_vm *vm, u64 gpa, bool write);

/* module/cpu.c */
int lamina_cpus_enable(void);
void lamina_cpus_disable(void);

/*
 * Live object counters (module/main.c), printed at unload and readable in
 * /sys/module/lamina/parameters/: a create/destroy loop must bring them
 * back to zero.
 */
extern atomic_long_t lamina_live_vms, lamina_live_vcpus, lamina_live_pinned;

#endif /* LAMINA_H */
