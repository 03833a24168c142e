/* A radar chart: an actor's scores on the axes and blocks of the model
 * against its peer group's median. */
#ifndef EFC_CLI_CHART_RADAR_H
#define EFC_CLI_CHART_RADAR_H

#include <stddef.h>
#include <stdio.h>

#include "locale_text.h"

typedef struct radar_spec {
    size_t n;                  /* spokes */
    const char *const *labels; /* n labels */
    const double *values;      /* n scores in [0, 1], NaN when missing */
    const double *medians;     /* n peer medians, NaN when missing; NULL for none */
    const double *thresholds;  /* n thresholds, NaN when none; NULL for none */
    const char *title;         /* drawn at the top when not NULL */
    const char *label;         /* what the chart shows, for screen readers */
    const char *series;        /* legend of the actor's polygon */
    const char *median_series; /* legend of the median's polygon */
    int standalone;            /* a .svg file rather than a chart in a page */
    const ui_text *ui;
} radar_spec;

/* Write the chart as one <svg> element (with the XML declaration when
 * standalone). Write errors show on the stream. */
void radar_chart(FILE *fp, const radar_spec *s);

#endif
