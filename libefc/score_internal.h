/* Scoring one row, shared by the batch and single-result entry points. */
#ifndef EFC_SCORE_INTERNAL_H
#define EFC_SCORE_INTERNAL_H

#include <stddef.h>

#include "efc/model.h"
#include "model_internal.h"

/* Score the row v (leaf j at v[j * ls]) into s (node k at s[k * ns]) and,
 * when c is not NULL, the coverages into c. flags (may be NULL) receives a
 * clamped flag per leaf; *clamped is increased by the number clamped.
 * `row` is the row number for error messages. */
efc_status efc__score_row(const efc_model *m, const double *v, ptrdiff_t ls, double *s, double *c,
                          ptrdiff_t ns, unsigned char *flags, size_t *clamped, size_t row,
                          efc_error *err);

/* Fill pl->small and pl->small_clamped from its goalposts. */
void efc__plan_leaf_table(efc__plan_leaf *pl);

#endif
