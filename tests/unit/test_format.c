/* The CLI's fixed-precision score formatter against printf on the same
 * rounded integer: every value in [0, 1] and ratios above 1, both scales,
 * identical text. */
#include "helpers.h"

#include "csv_out.h"

static void reference(double v, int scale, char *buf)
{
    double x = v < 0 ? 0 : v; /* above 1: a ratio's score, printed as it is */
    unsigned long long n = (unsigned long long)(x * 1e12 + 0.5);
    int d = scale == 100 ? 10 : 12;
    unsigned long long unit = scale == 100 ? 10000000000ULL : 1000000000000ULL;
    sprintf(buf, "%llu.%0*llu", n / unit, d, n % unit);
    size_t k = strlen(buf);
    while (buf[k - 1] == '0')
        buf[--k] = '\0';
    if (buf[k - 1] == '.')
        buf[--k] = '\0';
}

static void test_against_printf(void **state)
{
    (void)state;
    double specials[] = {
        0,       1,       0.5,   1e-13,    5e-13, 4.9e-13, 0.999999999999, 0.9999999999995, 0.1,
        1.0 / 3, 2.0 / 3, 1e-12, 0.000001, -0.2,  1.5,     1.0234567890125, 999999.5};
    char a[64], b[64];
    uint64_t s = 88172645463325252u;
    for (int i = 0; i < 1000000; i++) {
        double v;
        if (i < (int)(sizeof specials / sizeof specials[0])) {
            v = specials[i];
        } else {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            v = (double)(s >> 11) / 9007199254740992.0;
            if (i % 3 == 0) /* short decimals: trailing zeros in either half */
                v = round(v * pow(10, 1 + i / 3 % 11)) / pow(10, 1 + i / 3 % 11);
        }
        for (int scale = 1; scale <= 100; scale += 99) {
            format_score(v, scale, '.', a);
            reference(v, scale, b);
            if (strcmp(a, b) != 0)
                fail_msg("%.17g on scale %d: '%s', printf says '%s'", v, scale, a, b);
        }
    }
    assert_int_equal(format_score(NAN, 1, '.', a), 0);
    format_score(0.25, 1, ',', a);
    assert_string_equal(a, "0,25");
    format_score(1, 100, '.', a);
    assert_string_equal(a, "100");
    /* beyond the fixed-point range: scientific, with the decimal asked */
    format_score(2.5e7, 1, ',', a);
    assert_string_equal(a, "2,500000e+07");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_printf)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
