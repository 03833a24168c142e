/* A growable byte buffer, always NUL-terminated once allocated. */
#ifndef EFC_STRBUF_H
#define EFC_STRBUF_H

#include <stddef.h>

#include "efc/common.h"

typedef struct efc__strbuf {
    const efc_allocator *alloc;
    char *data;
    size_t len;
    size_t cap;
    int failed; /* an append ran out of memory: later appends do nothing */
} efc__strbuf;

void efc__strbuf_init(efc__strbuf *b, const efc_allocator *a);
void efc__strbuf_free(efc__strbuf *b);
int efc__strbuf_append(efc__strbuf *b, const char *s, size_t n);
int efc__strbuf_puts(efc__strbuf *b, const char *s);
int efc__strbuf_putc(efc__strbuf *b, char c);
/* Append s as one CSV field (RFC 4180): quoted when it holds the
 * delimiter, a quote, CR, LF, or starts or ends with a space or tab. */
int efc__strbuf_csv_field(efc__strbuf *b, const char *s, char delimiter);

#endif
