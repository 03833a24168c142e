/* Sorting doubles and R's type 7 quantiles, shared by the peer statistics
 * of ranks (ranking.c), the median inter-item correlation (quality_stats.c)
 * and the quartiles of item answers (value_counts.c). */
#ifndef EFC_QUANTILE_H
#define EFC_QUANTILE_H

#include <stddef.h>

/* qsort comparison of doubles, ascending (no NaN). */
int efc__by_double(const void *x, const void *y);

/* a + f (b - a) for f in [0, 1], also when b - a overflows (answers near
 * -DBL_MAX and DBL_MAX). */
double efc__interpolate(double a, double b, double f);

/* Quantile q in [0, 1] of sorted v[0..n), n >= 1: R's type 7, numpy's
 * default: the value at rank h = (n - 1) q, interpolated between its
 * neighbours. */
double efc__quantile_sorted(const double *v, size_t n, double q);

#endif
