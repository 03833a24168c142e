/* efc index: the composite-indicator pipeline (efc/index.h) on a data file,
 * into the aggregated stage, and with --stages every stage and what the
 * steps did. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "csv_out.h"

static const char *const help =
    "usage: efc index [options] --model FILE DATA|-\n"
    "\n"
    "Build a composite indicator from indicator data (DATA, or standard input\n"
    "when DATA is -): each leaf of the model goes through its steps (denominator,\n"
    "impute, treat, normalise: codebook columns of those names) over the whole\n"
    "table, then the groups aggregate the normalised values. Writes the\n"
    "aggregated stage: the id (and period), every leaf in model order, then the\n"
    "groups from the bottom up, the root last.\n"
    "\n"
    "  --model FILE          the model's codebook (required)\n"
    "  --id COL              the id column (default: 'id', else the first column)\n"
    "  --period-column COL   the period column of a panel in long format\n"
    "                        (default: 'period' if present; '' for none)\n"
    "  --reference-period P  fit every data-driven parameter on the rows of period\n"
    "                        P (as written) and measure every period with them\n"
    "  --screen SHARE        leave out the rows with less than SHARE (0 to 1) of\n"
    "                        the leaves present (default 0: keep every row)\n"
    "  --stages DIR          also write into DIR (created if missing) raw.csv,\n"
    "                        denominated.csv, imputed.csv, treated.csv,\n"
    "                        normalised.csv, aggregated.csv, treatment.csv,\n"
    "                        imputations.csv and screened.csv\n"
    "  --delimiter C         , ; tab or another character (default: detected)\n"
    "  --encoding E          auto, utf-8, utf-16, utf-16le, utf-16be, windows-1252\n"
    "  --decimal-comma       numbers are written 2,5\n"
    "  --na TOKEN            a value meaning 'missing' (repeatable; empty always is)\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "  -j, --jobs N          threads over the leaves (default: one per core; the\n"
    "                        output is the same whatever N)\n"
    "  -q, --quiet           no summary\n"
    "\n"
    "Every output is replaced only when the whole run succeeds.\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory.\n";

/* The files of --stages, in the order they are written. */
enum { N_STAGE_FILES = 9 };

typedef struct run {
    cli_options o;
    const char *name; /* the data's name in messages */
    efc_error *err;
    efc_model *model;
    efc_survey_options *sopts;
    efc_index_options *iopts;
    efc_table *table;
    efc_index *index;
    const char *id_name;     /* the id column */
    const char *period_name; /* the period column, NULL for none */
    size_t *order;           /* the aggregated stage's nodes: leaves, groups bottom up */
    size_t norder;
    double *values; /* one stage: units x nodes */
    char *stage_paths[N_STAGE_FILES];
} run;

static int no_memory(void)
{
    fprintf(stderr, "efc: out of memory\n");
    return EXIT_NOMEM;
}

static const char *stage_file_name(int i, char *buf, size_t size)
{
    static const char *const others[] = {"treatment", "imputations", "screened"};
    const char *base = i <= EFC_STAGE_AGGREGATED ? efc_enum_name(EFC_ENUM_INDEX_STAGE, i)
                                                 : others[i - EFC_STAGE_AGGREGATED - 1];
    snprintf(buf, size, "%s.csv", base ? base : "?");
    return buf;
}

/* The paths of the stage files in --stages DIR. */
static int stage_paths(run *r)
{
    for (int i = 0; i < N_STAGE_FILES; i++) {
        char name[64];
        stage_file_name(i, name, sizeof name);
        size_t n = strlen(r->o.stages) + strlen(name) + 2;
        if (!(r->stage_paths[i] = malloc(n)))
            return no_memory();
        snprintf(r->stage_paths[i], n, "%s/%s", r->o.stages, name);
    }
    return EXIT_DONE;
}

/* The nodes of the aggregated stage: the leaves in model order, then the
 * groups by height (a group after all its descendants), in model order
 * within a height; the root, highest, comes last. */
static int make_order(run *r)
{
    const efc_model *m = efc_index_model(r->index);
    size_t nodes = efc_model_node_count(m), leaves = efc_model_leaf_count(m);
    size_t *height = calloc(nodes ? nodes : 1, sizeof *height);
    r->order = malloc((nodes ? nodes : 1) * sizeof *r->order);
    if (!height || !r->order) {
        free(height);
        return no_memory();
    }
    size_t top = 0;
    for (size_t j = 0; j < leaves; j++) {
        size_t k = efc_model_leaf_node(m, j), d = 0;
        r->order[r->norder++] = k;
        for (size_t p = efc_model_node_parent(m, k); p != EFC_NO_NODE && p < nodes;
             p = efc_model_node_parent(m, p)) {
            if (height[p] < ++d)
                height[p] = d;
            if (d > top)
                top = d;
        }
    }
    size_t groups = efc_model_group_count(m);
    for (size_t h = 0; h <= top; h++)
        for (size_t k = 0; k < nodes; k++)
            if (efc_model_node_leaf(m, k) == EFC_NO_NODE && height[k] == h)
                r->order[r->norder++] = k;
    free(height);
    if (r->norder != leaves + groups) {
        fprintf(stderr, "efc: the model's groups could not be ordered\n");
        return EXIT_DATA;
    }
    return EXIT_DONE;
}

static void key_header(const run *r, csv_out *w)
{
    csv_out_text(w, r->id_name);
    if (r->period_name)
        csv_out_text(w, r->period_name);
}

static void key_cells(csv_out *w, const char *id, const char *period, int with_period)
{
    csv_out_text(w, id ? id : "");
    if (with_period)
        csv_out_period(w, period ? period : "");
}

/* A stage: the id (and period), then the leaves, or for the aggregated
 * stage every node in r->order. */
static int write_stage(run *r, csv_out *w, efc_index_stage stage)
{
    const efc_model *m = efc_index_model(r->index);
    size_t units = efc_index_unit_count(r->index), nodes = efc_model_node_count(m);
    size_t ncols = stage == EFC_STAGE_AGGREGATED ? r->norder : efc_model_leaf_count(m);
    size_t capacity = units * nodes;
    if (efc_index_fill(r->values, capacity, (ptrdiff_t)nodes, 1, r->index, stage, r->err))
        return cli_fail(r->err, efc_error_code(r->err));
    key_header(r, w);
    for (size_t c = 0; c < ncols; c++)
        csv_out_text(w, efc_model_node_id(m, r->order[c]));
    csv_out_end_row(w);
    for (size_t u = 0; u < units; u++) {
        key_cells(w, efc_index_unit_id(r->index, u), efc_index_unit_period(r->index, u),
                  r->period_name != NULL);
        const double *row = r->values + u * nodes;
        for (size_t c = 0; c < ncols; c++)
            csv_out_real(w, row[r->order[c]], 1);
        csv_out_end_row(w);
        csv_out_flush_some(w);
    }
    return EXIT_DONE;
}

/* What the treatment of each leaf did: every metric by its library name. */
static int write_treatment(run *r, csv_out *w)
{
    const efc_model *m = efc_index_model(r->index);
    int metrics = efc_enum_count(EFC_ENUM_TREATMENT_METRIC);
    csv_out_text(w, "indicator");
    for (int k = 0; k < metrics; k++)
        csv_out_name(w, EFC_ENUM_TREATMENT_METRIC, k);
    csv_out_text(w, "transform");
    csv_out_end_row(w);
    for (size_t j = 0; j < efc_model_leaf_count(m); j++) {
        size_t node = efc_model_leaf_node(m, j);
        csv_out_text(w, efc_model_node_id(m, node));
        for (int k = 0; k < metrics; k++)
            csv_out_real(w, efc_index_treatment_value(r->index, node, (efc_treatment_metric)k), 1);
        csv_out_name(w, EFC_ENUM_TREAT, efc_index_treatment(r->index, node));
        csv_out_end_row(w);
    }
    return EXIT_DONE;
}

/* Every imputed cell: its unit (and period) and its leaf. */
static int write_imputations(run *r, csv_out *w)
{
    const efc_model *m = efc_index_model(r->index);
    key_header(r, w);
    csv_out_text(w, "indicator");
    csv_out_end_row(w);
    for (size_t u = 0; u < efc_index_unit_count(r->index); u++)
        for (size_t j = 0; j < efc_model_leaf_count(m); j++) {
            size_t node = efc_model_leaf_node(m, j);
            if (!efc_index_imputed(r->index, u, node))
                continue;
            key_cells(w, efc_index_unit_id(r->index, u), efc_index_unit_period(r->index, u),
                      r->period_name != NULL);
            csv_out_text(w, efc_model_node_id(m, node));
            csv_out_end_row(w);
            csv_out_flush_some(w);
        }
    return EXIT_DONE;
}

/* The rows left out by --screen and the share of leaves they had. */
static int write_screened(run *r, csv_out *w)
{
    key_header(r, w);
    csv_out_text(w, "share");
    csv_out_end_row(w);
    for (size_t i = 0; i < efc_index_screened_count(r->index); i++) {
        key_cells(w, efc_index_screened_id(r->index, i), efc_index_screened_period(r->index, i),
                  r->period_name != NULL);
        csv_out_real(w, efc_index_screened_share(r->index, i), 1);
        csv_out_end_row(w);
    }
    return EXIT_DONE;
}

static int write_file(run *r, int which, FILE *fp)
{
    csv_out w;
    int status = csv_out_init(&w, fp, DIALECT_CSV) ? EXIT_DONE : no_memory();
    if (!status) {
        if (which <= EFC_STAGE_AGGREGATED)
            status = write_stage(r, &w, (efc_index_stage)which);
        else if (which == EFC_STAGE_AGGREGATED + 1)
            status = write_treatment(r, &w);
        else if (which == EFC_STAGE_AGGREGATED + 2)
            status = write_imputations(r, &w);
        else
            status = write_screened(r, &w);
    }
    if (!status && w.failed)
        status = no_memory();
    if (!status && !csv_out_flush(&w))
        status = EXIT_IO; /* said by the caller, who knows the file's name */
    csv_out_free(&w);
    return status;
}

/* One output opened with cli_output_open, written and closed. */
static int write_output(run *r, int which, const char *option, const char *path)
{
    cli_output out;
    int status = cli_output_open(&out, option, path);
    if (status)
        return status;
    status = write_file(r, which, out.fp);
    if (status == EXIT_IO)
        status = cli_io_error(path && strcmp(path, "-") ? path : "<stdout>", "write error");
    if (status) {
        cli_output_abort(&out);
        return status;
    }
    return cli_output_close(&out);
}

/* --stages DIR: an existing directory gets its nine files replaced (the
 * others in it are left alone); a missing one is written under a temporary
 * name and takes its place at the end of a successful run. */
static int write_stages(run *r)
{
    struct stat sb;
    if (stat(r->o.stages, &sb) == 0) {
        for (int i = 0; i < N_STAGE_FILES; i++) {
            int status = write_output(r, i, "--stages", r->stage_paths[i]);
            if (status)
                return status;
        }
        return EXIT_DONE;
    }
    cli_pages dir;
    int status = cli_pages_open(&dir, r->o.stages, N_STAGE_FILES);
    for (int i = 0; !status && i < N_STAGE_FILES; i++) {
        char name[64];
        FILE *fp;
        if ((status = cli_pages_file(&dir, stage_file_name(i, name, sizeof name), &fp)))
            break;
        status = write_file(r, i, fp);
        errno = 0;
        int failed = fflush(fp) != 0 || ferror(fp);
        int e = errno;
        if (fclose(fp) != 0 && !failed) {
            failed = 1;
            e = errno;
        }
        if (!status && failed) {
            errno = e;
            status = EXIT_IO;
        }
        if (status == EXIT_IO)
            status = cli_io_error(r->stage_paths[i], "write error");
    }
    return status;
}

/* Before anything is read: --stages must be a directory or absent, and no
 * output may land on an input or on another output. */
static int check_files(run *r)
{
    if (r->o.stages) {
        struct stat sb;
        if (!r->o.stages[0])
            return cli_usage(r->o.command, "%s", "--stages: the directory name is empty");
        if (stat(r->o.stages, &sb) == 0 && !S_ISDIR(sb.st_mode))
            return cli_usage(r->o.command, "--stages: %s exists and is not a directory",
                             r->o.stages);
        int status = stage_paths(r);
        if (status)
            return status;
    }
    const cli_file inputs[] = {{"the data", r->o.file}, {"--model", r->o.model_path}};
    cli_file outputs[1 + N_STAGE_FILES];
    size_t n = 0;
    outputs[n++] =
        (cli_file){r->o.output ? "-o" : "standard output", r->o.output ? r->o.output : "-"};
    for (int i = 0; r->o.stages && i < N_STAGE_FILES; i++)
        outputs[n++] = (cli_file){"--stages", r->stage_paths[i]};
    return cli_check_files(r->o.command, inputs, 2, outputs, n);
}

static void summary(const run *r)
{
    char hash[65];
    if (efc_model_sha256(hash, r->model, NULL) != EFC_OK)
        strcpy(hash, "?");
    size_t imputed = efc_index_imputed_count(r->index);
    fprintf(stderr, "efc: %zu rows read, %zu units indexed, %zu screened out, %zu cell%s imputed",
            efc_table_rows(r->table), efc_index_unit_count(r->index),
            efc_index_screened_count(r->index), imputed, imputed == 1 ? "" : "s");
    fprintf(stderr, "; model %s (sha256 %.12s)\n", efc_model_source(r->model), hash);
}

static int index_all(run *r)
{
    if (!r->o.model_path)
        return cli_usage(r->o.command, "%s", "--model is required: the codebook of the indicator");
    if (!r->o.file)
        return cli_usage(r->o.command, "%s", "no data file (DATA, or - for standard input)");
    r->name = strcmp(r->o.file, "-") != 0 ? r->o.file : "<stdin>";
    int status = check_files(r);
    if (status)
        return status;
    if (efc_error_create(&r->err, NULL) != EFC_OK)
        return no_memory();
    if ((status = cli_load_model(&r->o, &r->model, r->err)) ||
        (status = cli_survey_options(&r->o, &r->sopts)) ||
        (status = cli_index_input(&r->o, r->o.file, r->model, r->name, r->sopts, &r->table,
                                  &r->iopts, &r->id_name, &r->period_name, r->err)))
        return status;
    efc_status st = efc_index_run(&r->index, r->model, r->table, r->iopts, r->err);
    if (st)
        return cli_fail(r->err, st);
    if ((status = make_order(r)))
        return status;
    size_t cells = efc_index_unit_count(r->index) * efc_model_node_count(r->model);
    if (!(r->values = malloc((cells ? cells : 1) * sizeof *r->values)))
        return no_memory();
    /* every number is computed before the first file is opened */
    if (r->o.stages && (status = write_stages(r)))
        return status;
    if ((status = write_output(r, EFC_STAGE_AGGREGATED, "-o", r->o.output)))
        return status;
    if (!r->o.output && (status = cli_finish_stdout()))
        return status;
    if (!r->o.quiet)
        summary(r);
    return EXIT_DONE;
}

int cmd_index(int argc, char **argv)
{
    run r;
    memset(&r, 0, sizeof r);
    int status = cli_parse(&r.o, CMD_INDEX, "index", argc, argv, 2);
    if (status)
        return status;
    if (r.o.help) {
        fputs(help, stdout);
        cli_options_free(&r.o);
        return cli_finish_stdout();
    }
    status = index_all(&r);
    for (int i = 0; i < N_STAGE_FILES; i++)
        free(r.stage_paths[i]);
    free(r.values);
    free(r.order);
    efc_index_free(r.index);
    efc_table_free(r.table);
    efc_index_options_free(r.iopts);
    efc_survey_options_free(r.sopts);
    efc_model_free(r.model);
    efc_error_free(r.err);
    cli_options_free(&r.o);
    return status;
}
