/* What reports and charts read from a panel: the nodes drawn, each actor's
 * peer group and its medians, the ranks and the impact transfers, computed
 * once for every actor so that a report of 10,000 actors stays linear. */
#ifndef EFC_CLI_REPORT_DATA_H
#define EFC_CLI_REPORT_DATA_H

#include <stdio.h>

#include "cli.h"
#include "locale_text.h"

typedef struct report_data {
    const efc_model *m;
    const efc_panel *p;
    const ui_text *ui;
    efc_trajectories *t;
    efc_ranking *r;  /* on the root at the period reported */
    size_t peer_col; /* the grouping column of peer groups; EFC_NONE: all actors */
    size_t *spokes;  /* the radar's axes and blocks */
    size_t nspokes;
    size_t *groups; /* every group, depth first: the overview's columns */
    size_t ngroups;
    size_t *leaves; /* every leaf, depth first */
    size_t nleaves;
    double *row;     /* scratch: one assessment's scores by node */
    double *medians; /* node medians: row 0 all actors, row 1 + j group j */
    size_t ngv;      /* groups of the peer column */
    size_t *tstart;  /* each actor's first transfer; [actors] is their count */
} report_data;

/* Compute everything for a finalized panel at `period` (NULL: each actor's
 * latest assessment), with transfers beyond `tolerance`, for texts in
 * `ui`. Returns EXIT_DONE, or a status after printing the reason. */
int report_data_init(report_data *d, const efc_panel *p, const char *period, double tolerance,
                     const ui_text *ui, efc_error *err);
void report_data_free(report_data *d);

/* The assessment reported for an actor: the one ranked (its latest, or the
 * one of the period asked for); EFC_NONE when it has none. */
size_t report_assessment(const report_data *d, size_t actor);
/* An actor's peer medians, indexed by node; its group's value (NULL for
 * all actors) and how many actors with a score it has. */
const double *report_medians(const report_data *d, size_t actor);
const char *report_peer_value(const report_data *d, size_t actor);
size_t report_peer_count(const report_data *d, size_t actor);
/* The legend of the peer median, e.g. "Peer median (sector: food, 3
 * actors)", into buf of cap bytes. */
const char *report_peer_legend(const report_data *d, size_t actor, char *buf, size_t cap);

/* The leaves furthest below the peer median at the reported assessment,
 * worst first, at most `max` into out; returns how many. */
size_t report_gaps(const report_data *d, size_t actor, size_t *out, size_t max);

/* The charts of an actor. The radar is at the reported assessment; the
 * trajectory has one panel per group, or one large panel of `node` when it
 * is not EFC_NO_NODE. Return EXIT_DONE or EXIT_NOMEM. */
int report_radar(const report_data *d, FILE *fp, size_t actor, int standalone, const char *title);
int report_trajectory(const report_data *d, FILE *fp, size_t actor, size_t node, int standalone,
                      const char *title);

#endif
