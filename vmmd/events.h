/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_EVENTS_H
#define VMMD_EVENTS_H

/*
 * The event thread: everything that is not a vCPU exit. It waits on
 * stdin (bytes for the UART), the PIT's timerfd, and a stop eventfd,
 * and pushes out partial console lines every 100 ms.
 */
int events_start(int in_fd);
void events_stop(void);

#endif /* VMMD_EVENTS_H */
