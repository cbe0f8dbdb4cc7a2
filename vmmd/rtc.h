/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_RTC_H
#define VMMD_RTC_H

/*
 * MC146818 RTC and CMOS RAM (ports 0x70/0x71): the host's UTC time,
 * read-only (a guest's clock writes are dropped), BCD or binary, 24-hour;
 * no update, alarm or periodic interrupts (IRQ 8 stays low).
 */
void rtc_init(void);

#endif /* VMMD_RTC_H */
