/* The inside of surveys, their options and batches. */
#ifndef EFC_SURVEY_INTERNAL_H
#define EFC_SURVEY_INTERNAL_H

#include <stdint.h>

#include "csv_reader.h"
#include "efc/survey.h"
#include "input.h"
#include "strbuf.h"

struct efc_survey_options {
    efc_allocator alloc;
    char *id_column;     /* NULL: "id", else the first column */
    char *period_column; /* NULL: "period" if present; "": none */
    char **groups;
    size_t ngroups;
    char delimiter; /* 0: detect */
    efc_encoding encoding;
    int decimal_comma;
    efc_date_format date_format;
    char **na;
    size_t nna;
    int strict_range;
    int labels; /* a value that is not a number may be a level's text */
    efc_combine combine;
    efc_on_error on_error;
    size_t max_field;
    unsigned threads; /* 0: one per core; 1: no reader thread */
};

/* 1 when s[0 .. n) is one of the options' missing-value tokens. */
int efc__survey_is_na(const efc_survey_options *o, const char *s, size_t n);

/* Deep copy of options, with the survey's allocator. */
efc_status efc__survey_options_copy(efc_survey_options **out, const efc_survey_options *src,
                                    const efc_allocator *alloc, efc_error *err);

/* A parsed period. */
typedef struct efc__period {
    efc_period_kind kind;            /* EFC_PERIOD_NONE when empty */
    double value;                    /* number, or days since 1970-01-01; NaN when empty */
    char text[EFC_PERIOD_TEXT_SIZE]; /* canonical text, "" when empty */
} efc__period;

/* Parse a period field; returns NULL or the reason it is not a period. */
const char *efc__parse_period(const char *s, size_t n, efc_date_format fmt, char decimal,
                              efc__period *out);

/* A period parsed lately, by its text. */
#define PERIOD_CACHE 4
typedef struct efc__period_memo {
    char text[32];
    size_t len;
    efc__period period;
    int used;
} efc__period_memo;

/* What a column holds. */
enum { ROLE_IGNORED, ROLE_ID, ROLE_PERIOD, ROLE_GROUP, ROLE_LEAF };

/* Rows kept for combining, then handed out combined (survey_combine.c). */
typedef struct efc__combiner efc__combiner;
/* Converted rows on their way from the producer to the reader. */
typedef struct efc__unit efc__unit;

struct efc_survey {
    efc_allocator alloc;
    const efc_model *model;
    efc_survey_options *opts;
    efc__input in;
    int in_open;
    efc__csv *csv;
    size_t header_line;
    size_t ncols;
    char **cols;
    size_t *col_leaf; /* leaf number per column, or EFC_NO_NODE */
    size_t id_col;
    size_t period_col; /* EFC_NO_NODE when none */
    size_t *group_cols;
    size_t ngroups;
    size_t *missing; /* leaves without a column */
    size_t nmissing;
    size_t *ignored; /* columns ignored */
    size_t nignored;
    efc_period_kind period_kind;
    unsigned long long rows_read, rows_rejected, rows_out, clamped, conflicts, rows_empty;
    int input_done;     /* the last record was read */
    int broken;         /* a fatal error happened: no further reads */
    double *row;        /* values of the row being parsed, by leaf */
    size_t *value_cols; /* columns holding leaves, in order */
    size_t nvalue_cols;
    unsigned char *col_role;                    /* ROLE_* of each column, for the fast path */
    size_t *col_index;                          /* its leaf or group number */
    size_t *group_span;                         /* the fast path's grouping fields: start, length */
    efc__period_memo period_memo[PERIOD_CACHE]; /* periods parsed lately */
    int period_next;
    unsigned char ws[256]; /* bytes the fast path trims: space, tab, unless the delimiter */
    uint16_t *digit_ok;    /* per leaf: bit d set when the answer d needs no check */
    /* a fitted model's row-local steps (row_steps.h): the columns of the
     * model's aux columns, the row's aux values, the leaves' columns, and
     * the row's node scores and coverages, computed while parsing to check
     * the steps, and kept as the row's scores (keep) */
    size_t *aux_col;
    double *aux_row;
    size_t *leaf_col; /* EFC_NO_NODE: none */
    double *check, *check_cov;
    efc__combiner *comb;
    /* the producer's side */
    int produced_all; /* the end of the input or an error was reached */
    int threaded;     /* a reader thread produces: scoring is shared with it */
    efc_period_kind produced_kind;
    /* the consumer's side */
    struct efc__feeder *feed;
    efc__unit *unit; /* the unit being consumed */
    size_t unit_pos;
    unsigned long long bytes; /* input consumed by the units taken so far */
};

/* Units of converted rows, produced on demand or by a reader thread
 * (survey_feed.c). */
efc_status efc__feeder_start(efc_survey *s, efc_error *err);
/* The next unit, owned by the feeder until the next call. */
efc_status efc__feeder_next(efc_survey *s, efc__unit **out, efc_error *err);
void efc__feeder_stop(efc_survey *s);
/* The number of reader threads the options ask for (0 or 1). */
int efc__feeder_threads(const efc_survey_options *o);

/* A rejected row. Strings are offsets into the batch's text. */
typedef struct efc__reject {
    size_t line;
    size_t column;
    size_t name;
    size_t reason;
    size_t first_field; /* into field_offs */
    size_t nfields;
} efc__reject;

struct efc_batch {
    efc_allocator alloc;
    const efc_survey *survey;
    size_t capacity;
    size_t leaves, nodes, ngroups;
    size_t rows;
    double *values, *scores, *coverage, *period_values;
    size_t *lines, *respondents;
    size_t *str; /* per row: id, period, groups... offsets into text */
    efc__strbuf text;
    size_t clamped;
    efc__reject *rejects;
    size_t nrejects;
    size_t *field_offs;
    size_t nfield_offs, field_offs_cap;
    /* rows and rejected rows in file order, and the values clamped per row:
     * what copying from one batch to another needs */
    unsigned char *item_is_reject;
    size_t *item_index; /* the item's row or rejected row */
    size_t nitems;
    size_t *row_clamped;
    int scored; /* scores and coverages are set */
};

/* Batch filling, for the producer, the reader and the combiner. */
void efc__batch_reset(efc_batch *b);
int efc__batch_full(const efc_batch *b);
/* Add a row; its strings are added in order: id, period, then groups with
 * efc__batch_add_group. Returns the row index, or EFC_NO_NODE when out of
 * memory. */
size_t efc__batch_add_row(efc_batch *b, const char *id, size_t id_len, const char *period,
                          double period_value, size_t line, size_t respondents, size_t clamped);
int efc__batch_add_group(efc_batch *b, size_t row, size_t g, const char *text, size_t n);
/* Record a rejected row with the fields of its record. Returns 0 when out of memory. */
int efc__batch_add_reject(efc_batch *b, size_t line, size_t column, const char *name,
                          const char *reason, const efc__csv_record *rec);
/* Copy the items of `src` from *pos up to `end` into `dst`, stopping when
 * dst is full; *pos advances. Returns 0 when out of memory. */
int efc__batch_copy_items(efc_batch *dst, const efc_batch *src, size_t *pos, size_t end);
efc_status efc__batch_score(efc_batch *b, const efc_model *m, efc_error *err);
/* Exchange the contents of two batches of the same shape and allocator (a
 * unit handed over whole without copying). Returns 0 when they differ. */
int efc__batch_swap(efc_batch *a, efc_batch *b);

/* Rows checked and converted but not scored, as the reader hands them over,
 * followed by the end of the input or an error. */
struct efc__unit {
    efc_batch *rows;
    efc_status status; /* an error after these rows, or EFC_OK */
    efc_error *error;
    int eof;
    unsigned long long bytes;      /* input consumed once these rows were read */
    efc_period_kind period_kind;   /* the kind of period after these rows */
    unsigned long long empty_rows; /* rows of empty fields skipped among them */
};

/* Fill a unit with the next rows of the file (survey_produce.c). */
void efc__produce(efc_survey *s, efc__unit *u);
/* Score a produced unit's rows unless they are combined first or already
 * scored; a failure becomes the unit's error. A pure function of the rows:
 * the same bits on any thread. */
void efc__unit_score(efc_survey *s, efc__unit *u);

/* Combining (survey_combine.c). */
efc_status efc__combiner_create(efc_survey *s, efc_error *err);
void efc__combiner_free(efc_survey *s);
/* Keep row r of batch b for combining. */
efc_status efc__combiner_add(efc_survey *s, const efc_batch *b, size_t r, efc_error *err);
/* Hand out combined rows into the batch until it is full or all are out. */
efc_status efc__combiner_emit(efc_survey *s, efc_batch *b, efc_error *err);

#endif
