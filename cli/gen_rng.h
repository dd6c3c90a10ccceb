/*
 * cli/gen_rng.h — the generator's random numbers: xorshift64*, so a seed
 * gives the same scenario on every machine and libc.
 */
#ifndef MMULAB_CLI_GEN_RNG_H
#define MMULAB_CLI_GEN_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
	uint64_t state;  /* never 0 */
};

static inline struct rng rng_seed(uint64_t seed)
{
	/* Spread small seeds over the state; 0 would stay 0 for ever. */
	struct rng r = { .state = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL };

	if (!r.state)
		r.state = 1;
	return r;
}

static inline uint64_t rng_next(struct rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545f4914f6cdd1dULL;
}

/* Uniform enough in [0, n) for n far below 2^32. */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)((rng_next(r) >> 32) % n);
}

static inline bool rng_bool(struct rng *r)
{
	return rng_next(r) >> 63;
}

#endif
