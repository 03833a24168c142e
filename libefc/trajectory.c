/* Trajectories: each actor's path on each node. The metrics of one actor
 * and node are computed when asked, from the panel (a pass over the actor's
 * assessments); the transfers are found once, at creation, since they are
 * listed as well as counted. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "fill.h"
#include "number.h"
#include "panel_internal.h"

struct efc_trajectories {
    efc_allocator alloc;
    const efc_panel *panel;
    double tolerance;
    size_t *first_step; /* per actor + 1: where its steps start in `steps` */
    struct step {
        size_t actor, node, from, to;
    } * steps;
    size_t nsteps, steps_cap;
};

static int sign(int64_t d)
{
    return (d > 0) - (d < 0);
}

void efc__trajectory_summarize(const efc_panel *p, size_t a, size_t k, efc__trajectory *t)
{
    memset(t, 0, sizeof *t);
    t->first_index = t->last_index = EFC_NONE;
    t->first = t->last = t->change = t->slope = t->steadiness = NAN;
    t->first_period = t->last_period = NAN;
    /* first pass: count, ends, means of time (from the first period, which
     * keeps the differences exact) and score */
    double mx = 0, my = 0, x0 = NAN;
    for (size_t i = 0; i < p->count[a]; i++) {
        size_t r = efc__panel_row(p, a, i);
        double y = efc__panel_score(p, r, k);
        if (isnan(y))
            continue;
        if (t->n == 0) {
            t->first_index = i;
            t->first = y;
            x0 = efc__panel_time(p, r);
        }
        t->last_index = i;
        t->last = y;
        t->n++;
        mx += efc__panel_time(p, r) - x0;
        my += y;
    }
    if (t->n == 0)
        return;
    t->first_period = p->periods[p->row_period[efc__panel_row(p, a, t->first_index)]].value;
    t->last_period = p->periods[p->row_period[efc__panel_row(p, a, t->last_index)]].value;
    t->change = t->last - t->first;
    if (t->n < 2)
        return;
    mx /= (double)t->n;
    my /= (double)t->n;
    /* second pass: slope about the means, and the steps */
    int way = sign(efc__score_key(t->change)); /* the change as printed */
    double sxy = 0, sxx = 0;
    size_t along = 0;
    int64_t prev = 0;
    int have_prev = 0;
    for (size_t i = t->first_index; i <= t->last_index; i++) {
        size_t r = efc__panel_row(p, a, i);
        double y = efc__panel_score(p, r, k);
        if (isnan(y))
            continue;
        double dx = efc__panel_time(p, r) - x0 - mx;
        sxy += dx * (y - my);
        sxx += dx * dx;
        int64_t key = efc__score_key(y);
        if (have_prev && sign(key - prev) == way)
            along++;
        prev = key;
        have_prev = 1;
    }
    /* periods differ (no duplicates), so sxx > 0; per year for dates.
     * Periods so far apart that their differences overflow (-1.7e308 and
     * 1.7e308), or so close that their squares lose their precision or
     * underflow to 0 (1e-200 and 2e-200), leave no slope worth a figure: it
     * is empty (NaN), never infinite. A sum of squares that overflows with
     * finite sums of products means a slope below 1e-150, which 0 gives to
     * the printed decimals. */
    t->slope = sxy / sxx * efc__panel_time_unit(p);
    if (!(sxx >= DBL_MIN) || !isfinite(t->slope))
        t->slope = NAN;
    t->steadiness = (double)along / (double)(t->n - 1);
}

/* Find the transfer steps of actor a on node k (which has a parent). */
static int find_transfers(efc_trajectories *t, size_t a, size_t k, int64_t tol)
{
    const efc_panel *p = t->panel;
    size_t parent = efc_model_node_parent(p->model, k);
    int64_t prev_node = 0, prev_parent = 0;
    size_t prev_i = EFC_NONE;
    for (size_t i = 0; i < p->count[a]; i++) {
        size_t r = efc__panel_row(p, a, i);
        double y = efc__panel_score(p, r, k), z = efc__panel_score(p, r, parent);
        if (isnan(y) || isnan(z))
            continue;
        int64_t ky = efc__score_key(y), kz = efc__score_key(z);
        if (prev_i != EFC_NONE && prev_node - ky > tol && kz > prev_parent) {
            if (!efc__grow(&t->alloc, (void **)&t->steps, &t->steps_cap, t->nsteps + 1,
                           sizeof *t->steps))
                return 0;
            t->steps[t->nsteps++] = (struct step){a, k, prev_i, i};
        }
        prev_node = ky;
        prev_parent = kz;
        prev_i = i;
    }
    return 1;
}

efc_status efc_trajectories_create(efc_trajectories **out, const efc_panel *p,
                                   const efc_trajectory_options *opts, const efc_allocator *alloc,
                                   efc_error *err)
{
    double tolerance = opts ? opts->tolerance : EFC__DEFAULT_TOLERANCE;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!p)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel is NULL");
    if (!p->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the panel must be finalized");
    efc_status made;
    efc_trajectories *t = EFC__NEW(efc_trajectories, alloc, &made, err);
    if (!t)
        return made;
    t->panel = p;
    t->tolerance = tolerance;
    t->first_step = efc__alloc_array(&t->alloc, p->nactors + 1, sizeof *t->first_step);
    if (!t->first_step) {
        efc_trajectories_free(t);
        return efc__nomem(err);
    }
    /* tolerances beyond the scale are capped, so that the key stays exact */
    int64_t tol = efc__score_key(tolerance > 2 ? 2 : tolerance);
    size_t root = efc_model_root(p->model);
    for (size_t actor = 0; actor < p->nactors; actor++) {
        t->first_step[actor] = t->nsteps;
        for (size_t k = 0; k < p->nodes; k++)
            if (k != root && !find_transfers(t, actor, k, tol)) {
                efc_trajectories_free(t);
                return efc__nomem(err);
            }
    }
    t->first_step[p->nactors] = t->nsteps;
    *out = t;
    return EFC_OK;
}

void efc_trajectories_free(efc_trajectories *t)
{
    if (!t)
        return;
    efc__free(&t->alloc, t->first_step);
    efc__free(&t->alloc, t->steps);
    efc__free(&t->alloc, t);
}

const efc_panel *efc_trajectories_panel(const efc_trajectories *t)
{
    return t ? t->panel : NULL;
}

double efc_trajectories_tolerance(const efc_trajectories *t)
{
    return t ? t->tolerance : NAN;
}

/* The transfer steps of actor a on node k: among the actor's steps, which
 * are few, those of the node (no count per actor and node is stored: with
 * many actors it would outweigh the panel). */
static size_t transfers_of(const efc_trajectories *t, size_t a, size_t k)
{
    size_t n = 0;
    for (size_t i = t->first_step[a]; i < t->first_step[a + 1]; i++)
        n += t->steps[i].node == k;
    return n;
}

static int valid(const efc_trajectories *t, size_t a, size_t k)
{
    return t && a < t->panel->nactors && k < t->panel->nodes;
}

static double metric_of(const efc_trajectories *t, const efc__trajectory *s, size_t a, size_t k,
                        efc_trajectory_metric m)
{
    switch (m) {
    case EFC_TRAJECTORY_N:
        return (double)s->n;
    case EFC_TRAJECTORY_FIRST:
        return s->first;
    case EFC_TRAJECTORY_LAST:
        return s->last;
    case EFC_TRAJECTORY_CHANGE:
        return s->change;
    case EFC_TRAJECTORY_SLOPE:
        return s->slope;
    case EFC_TRAJECTORY_STEADINESS:
        return s->steadiness;
    case EFC_TRAJECTORY_TRANSFERS:
        return (double)transfers_of(t, a, k);
    case EFC_TRAJECTORY_FIRST_PERIOD:
        return s->first_period;
    case EFC_TRAJECTORY_LAST_PERIOD:
        return s->last_period;
    }
    return NAN;
}

double efc_trajectories_value(const efc_trajectories *t, size_t a, size_t k,
                              efc_trajectory_metric m)
{
    if (!valid(t, a, k))
        return NAN;
    if (m == EFC_TRAJECTORY_TRANSFERS)
        return (double)transfers_of(t, a, k);
    efc__trajectory s;
    efc__trajectory_summarize(t->panel, a, k, &s);
    return metric_of(t, &s, a, k, m);
}

size_t efc_trajectories_first(const efc_trajectories *t, size_t a, size_t k)
{
    if (!valid(t, a, k))
        return EFC_NONE;
    efc__trajectory s;
    efc__trajectory_summarize(t->panel, a, k, &s);
    return s.first_index;
}

size_t efc_trajectories_last(const efc_trajectories *t, size_t a, size_t k)
{
    if (!valid(t, a, k))
        return EFC_NONE;
    efc__trajectory s;
    efc__trajectory_summarize(t->panel, a, k, &s);
    return s.last_index;
}

efc_status efc_trajectories_fill(double *out, size_t capacity, ptrdiff_t actor_stride,
                                 ptrdiff_t node_stride, const efc_trajectories *t,
                                 efc_trajectory_metric m, efc_error *err)
{
    if (!t)
        return efc__fail(err, EFC_ERR_ARGUMENT, "trajectories is NULL");
    if ((unsigned)m > EFC_TRAJECTORY_LAST_PERIOD)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown metric %d", (int)m);
    efc_status st = efc__fill_check(out, capacity, t->panel->nactors, actor_stride, t->panel->nodes,
                                    node_stride, "trajectories", err);
    if (st)
        return st;
    for (size_t a = 0; a < t->panel->nactors; a++)
        for (size_t k = 0; k < t->panel->nodes; k++) {
            efc__trajectory s;
            efc__trajectory_summarize(t->panel, a, k, &s);
            out[(ptrdiff_t)a * actor_stride + (ptrdiff_t)k * node_stride] =
                metric_of(t, &s, a, k, m);
        }
    return EFC_OK;
}

size_t efc_trajectories_transfer_count(const efc_trajectories *t)
{
    return t ? t->nsteps : 0;
}

efc_status efc_trajectories_transfer(size_t *actor, size_t *node, size_t *from, size_t *to,
                                     const efc_trajectories *t, size_t i, efc_error *err)
{
    if (!t || i >= t->nsteps)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no transfer step %zu", i);
    const struct step *s = &t->steps[i];
    if (actor)
        *actor = s->actor;
    if (node)
        *node = s->node;
    if (from)
        *from = s->from;
    if (to)
        *to = s->to;
    return EFC_OK;
}
