/* Sobol indices from Saltelli's design, with the estimators COINr's
 * SA_estimate uses: first order after Saltelli et al. (2010),
 *   S_i = mean_j(f(B)_j (f(A_B^i)_j - f(A)_j)) / V,
 * total order after Jansen (1999),
 *   ST_i = sum_j (f(A)_j - f(A_B^i)_j)^2 / (2 N V),
 * V the sample variance of f(A) and f(B) together (2N - 1 denominator).
 * The bootstrap resamples the N rows of the design with replacement and
 * recomputes both sums with V fixed, as COINr does; its 5th and 95th
 * percentiles (type 7) bound each index. Every sum runs in row order, so
 * the results are the same bits on every run. */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "efc/sensitivity.h"
#include "error_internal.h"
#include "number.h"
#include "quantile.h"
#include "random.h"
#include "sensitivity_internal.h"

static void percentiles(double *v, size_t n, double *q05, double *q95)
{
    qsort(v, n, sizeof *v, efc__by_double);
    *q05 = efc__quantile_sorted(v, n, 0.05);
    *q95 = efc__quantile_sorted(v, n, 0.95);
}

efc_status efc_sobol_estimate(double *indices, size_t capacity, double *variance, const double *y,
                              size_t n, size_t d, size_t bootstrap, uint64_t seed,
                              const efc_allocator *alloc, efc_error *err)
{
    if (!y || !indices)
        return efc__fail(err, EFC_ERR_ARGUMENT, "y or indices is NULL");
    if (n < 2 || d == 0)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "Sobol indices need at least 2 rows (n) and 1 input (d)");
    if (capacity / EFC_SOBOL_METRIC_COUNT < d)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "indices holds %zu doubles: %zu inputs need %zu x %d", capacity, d, d,
                         EFC_SOBOL_METRIC_COUNT);
    if (d > SIZE_MAX / 2 - 2 || n > SIZE_MAX / (d + 2) / sizeof(double) ||
        (bootstrap && d > SIZE_MAX / 2 / bootstrap / sizeof(double)))
        return efc__fail(err, EFC_ERR_ARGUMENT, "n (d + 2) outputs do not fit in memory");
    efc_allocator al;
    if (!efc__alloc_init(&al, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    for (size_t j = 0; j < n * (d + 2); j++)
        if (!isfinite(y[j])) {
            char b[EFC__NUMBER_BUF];
            efc__fmt_number(y[j], b);
            return efc__fail(err, EFC_ERR_VALUE, "output %zu is %s: outputs must be finite", j, b);
        }
    const double *ya = y, *yb = y + n;
    double mean = 0, v = 0;
    for (size_t j = 0; j < 2 * n; j++)
        mean += y[j];
    mean /= (double)(2 * n);
    for (size_t j = 0; j < 2 * n; j++)
        v += (y[j] - mean) * (y[j] - mean);
    v /= (double)(2 * n - 1);
    if (variance)
        *variance = v;
    for (size_t i = 0; i < d; i++) {
        const double *yab = y + (2 + i) * n;
        double s1 = 0, s2 = 0;
        for (size_t j = 0; j < n; j++) {
            s1 += yb[j] * (yab[j] - ya[j]);
            s2 += (ya[j] - yab[j]) * (ya[j] - yab[j]);
        }
        double *row = indices + i * EFC_SOBOL_METRIC_COUNT;
        for (int m = 0; m < EFC_SOBOL_METRIC_COUNT; m++)
            row[m] = NAN;
        if (v > 0) {
            row[EFC_SOBOL_FIRST] = s1 / (double)n / v;
            row[EFC_SOBOL_TOTAL] = s2 / (2 * (double)n * v);
        }
    }
    if (!bootstrap || !(v > 0))
        return EFC_OK;
    /* draws[i * B + b] first order, then the total order after d * B; the
     * outputs copied row by row (f(A)_j, f(B)_j, f(A_B^i)_j...), so that a
     * resampled row is read in one place */
    size_t w = d + 2;
    double *draws = efc__alloc_array(&al, 2 * d * bootstrap, sizeof *draws);
    double *s1 = efc__alloc_array(&al, 2 * d, sizeof *s1);
    double *rows = efc__alloc_array(&al, n, w * sizeof *rows);
    if (!draws || !s1 || !rows) {
        efc__free(&al, draws);
        efc__free(&al, s1);
        efc__free(&al, rows);
        return efc__nomem(err);
    }
    for (size_t j = 0; j < n; j++)
        for (size_t k = 0; k < w; k++)
            rows[j * w + k] = y[k * n + j];
    double *s2 = s1 + d;
    for (size_t b = 0; b < bootstrap; b++) {
        efc__rng r;
        efc__rng_seed(&r, seed, EFC__STREAM_BOOTSTRAP, b);
        for (size_t i = 0; i < 2 * d; i++)
            s1[i] = 0;
        for (size_t k = 0; k < n; k++) {
            const double *row = rows + (size_t)efc__rng_below(&r, n) * w;
            for (size_t i = 0; i < d; i++) {
                double diff = row[2 + i] - row[0];
                s1[i] += row[1] * diff;
                s2[i] += diff * diff;
            }
        }
        for (size_t i = 0; i < d; i++) {
            draws[i * bootstrap + b] = s1[i] / (double)n / v;
            draws[(d + i) * bootstrap + b] = s2[i] / (2 * (double)n * v);
        }
    }
    efc__free(&al, rows);
    for (size_t i = 0; i < d; i++) {
        double *row = indices + i * EFC_SOBOL_METRIC_COUNT;
        percentiles(draws + i * bootstrap, bootstrap, &row[EFC_SOBOL_FIRST_Q05],
                    &row[EFC_SOBOL_FIRST_Q95]);
        percentiles(draws + (d + i) * bootstrap, bootstrap, &row[EFC_SOBOL_TOTAL_Q05],
                    &row[EFC_SOBOL_TOTAL_Q95]);
    }
    efc__free(&al, draws);
    efc__free(&al, s1);
    return EFC_OK;
}
