/* Building models in code, introspection, copies, and export round trips. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#ifndef DEFAULT_CODEBOOK
#error "DEFAULT_CODEBOOK must name libefc/default_codebook.csv"
#endif

static char *export_text(const efc_model *m)
{
    efc_error *err = new_error();
    size_t len;
    assert_ok(efc_model_export_buffer(NULL, 0, &len, m, err), err);
    char *buf = malloc(len + 1);
    assert_status(efc_model_export_buffer(buf, len, &len, m, err), EFC_ERR_ARGUMENT, err);
    assert_ok(efc_model_export_buffer(buf, len + 1, &len, m, err), err);
    assert_int_equal(strlen(buf), len);
    efc_error_free(err);
    return buf;
}

static void test_build_in_code(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    size_t root, a, b, g;
    assert_ok(efc_model_create(&m, NULL, err), err);
    assert_int_equal(efc_model_is_finalized(m), 0);
    /* children may be added before their parent */
    assert_ok(efc_model_add_leaf(&a, m, "a", "g", 0, 10, err), err);
    assert_ok(efc_model_add_group(&root, m, "root", NULL, err), err);
    assert_ok(efc_model_add_group(&g, m, "g", "root", err), err);
    assert_ok(efc_model_add_leaf(&b, m, "b", "root", 1, 1000, err), err);
    assert_ok(efc_model_set_weight(m, g, 2, err), err);
    assert_ok(efc_model_set_direction(m, a, EFC_DIRECTION_NEGATIVE, err), err);
    assert_ok(efc_model_set_transform(m, b, EFC_TRANSFORM_LOG, err), err);
    assert_ok(efc_model_set_aggregate(m, root, EFC_AGGREGATE_POWER, 0.5, err), err);
    assert_ok(efc_model_set_min_coverage(m, root, 1, err), err);
    assert_ok(efc_model_set_threshold(m, g, 0.4, err), err);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LABEL, NULL, "Alpha", err), err);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LABEL, "fr", "Alpha (fr)", err), err);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LEVELS, NULL, "0=None|5=Half|10=All", err), err);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LEVELS, "fr", "0=Rien|5=Moitié|10=Tout", err), err);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_DESCRIPTION, "de", "Beschreibung\nzwei", err), err);
    /* the structure is resolved by finalize */
    assert_int_equal(efc_model_root(m), EFC_NO_NODE);
    assert_int_equal(efc_model_node_child_count(m, root), 0);
    assert_int_equal(efc_model_node_parent(m, a), g); /* looked up by id */
    assert_int_equal(efc_model_leaf_node(m, 1), b);
    assert_int_equal(efc_model_node_leaf(m, b), 1);
    assert_int_equal(efc_model_group_node(m, 1), g);
    assert_ok(efc_model_finalize(m, err), err);

    assert_int_equal(efc_model_is_finalized(m), 1);
    assert_int_equal(efc_model_node_count(m), 4);
    assert_int_equal(efc_model_leaf_count(m), 2);
    assert_int_equal(efc_model_group_count(m), 2);
    assert_int_equal(efc_model_root(m), root);
    assert_int_equal(efc_model_find(m, "g"), g);
    assert_int_equal(efc_model_find(m, "zz"), EFC_NO_NODE);
    assert_int_equal(efc_model_leaf_index(m, "a"), 0);
    assert_int_equal(efc_model_leaf_index(m, "b"), 1);
    assert_int_equal(efc_model_leaf_index(m, "g"), EFC_NO_NODE);
    assert_int_equal(efc_model_leaf_node(m, 0), a);
    assert_int_equal(efc_model_group_node(m, 0), root);
    assert_int_equal(efc_model_node_parent(m, root), EFC_NO_NODE);
    assert_string_equal(efc_model_node_parent_id(m, a), "g");
    assert_string_equal(efc_model_node_parent_id(m, root), "");
    assert_int_equal(efc_model_node_child_count(m, root), 2);
    assert_int_equal(efc_model_node_child(m, root, 0), g); /* order added */
    assert_int_equal(efc_model_node_child(m, root, 1), b);
    assert_int_equal(efc_model_node_child(m, root, 2), EFC_NO_NODE);
    assert_int_equal(efc_model_node_kind(m, a), EFC_NODE_LEAF);
    assert_int_equal(efc_model_node_kind(m, g), EFC_NODE_GROUP);
    assert_same_bits(efc_model_node_weight(m, g), 2.0);
    assert_same_bits(efc_model_node_min(m, b), 1.0);
    assert_same_bits(efc_model_node_max(m, b), 1000.0);
    assert_true(isnan(efc_model_node_min(m, g)));
    assert_int_equal(efc_model_node_direction(m, a), EFC_DIRECTION_NEGATIVE);
    assert_int_equal(efc_model_node_transform(m, b), EFC_TRANSFORM_LOG);
    assert_int_equal(efc_model_node_aggregate(m, root), EFC_AGGREGATE_POWER);
    assert_same_bits(efc_model_node_power(m, root), 0.5);
    assert_same_bits(efc_model_node_power(m, g), 1.0);
    assert_true(isnan(efc_model_node_power(m, a)));
    assert_same_bits(efc_model_node_min_coverage(m, root), 1.0);
    assert_same_bits(efc_model_node_threshold(m, g), 0.4);
    assert_true(isnan(efc_model_node_threshold(m, root)));
    assert_int_equal(efc_model_node_line(m, a), 0);
    assert_string_equal(efc_model_source(m), "");
    /* texts and languages */
    assert_string_equal(efc_model_node_label(m, a, NULL), "Alpha");
    assert_string_equal(efc_model_node_label(m, a, "fr"), "Alpha (fr)");
    assert_string_equal(efc_model_node_label(m, a, "es"), "Alpha");
    assert_string_equal(efc_model_node_label(m, b, "fr"), "b");
    assert_null(efc_model_node_text(m, b, EFC_TEXT_LABEL, NULL));
    assert_string_equal(efc_model_node_text(m, a, EFC_TEXT_DESCRIPTION, "de"),
                        "Beschreibung\nzwei");
    assert_int_equal(efc_model_language_count(m), 2);
    assert_string_equal(efc_model_language(m, 0), "de");
    assert_string_equal(efc_model_language(m, 1), "fr");
    assert_null(efc_model_language(m, 2));
    assert_int_equal(efc_model_node_level_count(m, a), 3);
    assert_same_bits(efc_model_node_level_value(m, a, 1), 5.0);
    assert_string_equal(efc_model_node_level_text(m, a, 2, NULL), "All");
    assert_string_equal(efc_model_node_level_text(m, a, 2, "fr"), "Tout");
    assert_string_equal(efc_model_node_level_text(m, a, 2, "de"), "All");
    assert_null(efc_model_node_level_text(m, a, 3, NULL));
    assert_true(isnan(efc_model_node_level_value(m, a, 3)));
    assert_int_equal(efc_model_node_level_count(m, b), 0);

    /* a finalized model cannot be edited ... */
    assert_status(efc_model_set_weight(m, a, 3, err), EFC_ERR_STATE, err);
    assert_status(efc_model_add_leaf(NULL, m, "c", "root", 0, 1, err), EFC_ERR_STATE, err);
    assert_status(efc_model_set_text(m, a, EFC_TEXT_LABEL, NULL, "x", err), EFC_ERR_STATE, err);
    assert_status(efc_model_finalize(m, err), EFC_ERR_STATE, err);
    /* ... but an editable copy can, and is identical until edited */
    efc_model *c;
    assert_ok(efc_model_copy(&c, m, NULL, err), err);
    assert_int_equal(efc_model_is_finalized(c), 0);
    assert_ok(efc_model_set_weight(c, a, 3, err), err);
    assert_ok(efc_model_finalize(c, err), err);
    assert_same_bits(efc_model_node_weight(c, a), 3.0);
    assert_same_bits(efc_model_node_weight(m, a), 1.0);
    char *t1 = export_text(m);
    efc_model *c2;
    assert_ok(efc_model_copy(&c2, m, NULL, err), err);
    assert_ok(efc_model_finalize(c2, err), err);
    char *t2 = export_text(c2);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    efc_model_free(c2);
    efc_model_free(c);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_setter_errors(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    size_t g, a;
    assert_ok(efc_model_create(&m, NULL, err), err);
    assert_ok(efc_model_add_group(&g, m, "g", "", err), err);
    assert_ok(efc_model_add_leaf(&a, m, "a", "g", 0, 1, err), err);
    assert_status(efc_model_add_leaf(NULL, m, "a", "g", 0, 1, err), EFC_ERR_MODEL, err);
    assert_string_equal(efc_error_message(err), "duplicate id 'a'");
    assert_status(efc_model_add_leaf(NULL, m, "b", "g", 1, 1, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_add_leaf(NULL, m, "b", "g", 0, NAN, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_add_group(NULL, m, "", "g", err), EFC_ERR_MODEL, err);
    assert_status(efc_model_add_group(NULL, m, "x\ty", "g", err), EFC_ERR_MODEL, err);
    assert_status(efc_model_add_group(NULL, m, "h", " g", err), EFC_ERR_MODEL, err);
    assert_status(efc_model_add_group(NULL, m, NULL, "g", err), EFC_ERR_ARGUMENT, err);
    char longid[300];
    memset(longid, 'x', 299);
    longid[299] = '\0';
    assert_status(efc_model_add_group(NULL, m, longid, "g", err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_weight(m, 7, 1, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_set_weight(m, a, INFINITY, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_goalposts(m, g, 0, 1, err), EFC_ERR_MODEL, err);
    assert_string_equal(efc_error_message(err),
                        "node 'g': goalposts are only for leaves, and it is a group");
    assert_status(efc_model_set_aggregate(m, a, EFC_AGGREGATE_MIN, 0, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_aggregate(m, g, EFC_AGGREGATE_POWER, NAN, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_aggregate(m, g, (efc_aggregate)9, 0, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_set_direction(m, a, (efc_direction)5, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_set_transform(m, a, (efc_transform)5, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_set_min_coverage(m, a, 0.5, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_min_coverage(m, g, NAN, err), EFC_ERR_MODEL, err);
    assert_status(efc_model_set_threshold(m, g, 1.01, err), EFC_ERR_MODEL, err);
    assert_ok(efc_model_set_threshold(m, g, 0.5, err), err);
    assert_ok(efc_model_set_threshold(m, g, NAN, err), err); /* removes it */
    assert_status(efc_model_set_text(m, a, EFC_TEXT_LABEL, "FR", "x", err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_set_text(m, a, (efc_text_kind)7, NULL, "x", err), EFC_ERR_ARGUMENT,
                  err);
    assert_status(efc_model_set_text(m, a, EFC_TEXT_LABEL, NULL, "two\nlines", err), EFC_ERR_MODEL,
                  err);
    assert_status(efc_model_set_text(m, g, EFC_TEXT_LEVELS, NULL, "0=a|1=b", err), EFC_ERR_MODEL,
                  err);
    assert_status(efc_model_set_text(m, a, EFC_TEXT_LEVELS, NULL, "0=a|x=b", err), EFC_ERR_MODEL,
                  err);
    assert_string_equal(efc_error_message(err), "node 'a': levels entry 2: 'x' is not a number");
    /* removing a translation removes its language */
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LABEL, "fr", "x", err), err);
    assert_int_equal(efc_model_language_count(m), 1);
    assert_ok(efc_model_set_text(m, a, EFC_TEXT_LABEL, "fr", NULL, err), err);
    assert_int_equal(efc_model_language_count(m), 0);
    assert_ok(efc_model_finalize(m, err), err);
    efc_model_free(m);

    /* whole-tree errors of a model built in code name the node */
    assert_ok(efc_model_create(&m, NULL, err), err);
    assert_status(efc_model_finalize(m, err), EFC_ERR_MODEL, err);
    assert_ok(efc_model_add_group(NULL, m, "g", NULL, err), err);
    assert_ok(efc_model_add_leaf(&a, m, "a", "g", 0, 1, err), err);
    assert_ok(efc_model_add_leaf(NULL, m, "b", "a", 0, 1, err), err);
    assert_status(efc_model_finalize(m, err), EFC_ERR_MODEL, err);
    assert_string_equal(efc_error_text(err), "leaf 'a' has children ('b')");
    assert_int_equal(efc_model_is_finalized(m), 0);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_invalid_indexes(void **state)
{
    (void)state;
    efc_model *m;
    efc_error *err = new_error();
    assert_ok(efc_model_default(&m, NULL, err), err);
    size_t bad = 10000;
    assert_null(efc_model_node_id(m, bad));
    assert_null(efc_model_node_label(m, bad, "fr"));
    assert_null(efc_model_node_text(m, bad, EFC_TEXT_LABEL, NULL));
    assert_null(efc_model_node_parent_id(m, bad));
    assert_true(isnan(efc_model_node_weight(m, bad)));
    assert_true(isnan(efc_model_node_min_coverage(m, bad)));
    assert_int_equal(efc_model_node_parent(m, bad), EFC_NO_NODE);
    assert_int_equal(efc_model_node_leaf(m, bad), EFC_NO_NODE);
    assert_int_equal(efc_model_leaf_node(m, bad), EFC_NO_NODE);
    assert_int_equal(efc_model_group_node(m, bad), EFC_NO_NODE);
    assert_int_equal(efc_model_node_level_count(m, bad), 0);
    assert_int_equal(efc_model_find(m, NULL), EFC_NO_NODE);
    assert_int_equal(efc_model_node_count(NULL), 0);
    assert_int_equal(efc_model_is_finalized(NULL), 0);
    assert_string_equal(efc_model_source(NULL), "");
    efc_model_free(m);
    assert_status(efc_model_default(NULL, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_load_path(&m, NULL, NULL, err), EFC_ERR_ARGUMENT, err);
    assert_null(m);
    efc_allocator half = {NULL, NULL, NULL, NULL};
    efc_model *n;
    assert_status(efc_model_create(&n, &half, err), EFC_ERR_ARGUMENT, err);
    efc_model_free(NULL);
    efc_error_free(err);
}

/* The embedded model is the checked-in codebook, byte for byte, and an
 * export loads back into a model that exports identical bytes. */
static void test_default_round_trip(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    assert_string_equal(efc_model_source(m), "default");
    assert_int_equal(efc_model_group_count(m), 8);
    assert_true(efc_model_leaf_count(m) >= 20 && efc_model_leaf_count(m) <= 35);
    const char *groups[] = {"efc",           "effects", "social",    "ecological",
                            "local_economy", "levers",  "resources", "cooperation"};
    for (int i = 0; i < 8; i++)
        assert_int_equal(efc_model_node_kind(m, efc_model_find(m, groups[i])), EFC_NODE_GROUP);
    assert_int_equal(efc_model_root(m), efc_model_find(m, "efc"));
    /* every leaf has both languages, a description and a level text per level */
    for (size_t j = 0; j < efc_model_leaf_count(m); j++) {
        size_t k = efc_model_leaf_node(m, j);
        assert_non_null(efc_model_node_text(m, k, EFC_TEXT_LABEL, NULL));
        assert_non_null(efc_model_node_text(m, k, EFC_TEXT_LABEL, "fr"));
        assert_non_null(efc_model_node_text(m, k, EFC_TEXT_DESCRIPTION, NULL));
        assert_non_null(efc_model_node_text(m, k, EFC_TEXT_DESCRIPTION, "fr"));
        assert_int_equal(efc_model_node_level_count(m, k), 5);
    }
    char *exported = export_text(m);
    size_t len;
    char *checked_in = slurp(DEFAULT_CODEBOOK, &len);
    assert_int_equal(strlen(exported), len);
    assert_memory_equal(exported, checked_in, len);

    efc_model *again;
    assert_ok(efc_model_load_buffer(&again, exported, strlen(exported), "export", NULL, err), err);
    char *twice = export_text(again);
    assert_string_equal(exported, twice);
    free(twice);
    free(checked_in);
    free(exported);
    efc_model_free(again);
    efc_model_free(m);
    efc_error_free(err);
}

/* Export and reload give the same scores, to the bit, and the same text,
 * for a codebook using every feature. */
static void test_feature_round_trip(void **state)
{
    (void)state;
    const char *csv =
        "\xEF\xBB\xBFid;parent;label;label_fr;levels;levels_fr;weight;min;max;direction;"
        "transform;aggregate;min_coverage;threshold;description\r\n"
        "r;;Root;Racine;;;1;;;;;power:-0,5;0,75;0,3;\"multi\r\nline; \"\"quoted\"\"\"\r\n"
        "a;r;A, first;A, premier;0=no|2=yes;0=non|2=oui;2,5;0;2;-;none;;;;\r\n"
        "b;r;;;;;1e-1;1;1e6;+;log;;;0.1;\r\n"
        "c;r;;;;;0;0;1;+;none;;;;\r\n";
    efc_error *err = new_error();
    efc_model *m, *back;
    assert_ok(load_text(&m, csv, err), err);
    assert_same_bits(efc_model_node_weight(m, efc_model_find(m, "a")), 2.5);
    assert_same_bits(efc_model_node_power(m, efc_model_find(m, "r")), -0.5);
    assert_string_equal(efc_model_node_text(m, 0, EFC_TEXT_DESCRIPTION, NULL),
                        "multi\r\nline; \"quoted\"");
    char *text = export_text(m);
    assert_ok(efc_model_load_buffer(&back, text, strlen(text), "back", NULL, err), err);
    char *text2 = export_text(back);
    assert_string_equal(text, text2);
    assert_non_null(strstr(text, "r,,Root,Racine,\"multi\r\nline; \"\"quoted\"\"\",,,,1,,,,,"
                                 "power:-0.5,0.75,0.3\n"));
    assert_non_null(strstr(text, "b,r,,,,,,,0.1,1,1000000,+,log,,,0.1\n"));
    efc_result *r1, *r2;
    assert_ok(efc_result_create(&r1, m, NULL, err), err);
    assert_ok(efc_result_create(&r2, back, NULL, err), err);
    double v[3] = {1.5, 300, 0.2};
    assert_ok(efc_model_score(r1, m, v, 1, err), err);
    assert_ok(efc_model_score(r2, back, v, 1, err), err);
    for (size_t k = 0; k < efc_model_node_count(m); k++)
        assert_same_bits(efc_result_score(r1, k), efc_result_score(r2, k));
    efc_result_free(r1);
    efc_result_free(r2);
    free(text);
    free(text2);
    efc_model_free(back);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_export_path(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m, *back;
    assert_ok(efc_model_default(&m, NULL, err), err);
    char path[] = "/tmp/efc-test-export-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_ok(efc_model_export_path(m, path, err), err);
    assert_ok(efc_model_load_path(&back, path, NULL, err), err);
    assert_string_equal(efc_model_source(back), path);
    assert_int_equal(efc_model_node_line(back, efc_model_find(back, "soc_needs")), 10);
    efc_model_free(back);
    FILE *fp = fopen(path, "rb");
    assert_ok(efc_model_load_file(&back, fp, "stream", NULL, err), err);
    fclose(fp);
    assert_string_equal(efc_model_source(back), "stream");
    efc_model_free(back);
    remove(path);
    /* a directory that does not exist: an I/O error and no file left */
    assert_status(efc_model_export_path(m, "/nonexistent-dir/x.csv", err), EFC_ERR_IO, err);
    assert_status(efc_model_export_file(m, NULL, err), EFC_ERR_ARGUMENT, err);
    /* devices are written in place, never replaced by a renamed file */
    assert_status(efc_model_export_path(m, "/dev/full", err), EFC_ERR_IO, err);
    assert_ok(efc_model_export_path(m, "/dev/null", err), err);
    struct stat sb;
    assert_int_equal(stat("/dev/full", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        assert_status(efc_model_export_file(m, full, err), EFC_ERR_IO, err);
        fclose(full);
    }
    efc_model *editable;
    assert_ok(efc_model_copy(&editable, m, NULL, err), err);
    size_t len;
    assert_status(efc_model_export_buffer(NULL, 0, &len, editable, err), EFC_ERR_STATE, err);
    efc_model_free(editable);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_in_code),      cmocka_unit_test(test_setter_errors),
        cmocka_unit_test(test_invalid_indexes),    cmocka_unit_test(test_default_round_trip),
        cmocka_unit_test(test_feature_round_trip), cmocka_unit_test(test_export_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
