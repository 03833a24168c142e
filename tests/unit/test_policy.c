/* The policy the library owns for its clients: the scales of a model and
 * the spokes of its radar (efc_model_scale_*, efc_model_radar_*), and the
 * outcome of a row of scores against every threshold (efc_model_pass_all,
 * efc_model_pass_batch). */
#include "helpers.h"

static size_t node(const efc_model *m, const char *id)
{
    size_t k = efc_model_find(m, id);
    if (k == EFC_NO_NODE)
        fail_msg("no node '%s'", id);
    return k;
}

/* The nodes of a list of the model (its scales, or its radar's spokes), as
 * ids joined by spaces. */
static void ids_text(const efc_model *m, size_t (*count)(const efc_model *),
                     size_t (*at)(const efc_model *, size_t), char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < count(m); i++) {
        if (i)
            strncat(buf, " ", cap - strlen(buf) - 1);
        strncat(buf, efc_model_node_id(m, at(m, i)), cap - strlen(buf) - 1);
    }
}

static void scales_text(const efc_model *m, char *buf, size_t cap)
{
    ids_text(m, efc_model_scale_count, efc_model_scale_node, buf, cap);
}

static void radar_text(const efc_model *m, char *buf, size_t cap)
{
    ids_text(m, efc_model_radar_count, efc_model_radar_node, buf, cap);
}

static void test_default_scales(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    char buf[512];
    scales_text(m, buf, sizeof buf);
    assert_string_equal(buf, "social ecological local_economy resources cooperation");
    radar_text(m, buf, sizeof buf);
    assert_string_equal(buf, "social ecological local_economy resources cooperation");
    assert_int_equal(efc_model_scale_node(m, 5), EFC_NO_NODE);
    assert_int_equal(efc_model_radar_node(m, 5), EFC_NO_NODE);
    assert_int_equal(efc_model_scale_count(NULL), 0);
    assert_int_equal(efc_model_scale_node(NULL, 0), EFC_NO_NODE);
    assert_int_equal(efc_model_radar_count(NULL), 0);
    assert_int_equal(efc_model_radar_node(NULL, 0), EFC_NO_NODE);
    efc_model_free(m);
    efc_error_free(err);
}

/* A custom model on which the CLI's radar (groups of items) and the Python
 * package's (the groups among the root's grandchildren) used to differ: `a`,
 * a child of the root holding items, is a scale the old Python rule left
 * out, and `deep`, a group of items three levels down, one it could not
 * reach. The rows are not in the order of the tree: scales come in node
 * order, as efc score's columns and efc reliability's rows do. */
static const char custom[] = "id,parent,min,max,threshold\n"
                             "root,,,,\n"
                             "b,root,,,\n"
                             "b2,b,,,0.5\n"
                             "a,root,,,\n"
                             "b1,b,,,\n"
                             "c,b,,,\n"
                             "deep,c,,,\n"
                             "a1,a,0,4,\n"
                             "a2,a,0,4,\n"
                             "b1x,b1,0,4,\n"
                             "b1y,b1,0,4,\n"
                             "b2x,b2,0,4,0.3\n"
                             "deepx,deep,0,4,\n"
                             "cx,c,0,4,\n";

static void test_custom_scales(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, custom, err), err);
    char buf[512];
    scales_text(m, buf, sizeof buf);
    assert_string_equal(buf, "b2 a b1 deep"); /* not c: it holds a group */
    radar_text(m, buf, sizeof buf);
    assert_string_equal(buf, "b2 a b1 deep");

    /* the scales a reliability analysis judges are these, in this order */
    efc_quality *q;
    assert_ok(efc_quality_create(&q, m, NULL, NULL, err), err);
    assert_ok(efc_quality_finalize(q, err), err);
    assert_int_equal(efc_quality_scale_count(q), efc_model_scale_count(m));
    for (size_t s = 0; s < efc_model_scale_count(m); s++)
        assert_int_equal(efc_quality_scale_node(q, s), efc_model_scale_node(m, s));
    efc_quality_free(q);

    /* an editable copy has none until finalized */
    efc_model *c;
    assert_ok(efc_model_copy(&c, m, NULL, err), err);
    assert_int_equal(efc_model_scale_count(c), 0);
    assert_int_equal(efc_model_radar_count(c), 0);
    assert_int_equal(efc_model_scale_node(c, 0), EFC_NO_NODE);
    assert_ok(efc_model_finalize(c, err), err);
    assert_int_equal(efc_model_scale_count(c), 4);
    efc_model_free(c);
    efc_model_free(m);
    efc_error_free(err);
}

/* Fewer than three scales: the radar draws the leaves, in leaf order. */
static void test_radar_of_items(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        "id,parent,min,max\n"
                        "root,,,\n"
                        "g,root,,\n"
                        "x,root,0,1\n"
                        "g1,g,0,1\n"
                        "g2,g,0,1\n",
                        err),
              err);
    char buf[512];
    scales_text(m, buf, sizeof buf);
    assert_string_equal(buf, "g");
    radar_text(m, buf, sizeof buf);
    assert_string_equal(buf, "x g1 g2");
    efc_model_free(m);

    /* a flat list of items: the root is the one scale */
    assert_ok(
        load_text(&m, "id,parent,min,max\nroot,,,\np,root,0,1\nq,root,0,1\nr,root,0,1\n", err),
        err);
    scales_text(m, buf, sizeof buf);
    assert_string_equal(buf, "root");
    radar_text(m, buf, sizeof buf);
    assert_string_equal(buf, "p q r");
    efc_model_free(m);
    efc_error_free(err);
}

static void test_pass_all(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    size_t n = efc_model_node_count(m);
    double *s = malloc(n * sizeof *s);
    for (size_t k = 0; k < n; k++)
        s[k] = 0.5;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_OK);
    s[node(m, "ecological")] = 0.2;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_FAIL);
    s[node(m, "social")] = NAN;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_FAIL); /* a fail beats a missing */
    s[node(m, "ecological")] = 0.25;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_MISSING);
    s[node(m, "social")] = 0.25;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_OK);
    /* nodes without a threshold do not count */
    s[efc_model_root(m)] = 0;
    s[node(m, "levers")] = NAN;
    assert_int_equal(efc_model_pass_all(m, s, 1), EFC_PASS_OK);
    assert_int_equal(efc_model_pass_all(NULL, s, 1), EFC_PASS_NO_THRESHOLD);
    assert_int_equal(efc_model_pass_all(m, NULL, 1), EFC_PASS_NO_THRESHOLD);

    /* the outcome of a result is this one */
    efc_result *r;
    assert_ok(efc_result_create(&r, m, NULL, err), err);
    double values[64];
    for (size_t j = 0; j < efc_model_leaf_count(m); j++)
        values[j] = j % 5;
    assert_ok(efc_model_score(r, m, values, 1, err), err);
    assert_int_equal(efc_model_pass_all(m, efc_result_scores(r), 1), efc_result_pass_all(r));

    /* strided: a row of a Fortran-ordered array of 3 rows */
    double *f = malloc(3 * n * sizeof *f);
    for (size_t k = 0; k < n; k++) {
        f[k * 3] = 0.9;
        f[k * 3 + 1] = s[k];
        f[k * 3 + 2] = k == node(m, "local_economy") ? 0.1 : 0.9;
    }
    assert_int_equal(efc_model_pass_all(m, f, 3), EFC_PASS_OK);
    assert_int_equal(efc_model_pass_all(m, f + 2, 3), EFC_PASS_FAIL);
    free(f);

    /* a model without thresholds */
    efc_model *flat;
    assert_ok(load_text(&flat, "id,parent,min,max\nroot,,,\np,root,0,1\n", err), err);
    assert_int_equal(efc_model_pass_all(flat, s, 1), EFC_PASS_NO_THRESHOLD);
    efc_model_free(flat);
    efc_result_free(r);
    efc_model_free(m);
    free(s);
    efc_error_free(err);
}

/* The batch gives, row by row and node by node, what the single calls give,
 * from any strides; scores printed equal to their threshold pass. */
static void test_pass_batch(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m, custom, err), err);
    size_t n = efc_model_node_count(m), rows = 5;
    size_t b2 = node(m, "b2"), b2x = node(m, "b2x");
    double *s = malloc(rows * n * sizeof *s);
    for (size_t r = 0; r < rows; r++)
        for (size_t k = 0; k < n; k++)
            s[k * rows + r] = 0.6; /* Fortran order */
    s[b2x * rows + 1] = 0.1;
    s[b2 * rows + 2] = NAN;
    s[b2x * rows + 3] = nextafter(0.3, 0); /* a hair below its threshold, printed 0.3 */
    s[b2 * rows + 4] = NAN;
    s[b2x * rows + 4] = 0;
    signed char *passes = malloc(rows * n), all[5];
    assert_ok(efc_model_pass_batch(passes, all, m, rows, s, 1, (ptrdiff_t)rows, err), err);
    const efc_pass want[5] = {EFC_PASS_OK, EFC_PASS_FAIL, EFC_PASS_MISSING, EFC_PASS_OK,
                              EFC_PASS_FAIL};
    for (size_t r = 0; r < rows; r++) {
        assert_int_equal(all[r], want[r]);
        assert_int_equal(all[r], efc_model_pass_all(m, s + r, (ptrdiff_t)rows));
        for (size_t k = 0; k < n; k++)
            assert_int_equal(passes[r * n + k], efc_model_pass(m, k, s[k * rows + r]));
    }
    assert_int_equal(passes[0 * n + node(m, "root")], EFC_PASS_NO_THRESHOLD);
    assert_int_equal(passes[3 * n + b2x], EFC_PASS_OK);
    /* either output alone; negative strides */
    memset(all, 9, sizeof all);
    assert_ok(efc_model_pass_batch(NULL, all, m, rows, s + rows - 1, -1, (ptrdiff_t)rows, err),
              err);
    for (size_t r = 0; r < rows; r++)
        assert_int_equal(all[r], want[rows - 1 - r]);
    assert_ok(efc_model_pass_batch(passes, NULL, m, 1, s, 1, (ptrdiff_t)rows, err), err);
    assert_ok(efc_model_pass_batch(NULL, NULL, m, 0, NULL, 0, 0, err), err);
    assert_status(efc_model_pass_batch(passes, all, NULL, 1, s, 1, 1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_pass_batch(passes, all, m, 1, NULL, 1, 1, err), EFC_ERR_ARGUMENT, err);
    efc_model *c;
    assert_ok(efc_model_copy(&c, m, NULL, err), err);
    assert_status(efc_model_pass_batch(passes, all, c, 1, s, 1, 1, err), EFC_ERR_STATE, err);
    efc_model_free(c);
    free(passes);
    free(s);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_scales), cmocka_unit_test(test_custom_scales),
        cmocka_unit_test(test_radar_of_items), cmocka_unit_test(test_pass_all),
        cmocka_unit_test(test_pass_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
