/* Producing survey rows: each data row is checked (field count, id, period,
 * grouping values, every value) before anything of it is kept, then either
 * converted into a unit of rows for the reader (survey_read.c) or rejected
 * with its line, column and reason. Nothing is dropped silently. With a
 * reader thread this runs on that thread. It is the per-row path of
 * `efc score`, so the common cases (printable ASCII text, one-digit
 * answers, the same period as the row before) take short cuts that give the
 * same results as the general code. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "row_steps.h"
#include "score_internal.h"
#include "survey_internal.h"
#include "text.h"

/* Why a row cannot be accepted. */
typedef struct problem {
    efc_status code;
    efc_reason why; /* the reason a client branches on */
    size_t column;  /* 1-based, 0 for the whole row */
    char reason[400];
} problem;

static int reject(problem *pb, efc_status code, efc_reason why, size_t column, const char *fmt,
                  const char *a, const char *b)
{
    pb->code = code;
    pb->why = why;
    pb->column = column;
    snprintf(pb->reason, sizeof pb->reason, fmt, a, b);
    return 0;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
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

/* NULL if the text is acceptable in a line; printable ASCII needs no more. */
static const char *line_problem(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)(s[i] - 0x20) >= 0x5F)
            return efc__text_problem(s, n, EFC__TEXT_LINE);
    return NULL;
}

static int bad_number(const efc_survey *s, size_t col, const char *f, size_t n, efc__num_status ns,
                      problem *pb)
{
    char shown_buf[64], msg[128], why[8];
    size_t node = s->model->leaf_nodes[s->col_leaf[col]], level;
    snprintf(msg, sizeof msg, "value '%%s' is %s%s", efc__num_reason(ns),
             ns != EFC__NUM_SYNTAX ? ""
             : !s->opts->decimal_comma && memchr(f, ',', n)
                 ? " (for a decimal comma use --decimal-comma)"
             : !s->opts->labels && efc__level_lookup(s->model, node, f, n, &level, why, sizeof why)
                 ? " (for the texts of the item's levels use --labels)"
                 : "");
    return reject(pb, EFC_ERR_VALUE, EFC_REASON_NOT_A_NUMBER, col + 1, msg,
                  shown(f, n, shown_buf, sizeof shown_buf), "");
}

static int out_of_range(const efc__plan_leaf *pl, size_t col, double x, problem *pb)
{
    char a[EFC__NUMBER_BUF], b[EFC__NUMBER_BUF], c[EFC__NUMBER_BUF], msg[200];
    efc__fmt_number(x, a);
    efc__fmt_number(pl->min, b);
    efc__fmt_number(pl->max, c);
    snprintf(msg, sizeof msg, "value %s is outside the goalposts [%s, %s]", a, b, c);
    return reject(pb, EFC_ERR_VALUE, EFC_REASON_OUT_OF_RANGE, col + 1, "%s%s", msg, "");
}

static int parse_value(efc_survey *s, size_t col, const char *f, size_t n, size_t *clamped,
                       problem *pb)
{
    size_t leaf = s->col_leaf[col];
    if (n && (is_blank(f[0]) || is_blank(f[n - 1])))
        f = efc__trim_span(f, &n);
    if (n == 0 || (s->opts->nna && efc__survey_is_na(s->opts, f, n))) {
        s->row[leaf] = NAN;
        return 1;
    }
    double x;
    unsigned d = (unsigned)(unsigned char)f[0] - '0';
    if (n == 1 && d <= 9) {
        x = (double)d;
    } else {
        efc__num_status ns = efc__parse_number(f, n, s->opts->decimal_comma ? ',' : '.', 0, &x);
        if (ns == EFC__NUM_SYNTAX && s->opts->labels) {
            /* the text of one of the item's levels (efc_answer_parse) */
            size_t node = s->model->leaf_nodes[leaf], level;
            char why[sizeof pb->reason - 8];
            if (!efc__level_lookup(s->model, node, f, n, &level, why, sizeof why))
                return reject(pb, EFC_ERR_VALUE, EFC_REASON_UNKNOWN_NAME, col + 1, "value %s%s",
                              why, "");
            x = s->model->nodes[node].levels->values[level];
        } else if (ns != EFC__NUM_OK) {
            return bad_number(s, col, f, n, ns, pb);
        }
    }
    const efc__plan_leaf *pl = &s->model->plan_leaves[leaf];
    if (pl->steps) { /* checked once the row's steps are applied: check_steps */
        s->row[leaf] = x;
        return 1;
    }
    if (pl->log && !(x > 0)) {
        char buf[64];
        return reject(pb, EFC_ERR_VALUE, EFC_REASON_LOG_DOMAIN, col + 1,
                      "value %s cannot take the log transform (it must be > 0)%s",
                      shown(f, n, buf, sizeof buf), "");
    }
    if (x < pl->min || x > pl->max) {
        if (s->opts->strict_range)
            return out_of_range(pl, col, x, pb);
        (*clamped)++;
    }
    s->row[leaf] = x;
    return 1;
}

/* The period of a row (field f, n bytes, in column c). Rows of a wave share
 * a period, and files interleave a few: the last four are remembered. */
static int parse_period(efc_survey *s, size_t c, const char *f, size_t n, efc__period *p,
                        problem *pb)
{
    for (int k = 0; k < PERIOD_CACHE; k++) {
        const efc__period_memo *e = &s->period_memo[k];
        if (e->used && e->len == n && memcmp(f, e->text, n) == 0) {
            *p = e->period;
            return 1;
        }
    }
    char buf[64];
    const char *why =
        efc__parse_period(f, n, s->opts->date_format, s->opts->decimal_comma ? ',' : '.', p);
    if (why)
        return reject(pb, EFC_ERR_VALUE, EFC_REASON_BAD_PERIOD, c + 1, "period '%s' %s",
                      shown(f, n, buf, sizeof buf), why);
    if (p->kind != EFC_PERIOD_NONE && s->produced_kind != EFC_PERIOD_NONE &&
        p->kind != s->produced_kind)
        return reject(pb, EFC_ERR_VALUE, EFC_REASON_MIXED_PERIODS, c + 1,
                      "period '%s' is a %s, but the periods before it are not: one kind per file",
                      shown(f, n, buf, sizeof buf), p->kind == EFC_PERIOD_DATE ? "date" : "number");
    /* only a period of the file's kind is remembered, so the check above
     * runs for every period of another kind */
    if (n < sizeof s->period_memo[0].text && p->kind != EFC_PERIOD_NONE) {
        efc__period_memo *e = &s->period_memo[s->period_next];
        s->period_next = (s->period_next + 1) % PERIOD_CACHE;
        memcpy(e->text, f, n);
        e->len = n;
        e->period = *p;
        e->used = 1;
    }
    return 1;
}

/* The aux columns of a fitted model's row (row_steps.h): numbers for a
 * denominator, a group's code for group_value (NaN: missing, or a group
 * the fit did not see). */
static int parse_aux(efc_survey *s, const efc__csv_record *rec, problem *pb)
{
    for (size_t a = 0; a < s->model->aux_count; a++) {
        const efc__aux *x = &s->model->aux[a];
        size_t c = s->aux_col[a], n = rec->len[c];
        const char *f = efc__trim_span(efc__field(rec, c), &n);
        double v = NAN;
        if (n == 0 || (s->opts->nna && efc__survey_is_na(s->opts, f, n))) {
            v = NAN;
        } else if (x->text) {
            v = efc__aux_code(x, f, n);
            double num;
            if (isnan(v) && efc__parse_number(f, n, s->opts->decimal_comma ? ',' : '.', 0, &num) ==
                                EFC__NUM_OK) {
                /* a group written as a number (1.0) matches the key a table
                 * of numbers gave it, its shortest form (1) */
                char b[EFC__NUMBER_BUF];
                size_t len = efc__fmt_number(num, b);
                v = efc__aux_code(x, b, len);
            }
        } else {
            efc__num_status ns = efc__parse_number(f, n, s->opts->decimal_comma ? ',' : '.', 0, &v);
            if (ns != EFC__NUM_OK) {
                char buf[64], msg[160];
                snprintf(msg, sizeof msg, "denominator '%%s' is %s%s", efc__num_reason(ns),
                         ns == EFC__NUM_SYNTAX && !s->opts->decimal_comma && memchr(f, ',', n)
                             ? " (for a decimal comma use --decimal-comma)"
                             : "");
                return reject(pb, EFC_ERR_VALUE, EFC_REASON_NOT_A_NUMBER, c + 1, msg,
                              shown(f, n, buf, sizeof buf), "");
            }
        }
        s->aux_row[a] = v;
    }
    return 1;
}

/* The row through a fitted model's steps and groups, as scoring takes it
 * (score.c, score_row_steps): a step that cannot be applied rejects the
 * row here, with its line and the leaf's column; a row that passes keeps
 * these scores and coverages (keep), so it is not scored twice. */
static int check_steps(efc_survey *s, problem *pb)
{
    const efc_model *m = s->model;
    char msg[sizeof pb->reason];
    efc_reason why = EFC_REASON_NONE;
    for (size_t j = 0; j < m->leaf_count; j++) {
        const efc__plan_leaf *pl = &m->plan_leaves[j];
        double x = s->row[j], out = NAN;
        if (!pl->steps) {
            if (!isnan(x))
                out = efc__leaf_goalposts(pl, x); /* checked by parse_value */
        } else {
            /* the location names the leaf's column */
            efc_status st = efc__row_steps_leaf(m, j, x, s->aux_row, &out, &why, msg, sizeof msg);
            if (st) {
                size_t c = s->leaf_col[j];
                return reject(pb, st, why, c == EFC_NO_NODE ? 0 : c + 1, "%s%s", msg, "");
            }
        }
        s->check[pl->node] = out;
        s->check_cov[pl->node] = isnan(out) ? 0 : 1;
    }
    size_t g;
    efc_status st = efc__row_steps_groups(m, s->check, s->check_cov, 1, &g, msg, sizeof msg);
    if (st)
        return reject(pb, st, EFC_REASON_OUT_OF_RANGE, 0, "%s%s", msg, "");
    return 1;
}

static int parse_record(efc_survey *s, const efc__csv_record *rec, efc__period *p, size_t *clamped,
                        problem *pb)
{
    char n1[32], n2[32];
    if (rec->nfields != s->ncols) {
        snprintf(n1, sizeof n1, "%zu", rec->nfields);
        snprintf(n2, sizeof n2, "%zu", s->ncols);
        return reject(pb, EFC_ERR_SURVEY, EFC_REASON_FIELD_COUNT, 0,
                      "this row has %s fields and the header %s", n1, n2);
    }
    const char *id = efc__field(rec, s->id_col);
    size_t n = rec->len[s->id_col];
    efc__trim_span(id, &n);
    if (n == 0)
        return reject(pb, EFC_ERR_SURVEY, EFC_REASON_EMPTY_ID, s->id_col + 1, "the id is empty%s%s",
                      "", "");
    const char *why = line_problem(id, rec->len[s->id_col]);
    if (why)
        return reject(pb, EFC_ERR_SURVEY, EFC_REASON_BAD_TEXT, s->id_col + 1, "the id %s%s", why,
                      "");
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t c = s->group_cols[g];
        if ((why = line_problem(efc__field(rec, c), rec->len[c])))
            return reject(pb, EFC_ERR_SURVEY, EFC_REASON_BAD_TEXT, c + 1, "the value %s%s", why,
                          "");
    }
    p->kind = EFC_PERIOD_NONE;
    p->value = NAN;
    p->text[0] = '\0';
    if (s->period_col != EFC_NO_NODE &&
        !parse_period(s, s->period_col, efc__field(rec, s->period_col), rec->len[s->period_col], p,
                      pb))
        return 0;
    for (size_t j = 0; j < s->model->leaf_count; j++)
        s->row[j] = NAN;
    for (size_t k = 0; k < s->nvalue_cols; k++) {
        size_t c = s->value_cols[k];
        if (!parse_value(s, c, efc__field(rec, c), rec->len[c], clamped, pb))
            return 0;
    }
    return s->model->row_steps ? parse_aux(s, rec, pb) && check_steps(s, pb) : 1;
}

/* Convert an accepted row into the unit. */
static int keep(efc_survey *s, efc_batch *b, const efc__csv_record *rec, const efc__period *p,
                size_t clamped)
{
    size_t n = rec->len[s->id_col];
    const char *id = efc__trim_span(efc__field(rec, s->id_col), &n);
    size_t r = efc__batch_add_row(b, id, n, p->text, p->value, rec->line, 1, clamped);
    if (r == EFC_NO_NODE)
        return 0;
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t c = s->group_cols[g];
        size_t gn = rec->len[c];
        const char *gv = efc__trim_span(efc__field(rec, c), &gn);
        if (!efc__batch_add_group(b, r, g, gv, gn))
            return 0;
    }
    memcpy(b->values + r * b->leaves, s->row, b->leaves * sizeof(double));
    if (s->model->row_steps && !s->comb) {
        /* scored by check_steps; combined rows are scored once combined */
        memcpy(b->scores + r * b->nodes, s->check, b->nodes * sizeof(double));
        memcpy(b->coverage + r * b->nodes, s->check_cov, b->nodes * sizeof(double));
        b->scored = 1;
    }
    return 1;
}

/* Stop producing: the unit ends with an error after its rows. */
static void end_with(efc_survey *s, efc__unit *u, efc_status st)
{
    u->status = st;
    s->produced_all = 1;
}

static int all_empty(const efc__csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->len[i])
            return 0;
    return 1;
}

typedef struct producing {
    efc_survey *s;
    efc__unit *u;
} producing;

/* 1 when the unit can take no more: full, or ended by an error. */
static int unit_done(const efc__unit *u)
{
    return u->status != EFC_OK || efc__batch_full(u->rows);
}

/* The general path: any record, checked in full, kept or rejected. */
static int general_row(producing *p, const efc__csv_record *rec)
{
    efc_survey *s = p->s;
    efc__unit *u = p->u;
    efc_batch *b = u->rows;
    if (all_empty(rec)) { /* left by spreadsheets: skipped like a blank line, counted */
        u->empty_rows++;
        return unit_done(u);
    }
    problem pb;
    efc__period per;
    size_t clamped = 0;
    if (!parse_record(s, rec, &per, &clamped, &pb)) {
        const char *name = pb.column ? s->cols[pb.column - 1] : NULL;
        if (s->opts->on_error == EFC_ON_ERROR_FAIL) {
            efc__fail_r(u->error, pb.code, pb.why, "%s", pb.reason);
            efc__locate(u->error, s->in.name, rec->line, pb.column, name);
            end_with(s, u, pb.code);
        } else if (!efc__batch_add_reject(b, rec->line, pb.column, name, pb.reason, rec)) {
            end_with(s, u, efc__nomem(u->error));
        }
        return unit_done(u);
    }
    if (per.kind != EFC_PERIOD_NONE)
        s->produced_kind = per.kind;
    if (!keep(s, b, rec, &per, clamped))
        end_with(s, u, efc__nomem(u->error));
    return unit_done(u);
}

static int on_record(void *ctx, const efc__csv_record *rec)
{
    return general_row(ctx, rec);
}

/* The fast path for a plain line: split and convert in one pass. Any
 * irregularity returns 0 and the general path takes the line, so every
 * error and rejection comes from one place. */
static int fast_row(efc_survey *s, efc_batch *b, const char *line, size_t len, size_t lineno)
{
    const char d = efc__csv_delimiter(s->csv);
    const unsigned char *ws = s->ws; /* 1 for space and tab unless one is the delimiter */
    const unsigned char *role = s->col_role;
    const size_t *index = s->col_index;
    const efc__plan_leaf *plan = s->model->plan_leaves;
    double *row = s->row;
    const char *id = NULL, *per_text = NULL;
    size_t id_len = 0, per_len = 0, col = 0, i = 0, clamped = 0;
    for (;;) {
        /* the common field, one digit answering a leaf, before the general split */
        if (col < s->ncols && role[col] == ROLE_LEAF && i < len &&
            (i + 1 == len || line[i + 1] == d)) {
            unsigned dg = (unsigned)(unsigned char)line[i] - '0';
            if (dg <= 9 && (s->digit_ok[index[col]] >> dg & 1) && !s->opts->nna) {
                row[index[col]] = (double)dg;
                col++;
                i++;
                if (i == len)
                    break;
                i++;
                continue;
            }
        }
        while (i < len && ws[(unsigned char)line[i]])
            i++;
        size_t start = i;
        while (i < len && line[i] != d)
            i++;
        size_t end = i;
        while (end > start && ws[(unsigned char)line[end - 1]])
            end--;
        if (col == s->ncols)
            return 0; /* more fields than the header */
        const char *f = line + start;
        size_t n = end - start;
        switch (role[col]) {
        case ROLE_IGNORED:
            break;
        case ROLE_ID:
            id = f;
            id_len = n;
            break;
        case ROLE_PERIOD:
            per_text = f;
            per_len = n;
            break;
        case ROLE_GROUP:
            s->group_span[2 * index[col]] = start;
            s->group_span[2 * index[col] + 1] = n;
            break;
        case ROLE_LEAF: {
            double x;
            unsigned dg = n ? (unsigned)(unsigned char)f[0] - '0' : 10;
            if (n == 1 && dg <= 9 && (s->digit_ok[index[col]] >> dg & 1) && !s->opts->nna) {
                row[index[col]] = (double)dg; /* the common answer: no more checks */
                break;
            }
            if (n == 0 || (s->opts->nna && efc__survey_is_na(s->opts, f, n))) {
                x = NAN;
            } else if (n == 1 && dg <= 9) {
                x = (double)dg;
            } else if (efc__parse_number(f, n, s->opts->decimal_comma ? ',' : '.', 0, &x) !=
                       EFC__NUM_OK) {
                return 0;
            }
            if (!isnan(x)) {
                const efc__plan_leaf *pl = &plan[index[col]];
                if (pl->log && !(x > 0))
                    return 0;
                if (x < pl->min || x > pl->max) {
                    if (s->opts->strict_range)
                        return 0;
                    clamped++;
                }
            }
            row[index[col]] = x;
            break;
        }
        }
        col++;
        if (i == len)
            break;
        i++; /* past the delimiter: a field follows, maybe empty */
    }
    if (col != s->ncols || id_len == 0)
        return 0;
    for (size_t k = 0; k < id_len; k++)
        if ((unsigned char)(id[k] - 0x20) >= 0x5F)
            return 0; /* not printable ASCII: the general checks decide */
    for (size_t g = 0; g < s->ngroups; g++) {
        const char *gv = line + s->group_span[2 * g];
        for (size_t k = 0; k < s->group_span[2 * g + 1]; k++)
            if ((unsigned char)(gv[k] - 0x20) >= 0x5F)
                return 0;
    }
    efc__period per;
    per.kind = EFC_PERIOD_NONE;
    per.value = NAN;
    per.text[0] = '\0';
    problem pb;
    if (s->period_col != EFC_NO_NODE &&
        !parse_period(s, s->period_col, per_text, per_len, &per, &pb))
        return 0;
    size_t r = efc__batch_add_row(b, id, id_len, per.text, per.value, lineno, 1, clamped);
    if (r == EFC_NO_NODE)
        return -1;
    for (size_t g = 0; g < s->ngroups; g++)
        if (!efc__batch_add_group(b, r, g, line + s->group_span[2 * g], s->group_span[2 * g + 1]))
            return -1;
    memcpy(b->values + r * b->leaves, s->row, b->leaves * sizeof(double));
    if (per.kind != EFC_PERIOD_NONE)
        s->produced_kind = per.kind;
    return 1;
}

static int on_plain(void *ctx, const char *line, size_t len, size_t lineno)
{
    producing *p = ctx;
    /* the fast path reads the leaves' columns only, and does not check a
     * fitted model's steps (check_steps) */
    int done = p->s->model->row_steps ? 0 : fast_row(p->s, p->u->rows, line, len, lineno);
    if (done < 0) {
        end_with(p->s, p->u, efc__nomem(p->u->error));
        return 1;
    }
    if (done)
        return unit_done(p->u);
    efc__csv_record rec;
    efc_status st = efc__csv_split(p->s->csv, line, len, lineno, &rec, p->u->error);
    if (st) {
        end_with(p->s, p->u, st);
        return 1;
    }
    return general_row(p, &rec);
}

void efc__produce(efc_survey *s, efc__unit *u)
{
    efc_batch *b = u->rows;
    efc__batch_reset(b);
    u->status = EFC_OK;
    u->eof = 0;
    u->empty_rows = 0;
    efc_error_clear(u->error);
    if (!s->produced_all) {
        producing p = {s, u};
        int eof = 0;
        efc_status st = efc__csv_run(s->csv, on_plain, on_record, &p, &eof, u->error);
        if (st && !u->status)
            end_with(s, u, st);
        if (eof && !u->status) {
            u->eof = 1;
            s->produced_all = 1;
        }
    } else if (!u->status) {
        u->eof = 1;
    }
    /* With a reader thread, the reader decides who scores (survey_feed.c). */
    if (!s->threaded)
        efc__unit_score(s, u);
    u->bytes = efc__csv_bytes(s->csv);
    u->period_kind = s->produced_kind;
}

void efc__unit_score(efc_survey *s, efc__unit *u)
{
    efc_batch *b = u->rows;
    /* combined rows are scored after combining, on the caller's side */
    if (s->comb || !b->rows || b->scored)
        return;
    if (efc__batch_score(b, s->model, u->error) != EFC_OK && !u->status)
        end_with(s, u, efc_error_code(u->error));
}
