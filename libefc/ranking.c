/* Ranks and peer statistics: each actor's score on a node at a period,
 * ranked over all actors and within the groups of each grouping column,
 * and the spread of every node's scores in each group. Ties are scores
 * equal once rounded to 12 decimals, or to the options' decimals
 * (efc/trajectory.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "fill.h"
#include "panel_internal.h"
#include "quantile.h"

enum { NMETRICS = EFC_RANK_CHANGE_PEERS + 1, NSTATS = EFC_GROUP_MEAN + 1 };

/* The groups of one grouping column (or of all actors). */
typedef struct column {
    size_t ngroups;
    size_t *value;       /* per group: the panel's value index */
    size_t *actor_group; /* per actor: its group, or EFC_NONE */
    size_t *start;       /* per group + 1: where its actors start in members */
    size_t *members;     /* actors by group */
    double *metrics;     /* per actor: NMETRICS values */
    double *stats;       /* per group and node: NSTATS values */
} column;

struct efc_ranking {
    efc_allocator alloc;
    const efc_panel *panel;
    size_t node;
    int decimals;    /* -1: none */
    size_t *chosen;  /* per actor: the assessment ranked, or EFC_NONE */
    double *scores;  /* per actor: the score ranked and its change */
    column *columns; /* 0: all actors; 1 + g: grouping column g */
    size_t ncolumns; /* kept here: freeing reads nothing of the panel, which may be gone */
};

/* ---- ranks ---- */

typedef struct keyed {
    int64_t key;
    size_t actor;
} keyed;

static int by_key_desc(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return a->actor < b->actor ? -1 : a->actor > b->actor;
}

/* Rank items[0..n) (one comparison set) into metrics at rank_m and
 * percentile_m, and the set's size at peers_m. Competition ranking: the
 * rank is 1 + the items above; the percentile counts the items below and
 * half the items tied, self included. */
static void rank_set(keyed *items, size_t n, double *metrics, int rank_m, int pct_m, int peers_m)
{
    qsort(items, n, sizeof *items, by_key_desc);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && items[j].key == items[i].key)
            j++;
        size_t tied = j - i, below = n - j;
        for (size_t t = i; t < j; t++) {
            double *m = metrics + items[t].actor * NMETRICS;
            m[rank_m] = (double)(i + 1);
            m[pct_m] = 100.0 * ((double)below + 0.5 * (double)tied) / (double)n;
            m[peers_m] = (double)n;
        }
        i = j;
    }
}

/* The key a score or change is ranked on: its 12 printed decimals, or the
 * ranking's decimals (the scores are rounded already: the key is exact). */
static int64_t rank_key(const efc_ranking *r, double x)
{
    int64_t key = efc__score_key(x);
    return r->decimals < 0 ? key : efc__key_round(key, r->decimals);
}

/* Rank the actors of one group of a column on their score and on their
 * change. */
static void rank_group(const efc_ranking *r, column *c, size_t group, keyed *buf)
{
    const double *sc = r->scores;
    size_t n = 0, nc = 0;
    for (size_t i = c->start[group]; i < c->start[group + 1]; i++) {
        size_t a = c->members[i];
        if (!isnan(sc[2 * a]))
            buf[n++] = (keyed){rank_key(r, sc[2 * a]), a};
    }
    rank_set(buf, n, c->metrics, EFC_RANK_RANK, EFC_RANK_PERCENTILE, EFC_RANK_PEERS);
    for (size_t i = c->start[group]; i < c->start[group + 1]; i++) {
        size_t a = c->members[i];
        if (!isnan(sc[2 * a + 1]))
            buf[nc++] = (keyed){rank_key(r, sc[2 * a + 1]), a};
    }
    rank_set(buf, nc, c->metrics, EFC_RANK_CHANGE_RANK, EFC_RANK_CHANGE_PERCENTILE,
             EFC_RANK_CHANGE_PEERS);
}

/* ---- statistics ---- */

static void group_stats(const efc_ranking *r, const column *c, size_t group, double *buf,
                        double *out)
{
    const efc_panel *p = r->panel;
    for (size_t k = 0; k < p->nodes; k++) {
        size_t n = 0;
        double sum = 0;
        for (size_t i = c->start[group]; i < c->start[group + 1]; i++) {
            size_t a = c->members[i];
            double y = efc__panel_score(p, efc__panel_row(p, a, r->chosen[a]), k);
            if (!isnan(y)) {
                buf[n++] = y;
                sum += y;
            }
        }
        double *s = out + k * NSTATS;
        s[EFC_GROUP_COUNT] = (double)n;
        if (!n) {
            for (int m = 1; m < NSTATS; m++)
                s[m] = NAN;
            continue;
        }
        qsort(buf, n, sizeof *buf, efc__by_double);
        s[EFC_GROUP_MIN] = buf[0];
        s[EFC_GROUP_Q1] = efc__quantile_sorted(buf, n, 0.25);
        s[EFC_GROUP_MEDIAN] = efc__quantile_sorted(buf, n, 0.5);
        s[EFC_GROUP_Q3] = efc__quantile_sorted(buf, n, 0.75);
        s[EFC_GROUP_MAX] = buf[n - 1];
        s[EFC_GROUP_MEAN] = sum / (double)n;
    }
}

/* ---- building ---- */

typedef struct value_item {
    const char *text;
    size_t value;
} value_item;

static int by_text(const void *x, const void *y)
{
    return strcmp(((const value_item *)x)->text, ((const value_item *)y)->text);
}

/* The groups of grouping column g (g = EFC_NONE: one group of all actors
 * with an assessment at the period), their members, and room for the
 * metrics and statistics. slot has one entry per grouping value. */
static int make_column(efc_ranking *r, column *c, size_t g, value_item *items, size_t *slot)
{
    const efc_panel *p = r->panel;
    size_t na = p->nactors;
    c->actor_group = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *c->actor_group);
    c->metrics = efc__alloc_array(&r->alloc, na ? na : 1, NMETRICS * sizeof *c->metrics);
    c->members = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *c->members);
    if (!c->actor_group || !c->metrics || !c->members)
        return 0;
    for (size_t i = 0; i < na * NMETRICS; i++)
        c->metrics[i] = NAN;
    /* each actor's value at its chosen assessment (0 is "": no group) */
    for (size_t a = 0; a < na; a++) {
        size_t v = 0;
        if (r->chosen[a] != EFC_NONE)
            v = g == EFC_NONE ? 1
                              : p->row_groups[efc__panel_row(p, a, r->chosen[a]) * p->ngroups + g];
        c->actor_group[a] = v; /* a value index for now */
    }
    /* the distinct values, in byte order */
    size_t n = 0;
    for (size_t v = 0; v < p->nvalues || v < 2; v++)
        slot[v] = EFC_NONE;
    for (size_t a = 0; a < na; a++) {
        size_t v = c->actor_group[a];
        if (v == 0 || slot[v] != EFC_NONE)
            continue;
        slot[v] = n;
        items[n++] = (value_item){g == EFC_NONE ? "" : p->values[v], v};
    }
    qsort(items, n, sizeof *items, by_text);
    c->ngroups = n;
    c->value = efc__alloc_array(&r->alloc, n ? n : 1, sizeof *c->value);
    c->start = efc__alloc_array(&r->alloc, n + 1, sizeof *c->start);
    c->stats = efc__alloc_array(&r->alloc, n ? n * p->nodes : 1, NSTATS * sizeof *c->stats);
    if (!c->value || !c->start || !c->stats)
        return 0;
    for (size_t i = 0; i < n; i++) {
        c->value[i] = g == EFC_NONE ? 0 : items[i].value;
        slot[items[i].value] = i;
        c->start[i] = 0;
    }
    c->start[n] = 0;
    /* value index -> group, then the members by group (a counting sort) */
    for (size_t a = 0; a < na; a++) {
        size_t v = c->actor_group[a];
        c->actor_group[a] = v == 0 ? EFC_NONE : slot[v];
        if (v != 0)
            c->start[c->actor_group[a] + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        c->start[i + 1] += c->start[i];
    size_t *fill = slot; /* reused: the next free place of each group */
    for (size_t i = 0; i < n; i++)
        fill[i] = c->start[i];
    for (size_t a = 0; a < na; a++)
        if (c->actor_group[a] != EFC_NONE)
            c->members[fill[c->actor_group[a]]++] = a;
    return 1;
}

/* A score rounded to the ranking's decimals (half away from zero, from
 * its 12 printed decimals), as the nearest double; as it is without. */
static double rounded(const efc_ranking *r, double x)
{
    if (r->decimals < 0 || isnan(x))
        return x;
    double unit = 1;
    for (int i = 0; i < r->decimals; i++)
        unit *= 10;
    return (double)efc__key_round(efc__score_key(x), r->decimals) / unit;
}

/* The assessment ranked for each actor, its score and its change (with
 * decimals, both rounded: the change is that of the rounded scores). */
static efc_status choose(efc_ranking *r, const char *period, efc_error *err)
{
    const efc_panel *p = r->panel;
    int latest = !period;
    if (!latest) {
        efc__period per;
        const char *why = efc__panel_parse_period(p, period, &per);
        if (why)
            return efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_BAD_PERIOD, "period '%s' %s", period,
                               why);
    }
    for (size_t a = 0; a < p->nactors; a++) {
        size_t i = latest ? p->count[a] - 1 : efc_panel_find_period(p, a, period);
        double *sc = r->scores + 2 * a;
        r->chosen[a] = i;
        sc[0] = sc[1] = NAN;
        if (i == EFC_NONE)
            continue;
        sc[0] = rounded(r, efc__panel_score(p, efc__panel_row(p, a, i), r->node));
        if (isnan(sc[0]))
            continue;
        for (size_t j = 0; j < i; j++) {
            double y0 = rounded(r, efc__panel_score(p, efc__panel_row(p, a, j), r->node));
            if (!isnan(y0)) {
                sc[1] = rounded(r, sc[0] - y0);
                break;
            }
        }
    }
    return EFC_OK;
}

efc_status efc__options_model_check(const efc_panel *p, const efc_model *options_model,
                                    efc_error *err)
{
    if (options_model != p->model)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "the options were made for another model than the panel's "
                         "(create them with efc_panel_model())");
    return EFC_OK;
}

efc_status efc_ranking_create(efc_ranking **out, const efc_panel *p,
                              const efc_ranking_options *opts, const efc_allocator *alloc,
                              efc_error *err)
{
    if (out)
        *out = NULL;
    if (p && opts) {
        efc_status st = efc__options_model_check(p, opts->base.model, err);
        if (st)
            return st;
    }
    return efc__ranking_create(out, p, opts ? opts->base.node : EFC_NO_NODE,
                               opts ? opts->period : NULL, opts ? opts->decimals : -1, alloc, err);
}

efc_status efc__ranking_create(efc_ranking **out, const efc_panel *p, size_t node,
                               const char *period, int decimals, const efc_allocator *alloc,
                               efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!p)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel is NULL");
    if (!p->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the panel must be finalized");
    if (node == EFC_NO_NODE)
        node = efc_model_root(p->model);
    if (node >= p->nodes)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no node %zu in the model", node);
    efc_status made;
    efc_ranking *r = EFC__NEW(efc_ranking, alloc, &made, err);
    if (!r)
        return made;
    r->panel = p;
    r->node = node;
    r->decimals = decimals;
    size_t na = p->nactors, ncols = 1 + p->ngroups;
    r->chosen = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *r->chosen);
    r->columns = efc__alloc_array(&r->alloc, ncols, sizeof *r->columns);
    if (r->columns) { /* zeroed first: efc_ranking_free() may see it on any failure */
        memset(r->columns, 0, ncols * sizeof *r->columns);
        r->ncolumns = ncols;
    }
    size_t *slot = NULL;
    value_item *items = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *items);
    keyed *keys = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *keys);
    double *buf = efc__alloc_array(&r->alloc, na ? na : 1, sizeof *buf);
    efc_status st = EFC_OK;
    if (!r->chosen || !r->columns || !items || !keys || !buf) {
        st = efc__nomem(err);
        goto done;
    }
    r->scores = efc__alloc_array(&r->alloc, na ? na : 1, 2 * sizeof *r->scores);
    /* one entry per grouping value (and value 1, which stands for "all
     * actors" in column 0), or per group when reused */
    size_t nslots = p->nvalues > na ? p->nvalues : na;
    slot = efc__alloc_array(&r->alloc, nslots > 2 ? nslots : 2, sizeof *slot);
    if (!r->scores || !slot) {
        st = efc__nomem(err);
        goto done;
    }
    if ((st = choose(r, period, err)))
        goto done;
    for (size_t col = 0; col < ncols; col++)
        if (!make_column(r, &r->columns[col], col ? col - 1 : EFC_NONE, items, slot)) {
            st = efc__nomem(err);
            goto done;
        }
    for (size_t col = 0; col < ncols; col++) {
        column *c = &r->columns[col];
        for (size_t j = 0; j < c->ngroups; j++) {
            rank_group(r, c, j, keys);
            group_stats(r, c, j, buf, c->stats + j * p->nodes * NSTATS);
        }
        /* an actor's score and change, wherever it is ranked */
        for (size_t a = 0; a < na; a++)
            if (c->actor_group[a] != EFC_NONE) {
                c->metrics[a * NMETRICS + EFC_RANK_SCORE] = r->scores[2 * a];
                c->metrics[a * NMETRICS + EFC_RANK_CHANGE] = r->scores[2 * a + 1];
            }
    }
done:
    efc__free(&r->alloc, items);
    efc__free(&r->alloc, slot);
    efc__free(&r->alloc, keys);
    efc__free(&r->alloc, buf);
    if (st) {
        efc_ranking_free(r);
        return st;
    }
    *out = r;
    return EFC_OK;
}

void efc_ranking_free(efc_ranking *r)
{
    if (!r)
        return;
    if (r->columns)
        for (size_t c = 0; c < r->ncolumns; c++) {
            efc__free(&r->alloc, r->columns[c].value);
            efc__free(&r->alloc, r->columns[c].actor_group);
            efc__free(&r->alloc, r->columns[c].metrics);
            efc__free(&r->alloc, r->columns[c].stats);
            efc__free(&r->alloc, r->columns[c].start);
            efc__free(&r->alloc, r->columns[c].members);
        }
    efc__free(&r->alloc, r->columns);
    efc__free(&r->alloc, r->chosen);
    efc__free(&r->alloc, r->scores);
    efc__free(&r->alloc, r);
}

/* The column of grouping column g (EFC_NONE: all actors), or NULL. */
static const column *column_of(const efc_ranking *r, size_t g)
{
    if (!r)
        return NULL;
    if (g == EFC_NONE)
        return &r->columns[0];
    return g < r->panel->ngroups ? &r->columns[1 + g] : NULL;
}

size_t efc_ranking_node(const efc_ranking *r)
{
    return r ? r->node : EFC_NO_NODE;
}

size_t efc_ranking_assessment(const efc_ranking *r, size_t actor)
{
    return r && actor < r->panel->nactors ? r->chosen[actor] : EFC_NONE;
}

double efc_ranking_value(const efc_ranking *r, size_t actor, size_t g, efc_rank_metric m)
{
    const column *c = column_of(r, g);
    if (!c || actor >= r->panel->nactors || (unsigned)m >= NMETRICS)
        return NAN;
    return c->metrics[actor * NMETRICS + m];
}

/* The column of a bulk read, or NULL with the failure recorded. */
static const column *fill_column(const efc_ranking *r, size_t g, unsigned m, unsigned nm,
                                 efc_error *err)
{
    if (!r) {
        efc__fail(err, EFC_ERR_ARGUMENT, "ranking is NULL");
        return NULL;
    }
    const column *c = column_of(r, g);
    if (!c)
        efc__fail(err, EFC_ERR_ARGUMENT, "no grouping column %zu", g);
    else if (m >= nm)
        efc__fail(err, EFC_ERR_ARGUMENT, "unknown metric %u", m);
    else
        return c;
    return NULL;
}

efc_status efc_ranking_fill(double *out, size_t capacity, ptrdiff_t stride, const efc_ranking *r,
                            size_t g, efc_rank_metric m, efc_error *err)
{
    const column *c = fill_column(r, g, (unsigned)m, NMETRICS, err);
    if (!c)
        return EFC_ERR_ARGUMENT;
    size_t n = r->panel->nactors;
    efc_status st = efc__fill_check(out, capacity, n, stride, 1, 0, "ranking", err);
    for (size_t a = 0; !st && a < n; a++)
        out[(ptrdiff_t)a * stride] = c->metrics[a * NMETRICS + m];
    return st;
}

size_t efc_ranking_group_count(const efc_ranking *r, size_t g)
{
    const column *c = column_of(r, g);
    return c ? c->ngroups : 0;
}

const char *efc_ranking_group_name(const efc_ranking *r, size_t g, size_t group)
{
    const column *c = column_of(r, g);
    return c && group < c->ngroups ? r->panel->values[c->value[group]] : NULL;
}

size_t efc_ranking_actor_group(const efc_ranking *r, size_t actor, size_t g)
{
    const column *c = column_of(r, g);
    return c && actor < r->panel->nactors ? c->actor_group[actor] : EFC_NONE;
}

double efc_ranking_group_value(const efc_ranking *r, size_t g, size_t group, size_t node,
                               efc_group_metric stat)
{
    const column *c = column_of(r, g);
    if (!c || group >= c->ngroups || node >= r->panel->nodes || (unsigned)stat >= NSTATS)
        return NAN;
    return c->stats[(group * r->panel->nodes + node) * NSTATS + stat];
}

efc_status efc_ranking_fill_groups(double *out, size_t capacity, ptrdiff_t group_stride,
                                   ptrdiff_t node_stride, const efc_ranking *r, size_t g,
                                   efc_group_metric stat, efc_error *err)
{
    const column *c = fill_column(r, g, (unsigned)stat, NSTATS, err);
    if (!c)
        return EFC_ERR_ARGUMENT;
    size_t nodes = r->panel->nodes;
    efc_status st = efc__fill_check(out, capacity, c->ngroups, group_stride, nodes, node_stride,
                                    "ranking groups", err);
    for (size_t j = 0; !st && j < c->ngroups; j++)
        for (size_t k = 0; k < nodes; k++)
            out[(ptrdiff_t)j * group_stride + (ptrdiff_t)k * node_stride] =
                c->stats[(j * nodes + k) * NSTATS + stat];
    return st;
}
