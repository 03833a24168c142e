/* Follow actors over time: read a survey into a panel, print each actor's
 * change on the three axes of useful effects with its impact transfers,
 * then the ranking on the overall score. Without an argument it reads a
 * small panel held in memory; with one, the CSV survey it names (with an id
 * and a period column, such as examples/data/survey.csv).
 *
 *   cc $(pkg-config --cflags efc) trajectory.c $(pkg-config --libs efc) -o trajectory
 *   ./trajectory [survey.csv]
 *
 * Panels, trajectories and ranks are libefc's experimental tier
 * (docs/c-api.md, "Tiers"): defined EFC_EXPERIMENTAL says so, and the
 * program then needs the library of the same minor release.
 */
#define EFC_EXPERIMENTAL
#include <efc/efc.h>
#include <stdio.h>
#include <string.h>

/* Two actors over three years: the ecological axis of "atelier" falls in
 * 2024 while its useful effects rise, an impact transfer. */
static const char demo[] =
    "id,period,soc_needs,soc_access,soc_health,soc_work,eco_material,eco_energy,eco_lifetime,"
    "eco_externalities,loc_jobs,loc_purchases,loc_use_value,loc_resilience,res_trust,"
    "res_competence,res_relevance,res_health,coop_transverse,coop_horizontal,coop_vertical\n"
    "atelier,2022,2,2,2,2,3,3,3,3,1,1,1,1,2,2,2,2,2,2,2\n"
    "atelier,2023,3,3,3,3,3,3,3,3,2,2,2,2,2,2,2,2,2,2,2\n"
    "atelier,2024,4,4,4,4,2,2,2,2,4,4,4,4,3,3,3,3,3,3,3\n"
    "epicerie,2022,3,3,3,3,1,1,1,1,2,2,2,2,1,1,1,1,1,1,1\n"
    "epicerie,2024,3,4,3,4,2,2,2,2,3,3,3,3,2,2,2,2,2,2,2\n";

/* Read every batch of the survey into the panel, then finalize it. */
static efc_status read_all(efc_survey *survey, efc_panel *panel, efc_error *err)
{
    efc_batch *batch;
    efc_status st = efc_batch_create(&batch, survey, 512, NULL, err);
    /* the end is a batch with no row and no rejected row */
    while (!st && !(st = efc_survey_read(batch, survey, err)) &&
           (efc_batch_rows(batch) || efc_batch_rejected_count(batch)))
        st = efc_panel_add_batch(panel, batch, err);
    efc_batch_free(batch);
    return st ? st : efc_panel_finalize(panel, err);
}

static void print_trajectories(const efc_panel *panel, const efc_model *model,
                               const efc_trajectories *t)
{
    const char *axes[] = {"social", "ecological", "local_economy"};
    for (size_t a = 0; a < efc_panel_actor_count(panel); a++) {
        printf("%s\n", efc_panel_actor(panel, a));
        for (size_t i = 0; i < 3; i++) {
            size_t k = efc_model_find(model, axes[i]);
            printf("  %-14s n=%.0f change %+.3f slope %+.3f/year transfers %.0f\n", axes[i],
                   efc_trajectories_value(t, a, k, EFC_TRAJECTORY_N),
                   efc_trajectories_value(t, a, k, EFC_TRAJECTORY_CHANGE),
                   efc_trajectories_value(t, a, k, EFC_TRAJECTORY_SLOPE),
                   efc_trajectories_value(t, a, k, EFC_TRAJECTORY_TRANSFERS));
        }
    }
    for (size_t i = 0; i < efc_trajectories_transfer_count(t); i++) {
        size_t a, k, from, to;
        efc_trajectories_transfer(&a, &k, &from, &to, t, i, NULL);
        size_t parent = efc_model_node_parent(model, k);
        printf("transfer: %s, %s fell from %.3f to %.3f between %s and %s while %s rose\n",
               efc_panel_actor(panel, a), efc_model_node_id(model, k),
               efc_panel_score(panel, a, from, k), efc_panel_score(panel, a, to, k),
               efc_panel_period(panel, a, from), efc_panel_period(panel, a, to),
               efc_model_node_id(model, parent));
    }
}

static void print_ranking(const efc_panel *panel, const efc_ranking *r)
{
    for (size_t a = 0; a < efc_panel_actor_count(panel); a++) {
        size_t i = efc_ranking_assessment(r, a);
        printf("rank %.0f (percentile %.1f): %s, %.3f in %s\n",
               efc_ranking_value(r, a, EFC_NONE, EFC_RANK_RANK),
               efc_ranking_value(r, a, EFC_NONE, EFC_RANK_PERCENTILE), efc_panel_actor(panel, a),
               efc_ranking_value(r, a, EFC_NONE, EFC_RANK_SCORE),
               i == EFC_NONE ? "-" : efc_panel_period(panel, a, i));
    }
}

int main(int argc, char **argv)
{
    efc_error *err = NULL;
    efc_model *model = NULL;
    efc_survey *survey = NULL;
    efc_panel *panel = NULL;
    efc_trajectories *t = NULL;
    efc_ranking *ranking = NULL;
    int status = 1;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return 1;
    if (efc_model_default(&model, NULL, err))
        goto done;
    efc_status st = argc > 1 ? efc_survey_open_path(&survey, model, argv[1], NULL, NULL, err)
                             : efc_survey_open_buffer(&survey, model, demo, strlen(demo), "demo",
                                                      NULL, NULL, err);
    if (st || efc_panel_create_for_survey(&panel, survey, NULL, err) ||
        /* NULL options: the defaults (tolerance 0.01; the root at each actor's latest) */
        read_all(survey, panel, err) || efc_trajectories_create(&t, panel, NULL, NULL, err) ||
        efc_ranking_create(&ranking, panel, NULL, NULL, err))
        goto done;
    print_trajectories(panel, model, t);
    print_ranking(panel, ranking);
    status = 0;
done:
    if (status)
        fprintf(stderr, "trajectory: %s\n", efc_error_text(err));
    efc_ranking_free(ranking);
    efc_trajectories_free(t);
    efc_panel_free(panel);
    efc_survey_free(survey);
    efc_model_free(model);
    efc_error_free(err);
    return status;
}
