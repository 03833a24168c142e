/* efc reliability: Cronbach's alpha of every scale of the model (a group
 * whose children are all leaves) and, per item, the alpha without it and
 * its correlations with the rest of the scale. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "quality_out.h"

static const char *const help =
    "usage: efc reliability [options] [FILE|-]\n"
    "\n"
    "Read a survey and write the reliability of each scale of the model (each\n"
    "group whose children are all leaves): Cronbach's alpha on the normalised\n"
    "items (reverse-keyed items reversed), from pairwise covariances as R psych's\n"
    "alpha() computes it, with its standard error and 95% interval; then a row per\n"
    "item: the alpha of the scale without it, its item-rest (r_drop) and\n"
    "item-total correlations, the mean and standard deviation of its normalised\n"
    "values (0-1: mean_norm, sd_norm) and its flags. Items that never vary are\n"
    "left out of alpha (used 0). docs/statistics.md explains every column.\n"
    "\n"
    "With --keys FILE the scales are those of a keys file (columns scale, item,\n"
    "sign: an item may be in many scales) instead of the model's groups, judged as\n"
    "R psych's scoreItems() judges them: on the answers as given, an item of sign\n"
    "-1 reversed as min + max - x (its goalposts); g6 and scoreitems_ase are\n"
    "scoreItems' G6 and ase (empty without keys).\n"
    "\n" QUALITY_OPTIONS_HELP;

/* The figures, up to the last of each enumeration. */
enum { NSCALE = EFC_SCALE_SCOREITEMS_ASE + 1, NSCALE_ITEM = EFC_SCALE_ITEM_SIGN + 1 };

/* node, item, then the scale's figures and the item's, named by the
 * library, in the order scale_row and item_row write them. */
static void header(csv_out *w, const efc_quality *q)
{
    csv_out_text(w, efc_quality_scale_node(q, 0) == EFC_NONE && efc_quality_scale_count(q)
                        ? "scale"
                        : "node");
    csv_out_text(w, "item");
    csv_out_name(w, EFC_ENUM_SCALE_METRIC, EFC_SCALE_ITEMS);
    csv_out_name(w, EFC_ENUM_SCALE_METRIC, EFC_SCALE_ITEMS_USED);
    csv_out_name(w, EFC_ENUM_SCALE_ITEM_METRIC, EFC_SCALE_ITEM_USED);
    csv_out_name(w, EFC_ENUM_SCALE_METRIC, EFC_SCALE_N);
    csv_out_name(w, EFC_ENUM_SCALE_METRIC, EFC_SCALE_N_COMPLETE);
    for (int st = EFC_SCALE_ALPHA; st < NSCALE; st++)
        csv_out_name(w, EFC_ENUM_SCALE_METRIC, st);
    for (int st = EFC_SCALE_ITEM_ALPHA_IF_DROPPED; st < NSCALE_ITEM; st++)
        csv_out_name(w, EFC_ENUM_SCALE_ITEM_METRIC, st);
    csv_out_text(w, "flags");
    csv_out_end_row(w);
}

static void count(csv_out *w, double v)
{
    csv_out_uint(w, (unsigned long long)v);
}

static void scale_row(analysis *a, size_t s)
{
    const efc_quality *q = a->quality;
    csv_out *w = &a->w;
    csv_out_text(w, efc_quality_scale_name(q, s));
    csv_out_empty(w);
    count(w, efc_quality_scale_value(q, s, EFC_SCALE_ITEMS));
    count(w, efc_quality_scale_value(q, s, EFC_SCALE_ITEMS_USED));
    csv_out_empty(w); /* used */
    count(w, efc_quality_scale_value(q, s, EFC_SCALE_N));
    count(w, efc_quality_scale_value(q, s, EFC_SCALE_N_COMPLETE));
    for (int st = EFC_SCALE_ALPHA; st < NSCALE; st++)
        csv_out_real(w, efc_quality_scale_value(q, s, (efc_scale_metric)st), 1);
    for (int c = EFC_SCALE_ITEM_ALPHA_IF_DROPPED; c < NSCALE_ITEM; c++) /* the item columns */
        csv_out_empty(w);
    csv_out_end_row(w);
}

static void item_row(analysis *a, size_t s, size_t i)
{
    const efc_quality *q = a->quality;
    csv_out *w = &a->w;
    size_t leaf = efc_quality_scale_item(q, s, i);
    csv_out_text(w, efc_quality_scale_name(q, s));
    csv_out_text(w, efc_model_node_id(a->in.model, efc_model_leaf_node(a->in.model, leaf)));
    csv_out_empty(w); /* items */
    csv_out_empty(w); /* items_used */
    count(w, efc_quality_scale_item_value(q, s, i, EFC_SCALE_ITEM_USED));
    count(w, efc_quality_scale_item_value(q, s, i, EFC_SCALE_ITEM_N));
    for (int c = EFC_SCALE_N_COMPLETE; c < NSCALE; c++) /* n_complete, the scale's figures */
        csv_out_empty(w);
    for (int st = EFC_SCALE_ITEM_ALPHA_IF_DROPPED; st < NSCALE_ITEM; st++)
        csv_out_real(w, efc_quality_scale_item_value(q, s, i, (efc_scale_item_metric)st), 1);
    quality_out_flags(w, efc_quality_item_flags(q, leaf));
    csv_out_end_row(w);
}

/* Say why a scale of several items has no alpha: an empty field is easy to
 * take for a bad scale. */
static void warn_no_alpha(const analysis *a, size_t s)
{
    const efc_quality *q = a->quality;
    if (efc_quality_scale_value(q, s, EFC_SCALE_ITEMS) < 2 ||
        !isnan(efc_quality_scale_value(q, s, EFC_SCALE_ALPHA)))
        return;
    const char *id = efc_quality_scale_name(q, s);
    if (efc_quality_scale_value(q, s, EFC_SCALE_ITEMS_USED) < 2)
        fprintf(stderr, "efc: warning: %s: no alpha: fewer than two of its items vary\n", id);
    else
        fprintf(stderr,
                "efc: warning: %s: no alpha: two of its items are answered together by fewer "
                "than two rows\n",
                id);
}

int cmd_reliability(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_RELIABILITY, "reliability", help, NULL, argc, argv);
    if (status)
        return analysis_end(&a, status);
    const efc_quality *q = a.quality;
    header(&a.w, q);
    for (size_t s = 0; s < efc_quality_scale_count(q); s++) {
        if (!a.o.quiet && efc_quality_rows(q))
            warn_no_alpha(&a, s);
        scale_row(&a, s);
        for (size_t i = 0; i < efc_quality_scale_item_count(q, s); i++)
            item_row(&a, s, i);
        csv_out_flush_some(&a.w);
    }
    if (!efc_quality_rows(q) && !a.o.quiet)
        fprintf(stderr, "efc: warning: %s: no data row\n", a.in.name);
    if (!efc_quality_scale_count(q) && !a.o.quiet)
        fprintf(stderr, "efc: warning: the model has no scale (no group whose children are all "
                        "leaves)\n");
    return analysis_end(&a, status);
}
