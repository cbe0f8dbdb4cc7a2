// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "conring.h"
#include "exitcode.h"
#include "irq.h"
#include "run.h"
#include "serial.h"

#define COM1_BASE	0x3f8
#define COM1_IRQ	4
#define FIFO_SIZE	64
#define LINE_MAX_LEN	512
#define SCAN_LEN	128	/* the panic markers follow a timestamp */

/* Register bits (16550 datasheet names). */
#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_RLSI	0x04
#define IER_MSI		0x08
#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0
#define LCR_DLAB	0x80
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MCR_LOOP	0x10
#define MSR_DCD_DSR_CTS	0xb0

struct uart {
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	uint8_t thre_pending;	/* THR empty, not yet reported through IIR */
	uint8_t rx[FIFO_SIZE];
	unsigned int rx_head, rx_count;
	char line[LINE_MAX_LEN];	/* output not yet written */
	unsigned int line_len;
	char scan[SCAN_LEN];		/* the current line's start */
	unsigned int scan_len;
	int out_fd;
	struct conring *ring;	/* vmmd-vm: CONSOLE_OUT to the daemon, kept while it is away */
	int irq_level;
};

static struct uart u;

/*
 * Linux's panic() starts with the first line; it ends with the second
 * unless panic=N makes it reset instead.
 */
static const char panic_start[] = "Kernel panic - not syncing";
static const char panic_end[] = "---[ end Kernel panic";

/*
 * vmmd-vm: the line goes to the daemon (console stream and log); while
 * none listens, the ring keeps it for the next one and the guest runs on.
 */
static void out_send(void)
{
	conring_send(u.ring, (const uint8_t *)u.line, u.line_len);
	u.line_len = 0;
}

static void out_flush(void)
{
	size_t done = 0;

	if (u.ring && u.line_len) {
		out_send();
		return;
	}
	while (done < u.line_len) {
		ssize_t r = write(u.out_fd, u.line + done, u.line_len - done);

		if (r <= 0)
			break;		/* stdout gone: the guest keeps running */
		done += r;
	}
	u.line_len = 0;
}

/*
 * pvpanic is a module in Debian's cloud kernel, so the console is where a
 * guest panic shows. With panic=N the guest resets next (run.c reports
 * the panic then); without it, it would spin after the end line. The
 * scan keeps the start of each whole line: the output buffer may have
 * been flushed in the middle of one.
 */
static void scan_line(void)
{
	if (memmem(u.scan, u.scan_len, panic_start, sizeof(panic_start) - 1))
		vmmd_note_panic();
	if (memmem(u.scan, u.scan_len, panic_end, sizeof(panic_end) - 1))
		vmmd_stop(VMMD_EXIT_PANIC, "guest kernel panicked");
	u.scan_len = 0;
}

static void out_byte(uint8_t c)
{
	u.line[u.line_len++] = c;
	if (c == '\n')
		scan_line();
	else if (u.scan_len < sizeof(u.scan))
		u.scan[u.scan_len++] = c;
	if (c == '\n' || u.line_len == LINE_MAX_LEN)
		out_flush();
}

static void update_irq(void)
{
	int level = (u.ier & IER_RDI && u.rx_count) ||
		    (u.ier & IER_THRI && u.thre_pending);

	/* OUT2 gates the interrupt line on a PC's serial port. */
	if (!(u.mcr & 0x08))
		level = 0;
	if (level != u.irq_level) {
		u.irq_level = level;
		irq_isa_set(COM1_IRQ, level);
	}
}

static uint8_t iir(void)
{
	uint8_t fifo = (u.fcr & 1) ? IIR_FIFO : 0;

	if (u.ier & IER_RDI && u.rx_count)
		return IIR_RDI | fifo;
	if (u.ier & IER_THRI && u.thre_pending)
		return IIR_THRI | fifo;
	return IIR_NO_INT | fifo;
}

static uint8_t rx_pop(void)
{
	uint8_t c = 0;

	if (u.rx_count) {
		c = u.rx[u.rx_head];
		u.rx_head = (u.rx_head + 1) % FIFO_SIZE;
		u.rx_count--;
	}
	return c;
}

static void rx_push(uint8_t c)
{
	if (u.rx_count < FIFO_SIZE) {
		u.rx[(u.rx_head + u.rx_count) % FIFO_SIZE] = c;
		u.rx_count++;
	}
}

static void uart_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	uint8_t v = 0;

	(void)size;
	switch (off) {
	case 0:
		v = (u.lcr & LCR_DLAB) ? u.dll : rx_pop();
		break;
	case 1:
		v = (u.lcr & LCR_DLAB) ? u.dlm : u.ier;
		break;
	case 2:
		v = iir();
		/* Reading IIR while it reports THRE clears that interrupt. */
		if ((v & 0x0f) == IIR_THRI)
			u.thre_pending = 0;
		break;
	case 3:
		v = u.lcr;
		break;
	case 4:
		v = u.mcr;
		break;
	case 5:
		/* The transmitter is always idle: bytes leave at once. */
		v = LSR_THRE | LSR_TEMT | (u.rx_count ? LSR_DR : 0);
		break;
	case 6:
		/* Loopback mirrors MCR; otherwise a connected, ready line. */
		v = (u.mcr & MCR_LOOP) ? (uint8_t)((u.mcr & 0x0f) << 4)
				       : MSR_DCD_DSR_CTS;
		break;
	case 7:
		v = u.scr;
		break;
	}
	*data = v;
	update_irq();
}

static void uart_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	uint8_t v = *data;

	(void)size;
	switch (off) {
	case 0:
		if (u.lcr & LCR_DLAB) {
			u.dll = v;
		} else {
			if (u.mcr & MCR_LOOP)
				rx_push(v);
			else
				out_byte(v);
			u.thre_pending = 1;
		}
		break;
	case 1:
		if (u.lcr & LCR_DLAB) {
			u.dlm = v;
		} else {
			/* Enabling THRI with THR empty raises it (16550). */
			if (!(u.ier & IER_THRI) && (v & IER_THRI))
				u.thre_pending = 1;
			u.ier = v & (IER_RDI | IER_THRI | IER_RLSI | IER_MSI);
		}
		break;
	case 2:
		u.fcr = v & 0xc9;
		if (v & 0x02) {			/* clear receive FIFO */
			u.rx_count = 0;
			u.rx_head = 0;
		}
		break;
	case 3:
		u.lcr = v;
		break;
	case 4:
		u.mcr = v & 0x1f;
		break;
	case 7:
		u.scr = v;
		break;
	}
	update_irq();
}

size_t serial_receive(const uint8_t *buf, size_t len)
{
	size_t n = 0;

	bus_lock();
	while (n < len && u.rx_count < FIFO_SIZE)
		rx_push(buf[n++]);
	update_irq();
	bus_unlock();
	return n;
}

void serial_flush(void)
{
	bus_lock();
	out_flush();
	bus_unlock();
}

void serial_init(int out_fd, struct conring *ring)
{
	memset(&u, 0, sizeof(u));
	u.out_fd = out_fd;
	u.ring = ring;
	u.thre_pending = 1;
	bus_add_pio("com1", COM1_BASE, 8, uart_rd, uart_wr);
}
