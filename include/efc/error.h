/*
 * libefc — the error object.
 *
 * Fallible functions take an optional `efc_error *` as their last argument.
 * On failure they fill it with the status code, a message for people, a
 * reason for programs (efc_reason) and, when the problem is in a file, the
 * source name, the physical line (1-based, the header is line 1), the
 * column (1-based field number) and the column's name. A failure that
 * involves two places (a duplicate and its first occurrence) also gives
 * the other place (efc_error_other_line, _other_column); one about a row of
 * an array passed in memory gives the row (efc_error_row). Clients branch
 * on the status and the reason and never parse the message. On success
 * they leave it untouched. Passing NULL is allowed: the status code is
 * still returned.
 *
 * An error object is owned by the caller, may be reused for many calls and
 * is not thread-safe: give each thread its own. Filling it never allocates,
 * so out-of-memory errors are reported like any other.
 */
#ifndef EFC_ERROR_H
#define EFC_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct efc_error efc_error;

/**
 * Why a call failed, finer than its status: a stable sub-code for a client
 * to branch on, so that no client reads the text of a message (which is
 * for people and may be reworded). EFC_REASON_NONE means no finer reason
 * than the status (an argument, an allocation, a file that cannot be read,
 * and every failure not listed here). The set is not exhaustive: new
 * reasons are only ever appended, a failure may gain a reason in a later
 * release, and a value never changes its meaning. efc/names.h spells them
 * (EFC_ENUM_REASON: "duplicate_assessment", ...).
 */
typedef enum efc_reason {
    EFC_REASON_NONE = 0,                 /**< no finer reason than the status */
    EFC_REASON_DUPLICATE_ASSESSMENT = 1, /**< a panel has two assessments of one actor for one
                                              period (efc_panel_finalize; other_line: the
                                              first, line: the second, when both rows came
                                              with a line) */
    EFC_REASON_DUPLICATE_ID = 2,         /**< a model's node id is used twice (other_line: the
                                              first, when the model comes from a codebook) */
    EFC_REASON_DUPLICATE_COLUMN = 3,     /**< a header names a column twice (other_column: the
                                              first) */
    EFC_REASON_MISSING_COLUMN = 4,       /**< a column the file needs is not in its header (a
                                              codebook's id or parent, a survey's id, period or
                                              grouping column, any column of an item) */
    EFC_REASON_UNKNOWN_COLUMN = 5,       /**< a codebook's header has a column it does not know */
    EFC_REASON_FIELD_COUNT = 6,          /**< a row has not as many fields as the header */
    EFC_REASON_NOT_A_NUMBER = 7,         /**< a field that must be a number is not one (empty,
                                              malformed, too large, too long) */
    EFC_REASON_NOT_FINITE = 8,           /**< a value to score is infinite */
    EFC_REASON_OUT_OF_RANGE = 9,         /**< a value outside its allowed range: an answer
                                              outside the goalposts in strict mode, a score
                                              outside [0, 1], a weight < 0, a share outside
                                              [0, 1] */
    EFC_REASON_LOG_DOMAIN = 10,          /**< an answer <= 0 for a leaf with the log transform */
    EFC_REASON_EMPTY_ID = 11,            /**< an id is empty (a survey row's, an actor's, a
                                              node's) */
    EFC_REASON_BAD_TEXT = 12,            /**< text that is not valid UTF-8 or holds control
                                              characters (an id, a name, a field) */
    EFC_REASON_BAD_PERIOD = 13,          /**< a period that cannot be read */
    EFC_REASON_MIXED_PERIODS = 14,       /**< number and date periods in one survey */
    EFC_REASON_UNKNOWN_NAME = 15,        /**< a word that is none of the names accepted
                                              (efc_enum_parse, a codebook's keywords) */
    EFC_REASON_UNKNOWN_PARENT = 16,      /**< a node's parent is not in the model */
    EFC_REASON_SECOND_ROOT = 17,         /**< a second node with an empty parent (other_line:
                                              the first root's, from a codebook) */
    EFC_REASON_NEEDS_INDEX = 18          /**< the model has data-driven steps (efc/index.h):
                                              it scores a whole table with efc_index_run(),
                                              not one row at a time */
} efc_reason;

/**
 * Create an empty error object (code EFC_OK). On success stores it in *out;
 * free it with efc_error_free(). Returns EFC_ERR_ARGUMENT if out is NULL and
 * EFC_ERR_NOMEM if the allocation fails (then *out is NULL).
 */
EFC_API efc_status efc_error_create(efc_error **out, const efc_allocator *alloc);

/** Free an error object. NULL is allowed. */
EFC_API void efc_error_free(efc_error *err);

/** Reset an error object to EFC_OK with empty fields. NULL is allowed. */
EFC_API void efc_error_clear(efc_error *err);

/** The status code of the last failure recorded, EFC_OK if none. */
EFC_API efc_status efc_error_code(const efc_error *err);

/**
 * The message alone, for people, for example "weight must be finite and
 * >= 0". Never NULL. Its wording may change between releases: a program
 * branches on efc_error_code and efc_error_reason instead.
 */
EFC_API const char *efc_error_message(const efc_error *err);

/** The name of the file or stream concerned, "" when none. Never NULL. */
EFC_API const char *efc_error_source(const efc_error *err);

/** The physical line (1-based) concerned, 0 when not about a line. */
EFC_API size_t efc_error_line(const efc_error *err);

/** The column (1-based field number) concerned, 0 when not about a column. */
EFC_API size_t efc_error_column(const efc_error *err);

/** The name of the column concerned (from the header row), "" when none. */
EFC_API const char *efc_error_column_name(const efc_error *err);

/**
 * The reason of the last failure recorded, finer than its status;
 * EFC_REASON_NONE when there is none finer (or no failure, or err NULL).
 */
EFC_API efc_reason efc_error_reason(const efc_error *err);

/**
 * The other line concerned by a failure about two places, 0 when none: the
 * first occurrence of a duplicate (EFC_REASON_DUPLICATE_ASSESSMENT: the
 * first of the two assessments, efc_error_line being the second;
 * EFC_REASON_DUPLICATE_ID and EFC_REASON_SECOND_ROOT: the line of the
 * first node). Always in the same source as efc_error_line.
 */
EFC_API size_t efc_error_other_line(const efc_error *err);

/**
 * The other column (1-based) concerned by a failure about two places, 0
 * when none: for EFC_REASON_DUPLICATE_COLUMN, the first column of that
 * name (efc_error_column being the second).
 */
EFC_API size_t efc_error_other_column(const efc_error *err);

/**
 * The row (0-based, in the array given to the call) of a failure about a
 * row held in memory, EFC_NONE when the failure is not about such a row:
 * efc_model_score_batch's bad row, 0 for efc_model_score. Errors about a
 * line of a file give efc_error_line instead.
 */
EFC_API size_t efc_error_row(const efc_error *err);

/**
 * Make the failure recorded about a larger array: for a caller that passed
 * a slice starting at row `offset` of its own array (threads, chunks),
 * add `offset` to efc_error_row and to the row the message and the text
 * name, so that they count from the start of the whole. Does nothing when
 * err is NULL or the failure is not about a row (efc_error_row EFC_NONE).
 * Never allocates.
 */
EFC_API void efc_error_shift_row(efc_error *err, size_t offset);

/**
 * The whole error as one line, "source:line:column: message" with the
 * parts that are known (for example "model.csv:4:7: weight must be ...").
 * Never NULL; valid until the error object is changed or freed.
 */
EFC_API const char *efc_error_text(const efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_ERROR_H */
