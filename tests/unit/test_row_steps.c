/* A fitted model scored one row at a time (row_steps.c): surveys and
 * efc_model_score_batch give every node the bits efc_index_run gives it,
 * unit by unit; groups are not clamped; a model whose leaves read other
 * columns is refused where only the leaves' values are given. */
#include "helpers.h"

static efc_index *index_of(const efc_model *m, const char *data)
{
    efc_error *e = new_error();
    efc_table *t = table_of(m, data);
    efc_index *ix = NULL;
    assert_ok(efc_index_run(&ix, m, t, NULL, e), e);
    efc_table_free(t);
    efc_error_free(e);
    return ix;
}

/* The fitted model of m on data. */
static efc_model *fit(const efc_model *m, const char *data)
{
    efc_error *e = new_error();
    efc_index *ix = index_of(m, data);
    efc_model *f = NULL;
    assert_ok(efc_index_fitted_model(&f, ix, NULL, e), e);
    efc_index_free(ix);
    efc_error_free(e);
    return f;
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Every step a fitted model has, both directions, a denominator, groups
 * (one unknown to the fit, one missing), a root on 0..100. */
static const char cb[] =
    "id,parent,weight,direction,denominator,impute,treat,normalise,target,aggregate\n"
    "root,,1,,,,,,,mean\n"
    "g1,root,1,,,,,,,geomean\n"
    "g2,root,2,,,,,,,mean\n"
    "a,g1,1,+,pop:1000,mean,winsorise:2,minmax:0:100,,\n"
    "b,g1,2,-,,median,log,zscore:50:10,,\n"
    "c,g1,1,+,,group_mean:region,boxcox,dist2max,,\n"
    "d,g2,1,-,,group_median:region,,dist2target,-1,\n"
    "e,g2,1,+,,,winsorise:10%:0.5:-3,dist2ref:u3,,\n"
    "f,g2,1,+,,,,minmax:0:100,,\n";
static const char fit_data[] = "id,region,pop,a,b,c,d,e,f\n"
                               "u1,North,10,5,1,3,4,1,7\n"
                               "u2,South,20,9,2,,5,2,8\n"
                               "u3,North,30,,3,5,,3,9\n"
                               "u4,South,40,300,40,9,8,4,10\n"
                               "u5,East,50,14,5,11,9,50,11\n"
                               "u6,South,60,16,,12,2,6,12\n"
                               "u7,,70,18,7,,3,7,13\n"
                               "u8,East,80,20,8,14,1,8,14\n"
                               "u9,South,90,22,9,15,6,9,15\n";
/* new units: beyond the fitted ranges, of a group the fit did not see */
static const char new_data[] = "id,region,pop,a,b,c,d,e,f\n"
                               "n1,West,10,500,0.5,,2,3,30\n"
                               "n2,North,5,1,100,20,,0.5,1\n"
                               "n3,South,100,,9,,7,9,7\n";

static void test_survey_gives_the_index(void **state)
{
    (void)state;
    efc_model *m = model_of(cb);
    efc_model *f = fit(m, fit_data);
    assert_false(efc_model_needs_index(f));
    const char *sets[] = {fit_data, new_data};
    efc_error *e = new_error();
    for (int k = 0; k < 2; k++) {
        efc_index *ix = index_of(f, sets[k]);
        efc_survey *s = NULL;
        assert_ok(efc_survey_open_buffer(&s, f, sets[k], strlen(sets[k]), "d.csv", NULL, NULL, e),
                  e);
        efc_batch *b = NULL;
        assert_ok(efc_batch_create(&b, s, 64, NULL, e), e);
        assert_ok(efc_survey_read(b, s, e), e);
        size_t rows = efc_batch_rows(b), nodes = efc_model_node_count(f);
        assert_int_equal(rows, efc_index_unit_count(ix));
        const double *sc = efc_batch_scores(b);
        int beyond = 0;
        for (size_t r = 0; r < rows; r++) {
            assert_string_equal(efc_batch_id(b, r), efc_index_unit_id(ix, r));
            for (size_t n = 0; n < nodes; n++) {
                double want = efc_index_value(ix, EFC_STAGE_AGGREGATED, r, n);
                if (!same_bits(sc[r * nodes + n], want))
                    fail_msg("%s, %s: %.17g != %.17g", efc_batch_id(b, r), efc_model_node_id(f, n),
                             sc[r * nodes + n], want);
                beyond += want > 1;
            }
        }
        assert_true(beyond > 0); /* on 0..100, unclamped */
        efc_batch_free(b);
        efc_survey_free(s);
        efc_index_free(ix);
    }
    /* the new unit of an unseen group keeps c missing; n1's a is beyond 100 */
    efc_index *ix = index_of(f, new_data);
    assert_true(isnan(efc_index_value(ix, EFC_STAGE_IMPUTED, 0, efc_model_find(f, "c"))));
    assert_true(efc_index_value(ix, EFC_STAGE_NORMALISED, 0, efc_model_find(f, "f")) > 100);
    efc_index_free(ix);
    /* its leaves read pop and region: a matrix of leaves cannot score it */
    double v[6] = {1, 2, 3, 4, 5, 6}, out[16];
    assert_int_equal(efc_model_score_batch(out, NULL, 16, 1, NULL, f, 1, v, 6, 1, e),
                     EFC_ERR_MODEL);
    assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
    assert_non_null(strstr(efc_error_message(e), "'pop'"));
    efc_error_free(e);
    efc_model_free(f);
    efc_model_free(m);
}

/* A fitted model whose leaves read their own column only scores matrices
 * too, with the index's bits. */
static void test_matrices(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,impute,treat,normalise,aggregate\n"
                            "root,,,,,geomean\n"
                            "x,root,mean,winsorise:1:1:-2,minmax,\n"
                            "y,root,,boxcox,zscore:1:0.1,\n");
    const char *data = "id,x,y\nu1,1,1\nu2,2,2\nu3,,3\nu4,100,40\n";
    efc_model *f = fit(m, data);
    efc_index *ix = index_of(f, data);
    double v[8] = {1, 1, 2, 2, NAN, 3, 100, 40}, out[4 * 3];
    efc_error *e = new_error();
    assert_ok(efc_model_score_batch(out, NULL, 3, 1, NULL, f, 4, v, 2, 1, e), e);
    for (size_t u = 0; u < 4; u++)
        for (size_t n = 0; n < 3; n++)
            assert_true(same_bits(out[u * 3 + n], efc_index_value(ix, EFC_STAGE_AGGREGATED, u, n)));
    /* a value the fitted log cannot take: the row's error names it */
    double bad[2] = {1, -1};
    assert_int_equal(efc_model_score_batch(out, NULL, 3, 1, NULL, f, 1, bad, 2, 1, e),
                     EFC_ERR_VALUE);
    assert_int_equal(efc_error_reason(e), EFC_REASON_LOG_DOMAIN);
    assert_non_null(strstr(efc_error_message(e), "leaf 'y'"));
    assert_true(isnan(out[0]));
    efc_error_free(e);
    efc_index_free(ix);
    efc_model_free(f);
    efc_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_gives_the_index),
        cmocka_unit_test(test_matrices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
