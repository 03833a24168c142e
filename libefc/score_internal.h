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
    /* a ratio may exceed any bound: keys saturate rather than overflow */
    if (!(fabs(k) < 9e18))
        return k < 0 ? -(int64_t)9000000000000000000 : (int64_t)9000000000000000000;
    return (int64_t)(k < 0 ? -(long long)(-k + 0.5) : (long long)(k + 0.5));
}

/* The decimals of efc__score_key. */
#define EFC__SCORE_DECIMALS 12

/* A key of efc__score_key rounded half away from zero to `decimals`
 * (0 .. 12): the score as printed, then rounded as a decimal, in units of
 * 10^-decimals. Exact in integers, so 0.7245 (printed 0.724500000000)
 * gives 725 at 3 decimals, where 0.7245 * 1000 in doubles is below 724.5. */
static inline int64_t efc__key_round(int64_t key, int decimals)
{
    int64_t unit = 1;
    for (int i = decimals; i < EFC__SCORE_DECIMALS; i++)
        unit *= 10;
    int64_t q = (key < 0 ? -key : key) / unit, rest = (key < 0 ? -key : key) % unit;
    if (unit > 1 && 2 * rest >= unit)
        q++;
    return key < 0 ? -q : q;
}

/* The score of value x (valid: finite, > pl->domain) on leaf pl's goalposts. */
double efc__leaf_goalposts(const efc__plan_leaf *pl, double x);

/* Fill pl->small and pl->small_clamped from its goalposts. */
void efc__plan_leaf_table(efc__plan_leaf *pl);

#endif
