/* The indicator pipeline (efc/index.h): each step against values worked
 * out by hand from its formula (docs/concepts.md), edge cases, errors with
 * their places and reasons, codebook round trips, allocation failures, and
 * COINr's ASEM example against the independent R reference of
 * tests/data/asem (every stage to 1e-9, the treatment table exactly). */
#include "helpers.h"

static efc_index *run_on(const efc_model *m, const efc_table *t, const char *period, double screen)
{
    efc_error *e = new_error();
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    if (period)
        assert_ok(efc_index_options_set_period_column(o, period, e), e);
    assert_ok(efc_index_options_set_screen(o, screen, e), e);
    efc_index *ix = NULL;
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    efc_index_options_free(o);
    efc_error_free(e);
    return ix;
}

/* The value of node `id` for unit `unit` at a stage. */
static double at(const efc_index *ix, efc_index_stage stage, const char *unit, const char *id)
{
    const efc_model *m = efc_index_model(ix);
    for (size_t u = 0; u < efc_index_unit_count(ix); u++)
        if (strcmp(efc_index_unit_id(ix, u), unit) == 0)
            return efc_index_value(ix, stage, u, efc_model_find(m, id));
    fail_msg("no unit %s", unit);
    return NAN;
}

static const char hand_cb[] = "id,parent,weight,direction,denominator,impute,treat,normalise,"
                              "aggregate\n"
                              "root,,1,,,,,,mean\n"
                              "A,root,1,+,pop,mean,,minmax,\n"
                              "B,root,3,-,,,,zscore:50:10,\n";
static const char hand_data[] = "id,pop,A,B\n"
                                "u1,1,2,10\n"
                                "u2,2,8,20\n"
                                "u3,1,,30\n"
                                "u4,4,20,40\n";

/* Denominate, impute by the mean, min-max, z-score with direction -, and
 * a weighted mean: every number from the formulas by hand. */
static void test_hand_example(void **state)
{
    (void)state;
    efc_model *m = model_of(hand_cb);
    assert_int_equal(efc_model_needs_index(m), 1);
    efc_table *t = table_of(m, hand_data);
    assert_int_equal(efc_table_rows(t), 4);
    efc_index *ix = run_on(m, t, NULL, 0);
    assert_int_equal(efc_index_unit_count(ix), 4);
    /* A / pop: 2, 4, missing, 5; the mean of those present fills u3 */
    assert_close(at(ix, EFC_STAGE_RAW, "u2", "A"), 8, 0);
    assert_close(at(ix, EFC_STAGE_DENOMINATED, "u2", "A"), 4, 0);
    assert_true(isnan(at(ix, EFC_STAGE_DENOMINATED, "u3", "A")));
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u3", "A"), 11.0 / 3, 1e-15);
    assert_int_equal(efc_index_imputed_count(ix), 1);
    const efc_model *im = efc_index_model(ix);
    size_t a = efc_model_find(im, "A"), b = efc_model_find(im, "B"), root = efc_model_root(im);
    assert_int_equal(efc_index_imputed(ix, 2, a), 1);
    assert_int_equal(efc_index_imputed(ix, 0, a), 0);
    assert_int_equal(efc_index_imputed(ix, 2, b), 0);
    /* min-max over [2, 5] */
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u1", "A"), 0, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u2", "A"), 2.0 / 3, 1e-15);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u3", "A"), 5.0 / 9, 1e-15);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u4", "A"), 1, 0);
    /* z-score of -B: mean -25, sample sd sqrt(500 / 3), onto 50 + 10 z */
    double sd = sqrt(500.0 / 3);
    double zb[4] = {50 + 10 * 15 / sd, 50 + 10 * 5 / sd, 50 - 10 * 5 / sd, 50 - 10 * 15 / sd};
    const char *units[4] = {"u1", "u2", "u3", "u4"};
    double za[4] = {0, 2.0 / 3, 5.0 / 9, 1};
    for (int u = 0; u < 4; u++) {
        assert_close(at(ix, EFC_STAGE_NORMALISED, units[u], "B"), zb[u], 1e-12);
        assert_close(at(ix, EFC_STAGE_AGGREGATED, units[u], "root"), (za[u] + 3 * zb[u]) / 4,
                     1e-12);
        /* groups hold NaN before aggregation; leaves keep their values */
        assert_true(isnan(efc_index_value(ix, EFC_STAGE_NORMALISED, (size_t)u, root)));
        assert_same_bits(efc_index_value(ix, EFC_STAGE_AGGREGATED, (size_t)u, b),
                         efc_index_value(ix, EFC_STAGE_NORMALISED, (size_t)u, b));
    }
    /* out of range */
    assert_true(isnan(efc_index_value(ix, EFC_STAGE_RAW, 4, a)));
    assert_true(isnan(efc_index_value(ix, (efc_index_stage)9, 0, a)));
    assert_null(efc_index_unit_id(ix, 4));
    assert_null(efc_index_unit_period(ix, 0));
    assert_int_equal(efc_index_unit_row(ix, 3), 3);
    assert_int_equal(efc_index_unit_row(ix, 4), EFC_NO_NODE);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* Bulk reads: every stage with both layouts, and refusals. */
static void test_fill(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of(hand_cb);
    efc_table *t = table_of(m, hand_data);
    efc_index *ix = run_on(m, t, NULL, 0);
    size_t units = 4, nodes = efc_model_node_count(efc_index_model(ix));
    double rows[4 * 3], cols[4 * 3];
    for (int s = EFC_STAGE_RAW; s <= EFC_STAGE_AGGREGATED; s++) {
        assert_ok(efc_index_fill(rows, 12, (ptrdiff_t)nodes, 1, ix, (efc_index_stage)s, e), e);
        assert_ok(efc_index_fill(cols, 12, 1, (ptrdiff_t)units, ix, (efc_index_stage)s, e), e);
        for (size_t u = 0; u < units; u++)
            for (size_t k = 0; k < nodes; k++) {
                double v = efc_index_value(ix, (efc_index_stage)s, u, k);
                assert_same_bits(rows[u * nodes + k], v);
                assert_same_bits(cols[k * units + u], v);
            }
    }
    rows[0] = 42;
    assert_status(efc_index_fill(rows, 11, (ptrdiff_t)nodes, 1, ix, EFC_STAGE_RAW, e),
                  EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_fill(rows, 12, (ptrdiff_t)nodes, 1, ix, (efc_index_stage)6, e),
                  EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_fill(NULL, 12, (ptrdiff_t)nodes, 1, ix, EFC_STAGE_RAW, e),
                  EFC_ERR_ARGUMENT, e);
    assert_close(rows[0], 42, 0); /* nothing written on error */
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* Ranks (ties share the lowest), percentiles, distances to the max, to a
 * target (capped at 1) and to a reference unit, as COINr defines them. */
static void test_rank_and_distances(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,normalise,target,aggregate\n"
                            "root,,,,mean\n"
                            "r,root,rank,,\n"
                            "p,root,percentile,,\n"
                            "d,root,dist2max,,\n"
                            "g,root,dist2target,2.5,\n"
                            "f,root,dist2ref:u4,,\n");
    efc_table *t = table_of(m, "id,r,p,d,g,f\n"
                               "u1,3,3,3,3,3\n"
                               "u2,1,1,1,1,1\n"
                               "u3,3,3,3,3,3\n"
                               "u4,2,2,2,2,2\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    const char *u[4] = {"u1", "u2", "u3", "u4"};
    double rank[4] = {3, 1, 3, 2}, pct[4] = {2.0 / 3, 0, 2.0 / 3, 1.0 / 3};
    double dmax[4] = {1, 0, 1, 0.5}, dtarget[4] = {1, 0, 1, 1.0 / 1.5}, dref[4] = {2, 0, 2, 1};
    for (int k = 0; k < 4; k++) {
        assert_close(at(ix, EFC_STAGE_NORMALISED, u[k], "r"), rank[k], 0);
        assert_close(at(ix, EFC_STAGE_NORMALISED, u[k], "p"), pct[k], 1e-15);
        assert_close(at(ix, EFC_STAGE_NORMALISED, u[k], "d"), dmax[k], 1e-15);
        assert_close(at(ix, EFC_STAGE_NORMALISED, u[k], "g"), dtarget[k], 1e-15);
        assert_close(at(ix, EFC_STAGE_NORMALISED, u[k], "f"), dref[k], 1e-15);
    }
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

static const char winsor_cb[] = "id,parent,treat,normalise,aggregate\n"
                                "root,,,,mean\n"
                                "w,root,winsorise:6:2:3.5,minmax,\n"
                                "l,root,winsorise:1:2:3.5,minmax,\n"
                                "n,root,,minmax,\n";

/* 1..18, 60, 100: the first iteration moves 100 to 60, still skewed
 * (skewness 2.39, kurtosis 5.21), the second moves both to 18. With at
 * most one iteration, the original values are logged after the shift
 * -min + 0.01 (max - min). */
static void test_winsorise(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of(winsor_cb);
    char data[2000];
    size_t len = (size_t)snprintf(data, sizeof data, "id,w,l,n\n");
    for (int i = 1; i <= 20; i++) {
        int v = i <= 18 ? i : i == 19 ? 60 : 100;
        len += (size_t)snprintf(data + len, sizeof data - len, "u%d,%d,%d,%d\n", i, v, v, v);
    }
    efc_table *t = table_of(m, data);
    efc_index *ix = run_on(m, t, NULL, 0);
    const efc_model *im = efc_index_model(ix);
    size_t w = efc_model_find(im, "w"), l = efc_model_find(im, "l"), n = efc_model_find(im, "n");
    assert_int_equal(efc_index_treatment(ix, w), EFC_TREAT_WINSORISE);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_HIGH), 2, 0);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_LOW), 0, 0);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_SKEW), 3.026247991155799, 1e-12);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_KURTOSIS), 9.48412291100923, 1e-12);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_SKEW_AFTER), -0.11162785439266955,
                 1e-12);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_UPPER), 18, 0);
    assert_close(efc_index_treatment_value(ix, w, EFC_TREATMENT_LOWER), 1, 0);
    assert_true(isnan(efc_index_treatment_value(ix, w, EFC_TREATMENT_LAMBDA)));
    assert_close(at(ix, EFC_STAGE_TREATED, "u20", "w"), 18, 0);
    assert_close(at(ix, EFC_STAGE_TREATED, "u19", "w"), 18, 0);
    assert_close(at(ix, EFC_STAGE_TREATED, "u18", "w"), 18, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u20", "w"), 1, 0);
    /* the log fallback */
    assert_int_equal(efc_index_treatment(ix, l), EFC_TREAT_LOG);
    assert_close(efc_index_treatment_value(ix, l, EFC_TREATMENT_SHIFT), -1 + 0.99, 1e-15);
    assert_close(efc_index_treatment_value(ix, l, EFC_TREATMENT_HIGH), 0, 0);
    assert_close(at(ix, EFC_STAGE_TREATED, "u20", "l"), log(100 - 1 + 0.99), 1e-14);
    assert_close(at(ix, EFC_STAGE_TREATED, "u1", "l"), log(0.99), 1e-14);
    /* no treatment asked: none, but the shape is reported */
    assert_int_equal(efc_index_treatment(ix, n), EFC_TREAT_NONE);
    assert_close(efc_index_treatment_value(ix, n, EFC_TREATMENT_SKEW), 3.026247991155799, 1e-12);
    assert_int_equal(efc_index_treatment(ix, efc_model_root(im)), -1);
    assert_true(isnan(efc_index_treatment_value(ix, efc_model_root(im), EFC_TREATMENT_LOW)));
    assert_true(isnan(efc_index_treatment_value(ix, w, (efc_treatment_metric)10)));
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* The plain winsorisation loop, as COINr runs it and as docs/concepts.md
 * states it: the shape recomputed from scratch at each iteration. */
static void shape_of(const double *x, size_t n, double *skew, double *kurt)
{
    double s = 0, c = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        c += x[i] - m;
    m += c / (double)n;
    double m2 = 0, m3 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - m, d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    double nn = (double)n;
    *skew = *kurt = NAN;
    if (!(m2 > 0))
        return;
    *skew = sqrt(nn) * m3 / pow(m2, 1.5) * sqrt(nn * (nn - 1)) / (nn - 2);
    double r = nn * m4 / (m2 * m2);
    *kurt = ((nn + 1) * (r - 3) + 6) * (nn - 1) / ((nn - 2) * (nn - 3));
}

static int plain_winsorise(double *w, size_t n, int most)
{
    double skew, kurt;
    shape_of(w, n, &skew, &kurt);
    int need = fabs(skew) > 2 && kurt > 3.5;
    for (int it = 0; need && it < most; it++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            lo = w[i] < lo ? w[i] : lo;
            hi = w[i] > hi ? w[i] : hi;
        }
        int high = skew >= 0;
        double ext = high ? hi : lo, next = high ? -INFINITY : INFINITY;
        for (size_t i = 0; i < n; i++)
            if (high ? w[i] < ext && w[i] > next : w[i] > ext && w[i] < next)
                next = w[i];
        if (isinf(next))
            break;
        for (size_t i = 0; i < n; i++)
            if (w[i] == ext)
                w[i] = next;
        shape_of(w, n, &skew, &kurt);
        need = fabs(skew) > 2 && kurt > 3.5;
    }
    return need;
}

/* The library's winsorisation moves two bounds and keeps running moments
 * (index_run.c); on heavy-tailed samples, with ties, outliers on both
 * sides and every winmax, it must move exactly the points the plain loop
 * moves, to the same values. */
static void test_winsorise_matches_plain_loop(void **state)
{
    (void)state;
    efc_error *e = new_error();
    unsigned long long seed = 12345;
    for (int trial = 0; trial < 312; trial++) {
        /* small samples (sorted whole) and large ones, whose extremes
         * alone are sorted until the loop reaches the middle */
        size_t n = trial >= 306      ? 4000 + (size_t)trial
                   : trial >= 300    ? 5000
                   : trial % 10 == 9 ? 1500 + (size_t)trial
                                     : 20 + (size_t)(trial % 7) * 37;
        double *x = malloc(n * sizeof *x), *w = malloc(n * sizeof *w);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = ((double)(seed >> 11) + 0.5) / 9007199254740992.0;
            /* log-normal, Pareto-like or rounded (ties), some negative */
            double v = trial % 3 == 0   ? exp(3 * (u - 0.5) * 2)
                       : trial % 3 == 1 ? pow(u, -1.5)
                                        : round(10 / (u + 0.01));
            x[i] = (trial % 5 == 0) ? -v : v;
            /* log-uniform: some 430 iterations, beyond the sorted extremes */
            if (trial >= 300)
                x[i] = (trial % 2 ? -1 : 1) * exp(20 * u);
            /* a bell shape with a few outliers a billion times its spread,
             * on one side or both: the sums' centre moves far as they go */
            if (trial >= 306)
                x[i] = (u - 0.5) * (1 + u) +
                       (i % 997 == 5 ? (trial % 3 == 0 && i % 2 ? -1e9 : 1e9) * (1 + u) : 0);
        }
        int most = trial >= 306      ? 3 + trial % 5
                   : trial >= 300    ? 1000
                   : trial % 10 == 9 ? 200 + trial
                                     : 1 + trial % 40;
        memcpy(w, x, n * sizeof *w);
        int still = plain_winsorise(w, n, most);
        efc_model *m = NULL;
        size_t root, leaf;
        char text[64];
        snprintf(text, sizeof text, "winsorise:%d:2:3.5", most);
        assert_ok(efc_model_create(&m, NULL, e), e);
        assert_ok(efc_model_add_group(&root, m, "root", NULL, e), e);
        assert_ok(efc_model_add_leaf(&leaf, m, "x", "root", NAN, NAN, e), e);
        assert_ok(efc_model_set_step(m, leaf, EFC_STEP_TREAT, text, e), e);
        assert_ok(efc_model_set_step(m, leaf, EFC_STEP_NORMALISE, "minmax", e), e);
        assert_ok(efc_model_finalize(m, e), e);
        efc_table *t = NULL;
        assert_ok(efc_table_create(&t, n, NULL, e), e);
        assert_ok(efc_table_add_numbers(t, "x", x, 1, e), e);
        double *ids = malloc(n * sizeof *ids);
        for (size_t i = 0; i < n; i++)
            ids[i] = (double)i;
        assert_ok(efc_table_add_numbers(t, "id", ids, 1, e), e);
        efc_index *ix = run_on(m, t, NULL, 0);
        const efc_model *im = efc_index_model(ix);
        size_t node = efc_model_find(im, "x");
        /* the summary's shapes, from passes fused with the gathering, are
         * the plain formula's bits, before and after */
        double skew0, kurt0;
        shape_of(x, n, &skew0, &kurt0);
        assert_same_bits(efc_index_treatment_value(ix, node, EFC_TREATMENT_SKEW), skew0);
        assert_same_bits(efc_index_treatment_value(ix, node, EFC_TREATMENT_KURTOSIS), kurt0);
        if (!still) {
            shape_of(w, n, &skew0, &kurt0);
            assert_same_bits(efc_index_treatment_value(ix, node, EFC_TREATMENT_SKEW_AFTER), skew0);
            assert_same_bits(efc_index_treatment_value(ix, node, EFC_TREATMENT_KURTOSIS_AFTER),
                             kurt0);
        }
        if (still) {
            assert_int_equal(efc_index_treatment(ix, node), EFC_TREAT_LOG);
        } else {
            size_t low = 0, high = 0;
            for (size_t i = 0; i < n; i++) {
                assert_same_bits(efc_index_value(ix, EFC_STAGE_TREATED, i, node), w[i]);
                low += w[i] > x[i];
                high += w[i] < x[i];
            }
            assert_close(efc_index_treatment_value(ix, node, EFC_TREATMENT_LOW), (double)low, 0);
            assert_close(efc_index_treatment_value(ix, node, EFC_TREATMENT_HIGH), (double)high, 0);
        }
        efc_index_free(ix);
        efc_table_free(t);
        efc_model_free(m);
        free(x);
        free(w);
        free(ids);
    }
    efc_error_free(e);
}

/* A share for winmax: ceil(10 % of 20) = 2 points, enough here. */
static void test_winmax_share(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,treat,normalise,aggregate\n"
                            "root,,,,mean\n"
                            "w,root,winsorise,minmax,\n"
                            "x,root,winsorise:5%,minmax,\n");
    assert_string_equal(efc_model_node_step(m, efc_model_find(m, "w"), EFC_STEP_TREAT),
                        "winsorise:10%:2:3.5");
    char data[2000];
    size_t len = (size_t)snprintf(data, sizeof data, "id,w,x\n");
    for (int i = 1; i <= 20; i++) {
        int v = i <= 18 ? i : i == 19 ? 60 : 100;
        len += (size_t)snprintf(data + len, sizeof data - len, "u%d,%d,%d\n", i, v, v);
    }
    efc_table *t = table_of(m, data);
    efc_index *ix = run_on(m, t, NULL, 0);
    const efc_model *im = efc_index_model(ix);
    assert_int_equal(efc_index_treatment(ix, efc_model_find(im, "w")), EFC_TREAT_WINSORISE);
    assert_int_equal(efc_index_treatment(ix, efc_model_find(im, "x")), EFC_TREAT_LOG);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* log and Box-Cox: λ given, and λ estimated at the likelihood's maximum. */
static void test_log_and_boxcox(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,treat,normalise,aggregate\n"
                            "root,,,,mean\n"
                            "a,root,log,minmax,\n"
                            "b,root,boxcox:0.5,minmax,\n"
                            "c,root,boxcox,minmax,\n");
    efc_table *t = table_of(m, "id,a,b,c\n"
                               "u1,1,1,1\n"
                               "u2,4,4,4\n"
                               "u3,9,9,9\n"
                               "u4,100,100,100\n"
                               "u5,2,2,2\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    const efc_model *im = efc_index_model(ix);
    assert_close(at(ix, EFC_STAGE_TREATED, "u2", "a"), log(4), 0);
    assert_close(at(ix, EFC_STAGE_TREATED, "u3", "b"), (3 - 1) / 0.5, 1e-15);
    size_t c = efc_model_find(im, "c");
    assert_int_equal(efc_index_treatment(ix, c), EFC_TREAT_BOXCOX);
    double lambda = efc_index_treatment_value(ix, c, EFC_TREATMENT_LAMBDA);
    assert_true(isfinite(lambda));
    /* the profile log-likelihood, by hand, is highest at λ */
    double x[5] = {1, 4, 9, 100, 2};
    double best = -INFINITY, arg = NAN;
    for (int k = -3000; k <= 3000; k++) {
        double l = k / 1000.0, y[5], mean = 0, ss = 0, sum_log = 0;
        for (int i = 0; i < 5; i++) {
            y[i] = l == 0 ? log(x[i]) : (pow(x[i], l) - 1) / l;
            mean += y[i] / 5;
            sum_log += log(x[i]);
        }
        for (int i = 0; i < 5; i++)
            ss += (y[i] - mean) * (y[i] - mean);
        double ll = (l - 1) * sum_log - 2.5 * log(ss / 5);
        if (ll > best) {
            best = ll;
            arg = l;
        }
    }
    assert_close(lambda, arg, 1e-3);
    assert_close(at(ix, EFC_STAGE_TREATED, "u4", "c"), (pow(100, lambda) - 1) / lambda, 1e-12);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* Median and group imputation; a unit without a group stays missing. */
static void test_imputation(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,impute,normalise,aggregate\n"
                            "root,,,,mean\n"
                            "md,root,median,minmax,\n"
                            "gm,root,group_mean:region,minmax,\n"
                            "gd,root,group_median:size,minmax,\n");
    efc_table *t = table_of(m, "id,region,size,md,gm,gd\n"
                               "u1,north,1,1,1,1\n"
                               "u2,north,1,2,3,2\n"
                               "u3,south,2,10,10,10\n"
                               "u4,south,2,,,\n"
                               "u5,north,1,,,\n"
                               "u6,south,2,4,20,30\n"
                               "u7,,,,,\n"
                               "u8,north,1,5,5,7\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    /* median of 1, 2, 10, 4, 5 */
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u4", "md"), 4, 0);
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u7", "md"), 4, 0);
    /* north: 1, 3, 5; south: 10, 20 */
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u5", "gm"), 3, 0);
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u4", "gm"), 15, 0);
    assert_true(isnan(at(ix, EFC_STAGE_IMPUTED, "u7", "gm")));
    /* a number column as groups: 1 -> 1, 2, 7 (median 2); 2 -> 10, 30 (20) */
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u5", "gd"), 2, 0);
    assert_close(at(ix, EFC_STAGE_IMPUTED, "u4", "gd"), 20, 0);
    assert_int_equal(efc_index_imputed_count(ix), 3 + 2 + 2);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* Documented results at the edges: a constant indicator, one with every
 * value missing, a single unit. */
static void test_edge_cases(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,impute,treat,normalise,aggregate\n"
                            "root,,,,,mean\n"
                            "mm,root,,winsorise,minmax:0:100,\n"
                            "z,root,,,zscore:50:10,\n"
                            "p,root,,,percentile,\n"
                            "d,root,,,dist2max,\n"
                            "e,root,mean,winsorise,minmax,\n");
    efc_table *t = table_of(m, "id,mm,z,p,d,e\n"
                               "u1,7,7,7,7,\n"
                               "u2,7,7,7,7,\n"
                               "u3,7,7,7,7,\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u2", "mm"), 50, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u2", "z"), 50, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u2", "p"), 0, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "u2", "d"), 1, 0);
    assert_true(isnan(at(ix, EFC_STAGE_NORMALISED, "u2", "e")));
    const efc_model *im = efc_index_model(ix);
    size_t mm = efc_model_find(im, "mm"), e = efc_model_find(im, "e");
    assert_int_equal(efc_index_treatment(ix, mm), EFC_TREAT_NONE);
    assert_true(isnan(efc_index_treatment_value(ix, mm, EFC_TREATMENT_SKEW)));
    assert_true(isnan(efc_index_treatment_value(ix, e, EFC_TREATMENT_UPPER)));
    assert_int_equal(efc_index_imputed_count(ix), 0);
    /* the root averages what is present */
    assert_close(at(ix, EFC_STAGE_AGGREGATED, "u1", "root"), (50 + 50 + 0 + 1) / 4.0, 1e-15);
    efc_index_free(ix);
    efc_table_free(t);
    t = table_of(m, "id,mm,z,p,d,e\nonly,3,4,5,6,7\n");
    ix = run_on(m, t, NULL, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "only", "mm"), 50, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "only", "z"), 50, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "only", "p"), 0.5, 0);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "only", "e"), 0.5, 0);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* Screening by coverage, and panels (a unit at several periods). */
static void test_screen_and_panel(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,normalise,aggregate\n"
                            "root,,,mean\n"
                            "a,root,minmax,\n"
                            "b,root,minmax,\n"
                            "c,root,minmax,\n");
    efc_table *t = table_of(m, "id,year,a,b,c\n"
                               "x,2020,1,2,3\n"
                               "x,2021,2,,\n"
                               "y,2020,3,4,\n"
                               "y,2021,5,6,7\n");
    efc_index *ix = run_on(m, t, "year", 0.65);
    assert_int_equal(efc_index_unit_count(ix), 3);
    assert_int_equal(efc_index_screened_count(ix), 1);
    assert_string_equal(efc_index_screened_id(ix, 0), "x");
    assert_string_equal(efc_index_screened_period(ix, 0), "2021");
    assert_int_equal(efc_index_screened_row(ix, 0), 1);
    assert_close(efc_index_screened_share(ix, 0), 1.0 / 3, 1e-15);
    assert_null(efc_index_screened_id(ix, 1));
    assert_true(isnan(efc_index_screened_share(ix, 1)));
    assert_int_equal(efc_index_screened_row(ix, 1), EFC_NO_NODE);
    /* y 2020 has 2 of 3 (0.667 >= 0.65): kept; the range of a is 1..5 */
    assert_string_equal(efc_index_unit_period(ix, 1), "2020");
    assert_string_equal(efc_index_unit_id(ix, 2), "y");
    assert_close(
        efc_index_value(ix, EFC_STAGE_NORMALISED, 1, efc_model_find(efc_index_model(ix), "a")), 0.5,
        0);
    efc_index_free(ix);
    /* without the period column, x twice is an error located at both lines */
    efc_error *e = new_error();
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_status(efc_index_run(&ix, m, t, o, e), EFC_ERR_SURVEY, e);
    assert_null(ix);
    assert_int_equal(efc_error_reason(e), EFC_REASON_DUPLICATE_ASSESSMENT);
    assert_int_equal(efc_error_line(e), 3);
    assert_int_equal(efc_error_other_line(e), 2);
    assert_string_equal(efc_error_source(e), "data.csv");
    efc_index_options_free(o);
    efc_error_free(e);
    efc_table_free(t);
    efc_model_free(m);
}

/* Copeland: by hand on four units, with a weight of 2 that breaks a draw;
 * against COINr's formula on random data; a unit without children. */
static void test_copeland(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of("id,parent,weight,min,max,aggregate\n"
                            "root,,1,,,copeland\n"
                            "a,root,2,0,10,\n"
                            "b,root,1,0,10,\n"
                            "c,root,1,0,10,\n");
    assert_int_equal(efc_model_needs_index(m), 1);
    double v[3] = {1, 2, 3}, out[4];
    assert_status(efc_model_score_batch(out, NULL, 4, 1, NULL, m, 1, v, 3, 1, e), EFC_ERR_MODEL, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
    efc_table *t = table_of(m, "id,a,b,c\n"
                               "u1,3,1,2\n"
                               "u2,2,2,2\n"
                               "u3,1,3,2\n"
                               "u4,4,4,4\n"
                               "u5,,,\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    /* u1-u2: a ahead (2 x 2), c tied (1): 5 > 4, u1 wins; u1-u3 likewise;
     * u2-u3: 5 > 4, u2 wins; u4 wins every pair; u5 has nothing */
    assert_close(at(ix, EFC_STAGE_AGGREGATED, "u1", "root"), 2 - 1, 0);
    assert_close(at(ix, EFC_STAGE_AGGREGATED, "u2", "root"), -1 + 1 - 1, 0);
    assert_close(at(ix, EFC_STAGE_AGGREGATED, "u3", "root"), -1 - 1 - 1, 0);
    assert_close(at(ix, EFC_STAGE_AGGREGATED, "u4", "root"), 3, 0);
    assert_true(isnan(at(ix, EFC_STAGE_AGGREGATED, "u5", "root")));
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    /* COINr's outranking matrix with weights normalised to 1, no missing */
    m = model_of("id,parent,weight,normalise,aggregate\n"
                 "root,,1,,copeland\n"
                 "a,root,1,minmax,\n"
                 "b,root,2,minmax,\n"
                 "c,root,1,minmax,\n"
                 "d,root,3,minmax,\n");
    enum { N = 40, K = 4 };
    double x[K][N], ids[N], wk[K] = {1.0 / 7, 2.0 / 7, 1.0 / 7, 3.0 / 7};
    unsigned long long seed = 99;
    for (int i = 0; i < N; i++) {
        ids[i] = i;
        for (int k = 0; k < K; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            x[k][i] = (double)((seed >> 33) % 5); /* many ties */
        }
    }
    assert_ok(efc_table_create(&t, N, NULL, e), e);
    assert_ok(efc_table_add_numbers(t, "id", ids, 1, e), e);
    const char *names[K] = {"a", "b", "c", "d"};
    for (int k = 0; k < K; k++)
        assert_ok(efc_table_add_numbers(t, names[k], x[k], 1, e), e);
    ix = run_on(m, t, NULL, 0);
    size_t root = efc_model_root(efc_index_model(ix));
    for (int i = 0; i < N; i++) {
        double score = 0;
        for (int j = 0; j < N; j++) {
            if (i == j)
                continue;
            double o = 0;
            for (int k = 0; k < K; k++)
                o += x[k][i] > x[k][j] ? wk[k] : x[k][i] == x[k][j] ? wk[k] / 2 : 0;
            score += o > 0.5 + 1e-12 ? 1 : o < 0.5 - 1e-12 ? -1 : 0;
        }
        assert_close(efc_index_value(ix, EFC_STAGE_AGGREGATED, (size_t)i, root), score, 0);
    }
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* ---- panel imputation: latest, linear ---- */

/* The unit at (id, period); fails when there is none. */
static size_t unit_at(const efc_index *ix, const char *unit, const char *period)
{
    for (size_t u = 0; u < efc_index_unit_count(ix); u++)
        if (strcmp(efc_index_unit_id(ix, u), unit) == 0 &&
            strcmp(efc_index_unit_period(ix, u), period) == 0)
            return u;
    fail_msg("no unit %s at %s", unit, period);
    return EFC_NO_NODE;
}

static double imputed_at(const efc_index *ix, const char *unit, const char *period, const char *id)
{
    return efc_index_value(ix, EFC_STAGE_IMPUTED, unit_at(ix, unit, period),
                           efc_model_find(efc_index_model(ix), id));
}

static int flagged_at(const efc_index *ix, const char *unit, const char *period, const char *id)
{
    return efc_index_imputed(ix, unit_at(ix, unit, period),
                             efc_model_find(efc_index_model(ix), id));
}

static const char panel_cb[] = "id,parent,impute,normalise,aggregate\n"
                               "root,,,,mean\n"
                               "L,root,latest,minmax,\n"
                               "N,root,linear,minmax,\n";
/* rows out of period order; a: gaps at the start (2008), in the middle
 * (2012, between 2010 and 2017: unequal spacing) and at the end (2020);
 * b: one row; c: two gaps in a row; d: nothing observed */
static const char panel_data[] = "id,year,L,N\n"
                                 "a,2012,,\n"
                                 "a,2010,10,10\n"
                                 "a,2017,24,24\n"
                                 "a,2008,,\n"
                                 "a,2020,,\n"
                                 "b,2015,5,5\n"
                                 "c,2011,1,1\n"
                                 "c,2013,,\n"
                                 "c,2012,,\n"
                                 "c,2014,7,7\n"
                                 "d,2010,,\n";

static void test_panel_imputation(void **state)
{
    (void)state;
    efc_model *m = model_of(panel_cb);
    const efc_model *cm = m;
    assert_string_equal(efc_model_node_step(cm, efc_model_find(cm, "L"), EFC_STEP_IMPUTE),
                        "latest");
    assert_string_equal(efc_model_node_step(cm, efc_model_find(cm, "N"), EFC_STEP_IMPUTE),
                        "linear");
    assert_int_equal(efc_model_node_step_method(cm, efc_model_find(cm, "N"), EFC_STEP_IMPUTE),
                     EFC_IMPUTE_LINEAR);
    efc_table *t = table_of(m, panel_data);
    efc_index *ix = run_on(m, t, "year", 0);
    /* latest: the last earlier value, never a later one */
    assert_true(isnan(imputed_at(ix, "a", "2008", "L")));
    assert_close(imputed_at(ix, "a", "2012", "L"), 10, 0);
    assert_close(imputed_at(ix, "a", "2020", "L"), 24, 0);
    assert_close(imputed_at(ix, "c", "2012", "L"), 1, 0);
    assert_close(imputed_at(ix, "c", "2013", "L"), 1, 0);
    /* linear on the years: 10 + (2012 - 2010) / (2017 - 2010) (24 - 10) = 14;
     * c: 1 + 1/3 6 = 3, 1 + 2/3 6 = 5; no extrapolation */
    assert_true(isnan(imputed_at(ix, "a", "2008", "N")));
    assert_close(imputed_at(ix, "a", "2012", "N"), 14, 1e-12);
    assert_true(isnan(imputed_at(ix, "a", "2020", "N")));
    assert_close(imputed_at(ix, "c", "2012", "N"), 3, 1e-12);
    assert_close(imputed_at(ix, "c", "2013", "N"), 5, 1e-12);
    /* observed cells are kept and not flagged; one row, or none observed */
    assert_close(imputed_at(ix, "a", "2017", "N"), 24, 0);
    assert_close(imputed_at(ix, "b", "2015", "L"), 5, 0);
    assert_true(isnan(imputed_at(ix, "d", "2010", "L")));
    assert_true(isnan(imputed_at(ix, "d", "2010", "N")));
    assert_int_equal(flagged_at(ix, "a", "2012", "N"), 1);
    assert_int_equal(flagged_at(ix, "a", "2020", "N"), 0);
    assert_int_equal(flagged_at(ix, "a", "2020", "L"), 1);
    assert_int_equal(flagged_at(ix, "a", "2010", "L"), 0);
    assert_int_equal(flagged_at(ix, "a", "2008", "L"), 0);
    assert_int_equal(efc_index_imputed_count(ix), 4 + 3);
    /* the raw stage is untouched */
    assert_true(isnan(efc_index_value(ix, EFC_STAGE_RAW, unit_at(ix, "a", "2012"),
                                      efc_model_find(efc_index_model(ix), "N"))));
    efc_index_free(ix);
    efc_table_free(t);

    /* dates: day counts, across months and a leap February */
    t = table_of(m, "id,date,L,N\n"
                    "x,2020-01-01,0,0\n"
                    "x,2020-01-11,,\n"
                    "x,2020-02-10,40,40\n"
                    "x,2020-03-01,,\n"
                    "x,2020-03-11,70,70\n");
    ix = run_on(m, t, "date", 0);
    assert_close(imputed_at(ix, "x", "2020-01-11", "N"), 10, 1e-12); /* 10 of 40 days */
    assert_close(imputed_at(ix, "x", "2020-03-01", "N"), 60, 1e-12); /* 20 of 30 days */
    assert_close(imputed_at(ix, "x", "2020-03-01", "L"), 40, 0);
    efc_index_free(ix);
    efc_table_free(t);

    /* a table built in code, periods a number column */
    efc_error *e = new_error();
    assert_ok(efc_table_create(&t, 3, NULL, e), e);
    const char *ids[] = {"p", "p", "p"};
    double years[] = {2001, 2000, 2004}, l[] = {NAN, 3, 9}, n[] = {NAN, 3, 9};
    assert_ok(efc_table_add_texts(t, "id", ids, e), e);
    assert_ok(efc_table_add_numbers(t, "year", years, 1, e), e);
    assert_ok(efc_table_add_numbers(t, "L", l, 1, e), e);
    assert_ok(efc_table_add_numbers(t, "N", n, 1, e), e);
    ix = run_on(m, t, "year", 0);
    assert_close(imputed_at(ix, "p", "2001", "L"), 3, 0);
    assert_close(imputed_at(ix, "p", "2001", "N"), 4.5, 1e-12);
    efc_index_free(ix);
    efc_table_free(t);
    efc_error_free(e);
    efc_model_free(m);

    /* a step text with an argument is refused */
    e = new_error();
    efc_model *bad = NULL;
    assert_status(
        load_text(&bad, "id,parent,impute,aggregate\nroot,,,mean\nL,root,latest:2010,\n", e),
        EFC_ERR_MODEL, e);
    efc_error_free(e);
}

/* The refusals of latest and linear: no period column, periods that do
 * not read or mix kinds, one period written twice; other methods do not
 * read the periods. */
static void test_panel_imputation_errors(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of(panel_cb);
    efc_table *t = table_of(m, "id,L,N\na,1,2\nb,,\n");
    efc_index *ix = NULL;
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_MODEL, e);
    assert_null(ix);
    assert_non_null(strstr(efc_error_message(e), "leaf 'L'"));
    assert_non_null(strstr(efc_error_message(e), "period column"));
    efc_table_free(t);
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_ok(efc_index_options_set_period_column(o, "year", e), e);
    static const struct {
        const char *data;
        efc_reason reason;
        size_t line, other;
        const char *said;
    } cases[] = {
        {"id,year,L,N\na,2010,1,1\na,20x1,,\n", EFC_REASON_BAD_PERIOD, 3, 0, "'20x1'"},
        {"id,year,L,N\na,2010,1,1\na,2021-02-30,,\n", EFC_REASON_BAD_PERIOD, 3, 0, "calendar"},
        {"id,year,L,N\na,2010,1,1\nb,01/02/2020,,\n", EFC_REASON_BAD_PERIOD, 3, 0, "YYYY-MM-DD"},
        {"id,year,L,N\na,2010,1,1\nb,2011,1,1\nb,2020-01-01,,\n", EFC_REASON_MIXED_PERIODS, 4, 2,
         "is a date"},
        {"id,year,L,N\na,2010,1,1\na,2010.0,,\n", EFC_REASON_DUPLICATE_ASSESSMENT, 3, 2, "twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t = table_of(m, cases[i].data);
        assert_status(efc_index_run(&ix, m, t, o, e), EFC_ERR_SURVEY, e);
        assert_null(ix);
        assert_int_equal(efc_error_reason(e), cases[i].reason);
        assert_int_equal(efc_error_line(e), cases[i].line);
        assert_int_equal(efc_error_other_line(e), cases[i].other);
        assert_string_equal(efc_error_source(e), "data.csv");
        assert_non_null(strstr(efc_error_message(e), cases[i].said));
        assert_null(strstr(efc_error_message(e), "--date-format"));
        efc_table_free(t);
    }
    efc_model_free(m);
    /* periods are read only for latest and linear: any text will do else */
    m = model_of("id,parent,impute,normalise,aggregate\nroot,,,,mean\nA,root,mean,minmax,\n");
    t = table_of(m, "id,year,A\na,2020Q1,1\na,2020Q2,\nb,2020Q1,3\n");
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    assert_close(at(ix, EFC_STAGE_IMPUTED, "a", "A"), 1, 0);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_index_options_free(o);
    efc_error_free(e);
}

/* A panel of many units and periods in shuffled rows against the
 * definitions, cell by cell, with a plain scan of the unit's rows. */
static void test_panel_imputation_matches_scan(void **state)
{
    (void)state;
    enum { UNITS = 40, PERIODS = 25, ROWS = UNITS * PERIODS };
    static char idbuf[ROWS][24];
    static const char *ids[ROWS];
    static double year[ROWS], x[ROWS];
    size_t perm[ROWS];
    unsigned long seed = 12345;
    for (size_t r = 0; r < ROWS; r++)
        perm[r] = r;
    for (size_t r = ROWS - 1; r > 0; r--) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        size_t k = (size_t)(seed >> 33) % (r + 1), tmp = perm[r];
        perm[r] = perm[k];
        perm[k] = tmp;
    }
    for (size_t r = 0; r < ROWS; r++) {
        size_t u = perm[r] / PERIODS, p = perm[r] % PERIODS;
        snprintf(idbuf[r], sizeof idbuf[r], "u%zu", u);
        ids[r] = idbuf[r];
        year[r] = 1990 + (double)(p * p) / 4; /* unequal spacing */
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        x[r] = (seed >> 40) % 3 == 0 ? NAN : (double)((seed >> 20) % 1000) / 7;
    }
    efc_error *e = new_error();
    efc_model *m = model_of(panel_cb);
    efc_table *t = NULL;
    assert_ok(efc_table_create(&t, ROWS, NULL, e), e);
    assert_ok(efc_table_add_texts(t, "id", ids, e), e);
    assert_ok(efc_table_add_numbers(t, "year", year, 1, e), e);
    assert_ok(efc_table_add_numbers(t, "L", x, 1, e), e);
    assert_ok(efc_table_add_numbers(t, "N", x, 1, e), e);
    efc_index *ix = run_on(m, t, "year", 0);
    const efc_model *im = efc_index_model(ix);
    size_t L = efc_model_find(im, "L"), N = efc_model_find(im, "N"), count = 0;
    assert_int_equal(efc_index_unit_count(ix), ROWS);
    for (size_t u = 0; u < ROWS; u++) {
        size_t r = efc_index_unit_row(ix, u);
        double latest = x[r], lin = x[r];
        if (isnan(x[r])) {
            size_t before = EFC_NO_NODE, after = EFC_NO_NODE;
            for (size_t q = 0; q < ROWS; q++) {
                if (isnan(x[q]) || strcmp(ids[q], ids[r]) != 0)
                    continue;
                if (year[q] < year[r] && (before == EFC_NO_NODE || year[q] > year[before]))
                    before = q;
                if (year[q] > year[r] && (after == EFC_NO_NODE || year[q] < year[after]))
                    after = q;
            }
            latest = before == EFC_NO_NODE ? NAN : x[before];
            lin = before == EFC_NO_NODE || after == EFC_NO_NODE
                      ? NAN
                      : x[before] + (year[r] - year[before]) / (year[after] - year[before]) *
                                        (x[after] - x[before]);
            count += !isnan(latest) + !isnan(lin);
        }
        assert_same_bits(efc_index_value(ix, EFC_STAGE_IMPUTED, u, L), latest);
        assert_same_bits(efc_index_value(ix, EFC_STAGE_IMPUTED, u, N), lin);
    }
    assert_int_equal(efc_index_imputed_count(ix), count);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* A table of `units` rows: "id" (0, 1, ...), with `pop` a column "pop"
 * (1 .. 13), and leaves x00, x01, ...: exp(spread * u) for u uniform from
 * a fixed generator seeded by `seed`, missing where row % gap is the
 * leaf's number. */
static efc_table *random_table(int units, int leaves, unsigned long long seed, int gap,
                               double spread, int pop)
{
    efc_error *e = new_error();
    efc_table *t = NULL;
    assert_ok(efc_table_create(&t, (size_t)units, NULL, e), e);
    double *col = malloc((size_t)units * sizeof *col);
    for (int i = 0; i < units; i++)
        col[i] = i;
    assert_ok(efc_table_add_numbers(t, "id", col, 1, e), e);
    if (pop) {
        for (int i = 0; i < units; i++)
            col[i] = 1 + i % 13;
        assert_ok(efc_table_add_numbers(t, "pop", col, 1, e), e);
    }
    for (int j = 0; j < leaves; j++) {
        char name[8];
        snprintf(name, sizeof name, "x%02d", j);
        for (int i = 0; i < units; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = ((double)(seed >> 11) + 0.5) / 9007199254740992.0;
            col[i] = i % gap == j ? NAN : exp(spread * u);
        }
        assert_ok(efc_table_add_numbers(t, name, col, 1, e), e);
    }
    free(col);
    efc_error_free(e);
    return t;
}

/* The codebook of random_table's leaves under a mean root: imputed by mean
 * or median, winsorised, normalised by min-max or z-score; with `mixed`,
 * every fourth divided by "pop" and every fifth not treated. */
static efc_model *random_model(int leaves, int mixed)
{
    char cb[8192];
    size_t len = (size_t)snprintf(cb, sizeof cb,
                                  "id,parent,denominator,impute,treat,normalise,aggregate\n"
                                  "root,,,,,,mean\n");
    for (int j = 0; j < leaves; j++)
        len += (size_t)snprintf(cb + len, sizeof cb - len, "x%02d,root,%s,%s,%s,%s,\n", j,
                                mixed && j % 4 == 0 ? "pop" : "", j % 2 ? "median" : "mean",
                                mixed && j % 5 == 0 ? "" : "winsorise",
                                j % 3 ? "minmax:0:100" : "zscore");
    return model_of(cb);
}

/* Threads: the same bits and the same error whatever their number, on a
 * table large enough for them to be used. */
static void test_threads(void **state)
{
    (void)state;
    efc_error *e = new_error();
    enum { UNITS = 6000, LEAVES = 40 };
    efc_model *m = random_model(LEAVES, 0);
    efc_table *t = random_table(UNITS, LEAVES, 7, 97, 6, 0);
    size_t nodes = efc_model_node_count(m);
    size_t cells = (size_t)UNITS * nodes;
    double *want = malloc(6 * cells * sizeof *want), *got = malloc(cells * sizeof *got);
    unsigned counts[4] = {1, 2, 3, 0};
    for (int k = 0; k < 4; k++) {
        efc_index_options *o = NULL;
        assert_ok(efc_index_options_create(&o, NULL, e), e);
        assert_ok(efc_index_options_set_threads(o, counts[k], e), e);
        efc_index *ix = NULL;
        assert_ok(efc_index_run(&ix, m, t, o, e), e);
        for (int s = EFC_STAGE_RAW; s <= EFC_STAGE_AGGREGATED; s++) {
            double *to = k ? got : want + (size_t)s * cells;
            assert_ok(efc_index_fill(to, cells, (ptrdiff_t)nodes, 1, ix, (efc_index_stage)s, e), e);
            if (k)
                assert_memory_equal(got, want + (size_t)s * cells, cells * sizeof *got);
        }
        /* i % 97 == j leaves 62 cells of each leaf missing (j < 83) */
        assert_int_equal(efc_index_imputed_count(ix), (size_t)62 * LEAVES);
        efc_index_free(ix);
        efc_index_options_free(o);
    }
    free(want);
    free(got);
    efc_table_free(t);
    efc_model_free(m);
    /* two leaves fail (a log of a negative), in different threads' shares:
     * the first leaf's error, whatever the threads */
    char cb[4096];
    size_t len =
        (size_t)snprintf(cb, sizeof cb, "id,parent,treat,normalise,aggregate\nroot,,,,mean\n");
    for (int j = 0; j < LEAVES; j++)
        len += (size_t)snprintf(cb + len, sizeof cb - len, "x%02d,root,%s,minmax,\n", j,
                                j == 7 || j == 12 ? "log" : "");
    m = model_of(cb);
    assert_ok(efc_table_create(&t, UNITS, NULL, e), e);
    double *col = malloc(UNITS * sizeof *col);
    for (int i = 0; i < UNITS; i++)
        col[i] = i;
    assert_ok(efc_table_add_numbers(t, "id", col, 1, e), e);
    for (int j = 0; j < LEAVES; j++) {
        char name[8];
        snprintf(name, sizeof name, "x%02d", j);
        for (int i = 0; i < UNITS; i++)
            col[i] = i == 100 + j ? -1 : i + 1;
        assert_ok(efc_table_add_numbers(t, name, col, 1, e), e);
    }
    free(col);
    for (int k = 0; k < 4; k++) {
        efc_index_options *o = NULL;
        assert_ok(efc_index_options_create(&o, NULL, e), e);
        assert_ok(efc_index_options_set_threads(o, counts[k], e), e);
        efc_index *ix = NULL;
        assert_status(efc_index_run(&ix, m, t, o, e), EFC_ERR_VALUE, e);
        assert_null(ix);
        assert_non_null(strstr(efc_error_message(e), "leaf 'x07'"));
        assert_int_equal(efc_error_row(e), 107);
        efc_index_options_free(o);
    }
    efc_model_free(m);
    /* the groups over shared units: a geometric mean of z-scores fails at
     * the first unit with a negative one, whatever the threads */
    len = (size_t)snprintf(cb, sizeof cb, "id,parent,normalise,aggregate\nroot,,,geomean\n");
    for (int j = 0; j < LEAVES; j++)
        len += (size_t)snprintf(cb + len, sizeof cb - len, "x%02d,root,%s,\n", j,
                                j == 30 ? "zscore" : "minmax");
    m = model_of(cb);
    char first[600] = "";
    for (int k = 0; k < 4; k++) {
        efc_index_options *o = NULL;
        assert_ok(efc_index_options_create(&o, NULL, e), e);
        assert_ok(efc_index_options_set_threads(o, counts[k], e), e);
        efc_index *ix = NULL;
        assert_status(efc_index_run(&ix, m, t, o, e), EFC_ERR_VALUE, e);
        if (k == 0)
            snprintf(first, sizeof first, "%s", efc_error_message(e));
        else
            assert_string_equal(efc_error_message(e), first);
        efc_index_options_free(o);
    }
    assert_non_null(strstr(first, "unit '0'"));
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_status(efc_index_options_set_threads(o, 1025, e), EFC_ERR_ARGUMENT, e);
    efc_index_options_free(o);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* A reference period: its rows give the parameters, as if they were run
 * alone, and the other periods are measured with them. */
static void test_reference_period(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of("id,parent,impute,treat,normalise,aggregate\n"
                            "root,,,,,mean\n"
                            "a,root,mean,winsorise,minmax:0:100,\n"
                            "b,root,median,,zscore,\n"
                            "c,root,,,percentile,\n");
    const char *panel = "id,year,a,b,c\n"
                        "u1,2018,1,10,5\n"
                        "u2,2018,3,,6\n"
                        "u3,2018,,30,7\n"
                        "u1,2019,5,20,8\n"
                        "u2,2019,,40,4\n"
                        "u3,2019,2,50,6\n";
    efc_table *t = table_of(m, panel);
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_ok(efc_index_options_set_period_column(o, "year", e), e);
    assert_ok(efc_index_options_set_reference_period(o, "2018", e), e);
    efc_index *ix = NULL;
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    /* the 2018 rows alone */
    efc_table *t18 = table_of(m, "id,year,a,b,c\nu1,2018,1,10,5\nu2,2018,3,,6\nu3,2018,,30,7\n");
    efc_index *alone = run_on(m, t18, "year", 0);
    const efc_model *im = efc_index_model(ix);
    for (int st = EFC_STAGE_RAW; st <= EFC_STAGE_AGGREGATED; st++)
        for (size_t u = 0; u < 3; u++)
            for (size_t k = 0; k < efc_model_node_count(im); k++)
                assert_same_bits(efc_index_value(ix, (efc_index_stage)st, u, k),
                                 efc_index_value(alone, (efc_index_stage)st, u, k));
    /* 2019 on 2018's yardstick: a's range 1..3, mean 2 for u2; b's median
     * 20 and z-scores from 10, 20 (imputed), 30; c's percentile among 5, 6, 7 */
    size_t a = efc_model_find(im, "a"), b = efc_model_find(im, "b"), c = efc_model_find(im, "c");
    assert_close(efc_index_value(ix, EFC_STAGE_IMPUTED, 4, a), 2, 0);
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 3, a), (5.0 - 1) / 2 * 100, 1e-12);
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 5, a), 50, 1e-12);
    assert_close(efc_index_value(ix, EFC_STAGE_IMPUTED, 1, b), 20, 0);
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 5, b), (50.0 - 20) / 10, 1e-12);
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 3, c), 1, 0);   /* 8: above all */
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 4, c), 0, 0);   /* 4: below all */
    assert_close(efc_index_value(ix, EFC_STAGE_NORMALISED, 5, c), 0.5, 0); /* 6: the middle */
    efc_index_free(ix);
    efc_index_free(alone);
    /* refusals */
    assert_ok(efc_index_options_set_reference_period(o, "2017", e), e);
    assert_status(efc_index_run(&ix, m, t, o, e), EFC_ERR_NOT_FOUND, e);
    assert_non_null(strstr(efc_error_message(e), "2017"));
    assert_ok(efc_index_options_set_period_column(o, NULL, e), e);
    assert_status(efc_index_run(&ix, m, t18, o, e), EFC_ERR_ARGUMENT, e);
    efc_table_free(t18);
    assert_ok(efc_index_options_set_reference_period(o, NULL, e), e);
    efc_index_options_free(o);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* Found by review: values near the limits of doubles keep a shape and a
 * standard deviation; Box-Cox of a constant or empty indicator leaves it;
 * λ stays in [-5, 5]; a mean beyond a double is an error; the error of a
 * geometric mean of a negative value has its line; a share's text is the
 * one written; bulk reads refuse strides that overflow. */
static void test_review_edges(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of("id,parent,normalise,aggregate\nroot,,,mean\nx,root,zscore,\n");
    efc_table *t = table_of(m, "id,x\na,1e308\nb,-1e308\nc,0\nd,1\n");
    efc_index *ix = run_on(m, t, NULL, 0);
    /* mean 0.25, sd sqrt((2 (1e308)^2) / 3) */
    double sd = 1e308 * sqrt(2.0 / 3);
    assert_close(at(ix, EFC_STAGE_NORMALISED, "a", "x"), (1e308 - 0.25) / sd, 1e-12);
    efc_index_free(ix);
    efc_table_free(t);
    t = table_of(m, "id,x\na,1e-308\nb,2e-308\nc,3e-308\nd,5e-324\n");
    ix = run_on(m, t, NULL, 0);
    assert_true(fabs(at(ix, EFC_STAGE_NORMALISED, "c", "x")) > 0.5);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    m = model_of("id,parent,treat,normalise,aggregate\nroot,,,,mean\nb,root,boxcox,minmax,\n"
                 "w,root,winsorise:7%,minmax,\n");
    assert_string_equal(efc_model_node_step(m, efc_model_find(m, "w"), EFC_STEP_TREAT),
                        "winsorise:7%:2:3.5");
    t = table_of(m, "id,b,w\na,4,1\nb,4,2\nc,4,3\n");
    ix = run_on(m, t, NULL, 0);
    size_t b = efc_model_find(efc_index_model(ix), "b");
    assert_int_equal(efc_index_treatment(ix, b), EFC_TREAT_NONE);
    assert_true(isnan(efc_index_treatment_value(ix, b, EFC_TREATMENT_LAMBDA)));
    assert_close(at(ix, EFC_STAGE_TREATED, "a", "b"), 4, 0);
    efc_index_free(ix);
    efc_table_free(t);
    t = table_of(m, "id,b,w\na,,1\nb,,2\n");
    ix = run_on(m, t, NULL, 0);
    assert_true(isnan(at(ix, EFC_STAGE_AGGREGATED, "a", "b")));
    efc_index_free(ix);
    efc_table_free(t);
    t = table_of(m, "id,b,w\na,1,1\nb,1,2\nc,1,3\nd,1,4\ne,2,5\n");
    ix = run_on(m, t, NULL, 0);
    double lambda = efc_index_treatment_value(ix, b, EFC_TREATMENT_LAMBDA);
    assert_true(lambda >= -5 && lambda <= 5);
    /* bulk reads: strides whose offsets overflow */
    double out[64];
    assert_status(efc_index_fill(out, 64, PTRDIFF_MIN + 1, 1, ix, EFC_STAGE_AGGREGATED, e),
                  EFC_ERR_ARGUMENT, e);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    m = model_of("id,parent,impute,normalise,aggregate\nroot,,,,mean\nx,root,mean,minmax,\n");
    /* the sum overflows, the mean does not: each value divided first */
    t = table_of(m, "id,x\na,1.5e308\nb,1.5e308\nc,1.4e308\nd,\n");
    ix = run_on(m, t, NULL, 0);
    assert_close(at(ix, EFC_STAGE_IMPUTED, "d", "x"), 1.5e308 / 3 * 2 + 1.4e308 / 3, 1e295);
    efc_index_free(ix);
    efc_table_free(t);
    /* tiny values keep their shape: skewness does not depend on the scale */
    efc_model *sh = model_of("id,parent,normalise,aggregate\nroot,,,mean\nx,root,minmax,\n");
    double skew1 = NAN;
    for (int k = 0; k < 3; k++) {
        static const double scale[3] = {1, 1e-150, 1e-162};
        char data[400];
        size_t len = (size_t)snprintf(data, sizeof data, "id,x\n");
        static const double v[6] = {1, 2, 3, 4, 10, 40};
        for (int i = 0; i < 6; i++)
            len +=
                (size_t)snprintf(data + len, sizeof data - len, "u%d,%.17g\n", i, v[i] * scale[k]);
        efc_table *ts = table_of(sh, data);
        efc_index *is = run_on(sh, ts, NULL, 0);
        double skew = efc_index_treatment_value(is, efc_model_find(efc_index_model(is), "x"),
                                                EFC_TREATMENT_SKEW);
        if (k == 0)
            skew1 = skew;
        assert_close(skew, skew1, 1e-12);
        efc_index_free(is);
        efc_table_free(ts);
    }
    efc_model_free(sh);
    efc_model_free(m);
    /* the first leaf's error first, though a later leaf's periods are
     * read before any leaf runs */
    m = model_of("id,parent,denominator,impute,normalise,aggregate\nroot,,,,,mean\n"
                 "a,root,d,,minmax,\nb,root,,latest,minmax,\n");
    t = table_of(m, "id,period,d,a,b\nu1,2020Q1,0,1,2\nu2,2020Q2,1,2,3\n");
    efc_index_options *po = NULL;
    assert_ok(efc_index_options_create(&po, NULL, e), e);
    assert_ok(efc_index_options_set_period_column(po, "period", e), e);
    assert_status(efc_index_run(&ix, m, t, po, e), EFC_ERR_VALUE, e);
    assert_non_null(strstr(efc_error_message(e), "denominator"));
    efc_index_options_free(po);
    efc_table_free(t);
    efc_model_free(m);
    /* dist2ref: the unit exists, but not in the reference period */
    m = model_of("id,parent,normalise,aggregate\nroot,,,mean\nx,root,dist2ref:c,\n");
    t = table_of(m, "id,year,x\na,1,1\nb,1,2\nc,2,3\n");
    assert_ok(efc_index_options_create(&po, NULL, e), e);
    assert_ok(efc_index_options_set_period_column(po, "year", e), e);
    assert_ok(efc_index_options_set_reference_period(po, "1", e), e);
    assert_status(efc_index_run(&ix, m, t, po, e), EFC_ERR_VALUE, e);
    assert_non_null(strstr(efc_error_message(e), "no row in the reference period"));
    efc_index_options_free(po);
    efc_table_free(t);
    efc_model_free(m);
    m = model_of("id,parent,normalise,aggregate\nroot,,,geomean\na,root,zscore,\nb,root,zscore,\n");
    t = table_of(m, "id,a,b\nu1,1,2\nu2,2,1\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_VALUE, e);
    assert_int_equal(efc_error_line(e), 2);
    assert_string_equal(efc_error_source(e), "data.csv");
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

/* Failures: each with its status, reason and place. */
static void test_errors(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of(hand_cb);
    efc_table *t = NULL;
    efc_index *ix = NULL;
    /* a cell that is not a number */
    const char *bad = "id,pop,A,B\nu1,1,2,10\nu2,1,two,20\n";
    assert_status(efc_table_read_buffer(&t, m, bad, strlen(bad), "d.csv", NULL, NULL, e),
                  EFC_ERR_VALUE, e);
    assert_null(t);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NOT_A_NUMBER);
    assert_int_equal(efc_error_line(e), 3);
    assert_int_equal(efc_error_column(e), 3);
    assert_string_equal(efc_error_column_name(e), "A");
    /* a row of the wrong width, an empty file, a duplicate column */
    const char *wide = "id,pop,A,B\nu1,1,2,10,9\n";
    assert_status(efc_table_read_buffer(&t, m, wide, strlen(wide), "d.csv", NULL, NULL, e),
                  EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_FIELD_COUNT);
    assert_status(efc_table_read_buffer(&t, m, "", 0, "d.csv", NULL, NULL, e), EFC_ERR_SURVEY, e);
    const char *dup = "id,A,A\nu1,1,2\n";
    assert_status(efc_table_read_buffer(&t, m, dup, strlen(dup), "d.csv", NULL, NULL, e),
                  EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_DUPLICATE_COLUMN);
    assert_int_equal(efc_error_column(e), 3);
    /* a leaf's column missing */
    t = table_of(m, "id,pop,A\nu1,1,2\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_MISSING_COLUMN);
    assert_non_null(strstr(efc_error_message(e), "'B'"));
    efc_table_free(t);
    /* no id column */
    t = table_of(m, "name,pop,A,B\nu1,1,2,3\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_MISSING_COLUMN);
    efc_table_free(t);
    /* an empty id */
    t = table_of(m, "id,pop,A,B\nu1,1,2,3\n,1,2,3\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_EMPTY_ID);
    assert_int_equal(efc_error_line(e), 3);
    efc_table_free(t);
    /* a zero denominator */
    t = table_of(m, "id,pop,A,B\nu1,1,2,3\nu2,0,2,3\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_VALUE, e);
    assert_int_equal(efc_error_line(e), 3);
    assert_non_null(strstr(efc_error_message(e), "u2"));
    efc_table_free(t);
    efc_model_free(m);
    /* a log of a value <= 0 */
    m = model_of("id,parent,treat,normalise,aggregate\nroot,,,,mean\na,root,log,minmax,\n");
    t = table_of(m, "id,a\nu1,1\nu2,-1\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_VALUE, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_LOG_DOMAIN);
    assert_int_equal(efc_error_line(e), 3);
    efc_table_free(t);
    efc_model_free(m);
    /* a geometric mean of z-scores (negative) */
    m = model_of("id,parent,normalise,aggregate\nroot,,,geomean\na,root,zscore,\nb,root,zscore,\n");
    t = table_of(m, "id,a,b\nu1,1,2\nu2,2,1\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_VALUE, e);
    assert_non_null(strstr(efc_error_message(e), "geomean"));
    efc_table_free(t);
    efc_model_free(m);
    /* a reference unit absent */
    m = model_of("id,parent,normalise,aggregate\nroot,,,mean\na,root,dist2ref:zz,\n");
    t = table_of(m, "id,a\nu1,1\nu2,2\n");
    assert_status(efc_index_run(&ix, m, t, NULL, e), EFC_ERR_VALUE, e);
    assert_non_null(strstr(efc_error_message(e), "zz"));
    efc_table_free(t);
    efc_model_free(m);
    /* arguments */
    assert_status(efc_index_run(NULL, m, t, NULL, e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_run(&ix, NULL, NULL, NULL, e), EFC_ERR_ARGUMENT, e);
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_status(efc_index_options_set_screen(o, 1.5, e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_options_set_screen(o, NAN, e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_options_set_id_column(o, "", e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_index_options_set_id_column(o, NULL, e), EFC_ERR_ARGUMENT, e);
    assert_ok(efc_index_options_set_period_column(o, NULL, e), e);
    efc_index_options_free(o);
    efc_error_free(e);
}

/* A model with data-driven steps is refused where rows are scored one at
 * a time, with a reason clients branch on. */
static void test_refused_elsewhere(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of(hand_cb);
    double v[2] = {1, 2}, s[3], c[3];
    assert_status(efc_model_score_batch(s, c, 3, 1, NULL, m, 1, v, 2, 1, e), EFC_ERR_MODEL, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
    efc_result *r = NULL;
    assert_ok(efc_result_create(&r, m, NULL, e), e);
    assert_status(efc_model_score(r, m, v, 1, e), EFC_ERR_MODEL, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
    efc_result_free(r);
    efc_survey *sv = NULL;
    assert_status(
        efc_survey_open_buffer(&sv, m, hand_data, strlen(hand_data), "d.csv", NULL, NULL, e),
        EFC_ERR_MODEL, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
    efc_model_free(m);
    /* goalposts only: an index gives what scoring gives */
    efc_model *g = model_of("id,parent,min,max,direction,aggregate\nroot,,,,,mean\n"
                            "a,root,0,10,+,\nb,root,1,5,-,\n");
    assert_int_equal(efc_model_needs_index(g), 0);
    efc_table *t = table_of(g, "id,a,b\nu1,2,3\nu2,12,1\n");
    efc_index *ix = run_on(g, t, NULL, 0);
    double in[4] = {2, 3, 12, 1}, out[6];
    assert_ok(efc_model_score_batch(out, NULL, 3, 1, NULL, g, 2, in, 2, 1, e), e);
    for (size_t u = 0; u < 2; u++)
        for (size_t k = 0; k < 3; k++)
            assert_same_bits(efc_index_value(ix, EFC_STAGE_AGGREGATED, u, k), out[u * 3 + k]);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(g);
    efc_error_free(e);
}

/* Codebooks: canonical texts, export and reload, refusals located. */
static void test_codebook(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = model_of("id,parent,denominator,impute,treat,normalise,target,aggregate\n"
                            "root,,,,,,,mean\n"
                            "a,root,pop:1000,group_mean:region, winsorise:4 ,minmax:0:100,,\n"
                            "b,root,Den:GDP,median,boxcox:0.25,dist2target,0.75,\n"
                            "c,root,,,winsorize:20%:1.5:2,zscore,,\n");
    size_t a = efc_model_find(m, "a"), b = efc_model_find(m, "b"), c = efc_model_find(m, "c");
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_DENOMINATOR), "pop:1000");
    assert_string_equal(efc_model_node_denominator(m, a), "pop");
    assert_close(efc_model_node_denominator_scale(m, a), 1000, 0);
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_IMPUTE), "group_mean:region");
    assert_string_equal(efc_model_node_impute_column(m, a), "region");
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_TREAT), "winsorise:4:2:3.5");
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_NORMALISE), "minmax:0:100");
    assert_int_equal(efc_model_node_step_method(m, a, EFC_STEP_NORMALISE), EFC_NORMALISE_MINMAX);
    assert_int_equal(efc_model_node_step_method(m, a, EFC_STEP_DENOMINATOR), 1);
    /* a column name with ':' whose end is not a number */
    assert_string_equal(efc_model_node_denominator(m, b), "Den:GDP");
    assert_close(efc_model_node_denominator_scale(m, b), 1, 0);
    assert_string_equal(efc_model_node_step(m, b, EFC_STEP_TREAT), "boxcox:0.25");
    assert_close(efc_model_node_target(m, b), 0.75, 0);
    assert_string_equal(efc_model_node_step(m, c, EFC_STEP_TREAT), "winsorise:20%:1.5:2");
    assert_string_equal(efc_model_node_step(m, c, EFC_STEP_NORMALISE), "zscore:0:1");
    assert_string_equal(efc_model_node_step(m, c, EFC_STEP_DENOMINATOR), "");
    assert_int_equal(efc_model_node_step_method(m, c, EFC_STEP_IMPUTE), EFC_IMPUTE_NONE);
    assert_null(efc_model_node_denominator(m, c));
    assert_null(efc_model_node_step(m, 99, EFC_STEP_TREAT));
    assert_int_equal(efc_model_node_step_method(m, c, (efc_step)7), -1);
    /* export, reload, export: the same bytes */
    size_t len = 0;
    assert_ok(efc_model_export_buffer(NULL, 0, &len, m, e), e);
    char *one = malloc(len + 1), *two = malloc(len + 1);
    assert_ok(efc_model_export_buffer(one, len + 1, &len, m, e), e);
    assert_non_null(strstr(one, ",denominator,impute,treat,normalise,target\n"));
    efc_model *back = NULL;
    assert_ok(efc_model_load_buffer(&back, one, len, "x.csv", NULL, e), e);
    size_t len2 = 0;
    assert_ok(efc_model_export_buffer(two, len + 1, &len2, back, e), e);
    assert_string_equal(one, two);
    free(one);
    free(two);
    efc_model_free(back);
    efc_model_free(m);
    /* a model without steps exports as before: no new columns */
    m = model_of("id,parent,min,max\nroot,,,\na,root,0,1\n");
    char buf[400];
    assert_ok(efc_model_export_buffer(buf, sizeof buf, &len, m, e), e);
    assert_null(strstr(buf, "normalise"));
    efc_model_free(m);
    /* refusals, each at its line and column */
    static const struct {
        const char *csv;
        size_t line, column;
        efc_reason reason;
    } bad[] = {
        {"id,parent,normalise\nroot,,\na,root,minimax\n", 3, 3, EFC_REASON_UNKNOWN_NAME},
        {"id,parent,impute,normalise\nroot,,,\na,root,group_mean,minmax\n", 3, 3,
         EFC_REASON_UNKNOWN_NAME},
        {"id,parent,treat,normalise\nroot,,,\na,root,winsorise:x,minmax\n", 3, 3,
         EFC_REASON_NOT_A_NUMBER},
        {"id,parent,treat,normalise\nroot,,,\na,root,winsorise:2.5,minmax\n", 3, 3,
         EFC_REASON_OUT_OF_RANGE},
        {"id,parent,normalise\nroot,,\na,root,minmax:1:0\n", 3, 3, EFC_REASON_OUT_OF_RANGE},
        {"id,parent,denominator,normalise\nroot,,,\na,root,pop:0,minmax\n", 3, 3,
         EFC_REASON_OUT_OF_RANGE},
        {"id,parent,normalise,aggregate\nroot,,minmax,mean\na,root,minmax,\n", 2, 3,
         EFC_REASON_NONE},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        m = NULL;
        assert_status(load_text(&m, bad[k].csv, e), EFC_ERR_MODEL, e);
        assert_null(m);
        assert_int_equal(efc_error_line(e), bad[k].line);
        assert_int_equal(efc_error_column(e), bad[k].column);
        assert_int_equal(efc_error_reason(e), bad[k].reason);
    }
    /* goalposts and a method from the data; no goalposts for goalposts;
     * dist2target without a target */
    assert_status(load_text(&m, "id,parent,min,max,normalise\nroot,,,,\na,root,0,1,minmax\n", e),
                  EFC_ERR_MODEL, e);
    assert_non_null(strstr(efc_error_message(e), "leave min and max empty"));
    assert_status(load_text(&m, "id,parent,min,max,normalise\nroot,,,,\na,root,,,goalposts\n", e),
                  EFC_ERR_MODEL, e);
    assert_status(load_text(&m, "id,parent,normalise\nroot,,\na,root,dist2target\n", e),
                  EFC_ERR_MODEL, e);
    assert_non_null(strstr(efc_error_message(e), "target"));
    efc_error_free(e);
}

/* Steps set in code; the finalized model refuses them. */
static void test_builder(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_model *m = NULL;
    size_t root, a;
    assert_ok(efc_model_create(&m, NULL, e), e);
    assert_ok(efc_model_add_group(&root, m, "root", NULL, e), e);
    assert_ok(efc_model_add_leaf(&a, m, "a", "root", NAN, NAN, e), e);
    assert_status(efc_model_set_step(m, a, EFC_STEP_NORMALISE, "nope", e), EFC_ERR_MODEL, e);
    assert_non_null(strstr(efc_error_message(e), "leaf 'a'"));
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_NORMALISE), "");
    assert_ok(efc_model_set_step(m, a, EFC_STEP_NORMALISE, "minmax:0:10", e), e);
    assert_ok(efc_model_set_step(m, a, EFC_STEP_IMPUTE, "mean", e), e);
    assert_ok(efc_model_set_step(m, a, EFC_STEP_IMPUTE, NULL, e), e);
    assert_string_equal(efc_model_node_step(m, a, EFC_STEP_IMPUTE), "");
    assert_status(efc_model_set_step(m, root, EFC_STEP_IMPUTE, "mean", e), EFC_ERR_MODEL, e);
    assert_status(efc_model_set_step(m, a, (efc_step)9, "mean", e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_model_set_target(m, a, INFINITY, e), EFC_ERR_VALUE, e);
    assert_ok(efc_model_set_target(m, a, 3, e), e);
    assert_ok(efc_model_finalize(m, e), e);
    assert_status(efc_model_set_step(m, a, EFC_STEP_TREAT, "log", e), EFC_ERR_STATE, e);
    assert_status(efc_model_set_target(m, a, 1, e), EFC_ERR_STATE, e);
    efc_model *copy = NULL;
    assert_ok(efc_model_copy(&copy, m, NULL, e), e);
    assert_string_equal(efc_model_node_step(copy, a, EFC_STEP_NORMALISE), "minmax:0:10");
    assert_close(efc_model_node_target(copy, a), 3, 0);
    efc_model_free(copy);
    efc_model_free(m);
    efc_error_free(e);
}

/* Tables in code and read with the options of surveys. */
static void test_tables(void **state)
{
    (void)state;
    efc_error *e = new_error();
    efc_table *t = NULL;
    assert_ok(efc_table_create(&t, 3, NULL, e), e);
    double v[6] = {1, -1, NAN, -1, 3, -1};
    const char *txt[3] = {"a", NULL, ""};
    assert_ok(efc_table_add_numbers(t, "x", v, 2, e), e);
    assert_ok(efc_table_add_texts(t, "id", txt, e), e);
    assert_status(efc_table_add_numbers(t, "x", v, 1, e), EFC_ERR_SURVEY, e);
    assert_int_equal(efc_error_reason(e), EFC_REASON_DUPLICATE_COLUMN);
    double inf[3] = {1, INFINITY, 2};
    assert_status(efc_table_add_numbers(t, "y", inf, 1, e), EFC_ERR_ARGUMENT, e);
    const char *ctl[3] = {"a", "b\x01", "c"};
    assert_status(efc_table_add_texts(t, "z", ctl, e), EFC_ERR_ARGUMENT, e);
    assert_int_equal(efc_table_column_count(t), 2);
    assert_int_equal(efc_table_find(t, "id"), 1);
    assert_int_equal(efc_table_find(t, "nope"), EFC_NO_NODE);
    assert_int_equal(efc_table_column_kind(t, 0), EFC_COLUMN_NUMBER);
    assert_int_equal(efc_table_column_kind(t, 1), EFC_COLUMN_TEXT);
    assert_int_equal(efc_table_column_kind(t, 2), -1);
    assert_string_equal(efc_table_column_name(t, 1), "id");
    assert_close(efc_table_number(t, 0, 2), 3, 0);
    assert_true(isnan(efc_table_number(t, 0, 1)));
    assert_true(isnan(efc_table_number(t, 1, 0)));
    assert_close(efc_table_numbers(t, 0)[0], 1, 0);
    assert_null(efc_table_numbers(t, 1));
    assert_string_equal(efc_table_text(t, 1, 0), "a");
    assert_null(efc_table_text(t, 1, 1));
    assert_null(efc_table_text(t, 1, 2)); /* "" is missing */
    assert_null(efc_table_text(t, 0, 0));
    assert_int_equal(efc_table_line(t, 0), 0);
    assert_string_equal(efc_table_source(t), "");
    efc_table_free(t);
    /* a French export: BOM, ';', decimal comma, NA */
    efc_model *m = model_of(hand_cb);
    efc_survey_options *so = NULL;
    assert_ok(efc_survey_options_create(&so, NULL, e), e);
    assert_ok(efc_survey_options_set_decimal_comma(so, 1, e), e);
    assert_ok(efc_survey_options_add_na_token(so, "NA", e), e);
    const char fr[] = "\xEF\xBB\xBFid;pop;A;B;note\r\nu1;1,5;2,25;NA;bien\r\nu2;2;; 4 ;\r\n";
    assert_ok(efc_table_read_buffer(&t, m, fr, strlen(fr), "fr.csv", so, NULL, e), e);
    assert_int_equal(efc_table_rows(t), 2);
    assert_close(efc_table_number(t, efc_table_find(t, "pop"), 0), 1.5, 0);
    assert_close(efc_table_number(t, efc_table_find(t, "A"), 0), 2.25, 0);
    assert_true(isnan(efc_table_number(t, efc_table_find(t, "B"), 0)));
    assert_close(efc_table_number(t, efc_table_find(t, "B"), 1), 4, 0);
    assert_int_equal(efc_table_column_kind(t, efc_table_find(t, "note")), EFC_COLUMN_TEXT);
    assert_string_equal(efc_table_text(t, efc_table_find(t, "note"), 0), "bien");
    assert_int_equal(efc_table_line(t, 1), 3);
    assert_string_equal(efc_table_source(t), "fr.csv");
    efc_table_free(t);
    efc_survey_options_free(so);
    assert_status(efc_table_read_path(&t, m, "/nonexistent/d.csv", NULL, NULL, e), EFC_ERR_IO, e);
    assert_status(efc_table_read_path(&t, m, NULL, NULL, NULL, e), EFC_ERR_ARGUMENT, e);
    assert_status(efc_table_read_buffer(&t, NULL, "x", 1, "d", NULL, NULL, e), EFC_ERR_ARGUMENT, e);
    efc_model_free(m);
    efc_error_free(e);
}

/* Every allocation failure of a run of codebook cb on data (with period
 * column `period`, NULL: none): EFC_ERR_NOMEM, nothing leaked, and the run
 * with enough memory gives the same bits. */
static void allocation_sweep(const char *cb, const char *data, const char *period)
{
    efc_model *m = model_of(cb);
    efc_table *good_table = table_of(m, data);
    efc_index *good = run_on(m, good_table, period, 0);
    size_t cells = efc_index_unit_count(good) * efc_model_node_count(m);
    double *x = malloc(cells * sizeof *x), *y = malloc(cells * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (long k = 1;; k++) {
        counting_alloc ca = {0, k, 0, 0};
        efc_allocator a = counting_allocator(&ca);
        efc_error *e = new_error();
        efc_model *mm = NULL;
        efc_table *t = NULL;
        efc_index *ix = NULL;
        efc_index_options *o = NULL;
        efc_status st = efc_model_load_buffer(&mm, cb, strlen(cb), "cb", &a, e);
        if (!st)
            st = efc_table_read_buffer(&t, mm, data, strlen(data), "d", NULL, &a, e);
        if (!st)
            st = efc_index_options_create(&o, &a, e);
        if (!st)
            st = efc_index_options_set_id_column(o, "id", e);
        if (!st && period)
            st = efc_index_options_set_period_column(o, period, e);
        if (!st)
            st = efc_index_run(&ix, mm, t, o, e);
        if (!ca.failed) {
            assert_ok(st, e);
            size_t nodes = efc_model_node_count(mm);
            assert_ok(efc_index_fill(x, cells, (ptrdiff_t)nodes, 1, ix, EFC_STAGE_AGGREGATED, e),
                      e);
            assert_ok(efc_index_fill(y, cells, (ptrdiff_t)nodes, 1, good, EFC_STAGE_AGGREGATED, e),
                      e);
            assert_memory_equal(x, y, cells * sizeof *x);
        } else {
            assert_int_equal(st, EFC_ERR_NOMEM);
        }
        efc_index_free(ix);
        efc_index_options_free(o);
        efc_table_free(t);
        efc_model_free(mm);
        efc_error_free(e);
        assert_int_equal(ca.live, 0);
        if (!ca.failed)
            break;
    }
    free(x);
    free(y);
    efc_index_free(good);
    efc_table_free(good_table);
    efc_model_free(m);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    allocation_sweep(hand_cb, hand_data, NULL);
    /* latest and linear: the periods read, each unit's rows sorted */
    allocation_sweep(panel_cb, panel_data, "year");
}

/* ---- COINr's ASEM example against the R reference ---- */

typedef struct ref_table {
    size_t rows, cols;
    char **names; /* cols */
    char **ids;   /* rows */
    double *v;    /* rows x cols (column 0 unused) */
} ref_table;

/* A reference CSV: a header of plain names, an id, then numbers or empty. */
static ref_table read_ref(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/asem/%s", TEST_DATA_DIR, name);
    size_t len;
    char *text = slurp(path, &len);
    ref_table r = {0, 0, NULL, NULL, NULL};
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    for (char *p = line; *p; p++)
        r.cols += *p == ',';
    r.cols++;
    r.names = calloc(r.cols, sizeof *r.names);
    size_t c = 0;
    for (char *f = line, *next; f && c < r.cols; f = next, c++) {
        next = strchr(f, ',');
        if (next)
            *next++ = '\0';
        if (f[0] == '"') {
            f++;
            f[strlen(f) - 1] = '\0';
        }
        r.names[c] = strdup(f);
    }
    size_t cap = 64;
    r.ids = calloc(cap, sizeof *r.ids);
    r.v = calloc(cap * r.cols, sizeof *r.v);
    while ((line = strtok_r(NULL, "\n", &save))) {
        if (r.rows == cap) {
            cap *= 2;
            r.ids = realloc(r.ids, cap * sizeof *r.ids);
            r.v = realloc(r.v, cap * r.cols * sizeof *r.v);
        }
        char *f = line;
        for (c = 0; c < r.cols; c++) {
            char *next = strchr(f, ',');
            if (next)
                *next = '\0';
            if (c == 0) {
                if (f[0] == '"') {
                    f++;
                    f[strlen(f) - 1] = '\0';
                }
                r.ids[r.rows] = strdup(f);
            } else {
                r.v[r.rows * r.cols + c] = *f ? strtod(f, NULL) : NAN;
            }
            f = next ? next + 1 : f + strlen(f);
        }
        r.rows++;
    }
    free(text);
    return r;
}

static void free_ref(ref_table *r)
{
    for (size_t c = 0; c < r->cols; c++)
        free(r->names[c]);
    for (size_t i = 0; i < r->rows; i++)
        free(r->ids[i]);
    free(r->names);
    free(r->ids);
    free(r->v);
}

static efc_index *asem_index(void)
{
    efc_error *e = new_error();
    char path[1024];
    efc_model *m = NULL;
    snprintf(path, sizeof path, "%s/asem/asem_codebook.csv", EXAMPLES_DIR);
    assert_ok(efc_model_load_path(&m, path, NULL, e), e);
    efc_survey_options *so = NULL;
    assert_ok(efc_survey_options_create(&so, NULL, e), e);
    assert_ok(efc_survey_options_add_na_token(so, "NA", e), e);
    efc_table *t = NULL;
    snprintf(path, sizeof path, "%s/asem/asem_data.csv", EXAMPLES_DIR);
    assert_ok(efc_table_read_path(&t, m, path, so, NULL, e), e);
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_ok(efc_index_options_set_id_column(o, "UnitCode", e), e);
    efc_index *ix = NULL;
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    efc_index_options_free(o);
    efc_table_free(t);
    efc_survey_options_free(so);
    efc_model_free(m);
    efc_error_free(e);
    return ix;
}

static void test_asem_stages(void **state)
{
    (void)state;
    efc_index *ix = asem_index();
    const efc_model *m = efc_index_model(ix);
    assert_int_equal(efc_index_unit_count(ix), 51);
    assert_int_equal(efc_index_imputed_count(ix), 65);
    static const char *const files[] = {"denominated.csv", "imputed.csv", "treated.csv",
                                        "normalised.csv", "aggregated.csv"};
    for (int s = 0; s < 5; s++) {
        ref_table r = read_ref(files[s]);
        assert_int_equal(r.rows, 51);
        assert_true(r.cols >= 50);
        for (size_t i = 0; i < r.rows; i++) {
            assert_string_equal(efc_index_unit_id(ix, i), r.ids[i]);
            for (size_t c = 1; c < r.cols; c++) {
                size_t node = efc_model_find(m, r.names[c]);
                assert_int_not_equal(node, EFC_NO_NODE);
                double want = r.v[i * r.cols + c];
                double got = efc_index_value(ix, (efc_index_stage)(s + 1), i, node);
                if (isnan(want))
                    assert_true(isnan(got));
                else
                    assert_close(got, want, 1e-9 * (fabs(want) > 1 ? fabs(want) : 1));
            }
        }
        free_ref(&r);
    }
    efc_index_free(ix);
}

static void test_asem_treatment_and_ranks(void **state)
{
    (void)state;
    efc_index *ix = asem_index();
    const efc_model *m = efc_index_model(ix);
    char path[1024];
    snprintf(path, sizeof path, "%s/asem/treatment.csv", TEST_DATA_DIR);
    char *text = slurp(path, NULL), *save = NULL;
    size_t treated = 0, rows = 0;
    strtok_r(text, "\n", &save);
    for (char *line; (line = strtok_r(NULL, "\n", &save));) {
        char ind[64], how[32];
        int low, high;
        assert_int_equal(sscanf(line, "%63[^,],%d,%d,%31s", ind, &low, &high, how), 4);
        size_t node = efc_model_find(m, ind);
        assert_close(efc_index_treatment_value(ix, node, EFC_TREATMENT_LOW), low, 0);
        assert_close(efc_index_treatment_value(ix, node, EFC_TREATMENT_HIGH), high, 0);
        assert_string_equal(efc_enum_name(EFC_ENUM_TREAT, efc_index_treatment(ix, node)), how);
        treated += strcmp(how, "none") != 0;
        rows++;
    }
    free(text);
    assert_int_equal(rows, 49);
    assert_int_equal(treated, 15);
    /* the ranks of the reference, and COINr's published top six */
    ref_table r = read_ref("ranks.csv");
    size_t root = efc_model_find(m, "Index");
    for (size_t i = 0; i < r.rows; i++) {
        size_t u = 0;
        while (strcmp(efc_index_unit_id(ix, u), r.ids[i]) != 0)
            u++;
        double mine = efc_index_value(ix, EFC_STAGE_AGGREGATED, u, root);
        size_t rank = 1;
        for (size_t v = 0; v < efc_index_unit_count(ix); v++)
            rank += efc_index_value(ix, EFC_STAGE_AGGREGATED, v, root) > mine;
        assert_int_equal(rank, (size_t)r.v[i * r.cols + 2]);
    }
    free_ref(&r);
    static const struct {
        const char *unit;
        double index;
    } top[] = {{"CHE", 68.38}, {"NLD", 64.82}, {"DNK", 64.80},
               {"NOR", 64.47}, {"BEL", 63.54}, {"SWE", 63.00}};
    for (size_t k = 0; k < 6; k++)
        assert_close(round(at(ix, EFC_STAGE_AGGREGATED, top[k].unit, "Index") * 100) / 100,
                     top[k].index, 1e-9);
    efc_index_free(ix);
}

/* Without the steps' stages (efc_index_options_set_keep_steps(o, 0)): the
 * same normalised and aggregated bits, imputed cells, treatment and fitted
 * model, on one thread and on several; the stages not kept read as NaN
 * and cannot be filled. */
static void test_keep_steps(void **state)
{
    (void)state;
    efc_error *e = new_error();
    enum { UNITS = 6000, LEAVES = 40 };
    efc_model *m = random_model(LEAVES, 1);
    efc_table *t = random_table(UNITS, LEAVES, 11, 89, 5, 1);
    size_t nodes = efc_model_node_count(m);
    efc_index *all = NULL, *lean = NULL;
    for (unsigned threads = 1; threads <= 2; threads++) {
        efc_index_options *o = NULL;
        assert_ok(efc_index_options_create(&o, NULL, e), e);
        assert_ok(efc_index_options_set_threads(o, threads, e), e);
        assert_ok(efc_index_run(&all, m, t, o, e), e);
        assert_ok(efc_index_options_set_keep_steps(o, 0, e), e);
        assert_ok(efc_index_run(&lean, m, t, o, e), e);
        for (size_t u = 0; u < UNITS; u++)
            for (size_t k = 0; k < nodes; k++) {
                for (int st = EFC_STAGE_NORMALISED; st <= EFC_STAGE_AGGREGATED; st++) {
                    double a = efc_index_value(all, (efc_index_stage)st, u, k);
                    double b = efc_index_value(lean, (efc_index_stage)st, u, k);
                    assert_memory_equal(&a, &b, sizeof a);
                }
                assert_int_equal(efc_index_imputed(all, u, k), efc_index_imputed(lean, u, k));
                if (efc_model_node_kind(m, k) == EFC_NODE_LEAF)
                    assert_true(isnan(efc_index_value(lean, EFC_STAGE_TREATED, u, k)));
            }
        for (size_t k = 0; k < nodes; k++)
            for (int mt = 0; mt <= EFC_TREATMENT_SHIFT; mt++) {
                double a = efc_index_treatment_value(all, k, (efc_treatment_metric)mt);
                double b = efc_index_treatment_value(lean, k, (efc_treatment_metric)mt);
                assert_memory_equal(&a, &b, sizeof a);
            }
        efc_model *fa = NULL, *fl = NULL;
        assert_ok(efc_index_fitted_model(&fa, all, NULL, e), e);
        assert_ok(efc_index_fitted_model(&fl, lean, NULL, e), e);
        char ha[65], hl[65];
        assert_ok(efc_model_sha256(ha, fa, e), e);
        assert_ok(efc_model_sha256(hl, fl, e), e);
        assert_string_equal(ha, hl);
        double *buf = malloc(UNITS * nodes * sizeof *buf);
        assert_int_equal(
            efc_index_fill(buf, UNITS * nodes, (ptrdiff_t)nodes, 1, lean, EFC_STAGE_IMPUTED, e),
            EFC_ERR_ARGUMENT);
        assert_non_null(strstr(efc_error_message(e), "imputed stage was not kept"));
        assert_ok(
            efc_index_fill(buf, UNITS * nodes, (ptrdiff_t)nodes, 1, lean, EFC_STAGE_AGGREGATED, e),
            e);
        free(buf);
        efc_model_free(fa);
        efc_model_free(fl);
        efc_index_free(all);
        efc_index_free(lean);
        efc_index_options_free(o);
    }
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    assert_int_equal(efc_index_options_set_keep_steps(o, 2, e), EFC_ERR_ARGUMENT);
    assert_int_equal(efc_index_options_set_keep_steps(NULL, 0, e), EFC_ERR_ARGUMENT);
    efc_index_options_free(o);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_example),
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_rank_and_distances),
        cmocka_unit_test(test_winsorise),
        cmocka_unit_test(test_winsorise_matches_plain_loop),
        cmocka_unit_test(test_winmax_share),
        cmocka_unit_test(test_log_and_boxcox),
        cmocka_unit_test(test_imputation),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_screen_and_panel),
        cmocka_unit_test(test_copeland),
        cmocka_unit_test(test_panel_imputation),
        cmocka_unit_test(test_panel_imputation_errors),
        cmocka_unit_test(test_panel_imputation_matches_scan),
        cmocka_unit_test(test_review_edges),
        cmocka_unit_test(test_reference_period),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_refused_elsewhere),
        cmocka_unit_test(test_codebook),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_asem_stages),
        cmocka_unit_test(test_asem_treatment_and_ranks),
        cmocka_unit_test(test_keep_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
