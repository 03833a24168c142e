/* efc_quality: gathering the answers of a survey, row by row, into the
 * moments and counts that the reliability of scales and the analysis of
 * items are computed from (quality_stats.c). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "fill.h"
#include "keys_internal.h"
#include "model_internal.h"
#include "quality_internal.h"
#include "row_steps.h"
#include "score_internal.h"
#include "survey_internal.h"

static efc_status make_scales(efc_quality *q, const efc_keys *keys, efc_error *err)
{
    const efc_model *m = q->model;
    /* the model's scales (efc_model_scale_node), in its order, or the keys' */
    size_t nscales = keys ? keys->nscales : efc_model_scale_count(m), nitems = 0;
    for (size_t s = 0; s < nscales; s++)
        nitems += keys ? keys->scales[s].count
                       : efc_model_node_child_count(m, efc_model_scale_node(m, s));
    q->keyed = keys != NULL;
    q->scales = efc__alloc_array(&q->alloc, nscales ? nscales : 1, sizeof *q->scales);
    q->scale_items = efc__alloc_array(&q->alloc, nitems ? nitems : 1, sizeof *q->scale_items);
    q->scale_signs = efc__alloc_array(&q->alloc, nitems ? nitems : 1, sizeof *q->scale_signs);
    q->row_values = efc__alloc_array(&q->alloc, q->leaves ? q->leaves : 1, sizeof(double));
    q->row_raw = efc__alloc_array(&q->alloc, q->leaves ? q->leaves : 1, sizeof(double));
    q->scale_row = efc__alloc_array(&q->alloc, q->leaves ? q->leaves : 1, sizeof(double));
    q->scratch = efc__alloc_array(&q->alloc, q->nodes ? q->nodes : 1, sizeof *q->scratch);
    if (!q->scales || !q->scale_items || !q->scale_signs || !q->row_values || !q->row_raw ||
        !q->scale_row || !q->scratch)
        return efc__nomem(err);
    memset(q->scales, 0, (nscales ? nscales : 1) * sizeof *q->scales);
    if (keys && q->leaves) {
        q->all_pairs = efc__alloc_array(&q->alloc, q->leaves * q->leaves, sizeof *q->all_pairs);
        if (!q->all_pairs || q->leaves > SIZE_MAX / q->leaves)
            return efc__nomem(err);
        memset(q->all_pairs, 0, q->leaves * q->leaves * sizeof *q->all_pairs);
    }
    for (size_t first = 0; q->nscales < nscales;) {
        efc__scale *s = &q->scales[q->nscales];
        size_t k = keys ? EFC_NONE : efc_model_scale_node(m, q->nscales);
        s->node = k;
        s->first = first;
        if (keys) {
            const efc__key_scale *ks = &keys->scales[q->nscales];
            s->count = ks->count;
            if (!(s->name = efc__strdup(&q->alloc, ks->name)))
                return efc__nomem(err);
        } else
            s->count = efc_model_node_child_count(m, k);
        first += s->count;
        q->nscales++;
        for (size_t i = 0; i < s->count; i++) {
            size_t leaf = keys ? keys->leaves[keys->scales[q->nscales - 1].first + i]
                               : efc_model_node_leaf(m, efc_model_node_child(m, k, i));
            q->scale_items[s->first + i] = leaf;
            q->scale_signs[s->first + i] =
                keys ? keys->signs[keys->scales[q->nscales - 1].first + i] : 1;
            if (q->leaf_scale[leaf] == EFC_NONE)
                q->leaf_scale[leaf] = q->nscales - 1;
        }
        s->pairs = efc__alloc_array(&q->alloc, s->count * s->count, sizeof *s->pairs);
        s->totals = efc__alloc_array(&q->alloc, s->count, sizeof *s->totals);
        s->item_stats =
            efc__alloc_array(&q->alloc, s->count * NSCALE_ITEM_STATS, sizeof *s->item_stats);
        if (!s->pairs || !s->totals || !s->item_stats)
            return efc__nomem(err);
        memset(s->pairs, 0, s->count * s->count * sizeof *s->pairs);
        memset(s->totals, 0, s->count * sizeof *s->totals);
    }
    return EFC_OK;
}

struct efc_quality_options {
    efc_allocator alloc;
    size_t min_count;
    double min_share;
    int no_dist;
    const efc_keys *keys;
};

efc_status efc_quality_options_create(efc_quality_options **out, const efc_allocator *alloc,
                                      efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    efc_status st;
    if (!(*out = EFC__NEW(efc_quality_options, alloc, &st, err)))
        return st;
    (*out)->min_share = 0.5;
    return EFC_OK;
}

void efc_quality_options_free(efc_quality_options *o)
{
    if (o) {
        efc_allocator copy = o->alloc;
        efc__free(&copy, o);
    }
}

efc_status efc_quality_options_set_min_answers(efc_quality_options *o, size_t count, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    o->min_count = count;
    return EFC_OK;
}

efc_status efc_quality_options_set_min_share(efc_quality_options *o, double share, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (!(share >= 0 && share <= 1))
        return efc__fail(err, EFC_ERR_ARGUMENT, "the share of answers must be in [0, 1]");
    o->min_share = share;
    return EFC_OK;
}

efc_status efc_quality_options_set_distributions(efc_quality_options *o, int on, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    o->no_dist = !on;
    return EFC_OK;
}

efc_status efc_quality_options_set_keys(efc_quality_options *o, const efc_keys *keys,
                                        efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    o->keys = keys;
    return EFC_OK;
}

efc_status efc_quality_create(efc_quality **out, const efc_model *model,
                              const efc_quality_options *opts, const efc_allocator *alloc,
                              efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!efc_model_is_finalized(model))
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized");
    const efc_keys *keys = opts ? opts->keys : NULL;
    if (keys && keys->model != model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the keys are for another model");
    /* a model with steps from the data is scored by efc_index_run only; a
     * fitted model's rows come in batches (efc_quality_add refuses one
     * whose leaves read other columns) */
    efc_status st = model->needs_index ? efc__refuse_index_model(model, err) : EFC_OK;
    if (st)
        return st;
    efc_quality *q = EFC__NEW(efc_quality, alloc, &st, err);
    if (!q)
        return st;
    q->model = model;
    q->leaves = efc_model_leaf_count(model);
    q->nodes = efc_model_node_count(model);
    q->min_count = opts ? opts->min_count : 0;
    q->min_share = opts ? opts->min_share : 0.5;
    q->no_dist = opts ? opts->no_dist : 0;
    q->items = efc__alloc_array(&q->alloc, q->leaves ? q->leaves : 1, sizeof *q->items);
    if (q->items) /* zeroed at once: efc_quality_free reads them */
        memset(q->items, 0, (q->leaves ? q->leaves : 1) * sizeof *q->items);
    q->leaf_scale = efc__alloc_array(&q->alloc, q->leaves ? q->leaves : 1, sizeof *q->leaf_scale);
    if (!q->items || !q->leaf_scale) {
        efc_quality_free(q);
        return efc__nomem(err);
    }
    for (size_t j = 0; j < q->leaves; j++) {
        q->leaf_scale[j] = EFC_NONE;
        q->items[j].lo = INFINITY;
        q->items[j].hi = -INFINITY;
    }
    if ((st = make_scales(q, keys, err))) {
        efc_quality_free(q);
        return st;
    }
    *out = q;
    return EFC_OK;
}

void efc_quality_free(efc_quality *q)
{
    if (!q)
        return;
    const efc_allocator *a = &q->alloc;
    for (size_t s = 0; q->scales && s < q->nscales; s++) {
        efc__free(a, q->scales[s].pairs);
        efc__free(a, q->scales[s].totals);
        efc__free(a, q->scales[s].item_stats);
        efc__free(a, q->scales[s].name);
    }
    for (size_t j = 0; q->items && j < q->leaves; j++) {
        efc__value_counts_free(&q->items[j].dist, a);
        efc__free(a, q->items[j].level_answers);
    }
    efc__free(a, q->scales);
    efc__free(a, q->scale_items);
    efc__free(a, q->scale_signs);
    efc__free(a, q->row_raw);
    efc__free(a, q->scale_row);
    efc__free(a, q->all_pairs);
    efc__free(a, q->leaf_scale);
    efc__free(a, q->items);
    efc__free(a, q->scratch);
    efc__free(a, q->row_values);
    efc__free(a, q);
}

static void comoment_add(efc__comoment *c, double x, double y)
{
    c->n += 1;
    double dx = x - c->mx;
    c->mx += dx / c->n;
    c->my += (y - c->my) / c->n;
    c->cxy += dx * (y - c->my);
}

static void total_add(efc__total_moment *c, double x, double t)
{
    c->n += 1;
    double dx = x - c->mx, dt = t - c->mt;
    c->mx += dx / c->n;
    c->mt += dt / c->n;
    c->cxx += dx * (x - c->mx);
    c->ctt += dt * (t - c->mt);
    c->cxt += dx * (t - c->mt);
}

/* The value of item i of a scale in the row being added: its normalised
 * value, or with keys its keyed answer. */
static double item_value(const efc_quality *q, const efc__scale *s, size_t i)
{
    size_t leaf = q->scale_items[s->first + i];
    if (!q->keyed)
        return q->row_values[leaf];
    double x = q->row_raw[leaf];
    return isnan(x) ? x : efc__keyed_value(q->model, leaf, q->scale_signs[s->first + i], x);
}

static void scale_add(efc_quality *q, efc__scale *s)
{
    double *rv = q->scale_row;
    size_t answered = 0;
    double sum = 0;
    for (size_t i = 0; i < s->count; i++) {
        rv[i] = item_value(q, s, i);
        if (!isnan(rv[i])) {
            answered++;
            sum += rv[i];
        }
    }
    if (!answered)
        return;
    s->n++;
    s->n_complete += answered == s->count;
    double total = sum / (double)answered;
    for (size_t i = 0; i < s->count; i++) {
        double x = rv[i];
        if (isnan(x))
            continue;
        for (size_t j = i; j < s->count; j++)
            if (!isnan(rv[j]))
                comoment_add(&s->pairs[i * s->count + j], x, rv[j]);
        total_add(&s->totals[i], x, total);
    }
}

/* Add a row: raw[j * rs] the answer to leaf j, norm[leaf_node(j)] its
 * normalised value. The values are valid (checked by scoring). */
static efc_status add_row(efc_quality *q, const double *raw, ptrdiff_t rs, const double *norm,
                          efc_error *err)
{
    const efc_model *m = q->model;
    for (size_t j = 0; j < q->leaves; j++) {
        double x = raw[(ptrdiff_t)j * rs];
        q->row_raw[j] = x;
        if (isnan(x)) {
            q->row_values[j] = NAN;
            continue;
        }
        efc__item *it = &q->items[j];
        const efc__plan_leaf *pl = &m->plan_leaves[j];
        if (!q->no_dist && !efc__value_counts_add(&it->dist, &q->alloc, x)) {
            q->broken = 1; /* the row is half added */
            return efc__nomem(err);
        }
        it->answers++;
        it->min = it->answers == 1 || x < it->min ? x : it->min;
        it->max = it->answers == 1 || x > it->max ? x : it->max;
        it->clamped += x < pl->min || x > pl->max;
        double d = x - it->mean;
        it->mean += d / (double)it->answers;
        it->m2 += d * (x - it->mean);
        double v = norm[pl->node];
        q->row_values[j] = v;
        it->lo = v < it->lo ? v : it->lo;
        it->hi = v > it->hi ? v : it->hi;
    }
    q->rows++;
    for (size_t i = 0; q->all_pairs && i < q->leaves; i++) {
        double x = q->row_raw[i];
        if (isnan(x))
            continue;
        for (size_t j = i; j < q->leaves; j++)
            if (!isnan(q->row_raw[j]))
                comoment_add(&q->all_pairs[i * q->leaves + j], x, q->row_raw[j]);
    }
    for (size_t s = 0; s < q->nscales; s++)
        scale_add(q, &q->scales[s]);
    return EFC_OK;
}

static efc_status check_open(const efc_quality *q, efc_error *err)
{
    if (!q)
        return efc__fail(err, EFC_ERR_ARGUMENT, "quality is NULL");
    if (q->finalized)
        return efc__fail(err, EFC_ERR_STATE,
                         "the figures are already computed: no row can be added");
    if (q->broken)
        return efc__fail(err, EFC_ERR_STATE, "an earlier failure left the figures incomplete");
    return EFC_OK;
}

efc_status efc_quality_add(efc_quality *q, const double *values, ptrdiff_t leaf_stride,
                           efc_error *err)
{
    efc_status st = check_open(q, err);
    if (st)
        return st;
    if (!values && q->leaves)
        return efc__fail(err, EFC_ERR_ARGUMENT, "values is NULL");
    if ((st = efc__refuse_aux_model(q->model, err)))
        return st;
    size_t clamped = 0;
    /* scoring checks the values and normalises them, as for a scored row */
    if ((st = efc__score_row(q->model, values, leaf_stride, q->scratch, NULL, 1, NULL, &clamped,
                             q->rows, err)))
        return st;
    return add_row(q, values, leaf_stride, q->scratch, err);
}

efc_status efc_quality_add_batch(efc_quality *q, const efc_batch *b, efc_error *err)
{
    efc_status st = check_open(q, err);
    if (st)
        return st;
    if (!b)
        return efc__fail(err, EFC_ERR_ARGUMENT, "batch is NULL");
    if (b->survey->model != q->model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the batch was scored with another model");
    const double *values = efc_batch_values(b), *scores = efc_batch_scores(b);
    for (size_t r = 0; r < efc_batch_rows(b); r++)
        if ((st = add_row(q, values + r * q->leaves, 1, scores + r * q->nodes, err)))
            return st;
    return EFC_OK;
}

efc_status efc_quality_finalize(efc_quality *q, efc_error *err)
{
    efc_status st = check_open(q, err);
    if (st)
        return st;
    if ((st = efc__quality_compute(q, err)))
        return st;
    q->finalized = 1;
    return EFC_OK;
}

int efc_quality_is_finalized(const efc_quality *q)
{
    return q && q->finalized;
}

const efc_model *efc_quality_model(const efc_quality *q)
{
    return q ? q->model : NULL;
}

size_t efc_quality_rows(const efc_quality *q)
{
    return q ? q->rows : 0;
}

/* ---- reading the figures ---- */

static const efc__scale *scale_at(const efc_quality *q, size_t s)
{
    return q && q->finalized && s < q->nscales ? &q->scales[s] : NULL;
}

size_t efc_quality_scale_count(const efc_quality *q)
{
    return q && q->finalized ? q->nscales : 0;
}

size_t efc_quality_scale_node(const efc_quality *q, size_t s)
{
    const efc__scale *sc = scale_at(q, s);
    return sc ? sc->node : EFC_NONE;
}

const char *efc_quality_scale_name(const efc_quality *q, size_t s)
{
    const efc__scale *sc = scale_at(q, s);
    return !sc ? NULL : sc->name ? sc->name : efc_model_node_id(q->model, sc->node);
}

size_t efc_quality_scale_item_count(const efc_quality *q, size_t s)
{
    const efc__scale *sc = scale_at(q, s);
    return sc ? sc->count : 0;
}

size_t efc_quality_scale_item(const efc_quality *q, size_t s, size_t i)
{
    const efc__scale *sc = scale_at(q, s);
    return sc && i < sc->count ? q->scale_items[sc->first + i] : EFC_NONE;
}

double efc_quality_scale_value(const efc_quality *q, size_t s, efc_scale_metric stat)
{
    const efc__scale *sc = scale_at(q, s);
    if (!sc || (unsigned)stat >= NSCALE_STATS)
        return NAN;
    return sc->stats[stat];
}

double efc_quality_scale_item_value(const efc_quality *q, size_t s, size_t i,
                                    efc_scale_item_metric stat)
{
    const efc__scale *sc = scale_at(q, s);
    if (!sc || i >= sc->count || (unsigned)stat >= NSCALE_ITEM_STATS)
        return NAN;
    return sc->item_stats[i * NSCALE_ITEM_STATS + stat];
}

size_t efc_quality_leaf_scale(const efc_quality *q, size_t leaf)
{
    return q && q->finalized && leaf < q->leaves ? q->leaf_scale[leaf] : EFC_NONE;
}

double efc_quality_item_value(const efc_quality *q, size_t leaf, efc_item_metric stat)
{
    if (!q || !q->finalized || leaf >= q->leaves || (unsigned)stat >= NITEM_STATS)
        return NAN;
    return q->items[leaf].stats[stat];
}

unsigned efc_quality_item_flags(const efc_quality *q, size_t leaf)
{
    return q && q->finalized && leaf < q->leaves ? q->items[leaf].flags : 0;
}

/* The checks of every bulk read: the object, the figure (below nf), its
 * state. */
static efc_status fill_ready(const efc_quality *q, unsigned stat, unsigned nf, efc_error *err)
{
    if (!q)
        return efc__fail(err, EFC_ERR_ARGUMENT, "quality is NULL");
    if (stat >= nf)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown figure %u", stat);
    if (!q->finalized)
        return efc__fail(err, EFC_ERR_STATE, "quality not finalized");
    return EFC_OK;
}

efc_status efc_quality_fill_scales(double *out, size_t capacity, ptrdiff_t stride,
                                   const efc_quality *q, efc_scale_metric stat, efc_error *err)
{
    efc_status st = fill_ready(q, (unsigned)stat, NSCALE_STATS, err);
    if (!st)
        st = efc__fill_check(out, capacity, q->nscales, stride, 1, 0, "scales", err);
    for (size_t s = 0; !st && s < q->nscales; s++)
        out[(ptrdiff_t)s * stride] = q->scales[s].stats[stat];
    return st;
}

efc_status efc_quality_fill_scale_items(double *out, size_t capacity, ptrdiff_t stride,
                                        const efc_quality *q, size_t scale,
                                        efc_scale_item_metric stat, efc_error *err)
{
    efc_status st = fill_ready(q, (unsigned)stat, NSCALE_ITEM_STATS, err);
    if (!st && scale >= q->nscales)
        st = efc__fail(err, EFC_ERR_ARGUMENT, "no scale %zu", scale);
    if (st)
        return st;
    const efc__scale *sc = &q->scales[scale];
    st = efc__fill_check(out, capacity, sc->count, stride, 1, 0, "scale items", err);
    for (size_t i = 0; !st && i < sc->count; i++)
        out[(ptrdiff_t)i * stride] = sc->item_stats[i * NSCALE_ITEM_STATS + stat];
    return st;
}

efc_status efc_quality_fill_items(double *out, size_t capacity, ptrdiff_t stride,
                                  const efc_quality *q, efc_item_metric stat, efc_error *err)
{
    efc_status st = fill_ready(q, (unsigned)stat, NITEM_STATS, err);
    if (!st)
        st = efc__fill_check(out, capacity, q->leaves, stride, 1, 0, "items", err);
    for (size_t j = 0; !st && j < q->leaves; j++)
        out[(ptrdiff_t)j * stride] = q->items[j].stats[stat];
    return st;
}

efc_status efc_quality_fill_item_flags(unsigned *flags, size_t capacity, ptrdiff_t stride,
                                       const efc_quality *q, efc_error *err)
{
    efc_status st = fill_ready(q, 0, 1, err);
    if (!st)
        st = efc__fill_check(flags, capacity, q->leaves, stride, 1, 0, "item flags", err);
    for (size_t j = 0; !st && j < q->leaves; j++)
        flags[(ptrdiff_t)j * stride] = q->items[j].flags;
    return st;
}

size_t efc_quality_item_level_answers(const efc_quality *q, size_t leaf, size_t i)
{
    if (!q || !q->finalized || leaf >= q->leaves || !q->items[leaf].level_answers)
        return 0;
    if (i >= efc_model_node_level_count(q->model, efc_model_leaf_node(q->model, leaf)))
        return 0;
    return q->items[leaf].level_answers[i];
}

efc_status efc_quality_fill_level_answers(size_t *out, size_t capacity, ptrdiff_t stride,
                                          const efc_quality *q, size_t leaf, efc_error *err)
{
    efc_status st = fill_ready(q, 0, 1, err);
    if (!st && leaf >= q->leaves)
        st = efc__fail(err, EFC_ERR_ARGUMENT, "no leaf %zu", leaf);
    if (st)
        return st;
    const size_t *counts = q->items[leaf].level_answers;
    size_t n = efc_model_node_level_count(q->model, efc_model_leaf_node(q->model, leaf));
    st = efc__fill_check(out, capacity, n, stride, 1, 0, "level answers", err);
    for (size_t i = 0; !st && i < n; i++)
        out[(ptrdiff_t)i * stride] = counts ? counts[i] : 0;
    return st;
}
