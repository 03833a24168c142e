/*
 * libefc — survey quality: the reliability of scales and the analysis of
 * items.
 *
 * An efc_quality gathers the answers of a survey (from batches, or row by
 * row), then, once finalized, tells:
 *
 *  - for every scale, a group of the model whose children are all leaves:
 *    Cronbach's alpha of its items on their normalised values (reverse-keyed
 *    items reversed, values clamped to their goalposts, as they are scored),
 *    the standardised alpha, the average and median inter-item correlation,
 *    the standard error of alpha and its 95 % interval, and per item the
 *    alpha if it is dropped, its item-rest and item-total correlations. As R
 *    psych's alpha() (its default use = "pairwise"): each covariance is
 *    computed over the rows answering both items, so a skipped answer costs
 *    only the pairs it belongs to, and items without variance are left out
 *    (and flagged). docs/statistics.md gives the formulas and how to read them.
 *  - for every leaf (item): answers and the share missing, the share of
 *    answers clamped to the goalposts, the distribution of the answers on the
 *    item's own scale (counts per level when it has levels; minimum,
 *    quartiles, maximum, mean, standard deviation), and flags for the weak
 *    items (no variance, too few answers, a negative item-rest correlation,
 *    an alpha that rises without it).
 *
 * Memory: a few numbers per pair of items of a scale, and per item one count
 * per distinct value answered (exact quartiles need them; survey answers
 * take few values).
 *
 * Indices: scale s in [0, efc_quality_scale_count), item i of a scale in
 * [0, efc_quality_scale_item_count(s)), leaf j a leaf number of the model.
 * Accessors return NaN, 0 or EFC_NONE for an invalid index or before
 * finalizing, and never crash. A finalized efc_quality is never changed, so
 * it may be read from many threads.
 */
#ifndef EFC_QUALITY_H
#define EFC_QUALITY_H

/* The experimental tier (docs/c-api.md, "Tiers"): may change between minor
 * releases until promoted; versioned EFC_EXPERIMENTAL_<major>.<minor>. */
#ifndef EFC_EXPERIMENTAL
#error                                                                                             \
    "efc/quality.h is in libefc's experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h (docs/c-api.md, Tiers)"
#endif

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "model.h"
#include "survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The answers of a survey, gathered to judge its scales and items. */
typedef struct efc_quality efc_quality;

/* ------------------------------------------------------------------ */
/* Keys: scales that share items                                       */
/* ------------------------------------------------------------------ */

/**
 * Keys: scales given as lists of a model's leaves, each with a sign, as R
 * psych's scoreItems() takes them. A leaf may be in many scales (psych's
 * overlapping keys), unlike the groups of the model's tree. A keyed item is
 * the answer as given (the model's direction and transform are not
 * applied; its goalposts are its min and max), reversed as psych reverses
 * it when its sign is -1: min + max - x. Keys are editable until freed;
 * what uses them (efc_keys_score_batch, efc_quality_create) reads them as
 * they are then.
 */
typedef struct efc_keys efc_keys;

/**
 * Create empty keys over the leaves of a finalized model, which must
 * outlive them. Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not
 * finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_keys_create(efc_keys **out, const efc_model *model,
                                   const efc_allocator *alloc, efc_error *err);

/** Free keys. NULL is allowed. */
EFC_API void efc_keys_free(efc_keys *keys);

/**
 * Add a scale named `name` (copied; non-empty, unique within the keys) of
 * `count` >= 1 items: leaf numbers leaves[0 .. count), each once, with
 * signs[i] +1 or -1 (signs NULL: all +1).
 * Errors: EFC_ERR_ARGUMENT (NULL, empty or repeated name, no item, an
 * invalid or repeated leaf, a sign other than +1 or -1), EFC_ERR_NOMEM; on
 * error the keys are unchanged.
 */
EFC_API efc_status efc_keys_add_scale(efc_keys *keys, const char *name, size_t count,
                                      const size_t *leaves, const int *signs, efc_error *err);

/** The model of the keys. */
EFC_API const efc_model *efc_keys_model(const efc_keys *keys);

/** Number of scales, in the order added. */
EFC_API size_t efc_keys_scale_count(const efc_keys *keys);

/** The name of scale s, or NULL. */
EFC_API const char *efc_keys_scale_name(const efc_keys *keys, size_t scale);

/** The scale named `name`, or EFC_NONE. */
EFC_API size_t efc_keys_find(const efc_keys *keys, const char *name);

/** Number of items of scale s (0 if invalid). */
EFC_API size_t efc_keys_scale_item_count(const efc_keys *keys, size_t scale);

/** The leaf number of item i of scale s, or EFC_NONE. */
EFC_API size_t efc_keys_scale_item(const efc_keys *keys, size_t scale, size_t i);

/** The sign of item i of scale s: +1 or -1, 0 if invalid. */
EFC_API int efc_keys_scale_sign(const efc_keys *keys, size_t scale, size_t i);

/**
 * Score many rows on every scale of the keys: the score of scale k of row r,
 * into scores[r * out_row_stride + k * out_scale_stride] (rows x scales,
 * strides in doubles), is the mean of its keyed items answered in that row
 * (values[r * value_row_stride + j * value_leaf_stride], the answer to leaf
 * j, NaN = missing), NaN when none is: psych's scoreItems(keys, items,
 * impute = "none", min, max) with each item's goalposts as min and max.
 * Answers outside the goalposts are not clamped.
 * Errors: EFC_ERR_ARGUMENT (NULL), EFC_ERR_VALUE (an infinite answer,
 * naming its row and leaf: the rows before are scored, that row is NaN).
 */
EFC_API efc_status efc_keys_score_batch(double *scores, ptrdiff_t out_row_stride,
                                        ptrdiff_t out_scale_stride, const efc_keys *keys,
                                        size_t rows, const double *values,
                                        ptrdiff_t value_row_stride, ptrdiff_t value_leaf_stride,
                                        efc_error *err);

/** How the answers are judged (docs/c-api.md, "Options"). */
typedef struct efc_quality_options efc_quality_options;

/**
 * Create quality options with the defaults: few answers below half the
 * rows, distributions kept. Free them with efc_quality_options_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_quality_options_create(efc_quality_options **out, const efc_allocator *alloc,
                                              efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_quality_options_free(efc_quality_options *opts);

/**
 * An item is flagged EFC_ITEM_FLAG_FEW_ANSWERS when it has fewer answers
 * than `count` (default 0), or than the minimum share of the rows.
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_quality_options_set_min_answers(efc_quality_options *opts, size_t count,
                                                       efc_error *err);

/**
 * The share of the rows (in [0, 1], default 0.5) below which an item's
 * answers are few (EFC_ITEM_FLAG_FEW_ANSWERS).
 * Errors: EFC_ERR_ARGUMENT (share outside [0, 1]).
 */
EFC_API efc_status efc_quality_options_set_min_share(efc_quality_options *opts, double share,
                                                     efc_error *err);

/**
 * Whether to keep the distribution of each item's answers (on by default):
 * one count per distinct value answered, for the quartiles, the number of
 * distinct values and the answers per level. Off, those are NaN (the level
 * answers 0) and the memory no longer grows with items answered on a
 * continuous scale; the reliability figures, the minimum, maximum, mean and
 * standard deviation are unchanged. efc reliability turns it off.
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_quality_options_set_distributions(efc_quality_options *opts, int on,
                                                         efc_error *err);

/**
 * Judge the scales of `keys` (NULL, the default: the model's scales)
 * instead of the model's: efc_quality_create() copies them, and must be
 * given the keys' model. The scales' figures are then computed on the keyed
 * items as psych's scoreItems() takes them (answers as given, reversed as
 * min + max - x when their sign is -1), item means and standard deviations
 * too; efc_quality_scale_node() is EFC_NONE, efc_quality_scale_name() the
 * key's name. The keys must live until the options are freed or set again.
 * G6 needs the co-moments of every pair of leaves: leaves x leaves of them
 * (32 bytes each) are taken at create, and each row added costs as many.
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_quality_options_set_keys(efc_quality_options *opts, const efc_keys *keys,
                                                efc_error *err);

/**
 * Create an empty efc_quality for a finalized model, which must outlive it,
 * with `opts` (NULL: the defaults; not needed afterwards).
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_quality_create(efc_quality **out, const efc_model *model,
                                      const efc_quality_options *opts, const efc_allocator *alloc,
                                      efc_error *err);

/** Free it. NULL is allowed. */
EFC_API void efc_quality_free(efc_quality *quality);

/**
 * Add one row: values[j * leaf_stride] is the value of leaf number j as
 * answered (NaN = no answer). Values are checked and normalised as
 * efc_model_score() does them. Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE
 * (finalized), EFC_ERR_VALUE (an invalid value: the row is not added),
 * EFC_ERR_NOMEM (the efc_quality can then only be freed).
 */
EFC_API efc_status efc_quality_add(efc_quality *quality, const double *values,
                                   ptrdiff_t leaf_stride, efc_error *err);

/**
 * Add every row of a batch read from a survey of the same model (its
 * values and their normalised scores; rejected rows are not added).
 * Errors: as efc_quality_add(), and EFC_ERR_ARGUMENT when the batch's
 * survey has another model.
 */
EFC_API efc_status efc_quality_add_batch(efc_quality *quality, const efc_batch *batch,
                                         efc_error *err);

/**
 * Compute every figure. Afterwards no row can be added.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (already finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_quality_finalize(efc_quality *quality, efc_error *err);

/** Whether efc_quality_finalize() succeeded. */
EFC_API int efc_quality_is_finalized(const efc_quality *quality);

/** The model. */
EFC_API const efc_model *efc_quality_model(const efc_quality *quality);

/** Rows added so far. */
EFC_API size_t efc_quality_rows(const efc_quality *quality);

/* ------------------------------------------------------------------ */
/* Scales                                                              */
/* ------------------------------------------------------------------ */

/** Figures of a scale. */
typedef enum efc_scale_metric {
    EFC_SCALE_ITEMS = 0,          /**< items of the scale (its leaves) */
    EFC_SCALE_ITEMS_USED = 1,     /**< items with variance, over which alpha is computed */
    EFC_SCALE_N = 2,              /**< rows answering at least one item */
    EFC_SCALE_N_COMPLETE = 3,     /**< rows answering every item */
    EFC_SCALE_ALPHA = 4,          /**< Cronbach's alpha (psych raw_alpha) */
    EFC_SCALE_STD_ALPHA = 5,      /**< alpha of the standardised items (psych std.alpha) */
    EFC_SCALE_AVERAGE_R = 6,      /**< mean inter-item correlation */
    EFC_SCALE_MEDIAN_R = 7,       /**< median inter-item correlation */
    EFC_SCALE_ASE = 8,            /**< standard error of alpha (Duhachek and Iacobucci) */
    EFC_SCALE_ALPHA_LOW = 9,      /**< alpha - 1.96 ase */
    EFC_SCALE_ALPHA_HIGH = 10,    /**< alpha + 1.96 ase */
    EFC_SCALE_ALPHA_R = 11,       /**< the mean correlation alpha implies, alpha / (k - (k - 1)
                                     alpha) over the k items used (psych scoreItems' av.r) */
    EFC_SCALE_G6 = 12,            /**< with keys: Guttman's lambda 6, each item's squared multiple
                                     correlation on every other leaf (psych scoreItems' G6); NaN
                                     without keys */
    EFC_SCALE_SCOREITEMS_ASE = 13 /**< with keys: the standard error of alpha as psych
                                     scoreItems() computes it (its own formula, over all the
                                     rows); NaN without keys */
} efc_scale_metric;

/** Figures of an item within its scale. */
typedef enum efc_scale_item_metric {
    EFC_SCALE_ITEM_N = 0,                    /**< answers */
    EFC_SCALE_ITEM_USED = 1,                 /**< 1 if the item is in alpha, 0 if left out */
    EFC_SCALE_ITEM_ALPHA_IF_DROPPED = 2,     /**< alpha of the other items */
    EFC_SCALE_ITEM_STD_ALPHA_IF_DROPPED = 3, /**< their standardised alpha */
    EFC_SCALE_ITEM_R_DROP = 4,               /**< correlation with the sum of the other items */
    EFC_SCALE_ITEM_R_TOTAL = 5,              /**< correlation with the scale's mean (psych raw.r) */
    EFC_SCALE_ITEM_STD_R = 6,                /**< correlation with the standardised total (std.r) */
    EFC_SCALE_ITEM_MEAN = 7,                 /**< mean normalised value */
    EFC_SCALE_ITEM_SD = 8,                   /**< standard deviation of the normalised values */
    EFC_SCALE_ITEM_SIGN = 9 /**< +1, or -1 for an item a key reverses (+1 without keys) */
} efc_scale_item_metric;

/** Number of scales: the model's (efc_model_scale_node), in node order, or the keys'. */
EFC_API size_t efc_quality_scale_count(const efc_quality *quality);

/** The node of scale s, or EFC_NONE (and for the scales of keys). */
EFC_API size_t efc_quality_scale_node(const efc_quality *quality, size_t scale);

/** The name of scale s: its node's id, or its key's name; NULL if invalid. */
EFC_API const char *efc_quality_scale_name(const efc_quality *quality, size_t scale);

/** Number of items of scale s, and the leaf number of item i (in node order, or the key's). */
EFC_API size_t efc_quality_scale_item_count(const efc_quality *quality, size_t scale);
EFC_API size_t efc_quality_scale_item(const efc_quality *quality, size_t scale, size_t i);

/**
 * A figure of scale s. Counts are returned as doubles. Figures that cannot
 * be computed are NaN: alpha needs two items with variance, each pair of
 * them answered together by two rows; the standard error needs three rows.
 */
EFC_API double efc_quality_scale_value(const efc_quality *quality, size_t scale,
                                       efc_scale_metric stat);

/**
 * A figure of item i of scale s. The alpha if dropped needs three items in
 * use (two left); the correlations need the item in use.
 */
EFC_API double efc_quality_scale_item_value(const efc_quality *quality, size_t scale, size_t i,
                                            efc_scale_item_metric stat);

/**
 * Bulk reads (docs/c-api.md, "Bulk reads"), out holding `capacity`
 * doubles: a figure of every scale s at once, efc_quality_scale_value(q, s,
 * stat) into out[s * stride] (efc_quality_scale_count() values); a figure
 * of every item i of scale `scale`, efc_quality_scale_item_value(q, scale,
 * i, stat) into out[i * stride] (efc_quality_scale_item_count() values).
 * Errors: EFC_ERR_ARGUMENT (NULL, invalid scale, unknown figure, out too
 * small for the table at that stride), EFC_ERR_STATE (not finalized); on
 * error nothing is written.
 */
EFC_API efc_status efc_quality_fill_scales(double *out, size_t capacity, ptrdiff_t stride,
                                           const efc_quality *quality, efc_scale_metric stat,
                                           efc_error *err);
EFC_API efc_status efc_quality_fill_scale_items(double *out, size_t capacity, ptrdiff_t stride,
                                                const efc_quality *quality, size_t scale,
                                                efc_scale_item_metric stat, efc_error *err);

/**
 * The scale of a leaf (its parent when that is a scale; with keys, the
 * first scale that has it), or EFC_NONE. Its flags NEGATIVE_R and
 * RAISES_ALPHA are judged in that scale.
 */
EFC_API size_t efc_quality_leaf_scale(const efc_quality *quality, size_t leaf);

/* ------------------------------------------------------------------ */
/* Items                                                               */
/* ------------------------------------------------------------------ */

/** Figures of an item (a leaf), on the scale it is answered on. */
typedef enum efc_item_metric {
    EFC_ITEM_ANSWERS = 0,       /**< rows answering it */
    EFC_ITEM_MISSING = 1,       /**< rows not answering it */
    EFC_ITEM_MISSING_SHARE = 2, /**< missing / rows (NaN without rows) */
    EFC_ITEM_CLAMPED = 3,       /**< answers outside the goalposts, clamped */
    EFC_ITEM_CLAMPED_SHARE = 4, /**< clamped / answers (NaN without answers) */
    EFC_ITEM_MIN = 5,           /**< smallest answer */
    EFC_ITEM_Q1 = 6,            /**< first quartile (R's type 7, numpy's default) */
    EFC_ITEM_MEDIAN = 7,        /**< median */
    EFC_ITEM_Q3 = 8,            /**< third quartile */
    EFC_ITEM_MAX = 9,           /**< largest answer */
    EFC_ITEM_MEAN = 10,         /**< mean answer */
    EFC_ITEM_SD = 11,           /**< standard deviation (n - 1; NaN under two answers) */
    EFC_ITEM_DISTINCT = 12,     /**< distinct values answered */
    EFC_ITEM_OFF_LEVEL = 13 /**< answers equal to none of the item's levels (0 without levels) */
} efc_item_metric;

/** Flags of weak items (bits of efc_quality_item_flags()). */
typedef enum efc_item_flag {
    EFC_ITEM_FLAG_NO_VARIANCE = 1, /**< every answer scores the same (or none is given) */
    EFC_ITEM_FLAG_FEW_ANSWERS = 2, /**< fewer answers than the threshold */
    EFC_ITEM_FLAG_NEGATIVE_R = 4,  /**< item-rest correlation below -1.96 / sqrt(answers), the
                                      95 % bound of a zero one: reverse-keyed? */
    EFC_ITEM_FLAG_RAISES_ALPHA = 8 /**< its scale's alpha is higher without it, by more than
                                   the standard error of alpha */
} efc_item_flag;

/** A figure of leaf number `leaf`. */
EFC_API double efc_quality_item_value(const efc_quality *quality, size_t leaf,
                                      efc_item_metric stat);

/** The flags of a leaf (a combination of efc_item_flag), 0 when none. */
EFC_API unsigned efc_quality_item_flags(const efc_quality *quality, size_t leaf);

/**
 * Bulk reads (docs/c-api.md, "Bulk reads") over every leaf j, out holding
 * `capacity` elements of its type: efc_quality_item_value(q, j, stat) into
 * out[j * stride], and efc_quality_item_flags(q, j) into flags[j *
 * stride] (efc_model_leaf_count() values).
 * Errors: EFC_ERR_ARGUMENT (NULL, unknown figure, out too small for the
 * leaves at that stride), EFC_ERR_STATE (not finalized); on error nothing
 * is written.
 */
EFC_API efc_status efc_quality_fill_items(double *out, size_t capacity, ptrdiff_t stride,
                                          const efc_quality *quality, efc_item_metric stat,
                                          efc_error *err);
EFC_API efc_status efc_quality_fill_item_flags(unsigned *flags, size_t capacity, ptrdiff_t stride,
                                               const efc_quality *quality, efc_error *err);

/**
 * Answers equal to level i of the leaf (efc_model_node_level_value(), i in
 * [0, efc_model_node_level_count())), or 0.
 */
EFC_API size_t efc_quality_item_level_answers(const efc_quality *quality, size_t leaf, size_t i);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): the answers of every level i
 * of a leaf at once, efc_quality_item_level_answers(q, leaf, i) into
 * out[i * stride] (efc_model_node_level_count() values; 0 without
 * distributions), out holding `capacity` counts.
 * Errors: EFC_ERR_ARGUMENT (NULL, invalid leaf, out too small for the
 * levels at that stride), EFC_ERR_STATE (not finalized); on error nothing
 * is written.
 */
EFC_API efc_status efc_quality_fill_level_answers(size_t *out, size_t capacity, ptrdiff_t stride,
                                                  const efc_quality *quality, size_t leaf,
                                                  efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_QUALITY_H */
