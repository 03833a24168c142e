/* Decimal numbers in and out, independent of the process locale. */
#ifndef EFC_NUMBER_H
#define EFC_NUMBER_H

#include <stddef.h>

/* Longest text accepted as a number. */
#define EFC__NUMBER_MAX 400
/* Buffer size that holds any output of efc__fmt_number. */
#define EFC__NUMBER_BUF 40

typedef enum efc__num_status {
    EFC__NUM_OK = 0,
    EFC__NUM_EMPTY,    /* nothing but spaces */
    EFC__NUM_SYNTAX,   /* not a decimal number (includes nan, inf, hex) */
    EFC__NUM_OVERFLOW, /* a decimal number too large for a double */
    EFC__NUM_TOO_LONG  /* longer than EFC__NUMBER_MAX */
} efc__num_status;

/* Parse s[0..n) as [spaces][+-]digits[sep digits][e[+-]digits][spaces] with
 * at least one digit in the mantissa. `sep` is the decimal separator ('.'
 * or ','); `alt_sep` is a second accepted separator or 0. The result is the
 * correctly rounded double: exact arithmetic when the digits fit (Clinger's
 * fast path), the C library's strtod otherwise, whatever the locale. */
efc__num_status efc__parse_number(const char *s, size_t n, char sep, char alt_sep, double *out);

/* Write the shortest decimal that reads back as exactly x, in plain
 * notation when the exponent is moderate ("0.5", "75000", "-3") and as
 * "1.5e-07" otherwise; "nan", "inf", "-inf" for non-finite values. Returns
 * the length written (buffer of EFC__NUMBER_BUF bytes, NUL-terminated). */
size_t efc__fmt_number(double x, char *buf);

/* A short reason for a parse status, for error messages. */
const char *efc__num_reason(efc__num_status st);

#endif
