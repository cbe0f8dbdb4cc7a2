// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bzImage checks of the x86 boot protocol (Documentation/x86/boot.rst):
 * boot_flag 0xaa55 at 0x1fe, "HdrS" at 0x202, version >= 2.12 (for
 * xloadflags and the 64-bit entry), LOADED_HIGH (a bzImage, not a zImage),
 * XLF_KERNEL_64; setup_sects == 0 means 4; the protected-mode kernel
 * starts at (setup_sects + 1) * 512 and holds syssize * 16 bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bzimage.h"
#include "exitcode.h"
#include "mem.h"

#define HDR_OFFSET	0x1f1
#define HDR_MAGIC	0x53726448	/* "HdrS" */
#define MIN_VERSION	0x020c
#define MAX_FILE	(1ULL << 31)	/* kernel or initrd: 2 GiB is absurd */
#define PAGE_SIZE_4K	0x1000ULL
#define MIB(x)		((unsigned long long)((x) >> 20))

static int file_error(const char *what, const char *path, const char *why)
{
	fprintf(stderr, "vmmd: %s '%s': %s\n", what, path, why);
	return VMMD_EXIT_BAD_FILE;
}

int boot_file_check(const char *what, const char *path, int fd,
		    struct boot_file *f)
{
	struct stat st;

	f->what = what;
	f->path = path;
	f->fd = fd;
	f->size = 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		return file_error(what, path, "not a regular file");
	if (st.st_size == 0 || (unsigned long long)st.st_size > MAX_FILE)
		return file_error(what, path, st.st_size ? "larger than 2 GiB"
						     : "empty file");
	f->size = st.st_size;
	return 0;
}

int boot_file_open(const char *what, const char *path, struct boot_file *f)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	f->fd = -1;
	if (fd < 0)
		return file_error(what, path, strerror(errno));
	return boot_file_check(what, path, fd, f);
}

int boot_file_read(const struct boot_file *f, uint64_t off, void *dst,
		   size_t len)
{
	uint8_t *p = dst;
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(f->fd, p + done, len - done, off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return file_error(f->what, f->path,
					  r ? strerror(errno)
					    : "file shrank while read");
		done += r;
	}
	return 0;
}

void boot_file_close(struct boot_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

int bzimage_parse(const struct boot_file *f, struct bzimage *bz)
{
	const char *k = "kernel", *path = f->path;
	struct setup_header *h = &bz->hdr;
	uint8_t head[HDR_OFFSET + sizeof(*h)];
	size_t size = f->size, setup_size;
	char why[160];
	int r;

	memset(bz, 0, sizeof(*bz));
	if (size < 0x264)
		return file_error(k, path, "not a bzImage (too small for a setup header)");
	r = boot_file_read(f, 0, head,
			   size < sizeof(head) ? size : sizeof(head));
	if (r)
		return r;
	/* The header's length is in the file: the jump at 0x200 skips it. */
	bz->hdr_len = 0x202 + head[0x201] - HDR_OFFSET;
	if (bz->hdr_len > sizeof(*h))
		bz->hdr_len = sizeof(*h);
	if (HDR_OFFSET + bz->hdr_len > size)
		return file_error(k, path, "not a bzImage (truncated setup header)");
	memcpy(h, head + HDR_OFFSET, bz->hdr_len);

	if (h->boot_flag != 0xaa55 || h->header != HDR_MAGIC)
		return file_error(k, path, "not a bzImage (no 0xaa55 boot flag and 'HdrS' header)");
	if (h->version < MIN_VERSION) {
		snprintf(why, sizeof(why),
			 "boot protocol %u.%02u is too old: vmmd needs 2.12 or later (64-bit entry)",
			 h->version >> 8, h->version & 0xff);
		return file_error(k, path, why);
	}
	if (!(h->loadflags & LOADED_HIGH))
		return file_error(k, path, "a zImage, not a bzImage (loads low)");
	if (!(h->xloadflags & XLF_KERNEL_64))
		return file_error(k, path, "has no 64-bit entry point (XLF_KERNEL_64)");
	setup_size = ((size_t)(h->setup_sects ? h->setup_sects : 4) + 1) * 512;
	if (setup_size >= size ||
	    (uint64_t)h->syssize * 16 > size - setup_size)
		return file_error(k, path, "truncated (shorter than its setup header says)");
	if (h->pref_address & (PAGE_SIZE_4K - 1) || h->pref_address < MEM_HIGH_RAM)
		return file_error(k, path, "pref_address is not a page-aligned address above 1 MiB");

	bz->kernel_offset = setup_size;
	bz->kernel_size = size - setup_size;
	return 0;
}

static int no_fit(const char *why)
{
	fprintf(stderr, "vmmd: %s\n", why);
	return VMMD_EXIT_NO_FIT;
}

int boot_plan_make(const struct bzimage *bz, uint64_t initrd_size,
		   const char *cmdline, uint64_t low_size,
		   struct boot_plan *plan)
{
	const struct setup_header *h = &bz->hdr;
	uint64_t need, top, initrd_max;
	char why[240];

	memset(plan, 0, sizeof(*plan));
	if (strlen(cmdline) > h->cmdline_size) {
		snprintf(why, sizeof(why),
			 "--cmdline is %zu bytes; this kernel takes at most %u",
			 strlen(cmdline), h->cmdline_size);
		return no_fit(why);
	}
	/* A relocatable kernel still prefers pref_address; a fixed one needs it. */
	plan->load = h->pref_address;
	need = h->init_size > bz->kernel_size ? h->init_size : bz->kernel_size;
	plan->kernel_end = (plan->load + need + PAGE_SIZE_4K - 1) &
			   ~(PAGE_SIZE_4K - 1);
	if (plan->kernel_end + (initrd_size + PAGE_SIZE_4K - 1) / PAGE_SIZE_4K *
	    PAGE_SIZE_4K > low_size) {
		snprintf(why, sizeof(why),
			 "too little memory: the kernel needs %llu MiB of RAM%s%s, --mem gives %llu MiB",
			 MIB(plan->kernel_end + initrd_size + (1 << 20) - 1),
			 initrd_size ? " with this initrd" : "",
			 low_size >= MEM_LOW_LIMIT ? " below 3 GiB" : "",
			 MIB(low_size));
		return no_fit(why);
	}
	if (!initrd_size)
		return 0;
	/* Highest page-aligned spot below RAM's end and initrd_addr_max. */
	initrd_max = (uint64_t)h->initrd_addr_max + 1;
	top = low_size < initrd_max ? low_size : initrd_max;
	if (initrd_size > top || ((top - initrd_size) & ~(PAGE_SIZE_4K - 1)) <
				 plan->kernel_end) {
		snprintf(why, sizeof(why),
			 "initrd too large: %llu MiB does not fit between the kernel's end (%llu MiB) and %s (%llu MiB)",
			 MIB(initrd_size + (1 << 20) - 1), MIB(plan->kernel_end),
			 top == initrd_max ? "the kernel's initrd_addr_max" : "the end of RAM",
			 MIB(top));
		return no_fit(why);
	}
	plan->initrd_addr = (top - initrd_size) & ~(PAGE_SIZE_4K - 1);
	plan->initrd_size = initrd_size;
	return 0;
}
