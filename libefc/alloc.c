/* Every allocation of the library goes through the allocator of the object
 * that owns the memory, so that a program (or a test failing the N-th
 * allocation) controls all of it. */
#include "alloc.h"
#include "error_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *std_malloc(size_t size, void *ctx)
{
    (void)ctx;
    return malloc(size);
}

static void *std_realloc(void *ptr, size_t size, void *ctx)
{
    (void)ctx;
    return realloc(ptr, size);
}

static void std_free(void *ptr, void *ctx)
{
    (void)ctx;
    free(ptr);
}

int efc__alloc_init(efc_allocator *dst, const efc_allocator *src)
{
    if (!src) {
        dst->malloc_fn = std_malloc;
        dst->realloc_fn = std_realloc;
        dst->free_fn = std_free;
        dst->ctx = NULL;
        return 1;
    }
    if (!src->malloc_fn || !src->realloc_fn || !src->free_fn)
        return 0;
    *dst = *src;
    return 1;
}

void *efc__malloc(const efc_allocator *a, size_t size)
{
    return a->malloc_fn(size ? size : 1, a->ctx);
}

void *efc__realloc(const efc_allocator *a, void *ptr, size_t size)
{
    if (!ptr)
        return efc__malloc(a, size);
    return a->realloc_fn(ptr, size ? size : 1, a->ctx);
}

void efc__free(const efc_allocator *a, void *ptr)
{
    if (ptr)
        a->free_fn(ptr, a->ctx);
}

void *efc__alloc_array(const efc_allocator *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return efc__malloc(a, count * size);
}

void *efc__realloc_array(const efc_allocator *a, void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return efc__realloc(a, ptr, count * size);
}

int efc__grow(const efc_allocator *a, void **ptr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return 0;
        n *= 2;
    }
    void *p = efc__realloc_array(a, *ptr, n, size);
    if (!p)
        return 0;
    *ptr = p;
    *cap = n;
    return 1;
}

char *efc__strndup(const efc_allocator *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *d = efc__malloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *efc__strdup(const efc_allocator *a, const char *s)
{
    return efc__strndup(a, s, strlen(s));
}

void *efc__object_new(const efc_allocator *given, size_t size, size_t alloc_at, efc_status *st,
                      efc_error *err)
{
    efc_allocator a;
    if (!efc__alloc_init(&a, given)) {
        *st = efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
        return NULL;
    }
    void *obj = efc__malloc(&a, size);
    if (!obj) {
        *st = efc__nomem(err);
        return NULL;
    }
    memset(obj, 0, size);
    memcpy((char *)obj + alloc_at, &a, sizeof a);
    *st = EFC_OK;
    return obj;
}
