/* Row-local steps: the steps of a fitted model's leaves (efc/index.h),
 * every parameter written out, applied to one row at a time when a survey
 * or a data file is scored. The formulas are steps_apply.h's, shared with
 * the pipeline (index_run.c), so that a fitted model scores each unit with
 * the bits of the run it was fitted on; the tests check it unit by unit
 * (tests/unit/test_row_steps.c). */
#include "row_steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "index_stats.h"
#include "number.h"
#include "score_internal.h"
#include "steps.h"
#include "steps_apply.h"

int efc__steps_row_local(const efc__steps *s)
{
    if (!s)
        return 1;
    int impute = s->impute == EFC_IMPUTE_NONE || s->impute == EFC_IMPUTE_VALUE ||
                 s->impute == EFC_IMPUTE_GROUP_VALUE;
    int treat = s->treat == EFC_TREAT_NONE || s->treat == EFC_TREAT_LOG ||
                s->treat == EFC_TREAT_CLAMP || s->treat == EFC_TREAT_SHIFTLOG ||
                (s->treat == EFC_TREAT_BOXCOX && !isnan(s->lambda));
    int normalise = s->normalise == EFC_NORMALISE_GOALPOSTS || s->fitted;
    return impute && treat && normalise;
}

static size_t aux_of(efc_model *m, const char *name, int text, efc_error *err, efc_status *st)
{
    for (size_t a = 0; a < m->aux_count; a++)
        if (m->aux[a].text == text && strcmp(m->aux[a].name, name) == 0)
            return a;
    size_t cap = m->aux_count; /* grown one at a time: a model has few */
    efc__aux *grown = efc__realloc_array(&m->alloc, m->aux, cap + 1, sizeof *grown);
    if (!grown) {
        *st = efc__nomem(err);
        return EFC_NO_NODE;
    }
    m->aux = grown;
    efc__aux *x = &m->aux[m->aux_count];
    memset(x, 0, sizeof *x);
    x->name = name;
    x->text = text;
    efc__strmap_init(&x->codes);
    return m->aux_count++;
}

static int add_key(efc_model *m, efc__aux *x, const char *key)
{
    if (efc__strmap_get(&x->codes, key) != EFC_NO_NODE)
        return 1;
    const char **keys = efc__realloc_array(&m->alloc, (void *)x->keys, x->nkeys + 1, sizeof *keys);
    if (!keys)
        return 0;
    x->keys = keys;
    if (!efc__strmap_put(&x->codes, &m->alloc, key, x->nkeys))
        return 0;
    x->keys[x->nkeys++] = key;
    return 1;
}

efc_status efc__plan_row_steps(efc_model *m, efc_error *err)
{
    efc_status st = EFC_OK;
    m->row_steps = 0;
    for (size_t j = 0; j < m->leaf_count; j++) {
        efc__plan_leaf *pl = &m->plan_leaves[j];
        const efc__steps *s = m->nodes[pl->node].steps;
        pl->steps = NULL;
        pl->den_aux = pl->group_aux = EFC_NO_NODE;
        pl->gv_by_code = NULL;
        if (!efc__steps_data_driven(s) || !efc__steps_row_local(s))
            continue; /* none, or the model needs the whole table */
        pl->steps = s;
        m->row_steps = 1;
        /* the table of small answers is not for these leaves */
        for (unsigned k = 0; k < EFC__SMALL; k++)
            pl->small_clamped[k] = 2;
        if (s->den && (pl->den_aux = aux_of(m, s->den, 0, err, &st)) == EFC_NO_NODE)
            return st;
        if (s->impute == EFC_IMPUTE_GROUP_VALUE) {
            if ((pl->group_aux = aux_of(m, s->impute_col, 1, err, &st)) == EFC_NO_NODE)
                return st;
            for (size_t k = 0; k < s->ngv; k++)
                if (!add_key(m, &m->aux[pl->group_aux], s->gv_key[k]))
                    return efc__nomem(err);
        }
    }
    /* each leaf's values by the codes of its column, once every key is in */
    for (size_t j = 0; j < m->leaf_count; j++) {
        efc__plan_leaf *pl = &m->plan_leaves[j];
        if (pl->group_aux == EFC_NO_NODE)
            continue;
        const efc__aux *x = &m->aux[pl->group_aux];
        if (!(pl->gv_by_code =
                  efc__alloc_array(&m->alloc, x->nkeys ? x->nkeys : 1, sizeof *pl->gv_by_code)))
            return efc__nomem(err);
        for (size_t k = 0; k < x->nkeys; k++) {
            size_t i = efc__strmap_get(&pl->steps->gv_map, x->keys[k]);
            pl->gv_by_code[k] = i == EFC_NO_NODE ? NAN : pl->steps->gv_val[i];
        }
    }
    return EFC_OK;
}

void efc__free_row_steps(efc_model *m)
{
    for (size_t j = 0; m->plan_leaves && j < m->leaf_count; j++) {
        efc__free(&m->alloc, m->plan_leaves[j].gv_by_code);
        m->plan_leaves[j].gv_by_code = NULL;
    }
    for (size_t a = 0; a < m->aux_count; a++) {
        efc__strmap_free(&m->aux[a].codes, &m->alloc);
        efc__free(&m->alloc, (void *)m->aux[a].keys);
    }
    efc__free(&m->alloc, m->aux);
    m->aux = NULL;
    m->aux_count = 0;
    m->row_steps = 0;
}

double efc__aux_code(const efc__aux *a, const char *s, size_t n)
{
    /* the map's keys are NUL-terminated: s is compared with each key of its
     * length through the map's hash of a copy, kept short on the stack */
    char buf[512];
    if (n < sizeof buf) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        size_t k = efc__strmap_get(&a->codes, buf);
        return k == EFC_NO_NODE ? NAN : (double)k;
    }
    for (size_t k = 0; k < a->nkeys; k++) /* a long text: compared in full */
        if (strlen(a->keys[k]) == n && memcmp(a->keys[k], s, n) == 0)
            return (double)k;
    return NAN;
}

static efc_status fail(efc_status code, efc_reason why, efc_reason *reason, char *msg, size_t cap,
                       const char *text)
{
    *reason = why;
    snprintf(msg, cap, "%s", text);
    return code;
}

static efc_status below(double x, double floor, const char *what, efc_reason *reason, char *msg,
                        size_t cap)
{
    char a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF], text[300];
    efc__fmt_number(x, a);
    efc__fmt_number(floor, b);
    snprintf(text, sizeof text, "%s needs values above %s, got %s", what, b, a);
    return fail(EFC_ERR_VALUE, EFC_REASON_LOG_DOMAIN, reason, msg, cap, text);
}

efc_status efc__row_steps_leaf(const efc_model *m, size_t j, double x, const double *aux,
                               double *out, efc_reason *reason, char *msg, size_t cap)
{
    const efc__plan_leaf *pl = &m->plan_leaves[j];
    const efc__steps *s = pl->steps;
    char text[300];
    /* denominate: a missing denominator makes the cell missing */
    if (pl->den_aux != EFC_NO_NODE) {
        double d = aux[pl->den_aux];
        if (isnan(x) || isnan(d)) {
            x = NAN;
        } else if (d == 0) {
            snprintf(text, sizeof text, "the denominator '%s' is 0", s->den);
            return fail(EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE, reason, msg, cap, text);
        } else {
            x = efc__step_denominate(x, d, s->den_scale);
            if (!isfinite(x)) {
                snprintf(text, sizeof text, "dividing by the denominator '%s' overflows", s->den);
                return fail(EFC_ERR_VALUE, EFC_REASON_NOT_FINITE, reason, msg, cap, text);
            }
        }
    }
    if (isnan(x)) {
        if (s->impute == EFC_IMPUTE_VALUE) {
            x = s->impute_value;
        } else if (s->impute == EFC_IMPUTE_GROUP_VALUE) {
            double code = aux[pl->group_aux];
            if (!isnan(code))
                x = pl->gv_by_code[(size_t)code];
        }
    }
    if (!isnan(x)) {
        switch (s->treat) {
        case EFC_TREAT_LOG:
        case EFC_TREAT_BOXCOX:
            if (!(x > 0))
                return below(x, 0, s->treat == EFC_TREAT_LOG ? "the log treatment" : "Box-Cox",
                             reason, msg, cap);
            x = s->treat == EFC_TREAT_LOG ? log(x) : efc__ix_boxcox(x, s->lambda);
            break;
        case EFC_TREAT_CLAMP:
            x = efc__step_clamp(x, s->t1, s->t2);
            break;
        case EFC_TREAT_SHIFTLOG: {
            double arg = efc__step_shift(x, s->t1, s->t2);
            if (!(arg > 0))
                return below(x, s->t1 - s->t2, "the log of winsorising's fallback, as fitted,",
                             reason, msg, cap);
            x = log(arg);
            break;
        }
        default:
            break;
        }
        if (!isfinite(x))
            return fail(EFC_ERR_VALUE, EFC_REASON_NOT_FINITE, reason, msg, cap,
                        "the treated value is not finite");
    }
    if (isnan(x)) {
        *out = NAN;
        return EFC_OK;
    }
    if (s->normalise == EFC_NORMALISE_GOALPOSTS) {
        if (!(x > pl->domain))
            return below(x, 0, "the log transform of the goalposts", reason, msg, cap);
        *out = efc__leaf_goalposts(pl, x);
        return EFC_OK;
    }
    double dir = m->nodes[pl->node].direction == EFC_DIRECTION_NEGATIVE ? -1 : 1;
    efc__norm_params np = efc__steps_fitted_norm(s, dir);
    double v = efc__step_normalise(s->normalise, s->a, s->b, &np, dir * x);
    if (!isfinite(v))
        return fail(EFC_ERR_VALUE, EFC_REASON_NOT_FINITE, reason, msg, cap,
                    "the normalised value is not finite (the indicator's range overflows a "
                    "double)");
    *out = v;
    return EFC_OK;
}

efc_status efc__row_steps_groups(const efc_model *m, double *s, double *c, ptrdiff_t ns,
                                 size_t *bad_group, char *msg, size_t cap)
{
    for (size_t g = 0; g < m->group_count; g++) {
        const efc__plan_group *pg = &m->plan_groups[g];
        const size_t *child = m->child_node + pg->first;
        const double *weight = m->child_weight + pg->first;
        int positive_only = efc__aggregate_nonnegative(pg->aggregate);
        for (size_t k = 0; positive_only && k < pg->count; k++) {
            double x = s[(ptrdiff_t)child[k] * ns];
            if (x < 0) {
                char b[EFC__NUMBER_BUF];
                efc__fmt_number(x, b);
                snprintf(msg, cap,
                         "group '%s': %s needs values >= 0, and '%s' is %s (normalise it onto a "
                         "positive range, or use mean or min)",
                         m->nodes[pg->node].id,
                         efc_enum_name(EFC_ENUM_AGGREGATE, (int)pg->aggregate),
                         m->nodes[child[k]].id, b);
                *bad_group = g;
                return EFC_ERR_VALUE;
            }
        }
        double coverage;
        s[(ptrdiff_t)pg->node * ns] =
            efc__combine_raw(pg->aggregate, pg->power, pg->min_coverage, pg->total_weight,
                             pg->count, child, weight, s, NULL, ns, &coverage);
        if (c)
            c[(ptrdiff_t)pg->node * ns] = coverage;
    }
    return EFC_OK;
}

efc_status efc__refuse_aux_model(const efc_model *m, efc_error *err)
{
    if (!m->aux_count)
        return EFC_OK;
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_NEEDS_INDEX,
                       "the model's leaves read the column '%s' besides their own (a "
                       "denominator or the groups of group_value): score it from a survey or "
                       "data file (efc score), or a table (efc_index_run), which hold it",
                       m->aux[0].name);
}
