/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A freestanding test guest for vmmd (`vmmd run --raw-payload`, start.S):
 * port I/O, the console (COM1, polled), power-off through vmmd's ACPI PM1
 * block, PCI config through the ECAM, and the virtio 1.x PCI transport's
 * registers. Facts: virtio 1.2 section 4.1, vmmd's layout in
 * docs/virtio.md (ECAM at 0xe0000000, PM1 control at 0x604, S5 = 5).
 */
#ifndef VGUEST_H
#define VGUEST_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define VGUEST_ECAM	0xe0000000ULL

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* MMIO and shared-ring accesses: one access of the given width each. */
#define RD(w, a) (*(volatile u##w *)(unsigned long)(a))
#define WR(w, a, v) (*(volatile u##w *)(unsigned long)(a) = (v))

void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);

void con_puts(const char *s);
void con_putu(u64 v);
void con_putx(u64 v);
void vguest_poweroff(void);

/* PCI config space of bus 0, slot @slot, function 0, through the ECAM. */
static inline u64 ecam(unsigned int slot, unsigned int reg)
{
	return VGUEST_ECAM + ((u64)slot << 15) + reg;
}

/* A virtio PCI function's register blocks, from its capabilities. */
struct vpci {
	unsigned int slot;
	u64 common;		/* common configuration (4.1.4.3) */
	u64 notify;		/* queue notifications */
	u32 notify_mult;
	u64 device;		/* device-specific configuration */
};

/* Find device @device_id (vendor 0x1af4); 0 and *v filled, or -1. */
int vpci_find(u16 device_id, struct vpci *v);

/* Common configuration registers (4.1.4.3). */
#define VC_DFSELECT	0x00
#define VC_DF		0x04
#define VC_GFSELECT	0x08
#define VC_GF		0x0c
#define VC_STATUS	0x14
#define VC_QSELECT	0x16
#define VC_QSIZE	0x18
#define VC_QENABLE	0x1c
#define VC_QNOTIFY_OFF	0x1e
#define VC_QDESC	0x20
#define VC_QDRIVER	0x28
#define VC_QDEVICE	0x30

#define VS_ACK		0x01
#define VS_DRIVER	0x02
#define VS_DRIVER_OK	0x04
#define VS_FEATURES_OK	0x08
#define VS_NEEDS_RESET	0x40

u8 vpci_status(const struct vpci *v);
void vpci_set_status(const struct vpci *v, u8 s);
u64 vpci_device_features(const struct vpci *v);
void vpci_set_driver_features(const struct vpci *v, u64 f);
u64 vpci_driver_features(const struct vpci *v);
/* Queue 0's registers, then queue_enable = @enable (1, or a bad value). */
void vpci_queue(const struct vpci *v, u16 size, u64 desc, u64 avail,
		u64 used, u16 enable);
void vpci_notify(const struct vpci *v, u16 queue);

#endif /* VGUEST_H */
