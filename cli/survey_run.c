#include "survey_run.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The survey hands over units of 512 rows: a batch of that size takes them
 * without copying (efc_survey_read exchanges the storage). */
#define BATCH_ROWS         512
#define MAX_STDERR_REJECTS 10

csv_dialect survey_run_dialect(const cli_options *o)
{
    return o->output_dialect && strcmp(o->output_dialect, "excel-fr") == 0 ? DIALECT_EXCEL_FR
                                                                           : DIALECT_CSV;
}

/* ---- progress ---- */

static void progress(survey_run *r, int last)
{
    if (!r->progress_on)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!last && cli_seconds(&r->last, &now) < 0.25)
        return;
    r->last = now;
    if (last) {
        if (r->progress_shown)
            fputs("\r\033[K", stderr);
        r->progress_shown = 0;
        return;
    }
    double t = cli_seconds(&r->start, &now);
    const efc_survey *s = r->survey;
    fprintf(stderr, "\refc: %.1f MB read, %llu rows, %.0f rows/s\033[K",
            (double)efc_survey_bytes_read(s) / 1e6, efc_survey_rows_read(s),
            t > 0 ? (double)efc_survey_rows_read(s) / t : 0.0);
    r->progress_shown = 1;
}

/* ---- the header ---- */

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

/* ---- rejected rows ---- */

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
            size_t len = 0; /* kept as it grows: rows may have 100,000 surplus fields */
            for (size_t f = ncols; f < nf; f++) {
                const char *field = efc_batch_rejected_field(b, i, f);
                size_t n = strlen(field);
                if (f > ncols)
                    extra[len++] = w->delimiter;
                memcpy(extra + len, field, n);
                len += n;
            }
            extra[len] = '\0';
            csv_out_text(w, extra);
            free(extra);
        } else {
            w->failed = 1;
        }
        csv_out_end_row(w);
    }
}

static void report_rejects(survey_run *r)
{
    const efc_batch *b = r->batch;
    for (size_t i = 0; i < efc_batch_rejected_count(b) && r->shown < MAX_STDERR_REJECTS; i++) {
        const char *col = efc_batch_rejected_column_name(b, i);
        fprintf(stderr, "efc: %s:%zu:", r->name, efc_batch_rejected_line(b, i));
        if (efc_batch_rejected_column(b, i))
            fprintf(stderr, "%zu: %s:", efc_batch_rejected_column(b, i), col);
        fprintf(stderr, " %s (row rejected)\n", efc_batch_rejected_reason(b, i));
        r->shown++;
    }
}

static int open_rejects(survey_run *r)
{
    int status = cli_output_open(&r->rej, "--rejects", r->o->rejects);
    if (status)
        return status;
    r->rej_open = 1;
    if (!csv_out_init(&r->rw, r->rej.fp, survey_run_dialect(r->o)))
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

/* ---- the run ---- */

int survey_run_open(survey_run *r, const cli_options *o)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->name = o->file && strcmp(o->file, "-") != 0 ? o->file : "<stdin>";
    int skip = o->on_error == EFC_ON_ERROR_SKIP;
    if (o->rejects && !skip)
        return cli_usage(o->command, "%s", "--rejects needs --on-error skip");
    if (efc_error_create(&r->err, NULL) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    int status = cli_load_model(o, &r->model, r->err);
    if (!status)
        status = cli_survey_options(o, &r->sopts);
    if (status)
        return status;
    efc_status st;
    int from_stdin = !o->file || strcmp(o->file, "-") == 0;
    if (efc_model_needs_index(r->model)) {
        /* fitted on the input first: standard input is kept in memory to
         * be read twice */
        if (from_stdin && (status = cli_read_stdin(&r->input, &r->input_size)))
            return status;
        if ((status = cli_fit_on_input(o, &r->model, r->name, r->sopts, r->input, r->input_size,
                                       r->err)))
            return status;
    }
    if (r->input)
        st = efc_survey_open_buffer(&r->survey, r->model, r->input, r->input_size, r->name,
                                    r->sopts, NULL, r->err);
    else if (from_stdin)
        st = efc_survey_open_file(&r->survey, r->model, stdin, r->name, r->sopts, NULL, r->err);
    else
        st = efc_survey_open_path(&r->survey, r->model, o->file, r->sopts, NULL, r->err);
    if (st)
        return cli_fail(r->err, st);
    warn_header(r->model, r->survey, r->name);
    if (efc_batch_create(&r->batch, r->survey, BATCH_ROWS, NULL, r->err) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    if (o->rejects && (status = open_rejects(r)))
        return status;
    r->progress_on = isatty(2) && !o->quiet;
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    r->last = r->start;
    return EXIT_DONE;
}

int survey_run_next(survey_run *r, int *end)
{
    *end = 0;
    efc_status st = efc_survey_read(r->batch, r->survey, r->err);
    if (st) {
        progress(r, 1);
        return cli_fail(r->err, st);
    }
    if (efc_batch_rows(r->batch) == 0 && efc_batch_rejected_count(r->batch) == 0) {
        progress(r, 1);
        *end = 1;
        return EXIT_DONE;
    }
    if (r->rej_open) {
        write_rejects(&r->rw, r->batch, efc_survey_column_count(r->survey));
        if (!csv_out_flush(&r->rw)) {
            progress(r, 1);
            return cli_io_error(r->o->rejects, "write error");
        }
    } else {
        report_rejects(r);
    }
    progress(r, 0);
    return EXIT_DONE;
}

int survey_run_finish(survey_run *r)
{
    unsigned long long rejected = efc_survey_rows_rejected(r->survey);
    if (!r->rej_open && rejected > r->shown)
        fprintf(stderr, "efc: ... and %llu more rejected rows (write them all with --rejects)\n",
                rejected - r->shown);
    if (efc_survey_group_conflicts(r->survey))
        fprintf(stderr,
                "efc: warning: %s: %llu combined rows had differing grouping values; the "
                "first row's were kept\n",
                r->name, efc_survey_group_conflicts(r->survey));
    if (r->rej_open) {
        /* written; renamed into place with the other outputs when the whole
         * run succeeds (a later failure keeps the old file) */
        r->rej_open = 0;
        return cli_output_close(&r->rej);
    }
    return EXIT_DONE;
}

void survey_run_summary(const survey_run *r)
{
    char hash[65];
    if (efc_model_sha256(hash, r->model, NULL) != EFC_OK)
        strcpy(hash, "?");
    const efc_survey *s = r->survey;
    fprintf(stderr, "efc: %llu rows read, %llu scored", efc_survey_rows_read(s),
            efc_survey_rows_read(s) - efc_survey_rows_rejected(s));
    if (r->o->combine != EFC_COMBINE_NONE)
        fprintf(stderr, " into %llu combined rows", efc_survey_rows_out(s));
    unsigned long long clamped = efc_survey_clamped_count(s);
    fprintf(stderr, ", %llu rejected, %llu value%s clamped", efc_survey_rows_rejected(s), clamped,
            clamped == 1 ? "" : "s");
    if (efc_survey_rows_empty(s))
        fprintf(stderr, ", %llu empty row%s skipped", efc_survey_rows_empty(s),
                efc_survey_rows_empty(s) == 1 ? "" : "s");
    fprintf(stderr, "; model %s (sha256 %.12s)\n", efc_model_source(r->model), hash);
}

int survey_run_status(const survey_run *r)
{
    return r->survey && efc_survey_rows_rejected(r->survey) ? EXIT_REJECTED : EXIT_DONE;
}

void survey_run_free(survey_run *r)
{
    if (r->rej_open)
        cli_output_abort(&r->rej);
    csv_out_free(&r->rw);
    efc_batch_free(r->batch);
    efc_survey_free(r->survey);
    efc_survey_options_free(r->sopts);
    efc_model_free(r->model);
    efc_error_free(r->err);
    free(r->input);
    memset(r, 0, sizeof *r);
}
