/* Error reporting, model loading and output files shared by the commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_fail(const efc_error *err, efc_status st)
{
    const char *text = efc_error_code(err) == st ? efc_error_text(err) : efc_strerror(st);
    fprintf(stderr, "efc: %s\n", text[0] ? text : efc_strerror(st));
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

static int io_error(const char *path, const char *what)
{
    fprintf(stderr, "efc: %s: %s: %s\n", path, what, strerror(errno));
    return EXIT_IO;
}

int cli_output_open(cli_output *out, const char *path)
{
    out->fp = stdout;
    out->path = NULL;
    out->tmp = NULL;
    if (!path || strcmp(path, "-") == 0)
        return EXIT_DONE;
    /* A device or a pipe (/dev/stdout, a FIFO) is written in place: renaming
     * a file over it would replace the device node itself. */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        out->fp = fopen(path, "wb");
        if (!out->fp)
            return io_error(path, "cannot open");
        out->path = path;
        return EXIT_DONE;
    }
    size_t n = strlen(path) + 48;
    out->tmp = malloc(n);
    if (!out->tmp) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(out->tmp, n, "%s.tmp%ld.%u", path, (long)getpid(), k);
        int fd = open(out->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            break;
        out->fp = fdopen(fd, "wb");
        if (!out->fp) {
            close(fd);
            remove(out->tmp);
            break;
        }
        out->path = path;
        return EXIT_DONE;
    }
    int status = io_error(path, "cannot create");
    free(out->tmp);
    out->tmp = NULL;
    out->fp = NULL;
    return status;
}

int cli_output_commit(cli_output *out)
{
    if (!out->path) {
        if (fflush(stdout) != 0 || ferror(stdout))
            return io_error("<stdout>", "write error");
        return EXIT_DONE;
    }
    int failed = fflush(out->fp) != 0 || ferror(out->fp);
    int e = errno;
    failed |= fclose(out->fp) != 0;
    out->fp = NULL;
    if (failed) {
        errno = e;
        int status = io_error(out->path, "write error");
        if (out->tmp)
            remove(out->tmp);
        free(out->tmp);
        out->tmp = NULL;
        return status;
    }
    if (!out->tmp)
        return EXIT_DONE; /* written in place */
    if (rename(out->tmp, out->path) != 0) {
        int status = io_error(out->path, "cannot replace the file");
        remove(out->tmp);
        free(out->tmp);
        out->tmp = NULL;
        return status;
    }
    free(out->tmp);
    out->tmp = NULL;
    return EXIT_DONE;
}

void cli_output_abort(cli_output *out)
{
    if (out->path && out->fp) {
        fclose(out->fp);
        if (out->tmp)
            remove(out->tmp);
    }
    free(out->tmp);
    out->tmp = NULL;
    out->fp = NULL;
}
