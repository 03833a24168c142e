/* Scores are printed with a fixed number of decimals from an integer, not
 * with printf: 12 decimals on [0, 1] are exact to 5e-13, independent of the
 * locale, and about twenty times faster than "%.17g". */
#include "csv_out.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int csv_out_init(csv_out *w, FILE *fp, csv_dialect dialect)
{
    memset(w, 0, sizeof *w);
    w->fp = fp;
    w->delimiter = dialect == DIALECT_EXCEL_FR ? ';' : ',';
    w->decimal = dialect == DIALECT_EXCEL_FR ? ',' : '.';
    w->eol = dialect == DIALECT_EXCEL_FR ? "\r\n" : "\n";
    w->first_field = 1;
    w->cap = 4096;
    w->buf = malloc(w->cap);
    if (!w->buf)
        return 0;
    if (dialect == DIALECT_EXCEL_FR && fwrite("\xEF\xBB\xBF", 1, 3, fp) != 3)
        return 0;
    return 1;
}

void csv_out_free(csv_out *w)
{
    free(w->buf);
    w->buf = NULL;
}

static int reserve(csv_out *w, size_t n)
{
    if (w->len + n <= w->cap)
        return 1;
    size_t cap = w->cap;
    while (cap < w->len + n)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->failed = 1;
        return 0;
    }
    w->buf = b;
    w->cap = cap;
    return 1;
}

static void separator(csv_out *w)
{
    if (!w->first_field && reserve(w, 1))
        w->buf[w->len++] = w->delimiter;
    w->first_field = 0;
}

void csv_out_text(csv_out *w, const char *s)
{
    separator(w);
    size_t n = strlen(s);
    int quote = n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == w->delimiter || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!reserve(w, 2 * n + 2))
        return;
    if (!quote) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
        return;
    }
    w->buf[w->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            w->buf[w->len++] = '"';
        w->buf[w->len++] = s[i];
    }
    w->buf[w->len++] = '"';
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* Six digits of v (< 10^6) in three pairs. */
static inline void six_digits(uint32_t v, char *out)
{
    uint32_t a = v / 10000, b = (v / 100) % 100, c = v % 100;
    memcpy(out, digit_pairs + 2 * a, 2);
    memcpy(out + 2, digit_pairs + 2 * b, 2);
    memcpy(out + 4, digit_pairs + 2 * c, 2);
}

/* Index of the last digit of f[0..11] that is not '0' (there is one). On
 * little-endian machines, from the two 8-byte words that cover the digits,
 * without a loop whose exit the processor cannot predict. */
static inline int last_nonzero(const char *f)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t a, b;
    memcpy(&a, f, 8);
    memcpy(&b, f + 4, 8);
    a ^= UINT64_C(0x3030303030303030); /* '0' bytes become 0 */
    b ^= UINT64_C(0x3030303030303030);
    int in_a = (63 - __builtin_clzll(a | 1)) / 8, in_b = 4 + (63 - __builtin_clzll(b | 1)) / 8;
    return b ? in_b : in_a;
#else
    int last = 11;
    while (f[last] == '0')
        last--;
    return last;
#endif
}

/* n / 10^12 with 12 decimals (on the 0..100 scale: n / 10^10 with 10),
 * trailing zeros trimmed, into buf (32 bytes). */
static inline size_t put_fixed(uint64_t n, int scale, char decimal, char *buf)
{
    size_t k = 0;
    uint64_t whole;
    uint32_t hi, lo;
    int digits;
    if (scale == 100) {
        whole = n / UINT64_C(10000000000);
        uint64_t frac = n % UINT64_C(10000000000);
        hi = (uint32_t)(frac / 100000) * 10; /* 5 digits, padded to 6 */
        lo = (uint32_t)(frac % 100000) * 10;
        digits = 10;
    } else {
        whole = n / UINT64_C(1000000000000);
        uint64_t frac = n % UINT64_C(1000000000000);
        hi = (uint32_t)(frac / 1000000);
        lo = (uint32_t)(frac % 1000000);
        digits = 12;
    }
    if (whole < 10) {
        buf[k++] = (char)('0' + whole);
    } else if (whole < 100) {
        memcpy(buf, digit_pairs + 2 * whole, 2);
        k = 2;
    } else {
        char tmp[24];
        size_t t = 0;
        do {
            tmp[t++] = (char)('0' + whole % 10);
            whole /= 10;
        } while (whole);
        while (t)
            buf[k++] = tmp[--t];
    }
    if (hi | lo) {
        buf[k++] = decimal;
        /* written in place, 12 digits; on 0..100 the second half overwrites
         * the first half's padding digit and its own is cleared, so that
         * the two last digits are '0' and trimmed like any other */
        char *f = buf + k;
        six_digits(hi, f);
        six_digits(lo, f + digits / 2);
        if (digits == 10)
            f[11] = '0';
        k += (size_t)last_nonzero(f) + 1;
    }
    return k;
}

#define SCORE_FIXED_MAX 1e6

static inline size_t put_score(double v, int scale, char decimal, char *buf)
{
    /* scores are within [0, 1] but a ratio's (a GDI of 1.02), which may be
     * above 1; callers send values above SCORE_FIXED_MAX to the general
     * path. x >= 0: rounds half up; n < 2^63, so a signed conversion is
     * exact */
    double x = v < 0 ? 0 : v;
    return put_fixed((uint64_t)(int64_t)(x * 1e12 + 0.5), scale, decimal, buf);
}

size_t format_score(double v, int scale, char decimal, char *buf)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return 0;
    }
    if (v > SCORE_FIXED_MAX) {
        int n = snprintf(buf, 32, "%.6e", v * scale);
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = decimal;
        return n < 0 ? 0 : (size_t)n;
    }
    size_t k = put_score(v, scale, decimal, buf);
    buf[k] = '\0';
    return k;
}

void csv_out_score(csv_out *w, double v, int scale)
{
    /* a ratio's above the fixed range, a fitted model's below 0 (a z-score,
     * a new unit under the fitted minimum): as efc index prints them */
    if (v > SCORE_FIXED_MAX || v < 0) {
        csv_out_real(w, v, scale);
        return;
    }
    separator(w);
    if (isnan(v) || !reserve(w, 32))
        return;
    if (v == 0 || v == 1) { /* common at the goalposts, and trivial */
        w->buf[w->len++] = v == 0 ? '0' : '1';
        if (v == 1 && scale == 100) {
            w->buf[w->len++] = '0';
            w->buf[w->len++] = '0';
        }
        return;
    }
    w->len += put_score(v, scale, w->decimal, w->buf + w->len);
}

void csv_out_real(csv_out *w, double v, int scale)
{
    separator(w);
    /* an empty field for what has no finite value, as for NaN: libefc
     * gives NaN for values that overflow, and a finite one times 100 could
     * still; "inf" is not a number any reader takes back */
    if (!isfinite(v * scale) || !reserve(w, 40))
        return;
    double m = fabs(v) * 1e12;
    if (m < 9e18) {
        /* rounded half away from zero, as libefc rounds scores to decide
         * ties and steps: what is printed is what was compared */
        uint64_t n = (uint64_t)(int64_t)(m + 0.5);
        if (n && v < 0)
            w->buf[w->len++] = '-';
        w->len += put_fixed(n, scale, w->decimal, w->buf + w->len);
        return;
    }
    /* beyond 9 million: every significant digit, with the output's decimal */
    int n = snprintf(w->buf + w->len, 40, "%.17g", v * scale);
    for (int i = 0; i < n; i++)
        if (w->buf[w->len + i] == '.')
            w->buf[w->len + i] = w->decimal;
    w->len += (size_t)n;
}

void csv_out_period(csv_out *w, const char *period)
{
    /* numbers take the output's decimal separator (2024,5 for excel-fr) */
    if (w->decimal == '.' || !strchr(period, '.')) {
        csv_out_text(w, period);
        return;
    }
    char local[64];
    snprintf(local, sizeof local, "%s", period);
    for (char *c = local; *c; c++)
        if (*c == '.')
            *c = w->decimal;
    csv_out_text(w, local);
}

void csv_out_count(csv_out *w, double v)
{
    if (isnan(v))
        csv_out_empty(w);
    else
        csv_out_uint(w, (unsigned long long)v);
}

void csv_out_uint(csv_out *w, unsigned long long v)
{
    separator(w);
    if (!reserve(w, 24))
        return;
    if (v < 10) {
        w->buf[w->len++] = (char)('0' + v);
        return;
    }
    char tmp[24];
    size_t t = 0;
    do {
        tmp[t++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (t)
        w->buf[w->len++] = tmp[--t];
}

void csv_out_empty(csv_out *w)
{
    separator(w);
}

int csv_out_end_row(csv_out *w)
{
    w->first_field = 1;
    if (!reserve(w, 2))
        return 0;
    w->buf[w->len++] = w->eol[0];
    if (w->eol[1])
        w->buf[w->len++] = w->eol[1];
    return !w->failed;
}

void csv_out_flush_some(csv_out *w)
{
    if (w->len < (1u << 16))
        return;
    if (!w->failed && fwrite(w->buf, 1, w->len, w->fp) != w->len)
        w->failed = 1;
    w->len = 0;
}

int csv_out_flush(csv_out *w)
{
    int ok = !w->failed && fwrite(w->buf, 1, w->len, w->fp) == w->len;
    w->len = 0;
    return ok;
}

void csv_out_name(csv_out *w, efc_enum_type type, int value)
{
    const char *name = efc_enum_name(type, value);
    if (!name)
        w->failed = 1; /* a value without a name is a bug of the tool: say so by failing */
    csv_out_text(w, name ? name : "");
}

void csv_out_names(csv_out *w, efc_enum_type type, const int *values, size_t n)
{
    for (size_t i = 0; i < n; i++)
        csv_out_name(w, type, values[i]);
}
