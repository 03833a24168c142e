/* The statistics of the pipeline's steps (index_run.c), on the present
 * values of one indicator: x[0 .. n), no NaN. */
#ifndef EFC_INDEX_STATS_H
#define EFC_INDEX_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The mean, in two passes (the second corrects the rounding of the first,
 * as R's mean() does). NaN for n == 0. */
double efc__ix_mean(const double *x, size_t n);

/* The sample standard deviation (n - 1); NaN for n < 2. */
double efc__ix_sd(const double *x, size_t n, double mean);

/* The median of x, sorting `work` (n doubles, a copy of x) with `keys`
 * (2n of scratch); NaN for n == 0. */
double efc__ix_median(const double *x, size_t n, double *work, uint64_t *keys);

/* Sample (bias-adjusted) skewness and excess kurtosis, as SAS, SPSS and
 * R's e1071 type 2 (docs/concepts.md); NaN for n < 3 (skewness), n < 4
 * (kurtosis) or a constant indicator. */
void efc__ix_shape(const double *x, size_t n, double *skew, double *kurtosis);
/* The same bits, given what a pass fused elsewhere found: x's plain sum in
 * order, its smallest and its largest value. */
void efc__ix_shape_sum(const double *x, size_t n, double sum, double lo, double hi, double *skew,
                       double *kurtosis);
/* The shape of x clamped to [lo, hi], as efc__ix_shape of the clamped
 * values, without writing them. */
void efc__ix_shape_clamped(const double *x, size_t n, double lo, double hi, double *skew,
                           double *kurtosis);

/* Box-Cox of x > 0 with parameter lambda. */
double efc__ix_boxcox(double x, double lambda);

/* The λ that maximises the Box-Cox profile log-likelihood of x (all > 0),
 * searched in [-5, 5] (docs/concepts.md). */
double efc__ix_boxcox_lambda(const double *x, size_t n, double *work);

/* Rearrange x[0 .. n) (no NaN) so that x[k] is the value a sort would put
 * there, those before it no larger and those after no smaller (k < n).
 * Quickselect, median-of-three pivots; after too many rounds (an input
 * built against it) the radix sort, so never quadratic. `keys`: 2n of
 * scratch. */
void efc__ix_select(double *x, size_t n, size_t k, uint64_t *keys);

/* Sort doubles ascending (no NaN), with `keys`: 2n of scratch. */
void efc__ix_sort(double *x, size_t n, uint64_t *keys);

#endif
