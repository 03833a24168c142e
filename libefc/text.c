#include "text.h"

#include <stdint.h>
#include <string.h>

size_t efc__utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        /* ASCII runs eight bytes at a time: most survey text is ASCII */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i == n)
            break;
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (n - i < len)
            return i;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return n;
}

const char *efc__text_problem(const char *s, size_t n, efc__text_class cls)
{
    if (cls == EFC__TEXT_ID) {
        if (n == 0)
            return "is empty";
        if (s[0] == ' ' || s[n - 1] == ' ')
            return "has leading or trailing spaces";
    }
    if (efc__utf8_valid_prefix(s, n) != n)
        return "is not valid UTF-8";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return "contains a NUL byte";
        if (c < 0x20 || c == 0x7F) {
            if (cls == EFC__TEXT_BLOCK && (c == '\t' || c == '\n' || c == '\r'))
                continue;
            return "contains a control character";
        }
        /* C1 controls U+0080..U+009F, as decoded from stray Windows-1252 bytes */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F)
            return "contains a control character";
    }
    return 0;
}

char *efc__trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

const char *efc__trim_span(const char *s, size_t *n)
{
    while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
        (*n)--;
    while (*n && (*s == ' ' || *s == '\t')) {
        s++;
        (*n)--;
    }
    return s;
}
