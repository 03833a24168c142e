/* The formulas of the row-local steps, one value at a time: the one code
 * that the pipeline (index_run.c) and the scoring of rows (row_steps.c)
 * share, so that a fitted model scores a row with the bits of the run it
 * was fitted on. The choices for edge cases: docs/concepts.md. */
#ifndef EFC_STEPS_APPLY_H
#define EFC_STEPS_APPLY_H

#include <math.h>

#include "efc/index.h"

/* x / d times the scale (d != 0; NaN in, NaN out). */
static inline double efc__step_denominate(double x, double d, double scale)
{
    double v = x / d;
    if (scale != 1)
        v *= scale;
    return v;
}

/* x moved into [lo, hi] (NaN stays). */
static inline double efc__step_clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* The argument of winsorising's fallback log: x - lo + pad (must be > 0). */
static inline double efc__step_shift(double x, double lo, double pad)
{
    return x - lo + pad;
}

/* The parameters of a normalisation from the data, of the values times
 * the direction. */
typedef struct efc__norm_params {
    double lo, hi, mean, sd, ref, target;
} efc__norm_params;

/* y (the value times the direction) normalised by `how` (not goalposts,
 * rank or percentile), a and b being the method's LO, HI or MEAN, SD. */
static inline double efc__step_normalise(efc_normalise how, double a, double b,
                                         const efc__norm_params *p, double y)
{
    double v = NAN;
    switch (how) {
    case EFC_NORMALISE_MINMAX:
        v = p->hi > p->lo ? (y - p->lo) / (p->hi - p->lo) * (b - a) + a : (a + b) / 2;
        break;
    case EFC_NORMALISE_ZSCORE:
        v = p->sd > 0 ? (y - p->mean) / p->sd * b + a : a; /* 0 or NaN: constant */
        break;
    case EFC_NORMALISE_DIST2MAX:
        v = p->hi > p->lo ? 1 - (p->hi - y) / (p->hi - p->lo) : 1;
        break;
    case EFC_NORMALISE_DIST2TARGET:
        v = p->target > p->lo ? (y - p->lo) / (p->target - p->lo) : 1;
        if (v > 1)
            v = 1;
        break;
    case EFC_NORMALISE_DIST2REF:
        v = 1 - (p->ref - y) / (p->ref - p->lo);
        break;
    default:
        break;
    }
    return v;
}

#endif
