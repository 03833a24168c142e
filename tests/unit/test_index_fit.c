/* Fit, then score (efc_index_fitted_model): a fitted model, exported and
 * reloaded, gives the run's bits at every stage; each unit scored alone by
 * it gives its value in the whole run (every fitted step reads the unit's
 * row only); fitting a fitted model changes nothing; a reference period
 * is the fit of its rows; the fitted forms parse, print and refuse what
 * they must. */
#include "helpers.h"

static efc_index *run_on(const efc_model *m, const efc_table *t, const char *period,
                         const char *reference)
{
    efc_error *e = new_error();
    efc_index_options *o = NULL;
    assert_ok(efc_index_options_create(&o, NULL, e), e);
    if (period)
        assert_ok(efc_index_options_set_period_column(o, period, e), e);
    if (reference)
        assert_ok(efc_index_options_set_reference_period(o, reference, e), e);
    efc_index *ix = NULL;
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    efc_index_options_free(o);
    efc_error_free(e);
    return ix;
}

static efc_model *fitted_of(const efc_index *ix)
{
    efc_error *e = new_error();
    efc_model *f = NULL;
    assert_ok(efc_index_fitted_model(&f, ix, NULL, e), e);
    assert_true(efc_model_is_finalized(f));
    efc_error_free(e);
    return f;
}

/* The model through its codebook: what a user keeps on disk. */
static efc_model *reloaded(const efc_model *m)
{
    efc_error *e = new_error();
    size_t len = 0;
    assert_ok(efc_model_export_buffer(NULL, 0, &len, m, e), e);
    char *buf = malloc(len + 1);
    assert_ok(efc_model_export_buffer(buf, len + 1, &len, m, e), e);
    efc_model *r = NULL;
    assert_ok(efc_model_load_buffer(&r, buf, len, "fitted.csv", NULL, e), e);
    free(buf);
    efc_error_free(e);
    return r;
}

/* Two models with the same canonical codebook (efc_model_sha256). */
static void assert_same_model(const efc_model *a, const efc_model *b)
{
    char sa[65], sb[65];
    efc_error *e = new_error();
    assert_ok(efc_model_sha256(sa, a, e), e);
    assert_ok(efc_model_sha256(sb, b, e), e);
    assert_string_equal(sa, sb);
    efc_error_free(e);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Units u of a and v of b: the same bits at every stage. */
static void assert_same_unit(const efc_index *a, size_t u, const efc_index *b, size_t v)
{
    size_t nodes = efc_model_node_count(efc_index_model(a));
    for (int st = EFC_STAGE_RAW; st <= EFC_STAGE_AGGREGATED; st++)
        for (size_t k = 0; k < nodes; k++) {
            double x = efc_index_value(a, (efc_index_stage)st, u, k);
            double y = efc_index_value(b, (efc_index_stage)st, v, k);
            if (!same_bits(x, y))
                fail_msg("unit %s, stage %d, node %s: %.17g != %.17g", efc_index_unit_id(a, u), st,
                         efc_model_node_id(efc_index_model(a), k), x, y);
            if (st == EFC_STAGE_RAW && efc_model_node_kind(efc_index_model(a), k) == EFC_NODE_LEAF)
                assert_int_equal(efc_index_imputed(a, u, k), efc_index_imputed(b, v, k));
        }
}

static void assert_same_index(const efc_index *a, const efc_index *b)
{
    assert_int_equal(efc_index_unit_count(a), efc_index_unit_count(b));
    for (size_t u = 0; u < efc_index_unit_count(a); u++)
        assert_same_unit(a, u, b, u);
    assert_int_equal(efc_index_imputed_count(a), efc_index_imputed_count(b));
}

/* Every step with a parameter from the data, both directions, a
 * denominator, groups with a key that needs escaping. */
static const char every_cb[] =
    "id,parent,weight,direction,denominator,impute,treat,normalise,target,aggregate\n"
    "root,,1,,,,,,,geomean\n"
    "g1,root,1,,,,,,,mean\n"
    "g2,root,2,,,,,,,power:2\n"
    "a,g1,1,+,pop:1000,mean,winsorise:2,minmax:0:100,,\n"
    "b,g1,2,-,,median,log,zscore:50:10,,\n"
    "c,g1,1,+,,group_mean:region,boxcox,dist2max,,\n"
    "d,g2,1,-,,group_median:region,,dist2target,-1,\n"
    "e,g2,1,+,,,winsorise:10%:0.5:-3,dist2ref:u3,,\n"
    "f,g2,1,+,,,,minmax,,\n";

static const char every_data[] = "id,region,pop,a,b,c,d,e,f\n"
                                 "u1,N|o=r:th%,10,5,1,3,4,1,7\n"
                                 "u2,South,20,9,2,,5,2,7\n"
                                 "u3,N|o=r:th%,30,,3,5,,3,7\n"
                                 "u4,South,40,300,40,9,8,4,7\n"
                                 "u5,East,50,14,5,11,9,50,7\n"
                                 "u6,South,60,16,,12,2,6,7\n"
                                 "u7,,70,18,7,,3,7,7\n"
                                 "u8,East,80,20,8,14,1,8,7\n"
                                 "u9,South,90,22,9,15,6,9,7\n";

static void test_round_trip(void **state)
{
    (void)state;
    efc_model *m = model_of(every_cb);
    efc_table *t = table_of(m, every_data);
    efc_index *ix = run_on(m, t, NULL, NULL);
    efc_model *f = fitted_of(ix);
    efc_model *r = reloaded(f);
    /* the fitted forms, as a codebook writes them */
    size_t a = efc_model_find(r, "a"), b = efc_model_find(r, "b"), c = efc_model_find(r, "c");
    assert_string_equal(efc_model_node_step(r, a, EFC_STEP_DENOMINATOR), "pop:1000");
    assert_int_equal(efc_model_node_step_method(r, a, EFC_STEP_IMPUTE), EFC_IMPUTE_VALUE);
    assert_int_equal(efc_model_node_step_method(r, b, EFC_STEP_TREAT), EFC_TREAT_LOG);
    assert_int_equal(efc_model_node_step_method(r, c, EFC_STEP_IMPUTE), EFC_IMPUTE_GROUP_VALUE);
    assert_int_equal(efc_model_node_step_method(r, c, EFC_STEP_TREAT), EFC_TREAT_BOXCOX);
    assert_string_equal(efc_model_node_impute_column(r, c), "region");
    /* the key with | = : % comes back escaped */
    assert_non_null(strstr(efc_model_node_step(r, c, EFC_STEP_IMPUTE), "N%7Co%3Dr%3Ath%25="));
    /* a's mean: of a / pop * 1000 over the 8 values present, by hand */
    double mean_a = (500.0 + 450 + 7500 + 280 + 800.0 / 3 + 18000.0 / 70 + 250 + 22000.0 / 90) / 8;
    assert_float_equal(strtod(efc_model_node_step(r, a, EFC_STEP_IMPUTE) + 6, NULL), mean_a, 1e-9);
    /* the whole index, bit for bit */
    efc_index *again = run_on(r, t, NULL, NULL);
    assert_same_index(ix, again);
    /* and fitting the fitted model changes nothing */
    efc_model *f2 = fitted_of(again);
    assert_same_model(f, f2);
    efc_model_free(f2);
    efc_index_free(again);
    efc_model_free(r);
    efc_model_free(f);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* Each unit scored alone by the fitted model: its row of the whole run.
 * That is what makes a fitted model score a new unit as if it had been in
 * the fit, one row at a time. */
static void test_units_alone(void **state)
{
    (void)state;
    efc_model *m = model_of(every_cb);
    efc_table *t = table_of(m, every_data);
    efc_index *ix = run_on(m, t, NULL, NULL);
    efc_model *f = fitted_of(ix);
    const char *header = "id,region,pop,a,b,c,d,e,f\n";
    const char *line = every_data + strlen(header);
    for (size_t u = 0; u < efc_index_unit_count(ix); u++) {
        const char *end = strchr(line, '\n');
        char one[256];
        snprintf(one, sizeof one, "%s%.*s\n", header, (int)(end - line), line);
        efc_table *t1 = table_of(f, one);
        efc_index *alone = run_on(f, t1, NULL, NULL);
        assert_int_equal(efc_index_unit_count(alone), 1);
        assert_same_unit(ix, u, alone, 0);
        efc_index_free(alone);
        efc_table_free(t1);
        line = end + 1;
    }
    /* a new unit of a group the fit did not see stays missing there, and
     * one beyond the fitted range is measured beyond it */
    efc_table *t2 = table_of(f, "id,region,pop,a,b,c,d,e,f\nnew,West,10,900,1,,2,3,9\n");
    efc_index *fresh = run_on(f, t2, NULL, NULL);
    size_t c = efc_model_find(f, "c"), fl = efc_model_find(f, "f");
    assert_true(isnan(efc_index_value(fresh, EFC_STAGE_IMPUTED, 0, c)));
    /* f was constant (7) in the fit: min-max of a constant gives the middle */
    assert_float_equal(efc_index_value(fresh, EFC_STAGE_NORMALISED, 0, fl), 0.5, 0);
    efc_index_free(fresh);
    efc_table_free(t2);
    efc_model_free(f);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* A reference period is the fit of its rows: the fitted model of the 2018
 * rows, run on every row, gives the reference run's bits. */
static void test_reference_period_is_a_fit(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,impute,treat,normalise,aggregate\n"
                            "root,,,,,mean\n"
                            "a,root,mean,winsorise:1:0:-5,minmax:0:100,\n"
                            "b,root,median,,zscore,\n"
                            "c,root,,boxcox,dist2max,\n");
    const char *panel = "id,year,a,b,c\n"
                        "u1,2018,1,10,5\n"
                        "u2,2018,3,,6\n"
                        "u3,2018,,30,9\n"
                        "u4,2018,40,35,7\n"
                        "u1,2019,5,20,8\n"
                        "u2,2019,,40,4\n"
                        "u3,2019,2,50,6\n";
    efc_table *t = table_of(m, panel);
    efc_index *ref = run_on(m, t, "year", "2018");
    efc_table *t18 = table_of(m, "id,year,a,b,c\nu1,2018,1,10,5\nu2,2018,3,,6\nu3,2018,,30,9\n"
                                 "u4,2018,40,35,7\n");
    efc_index *fit18 = run_on(m, t18, "year", NULL);
    efc_model *f = fitted_of(fit18);
    efc_index *frozen = run_on(f, t, "year", NULL);
    assert_same_index(ref, frozen);
    /* and the fitted model of the reference run is that model */
    efc_model *g = fitted_of(ref);
    assert_same_model(f, g);
    efc_model_free(g);
    efc_index_free(frozen);
    efc_model_free(f);
    efc_index_free(fit18);
    efc_table_free(t18);
    efc_index_free(ref);
    efc_table_free(t);
    efc_model_free(m);
}

/* Winsorising's three outcomes, fitted: nothing to move (none), bounds
 * (clamp), and the fallback log (shiftlog, which refuses a value below
 * its shifted range). */
static void test_winsorise_outcomes(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,treat,normalise,aggregate\n"
                            "root,,,,mean\n"
                            "calm,root,winsorise,minmax,\n"
                            "spike,root,winsorise:1:1:-2,minmax,\n"
                            "heavy,root,winsorise:0:1:-2,minmax,\n");
    efc_table *t = table_of(m, "id,calm,spike,heavy\nu1,1,1,1\nu2,2,2,2\nu3,3,3,3\nu4,4,100,100\n");
    efc_index *ix = run_on(m, t, NULL, NULL);
    efc_model *f = fitted_of(ix);
    size_t calm = efc_model_find(f, "calm"), spike = efc_model_find(f, "spike"),
           heavy = efc_model_find(f, "heavy");
    assert_string_equal(efc_model_node_step(f, calm, EFC_STEP_TREAT), "");
    assert_string_equal(efc_model_node_step(f, spike, EFC_STEP_TREAT), "clamp:1:3");
    /* lo 1, pad 0.01 * (100 - 1) */
    const char *got = efc_model_node_step(f, heavy, EFC_STEP_TREAT);
    assert_int_equal(strncmp(got, "shiftlog:1:", 11), 0);
    assert_float_equal(strtod(got + 11, NULL), 0.99, 1e-15);
    assert_int_equal(efc_index_treatment(ix, heavy), EFC_TREAT_LOG);
    /* a new unit below the shifted range: an error naming the leaf */
    efc_table *t2 = table_of(f, "id,calm,spike,heavy\nnew,1,1,0\n");
    efc_error *e = new_error();
    efc_index *bad = NULL;
    assert_int_equal(efc_index_run(&bad, f, t2, NULL, e), EFC_ERR_VALUE);
    assert_int_equal(efc_error_reason(e), EFC_REASON_LOG_DOMAIN);
    assert_non_null(strstr(efc_error_message(e), "heavy"));
    assert_null(bad);
    efc_error_free(e);
    efc_table_free(t2);
    efc_model_free(f);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
}

/* What cannot be frozen, and the empty cases. */
static void test_cannot_fit(void **state)
{
    (void)state;
    const char *cbs[] = {
        "id,parent,normalise,aggregate\nroot,,,mean\na,root,rank,\nb,root,minmax,\n",
        "id,parent,normalise,aggregate\nroot,,,mean\na,root,percentile,\n",
        "id,parent,normalise,aggregate\nroot,,,copeland\na,root,minmax,\nb,root,minmax,\n"};
    for (size_t i = 0; i < 3; i++) {
        efc_model *m = model_of(cbs[i]);
        efc_table *t = table_of(m, "id,a,b\nu1,1,2\nu2,3,1\n");
        efc_index *ix = run_on(m, t, NULL, NULL);
        efc_error *e = new_error();
        efc_model *f = (efc_model *)1;
        assert_int_equal(efc_index_fitted_model(&f, ix, NULL, e), EFC_ERR_MODEL);
        assert_int_equal(efc_error_reason(e), EFC_REASON_NEEDS_INDEX);
        assert_null(f);
        assert_non_null(strstr(efc_error_message(e), i == 2 ? "copeland" : "normalised by"));
        efc_error_free(e);
        efc_index_free(ix);
        efc_table_free(t);
        efc_model_free(m);
    }
    /* an indicator without any value: nothing to impute with, and the
     * normalisations' "no range" values, frozen */
    efc_model *m = model_of("id,parent,impute,normalise,aggregate\nroot,,,,mean\n"
                            "a,root,mean,minmax,\nb,root,,zscore:5:1,\nc,root,,dist2max,\n");
    efc_table *t = table_of(m, "id,a,b,c\nu1,,,\nu2,,,\n");
    efc_index *ix = run_on(m, t, NULL, NULL);
    efc_model *f = fitted_of(ix);
    assert_string_equal(efc_model_node_step(f, efc_model_find(f, "a"), EFC_STEP_IMPUTE), "");
    assert_string_equal(efc_model_node_step(f, efc_model_find(f, "a"), EFC_STEP_NORMALISE),
                        "minmax:0:1:0:0");
    efc_table *t2 = table_of(f, "id,a,b,c\nnew,3,4,5\n");
    efc_index *fresh = run_on(f, t2, NULL, NULL);
    /* what the data-driven steps give a value against no range: the
     * middle of minmax, zscore's MEAN, dist2max's 1 */
    assert_float_equal(efc_index_value(fresh, EFC_STAGE_NORMALISED, 0, efc_model_find(f, "a")), 0.5,
                       0);
    assert_float_equal(efc_index_value(fresh, EFC_STAGE_NORMALISED, 0, efc_model_find(f, "b")), 5,
                       0);
    assert_float_equal(efc_index_value(fresh, EFC_STAGE_NORMALISED, 0, efc_model_find(f, "c")), 1,
                       0);
    efc_index_free(fresh);
    efc_table_free(t2);
    efc_model_free(f);
    efc_index_free(ix);
    efc_table_free(t);
    efc_model_free(m);
    /* arguments */
    efc_error *e = new_error();
    assert_int_equal(efc_index_fitted_model(NULL, NULL, NULL, e), EFC_ERR_ARGUMENT);
    efc_model *out = (efc_model *)1;
    assert_int_equal(efc_index_fitted_model(&out, NULL, NULL, e), EFC_ERR_ARGUMENT);
    assert_null(out);
    efc_error_free(e);
}

/* The fitted forms as codebook texts: canonical, and refused when wrong. */
static void test_forms(void **state)
{
    (void)state;
    efc_model *m = model_of("id,parent,normalise,aggregate\nroot,,,mean\nx,root,minmax,\n");
    efc_model *b = NULL;
    efc_error *e = new_error();
    assert_ok(efc_model_copy(&b, m, NULL, e), e);
    size_t x = efc_model_find(b, "x");
    struct {
        efc_step step;
        const char *text, *canonical;
    } good[] = {
        {EFC_STEP_IMPUTE, " value:2.50 ", "value:2.5"},
        {EFC_STEP_IMPUTE, "group_value:g:a=1|b%7c=2", "group_value:g:a=1|b%7C=2"},
        {EFC_STEP_IMPUTE, "group_value:g:a%3d%3A%25=1", "group_value:g:a%3D%3A%25=1"},
        {EFC_STEP_IMPUTE, "group_value:g:", "group_value:g:"},
        {EFC_STEP_TREAT, "clamp:-1:1e3", "clamp:-1:1000"},
        {EFC_STEP_TREAT, "shiftlog:0:0", "shiftlog:0:0"},
        {EFC_STEP_NORMALISE, "minmax:0:100:1:2", "minmax:0:100:1:2"},
        {EFC_STEP_NORMALISE, "zscore:0:1:3:0", "zscore:0:1:3:0"},
        {EFC_STEP_NORMALISE, "dist2max:1:1", "dist2max:1:1"},
        {EFC_STEP_NORMALISE, "dist2target:4", "dist2target:4"},
        {EFC_STEP_NORMALISE, "dist2ref:u1:5:1", "dist2ref:u1:5:1"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_ok(efc_model_set_step(b, x, good[i].step, good[i].text, e), e);
        assert_string_equal(efc_model_node_step(b, x, good[i].step), good[i].canonical);
    }
    struct {
        efc_step step;
        const char *text;
        efc_reason reason;
    } bad[] = {
        {EFC_STEP_IMPUTE, "value", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_IMPUTE, "value:x", EFC_REASON_NOT_A_NUMBER},
        {EFC_STEP_IMPUTE, "value:inf", EFC_REASON_NOT_A_NUMBER},
        {EFC_STEP_IMPUTE, "group_value:g", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_IMPUTE, "group_value:g:a", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_IMPUTE, "group_value:g:a=1|a=2", EFC_REASON_NONE},
        {EFC_STEP_IMPUTE, "group_value:g:a%=1", EFC_REASON_BAD_TEXT},
        {EFC_STEP_IMPUTE, "group_value:g:a%2Ub=1", EFC_REASON_BAD_TEXT},
        {EFC_STEP_IMPUTE, "group_value:g:A==1", EFC_REASON_NOT_A_NUMBER},
        {EFC_STEP_IMPUTE, "group_value:g:a=nan", EFC_REASON_NOT_A_NUMBER},
        {EFC_STEP_TREAT, "clamp:2:1", EFC_REASON_OUT_OF_RANGE},
        {EFC_STEP_TREAT, "clamp:1", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_TREAT, "shiftlog:0:-1", EFC_REASON_OUT_OF_RANGE},
        {EFC_STEP_NORMALISE, "minmax:0:1:2", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_NORMALISE, "minmax:0:1:2:1", EFC_REASON_OUT_OF_RANGE},
        {EFC_STEP_NORMALISE, "zscore:0:1:0:-1", EFC_REASON_OUT_OF_RANGE},
        {EFC_STEP_NORMALISE, "dist2max:1", EFC_REASON_UNKNOWN_NAME},
        {EFC_STEP_NORMALISE, "dist2ref:u1:1:1", EFC_REASON_OUT_OF_RANGE},
        {EFC_STEP_NORMALISE, "rank:1", EFC_REASON_UNKNOWN_NAME},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *before = efc_model_node_step(b, x, bad[i].step);
        char keep[128];
        snprintf(keep, sizeof keep, "%s", before);
        assert_int_equal(efc_model_set_step(b, x, bad[i].step, bad[i].text, e), EFC_ERR_MODEL);
        if (efc_error_reason(e) != bad[i].reason)
            fail_msg("'%s': reason %d, message %s", bad[i].text, (int)efc_error_reason(e),
                     efc_error_message(e));
        /* a failure changes nothing */
        assert_string_equal(efc_model_node_step(b, x, bad[i].step), keep);
    }
    efc_error_free(e);
    efc_model_free(b);
    efc_model_free(m);
}

/* COINr's ASEM example: the fitted codebook reproduces every stage. */
static void test_asem(void **state)
{
    (void)state;
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
    efc_index *ix = NULL, *again = NULL;
    assert_ok(efc_index_run(&ix, m, t, o, e), e);
    efc_model *f = fitted_of(ix);
    efc_model *r = reloaded(f);
    assert_ok(efc_index_run(&again, r, t, o, e), e);
    assert_same_index(ix, again);
    efc_index_free(again);
    efc_model_free(r);
    efc_model_free(f);
    efc_index_free(ix);
    efc_index_options_free(o);
    efc_table_free(t);
    efc_survey_options_free(so);
    efc_model_free(m);
    efc_error_free(e);
}

/* A fitted group_value of 60,000 groups: a codebook field of about 2 MB,
 * beyond the 1 MiB a data field may have, exported and loaded back. */
static void test_many_groups(void **state)
{
    (void)state;
    enum { GROUPS = 60000 };
    efc_error *e = new_error();
    efc_model *m = model_of("id,parent,impute,normalise,aggregate\nroot,,,,mean\n"
                            "x,root,group_mean:g,minmax,\n");
    efc_table *t = NULL;
    assert_ok(efc_table_create(&t, 2 * GROUPS, NULL, e), e);
    double *x = malloc(2 * GROUPS * sizeof *x), *id = malloc(2 * GROUPS * sizeof *id);
    char **g = malloc(2 * GROUPS * sizeof *g);
    char *names = malloc(2 * GROUPS * 16);
    for (size_t i = 0; i < 2 * GROUPS; i++) {
        id[i] = (double)i;
        x[i] = i < GROUPS ? 1.0 / (double)(i + 1) : NAN;
        g[i] = names + 16 * i;
        snprintf(g[i], 16, "g%zu", i % GROUPS);
    }
    assert_ok(efc_table_add_numbers(t, "id", id, 1, e), e);
    assert_ok(efc_table_add_numbers(t, "x", x, 1, e), e);
    assert_ok(efc_table_add_texts(t, "g", (const char *const *)g, e), e);
    efc_index *ix = run_on(m, t, NULL, NULL);
    efc_model *f = fitted_of(ix);
    assert_true(strlen(efc_model_node_step(f, efc_model_find(f, "x"), EFC_STEP_IMPUTE)) >
                (1u << 20));
    efc_model *r = reloaded(f);
    efc_index *again = run_on(r, t, NULL, NULL);
    assert_same_index(ix, again);
    efc_index_free(again);
    efc_model_free(r);
    efc_model_free(f);
    efc_index_free(ix);
    free(x);
    free(id);
    free(g);
    free(names);
    efc_table_free(t);
    efc_model_free(m);
    efc_error_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_units_alone),
        cmocka_unit_test(test_reference_period_is_a_fit),
        cmocka_unit_test(test_winsorise_outcomes),
        cmocka_unit_test(test_cannot_fit),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_asem),
        cmocka_unit_test(test_many_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
