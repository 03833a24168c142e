/* The destination check shared by every bulk read. */
#include "fill.h"

#include <stdint.h>

#include "error_internal.h"

/* (n - 1) * s into *lo (if negative) or *hi (if positive); 0 on overflow. */
static int extent(size_t n, ptrdiff_t s, ptrdiff_t *lo, ptrdiff_t *hi)
{
    if (n <= 1 || s == 0)
        return 1;
    size_t steps = n - 1;
    if (s == PTRDIFF_MIN || steps > (size_t)PTRDIFF_MAX / (size_t)(s < 0 ? -s : s))
        return 0;
    ptrdiff_t e = (ptrdiff_t)steps * s;
    if (e < 0) {
        if (*lo < PTRDIFF_MIN - e)
            return 0;
        *lo += e;
    } else {
        if (*hi > PTRDIFF_MAX - e)
            return 0;
        *hi += e;
    }
    return 1;
}

efc_status efc__fill_check(const void *out, size_t capacity, size_t n1, ptrdiff_t s1, size_t n2,
                           ptrdiff_t s2, const char *what, efc_error *err)
{
    if (n1 == 0 || n2 == 0)
        return EFC_OK;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s: out is NULL", what);
    ptrdiff_t lo = 0, hi = 0;
    if (!extent(n1, s1, &lo, &hi) || !extent(n2, s2, &lo, &hi))
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s: the strides (%td, %td) overflow", what, s1,
                         s2);
    if (lo < 0)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "%s: the strides (%td, %td) reach %td elements before out", what, s1, s2,
                         -lo);
    if ((size_t)hi >= capacity)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "%s: out holds %zu elements, %zu needed (%zu x %zu at strides %td, %td)",
                         what, capacity, (size_t)hi + 1, n1, n2, s1, s2);
    return EFC_OK;
}
