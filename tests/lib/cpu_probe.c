// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <cpuid.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "cpu_probe.h"

#define RFLAGS_AC (1ULL << 18)

static volatile sig_atomic_t ac_raised;

/* The load is "mov (%rdx), %eax" (8b 02): step over it, AC off. */
static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	ucontext_t *uc = uctx;

	(void)sig;
	ac_raised = si->si_code == BUS_ADRALN;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_EFL] &= ~RFLAGS_AC;
}

int test_cpu_raises_ac(void)
{
	static unsigned char buf[16] __attribute__((aligned(16)));
	struct sigaction sa, old;
	unsigned int val;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, &old);
	ac_raised = 0;
	/* RFLAGS.AC is bit 18 (0x40000). */
	/* Below the red zone: this function's locals may live there. */
	asm volatile("lea -128(%%rsp), %%rsp\n\t"
		     "pushfq\n\t"
		     "orq $0x40000, (%%rsp)\n\t"
		     "popfq\n\t"
		     ".byte 0x8b, 0x02\n\t"	/* mov (%%rdx), %%eax */
		     "pushfq\n\t"
		     "andq $~0x40000, (%%rsp)\n\t"
		     "popfq\n\t"
		     "lea 128(%%rsp), %%rsp"
		     : "=a" (val)
		     : "d" (buf + 1)
		     : "memory", "cc");
	(void)val;
	sigaction(SIGBUS, &old, NULL);
	return ac_raised;
}

int test_cpu_is_qemu_tcg(void)
{
	unsigned int eax, sig[3];

	/* CPUID.1:ECX bit 31: a hypervisor; its leaves start at 0x40000000. */
	__cpuid(1, eax, sig[0], sig[1], sig[2]);
	if (!(sig[1] & (1U << 31)))
		return 0;
	__cpuid(0x40000000, eax, sig[0], sig[1], sig[2]);
	return !memcmp(sig, "TCGTCGTCGTCG", 12);
}
