/* Uncertainty and sensitivity analysis of ranks: set-up, the run's steps
 * and the accessors. The runs themselves are in sensitivity_run.c, the
 * statistics in sensitivity_stats.c and the Sobol estimator in sobol.c. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "fill.h"
#include "model_internal.h"
#include "panel_internal.h"
#include "sensitivity_internal.h"

/* An analysis of `panel` with the values of `o` that need no check
 * against the panel (the options checked them when set). */
static efc_sensitivity *sensitivity_new(const efc_panel *panel, const efc_sensitivity_options *o,
                                        const efc_allocator *alloc, efc_status *st, efc_error *err)
{
    efc_sensitivity *s = EFC__NEW(efc_sensitivity, alloc, st, err);
    if (!s)
        return NULL;
    s->panel = panel;
    s->model = panel->model;
    s->node = s->model->root;
    s->kind = o->kind;
    s->amount = o->amount;
    s->samples = o->samples;
    s->seed = o->seed;
    s->top = o->top;
    s->threads = o->threads;
    s->sobol = o->sobol;
    s->bootstrap = o->bootstrap;
    s->progress = o->progress;
    s->progress_user = o->progress_user;
    s->first = o->first;
    s->count = o->count;
    s->variance = NAN;
    s->reach_top = EFC_NO_NODE;
    return s;
}

void efc_sensitivity_free(efc_sensitivity *s)
{
    if (!s)
        return;
    const efc_allocator *a = &s->alloc;
    efc__free(a, s->period);
    efc__free(a, s->inputs);
    efc__free(a, s->input_of);
    efc__free(a, s->reach);
    efc__free(a, s->assessment);
    efc__free(a, s->params);
    efc__free(a, s->outputs);
    efc__free(a, s->cand);
    efc__free(a, s->cand_of);
    efc__free(a, s->ranks);
    efc__free(a, s->stats);
    efc__free(a, s->sobol_idx);
    efc_allocator copy = s->alloc;
    efc__free(&copy, s);
}

/* ---- set-up ---- */

enum { REACH_UNDER = 1, REACH_COUNTS = 2 };

/* For every node: whether it is `top` or below it (REACH_UNDER), and
 * whether it and its ancestors below `top` all have a weight (REACH_COUNTS:
 * below a node of weight 0 nothing reaches `top`, scoring leaves it out).
 * One pass down from `top` with an explicit stack (no recursion on a deep
 * tree), kept until another top is asked for. */
static const unsigned char *reach(efc_sensitivity *s, size_t top, efc_error *err)
{
    const efc_model *m = s->model;
    if (s->reach && s->reach_top == top)
        return s->reach;
    if (!s->reach && !(s->reach = efc__alloc_array(&s->alloc, m->count, 1))) {
        efc__nomem(err);
        return NULL;
    }
    size_t *stack = efc__alloc_array(&s->alloc, m->count, sizeof *stack);
    if (!stack) {
        efc__nomem(err);
        return NULL;
    }
    memset(s->reach, 0, m->count);
    size_t n = 0;
    s->reach[top] = REACH_UNDER | REACH_COUNTS;
    stack[n++] = top;
    while (n) {
        const efc__node *g = &m->nodes[stack[--n]];
        unsigned char up = s->reach[stack[n]];
        for (size_t c = 0; c < g->child_count; c++) {
            size_t k = m->children[g->first_child + c];
            s->reach[k] =
                (unsigned char)(REACH_UNDER |
                                ((up & REACH_COUNTS) && m->nodes[k].weight > 0 ? REACH_COUNTS : 0));
            stack[n++] = k; /* each node once: the tree has no cycle */
        }
    }
    efc__free(&s->alloc, stack);
    s->reach_top = top;
    return s->reach;
}

/* The options' node (a group: checked when set); before any input. */
static void set_node(efc_sensitivity *s, size_t node)
{
    s->node = node == EFC_NO_NODE ? s->model->root : node;
}

static efc_status set_period(efc_sensitivity *s, const char *period, efc_error *err)
{
    if (period && !(s->period = efc__strdup(&s->alloc, period)))
        return efc__nomem(err);
    return EFC_OK;
}

static efc__sens_input *find_input(const efc_sensitivity *s, efc_input_kind kind, size_t node)
{
    size_t i = s->input_of ? s->input_of[2 * node + (kind == EFC_INPUT_AGGREGATION)] : EFC_NONE;
    return i == EFC_NONE ? NULL : &s->inputs[i];
}

static efc__sens_input *new_input(efc_sensitivity *s, efc_input_kind kind, size_t node,
                                  efc_error *err)
{
    size_t count = s->model->count;
    if (!s->input_of) {
        if (!(s->input_of = efc__alloc_array(&s->alloc, count, 2 * sizeof *s->input_of))) {
            efc__nomem(err);
            return NULL;
        }
        for (size_t k = 0; k < 2 * count; k++)
            s->input_of[k] = EFC_NONE;
    }
    if (!efc__grow(&s->alloc, (void **)&s->inputs, &s->inputs_cap, s->ninputs + 1,
                   sizeof *s->inputs)) {
        efc__nomem(err);
        return NULL;
    }
    s->input_of[2 * node + (kind == EFC_INPUT_AGGREGATION)] = s->ninputs;
    efc__sens_input *in = &s->inputs[s->ninputs++];
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->node = node;
    return in;
}

/* An input on the weight of a node (of non-zero weight, not yet added:
 * checked by the options), which must reach the node ranked. */
static efc_status add_weight(efc_sensitivity *s, size_t node, efc_error *err)
{
    const efc_model *m = s->model;
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node %zu does not exist", node);
    const char *id = m->nodes[node].id;
    const unsigned char *r = reach(s, s->node, err);
    if (!r)
        return EFC_ERR_NOMEM;
    if (node == s->node || !(r[node] & REACH_UNDER))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "node '%s' is not below the node ranked ('%s'): its weight cannot "
                         "change the ranks",
                         id, m->nodes[s->node].id);
    if (!(m->nodes[node].weight > 0))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "node '%s' has weight 0: a share of 0 cannot be perturbed", id);
    if (!(r[node] & REACH_COUNTS))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "node '%s' is below a node of weight 0: its weight cannot change the "
                         "ranks",
                         id);
    if (find_input(s, EFC_INPUT_WEIGHT, node))
        return efc__fail(err, EFC_ERR_ARGUMENT, "the weight of node '%s' is already an input", id);
    return new_input(s, EFC_INPUT_WEIGHT, node, err) ? EFC_OK : EFC_ERR_NOMEM;
}

static efc_status add_group_weights(efc_sensitivity *s, efc_error *err)
{
    efc_status st;
    const efc_model *m = s->model;
    /* in node order, the codebook's: the ranked node's children (the
     * dimensions), then every group further down (blocks) */
    const unsigned char *r = reach(s, s->node, err);
    if (!r)
        return EFC_ERR_NOMEM;
    for (size_t k = 0; k < m->count; k++) {
        int child = m->nodes[k].parent == s->node;
        if (!(child ||
              (m->nodes[k].kind == EFC_NODE_GROUP && k != s->node && (r[k] & REACH_UNDER))) ||
            !(r[k] & REACH_COUNTS) || find_input(s, EFC_INPUT_WEIGHT, k))
            continue;
        if ((st = add_weight(s, k, err)))
            return st;
    }
    return EFC_OK;
}

/* An aggregation input of the options (a group, alternatives checked),
 * which must be the node ranked or below it, reaching it. */
static efc_status add_aggregation(efc_sensitivity *s, const efc__sens_input *given, efc_error *err)
{
    const efc_model *m = s->model;
    size_t group = given->node;
    const char *id = m->nodes[group].id;
    const unsigned char *r = reach(s, s->node, err);
    if (!r)
        return EFC_ERR_NOMEM;
    if (!(r[group] & REACH_UNDER))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "group '%s' is not the node ranked ('%s') nor below it", id,
                         m->nodes[s->node].id);
    if (!(r[group] & REACH_COUNTS))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "group '%s' is below a node of weight 0: its aggregation cannot change "
                         "the ranks",
                         id);
    efc__sens_input *in = new_input(s, EFC_INPUT_AGGREGATION, group, err);
    if (!in)
        return EFC_ERR_NOMEM;
    *in = *given;
    return EFC_OK;
}

/* The inputs of the options, in the order of the results: the weights
 * added, the group weights, the aggregations. */
static efc_status set_up(efc_sensitivity *s, const efc_sensitivity_options *o, efc_error *err)
{
    set_node(s, o->node);
    efc_status st = set_period(s, o->period, err);
    for (size_t i = 0; !st && i < o->nweights; i++)
        st = add_weight(s, o->weights[i], err);
    int group =
        o->group_weights == 1 || (o->group_weights < 0 && !o->nweights && !o->naggregations);
    if (!st && group)
        st = add_group_weights(s, err);
    for (size_t i = 0; !st && i < o->naggregations; i++)
        st = add_aggregation(s, &o->aggregations[i], err);
    return st;
}

/* ---- the run ---- */

/* The assessments ranked and the nominal ranks, as efc rank gives them. */
static efc_status nominal(efc_sensitivity *s, double *nominal_rank, efc_error *err)
{
    const efc_panel *p = s->panel;
    efc_ranking *r = NULL;
    efc_status st = efc__ranking_create(&r, p, s->node, s->period, -1, &s->alloc, err);
    if (st)
        return st;
    for (size_t a = 0; a < p->nactors; a++) {
        s->assessment[a] = efc_ranking_assessment(r, a);
        nominal_rank[a] = efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK);
        double *row = s->stats + a * EFC__SENS_METRICS;
        for (int m = 0; m < EFC__SENS_METRICS; m++)
            row[m] = NAN;
        row[EFC_SENSITIVITY_SCORE] = efc_ranking_value(r, a, EFC_NONE, EFC_RANK_SCORE);
        row[EFC_SENSITIVITY_NOMINAL_RANK] = nominal_rank[a];
        if (!isnan(nominal_rank[a]))
            s->ranked++;
        if (s->assessment[a] != EFC_NONE) {
            s->cand_of[a] = s->ncand;
            s->cand[s->ncand++] = a;
        } else {
            s->cand_of[a] = EFC_NONE;
        }
    }
    efc_ranking_free(r);
    if (!s->ranked)
        return efc__fail(err, EFC_ERR_VALUE, "no actor has a score on node '%s' at period %s",
                         s->model->nodes[s->node].id, s->period ? s->period : "latest");
    if (s->ncand > ((size_t)1 << 24))
        return efc__fail(err, EFC_ERR_VALUE,
                         "%zu actors to rank: at most 16777216 (2^24) can be ranked", s->ncand);
    return EFC_OK;
}

/* The Sobol indices of the runs' outputs. A run where no actor ranked
 * nominally kept a score (other weights left groups below their
 * min_coverage) has no output: the indices cannot be estimated. */
static efc_status sobol(efc_sensitivity *s, efc_error *err)
{
    for (size_t j = 0; j < s->nruns; j++)
        if (isnan(s->outputs[j]))
            return efc__fail(err, EFC_ERR_VALUE,
                             "run %zu left no actor ranked on node '%s' (its weights put "
                             "groups below their min_coverage): the rank shift, and so the "
                             "Sobol indices, are undefined; use a smaller spread or other "
                             "nodes",
                             j + 1, s->model->nodes[s->node].id);
    return efc_sobol_estimate(s->sobol_idx, s->ninputs * EFC_SOBOL_METRIC_COUNT, &s->variance,
                              s->outputs, s->samples, s->ninputs, s->bootstrap, s->seed, &s->alloc,
                              err);
}

/* What the statistics need besides the ranks, taken before the runs (a
 * long run never fails for memory at its end): the scratch of
 * efc__sens_stats, and the Sobol indices. 1 when allocated. */
static int stats_scratch(efc_sensitivity *s, uint32_t **col, uint32_t **count)
{
    const efc_allocator *a = &s->alloc;
    size_t block = s->ncand < EFC__SENS_BLOCK ? s->ncand : EFC__SENS_BLOCK;
    *col = efc__alloc_array(a, s->samples, (block ? block : 1) * sizeof **col);
    *count = efc__alloc_array(a, s->ncand + 1, sizeof **count);
    if (s->sobol && !s->sobol_idx)
        s->sobol_idx =
            efc__alloc_array(a, s->ninputs, EFC_SOBOL_METRIC_COUNT * sizeof *s->sobol_idx);
    if (*col && *count && (!s->sobol || s->sobol_idx))
        return 1;
    efc__free(a, *col);
    efc__free(a, *count);
    *col = *count = NULL;
    return 0;
}

/* The runs of a part as its bulk reads gave them (efc_sensitivity_part_create):
 * inputs and outputs as they are, ranks NaN or whole numbers from 1 to
 * the candidates, NaN for an actor without an assessment. */
static efc_status import_runs(efc_sensitivity *s, const double *const *given, efc_error *err)
{
    size_t d = s->ninputs, nact = s->panel->nactors;
    const double *in = given[0], *outp = given[1], *rk = given[2];
    if (!in || !outp || !rk)
        return efc__fail(err, EFC_ERR_ARGUMENT, "run_inputs, run_outputs or run_ranks is NULL");
    memcpy(s->params, in, s->nruns * d * sizeof *s->params);
    memcpy(s->outputs, outp, s->nruns * sizeof *s->outputs);
    for (size_t j = 0; j < s->count; j++)
        for (size_t act = 0; act < nact; act++) {
            double x = rk[j * nact + act];
            size_t c = s->cand_of[act];
            if (isnan(x)) {
                if (c != EFC_NONE)
                    s->ranks[j * s->ncand + c] = 0;
                continue;
            }
            if (c == EFC_NONE || !(x >= 1 && x <= (double)s->ncand) || x != floor(x))
                return efc__fail(err, EFC_ERR_VALUE,
                                 "run_ranks[%zu][%zu] is not a rank the run could give", j, act);
            s->ranks[j * s->ncand + c] = (uint32_t)x;
        }
    return EFC_OK;
}

static efc_status run_steps(efc_sensitivity *s, double *nominal_rank, const double *const *given,
                            efc_error *err)
{
    size_t nact = s->panel->nactors, d = s->ninputs;
    if (!d)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "no input: add the weights or aggregations that vary");
    if (s->sobol && s->kind == EFC_PERTURBATION_DIRICHLET)
        return efc__fail(err, EFC_ERR_VALUE,
                         "Sobol indices assume independent inputs, and the weights of a "
                         "Dirichlet are not (they share a total): use the uniform "
                         "perturbation for Sobol indices");
    if (!s->count) {
        s->first = 0;
        s->count = s->samples;
    }
    if (s->first >= s->samples || s->count > s->samples - s->first)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "runs %zu to %zu are not among the %zu samples (runs 0 to %zu)", s->first,
                         s->first + s->count - 1, s->samples, s->samples - 1);
    s->partial = s->count != s->samples;
    s->nruns = s->count;
    if (s->sobol && (d + 2 > SIZE_MAX / s->samples || s->samples * (d + 2) > UINT32_MAX))
        return efc__fail(err, EFC_ERR_ARGUMENT, "too many runs: N (d + 2) is above 2^32");
    if (s->sobol)
        s->nruns = s->count * (d + 2);
    const efc_allocator *a = &s->alloc;
    s->assessment = efc__alloc_array(a, nact ? nact : 1, sizeof *s->assessment);
    s->cand = efc__alloc_array(a, nact ? nact : 1, sizeof *s->cand);
    s->cand_of = efc__alloc_array(a, nact ? nact : 1, sizeof *s->cand_of);
    s->stats = efc__alloc_array(a, nact ? nact * EFC__SENS_METRICS : 1, sizeof *s->stats);
    s->params = efc__alloc_array(a, s->nruns, d * sizeof *s->params);
    s->outputs = efc__alloc_array(a, s->nruns, sizeof *s->outputs);
    if (!s->assessment || !s->cand || !s->cand_of || !s->stats || !s->params || !s->outputs)
        return efc__nomem(err);
    efc_status st = nominal(s, nominal_rank, err);
    if (st)
        return st;
    /* everything the statistics need is taken before the runs: a long run
     * never fails for memory at its end */
    s->ranks = efc__alloc_array(a, s->count, s->ncand * sizeof *s->ranks);
    uint32_t *col = NULL, *count = NULL;
    int scratch = s->partial || stats_scratch(s, &col, &count);
    if (!s->ranks || !scratch) {
        efc__free(a, col);
        efc__free(a, count);
        return efc__fail(err, EFC_ERR_NOMEM,
                         "out of memory for the ranks of %zu actors in %zu runs", s->ncand,
                         s->samples);
    }
    if (given)
        st = import_runs(s, given, err);
    else if (!(st = efc__sens_draw(s, err)))
        st = efc__sens_compute(s, nominal_rank, err);
    if (!st && !s->partial)
        efc__sens_stats(s, col, count);
    efc__free(a, col);
    efc__free(a, count);
    if (!st && s->sobol && !s->partial)
        st = sobol(s, err);
    return st;
}

static efc_status run_or_import(efc_sensitivity **out, const efc_panel *panel,
                                const efc_sensitivity_options *opts, const double *const *given,
                                const efc_allocator *alloc, efc_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !panel)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out or panel is NULL");
    if (!panel->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the panel must be finalized first");
    efc_sensitivity_options *defaults = NULL;
    efc_status st;
    if (!opts) {
        if ((st = efc_sensitivity_options_create(&defaults, panel->model, alloc, err)))
            return st;
        opts = defaults;
    } else if ((st = efc__options_model_check(panel, opts->model, err))) {
        return st;
    }
    efc_sensitivity *s = sensitivity_new(panel, opts, alloc, &st, err);
    if (s && !(st = set_up(s, opts, err))) {
        size_t nact = panel->nactors;
        double *nominal_rank = efc__alloc_array(&s->alloc, nact ? nact : 1, sizeof *nominal_rank);
        st = nominal_rank ? run_steps(s, nominal_rank, given, err) : efc__nomem(err);
        efc__free(&s->alloc, nominal_rank);
    }
    efc_sensitivity_options_free(defaults);
    if (st) {
        efc_sensitivity_free(s);
        return st;
    }
    s->done = 1;
    *out = s;
    return EFC_OK;
}

efc_status efc_sensitivity_run(efc_sensitivity **out, const efc_panel *panel,
                               const efc_sensitivity_options *opts, const efc_allocator *alloc,
                               efc_error *err)
{
    return run_or_import(out, panel, opts, NULL, alloc, err);
}

efc_status efc_sensitivity_part_create(efc_sensitivity **out, const efc_panel *panel,
                                       const efc_sensitivity_options *opts,
                                       const double *run_inputs, const double *run_outputs,
                                       const double *run_ranks, const efc_allocator *alloc,
                                       efc_error *err)
{
    const double *given[3] = {run_inputs, run_outputs, run_ranks};
    return run_or_import(out, panel, opts, given, alloc, err);
}

/* ---- reading ---- */

const efc_panel *efc_sensitivity_panel(const efc_sensitivity *s)
{
    return s ? s->panel : NULL;
}

size_t efc_sensitivity_node(const efc_sensitivity *s)
{
    return s ? s->node : EFC_NO_NODE;
}

size_t efc_sensitivity_input_count(const efc_sensitivity *s)
{
    return s ? s->ninputs : 0;
}

size_t efc_sensitivity_input_node(const efc_sensitivity *s, size_t input)
{
    return s && input < s->ninputs ? s->inputs[input].node : EFC_NO_NODE;
}

efc_input_kind efc_sensitivity_input_kind(const efc_sensitivity *s, size_t input)
{
    return s && input < s->ninputs ? s->inputs[input].kind : EFC_INPUT_WEIGHT;
}

size_t efc_sensitivity_input_alternative_count(const efc_sensitivity *s, size_t input)
{
    return s && input < s->ninputs ? s->inputs[input].nalt : 0;
}

efc_status efc_sensitivity_input_alternative(efc_aggregate *method, double *power,
                                             const efc_sensitivity *s, size_t input, size_t i,
                                             efc_error *err)
{
    if (!s || input >= s->ninputs || i >= s->inputs[input].nalt)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no such input or alternative");
    if (method)
        *method = s->inputs[input].alt[i];
    if (power)
        *power = s->inputs[input].alt[i] == EFC_AGGREGATE_POWER ? s->inputs[input].power[i] : NAN;
    return EFC_OK;
}

size_t efc_sensitivity_assessment(const efc_sensitivity *s, size_t actor)
{
    return s && s->done && actor < s->panel->nactors ? s->assessment[actor] : EFC_NONE;
}

size_t efc_sensitivity_ranked_count(const efc_sensitivity *s)
{
    return s && s->done ? s->ranked : 0;
}

double efc_sensitivity_value(const efc_sensitivity *s, size_t actor, efc_sensitivity_metric metric)
{
    if (!s || !s->done || actor >= s->panel->nactors || (unsigned)metric >= EFC__SENS_METRICS)
        return NAN;
    return s->stats[actor * EFC__SENS_METRICS + metric];
}

/* The checks of every bulk read: the analysis, the metric (below nm), its
 * state, then the n1 x n2 table at strides s1, s2 in out. */
static efc_status readable(const efc_sensitivity *s, unsigned metric, unsigned nm,
                           const double *out, size_t capacity, size_t n1, ptrdiff_t s1, size_t n2,
                           ptrdiff_t s2, efc_error *err)
{
    if (!s)
        return efc__fail(err, EFC_ERR_ARGUMENT, "analysis is NULL");
    if (metric >= nm)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown metric %u", metric);
    if (!s->done)
        return efc__fail(err, EFC_ERR_STATE, "the analysis has not been run");
    return efc__fill_check(out, capacity, n1, s1, n2, s2, "sensitivity", err);
}

efc_status efc_sensitivity_fill(double *out, size_t capacity, ptrdiff_t stride,
                                const efc_sensitivity *s, efc_sensitivity_metric metric,
                                efc_error *err)
{
    efc_status st = readable(s, (unsigned)metric, EFC__SENS_METRICS, out, capacity,
                             s ? s->panel->nactors : 0, stride, 1, 0, err);
    for (size_t a = 0; !st && a < s->panel->nactors; a++)
        out[(ptrdiff_t)a * stride] = s->stats[a * EFC__SENS_METRICS + metric];
    return st;
}

size_t efc_sensitivity_run_count(const efc_sensitivity *s)
{
    return s && s->done ? s->nruns : 0;
}

double efc_sensitivity_run_input(const efc_sensitivity *s, size_t run, size_t input)
{
    if (!s || !s->done || run >= s->nruns || input >= s->ninputs)
        return NAN;
    return s->params[run * s->ninputs + input];
}

double efc_sensitivity_run_output(const efc_sensitivity *s, size_t run)
{
    return s && s->done && run < s->nruns ? s->outputs[run] : NAN;
}

double efc_sensitivity_run_rank(const efc_sensitivity *s, size_t run, size_t actor)
{
    if (!s || !s->done || run >= s->count || actor >= s->panel->nactors ||
        s->cand_of[actor] == EFC_NONE)
        return NAN;
    uint32_t r = s->ranks[run * s->ncand + s->cand_of[actor]];
    return r ? (double)r : NAN;
}

efc_status efc_sensitivity_fill_run_inputs(double *out, size_t capacity, ptrdiff_t run_stride,
                                           ptrdiff_t input_stride, const efc_sensitivity *s,
                                           efc_error *err)
{
    efc_status st = readable(s, 0, 1, out, capacity, s ? s->nruns : 0, run_stride,
                             s ? s->ninputs : 0, input_stride, err);
    for (size_t j = 0; !st && j < s->nruns; j++)
        for (size_t i = 0; i < s->ninputs; i++)
            out[(ptrdiff_t)j * run_stride + (ptrdiff_t)i * input_stride] =
                s->params[j * s->ninputs + i];
    return st;
}

efc_status efc_sensitivity_fill_run_outputs(double *out, size_t capacity, ptrdiff_t stride,
                                            const efc_sensitivity *s, efc_error *err)
{
    efc_status st = readable(s, 0, 1, out, capacity, s ? s->nruns : 0, stride, 1, 0, err);
    for (size_t j = 0; !st && j < s->nruns; j++)
        out[(ptrdiff_t)j * stride] = s->outputs[j];
    return st;
}

efc_status efc_sensitivity_fill_run_ranks(double *out, size_t capacity, ptrdiff_t run_stride,
                                          ptrdiff_t actor_stride, const efc_sensitivity *s,
                                          efc_error *err)
{
    efc_status st = readable(s, 0, 1, out, capacity, s ? s->count : 0, run_stride,
                             s ? s->panel->nactors : 0, actor_stride, err);
    for (size_t j = 0; !st && j < s->count; j++)
        for (size_t a = 0; a < s->panel->nactors; a++) {
            size_t c = s->cand_of[a];
            uint32_t r = c == EFC_NONE ? 0 : s->ranks[j * s->ncand + c];
            out[(ptrdiff_t)j * run_stride + (ptrdiff_t)a * actor_stride] = r ? (double)r : NAN;
        }
    return st;
}

double efc_sensitivity_sobol_value(const efc_sensitivity *s, size_t input, efc_sobol_metric metric)
{
    if (!s || !s->done || !s->sobol_idx || input >= s->ninputs ||
        (unsigned)metric >= EFC_SOBOL_METRIC_COUNT)
        return NAN;
    return s->sobol_idx[input * EFC_SOBOL_METRIC_COUNT + metric];
}

efc_status efc_sensitivity_fill_sobol(double *out, size_t capacity, ptrdiff_t stride,
                                      const efc_sensitivity *s, efc_sobol_metric metric,
                                      efc_error *err)
{
    efc_status st = readable(s, (unsigned)metric, EFC_SOBOL_METRIC_COUNT, out, capacity,
                             s ? s->ninputs : 0, stride, 1, 0, err);
    for (size_t i = 0; !st && i < s->ninputs; i++)
        out[(ptrdiff_t)i * stride] =
            s->sobol_idx ? s->sobol_idx[i * EFC_SOBOL_METRIC_COUNT + metric] : NAN;
    return st;
}

double efc_sensitivity_variance(const efc_sensitivity *s)
{
    return s && s->done ? s->variance : NAN;
}

/* ---- parts ---- */

int efc_sensitivity_is_partial(const efc_sensitivity *s)
{
    return s && s->done && s->partial;
}

efc_status efc_sensitivity_run_range(size_t *first, size_t *count, const efc_sensitivity *s,
                                     efc_error *err)
{
    if (!s)
        return efc__fail(err, EFC_ERR_ARGUMENT, "analysis is NULL");
    if (!s->done)
        return efc__fail(err, EFC_ERR_STATE, "the analysis has not been run");
    if (first)
        *first = s->first;
    if (count)
        *count = s->count;
    return EFC_OK;
}

static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static int same_input(const efc__sens_input *a, const efc__sens_input *b)
{
    if (a->kind != b->kind || a->node != b->node || a->nalt != b->nalt)
        return 0;
    for (size_t k = 0; k < a->nalt; k++)
        if (a->alt[k] != b->alt[k] || !same_double(a->power[k], b->power[k]))
            return 0;
    return 1;
}

/* Part p ran what part q did, but for its runs: the same panel, set-up
 * and options (threads and progress aside, which change no result). */
static efc_status same_analysis(const efc_sensitivity *p, const efc_sensitivity *q, size_t i,
                                efc_error *err)
{
    const char *what = NULL;
    if (p->panel != q->panel)
        what = "panel";
    else if (p->node != q->node)
        what = "node ranked";
    else if ((p->period == NULL) != (q->period == NULL) ||
             (p->period && strcmp(p->period, q->period) != 0))
        what = "period";
    else if (p->seed != q->seed)
        what = "seed";
    else if (p->samples != q->samples)
        what = "samples";
    else if (p->kind != q->kind || !same_double(p->amount, q->amount))
        what = "perturbation";
    else if (p->top != q->top)
        what = "top";
    else if (p->sobol != q->sobol)
        what = "sobol";
    else if (p->bootstrap != q->bootstrap)
        what = "bootstrap";
    else if (p->ninputs != q->ninputs || p->ncand != q->ncand || p->ranked != q->ranked)
        what = "inputs";
    for (size_t k = 0; !what && k < p->ninputs; k++)
        if (!same_input(&p->inputs[k], &q->inputs[k]))
            what = "inputs";
    if (what)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "part %zu is not a part of the same analysis as part 0: another %s", i,
                         what);
    return EFC_OK;
}

/* The parts, by their first run (an insertion sort of their numbers), and
 * the check that they tile [0, samples). */
static efc_status tile(size_t *order, const efc_sensitivity *const *parts, size_t n, efc_error *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = i;
        for (; k > 0 && parts[order[k - 1]]->first > parts[i]->first; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    size_t next = 0, samples = parts[0]->samples;
    for (size_t i = 0; i < n; i++) {
        const efc_sensitivity *p = parts[order[i]];
        if (p->first > next)
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "no part has runs %zu to %zu: the parts must cover the %zu samples",
                             next, p->first - 1, samples);
        if (p->first < next)
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "part %zu (runs %zu to %zu) overlaps another part at run %zu",
                             order[i], p->first, p->first + p->count - 1, p->first);
        next = p->first + p->count;
    }
    if (next != samples)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "no part has runs %zu to %zu: the parts must cover the %zu samples", next,
                         samples - 1, samples);
    return EFC_OK;
}

/* The whole from its parts: their set-up, their runs in place, then the
 * statistics and Sobol indices, as efc_sensitivity_run() computes them. */
static efc_status merge_into(efc_sensitivity *s, const efc_sensitivity *const *parts, size_t n,
                             efc_error *err)
{
    const efc_sensitivity *p0 = parts[0];
    const efc_allocator *a = &s->alloc;
    size_t nact = s->panel->nactors, d = p0->ninputs, blocks = s->sobol ? d + 2 : 1;
    s->node = p0->node;
    s->ranked = p0->ranked;
    s->ncand = p0->ncand;
    s->first = 0;
    s->count = s->samples;
    s->nruns = s->samples * blocks;
    if (p0->period && !(s->period = efc__strdup(a, p0->period)))
        return efc__nomem(err);
    s->inputs = efc__alloc_array(a, d, sizeof *s->inputs);
    s->ninputs = s->inputs_cap = s->inputs ? d : 0;
    s->assessment = efc__alloc_array(a, nact ? nact : 1, sizeof *s->assessment);
    s->cand = efc__alloc_array(a, nact ? nact : 1, sizeof *s->cand);
    s->cand_of = efc__alloc_array(a, nact ? nact : 1, sizeof *s->cand_of);
    s->stats = efc__alloc_array(a, nact ? nact * EFC__SENS_METRICS : 1, sizeof *s->stats);
    s->params = efc__alloc_array(a, s->nruns, d * sizeof *s->params);
    s->outputs = efc__alloc_array(a, s->nruns, sizeof *s->outputs);
    s->ranks = efc__alloc_array(a, s->samples, (s->ncand ? s->ncand : 1) * sizeof *s->ranks);
    uint32_t *col = NULL, *count = NULL;
    if (!s->inputs || !s->assessment || !s->cand || !s->cand_of || !s->stats || !s->params ||
        !s->outputs || !s->ranks || !stats_scratch(s, &col, &count))
        return efc__nomem(err);
    memcpy(s->inputs, p0->inputs, d * sizeof *s->inputs);
    memcpy(s->assessment, p0->assessment, nact * sizeof *s->assessment);
    memcpy(s->cand, p0->cand, s->ncand * sizeof *s->cand);
    memcpy(s->cand_of, p0->cand_of, nact * sizeof *s->cand_of);
    /* the nominal scores and ranks; the other metrics NaN until computed */
    memcpy(s->stats, p0->stats, nact * EFC__SENS_METRICS * sizeof *s->stats);
    for (size_t i = 0; i < n; i++) {
        const efc_sensitivity *p = parts[i];
        for (size_t b = 0; b < blocks; b++) {
            memcpy(s->params + (b * s->samples + p->first) * d, p->params + b * p->count * d,
                   p->count * d * sizeof *s->params);
            memcpy(s->outputs + b * s->samples + p->first, p->outputs + b * p->count,
                   p->count * sizeof *s->outputs);
        }
        memcpy(s->ranks + p->first * s->ncand, p->ranks, p->count * s->ncand * sizeof *s->ranks);
    }
    efc__sens_stats(s, col, count);
    efc__free(a, col);
    efc__free(a, count);
    return s->sobol ? sobol(s, err) : EFC_OK;
}

efc_status efc_sensitivity_merge(efc_sensitivity **out, const efc_sensitivity *const *parts,
                                 size_t count, const efc_allocator *alloc, efc_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !parts || !count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out or parts is NULL, or no part");
    for (size_t i = 0; i < count; i++) {
        if (!parts[i])
            return efc__fail(err, EFC_ERR_ARGUMENT, "part %zu is NULL", i);
        if (!parts[i]->done)
            return efc__fail(err, EFC_ERR_STATE, "part %zu has not been run", i);
    }
    efc_status st;
    for (size_t i = 1; i < count; i++)
        if ((st = same_analysis(parts[0], parts[i], i, err)))
            return st;
    efc_allocator al;
    if (!efc__alloc_init(&al, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    size_t *order = efc__alloc_array(&al, count, sizeof *order);
    if (!order)
        return efc__nomem(err);
    st = tile(order, parts, count, err);
    efc__free(&al, order);
    if (st)
        return st;
    /* the options' values of part 0: those the parts share */
    const efc_sensitivity *p0 = parts[0];
    efc_sensitivity_options o;
    memset(&o, 0, sizeof o);
    o.kind = p0->kind;
    o.amount = p0->amount;
    o.samples = p0->samples;
    o.seed = p0->seed;
    o.top = p0->top;
    o.threads = 1;
    o.sobol = p0->sobol;
    o.bootstrap = p0->bootstrap;
    efc_sensitivity *s = sensitivity_new(p0->panel, &o, alloc, &st, err);
    if (!s)
        return st;
    if ((st = merge_into(s, parts, count, err))) {
        efc_sensitivity_free(s);
        return st;
    }
    s->done = 1;
    *out = s;
    return EFC_OK;
}
