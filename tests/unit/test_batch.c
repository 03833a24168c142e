/* Batch scoring: the same numbers as one-by-one scoring, whatever the
 * memory layout of the input and output arrays. */
#include "helpers.h"

#define ROWS 257

static double rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (double)(*seed >> 8) / 16777216.0;
}

/* Random answers on the 0..4 scale with some missing and some out of range. */
static void fill(double *v, size_t rows, size_t leaves, unsigned seed)
{
    for (size_t i = 0; i < rows * leaves; i++) {
        double u = rnd(&seed);
        v[i] = u < 0.1 ? NAN : u < 0.12 ? 5 : floor(rnd(&seed) * 5);
    }
}

static void test_batch_equals_single(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    size_t L = efc_model_leaf_count(m), N = efc_model_node_count(m);
    double *c_in = malloc(ROWS * L * sizeof *c_in), *f_in = malloc(ROWS * L * sizeof *f_in);
    fill(c_in, ROWS, L, 7);
    for (size_t r = 0; r < ROWS; r++)
        for (size_t j = 0; j < L; j++)
            f_in[j * ROWS + r] = c_in[r * L + j];

    /* reference: one assessment at a time */
    double *ref = malloc(ROWS * N * sizeof *ref), *refcov = malloc(ROWS * N * sizeof *refcov);
    size_t ref_clamped = 0;
    efc_result *res;
    assert_ok(efc_result_create(&res, m, NULL, err), err);
    for (size_t r = 0; r < ROWS; r++) {
        assert_ok(efc_model_score(res, m, c_in + r * L, 1, err), err);
        memcpy(ref + r * N, efc_result_scores(res), N * sizeof(double));
        memcpy(refcov + r * N, efc_result_coverages(res), N * sizeof(double));
        ref_clamped += efc_result_clamped_count(res);
    }
    assert_true(ref_clamped > 0);

    double *out = malloc(ROWS * N * sizeof *out), *cov = malloc(ROWS * N * sizeof *cov);
    size_t clamped;
    /* C order in, C order out */
    assert_ok(efc_model_score_batch(out, cov, (ptrdiff_t)N, 1, &clamped, m, ROWS, c_in,
                                    (ptrdiff_t)L, 1, err),
              err);
    assert_memory_equal(out, ref, ROWS * N * sizeof *out);
    assert_memory_equal(cov, refcov, ROWS * N * sizeof *cov);
    assert_int_equal(clamped, ref_clamped);
    /* Fortran order in, Fortran order out */
    assert_ok(efc_model_score_batch(out, NULL, 1, ROWS, NULL, m, ROWS, f_in, 1, ROWS, err), err);
    for (size_t r = 0; r < ROWS; r++)
        for (size_t k = 0; k < N; k++)
            assert_same_bits(out[k * ROWS + r], ref[r * N + k]);
    /* rows read backwards through a negative stride */
    assert_ok(efc_model_score_batch(out, NULL, (ptrdiff_t)N, 1, NULL, m, ROWS,
                                    c_in + (ROWS - 1) * L, -(ptrdiff_t)L, 1, err),
              err);
    for (size_t r = 0; r < ROWS; r++)
        assert_memory_equal(out + r * N, ref + (ROWS - 1 - r) * N, N * sizeof *out);
    /* every other leaf of a wider array (a column slice of a bigger frame) */
    double *wide = malloc(ROWS * 2 * L * sizeof *wide);
    for (size_t i = 0; i < ROWS * L; i++) {
        wide[2 * i] = c_in[i];
        wide[2 * i + 1] = -12345; /* must never be read */
    }
    assert_ok(efc_model_score_batch(out, NULL, (ptrdiff_t)N, 1, NULL, m, ROWS, wide,
                                    (ptrdiff_t)(2 * L), 2, err),
              err);
    assert_memory_equal(out, ref, ROWS * N * sizeof *out);
    free(wide);
    /* the two common layouts without strides */
    for (size_t i = 0; i < ROWS * N; i++)
        out[i] = cov[i] = -1;
    clamped = 0;
    assert_ok(efc_model_score_matrix(out, cov, &clamped, m, ROWS, c_in, EFC_LAYOUT_ROW_MAJOR, err),
              err);
    assert_memory_equal(out, ref, ROWS * N * sizeof *out);
    assert_memory_equal(cov, refcov, ROWS * N * sizeof *cov);
    assert_int_equal(clamped, ref_clamped);
    assert_ok(efc_model_score_matrix(out, cov, NULL, m, ROWS, f_in, EFC_LAYOUT_COLUMN_MAJOR, err),
              err);
    for (size_t r = 0; r < ROWS; r++)
        for (size_t k = 0; k < N; k++) {
            assert_same_bits(out[k * ROWS + r], ref[r * N + k]);
            assert_same_bits(cov[k * ROWS + r], refcov[r * N + k]);
        }
    assert_status(efc_model_score_matrix(out, NULL, NULL, m, ROWS, c_in, (efc_layout)2, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(
        efc_model_score_matrix(out, NULL, NULL, NULL, ROWS, c_in, EFC_LAYOUT_ROW_MAJOR, err),
        EFC_ERR_ARGUMENT, err);
    efc_result_free(res);
    free(out);
    free(cov);
    free(ref);
    free(refcov);
    free(c_in);
    free(f_in);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_batch_errors(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    size_t L = efc_model_leaf_count(m), N = efc_model_node_count(m);
    double *in = calloc(3 * L, sizeof *in), *out = malloc(3 * N * sizeof *out);
    for (size_t i = 0; i < 3 * N; i++)
        out[i] = -1;
    in[2 * L + 4] = INFINITY;
    assert_status(
        efc_model_score_batch(out, NULL, (ptrdiff_t)N, 1, NULL, m, 3, in, (ptrdiff_t)L, 1, err),
        EFC_ERR_VALUE, err);
    assert_non_null(strstr(efc_error_message(err), "row 2, leaf 'soc_links'"));
    assert_same_bits(out[N + efc_model_root(m)], 0.0); /* rows before are scored */
    for (size_t k = 0; k < N; k++) /* its own row is wholly missing, not half scored */
        assert_true(isnan(out[2 * N + k]));
    assert_status(efc_model_score_batch(out, NULL, 1, 1, NULL, NULL, 1, in, 1, 1, err),
                  EFC_ERR_ARGUMENT, err);
    assert_status(efc_model_score_batch(out, NULL, 1, 1, NULL, m, 1, NULL, 1, 1, err),
                  EFC_ERR_ARGUMENT, err);
    assert_ok(efc_model_score_batch(NULL, NULL, 1, 1, NULL, m, 0, NULL, 1, 1, err), err);
    efc_model *editable;
    assert_ok(efc_model_create(&editable, NULL, err), err);
    assert_status(efc_model_score_batch(out, NULL, 1, 1, NULL, editable, 1, in, 1, 1, err),
                  EFC_ERR_STATE, err);
    efc_model_free(editable);
    free(in);
    free(out);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_equals_single),
        cmocka_unit_test(test_batch_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
