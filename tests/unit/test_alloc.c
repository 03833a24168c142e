/* Fail the N-th allocation, for every N that an operation reaches: each run
 * must report EFC_ERR_NOMEM (or succeed, when a failed allocation was
 * retried smaller), leave nothing allocated once its objects are freed, and
 * leave the objects passed in usable. */
#include "helpers.h"

typedef efc_status (*operation)(counting_alloc *ca, efc_error *err);

static const char *codebook =
    "id,parent,label,label_fr,levels,levels_fr,description,min,max,aggregate,threshold\n"
    "r,,Root,Racine,,,\"long, quoted\",,,geomean,0.5\n"
    "g,r,G,G fr,,,,,,power:2,\n"
    "a,g,A,A fr,0=no|1=yes,0=non|1=oui,,0,1,,\n"
    "b,g,B,,,,,0,1,,0.2\n"
    "c,r,C,,,,,1,100,,\n";

static efc_status op_default(counting_alloc *ca, efc_error *err)
{
    efc_allocator a = counting_allocator(ca);
    efc_model *m;
    efc_status st = efc_model_default(&m, &a, err);
    if (st == EFC_OK)
        efc_model_free(m);
    else
        assert_null(m);
    return st;
}

static efc_status op_load(counting_alloc *ca, efc_error *err)
{
    efc_allocator a = counting_allocator(ca);
    efc_model *m;
    efc_status st = efc_model_load_buffer(&m, codebook, strlen(codebook), "cb", &a, err);
    if (st == EFC_OK)
        efc_model_free(m);
    return st;
}

static efc_model *shared_model;

static efc_status op_copy_finalize_export(counting_alloc *ca, efc_error *err)
{
    efc_allocator a = counting_allocator(ca);
    efc_model *m;
    efc_status st = efc_model_copy(&m, shared_model, &a, err);
    if (st)
        return st;
    st = efc_model_set_weight(m, 1, 2, err);
    if (!st)
        st = efc_model_finalize(m, err);
    if (!st) {
        size_t len;
        st = efc_model_export_buffer(NULL, 0, &len, m, err);
    }
    if (st == EFC_ERR_NOMEM && !efc_model_is_finalized(m)) {
        /* a failed finalize leaves the model editable: finalizing again works */
        ca->fail_at = 0;
        assert_ok(efc_model_finalize(m, err), err);
    }
    efc_model_free(m);
    return st;
}

static efc_status op_result(counting_alloc *ca, efc_error *err)
{
    efc_allocator a = counting_allocator(ca);
    efc_result *r;
    efc_status st = efc_result_create(&r, shared_model, &a, err);
    if (st == EFC_OK)
        efc_result_free(r);
    return st;
}

static efc_status op_error(counting_alloc *ca, efc_error *err)
{
    (void)err;
    efc_allocator a = counting_allocator(ca);
    efc_error *e;
    efc_status st = efc_error_create(&e, &a);
    if (st == EFC_OK)
        efc_error_free(e);
    return st;
}

static void every_failure(operation op, const char *name)
{
    efc_error *err = new_error();
    long n = 1;
    for (;; n++) {
        counting_alloc ca = {0, n, 0, 0};
        efc_status st = op(&ca, err);
        if (ca.live != 0)
            fail_msg("%s: %ld blocks leaked when allocation %ld failed", name, ca.live, n);
        if (!ca.failed) {
            assert_ok(st, err); /* reached the end without meeting the failure */
            break;
        }
        if (st != EFC_ERR_NOMEM && st != EFC_OK)
            fail_msg("%s: allocation %ld failed and the call returned %d: %s", name, n, (int)st,
                     efc_error_text(err));
        if (st == EFC_ERR_NOMEM)
            assert_int_equal(efc_error_code(err), EFC_ERR_NOMEM);
    }
    assert_true(n > 3); /* the operation does allocate */
    efc_error_free(err);
}

static void test_default(void **state)
{
    (void)state;
    every_failure(op_default, "default model");
}

static void test_load(void **state)
{
    (void)state;
    every_failure(op_load, "codebook load");
}

static void test_copy_finalize_export(void **state)
{
    (void)state;
    efc_error *err = new_error();
    assert_ok(load_text(&shared_model, codebook, err), err);
    every_failure(op_copy_finalize_export, "copy, finalize, export");
    every_failure(op_result, "result");
    efc_model_free(shared_model);
    efc_error_free(err);
}

static void test_error_object(void **state)
{
    (void)state;
    counting_alloc ca = {0, 1, 0, 0};
    efc_error *e = (efc_error *)1;
    assert_int_equal(op_error(&ca, NULL), EFC_ERR_NOMEM);
    efc_allocator a = counting_allocator(&ca);
    assert_int_equal(efc_error_create(&e, &a), EFC_OK); /* call 2 succeeds */
    efc_error_free(e);
    assert_int_equal(ca.live, 0);
    assert_int_equal(efc_error_create(NULL, NULL), EFC_ERR_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_copy_finalize_export),
        cmocka_unit_test(test_error_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
