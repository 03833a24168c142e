/* CSV records with their physical line numbers, on top of libcsv. */
#ifndef EFC_CSV_READER_H
#define EFC_CSV_READER_H

#include <stddef.h>

#include "efc/common.h"
#include "efc/error.h"
#include "efc/survey.h"
#include "input.h"

#define EFC__CSV_MAX_FIELD_DEFAULT  ((size_t)1 << 20)
#define EFC__CSV_MAX_FIELDS_DEFAULT ((size_t)EFC_SURVEY_MAX_COLUMNS)

typedef struct efc__csv_config {
    char delimiter;    /* ',', ';', '\t' or another byte; 0 detects it from the first line */
    size_t max_field;  /* longest field in bytes; 0 for the default (1 MiB) */
    size_t max_fields; /* most fields in a record; 0 for the default */
} efc__csv_config;

/* Records parsed in one go: the fields of every record, each NUL-terminated,
 * in one text arena. A reader thread fills blocks while the caller's thread
 * consumes earlier ones. */
typedef struct efc__block {
    char *text;
    size_t text_len, text_cap;
    size_t *field_off, *field_len; /* all fields of all records */
    size_t nfields, fields_cap;
    size_t *rec_first, *rec_nfields, *rec_line; /* per record */
    size_t nrec, rec_cap;
    int eof;                  /* the input ends after these records */
    efc_status status;        /* an error after these records, or EFC_OK */
    efc_error *error;         /* its details, when status is set */
    unsigned long long bytes; /* input bytes consumed when the block was filled */
} efc__block;

void efc__block_init(efc__block *b);
void efc__block_free(efc__block *b, const efc_allocator *a);
void efc__block_clear(efc__block *b);

/* A view of one record: field i is text + off[i], len[i] bytes. */
typedef struct efc__csv_record {
    size_t line; /* physical line (1-based) where the record starts */
    size_t nfields;
    const char *text;
    const size_t *off;
    const size_t *len;
} efc__csv_record;

static inline const char *efc__field(const efc__csv_record *r, size_t i)
{
    return r->text + r->off[i];
}

/* The view of record k of a block. */
void efc__block_record(const efc__block *b, size_t k, efc__csv_record *r);

typedef struct efc__csv efc__csv;

/* Start reading records from `in`, which must outlive the reader. Blank
 * lines are skipped; quoting is strict (RFC 4180). */
efc_status efc__csv_open(efc__csv **out, efc__input *in, const efc__csv_config *cfg,
                         const efc_allocator *a, efc_error *err);

/* Append records to `b` until it holds max_records records or max_text
 * bytes of text, or the input ends (then b->eof is set). On an error the
 * records before it stay in the block and the error is returned, with the
 * source, line and column: EFC_ERR_CSV (quoting, NUL byte, field too long,
 * too many fields, encoding), EFC_ERR_IO, EFC_ERR_NOMEM. */
efc_status efc__csv_fill(efc__csv *c, efc__block *b, size_t max_records, size_t max_text,
                         efc_error *err);

/* Push reading, for the survey's hot path. Each line that libcsv need not
 * see (complete, outside quotes, with no quote and no NUL byte) goes to
 * `plain` as it is, without its line end; every other record is parsed by
 * libcsv and goes to `record`. Both get the physical line number and return
 * 0 to go on or 1 to stop after this record. Runs until a handler stops,
 * the input ends (*eof set) or an error (returned, with its place). */
typedef int (*efc__plain_fn)(void *ctx, const char *line, size_t len, size_t lineno);
typedef int (*efc__record_fn)(void *ctx, const efc__csv_record *rec);
efc_status efc__csv_run(efc__csv *c, efc__plain_fn plain, efc__record_fn record, void *ctx,
                        int *eof, efc_error *err);

/* Split a plain line (as given to the plain handler) into a record, with
 * libcsv's rules for unquoted fields; valid until the next call. */
efc_status efc__csv_split(efc__csv *c, const char *line, size_t len, size_t lineno,
                          efc__csv_record *rec, efc_error *err);

/* One record at a time (valid until the next call); *have is 0 at the end. */
efc_status efc__csv_next(efc__csv *c, efc__csv_record *rec, int *have, efc_error *err);

/* Input bytes consumed so far. */
unsigned long long efc__csv_bytes(const efc__csv *c);

char efc__csv_delimiter(const efc__csv *c);

/* Tests: send every line through libcsv, bypassing the quote-free splitter. */
void efc__csv_set_libcsv_only(efc__csv *c, int on);
void efc__csv_close(efc__csv *c);

#endif
