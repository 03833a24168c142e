/* Counts of the distinct values of one item, for exact quartiles and level
 * counts: survey answers take few values, so a small open-addressing table
 * holds them whatever the number of rows. */
#ifndef EFC_VALUE_COUNTS_H
#define EFC_VALUE_COUNTS_H

#include <stddef.h>

#include "efc/common.h"

typedef struct efc__value_counts {
    double *values; /* slots; a slot is used when its count is not 0 */
    size_t *counts;
    size_t cap;  /* a power of two, or 0 */
    size_t used; /* distinct values */
} efc__value_counts;

/* Count one more answer x (finite; -0 counts as 0). Returns 0 when out of
 * memory, the count unchanged. */
int efc__value_counts_add(efc__value_counts *vc, const efc_allocator *a, double x);

/* Answers equal to x. */
size_t efc__value_counts_get(const efc__value_counts *vc, double x);

/* Move the used slots to the front, sorted by value: afterwards
 * values[0..used) and counts[0..used) are the distribution, and the table
 * can no longer be added to or searched. */
void efc__value_counts_sort(efc__value_counts *vc);

/* Quantile q in [0, 1] of the n answers of a sorted table (n >= 1): R's
 * type 7, interpolating between the values at ranks floor(h) and
 * floor(h) + 1, h = (n - 1) q. */
double efc__value_counts_quantile(const efc__value_counts *vc, size_t n, double q);

void efc__value_counts_free(efc__value_counts *vc, const efc_allocator *a);

#endif
