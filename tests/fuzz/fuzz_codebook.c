/* Fuzz target: codebook loading. Any bytes either load into a model or
 * fail with an error that has a message; a model that loads exports to a
 * codebook that loads back and exports to the same bytes, and scores every
 * node within [0, 1] (or NaN) for missing, low, middle and high answers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <efc/efc.h>

#include "fuzz.h"

static char *export(const efc_model *m, size_t *len, efc_error *err)
{
    fuzz_check(efc_model_export_buffer(NULL, 0, len, m, err) == EFC_OK, "export size");
    char *buf = malloc(*len + 1);
    fuzz_check(buf != NULL, "memory");
    fuzz_check(efc_model_export_buffer(buf, *len + 1, len, m, err) == EFC_OK, "export");
    return buf;
}

static void check_scores(const efc_model *m, efc_error *err)
{
    size_t leaves = efc_model_leaf_count(m), nodes = efc_model_node_count(m);
    double *v = malloc((leaves ? leaves : 1) * sizeof *v);
    efc_result *r;
    fuzz_check(v != NULL, "memory");
    fuzz_check(efc_result_create(&r, m, NULL, err) == EFC_OK, "result");
    for (int pass = 0; pass < 4; pass++) {
        for (size_t j = 0; j < leaves; j++) {
            size_t node = efc_model_leaf_node(m, j);
            double lo = efc_model_node_min(m, node), hi = efc_model_node_max(m, node);
            double x = pass == 0 ? NAN : pass == 1 ? lo : pass == 2 ? lo + (hi - lo) / 2 : hi;
            /* under a log transform, a value of 0 or less is refused: skip those */
            v[j] = isfinite(x) && (efc_model_node_transform(m, node) != EFC_TRANSFORM_LOG || x > 0)
                       ? x
                       : NAN;
        }
        fuzz_check(efc_model_score(r, m, v, 1, err) == EFC_OK, "scoring valid values");
        for (size_t k = 0; k < nodes; k++) {
            double s = efc_result_score(r, k), c = efc_result_coverage(r, k);
            fuzz_check(isnan(s) || (s >= 0 && s <= 1), "score within [0, 1]");
            fuzz_check(c >= 0 && c <= 1 + 1e-9, "coverage within [0, 1]");
        }
    }
    efc_result_free(r);
    free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    efc_error *err;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return 0;
    efc_model *m = NULL;
    efc_status st = efc_model_load_buffer(&m, data, size, "fuzz.csv", NULL, err);
    if (st != EFC_OK) {
        fuzz_check(m == NULL, "no model on failure");
        fuzz_check(efc_error_code(err) == st, "error code");
        fuzz_check(efc_error_message(err)[0] != '\0', "error message");
        efc_error_free(err);
        return 0;
    }
    size_t n1, n2;
    char *a = export(m, &n1, err);
    efc_model *again = NULL;
    fuzz_check(efc_model_load_buffer(&again, a, n1, "export.csv", NULL, err) == EFC_OK,
               "an exported codebook loads");
    char *b = export(again, &n2, err);
    fuzz_check(n1 == n2 && memcmp(a, b, n1) == 0, "export, load, export: same bytes");
    check_scores(m, err);
    free(a);
    free(b);
    efc_model_free(again);
    efc_model_free(m);
    efc_error_free(err);
    return 0;
}
