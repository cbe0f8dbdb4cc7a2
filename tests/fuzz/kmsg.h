/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watch the kernel log while the fuzzer runs: /dev/kmsg, read from the
 * end at the start, drained after every seed, so each report names the
 * seed that was running when the kernel complained and the ring buffer
 * (lamina's rate-limited reasons for every refused call) cannot overflow
 * between two looks.
 */
#ifndef LAMINA_FUZZ_KMSG_H
#define LAMINA_FUZZ_KMSG_H

/* Open /dev/kmsg at its end. Returns an fd, or -1 (errno set). */
int fuzz_kmsg_open(void);

/*
 * Read every record logged since the last call; print the bad ones (an
 * oops, BUG, WARN, lockdep, KASAN/UBSAN report, general protection fault,
 * hung task or RCU stall) as diagnostics with @seed. Returns how many
 * were bad; records lost to an overflow count as one bad record.
 */
unsigned int fuzz_kmsg_drain(int fd, unsigned long long seed);

#endif /* LAMINA_FUZZ_KMSG_H */
