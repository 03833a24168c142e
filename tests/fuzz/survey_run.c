#include "survey_run.h"

#include <math.h>

#include "fuzz.h"

/* bits of f[0]: 0-1 delimiter (detected , ; tab), 2-3 encoding (auto,
 * UTF-8, Windows-1252, UTF-16LE), 4 decimal comma, 5 dd/mm/yyyy, 6 strict
 * range, 7 skip bad rows */
static efc_survey_options *options_from(const uint8_t f[2], efc_error *err)
{
    efc_survey_options *o;
    if (efc_survey_options_create(&o, NULL, err) != EFC_OK)
        return NULL;
    static const char delimiters[4] = {0, ',', ';', '\t'};
    static const efc_encoding encodings[4] = {EFC_ENCODING_AUTO, EFC_ENCODING_UTF8,
                                              EFC_ENCODING_WINDOWS_1252, EFC_ENCODING_UTF16LE};
    fuzz_check(efc_survey_options_set_delimiter(o, delimiters[f[0] & 3], err) == EFC_OK,
               "delimiter");
    fuzz_check(efc_survey_options_set_encoding(o, encodings[f[0] >> 2 & 3], err) == EFC_OK,
               "encoding");
    /* a decimal comma with ',' as the delimiter is refused, rightly */
    if (delimiters[f[0] & 3] != ',')
        fuzz_check(efc_survey_options_set_decimal_comma(o, f[0] >> 4 & 1, err) == EFC_OK, "comma");
    fuzz_check(efc_survey_options_set_date_format(
                   o, f[0] >> 5 & 1 ? EFC_DATE_FORMAT_DMY : EFC_DATE_FORMAT_ISO, err) == EFC_OK,
               "dates");
    fuzz_check(efc_survey_options_set_strict_range(o, f[0] >> 6 & 1, err) == EFC_OK, "range");
    fuzz_check(efc_survey_options_set_on_error(o, f[0] >> 7 ? EFC_ON_ERROR_SKIP : EFC_ON_ERROR_FAIL,
                                               err) == EFC_OK,
               "on error");
    static const efc_combine combines[4] = {EFC_COMBINE_NONE, EFC_COMBINE_NONE, EFC_COMBINE_MEAN,
                                            EFC_COMBINE_MEDIAN};
    /* bits of f[1]: 0-1 combine, 2 "NA" token, 3 group column "sector",
     * 4 a 64-byte field limit, 5 a reader thread, 6 batches of 512 */
    fuzz_check(efc_survey_options_set_combine(o, combines[f[1] & 3], err) == EFC_OK, "combine");
    if (f[1] >> 2 & 1)
        fuzz_check(efc_survey_options_add_na_token(o, "NA", err) == EFC_OK, "na");
    if (f[1] >> 3 & 1)
        fuzz_check(efc_survey_options_add_group_column(o, "sector", err) == EFC_OK, "group");
    if (f[1] >> 4 & 1)
        fuzz_check(efc_survey_options_set_max_field(o, 64, err) == EFC_OK, "max field");
    fuzz_check(efc_survey_options_set_threads(o, f[1] >> 5 & 1 ? 2 : 1, err) == EFC_OK, "threads");
    return o;
}

/* What holds for any survey: counts add up, quartiles are ordered, a
 * Pearson correlation is within [-1, 1]. */
static void check_quality(const efc_quality *q, const efc_model *m, unsigned long long rows)
{
    fuzz_check(efc_quality_rows(q) == rows, "quality rows");
    for (size_t j = 0; j < efc_model_leaf_count(m); j++) {
        double answers = efc_quality_item_value(q, j, EFC_ITEM_ANSWERS);
        fuzz_check(answers + efc_quality_item_value(q, j, EFC_ITEM_MISSING) == (double)rows,
                   "answers + missing = rows");
        double prev = -INFINITY;
        for (int st = EFC_ITEM_MIN; st <= EFC_ITEM_MAX && answers > 0; st++) {
            double v = efc_quality_item_value(q, j, (efc_item_metric)st);
            fuzz_check(v >= prev, "quartiles in order");
            prev = v;
        }
        size_t node = efc_model_leaf_node(m, j), on = 0;
        for (size_t l = 0; l < efc_model_node_level_count(m, node); l++)
            on += efc_quality_item_level_answers(q, j, l);
        fuzz_check((double)on + efc_quality_item_value(q, j, EFC_ITEM_OFF_LEVEL) ==
                       (efc_model_node_level_count(m, node) ? answers : 0),
                   "answers per level add up");
    }
    for (size_t s = 0; s < efc_quality_scale_count(q); s++) {
        fuzz_check(efc_quality_scale_value(q, s, EFC_SCALE_ITEMS_USED) <=
                       efc_quality_scale_value(q, s, EFC_SCALE_ITEMS),
                   "items used");
        fuzz_check(efc_quality_scale_value(q, s, EFC_SCALE_N_COMPLETE) <=
                           efc_quality_scale_value(q, s, EFC_SCALE_N) &&
                       efc_quality_scale_value(q, s, EFC_SCALE_N) <= (double)rows,
                   "scale rows");
        for (size_t i = 0; i < efc_quality_scale_item_count(q, s); i++) {
            double r = efc_quality_scale_item_value(q, s, i, EFC_SCALE_ITEM_R_TOTAL);
            fuzz_check(isnan(r) || fabs(r) <= 1 + 1e-9, "item-total correlation");
        }
    }
}

void fuzz_survey_run(const efc_model *m, const uint8_t flags[2], const uint8_t *data, size_t size)
{
    efc_error *err;
    if (efc_error_create(&err, NULL) != EFC_OK)
        return;
    efc_survey_options *o = options_from(flags, err);
    efc_survey *s = NULL;
    efc_batch *b = NULL;
    efc_quality *q = NULL;
    if (!o)
        goto done;
    efc_status st = efc_survey_open_buffer(&s, m, data, size, "fuzz.csv", o, NULL, err);
    if (st != EFC_OK) {
        fuzz_check(s == NULL && efc_error_message(err)[0] != '\0', "open error has a message");
        goto done;
    }
    /* 512 rows take the reader's units whole; 3 copies and splits them */
    fuzz_check(efc_batch_create(&b, s, flags[1] >> 6 & 1 ? 512 : 3, NULL, err) == EFC_OK, "batch");
    fuzz_check(efc_quality_create(&q, m, NULL, NULL, err) == EFC_OK, "quality");
    size_t nodes = efc_model_node_count(m);
    int steps = 0; /* a leaf has pipeline steps (a fitted model's, as it opened) */
    for (size_t j = 0; j < efc_model_leaf_count(m); j++)
        for (int k = EFC_STEP_DENOMINATOR; k <= EFC_STEP_NORMALISE; k++)
            steps |= efc_model_node_step(m, efc_model_leaf_node(m, j), (efc_step)k)[0] != 0;
    unsigned long long out = 0, rejected = 0;
    int combined = (flags[1] & 3) >= 2, skip = flags[0] >> 7;
    for (;;) {
        st = efc_survey_read(b, s, err);
        if (st != EFC_OK) {
            fuzz_check(efc_error_message(err)[0] != '\0', "read error has a message");
            fuzz_check(efc_survey_read(b, s, err) != EFC_OK, "a stopped survey stays stopped");
            break;
        }
        size_t rows = efc_batch_rows(b), nrej = efc_batch_rejected_count(b);
        if (rows == 0 && nrej == 0) {
            /* the end: every data row is accounted for */
            fuzz_check(efc_survey_rows_rejected(s) == rejected, "rejected rows handed out");
            fuzz_check(efc_survey_rows_out(s) == out, "rows handed out");
            if (!combined)
                fuzz_check(efc_survey_rows_read(s) == out + rejected, "read = scored + rejected");
            fuzz_check(efc_quality_finalize(q, err) == EFC_OK, "quality finalized");
            check_quality(q, m, out);
            break;
        }
        fuzz_check(skip || nrej == 0, "no rejected rows in fail mode");
        const double *sc = efc_batch_scores(b), *cov = efc_batch_coverages(b);
        for (size_t i = 0; i < rows * nodes; i++) {
            /* a fitted model's scores are on its normalisations' scales */
            fuzz_check(isnan(sc[i]) || (steps ? isfinite(sc[i]) : sc[i] >= 0 && sc[i] <= 1),
                       "score within [0, 1], or finite for a fitted model");
            fuzz_check(cov[i] >= 0 && cov[i] <= 1 + 1e-9, "coverage within [0, 1]");
        }
        for (size_t i = 0; i < rows; i++)
            fuzz_check(efc_batch_id(b, i) != NULL && efc_batch_period(b, i) != NULL, "row texts");
        for (size_t i = 0; i < nrej; i++)
            fuzz_check(efc_batch_rejected_reason(b, i) != NULL &&
                           efc_batch_rejected_line(b, i) >= 2,
                       "a rejected row has a reason and a data line");
        fuzz_check(efc_quality_add_batch(q, b, err) == EFC_OK, "quality takes every batch");
        out += rows;
        rejected += nrej;
    }
done:
    efc_quality_free(q);
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_error_free(err);
}
