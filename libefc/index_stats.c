/* Statistics of the indicator pipeline. The formulas, and where they
 * differ from COINr's, are in docs/concepts.md and docs/statistics.md. */
#include "index_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double efc__ix_mean(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n;
    if (!isfinite(m))
        return m;
    double c = 0;
    for (size_t i = 0; i < n; i++)
        c += x[i] - m;
    return m + c / (double)n;
}

double efc__ix_sd(const double *x, size_t n, double mean)
{
    if (n < 2)
        return NAN;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    return sqrt(ss / (double)(n - 1));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void efc__ix_sort(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
}

double efc__ix_median(const double *x, size_t n, double *work)
{
    if (n == 0)
        return NAN;
    memcpy(work, x, n * sizeof *x);
    efc__ix_sort(work, n);
    if (n % 2)
        return work[n / 2];
    /* the mean of the two middle values, as R's median (no overflow:
     * halves first when they are large) */
    double a = work[n / 2 - 1], b = work[n / 2];
    double s = a + b;
    return isfinite(s) ? s / 2 : a / 2 + b / 2;
}

void efc__ix_shape(const double *x, size_t n, double *skew, double *kurtosis)
{
    *skew = *kurtosis = NAN;
    if (n < 3)
        return;
    double m = efc__ix_mean(x, n);
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    if (!(m2 > 0))
        return; /* constant: no shape */
    double nn = (double)n;
    *skew = sqrt(nn) * m3 / pow(m2, 1.5) * sqrt(nn * (nn - 1)) / (nn - 2);
    if (n < 4)
        return;
    double r = nn * m4 / (m2 * m2);
    *kurtosis = ((nn + 1) * (r - 3) + 6) * (nn - 1) / ((nn - 2) * (nn - 3));
}

double efc__ix_boxcox(double x, double lambda)
{
    return lambda == 0 ? log(x) : (pow(x, lambda) - 1) / lambda;
}

/* The profile log-likelihood of λ: (λ - 1) Σ ln x - n/2 ln σ²(λ), σ² the
 * variance (divided by n) of the transformed values. */
static double loglik(const double *x, size_t n, double lambda, double sum_log, double *work)
{
    for (size_t i = 0; i < n; i++)
        work[i] = efc__ix_boxcox(x[i], lambda);
    double m = efc__ix_mean(work, n), ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (work[i] - m) * (work[i] - m);
    double var = ss / (double)n;
    if (!(var > 0) || !isfinite(var))
        return -INFINITY;
    return (lambda - 1) * sum_log - (double)n / 2 * log(var);
}

double efc__ix_boxcox_lambda(const double *x, size_t n, double *work)
{
    double sum_log = 0;
    for (size_t i = 0; i < n; i++)
        sum_log += log(x[i]);
    /* a coarse grid first (the likelihood may have flat parts), then a
     * golden-section search around the best point: deterministic, no
     * starting guess */
    double best = 0, best_ll = -INFINITY;
    for (int k = -50; k <= 50; k++) {
        double l = k / 10.0, ll = loglik(x, n, l, sum_log, work);
        if (ll > best_ll) {
            best_ll = ll;
            best = l;
        }
    }
    double a = best - 0.1, b = best + 0.1;
    const double g = (sqrt(5.0) - 1) / 2;
    double c = b - g * (b - a), d = a + g * (b - a);
    double fc = loglik(x, n, c, sum_log, work), fd = loglik(x, n, d, sum_log, work);
    for (int it = 0; it < 200 && b - a > 1e-12; it++) {
        if (fc > fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = loglik(x, n, c, sum_log, work);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = loglik(x, n, d, sum_log, work);
        }
    }
    double l = (a + b) / 2;
    return loglik(x, n, l, sum_log, work) >= best_ll ? l : best;
}
