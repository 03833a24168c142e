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

int cli_index_input(const cli_options *o, const char *file, const efc_model *m, const char *name,
                    const efc_survey_options *sopts, efc_table **table, efc_index_options **iopts,
                    const char **id_name, const char **period_name, efc_error *err)
{
    int status = read_table(file, name, m, sopts, table, err);
    if (status)
        return status;
    /* --id and --period-column mean what they mean to efc score: the id
     * column is 'id', else the first column; the period column 'period'
     * if present, '' for none */
    const efc_table *t = *table;
    if (o->id_column)
        *id_name = o->id_column;
    else if (efc_table_find(t, "id") != EFC_NO_NODE || efc_table_column_count(t) == 0)
        *id_name = "id";
    else
        *id_name = efc_table_column_name(t, 0);
    if (o->period_column)
        *period_name = o->period_column[0] ? o->period_column : NULL;
    else
        *period_name = efc_table_find(t, "period") != EFC_NO_NODE ? "period" : NULL;
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
    return st ? cli_fail(err, st) : EXIT_DONE;
}
