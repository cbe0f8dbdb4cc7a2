/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef LAMINA_SHADOW_HLT_H
#define LAMINA_SHADOW_HLT_H

#include <linux/types.h>

struct lamina_vcpu;

/*
 * Before an entry: is the vCPU under an interrupt shadow at a HLT it may
 * execute (CPL 0, no event to deliver)? Then the HLT is done here: RIP
 * moves past it, the shadow ends, and true says the caller halts the
 * vCPU as after a HLT exit (lamina_exit_halt).
 */
bool lamina_shadow_hlt(struct lamina_vcpu *vcpu);

#endif /* LAMINA_SHADOW_HLT_H */
