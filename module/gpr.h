/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest GPR indices in struct lamina_vcpu.gprs: the x86 register
 * encoding. Plain #defines: the entry/exit .S files include this too.
 */
#ifndef LAMINA_GPR_H
#define LAMINA_GPR_H

#define LAMINA_GPR_RAX 0
#define LAMINA_GPR_RCX 1
#define LAMINA_GPR_RDX 2
#define LAMINA_GPR_RBX 3
#define LAMINA_GPR_RSP 4
#define LAMINA_GPR_RBP 5
#define LAMINA_GPR_RSI 6
#define LAMINA_GPR_RDI 7
#define LAMINA_GPR_R8 8
#define LAMINA_GPR_R9 9
#define LAMINA_GPR_R10 10
#define LAMINA_GPR_R11 11
#define LAMINA_GPR_R12 12
#define LAMINA_GPR_R13 13
#define LAMINA_GPR_R14 14
#define LAMINA_GPR_R15 15
#define LAMINA_NR_GPRS 16

#endif /* LAMINA_GPR_H */
