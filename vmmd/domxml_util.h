/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_DOMXML_UTIL_H
#define VMMD_DOMXML_UTIL_H

/* Helpers the domain XML parser's files share (domxml_*.c only). */
#include <stdbool.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "verr.h"

/* Element name as a C string (libxml2 uses unsigned char). */
#define XNAME(n) ((const char *)(n)->name)

/*
 * Refuse attributes not in @allowed (NULL-terminated), and any in a
 * namespace: "unsupported attribute 'x' on <disk>".
 */
int dx_check_attrs(const xmlNode *n, const char *const *allowed,
		   struct verr *err);
/*
 * Child nodes of an element that holds only elements: whitespace text
 * and comments may sit between them, nothing else.
 */
int dx_check_element_only(const xmlNode *n, struct verr *err);
/* The next element child after @c (NULL: the first). */
xmlNode *dx_next_elem(const xmlNode *parent, xmlNode *c);
/*
 * The text of a leaf element (no child elements), at most @max bytes.
 * Returns a malloc'd copy in *out.
 */
int dx_text(const xmlNode *n, size_t max, char **out, struct verr *err);
/* dx_text with leading/trailing whitespace removed. */
int dx_text_trim(const xmlNode *n, size_t max, char **out, struct verr *err);
/* Attribute value, or NULL when absent (malloc'd; free it). */
char *dx_attr(const xmlNode *n, const char *name);
/* An element with only the @allowed attributes and no content: <source file=''/>. */
int dx_check_empty_children(const xmlNode *n, const char *const *allowed,
			    struct verr *err);
/* An element with neither attributes nor content: <readonly/>. */
int dx_check_empty(const xmlNode *n, struct verr *err);
/* Refuse an element given twice: @seen holds one bit per known element. */
int dx_once(const xmlNode *n, unsigned int *seen, unsigned int bit,
	    struct verr *err);

/*
 * A libvirt-style scaled integer: decimal digits times the unit (b,
 * bytes, k/K/KiB = 1024, KB = 1000, M/MiB, MB, G, T, P, E; case does not
 * matter; no unit: KiB). Result in bytes, refused on overflow.
 */
int dx_scaled_bytes(const char *text, const char *unit, const char *what,
		    uint64_t *bytes, struct verr *err);
/* An unsigned decimal in [min, max]. */
int dx_uint(const char *text, uint64_t min, uint64_t max, const char *what,
	    uint64_t *out, struct verr *err);
/* An absolute path with no control characters, at most DOM_PATH_MAX. */
int dx_path(const char *s, const char *what, struct verr *err);

#endif /* VMMD_DOMXML_UTIL_H */
