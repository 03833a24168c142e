/* Score one assessment with the embedded EFC reference grid and print the
 * score of every group, with the pass/fail of its threshold.
 *
 *   cc $(pkg-config --cflags efc) score_one.c $(pkg-config --libs efc) -o score_one
 *   ./score_one
 */
#include <efc/efc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    efc_error *err = NULL;
    efc_model *model = NULL;
    efc_result *result = NULL;
    int status = EXIT_FAILURE;

    if (efc_error_create(&err, NULL) != EFC_OK)
        return EXIT_FAILURE;
    if (efc_model_default(&model, NULL, err) != EFC_OK ||
        efc_result_create(&result, model, NULL, err) != EFC_OK)
        goto done;

    /* One answer per leaf, in leaf order, on the 0..4 level scales; NaN
     * means "no answer". Here: level 3 everywhere but two questions. */
    size_t leaves = efc_model_leaf_count(model);
    double *answers = malloc(leaves * sizeof *answers);
    if (!answers)
        goto done;
    for (size_t j = 0; j < leaves; j++)
        answers[j] = 3;
    answers[efc_model_leaf_index(model, "eco_single_use")] = 1; /* reverse-keyed */
    answers[efc_model_leaf_index(model, "coop_territorial")] = NAN;

    if (efc_model_score(result, model, answers, 1, err) != EFC_OK) {
        free(answers);
        goto done;
    }
    free(answers);

    printf("%-14s %-8s %s\n", "node", "score", "threshold");
    for (size_t g = 0; g < efc_model_group_count(model); g++) {
        size_t node = efc_model_group_node(model, g);
        efc_pass pass = efc_result_pass(result, node);
        printf("%-14s %-8.4f %s\n", efc_model_node_id(model, node), efc_result_score(result, node),
               pass == EFC_PASS_OK     ? "pass"
               : pass == EFC_PASS_FAIL ? "FAIL"
                                       : "");
    }
    printf("all thresholds: %s\n", efc_result_pass_all(result) == EFC_PASS_OK ? "pass" : "FAIL");
    status = EXIT_SUCCESS;
done:
    if (status != EXIT_SUCCESS)
        fprintf(stderr, "score_one: %s\n", efc_error_text(err));
    efc_result_free(result);
    efc_model_free(model);
    efc_error_free(err);
    return status;
}
