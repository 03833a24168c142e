/* Error reporting and model loading shared by the commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include "cli.h"
#include "files.h"

int cli_fail(const efc_error *err, efc_status st)
{
    const char *text = efc_error_code(err) == st ? efc_error_text(err) : efc_strerror(st);
    fprintf(stderr, "efc: %s\n", text[0] ? text : efc_strerror(st));
    /* a model with data-driven steps scores a whole table, not rows */
    if (st == EFC_ERR_MODEL && efc_error_code(err) == st &&
        efc_error_reason(err) == EFC_REASON_NEEDS_INDEX && !strstr(text, "cannot be fitted"))
        fprintf(stderr, "efc: hint: use efc index to score this model on a data file\n");
    switch (st) {
    case EFC_OK:
        return EXIT_DONE;
    case EFC_ERR_NOMEM:
        return EXIT_NOMEM;
    case EFC_ERR_IO:
        return EXIT_IO;
    case EFC_ERR_ARGUMENT:
        return EXIT_USAGE;
    default:
        return EXIT_DATA;
    }
}

int cli_usage(const char *command, const char *fmt, const char *arg)
{
    fprintf(stderr, "efc%s%s: ", command ? " " : "", command ? command : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see 'efc %s%s--help')\n", command ? command : "", command ? " " : "");
    return EXIT_USAGE;
}

int cli_load_model(const cli_options *o, efc_model **model, efc_error *err)
{
    efc_status st = o->model_path ? efc_model_load_path(model, o->model_path, NULL, err)
                                  : efc_model_default(model, NULL, err);
    return st ? cli_fail(err, st) : EXIT_DONE;
}

int cli_io_error(const char *path, const char *what)
{
    if (errno == EPIPE)
        cli_broken_pipe();
    fprintf(stderr, "efc: %s: %s: %s\n", path, what, strerror(errno ? errno : EIO));
    return EXIT_IO;
}

int cli_finish_stdout(void)
{
    if (cli_std_closed(1)) {
        fprintf(stderr, "efc: output: standard output is closed\n");
        return EXIT_IO;
    }
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_io_error("<stdout>", "write error");
    return EXIT_DONE;
}

double cli_seconds(const struct timespec *from, const struct timespec *to)
{
    return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

int cli_actor_list(const efc_panel *p, const char *source, const char *list, char **copy,
                   const char ***ids, size_t **actors, size_t *n)
{
    *n = 0;
    *ids = NULL;
    *actors = NULL;
    size_t most = 1;
    for (const char *c = list; *c; c++)
        most += *c == ',';
    *copy = strdup(list);
    *ids = malloc(most * sizeof **ids);
    *actors = malloc(most * sizeof **actors);
    if (!*copy || !*ids || !*actors) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    for (char *s = *copy, *comma;; s = comma + 1) {
        comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        /* ids have no surrounding blanks (survey.md) */
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            s[--len] = '\0';
        if (((*actors)[*n] = efc_panel_find_actor(p, s)) == EFC_NONE) {
            fprintf(stderr, "efc: %s: actor '%s' is not in the survey\n", source, s);
            return EXIT_DATA;
        }
        (*ids)[(*n)++] = s;
        if (!comma)
            return EXIT_DONE;
    }
}
