/* The survey reader through the C API: the psych reference at full
 * precision, batches at their boundaries, rejected rows, periods, combining,
 * and every allocation failure while opening and reading. */
#include <unistd.h>

#include <pthread.h>

#include "helpers.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must be defined"
#endif

static efc_model *load(const char *path)
{
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_load_path(&m, path, NULL, err), err);
    efc_error_free(err);
    return m;
}

static double *read_reference(size_t *n)
{
    char *text = slurp(TEST_DATA_DIR "/bfi/bfi-psych-scores.csv", NULL);
    double *ref = malloc(2800 * 5 * sizeof *ref);
    char *line = strtok(strchr(text, '\n') + 1, "\n");
    size_t r = 0;
    for (; line && r < 2800; line = strtok(NULL, "\n"), r++) {
        char *p = strchr(line, ',');
        for (int k = 0; k < 5; k++) {
            ref[r * 5 + (size_t)k] = strtod(p + 1, &p);
        }
    }
    free(text);
    *n = r;
    return ref;
}

static void test_psych_reference(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = load(TEST_DATA_DIR "/bfi/bfi-codebook.csv");
    size_t nref;
    double *ref = read_reference(&nref);
    assert_int_equal(nref, 2800);
    efc_survey *s;
    assert_ok(efc_survey_open_path(&s, m, TEST_DATA_DIR "/bfi/bfi.csv", NULL, NULL, err), err);
    assert_int_equal(efc_survey_column_count(s), 29);
    assert_int_equal(efc_survey_id_column(s), 0);
    assert_int_equal(efc_survey_period_column(s), EFC_NO_NODE);
    assert_int_equal(efc_survey_missing_leaf_count(s), 0);
    assert_int_equal(efc_survey_ignored_column_count(s), 3); /* gender, education, age */
    assert_string_equal(efc_survey_column_name(s, efc_survey_ignored_column(s, 2)), "age");
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 1000, NULL, err), err);
    size_t scales[5], row = 0, N = efc_model_node_count(m);
    const char *names[5] = {"agree", "conscientious", "extraversion", "neuroticism", "openness"};
    for (int k = 0; k < 5; k++)
        scales[k] = efc_model_find(m, names[k]);
    double worst = 0;
    size_t batches = 0;
    for (;;) {
        assert_ok(efc_survey_read(b, s, err), err);
        if (efc_batch_rows(b) == 0)
            break;
        batches++;
        assert_true(efc_batch_rows(b) <= 1000);
        const double *sc = efc_batch_scores(b);
        for (size_t r = 0; r < efc_batch_rows(b); r++, row++)
            for (int k = 0; k < 5; k++) {
                double d = fabs(1 + 5 * sc[r * N + scales[k]] - ref[row * 5 + (size_t)k]);
                if (d > worst)
                    worst = d;
            }
    }
    assert_int_equal(batches, 3);
    assert_int_equal(row, 2800);
    if (worst > 1e-12)
        fail_msg("largest difference with psych: %g", worst);
    assert_int_equal(efc_survey_rows_read(s), 2800);
    assert_int_equal(efc_survey_rows_out(s), 2800);
    assert_int_equal(efc_survey_rows_rejected(s), 0);
    /* reading after the end keeps giving empty batches */
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 0);
    efc_batch_free(b);
    efc_survey_free(s);
    free(ref);
    efc_model_free(m);
    efc_error_free(err);
}

static const char *bad_survey = "id,period,sector,soc_needs,soc_access\n"
                                "a,2024,food,1,2\n"
                                "b,2024,food,x,2\n"
                                "c,2023,farm,3,9\n"
                                "d,20x4,farm,3,3\n"
                                "e,2022,farm,4,4\n";

static void test_batches_and_rejects(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_on_error(o, EFC_ON_ERROR_SKIP, err), err);
    assert_ok(efc_survey_options_add_group_column(o, "sector", err), err);
    efc_survey *s;
    assert_ok(
        efc_survey_open_buffer(&s, m, bad_survey, strlen(bad_survey), "bad.csv", o, NULL, err),
        err);
    efc_survey_options_free(o); /* the survey keeps its own copy */
    assert_int_equal(efc_survey_delimiter(s), ',');
    assert_int_equal(efc_survey_group_count(s), 1);
    assert_int_equal(efc_survey_group_column(s, 0), 2);
    assert_int_equal(efc_survey_column_leaf(s, 3), efc_model_leaf_index(m, "soc_needs"));
    assert_int_equal(efc_survey_column_leaf(s, 2), EFC_NO_NODE);
    assert_int_equal(efc_survey_missing_leaf_count(s), 27);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 2, NULL, err), err);
    /* capacity 2 counts rows and rejects: a, then b rejected */
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 1);
    assert_int_equal(efc_batch_rejected_count(b), 1);
    assert_string_equal(efc_batch_id(b, 0), "a");
    assert_string_equal(efc_batch_period(b, 0), "2024");
    assert_same_bits(efc_batch_period_value(b, 0), 2024.0);
    assert_string_equal(efc_batch_group(b, 0, 0), "food");
    assert_int_equal(efc_batch_line(b, 0), 2);
    assert_int_equal(efc_batch_respondents(b, 0), 1);
    assert_int_equal(efc_batch_rejected_line(b, 0), 3);
    assert_int_equal(efc_batch_rejected_column(b, 0), 4);
    assert_string_equal(efc_batch_rejected_column_name(b, 0), "soc_needs");
    assert_string_equal(efc_batch_rejected_reason(b, 0), "value 'x' is not a number");
    assert_int_equal(efc_batch_rejected_field_count(b, 0), 5);
    assert_string_equal(efc_batch_rejected_field(b, 0, 3), "x");
    assert_null(efc_batch_rejected_field(b, 0, 5));
    assert_null(efc_batch_id(b, 1));
    assert_null(efc_batch_group(b, 0, 1));
    const double *v = efc_batch_values(b);
    size_t L = efc_model_leaf_count(m);
    assert_same_bits(v[efc_model_leaf_index(m, "soc_access")], 2.0);
    assert_true(isnan(v[efc_model_leaf_index(m, "eco_energy")]));
    /* c (clamped), d rejected */
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 1);
    assert_int_equal(efc_batch_clamped_count(b), 1);
    assert_same_bits(efc_batch_values(b)[efc_model_leaf_index(m, "soc_access")], 9.0);
    assert_int_equal(efc_batch_rejected_count(b), 1);
    assert_string_equal(efc_batch_rejected_reason(b, 0),
                        "period '20x4' is not a number or a date YYYY-MM-DD");
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 1);
    assert_string_equal(efc_batch_id(b, 0), "e");
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b) + efc_batch_rejected_count(b), 0);
    assert_int_equal(efc_survey_rows_read(s), 5);
    assert_int_equal(efc_survey_rows_rejected(s), 2);
    assert_int_equal(efc_survey_rows_out(s), 3);
    assert_int_equal(efc_survey_clamped_count(s), 1);
    assert_int_equal(efc_survey_period_kind(s), EFC_PERIOD_NUMBER);
    (void)L;
    /* a batch belongs to its survey */
    efc_survey *other;
    assert_ok(
        efc_survey_open_buffer(&other, m, bad_survey, strlen(bad_survey), "x", NULL, NULL, err),
        err);
    assert_status(efc_survey_read(b, other, err), EFC_ERR_ARGUMENT, err);
    efc_survey_free(other);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_fail_mode(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    efc_survey *s;
    assert_ok(
        efc_survey_open_buffer(&s, m, bad_survey, strlen(bad_survey), "bad.csv", NULL, NULL, err),
        err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 10, NULL, err), err);
    assert_status(efc_survey_read(b, s, err), EFC_ERR_VALUE, err);
    assert_string_equal(efc_error_text(err), "bad.csv:3:4: soc_needs: value 'x' is not a number");
    assert_string_equal(efc_error_column_name(err), "soc_needs");
    assert_int_equal(efc_error_line(err), 3);
    assert_status(efc_survey_read(b, s, err), EFC_ERR_STATE, err);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_dates_and_options(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    const char *text = "org;when;soc_needs\nx;31/12/1969;2,5\ny;2000-02-29;\nz;;NA\n";
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_id_column(o, "org", err), err);
    assert_ok(efc_survey_options_set_period_column(o, "when", err), err);
    assert_ok(efc_survey_options_set_date_format(o, EFC_DATE_FORMAT_DMY, err), err);
    assert_ok(efc_survey_options_set_decimal_comma(o, 1, err), err);
    assert_ok(efc_survey_options_add_na_token(o, "NA", err), err);
    assert_status(efc_survey_options_set_delimiter(o, ',', err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_survey_options_set_max_field(o, 10, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_survey_options_add_na_token(o, " NA", err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_survey_options_add_group_column(o, "", err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_survey_options_set_encoding(o, (efc_encoding)77, err), EFC_ERR_ARGUMENT, err);
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, text, strlen(text), "d.csv", o, NULL, err), err);
    assert_int_equal(efc_survey_delimiter(s), ';');
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 8, NULL, err), err);
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 3);
    assert_string_equal(efc_batch_period(b, 0), "1969-12-31");
    assert_same_bits(efc_batch_period_value(b, 0), -1.0);
    assert_same_bits(efc_batch_period_value(b, 1), 11016.0); /* days from 1970-01-01 */
    assert_string_equal(efc_batch_period(b, 2), "");
    assert_true(isnan(efc_batch_period_value(b, 2)));
    assert_same_bits(efc_batch_values(b)[0], 2.5);
    assert_true(isnan(efc_batch_values(b)[efc_model_leaf_count(m) * 2]));
    /* the per-row accessors and the arrays agree */
    for (size_t r = 0; r < 3; r++) {
        assert_same_bits(efc_batch_period_values(b)[r], efc_batch_period_value(b, r));
        assert_int_equal(efc_batch_lines(b)[r], r + 2);
        assert_int_equal(efc_batch_respondent_counts(b)[r], 1);
    }
    assert_null(efc_batch_lines(NULL));
    assert_int_equal(efc_survey_period_kind(s), EFC_PERIOD_DATE);
    int e = -1;
    assert_ok(efc_enum_parse(&e, EFC_ENUM_ENCODING, "Windows-1252", NULL), NULL);
    assert_int_equal(e, EFC_ENCODING_WINDOWS_1252);
    assert_int_equal(efc_enum_parse(&e, EFC_ENUM_ENCODING, "latin9", NULL), EFC_ERR_NOT_FOUND);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
}

static void test_open_errors(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m, *editable;
    assert_ok(efc_model_default(&m, NULL, err), err);
    assert_ok(efc_model_create(&editable, NULL, err), err);
    efc_survey *s = (efc_survey *)1;
    assert_status(efc_survey_open_buffer(&s, editable, "id\n", 3, "x", NULL, NULL, err),
                  EFC_ERR_STATE, err);
    assert_null(s);
    assert_status(efc_survey_open_path(&s, m, "/no/such.csv", NULL, NULL, err), EFC_ERR_IO, err);
    assert_status(efc_survey_open_buffer(&s, m, "", 0, "e.csv", NULL, NULL, err), EFC_ERR_SURVEY,
                  err);
    assert_string_equal(efc_error_text(err), "e.csv: empty survey: no header row");
    assert_status(efc_survey_open_buffer(&s, m, "id,x\n", 5, "h.csv", NULL, NULL, err),
                  EFC_ERR_SURVEY, err);
    assert_int_equal(efc_error_line(err), 1);
    efc_batch *b;
    assert_ok(efc_survey_open_buffer(&s, m, "id,soc_needs\n", 13, "h.csv", NULL, NULL, err), err);
    assert_status(efc_batch_create(&b, s, 0, NULL, err), EFC_ERR_ARGUMENT, err);
    efc_survey_free(s);
    efc_model_free(editable);
    efc_model_free(m);
    efc_error_free(err);
}

/* Combined rows count the values clamped in the rows they combine. */
static void test_combined_clamping(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    const char *text = "id,soc_needs,soc_access\na,9,2\na,-1,7\nb,1,1\n";
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_combine(o, EFC_COMBINE_MEAN, err), err);
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, text, strlen(text), "c.csv", o, NULL, err), err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 8, NULL, err), err);
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 2);
    assert_int_equal(efc_batch_clamped_count(b), 3);
    assert_int_equal(efc_survey_clamped_count(s), 3);
    /* (4 + 0) / 2 = 2 and (2 + 4) / 2 = 3 after clamping each answer */
    assert_same_bits(efc_batch_values(b)[0], 2.0);
    assert_same_bits(efc_batch_values(b)[1], 3.0);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
}

/* Rows of empty fields are skipped like blank lines, and counted apart. */
static void test_empty_rows(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    const char *text = "id;soc_needs\n;\na;1\n  ;\"\"\nb;2\n;\n";
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, text, strlen(text), "e.csv", NULL, NULL, err), err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 8, NULL, err), err);
    assert_ok(efc_survey_read(b, s, err), err);
    assert_int_equal(efc_batch_rows(b), 2);
    assert_int_equal(efc_batch_line(b, 1), 5);
    assert_int_equal(efc_survey_rows_read(s), 2);
    assert_int_equal(efc_survey_rows_empty(s), 3);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_model_free(m);
    efc_error_free(err);
}

/* Whatever the batch size (512 takes units whole, others copy) and the
 * number of threads, the same rows and scores come out in the same order. */
static void test_batch_sizes_agree(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m = load(TEST_DATA_DIR "/bfi/bfi-codebook.csv");
    size_t N = efc_model_node_count(m);
    double *first = NULL;
    char(*ids)[16] = malloc(2800 * sizeof *ids);
    size_t caps[] = {512, 1000, 7, 4096, 2048};
    for (int k = 0; k < 10; k++) {
        efc_survey_options *o;
        assert_ok(efc_survey_options_create(&o, NULL, err), err);
        assert_ok(efc_survey_options_set_threads(o, k % 2 ? 2 : 1, err), err);
        efc_survey *s;
        assert_ok(efc_survey_open_path(&s, m, TEST_DATA_DIR "/bfi/bfi.csv", o, NULL, err), err);
        efc_batch *b;
        assert_ok(efc_batch_create(&b, s, caps[k / 2], NULL, err), err);
        double *all = malloc(2800 * N * sizeof *all);
        size_t rows = 0;
        for (;;) {
            assert_ok(efc_survey_read(b, s, err), err);
            size_t n = efc_batch_rows(b);
            if (n == 0)
                break;
            assert_true(n <= caps[k / 2]);
            memcpy(all + rows * N, efc_batch_scores(b), n * N * sizeof *all);
            for (size_t r = 0; r < n; r++) {
                if (!first)
                    snprintf(ids[rows + r], sizeof ids[0], "%s", efc_batch_id(b, r));
                else
                    assert_string_equal(efc_batch_id(b, r), ids[rows + r]);
            }
            rows += n;
        }
        assert_int_equal(rows, 2800);
        if (!first)
            first = all;
        else {
            assert_memory_equal(all, first, 2800 * N * sizeof *all);
            free(all);
        }
        efc_batch_free(b);
        efc_survey_free(s);
        efc_survey_options_free(o);
    }
    free(first);
    free(ids);
    efc_model_free(m);
    efc_error_free(err);
}

/* Every allocation failure while opening and reading leaves no leak. */
/* A counting allocator safe to call from the reader thread too. */
typedef struct locked_alloc {
    pthread_mutex_t lock;
    counting_alloc c;
} locked_alloc;

static void *la_malloc(size_t size, void *ctx)
{
    locked_alloc *l = ctx;
    pthread_mutex_lock(&l->lock);
    void *p = ca_malloc(size, &l->c);
    pthread_mutex_unlock(&l->lock);
    return p;
}

static void *la_realloc(void *ptr, size_t size, void *ctx)
{
    locked_alloc *l = ctx;
    pthread_mutex_lock(&l->lock);
    void *p = ca_realloc(ptr, size, &l->c);
    pthread_mutex_unlock(&l->lock);
    return p;
}

static void la_free(void *ptr, void *ctx)
{
    locked_alloc *l = ctx;
    pthread_mutex_lock(&l->lock);
    ca_free(ptr, &l->c);
    pthread_mutex_unlock(&l->lock);
}

/* Every allocation failure while opening and reading, with and without a
 * reader thread, ends the read with EFC_ERR_NOMEM and leaves no leak. With
 * a reader thread which allocation is the N-th depends on timing, so every
 * N up to the count of a full run is tried. */
static void test_allocation_failures(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    const char *text = "id,period,sector,soc_needs,soc_access\n"
                       "a,2024,food,1,2\nb,2024,food,x,2\na,2024,farm,3,4\nc,2023,farm,3,3\n"
                       "\"d\",2024,\"farm\",\"2.5\",1\n";
    for (unsigned threads = 1; threads <= 2; threads++) {
        for (int combine = 0; combine < 3; combine++) {
            long n = 1;
            int successes = 0;
            for (;; n++) {
                locked_alloc la = {PTHREAD_MUTEX_INITIALIZER, {0, n, 0, 0}};
                efc_allocator a = {la_malloc, la_realloc, la_free, &la};
                efc_survey_options *o = NULL;
                efc_survey *s = NULL;
                efc_batch *b = NULL;
                efc_status st = efc_survey_options_create(&o, &a, err);
                if (!st)
                    st = efc_survey_options_set_on_error(o, EFC_ON_ERROR_SKIP, err);
                if (!st)
                    st = efc_survey_options_add_group_column(o, "sector", err);
                if (!st)
                    st = efc_survey_options_set_combine(o, (efc_combine)combine, err);
                if (!st)
                    st = efc_survey_options_set_threads(o, threads, err);
                if (!st)
                    st = efc_survey_open_buffer(&s, m, text, strlen(text), "t", o, &a, err);
                if (!st)
                    st = efc_batch_create(&b, s, 2, &a, err);
                while (!st) {
                    st = efc_survey_read(b, s, err);
                    if (!st && efc_batch_rows(b) + efc_batch_rejected_count(b) == 0)
                        break;
                }
                efc_batch_free(b);
                efc_survey_free(s);
                efc_survey_options_free(o);
                if (la.c.live != 0)
                    fail_msg("threads %u, combine %d: %ld blocks leaked when allocation %ld "
                             "failed",
                             threads, combine, la.c.live, n);
                if (!la.c.failed) {
                    assert_ok(st, err);
                    /* past every allocation of a full run, give or take the
                     * few whose number depends on the reader's timing */
                    if (++successes == 8)
                        break;
                    continue;
                }
                successes = 0;
                if (st != EFC_ERR_NOMEM)
                    fail_msg("threads %u, combine %d, allocation %ld failed: got %s", threads,
                             combine, n, st ? efc_error_text(err) : "success");
            }
            assert_true(n > 10);
        }
    }
    efc_model_free(m);
    efc_error_free(err);
}

/* Rows far longer than the blocks in which files are read (64 KiB) and
 * than a batch of parsed text: every row comes back whole, from a file or
 * from memory, with one thread or two. */
static void test_wide_rows(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    size_t cols = 60000, cap = 64 + cols * 20;
    char *text = malloc(cap * 4);
    size_t n = (size_t)snprintf(text, cap, "id,soc_needs");
    for (size_t c = 0; c < cols; c++)
        n += (size_t)snprintf(text + n, cap * 4 - n, ",extra%zu", c);
    text[n++] = '\n';
    for (int r = 0; r < 4; r++) {
        n += (size_t)snprintf(text + n, cap * 4 - n, "row%d,%d", r, r);
        for (size_t c = 0; c < cols; c++)
            n += (size_t)snprintf(text + n, cap * 4 - n, ",abcd");
        text[n++] = '\n';
    }
    char path[] = "/tmp/efc-test-wide-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    for (int mode = 0; mode < 4; mode++) {
        efc_survey_options *o;
        assert_ok(efc_survey_options_create(&o, NULL, err), err);
        assert_ok(efc_survey_options_set_threads(o, mode % 2 ? 2 : 1, err), err);
        efc_survey *s;
        if (mode < 2)
            assert_ok(efc_survey_open_path(&s, m, path, o, NULL, err), err);
        else
            assert_ok(efc_survey_open_buffer(&s, m, text, n, "wide", o, NULL, err), err);
        assert_int_equal(efc_survey_ignored_column_count(s), cols);
        efc_batch *b;
        assert_ok(efc_batch_create(&b, s, 3, NULL, err), err);
        size_t rows = 0;
        for (;;) {
            assert_ok(efc_survey_read(b, s, err), err);
            if (efc_batch_rows(b) == 0)
                break;
            for (size_t r = 0; r < efc_batch_rows(b); r++, rows++) {
                char id[16];
                snprintf(id, sizeof id, "row%zu", rows);
                assert_string_equal(efc_batch_id(b, r), id);
                assert_same_bits(efc_batch_values(b)[r * efc_model_leaf_count(m)], (double)rows);
            }
        }
        assert_int_equal(rows, 4);
        efc_batch_free(b);
        efc_survey_free(s);
        efc_survey_options_free(o);
    }
    remove(path);
    free(text);
    efc_model_free(m);
    efc_error_free(err);
}

/* Allocations do not grow with the rows: reading four times more rows of
 * the same mix (fast-path lines, decimals, quoted lines, rejected rows)
 * takes the same number of allocator calls. */
static long allocations_for(const efc_model *m, size_t rows, unsigned threads, size_t cap)
{
    static const char *const lines[] = {
        "a,2024,1,2,3,4,0\n", "b,2023,4,3,2.5,1,0\n", "\"c\",\"2024\",\"1\",\"2\",3,4,0\n",
        "d,2022,1,x,3,4,0\n", "e,2024, 2 ,3,,1,4\n",  "f,2024,9,2,3,4,0\n"};
    size_t cap_text = 64 + rows * 32, len = 0;
    char *text = malloc(cap_text);
    len += (size_t)sprintf(text, "id,period,soc_needs,soc_access,soc_health,soc_work,soc_links\n");
    for (size_t r = 0; r < rows; r++)
        len += (size_t)sprintf(text + len, "%s", lines[r % 6]);
    locked_alloc la = {PTHREAD_MUTEX_INITIALIZER, {0, 0, 0, 0}};
    efc_allocator a = {la_malloc, la_realloc, la_free, &la};
    efc_error *err = new_error();
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, &a, err), err);
    assert_ok(efc_survey_options_set_on_error(o, EFC_ON_ERROR_SKIP, err), err);
    assert_ok(efc_survey_options_set_threads(o, threads, err), err);
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, text, len, "mix.csv", o, &a, err), err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, cap, &a, err), err);
    size_t got = 0, rejected = 0;
    for (;;) {
        assert_ok(efc_survey_read(b, s, err), err);
        if (efc_batch_rows(b) == 0 && efc_batch_rejected_count(b) == 0)
            break;
        got += efc_batch_rows(b);
        rejected += efc_batch_rejected_count(b);
    }
    assert_int_equal(got + rejected, rows);
    assert_int_equal(rejected, rows / 6 + (rows % 6 > 3));
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_error_free(err);
    free(text);
    assert_int_equal(la.c.live, 0);
    return la.c.calls;
}

static void test_no_allocation_per_row(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    for (unsigned threads = 1; threads <= 2; threads++) {
        size_t caps[] = {512, 100};
        for (int c = 0; c < 2; c++) {
            /* One thread: exactly as many calls. With a reader thread, the
             * buffers of its four units reach their working size at a pace
             * that depends on timing (differences of up to 40 calls seen),
             * far from the 90,000 more rows (176 more batches) of the
             * second run. */
            long few = allocations_for(m, 30000, threads, caps[c]);
            long many = allocations_for(m, 120000, threads, caps[c]);
            if (threads == 1 ? many != few : many > few + 128)
                fail_msg("threads %u, batches of %zu: %ld allocator calls for 30,000 rows, %ld "
                         "for 120,000",
                         threads, caps[c], few, many);
        }
    }
    efc_model_free(m);
    efc_error_free(err);
}

/* One answer read as the reader reads its field (efc_answer_parse): blanks,
 * no-answer tokens, a decimal comma, and with labels the texts of a leaf's
 * levels, exact, but for their case, in a translation. */
static void test_answer_parse(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(load_text(&m,
                        "id,parent,min,max,aggregate,levels,levels_fr\n"
                        "g,,,,mean,,\n"
                        "x,g,1,3,,1=Disagree|2=Neutral|3=\xc3\x89lev\xc3\xa9,"
                        "1=Pas d'accord|2=Neutre|3=Haut\n"
                        "y,g,0,1,,,\n",
                        err),
              err);
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    double v = 0;
    assert_ok(efc_answer_parse(&v, m, 0, " 2.5 ", NULL, err), err);
    assert_true(v == 2.5);
    assert_ok(efc_answer_parse(&v, m, 0, "", o, err), err);
    assert_true(isnan(v));
    assert_status(efc_answer_parse(&v, m, 0, "2,5", o, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_NOT_A_NUMBER);
    assert_string_equal(efc_error_column_name(err), "x");
    assert_ok(efc_survey_options_set_decimal_comma(o, 1, err), err);
    assert_ok(efc_survey_options_add_na_token(o, "NA", err), err);
    assert_ok(efc_answer_parse(&v, m, 0, "2,5", o, err), err);
    assert_true(v == 2.5);
    assert_ok(efc_answer_parse(&v, m, 0, " NA", o, err), err);
    assert_true(isnan(v));
    /* level texts only with labels */
    assert_status(efc_answer_parse(&v, m, 0, "Neutral", o, err), EFC_ERR_VALUE, err);
    assert_non_null(strstr(efc_error_message(err), "labels"));
    assert_ok(efc_survey_options_set_labels(o, 1, err), err);
    assert_ok(efc_answer_parse(&v, m, 0, "Neutral", o, err), err);
    assert_true(v == 2);
    assert_ok(efc_answer_parse(&v, m, 0, "nEUTRAL", o, err), err);
    assert_true(v == 2);
    assert_ok(efc_answer_parse(&v, m, 0, "\xc3\xa9LEV\xc3\x89", o, err), err); /* Latin-1 case */
    assert_true(v == 3);
    assert_ok(efc_answer_parse(&v, m, 0, "pas d'accord", o, err), err); /* a translation */
    assert_true(v == 1);
    assert_ok(efc_answer_parse(&v, m, 0, "3", o, err), err); /* numbers first */
    assert_true(v == 3);
    v = 7;
    assert_status(efc_answer_parse(&v, m, 0, "Neutr", o, err), EFC_ERR_VALUE, err);
    assert_true(v == 7); /* nothing stored on error */
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_NAME);
    assert_string_equal(efc_error_message(err),
                        "'Neutr' is not a number nor a level of 'x': 'Disagree' (1), "
                        "'Neutral' (2), '\xc3\x89lev\xc3\xa9' (3)");
    assert_status(efc_answer_parse(&v, m, 1, "high", o, err), EFC_ERR_VALUE, err);
    assert_non_null(strstr(efc_error_message(err), "has no levels"));
    assert_status(efc_answer_parse(&v, m, 2, "1", o, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_answer_parse(NULL, m, 0, "1", o, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_answer_parse(&v, m, 0, NULL, o, err), EFC_ERR_ARGUMENT, err);
    assert_status(efc_survey_options_set_labels(NULL, 1, err), EFC_ERR_ARGUMENT, err);
    /* the reader follows the same rule, and its options are copied */
    static const char data[] = "id;x;y\na;neutral;1\nb;Neutr;1\n";
    efc_survey *s;
    assert_ok(efc_survey_open_buffer(&s, m, data, sizeof data - 1, "l.csv", o, NULL, err), err);
    efc_survey_options_free(o);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 8, NULL, err), err);
    assert_status(efc_survey_read(b, s, err), EFC_ERR_VALUE, err);
    assert_int_equal(efc_error_reason(err), EFC_REASON_UNKNOWN_NAME);
    assert_int_equal(efc_error_line(err), 3);
    assert_int_equal(efc_error_column(err), 2);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_model_free(m);
    /* two levels but for their case: exact texts only */
    assert_ok(load_text(&m, "id,parent,min,max,levels\ng,,,,\nx,g,1,2,1=agree|2=Agree\n", err),
              err);
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_labels(o, 1, err), err);
    assert_ok(efc_answer_parse(&v, m, 0, "Agree", o, err), err);
    assert_true(v == 2);
    assert_status(efc_answer_parse(&v, m, 0, "AGREE", o, err), EFC_ERR_VALUE, err);
    assert_string_equal(efc_error_message(err),
                        "'AGREE' names several levels of 'x' but for their case: write it exactly");
    efc_survey_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psych_reference),
        cmocka_unit_test(test_batches_and_rejects),
        cmocka_unit_test(test_fail_mode),
        cmocka_unit_test(test_dates_and_options),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_wide_rows),
        cmocka_unit_test(test_combined_clamping),
        cmocka_unit_test(test_empty_rows),
        cmocka_unit_test(test_batch_sizes_agree),
        cmocka_unit_test(test_no_allocation_per_row),
        cmocka_unit_test(test_answer_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
