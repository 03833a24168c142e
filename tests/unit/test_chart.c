/* Charts as SVG text (efc/chart.h): the buffer contract, the options,
 * escaping, missing spokes, and allocation failures. The bytes themselves
 * are checked against the command-line tool's charts by the CLI and Python
 * tests (efc chart radar draws through this API). */
#include "helpers.h"

/* A model of three scales (a radar of three spokes) with a label to escape. */
static const char codebook[] = "id,parent,label,aggregate,weight,direction,min,max,transform,"
                               "threshold\n"
                               "root,,Root,mean,1,,,,,\n"
                               "a,root,\"A <&> \"\"q\"\"\",mean,1,,,,,0.5\n"
                               "b,root,B,mean,1,,,,,\n"
                               "c,root,C,mean,1,,,,,\n"
                               "a1,a,a1,,1,+,0,1,none,\n"
                               "b1,b,b1,,1,+,0,1,none,\n"
                               "c1,c,c1,,1,+,0,1,none,\n";

static efc_model *model(efc_error *err)
{
    efc_model *m = NULL;
    assert_ok(load_text(&m, codebook, err), err);
    assert_int_equal(efc_model_radar_count(m), 3);
    return m;
}

/* The chart drawn with the two-call pattern, malloc'd. */
static char *draw(const efc_model *m, const double *scores, const double *medians,
                  const efc_chart_options *o, size_t *len, efc_error *err)
{
    assert_ok(efc_chart_radar_svg(NULL, 0, len, m, scores, medians, o, err), err);
    char *buf = malloc(*len + 1);
    assert_non_null(buf);
    size_t again = 0;
    assert_ok(efc_chart_radar_svg(buf, *len + 1, &again, m, scores, medians, o, err), err);
    assert_int_equal(again, *len);
    assert_int_equal(strlen(buf), *len);
    return buf;
}

static void test_buffer(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = model(err);
    double scores[7];
    for (size_t k = 0; k < 7; k++)
        scores[k] = 0.5;
    size_t len = 0;
    char *svg = draw(m, scores, NULL, NULL, &len, err);
    assert_true(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
    assert_non_null(strstr(svg, efc_chart_style()));
    assert_non_null(strstr(svg, "aria-label=\"Radar chart\""));
    assert_non_null(strstr(svg, ">Scores</text>"));
    assert_null(strstr(svg, "class=\"median\""));
    assert_non_null(strstr(svg, ">Threshold</text>")); /* a has one */
    assert_true(strcmp(svg + len - 7, "</svg>\n") == 0);
    /* too small by one: nothing written */
    char small[8192];
    assert_true(len < sizeof small);
    memset(small, 'x', sizeof small);
    size_t got = 0;
    assert_status(efc_chart_radar_svg(small, len, &got, m, scores, NULL, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_int_equal(got, len);
    assert_int_equal(small[0], 'x');
    /* arguments */
    assert_status(efc_chart_radar_svg(NULL, 0, NULL, m, scores, NULL, NULL, err), EFC_ERR_ARGUMENT,
                  err);
    assert_status(efc_chart_radar_svg(NULL, 0, &got, NULL, scores, NULL, NULL, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_chart_radar_svg(NULL, 0, &got, m, NULL, NULL, NULL, err), EFC_ERR_ARGUMENT,
                  err);
    efc_model *editable = NULL;
    assert_ok(efc_model_create(&editable, NULL, err), err);
    assert_status(efc_chart_radar_svg(NULL, 0, &got, editable, scores, NULL, NULL, err),
                  EFC_ERR_STATE, err);
    efc_model_free(editable);
    free(svg);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_options(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = model(err);
    double scores[7], medians[7];
    for (size_t k = 0; k < 7; k++) {
        scores[k] = 0.25 * (double)(k % 4);
        medians[k] = 0.5;
    }
    scores[efc_model_find(m, "b")] = NAN;
    efc_chart_options *o = NULL;
    assert_ok(efc_chart_options_create(&o, NULL, err), err);
    assert_ok(efc_chart_options_set_title(o, "T <&>", err), err);
    assert_ok(efc_chart_options_set_label(o, "L \"x\"", err), err);
    assert_ok(efc_chart_options_set_series(o, "S", err), err);
    assert_ok(efc_chart_options_set_median_series(o, "M", err), err);
    assert_ok(efc_chart_options_set_threshold_text(o, "Seuil", err), err);
    assert_ok(efc_chart_options_set_lang(o, "fr", err), err);
    assert_ok(efc_chart_options_set_standalone(o, 0, err), err);
    assert_status(efc_chart_options_set_standalone(o, 2, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_chart_options_set_label(o, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_chart_options_set_series(NULL, "x", err), EFC_ERR_ARGUMENT, err);
    size_t len = 0;
    char *svg = draw(m, scores, medians, o, &len, err);
    assert_true(strncmp(svg, "<svg ", 5) == 0); /* not standalone: no declaration, no style */
    assert_null(strstr(svg, "<style>"));
    assert_non_null(strstr(svg, ">T &lt;&amp;&gt;</text>"));
    assert_non_null(strstr(svg, "aria-label=\"L &quot;x&quot;\""));
    assert_non_null(strstr(svg, ">A &lt;&amp;&gt; &quot;q&quot;</text>"));
    assert_non_null(strstr(svg, "class=\"axis missing\""));
    assert_non_null(strstr(svg, ">B (\xe2\x80\x93)</text>"));
    assert_non_null(strstr(svg, "class=\"median\""));
    assert_non_null(strstr(svg, ">M</text>") && strstr(svg, ">Seuil</text>"));
    free(svg);
    /* a title set back to NULL is dropped */
    assert_ok(efc_chart_options_set_title(o, NULL, err), err);
    svg = draw(m, scores, NULL, o, &len, err);
    assert_null(strstr(svg, "class=\"title\""));
    free(svg);
    efc_chart_options_free(o);
    efc_chart_options_free(NULL);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_bad_text_and_all_missing(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = model(err);
    double scores[7];
    for (size_t k = 0; k < 7; k++)
        scores[k] = NAN;
    efc_chart_options *o = NULL;
    assert_ok(efc_chart_options_create(&o, NULL, err), err);
    assert_ok(efc_chart_options_set_title(o, "a\x01\xff", err), err);
    size_t len = 0;
    char *svg = draw(m, scores, NULL, o, &len, err);
    assert_non_null(strstr(svg, ">a\xef\xbf\xbd\xef\xbf\xbd</text>"));
    assert_null(strstr(svg, "class=\"actor\"")); /* no polygon of nothing */
    free(svg);
    efc_chart_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = model(err);
    double scores[7] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
    int failures = 0;
    for (long n = 1; n < 200; n++) {
        counting_alloc ca = {0, n, 0, 0};
        efc_allocator a = counting_allocator(&ca);
        efc_chart_options *o = NULL;
        size_t len = 0;
        efc_status st = efc_chart_options_create(&o, &a, err);
        if (st == EFC_OK)
            st = efc_chart_options_set_title(o, "title", err);
        if (st == EFC_OK)
            st = efc_chart_radar_svg(NULL, 0, &len, m, scores, scores, o, err);
        if (st != EFC_OK) {
            assert_int_equal(st, EFC_ERR_NOMEM);
            failures++;
        }
        efc_chart_options_free(o);
        assert_int_equal(ca.live, 0);
        if (!ca.failed)
            break;
    }
    assert_true(failures > 3);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffer),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_bad_text_and_all_missing),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
