/* Periods: numbers (years, waves) or calendar dates. Dates become a day
 * count so that slopes can be taken per year later (days / 365.2425). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error_internal.h"
#include "number.h"
#include "survey_internal.h"

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int to_int(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static const char *make_date(int y, int m, int d, efc__period *out)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
        return "is not a date of the calendar";
    out->kind = EFC_PERIOD_DATE;
    out->value = (double)days_from_civil(y, m, d);
    snprintf(out->text, sizeof out->text, "%04d-%02d-%02d", y, m, d);
    return NULL;
}

const char *efc__parse_period(const char *s, size_t n, efc_date_format fmt, char decimal,
                              efc__period *out)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    out->kind = EFC_PERIOD_NONE;
    out->value = NAN;
    out->text[0] = '\0';
    if (n == 0)
        return NULL;
    if (n == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
        digits(s + 8, 2))
        return make_date(to_int(s, 4), to_int(s + 5, 2), to_int(s + 8, 2), out);
    const char *slash1 = memchr(s, '/', n);
    if (fmt == EFC_DATE_FORMAT_DMY && slash1) {
        const char *slash2 = memchr(slash1 + 1, '/', n - (size_t)(slash1 + 1 - s));
        size_t dl = (size_t)(slash1 - s);
        size_t ml = slash2 ? (size_t)(slash2 - slash1 - 1) : 0;
        size_t yl = slash2 ? n - (size_t)(slash2 + 1 - s) : 0;
        if (slash2 && dl >= 1 && dl <= 2 && ml >= 1 && ml <= 2 && yl == 4 && digits(s, dl) &&
            digits(slash1 + 1, ml) && digits(slash2 + 1, 4))
            return make_date(to_int(slash2 + 1, 4), to_int(slash1 + 1, ml), to_int(s, dl), out);
        return "is not a date dd/mm/yyyy";
    }
    double v;
    if (efc__parse_number(s, n, decimal, 0, &v) == EFC__NUM_OK) {
        out->kind = EFC_PERIOD_NUMBER;
        out->value = v;
        efc__fmt_number(v, out->text);
        return NULL;
    }
    if (slash1)
        return "is not a number or a date YYYY-MM-DD (for dd/mm/yyyy use --date-format dmy)";
    return fmt == EFC_DATE_FORMAT_DMY ? "is not a number or a date (dd/mm/yyyy or YYYY-MM-DD)"
                                      : "is not a number or a date YYYY-MM-DD";
}

efc_status efc_period_parse(efc_period_kind *kind, double *value, char *canonical, const char *text,
                            efc_date_format format, int decimal_comma, efc_error *err)
{
    if (!text)
        return efc__fail(err, EFC_ERR_ARGUMENT, "text is NULL");
    if (format != EFC_DATE_FORMAT_ISO && format != EFC_DATE_FORMAT_DMY)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown date format %d", (int)format);
    efc__period p;
    const char *why = efc__parse_period(text, strlen(text), format, decimal_comma ? ',' : '.', &p);
    if (why)
        return efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_BAD_PERIOD, "period '%s' %s", text, why);
    if (kind)
        *kind = p.kind;
    if (value)
        *value = p.value;
    if (canonical)
        snprintf(canonical, EFC_PERIOD_TEXT_SIZE, "%s", p.text);
    return EFC_OK;
}
