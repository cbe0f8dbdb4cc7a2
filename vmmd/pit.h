/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_PIT_H
#define VMMD_PIT_H

/*
 * The 8254 PIT (ports 0x40-0x43; channel 2's gate and output at 0x61).
 * Counters run on the host's monotonic clock at 1.193182 MHz; channel 0
 * raises ISA IRQ 0 from a timerfd the event thread watches. A guest with
 * a known TSC frequency and a TSC-deadline LAPIC timer (Linux on KVM
 * with kvmclock) does not program it.
 */
int pit_init(void);
int pit_timer_fd(void);
/* The event thread saw the timerfd expire. */
void pit_timer_fired(void);

#endif /* VMMD_PIT_H */
