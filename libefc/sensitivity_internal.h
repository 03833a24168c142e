/* The insides of an efc_sensitivity, shared by its set-up and accessors
 * (sensitivity.c), its runs (sensitivity_run.c) and its statistics
 * (sensitivity_stats.c). */
#ifndef EFC_SENSITIVITY_INTERNAL_H
#define EFC_SENSITIVITY_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "efc/sensitivity.h"

enum {
    EFC__MAX_ALTERNATIVES = 16,
    EFC__SENS_METRICS = EFC_SENSITIVITY_RUNS_RANKED + 1,
    EFC__SENS_BLOCK = 64 /* actors whose ranks are gathered at a time */
};

typedef struct efc__sens_input {
    efc_input_kind kind;
    size_t node;
    size_t nalt; /* aggregation: alternatives */
    efc_aggregate alt[EFC__MAX_ALTERNATIVES];
    double power[EFC__MAX_ALTERNATIVES];
} efc__sens_input;

struct efc_sensitivity_options {
    efc_allocator alloc;
    const efc_model *model;
    size_t node;     /* ranked: a group */
    char *period;    /* NULL: latest */
    size_t *weights; /* nodes whose weight varies, in the order added */
    size_t nweights, weights_cap;
    efc__sens_input *aggregations; /* kind EFC_INPUT_AGGREGATION, checked alternatives */
    size_t naggregations, aggregations_cap;
    int group_weights; /* 1, 0, or -1: unset (on when no input is added) */
    efc_perturbation kind;
    double amount;
    size_t samples, top, bootstrap;
    uint64_t seed;
    unsigned threads; /* 0: one per core */
    int sobol;
    efc_progress_fn progress;
    void *progress_user;
    size_t first, count; /* base runs computed; count 0: all of them */
};

struct efc_sensitivity {
    efc_allocator alloc;
    const efc_panel *panel;
    const efc_model *model;
    size_t node;  /* ranked */
    char *period; /* NULL: latest */
    efc__sens_input *inputs;
    size_t ninputs, inputs_cap;
    /* per node (2 per node, by efc_input_kind): the input on it, EFC_NONE;
     * allocated with the first input. So that finding an input, and the
     * set-up of the runs, take no pass over the inputs per node. */
    size_t *input_of;
    /* per node, for the node `reach_top` (EFC_NO_NODE: not computed): which
     * nodes are at or below it, and which reach it through weights > 0. One
     * pass down the tree, so that the checks of each input take no walk up
     * a tree that may be 100,000 deep. */
    unsigned char *reach;
    size_t reach_top;
    efc_perturbation kind;
    double amount;
    size_t samples, top, bootstrap;
    uint64_t seed;
    unsigned threads;
    int sobol;
    efc_progress_fn progress;
    void *progress_user;
    /* base runs [first, first + count) of the N: all of them (0, N) unless
     * partial, whose blocks (A, B, A_B^i) hold `count` runs each, run r of
     * block b being run b N + first + r of the whole */
    size_t first, count;
    int partial;          /* statistics and Sobol indices not computed */
    atomic_int cancelled; /* the progress callback asked to stop; read by the workers */
    int done;             /* run: what the accessors read is there */
    /* results */
    size_t nruns;       /* count, or count (d + 2) */
    size_t *assessment; /* per actor, EFC_NONE when none at the period */
    size_t ranked;      /* actors ranked nominally */
    double *params;     /* nruns x d */
    double *outputs;    /* nruns */
    size_t ncand;       /* actors with an assessment: the candidates */
    size_t *cand;       /* their actor numbers */
    size_t *cand_of;    /* per actor: its candidate number, or EFC_NONE */
    uint32_t *ranks;    /* count x ncand, run-major; 0: not ranked */
    double *stats;      /* per actor: EFC__SENS_METRICS values */
    double *sobol_idx;  /* d x EFC_SOBOL_METRIC_COUNT */
    double variance;
};

/* Draw every run's inputs into s->params (serial: cheap, and the draws of
 * run j depend only on the seed and j). */
efc_status efc__sens_draw(efc_sensitivity *s, efc_error *err);

/* Compute every run: ranks and outputs (threads). */
efc_status efc__sens_compute(efc_sensitivity *s, const double *nominal_rank, efc_error *err);

/* Per-actor statistics from the ranks of matrix A, with the scratch the
 * run allocated beforehand (so that a long run never fails at its end):
 * col holds min(EFC__SENS_BLOCK, ncand) x N ranks, count ncand + 1. */
void efc__sens_stats(efc_sensitivity *s, uint32_t *col, uint32_t *count);

/* The bootstrap draws of efc_sobol_estimate use this stream of the seed. */
#define EFC__STREAM_BOOTSTRAP 3

#endif
