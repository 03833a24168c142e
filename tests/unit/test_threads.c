/* Threads: one finalized model shared by several threads that score and
 * read surveys at once (each survey with its own reader thread), with
 * results identical to a single thread. Run under ThreadSanitizer by
 * tools/tsan.sh. */
#include <pthread.h>

#include "helpers.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined"
#endif

#define WORKERS 4

typedef struct job {
    const efc_model *model;
    const char *path;
    unsigned threads;
    double sum; /* the sum of all root scores read */
    unsigned long long rows;
    double single[64]; /* single-assessment scores */
    int failed;
} job;

static void *work(void *arg)
{
    job *j = arg;
    efc_error *err = NULL;
    efc_survey_options *o = NULL;
    efc_survey *s = NULL;
    efc_batch *b = NULL;
    efc_result *r = NULL;
    if (efc_error_create(&err, NULL) || efc_survey_options_create(&o, NULL, err) ||
        efc_survey_options_set_threads(o, j->threads, err) ||
        efc_survey_open_path(&s, j->model, j->path, o, NULL, err) ||
        efc_batch_create(&b, s, 100, NULL, err) || efc_result_create(&r, j->model, NULL, err)) {
        j->failed = 1;
        goto done;
    }
    size_t nodes = efc_model_node_count(j->model), root = efc_model_root(j->model);
    for (;;) {
        if (efc_survey_read(b, s, err)) {
            j->failed = 1;
            break;
        }
        if (efc_batch_rows(b) == 0)
            break;
        const double *sc = efc_batch_scores(b);
        for (size_t i = 0; i < efc_batch_rows(b); i++, j->rows++) {
            if (!isnan(sc[i * nodes + root]))
                j->sum += sc[i * nodes + root];
            /* the same row scored alone through the shared model */
            if (j->rows < 64) {
                efc_model_score(r, j->model,
                                efc_batch_values(b) + i * efc_model_leaf_count(j->model), 1, err);
                j->single[j->rows] = efc_result_score(r, root);
            }
        }
    }
done:
    efc_result_free(r);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_error_free(err);
    return NULL;
}

static void test_shared_model(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_load_path(&m, TEST_DATA_DIR "/bfi/bfi-codebook.csv", NULL, err), err);
    job reference = {m, TEST_DATA_DIR "/bfi/bfi.csv", 1, 0, 0, {0}, 0};
    work(&reference);
    assert_false(reference.failed);
    assert_int_equal(reference.rows, 2800);
    job jobs[WORKERS];
    pthread_t t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        jobs[i] = reference;
        jobs[i].sum = 0;
        jobs[i].rows = 0;
        jobs[i].threads = i % 2 ? 2 : 1; /* half of them with a reader thread */
        assert_int_equal(pthread_create(&t[i], NULL, work, &jobs[i]), 0);
    }
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(t[i], NULL);
        assert_false(jobs[i].failed);
        assert_int_equal(jobs[i].rows, 2800);
        assert_same_bits(jobs[i].sum, reference.sum);
        assert_memory_equal(jobs[i].single, reference.single, sizeof reference.single);
    }
    efc_model_free(m);
    efc_error_free(err);
}

/* A survey freed while its reader thread is still ahead, or after an error. */
static void test_early_stops(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_load_path(&m, TEST_DATA_DIR "/bfi/bfi-codebook.csv", NULL, err), err);
    for (int k = 0; k < 20; k++) {
        efc_survey_options *o;
        assert_ok(efc_survey_options_create(&o, NULL, err), err);
        assert_ok(efc_survey_options_set_threads(o, 2, err), err);
        efc_survey *s;
        assert_ok(efc_survey_open_path(&s, m, TEST_DATA_DIR "/bfi/bfi.csv", o, NULL, err), err);
        efc_batch *b;
        assert_ok(efc_batch_create(&b, s, 7, NULL, err), err);
        for (int i = 0; i < k; i++)
            assert_ok(efc_survey_read(b, s, err), err);
        efc_batch_free(b);
        efc_survey_free(s); /* joins the reader thread wherever it is */
        efc_survey_options_free(o);
    }
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_model),
        cmocka_unit_test(test_early_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
