/* SHA-256 (FIPS 180-4), for fingerprints of models. */
#ifndef EFC_SHA256_H
#define EFC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct efc__sha256 {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
} efc__sha256;

void efc__sha256_init(efc__sha256 *s);
void efc__sha256_update(efc__sha256 *s, const void *data, size_t n);
/* Finish and write the digest as 64 lowercase hex digits and a NUL. */
void efc__sha256_hex(efc__sha256 *s, char out[65]);

#endif
