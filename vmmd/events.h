/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_EVENTS_H
#define VMMD_EVENTS_H

/*
 * The event thread: everything that is not a vCPU exit. It waits on
 * stdin (bytes for the UART), the PIT's timerfd, and a stop eventfd,
 * and pushes out partial console lines every 100 ms.
 */
int events_start(int in_fd);
/*
 * A device's fd (at most EVENTS_DEV_FDS, added before events_start):
 * while watched, @fn(@ctx) runs on the event thread each time @fd is
 * readable (level-triggered); it takes the bus lock itself. Added
 * unwatched.
 */
#define EVENTS_DEV_FDS 8
int events_add_dev(int fd, void (*fn)(void *ctx), void *ctx);
/* Watch @fd (how 1), stop (0), or forget it for good (-1). Any thread. */
void events_watch_dev(int fd, int how);
void events_stop(void);

#endif /* VMMD_EVENTS_H */
