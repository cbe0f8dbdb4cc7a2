// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DSDT's AML (ACPI 6.x, section 20), built by a few emitters so
 * package lengths are computed, not hand-counted:
 *   Name (\_S5, Package (4) { 5, 5, 0, 0 })        power off: SLP_TYP 5
 *   Scope (\_SB) {
 *     Device (RTC)  PNP0B00, IO 0x70-0x71, IRQ 8    rtc_cmos binds by PNP
 *     Device (PCI0) PNP0A08 (PNP0A03), segment 0, bus 0; _CRS: bus 0,
 *                   config ports 0xcf8-0xcff, the I/O ports around them
 *                   and the device manager's memory window
 *     Device (MRES) PNP0C02, _CRS: the ECAM range, which Linux wants
 *                   reserved by a motherboard resource before it trusts
 *                   the MCFG
 *   }
 */
#include <string.h>

#include "acpi.h"
#include "devmgr.h"

#define AML_MAX 1024U

struct aml {
	uint8_t b[AML_MAX];
	unsigned int len;
	int overflow;
};

static void emit(struct aml *a, const void *p, unsigned int n)
{
	if (n > AML_MAX - a->len) {
		a->overflow = 1;
		return;
	}
	memcpy(a->b + a->len, p, n);
	a->len += n;
}

static void emit8(struct aml *a, uint8_t v)
{
	emit(a, &v, 1);
}

/* PkgLength (20.2.4) for @n bytes that follow it. */
static void emit_pkglen(struct aml *a, unsigned int n)
{
	unsigned int v;

	if (n + 1 < 0x40) {
		emit8(a, n + 1);
	} else if (n + 2 < 0x1000) {
		v = n + 2;
		emit8(a, 0x40 | (v & 0xf));
		emit8(a, v >> 4);
	} else {
		v = n + 3;
		emit8(a, 0x80 | (v & 0xf));
		emit8(a, (v >> 4) & 0xff);
		emit8(a, (v >> 12) & 0xff);
	}
}

static void emit_int(struct aml *a, uint32_t v)
{
	if (v <= 1) {
		emit8(a, v);			/* ZeroOp, OneOp */
	} else if (v <= 0xff) {
		emit8(a, 0x0a);			/* BytePrefix */
		emit8(a, v);
	} else {
		emit8(a, 0x0c);			/* DWordPrefix */
		emit(a, &v, 4);
	}
}

static void name_int(struct aml *a, const char *seg, uint32_t v)
{
	emit8(a, 0x08);				/* NameOp */
	emit(a, seg, 4);
	emit_int(a, v);
}

/* EisaId("PNPxxxx"): the compressed id is stored big-endian. */
static void name_pnp(struct aml *a, const char *seg, uint16_t id)
{
	uint8_t b[5] = { 0x0c, 0x41, 0xd0, id >> 8, id & 0xff };

	emit8(a, 0x08);
	emit(a, seg, 4);
	emit(a, b, sizeof(b));
}

/* Name (@seg, Buffer () { resource template @res, then an end tag }). */
static void name_crs(struct aml *a, const struct aml *res)
{
	static const uint8_t end_tag[] = { 0x79, 0x00 };
	unsigned int n = res->len + sizeof(end_tag);
	struct aml size = { .len = 0 };

	emit_int(&size, n);
	emit8(a, 0x08);
	emit(a, "_CRS", 4);
	emit8(a, 0x11);				/* BufferOp */
	emit_pkglen(a, size.len + n);
	emit(a, size.b, size.len);
	emit(a, res->b, res->len);
	emit(a, end_tag, sizeof(end_tag));
}

/* Device (@seg) { @body } or Scope (@seg) { @body }. */
static void block(struct aml *a, int device, const char *seg,
		  const struct aml *body)
{
	if (device) {
		emit8(a, 0x5b);			/* ExtOpPrefix */
		emit8(a, 0x82);			/* DeviceOp */
	} else {
		emit8(a, 0x10);			/* ScopeOp */
	}
	emit_pkglen(a, 4 + body->len);
	emit(a, seg, 4);
	emit(a, body->b, body->len);
	a->overflow |= body->overflow;
}

/* Resource descriptors (6.4). */
static void res_io(struct aml *r, uint16_t base, uint8_t len)
{
	uint8_t d[8] = { 0x47, 0x01, base & 0xff, base >> 8, base & 0xff,
			 base >> 8, 1, len };

	emit(r, d, sizeof(d));
}

/* Word Address Space Descriptor: @type 1 I/O, 2 bus number. */
static void res_word(struct aml *r, uint8_t type, uint16_t min, uint16_t max)
{
	uint16_t f[5] = { 0, min, max, 0, (uint16_t)(max - min + 1) };
	/* Producer, positive decode, min and max fixed; I/O: whole range. */
	uint8_t d[6] = { 0x88, 13, 0, type, 0x0c, type == 1 ? 0x03 : 0 };

	emit(r, d, sizeof(d));
	emit(r, f, sizeof(f));
}

static void res_dword_mem(struct aml *r, uint32_t min, uint32_t len)
{
	uint32_t f[5] = { 0, min, min + len - 1, 0, len };
	/* Memory, producer, min/max fixed; read-write, non-cacheable. */
	uint8_t d[6] = { 0x87, 23, 0, 0, 0x0c, 0x01 };

	emit(r, d, sizeof(d));
	emit(r, f, sizeof(f));
}

static void res_mem32_fixed(struct aml *r, uint32_t base, uint32_t len)
{
	uint8_t d[4] = { 0x86, 9, 0, 0x01 };

	emit(r, d, sizeof(d));
	emit(r, &base, 4);
	emit(r, &len, 4);
}

static void rtc(struct aml *sb)
{
	struct aml dev = { .len = 0 }, res = { .len = 0 };
	static const uint8_t irq8[] = { 0x22, 0x00, 0x01 };	/* IRQNoFlags */

	name_pnp(&dev, "_HID", 0x0b00);
	res_io(&res, 0x70, 2);
	emit(&res, irq8, sizeof(irq8));
	name_crs(&dev, &res);
	block(sb, 1, "RTC_", &dev);
}

static void pci_root(struct aml *sb)
{
	struct aml dev = { .len = 0 }, res = { .len = 0 };

	name_pnp(&dev, "_HID", 0x0a08);		/* PCI Express root bridge */
	name_pnp(&dev, "_CID", 0x0a03);		/* ... and a PCI one */
	name_int(&dev, "_SEG", 0);
	name_int(&dev, "_BBN", 0);
	name_int(&dev, "_UID", 0);
	res_word(&res, 2, 0, 0);		/* bus 0 only */
	res_io(&res, 0xcf8, 8);
	res_word(&res, 1, 0x0000, 0x0cf7);
	res_word(&res, 1, 0x0d00, 0xffff);
	res_dword_mem(&res, DEVMGR_MMIO_BASE, DEVMGR_MMIO_SIZE);
	name_crs(&dev, &res);
	block(sb, 1, "PCI0", &dev);

	memset(&dev, 0, sizeof(dev));
	memset(&res, 0, sizeof(res));
	name_pnp(&dev, "_HID", 0x0c02);		/* motherboard resources */
	name_int(&dev, "_UID", 1);
	res_mem32_fixed(&res, DEVMGR_ECAM_BASE, DEVMGR_ECAM_SIZE);
	name_crs(&dev, &res);
	block(sb, 1, "MRES", &dev);
}

unsigned int acpi_dsdt_aml(uint8_t *out, unsigned int max)
{
	static const uint8_t s5[] = {
		0x08, '_', 'S', '5', '_',	/* NameOp "_S5_" */
		0x12, 0x08, 0x04,		/* PackageOp, PkgLength 8, 4 */
		0x0a, ACPI_S5_TYP, 0x0a, ACPI_S5_TYP, 0x00, 0x00,
	};
	static struct aml top, sb;

	memset(&top, 0, sizeof(top));
	memset(&sb, 0, sizeof(sb));
	emit(&top, s5, sizeof(s5));
	rtc(&sb);
	pci_root(&sb);
	block(&top, 0, "_SB_", &sb);
	if (top.overflow || top.len > max)
		return 0;
	memcpy(out, top.b, top.len);
	return top.len;
}
