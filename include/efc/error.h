/*
 * libefc — the error object.
 *
 * Fallible functions take an optional `efc_error *` as their last argument.
 * On failure they fill it with the status code, a reason and, when the
 * problem is in a file, the source name, the physical line (1-based, the
 * header is line 1), the column (1-based field number) and the column's
 * name. On success they leave it untouched. Passing NULL is allowed: the
 * status code is still returned.
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

/** The reason alone, for example "weight must be finite and >= 0". Never NULL. */
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
 * The whole error as one line, "source:line:column: message" with the
 * parts that are known (for example "model.csv:4:7: weight must be ...").
 * Never NULL; valid until the error object is changed or freed.
 */
EFC_API const char *efc_error_text(const efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_ERROR_H */
