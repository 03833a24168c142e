/* A published composite index reproduced from its published inputs: UNDP's
 * Human Development Index, 1990-2022, every country and aggregate (HDR
 * 2023/24). The HDI is a geometric mean of three goalpost-normalised
 * dimensions, one of them on a log scale: the same machinery as an EFC
 * model. Published values have 3 decimals; every one must be matched. */
#include "helpers.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined"
#endif

static double value(const char *s)
{
    return s[0] ? strtod(s, NULL) : NAN;
}

static void test_hdi_reproduced(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_load_path(&m, TEST_DATA_DIR "/hdi/hdi.csv", NULL, err), err);
    assert_int_equal(efc_model_leaf_count(m), 4);
    assert_int_equal(efc_model_leaf_index(m, "le"), 0);
    assert_int_equal(efc_model_leaf_index(m, "gnipc"), 3);

    char *text = slurp(TEST_DATA_DIR "/hdi/hdi_panel.csv", NULL);
    size_t cap = 8000, rows = 0;
    double *in = malloc(cap * 4 * sizeof *in), *published = malloc(cap * sizeof *published);
    char(*names)[16] = malloc(cap * sizeof *names);
    int *years = malloc(cap * sizeof *years);
    char *line = strtok(strchr(text, '\n') + 1, "\n");
    for (; line; line = strtok(NULL, "\n")) {
        char *f[8];
        assert_int_equal(split_fields(line, f, 8), 8);
        assert_true(rows < cap);
        snprintf(names[rows], sizeof names[rows], "%s", f[0]);
        years[rows] = atoi(f[2]);
        for (int j = 0; j < 4; j++)
            in[rows * 4 + (size_t)j] = value(f[3 + j]);
        published[rows] = value(f[7]);
        rows++;
    }
    assert_int_equal(rows, 6798);

    size_t n = efc_model_node_count(m), root = efc_model_root(m);
    double *out = malloc(rows * n * sizeof *out);
    assert_ok(efc_model_score_batch(out, NULL, (ptrdiff_t)n, 1, NULL, m, rows, in, 4, 1, err), err);
    size_t compared = 0, unpublished = 0;
    for (size_t r = 0; r < rows; r++) {
        double hdi = out[r * n + root];
        int complete = 1;
        for (int j = 0; j < 4; j++)
            complete &= !isnan(in[r * 4 + (size_t)j]);
        if (!complete) {
            /* min_coverage 1: a missing input leaves the index missing, as UNDP does */
            if (!isnan(hdi) || !isnan(published[r]))
                fail_msg("%s %d: incomplete inputs but HDI %g (published %g)", names[r], years[r],
                         hdi, published[r]);
            continue;
        }
        if (isnan(published[r])) {
            /* UNDP publishes the inputs but no index for Rwanda 1990-1994 */
            if (strcmp(names[r], "RWA") != 0 || years[r] < 1990 || years[r] > 1994)
                fail_msg("%s %d: complete inputs but no published HDI", names[r], years[r]);
            unpublished++;
            continue;
        }
        compared++;
        double rounded = round(hdi * 1000) / 1000;
        if (fabs(rounded - published[r]) > 1e-9)
            fail_msg("%s %d: computed %.6f rounds to %.3f, published %.3f", names[r], years[r], hdi,
                     rounded, published[r]);
    }
    assert_int_equal(compared, 6171);
    assert_int_equal(unpublished, 5);
    free(out);
    free(in);
    free(published);
    free(names);
    free(years);
    free(text);
    efc_model_free(m);
    efc_error_free(err);
}

/* Spot checks by hand from the technical notes, Afghanistan 2022:
 * health (62.879 - 20) / 65, education (10.705385 / 18 + 2.51479 / 15) / 2,
 * income ln(1335.205733 / 100) / ln(750); HDI 0.462 published. */
static void test_hdi_by_hand(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_load_path(&m, TEST_DATA_DIR "/hdi/hdi.csv", NULL, err), err);
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double v[4] = {62.879, 10.705385, 2.51479, 1335.205733};
    assert_ok(efc_model_score(r, m, v, 1, err), err);
    double health = (62.879 - 20) / 65;
    double education = (10.705385 / 18 + 2.51479 / 15) / 2;
    double income = (log(1335.205733) - log(100)) / (log(75000) - log(100));
    assert_close(efc_result_score(r, efc_model_find(m, "le")), health, 1e-15);
    assert_close(efc_result_score(r, efc_model_find(m, "education")), education, 1e-15);
    assert_close(efc_result_score(r, efc_model_find(m, "gnipc")), income, 1e-15);
    assert_close(efc_result_score(r, efc_model_root(m)), cbrt(health * education * income), 1e-15);
    assert_close(efc_result_score(r, efc_model_root(m)), 0.462, 0.0005);
    /* Capping: 19 expected years of schooling count as 18. */
    double capped[4] = {80, 19, 15, 80000};
    assert_ok(efc_model_score(r, m, capped, 1, err), err);
    assert_same_bits(efc_result_score(r, efc_model_find(m, "education")), 1.0);
    assert_int_equal(efc_result_clamped_count(r), 2);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hdi_reproduced),
        cmocka_unit_test(test_hdi_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
