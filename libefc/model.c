/* Creating, copying, editing and inspecting models. Checks that involve
 * more than one node wait for efc_model_finalize (model_finalize.c). */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "row_steps.h"
#include "steps.h"
#include "text.h"

#define ID_MAX 256

static const char *const attr_names[EFC__ATTR_COUNT] = {
    "id",        "parent",      "label",     "description", "levels",    "weight",
    "min",       "max",         "direction", "transform",   "aggregate", "min_coverage",
    "threshold", "denominator", "impute",    "treat",       "normalise", "target"};

const char *efc__attr_name(efc__attr attr)
{
    return attr_names[attr];
}

void efc__locate_node(const efc_model *m, size_t node, efc__attr attr, efc_error *err)
{
    /* the codebook's column of a base attribute is named as the attribute */
    if (node < m->count && m->nodes[node].line)
        efc__locate(err, m->source, m->nodes[node].line, m->attr_col[attr],
                    m->attr_col[attr] ? efc__attr_name(attr) : NULL);
}

efc_status efc_model_create(efc_model **out, const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status made;
    efc_model *m = EFC__NEW(efc_model, alloc, &made, err);
    if (!m)
        return made;
    m->root = EFC_NO_NODE;
    efc__strmap_init(&m->ids);
    m->source = efc__strdup(&m->alloc, "");
    if (!m->source) {
        efc__free(&m->alloc, m);
        return efc__nomem(err);
    }
    *out = m;
    return EFC_OK;
}

void efc__model_unfinalize(efc_model *m)
{
    const efc_allocator *a = &m->alloc;
    efc__free_row_steps(m);
    efc__free(a, m->leaf_nodes);
    efc__free(a, m->group_nodes);
    efc__free(a, m->children);
    efc__free(a, m->plan_leaves);
    efc__free(a, m->plan_groups);
    efc__free(a, m->child_node);
    efc__free(a, m->child_weight);
    efc__free(a, m->threshold_nodes);
    efc__free(a, m->scale_nodes);
    m->leaf_nodes = m->group_nodes = m->children = m->child_node = m->threshold_nodes = NULL;
    m->scale_nodes = NULL;
    m->scale_count = 0;
    m->plan_leaves = NULL;
    m->plan_groups = NULL;
    m->child_weight = NULL;
    m->threshold_count = 0;
    m->root = EFC_NO_NODE;
    m->finalized = 0;
}

void efc_model_free(efc_model *m)
{
    if (!m)
        return;
    efc_allocator a = m->alloc;
    efc__model_unfinalize(m);
    for (size_t i = 0; i < m->count; i++) {
        efc__free(&a, m->nodes[i].id);
        efc__free(&a, m->nodes[i].parent_id);
        efc__node_texts_free(&a, &m->nodes[i]);
        efc__steps_free(&a, m->nodes[i].steps);
    }
    efc__free(&a, m->nodes);
    efc__free(&a, (void *)m->langs);
    efc__free(&a, m->source);
    efc__strmap_free(&m->ids, &a);
    efc__free(&a, m);
}

efc_status efc__model_set_source(efc_model *m, const char *source, efc_error *err)
{
    char *s = efc__strdup(&m->alloc, source ? source : "");
    if (!s)
        return efc__nomem(err);
    efc__free(&m->alloc, m->source);
    m->source = s;
    return EFC_OK;
}

static efc_status check_editable(const efc_model *m, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (m->finalized)
        return efc__fail(err, EFC_ERR_STATE,
                         "the model is finalized: edit a copy made with efc_model_copy");
    return EFC_OK;
}

static efc_status check_node(const efc_model *m, size_t node, efc_error *err)
{
    efc_status st = check_editable(m, err);
    if (st)
        return st;
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node index %zu out of range (%zu nodes)", node,
                         m->count);
    return EFC_OK;
}

static efc_status check_id(const char *what, const char *id, efc_error *err)
{
    size_t n = strlen(id);
    const char *why = efc__text_problem(id, n, EFC__TEXT_ID);
    if (why)
        return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_BAD_TEXT, "%s %s", what, why);
    if (n > ID_MAX)
        return efc__fail(err, EFC_ERR_MODEL, "%s is longer than %d bytes", what, ID_MAX);
    return EFC_OK;
}

static efc_status add_node(efc_model *m, const char *id, const char *parent, efc_node_kind kind,
                           size_t *node_out, efc_error *err)
{
    efc_status st = check_editable(m, err);
    if (st)
        return st;
    if (!id)
        return efc__fail(err, EFC_ERR_ARGUMENT, "id is NULL");
    if ((st = check_id("id", id, err)))
        return st;
    if (!parent)
        parent = "";
    if (parent[0] && (st = check_id("parent", parent, err)))
        return st;
    size_t dup = efc__strmap_get(&m->ids, id);
    if (dup != EFC_NO_NODE) {
        if (m->nodes[dup].line) {
            efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_DUPLICATE_ID,
                        "duplicate id '%s' (first on line %zu)", id, m->nodes[dup].line);
            efc__other(err, m->nodes[dup].line, 0);
            return EFC_ERR_MODEL;
        }
        return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_DUPLICATE_ID, "duplicate id '%s'", id);
    }
    if (!efc__grow(&m->alloc, (void **)&m->nodes, &m->cap, m->count + 1, sizeof *m->nodes))
        return efc__nomem(err);
    efc__node *n = &m->nodes[m->count];
    memset(n, 0, sizeof *n);
    n->id = efc__strdup(&m->alloc, id);
    n->parent_id = efc__strdup(&m->alloc, parent);
    if (!n->id || !n->parent_id || !efc__strmap_put(&m->ids, &m->alloc, n->id, m->count)) {
        efc__free(&m->alloc, n->id);
        efc__free(&m->alloc, n->parent_id);
        return efc__nomem(err);
    }
    n->kind = kind;
    n->weight = 1;
    n->min = n->max = NAN;
    n->direction = EFC_DIRECTION_POSITIVE;
    n->transform = EFC_TRANSFORM_NONE;
    n->aggregate = EFC_AGGREGATE_MEAN;
    n->power = 1;
    n->min_coverage = 0;
    n->threshold = NAN;
    n->parent = n->leaf = n->group = EFC_NO_NODE;
    if (kind == EFC_NODE_LEAF)
        m->leaf_count++;
    else
        m->group_count++;
    if (node_out)
        *node_out = m->count;
    m->count++;
    return EFC_OK;
}

efc_status efc_model_add_group(size_t *node, efc_model *m, const char *id, const char *parent,
                               efc_error *err)
{
    return add_node(m, id, parent, EFC_NODE_GROUP, node, err);
}

static efc_status check_goalposts(const char *id, double min, double max, efc_error *err)
{
    char a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF];
    if (!isfinite(min) || !isfinite(max) || !(min < max)) {
        efc__fmt_number(min, a);
        efc__fmt_number(max, b);
        return efc__fail(err, EFC_ERR_MODEL,
                         "node '%s': goalposts must be finite with min < max, got min %s, max %s",
                         id, a, b);
    }
    return EFC_OK;
}

efc_status efc_model_add_leaf(size_t *node, efc_model *m, const char *id, const char *parent,
                              double min, double max, efc_error *err)
{
    size_t k;
    efc_status st = check_editable(m, err);
    if (st)
        return st;
    /* no goalposts (both NaN): the leaf is normalised from the data
     * (efc/index.h); finalize checks that it is */
    if (id && !(isnan(min) && isnan(max)) && (st = check_goalposts(id, min, max, err)))
        return st;
    if ((st = add_node(m, id, parent, EFC_NODE_LEAF, &k, err)))
        return st;
    m->nodes[k].min = min;
    m->nodes[k].max = max;
    if (node)
        *node = k;
    return EFC_OK;
}

static efc_status need_kind(const efc_model *m, size_t node, efc_node_kind kind, const char *what,
                            efc_error *err)
{
    if (m->nodes[node].kind == kind)
        return EFC_OK;
    return efc__fail(err, EFC_ERR_MODEL, "node '%s': %s only for %s, and it is a %s",
                     m->nodes[node].id, what, kind == EFC_NODE_LEAF ? "leaves" : "groups",
                     kind == EFC_NODE_LEAF ? "group" : "leaf");
}

efc_status efc_model_set_weight(efc_model *m, size_t node, double weight, efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st)
        return st;
    if (!isfinite(weight) || weight < 0) {
        char b[EFC__NUMBER_BUF];
        efc__fmt_number(weight, b);
        return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                           "node '%s': weight must be finite and >= 0, got %s", m->nodes[node].id,
                           b);
    }
    m->nodes[node].weight = weight;
    return EFC_OK;
}

efc_status efc_model_set_goalposts(efc_model *m, size_t node, double min, double max,
                                   efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st || (st = need_kind(m, node, EFC_NODE_LEAF, "goalposts are", err)) ||
        (st = check_goalposts(m->nodes[node].id, min, max, err)))
        return st;
    m->nodes[node].min = min;
    m->nodes[node].max = max;
    return EFC_OK;
}

efc_status efc_model_set_direction(efc_model *m, size_t node, efc_direction direction,
                                   efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st || (st = need_kind(m, node, EFC_NODE_LEAF, "a direction is", err)))
        return st;
    if (direction != EFC_DIRECTION_POSITIVE && direction != EFC_DIRECTION_NEGATIVE)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown direction %d", (int)direction);
    m->nodes[node].direction = direction;
    return EFC_OK;
}

efc_status efc_model_set_transform(efc_model *m, size_t node, efc_transform transform,
                                   efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st || (st = need_kind(m, node, EFC_NODE_LEAF, "a transform is", err)))
        return st;
    if (transform != EFC_TRANSFORM_NONE && transform != EFC_TRANSFORM_LOG)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown transform %d", (int)transform);
    m->nodes[node].transform = transform;
    return EFC_OK;
}

efc_status efc_model_set_aggregate(efc_model *m, size_t node, efc_aggregate aggregate, double power,
                                   efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st || (st = need_kind(m, node, EFC_NODE_GROUP, "an aggregate is", err)))
        return st;
    double p;
    switch (aggregate) {
    case EFC_AGGREGATE_MEAN:
        p = 1;
        break;
    case EFC_AGGREGATE_GEOMEAN:
        p = 0;
        break;
    case EFC_AGGREGATE_HARMONIC:
        p = -1;
        break;
    case EFC_AGGREGATE_MIN:
        p = -INFINITY;
        break;
    case EFC_AGGREGATE_RATIO:
    case EFC_AGGREGATE_PRODUCT:
    case EFC_AGGREGATE_COPELAND:
        p = NAN;
        break;
    case EFC_AGGREGATE_POWER:
        if (!isfinite(power)) {
            char b[EFC__NUMBER_BUF];
            efc__fmt_number(power, b);
            return efc__fail(err, EFC_ERR_MODEL,
                             "node '%s': the exponent of a power mean must be finite, got %s",
                             m->nodes[node].id, b);
        }
        p = power;
        break;
    default:
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown aggregate %d", (int)aggregate);
    }
    m->nodes[node].aggregate = aggregate;
    m->nodes[node].power = p;
    return EFC_OK;
}

static efc_status check_unit(const efc_model *m, size_t node, const char *what, double v,
                             efc_error *err)
{
    if (isfinite(v) && v >= 0 && v <= 1)
        return EFC_OK;
    char b[EFC__NUMBER_BUF];
    efc__fmt_number(v, b);
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                       "node '%s': %s must be in [0, 1], got %s", m->nodes[node].id, what, b);
}

efc_status efc_model_set_min_coverage(efc_model *m, size_t node, double coverage, efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st || (st = need_kind(m, node, EFC_NODE_GROUP, "min_coverage is", err)) ||
        (st = check_unit(m, node, "min_coverage", coverage, err)))
        return st;
    m->nodes[node].min_coverage = coverage;
    return EFC_OK;
}

efc_status efc_model_set_threshold(efc_model *m, size_t node, double threshold, efc_error *err)
{
    efc_status st = check_node(m, node, err);
    if (st)
        return st;
    if (!isnan(threshold) && (st = check_unit(m, node, "threshold", threshold, err)))
        return st;
    m->nodes[node].threshold = threshold;
    return EFC_OK;
}

efc_status efc_model_copy(efc_model **out, const efc_model *src, const efc_allocator *alloc,
                          efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!src)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    efc_model *m;
    efc_status st = efc_model_create(&m, alloc, err);
    if (st)
        return st;
    if ((st = efc__model_set_source(m, src->source, err)))
        goto fail;
    memcpy(m->attr_col, src->attr_col, sizeof m->attr_col);
    for (size_t i = 0; i < src->count; i++) {
        const efc__node *from = &src->nodes[i];
        size_t k;
        st = from->kind == EFC_NODE_LEAF
                 ? efc_model_add_leaf(&k, m, from->id, from->parent_id, from->min, from->max, err)
                 : efc_model_add_group(&k, m, from->id, from->parent_id, err);
        if (st)
            goto fail;
        efc__node *to = &m->nodes[k];
        to->weight = from->weight;
        to->direction = from->direction;
        to->transform = from->transform;
        to->aggregate = from->aggregate;
        to->power = from->power;
        to->min_coverage = from->min_coverage;
        to->threshold = from->threshold;
        to->line = from->line;
        if ((st = efc__node_texts_copy(m, to, from, err)) ||
            (st = efc__steps_copy(&m->alloc, &to->steps, from->steps, err)))
            goto fail;
    }
    *out = m;
    return EFC_OK;
fail:
    efc_model_free(m);
    return st;
}

/* ---- introspection ---- */

static const efc__node *node_at(const efc_model *m, size_t node)
{
    return m && node < m->count ? &m->nodes[node] : NULL;
}

int efc_model_is_finalized(const efc_model *m)
{
    return m ? m->finalized : 0;
}

const char *efc_model_source(const efc_model *m)
{
    return m ? m->source : "";
}

size_t efc_model_node_count(const efc_model *m)
{
    return m ? m->count : 0;
}

size_t efc_model_leaf_count(const efc_model *m)
{
    return m ? m->leaf_count : 0;
}

size_t efc_model_group_count(const efc_model *m)
{
    return m ? m->group_count : 0;
}

size_t efc_model_root(const efc_model *m)
{
    return m && m->finalized ? m->root : EFC_NO_NODE;
}

size_t efc_model_find(const efc_model *m, const char *id)
{
    return m && id ? efc__strmap_get(&m->ids, id) : EFC_NO_NODE;
}

size_t efc_model_leaf_index(const efc_model *m, const char *id)
{
    size_t k = efc_model_find(m, id);
    return k == EFC_NO_NODE ? k : efc_model_node_leaf(m, k);
}

size_t efc_model_node_leaf(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    if (!n || n->kind != EFC_NODE_LEAF)
        return EFC_NO_NODE;
    if (m->finalized)
        return n->leaf;
    size_t leaf = 0; /* before finalize, count the leaves before it */
    for (size_t i = 0; i < node; i++)
        leaf += m->nodes[i].kind == EFC_NODE_LEAF;
    return leaf;
}

size_t efc_model_leaf_node(const efc_model *m, size_t leaf)
{
    if (!m || leaf >= m->leaf_count)
        return EFC_NO_NODE;
    if (m->finalized)
        return m->leaf_nodes[leaf];
    for (size_t i = 0; i < m->count; i++)
        if (m->nodes[i].kind == EFC_NODE_LEAF && leaf-- == 0)
            return i;
    return EFC_NO_NODE;
}

size_t efc_model_group_node(const efc_model *m, size_t group)
{
    if (!m || group >= m->group_count)
        return EFC_NO_NODE;
    if (m->finalized)
        return m->group_nodes[group];
    for (size_t i = 0; i < m->count; i++)
        if (m->nodes[i].kind == EFC_NODE_GROUP && group-- == 0)
            return i;
    return EFC_NO_NODE;
}

const char *efc_model_node_id(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->id : NULL;
}

efc_node_kind efc_model_node_kind(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->kind : EFC_NODE_GROUP;
}

size_t efc_model_node_parent(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    if (!n || !n->parent_id[0])
        return EFC_NO_NODE;
    return efc__strmap_get(&m->ids, n->parent_id);
}

const char *efc_model_node_parent_id(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->parent_id : NULL;
}

size_t efc_model_node_child_count(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n && m->finalized ? n->child_count : 0;
}

size_t efc_model_node_child(const efc_model *m, size_t node, size_t i)
{
    const efc__node *n = node_at(m, node);
    if (!n || !m->finalized || i >= n->child_count)
        return EFC_NO_NODE;
    return m->children[n->first_child + i];
}

size_t efc_model_scale_count(const efc_model *m)
{
    return m && m->finalized ? m->scale_count : 0;
}

size_t efc_model_scale_node(const efc_model *m, size_t i)
{
    return m && m->finalized && i < m->scale_count ? m->scale_nodes[i] : EFC_NO_NODE;
}

/* A radar needs EFC_RADAR_MIN_SPOKES spokes: with fewer scales, the leaves. */
static int radar_on_scales(const efc_model *m)
{
    return m->scale_count >= EFC_RADAR_MIN_SPOKES;
}

size_t efc_model_radar_count(const efc_model *m)
{
    if (!m || !m->finalized)
        return 0;
    return radar_on_scales(m) ? m->scale_count : m->leaf_count;
}

size_t efc_model_radar_node(const efc_model *m, size_t i)
{
    if (i >= efc_model_radar_count(m))
        return EFC_NO_NODE;
    return radar_on_scales(m) ? m->scale_nodes[i] : m->leaf_nodes[i];
}

size_t efc_model_node_line(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->line : 0;
}

double efc_model_node_weight(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->weight : NAN;
}

double efc_model_node_min(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->min : NAN;
}

double efc_model_node_max(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->max : NAN;
}

efc_direction efc_model_node_direction(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->direction : EFC_DIRECTION_POSITIVE;
}

efc_transform efc_model_node_transform(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->transform : EFC_TRANSFORM_NONE;
}

efc_aggregate efc_model_node_aggregate(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->aggregate : EFC_AGGREGATE_MEAN;
}

double efc_model_node_power(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n && n->kind == EFC_NODE_GROUP ? n->power : NAN;
}

double efc_model_node_min_coverage(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->min_coverage : NAN;
}

double efc_model_node_threshold(const efc_model *m, size_t node)
{
    const efc__node *n = node_at(m, node);
    return n ? n->threshold : NAN;
}
