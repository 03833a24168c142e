/* Reasons and second locations of errors (efc/error.h): every reason the
 * library sets, at one site at least, with the other line or column of a
 * duplicate and the row of a bad row in memory; efc_error_shift_row; the
 * names of the reasons. Clients branch on these, never on the message. */
#include "helpers.h"

#define CB_HEAD "id,parent,weight,min,max,transform\n"
#define CB      CB_HEAD "root,,,,,\na,root,1,1,5,\nb,root,1,1,100,log\n"

static efc_model *small_model(efc_error *err)
{
    efc_model *m = NULL;
    assert_ok(load_text(&m, CB, err), err);
    return m;
}

/* The error of loading a codebook that must fail with `code`. */
static void codebook_fails(const char *csv, efc_status code, efc_error *err)
{
    efc_model *m = NULL;
    assert_status(load_text(&m, csv, err), code, err);
    assert_null(m);
}

/* The error of reading a survey (fail mode) that must fail with `code`,
 * at open (open_fails) or at the first read. */
static void survey_fails(const efc_model *m, const char *csv, int strict, const char *id_column,
                         int open_fails, efc_status code, efc_error *err)
{
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_strict_range(o, strict, err), err);
    if (id_column)
        assert_ok(efc_survey_options_set_id_column(o, id_column, err), err);
    efc_survey *s = NULL;
    efc_status st = efc_survey_open_buffer(&s, m, csv, strlen(csv), "s.csv", o, NULL, err);
    efc_survey_options_free(o);
    if (open_fails) {
        assert_int_equal(st, code);
        assert_null(s);
        return;
    }
    assert_ok(st, err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 16, NULL, err), err);
    assert_status(efc_survey_read(b, s, err), code, err);
    efc_batch_free(b);
    efc_survey_free(s);
}

static void test_empty_and_null(void **state)
{
    (void)state;
    efc_error *err = new_error();
    assert_int_equal(efc_error_reason(err), EFC_REASON_NONE);
    assert_int_equal(efc_error_other_line(err), 0);
    assert_int_equal(efc_error_other_column(err), 0);
    assert_true(efc_error_row(err) == EFC_NONE);
    assert_int_equal(efc_error_reason(NULL), EFC_REASON_NONE);
    assert_int_equal(efc_error_other_line(NULL), 0);
    assert_int_equal(efc_error_other_column(NULL), 0);
    assert_true(efc_error_row(NULL) == EFC_NONE);
    efc_error_shift_row(NULL, 3);
    /* a failure without a finer reason, and without a row: shifting does nothing */
    efc_model *m = NULL;
    assert_status(efc_model_load_path(&m, "/no/such/codebook.csv", NULL, err), EFC_ERR_IO, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NONE);
    char text[400];
    snprintf(text, sizeof text, "%s", efc_error_text(err));
    efc_error_shift_row(err, 10);
    assert_true(efc_error_row(err) == EFC_NONE);
    assert_string_equal(efc_error_text(err), text);
    efc_error_free(err);
}

static void test_scoring_rows(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = small_model(err);
    size_t nodes = efc_model_node_count(m);
    double values[4 * 2] = {1, 10, 2, 20, 3, INFINITY, 4, 40};
    double scores[4 * 8];
    assert_true(nodes <= 8);
    assert_status(efc_model_score_batch(scores, NULL, nodes, 1, NULL, m, 4, values, 2, 1, err),
                  EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_FINITE);
    assert_int_equal(efc_error_row(err), 2);
    assert_int_equal(efc_error_line(err), 0);
    assert_string_equal(efc_error_message(err), "row 2, leaf 'b': value inf is not finite");
    /* the slice started at row 1000 of the caller's array */
    efc_error_shift_row(err, 1000);
    assert_int_equal(efc_error_row(err), 1002);
    assert_string_equal(efc_error_message(err), "row 1002, leaf 'b': value inf is not finite");
    assert_string_equal(efc_error_text(err), "row 1002, leaf 'b': value inf is not finite");
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_FINITE);
    /* a value <= 0 under the log transform; one assessment is row 0 */
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double one[2] = {1, -3};
    assert_status(efc_model_score(r, m, one, 1, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_LOG_DOMAIN);
    assert_int_equal(efc_error_row(err), 0);
    /* a later failure forgets the row and the reason */
    assert_status(efc_model_score(r, m, NULL, 1, err), EFC_ERR_ARGUMENT, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NONE);
    assert_true(efc_error_row(err) == EFC_NONE);
    efc_result_free(r);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_panel(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = small_model(err);
    double s[3] = {0.5, 0.5, 0.5};
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    assert_ok(efc_panel_set_source(p, "panel.csv", err), err);
    assert_status(efc_panel_add(p, "", "2024", NULL, s, 3, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_EMPTY_ID);
    assert_status(efc_panel_add(p, "a", "soon", NULL, s, 4, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_PERIOD);
    s[1] = 1.5;
    assert_status(efc_panel_add(p, "a", "2024", NULL, s, 5, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_OUT_OF_RANGE);
    s[1] = 0.5;
    assert_ok(efc_panel_add(p, "a", "2024", NULL, s, 10, err), err);
    assert_ok(efc_panel_add(p, "b", "2024", NULL, s, 12, err), err);
    assert_ok(efc_panel_add(p, "a", "2024.0", NULL, s, 14, err), err);
    assert_status(efc_panel_finalize(p, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_ASSESSMENT);
    assert_int_equal(efc_error_line(err), 14);
    assert_int_equal(efc_error_other_line(err), 10);
    assert_string_equal(efc_error_source(err), "panel.csv");
    efc_panel_free(p);
    /* rows added without lines: a duplicate still, with no place */
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    assert_ok(efc_panel_add(p, "a", "2024", NULL, s, 0, err), err);
    assert_ok(efc_panel_add(p, "a", "2024", NULL, s, 0, err), err);
    assert_status(efc_panel_finalize(p, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_ASSESSMENT);
    assert_int_equal(efc_error_line(err), 0);
    assert_int_equal(efc_error_other_line(err), 0);
    efc_panel_free(p);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_surveys(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = small_model(err);
    survey_fails(m, "id,period,a,b\nx,2024,3,ten\n", 0, NULL, 0, EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_A_NUMBER);
    assert_int_equal(efc_error_line(err), 2);
    assert_int_equal(efc_error_column(err), 4);
    assert_true(efc_error_row(err) == EFC_NONE); /* a line of a file, not a row in memory */
    survey_fails(m, "id,period,a,b\nx,2024,3,10\ny,2024,9,10\n", 1, NULL, 0, EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_OUT_OF_RANGE);
    assert_int_equal(efc_error_line(err), 3);
    survey_fails(m, "id,period,a,b\nx,2024,3,0\n", 0, NULL, 0, EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_LOG_DOMAIN);
    survey_fails(m, "id,period,a,b\nx,2024,3\n", 0, NULL, 0, EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_FIELD_COUNT);
    survey_fails(m, "id,period,a,b\n ,2024,3,10\n", 0, NULL, 0, EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_EMPTY_ID);
    survey_fails(m, "id,period,a,b\nx\x01y,2024,3,10\n", 0, NULL, 0, EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_TEXT);
    survey_fails(m, "id,period,a,b\nx,soon,3,10\n", 0, NULL, 0, EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_PERIOD);
    survey_fails(m, "id,period,a,b\nx,2024,3,10\nx,2024-05-01,3,10\n", 0, NULL, 0, EFC_ERR_VALUE,
                 err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_MIXED_PERIODS);
    assert_int_equal(efc_error_line(err), 3);
    /* the header: a duplicate names its first column */
    survey_fails(m, "id,a,period,a,b\n", 0, NULL, 1, EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_COLUMN);
    assert_int_equal(efc_error_line(err), 1);
    assert_int_equal(efc_error_column(err), 4);
    assert_int_equal(efc_error_other_line(err), 1);
    assert_int_equal(efc_error_other_column(err), 2);
    survey_fails(m, "id,period,a,b\n", 0, "who", 1, EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_MISSING_COLUMN);
    assert_int_equal(efc_error_other_column(err), 0);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_codebooks(void **state)
{
    (void)state;
    efc_error *err = new_error();
    codebook_fails(CB_HEAD "root,,,,,\na,root,1,1,5,\nb,root,1,1,5,\na,root,1,1,5,\n",
                   EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_ID);
    assert_int_equal(efc_error_line(err), 5);
    assert_int_equal(efc_error_other_line(err), 3);
    codebook_fails("id,parent,min,max,min\nroot,,,,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_COLUMN);
    assert_int_equal(efc_error_column(err), 5);
    assert_int_equal(efc_error_other_line(err), 1);
    assert_int_equal(efc_error_other_column(err), 3);
    codebook_fails("id,min,max\nroot,,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_MISSING_COLUMN);
    codebook_fails("id,parent,colour\nroot,,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_COLUMN);
    codebook_fails(CB_HEAD "root,,,,,\na,root,1,1\n", EFC_ERR_CSV, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_FIELD_COUNT);
    codebook_fails(CB_HEAD "root,,,,,\na,root,1,one,5,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_A_NUMBER);
    codebook_fails(CB_HEAD "root,,,,,\na,root,-1,1,5,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_OUT_OF_RANGE);
    codebook_fails(CB_HEAD "root,,,,,\na,root,1,1,5,sqrt\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_NAME);
    codebook_fails(CB_HEAD "root,,,,,\n,root,1,1,5,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_EMPTY_ID);
    codebook_fails(CB_HEAD "root,,,,,\na,rot,1,1,5,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_PARENT);
    codebook_fails(CB_HEAD "root,,,,,\na,root,1,1,5,\ng,,,,,\nb,g,1,1,5,\n", EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_SECOND_ROOT);
    assert_int_equal(efc_error_line(err), 4);
    assert_int_equal(efc_error_other_line(err), 2);
    efc_error_free(err);
}

static void test_models_in_code(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_create(&m, NULL, err), err);
    assert_ok(efc_model_add_group(NULL, m, "root", "", err), err);
    assert_ok(efc_model_add_leaf(NULL, m, "a", "root", 0, 1, err), err);
    /* no file: a duplicate without lines */
    assert_status(efc_model_add_leaf(NULL, m, "a", "root", 0, 1, err), EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_DUPLICATE_ID);
    assert_int_equal(efc_error_other_line(err), 0);
    assert_status(efc_model_add_leaf(NULL, m, "b\tc", "root", 0, 1, err), EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_TEXT);
    assert_status(efc_model_set_threshold(m, 0, 2, err), EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_OUT_OF_RANGE);
    assert_ok(efc_model_add_leaf(NULL, m, "b", "nowhere", 0, 1, err), err);
    assert_status(efc_model_finalize(m, err), EFC_ERR_MODEL, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_PARENT);
    efc_model_free(m);
    /* periods and names */
    efc_period_kind kind;
    double value;
    char canon[EFC_PERIOD_TEXT_SIZE];
    assert_status(efc_period_parse(&kind, &value, canon, "2024-13-01", EFC_DATE_FORMAT_ISO, 0, err),
                  EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_BAD_PERIOD);
    int v;
    assert_status(efc_enum_parse(&v, EFC_ENUM_COMBINE, "average", err), EFC_ERR_NOT_FOUND, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_NAME);
    efc_aggregate agg;
    double power;
    assert_status(efc_aggregate_parse(&agg, &power, "power:x", err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_A_NUMBER);
    /* a success leaves the error as it was; clearing forgets everything */
    assert_ok(efc_enum_parse(&v, EFC_ENUM_COMBINE, "mean", err), err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_A_NUMBER);
    efc_error_clear(err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NONE);
    efc_error_free(err);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(efc_enum_name(EFC_ENUM_REASON, EFC_REASON_NONE), "none");
    assert_string_equal(efc_enum_name(EFC_ENUM_REASON, EFC_REASON_DUPLICATE_ASSESSMENT),
                        "duplicate_assessment");
    assert_string_equal(efc_enum_name(EFC_ENUM_REASON, EFC_REASON_SECOND_ROOT), "second_root");
    int v = -1;
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_REASON, "not_finite", NULL), EFC_OK);
    assert_int_equal(v, EFC_REASON_NOT_FINITE);
    /* declaration order: the value is the index */
    for (size_t i = 0; i < efc_enum_count(EFC_ENUM_REASON); i++)
        assert_int_equal(efc_enum_value(EFC_ENUM_REASON, i), (int)i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_null), cmocka_unit_test(test_scoring_rows),
        cmocka_unit_test(test_panel),          cmocka_unit_test(test_surveys),
        cmocka_unit_test(test_codebooks),      cmocka_unit_test(test_models_in_code),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
