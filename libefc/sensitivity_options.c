/* The options of a sensitivity analysis (efc/sensitivity.h). Each setter
 * checks its value against the model when it is set; how the values fit
 * together (inputs below the node ranked) is checked by the run, so that
 * the setters may come in any order (docs/c-api.md, "Options"). */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "panel_internal.h"
#include "sensitivity_internal.h"

efc_status efc_sensitivity_options_create(efc_sensitivity_options **out, const efc_model *model,
                                          const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!model->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized first");
    efc_status st;
    efc_sensitivity_options *o = EFC__NEW(efc_sensitivity_options, alloc, &st, err);
    if (!o)
        return st;
    o->model = model;
    o->node = model->root;
    o->group_weights = -1; /* unset: on unless an input is added */
    o->kind = EFC_PERTURBATION_UNIFORM;
    o->amount = 0.25;
    o->samples = 1000;
    o->seed = 1;
    o->top = 10;
    o->threads = 1;
    *out = o;
    return EFC_OK;
}

void efc_sensitivity_options_free(efc_sensitivity_options *o)
{
    if (!o)
        return;
    efc_allocator copy = o->alloc;
    efc__free(&copy, o->period);
    efc__free(&copy, o->weights);
    efc__free(&copy, o->aggregations);
    efc__free(&copy, o);
}

#define GIVEN(o)                                                                                   \
    do {                                                                                           \
        if (!(o))                                                                                  \
            return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");                            \
    } while (0)

efc_status efc_sensitivity_options_set_node(efc_sensitivity_options *o, size_t node, efc_error *err)
{
    GIVEN(o);
    const efc_model *m = o->model;
    if (node == EFC_NO_NODE)
        node = m->root;
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node %zu does not exist", node);
    if (m->nodes[node].kind != EFC_NODE_GROUP)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "node '%s' is a leaf: only a group's score can be re-aggregated",
                         m->nodes[node].id);
    o->node = node;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_period(efc_sensitivity_options *o, const char *period,
                                              efc_error *err)
{
    GIVEN(o);
    return efc__period_option(&o->period, &o->alloc, period, err);
}

efc_status efc_sensitivity_options_add_weight(efc_sensitivity_options *o, size_t node,
                                              efc_error *err)
{
    GIVEN(o);
    const efc_model *m = o->model;
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node %zu does not exist", node);
    const char *id = m->nodes[node].id;
    if (!(m->nodes[node].weight > 0))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "node '%s' has weight 0: a share of 0 cannot be perturbed", id);
    for (size_t i = 0; i < o->nweights; i++)
        if (o->weights[i] == node)
            return efc__fail(err, EFC_ERR_ARGUMENT, "the weight of node '%s' is already an input",
                             id);
    if (!efc__grow(&o->alloc, (void **)&o->weights, &o->weights_cap, o->nweights + 1,
                   sizeof *o->weights))
        return efc__nomem(err);
    o->weights[o->nweights++] = node;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_group_weights(efc_sensitivity_options *o, int on,
                                                     efc_error *err)
{
    GIVEN(o);
    o->group_weights = on != 0;
    return EFC_OK;
}

efc_status efc_sensitivity_options_add_aggregation(efc_sensitivity_options *o, size_t group,
                                                   size_t count, const efc_aggregate *methods,
                                                   const double *powers, efc_error *err)
{
    GIVEN(o);
    const efc_model *m = o->model;
    if (group >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node %zu does not exist", group);
    const char *id = m->nodes[group].id;
    if (m->nodes[group].kind != EFC_NODE_GROUP)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node '%s' is a leaf: it has no aggregation", id);
    for (size_t i = 0; i < o->naggregations; i++)
        if (o->aggregations[i].node == group)
            return efc__fail(err, EFC_ERR_ARGUMENT, "the aggregation of '%s' is already an input",
                             id);
    if (count < 2 || count > EFC__MAX_ALTERNATIVES || !methods)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "group '%s': give from 2 to %d alternative aggregations", id,
                         EFC__MAX_ALTERNATIVES);
    efc__sens_input in;
    memset(&in, 0, sizeof in);
    in.kind = EFC_INPUT_AGGREGATION;
    in.node = group;
    in.nalt = count;
    for (size_t i = 0; i < count; i++) {
        efc_aggregate a = methods[i];
        double p = 0;
        if (a == EFC_AGGREGATE_RATIO || a == EFC_AGGREGATE_PRODUCT || a == EFC_AGGREGATE_COPELAND)
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "group '%s': ratio, product and copeland are not alternatives of a "
                             "mean",
                             id);
        if ((unsigned)a > EFC_AGGREGATE_COPELAND)
            return efc__fail(err, EFC_ERR_ARGUMENT, "unknown aggregate %d", (int)a);
        if (a == EFC_AGGREGATE_POWER) {
            if (!powers || !isfinite(powers[i]))
                return efc__fail(err, EFC_ERR_ARGUMENT,
                                 "group '%s': the exponent of a power mean must be finite", id);
            p = powers[i];
            /* as the model does: these exponents are the named means */
            if (p == 1)
                a = EFC_AGGREGATE_MEAN;
            else if (p == 0)
                a = EFC_AGGREGATE_GEOMEAN;
            else if (p == -1)
                a = EFC_AGGREGATE_HARMONIC;
        }
        if (a != EFC_AGGREGATE_POWER)
            p = 0;
        for (size_t j = 0; j < i; j++)
            if (in.alt[j] == a && in.power[j] == p)
                return efc__fail(err, EFC_ERR_ARGUMENT,
                                 "group '%s': alternative %zu repeats alternative %zu", id, i + 1,
                                 j + 1);
        in.alt[i] = a;
        in.power[i] = p;
    }
    if (!efc__grow(&o->alloc, (void **)&o->aggregations, &o->aggregations_cap, o->naggregations + 1,
                   sizeof *o->aggregations))
        return efc__nomem(err);
    o->aggregations[o->naggregations++] = in;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_perturbation(efc_sensitivity_options *o,
                                                    efc_perturbation kind, double amount,
                                                    efc_error *err)
{
    GIVEN(o);
    if (kind == EFC_PERTURBATION_UNIFORM) {
        if (!(amount >= 0 && amount < 1))
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "the spread must be at least 0 and below 1 (a share of each "
                             "weight)");
    } else if (kind == EFC_PERTURBATION_DIRICHLET) {
        /* from 1e-6, a share's Gamma draw is finite in logs (random.h) */
        if (!(amount >= 1e-6 && amount < INFINITY))
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "the concentration of a Dirichlet must be a finite number of at "
                             "least 0.000001");
    } else {
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown perturbation %d", (int)kind);
    }
    o->kind = kind;
    o->amount = amount;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_samples(efc_sensitivity_options *o, size_t n, efc_error *err)
{
    GIVEN(o);
    if (n < 2 || n > UINT32_MAX)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the number of runs must be from 2 to %lu",
                         (unsigned long)UINT32_MAX);
    o->samples = n;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_seed(efc_sensitivity_options *o, uint64_t seed,
                                            efc_error *err)
{
    GIVEN(o);
    o->seed = seed;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_top(efc_sensitivity_options *o, size_t k, efc_error *err)
{
    GIVEN(o);
    if (k < 1)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the k of the top k must be at least 1");
    o->top = k;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_threads(efc_sensitivity_options *o, unsigned threads,
                                               efc_error *err)
{
    GIVEN(o);
    if (threads > 1024)
        return efc__fail(err, EFC_ERR_ARGUMENT, "at most 1024 threads, got %u", threads);
    o->threads = threads;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_sobol(efc_sensitivity_options *o, int on, efc_error *err)
{
    GIVEN(o);
    o->sobol = on != 0;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_bootstrap(efc_sensitivity_options *o, size_t resamples,
                                                 efc_error *err)
{
    GIVEN(o);
    if (resamples > 1000000)
        return efc__fail(err, EFC_ERR_ARGUMENT, "at most 1000000 bootstrap resamples");
    o->bootstrap = resamples;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_progress(efc_sensitivity_options *o, efc_progress_fn fn,
                                                void *user, efc_error *err)
{
    GIVEN(o);
    o->progress = fn;
    o->progress_user = user;
    return EFC_OK;
}

efc_status efc_sensitivity_options_set_runs(efc_sensitivity_options *o, size_t first, size_t count,
                                            efc_error *err)
{
    GIVEN(o);
    if (count == 0 && first == 0) {
        o->first = o->count = 0;
        return EFC_OK;
    }
    if (count == 0 || first >= UINT32_MAX || count > UINT32_MAX - first)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "runs %zu to %zu: give at least one run, below 2^32 (or 0, 0 for all)",
                         first, first + count);
    o->first = first;
    o->count = count;
    return EFC_OK;
}
