/* The inside of efc_index and its options (index_run.c, index.c). */
#ifndef EFC_INDEX_INTERNAL_H
#define EFC_INDEX_INTERNAL_H

#include "efc/index.h"

#define EFC__LEAF_STAGES        5 /* raw .. normalised: one value per unit and leaf */
#define EFC__TREATMENT_METRICS  10
/* copeland compares every pair of units: 2e8 pairs at most */
#define EFC__COPELAND_MAX_UNITS 20000

struct efc_index_options {
    efc_allocator alloc;
    char *id_column;        /* NULL: "id" */
    char *period_column;    /* NULL: none */
    double screen;          /* 0: keep every row */
    unsigned threads;       /* 0: one per core */
    char *reference_period; /* NULL: every row */
    int drop_steps;         /* keep only the normalised and aggregated stages */
};

/* The threads a run uses: the option, or one per core. */
unsigned efc__index_threads(const efc_index_options *o);

/* What the data gave a leaf's steps, kept for efc_index_fitted_model
 * (index_fit.c): the fitted form of each step. */
typedef struct efc__leaf_fit {
    int impute;          /* the fitted efc_impute: NONE, VALUE, GROUP_VALUE, LATEST, LINEAR */
    double impute_value; /* VALUE */
    /* GROUP_VALUE: the value of each group (NaN: none), by the group
     * numbers of the run, keys copied after the leaves ran */
    size_t ngroups;
    double *group_values;
    char **group_keys;
    size_t group_set; /* the run's group set, until the keys are copied */
    int treat;        /* the fitted efc_treat: NONE, CLAMP, SHIFTLOG, LOG, BOXCOX */
    double t1, t2;    /* CLAMP: LO, HI; SHIFTLOG: LO, PAD; BOXCOX: λ */
    double p1, p2;    /* the normalisation's parameters (not for rank, percentile) */
} efc__leaf_fit;

typedef struct efc__screened {
    size_t row;
    char *id, *period;
    double share;
} efc__screened;

/* The units' ids and periods live in chunks of one allocation each
 * rather than one per text: a million units, a million mallocs fewer. */
typedef struct efc__text_chunk {
    struct efc__text_chunk *next;
    size_t used, cap;
    char data[];
} efc__text_chunk;

struct efc_index {
    efc_allocator alloc;
    efc_model *model; /* the index's own, finalized */
    size_t units;
    size_t *rows;                    /* table row of each unit */
    char **ids;                      /* into texts */
    char **periods;                  /* into texts; NULL without a period column */
    efc__text_chunk *texts;          /* the newest first */
    double *stage[EFC__LEAF_STAGES]; /* the owned columns of each stage */
    /* col[stage * leaves + leaf]: the leaf's values at a stage (units
     * doubles). A step a leaf does not take shares the previous stage's
     * column: memory (and the first touch of its pages) only for steps
     * that change something. */
    double **col;
    size_t leaves;
    double *agg;            /* agg[group * units + unit], groups by number */
    unsigned char *imputed; /* [leaf * units + unit] */
    size_t imputed_count;
    int *treated;       /* the efc_treat applied to each leaf */
    efc__leaf_fit *fit; /* one per leaf */
    double *metrics;    /* [leaf * EFC__TREATMENT_METRICS + metric] */
    efc__screened *scr;
    size_t screened_count, scr_cap;
};

#endif
