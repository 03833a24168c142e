/* efc_model_finalize: the checks that involve the whole tree, then the
 * plan that scoring follows. Everything here is iterative, so a deep tree
 * from a hostile codebook cannot overflow the stack. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "efc/survey.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "row_steps.h"
#include "score_internal.h"
#include "steps.h"

static efc_status node_fail_r(efc_model *m, size_t node, efc__attr attr, efc_error *err,
                              efc_status code, efc_reason why, const char *msg)
{
    efc__fail_r(err, code, why, "%s", msg);
    efc__locate_node(m, node, attr, err);
    return code;
}

static efc_status node_fail(efc_model *m, size_t node, efc__attr attr, efc_error *err,
                            efc_status code, const char *msg)
{
    efc__fail(err, code, "%s", msg);
    efc__locate_node(m, node, attr, err);
    return code;
}

static efc_status resolve_parents(efc_model *m, efc_error *err)
{
    size_t root = EFC_NO_NODE;
    char msg[700];
    for (size_t i = 0; i < m->count; i++) {
        efc__node *n = &m->nodes[i];
        n->child_count = 0;
        if (!n->parent_id[0]) {
            if (root != EFC_NO_NODE) {
                snprintf(msg, sizeof msg,
                         "a second root '%s': only one node may have an empty parent (the first "
                         "is '%s')",
                         n->id, m->nodes[root].id);
                node_fail_r(m, i, EFC__ATTR_PARENT, err, EFC_ERR_MODEL, EFC_REASON_SECOND_ROOT,
                            msg);
                efc__other(err, m->nodes[root].line, 0); /* the first root's, 0 if none */
                return EFC_ERR_MODEL;
            }
            root = i;
            n->parent = EFC_NO_NODE;
            continue;
        }
        size_t p = efc__strmap_get(&m->ids, n->parent_id);
        if (p == EFC_NO_NODE) {
            snprintf(msg, sizeof msg, "node '%s': unknown parent '%s'", n->id, n->parent_id);
            return node_fail_r(m, i, EFC__ATTR_PARENT, err, EFC_ERR_MODEL,
                               EFC_REASON_UNKNOWN_PARENT, msg);
        }
        n->parent = p;
    }
    for (size_t i = 0; i < m->count; i++)
        if (m->nodes[i].parent != EFC_NO_NODE)
            m->nodes[m->nodes[i].parent].child_count++;
    m->root = root;
    return EFC_OK;
}

static efc_status check_kinds(efc_model *m, efc_error *err)
{
    char msg[700];
    for (size_t i = 0; i < m->count; i++) {
        efc__node *n = &m->nodes[i];
        if (n->kind == EFC_NODE_LEAF && n->child_count) {
            size_t c = 0;
            while (m->nodes[c].parent != i)
                c++;
            snprintf(msg, sizeof msg, "leaf '%s' has children ('%s')", n->id, m->nodes[c].id);
            return node_fail(m, c, EFC__ATTR_PARENT, err, EFC_ERR_MODEL, msg);
        }
        if (n->kind == EFC_NODE_GROUP && !n->child_count) {
            snprintf(msg, sizeof msg,
                     "group '%s' has no children (a leaf needs min and max, a group children)",
                     n->id);
            return node_fail(m, i, EFC__ATTR_ID, err, EFC_ERR_MODEL, msg);
        }
    }
    return EFC_OK;
}

/* A leaf is a survey column, and a survey row holds at most
 * EFC_SURVEY_MAX_COLUMNS fields with the id and period: a model with more
 * leaves would load, write its template and never read a survey. Refused
 * at the first leaf beyond the limit (its codebook line). */
_Static_assert(EFC_MODEL_MAX_LEAVES + 2 == EFC_SURVEY_MAX_COLUMNS,
               "a survey row holds the id, the period and every leaf");

static efc_status check_leaf_limit(efc_model *m, efc_error *err)
{
    size_t leaves = 0;
    for (size_t i = 0; i < m->count; i++) {
        if (m->nodes[i].kind != EFC_NODE_LEAF || ++leaves <= EFC_MODEL_MAX_LEAVES)
            continue;
        char msg[700];
        snprintf(msg, sizeof msg,
                 "leaf '%s' is leaf number %zu: a model has at most %d leaves, since a survey "
                 "row holds at most %d columns (EFC_SURVEY_MAX_COLUMNS), the id and period "
                 "columns and one per leaf",
                 m->nodes[i].id, leaves, EFC_MODEL_MAX_LEAVES, EFC_SURVEY_MAX_COLUMNS);
        return node_fail(m, i, EFC__ATTR_ID, err, EFC_ERR_MODEL, msg);
    }
    return EFC_OK;
}

static efc_status build_children(efc_model *m, efc_error *err)
{
    m->children = efc__alloc_array(&m->alloc, m->count, sizeof *m->children);
    if (!m->children)
        return efc__nomem(err);
    size_t off = 0;
    for (size_t i = 0; i < m->count; i++) {
        m->nodes[i].first_child = off;
        off += m->nodes[i].child_count;
        m->nodes[i].child_count = 0;
    }
    for (size_t i = 0; i < m->count; i++) {
        size_t p = m->nodes[i].parent;
        if (p != EFC_NO_NODE) {
            efc__node *pn = &m->nodes[p];
            m->children[pn->first_child + pn->child_count++] = i;
        }
    }
    return EFC_OK;
}

/* Report a cycle among nodes not reachable from the root. */
static efc_status report_cycle(efc_model *m, const unsigned char *reached, efc_error *err)
{
    size_t start = 0;
    while (reached[start])
        start++;
    /* Walk up from an unreached node: a cycle must come, since no root is
     * reached this way. Mark by steps to find the first repeated node. */
    size_t *step = efc__alloc_array(&m->alloc, m->count, sizeof *step);
    if (!step)
        return efc__nomem(err);
    for (size_t i = 0; i < m->count; i++)
        step[i] = EFC_NO_NODE;
    size_t k = start, s = 0;
    while (k != EFC_NO_NODE && step[k] == EFC_NO_NODE) {
        step[k] = s++;
        k = m->nodes[k].parent;
    }
    char msg[700];
    size_t len = (size_t)snprintf(msg, sizeof msg, "cycle: ");
    size_t first = k, lowest = k;
    do {
        if (len < sizeof msg)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "'%s' -> ", m->nodes[k].id);
        if (m->nodes[k].line < m->nodes[lowest].line)
            lowest = k;
        k = m->nodes[k].parent;
    } while (k != first);
    if (len < sizeof msg)
        snprintf(msg + len, sizeof msg - len, "'%s' (each is the parent of the one before)",
                 m->nodes[first].id);
    efc__free(&m->alloc, step);
    return node_fail(m, lowest, EFC__ATTR_PARENT, err, EFC_ERR_MODEL, msg);
}

/* Groups in post-order (children before parents), and the reachability check. */
static efc_status order_groups(efc_model *m, efc_error *err)
{
    size_t *stack = efc__alloc_array(&m->alloc, m->count, sizeof *stack);
    size_t *pre = efc__alloc_array(&m->alloc, m->count, sizeof *pre);
    unsigned char *reached = efc__malloc(&m->alloc, m->count);
    efc_status st = EFC_OK;
    if (!stack || !pre || !reached) {
        st = efc__nomem(err);
        goto done;
    }
    memset(reached, 0, m->count);
    size_t top = 0, npre = 0;
    if (m->root != EFC_NO_NODE) {
        stack[top++] = m->root;
        reached[m->root] = 1;
    }
    while (top) {
        size_t k = stack[--top];
        pre[npre++] = k;
        const efc__node *n = &m->nodes[k];
        for (size_t c = 0; c < n->child_count; c++) {
            size_t ch = m->children[n->first_child + c];
            reached[ch] = 1;
            stack[top++] = ch;
        }
    }
    if (npre != m->count) {
        st = report_cycle(m, reached, err);
        goto done;
    }
    m->plan_groups = efc__alloc_array(&m->alloc, m->group_count, sizeof *m->plan_groups);
    if (!m->plan_groups) {
        st = efc__nomem(err);
        goto done;
    }
    size_t g = 0;
    for (size_t i = npre; i-- > 0;)
        if (m->nodes[pre[i]].kind == EFC_NODE_GROUP)
            m->plan_groups[g++].node = pre[i];
done:
    efc__free(&m->alloc, stack);
    efc__free(&m->alloc, pre);
    efc__free(&m->alloc, reached);
    return st;
}

typedef struct child_ref {
    const char *id;
    size_t node;
} child_ref;

static int by_id(const void *a, const void *b)
{
    return strcmp(((const child_ref *)a)->id, ((const child_ref *)b)->id);
}

/* Children of each group sorted by id, so that sums run in an order that
 * does not depend on the row order of the codebook. */
static efc_status plan_groups(efc_model *m, efc_error *err)
{
    m->child_node = efc__alloc_array(&m->alloc, m->count, sizeof *m->child_node);
    m->child_weight = efc__alloc_array(&m->alloc, m->count, sizeof *m->child_weight);
    child_ref *refs = efc__alloc_array(&m->alloc, m->count, sizeof *refs);
    if (!m->child_node || !m->child_weight || !refs) {
        efc__free(&m->alloc, refs);
        return efc__nomem(err);
    }
    size_t off = 0;
    for (size_t g = 0; g < m->group_count; g++) {
        efc__plan_group *pg = &m->plan_groups[g];
        const efc__node *n = &m->nodes[pg->node];
        size_t k = 0;
        for (size_t c = 0; c < n->child_count; c++) {
            size_t ch = m->children[n->first_child + c];
            if (m->nodes[ch].weight > 0) {
                refs[k].id = m->nodes[ch].id;
                refs[k].node = ch;
                k++;
            }
        }
        if (k == 0) {
            char msg[400];
            snprintf(msg, sizeof msg, "all children of group '%s' have weight 0", n->id);
            efc__free(&m->alloc, refs);
            return node_fail(m, m->children[n->first_child], EFC__ATTR_WEIGHT, err, EFC_ERR_MODEL,
                             msg);
        }
        if (n->aggregate == EFC_AGGREGATE_RATIO && k != 2) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "group '%s' is a ratio and has %zu children of weight > 0: a ratio divides "
                     "its first child by its second",
                     n->id, k);
            efc__free(&m->alloc, refs);
            return node_fail(m, pg->node, EFC__ATTR_AGGREGATE, err, EFC_ERR_MODEL, msg);
        }
        /* sums run over the children sorted by id; a ratio keeps the order
         * in which its children were listed (numerator first) */
        if (n->aggregate != EFC_AGGREGATE_RATIO)
            qsort(refs, k, sizeof *refs, by_id);
        pg->first = off;
        pg->count = k;
        pg->total_weight = 0;
        for (size_t c = 0; c < k; c++) {
            m->child_node[off + c] = refs[c].node;
            m->child_weight[off + c] = m->nodes[refs[c].node].weight;
            pg->total_weight += m->nodes[refs[c].node].weight;
        }
        if (!isfinite(pg->total_weight)) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "the weights of the children of group '%s' add up to more than a double "
                     "holds",
                     n->id);
            efc__free(&m->alloc, refs);
            return node_fail(m, m->children[n->first_child], EFC__ATTR_WEIGHT, err, EFC_ERR_MODEL,
                             msg);
        }
        off += k;
        pg->aggregate = n->aggregate;
        pg->power = n->power;
        /* power:1, power:0 and power:-1 take the code of their named means,
         * so that equivalent codebooks give identical bits. */
        if (pg->aggregate == EFC_AGGREGATE_POWER && pg->power == 1)
            pg->aggregate = EFC_AGGREGATE_MEAN;
        else if (pg->aggregate == EFC_AGGREGATE_POWER && pg->power == 0)
            pg->aggregate = EFC_AGGREGATE_GEOMEAN;
        else if (pg->aggregate == EFC_AGGREGATE_POWER && pg->power == -1)
            pg->aggregate = EFC_AGGREGATE_HARMONIC;
        pg->min_coverage = n->min_coverage;
    }
    efc__free(&m->alloc, refs);
    return EFC_OK;
}

static efc_status check_levels(efc_model *m, size_t i, efc_error *err)
{
    const efc__node *n = &m->nodes[i];
    char msg[700], a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF], c[EFC__NUMBER_BUF];
    if (n->levels) {
        for (size_t l = 0; l < n->levels->count; l++) {
            double v = n->levels->values[l];
            if (v < n->min || v > n->max) {
                efc__fmt_number(v, a);
                efc__fmt_number(n->min, b);
                efc__fmt_number(n->max, c);
                snprintf(msg, sizeof msg, "node '%s': level %s is outside the goalposts [%s, %s]",
                         n->id, a, b, c);
                return node_fail(m, i, EFC__ATTR_LEVELS, err, EFC_ERR_MODEL, msg);
            }
        }
    }
    for (size_t t = 0; t < n->tr_count; t++) {
        const efc__translation *tr = &n->tr[t];
        if (tr->kind != EFC_TEXT_LEVELS)
            continue;
        int same = n->levels && tr->levels->count == n->levels->count;
        for (size_t l = 0; same && l < tr->levels->count; l++)
            same = tr->levels->values[l] == n->levels->values[l];
        if (!same) {
            snprintf(msg, sizeof msg, "node '%s': levels_%s must list the same values as levels",
                     n->id, tr->lang);
            efc__fail(err, EFC_ERR_MODEL, "%s", msg);
            if (n->line)
                efc__locate(err, m->source, n->line, 0, NULL);
            return EFC_ERR_MODEL;
        }
    }
    return EFC_OK;
}

/* A leaf's goalposts and steps agree: a leaf normalised by its goalposts
 * has them, one normalised from the data has none (they would be ignored
 * silently), and the transform column belongs to the goalposts. */
static efc_status check_steps(efc_model *m, size_t i, efc_error *err)
{
    const efc__node *n = &m->nodes[i];
    int goalposts = efc_model_node_step_method(m, i, EFC_STEP_NORMALISE) == EFC_NORMALISE_GOALPOSTS;
    char msg[400];
    if (goalposts && isnan(n->min)) {
        snprintf(msg, sizeof msg,
                 "leaf '%s' has no goalposts: give min and max, or a normalise method that "
                 "learns from the data (minmax, zscore, rank, ...)",
                 n->id);
        return node_fail(m, i, EFC__ATTR_MIN, err, EFC_ERR_MODEL, msg);
    }
    if (!goalposts && !isnan(n->min)) {
        snprintf(msg, sizeof msg,
                 "leaf '%s' is normalised by %s, which ignores goalposts: leave min and max "
                 "empty",
                 n->id, efc_model_node_step(m, i, EFC_STEP_NORMALISE));
        return node_fail(m, i, EFC__ATTR_MIN, err, EFC_ERR_MODEL, msg);
    }
    if (!goalposts && n->transform != EFC_TRANSFORM_NONE) {
        snprintf(msg, sizeof msg,
                 "leaf '%s': the transform column applies to goalposts; with %s, write the "
                 "log in the treat column",
                 n->id, efc_model_node_step(m, i, EFC_STEP_NORMALISE));
        return node_fail(m, i, EFC__ATTR_TRANSFORM, err, EFC_ERR_MODEL, msg);
    }
    if (efc_model_node_step_method(m, i, EFC_STEP_NORMALISE) == EFC_NORMALISE_DIST2TARGET &&
        isnan(efc_model_node_target(m, i))) {
        snprintf(msg, sizeof msg, "leaf '%s' is normalised by dist2target and has no target",
                 n->id);
        return node_fail(m, i, EFC__ATTR_TARGET, err, EFC_ERR_MODEL, msg);
    }
    return EFC_OK;
}

static efc_status plan_leaves(efc_model *m, efc_error *err)
{
    m->plan_leaves = efc__alloc_array(&m->alloc, m->leaf_count, sizeof *m->plan_leaves);
    m->leaf_nodes = efc__alloc_array(&m->alloc, m->leaf_count, sizeof *m->leaf_nodes);
    m->group_nodes = efc__alloc_array(&m->alloc, m->group_count, sizeof *m->group_nodes);
    m->threshold_nodes = efc__alloc_array(&m->alloc, m->count, sizeof *m->threshold_nodes);
    if (m->plan_leaves) /* no plan of steps yet, whatever fails next */
        memset(m->plan_leaves, 0, m->leaf_count * sizeof *m->plan_leaves);
    if (!m->plan_leaves || !m->leaf_nodes || !m->group_nodes || !m->threshold_nodes)
        return efc__nomem(err);
    size_t leaf = 0, group = 0;
    m->threshold_count = 0;
    m->needs_index = 0;
    for (size_t i = 0; i < m->count; i++) {
        efc__node *n = &m->nodes[i];
        if (!isnan(n->threshold))
            m->threshold_nodes[m->threshold_count++] = i;
        if (n->kind == EFC_NODE_GROUP) {
            if (n->aggregate == EFC_AGGREGATE_COPELAND)
                m->needs_index = 1;
            n->group = group;
            n->leaf = EFC_NO_NODE;
            m->group_nodes[group++] = i;
            continue;
        }
        efc_status st = check_steps(m, i, err);
        if (st)
            return st;
        if (efc__steps_data_driven(n->steps) && !efc__steps_row_local(n->steps))
            m->needs_index = 1;
        if (isnan(n->min)) {
            /* normalised from the data: no goalposts to plan */
        } else if (n->transform == EFC_TRANSFORM_LOG && !(n->min > 0)) {
            char msg[400], b[EFC__NUMBER_BUF];
            efc__fmt_number(n->min, b);
            snprintf(msg, sizeof msg, "node '%s': a log transform needs goalposts > 0, got min %s",
                     n->id, b);
            return node_fail(m, i, EFC__ATTR_MIN, err, EFC_ERR_MODEL, msg);
        } else if (!isfinite(n->max - n->min)) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "node '%s': the goalposts are too far apart (max - min overflows a double)",
                     n->id);
            return node_fail(m, i, EFC__ATTR_MAX, err, EFC_ERR_MODEL, msg);
        }
        if ((st = check_levels(m, i, err)))
            return st;
        n->leaf = leaf;
        n->group = EFC_NO_NODE;
        m->leaf_nodes[leaf] = i;
        efc__plan_leaf *pl = &m->plan_leaves[leaf++];
        pl->node = i;
        pl->min = n->min;
        pl->max = n->max;
        pl->log = n->transform == EFC_TRANSFORM_LOG;
        pl->lo = pl->log ? log(n->min) : n->min;
        pl->hi = pl->log ? log(n->max) : n->max;
        pl->negative = n->direction == EFC_DIRECTION_NEGATIVE;
        pl->domain = pl->log ? 0 : -INFINITY;
        efc__plan_leaf_table(pl);
    }
    return EFC_OK;
}

/* The scales: the groups whose children are all leaves, in node order. */
static efc_status plan_scales(efc_model *m, efc_error *err)
{
    m->scale_nodes =
        efc__alloc_array(&m->alloc, m->group_count ? m->group_count : 1, sizeof *m->scale_nodes);
    if (!m->scale_nodes)
        return efc__nomem(err);
    m->scale_count = 0;
    for (size_t g = 0; g < m->group_count; g++) {
        const efc__node *n = &m->nodes[m->group_nodes[g]];
        size_t c = 0; /* a group has children: check_kinds made sure */
        while (c < n->child_count &&
               m->nodes[m->children[n->first_child + c]].kind == EFC_NODE_LEAF)
            c++;
        if (c == n->child_count)
            m->scale_nodes[m->scale_count++] = m->group_nodes[g];
    }
    return EFC_OK;
}

efc_status efc_model_finalize(efc_model *m, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model is already finalized");
    if (m->count == 0)
        return efc__fail(err, EFC_ERR_MODEL, "the model has no nodes");
    efc_status st;
    if ((st = resolve_parents(m, err)) || (st = check_kinds(m, err)) ||
        (st = check_leaf_limit(m, err)) || (st = build_children(m, err)) ||
        (st = order_groups(m, err)) || (st = plan_groups(m, err)) || (st = plan_leaves(m, err)) ||
        (st = efc__plan_row_steps(m, err)) || (st = plan_scales(m, err))) {
        efc__model_unfinalize(m);
        return st;
    }
    m->finalized = 1;
    return EFC_OK;
}
