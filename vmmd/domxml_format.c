// SPDX-License-Identifier: GPL-2.0-only
/*
 * struct dom_def to libvirt domain XML (dumpxml, and the file in the state
 * directory). Built as a libxml2 tree so every text and attribute is
 * escaped by the library; domxml_parse reads the result back unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "domxml.h"

#define X(s) ((const xmlChar *)(s))

static const char *action_name(enum dom_action a)
{
	return a == DOM_ACTION_RESTART ? "restart" : "destroy";
}

static xmlNode *text_child(xmlNode *parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, X(name), X(text));
}

static void memory_child(xmlNode *parent, const char *name, uint64_t kib)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)kib);
	xmlNewProp(text_child(parent, name, buf), X("unit"), X("KiB"));
}

static void format_os(xmlNode *dom, const struct dom_def *def)
{
	xmlNode *os = xmlNewChild(dom, NULL, X("os"), NULL);

	xmlNewProp(text_child(os, "type", "hvm"), X("arch"), X("x86_64"));
	text_child(os, "kernel", def->kernel);
	if (def->initrd)
		text_child(os, "initrd", def->initrd);
	if (def->cmdline)
		text_child(os, "cmdline", def->cmdline);
}

static void format_devices(xmlNode *dom, const struct dom_def *def)
{
	xmlNode *devs = xmlNewChild(dom, NULL, X("devices"), NULL);
	xmlNode *n, *c;
	unsigned int i;
	char mac[18];

	for (i = 0; i < def->ndisks; i++) {
		const struct dom_disk *d = &def->disks[i];

		n = xmlNewChild(devs, NULL, X("disk"), NULL);
		xmlNewProp(n, X("type"), X("file"));
		xmlNewProp(n, X("device"), X("disk"));
		c = xmlNewChild(n, NULL, X("driver"), NULL);
		xmlNewProp(c, X("name"), X("qemu"));
		xmlNewProp(c, X("type"), X("raw"));
		xmlNewProp(xmlNewChild(n, NULL, X("source"), NULL), X("file"), X(d->path));
		c = xmlNewChild(n, NULL, X("target"), NULL);
		xmlNewProp(c, X("dev"), X(d->target));
		xmlNewProp(c, X("bus"), X("virtio"));
		if (d->readonly)
			xmlNewChild(n, NULL, X("readonly"), NULL);
	}
	for (i = 0; i < def->nnics; i++) {
		const struct dom_nic *nic = &def->nics[i];

		n = xmlNewChild(devs, NULL, X("interface"), NULL);
		xmlNewProp(n, X("type"), X("ethernet"));
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 nic->mac[0], nic->mac[1], nic->mac[2], nic->mac[3],
			 nic->mac[4], nic->mac[5]);
		xmlNewProp(xmlNewChild(n, NULL, X("mac"), NULL), X("address"), X(mac));
		if (nic->ifname)
			xmlNewProp(xmlNewChild(n, NULL, X("target"), NULL), X("dev"),
				   X(nic->ifname));
	}
	if (def->serial_pty) {
		n = xmlNewChild(devs, NULL, X("serial"), NULL);
		xmlNewProp(n, X("type"), X("pty"));
		xmlNewProp(xmlNewChild(n, NULL, X("target"), NULL), X("port"), X("0"));
	}
	if (def->console_pty) {
		n = xmlNewChild(devs, NULL, X("console"), NULL);
		xmlNewProp(n, X("type"), X("pty"));
		c = xmlNewChild(n, NULL, X("target"), NULL);
		xmlNewProp(c, X("type"), X("serial"));
		xmlNewProp(c, X("port"), X("0"));
	}
}

static xmlNode *format_domain(const struct dom_def *def)
{
	xmlNode *dom = xmlNewNode(NULL, X("domain"));
	char buf[37];

	xmlNewProp(dom, X("type"), X("lamina"));
	text_child(dom, "name", def->name);
	dom_uuid_format(def->uuid, buf);
	text_child(dom, "uuid", buf);
	if (def->title)
		text_child(dom, "title", def->title);
	if (def->description)
		text_child(dom, "description", def->description);
	memory_child(dom, "memory", def->mem_kib);
	memory_child(dom, "currentMemory", def->cur_mem_kib);
	snprintf(buf, sizeof(buf), "%u", def->vcpus);
	xmlNewProp(text_child(dom, "vcpu", buf), X("placement"), X("static"));
	format_os(dom, def);
	text_child(dom, "on_poweroff", action_name(def->on_poweroff));
	text_child(dom, "on_reboot", action_name(def->on_reboot));
	text_child(dom, "on_crash", action_name(def->on_crash));
	format_devices(dom, def);
	return dom;
}

char *domxml_format(const struct dom_def *def)
{
	xmlDocPtr doc = xmlNewDoc(X("1.0"));
	xmlBufferPtr buf = xmlBufferCreate();
	xmlSaveCtxtPtr save = NULL;
	char *out = NULL;

	if (doc && buf) {
		xmlDocSetRootElement(doc, format_domain(def));
		save = xmlSaveToBuffer(buf, "UTF-8", XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
	}
	if (save) {
		xmlSaveTree(save, xmlDocGetRootElement(doc));
		xmlSaveClose(save);
		out = strdup((const char *)xmlBufferContent(buf));
	}
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return out;
}
