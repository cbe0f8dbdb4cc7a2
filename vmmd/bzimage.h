/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_BZIMAGE_H
#define VMMD_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <asm/bootparam.h>

/*
 * A kernel, initrd or raw payload: an open regular file of a sane size,
 * read only once, straight into guest RAM (boot_file_read), so a start
 * copies its ~15 MiB once and needs no buffer for them.
 */
struct boot_file {
	const char *what;	/* "kernel", "initrd", "raw payload" */
	const char *path;	/* for messages only */
	int fd;			/* -1: none */
	size_t size;
};

/* A kernel image that passed the x86 boot protocol's checks. */
struct bzimage {
	struct setup_header hdr;	/* as in the file */
	size_t hdr_len;			/* bytes of it the file defines */
	uint64_t kernel_offset;		/* file offset of the protected-mode part */
	size_t kernel_size;
};

/* Where vmmd puts things, decided before any VM exists. */
struct boot_plan {
	uint64_t load;		/* kernel's physical load address */
	uint64_t kernel_end;	/* load + what the kernel needs to boot */
	uint64_t initrd_addr;
	uint64_t initrd_size;
};

/*
 * boot_file_open: open @path and check it (boot_file_check). boot_file_check:
 * an open fd that is a regular, non-empty file of at most 2 GiB.
 * boot_file_read: @len bytes at @off into @dst. bzimage_parse: read and
 * check the setup header (Documentation/x86/boot.rst). boot_plan_make:
 * check that kernel, initrd and command line fit in low_size bytes of low
 * RAM. Each prints its reason and returns a VMMD_EXIT_* code, 0 when fine.
 */
int boot_file_open(const char *what, const char *path, struct boot_file *f);
int boot_file_check(const char *what, const char *path, int fd,
		    struct boot_file *f);
int boot_file_read(const struct boot_file *f, uint64_t off, void *dst,
		   size_t len);
void boot_file_close(struct boot_file *f);
int bzimage_parse(const struct boot_file *f, struct bzimage *bz);
int boot_plan_make(const struct bzimage *bz, uint64_t initrd_size,
		   const char *cmdline, uint64_t low_size,
		   struct boot_plan *plan);

#endif /* VMMD_BZIMAGE_H */
