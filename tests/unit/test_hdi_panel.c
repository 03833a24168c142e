/* UNDP's HDI panel 1990-2022 followed through the C API: trajectories and
 * comparisons against values computed independently from the published
 * inputs (tests/data/hdi/make_trajectory_reference.py), and ranks against
 * UNDP's published 2022 ranks, ties included. */
#include "helpers.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined"
#endif

#define HDI TEST_DATA_DIR "/hdi/"

static double num(const char *s)
{
    return *s ? strtod(s, NULL) : NAN;
}

static void assert_near(double got, double want, double tol, const char *what, const char *a,
                        const char *b)
{
    if ((isnan(got) && isnan(want)) || fabs(got - want) <= tol)
        return;
    fail_msg("%s %s %s: got %.17g, reference %.17g", a, b, what, got, want);
}

static void test_trajectories(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    efc_panel *p = hdi_read_panel(&m, err);
    assert_int_equal(efc_panel_actor_count(p), 206);
    assert_int_equal(efc_panel_size(p), 6798);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, p, 0.01, NULL, err), err);
    char *text = slurp(HDI "hdi_trajectory_reference.csv", NULL);
    size_t checked = 0, transfers = 0;
    for (char *line = strtok(strchr(text, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[11];
        assert_int_equal(split_fields(line, f, 11), 11);
        size_t a = efc_panel_find_actor(p, f[0]), k = efc_model_find(m, f[1]);
        assert_int_not_equal(a, EFC_NONE);
        assert_int_not_equal(k, EFC_NO_NODE);
        double n = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_N);
        assert_near(n, num(f[4]), 0, "n", f[0], f[1]);
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_TRANSFERS), num(f[10]), 0,
                    "transfers", f[0], f[1]);
        transfers += (size_t)num(f[10]);
        if (n > 0) {
            assert_string_equal(efc_panel_period(p, a, efc_trajectories_first(t, a, k)), f[2]);
            assert_string_equal(efc_panel_period(p, a, efc_trajectories_last(t, a, k)), f[3]);
        }
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_FIRST_PERIOD), num(f[2]), 0,
                    "first_period", f[0], f[1]);
        /* the same formulas in another language: to the last bits or so */
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_FIRST), num(f[5]), 1e-15,
                    "first", f[0], f[1]);
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_LAST), num(f[6]), 1e-15, "last",
                    f[0], f[1]);
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_CHANGE), num(f[7]), 1e-15,
                    "change", f[0], f[1]);
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_SLOPE), num(f[8]), 1e-15,
                    "slope", f[0], f[1]);
        assert_near(efc_trajectories_value(t, a, k, EFC_TRAJECTORY_STEADINESS), num(f[9]), 1e-15,
                    "steadiness", f[0], f[1]);
        checked++;
    }
    assert_int_equal(checked, 206 * 6);
    assert_int_equal(efc_trajectories_transfer_count(t), transfers);
    assert_true(transfers > 100);
    free(text);
    efc_trajectories_free(t);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_comparisons(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    efc_panel *p = hdi_read_panel(&m, err);
    char *text = slurp(HDI "hdi_compare_reference.csv", NULL);
    size_t checked = 0;
    for (char *line = strtok(strchr(text, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[9];
        assert_int_equal(split_fields(line, f, 9), 9);
        size_t a = efc_panel_find_actor(p, f[0]), b = efc_panel_find_actor(p, f[1]);
        size_t k = efc_model_find(m, f[2]);
        efc_comparison *c;
        assert_ok(make_comparison(&c, p, a, b, EFC_NO_NODE, NULL, err), err);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_CHANGE_A), num(f[3]), 1e-15,
                    "change_a", f[0], f[2]);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_CHANGE_B), num(f[4]), 1e-15,
                    "change_b", f[0], f[2]);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_COMMON_PERIODS), num(f[5]), 0,
                    "common", f[0], f[2]);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_MEAN_GAP), num(f[6]), 1e-15,
                    "mean_gap", f[0], f[2]);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_SPAN), num(f[7]), 0, "span", f[0],
                    f[2]);
        assert_near(efc_comparison_value(c, k, EFC_COMPARISON_AREA), num(f[8]), 1e-13, "area", f[0],
                    f[2]);
        efc_comparison_free(c);
        checked++;
    }
    assert_int_equal(checked, 30);
    free(text);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

/* Countries only, row by row through efc_panel_add, scored on the
 * published HDI: UNDP's 2022 ranks. */
static void test_published_ranks(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, "id,parent,min,max\npublished,,,\nhdi,published,0,1\n", err), err);
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    assert_ok(efc_panel_add_group_column(p, "hdicode", err), err);
    /* iso3 -> human development group, for the countries UNDP ranks */
    char *groups = slurp(HDI "hdi_groups.csv", NULL);
    char *codes[256][2];
    size_t ncodes = 0;
    for (char *line = strtok(strchr(groups, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[4];
        if (split_fields(line, f, 4) == 4 && *f[3]) {
            codes[ncodes][0] = f[0];
            codes[ncodes++][1] = f[1];
        }
    }
    assert_int_equal(ncodes, 193);
    /* the published HDI of every year */
    char *panel = slurp(HDI "hdi_panel.csv", NULL);
    size_t added = 0;
    for (char *line = strtok(strchr(panel, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[8]; /* iso3, country, year, le, eys, mys, gnipc, hdi */
        assert_int_equal(split_fields(line, f, 8), 8);
        const char *code = NULL;
        for (size_t i = 0; i < ncodes && !code; i++)
            if (strcmp(codes[i][0], f[0]) == 0)
                code = codes[i][1];
        if (!code || !*f[7])
            continue;
        double scores[2];
        scores[efc_model_find(m, "published")] = num(f[7]);
        scores[efc_model_find(m, "hdi")] = num(f[7]);
        const char *g[1] = {code};
        assert_ok(efc_panel_add(p, f[0], f[2], g, scores, 0, err), err);
        added++;
    }
    assert_true(added > 5500); /* 193 countries, 1990-2022, where published */
    assert_ok(efc_panel_finalize(p, err), err);
    efc_ranking *r;
    assert_ok(make_ranking(&r, p, EFC_NO_NODE, "2022", NULL, err), err);
    char *ref = slurp(HDI "hdi_rank_reference.csv", NULL);
    size_t checked = 0;
    for (char *line = strtok(strchr(ref, '\n') + 1, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[7];
        assert_int_equal(split_fields(line, f, 7), 7);
        size_t a = efc_panel_find_actor(p, f[0]);
        assert_int_not_equal(a, EFC_NONE);
        assert_near(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK), num(f[6]), 0,
                    "published rank", f[0], "");
        assert_near(efc_ranking_value(r, a, EFC_NONE, EFC_RANK_PERCENTILE), num(f[4]), 1e-12,
                    "percentile", f[0], "");
        assert_near(efc_ranking_value(r, a, 0, EFC_RANK_RANK), num(f[5]), 0, "group rank", f[0],
                    "");
        checked++;
    }
    assert_int_equal(checked, 193);
    /* four groups: High, Low, Medium, Very High; the medians drop group by group */
    assert_int_equal(efc_ranking_group_count(r, 0), 4);
    assert_string_equal(efc_ranking_group_name(r, 0, 3), "Very High");
    assert_true(efc_ranking_group_value(r, 0, 3, 0, EFC_GROUP_MEDIAN) >
                efc_ranking_group_value(r, 0, 0, 0, EFC_GROUP_MEDIAN));
    efc_ranking_free(r);
    free(ref);
    free(panel);
    free(groups);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories),
        cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_published_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
