// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

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

void vm_set_msi_routes(const unsigned int *gsi, const uint32_t *addr,
		       const uint32_t *data, unsigned int n)
{
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[IOAPIC_PINS];
	} t;
	static int warned;
	unsigned int i;

	memset(&t, 0, sizeof(t));
	t.hdr.nr = n;
	for (i = 0; i < n && i < IOAPIC_PINS; i++) {
		t.e[i].gsi = gsi[i];
		t.e[i].type = KVM_IRQ_ROUTING_MSI;
		t.e[i].u.msi.address_lo = addr[i];
		t.e[i].u.msi.data = data[i];
	}
	/*
	 * Without the routes a level pin gets no EOI exit and its Remote IRR
	 * stays set. No vmmd device drives a level pin (the SCI never
	 * fires), so a device without the ioctl still boots: warn once.
	 */
	if (ioctl(vm.vm_fd, KVM_SET_GSI_ROUTING, &t) && !warned) {
		warned = 1;
		fprintf(stderr, "vmmd: KVM_SET_GSI_ROUTING: %s (no EOI exits for level-triggered IOAPIC pins)\n",
			strerror(errno));
	}
}
