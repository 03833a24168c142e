/* efc trajectory: each actor's path on each node, or (--steps) the impact
 * transfers step by step. */
#include <math.h>
#include <string.h>

#include "analysis.h"

static const char *const help =
    "usage: efc trajectory [options] [FILE|-]\n"
    "\n"
    "Score a survey, follow each actor over its periods, and write one row per\n"
    "actor and group node: its first and last periods, the number of\n"
    "assessments with a score, the first and last scores, the change, the\n"
    "least-squares slope per period (per year for dates), the steadiness (the\n"
    "share of steps in the direction of the change) and the impact transfers\n"
    "(steps where the node fell by more than the tolerance while its parent\n"
    "rose). Rows may come in any order; two rows of one actor and period are an\n"
    "error unless --combine merges them.\n"
    "\n"
    "  --tolerance T         how much a node must fall for a transfer, on the\n"
    "                        0..1 scale of scores (default 0.01)\n"
    "  --steps               write the transfer steps instead, one per row\n"
    "  --items               report the leaves (items) too\n"
    "  --scale S             scores, changes and slopes on 1 (default) or 100\n"
    "  --output-dialect D    csv (default) or excel-fr\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --period-column COL --group\n"
    "--delimiter --encoding --decimal-comma --date-format --na --strict-range\n"
    "--labels --combine --on-error --rejects -j -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"
    "5 finished with rejected rows (--on-error skip).\n";

static void header(analysis *a)
{
    const efc_survey *s = a->in.survey;
    csv_out *w = &a->w;
    csv_out_text(w, efc_survey_column_name(s, efc_survey_id_column(s)));
    csv_out_text(w, "node");
    if (a->o.steps) {
        static const char *const cols[] = {"parent",  "from_period", "to_period", "node_from",
                                           "node_to", "parent_from", "parent_to"};
        for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
            csv_out_text(w, cols[i]);
    } else {
        /* the order of the rows written below */
        static const int cols[] = {
            EFC_TRAJECTORY_FIRST_PERIOD, EFC_TRAJECTORY_LAST_PERIOD, EFC_TRAJECTORY_N,
            EFC_TRAJECTORY_FIRST,        EFC_TRAJECTORY_LAST,        EFC_TRAJECTORY_CHANGE,
            EFC_TRAJECTORY_SLOPE,        EFC_TRAJECTORY_STEADINESS,  EFC_TRAJECTORY_TRANSFERS};
        csv_out_names(w, EFC_ENUM_TRAJECTORY_METRIC, cols, sizeof cols / sizeof cols[0]);
    }
    csv_out_end_row(w);
}

static void trajectories(analysis *a, const efc_trajectories *t)
{
    const efc_panel *p = a->panel;
    const efc_model *m = a->in.model;
    csv_out *w = &a->w;
    int scale = a->o.scale;
    for (size_t actor = 0; actor < efc_panel_actor_count(p); actor++)
        for (size_t i = 0; i < a->nnodes; i++) {
            size_t k = a->nodes[i];
            size_t first = efc_trajectories_first(t, actor, k);
            size_t last = efc_trajectories_last(t, actor, k);
            csv_out_text(w, efc_panel_actor(p, actor));
            csv_out_text(w, efc_model_node_id(m, k));
            csv_out_period(w, first == EFC_NONE ? "" : efc_panel_period(p, actor, first));
            csv_out_period(w, last == EFC_NONE ? "" : efc_panel_period(p, actor, last));
            csv_out_uint(w,
                         (unsigned long long)efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_N));
            csv_out_real(w, efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_FIRST), scale);
            csv_out_real(w, efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_LAST), scale);
            csv_out_real(w, efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_CHANGE), scale);
            csv_out_real(w, efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_SLOPE), scale);
            csv_out_real(w, efc_trajectories_value(t, actor, k, EFC_TRAJECTORY_STEADINESS), 1);
            csv_out_uint(w, (unsigned long long)efc_trajectories_value(t, actor, k,
                                                                       EFC_TRAJECTORY_TRANSFERS));
            csv_out_end_row(w);
            csv_out_flush_some(w);
        }
}

static void steps(analysis *a, const efc_trajectories *t)
{
    const efc_panel *p = a->panel;
    const efc_model *m = a->in.model;
    csv_out *w = &a->w;
    int scale = a->o.scale;
    for (size_t i = 0; i < efc_trajectories_transfer_count(t); i++) {
        size_t actor, k, from, to;
        efc_trajectories_transfer(&actor, &k, &from, &to, t, i, NULL);
        if (!a->o.items && efc_model_node_kind(m, k) == EFC_NODE_LEAF)
            continue;
        size_t parent = efc_model_node_parent(m, k);
        csv_out_text(w, efc_panel_actor(p, actor));
        csv_out_text(w, efc_model_node_id(m, k));
        csv_out_text(w, efc_model_node_id(m, parent));
        csv_out_period(w, efc_panel_period(p, actor, from));
        csv_out_period(w, efc_panel_period(p, actor, to));
        csv_out_real(w, efc_panel_score(p, actor, from, k), scale);
        csv_out_real(w, efc_panel_score(p, actor, to, k), scale);
        csv_out_real(w, efc_panel_score(p, actor, from, parent), scale);
        csv_out_real(w, efc_panel_score(p, actor, to, parent), scale);
        csv_out_end_row(w);
        csv_out_flush_some(w);
    }
}

int cmd_trajectory(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_TRAJECTORY, "trajectory", help, NULL, argc, argv);
    if (status)
        return analysis_end(&a, status);
    efc_trajectories *t;
    efc_status st = cli_trajectories(&t, a.panel, a.o.tolerance, a.in.err);
    if (st)
        return analysis_end(&a, cli_fail(a.in.err, st));
    header(&a);
    if (a.o.steps)
        steps(&a, t);
    else
        trajectories(&a, t);
    efc_trajectories_free(t);
    return analysis_end(&a, EXIT_DONE);
}
