/* efc score: score a survey file, row by row, into a CSV of scores. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "csv_out.h"
#include "keys_file.h"
#include "survey_run.h"

static const char *const help =
    "usage: efc score [options] [FILE|-]\n"
    "\n"
    "Score every row of a survey (FILE, or standard input when FILE is - or\n"
    "absent) with the model, and write one row of scores per assessment.\n"
    "\n"
    "  --model FILE          the model's codebook (default: the EFC reference grid)\n"
    "  --id COL              the id column (default: 'id', else the first column)\n"
    "  --period-column COL   the period column (default: 'period' if present; '' for none)\n"
    "  --group COL           a grouping column to carry through (repeatable)\n"
    "  --delimiter C         , ; tab or another character (default: detected)\n"
    "  --encoding E          auto, utf-8, utf-16, utf-16le, utf-16be, windows-1252\n"
    "  --decimal-comma       numbers are written 2,5\n"
    "  --date-format F       iso (YYYY-MM-DD, default) or dmy (dd/mm/yyyy)\n"
    "  --na TOKEN            a value meaning 'no answer' (repeatable; empty always is)\n"
    "  --strict-range        reject values outside the goalposts instead of clamping\n"
    "  --labels              read answers that are not numbers as the texts of the\n"
    "                        items' levels ('Agree', any case, any language)\n"
    "  --combine M           none, mean or median of the rows of one id and period\n"
    "  --on-error P          fail (stop at the first bad row, default) or skip\n"
    "  --rejects FILE        with --on-error skip: write the rejected rows there\n"
    "  --scale S             scores on 1 (default) or 100\n"
    "  --coverage            add <group>_coverage columns\n"
    "  --items               add <leaf>_norm columns (the normalised answers)\n"
    "  --keys FILE           add a column per scale of a keys file (scale,item,sign):\n"
    "                        the mean of its keyed answers, as R psych's scoreItems\n"
    "  --output-dialect D    csv (default) or excel-fr (; decimal comma, BOM, CRLF)\n"
    "  -j, --jobs N          threads (default: the cores available); same output\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "  -q, --quiet           no progress line and no summary\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"
    "5 finished with rejected rows (--on-error skip).\n";

typedef enum col_kind {
    COL_ID,
    COL_PERIOD,
    COL_GROUP,
    COL_RESPONDENTS,
    COL_SCORE,
    COL_KEY,
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
static int make_plan(const cli_options *o, const efc_model *m, const efc_survey *s,
                     const efc_keys *keys, plan *p)
{
    size_t nodes = efc_model_node_count(m);
    p->n = 0;
    p->cols = malloc((4 + efc_survey_group_count(s) + 4 * nodes + efc_keys_scale_count(keys)) *
                     sizeof *p->cols);
    if (!p->cols)
        return EXIT_NOMEM;
    int ok = add_col(p, COL_ID, 0, efc_survey_column_name(s, efc_survey_id_column(s)), "");
    if (efc_survey_period_column(s) != EFC_NO_NODE)
        ok &= add_col(p, COL_PERIOD, 0, efc_survey_column_name(s, efc_survey_period_column(s)), "");
    for (size_t g = 0; g < efc_survey_group_count(s); g++)
        ok &=
            add_col(p, COL_GROUP, g, efc_survey_column_name(s, efc_survey_group_column(s, g)), "");
    if (o->combine != EFC_COMBINE_NONE)
        ok &= add_col(p, COL_RESPONDENTS, 0, "respondents", "");
    for (size_t g = 0; g < efc_model_group_count(m); g++) {
        size_t k = efc_model_group_node(m, g);
        ok &= add_col(p, COL_SCORE, k, efc_model_node_id(m, k), "");
    }
    for (size_t k = 0; k < efc_keys_scale_count(keys); k++)
        ok &= add_col(p, COL_KEY, k, efc_keys_scale_name(keys, k), "");
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

/* 1 or 0, or empty for a missing score */
static void pass_cell(csv_out *w, efc_pass pass)
{
    if (pass == EFC_PASS_MISSING)
        csv_out_empty(w);
    else
        csv_out_uint(w, pass == EFC_PASS_OK);
}

static void write_row(csv_out *w, const plan *p, const efc_model *m, const efc_batch *b, size_t r,
                      int scale, const double *keyed)
{
    size_t nodes = efc_model_node_count(m);
    const double *scores = efc_batch_scores(b) + r * nodes;
    const double *cov = efc_batch_coverages(b) + r * nodes;
    for (size_t i = 0; i < p->n; i++) {
        const out_col *c = &p->cols[i];
        switch (c->kind) {
        case COL_ID:
            csv_out_text(w, efc_batch_id(b, r));
            break;
        case COL_PERIOD:
            csv_out_period(w, efc_batch_period(b, r));
            break;
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
        case COL_KEY: /* on the answers' scale: not times --scale */
            csv_out_real(w, keyed[c->index], 1);
            break;
        case COL_COVERAGE:
            csv_out_score(w, cov[c->index], 1);
            break;
        case COL_PASS:
            pass_cell(w, efc_model_pass(m, c->index, scores[c->index]));
            break;
        case COL_PASS_ALL:
            pass_cell(w, efc_model_pass_all(m, scores, 1));
            break;
        }
    }
}

typedef struct run {
    cli_options o;
    survey_run in;
    plan plan;
    cli_output out;
    csv_out w;
    int out_open;
    int header_written; /* written with the first rows, so an early error leaves nothing */
    efc_keys *keys;     /* --keys */
    double *keyed;      /* a batch's rows x key scales */
    size_t keyed_cap;   /* doubles */
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

static int open_output(run *r)
{
    int status = cli_output_open(&r->out, "-o", r->o.output);
    if (status)
        return status;
    r->out_open = 1;
    return csv_out_init(&r->w, r->out.fp, survey_run_dialect(&r->o)) ? EXIT_DONE : EXIT_IO;
}

/* Write what each batch produced; rows are never held past their batch. */
static int score_all(run *r)
{
    const efc_batch *b = r->in.batch;
    for (;;) {
        int end, status = survey_run_next(&r->in, &end);
        if (status)
            return status;
        if (end)
            break;
        write_header(r);
        size_t nk = efc_keys_scale_count(r->keys), leaves = efc_model_leaf_count(r->in.model);
        size_t need = nk * efc_batch_rows(b);
        if (need > r->keyed_cap) {
            double *grown = realloc(r->keyed, need * sizeof *grown);
            if (!grown) {
                fprintf(stderr, "efc: out of memory\n");
                return EXIT_NOMEM;
            }
            r->keyed = grown;
            r->keyed_cap = need;
        }
        if (nk && efc_keys_score_batch(r->keyed, (ptrdiff_t)nk, 1, r->keys, efc_batch_rows(b),
                                       efc_batch_values(b), (ptrdiff_t)leaves, 1, r->in.err))
            return cli_fail(r->in.err, efc_error_code(r->in.err));
        for (size_t i = 0; i < efc_batch_rows(b); i++) {
            write_row(&r->w, &r->plan, r->in.model, b, i, r->o.scale,
                      nk ? r->keyed + i * nk : NULL);
            csv_out_end_row(&r->w);
        }
        if (!csv_out_flush(&r->w))
            return cli_io_error(r->o.output ? r->o.output : "<stdout>", "write error");
    }
    write_header(r); /* an empty survey still gets its header */
    if (!csv_out_flush(&r->w))
        return cli_io_error(r->o.output ? r->o.output : "<stdout>", "write error");
    return survey_run_finish(&r->in);
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
    const cli_file inputs[] = {{"the survey", r.o.file ? r.o.file : "-"},
                               {"--model", r.o.model_path}};
    const cli_file outputs[] = {
        {r.o.output ? "-o" : "standard output", r.o.output ? r.o.output : "-"},
        {"--rejects", r.o.rejects}};
    status = cli_check_files("score", inputs, 2, outputs, 2);
    if (!status)
        status = survey_run_open(&r.in, &r.o);
    if (!status && r.o.keys)
        status = cli_keys_load(&r.keys, r.in.model, r.o.keys, r.in.err);
    if (!status &&
        (status = make_plan(&r.o, r.in.model, r.in.survey, r.keys, &r.plan)) == EXIT_NOMEM)
        fprintf(stderr, "efc: out of memory\n");
    if (!status)
        status = open_output(&r);
    if (!status)
        status = score_all(&r);
    if (!status && r.out_open) {
        r.out_open = 0;
        status = cli_output_close(&r.out);
    }
    if (r.out_open)
        cli_output_abort(&r.out);
    if (!status && !r.o.quiet)
        survey_run_summary(&r.in);
    if (!status)
        status = survey_run_status(&r.in);
    csv_out_free(&r.w);
    free_plan(&r.plan);
    free(r.keyed);
    efc_keys_free(r.keys);
    survey_run_free(&r.in);
    cli_options_free(&r.o);
    return status;
}
