// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: the daemon <-> VM process codec. The first byte picks the
 * reading side; every decoded message must encode back to the very
 * bytes it came from (the format has one encoding per message).
 */
#include <stdlib.h>
#include <string.h>

#include "vmmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmmsg m;
	static uint8_t out[VMMSG_MAX];
	enum vmmsg_dir dir;
	long n;
	size_t e;

	if (size < 1)
		return 0;
	dir = data[0] & 1 ? VMMSG_TO_DAEMON : VMMSG_TO_VM;
	n = vmmsg_decode(data + 1, size - 1, dir, &m);
	if (n > 0) {
		e = vmmsg_encode(&m, out, sizeof(out));
		if (e != (size_t)n || memcmp(out, data + 1, e))
			abort();
	}
	return 0;
}
