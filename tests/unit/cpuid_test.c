// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for libvmm layer 12: lamina's CPUID policy. What is
 * offered for a given host (allowlists, clamped maxima, leaves beyond the
 * host's maximum, the PV leaves), when a table may replace another, the
 * answer of a CPUID exit (entry, KVM's out-of-range fallback per class
 * and vendor, topology leaves, none) and the feature queries, including
 * NULL pointers and tables layer 7 would not have accepted.
 */
#include <string.h>

#include <libvmm/cpuid.h>

#include "tap.h"

static struct vmm_cpuid_host host;
static struct vmm_uapi_cpuid_entry2 out[VMM_CPUID_OFFER_MAX];

/* A host whose every leaf answers @fill, with the given maxima. */
static void host_reset(vmm_u32 fill, vmm_u32 max_basic, vmm_u32 max_ext)
{
	unsigned int s;

	for (s = 0; s < VMM_CPUID_HOST_LEAVES; s++) {
		host.leaf[s].eax = fill;
		host.leaf[s].ebx = fill;
		host.leaf[s].ecx = fill;
		host.leaf[s].edx = fill;
	}
	host.leaf[0].eax = max_basic;
	host.leaf[3].eax = max_ext;
}

/* What module/cpuid.c does: every slot in order, the offered ones kept. */
static vmm_u32 supported(void)
{
	vmm_u32 s, n = 0;

	for (s = 0; s < VMM_CPUID_OFFER_MAX; s++)
		if (vmm_cpuid_offer(&host, s, &out[n]))
			n++;
	return n;
}

static const struct vmm_uapi_cpuid_entry2 *find(vmm_u32 n, vmm_u32 f)
{
	vmm_u32 k;

	for (k = 0; k < n; k++)
		if (out[k].function == f)
			return &out[k];
	return NULL;
}

static void host_functions(void)
{
	static const vmm_u32 want[VMM_CPUID_HOST_LEAVES] = {
		0, 1, 7, 0x80000000U, 0x80000001U, 0x80000002U, 0x80000003U,
		0x80000004U, 0x80000005U, 0x80000006U, 0x80000007U,
		0x80000008U,
	};
	vmm_u32 s;

	for (s = 0; s < VMM_CPUID_HOST_LEAVES; s++)
		CHECK_EQ(vmm_cpuid_host_function(s), want[s]);
	CHECK_EQ(vmm_cpuid_host_function(VMM_CPUID_HOST_LEAVES), 0);
	CHECK_EQ(vmm_cpuid_host_function(0xFFFFFFFFU), 0);
}

static void offer_null(void)
{
	struct vmm_uapi_cpuid_entry2 e;
	vmm_u32 s;

	host_reset(~0U, 0xd, 0x80000021U);
	memset(&e, 0xAB, sizeof(e));
	CHECK_EQ(vmm_cpuid_offer(NULL, 0, &e), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_offer(&host, 0, NULL), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_offer(NULL, VMM_CPUID_HOST_LEAVES, &e), VMM_FALSE);
	/* Past the last slot: nothing, *e untouched. */
	for (s = VMM_CPUID_OFFER_MAX; s < VMM_CPUID_OFFER_MAX + 3; s++)
		CHECK_EQ(vmm_cpuid_offer(&host, s, &e), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_offer(&host, 0xFFFFFFFFU, &e), VMM_FALSE);
	CHECK_EQ(e.function, 0xABABABABU);
	/* A slot the host does not have: nothing, *e untouched. */
	host_reset(~0U, 1, 0x80000000U);
	CHECK_EQ(vmm_cpuid_offer(&host, 2, &e), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_offer(&host, 4, &e), VMM_FALSE);
	CHECK_EQ(e.eax, 0xABABABABU);
}

/* An all-ones host: each offered register is exactly its allowlist. */
static void supported_allowlists(void)
{
	const struct vmm_uapi_cpuid_entry2 *e;
	vmm_u32 n = 0, k;

	host_reset(~0U, 0xd, 0x80000021U);
	memset(out, 0xAB, sizeof(out));
	n = supported();
	CHECK_EQ(n, VMM_CPUID_OFFER_MAX);
	e = find(n, 0);
	CHECK(e && e->eax == VMM_CPUID_MAX_BASIC && e->ebx == ~0U);
	e = find(n, 1);
	CHECK(e && e->ebx == 0xFFFFU && e->edx == VMM_CPUID_LEAF1_EDX &&
	      e->ecx == (VMM_CPUID_LEAF1_ECX | VMM_CPUID_1_ECX_HYPERVISOR));
	CHECK(e && !(e->ecx & VMM_CPUID_1_ECX_X2APIC) &&
	      !(e->ecx & VMM_CPUID_1_ECX_TSC_DEADLINE));
	e = find(n, 7);
	CHECK(e && e->flags == VMM_CPUID_FLAG_SIGNIFCANT_INDEX &&
	      e->eax == 0 && e->ebx == VMM_CPUID_LEAF7_EBX && e->ecx == 0 &&
	      e->edx == 0);
	e = find(n, 0x80000000U);
	CHECK(e && e->eax == VMM_CPUID_MAX_EXT);
	e = find(n, 0x80000001U);
	CHECK(e && e->ebx == 0 && e->ecx == VMM_CPUID_EXT1_ECX &&
	      e->edx == VMM_CPUID_EXT1_EDX);
	CHECK(e && (e->edx & VMM_CPUID_EXT1_EDX_GBPAGES));
	/* AMD's mirror of leaf 1's EDX, plus its own bits. */
	CHECK_EQ(VMM_CPUID_EXT1_EDX & ~0x24500800U,
		 VMM_CPUID_LEAF1_EDX & 0x0183F3FFU);
	e = find(n, 0x80000007U);
	CHECK(e && !e->eax && !e->ebx && !e->ecx && !e->edx);
	e = find(n, 0x80000008U);
	CHECK(e && e->eax == 0xFFFFU && !e->ebx && !e->ecx && !e->edx);
	e = find(n, 0x40000000U);
	CHECK(e && e->eax == 0x40000001U &&
	      !memcmp(&e->ebx, "KVMKVMKVM\0\0\0", 12));
	e = find(n, 0x40000001U);
	CHECK(e && e->eax == ((1U << 3) | (1U << 24)) && !e->ebx);
	for (k = 0; k < n; k++) {
		CHECK_EQ(out[k].index, 0);
		CHECK(!out[k].padding[0] && !out[k].padding[1] &&
		      !out[k].padding[2]);
		CHECK(out[k].flags == 0 || out[k].function == 7);
	}
	/* Host order, then the PV leaves. */
	CHECK_EQ(out[0].function, 0);
	CHECK_EQ(out[11].function, 0x80000008U);
	CHECK_EQ(out[12].function, 0x40000000U);
}

/* A host with random bits: nothing offered that the host lacks. */
static void supported_within_host(void)
{
	vmm_u32 n = 0, k, s, x = 0x12345678U;

	for (s = 0; s < VMM_CPUID_HOST_LEAVES; s++) {
		x = x * 1103515245U + 12345U;
		host.leaf[s].eax = x;
		x = x * 1103515245U + 12345U;
		host.leaf[s].ebx = x;
		x = x * 1103515245U + 12345U;
		host.leaf[s].ecx = x;
		x = x * 1103515245U + 12345U;
		host.leaf[s].edx = x;
	}
	host.leaf[0].eax = 0x16;
	host.leaf[3].eax = 0x80000008U;
	n = supported();
	CHECK_EQ(n, VMM_CPUID_OFFER_MAX);
	for (k = 0; k < VMM_CPUID_HOST_LEAVES; k++) {
		const struct vmm_cpuid_regs *h = &host.leaf[k];

		CHECK_EQ(out[k].function, vmm_cpuid_host_function(k));
		if (k != 0 && k != 3)
			CHECK_EQ(out[k].eax & ~h->eax, 0);
		CHECK_EQ(out[k].ebx & ~h->ebx, 0);
		if (k == 1)
			CHECK_EQ(out[k].ecx & ~(h->ecx & VMM_CPUID_LEAF1_ECX),
				 VMM_CPUID_1_ECX_HYPERVISOR);
		else
			CHECK_EQ(out[k].ecx & ~h->ecx, 0);
		CHECK_EQ(out[k].edx & ~h->edx, 0);
	}
	CHECK_EQ(out[1].edx & ~VMM_CPUID_LEAF1_EDX, 0);
	CHECK_EQ(out[2].ebx & ~VMM_CPUID_LEAF7_EBX, 0);
	CHECK_EQ(out[4].ecx & ~VMM_CPUID_EXT1_ECX, 0);
	CHECK_EQ(out[4].edx & ~VMM_CPUID_EXT1_EDX, 0);
}

/* Leaves past the host's maximum are left out; maxima are the host's. */
static void supported_small_host(void)
{
	vmm_u32 n = 0;

	host_reset(~0U, 1, 0x80000004U);
	n = supported();
	CHECK_EQ(n, 2 + 5 + VMM_CPUID_PV_LEAVES);
	CHECK(find(n, 7) == NULL);
	CHECK(find(n, 0x80000005U) == NULL);
	CHECK(find(n, 0) && find(n, 0)->eax == 1);
	CHECK(find(n, 0x80000000U) && find(n, 0x80000000U)->eax == 0x80000004U);

	/* No extended leaves at all (max below 80000000H). */
	host_reset(~0U, 0, 0x1234U);
	n = supported();
	CHECK_EQ(n, 1 + VMM_CPUID_PV_LEAVES);
	CHECK_EQ(out[0].function, 0);
	CHECK_EQ(out[0].eax, 0);
	CHECK_EQ(out[1].function, 0x40000000U);
}

/* ---- KVM_SET_CPUID2 after the first run ---------------------------------- */

static struct vmm_uapi_cpuid_table ta, tb;

static void ent(struct vmm_uapi_cpuid_table *t, vmm_u32 f, vmm_u32 i,
		vmm_u32 flags, vmm_u32 a, vmm_u32 b, vmm_u32 c, vmm_u32 d)
{
	struct vmm_uapi_cpuid_entry2 *e = &t->entries[t->nent++];

	memset(e, 0, sizeof(*e));
	e->function = f;
	e->index = i;
	e->flags = flags;
	e->eax = a;
	e->ebx = b;
	e->ecx = c;
	e->edx = d;
}

static void two_tables(void)
{
	memset(&ta, 0, sizeof(ta));
	ent(&ta, 0, 0, 0, 0xd, 0x756e6547U, 0x6c65746eU, 0x49656e69U);
	ent(&ta, 1, 0, 0, 0x906ea, 0x800, 0x80200000U, 0x178bfbffU);
	ent(&ta, 7, 0, 1, 0, 0x219c0389U, 0, 0);
	ta.maxphyaddr = 36;
	tb = ta;
}

static void may_replace(void)
{
	vmm_u32 *f;
	unsigned int k;

	two_tables();
	CHECK_EQ(vmm_cpuid_may_replace(&ta, NULL, VMM_TRUE), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_may_replace(&ta, NULL, VMM_FALSE), VMM_FALSE);
	/* Before the first run anything decoded goes. */
	tb.entries[1].ecx ^= 1;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_FALSE), VMM_TRUE);
	CHECK_EQ(vmm_cpuid_may_replace(NULL, &tb, VMM_FALSE), VMM_TRUE);
	/* After it: the same table only. */
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_FALSE);
	two_tables();
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_TRUE);
	/* Padding is not compared (KVM does not). */
	tb.entries[2].padding[1] = 5;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_TRUE);
	/* Each compared field, one at a time. */
	for (k = 0; k < 7; k++) {
		two_tables();
		f = &tb.entries[2].function + k;
		*f ^= 0x10;
		CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_FALSE);
	}
	two_tables();
	tb.nent--;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_FALSE);
	/* No table yet: only an empty one. */
	CHECK_EQ(vmm_cpuid_may_replace(NULL, &tb, VMM_TRUE), VMM_FALSE);
	tb.nent = 0;
	CHECK_EQ(vmm_cpuid_may_replace(NULL, &tb, VMM_TRUE), VMM_TRUE);
	/* Not a decoded table: never "the same", and nothing past entries[]. */
	two_tables();
	ta.nent = tb.nent = VMM_CPUID_MAX_ENTRIES + 1;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_FALSE);
	ta.nent = tb.nent = VMM_CPUID_MAX_ENTRIES;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_TRUE);
	tb.entries[VMM_CPUID_MAX_ENTRIES - 1].edx = 1;
	CHECK_EQ(vmm_cpuid_may_replace(&ta, &tb, VMM_TRUE), VMM_FALSE);
}

/* ---- CPUID exits --------------------------------------------------------- */

static struct vmm_cpuid_regs r;

static enum vmm_cpuid_source ask(const struct vmm_uapi_cpuid_table *t,
				 vmm_u32 f, vmm_u32 i)
{
	memset(&r, 0xCD, sizeof(r));
	return vmm_cpuid_answer(t, f, i, &r);
}

#define REGS(a, b, c, d) \
	(r.eax == (a) && r.ebx == (b) && r.ecx == (c) && r.edx == (d))

/* An Intel-like table: basic max 0xd, ext max 0x80000008, PV max 0x40000001. */
static void intel_table(vmm_u32 vendor_ebx)
{
	memset(&ta, 0, sizeof(ta));
	ent(&ta, 0, 0, 0, 0xd, vendor_ebx, 2, 3);
	ent(&ta, 1, 0, 0, 0x11, 0x12, 0x13, 0x14);
	ent(&ta, 4, 0, 1, 0x40, 0x41, 0x42, 0x43);
	ent(&ta, 4, 1, 1, 0x44, 0x45, 0x46, 0x47);
	ent(&ta, 0xb, 0, 1, 0xb0, 0xb1, 0xb2, 0xb3);
	ent(&ta, 0xb, 1, 1, 0xb4, 0xb5, 0x1b6, 0xb7);
	ent(&ta, 0xd, 0, 1, 0xd0, 0xd1, 0xd2, 0xd3);
	ent(&ta, 0xd, 5, 1, 0xd5, 0xd6, 0xd7, 0xd8);
	ent(&ta, 0x40000000U, 0, 0, 0x40000001U, 1, 2, 3);
	ent(&ta, 0x80000000U, 0, 0, 0x80000008U, 0, 0, 0);
	ent(&ta, 0x80000008U, 0, 0, 0x3028, 0, 0, 0);
	ta.maxphyaddr = 40;
}

static void answer_entry(void)
{
	intel_table(0x756e6547U);
	CHECK_EQ(ask(&ta, 1, 0), VMM_CPUID_SRC_ENTRY);
	CHECK(REGS(0x11, 0x12, 0x13, 0x14));
	/* No significant index: every index reads the entry. */
	CHECK_EQ(ask(&ta, 1, 0x99), VMM_CPUID_SRC_ENTRY);
	CHECK(REGS(0x11, 0x12, 0x13, 0x14));
	CHECK_EQ(ask(&ta, 4, 1), VMM_CPUID_SRC_ENTRY);
	CHECK(REGS(0x44, 0x45, 0x46, 0x47));
	CHECK_EQ(ask(&ta, 0x80000008U, 3), VMM_CPUID_SRC_ENTRY);
	CHECK(REGS(0x3028, 0, 0, 0));
}

static void answer_fallback(void)
{
	intel_table(0x756e6547U);
	/* Basic class, above 0xd: leaf 0xd with the index as given. */
	CHECK_EQ(ask(&ta, 0x20, 5), VMM_CPUID_SRC_MAX_BASIC);
	CHECK(REGS(0xd5, 0xd6, 0xd7, 0xd8));
	CHECK_EQ(ask(&ta, 0x3FFFFFFFU, 0), VMM_CPUID_SRC_MAX_BASIC);
	CHECK(REGS(0xd0, 0xd1, 0xd2, 0xd3));
	/* ... and no (0xd, index) entry: nothing. */
	CHECK_EQ(ask(&ta, 0x20, 6), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
	/* Within the basic range but missing: zeros, no fallback. */
	CHECK_EQ(ask(&ta, 4, 2), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
	CHECK_EQ(ask(&ta, 2, 0), VMM_CPUID_SRC_NONE);
	/* Extended class: above 0x80000008. */
	CHECK_EQ(ask(&ta, 0x80000009U, 0), VMM_CPUID_SRC_MAX_BASIC);
	CHECK(REGS(0xd0, 0xd1, 0xd2, 0xd3));
	CHECK_EQ(ask(&ta, 0x80000005U, 0), VMM_CPUID_SRC_NONE);
	/* PV class, by 256-leaf range: 0x40000000's EAX is its maximum. */
	CHECK_EQ(ask(&ta, 0x40000002U, 0), VMM_CPUID_SRC_MAX_BASIC);
	CHECK_EQ(ask(&ta, 0x40000001U, 0), VMM_CPUID_SRC_NONE);
	/* A PV range with no class leaf at all: out of range. */
	CHECK_EQ(ask(&ta, 0x40000100U, 0), VMM_CPUID_SRC_MAX_BASIC);
	/* 0x50000000 .. 0x7FFFFFFF belong to the basic class. */
	CHECK_EQ(ask(&ta, 0x50000000U, 5), VMM_CPUID_SRC_MAX_BASIC);
	CHECK(REGS(0xd5, 0xd6, 0xd7, 0xd8));
	/* Centaur class without its leaf: out of range. */
	CHECK_EQ(ask(&ta, 0xC0000001U, 0), VMM_CPUID_SRC_MAX_BASIC);
	/* Leaf 0 missing: no fallback. */
	ta.entries[0].function = 0x99;
	CHECK_EQ(ask(&ta, 0x20, 5), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
}

static void answer_amd_hygon(void)
{
	intel_table(0x68747541U);	/* AuthenticAMD */
	CHECK_EQ(ask(&ta, 0x20, 5), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
	CHECK_EQ(ask(&ta, 0x80000009U, 0), VMM_CPUID_SRC_NONE);
	intel_table(0x6f677948U);	/* HygonGenuine */
	CHECK_EQ(ask(&ta, 0x20, 5), VMM_CPUID_SRC_NONE);
	intel_table(0x68747540U);	/* one bit off: Intel-like */
	CHECK_EQ(ask(&ta, 0x20, 5), VMM_CPUID_SRC_MAX_BASIC);
}

static void answer_topology(void)
{
	intel_table(0x756e6547U);
	/* 0xb index 7: past the last level, ECX[7:0] = index, EDX kept. */
	CHECK_EQ(ask(&ta, 0xb, 7), VMM_CPUID_SRC_TOPOLOGY);
	CHECK(REGS(0, 0, 7, 0xb7));
	CHECK_EQ(ask(&ta, 0xb, 0x1234), VMM_CPUID_SRC_TOPOLOGY);
	CHECK(REGS(0, 0, 0x34, 0xb7));
	/* 0x1f has no subleaf 1 here: zeros. */
	CHECK_EQ(ask(&ta, 0x1f, 7), VMM_CPUID_SRC_NONE);
	/* Above basic max 0xd, the fallback comes first. */
	ent(&ta, 0x1f, 1, 1, 1, 2, 3, 0x1f7);
	CHECK_EQ(ask(&ta, 0x1f, 5), VMM_CPUID_SRC_MAX_BASIC);
	CHECK(REGS(0xd5, 0xd6, 0xd7, 0xd8));
	CHECK_EQ(ask(&ta, 0x1f, 7), VMM_CPUID_SRC_TOPOLOGY);
	CHECK(REGS(0, 0, 7, 0x1f7));
}

static void answer_no_table(void)
{
	CHECK_EQ(ask(NULL, 0, 0), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
	/* Not a decoded table (nent > 256): nothing is read, zeros. */
	intel_table(0x756e6547U);
	ta.nent = VMM_CPUID_MAX_ENTRIES + 1;
	CHECK_EQ(ask(&ta, 1, 0), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
	/* Empty table. */
	ta.nent = 0;
	CHECK_EQ(ask(&ta, 1, 0), VMM_CPUID_SRC_NONE);
	CHECK(REGS(0, 0, 0, 0));
}

/* ---- queries ------------------------------------------------------------- */

static void features(void)
{
	intel_table(0x756e6547U);
	CHECK_EQ(vmm_cpuid_has_feature(NULL, VMM_CPUID_FEAT_X2APIC), VMM_FALSE);
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_X2APIC), VMM_FALSE);
	ta.entries[1].ecx |= VMM_CPUID_1_ECX_X2APIC;
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_X2APIC), VMM_TRUE);
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_TSC_DEADLINE),
		 VMM_FALSE);
	ta.entries[1].ecx = VMM_CPUID_1_ECX_TSC_DEADLINE;
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_TSC_DEADLINE),
		 VMM_TRUE);
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_X2APIC), VMM_FALSE);
	/* No 0x80000001 entry; then one without and with Page1GB. */
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_GBPAGES), VMM_FALSE);
	ent(&ta, 0x80000001U, 0, 0, 0, 0, 0, ~VMM_CPUID_EXT1_EDX_GBPAGES);
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_GBPAGES), VMM_FALSE);
	ta.entries[ta.nent - 1].edx = VMM_CPUID_EXT1_EDX_GBPAGES;
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_GBPAGES), VMM_TRUE);
	/* An unknown feature is never offered. */
	CHECK_EQ(vmm_cpuid_has_feature(&ta, (enum vmm_cpuid_feature)7),
		 VMM_FALSE);
	/* No fallback for queries: leaf 1 missing reads "no". */
	ta.entries[1].function = 2;
	CHECK_EQ(vmm_cpuid_has_feature(&ta, VMM_CPUID_FEAT_TSC_DEADLINE),
		 VMM_FALSE);
}

static void maxphyaddr(void)
{
	intel_table(0x756e6547U);
	CHECK_EQ(vmm_cpuid_maxphyaddr(NULL), VMM_MAXPHYADDR_DEFAULT);
	CHECK_EQ(vmm_cpuid_maxphyaddr(&ta), 40);
}

static const struct tap_case cases[] = {
	TAP_CASE(host_functions),
	TAP_CASE(offer_null),
	TAP_CASE(supported_allowlists),
	TAP_CASE(supported_within_host),
	TAP_CASE(supported_small_host),
	TAP_CASE(may_replace),
	TAP_CASE(answer_entry),
	TAP_CASE(answer_fallback),
	TAP_CASE(answer_amd_hygon),
	TAP_CASE(answer_topology),
	TAP_CASE(answer_no_table),
	TAP_CASE(features),
	TAP_CASE(maxphyaddr),
};

int main(void)
{
	return tap_run("unit/cpuid", cases, TAP_COUNT(cases));
}
