/*
 * libefc — scoring assessments with a finalized model.
 *
 * Input values come in model leaf order (leaf number 0 .. leaf_count - 1);
 * NaN means missing. Each leaf is normalised to [0, 1] through its
 * goalposts (values outside are clamped and counted); each group combines
 * its present children with its aggregation, weights renormalised over the
 * present children, and is missing when their weight share is below its
 * min_coverage (or when no child is present). A missing node scores NaN.
 * Results are deterministic bit for bit, and do not depend on the order of
 * siblings in the codebook. See docs/concepts.md for the formulas.
 *
 * Invalid values (infinite, or <= 0 under a log transform) are never
 * scored: the call fails with EFC_ERR_VALUE naming the row and the leaf.
 */
#ifndef EFC_SCORE_H
#define EFC_SCORE_H

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Outcome of a node against its threshold. */
typedef enum efc_pass {
    EFC_PASS_NO_THRESHOLD = -2, /**< the node has no threshold */
    EFC_PASS_MISSING = -1,      /**< the node has a threshold but no score */
    EFC_PASS_FAIL = 0,          /**< score below the threshold */
    EFC_PASS_OK = 1             /**< score at or above the threshold */
} efc_pass;

/**
 * Outcome of `score` for a node of the model: EFC_PASS_OK when score >=
 * threshold, EFC_PASS_FAIL when below, EFC_PASS_MISSING when score is NaN,
 * EFC_PASS_NO_THRESHOLD when the node has none (or the index is invalid).
 * The score and the threshold are compared rounded to 12 decimals (half
 * away from zero), as efc score prints scores and as the decisions of
 * efc/trajectory.h are made: a score printed equal to its threshold passes,
 * although its last bits may put it a hair below (0.3 on goalposts 0..3 is
 * 0.09999999999999999, printed 0.1, and meets a threshold of 0.1). Every
 * outcome of the library (efc_result_pass, efc_result_pass_all) is this one.
 */
EFC_API efc_pass efc_model_pass(const efc_model *model, size_t node, double score);

/**
 * Outcome of all the model's thresholds together for one row of scores,
 * scores[k * node_stride] being the score of node k (every node, by node
 * index, as efc_model_score_batch and efc_batch_scores give them): a node
 * with a threshold passes, fails or is missing as efc_model_pass says, and
 * the row is EFC_PASS_FAIL if any node fails, else EFC_PASS_MISSING if any
 * is missing, else EFC_PASS_OK; EFC_PASS_NO_THRESHOLD when the model has no
 * threshold (or is NULL or not finalized, or scores is NULL). This is
 * efc_result_pass_all, and the `pass_all` of efc score and of the Python
 * package. Does not allocate.
 */
EFC_API efc_pass efc_model_pass_all(const efc_model *model, const double *scores,
                                    ptrdiff_t node_stride);

/**
 * The outcomes of rows of scores at once, read as efc_model_score_batch
 * writes them: scores[r * score_row_stride + k * score_node_stride] is the
 * score of node k in row r (strides in doubles, may be negative).
 *
 * If `passes` is not NULL it receives rows x node_count values, dense and
 * in C order: passes[r * node_count + k] is efc_model_pass of node k in row
 * r (EFC_PASS_NO_THRESHOLD for a node without a threshold). If `pass_all`
 * is not NULL, pass_all[r] is efc_model_pass_all of row r. Each value is an
 * efc_pass (-2 .. 1) stored in a signed char, one byte whatever the size of
 * an enum.
 *
 * The model must be finalized. Does not allocate; safe to call from many
 * threads on one model. Errors: EFC_ERR_ARGUMENT (model NULL, or scores NULL
 * with rows), EFC_ERR_STATE.
 */
EFC_API efc_status efc_model_pass_batch(signed char *passes, signed char *pass_all,
                                        const efc_model *model, size_t rows, const double *scores,
                                        ptrdiff_t score_row_stride, ptrdiff_t score_node_stride,
                                        efc_error *err);

/**
 * Score rows of assessments in one call, without copying the input.
 *
 * values[r * value_row_stride + j * value_leaf_stride] is the value of leaf
 * number j in row r (strides in elements of double, may be negative): a
 * C-ordered rows x leaves array has strides (leaf_count, 1), a
 * Fortran-ordered one (1, rows).
 *
 * scores[r * out_row_stride + k * out_node_stride] receives the score of
 * node k (every node, leaves included: a leaf's score is its normalised
 * value). If `coverage` is not NULL it receives, with the same strides, the
 * coverage of each node: for a group the weight share of its present
 * children, for a leaf 1 if present and 0 if missing. If `clamped` is not
 * NULL it receives the number of values clamped to their goalposts.
 *
 * The model must be finalized. Does not allocate; safe to call from many
 * threads on one model. Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE,
 * EFC_ERR_VALUE (EFC_REASON_NOT_FINITE or EFC_REASON_LOG_DOMAIN; the row,
 * 0-based, is efc_error_row and the message names it and the leaf; the
 * rows before it are scored, its own scores are set to NaN and its
 * coverages to 0, the rows after it are untouched).
 */
EFC_API efc_status efc_model_score_batch(double *scores, double *coverage, ptrdiff_t out_row_stride,
                                         ptrdiff_t out_node_stride, size_t *clamped,
                                         const efc_model *model, size_t rows, const double *values,
                                         ptrdiff_t value_row_stride, ptrdiff_t value_leaf_stride,
                                         efc_error *err);

/** How a matrix of doubles lies in memory. */
typedef enum efc_layout {
    EFC_LAYOUT_ROW_MAJOR = 0,   /**< row after row (C order, numpy's "C") */
    EFC_LAYOUT_COLUMN_MAJOR = 1 /**< column after column (Fortran order, numpy's "F") */
} efc_layout;

/**
 * efc_model_score_batch() for the two common layouts, without strides:
 * `values` is a rows x leaf_count matrix and `scores` (and `coverage`, if
 * not NULL) rows x node_count matrices, all three in `layout`. Row-major
 * is (leaf_count, 1) and (node_count, 1) strides; column-major is (1, rows)
 * for all. Same results, errors and threading as efc_model_score_batch();
 * EFC_ERR_ARGUMENT also for a layout that is neither.
 */
EFC_API efc_status efc_model_score_matrix(double *scores, double *coverage, size_t *clamped,
                                          const efc_model *model, size_t rows, const double *values,
                                          efc_layout layout, efc_error *err);

/** The scores of one assessment, reusable for many calls of efc_model_score(). */
typedef struct efc_result efc_result;

/**
 * Create a result for a finalized model. The result refers to the model,
 * which must outlive it. Free it with efc_result_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_result_create(efc_result **out, const efc_model *model,
                                     const efc_allocator *alloc, efc_error *err);

/** Free a result. NULL is allowed. */
EFC_API void efc_result_free(efc_result *result);

/**
 * Score one assessment: values[j * leaf_stride] is the value of leaf number
 * j (NaN = missing). `result` must have been created for this model.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized),
 * EFC_ERR_VALUE. Does not allocate.
 */
EFC_API efc_status efc_model_score(efc_result *result, const efc_model *model, const double *values,
                                   ptrdiff_t leaf_stride, efc_error *err);

/** Score of a node (NaN if missing or the index is invalid). */
EFC_API double efc_result_score(const efc_result *result, size_t node);

/** Coverage of a node (see efc_model_score_batch); NaN if the index is invalid. */
EFC_API double efc_result_coverage(const efc_result *result, size_t node);

/** Outcome of a node against its threshold. */
EFC_API efc_pass efc_result_pass(const efc_result *result, size_t node);

/**
 * Outcome of all thresholds together: EFC_PASS_FAIL if any node fails,
 * else EFC_PASS_MISSING if any is missing, else EFC_PASS_OK;
 * EFC_PASS_NO_THRESHOLD when the model has no threshold.
 */
EFC_API efc_pass efc_result_pass_all(const efc_result *result);

/** Number of leaf values clamped to their goalposts in the last scoring. */
EFC_API size_t efc_result_clamped_count(const efc_result *result);

/** 1 if leaf number `leaf` was clamped in the last scoring, else 0. */
EFC_API int efc_result_leaf_clamped(const efc_result *result, size_t leaf);

/**
 * All node scores (node_count doubles, by node index) and coverages, owned
 * by the result and overwritten by the next scoring.
 */
EFC_API const double *efc_result_scores(const efc_result *result);
EFC_API const double *efc_result_coverages(const efc_result *result);

#ifdef __cplusplus
}
#endif

#endif /* EFC_SCORE_H */
