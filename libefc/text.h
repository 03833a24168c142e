/* Checks on UTF-8 text read from files or given by callers. */
#ifndef EFC_TEXT_H
#define EFC_TEXT_H

#include <stddef.h>

/* Length of the valid UTF-8 prefix of s[0..n): n when all of it is valid.
 * Rejects overlong forms, surrogates and code points above U+10FFFF. */
size_t efc__utf8_valid_prefix(const char *s, size_t n);

/* Classes of text the model accepts, from strictest to loosest. */
typedef enum efc__text_class {
    EFC__TEXT_ID,   /* non-empty, no control characters, no surrounding spaces */
    EFC__TEXT_LINE, /* no control characters */
    EFC__TEXT_BLOCK /* no control characters but tab, LF and CR */
} efc__text_class;

/* NULL when s[0..n) is acceptable text of that class, else a short reason
 * ("is not valid UTF-8", "contains a control character", ...). */
const char *efc__text_problem(const char *s, size_t n, efc__text_class cls);

/* s without its surrounding spaces and tabs, in place (the end is cut
 * with a NUL): codebook keywords and step texts. */
char *efc__trim(char *s);

/* The same for s[0 .. *n), which is not changed: the field starts at the
 * pointer returned and *n is its new length (data fields). */
const char *efc__trim_span(const char *s, size_t *n);

#endif
