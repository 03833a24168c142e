/* efc sensitivity: how robust the ranks are to the weights (and, if asked,
 * to the aggregation methods): each actor's rank interval over many runs
 * with perturbed weights, and the Sobol indices of each weight on the mean
 * absolute rank shift. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"

static const char *const help =
    "usage: efc sensitivity [options] [FILE|-]\n"
    "\n"
    "Score a survey, rank the actors on a node at a period as efc rank does, then\n"
    "rank them again in many runs with perturbed weights: one row per actor with\n"
    "its nominal rank, median rank, 5th-95th percentile rank interval and the share\n"
    "of runs that put it in the top k. Ranked actors first, by nominal rank.\n"
    "\n"
    "  --by NODE             the node ranked (default: the root)\n"
    "  --at P|latest         the period ranked (default latest)\n"
    "  --period-column COL   the period column (default: 'period')\n"
    "  --nodes A,B,...       the nodes whose weights vary (default: the children\n"
    "                        of the node ranked and every group below it)\n"
    "  --aggregation G=M1,M2 draw group G's aggregation among M1, M2... (mean,\n"
    "                        geomean, harmonic, min, power:P; repeatable)\n"
    "  --spread X            each weight times 1 + U(-X, X) (default 0.25)\n"
    "  --dirichlet C         instead, a Dirichlet of concentration C around each\n"
    "                        group's nominal shares (no --sobol)\n"
    "  --samples N           runs (default 1000)\n"
    "  --seed S              seed of every draw (default 1): same seed, same result\n"
    "  --top K               the k of p_top_k (default 10)\n"
    "  --sobol FILE          write the first-order and total Sobol indices of each\n"
    "                        input on the mean absolute rank shift (N (d + 2) runs)\n"
    "  --bootstrap B         resamples for the indices' intervals (default 1000;\n"
    "                        0 for none)\n"
    "  --runs FILE           write every run: its inputs and its output\n"
    "  --group COL           copy the values of COL into the output (repeatable)\n"
    "  --scale S             scores on 1 (default) or 100\n"
    "  --output-dialect D    csv (default) or excel-fr (also for --sobol, --runs)\n"
    "  -j, --jobs N          threads (default: one per core); results do not depend\n"
    "                        on it\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --delimiter --encoding\n"
    "--decimal-comma --date-format --na --strict-range --labels --combine --on-error\n"
    "--rejects -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"
    "5 finished with rejected rows (--on-error skip).\n";

/* ---- aggregation methods as the codebook writes them (the library's words) ---- */

static int parse_method(const char *s, size_t len, efc_aggregate *agg, double *power)
{
    char buf[64];
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return efc_aggregate_parse(agg, power, buf, NULL) == EFC_OK; /* finite exponents only */
}

static void method_name(efc_aggregate agg, double power, char *buf, size_t cap)
{
    if (efc_aggregate_format(buf, cap, NULL, agg, power, NULL) != EFC_OK && cap)
        buf[0] = '\0';
}

/* --aggregation G=M1,M2,... */
static int add_aggregation(analysis *a, efc_sensitivity_options *s, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec)
        return cli_usage(a->o.command,
                         "--aggregation needs GROUP=METHOD,METHOD (mean, geomean, harmonic, "
                         "min, power:P), got '%s'",
                         spec);
    char id[512];
    size_t idlen = (size_t)(eq - spec);
    if (idlen >= sizeof id)
        return cli_usage(a->o.command, "--aggregation: node id too long in '%s'", spec);
    memcpy(id, spec, idlen);
    id[idlen] = '\0';
    size_t node = analysis_node(a, "--aggregation", id);
    if (node == EFC_NO_NODE)
        return EXIT_USAGE;
    efc_aggregate agg[16];
    double power[16];
    size_t n = 0;
    for (const char *p = eq + 1;;) {
        size_t len = strcspn(p, ",");
        if (n == 16 || !parse_method(p, len, &agg[n], &power[n]))
            return cli_usage(a->o.command,
                             "--aggregation: '%s' needs from 2 to 16 methods among mean, "
                             "geomean, harmonic, min, power:P",
                             spec);
        n++;
        if (!p[len])
            break;
        p += len + 1;
    }
    efc_status st = efc_sensitivity_options_add_aggregation(s, node, n, agg, power, a->in.err);
    if (st == EFC_ERR_ARGUMENT)
        return cli_usage(a->o.command, "--aggregation: %s", efc_error_message(a->in.err));
    return st ? cli_fail(a->in.err, st) : EXIT_DONE;
}

/* --nodes A,B,... or the default inputs. */
static int add_weights(analysis *a, efc_sensitivity_options *s)
{
    /* without --nodes the group weights vary, --aggregation or not */
    efc_status st = efc_sensitivity_options_set_group_weights(s, !a->o.nodes, a->in.err);
    if (st || !a->o.nodes)
        return st ? cli_fail(a->in.err, st) : EXIT_DONE;
    for (const char *p = a->o.nodes;;) {
        size_t len = strcspn(p, ",");
        char id[512];
        /* ids have no surrounding spaces: "a, b" names a and b */
        while (len && *p == ' ') {
            p++;
            len--;
        }
        size_t end = len;
        while (end && p[end - 1] == ' ')
            end--;
        if (end == 0 || end >= sizeof id)
            return cli_usage(a->o.command, "--nodes needs node ids separated by commas, got '%s'",
                             a->o.nodes);
        memcpy(id, p, end);
        id[end] = '\0';
        size_t node = analysis_node(a, "--nodes", id);
        if (node == EFC_NO_NODE)
            return EXIT_USAGE;
        if ((st = efc_sensitivity_options_add_weight(s, node, a->in.err)))
            return st == EFC_ERR_ARGUMENT
                       ? cli_usage(a->o.command, "--nodes: %s", efc_error_message(a->in.err))
                       : cli_fail(a->in.err, st);
        if (!p[len])
            break;
        p += len + 1;
    }
    return EXIT_DONE;
}

/* ---- progress on a terminal ---- */

typedef struct progress {
    int on, shown;
    struct timespec start, last;
} progress;

static int on_progress(size_t done, size_t total, void *user)
{
    progress *p = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    /* only runs longer than a second, four times a second */
    if (cli_seconds(&p->start, &now) < 1 || cli_seconds(&p->last, &now) < 0.25)
        return 0;
    p->last = now;
    fprintf(stderr, "\refc: sensitivity: %zu of %zu runs (%.0f %%)\033[K", done, total,
            100.0 * (double)done / (double)total);
    p->shown = 1;
    return 0; /* go on: an interrupted run is stopped by its signal */
}

/* ---- output ---- */

static efc_status nominal_ranks(double *out, size_t n, const void *ctx, efc_error *err)
{
    return efc_sensitivity_fill(out, n, 1, ctx, EFC_SENSITIVITY_NOMINAL_RANK, err);
}

static int actor_rows(analysis *a, const efc_sensitivity *s)
{
    const efc_panel *p = a->panel;
    csv_out *w = &a->w;
    size_t n = efc_panel_actor_count(p);
    int status;
    size_t *order = analysis_rank_order(a, nominal_ranks, s, &status);
    if (!order)
        return status;
    const efc_survey *sv = a->in.survey;
    csv_out_text(w, efc_survey_column_name(sv, efc_survey_id_column(sv)));
    csv_out_text(w, "period");
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
        csv_out_text(w, efc_panel_group_column(p, g));
    static const int cols[] = {EFC_SENSITIVITY_SCORE,       EFC_SENSITIVITY_NOMINAL_RANK,
                               EFC_SENSITIVITY_MEDIAN_RANK, EFC_SENSITIVITY_RANK_P05,
                               EFC_SENSITIVITY_RANK_P95,    EFC_SENSITIVITY_MEAN_RANK,
                               EFC_SENSITIVITY_RANK_MIN,    EFC_SENSITIVITY_RANK_MAX,
                               EFC_SENSITIVITY_P_TOP,       EFC_SENSITIVITY_RUNS_RANKED};
    csv_out_text(w, "node");
    csv_out_names(w, EFC_ENUM_SENSITIVITY_METRIC, cols, sizeof cols / sizeof cols[0]);
    csv_out_end_row(w);
    const char *node = efc_model_node_id(a->in.model, efc_sensitivity_node(s));
    for (size_t r = 0; r < n; r++) {
        size_t act = order[r], i = efc_sensitivity_assessment(s, act);
        csv_out_text(w, efc_panel_actor(p, act));
        csv_out_period(w, i == EFC_NONE ? "" : efc_panel_period(p, act, i));
        for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
            csv_out_text(w, i == EFC_NONE ? "" : efc_panel_group(p, act, i, g));
        csv_out_text(w, node);
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_SCORE), a->o.scale);
        csv_out_count(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_NOMINAL_RANK));
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_MEDIAN_RANK), 1);
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_RANK_P05), 1);
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_RANK_P95), 1);
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_MEAN_RANK), 1);
        csv_out_count(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_RANK_MIN));
        csv_out_count(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_RANK_MAX));
        csv_out_real(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_P_TOP), 1);
        csv_out_count(w, efc_sensitivity_value(s, act, EFC_SENSITIVITY_RUNS_RANKED));
        csv_out_end_row(w);
        csv_out_flush_some(w);
    }
    free(order);
    return EXIT_DONE;
}

/* "weight:social" or "aggregation:effects" */
static void input_name(const analysis *a, const efc_sensitivity *s, size_t i, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s:%s",
             efc_enum_name(EFC_ENUM_INPUT_KIND, (int)efc_sensitivity_input_kind(s, i)),
             efc_model_node_id(a->in.model, efc_sensitivity_input_node(s, i)));
}

/* A side file (--sobol, --runs): opened, written by `fill`, committed. */
typedef struct side {
    const char *path;
    cli_output out;
    csv_out w;
    int open;
} side;

static int side_open(const analysis *a, side *f, const char *option, const char *path)
{
    f->path = path;
    if (!path)
        return EXIT_DONE;
    int status = cli_output_open(&f->out, option, path);
    if (status)
        return status;
    f->open = 1;
    if (!csv_out_init(&f->w, f->out.fp, survey_run_dialect(&a->o)))
        return cli_io_error(path, "write error");
    return EXIT_DONE;
}

static int side_close(side *f)
{
    if (!f->open)
        return EXIT_DONE;
    int status = csv_out_flush(&f->w) ? EXIT_DONE : cli_io_error(f->path, "write error");
    csv_out_free(&f->w);
    f->open = 0;
    if (status) {
        cli_output_abort(&f->out);
        return status;
    }
    return cli_output_close(&f->out);
}

static void side_abort(side *f)
{
    if (!f->open)
        return;
    csv_out_free(&f->w);
    cli_output_abort(&f->out);
    f->open = 0;
}

static void sobol_rows(const analysis *a, const efc_sensitivity *s, csv_out *w)
{
    csv_out_text(w, "input");
    csv_out_text(w, "node");
    csv_out_text(w, "parameter");
    for (int m = EFC_SOBOL_FIRST; m <= EFC_SOBOL_TOTAL_Q95; m++)
        csv_out_name(w, EFC_ENUM_SOBOL_METRIC, m);
    csv_out_end_row(w);
    for (size_t i = 0; i < efc_sensitivity_input_count(s); i++) {
        char name[600];
        input_name(a, s, i, name, sizeof name);
        csv_out_text(w, name);
        csv_out_text(w, efc_model_node_id(a->in.model, efc_sensitivity_input_node(s, i)));
        csv_out_name(w, EFC_ENUM_INPUT_KIND, (int)efc_sensitivity_input_kind(s, i));
        static const efc_sobol_metric m[] = {EFC_SOBOL_FIRST,     EFC_SOBOL_FIRST_Q05,
                                             EFC_SOBOL_FIRST_Q95, EFC_SOBOL_TOTAL,
                                             EFC_SOBOL_TOTAL_Q05, EFC_SOBOL_TOTAL_Q95};
        for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
            csv_out_real(w, efc_sensitivity_sobol_value(s, i, m[k]), 1);
        csv_out_end_row(w);
    }
}

static void run_rows(const analysis *a, const efc_sensitivity *s, csv_out *w)
{
    size_t d = efc_sensitivity_input_count(s), runs = efc_sensitivity_run_count(s);
    size_t n = a->o.samples; /* runs per matrix: A, B, then each A_B^i */
    csv_out_text(w, "run");
    csv_out_text(w, "matrix");
    for (size_t i = 0; i < d; i++) {
        char name[600];
        input_name(a, s, i, name, sizeof name);
        csv_out_text(w, name);
    }
    csv_out_text(w, "mean_abs_rank_shift");
    csv_out_end_row(w);
    for (size_t j = 0; j < runs; j++) {
        size_t block = j / n;
        csv_out_uint(w, j + 1);
        char m[600] = "A";
        if (block == 1)
            strcpy(m, "B");
        else if (block >= 2) {
            char name[580];
            input_name(a, s, block - 2, name, sizeof name);
            snprintf(m, sizeof m, "AB:%s", name);
        }
        csv_out_text(w, m);
        for (size_t i = 0; i < d; i++) {
            double v = efc_sensitivity_run_input(s, j, i);
            if (efc_sensitivity_input_kind(s, i) == EFC_INPUT_WEIGHT) {
                csv_out_real(w, v, 1);
                continue;
            }
            efc_aggregate agg = EFC_AGGREGATE_MEAN;
            double power = 0;
            char buf[64];
            efc_sensitivity_input_alternative(&agg, &power, s, i, (size_t)v, NULL);
            method_name(agg, power, buf, sizeof buf);
            csv_out_text(w, buf);
        }
        csv_out_real(w, efc_sensitivity_run_output(s, j), 1);
        csv_out_end_row(w);
        csv_out_flush_some(w);
    }
}

static int check(analysis *a)
{
    if (a->o.spread >= 0 && a->o.dirichlet > 0)
        return cli_usage(a->o.command, "%s",
                         "--spread and --dirichlet are two ways of drawing weights: give one");
    if (a->o.dirichlet > 0 && a->o.sobol)
        return cli_usage(a->o.command, "%s",
                         "--sobol needs independent weights, and a Dirichlet's are not (they "
                         "share a total): use --spread");
    if (a->o.bootstrap_set && !a->o.sobol)
        return cli_usage(a->o.command, "%s", "--bootstrap sets the intervals of --sobol");
    int status = analysis_check_period(a);
    if (status)
        return status;
    return analysis_node(a, "--by", a->o.by) == EFC_NO_NODE ? EXIT_USAGE : EXIT_DONE;
}

/* A period of the other kind than the survey's is a usage error, as for
 * efc rank: ranking once at that period says so. */
static int check_period_kind(analysis *a)
{
    efc_ranking *r = NULL;
    efc_status st =
        cli_ranking(&r, a->panel, analysis_node(a, "--by", a->o.by), a->o.at_period, -1, a->in.err);
    efc_ranking_free(r);
    if (st == EFC_ERR_VALUE)
        return cli_usage(a->o.command, "--at: %s", efc_error_message(a->in.err));
    return st ? cli_fail(a->in.err, st) : EXIT_DONE;
}

static int set_up(analysis *a, efc_sensitivity_options *s, progress *pr)
{
    efc_error *err = a->in.err;
    int status = check_period_kind(a);
    if (status)
        return status;
    efc_status st = efc_sensitivity_options_set_node(s, analysis_node(a, "--by", a->o.by), err);
    if (!st)
        st = efc_sensitivity_options_set_period(s, a->o.at_period, err);
    if (!st && a->o.dirichlet > 0)
        st = efc_sensitivity_options_set_perturbation(s, EFC_PERTURBATION_DIRICHLET, a->o.dirichlet,
                                                      err);
    else if (!st && a->o.spread >= 0)
        st =
            efc_sensitivity_options_set_perturbation(s, EFC_PERTURBATION_UNIFORM, a->o.spread, err);
    if (!st)
        st = efc_sensitivity_options_set_samples(s, a->o.samples, err);
    if (!st)
        st = efc_sensitivity_options_set_seed(s, a->o.seed, err);
    if (!st)
        st = efc_sensitivity_options_set_top(s, a->o.top, err);
    if (!st)
        st = efc_sensitivity_options_set_threads(s, (unsigned)a->o.jobs, err);
    if (!st)
        st = efc_sensitivity_options_set_sobol(s, a->o.sobol != NULL, err);
    if (!st)
        st = efc_sensitivity_options_set_bootstrap(s, a->o.bootstrap, err);
    if (!st && pr->on)
        st = efc_sensitivity_options_set_progress(s, on_progress, pr, err);
    if (st)
        return cli_fail(err, st);
    status = add_weights(a, s);
    for (size_t i = 0; !status && i < a->o.naggregations; i++)
        status = add_aggregation(a, s, a->o.aggregations[i]);
    return status;
}

static void summary(const analysis *a, const efc_sensitivity *s)
{
    if (a->o.quiet)
        return;
    size_t d = efc_sensitivity_input_count(s), runs = efc_sensitivity_run_count(s);
    size_t ranked = efc_sensitivity_ranked_count(s), counted = 0;
    double mean = 0;
    for (size_t j = 0; j < (size_t)a->o.samples; j++) {
        double y = efc_sensitivity_run_output(s, j);
        if (!isnan(y)) { /* a run that left no actor ranked has no shift */
            mean += y;
            counted++;
        }
    }
    char how[80];
    if (a->o.dirichlet > 0)
        snprintf(how, sizeof how, "Dirichlet, concentration %g", a->o.dirichlet);
    else
        snprintf(how, sizeof how, "uniform, spread %g", a->o.spread >= 0 ? a->o.spread : 0.25);
    fprintf(stderr,
            "efc: sensitivity of '%s': %zu input%s (%s), %zu runs, seed %llu; %zu actor%s "
            "ranked; mean absolute rank shift %.4g\n",
            efc_model_node_id(a->in.model, efc_sensitivity_node(s)), d, d == 1 ? "" : "s", how,
            runs, a->o.seed, ranked, ranked == 1 ? "" : "s",
            counted ? mean / (double)counted : NAN);
    if (counted < (size_t)a->o.samples)
        fprintf(stderr,
                "efc: warning: %zu run%s left no actor ranked (weights put groups below "
                "their min_coverage)\n",
                (size_t)a->o.samples - counted, (size_t)a->o.samples - counted == 1 ? "" : "s");
    if (a->o.sobol && isnan(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_TOTAL)))
        fprintf(stderr, "efc: warning: the ranks never moved: Sobol indices are empty\n");
}

int cmd_sensitivity(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_SENSITIVITY, "sensitivity", help, check, argc, argv);
    if (status)
        return analysis_end(&a, status);
    efc_sensitivity *s = NULL;
    side sob = {0}, runs = {0};
    progress pr = {isatty(2) && !a.o.quiet, 0, {0, 0}, {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &pr.start);
    /* every output is opened before the runs: a bad path is said at once */
    if (!(status = side_open(&a, &sob, "--sobol", a.o.sobol)))
        status = side_open(&a, &runs, "--runs", a.o.runs);
    efc_status st = EFC_OK;
    efc_sensitivity_options *opts = NULL;
    if (!status &&
        (st = efc_sensitivity_options_create(&opts, efc_panel_model(a.panel), NULL, a.in.err)))
        status = cli_fail(a.in.err, st);
    if (!status)
        status = set_up(&a, opts, &pr);
    if (!status && (st = efc_sensitivity_run(&s, a.panel, opts, NULL, a.in.err)))
        status = st == EFC_ERR_ARGUMENT ? cli_usage(a.o.command, "%s", efc_error_message(a.in.err))
                                        : cli_fail(a.in.err, st);
    if (pr.shown)
        fputs("\r\033[K", stderr);
    if (!status) {
        status = actor_rows(&a, s);
        if (!status && sob.open)
            sobol_rows(&a, s, &sob.w);
        if (!status && runs.open)
            run_rows(&a, s, &runs.w);
    }
    /* the main output is written out before any file is replaced, so that
     * a failure to write it leaves the side files as they were */
    if (!status && !csv_out_flush(&a.w))
        status = cli_io_error(a.o.output ? a.o.output : "<stdout>", "write error");
    if (!status && !(status = side_close(&sob)))
        status = side_close(&runs);
    side_abort(&sob);
    side_abort(&runs);
    if (!status)
        summary(&a, s);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(opts);
    return analysis_end(&a, status);
}
