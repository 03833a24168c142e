/* efc rank: actors ranked on a node at a period, overall and within their
 * groups; or (--stats) the spread of scores in each group. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

static const char *const help =
    "usage: efc rank [options] [FILE|-]\n"
    "\n"
    "Score a survey and rank the actors on a node at a period, best first, with\n"
    "competition ranking (1, 2, 2, 4) and percentiles (100 x (actors below + half\n"
    "the actors tied, self included) / actors ranked), overall and within each\n"
    "--group column; the change since each actor's first score is ranked too.\n"
    "Scores that print the same tie. One row per actor, ranked actors first.\n"
    "\n"
    "  --by NODE             the node ranked (default: the root)\n"
    "  --decimals N          rank scores rounded to N decimals (0 to 12), half away\n"
    "                        from zero, as published tables do: equal rounded scores\n"
    "                        tie; score and change are written rounded\n"
    "  --at P|latest         the period ranked (default latest: each actor's own\n"
    "                        latest assessment); actors without it are not ranked\n"
    "  --period-column COL   the period column (default: 'period')\n"
    "  --group COL           rank within the groups of COL too (repeatable)\n"
    "  --stats               write, per group and node, the count, minimum,\n"
    "                        quartiles, median, maximum and mean of the scores\n"
    "  --items               with --stats, the leaves (items) too (only with --stats)\n"
    "  --scale S             scores and changes on 1 (default) or 100\n"
    "  --output-dialect D    csv (default) or excel-fr\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --delimiter --encoding\n"
    "--decimal-comma --date-format --na --strict-range --labels --combine --on-error\n"
    "--rejects -j -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"
    "5 finished with rejected rows (--on-error skip).\n";

/* The metrics of each peer group, after the overall ones. */
static const efc_rank_metric rank_cols[] = {EFC_RANK_RANK, EFC_RANK_PERCENTILE,
                                            EFC_RANK_CHANGE_RANK, EFC_RANK_CHANGE_PERCENTILE};

enum { NRANK_COLS = sizeof rank_cols / sizeof rank_cols[0] };

static void header(analysis *a)
{
    const efc_survey *s = a->in.survey;
    const efc_panel *p = a->panel;
    csv_out *w = &a->w;
    csv_out_text(w, efc_survey_column_name(s, efc_survey_id_column(s)));
    csv_out_text(w, "period");
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
        csv_out_text(w, efc_panel_group_column(p, g));
    csv_out_text(w, "node");
    static const int overall[] = {EFC_RANK_SCORE,       EFC_RANK_RANK,
                                  EFC_RANK_PERCENTILE,  EFC_RANK_CHANGE,
                                  EFC_RANK_CHANGE_RANK, EFC_RANK_CHANGE_PERCENTILE};
    csv_out_names(w, EFC_ENUM_RANK_METRIC, overall, sizeof overall / sizeof overall[0]);
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
        for (size_t c = 0; c < NRANK_COLS; c++) {
            const char *name = efc_panel_group_column(p, g);
            const char *suffix = efc_enum_name(EFC_ENUM_RANK_METRIC, (int)rank_cols[c]);
            char *col = malloc(strlen(name) + strlen(suffix) + 2);
            if (!col) {
                w->failed = 1;
                return;
            }
            sprintf(col, "%s_%s", name, suffix);
            csv_out_text(w, col);
            free(col);
        }
    csv_out_end_row(w);
}

static void actor_row(analysis *a, const efc_ranking *r, size_t actor)
{
    const efc_panel *p = a->panel;
    csv_out *w = &a->w;
    size_t i = efc_ranking_assessment(r, actor);
    csv_out_text(w, efc_panel_actor(p, actor));
    csv_out_period(w, i == EFC_NONE ? "" : efc_panel_period(p, actor, i));
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
        csv_out_text(w, i == EFC_NONE ? "" : efc_panel_group(p, actor, i, g));
    csv_out_text(w, efc_model_node_id(a->in.model, efc_ranking_node(r)));
    csv_out_real(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_SCORE), a->o.scale);
    csv_out_count(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_RANK));
    csv_out_real(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_PERCENTILE), 1);
    csv_out_real(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_CHANGE), a->o.scale);
    csv_out_count(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_CHANGE_RANK));
    csv_out_real(w, efc_ranking_value(r, actor, EFC_NONE, EFC_RANK_CHANGE_PERCENTILE), 1);
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++)
        for (size_t c = 0; c < NRANK_COLS; c++) {
            double v = efc_ranking_value(r, actor, g, rank_cols[c]);
            if (rank_cols[c] == EFC_RANK_RANK || rank_cols[c] == EFC_RANK_CHANGE_RANK)
                csv_out_count(w, v);
            else
                csv_out_real(w, v, 1);
        }
    csv_out_end_row(w);
    csv_out_flush_some(w);
}

static efc_status overall_ranks(double *out, size_t n, const void *ctx, efc_error *err)
{
    return efc_ranking_fill(out, n, 1, ctx, EFC_NONE, EFC_RANK_RANK, err);
}

static int ranks(analysis *a, const efc_ranking *r)
{
    int status;
    size_t *order = analysis_rank_order(a, overall_ranks, r, &status);
    if (!order)
        return status;
    header(a);
    for (size_t i = 0; i < efc_panel_actor_count(a->panel); i++)
        actor_row(a, r, order[i]);
    free(order);
    return EXIT_DONE;
}

static void stats_rows(analysis *a, const efc_ranking *r, size_t g)
{
    static const efc_group_metric stats[] = {EFC_GROUP_COUNT,  EFC_GROUP_MIN, EFC_GROUP_Q1,
                                             EFC_GROUP_MEDIAN, EFC_GROUP_Q3,  EFC_GROUP_MAX,
                                             EFC_GROUP_MEAN};
    csv_out *w = &a->w;
    for (size_t j = 0; j < efc_ranking_group_count(r, g); j++)
        for (size_t i = 0; i < a->nnodes; i++) {
            size_t k = a->nodes[i];
            csv_out_text(w, g == EFC_NONE ? "" : efc_panel_group_column(a->panel, g));
            csv_out_text(w, efc_ranking_group_name(r, g, j));
            csv_out_text(w, efc_model_node_id(a->in.model, k));
            for (size_t s = 0; s < sizeof stats / sizeof stats[0]; s++) {
                double v = efc_ranking_group_value(r, g, j, k, stats[s]);
                if (stats[s] == EFC_GROUP_COUNT)
                    csv_out_uint(w, (unsigned long long)v);
                else
                    csv_out_real(w, v, a->o.scale);
            }
            csv_out_end_row(w);
            csv_out_flush_some(w);
        }
}

static void stats(analysis *a, const efc_ranking *r)
{
    csv_out_text(&a->w, "group_column");
    csv_out_text(&a->w, "group");
    csv_out_text(&a->w, "node");
    for (int st = EFC_GROUP_COUNT; st <= EFC_GROUP_MEAN; st++)
        csv_out_name(&a->w, EFC_ENUM_GROUP_METRIC, st);
    csv_out_end_row(&a->w);
    stats_rows(a, r, EFC_NONE);
    for (size_t g = 0; g < efc_panel_group_column_count(a->panel); g++)
        stats_rows(a, r, g);
}

static int check(analysis *a)
{
    if (a->o.items && !a->o.stats)
        return cli_usage(a->o.command, "%s",
                         "--items adds the leaves to --stats; ranks are on one node (--by)");
    int status = analysis_check_period(a);
    if (status)
        return status;
    return analysis_node(a, "--by", a->o.by) == EFC_NO_NODE ? EXIT_USAGE : EXIT_DONE;
}

/* Say so when nobody could be ranked: a period no actor has is most likely
 * a typo, and a file of unranked rows is easy to take for a result. */
static void warn_if_nobody(const analysis *a, const efc_ranking *r)
{
    for (size_t i = 0; i < efc_panel_actor_count(a->panel); i++)
        if (!isnan(efc_ranking_value(r, i, EFC_NONE, EFC_RANK_RANK)))
            return;
    if (efc_panel_actor_count(a->panel))
        fprintf(stderr, "efc: warning: %s: no actor has a score for '%s' at period %s\n",
                a->in.name, efc_model_node_id(a->in.model, efc_ranking_node(r)),
                a->o.at_period ? a->o.at_period : "latest");
}

int cmd_rank(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_RANK, "rank", help, check, argc, argv);
    if (status)
        return analysis_end(&a, status);
    efc_ranking *r;
    size_t node = analysis_node(&a, "--by", a.o.by);
    efc_status st = cli_ranking(&r, a.panel, node, a.o.at_period, a.o.decimals, a.in.err);
    if (st == EFC_ERR_VALUE)
        return analysis_end(&a, cli_usage(a.o.command, "--at: %s", efc_error_message(a.in.err)));
    if (st)
        return analysis_end(&a, cli_fail(a.in.err, st));
    warn_if_nobody(&a, r);
    if (a.o.stats)
        stats(&a, r);
    else
        status = ranks(&a, r);
    efc_ranking_free(r);
    return analysis_end(&a, status);
}
