#include "value_counts.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "quantile.h"

static size_t slot_of(double x, size_t cap)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits ^= bits >> 33; /* a 64-bit mix (splitmix64's finaliser) */
    bits *= 0xff51afd7ed558ccdULL;
    bits ^= bits >> 33;
    return (size_t)bits & (cap - 1);
}

static int grow(efc__value_counts *vc, const efc_allocator *a)
{
    size_t cap = vc->cap ? vc->cap * 2 : 16;
    double *values = efc__alloc_array(a, cap, sizeof *values);
    size_t *counts = efc__alloc_array(a, cap, sizeof *counts);
    if (!values || !counts) {
        efc__free(a, values);
        efc__free(a, counts);
        return 0;
    }
    memset(counts, 0, cap * sizeof *counts);
    for (size_t i = 0; i < vc->cap; i++)
        if (vc->counts[i]) {
            size_t s = slot_of(vc->values[i], cap);
            while (counts[s])
                s = (s + 1) & (cap - 1);
            values[s] = vc->values[i];
            counts[s] = vc->counts[i];
        }
    efc__free(a, vc->values);
    efc__free(a, vc->counts);
    vc->values = values;
    vc->counts = counts;
    vc->cap = cap;
    return 1;
}

int efc__value_counts_add(efc__value_counts *vc, const efc_allocator *a, double x)
{
    if (x == 0)
        x = 0; /* -0 and 0 are one answer */
    if (vc->cap) {
        size_t s = slot_of(x, vc->cap);
        while (vc->counts[s]) {
            if (vc->values[s] == x) {
                vc->counts[s]++;
                return 1;
            }
            s = (s + 1) & (vc->cap - 1);
        }
    }
    /* a new value: keep the table at most half full */
    if (2 * (vc->used + 1) > vc->cap && !grow(vc, a))
        return 0;
    size_t s = slot_of(x, vc->cap);
    while (vc->counts[s])
        s = (s + 1) & (vc->cap - 1);
    vc->values[s] = x;
    vc->counts[s] = 1;
    vc->used++;
    return 1;
}

size_t efc__value_counts_get(const efc__value_counts *vc, double x)
{
    if (!vc->cap)
        return 0;
    if (x == 0)
        x = 0;
    size_t s = slot_of(x, vc->cap);
    while (vc->counts[s]) {
        if (vc->values[s] == x)
            return vc->counts[s];
        s = (s + 1) & (vc->cap - 1);
    }
    return 0;
}

/* Heapsort of the parallel arrays by value: in place (no allocation that
 * could fail) and n log n whatever the number of distinct values. */
static void swap(efc__value_counts *vc, size_t i, size_t j)
{
    double v = vc->values[i];
    size_t c = vc->counts[i];
    vc->values[i] = vc->values[j];
    vc->counts[i] = vc->counts[j];
    vc->values[j] = v;
    vc->counts[j] = c;
}

static void sift_down(efc__value_counts *vc, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && vc->values[child + 1] > vc->values[child])
            child++;
        if (!(vc->values[child] > vc->values[root]))
            return;
        swap(vc, root, child);
        root = child;
    }
}

void efc__value_counts_sort(efc__value_counts *vc)
{
    size_t n = 0;
    for (size_t i = 0; i < vc->cap; i++)
        if (vc->counts[i]) {
            vc->values[n] = vc->values[i];
            vc->counts[n] = vc->counts[i];
            n++;
        }
    vc->used = n;
    for (size_t i = n / 2; i-- > 0;)
        sift_down(vc, i, n);
    for (size_t end = n; end > 1; end--) {
        swap(vc, 0, end - 1);
        sift_down(vc, 0, end - 1);
    }
}

/* The answer at 0-based rank r of a sorted table. */
static double at_rank(const efc__value_counts *vc, size_t r)
{
    size_t below = 0;
    for (size_t i = 0; i < vc->used; i++) {
        below += vc->counts[i];
        if (below > r)
            return vc->values[i];
    }
    return vc->values[vc->used - 1];
}

double efc__value_counts_quantile(const efc__value_counts *vc, size_t n, double q)
{
    if (!n || !vc->used)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    double a = at_rank(vc, lo);
    if (lo + 1 >= n)
        return a;
    return efc__interpolate(a, at_rank(vc, lo + 1), h - (double)lo);
}

void efc__value_counts_free(efc__value_counts *vc, const efc_allocator *a)
{
    efc__free(a, vc->values);
    efc__free(a, vc->counts);
    memset(vc, 0, sizeof *vc);
}
