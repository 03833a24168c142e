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
#include "number.h"
#include "steps.h"
#include "strbuf.h"

static void put_num(efc__strbuf *b, double x)
{
    char n[EFC__NUMBER_BUF];
    efc__fmt_number(x, n);
    efc__strbuf_putc(b, ':');
    efc__strbuf_puts(b, n);
}

static void impute_text(efc__strbuf *b, const efc__steps *s, const efc__leaf_fit *f)
{
    switch (f->impute) {
    case EFC_IMPUTE_VALUE:
        efc__strbuf_puts(b, "value");
        put_num(b, f->impute_value);
        return;
    case EFC_IMPUTE_GROUP_VALUE:
        efc__strbuf_puts(b, "group_value:");
        efc__strbuf_puts(b, s->impute_col);
        efc__strbuf_putc(b, ':');
        for (size_t g = 0; g < f->ngroups; g++) {
            char n[EFC__NUMBER_BUF];
            efc__fmt_number(f->group_values[g], n);
            if (g)
                efc__strbuf_putc(b, '|');
            efc__steps_put_key(b, f->group_keys[g]);
            efc__strbuf_putc(b, '=');
            efc__strbuf_puts(b, n);
        }
        return;
    case EFC_IMPUTE_LATEST:
    case EFC_IMPUTE_LINEAR:
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_IMPUTE, f->impute));
        return;
    default:
        return; /* nothing to impute with: none */
    }
}

static void treat_text(efc__strbuf *b, const efc__leaf_fit *f)
{
    if (f->treat == EFC_TREAT_NONE)
        return;
    efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_TREAT, f->treat));
    if (f->treat == EFC_TREAT_CLAMP || f->treat == EFC_TREAT_SHIFTLOG) {
        put_num(b, f->t1);
        put_num(b, f->t2);
    } else if (f->treat == EFC_TREAT_BOXCOX) {
        put_num(b, f->t1);
    }
}

static void normalise_text(efc__strbuf *b, const efc__steps *s, const efc__leaf_fit *f)
{
    efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_NORMALISE, (int)s->normalise));
    if (s->normalise == EFC_NORMALISE_MINMAX || s->normalise == EFC_NORMALISE_ZSCORE) {
        put_num(b, s->a);
        put_num(b, s->b);
    } else if (s->normalise == EFC_NORMALISE_DIST2REF) {
        efc__strbuf_putc(b, ':');
        efc__strbuf_puts(b, s->ref);
    }
    put_num(b, f->p1);
    if (s->normalise != EFC_NORMALISE_DIST2TARGET)
        put_num(b, f->p2);
}

static efc_status set(efc_model *m, size_t node, efc_step step, efc__strbuf *b, efc_error *err)
{
    if (b->failed)
        return efc__nomem(err);
    efc_status st = efc__model_set_step(m, node, step, b->data ? b->data : "", 0, err);
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    return st;
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
        const efc__leaf_fit *f = &ix->fit[j];
        if (!s)
            continue;
        if (s->impute != EFC_IMPUTE_NONE) {
            impute_text(&b, s, f);
            st = set(m, node, EFC_STEP_IMPUTE, &b, err);
        }
        if (!st && s->treat != EFC_TREAT_NONE) {
            treat_text(&b, f);
            st = set(m, node, EFC_STEP_TREAT, &b, err);
        }
        if (!st && s->normalise != EFC_NORMALISE_GOALPOSTS) {
            normalise_text(&b, s, f);
            st = set(m, node, EFC_STEP_NORMALISE, &b, err);
        }
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
