/* Panels: building (rows in any order, strings interned), finalizing (sort
 * by actor and period, refuse duplicates) and reading. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "panel_internal.h"
#include "survey_internal.h"

#define DAYS_PER_YEAR 365.2425

efc_status efc_panel_create(efc_panel **out, const efc_model *model, const efc_allocator *alloc,
                            efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!efc_model_is_finalized(model))
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized");
    efc_status made;
    efc_panel *p = EFC__NEW(efc_panel, alloc, &made, err);
    if (!p)
        return made;
    p->model = model;
    p->nodes = efc_model_node_count(model);
    p->date_format = EFC_DATE_FORMAT_ISO;
    p->decimal = '.';
    efc__strmap_init(&p->actor_map);
    efc__strmap_init(&p->period_map);
    efc__strmap_init(&p->value_map);
    p->source = efc__strdup(&p->alloc, "");
    /* grouping value 0 is "": no group */
    p->values = efc__alloc_array(&p->alloc, 8, sizeof *p->values);
    if (!p->source || !p->values || !(p->values[0] = efc__strdup(&p->alloc, ""))) {
        efc_panel_free(p);
        return efc__nomem(err);
    }
    p->values_cap = 8;
    p->nvalues = 1;
    if (!efc__strmap_put(&p->value_map, &p->alloc, p->values[0], 0)) {
        efc_panel_free(p);
        return efc__nomem(err);
    }
    *out = p;
    return EFC_OK;
}

efc_status efc_panel_create_for_survey(efc_panel **out, const efc_survey *survey,
                                       const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!survey)
        return efc__fail(err, EFC_ERR_ARGUMENT, "survey is NULL");
    efc_panel *p;
    efc_status st = efc_panel_create(&p, survey->model, alloc, err);
    if (st)
        return st;
    /* periods named later (a period to rank) may be written as in the survey */
    p->date_format = survey->opts->date_format;
    p->decimal = survey->opts->decimal_comma ? ',' : '.';
    if (!(st = efc_panel_set_source(p, survey->in.name, err)))
        for (size_t g = 0; g < efc_survey_group_count(survey) && !st; g++)
            st = efc_panel_add_group_column(
                p, efc_survey_column_name(survey, efc_survey_group_column(survey, g)), err);
    if (st) {
        efc_panel_free(p);
        return st;
    }
    *out = p;
    return EFC_OK;
}

void efc_panel_free(efc_panel *p)
{
    if (!p)
        return;
    const efc_allocator *a = &p->alloc;
    for (size_t i = 0; i < p->nactors; i++)
        efc__free(a, p->actors[i]);
    for (size_t i = 0; i < p->nperiods; i++)
        efc__free(a, p->periods[i].text);
    for (size_t i = 0; i < p->nvalues; i++)
        efc__free(a, p->values[i]);
    for (size_t g = 0; g < p->ngroups; g++)
        efc__free(a, p->group_names[g]);
    efc__free(a, p->actors);
    efc__free(a, p->periods);
    efc__free(a, p->values);
    efc__free(a, p->group_names);
    efc__strmap_free(&p->actor_map, a);
    efc__strmap_free(&p->period_map, a);
    efc__strmap_free(&p->value_map, a);
    efc__free(a, p->row_actor);
    efc__free(a, p->row_period);
    efc__free(a, p->row_line);
    efc__free(a, p->row_groups);
    efc__free(a, p->scores);
    efc__free(a, p->first);
    efc__free(a, p->count);
    efc__free(a, p->source);
    efc__free(a, p);
}

efc_status efc_panel_set_source(efc_panel *p, const char *name, efc_error *err)
{
    if (!p || !name)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel or name is NULL");
    char *s = efc__strdup(&p->alloc, name);
    if (!s)
        return efc__nomem(err);
    efc__free(&p->alloc, p->source);
    p->source = s;
    return EFC_OK;
}

efc_status efc_panel_add_group_column(efc_panel *p, const char *name, efc_error *err)
{
    if (!p || !name || !*name)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel is NULL or name is empty");
    if (p->nrows || p->finalized)
        return efc__fail(err, EFC_ERR_STATE,
                         "grouping columns must be added before the assessments");
    for (size_t g = 0; g < p->ngroups; g++)
        if (strcmp(p->group_names[g], name) == 0)
            return efc__fail(err, EFC_ERR_ARGUMENT, "grouping column '%s' is already there", name);
    char **names = efc__realloc_array(&p->alloc, p->group_names, p->ngroups + 1, sizeof *names);
    if (!names)
        return efc__nomem(err);
    p->group_names = names;
    if (!(names[p->ngroups] = efc__strdup(&p->alloc, name)))
        return efc__nomem(err);
    p->ngroups++;
    return EFC_OK;
}

/* ---- adding rows ---- */

/* The index of an interned string, adding it when new; EFC_NONE when out of memory. */
static size_t intern(efc_panel *p, efc__strmap *map, char ***table, size_t *n, size_t *cap,
                     const char *s)
{
    size_t k = efc__strmap_get(map, s);
    if (k != EFC_NONE)
        return k;
    if (!efc__grow(&p->alloc, (void **)table, cap, *n + 1, sizeof **table))
        return EFC_NONE;
    char *copy = efc__strdup(&p->alloc, s);
    if (!copy)
        return EFC_NONE;
    if (!efc__strmap_put(map, &p->alloc, copy, *n)) {
        efc__free(&p->alloc, copy);
        return EFC_NONE;
    }
    (*table)[*n] = copy;
    return (*n)++;
}

const char *efc__panel_parse_period(const efc_panel *p, const char *text, efc__period *out)
{
    /* the canonical forms first (what batches give), then as the survey wrote them */
    const char *why = efc__parse_period(text, strlen(text), EFC_DATE_FORMAT_ISO, '.', out);
    if (why && (p->date_format != EFC_DATE_FORMAT_ISO || p->decimal != '.'))
        why = efc__parse_period(text, strlen(text), p->date_format, p->decimal, out);
    if (why)
        return why;
    if (out->kind == EFC_PERIOD_NONE)
        return "is empty (every assessment needs a period)";
    if (p->kind != EFC_PERIOD_NONE && out->kind != p->kind)
        return out->kind == EFC_PERIOD_DATE ? "is a date, but the earlier periods are numbers"
                                            : "is a number, but the earlier periods are dates";
    return NULL;
}

/* The index of a period given as text, interned by its canonical text, and
 * its kind. A new period is interned even if the row it came with is not
 * added in the end: an unused entry is harmless. */
static efc_status intern_period(efc_panel *p, const char *text, size_t line, size_t *out,
                                efc_period_kind *kind, efc_error *err)
{
    if ((*out = efc__strmap_get(&p->period_map, text)) != EFC_NONE) {
        *kind = p->kind; /* the common case: the text is canonical and known */
        return EFC_OK;
    }
    efc__period per;
    const char *why = efc__panel_parse_period(p, text, &per);
    if (why) {
        efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_BAD_PERIOD, "period '%s' %s", text, why);
        efc__locate(err, p->source, line, 0, NULL);
        return EFC_ERR_VALUE;
    }
    *kind = per.kind;
    /* several spellings of one period ("2024", "2024.0") share one entry */
    if ((*out = efc__strmap_get(&p->period_map, per.text)) != EFC_NONE)
        return EFC_OK;
    if (!efc__grow(&p->alloc, (void **)&p->periods, &p->periods_cap, p->nperiods + 1,
                   sizeof *p->periods))
        return efc__nomem(err);
    char *copy = efc__strdup(&p->alloc, per.text);
    if (!copy)
        return efc__nomem(err);
    if (!efc__strmap_put(&p->period_map, &p->alloc, copy, p->nperiods)) {
        efc__free(&p->alloc, copy);
        return efc__nomem(err);
    }
    p->periods[p->nperiods].text = copy;
    p->periods[p->nperiods].value = per.value;
    *out = p->nperiods++;
    return EFC_OK;
}

static int grow_rows(efc_panel *p)
{
    if (p->nrows < p->rows_cap)
        return 1;
    size_t cap = p->rows_cap ? p->rows_cap * 2 : 64;
    if (cap < p->rows_cap || (p->ngroups && cap > SIZE_MAX / p->ngroups))
        return 0;
    /* each array is replaced as soon as it has grown, so that a failure
     * leaves every array at least rows_cap long */
    size_t *ra = efc__realloc_array(&p->alloc, p->row_actor, cap, sizeof *ra);
    if (ra)
        p->row_actor = ra;
    size_t *rp = efc__realloc_array(&p->alloc, p->row_period, cap, sizeof *rp);
    if (rp)
        p->row_period = rp;
    size_t *rl = efc__realloc_array(&p->alloc, p->row_line, cap, sizeof *rl);
    if (rl)
        p->row_line = rl;
    size_t *rg = NULL;
    if (p->ngroups &&
        (rg = efc__realloc_array(&p->alloc, p->row_groups, cap * p->ngroups, sizeof *rg)) != NULL)
        p->row_groups = rg;
    double *sc = efc__realloc_array(&p->alloc, p->scores, cap, p->nodes * sizeof *sc);
    if (sc)
        p->scores = sc;
    if (!ra || !rp || !rl || (p->ngroups && !rg) || !sc)
        return 0;
    p->rows_cap = cap;
    return 1;
}

efc_status efc_panel_add(efc_panel *p, const char *actor, const char *period,
                         const char *const *groups, const double *scores, size_t line,
                         efc_error *err)
{
    if (!p || !actor || !period || !scores || (p->ngroups && !groups))
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel, actor, period, groups or scores is NULL");
    if (p->finalized || p->broken)
        return efc__fail(err, EFC_ERR_STATE, "the panel is finalized: no more assessments");
    if (!*actor) {
        efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_EMPTY_ID, "the actor's id is empty");
        efc__locate(err, p->source, line, 0, NULL);
        return EFC_ERR_VALUE;
    }
    /* a fitted model's scores are on its normalisations' scales (0..100,
     * or beyond the fitted range for a new unit): any finite score */
    int any = p->model->row_steps;
    for (size_t k = 0; k < p->nodes; k++) {
        if (!(isnan(scores[k]) || (any ? isfinite(scores[k]) : scores[k] >= 0 && scores[k] <= 1))) {
            char b[EFC__NUMBER_BUF];
            efc__fmt_number(scores[k], b);
            efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE,
                        any ? "node '%s': score %s is not finite"
                            : "node '%s': score %s is outside [0, 1]",
                        efc_model_node_id(p->model, k), b);
            efc__locate(err, p->source, line, 0, NULL);
            return EFC_ERR_VALUE;
        }
    }
    /* everything that may fail first, the actor last: a failure leaves no
     * actor without assessments (unused periods and values are harmless) */
    size_t per;
    efc_period_kind kind;
    efc_status st = intern_period(p, period, line, &per, &kind, err);
    if (st)
        return st;
    if (!grow_rows(p))
        return efc__nomem(err);
    size_t r = p->nrows;
    for (size_t g = 0; g < p->ngroups; g++) {
        size_t v = intern(p, &p->value_map, &p->values, &p->nvalues, &p->values_cap,
                          groups[g] ? groups[g] : "");
        if (v == EFC_NONE)
            return efc__nomem(err);
        p->row_groups[r * p->ngroups + g] = v;
    }
    size_t a = intern(p, &p->actor_map, &p->actors, &p->nactors, &p->actors_cap, actor);
    if (a == EFC_NONE)
        return efc__nomem(err);
    p->kind = kind;
    p->row_actor[r] = a;
    p->row_period[r] = per;
    p->row_line[r] = line;
    memcpy(p->scores + r * p->nodes, scores, p->nodes * sizeof *scores);
    p->nrows++;
    return EFC_OK;
}

efc_status efc_panel_add_batch(efc_panel *p, const efc_batch *b, efc_error *err)
{
    if (!p || !b)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel or batch is NULL");
    if (b->survey->model != p->model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "the batch was scored with another model");
    if (b->ngroups != p->ngroups)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "the batch has %zu grouping columns and the panel %zu", b->ngroups,
                         p->ngroups);
    const char *stack[8];
    const char **groups =
        p->ngroups <= 8 ? stack : efc__alloc_array(&p->alloc, p->ngroups, sizeof *groups);
    if (!groups)
        return efc__nomem(err);
    efc_status st = EFC_OK;
    for (size_t r = 0; r < b->rows && !st; r++) {
        for (size_t g = 0; g < p->ngroups; g++)
            groups[g] = efc_batch_group(b, r, g);
        st = efc_panel_add(p, efc_batch_id(b, r), efc_batch_period(b, r), groups,
                           efc_batch_scores(b) + r * b->nodes, efc_batch_line(b, r), err);
    }
    if (groups != stack)
        efc__free(&p->alloc, (void *)groups);
    return st;
}

/* ---- finalizing ---- */

typedef struct sort_item {
    size_t actor; /* rank of the actor's id */
    double period;
    size_t row;
} sort_item;

static int by_actor_period(const void *x, const void *y)
{
    const sort_item *a = x, *b = y;
    if (a->actor != b->actor)
        return a->actor < b->actor ? -1 : 1;
    if (a->period != b->period)
        return a->period < b->period ? -1 : 1;
    return a->row < b->row ? -1 : a->row > b->row;
}

typedef struct id_item {
    const char *id;
    size_t index;
} id_item;

static int by_id(const void *x, const void *y)
{
    return strcmp(((const id_item *)x)->id, ((const id_item *)y)->id);
}

/* Put the rows in `order` in place, following the permutation's cycles, so
 * that sorting needs one row of scratch rather than a second panel (the
 * arrays' unused capacity, never written, costs no memory). order[i].row is
 * the row that goes to place i; it is overwritten (EFC_NONE once placed). */
static int permute(efc_panel *p, sort_item *order)
{
    size_t n = p->nrows, ng = p->ngroups, nodes = p->nodes;
    size_t *tmp_groups = ng ? efc__alloc_array(&p->alloc, ng, sizeof *tmp_groups) : NULL;
    double *tmp_scores = efc__alloc_array(&p->alloc, nodes ? nodes : 1, sizeof *tmp_scores);
    if ((ng && !tmp_groups) || !tmp_scores) {
        efc__free(&p->alloc, tmp_groups);
        efc__free(&p->alloc, tmp_scores);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (order[i].row == EFC_NONE || order[i].row == i) {
            order[i].row = EFC_NONE;
            continue;
        }
        /* row i aside; then each place takes the row it wants, around the cycle */
        size_t period = p->row_period[i], line = p->row_line[i];
        if (ng)
            memcpy(tmp_groups, p->row_groups + i * ng, ng * sizeof *tmp_groups);
        memcpy(tmp_scores, p->scores + i * nodes, nodes * sizeof *tmp_scores);
        size_t j = i;
        for (;;) {
            size_t k = order[j].row;
            order[j].row = EFC_NONE;
            if (k == i) {
                p->row_period[j] = period;
                p->row_line[j] = line;
                if (ng)
                    memcpy(p->row_groups + j * ng, tmp_groups, ng * sizeof *tmp_groups);
                memcpy(p->scores + j * nodes, tmp_scores, nodes * sizeof *tmp_scores);
                break;
            }
            p->row_period[j] = p->row_period[k];
            p->row_line[j] = p->row_line[k];
            if (ng)
                memcpy(p->row_groups + j * ng, p->row_groups + k * ng, ng * sizeof *tmp_groups);
            memcpy(p->scores + j * nodes, p->scores + k * nodes, nodes * sizeof *tmp_scores);
            j = k;
        }
    }
    for (size_t i = 0; i < n; i++)
        p->row_actor[i] = order[i].actor;
    efc__free(&p->alloc, tmp_groups);
    efc__free(&p->alloc, tmp_scores);
    return 1;
}

static efc_status duplicate(efc_panel *p, size_t a, size_t r1, size_t r2, efc_error *err)
{
    size_t l1 = p->row_line[r1], l2 = p->row_line[r2];
    if (l1 > l2) {
        size_t t = l1;
        l1 = l2;
        l2 = t;
    }
    const char *per = p->periods[p->row_period[r1]].text;
    if (l1 && l2)
        efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_DUPLICATE_ASSESSMENT,
                    "actor '%s' has two assessments for period %s, lines %zu and %zu (combine "
                    "the rows of several respondents first)",
                    p->actors[a], per, l1, l2);
    else
        efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_DUPLICATE_ASSESSMENT,
                    "actor '%s' has two assessments for period %s", p->actors[a], per);
    efc__locate(err, p->source, l2, 0, NULL);
    efc__other(err, l1, 0); /* the first (l1 <= l2: 0 unless both have a line) */
    return EFC_ERR_VALUE;
}

efc_status efc_panel_finalize(efc_panel *p, efc_error *err)
{
    if (!p)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel is NULL");
    if (p->finalized || p->broken)
        return efc__fail(err, EFC_ERR_STATE, "the panel is already finalized");
    efc_status st = EFC_OK;
    size_t na = p->nactors, n = p->nrows;
    id_item *ids = efc__alloc_array(&p->alloc, na ? na : 1, sizeof *ids);
    size_t *rank = efc__alloc_array(&p->alloc, na ? na : 1, sizeof *rank);
    char **sorted = efc__alloc_array(&p->alloc, na ? na : 1, sizeof *sorted);
    sort_item *order = efc__alloc_array(&p->alloc, n ? n : 1, sizeof *order);
    p->first = efc__alloc_array(&p->alloc, na ? na : 1, sizeof *p->first);
    p->count = efc__alloc_array(&p->alloc, na ? na : 1, sizeof *p->count);
    if (!ids || !rank || !sorted || !order || !p->first || !p->count) {
        st = efc__nomem(err);
        goto done;
    }
    /* actors in byte order of their ids */
    for (size_t a = 0; a < na; a++) {
        ids[a].id = p->actors[a];
        ids[a].index = a;
    }
    qsort(ids, na, sizeof *ids, by_id);
    for (size_t k = 0; k < na; k++) {
        rank[ids[k].index] = k;
        sorted[k] = p->actors[ids[k].index];
    }
    /* rows by actor, then period */
    for (size_t r = 0; r < n; r++) {
        order[r].actor = rank[p->row_actor[r]];
        order[r].period = p->periods[p->row_period[r]].value;
        order[r].row = r;
    }
    qsort(order, n, sizeof *order, by_actor_period);
    for (size_t i = 1; i < n; i++)
        if (order[i].actor == order[i - 1].actor && order[i].period == order[i - 1].period) {
            st = duplicate(p, ids[order[i].actor].index, order[i - 1].row, order[i].row, err);
            goto done;
        }
    if (!permute(p, order)) {
        st = efc__nomem(err);
        goto done;
    }
    /* the actor table and its map follow the new order (none when empty) */
    if (na)
        memcpy(p->actors, sorted, na * sizeof *sorted);
    for (size_t a = 0; a < na; a++) {
        p->first[a] = 0;
        p->count[a] = 0;
    }
    for (size_t i = n; i-- > 0;) {
        p->first[p->row_actor[i]] = i;
        p->count[p->row_actor[i]]++;
    }
    efc__strmap_free(&p->actor_map, &p->alloc);
    for (size_t a = 0; a < na; a++)
        if (!efc__strmap_put(&p->actor_map, &p->alloc, p->actors[a], a)) {
            st = efc__nomem(err);
            goto done;
        }
    p->finalized = 1;
done:
    efc__free(&p->alloc, ids);
    efc__free(&p->alloc, rank);
    efc__free(&p->alloc, sorted);
    efc__free(&p->alloc, order);
    if (st)
        p->broken = 1;
    return st;
}

/* ---- reading ---- */

int efc_panel_is_finalized(const efc_panel *p)
{
    return p && p->finalized;
}

const efc_model *efc_panel_model(const efc_panel *p)
{
    return p ? p->model : NULL;
}

efc_period_kind efc_panel_period_kind(const efc_panel *p)
{
    return p ? p->kind : EFC_PERIOD_NONE;
}

size_t efc_panel_group_column_count(const efc_panel *p)
{
    return p ? p->ngroups : 0;
}

const char *efc_panel_group_column(const efc_panel *p, size_t g)
{
    return p && g < p->ngroups ? p->group_names[g] : NULL;
}

size_t efc_panel_size(const efc_panel *p)
{
    return p ? p->nrows : 0;
}

size_t efc_panel_actor_count(const efc_panel *p)
{
    return p && p->finalized ? p->nactors : 0;
}

const char *efc_panel_actor(const efc_panel *p, size_t a)
{
    return p && p->finalized && a < p->nactors ? p->actors[a] : NULL;
}

size_t efc_panel_find_actor(const efc_panel *p, const char *id)
{
    return p && p->finalized && id ? efc__strmap_get(&p->actor_map, id) : EFC_NONE;
}

size_t efc_panel_assessment_count(const efc_panel *p, size_t a)
{
    return p && p->finalized && a < p->nactors ? p->count[a] : 0;
}

/* The row of assessment i of actor a, or EFC_NONE. */
static size_t row_of(const efc_panel *p, size_t a, size_t i)
{
    if (!p || !p->finalized || a >= p->nactors || i >= p->count[a])
        return EFC_NONE;
    return p->first[a] + i;
}

const char *efc_panel_period(const efc_panel *p, size_t a, size_t i)
{
    size_t r = row_of(p, a, i);
    return r == EFC_NONE ? NULL : p->periods[p->row_period[r]].text;
}

double efc_panel_period_value(const efc_panel *p, size_t a, size_t i)
{
    size_t r = row_of(p, a, i);
    return r == EFC_NONE ? NAN : p->periods[p->row_period[r]].value;
}

const char *efc_panel_group(const efc_panel *p, size_t a, size_t i, size_t g)
{
    size_t r = row_of(p, a, i);
    return r == EFC_NONE || g >= p->ngroups ? NULL : p->values[p->row_groups[r * p->ngroups + g]];
}

size_t efc_panel_line(const efc_panel *p, size_t a, size_t i)
{
    size_t r = row_of(p, a, i);
    return r == EFC_NONE ? 0 : p->row_line[r];
}

double efc_panel_score(const efc_panel *p, size_t a, size_t i, size_t node)
{
    size_t r = row_of(p, a, i);
    return r == EFC_NONE || node >= p->nodes ? NAN : p->scores[r * p->nodes + node];
}

size_t efc_panel_find_period(const efc_panel *p, size_t a, const char *period)
{
    if (!p || !p->finalized || a >= p->nactors || !period)
        return EFC_NONE;
    efc__period per;
    if (efc__panel_parse_period(p, period, &per))
        return EFC_NONE;
    double value = per.value;
    /* the actor's periods are sorted: bisect */
    size_t lo = 0, hi = p->count[a];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->periods[p->row_period[p->first[a] + mid]].value < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->count[a] && p->periods[p->row_period[p->first[a] + lo]].value == value)
        return lo;
    return EFC_NONE;
}

double efc__panel_time(const efc_panel *p, size_t row)
{
    return p->periods[p->row_period[row]].value;
}

double efc__panel_time_unit(const efc_panel *p)
{
    return p->kind == EFC_PERIOD_DATE ? DAYS_PER_YEAR : 1;
}
