/* Pseudo-random numbers for the sensitivity analysis: xoshiro256** seeded
 * through SplitMix64. A generator is seeded from (seed, stream, index), so
 * that the draws of each run depend on the user's seed and the run's number
 * only, never on which thread computes it or in which order: results are
 * reproducible bit for bit whatever the number of threads. */
#ifndef EFC_RANDOM_H
#define EFC_RANDOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct efc__rng {
    uint64_t s[4];
} efc__rng;

/* Seed for the draws numbered `index` of stream `stream` under `seed`. */
void efc__rng_seed(efc__rng *r, uint64_t seed, uint64_t stream, uint64_t index);

/* The next 64 random bits. */
uint64_t efc__rng_next(efc__rng *r);

/* Uniform in [0, 1), a multiple of 2^-53. */
double efc__rng_uniform(efc__rng *r);

/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t efc__rng_below(efc__rng *r, uint64_t n);

/* Standard normal (Marsaglia's polar method, one of each pair used). */
double efc__rng_normal(efc__rng *r);

/* Gamma with the given shape (> 0) and scale 1 (Marsaglia and Tsang; a
 * shape below 1 is raised by one and scaled by U^(1/shape)). */
double efc__rng_gamma(efc__rng *r, double shape);

#endif
