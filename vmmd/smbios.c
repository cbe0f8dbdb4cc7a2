// SPDX-License-Identifier: GPL-2.0-only
/* SMBIOS 2.8 (DMTF DSP0134): a 31-byte entry point and three structures. */
#include <stdint.h>
#include <string.h>

#include "smbios.h"

#define ENTRY_LEN	0x1f
#define TABLE_AT	(SMBIOS_ENTRY + 0x20)

/* Type 0, BIOS information, with its strings. */
static const uint8_t type0[] = {
	0, 0x18, 0x00, 0x00,		/* type, length, handle 0 */
	1, 2, 0x00, 0xe8, 3, 0,		/* vendor, version, segment, date, ROM */
	0x08, 0, 0, 0, 0, 0, 0, 0,	/* characteristics: not supported */
	0x00, 0x10,			/* ext 2 bit 4: a virtual machine */
	0, 0, 0xff, 0xff,		/* release 0.0, no embedded controller */
	'L', 'A', 'M', 'I', 'N', 'A', 0, 'v', 'm', 'm', 'd', 0,
	'0', '1', '/', '0', '1', '/', '2', '0', '2', '6', 0, 0,
};

/* Type 1, system information. */
static const uint8_t type1[] = {
	1, 0x1b, 0x00, 0x01,		/* type, length, handle 0x100 */
	1, 2, 0, 0,			/* manufacturer, product, no version/serial */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* UUID unknown */
	6, 0, 0,			/* woken by power switch; no SKU, family */
	'L', 'A', 'M', 'I', 'N', 'A', 0, 'v', 'm', 'm', 'd', 0, 0,
};

/* Type 127, end of table. */
static const uint8_t type127[] = { 127, 4, 0x00, 0x7f, 0, 0 };

static uint8_t checksum(const uint8_t *p, unsigned int len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

void smbios_build(const struct guest_mem *m)
{
	uint16_t table_len = sizeof(type0) + sizeof(type1) + sizeof(type127);
	uint8_t *e = guest_mem_ptr(m, SMBIOS_ENTRY, 0x20 + table_len);
	uint8_t *t = e + (TABLE_AT - SMBIOS_ENTRY);
	uint32_t table_at = TABLE_AT;
	uint16_t max_struct = sizeof(type0), count = 3;

	memset(e, 0, 0x20 + table_len);
	memcpy(t, type0, sizeof(type0));
	memcpy(t + sizeof(type0), type1, sizeof(type1));
	memcpy(t + sizeof(type0) + sizeof(type1), type127, sizeof(type127));

	memcpy(e, "_SM_", 4);
	e[5] = ENTRY_LEN;
	e[6] = 2;				/* SMBIOS 2.8 */
	e[7] = 8;
	memcpy(e + 8, &max_struct, 2);
	memcpy(e + 16, "_DMI_", 5);
	memcpy(e + 22, &table_len, 2);
	memcpy(e + 24, &table_at, 4);
	memcpy(e + 28, &count, 2);
	e[30] = 0x28;				/* BCD revision 2.8 */
	e[21] = checksum(e + 16, 15);		/* intermediate checksum */
	e[4] = checksum(e, ENTRY_LEN);
}
