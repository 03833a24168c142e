/* efc items: per item (leaf) of the model, how it was answered: the share
 * missing, the share clamped, the distribution of the answers and the flags
 * of weak items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "quality_out.h"

static const char *const help =
    "usage: efc items [options] [FILE|-]\n"
    "\n"
    "Read a survey and write a row per item (leaf) of the model: the answers, the\n"
    "rows missing it and their share, the answers clamped to the goalposts and\n"
    "their share, the distribution of the answers on the item's own scale\n"
    "(minimum, quartiles, median, maximum, mean, standard deviation, distinct\n"
    "values, and the answers per level, 'value=count|...', for items with\n"
    "levels), and flags: no_variance, few_answers, negative_r (negative\n"
    "item-rest correlation: reverse-keyed?), raises_alpha (its scale's alpha is\n"
    "higher without it). docs/statistics.md explains every column.\n"
    "\n" QUALITY_OPTIONS_HELP;

/* A level's value as the output writes numbers (decimal comma in excel-fr). */
static void put_number(char *buf, size_t cap, double v, char decimal)
{
    snprintf(buf, cap, "%.15g", v);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = decimal;
}

/* "value=count|..." over the item's levels; "" when it has none. */
static int levels_field(analysis *a, size_t leaf)
{
    const efc_model *m = a->in.model;
    size_t node = efc_model_leaf_node(m, leaf), n = efc_model_node_level_count(m, node);
    size_t cap = n * 48 + 1, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return 0;
    buf[0] = 0;
    for (size_t l = 0; l < n; l++) {
        char num[40];
        put_number(num, sizeof num, efc_model_node_level_value(m, node, l), a->w.decimal);
        len += (size_t)snprintf(buf + len, cap - len, "%s%s=%zu", l ? "|" : "", num,
                                efc_quality_item_level_answers(a->quality, leaf, l));
    }
    csv_out_text(&a->w, buf);
    free(buf);
    return 1;
}

static int item_row(analysis *a, size_t leaf)
{
    const efc_quality *q = a->quality;
    const efc_model *m = a->in.model;
    csv_out *w = &a->w;
    csv_out_text(w, efc_model_node_id(m, efc_model_leaf_node(m, leaf)));
    size_t s = efc_quality_leaf_scale(q, leaf);
    csv_out_text(w, s == EFC_NONE ? "" : efc_quality_scale_name(q, s));
    for (int st = EFC_ITEM_ANSWERS; st <= EFC_ITEM_OFF_LEVEL; st++) {
        double v = efc_quality_item_value(q, leaf, (efc_item_metric)st);
        if (st == EFC_ITEM_ANSWERS || st == EFC_ITEM_MISSING || st == EFC_ITEM_CLAMPED ||
            st == EFC_ITEM_DISTINCT || st == EFC_ITEM_OFF_LEVEL)
            csv_out_uint(w, (unsigned long long)v);
        else
            csv_out_real(w, v, 1);
    }
    if (!levels_field(a, leaf))
        return 0;
    quality_out_flags(w, efc_quality_item_flags(q, leaf));
    csv_out_end_row(w);
    csv_out_flush_some(w);
    return 1;
}

/* The number of flagged items, said on stderr after the table (and the
 * summary), so that weak questions are seen even when the file is not. */
static size_t count_weak(const analysis *a)
{
    size_t weak = 0;
    for (size_t j = 0; j < efc_model_leaf_count(a->in.model); j++)
        weak += efc_quality_item_flags(a->quality, j) != 0;
    return weak;
}

int cmd_items(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_ITEMS, "items", help, NULL, argc, argv);
    if (status)
        return analysis_end(&a, status);
    /* item, scale, every item statistic (the row's order), levels, flags */
    csv_out_text(&a.w, "item");
    csv_out_text(&a.w, "scale");
    for (int st = EFC_ITEM_ANSWERS; st <= EFC_ITEM_OFF_LEVEL; st++)
        csv_out_name(&a.w, EFC_ENUM_ITEM_METRIC, st);
    csv_out_text(&a.w, "levels");
    csv_out_text(&a.w, "flags");
    csv_out_end_row(&a.w);
    for (size_t j = 0; j < efc_model_leaf_count(a.in.model); j++)
        if (!item_row(&a, j)) {
            fprintf(stderr, "efc: out of memory\n");
            return analysis_end(&a, EXIT_NOMEM);
        }
    if (!a.o.quiet && !efc_quality_rows(a.quality))
        fprintf(stderr, "efc: warning: %s: no data row\n", a.in.name);
    size_t weak = count_weak(&a), items = efc_model_leaf_count(a.in.model);
    int quiet = a.o.quiet;
    status = analysis_end(&a, status);
    if (!quiet && weak && (status == EXIT_DONE || status == EXIT_REJECTED))
        fprintf(stderr, "efc: %zu of %zu items flagged (see the flags column)\n", weak, items);
    return status;
}
