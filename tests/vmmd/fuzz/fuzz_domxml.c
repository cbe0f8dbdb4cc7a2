// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: domain XML. Whatever parses must format to XML that
 * parses again to the same text (the dumpxml -> define round trip); a
 * crash, sanitizer report or leak is a finding too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domxml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dom_def *def, *again;
	struct verr err;
	char *x1, *x2;

	if (domxml_parse((const char *)data, size, &def, &err))
		return 0;
	x1 = domxml_format(def);
	if (!x1)
		abort();
	if (domxml_parse(x1, strlen(x1), &again, &err))
		abort();	/* our own output refused */
	x2 = domxml_format(again);
	if (!x2 || strcmp(x1, x2))
		abort();	/* the round trip changed something */
	free(x1);
	free(x2);
	dom_def_free(def);
	dom_def_free(again);
	return 0;
}
