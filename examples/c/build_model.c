/* Build a small model in code, check it, export it as a codebook and score
 * a batch of rows held in one array.
 *
 *   cc $(pkg-config --cflags efc) build_model.c $(pkg-config --libs efc) -o build_model
 *   ./build_model
 */
#include <efc/efc.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) != EFC_OK) {                                                                    \
            fprintf(stderr, "build_model: %s\n", efc_error_text(err));                             \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

int main(void)
{
    efc_error *err = NULL;
    efc_model *m = NULL;
    int status = EXIT_FAILURE;
    size_t root, water, waste, jobs;

    if (efc_error_create(&err, NULL) != EFC_OK)
        return EXIT_FAILURE;
    CHECK(efc_model_create(&m, NULL, err));
    CHECK(efc_model_add_group(&root, m, "impact", NULL, err));
    CHECK(efc_model_set_aggregate(m, root, EFC_AGGREGATE_GEOMEAN, 0, err));
    CHECK(efc_model_set_min_coverage(m, root, 1, err));
    /* Litres of water per unit of use: lower is better. */
    CHECK(efc_model_add_leaf(&water, m, "water", "impact", 5, 50, err));
    CHECK(efc_model_set_direction(m, water, EFC_DIRECTION_NEGATIVE, err));
    CHECK(efc_model_set_text(m, water, EFC_TEXT_LABEL, NULL, "Water per use (l)", err));
    /* Share of waste recovered, in percent, counted twice as much. */
    CHECK(efc_model_add_leaf(&waste, m, "waste", "impact", 0, 100, err));
    CHECK(efc_model_set_weight(m, waste, 2, err));
    CHECK(efc_model_set_threshold(m, waste, 0.5, err));
    /* Local jobs on a log scale, from 1 to 1000. */
    CHECK(efc_model_add_leaf(&jobs, m, "jobs", "impact", 1, 1000, err));
    CHECK(efc_model_set_transform(m, jobs, EFC_TRANSFORM_LOG, err));
    CHECK(efc_model_finalize(m, err));

    puts("-- codebook --");
    CHECK(efc_model_export_file(m, stdout, err));

    /* Three rows x three leaves (water, waste, jobs), C order. */
    double rows[3][3] = {{20, 60, 10}, {5, 90, 1000}, {60, 10, 3}};
    double scores[3][4];
    size_t clamped;
    CHECK(efc_model_score_matrix(&scores[0][0], NULL, &clamped, m, 3, &rows[0][0],
                                 EFC_LAYOUT_ROW_MAJOR, err));
    puts("-- scores --");
    for (int r = 0; r < 3; r++)
        printf("row %d: impact %.4f (water %.3f, waste %.3f, jobs %.3f)%s\n", r, scores[r][root],
               scores[r][water], scores[r][waste], scores[r][jobs],
               efc_model_pass(m, waste, scores[r][waste]) == EFC_PASS_FAIL ? " waste below bar"
                                                                           : "");
    printf("%zu value(s) clamped to the goalposts\n", clamped);
    status = EXIT_SUCCESS;
done:
    efc_model_free(m);
    efc_error_free(err);
    return status;
}
