/*
 * libefc — charts as SVG text: the radar of one assessment (its scores on
 * the model's radar nodes, efc_model_radar_node) against a median, as the
 * command-line tool's `efc chart radar` and `efc report` draw it, so that
 * any client (the Python package's efc.Chart in a notebook) shows the same
 * chart without a plotting library.
 *
 * The chart is one <svg> element of classes (.chart, .radar, .actor,
 * .median, ...) styled by efc_chart_style(): a standalone chart (the
 * default) carries the XML declaration and that style sheet, a chart for a
 * page that holds the style sheet once (a report of many charts) carries
 * neither. Every text (labels, title, legends) is escaped for XML and HTML;
 * what XML 1.0 cannot hold (control characters, bytes that are not UTF-8)
 * is written as U+FFFD. Coordinates are written without the process
 * locale. The same inputs give the same bytes.
 */
#ifndef EFC_CHART_H
#define EFC_CHART_H

/* The experimental tier (docs/c-api.md, "Tiers"): may change between minor
 * releases until promoted; versioned EFC_EXPERIMENTAL_<major>.<minor>. */
#ifndef EFC_EXPERIMENTAL
#error                                                                                             \
    "efc/chart.h is in libefc's experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h (docs/c-api.md, Tiers)"
#endif

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The settings of a chart. */
typedef struct efc_chart_options efc_chart_options;

/**
 * Options with the defaults: no title; the label "Radar chart" (what the
 * chart shows, for screen readers: its aria-label and <title>); the legends
 * "Scores" (the assessment's polygon), "Median" (the median's) and
 * "Threshold" (the thresholds' bars, shown when a spoke has one); the base
 * labels of the nodes (no language); standalone.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_chart_options_create(efc_chart_options **out, const efc_allocator *alloc,
                                            efc_error *err);
/** Free options (NULL is accepted). */
EFC_API void efc_chart_options_free(efc_chart_options *opts);

/** The title drawn at the top; NULL for none. Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_title(efc_chart_options *opts, const char *title,
                                               efc_error *err);
/** What the chart shows, for screen readers (not NULL). Errors: EFC_ERR_ARGUMENT,
 * EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_label(efc_chart_options *opts, const char *label,
                                               efc_error *err);
/** The legend of the assessment's polygon (not NULL). Errors: EFC_ERR_ARGUMENT,
 * EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_series(efc_chart_options *opts, const char *series,
                                                efc_error *err);
/** The legend of the median's polygon (not NULL). Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_median_series(efc_chart_options *opts, const char *series,
                                                       efc_error *err);
/** The legend of the thresholds' bars (not NULL). Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_threshold_text(efc_chart_options *opts, const char *text,
                                                        efc_error *err);
/** The language of the spokes' labels (efc_model_node_label: a node without
 * a text in it shows its base label); NULL for the base labels.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM. */
EFC_API efc_status efc_chart_options_set_lang(efc_chart_options *opts, const char *lang,
                                              efc_error *err);
/** 1 (the default): a document of its own (a .svg file, a notebook's
 * output), with the XML declaration and the style sheet; 0: an element for
 * a page that holds efc_chart_style() once. Errors: EFC_ERR_ARGUMENT
 * (neither 0 nor 1). */
EFC_API efc_status efc_chart_options_set_standalone(efc_chart_options *opts, int standalone,
                                                    efc_error *err);

/**
 * The style sheet of the charts (CSS, without <style>): the rules a page
 * holding non-standalone charts includes once. Static, never NULL.
 */
EFC_API const char *efc_chart_style(void);

/**
 * A radar of one assessment: a spoke per radar node of the model
 * (efc_model_radar_node), clockwise from the top, rings at 25, 50, 75 and
 * 100 %, the median's polygon dashed under the assessment's filled one,
 * each node's threshold as a bar across its spoke. `scores` holds one score
 * per node of the model, in node order (a row of efc_model_score_batch's
 * output), in [0, 1] or NaN when missing: a missing spoke is left out of
 * the polygon and its label marked "(–)". `medians` the same for the
 * median, or NULL for none. Always stores in *len the chart's size in
 * bytes (without a terminating NUL). If `buf` is NULL, only *len is set;
 * otherwise `cap` must be greater than *len and the chart plus a NUL are
 * written, else nothing is written and EFC_ERR_ARGUMENT is returned (as
 * efc_model_export_buffer). `opts` NULL for the defaults.
 * Errors: EFC_ERR_ARGUMENT (NULL len, model or scores; buffer too small),
 * EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_chart_radar_svg(char *buf, size_t cap, size_t *len, const efc_model *model,
                                       const double *scores, const double *medians,
                                       const efc_chart_options *opts, efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_CHART_H */
