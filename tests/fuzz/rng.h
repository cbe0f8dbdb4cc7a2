/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The fuzzer's random numbers: one xorshift64* state per seed (and one per
 * racing thread, derived from it), so that a seed names a run.
 */
#ifndef LAMINA_FUZZ_RNG_H
#define LAMINA_FUZZ_RNG_H

#include <stdint.h>

struct fuzz_rng {
	uint64_t s;
};

/* splitmix64 spreads a small seed over the state; never 0. */
static inline void fuzz_rng_seed(struct fuzz_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	r->s = (z ^ (z >> 31)) | 1;
}

static inline uint64_t fuzz_u64(struct fuzz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n); n > 0. */
static inline uint64_t fuzz_below(struct fuzz_rng *r, uint64_t n)
{
	return fuzz_u64(r) % n;
}

/* True with probability 1/n. */
static inline int fuzz_one_in(struct fuzz_rng *r, uint64_t n)
{
	return fuzz_below(r, n) == 0;
}

/* An element of a constant array. */
#define FUZZ_PICK(r, arr) ((arr)[fuzz_below((r), sizeof(arr) / sizeof((arr)[0]))])

#endif /* LAMINA_FUZZ_RNG_H */
