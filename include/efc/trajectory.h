/*
 * libefc — reading a finalized panel (efc/panel.h): each actor's trajectory
 * node by node with its impact transfers, two actors compared, and actors
 * ranked among all and among their peers.
 *
 * Missing scores are skipped, never taken as 0: a node's trajectory is made
 * of the assessments where it has a score.
 *
 * Decisions are made on scores rounded to 12 decimals, as efc score prints
 * them: whether a step rises, falls or stays (transfers, steadiness,
 * dominance), whether two scores tie (ranks) and, in efc/score.h, whether
 * a score meets its threshold (efc_model_pass). So they can be checked
 * from the printed scores, and rounding noise in the last bits (two
 * geometric means of equal value computed from different children) never
 * decides. Values (changes, slopes, gaps, areas) are computed from the
 * unrounded scores. Formulas: docs/trajectories.md.
 *
 * The result objects refer to their panel, which must outlive them; they
 * are never changed after creation and may be read from many threads.
 */
#ifndef EFC_TRAJECTORY_H
#define EFC_TRAJECTORY_H

/* The experimental tier (docs/c-api.md, "Tiers"): may change between minor
 * releases until promoted; versioned EFC_EXPERIMENTAL_<major>.<minor>. */
#ifndef EFC_EXPERIMENTAL
#error                                                                                             \
    "efc/trajectory.h is in libefc's experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h (docs/c-api.md, Tiers)"
#endif

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "panel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Trajectories                                                        */
/* ------------------------------------------------------------------ */

/** Every actor's trajectory on every node of the model. */
typedef struct efc_trajectories efc_trajectories;

/** What efc_trajectories_value() returns for an actor and a node. */
typedef enum efc_trajectory_metric {
    EFC_TRAJECTORY_N = 0,            /**< assessments where the node has a score */
    EFC_TRAJECTORY_FIRST = 1,        /**< the first of those scores */
    EFC_TRAJECTORY_LAST = 2,         /**< the last */
    EFC_TRAJECTORY_CHANGE = 3,       /**< last - first (0 when n = 1) */
    EFC_TRAJECTORY_SLOPE = 4,        /**< least-squares slope per period unit (per year for
                                    dates); NaN when n < 2 or when the periods are so far
                                    apart (or so close) that it overflows */
    EFC_TRAJECTORY_STEADINESS = 5,   /**< share of the n - 1 steps that go the way of the change
                                    (up, down, or level when there is none); NaN when n < 2 */
    EFC_TRAJECTORY_TRANSFERS = 6,    /**< impact transfers: steps where the node fell by more
                                    than the tolerance while its parent rose; 0 for the root */
    EFC_TRAJECTORY_FIRST_PERIOD = 7, /**< period value of the first score */
    EFC_TRAJECTORY_LAST_PERIOD = 8   /**< period value of the last score */
} efc_trajectory_metric;

/** How trajectories are computed (docs/c-api.md, "Options"). */
typedef struct efc_trajectory_options efc_trajectory_options;

/**
 * Create trajectory options with the defaults (tolerance 0.01). Free them
 * with efc_trajectory_options_free(). Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_trajectory_options_create(efc_trajectory_options **out,
                                                 const efc_allocator *alloc, efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_trajectory_options_free(efc_trajectory_options *opts);

/**
 * How much a node must fall, strictly more, for a step to count as a
 * transfer: >= 0 and finite, on the [0, 1] scale of scores (default 0.01).
 * Errors: EFC_ERR_ARGUMENT.
 */
EFC_API efc_status efc_trajectory_options_set_tolerance(efc_trajectory_options *opts,
                                                        double tolerance, efc_error *err);

/**
 * Compute the trajectories of a finalized panel with `opts` (NULL: the
 * defaults). A step of a node joins two consecutive assessments where the
 * node and its parent both have a score; it is a transfer when the node
 * falls by more than the tolerance and the parent rises. Free the result
 * with efc_trajectories_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (panel not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_trajectories_create(efc_trajectories **out, const efc_panel *panel,
                                           const efc_trajectory_options *opts,
                                           const efc_allocator *alloc, efc_error *err);

/** Free trajectories. NULL is allowed. */
EFC_API void efc_trajectories_free(efc_trajectories *trajectories);

/** The panel and the tolerance they were computed with. */
EFC_API const efc_panel *efc_trajectories_panel(const efc_trajectories *trajectories);
EFC_API double efc_trajectories_tolerance(const efc_trajectories *trajectories);

/** A metric of an actor's trajectory on a node (NaN for an invalid index). */
EFC_API double efc_trajectories_value(const efc_trajectories *trajectories, size_t actor,
                                      size_t node, efc_trajectory_metric metric);

/**
 * The assessments (indices for efc_panel_period() and the like) of the
 * first and last scores of an actor on a node; EFC_NONE when n = 0.
 */
EFC_API size_t efc_trajectories_first(const efc_trajectories *trajectories, size_t actor,
                                      size_t node);
EFC_API size_t efc_trajectories_last(const efc_trajectories *trajectories, size_t actor,
                                     size_t node);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a metric for every actor a
 * and node k at once, efc_trajectories_value(trajectories, a, k, metric)
 * into out[a * actor_stride + k * node_stride] (strides in elements, as in
 * efc_model_score_batch()), out holding `capacity` doubles.
 * Errors: EFC_ERR_ARGUMENT (NULL, unknown metric, out too small for
 * efc_panel_actor_count() x efc_model_node_count() at those strides:
 * nothing is written).
 */
EFC_API efc_status efc_trajectories_fill(double *out, size_t capacity, ptrdiff_t actor_stride,
                                         ptrdiff_t node_stride,
                                         const efc_trajectories *trajectories,
                                         efc_trajectory_metric metric, efc_error *err);

/** Number of transfer steps over all actors and nodes. */
EFC_API size_t efc_trajectories_transfer_count(const efc_trajectories *trajectories);

/**
 * Transfer step number i (by actor, then node in model order, then
 * period): the actor, the node (its parent is efc_model_node_parent()) and
 * the assessments the step goes from and to. Any output pointer may be NULL.
 * Errors: EFC_ERR_ARGUMENT (invalid index).
 */
EFC_API efc_status efc_trajectories_transfer(size_t *actor, size_t *node, size_t *from, size_t *to,
                                             const efc_trajectories *trajectories, size_t i,
                                             efc_error *err);

/* ------------------------------------------------------------------ */
/* Comparing two actors                                                */
/* ------------------------------------------------------------------ */

/** Two actors' trajectories compared node by node. */
typedef struct efc_comparison efc_comparison;

/** What efc_comparison_value() returns for a node. */
typedef enum efc_comparison_metric {
    EFC_COMPARISON_CHANGE_A = 0,       /**< actor A's change (last - first) */
    EFC_COMPARISON_CHANGE_B = 1,       /**< actor B's change */
    EFC_COMPARISON_DIFFERENCE = 2,     /**< change A - change B */
    EFC_COMPARISON_COMMON_PERIODS = 3, /**< periods where both have a score */
    EFC_COMPARISON_MEAN_GAP = 4,       /**< mean |A - B| over those periods; NaN when none */
    EFC_COMPARISON_SPAN = 5,           /**< length of the common span, from the later first
                                     score to the earlier last one, in period units (years
                                     for dates); NaN when the spans do not meet or when
                                     it exceeds a double (periods from -1.7e308 to
                                     1.7e308) */
    EFC_COMPARISON_AREA = 6            /**< area between the two curves (scores joined by straight
                                     lines) over the common span, in score x period units;
                                     NaN when the span is */
} efc_comparison_metric;

/** Who progressed more over the children of a node. */
typedef enum efc_dominance {
    EFC_DOMINANCE_NEITHER = 0, /**< each progressed more on some child */
    EFC_DOMINANCE_A = 1,       /**< A at least as much on every child, more on one */
    EFC_DOMINANCE_B = 2,       /**< B at least as much on every child, more on one */
    EFC_DOMINANCE_EQUAL = 3,   /**< the same change on every child */
    EFC_DOMINANCE_UNKNOWN = 4  /**< a change is missing (no score) for one of them */
} efc_dominance;

/** How two actors are compared (docs/c-api.md, "Options"). */
typedef struct efc_comparison_options efc_comparison_options;

/**
 * Create comparison options for panels of `model` (finalized; it must
 * outlive them), with the defaults: dominance judged over the children of
 * the root. Free them with efc_comparison_options_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_comparison_options_create(efc_comparison_options **out,
                                                 const efc_model *model, const efc_allocator *alloc,
                                                 efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_comparison_options_free(efc_comparison_options *opts);

/**
 * The group over whose children dominance is judged (EFC_NO_NODE: the root).
 * Errors: EFC_ERR_ARGUMENT (no such node, a leaf).
 */
EFC_API efc_status efc_comparison_options_set_node(efc_comparison_options *opts, size_t node,
                                                   efc_error *err);

/**
 * Compare actors a and b of a finalized panel with `opts` (NULL: the
 * defaults), made for the panel's model.
 * Errors: EFC_ERR_ARGUMENT (invalid actor, options of another model),
 * EFC_ERR_STATE (panel not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_comparison_create(efc_comparison **out, const efc_panel *panel,
                                         size_t actor_a, size_t actor_b,
                                         const efc_comparison_options *opts,
                                         const efc_allocator *alloc, efc_error *err);

/** Free a comparison. NULL is allowed. */
EFC_API void efc_comparison_free(efc_comparison *comparison);

/** A metric of the comparison on a node (NaN for an invalid index). */
EFC_API double efc_comparison_value(const efc_comparison *comparison, size_t node,
                                    efc_comparison_metric metric);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a metric for every node k at
 * once, efc_comparison_value(comparison, k, metric) into out[k * stride],
 * out holding `capacity` doubles.
 * Errors: EFC_ERR_ARGUMENT (NULL, unknown metric, out too small for
 * efc_model_node_count() at that stride: nothing is written).
 */
EFC_API efc_status efc_comparison_fill(double *out, size_t capacity, ptrdiff_t stride,
                                       const efc_comparison *comparison,
                                       efc_comparison_metric metric, efc_error *err);

/** The dominance, and the node whose children it is judged over. */
EFC_API efc_dominance efc_comparison_dominance(const efc_comparison *comparison);
EFC_API size_t efc_comparison_node(const efc_comparison *comparison);

/* ------------------------------------------------------------------ */
/* Ranks among peers                                                   */
/* ------------------------------------------------------------------ */

/** Actors ranked on one node at one period, overall and within groups. */
typedef struct efc_ranking efc_ranking;

/** What efc_ranking_value() returns for an actor. */
typedef enum efc_rank_metric {
    EFC_RANK_SCORE = 0,             /**< the score ranked (rounded with decimals); NaN when
                                         the actor has none */
    EFC_RANK_RANK = 1,              /**< competition rank, best first (1, 2, 2, 4) */
    EFC_RANK_PERCENTILE = 2,        /**< 100 x (peers below + 1/2 x peers tied, self
                                         included) / peers ranked */
    EFC_RANK_CHANGE = 3,            /**< score - the actor's first score on the node before
                                         it; NaN when there is none */
    EFC_RANK_CHANGE_RANK = 4,       /**< rank of the change, largest first */
    EFC_RANK_CHANGE_PERCENTILE = 5, /**< percentile of the change */
    EFC_RANK_PEERS = 6,             /**< actors ranked on the score in the comparison set */
    EFC_RANK_CHANGE_PEERS = 7       /**< actors ranked on the change */
} efc_rank_metric;

/** Statistics of a group's scores (efc_ranking_group_value()). */
typedef enum efc_group_metric {
    EFC_GROUP_COUNT = 0,  /**< actors with a score */
    EFC_GROUP_MIN = 1,    /**< smallest score */
    EFC_GROUP_Q1 = 2,     /**< first quartile */
    EFC_GROUP_MEDIAN = 3, /**< median */
    EFC_GROUP_Q3 = 4,     /**< third quartile */
    EFC_GROUP_MAX = 5,    /**< largest score */
    EFC_GROUP_MEAN = 6    /**< mean */
} efc_group_metric;

/** What is ranked and when (docs/c-api.md, "Options"). */
typedef struct efc_ranking_options efc_ranking_options;

/**
 * Create ranking options for panels of `model` (finalized; it must outlive
 * them), with the defaults: the root ranked at each actor's latest
 * assessment. Free them with efc_ranking_options_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_ranking_options_create(efc_ranking_options **out, const efc_model *model,
                                              const efc_allocator *alloc, efc_error *err);

/** Free options. NULL is allowed. */
EFC_API void efc_ranking_options_free(efc_ranking_options *opts);

/** The node ranked (EFC_NO_NODE: the root). Errors: EFC_ERR_ARGUMENT (no such node). */
EFC_API efc_status efc_ranking_options_set_node(efc_ranking_options *opts, size_t node,
                                                efc_error *err);

/**
 * The period ranked: NULL (the default) takes each actor's own latest
 * assessment; otherwise a period as a survey writes it (a number, an ISO
 * or dd/mm/yyyy date, a decimal comma), copied. A text that is a period in
 * none of these ways is refused here; the ranking reads it as its panel
 * reads periods (efc_panel_add()).
 * Errors: EFC_ERR_VALUE (not a period), EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_ranking_options_set_period(efc_ranking_options *opts, const char *period,
                                                  efc_error *err);

/**
 * Rank scores rounded to `decimals` (0 to 12), as published tables print
 * them, or -1 (the default): no rounding, scores that print the same at
 * the 12 decimals of efc score tie. The rounding is half away from zero,
 * of the score as printed with 12 decimals (so a score printed
 * 0.724500000000 gives 0.725 at 3 decimals, whatever the binary double
 * below it); the scores are then ranked with ties (1, 2, 2, 4), and
 * EFC_RANK_SCORE gives the rounded score, EFC_RANK_CHANGE the change of the
 * rounded scores. Group statistics are of the scores as they are.
 * Errors: EFC_ERR_ARGUMENT (decimals below -1 or above 12).
 */
EFC_API efc_status efc_ranking_options_set_decimals(efc_ranking_options *opts, int decimals,
                                                    efc_error *err);

/**
 * Rank the actors of a finalized panel with `opts` (NULL: the defaults),
 * made for the panel's model: an actor without an assessment at the
 * period, or without a score there, is not ranked. Ranks are computed over
 * all actors and within each grouping column, among the actors with the
 * same value there (an actor whose value is "" is in no group of that
 * column).
 * Errors: EFC_ERR_ARGUMENT (options of another model), EFC_ERR_VALUE (a
 * period the panel does not read, or of the other kind), EFC_ERR_STATE
 * (panel not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_ranking_create(efc_ranking **out, const efc_panel *panel,
                                      const efc_ranking_options *opts, const efc_allocator *alloc,
                                      efc_error *err);

/** Free a ranking. NULL is allowed. */
EFC_API void efc_ranking_free(efc_ranking *ranking);

/** The node ranked. */
EFC_API size_t efc_ranking_node(const efc_ranking *ranking);

/** The assessment ranked for an actor, EFC_NONE when it has none at the period. */
EFC_API size_t efc_ranking_assessment(const efc_ranking *ranking, size_t actor);

/**
 * A metric of an actor among all actors (group_column EFC_NONE) or among
 * its peers of grouping column `group_column`; NaN when it is not ranked
 * there.
 */
EFC_API double efc_ranking_value(const efc_ranking *ranking, size_t actor, size_t group_column,
                                 efc_rank_metric metric);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a metric of every actor a at
 * once, efc_ranking_value(ranking, a, group_column, metric) into
 * out[a * stride], out holding `capacity` doubles; NaN where an actor is
 * not ranked.
 * Errors: EFC_ERR_ARGUMENT (NULL, invalid grouping column, unknown metric,
 * out too small for efc_panel_actor_count() at that stride: nothing is
 * written).
 */
EFC_API efc_status efc_ranking_fill(double *out, size_t capacity, ptrdiff_t stride,
                                    const efc_ranking *ranking, size_t group_column,
                                    efc_rank_metric metric, efc_error *err);

/**
 * The groups of `group_column`: their number, the value of `group`
 * (sorted by byte order), and the group of an actor (EFC_NONE when it has
 * no assessment at the period or its value is ""). For group_column
 * EFC_NONE there is one group, "", holding every actor.
 */
EFC_API size_t efc_ranking_group_count(const efc_ranking *ranking, size_t group_column);
EFC_API const char *efc_ranking_group_name(const efc_ranking *ranking, size_t group_column,
                                           size_t group);
EFC_API size_t efc_ranking_actor_group(const efc_ranking *ranking, size_t actor,
                                       size_t group_column);

/**
 * A statistic of the scores of `node` (any node, not only the one ranked)
 * at the assessments ranked, over the actors of a group: what a report
 * draws beside each actor. Quartiles and median interpolate between order
 * statistics (R's default, type 7). NaN when the group has no score
 * (EFC_GROUP_COUNT is then 0).
 */
EFC_API double efc_ranking_group_value(const efc_ranking *ranking, size_t group_column,
                                       size_t group, size_t node, efc_group_metric stat);

/**
 * A bulk read (docs/c-api.md, "Bulk reads"): a statistic of every group j
 * of grouping column g (EFC_NONE: the one group of all actors) and every
 * node k at once, efc_ranking_group_value(ranking, group_column, j, k,
 * stat) into out[j * group_stride + k * node_stride], out holding
 * `capacity` doubles.
 * Errors: EFC_ERR_ARGUMENT (NULL, invalid grouping column, unknown
 * statistic, out too small for efc_ranking_group_count() x
 * efc_model_node_count() at those strides: nothing is written).
 */
EFC_API efc_status efc_ranking_fill_groups(double *out, size_t capacity, ptrdiff_t group_stride,
                                           ptrdiff_t node_stride, const efc_ranking *ranking,
                                           size_t group_column, efc_group_metric stat,
                                           efc_error *err);

#ifdef __cplusplus
}
#endif

#endif /* EFC_TRAJECTORY_H */
