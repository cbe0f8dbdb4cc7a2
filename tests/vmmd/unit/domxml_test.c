// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain XML parser: what it accepts, each refusal with its code and
 * the name of what was wrong, units as libvirt scales them, the checks
 * against the host, and the round trip (format, parse, format: same text).
 */
#include <stdlib.h>
#include <string.h>

#include "domxml.h"
#include "tap.h"

#define HEAD "<domain type='lamina'><name>t</name>"
#define MEM "<memory unit='MiB'>64</memory>"
#define OS "<os><type>hvm</type><kernel>/k</kernel></os>"
#define TAIL "</domain>"

static const char full[] =
	"<?xml version='1.0'?>\n"
	"<!-- a comment -->\n"
	"<domain type='lamina'>\n"
	"  <name>full-1.0_x+y</name>\n"
	"  <uuid>0123456789abcdef0123456789ABCDEF</uuid>\n"
	"  <title>A &lt;title&gt;</title>\n"
	"  <description>line 1\nline 2 &amp; &#233;</description>\n"
	"  <memory unit='GiB'>1</memory>\n"
	"  <currentMemory unit='MiB'>512</currentMemory>\n"
	"  <vcpu placement='static'>4</vcpu>\n"
	"  <os>\n"
	"    <type arch='x86_64'>hvm</type>\n"
	"    <kernel>/boot/vmlinuz</kernel>\n"
	"    <initrd>/boot/initrd.img</initrd>\n"
	"    <cmdline>console=ttyS0 root=/dev/vda \"quoted\"</cmdline>\n"
	"  </os>\n"
	"  <on_poweroff>destroy</on_poweroff>\n"
	"  <on_reboot>destroy</on_reboot>\n"
	"  <on_crash>restart</on_crash>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='raw'/>\n"
	"      <source file='/var/lib/a b.img'/>\n"
	"      <target dev='vda' bus='virtio'/>\n"
	"    </disk>\n"
	"    <disk type='file'><source file='/ro.img'/><target dev='vdb'/><readonly/></disk>\n"
	"    <interface type='ethernet'><mac address='52:54:00:12:34:56'/><target dev='tap-1'/></interface>\n"
	"    <interface type='ethernet'/>\n"
	"    <serial type='pty'><target port='0'/></serial>\n"
	"    <console type='pty'><target type='serial' port='0'/></console>\n"
	"  </devices>\n"
	"</domain>\n";

static struct dom_def *parse(const char *xml, struct verr *err)
{
	struct dom_def *def = NULL;

	memset(err, 0, sizeof(*err));
	if (domxml_parse(xml, strlen(xml), &def, err))
		return NULL;
	return def;
}

static void test_full(void)
{
	struct verr err;
	struct dom_def *d = parse(full, &err);

	CHECK(d != NULL);
	if (!d) {
		printf("# %s\n", err.msg);
		return;
	}
	CHECK(!strcmp(d->name, "full-1.0_x+y"));
	CHECK_EQ(d->uuid[0], 0x01);
	CHECK_EQ(d->uuid[15], 0xef);
	CHECK(!strcmp(d->title, "A <title>"));
	CHECK(!strcmp(d->description, "line 1\nline 2 & \xc3\xa9"));
	CHECK_EQ(d->mem_kib, 1048576);
	CHECK_EQ(d->cur_mem_kib, 524288);
	CHECK_EQ(d->vcpus, 4);
	CHECK(!strcmp(d->kernel, "/boot/vmlinuz"));
	CHECK(!strcmp(d->initrd, "/boot/initrd.img"));
	CHECK(!strcmp(d->cmdline, "console=ttyS0 root=/dev/vda \"quoted\""));
	CHECK_EQ(d->on_poweroff, DOM_ACTION_DESTROY);
	CHECK_EQ(d->on_reboot, DOM_ACTION_DESTROY);
	CHECK_EQ(d->on_crash, DOM_ACTION_RESTART);
	CHECK_EQ(d->ndisks, 2);
	CHECK(!strcmp(d->disks[0].path, "/var/lib/a b.img") && !d->disks[0].readonly);
	CHECK(!strcmp(d->disks[1].target, "vdb") && d->disks[1].readonly);
	CHECK_EQ(d->nnics, 2);
	CHECK(!strcmp(d->nics[0].ifname, "tap-1") && d->nics[0].mac[5] == 0x56);
	CHECK(d->nics[1].ifname == NULL && d->nics[1].mac[0] == 0x52);	/* generated */
	CHECK(d->serial_pty && d->console_pty);
	dom_def_free(d);
}

/* Defaults: one vCPU, currentMemory = memory, a generated v4 uuid, libvirt's actions. */
static void test_minimal(void)
{
	struct verr err;
	struct dom_def *a = parse(HEAD MEM OS TAIL, &err);
	struct dom_def *b = parse(HEAD MEM OS TAIL, &err);

	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK_EQ(a->vcpus, 1);
	CHECK_EQ(a->cur_mem_kib, a->mem_kib);
	CHECK_EQ(a->uuid[6] >> 4, 4);
	CHECK(memcmp(a->uuid, b->uuid, 16) != 0);
	CHECK_EQ(a->on_reboot, DOM_ACTION_RESTART);
	CHECK(a->initrd == NULL && a->cmdline == NULL && a->title == NULL);
	dom_def_free(a);
	dom_def_free(b);
}

static void test_round_trip(void)
{
	struct verr err;
	struct dom_def *d = parse(full, &err), *again;
	char *x1, *x2;

	CHECK(d != NULL);
	if (!d)
		return;
	x1 = domxml_format(d);
	again = x1 ? parse(x1, &err) : NULL;
	CHECK(again != NULL);
	x2 = again ? domxml_format(again) : NULL;
	CHECK(x1 && x2 && !strcmp(x1, x2));
	CHECK(again && !memcmp(again->uuid, d->uuid, 16));
	CHECK(again && !memcmp(again->nics[1].mac, d->nics[1].mac, 6));
	if (x1 && x2 && strcmp(x1, x2))
		printf("# first:\n%s\n# second:\n%s\n", x1, x2);
	free(x1);
	free(x2);
	dom_def_free(again);
	dom_def_free(d);
}

struct bad {
	const char *xml;
	int code;
	const char *says;	/* the message names this */
};

static const struct bad bads[] = {
	{ "<domain", VERR_XML_ERROR, "malformed" },
	{ "", VERR_XML_ERROR, "malformed" },
	{ "<domain type='lamina'><name>t</name></domain><x/>", VERR_XML_ERROR, "malformed" },
	{ "<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>" HEAD MEM OS
	  "<title>&e;</title>" TAIL, VERR_XML_ERROR, "DOCTYPE" },
	{ "<!DOCTYPE domain>" HEAD MEM OS TAIL, VERR_XML_ERROR, "DOCTYPE" },
	{ HEAD MEM OS "<title>&undefined;</title>" TAIL, VERR_XML_ERROR, "malformed" },
	{ "<domani type='lamina'/>", VERR_XML_ERROR, "<domani>" },
	{ "<domain><name>t</name>" MEM OS TAIL, VERR_XML_ERROR, "type='lamina'" },
	{ "<domain type='kvm'><name>t</name>" MEM OS TAIL, VERR_CONFIG_UNSUPPORTED, "'kvm'" },
	{ "<domain type='lamina' id='3'><name>t</name>" MEM OS TAIL, VERR_CONFIG_UNSUPPORTED, "'id'" },
	{ HEAD MEM OS "<features/>" TAIL, VERR_CONFIG_UNSUPPORTED, "<features>" },
	{ HEAD MEM OS "<devices><video/></devices>" TAIL, VERR_CONFIG_UNSUPPORTED, "<video>" },
	{ HEAD "<memory unit='MiB' dumpCore='on'>64</memory>" OS TAIL, VERR_CONFIG_UNSUPPORTED, "'dumpCore'" },
	{ "<domain type='lamina' xmlns:q='urn:q'><name q:x='1'>t</name>" MEM OS TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'q:x'" },
	{ HEAD "<name>u</name>" MEM OS TAIL, VERR_XML_ERROR, "<name> given more than once" },
	{ "<domain type='lamina'>" MEM OS TAIL, VERR_XML_ERROR, "needs <name>" },
	{ HEAD OS TAIL, VERR_XML_ERROR, "needs <memory>" },
	{ HEAD MEM TAIL, VERR_XML_ERROR, "needs <os>" },
	{ HEAD MEM "<os><type>hvm</type></os>" TAIL, VERR_XML_ERROR, "<kernel>" },
	{ HEAD MEM "<os><type>xen</type><kernel>/k</kernel></os>" TAIL, VERR_CONFIG_UNSUPPORTED, "'xen'" },
	{ HEAD MEM "<os><type arch='aarch64'>hvm</type><kernel>/k</kernel></os>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'aarch64'" },
	{ HEAD MEM "<os><type machine='pc'>hvm</type><kernel>/k</kernel></os>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'machine'" },
	{ HEAD MEM "<os><type>hvm</type><kernel>/k</kernel><boot dev='hd'/></os>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "<boot>" },
	{ HEAD MEM "<os><type>hvm</type><kernel>vmlinuz</kernel></os>" TAIL, VERR_INVALID_ARG, "absolute" },
	{ "<domain type='lamina'><name>bad/name</name>" MEM OS TAIL, VERR_INVALID_ARG, "bad/name" },
	{ "<domain type='lamina'><name>.hidden</name>" MEM OS TAIL, VERR_INVALID_ARG, ".hidden" },
	{ "<domain type='lamina'><name></name>" MEM OS TAIL, VERR_INVALID_ARG, "domain name" },
	{ "<domain type='lamina'><name>n\xc3\xa9</name>" MEM OS TAIL, VERR_INVALID_ARG, "domain name" },
	{ "<domain type='lamina'><name>a23456789012345678901234567890123456789012345678901234567890123456</name>"
	  MEM OS TAIL, VERR_INVALID_ARG, "domain name" },
	{ HEAD "<uuid>not-a-uuid</uuid>" MEM OS TAIL, VERR_INVALID_ARG, "not-a-uuid" },
	{ HEAD "<uuid>01234567-89ab-cdef-0123-456789abcdeg</uuid>" MEM OS TAIL, VERR_INVALID_ARG, "uuid" },
	{ HEAD "<memory>0</memory>" OS TAIL, VERR_INVALID_ARG, "<memory> 0 KiB" },
	{ HEAD "<memory unit='KiB'>16383</memory>" OS TAIL, VERR_INVALID_ARG, "at least 16 MiB" },
	{ HEAD "<memory unit='PiB'>2</memory>" OS TAIL, VERR_INVALID_ARG, "out of range" },
	{ HEAD "<memory unit='EiB'>99</memory>" OS TAIL, VERR_INVALID_ARG, "overflows" },
	{ HEAD "<memory unit='MiB'>-5</memory>" OS TAIL, VERR_INVALID_ARG, "'-5'" },
	{ HEAD "<memory unit='MiB'>5x</memory>" OS TAIL, VERR_INVALID_ARG, "'5x'" },
	{ HEAD "<memory unit='MiB'>99999999999999999999999</memory>" OS TAIL, VERR_INVALID_ARG, "out of range" },
	{ HEAD "<memory unit='furlong'>64</memory>" OS TAIL, VERR_INVALID_ARG, "'furlong'" },
	{ HEAD "<memory unit='Mi'>64</memory>" OS TAIL, VERR_INVALID_ARG, "'Mi'" },
	{ HEAD MEM "<currentMemory unit='MiB'>65</currentMemory>" OS TAIL, VERR_INVALID_ARG, "<currentMemory>" },
	{ HEAD MEM "<vcpu>0</vcpu>" OS TAIL, VERR_INVALID_ARG, "<vcpu> 0" },
	{ HEAD MEM "<vcpu>65</vcpu>" OS TAIL, VERR_INVALID_ARG, "<vcpu> 65" },
	{ HEAD MEM "<vcpu placement='auto'>1</vcpu>" OS TAIL, VERR_CONFIG_UNSUPPORTED, "'auto'" },
	{ HEAD MEM "<vcpu current='1'>2</vcpu>" OS TAIL, VERR_CONFIG_UNSUPPORTED, "'current'" },
	{ HEAD MEM OS "<on_crash>preserve</on_crash>" TAIL, VERR_CONFIG_UNSUPPORTED, "preserve" },
	{ HEAD MEM OS "<title>two\nlines</title>" TAIL, VERR_INVALID_ARG, "<title>" },
	{ HEAD MEM OS "<title><b>x</b></title>" TAIL, VERR_XML_ERROR, "<title>" },
	{ HEAD MEM "text" OS TAIL, VERR_XML_ERROR, "<domain>" },
	{ HEAD MEM OS "<devices><disk type='block'><source dev='/dev/sda'/><target dev='vda'/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'block'" },
	{ HEAD MEM OS "<devices><disk type='file' device='cdrom'><source file='/a'/><target dev='vda'/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'cdrom'" },
	{ HEAD MEM OS "<devices><disk type='file'><driver name='qemu' type='qcow2'/><source file='/a'/><target dev='vda'/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'qcow2'" },
	{ HEAD MEM OS "<devices><disk type='file'><source file='/a'/><target dev='sda' bus='virtio'/></disk></devices>" TAIL,
	  VERR_INVALID_ARG, "'sda'" },
	{ HEAD MEM OS "<devices><disk type='file'><source file='/a'/><target dev='vda' bus='scsi'/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'scsi'" },
	{ HEAD MEM OS "<devices><disk type='file'><source file='/a'/><target dev='vda'/></disk>"
	  "<disk type='file'><source file='/b'/><target dev='vda'/></disk></devices>" TAIL,
	  VERR_INVALID_ARG, "two disks" },
	{ HEAD MEM OS "<devices><disk type='file'><target dev='vda'/></disk></devices>" TAIL, VERR_XML_ERROR, "<source" },
	{ HEAD MEM OS "<devices><disk type='file'><source file='/a'/><target dev='vda'/><shareable/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "<shareable>" },
	{ HEAD MEM OS "<devices><disk type='file'><source file='/a'/><target dev='vda'/><readonly x='1'/></disk></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'x'" },
	{ HEAD MEM OS "<devices><interface type='bridge'/></devices>" TAIL, VERR_CONFIG_UNSUPPORTED, "'bridge'" },
	{ HEAD MEM OS "<devices><interface type='ethernet'><mac address='01:00:00:00:00:01'/></interface></devices>" TAIL,
	  VERR_INVALID_ARG, "multicast" },
	{ HEAD MEM OS "<devices><interface type='ethernet'><mac address='52:54:00:zz:00:01'/></interface></devices>" TAIL,
	  VERR_INVALID_ARG, "mac address" },
	{ HEAD MEM OS "<devices><interface type='ethernet'><model type='virtio'/></interface></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "<model>" },
	{ HEAD MEM OS "<devices><interface type='ethernet'><target dev='a/b'/></interface></devices>" TAIL,
	  VERR_INVALID_ARG, "'a/b'" },
	{ HEAD MEM OS "<devices><serial type='file'/></devices>" TAIL, VERR_CONFIG_UNSUPPORTED, "'file'" },
	{ HEAD MEM OS "<devices><serial type='pty'/><serial type='pty'/></devices>" TAIL, VERR_CONFIG_UNSUPPORTED, "one <serial>" },
	{ HEAD MEM OS "<devices><serial type='pty'><target port='1'/></serial></devices>" TAIL, VERR_CONFIG_UNSUPPORTED, "port='1'" },
	{ HEAD MEM OS "<devices><console type='pty'><target type='virtio'/></console></devices>" TAIL,
	  VERR_CONFIG_UNSUPPORTED, "'virtio'" },
};

static void test_refused(void)
{
	struct dom_def *d;
	struct verr err;
	unsigned int i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		d = parse(bads[i].xml, &err);
		CHECK(d == NULL);
		CHECK_EQ(err.code, bads[i].code);
		CHECK(strstr(err.msg, bads[i].says) != NULL);
		if (getenv("SHOW") || d || err.code != bads[i].code || !strstr(err.msg, bads[i].says))
			printf("# case %u: code %d, \"%s\"\n", i, err.code, err.msg);
		CHECK(strchr(err.msg, '\n') == NULL);	/* virsh adds its own */
		dom_def_free(d);
	}
}

static void test_units(void)
{
	static const struct {
		const char *unit, *value;
		uint64_t kib;
	} t[] = {
		{ NULL, "16384", 16384 }, { "KiB", "16384", 16384 },
		{ "k", "16384", 16384 }, { "K", "16384", 16384 },
		{ "b", "16777216", 16384 }, { "bytes", "16777217", 16385 },
		{ "KB", "17000", 16602 }, { "M", "16", 16384 },
		{ "MiB", "16", 16384 }, { "mib", "16", 16384 },
		{ "MB", "17", 16602 }, { "G", "1", 1048576 },
		{ "GiB", "2", 2097152 }, { "GB", "1", 976563 },
		{ "T", "1", 1073741824 }, { "TiB", "1", 1073741824 },
	};
	struct dom_def *d;
	struct verr err;
	char xml[512];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].unit)
			snprintf(xml, sizeof(xml), HEAD "<memory unit='%s'>%s</memory>" OS TAIL,
				 t[i].unit, t[i].value);
		else
			snprintf(xml, sizeof(xml), HEAD "<memory>%s</memory>" OS TAIL,
				 t[i].value);
		d = parse(xml, &err);
		CHECK(d != NULL);
		if (d)
			CHECK_EQ(d->mem_kib, t[i].kib);
		else
			printf("# %s %s: %s\n", t[i].value, t[i].unit, err.msg);
		dom_def_free(d);
	}
}

static void test_host_checks(void)
{
	struct dom_def *d;
	struct verr err;

	d = parse(HEAD MEM "<os><type>hvm</type><kernel>/proc/self/exe</kernel></os>" TAIL, &err);
	CHECK(d && dom_def_check_host(d, 1U << 20, &err) == 0);
	CHECK(d && dom_def_check_host(d, 1000, &err) == -1 && strstr(err.msg, "host's RAM"));
	dom_def_free(d);
	d = parse(HEAD MEM "<os><type>hvm</type><kernel>/nonexistent/vmlinuz</kernel></os>" TAIL, &err);
	CHECK(d && dom_def_check_host(d, 1U << 20, &err) == -1 &&
	      strstr(err.msg, "/nonexistent/vmlinuz") && err.code == VERR_INVALID_ARG);
	dom_def_free(d);
	d = parse(HEAD MEM "<os><type>hvm</type><kernel>/proc</kernel></os>" TAIL, &err);
	CHECK(d && dom_def_check_host(d, 1U << 20, &err) == -1 && strstr(err.msg, "not a regular file"));
	dom_def_free(d);
	d = parse(HEAD MEM "<os><type>hvm</type><kernel>/proc/self/exe</kernel>"
		  "<initrd>/nonexistent/initrd</initrd></os>" TAIL, &err);
	CHECK(d && dom_def_check_host(d, 1U << 20, &err) == -1 && strstr(err.msg, "initrd"));
	dom_def_free(d);
	d = parse(HEAD MEM "<os><type>hvm</type><kernel>/proc/self/exe</kernel></os><devices>"
		  "<disk type='file'><source file='/nonexistent/disk'/><target dev='vda'/></disk>"
		  "</devices>" TAIL, &err);
	CHECK(d && dom_def_check_host(d, 1U << 20, &err) == -1 && strstr(err.msg, "/nonexistent/disk"));
	dom_def_free(d);
}

static void test_size_limit(void)
{
	size_t n = DOMXML_MAX + 1;
	char *big = malloc(n + 1);
	struct dom_def *d = NULL;
	struct verr err;

	memset(big, ' ', n);
	big[n] = '\0';
	CHECK(domxml_parse(big, n, &d, &err) == -1 && strstr(err.msg, "larger than"));
	free(big);
}

static void test_names(void)
{
	CHECK(dom_name_valid("a"));
	CHECK(dom_name_valid("_x.y+z-1"));
	CHECK(dom_name_valid("0123"));
	CHECK(!dom_name_valid(""));
	CHECK(!dom_name_valid("-a"));
	CHECK(!dom_name_valid(".a"));
	CHECK(!dom_name_valid("a b"));
	CHECK(!dom_name_valid("a/b"));
	CHECK(!dom_name_valid("a'b"));
}

static const struct tap_case cases[] = {
	TAP_CASE(test_full),
	TAP_CASE(test_minimal),
	TAP_CASE(test_round_trip),
	TAP_CASE(test_refused),
	TAP_CASE(test_units),
	TAP_CASE(test_host_checks),
	TAP_CASE(test_size_limit),
	TAP_CASE(test_names),
};

int main(void)
{
	return tap_run("vmmd/domxml", cases, TAP_COUNT(cases));
}
