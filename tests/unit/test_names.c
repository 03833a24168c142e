/* The names of enumerators (efc/names.h): every value named, names unique
 * and parsed back, aliases, refusals, and aggregation methods with their
 * exponent as codebooks write them, in any locale. */
#include <locale.h>

#include "helpers.h"

/* The last enumerator of each enumeration, as the headers declare them:
 * a value added to a header without a name makes the count disagree. */
static const struct {
    efc_enum_type type;
    size_t count;
} expected[] = {
    {EFC_ENUM_STATUS, EFC_ERR_SURVEY + 1},
    {EFC_ENUM_NODE_KIND, EFC_NODE_LEAF + 1},
    {EFC_ENUM_AGGREGATE, EFC_AGGREGATE_COPELAND + 1},
    {EFC_ENUM_DIRECTION, EFC_DIRECTION_NEGATIVE + 1},
    {EFC_ENUM_TRANSFORM, EFC_TRANSFORM_LOG + 1},
    {EFC_ENUM_TEXT_KIND, EFC_TEXT_LEVELS + 1},
    {EFC_ENUM_PASS, 4},
    {EFC_ENUM_ENCODING, EFC_ENCODING_WINDOWS_1252 + 1},
    {EFC_ENUM_DATE_FORMAT, EFC_DATE_FORMAT_DMY + 1},
    {EFC_ENUM_PERIOD_KIND, EFC_PERIOD_DATE + 1},
    {EFC_ENUM_COMBINE, EFC_COMBINE_MEDIAN + 1},
    {EFC_ENUM_ON_ERROR, EFC_ON_ERROR_SKIP + 1},
    {EFC_ENUM_TRAJECTORY_METRIC, EFC_TRAJECTORY_LAST_PERIOD + 1},
    {EFC_ENUM_COMPARISON_METRIC, EFC_COMPARISON_AREA + 1},
    {EFC_ENUM_DOMINANCE, EFC_DOMINANCE_UNKNOWN + 1},
    {EFC_ENUM_RANK_METRIC, EFC_RANK_CHANGE_PEERS + 1},
    {EFC_ENUM_GROUP_METRIC, EFC_GROUP_MEAN + 1},
    {EFC_ENUM_SCALE_METRIC, EFC_SCALE_SCOREITEMS_ASE + 1},
    {EFC_ENUM_SCALE_ITEM_METRIC, EFC_SCALE_ITEM_SIGN + 1},
    {EFC_ENUM_ITEM_METRIC, EFC_ITEM_OFF_LEVEL + 1},
    {EFC_ENUM_ITEM_FLAG, 4},
    {EFC_ENUM_PERTURBATION, EFC_PERTURBATION_DIRICHLET + 1},
    {EFC_ENUM_INPUT_KIND, EFC_INPUT_AGGREGATION + 1},
    {EFC_ENUM_SENSITIVITY_METRIC, EFC_SENSITIVITY_RUNS_RANKED + 1},
    {EFC_ENUM_SOBOL_METRIC, EFC_SOBOL_TOTAL_Q95 + 1},
    {EFC_ENUM_LAYOUT, EFC_LAYOUT_COLUMN_MAJOR + 1},
    {EFC_ENUM_REASON, EFC_REASON_NEEDS_INDEX + 1},
    {EFC_ENUM_STEP, EFC_STEP_NORMALISE + 1},
    {EFC_ENUM_IMPUTE, EFC_IMPUTE_GROUP_VALUE + 1},
    {EFC_ENUM_TREAT, EFC_TREAT_SHIFTLOG + 1},
    {EFC_ENUM_NORMALISE, EFC_NORMALISE_DIST2REF + 1},
    {EFC_ENUM_COLUMN_KIND, EFC_COLUMN_TEXT + 1},
    {EFC_ENUM_INDEX_STAGE, EFC_STAGE_AGGREGATED + 1},
    {EFC_ENUM_TREATMENT_METRIC, EFC_TREATMENT_SHIFT + 1},
};

static void test_every_value_named_once(void **state)
{
    (void)state;
    size_t n = sizeof expected / sizeof expected[0];
    assert_int_equal(n, EFC_ENUM_TREATMENT_METRIC + 1);
    for (size_t k = 0; k < n; k++) {
        efc_enum_type t = expected[k].type;
        assert_int_equal(efc_enum_count(t), expected[k].count);
        for (size_t i = 0; i < efc_enum_count(t); i++) {
            int v = efc_enum_value(t, i);
            const char *name = efc_enum_name(t, v);
            assert_non_null(name);
            assert_true(name[0] != '\0');
            for (size_t j = 0; j < i; j++) {
                assert_int_not_equal(efc_enum_value(t, j), v);
                assert_string_not_equal(efc_enum_name(t, efc_enum_value(t, j)), name);
            }
            int back = -99;
            assert_int_equal(efc_enum_parse(&back, t, name, NULL), EFC_OK);
            assert_int_equal(back, v);
        }
        assert_int_equal(efc_enum_value(t, efc_enum_count(t)), -1);
    }
    /* values that are not enumerators, and types that do not exist */
    assert_null(efc_enum_name(EFC_ENUM_AGGREGATE, 99));
    assert_null(efc_enum_name(EFC_ENUM_ITEM_FLAG, 3)); /* two flags at once */
    assert_int_equal(efc_enum_count((efc_enum_type)999), 0);
    assert_null(efc_enum_name((efc_enum_type)-1, 0));
    /* the words users know */
    assert_string_equal(efc_enum_name(EFC_ENUM_DIRECTION, EFC_DIRECTION_NEGATIVE), "-");
    assert_string_equal(efc_enum_name(EFC_ENUM_ENCODING, EFC_ENCODING_WINDOWS_1252),
                        "windows-1252");
    assert_string_equal(efc_enum_name(EFC_ENUM_SENSITIVITY_METRIC, EFC_SENSITIVITY_P_TOP),
                        "p_top_k");
    assert_string_equal(efc_enum_name(EFC_ENUM_ITEM_FLAG, EFC_ITEM_FLAG_NEGATIVE_R), "negative_r");
    assert_string_equal(efc_enum_name(EFC_ENUM_ITEM_FLAG, EFC_ITEM_FLAG_RAISES_ALPHA),
                        "raises_alpha");
}

static void test_parse_refusals_and_aliases(void **state)
{
    (void)state;
    efc_error *err = new_error();
    int v = -1;
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_ENCODING, "CP1252", err), EFC_OK);
    assert_int_equal(v, EFC_ENCODING_WINDOWS_1252);
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_ENCODING, "UTF-8", err), EFC_OK);
    assert_int_equal(v, EFC_ENCODING_UTF8);
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_ENCODING, "utf16", err), EFC_OK);
    assert_int_equal(v, EFC_ENCODING_UTF16);
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_ENCODING, "latin9", err), EFC_ERR_NOT_FOUND);
    /* other names are exact */
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_COMBINE, "Median", err), EFC_ERR_NOT_FOUND);
    assert_string_equal(efc_error_message(err), "'Median' is not one of none, mean, median");
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_COMBINE, " mean", err), EFC_ERR_NOT_FOUND);
    assert_int_equal(efc_enum_parse(&v, EFC_ENUM_AGGREGATE, "avg", err), EFC_ERR_NOT_FOUND);
    assert_string_equal(efc_error_message(err),
                        "'avg' is not one of mean, geomean, harmonic, min, power:P, ratio, product, copeland");
    assert_int_equal(efc_enum_parse(NULL, EFC_ENUM_COMBINE, "mean", err), EFC_ERR_ARGUMENT);
    assert_int_equal(efc_enum_parse(&v, (efc_enum_type)77, "mean", err), EFC_ERR_ARGUMENT);
    efc_error_free(err);
}

static void test_aggregate_methods(void **state)
{
    (void)state;
    efc_error *err = new_error();
    static const char *const round_trip[] = {"mean",    "geomean",      "harmonic",
                                             "min",     "power:2",      "power:-1.5",
                                             "power:0", "power:1e-300", "power:0.1"};
    for (int pass = 0; pass < 2; pass++) {
        /* the same under a locale whose decimal point is a comma */
        if (pass == 1 && !setlocale(LC_ALL, "fr_FR.UTF-8"))
            break;
        for (size_t i = 0; i < sizeof round_trip / sizeof round_trip[0]; i++) {
            efc_aggregate agg;
            double p = 42;
            assert_int_equal(efc_aggregate_parse(&agg, &p, round_trip[i], err), EFC_OK);
            char buf[40];
            size_t len = 0;
            assert_int_equal(efc_aggregate_format(buf, sizeof buf, &len, agg, p, err), EFC_OK);
            assert_string_equal(buf, round_trip[i]);
            assert_int_equal(len, strlen(round_trip[i]));
        }
    }
    setlocale(LC_ALL, "C");
    efc_aggregate agg;
    double p;
    assert_int_equal(efc_aggregate_parse(&agg, &p, "power:2.5", err), EFC_OK);
    assert_int_equal(agg, EFC_AGGREGATE_POWER);
    assert_true(p == 2.5);
    assert_int_equal(efc_aggregate_parse(&agg, &p, "geomean", err), EFC_OK);
    assert_true(agg == EFC_AGGREGATE_GEOMEAN && p == 0);
    assert_int_equal(efc_aggregate_parse(&agg, &p, "power", err), EFC_ERR_NOT_FOUND);
    assert_int_equal(efc_aggregate_parse(&agg, &p, "power:x", err), EFC_ERR_VALUE);
    assert_int_equal(efc_aggregate_parse(&agg, &p, "power:1e999", err), EFC_ERR_VALUE);
    assert_int_equal(efc_aggregate_parse(&agg, &p, "power:2,5", err), EFC_ERR_VALUE);
    /* the shortest form that reads back, and refusals */
    char buf[40];
    size_t len = 0;
    assert_int_equal(efc_aggregate_format(buf, sizeof buf, &len, EFC_AGGREGATE_POWER, 1.0 / 3, err),
                     EFC_OK);
    assert_string_equal(buf, "power:0.3333333333333333");
    assert_int_equal(efc_aggregate_format(buf, 5, &len, EFC_AGGREGATE_HARMONIC, 0, err),
                     EFC_ERR_ARGUMENT);
    assert_int_equal(len, 8);
    assert_int_equal(efc_aggregate_format(buf, sizeof buf, &len, EFC_AGGREGATE_POWER, NAN, err),
                     EFC_ERR_ARGUMENT);
    assert_int_equal(efc_aggregate_format(buf, sizeof buf, &len, (efc_aggregate)9, 0, err),
                     EFC_ERR_ARGUMENT);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_value_named_once),
        cmocka_unit_test(test_parse_refusals_and_aliases),
        cmocka_unit_test(test_aggregate_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
