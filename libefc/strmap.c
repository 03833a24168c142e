#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "alloc.h"

static uint64_t hash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

void efc__strmap_init(efc__strmap *m)
{
    m->keys = NULL;
    m->hashes = NULL;
    m->values = NULL;
    m->cap = 0;
    m->count = 0;
}

void efc__strmap_free(efc__strmap *m, const efc_allocator *a)
{
    efc__free(a, (void *)m->keys);
    efc__free(a, m->hashes);
    efc__free(a, m->values);
    efc__strmap_init(m);
}

size_t efc__strmap_get(const efc__strmap *m, const char *key)
{
    if (!m->cap)
        return EFC_NO_NODE;
    size_t mask = m->cap - 1;
    uint64_t h = hash(key);
    /* the hashes first: a key's text is read only when they match */
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        if (!m->keys[i])
            return EFC_NO_NODE;
        if (m->hashes[i] == h && strcmp(m->keys[i], key) == 0)
            return m->values[i];
    }
}

static void place(efc__strmap *m, const char *key, uint64_t h, size_t value)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    while (m->keys[i])
        i = (i + 1) & mask;
    m->keys[i] = key;
    m->hashes[i] = h;
    m->values[i] = value;
}

/* Room for `count` keys in all, the table at most half full. */
static int resize(efc__strmap *m, const efc_allocator *a, size_t count)
{
    size_t cap = m->cap ? m->cap : 16;
    if (count > SIZE_MAX / 2)
        return 0;
    while (count * 2 > cap) {
        if (cap * 2 < cap)
            return 0;
        cap *= 2;
    }
    if (cap == m->cap)
        return 1;
    efc__strmap n = {efc__alloc_array(a, cap, sizeof *n.keys),
                     efc__alloc_array(a, cap, sizeof *n.hashes),
                     efc__alloc_array(a, cap, sizeof *n.values), cap, m->count};
    if (!n.keys || !n.hashes || !n.values) {
        efc__strmap_free(&n, a);
        return 0;
    }
    memset((void *)n.keys, 0, cap * sizeof *n.keys);
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            place(&n, m->keys[i], m->hashes[i], m->values[i]);
    efc__strmap_free(m, a);
    *m = n;
    return 1;
}

int efc__strmap_reserve(efc__strmap *m, const efc_allocator *a, size_t count)
{
    return resize(m, a, count);
}

int efc__strmap_put(efc__strmap *m, const efc_allocator *a, const char *key, size_t value)
{
    if ((m->count + 1) * 2 > m->cap && !resize(m, a, m->count + 1))
        return 0;
    place(m, key, hash(key), value);
    m->count++;
    return 1;
}
