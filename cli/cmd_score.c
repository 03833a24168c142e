/* efc score: score a survey file, row by row, into a CSV of scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csv_out.h"

static const char *const help =
    "usage: efc score [options] [FILE|-]\n"
    "\n"
    "Score every row of a survey (FILE, or standard input when FILE is - or\n"
    "absent) with the model, and write one row of scores per assessment.\n"
    "\n"
    "  --model FILE          the model's codebook (default: the EFC reference grid)\n"
    "  --id COL              the id column (default: 'id', else the first column)\n"
    "  --period COL          the period column (default: 'period' if present; '' for none)\n"
    "  --group COL           a grouping column to carry through (repeatable)\n"
    "  --delimiter C         , ; tab or another character (default: detected)\n"
    "  --encoding E          auto, utf-8, utf-16, utf-16le, utf-16be, windows-1252\n"
    "  --decimal-comma       numbers are written 2,5\n"
    "  --date-format F       iso (YYYY-MM-DD, default) or dmy (dd/mm/yyyy)\n"
    "  --na TOKEN            a value meaning 'no answer' (repeatable; empty always is)\n"
    "  --strict-range        reject values outside the goalposts instead of clamping\n"
    "  --combine M           none, mean or median of the rows of one id and period\n"
    "  --on-error P          fail (stop at the first bad row, default) or skip\n"
    "  --rejects FILE        with --on-error skip: write the rejected rows there\n"
    "  --scale S             scores on 1 (default) or 100\n"
    "  --coverage            add <group>_coverage columns\n"
    "  --items               add <leaf>_norm columns (the normalised answers)\n"
    "  --output-dialect D    csv (default) or excel-fr (; decimal comma, BOM, CRLF)\n"
    "  -j, --jobs N          threads (default: the cores available); same output\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "  -q, --quiet           no progress line and no summary\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"
    "5 finished with rejected rows (--on-error skip).\n";

/* The survey hands over units of 512 rows: a batch of that size takes them
 * without copying (efc_survey_read exchanges the storage). */
#define BATCH_ROWS         512
#define MAX_STDERR_REJECTS 10

typedef enum col_kind {
    COL_ID,
    COL_PERIOD,
    COL_GROUP,
    COL_RESPONDENTS,
    COL_SCORE,
    COL_COVERAGE,
    COL_NORM,
    COL_PASS,
    COL_PASS_ALL
} col_kind;

typedef struct out_col {
    col_kind kind;
    size_t index; /* node or group number */
    char *name;
} out_col;

typedef struct plan {
    out_col *cols;
    size_t n;
} plan;

static int add_col(plan *p, col_kind kind, size_t index, const char *name, const char *suffix)
{
    char *s = malloc(strlen(name) + strlen(suffix) + 1);
    if (!s)
        return 0;
    strcpy(s, name);
    strcat(s, suffix);
    p->cols[p->n++] = (out_col){kind, index, s};
    return 1;
}

static void free_plan(plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->cols[i].name);
    free(p->cols);
}

static const out_col *sort_base;

static int by_name(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_base[i].name, sort_base[j].name);
    return c ? c : (i > j) - (i < j);
}

/* Two output columns with one name would make the file ambiguous: sort the
 * names (a model may have 100,000 of them) and compare neighbours. */
static int check_unique(const plan *p)
{
    size_t *order = malloc((p->n ? p->n : 1) * sizeof *order);
    if (!order)
        return EXIT_NOMEM;
    for (size_t i = 0; i < p->n; i++)
        order[i] = i;
    sort_base = p->cols;
    qsort(order, p->n, sizeof *order, by_name);
    int status = EXIT_DONE;
    for (size_t k = 1; k < p->n && !status; k++)
        if (strcmp(p->cols[order[k]].name, p->cols[order[k - 1]].name) == 0) {
            fprintf(stderr,
                    "efc: output column '%s' would appear twice (columns %zu and %zu of the "
                    "output): rename the survey column or the model's node\n",
                    p->cols[order[k]].name, order[k - 1] + 1, order[k] + 1);
            status = EXIT_DATA;
        }
    free(order);
    return status;
}

/* Output columns: id, period, groups, respondents, group scores, coverages,
 * normalised items, pass flags, pass_all. Returns EXIT_DONE or a status. */
static int make_plan(const cli_options *o, const efc_model *m, const efc_survey *s, plan *p)
{
    size_t nodes = efc_model_node_count(m);
    p->n = 0;
    p->cols = malloc((4 + efc_survey_group_count(s) + 4 * nodes) * sizeof *p->cols);
    if (!p->cols)
        return EXIT_NOMEM;
    int ok = add_col(p, COL_ID, 0, efc_survey_column_name(s, efc_survey_id_column(s)), "");
    if (efc_survey_period_column(s) != EFC_NO_NODE)
        ok &= add_col(p, COL_PERIOD, 0, efc_survey_column_name(s, efc_survey_period_column(s)), "");
    for (size_t g = 0; g < efc_survey_group_count(s); g++)
        ok &=
            add_col(p, COL_GROUP, g, efc_survey_column_name(s, efc_survey_group_column(s, g)), "");
    if (o->combine && strcmp(o->combine, "none") != 0)
        ok &= add_col(p, COL_RESPONDENTS, 0, "respondents", "");
    for (size_t g = 0; g < efc_model_group_count(m); g++) {
        size_t k = efc_model_group_node(m, g);
        ok &= add_col(p, COL_SCORE, k, efc_model_node_id(m, k), "");
    }
    for (size_t g = 0; o->coverage && g < efc_model_group_count(m); g++) {
        size_t k = efc_model_group_node(m, g);
        ok &= add_col(p, COL_COVERAGE, k, efc_model_node_id(m, k), "_coverage");
    }
    for (size_t j = 0; o->items && j < efc_model_leaf_count(m); j++) {
        size_t k = efc_model_leaf_node(m, j);
        ok &= add_col(p, COL_NORM, k, efc_model_node_id(m, k), "_norm");
    }
    size_t thresholds = 0;
    for (size_t k = 0; k < nodes; k++)
        if (!isnan(efc_model_node_threshold(m, k))) {
            ok &= add_col(p, COL_PASS, k, efc_model_node_id(m, k), "_pass");
            thresholds++;
        }
    if (thresholds)
        ok &= add_col(p, COL_PASS_ALL, 0, "pass_all", "");
    if (!ok)
        return EXIT_NOMEM;
    return check_unique(p);
}

static void write_row(csv_out *w, const plan *p, const efc_model *m, const efc_batch *b, size_t r,
                      int scale)
{
    size_t nodes = efc_model_node_count(m);
    const double *scores = efc_batch_scores(b) + r * nodes;
    const double *cov = efc_batch_coverages(b) + r * nodes;
    efc_pass all = EFC_PASS_OK;
    for (size_t i = 0; i < p->n; i++) {
        const out_col *c = &p->cols[i];
        switch (c->kind) {
        case COL_ID:
            csv_out_text(w, efc_batch_id(b, r));
            break;
        case COL_PERIOD: {
            /* numbers take the output's decimal separator (2024,5 for excel-fr) */
            const char *period = efc_batch_period(b, r);
            if (w->decimal != '.' && strchr(period, '.')) {
                char local[64];
                snprintf(local, sizeof local, "%s", period);
                for (char *ch = local; *ch; ch++)
                    if (*ch == '.')
                        *ch = w->decimal;
                csv_out_text(w, local);
            } else {
                csv_out_text(w, period);
            }
            break;
        }
        case COL_GROUP:
            csv_out_text(w, efc_batch_group(b, r, c->index));
            break;
        case COL_RESPONDENTS:
            csv_out_uint(w, efc_batch_respondents(b, r));
            break;
        case COL_SCORE:
        case COL_NORM:
            csv_out_score(w, scores[c->index], scale);
            break;
        case COL_COVERAGE:
            csv_out_score(w, cov[c->index], 1);
            break;
        case COL_PASS: {
            efc_pass pass = efc_model_pass(m, c->index, scores[c->index]);
            if (pass == EFC_PASS_FAIL)
                all = EFC_PASS_FAIL;
            else if (pass == EFC_PASS_MISSING && all == EFC_PASS_OK)
                all = EFC_PASS_MISSING;
            if (pass == EFC_PASS_MISSING)
                csv_out_empty(w);
            else
                csv_out_uint(w, pass == EFC_PASS_OK);
            break;
        }
        case COL_PASS_ALL:
            if (all == EFC_PASS_MISSING)
                csv_out_empty(w);
            else
                csv_out_uint(w, all == EFC_PASS_OK);
            break;
        }
    }
}

typedef struct progress {
    int on;
    struct timespec start, last;
    int shown;
} progress;

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_update(progress *pg, const efc_survey *s, int last)
{
    if (!pg->on)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!last && seconds(&pg->last, &now) < 0.25)
        return;
    pg->last = now;
    if (last) {
        if (pg->shown)
            fputs("\r\033[K", stderr);
        return;
    }
    double t = seconds(&pg->start, &now);
    fprintf(stderr, "\refc: %.1f MB read, %llu rows, %.0f rows/s\033[K",
            (double)efc_survey_bytes_read(s) / 1e6, efc_survey_rows_read(s),
            t > 0 ? (double)efc_survey_rows_read(s) / t : 0.0);
    pg->shown = 1;
}

static char *lowercase(const char *s)
{
    char *l = strdup(s);
    for (char *c = l; c && *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    return l;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void warn_header(const efc_model *m, const efc_survey *s, const char *name)
{
    size_t n = efc_survey_missing_leaf_count(s);
    if (n) {
        fprintf(stderr,
                "efc: warning: %s: %zu item%s of the model %s no column and %s scored as "
                "missing:",
                name, n, n > 1 ? "s" : "", n > 1 ? "have" : "has", n > 1 ? "are" : "is");
        for (size_t i = 0; i < n && i < 12; i++)
            fprintf(stderr, " %s",
                    efc_model_node_id(m, efc_model_leaf_node(m, efc_survey_missing_leaf(s, i))));
        fprintf(stderr, "%s\n", n > 12 ? " ..." : "");
    }
    n = efc_survey_ignored_column_count(s);
    if (n == 0)
        return;
    /* a column that is a leaf id but for its case is most likely a typo */
    size_t leaves = efc_model_leaf_count(m);
    char **lower = malloc((leaves ? leaves : 1) * sizeof *lower);
    for (size_t j = 0; lower && j < leaves; j++)
        lower[j] = lowercase(efc_model_node_id(m, efc_model_leaf_node(m, j)));
    if (lower)
        qsort(lower, leaves, sizeof *lower, by_string);
    for (size_t i = 0; lower && i < n; i++) {
        const char *col = efc_survey_column_name(s, efc_survey_ignored_column(s, i));
        char *key = lowercase(col);
        char **hit = key ? bsearch(&key, lower, leaves, sizeof *lower, by_string) : NULL;
        if (hit) {
            /* the leaf whose lowercase id matched */
            for (size_t j = 0; j < leaves; j++) {
                const char *id = efc_model_node_id(m, efc_model_leaf_node(m, j));
                if (strcasecmp(id, col) == 0) {
                    fprintf(stderr,
                            "efc: warning: %s: column '%s' is ignored (did you mean '%s'?)\n", name,
                            col, id);
                    break;
                }
            }
        }
        free(key);
    }
    for (size_t j = 0; lower && j < leaves; j++)
        free(lower[j]);
    free(lower);
}

/* One row per rejected row, as wide as the header: short rows are padded,
 * the surplus fields of long rows go, joined, into a last `extra` column,
 * so the file reads back as a table. */
static void write_rejects(csv_out *w, const efc_batch *b, size_t ncols)
{
    for (size_t i = 0; i < efc_batch_rejected_count(b); i++) {
        size_t nf = efc_batch_rejected_field_count(b, i);
        csv_out_uint(w, efc_batch_rejected_line(b, i));
        csv_out_text(w, efc_batch_rejected_column_name(b, i));
        csv_out_text(w, efc_batch_rejected_reason(b, i));
        for (size_t f = 0; f < ncols; f++)
            csv_out_text(w, f < nf ? efc_batch_rejected_field(b, i, f) : "");
        size_t extra_len = 1;
        for (size_t f = ncols; f < nf; f++)
            extra_len += strlen(efc_batch_rejected_field(b, i, f)) + 1;
        char *extra = malloc(extra_len);
        if (extra) {
            extra[0] = '\0';
            for (size_t f = ncols; f < nf; f++) {
                size_t len = strlen(extra);
                if (f > ncols)
                    extra[len++] = w->delimiter;
                strcpy(extra + len, efc_batch_rejected_field(b, i, f));
            }
            csv_out_text(w, extra);
            free(extra);
        } else {
            w->failed = 1;
        }
        csv_out_end_row(w);
    }
}

static void report_rejects(const efc_batch *b, const char *name, unsigned long long *shown)
{
    for (size_t i = 0; i < efc_batch_rejected_count(b) && *shown < MAX_STDERR_REJECTS; i++) {
        const char *col = efc_batch_rejected_column_name(b, i);
        fprintf(stderr, "efc: %s:%zu:", name, efc_batch_rejected_line(b, i));
        if (efc_batch_rejected_column(b, i))
            fprintf(stderr, "%zu: %s:", efc_batch_rejected_column(b, i), col);
        fprintf(stderr, " %s (row rejected)\n", efc_batch_rejected_reason(b, i));
        (*shown)++;
    }
}

typedef struct run {
    cli_options o;
    efc_error *err;
    efc_model *model;
    efc_survey_options *sopts;
    efc_survey *survey;
    efc_batch *batch;
    plan plan;
    cli_output out, rej;
    csv_out w, rw;
    int out_open, rej_open;
    int header_written; /* written with the first rows, so an early error leaves nothing */
} run;

static void write_header(run *r)
{
    if (r->header_written)
        return;
    r->header_written = 1;
    for (size_t i = 0; i < r->plan.n; i++)
        csv_out_text(&r->w, r->plan.cols[i].name);
    csv_out_end_row(&r->w);
}

static int open_input(run *r, const char *name)
{
    efc_status st;
    if (!r->o.file || strcmp(r->o.file, "-") == 0)
        st = efc_survey_open_file(&r->survey, r->model, stdin, name, r->sopts, NULL, r->err);
    else
        st = efc_survey_open_path(&r->survey, r->model, r->o.file, r->sopts, NULL, r->err);
    return st ? cli_fail(r->err, st) : EXIT_DONE;
}

static int open_outputs(run *r)
{
    csv_dialect d = r->o.output_dialect && strcmp(r->o.output_dialect, "excel-fr") == 0
                        ? DIALECT_EXCEL_FR
                        : DIALECT_CSV;
    int status = cli_output_open(&r->out, r->o.output);
    if (status)
        return status;
    r->out_open = 1;
    if (!csv_out_init(&r->w, r->out.fp, d))
        return EXIT_IO;
    if (!r->o.rejects)
        return EXIT_DONE;
    if ((status = cli_output_open(&r->rej, r->o.rejects)))
        return status;
    r->rej_open = 1;
    if (!csv_out_init(&r->rw, r->rej.fp, d))
        return EXIT_IO;
    csv_out_text(&r->rw, "line");
    csv_out_text(&r->rw, "column");
    csv_out_text(&r->rw, "reason");
    for (size_t c = 0; c < efc_survey_column_count(r->survey); c++)
        csv_out_text(&r->rw, efc_survey_column_name(r->survey, c));
    csv_out_text(&r->rw, "extra");
    csv_out_end_row(&r->rw);
    return EXIT_DONE;
}

static void summary(const run *r)
{
    char hash[65];
    if (efc_model_sha256(r->model, hash, NULL) != EFC_OK)
        strcpy(hash, "?");
    const efc_survey *s = r->survey;
    fprintf(stderr, "efc: %llu rows read, %llu scored", efc_survey_rows_read(s),
            efc_survey_rows_read(s) - efc_survey_rows_rejected(s));
    if (r->o.combine && strcmp(r->o.combine, "none") != 0)
        fprintf(stderr, " into %llu combined rows", efc_survey_rows_out(s));
    unsigned long long clamped = efc_survey_values_clamped(s);
    fprintf(stderr, ", %llu rejected, %llu value%s clamped", efc_survey_rows_rejected(s), clamped,
            clamped == 1 ? "" : "s");
    if (efc_survey_rows_empty(s))
        fprintf(stderr, ", %llu empty row%s skipped", efc_survey_rows_empty(s),
                efc_survey_rows_empty(s) == 1 ? "" : "s");
    fprintf(stderr, "; model %s (sha256 %.12s)\n", efc_model_source(r->model), hash);
}

/* Write what the batch produced; rows are never held past their batch. */
static int flush_outputs(run *r)
{
    if (!csv_out_flush(&r->w))
        return cli_io_error(r->o.output ? r->o.output : "<stdout>", "write error");
    if (r->rej_open && !csv_out_flush(&r->rw))
        return cli_io_error(r->o.rejects, "write error");
    return EXIT_DONE;
}

static int score_all(run *r, const char *name)
{
    int status;
    progress pg = {isatty(2) && !r->o.quiet, {0, 0}, {0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    pg.last = pg.start;
    unsigned long long shown = 0;
    for (;;) {
        efc_status st = efc_survey_read(r->survey, r->batch, r->err);
        if (st) {
            progress_update(&pg, r->survey, 1);
            return cli_fail(r->err, st);
        }
        size_t rows = efc_batch_rows(r->batch);
        if (rows == 0 && efc_batch_rejected_count(r->batch) == 0)
            break;
        write_header(r);
        for (size_t i = 0; i < rows; i++) {
            write_row(&r->w, &r->plan, r->model, r->batch, i, r->o.scale);
            csv_out_end_row(&r->w);
        }
        if (r->rej_open)
            write_rejects(&r->rw, r->batch, efc_survey_column_count(r->survey));
        else
            report_rejects(r->batch, name, &shown);
        if ((status = flush_outputs(r))) {
            progress_update(&pg, r->survey, 1);
            return status;
        }
        progress_update(&pg, r->survey, 0);
    }
    progress_update(&pg, r->survey, 1);
    write_header(r); /* an empty survey still gets its header */
    if ((status = flush_outputs(r)))
        return status;
    unsigned long long rejected = efc_survey_rows_rejected(r->survey);
    if (!r->rej_open && rejected > shown)
        fprintf(stderr, "efc: ... and %llu more rejected rows (write them all with --rejects)\n",
                rejected - shown);
    if (efc_survey_group_conflicts(r->survey))
        fprintf(stderr,
                "efc: warning: %s: %llu combined rows had differing grouping values; the "
                "first row's were kept\n",
                name, efc_survey_group_conflicts(r->survey));
    return EXIT_DONE;
}

int cmd_score(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    int status = cli_parse(&r.o, CMD_SCORE, "score", argc, argv, 2);
    if (status)
        return status;
    if (r.o.help) {
        fputs(help, stdout);
        cli_options_free(&r.o);
        return cli_finish_stdout();
    }
    int skip = r.o.on_error && strcmp(r.o.on_error, "skip") == 0;
    if (r.o.rejects && !skip) {
        cli_options_free(&r.o);
        return cli_usage("score", "%s", "--rejects needs --on-error skip");
    }
    const char *name = r.o.file && strcmp(r.o.file, "-") != 0 ? r.o.file : "<stdin>";
    const char *inputs[] = {r.o.file, r.o.model_path}, *outputs[] = {r.o.output, r.o.rejects};
    if ((status = cli_check_outputs("score", inputs, 2, outputs, 2))) {
        cli_options_free(&r.o);
        return status;
    }
    if (efc_error_create(&r.err, NULL) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        status = EXIT_NOMEM;
    }
    if (!status)
        status = cli_load_model(&r.o, &r.model, r.err);
    if (!status)
        status = cli_survey_options(&r.o, &r.sopts);
    if (!status)
        status = open_input(&r, name);
    if (!status)
        warn_header(r.model, r.survey, name);
    if (!status && (status = make_plan(&r.o, r.model, r.survey, &r.plan)) == EXIT_NOMEM)
        fprintf(stderr, "efc: out of memory\n");
    if (!status && efc_batch_create(&r.batch, r.survey, BATCH_ROWS, NULL, r.err) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        status = EXIT_NOMEM;
    }
    if (!status)
        status = open_outputs(&r);
    if (!status)
        status = score_all(&r, name);
    if (!status && r.out_open) {
        r.out_open = 0;
        status = cli_output_commit(&r.out);
    }
    if (!status && r.rej_open) {
        r.rej_open = 0;
        status = cli_output_commit(&r.rej);
    }
    if (r.out_open)
        cli_output_abort(&r.out);
    if (r.rej_open)
        cli_output_abort(&r.rej);
    if (!status && !r.o.quiet)
        summary(&r);
    if (!status && efc_survey_rows_rejected(r.survey))
        status = EXIT_REJECTED;
    csv_out_free(&r.w);
    csv_out_free(&r.rw);
    free_plan(&r.plan);
    efc_batch_free(r.batch);
    efc_survey_free(r.survey);
    efc_survey_options_free(r.sopts);
    efc_model_free(r.model);
    efc_error_free(r.err);
    cli_options_free(&r.o);
    return status;
}
