/* efc_keys: scales as lists of signed leaves, which may share items (R
 * psych's overlapping keys), and their scores as psych's scoreItems() gives
 * them with impute = "none". */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "keys_internal.h"
#include "model_internal.h"
#include "text.h"

efc_status efc_keys_create(efc_keys **out, const efc_model *model, const efc_allocator *alloc,
                           efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!efc_model_is_finalized(model))
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized");
    efc_status st;
    efc_keys *k = EFC__NEW(efc_keys, alloc, &st, err);
    if (!k)
        return st;
    k->model = model;
    *out = k;
    return EFC_OK;
}

void efc_keys_free(efc_keys *k)
{
    if (!k)
        return;
    for (size_t s = 0; s < k->nscales; s++)
        efc__free(&k->alloc, k->scales[s].name);
    efc__free(&k->alloc, k->scales);
    efc__free(&k->alloc, k->leaves);
    efc__free(&k->alloc, k->signs);
    efc_allocator copy = k->alloc;
    efc__free(&copy, k);
}

efc_status efc_keys_add_scale(efc_keys *k, const char *name, size_t count, const size_t *leaves,
                              const int *signs, efc_error *err)
{
    if (!k || !name || (count && !leaves))
        return efc__fail(err, EFC_ERR_ARGUMENT, "keys, name or leaves is NULL");
    const char *why = efc__text_problem(name, strlen(name), EFC__TEXT_ID);
    if (why)
        return efc__fail_r(err, EFC_ERR_ARGUMENT, *name ? EFC_REASON_BAD_TEXT : EFC_REASON_EMPTY_ID,
                           "scale name %s", why);
    if (efc_keys_find(k, name) != EFC_NONE)
        return efc__fail(err, EFC_ERR_ARGUMENT, "scale '%s' is keyed twice", name);
    if (!count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "scale '%s' has no item", name);
    size_t nleaves = efc_model_leaf_count(k->model);
    for (size_t i = 0; i < count; i++) {
        if (leaves[i] >= nleaves)
            return efc__fail(err, EFC_ERR_ARGUMENT, "scale '%s': no leaf %zu", name, leaves[i]);
        if (signs && signs[i] != 1 && signs[i] != -1)
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "scale '%s': sign %d of item '%s' is not +1 or -1", name, signs[i],
                             efc_model_node_id(k->model, efc_model_leaf_node(k->model, leaves[i])));
        if (signs && signs[i] == -1 &&
            isnan(efc_model_node_min(k->model, efc_model_leaf_node(k->model, leaves[i]))))
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "scale '%s': item '%s' has no goalposts (it is normalised from the "
                             "data), so it cannot be reverse-keyed (max + min - x)",
                             name,
                             efc_model_node_id(k->model, efc_model_leaf_node(k->model, leaves[i])));
        for (size_t j = 0; j < i; j++)
            if (leaves[j] == leaves[i])
                return efc__fail(
                    err, EFC_ERR_ARGUMENT, "scale '%s': item '%s' is keyed twice", name,
                    efc_model_node_id(k->model, efc_model_leaf_node(k->model, leaves[i])));
    }
    size_t cap_items = k->cap_items;
    if (!efc__grow(&k->alloc, (void **)&k->leaves, &cap_items, k->nitems + count,
                   sizeof *k->leaves))
        return efc__nomem(err);
    size_t cap_signs = k->cap_items;
    if (!efc__grow(&k->alloc, (void **)&k->signs, &cap_signs, k->nitems + count, sizeof *k->signs))
        return efc__nomem(err);
    k->cap_items = cap_items < cap_signs ? cap_items : cap_signs;
    if (!efc__grow(&k->alloc, (void **)&k->scales, &k->cap_scales, k->nscales + 1,
                   sizeof *k->scales))
        return efc__nomem(err);
    char *copy = efc__strdup(&k->alloc, name);
    if (!copy)
        return efc__nomem(err);
    efc__key_scale *s = &k->scales[k->nscales++];
    s->name = copy;
    s->first = k->nitems;
    s->count = count;
    for (size_t i = 0; i < count; i++) {
        k->leaves[k->nitems + i] = leaves[i];
        k->signs[k->nitems + i] = (signed char)(signs ? signs[i] : 1);
    }
    k->nitems += count;
    return EFC_OK;
}

const efc_model *efc_keys_model(const efc_keys *k)
{
    return k ? k->model : NULL;
}

size_t efc_keys_scale_count(const efc_keys *k)
{
    return k ? k->nscales : 0;
}

const char *efc_keys_scale_name(const efc_keys *k, size_t s)
{
    return k && s < k->nscales ? k->scales[s].name : NULL;
}

size_t efc_keys_find(const efc_keys *k, const char *name)
{
    for (size_t s = 0; k && name && s < k->nscales; s++)
        if (!strcmp(k->scales[s].name, name))
            return s;
    return EFC_NONE;
}

size_t efc_keys_scale_item_count(const efc_keys *k, size_t s)
{
    return k && s < k->nscales ? k->scales[s].count : 0;
}

size_t efc_keys_scale_item(const efc_keys *k, size_t s, size_t i)
{
    return k && s < k->nscales && i < k->scales[s].count ? k->leaves[k->scales[s].first + i]
                                                         : EFC_NONE;
}

int efc_keys_scale_sign(const efc_keys *k, size_t s, size_t i)
{
    return k && s < k->nscales && i < k->scales[s].count ? k->signs[k->scales[s].first + i] : 0;
}

double efc__keyed_value(const efc_model *m, size_t leaf, int sign, double x)
{
    if (sign > 0)
        return x;
    const efc__plan_leaf *pl = &m->plan_leaves[leaf];
    return pl->max + pl->min - x;
}

efc_status efc_keys_score_batch(double *scores, ptrdiff_t out_row_stride,
                                ptrdiff_t out_scale_stride, const efc_keys *k, size_t rows,
                                const double *values, ptrdiff_t value_row_stride,
                                ptrdiff_t value_leaf_stride, efc_error *err)
{
    if (!k || ((!scores || !values) && rows && k->nscales))
        return efc__fail(err, EFC_ERR_ARGUMENT, "keys, scores or values is NULL");
    for (size_t r = 0; r < rows; r++) {
        const double *row = values + (ptrdiff_t)r * value_row_stride;
        double *out = scores + (ptrdiff_t)r * out_row_stride;
        for (size_t s = 0; s < k->nscales; s++) {
            const efc__key_scale *sc = &k->scales[s];
            double sum = 0;
            size_t n = 0;
            for (size_t i = 0; i < sc->count; i++) {
                size_t leaf = k->leaves[sc->first + i];
                double x = row[(ptrdiff_t)leaf * value_leaf_stride];
                if (isnan(x))
                    continue;
                if (!isfinite(x)) {
                    for (size_t t = 0; t < k->nscales; t++)
                        out[(ptrdiff_t)t * out_scale_stride] = NAN;
                    efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                                "row %zu: item '%s': an infinite answer", r,
                                efc_model_node_id(k->model, efc_model_leaf_node(k->model, leaf)));
                    efc__row(err, r, 1);
                    return EFC_ERR_VALUE;
                }
                sum += efc__keyed_value(k->model, leaf, k->signs[sc->first + i], x);
                n++;
            }
            out[(ptrdiff_t)s * out_scale_stride] = n ? sum / (double)n : NAN;
        }
    }
    return EFC_OK;
}
