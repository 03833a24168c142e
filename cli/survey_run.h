/* Reading a survey for any command: the model, the reading options, the
 * batches, the rejected rows (written to --rejects or reported on stderr),
 * the progress line and the summary. efc score writes the rows as they
 * come; the analysis verbs gather them into a panel. */
#ifndef EFC_CLI_SURVEY_RUN_H
#define EFC_CLI_SURVEY_RUN_H

#include <time.h>

#include "cli.h"
#include "csv_out.h"

typedef struct survey_run {
    const cli_options *o;
    const char *name; /* the survey's name in messages */
    efc_error *err;
    efc_model *model;
    efc_survey_options *sopts;
    efc_survey *survey;
    efc_batch *batch;
    cli_output rej;
    csv_out rw;
    int rej_open;
    unsigned long long shown; /* rejected rows reported on stderr */
    int progress_on, progress_shown;
    struct timespec start, last;
    char *input; /* standard input read whole, to fit a model on it first */
    size_t input_size;
} survey_run;

/* The output dialect chosen with --output-dialect. */
csv_dialect survey_run_dialect(const cli_options *o);

/* Load the model, open the survey (warning about columns it lacks or
 * ignores), make a batch and open --rejects. On failure the reason is
 * printed and the status returned; survey_run_free() cleans up either way. */
int survey_run_open(survey_run *r, const cli_options *o);

/* Read the next batch into r->batch, writing or reporting its rejected
 * rows. *end is set at the end of the survey. */
int survey_run_next(survey_run *r, int *end);

/* After the last batch: the count of rejected rows not shown, warnings,
 * and the rejects file committed. */
int survey_run_finish(survey_run *r);

/* The one-line summary on stderr (rows read, scored, rejected, clamped,
 * the model and its hash). */
void survey_run_summary(const survey_run *r);

/* EXIT_REJECTED when rows were rejected (skip mode), else EXIT_DONE. */
int survey_run_status(const survey_run *r);

void survey_run_free(survey_run *r);

#endif
