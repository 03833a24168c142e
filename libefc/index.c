/* The options of the pipeline and the reading of its product (efc/index.h);
 * the pipeline itself is in index_run.c. */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "fill.h"
#include "index_internal.h"
#include "model_internal.h"
#include "text.h"

efc_status efc_index_options_create(efc_index_options **out, const efc_allocator *alloc,
                                    efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status st;
    efc_index_options *o = EFC__NEW(efc_index_options, alloc, &st, err);
    if (!o)
        return st;
    *out = o;
    return EFC_OK;
}

void efc_index_options_free(efc_index_options *o)
{
    if (!o)
        return;
    efc_allocator a = o->alloc;
    efc__free(&a, o->id_column);
    efc__free(&a, o->period_column);
    efc__free(&a, o->reference_period);
    efc__free(&a, o);
}

static efc_status set_name(efc_index_options *o, char **slot, const char *name, int optional,
                           efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (!name || !name[0]) {
        if (!optional)
            return efc__fail(err, EFC_ERR_ARGUMENT, "the column name is empty");
        efc__free(&o->alloc, *slot);
        *slot = NULL;
        return EFC_OK;
    }
    const char *why = efc__text_problem(name, strlen(name), EFC__TEXT_LINE);
    if (why)
        return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_BAD_TEXT, "the column name %s", why);
    char *s = efc__strdup(&o->alloc, name);
    if (!s)
        return efc__nomem(err);
    efc__free(&o->alloc, *slot);
    *slot = s;
    return EFC_OK;
}

efc_status efc_index_options_set_id_column(efc_index_options *o, const char *name, efc_error *err)
{
    return set_name(o, o ? &o->id_column : NULL, name, 0, err);
}

efc_status efc_index_options_set_period_column(efc_index_options *o, const char *name,
                                               efc_error *err)
{
    return set_name(o, o ? &o->period_column : NULL, name, 1, err);
}

efc_status efc_index_options_set_reference_period(efc_index_options *o, const char *period,
                                                  efc_error *err)
{
    return set_name(o, o ? &o->reference_period : NULL, period, 1, err);
}

efc_status efc_index_options_set_screen(efc_index_options *o, double share, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (!(share >= 0 && share <= 1))
        return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_OUT_OF_RANGE,
                           "the screening share must be within [0, 1]");
    o->screen = share;
    return EFC_OK;
}

efc_status efc_index_options_set_keep_steps(efc_index_options *o, int keep, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (keep != 0 && keep != 1)
        return efc__fail(err, EFC_ERR_ARGUMENT, "keep must be 0 or 1, got %d", keep);
    o->drop_steps = !keep;
    return EFC_OK;
}

efc_status efc_index_options_set_threads(efc_index_options *o, unsigned threads, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (threads > 1024)
        return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_OUT_OF_RANGE,
                           "threads must be 0 (one per core) to 1024, got %u", threads);
    o->threads = threads;
    return EFC_OK;
}

unsigned efc__index_threads(const efc_index_options *o)
{
    if (o && o->threads)
        return o->threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (unsigned)(cores > 1024 ? 1024 : cores) : 1;
}

void efc_index_free(efc_index *ix)
{
    if (!ix)
        return;
    efc_allocator a = ix->alloc;
    for (efc__text_chunk *c = ix->texts, *next; c; c = next) {
        next = c->next;
        efc__free(&a, c);
    }
    efc__free(&a, ix->ids);
    efc__free(&a, ix->periods);
    efc__free(&a, ix->rows);
    for (int k = 0; k < EFC__LEAF_STAGES; k++)
        efc__free(&a, ix->stage[k]);
    efc__free(&a, ix->agg);
    efc__free(&a, ix->col);
    efc__free(&a, ix->imputed);
    efc__free(&a, ix->treated);
    efc__free(&a, ix->metrics);
    for (size_t j = 0; ix->fit && j < ix->leaves; j++) {
        efc__leaf_fit *f = &ix->fit[j];
        for (size_t g = 0; f->group_keys && g < f->ngroups; g++)
            efc__free(&a, f->group_keys[g]);
        efc__free(&a, f->group_keys);
        efc__free(&a, f->group_values);
    }
    efc__free(&a, ix->fit);
    for (size_t i = 0; i < ix->screened_count; i++) {
        efc__free(&a, ix->scr[i].id);
        efc__free(&a, ix->scr[i].period);
    }
    efc__free(&a, ix->scr);
    efc_model_free(ix->model);
    efc__free(&a, ix);
}

const efc_model *efc_index_model(const efc_index *ix)
{
    return ix ? ix->model : NULL;
}

size_t efc_index_unit_count(const efc_index *ix)
{
    return ix ? ix->units : 0;
}

size_t efc_index_unit_row(const efc_index *ix, size_t u)
{
    return ix && u < ix->units ? ix->rows[u] : EFC_NO_NODE;
}

const char *efc_index_unit_id(const efc_index *ix, size_t u)
{
    return ix && u < ix->units ? ix->ids[u] : NULL;
}

const char *efc_index_unit_period(const efc_index *ix, size_t u)
{
    return ix && ix->periods && u < ix->units ? ix->periods[u] : NULL;
}

double efc_index_value(const efc_index *ix, efc_index_stage stage, size_t u, size_t node)
{
    if (!ix || u >= ix->units || node >= ix->model->count)
        return NAN;
    if ((unsigned)stage > EFC_STAGE_AGGREGATED)
        return NAN;
    size_t leaf = ix->model->nodes[node].leaf;
    if (leaf == EFC_NO_NODE)
        return stage == EFC_STAGE_AGGREGATED ? ix->agg[ix->model->nodes[node].group * ix->units + u]
                                             : NAN;
    if (stage == EFC_STAGE_AGGREGATED)
        stage = EFC_STAGE_NORMALISED;
    const double *col = ix->col[(size_t)stage * ix->leaves + leaf];
    return col ? col[u] : NAN; /* NULL: a stage not kept */
}

efc_status efc_index_fill(double *out, size_t capacity, ptrdiff_t row_stride, ptrdiff_t node_stride,
                          const efc_index *ix, efc_index_stage stage, efc_error *err)
{
    if (!ix)
        return efc__fail(err, EFC_ERR_ARGUMENT, "index is NULL");
    if ((unsigned)stage > EFC_STAGE_AGGREGATED)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown stage %d", (int)stage);
    if (stage < EFC_STAGE_NORMALISED && ix->leaves &&
        !ix->col[(size_t)stage * ix->leaves]) /* every leaf's, or none */
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "the %s stage was not kept (efc_index_options_set_keep_steps)",
                         efc_enum_name(EFC_ENUM_INDEX_STAGE, (int)stage));
    size_t nodes = ix->model->count;
    efc_status st =
        efc__fill_check(out, capacity, ix->units, row_stride, nodes, node_stride, "out", err);
    if (st)
        return st;
    /* a column at a time: a leaf's stage or a group's aggregate, NaN for a
     * group before aggregation (efc_index_value, without its checks per cell) */
    for (size_t k = 0; k < nodes; k++) {
        size_t leaf = ix->model->nodes[k].leaf;
        const double *col =
            leaf != EFC_NO_NODE
                ? ix->col[(size_t)(stage == EFC_STAGE_AGGREGATED ? EFC_STAGE_NORMALISED : stage) *
                              ix->leaves +
                          leaf]
            : stage == EFC_STAGE_AGGREGATED ? ix->agg + ix->model->nodes[k].group * ix->units
                                            : NULL;
        for (size_t u = 0; u < ix->units; u++)
            out[(ptrdiff_t)u * row_stride + (ptrdiff_t)k * node_stride] = col ? col[u] : NAN;
    }
    return EFC_OK;
}

int efc_index_imputed(const efc_index *ix, size_t u, size_t node)
{
    if (!ix || u >= ix->units || node >= ix->model->count)
        return 0;
    size_t leaf = ix->model->nodes[node].leaf;
    return leaf != EFC_NO_NODE && ix->imputed[leaf * ix->units + u];
}

size_t efc_index_imputed_count(const efc_index *ix)
{
    return ix ? ix->imputed_count : 0;
}

int efc_index_treatment(const efc_index *ix, size_t node)
{
    if (!ix || node >= ix->model->count || ix->model->nodes[node].leaf == EFC_NO_NODE)
        return -1;
    return ix->treated[ix->model->nodes[node].leaf];
}

double efc_index_treatment_value(const efc_index *ix, size_t node, efc_treatment_metric metric)
{
    if (!ix || node >= ix->model->count || (unsigned)metric >= EFC__TREATMENT_METRICS)
        return NAN;
    size_t leaf = ix->model->nodes[node].leaf;
    return leaf == EFC_NO_NODE ? NAN : ix->metrics[leaf * EFC__TREATMENT_METRICS + metric];
}

size_t efc_index_screened_count(const efc_index *ix)
{
    return ix ? ix->screened_count : 0;
}

size_t efc_index_screened_row(const efc_index *ix, size_t i)
{
    return ix && i < ix->screened_count ? ix->scr[i].row : EFC_NO_NODE;
}

const char *efc_index_screened_id(const efc_index *ix, size_t i)
{
    return ix && i < ix->screened_count ? ix->scr[i].id : NULL;
}

const char *efc_index_screened_period(const efc_index *ix, size_t i)
{
    return ix && i < ix->screened_count ? ix->scr[i].period : NULL;
}

double efc_index_screened_share(const efc_index *ix, size_t i)
{
    return ix && i < ix->screened_count ? ix->scr[i].share : NAN;
}
