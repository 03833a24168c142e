/* Statistics of the indicator pipeline. The formulas, and where they
 * differ from COINr's, are in docs/concepts.md and docs/statistics.md. */
#include "index_stats.h"

#include "quantile.h"
#include "steps_apply.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The mean of x clamped to [clo, chi] (with -inf and inf, x itself) given s, the plain sum of those
 * values in order: the correction pass of R's mean(). */
static inline double mean_from_sum(const double *x, size_t n, double s, double clo, double chi)
{
    if (n == 0)
        return NAN;
    double m = s / (double)n;
    if (!isfinite(m)) {
        /* the sum overflowed, not necessarily the mean: each value divided
         * by n first (finite values only get here) */
        m = 0;
        for (size_t i = 0; i < n; i++)
            m += efc__step_clamp(x[i], clo, chi) / (double)n;
        return m;
    }
    double c = 0;
    for (size_t i = 0; i < n; i++)
        c += efc__step_clamp(x[i], clo, chi) - m;
    return m + c / (double)n;
}

double efc__ix_mean(const double *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return mean_from_sum(x, n, s, -INFINITY, INFINITY);
}

/* Deviations whose powers stay well inside doubles are summed as they
 * are (the bits of R and e1071); beyond these bounds they are summed
 * divided by the largest deviation, which skewness and kurtosis do not
 * depend on and the standard deviation multiplies back. */
#define SPREAD_LOW  1e-70
#define SPREAD_HIGH 1e70

/* The largest |x - mean|, computed on halves so that it cannot overflow
 * (the half is returned). */
static double half_spread(const double *x, size_t n, double mean)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(x[i] / 2 - mean / 2);
        if (d > s)
            s = d;
    }
    return s;
}

static int plain_range(double half)
{
    return half * 2 >= SPREAD_LOW && half * 2 <= SPREAD_HIGH;
}

double efc__ix_sd(const double *x, size_t n, double mean)
{
    if (n < 2)
        return NAN;
    double h = half_spread(x, n, mean);
    if (h == 0)
        return 0;
    if (plain_range(h)) {
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (x[i] - mean) * (x[i] - mean);
        return sqrt(ss / (double)(n - 1));
    }
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double d = (x[i] / 2 - mean / 2) / h;
        ss += d * d;
    }
    /* beyond a double when the true deviation is */
    return 2 * h * sqrt(ss / (double)(n - 1));
}

/* Doubles as unsigned keys in the same order: flip every bit of a
 * negative, the sign bit of a positive. */
static uint64_t key_of(double x)
{
    uint64_t k;
    memcpy(&k, &x, sizeof k);
    return k & 0x8000000000000000u ? ~k : k | 0x8000000000000000u;
}

static double double_of(uint64_t k)
{
    k = k & 0x8000000000000000u ? k & ~0x8000000000000000u : ~k;
    double x;
    memcpy(&x, &k, sizeof x);
    return x;
}

/* A least-significant-digit radix sort, six passes of 11 bits (the counts
 * on the stack): linear in n, where qsort's comparisons through a function
 * pointer dominated the pipeline on large tables. A pass whose digit is
 * the same everywhere is skipped. -0 sorts before +0; they compare equal
 * everywhere the sorted values are used. */
#define RADIX_BITS 11
#define RADIX      (1u << RADIX_BITS)

void efc__ix_sort(double *x, size_t n, uint64_t *keys)
{
    if (n < 256) {
        qsort(x, n, sizeof *x, efc__by_double);
        return;
    }
    uint64_t *a = keys, *b = keys + n;
    for (size_t i = 0; i < n; i++)
        a[i] = key_of(x[i]);
    size_t count[RADIX];
    for (int sh = 0; sh < 64; sh += RADIX_BITS) {
        memset(count, 0, sizeof count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> sh) & (RADIX - 1)]++;
        if (count[(a[0] >> sh) & (RADIX - 1)] == n)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < RADIX; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] >> sh) & (RADIX - 1)]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = double_of(a[i]);
}

void efc__ix_select(double *x, size_t n, size_t k, uint64_t *keys)
{
    size_t lo = 0, hi = n - 1;
    int rounds = 0;
    while (hi > lo) {
        if (hi - lo < 16 || ++rounds > 64) {
            efc__ix_sort(x + lo, hi - lo + 1, keys);
            return;
        }
        size_t mid = lo + (hi - lo) / 2;
        double a = x[lo], b = x[mid], c = x[hi];
        double pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
        /* Hoare's partition: [lo, j] <= pivot <= [i, hi] */
        size_t i = lo, j = hi;
        for (;;) {
            while (x[i] < pivot)
                i++;
            while (x[j] > pivot)
                j--;
            if (i >= j)
                break;
            double t = x[i];
            x[i] = x[j];
            x[j] = t;
            i++;
            j--;
        }
        if (k <= j)
            hi = j;
        else
            lo = j + 1;
    }
}

double efc__ix_median(const double *x, size_t n, double *work, uint64_t *keys)
{
    if (n == 0)
        return NAN;
    memcpy(work, x, n * sizeof *x);
    size_t k = n / 2;
    efc__ix_select(work, n, k, keys);
    if (n % 2)
        return work[k];
    /* the mean of the two middle values, as R's median: the other is the
     * largest of the lower half (no overflow: halves first when large) */
    double a = work[0], b = work[k];
    for (size_t i = 1; i < k; i++)
        if (work[i] > a)
            a = work[i];
    double s = a + b;
    return isfinite(s) ? s / 2 : a / 2 + b / 2;
}

/* The largest |x - m| over values whose smallest is lo and largest hi,
 * halved as half_spread computes it: x / 2 - m / 2 is monotonic in x, so
 * its largest magnitude is at an end, the same bits as the full pass. A
 * mean that is not finite (a value that is not) gives 0, as that pass does. */
static double half_spread_ends(double lo, double hi, double m)
{
    double s = 0, a = fabs(lo / 2 - m / 2), b = fabs(hi / 2 - m / 2);
    if (a > s)
        s = a;
    if (b > s)
        s = b;
    return s;
}

/* The shape of x clamped to [clo, chi], given the sum of the clamped
 * values in order and their extremes: two passes more (the mean's
 * correction, the powers of the deviations). */
static inline void shape_core(const double *x, size_t n, double clo, double chi, double sum,
                              double lo, double hi, double *skew, double *kurtosis)
{
    *skew = *kurtosis = NAN;
    if (n < 3)
        return;
    double m = mean_from_sum(x, n, sum, clo, chi);
    double h = isfinite(m) ? half_spread_ends(lo, hi, m) : 0;
    if (h == 0)
        return; /* constant: no shape */
    double m2 = 0, m3 = 0, m4 = 0;
    if (plain_range(h)) {
        for (size_t i = 0; i < n; i++) {
            double d = efc__step_clamp(x[i], clo, chi) - m, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
    } else {
        /* huge or tiny deviations: divided by the largest (skewness and
         * kurtosis do not depend on the scale) */
        for (size_t i = 0; i < n; i++) {
            double d = (efc__step_clamp(x[i], clo, chi) / 2 - m / 2) / h, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
    }
    if (!(m2 > 0))
        return;
    double nn = (double)n;
    *skew = sqrt(nn) * m3 / pow(m2, 1.5) * sqrt(nn * (nn - 1)) / (nn - 2);
    if (n < 4)
        return;
    double r = nn * m4 / (m2 * m2);
    *kurtosis = ((nn + 1) * (r - 3) + 6) * (nn - 1) / ((nn - 2) * (nn - 3));
}

void efc__ix_shape_sum(const double *x, size_t n, double sum, double lo, double hi, double *skew,
                       double *kurtosis)
{
    shape_core(x, n, -INFINITY, INFINITY, sum, lo, hi, skew, kurtosis);
}

void efc__ix_shape(const double *x, size_t n, double *skew, double *kurtosis)
{
    double s = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        if (x[i] < lo)
            lo = x[i];
        if (x[i] > hi)
            hi = x[i];
    }
    efc__ix_shape_sum(x, n, s, lo, hi, skew, kurtosis);
}

void efc__ix_shape_clamped(const double *x, size_t n, double clo, double chi, double *skew,
                           double *kurtosis)
{
    double s = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double v = efc__step_clamp(x[i], clo, chi);
        s += v;
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    shape_core(x, n, clo, chi, s, lo, hi, skew, kurtosis);
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
    if (l < -5)
        l = -5;
    if (l > 5)
        l = 5;
    return loglik(x, n, l, sum_log, work) >= best_ll ? l : best;
}
