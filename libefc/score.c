/* Scoring: normalise each leaf through its goalposts, then combine groups
 * children first. The formulas are in docs/concepts.md; the choices that
 * decide the last bits are noted here.
 *  - A leaf in range scores (x - min) / (max - min), or (max - x) / (max -
 *    min) for direction -, on log values under the log transform; out of
 *    range it scores exactly 0 or 1 and counts as clamped.
 *  - Sums run over children sorted by id (see model_finalize.c).
 *  - power:1, power:0 and power:-1 use the code of mean, geomean and
 *    harmonic, so equivalent codebooks give identical bits.
 *  - A power mean is computed relative to the largest child (P > 0) or the
 *    smallest (P < 0), so no exponent can underflow or overflow the sum.
 *  - Coverage is compared with min_coverage with a tolerance of 1e-12, so
 *    that weights written as decimals (0.1 + 0.2) meet a bar of 0.3. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "efc/score.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "row_steps.h"
#include "score_internal.h"

static efc_status bad_value(const efc_model *m, size_t leaf, size_t row, double x,
                            efc_reason reason, const char *why, efc_error *err)
{
    char b[EFC__NUMBER_BUF];
    efc__fmt_number(x, b);
    efc__fail_r(err, EFC_ERR_VALUE, reason, "row %zu, leaf '%s': value %s %s", row,
                m->nodes[m->plan_leaves[leaf].node].id, b, why);
    efc__row(err, row, 1); /* the message starts with "row <row>" */
    return EFC_ERR_VALUE;
}

EFC__INLINE double normalise(const efc__plan_leaf *pl, double x, int *clamped)
{
    if (x <= pl->min) {
        *clamped = x < pl->min;
        return pl->negative ? 1.0 : 0.0;
    }
    if (x >= pl->max) {
        *clamped = x > pl->max;
        return pl->negative ? 0.0 : 1.0;
    }
    *clamped = 0;
    double t = pl->log ? log(x) : x;
    double v = pl->negative ? (pl->hi - t) / (pl->hi - pl->lo) : (t - pl->lo) / (pl->hi - pl->lo);
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double efc__leaf_goalposts(const efc__plan_leaf *pl, double x)
{
    int clamped;
    return normalise(pl, x, &clamped);
}

void efc__plan_leaf_table(efc__plan_leaf *pl)
{
    for (unsigned k = 0; k < EFC__SMALL; k++) {
        double x = (double)k;
        int cl = 2;
        double v = NAN;
        if (x > pl->domain)
            v = normalise(pl, x, &cl);
        pl->small[k] = v;
        pl->small_clamped[k] = (unsigned char)cl;
    }
}

/* Power mean for P other than 1, 0, -1. Near P = 0, x^P rounds to 1 and
 * the mean would collapse: there it is computed as exp(log1p(S / W) / P)
 * with S = sum of w * expm1(P ln x), exact as P goes to 0 (the geometric
 * mean). Elsewhere it is computed relative to the extreme child, so that no
 * exponent can underflow or overflow the sum. */
#define SMALL_POWER 1e-3

double efc__power_mean(double p, size_t count, const size_t *child, const double *weight,
                       const double *s, ptrdiff_t ns, double sw)
{
    if (fabs(p) < SMALL_POWER) {
        double acc = 0;
        for (size_t c = 0; c < count; c++) {
            double x = s[(ptrdiff_t)child[c] * ns];
            if (isnan(x))
                continue;
            if (x == 0 && p < 0)
                return 0;
            acc += weight[c] * (x == 0 ? -1.0 : expm1(p * log(x)));
        }
        return exp(log1p(acc / sw) / p);
    }
    double ref = p > 0 ? 0 : INFINITY;
    for (size_t c = 0; c < count; c++) {
        double x = s[(ptrdiff_t)child[c] * ns];
        if (isnan(x))
            continue;
        if (p > 0 ? x > ref : x < ref)
            ref = x;
    }
    if (ref == 0)
        return 0; /* p > 0: every child is 0; p < 0: a child is 0 */
    double acc = 0;
    for (size_t c = 0; c < count; c++) {
        double x = s[(ptrdiff_t)child[c] * ns];
        if (!isnan(x))
            acc += weight[c] * pow(x / ref, p);
    }
    return ref * pow(acc / sw, 1 / p);
}

EFC__INLINE void score_group(const efc_model *m, const efc__plan_group *g, double *s, double *c,
                             ptrdiff_t ns)
{
    double coverage;
    double v =
        efc__combine(g->aggregate, g->power, g->min_coverage, g->total_weight, g->count,
                     m->child_node + g->first, m->child_weight + g->first, s, NULL, ns, &coverage);
    s[(ptrdiff_t)g->node * ns] = v;
    if (c)
        c[(ptrdiff_t)g->node * ns] = coverage;
}

/* Leave no half-scored row behind: the whole row is missing. */
static void missing_row(const efc_model *m, double *s, double *c, ptrdiff_t ns)
{
    for (size_t k = 0; k < m->count; k++) {
        s[(ptrdiff_t)k * ns] = NAN;
        if (c)
            c[(ptrdiff_t)k * ns] = 0;
    }
}

/* A row of a model with row-local steps (a fitted model's): the leaves
 * with steps through them, the others as below, and the groups unclamped,
 * as the pipeline computes them (row_steps.c). */
static efc_status score_row_steps(const efc_model *m, const double *v, ptrdiff_t ls,
                                  const double *aux, double *s, double *c, ptrdiff_t ns,
                                  unsigned char *flags, size_t *clamped, size_t row, efc_error *err)
{
    size_t n_clamped = 0;
    char msg[600];
    efc_reason why = EFC_REASON_NONE;
    for (size_t j = 0; j < m->leaf_count; j++) {
        const efc__plan_leaf *pl = &m->plan_leaves[j];
        double x = v[(ptrdiff_t)j * ls], out = NAN;
        int cl = 0;
        efc_status st = EFC_OK;
        if (pl->steps) {
            st = efc__row_steps_leaf(m, j, x, aux, &out, &why, msg, sizeof msg);
        } else if (!isnan(x)) {
            if (!(x > pl->domain && x < INFINITY)) {
                why = !isfinite(x) ? EFC_REASON_NOT_FINITE : EFC_REASON_LOG_DOMAIN;
                snprintf(msg, sizeof msg, "%s",
                         !isfinite(x) ? "is not finite"
                                      : "cannot take the log transform (it must be > 0)");
                missing_row(m, s, c, ns);
                return bad_value(m, j, row, x, why, msg, err);
            }
            out = normalise(pl, x, &cl);
            n_clamped += (size_t)cl;
        }
        if (st) {
            missing_row(m, s, c, ns);
            efc__fail_r(err, st, why, "row %zu, leaf '%s': %s", row, m->nodes[pl->node].id, msg);
            efc__row(err, row, 1);
            return st;
        }
        if (flags)
            flags[j] = (unsigned char)cl;
        s[(ptrdiff_t)pl->node * ns] = out;
        if (c)
            c[(ptrdiff_t)pl->node * ns] = isnan(out) ? 0 : 1;
    }
    size_t g;
    efc_status st = efc__row_steps_groups(m, s, c, ns, &g, msg, sizeof msg);
    if (st) {
        missing_row(m, s, c, ns);
        efc__fail_r(err, st, EFC_REASON_OUT_OF_RANGE, "row %zu, %s", row, msg);
        efc__row(err, row, 1);
        return st;
    }
    *clamped += n_clamped;
    return EFC_OK;
}

EFC__INLINE efc_status score_row(const efc_model *m, const double *v, ptrdiff_t ls, double *s,
                                 double *c, ptrdiff_t ns, unsigned char *flags, size_t *clamped,
                                 size_t row, efc_error *err)
{
    size_t n_clamped = 0;
    for (size_t j = 0; j < m->leaf_count; j++) {
        const efc__plan_leaf *pl = &m->plan_leaves[j];
        double x = v[(ptrdiff_t)j * ls];
        double out = NAN;
        int cl = 0;
        if (x >= 0 && x < EFC__SMALL && (double)(unsigned)x == x &&
            pl->small_clamped[(unsigned)x] != 2) {
            /* a small whole answer: looked up (same bits as below) */
            out = pl->small[(unsigned)x];
            cl = pl->small_clamped[(unsigned)x];
            n_clamped += (size_t)cl;
        } else if (!isnan(x)) {
            /* valid: finite, and > 0 under a log transform (one test) */
            if (!(x > pl->domain && x < INFINITY)) {
                const char *why = !isfinite(x) ? "is not finite"
                                               : "cannot take the log transform (it must be > 0)";
                /* Leave no half-scored row behind: the whole row is missing. */
                for (size_t k = 0; k < m->count; k++) {
                    s[(ptrdiff_t)k * ns] = NAN;
                    if (c)
                        c[(ptrdiff_t)k * ns] = 0;
                }
                return bad_value(m, j, row, x,
                                 !isfinite(x) ? EFC_REASON_NOT_FINITE : EFC_REASON_LOG_DOMAIN, why,
                                 err);
            }
            out = normalise(pl, x, &cl);
            n_clamped += (size_t)cl;
        }
        if (flags)
            flags[j] = (unsigned char)cl;
        s[(ptrdiff_t)pl->node * ns] = out;
        if (c)
            c[(ptrdiff_t)pl->node * ns] = isnan(out) ? 0 : 1;
    }
    *clamped += n_clamped; /* only rows scored in full count */
    for (size_t g = 0; g < m->group_count; g++)
        score_group(m, &m->plan_groups[g], s, c, ns);
    return EFC_OK;
}

efc_status efc__score_row(const efc_model *m, const double *v, ptrdiff_t ls, double *s, double *c,
                          ptrdiff_t ns, unsigned char *flags, size_t *clamped, size_t row,
                          efc_error *err)
{
    if (m->row_steps) /* no column besides the leaves' (efc__refuse_aux_model) */
        return score_row_steps(m, v, ls, NULL, s, c, ns, flags, clamped, row, err);
    /* the common layout, unit strides, compiled on its own: no multiplications */
    if (ls == 1 && ns == 1)
        return score_row(m, v, 1, s, c, 1, flags, clamped, row, err);
    return score_row(m, v, ls, s, c, ns, flags, clamped, row, err);
}

efc_pass efc_model_pass(const efc_model *m, size_t node, double score)
{
    if (!m || node >= m->count || isnan(m->nodes[node].threshold))
        return EFC_PASS_NO_THRESHOLD;
    if (isnan(score))
        return EFC_PASS_MISSING;
    /* Both rounded to 12 decimals, as efc score prints them and as the
     * decisions of trajectories are made: a score printed equal to its
     * threshold passes, whatever its last bits (0.3 on goalposts 0..3 is
     * 0.09999999999999999, printed 0.1). A score far outside [0, 1] (only a
     * caller's) is compared as it is: its key would overflow, and rounding
     * cannot move it across a threshold. */
    double t = m->nodes[node].threshold;
    if (!(fabs(score) <= 2))
        return score >= t ? EFC_PASS_OK : EFC_PASS_FAIL;
    return efc__score_key(score) >= efc__score_key(t) ? EFC_PASS_OK : EFC_PASS_FAIL;
}

efc_pass efc_model_pass_all(const efc_model *m, const double *scores, ptrdiff_t node_stride)
{
    if (!m || !m->finalized || !scores || m->threshold_count == 0)
        return EFC_PASS_NO_THRESHOLD;
    /* any failure fails the row, whatever else is missing */
    efc_pass all = EFC_PASS_OK;
    for (size_t i = 0; i < m->threshold_count; i++) {
        size_t k = m->threshold_nodes[i];
        efc_pass p = efc_model_pass(m, k, scores[(ptrdiff_t)k * node_stride]);
        if (p == EFC_PASS_FAIL)
            return EFC_PASS_FAIL;
        if (p == EFC_PASS_MISSING)
            all = EFC_PASS_MISSING;
    }
    return all;
}

efc_status efc_model_pass_batch(signed char *passes, signed char *pass_all, const efc_model *m,
                                size_t rows, const double *scores, ptrdiff_t score_row_stride,
                                ptrdiff_t score_node_stride, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized");
    if (rows && !scores)
        return efc__fail(err, EFC_ERR_ARGUMENT, "scores is NULL");
    for (size_t r = 0; r < rows; r++) {
        const double *row = scores + (ptrdiff_t)r * score_row_stride;
        if (passes) {
            signed char *out = passes + r * m->count;
            for (size_t k = 0; k < m->count; k++)
                out[k] = EFC_PASS_NO_THRESHOLD;
            for (size_t i = 0; i < m->threshold_count; i++) {
                size_t k = m->threshold_nodes[i];
                out[k] = (signed char)efc_model_pass(m, k, row[(ptrdiff_t)k * score_node_stride]);
            }
        }
        if (pass_all)
            pass_all[r] = (signed char)efc_model_pass_all(m, row, score_node_stride);
    }
    return EFC_OK;
}

efc_status efc_model_score_batch(double *scores, double *coverage, ptrdiff_t out_row_stride,
                                 ptrdiff_t out_node_stride, size_t *clamped, const efc_model *m,
                                 size_t rows, const double *values, ptrdiff_t value_row_stride,
                                 ptrdiff_t value_leaf_stride, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized before scoring");
    efc_status refused = efc__refuse_index_model(m, err);
    if (refused)
        return refused;
    if (rows && ((!values && m->leaf_count) || !scores))
        return efc__fail(err, EFC_ERR_ARGUMENT, "values or scores is NULL");
    size_t n_clamped = 0;
    efc_status st = EFC_OK;
    for (size_t r = 0; r < rows && !st; r++) {
        ptrdiff_t in = (ptrdiff_t)r * value_row_stride, out = (ptrdiff_t)r * out_row_stride;
        st = efc__score_row(m, values + in, value_leaf_stride, scores + out,
                            coverage ? coverage + out : NULL, out_node_stride, NULL, &n_clamped, r,
                            err);
    }
    if (clamped)
        *clamped = n_clamped;
    return st;
}

efc_status efc_model_score_matrix(double *scores, double *coverage, size_t *clamped,
                                  const efc_model *m, size_t rows, const double *values,
                                  efc_layout layout, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    /* Strides are in doubles and signed: a matrix whose rows do not fit in
     * ptrdiff_t cannot be addressed at all. */
    if (rows > (size_t)PTRDIFF_MAX || m->count > (size_t)PTRDIFF_MAX)
        return efc__fail(err, EFC_ERR_ARGUMENT, "too many rows for one matrix");
    switch (layout) {
    case EFC_LAYOUT_ROW_MAJOR:
        return efc_model_score_batch(scores, coverage, (ptrdiff_t)m->count, 1, clamped, m, rows,
                                     values, (ptrdiff_t)m->leaf_count, 1, err);
    case EFC_LAYOUT_COLUMN_MAJOR:
        return efc_model_score_batch(scores, coverage, 1, (ptrdiff_t)rows, clamped, m, rows, values,
                                     1, (ptrdiff_t)rows, err);
    }
    return efc__fail(err, EFC_ERR_ARGUMENT,
                     "layout must be EFC_LAYOUT_ROW_MAJOR or EFC_LAYOUT_COLUMN_MAJOR");
}
