/* Filling the public error object from inside the library. */
#ifndef EFC_ERROR_INTERNAL_H
#define EFC_ERROR_INTERNAL_H

#include <stddef.h>

#include "efc/error.h"

#if defined(__GNUC__)
#define EFC__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define EFC__PRINTF(f, a)
#endif

/* Record a failure with a reason and no location; returns `code` so that a
 * caller can write `return efc__fail(err, EFC_ERR_..., "...")`. `err` may be
 * NULL. The format must not print floating-point numbers with %f/%g (they
 * follow the process locale): format them with efc__fmt_number first. */
efc_status efc__fail(efc_error *err, efc_status code, const char *fmt, ...) EFC__PRINTF(3, 4);

/* The same with a reason (efc__fail records EFC_REASON_NONE). */
efc_status efc__fail_r(efc_error *err, efc_status code, efc_reason reason, const char *fmt, ...)
    EFC__PRINTF(4, 5);

/* The same with the common out-of-memory message. */
efc_status efc__nomem(efc_error *err);

/* Attach a location to the failure already recorded: any of source (NULL
 * to keep), line, column (0 for none) and column name (NULL for none). */
void efc__locate(efc_error *err, const char *source, size_t line, size_t column,
                 const char *column_name);

/* Give the failure already recorded a reason (efc__fail leaves
 * EFC_REASON_NONE): the sub-code clients branch on instead of the text. */
void efc__reason(efc_error *err, efc_reason reason);

/* The other place of a failure about two places (0 for none): the line
 * and column of a duplicate's first occurrence, in the same source. */
void efc__other(efc_error *err, size_t line, size_t column);

/* The 0-based row, of an array given in memory, the failure is about;
 * in_message: the message starts with "row <row>" (efc_error_shift_row
 * then renumbers it). */
void efc__row(efc_error *err, size_t row, int in_message);

/* Copy a recorded failure from one error object to another (NULL allowed). */
void efc__error_copy(efc_error *dst, const efc_error *src);

/* Prefix the recorded message with "prefix: " (for example a node id). */
void efc__prefix(efc_error *err, const char *prefix);

#endif
