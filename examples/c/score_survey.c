/* Read a survey in batches and print each actor's overall score and axes.
 * Without an argument it reads a small survey held in memory; with one, the
 * CSV file it names.
 *
 *   cc $(pkg-config --cflags efc) score_survey.c $(pkg-config --libs efc) -o score_survey
 *   ./score_survey [survey.csv]
 */
#include <efc/efc.h>
#include <stdio.h>
#include <string.h>

static const char demo[] = "id;period;soc_needs;soc_access;soc_health;soc_work;eco_material;"
                           "eco_energy;eco_lifetime;eco_externalities;loc_jobs;loc_purchases;"
                           "loc_use_value;loc_resilience\n"
                           "atelier;2023;3;2;3;3;2;2;3;2;3;2;1;2\n"
                           "atelier;2024;3;3;3;4;3;2;3;3;3;3;2;3\n"
                           "epicerie;2024;4;4;2;3;1;1;NA;1;2;4;2;2\n";

int main(int argc, char **argv)
{
    efc_error *err = NULL;
    efc_model *model = NULL;
    efc_survey_options *opts = NULL;
    efc_survey *survey = NULL;
    efc_batch *batch = NULL;
    int status = 1;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return 1;
    if (efc_model_default(&model, NULL, err) || efc_survey_options_create(&opts, NULL, err) ||
        efc_survey_options_add_na_token(opts, "NA", err) ||
        efc_survey_options_set_on_error(opts, EFC_ON_ERROR_SKIP, err))
        goto done;
    efc_status st = argc > 1 ? efc_survey_open_path(&survey, model, argv[1], opts, NULL, err)
                             : efc_survey_open_buffer(&survey, model, demo, strlen(demo), "demo",
                                                      opts, NULL, err);
    if (st || efc_batch_create(&batch, survey, 256, NULL, err))
        goto done;
    size_t nodes = efc_model_node_count(model);
    const char *show[] = {"efc", "social", "ecological", "local_economy"};
    size_t cols[4];
    for (int k = 0; k < 4; k++)
        cols[k] = efc_model_find(model, show[k]);
    printf("%-12s %-8s %8s %8s %8s %8s\n", "id", "period", "efc", "social", "ecol.", "local");
    for (;;) {
        if (efc_survey_read(batch, survey, err) != EFC_OK)
            goto done;
        size_t rows = efc_batch_rows(batch);
        if (rows == 0 && efc_batch_rejected_count(batch) == 0)
            break;
        const double *scores = efc_batch_scores(batch);
        for (size_t r = 0; r < rows; r++) {
            printf("%-12s %-8s", efc_batch_id(batch, r), efc_batch_period(batch, r));
            for (int k = 0; k < 4; k++)
                printf(" %8.3f", scores[r * nodes + cols[k]]); /* nan: not enough answers */
            printf("\n");
        }
        for (size_t i = 0; i < efc_batch_rejected_count(batch); i++)
            printf("line %zu rejected: %s\n", efc_batch_rejected_line(batch, i),
                   efc_batch_rejected_reason(batch, i));
    }
    printf("%llu rows read, %llu rejected; %zu items of the model had no column\n",
           efc_survey_rows_read(survey), efc_survey_rows_rejected(survey),
           efc_survey_missing_leaf_count(survey));
    status = 0;
done:
    if (status)
        fprintf(stderr, "score_survey: %s\n", efc_error_text(err));
    efc_batch_free(batch);
    efc_survey_free(survey);
    efc_survey_options_free(opts);
    efc_model_free(model);
    efc_error_free(err);
    return status;
}
