/* Bulk reads (docs/c-api.md, "Bulk reads"): every efc_*_fill* call gives,
 * element by element, the bits of its per-element getter on a real case
 * (the example survey, scored with the default model), refuses a buffer too
 * small for its table without writing anything, and reports NULL
 * arguments, unknown selectors and unready objects. */
#include "helpers.h"

#define SURVEY TEST_DATA_DIR "/../../examples/data/survey.csv"

/* What no fill writes: a buffer still full of it was left untouched. */
#define SENTINEL -12345.0

typedef struct fixture {
    efc_model *model;
    efc_panel *panel;
    efc_quality *quality;
    efc_error *err;
    size_t actors, nodes, leaves;
} fixture;

static void setup(fixture *f)
{
    efc_error *err = f->err = new_error();
    assert_ok(efc_model_default(&f->model, NULL, err), err);
    efc_survey_options *o;
    assert_ok(efc_survey_options_create(&o, NULL, err), err);
    assert_ok(efc_survey_options_add_group_column(o, "sector", err), err);
    assert_ok(efc_survey_options_add_group_column(o, "size", err), err);
    efc_survey *s;
    assert_ok(efc_survey_open_path(&s, f->model, SURVEY, o, NULL, err), err);
    efc_survey_options_free(o);
    efc_batch *b;
    assert_ok(efc_batch_create(&b, s, 64, NULL, err), err);
    assert_ok(efc_panel_create_for_survey(&f->panel, s, NULL, err), err);
    assert_ok(efc_quality_create(&f->quality, f->model, NULL, NULL, err), err);
    for (;;) {
        assert_ok(efc_survey_read(b, s, err), err);
        if (!efc_batch_rows(b) && !efc_batch_rejected_count(b))
            break;
        assert_ok(efc_panel_add_batch(f->panel, b, err), err);
        assert_ok(efc_quality_add_batch(f->quality, b, err), err);
    }
    efc_batch_free(b);
    efc_survey_free(s);
    assert_ok(efc_panel_finalize(f->panel, err), err);
    assert_ok(efc_quality_finalize(f->quality, err), err);
    f->actors = efc_panel_actor_count(f->panel);
    f->nodes = efc_model_node_count(f->model);
    f->leaves = efc_model_leaf_count(f->model);
    /* a real case: several actors, groups of both columns, scales */
    assert_true(f->actors >= 4);
    assert_true(efc_quality_scale_count(f->quality) >= 2);
}

static void teardown(fixture *f)
{
    efc_quality_free(f->quality);
    efc_panel_free(f->panel);
    efc_model_free(f->model);
    efc_error_free(f->err);
}

static double *sentinels(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        p[i] = SENTINEL;
    return p;
}

static void assert_untouched(const double *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&p[i], &(double){SENTINEL}, sizeof(double)) != 0)
            fail_msg("element %zu written by a failed fill: %.17g", i, p[i]);
}

/* The message of a too-small buffer says how many elements it needed. */
static void assert_needs(const efc_error *err, size_t needed)
{
    char want[64];
    snprintf(want, sizeof want, "%zu needed", needed);
    if (!strstr(efc_error_message(err), want))
        fail_msg("'%s' does not say '%s'", efc_error_message(err), want);
}

/* ---- trajectories ---- */

static void test_trajectories(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, f.panel, 0.01, NULL, f.err), f.err);
    size_t n = f.actors * f.nodes;
    double *c = sentinels(n), *fo = sentinels(n);
    for (int m = EFC_TRAJECTORY_N; m <= EFC_TRAJECTORY_LAST_PERIOD; m++) {
        /* C order (actors x nodes) and Fortran order */
        assert_ok(efc_trajectories_fill(c, n, (ptrdiff_t)f.nodes, 1, t, m, f.err), f.err);
        assert_ok(efc_trajectories_fill(fo, n, 1, (ptrdiff_t)f.actors, t, m, f.err), f.err);
        for (size_t a = 0; a < f.actors; a++)
            for (size_t k = 0; k < f.nodes; k++) {
                double v = efc_trajectories_value(t, a, k, m);
                assert_same_bits(c[a * f.nodes + k], v);
                assert_same_bits(fo[k * f.actors + a], v);
            }
    }
    /* one element short, in either order: refused, nothing written */
    double *small = sentinels(n);
    assert_status(
        efc_trajectories_fill(small, n - 1, (ptrdiff_t)f.nodes, 1, t, EFC_TRAJECTORY_SLOPE, f.err),
        EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, n);
    assert_status(
        efc_trajectories_fill(small, n - 1, 1, (ptrdiff_t)f.actors, t, EFC_TRAJECTORY_N, f.err),
        EFC_ERR_ARGUMENT, f.err);
    /* a stride reaching before the buffer, strides that overflow */
    assert_status(efc_trajectories_fill(small + n - 1, n, -(ptrdiff_t)f.nodes, -1, t,
                                        EFC_TRAJECTORY_N, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "before out"));
    assert_status(efc_trajectories_fill(small, n, PTRDIFF_MAX / 2, 1, t, EFC_TRAJECTORY_N, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "overflow"));
    assert_untouched(small, n);
    /* NULL arguments, unknown metric */
    assert_status(efc_trajectories_fill(NULL, n, (ptrdiff_t)f.nodes, 1, t, EFC_TRAJECTORY_N, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "out is NULL"));
    assert_status(
        efc_trajectories_fill(small, n, (ptrdiff_t)f.nodes, 1, NULL, EFC_TRAJECTORY_N, f.err),
        EFC_ERR_ARGUMENT, f.err);
    assert_status(
        efc_trajectories_fill(small, n, (ptrdiff_t)f.nodes, 1, t, (efc_trajectory_metric)99, f.err),
        EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "unknown metric 99"));
    assert_status(
        efc_trajectories_fill(small, n, (ptrdiff_t)f.nodes, 1, t, (efc_trajectory_metric)-1, NULL),
        EFC_ERR_ARGUMENT, f.err); /* err may be NULL */
    assert_untouched(small, n);
    free(small);
    free(c);
    free(fo);
    efc_trajectories_free(t);
    teardown(&f);
}

/* ---- comparisons ---- */

static void test_comparison(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    efc_comparison *c;
    assert_ok(make_comparison(&c, f.panel, 0, 1, EFC_NO_NODE, NULL, f.err), f.err);
    double *out = sentinels(2 * f.nodes);
    for (int m = EFC_COMPARISON_CHANGE_A; m <= EFC_COMPARISON_AREA; m++) {
        /* every other element: the stride is honoured */
        assert_ok(efc_comparison_fill(out, 2 * f.nodes, 2, c, m, f.err), f.err);
        for (size_t k = 0; k < f.nodes; k++) {
            assert_same_bits(out[2 * k], efc_comparison_value(c, k, m));
            assert_same_bits(out[2 * k + 1], SENTINEL);
        }
    }
    double *small = sentinels(f.nodes);
    assert_status(efc_comparison_fill(small, f.nodes, 2, c, EFC_COMPARISON_AREA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, 2 * f.nodes - 1);
    assert_status(efc_comparison_fill(small, f.nodes - 1, 1, c, EFC_COMPARISON_AREA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, f.nodes);
    assert_status(efc_comparison_fill(NULL, f.nodes, 1, c, EFC_COMPARISON_AREA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_comparison_fill(small, f.nodes, 1, NULL, EFC_COMPARISON_AREA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_comparison_fill(small, f.nodes, 1, c, (efc_comparison_metric)7, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_untouched(small, f.nodes);
    free(small);
    free(out);
    efc_comparison_free(c);
    teardown(&f);
}

/* ---- ranks ---- */

static void test_ranking(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    size_t columns[] = {EFC_NONE, 0, 1};
    double *out = sentinels(f.actors);
    size_t unranked = 0;
    /* each actor's latest assessment, and the first period (no change yet) */
    const char *periods[] = {NULL, efc_panel_period(f.panel, 0, 0)};
    for (size_t pi = 0; pi < 2; pi++) {
        efc_ranking *r;
        assert_ok(make_ranking(&r, f.panel, EFC_NO_NODE, periods[pi], NULL, f.err), f.err);
        for (size_t gi = 0; gi < 3; gi++)
            for (int m = EFC_RANK_SCORE; m <= EFC_RANK_CHANGE_PEERS; m++) {
                assert_ok(efc_ranking_fill(out, f.actors, 1, r, columns[gi], m, f.err), f.err);
                for (size_t a = 0; a < f.actors; a++) {
                    assert_same_bits(out[a], efc_ranking_value(r, a, columns[gi], m));
                    unranked += isnan(out[a]);
                }
            }
        efc_ranking_free(r);
    }
    assert_true(unranked > 0); /* the changes at the first period: NaN */
    efc_ranking *r;
    assert_ok(make_ranking(&r, f.panel, EFC_NO_NODE, NULL, NULL, f.err), f.err);
    /* groups x nodes, for all actors and each column */
    for (size_t gi = 0; gi < 3; gi++) {
        size_t g = columns[gi], ng = efc_ranking_group_count(r, g);
        assert_true(ng >= 1);
        double *t = sentinels(ng * f.nodes);
        for (int s = EFC_GROUP_COUNT; s <= EFC_GROUP_MEAN; s++) {
            assert_ok(efc_ranking_fill_groups(t, ng * f.nodes, 1, (ptrdiff_t)ng, r, g, s, f.err),
                      f.err);
            for (size_t j = 0; j < ng; j++)
                for (size_t k = 0; k < f.nodes; k++)
                    assert_same_bits(t[k * ng + j], efc_ranking_group_value(r, g, j, k, s));
        }
        double *small = sentinels(ng * f.nodes);
        assert_status(efc_ranking_fill_groups(small, ng * f.nodes - 1, (ptrdiff_t)f.nodes, 1, r, g,
                                              EFC_GROUP_MEDIAN, f.err),
                      EFC_ERR_ARGUMENT, f.err);
        assert_needs(f.err, ng * f.nodes);
        assert_untouched(small, ng * f.nodes);
        free(small);
        free(t);
    }
    double *small = sentinels(f.actors);
    assert_status(efc_ranking_fill(small, f.actors - 1, 1, r, EFC_NONE, EFC_RANK_RANK, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, f.actors);
    assert_status(efc_ranking_fill(small, f.actors, 1, r, 2, EFC_RANK_RANK, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "no grouping column 2"));
    assert_status(efc_ranking_fill(small, f.actors, 1, r, 0, (efc_rank_metric)8, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_ranking_fill(small, f.actors, 1, NULL, 0, EFC_RANK_RANK, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_ranking_fill(NULL, f.actors, 1, r, 0, EFC_RANK_RANK, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_ranking_fill_groups(small, f.actors, 1, 1, r, 5, EFC_GROUP_MEAN, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_ranking_fill_groups(small, f.actors, 1, 1, r, 0, (efc_group_metric)7, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_ranking_fill_groups(small, f.actors, 1, 1, NULL, 0, EFC_GROUP_MEAN, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_ranking_fill_groups(NULL, f.actors, 1, 1, r, 0, EFC_GROUP_MEAN, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_untouched(small, f.actors);
    free(small);
    free(out);
    efc_ranking_free(r);
    teardown(&f);
}

/* An empty panel: every table is empty, and NULL with capacity 0 is fine. */
static void test_empty_tables(void **state)
{
    (void)state;
    efc_error *err = new_error();
    efc_model *m;
    assert_ok(efc_model_default(&m, NULL, err), err);
    efc_panel *p;
    assert_ok(efc_panel_create(&p, m, NULL, err), err);
    assert_ok(efc_panel_finalize(p, err), err);
    efc_trajectories *t;
    assert_ok(make_trajectories(&t, p, 0.01, NULL, err), err);
    assert_ok(efc_trajectories_fill(NULL, 0, 0, 0, t, EFC_TRAJECTORY_N, err), err);
    efc_ranking *r;
    assert_ok(make_ranking(&r, p, EFC_NO_NODE, NULL, NULL, err), err);
    assert_ok(efc_ranking_fill(NULL, 0, 1, r, EFC_NONE, EFC_RANK_RANK, err), err);
    assert_ok(efc_ranking_fill_groups(NULL, 0, 1, 1, r, EFC_NONE, EFC_GROUP_MEAN, err), err);
    efc_ranking_free(r);
    efc_trajectories_free(t);
    efc_panel_free(p);
    /* a model whose items are never answered: NaN, and leaves without levels */
    efc_model *flat;
    assert_ok(load_text(&flat,
                        "id,parent,weight,min,max,direction,transform,aggregate\n"
                        "r,,1,,,,,mean\na,r,1,0,1,+,none,\ng,r,1,,,,,mean\nb,g,1,0,1,+,none,\n"
                        "h,g,1,,,,,mean\nc,h,1,0,1,+,none,\n",
                        err),
              err);
    efc_quality *q;
    assert_ok(efc_quality_create(&q, flat, NULL, NULL, err), err);
    assert_ok(efc_quality_finalize(q, err), err);
    double v[3];
    assert_ok(efc_quality_fill_items(v, 3, 1, q, EFC_ITEM_MISSING_SHARE, err), err);
    for (size_t j = 0; j < 3; j++)
        assert_true(isnan(v[j]));                                          /* no rows */
    assert_ok(efc_quality_fill_level_answers(NULL, 0, 1, q, 0, err), err); /* no levels */
    efc_quality_free(q);
    efc_model_free(flat);
    efc_model_free(m);
    efc_error_free(err);
}

/* ---- survey quality ---- */

static void test_quality(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    const efc_quality *q = f.quality;
    size_t ns = efc_quality_scale_count(q);
    double *out = sentinels(f.leaves);
    for (int st = EFC_SCALE_ITEMS; st <= EFC_SCALE_SCOREITEMS_ASE; st++) {
        assert_ok(efc_quality_fill_scales(out, ns, 1, q, st, f.err), f.err);
        for (size_t s = 0; s < ns; s++)
            assert_same_bits(out[s], efc_quality_scale_value(q, s, st));
    }
    for (size_t s = 0; s < ns; s++) {
        size_t ni = efc_quality_scale_item_count(q, s);
        for (int st = EFC_SCALE_ITEM_N; st <= EFC_SCALE_ITEM_SIGN; st++) {
            assert_ok(efc_quality_fill_scale_items(out, ni, 1, q, s, st, f.err), f.err);
            for (size_t i = 0; i < ni; i++)
                assert_same_bits(out[i], efc_quality_scale_item_value(q, s, i, st));
        }
        assert_status(
            efc_quality_fill_scale_items(out, ni - 1, 1, q, s, EFC_SCALE_ITEM_R_DROP, f.err),
            EFC_ERR_ARGUMENT, f.err);
        assert_needs(f.err, ni);
    }
    for (int st = EFC_ITEM_ANSWERS; st <= EFC_ITEM_OFF_LEVEL; st++) {
        assert_ok(efc_quality_fill_items(out, f.leaves, 1, q, st, f.err), f.err);
        for (size_t j = 0; j < f.leaves; j++)
            assert_same_bits(out[j], efc_quality_item_value(q, j, st));
    }
    unsigned *flags = malloc(f.leaves * sizeof *flags);
    assert_non_null(flags);
    assert_ok(efc_quality_fill_item_flags(flags, f.leaves, 1, q, f.err), f.err);
    for (size_t j = 0; j < f.leaves; j++)
        assert_int_equal(flags[j], efc_quality_item_flags(q, j));
    size_t answered = 0;
    for (size_t j = 0; j < f.leaves; j++) {
        size_t node = efc_model_leaf_node(f.model, j),
               nl = efc_model_node_level_count(f.model, node);
        size_t counts[16];
        assert_true(nl <= 16);
        assert_ok(efc_quality_fill_level_answers(counts, nl, 1, q, j, f.err), f.err);
        for (size_t i = 0; i < nl; i++) {
            assert_int_equal(counts[i], efc_quality_item_level_answers(q, j, i));
            answered += counts[i];
        }
        if (nl) {
            assert_status(efc_quality_fill_level_answers(counts, nl - 1, 1, q, j, f.err),
                          EFC_ERR_ARGUMENT, f.err);
            assert_needs(f.err, nl);
        }
    }
    assert_true(answered > 0);
    /* too small, NULL, unknown figure, invalid scale or leaf */
    double *small = sentinels(f.leaves);
    assert_status(efc_quality_fill_items(small, f.leaves - 1, 1, q, EFC_ITEM_MEAN, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, f.leaves);
    assert_status(efc_quality_fill_scales(small, ns - 1, 1, q, EFC_SCALE_ALPHA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, ns);
    assert_status(efc_quality_fill_scales(NULL, ns, 1, q, EFC_SCALE_ALPHA, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_quality_fill_scales(small, ns, 1, NULL, EFC_SCALE_ALPHA, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_quality_fill_scales(small, ns, 1, q,
                                          (efc_scale_metric)(EFC_SCALE_SCOREITEMS_ASE + 1), f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_quality_fill_scale_items(small, f.leaves, 1, q, ns, EFC_SCALE_ITEM_N, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "no scale"));
    assert_status(efc_quality_fill_scale_items(small, f.leaves, 1, q, 0,
                                               (efc_scale_item_metric)(EFC_SCALE_ITEM_SIGN + 1),
                                               f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_quality_fill_items(small, f.leaves, 1, q, (efc_item_metric)14, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_quality_fill_items(small, f.leaves, 1, NULL, EFC_ITEM_MEAN, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_quality_fill_item_flags(NULL, f.leaves, 1, q, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_quality_fill_item_flags(flags, f.leaves - 1, 1, q, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_quality_fill_level_answers((size_t *)small, 4, 1, q, f.leaves, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_non_null(strstr(efc_error_message(f.err), "no leaf"));
    assert_untouched(small, f.leaves);
    /* before finalizing: EFC_ERR_STATE */
    efc_quality *open;
    assert_ok(efc_quality_create(&open, f.model, NULL, NULL, f.err), f.err);
    assert_status(efc_quality_fill_items(small, f.leaves, 1, open, EFC_ITEM_MEAN, f.err),
                  EFC_ERR_STATE, f.err);
    assert_status(efc_quality_fill_scales(small, ns, 1, open, EFC_SCALE_ALPHA, f.err),
                  EFC_ERR_STATE, f.err);
    assert_status(
        efc_quality_fill_scale_items(small, f.leaves, 1, open, 0, EFC_SCALE_ITEM_N, f.err),
        EFC_ERR_STATE, f.err);
    assert_status(efc_quality_fill_item_flags(flags, f.leaves, 1, open, f.err), EFC_ERR_STATE,
                  f.err);
    assert_status(efc_quality_fill_level_answers((size_t *)small, 4, 1, open, 0, f.err),
                  EFC_ERR_STATE, f.err);
    assert_untouched(small, f.leaves);
    efc_quality_free(open);
    free(small);
    free(flags);
    free(out);
    teardown(&f);
}

/* ---- sensitivity ---- */

static void test_sensitivity(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    efc_sensitivity *s;
    efc_sensitivity_options *o;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.panel), NULL, f.err), f.err);
    assert_ok(efc_sensitivity_options_set_samples(o, 40, f.err), f.err);
    assert_ok(efc_sensitivity_options_set_sobol(o, 1, f.err), f.err);
    assert_ok(efc_sensitivity_options_set_bootstrap(o, 20, f.err), f.err);
    assert_ok(efc_sensitivity_run(&s, f.panel, o, NULL, f.err), f.err);
    efc_sensitivity_options_free(o);
    double one[1] = {SENTINEL};
    /* no analysis */
    assert_status(efc_sensitivity_fill(one, 1, 1, NULL, EFC_SENSITIVITY_MEAN_RANK, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill_sobol(one, 1, 1, NULL, EFC_SOBOL_TOTAL, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_untouched(one, 1);
    size_t d = efc_sensitivity_input_count(s), runs = efc_sensitivity_run_count(s), n = 40;
    assert_int_equal(runs, n * (d + 2));

    double *out = sentinels(runs * (d > f.actors ? d : f.actors));
    for (int m = EFC_SENSITIVITY_SCORE; m <= EFC_SENSITIVITY_RUNS_RANKED; m++) {
        assert_ok(efc_sensitivity_fill(out, f.actors, 1, s, m, f.err), f.err);
        for (size_t a = 0; a < f.actors; a++)
            assert_same_bits(out[a], efc_sensitivity_value(s, a, m));
    }
    for (int m = EFC_SOBOL_FIRST; m <= EFC_SOBOL_TOTAL_Q95; m++) {
        assert_ok(efc_sensitivity_fill_sobol(out, d, 1, s, m, f.err), f.err);
        for (size_t i = 0; i < d; i++)
            assert_same_bits(out[i], efc_sensitivity_sobol_value(s, i, m));
    }
    assert_ok(efc_sensitivity_fill_run_inputs(out, runs * d, (ptrdiff_t)d, 1, s, f.err), f.err);
    for (size_t j = 0; j < runs; j++)
        for (size_t i = 0; i < d; i++)
            assert_same_bits(out[j * d + i], efc_sensitivity_run_input(s, j, i));
    assert_ok(efc_sensitivity_fill_run_outputs(out, runs, 1, s, f.err), f.err);
    for (size_t j = 0; j < runs; j++)
        assert_same_bits(out[j], efc_sensitivity_run_output(s, j));
    assert_ok(efc_sensitivity_fill_run_ranks(out, n * f.actors, 1, (ptrdiff_t)n, s, f.err), f.err);
    for (size_t j = 0; j < n; j++)
        for (size_t a = 0; a < f.actors; a++)
            assert_same_bits(out[a * n + j], efc_sensitivity_run_rank(s, j, a));

    /* too small by one, each: refused, nothing written */
    size_t cap = runs * (d > f.actors ? d : f.actors);
    double *small = sentinels(cap);
    assert_status(efc_sensitivity_fill(small, f.actors - 1, 1, s, EFC_SENSITIVITY_P_TOP, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, f.actors);
    assert_status(efc_sensitivity_fill_sobol(small, d - 1, 1, s, EFC_SOBOL_FIRST, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, d);
    assert_status(efc_sensitivity_fill_run_inputs(small, runs * d - 1, (ptrdiff_t)d, 1, s, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, runs * d);
    assert_status(efc_sensitivity_fill_run_outputs(small, runs - 1, 1, s, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_needs(f.err, runs);
    assert_status(
        efc_sensitivity_fill_run_ranks(small, n * f.actors - 1, (ptrdiff_t)f.actors, 1, s, f.err),
        EFC_ERR_ARGUMENT, f.err);
    assert_needs(f.err, n * f.actors);
    /* NULL, unknown metric */
    assert_status(efc_sensitivity_fill(NULL, cap, 1, s, EFC_SENSITIVITY_P_TOP, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill(small, cap, 1, NULL, EFC_SENSITIVITY_P_TOP, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill(small, cap, 1, s, (efc_sensitivity_metric)10, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill_sobol(small, cap, 1, s, (efc_sobol_metric)6, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill_sobol(small, cap, 1, NULL, EFC_SOBOL_FIRST, f.err),
                  EFC_ERR_ARGUMENT, f.err);
    assert_status(efc_sensitivity_fill_run_inputs(NULL, cap, 1, 1, s, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_sensitivity_fill_run_outputs(small, cap, 1, NULL, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_status(efc_sensitivity_fill_run_ranks(NULL, cap, 1, 1, s, f.err), EFC_ERR_ARGUMENT,
                  f.err);
    assert_untouched(small, cap);
    free(small);
    free(out);
    efc_sensitivity_free(s);
    teardown(&f);
}

/* Without Sobol indices, the Sobol table is NaN, as its getter. */
static void test_sensitivity_without_sobol(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    efc_sensitivity *s;
    efc_sensitivity_options *o;
    assert_ok(efc_sensitivity_options_create(&o, efc_panel_model(f.panel), NULL, f.err), f.err);
    assert_ok(efc_sensitivity_options_set_samples(o, 10, f.err), f.err);
    assert_ok(efc_sensitivity_run(&s, f.panel, o, NULL, f.err), f.err);
    efc_sensitivity_options_free(o);
    size_t d = efc_sensitivity_input_count(s);
    double *out = sentinels(d);
    assert_ok(efc_sensitivity_fill_sobol(out, d, 1, s, EFC_SOBOL_TOTAL, f.err), f.err);
    for (size_t i = 0; i < d; i++) {
        assert_true(isnan(out[i]));
        assert_true(isnan(efc_sensitivity_sobol_value(s, i, EFC_SOBOL_TOTAL)));
    }
    free(out);
    efc_sensitivity_free(s);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trajectories),
        cmocka_unit_test(test_comparison),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_empty_tables),
        cmocka_unit_test(test_quality),
        cmocka_unit_test(test_sensitivity),
        cmocka_unit_test(test_sensitivity_without_sobol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
