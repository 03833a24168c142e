/* The fitted model of a run (efc/index.h, efc_index_fitted_model): the
 * index's model with every parameter the data gave written into its
 * steps' texts, so that it is scored, exported and reloaded without the
 * data. The texts go through the steps' parser (steps.c), so a fitted
 * model holds exactly what a codebook with those texts loads into. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "efc/names.h"
#include "error_internal.h"
#include "index_internal.h"
#include "model_internal.h"
#include "steps.h"
#include "strbuf.h"

/* The fitted form of leaf steps s: the same steps with the parameters
 * the run found (f), for steps.c's canonical text. A view: it borrows
 * every pointer of s and f, and is never freed. */
static efc__steps fitted_steps(const efc__steps *s, const efc__leaf_fit *f)
{
    efc__steps t = *s;
    t.impute = (efc_impute)f->impute; /* NONE when nothing was observed */
    t.impute_value = f->impute_value;
    t.ngv = f->impute == EFC_IMPUTE_GROUP_VALUE ? f->ngroups : 0;
    t.gv_key = f->group_keys;
    t.gv_val = f->group_values;
    t.treat = (efc_treat)f->treat;
    t.t1 = f->t1;
    t.t2 = f->t2;
    t.lambda = f->treat == EFC_TREAT_BOXCOX ? f->t1 : NAN;
    t.fitted = 1;
    t.p1 = f->p1;
    t.p2 = f->p2;
    return t;
}

/* Set a step of node in m from its canonical text in t. */
static efc_status set(efc_model *m, size_t node, const efc__steps *t, efc_step step, efc__strbuf *b,
                      efc_error *err)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    efc__steps_format(t, step, b);
    if (b->failed)
        return efc__nomem(err);
    return efc__model_set_step(m, node, step, b->data ? b->data : "", 0, err);
}

efc_status efc_index_fitted_model(efc_model **out, const efc_index *ix, const efc_allocator *alloc,
                                  efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!ix)
        return efc__fail(err, EFC_ERR_ARGUMENT, "index is NULL");
    const efc_model *im = ix->model;
    /* what cannot be frozen, said before anything is built */
    for (size_t k = 0; k < im->count; k++) {
        const efc__node *n = &im->nodes[k];
        const efc__steps *s = n->steps;
        int relative =
            n->kind == EFC_NODE_LEAF && s &&
            (s->normalise == EFC_NORMALISE_RANK || s->normalise == EFC_NORMALISE_PERCENTILE);
        if (relative || (n->kind == EFC_NODE_GROUP && n->aggregate == EFC_AGGREGATE_COPELAND))
            return efc__fail_r(
                err, EFC_ERR_MODEL, EFC_REASON_NEEDS_INDEX,
                "%s '%s' is %s by %s, which compares each unit with the others scored with it: "
                "no parameter can freeze it, so the model cannot be fitted (normalise it by "
                "minmax, zscore or another method from the data)",
                relative ? "leaf" : "group", n->id, relative ? "normalised" : "aggregated",
                relative ? efc_enum_name(EFC_ENUM_NORMALISE, (int)s->normalise) : "copeland");
    }
    efc_model *m = NULL;
    efc_status st = efc_model_copy(&m, im, alloc, err);
    if (st)
        return st;
    efc__strbuf b;
    efc__strbuf_init(&b, &m->alloc);
    for (size_t j = 0; j < im->leaf_count && !st; j++) {
        size_t node = im->leaf_nodes[j];
        const efc__steps *s = im->nodes[node].steps;
        if (!s)
            continue;
        efc__steps t = fitted_steps(s, &ix->fit[j]);
        if (s->impute != EFC_IMPUTE_NONE)
            st = set(m, node, &t, EFC_STEP_IMPUTE, &b, err);
        if (!st && s->treat != EFC_TREAT_NONE)
            st = set(m, node, &t, EFC_STEP_TREAT, &b, err);
        if (!st && s->normalise != EFC_NORMALISE_GOALPOSTS)
            st = set(m, node, &t, EFC_STEP_NORMALISE, &b, err);
    }
    efc__strbuf_free(&b);
    if (!st)
        st = efc_model_finalize(m, err);
    if (st) {
        efc_model_free(m);
        return st;
    }
    *out = m;
    return EFC_OK;
}
