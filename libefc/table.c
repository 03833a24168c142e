/* Tables of units and named columns (efc/index.h): built in code or read
 * from a CSV data file with the reading options of surveys. A file is read
 * whole (the pipeline's steps need every unit), into one array per column. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"
#include "error_internal.h"
#include "input.h"
#include "model_internal.h"
#include "number.h"
#include "steps.h"
#include "strmap.h"
#include "survey_internal.h"
#include "table_internal.h"
#include "text.h"

efc_status efc_table_create(efc_table **out, size_t rows, const efc_allocator *alloc,
                            efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status st;
    efc_table *t = EFC__NEW(efc_table, alloc, &st, err);
    if (!t)
        return st;
    t->rows = rows;
    efc__strmap_init(&t->names);
    if (!(t->source = efc__strdup(&t->alloc, ""))) {
        efc_table_free(t);
        return efc__nomem(err);
    }
    *out = t;
    return EFC_OK;
}

void efc_table_free(efc_table *t)
{
    if (!t)
        return;
    efc_allocator a = t->alloc;
    for (size_t c = 0; c < t->ncols; c++) {
        efc__column *col = &t->cols[c];
        efc__free(&a, col->name);
        efc__free(&a, col->num);
        if (col->txt)
            for (size_t r = 0; r < t->rows; r++)
                efc__free(&a, col->txt[r]);
        efc__free(&a, col->txt);
    }
    efc__free(&a, t->cols);
    efc__free(&a, t->lines);
    efc__free(&a, t->source);
    efc__strmap_free(&t->names, &a);
    efc__free(&a, t);
}

/* A new column named `name` at the end, its array allocated (rows
 * elements, at least one; texts all missing). */
static efc_status new_column(efc_table *t, const char *name, efc_column_kind kind,
                             efc__column **out, efc_error *err)
{
    if (!name || !name[0])
        return efc__fail(err, EFC_ERR_ARGUMENT, "a column needs a name");
    const char *why = efc__text_problem(name, strlen(name), EFC__TEXT_LINE);
    if (why)
        return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_BAD_TEXT, "column name %s", why);
    if (efc__strmap_get(&t->names, name) != EFC_NO_NODE)
        return efc__fail_r(err, EFC_ERR_SURVEY, EFC_REASON_DUPLICATE_COLUMN,
                           "duplicate column '%s'", name);
    if (!efc__grow(&t->alloc, (void **)&t->cols, &t->cap, t->ncols + 1, sizeof *t->cols))
        return efc__nomem(err);
    efc__column *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    size_t n = t->rows ? t->rows : 1;
    c->name = efc__strdup(&t->alloc, name);
    if (kind == EFC_COLUMN_NUMBER)
        c->num = efc__alloc_array(&t->alloc, n, sizeof *c->num);
    else if ((c->txt = efc__alloc_array(&t->alloc, n, sizeof *c->txt)))
        memset(c->txt, 0, n * sizeof *c->txt);
    if (!c->name || !(c->num || c->txt) ||
        !efc__strmap_put(&t->names, &t->alloc, c->name, t->ncols)) {
        efc__free(&t->alloc, c->name);
        efc__free(&t->alloc, c->num);
        efc__free(&t->alloc, c->txt);
        return efc__nomem(err);
    }
    t->ncols++;
    *out = c;
    return EFC_OK;
}

efc_status efc_table_add_numbers(efc_table *t, const char *name, const double *values,
                                 ptrdiff_t stride, efc_error *err)
{
    if (!t || (!values && t->rows))
        return efc__fail(err, EFC_ERR_ARGUMENT, "table or values is NULL");
    for (size_t r = 0; r < t->rows; r++)
        if (isinf(values[(ptrdiff_t)r * stride]))
            return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_NOT_FINITE,
                               "column '%s', row %zu: the value is infinite", name ? name : "", r);
    efc__column *c;
    efc_status st = new_column(t, name, EFC_COLUMN_NUMBER, &c, err);
    if (st)
        return st;
    for (size_t r = 0; r < t->rows; r++)
        c->num[r] = values[(ptrdiff_t)r * stride];
    return EFC_OK;
}

efc_status efc_table_add_texts(efc_table *t, const char *name, const char *const *texts,
                               efc_error *err)
{
    if (!t || (!texts && t->rows))
        return efc__fail(err, EFC_ERR_ARGUMENT, "table or texts is NULL");
    for (size_t r = 0; r < t->rows; r++) {
        const char *why =
            texts[r] ? efc__text_problem(texts[r], strlen(texts[r]), EFC__TEXT_LINE) : NULL;
        if (why)
            return efc__fail_r(err, EFC_ERR_ARGUMENT, EFC_REASON_BAD_TEXT,
                               "column '%s', row %zu: the text %s", name ? name : "", r, why);
    }
    /* the texts copied first: a failure adds no column */
    size_t n = t->rows ? t->rows : 1;
    char **copy = efc__alloc_array(&t->alloc, n, sizeof *copy);
    if (!copy)
        return efc__nomem(err);
    memset(copy, 0, n * sizeof *copy);
    efc_status st = EFC_OK;
    for (size_t r = 0; r < t->rows && !st; r++)
        if (texts[r] && texts[r][0] && !(copy[r] = efc__strdup(&t->alloc, texts[r])))
            st = efc__nomem(err);
    efc__column *c;
    if (!st && !(st = new_column(t, name, EFC_COLUMN_TEXT, &c, err))) {
        efc__free(&t->alloc, c->txt);
        c->txt = copy;
        return EFC_OK;
    }
    for (size_t r = 0; r < t->rows; r++)
        efc__free(&t->alloc, copy[r]);
    efc__free(&t->alloc, copy);
    return st;
}

/* ---- reading a file ---- */

static const efc__encoding encodings[] = {EFC__ENC_AUTO,    EFC__ENC_UTF8,    EFC__ENC_UTF16,
                                          EFC__ENC_UTF16LE, EFC__ENC_UTF16BE, EFC__ENC_CP1252};

typedef struct reader {
    efc_table *t;
    const efc_survey_options *o;
    const efc_model *m;
    efc__csv *csv;
    const char *name;
    size_t nfields; /* of the header */
    size_t *col_of; /* field -> table column, EFC_NO_NODE for unnamed fields */
    size_t row_cap;
    char sep;
    efc_error *err;
} reader;

/* The columns the model reads as numbers: its leaves and denominators. */
static int numeric(const efc_model *m, const char *name)
{
    if (efc_model_leaf_index(m, name) != EFC_NO_NODE)
        return 1;
    for (size_t i = 0; i < m->count; i++) {
        const char *d = efc_model_node_denominator(m, i);
        if (d && strcmp(d, name) == 0)
            return 1;
    }
    return 0;
}

static efc_status read_header(reader *rd, const efc__csv_record *rec)
{
    efc_table *t = rd->t;
    rd->nfields = rec->nfields;
    if (!(rd->col_of = efc__alloc_array(&t->alloc, rec->nfields, sizeof *rd->col_of)))
        return efc__nomem(rd->err);
    for (size_t i = 0; i < rec->nfields; i++) {
        rd->col_of[i] = EFC_NO_NODE;
        const char *f = efc__field(rec, i);
        const char *why = efc__text_problem(f, rec->len[i], EFC__TEXT_LINE);
        if (why) {
            efc__fail_r(rd->err, EFC_ERR_SURVEY, EFC_REASON_BAD_TEXT, "the column name %s", why);
            efc__locate(rd->err, rd->name, rec->line, i + 1, NULL);
            return EFC_ERR_SURVEY;
        }
        if (!rec->len[i])
            continue; /* unnamed columns (trailing delimiters) are not read */
        size_t dup = efc__strmap_get(&t->names, f);
        if (dup != EFC_NO_NODE) {
            size_t first = 0;
            for (size_t j = 0; j < i; j++)
                if (rd->col_of[j] == dup)
                    first = j + 1;
            efc__fail_r(rd->err, EFC_ERR_SURVEY, EFC_REASON_DUPLICATE_COLUMN,
                        "duplicate column name '%s' (also column %zu)", f, first);
            efc__locate(rd->err, rd->name, rec->line, i + 1, f);
            efc__other(rd->err, rec->line, first);
            return EFC_ERR_SURVEY;
        }
        efc__column *c;
        efc_status st =
            new_column(t, f, numeric(rd->m, f) ? EFC_COLUMN_NUMBER : EFC_COLUMN_TEXT, &c, rd->err);
        if (st)
            return st;
        rd->col_of[i] = t->ncols - 1;
    }
    return EFC_OK;
}

static efc_status grow_rows(reader *rd)
{
    efc_table *t = rd->t;
    if (t->rows < rd->row_cap)
        return EFC_OK;
    size_t cap = rd->row_cap ? rd->row_cap * 2 : 256;
    size_t *lines = efc__realloc_array(&t->alloc, t->lines, cap, sizeof *lines);
    if (!lines)
        return efc__nomem(rd->err);
    t->lines = lines;
    for (size_t c = 0; c < t->ncols; c++) {
        efc__column *col = &t->cols[c];
        if (col->kind == EFC_COLUMN_NUMBER) {
            double *v = efc__realloc_array(&t->alloc, col->num, cap, sizeof *v);
            if (!v)
                return efc__nomem(rd->err);
            col->num = v;
        } else {
            char **v = efc__realloc_array(&t->alloc, col->txt, cap, sizeof *v);
            if (!v)
                return efc__nomem(rd->err);
            for (size_t r = rd->row_cap; r < cap; r++)
                v[r] = NULL;
            col->txt = v;
        }
    }
    rd->row_cap = cap;
    return EFC_OK;
}

static efc_status cell_fail(reader *rd, const efc__csv_record *rec, size_t i, efc_status code,
                            efc_reason why, const char *msg)
{
    efc__fail_r(rd->err, code, why, "%s", msg);
    efc__locate(rd->err, rd->name, rec->line, i + 1, rd->t->cols[rd->col_of[i]].name);
    return code;
}

/* Free the texts of row r read before field `upto`: a failed row is not kept. */
static void undo_texts(reader *rd, size_t r, size_t upto)
{
    efc_table *t = rd->t;
    for (size_t k = 0; k < upto; k++)
        if (rd->col_of[k] != EFC_NO_NODE && t->cols[rd->col_of[k]].kind == EFC_COLUMN_TEXT) {
            efc__free(&t->alloc, t->cols[rd->col_of[k]].txt[r]);
            t->cols[rd->col_of[k]].txt[r] = NULL;
        }
}

static efc_status read_row(reader *rd, const efc__csv_record *rec)
{
    efc_table *t = rd->t;
    if (rec->nfields != rd->nfields) {
        efc__fail_r(rd->err, EFC_ERR_SURVEY, EFC_REASON_FIELD_COUNT,
                    "this row has %zu fields and the header %zu", rec->nfields, rd->nfields);
        efc__locate(rd->err, rd->name, rec->line, 0, NULL);
        return EFC_ERR_SURVEY;
    }
    efc_status st = grow_rows(rd);
    if (st)
        return st;
    size_t r = t->rows;
    /* every cell of the row set before it counts, so that a failure
     * leaves a table whose rows are all whole */
    for (size_t i = 0; i < rec->nfields; i++) {
        if (rd->col_of[i] == EFC_NO_NODE)
            continue;
        efc__column *c = &t->cols[rd->col_of[i]];
        size_t n = rec->len[i];
        const char *f = efc__trim_span(efc__field(rec, i), &n);
        int missing = n == 0 || efc__survey_is_na(rd->o, f, n);
        if (c->kind == EFC_COLUMN_NUMBER) {
            double x = NAN;
            if (!missing) {
                efc__num_status ns = efc__parse_number(f, n, rd->sep, 0, &x);
                if (ns != EFC__NUM_OK) {
                    char msg[200], shown[48];
                    snprintf(shown, sizeof shown, "%.*s%s", n > 40 ? 40 : (int)n, f,
                             n > 40 ? "..." : "");
                    snprintf(msg, sizeof msg, "value '%s' is %s%s", shown, efc__num_reason(ns),
                             ns == EFC__NUM_SYNTAX && rd->sep == '.' && memchr(f, ',', n)
                                 ? " (for a decimal comma use --decimal-comma)"
                             : ns == EFC__NUM_SYNTAX && !rd->o->nna
                                 ? " (for a missing-value token such as NA use --na)"
                                 : "");
                    undo_texts(rd, r, i);
                    return cell_fail(rd, rec, i, EFC_ERR_VALUE, EFC_REASON_NOT_A_NUMBER, msg);
                }
            }
            c->num[r] = x;
        } else {
            char *s = NULL;
            if (!missing) {
                const char *why = efc__text_problem(f, n, EFC__TEXT_LINE);
                if (why) {
                    char msg[120];
                    snprintf(msg, sizeof msg, "the field %s", why);
                    undo_texts(rd, r, i);
                    return cell_fail(rd, rec, i, EFC_ERR_SURVEY, EFC_REASON_BAD_TEXT, msg);
                }
                if (!(s = efc__strndup(&t->alloc, f, n))) {
                    undo_texts(rd, r, i);
                    return efc__nomem(rd->err);
                }
            }
            c->txt[r] = s;
        }
    }
    t->lines[r] = rec->line;
    t->rows++;
    return EFC_OK;
}

static efc_status read_input(efc_table **out, const efc_model *m, efc__input *in,
                             const efc_survey_options *o, const efc_allocator *alloc,
                             efc_error *err)
{
    efc_table *t;
    efc_status st = efc_table_create(&t, 0, alloc, err);
    if (st)
        return st;
    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.t = t;
    rd.o = o;
    rd.m = m;
    rd.name = in->name;
    rd.err = err;
    rd.sep = o->decimal_comma ? ',' : '.';
    efc__free(&t->alloc, t->source);
    if (!(t->source = efc__strdup(&t->alloc, in->name))) {
        st = efc__nomem(err);
        goto done;
    }
    efc__csv_config cfg = {o->delimiter, o->max_field, 0};
    if ((st = efc__csv_open(&rd.csv, in, &cfg, &t->alloc, err)))
        goto done;
    if (o->decimal_comma && efc__csv_delimiter(rd.csv) == ',') {
        efc__fail(err, EFC_ERR_SURVEY,
                  "a decimal comma was asked for but the file is delimited by commas");
        efc__locate(err, in->name, 1, 0, NULL);
        st = EFC_ERR_SURVEY;
        goto done;
    }
    efc__csv_record rec;
    int have;
    if ((st = efc__csv_next(rd.csv, &rec, &have, err)))
        goto done;
    if (!have) {
        efc__fail(err, EFC_ERR_SURVEY, "the file is empty: no header row");
        efc__locate(err, in->name, 0, 0, NULL);
        st = EFC_ERR_SURVEY;
        goto done;
    }
    if ((st = read_header(&rd, &rec)))
        goto done;
    /* the arrays of a table without rows still exist */
    if ((st = grow_rows(&rd)))
        goto done;
    for (;;) {
        if ((st = efc__csv_next(rd.csv, &rec, &have, err)) || !have)
            break;
        if ((st = read_row(&rd, &rec)))
            break;
    }
done:
    efc__csv_close(rd.csv);
    efc__free(&t->alloc, rd.col_of);
    if (st) {
        efc_table_free(t);
        return st;
    }
    *out = t;
    return EFC_OK;
}

typedef struct src {
    const char *path;
    const void *data;
    size_t size;
    const char *name;
} src;

static efc_status read_from(efc_table **out, const efc_model *m, const src *sr,
                            const efc_survey_options *opts, const efc_allocator *alloc,
                            efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized to read a table");
    efc_allocator a;
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc_survey_options *defaults = NULL;
    efc_status st = EFC_OK;
    if (!opts) {
        if ((st = efc_survey_options_create(&defaults, &a, err)))
            return st;
        opts = defaults;
    }
    efc__input in;
    efc__encoding enc = encodings[opts->encoding];
    st = sr->path ? efc__input_open_path(&in, sr->path, enc, &a, err)
                  : efc__input_open_buffer(&in, sr->data, sr->size, sr->name, enc, &a, err);
    if (!st) {
        st = read_input(out, m, &in, opts, &a, err);
        efc__input_close(&in);
    }
    efc_survey_options_free(defaults);
    return st;
}

efc_status efc_table_read_path(efc_table **out, const efc_model *m, const char *path,
                               const efc_survey_options *opts, const efc_allocator *alloc,
                               efc_error *err)
{
    if (!path) {
        if (out)
            *out = NULL;
        return efc__fail(err, EFC_ERR_ARGUMENT, "path is NULL");
    }
    src s = {path, NULL, 0, NULL};
    return read_from(out, m, &s, opts, alloc, err);
}

efc_status efc_table_read_buffer(efc_table **out, const efc_model *m, const void *data, size_t size,
                                 const char *name, const efc_survey_options *opts,
                                 const efc_allocator *alloc, efc_error *err)
{
    if (!data && size) {
        if (out)
            *out = NULL;
        return efc__fail(err, EFC_ERR_ARGUMENT, "data is NULL");
    }
    src s = {NULL, data ? data : "", size, name ? name : "<buffer>"};
    return read_from(out, m, &s, opts, alloc, err);
}

/* ---- reading a table ---- */

size_t efc_table_rows(const efc_table *t)
{
    return t ? t->rows : 0;
}

size_t efc_table_column_count(const efc_table *t)
{
    return t ? t->ncols : 0;
}

const char *efc_table_column_name(const efc_table *t, size_t c)
{
    return t && c < t->ncols ? t->cols[c].name : NULL;
}

int efc_table_column_kind(const efc_table *t, size_t c)
{
    return t && c < t->ncols ? (int)t->cols[c].kind : -1;
}

size_t efc_table_find(const efc_table *t, const char *name)
{
    return t && name ? efc__strmap_get(&t->names, name) : EFC_NO_NODE;
}

double efc_table_number(const efc_table *t, size_t c, size_t r)
{
    if (!t || c >= t->ncols || r >= t->rows || t->cols[c].kind != EFC_COLUMN_NUMBER)
        return NAN;
    return t->cols[c].num[r];
}

const double *efc_table_numbers(const efc_table *t, size_t c)
{
    return t && c < t->ncols && t->cols[c].kind == EFC_COLUMN_NUMBER ? t->cols[c].num : NULL;
}

const char *efc_table_text(const efc_table *t, size_t c, size_t r)
{
    if (!t || c >= t->ncols || r >= t->rows || t->cols[c].kind != EFC_COLUMN_TEXT)
        return NULL;
    return t->cols[c].txt[r];
}

size_t efc_table_line(const efc_table *t, size_t r)
{
    return t && t->lines && r < t->rows ? t->lines[r] : 0;
}

const char *efc_table_source(const efc_table *t)
{
    return t ? t->source : NULL;
}
