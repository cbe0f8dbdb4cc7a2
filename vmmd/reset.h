/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_RESET_H
#define VMMD_RESET_H

/*
 * The ways a PC guest resets or powers off:
 *  - i8042 (ports 0x60/0x64): only the "pulse reset line" command 0xfe;
 *    no keyboard (the FADT says there is no 8042 to probe);
 *  - ACPI PM1 registers at ACPI_PM_BASE: PM1a_CNT with SLP_EN and the
 *    \_S5 sleep type powers off.
 * Both end the VM through vmmd_stop().
 * The FADT's fixed-feature power button is PWRBTN_STS/EN in PM1: a press
 * sets the status and raises the SCI (IRQ 9) while the guest enables it;
 * Linux's ACPI button driver turns it into KEY_POWER for userspace.
 */
void reset_init(void);
/* Press the power button (virsh shutdown). Takes the bus lock. */
void reset_power_button(void);

#endif /* VMMD_RESET_H */
