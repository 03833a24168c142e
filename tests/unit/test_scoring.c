/* Normalisation and aggregation against values computed by hand. Leaves
 * on [0, 1] goalposts score their value, so each group's expected score is
 * a short formula written beside the test. */
#include "helpers.h"

#define HEAD "id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"

/* Two or three leaves a, b, c under root g with the given aggregate. */
static efc_model *group_of(const char *aggregate, double wa, double wb, double wc,
                           double min_coverage)
{
    char csv[1024];
    snprintf(csv, sizeof csv,
             HEAD "g,,1,,,,,%s,%g,\n"
                  "a,g,%g,0,1,+,none,,,\n"
                  "b,g,%g,0,1,+,none,,,\n"
                  "c,g,%g,0,1,+,none,,,\n",
             aggregate, min_coverage, wa, wb, wc);
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, csv, err), err);
    efc_error_free(err);
    return m;
}

/* Score of the root for leaf values a, b, c (NaN = missing). */
static double root_score(const efc_model *m, double a, double b, double c, double *coverage)
{
    double v[3] = {a, b, c};
    efc_error *err = new_error();
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    double s = efc_result_score(r, efc_model_root(m));
    if (coverage)
        *coverage = efc_result_coverage(r, efc_model_root(m));
    efc_result_free(r);
    efc_error_free(err);
    return s;
}

static void test_mean(void **state)
{
    (void)state;
    efc_model *m = group_of("mean", 1, 3, 0, 0);
    /* (1 * 0.2 + 3 * 0.8) / 4 = 2.6 / 4 */
    assert_close(root_score(m, 0.2, 0.8, 0.9, NULL), 0.65, 1e-15);
    /* b missing: weights renormalised over a alone */
    assert_close(root_score(m, 0.2, NAN, 0.9, NULL), 0.2, 0);
    /* c has weight 0: ignored even when present */
    assert_close(root_score(m, 0.5, 0.5, 0.0, NULL), 0.5, 0);
    efc_model_free(m);
}

static void test_geomean(void **state)
{
    (void)state;
    efc_model *m = group_of("geomean", 1, 1, 0, 0);
    /* sqrt(0.25 * 1) */
    assert_close(root_score(m, 0.25, 1, 0, NULL), 0.5, 1e-15);
    /* a present child at 0 makes the geometric mean 0 ... */
    assert_same_bits(root_score(m, 0, 0.9, 0.5, NULL), 0.0);
    /* ... but a child of weight 0 scoring 0 is ignored */
    assert_close(root_score(m, 0.36, 1, 0, NULL), 0.6, 1e-15);
    efc_model_free(m);
    m = group_of("geomean", 2, 1, 1, 0);
    /* (0.25^2 * 1 * 0.5)^(1/4) = 0.03125^0.25 */
    assert_close(root_score(m, 0.25, 1, 0.5, NULL), 0.42044820762685725, 1e-15);
    efc_model_free(m);
}

static void test_harmonic(void **state)
{
    (void)state;
    efc_model *m = group_of("harmonic", 1, 1, 1, 0);
    /* 3 / (1/0.25 + 1/0.5 + 1/1) = 3 / 7 */
    assert_close(root_score(m, 0.25, 0.5, 1, NULL), 3.0 / 7.0, 1e-15);
    assert_same_bits(root_score(m, 0.25, 0, 1, NULL), 0.0);
    efc_model_free(m);
}

static void test_min(void **state)
{
    (void)state;
    efc_model *m = group_of("min", 5, 1, 0, 0);
    assert_same_bits(root_score(m, 0.7, 0.3, 0.1, NULL), 0.3); /* c (weight 0) is not a child */
    assert_same_bits(root_score(m, 0.7, NAN, 0.1, NULL), 0.7);
    efc_model_free(m);
}

static void test_power(void **state)
{
    (void)state;
    efc_model *m = group_of("power:2", 1, 1, 0, 0);
    /* sqrt((0.25^2 + 0.5^2) / 2) = sqrt(0.15625) */
    assert_close(root_score(m, 0.25, 0.5, 0, NULL), 0.39528470752104744, 1e-15);
    /* a zero child does not zero a mean with P > 0: sqrt(0.25^2 / 2) */
    assert_close(root_score(m, 0, 0.5, 0, NULL), 0.3535533905932738, 1e-15);
    efc_model_free(m);
    m = group_of("power:0.5", 1, 1, 0, 0);
    /* ((sqrt(0.25) + sqrt(0.5)) / 2)^2 */
    assert_close(root_score(m, 0.25, 0.5, 0, NULL), 0.36427669529663687, 1e-15);
    efc_model_free(m);
    m = group_of("power:-2", 1, 1, 0, 0);
    /* ((0.25^-2 + 0.5^-2) / 2)^(-1/2) = (20 / 2)^-0.5 */
    assert_close(root_score(m, 0.25, 0.5, 0, NULL), 0.31622776601683794, 1e-15);
    /* P < 0 and a zero child: the limit is 0 */
    assert_same_bits(root_score(m, 0, 0.5, 0, NULL), 0.0);
    efc_model_free(m);
    /* Extreme exponents neither underflow nor overflow. */
    m = group_of("power:1000", 1, 1, 0, 0);
    assert_close(root_score(m, 0.1, 0.1, 0, NULL), 0.1, 1e-17);
    /* (0.1^1000 + 0.05^1000) / 2)^(1/1000) = 0.1 * ((1 + 2^-1000) / 2)^(1/1000) */
    assert_close(root_score(m, 0.1, 0.05, 0, NULL), 0.1 * pow(0.5, 1e-3), 1e-16);
    efc_model_free(m);
    m = group_of("power:-1000", 1, 1, 0, 0);
    /* 0.1 * ((1 + 2^-1000) / 2)^(-1/1000) = 0.1 * 2^(1/1000) */
    assert_close(root_score(m, 0.1, 0.2, 0, NULL), 0.1 * pow(2.0, 1e-3), 1e-16);
    efc_model_free(m);
}

/* Exponents near 0: the power mean tends to the geometric mean, and to
 * second order ln M = mean(ln x) + P/2 var(ln x) (an independent series). */
static void test_power_near_zero(void **state)
{
    (void)state;
    const char *tiny[] = {"power:1e-300", "power:-1e-300"};
    for (int i = 0; i < 2; i++) {
        efc_model *m = group_of(tiny[i], 1, 1, 0, 0);
        assert_close(root_score(m, 0.25, 1, 0, NULL), 0.5, 1e-15);
        efc_model_free(m);
    }
    double mean = log(0.25) / 2, var = (log(0.25) / 2) * (log(0.25) / 2);
    const double ps[] = {1e-12, -1e-9, 1e-4, -1e-4, 0.0009999, 0.0010001, -0.0010001, 0.002};
    for (int i = 0; i < 8; i++) {
        char agg[32];
        snprintf(agg, sizeof agg, "power:%.7g", ps[i]);
        efc_model *m = group_of(agg, 1, 1, 0, 0);
        double expected = exp(mean + ps[i] / 2 * var);
        /* the series drops O(P^2) terms, about 0.1 P^2 here */
        double tol = 2e-16 + 0.2 * ps[i] * ps[i];
        assert_close(root_score(m, 0.25, 1, 0, NULL), expected, tol);
        efc_model_free(m);
    }
    /* a zero child: P > 0 counts it as 0, P < 0 gives 0 */
    efc_model *m = group_of("power:1e-6", 1, 1, 0, 0);
    assert_close(root_score(m, 0, 1, 0, NULL), pow(0.5, 1e6), 1e-300);
    efc_model_free(m);
    m = group_of("power:-1e-6", 1, 1, 0, 0);
    assert_same_bits(root_score(m, 0, 1, 0, NULL), 0.0);
    efc_model_free(m);
}

/* power:1, power:0 and power:-1 give exactly the bits of their named means. */
static void test_power_equivalences(void **state)
{
    (void)state;
    const char *named[] = {"mean", "geomean", "harmonic"};
    const char *power[] = {"power:1", "power:0", "power:-1"};
    unsigned seed = 12345;
    for (int k = 0; k < 3; k++) {
        efc_model *a = group_of(named[k], 0.3, 1.7, 2.9, 0);
        efc_model *b = group_of(power[k], 0.3, 1.7, 2.9, 0);
        for (int i = 0; i < 200; i++) {
            double v[3];
            for (int j = 0; j < 3; j++) {
                seed = seed * 1103515245u + 12345u;
                v[j] = (double)(seed >> 8) / 16777216.0;
            }
            assert_same_bits(root_score(a, v[0], v[1], v[2], NULL),
                             root_score(b, v[0], v[1], v[2], NULL));
        }
        efc_model_free(a);
        efc_model_free(b);
    }
}

/* ratio: the first child listed over the second, whatever their ids, not
 * clamped; product: children raised to their weights; both need every
 * child. */
static void test_ratio_and_product(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    /* "z" is listed first: it is the numerator although "a" sorts first */
    assert_ok(load_text(&m,
                        HEAD "g,,1,,,,,ratio,,\n"
                             "z,g,1,0,1,+,none,,,\n"
                             "a,g,1,0,1,+,none,,,\n",
                        err),
              err);
    double v[2] = {0.9, 0.6}; /* leaf order: z, a */
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_close(efc_result_score(r, efc_model_root(m)), 0.9 / 0.6, 0);
    v[1] = NAN;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_true(isnan(efc_result_score(r, efc_model_root(m))));
    assert_close(efc_result_coverage(r, efc_model_root(m)), 0.5, 0);
    v[1] = 0;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_true(isnan(efc_result_score(r, efc_model_root(m))));
    efc_result_free(r);
    /* the export keeps the order, so the ratio reads back the same */
    char buf[2000];
    size_t len;
    assert_ok(efc_model_export_buffer(buf, sizeof buf, &len, m, err), err);
    assert_non_null(strstr(buf, ",ratio,"));
    efc_model *back;
    assert_ok(efc_model_load_buffer(&back, buf, len, "x.csv", NULL, err), err);
    assert_int_equal(efc_model_node_aggregate(back, efc_model_root(back)), EFC_AGGREGATE_RATIO);
    assert_true(isnan(efc_model_node_power(back, efc_model_root(back))));
    double w[2] = {0.9, 0.6}, out[3];
    assert_ok(efc_model_score_batch(out, NULL, 3, 1, NULL, back, 1, w, 2, 1, err), err);
    assert_close(out[efc_model_root(back)], 1.5, 1e-15);
    efc_model_free(back);
    efc_model_free(m);
    /* product: 0.5^2 * 0.8 */
    m = group_of("product", 2, 1, 0, 0);
    assert_close(root_score(m, 0.5, 0.8, 0.3, NULL), 0.25 * 0.8, 1e-15);
    assert_true(isnan(root_score(m, 0.5, NAN, 0.3, NULL)));
    efc_model_free(m);
    m = group_of("product", 1, 1, 1, 0);
    assert_close(root_score(m, 0.5, 0.8, 0.3, NULL), 0.5 * 0.8 * 0.3, 1e-15);
    efc_model_free(m);
    /* a ratio needs exactly two children of weight > 0 */
    m = NULL;
    assert_status(load_text(&m,
                            HEAD "g,,1,,,,,ratio,,\n"
                                 "a,g,1,0,1,+,none,,,\n"
                                 "b,g,1,0,1,+,none,,,\n"
                                 "c,g,1,0,1,+,none,,,\n",
                            err),
                  EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_line(err), 2);
    assert_non_null(strstr(efc_error_message(err), "3 children"));
    assert_status(load_text(&m,
                            HEAD "g,,1,,,,,ratio,,\n"
                                 "a,g,1,0,1,+,none,,,\n"
                                 "b,g,0,0,1,+,none,,,\n",
                            err),
                  EFC_ERR_MODEL, err);
    assert_null(m);
    efc_error_free(err);
}

static void test_coverage(void **state)
{
    (void)state;
    efc_model *m = group_of("mean", 1, 1, 1, 0.6);
    double cov;
    /* two of three present: coverage 2/3 >= 0.6 */
    assert_close(root_score(m, 0.3, NAN, 0.6, &cov), 0.45, 1e-15);
    assert_close(cov, 2.0 / 3.0, 1e-15);
    /* one of three: 1/3 < 0.6, the group is missing, coverage still reported */
    assert_true(isnan(root_score(m, 0.3, NAN, NAN, &cov)));
    assert_close(cov, 1.0 / 3.0, 1e-15);
    efc_model_free(m);
    /* min_coverage 0: one child present is enough; none is missing */
    m = group_of("mean", 1, 1, 1, 0);
    assert_close(root_score(m, NAN, 0.4, NAN, &cov), 0.4, 0);
    assert_true(isnan(root_score(m, NAN, NAN, NAN, &cov)));
    assert_same_bits(cov, 0.0);
    efc_model_free(m);
    /* Weights written as decimals meet a bar equal to their share: 0.1 + 0.7
     * sums to 0.7999999999999999 in binary, which must still meet 0.8. */
    m = group_of("mean", 0.1, 0.2, 0.7, 0.8);
    assert_close(root_score(m, 0.5, NAN, 0.5, &cov), 0.5, 1e-15);
    assert_true(cov < 0.8);
    efc_model_free(m);
}

static void test_normalisation(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        HEAD "g,,1,,,,,mean,0,\n"
                             "up,g,1,0,4,+,none,,,\n"
                             "down,g,1,0,4,-,none,,,\n"
                             "income,g,1,100,75000,+,log,,,\n"
                             "shifted,g,1,-10,30,+,none,,,\n",
                        err),
              err);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    size_t up = efc_model_find(m, "up"), down = efc_model_find(m, "down"),
           inc = efc_model_find(m, "income"), sh = efc_model_find(m, "shifted");

    double v1[4] = {1, 1, 1000, 0};
    assert_ok(efc_model_score(r, m, v1, 1, err), err);
    assert_same_bits(efc_result_score(r, up), 0.25);   /* (1 - 0) / 4 */
    assert_same_bits(efc_result_score(r, down), 0.75); /* (4 - 1) / 4 */
    /* (ln 1000 - ln 100) / (ln 75000 - ln 100) = ln 10 / ln 750 */
    assert_close(efc_result_score(r, inc), 0.34781867528634974, 2e-16);
    assert_same_bits(efc_result_score(r, sh), 0.25); /* (0 + 10) / 40 */
    assert_int_equal(efc_result_clamped_count(r), 0);

    /* Values at the goalposts are not clamped; beyond them they are. */
    double v2[4] = {4, 5, 80000, -10};
    assert_ok(efc_model_score(r, m, v2, 1, err), err);
    assert_same_bits(efc_result_score(r, up), 1.0);
    assert_same_bits(efc_result_score(r, down), 0.0);
    assert_same_bits(efc_result_score(r, inc), 1.0);
    assert_same_bits(efc_result_score(r, sh), 0.0);
    assert_int_equal(efc_result_clamped_count(r), 2);
    assert_int_equal(efc_result_leaf_clamped(r, 0), 0);
    assert_int_equal(efc_result_leaf_clamped(r, 1), 1);
    assert_int_equal(efc_result_leaf_clamped(r, 2), 1);
    assert_int_equal(efc_result_leaf_clamped(r, 3), 0);

    /* Missing values score NaN with coverage 0. */
    double v3[4] = {NAN, 2, NAN, NAN};
    assert_ok(efc_model_score(r, m, v3, 1, err), err);
    assert_true(isnan(efc_result_score(r, up)));
    assert_same_bits(efc_result_coverage(r, up), 0.0);
    assert_same_bits(efc_result_coverage(r, down), 1.0);
    assert_same_bits(efc_result_score(r, efc_model_root(m)), 0.5);
    assert_close(efc_result_coverage(r, efc_model_root(m)), 0.25, 0);

    /* Invalid values are never scored. */
    double bad[3][4] = {{INFINITY, 1, 1000, 0}, {1, 1, 0, 0}, {1, -INFINITY, 1000, 0}};
    const char *why[3] = {"leaf 'up': value inf is not finite",
                          "leaf 'income': value 0 cannot take the log transform",
                          "leaf 'down': value -inf is not finite"};
    for (int i = 0; i < 3; i++) {
        assert_status(efc_model_score(r, m, bad[i], 1, err), EFC_ERR_VALUE, err);
        if (!strstr(efc_error_message(err), why[i]))
            fail_msg("got '%s', expected '%s'", efc_error_message(err), why[i]);
        assert_true(isnan(efc_result_score(r, efc_model_root(m))));
    }
    double neg[4] = {1, 1, -5, 0};
    assert_status(efc_model_score(r, m, neg, 1, err), EFC_ERR_VALUE, err);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

/* Whole answers 0..15 are looked up in a table made at finalize; every
 * other value is computed. Both must give the bits of the formula, written
 * here independently, with the same clamping, for whole values inside,
 * at and beyond the table and the goalposts, and for -0. */
static double reference_leaf(double x, double min, double max, int negative, int log_tf,
                             int *clamped)
{
    *clamped = x < min || x > max;
    if (x <= min)
        return negative ? 1 : 0;
    if (x >= max)
        return negative ? 0 : 1;
    double t = log_tf ? log(x) : x, lo = log_tf ? log(min) : min, hi = log_tf ? log(max) : max;
    double v = negative ? (hi - t) / (hi - lo) : (t - lo) / (hi - lo);
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

static void test_whole_answers(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        double min, max;
        int negative, log_tf;
    } leaves[] = {
        {"up", 0, 4, 0, 0},      {"down", 0, 4, 1, 0},  {"seven", 1, 7, 0, 0},
        {"logs", 1, 20, 0, 1},   {"neg", -3, 12, 1, 0}, {"half", 0.5, 9.5, 0, 0},
        {"tenth", 0, 0.1, 0, 0}, {"big", 2, 1e6, 1, 1},
    };
    enum { NL = sizeof leaves / sizeof leaves[0] };
    char csv[2048];
    int k = snprintf(csv, sizeof csv, HEAD "g,,1,,,,,mean,0,\n");
    for (int i = 0; i < NL; i++)
        k += snprintf(csv + k, sizeof csv - (size_t)k, "%s,g,1,%.17g,%.17g,%s,%s,,,\n",
                      leaves[i].id, leaves[i].min, leaves[i].max, leaves[i].negative ? "-" : "+",
                      leaves[i].log_tf ? "log" : "none");
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, csv, err), err);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double xs[60];
    int nx = 0;
    for (int w = -3; w <= 22; w++)
        xs[nx++] = w;
    xs[nx++] = -0.0;
    xs[nx++] = nextafter(2, 3);
    xs[nx++] = nextafter(15, 14);
    xs[nx++] = 15.5;
    xs[nx++] = 1e300;
    for (int xi = 0; xi < nx; xi++) {
        for (int i = 0; i < NL; i++) {
            double x = xs[xi];
            if (leaves[i].log_tf && !(x > 0))
                continue; /* invalid: tested in test_normalisation */
            double v[NL];
            for (int j = 0; j < NL; j++)
                v[j] = NAN;
            v[efc_model_leaf_index(m, leaves[i].id)] = x;
            assert_ok(efc_model_score(r, m, v, 1, err), err);
            int cl;
            double want = reference_leaf(x, leaves[i].min, leaves[i].max, leaves[i].negative,
                                         leaves[i].log_tf, &cl);
            double got = efc_result_score(r, efc_model_find(m, leaves[i].id));
            if (memcmp(&got, &want, sizeof got) != 0)
                fail_msg("leaf %s, x = %.17g: got %.17g, want %.17g", leaves[i].id, x, got, want);
            assert_int_equal(efc_result_clamped_count(r), (size_t)cl);
        }
    }
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_thresholds(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        HEAD "g,,1,,,,,mean,0,0.5\n"
                             "a,g,1,0,1,+,none,,,0.3\n"
                             "b,g,1,0,1,+,none,,,\n",
                        err),
              err);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    size_t g = efc_model_find(m, "g"), a = efc_model_find(m, "a"), b = efc_model_find(m, "b");
    double v[2] = {0.3, 0.7};
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_int_equal(efc_result_pass(r, a), EFC_PASS_OK); /* 0.3 >= 0.3 */
    assert_int_equal(efc_result_pass(r, g), EFC_PASS_OK); /* 0.5 >= 0.5 */
    assert_int_equal(efc_result_pass(r, b), EFC_PASS_NO_THRESHOLD);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_OK);
    v[0] = 0.29;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_int_equal(efc_result_pass(r, a), EFC_PASS_FAIL);
    assert_int_equal(efc_result_pass(r, g), EFC_PASS_FAIL);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_FAIL);
    v[0] = NAN;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_int_equal(efc_result_pass(r, a), EFC_PASS_MISSING);
    assert_int_equal(efc_result_pass(r, g), EFC_PASS_OK); /* b alone: 0.7 */
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_MISSING);
    v[1] = 0.2;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_FAIL); /* a fail beats a missing */
    assert_int_equal(efc_model_pass(m, a, 0.31), EFC_PASS_OK);
    assert_int_equal(efc_model_pass(m, b, 0.31), EFC_PASS_NO_THRESHOLD);
    assert_int_equal(efc_model_pass(m, 99, 0.31), EFC_PASS_NO_THRESHOLD);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

/* A score printed equal to its threshold passes: both are compared rounded
 * to the 12 decimals efc score prints, as trajectories decide. 0.3 on
 * goalposts 0..3 is 0.09999999999999999, printed 0.1: it failed a threshold
 * of 0.1 (the CLI printed root=0.1, root_pass=0). */
static void test_threshold_as_printed(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        HEAD "r,,1,,,,,mean,0,0.1\n"
                             "q,r,1,0,3,+,none,,,0.1\n"
                             "z,r,0,0,1,+,none,,,\n",
                        err),
              err);
    size_t root = efc_model_root(m), q = efc_model_find(m, "q");
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double v[2] = {0.3, 1};
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_true(efc_result_score(r, root) < 0.1); /* its last bits */
    assert_int_equal(efc_result_pass(r, q), EFC_PASS_OK);
    assert_int_equal(efc_result_pass(r, root), EFC_PASS_OK);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_OK);
    /* the batch entry point gives the same scores, and the same outcome */
    double scores[3];
    assert_ok(efc_model_score_batch(scores, NULL, 3, 1, NULL, m, 1, v, 2, 1, err), err);
    assert_int_equal(efc_model_pass(m, root, scores[root]), EFC_PASS_OK);
    /* the rounding is to 12 decimals, half up: below 0.0999999999995 fails */
    assert_int_equal(efc_model_pass(m, root, 0.0999999999996), EFC_PASS_OK);
    assert_int_equal(efc_model_pass(m, root, 0.0999999999994), EFC_PASS_FAIL);
    assert_int_equal(efc_model_pass(m, root, 0.099), EFC_PASS_FAIL);
    v[0] = 0.29;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_int_equal(efc_result_pass(r, root), EFC_PASS_FAIL);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_FAIL);
    /* a caller's score far outside [0, 1] is compared as it is */
    assert_int_equal(efc_model_pass(m, root, 1e300), EFC_PASS_OK);
    assert_int_equal(efc_model_pass(m, root, INFINITY), EFC_PASS_OK);
    assert_int_equal(efc_model_pass(m, root, -INFINITY), EFC_PASS_FAIL);
    assert_int_equal(efc_model_pass(m, root, -1e300), EFC_PASS_FAIL);
    /* thresholds set in code round alike: 0.1 + 4e-13 is 0.1 as printed */
    efc_model *e;
    assert_ok(efc_model_copy(&e, m, NULL, err), err);
    assert_ok(efc_model_set_threshold(e, root, 0.1 + 4e-13, err), err);
    assert_ok(efc_model_finalize(e, err), err);
    assert_int_equal(efc_model_pass(e, root, 0.1), EFC_PASS_OK);
    assert_int_equal(efc_model_pass(e, root, 0.3 / 3), EFC_PASS_OK);
    efc_model_free(e);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

/* A nested model: the root combines groups, which combine leaves. */
static void test_nested(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        HEAD "root,,1,,,,,geomean,1,\n"
                             "x,root,1,,,,,mean,0,\n"
                             "y,root,1,,,,,min,0,\n"
                             "x1,x,1,0,10,+,none,,,\n"
                             "x2,x,1,0,10,-,none,,,\n"
                             "y1,y,1,0,1,+,none,,,\n"
                             "y2,y,1,0,1,+,none,,,\n",
                        err),
              err);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double v[4] = {8, 4, 0.9, 0.4};
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    /* x = (0.8 + 0.6) / 2 = 0.7; y = min(0.9, 0.4) = 0.4; root = sqrt(0.28) */
    assert_close(efc_result_score(r, efc_model_find(m, "x")), 0.7, 1e-15);
    assert_same_bits(efc_result_score(r, efc_model_find(m, "y")), 0.4);
    assert_close(efc_result_score(r, efc_model_root(m)), sqrt(0.28), 1e-15);
    /* root needs both children (min_coverage 1) */
    v[2] = v[3] = NAN;
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    assert_true(isnan(efc_result_score(r, efc_model_root(m))));
    assert_close(efc_result_coverage(r, efc_model_root(m)), 0.5, 0);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

/* The order of rows in the codebook does not change a single bit. */
static void test_sibling_order(void **state)
{
    (void)state;
    const char *rows[] = {"a,g,0.1,0,1,+,none,,,\n", "b,g,0.2,0,1,+,none,,,\n",
                          "c,g,0.7,0,1,+,none,,,\n"};
    int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    const char *aggs[] = {"mean", "geomean", "harmonic", "power:3"};
    efc_error *err = new_error();
    for (int k = 0; k < 4; k++) {
        double first[50];
        for (int p = 0; p < 6; p++) {
            char csv[512];
            snprintf(csv, sizeof csv, HEAD "g,,1,,,,,%s,0,\n%s%s%s", aggs[k], rows[perms[p][0]],
                     rows[perms[p][1]], rows[perms[p][2]]);
            efc_model *m;
            assert_ok(load_text(&m, csv, err), err);
            unsigned seed = 99;
            for (int i = 0; i < 50; i++) {
                double by_id[3], v[3];
                for (int j = 0; j < 3; j++) {
                    seed = seed * 1103515245u + 12345u;
                    by_id[j] = (double)(seed >> 8) / 16777216.0;
                }
                for (int j = 0; j < 3; j++) /* leaf number j is row perms[p][j] */
                    v[j] = by_id[perms[p][j]];
                double s = root_score(m, v[0], v[1], v[2], NULL);
                if (p == 0)
                    first[i] = s;
                else
                    assert_same_bits(s, first[i]);
            }
            efc_model_free(m);
        }
    }
    efc_error_free(err);
}

static void test_result_misuse(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *a = group_of("mean", 1, 1, 1, 0), *b = group_of("mean", 1, 1, 1, 0);
    efc_result *r;
    assert_ok(efc_result_create(&r, a, NULL, err), err);
    double v[3] = {1, 1, 1};
    assert_status(efc_model_score(r, b, v, 1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_score(r, a, NULL, 1, err), EFC_ERR_ARGUMENT, err);
    assert_true(isnan(efc_result_score(r, 999)));
    assert_true(isnan(efc_result_coverage(r, 999)));
    assert_int_equal(efc_result_pass(r, 999), EFC_PASS_NO_THRESHOLD);
    assert_int_equal(efc_result_pass_all(r), EFC_PASS_NO_THRESHOLD);
    assert_int_equal(efc_result_leaf_clamped(r, 999), 0);
    assert_non_null(efc_result_scores(r));
    assert_non_null(efc_result_coverages(r));
    efc_result_free(r);
    efc_model *editable;
    assert_ok(efc_model_create(&editable, NULL, err), err);
    assert_status(efc_result_create(&r, editable, NULL, err), EFC_ERR_STATE, err);
    assert_null(r);
    efc_result_free(NULL);
    efc_model_free(editable);
    efc_model_free(a);
    efc_model_free(b);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_geomean),
        cmocka_unit_test(test_harmonic),
        cmocka_unit_test(test_min),
        cmocka_unit_test(test_power),
        cmocka_unit_test(test_power_near_zero),
        cmocka_unit_test(test_power_equivalences),
        cmocka_unit_test(test_ratio_and_product),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_whole_answers),
        cmocka_unit_test(test_threshold_as_printed),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_sibling_order),
        cmocka_unit_test(test_result_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
