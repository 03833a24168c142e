/* efc compare: two or more actors' trajectories compared node by node. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

static const char *const help =
    "usage: efc compare --actors A,B[,C...] [options] [FILE|-]\n"
    "\n"
    "Score a survey and compare the trajectories of the actors named, two by two\n"
    "(each pair in the order given), one row per pair and group node: each one's\n"
    "change (last - first), the difference of changes, the periods both were\n"
    "assessed, the mean absolute gap at those periods, the common span (in\n"
    "periods, or years for dates) and the area between the two curves over it.\n"
    "On the row of --node, `dominance` says who progressed at least as much on\n"
    "every child of that node and more on one: a (the first actor), b, equal,\n"
    "neither, or unknown (a child without scores).\n"
    "\n"
    "  --actors A,B,...      the actors' ids, comma-separated (at least two)\n"
    "  --node NODE           dominance over the children of NODE (default: the root)\n"
    "  --items               report the leaves (items) too\n"
    "  --scale S             changes, gaps and areas on 1 (default) or 100\n"
    "  --output-dialect D    csv (default) or excel-fr\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --period-column COL --group\n"
    "--delimiter --encoding --decimal-comma --date-format --na --strict-range\n"
    "--labels --combine --on-error --rejects -j -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data (an actor not in the survey), 2 usage,\n"
    "3 input/output, 4 out of memory, 5 finished with rejected rows.\n";

static void header(analysis *a)
{
    static const int cols[] = {EFC_COMPARISON_CHANGE_A,   EFC_COMPARISON_CHANGE_B,
                               EFC_COMPARISON_DIFFERENCE, EFC_COMPARISON_COMMON_PERIODS,
                               EFC_COMPARISON_MEAN_GAP,   EFC_COMPARISON_SPAN,
                               EFC_COMPARISON_AREA};
    csv_out_text(&a->w, "actor_a");
    csv_out_text(&a->w, "actor_b");
    csv_out_text(&a->w, "node");
    csv_out_names(&a->w, EFC_ENUM_COMPARISON_METRIC, cols, sizeof cols / sizeof cols[0]);
    csv_out_text(&a->w, "dominance");
    csv_out_end_row(&a->w);
}

static void pair(analysis *a, const efc_comparison *c, const char *ida, const char *idb)
{
    const efc_model *m = a->in.model;
    csv_out *w = &a->w;
    int scale = a->o.scale;
    for (size_t i = 0; i < a->nnodes; i++) {
        size_t k = a->nodes[i];
        csv_out_text(w, ida);
        csv_out_text(w, idb);
        csv_out_text(w, efc_model_node_id(m, k));
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_CHANGE_A), scale);
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_CHANGE_B), scale);
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_DIFFERENCE), scale);
        csv_out_uint(w,
                     (unsigned long long)efc_comparison_value(c, k, EFC_COMPARISON_COMMON_PERIODS));
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_MEAN_GAP), scale);
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_SPAN), 1);
        csv_out_real(w, efc_comparison_value(c, k, EFC_COMPARISON_AREA), scale);
        if (k == efc_comparison_node(c))
            csv_out_name(w, EFC_ENUM_DOMINANCE, (int)efc_comparison_dominance(c));
        else
            csv_out_empty(w);
        csv_out_end_row(w);
        csv_out_flush_some(w);
    }
}

/* The options of compare, checked before the survey is read. */
static int check(analysis *a)
{
    size_t node = analysis_node(a, "--node", a->o.node);
    if (node == EFC_NO_NODE)
        return EXIT_USAGE;
    if (efc_model_node_kind(a->in.model, node) != EFC_NODE_GROUP)
        return cli_usage(a->o.command,
                         "--node: '%s' is an item; dominance is judged over the children of a "
                         "group",
                         a->o.node);
    if (!a->o.actors)
        return cli_usage(a->o.command, "%s", "--actors A,B names the actors to compare");
    if (!strchr(a->o.actors, ','))
        return cli_usage(a->o.command, "--actors needs at least two actors, got '%s'", a->o.actors);
    return EXIT_DONE;
}

int cmd_compare(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_COMPARE, "compare", help, check, argc, argv);
    if (status)
        return analysis_end(&a, status);
    char *copy = NULL;
    const char **ids = NULL;
    size_t n = 0, *actors = NULL;
    size_t node = analysis_node(&a, "--node", a.o.node);
    status = cli_actor_list(a.panel, a.in.name, a.o.actors, &copy, &ids, &actors, &n);
    efc_comparison_options *opts = NULL;
    if (!status) {
        efc_status st =
            efc_comparison_options_create(&opts, efc_panel_model(a.panel), NULL, a.in.err);
        if (!st)
            st = efc_comparison_options_set_node(opts, node, a.in.err);
        if (st)
            status = cli_fail(a.in.err, st);
    }
    if (!status)
        header(&a);
    for (size_t i = 0; !status && i < n; i++)
        for (size_t j = i + 1; !status && j < n; j++) {
            efc_comparison *c;
            efc_status st =
                efc_comparison_create(&c, a.panel, actors[i], actors[j], opts, NULL, a.in.err);
            if (st) {
                status = cli_fail(a.in.err, st);
                break;
            }
            pair(&a, c, ids[i], ids[j]);
            efc_comparison_free(c);
        }
    efc_comparison_options_free(opts);
    free(actors);
    free((void *)ids);
    free(copy);
    return analysis_end(&a, status);
}
