/* What the analysis verbs (trajectory, compare, rank, reliability, items)
 * share: reading the survey into a panel (or, for the survey quality
 * verbs, into an efc_quality), the nodes reported, and the output file. */
#ifndef EFC_CLI_ANALYSIS_H
#define EFC_CLI_ANALYSIS_H

#include "cli.h"
#include "csv_out.h"
#include "survey_run.h"

typedef struct analysis {
    cli_options o;
    survey_run in;
    efc_panel *panel;
    efc_quality *quality;
    size_t *nodes; /* the panel verbs' nodes: the groups, and the leaves with --items */
    size_t nnodes;
    cli_output out;
    csv_out w;
    int out_open;
} analysis;

/* Parse the command line of `command` (a CMD_* bit, named `name`), check
 * the outputs, load the model, run `check` (the verb's own options, before
 * the survey is read; may be NULL), read the survey into a finalized panel
 * (a finalized efc_quality for CMD_QUALITY) and open the output. `help` is printed for --help.
 * Returns EXIT_DONE, or a status to return through analysis_end() (-1 for --help, answered). */
int analysis_begin(analysis *a, int command, const char *name, const char *help,
                   int (*check)(analysis *a), int argc, char **argv);

/* Check the outputs (-o, --rejects, --sobol, --runs and the directory of
 * --pages) against the inputs (the survey, the model) and each other
 * before anything is read (files.h). EXIT_DONE, EXIT_USAGE or EXIT_IO
 * after printing the reason. analysis_begin calls it. */
int analysis_check_files(analysis *a);

/* The directory of a report's pages: the overview's path without its
 * .html extension, and "-actors"; malloc'd (NULL when out of memory). */
char *analysis_pages_dir(const char *output);

/* A node named on the command line (`option` for messages); NULL or "" is
 * the root. EFC_NO_NODE after printing a usage error. */
size_t analysis_node(const analysis *a, const char *option, const char *id);

/* Every actor's rank at once, a bulk read into ranks[0 .. n) (NaN for none). */
typedef efc_status (*analysis_rank_fill)(double *ranks, size_t n, const void *ctx, efc_error *err);

/* The panel's actors in the order of the ranks fill(ranks, n, ctx) gives:
 * ranked actors first, ties and the unranked by id (the panel's order). A
 * malloc'd array of efc_panel_actor_count() indices, or NULL after saying
 * why, with the exit status in *status. */
size_t *analysis_rank_order(const analysis *a, analysis_rank_fill fill, const void *ctx,
                            int *status);

/* Check --at (a period or latest) before the survey is read, so that a
 * mistyped period is said at once. EXIT_DONE or EXIT_USAGE. */
int analysis_check_period(analysis *a);

/* A ranking of `node` at `period` (NULL: each actor's latest) of scores
 * rounded to `decimals` (-1: none), and trajectories with a tolerance: the
 * library's options filled from the command line's. */
efc_status cli_ranking(efc_ranking **out, const efc_panel *panel, size_t node, const char *period,
                       int decimals, efc_error *err);
efc_status cli_trajectories(efc_trajectories **out, const efc_panel *panel, double tolerance,
                            efc_error *err);

/* Commit the output, print the summary, free everything; returns the exit
 * status (EXIT_REJECTED when rows were rejected). */
int analysis_end(analysis *a, int status);

#endif
