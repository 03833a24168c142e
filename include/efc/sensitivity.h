/*
 * libefc — how robust is a ranking to the weights? Uncertainty and
 * variance-based sensitivity analysis of ranks (efc/trajectory.h) to the
 * weights and aggregation methods of the model, as composite-indicator
 * practice does it (OECD/JRC Handbook on constructing composite indicators,
 * 2008; JRC's COINr, get_sensitivity).
 *
 * An analysis reads a finalized panel. Each actor's assessment at a period
 * (its latest by default) is ranked on a node (the root by default), as
 * efc_ranking_create() ranks it. Then the analysis is run many times; each
 * run draws new weights for the chosen nodes (and, optionally, new
 * aggregation methods for chosen groups), re-aggregates every actor's
 * scores from the panel's scores of the nodes below, and ranks the actors
 * again (competition ranks, best first, ties on scores equal once rounded
 * to 12 decimals).
 *
 * Uncertainty analysis: per actor, its nominal rank, mean and median rank,
 * the 5th and 95th percentile of its ranks (R's type 7), the share of runs
 * that put it in the top k. Sensitivity analysis (Sobol): the output of a
 * run is the mean absolute rank shift, the mean over the actors ranked both
 * nominally and in the run of |rank in the run - nominal rank|; the
 * first-order and total Sobol indices of each input on it are estimated
 * from Saltelli's design (N runs of matrix A, N of matrix B, N of each
 * matrix A_B^i: N(d + 2) runs for d inputs), with Saltelli's (2010)
 * first-order and Jansen's total-order estimators, and bootstrap percentile
 * intervals, as COINr's SA_estimate does. The rank statistics always come
 * from the N runs of matrix A: asking for Sobol indices does not change
 * them. Formulas and reading: docs/statistics.md.
 *
 * Perturbations:
 *  - EFC_PERTURBATION_UNIFORM (spread x in [0, 1)): each chosen weight w becomes
 *    w (1 + x (2U - 1)), U uniform on [0, 1), independently. Groups combine
 *    their children with weights renormalised over the present children, so
 *    the weights need no renormalising.
 *  - EFC_PERTURBATION_DIRICHLET (concentration c > 0): the chosen children of a
 *    group share their nominal total weight W as W (D_1, ..., D_m), D drawn
 *    from a Dirichlet distribution of parameters c w_i / W. The shares
 *    keep their nominal means; a larger c keeps them closer to them. The
 *    shares of one group are not independent: Sobol indices are refused.
 *  - An aggregation input picks one of its group's alternative methods,
 *    each with the same probability, in every run.
 *
 * Reproducibility: the draws of run j depend only on the seed and j, and
 * every sum is made in a fixed order, so results are identical bit for bit
 * whatever the number of threads.
 *
 * Memory: 4 bytes per actor and run of matrix A (the ranks), a bounded
 * scratch of ranks to take their quantiles (at most 4 bytes per run for a
 * fixed number of actors at a time), d + 1 doubles per run (the inputs
 * drawn and the output), and per thread about 3 doubles per actor and
 * varying group or child.
 */
#ifndef EFC_SENSITIVITY_H
#define EFC_SENSITIVITY_H

/* The experimental tier (docs/c-api.md, "Tiers"): may change between minor
 * releases until promoted; versioned EFC_EXPERIMENTAL_<major>.<minor>. */
#ifndef EFC_EXPERIMENTAL
#error                                                                                             \
    "efc/sensitivity.h is in libefc's experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h (docs/c-api.md, Tiers)"
#endif

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "error.h"
#include "model.h"
#include "panel.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An uncertainty and sensitivity analysis of ranks. */
typedef struct efc_sensitivity efc_sensitivity;

/** How weights are drawn. */
typedef enum efc_perturbation {
    EFC_PERTURBATION_UNIFORM = 0,  /**< w (1 + x (2U - 1)) independently, x the spread */
    EFC_PERTURBATION_DIRICHLET = 1 /**< a Dirichlet around the nominal shares of each group */
} efc_perturbation;

/** What an input of the analysis is. */
typedef enum efc_input_kind {
    EFC_INPUT_WEIGHT = 0,     /**< the weight of a node */
    EFC_INPUT_AGGREGATION = 1 /**< the aggregation method of a group */
} efc_input_kind;

/** What efc_sensitivity_value() returns for an actor. */
typedef enum efc_sensitivity_metric {
    EFC_SENSITIVITY_SCORE = 0,        /**< the nominal score ranked; NaN when none */
    EFC_SENSITIVITY_NOMINAL_RANK = 1, /**< the nominal rank; NaN when not ranked */
    EFC_SENSITIVITY_MEAN_RANK = 2,    /**< mean rank over the runs where ranked */
    EFC_SENSITIVITY_MEDIAN_RANK = 3,  /**< median rank (type 7) over those runs */
    EFC_SENSITIVITY_RANK_P05 = 4,     /**< 5th percentile of the ranks (type 7) */
    EFC_SENSITIVITY_RANK_P95 = 5,     /**< 95th percentile of the ranks (type 7) */
    EFC_SENSITIVITY_RANK_MIN = 6,     /**< best rank of any run */
    EFC_SENSITIVITY_RANK_MAX = 7,     /**< worst rank of any run */
    EFC_SENSITIVITY_P_TOP = 8,        /**< share of the runs ranking it k-th or better */
    EFC_SENSITIVITY_RUNS_RANKED = 9   /**< runs (of matrix A) where it has a score */
} efc_sensitivity_metric;

/** What efc_sensitivity_sobol_value() returns for an input. */
typedef enum efc_sobol_metric {
    EFC_SOBOL_FIRST = 0,     /**< first-order index S_i (Saltelli 2010) */
    EFC_SOBOL_FIRST_Q05 = 1, /**< 5th percentile of S_i over the bootstrap draws */
    EFC_SOBOL_FIRST_Q95 = 2, /**< 95th percentile of S_i */
    EFC_SOBOL_TOTAL = 3,     /**< total-order index ST_i (Jansen) */
    EFC_SOBOL_TOTAL_Q05 = 4, /**< 5th percentile of ST_i */
    EFC_SOBOL_TOTAL_Q95 = 5  /**< 95th percentile of ST_i */
} efc_sobol_metric;

/** Number of efc_sobol_metric values: the row length of efc_sobol_estimate(). */
#define EFC_SOBOL_METRIC_COUNT 6

/**
 * Called by efc_sensitivity_run() from the calling thread as runs complete:
 * `done` of `total` runs are finished (never decreasing; the last call has
 * done = total). Return 0 to go on, anything else to cancel: the runs under
 * way finish, no other starts, and efc_sensitivity_run() fails with
 * EFC_ERR_STATE ("cancelled"). Keep it quick.
 */
typedef int (*efc_progress_fn)(size_t done, size_t total, void *user);

/** The set-up of an analysis (docs/c-api.md, "Options"). */
typedef struct efc_sensitivity_options efc_sensitivity_options;

/**
 * Create the options of an analysis of panels of `model` (which must be
 * finalized and outlive them), with the defaults: the root ranked at each
 * actor's latest assessment, the group weights varied unless inputs are
 * added (efc_sensitivity_options_set_group_weights), uniform perturbation of
 * spread 0.25, 1000 runs, seed 1, top 10, one thread, no Sobol indices, no
 * progress callback. Free them with
 * efc_sensitivity_options_free(); they may be used for many runs, one
 * thread at a time. Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not
 * finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_sensitivity_options_create(efc_sensitivity_options **out,
                                                  const efc_model *model,
                                                  const efc_allocator *alloc, efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_sensitivity_options_free(efc_sensitivity_options *opts);

/*
 * Setters: each checks its value against the model when it is set, so that a
 * bad value fails where it is given; how the values fit together (an input
 * below the node ranked) is checked by efc_sensitivity_run(), so that they
 * may be set in any order.
 */

/**
 * The node ranked (EFC_NO_NODE for the root). It must be a group.
 * Errors: EFC_ERR_ARGUMENT (no such node, a leaf).
 */
EFC_API efc_status efc_sensitivity_options_set_node(efc_sensitivity_options *opts, size_t node,
                                                    efc_error *err);

/**
 * The period ranked: NULL (the default) for each actor's latest
 * assessment, otherwise a period as efc_ranking_options_set_period() takes
 * it. The text is copied. Errors: EFC_ERR_VALUE (not a period),
 * EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_sensitivity_options_set_period(efc_sensitivity_options *opts,
                                                      const char *period, efc_error *err);

/**
 * Perturb the weight of a node: of non-zero weight, not already added. The
 * run requires it to be below the node ranked and not below a node of
 * weight 0 (it could not change anything).
 * Errors: EFC_ERR_ARGUMENT (no such node, weight 0, already added), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_sensitivity_options_add_weight(efc_sensitivity_options *opts, size_t node,
                                                      efc_error *err);

/**
 * Vary (on) or not (off) the weights of the ranked node's children and of
 * every group further below it: the dimensions and blocks, not the items
 * (for the default model: effects, levers, the three axes and the two
 * blocks of levers), skipping nodes of weight 0, those below one, and those
 * added by efc_sensitivity_options_add_weight(). Resolved by the run, for
 * the node ranked then. Unset, they vary only when no weight or
 * aggregation is added: options left at their defaults vary them, options
 * that name inputs vary those alone. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_group_weights(efc_sensitivity_options *opts, int on,
                                                             efc_error *err);

/**
 * Draw the aggregation method of a group (the run requires the ranked node
 * or a group below it) among `count` (2 to 16) alternatives, each with the
 * same probability: methods[i] with, for EFC_AGGREGATE_POWER, the exponent
 * powers[i] (powers may be NULL when no method is EFC_AGGREGATE_POWER). The
 * model's own method need not be one of them.
 * Errors: EFC_ERR_ARGUMENT (a leaf, a group already added, an unknown
 * method, a repeated alternative, an invalid exponent), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_sensitivity_options_add_aggregation(efc_sensitivity_options *opts,
                                                           size_t group, size_t count,
                                                           const efc_aggregate *methods,
                                                           const double *powers, efc_error *err);

/**
 * How weights are drawn: `amount` is the spread x in [0, 1) for
 * EFC_PERTURBATION_UNIFORM, the concentration c >= 1e-6 (finite) for
 * EFC_PERTURBATION_DIRICHLET. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_perturbation(efc_sensitivity_options *opts,
                                                            efc_perturbation kind, double amount,
                                                            efc_error *err);

/** Runs of matrix A, 2 <= N < 2^32 (default 1000). Errors: EFC_ERR_ARGUMENT. */
EFC_API efc_status efc_sensitivity_options_set_samples(efc_sensitivity_options *opts, size_t n,
                                                       efc_error *err);

/** The seed of every draw (default 1). Errors: EFC_ERR_ARGUMENT. */
EFC_API efc_status efc_sensitivity_options_set_seed(efc_sensitivity_options *opts, uint64_t seed,
                                                    efc_error *err);

/** The k of "in the top k", k >= 1 (default 10). Errors: EFC_ERR_ARGUMENT. */
EFC_API efc_status efc_sensitivity_options_set_top(efc_sensitivity_options *opts, size_t k,
                                                   efc_error *err);

/**
 * Threads: 1 (the default), 0 for one per core, at most 1024. The results
 * do not depend on it. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_threads(efc_sensitivity_options *opts,
                                                       unsigned threads, efc_error *err);

/**
 * Estimate Sobol indices (on) or not (off, the default): N (d + 2) runs
 * instead of N. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_sobol(efc_sensitivity_options *opts, int on,
                                                     efc_error *err);

/**
 * Bootstrap resamples for the intervals of the Sobol indices: 0 (the
 * default) for none, at most 1000000 (COINr's examples use 1000).
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_bootstrap(efc_sensitivity_options *opts,
                                                         size_t resamples, efc_error *err);

/**
 * Compute only the base runs [first, first + count) of the N samples (and,
 * with Sobol indices, their rows of B and of each A_B^i), for a part of an
 * analysis spread over processes or machines: 1 <= count, first + count <=
 * N (checked by the run) and below 2^32. first = count = 0 (the default)
 * runs all N. The run of such options is a partial result, whose
 * statistics are not computed (efc_sensitivity_is_partial()); parts that
 * tile [0, N) are merged by efc_sensitivity_merge() into the result of one
 * run, bit for bit, since run j draws from the seed and j alone.
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_options_set_runs(efc_sensitivity_options *opts, size_t first,
                                                    size_t count, efc_error *err);

/** Report progress to `fn` (NULL for none), which may cancel. Errors: EFC_ERR_ARGUMENT. */
EFC_API efc_status efc_sensitivity_options_set_progress(efc_sensitivity_options *opts,
                                                        efc_progress_fn fn, void *user,
                                                        efc_error *err);

/**
 * Run an analysis of a finalized panel (which must outlive the result) with
 * `opts` (NULL: the defaults), made for the panel's model
 * (efc_panel_model()). On success stores the result in *out; free it with
 * efc_sensitivity_free(). The panel must have been scored by libefc with
 * its model: the runs re-aggregate the scores of the nodes below the
 * varying ones, and an actor whose score of the ranked node is not what its
 * children's scores give with the model's weights (scores imported or
 * rounded elsewhere) is refused.
 * Errors: EFC_ERR_ARGUMENT (NULL, options of another model, an input not
 * below the node ranked or below a node of weight 0, no input; N (d + 2)
 * of 2^32 runs or more with Sobol indices), EFC_ERR_VALUE (a period the
 * panel does not read, no actor ranked, Sobol indices asked with the
 * Dirichlet perturbation, more than 2^24 actors, a panel whose scores do
 * not aggregate as the model says, a run where no actor ranked nominally
 * keeps a score when Sobol indices are asked), EFC_ERR_STATE (panel not
 * finalized; cancelled by the progress callback), EFC_ERR_NOMEM
 * (everything is allocated before the runs). On failure *out is NULL.
 */
EFC_API efc_status efc_sensitivity_run(efc_sensitivity **out, const efc_panel *panel,
                                       const efc_sensitivity_options *opts,
                                       const efc_allocator *alloc, efc_error *err);

/** Free an analysis. NULL is allowed. */
EFC_API void efc_sensitivity_free(efc_sensitivity *s);

/*
 * The set-up the analysis ran with and its results. Actors are the panel's.
 */

/** The panel, and the node ranked. */
EFC_API const efc_panel *efc_sensitivity_panel(const efc_sensitivity *s);
EFC_API size_t efc_sensitivity_node(const efc_sensitivity *s);

/**
 * The inputs: their number d, and the node and kind of each (`input` <
 * d; otherwise EFC_NO_NODE and EFC_INPUT_WEIGHT).
 */
EFC_API size_t efc_sensitivity_input_count(const efc_sensitivity *s);
EFC_API size_t efc_sensitivity_input_node(const efc_sensitivity *s, size_t input);
EFC_API efc_input_kind efc_sensitivity_input_kind(const efc_sensitivity *s, size_t input);

/**
 * Alternative i of an aggregation input: its method and exponent (either
 * pointer may be NULL). Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_input_alternative(efc_aggregate *method, double *power,
                                                     const efc_sensitivity *s, size_t input,
                                                     size_t i, efc_error *err);

/** Number of alternatives of an aggregation input (0 for a weight). */
EFC_API size_t efc_sensitivity_input_alternative_count(const efc_sensitivity *s, size_t input);

/** The assessment ranked for an actor, EFC_NONE when it has none at the period. */
EFC_API size_t efc_sensitivity_assessment(const efc_sensitivity *s, size_t actor);

/** Actors ranked nominally. */
EFC_API size_t efc_sensitivity_ranked_count(const efc_sensitivity *s);

/** A metric of an actor (efc_sensitivity_metric); NaN when it has none. */
EFC_API double efc_sensitivity_value(const efc_sensitivity *s, size_t actor,
                                     efc_sensitivity_metric metric);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a metric of every actor a at
 * once, efc_sensitivity_value(s, a, metric) into out[a * stride], out
 * holding `capacity` doubles.
 * Errors: EFC_ERR_ARGUMENT (NULL, unknown metric, out too small for
 * efc_panel_actor_count() at that stride); on error nothing is
 * written.
 */
EFC_API efc_status efc_sensitivity_fill(double *out, size_t capacity, ptrdiff_t stride,
                                        const efc_sensitivity *s, efc_sensitivity_metric metric,
                                        efc_error *err);

/**
 * The runs: N without Sobol indices, N (d + 2) with them, in the order of
 * Saltelli's design: A (runs 0 .. N-1), B, then A_B^1 .. A_B^d.
 */
EFC_API size_t efc_sensitivity_run_count(const efc_sensitivity *s);

/**
 * The value of an input in a run: for a weight, the weight used (its share
 * among its siblings is this weight over the sum of theirs); for an
 * aggregation, the number of the alternative drawn. NaN when invalid.
 */
EFC_API double efc_sensitivity_run_input(const efc_sensitivity *s, size_t run, size_t input);

/** The output of a run: the mean absolute rank shift. NaN when invalid. */
EFC_API double efc_sensitivity_run_output(const efc_sensitivity *s, size_t run);

/**
 * An actor's rank in run `run` of matrix A (run < N); NaN when it is not ranked
 * there or the index is invalid.
 */
EFC_API double efc_sensitivity_run_rank(const efc_sensitivity *s, size_t run, size_t actor);

/**
 * Bulk reads of every run (docs/c-api.md, "Bulk reads"), out holding
 * `capacity` doubles (strides in elements):
 *  - _run_inputs: efc_sensitivity_run_input(s, j, i) into out[j *
 *    run_stride + i * input_stride] for every run j and input i
 *    (efc_sensitivity_run_count() x efc_sensitivity_input_count());
 *  - _run_outputs: efc_sensitivity_run_output(s, j) into out[j * stride];
 *  - _run_ranks: efc_sensitivity_run_rank(s, j, a) into out[j * run_stride
 *    + a * actor_stride] for the N runs of matrix A and every actor a
 *    (N x efc_panel_actor_count()).
 * Errors: EFC_ERR_ARGUMENT (NULL, out too small for the table at those
 * strides); on error nothing is written.
 */
EFC_API efc_status efc_sensitivity_fill_run_inputs(double *out, size_t capacity,
                                                   ptrdiff_t run_stride, ptrdiff_t input_stride,
                                                   const efc_sensitivity *s, efc_error *err);
EFC_API efc_status efc_sensitivity_fill_run_outputs(double *out, size_t capacity, ptrdiff_t stride,
                                                    const efc_sensitivity *s, efc_error *err);
EFC_API efc_status efc_sensitivity_fill_run_ranks(double *out, size_t capacity,
                                                  ptrdiff_t run_stride, ptrdiff_t actor_stride,
                                                  const efc_sensitivity *s, efc_error *err);

/**
 * A Sobol metric of an input; NaN without Sobol indices, for a bootstrap
 * percentile without bootstrap, or when the output does not vary.
 */
EFC_API double efc_sensitivity_sobol_value(const efc_sensitivity *s, size_t input,
                                           efc_sobol_metric metric);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a Sobol metric of every input
 * i at once, efc_sensitivity_sobol_value(s, i, metric) into out[i * stride], out
 * holding `capacity` doubles (NaN where efc_sensitivity_sobol_value() is).
 * Errors: EFC_ERR_ARGUMENT (NULL, unknown metric, out too small for
 * efc_sensitivity_input_count() at that stride); on error nothing is
 * written.
 */
EFC_API efc_status efc_sensitivity_fill_sobol(double *out, size_t capacity, ptrdiff_t stride,
                                              const efc_sensitivity *s, efc_sobol_metric metric,
                                              efc_error *err);

/** The variance of the output over the runs of A and B (NaN without Sobol indices). */
EFC_API double efc_sensitivity_variance(const efc_sensitivity *s);

/*
 * Parts (efc_sensitivity_options_set_runs()). A partial result of base runs
 * [first, first + count) holds count runs per block of Saltelli's design:
 * efc_sensitivity_run_count() is count (count (d + 2) with Sobol indices),
 * and its run r of block b (A, B, A_B^1 ...), that is run b count + r of
 * efc_sensitivity_run_input(), _run_output() and their bulk reads, is run
 * b N + first + r of the whole; efc_sensitivity_run_rank(s, r, a) and
 * _fill_run_ranks are the ranks of runs first + r of matrix A (r < count).
 * Its set-up (inputs, assessments, ranked count) is the whole's; of the
 * metrics efc_sensitivity_value() gives only the score and nominal rank
 * (NaN for the others), and Sobol values and the variance are NaN.
 */

/** 1 for a partial result, 0 otherwise (a whole one, a merge, NULL). */
EFC_API int efc_sensitivity_is_partial(const efc_sensitivity *s);

/**
 * The base runs a result holds, [*first, *first + *count): (0, N) for a
 * whole one. Either pointer may be NULL. Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_sensitivity_run_range(size_t *first, size_t *count, const efc_sensitivity *s,
                                             efc_error *err);

/**
 * A result rebuilt from the tables its bulk reads gave, for a part run in
 * another process (and sent back as arrays): efc_sensitivity_run(out,
 * panel, opts, alloc, err) but that the runs are not computed: run_inputs
 * (run count x d), run_outputs (run count) and run_ranks (count x
 * efc_panel_actor_count(), NaN where not ranked) are copied, contiguous
 * and row-major as efc_sensitivity_fill_run_inputs(), _outputs() and
 * _ranks() write them with their natural strides, for the range of `opts`
 * (the whole analysis when it has none: its statistics are then computed).
 * The set-up (inputs, nominal ranks) is taken again from the panel.
 * Errors: those of efc_sensitivity_run() (but cancellation, and the check
 * that the panel's scores aggregate as the model says, made by the runs), and
 * EFC_ERR_ARGUMENT (a NULL table), EFC_ERR_VALUE (a rank that is not a
 * whole number from 1 to the actors with an assessment, or given to an
 * actor without one).
 */
EFC_API efc_status efc_sensitivity_part_create(efc_sensitivity **out, const efc_panel *panel,
                                               const efc_sensitivity_options *opts,
                                               const double *run_inputs, const double *run_outputs,
                                               const double *run_ranks, const efc_allocator *alloc,
                                               efc_error *err);

/**
 * Merge `count` results of one analysis, each run on a part of its runs,
 * into the result of the whole (not partial), which is efc_sensitivity_run()'s with
 * the same options bit for bit: their runs copied into place, then the
 * statistics and Sobol indices (the bootstrap drawn from the seed, as a run
 * does) computed over all of them. The parts must share their panel (the
 * same object, which must outlive the result), node, period, inputs,
 * perturbation, samples, seed, top, Sobol and bootstrap settings (threads
 * and progress may differ); their ranges, in any order, must tile [0, N)
 * exactly. The parts are only read: free them when convenient. Free the
 * result with efc_sensitivity_free().
 * Errors: EFC_ERR_ARGUMENT (NULL, no part, parts of other analyses, a gap
 * or an overlap between their runs), EFC_ERR_VALUE (with Sobol indices, a
 * run where no actor ranked nominally keeps a score), EFC_ERR_NOMEM. On
 * failure *out is NULL.
 */
EFC_API efc_status efc_sensitivity_merge(efc_sensitivity **out, const efc_sensitivity *const *parts,
                                         size_t count, const efc_allocator *alloc, efc_error *err);

/**
 * Sobol indices from the outputs of any model evaluated on Saltelli's
 * design: y holds n (d + 2) outputs, f(A) (n values), f(B), then f(A_B^i)
 * for i = 1 .. d, where A and B are n x d matrices of independent inputs
 * and A_B^i is A with its column i taken from B (COINr's SA_sample order).
 * Writes d rows of EFC_SOBOL_METRIC_COUNT values into indices (in
 * efc_sobol_metric order), which holds `capacity` doubles, and the
 * variance of f(A) and f(B) together into *variance (may be NULL). With
 * bootstrap > 0 the percentiles come from as many resamples of the n rows,
 * drawn from `seed`; otherwise they are NaN. Indices are NaN when the
 * variance is 0. `alloc` (NULL: the C library's) holds the bootstrap draws
 * while they are sorted.
 * Errors: EFC_ERR_ARGUMENT (NULL, n < 2, d = 0, capacity below
 * d x EFC_SOBOL_METRIC_COUNT, an overflowing size),
 * EFC_ERR_VALUE (an output that is not finite), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_sobol_estimate(double *indices, size_t capacity, double *variance,
                                      const double *y, size_t n, size_t d, size_t bootstrap,
                                      uint64_t seed, const efc_allocator *alloc, efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_SENSITIVITY_H */
