/* The one check of every bulk read (efc_*_fill*; docs/c-api.md, "Bulk
 * reads"): the destination holds `capacity` elements from `out`, and the
 * table of n1 x n2 elements is written at out[i * s1 + j * s2]. */
#ifndef EFC_FILL_H
#define EFC_FILL_H

#include <stddef.h>

#include "efc/error.h"

/* EFC_OK when every offset i * s1 + j * s2 (i < n1, j < n2) lies in [0,
 * capacity), or when the table is empty (out may then be NULL); otherwise
 * EFC_ERR_ARGUMENT naming `what`, the capacity and the elements needed.
 * A one-dimensional table passes n2 = 1, s2 = 0. */
efc_status efc__fill_check(const void *out, size_t capacity, size_t n1, ptrdiff_t s1, size_t n2,
                           ptrdiff_t s2, const char *what, efc_error *err);

#endif
