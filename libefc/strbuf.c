#include "strbuf.h"

#include <string.h>

#include "alloc.h"

void efc__strbuf_init(efc__strbuf *b, const efc_allocator *a)
{
    b->alloc = a;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void efc__strbuf_free(efc__strbuf *b)
{
    efc__free(b->alloc, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int efc__strbuf_append(efc__strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return 0;
    if (n >= (size_t)-1 - b->len ||
        !efc__grow(b->alloc, (void **)&b->data, &b->cap, b->len + n + 1, 1)) {
        b->failed = 1;
        return 0;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

int efc__strbuf_puts(efc__strbuf *b, const char *s)
{
    return efc__strbuf_append(b, s, strlen(s));
}

int efc__strbuf_putc(efc__strbuf *b, char c)
{
    return efc__strbuf_append(b, &c, 1);
}

int efc__strbuf_csv_field(efc__strbuf *b, const char *s, char delimiter)
{
    size_t n = strlen(s);
    int quote = n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
    for (size_t i = 0; i < n && !quote; i++)
        if (s[i] == delimiter || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = 1;
    if (!quote)
        return efc__strbuf_append(b, s, n);
    efc__strbuf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            efc__strbuf_putc(b, '"');
        efc__strbuf_putc(b, s[i]);
    }
    return efc__strbuf_putc(b, '"');
}
