/* realpath() is an X/Open function */
#define _XOPEN_SOURCE 700

#include "analysis.h"
#include "keys_file.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static efc_status add_to_panel(analysis *a)
{
    return efc_panel_add_batch(a->panel, a->in.batch, a->in.err);
}

static efc_status add_to_quality(analysis *a)
{
    return efc_quality_add_batch(a->quality, a->in.batch, a->in.err);
}

/* Hand every batch of the survey to `add`, then finish the reading. */
static int read_batches(analysis *a, efc_status (*add)(analysis *a))
{
    for (;;) {
        int end, status = survey_run_next(&a->in, &end);
        if (status)
            return status;
        if (end)
            break;
        efc_status st = add(a);
        if (st)
            return cli_fail(a->in.err, st);
    }
    return survey_run_finish(&a->in);
}

/* Charts draw scores on 0..1 (shown 0-100): a fitted model's index on
 * another scale (minmax:0:100, or a new unit beyond the fitted range) is
 * said, not drawn off its axes. */
static int check_unit_scale(analysis *a)
{
    const efc_model *m = a->in.model;
    for (size_t c = 0; c < efc_panel_actor_count(a->panel); c++)
        for (size_t i = 0; i < efc_panel_assessment_count(a->panel, c); i++)
            for (size_t k = 0; k < efc_model_node_count(m); k++) {
                double x = efc_panel_score(a->panel, c, i, k);
                if (x < 0 || x > 1) {
                    fprintf(stderr,
                            "efc: %s: node '%s' of actor '%s' scores %.12g: %s draws scores on "
                            "0..1 (shown 0-100), so normalise the model's leaves onto 0..1 "
                            "(minmax, not minmax:0:100) to draw it\n",
                            a->in.name, efc_model_node_id(m, k), efc_panel_actor(a->panel, c), x,
                            a->o.command);
                    return EXIT_DATA;
                }
            }
    return EXIT_DONE;
}

/* Gather the survey's scored rows into a finalized panel. */
static int read_panel(analysis *a)
{
    survey_run *in = &a->in;
    if (efc_survey_period_column(in->survey) == EFC_NO_NODE) {
        fprintf(stderr,
                "efc: %s: no period column: %s follows actors over periods (name the column "
                "with --period-column COL)\n",
                in->name, a->o.command);
        return EXIT_DATA;
    }
    efc_status st = efc_panel_create_for_survey(&a->panel, in->survey, NULL, in->err);
    if (st)
        return cli_fail(in->err, st);
    int status = read_batches(a, add_to_panel);
    if (status)
        return status;
    if ((st = efc_panel_finalize(a->panel, in->err))) {
        status = cli_fail(in->err, st);
        if (efc_error_reason(in->err) == EFC_REASON_DUPLICATE_ASSESSMENT)
            fprintf(stderr, "efc: hint: --combine mean (or median) merges the rows of one actor "
                            "and period\n");
        return status;
    }
    return a->o.command_bit & CMD_GRAPHIC ? check_unit_scale(a) : EXIT_DONE;
}

/* Gather the survey's rows into a finalized efc_quality. */
static int read_quality(analysis *a)
{
    survey_run *in = &a->in;
    efc_quality_options *qo;
    efc_status st = efc_quality_options_create(&qo, NULL, in->err);
    /* reliability prints no quartile: no need to count distinct answers */
    if (!st && a->o.command_bit == CMD_RELIABILITY)
        st = efc_quality_options_set_distributions(qo, 0, in->err);
    if (!st && a->o.min_answers_set)
        st = efc_quality_options_set_min_answers(qo, a->o.min_count, in->err);
    if (!st && a->o.min_answers_set)
        st = efc_quality_options_set_min_share(qo, a->o.min_share, in->err);
    if (st) {
        efc_quality_options_free(qo);
        return cli_fail(in->err, st);
    }
    efc_keys *keys = NULL;
    if (a->o.keys) {
        int status = cli_keys_load(&keys, in->model, a->o.keys, in->err);
        if (!status && (st = efc_quality_options_set_keys(qo, keys, in->err)))
            status = cli_fail(in->err, st);
        if (status) {
            efc_quality_options_free(qo);
            return status;
        }
    }
    st = efc_quality_create(&a->quality, in->model, qo, NULL, in->err);
    efc_quality_options_free(qo);
    efc_keys_free(keys); /* the quality has copied them */
    if (st)
        return cli_fail(in->err, st);
    int status = read_batches(a, add_to_quality);
    if (status)
        return status;
    if ((st = efc_quality_finalize(a->quality, in->err)))
        return cli_fail(in->err, st);
    return EXIT_DONE;
}

static int list_nodes(analysis *a)
{
    const efc_model *m = a->in.model;
    a->nodes = malloc((efc_model_node_count(m) + 1) * sizeof *a->nodes);
    if (!a->nodes) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    for (size_t g = 0; g < efc_model_group_count(m); g++)
        a->nodes[a->nnodes++] = efc_model_group_node(m, g);
    for (size_t j = 0; a->o.items && j < efc_model_leaf_count(m); j++)
        a->nodes[a->nnodes++] = efc_model_leaf_node(m, j);
    return EXIT_DONE;
}

int analysis_begin(analysis *a, int command, const char *name, const char *help,
                   int (*check)(analysis *a), int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    int status = cli_parse(&a->o, command, name, argc, argv, 2);
    if (status)
        return status;
    if (a->o.help) {
        fputs(help, stdout);
        status = cli_finish_stdout();
        return status ? status : -1;
    }
    if ((status = analysis_check_files(a)))
        return status;
    if ((status = survey_run_open(&a->in, &a->o)))
        return status;
    if (check && (status = check(a)))
        return status;
    if ((status = command & CMD_QUALITY ? read_quality(a) : read_panel(a)) ||
        (!(command & CMD_QUALITY) && (status = list_nodes(a))))
        return status;
    if ((status = cli_output_open(&a->out, "-o", a->o.output)))
        return status;
    a->out_open = 1;
    if (!csv_out_init(&a->w, a->out.fp, survey_run_dialect(&a->o)))
        return cli_io_error(a->o.output ? a->o.output : "<stdout>", "write error");
    return EXIT_DONE;
}

char *analysis_pages_dir(const char *output)
{
    size_t len = strlen(output);
    if (len > 5 && strcmp(output + len - 5, ".html") == 0)
        len -= 5;
    else if (len > 4 && strcmp(output + len - 4, ".htm") == 0)
        len -= 4;
    char *dir = malloc(len + sizeof "-actors");
    if (dir) {
        memcpy(dir, output, len);
        strcpy(dir + len, "-actors");
    }
    return dir;
}

int analysis_check_files(analysis *a)
{
    const cli_options *o = &a->o;
    const cli_file outputs[] = {{o->output ? "-o" : "standard output", o->output ? o->output : "-"},
                                {"--rejects", o->rejects},
                                {"--sobol", o->sobol},
                                {"--runs", o->runs}};
    const cli_file inputs[] = {{"the survey", o->file ? o->file : "-"}, {"--model", o->model_path}};
    int status = cli_check_files(o->command, inputs, 2, outputs, 4);
    if (status || !o->pages)
        return status;
    /* the pages go beside the file the overview replaces */
    int nomem = 0;
    char *target = o->output ? cli_output_target(o->output, &nomem) : NULL;
    char *dir = target ? analysis_pages_dir(target) : NULL;
    if (nomem || (target && !dir)) {
        fprintf(stderr, "efc: out of memory\n");
        status = EXIT_NOMEM;
    } else if (!target) {
        status =
            cli_usage(o->command, "%s",
                      "--pages needs -o FILE, a file (not a device or a descriptor): the pages go "
                      "to the directory FILE-actors beside it");
    } else {
        status = cli_check_pages(o->command, dir, inputs, 2);
    }
    /* the other outputs must not go into the directory replaced as a whole */
    char *dreal = !status && dir ? realpath(dir, NULL) : NULL;
    const char *d = dreal ? dreal : dir;
    for (size_t i = 1; !status && d && i < sizeof outputs / sizeof outputs[0]; i++) {
        char *t = outputs[i].path ? cli_output_target(outputs[i].path, &nomem) : NULL;
        size_t n = strlen(d);
        if (t && strncmp(t, d, n) == 0 && (t[n] == '\0' || t[n] == '/')) {
            char what[600];
            snprintf(what, sizeof what, "%s would go into the directory of --pages (%.400s)",
                     outputs[i].option, d);
            status = cli_usage(o->command, "%s", what);
        }
        free(t);
    }
    free(dreal);
    free(dir);
    free(target);
    return status;
}

size_t analysis_node(const analysis *a, const char *option, const char *id)
{
    const efc_model *m = a->in.model;
    if (!id || !*id)
        return efc_model_root(m);
    size_t k = efc_model_find(m, id);
    if (k == EFC_NO_NODE) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: the model has no node '%%s'", option);
        cli_usage(a->o.command, msg, id);
    }
    return k;
}

typedef struct ranked {
    double rank;
    size_t actor;
} ranked;

static int by_rank(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (isnan(a->rank) != isnan(b->rank))
        return isnan(a->rank) ? 1 : -1;
    if (!isnan(a->rank) && a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->actor > b->actor) - (a->actor < b->actor);
}

size_t *analysis_rank_order(const analysis *a, analysis_rank_fill fill, const void *ctx,
                            int *status)
{
    size_t n = efc_panel_actor_count(a->panel);
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    double *ranks = malloc((n ? n : 1) * sizeof *ranks);
    int oom = !r || !order || !ranks;
    efc_status st = oom ? EFC_ERR_NOMEM : fill(ranks, n, ctx, a->in.err);
    if (st) {
        free(r);
        free(order);
        free(ranks);
        if (oom) {
            fprintf(stderr, "efc: out of memory\n");
            *status = EXIT_NOMEM;
        } else
            *status = cli_fail(a->in.err, st);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){ranks[i], i};
    free(ranks);
    qsort(r, n, sizeof *r, by_rank);
    for (size_t i = 0; i < n; i++)
        order[i] = r[i].actor;
    free(r);
    return order;
}

int analysis_check_period(analysis *a)
{
    const char *p = a->o.at_period;
    if (!p) /* latest */
        return EXIT_DONE;
    efc_date_format f = a->o.date_format;
    efc_period_kind kind = EFC_PERIOD_NONE;
    if (efc_period_parse(&kind, NULL, NULL, p, f, a->o.decimal_comma, a->in.err))
        return cli_usage(a->o.command, "--at: %s", efc_error_message(a->in.err));
    if (kind == EFC_PERIOD_NONE)
        return cli_usage(a->o.command, "%s", "--at needs a period or latest");
    return EXIT_DONE;
}

int analysis_end(analysis *a, int status)
{
    if (status == -1) /* --help */
        status = EXIT_DONE;
    else if (!status && a->out_open) {
        if (!csv_out_flush(&a->w))
            status = cli_io_error(a->o.output ? a->o.output : "<stdout>", "write error");
        else {
            a->out_open = 0;
            status = cli_output_close(&a->out);
        }
    }
    if (a->out_open)
        cli_output_abort(&a->out);
    if (!status && !a->o.quiet && a->in.survey) {
        survey_run_summary(&a->in);
        if (a->panel)
            fprintf(stderr, "efc: %zu actors, %zu assessments\n", efc_panel_actor_count(a->panel),
                    efc_panel_size(a->panel));
    }
    if (!status)
        status = survey_run_status(&a->in);
    csv_out_free(&a->w);
    free(a->nodes);
    efc_panel_free(a->panel);
    efc_quality_free(a->quality);
    survey_run_free(&a->in);
    cli_options_free(&a->o);
    return status;
}

efc_status cli_ranking(efc_ranking **out, const efc_panel *panel, size_t node, const char *period,
                       int decimals, efc_error *err)
{
    efc_ranking_options *o;
    efc_status st = efc_ranking_options_create(&o, efc_panel_model(panel), NULL, err);
    if (!st)
        st = efc_ranking_options_set_node(o, node, err);
    if (!st)
        st = efc_ranking_options_set_period(o, period, err);
    if (!st)
        st = efc_ranking_options_set_decimals(o, decimals, err);
    if (!st)
        st = efc_ranking_create(out, panel, o, NULL, err);
    efc_ranking_options_free(o);
    return st;
}

efc_status cli_trajectories(efc_trajectories **out, const efc_panel *panel, double tolerance,
                            efc_error *err)
{
    efc_trajectory_options *o;
    efc_status st = efc_trajectory_options_create(&o, NULL, err);
    if (!st && !isnan(tolerance)) /* NaN: the library's default */
        st = efc_trajectory_options_set_tolerance(o, tolerance, err);
    if (!st)
        st = efc_trajectories_create(out, panel, o, NULL, err);
    efc_trajectory_options_free(o);
    return st;
}
