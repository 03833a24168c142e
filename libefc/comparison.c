/* Two actors compared node by node: their changes, the gap between them
 * at common periods, the area between their curves, and who dominates
 * over the children of a node. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "fill.h"
#include "panel_internal.h"

enum { NMETRICS = EFC_COMPARISON_AREA + 1 };

struct efc_comparison {
    efc_allocator alloc;
    const efc_panel *panel;
    size_t node; /* dominance over its children */
    efc_dominance dominance;
    double *values; /* nodes x NMETRICS */
};

/* A point of a curve: a period value (days for dates) and a score. */
typedef struct point {
    double x, y;
} point;

/* The present scores of actor a on node k, in period order. */
static size_t curve(const efc_panel *p, size_t a, size_t k, point *pts)
{
    size_t n = 0;
    for (size_t i = 0; i < p->count[a]; i++) {
        size_t r = efc__panel_row(p, a, i);
        double y = efc__panel_score(p, r, k);
        if (!isnan(y))
            pts[n++] = (point){efc__panel_time(p, r), y};
    }
    return n;
}

/* The curve through pts (n >= 1) at x, joining the points by straight
 * lines. *j is a cursor: x never decreases between calls, so the whole
 * walk along a curve is linear. Periods may be any finite numbers, so the
 * distances between two of them may exceed a double (-1.7e308 to 1.7e308):
 * the position in the segment is then taken from halves, which are exact
 * and whose differences cannot overflow. */
static double at(const point *pts, size_t n, size_t *cursor, double x)
{
    size_t j = *cursor;
    while (j + 1 < n && pts[j + 1].x <= x)
        j++;
    *cursor = j;
    if (j + 1 == n || pts[j].x == x)
        return pts[j].y;
    double w = (x - pts[j].x) / (pts[j + 1].x - pts[j].x);
    if (!isfinite(pts[j + 1].x - pts[j].x))
        w = (x / 2 - pts[j].x / 2) / (pts[j + 1].x / 2 - pts[j].x / 2);
    return pts[j].y + w * (pts[j + 1].y - pts[j].y);
}

/* The integral of |d| over a segment of width h where d goes linearly from
 * d0 to d1: a trapezoid, or two triangles when the curves cross. |d| <= 1,
 * so the factor of h is at most 1 and h times it cannot overflow. */
static double abs_integral(double d0, double d1, double h)
{
    if ((d0 >= 0) == (d1 >= 0) || d0 == 0 || d1 == 0)
        return h * ((fabs(d0) + fabs(d1)) / 2);
    return h * ((d0 * d0 + d1 * d1) / (2 * (fabs(d0) + fabs(d1))));
}

static void compare_node(const efc_panel *p, size_t a, size_t b, size_t k, point *pa, point *pb,
                         double *v)
{
    efc__trajectory ta, tb;
    efc__trajectory_summarize(p, a, k, &ta);
    efc__trajectory_summarize(p, b, k, &tb);
    v[EFC_COMPARISON_CHANGE_A] = ta.change;
    v[EFC_COMPARISON_CHANGE_B] = tb.change;
    v[EFC_COMPARISON_DIFFERENCE] = ta.change - tb.change;
    size_t na = curve(p, a, k, pa), nb = curve(p, b, k, pb);
    /* the gap at common periods: merge the two sorted curves */
    size_t common = 0;
    double gap = 0;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (pa[i].x < pb[j].x)
            i++;
        else if (pb[j].x < pa[i].x)
            j++;
        else {
            gap += fabs(pa[i++].y - pb[j++].y);
            common++;
        }
    }
    v[EFC_COMPARISON_COMMON_PERIODS] = (double)common;
    v[EFC_COMPARISON_MEAN_GAP] = common ? gap / (double)common : NAN;
    v[EFC_COMPARISON_SPAN] = v[EFC_COMPARISON_AREA] = NAN;
    if (!na || !nb)
        return;
    double start = fmax(pa[0].x, pb[0].x), end = fmin(pa[na - 1].x, pb[nb - 1].x);
    if (start > end)
        return;
    double unit = efc__panel_time_unit(p); /* times are in days for dates */
    /* A span beyond a double (periods from -1.7e308 to 1.7e308) has no
     * value: span and area are empty (NaN), as the slope of such periods
     * is. Within it, every segment is shorter than the span and the area at
     * most the span (|gap| <= 1), so both are finite. */
    if (!isfinite(end - start))
        return;
    v[EFC_COMPARISON_SPAN] = (end - start) / unit;
    /* between consecutive breakpoints (the start, every period of either
     * curve inside the span, the end) both curves are straight */
    size_t ca = 0, cb = 0;
    double area = 0, x0 = start, d0 = at(pa, na, &ca, start) - at(pb, nb, &cb, start);
    size_t i = 0, j = 0;
    while (x0 < end) {
        while (i < na && pa[i].x <= x0)
            i++;
        while (j < nb && pb[j].x <= x0)
            j++;
        double x1 = end;
        if (i < na && pa[i].x < x1)
            x1 = pa[i].x;
        if (j < nb && pb[j].x < x1)
            x1 = pb[j].x;
        double d1 = at(pa, na, &ca, x1) - at(pb, nb, &cb, x1);
        area += abs_integral(d0, d1, x1 - x0);
        x0 = x1;
        d0 = d1;
    }
    v[EFC_COMPARISON_AREA] = isfinite(area) ? area / unit : NAN;
}

/* Who progressed more on every child of node k; changes compared as
 * printed (12 decimals). */
static efc_dominance dominance(const efc_panel *p, size_t a, size_t b, size_t k)
{
    int a_more = 0, b_more = 0;
    for (size_t c = 0; c < efc_model_node_child_count(p->model, k); c++) {
        size_t child = efc_model_node_child(p->model, k, c);
        if (efc_model_node_weight(p->model, child) == 0)
            continue; /* ignored everywhere, as in scoring */
        efc__trajectory ta, tb;
        efc__trajectory_summarize(p, a, child, &ta);
        efc__trajectory_summarize(p, b, child, &tb);
        if (!ta.n || !tb.n)
            return EFC_DOMINANCE_UNKNOWN;
        int64_t da = efc__score_key(ta.change), db = efc__score_key(tb.change);
        a_more |= da > db;
        b_more |= db > da;
    }
    if (a_more && b_more)
        return EFC_DOMINANCE_NEITHER;
    return a_more ? EFC_DOMINANCE_A : b_more ? EFC_DOMINANCE_B : EFC_DOMINANCE_EQUAL;
}

efc_status efc_comparison_create(efc_comparison **out, const efc_panel *p, size_t actor_a,
                                 size_t actor_b, const efc_comparison_options *opts,
                                 const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!p)
        return efc__fail(err, EFC_ERR_ARGUMENT, "panel is NULL");
    if (!p->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the panel must be finalized");
    if (actor_a >= p->nactors || actor_b >= p->nactors)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no actor %zu in the panel",
                         actor_a >= p->nactors ? actor_a : actor_b);
    efc_status st = opts ? efc__options_model_check(p, opts->base.model, err) : EFC_OK;
    if (st)
        return st;
    size_t node = opts ? opts->base.node : efc_model_root(p->model);
    efc_status made;
    efc_comparison *c = EFC__NEW(efc_comparison, alloc, &made, err);
    if (!c)
        return made;
    c->panel = p;
    c->node = node;
    size_t most = p->count[actor_a] > p->count[actor_b] ? p->count[actor_a] : p->count[actor_b];
    c->values = efc__alloc_array(&c->alloc, p->nodes, NMETRICS * sizeof *c->values);
    point *pa = efc__alloc_array(&c->alloc, most ? most : 1, sizeof *pa);
    point *pb = efc__alloc_array(&c->alloc, most ? most : 1, sizeof *pb);
    if (!c->values || !pa || !pb) {
        efc__free(&c->alloc, pa);
        efc__free(&c->alloc, pb);
        efc_comparison_free(c);
        return efc__nomem(err);
    }
    for (size_t k = 0; k < p->nodes; k++)
        compare_node(p, actor_a, actor_b, k, pa, pb, c->values + k * NMETRICS);
    c->dominance = dominance(p, actor_a, actor_b, node);
    efc__free(&c->alloc, pa);
    efc__free(&c->alloc, pb);
    *out = c;
    return EFC_OK;
}

void efc_comparison_free(efc_comparison *c)
{
    if (!c)
        return;
    efc__free(&c->alloc, c->values);
    efc__free(&c->alloc, c);
}

double efc_comparison_value(const efc_comparison *c, size_t node, efc_comparison_metric m)
{
    if (!c || node >= c->panel->nodes || (unsigned)m >= NMETRICS)
        return NAN;
    return c->values[node * NMETRICS + m];
}

efc_status efc_comparison_fill(double *out, size_t capacity, ptrdiff_t stride,
                               const efc_comparison *c, efc_comparison_metric m, efc_error *err)
{
    if (!c)
        return efc__fail(err, EFC_ERR_ARGUMENT, "comparison is NULL");
    if ((unsigned)m >= NMETRICS)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown metric %d", (int)m);
    size_t n = c->panel->nodes;
    efc_status st = efc__fill_check(out, capacity, n, stride, 1, 0, "comparison", err);
    for (size_t k = 0; !st && k < n; k++)
        out[(ptrdiff_t)k * stride] = c->values[k * NMETRICS + m];
    return st;
}

efc_dominance efc_comparison_dominance(const efc_comparison *c)
{
    return c ? c->dominance : EFC_DOMINANCE_UNKNOWN;
}

size_t efc_comparison_node(const efc_comparison *c)
{
    return c ? c->node : EFC_NO_NODE;
}
