/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_BZIMAGE_H
#define VMMD_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <asm/bootparam.h>

/* A kernel image that passed the x86 boot protocol's checks. */
struct bzimage {
	uint8_t *file;
	size_t file_size;
	struct setup_header hdr;	/* as in the file */
	size_t hdr_len;			/* bytes of it the file defines */
	const uint8_t *kernel;		/* protected-mode part */
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
 * vmmd_read_file: whole file into a new buffer; vmmd_read_fd: the same
 * from an open fd (@path only names it in messages). bzimage_parse: check the
 * setup header (Documentation/x86/boot.rst). boot_plan_make: check that
 * kernel, initrd and command line fit in low_size bytes of low RAM.
 * Each prints its reason and returns a VMMD_EXIT_* code, 0 when fine.
 */
int vmmd_read_fd(const char *what, const char *path, int fd, uint8_t **buf,
		 size_t *size);
int vmmd_read_file(const char *what, const char *path, uint8_t **buf,
		   size_t *size);
int bzimage_parse(const char *path, uint8_t *file, size_t size,
		  struct bzimage *bz);
int boot_plan_make(const struct bzimage *bz, uint64_t initrd_size,
		   const char *cmdline, uint64_t low_size,
		   struct boot_plan *plan);

#endif /* VMMD_BZIMAGE_H */
