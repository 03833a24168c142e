/* The pipeline steps of a model's leaves (efc/index.h): setting and
 * reading them. The parsing is in steps.c; what the steps do, in
 * index_run.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "efc/names.h"
#include "error_internal.h"
#include "model_internal.h"
#include "row_steps.h"
#include "steps.h"

static efc_status check_leaf(const efc_model *m, size_t node, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (m->finalized)
        return efc__fail(err, EFC_ERR_STATE,
                         "the model is finalized: edit a copy made with efc_model_copy");
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node %zu out of range", node);
    if (m->nodes[node].kind != EFC_NODE_LEAF)
        return efc__fail(err, EFC_ERR_MODEL, "node '%s': pipeline steps are only for leaves",
                         m->nodes[node].id);
    return EFC_OK;
}

efc_status efc__model_set_step(efc_model *m, size_t node, efc_step step, const char *text,
                               char alt_sep, efc_error *err)
{
    efc_status st = check_leaf(m, node, err);
    if (st)
        return st;
    efc__node *n = &m->nodes[node];
    if ((st = efc__steps_set(&m->alloc, &n->steps, step, text, alt_sep, err)) &&
        st != EFC_ERR_NOMEM && st != EFC_ERR_ARGUMENT) {
        /* name the leaf: the parser knows only the text (and names the step) */
        char msg[600];
        snprintf(msg, sizeof msg, "%s", efc_error_message(err));
        const char *name = efc_enum_name(EFC_ENUM_STEP, (int)step);
        if (strncmp(msg, name, strlen(name)) == 0)
            efc__fail_r(err, st, efc_error_reason(err), "leaf '%s': %s", n->id, msg);
        else
            efc__fail_r(err, st, efc_error_reason(err), "leaf '%s', %s %s", n->id, name, msg);
    }
    return st;
}

efc_status efc_model_set_step(efc_model *m, size_t node, efc_step step, const char *text,
                              efc_error *err)
{
    return efc__model_set_step(m, node, step, text, 0, err);
}

static const efc__steps *steps_of(const efc_model *m, size_t node)
{
    return m && node < m->count ? m->nodes[node].steps : NULL;
}

const char *efc_model_node_step(const efc_model *m, size_t node, efc_step step)
{
    if (!m || node >= m->count || (unsigned)step > EFC_STEP_NORMALISE)
        return NULL;
    const efc__steps *s = steps_of(m, node);
    return s && s->text[step] ? s->text[step] : "";
}

int efc_model_node_step_method(const efc_model *m, size_t node, efc_step step)
{
    if (!m || node >= m->count || (unsigned)step > EFC_STEP_NORMALISE)
        return -1;
    const efc__steps *s = steps_of(m, node);
    if (!s)
        return step == EFC_STEP_NORMALISE ? (int)EFC_NORMALISE_GOALPOSTS : 0;
    switch (step) {
    case EFC_STEP_DENOMINATOR:
        return s->den != NULL;
    case EFC_STEP_IMPUTE:
        return (int)s->impute;
    case EFC_STEP_TREAT:
        return (int)s->treat;
    case EFC_STEP_NORMALISE:
        return (int)s->normalise;
    }
    return -1;
}

const char *efc_model_node_denominator(const efc_model *m, size_t node)
{
    const efc__steps *s = steps_of(m, node);
    return s ? s->den : NULL;
}

double efc_model_node_denominator_scale(const efc_model *m, size_t node)
{
    if (!m || node >= m->count)
        return NAN;
    const efc__steps *s = steps_of(m, node);
    return s ? s->den_scale : 1;
}

const char *efc_model_node_impute_column(const efc_model *m, size_t node)
{
    const efc__steps *s = steps_of(m, node);
    return s ? s->impute_col : NULL;
}

efc_status efc_model_set_target(efc_model *m, size_t node, double target, efc_error *err)
{
    efc_status st = check_leaf(m, node, err);
    if (st)
        return st;
    if (!isfinite(target) && !isnan(target))
        return efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                           "leaf '%s': the target must be finite (NaN: none)", m->nodes[node].id);
    return efc__steps_set_target(&m->alloc, &m->nodes[node].steps, target, err);
}

double efc_model_node_target(const efc_model *m, size_t node)
{
    const efc__steps *s = steps_of(m, node);
    return s ? s->target : NAN;
}

int efc_model_needs_index(const efc_model *m)
{
    if (!m)
        return 0;
    for (size_t i = 0; i < m->count; i++)
        if ((efc__steps_data_driven(m->nodes[i].steps) &&
             !efc__steps_row_local(m->nodes[i].steps)) ||
            (m->nodes[i].kind == EFC_NODE_GROUP && m->nodes[i].aggregate == EFC_AGGREGATE_COPELAND))
            return 1;
    return 0;
}

efc_status efc__refuse_index_model(const efc_model *m, efc_error *err)
{
    if (!m->needs_index)
        return efc__refuse_aux_model(m, err);
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_NEEDS_INDEX,
                       "the model has data-driven steps (denominator, impute, treat, a "
                       "normalise method from the data, or a copeland group): it scores a whole "
                       "table at once, with efc_index_run (efc index), not one row at a time");
}
