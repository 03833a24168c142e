/* Fuzz target: survey reading and scoring with a fuzzed codebook. The
 * input is a codebook, a NUL byte, two option bytes (survey_run.c) and the
 * survey. */
#include <string.h>

#include "fuzz.h"
#include "survey_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    if (!nul || (size_t)(data + size - nul) < 3)
        return 0;
    efc_error *err;
    efc_model *m;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return 0;
    if (efc_model_load_buffer(&m, data, (size_t)(nul - data), "fuzz-model.csv", NULL, err) ==
        EFC_OK) {
        fuzz_survey_run(m, nul + 1, nul + 3, (size_t)(data + size - nul - 3));
        efc_model_free(m);
    }
    efc_error_free(err);
    return 0;
}
