/* Combining a group's children into its score: the one piece of code that
 * scoring (score.c) and the weight sensitivity analysis (sensitivity_run.c)
 * share, so that a run with the nominal weights gives the scores of
 * efc score bit for bit. The formulas are in docs/concepts.md; the choices
 * that decide the last bits are noted in score.c. */
#ifndef EFC_AGGREGATE_H
#define EFC_AGGREGATE_H

#include <math.h>
#include <stddef.h>

#include "efc/model.h"

/* The combining loops are compiled into each caller with its strides: the
 * compiler must inline them to drop the multiplications. */
#if defined(__GNUC__)
#define EFC__INLINE static inline __attribute__((always_inline))
#else
#define EFC__INLINE static inline
#endif

/* Coverage is compared with min_coverage with a tolerance of 1e-12, so
 * that weights written as decimals (0.1 + 0.2) meet a bar of 0.3. */
#define EFC__COVERAGE_TOLERANCE 1e-12

/* Whether an aggregate needs its children >= 0 (a log, a power, a ratio
 * or a product of a negative value): every one but the mean and the
 * minimum. Scores of goalposts are; a pipeline's or a fitted model's may
 * not be (index_run.c, row_steps.c refuse them). */
static inline int efc__aggregate_nonnegative(efc_aggregate a)
{
    return a != EFC_AGGREGATE_MEAN && a != EFC_AGGREGATE_MIN;
}

/* Power mean with exponent p (not 1, 0 or -1) of the present children;
 * sw is the sum of their weights (> 0). See score.c. */
double efc__power_mean(double p, size_t count, const size_t *child, const double *weight,
                       const double *s, ptrdiff_t ns, double sw);

/* The score of a group from its `count` children: child[k] indexes the
 * child's score at s[child[k] * ns] (NaN when missing), weight[k] is its
 * weight and total_weight the sum of all of them (in this order, as
 * model_finalize.c adds them). Stores the coverage (the weight share of the
 * present children) in *coverage and returns the score in [0, 1], or NaN
 * when no child is present or the coverage is below min_coverage
 * (efc__combine; efc__combine_raw does not clamp).
 * `logs` (NULL: none) may hold, with the layout of s, the logarithm of a
 * child's score computed beforehand, or NaN where it is to be computed: the
 * sensitivity analysis combines the same children thousands of times with
 * other weights, and log() of the same value gives the same bits. */
EFC__INLINE double efc__combine_raw(efc_aggregate aggregate, double power, double min_coverage,
                                    double total_weight, size_t count, const size_t *child,
                                    const double *weight, const double *s, const double *logs,
                                    ptrdiff_t ns, double *coverage)
{
    double sw = 0, acc = 0, lowest = INFINITY;
    int zero = 0, missing = 0;
    /* one loop per aggregate: the choice is made once per group */
    switch (aggregate) {
    case EFC_AGGREGATE_MEAN:
        for (size_t k = 0; k < count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (!isnan(x)) {
                sw += weight[k];
                acc += weight[k] * x;
            }
        }
        break;
    case EFC_AGGREGATE_GEOMEAN:
        for (size_t k = 0; k < count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (isnan(x))
                continue;
            sw += weight[k];
            if (x == 0) {
                zero = 1;
            } else {
                double lx = logs ? logs[(ptrdiff_t)child[k] * ns] : NAN;
                acc += weight[k] * (isnan(lx) ? log(x) : lx);
            }
        }
        break;
    case EFC_AGGREGATE_HARMONIC:
        for (size_t k = 0; k < count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (isnan(x))
                continue;
            sw += weight[k];
            if (x == 0)
                zero = 1;
            else
                acc += weight[k] / x;
        }
        break;
    case EFC_AGGREGATE_COPELAND: /* relative to other units: index_run.c */
        missing = 1;
        break;
    case EFC_AGGREGATE_RATIO:
    case EFC_AGGREGATE_PRODUCT:
        for (size_t k = 0; k < count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (isnan(x))
                missing = 1; /* a ratio or a product needs every child */
            else
                sw += weight[k];
        }
        break;
    case EFC_AGGREGATE_MIN:
    case EFC_AGGREGATE_POWER:
        for (size_t k = 0; k < count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (isnan(x))
                continue;
            sw += weight[k];
            if (x < lowest)
                lowest = x;
        }
        break;
    }
    *coverage = sw / total_weight;
    double v = NAN;
    if (sw > 0 && !(min_coverage > 0 && *coverage + EFC__COVERAGE_TOLERANCE < min_coverage)) {
        switch (aggregate) {
        case EFC_AGGREGATE_MEAN:
            v = acc / sw;
            break;
        case EFC_AGGREGATE_GEOMEAN:
            v = zero ? 0 : exp(acc / sw);
            break;
        case EFC_AGGREGATE_HARMONIC:
            v = zero ? 0 : sw / acc;
            break;
        case EFC_AGGREGATE_MIN:
            v = lowest;
            break;
        case EFC_AGGREGATE_POWER:
            v = efc__power_mean(power, count, child, weight, s, ns, sw);
            break;
        case EFC_AGGREGATE_RATIO:
            if (!missing) {
                double den = s[(ptrdiff_t)child[1] * ns];
                v = den != 0 ? s[(ptrdiff_t)child[0] * ns] / den : NAN;
            }
            break;
        case EFC_AGGREGATE_COPELAND:
            break;
        case EFC_AGGREGATE_PRODUCT:
            if (!missing) {
                v = 1;
                for (size_t k = 0; k < count; k++) {
                    double x = s[(ptrdiff_t)child[k] * ns];
                    v *= weight[k] == 1 ? x : pow(x, weight[k]);
                }
            }
            break;
        }
    }
    return v;
}

/* efc__combine_raw clamped to [0, 1], as scores are. The pipeline
 * (index_run.c) takes the raw value: its leaves may be on 0..100. */
EFC__INLINE double efc__combine(efc_aggregate aggregate, double power, double min_coverage,
                                double total_weight, size_t count, const size_t *child,
                                const double *weight, const double *s, const double *logs,
                                ptrdiff_t ns, double *coverage)
{
    double v = efc__combine_raw(aggregate, power, min_coverage, total_weight, count, child, weight,
                                s, logs, ns, coverage);
    if (aggregate == EFC_AGGREGATE_RATIO)
        return v; /* above 1 when the numerator is larger */
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

#endif
