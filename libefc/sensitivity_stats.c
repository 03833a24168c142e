/* Each actor's rank statistics over the runs of matrix A. The ranks are
 * whole numbers from 1 to the number of actors, so each actor's ranks are
 * counted rather than sorted, and its quantiles (R's type 7) read from the
 * counts: exact, and in time proportional to the runs plus the ranks it
 * spans. The ranks are stored run by run; a block of actors is gathered at
 * a time so that the table is read in long rows. */
#include <math.h>
#include <string.h>

#include "panel_internal.h"
#include "quantile.h"
#include "sensitivity_internal.h"

/* The value at 0-based position i of the sorted ranks, from the counts
 * count[lo..hi]. */
static double nth(const uint32_t *count, uint32_t lo, uint32_t hi, size_t i)
{
    size_t cum = 0;
    for (uint32_t r = lo; r <= hi; r++) {
        cum += count[r];
        if (cum > i)
            return (double)r;
    }
    return (double)hi;
}

static double quantile(const uint32_t *count, uint32_t lo, uint32_t hi, size_t m, double q)
{
    double h = (double)(m - 1) * q;
    size_t k = (size_t)h;
    double f = h - (double)k;
    double a = nth(count, lo, hi, k);
    return f > 0 ? efc__interpolate(a, nth(count, lo, hi, k + 1), f) : a;
}

static void summarize(efc_sensitivity *s, const uint32_t *r, uint32_t *count, double *row)
{
    size_t n = s->samples, m = 0, top = 0;
    uint64_t sum = 0;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (size_t j = 0; j < n; j++) {
        uint32_t x = r[j];
        if (!x)
            continue;
        m++;
        sum += x;
        count[x]++;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
        top += x <= s->top;
    }
    row[EFC_SENSITIVITY_RUNS_RANKED] = (double)m;
    row[EFC_SENSITIVITY_P_TOP] = (double)top / (double)n;
    if (!m)
        return;
    row[EFC_SENSITIVITY_MEAN_RANK] = (double)sum / (double)m;
    row[EFC_SENSITIVITY_MEDIAN_RANK] = quantile(count, lo, hi, m, 0.5);
    row[EFC_SENSITIVITY_RANK_P05] = quantile(count, lo, hi, m, 0.05);
    row[EFC_SENSITIVITY_RANK_P95] = quantile(count, lo, hi, m, 0.95);
    row[EFC_SENSITIVITY_RANK_MIN] = lo;
    row[EFC_SENSITIVITY_RANK_MAX] = hi;
    memset(count + lo, 0, (size_t)(hi - lo + 1) * sizeof *count);
}

void efc__sens_stats(efc_sensitivity *s, uint32_t *col, uint32_t *count)
{
    size_t n = s->samples, nc = s->ncand;
    memset(count, 0, (nc + 1) * sizeof *count);
    for (size_t c0 = 0; c0 < nc; c0 += EFC__SENS_BLOCK) {
        size_t b = nc - c0 < EFC__SENS_BLOCK ? nc - c0 : EFC__SENS_BLOCK;
        for (size_t j = 0; j < n; j++) {
            const uint32_t *src = s->ranks + j * nc + c0;
            for (size_t c = 0; c < b; c++)
                col[c * n + j] = src[c];
        }
        for (size_t c = 0; c < b; c++)
            summarize(s, col + c * n, count, s->stats + s->cand[c0 + c] * EFC__SENS_METRICS);
    }
    /* actors without an assessment at the period are in no run */
    for (size_t act = 0; act < s->panel->nactors; act++)
        if (s->cand_of[act] == EFC_NONE) {
            s->stats[act * EFC__SENS_METRICS + EFC_SENSITIVITY_RUNS_RANKED] = 0;
            s->stats[act * EFC__SENS_METRICS + EFC_SENSITIVITY_P_TOP] = 0;
        }
}
