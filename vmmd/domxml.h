/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_DOMXML_H
#define VMMD_DOMXML_H

/*
 * Domain XML, libvirt's format, the subset docs/virsh.md lists. Parsing
 * is strict: an element, attribute or value lamina does not implement is
 * refused with an error that names it, never ignored, because a setting
 * silently dropped is a VM that is not what its owner asked for.
 * libxml2 reads the text with no network, no DTD and no external
 * entities; a document with a DOCTYPE is refused.
 */
#include <stddef.h>

#include "domain.h"
#include "verr.h"

#define DOMXML_MAX (1U << 20)	/* bytes of XML accepted */

/*
 * Parse and check for form: names, numbers, units, ranges, devices. No
 * file is looked at (dom_def_check_host does that at define). A missing
 * <uuid> is generated, a missing <mac> too. Returns 0 with *out set, or
 * -1 with @err filled.
 */
int domxml_parse(const char *xml, size_t len, struct dom_def **out,
		 struct verr *err);

/* The XML of @def, which domxml_parse accepts again; NULL if out of memory. */
char *domxml_format(const struct dom_def *def);

/*
 * What only this host can say: memory at most the host's RAM, and the
 * kernel, initrd and disk files exist (regular files; disks may be block
 * devices).
 */
int dom_def_check_host(const struct dom_def *def, uint64_t host_ram_kib,
		       struct verr *err);

#endif /* VMMD_DOMXML_H */
