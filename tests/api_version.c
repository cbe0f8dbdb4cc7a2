// SPDX-License-Identifier: GPL-2.0-only
/*
 * api_version DEVICE: the system fd speaks KVM's ABI.
 *
 * KVM_GET_API_VERSION answers 12 and rejects an argument; an unknown
 * extension is reported absent; an unknown ioctl fails cleanly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "lib/ksft.h"
#include "lib/vm.h"

/* An ioctl number in KVM's type that no kernel defines. */
#define BOGUS_IOCTL	_IO(KVMIO, 0xfe)
#define BOGUS_EXTENSION	0x7fffffffUL

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/kvm";
	const char *dev = test_dev_name(path);
	int fd, r, err;

	ksft_print_header();
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		ksft_exit_skip("device not present");
	ksft_set_plan(6);
	if (fd < 0)
		ksft_print_msg("open %s: %s\n", path, strerror(errno));

	r = ioctl(fd, KVM_GET_API_VERSION, 0);
	ksft_print_msg("KVM_GET_API_VERSION = %d\n", r);
	ksft_result_dev(r == KVM_API_VERSION, "api-version", dev);

	r = ioctl(fd, KVM_GET_API_VERSION, 1);
	err = errno;
	ksft_result_dev(r == -1 && err == EINVAL, "api-version-rejects-arg", dev);

	r = ioctl(fd, KVM_CHECK_EXTENSION, BOGUS_EXTENSION);
	ksft_result_dev(r == 0, "check-extension-unknown", dev);

	/* What every VMM needs must be advertised, on both devices. */
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
	ksft_result_dev(r > 0, "check-extension-user-memory", dev);
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);
	ksft_print_msg("KVM_CAP_NR_MEMSLOTS = %d\n", r);
	ksft_result_dev(r >= 32, "check-extension-nr-memslots", dev);

	r = ioctl(fd, BOGUS_IOCTL, 0);
	err = errno;
	ksft_print_msg("unknown ioctl: %d (%s)\n", r, strerror(err));
	ksft_result_dev(r == -1 && (err == ENOTTY || err == EINVAL), "unknown-ioctl", dev);

	if (fd >= 0)
		close(fd);
	ksft_finished();
	return KSFT_FAIL;
}
