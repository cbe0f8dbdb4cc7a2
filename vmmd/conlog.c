// SPDX-License-Identifier: GPL-2.0-only
/* The capped per-domain console log (conlog.h). */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conlog.h"

void conlog_open(struct conlog *l, const char *path, bool fresh, uint64_t max)
{
	struct stat st;

	l->max = max;
	l->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		     (fresh ? O_TRUNC : O_APPEND), 0640);
	l->size = l->fd >= 0 && !fstat(l->fd, &st) ? (uint64_t)st.st_size : 0;
}

void conlog_write(struct conlog *l, const uint8_t *data, size_t len)
{
	if (l->fd < 0 || len > l->max)
		return;
	if (l->size + len > l->max) {
		/* The cap: start over rather than fill the disk. */
		if (ftruncate(l->fd, 0) || lseek(l->fd, 0, SEEK_SET))
			return;
		l->size = 0;
	}
	if (write(l->fd, data, len) == (ssize_t)len)
		l->size += len;
}

void conlog_close(struct conlog *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}
