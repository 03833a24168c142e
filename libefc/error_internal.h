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

/* The same with the common out-of-memory reason. */
efc_status efc__nomem(efc_error *err);

/* Attach a location to the failure already recorded: any of source (NULL
 * to keep), line, column (0 for none) and column name (NULL for none). */
void efc__locate(efc_error *err, const char *source, size_t line, size_t column,
                 const char *column_name);

/* Copy a recorded failure from one error object to another (NULL allowed). */
void efc__error_copy(efc_error *dst, const efc_error *src);

/* Prefix the recorded message with "prefix: " (for example a node id). */
void efc__prefix(efc_error *err, const char *prefix);

#endif
