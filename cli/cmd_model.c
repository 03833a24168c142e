/* efc model: show the model as a tree, export it as a codebook, or write
 * the header row of a survey for it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "questionnaire.h"

static const char *const help =
    "usage: efc model [--model FILE] [--lang LANG] [--export | --template |\n"
    "                 --questionnaire] [-o FILE]\n"
    "       efc model --model FILE --fit DATA [reading options] [-o FILE]\n"
    "\n"
    "Show the model (the embedded EFC reference grid unless --model is given)\n"
    "as a tree: each node's id, weight, aggregation or scale, minimum coverage,\n"
    "threshold and label.\n"
    "\n"
    "  --model FILE   read the model from a codebook CSV file\n"
    "  --lang LANG    labels in this language (two letters, e.g. fr) when the\n"
    "                 model has them\n"
    "  --export       write the model as a codebook CSV instead\n"
    "  --template     write the header row of a survey for the model instead:\n"
    "                 id,period and one column per leaf\n"
    "  --questionnaire  write the questionnaire respondents fill in instead: an\n"
    "                 HTML form with every item, its description and the text\n"
    "                 of each level, in --lang en (default) or fr\n"
    "  --fit DATA     fit the model's data-driven steps on DATA (a file, or - for\n"
    "                 standard input), as efc index runs them, and write the\n"
    "                 fitted codebook: every parameter the data gave written out\n"
    "                 (value:V, clamp:LO:HI, minmax:LO:HI:MIN:MAX, ...), so that\n"
    "                 it scores new units against the fitted population\n"
    "  -o, --output FILE  write to FILE (replaced only on success) instead of\n"
    "                 standard output\n"
    "\n"
    "With --fit, efc index's options: --id COL, --period-column COL,\n"
    "--reference-period P (fit on one period), --screen SHARE, --delimiter C,\n"
    "--encoding E, --decimal-comma, --na TOKEN, -j N, -q.\n"
    "\n"
    "Exit status: 0 done, 1 bad data or model, 2 usage, 3 input/output,\n"
    "4 out of memory.\n";

static void csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!s[0] || s[strlen(s) - 1] != ' ')) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void write_template(const efc_model *m, FILE *fp)
{
    fputs("id,period", fp);
    for (size_t j = 0; j < efc_model_leaf_count(m); j++) {
        fputc(',', fp);
        csv_field(fp, efc_model_node_id(m, efc_model_leaf_node(m, j)));
    }
    fputc('\n', fp);
}

/* What to show in the "aggregate or scale" column of a node. */
static void describe(const efc_model *m, size_t k, char *buf, size_t cap)
{
    if (efc_model_node_kind(m, k) == EFC_NODE_GROUP) {
        /* as the codebook writes it */
        if (efc_aggregate_format(buf, cap, NULL, efc_model_node_aggregate(m, k),
                                 efc_model_node_power(m, k), NULL) != EFC_OK &&
            cap)
            buf[0] = '\0';
        return;
    }
    snprintf(buf, cap, "%g..%g%s%s", efc_model_node_min(m, k), efc_model_node_max(m, k),
             efc_model_node_transform(m, k) == EFC_TRANSFORM_LOG ? " log" : "",
             efc_model_node_direction(m, k) == EFC_DIRECTION_NEGATIVE ? " (-)" : "");
}

#define MAX_INDENT 24

static size_t indent(size_t depth)
{
    return depth < MAX_INDENT ? depth : MAX_INDENT;
}

typedef struct tree_row {
    size_t node;
    size_t depth;
} tree_row;

/* Nodes in depth-first order with their depth (iterative: no recursion). */
static tree_row *tree_order(const efc_model *m)
{
    size_t n = efc_model_node_count(m);
    tree_row *rows = malloc(n * sizeof *rows);
    tree_row *stack = malloc(n * sizeof *stack);
    size_t nrows = 0, top = 0;
    if (!rows || !stack) {
        free(rows);
        free(stack);
        return NULL;
    }
    stack[top++] = (tree_row){efc_model_root(m), 0};
    while (top) {
        tree_row r = stack[--top];
        rows[nrows++] = r;
        size_t nc = efc_model_node_child_count(m, r.node);
        for (size_t c = nc; c-- > 0;)
            stack[top++] = (tree_row){efc_model_node_child(m, r.node, c), r.depth + 1};
    }
    free(stack);
    return rows;
}

static int write_tree(const efc_model *m, const char *lang, FILE *fp)
{
    size_t n = efc_model_node_count(m);
    tree_row *rows = tree_order(m);
    if (!rows) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    size_t idw = strlen("node"), aggw = strlen("aggregate/scale");
    char buf[96];
    /* indentation shows depth up to MAX_INDENT levels; deeper nodes say theirs */
    for (size_t i = 0; i < n; i++) {
        size_t w = 2 * indent(rows[i].depth) + strlen(efc_model_node_id(m, rows[i].node)) +
                   (rows[i].depth > MAX_INDENT ? 24 : 0);
        if (w > idw)
            idw = w;
        describe(m, rows[i].node, buf, sizeof buf);
        if (strlen(buf) > aggw)
            aggw = strlen(buf);
    }
    fprintf(fp, "%-*s  %6s  %-*s  %8s  %9s  %s\n", (int)idw, "node", "weight", (int)aggw,
            "aggregate/scale", "coverage", "threshold", "label");
    for (size_t i = 0; i < n; i++) {
        size_t k = rows[i].node;
        const char *id = efc_model_node_id(m, k);
        char cov[32] = "", thr[32] = "";
        if (efc_model_node_kind(m, k) == EFC_NODE_GROUP)
            snprintf(cov, sizeof cov, "%g", efc_model_node_min_coverage(m, k));
        if (!isnan(efc_model_node_threshold(m, k)))
            snprintf(thr, sizeof thr, "%g", efc_model_node_threshold(m, k));
        describe(m, k, buf, sizeof buf);
        char shown_id[320];
        if (rows[i].depth > MAX_INDENT)
            snprintf(shown_id, sizeof shown_id, "%s (depth %zu)", id, rows[i].depth);
        else
            snprintf(shown_id, sizeof shown_id, "%s", id);
        size_t in = indent(rows[i].depth);
        fprintf(fp, "%*s%-*s  %6g  %-*s  %8s  %9s  %s\n", (int)(2 * in), "", (int)(idw - 2 * in),
                shown_id, efc_model_node_weight(m, k), (int)aggw, buf, cov, thr,
                efc_model_node_label(m, k, lang));
    }
    free(rows);
    return EXIT_DONE;
}

/* The codebook of m, through memory so that write errors are reported
 * like any other. */
static int write_codebook(const efc_model *m, FILE *fp, efc_error *err)
{
    size_t len = 0;
    char *text = NULL;
    efc_status st = efc_model_export_buffer(NULL, 0, &len, m, err);
    if (!st && !(text = malloc(len + 1)))
        st = EFC_ERR_NOMEM;
    if (!st)
        st = efc_model_export_buffer(text, len + 1, &len, m, err);
    if (!st)
        fwrite(text, 1, len, fp);
    free(text);
    return st ? cli_fail(err, st) : EXIT_DONE;
}

/* --fit DATA: the pipeline run on DATA, and its fitted model. Everything
 * is computed before the output is opened. */
static int fit(const cli_options *o, const efc_model *m, efc_model **fitted, efc_error *err)
{
    const char *name = strcmp(o->fit, "-") != 0 ? o->fit : "<stdin>";
    efc_survey_options *sopts = NULL;
    efc_table *table = NULL;
    efc_index_options *iopts = NULL;
    efc_index *ix = NULL;
    const char *id_name = NULL, *period_name = NULL;
    int status = cli_survey_options(o, &sopts);
    if (!status)
        status =
            cli_index_input(o, o->fit, m, name, sopts, &table, &iopts, &id_name, &period_name, err);
    efc_status st = EFC_OK;
    if (!status && (st = efc_index_run(&ix, m, table, iopts, err)))
        status = cli_fail(err, st);
    if (!status && (st = efc_index_fitted_model(fitted, ix, NULL, err)))
        status = cli_fail(err, st);
    if (!status && !o->quiet) {
        size_t imputed = efc_index_imputed_count(ix);
        fprintf(stderr,
                "efc: fitted on %s: %zu rows read, %zu units indexed, %zu screened out, "
                "%zu cell%s imputed",
                name, efc_table_rows(table), efc_index_unit_count(ix), efc_index_screened_count(ix),
                imputed, imputed == 1 ? "" : "s");
        if (o->reference_period)
            fprintf(stderr, "; parameters from period %s", o->reference_period);
        fputc('\n', stderr);
    }
    efc_index_free(ix);
    efc_index_options_free(iopts);
    efc_table_free(table);
    efc_survey_options_free(sopts);
    return status;
}

/* The questionnaire names its model by file name, not path, so that it is
 * the same from any checkout. */
static int write_questionnaire(const cli_options *o, const efc_model *m, FILE *fp, efc_error *err)
{
    char sha[65];
    efc_status st = efc_model_sha256(sha, m, err);
    if (st)
        return cli_fail(err, st);
    const char *name = "default";
    if (o->model_path) {
        const char *slash = strrchr(o->model_path, '/');
        name = slash && slash[1] ? slash + 1 : o->model_path;
    }
    if (questionnaire_html(fp, m, ui_text_for(o->lang), name, sha)) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    return EXIT_DONE;
}

int cmd_model(int argc, char **argv)
{
    cli_options o;
    int status = cli_parse(&o, CMD_MODEL, "model", argc, argv, 2);
    if (status)
        return status;
    int modes = o.export_codebook + o.template_header + o.questionnaire + (o.fit != NULL);
    int bad_lang = o.questionnaire && o.lang && strcmp(o.lang, "en") && strcmp(o.lang, "fr");
    int needs_fit = o.fit_only && !o.fit;
    if (o.help || o.file || modes > 1 || bad_lang || needs_fit) {
        if (o.help) {
            fputs(help, stdout);
            status = cli_finish_stdout();
        } else if (o.file)
            status = cli_usage(
                "model", "unexpected argument '%s' (the model is given with --model)", o.file);
        else if (modes > 1)
            status = cli_usage("model", "%s",
                               "--export, --template, --questionnaire and --fit cannot be "
                               "combined");
        else if (needs_fit)
            status = cli_usage("model", "--%s applies with --fit DATA only (the data to fit on)",
                               o.fit_only);
        else
            status = cli_usage("model",
                               "--lang: '%s' is not one of en fr (the questionnaire's "
                               "words are the tool's)",
                               o.lang);
        cli_options_free(&o);
        return status;
    }
    efc_error *err = NULL;
    if (efc_error_create(&err, NULL) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        cli_options_free(&o);
        return EXIT_NOMEM;
    }
    efc_model *m = NULL, *fitted = NULL;
    cli_output out;
    out.fp = NULL;
    out.slot = -1;
    const cli_file inputs[] = {{"--model", o.model_path}, {"--fit", o.fit}};
    const cli_file outputs[] = {{o.output ? "-o" : "standard output", o.output ? o.output : "-"}};
    if ((status = cli_check_files("model", inputs, 2, outputs, 1)) ||
        (status = cli_load_model(&o, &m, err)) || (o.fit && (status = fit(&o, m, &fitted, err))) ||
        (status = cli_output_open(&out, "-o", o.output)))
        goto done;
    if (o.fit) {
        status = write_codebook(fitted, out.fp, err);
    } else if (o.export_codebook) {
        status = write_codebook(m, out.fp, err);
    } else if (o.template_header) {
        write_template(m, out.fp);
    } else if (o.questionnaire) {
        status = write_questionnaire(&o, m, out.fp, err);
    } else {
        status = write_tree(m, o.lang, out.fp);
    }
    if (status)
        cli_output_abort(&out);
    else
        status = cli_output_close(&out);
done:
    efc_model_free(fitted);
    efc_model_free(m);
    efc_error_free(err);
    cli_options_free(&o);
    return status;
}
