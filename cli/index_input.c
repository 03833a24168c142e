/* The input of the pipeline's verbs (efc index, efc model --fit): the data
 * read whole into a table, and the index options the command line gives. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int no_memory(void)
{
    fprintf(stderr, "efc: out of memory\n");
    return EXIT_NOMEM;
}

/* Standard input into memory: a table is read whole. */
static int read_stdin(char **data, size_t *size)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return no_memory();
    for (;;) {
        if (len == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                return no_memory();
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, cap - len, stdin);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(stdin)) {
        free(buf);
        return cli_io_error("<stdin>", "read error");
    }
    *data = buf;
    *size = len;
    return EXIT_DONE;
}

static int read_table(const char *file, const char *name, const efc_model *m,
                      const efc_survey_options *sopts, efc_table **out, efc_error *err)
{
    efc_status st;
    if (strcmp(file, "-") == 0) {
        char *data = NULL;
        size_t size = 0;
        int status = read_stdin(&data, &size);
        if (status)
            return status;
        st = efc_table_read_buffer(out, m, data, size, name, sopts, NULL, err);
        free(data);
    } else {
        st = efc_table_read_path(out, m, file, sopts, NULL, err);
    }
    return st ? cli_fail(err, st) : EXIT_DONE;
}

/* --id and --period-column mean what they mean to efc score: the id
 * column is 'id', else the first column; the period column 'period' if
 * present, '' for none (*period NULL). */
static void choose_columns(const cli_options *o, const efc_table *t, const char **id,
                           const char **period)
{
    if (o->id_column)
        *id = o->id_column;
    else if (efc_table_find(t, "id") != EFC_NO_NODE || efc_table_column_count(t) == 0)
        *id = "id";
    else
        *id = efc_table_column_name(t, 0);
    if (o->period_column)
        *period = o->period_column[0] ? o->period_column : NULL;
    else
        *period = efc_table_find(t, "period") != EFC_NO_NODE ? "period" : NULL;
}

int cli_index_input(const cli_options *o, const char *file, const efc_model *m, const char *name,
                    const efc_survey_options *sopts, efc_table **table, efc_index_options **iopts,
                    const char **id_name, const char **period_name, efc_error *err)
{
    int status = read_table(file, name, m, sopts, table, err);
    if (status)
        return status;
    choose_columns(o, *table, id_name, period_name);
    if (o->reference_period && !*period_name)
        return cli_usage(o->command,
                         "--reference-period %s needs a period column (--period-column)",
                         o->reference_period);
    if (*period_name && strcmp(*period_name, *id_name) == 0)
        return cli_usage(o->command, "the id and period columns are both '%s'", *id_name);
    efc_status st = efc_index_options_create(iopts, NULL, err);
    if (!st)
        st = efc_index_options_set_id_column(*iopts, *id_name, err);
    if (!st && *period_name)
        st = efc_index_options_set_period_column(*iopts, *period_name, err);
    if (!st)
        st = efc_index_options_set_screen(*iopts, o->screen, err);
    if (!st && o->reference_period)
        st = efc_index_options_set_reference_period(*iopts, o->reference_period, err);
    if (!st) /* --jobs: threads over the leaves, the same bytes whatever their number */
        st = efc_index_options_set_threads(*iopts, (unsigned)o->jobs, err);
    if (!st) /* the steps' stages only for --stages' files */
        st = efc_index_options_set_keep_steps(*iopts, o->stages != NULL, err);
    return st ? cli_fail(err, st) : EXIT_DONE;
}

int cli_read_stdin(char **data, size_t *size)
{
    return read_stdin(data, size);
}

/* Whether a leaf's steps are of method `how` of `step`. */
static int uses(const efc_model *m, efc_step step, int how)
{
    for (size_t j = 0; j < efc_model_leaf_count(m); j++)
        if (efc_model_node_step_method(m, efc_model_leaf_node(m, j), step) == how)
            return 1;
    return 0;
}

int cli_fit_on_input(const cli_options *o, efc_model **model, const char *name,
                     const efc_survey_options *sopts, const void *data, size_t size, efc_error *err)
{
    if (uses(*model, EFC_STEP_IMPUTE, EFC_IMPUTE_LATEST) ||
        uses(*model, EFC_STEP_IMPUTE, EFC_IMPUTE_LINEAR)) {
        /* along each unit's periods: a fitted model keeps them, and still
         * scores a whole panel at once */
        fprintf(stderr, "efc: the model imputes by latest or linear along a panel's periods: it "
                        "scores a whole table at once, with efc index\n");
        return EXIT_DATA;
    }
    efc_table *t = NULL;
    efc_index_options *iopts = NULL;
    efc_index *ix = NULL;
    efc_model *fitted = NULL;
    efc_status st = data ? efc_table_read_buffer(&t, *model, data, size, name, sopts, NULL, err)
                         : efc_table_read_path(&t, *model, o->file, sopts, NULL, err);
    int read_failed = st != EFC_OK;
    if (!st)
        st = efc_index_options_create(&iopts, NULL, err);
    if (!st)
        st = efc_index_options_set_threads(iopts, (unsigned)o->jobs, err);
    if (!st) /* the fit needs no stage of the steps */
        st = efc_index_options_set_keep_steps(iopts, 0, err);
    int status = EXIT_DONE;
    if (!st && uses(*model, EFC_STEP_NORMALISE, EFC_NORMALISE_DIST2REF)) {
        /* dist2ref names a unit: the survey's id (and period) columns, one
         * row per unit and period */
        const char *id, *period;
        choose_columns(o, t, &id, &period);
        st = efc_index_options_set_id_column(iopts, id, err);
        if (!st && period)
            st = efc_index_options_set_period_column(iopts, period, err);
    } else if (!st) {
        /* every row is a unit of the fit (a survey may have several rows
         * per actor): a column of row numbers, named apart from the data's */
        char col[64] = "efc_row";
        for (int k = 2; efc_table_find(t, col) != EFC_NO_NODE; k++)
            snprintf(col, sizeof col, "efc_row_%d", k);
        size_t rows = efc_table_rows(t);
        char **texts = calloc(rows ? rows : 1, sizeof *texts);
        char *storage = malloc((rows ? rows : 1) * 21);
        if (!texts || !storage) {
            free(texts);
            free(storage);
            status = no_memory();
        } else {
            for (size_t i = 0; i < rows; i++) {
                texts[i] = storage + 21 * i;
                snprintf(texts[i], 21, "%zu", i + 1);
            }
            st = efc_table_add_texts(t, col, (const char *const *)texts, err);
            if (!st)
                st = efc_index_options_set_id_column(iopts, col, err);
        }
        free(texts);
        free(storage);
    }
    if (!status && !st)
        st = efc_index_run(&ix, *model, t, iopts, err);
    if (!status && !st)
        st = efc_index_fitted_model(&fitted, ix, NULL, err);
    if (!status && st) {
        status = cli_fail(err, st);
        if (read_failed && st != EFC_ERR_NOMEM && st != EFC_ERR_IO)
            fprintf(stderr,
                    "efc: hint: the model has data-driven steps and is fitted on the input "
                    "first, which reads every row strictly (--on-error skip and --labels do not "
                    "apply to the fit): fit it on clean data with efc model --fit, then score "
                    "with the fitted codebook\n");
    }
    if (!status) {
        if (!o->quiet)
            fprintf(stderr,
                    "efc: the model has data-driven steps: fitted on the %zu rows of %s first "
                    "(to score against a fixed population, fit once with efc model --fit and "
                    "score with the fitted codebook)\n",
                    efc_table_rows(t), name);
        efc_model_free(*model);
        *model = fitted;
    }
    efc_index_free(ix);
    efc_index_options_free(iopts);
    efc_table_free(t);
    return status;
}
