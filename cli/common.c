/* realpath() is an X/Open function */
#define _XOPEN_SOURCE 700

/* Error reporting, model loading and output files shared by the commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

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

int cli_io_error(const char *path, const char *what)
{
    fprintf(stderr, "efc: %s: %s: %s\n", path, what, strerror(errno ? errno : EIO));
    return EXIT_IO;
}

static int io_error(const char *path, const char *what)
{
    return cli_io_error(path, what);
}

/* Where a path really points: symlinks followed, so that writing replaces
 * the target and keeps the link. A path that does not exist yet is kept. */
static char *resolve(const char *path)
{
    char *real = realpath(path, NULL);
    if (real)
        return real;
    /* a new file: its directory resolved, and its name */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!rdir)
        return strdup(path);
    const char *base = slash ? slash + 1 : path;
    char *out = malloc(strlen(rdir) + strlen(base) + 2);
    if (out)
        sprintf(out, "%s/%s", strcmp(rdir, "/") ? rdir : "", base);
    free(rdir);
    return out;
}

int cli_output_open(cli_output *out, const char *path)
{
    out->fp = stdout;
    out->path = NULL;
    out->tmp = NULL;
    out->target = NULL;
    if (!path || strcmp(path, "-") == 0)
        return EXIT_DONE;
    if (!path[0])
        return cli_usage(NULL, "%s", "an output file name is empty");
    /* A device or a pipe (/dev/stdout, a FIFO) is written in place: renaming
     * a file over it would replace the device node itself. */
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode)) {
        out->fp = fopen(path, "wb");
        if (!out->fp)
            return io_error(path, "cannot open");
        out->path = path;
        return EXIT_DONE;
    }
    out->target = resolve(path);
    size_t n = out->target ? strlen(out->target) + 48 : 0;
    out->tmp = n ? malloc(n) : NULL;
    if (!out->tmp) {
        free(out->target);
        out->target = NULL;
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(out->tmp, n, "%s.tmp%ld.%u", out->target, (long)getpid(), k);
        int fd = open(out->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            break;
        /* replacing a file keeps its permissions */
        if (exists)
            fchmod(fd, sb.st_mode & 07777);
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
    free(out->target);
    out->tmp = out->target = NULL;
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
        free(out->target);
        out->tmp = out->target = NULL;
        return status;
    }
    if (!out->tmp)
        return EXIT_DONE; /* written in place */
    if (rename(out->tmp, out->target) != 0) {
        int status = io_error(out->path, "cannot replace the file");
        remove(out->tmp);
        free(out->tmp);
        free(out->target);
        out->tmp = out->target = NULL;
        return status;
    }
    free(out->tmp);
    free(out->target);
    out->tmp = out->target = NULL;
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
    free(out->target);
    out->tmp = out->target = NULL;
    out->fp = NULL;
}

/* Whether two paths name the same file: the same inode when both exist,
 * else the same resolved directory and name. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char *ra = resolve(a), *rb = resolve(b);
    int same = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

int cli_check_outputs(const char *command, const char *const *inputs, size_t ninputs,
                      const char *const *outputs, size_t noutputs)
{
    static const char *const names[] = {"-o", "--rejects"};
    for (size_t i = 0; i < noutputs; i++) {
        const char *o = outputs[i];
        if (!o || !o[0] || strcmp(o, "-") == 0)
            continue;
        struct stat sb;
        if (stat(o, &sb) == 0 && !S_ISREG(sb.st_mode))
            continue; /* a device such as /dev/null or /dev/stdout */
        for (size_t k = 0; k < ninputs; k++)
            if (inputs[k] && strcmp(inputs[k], "-") != 0 && same_file(o, inputs[k]))
                return cli_usage(command, "%s would overwrite an input file", names[i < 2 ? i : 1]);
        for (size_t k = 0; k < i; k++)
            if (outputs[k] && same_file(o, outputs[k]))
                return cli_usage(command, "%s", "-o and --rejects name the same file");
    }
    return EXIT_DONE;
}

int cli_finish_stdout(void)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_io_error("<stdout>", "write error");
    return EXIT_DONE;
}

double cli_seconds(const struct timespec *from, const struct timespec *to)
{
    return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}
