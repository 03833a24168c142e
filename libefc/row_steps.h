/* Row-local steps (a fitted model's, efc/index.h): planned by finalize,
 * applied to one row's values when rows are scored one at a time. */
#ifndef EFC_ROW_STEPS_H
#define EFC_ROW_STEPS_H

#include <stddef.h>

#include "efc/error.h"
#include "model_internal.h"

/* 1 when the steps read the unit's own row only: a denominator,
 * value:V, group_value, log, clamp, shiftlog, boxcox:λ, goalposts or a
 * fitted normalisation. */
int efc__steps_row_local(const struct efc__steps *s);

/* Plan the leaves' row-local steps and the aux columns (finalize, after
 * the leaves are planned). Errors: EFC_ERR_NOMEM. */
efc_status efc__plan_row_steps(efc_model *m, efc_error *err);
/* Free the plan (unfinalize). */
void efc__free_row_steps(efc_model *m);

/* The code of group text s[0 .. n) in aux column a (NaN: not a key). */
double efc__aux_code(const efc__aux *a, const char *s, size_t n);

/* Leaf j's value x through its steps, with the row's aux values (aux[k]
 * for column k). On failure returns the status, sets *reason and writes
 * the reason into msg (cap bytes), naming neither the row nor the leaf. */
efc_status efc__row_steps_leaf(const efc_model *m, size_t j, double x, const double *aux,
                               double *out, efc_reason *reason, char *msg, size_t cap);

/* The groups of a model with row-local steps, unclamped as the pipeline
 * aggregates them, over node scores s (stride ns) and coverages c (may
 * be NULL). A child < 0 of a group that needs values >= 0 fails: the
 * group is *bad_group, the message in msg. */
efc_status efc__row_steps_groups(const efc_model *m, double *s, double *c, ptrdiff_t ns,
                                 size_t *bad_group, char *msg, size_t cap);

/* EFC_ERR_MODEL (reason EFC_REASON_NEEDS_INDEX) when a leaf reads a column
 * besides its own: scoring matrices of leaves cannot give it. */
efc_status efc__refuse_aux_model(const efc_model *m, efc_error *err);

#endif
