// SPDX-License-Identifier: GPL-2.0-only
/* Domain files in the state directory, written atomically and durably. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain.h"
#include "store.h"

/*
 * "<dir>/<rest>" into a PATH_MAX buffer. Names are at most DOM_NAME_MAX
 * bytes and the directory's length is checked by store_init, so this
 * only fails for a caller's bug; it is checked anyway.
 */
#define PATH(buf, ...) \
	(snprintf((buf), sizeof(buf), __VA_ARGS__) >= (int)sizeof(buf) ? -1 : 0)

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

static int mkdir_0700(const char *path, struct verr *err)
{
	struct stat st;

	if (mkdir(path, 0700) && errno != EEXIST)
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot create %s: %s", path, strerror(errno));
	if (lstat(path, &st) || !S_ISDIR(st.st_mode))
		return verr_set(err, VERR_OPERATION_FAILED,
				"%s is not a directory", path);
	return 0;
}

int store_init(const char *dir, struct verr *err)
{
	char sub[PATH_MAX];

	if (mkdir_0700(dir, err))
		return -1;
	if (PATH(sub, "%s/autostart", dir))
		return verr_set(err, VERR_INTERNAL, "path too long");
	return mkdir_0700(sub, err);
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int store_write(const char *dir, const char *name, const char *xml,
		struct verr *err)
{
	char leaf[DOM_NAME_MAX + 8];

	if (PATH(leaf, "%s.xml", name))
		return verr_set(err, VERR_INTERNAL, "name too long");
	return store_put(dir, leaf, xml, err);
}

int store_put(const char *dir, const char *leaf, const char *text,
	      struct verr *err)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int fd, saved;

	if (PATH(tmp, "%s/.%s.new", dir, leaf))
		return verr_set(err, VERR_INTERNAL, "path too long");
	if (PATH(path, "%s/%s", dir, leaf))
		return verr_set(err, VERR_INTERNAL, "path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot write %s: %s", tmp, strerror(errno));
	if (write_all(fd, text, strlen(text)) || fsync(fd)) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot write %s: %s", tmp, strerror(saved));
	}
	close(fd);
	if (rename(tmp, path)) {
		saved = errno;
		unlink(tmp);
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot rename %s to %s: %s", tmp, path,
				strerror(saved));
	}
	if (fsync_dir(dir))
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot sync %s: %s", dir, strerror(errno));
	return 0;
}

int store_remove(const char *dir, const char *name, struct verr *err)
{
	char path[PATH_MAX];

	if (store_set_autostart(dir, name, false, err))
		return -1;
	if (PATH(path, "%s/%s.xml", dir, name))
		return verr_set(err, VERR_INTERNAL, "path too long");
	if (unlink(path) && errno != ENOENT)
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot remove %s: %s", path, strerror(errno));
	if (fsync_dir(dir))
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot sync %s: %s", dir, strerror(errno));
	return 0;
}

int store_set_autostart(const char *dir, const char *name, bool on,
			struct verr *err)
{
	char link[PATH_MAX], target[PATH_MAX], sub[PATH_MAX];

	if (PATH(sub, "%s/autostart", dir))
		return verr_set(err, VERR_INTERNAL, "path too long");
	if (PATH(link, "%s/%s.xml", sub, name))
		return verr_set(err, VERR_INTERNAL, "path too long");
	if (PATH(target, "../%s.xml", name))
		return verr_set(err, VERR_INTERNAL, "path too long");
	if (on && symlink(target, link) && errno != EEXIST)
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot create %s: %s", link, strerror(errno));
	if (!on && unlink(link) && errno != ENOENT)
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot remove %s: %s", link, strerror(errno));
	if (fsync_dir(sub))
		return verr_set(err, VERR_OPERATION_FAILED,
				"cannot sync %s: %s", sub, strerror(errno));
	return 0;
}

bool store_autostart(const char *dir, const char *name)
{
	char link[PATH_MAX];
	struct stat st;

	if (PATH(link, "%s/autostart/%s.xml", dir, name))
		return false;
	return !lstat(link, &st) && S_ISLNK(st.st_mode);
}

char *store_read(const char *dir, const char *file, size_t max, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	char *buf = NULL;
	ssize_t r;
	int fd;

	if (PATH(path, "%s/%s", dir, file))
		return NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && (size_t)st.st_size <= max)
		buf = malloc((size_t)st.st_size + 1);
	if (buf) {
		r = read(fd, buf, (size_t)st.st_size);
		if (r != st.st_size) {
			free(buf);
			buf = NULL;
		} else {
			buf[r] = '\0';
			*len = (size_t)r;
		}
	}
	close(fd);
	return buf;
}
