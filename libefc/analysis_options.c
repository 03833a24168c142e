/* The options of the panel analyses (efc/trajectory.h): trajectories,
 * comparisons and rankings. One pattern for every operation
 * (docs/c-api.md, "Options"): created with their defaults, each value
 * checked when it is set, read by the operation's create. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "panel_internal.h"

/* ---- a period named by text: checked without a panel ---- */

const char *efc__period_text_check(const char *text)
{
    /* the panel reads canonical periods and the spellings of its survey
     * (a date format, a decimal comma): any of them may be meant here */
    static const efc_date_format formats[] = {EFC_DATE_FORMAT_ISO, EFC_DATE_FORMAT_DMY};
    static const char decimals[] = {'.', ','};
    const char *first = NULL;
    for (size_t f = 0; f < 2; f++)
        for (size_t d = 0; d < 2; d++) {
            efc__period per;
            const char *why = efc__parse_period(text, strlen(text), formats[f], decimals[d], &per);
            if (!why && per.kind == EFC_PERIOD_NONE)
                why = "is empty (NULL names each actor's latest assessment)";
            if (!why)
                return NULL;
            if (!first)
                first = why;
        }
    return first;
}

efc_status efc__period_option(char **slot, const efc_allocator *alloc, const char *period,
                              efc_error *err)
{
    char *copy = NULL;
    if (period) {
        const char *why = efc__period_text_check(period);
        if (why)
            return efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_BAD_PERIOD, "period '%s' %s", period,
                               why);
        if (!(copy = efc__strdup(alloc, period)))
            return efc__nomem(err);
    }
    efc__free(alloc, *slot);
    *slot = copy;
    return EFC_OK;
}

static efc_status model_ready(const efc_model *model, efc_error *err)
{
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!model->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized first");
    return EFC_OK;
}

/* Options created for a model, starting with the efc_allocator, the model
 * and the node (efc__model_options): checked, zeroed, the root as node. */
static efc_status model_options_new(void **out, size_t size, const efc_model *model,
                                    const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status st = model_ready(model, err);
    if (st)
        return st;
    efc__model_options *o =
        efc__object_new(alloc, size, offsetof(efc__model_options, alloc), &st, err);
    if (!o)
        return st;
    o->model = model;
    o->node = model->root;
    *out = o;
    return EFC_OK;
}

/* ---- trajectories ---- */

efc_status efc_trajectory_options_create(efc_trajectory_options **out, const efc_allocator *alloc,
                                         efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    efc_status st;
    *out = EFC__NEW(efc_trajectory_options, alloc, &st, err);
    if (!*out)
        return st;
    (*out)->tolerance = EFC__DEFAULT_TOLERANCE;
    return EFC_OK;
}

void efc_trajectory_options_free(efc_trajectory_options *opts)
{
    if (opts) {
        efc_allocator copy = opts->alloc;
        efc__free(&copy, opts);
    }
}

efc_status efc_trajectory_options_set_tolerance(efc_trajectory_options *opts, double tolerance,
                                                efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (!(tolerance >= 0 && tolerance < INFINITY)) {
        char b[EFC__NUMBER_BUF];
        efc__fmt_number(tolerance, b);
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "tolerance %s must be a number >= 0 (on the [0, 1] scale of scores)", b);
    }
    opts->tolerance = tolerance;
    return EFC_OK;
}

/* ---- comparisons ---- */

efc_status efc_comparison_options_create(efc_comparison_options **out, const efc_model *model,
                                         const efc_allocator *alloc, efc_error *err)
{
    return model_options_new((void **)out, sizeof **out, model, alloc, err);
}

void efc_comparison_options_free(efc_comparison_options *opts)
{
    if (opts) {
        efc_allocator copy = opts->base.alloc;
        efc__free(&copy, opts);
    }
}

efc_status efc_comparison_options_set_node(efc_comparison_options *opts, size_t node,
                                           efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    const efc_model *m = opts->base.model;
    if (node == EFC_NO_NODE)
        node = m->root;
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no node %zu in the model", node);
    if (m->nodes[node].kind != EFC_NODE_GROUP)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "dominance is judged over the children of a group: '%s' is an item",
                         m->nodes[node].id);
    opts->base.node = node;
    return EFC_OK;
}

/* ---- rankings ---- */

efc_status efc_ranking_options_create(efc_ranking_options **out, const efc_model *model,
                                      const efc_allocator *alloc, efc_error *err)
{
    efc_status st = model_options_new((void **)out, sizeof **out, model, alloc, err);
    if (!st)
        (*out)->decimals = -1;
    return st;
}

void efc_ranking_options_free(efc_ranking_options *opts)
{
    if (opts) {
        efc_allocator copy = opts->base.alloc;
        efc__free(&copy, opts->period);
        efc__free(&copy, opts);
    }
}

efc_status efc_ranking_options_set_node(efc_ranking_options *opts, size_t node, efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (node == EFC_NO_NODE)
        node = opts->base.model->root;
    if (node >= opts->base.model->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no node %zu in the model", node);
    opts->base.node = node;
    return EFC_OK;
}

efc_status efc_ranking_options_set_period(efc_ranking_options *opts, const char *period,
                                          efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    return efc__period_option(&opts->period, &opts->base.alloc, period, err);
}

efc_status efc_ranking_options_set_decimals(efc_ranking_options *opts, int decimals, efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (decimals < -1 || decimals > EFC__SCORE_DECIMALS)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "decimals %d must be -1 (none) or from 0 to %d (the decimals scores "
                         "are printed with)",
                         decimals, EFC__SCORE_DECIMALS);
    opts->decimals = decimals;
    return EFC_OK;
}
