// SPDX-License-Identifier: GPL-2.0-only
/*
 * The state directory: what define and undefine leave on disk, what a
 * daemon start loads, and what it skips (a corrupt file, a file whose
 * name is not its domain's, two files with one uuid) without failing.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "domxml.h"
#include "store.h"
#include "tap.h"
#include "testctl.h"

#define UUID_A "aaaaaaaa-0000-4000-8000-000000000001"
#define UUID_B "bbbbbbbb-0000-4000-8000-000000000002"

static void xml(char *buf, size_t n, const char *name, const char *uuid)
{
	snprintf(buf, n,
		 "<domain type='lamina'><name>%s</name><uuid>%s</uuid>"
		 "<memory unit='MiB'>64</memory><os><type>hvm</type>"
		 "<kernel>/proc/self/exe</kernel></os></domain>", name, uuid);
}

static void put(const char *dir, const char *file, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool exists(const char *dir, const char *file)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return lstat(path, &st) == 0;
}

/* Define writes <name>.xml and no temporary; undefine removes it and its link. */
static void test_files(void)
{
	struct ctl ctl;
	const char *dir = testctl_init(&ctl);
	struct dom *d = NULL;
	struct verr err;
	char text[512];

	xml(text, sizeof(text), "a", UUID_A);
	CHECK_EQ(ctl_define(&ctl, text, strlen(text), &d, &err), 0);
	CHECK(exists(dir, "a.xml"));
	CHECK(!exists(dir, ".a.xml.new"));
	CHECK(d && ctl_set_autostart(&ctl, d, true, &err) == 0);
	CHECK(exists(dir, "autostart/a.xml"));
	CHECK(d && store_autostart(dir, "a"));
	CHECK(d && ctl_undefine(&ctl, d, &err) == 0);
	CHECK(!exists(dir, "a.xml"));
	CHECK(!exists(dir, "autostart/a.xml"));
	CHECK_EQ(ctl.ndoms, 0);
	testctl_free(&ctl, dir);
}

/* A define refused for any reason leaves no file and no domain. */
static void test_refused_leaves_nothing(void)
{
	struct ctl ctl;
	const char *dir = testctl_init(&ctl);
	struct dom *d = NULL;
	struct verr err;
	char text[512];

	snprintf(text, sizeof(text),
		 "<domain type='lamina'><name>m</name><memory unit='MiB'>64</memory>"
		 "<os><type>hvm</type><kernel>/nonexistent</kernel></os></domain>");
	CHECK_EQ(ctl_define(&ctl, text, strlen(text), &d, &err), -1);
	CHECK(!exists(dir, "m.xml") && !exists(dir, ".m.xml.new"));
	CHECK_EQ(ctl.ndoms, 0);
	testctl_free(&ctl, dir);
}

/* What a new daemon loads from a directory another one wrote. */
static void test_load(void)
{
	struct ctl ctl, again;
	const char *dir = testctl_init(&ctl);
	struct dom *d = NULL;
	struct verr err;
	char text[512], *x1, *x2;

	xml(text, sizeof(text), "a", UUID_A);
	CHECK_EQ(ctl_define(&ctl, text, strlen(text), &d, &err), 0);
	CHECK(d && ctl_set_autostart(&ctl, d, true, &err) == 0);
	put(dir, "broken.xml", "<domain type='lamina'><name>broken");
	xml(text, sizeof(text), "other", UUID_B);
	put(dir, "wrongname.xml", text);		/* holds 'other' */
	xml(text, sizeof(text), "z", UUID_A);
	put(dir, "z.xml", text);			/* a's uuid again */
	put(dir, ".a.xml.new", "left by a crash");
	put(dir, "notes.txt", "not a domain");
	CHECK_EQ(ctl_init(&again, dir, &err), 0);
	CHECK_EQ(again.ndoms, 1);
	d = ctl_find_name(&again, "a");
	CHECK(d && d->autostart && d->id == -1 && d->state == DOM_STATE_SHUTOFF);
	x1 = domxml_format(ctl.doms[0]->def);
	x2 = d ? domxml_format(d->def) : NULL;
	CHECK(x1 && x2 && !strcmp(x1, x2));
	free(x1);
	free(x2);
	ctl_free(&again);
	testctl_free(&ctl, dir);
}

static const struct tap_case cases[] = {
	TAP_CASE(test_files),
	TAP_CASE(test_refused_leaves_nothing),
	TAP_CASE(test_load),
};

int main(void)
{
	return tap_run("vmmd/ctl", cases, TAP_COUNT(cases));
}
