/* Trajectory charts: an actor's scores over its periods, one small panel
 * per node, with its threshold and its impact transfers marked. */
#ifndef EFC_CLI_CHART_TRAJECTORY_H
#define EFC_CLI_CHART_TRAJECTORY_H

#include <stddef.h>
#include <stdio.h>

#include "locale_text.h"

typedef struct traj_panel {
    const char *label;
    const double *y;         /* one score per assessment in [0, 1], NaN when missing */
    double threshold;        /* NaN when none */
    const size_t *from, *to; /* the transfer steps: assessments they join */
    size_t ntransfers;
} traj_panel;

typedef struct traj_spec {
    size_t n;                   /* the actor's assessments, in period order */
    const double *x;            /* their period values */
    const char *const *periods; /* their periods as text */
    const traj_panel *panels;
    size_t npanels;
    size_t columns;    /* panels per row */
    int large;         /* one big panel (efc chart trajectory --node) */
    const char *title; /* drawn at the top when not NULL */
    const char *label; /* what the chart shows, for screen readers */
    int standalone;
    const ui_text *ui;
} traj_spec;

void trajectory_chart(FILE *fp, const traj_spec *s);

#endif
