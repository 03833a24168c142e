/* The panel's insides, shared by the files that read it (trajectory.c,
 * comparison.c, ranking.c). */
#ifndef EFC_PANEL_INTERNAL_H
#define EFC_PANEL_INTERNAL_H

#include <stdint.h>

#include "efc/panel.h"
#include "efc/trajectory.h"
#include "score_internal.h"
#include "strmap.h"
#include "survey_internal.h"

typedef struct efc__panel_period {
    char *text;   /* canonical */
    double value; /* the number, or days since 1970-01-01 */
} efc__panel_period;

/* efc trajectory's tolerance, the options' default (efc/trajectory.h) */
#define EFC__DEFAULT_TOLERANCE 0.01

struct efc_trajectory_options {
    efc_allocator alloc;
    double tolerance;
};

/* The start of every options object created for a model. */
typedef struct efc__model_options {
    efc_allocator alloc;
    const efc_model *model;
    size_t node;
} efc__model_options;

struct efc_comparison_options {
    efc__model_options base; /* base.node: a group */
};

struct efc_ranking_options {
    efc__model_options base;
    char *period; /* NULL: each actor's latest assessment */
    int decimals; /* -1: none (ties at the 12 printed decimals); else 0 .. 12 */
};

/* Why a period given by name cannot be one in any panel (NULL if it can):
 * read as the canonical forms and the spellings surveys may use. */
const char *efc__period_text_check(const char *text);

/* Set an option's period: checked, copied into *slot (NULL: latest). */
efc_status efc__period_option(char **slot, const efc_allocator *alloc, const char *period,
                              efc_error *err);

/* efc_ranking_create() on a node, a period (NULL: latest) and a number of
 * decimals (-1: none), for the analyses that rank as it does
 * (sensitivity.c). */
efc_status efc__ranking_create(efc_ranking **out, const efc_panel *p, size_t node,
                               const char *period, int decimals, const efc_allocator *alloc,
                               efc_error *err);

/* Options of another model than the panel's: refused by every analysis. */
efc_status efc__options_model_check(const efc_panel *p, const efc_model *options_model,
                                    efc_error *err);

struct efc_panel {
    efc_allocator alloc;
    const efc_model *model;
    size_t nodes;
    char *source; /* for messages; "" when unnamed */
    efc_period_kind kind;
    /* how periods given as text may also be written (a survey's options);
     * the canonical forms are always accepted */
    efc_date_format date_format;
    char decimal;
    char **group_names;
    size_t ngroups;
    /* interned strings, each allocated once: keys of the maps */
    efc__strmap actor_map, period_map, value_map;
    char **actors; /* by actor index (sorted by id once finalized) */
    size_t nactors, actors_cap;
    efc__panel_period *periods;
    size_t nperiods, periods_cap;
    char **values; /* grouping values; index 0 is "" */
    size_t nvalues, values_cap;
    /* assessments: as added, then sorted by actor and period */
    size_t nrows, rows_cap;
    size_t *row_actor, *row_period, *row_line;
    size_t *row_groups; /* nrows x ngroups value indices */
    double *scores;     /* nrows x nodes */
    /* once finalized: actor a's rows are first[a] .. first[a] + count[a] - 1 */
    size_t *first, *count;
    int finalized, broken;
};

/* Row index of assessment i of actor a (no checks). */
static inline size_t efc__panel_row(const efc_panel *p, size_t a, size_t i)
{
    return p->first[a] + i;
}

/* Score of node k in row r. */
static inline double efc__panel_score(const efc_panel *p, size_t r, size_t k)
{
    return p->scores[r * p->nodes + k];
}

/* The period value of a row (a number, or days), and how many of those
 * make the unit of slopes and areas (365.2425 days for dates, else 1).
 * Times are used as they are, exact, and scaled at the end. */
double efc__panel_time(const efc_panel *p, size_t row);
double efc__panel_time_unit(const efc_panel *p);

/* One actor's trajectory on one node (efc_trajectory_metric). */
typedef struct efc__trajectory {
    size_t n;
    size_t first_index, last_index; /* assessments; EFC_NONE when n = 0 */
    double first, last, change, slope, steadiness;
    double first_period, last_period; /* period values */
} efc__trajectory;

void efc__trajectory_summarize(const efc_panel *p, size_t actor, size_t node, efc__trajectory *t);

/* Parse a period as efc_panel_add() does: NULL on success, else the reason. */
const char *efc__panel_parse_period(const efc_panel *p, const char *text, efc__period *out);

#endif
