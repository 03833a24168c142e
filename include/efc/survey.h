/*
 * libefc — reading and scoring survey files.
 *
 * A survey is a CSV file with one row per assessment: an id column (the
 * actor), an optional period column (a number or a date), optional grouping
 * columns (sector, size, functional sphere...) and one column per leaf of
 * the model, named by the leaf's id. docs/survey.md describes the format.
 *
 * Reading streams: efc_survey_open_*() reads the header, then each
 * efc_survey_read() fills a caller-owned efc_batch with the next rows,
 * scored. Memory is bounded by the batch capacity whatever the size of the
 * file (except with combining, which must see every row of an actor first).
 * Every data row is accounted for: it is scored, or rejected with its line
 * and reason (skip mode), or the read stops with an error naming the file,
 * line, column and reason (fail mode).
 *
 * An efc_survey and its batches are used by one thread at a time; several
 * surveys may read in parallel with one shared finalized model.
 */
#ifndef EFC_SURVEY_H
#define EFC_SURVEY_H

#include <stdio.h>

#include "common.h"
#include "error.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Text encodings of survey files. */
typedef enum efc_encoding {
    EFC_ENCODING_AUTO = 0,        /**< UTF-8, or UTF-16 when a byte order mark says so */
    EFC_ENCODING_UTF8 = 1,        /**< UTF-8, with or without a byte order mark */
    EFC_ENCODING_UTF16 = 2,       /**< UTF-16 with a byte order mark */
    EFC_ENCODING_UTF16LE = 3,     /**< UTF-16 little-endian, byte order mark optional */
    EFC_ENCODING_UTF16BE = 4,     /**< UTF-16 big-endian, byte order mark optional */
    EFC_ENCODING_WINDOWS_1252 = 5 /**< Windows-1252, as older French Excel writes CSV */
} efc_encoding;

/** How periods written as dates are read. Numbers are always accepted. */
typedef enum efc_date_format {
    EFC_DATE_FORMAT_ISO = 0, /**< YYYY-MM-DD */
    EFC_DATE_FORMAT_DMY = 1  /**< dd/mm/yyyy (d/m/yyyy too); YYYY-MM-DD still accepted */
} efc_date_format;

/** What a survey's periods are, decided by the first non-empty one. */
typedef enum efc_period_kind {
    EFC_PERIOD_NONE = 0,   /**< no period column, or no period seen yet */
    EFC_PERIOD_NUMBER = 1, /**< numbers, such as years */
    EFC_PERIOD_DATE = 2    /**< dates; their value is days since 1970-01-01 */
} efc_period_kind;

/**
 * The most fields a survey row may have: a row with more is refused
 * (EFC_ERR_CSV). So a model has at most EFC_MODEL_MAX_LEAVES leaves (model.h),
 * which with the id and period columns make a row of this size.
 */
#define EFC_SURVEY_MAX_COLUMNS 100000

/** Bytes a canonical period text needs, with its NUL ("2024-03-31"). */
#define EFC_PERIOD_TEXT_SIZE 40

/**
 * Parse a period as the survey reader does: a number (written with a
 * decimal comma when `decimal_comma` is not 0), or a date, YYYY-MM-DD or,
 * with EFC_DATE_FORMAT_DMY, dd/mm/yyyy; blanks around it are ignored. Stores into
 * the outputs that are not NULL its kind (EFC_PERIOD_NONE for an empty
 * text), its value (the number, or days since 1970-01-01) and its canonical
 * text ("2024", "2024.5", "2024-03-31"; `canonical` must hold
 * EFC_PERIOD_TEXT_SIZE bytes). Programs use it to name a period as the
 * survey wrote it (efc_ranking_options_set_period() and
 * efc_sensitivity_options_set_period() take canonical periods too).
 * Errors: EFC_ERR_ARGUMENT (text NULL), EFC_ERR_VALUE (not a period: the
 * message says why).
 */
EFC_API efc_status efc_period_parse(efc_period_kind *kind, double *value, char *canonical,
                                    const char *text, efc_date_format format, int decimal_comma,
                                    efc_error *err);

/** Whether rows with the same actor and period are combined before scoring. */
typedef enum efc_combine {
    EFC_COMBINE_NONE = 0,  /**< score each row */
    EFC_COMBINE_MEAN = 1,  /**< the mean of each item over the rows answering it */
    EFC_COMBINE_MEDIAN = 2 /**< the median of each item over the rows answering it */
} efc_combine;

/** What a bad data row does. */
typedef enum efc_on_error {
    EFC_ON_ERROR_FAIL = 0, /**< stop at the first bad row (the default) */
    EFC_ON_ERROR_SKIP = 1  /**< reject the row, report it, go on */
} efc_on_error;

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

/** Options for reading a survey; new options may be added in later releases. */
typedef struct efc_survey_options efc_survey_options;

/**
 * Create options with the defaults: id column "id" (else the first column),
 * period column "period" if there is one, no grouping column, delimiter
 * detected, encoding auto, decimal point, ISO dates, no "no answer" token
 * but the empty field, values outside the goalposts clamped, no combining,
 * fail on the first bad row, fields up to 1 MiB, one thread.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_survey_options_create(efc_survey_options **out, const efc_allocator *alloc,
                                             efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_survey_options_free(efc_survey_options *opts);

/** Name the id column (NULL restores the default). */
EFC_API efc_status efc_survey_options_set_id_column(efc_survey_options *opts, const char *name,
                                                    efc_error *err);

/** Name the period column; "" means none; NULL restores the default. */
EFC_API efc_status efc_survey_options_set_period_column(efc_survey_options *opts, const char *name,
                                                        efc_error *err);

/** Add a grouping column, carried through to the results. */
EFC_API efc_status efc_survey_options_add_group_column(efc_survey_options *opts, const char *name,
                                                       efc_error *err);

/**
 * Set the delimiter: a single byte other than a quote, CR or LF; 0 detects it
 * from the header line among ',' ';' and tab.
 */
EFC_API efc_status efc_survey_options_set_delimiter(efc_survey_options *opts, char delimiter,
                                                    efc_error *err);

/** Set the encoding (EFC_ENCODING_AUTO by default). */
EFC_API efc_status efc_survey_options_set_encoding(efc_survey_options *opts, efc_encoding encoding,
                                                   efc_error *err);

/**
 * Read numbers with a decimal comma ("2,5") instead of a point. The comma
 * cannot then be the delimiter.
 */
EFC_API efc_status efc_survey_options_set_decimal_comma(efc_survey_options *opts, int on,
                                                        efc_error *err);

/** How dates in the period column are written. */
EFC_API efc_status efc_survey_options_set_date_format(efc_survey_options *opts,
                                                      efc_date_format format, efc_error *err);

/**
 * Add a token that means "no answer" in a value column (for example "NA",
 * "n/a", "-"); compared with the field without its surrounding spaces. An
 * empty field always means "no answer".
 */
EFC_API efc_status efc_survey_options_add_na_token(efc_survey_options *opts, const char *token,
                                                   efc_error *err);

/**
 * With strict range on, a value outside its leaf's goalposts is a bad value
 * (the row is rejected or the read stops) instead of being clamped.
 */
EFC_API efc_status efc_survey_options_set_strict_range(efc_survey_options *opts, int on,
                                                       efc_error *err);

/**
 * With labels on, a value that is not a number is read as the text of one
 * of its item's levels (the codebook's `levels`, docs/codebook.md), in the
 * base texts or any translation: the exact text, else the text but for
 * the case of ASCII and Latin-1 letters ("agree" for "Agree"); the value
 * is the level's. A text that is no level is a bad value (EFC_ERR_VALUE,
 * reason EFC_REASON_UNKNOWN_NAME) whose message lists the levels accepted.
 * Numbers are read as numbers first. Off by default.
 */
EFC_API efc_status efc_survey_options_set_labels(efc_survey_options *opts, int on, efc_error *err);

/**
 * Read one answer to leaf number `leaf` of a finalized model as a survey
 * with `opts` (NULL: the defaults) reads its field: blanks around it
 * ignored; empty or a "no answer" token: NaN; a number written with a
 * decimal point (a decimal comma with efc_survey_options_set_decimal_comma);
 * with efc_survey_options_set_labels, the text of one of its levels. The
 * goalposts and the transform are not checked here: scoring checks them.
 * Bindings read text answers with it, so that every reader follows one
 * rule. Errors: EFC_ERR_VALUE (not a number: reason EFC_REASON_NOT_A_NUMBER;
 * not a level: EFC_REASON_UNKNOWN_NAME; the column name of the error is the
 * leaf's id), EFC_ERR_ARGUMENT (NULL, no such leaf), EFC_ERR_STATE (model
 * not finalized).
 */
EFC_API efc_status efc_answer_parse(double *value, const efc_model *model, size_t leaf,
                                    const char *text, const efc_survey_options *opts,
                                    efc_error *err);

/**
 * Combine the rows of the same actor and period before scoring. The survey
 * then keeps each actor-period in memory until the end of the file (mean:
 * one sum per item; median: every value), and hands out the combined rows
 * after reading everything, in the order of their first row.
 */
EFC_API efc_status efc_survey_options_set_combine(efc_survey_options *opts, efc_combine combine,
                                                  efc_error *err);

/** Stop at the first bad row (EFC_ON_ERROR_FAIL) or reject it and go on. */
EFC_API efc_status efc_survey_options_set_on_error(efc_survey_options *opts, efc_on_error policy,
                                                   efc_error *err);

/** Longest field accepted, in bytes (at least 64; default 1 MiB). */
EFC_API efc_status efc_survey_options_set_max_field(efc_survey_options *opts, size_t bytes,
                                                    efc_error *err);

/**
 * Threads used to read: 1 (the default) reads in the calling thread; 2 or
 * more add a reader thread that reads, checks and converts rows ahead while
 * the calling thread takes them, the scoring going to whichever thread is
 * free, which about halves the time on two cores; 0 chooses by the number
 * of cores (one reader thread at most: parsing a file is sequential).
 * Results are identical whatever the number. With a reader thread the
 * survey's allocator is also called from that thread, so it must be
 * thread-safe (the default one is).
 */
EFC_API efc_status efc_survey_options_set_threads(efc_survey_options *opts, unsigned threads,
                                                  efc_error *err);

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

/** A survey being read. */
typedef struct efc_survey efc_survey;

/**
 * Open a survey file and read its header. The model must be finalized and
 * outlive the survey; the options are copied (NULL for the defaults).
 * Errors, with the file, line 1 and the column: EFC_ERR_IO, EFC_ERR_CSV,
 * EFC_ERR_SURVEY (empty file, duplicate column name, no column matching a
 * leaf, an id, period or grouping column that is missing or is a leaf),
 * EFC_ERR_STATE (model not finalized), EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_survey_open_path(efc_survey **out, const efc_model *model, const char *path,
                                        const efc_survey_options *opts, const efc_allocator *alloc,
                                        efc_error *err);

/** Like efc_survey_open_path(), reading an open stream (not closed); `name` for messages. */
EFC_API efc_status efc_survey_open_file(efc_survey **out, const efc_model *model, FILE *fp,
                                        const char *name, const efc_survey_options *opts,
                                        const efc_allocator *alloc, efc_error *err);

/**
 * Like efc_survey_open_path(), reading `size` bytes of memory, which must
 * stay valid and unchanged until the survey is freed.
 */
EFC_API efc_status efc_survey_open_buffer(efc_survey **out, const efc_model *model,
                                          const void *data, size_t size, const char *name,
                                          const efc_survey_options *opts,
                                          const efc_allocator *alloc, efc_error *err);

/** Close the file (if opened by path) and free the survey. NULL is allowed. */
EFC_API void efc_survey_free(efc_survey *survey);

/* ------------------------------------------------------------------ */
/* The header                                                          */
/* ------------------------------------------------------------------ */

/** Number of columns in the header, and the name of each (by 0-based column). */
EFC_API size_t efc_survey_column_count(const efc_survey *survey);
EFC_API const char *efc_survey_column_name(const efc_survey *survey, size_t column);

/** Leaf number read from a column, EFC_NO_NODE if the column is not a leaf. */
EFC_API size_t efc_survey_column_leaf(const efc_survey *survey, size_t column);

/** The id column (0-based). */
EFC_API size_t efc_survey_id_column(const efc_survey *survey);

/** The period column (0-based), EFC_NO_NODE when there is none. */
EFC_API size_t efc_survey_period_column(const efc_survey *survey);

/** The grouping columns, in the order given. */
EFC_API size_t efc_survey_group_count(const efc_survey *survey);
EFC_API size_t efc_survey_group_column(const efc_survey *survey, size_t i);

/**
 * Leaves of the model that have no column in the survey (a warning: they are
 * scored as missing): their count, and the leaf number of each.
 */
EFC_API size_t efc_survey_missing_leaf_count(const efc_survey *survey);
EFC_API size_t efc_survey_missing_leaf(const efc_survey *survey, size_t i);

/**
 * Columns that are neither a leaf nor the id, period or a grouping column
 * (ignored: a warning, since a misspelt item lands here): count and each.
 */
EFC_API size_t efc_survey_ignored_column_count(const efc_survey *survey);
EFC_API size_t efc_survey_ignored_column(const efc_survey *survey, size_t i);

/** The delimiter in use (given or detected). */
EFC_API char efc_survey_delimiter(const efc_survey *survey);

/** The kind of periods seen so far (EFC_PERIOD_NONE before the first). */
EFC_API efc_period_kind efc_survey_period_kind(const efc_survey *survey);

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/** Rows handed out by efc_survey_read(), owned by the caller. */
typedef struct efc_batch efc_batch;

/**
 * Create a batch for up to `capacity` rows (and as many rejected rows) of
 * this survey. The batch refers to the survey, which must outlive it.
 * Errors: EFC_ERR_ARGUMENT (capacity 0), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_batch_create(efc_batch **out, const efc_survey *survey, size_t capacity,
                                    const efc_allocator *alloc, efc_error *err);

/** Free a batch. NULL is allowed. */
EFC_API void efc_batch_free(efc_batch *batch);

/**
 * Fill `batch` with the next rows, scored, replacing its previous content:
 * at most its capacity of rows plus rejected rows, and usually that many,
 * but fewer do not mean the end; a batch with no row and no rejected row
 * means the end. Any capacity works; a few hundred rows or more keep the
 * cost per row low. In skip mode bad rows are put in the batch as rejected rows; in
 * fail mode the first one stops the read with an error naming the file,
 * the line, the column and the reason (EFC_ERR_VALUE for a bad value,
 * EFC_ERR_SURVEY for a bad row) and the survey cannot be read further.
 * Malformed CSV (EFC_ERR_CSV) and I/O errors stop the read in both modes.
 */
EFC_API efc_status efc_survey_read(efc_batch *batch, efc_survey *survey, efc_error *err);

/** Number of rows in the batch. */
EFC_API size_t efc_batch_rows(const efc_batch *batch);

/**
 * Strings of row `row`, valid until the next read into the batch: the id,
 * the period in canonical form ("2024", "2024-03-31"; "" when empty or when
 * there is no period column) and grouping column `g` (in the order given).
 * NULL for an invalid index.
 */
EFC_API const char *efc_batch_id(const efc_batch *batch, size_t row);
EFC_API const char *efc_batch_period(const efc_batch *batch, size_t row);
EFC_API const char *efc_batch_group(const efc_batch *batch, size_t row, size_t g);

/**
 * The period of a row as a number: the number itself, or days since
 * 1970-01-01 for a date; NaN when empty.
 */
EFC_API double efc_batch_period_value(const efc_batch *batch, size_t row);

/** Physical line of the row in the file (of its first row when combined). */
EFC_API size_t efc_batch_line(const efc_batch *batch, size_t row);

/** Number of input rows combined into this row (1 without combining). */
EFC_API size_t efc_batch_respondents(const efc_batch *batch, size_t row);

/**
 * The same three for every row at once, as arrays of efc_batch_rows()
 * elements (for bindings that convert columns at once). Valid until the
 * next read.
 */
EFC_API const double *efc_batch_period_values(const efc_batch *batch);
EFC_API const size_t *efc_batch_lines(const efc_batch *batch);
EFC_API const size_t *efc_batch_respondent_counts(const efc_batch *batch);

/**
 * The values read, rows x leaves in C order (NaN = no answer; combined
 * values when combining), and the scores and coverages, rows x nodes in C
 * order (as efc_model_score_batch gives them). Valid until the next read.
 */
EFC_API const double *efc_batch_values(const efc_batch *batch);
EFC_API const double *efc_batch_scores(const efc_batch *batch);
EFC_API const double *efc_batch_coverages(const efc_batch *batch);

/** Number of values clamped to their goalposts in the rows of this batch. */
EFC_API size_t efc_batch_clamped_count(const efc_batch *batch);

/** Number of rejected rows in the batch (skip mode). */
EFC_API size_t efc_batch_rejected_count(const efc_batch *batch);

/**
 * A rejected row: its physical line, the 1-based column concerned (0 when
 * the whole row is), that column's name ("" when none), the reason, and the
 * fields of the row as read. NULL / 0 for an invalid index.
 */
EFC_API size_t efc_batch_rejected_line(const efc_batch *batch, size_t i);
EFC_API size_t efc_batch_rejected_column(const efc_batch *batch, size_t i);
EFC_API const char *efc_batch_rejected_column_name(const efc_batch *batch, size_t i);
EFC_API const char *efc_batch_rejected_reason(const efc_batch *batch, size_t i);
EFC_API size_t efc_batch_rejected_field_count(const efc_batch *batch, size_t i);
EFC_API const char *efc_batch_rejected_field(const efc_batch *batch, size_t i, size_t field);

/* ------------------------------------------------------------------ */
/* Counts                                                              */
/* ------------------------------------------------------------------ */

/**
 * Data rows read so far (the header is not a data row, nor a row of empty
 * fields). In fail mode the row that stopped the reading is not counted.
 */
EFC_API unsigned long long efc_survey_rows_read(const efc_survey *survey);

/** Data rows rejected so far; rows read = rows accepted + rows rejected. */
EFC_API unsigned long long efc_survey_rows_rejected(const efc_survey *survey);

/** Rows handed out so far (combined rows count once). */
EFC_API unsigned long long efc_survey_rows_out(const efc_survey *survey);

/** Values clamped to their goalposts so far, in accepted rows. */
EFC_API unsigned long long efc_survey_clamped_count(const efc_survey *survey);

/**
 * Combined rows whose grouping values differed between their input rows
 * (the first row's values are kept).
 */
EFC_API unsigned long long efc_survey_group_conflicts(const efc_survey *survey);

/**
 * Rows whose every field is empty (as spreadsheets leave after the data),
 * skipped like blank lines: they are not data rows and not counted as read.
 */
EFC_API unsigned long long efc_survey_rows_empty(const efc_survey *survey);

/** Bytes of the file consumed so far, for progress reports. */
EFC_API unsigned long long efc_survey_bytes_read(const efc_survey *survey);

#ifdef __cplusplus
}
#endif

#endif /* EFC_SURVEY_H */
