/* Allocation through a per-object efc_allocator, with overflow-checked arrays. */
#ifndef EFC_ALLOC_H
#define EFC_ALLOC_H

#include <stddef.h>

#include "efc/common.h"
#include "efc/error.h"

/* Copy `src` into `dst`, or the C library's functions when src is NULL.
 * Returns 0 when src has a NULL function pointer (an invalid allocator). */
int efc__alloc_init(efc_allocator *dst, const efc_allocator *src);

/* A zeroed object of `size` bytes whose efc_allocator member, at byte
 * `alloc_at`, is a copy of `given` (the C library's when NULL): how every
 * object of the library starts (EFC__NEW). NULL on failure, with *st set
 * (EFC_ERR_ARGUMENT for an allocator with a NULL function, EFC_ERR_NOMEM)
 * and err filled. */
void *efc__object_new(const efc_allocator *given, size_t size, size_t alloc_at, efc_status *st,
                      efc_error *err);
#define EFC__NEW(type, given, st, err)                                                             \
    ((type *)efc__object_new((given), sizeof(type), offsetof(type, alloc), (st), (err)))

void *efc__malloc(const efc_allocator *a, size_t size);
/* realloc that accepts ptr == NULL (then it allocates). */
void *efc__realloc(const efc_allocator *a, void *ptr, size_t size);
void efc__free(const efc_allocator *a, void *ptr);

/* count * size bytes, NULL on overflow or failure. */
void *efc__alloc_array(const efc_allocator *a, size_t count, size_t size);
void *efc__realloc_array(const efc_allocator *a, void *ptr, size_t count, size_t size);

/* Grow *ptr (an array of *cap elements of `size` bytes) to hold at least
 * `need` elements, doubling. Returns 0 on failure, leaving *ptr intact. */
int efc__grow(const efc_allocator *a, void **ptr, size_t *cap, size_t need, size_t size);

char *efc__strdup(const efc_allocator *a, const char *s);
char *efc__strndup(const efc_allocator *a, const char *s, size_t n);

#endif
