/* Reading survey rows: each data row is checked (field count, id, period,
 * grouping values, every value) before anything of it is kept, then either
 * handed out in the batch, kept for combining, or rejected with its line,
 * column and reason. Nothing is dropped silently. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "survey_internal.h"
#include "text.h"

/* Why a row cannot be accepted. */
typedef struct problem {
    efc_status code;
    size_t column; /* 1-based, 0 for the whole row */
    char reason[400];
} problem;

static int reject(problem *pb, efc_status code, size_t column, const char *fmt, const char *a,
                  const char *b)
{
    pb->code = code;
    pb->column = column;
    snprintf(pb->reason, sizeof pb->reason, fmt, a, b);
    return 0;
}

/* A field without its surrounding spaces. */
static const char *trim(const char *s, size_t *n)
{
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    while (*n && (*s == ' ' || *s == '\t')) {
        s++;
        (*n)--;
    }
    return s;
}

/* Shorten a field quoted in a message. */
static const char *shown(const char *s, size_t n, char *buf, size_t cap)
{
    if (n < cap) {
        memcpy(buf, s, n);
        buf[n] = '\0';
    } else {
        memcpy(buf, s, cap - 4);
        memcpy(buf + cap - 4, "...", 4);
    }
    return buf;
}

static int is_na(const efc_survey *s, const char *f, size_t n)
{
    for (size_t i = 0; i < s->opts->nna; i++)
        if (strlen(s->opts->na[i]) == n && memcmp(s->opts->na[i], f, n) == 0)
            return 1;
    return 0;
}

static int parse_value(efc_survey *s, size_t col, const char *raw, size_t n, size_t *clamped,
                       problem *pb)
{
    size_t leaf = s->col_leaf[col];
    const char *f = trim(raw, &n);
    if (n == 0 || is_na(s, f, n)) {
        s->row[leaf] = NAN;
        return 1;
    }
    char shown_buf[64], a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF], c[EFC__NUMBER_BUF];
    double x;
    efc__num_status ns = efc__parse_number(f, n, s->opts->decimal_comma ? ',' : '.', 0, &x);
    if (ns != EFC__NUM_OK) {
        char msg[128];
        snprintf(msg, sizeof msg, "value '%%s' is %s%s", efc__num_reason(ns),
                 ns == EFC__NUM_SYNTAX && !s->opts->decimal_comma && memchr(f, ',', n)
                     ? " (for a decimal comma use the decimal-comma option)"
                     : "");
        return reject(pb, EFC_ERR_VALUE, col + 1, msg, shown(f, n, shown_buf, sizeof shown_buf),
                      "");
    }
    const efc__plan_leaf *pl = &s->model->plan_leaves[leaf];
    if (pl->log && !(x > 0))
        return reject(pb, EFC_ERR_VALUE, col + 1,
                      "value %s cannot take the log transform (it must be > 0)%s",
                      shown(f, n, shown_buf, sizeof shown_buf), "");
    if (x < pl->min || x > pl->max) {
        if (s->opts->strict_range) {
            efc__fmt_number(x, a);
            efc__fmt_number(pl->min, b);
            efc__fmt_number(pl->max, c);
            char msg[200];
            snprintf(msg, sizeof msg, "value %s is outside the goalposts [%s, %s]", a, b, c);
            return reject(pb, EFC_ERR_VALUE, col + 1, "%s%s", msg, "");
        }
        (*clamped)++;
    }
    s->row[leaf] = x;
    return 1;
}

static int parse_record(efc_survey *s, const efc__csv_record *rec, efc__period *p, size_t *clamped,
                        problem *pb)
{
    char buf[64], n1[32], n2[32];
    if (rec->nfields != s->ncols) {
        snprintf(n1, sizeof n1, "%zu", rec->nfields);
        snprintf(n2, sizeof n2, "%zu", s->ncols);
        return reject(pb, EFC_ERR_SURVEY, 0, "this row has %s fields and the header %s", n1, n2);
    }
    size_t n = rec->lens[s->id_col];
    trim(rec->fields[s->id_col], &n);
    if (n == 0)
        return reject(pb, EFC_ERR_SURVEY, s->id_col + 1, "the id is empty%s%s", "", "");
    const char *why =
        efc__text_problem(rec->fields[s->id_col], rec->lens[s->id_col], EFC__TEXT_LINE);
    if (why)
        return reject(pb, EFC_ERR_SURVEY, s->id_col + 1, "the id %s%s", why, "");
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t c = s->group_cols[g];
        if ((why = efc__text_problem(rec->fields[c], rec->lens[c], EFC__TEXT_LINE)))
            return reject(pb, EFC_ERR_SURVEY, c + 1, "the value %s%s", why, "");
    }
    p->kind = EFC_PERIOD_NONE;
    p->value = NAN;
    p->text[0] = '\0';
    if (s->period_col != EFC_NO_NODE) {
        size_t c = s->period_col;
        why = efc__parse_period(rec->fields[c], rec->lens[c], s->opts->date_format,
                                s->opts->decimal_comma ? ',' : '.', p);
        if (why)
            return reject(pb, EFC_ERR_VALUE, c + 1, "period '%s' %s",
                          shown(rec->fields[c], rec->lens[c], buf, sizeof buf), why);
        if (p->kind != EFC_PERIOD_NONE && s->period_kind != EFC_PERIOD_NONE &&
            p->kind != s->period_kind)
            return reject(pb, EFC_ERR_VALUE, c + 1,
                          "period '%s' is a %s, but the periods "
                          "before it are not: one kind per file",
                          shown(rec->fields[c], rec->lens[c], buf, sizeof buf),
                          p->kind == EFC_PERIOD_DATE ? "date" : "number");
    }
    for (size_t j = 0; j < s->model->leaf_count; j++)
        s->row[j] = NAN;
    for (size_t c = 0; c < s->ncols; c++)
        if (s->col_leaf[c] != EFC_NO_NODE &&
            !parse_value(s, c, rec->fields[c], rec->lens[c], clamped, pb))
            return 0;
    return 1;
}

static efc_status stop(efc_survey *s, efc_status st)
{
    s->broken = 1;
    return st;
}

/* Keep an accepted row in the batch. */
static efc_status keep(efc_survey *s, efc_batch *b, const efc__csv_record *rec,
                       const efc__period *p, size_t clamped, efc_error *err)
{
    size_t n = rec->lens[s->id_col];
    const char *id = trim(rec->fields[s->id_col], &n);
    size_t r = efc__batch_add_row(b, id, n, p->text, p->value, rec->line, 1);
    if (r == EFC_NO_NODE)
        return efc__nomem(err);
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t c = s->group_cols[g];
        size_t gn = rec->lens[c];
        const char *gv = trim(rec->fields[c], &gn);
        if (!efc__batch_add_group(b, r, g, gv, gn))
            return efc__nomem(err);
    }
    memcpy(b->values + r * b->leaves, s->row, b->leaves * sizeof(double));
    b->clamped += clamped;
    return EFC_OK;
}

efc_status efc_survey_read(efc_survey *s, efc_batch *b, efc_error *err)
{
    if (!s || !b || b->survey != s)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "survey or batch is NULL, or the batch was "
                         "created for another survey");
    efc__batch_reset(b);
    if (s->broken)
        return efc__fail(err, EFC_ERR_STATE, "the survey stopped at an earlier error");
    efc_status st;
    while (!efc__batch_full(b) && !s->input_done) {
        efc__csv_record rec;
        int have;
        if ((st = efc__csv_next(s->csv, &rec, &have, err)))
            return stop(s, st);
        if (!have) {
            s->input_done = 1;
            break;
        }
        s->rows_read++;
        problem pb;
        efc__period p;
        size_t clamped = 0;
        if (!parse_record(s, &rec, &p, &clamped, &pb)) {
            const char *name = pb.column ? s->cols[pb.column - 1] : NULL;
            if (s->opts->on_error == EFC_ON_ERROR_FAIL) {
                efc__fail(err, pb.code, "%s", pb.reason);
                efc__locate(err, s->in.name, rec.line, pb.column, name);
                return stop(s, pb.code);
            }
            s->rows_rejected++;
            if (!efc__batch_add_reject(b, rec.line, pb.column, name, pb.reason, &rec))
                return stop(s, efc__nomem(err));
            continue;
        }
        if (p.kind != EFC_PERIOD_NONE)
            s->period_kind = p.kind;
        s->clamped += clamped;
        st = s->comb ? efc__combiner_add(s, &rec, &p, err) : keep(s, b, &rec, &p, clamped, err);
        if (st)
            return stop(s, st);
    }
    if (s->comb && s->input_done && (st = efc__combiner_emit(s, b, err)))
        return stop(s, st);
    if ((st = efc__batch_score(b, s->model, err)))
        return stop(s, st);
    s->rows_out += b->rows;
    return EFC_OK;
}
