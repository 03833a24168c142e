/* The state of an efc_quality, shared by its accumulation (quality.c) and
 * its figures (quality_stats.c). */
#ifndef EFC_QUALITY_INTERNAL_H
#define EFC_QUALITY_INTERNAL_H

#include "efc/quality.h"
#include "value_counts.h"

enum { NSCALE_STATS = EFC_SCALE_SCOREITEMS_ASE + 1, NSCALE_ITEM_STATS = EFC_SCALE_ITEM_SIGN + 1 };
enum { NITEM_STATS = EFC_ITEM_OFF_LEVEL + 1 };

/* Co-moments of two variables over the rows where both are present,
 * updated one row at a time (Welford): stable whatever the number of rows,
 * and each pair with its own means, as a pairwise covariance needs. For a
 * variable with itself, cxy is its sum of squared deviations. */
typedef struct efc__comoment {
    double n, mx, my, cxy;
} efc__comoment;

/* An item against its scale's mean (the row mean of the items answered). */
typedef struct efc__total_moment {
    double n, mx, mt, cxx, ctt, cxt;
} efc__total_moment;

typedef struct efc__scale {
    size_t node;          /* EFC_NONE for a keyed scale */
    char *name;           /* a keyed scale's name */
    size_t first, count;  /* its items: leaf numbers scale_items[first .. first + count) */
    efc__comoment *pairs; /* count x count, pair (i, j) at [i * count + j], i <= j used */
    efc__total_moment *totals;
    size_t n, n_complete;
    double stats[NSCALE_STATS];
    double *item_stats; /* count x NSCALE_ITEM_STATS */
} efc__scale;

typedef struct efc__item {
    size_t answers, clamped;
    double lo, hi;          /* smallest and largest normalised value */
    double mean, m2;        /* of the answers as given (Welford) */
    double min, max;        /* of the answers as given */
    efc__value_counts dist; /* the answers as given */
    double stats[NITEM_STATS];
    size_t *level_answers; /* per level of the leaf */
    unsigned flags;
} efc__item;

struct efc_quality {
    efc_allocator alloc;
    const efc_model *model;
    size_t leaves, nodes;
    size_t rows;
    size_t min_count;
    double min_share;
    int finalized;
    int broken;  /* out of memory in the middle of a row */
    int no_dist; /* efc_quality_options_set_distributions(o, 0) */
    efc__scale *scales;
    size_t nscales;
    size_t *scale_items;      /* leaf numbers, scale after scale */
    signed char *scale_signs; /* with keys: their signs, as scale_items */
    int keyed;                /* the scales are keys (efc_quality_options_set_keys) */
    double *row_raw;          /* leaves: the answers of the row being added */
    double *scale_row;        /* leaves: the values of one scale's items in that row */
    efc__comoment *all_pairs; /* with keys: leaves x leaves, (i, j) at [i * leaves + j], i <= j,
                                 of the answers, for the squared multiple correlations */
    size_t *leaf_scale;       /* per leaf: its scale, or EFC_NONE */
    efc__item *items;         /* per leaf */
    double *scratch;          /* node_count scores of a row added by efc_quality_add */
    double *row_values;       /* leaves: the normalised values of the row being added */
};

/* Compute the figures of every scale and item (efc_quality_finalize). */
efc_status efc__quality_compute(efc_quality *q, efc_error *err);

#endif
