/*
 * libefc — from raw indicator data to an index: the composite-indicator
 * pipeline (OECD/JRC Handbook on constructing composite indicators, 2008;
 * the JRC's COINr).
 *
 * A survey answer is scored on its own, against fixed goalposts. Indicator
 * data (CO2 per inhabitant, local jobs per 1,000) is scored against the
 * other units: each leaf of a model may declare the steps between its raw
 * column and its normalised value, applied in this order:
 *
 *  1. denominate: divide by another column of the data, times a scale;
 *  2. impute the missing cells: mean, median, or within the groups of a
 *     text column (group_mean:COL, group_median:COL), or along a panel's
 *     periods (latest, linear); each imputed cell is flagged;
 *  3. treat outliers: COINr's iterative winsorisation (then a log if still
 *     skewed), a log, or Box-Cox (λ given or estimated);
 *  4. normalise: the goalposts (the default, as efc_model_score_batch), or
 *     from the data: minmax, zscore, rank, percentile, dist2max,
 *     dist2target, dist2ref. Direction - applies to every method.
 *
 * Groups then aggregate their children's normalised values as scoring
 * does (the codebook's aggregate column), without clamping to [0, 1]: a
 * leaf normalised onto 0..100 gives groups on 0..100. Every step and its
 * formula: docs/concepts.md, "The indicator pipeline"; the walk-through on
 * COINr's ASEM example: docs/pipeline.md.
 *
 * Data-driven steps need the whole population: a model with any of them
 * (efc_model_needs_index()) is scored by efc_index_run() on a table, not
 * one row at a time; efc_model_score_batch() and the survey functions
 * refuse it with EFC_ERR_MODEL and reason EFC_REASON_NEEDS_INDEX. A
 * fitted model (efc_index_fitted_model()) has every parameter written
 * out: surveys score it row by row with the bits of efc_index_run(), and
 * so does efc_model_score_batch() unless a leaf reads a column besides its
 * own (a denominator, group_value), which it refuses with that reason.
 *
 * Every function here is of the experimental tier (docs/c-api.md, "Tiers").
 */
#ifndef EFC_INDEX_H
#define EFC_INDEX_H

#ifndef EFC_EXPERIMENTAL
#error "efc/index.h is of the experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h"
#endif

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "model.h"
#include "survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The steps a leaf may declare, as codebook columns of the same names. */
typedef enum efc_step {
    EFC_STEP_DENOMINATOR = 0, /**< `COL` or `COL:SCALE`: x / COL * SCALE */
    EFC_STEP_IMPUTE = 1,      /**< an efc_impute, with its column */
    EFC_STEP_TREAT = 2,       /**< an efc_treat, with its parameters */
    EFC_STEP_NORMALISE = 3    /**< an efc_normalise, with its parameters */
} efc_step;

/** How missing cells are filled (docs/concepts.md). */
typedef enum efc_impute {
    EFC_IMPUTE_NONE = 0,         /**< left missing */
    EFC_IMPUTE_MEAN = 1,         /**< the mean of the observed values */
    EFC_IMPUTE_MEDIAN = 2,       /**< their median */
    EFC_IMPUTE_GROUP_MEAN = 3,   /**< `group_mean:COL`: the mean within the unit's group */
    EFC_IMPUTE_GROUP_MEDIAN = 4, /**< `group_median:COL`: the median within it */
    /** `latest`: a panel's (efc_index_options_set_period_column): the
     *  unit's value at its most recent earlier period with one, carried
     *  forward; never a later value, so a gap before the unit's first
     *  value stays missing. */
    EFC_IMPUTE_LATEST = 5,
    /** `linear`: a panel's: interpolated linearly, on the periods' numeric
     *  values (dates as day counts), between the unit's nearest earlier
     *  and later periods with a value; no extrapolation, so a gap before
     *  the first or after the last value stays missing. */
    EFC_IMPUTE_LINEAR = 6,
    /** `value:V`: a fitted model's (efc_index_fitted_model): V, fixed. */
    EFC_IMPUTE_VALUE = 7,
    /** `group_value:COL:KEY=V|KEY=V…`: a fitted model's: the value fixed
     *  for the unit's group in column COL (keys percent-escaped: `%25`,
     *  `%7C`, `%3D`, `%3A` for `%`, `|`, `=`, `:`); a unit of a group not
     *  listed, or of none, stays missing. */
    EFC_IMPUTE_GROUP_VALUE = 8
} efc_impute;

/** How outliers are treated. */
typedef enum efc_treat {
    EFC_TREAT_NONE = 0,
    /** `winsorise[:WINMAX[:SKEW:KURTOSIS]]`: COINr's iterative winsorisation
     *  (WINMAX points at most, a count or a share such as `10%`, the
     *  default; thresholds 2 and 3.5 by default), then the shifted log
     *  log(x - min + 0.01 (max - min)) if still skewed. */
    EFC_TREAT_WINSORISE = 1,
    EFC_TREAT_LOG = 2,    /**< `log`: ln x (every value must be > 0) */
    EFC_TREAT_BOXCOX = 3, /**< `boxcox[:LAMBDA]`: λ given, or estimated by maximum likelihood */
    /** `clamp:LO:HI`: a fitted model's winsorisation: values moved into [LO, HI] */
    EFC_TREAT_CLAMP = 4,
    /** `shiftlog:LO:PAD`: a fitted model's fallback log: ln(x - LO + PAD), which
     *  needs x > LO - PAD */
    EFC_TREAT_SHIFTLOG = 5
} efc_treat;

/** How a leaf's value is normalised. */
typedef enum efc_normalise {
    EFC_NORMALISE_GOALPOSTS = 0,   /**< the min and max columns, as scoring (the default) */
    EFC_NORMALISE_MINMAX = 1,      /**< `minmax[:LO:HI]`: the observed range onto [LO, HI] (0, 1) */
    EFC_NORMALISE_ZSCORE = 2,      /**< `zscore[:MEAN:SD]`: standardised, then SD z + MEAN (0, 1) */
    EFC_NORMALISE_RANK = 3,        /**< `rank`: 1 for the lowest, ties share the lowest rank */
    EFC_NORMALISE_PERCENTILE = 4,  /**< `percentile`: (rank - 1) / (n - 1) */
    EFC_NORMALISE_DIST2MAX = 5,    /**< `dist2max`: 1 - (max - x) / (max - min) */
    EFC_NORMALISE_DIST2TARGET = 6, /**< `dist2target`: (x - min) / (target - min), at most 1 */
    EFC_NORMALISE_DIST2REF = 7     /**< `dist2ref:UNIT`: 1 - (x_UNIT - x) / (x_UNIT - min) */
} efc_normalise;

/* A fitted model (efc_index_fitted_model) writes the parameters the data
 * gave after the method's own: `minmax:LO:HI:MIN:MAX`,
 * `zscore:MEAN:SD:M:S`, `dist2max:MIN:MAX`, `dist2target:MIN`,
 * `dist2ref:UNIT:REF:MIN`, of the values times the direction. A leaf with
 * them is scored as it was fitted, without the data. */

/**
 * Set a step of leaf `node` from its codebook text (the forms above;
 * NULL or "" removes the step). Errors: EFC_ERR_ARGUMENT (NULL model,
 * node out of range, unknown step), EFC_ERR_STATE (finalized model),
 * EFC_ERR_MODEL (a group, or a text that does not parse, with the reason).
 */
EFC_API efc_status efc_model_set_step(efc_model *model, size_t node, efc_step step,
                                      const char *text, efc_error *err);

/**
 * The text of a step of `node` in its canonical form (`winsorise:10%:2:3.5`,
 * `minmax:0:1`, `Den_GDP`, `pop:1000`), valid until the model changes; "" when the
 * node has no such step, NULL for a bad argument.
 */
EFC_API const char *efc_model_node_step(const efc_model *model, size_t node, efc_step step);

/**
 * The method of a step, as an efc_impute, efc_treat or efc_normalise; for
 * EFC_STEP_DENOMINATOR, 1 when the leaf has a denominator, else 0. -1 for
 * a bad argument.
 */
EFC_API int efc_model_node_step_method(const efc_model *model, size_t node, efc_step step);

/** The column a leaf is divided by (NULL: none) and the scale (1 by default). */
EFC_API const char *efc_model_node_denominator(const efc_model *model, size_t node);
EFC_API double efc_model_node_denominator_scale(const efc_model *model, size_t node);

/** The group column of group_mean and group_median (NULL: none). */
EFC_API const char *efc_model_node_impute_column(const efc_model *model, size_t node);

/**
 * The target of dist2target (codebook column `target`; NaN: none, which a
 * leaf normalised by dist2target must not have; setting NaN removes it).
 * Errors of the setter: EFC_ERR_ARGUMENT, EFC_ERR_STATE, EFC_ERR_MODEL (a
 * group), EFC_ERR_VALUE (an infinity).
 */
EFC_API efc_status efc_model_set_target(efc_model *model, size_t node, double target,
                                        efc_error *err);
EFC_API double efc_model_node_target(const efc_model *model, size_t node);

/**
 * 1 when a leaf of the model has a step whose parameters come from the
 * population (mean, median, group_mean, group_median, latest, linear,
 * winsorise, boxcox without λ, a normalisation from the data without
 * fitted parameters), or a group is aggregated by copeland: then it is
 * scored by efc_index_run() only. 0 otherwise (and for NULL): goalposts,
 * and the row-local forms of a fitted model (a denominator, value:V,
 * group_value, log, clamp, shiftlog, boxcox:λ, fitted normalisations).
 */
EFC_API int efc_model_needs_index(const efc_model *model);

/* ---- Tables ---------------------------------------------------------- */

/** A table of units (rows) and named columns, of numbers or texts. */
typedef struct efc_table efc_table;

typedef enum efc_column_kind {
    EFC_COLUMN_NUMBER = 0, /**< doubles, NaN for missing */
    EFC_COLUMN_TEXT = 1    /**< UTF-8 texts, NULL for missing */
} efc_column_kind;

/** An empty table of `rows` rows. Errors: EFC_ERR_NOMEM. */
EFC_API efc_status efc_table_create(efc_table **out, size_t rows, const efc_allocator *alloc,
                                    efc_error *err);
EFC_API void efc_table_free(efc_table *table);

/**
 * Append a column of numbers: values[r * stride] for each row r (copied;
 * NaN is missing). Errors: EFC_ERR_ARGUMENT (NULL, empty name, infinite
 * value), EFC_ERR_SURVEY (a column of that name exists, reason
 * EFC_REASON_DUPLICATE_COLUMN), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_table_add_numbers(efc_table *table, const char *name, const double *values,
                                         ptrdiff_t stride, efc_error *err);

/** Append a column of texts (copied; a NULL entry is missing). Errors as above. */
EFC_API efc_status efc_table_add_texts(efc_table *table, const char *name, const char *const *texts,
                                       efc_error *err);

/**
 * Read a table from a CSV data file, with the reading options of surveys
 * (`opts`, NULL for the defaults: delimiter, encoding, decimal comma,
 * missing-value tokens; the id, period and group options are ignored).
 * The columns the model reads as numbers (its leaves' ids, denominators)
 * are parsed as numbers: a cell that is not one fails with EFC_ERR_VALUE
 * naming file, line and column. Every other column is kept as text. An
 * empty cell or an NA token is missing. Errors: those of reading a survey
 * (EFC_ERR_IO, EFC_ERR_CSV, EFC_ERR_SURVEY for an empty file, a duplicate
 * column or a row with the wrong number of fields), EFC_ERR_VALUE,
 * EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_table_read_path(efc_table **out, const efc_model *model, const char *path,
                                       const efc_survey_options *opts, const efc_allocator *alloc,
                                       efc_error *err);
EFC_API efc_status efc_table_read_buffer(efc_table **out, const efc_model *model, const void *data,
                                         size_t size, const char *name,
                                         const efc_survey_options *opts, const efc_allocator *alloc,
                                         efc_error *err);

EFC_API size_t efc_table_rows(const efc_table *table);
EFC_API size_t efc_table_column_count(const efc_table *table);
EFC_API const char *efc_table_column_name(const efc_table *table, size_t column);
/** The kind of a column; -1 when out of range. */
EFC_API int efc_table_column_kind(const efc_table *table, size_t column);
/** The column named `name`, or EFC_NO_NODE. */
EFC_API size_t efc_table_find(const efc_table *table, const char *name);
/** A cell of a number column (NaN for missing or a text column). */
EFC_API double efc_table_number(const efc_table *table, size_t column, size_t row);
/** The whole number column (rows doubles), NULL for a text column. */
EFC_API const double *efc_table_numbers(const efc_table *table, size_t column);
/** A cell of a text column (NULL for missing or a number column). */
EFC_API const char *efc_table_text(const efc_table *table, size_t column, size_t row);
/** The file line of a row (0 for a table built in code). */
EFC_API size_t efc_table_line(const efc_table *table, size_t row);
/** The file name a table was read from ("" when built in code). */
EFC_API const char *efc_table_source(const efc_table *table);

/* ---- Running the pipeline ------------------------------------------- */

typedef struct efc_index_options efc_index_options;

EFC_API efc_status efc_index_options_create(efc_index_options **out, const efc_allocator *alloc,
                                            efc_error *err);
EFC_API void efc_index_options_free(efc_index_options *opts);
/** The column naming the units (default "id"; text or number). */
EFC_API efc_status efc_index_options_set_id_column(efc_index_options *opts, const char *name,
                                                   efc_error *err);
/**
 * The period column of a panel in long format (NULL: none, the default).
 * Each (unit, period) is a row of the stages; a unit and period seen
 * twice is an error. Data-driven parameters come from every row.
 */
EFC_API efc_status efc_index_options_set_period_column(efc_index_options *opts, const char *name,
                                                       efc_error *err);
/**
 * Fit on a reference period (NULL: every row, the default): the
 * data-driven parameters (imputation values, winsorising bounds, λ, the
 * ranges, means and ranks of the normalisation, the reference unit's row)
 * come from the rows whose period is written `period`, and every row of
 * every period is measured with them, so that later periods keep the
 * yardstick of the reference one (docs/concepts.md, "Refit or freeze").
 * The treatment summary describes the reference rows. A unit of another
 * period beyond the reference range normalises beyond it (min-max above
 * HI; a percentile is at most 1). efc_index_run fails with EFC_ERR_ARGUMENT
 * without a period column, EFC_ERR_NOT_FOUND when no row has the period.
 */
EFC_API efc_status efc_index_options_set_reference_period(efc_index_options *opts,
                                                          const char *period, efc_error *err);

/**
 * Screen units by data coverage: a row with less than `share` (0 .. 1) of
 * the model's leaves present in the raw data is left out before any step
 * and listed (efc_index_screened_*). 0 (the default) keeps every row; the
 * JRC's rule of thumb is 0.65.
 */
EFC_API efc_status efc_index_options_set_screen(efc_index_options *opts, double share,
                                                efc_error *err);

/**
 * Keep the steps' stages (1, the default) or not (0): then only the
 * normalised and aggregated stages are kept, the others computed in
 * scratch columns reused from leaf to leaf: 5 columns per leaf fewer at
 * most (1.4 GB at 1M units and 50 leaves), and faster. A stage not kept
 * reads as NaN (efc_index_value) and efc_index_fill refuses it
 * (EFC_ERR_ARGUMENT); the imputed cells, the treatment summary, the
 * screened rows and the fitted model are the same either way, and so are
 * the kept stages' bits. Errors: EFC_ERR_ARGUMENT (NULL, keep not 0 or 1).
 */
EFC_API efc_status efc_index_options_set_keep_steps(efc_index_options *opts, int keep,
                                                    efc_error *err);

/**
 * Threads: 0 (the default) for one per core, at most 1024. Leaves are
 * processed in parallel on large tables; the results, and the error
 * reported, do not depend on it. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_index_options_set_threads(efc_index_options *opts, unsigned threads,
                                                 efc_error *err);

/** The product of the pipeline: every stage of every unit kept. */
typedef struct efc_index efc_index;

/** The stages, in the order they are computed. */
typedef enum efc_index_stage {
    EFC_STAGE_RAW = 0,         /**< the leaf's column as read */
    EFC_STAGE_DENOMINATED = 1, /**< after the denominator */
    EFC_STAGE_IMPUTED = 2,     /**< after imputation */
    EFC_STAGE_TREATED = 3,     /**< after outlier treatment */
    EFC_STAGE_NORMALISED = 4,  /**< after normalisation */
    EFC_STAGE_AGGREGATED = 5   /**< leaves as normalised, and every group */
} efc_index_stage;

/**
 * Run the pipeline of a finalized `model` on `table` (opts NULL: the
 * defaults). The index keeps a copy of the model; the table may be freed
 * afterwards. Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not
 * finalized), EFC_ERR_SURVEY (no id column, a leaf's or a denominator's
 * column missing or of texts, an empty id, a duplicate unit: reason
 * EFC_REASON_DUPLICATE_ASSESSMENT), EFC_ERR_VALUE (a step that cannot be
 * applied: a zero denominator, a log or Box-Cox of a value <= 0, a value
 * or statistic beyond a double's range, a reference unit absent or at the
 * minimum, a geometric or harmonic mean of a negative value; the message
 * names the leaf or group and, for a cell, the unit and line), EFC_ERR_MODEL (a leaf imputes by
 * latest or linear and there is no period column), EFC_ERR_NOMEM. Then the periods are read as
 * efc_period_parse() reads them (numbers, or ISO dates as day counts): one that does not read, or
 * two kinds in one table, is EFC_ERR_SURVEY (EFC_REASON_BAD_PERIOD, EFC_REASON_MIXED_PERIODS) at
 * the row's line. Deterministic: the same input gives the same bits.
 */
EFC_API efc_status efc_index_run(efc_index **out, const efc_model *model, const efc_table *table,
                                 const efc_index_options *opts, efc_error *err);
EFC_API void efc_index_free(efc_index *index);

/**
 * The fitted model of a run (docs/pipeline.md, "Fit, then score"): a
 * finalized copy of the index's model in which every parameter the data
 * gave is explicit: `mean` and `median` imputations become `value:V`,
 * the group ones `group_value:COL:…`, a winsorisation `clamp:LO:HI` (or
 * `none` when nothing needed moving, `shiftlog:LO:PAD` when it fell back
 * to the log), an estimated Box-Cox `boxcox:λ`, and each normalisation
 * its method with the observed parameters. Exported (efc_model_export_*)
 * and reloaded, it scores the units of the run with the same bits at
 * every stage, and scores new units against the fitted population. The
 * panel imputations `latest` and `linear` read the unit's own history
 * and stay as they are; a Box-Cox that could not be estimated (fewer
 * than two distinct values) changed nothing and is dropped, with its
 * check that values are > 0. The caller frees *out. Errors: EFC_ERR_ARGUMENT,
 * EFC_ERR_MODEL with reason EFC_REASON_NEEDS_INDEX when a leaf is
 * normalised by `rank` or `percentile` or a group aggregates by
 * `copeland` (they compare a unit with the others scored with it, so no
 * parameter can freeze them), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_index_fitted_model(efc_model **out, const efc_index *index,
                                          const efc_allocator *alloc, efc_error *err);

/** The index's copy of the model (owned by the index). */
EFC_API const efc_model *efc_index_model(const efc_index *index);
/** The units kept (rows not screened out), in the table's order. */
EFC_API size_t efc_index_unit_count(const efc_index *index);
/** The table row of unit u; EFC_NO_NODE when out of range. */
EFC_API size_t efc_index_unit_row(const efc_index *index, size_t unit);
EFC_API const char *efc_index_unit_id(const efc_index *index, size_t unit);
/** The unit's period as written (NULL without a period column). */
EFC_API const char *efc_index_unit_period(const efc_index *index, size_t unit);

/**
 * The value of model node `node` for unit u at a stage: stages before
 * EFC_STAGE_AGGREGATED hold leaves only (NaN for a group). NaN when
 * missing or out of range.
 */
EFC_API double efc_index_value(const efc_index *index, efc_index_stage stage, size_t unit,
                               size_t node);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a stage of every unit and
 * node, efc_index_value(index, stage, u, k) into out[u * row_stride + k *
 * node_stride], out holding `capacity` doubles. Errors: EFC_ERR_ARGUMENT
 * (NULL, unknown stage, out too small); on error nothing is written.
 */
EFC_API efc_status efc_index_fill(double *out, size_t capacity, ptrdiff_t row_stride,
                                  ptrdiff_t node_stride, const efc_index *index,
                                  efc_index_stage stage, efc_error *err);

/** 1 when the cell of unit u and leaf `node` was imputed, else 0. */
EFC_API int efc_index_imputed(const efc_index *index, size_t unit, size_t node);
/** How many cells were imputed in all. */
EFC_API size_t efc_index_imputed_count(const efc_index *index);

/** What the treatment of a leaf did and found. */
typedef enum efc_treatment_metric {
    EFC_TREATMENT_LOW = 0,            /**< points winsorised at the low end */
    EFC_TREATMENT_HIGH = 1,           /**< points winsorised at the high end */
    EFC_TREATMENT_SKEW = 2,           /**< skewness before treatment (sample, bias-adjusted) */
    EFC_TREATMENT_KURTOSIS = 3,       /**< excess kurtosis before treatment (sample) */
    EFC_TREATMENT_SKEW_AFTER = 4,     /**< skewness after */
    EFC_TREATMENT_KURTOSIS_AFTER = 5, /**< excess kurtosis after */
    EFC_TREATMENT_LOWER = 6,          /**< the smallest value after winsorising */
    EFC_TREATMENT_UPPER = 7,          /**< the largest value after winsorising */
    EFC_TREATMENT_LAMBDA = 8,         /**< Box-Cox's λ (NaN for other transforms) */
    EFC_TREATMENT_SHIFT = 9           /**< the shift s of a log ln(x + s) (0 for `log`) */
} efc_treatment_metric;

/**
 * The transform applied to a leaf by its treatment: EFC_TREAT_NONE (none
 * asked, or winsorising was enough or not needed), EFC_TREAT_WINSORISE
 * (points were moved), EFC_TREAT_LOG (asked, or winsorising failed),
 * EFC_TREAT_BOXCOX; a fitted model's EFC_TREAT_CLAMP (points were moved)
 * and EFC_TREAT_SHIFTLOG. -1 for a bad argument.
 */
EFC_API int efc_index_treatment(const efc_index *index, size_t node);
/**
 * A metric of a leaf's treatment; NaN for a group or a bad argument. The
 * skewness needs 3 values and the kurtosis 4 (NaN with fewer, or for a
 * constant indicator); the counts are 0 and the range is that of the values
 * present whatever their number.
 */
EFC_API double efc_index_treatment_value(const efc_index *index, size_t node,
                                         efc_treatment_metric metric);

/** The rows screened out, in the table's order. */
EFC_API size_t efc_index_screened_count(const efc_index *index);
EFC_API size_t efc_index_screened_row(const efc_index *index, size_t i);
EFC_API const char *efc_index_screened_id(const efc_index *index, size_t i);
EFC_API const char *efc_index_screened_period(const efc_index *index, size_t i);
/** The share of the model's leaves present in the row (NaN out of range). */
EFC_API double efc_index_screened_share(const efc_index *index, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* EFC_INDEX_H */
