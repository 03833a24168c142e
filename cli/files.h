/* The files a run reads and writes, and the one rule that keeps them safe
 * (docs/cli.md, "Inputs and outputs"):
 *
 * - every output is checked before anything is read: one that resolves to
 *   an input (the survey, the model) or to another output is refused (exit
 *   2), each named by its own option;
 * - standard output, descriptor paths (/dev/stdout, /dev/fd/N,
 *   /proc/self/fd/N, and links to them) and devices are written in place,
 *   at the descriptor's own position: never resolved and renamed over;
 * - any other output is written under a temporary name beside its target
 *   (symbolic links followed, a dangling link creates its target) and all
 *   of a run's outputs are renamed into place together, only when the
 *   whole run succeeded: a failed run replaces nothing;
 * - a standard descriptor that was closed when efc started is an I/O error
 *   when the run needs it (exit 3);
 * - a terminating signal removes the temporary files before efc dies of
 *   it, and a file-size limit is a write error (exit 3), not a signal.
 *
 * The pending outputs are process-wide (the signal handler must find
 * them): this is the tool's one piece of global state. */
#ifndef EFC_CLI_FILES_H
#define EFC_CLI_FILES_H

#include <stddef.h>
#include <stdio.h>

/* A file of a run: the option that names it (for messages: "-o",
 * "--rejects", "--model", "the survey") and its path (NULL: not given;
 * "-": standard input or output). */
typedef struct cli_file {
    const char *option;
    const char *path;
} cli_file;

/* Call first in main(): remembers which standard descriptors were closed
 * (and fills them with /dev/null, so that no file the run opens becomes
 * "standard output"), installs the signal handlers and makes a file-size
 * limit a write error. */
void cli_files_init(void);

/* A write failed with EPIPE: the reader went away. Removes the temporary
 * outputs and ends efc by SIGPIPE, as if the write had raised it (SIGPIPE
 * is blocked so that it is handled under the outputs' lock); returns only
 * when whoever started efc ignored SIGPIPE. */
void cli_broken_pipe(void);

/* Refuse, before anything is read, outputs that would overwrite an input
 * or each other, device outputs where a directory of pages is needed, and
 * closed standard descriptors. Returns EXIT_DONE, EXIT_USAGE or EXIT_IO
 * after printing the reason. */
int cli_check_files(const char *command, const cli_file *inputs, size_t ninputs,
                    const cli_file *outputs, size_t noutputs);

/* An output being written. */
typedef struct cli_output {
    FILE *fp;
    const char *option; /* for messages */
    const char *path;   /* as given; NULL for standard output */
    int slot;           /* its pending rename, or -1 when written in place */
} cli_output;

/* Open an output (path NULL or "-": standard output). Returns EXIT_DONE,
 * or EXIT_IO / EXIT_NOMEM / EXIT_USAGE after printing the reason. */
int cli_output_open(cli_output *out, const char *option, const char *path);
/* Finish writing: flush and close. The file is renamed into place at the
 * end of the run (cli_files_settle). Returns EXIT_DONE or EXIT_IO. */
int cli_output_close(cli_output *out);
/* Abandon: close; the temporary file goes at the end of the run. */
void cli_output_abort(cli_output *out);

/* A directory of pages (efc report --pages), replaced as a whole: pages
 * are written into a temporary directory beside `dir`, which takes its
 * place at the end of a successful run. `dir` must have passed
 * cli_check_pages. */
typedef struct cli_pages {
    int slot;
} cli_pages;

/* Check the directory of pages `dir` (the overview's -o made into
 * "NAME-actors"): not an input's directory, and either absent or a
 * directory holding only report pages (aN.html), which it replaces.
 * EXIT_DONE or EXIT_USAGE after printing the reason. */
int cli_check_pages(const char *command, const char *dir, const cli_file *inputs, size_t ninputs);
/* Make the temporary directory for up to `capacity` pages. */
int cli_pages_open(cli_pages *p, const char *dir, size_t capacity);
/* Open the page `name` (a file name) in it for writing. */
int cli_pages_file(cli_pages *p, const char *name, FILE **fp);

/* The resolved path a file output would replace (symbolic links
 * followed), or NULL for standard output, descriptors and devices; a
 * malloc'd string (NULL too when out of memory: see *nomem). */
char *cli_output_target(const char *path, int *nomem);

/* At the end of a run: when `status` is a success (EXIT_DONE or
 * EXIT_REJECTED) every pending output is renamed into place, else every
 * temporary file is removed. Returns `status`, or EXIT_IO when a rename
 * failed. */
int cli_files_settle(int status);

/* Whether standard descriptor fd (0, 1, 2) was closed when efc started. */
int cli_std_closed(int fd);

#endif
