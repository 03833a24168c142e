/* Version information, status texts and the error object. */
#include "helpers.h"

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(efc_version_string(), EFC_VERSION_STRING);
    assert_int_equal(efc_version_number(), EFC_VERSION_NUMBER);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", EFC_VERSION_MAJOR, EFC_VERSION_MINOR,
             EFC_VERSION_PATCH);
    assert_string_equal(efc_version_string(), expect);
    assert_int_equal(EFC_VERSION_NUMBER,
                     EFC_VERSION_MAJOR * 10000 + EFC_VERSION_MINOR * 100 + EFC_VERSION_PATCH);
}

static void test_strerror(void **state)
{
    (void)state;
    for (int s = EFC_OK; s <= EFC_ERR_SURVEY; s++) {
        const char *t = efc_strerror((efc_status)s);
        assert_non_null(t);
        assert_string_not_equal(t, "unknown status");
        for (int u = EFC_OK; u < s; u++)
            assert_string_not_equal(t, efc_strerror((efc_status)u));
    }
    assert_string_equal(efc_strerror((efc_status)999), "unknown status");
    assert_string_equal(efc_strerror(EFC_ERR_NOMEM), "out of memory");
}

static void test_error_object(void **state)
{
    (void)state;
    efc_error *err = new_error();
    assert_int_equal(efc_error_code(err), EFC_OK);
    assert_string_equal(efc_error_text(err), "");
    efc_model *m;
    assert_int_equal(efc_model_load_path(&m, "/no/such/file.csv", NULL, err), EFC_ERR_IO);
    assert_int_equal(efc_error_code(err), EFC_ERR_IO);
    assert_string_equal(efc_error_source(err), "/no/such/file.csv");
    assert_int_equal(efc_error_line(err), 0);
    assert_int_equal(efc_error_column(err), 0);
    assert_string_equal(efc_error_column_name(err), "");
    assert_non_null(strstr(efc_error_text(err), "/no/such/file.csv: cannot open: "));
    /* success leaves the error as it was */
    assert_int_equal(efc_model_default(&m, NULL, err), EFC_OK);
    efc_model_free(m);
    assert_int_equal(efc_error_code(err), EFC_ERR_IO);
    efc_error_clear(err);
    assert_int_equal(efc_error_code(err), EFC_OK);
    assert_string_equal(efc_error_message(err), "");
    /* very long sources keep their end, so the file name stays visible */
    char path[3000];
    memset(path, 'd', sizeof path);
    path[0] = '/';
    strcpy(path + sizeof path - 20, "/the-file-name.csv");
    assert_int_equal(efc_model_load_path(&m, NULL, NULL, err), EFC_ERR_ARGUMENT);
    efc_model_free(m);
    assert_int_equal(efc_model_load_path(&m, path, NULL, err), EFC_ERR_IO);
    const char *src = efc_error_source(err);
    assert_true(strlen(src) < 1100);
    assert_memory_equal(src, "...", 3);
    assert_non_null(strstr(src, "/the-file-name.csv"));
    /* NULL error objects are accepted everywhere */
    assert_int_equal(efc_error_code(NULL), EFC_OK);
    assert_string_equal(efc_error_text(NULL), "");
    assert_string_equal(efc_error_message(NULL), "");
    assert_string_equal(efc_error_source(NULL), "");
    assert_string_equal(efc_error_column_name(NULL), "");
    assert_int_equal(efc_error_line(NULL), 0);
    assert_int_equal(efc_error_column(NULL), 0);
    efc_error_clear(NULL);
    efc_error_free(NULL);
    assert_int_equal(efc_model_load_path(&m, "/no/such", NULL, NULL), EFC_ERR_IO);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_error_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
