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
    m->values = NULL;
    m->cap = 0;
    m->count = 0;
}

void efc__strmap_free(efc__strmap *m, const efc_allocator *a)
{
    efc__free(a, (void *)m->keys);
    efc__free(a, m->values);
    efc__strmap_init(m);
}

size_t efc__strmap_get(const efc__strmap *m, const char *key)
{
    if (!m->cap)
        return EFC_NO_NODE;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)hash(key) & mask;; i = (i + 1) & mask) {
        if (!m->keys[i])
            return EFC_NO_NODE;
        if (strcmp(m->keys[i], key) == 0)
            return m->values[i];
    }
}

static void place(const char **keys, size_t *values, size_t cap, const char *key, size_t value)
{
    size_t mask = cap - 1;
    size_t i = (size_t)hash(key) & mask;
    while (keys[i])
        i = (i + 1) & mask;
    keys[i] = key;
    values[i] = value;
}

int efc__strmap_put(efc__strmap *m, const efc_allocator *a, const char *key, size_t value)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        if (cap < m->cap)
            return 0;
        const char **keys = efc__alloc_array(a, cap, sizeof *keys);
        size_t *values = efc__alloc_array(a, cap, sizeof *values);
        if (!keys || !values) {
            efc__free(a, (void *)keys);
            efc__free(a, values);
            return 0;
        }
        memset((void *)keys, 0, cap * sizeof *keys);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i])
                place(keys, values, cap, m->keys[i], m->values[i]);
        efc__free(a, (void *)m->keys);
        efc__free(a, m->values);
        m->keys = keys;
        m->values = values;
        m->cap = cap;
    }
    place(m->keys, m->values, m->cap, key, value);
    m->count++;
    return 1;
}
