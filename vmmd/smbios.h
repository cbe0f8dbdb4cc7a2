/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_SMBIOS_H
#define VMMD_SMBIOS_H

#include "mem.h"

/*
 * A minimal SMBIOS 2.8 table (BIOS and system information, "a virtual
 * machine" flag) at 0xf0000, where Linux's DMI scan looks: without one a
 * guest logs "DMI not present or invalid" and DMI quirks cannot match.
 */
#define SMBIOS_ENTRY	0xf0000ULL

void smbios_build(const struct guest_mem *m);

#endif /* VMMD_SMBIOS_H */
