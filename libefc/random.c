/* Pseudo-random numbers (random.h). xoshiro256** and SplitMix64 are the
 * public-domain generators of Blackman and Vigna; Marsaglia and Tsang's
 * gamma method is from ACM TOMS 26(3), 2000. */
#include "random.h"

#include <math.h>

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void efc__rng_seed(efc__rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    /* each word goes through a full SplitMix64 round before the next is
     * mixed in, so nearby (stream, index) pairs give unrelated states */
    uint64_t x = seed;
    uint64_t h = splitmix(&x);
    x = h ^ stream;
    h = splitmix(&x);
    x = h ^ index;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t efc__rng_next(efc__rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

double efc__rng_uniform(efc__rng *r)
{
    return (double)(efc__rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t efc__rng_below(efc__rng *r, uint64_t n)
{
    /* reject the top partial block of 2^64 so that every value is equally likely */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = efc__rng_next(r);
    while (x >= limit);
    return x % n;
}

double efc__rng_normal(efc__rng *r)
{
    double u, v, q;
    do {
        u = 2 * efc__rng_uniform(r) - 1;
        v = 2 * efc__rng_uniform(r) - 1;
        q = u * u + v * v;
    } while (q >= 1 || q == 0);
    return u * sqrt(-2 * log(q) / q);
}

double efc__rng_gamma(efc__rng *r, double shape)
{
    if (shape < 1) {
        double u;
        do
            u = efc__rng_uniform(r);
        while (u == 0);
        return efc__rng_gamma(r, shape + 1) * pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x, v;
        do {
            x = efc__rng_normal(r);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        double u = efc__rng_uniform(r);
        if (u < 1 - 0.0331 * (x * x) * (x * x))
            return d * v;
        if (u > 0 && log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            return d * v;
    }
}
