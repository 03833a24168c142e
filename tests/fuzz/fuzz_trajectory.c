/* Fuzz target: trajectories, comparisons and ranks built from a fuzzed
 * survey (id, period, sector and three items of a small model). The first
 * byte chooses the options: bit 0 dd/mm/yyyy dates, bit 1 combine rows of
 * one actor and period, bits 2-7 the tolerance (0 .. 0.63). Whatever the
 * input, every figure must stay within its bounds, and the sensitivity of
 * ranks to the weights with zero spread must give the nominal ranks. */
#include <math.h>
#include <string.h>

#include <efc/efc.h>

#include "fuzz.h"

static const char model_text[] =
    "id,parent,weight,min,max,direction,transform,aggregate,min_coverage\n"
    "root,,1,,,,,geomean,0\n"
    "a,root,1,,,,,mean,0.5\n"
    "b,root,2,,,,,harmonic,0\n"
    "x,a,1,0,4,+,none,,\n"
    "y,a,1,1,5,-,none,,\n"
    "z,b,1,1,1000,+,log,,\n";

static void check_trajectories(const efc_panel *p, double tolerance, size_t nodes)
{
    efc_trajectories *t;
    efc_trajectory_options *o;
    fuzz_check(efc_trajectory_options_create(&o, NULL, NULL) == EFC_OK, "options");
    fuzz_check(efc_trajectory_options_set_tolerance(o, tolerance, NULL) == EFC_OK, "tolerance");
    fuzz_check(efc_trajectories_create(&t, p, o, NULL, NULL) == EFC_OK, "trajectories");
    efc_trajectory_options_free(o);
    for (size_t a = 0; a < efc_panel_actor_count(p); a++)
        for (size_t k = 0; k < nodes; k++) {
            double n = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_N);
            double first = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_FIRST);
            double change = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_CHANGE);
            double steady = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_STEADINESS);
            double transfers = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_TRANSFERS);
            double slope = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_SLOPE);
            fuzz_check(n <= (double)efc_panel_assessment_count(p, a), "n within assessments");
            fuzz_check(n == 0 ? isnan(first) : first >= 0 && first <= 1, "first within [0, 1]");
            fuzz_check(n == 0 || (change >= -1 && change <= 1), "change within [-1, 1]");
            fuzz_check(n < 2 ? isnan(steady) : steady >= 0 && steady <= 1, "steadiness");
            /* empty only for periods whose distances overflow or underflow */
            double range = efc_trajectories_value(t, a, k, EFC_TRAJECTORY_LAST_PERIOD) -
                           efc_trajectories_value(t, a, k, EFC_TRAJECTORY_FIRST_PERIOD);
            int extreme = !(fabs(range) >= 1e-150 && fabs(range) <= 1e150);
            fuzz_check(n < 2 ? isnan(slope) : !isnan(slope) || extreme, "slope");
            fuzz_check(!isinf(slope), "slope finite or empty");
            fuzz_check(transfers <= (n > 1 ? n - 1 : 0), "transfers within steps");
        }
    size_t total = 0;
    for (size_t i = 0; i < efc_trajectories_transfer_count(t); i++) {
        size_t actor, node, from, to;
        fuzz_check(efc_trajectories_transfer(&actor, &node, &from, &to, t, i, NULL) == EFC_OK,
                   "transfer step");
        fuzz_check(from < to && to < efc_panel_assessment_count(p, actor), "step order");
        total++;
    }
    fuzz_check(total == efc_trajectories_transfer_count(t), "steps counted");
    efc_trajectories_free(t);
}

static void check_comparison(const efc_panel *p, size_t nodes)
{
    size_t n = efc_panel_actor_count(p);
    if (n == 0)
        return;
    efc_comparison *c;
    fuzz_check(efc_comparison_create(&c, p, 0, n - 1, NULL, NULL, NULL) == EFC_OK, "comparison");
    for (size_t k = 0; k < nodes; k++) {
        double gap = efc_comparison_value(c, k, EFC_COMPARISON_MEAN_GAP);
        double area = efc_comparison_value(c, k, EFC_COMPARISON_AREA);
        double span = efc_comparison_value(c, k, EFC_COMPARISON_SPAN);
        fuzz_check(isnan(gap) || (gap >= 0 && gap <= 1), "mean gap within [0, 1]");
        fuzz_check(isnan(area) == isnan(span), "area and span together");
        fuzz_check(!isinf(area) && !isinf(span), "area and span finite or empty");
        fuzz_check(isnan(area) || (area >= 0 && area <= span * (1 + 1e-9) + 1e-300),
                   "area within the span");
    }
    fuzz_check((unsigned)efc_comparison_dominance(c) <= EFC_DOMINANCE_UNKNOWN, "dominance");
    efc_comparison_free(c);
}

static void check_ranking(const efc_panel *p, size_t nodes)
{
    efc_ranking *r;
    fuzz_check(efc_ranking_create(&r, p, NULL, NULL, NULL) == EFC_OK, "ranking");
    for (size_t a = 0; a < efc_panel_actor_count(p); a++)
        for (size_t g = 0; g < 2; g++) {
            size_t col = g ? 0 : EFC_NONE;
            double rank = efc_ranking_value(r, a, col, EFC_RANK_RANK);
            double pct = efc_ranking_value(r, a, col, EFC_RANK_PERCENTILE);
            double peers = efc_ranking_value(r, a, col, EFC_RANK_PEERS);
            fuzz_check(isnan(rank) || (rank >= 1 && rank <= peers), "rank within peers");
            fuzz_check(isnan(rank) == isnan(pct), "rank and percentile together");
            fuzz_check(isnan(pct) || (pct > 0 && pct <= 100), "percentile within (0, 100]");
        }
    for (size_t j = 0; j < efc_ranking_group_count(r, 0); j++)
        for (size_t k = 0; k < nodes; k++) {
            double q1 = efc_ranking_group_value(r, 0, j, k, EFC_GROUP_Q1);
            double med = efc_ranking_group_value(r, 0, j, k, EFC_GROUP_MEDIAN);
            double q3 = efc_ranking_group_value(r, 0, j, k, EFC_GROUP_Q3);
            double lo = efc_ranking_group_value(r, 0, j, k, EFC_GROUP_MIN);
            double hi = efc_ranking_group_value(r, 0, j, k, EFC_GROUP_MAX);
            if (efc_ranking_group_value(r, 0, j, k, EFC_GROUP_COUNT) == 0)
                continue;
            fuzz_check(lo <= q1 && q1 <= med && med <= q3 && q3 <= hi, "quartiles in order");
        }
    efc_ranking_free(r);
}

/* Weights perturbed: with zero spread every run ranks as nominally; with a
 * spread and drawn aggregations, every figure stays in its bounds. */
static void check_sensitivity(const efc_panel *p, const efc_model *m, int spread)
{
    efc_sensitivity *s;
    efc_sensitivity_options *o;
    fuzz_check(efc_sensitivity_options_create(&o, m, NULL, NULL) == EFC_OK, "options");
    efc_sensitivity_options_set_group_weights(o, 1, NULL);
    efc_sensitivity_options_add_weight(o, efc_model_find(m, "x"), NULL);
    efc_sensitivity_options_set_perturbation(o, EFC_PERTURBATION_UNIFORM, spread ? 0.9 : 0, NULL);
    if (spread) {
        efc_aggregate alt[3] = {EFC_AGGREGATE_GEOMEAN, EFC_AGGREGATE_MIN, EFC_AGGREGATE_POWER};
        double pw[3] = {0, 0, -2};
        efc_sensitivity_options_add_aggregation(o, efc_model_root(m), 3, alt, pw, NULL);
        efc_sensitivity_options_set_sobol(o, 1, NULL);
        efc_sensitivity_options_set_bootstrap(o, 4, NULL);
    }
    efc_sensitivity_options_set_samples(o, 6, NULL);
    efc_status st = efc_sensitivity_run(&s, p, o, NULL, NULL);
    efc_sensitivity_options_free(o);
    if (st != EFC_OK) /* no actor ranked: refused */
        return;
    size_t n = efc_panel_actor_count(p);
    for (size_t a = 0; a < n; a++) {
        double nominal = efc_sensitivity_value(s, a, EFC_SENSITIVITY_NOMINAL_RANK);
        double lo = efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_MIN);
        double p05 = efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_P05);
        double med = efc_sensitivity_value(s, a, EFC_SENSITIVITY_MEDIAN_RANK);
        double p95 = efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_P95);
        double hi = efc_sensitivity_value(s, a, EFC_SENSITIVITY_RANK_MAX);
        double top = efc_sensitivity_value(s, a, EFC_SENSITIVITY_P_TOP);
        fuzz_check(isnan(lo) || (1 <= lo && lo <= p05 && p05 <= med && med <= p95 && p95 <= hi &&
                                 hi <= (double)n),
                   "rank quantiles in order");
        fuzz_check(top >= 0 && top <= 1, "top-k share");
        if (!spread)
            fuzz_check((isnan(nominal) && isnan(lo)) || (lo == nominal && hi == nominal),
                       "zero spread keeps the nominal rank");
    }
    for (size_t j = 0; j < efc_sensitivity_run_count(s); j++) {
        double y = efc_sensitivity_run_output(s, j);
        fuzz_check(isnan(y) || (y >= 0 && y < (double)n), "rank shift within bounds");
        fuzz_check(spread || y == 0 || isnan(y), "zero spread shifts nothing");
    }
    efc_sensitivity_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static efc_model *model;
    if (!model)
        fuzz_check(efc_model_load_buffer(&model, model_text, sizeof model_text - 1, "model.csv",
                                         NULL, NULL) == EFC_OK,
                   "model");
    if (size < 1)
        return 0;
    efc_survey_options *o;
    efc_survey *s = NULL;
    efc_batch *b = NULL;
    efc_panel *p = NULL;
    fuzz_check(efc_survey_options_create(&o, NULL, NULL) == EFC_OK, "options");
    efc_survey_options_set_on_error(o, EFC_ON_ERROR_SKIP, NULL);
    efc_survey_options_add_group_column(o, "sector", NULL);
    if (data[0] & 1)
        efc_survey_options_set_date_format(o, EFC_DATE_FORMAT_DMY, NULL);
    if (data[0] & 2)
        efc_survey_options_set_combine(o, EFC_COMBINE_MEAN, NULL);
    double tolerance = (data[0] >> 2) / 100.0;
    if (efc_survey_open_buffer(&s, model, data + 1, size - 1, "fuzz.csv", o, NULL, NULL) ||
        efc_panel_create_for_survey(&p, s, NULL, NULL) || efc_batch_create(&b, s, 7, NULL, NULL))
        goto done;
    for (;;) {
        if (efc_survey_read(b, s, NULL))
            goto done;
        if (efc_batch_rows(b) == 0 && efc_batch_rejected_count(b) == 0)
            break;
        if (efc_panel_add_batch(p, b, NULL))
            goto done; /* an empty period: refused, as documented */
    }
    if (efc_panel_finalize(p, NULL))
        goto done; /* two rows of one actor and period */
    size_t nodes = efc_model_node_count(model);
    check_trajectories(p, tolerance, nodes);
    check_comparison(p, nodes);
    check_ranking(p, nodes);
    check_sensitivity(p, model, 0);
    check_sensitivity(p, model, 1);
done:
    efc_panel_free(p);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    return 0;
}
