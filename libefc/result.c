/* The result of scoring one assessment: scores, coverages and clamping. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "efc/score.h"
#include "error_internal.h"
#include "model_internal.h"
#include "score_internal.h"

struct efc_result {
    efc_allocator alloc;
    const efc_model *model;
    double *scores;
    double *coverage;
    unsigned char *flags;
    size_t clamped;
};

efc_status efc_result_create(efc_result **out, const efc_model *m, const efc_allocator *alloc,
                             efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized before scoring");
    efc_status made;
    efc_result *r = EFC__NEW(efc_result, alloc, &made, err);
    if (!r)
        return made;
    r->model = m;
    r->scores = efc__alloc_array(&r->alloc, m->count, sizeof *r->scores);
    r->coverage = efc__alloc_array(&r->alloc, m->count, sizeof *r->coverage);
    r->flags = efc__malloc(&r->alloc, m->leaf_count);
    if (!r->scores || !r->coverage || !r->flags) {
        efc_result_free(r);
        return efc__nomem(err);
    }
    for (size_t i = 0; i < m->count; i++) {
        r->scores[i] = NAN;
        r->coverage[i] = 0;
    }
    memset(r->flags, 0, m->leaf_count);
    *out = r;
    return EFC_OK;
}

void efc_result_free(efc_result *r)
{
    if (!r)
        return;
    efc_allocator a = r->alloc;
    efc__free(&a, r->scores);
    efc__free(&a, r->coverage);
    efc__free(&a, r->flags);
    efc__free(&a, r);
}

efc_status efc_model_score(efc_result *r, const efc_model *m, const double *values,
                           ptrdiff_t leaf_stride, efc_error *err)
{
    if (!m || !r || (!values && m->leaf_count))
        return efc__fail(err, EFC_ERR_ARGUMENT, "model, values or result is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized before scoring");
    efc_status refused = efc__refuse_index_model(m, err);
    if (refused)
        return refused;
    if (r->model != m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the result was created for another model");
    size_t clamped = 0;
    efc_status st = efc__score_row(m, values, leaf_stride, r->scores, r->coverage, 1, r->flags,
                                   &clamped, 0, err);
    if (st) {
        for (size_t i = 0; i < m->count; i++) {
            r->scores[i] = NAN;
            r->coverage[i] = 0;
        }
        memset(r->flags, 0, m->leaf_count);
        clamped = 0;
    }
    r->clamped = clamped;
    return st;
}

double efc_result_score(const efc_result *r, size_t node)
{
    return r && node < r->model->count ? r->scores[node] : NAN;
}

double efc_result_coverage(const efc_result *r, size_t node)
{
    return r && node < r->model->count ? r->coverage[node] : NAN;
}

efc_pass efc_result_pass(const efc_result *r, size_t node)
{
    if (!r || node >= r->model->count)
        return EFC_PASS_NO_THRESHOLD;
    return efc_model_pass(r->model, node, r->scores[node]);
}

efc_pass efc_result_pass_all(const efc_result *r)
{
    return r ? efc_model_pass_all(r->model, r->scores, 1) : EFC_PASS_NO_THRESHOLD;
}

size_t efc_result_clamped_count(const efc_result *r)
{
    return r ? r->clamped : 0;
}

int efc_result_leaf_clamped(const efc_result *r, size_t leaf)
{
    return r && leaf < r->model->leaf_count ? r->flags[leaf] : 0;
}

const double *efc_result_scores(const efc_result *r)
{
    return r ? r->scores : NULL;
}

const double *efc_result_coverages(const efc_result *r)
{
    return r ? r->coverage : NULL;
}
