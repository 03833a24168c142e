/* The library path on its own: read and score a survey with the default
 * model through efc_survey_read, as the Python package and other programs
 * do, writing nothing. Prints the rows and the sum of the root scores (so
 * the work cannot be skipped, and runs can be compared).
 *   api_read FILE [THREADS] */
#include <efc/efc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
    efc_error *err = NULL;
    efc_model *m = NULL;
    efc_survey_options *o = NULL;
    efc_survey *s = NULL;
    efc_batch *b = NULL;
    int status = 1;
    if (efc_error_create(&err, NULL) || efc_model_default(&m, NULL, err) ||
        efc_survey_options_create(&o, NULL, err) ||
        efc_survey_options_set_threads(o, threads, err) ||
        efc_survey_open_path(&s, m, argv[1], o, NULL, err) ||
        efc_batch_create(&b, s, 512, NULL, err))
        goto done;
    size_t nodes = efc_model_node_count(m), root = efc_model_root(m);
    unsigned long long rows = 0;
    double sum = 0;
    for (;;) {
        if (efc_survey_read(b, s, err))
            goto done;
        size_t n = efc_batch_rows(b);
        if (n == 0 && efc_batch_rejected_count(b) == 0)
            break;
        const double *sc = efc_batch_scores(b);
        for (size_t i = 0; i < n; i++)
            if (!isnan(sc[i * nodes + root]))
                sum += sc[i * nodes + root];
        rows += n;
    }
    printf("%llu rows, sum of %s scores %.6f\n", rows, efc_model_node_id(m, root), sum);
    status = 0;
done:
    if (status)
        fprintf(stderr, "api_read: %s\n", efc_error_message(err));
    efc_batch_free(b);
    efc_survey_free(s);
    efc_survey_options_free(o);
    efc_model_free(m);
    efc_error_free(err);
    return status;
}
