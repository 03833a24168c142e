/* Combining the rows of one actor and period (several stakeholders
 * answering for one organisation): each item is the mean or the median of
 * the answers given, after clamping each answer to the goalposts. Rows of a
 * key may be anywhere in the file, so everything is kept until the end:
 * sums and counts per key for the mean, every value for the median. The
 * combined rows come out in the order of their first row. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "strmap.h"
#include "survey_internal.h"

typedef struct entry {
    char *key; /* id, 0x1F, period text: also the map key */
    size_t id_len;
    char **groups;
    double period_value;
    size_t line;
    size_t respondents;
    size_t clamped; /* values clamped in its rows */
    int conflict;   /* grouping values differed between its rows */
} entry;

struct efc__combiner {
    efc_combine method;
    size_t leaves;
    entry *entries;
    size_t count, cap;
    efc__strmap index;
    double *sum; /* mean: count x leaves */
    uint32_t *n;
    size_t sum_cap; /* entries the sums can hold */
    double *values; /* median: every row's values */
    size_t *row_entry;
    size_t nrows, rows_cap, values_cap;
    size_t *order; /* median: rows grouped by entry, built at the first emit */
    size_t *first;
    double *scratch;
    double *row; /* the row being added, clamped (the consumer's own) */
    size_t emitted;
};

efc_status efc__combiner_create(efc_survey *s, efc_error *err)
{
    efc__combiner *c = efc__malloc(&s->alloc, sizeof *c);
    if (!c)
        return efc__nomem(err);
    memset(c, 0, sizeof *c);
    c->method = s->opts->combine;
    c->leaves = efc_model_leaf_count(s->model);
    efc__strmap_init(&c->index);
    s->comb = c;
    c->row = efc__alloc_array(&s->alloc, c->leaves ? c->leaves : 1, sizeof(double));
    return c->row ? EFC_OK : efc__nomem(err);
}

void efc__combiner_free(efc_survey *s)
{
    efc__combiner *c = s->comb;
    if (!c)
        return;
    const efc_allocator *a = &s->alloc;
    for (size_t i = 0; i < c->count; i++) {
        efc__free(a, c->entries[i].key);
        for (size_t g = 0; c->entries[i].groups && g < s->ngroups; g++)
            efc__free(a, c->entries[i].groups[g]);
        efc__free(a, c->entries[i].groups);
    }
    efc__free(a, c->entries);
    efc__strmap_free(&c->index, a);
    efc__free(a, c->sum);
    efc__free(a, c->n);
    efc__free(a, c->values);
    efc__free(a, c->row_entry);
    efc__free(a, c->order);
    efc__free(a, c->first);
    efc__free(a, c->scratch);
    efc__free(a, c->row);
    efc__free(a, c);
    s->comb = NULL;
}

/* The strings of row r of a unit: id, period, then the groups. */
static const char *row_text(const efc_batch *b, size_t r, size_t k)
{
    return b->text.data + b->str[r * (2 + b->ngroups) + k];
}

static efc_status new_entry(efc_survey *s, const efc_batch *b, size_t r, const char *key,
                            size_t id_len, size_t *out, efc_error *err)
{
    efc__combiner *c = s->comb;
    const efc_allocator *a = &s->alloc;
    if (!efc__grow(a, (void **)&c->entries, &c->cap, c->count + 1, sizeof *c->entries))
        return efc__nomem(err);
    entry *e = &c->entries[c->count];
    memset(e, 0, sizeof *e);
    e->key = efc__strdup(a, key);
    e->groups = efc__alloc_array(a, s->ngroups ? s->ngroups : 1, sizeof *e->groups);
    if (e->groups)
        memset(e->groups, 0, (s->ngroups ? s->ngroups : 1) * sizeof *e->groups);
    int ok = e->key && e->groups;
    for (size_t g = 0; ok && g < s->ngroups; g++)
        ok = (e->groups[g] = efc__strdup(a, row_text(b, r, 2 + g))) != NULL;
    if (ok && c->method == EFC_COMBINE_MEAN && c->count + 1 > c->sum_cap) {
        size_t cap = c->sum_cap ? c->sum_cap + c->sum_cap / 2 : 64; /* by half: RSS */
        double *sum = efc__realloc_array(a, c->sum, cap, c->leaves * sizeof(double));
        if (sum)
            c->sum = sum;
        uint32_t *n = efc__realloc_array(a, c->n, cap, c->leaves * sizeof(uint32_t));
        if (n)
            c->n = n;
        ok = sum && n;
        if (ok)
            c->sum_cap = cap;
    }
    if (!ok || !efc__strmap_put(&c->index, a, e->key, c->count)) {
        efc__free(a, e->key);
        for (size_t g = 0; e->groups && g < s->ngroups; g++)
            efc__free(a, e->groups[g]);
        efc__free(a, e->groups);
        return efc__nomem(err);
    }
    if (c->method == EFC_COMBINE_MEAN)
        for (size_t j = 0; j < c->leaves; j++) {
            c->sum[c->count * c->leaves + j] = 0;
            c->n[c->count * c->leaves + j] = 0;
        }
    e->id_len = id_len;
    e->period_value = b->period_values[r];
    e->line = b->lines[r];
    *out = c->count++;
    return EFC_OK;
}

efc_status efc__combiner_add(efc_survey *s, const efc_batch *b, size_t r, efc_error *err)
{
    efc__combiner *c = s->comb;
    const efc_allocator *a = &s->alloc;
    const char *id = row_text(b, r, 0), *period = row_text(b, r, 1);
    size_t id_len = strlen(id), plen = strlen(period);
    char *key = efc__malloc(a, id_len + plen + 2);
    if (!key)
        return efc__nomem(err);
    memcpy(key, id, id_len);
    key[id_len] = 0x1F; /* cannot occur in an id: control characters are rejected */
    memcpy(key + id_len + 1, period, plen + 1);
    size_t k = efc__strmap_get(&c->index, key);
    efc_status st = EFC_OK;
    if (k == EFC_NO_NODE)
        st = new_entry(s, b, r, key, id_len, &k, err);
    efc__free(a, key);
    if (st)
        return st;
    entry *e = &c->entries[k];
    for (size_t g = 0; e->respondents > 0 && !e->conflict && g < s->ngroups; g++)
        if (strcmp(e->groups[g], row_text(b, r, 2 + g)) != 0) {
            e->conflict = 1;
            s->conflicts++;
        }
    e->respondents++;
    e->clamped += b->row_clamped[r];
    /* Clamp each answer before combining: one respondent's out-of-range
     * answer counts as the goalpost, as it would alone. */
    const double *v = b->values + r * b->leaves;
    for (size_t j = 0; j < c->leaves; j++) {
        double x = v[j];
        const efc__plan_leaf *pl = &s->model->plan_leaves[j];
        c->row[j] = isnan(x) ? x : x < pl->min ? pl->min : x > pl->max ? pl->max : x;
    }
    if (c->method == EFC_COMBINE_MEAN) {
        for (size_t j = 0; j < c->leaves; j++)
            if (!isnan(c->row[j])) {
                c->sum[k * c->leaves + j] += c->row[j];
                c->n[k * c->leaves + j]++;
            }
        return EFC_OK;
    }
    if (!efc__grow(a, (void **)&c->row_entry, &c->rows_cap, c->nrows + 1, sizeof(size_t)) ||
        !efc__grow(a, (void **)&c->values, &c->values_cap, (c->nrows + 1) * c->leaves,
                   sizeof(double)))
        return efc__nomem(err);
    c->row_entry[c->nrows] = k;
    memcpy(c->values + c->nrows * c->leaves, c->row, c->leaves * sizeof(double));
    c->nrows++;
    return EFC_OK;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Rows of each entry, contiguous: first[k] .. first[k + 1] in order. */
static efc_status group_rows(efc_survey *s, efc_error *err)
{
    efc__combiner *c = s->comb;
    const efc_allocator *a = &s->alloc;
    c->order = efc__alloc_array(a, c->nrows ? c->nrows : 1, sizeof(size_t));
    c->first = efc__alloc_array(a, c->count + 1, sizeof(size_t));
    c->scratch = efc__alloc_array(a, c->nrows ? c->nrows : 1, sizeof(double));
    if (!c->order || !c->first || !c->scratch)
        return efc__nomem(err);
    memset(c->first, 0, (c->count + 1) * sizeof(size_t));
    for (size_t r = 0; r < c->nrows; r++)
        c->first[c->row_entry[r] + 1]++;
    for (size_t k = 0; k < c->count; k++)
        c->first[k + 1] += c->first[k];
    size_t *next = efc__alloc_array(a, c->count ? c->count : 1, sizeof(size_t));
    if (!next)
        return efc__nomem(err);
    memcpy(next, c->first, c->count * sizeof(size_t));
    for (size_t r = 0; r < c->nrows; r++) /* in file order within each entry */
        c->order[next[c->row_entry[r]]++] = r;
    efc__free(a, next);
    return EFC_OK;
}

static void combined_values(efc__combiner *c, size_t k, double *out)
{
    for (size_t j = 0; j < c->leaves; j++) {
        if (c->method == EFC_COMBINE_MEAN) {
            uint32_t n = c->n[k * c->leaves + j];
            out[j] = n ? c->sum[k * c->leaves + j] / (double)n : NAN;
            continue;
        }
        size_t m = 0;
        for (size_t i = c->first[k]; i < c->first[k + 1]; i++) {
            double x = c->values[c->order[i] * c->leaves + j];
            if (!isnan(x))
                c->scratch[m++] = x;
        }
        if (m == 0) {
            out[j] = NAN;
            continue;
        }
        qsort(c->scratch, m, sizeof(double), by_value);
        out[j] = m % 2 ? c->scratch[m / 2] : (c->scratch[m / 2 - 1] + c->scratch[m / 2]) / 2;
    }
}

efc_status efc__combiner_emit(efc_survey *s, efc_batch *b, efc_error *err)
{
    efc__combiner *c = s->comb;
    efc_status st;
    if (c->method == EFC_COMBINE_MEDIAN && !c->order && (st = group_rows(s, err)))
        return st;
    while (c->emitted < c->count && !efc__batch_full(b)) {
        entry *e = &c->entries[c->emitted];
        const char *period = e->key + e->id_len + 1;
        size_t r = efc__batch_add_row(b, e->key, e->id_len, period, e->period_value, e->line,
                                      e->respondents, e->clamped);
        if (r == EFC_NO_NODE)
            return efc__nomem(err);
        for (size_t g = 0; g < s->ngroups; g++)
            if (!efc__batch_add_group(b, r, g, e->groups[g], strlen(e->groups[g])))
                return efc__nomem(err);
        combined_values(c, c->emitted, b->values + r * b->leaves);
        c->emitted++;
    }
    return EFC_OK;
}
