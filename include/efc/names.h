/*
 * libefc — the names of enumerators.
 *
 * Every enumeration of libefc has its words here, spelled once: the
 * keywords of codebooks (`geomean`, `-`, `log`), the values of the command
 * line's options (`--combine median`, `--encoding windows-1252`) and the
 * column names of results (`slope`, `median_rank`). The command-line tool
 * and the Python package take them from here rather than keeping copies,
 * so that a name means the same thing everywhere.
 *
 * Names are ASCII, lower case, with `_` (or `-` where the outside world
 * writes it so: `utf-8`); they are stable once released. A value's name is
 * unique within its enumeration; parsing also accepts a few documented
 * aliases (`utf8`, `cp1252`).
 */
#ifndef EFC_NAMES_H
#define EFC_NAMES_H

#include "common.h"
#include "error.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enumerations that have names. New ones may be appended. */
typedef enum efc_enum_type {
    EFC_ENUM_STATUS = 0,             /**< efc_status: ok, argument, nomem, io, csv, ... */
    EFC_ENUM_NODE_KIND = 1,          /**< efc_node_kind: group, leaf */
    EFC_ENUM_AGGREGATE = 2,          /**< efc_aggregate: mean, geomean, harmonic, min, power */
    EFC_ENUM_DIRECTION = 3,          /**< efc_direction: +, - */
    EFC_ENUM_TRANSFORM = 4,          /**< efc_transform: none, log */
    EFC_ENUM_TEXT_KIND = 5,          /**< efc_text_kind: label, description, levels */
    EFC_ENUM_PASS = 6,               /**< efc_pass: no_threshold, missing, fail, pass */
    EFC_ENUM_ENCODING = 7,           /**< efc_encoding: auto, utf-8, utf-16, ... */
    EFC_ENUM_DATE_FORMAT = 8,        /**< efc_date_format: iso, dmy */
    EFC_ENUM_PERIOD_KIND = 9,        /**< efc_period_kind: none, number, date */
    EFC_ENUM_COMBINE = 10,           /**< efc_combine: none, mean, median */
    EFC_ENUM_ON_ERROR = 11,          /**< efc_on_error: fail, skip */
    EFC_ENUM_TRAJECTORY_METRIC = 12, /**< efc_trajectory_metric: n, first, last, ... */
    EFC_ENUM_COMPARISON_METRIC = 13, /**< efc_comparison_metric: change_a, ... */
    EFC_ENUM_DOMINANCE = 14,         /**< efc_dominance: neither, a, b, equal, unknown */
    EFC_ENUM_RANK_METRIC = 15,       /**< efc_rank_metric: score, rank, percentile, ... */
    EFC_ENUM_GROUP_METRIC = 16,      /**< efc_group_metric: count, min, q1, median, q3, max, mean */
    EFC_ENUM_SCALE_METRIC = 17,      /**< efc_scale_metric: items, items_used, n, alpha, ... */
    EFC_ENUM_SCALE_ITEM_METRIC = 18, /**< efc_scale_item_metric: n, used, alpha_if_dropped, ... */
    EFC_ENUM_ITEM_METRIC = 19,       /**< efc_item_metric: answers, missing, ... */
    EFC_ENUM_ITEM_FLAG = 20,         /**< efc_item_flag (bits): no_variance, few_answers, ... */
    EFC_ENUM_PERTURBATION = 21,      /**< efc_perturbation: uniform, dirichlet */
    EFC_ENUM_INPUT_KIND = 22,        /**< efc_input_kind: weight, aggregation */
    EFC_ENUM_SENSITIVITY_METRIC = 23, /**< efc_sensitivity_metric: score, nominal_rank, ... */
    EFC_ENUM_SOBOL_METRIC = 24,       /**< efc_sobol_metric: first_order, first_order_q05, ... */
    EFC_ENUM_LAYOUT = 25,             /**< efc_layout: row_major, column_major */
    EFC_ENUM_REASON = 26,             /**< efc_reason: none, duplicate_assessment, ... */
    EFC_ENUM_STEP = 27,               /**< efc_step: denominator, impute, treat, normalise */
    EFC_ENUM_IMPUTE = 28,             /**< efc_impute: none, mean, median, group_mean, ... */
    EFC_ENUM_TREAT = 29,              /**< efc_treat: none, winsorise, log, boxcox */
    EFC_ENUM_NORMALISE = 30,          /**< efc_normalise: goalposts, minmax, zscore, ... */
    EFC_ENUM_COLUMN_KIND = 31,        /**< efc_column_kind: number, text */
    EFC_ENUM_INDEX_STAGE = 32,        /**< efc_index_stage: raw, denominated, ..., aggregated */
    EFC_ENUM_TREATMENT_METRIC = 33    /**< efc_treatment_metric: low, high, skew, ... */
} efc_enum_type;

/** How many values enumeration `type` has; 0 for an unknown type. */
EFC_API size_t efc_enum_count(efc_enum_type type);

/**
 * The i-th value of enumeration `type`, in the order of its declaration
 * (i < efc_enum_count(type)); -1 when out of range. With efc_enum_name,
 * this lists every name, for help texts and column headers.
 */
EFC_API int efc_enum_value(efc_enum_type type, size_t i);

/** The name of `value` in enumeration `type` (static storage), or NULL. */
EFC_API const char *efc_enum_name(efc_enum_type type, int value);

/**
 * The value named `name` in enumeration `type` into *out. Names compare
 * exactly (case matters; no blanks), except encodings, compared without
 * case ("UTF-8" is "utf-8"). Errors: EFC_ERR_ARGUMENT for a NULL
 * argument or an unknown type; EFC_ERR_NOT_FOUND for an unknown name, with
 * a message listing the names accepted.
 */
EFC_API efc_status efc_enum_parse(int *out, efc_enum_type type, const char *name, efc_error *err);

/**
 * An aggregation method as codebooks write it: `mean`, `geomean`,
 * `harmonic`, `min` or `power:P` with P a finite decimal number (any
 * locale; `power:0` is the geometric mean's equivalent but stays a power
 * mean). *power is set to P, or 0 for the other methods. Errors:
 * EFC_ERR_ARGUMENT for a NULL argument, EFC_ERR_NOT_FOUND for an unknown
 * method, EFC_ERR_VALUE for a bad or non-finite exponent.
 */
EFC_API efc_status efc_aggregate_parse(efc_aggregate *agg, double *power, const char *text,
                                       efc_error *err);

/**
 * Write the method `agg` (with `power` for EFC_AGGREGATE_POWER) as codebooks
 * write it into buf (cap bytes, NUL-terminated; 40 bytes always suffice):
 * the exponent in the shortest form that reads back to the same double.
 * *len, when not NULL, receives the length. Errors: EFC_ERR_ARGUMENT for
 * an unknown method, a non-finite power, or a buffer too small (then *len
 * is the length needed).
 */
EFC_API efc_status efc_aggregate_format(char *buf, size_t cap, size_t *len, efc_aggregate agg,
                                        double power, efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_NAMES_H */
