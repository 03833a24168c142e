/* Fuzz target: the indicator pipeline with a fuzzed codebook and data.
 * The input is a codebook, a NUL byte, one option byte (bit 0: a period
 * column "period"; bit 1: screening at 0.5; bit 2: decimal comma and `;`;
 * bit 3: "NA" is missing; bit 4: reference period "2020"; bit 5: one
 * thread), then the data file. Whatever the input, the
 * run succeeds or fails cleanly; on success every stage is read whole and
 * must be consistent with the units' count, and the fitted model, through
 * its codebook, must run on the same table with the same bits at every
 * stage. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef EFC_EXPERIMENTAL
#define EFC_EXPERIMENTAL
#endif
#include <efc/efc.h>

#include "fuzz.h"

static void read_back(const efc_index *ix)
{
    const efc_model *m = efc_index_model(ix);
    size_t units = efc_index_unit_count(ix), nodes = efc_model_node_count(m);
    if (units == 0 || nodes == 0 || units > 100000 / nodes)
        return;
    double *buf = malloc(units * nodes * sizeof *buf);
    if (!buf)
        return;
    for (int s = EFC_STAGE_RAW; s <= EFC_STAGE_AGGREGATED; s++) {
        fuzz_check(efc_index_fill(buf, units * nodes, (ptrdiff_t)nodes, 1, ix, (efc_index_stage)s,
                                  NULL) == EFC_OK,
                   "fill");
        for (size_t k = 0; k < units * nodes; k++)
            fuzz_check(!isinf(buf[k]), "no stage holds an infinity");
    }
    size_t imputed = 0;
    for (size_t u = 0; u < units; u++) {
        fuzz_check(efc_index_unit_id(ix, u) != NULL, "every unit has an id");
        for (size_t k = 0; k < nodes; k++)
            imputed += (size_t)efc_index_imputed(ix, u, k);
    }
    fuzz_check(imputed == efc_index_imputed_count(ix), "imputed cells counted");
    for (size_t k = 0; k < nodes; k++)
        (void)efc_index_treatment_value(ix, k, EFC_TREATMENT_LOW);
    free(buf);
}

static int same_stages(const efc_index *a, const efc_index *b)
{
    size_t units = efc_index_unit_count(a), nodes = efc_model_node_count(efc_index_model(a));
    if (units != efc_index_unit_count(b))
        return 0;
    for (int s = EFC_STAGE_RAW; s <= EFC_STAGE_AGGREGATED; s++)
        for (size_t u = 0; u < units; u++)
            for (size_t k = 0; k < nodes; k++) {
                double x = efc_index_value(a, (efc_index_stage)s, u, k);
                double y = efc_index_value(b, (efc_index_stage)s, u, k);
                if (memcmp(&x, &y, sizeof x) != 0)
                    return 0;
            }
    return 1;
}

/* Fit, export, reload, run again: the same bits. */
static void check_fitted(const efc_index *ix, const efc_table *t, const efc_index_options *o)
{
    efc_model *f = NULL, *r = NULL;
    efc_index *again = NULL;
    if (efc_index_fitted_model(&f, ix, NULL, NULL) != EFC_OK)
        return; /* rank, percentile, copeland: cannot be frozen */
    size_t len = 0;
    fuzz_check(efc_model_export_buffer(NULL, 0, &len, f, NULL) == EFC_OK, "the fit exports");
    char *buf = malloc(len + 1);
    if (buf && efc_model_export_buffer(buf, len + 1, &len, f, NULL) == EFC_OK) {
        fuzz_check(efc_model_load_buffer(&r, buf, len, "fitted.csv", NULL, NULL) == EFC_OK,
                   "the fitted codebook loads");
        fuzz_check(efc_index_run(&again, r, t, o, NULL) == EFC_OK,
                   "the fitted model runs where the fit ran");
        fuzz_check(same_stages(ix, again), "the fitted model gives the fit's bits");
    }
    free(buf);
    efc_index_free(again);
    efc_model_free(r);
    efc_model_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    if (!nul || (size_t)(data + size - nul) < 2)
        return 0;
    unsigned flags = nul[1];
    const uint8_t *body = nul + 2;
    size_t body_len = (size_t)(data + size - body);
    efc_error *err;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return 0;
    efc_model *m = NULL;
    efc_survey_options *so = NULL;
    efc_index_options *o = NULL;
    efc_table *t = NULL;
    efc_index *ix = NULL;
    if (efc_model_load_buffer(&m, data, (size_t)(nul - data), "fuzz-model.csv", NULL, err) ||
        efc_survey_options_create(&so, NULL, err) || efc_index_options_create(&o, NULL, err))
        goto done;
    if (flags & 4) {
        efc_survey_options_set_delimiter(so, ';', err);
        efc_survey_options_set_decimal_comma(so, 1, err);
    }
    if (flags & 8)
        efc_survey_options_add_na_token(so, "NA", err);
    if (flags & 1)
        efc_index_options_set_period_column(o, "period", err);
    if (flags & 2)
        efc_index_options_set_screen(o, 0.5, err);
    if (flags & 16)
        efc_index_options_set_reference_period(o, "2020", err);
    efc_index_options_set_threads(o, flags & 32 ? 1 : 2, err);
    if (efc_table_read_buffer(&t, m, body, body_len, "fuzz-data.csv", so, NULL, err) == EFC_OK) {
        efc_status st = efc_index_run(&ix, m, t, o, err);
        fuzz_check(st == EFC_OK ? ix != NULL : ix == NULL, "an index exactly on success");
        fuzz_check(st == EFC_OK || efc_error_code(err) == st, "the error says the status");
        if (ix) {
            read_back(ix);
            check_fitted(ix, t, o);
        }
    } else {
        fuzz_check(t == NULL, "no table on failure");
    }
done:
    efc_index_free(ix);
    efc_table_free(t);
    efc_index_options_free(o);
    efc_survey_options_free(so);
    efc_model_free(m);
    efc_error_free(err);
    return 0;
}
