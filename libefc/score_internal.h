/* Scoring one row, shared by the batch and single-result entry points. */
#ifndef EFC_SCORE_INTERNAL_H
#define EFC_SCORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "efc/model.h"
#include "model_internal.h"

/* Score the row v (leaf j at v[j * ls]) into s (node k at s[k * ns]) and,
 * when c is not NULL, the coverages into c. flags (may be NULL) receives a
 * clamped flag per leaf; *clamped is increased by the number clamped.
 * `row` is the row number for error messages. */
efc_status efc__score_row(const efc_model *m, const double *v, ptrdiff_t ls, double *s, double *c,
                          ptrdiff_t ns, unsigned char *flags, size_t *clamped, size_t row,
                          efc_error *err);

/* A score rounded to 12 decimals, as printed, as an integer: what decides
 * rises, falls and ties (efc/trajectory.h) and whether a threshold is met
 * (efc/score.h). For x within [-2, 2] (scores, changes and thresholds are
 * within [-1, 1]) the key is exact. */
static inline int64_t efc__score_key(double x)
{
    double k = x * 1e12;
    return (int64_t)(k < 0 ? -(long long)(-k + 0.5) : (long long)(k + 0.5));
}

/* Fill pl->small and pl->small_clamped from its goalposts. */
void efc__plan_leaf_table(efc__plan_leaf *pl);

#endif
