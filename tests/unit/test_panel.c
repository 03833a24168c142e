/* Panels, trajectories, comparisons and ranks against values computed by
 * hand (each expected value is derived in the comment beside it). Scores
 * are given directly, node by node, on a model g = mean(x, y). */
#include "helpers.h"

#define HEAD  "id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
#define MODEL HEAD "g,,1,,,,,mean,0,\nx,g,1,0,1,+,none,,,\ny,g,1,0,1,+,none,,,\n"

typedef struct fixture {
    efc_model *model;
    efc_panel *panel;
    efc_error *err;
    size_t g, x, y;
} fixture;

static void setup(fixture *f, int groups)
{
    f->err = new_error();
    assert_ok(load_text(&f->model, MODEL, f->err), f->err);
    assert_ok(efc_panel_create(&f->panel, f->model, NULL, f->err), f->err);
    assert_ok(efc_panel_set_source(f->panel, "panel.csv", f->err), f->err);
    if (groups)
        assert_ok(efc_panel_add_group_column(f->panel, "sector", f->err), f->err);
    f->g = efc_model_find(f->model, "g");
    f->x = efc_model_find(f->model, "x");
    f->y = efc_model_find(f->model, "y");
}

static void teardown(fixture *f)
{
    efc_panel_free(f->panel);
    efc_model_free(f->model);
    efc_error_free(f->err);
}

/* Add an assessment with scores g, x, y (NaN = missing). */
static void add(fixture *f, const char *actor, const char *period, double g, double x, double y,
                size_t line)
{
    double s[3];
    s[f->g] = g;
    s[f->x] = x;
    s[f->y] = y;
    assert_ok(efc_panel_add(f->panel, actor, period, NULL, s, line, f->err), f->err);
}

static void add_in(fixture *f, const char *actor, const char *period, const char *sector, double g,
                   double x, double y)
{
    double s[3];
    s[f->g] = g;
    s[f->x] = x;
    s[f->y] = y;
    const char *groups[1] = {sector};
    assert_ok(efc_panel_add(f->panel, actor, period, groups, s, 0, f->err), f->err);
}

static void test_building(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    double s[3] = {0.5, 0.5, 0.5};
    /* every refusal names its reason and line */
    assert_status(efc_panel_add(f.panel, "", "2024", NULL, s, 7, f.err), EFC_ERR_VALUE, f.err);
    assert_string_equal(efc_error_text(f.err), "panel.csv:7: the actor's id is empty");
    assert_status(efc_panel_add(f.panel, "a", "", NULL, s, 8, f.err), EFC_ERR_VALUE, f.err);
    assert_non_null(strstr(efc_error_text(f.err), "panel.csv:8: period '' is empty"));
    assert_status(efc_panel_add(f.panel, "a", "soon", NULL, s, 9, f.err), EFC_ERR_VALUE, f.err);
    add(&f, "a", "2024", 0.5, 0.5, 0.5, 10);
    assert_status(efc_panel_add(f.panel, "a", "2024-01-31", NULL, s, 11, f.err), EFC_ERR_VALUE,
                  f.err);
    assert_non_null(
        strstr(efc_error_text(f.err), "is a date, but the earlier periods are numbers"));
    s[1] = 1.5;
    assert_status(efc_panel_add(f.panel, "a", "2025", NULL, s, 12, f.err), EFC_ERR_VALUE, f.err);
    assert_non_null(strstr(efc_error_text(f.err), "score 1.5 is outside [0, 1]"));
    s[1] = 0.5;
    assert_status(efc_panel_add_group_column(f.panel, "late", f.err), EFC_ERR_STATE, f.err);
    /* "2024.0" is the period 2024: a duplicate of line 10, found when finalizing */
    add(&f, "b", "2023", 0.1, 0.1, 0.1, 13);
    add(&f, "a", "2024.0", 0.5, 0.5, 0.5, 14);
    assert_int_equal(efc_panel_size(f.panel), 3);
    assert_status(efc_panel_finalize(f.panel, f.err), EFC_ERR_VALUE, f.err);
    assert_string_equal(efc_error_text(f.err),
                        "panel.csv:14: actor 'a' has two assessments for period 2024, lines 10 "
                        "and 14 (combine the rows of several respondents first)");
    assert_false(efc_panel_is_finalized(f.panel));
    assert_status(efc_panel_add(f.panel, "c", "2024", NULL, s, 0, f.err), EFC_ERR_STATE, f.err);
    teardown(&f);
}

/* An empty panel (a survey whose every row was rejected) is valid: every
 * analysis works on it and finds nothing. (Found by fuzz_trajectory.) */
static void test_empty(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    assert_int_equal(efc_panel_actor_count(f.panel), 0);
    assert_int_equal(efc_panel_period_kind(f.panel), EFC_PERIOD_NONE);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    assert_int_equal(efc_trajectories_transfer_count(t), 0);
    assert_ok(efc_trajectories_fill(NULL, 0, 0, 0, t, EFC_TRAJECTORY_N, f.err), f.err);
    efc_trajectories_free(t);
    efc_ranking *r;
    assert_ok(make_ranking(&r, f.panel, EFC_NO_NODE, NULL, NULL, f.err), f.err);
    assert_int_equal(efc_ranking_group_count(r, 0), 0);
    assert_int_equal(efc_ranking_group_count(r, EFC_NONE), 0);
    efc_ranking_free(r);
    efc_comparison *c;
    assert_status(make_comparison(&c, f.panel, 0, 0, EFC_NO_NODE, NULL, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    teardown(&f);
}

static void test_sorting_and_reading(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1);
    /* added out of order: actors sort by id, assessments by period */
    add_in(&f, "zeta", "2023", "food", 0.3, 0.3, 0.3);
    add_in(&f, "alpha", "2022", "farm", 0.2, 0.2, 0.2);
    add_in(&f, "zeta", "2021", "", 0.1, NAN, 0.1);
    add_in(&f, "alpha", "2020", "farm", 0.4, 0.4, 0.4);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    assert_int_equal(efc_panel_actor_count(f.panel), 2);
    assert_string_equal(efc_panel_actor(f.panel, 0), "alpha");
    assert_string_equal(efc_panel_actor(f.panel, 1), "zeta");
    assert_int_equal(efc_panel_find_actor(f.panel, "zeta"), 1);
    assert_int_equal(efc_panel_find_actor(f.panel, "nobody"), EFC_NONE);
    assert_int_equal(efc_panel_assessment_count(f.panel, 1), 2);
    assert_string_equal(efc_panel_period(f.panel, 1, 0), "2021");
    assert_same_bits(efc_panel_period_value(f.panel, 1, 1), 2023.0);
    assert_string_equal(efc_panel_group(f.panel, 1, 0, 0), "");
    assert_string_equal(efc_panel_group(f.panel, 1, 1, 0), "food");
    assert_true(isnan(efc_panel_score(f.panel, 1, 0, f.x)));
    assert_same_bits(efc_panel_score(f.panel, 0, 0, f.g), 0.4);
    assert_int_equal(efc_panel_find_period(f.panel, 0, "2022"), 1);
    assert_int_equal(efc_panel_find_period(f.panel, 0, "2022.0"), 1);
    assert_int_equal(efc_panel_find_period(f.panel, 0, "2021"), EFC_NONE);
    assert_int_equal(efc_panel_period_kind(f.panel), EFC_PERIOD_NUMBER);
    /* invalid indices give nothing, never a crash */
    assert_null(efc_panel_actor(f.panel, 2));
    assert_null(efc_panel_period(f.panel, 0, 2));
    assert_true(isnan(efc_panel_score(f.panel, 0, 0, 3)));
    assert_null(efc_panel_group(f.panel, 0, 0, 1));
    teardown(&f);
}

/* Rows in a random order, 60 actors x 12 periods: sorting in place (along
 * the permutation's cycles) puts every row's period, line, group and scores
 * where they belong. */
static void test_shuffled_rows(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1);
    enum { ACTORS = 60, PERIODS = 12, N = ACTORS * PERIODS };
    size_t order[N];
    for (size_t i = 0; i < N; i++)
        order[i] = i;
    uint64_t x = 88172645463325252u;
    for (size_t i = N - 1; i > 0; i--) { /* Fisher-Yates with xorshift */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = (size_t)(x % (i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < N; i++) {
        size_t a = order[i] / PERIODS, t = order[i] % PERIODS;
        char actor[32], period[32];
        snprintf(actor, sizeof actor, "actor%03zu", a);
        snprintf(period, sizeof period, "%zu", 2000 + t);
        double s[3];
        s[f.g] = (double)a / ACTORS;
        s[f.x] = (double)t / PERIODS;
        s[f.y] = (double)(a + t) / (ACTORS + PERIODS);
        const char *g[1] = {t % 2 ? "odd" : "even"};
        assert_ok(efc_panel_add(f.panel, actor, period, g, s, 1000 + order[i], f.err), f.err);
    }
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    assert_int_equal(efc_panel_actor_count(f.panel), ACTORS);
    for (size_t a = 0; a < ACTORS; a++) {
        assert_int_equal(efc_panel_assessment_count(f.panel, a), PERIODS);
        for (size_t t = 0; t < PERIODS; t++) {
            assert_same_bits(efc_panel_period_value(f.panel, a, t), 2000.0 + (double)t);
            assert_int_equal(efc_panel_line(f.panel, a, t), 1000 + a * PERIODS + t);
            assert_string_equal(efc_panel_group(f.panel, a, t, 0), t % 2 ? "odd" : "even");
            assert_same_bits(efc_panel_score(f.panel, a, t, f.g), (double)a / ACTORS);
            assert_same_bits(efc_panel_score(f.panel, a, t, f.x), (double)t / PERIODS);
            assert_same_bits(efc_panel_score(f.panel, a, t, f.y),
                             (double)(a + t) / (ACTORS + PERIODS));
        }
    }
    teardown(&f);
}

static void test_trajectory_metrics(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* x: 2020 0.2, 2021 0.4, 2023 0.5 (given out of order), and a 2022
     * assessment where x is missing, which is skipped */
    add(&f, "a", "2023", 0.5, 0.5, 0.5, 0);
    add(&f, "a", "2020", 0.2, 0.2, 0.2, 0);
    add(&f, "a", "2022", 0.9, NAN, 0.9, 0);
    add(&f, "a", "2021", 0.4, 0.4, 0.4, 0);
    /* one assessment only */
    add(&f, "b", "2024", 0.7, 0.7, 0.7, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_N), 3.0);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_FIRST), 0.2);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_LAST), 0.5);
    assert_close(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_CHANGE), 0.3, 1e-15);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_FIRST_PERIOD), 2020.0);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_LAST_PERIOD), 2023.0);
    /* mean time 2021 1/3, mean score 11/30; Sxy = (-4/3)(-1/6) + (-1/3)(1/30)
     * + (5/3)(2/15) = 13/30, Sxx = 16/9 + 1/9 + 25/9 = 14/3: slope 13/140 */
    assert_close(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_SLOPE), 13.0 / 140, 1e-15);
    /* both steps rise, as the change does */
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_STEADINESS), 1.0);
    assert_int_equal(efc_trajectories_first(t, 0, f.x), 0);
    assert_int_equal(efc_trajectories_last(t, 0, f.x), 3);
    /* g has 4 scores: 0.2 0.4 0.9 0.5, steps + + -, change up: 2 of 3 */
    assert_same_bits(efc_trajectories_value(t, 0, f.g, EFC_TRAJECTORY_N), 4.0);
    assert_close(efc_trajectories_value(t, 0, f.g, EFC_TRAJECTORY_STEADINESS), 2.0 / 3, 1e-15);
    /* one assessment: change 0, no slope, no steadiness */
    assert_same_bits(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_N), 1.0);
    assert_same_bits(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_CHANGE), 0.0);
    assert_true(isnan(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_SLOPE)));
    assert_true(isnan(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_STEADINESS)));
    /* bulk fill, in a Fortran-ordered nodes x actors array */
    double out[3 * 2];
    assert_ok(efc_trajectories_fill(out, 3 * 2, 3, 1, t, EFC_TRAJECTORY_N, f.err), f.err);
    assert_same_bits(out[0 * 3 + f.g], 4.0);
    assert_same_bits(out[1 * 3 + f.y], 1.0);
    assert_true(isnan(efc_trajectories_value(t, 2, f.x, EFC_TRAJECTORY_N)));
    efc_trajectories_free(t);
    teardown(&f);
}

static void test_steadiness_level_and_down(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* x down overall: 0.8 0.6 0.7 0.3: steps - + -: 2 of 3 go down.
     * y level overall: 0.5 0.6 0.5 0.5: steps + - =: 1 of 3 is level. */
    const char *p[4] = {"1", "2", "3", "4"};
    double xs[4] = {0.8, 0.6, 0.7, 0.3}, ys[4] = {0.5, 0.6, 0.5, 0.5};
    for (int i = 0; i < 4; i++)
        add(&f, "a", p[i], 0.5, xs[i], ys[i], 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    assert_close(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_STEADINESS), 2.0 / 3, 1e-15);
    assert_close(efc_trajectories_value(t, 0, f.y, EFC_TRAJECTORY_STEADINESS), 1.0 / 3, 1e-15);
    assert_same_bits(efc_trajectories_value(t, 0, f.y, EFC_TRAJECTORY_CHANGE), 0.0);
    /* slope of x: times 1..4 (mean 2.5), scores mean 0.6; Sxy = (-1.5)(0.2) +
     * (-0.5)(0) + (0.5)(0.1) + (1.5)(-0.3) = -0.7, Sxx = 5: -0.14 */
    assert_close(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_SLOPE), -0.14, 1e-15);
    efc_trajectories_free(t);
    teardown(&f);
}

static void test_dates(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* 2020 is a leap year: 366 days, 366 / 365.2425 years */
    add(&f, "a", "2020-01-01", 0.2, 0.2, 0.2, 0);
    add(&f, "a", "2021-01-01", 0.5, 0.5, 0.5, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    assert_int_equal(efc_panel_period_kind(f.panel), EFC_PERIOD_DATE);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    assert_close(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_SLOPE), 0.3 / (366 / 365.2425),
                 1e-15);
    /* days since 1970-01-01 */
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_FIRST_PERIOD), 18262.0);
    assert_string_equal(efc_panel_period(f.panel, 0, 1), "2021-01-01");
    efc_trajectories_free(t);
    teardown(&f);
}

static void test_transfers(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* x falls while g rises:
     *  1 -> 2: x falls 0.01 exactly, g rises: not more than the tolerance;
     *  2 -> 3: x falls 0.010001, g rises: a transfer;
     *  3 -> 4: x falls 0.079999, g level: not a transfer;
     *  5 has no g: skipped, so the next step is 4 -> 6;
     *  4 -> 6: x falls 0.2, g rises: a transfer.
     * y: rises with g, never a transfer. g is the root: never. */
    add(&f, "a", "1", 0.50, 0.50, 0.5, 0);
    add(&f, "a", "2", 0.51, 0.49, 0.6, 0);
    add(&f, "a", "3", 0.52, 0.479999, 0.7, 0);
    add(&f, "a", "4", 0.52, 0.40, 0.7, 0);
    add(&f, "a", "5", NAN, 0.30, 0.8, 0);
    add(&f, "a", "6", 0.60, 0.20, 0.9, 0);
    /* b: with a tolerance of 0, any fall counts */
    add(&f, "b", "1", 0.5, 0.5, 0.5, 0);
    add(&f, "b", "2", 0.6, 0.499999999999, 0.5, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_TRANSFERS), 2.0);
    assert_same_bits(efc_trajectories_value(t, 0, f.y, EFC_TRAJECTORY_TRANSFERS), 0.0);
    assert_same_bits(efc_trajectories_value(t, 0, f.g, EFC_TRAJECTORY_TRANSFERS), 0.0);
    assert_same_bits(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_TRANSFERS), 0.0);
    assert_int_equal(efc_trajectories_transfer_count(t), 2);
    size_t actor, node, from, to;
    assert_ok(efc_trajectories_transfer(&actor, &node, &from, &to, t, 0, f.err), f.err);
    assert_int_equal(actor, 0);
    assert_int_equal(node, f.x);
    assert_string_equal(efc_panel_period(f.panel, actor, from), "2");
    assert_string_equal(efc_panel_period(f.panel, actor, to), "3");
    assert_ok(efc_trajectories_transfer(NULL, NULL, &from, &to, t, 1, f.err), f.err);
    assert_string_equal(efc_panel_period(f.panel, 0, from), "4");
    assert_string_equal(efc_panel_period(f.panel, 0, to), "6");
    assert_status(efc_trajectories_transfer(NULL, NULL, NULL, NULL, t, 2, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    efc_trajectories_free(t);
    /* tolerance 0: b's fall of 1e-12 counts; a's level step still does not */
    assert_ok(make_trajectories(&t, f.panel, 0, NULL, f.err), f.err);
    assert_same_bits(efc_trajectories_value(t, 1, f.x, EFC_TRAJECTORY_TRANSFERS), 1.0);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_TRANSFERS), 3.0);
    efc_trajectories_free(t);
    /* tolerance 0.2: a's fall of exactly 0.2 (0.40 -> 0.20) does not count */
    assert_ok(make_trajectories(&t, f.panel, 0.2, NULL, f.err), f.err);
    assert_same_bits(efc_trajectories_value(t, 0, f.x, EFC_TRAJECTORY_TRANSFERS), 0.0);
    efc_trajectories_free(t);
    assert_status(make_trajectories(&t, f.panel, -0.1, NULL, f.err), EFC_ERR_ARGUMENT, f.err);
    assert_status(make_trajectories(&t, f.panel, NAN, NULL, f.err), EFC_ERR_ARGUMENT, f.err);
    teardown(&f);
}

static void test_comparison(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* x: A 2020 0.2, 2022 0.6; B 2021 0.5, 2023 0.3.
     * y: A 0.5 -> 0.5; B 0.1 -> 0.3. */
    add(&f, "A", "2020", 0.35, 0.2, 0.5, 0);
    add(&f, "A", "2022", 0.55, 0.6, 0.5, 0);
    add(&f, "B", "2021", 0.3, 0.5, 0.1, 0);
    add(&f, "B", "2023", 0.3, 0.3, 0.3, 0);
    /* C: x as A's, y 0.5 -> 0.6: dominates A; D: no y at all */
    add(&f, "C", "2020", 0.35, 0.2, 0.5, 0);
    add(&f, "C", "2022", 0.6, 0.6, 0.6, 0);
    add(&f, "D", "2020", 0.2, 0.2, NAN, 0);
    add(&f, "D", "2022", 0.6, 0.6, NAN, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    size_t A = efc_panel_find_actor(f.panel, "A"), B = efc_panel_find_actor(f.panel, "B");
    size_t C = efc_panel_find_actor(f.panel, "C"), D = efc_panel_find_actor(f.panel, "D");
    efc_comparison *c;
    assert_ok(make_comparison(&c, f.panel, A, B, EFC_NO_NODE, NULL, f.err), f.err);
    assert_close(efc_comparison_value(c, f.x, EFC_COMPARISON_CHANGE_A), 0.4, 1e-15);
    assert_close(efc_comparison_value(c, f.x, EFC_COMPARISON_CHANGE_B), -0.2, 1e-15);
    assert_close(efc_comparison_value(c, f.x, EFC_COMPARISON_DIFFERENCE), 0.6, 1e-15);
    /* no period in common */
    assert_same_bits(efc_comparison_value(c, f.x, EFC_COMPARISON_COMMON_PERIODS), 0.0);
    assert_true(isnan(efc_comparison_value(c, f.x, EFC_COMPARISON_MEAN_GAP)));
    /* common span 2021..2022; A goes 0.4 -> 0.6 there, B 0.5 -> 0.4, so
     * A - B goes -0.1 -> 0.2 and crosses 0: two triangles,
     * (0.1^2 + 0.2^2) / (2 x 0.3) = 1/12 */
    assert_same_bits(efc_comparison_value(c, f.x, EFC_COMPARISON_SPAN), 1.0);
    assert_close(efc_comparison_value(c, f.x, EFC_COMPARISON_AREA), 1.0 / 12, 1e-15);
    /* A more on x, B more on y */
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_NEITHER);
    assert_int_equal(efc_comparison_node(c), f.g);
    efc_comparison_free(c);
    /* C and A: same x, C more on y; same periods: mean gap of g at 2020 (0)
     * and 2022 (0.05) is 0.025; the area is a triangle, 0.05 x 2 / 2 */
    assert_ok(make_comparison(&c, f.panel, C, A, f.g, NULL, f.err), f.err);
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_A);
    assert_same_bits(efc_comparison_value(c, f.g, EFC_COMPARISON_COMMON_PERIODS), 2.0);
    assert_close(efc_comparison_value(c, f.g, EFC_COMPARISON_MEAN_GAP), 0.025, 1e-15);
    assert_close(efc_comparison_value(c, f.g, EFC_COMPARISON_AREA), 0.05, 1e-15);
    efc_comparison_free(c);
    assert_ok(make_comparison(&c, f.panel, A, C, f.g, NULL, f.err), f.err);
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_B);
    efc_comparison_free(c);
    assert_ok(make_comparison(&c, f.panel, A, A, f.g, NULL, f.err), f.err);
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_EQUAL);
    assert_same_bits(efc_comparison_value(c, f.x, EFC_COMPARISON_AREA), 0.0);
    efc_comparison_free(c);
    assert_ok(make_comparison(&c, f.panel, A, D, f.g, NULL, f.err), f.err);
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_UNKNOWN);
    efc_comparison_free(c);
    /* dominance is over a group's children: a leaf is refused */
    assert_status(make_comparison(&c, f.panel, A, B, f.x, NULL, f.err), EFC_ERR_ARGUMENT, f.err);
    assert_status(make_comparison(&c, f.panel, A, 9, f.g, NULL, f.err), EFC_ERR_ARGUMENT, f.err);
    teardown(&f);
}

static void test_ranks(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1);
    /* latest g: a 0.9, b 0.7, c 0.7, d 0.5, e none (missing at its latest);
     * changes from the first g: a +0.1, b +0.2, c none (one score), d 0 */
    add_in(&f, "a", "2020", "food", 0.8, 0.8, 0.8);
    add_in(&f, "a", "2022", "food", 0.9, 0.9, 0.9);
    add_in(&f, "b", "2021", "farm", 0.5, 0.5, 0.5);
    add_in(&f, "b", "2022", "food", 0.7, 0.7, 0.7);
    add_in(&f, "c", "2022", "farm", 0.7, 0.7, 0.7);
    add_in(&f, "d", "2020", "farm", 0.5, 0.5, 0.5);
    add_in(&f, "d", "2021", "farm", 0.5, 0.5, 0.5);
    add_in(&f, "e", "2020", "", 0.3, 0.3, 0.3);
    add_in(&f, "e", "2022", "", NAN, 0.1, NAN);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_ranking *r;
    assert_ok(make_ranking(&r, f.panel, EFC_NO_NODE, NULL, NULL, f.err), f.err);
    size_t a = 0, b = 1, c = 2, d = 3, e = 4;
    /* ranks 1, 2, 2, 4 over 4 actors; percentiles 100 (3 + 1/2) / 4, 100 (1 + 1) / 4,
     * 100 (0 + 1/2) / 4 */
    assert_same_bits(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK), 1.0);
    assert_same_bits(efc_ranking_value(r, b, EFC_NONE, EFC_RANK_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, c, EFC_NONE, EFC_RANK_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_RANK), 4.0);
    assert_true(isnan(efc_ranking_value(r, e, EFC_NONE, EFC_RANK_RANK)));
    assert_same_bits(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_PERCENTILE), 87.5);
    assert_same_bits(efc_ranking_value(r, b, EFC_NONE, EFC_RANK_PERCENTILE), 50.0);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_PERCENTILE), 12.5);
    assert_same_bits(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_PEERS), 4.0);
    /* changes: b +0.2 first, a +0.1, d 0; c has none */
    assert_same_bits(efc_ranking_value(r, b, EFC_NONE, EFC_RANK_CHANGE_RANK), 1.0);
    assert_same_bits(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_CHANGE_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_CHANGE_RANK), 3.0);
    assert_close(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_CHANGE_PERCENTILE), 100.0 / 6, 1e-13);
    assert_true(isnan(efc_ranking_value(r, c, EFC_NONE, EFC_RANK_CHANGE)));
    assert_same_bits(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_CHANGE_PEERS), 3.0);
    /* groups at the latest assessments: farm {c, d}, food {a, b}; e in none */
    assert_int_equal(efc_ranking_group_count(r, 0), 2);
    assert_string_equal(efc_ranking_group_name(r, 0, 0), "farm");
    assert_string_equal(efc_ranking_group_name(r, 0, 1), "food");
    assert_int_equal(efc_ranking_actor_group(r, b, 0), 1);
    assert_int_equal(efc_ranking_actor_group(r, e, 0), EFC_NONE);
    assert_same_bits(efc_ranking_value(r, b, 0, EFC_RANK_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, c, 0, EFC_RANK_RANK), 1.0);
    assert_same_bits(efc_ranking_value(r, c, 0, EFC_RANK_PERCENTILE), 75.0);
    assert_true(isnan(efc_ranking_value(r, e, 0, EFC_RANK_RANK)));
    /* statistics of g over all ranked actors (0.5 0.7 0.7 0.9) and e's x
     * (x at the latest: 0.9 0.7 0.7 0.5 0.1) */
    assert_same_bits(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_COUNT), 4.0);
    assert_close(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_Q1), 0.65, 1e-15);
    assert_close(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_MEDIAN), 0.7, 1e-15);
    assert_close(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_Q3), 0.75, 1e-15);
    assert_close(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_MEAN), 0.7, 1e-15);
    assert_same_bits(efc_ranking_group_value(r, EFC_NONE, 0, f.x, EFC_GROUP_COUNT), 5.0);
    assert_same_bits(efc_ranking_group_value(r, EFC_NONE, 0, f.x, EFC_GROUP_MIN), 0.1);
    assert_same_bits(efc_ranking_group_value(r, 0, 0, f.g, EFC_GROUP_MAX), 0.7);
    efc_ranking_free(r);
    /* at 2021: b 0.5 and d 0.5 tie (rank 1, percentile 50); d's change 0 */
    assert_ok(make_ranking(&r, f.panel, f.g, "2021", NULL, f.err), f.err);
    assert_same_bits(efc_ranking_value(r, b, EFC_NONE, EFC_RANK_RANK), 1.0);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_RANK), 1.0);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_PERCENTILE), 50.0);
    assert_true(isnan(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK)));
    assert_int_equal(efc_ranking_assessment(r, a), EFC_NONE);
    assert_same_bits(efc_ranking_value(r, d, EFC_NONE, EFC_RANK_CHANGE), 0.0);
    efc_ranking_free(r);
    assert_status(make_ranking(&r, f.panel, f.g, "2021-01-01", NULL, f.err), EFC_ERR_VALUE, f.err);
    assert_status(make_ranking(&r, f.panel, 7, NULL, NULL, f.err), EFC_ERR_ARGUMENT, f.err);
    teardown(&f);
}

/* Changes are judged as printed too: A's change 0.1000000000004 prints as
 * 0.1, like B's, so neither dominates and A's path counts as steady up. */
static void test_changes_as_printed(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    add(&f, "A", "1", 0.5, 0.1000000000004, 0.5, 0);
    add(&f, "A", "2", 0.5, 0.2000000000008, 0.5, 0);
    add(&f, "B", "1", 0.5, 0.1, 0.5, 0);
    add(&f, "B", "2", 0.5, 0.2, 0.5, 0);
    /* C: x comes back within 2e-13 of where it started: the change prints
     * as 0, level, although the printed ends differ by 1e-12 */
    add(&f, "C", "1", 0.5, 0.1000000000004, 0.5, 0);
    add(&f, "C", "2", 0.5, 0.2, 0.5, 0);
    add(&f, "C", "3", 0.5, 0.1000000000006, 0.5, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_comparison *c;
    assert_ok(make_comparison(&c, f.panel, 0, 1, f.g, NULL, f.err), f.err);
    assert_int_equal(efc_comparison_dominance(c), EFC_DOMINANCE_EQUAL);
    efc_comparison_free(c);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    /* steps of C: up, then down: neither goes the way of a level change */
    assert_same_bits(efc_trajectories_value(t, 2, f.x, EFC_TRAJECTORY_STEADINESS), 0.0);
    efc_trajectories_free(t);
    teardown(&f);
}

static void test_ties_as_printed(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* scores equal to 12 decimals tie, even if their last bits differ */
    add(&f, "a", "1", 0.3, 0.3, 0.3, 0);
    add(&f, "b", "1", 0.1 + 0.2, 0.3, 0.3, 0);
    add(&f, "c", "1", 0.3000000000006, 0.3, 0.3, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_ranking *r;
    assert_ok(make_ranking(&r, f.panel, f.g, NULL, NULL, f.err), f.err);
    assert_same_bits(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, 1, EFC_NONE, EFC_RANK_RANK), 2.0);
    assert_same_bits(efc_ranking_value(r, 2, EFC_NONE, EFC_RANK_RANK), 1.0);
    efc_ranking_free(r);
    teardown(&f);
}

static void test_from_survey(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, MODEL, err), err);
    const char *text = "id,period,sector,x,y\n"
                       "b,2024,food,1,0\n"
                       "a,2023,farm,0.5,0.5\n"
                       "a,2024,farm,1,1\n"
                       "c,,farm,1,1\n";
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_add_group_column(o, "sector", err), err);
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, text, strlen(text), "s.csv", o, NULL, err), err);
    efc_panel *p;
    assert_ok(efc_panel_create_for_survey(&p, s, NULL, err), err);
    assert_int_equal(efc_panel_group_column_count(p), 1);
    assert_string_equal(efc_panel_group_column(p, 0), "sector");
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 16, NULL, err), err);
    assert_ok(efc_survey_read(b, s, err), err);
    /* the row without a period is refused with its line; the rows before it are in */
    assert_status(efc_panel_add_batch(p, b, err), EFC_ERR_VALUE, err);
    assert_string_equal(efc_error_text(err),
                        "s.csv:5: period '' is empty (every assessment needs a period)");
    assert_int_equal(efc_panel_size(p), 3);
    assert_ok(efc_panel_finalize(p, err), err);
    assert_string_equal(efc_panel_actor(p, 0), "a");
    assert_int_equal(efc_panel_line(p, 0, 1), 4);
    assert_same_bits(efc_panel_score(p, 0, 0, efc_model_find(m, "g")), 0.5);
    assert_string_equal(efc_panel_group(p, 1, 0, 0), "food");
    efc_batch_free(b);
    efc_panel_free(p);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
}

/* An add that runs out of memory leaves the panel as it was: no actor
 * without assessments, no period kind from a row that was not added. */
static void test_failed_add_leaves_nothing(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, MODEL, err), err);
    double s[3] = {0.5, 0.5, 0.5};
    for (long k = 1; k <= 12; k++) {
        counting_alloc ca = {0, 0, 0, 0};
        efc_allocator al = counting_allocator(&ca);
        efc_panel *p;
        assert_ok(efc_panel_create(&p, m, &al, err), err);
        assert_ok(efc_panel_add_group_column(p, "sector", err), err);
        const char *g1[1] = {"food"}, *g2[1] = {"a new sector"};
        ca.fail_at = ca.calls + k; /* the k-th allocation of the first add fails */
        efc_status st = efc_panel_add(p, "GHOST", "2024-01-01", g2, s, 3, err);
        ca.fail_at = 0;
        if (st == EFC_OK) { /* k is past the add's allocations: it went in */
            efc_panel_free(p);
            break;
        }
        assert_int_equal(st, EFC_ERR_NOMEM);
        assert_int_equal(efc_panel_size(p), 0);
        /* a number-kind row goes in: the failed date row set no kind */
        assert_ok(efc_panel_add(p, "B", "2025", g1, s, 4, err), err);
        assert_ok(efc_panel_finalize(p, err), err);
        assert_int_equal(efc_panel_actor_count(p), 1);
        assert_int_equal(efc_panel_find_actor(p, "GHOST"), EFC_NONE);
        efc_panel_free(p);
        assert_int_equal(ca.live, 0);
    }
    efc_model_free(m);
    efc_error_free(err);
}

/* Every allocation failure while building, finalizing and reading a panel
 * returns EFC_ERR_NOMEM and leaks nothing. */
static void test_allocation_failures(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, MODEL, err), err);
    long n = 1;
    for (;; n++) {
        counting_alloc ca = {0, n, 0, 0};
        efc_allocator al = counting_allocator(&ca);
        efc_panel *p = NULL;
        efc_trajectories *t = NULL;
        efc_comparison *c = NULL;
        efc_ranking *r = NULL;
        efc_status st = efc_panel_create(&p, m, &al, err);
        if (!st)
            st = efc_panel_add_group_column(p, "sector", err);
        const char *periods[3] = {"2020", "2021", "2022"};
        const char *sectors[2] = {"food", "farm"};
        for (int i = 0; i < 60 && !st; i++) {
            char actor[8];
            snprintf(actor, sizeof actor, "a%d", i % 20);
            double s[3] = {0.1 * (i % 10), 0.05 * (i % 7), 0.5};
            const char *g[1] = {sectors[i % 2]};
            st = efc_panel_add(p, actor, periods[i / 20], g, s, (size_t)i + 2, err);
        }
        if (!st)
            st = efc_panel_finalize(p, err);
        if (!st)
            st = make_trajectories(&t, p, 0.01, &al, err);
        if (!st)
            st = make_comparison(&c, p, 0, 1, EFC_NO_NODE, &al, err);
        if (!st)
            st = make_ranking(&r, p, EFC_NO_NODE, NULL, &al, err);
        efc_ranking_free(r);
        efc_comparison_free(c);
        efc_trajectories_free(t);
        efc_panel_free(p);
        if (ca.live != 0)
            fail_msg("%ld blocks leaked when allocation %ld failed", ca.live, n);
        if (!ca.failed) {
            assert_ok(st, err);
            break;
        }
        if (st != EFC_ERR_NOMEM)
            fail_msg("allocation %ld failed: got %s", n, st ? efc_error_text(err) : "success");
    }
    assert_true(n > 30);
    efc_model_free(m);
    efc_error_free(err);
}

/* Periods may be any finite numbers, and their distances may not be: from
 * -1.7e308 to 1.7e308 is 3.4e308. Span and area came out infinite (and the
 * CLI printed inf); they are empty (NaN) like the slope of such periods,
 * and an area over a finite span between far-apart points is computed
 * right (the position inside a segment overflowed to 0). Periods so close
 * that their squares underflow leave an empty slope, not an infinite one. */
static void test_huge_periods(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* g only; x = y = g */
    add(&f, "a", "-1.7e308", 0.25, 0.25, 0.25, 0);
    add(&f, "a", "1.7e308", 0.75, 0.75, 0.75, 0);
    add(&f, "b", "-1.7e308", 0.5, 0.5, 0.5, 0);
    add(&f, "b", "1.7e308", 0.5, 0.5, 0.5, 0);
    add(&f, "c", "0", 0.25, 0.25, 0.25, 0);
    add(&f, "c", "1", 0.75, 0.75, 0.75, 0);
    add(&f, "d", "-1e308", 0.25, 0.25, 0.25, 0);
    add(&f, "d", "0", 0.5, 0.5, 0.5, 0);
    add(&f, "d", "1e308", 1, 1, 1, 0);
    add(&f, "e", "1e-200", 0.25, 0.25, 0.25, 0);
    add(&f, "e", "2e-200", 0.75, 0.75, 0.75, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    size_t a = efc_panel_find_actor(f.panel, "a"), b = efc_panel_find_actor(f.panel, "b"),
           c = efc_panel_find_actor(f.panel, "c"), d = efc_panel_find_actor(f.panel, "d"),
           e = efc_panel_find_actor(f.panel, "e");

    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    size_t who[] = {a, b, d, e};
    for (size_t i = 0; i < 4; i++) {
        assert_true(isnan(efc_trajectories_value(t, who[i], f.g, EFC_TRAJECTORY_SLOPE)));
        assert_false(isnan(efc_trajectories_value(t, who[i], f.g, EFC_TRAJECTORY_CHANGE)));
    }
    assert_close(efc_trajectories_value(t, c, f.g, EFC_TRAJECTORY_SLOPE), 0.5, 1e-15);
    efc_trajectories_free(t);

    efc_comparison *cmp;
    /* a and b: the common span is 3.4e308, beyond a double */
    assert_ok(make_comparison(&cmp, f.panel, a, b, EFC_NO_NODE, NULL, f.err), f.err);
    assert_true(isnan(efc_comparison_value(cmp, f.g, EFC_COMPARISON_SPAN)));
    assert_true(isnan(efc_comparison_value(cmp, f.g, EFC_COMPARISON_AREA)));
    assert_close(efc_comparison_value(cmp, f.g, EFC_COMPARISON_MEAN_GAP), 0.25, 1e-15);
    efc_comparison_free(cmp);
    /* a and d: from -1e308 to 1e308, 2e308 */
    assert_ok(make_comparison(&cmp, f.panel, a, d, EFC_NO_NODE, NULL, f.err), f.err);
    assert_true(isnan(efc_comparison_value(cmp, f.g, EFC_COMPARISON_SPAN)));
    assert_true(isnan(efc_comparison_value(cmp, f.g, EFC_COMPARISON_AREA)));
    efc_comparison_free(cmp);
    /* a and c over [0, 1]: a is 0.5 at 0 and 0.5 + 1 / 6.8e308 at 1, c goes
     * from 0.25 to 0.75 and crosses it at 0.5: two triangles of 0.25 x 0.5
     * / 2, an area of 0.125 (it was 0.25, a taken as 0.25 throughout) */
    assert_ok(make_comparison(&cmp, f.panel, a, c, EFC_NO_NODE, NULL, f.err), f.err);
    assert_close(efc_comparison_value(cmp, f.g, EFC_COMPARISON_SPAN), 1, 0);
    assert_close(efc_comparison_value(cmp, f.g, EFC_COMPARISON_AREA), 0.125, 1e-15);
    efc_comparison_free(cmp);
    /* d and c over [0, 1]: d goes from 0.5 to 0.5 + 0.5 / 1e308 */
    assert_ok(make_comparison(&cmp, f.panel, d, c, EFC_NO_NODE, NULL, f.err), f.err);
    assert_close(efc_comparison_value(cmp, f.g, EFC_COMPARISON_AREA), 0.125, 1e-15);
    efc_comparison_free(cmp);
    teardown(&f);
}

/* The options of the panel analyses: each value checked when set, a failed
 * setter changes nothing, NULL options are the defaults, options of another
 * model are refused, and the options outlive nothing they were used for. */
static void test_options(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    add(&f, "a", "2023", 0.2, 0.2, 0.2, 0);
    add(&f, "a", "2024", 0.5, 0.5, 0.5, 0);
    add(&f, "b", "2023", 0.9, 0.9, 0.9, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_error *err = f.err;

    /* rankings: node and period checked when set */
    efc_ranking_options *ro;
    assert_status(efc_ranking_options_create(&ro, NULL, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_model *editable;
    assert_ok(efc_model_create(&editable, NULL, err), err);
    assert_status(efc_ranking_options_create(&ro, editable, NULL, err), EFC_ERR_STATE, err);
    assert_ok(efc_ranking_options_create(&ro, f.model, NULL, err), err);
    assert_status(efc_ranking_options_set_node(ro, 3, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_ranking_options_set_period(ro, "latest", err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_PERIOD);
    assert_status(efc_ranking_options_set_period(ro, "year", err), EFC_ERR_VALUE, err);
    assert_status(efc_ranking_options_set_period(ro, "", err), EFC_ERR_VALUE, err);
    assert_ok(efc_ranking_options_set_period(ro, "31/12/2023", err), err); /* a date: valid */
    assert_ok(efc_ranking_options_set_period(ro, "2023,0", err), err);     /* decimal comma */
    efc_ranking *r;
    /* this panel reads neither spelling: the ranking says so */
    assert_status(efc_ranking_create(&r, f.panel, ro, NULL, err), EFC_ERR_VALUE, err);
    assert_null(r);
    assert_ok(efc_ranking_options_set_period(ro, "2023", err), err);
    assert_ok(efc_ranking_options_set_node(ro, f.x, err), err);
    assert_ok(efc_ranking_create(&r, f.panel, ro, NULL, err), err);
    assert_int_equal(efc_ranking_node(r), f.x);
    assert_true(efc_ranking_value(r, 1, EFC_NONE, EFC_RANK_RANK) == 1); /* b at 2023 */
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_SCORE) == 0.2);
    efc_ranking_options_free(ro); /* the ranking does not need them */
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_RANK) == 2);
    efc_ranking_free(r);
    /* NULL: the root at each actor's latest */
    assert_ok(efc_ranking_create(&r, f.panel, NULL, NULL, err), err);
    assert_int_equal(efc_ranking_node(r), f.g);
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_SCORE) == 0.5);
    efc_ranking_free(r);
    /* options of another model, even an equal one */
    efc_model *copy;
    assert_ok(efc_model_copy(&copy, f.model, NULL, err), err);
    assert_ok(efc_model_finalize(copy, err), err);
    assert_ok(efc_ranking_options_create(&ro, copy, NULL, err), err);
    assert_status(efc_ranking_create(&r, f.panel, ro, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_ranking_options_free(ro);

    /* comparisons: a group, checked when set */
    efc_comparison_options *co;
    assert_ok(efc_comparison_options_create(&co, f.model, NULL, err), err);
    assert_status(efc_comparison_options_set_node(co, f.x, err), EFC_ERR_ARGUMENT, err);
    assert_non_null(strstr(efc_error_message(err), "is an item"));
    efc_comparison *c;
    assert_ok(efc_comparison_create(&c, f.panel, 0, 1, co, NULL, err), err);
    assert_int_equal(efc_comparison_node(c), f.g); /* the failed setter changed nothing */
    efc_comparison_free(c);
    efc_comparison_options_free(co);
    assert_ok(efc_comparison_options_create(&co, copy, NULL, err), err);
    assert_status(efc_comparison_create(&c, f.panel, 0, 1, co, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_comparison_options_free(co);

    /* trajectories: the tolerance, default 0.01 */
    efc_trajectory_options *to;
    assert_ok(efc_trajectory_options_create(&to, NULL, err), err);
    assert_status(efc_trajectory_options_set_tolerance(to, -0.1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_trajectory_options_set_tolerance(to, NAN, err), EFC_ERR_ARGUMENT, err);
    efc_trajectories *t;
    assert_ok(efc_trajectories_create(&t, f.panel, to, NULL, err), err);
    assert_true(efc_trajectories_tolerance(t) == 0.01);
    efc_trajectories_free(t);
    assert_ok(efc_trajectory_options_set_tolerance(to, 0.25, err), err);
    assert_ok(efc_trajectories_create(&t, f.panel, to, NULL, err), err);
    assert_true(efc_trajectories_tolerance(t) == 0.25);
    efc_trajectories_free(t);
    assert_ok(efc_trajectories_create(&t, f.panel, NULL, NULL, err), err);
    assert_true(efc_trajectories_tolerance(t) == 0.01);
    efc_trajectories_free(t);
    efc_trajectory_options_free(to);
    efc_ranking_options_free(NULL);
    efc_comparison_options_free(NULL);
    efc_trajectory_options_free(NULL);
    efc_model_free(copy);
    efc_model_free(editable);
    teardown(&f);
}

/* Ranks of rounded scores (efc_ranking_options_set_decimals): half away
 * from zero of the score as printed, ties shared, the rounded score and the
 * change of the rounded scores given back. */
static void test_rank_decimals(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 0);
    /* g: 0.7245 (a double just below: 0.72449999999999992) rounds up to
     * 0.725 at 3 decimals, as printed; 0.7254 down to 0.725: a tie; 0.7244
     * to 0.724; 0.1 then 0.3004 for d: a change of 0.2 (0.300 - 0.100) */
    add(&f, "a", "1", 0.7245, 0.7245, 0.7245, 0);
    add(&f, "b", "1", 0.7254, 0.7254, 0.7254, 0);
    add(&f, "c", "1", 0.7244, 0.7244, 0.7244, 0);
    add(&f, "d", "0", 0.1, 0.1, 0.1, 0);
    add(&f, "d", "1", 0.3004, 0.3004, 0.3004, 0);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_error *err = f.err;
    efc_ranking_options *ro;
    assert_ok(efc_ranking_options_create(&ro, f.model, NULL, err), err);
    assert_status(efc_ranking_options_set_decimals(ro, -2, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_ranking_options_set_decimals(ro, 13, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_ranking_options_set_decimals(NULL, 3, err), EFC_ERR_ARGUMENT, err);
    efc_ranking *r;
    /* the default, -1: unrounded, b a c d */
    assert_ok(efc_ranking_create(&r, f.panel, ro, NULL, err), err);
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_RANK) == 2);
    assert_true(efc_ranking_value(r, 1, EFC_NONE, EFC_RANK_RANK) == 1);
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_SCORE) == 0.7245);
    efc_ranking_free(r);
    assert_ok(efc_ranking_options_set_decimals(ro, 3, err), err);
    assert_ok(efc_ranking_create(&r, f.panel, ro, NULL, err), err);
    efc_ranking_options_free(ro);
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_RANK) == 1); /* a: 0.725 */
    assert_true(efc_ranking_value(r, 1, EFC_NONE, EFC_RANK_RANK) == 1); /* b: 0.725 */
    assert_true(efc_ranking_value(r, 2, EFC_NONE, EFC_RANK_RANK) == 3); /* c: 0.724 */
    assert_true(efc_ranking_value(r, 3, EFC_NONE, EFC_RANK_RANK) == 4); /* d: 0.300 */
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_SCORE) == 0.725);
    assert_true(efc_ranking_value(r, 1, EFC_NONE, EFC_RANK_SCORE) == 0.725);
    assert_true(efc_ranking_value(r, 2, EFC_NONE, EFC_RANK_SCORE) == 0.724);
    assert_true(efc_ranking_value(r, 3, EFC_NONE, EFC_RANK_SCORE) == 0.3);
    /* percentile of a tie: (1 below + 2 x 1/2) / 4 */
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_PERCENTILE) == 75);
    assert_true(efc_ranking_value(r, 3, EFC_NONE, EFC_RANK_CHANGE) == 0.2);
    /* group statistics stay those of the scores */
    assert_true(efc_ranking_group_value(r, EFC_NONE, 0, f.g, EFC_GROUP_MAX) == 0.7254);
    efc_ranking_free(r);
    /* 0 decimals: 0.7245 is 1, 0.3004 is 0; half away from zero */
    assert_ok(efc_ranking_options_create(&ro, f.model, NULL, err), err);
    assert_ok(efc_ranking_options_set_decimals(ro, 0, err), err);
    assert_ok(efc_ranking_create(&r, f.panel, ro, NULL, err), err);
    assert_true(efc_ranking_value(r, 0, EFC_NONE, EFC_RANK_SCORE) == 1);
    assert_true(efc_ranking_value(r, 3, EFC_NONE, EFC_RANK_SCORE) == 0);
    assert_true(efc_ranking_value(r, 3, EFC_NONE, EFC_RANK_RANK) == 4);
    efc_ranking_free(r);
    efc_ranking_options_free(ro);
    teardown(&f);
}

/* Freeing a result reads nothing of the panel it came from: bindings whose
 * garbage collector frees in any order may free the panel first (ASan and
 * memcheck catch a read of freed memory). */
static void test_free_in_any_order(void **state)
{
    (void)state;
    fixture f;
    setup(&f, 1);
    double s[3] = {0.5, 0.5, 0.5};
    const char *groups[1] = {"food"};
    assert_ok(efc_panel_add(f.panel, "a", "2024", groups, s, 0, f.err), f.err);
    assert_ok(efc_panel_finalize(f.panel, f.err), f.err);
    efc_ranking *r;
    efc_trajectories *t;
    efc_comparison *c;
    assert_ok(efc_ranking_create(&r, f.panel, NULL, NULL, f.err), f.err);
    assert_ok(efc_trajectories_create(&t, f.panel, NULL, NULL, f.err), f.err);
    assert_ok(efc_comparison_create(&c, f.panel, 0, 0, NULL, NULL, f.err), f.err);
    efc_panel_free(f.panel);
    f.panel = NULL;
    efc_ranking_free(r);
    efc_trajectories_free(t);
    efc_comparison_free(c);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_building),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_sorting_and_reading),
        cmocka_unit_test(test_shuffled_rows),
        cmocka_unit_test(test_trajectory_metrics),
        cmocka_unit_test(test_steadiness_level_and_down),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_transfers),
        cmocka_unit_test(test_comparison),
        cmocka_unit_test(test_ranks),
        cmocka_unit_test(test_changes_as_printed),
        cmocka_unit_test(test_ties_as_printed),
        cmocka_unit_test(test_from_survey),
        cmocka_unit_test(test_failed_add_leaves_nothing),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_huge_periods),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_free_in_any_order),
        cmocka_unit_test(test_rank_decimals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
