// SPDX-License-Identifier: GPL-2.0-only
/*
 * <devices>: virtio disks backed by raw files, ethernet (tap) interfaces,
 * one pty serial port and its console. Nothing else is accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "domxml_util.h"
#include "domain.h"

/* An attribute that must be absent or have exactly the one value lamina implements. */
static int attr_is(const xmlNode *n, const char *name, const char *want,
		   bool required, struct verr *err)
{
	char *v = dx_attr(n, name);
	int r = 0;

	if (!v && required)
		r = verr_set(err, VERR_XML_ERROR,
			     "XML error: <%s> needs %s='%s'", XNAME(n), name, want);
	else if (v && strcmp(v, want))
		r = verr_set(err, VERR_CONFIG_UNSUPPORTED,
			     "unsupported configuration: <%s %s='%.32s'>: lamina supports %s='%s' only",
			     XNAME(n), name, v, name, want);
	free(v);
	return r;
}

static int parse_disk_target(const xmlNode *n, struct dom_def *def,
			     struct dom_disk *d, struct verr *err)
{
	static const char *const attrs[] = { "dev", "bus", NULL };
	char *dev;
	unsigned int i;
	int r = 0;

	if (dx_check_empty_children(n, attrs, err) ||
	    attr_is(n, "bus", "virtio", false, err))
		return -1;
	dev = dx_attr(n, "dev");
	if (!dev)
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <disk><target> needs dev='vdX'");
	if (strlen(dev) != 3 || strncmp(dev, "vd", 2) || dev[2] < 'a' ||
	    dev[2] >= (char)('a' + DOM_DISKS_MAX))
		r = verr_set(err, VERR_INVALID_ARG,
			     "invalid argument: disk target '%.32s': want vda..vd%c",
			     dev, 'a' + DOM_DISKS_MAX - 1);
	for (i = 0; !r && i < def->ndisks; i++)
		if (!strcmp(def->disks[i].target, dev))
			r = verr_set(err, VERR_INVALID_ARG,
				     "invalid argument: two disks use target '%s'", dev);
	if (!r)
		strcpy(d->target, dev);
	free(dev);
	return r;
}

static int parse_disk_child(const xmlNode *c, struct dom_def *def,
			    struct dom_disk *d, unsigned int *seen,
			    struct verr *err)
{
	static const char *const driver_attrs[] = { "name", "type", NULL };
	static const char *const source_attrs[] = { "file", NULL };
	const char *name = XNAME(c);

	if (!strcmp(name, "driver"))
		return dx_once(c, seen, 1, err) ?:
		       dx_check_empty_children(c, driver_attrs, err) ?:
		       attr_is(c, "name", "qemu", false, err) ?:
		       attr_is(c, "type", "raw", false, err);
	if (!strcmp(name, "source")) {
		if (dx_once(c, seen, 2, err) ||
		    dx_check_empty_children(c, source_attrs, err))
			return -1;
		d->path = dx_attr(c, "file");
		if (!d->path)
			return verr_set(err, VERR_XML_ERROR,
					"XML error: <disk><source> needs file='PATH'");
		return dx_path(d->path, "disk source file", err);
	}
	if (!strcmp(name, "target"))
		return dx_once(c, seen, 4, err) ?: parse_disk_target(c, def, d, err);
	if (!strcmp(name, "readonly")) {
		d->readonly = true;
		return dx_once(c, seen, 8, err) ?: dx_check_empty(c, err);
	}
	return verr_set(err, VERR_CONFIG_UNSUPPORTED,
			"unsupported configuration: element <%s> in <disk> is not supported by lamina",
			name);
}

static int parse_disk(const xmlNode *n, struct dom_def *def, struct verr *err)
{
	static const char *const attrs[] = { "type", "device", NULL };
	struct dom_disk *d;
	unsigned int seen = 0;
	xmlNode *c = NULL;

	if (def->ndisks == DOM_DISKS_MAX)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: more than %u disks", DOM_DISKS_MAX);
	d = &def->disks[def->ndisks++];	/* counted now: dom_def_free sees its path */
	if (dx_check_attrs(n, attrs, err) || dx_check_element_only(n, err) ||
	    attr_is(n, "type", "file", true, err) ||
	    attr_is(n, "device", "disk", false, err))
		return -1;
	while ((c = dx_next_elem(n, c)))
		if (parse_disk_child(c, def, d, &seen, err))
			return -1;
	if (!(seen & 2))
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <disk> needs <source file='PATH'/>");
	if (!(seen & 4))
		return verr_set(err, VERR_XML_ERROR,
				"XML error: <disk> needs <target dev='vdX' bus='virtio'/>");
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6], struct verr *err)
{
	unsigned int b[6], i;
	char tail;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: mac address '%.32s': want xx:xx:xx:xx:xx:xx",
				s);
	for (i = 0; i < 6; i++)
		mac[i] = b[i];
	if (mac[0] & 1)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: mac address '%s' is multicast", s);
	return 0;
}

static int parse_ifname(const char *s, struct verr *err)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
		      s[i] == '.'))
			break;
	if (!n || n > DOM_IFNAME_MAX || i < n)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: interface target dev '%.32s': 1-%u characters of A-Z a-z 0-9 - _ .",
				s, DOM_IFNAME_MAX);
	return 0;
}

static int parse_interface(const xmlNode *n, struct dom_def *def,
			   struct verr *err)
{
	static const char *const attrs[] = { "type", NULL };
	static const char *const target_attrs[] = { "dev", NULL };
	static const char *const mac_attrs[] = { "address", NULL };
	struct dom_nic *nic;
	unsigned int seen = 0;
	xmlNode *c = NULL;
	char *v;
	int r;

	if (def->nnics == DOM_NICS_MAX)
		return verr_set(err, VERR_INVALID_ARG,
				"invalid argument: more than %u interfaces", DOM_NICS_MAX);
	nic = &def->nics[def->nnics++];
	if (dx_check_attrs(n, attrs, err) || dx_check_element_only(n, err) ||
	    attr_is(n, "type", "ethernet", true, err))
		return -1;
	while ((c = dx_next_elem(n, c))) {
		if (!strcmp(XNAME(c), "target")) {
			if (dx_once(c, &seen, 1, err) ||
			    dx_check_empty_children(c, target_attrs, err))
				return -1;
			nic->ifname = dx_attr(c, "dev");
			if (!nic->ifname)
				return verr_set(err, VERR_XML_ERROR,
						"XML error: <interface><target> needs dev='NAME'");
			if (parse_ifname(nic->ifname, err))
				return -1;
		} else if (!strcmp(XNAME(c), "mac")) {
			if (dx_once(c, &seen, 2, err) ||
			    dx_check_empty_children(c, mac_attrs, err))
				return -1;
			v = dx_attr(c, "address");
			r = v ? parse_mac(v, nic->mac, err) :
				verr_set(err, VERR_XML_ERROR,
					 "XML error: <mac> needs address='xx:xx:xx:xx:xx:xx'");
			free(v);
			if (r)
				return -1;
		} else {
			return verr_set(err, VERR_CONFIG_UNSUPPORTED,
					"unsupported configuration: element <%s> in <interface> is not supported by lamina",
					XNAME(c));
		}
	}
	if (!(seen & 2)) {
		/* libvirt's prefix for generated addresses, then random. */
		nic->mac[0] = 0x52;
		nic->mac[1] = 0x54;
		nic->mac[2] = 0x00;
		if (getrandom(nic->mac + 3, 3, 0) != 3)
			return verr_set(err, VERR_INTERNAL, "cannot generate a mac address");
	}
	return 0;
}

/*
 * <serial type='pty'><target port='0'/></serial>, <console type='pty'>
 * <target type='serial' port='0'/></console>: the guest's COM1.
 */
static int parse_char(const xmlNode *n, bool *flag, struct verr *err)
{
	static const char *const attrs[] = { "type", NULL };
	static const char *const target_attrs[] = { "type", "port", NULL };
	bool console = !strcmp(XNAME(n), "console");
	xmlNode *c = NULL;
	unsigned int seen = 0;

	if (*flag)
		return verr_set(err, VERR_CONFIG_UNSUPPORTED,
				"unsupported configuration: lamina has one <%s> (COM1)",
				XNAME(n));
	*flag = true;
	if (dx_check_attrs(n, attrs, err) || dx_check_element_only(n, err) ||
	    attr_is(n, "type", "pty", true, err))
		return -1;
	while ((c = dx_next_elem(n, c))) {
		if (strcmp(XNAME(c), "target"))
			return verr_set(err, VERR_CONFIG_UNSUPPORTED,
					"unsupported configuration: element <%s> in <%s> is not supported by lamina",
					XNAME(c), XNAME(n));
		if (dx_once(c, &seen, 1, err) ||
		    dx_check_empty_children(c, target_attrs, err) ||
		    attr_is(c, "port", "0", false, err) ||
		    (console ? attr_is(c, "type", "serial", false, err) :
			       dx_check_attrs(c, target_attrs + 1, err)))
			return -1;
	}
	return 0;
}

int dx_parse_devices(const xmlNode *devs, struct dom_def *def,
		     struct verr *err)
{
	xmlNode *c = NULL;
	const char *name;
	int r = 0;

	if (dx_check_attrs(devs, NULL, err) || dx_check_element_only(devs, err))
		return -1;
	while (!r && (c = dx_next_elem(devs, c))) {
		name = XNAME(c);
		if (!strcmp(name, "disk"))
			r = parse_disk(c, def, err);
		else if (!strcmp(name, "interface"))
			r = parse_interface(c, def, err);
		else if (!strcmp(name, "serial"))
			r = parse_char(c, &def->serial_pty, err);
		else if (!strcmp(name, "console"))
			r = parse_char(c, &def->console_pty, err);
		else
			r = verr_set(err, VERR_CONFIG_UNSUPPORTED,
				     "unsupported configuration: device <%s> is not supported by lamina",
				     name);
	}
	return r;
}
