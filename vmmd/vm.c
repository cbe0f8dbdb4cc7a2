// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "devmgr.h"
#include "exitcode.h"
#include "ioapic.h"
#include "vm.h"

/* Where KVM keeps its real-mode TSS and identity map: in the 3-4 GiB hole. */
#define KVM_TSS_ADDR		0xfffbd000ULL
#define KVM_IDENTITY_MAP_ADDR	0xfffbc000ULL

struct vm vm = { .sys_fd = -1, .vm_fd = -1 };

struct needed_cap {
	unsigned int cap;
	const char *name;
	const char *why;
};

static const struct needed_cap needed[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY", "guest RAM" },
	{ KVM_CAP_SPLIT_IRQCHIP, "KVM_CAP_SPLIT_IRQCHIP", "LAPICs in the kernel, IOAPIC in vmmd" },
	{ KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI", "IOAPIC interrupts" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID", "KVM_GET_SUPPORTED_CPUID / KVM_SET_CPUID2" },
	{ KVM_CAP_SET_TSS_ADDR, "KVM_CAP_SET_TSS_ADDR", "real-mode TSS (Intel)" },
};

int vm_open(const char *dev, unsigned int cpus)
{
	unsigned int i;
	int r;

	vm.sys_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (vm.sys_fd < 0) {
		fprintf(stderr, "vmmd: cannot open %s: %s\n", dev, strerror(errno));
		return VMMD_EXIT_DEVICE;
	}
	r = ioctl(vm.sys_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API_VERSION) {
		fprintf(stderr, "vmmd: %s speaks KVM API %d, vmmd needs %d\n",
			dev, r, KVM_API_VERSION);
		goto fail;
	}
	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		if (ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, needed[i].cap) <= 0) {
			fprintf(stderr, "vmmd: %s lacks %s (needed for %s)\n",
				dev, needed[i].name, needed[i].why);
			goto fail;
		}
	}
	r = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (r <= 0)
		r = ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (r > 0 && cpus > (unsigned int)r) {
		fprintf(stderr, "vmmd: %s runs at most %d vCPUs; --cpus %u\n",
			dev, r, cpus);
		goto fail;
	}
	vm.run_size = ioctl(vm.sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm.run_size < (int)sizeof(struct kvm_run)) {
		fprintf(stderr, "vmmd: %s: bad KVM_GET_VCPU_MMAP_SIZE %d\n",
			dev, vm.run_size);
		goto fail;
	}
	vm.has_immediate_exit =
		ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_IMMEDIATE_EXIT) > 0;
	vm.has_tsc_deadline =
		ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	return 0;
fail:
	close(vm.sys_fd);
	vm.sys_fd = -1;
	return VMMD_EXIT_DEVICE;
}

static int vm_fail(const char *what)
{
	fprintf(stderr, "vmmd: %s: %s\n", what, strerror(errno));
	return VMMD_EXIT_FAILURE;
}

static int add_slot(unsigned int slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)host,
	};

	return ioctl(vm.vm_fd, KVM_SET_USER_MEMORY_REGION, &r);
}

int vm_create(const struct guest_mem *m)
{
	struct kvm_enable_cap split = {
		.cap = KVM_CAP_SPLIT_IRQCHIP,
		.args[0] = IOAPIC_PINS,	/* GSIs reserved for the IOAPIC */
	};
	uint64_t map_addr = KVM_IDENTITY_MAP_ADDR;

	vm.vm_fd = ioctl(vm.sys_fd, KVM_CREATE_VM, 0);
	if (vm.vm_fd < 0)
		return vm_fail("KVM_CREATE_VM");
	/* Before any vCPU exists, as KVM requires. */
	if (ioctl(vm.vm_fd, KVM_ENABLE_CAP, &split))
		return vm_fail("KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP)");
	if (ioctl(vm.vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_ADDR))
		return vm_fail("KVM_SET_TSS_ADDR");
	/* Optional: only kvm-intel without EPT real mode uses it. */
	if (ioctl(vm.sys_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_IDENTITY_MAP_ADDR) > 0 &&
	    ioctl(vm.vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &map_addr))
		return vm_fail("KVM_SET_IDENTITY_MAP_ADDR");
	if (add_slot(0, 0, m->low_size, m->host))
		return vm_fail("KVM_SET_USER_MEMORY_REGION (below 3 GiB)");
	if (m->size > m->low_size &&
	    add_slot(1, MEM_HIGH_BASE, m->size - m->low_size,
		     m->host + m->low_size))
		return vm_fail("KVM_SET_USER_MEMORY_REGION (above 4 GiB)");
	return 0;
}

void vm_close(void)
{
	if (vm.vm_fd >= 0)
		close(vm.vm_fd);
	if (vm.sys_fd >= 0)
		close(vm.sys_fd);
	vm.vm_fd = vm.sys_fd = -1;
}

void vm_signal_msi(uint32_t addr, uint32_t data)
{
	struct kvm_msi msi = { .address_lo = addr, .data = data };
	static int warned;

	/* 0: the guest blocked it (e.g. a masked LAPIC); not an error. */
	if (ioctl(vm.vm_fd, KVM_SIGNAL_MSI, &msi) < 0 && !warned) {
		warned = 1;
		fprintf(stderr, "vmmd: KVM_SIGNAL_MSI: %s (interrupts are lost)\n",
			strerror(errno));
	}
}

/* The routing table both parts make (vm.h); route_lock guards it. */
struct msi_route {
	unsigned int gsi;
	uint32_t addr, data;
};

static pthread_mutex_t route_lock = PTHREAD_MUTEX_INITIALIZER;
static struct msi_route ioapic_routes[IOAPIC_PINS];
static unsigned int ioapic_nroutes;
static struct msi_route dev_routes[DEVMGR_GSIS];	/* by gsi - DEVMGR_GSI_BASE */
static int dev_routed[DEVMGR_GSIS];

/* Hand the kernel the whole table; called with route_lock held. */
static int commit_routes(void)
{
	static struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[IOAPIC_PINS + DEVMGR_GSIS];
	} t;
	const struct msi_route *r;
	unsigned int i, n = 0;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < ioapic_nroutes + DEVMGR_GSIS; i++) {
		if (i >= ioapic_nroutes && !dev_routed[i - ioapic_nroutes])
			continue;
		r = i < ioapic_nroutes ? &ioapic_routes[i] :
					 &dev_routes[i - ioapic_nroutes];
		t.e[n].gsi = r->gsi;
		t.e[n].type = KVM_IRQ_ROUTING_MSI;
		t.e[n].u.msi.address_lo = r->addr;
		t.e[n].u.msi.data = r->data;
		n++;
	}
	t.hdr.nr = n;
	return ioctl(vm.vm_fd, KVM_SET_GSI_ROUTING, &t);
}

void vm_set_msi_routes(const unsigned int *gsi, const uint32_t *addr,
		       const uint32_t *data, unsigned int n)
{
	static int warned;
	unsigned int i;
	int r;

	pthread_mutex_lock(&route_lock);
	ioapic_nroutes = n < IOAPIC_PINS ? n : IOAPIC_PINS;
	for (i = 0; i < ioapic_nroutes; i++)
		ioapic_routes[i] = (struct msi_route){ gsi[i], addr[i], data[i] };
	r = commit_routes();
	pthread_mutex_unlock(&route_lock);
	/*
	 * Without the routes a level pin gets no EOI exit and its Remote IRR
	 * stays set. No vmmd device drives a level pin (the SCI never
	 * fires), so a device without the ioctl still boots: warn once.
	 */
	if (r && !warned) {
		warned = 1;
		fprintf(stderr, "vmmd: KVM_SET_GSI_ROUTING: %s (no EOI exits for level-triggered IOAPIC pins)\n",
			strerror(errno));
	}
}

int vm_route_msi(unsigned int gsi, uint32_t addr, uint32_t data)
{
	unsigned int i = gsi - DEVMGR_GSI_BASE;
	static int warned;
	int r;

	if (gsi < DEVMGR_GSI_BASE || i >= DEVMGR_GSIS)
		return -1;
	pthread_mutex_lock(&route_lock);
	dev_routes[i] = (struct msi_route){ gsi, addr, data };
	dev_routed[i] = 1;
	r = commit_routes();
	if (r)
		dev_routed[i] = 0;	/* and the table stays what it was */
	pthread_mutex_unlock(&route_lock);
	if (r && !warned++)
		fprintf(stderr, "vmmd: KVM_SET_GSI_ROUTING (GSI %u): %s (MSI-X through KVM_SIGNAL_MSI)\n",
			gsi, strerror(errno));
	return r ? -1 : 0;
}

int vm_irqfd(int efd, unsigned int gsi)
{
	struct kvm_irqfd a = { .fd = (uint32_t)efd, .gsi = gsi };
	static int warned;

	if (!ioctl(vm.vm_fd, KVM_IRQFD, &a))
		return 0;
	if (!warned++)
		fprintf(stderr, "vmmd: KVM_IRQFD (GSI %u): %s (MSI-X through KVM_SIGNAL_MSI)\n",
			gsi, strerror(errno));
	return -1;
}
