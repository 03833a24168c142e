/* The state of efc_keys, read by efc_quality when it judges keyed scales. */
#ifndef EFC_KEYS_INTERNAL_H
#define EFC_KEYS_INTERNAL_H

#include "efc/quality.h"

typedef struct efc__key_scale {
    char *name;
    size_t first, count; /* leaves[first .. first + count), signs alike */
} efc__key_scale;

struct efc_keys {
    efc_allocator alloc;
    const efc_model *model;
    efc__key_scale *scales;
    size_t nscales, cap_scales;
    size_t *leaves;
    signed char *signs;
    size_t nitems, cap_items;
};

/* The keyed value of answer x to leaf: x, or min + max - x when sign < 0. */
double efc__keyed_value(const efc_model *m, size_t leaf, int sign, double x);

#endif
