/* Numbers must read and print the same whatever locale the host program
 * set with setlocale() or uselocale(): "0.5" is one half even when the
 * locale's decimal point is a comma. Plain decimals whose digits fit in 53
 * bits are converted exactly with one multiplication or division by an
 * exact power of ten (Clinger's fast path); the rest go to strtod with the
 * decimal point rewritten into the current locale's, found by printing 1.5.
 * Printing uses "%.*e", whose output is parsed back rather than trusted. */
#include "number.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double exact_pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

const char *efc__num_reason(efc__num_status st)
{
    switch (st) {
    case EFC__NUM_OK:
        return "a number";
    case EFC__NUM_EMPTY:
        return "empty";
    case EFC__NUM_SYNTAX:
        return "not a number";
    case EFC__NUM_OVERFLOW:
        return "too large for a double";
    case EFC__NUM_TOO_LONG:
        return "too long to be a number";
    }
    return "not a number";
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The current locale's decimal point, as printf writes it (1 to 7 bytes). */
static size_t locale_point(char *out)
{
    char probe[32];
    int n = snprintf(probe, sizeof probe, "%.1f", 1.5);
    if (n < 3 || probe[0] != '1' || probe[n - 1] != '5' || n - 2 > 7) {
        out[0] = '.';
        return 1;
    }
    memcpy(out, probe + 1, (size_t)n - 2);
    return (size_t)n - 2;
}

/* strtod on a validated "[-]digits[.digits][e[-]digits]" text with '.'. */
static efc__num_status slow_path(const char *txt, size_t n, double *out)
{
    char buf[EFC__NUMBER_MAX + 16];
    char point[8];
    size_t plen = locale_point(point);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (txt[i] == '.') {
            memcpy(buf + k, point, plen);
            k += plen;
        } else {
            buf[k++] = txt[i];
        }
    }
    buf[k] = '\0';
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + k)
        return EFC__NUM_SYNTAX;
    if (isinf(v))
        return EFC__NUM_OVERFLOW;
    *out = v;
    return EFC__NUM_OK;
}

/* The common case of survey answers: a short plain decimal ("3", "2.5",
 * "-0.25") with no spaces and no exponent. Up to 17 characters the digits
 * fit in 64 bits; at most 2^53 they are exact in a double, and one division
 * by an exact power of ten rounds correctly. Returns 0 to defer to the
 * general parser. */
static int fast_decimal(const char *s, size_t n, char sep, char alt_sep, double *out)
{
    if (n == 0 || n > 17)
        return 0;
    size_t i = 0;
    int negative = s[0] == '-';
    if (s[0] == '-' || s[0] == '+')
        i++;
    uint64_t m = 0;
    int digits = 0, frac = -1;
    for (; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d <= 9) {
            m = m * 10 + d;
            digits++;
            frac += frac >= 0;
        } else if (frac < 0 && (s[i] == sep || (alt_sep && s[i] == alt_sep))) {
            frac = 0;
        } else {
            return 0;
        }
    }
    if (digits == 0 || m > (UINT64_C(1) << 53))
        return 0;
    double v = (double)m;
    if (frac > 0)
        v /= exact_pow10[frac];
    *out = negative ? -v : v;
    return 1;
}

efc__num_status efc__parse_number(const char *s, size_t n, char sep, char alt_sep, double *out)
{
    if (fast_decimal(s, n, sep, alt_sep, out))
        return EFC__NUM_OK;
    size_t i = 0;
    while (n > 0 && is_space(s[n - 1]))
        n--;
    while (i < n && is_space(s[i]))
        i++;
    if (i == n)
        return EFC__NUM_EMPTY;
    if (n - i > EFC__NUMBER_MAX)
        return EFC__NUM_TOO_LONG;

    /* Normalised copy for the slow path: sign, digits, '.', exponent. */
    char norm[EFC__NUMBER_MAX + 8];
    size_t k = 0;
    int negative = 0;
    if (s[i] == '+' || s[i] == '-') {
        negative = s[i] == '-';
        if (negative)
            norm[k++] = '-';
        i++;
    }
    uint64_t mant = 0;
    int sig = 0;      /* significant digits accumulated in mant */
    int dropped = 0;  /* significant digits that did not fit */
    int digits = 0;   /* all mantissa digits seen */
    int frac_sig = 0; /* accumulated digits after the separator */
    int seen_point = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits++;
            norm[k++] = c;
            if (mant == 0 && c == '0') {
                if (seen_point)
                    frac_sig++; /* leading zeros after the point scale the value */
                continue;
            }
            if (sig < 19) {
                mant = mant * 10 + (uint64_t)(c - '0');
                sig++;
                if (seen_point)
                    frac_sig++;
            } else {
                dropped++;
                if (!seen_point)
                    frac_sig--; /* an integer digit beyond 19: scale up */
            }
        } else if (!seen_point && (c == sep || (alt_sep && c == alt_sep))) {
            seen_point = 1;
            norm[k++] = '.';
        } else {
            break;
        }
    }
    if (digits == 0)
        return EFC__NUM_SYNTAX;
    long exp10 = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        norm[k++] = 'e';
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            if (eneg)
                norm[k++] = '-';
            i++;
        }
        int edigits = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            norm[k++] = s[i];
            if (exp10 < 100000)
                exp10 = exp10 * 10 + (s[i] - '0');
            edigits++;
        }
        if (edigits == 0)
            return EFC__NUM_SYNTAX;
        if (eneg)
            exp10 = -exp10;
    }
    if (i != n)
        return EFC__NUM_SYNTAX;

    if (mant == 0) {
        *out = negative ? -0.0 : 0.0;
        return EFC__NUM_OK;
    }
    long e = exp10 - frac_sig;
    if (!dropped && mant <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
        double v = (double)mant;
        v = e >= 0 ? v * exact_pow10[e] : v / exact_pow10[-e];
        *out = negative ? -v : v;
        return EFC__NUM_OK;
    }
    return slow_path(norm, k, out);
}

/* Shortest digits: the smallest precision whose "%.*e" reads back exactly. */
static void shortest_digits(double x, char *digits, int *ndigits, int *exp10)
{
    char buf[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, x);
        /* Collect the mantissa digits whatever the decimal point is. */
        int nd = 0;
        const char *p = buf;
        while (*p && *p != 'e' && *p != 'E') {
            if (*p >= '0' && *p <= '9')
                digits[nd++] = *p;
            p++;
        }
        int ex = (*p) ? atoi(p + 1) : 0;
        /* Rebuild "d.ddde±x" with '.' and check it reads back as x. */
        char txt[64];
        size_t t = 0;
        txt[t++] = digits[0];
        if (nd > 1) {
            txt[t++] = '.';
            memcpy(txt + t, digits + 1, (size_t)nd - 1);
            t += (size_t)nd - 1;
        }
        t += (size_t)snprintf(txt + t, sizeof txt - t, "e%d", ex);
        double back;
        if (prec == 17 || (efc__parse_number(txt, t, '.', 0, &back) == EFC__NUM_OK && back == x)) {
            while (nd > 1 && digits[nd - 1] == '0')
                nd--;
            *ndigits = nd;
            *exp10 = ex;
            return;
        }
    }
}

/* Integers below 2^53 are exact: their digits need no search. */
static size_t fmt_integer(double x, char *buf)
{
    uint64_t v = (uint64_t)(x < 0 ? -x : x);
    char tmp[24];
    size_t t = 0, k = 0;
    do {
        tmp[t++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (x < 0)
        buf[k++] = '-';
    while (t)
        buf[k++] = tmp[--t];
    buf[k] = '\0';
    return k;
}

size_t efc__fmt_number(double x, char *buf)
{
    if (x != 0 && fabs(x) < 1e15 && x == floor(x))
        return fmt_integer(x, buf);
    if (isnan(x))
        return (size_t)snprintf(buf, EFC__NUMBER_BUF, "nan");
    if (isinf(x))
        return (size_t)snprintf(buf, EFC__NUMBER_BUF, x < 0 ? "-inf" : "inf");
    if (x == 0)
        return (size_t)snprintf(buf, EFC__NUMBER_BUF, signbit(x) ? "-0" : "0");
    char digits[24];
    int nd = 0, ex = 0;
    size_t k = 0;
    if (x < 0) {
        buf[k++] = '-';
        x = -x;
    }
    shortest_digits(x, digits, &nd, &ex);
    if (ex < -6 || ex >= 21) {
        buf[k++] = digits[0];
        if (nd > 1) {
            buf[k++] = '.';
            memcpy(buf + k, digits + 1, (size_t)nd - 1);
            k += (size_t)nd - 1;
        }
        k += (size_t)snprintf(buf + k, EFC__NUMBER_BUF - k, "e%s%02d", ex < 0 ? "-" : "+",
                              ex < 0 ? -ex : ex);
        return k;
    }
    if (ex < 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (int z = 0; z < -ex - 1; z++)
            buf[k++] = '0';
        memcpy(buf + k, digits, (size_t)nd);
        k += (size_t)nd;
    } else if (nd <= ex + 1) {
        memcpy(buf + k, digits, (size_t)nd);
        k += (size_t)nd;
        for (int z = 0; z < ex + 1 - nd; z++)
            buf[k++] = '0';
    } else {
        memcpy(buf + k, digits, (size_t)ex + 1);
        k += (size_t)ex + 1;
        buf[k++] = '.';
        memcpy(buf + k, digits + ex + 1, (size_t)(nd - ex - 1));
        k += (size_t)(nd - ex - 1);
    }
    buf[k] = '\0';
    return k;
}
