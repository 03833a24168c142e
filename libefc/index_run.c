/* The indicator pipeline (efc/index.h): each leaf's column goes through
 * denominate, impute, treat and normalise, each step on the values of every
 * unit at once; then groups aggregate the normalised values unit by unit
 * with the code scoring uses (aggregate.h), unclamped. The formulas and the
 * choices for edge cases are in docs/concepts.md ("The indicator
 * pipeline"); the differences with COINr in docs/statistics.md. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "index_internal.h"
#include "index_stats.h"
#include "model_internal.h"
#include "number.h"
#include "score_internal.h"
#include "steps.h"
#include "steps_apply.h"
#include "strmap.h"
#include "survey_internal.h"
#include "table_internal.h"

/* A share of the present values compared with a bar, as coverage is. */
#define SHARE_TOLERANCE 1e-12

/* Where one leaf reads its data. */
typedef struct leaf_cols {
    const double *raw; /* the leaf's column, by table row */
    const double *den; /* its denominator's, NULL: none */
    size_t group;      /* table column of its imputation groups, EFC_NO_NODE: none */
} leaf_cols;

/* The groups of a table column, found once for every leaf that imputes
 * within them: the units of group g are order[start[g] .. start[g + 1]),
 * in unit order; units without a group are in none. */
typedef struct group_ids {
    size_t column;
    size_t count;
    size_t *order, *start;
    size_t *gid;  /* the group of each unit, EFC_NO_NODE: none */
    char **names; /* the key of each group */
} group_ids;

/* A panel's units along their periods, built once per run for the leaves
 * that impute by latest or linear: the rows of unit id i are slot[start[i]
 * .. start[i + 1]), by increasing period. */
typedef struct panel_slot {
    double t; /* the period's numeric value (a date: days since 1970-01-01) */
    size_t u;
} panel_slot;

typedef struct panel {
    int ready;
    size_t count;        /* unit ids */
    const size_t *start; /* borrowed from the id column's group_ids */
    panel_slot *slot;
} panel;

typedef struct run {
    efc_index *ix;
    const efc_model *m;
    const efc_table *t;
    efc_error *err;
    leaf_cols *cols;
    /* scratch, one per unit */
    double *vals, *work, *work2;
    uint64_t *keys; /* 2 per unit, for sorting */
    group_ids *groups;
    size_t ngroup_cols, groups_cap;
    size_t *pos;
    size_t imputed_count; /* by this run's leaves (a worker's, with threads) */
    /* the units the data-driven parameters come from: those of the
     * reference period, NULL for every unit */
    const unsigned char *fit;
    size_t leaf_end; /* the leaves run are [0, leaf_end) */
    /* the steps' stages not kept (efc_index_options_set_keep_steps): one
     * scratch column each, raw .. treated, reused from leaf to leaf */
    int drop;
    double *scr[EFC_STAGE_NORMALISED];
    double *node_values;       /* one per node of the model */
    const double **child_cols; /* one per node: a group's children's columns */
    size_t *child_index;       /* 0, 1, ...: the children's places in node_values */
    size_t id_col, period_col; /* table columns; period_col EFC_NO_NODE: none */
    panel panel;
} run;

static const char *source_of(const efc_table *t)
{
    return t->source[0] ? t->source : NULL;
}

/* Fail about a unit's cell: the message names the leaf and the unit; the
 * error is located at the unit's line when the table came from a file. */
static efc_status cell_fail(run *R, size_t leaf, size_t u, efc_status code, efc_reason why,
                            const char *what)
{
    const efc_index *ix = R->ix;
    const char *id = R->m->nodes[R->m->leaf_nodes[leaf]].id;
    size_t row = ix->rows[u];
    if (ix->periods)
        efc__fail_r(R->err, code, why, "leaf '%s', unit '%s' at period %s: %s", id, ix->ids[u],
                    ix->periods[u], what);
    else
        efc__fail_r(R->err, code, why, "leaf '%s', unit '%s': %s", id, ix->ids[u], what);
    if (R->t->lines)
        efc__locate(R->err, source_of(R->t), R->t->lines[row], 0, id);
    else
        efc__row(R->err, row, 0);
    return code;
}

static efc_status leaf_fail(run *R, size_t leaf, efc_status code, efc_reason why, const char *what)
{
    efc__fail_r(R->err, code, why, "leaf '%s': %s", R->m->nodes[R->m->leaf_nodes[leaf]].id, what);
    return code;
}

/* ---- columns and units ---- */

static efc_status missing_column(run *R, const char *what, const char *name)
{
    efc__fail_r(R->err, EFC_ERR_SURVEY, EFC_REASON_MISSING_COLUMN, "the data has no column '%s'%s",
                name, what);
    if (source_of(R->t))
        efc__locate(R->err, source_of(R->t), R->t->lines ? 1 : 0, 0, NULL);
    return EFC_ERR_SURVEY;
}

static efc_status number_column(run *R, const char *name, const char *what, const double **out)
{
    size_t c = efc_table_find(R->t, name);
    if (c == EFC_NO_NODE)
        return missing_column(R, what, name);
    if (R->t->cols[c].kind != EFC_COLUMN_NUMBER) {
        efc__fail(R->err, EFC_ERR_SURVEY, "column '%s'%s holds texts, not numbers", name, what);
        return EFC_ERR_SURVEY;
    }
    *out = R->t->cols[c].num;
    return EFC_OK;
}

static efc_status resolve_columns(run *R)
{
    const efc_model *m = R->m;
    char what[400];
    for (size_t j = 0; j < m->leaf_count; j++) {
        size_t node = m->leaf_nodes[j];
        const efc__steps *s = m->nodes[node].steps;
        leaf_cols *lc = &R->cols[j];
        lc->den = NULL;
        lc->group = EFC_NO_NODE;
        snprintf(what, sizeof what, " (leaf '%s')", m->nodes[node].id);
        efc_status st = number_column(R, m->nodes[node].id, what, &lc->raw);
        if (st)
            return st;
        if (!s)
            continue;
        snprintf(what, sizeof what, " (the denominator of leaf '%s')", m->nodes[node].id);
        if (s->den && (st = number_column(R, s->den, what, &lc->den)))
            return st;
        if (s->impute_col) {
            lc->group = efc_table_find(R->t, s->impute_col);
            snprintf(what, sizeof what, " (the imputation groups of leaf '%s')", m->nodes[node].id);
            if (lc->group == EFC_NO_NODE)
                return missing_column(R, what, s->impute_col);
        }
    }
    return EFC_OK;
}

/* The text of cell (c, r) as a key: a text, or a number in its shortest
 * form; NULL when missing. buf holds a number's text. */
static const char *key_text(const efc_table *t, size_t c, size_t r, char *buf)
{
    const efc__column *col = &t->cols[c];
    if (col->kind == EFC_COLUMN_TEXT)
        return col->txt[r];
    if (isnan(col->num[r]))
        return NULL;
    efc__fmt_number(col->num[r], buf);
    return buf;
}

static efc_status row_fail(run *R, size_t r, efc_status code, efc_reason why, const char *msg)
{
    efc__fail_r(R->err, code, why, "%s", msg);
    if (R->t->lines)
        efc__locate(R->err, source_of(R->t), R->t->lines[r], 0, NULL);
    else
        efc__row(R->err, r, 0);
    return code;
}

static efc_status add_screened(efc_index *ix, size_t r, const char *id, const char *period,
                               double share, efc_error *err)
{
    size_t k = ix->screened_count;
    if (!efc__grow(&ix->alloc, (void **)&ix->scr, &ix->scr_cap, k + 1, sizeof *ix->scr))
        return efc__nomem(err);
    efc__screened *s = &ix->scr[k];
    memset(s, 0, sizeof *s);
    s->row = r;
    s->share = share;
    if (!(s->id = efc__strdup(&ix->alloc, id)) ||
        (period && !(s->period = efc__strdup(&ix->alloc, period)))) {
        efc__free(&ix->alloc, s->id);
        return efc__nomem(err);
    }
    ix->screened_count++;
    return EFC_OK;
}

/* A copy of s among the index's texts (efc__text_chunk); NULL when out of
 * memory. */
static char *unit_text(efc_index *ix, const char *s)
{
    size_t n = strlen(s) + 1;
    efc__text_chunk *c = ix->texts;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        if (!(c = efc__malloc(&ix->alloc, sizeof *c + cap)))
            return NULL;
        c->next = ix->texts;
        c->used = 0;
        c->cap = cap;
        ix->texts = c;
    }
    char *t = memcpy(c->data + c->used, s, n);
    c->used += n;
    return t;
}

/* The units: every row with an id (and a period), not screened out, each
 * (id, period) once. */
static efc_status collect_units(run *R, const efc_index_options *o)
{
    efc_index *ix = R->ix;
    const efc_table *t = R->t;
    const efc_model *m = R->m;
    const char *id_name = o && o->id_column ? o->id_column : "id";
    size_t idc = efc_table_find(t, id_name), pc = EFC_NO_NODE;
    if (idc == EFC_NO_NODE)
        return missing_column(R, " (the unit ids; set the id column)", id_name);
    if (o && o->period_column) {
        pc = efc_table_find(t, o->period_column);
        if (pc == EFC_NO_NODE)
            return missing_column(R, " (the periods)", o->period_column);
    }
    R->id_col = idc;
    R->period_col = pc;
    double screen = o ? o->screen : 0;
    size_t n = t->rows ? t->rows : 1;
    ix->rows = efc__alloc_array(&ix->alloc, n, sizeof *ix->rows);
    ix->ids = efc__alloc_array(&ix->alloc, n, sizeof *ix->ids);
    if (pc != EFC_NO_NODE && (ix->periods = efc__alloc_array(&ix->alloc, n, sizeof *ix->periods)))
        memset(ix->periods, 0, n * sizeof *ix->periods);
    if (!ix->rows || !ix->ids || (pc != EFC_NO_NODE && !ix->periods))
        return efc__nomem(R->err);
    efc__strmap seen;
    efc__strmap_init(&seen);
    efc_status st = EFC_OK;
    char ib[EFC__NUMBER_BUF], pb[EFC__NUMBER_BUF], msg[700];
    char **keys = efc__alloc_array(&ix->alloc, n, sizeof *keys);
    /* sized once: a million units, no growing */
    if (!keys || !efc__strmap_reserve(&seen, &ix->alloc, t->rows)) {
        efc__free(&ix->alloc, keys);
        return efc__nomem(R->err);
    }
    memset(keys, 0, n * sizeof *keys);
    for (size_t r = 0; r < t->rows && !st; r++) {
        const char *id = key_text(t, idc, r, ib);
        if (!id || !id[0]) {
            snprintf(msg, sizeof msg, "the unit id (column '%s') is empty", id_name);
            st = row_fail(R, r, EFC_ERR_SURVEY, EFC_REASON_EMPTY_ID, msg);
            break;
        }
        const char *period = NULL;
        if (pc != EFC_NO_NODE && !(period = key_text(t, pc, r, pb))) {
            snprintf(msg, sizeof msg, "unit '%s': the period (column '%s') is empty", id,
                     o->period_column);
            st = row_fail(R, r, EFC_ERR_SURVEY, EFC_REASON_BAD_PERIOD, msg);
            break;
        }
        if (screen > 0) {
            size_t present = 0;
            for (size_t j = 0; j < m->leaf_count; j++)
                present += !isnan(R->cols[j].raw[r]);
            double share = m->leaf_count ? (double)present / (double)m->leaf_count : 1;
            if (share + SHARE_TOLERANCE < screen) {
                st = add_screened(ix, r, id, period, share, R->err);
                continue;
            }
        }
        /* with periods, id, unit separator, period: a key no id can forge
         * (the map does not copy keys: each unit keeps its own); without,
         * the id, which the unit keeps */
        const char *key = id;
        if (period) {
            size_t need = strlen(id) + strlen(period) + 2;
            char *k = efc__malloc(&ix->alloc, need);
            if (!k) {
                st = efc__nomem(R->err);
                break;
            }
            snprintf(k, need, "%s\x1f%s", id, period);
            keys[ix->units] = k;
            key = k;
        }
        size_t first = efc__strmap_get(&seen, key);
        if (first != EFC_NO_NODE) {
            efc__free(&ix->alloc, keys[ix->units]);
            keys[ix->units] = NULL;
            size_t fr = ix->rows[first];
            if (period)
                snprintf(msg, sizeof msg, "unit '%s' appears twice for period %s", id, period);
            else
                snprintf(msg, sizeof msg, "unit '%s' appears twice (a panel needs a period column)",
                         id);
            st = row_fail(R, r, EFC_ERR_SURVEY, EFC_REASON_DUPLICATE_ASSESSMENT, msg);
            if (t->lines)
                efc__other(R->err, t->lines[fr], 0);
            break;
        }
        size_t u = ix->units;
        ix->rows[u] = r;
        if (!(ix->ids[u] = unit_text(ix, id)) ||
            (period && !(ix->periods[u] = unit_text(ix, period)))) {
            st = efc__nomem(R->err);
            break;
        }
        ix->units++;
        if (!efc__strmap_put(&seen, &ix->alloc, period ? key : ix->ids[u], u))
            st = efc__nomem(R->err);
    }
    efc__strmap_free(&seen, &ix->alloc);
    for (size_t u = 0; u < n; u++)
        efc__free(&ix->alloc, keys[u]);
    efc__free(&ix->alloc, keys);
    return st;
}

/* The units of the reference period, when one is set: the data-driven
 * parameters come from them alone, and every unit is measured with them. */
static efc_status reference_rows(run *R, const efc_index_options *o)
{
    efc_index *ix = R->ix;
    if (!o || !o->reference_period)
        return EFC_OK;
    if (!ix->periods)
        return efc__fail(R->err, EFC_ERR_ARGUMENT, "a reference period (%s) needs a period column",
                         o->reference_period);
    unsigned char *fit = efc__alloc_array(&ix->alloc, ix->units ? ix->units : 1, 1);
    if (!fit)
        return efc__nomem(R->err);
    size_t count = 0;
    for (size_t u = 0; u < ix->units; u++)
        count += fit[u] = strcmp(ix->periods[u], o->reference_period) == 0;
    R->fit = fit;
    if (!count)
        return efc__fail(R->err, EFC_ERR_NOT_FOUND,
                         "no unit has the reference period '%s' (as written in the period "
                         "column)",
                         o->reference_period);
    return EFC_OK;
}

/* ---- the steps of one leaf ---- */

/* Whether unit u is one the parameters are fitted on. */
static inline int fits(const run *R, size_t u)
{
    return !R->fit || R->fit[u];
}

static double *stage_col(efc_index *ix, int stage, size_t leaf)
{
    return ix->col[(size_t)stage * ix->leaves + leaf];
}

/* Whether leaf steps s give leaf its own column at `stage`. */
static int owns(const efc__steps *s, int stage)
{
    switch (stage) {
    case EFC_STAGE_DENOMINATED:
        return s && s->den;
    case EFC_STAGE_IMPUTED:
        return s && s->impute != EFC_IMPUTE_NONE;
    case EFC_STAGE_TREATED:
        return s && s->treat != EFC_TREAT_NONE;
    default:
        return 1;
    }
}

static efc_status denominate(run *R, size_t j, const efc__steps *s)
{
    efc_index *ix = R->ix;
    const leaf_cols *lc = &R->cols[j];
    double *raw = stage_col(ix, EFC_STAGE_RAW, j), *out = stage_col(ix, EFC_STAGE_DENOMINATED, j);
    if (!owns(s, EFC_STAGE_DENOMINATED))
        return EFC_OK; /* the raw column itself */
    for (size_t u = 0; u < ix->units; u++) {
        double x = raw[u];
        double d = lc->den[ix->rows[u]];
        if (isnan(x) || isnan(d)) {
            out[u] = NAN; /* a missing denominator makes the cell missing */
            continue;
        }
        if (d == 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "the denominator '%s' is 0", s->den);
            return cell_fail(R, j, u, EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE, msg);
        }
        double v = efc__step_denominate(x, d, s->den_scale);
        if (!isfinite(v)) {
            char msg[200];
            snprintf(msg, sizeof msg, "dividing by the denominator '%s' overflows", s->den);
            return cell_fail(R, j, u, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE, msg);
        }
        out[u] = v;
    }
    return EFC_OK;
}

static void free_group_ids(const efc_allocator *a, group_ids *gi)
{
    for (size_t g = 0; gi->names && g < gi->count; g++)
        efc__free(a, gi->names[g]);
    efc__free(a, gi->names);
    efc__free(a, gi->order);
    efc__free(a, gi->start);
    efc__free(a, gi->gid);
}

/* The groups of table column c, computed on first use. */
static efc_status groups_of(run *R, size_t c, const group_ids **out)
{
    efc_index *ix = R->ix;
    for (size_t i = 0; i < R->ngroup_cols; i++)
        if (R->groups[i].column == c) {
            *out = &R->groups[i];
            return EFC_OK;
        }
    size_t units = ix->units ? ix->units : 1;
    size_t *gid = R->pos; /* the group of each unit, EFC_NO_NODE: none */
    group_ids gi = {c, 0, NULL, NULL, NULL, NULL};
    gi.order = efc__alloc_array(&ix->alloc, units, sizeof *gi.order);
    gi.start = efc__alloc_array(&ix->alloc, units + 1, sizeof *gi.start);
    char **names = efc__alloc_array(&ix->alloc, units, sizeof *names);
    efc_status st = gi.order && gi.start && names ? EFC_OK : efc__nomem(R->err);
    efc__strmap map;
    efc__strmap_init(&map);
    char buf[EFC__NUMBER_BUF];
    for (size_t u = 0; u < ix->units && !st; u++) {
        const char *k = key_text(R->t, c, ix->rows[u], buf);
        gid[u] = EFC_NO_NODE;
        if (!k)
            continue; /* no group: left missing (docs/concepts.md) */
        size_t g = efc__strmap_get(&map, k);
        if (g == EFC_NO_NODE) {
            /* the map does not copy keys, and a number's text is in buf */
            char *copy = efc__strdup(&ix->alloc, k);
            if (!copy || !efc__strmap_put(&map, &ix->alloc, copy, gi.count)) {
                efc__free(&ix->alloc, copy);
                st = efc__nomem(R->err);
                break;
            }
            names[gi.count] = copy;
            g = gi.count++;
        }
        gid[u] = g;
    }
    efc__strmap_free(&map, &ix->alloc);
    gi.names = names;
    if (!st && !efc__grow(&ix->alloc, (void **)&R->groups, &R->groups_cap, R->ngroup_cols + 1,
                          sizeof *R->groups))
        st = efc__nomem(R->err);
    if (st) {
        free_group_ids(&ix->alloc, &gi);
        return st;
    }
    /* a counting sort of the units by group, stable */
    memset(gi.start, 0, (gi.count + 1) * sizeof *gi.start);
    for (size_t u = 0; u < ix->units; u++)
        if (gid[u] != EFC_NO_NODE)
            gi.start[gid[u] + 1]++;
    for (size_t g = 0; g < gi.count; g++)
        gi.start[g + 1] += gi.start[g];
    {
        /* place each unit at its group's next slot */
        size_t *next = efc__alloc_array(&ix->alloc, gi.count ? gi.count : 1, sizeof *next);
        if (!next) {
            free_group_ids(&ix->alloc, &gi);
            return efc__nomem(R->err);
        }
        memcpy(next, gi.start, gi.count * sizeof *next);
        for (size_t u = 0; u < ix->units; u++)
            if (gid[u] != EFC_NO_NODE)
                gi.order[next[gid[u]]++] = u;
        efc__free(&ix->alloc, next);
    }
    if (!(gi.gid = efc__alloc_array(&ix->alloc, units, sizeof *gi.gid))) {
        free_group_ids(&ix->alloc, &gi);
        return efc__nomem(R->err);
    }
    memcpy(gi.gid, gid, ix->units * sizeof *gid);
    R->groups[R->ngroup_cols] = gi;
    *out = &R->groups[R->ngroup_cols++];
    return EFC_OK;
}

/* Group means in passes over the units rather than over each group's
 * units gathered: the sums run in unit order within each group, as
 * efc__ix_mean runs over the gathered values, so the bits are the same. */
static efc_status group_means(run *R, const group_ids *gi, const double *in, double *out,
                              unsigned char *flag, double *fitted)
{
    efc_index *ix = R->ix;
    size_t G = gi->count ? gi->count : 1;
    double *sum = efc__alloc_array(&ix->alloc, 3 * G, sizeof *sum);
    size_t *cnt = efc__alloc_array(&ix->alloc, 2 * G, sizeof *cnt);
    if (!sum || !cnt) {
        efc__free(&ix->alloc, sum);
        efc__free(&ix->alloc, cnt);
        return efc__nomem(R->err);
    }
    double *mean = sum + G, *corr = sum + 2 * G;
    size_t *missing = cnt + G;
    memset(sum, 0, 3 * G * sizeof *sum);
    memset(cnt, 0, 2 * G * sizeof *cnt);
    for (size_t u = 0; u < ix->units; u++) {
        size_t g = gi->gid[u];
        if (g == EFC_NO_NODE)
            continue;
        if (isnan(in[u])) {
            missing[g]++;
        } else if (fits(R, u)) {
            sum[g] += in[u];
            cnt[g]++;
        }
    }
    for (size_t g = 0; g < gi->count; g++)
        mean[g] = cnt[g] ? sum[g] / (double)cnt[g] : NAN;
    for (size_t u = 0; u < ix->units; u++) {
        size_t g = gi->gid[u];
        if (g != EFC_NO_NODE && !isnan(in[u]) && fits(R, u))
            corr[g] += in[u] - mean[g]; /* every group's: the fitted model keeps them all */
    }
    for (size_t g = 0; g < gi->count; g++) {
        if (cnt[g] && isfinite(mean[g]))
            mean[g] += corr[g] / (double)cnt[g];
        else if (cnt[g]) {
            /* the sum overflowed: the group's values through efc__ix_mean,
             * which divides them first */
            size_t k = 0;
            for (size_t i = gi->start[g]; i < gi->start[g + 1]; i++) {
                size_t u = gi->order[i];
                if (!isnan(in[u]) && fits(R, u))
                    R->vals[k++] = in[u];
            }
            mean[g] = efc__ix_mean(R->vals, k);
        }
    }
    memcpy(fitted, mean, gi->count * sizeof *fitted);
    for (size_t u = 0; u < ix->units; u++) {
        size_t g = gi->gid[u];
        if (g != EFC_NO_NODE && isnan(in[u]) && cnt[g]) {
            out[u] = mean[g];
            flag[u] = 1;
            R->imputed_count++;
        }
    }
    efc__free(&ix->alloc, sum);
    efc__free(&ix->alloc, cnt);
    return EFC_OK;
}

/* The statistic of imputation over values[0 .. n). */
static double impute_stat(run *R, efc_impute how, const double *values, size_t n)
{
    if (how == EFC_IMPUTE_MEAN || how == EFC_IMPUTE_GROUP_MEAN)
        return efc__ix_mean(values, n);
    return efc__ix_median(values, n, R->work2, R->keys);
}

/* ---- panel imputation: latest, linear ---- */

static int slot_cmp(const void *a, const void *b)
{
    const panel_slot *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->u > y->u) - (x->u < y->u); /* no two are equal: see panel_of */
}

/* The numeric value of unit u's period into *out. The periods are read as a
 * survey's are (numbers, or dates as day counts) and must all be of one
 * kind, as in a survey, so that they can be ordered and measured; *kind is
 * the kind of the first unit's, *first that unit. */
static efc_status period_value(run *R, size_t j, size_t u, efc_period_kind *kind, size_t *first,
                               double *out)
{
    const efc_index *ix = R->ix;
    const char *text = ix->periods[u];
    const char *how =
        efc_enum_name(EFC_ENUM_IMPUTE, (int)R->m->nodes[R->m->leaf_nodes[j]].steps->impute);
    efc__period p;
    const char *why = efc__parse_period(text, strlen(text), EFC_DATE_FORMAT_ISO, '.', &p);
    char msg[700];
    if (!why && p.kind == EFC_PERIOD_NONE)
        why = "is empty"; /* blanks, or an empty text in a table built in code */
    if (why) {
        /* the parser's hint names a survey option the index does not have:
         * the index reads ISO dates only */
        if (strchr(why, '('))
            why = "is not a number or a date YYYY-MM-DD";
        snprintf(msg, sizeof msg,
                 "unit '%s': period '%s' %s (leaf '%s' imputes by %s, which orders each unit's "
                 "periods as numbers or dates)",
                 ix->ids[u], text, why, R->m->nodes[R->m->leaf_nodes[j]].id, how);
        return row_fail(R, ix->rows[u], EFC_ERR_SURVEY, EFC_REASON_BAD_PERIOD, msg);
    }
    if (*kind == EFC_PERIOD_NONE) {
        *kind = p.kind;
        *first = u;
    } else if (p.kind != *kind) {
        snprintf(msg, sizeof msg,
                 "unit '%s': period '%s' is a %s, and the first period, '%s', is a %s: one kind "
                 "per table (leaf '%s' imputes by %s)",
                 ix->ids[u], text, p.kind == EFC_PERIOD_DATE ? "date" : "number",
                 ix->periods[*first], p.kind == EFC_PERIOD_DATE ? "number" : "date",
                 R->m->nodes[R->m->leaf_nodes[j]].id, how);
        row_fail(R, ix->rows[u], EFC_ERR_SURVEY, EFC_REASON_MIXED_PERIODS, msg);
        if (R->t->lines)
            efc__other(R->err, R->t->lines[ix->rows[*first]], 0);
        return EFC_ERR_SURVEY;
    }
    *out = p.value;
    return EFC_OK;
}

/* The units of each id along their periods, computed on first use: the
 * periods read once, each id's rows sorted once (O(n log n) in all), for
 * every leaf that imputes along them. */
static efc_status panel_of(run *R, size_t j, const panel **out)
{
    panel *P = &R->panel;
    efc_index *ix = R->ix;
    if (P->ready) {
        *out = P;
        return EFC_OK;
    }
    const group_ids *gi = NULL;
    efc_status st = groups_of(R, R->id_col, &gi);
    if (st)
        return st;
    /* gi moves when R->groups grows, its arrays do not */
    size_t count = gi->count;
    const size_t *start = gi->start, *order = gi->order;
    if (!(P->slot = efc__alloc_array(&ix->alloc, ix->units ? ix->units : 1, sizeof *P->slot)))
        return efc__nomem(R->err);
    /* in unit order, so that a mixed kind is reported at the first row
     * that breaks it */
    efc_period_kind kind = EFC_PERIOD_NONE;
    size_t first = 0;
    double *t = R->work;
    for (size_t u = 0; u < ix->units; u++)
        if ((st = period_value(R, j, u, &kind, &first, &t[u])))
            return st;
    for (size_t i = 0; i < count; i++) {
        panel_slot *sl = P->slot + start[i];
        size_t n = start[i + 1] - start[i];
        for (size_t k = 0; k < n; k++) {
            sl[k].u = order[start[i] + k];
            sl[k].t = t[sl[k].u];
        }
        qsort(sl, n, sizeof *sl, slot_cmp);
        /* two texts of one period ("2020", "2020.0") passed the unit check */
        for (size_t k = 1; k < n; k++)
            if (sl[k].t == sl[k - 1].t) {
                size_t a = sl[k - 1].u, b = sl[k].u;
                char msg[700];
                snprintf(msg, sizeof msg,
                         "unit '%s' appears twice for period %s (as '%s' and '%s')", ix->ids[b],
                         ix->periods[a], ix->periods[a], ix->periods[b]);
                row_fail(R, ix->rows[b], EFC_ERR_SURVEY, EFC_REASON_DUPLICATE_ASSESSMENT, msg);
                if (R->t->lines)
                    efc__other(R->err, R->t->lines[ix->rows[a]], 0);
                return EFC_ERR_SURVEY;
            }
    }
    P->count = count;
    P->start = start;
    P->ready = 1;
    *out = P;
    return EFC_OK;
}

static void set_imputed(run *R, unsigned char *flag, double *out, size_t u, double v)
{
    out[u] = v;
    flag[u] = 1;
    R->imputed_count++;
}

/* latest: each missing cell takes the last value observed before it. */
static void carry_forward(run *R, const panel_slot *sl, size_t n, const double *in, double *out,
                          unsigned char *flag)
{
    size_t last = EFC_NO_NODE;
    for (size_t k = 0; k < n; k++) {
        size_t u = sl[k].u;
        if (!isnan(in[u]))
            last = u;
        else if (last != EFC_NO_NODE)
            set_imputed(R, flag, out, u, in[last]);
    }
}

/* linear: the cells between two observed periods a and b take
 * x_a + (t - t_a) / (t_b - t_a) (x_b - x_a); the others stay missing. */
static efc_status interpolate(run *R, size_t j, const panel_slot *sl, size_t n, const double *in,
                              double *out, unsigned char *flag)
{
    size_t a = EFC_NO_NODE; /* the slot of the last observed value */
    for (size_t b = 0; b < n; b++) {
        double xb = in[sl[b].u];
        if (isnan(xb))
            continue;
        if (a != EFC_NO_NODE && b > a + 1) {
            double xa = in[sl[a].u], d = xb - xa, span = sl[b].t - sl[a].t;
            for (size_t k = a + 1; k < b; k++) {
                double w = isfinite(span) ? (sl[k].t - sl[a].t) / span : NAN;
                /* exact at the ends and for a constant; the weighted form
                 * when the difference of huge values overflows */
                double v = isfinite(d) ? xa + w * d : xa * (1 - w) + xb * w;
                if (!isfinite(v))
                    return cell_fail(R, j, sl[k].u, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                                     "the linear interpolation is not finite (the periods are "
                                     "too far apart for a double)");
                set_imputed(R, flag, out, sl[k].u, v);
            }
        }
        a = b;
    }
    return EFC_OK;
}

/* latest and linear, unit by unit along its periods, from the observed
 * values only (in): an imputed cell never feeds another. */
static efc_status impute_panel(run *R, size_t j, const efc__steps *s, const double *in, double *out,
                               unsigned char *flag)
{
    if (R->period_col == EFC_NO_NODE) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "impute %s needs a period column (a panel in long format: set the index's "
                 "period column)",
                 efc_enum_name(EFC_ENUM_IMPUTE, (int)s->impute));
        return leaf_fail(R, j, EFC_ERR_MODEL, EFC_REASON_NONE, msg);
    }
    const panel *P = NULL;
    efc_status st = panel_of(R, j, &P);
    for (size_t i = 0; !st && i < P->count; i++) {
        const panel_slot *sl = P->slot + P->start[i];
        size_t n = P->start[i + 1] - P->start[i];
        if (s->impute == EFC_IMPUTE_LATEST)
            carry_forward(R, sl, n, in, out, flag);
        else
            st = interpolate(R, j, sl, n, in, out, flag);
    }
    return st;
}

/* Fill the missing cells of group g's units with v. */
static void fill_group(run *R, const group_ids *gi, size_t g, const double *in, double *out,
                       unsigned char *flag, double v)
{
    for (size_t k = gi->start[g]; k < gi->start[g + 1]; k++) {
        size_t u = gi->order[k];
        if (isnan(in[u]))
            set_imputed(R, flag, out, u, v);
    }
}

/* Record the fitted values of leaf j's groups (one per group of gi). */
static efc_status fit_groups(run *R, size_t j, const group_ids *gi, double **values)
{
    efc__leaf_fit *f = &R->ix->fit[j];
    f->impute = EFC_IMPUTE_GROUP_VALUE;
    f->ngroups = gi->count;
    f->group_set = (size_t)(gi - R->groups);
    f->group_values =
        efc__alloc_array(&R->ix->alloc, gi->count ? gi->count : 1, sizeof *f->group_values);
    if (!f->group_values)
        return efc__nomem(R->err);
    for (size_t g = 0; g < gi->count; g++)
        f->group_values[g] = NAN;
    *values = f->group_values;
    return EFC_OK;
}

static efc_status impute(run *R, size_t j, const efc__steps *s)
{
    efc_index *ix = R->ix;
    efc__leaf_fit *f = &ix->fit[j];
    const double *in = stage_col(ix, EFC_STAGE_DENOMINATED, j);
    double *out = stage_col(ix, EFC_STAGE_IMPUTED, j);
    f->impute = EFC_IMPUTE_NONE;
    if (!owns(s, EFC_STAGE_IMPUTED))
        return EFC_OK;
    memcpy(out, in, ix->units * sizeof *out);
    unsigned char *flag = ix->imputed + j * ix->units;
    if (s->impute == EFC_IMPUTE_LATEST || s->impute == EFC_IMPUTE_LINEAR) {
        f->impute = (int)s->impute; /* the unit's own history: nothing to fit */
        return impute_panel(R, j, s, in, out, flag);
    }
    size_t group = R->cols[j].group;
    if (group == EFC_NO_NODE) {
        double v = s->impute_value; /* value:V */
        if (s->impute != EFC_IMPUTE_VALUE) {
            size_t n = 0;
            for (size_t u = 0; u < ix->units; u++)
                if (!isnan(in[u]) && fits(R, u))
                    R->vals[n++] = in[u];
            v = impute_stat(R, s->impute, R->vals, n); /* NaN when none is observed */
        }
        if (isnan(v))
            return EFC_OK;
        f->impute = EFC_IMPUTE_VALUE;
        f->impute_value = v;
        for (size_t u = 0; u < ix->units; u++)
            if (isnan(in[u]))
                set_imputed(R, flag, out, u, v);
        return EFC_OK;
    }
    /* within groups: the units of each group, in unit order */
    const group_ids *gi = NULL;
    double *fitted = NULL;
    efc_status st = groups_of(R, group, &gi);
    if (st || (st = fit_groups(R, j, gi, &fitted)))
        return st;
    if (s->impute == EFC_IMPUTE_GROUP_MEAN)
        return group_means(R, gi, in, out, flag, fitted);
    if (s->impute == EFC_IMPUTE_GROUP_VALUE) {
        for (size_t g = 0; g < gi->count; g++) {
            size_t k = efc__strmap_get(&s->gv_map, gi->names[g]);
            if (k == EFC_NO_NODE)
                continue; /* a group the fit did not see: left missing */
            fitted[g] = s->gv_val[k];
            fill_group(R, gi, g, in, out, flag, fitted[g]);
        }
        return EFC_OK;
    }
    for (size_t g = 0; g < gi->count; g++) {
        size_t n = 0;
        for (size_t k = gi->start[g]; k < gi->start[g + 1]; k++) {
            double x = in[gi->order[k]];
            if (!isnan(x) && fits(R, gi->order[k]))
                R->vals[n++] = x;
        }
        if (!n)
            continue;
        fitted[g] = impute_stat(R, s->impute, R->vals, n);
        fill_group(R, gi, g, in, out, flag, fitted[g]);
    }
    return EFC_OK;
}

static void minmax_of(const double *x, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (x[i] < *lo)
            *lo = x[i];
        if (x[i] > *hi)
            *hi = x[i];
    }
}

/* COINr's winsorisation: while |skew| and kurtosis exceed the
 * thresholds, and at most `most` times, every value equal to the extreme on
 * the side of the skew takes the next value inside. The values after k
 * iterations are the originals clamped to [lo, hi], so the loop only moves
 * two bounds along the sorted values (`sorted`, n doubles of scratch) and
 * computes the shape from sums of powers: while the bounds stay among the
 * sorted extremes, the sums of the core (the values between them, one
 * pass) plus the few clamped extremes (core_sums); beyond, running sums
 * updated per move. O(n log n) in all where recomputing the shape at each
 * iteration is O(n) per iteration. The decisions are the exact code's:
 * whenever the shape from the sums is within 1e-6 of a threshold (or of
 * skew 0, which picks the side), or the sums have lost too much to
 * cancellation, the shape is recomputed exactly (efc__ix_shape_clamped:
 * the bits efc__ix_shape gives the clamped values, as the plain loop
 * computes them). tests/unit/test_index.c compares the two on
 * heavy-tailed samples. Returns 1 when the indicator still needs
 * treatment, and the bounds reached in lo_out, hi_out. */
typedef struct moments {
    double c, s[5]; /* s[p] = sum of (x - c)^p, p = 1 .. 4 */
    double peak2, peak4;
} moments;

/* Add the powers 1 .. 4 of the deviations from mo->c of x[0 .. n)
 * clamped to [lo, hi] to mo's sums. */
static void add_powers(moments *mo, const double *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) {
        double d = efc__step_clamp(x[i], lo, hi) - mo->c, d2 = d * d;
        mo->s[1] += d;
        mo->s[2] += d2;
        mo->s[3] += d2 * d;
        mo->s[4] += d2 * d2;
    }
}

/* The sums about the mean of the clamped values (computed first): the
 * running sums stay centred, away from cancellation. */
static void moments_exact(moments *mo, const double *v, size_t n, double lo, double hi)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += efc__step_clamp(v[i], lo, hi);
    mo->c = sum / (double)n;
    for (int p = 1; p <= 4; p++)
        mo->s[p] = 0;
    add_powers(mo, v, n, lo, hi);
    mo->peak2 = mo->s[2];
    mo->peak4 = mo->s[4];
}

static void moments_move(moments *mo, double from, double to, double k)
{
    double a = from - mo->c, b = to - mo->c;
    mo->s[1] += k * (b - a);
    mo->s[2] += k * (b * b - a * a);
    mo->s[3] += k * (b * b * b - a * a * a);
    mo->s[4] += k * (b * b * b * b - a * a * a * a);
}

/* The shape from the running sums; 0 when they cannot be trusted. */
static int moments_shape(const moments *mo, size_t n, double *skew, double *kurt)
{
    double nn = (double)n, mu = mo->s[1] / nn;
    /* moved far from the centre, or most of the sums cancelled: recompute */
    if (!(mo->s[2] > 1e-3 * mo->peak2) || !(mo->s[4] > 1e-3 * mo->peak4) ||
        !(nn * mu * mu <= 1e-2 * mo->s[2]))
        return 0;
    double m2 = mo->s[2] - nn * mu * mu;
    double m3 = mo->s[3] - 3 * mu * mo->s[2] + 2 * nn * mu * mu * mu;
    double m4 = mo->s[4] - 4 * mu * mo->s[3] + 6 * mu * mu * mo->s[2] - 3 * nn * mu * mu * mu * mu;
    if (!(m2 > 0) || !isfinite(m4))
        return 0;
    *skew = sqrt(nn) * m3 / pow(m2, 1.5) * sqrt(nn * (nn - 1)) / (nn - 2);
    double r = nn * m4 / (m2 * m2);
    *kurt = ((nn + 1) * (r - 3) + 6) * (nn - 1) / ((nn - 2) * (nn - 3));
    return isfinite(*skew) && isfinite(*kurt);
}

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-6 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* The extremes of v in `sorted`: the `window` smallest sorted at the front
 * and as many largest sorted at the back, the middle not written; all of
 * it sorted when the window covers half. Returns the window (n: sorted). */
#define WINSOR_WINDOW 256

/* In sorted values: the first index whose value is > x, or >= x. */
static size_t above(const double *x, size_t n, double v, int strict)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strict ? x[mid] <= v : x[mid] < v)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* Sift x down a binary heap h[0 .. k) whose root is its smallest (max 0)
 * or its largest (max 1) element. */
static void sift(double *h, size_t k, size_t i, int max)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= k)
            return;
        if (c + 1 < k && (max ? h[c + 1] > h[c] : h[c + 1] < h[c]))
            c++;
        if (!(max ? h[c] > h[i] : h[c] < h[i]))
            return;
        double t = h[c];
        h[c] = h[i];
        h[i] = t;
        i = c;
    }
}

/* The k smallest values of v into low (a heap keeping the largest of them
 * at its root) and the k largest into high (its root their smallest), in
 * one pass: most values are turned away by one comparison with each root. */
static void extreme_heaps(double *low, double *high, const double *v, size_t n, size_t k)
{
    memcpy(low, v, k * sizeof *low);
    memcpy(high, v, k * sizeof *high);
    for (size_t i = k / 2; i-- > 0;) {
        sift(low, k, i, 1);
        sift(high, k, i, 0);
    }
    for (size_t i = k; i < n; i++) {
        double x = v[i];
        if (x < low[0]) {
            low[0] = x;
            sift(low, k, 0, 1);
        }
        if (x > high[0]) {
            high[0] = x;
            sift(high, k, 0, 0);
        }
    }
}

static size_t extremes(double *sorted, const double *v, size_t n, size_t window, uint64_t *keys)
{
    if (2 * window >= n) {
        memcpy(sorted, v, n * sizeof *sorted);
        efc__ix_sort(sorted, n, keys);
        return n;
    }
    /* the middle of `sorted` is left as it is: only the ends are read */
    extreme_heaps(sorted, sorted + n - window, v, n, window);
    efc__ix_sort(sorted, window, keys);
    efc__ix_sort(sorted + n - window, window, keys);
    return window;
}

/* While the bounds stay inside the sorted windows (lo <= L, hi >= H, L
 * the low window's largest value and H the high window's smallest), the
 * clamped values are the core, every value in [L, H], unchanged, plus the
 * window values beyond L and H, clamped: the sums of powers are the
 * core's, computed once in a pass, plus at most 2 x WINSOR_WINDOW terms
 * computed afresh at each iteration. Nothing is updated, so nothing
 * cancels. */
typedef struct core_sums {
    double c, s[5]; /* about c: s[p] = sum over the core of (x - c)^p */
    double L, H;
    size_t kl, kh; /* sorted[0 .. kl) < L, sorted[kh .. n) > H */
} core_sums;

static void core_pass(core_sums *cs, const double *v, size_t n)
{
    double L = cs->L, H = cs->H, c = cs->c;
    double s1 = 0, s2 = 0, s3 = 0, s4 = 0;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (x >= L && x <= H) {
            double d = x - c, d2 = d * d;
            s1 += d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
    }
    cs->s[1] = s1;
    cs->s[2] = s2;
    cs->s[3] = s3;
    cs->s[4] = s4;
}

/* sum: v's plain sum, for a first centre (the core's mean, near enough:
 * the centre only keeps the sums away from cancellation). */
static void core_init(core_sums *cs, const double *v, size_t n, const double *sorted, size_t win,
                      double sum)
{
    cs->L = sorted[win - 1];
    cs->H = sorted[n - win];
    cs->kl = above(sorted, win, cs->L, 0);
    cs->kh = n - win + above(sorted + n - win, win, cs->H, 1);
    double out = 0;
    for (size_t i = 0; i < cs->kl; i++)
        out += sorted[i];
    for (size_t i = cs->kh; i < n; i++)
        out += sorted[i];
    double c = (sum - out) / (double)(cs->kh - cs->kl);
    cs->c = isfinite(c) ? c : cs->L / 2 + cs->H / 2;
    core_pass(cs, v, n);
}

/* The running sums of the values clamped to [lo, hi] from the core's. */
static void core_moments(const core_sums *cs, const double *sorted, size_t n, double lo, double hi,
                         moments *mo)
{
    mo->c = cs->c;
    for (int p = 1; p <= 4; p++)
        mo->s[p] = cs->s[p];
    add_powers(mo, sorted, cs->kl, lo, hi);
    add_powers(mo, sorted + cs->kh, n - cs->kh, lo, hi);
    mo->peak2 = mo->s[2];
    mo->peak4 = mo->s[4];
}

/* The shape of the values clamped to [lo, hi] from the core, re-centred
 * (one pass) when the clamped mean has moved away from the centre. */
static int core_shape(core_sums *cs, const double *v, const double *sorted, size_t n, double lo,
                      double hi, double *skew, double *kurt)
{
    moments mo;
    core_moments(cs, sorted, n, lo, hi, &mo);
    double nn = (double)n, mu = mo.s[1] / nn;
    if (!(nn * mu * mu <= 1e-4 * mo.s[2]) && isfinite(mu)) {
        cs->c += mu;
        core_pass(cs, v, n);
        core_moments(cs, sorted, n, lo, hi, &mo);
    }
    return moments_shape(&mo, n, skew, kurt);
}

static int winsorise(const double *v, double sum, double *sorted, uint64_t *keys, size_t n,
                     double most, double skew_max, double kurt_max, double skew, double kurt,
                     double *lo_out, double *hi_out)
{
    int need = fabs(skew) > skew_max && kurt > kurt_max;
    *lo_out = *hi_out = NAN;
    if (!need || !(most >= 1))
        return need;
    /* only the extremes move, mostly a few of them: the smallest and the
     * largest values are sorted, the whole only if the loop gets there */
    size_t win = extremes(sorted, v, n, WINSOR_WINDOW, keys);
    /* [0, a) are at lo and [b, n) at hi */
    double lo = sorted[0], hi = sorted[n - 1];
    size_t a = 1, b = n - 1;
    /* scans stop at the window's edge (the middle is not written): a
     * group reaching it makes the next iteration sort the whole */
    size_t a_end = win < n ? win : n, b_end = win < n ? n - win : 0;
    while (a < a_end && sorted[a] == lo)
        a++;
    while (b > b_end && sorted[b - 1] == hi)
        b--;
    /* inside the windows, the sums come from the core (core_sums); once
     * everything is sorted, they run, updated per move */
    core_sums cs;
    moments mo;
    if (win < n)
        core_init(&cs, v, n, sorted, win, sum);
    else
        moments_exact(&mo, v, n, lo, hi);
    for (double it = 0; need && it < most; it++) {
        if (lo == hi)
            break; /* a single value left: nothing to move it to */
        if (win < n && (lo >= sorted[win - 1] || hi <= sorted[n - win])) {
            /* a group may reach into the unsorted middle: sort it all */
            win = extremes(sorted, v, n, n, keys);
            a = above(sorted, n, lo, 1);
            b = above(sorted, n, hi, 0);
            a_end = n;
            b_end = 0;
            moments_exact(&mo, v, n, lo, hi);
        }
        int windowed = win < n;
        if (skew >= 0) {
            double next = sorted[b - 1] < lo ? lo : sorted[b - 1];
            if (!windowed)
                moments_move(&mo, hi, next, (double)(n - b));
            hi = next;
            if (hi == lo) {
                b = 0;
            } else {
                b--;
                while (b > b_end && sorted[b - 1] == hi)
                    b--;
            }
        } else {
            double next = sorted[a] > hi ? hi : sorted[a];
            if (!windowed)
                moments_move(&mo, lo, next, (double)a);
            lo = next;
            if (hi == lo) {
                a = n;
            } else {
                a++;
                while (a < a_end && sorted[a] == lo)
                    a++;
            }
        }
        double s2, k2;
        int ok = lo != hi && (windowed ? core_shape(&cs, v, sorted, n, lo, hi, &s2, &k2)
                                       : moments_shape(&mo, n, &s2, &k2));
        if (ok && !near(fabs(s2), skew_max) && !near(k2, kurt_max) && !near(s2, 0)) {
            skew = s2;
            kurt = k2;
        } else {
            efc__ix_shape_clamped(v, n, lo, hi, &skew, &kurt);
            if (!windowed)
                moments_exact(&mo, v, n, lo, hi);
        }
        need = fabs(skew) > skew_max && kurt > kurt_max;
    }
    *lo_out = lo;
    *hi_out = hi;
    return need;
}

static efc_status positive_after_shift(run *R, size_t j, size_t u, double x, double floor)
{
    char msg[300], a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF];
    efc__fmt_number(x, a);
    efc__fmt_number(floor, b);
    snprintf(msg, sizeof msg,
             "the log of winsorising's fallback, as fitted (on the reference period or by a "
             "fitted model), needs values above %s, got %s",
             b, a);
    return cell_fail(R, j, u, EFC_ERR_VALUE, EFC_REASON_LOG_DOMAIN, msg);
}

static efc_status positive(run *R, size_t j, const double *in, const char *what)
{
    for (size_t u = 0; u < R->ix->units; u++)
        if (!isnan(in[u]) && !(in[u] > 0)) {
            char msg[200], b[EFC__NUMBER_BUF];
            efc__fmt_number(in[u], b);
            snprintf(msg, sizeof msg, "%s needs values > 0, got %s", what, b);
            return cell_fail(R, j, u, EFC_ERR_VALUE, EFC_REASON_LOG_DOMAIN, msg);
        }
    return EFC_OK;
}

/* The fitted units' present values of a column in one pass: their count,
 * plain sum in unit order and extremes (what the shape needs besides the
 * values), and the first unit, fitted or not, whose value is infinite.
 * x: the column itself when every unit is there, else the values gathered
 * into R->vals. */
typedef struct present_set {
    const double *x;
    size_t n, infinite;
    double sum, lo, hi;
} present_set;

static void present_values(run *R, const double *col, present_set *p)
{
    size_t units = R->ix->units, n = 0, infinite = EFC_NO_NODE;
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t u = 0; u < units; u++) {
        double x = col[u];
        if (isnan(x))
            continue;
        if (isinf(x) && infinite == EFC_NO_NODE)
            infinite = u;
        if (!fits(R, u))
            continue;
        n++;
        sum += x;
        if (x < lo)
            lo = x;
        if (x > hi)
            hi = x;
    }
    p->x = col;
    if (n < units) {
        size_t k = 0;
        for (size_t u = 0; u < units; u++)
            if (!isnan(col[u]) && fits(R, u))
                R->vals[k++] = col[u];
        p->x = R->vals;
    }
    p->n = n;
    p->infinite = infinite;
    p->sum = sum;
    p->lo = lo;
    p->hi = hi;
}

static efc_status treat(run *R, size_t j, const efc__steps *s)
{
    efc_index *ix = R->ix;
    const double *in = stage_col(ix, EFC_STAGE_IMPUTED, j);
    double *out = stage_col(ix, EFC_STAGE_TREATED, j);
    double *mt = ix->metrics + j * EFC__TREATMENT_METRICS;
    int written = 0; /* a branch below wrote every cell of out */
    /* the parameters, and the summary, come from the fitted units */
    present_set pre;
    present_values(R, in, &pre);
    const double *v = pre.x;
    size_t n = pre.n;
    double skew, kurt;
    efc__ix_shape_sum(v, n, pre.sum, pre.lo, pre.hi, &skew, &kurt);
    mt[EFC_TREATMENT_SKEW] = skew;
    mt[EFC_TREATMENT_KURTOSIS] = kurt;
    mt[EFC_TREATMENT_LOW] = mt[EFC_TREATMENT_HIGH] = 0;
    mt[EFC_TREATMENT_SHIFT] = NAN;
    mt[EFC_TREATMENT_LAMBDA] = NAN;
    ix->treated[j] = EFC_TREAT_NONE;
    efc_treat how = s ? s->treat : EFC_TREAT_NONE;
    efc__leaf_fit *f = &ix->fit[j];
    f->treat = EFC_TREAT_NONE;
    efc_status st;
    /* what winsorising decided, or a fitted model's clamp and shiftlog */
    int shiftlog = how == EFC_TREAT_SHIFTLOG, clamp = how == EFC_TREAT_CLAMP;
    double clo = s ? s->t1 : NAN, chi = s ? s->t2 : NAN, lo_shift = clo, pad = chi;
    if (how == EFC_TREAT_WINSORISE && n) {
        double most = s->winmax_share ? ceil(s->winmax * (double)n - 1e-9) : s->winmax;
        if (winsorise(v, pre.sum, R->work2, R->keys, n, most, s->skew_max, s->kurt_max, skew, kurt,
                      &clo, &chi)) {
            /* winsorising was not enough: the original values, logged
             * after a shift that makes them positive */
            lo_shift = pre.lo;
            pad = 0.01 * (pre.hi - lo_shift);
            shiftlog = 1;
        } else {
            clamp = !isnan(clo);
        }
    }
    if (shiftlog) {
        for (size_t u = 0; u < ix->units; u++) {
            out[u] = in[u];
            if (!isnan(in[u])) {
                double arg = efc__step_shift(in[u], lo_shift, pad);
                if (!(arg > 0)) /* another period's or unit's value below the fitted range */
                    return positive_after_shift(R, j, u, in[u], lo_shift - pad);
                out[u] = log(arg);
            }
        }
        written = 1;
        mt[EFC_TREATMENT_SHIFT] = pad - lo_shift;
        ix->treated[j] = how == EFC_TREAT_SHIFTLOG ? EFC_TREAT_SHIFTLOG : EFC_TREAT_LOG;
        f->treat = EFC_TREAT_SHIFTLOG;
        f->t1 = lo_shift;
        f->t2 = pad;
    } else if (clamp) {
        /* the bounds the loop reached, for every unit: the fitted
         * units' values are those the loop left */
        size_t low = 0, high = 0;
        for (size_t u = 0; u < ix->units; u++) {
            double c = efc__step_clamp(in[u], clo, chi); /* NaN stays */
            if (fits(R, u)) {
                low += c > in[u];
                high += c < in[u];
            }
            out[u] = c;
        }
        written = 1;
        mt[EFC_TREATMENT_LOW] = (double)low;
        mt[EFC_TREATMENT_HIGH] = (double)high;
        if (low || high)
            ix->treated[j] = how == EFC_TREAT_CLAMP ? EFC_TREAT_CLAMP : EFC_TREAT_WINSORISE;
        f->treat = EFC_TREAT_CLAMP;
        f->t1 = clo;
        f->t2 = chi;
    } else if (how == EFC_TREAT_LOG) {
        if ((st = positive(R, j, in, "the log treatment")))
            return st;
        for (size_t u = 0; u < ix->units; u++)
            out[u] = isnan(in[u]) ? in[u] : log(in[u]);
        written = 1;
        mt[EFC_TREATMENT_SHIFT] = 0;
        ix->treated[j] = EFC_TREAT_LOG;
        f->treat = EFC_TREAT_LOG;
    } else if (how == EFC_TREAT_BOXCOX) {
        if ((st = positive(R, j, in, "Box-Cox")))
            return st;
        double lambda = s->lambda, lo = n ? pre.lo : NAN, hi = n ? pre.hi : NAN;
        /* no values, or all equal: no λ to estimate, nothing transformed
         * (docs/concepts.md) */
        int estimable = n >= 2 && lo < hi;
        if (isnan(lambda) && estimable)
            lambda = efc__ix_boxcox_lambda(v, n, R->work);
        if (!isnan(lambda)) {
            for (size_t u = 0; u < ix->units; u++)
                out[u] = isnan(in[u]) ? in[u] : efc__ix_boxcox(in[u], lambda);
            written = 1;
            mt[EFC_TREATMENT_LAMBDA] = lambda;
            ix->treated[j] = EFC_TREAT_BOXCOX;
            f->treat = EFC_TREAT_BOXCOX;
            f->t1 = lambda;
        }
    }
    if (!written && out != in) /* nothing changed: the values as they were */
        memcpy(out, in, ix->units * sizeof *out);
    present_set post;
    present_values(R, out, &post);
    efc__ix_shape_sum(post.x, post.n, post.sum, post.lo, post.hi, &skew, &kurt);
    mt[EFC_TREATMENT_SKEW_AFTER] = skew;
    mt[EFC_TREATMENT_KURTOSIS_AFTER] = kurt;
    mt[EFC_TREATMENT_LOWER] = post.n ? post.lo : NAN;
    mt[EFC_TREATMENT_UPPER] = post.n ? post.hi : NAN;
    if (post.infinite != EFC_NO_NODE)
        return cell_fail(R, j, post.infinite, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                         "the treated value is not finite");
    return EFC_OK;
}

/* The units whose id is `ref`: exactly one. */
static efc_status reference_unit(run *R, size_t j, const char *ref, size_t *out)
{
    size_t found = EFC_NO_NODE, count = 0, elsewhere = 0;
    for (size_t u = 0; u < R->ix->units; u++)
        if (strcmp(R->ix->ids[u], ref) == 0) {
            if (!fits(R, u)) {
                elsewhere++;
                continue;
            }
            found = u;
            count++;
        }
    char msg[400];
    if (count == 1) {
        *out = found;
        return EFC_OK;
    }
    snprintf(msg, sizeof msg,
             count       ? "dist2ref: the reference unit '%s' has several rows (one per period); "
                           "a panel needs a reference with one row"
             : elsewhere ? "dist2ref: the reference unit '%s' has no row in the reference period"
                         : "dist2ref: the reference unit '%s' is not among the units",
             ref);
    return leaf_fail(R, j, EFC_ERR_VALUE, EFC_REASON_NONE, msg);
}

/* The parameters of leaf j's normalisation from the fitted units' values
 * times the direction; for rank and percentile, their n values sorted in
 * R->work. */
static efc_status fit_normalise(run *R, size_t j, const efc__steps *s, double dir, const double *in,
                                efc__norm_params *np, size_t *n_out)
{
    efc_index *ix = R->ix;
    efc__norm_params p = {NAN, NAN, NAN, NAN, NAN, NAN};
    size_t n = 0;
    efc_normalise how = s->normalise;
    if (how == EFC_NORMALISE_ZSCORE || how == EFC_NORMALISE_RANK ||
        how == EFC_NORMALISE_PERCENTILE) {
        for (size_t u = 0; u < ix->units; u++)
            if (!isnan(in[u]) && fits(R, u))
                R->vals[n++] = dir * in[u];
        if (n)
            minmax_of(R->vals, n, &p.lo, &p.hi);
    } else {
        /* the extremes of the same values, which the treatment's summary
         * has (negated, they swap: the same bits) */
        const double *mt = ix->metrics + j * EFC__TREATMENT_METRICS;
        double lower = mt[EFC_TREATMENT_LOWER], upper = mt[EFC_TREATMENT_UPPER];
        p.lo = dir > 0 ? lower : -upper;
        p.hi = dir > 0 ? upper : -lower;
    }
    efc_status st;
    switch (s->normalise) {
    case EFC_NORMALISE_ZSCORE:
        p.mean = efc__ix_mean(R->vals, n);
        p.sd = efc__ix_sd(R->vals, n, p.mean);
        if (n && (isinf(p.mean) || isinf(p.sd)))
            return leaf_fail(R, j, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                             "zscore: the mean or the standard deviation is beyond a double's "
                             "range");
        break;
    case EFC_NORMALISE_RANK:
    case EFC_NORMALISE_PERCENTILE:
        memcpy(R->work, R->vals, n * sizeof *R->work);
        efc__ix_sort(R->work, n, R->keys);
        break;
    case EFC_NORMALISE_DIST2REF: {
        size_t ru;
        if ((st = reference_unit(R, j, s->ref, &ru)))
            return st;
        p.ref = dir * in[ru];
        if (isnan(p.ref))
            return leaf_fail(R, j, EFC_ERR_VALUE, EFC_REASON_NONE,
                             "dist2ref: the reference unit's value is missing");
        if (!(p.ref > p.lo))
            return leaf_fail(R, j, EFC_ERR_VALUE, EFC_REASON_NONE,
                             "dist2ref: the reference unit has the lowest value, so there is no "
                             "distance to measure it by");
        break;
    }
    case EFC_NORMALISE_DIST2TARGET:
        p.target = dir * s->target;
        break;
    default:
        break;
    }
    *np = p;
    *n_out = n;
    return EFC_OK;
}

static efc_status normalise(run *R, size_t j, const efc__steps *s)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    const double *in = stage_col(ix, EFC_STAGE_TREATED, j);
    double *out = stage_col(ix, EFC_STAGE_NORMALISED, j);
    size_t node = m->leaf_nodes[j];
    efc_normalise how = s ? s->normalise : EFC_NORMALISE_GOALPOSTS;
    if (how == EFC_NORMALISE_GOALPOSTS) {
        const efc__plan_leaf *pl = &m->plan_leaves[j];
        for (size_t u = 0; u < ix->units; u++) {
            double x = in[u];
            if (!isnan(x) && !(x > pl->domain))
                return positive(R, j, in, "the log transform of the goalposts");
            out[u] = isnan(x) ? NAN : efc__leaf_goalposts(pl, x);
        }
        return EFC_OK;
    }
    /* the other methods see x times the direction, as COINr's */
    double dir = m->nodes[node].direction == EFC_DIRECTION_NEGATIVE ? -1 : 1;
    efc__norm_params np;
    size_t n = 0;
    efc_status st;
    if (s->fitted) /* a fitted model's: the parameters as written */
        np = efc__steps_fitted_norm(s, dir);
    else if ((st = fit_normalise(R, j, s, dir, in, &np, &n)))
        return st;
    /* what a fitted model writes: parameters that give the same values
     * (an indicator without values has none: 0, 0 gives what hi > lo
     * false and sd > 0 false give) */
    efc__leaf_fit *f = &ix->fit[j];
    switch (how) {
    case EFC_NORMALISE_ZSCORE:
        f->p1 = isnan(np.sd) || isnan(np.mean) ? 0 : np.mean;
        f->p2 = isnan(np.sd) || isnan(np.mean) ? 0 : np.sd;
        break;
    case EFC_NORMALISE_DIST2REF:
        f->p1 = np.ref;
        f->p2 = np.lo;
        break;
    case EFC_NORMALISE_DIST2TARGET:
        f->p1 = isnan(np.lo) ? np.target : np.lo; /* target > lo false, as for NaN */
        break;
    default:
        f->p1 = isnan(np.lo) ? 0 : np.lo;
        f->p2 = isnan(np.hi) ? 0 : np.hi;
        break;
    }
    for (size_t u = 0; u < ix->units; u++) {
        if (isnan(in[u])) {
            out[u] = NAN;
            continue;
        }
        double y = dir * in[u], v;
        if (how == EFC_NORMALISE_RANK || how == EFC_NORMALISE_PERCENTILE) {
            /* the lowest rank of ties: 1 + the values below y */
            size_t a = 0, b = n;
            while (a < b) {
                size_t mid = a + (b - a) / 2;
                if (R->work[mid] < y)
                    a = mid + 1;
                else
                    b = mid;
            }
            double rank = (double)a + 1;
            v = how == EFC_NORMALISE_RANK ? rank : n > 1 ? (rank - 1) / (double)(n - 1) : 0.5;
            if (v > 1 && how == EFC_NORMALISE_PERCENTILE)
                v = 1; /* above every value of the reference period */
        } else {
            v = efc__step_normalise(how, s->a, s->b, &np, y);
        }
        if (!isfinite(v))
            return cell_fail(R, j, u, EFC_ERR_VALUE, EFC_REASON_NOT_FINITE,
                             "the normalised value is not finite (the indicator's range "
                             "overflows a double)");
        out[u] = v;
    }
    return EFC_OK;
}

/* ---- aggregation ---- */

/* The column of node k: a leaf's normalised values or a group's. */
static const double *node_col(const efc_index *ix, const efc_model *m, size_t k)
{
    const efc__node *n = &m->nodes[k];
    return n->kind == EFC_NODE_LEAF ? ix->col[(size_t)EFC_STAGE_NORMALISED * ix->leaves + n->leaf]
                                    : ix->agg + n->group * ix->units;
}

/* Copeland's score of every unit on the children's columns: for each pair,
 * the weight of the children on which one is ahead (ties half), over the
 * weight of the children both have, decides a win (+1), a loss (-1) or a
 * draw. Computed in doubled weights (2 ahead + tied against the total), so
 * that unit weights decide exactly. O(units² × children). */
static efc_status copeland(run *R, const efc__plan_group *pg, const double *const *cols,
                           double *out)
{
    const efc_index *ix = R->ix;
    const efc_model *m = R->m;
    size_t units = ix->units;
    if (units > EFC__COPELAND_MAX_UNITS) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "group '%s': copeland compares every pair of units, and there are %zu (at most "
                 "%d)",
                 m->nodes[pg->node].id, units, EFC__COPELAND_MAX_UNITS);
        return efc__fail_r(R->err, EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE, "%s", msg);
    }
    const double *w = m->child_weight + pg->first;
    double *present = R->vals; /* how many children each unit has */
    for (size_t i = 0; i < units; i++) {
        out[i] = 0;
        present[i] = 0;
        for (size_t k = 0; k < pg->count; k++)
            present[i] += !isnan(cols[k][i]);
    }
    for (size_t i = 0; i < units; i++) {
        if (present[i] == 0)
            continue;
        for (size_t j = i + 1; j < units; j++) {
            double ahead2 = 0, both = 0;
            for (size_t k = 0; k < pg->count; k++) {
                double a = cols[k][i], b = cols[k][j];
                if (isnan(a) || isnan(b))
                    continue;
                both += w[k];
                ahead2 += a > b ? 2 * w[k] : a == b ? w[k] : 0;
            }
            if (both == 0)
                continue; /* nothing to compare them on */
            int d = ahead2 > both ? 1 : ahead2 < both ? -1 : 0;
            out[i] += d;
            out[j] -= d;
        }
    }
    for (size_t i = 0; i < units; i++)
        if (present[i] == 0)
            out[i] = NAN;
    return EFC_OK;
}

/* Groups in plan order (children first) over units [from, to); a
 * copeland group needs every unit (from 0 to units). On a failure, *fail_g
 * and *fail_u say where (the first in group then unit order). */
static efc_status aggregate_units(run *R, size_t from, size_t to, const double **cols, double *s,
                                  size_t *idx, size_t *fail_g, size_t *fail_u)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    size_t units = ix->units;
    for (size_t g = 0; g < m->group_count; g++) {
        const efc__plan_group *pg = &m->plan_groups[g];
        const size_t *child = m->child_node + pg->first;
        const double *weight = m->child_weight + pg->first;
        double *out = ix->agg + m->nodes[pg->node].group * units;
        for (size_t k = 0; k < pg->count; k++) {
            cols[k] = node_col(ix, m, child[k]);
            idx[k] = k;
        }
        if (pg->aggregate == EFC_AGGREGATE_COPELAND) {
            efc_status st = copeland(R, pg, cols, out);
            if (st) {
                *fail_g = g;
                *fail_u = 0;
                return st;
            }
            continue;
        }
        int positive_only = efc__aggregate_nonnegative(pg->aggregate);
        for (size_t u = from; u < to; u++) {
            for (size_t k = 0; k < pg->count; k++) {
                s[k] = cols[k][u];
                if (positive_only && s[k] < 0) {
                    char msg[400], b[EFC__NUMBER_BUF];
                    efc__fmt_number(s[k], b);
                    snprintf(msg, sizeof msg,
                             "group '%s', unit '%s': %s needs values >= 0, and '%s' is %s "
                             "(normalise it onto a positive range, or use mean or min)",
                             m->nodes[pg->node].id, ix->ids[u],
                             efc_enum_name(EFC_ENUM_AGGREGATE, (int)pg->aggregate),
                             m->nodes[child[k]].id, b);
                    efc__fail_r(R->err, EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE, "%s", msg);
                    if (R->t->lines)
                        efc__locate(R->err, source_of(R->t), R->t->lines[ix->rows[u]], 0, NULL);
                    else
                        efc__row(R->err, ix->rows[u], 0);
                    *fail_g = g;
                    *fail_u = u;
                    return EFC_ERR_VALUE;
                }
            }
            double coverage;
            out[u] = efc__combine_raw(pg->aggregate, pg->power, pg->min_coverage, pg->total_weight,
                                      pg->count, idx, weight, s, NULL, 1, &coverage);
        }
    }
    return EFC_OK;
}

/* A thread's share of the units for the groups. */
typedef struct agg_worker {
    run r;
    size_t from, to;
    const double **cols;
    double *s;
    size_t *idx;
    size_t fail_g, fail_u;
    efc_status st;
    pthread_t thread;
    int started;
} agg_worker;

static void *agg_work(void *arg)
{
    agg_worker *w = arg;
    w->st = aggregate_units(&w->r, w->from, w->to, w->cols, w->s, w->idx, &w->fail_g, &w->fail_u);
    return NULL;
}

/* The groups of every unit: each unit on its own, so the units are shared
 * among threads on large tables (not with copeland, which compares them
 * all), and the error is the first in group and unit order, as one thread
 * finds it. */
static efc_status aggregate(run *R, unsigned threads)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    size_t fg, fu;
    int copeland_group = 0;
    for (size_t g = 0; g < m->group_count; g++)
        copeland_group |= m->plan_groups[g].aggregate == EFC_AGGREGATE_COPELAND;
    if (threads > ix->units)
        threads = (unsigned)ix->units;
    if (copeland_group || (double)ix->units * (double)m->count < 200000)
        threads = 1;
    if (threads <= 1)
        return aggregate_units(R, 0, ix->units, R->child_cols, R->node_values, R->child_index, &fg,
                               &fu);
    agg_worker *w = efc__alloc_array(&ix->alloc, threads, sizeof *w);
    if (!w)
        return efc__nomem(R->err);
    memset(w, 0, threads * sizeof *w);
    efc_status st = EFC_OK;
    unsigned ready = 0;
    size_t chunk = (ix->units + threads - 1) / threads;
    for (; ready < threads; ready++) {
        agg_worker *x = &w[ready];
        x->r = *R;
        x->r.err = NULL;
        x->from = ready * chunk;
        x->to = x->from + chunk < ix->units ? x->from + chunk : ix->units;
        x->fail_g = x->fail_u = EFC_NO_NODE;
        x->cols = efc__alloc_array(&ix->alloc, m->count, sizeof *x->cols);
        x->s = efc__alloc_array(&ix->alloc, m->count, sizeof *x->s);
        x->idx = efc__alloc_array(&ix->alloc, m->count, sizeof *x->idx);
        if (!x->cols || !x->s || !x->idx || efc_error_create(&x->r.err, &ix->alloc)) {
            st = efc__nomem(R->err);
            ready++;
            break;
        }
    }
    if (!st) {
        for (unsigned t = 1; t < ready; t++)
            w[t].started = pthread_create(&w[t].thread, NULL, agg_work, &w[t]) == 0;
        agg_work(&w[0]);
        for (unsigned t = 1; t < ready; t++)
            if (w[t].started)
                pthread_join(w[t].thread, NULL);
            else
                agg_work(&w[t]);
        unsigned who = ready;
        for (unsigned t = 0; t < ready; t++)
            if (w[t].st && (who == ready || w[t].fail_g < w[who].fail_g ||
                            (w[t].fail_g == w[who].fail_g && w[t].fail_u < w[who].fail_u)))
                who = t;
        if (who < ready) {
            st = w[who].st;
            efc__error_copy(R->err, w[who].r.err);
        }
    }
    for (unsigned t = 0; t < ready; t++) {
        efc__free(&ix->alloc, (void *)w[t].cols);
        efc__free(&ix->alloc, w[t].s);
        efc__free(&ix->alloc, w[t].idx);
        efc_error_free(w[t].r.err);
    }
    efc__free(&ix->alloc, w);
    return st;
}

/* ---- the run ---- */

static efc_status allocate(run *R)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    const efc_allocator *a = &ix->alloc;
    size_t units = ix->units ? ix->units : 1, leaves = m->leaf_count ? m->leaf_count : 1;
    if (units * leaves / units != leaves || units * m->count / units != m->count)
        return efc__fail(R->err, EFC_ERR_NOMEM, "the stages do not fit in memory");
    ix->leaves = m->leaf_count;
    if (!(ix->col = efc__alloc_array(a, EFC__LEAF_STAGES * leaves, sizeof *ix->col)))
        return efc__nomem(R->err);
    for (int k = 0; k < EFC__LEAF_STAGES; k++) {
        if (R->drop && k < EFC_STAGE_NORMALISED) {
            /* set leaf by leaf to the run's scratch (run_leaf) */
            for (size_t j = 0; j < m->leaf_count; j++)
                ix->col[(size_t)k * leaves + j] = NULL;
            continue;
        }
        size_t own = 0;
        for (size_t j = 0; j < m->leaf_count; j++)
            own += (size_t)owns(m->nodes[m->leaf_nodes[j]].steps, k);
        if (own && !(ix->stage[k] = efc__alloc_array(a, own * units, sizeof(double))))
            return efc__nomem(R->err);
        own = 0;
        for (size_t j = 0; j < m->leaf_count; j++)
            ix->col[(size_t)k * leaves + j] = owns(m->nodes[m->leaf_nodes[j]].steps, k)
                                                  ? ix->stage[k] + units * own++
                                                  : ix->col[(size_t)(k - 1) * leaves + j];
    }
    size_t groups = m->group_count ? m->group_count : 1;
    ix->agg = efc__alloc_array(a, units * groups, sizeof *ix->agg);
    ix->imputed = efc__alloc_array(a, units * leaves, 1);
    ix->treated = efc__alloc_array(a, leaves, sizeof *ix->treated);
    ix->metrics = efc__alloc_array(a, leaves * EFC__TREATMENT_METRICS, sizeof *ix->metrics);
    if ((ix->fit = efc__alloc_array(a, leaves, sizeof *ix->fit)))
        memset(ix->fit, 0, leaves * sizeof *ix->fit);
    R->vals = efc__alloc_array(a, units, sizeof *R->vals);
    R->work = efc__alloc_array(a, units, sizeof *R->work);
    R->work2 = efc__alloc_array(a, units, sizeof *R->work2);
    R->keys = efc__alloc_array(a, 2 * units, sizeof *R->keys);
    R->pos = efc__alloc_array(a, units, sizeof *R->pos);
    for (int k = 0; R->drop && k < EFC_STAGE_NORMALISED; k++)
        if (!(R->scr[k] = efc__alloc_array(a, units, sizeof(double))))
            return efc__nomem(R->err);
    R->node_values = efc__alloc_array(a, m->count, sizeof *R->node_values);
    R->child_cols = efc__alloc_array(a, m->count, sizeof *R->child_cols);
    R->child_index = efc__alloc_array(a, m->count, sizeof *R->child_index);
    if (!ix->agg || !ix->imputed || !ix->treated || !ix->metrics || !ix->fit || !R->vals ||
        !R->work || !R->work2 || !R->keys || !R->pos || !R->node_values || !R->child_cols ||
        !R->child_index)
        return efc__nomem(R->err);
    memset(ix->imputed, 0, units * leaves);
    for (size_t k = 0; k < leaves * EFC__TREATMENT_METRICS; k++)
        ix->metrics[k] = NAN;
    return EFC_OK;
}

/* Scratch of one leaf worker: what the steps of a leaf use, one per unit. */
static int scratch_alloc(run *R, const efc_allocator *a)
{
    size_t units = R->ix->units ? R->ix->units : 1;
    R->vals = efc__alloc_array(a, units, sizeof *R->vals);
    R->work = efc__alloc_array(a, units, sizeof *R->work);
    R->work2 = efc__alloc_array(a, units, sizeof *R->work2);
    R->keys = efc__alloc_array(a, 2 * units, sizeof *R->keys);
    int ok = R->vals && R->work && R->work2 && R->keys;
    for (int k = 0; k < EFC_STAGE_NORMALISED; k++)
        R->scr[k] = NULL;
    for (int k = 0; ok && R->drop && k < EFC_STAGE_NORMALISED; k++)
        ok = (R->scr[k] = efc__alloc_array(a, units, sizeof(double))) != NULL;
    return ok;
}

static void scratch_free(run *R, const efc_allocator *a)
{
    efc__free(a, R->vals);
    efc__free(a, R->work);
    efc__free(a, R->work2);
    efc__free(a, R->keys);
    R->vals = R->work = R->work2 = NULL;
    R->keys = NULL;
    for (int k = 0; k < EFC_STAGE_NORMALISED; k++) {
        efc__free(a, R->scr[k]);
        R->scr[k] = NULL;
    }
}

static efc_status run_leaf(run *R, size_t j)
{
    efc_index *ix = R->ix;
    const efc__steps *s = R->m->nodes[R->m->leaf_nodes[j]].steps;
    if (R->drop) /* the stages not kept: this run's scratch, as allocate aliases them */
        for (int k = 0; k < EFC_STAGE_NORMALISED; k++)
            ix->col[(size_t)k * ix->leaves + j] = k == EFC_STAGE_RAW || owns(s, k)
                                                      ? R->scr[k]
                                                      : ix->col[(size_t)(k - 1) * ix->leaves + j];
    double *raw = stage_col(ix, EFC_STAGE_RAW, j);
    for (size_t u = 0; u < ix->units; u++)
        raw[u] = R->cols[j].raw[ix->rows[u]];
    efc_status st;
    if ((st = denominate(R, j, s)) || (st = impute(R, j, s)) || (st = treat(R, j, s)) ||
        (st = normalise(R, j, s)))
        return st;
    return EFC_OK;
}

/* A thread's share of the leaves: first, first + step, ...; it stops at
 * its first failure. */
typedef struct leaf_worker {
    run r;
    size_t first, step;
    size_t failed; /* the leaf that failed, EFC_NO_NODE: none */
    efc_status st;
    pthread_t thread;
    int started;
} leaf_worker;

static void *leaf_work(void *arg)
{
    leaf_worker *w = arg;
    for (size_t j = w->first; j < w->r.leaf_end; j += w->step)
        if ((w->st = run_leaf(&w->r, j))) {
            w->failed = j;
            break;
        }
    return NULL;
}

/* Each leaf's steps depend on its column alone: leaves go to threads,
 * each with its scratch and its error, and the failure reported is the
 * first leaf's that fails, as one thread would. What leaves share (the
 * groups of an imputation column, a panel's periods) is built first. */
static efc_status run_leaves_upto(run *R, unsigned threads);

static efc_status run_leaves(run *R, unsigned threads)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    efc_status st = EFC_OK;
    /* what leaves share, built first; if it fails at leaf j, the leaves
     * before j run first, so that the error reported is the first leaf's,
     * as one pass over the leaves would find it */
    size_t j = 0;
    for (; j < m->leaf_count && !st; j++) {
        const efc__steps *s = m->nodes[m->leaf_nodes[j]].steps;
        const group_ids *gi;
        const panel *P;
        if (R->cols[j].group != EFC_NO_NODE)
            st = groups_of(R, R->cols[j].group, &gi);
        if (!st && s && (s->impute == EFC_IMPUTE_LATEST || s->impute == EFC_IMPUTE_LINEAR) &&
            R->period_col != EFC_NO_NODE)
            st = panel_of(R, j, &P);
    }
    if (!st) {
        R->leaf_end = m->leaf_count;
        return run_leaves_upto(R, threads);
    }
    if (st == EFC_ERR_NOMEM)
        return st;
    efc_error *shared = NULL;
    if (efc_error_create(&shared, &ix->alloc))
        return efc__nomem(R->err);
    efc__error_copy(shared, R->err);
    R->leaf_end = j - 1;
    efc_status earlier = run_leaves_upto(R, threads);
    if (!earlier)
        efc__error_copy(R->err, shared);
    efc_error_free(shared);
    return earlier ? earlier : st;
}

static efc_status run_leaves_upto(run *R, unsigned threads)
{
    efc_index *ix = R->ix;
    const efc_model *m = R->m;
    efc_status st;
    /* threads pay off on large tables only */
    if (threads > m->leaf_count)
        threads = (unsigned)m->leaf_count;
    if ((double)ix->units * (double)m->leaf_count < 200000)
        threads = 1;
    if (threads <= 1) {
        for (size_t j = 0; j < R->leaf_end; j++)
            if ((st = run_leaf(R, j)))
                return st;
        return EFC_OK;
    }
    leaf_worker *w = efc__alloc_array(&ix->alloc, threads, sizeof *w);
    if (!w)
        return efc__nomem(R->err);
    unsigned ready = 0;
    st = EFC_OK;
    for (; ready < threads && !st; ready++) {
        w[ready].r = *R;
        w[ready].r.imputed_count = 0;
        w[ready].r.err = NULL;
        w[ready].first = ready;
        w[ready].step = threads;
        w[ready].failed = EFC_NO_NODE;
        w[ready].st = EFC_OK;
        w[ready].started = 0;
        if (!scratch_alloc(&w[ready].r, &ix->alloc) ||
            efc_error_create(&w[ready].r.err, &ix->alloc)) {
            scratch_free(&w[ready].r, &ix->alloc);
            efc_error_free(w[ready].r.err);
            st = efc__nomem(R->err);
            break;
        }
    }
    if (!st) {
        for (unsigned t = 1; t < ready; t++)
            w[t].started = pthread_create(&w[t].thread, NULL, leaf_work, &w[t]) == 0;
        leaf_work(&w[0]);
        /* a thread that could not start does its share here */
        for (unsigned t = 1; t < ready; t++)
            if (w[t].started)
                pthread_join(w[t].thread, NULL);
            else
                leaf_work(&w[t]);
        size_t first = EFC_NO_NODE;
        unsigned who = 0;
        for (unsigned t = 0; t < ready; t++) {
            R->imputed_count += w[t].r.imputed_count;
            if (w[t].failed < first) {
                first = w[t].failed;
                who = t;
            }
        }
        if (first != EFC_NO_NODE) {
            st = w[who].st;
            efc__error_copy(R->err, w[who].r.err);
        }
    }
    for (unsigned t = 0; t < ready; t++) {
        scratch_free(&w[t].r, &ix->alloc);
        efc_error_free(w[t].r.err);
    }
    efc__free(&ix->alloc, w);
    return st;
}

/* The stages not kept pointed at scratch while the leaves ran: they read
 * as NaN from now on (efc_index_value). */
static efc_status forget_scratch(run *R)
{
    for (int k = 0; R->drop && k < EFC_STAGE_NORMALISED; k++)
        for (size_t j = 0; j < R->ix->leaves; j++)
            R->ix->col[(size_t)k * R->ix->leaves + j] = NULL;
    return EFC_OK;
}

/* The keys of the groups each leaf fitted values for, copied out of the
 * run's group sets (which end with the run): only groups with a value. */
static efc_status keep_group_keys(run *R)
{
    efc_index *ix = R->ix;
    for (size_t j = 0; j < ix->leaves; j++) {
        efc__leaf_fit *f = &ix->fit[j];
        if (f->impute != EFC_IMPUTE_GROUP_VALUE)
            continue;
        const group_ids *gi = &R->groups[f->group_set];
        size_t total = f->ngroups;
        f->ngroups = 0; /* the keys copied so far: what the index frees */
        if (!(f->group_keys =
                  efc__alloc_array(&ix->alloc, total ? total : 1, sizeof *f->group_keys)))
            return efc__nomem(R->err);
        for (size_t g = 0; g < total; g++) {
            if (isnan(f->group_values[g]))
                continue;
            if (!(f->group_keys[f->ngroups] = efc__strdup(&ix->alloc, gi->names[g])))
                return efc__nomem(R->err);
            f->group_values[f->ngroups++] = f->group_values[g];
        }
    }
    return EFC_OK;
}

efc_status efc_index_run(efc_index **out, const efc_model *model, const efc_table *table,
                         const efc_index_options *opts, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!model || !table)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model or table is NULL");
    if (!model->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized");
    efc_status st;
    efc_index *ix = EFC__NEW(efc_index, &model->alloc, &st, err);
    if (!ix)
        return st;
    run R;
    memset(&R, 0, sizeof R);
    R.ix = ix;
    R.t = table;
    R.err = err;
    R.drop = opts && opts->drop_steps;
    if ((st = efc_model_copy(&ix->model, model, &model->alloc, err)) ||
        (st = efc_model_finalize(ix->model, err)))
        goto done;
    R.m = ix->model;
    if (!(R.cols = efc__alloc_array(&ix->alloc, R.m->leaf_count ? R.m->leaf_count : 1,
                                    sizeof *R.cols))) {
        st = efc__nomem(err);
        goto done;
    }
    if (opts && opts->reference_period && !opts->period_column) {
        /* an option without its other half: said before any row is read */
        st = efc__fail(err, EFC_ERR_ARGUMENT, "a reference period (%s) needs a period column",
                       opts->reference_period);
        goto done;
    }
    if ((st = resolve_columns(&R)) || (st = collect_units(&R, opts)) ||
        (st = reference_rows(&R, opts)) || (st = allocate(&R)) ||
        (st = run_leaves(&R, efc__index_threads(opts))) || (st = forget_scratch(&R)) ||
        (st = keep_group_keys(&R)) || (st = aggregate(&R, efc__index_threads(opts))))
        goto done;
    ix->imputed_count = R.imputed_count;
done:
    efc__free(&ix->alloc, R.cols);
    efc__free(&ix->alloc, R.vals);
    efc__free(&ix->alloc, R.work);
    efc__free(&ix->alloc, R.work2);
    efc__free(&ix->alloc, R.keys);
    efc__free(&ix->alloc, R.pos);
    for (int k = 0; k < EFC_STAGE_NORMALISED; k++)
        efc__free(&ix->alloc, R.scr[k]);
    efc__free(&ix->alloc, R.node_values);
    efc__free(&ix->alloc, (void *)R.fit);
    efc__free(&ix->alloc, (void *)R.child_cols);
    efc__free(&ix->alloc, R.child_index);
    efc__free(&ix->alloc, R.panel.slot);
    for (size_t i = 0; i < R.ngroup_cols; i++)
        free_group_ids(&ix->alloc, &R.groups[i]);
    efc__free(&ix->alloc, R.groups);
    if (st) {
        efc_index_free(ix);
        return st;
    }
    *out = ix;
    return EFC_OK;
}
