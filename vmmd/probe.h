/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_PROBE_H
#define VMMD_PROBE_H

/*
 * Report what a hypervisor device offers: API version and the extensions
 * vmmd relies on. Returns 0 when the device speaks KVM API 12, 1 when it
 * does not, 2 when it cannot be opened.
 */
int vmmd_probe(const char *dev);

#endif /* VMMD_PROBE_H */
