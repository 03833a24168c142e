/* The runs of a sensitivity analysis: drawing every run's inputs, then
 * re-aggregating and ranking every actor in every run, on all cores.
 *
 * Only the groups whose score can change are recomputed: the parents of
 * the weights that vary, the groups whose method varies, and their
 * ancestors up to the node ranked (the "dirty" groups). Their other
 * children keep the scores of the panel. Each actor's values sit in a
 * per-thread table: the fixed children first, then the dirty
 * groups, which efc__combine (shared with scoring) fills in plan order, so
 * that a run with the nominal weights gives the panel's scores bit for bit.
 * The table is laid out slot by slot, and each group computed for all the
 * actors in one loop whose method is a constant. The logarithms of the
 * fixed scores, which geometric means need in every run, are taken once.
 *
 * Ranking sorts 64-bit keys: the score rounded to 12 decimals (an integer
 * up to 10^12 < 2^40, as ties are decided, see efc/trajectory.h) in the
 * high 40 bits, best first, and the candidate's number in the low 24 bits;
 * a stable radix sort on the high bits (four passes of 10 bits) gives
 * competition ranks. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "panel_internal.h"
#include "random.h"
#include "sensitivity_internal.h"

enum { STREAM_A = 1, STREAM_B = 2, CHUNK = 32, KEY_SHIFT = 24 };

/* ---- drawing the inputs ---- */

static double weight_of(const efc_sensitivity *s, size_t i)
{
    return s->model->nodes[s->inputs[i].node].weight;
}

static double uniform_value(const efc_sensitivity *s, size_t i, double u)
{
    const efc__sens_input *in = &s->inputs[i];
    if (in->kind == EFC_INPUT_AGGREGATION) {
        size_t k = (size_t)(u * (double)in->nalt);
        return (double)(k < in->nalt ? k : in->nalt - 1);
    }
    return weight_of(s, i) * (1 + s->amount * (2 * u - 1));
}

/* log of a Gamma(shape) draw: in logs, so that the small shapes of a
 * Dirichlet with a small concentration never underflow to 0 together */
static double log_gamma_draw(efc__rng *r, double shape)
{
    if (shape >= 1)
        return log(efc__rng_gamma(r, shape));
    double u;
    do
        u = efc__rng_uniform(r);
    while (u == 0);
    return log(efc__rng_gamma(r, shape + 1)) + log(u) / shape;
}

/* One run of a Dirichlet perturbation: the weight inputs of each parent
 * share their nominal total; aggregations are drawn uniformly. next[i] is
 * the next weight input with the same parent as input i (EFC_NONE at the
 * end): siblings are visited in input order, as a scan of all the inputs
 * would, without one (a chain of 100,000 groups has 100,000 parents). */
static void draw_dirichlet(const efc_sensitivity *s, const size_t *next, efc__rng *r, double *row,
                           double *lg)
{
    size_t d = s->ninputs;
    for (size_t i = 0; i < d; i++)
        row[i] = NAN;
    for (size_t i = 0; i < d; i++) {
        const efc__sens_input *in = &s->inputs[i];
        if (in->kind == EFC_INPUT_AGGREGATION) {
            row[i] = uniform_value(s, i, efc__rng_uniform(r));
            continue;
        }
        if (!isnan(row[i]))
            continue; /* drawn with an earlier sibling */
        double total = 0, top = -INFINITY;
        for (size_t k = i; k != EFC_NONE; k = next[k])
            total += weight_of(s, k);
        for (size_t k = i; k != EFC_NONE; k = next[k]) {
            lg[k] = log_gamma_draw(r, s->amount * weight_of(s, k) / total);
            if (lg[k] > top)
                top = lg[k];
        }
        double sum = 0;
        for (size_t k = i; k != EFC_NONE; k = next[k])
            sum += exp(lg[k] - top);
        for (size_t k = i; k != EFC_NONE; k = next[k])
            row[k] = total * (exp(lg[k] - top) / sum);
    }
}

/* The lists of siblings draw_dirichlet follows, built from the last, with
 * `last` (one per node) holding the first input seen so far of each parent. */
static void sibling_lists(const efc_sensitivity *s, size_t *next, size_t *last)
{
    const efc_model *m = s->model;
    for (size_t k = 0; k < m->count; k++)
        last[k] = EFC_NONE;
    for (size_t i = s->ninputs; i-- > 0;) {
        next[i] = EFC_NONE;
        if (s->inputs[i].kind != EFC_INPUT_WEIGHT)
            continue;
        size_t parent = m->nodes[s->inputs[i].node].parent;
        next[i] = last[parent];
        last[parent] = i;
    }
}

efc_status efc__sens_draw(efc_sensitivity *s, efc_error *err)
{
    /* the base runs [first, first + count): run j draws from the seed and
     * first + j alone, so a part draws what the whole would */
    size_t d = s->ninputs, n = s->count;
    double *lg = efc__alloc_array(&s->alloc, d, sizeof *lg);
    size_t *next = NULL, *last = NULL;
    if (s->kind == EFC_PERTURBATION_DIRICHLET) {
        next = efc__alloc_array(&s->alloc, d, sizeof *next);
        last = efc__alloc_array(&s->alloc, s->model->count, sizeof *last);
    }
    if (!lg || (s->kind == EFC_PERTURBATION_DIRICHLET && (!next || !last))) {
        efc__free(&s->alloc, lg);
        efc__free(&s->alloc, next);
        efc__free(&s->alloc, last);
        return efc__nomem(err);
    }
    if (next)
        sibling_lists(s, next, last);
    efc__free(&s->alloc, last);
    for (size_t j = 0; j < n; j++) {
        efc__rng r;
        double *row = s->params + j * d;
        efc__rng_seed(&r, s->seed, STREAM_A, s->first + j);
        if (s->kind == EFC_PERTURBATION_DIRICHLET) {
            draw_dirichlet(s, next, &r, row, lg);
            continue;
        }
        for (size_t i = 0; i < d; i++)
            row[i] = uniform_value(s, i, efc__rng_uniform(&r));
    }
    efc__free(&s->alloc, next);
    if (s->sobol) {
        double *b = s->params + n * d;
        for (size_t j = 0; j < n; j++) {
            efc__rng r;
            efc__rng_seed(&r, s->seed, STREAM_B, s->first + j);
            for (size_t i = 0; i < d; i++)
                b[j * d + i] = uniform_value(s, i, efc__rng_uniform(&r));
        }
        for (size_t i = 0; i < d; i++) {
            double *ab = s->params + (2 + i) * n * d;
            for (size_t j = 0; j < n; j++) {
                memcpy(ab + j * d, s->params + j * d, d * sizeof *ab);
                ab[j * d + i] = b[j * d + i];
            }
        }
    }
    efc__free(&s->alloc, lg);
    return EFC_OK;
}

/* ---- the plan of the dirty groups ---- */

typedef struct dgroup {
    size_t first, count; /* into child_slot, nominal, winput */
    double total_weight, power, min_coverage;
    efc_aggregate aggregate;
    size_t agg_input;         /* EFC_NONE when the method is fixed */
    size_t node, model_first; /* the model's node, its first child in child_node */
} dgroup;

typedef struct plan {
    size_t nfixed, ndirty, width; /* width = nfixed + ndirty */
    size_t *fixed_node;           /* nfixed */
    dgroup *groups;               /* ndirty, children first */
    size_t *child_slot;
    double *nominal;
    size_t *winput; /* per child: the input drawing its weight, or EFC_NONE */
    size_t nchildren;
    size_t out_slot;
} plan;

static void plan_free(const efc_allocator *a, plan *p)
{
    efc__free(a, p->fixed_node);
    efc__free(a, p->groups);
    efc__free(a, p->child_slot);
    efc__free(a, p->nominal);
    efc__free(a, p->winput);
}

static efc_status plan_build(const efc_sensitivity *s, plan *p, efc_error *err)
{
    const efc_model *m = s->model;
    const efc_allocator *a = &s->alloc;
    memset(p, 0, sizeof *p);
    size_t *slot = efc__alloc_array(a, m->count, sizeof *slot);
    unsigned char *dirty = efc__alloc_array(a, m->count, 1);
    if (!slot || !dirty) {
        efc__free(a, slot);
        efc__free(a, dirty);
        return efc__nomem(err);
    }
    memset(dirty, 0, m->count);
    for (size_t i = 0; i < s->ninputs; i++) {
        size_t k = s->inputs[i].node;
        if (s->inputs[i].kind == EFC_INPUT_WEIGHT)
            k = m->nodes[k].parent;
        /* up to the node ranked, or to a node already marked, whose
         * ancestors are: each node is marked once, however deep the tree */
        for (; k != EFC_NO_NODE && !dirty[k]; k = m->nodes[k].parent) {
            dirty[k] = 1;
            if (k == s->node)
                break;
        }
    }
    for (size_t k = 0; k < m->count; k++)
        slot[k] = EFC_NONE;
    /* count the dirty groups and their children, and number the fixed ones */
    for (size_t g = 0; g < m->group_count; g++) {
        const efc__plan_group *pg = &m->plan_groups[g];
        if (!dirty[pg->node])
            continue;
        p->ndirty++;
        p->nchildren += pg->count;
        for (size_t c = 0; c < pg->count; c++) {
            size_t ch = m->child_node[pg->first + c];
            if (!dirty[ch] && slot[ch] == EFC_NONE)
                slot[ch] = p->nfixed++;
        }
    }
    p->width = p->nfixed + p->ndirty;
    p->fixed_node = efc__alloc_array(a, p->nfixed ? p->nfixed : 1, sizeof *p->fixed_node);
    p->groups = efc__alloc_array(a, p->ndirty, sizeof *p->groups);
    p->child_slot = efc__alloc_array(a, p->nchildren, sizeof *p->child_slot);
    p->nominal = efc__alloc_array(a, p->nchildren, sizeof *p->nominal);
    p->winput = efc__alloc_array(a, p->nchildren, sizeof *p->winput);
    if (!p->fixed_node || !p->groups || !p->child_slot || !p->nominal || !p->winput) {
        efc__free(a, slot);
        efc__free(a, dirty);
        plan_free(a, p);
        return efc__nomem(err);
    }
    for (size_t k = 0; k < m->count; k++)
        if (slot[k] != EFC_NONE)
            p->fixed_node[slot[k]] = k;
    size_t gi = 0, off = 0;
    for (size_t g = 0; g < m->group_count; g++) {
        const efc__plan_group *pg = &m->plan_groups[g];
        if (!dirty[pg->node])
            continue;
        dgroup *dg = &p->groups[gi];
        dg->first = off;
        dg->count = pg->count;
        dg->total_weight = pg->total_weight;
        dg->aggregate = pg->aggregate;
        dg->power = pg->power;
        dg->min_coverage = pg->min_coverage;
        dg->agg_input = s->input_of[2 * pg->node + 1];
        dg->node = pg->node;
        dg->model_first = pg->first;
        for (size_t c = 0; c < pg->count; c++) {
            size_t ch = m->child_node[pg->first + c];
            p->child_slot[off] = slot[ch]; /* a dirty child's slot is set below, earlier */
            p->nominal[off] = m->child_weight[pg->first + c];
            p->winput[off] = s->input_of[2 * ch];
            off++;
        }
        slot[pg->node] = p->nfixed + gi; /* children come before parents */
        gi++;
    }
    p->out_slot = slot[s->node];
    efc__free(a, slot);
    efc__free(a, dirty);
    return EFC_OK;
}

/* ---- the runs ---- */

typedef struct shared {
    efc_sensitivity *s;
    const plan *p;
    const double *nominal_rank; /* per candidate, NaN when not ranked */
    const unsigned char *clean; /* ndirty x ncand: 1 when the group's fixed children all
                                   score above 0 for the candidate */
    atomic_size_t next, finished;
    size_t nchunks;
} shared;

typedef struct worker {
    shared *sh;
    double *table;     /* width x ncand: slot k of candidate c at k * ncand + c */
    double *logs;      /* the same layout: log of the fixed scores, NaN elsewhere */
    double *lg;        /* ncand: the log of a varying child's scores */
    unsigned char *ok; /* ncand: the candidates of the fast path */
    double *weights;   /* nchildren */
    double *totals;    /* ndirty */
    uint64_t *keys, *tmp;
    uint32_t *ranks; /* ncand */
    /* this worker's first run with a negative child under an aggregate
     * that needs values >= 0 (SIZE_MAX: none), and where */
    size_t neg_run, neg_group, neg_cand, neg_child;
    double neg_value;
    efc_aggregate neg_agg;
    pthread_t thread;
    int is_caller, started;
} worker;

/* Stable LSD radix sort of keys[0..n) on bits 24..63 (the rounded
 * scores), 10 bits a pass; passes where every key has the same digit are
 * skipped. */
static void radix_sort(uint64_t *keys, uint64_t *tmp, size_t n)
{
    enum { PASSES = 4, BITS = 10, BUCKETS = 1 << BITS };
    uint32_t count[PASSES][BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = keys[i] >> KEY_SHIFT;
        count[0][k & (BUCKETS - 1)]++;
        count[1][(k >> BITS) & (BUCKETS - 1)]++;
        count[2][(k >> 2 * BITS) & (BUCKETS - 1)]++;
        count[3][(k >> 3 * BITS) & (BUCKETS - 1)]++;
    }
    uint64_t *src = keys, *dst = tmp;
    for (int d = 0; d < PASSES; d++) {
        int shift = KEY_SHIFT + BITS * d;
        if (n == 0 || count[d][(src[0] >> shift) & (BUCKETS - 1)] == n)
            continue;
        uint32_t pos = 0;
        for (int b = 0; b < BUCKETS; b++) {
            uint32_t c = count[d][b];
            count[d][b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[d][(src[i] >> shift) & (BUCKETS - 1)]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys)
        memcpy(keys, src, n * sizeof *keys);
}

/* Group g of the plan for every actor. The table is laid out slot by slot
 * (slot k of actor c at k * ncand + c), so each child's scores are read in
 * one sweep. */
EFC__INLINE void combine_all(efc_aggregate agg, double power, worker *w, const plan *p, size_t g)
{
    const dgroup *dg = &p->groups[g];
    size_t n = w->sh->s->ncand;
    double *out = w->table + (p->nfixed + g) * n, total = w->totals[g], coverage;
    if (w->sh->s->model->row_steps) { /* a fitted model's groups: unclamped, as it scores */
        for (size_t c = 0; c < n; c++)
            out[c] = efc__combine_raw(agg, power, dg->min_coverage, total, dg->count,
                                      p->child_slot + dg->first, w->weights + dg->first,
                                      w->table + c, w->logs + c, (ptrdiff_t)n, &coverage);
        return;
    }
    for (size_t c = 0; c < n; c++)
        out[c] = efc__combine(agg, power, dg->min_coverage, total, dg->count,
                              p->child_slot + dg->first, w->weights + dg->first, w->table + c,
                              w->logs + c, (ptrdiff_t)n, &coverage);
}

/* A mean or geometric mean of group g for every candidate whose children
 * all score above 0 ("clean"), child by child over all the candidates: the
 * loops are short and branch-free. For them efc__combine would add the
 * same products in the same order (from 0), with every weight present, so
 * a coverage of exactly 1: the bits are the same. The other candidates take
 * efc__combine. */
static void combine_clean(efc_aggregate agg, worker *w, const plan *p, size_t g)
{
    const dgroup *dg = &p->groups[g];
    size_t n = w->sh->s->ncand;
    const size_t *slot = p->child_slot + dg->first;
    const double *weight = w->weights + dg->first;
    double *out = w->table + (p->nfixed + g) * n, sw = 0;
    unsigned char *ok = w->ok;
    memcpy(ok, w->sh->clean + g * n, n);
    for (size_t k = 0; k < dg->count; k++) {
        sw += weight[k];
        if (slot[k] >= p->nfixed) {
            const double *x = w->table + slot[k] * n;
            for (size_t c = 0; c < n; c++)
                ok[c] &= x[c] > 0;
        }
    }
    for (size_t k = 0; k < dg->count; k++) {
        const double *src = w->table + slot[k] * n;
        if (agg == EFC_AGGREGATE_GEOMEAN) {
            if (slot[k] < p->nfixed) {
                src = w->logs + slot[k] * n;
            } else {
                for (size_t c = 0; c < n; c++)
                    w->lg[c] = ok[c] ? log(src[c]) : 0;
                src = w->lg;
            }
        }
        double wk = weight[k];
        if (k == 0) /* 0 + x, as efc__combine starts: -0 becomes +0 */
            for (size_t c = 0; c < n; c++)
                out[c] = 0.0 + wk * src[c];
        else
            for (size_t c = 0; c < n; c++)
                out[c] += wk * src[c];
    }
    int raw = w->sh->s->model->row_steps; /* a fitted model's groups: unclamped */
    for (size_t c = 0; c < n; c++) {
        double v, coverage;
        if (ok[c]) {
            v = agg == EFC_AGGREGATE_GEOMEAN ? exp(out[c] / sw) : out[c] / sw;
            if (!raw)
                v = v < 0 ? 0 : v > 1 ? 1 : v;
        } else if (raw) {
            v = efc__combine_raw(agg, 0, dg->min_coverage, w->totals[g], dg->count, slot, weight,
                                 w->table + c, w->logs + c, (ptrdiff_t)n, &coverage);
        } else {
            v = efc__combine(agg, 0, dg->min_coverage, w->totals[g], dg->count, slot, weight,
                             w->table + c, w->logs + c, (ptrdiff_t)n, &coverage);
        }
        out[c] = v;
    }
}

/* The sort keys of scores on any scale (a fitted model's: 0..100, or
 * beyond the fitted range): the score keys measured down from the highest,
 * in the 40 bits above the candidate; a range too wide for them is
 * compared at fewer decimals (10 times fewer per step), which only merges
 * scores within 1e-11 of the range. Scores in [0, 1] keep every decimal. */
static void rank_keys_any(worker *w, const double *out, size_t ncand, size_t *nk)
{
    int64_t hi = INT64_MIN, lo = INT64_MAX;
    for (size_t c = 0; c < ncand; c++)
        if (!isnan(out[c])) {
            int64_t k = efc__score_key(out[c]);
            hi = k > hi ? k : hi;
            lo = k < lo ? k : lo;
        }
    uint64_t q = 1, span = hi > lo ? (uint64_t)hi - (uint64_t)lo : 0;
    while (span / q >= ((uint64_t)1 << (64 - KEY_SHIFT)))
        q *= 10;
    for (size_t c = 0; c < ncand; c++)
        if (!isnan(out[c])) {
            uint64_t down = ((uint64_t)hi - (uint64_t)efc__score_key(out[c])) / q;
            w->keys[(*nk)++] = (down << KEY_SHIFT) | c;
        }
}

/* A fitted model's scores may be below 0, where a geometric, harmonic or
 * power mean, a ratio or a product has no value; scoring refuses such a
 * group (row_steps.c), and so do the runs: the first run of each worker
 * that meets one is kept (a worker's runs come in increasing order), and
 * the analysis fails naming the earliest over the workers, whatever their
 * number, instead of leaving the actor unranked in that run. */
static void note_negative(worker *w, const plan *p, size_t g, size_t j, efc_aggregate agg)
{
    if (w->neg_run != SIZE_MAX || !efc__aggregate_nonnegative(agg))
        return;
    const dgroup *dg = &p->groups[g];
    size_t n = w->sh->s->ncand;
    for (size_t k = 0; k < dg->count; k++) {
        const double *x = w->table + p->child_slot[dg->first + k] * n;
        for (size_t c = 0; c < n; c++)
            if (x[c] < 0) {
                w->neg_run = j;
                w->neg_group = g;
                w->neg_cand = c;
                w->neg_child = k;
                w->neg_value = x[c];
                w->neg_agg = agg;
                return;
            }
    }
}

static void one_run(worker *w, size_t j)
{
    efc_sensitivity *s = w->sh->s;
    const plan *p = w->sh->p;
    const double *param = s->params + j * s->ninputs;
    size_t ncand = s->ncand;
    /* this run's weights and methods */
    for (size_t g = 0; g < p->ndirty; g++) {
        const dgroup *dg = &p->groups[g];
        double total = 0;
        int changed = 0;
        for (size_t c = dg->first; c < dg->first + dg->count; c++) {
            double x = p->winput[c] == EFC_NONE ? p->nominal[c] : param[p->winput[c]];
            changed |= p->winput[c] != EFC_NONE;
            w->weights[c] = x;
            total += x; /* in child order, as model_finalize.c adds them */
        }
        w->totals[g] = changed ? total : dg->total_weight;
    }
    /* group by group over all the actors, the method fixed for the loop so
     * that the compiler drops the others from it */
    for (size_t g = 0; g < p->ndirty; g++) {
        const dgroup *dg = &p->groups[g];
        efc_aggregate agg = dg->aggregate;
        double power = dg->power;
        if (dg->agg_input != EFC_NONE) {
            const efc__sens_input *in = &s->inputs[dg->agg_input];
            size_t k = (size_t)param[dg->agg_input];
            agg = in->alt[k];
            power = in->power[k];
        }
        if (s->model->row_steps)
            note_negative(w, p, g, j, agg);
        switch (agg) {
        case EFC_AGGREGATE_MEAN:
            combine_clean(EFC_AGGREGATE_MEAN, w, p, g);
            break;
        case EFC_AGGREGATE_GEOMEAN:
            combine_clean(EFC_AGGREGATE_GEOMEAN, w, p, g);
            break;
        case EFC_AGGREGATE_HARMONIC:
            combine_all(EFC_AGGREGATE_HARMONIC, 0, w, p, g);
            break;
        case EFC_AGGREGATE_MIN:
            combine_all(EFC_AGGREGATE_MIN, 0, w, p, g);
            break;
        case EFC_AGGREGATE_POWER:
            combine_all(EFC_AGGREGATE_POWER, power, w, p, g);
            break;
        case EFC_AGGREGATE_RATIO:
            combine_all(EFC_AGGREGATE_RATIO, 0, w, p, g);
            break;
        case EFC_AGGREGATE_PRODUCT:
            combine_all(EFC_AGGREGATE_PRODUCT, 0, w, p, g);
            break;
        case EFC_AGGREGATE_COPELAND: /* needs an index: never in a panel's model */
            combine_all(EFC_AGGREGATE_COPELAND, 0, w, p, g);
            break;
        }
    }
    size_t nk = 0;
    const double *out = w->table + p->out_slot * ncand;
    if (s->model->row_steps) {
        rank_keys_any(w, out, ncand, &nk);
    } else {
        for (size_t c = 0; c < ncand; c++)
            if (!isnan(out[c]))
                w->keys[nk++] =
                    ((uint64_t)(1000000000000 - efc__score_key(out[c])) << KEY_SHIFT) | c;
    }
    radix_sort(w->keys, w->tmp, nk);
    memset(w->ranks, 0, ncand * sizeof *w->ranks);
    uint32_t rank = 0;
    for (size_t i = 0; i < nk; i++) {
        if (i == 0 || (w->keys[i] >> KEY_SHIFT) != (w->keys[i - 1] >> KEY_SHIFT))
            rank = (uint32_t)(i + 1);
        w->ranks[w->keys[i] & ((1u << KEY_SHIFT) - 1)] = rank;
    }
    double shift = 0;
    size_t both = 0;
    for (size_t c = 0; c < ncand; c++) {
        double nominal = w->sh->nominal_rank[c];
        if (w->ranks[c] && !isnan(nominal)) {
            shift += fabs((double)w->ranks[c] - nominal);
            both++;
        }
    }
    s->outputs[j] = both ? shift / (double)both : NAN;
    if (j < s->count)
        memcpy(s->ranks + j * ncand, w->ranks, ncand * sizeof *w->ranks);
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    efc_sensitivity *s = sh->s;
    for (;;) {
        if (atomic_load(&s->cancelled))
            break; /* the runs under way finish; no other starts */
        size_t chunk = atomic_fetch_add(&sh->next, 1);
        if (chunk >= sh->nchunks)
            break;
        size_t end = (chunk + 1) * CHUNK < s->nruns ? (chunk + 1) * CHUNK : s->nruns;
        for (size_t j = chunk * CHUNK; j < end; j++)
            one_run(w, j);
        size_t done = atomic_fetch_add(&sh->finished, end - chunk * CHUNK) + end - chunk * CHUNK;
        /* a nonzero answer cancels: the workers see it before their next chunk */
        if (w->is_caller && s->progress && s->progress(done, s->nruns, s->progress_user))
            atomic_store(&s->cancelled, 1);
    }
    return NULL;
}

static void worker_free(const efc_allocator *a, worker *w)
{
    efc__free(a, w->table);
    efc__free(a, w->logs);
    efc__free(a, w->lg);
    efc__free(a, w->ok);
    efc__free(a, w->weights);
    efc__free(a, w->totals);
    efc__free(a, w->keys);
    efc__free(a, w->tmp);
    efc__free(a, w->ranks);
}

static int worker_init(const efc_sensitivity *s, const plan *p, worker *w)
{
    const efc_allocator *a = &s->alloc;
    size_t n = s->ncand ? s->ncand : 1;
    w->table = efc__alloc_array(a, n, p->width * sizeof *w->table);
    w->logs = efc__alloc_array(a, n, p->width * sizeof *w->logs);
    w->lg = efc__alloc_array(a, n, sizeof *w->lg);
    w->ok = efc__alloc_array(a, n, 1);
    w->weights = efc__alloc_array(a, p->nchildren, sizeof *w->weights);
    w->totals = efc__alloc_array(a, p->ndirty, sizeof *w->totals);
    w->keys = efc__alloc_array(a, n, sizeof *w->keys);
    w->tmp = efc__alloc_array(a, n, sizeof *w->tmp);
    w->ranks = efc__alloc_array(a, n, sizeof *w->ranks);
    if (!w->table || !w->logs || !w->lg || !w->ok || !w->weights || !w->totals || !w->keys ||
        !w->tmp || !w->ranks)
        return 0;
    const efc_panel *pn = s->panel;
    for (size_t c = 0; c < s->ncand; c++) {
        size_t actor = s->cand[c];
        size_t r = efc__panel_row(pn, actor, s->assessment[actor]);
        for (size_t f = 0; f < p->width; f++) {
            double x = f < p->nfixed ? efc__panel_score(pn, r, p->fixed_node[f]) : NAN;
            w->table[f * s->ncand + c] = x;
            w->logs[f * s->ncand + c] = x > 0 ? log(x) : NAN;
        }
    }
    return 1;
}

/* The runs re-aggregate the panel's scores of the nodes below the varying
 * ones; nominal ranks come from the panel's score of the node ranked. Both
 * agree for a panel scored by libefc. A panel filled with scores computed
 * elsewhere (imported, rounded) may not: its nominal ranks would not be
 * those of any run, and every figure would be wrong. So the nominal
 * weights are run once, and any actor whose re-aggregated score prints
 * differently from the panel's is refused. */
static efc_status check_nominal(const efc_sensitivity *s, const plan *p, worker *w, efc_error *err)
{
    size_t n = s->ncand;
    memcpy(w->weights, p->nominal, p->nchildren * sizeof *w->weights);
    for (size_t g = 0; g < p->ndirty; g++) {
        w->totals[g] = p->groups[g].total_weight;
        combine_all(p->groups[g].aggregate, p->groups[g].power, w, p, g);
    }
    for (size_t c = 0; c < n; c++) {
        size_t actor = s->cand[c];
        size_t r = efc__panel_row(s->panel, actor, s->assessment[actor]);
        double want = efc__panel_score(s->panel, r, s->node), got = w->table[p->out_slot * n + c];
        if (isnan(want) != isnan(got) ||
            (!isnan(want) && efc__score_key(want) != efc__score_key(got))) {
            char a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF];
            efc__fmt_number(want, a);
            efc__fmt_number(got, b);
            return efc__fail(err, EFC_ERR_VALUE,
                             "actor '%s': the panel's score of '%s' (%s) is not what its "
                             "children's scores give with the model's weights (%s): the "
                             "analysis re-aggregates scores, so it needs a panel scored by "
                             "libefc with this model",
                             s->panel->actors[actor], s->model->nodes[s->node].id, a, b);
        }
    }
    return EFC_OK;
}

static efc_status negative_child(const efc_sensitivity *s, const plan *p, const worker *w,
                                 efc_error *err)
{
    const efc_model *m = s->model;
    const dgroup *dg = &p->groups[w->neg_group];
    size_t group = dg->node, child = m->child_node[dg->model_first + w->neg_child];
    char b[EFC__NUMBER_BUF];
    efc__fmt_number(w->neg_value, b);
    return efc__fail(err, EFC_ERR_VALUE,
                     "run %zu: group '%s' aggregated by %s needs values >= 0, and '%s' is %s for "
                     "actor '%s' (a fitted model's scores are not bounded to 0..1: normalise "
                     "onto a positive range, or draw only mean and min)",
                     w->neg_run + 1, m->nodes[group].id,
                     efc_enum_name(EFC_ENUM_AGGREGATE, (int)w->neg_agg), m->nodes[child].id, b,
                     s->panel->actors[s->cand[w->neg_cand]]);
}

efc_status efc__sens_compute(efc_sensitivity *s, const double *nominal_rank, efc_error *err)
{
    const efc_allocator *a = &s->alloc;
    plan p;
    efc_status st = plan_build(s, &p, err);
    if (st)
        return st;
    unsigned nthreads = s->threads;
    if (nthreads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = cores > 0 ? (unsigned)(cores < 1024 ? cores : 1024) : 1;
    }
    shared sh;
    sh.s = s;
    sh.p = &p;
    sh.nchunks = (s->nruns + CHUNK - 1) / CHUNK;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.finished, 0);
    if (nthreads > sh.nchunks)
        nthreads = (unsigned)sh.nchunks;
    double *by_cand = efc__alloc_array(a, s->ncand ? s->ncand : 1, sizeof *by_cand);
    worker *w = efc__alloc_array(a, nthreads, sizeof *w);
    unsigned char *clean = efc__alloc_array(a, p.ndirty, s->ncand ? s->ncand : 1);
    if (!by_cand || !w || !clean) {
        efc__free(a, by_cand);
        efc__free(a, w);
        efc__free(a, clean);
        plan_free(a, &p);
        return efc__nomem(err);
    }
    for (size_t c = 0; c < s->ncand; c++)
        by_cand[c] = nominal_rank[s->cand[c]];
    sh.nominal_rank = by_cand;
    for (size_t g = 0; g < p.ndirty; g++)
        for (size_t c = 0; c < s->ncand; c++) {
            const efc_panel *pn = s->panel;
            size_t r = efc__panel_row(pn, s->cand[c], s->assessment[s->cand[c]]);
            unsigned char ok = 1;
            for (size_t k = 0; k < p.groups[g].count; k++) {
                size_t f = p.child_slot[p.groups[g].first + k];
                if (f < p.nfixed)
                    ok &= efc__panel_score(pn, r, p.fixed_node[f]) > 0;
            }
            clean[g * s->ncand + c] = ok;
        }
    sh.clean = clean;
    memset(w, 0, nthreads * sizeof *w);
    unsigned ready = 0;
    for (; ready < nthreads; ready++) {
        w[ready].sh = &sh;
        w[ready].neg_run = SIZE_MAX;
        if (!worker_init(s, &p, &w[ready])) {
            worker_free(a, &w[ready]);
            break;
        }
    }
    if (!ready)
        st = efc__fail(err, EFC_ERR_NOMEM, "out of memory for the scores of %zu actors", s->ncand);
    else
        st = check_nominal(s, &p, &w[0], err);
    if (!st) {
        /* the calling thread works too, and reports progress; a thread
         * that cannot start leaves its share to the others */
        w[0].is_caller = 1;
        for (unsigned t = 1; t < ready; t++)
            w[t].started = pthread_create(&w[t].thread, NULL, work, &w[t]) == 0;
        work(&w[0]);
        for (unsigned t = 1; t < ready; t++)
            if (w[t].started)
                pthread_join(w[t].thread, NULL);
        const worker *neg = NULL;
        for (unsigned t = 0; t < ready; t++)
            if (w[t].neg_run != SIZE_MAX && (!neg || w[t].neg_run < neg->neg_run))
                neg = &w[t];
        if (atomic_load(&s->cancelled))
            st = efc__fail(err, EFC_ERR_STATE, "the analysis was cancelled");
        else if (neg)
            st = negative_child(s, &p, neg, err);
        else if (s->progress) /* the end, whoever ran the last runs; nothing is left to cancel */
            (void)s->progress(s->nruns, s->nruns, s->progress_user);
    }
    for (unsigned t = 0; t < ready; t++)
        worker_free(a, &w[t]);
    efc__free(a, w);
    efc__free(a, by_cand);
    efc__free(a, clean);
    plan_free(a, &p);
    return st;
}
