/* Shared helpers for the cmocka suites. */
#ifndef EFC_TEST_HELPERS_H
#define EFC_TEST_HELPERS_H

#include <efc/efc.h>
#include <math.h>
#include <setjmp.h> /* cmocka.h needs it first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* |a - b| <= tol, printing both values when not. */
#define assert_close(a, b, tol)                                                                    \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (tol)))                                                             \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, a_, b_, (double)(tol));      \
    } while (0)

/* Bitwise equality of doubles (NaN equals NaN). */
#define assert_same_bits(a, b)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (memcmp(&a_, &b_, sizeof a_) != 0 && !(isnan(a_) && isnan(b_)))                         \
            fail_msg("%s = %.17g, expected exactly %.17g", #a, a_, b_);                            \
    } while (0)

#define assert_status(call, expected, err)                                                         \
    do {                                                                                           \
        efc_status s_ = (call);                                                                    \
        if (s_ != (expected))                                                                      \
            fail_msg("%s returned %d (%s), expected %d: %s", #call, (int)s_, efc_strerror(s_),     \
                     (int)(expected), efc_error_text(err));                                        \
    } while (0)

#define assert_ok(call, err) assert_status(call, EFC_OK, err)

static inline efc_error *new_error(void)
{
    efc_error *e = NULL;
    if (efc_error_create(&e, NULL) != EFC_OK)
        fail_msg("cannot create an error object");
    return e;
}

/* Load a codebook held in a string, named "cb.csv". */
static inline efc_status load_text(efc_model **m, const char *csv, efc_error *err)
{
    return efc_model_load_buffer(m, csv, strlen(csv), "cb.csv", NULL, err);
}

/* A model from a codebook in a string, which must load. */
static inline efc_model *model_of(const char *csv)
{
    efc_error *e = new_error();
    efc_model *m = NULL;
    assert_ok(load_text(&m, csv, e), e);
    efc_error_free(e);
    return m;
}

#ifdef EFC_EXPERIMENTAL
/* A table of data in a string, named "data.csv", read for model m. */
static inline efc_table *table_of(const efc_model *m, const char *csv)
{
    efc_error *e = new_error();
    efc_table *t = NULL;
    assert_ok(efc_table_read_buffer(&t, m, csv, strlen(csv), "data.csv", NULL, NULL, e), e);
    efc_error_free(e);
    return t;
}
#endif

/* An allocator that counts live blocks and fails the n-th allocation
 * (1-based; 0 never fails). */
typedef struct counting_alloc {
    long calls;
    long fail_at;
    long live;
    int failed;
} counting_alloc;

static inline void *ca_malloc(size_t size, void *ctx)
{
    counting_alloc *c = ctx;
    if (++c->calls == c->fail_at) {
        c->failed = 1;
        return NULL;
    }
    void *p = malloc(size);
    if (p)
        c->live++;
    return p;
}

static inline void *ca_realloc(void *ptr, size_t size, void *ctx)
{
    counting_alloc *c = ctx;
    if (++c->calls == c->fail_at) {
        c->failed = 1;
        return NULL;
    }
    return realloc(ptr, size);
}

static inline void ca_free(void *ptr, void *ctx)
{
    counting_alloc *c = ctx;
    c->live--;
    free(ptr);
}

static inline efc_allocator counting_allocator(counting_alloc *c)
{
    efc_allocator a = {ca_malloc, ca_realloc, ca_free, c};
    return a;
}

/* Read a whole file into a malloc'd NUL-terminated buffer. */
static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Split one line of a test data file into at most `max` fields, in place:
 * fields may be quoted (with doubled quotes inside); no newline inside. */
static inline int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            fields[n++] = ++p;
            char *w = p;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *w++ = *p++;
            }
            if (*p)
                p++; /* past the closing quote, before w ends the field */
            *w = '\0';
        } else {
            fields[n++] = p;
            while (*p && *p != ',' && *p != '\n')
                p++;
        }
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

/* The panel analyses with their options filled from plain values (the
 * tests of the options themselves call them directly). */
static inline efc_status make_ranking(efc_ranking **out, const efc_panel *p, size_t node,
                                      const char *period, const efc_allocator *alloc,
                                      efc_error *err)
{
    efc_ranking_options *o = NULL;
    efc_status st = efc_ranking_options_create(&o, p ? efc_panel_model(p) : NULL, alloc, err);
    if (st == EFC_ERR_ARGUMENT && !p) /* the analysis says what is missing */
        return efc_ranking_create(out, p, NULL, alloc, err);
    if (!st)
        st = efc_ranking_options_set_node(o, node, err);
    if (!st)
        st = efc_ranking_options_set_period(o, period, err);
    if (!st)
        st = efc_ranking_create(out, p, o, alloc, err);
    efc_ranking_options_free(o);
    return st;
}

static inline efc_status make_trajectories(efc_trajectories **out, const efc_panel *p,
                                           double tolerance, const efc_allocator *alloc,
                                           efc_error *err)
{
    efc_trajectory_options *o = NULL;
    efc_status st = efc_trajectory_options_create(&o, alloc, err);
    if (!st)
        st = efc_trajectory_options_set_tolerance(o, tolerance, err);
    if (!st)
        st = efc_trajectories_create(out, p, o, alloc, err);
    efc_trajectory_options_free(o);
    return st;
}

static inline efc_status make_comparison(efc_comparison **out, const efc_panel *p, size_t a,
                                         size_t b, size_t node, const efc_allocator *alloc,
                                         efc_error *err)
{
    efc_comparison_options *o = NULL;
    efc_status st = efc_comparison_options_create(&o, p ? efc_panel_model(p) : NULL, alloc, err);
    if (st == EFC_ERR_ARGUMENT && !p)
        return efc_comparison_create(out, p, a, b, NULL, alloc, err);
    if (!st)
        st = efc_comparison_options_set_node(o, node, err);
    if (!st)
        st = efc_comparison_create(out, p, a, b, o, alloc, err);
    efc_comparison_options_free(o);
    return st;
}

#ifdef TEST_DATA_DIR
/* UNDP's HDI panel (tests/data/hdi) scored with its codebook through the
 * survey reader: 206 countries and aggregates, 1990-2022. */
static inline efc_panel *hdi_read_panel(efc_model **m, efc_error *err)
{
    assert_ok(efc_model_load_path(m, TEST_DATA_DIR "/hdi/hdi.csv", NULL, err), err);
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_set_id_column(o, "iso3", err), err);
    assert_ok(efc_survey_options_set_period_column(o, "year", err), err);
    efc_survey *s;
    assert_ok(efc_survey_open_path(&s, *m, TEST_DATA_DIR "/hdi/hdi_panel.csv", o, NULL, err), err);
    efc_panel *p;
    assert_ok(efc_panel_create_for_survey(&p, s, NULL, err), err);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 512, NULL, err), err);
    for (;;) {
        assert_ok(efc_survey_read(b, s, err), err);
        if (efc_batch_rows(b) == 0)
            break;
        assert_ok(efc_panel_add_batch(p, b, err), err);
    }
    assert_ok(efc_panel_finalize(p, err), err);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    return p;
}
#endif

#endif
