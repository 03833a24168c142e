/*
 * libefc — the model: a tree of indicators and the groups that combine them.
 *
 * Leaves are indicators (one value each, normalised to [0, 1] through
 * goalposts); groups aggregate their children; the one root is the overall
 * score. See docs/concepts.md and docs/codebook.md for the semantics.
 *
 * Life cycle. A model is *editable* after efc_model_create() or
 * efc_model_copy(): nodes are added and attributes set. efc_model_finalize()
 * checks the whole tree and makes the model *finalized*: immutable, ready to
 * score and export, and safe to share between threads (every function taking
 * a `const efc_model *` may run concurrently). Models returned by
 * efc_model_default() and the efc_model_load_*() functions are finalized.
 *
 * Nodes are addressed by index, 0 .. efc_model_node_count() - 1, in the order
 * they were added (the row order of a codebook). Leaves also have a leaf
 * number, 0 .. efc_model_leaf_count() - 1 (the order of leaves among nodes),
 * which is the order of values passed to the scoring functions; groups have
 * a group number in the same way. Getters given an invalid index return
 * NULL, NaN, 0 or EFC_NO_NODE as documented, never crash.
 *
 * Strings passed in are copied; strings returned belong to the model and stay
 * valid until it is freed (or, for an editable model, until the attribute is
 * changed).
 */
#ifndef EFC_MODEL_H
#define EFC_MODEL_H

#include <stdio.h>

#include "common.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct efc_model efc_model;

/**
 * The most leaves a model may have: each leaf is a column of a survey,
 * whose rows hold at most EFC_SURVEY_MAX_COLUMNS (survey.h) fields with
 * the id and period columns. Finalizing (and so loading) a model with more
 * fails with EFC_ERR_MODEL.
 */
#define EFC_MODEL_MAX_LEAVES 99998

/** A node is a group (it has children) or a leaf (an indicator). */
typedef enum efc_node_kind { EFC_NODE_GROUP = 0, EFC_NODE_LEAF = 1 } efc_node_kind;

/** How a group combines the scores of its children (weighted). */
typedef enum efc_aggregate {
    EFC_AGGREGATE_MEAN = 0,     /**< arithmetic mean; codebook `mean` */
    EFC_AGGREGATE_GEOMEAN = 1,  /**< geometric mean; codebook `geomean` */
    EFC_AGGREGATE_HARMONIC = 2, /**< harmonic mean; codebook `harmonic` */
    EFC_AGGREGATE_MIN = 3,      /**< minimum (weights only select children); `min` */
    EFC_AGGREGATE_POWER = 4,    /**< power mean with a finite exponent; `power:P` */
    /** `ratio`: the first child (in the order the children were added, the
     *  codebook's row order) divided by the second; exactly two children of
     *  weight > 0, their weights otherwise unused; missing unless both are
     *  present and the second is not 0; not clamped to [0, 1] (UNDP's GDI
     *  is HDI_female / HDI_male, above 1 where women fare better). */
    EFC_AGGREGATE_RATIO = 5,
    /** `product`: the product of the children, each raised to its weight
     *  (1: the plain product, as an index times an adjustment factor);
     *  missing unless every child is present. */
    EFC_AGGREGATE_PRODUCT = 6,
    /** `copeland`: Copeland's outranking score (COINr's a_copeland): each
     *  pair of units compared on the children both have, the one ahead on
     *  more than half of their weight (ties count half) wins; the score is
     *  wins minus losses. Relative to the other units, so only computed by
     *  the indicator pipeline (efc/index.h): a model with it needs an index. */
    EFC_AGGREGATE_COPELAND = 7
} efc_aggregate;

/** Whether a higher value of a leaf is better (+) or worse (-). */
typedef enum efc_direction {
    EFC_DIRECTION_POSITIVE = 0, /**< `+`: higher is better */
    EFC_DIRECTION_NEGATIVE = 1  /**< `-`: lower is better (reverse-keyed item) */
} efc_direction;

/** A transform applied to a leaf's value and goalposts before normalising. */
typedef enum efc_transform {
    EFC_TRANSFORM_NONE = 0, /**< `none` */
    EFC_TRANSFORM_LOG = 1   /**< `log`: natural logarithm; values must be > 0 */
} efc_transform;

/** The translatable texts of a node. */
typedef enum efc_text_kind {
    EFC_TEXT_LABEL = 0,       /**< a short human-readable name */
    EFC_TEXT_DESCRIPTION = 1, /**< what the node measures */
    EFC_TEXT_LEVELS = 2       /**< the text of each level: `0=None|1=...|4=...` */
} efc_text_kind;

/* ------------------------------------------------------------------ */
/* Creating and freeing                                                */
/* ------------------------------------------------------------------ */

/**
 * Create an empty, editable model. Free it with efc_model_free().
 * Errors: EFC_ERR_ARGUMENT (out is NULL), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_create(efc_model **out, const efc_allocator *alloc, efc_error *err);

/**
 * Create the embedded default model, the EFC reference grid
 * (docs/reference-model.md), finalized. Its source name is "default".
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_default(efc_model **out, const efc_allocator *alloc, efc_error *err);

/**
 * Load a codebook CSV file (docs/codebook.md) into a finalized model.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_IO (cannot open or read), EFC_ERR_CSV
 * (malformed CSV or encoding), EFC_ERR_MODEL (invalid content: the error
 * names the line, the column and the reason), EFC_ERR_NOMEM. On failure
 * *out is NULL.
 */
EFC_API efc_status efc_model_load_path(efc_model **out, const char *path,
                                       const efc_allocator *alloc, efc_error *err);

/**
 * Like efc_model_load_path(), reading from an open stream until its end.
 * The stream is not closed. `name` is used in error messages (may be NULL).
 */
EFC_API efc_status efc_model_load_file(efc_model **out, FILE *fp, const char *name,
                                       const efc_allocator *alloc, efc_error *err);

/**
 * Like efc_model_load_path(), reading a codebook held in memory (`size`
 * bytes, need not be NUL-terminated). `name` is used in error messages.
 */
EFC_API efc_status efc_model_load_buffer(efc_model **out, const void *data, size_t size,
                                         const char *name, const efc_allocator *alloc,
                                         efc_error *err);

/**
 * Make an editable deep copy of a model (finalized or not), for example to
 * change weights of a loaded model. Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_copy(efc_model **out, const efc_model *src, const efc_allocator *alloc,
                                  efc_error *err);

/** Free a model and everything it owns. NULL is allowed. */
EFC_API void efc_model_free(efc_model *model);

/* ------------------------------------------------------------------ */
/* Building and editing (editable models only: EFC_ERR_STATE otherwise) */
/* ------------------------------------------------------------------ */

/**
 * Add a group. `id` must be non-empty, unique, valid UTF-8 of at most 256
 * bytes without control characters or surrounding spaces. `parent` is the
 * id of its parent, which may be added later; NULL or "" for the root. Its
 * index is stored in *node if node is not NULL. Defaults: weight 1,
 * aggregate mean, min_coverage 0, no threshold.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_MODEL (bad or duplicate id), EFC_ERR_STATE,
 * EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_add_group(size_t *node, efc_model *model, const char *id,
                                       const char *parent, efc_error *err);

/**
 * Add a leaf with goalposts min < max (both finite). Defaults: weight 1,
 * direction +, transform none. Same rules and errors as efc_model_add_group().
 */
EFC_API efc_status efc_model_add_leaf(size_t *node, efc_model *model, const char *id,
                                      const char *parent, double min, double max, efc_error *err);

/**
 * Set (or with text NULL, remove) a text of a node. `lang` is NULL or ""
 * for the base text, or a two-letter lowercase language code ("fr") for a
 * translation. Texts are UTF-8; labels and levels may not hold control
 * characters, descriptions may hold newlines and tabs. Levels are parsed
 * and checked: `value=text` entries separated by `|`, values strictly
 * increasing numbers, texts non-empty and without `|`.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_MODEL (invalid text), EFC_ERR_STATE,
 * EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_set_text(efc_model *model, size_t node, efc_text_kind kind,
                                      const char *lang, const char *text, efc_error *err);

/** Set the weight of a node among its siblings: finite and >= 0. */
EFC_API efc_status efc_model_set_weight(efc_model *model, size_t node, double weight,
                                        efc_error *err);

/** Set the goalposts of a leaf: finite, min < max. */
EFC_API efc_status efc_model_set_goalposts(efc_model *model, size_t node, double min, double max,
                                           efc_error *err);

/** Set the direction of a leaf. */
EFC_API efc_status efc_model_set_direction(efc_model *model, size_t node, efc_direction direction,
                                           efc_error *err);

/** Set the transform of a leaf (with log, the goalposts must be > 0 at finalize). */
EFC_API efc_status efc_model_set_transform(efc_model *model, size_t node, efc_transform transform,
                                           efc_error *err);

/**
 * Set the aggregation of a group. `power` is the exponent for EFC_AGGREGATE_POWER
 * (finite; 0 is the geometric mean) and is ignored otherwise.
 */
EFC_API efc_status efc_model_set_aggregate(efc_model *model, size_t node, efc_aggregate aggregate,
                                           double power, efc_error *err);

/**
 * Set the minimum coverage of a group, in [0, 1]: the share of its
 * children's weight that must be present for the group to be scored. 0
 * means at least one child present.
 */
EFC_API efc_status efc_model_set_min_coverage(efc_model *model, size_t node, double coverage,
                                              efc_error *err);

/**
 * Set the threshold of a node, in [0, 1]: it passes when its score is at
 * least the threshold, both rounded to 12 decimals (efc_model_pass). NaN
 * removes the threshold.
 */
EFC_API efc_status efc_model_set_threshold(efc_model *model, size_t node, double threshold,
                                           efc_error *err);

/**
 * Check the whole model and make it finalized (immutable, ready to score).
 * Checks: one root, every parent known, no cycle, every group has children
 * and not all of weight 0, every leaf has no children, at most
 * EFC_MODEL_MAX_LEAVES leaves, log goalposts > 0, level values within the
 * goalposts and translated levels matching the base levels. Errors name
 * the node and, for a loaded codebook, its line and column. Errors:
 * EFC_ERR_ARGUMENT, EFC_ERR_MODEL, EFC_ERR_STATE (already finalized),
 * EFC_ERR_NOMEM. On failure the model stays editable.
 */
EFC_API efc_status efc_model_finalize(efc_model *model, efc_error *err);

/* ------------------------------------------------------------------ */
/* Introspection                                                       */
/* ------------------------------------------------------------------ */

/** 1 if the model is finalized, 0 if editable (or model is NULL). */
EFC_API int efc_model_is_finalized(const efc_model *model);

/**
 * Where the model came from: the path or name given when loading, "default"
 * for the embedded model, "" for a model built in code. Never NULL.
 */
EFC_API const char *efc_model_source(const efc_model *model);

/** Number of nodes, leaves and groups (0 for NULL). */
EFC_API size_t efc_model_node_count(const efc_model *model);
EFC_API size_t efc_model_leaf_count(const efc_model *model);
EFC_API size_t efc_model_group_count(const efc_model *model);

/** Index of the root node; EFC_NO_NODE if the model is not finalized. */
EFC_API size_t efc_model_root(const efc_model *model);

/** Index of the node with this id, EFC_NO_NODE if none. */
EFC_API size_t efc_model_find(const efc_model *model, const char *id);

/** Leaf number of the leaf with this id, EFC_NO_NODE if none (or a group). */
EFC_API size_t efc_model_leaf_index(const efc_model *model, const char *id);

/** Node index of leaf number `leaf`, EFC_NO_NODE if out of range. */
EFC_API size_t efc_model_leaf_node(const efc_model *model, size_t leaf);

/** Node index of group number `group`, EFC_NO_NODE if out of range. */
EFC_API size_t efc_model_group_node(const efc_model *model, size_t group);

/** Leaf number of a node, EFC_NO_NODE for a group or an invalid index. */
EFC_API size_t efc_model_node_leaf(const efc_model *model, size_t node);

/** Id of a node, NULL if the index is invalid. */
EFC_API const char *efc_model_node_id(const efc_model *model, size_t node);

/** Kind of a node (EFC_NODE_GROUP for an invalid index). */
EFC_API efc_node_kind efc_model_node_kind(const efc_model *model, size_t node);

/**
 * Index of a node's parent; EFC_NO_NODE for the root, an invalid index, or
 * a parent not (yet) added.
 */
EFC_API size_t efc_model_node_parent(const efc_model *model, size_t node);

/** Id of a node's parent as given, "" for the root, NULL for an invalid index. */
EFC_API const char *efc_model_node_parent_id(const efc_model *model, size_t node);

/**
 * Children of a group in the order they were added (finalized models only:
 * 0 / EFC_NO_NODE otherwise).
 */
EFC_API size_t efc_model_node_child_count(const efc_model *model, size_t node);
EFC_API size_t efc_model_node_child(const efc_model *model, size_t node, size_t i);

/**
 * The scales of the model: its groups whose children are all leaves (for
 * the default model the three axes of useful effects and the two blocks of
 * levers), in node order (the row order of a codebook). They are the groups
 * a reliability analysis judges (efc/quality.h) and the spokes of a radar
 * (efc_model_radar_node). Finalized models only: 0 / EFC_NO_NODE
 * otherwise, and for an index out of range.
 */
EFC_API size_t efc_model_scale_count(const efc_model *model);
EFC_API size_t efc_model_scale_node(const efc_model *model, size_t i);

/**
 * The nodes a radar chart of the model draws, one spoke each: its scales
 * when it has at least EFC_RADAR_MIN_SPOKES of them, otherwise its leaves
 * in leaf order (a radar needs three spokes: a model of fewer scales, such
 * as a flat list of items, is drawn item by item). The command-line tool's
 * charts and reports and the Python package's plots draw these. Finalized
 * models only: 0 / EFC_NO_NODE otherwise, and for an index out of range.
 */
#define EFC_RADAR_MIN_SPOKES 3
EFC_API size_t efc_model_radar_count(const efc_model *model);
EFC_API size_t efc_model_radar_node(const efc_model *model, size_t i);

/** The codebook line a node was read from, 0 if built in code. */
EFC_API size_t efc_model_node_line(const efc_model *model, size_t node);

/** Weight among siblings (as given, not normalised); NaN if invalid. */
EFC_API double efc_model_node_weight(const efc_model *model, size_t node);

/** Goalposts of a leaf; NaN for a group or an invalid index. */
EFC_API double efc_model_node_min(const efc_model *model, size_t node);
EFC_API double efc_model_node_max(const efc_model *model, size_t node);

/** Direction and transform of a leaf (POSITIVE / NONE for a group). */
EFC_API efc_direction efc_model_node_direction(const efc_model *model, size_t node);
EFC_API efc_transform efc_model_node_transform(const efc_model *model, size_t node);

/** Aggregation of a group (EFC_AGGREGATE_MEAN for a leaf). */
EFC_API efc_aggregate efc_model_node_aggregate(const efc_model *model, size_t node);

/**
 * The power-mean exponent equivalent to the node's aggregation: P for
 * EFC_AGGREGATE_POWER, 1 for mean, 0 for geomean, -1 for harmonic, -INFINITY for
 * min; NaN for ratio and product, a leaf or an invalid index.
 */
EFC_API double efc_model_node_power(const efc_model *model, size_t node);

/** Minimum coverage of a group (0 for a leaf); NaN if invalid. */
EFC_API double efc_model_node_min_coverage(const efc_model *model, size_t node);

/** Threshold of a node; NaN when it has none. */
EFC_API double efc_model_node_threshold(const efc_model *model, size_t node);

/**
 * A text of a node exactly as set: `lang` NULL or "" for the base text, a
 * two-letter code for a translation. NULL when absent.
 */
EFC_API const char *efc_model_node_text(const efc_model *model, size_t node, efc_text_kind kind,
                                        const char *lang);

/**
 * The label to show for a node in `lang`: the translation if there is one,
 * else the base label, else the id. NULL only for an invalid index.
 */
EFC_API const char *efc_model_node_label(const efc_model *model, size_t node, const char *lang);

/** Number of translation languages used in the model, and each code, sorted. */
EFC_API size_t efc_model_language_count(const efc_model *model);
EFC_API const char *efc_model_language(const efc_model *model, size_t i);

/** Number of levels of a leaf's scale (0 when it has no levels text). */
EFC_API size_t efc_model_node_level_count(const efc_model *model, size_t node);

/** Value of level i of a leaf; NaN if out of range. */
EFC_API double efc_model_node_level_value(const efc_model *model, size_t node, size_t i);

/**
 * Text of level i of a leaf in `lang` (falls back to the base levels when
 * there is no translation); NULL if out of range.
 */
EFC_API const char *efc_model_node_level_text(const efc_model *model, size_t node, size_t i,
                                              const char *lang);

/* ------------------------------------------------------------------ */
/* Export as a codebook                                                */
/* ------------------------------------------------------------------ */

/**
 * Write a finalized model as a codebook CSV (UTF-8, no BOM, LF line ends,
 * columns in the documented order, translations after their base column).
 * Loading the output gives an identical model, and exporting that model
 * gives identical bytes. A regular file is written to a temporary name and
 * renamed at the end, so a failure leaves no partial file; a device or a
 * pipe (/dev/stdout) is written in place.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (not finalized), EFC_ERR_IO,
 * EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_export_path(const efc_model *model, const char *path, efc_error *err);

/** Like efc_model_export_path(), writing to an open stream (not closed). */
EFC_API efc_status efc_model_export_file(const efc_model *model, FILE *fp, efc_error *err);

/**
 * Like efc_model_export_path(), into memory. Always stores in *len the
 * codebook's size in bytes (without a terminating NUL). If `buf` is NULL,
 * only *len is set; otherwise `cap` must be greater than *len and the
 * codebook plus a NUL are written, else nothing is written and
 * EFC_ERR_ARGUMENT is returned.
 */
EFC_API efc_status efc_model_export_buffer(char *buf, size_t cap, size_t *len,
                                           const efc_model *model, efc_error *err);

/**
 * The SHA-256 of the model's canonical codebook (the bytes of
 * efc_model_export_buffer), as 64 lowercase hexadecimal digits and a NUL
 * written to `out`, which must hold 65 bytes. Models with the same hash have
 * the same nodes, texts and rules, so they score identically; reports quote
 * it to say which model produced a score. Errors: EFC_ERR_ARGUMENT,
 * EFC_ERR_STATE (not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_model_sha256(char *out, const efc_model *model, efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_MODEL_H */
