// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "irq.h"
#include "pit.h"

#define PIT_HZ		1193182ULL
#define NSEC		1000000000ULL
/* Faster than this is no timer a guest means; it would flood the host. */
#define MIN_PERIOD_NS	100000ULL

enum { ACCESS_LATCH, ACCESS_LO, ACCESS_HI, ACCESS_LOHI };

struct pit_channel {
	uint8_t mode, access;
	uint8_t write_hi, read_hi;	/* lo/hi flip-flops */
	uint8_t latched, latch_hi_next;
	uint16_t latch;
	uint8_t status_latched, status;
	uint32_t reload;		/* 1..65536 */
	uint8_t reload_lo;
	uint64_t start_ns;
	uint8_t gate;
	uint8_t armed;
};

static struct pit_channel ch[3];
static int timer_fd = -1;
static uint8_t port61;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static uint64_t ticks(const struct pit_channel *c)
{
	uint64_t ns = now_ns() - c->start_ns;

	/* Split to keep ns * PIT_HZ inside 64 bits for long uptimes. */
	return (ns / NSEC) * PIT_HZ + (ns % NSEC) * PIT_HZ / NSEC;
}

static uint16_t count(const struct pit_channel *c)
{
	uint64_t t = ticks(c);

	if (!c->armed)
		return (uint16_t)c->reload;
	switch (c->mode) {
	case 2:
	case 3:
		return (uint16_t)(c->reload - t % c->reload);
	default:	/* modes 0, 1, 4, 5: count down once, then wrap */
		return (uint16_t)(c->reload - t);
	}
}

static int output(const struct pit_channel *c)
{
	uint64_t t = ticks(c);

	if (!c->armed)
		return c->mode != 0;
	switch (c->mode) {
	case 2:
		return t % c->reload != c->reload - 1;
	case 3:
		return t % c->reload < (c->reload + 1) / 2;
	default:
		return t >= c->reload;
	}
}

static void arm_timer(void)
{
	struct pit_channel *c = &ch[0];
	struct itimerspec its;
	uint64_t period = (uint64_t)c->reload * NSEC / PIT_HZ;

	memset(&its, 0, sizeof(its));
	if (period < MIN_PERIOD_NS)
		period = MIN_PERIOD_NS;
	its.it_value.tv_sec = period / NSEC;
	its.it_value.tv_nsec = period % NSEC;
	if (c->mode == 2 || c->mode == 3)
		its.it_interval = its.it_value;
	timerfd_settime(timer_fd, 0, &its, NULL);
}

static void load(unsigned int i, uint32_t v)
{
	struct pit_channel *c = &ch[i];

	c->reload = v ? v : 65536;
	c->start_ns = now_ns();
	c->armed = 1;
	if (i == 0)
		arm_timer();
}

static void control(uint8_t v)
{
	unsigned int i = v >> 6;
	struct pit_channel *c;

	if (i == 3) {	/* read-back: latch count and/or status */
		for (i = 0; i < 3; i++) {
			if (!(v & (2 << i)))
				continue;
			c = &ch[i];
			if (!(v & 0x10) && !c->latched) {
				c->latch = count(c);
				c->latched = 1;
				c->latch_hi_next = 0;
			}
			if (!(v & 0x20)) {
				c->status = (output(c) << 7) | (c->access << 4) |
					    (c->mode << 1);
				c->status_latched = 1;
			}
		}
		return;
	}
	c = &ch[i];
	if (((v >> 4) & 3) == ACCESS_LATCH) {
		if (!c->latched) {
			c->latch = count(c);
			c->latched = 1;
			c->latch_hi_next = 0;
		}
		return;
	}
	c->access = (v >> 4) & 3;
	c->mode = (v >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;	/* 6 and 7 alias 2 and 3 */
	c->write_hi = c->read_hi = 0;
	c->latched = 0;
	c->armed = 0;
	if (i == 0) {
		struct itimerspec off;

		memset(&off, 0, sizeof(off));
		timerfd_settime(timer_fd, 0, &off, NULL);
	}
}

static uint8_t read_counter(struct pit_channel *c)
{
	uint16_t v;
	uint8_t hi;

	if (c->status_latched) {
		c->status_latched = 0;
		return c->status;
	}
	if (c->latched) {
		hi = c->access == ACCESS_HI ||
		     (c->access == ACCESS_LOHI && c->latch_hi_next);
		v = c->latch;
		if (c->access == ACCESS_LOHI && !c->latch_hi_next)
			c->latch_hi_next = 1;
		else
			c->latched = 0;
		return hi ? v >> 8 : v & 0xff;
	}
	v = count(c);
	hi = c->access == ACCESS_HI || (c->access == ACCESS_LOHI && c->read_hi);
	if (c->access == ACCESS_LOHI)
		c->read_hi ^= 1;
	return hi ? v >> 8 : v & 0xff;
}

static void write_counter(unsigned int i, uint8_t v)
{
	struct pit_channel *c = &ch[i];

	switch (c->access) {
	case ACCESS_LO:
		load(i, v);
		break;
	case ACCESS_HI:
		load(i, (uint32_t)v << 8);
		break;
	default:
		if (!c->write_hi) {
			c->reload_lo = v;
			c->write_hi = 1;
		} else {
			c->write_hi = 0;
			load(i, c->reload_lo | ((uint32_t)v << 8));
		}
		break;
	}
}

static void pit_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	(void)size;
	if (off < 3)
		*data = read_counter(&ch[off]);
	else
		*data = 0xff;	/* the control word is write-only */
}

static void pit_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	(void)size;
	if (off < 3)
		write_counter(off, *data);
	else
		control(*data);
}

/* Port 0x61: bit 0 gates channel 2, bit 5 reads its output. */
static void p61_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	(void)off;
	(void)size;
	*data = (port61 & 0x0f) | (ch[2].gate && output(&ch[2]) ? 0x20 : 0);
}

static void p61_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	(void)off;
	(void)size;
	/* Raising the gate restarts channel 2's count (modes 1 and 5 too). */
	if (!(port61 & 1) && (*data & 1) && ch[2].armed)
		ch[2].start_ns = now_ns();
	port61 = *data;
	ch[2].gate = *data & 1;
}

int pit_timer_fd(void)
{
	return timer_fd;
}

void pit_timer_fired(void)
{
	uint64_t n;

	if (read(timer_fd, &n, sizeof(n)) != sizeof(n))
		return;
	bus_lock();
	if (ch[0].armed)
		irq_isa_pulse(0);
	bus_unlock();
}

int pit_init(void)
{
	memset(ch, 0, sizeof(ch));
	ch[0].gate = ch[1].gate = 1;
	timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (timer_fd < 0)
		return -1;
	bus_add_pio("pit", 0x40, 4, pit_rd, pit_wr);
	bus_add_pio("port61", 0x61, 1, p61_rd, p61_wr);
	return 0;
}
