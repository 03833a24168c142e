/* efc: score EFC assessments from the command line. */
#include <string.h>

#include "cli.h"

static const char *const usage =
    "usage: efc [--version] [--help] <command> [options]\n"
    "\n"
    "Assess the value an organisation or a territory creates in the sense of\n"
    "the functional and cooperation economy (EFC).\n"
    "\n"
    "commands:\n"
    "  model       show the model, export it as a codebook, or write a survey header\n"
    "  score       score every row of a survey file\n"
    "  index       a composite indicator from indicator data: every stage, every unit\n"
    "  trajectory  follow each actor over its periods: change, slope, transfers\n"
    "  compare     compare two or more actors' trajectories node by node\n"
    "  rank        rank actors on a node at a period, overall and among peers\n"
    "  reliability Cronbach's alpha of each scale, and of each scale without each item\n"
    "  items       how each item was answered: missing, clamped, distribution, flags\n"
    "  sensitivity how robust ranks are to the weights: rank intervals, Sobol indices\n"
    "  report      an HTML report with charts of every actor, in English or French\n"
    "  chart       one radar or trajectory chart of an actor as an SVG file\n"
    "\n"
    "'efc <command> --help' describes a command. Exit statuses: 0 done, 1 bad\n"
    "data, 2 usage, 3 input/output error, 4 out of memory, 5 finished with\n"
    "rejected rows.\n";

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return cli_finish_stdout();
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("efc %s (libefc %s)\n", EFC_VERSION_STRING, efc_version_string());
        return cli_finish_stdout();
    }
    if (strcmp(cmd, "model") == 0)
        return cmd_model(argc, argv);
    if (strcmp(cmd, "score") == 0)
        return cmd_score(argc, argv);
    if (strcmp(cmd, "index") == 0)
        return cmd_index(argc, argv);
    if (strcmp(cmd, "trajectory") == 0)
        return cmd_trajectory(argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc, argv);
    if (strcmp(cmd, "rank") == 0)
        return cmd_rank(argc, argv);
    if (strcmp(cmd, "reliability") == 0)
        return cmd_reliability(argc, argv);
    if (strcmp(cmd, "items") == 0)
        return cmd_items(argc, argv);
    if (strcmp(cmd, "sensitivity") == 0)
        return cmd_sensitivity(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    if (strcmp(cmd, "chart") == 0)
        return cmd_chart(argc, argv);
    return cli_usage(NULL, "unknown command '%s'", cmd);
}

int main(int argc, char **argv)
{
    /* before anything is opened: closed standard descriptors, signals */
    cli_files_init();
    /* every output of the run is renamed into place here, or removed */
    return cli_files_settle(run(argc, argv));
}
