// SPDX-License-Identifier: GPL-2.0-only
/* Domain definitions: freeing, the name rule, UUID text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

void dom_def_free(struct dom_def *def)
{
	unsigned int i;

	if (!def)
		return;
	for (i = 0; i < def->ndisks; i++)
		free(def->disks[i].path);
	for (i = 0; i < def->nnics; i++)
		free(def->nics[i].ifname);
	free(def->title);
	free(def->description);
	free(def->kernel);
	free(def->initrd);
	free(def->cmdline);
	free(def);
}

bool dom_name_valid(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > DOM_NAME_MAX)
		return false;
	if (!isalnum((unsigned char)name[0]) && name[0] != '_')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = name[i];

		if (!(c < 0x80 && (isalnum(c) || c == '_' || c == '.' ||
				   c == '+' || c == '-')))
			return false;
	}
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool dom_uuid_parse(const char *s, uint8_t uuid[16])
{
	bool dashed = strlen(s) == 36;
	unsigned int i, pos = 0;
	int hi, lo;

	if (!dashed && strlen(s) != 32)
		return false;
	for (i = 0; i < 16; i++) {
		if (dashed && (i == 4 || i == 6 || i == 8 || i == 10)) {
			if (s[pos] != '-')
				return false;
			pos++;
		}
		hi = hexval(s[pos]);
		lo = hexval(s[pos + 1]);
		if (hi < 0 || lo < 0)
			return false;
		uuid[i] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	return s[pos] == '\0';
}

void dom_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}
