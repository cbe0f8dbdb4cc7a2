// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cpuid.h"
#include "vm.h"

#define MAX_ENTRIES		1024
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)
#define CPUID1_ECX_HYPERVISOR	(1u << 31)
#define CPUID1_EDX_HTT		(1u << 28)

static size_t cpuid_size(unsigned int n)
{
	return sizeof(struct kvm_cpuid2) + n * sizeof(struct kvm_cpuid_entry2);
}

struct kvm_cpuid2 *cpuid_supported(void)
{
	unsigned int n = 64;
	struct kvm_cpuid2 *c;

	for (;;) {
		c = calloc(1, cpuid_size(n));
		if (!c)
			return NULL;
		c->nent = n;
		if (!ioctl(vm.sys_fd, KVM_GET_SUPPORTED_CPUID, c))
			return c;
		free(c);
		if (errno != E2BIG || n >= MAX_ENTRIES) {
			fprintf(stderr, "vmmd: KVM_GET_SUPPORTED_CPUID: %s\n",
				strerror(errno));
			return NULL;
		}
		n *= 2;
	}
}

static unsigned int bits_for(unsigned int n)
{
	unsigned int b = 0;

	while ((1u << b) < n)
		b++;
	return b;
}

struct kvm_cpuid2 *cpuid_for_vcpu(const struct kvm_cpuid2 *base,
				  unsigned int id, unsigned int cpus)
{
	struct kvm_cpuid2 *c = malloc(cpuid_size(base->nent));
	unsigned int i;

	if (!c)
		return NULL;
	memcpy(c, base, cpuid_size(base->nent));
	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		switch (e->function) {
		case 1:
			e->ecx |= CPUID1_ECX_HYPERVISOR;
			if (vm.has_tsc_deadline)
				e->ecx |= CPUID1_ECX_TSC_DEADLINE;
			/* APIC ID, logical CPUs per package, CLFLUSH 64 B. */
			e->ebx = (id << 24) | (cpus << 16) | (8 << 8);
			if (cpus > 1)
				e->edx |= CPUID1_EDX_HTT;
			else
				e->edx &= ~CPUID1_EDX_HTT;
			break;
		case 0xb:
		case 0x1f:
			/* One package of cpus cores, one thread each. */
			if (e->index == 0) {
				e->eax = 0;
				e->ebx = 1;
				e->ecx = (1 << 8) | 0;
			} else if (e->index == 1) {
				e->eax = bits_for(cpus);
				e->ebx = cpus;
				e->ecx = (2 << 8) | 1;
			} else {
				e->eax = e->ebx = 0;
				e->ecx = e->index;
			}
			e->edx = id;
			break;
		case 0x80000008:
			/* AMD: cores per package - 1, and the APIC ID bits for them. */
			e->ecx = (e->ecx & ~0xf0ffu) | (bits_for(cpus) << 12) |
				 (cpus - 1);
			break;
		}
	}
	return c;
}
