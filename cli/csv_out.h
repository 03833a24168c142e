/* Writing CSV output in a dialect: RFC 4180 with LF line ends, or the one
 * French spreadsheets read (';', decimal comma, byte order mark, CRLF). */
#ifndef EFC_CLI_CSV_OUT_H
#define EFC_CLI_CSV_OUT_H

#include <stddef.h>
#include <stdio.h>

#include <efc/names.h>

typedef struct csv_out {
    FILE *fp;
    char delimiter;
    char decimal;
    const char *eol;
    char *buf; /* the rows not yet written */
    size_t len, cap;
    int failed; /* out of memory, or a write failed */
    int first_field;
} csv_out;

typedef enum csv_dialect { DIALECT_CSV = 0, DIALECT_EXCEL_FR = 1 } csv_dialect;

/* Start writing; writes the byte order mark of excel-fr. */
int csv_out_init(csv_out *w, FILE *fp, csv_dialect dialect);
void csv_out_free(csv_out *w);

/* A text field, quoted when it needs to be. */
void csv_out_text(csv_out *w, const char *s);
/* A score in [0, 1] times `scale` (1 or 100) with 12 - 2 * (scale == 100)
 * decimals, trailing zeros trimmed; an empty field for NaN. */
void csv_out_score(csv_out *w, double v, int scale);
/* Any number times `scale` (1 or 100) with the decimals of scores (12, or
 * 10 on 0..100), trailing zeros trimmed; from 9 million on, every
 * significant digit. An empty field for NaN, infinities and values that
 * overflow times `scale`. */
void csv_out_real(csv_out *w, double v, int scale);
/* A period as libefc writes it, with the output's decimal separator. */
void csv_out_period(csv_out *w, const char *period);
/* An unsigned integer; an empty field. */
void csv_out_uint(csv_out *w, unsigned long long v);
void csv_out_empty(csv_out *w);
/* The library's name of an enumerator (efc/names.h), as a column header or
 * a value: the tool spells none of them itself. */
void csv_out_name(csv_out *w, efc_enum_type type, int value);
/* Names of `n` values of one enumeration, in that order. */
void csv_out_names(csv_out *w, efc_enum_type type, const int *values, size_t n);
/* A whole number (a rank, a count), or an empty field for NaN. */
void csv_out_count(csv_out *w, double v);
/* End the row. Rows gather in the buffer until csv_out_flush: one write
 * per batch rather than per row. Returns 0 once out of memory. */
int csv_out_end_row(csv_out *w);
/* Hand the buffered rows to the stream once they fill 64 KiB, so that a
 * long output needs no more memory; a failure shows at csv_out_flush(). */
void csv_out_flush_some(csv_out *w);
/* Hand the buffered rows to the stream. Returns 0 on a write error or if
 * memory ran out while building them. */
int csv_out_flush(csv_out *w);

/* Format v (in [0, 1]) like csv_out_score into buf (at least 32 bytes);
 * returns the length. Exposed for tests of the formatter. */
size_t format_score(double v, int scale, char decimal, char *buf);

#endif
