/* A map from strings to indices (open addressing). Keys are not copied:
 * they must stay valid and unchanged while in the map. */
#ifndef EFC_STRMAP_H
#define EFC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "efc/common.h"

typedef struct efc__strmap {
    const char **keys;
    uint64_t *hashes; /* each key's, compared before its text */
    size_t *values;
    size_t cap; /* power of two, or 0 */
    size_t count;
} efc__strmap;

void efc__strmap_init(efc__strmap *m);
void efc__strmap_free(efc__strmap *m, const efc_allocator *a);
/* Index stored for key, or EFC_NO_NODE. */
size_t efc__strmap_get(const efc__strmap *m, const char *key);
/* Room for count keys in all without growing. Returns 0 on allocation
 * failure (the map unchanged). */
int efc__strmap_reserve(efc__strmap *m, const efc_allocator *a, size_t count);
/* Insert a key that is not present. Returns 0 on allocation failure. */
int efc__strmap_put(efc__strmap *m, const efc_allocator *a, const char *key, size_t value);

#endif
