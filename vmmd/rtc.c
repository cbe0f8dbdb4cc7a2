// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "rtc.h"

#define REG_A		0x0a
#define REG_B		0x0b
#define REG_C		0x0c
#define REG_D		0x0d
#define REG_CENTURY	0x32	/* as the FADT's CENTURY field says */
#define B_BINARY	0x04
#define B_24H		0x02

static uint8_t cmos[128];
static uint8_t index_reg;

static uint8_t enc(unsigned int v)
{
	return (cmos[REG_B] & B_BINARY) ? v : (uint8_t)(((v / 10) << 4) | (v % 10));
}

static uint8_t clock_reg(unsigned int reg)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (reg) {
	case 0: return enc(tm.tm_sec);
	case 2: return enc(tm.tm_min);
	case 4: return enc(tm.tm_hour);
	case 6: return enc(tm.tm_wday + 1);
	case 7: return enc(tm.tm_mday);
	case 8: return enc(tm.tm_mon + 1);
	case 9: return enc(tm.tm_year % 100);
	default: return enc((tm.tm_year + 1900) / 100);
	}
}

static void rtc_rd(uint64_t off, uint8_t *data, unsigned int size)
{
	unsigned int reg = index_reg & 0x7f;

	(void)size;
	if (off == 0) {
		*data = 0xff;	/* the index port is write-only */
		return;
	}
	if (reg <= 9 && !(reg & 1 && reg < 6))
		*data = clock_reg(reg);
	else if (reg == REG_CENTURY)
		*data = clock_reg(REG_CENTURY);
	else
		*data = cmos[reg];
	if (reg == REG_C)
		cmos[REG_C] = 0;	/* reading C acknowledges */
}

static void rtc_wr(uint64_t off, const uint8_t *data, unsigned int size)
{
	unsigned int reg = index_reg & 0x7f;

	(void)size;
	if (off == 0) {
		index_reg = *data;	/* bit 7 is the NMI mask: ignored */
		return;
	}
	if (reg == REG_B)
		cmos[REG_B] = (*data & ~B_24H) | B_24H;	/* 24-hour only */
	else if (reg == REG_A)
		cmos[REG_A] = *data & 0x7f;		/* UIP is read-only */
	else if (reg > REG_D && reg != REG_CENTURY)
		cmos[reg] = *data;
}

void rtc_init(void)
{
	memset(cmos, 0, sizeof(cmos));
	cmos[REG_A] = 0x26;	/* 32.768 kHz base, 1024 Hz rate, UIP clear */
	cmos[REG_B] = B_24H;
	cmos[REG_D] = 0x80;	/* valid RAM and time */
	bus_add_pio("rtc", 0x70, 2, rtc_rd, rtc_wr);
}
