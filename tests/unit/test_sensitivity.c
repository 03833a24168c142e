/* Uncertainty and sensitivity analysis of ranks. The Sobol estimator is
 * checked first on functions with known indices (a case by hand, a linear
 * function, Ishigami's); then the analysis on a small panel whose rank
 * probabilities are computed by hand, and on UNDP's HDI panel (206 actors,
 * a geometric mean of three dimensions) for the properties that must hold
 * exactly: zero spread collapses every interval onto the nominal rank, and
 * the results are the same bits whatever the number of threads. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined"
#endif

/* ---- the estimator on its own ---- */

/* n = 2, d = 1: yA = (1, 3), yB = (2, 4), yAB = (2, 3). Mean of A and B
 * 2.5, V = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3; S = mean(yB (yAB - yA))
 * / V = ((2 * 1 + 4 * 0) / 2) / (5/3) = 0.6; ST = sum((yA - yAB)^2) / (2 n
 * V) = 1 / (4 * 5/3) = 0.15. */
static void test_sobol_by_hand(void **state)
{
    (void)state;
    efc_error *err = new_error();
    const double y[] = {1, 3, 2, 4, 2, 3};
    double idx[EFC_SOBOL_METRIC_COUNT], v;
    assert_ok(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, y, 2, 1, 0, 1, NULL, err),
              err);
    assert_close(v, 5.0 / 3, 1e-15);
    assert_close(idx[EFC_SOBOL_FIRST], 0.6, 1e-15);
    assert_close(idx[EFC_SOBOL_TOTAL], 0.15, 1e-15);
    assert_true(isnan(idx[EFC_SOBOL_FIRST_Q05]) && isnan(idx[EFC_SOBOL_TOTAL_Q95]));
    /* a constant output: no variance, no index */
    const double flat[] = {1, 1, 1, 1, 1, 1};
    assert_ok(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, flat, 2, 1, 10, 1, NULL, err),
              err);
    assert_true(v == 0 && isnan(idx[EFC_SOBOL_FIRST]) && isnan(idx[EFC_SOBOL_TOTAL]));
    /* refusals */
    const double bad[] = {1, NAN, 2, 4, 2, 3};
    assert_status(
        efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, bad, 2, 1, 0, 1, NULL, err),
        EFC_ERR_VALUE, err);
    assert_status(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, y, 1, 1, 0, 1, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, y, 2, 0, 0, 1, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(
        efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, NULL, 2, 1, 0, 1, NULL, err),
        EFC_ERR_ARGUMENT, err);
    /* room for fewer than d rows of metrics: nothing written */
    idx[0] = -7;
    assert_status(efc_sobol_estimate(idx, EFC_SOBOL_METRIC_COUNT - 1, &v, y, 2, 1, 0, 1, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_true(idx[0] == -7);
    efc_error_free(err);
}

/* A uniform on [0, 1) from a 64-bit LCG: the test's own draws. */
static double lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    return (double)(*x >> 11) * 0x1.0p-53;
}

typedef double (*test_fn)(const double *x);

/* Saltelli's design for f with d inputs mapped from [0, 1) by `scale`. */
static double *design(test_fn f, size_t n, size_t d, double lo, double hi)
{
    double *a = malloc(n * d * sizeof *a), *b = malloc(n * d * sizeof *b);
    double *y = malloc(n * (d + 2) * sizeof *y), x[8];
    uint64_t seed = 42;
    for (size_t j = 0; j < n * d; j++) {
        a[j] = lo + (hi - lo) * lcg(&seed);
        b[j] = lo + (hi - lo) * lcg(&seed);
    }
    for (size_t j = 0; j < n; j++) {
        y[j] = f(a + j * d);
        y[n + j] = f(b + j * d);
        for (size_t i = 0; i < d; i++) {
            memcpy(x, a + j * d, d * sizeof *x);
            x[i] = b[j * d + i];
            y[(2 + i) * n + j] = f(x);
        }
    }
    free(a);
    free(b);
    return y;
}

static double linear(const double *x)
{
    return x[0] + 2 * x[1] + 3 * x[2];
}

/* f = x1 + 2 x2 + 3 x3 with uniform inputs: V_i = c_i^2 / 12, no
 * interaction, so S_i = ST_i = c_i^2 / 14: 1/14, 4/14, 9/14. */
static void test_sobol_linear(void **state)
{
    (void)state;
    efc_error *err = new_error();
    size_t n = 50000;
    double *y = design(linear, n, 3, 0, 1), idx[3 * EFC_SOBOL_METRIC_COUNT], v;
    assert_ok(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, y, n, 3, 200, 7, NULL, err),
              err);
    assert_close(v, 14.0 / 12, 0.03);
    for (int i = 0; i < 3; i++) {
        double want = (double)((i + 1) * (i + 1)) / 14;
        const double *r = idx + i * EFC_SOBOL_METRIC_COUNT;
        assert_close(r[EFC_SOBOL_FIRST], want, 0.02);
        assert_close(r[EFC_SOBOL_TOTAL], want, 0.02);
        assert_true(r[EFC_SOBOL_FIRST_Q05] <= r[EFC_SOBOL_FIRST_Q95]);
        assert_true(r[EFC_SOBOL_TOTAL_Q05] <= r[EFC_SOBOL_TOTAL] &&
                    r[EFC_SOBOL_TOTAL] <= r[EFC_SOBOL_TOTAL_Q95]);
        assert_true(want >= r[EFC_SOBOL_TOTAL_Q05] - 0.01 && want <= r[EFC_SOBOL_TOTAL_Q95] + 0.01);
    }
    /* the bootstrap is seeded: the same bits twice, others with another seed */
    double again[3 * EFC_SOBOL_METRIC_COUNT], other[3 * EFC_SOBOL_METRIC_COUNT];
    assert_ok(
        efc_sobol_estimate(again, sizeof again / sizeof again[0], NULL, y, n, 3, 200, 7, NULL, err),
        err);
    assert_memory_equal(idx, again, sizeof idx);
    assert_ok(
        efc_sobol_estimate(other, sizeof other / sizeof other[0], NULL, y, n, 3, 200, 8, NULL, err),
        err);
    assert_true(memcmp(idx, other, sizeof idx) != 0);
    assert_same_bits(idx[EFC_SOBOL_FIRST], other[EFC_SOBOL_FIRST]);
    free(y);
    efc_error_free(err);
}

static double ishigami(const double *x)
{
    return sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

/* Ishigami's function (a = 7, b = 0.1) on [-pi, pi]^3. Analytic indices
 * (Sobol' and Levitan 1999; Saltelli et al. 2008): V = a^2/8 + b pi^4/5 +
 * b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8
 * (1/18 - 1/50); S = (V1, V2, 0) / V, ST = ((V1 + V13), V2, V13) / V. */
static void test_sobol_ishigami(void **state)
{
    (void)state;
    efc_error *err = new_error();
    const double pi = 3.14159265358979323846, a = 7, b = 0.1;
    double pi4 = pow(pi, 4), pi8 = pow(pi, 8);
    double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double V1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), V2 = a * a / 8;
    double V13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    double S[3] = {V1 / V, V2 / V, 0}, ST[3] = {(V1 + V13) / V, V2 / V, V13 / V};
    /* the published values, to 4 digits */
    assert_close(S[0], 0.3139, 1e-4);
    assert_close(S[1], 0.4424, 1e-4);
    assert_close(ST[0], 0.5576, 1e-4);
    assert_close(ST[2], 0.2437, 1e-4);
    size_t n = 100000;
    double *y = design(ishigami, n, 3, -pi, pi), idx[3 * EFC_SOBOL_METRIC_COUNT], v;
    assert_ok(efc_sobol_estimate(idx, sizeof idx / sizeof idx[0], &v, y, n, 3, 100, 3, NULL, err),
              err);
    assert_close(v, V, 0.1);
    for (int i = 0; i < 3; i++) {
        const double *r = idx + i * EFC_SOBOL_METRIC_COUNT;
        assert_close(r[EFC_SOBOL_FIRST], S[i], 0.02);
        assert_close(r[EFC_SOBOL_TOTAL], ST[i], 0.02);
        assert_true(S[i] >= r[EFC_SOBOL_FIRST_Q05] - 0.01 && S[i] <= r[EFC_SOBOL_FIRST_Q95] + 0.01);
        assert_true(ST[i] >= r[EFC_SOBOL_TOTAL_Q05] - 0.01 &&
                    ST[i] <= r[EFC_SOBOL_TOTAL_Q95] + 0.01);
    }
    free(y);
    efc_error_free(err);
}

/* ---- the analysis on a small panel ---- */

/* r = mean(g1, g2); g1 = mean(a), g2 = mean(b, c). */
#define SMALL                                                                                      \
    "id,parent,weight,min,max,aggregate\n"                                                         \
    "r,,1,,,mean\n"                                                                                \
    "g1,r,1,,,mean\n"                                                                              \
    "g2,r,1,,,mean\n"                                                                              \
    "a,g1,1,0,1,\n"                                                                                \
    "b,g2,1,0,1,\n"                                                                                \
    "c,g2,1,0,1,\n"

typedef struct small {
    efc_model *m;
    efc_panel *p;
    efc_error *err;
} small;

/* Score answers (in leaf order) with the panel's model and add them as the
 * actor's assessment at `period`: a panel as the survey reader fills it. */
static void add_scored(efc_panel *p, const char *actor, const char *period, const double *answers,
                       efc_error *err)
{
    const efc_model *m = efc_panel_model(p);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    assert_ok(efc_model_score(r, m, answers, 1, err), err);
    assert_ok(efc_panel_add(p, actor, period, NULL, efc_result_scores(r), 0, err), err);
    efc_result_free(r);
}

static void small_add(small *f, const char *actor, double a, double b, double c)
{
    double v[3];
    v[efc_model_leaf_index(f->m, "a")] = a;
    v[efc_model_leaf_index(f->m, "b")] = b;
    v[efc_model_leaf_index(f->m, "c")] = c;
    add_scored(f->p, actor, "2024", v, f->err);
}

/* X: g1 = 1, g2 = 0, r = 0.5; Y: everything 0.4. X is first nominally. */
static void small_setup(small *f)
{
    f->err = new_error();
    assert_ok(load_text(&f->m, SMALL, f->err), f->err);
    assert_ok(efc_panel_create(&f->p, f->m, NULL, f->err), f->err);
    small_add(f, "X", 1, 0, 0);
    small_add(f, "Y", 0.4, 0.4, 0.4);
    assert_ok(efc_panel_finalize(f->p, f->err), f->err);
}

static void small_teardown(small *f)
{
    efc_panel_free(f->p);
    efc_model_free(f->m);
    efc_error_free(f->err);
}

/* Weights of g1 and g2 drawn from U[0.5, 1.5): X leads iff w1 / (w1 + w2)
 * > 0.4, i.e. w1 > 2 w2 / 3. P(w1 <= 2 w2 / 3) = integral over w2 from
 * 0.75 to 1.5 of (2 w2 / 3 - 0.5) = [w^2/3 - w/2] = 0 - (0.1875 - 0.375)
 * = 0.1875. So P(X first) = 0.8125, X's mean rank 1.1875, Y's 1.8125, and
 * the output (mean absolute rank shift: 1 when they swap) has mean 0.1875.
 * The weight of a, g1's only child, cannot matter: its Sobol indices are
 * exactly 0 (f(A_B^a) = f(A) in every row). */
static void test_small_by_hand(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    efc_error *err = f.err;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    size_t g1 = efc_model_find(f.m, "g1"), g2 = efc_model_find(f.m, "g2");
    size_t a = efc_model_find(f.m, "a");
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g2, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, a, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0.5, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 100000, err), err);
    assert_ok(efc_sensitivity_options_set_top(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 100, err), err);
    assert_ok(efc_sensitivity_run(&s, f.p, o, NULL, err), err);
    size_t X = efc_panel_find_actor(f.p, "X"), Y = efc_panel_find_actor(f.p, "Y");
    assert_close(efc_sensitivity_value(s, X, EFC_SENSITIVITY_SCORE), 0.5, 1e-15);
    assert_true(efc_sensitivity_value(s, X, EFC_SENSITIVITY_NOMINAL_RANK) == 1);
    assert_true(efc_sensitivity_value(s, Y, EFC_SENSITIVITY_NOMINAL_RANK) == 2);
    /* 3 standard errors of a share over 1e5 runs: 0.0037 */
    assert_close(efc_sensitivity_value(s, X, EFC_SENSITIVITY_P_TOP), 0.8125, 0.004);
    assert_close(efc_sensitivity_value(s, Y, EFC_SENSITIVITY_P_TOP), 0.1875, 0.004);
    assert_close(efc_sensitivity_value(s, X, EFC_SENSITIVITY_MEAN_RANK), 1.1875, 0.004);
    assert_close(efc_sensitivity_value(s, Y, EFC_SENSITIVITY_MEAN_RANK), 1.8125, 0.004);
    /* most runs keep X first; the 95th percentile sees the swaps */
    assert_true(efc_sensitivity_value(s, X, EFC_SENSITIVITY_MEDIAN_RANK) == 1);
    assert_true(efc_sensitivity_value(s, X, EFC_SENSITIVITY_RANK_P05) == 1);
    assert_true(efc_sensitivity_value(s, X, EFC_SENSITIVITY_RANK_P95) == 2);
    assert_true(efc_sensitivity_value(s, X, EFC_SENSITIVITY_RUNS_RANKED) == 100000);
    /* the runs: N (d + 2), inputs within their ranges, outputs 0 or 1 */
    assert_int_equal(efc_sensitivity_run_count(s), 500000);
    double mean_out = 0;
    for (size_t j = 0; j < 100000; j++) {
        double w1 = efc_sensitivity_run_input(s, j, 0), w2 = efc_sensitivity_run_input(s, j, 1);
        assert_true(w1 >= 0.5 && w1 < 1.5 && w2 >= 0.5 && w2 < 1.5);
        double out = efc_sensitivity_run_output(s, j);
        assert_true(out == (w1 / (w1 + w2) > 0.4 ? 0 : 1));
        assert_true(efc_sensitivity_run_rank(s, j, X) == (out ? 2 : 1));
        mean_out += out;
    }
    assert_close(mean_out / 100000, 0.1875, 0.004);
    /* A_B^i rows: A's inputs, but input i from B's row */
    for (size_t j = 0; j < 1000; j++)
        for (size_t i = 0; i < 3; i++)
            for (size_t k = 0; k < 3; k++) {
                size_t from = k == i ? 100000 + j : j;
                assert_same_bits(efc_sensitivity_run_input(s, (2 + i) * 100000 + j, k),
                                 efc_sensitivity_run_input(s, from, k));
            }
    assert_true(efc_sensitivity_sobol_value(s, 2, EFC_SOBOL_FIRST) == 0);
    assert_true(efc_sensitivity_sobol_value(s, 2, EFC_SOBOL_TOTAL) == 0);
    assert_true(efc_sensitivity_sobol_value(s, 2, EFC_SOBOL_TOTAL_Q95) == 0);
    /* g1 and g2 matter alike (the problem is symmetric in their logs) */
    for (size_t i = 0; i < 2; i++) {
        assert_true(efc_sensitivity_sobol_value(s, i, EFC_SOBOL_TOTAL) > 0.4);
        assert_true(efc_sensitivity_sobol_value(s, i, EFC_SOBOL_FIRST) > 0.1);
    }
    assert_close(efc_sensitivity_variance(s), 0.1875 * 0.8125, 0.005);
    /* the result does not follow later changes of its options */
    assert_ok(efc_sensitivity_options_set_top(o, 2, err), err);
    assert_close(efc_sensitivity_value(s, X, EFC_SENSITIVITY_P_TOP), 0.8125, 0.004);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    small_teardown(&f);
}

/* Rank statistics come from matrix A only: asking for Sobol indices does
 * not change them. */
static void test_sobol_keeps_rank_stats(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_error *err = f.err;
    double stats[2][2][EFC_SENSITIVITY_RUNS_RANKED + 1];
    for (int sobol = 0; sobol < 2; sobol++) {
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
        assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
        assert_ok(efc_sensitivity_options_set_sobol(o, sobol, err), err);
        assert_ok(efc_sensitivity_options_set_bootstrap(o, 0, err), err);
        assert_ok(efc_sensitivity_run(&s, f.p, o, NULL, err), err);
        assert_int_equal(efc_sensitivity_input_count(s), 2);
        assert_int_equal(efc_sensitivity_run_count(s), sobol ? 4000 : 1000);
        for (size_t a = 0; a < 2; a++)
            for (int m = 0; m <= EFC_SENSITIVITY_RUNS_RANKED; m++)
                stats[sobol][a][m] = efc_sensitivity_value(s, a, (efc_sensitivity_metric)m);
        assert_true(sobol ? !isnan(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_FIRST))
                          : isnan(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_FIRST)));
        assert_true(isnan(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_FIRST_Q05)));
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
    }
    assert_memory_equal(stats[0], stats[1], sizeof stats[0]);
    small_teardown(&f);
}

/* The Dirichlet keeps each group's perturbed total and the nominal shares
 * on average; Sobol indices are refused with it. */
static void test_dirichlet(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_error *err = f.err;
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    size_t g1 = efc_model_find(f.m, "g1"), g2 = efc_model_find(f.m, "g2");
    size_t b = efc_model_find(f.m, "b"), c = efc_model_find(f.m, "c");
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, b, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g2, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, c, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 20, err),
              err);
    assert_ok(efc_sensitivity_options_set_samples(o, 20000, err), err);
    assert_ok(efc_sensitivity_run(&s, f.p, o, NULL, err), err);
    double mean = 0, var = 0;
    for (size_t j = 0; j < 20000; j++) {
        double w1 = efc_sensitivity_run_input(s, j, 0), w2 = efc_sensitivity_run_input(s, j, 2);
        assert_close(w1 + w2, 2, 1e-12);
        assert_close(efc_sensitivity_run_input(s, j, 1) + efc_sensitivity_run_input(s, j, 3), 2,
                     1e-12);
        assert_true(w1 > 0 && w2 > 0);
        mean += w1 / 2;
        var += (w1 / 2 - 0.5) * (w1 / 2 - 0.5);
    }
    /* a share of Dirichlet(10, 10): mean 1/2, variance 1/4 / 21 */
    assert_close(mean / 20000, 0.5, 0.003);
    assert_close(var / 20000, 0.25 / 21, 0.0005);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);

    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 20, err),
              err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 0, err), err);
    assert_status(efc_sensitivity_run(&s, f.p, o, NULL, err), EFC_ERR_VALUE, err);
    assert_non_null(strstr(efc_error_message(err), "independent"));
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    /* a tiny concentration draws in logs: weights stay finite, never all 0 */
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g2, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 1e-6, err),
              err);
    assert_ok(efc_sensitivity_run(&s, f.p, o, NULL, err), err);
    for (size_t j = 0; j < 1000; j++) {
        double w1 = efc_sensitivity_run_input(s, j, 0), w2 = efc_sensitivity_run_input(s, j, 1);
        assert_true(isfinite(w1) && isfinite(w2) && w1 >= 0 && w2 >= 0);
        assert_close(w1 + w2, 2, 1e-12);
    }
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    small_teardown(&f);
}

/* An aggregation input: r drawn between mean and min. Under min, X (g1 =
 * 1, g2 = 0) scores 0 and Y 0.4: they swap exactly in the runs that drew
 * min. */
static void test_aggregation_input(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_error *err = f.err;
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    efc_aggregate alt[2] = {EFC_AGGREGATE_MEAN, EFC_AGGREGATE_MIN};
    size_t r = efc_model_find(f.m, "r");
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_aggregation(o, r, 2, alt, NULL, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 4000, err), err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 0, err), err);
    assert_ok(efc_sensitivity_run(&s, f.p, o, NULL, err), err);
    assert_int_equal(efc_sensitivity_input_kind(s, 0), EFC_INPUT_AGGREGATION);
    assert_int_equal(efc_sensitivity_input_alternative_count(s, 0), 2);
    efc_aggregate got;
    assert_ok(efc_sensitivity_input_alternative(&got, NULL, s, 0, 1, err), err);
    assert_int_equal(got, EFC_AGGREGATE_MIN);
    size_t mins = 0;
    for (size_t j = 0; j < 4000; j++) {
        double k = efc_sensitivity_run_input(s, j, 0);
        assert_true(k == 0 || k == 1);
        mins += k == 1;
        assert_true(efc_sensitivity_run_output(s, j) == k);
    }
    assert_true(mins > 1800 && mins < 2200);
    assert_close(efc_sensitivity_value(s, 0, EFC_SENSITIVITY_P_TOP), 1, 1e-12); /* k = 10 */
    /* a single input explains everything */
    assert_close(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_FIRST), 1, 0.1);
    assert_close(efc_sensitivity_sobol_value(s, 0, EFC_SOBOL_TOTAL), 1, 0.1);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    small_teardown(&f);
}

static void test_refusals(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_error *err = f.err;
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    size_t r = efc_model_find(f.m, "r"), g1 = efc_model_find(f.m, "g1");
    size_t a = efc_model_find(f.m, "a");
    assert_status(efc_sensitivity_options_create(&o, NULL, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_status(efc_sensitivity_run(NULL, f.p, o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_run(&s, NULL, o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 0, err), err);
    assert_status(efc_sensitivity_run(&s, f.p, o, NULL, err), EFC_ERR_ARGUMENT, err); /* no input */
    assert_null(s);
    efc_sensitivity_options_free(o);
    /* how the values fit is the run's to check, whatever their order */
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, r, err), err);
    assert_status(efc_sensitivity_run(&s, f.p, o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_string_equal(efc_error_message(err),
                        "node 'r' is not below the node ranked ('r'): its weight cannot change "
                        "the ranks");
    efc_sensitivity_options_free(o);
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_set_node(o, g1, err), err);
    assert_status(efc_sensitivity_run(&s, f.p, o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_set_node(o, EFC_NO_NODE, err), err);
    efc_sensitivity_options_free(o);
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_status(efc_sensitivity_options_add_weight(o, 99, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_status(efc_sensitivity_options_add_weight(o, g1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_node(o, a, err), EFC_ERR_ARGUMENT, err); /* a leaf */
    assert_status(efc_sensitivity_options_set_node(o, 99, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_period(o, "latest", err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_PERIOD); /* NULL names the latest */
    assert_status(efc_sensitivity_options_set_period(o, "year", err), EFC_ERR_VALUE, err);
    assert_status(efc_sensitivity_options_set_threads(o, 1025, err), EFC_ERR_ARGUMENT, err);
    efc_aggregate one[1] = {EFC_AGGREGATE_MEAN},
                  twice[2] = {EFC_AGGREGATE_MEAN, EFC_AGGREGATE_MEAN};
    efc_aggregate power[2] = {EFC_AGGREGATE_MEAN, EFC_AGGREGATE_POWER};
    double p1[2] = {0, 1}, p2[2] = {0, INFINITY};
    assert_status(efc_sensitivity_options_add_aggregation(o, r, 1, one, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_add_aggregation(o, r, 2, twice, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    /* power:1 is the mean */
    assert_status(efc_sensitivity_options_add_aggregation(o, r, 2, power, p1, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_add_aggregation(o, r, 2, power, p2, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_add_aggregation(o, a, 2, power, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 1, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, -0.1, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 0, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_samples(o, 1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_top(o, 0, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_set_period(o, "1999", err), err);
    assert_status(efc_sensitivity_run(&s, f.p, o, NULL, err), EFC_ERR_VALUE,
                  err); /* nobody at 1999 */
    assert_null(s);
    assert_true(isnan(efc_sensitivity_value(s, 0, EFC_SENSITIVITY_SCORE)));
    /* options of another model are refused */
    efc_sensitivity_options *other;
    efc_model *copy;
    assert_ok(efc_model_copy(&copy, f.m, NULL, err), err);
    assert_ok(efc_model_finalize(copy, err), err);
    assert_ok(efc_sensitivity_options_create(&other, copy, NULL, err), err);
    assert_status(efc_sensitivity_run(&s, f.p, other, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_sensitivity_options_free(other);
    efc_model_free(copy);
    efc_sensitivity_options_free(o);
    small_teardown(&f);
}

/* Nominal weights 3 and 1: r = mean(g1 x 3, g2 x 1). X (g1 = 1, g2 = 0)
 * scores 0.75, Y 0.7. With w1 = 3a, w2 = b, a and b uniform on [0.5,
 * 1.5): X leads iff 3a / (3a + b) > 0.7, i.e. a > 7b / 9. P(a <= 7b / 9) =
 * integral over b from 9/14 to 1.5 of (7b / 9 - 0.5) = [7b^2 / 18 - b / 2]
 * = 0.125 + 0.1607... = 2/7. So P(X first) = 5/7. (An additive noise, or
 * weights not scaled by their nominal values, would give another share.)
 * A Dirichlet of concentration 30 keeps g1's share at 3/4 on average, with
 * variance (3/4)(1/4) / 31. */
static void test_unequal_weights(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        "id,parent,weight,min,max,aggregate\nr,,1,,,mean\ng1,r,3,,,mean\n"
                        "g2,r,1,,,mean\na,g1,1,0,1,\nb,g2,1,0,1,\n",
                        err),
              err);
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    const double answers[2][2] = {{1, 0}, {0.7, 0.7}};
    const char *ids[2] = {"X", "Y"};
    for (int i = 0; i < 2; i++) {
        double v[2];
        v[efc_model_leaf_index(m, "a")] = answers[i][0];
        v[efc_model_leaf_index(m, "b")] = answers[i][1];
        add_scored(p, ids[i], "1", v, err);
    }
    assert_ok(efc_panel_finalize(p, err), err);
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0.5, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 100000, err), err);
    assert_ok(efc_sensitivity_options_set_top(o, 1, err), err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    size_t X = efc_panel_find_actor(p, "X");
    assert_close(efc_sensitivity_value(s, X, EFC_SENSITIVITY_P_TOP), 5.0 / 7, 0.005);
    for (size_t j = 0; j < 1000; j++) {
        double w1 = efc_sensitivity_run_input(s, j, 0), w2 = efc_sensitivity_run_input(s, j, 1);
        assert_true(w1 >= 1.5 && w1 < 4.5 && w2 >= 0.5 && w2 < 1.5);
    }
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 30, err),
              err);
    assert_ok(efc_sensitivity_options_set_samples(o, 20000, err), err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    double mean = 0, var = 0;
    for (size_t j = 0; j < 20000; j++) {
        double w1 = efc_sensitivity_run_input(s, j, 0), w2 = efc_sensitivity_run_input(s, j, 1);
        assert_close(w1 + w2, 4, 1e-12);
        mean += w1 / 4;
        var += (w1 / 4 - 0.75) * (w1 / 4 - 0.75);
    }
    assert_close(mean / 20000, 0.75, 0.002);
    assert_close(var / 20000, 0.75 * 0.25 / 31, 0.0003);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_status(
        efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 1e-7, err),
        EFC_ERR_ARGUMENT, err);
    efc_sensitivity_options_free(o);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

/* A group below its min_coverage under some weights: r needs half the
 * weight present, and every actor lacks g2's items, so r is missing when
 * w1 < w2, in about half the runs. Those runs rank nobody: ranked_runs
 * says so, and Sobol indices, whose output is then undefined, are refused
 * with the reason. */
static void test_coverage_dropouts(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        "id,parent,weight,min,max,aggregate,min_coverage\nr,,1,,,mean,0.5\n"
                        "g1,r,1,,,mean,\ng2,r,1,,,mean,\na,g1,1,0,1,,\nb,g2,1,0,1,,\n",
                        err),
              err);
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    for (int i = 0; i < 3; i++) {
        double v[2];
        v[efc_model_leaf_index(m, "a")] = 0.2 * i;
        v[efc_model_leaf_index(m, "b")] = NAN;
        char id[8];
        snprintf(id, sizeof id, "A%d", i);
        add_scored(p, id, "1", v, err);
    }
    assert_ok(efc_panel_finalize(p, err), err);
    for (int sobol = 0; sobol < 2; sobol++) {
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
        assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
        assert_ok(efc_sensitivity_options_set_samples(o, 2000, err), err);
        assert_ok(efc_sensitivity_options_set_sobol(o, sobol, err), err);
        assert_ok(efc_sensitivity_options_set_bootstrap(o, 0, err), err);
        if (sobol) {
            assert_status(efc_sensitivity_run(&s, p, o, NULL, err), EFC_ERR_VALUE, err);
            assert_non_null(strstr(efc_error_message(err), "min_coverage"));
        } else {
            assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
            double runs = efc_sensitivity_value(s, 0, EFC_SENSITIVITY_RUNS_RANKED);
            assert_true(runs > 800 && runs < 1200);
            assert_true(efc_sensitivity_value(s, 0, EFC_SENSITIVITY_P_TOP) == runs / 2000);
            size_t nan = 0;
            for (size_t j = 0; j < 2000; j++) {
                double w1 = efc_sensitivity_run_input(s, j, 0);
                double w2 = efc_sensitivity_run_input(s, j, 1);
                int none = isnan(efc_sensitivity_run_output(s, j));
                assert_true(none == (w1 / (w1 + w2) + 1e-12 < 0.5));
                nan += (size_t)none;
            }
            assert_true((double)nan == 2000 - runs);
        }
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
    }
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

/* A panel whose stored score of the ranked node is not what its children
 * give (scores imported or rounded elsewhere) is refused, naming the
 * actor: its nominal ranks would be those of no run. */
static void test_inconsistent_panel(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_panel *p;
    efc_error *err = f.err;
    assert_ok(efc_panel_create(&p, f.m, NULL, err), err);
    double s[6];
    for (int k = 0; k < 6; k++)
        s[k] = 0.5;
    s[efc_model_find(f.m, "r")] = 0.51;
    assert_ok(efc_panel_add(p, "W", "2024", NULL, s, 0, err), err);
    assert_ok(efc_panel_finalize(p, err), err);
    efc_sensitivity *sens = NULL;
    assert_status(efc_sensitivity_run(&sens, p, NULL, NULL, err), EFC_ERR_VALUE, err);
    assert_null(sens);
    assert_non_null(strstr(efc_error_message(err), "actor 'W'"));
    assert_non_null(strstr(efc_error_message(err), "0.51"));
    efc_sensitivity_free(sens);
    efc_panel_free(p);
    small_teardown(&f);
}

/* Every run against an independent re-scoring: a model with harmonic,
 * power, min and mean groups, min_coverage and zero answers, copied with
 * the run's weights and finalized, scores every actor's answers; their
 * competition ranks (on scores rounded to 12 decimals) must be the run's,
 * for every actor of every run. */
#define MIXED                                                                                      \
    "id,parent,weight,min,max,aggregate,min_coverage\n"                                            \
    "r,,1,,,harmonic,0.4\n"                                                                        \
    "g1,r,2,,,power:3,\n"                                                                          \
    "g2,r,1,,,min,\n"                                                                              \
    "g3,r,1.5,,,mean,0.6\n"                                                                        \
    "a,g1,1,0,4,,\nb,g1,2,0,4,,\nc,g2,1,0,4,,\nd,g2,1,0,4,,\ne,g3,1,0,4,,\nf,g3,3,0,4,,\n"

static void test_runs_against_rescoring(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, MIXED, err), err);
    enum { ACTORS = 40, LEAVES = 6, RUNS = 30 };
    double answers[ACTORS][LEAVES];
    uint64_t x = 99;
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    for (int i = 0; i < ACTORS; i++) {
        for (int j = 0; j < LEAVES; j++) {
            double u = lcg(&x);
            answers[i][j] = u < 0.1 ? NAN : floor(lcg(&x) * 5); /* holes and zeros */
        }
        char id[16];
        snprintf(id, sizeof id, "act%02d", i);
        add_scored(p, id, "1", answers[i], err);
    }
    assert_ok(efc_panel_finalize(p, err), err);
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, efc_model_find(m, "b"), err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, efc_model_find(m, "f"), err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0.6, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, RUNS, err), err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    size_t d = efc_sensitivity_input_count(s), root = efc_model_root(m);
    assert_int_equal(d, 5);
    for (size_t j = 0; j < RUNS; j++) {
        efc_model *copy;
        assert_ok(efc_model_copy(&copy, m, NULL, err), err);
        for (size_t i = 0; i < d; i++)
            assert_ok(efc_model_set_weight(copy, efc_sensitivity_input_node(s, i),
                                           efc_sensitivity_run_input(s, j, i), err),
                      err);
        assert_ok(efc_model_finalize(copy, err), err);
        efc_result *r2;
        assert_ok(efc_result_create(&r2, copy, NULL, err), err);
        double key[ACTORS];
        for (int i = 0; i < ACTORS; i++) {
            assert_ok(efc_model_score(r2, copy, answers[i], 1, err), err);
            double v = efc_result_score(r2, root);
            key[i] = isnan(v) ? NAN : floor(v * 1e12 + 0.5);
        }
        for (int i = 0; i < ACTORS; i++) {
            double want = NAN;
            if (!isnan(key[i])) {
                want = 1;
                for (int k = 0; k < ACTORS; k++)
                    want += key[k] > key[i];
            }
            char id[16];
            snprintf(id, sizeof id, "act%02d", i);
            assert_same_bits(efc_sensitivity_run_rank(s, j, efc_panel_find_actor(p, id)), want);
        }
        efc_result_free(r2);
        efc_model_free(copy);
    }
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

/* ---- on UNDP's HDI panel ---- */

/* With zero spread every run re-aggregates the nominal scores bit for bit:
 * every rank interval is the nominal rank, every output 0. */
static void test_hdi_zero_spread(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    efc_panel *p = hdi_read_panel(&m, err);
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_ok(efc_sensitivity_options_set_period(o, "2022", err), err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 50, err), err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    assert_int_equal(efc_sensitivity_input_count(s), 3);
    efc_ranking *r;
    assert_ok(make_ranking(&r, p, EFC_NO_NODE, "2022", NULL, err), err);
    size_t ranked = 0;
    for (size_t a = 0; a < efc_panel_actor_count(p); a++) {
        double nominal = efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK);
        assert_same_bits(efc_sensitivity_value(s, a, EFC_SENSITIVITY_NOMINAL_RANK), nominal);
        if (isnan(nominal))
            continue;
        ranked++;
        static const efc_sensitivity_metric same[] = {
            EFC_SENSITIVITY_MEAN_RANK, EFC_SENSITIVITY_MEDIAN_RANK, EFC_SENSITIVITY_RANK_P05,
            EFC_SENSITIVITY_RANK_P95,  EFC_SENSITIVITY_RANK_MIN,    EFC_SENSITIVITY_RANK_MAX};
        for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
            assert_true(efc_sensitivity_value(s, a, same[k]) == nominal);
        assert_true(efc_sensitivity_value(s, a, EFC_SENSITIVITY_P_TOP) == (nominal <= 10));
    }
    assert_int_equal(ranked, efc_sensitivity_ranked_count(s));
    assert_true(ranked > 190);
    for (size_t j = 0; j < 50; j++)
        assert_true(efc_sensitivity_run_output(s, j) == 0);
    efc_ranking_free(r);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

typedef struct progress_log {
    size_t calls, last, total;
} progress_log;

static int on_progress(size_t done, size_t total, void *user)
{
    progress_log *l = user;
    assert_true(done >= l->last);
    l->calls++;
    l->last = done;
    l->total = total;
    return 0;
}

/* Same seed, same bits, whatever the threads; another seed differs. */
typedef struct cancelling {
    size_t calls, last;
} cancelling;

static int cancel_at_first(size_t done, size_t total, void *user)
{
    cancelling *c = user;
    (void)total;
    c->calls++;
    c->last = done;
    return 1;
}

/* A progress callback that cancels stops the work: far fewer runs than
 * asked, no final report, no results, EFC_ERR_STATE. The options that
 * cancelled run again to the end once the callback lets them. */
static void test_cancel(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    efc_panel *p = hdi_read_panel(&m, err);
    for (unsigned threads = 1; threads <= 2; threads++) {
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
        assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
        assert_ok(efc_sensitivity_options_set_samples(o, 200000, err), err);
        assert_ok(efc_sensitivity_options_set_threads(o, threads, err), err);
        cancelling c = {0, 0};
        assert_ok(efc_sensitivity_options_set_progress(o, cancel_at_first, &c, err), err);
        assert_int_equal(efc_sensitivity_run(&s, p, o, NULL, err), EFC_ERR_STATE);
        assert_string_equal(efc_error_message(err), "the analysis was cancelled");
        assert_int_equal(c.calls, 1);
        assert_true(c.last < 200000 / 10);
        assert_null(s);
        assert_ok(efc_sensitivity_options_set_progress(o, NULL, NULL, err), err);
        assert_ok(efc_sensitivity_options_set_samples(o, 50, err), err);
        assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
        assert_int_equal(efc_sensitivity_run_count(s), 50);
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
    }
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_hdi_threads(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    efc_panel *p = hdi_read_panel(&m, err);
    size_t nact = efc_panel_actor_count(p), runs = 0;
    double *ref = NULL;
    const unsigned threads[] = {1, 2, 3, 8};
    for (size_t t = 0; t < 5; t++) {
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
        assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
        assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0.5, err),
                  err);
        assert_ok(efc_sensitivity_options_set_samples(o, 300, err), err);
        assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
        assert_ok(efc_sensitivity_options_set_bootstrap(o, 50, err), err);
        assert_ok(efc_sensitivity_options_set_seed(o, t == 4 ? 2 : 1, err), err);
        assert_ok(efc_sensitivity_options_set_threads(o, threads[t < 4 ? t : 0], err), err);
        progress_log log = {0, 0, 0};
        assert_ok(efc_sensitivity_options_set_progress(o, on_progress, &log, err), err);
        assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
        assert_true(log.calls > 0 && log.total == 1500 && log.last == 1500);
        runs = efc_sensitivity_run_count(s);
        size_t len = nact * 10 + runs * 4 + 3 * 6;
        double *got = malloc(len * sizeof *got), *g = got;
        for (size_t a = 0; a < nact; a++)
            for (int k = 0; k < 10; k++)
                *g++ = efc_sensitivity_value(s, a, (efc_sensitivity_metric)k);
        for (size_t j = 0; j < runs; j++) {
            *g++ = efc_sensitivity_run_output(s, j);
            for (size_t i = 0; i < 3; i++)
                *g++ = efc_sensitivity_run_input(s, j, i);
        }
        for (size_t i = 0; i < 3; i++)
            for (int k = 0; k < 6; k++)
                *g++ = efc_sensitivity_sobol_value(s, i, (efc_sobol_metric)k);
        if (!ref) {
            ref = got;
            /* the ranks move: some actor's interval is wider than a point */
            int moved = 0;
            for (size_t a = 0; a < nact; a++)
                moved |= efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_P95) >
                         efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_P05);
            assert_true(moved);
        } else if (t < 4) {
            assert_memory_equal(ref, got, len * sizeof *got);
            free(got);
        } else {
            assert_true(memcmp(ref, got, len * sizeof *got) != 0);
            free(got);
        }
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
    }
    free(ref);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

/* ---- parts and their merge ---- */

static efc_sensitivity_options *hdi_part_options(const efc_panel *p, uint64_t seed, size_t top,
                                                 size_t first, size_t count, efc_error *err)
{
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
    assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, 0.5, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 300, err), err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 50, err), err);
    assert_ok(efc_sensitivity_options_set_seed(o, seed, err), err);
    assert_ok(efc_sensitivity_options_set_top(o, top, err), err);
    assert_ok(efc_sensitivity_options_set_threads(o, 2, err), err);
    assert_ok(efc_sensitivity_options_set_runs(o, first, count, err), err);
    return o;
}

static efc_sensitivity *hdi_part(const efc_panel *p, uint64_t seed, size_t top, size_t first,
                                 size_t count, efc_error *err)
{
    efc_sensitivity *s = NULL;
    efc_sensitivity_options *o = hdi_part_options(p, seed, top, first, count, err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    efc_sensitivity_options_free(o);
    return s;
}

/* Every table of a result, by its bulk reads, in one buffer (malloc'd). */
static double *all_fills(const efc_sensitivity *s, size_t *len, efc_error *err)
{
    size_t nact = efc_panel_actor_count(efc_sensitivity_panel(s));
    size_t runs = efc_sensitivity_run_count(s), d = efc_sensitivity_input_count(s);
    size_t n = 0, samples;
    assert_ok(efc_sensitivity_run_range(NULL, &samples, s, err), err);
    *len = nact * 10 + runs * d + runs + samples * nact + d * 6 + 1;
    double *out = malloc(*len * sizeof *out);
    for (int k = 0; k < 10; k++, n += nact)
        assert_ok(efc_sensitivity_fill(out + n, nact, 1, s, (efc_sensitivity_metric)k, err), err);
    assert_ok(efc_sensitivity_fill_run_inputs(out + n, runs * d, (ptrdiff_t)d, 1, s, err), err);
    n += runs * d;
    assert_ok(efc_sensitivity_fill_run_outputs(out + n, runs, 1, s, err), err);
    n += runs;
    assert_ok(efc_sensitivity_fill_run_ranks(out + n, samples * nact, (ptrdiff_t)nact, 1, s, err),
              err);
    n += samples * nact;
    for (int k = 0; k < 6; k++, n += d)
        assert_ok(efc_sensitivity_fill_sobol(out + n, d, 1, s, (efc_sobol_metric)k, err), err);
    out[n++] = efc_sensitivity_variance(s);
    assert_true(n == *len);
    return out;
}

/* Three uneven parts, merged in any order, are the local run bit for bit;
 * a part's getters read its own runs; gaps, overlaps and parts of other
 * analyses are refused. */
static void test_merge_parts(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m, *m2;
    efc_panel *p = hdi_read_panel(&m, err), *p2 = hdi_read_panel(&m2, err);
    size_t nact = efc_panel_actor_count(p);
    efc_sensitivity *whole = hdi_part(p, 7, 10, 0, 0, err);
    assert_false(efc_sensitivity_is_partial(whole));
    size_t first = 1, count = 1;
    assert_ok(efc_sensitivity_run_range(&first, &count, whole, err), err);
    assert_true(first == 0 && count == 300);
    size_t d = efc_sensitivity_input_count(whole);
    assert_true(d == 3 && efc_sensitivity_run_count(whole) == 1500);

    const size_t firsts[] = {70, 0, 221}, counts[] = {151, 70, 79};
    efc_sensitivity *parts[3];
    for (int i = 0; i < 3; i++)
        parts[i] = hdi_part(p, 7, 10, firsts[i], counts[i], err);
    /* a part: its own runs, the nominal figures, no statistics */
    efc_sensitivity *q = parts[0];
    assert_true(efc_sensitivity_is_partial(q));
    assert_ok(efc_sensitivity_run_range(&first, &count, q, err), err);
    assert_true(first == 70 && count == 151);
    assert_true(efc_sensitivity_run_count(q) == 151 * (d + 2));
    assert_true(efc_sensitivity_ranked_count(q) == efc_sensitivity_ranked_count(whole));
    for (size_t b = 0; b < d + 2; b++)
        for (size_t r = 0; r < 151; r += 50) {
            size_t j = b * 300 + 70 + r, k = b * 151 + r;
            assert_true(efc_sensitivity_run_output(q, k) == efc_sensitivity_run_output(whole, j));
            for (size_t i = 0; i < d; i++)
                assert_true(efc_sensitivity_run_input(q, k, i) ==
                            efc_sensitivity_run_input(whole, j, i));
        }
    for (size_t a = 0; a < nact; a++) {
        double x = efc_sensitivity_run_rank(q, 5, a), y = efc_sensitivity_run_rank(whole, 75, a);
        assert_true(x == y || (isnan(x) && isnan(y)));
        assert_true(isnan(efc_sensitivity_run_rank(q, 151, a)));
        x = efc_sensitivity_value(q, a, EFC_SENSITIVITY_NOMINAL_RANK);
        y = efc_sensitivity_value(whole, a, EFC_SENSITIVITY_NOMINAL_RANK);
        assert_true(x == y || (isnan(x) && isnan(y)));
        assert_true(isnan(efc_sensitivity_value(q, a, EFC_SENSITIVITY_MEAN_RANK)));
        assert_true(isnan(efc_sensitivity_value(q, a, EFC_SENSITIVITY_P_TOP)));
    }
    assert_true(isnan(efc_sensitivity_sobol_value(q, 0, EFC_SOBOL_FIRST)));
    assert_true(isnan(efc_sensitivity_variance(q)));

    /* the merge is the whole, bit for bit */
    size_t len, len2;
    double *ref = all_fills(whole, &len, err);
    efc_sensitivity *merged = NULL;
    assert_ok(efc_sensitivity_merge(&merged, (const efc_sensitivity *const *)parts, 3, NULL, err),
              err);
    assert_false(efc_sensitivity_is_partial(merged));
    assert_true(efc_sensitivity_run_count(merged) == 1500);
    assert_true(efc_sensitivity_panel(merged) == p);
    assert_true(!isnan(efc_sensitivity_variance(merged)));
    double *got = all_fills(merged, &len2, err);
    assert_true(len == len2);
    assert_memory_equal(ref, got, len * sizeof *ref);
    free(got);
    efc_sensitivity_free(merged);
    /* parts rebuilt from their tables (as another process sends them) */
    efc_sensitivity *rebuilt[3];
    for (int i = 0; i < 3; i++) {
        efc_sensitivity_options *o = hdi_part_options(p, 7, 10, firsts[i], counts[i], err);
        size_t runs = efc_sensitivity_run_count(parts[i]);
        double *in = malloc(runs * d * sizeof *in), *outs = malloc(runs * sizeof *outs);
        double *rk = malloc(counts[i] * nact * sizeof *rk);
        assert_ok(efc_sensitivity_fill_run_inputs(in, runs * d, (ptrdiff_t)d, 1, parts[i], err),
                  err);
        assert_ok(efc_sensitivity_fill_run_outputs(outs, runs, 1, parts[i], err), err);
        assert_ok(
            efc_sensitivity_fill_run_ranks(rk, counts[i] * nact, (ptrdiff_t)nact, 1, parts[i], err),
            err);
        assert_status(efc_sensitivity_part_create(&rebuilt[i], p, o, in, outs, NULL, NULL, err),
                      EFC_ERR_ARGUMENT, err);
        double keep = rk[3];
        rk[3] = 0.5;
        assert_status(efc_sensitivity_part_create(&rebuilt[i], p, o, in, outs, rk, NULL, err),
                      EFC_ERR_VALUE, err);
        rk[3] = keep;
        assert_ok(efc_sensitivity_part_create(&rebuilt[i], p, o, in, outs, rk, NULL, err), err);
        assert_true(efc_sensitivity_is_partial(rebuilt[i]));
        double *a = all_fills(parts[i], &len2, err), *b = all_fills(rebuilt[i], &len2, err);
        assert_memory_equal(a, b, len2 * sizeof *a);
        free(a);
        free(b);
        free(in);
        free(outs);
        free(rk);
        efc_sensitivity_options_free(o);
    }
    assert_ok(efc_sensitivity_merge(&merged, (const efc_sensitivity *const *)rebuilt, 3, NULL, err),
              err);
    got = all_fills(merged, &len2, err);
    assert_memory_equal(ref, got, len * sizeof *ref);
    free(got);
    efc_sensitivity_free(merged);
    for (int i = 0; i < 3; i++)
        efc_sensitivity_free(rebuilt[i]);
    /* a whole run is a merge of one part */
    const efc_sensitivity *one[] = {whole};
    assert_ok(efc_sensitivity_merge(&merged, one, 1, NULL, err), err);
    got = all_fills(merged, &len2, err);
    assert_memory_equal(ref, got, len * sizeof *ref);
    free(got);
    efc_sensitivity_free(merged);

    /* refusals: a gap, an overlap, another seed, top or panel */
    merged = (efc_sensitivity *)1;
    const efc_sensitivity *gap[] = {parts[1], parts[2]};
    assert_status(efc_sensitivity_merge(&merged, gap, 2, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_null(merged);
    efc_sensitivity *over = hdi_part(p, 7, 10, 60, 161, err);
    const efc_sensitivity *overlap[] = {parts[1], over, parts[2]};
    assert_status(efc_sensitivity_merge(&merged, overlap, 3, NULL, err), EFC_ERR_ARGUMENT, err);
    const efc_sensitivity *twice[] = {parts[1], parts[0], parts[0], parts[2]};
    assert_status(efc_sensitivity_merge(&merged, twice, 4, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_sensitivity_free(over);
    efc_sensitivity *other[3] = {hdi_part(p, 8, 10, 70, 151, err), hdi_part(p, 7, 5, 70, 151, err),
                                 hdi_part(p2, 7, 10, 70, 151, err)};
    for (int i = 0; i < 3; i++) {
        const efc_sensitivity *mixed[] = {parts[1], other[i], parts[2]};
        assert_status(efc_sensitivity_merge(&merged, mixed, 3, NULL, err), EFC_ERR_ARGUMENT, err);
        assert_null(merged);
        efc_sensitivity_free(other[i]);
    }
    assert_status(efc_sensitivity_merge(&merged, NULL, 3, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_merge(&merged, gap, 0, NULL, err), EFC_ERR_ARGUMENT, err);
    const efc_sensitivity *holes[] = {parts[1], NULL};
    assert_status(efc_sensitivity_merge(&merged, holes, 2, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_int_equal(efc_sensitivity_is_partial(NULL), 0);
    assert_status(efc_sensitivity_run_range(&first, &count, NULL, err), EFC_ERR_ARGUMENT, err);

    /* ranges: refused when set (none, above 2^32) or at the run (beyond N) */
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, m, NULL, err), err);
    assert_status(efc_sensitivity_options_set_runs(o, 5, 0, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_sensitivity_options_set_runs(o, UINT32_MAX, 1, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_sensitivity_options_set_samples(o, 100, err), err);
    assert_ok(efc_sensitivity_options_set_runs(o, 90, 11, err), err);
    efc_sensitivity *s = NULL;
    assert_status(efc_sensitivity_run(&s, p, o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_null(s);
    assert_ok(efc_sensitivity_options_set_runs(o, 90, 10, err), err);
    assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
    assert_true(efc_sensitivity_is_partial(s) && efc_sensitivity_run_count(s) == 10);
    efc_sensitivity_free(s);
    efc_sensitivity_options_free(o);

    free(ref);
    for (int i = 0; i < 3; i++)
        efc_sensitivity_free(parts[i]);
    efc_sensitivity_free(whole);
    efc_panel_free(p);
    efc_panel_free(p2);
    efc_model_free(m);
    efc_model_free(m2);
    efc_error_free(err);
}

/* Every allocation failure is reported, leaks nothing and never crashes. */
static void test_allocation_failures(void **state)
{
    (void)state;
    small f;
    small_setup(&f);
    efc_error *err = f.err;
    size_t g1 = efc_model_find(f.m, "g1");
    for (long fail_at = 1;; fail_at++) {
        counting_alloc c = {0, fail_at, 0, 0};
        efc_allocator al = counting_allocator(&c);
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        efc_status st = efc_sensitivity_options_create(&o, efc_panel_model(f.p), &al, err);
        if (!st)
            st = efc_sensitivity_options_add_weight(o, g1, err);
        if (!st)
            st = efc_sensitivity_options_set_sobol(o, 1, err);
        if (!st)
            st = efc_sensitivity_options_set_bootstrap(o, 20, err);
        if (!st)
            st = efc_sensitivity_options_set_samples(o, 40, err);
        /* one thread: with more, a thread without memory leaves its share
         * to the others and the run succeeds */
        if (!st)
            st = efc_sensitivity_options_set_threads(o, 1, err);
        if (!st)
            st = efc_sensitivity_run(&s, f.p, o, &al, err);
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
        assert_int_equal(c.live, 0);
        if (!c.failed) {
            assert_int_equal(st, EFC_OK);
            break;
        }
        assert_int_equal(st, EFC_ERR_NOMEM);
        assert_true(fail_at < 200);
    }
    /* merging two parts, and rebuilding one from its tables */
    efc_sensitivity *parts[2] = {NULL, NULL};
    efc_sensitivity_options *o = NULL;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.p), NULL, err), err);
    assert_ok(efc_sensitivity_options_add_weight(o, g1, err), err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, err), err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 20, err), err);
    assert_ok(efc_sensitivity_options_set_samples(o, 40, err), err);
    for (int i = 0; i < 2; i++) {
        assert_ok(efc_sensitivity_options_set_runs(o, (size_t)i * 15, i ? 25 : 15, err), err);
        assert_ok(efc_sensitivity_run(&parts[i], f.p, o, NULL, err), err);
    }
    size_t nact = efc_panel_actor_count(f.p), runs = efc_sensitivity_run_count(parts[1]);
    size_t d = efc_sensitivity_input_count(parts[1]);
    double *in = malloc(runs * d * sizeof *in), *outs = malloc(runs * sizeof *outs);
    double *rk = malloc(25 * nact * sizeof *rk);
    assert_ok(efc_sensitivity_fill_run_inputs(in, runs * d, (ptrdiff_t)d, 1, parts[1], err), err);
    assert_ok(efc_sensitivity_fill_run_outputs(outs, runs, 1, parts[1], err), err);
    assert_ok(efc_sensitivity_fill_run_ranks(rk, 25 * nact, (ptrdiff_t)nact, 1, parts[1], err),
              err);
    for (int which = 0; which < 2; which++)
        for (long fail_at = 1;; fail_at++) {
            counting_alloc c = {0, fail_at, 0, 0};
            efc_allocator al = counting_allocator(&c);
            efc_sensitivity *s = NULL;
            efc_status st = which ? efc_sensitivity_part_create(&s, f.p, o, in, outs, rk, &al, err)
                                  : efc_sensitivity_merge(&s, (const efc_sensitivity *const *)parts,
                                                          2, &al, err);
            efc_sensitivity_free(s);
            assert_int_equal(c.live, 0);
            if (!c.failed) {
                assert_int_equal(st, EFC_OK);
                break;
            }
            assert_int_equal(st, EFC_ERR_NOMEM);
            assert_null(s);
            assert_true(fail_at < 200);
        }
    free(in);
    free(outs);
    free(rk);
    efc_sensitivity_free(parts[0]);
    efc_sensitivity_free(parts[1]);
    efc_sensitivity_options_free(o);
    small_teardown(&f);
}

/* A chain 100,000 groups deep: r -> g0 -> ... -> g99999 -> {x, y}, added
 * deepest first (a parent after its children). Set-up checked each input
 * by walking up to the node ranked and scanned every input for each node:
 * quadratic in the depth, minutes here (32,000 deep took 11.6 s), so this
 * test ran past the suite's timeout; it is linear now, a fraction of a
 * second. The runs, Dirichlet draws included, are linear too. */
#define CHAIN_DEPTH 100000

static void test_deep_chain(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    char id[32], parent[32];
    assert_ok(efc_model_create(&m, NULL, err), err);
    snprintf(parent, sizeof parent, "g%d", CHAIN_DEPTH - 1);
    assert_ok(efc_model_add_leaf(NULL, m, "x", parent, 0, 4, err), err);
    assert_ok(efc_model_add_leaf(NULL, m, "y", parent, 0, 4, err), err);
    for (int k = CHAIN_DEPTH - 1; k >= 0; k--) {
        snprintf(id, sizeof id, "g%d", k);
        snprintf(parent, sizeof parent, "g%d", k - 1);
        assert_ok(efc_model_add_group(NULL, m, id, k ? parent : "r", err), err);
    }
    assert_ok(efc_model_add_group(NULL, m, "r", "", err), err);
    assert_ok(efc_model_finalize(m, err), err);
    efc_model *copy;
    assert_ok(efc_model_copy(&copy, m, NULL, err), err);
    assert_ok(efc_model_finalize(copy, err), err);
    efc_model_free(copy);

    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    size_t x = efc_model_leaf_index(m, "x"), y = efc_model_leaf_index(m, "y");
    const char *actors[] = {"A", "B", "C"};
    for (int a = 0; a < 3; a++) {
        double v[2];
        v[x] = a;         /* A: x 0, y 4 -> r 0.5 */
        v[y] = 4 - 2 * a; /* B: 1, 2 -> 0.375; C: 2, 0 -> 0.25 */
        add_scored(p, actors[a], "2024", v, err);
    }
    assert_ok(efc_panel_finalize(p, err), err);
    size_t root = efc_model_root(m);
    assert_true(fabs(efc_panel_score(p, 0, 0, root) - 0.5) < 1e-12);

    for (int dirichlet = 0; dirichlet < 2; dirichlet++) {
        efc_sensitivity *s = NULL;
        efc_sensitivity_options *o = NULL;
        assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(p), NULL, err), err);
        /* the group weights and x's weight: the run checks each input once,
         * and finds x's among the group weights without a scan */
        assert_ok(efc_sensitivity_options_set_group_weights(o, 1, err), err);
        assert_ok(efc_sensitivity_options_add_weight(o, efc_model_leaf_node(m, x), err), err);
        assert_status(efc_sensitivity_options_add_weight(o, efc_model_leaf_node(m, x), err),
                      EFC_ERR_ARGUMENT, err); /* already an input */
        assert_ok(efc_sensitivity_options_add_aggregation(
                      o, efc_model_find(m, "g99999"), 2,
                      (const efc_aggregate[]){EFC_AGGREGATE_MEAN, EFC_AGGREGATE_MIN}, NULL, err),
                  err);
        assert_ok(efc_sensitivity_options_set_node(o, root, err), err);
        if (dirichlet)
            assert_ok(
                efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_DIRICHLET, 5, err),
                err);
        assert_ok(efc_sensitivity_options_set_samples(o, 4, err), err);
        assert_ok(efc_sensitivity_options_set_threads(o, 1, err), err);
        assert_ok(efc_sensitivity_run(&s, p, o, NULL, err), err);
        assert_int_equal(efc_sensitivity_input_count(s), CHAIN_DEPTH + 2);
        assert_int_equal(efc_sensitivity_run_count(s), 4);
        assert_int_equal(efc_sensitivity_ranked_count(s), 3);
        for (size_t a = 0; a < 3; a++) {
            assert_true(efc_sensitivity_value(s, a, EFC_SENSITIVITY_NOMINAL_RANK) == (double)a + 1);
            double lo = efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_MIN);
            assert_true(lo >= 1 && lo <= 3);
        }
        /* the weights of the chain's groups are each the only child's: any
         * draw of them keeps every score, only x's weight and g99999's
         * method move them */
        for (size_t j = 0; j < 4; j++)
            for (size_t i = 0; i < CHAIN_DEPTH; i += 9999)
                assert_true(efc_sensitivity_run_input(s, j, i) > 0);
        efc_sensitivity_free(s);
        efc_sensitivity_options_free(o);
    }
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sobol_by_hand),
        cmocka_unit_test(test_sobol_linear),
        cmocka_unit_test(test_sobol_ishigami),
        cmocka_unit_test(test_small_by_hand),
        cmocka_unit_test(test_sobol_keeps_rank_stats),
        cmocka_unit_test(test_dirichlet),
        cmocka_unit_test(test_aggregation_input),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_unequal_weights),
        cmocka_unit_test(test_coverage_dropouts),
        cmocka_unit_test(test_inconsistent_panel),
        cmocka_unit_test(test_runs_against_rescoring),
        cmocka_unit_test(test_hdi_zero_spread),
        cmocka_unit_test(test_hdi_threads),
        cmocka_unit_test(test_merge_parts),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_deep_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
