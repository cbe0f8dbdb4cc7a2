// SPDX-License-Identifier: GPL-2.0-only
/* Shared checks of the domain XML parser: attributes, text, numbers, units. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "domxml_util.h"

int dx_check_attrs(const xmlNode *n, const char *const *allowed,
		   struct verr *err)
{
	const xmlAttr *a;
	unsigned int i;

	for (a = n->properties; a; a = a->next) {
		if (a->ns)
			return verr_set(err, VERR_CONFIG_UNSUPPORTED,
					"unsupported configuration: attribute '%s:%s' on <%s> is not supported by lamina",
					(const char *)a->ns->prefix, (const char *)a->name, XNAME(n));
		for (i = 0; allowed && allowed[i]; i++)
			if (!strcmp((const char *)a->name, allowed[i]))
				break;
		if (!allowed || !allowed[i])
			return verr_set(err, VERR_CONFIG_UNSUPPORTED,
					"unsupported configuration: attribute '%s' on <%s> is not supported by lamina",
					(const char *)a->name, XNAME(n));
	}
	return 0;
}

static bool blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!isspace(*s))
			return false;
	return true;
}

int dx_check_element_only(const xmlNode *n, struct verr *err)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE)
			continue;
		if (c->type == XML_TEXT_NODE && blank(c->content))
			continue;
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <%s> holds text or other content where only elements belong",
				XNAME(n));
	}
	return 0;
}

xmlNode *dx_next_elem(const xmlNode *parent, xmlNode *c)
{
	c = c ? c->next : parent->children;
	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	return c;
}

int dx_text(const xmlNode *n, size_t max, char **out, struct verr *err)
{
	const xmlNode *c;
	size_t len = 0;
	char *s;

	*out = NULL;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return verr_set(err, VERR_XML_ERROR,
					"XML error: <%s> must hold text only", XNAME(n));
		len += strlen((const char *)c->content);
		if (len > max)
			return verr_set(err, VERR_INVALID_ARG,
					"invalid argument: <%s> is longer than %zu bytes",
					XNAME(n), max);
	}
	s = malloc(len + 1);
	if (!s)
		return verr_set(err, VERR_INTERNAL, "out of memory");
	len = 0;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			size_t k = strlen((const char *)c->content);

			memcpy(s + len, c->content, k);
			len += k;
		}
	}
	s[len] = '\0';
	*out = s;
	return 0;
}

int dx_text_trim(const xmlNode *n, size_t max, char **out, struct verr *err)
{
	size_t b = 0, e;
	char *s;

	if (dx_text(n, max, out, err))
		return -1;
	s = *out;
	e = strlen(s);
	while (b < e && isspace((unsigned char)s[b]))
		b++;
	while (e > b && isspace((unsigned char)s[e - 1]))
		e--;
	memmove(s, s + b, e - b);
	s[e - b] = '\0';
	return 0;
}

char *dx_attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

int dx_check_empty(const xmlNode *n, struct verr *err)
{
	return dx_check_empty_children(n, NULL, err);
}

int dx_check_empty_children(const xmlNode *n, const char *const *allowed,
			    struct verr *err)
{
	if (dx_check_attrs(n, allowed, err))
		return -1;
	if (dx_check_element_only(n, err))
		return -1;
	if (dx_next_elem(n, NULL))
		return verr_set(err, VERR_CONFIG_UNSUPPORTED,
				"unsupported configuration: <%s> takes no child elements",
				XNAME(n));
	return 0;
}

int dx_once(const xmlNode *n, unsigned int *seen, unsigned int bit,
	    struct verr *err)
{
	if (*seen & bit)
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <%s> given more than once", XNAME(n));
	*seen |= bit;
	return 0;
}

/* The multiplier of a libvirt unit, 0 if unknown. */
static uint64_t unit_scale(const char *u)
{
	static const char prefixes[] = "kmgtpe";
	const char *p;
	uint64_t base, scale = 1;

	if (!*u || !strcasecmp(u, "KiB"))
		return 1024;
	if (!strcasecmp(u, "b") || !strcasecmp(u, "byte") ||
	    !strcasecmp(u, "bytes"))
		return 1;
	if (!u[1] || !strcasecmp(u + 1, "iB"))
		base = 1024;
	else if ((u[1] == 'b' || u[1] == 'B') && !u[2])
		base = 1000;
	else
		return 0;
	p = strchr(prefixes, tolower((unsigned char)u[0]));
	if (!p || !u[0])
		return 0;
	for (; p >= prefixes; p--)
		scale *= base;
	return scale;
}

int dx_uint(const char *text, uint64_t min, uint64_t max, const char *what,
	    uint64_t *out, struct verr *err)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)text[0]))
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s '%.64s' is not an unsigned decimal number",
				what, text);
	errno = 0;
	v = strtoull(text, &end, 10);
	if (*end)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s '%.64s' is not an unsigned decimal number",
				what, text);
	if (errno || v < min || v > max)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s %.64s is out of range (%llu-%llu)",
				what, text, (unsigned long long)min,
				(unsigned long long)max);
	*out = v;
	return 0;
}

int dx_scaled_bytes(const char *text, const char *unit, const char *what,
		    uint64_t *bytes, struct verr *err)
{
	uint64_t scale = unit_scale(unit ? unit : "");
	uint64_t v;

	if (!scale)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: unknown unit '%.32s' for %s (b, KiB, MiB, GiB, TiB, KB, MB, GB...)",
				unit, what);
	if (dx_uint(text, 0, UINT64_MAX, what, &v, err))
		return -1;
	if (v > UINT64_MAX / scale)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s %.64s %.32s overflows", what,
				text, unit ? unit : "KiB");
	*bytes = v * scale;
	return 0;
}

int dx_path(const char *s, const char *what, struct verr *err)
{
	const char *p;

	if (s[0] != '/')
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s '%.128s' must be an absolute path",
				what, s);
	if (strlen(s) > DOM_PATH_MAX)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: %s is longer than %u bytes", what,
				DOM_PATH_MAX);
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return verr_set(err, VERR_INVALID_ARG,
					"invalid argument: %s holds a control character",
					what);
	return 0;
}
