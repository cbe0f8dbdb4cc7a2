/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where and when test threads run: tests that need the host to give a
 * CPU back put the vCPU thread and the thread that must run beside it on
 * the same CPU.
 */
#ifndef LAMINA_TEST_SCHED_H
#define LAMINA_TEST_SCHED_H

/* Pin the calling thread to CPU 0. */
void test_pin_cpu0(void);

/* Sleep @ms milliseconds, through signals. */
void test_sleep_ms(unsigned int ms);

#endif /* LAMINA_TEST_SCHED_H */
