/* The figures of an efc_quality, computed once when it is finalized: for
 * each scale, R psych's alpha() on the pairwise covariance matrix of its
 * items (docs/statistics.md has the formulas); for each item, its
 * distribution and flags. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "quality_internal.h"
#include "quantile.h"

/* Sums over a k x k covariance matrix c and its correlations r (row-major),
 * leaving out item `drop` (EFC_NONE for none). */
typedef struct sums {
    size_t k;
    double sum_c, trace_c, trace_cc, sum_cc, sum_r;
} sums;

static sums matrix_sums(const double *c, const double *r, size_t n, size_t drop)
{
    sums s = {0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        if (i == drop)
            continue;
        s.k++;
        double col = 0;
        for (size_t j = 0; j < n; j++) {
            if (j == drop)
                continue;
            col += c[i * n + j];
            s.sum_r += r[i * n + j];
            s.trace_cc += c[i * n + j] * c[j * n + i];
        }
        s.sum_c += col;
        s.trace_c += c[i * n + i];
        s.sum_cc += col * col; /* the sum of C C is the sum of its squared column sums */
    }
    return s;
}

static double raw_alpha(const sums *s)
{
    double k = (double)s->k;
    return (1 - s->trace_c / s->sum_c) * (k / (k - 1));
}

static double std_alpha(const sums *s)
{
    double k = (double)s->k;
    return (1 - k / s->sum_r) * (k / (k - 1));
}

/* Duhachek and Iacobucci's Q, as psych computes it: ase = sqrt(Q / n). */
static double alpha_q(const sums *s)
{
    double k = (double)s->k, sc = s->sum_c;
    return (2 * k * k / ((k - 1) * (k - 1) * sc * sc * sc)) *
           (sc * (s->trace_cc + s->trace_c * s->trace_c) - 2 * s->trace_c * s->sum_cc);
}

/* Median of the correlations below the diagonal (n x n, n >= 2); buf holds
 * n (n - 1) / 2 doubles. NaN if any is. */
static double median_r(const double *r, size_t n, double *buf)
{
    size_t m = 0;
    for (size_t i = 1; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            if (isnan(r[i * n + j]))
                return NAN;
            buf[m++] = r[i * n + j];
        }
    qsort(buf, m, sizeof *buf, efc__by_double);
    return efc__quantile_sorted(buf, m, 0.5);
}

static double pair_cov(const efc__comoment *p)
{
    return p->n >= 2 ? p->cxy / (p->n - 1) : NAN;
}

/* The correlation of an item with its scale's mean. Normalised values lie
 * in [0, 1]: a total whose squared deviations add up to less than 1e-24 a
 * row (a standard deviation under 1e-12, the printed precision) does not
 * vary, its differences are rounding (0.1 + 0.5 and 0.2 + 0.4 differ in the
 * last bit), and a correlation with it would be noise, even beyond 1. */
static double total_correlation(const efc__total_moment *t)
{
    if (!(t->ctt > 1e-24 * t->n) || !(t->cxx > 0))
        return NAN;
    double r = t->cxt / sqrt(t->cxx * t->ctt);
    return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* Room for the figures of the widest scale (n items). */
typedef struct workspace {
    double *c, *r; /* n x n: covariances and correlations */
    double *buf;   /* n (n - 1) / 2: the correlations below the diagonal */
    size_t *used;  /* n: the items in use */
} workspace;

/* The figures of one scale. */
static void scale_figures(efc__scale *s, const signed char *signs, const workspace *w)
{
    size_t count = s->count;
    double *st = s->stats, *is = s->item_stats;
    for (size_t i = 0; i < NSCALE_STATS; i++)
        st[i] = NAN;
    for (size_t i = 0; i < count * NSCALE_ITEM_STATS; i++)
        is[i] = NAN;
    /* the items in use: answered twice at least, with variance */
    size_t *used = w->used;
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        const efc__comoment *d = &s->pairs[i * count + i];
        double *it = is + i * NSCALE_ITEM_STATS;
        it[EFC_SCALE_ITEM_N] = d->n;
        it[EFC_SCALE_ITEM_MEAN] = d->n ? d->mx : NAN;
        it[EFC_SCALE_ITEM_SD] = sqrt(pair_cov(d));
        it[EFC_SCALE_ITEM_USED] = 0;
        it[EFC_SCALE_ITEM_SIGN] = signs[i];
        if (d->n >= 2 && d->cxy > 0) {
            used[k++] = i;
            it[EFC_SCALE_ITEM_USED] = 1;
        }
    }
    st[EFC_SCALE_ITEMS] = (double)count;
    st[EFC_SCALE_ITEMS_USED] = (double)k;
    st[EFC_SCALE_N] = (double)s->n;
    st[EFC_SCALE_N_COMPLETE] = (double)s->n_complete;
    if (k < 2)
        return;
    /* the pairwise covariances of the items in use, and their correlations
     * through the variances on the diagonal (R's cov2cor) */
    double *c = w->c, *r = w->r;
    for (size_t a = 0; a < k; a++)
        for (size_t b = a; b < k; b++) {
            double v = pair_cov(&s->pairs[used[a] * count + used[b]]);
            c[a * k + b] = c[b * k + a] = v;
        }
    for (size_t a = 0; a < k; a++)
        for (size_t b = 0; b < k; b++)
            r[a * k + b] = a == b ? 1 : c[a * k + b] / sqrt(c[a * k + a] * c[b * k + b]);
    sums all = matrix_sums(c, r, k, EFC_NONE);
    st[EFC_SCALE_ALPHA] = raw_alpha(&all);
    st[EFC_SCALE_STD_ALPHA] = std_alpha(&all);
    double kd = (double)k, alpha = st[EFC_SCALE_ALPHA];
    st[EFC_SCALE_ALPHA_R] = alpha / (kd - (kd - 1) * alpha);
    st[EFC_SCALE_AVERAGE_R] = (all.sum_r - (double)k) / ((double)k * (double)(k - 1));
    st[EFC_SCALE_MEDIAN_R] = median_r(r, k, w->buf);
    if (s->n >= 3) {
        double ase = sqrt(alpha_q(&all) / (double)s->n);
        st[EFC_SCALE_ASE] = ase;
        st[EFC_SCALE_ALPHA_LOW] = st[EFC_SCALE_ALPHA] - 1.96 * ase;
        st[EFC_SCALE_ALPHA_HIGH] = st[EFC_SCALE_ALPHA] + 1.96 * ase;
    }
    for (size_t a = 0; a < k; a++) {
        double *it = is + used[a] * NSCALE_ITEM_STATS;
        double col = 0, col_r = 0;
        for (size_t b = 0; b < k; b++) {
            col += c[a * k + b];
            col_r += r[a * k + b];
        }
        double caa = c[a * k + a];
        /* the item against the sum of the others */
        it[EFC_SCALE_ITEM_R_DROP] = (col - caa) / sqrt(caa * (all.sum_c - 2 * col + caa));
        it[EFC_SCALE_ITEM_STD_R] = col_r / sqrt(all.sum_r);
        const efc__total_moment *t = &s->totals[used[a]];
        it[EFC_SCALE_ITEM_R_TOTAL] = total_correlation(t);
        if (k >= 3) {
            sums without = matrix_sums(c, r, k, a);
            it[EFC_SCALE_ITEM_ALPHA_IF_DROPPED] = raw_alpha(&without);
            it[EFC_SCALE_ITEM_STD_ALPHA_IF_DROPPED] = std_alpha(&without);
        }
    }
}

static int item_figures(efc_quality *q, size_t leaf)
{
    efc__item *it = &q->items[leaf];
    double *st = it->stats;
    size_t n = it->answers;
    efc__value_counts_sort(&it->dist);
    const efc__value_counts *d = &it->dist;
    st[EFC_ITEM_ANSWERS] = (double)n;
    st[EFC_ITEM_MISSING] = (double)(q->rows - n);
    st[EFC_ITEM_MISSING_SHARE] = q->rows ? (double)(q->rows - n) / (double)q->rows : NAN;
    st[EFC_ITEM_CLAMPED] = (double)it->clamped;
    st[EFC_ITEM_CLAMPED_SHARE] = n ? (double)it->clamped / (double)n : NAN;
    st[EFC_ITEM_MIN] = n ? it->min : NAN;
    st[EFC_ITEM_Q1] = q->no_dist ? NAN : efc__value_counts_quantile(d, n, 0.25);
    st[EFC_ITEM_MEDIAN] = q->no_dist ? NAN : efc__value_counts_quantile(d, n, 0.5);
    st[EFC_ITEM_Q3] = q->no_dist ? NAN : efc__value_counts_quantile(d, n, 0.75);
    st[EFC_ITEM_MAX] = n ? it->max : NAN;
    st[EFC_ITEM_MEAN] = n ? it->mean : NAN;
    st[EFC_ITEM_SD] = n >= 2 ? sqrt(it->m2 / (double)(n - 1)) : NAN;
    st[EFC_ITEM_DISTINCT] = q->no_dist ? NAN : (double)d->used;
    /* answers per level, found in the sorted distribution */
    size_t node = efc_model_leaf_node(q->model, leaf);
    size_t levels = efc_model_node_level_count(q->model, node), on_level = 0;
    if (levels && !q->no_dist) {
        it->level_answers = efc__alloc_array(&q->alloc, levels, sizeof *it->level_answers);
        if (!it->level_answers)
            return 0;
        for (size_t l = 0; l < levels; l++) {
            double v = efc_model_node_level_value(q->model, node, l);
            size_t lo = 0, hi = d->used, got = 0;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (d->values[mid] < v)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < d->used && d->values[lo] == v)
                got = d->counts[lo];
            it->level_answers[l] = got;
            on_level += got;
        }
    }
    st[EFC_ITEM_OFF_LEVEL] = q->no_dist && levels ? NAN : (double)(levels ? n - on_level : 0);
    /* flags */
    double need = q->min_share * (double)q->rows;
    if (!n || !(it->hi > it->lo))
        it->flags |= EFC_ITEM_FLAG_NO_VARIANCE;
    if (n < q->min_count || (double)n < need)
        it->flags |= EFC_ITEM_FLAG_FEW_ANSWERS;
    size_t s = q->leaf_scale[leaf];
    if (s != EFC_NONE) {
        const efc__scale *sc = &q->scales[s];
        size_t i = 0;
        while (q->scale_items[sc->first + i] != leaf)
            i++;
        const double *is = sc->item_stats + i * NSCALE_ITEM_STATS;
        /* negative beyond the 95 % bound of a zero correlation on its
         * answers: on thousands of rows a tiny negative r is noise */
        if (is[EFC_SCALE_ITEM_R_DROP] < -1.96 / sqrt(is[EFC_SCALE_ITEM_N]))
            it->flags |= EFC_ITEM_FLAG_NEGATIVE_R;
        /* a rise within alpha's standard error is noise, not a weak item */
        if (is[EFC_SCALE_ITEM_ALPHA_IF_DROPPED] - sc->stats[EFC_SCALE_ALPHA] >
            sc->stats[EFC_SCALE_ASE])
            it->flags |= EFC_ITEM_FLAG_RAISES_ALPHA;
    }
    return 1;
}

/* An item in use: answered twice at least, with variance. */
static int in_use(const efc__comoment *d)
{
    return d->n >= 2 && d->cxy > 0;
}

/* With keys, psych's smc(C, covar = TRUE) of every leaf with variance on
 * all the others: smc[j] = var_j (1 - 1 / (R^-1)_jj), R the pairwise
 * correlations, smc clamped to [0, 1] first; NaN for a leaf without
 * variance, and for all when R has a pair answered together by fewer than
 * two rows or cannot be inverted. Returns 0 without memory. */
static int leaf_smc(efc_quality *q, double *smc)
{
    size_t n = q->leaves, k = 0;
    size_t *used = efc__alloc_array(&q->alloc, n ? n : 1, sizeof *used);
    double *a = efc__alloc_array(&q->alloc, n ? n * n : 1, sizeof *a);
    double *var = efc__alloc_array(&q->alloc, n ? n : 1, sizeof *var);
    if (!used || !a || !var) {
        efc__free(&q->alloc, used);
        efc__free(&q->alloc, a);
        efc__free(&q->alloc, var);
        return 0;
    }
    for (size_t j = 0; j < n; j++) {
        smc[j] = NAN;
        if (in_use(&q->all_pairs[j * n + j]))
            used[k++] = j;
    }
    int ok = k > 0;
    for (size_t i = 0; i < k; i++)
        var[i] = pair_cov(&q->all_pairs[used[i] * n + used[i]]);
    for (size_t i = 0; ok && i < k; i++)
        for (size_t j = i; j < k; j++) {
            double c = pair_cov(&q->all_pairs[used[i] * n + used[j]]);
            double r = i == j ? 1 : c / sqrt(var[i] * var[j]);
            ok = !isnan(r);
            a[i * k + j] = a[j * k + i] = r;
        }
    /* Gauss-Jordan inversion in place on the diagonal pivots: a correlation
     * matrix that is positive definite needs no other; one that is not
     * (pairwise covariances may make it so) gives NaN */
    for (size_t c = 0; ok && c < k; c++) {
        if (!(a[c * k + c] > 1e-12)) {
            ok = 0;
            break;
        }
        double d = a[c * k + c];
        a[c * k + c] = 1;
        for (size_t j = 0; j < k; j++)
            a[c * k + j] /= d;
        for (size_t r = 0; r < k; r++) {
            if (r == c)
                continue;
            double f = a[r * k + c];
            a[r * k + c] = 0;
            for (size_t j = 0; j < k; j++)
                a[r * k + j] -= f * a[c * k + j];
        }
    }
    for (size_t i = 0; ok && i < k; i++)
        ok = a[i * k + i] > 0;
    for (size_t i = 0; ok && i < k; i++) {
        double v = 1 - 1 / a[i * k + i];
        v = v > 1 ? 1 : v < 0 ? 0 : v;
        smc[used[i]] = v * var[i];
    }
    efc__free(&q->alloc, used);
    efc__free(&q->alloc, a);
    efc__free(&q->alloc, var);
    return 1;
}

/* The figures of a keyed scale that psych's scoreItems() gives its own
 * way, over its items in use, V the variance of their keyed sum: Guttman's
 * lambda 6, (V - sum var + sum smc) / V, and the standard error of alpha
 * sqrt(Q / rows), Q = 2 k^2 / ((k - 1)^2 V^3) (V (sum var^2 + (sum var)^2)
 * - 2 sum var sum_ij c_ij^2). */
static void scale_keyed(efc_quality *q, efc__scale *s, const double *smc)
{
    size_t count = s->count;
    double v = 0, tr = 0, sum_smc = 0, tr2 = 0, cc = 0;
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (!in_use(&s->pairs[i * count + i]))
            continue;
        k++;
        double vi = pair_cov(&s->pairs[i * count + i]);
        tr += vi;
        tr2 += vi * vi;
        sum_smc += smc[q->scale_items[s->first + i]];
        for (size_t j = 0; j < count; j++)
            if (in_use(&s->pairs[j * count + j])) {
                double c = pair_cov(&s->pairs[(i < j ? i : j) * count + (i < j ? j : i)]);
                v += c;
                cc += c * c;
            }
    }
    if (k < 2)
        return;
    double kd = (double)k;
    s->stats[EFC_SCALE_G6] = (v - tr + sum_smc) / v;
    double qq =
        (2 * kd * kd / ((kd - 1) * (kd - 1) * v * v * v)) * (v * (tr2 + tr * tr) - 2 * tr * cc);
    s->stats[EFC_SCALE_SCOREITEMS_ASE] = q->rows ? sqrt(qq / (double)q->rows) : NAN;
}

efc_status efc__quality_compute(efc_quality *q, efc_error *err)
{
    size_t n = 1;
    for (size_t s = 0; s < q->nscales; s++)
        n = q->scales[s].count > n ? q->scales[s].count : n;
    workspace w = {efc__alloc_array(&q->alloc, n * n, sizeof(double)),
                   efc__alloc_array(&q->alloc, n * n, sizeof(double)),
                   efc__alloc_array(&q->alloc, n * n, sizeof(double)),
                   efc__alloc_array(&q->alloc, n, sizeof(size_t))};
    int ok = w.c && w.r && w.buf && w.used;
    for (size_t s = 0; ok && s < q->nscales; s++)
        scale_figures(&q->scales[s], q->scale_signs + q->scales[s].first, &w);
    efc__free(&q->alloc, w.c);
    efc__free(&q->alloc, w.r);
    efc__free(&q->alloc, w.buf);
    efc__free(&q->alloc, w.used);
    if (ok && q->all_pairs) {
        double *smc = efc__alloc_array(&q->alloc, q->leaves, sizeof *smc);
        ok = smc && leaf_smc(q, smc);
        for (size_t s = 0; ok && s < q->nscales; s++)
            scale_keyed(q, &q->scales[s], smc);
        efc__free(&q->alloc, smc);
    }
    for (size_t j = 0; ok && j < q->leaves; j++)
        ok = item_figures(q, j);
    if (!ok) {
        q->broken = 1; /* distributions may be sorted already: nothing can be added */
        return efc__nomem(err);
    }
    return EFC_OK;
}
