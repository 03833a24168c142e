/* Fuzz target: survey reading and scoring with the default model. The
 * first two bytes choose the reading options (survey_run.c), the rest is
 * the file. */
#include <stddef.h>

#include "fuzz.h"
#include "survey_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* made once: loading the default model would take most of each run;
     * a finalized model is never changed by reading (and stays reachable,
     * so it is not a leak) */
    static efc_model *model;
    if (!model) {
        efc_error *err;
        fuzz_check(efc_error_create(&err, NULL) == EFC_OK, "error object");
        fuzz_check(efc_model_default(&model, NULL, err) == EFC_OK, "default model");
        efc_error_free(err);
    }
    if (size < 2)
        return 0;
    fuzz_survey_run(model, data, data + 2, size - 2);
    return 0;
}
