/* CSV records with their physical line numbers, on top of libcsv. */
#ifndef EFC_CSV_READER_H
#define EFC_CSV_READER_H

#include <stddef.h>

#include "efc/common.h"
#include "efc/error.h"
#include "input.h"

#define EFC__CSV_MAX_FIELD_DEFAULT  ((size_t)1 << 20)
#define EFC__CSV_MAX_FIELDS_DEFAULT ((size_t)100000)

typedef struct efc__csv_config {
    char delimiter;    /* ',', ';', '\t' or another byte; 0 detects it from the first line */
    size_t max_field;  /* longest field in bytes; 0 for the default (1 MiB) */
    size_t max_fields; /* most fields in a record; 0 for the default */
} efc__csv_config;

typedef struct efc__csv_record {
    size_t line; /* physical line (1-based) where the record starts */
    size_t nfields;
    const char *const *fields; /* NUL-terminated, not checked for UTF-8 */
    const size_t *lens;
} efc__csv_record;

typedef struct efc__csv efc__csv;

/* Start reading records from `in`, which must outlive the reader. Blank
 * lines are skipped; quoting is strict (RFC 4180). */
efc_status efc__csv_open(efc__csv **out, efc__input *in, const efc__csv_config *cfg,
                         const efc_allocator *a, efc_error *err);

/* The next record in *rec (valid until the next call); *have is 0 at the
 * end. Errors carry the source, line and column: EFC_ERR_CSV (quoting,
 * NUL byte, field too long, too many fields, encoding), EFC_ERR_IO,
 * EFC_ERR_NOMEM. */
efc_status efc__csv_next(efc__csv *c, efc__csv_record *rec, int *have, efc_error *err);

char efc__csv_delimiter(const efc__csv *c);
void efc__csv_close(efc__csv *c);

#endif
