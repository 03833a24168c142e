/* efc chart: one chart of one actor as an SVG file, to paste into a
 * document; the same drawing as in efc report. */
#include <string.h>

#include "analysis.h"
#include "report_data.h"

static const char *const help =
    "usage: efc chart radar --actor ID [--at P] [options] [FILE|-] -o FILE.svg\n"
    "       efc chart trajectory --actor ID [--node NODE] [options] [FILE|-] -o FILE.svg\n"
    "\n"
    "Score a survey and draw one chart of one actor as a standalone SVG file\n"
    "(its own style sheet, no external resource), as efc report draws it:\n"
    "  radar        the actor's scores on the axes and blocks against the median\n"
    "               of its peer group, at its latest period or at --at\n"
    "  trajectory   the actor's scores over its periods, one panel per group\n"
    "               node, or one large panel of --node, with its threshold and\n"
    "               its impact transfers marked\n"
    "\n"
    "  --actor ID            the actor drawn (required)\n"
    "  --at P                radar: the period drawn (default: the actor's latest)\n"
    "  --period-column COL   the period column (default: 'period')\n"
    "  --node NODE           trajectory: only this node (a group or an item)\n"
    "  --group COL           grouping column (repeatable); the first one makes\n"
    "                        the peer groups (default: all actors)\n"
    "  --lang en|fr          labels and numbers in this language (default en)\n"
    "  --title TEXT          the chart's title (default: the actor's id and what\n"
    "                        is drawn)\n"
    "  --tolerance T         how much a node must fall for a transfer, on the\n"
    "                        0..1 scale of scores (default 0.01)\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --delimiter --encoding\n"
    "--decimal-comma --date-format --na --strict-range --labels --combine --on-error\n"
    "--rejects -j -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data (an actor not in the survey, or without\n"
    "the period), 2 usage, 3 input/output, 4 out of memory, 5 finished with\n"
    "rejected rows.\n";

static int is_radar(const analysis *a)
{
    return strcmp(a->o.command, "chart radar") == 0;
}

/* Options are checked before the survey is read, so that a typo costs
 * nothing on a large survey. */
static int check(analysis *a)
{
    if (!a->o.actor || !*a->o.actor)
        return cli_usage(a->o.command, "%s", "--actor ID names the actor drawn");
    if (is_radar(a) && a->o.node)
        return cli_usage(a->o.command, "%s",
                         "--node applies to trajectory charts (a radar draws the axes and "
                         "blocks)");
    if (!is_radar(a) && a->o.at_period)
        return cli_usage(a->o.command, "%s",
                         "--at applies to radar charts (a trajectory draws every period)");
    int status = analysis_check_period(a);
    if (status)
        return status;
    if (a->o.node && analysis_node(a, "--node", a->o.node) == EFC_NO_NODE)
        return EXIT_USAGE;
    return EXIT_DONE;
}

static int draw(analysis *a)
{
    size_t actor = efc_panel_find_actor(a->panel, a->o.actor);
    if (actor == EFC_NONE) {
        fprintf(stderr, "efc: %s: actor '%s' is not in the survey\n", a->in.name, a->o.actor);
        return EXIT_DATA;
    }
    const ui_text *ui = ui_text_for(a->o.lang);
    report_data d;
    int status = report_data_init(&d, a->panel, is_radar(a) ? a->o.at_period : NULL, a->o.tolerance,
                                  ui, a->in.err);
    if (status == EXIT_DATA || status == EXIT_USAGE) {
        /* a period of the other kind than the survey's */
        report_data_free(&d);
        return status;
    }
    char title[1024], period[80];
    size_t i = report_assessment(&d, actor);
    if (!status && is_radar(a) && i == EFC_NONE) {
        fprintf(stderr, "efc: %s: actor '%s' has no assessment at period %s\n", a->in.name,
                a->o.actor, a->o.at_period ? a->o.at_period : "latest");
        status = EXIT_DATA;
    }
    if (!status && is_radar(a)) {
        snprintf(title, sizeof title, "%s, %s %s", a->o.actor, ui->scores_at,
                 ui_period(ui, efc_panel_period(a->panel, actor, i), period, sizeof period));
        status = report_radar(&d, a->out.fp, actor, 1, a->o.title ? a->o.title : title);
    } else if (!status) {
        size_t node = a->o.node ? efc_model_find(a->in.model, a->o.node) : EFC_NO_NODE;
        if (node == EFC_NO_NODE)
            snprintf(title, sizeof title, "%s", a->o.actor);
        else
            snprintf(title, sizeof title, "%s: %s", a->o.actor,
                     efc_model_node_label(a->in.model, node, ui->lang));
        status = report_trajectory(&d, a->out.fp, actor, node, 1, a->o.title ? a->o.title : title);
    }
    if (status == EXIT_NOMEM)
        fprintf(stderr, "efc: out of memory\n");
    report_data_free(&d);
    return status;
}

int cmd_chart(int argc, char **argv)
{
    const char *kind = argc > 2 ? argv[2] : "";
    if (strcmp(kind, "--help") == 0 || strcmp(kind, "-h") == 0) {
        fputs(help, stdout);
        return cli_finish_stdout();
    }
    const char *name = strcmp(kind, "radar") == 0        ? "chart radar"
                       : strcmp(kind, "trajectory") == 0 ? "chart trajectory"
                                                         : NULL;
    if (!name)
        return cli_usage("chart", "the kind of chart comes first: radar or trajectory, got '%s'",
                         kind);
    analysis a;
    int status = analysis_begin(&a, CMD_CHART, name, help, check, argc - 1, argv + 1);
    if (status)
        return analysis_end(&a, status);
    return analysis_end(&a, draw(&a));
}
