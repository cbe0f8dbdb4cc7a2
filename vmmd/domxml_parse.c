// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain XML to struct dom_def: the document, <domain> and its direct
 * children, <os>. Devices are in domxml_devices.c. Every element and
 * attribute lamina reads is listed here; anything else is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <libxml/parser.h>

#include "cli.h"
#include "domxml.h"
#include "domxml_util.h"

int dx_parse_devices(const xmlNode *devs, struct dom_def *def,
		     struct verr *err);

enum top_bit {
	TOP_NAME = 1U << 0, TOP_UUID = 1U << 1, TOP_TITLE = 1U << 2,
	TOP_DESC = 1U << 3, TOP_MEM = 1U << 4, TOP_CURMEM = 1U << 5,
	TOP_VCPU = 1U << 6, TOP_OS = 1U << 7, TOP_POWEROFF = 1U << 8,
	TOP_REBOOT = 1U << 9, TOP_CRASH = 1U << 10, TOP_DEVICES = 1U << 11,
};

static int parse_name(const xmlNode *n, struct dom_def *def, struct verr *err)
{
	char *s;
	int r = -1;

	if (dx_check_attrs(n, NULL, err) || dx_text_trim(n, 4096, &s, err))
		return -1;
	if (!dom_name_valid(s))
		verr_set(err, VERR_INVALID_ARG,
			 "invalid argument: domain name '%.80s' is not valid: 1-%u characters of A-Z a-z 0-9 _ . + -, starting with a letter, a digit or '_'",
			 s, DOM_NAME_MAX);
	else {
		strcpy(def->name, s);
		r = 0;
	}
	free(s);
	return r;
}

static int parse_uuid(const xmlNode *n, struct dom_def *def, struct verr *err)
{
	char *s;
	int r = 0;

	if (dx_check_attrs(n, NULL, err) || dx_text_trim(n, 64, &s, err))
		return -1;
	if (!dom_uuid_parse(s, def->uuid))
		r = verr_set(err, VERR_INVALID_ARG,
			     "invalid argument: uuid '%.64s' is not a UUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			     s);
	free(s);
	return r;
}

static int parse_title(const xmlNode *n, struct dom_def *def, struct verr *err)
{
	if (dx_check_attrs(n, NULL, err) ||
	    dx_text(n, DOM_TITLE_MAX, &def->title, err))
		return -1;
	if (strchr(def->title, '\n'))
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: <title> must be a single line");
	return 0;
}

static int parse_description(const xmlNode *n, struct dom_def *def,
			     struct verr *err)
{
	if (dx_check_attrs(n, NULL, err))
		return -1;
	return dx_text(n, DOM_DESC_MAX, &def->description, err);
}

/* <memory unit='MiB'>512</memory>: KiB, rounded up as libvirt does. */
static int parse_memory(const xmlNode *n, uint64_t *kib, struct verr *err)
{
	static const char *const attrs[] = { "unit", NULL };
	char *text = NULL, *unit = NULL, what[32];
	uint64_t bytes;
	int r = -1;

	if (dx_check_attrs(n, attrs, err) || dx_text_trim(n, 64, &text, err))
		goto out;
	unit = dx_attr(n, "unit");
	snprintf(what, sizeof(what), "<%s>", XNAME(n));
	if (dx_scaled_bytes(text, unit, what, &bytes, err))
		goto out;
	*kib = bytes / 1024 + (bytes % 1024 != 0);
	if (*kib < VMMD_MIN_MEM / 1024 || *kib > VMMD_MAX_MEM / 1024) {
		verr_set(err, VERR_INVALID_ARG,
			 "invalid argument: <%s> %llu KiB is out of range: at least %llu MiB (what vmmd boots), at most %llu GiB",
			 XNAME(n), (unsigned long long)*kib,
			 VMMD_MIN_MEM >> 20, VMMD_MAX_MEM >> 30);
		goto out;
	}
	r = 0;
out:
	free(text);
	free(unit);
	return r;
}

static int parse_vcpu(const xmlNode *n, struct dom_def *def, struct verr *err)
{
	static const char *const attrs[] = { "placement", NULL };
	char *text = NULL, *placement;
	uint64_t v;
	int r = -1;

	if (dx_check_attrs(n, attrs, err))
		return -1;
	placement = dx_attr(n, "placement");
	if (placement && strcmp(placement, "static"))
		verr_set(err, VERR_CONFIG_UNSUPPORTED,
			 "unsupported configuration: <vcpu placement='%.32s'>: only 'static' is supported",
			 placement);
	else if (!dx_text_trim(n, 64, &text, err) &&
		 !dx_uint(text, 1, DOM_VCPUS_MAX, "<vcpu>", &v, err)) {
		def->vcpus = v;
		r = 0;
	}
	free(placement);
	free(text);
	return r;
}

static int parse_action(const xmlNode *n, enum dom_action *act,
			struct verr *err)
{
	char *s;
	int r = 0;

	if (dx_check_attrs(n, NULL, err) || dx_text_trim(n, 64, &s, err))
		return -1;
	if (!strcmp(s, "destroy"))
		*act = DOM_ACTION_DESTROY;
	else if (!strcmp(s, "restart"))
		*act = DOM_ACTION_RESTART;
	else
		r = verr_set(err, VERR_CONFIG_UNSUPPORTED,
			     "unsupported configuration: <%s>%.32s</%s>: lamina supports destroy and restart",
			     XNAME(n), s, XNAME(n));
	free(s);
	return r;
}

static int parse_os_type(const xmlNode *n, struct verr *err)
{
	static const char *const attrs[] = { "arch", NULL };
	char *arch, *s = NULL;
	int r = -1;

	if (dx_check_attrs(n, attrs, err))
		return -1;
	arch = dx_attr(n, "arch");
	if (arch && strcmp(arch, "x86_64"))
		verr_set(err, VERR_CONFIG_UNSUPPORTED,
			 "unsupported configuration: arch '%.32s': lamina runs x86_64 guests",
			 arch);
	else if (!dx_text_trim(n, 64, &s, err)) {
		if (strcmp(s, "hvm"))
			verr_set(err, VERR_CONFIG_UNSUPPORTED,
				 "unsupported configuration: os type '%.32s': lamina runs 'hvm' guests",
				 s);
		else
			r = 0;
	}
	free(arch);
	free(s);
	return r;
}

static int parse_os_path(const xmlNode *n, char **out, struct verr *err)
{
	char buf[32];

	if (dx_check_attrs(n, NULL, err) ||
	    dx_text_trim(n, DOM_PATH_MAX, out, err))
		return -1;
	snprintf(buf, sizeof(buf), "<%s>", XNAME(n));
	return dx_path(*out, buf, err);
}

static int parse_os(const xmlNode *os, struct dom_def *def, struct verr *err)
{
	unsigned int seen = 0;
	xmlNode *c = NULL;
	int r = 0;

	if (dx_check_attrs(os, NULL, err) || dx_check_element_only(os, err))
		return -1;
	while (!r && (c = dx_next_elem(os, c))) {
		const char *name = XNAME(c);

		if (!strcmp(name, "type"))
			r = dx_once(c, &seen, 1, err) ?: parse_os_type(c, err);
		else if (!strcmp(name, "kernel"))
			r = dx_once(c, &seen, 2, err) ?:
			    parse_os_path(c, &def->kernel, err);
		else if (!strcmp(name, "initrd"))
			r = dx_once(c, &seen, 4, err) ?:
			    parse_os_path(c, &def->initrd, err);
		else if (!strcmp(name, "cmdline")) {
			r = dx_once(c, &seen, 8, err) ?: dx_check_attrs(c, NULL, err) ?:
			    dx_text(c, DOM_CMDLINE_MAX, &def->cmdline, err);
		} else
			r = verr_set(err, VERR_CONFIG_UNSUPPORTED,
				     "unsupported configuration: element <%s> in <os> is not supported by lamina",
				     name);
	}
	if (r)
		return r;
	if (!(seen & 1))
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <os> needs <type>hvm</type>");
	if (!(seen & 2))
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <os> needs <kernel>: lamina boots a Linux bzImage directly (no firmware)");
	return 0;
}

static int parse_child(const xmlNode *c, struct dom_def *def,
		       unsigned int *seen, struct verr *err)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} known[] = {
		{ "name", TOP_NAME }, { "uuid", TOP_UUID },
		{ "title", TOP_TITLE }, { "description", TOP_DESC },
		{ "memory", TOP_MEM }, { "currentMemory", TOP_CURMEM },
		{ "vcpu", TOP_VCPU }, { "os", TOP_OS },
		{ "on_poweroff", TOP_POWEROFF }, { "on_reboot", TOP_REBOOT },
		{ "on_crash", TOP_CRASH }, { "devices", TOP_DEVICES },
	};
	unsigned int i, bit = 0;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(XNAME(c), known[i].name))
			bit = known[i].bit;
	if (!bit)
		return verr_set(err, VERR_CONFIG_UNSUPPORTED,
				"unsupported configuration: element <%s> in <domain> is not supported by lamina",
				XNAME(c));
	if (dx_once(c, seen, bit, err))
		return -1;
	switch (bit) {
	case TOP_NAME: return parse_name(c, def, err);
	case TOP_UUID: return parse_uuid(c, def, err);
	case TOP_TITLE: return parse_title(c, def, err);
	case TOP_DESC: return parse_description(c, def, err);
	case TOP_MEM: return parse_memory(c, &def->mem_kib, err);
	case TOP_CURMEM: return parse_memory(c, &def->cur_mem_kib, err);
	case TOP_VCPU: return parse_vcpu(c, def, err);
	case TOP_OS: return parse_os(c, def, err);
	case TOP_POWEROFF: return parse_action(c, &def->on_poweroff, err);
	case TOP_REBOOT: return parse_action(c, &def->on_reboot, err);
	case TOP_CRASH: return parse_action(c, &def->on_crash, err);
	default: return dx_parse_devices(c, def, err);
	}
}

static int parse_domain(const xmlNode *root, struct dom_def *def,
			struct verr *err)
{
	static const char *const attrs[] = { "type", NULL };
	unsigned int seen = 0;
	xmlNode *c = NULL;
	char *type;
	int r;

	if (strcmp(XNAME(root), "domain") || root->ns)
		return verr_set(err, VERR_XML_ERROR,
				"XML error: the root element is <%s>, not <domain>",
				XNAME(root));
	if (dx_check_attrs(root, attrs, err))
		return -1;
	type = dx_attr(root, "type");
	r = !type ? verr_set(err, VERR_XML_ERROR,
			     "XML error: <domain> needs type='lamina'") :
	    strcmp(type, "lamina") ?
		verr_set(err, VERR_CONFIG_UNSUPPORTED,
			 "unsupported configuration: domain type '%.32s': this daemon runs type='lamina'",
			 type) : 0;
	free(type);
	if (r || dx_check_element_only(root, err))
		return -1;
	while ((c = dx_next_elem(root, c)))
		if (parse_child(c, def, &seen, err))
			return -1;
	if (!(seen & TOP_NAME))
		return verr_set(err, VERR_XML_ERROR, "XML error: <domain> needs <name>");
	if (!(seen & TOP_MEM))
		return verr_set(err, VERR_XML_ERROR, "XML error: <domain> needs <memory>");
	if (!(seen & TOP_OS))
		return verr_set(err, VERR_XML_ERROR, "XML error: <domain> needs <os>");
	if (!(seen & TOP_CURMEM))
		def->cur_mem_kib = def->mem_kib;
	if (def->cur_mem_kib > def->mem_kib)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: <currentMemory> (%llu KiB) is larger than <memory> (%llu KiB)",
				(unsigned long long)def->cur_mem_kib,
				(unsigned long long)def->mem_kib);
	if (!(seen & TOP_UUID) &&
	    getrandom(def->uuid, sizeof(def->uuid), 0) != sizeof(def->uuid))
		return verr_set(err, VERR_INTERNAL, "cannot generate a uuid");
	if (!(seen & TOP_UUID)) {
		def->uuid[6] = (def->uuid[6] & 0x0f) | 0x40;	/* RFC 4122 v4 */
		def->uuid[8] = (def->uuid[8] & 0x3f) | 0x80;
	}
	return 0;
}

int domxml_parse(const char *xml, size_t len, struct dom_def **out,
		 struct verr *err)
{
	/*
	 * NONET: never fetch anything. No NOENT/DTDLOAD/DTDATTR: entities
	 * are not substituted and no DTD is read; a DOCTYPE is refused
	 * below anyway. NOERROR/NOWARNING: the message goes to the client,
	 * not to the daemon's stderr.
	 */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
			 XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlParserCtxtPtr ctxt;
	struct dom_def *def;
	xmlDocPtr doc;
	const xmlError *xe;
	int r = -1;

	*out = NULL;
	if (len > DOMXML_MAX)
		return verr_set(err, VERR_XML_ERROR,
				"XML error: the domain XML is larger than %u bytes",
				DOMXML_MAX);
	ctxt = xmlNewParserCtxt();
	def = calloc(1, sizeof(*def));
	if (!ctxt || !def) {
		xmlFreeParserCtxt(ctxt);
		free(def);
		return verr_set(err, VERR_INTERNAL, "out of memory");
	}
	def->vcpus = 1;
	def->on_poweroff = DOM_ACTION_DESTROY;
	def->on_reboot = DOM_ACTION_RESTART;
	def->on_crash = DOM_ACTION_DESTROY;
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", NULL, opts);
	if (!doc || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		verr_set(err, VERR_XML_ERROR,
			 "XML error: malformed domain XML, line %d: %s",
			 xe ? xe->line : 0,
			 xe && xe->message ? xe->message : "parse failed\n");
		/* libxml2's messages end in a newline; virsh adds its own. */
		err->msg[strcspn(err->msg, "\n")] = '\0';
	} else if (doc->intSubset || doc->extSubset) {
		verr_set(err, VERR_XML_ERROR,
			 "XML error: a DOCTYPE is not allowed in domain XML");
	} else if (!xmlDocGetRootElement(doc)) {
		verr_set(err, VERR_XML_ERROR, "XML error: empty document");
	} else {
		r = parse_domain(xmlDocGetRootElement(doc), def, err);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	if (r)
		dom_def_free(def);
	else
		*out = def;
	return r;
}
