// SPDX-License-Identifier: GPL-2.0-only
/* The test guest's library (vguest.h). */
#include "vguest.h"

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define LSR_THRE	0x20
#define PM1_CNT		0x604
#define PM1_SLP_S5	((5 << 10) | 0x2000)	/* SLP_TYP 5, SLP_EN */
#define PCI_CAP_VNDR	0x09

void *memset(void *d, int c, unsigned long n)
{
	void *p = d;

	__asm__ volatile("rep stosb" : "+D"(p), "+c"(n) : "a"(c) : "memory");
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

static void con_putc(char c)
{
	while (!(inb(COM1_LSR) & LSR_THRE))
		;
	outb(COM1, (u8)c);
}

void con_puts(const char *s)
{
	while (*s)
		con_putc(*s++);
}

void con_putu(u64 v)
{
	char b[24];
	int i = 0;

	do {
		b[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		con_putc(b[--i]);
}

void con_putx(u64 v)
{
	int i, started = 0;

	con_puts("0x");
	for (i = 60; i >= 0; i -= 4) {
		unsigned int d = (v >> i) & 0xf;

		if (d || started || !i) {
			con_putc("0123456789abcdef"[d]);
			started = 1;
		}
	}
}

void vguest_poweroff(void)
{
	outw(PM1_CNT, PM1_SLP_S5);
}

/* Where a virtio capability points: its BAR's base plus its offset. */
static u64 cap_addr(unsigned int slot, unsigned int cap)
{
	u8 bar = RD(8, ecam(slot, cap + 4));
	u64 base = RD(32, ecam(slot, 0x10 + 4 * bar)) & ~0xfULL;

	return base + RD(32, ecam(slot, cap + 8));
}

int vpci_find(u16 device_id, struct vpci *v)
{
	unsigned int slot, cap;

	for (slot = 0; slot < 32; slot++) {
		if (RD(16, ecam(slot, 0)) != 0x1af4 ||
		    RD(16, ecam(slot, 2)) != device_id)
			continue;
		memset(v, 0, sizeof(*v));
		v->slot = slot;
		/* Memory space on: the BARs answer only then. */
		WR(16, ecam(slot, 4), RD(16, ecam(slot, 4)) | 0x2);
		for (cap = RD(8, ecam(slot, 0x34)); cap; cap = RD(8, ecam(slot, cap + 1))) {
			if (RD(8, ecam(slot, cap)) != PCI_CAP_VNDR)
				continue;
			switch (RD(8, ecam(slot, cap + 3))) {
			case 1:
				v->common = cap_addr(slot, cap);
				break;
			case 2:
				v->notify = cap_addr(slot, cap);
				v->notify_mult = RD(32, ecam(slot, cap + 16));
				break;
			case 4:
				v->device = cap_addr(slot, cap);
				break;
			}
		}
		return v->common && v->notify ? 0 : -1;
	}
	return -1;
}

u8 vpci_status(const struct vpci *v)
{
	return RD(8, v->common + VC_STATUS);
}

void vpci_set_status(const struct vpci *v, u8 s)
{
	WR(8, v->common + VC_STATUS, s);
}

/* A 64-bit feature word read as two selected halves. */
static u64 features64(const struct vpci *v, unsigned int select,
		      unsigned int word)
{
	u64 f;

	WR(32, v->common + select, 0);
	f = RD(32, v->common + word);
	WR(32, v->common + select, 1);
	return f | (u64)RD(32, v->common + word) << 32;
}

u64 vpci_device_features(const struct vpci *v)
{
	return features64(v, VC_DFSELECT, VC_DF);
}

void vpci_set_driver_features(const struct vpci *v, u64 f)
{
	WR(32, v->common + VC_GFSELECT, 0);
	WR(32, v->common + VC_GF, (u32)f);
	WR(32, v->common + VC_GFSELECT, 1);
	WR(32, v->common + VC_GF, (u32)(f >> 32));
}

u64 vpci_driver_features(const struct vpci *v)
{
	return features64(v, VC_GFSELECT, VC_GF);
}

void vpci_queue(const struct vpci *v, u16 size, u64 desc, u64 avail,
		u64 used, u16 enable)
{
	WR(16, v->common + VC_QSELECT, 0);
	WR(16, v->common + VC_QSIZE, size);
	/* Two 32-bit halves each, as Linux writes them (4.1.3.1). */
	WR(32, v->common + VC_QDESC, (u32)desc);
	WR(32, v->common + VC_QDESC + 4, (u32)(desc >> 32));
	WR(32, v->common + VC_QDRIVER, (u32)avail);
	WR(32, v->common + VC_QDRIVER + 4, (u32)(avail >> 32));
	WR(32, v->common + VC_QDEVICE, (u32)used);
	WR(32, v->common + VC_QDEVICE + 4, (u32)(used >> 32));
	WR(16, v->common + VC_QENABLE, enable);
}

void vpci_notify(const struct vpci *v, u16 queue)
{
	u16 off;

	WR(16, v->common + VC_QSELECT, queue);
	off = RD(16, v->common + VC_QNOTIFY_OFF);
	WR(16, v->notify + (u64)off * v->notify_mult, queue);
}
