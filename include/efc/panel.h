/*
 * libefc — panels: the scored assessments of many actors over periods.
 *
 * A panel holds, for every assessment, the actor's id, its period, its
 * grouping values (sector, size, functional sphere...) and the score of
 * every node of the model. It is filled from survey batches
 * (efc_panel_add_batch) or row by row (efc_panel_add), in any order, then
 * finalized: actors are sorted by id (byte order), each actor's
 * assessments by period, and two assessments of one actor for one period
 * are refused. A finalized panel is what trajectories, comparisons and
 * ranks read (efc/trajectory.h); it is never changed by them, so, like a
 * finalized model, it may be read from many threads at once.
 *
 * Periods are numbers (years, survey waves) or calendar dates, one kind per
 * panel, as the survey reader parses them (efc/survey.h). Every assessment
 * has one: an empty period is an error here. A period's value is the number
 * itself, or the days since 1970-01-01 for a date; slopes are then per year
 * (days / 365.2425).
 *
 * Indices: actor a in [0, efc_panel_actor_count), assessment i of actor a
 * in [0, efc_panel_assessment_count(a)) in period order, node k a node of
 * the model. Accessors return NULL, NaN, 0 or EFC_NONE for an invalid
 * index or an unfinalized panel, and never crash.
 */
#ifndef EFC_PANEL_H
#define EFC_PANEL_H

/* The experimental tier (docs/c-api.md, "Tiers"): may change between minor
 * releases until promoted; versioned EFC_EXPERIMENTAL_<major>.<minor>. */
#ifndef EFC_EXPERIMENTAL
#error                                                                                             \
    "efc/panel.h is in libefc's experimental tier: define EFC_EXPERIMENTAL before including efc/efc.h (docs/c-api.md, Tiers)"
#endif

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "model.h"
#include "survey.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The scored assessments of many actors over periods. */
typedef struct efc_panel efc_panel;

/**
 * Create an empty panel for the scores of a finalized model, which must
 * outlive the panel. Free it with efc_panel_free().
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (model not finalized), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_panel_create(efc_panel **out, const efc_model *model,
                                    const efc_allocator *alloc, efc_error *err);

/**
 * Create an empty panel for the rows of a survey: its model, its grouping
 * columns (same names, same order) and its name for messages. The model
 * must outlive the panel; the survey need not.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_panel_create_for_survey(efc_panel **out, const efc_survey *survey,
                                               const efc_allocator *alloc, efc_error *err);

/** Free a panel. NULL is allowed. */
EFC_API void efc_panel_free(efc_panel *panel);

/**
 * Name the source of the rows, for messages ("survey.csv:12: ..."); the
 * text is copied. efc_panel_create_for_survey() sets the survey's name.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_panel_set_source(efc_panel *panel, const char *name, efc_error *err);

/**
 * Add a grouping column (copied), before any assessment is added.
 * Errors: EFC_ERR_ARGUMENT (empty or duplicate name), EFC_ERR_STATE (rows
 * already added), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_panel_add_group_column(efc_panel *panel, const char *name, efc_error *err);

/**
 * Add one assessment; everything is copied.
 *  - actor: the actor's id, not empty;
 *  - period: a number ("2024", "2024.5") or an ISO date ("2024-03-31"),
 *    of the same kind as the panel's earlier periods;
 *  - groups: one value per grouping column (NULL when there is none; a
 *    NULL value is ""); "" means the actor is in no group of that column;
 *  - scores: efc_model_node_count() scores indexed by node (a row of
 *    efc_batch_scores(), or efc_result_scores()), each in [0, 1] or NaN;
 *  - line: where the assessment comes from, for messages (0 when none).
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (finalized), EFC_ERR_VALUE (empty
 * actor, empty or invalid period, a period of the other kind, a score
 * outside [0, 1]; located at `line`), EFC_ERR_NOMEM.
 */
EFC_API efc_status efc_panel_add(efc_panel *panel, const char *actor, const char *period,
                                 const char *const *groups, const double *scores, size_t line,
                                 efc_error *err);

/**
 * Add every row of a batch read from a survey of the panel's model, with
 * as many grouping columns as the panel; rejected rows are not added. A row
 * without a period fails with EFC_ERR_VALUE naming its line; the rows
 * before it are added.
 * Errors: as efc_panel_add(), and EFC_ERR_ARGUMENT when the batch's survey
 * has another model or another number of grouping columns.
 */
EFC_API efc_status efc_panel_add_batch(efc_panel *panel, const efc_batch *batch, efc_error *err);

/**
 * Sort the panel and make it readable. Two assessments of one actor for one
 * period fail with EFC_ERR_VALUE and EFC_REASON_DUPLICATE_ASSESSMENT,
 * naming the actor, the period and both lines (efc_error_line the second,
 * efc_error_other_line the first; scored rows of several respondents are combined with
 * efc_survey_options_set_combine()). A panel may be empty.
 * Errors: EFC_ERR_ARGUMENT, EFC_ERR_STATE (already finalized), EFC_ERR_VALUE,
 * EFC_ERR_NOMEM. After a failure the panel can only be freed.
 */
EFC_API efc_status efc_panel_finalize(efc_panel *panel, efc_error *err);

/** Whether efc_panel_finalize() succeeded. */
EFC_API int efc_panel_is_finalized(const efc_panel *panel);

/** The panel's model. */
EFC_API const efc_model *efc_panel_model(const efc_panel *panel);

/** The kind of the panel's periods (EFC_PERIOD_NONE while it is empty). */
EFC_API efc_period_kind efc_panel_period_kind(const efc_panel *panel);

/** Number of grouping columns, and the name of column g. */
EFC_API size_t efc_panel_group_column_count(const efc_panel *panel);
EFC_API const char *efc_panel_group_column(const efc_panel *panel, size_t g);

/** Number of assessments in all (also before finalizing). */
EFC_API size_t efc_panel_size(const efc_panel *panel);

/** Number of actors, the id of actor a, the actor with an id (or EFC_NONE). */
EFC_API size_t efc_panel_actor_count(const efc_panel *panel);
EFC_API const char *efc_panel_actor(const efc_panel *panel, size_t actor);
EFC_API size_t efc_panel_find_actor(const efc_panel *panel, const char *id);

/** Number of assessments of an actor. */
EFC_API size_t efc_panel_assessment_count(const efc_panel *panel, size_t actor);

/**
 * Assessment i of an actor (in period order): its period in canonical text
 * ("2024", "2024-03-31"), its period value (a number, or days since
 * 1970-01-01), its value of grouping column g, its source line (0 when
 * none) and the score of node k (NaN when missing).
 */
EFC_API const char *efc_panel_period(const efc_panel *panel, size_t actor, size_t i);
EFC_API double efc_panel_period_value(const efc_panel *panel, size_t actor, size_t i);
EFC_API const char *efc_panel_group(const efc_panel *panel, size_t actor, size_t i, size_t g);
EFC_API size_t efc_panel_line(const efc_panel *panel, size_t actor, size_t i);
EFC_API double efc_panel_score(const efc_panel *panel, size_t actor, size_t i, size_t node);

/**
 * The assessment of an actor for a period written as text (parsed as in
 * efc_panel_add()), or EFC_NONE when it has none.
 */
EFC_API size_t efc_panel_find_period(const efc_panel *panel, size_t actor, const char *period);

#ifdef __cplusplus
}
#endif

#endif /* EFC_PANEL_H */
