/* realpath(), readlink(), lstat() and sigaction() are POSIX; renameat2()
 * (an atomic exchange of two directories) is Linux's. */
#define _GNU_SOURCE

/* The files of a run: the output-safety rule of files.h. */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* ---- standard descriptors ---- */

static int std_closed[3];

int cli_std_closed(int fd)
{
    return fd >= 0 && fd < 3 && std_closed[fd];
}

/* ---- what a path names ---- */

enum kind {
    K_STDIO,      /* standard input or output ("-", or no path) */
    K_DESCRIPTOR, /* an open descriptor of ours, through /dev/fd/N and the like */
    K_FOREIGN,    /* a descriptor of another process (/proc/PID/fd/N) */
    K_DEVICE,     /* an existing device, pipe or socket */
    K_DIRECTORY,  /* an existing directory */
    K_FILE        /* a regular file, existing or to be created */
};

typedef struct where {
    enum kind kind;
    int fd;         /* K_STDIO, K_DESCRIPTOR */
    char *target;   /* K_FILE: the path with its links followed (malloc'd) */
    int exists;     /* st is valid */
    struct stat st; /* the file, device or descriptor's file */
    int err;        /* errno when the path could not be followed (ELOOP, ENOMEM) */
} where;

static char *join(const char *dir, size_t dirlen, const char *name)
{
    size_t n = strlen(name);
    char *p = malloc(dirlen + n + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, dirlen);
    p[dirlen] = '/';
    memcpy(p + dirlen + 1, name, n + 1);
    return p;
}

/* The directory part of a path ("." for a bare name, "/" for the root's
 * entries), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* A decimal number made of digits only (no sign, no blanks), below 2^31. */
static int parse_fd(const char *s, int *fd)
{
    long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT_MAX - 9) / 10)
            return 0;
        v = v * 10 + (*s - '0');
    }
    *fd = (int)v;
    return 1;
}

/* Whether `dir` (resolved) is a directory of descriptors: 1 ours, 2 another
 * process's, 0 none. /proc/self and /proc/thread-self resolve to
 * /proc/PID and /proc/PID/task/TID; /dev/fd is fdescfs elsewhere. */
static int fd_directory(const char *dir)
{
    if (strcmp(dir, "/dev/fd") == 0)
        return 1;
    if (strncmp(dir, "/proc/", 6) != 0)
        return 0;
    const char *p = dir + 6;
    char *end;
    long pid = strtol(p, &end, 10);
    if (end == p || *end != '/')
        return 0;
    p = end + 1;
    if (strncmp(p, "task/", 5) == 0) {
        long tid = strtol(p + 5, &end, 10);
        if (end == p + 5 || *end != '/')
            return 0;
        (void)tid;
        p = end + 1;
    }
    if (strcmp(p, "fd") != 0)
        return 0;
    return pid == (long)getpid() ? 1 : 2;
}

/* Whether `path` names a descriptor: /dev/stdin, /dev/stdout, /dev/stderr,
 * or an entry of a descriptor directory however it is reached (a link to
 * /proc/self/fd counts). 1 ours (*fd set), 2 another process's, 0 none. */
static int descriptor_of(const char *path, int *fd)
{
    static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
    for (int k = 0; k < 3; k++)
        if (strcmp(path, std[k]) == 0) {
            *fd = k;
            return 1;
        }
    if (!parse_fd(base_of(path), fd))
        return 0;
    char *dir = dir_of(path);
    char *real = dir ? realpath(dir, NULL) : NULL;
    int r = real ? fd_directory(real) : 0;
    free(dir);
    free(real);
    return r;
}

/* Where a new file at `path` goes: its directory resolved, and its name. */
static char *new_file_target(const char *path)
{
    char *dir = dir_of(path);
    char *rdir = dir ? realpath(dir, NULL) : NULL;
    free(dir);
    if (!rdir)
        return strdup(path); /* no such directory: opening it says so */
    char *out =
        join(strcmp(rdir, "/") ? rdir : "", strcmp(rdir, "/") ? strlen(rdir) : 0, base_of(path));
    free(rdir);
    return out;
}

/* The text of the symbolic link `path`, malloc'd. */
static char *read_link(const char *path, size_t hint)
{
    size_t cap = hint + 2 > 64 ? hint + 2 : 64;
    for (;;) {
        char *buf = malloc(cap);
        if (!buf)
            return NULL;
        ssize_t n = readlink(path, buf, cap);
        if (n < 0) {
            free(buf);
            return NULL;
        }
        if ((size_t)n < cap) {
            buf[n] = '\0';
            return buf;
        }
        free(buf);
        cap *= 2;
    }
}

/* Follow `path` link by link, so that a descriptor reached through links
 * (a link to /dev/stdout) is seen as one, and a dangling link gives the
 * file it names rather than itself. */
static void classify(const char *path, where *w)
{
    memset(w, 0, sizeof *w);
    if (!path || strcmp(path, "-") == 0) {
        w->kind = K_STDIO;
        w->fd = -1; /* the caller says which */
        return;
    }
    char *p = strdup(path);
    for (int hops = 0; p; hops++) {
        int fd;
        int d = descriptor_of(p, &fd);
        if (d) {
            w->kind = d == 1 ? K_DESCRIPTOR : K_FOREIGN;
            w->fd = fd;
            w->exists = d == 1 && fcntl(fd, F_GETFD) != -1 && fstat(fd, &w->st) == 0;
            break;
        }
        struct stat ls;
        if (lstat(p, &ls) != 0) {
            w->kind = K_FILE;
            w->target = new_file_target(p);
            if (!w->target)
                w->err = ENOMEM;
            break;
        }
        if (S_ISLNK(ls.st_mode)) {
            if (hops >= 40) {
                w->kind = K_FILE;
                w->err = ELOOP;
                break;
            }
            char *link = read_link(p, (size_t)ls.st_size);
            char *next = NULL;
            if (link && link[0] == '/') {
                next = link;
                link = NULL;
            } else if (link) {
                const char *slash = strrchr(p, '/');
                next = slash ? join(p, (size_t)(slash - p), link) : strdup(link);
            }
            free(link);
            if (!next) {
                w->kind = K_FILE;
                w->err = errno ? errno : ENOMEM;
                break;
            }
            free(p);
            p = next;
            continue;
        }
        w->st = ls;
        w->exists = 1;
        if (S_ISREG(ls.st_mode)) {
            w->kind = K_FILE;
            w->target = realpath(p, NULL);
            if (!w->target)
                w->err = errno ? errno : ENOMEM;
        } else {
            w->kind = S_ISDIR(ls.st_mode) ? K_DIRECTORY : K_DEVICE;
        }
        break;
    }
    if (!p)
        w->err = ENOMEM;
    free(p);
}

/* Files that one could be writing over the other: the same regular file,
 * or the same pipe or socket (two outputs mixed into one stream). Devices
 * such as /dev/null are shared harmlessly. */
static int same(const where *a, const where *b)
{
    if (a->exists && b->exists) {
        mode_t ma = a->st.st_mode & S_IFMT, mb = b->st.st_mode & S_IFMT;
        if (ma != mb || a->st.st_dev != b->st.st_dev || a->st.st_ino != b->st.st_ino)
            return 0;
        return ma == S_IFREG || ma == S_IFIFO || ma == S_IFSOCK;
    }
    /* two new files at one place */
    return a->kind == K_FILE && b->kind == K_FILE && a->target && b->target &&
           strcmp(a->target, b->target) == 0;
}

/* Whether b's path is a temporary name of a's (A.tmp...): renaming a's
 * stand-in into place, or b, would replace the other. */
static int temporary_of(const where *a, const where *b)
{
    if (a->kind != K_FILE || b->kind != K_FILE || !a->target || !b->target)
        return 0;
    size_t n = strlen(a->target);
    return strncmp(b->target, a->target, n) == 0 && strncmp(b->target + n, ".tmp", 4) == 0;
}

static const char *const std_names[] = {"standard input", "standard output", "standard error"};

/* An input or output on a descriptor: it must be open. */
static int check_descriptor(const char *option, const char *path, const where *w)
{
    if (cli_std_closed(w->fd)) {
        fprintf(stderr, "efc: %s%s%s: %s is closed\n", option, path ? " " : "", path ? path : "",
                std_names[w->fd]);
        return EXIT_IO;
    }
    if (!w->exists) {
        fprintf(stderr, "efc: %s %s: descriptor %d is not open\n", option, path, w->fd);
        return EXIT_IO;
    }
    return EXIT_DONE;
}

/* Where an input or output is, with standard input or output filled in. */
static int locate(const char *command, const cli_file *f, int is_output, where *w)
{
    classify(f->path, w);
    if (w->kind == K_STDIO) {
        w->fd = is_output ? 1 : 0;
        w->exists = !cli_std_closed(w->fd) && fstat(w->fd, &w->st) == 0;
        if (cli_std_closed(w->fd)) {
            fprintf(stderr, "efc: %s: %s is closed\n", is_output ? "output" : "input",
                    std_names[w->fd]);
            return EXIT_IO;
        }
        return EXIT_DONE;
    }
    if (w->err == ENOMEM) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    if (w->kind == K_FOREIGN)
        return cli_usage(command,
                         "%s: a descriptor of another process is not a file efc reads or writes",
                         f->option);
    if (w->kind == K_DESCRIPTOR)
        return check_descriptor(f->option, f->path, w);
    return EXIT_DONE;
}

static void forget(where *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].target);
}

/* The most inputs or outputs one check compares (efc index: -o and the
 * nine files of --stages). */
#define MAX_FILES 16

int cli_check_files(const char *command, const cli_file *inputs, size_t ninputs,
                    const cli_file *outputs, size_t noutputs)
{
    where in[MAX_FILES], out[MAX_FILES];
    const char *in_option[MAX_FILES], *in_path[MAX_FILES], *out_option[MAX_FILES];
    size_t ni = 0, no = 0;
    int status = EXIT_DONE;
    for (size_t i = 0; i < ninputs && ni < MAX_FILES && !status; i++) {
        if (!inputs[i].path)
            continue; /* an option not given; standard input is "-" */
        status = locate(command, &inputs[i], 0, &in[ni]);
        in_option[ni] = inputs[i].option;
        in_path[ni] = inputs[i].path;
        ni++;
    }
    for (size_t i = 0; i < noutputs && no < MAX_FILES && !status; i++) {
        const cli_file *o = &outputs[i];
        if (!o->path)
            continue; /* not asked for; standard output is "-" */
        if (o->path && !o->path[0]) {
            status = cli_usage(command, "%s: an output file name is empty", o->option);
            break;
        }
        where *w = &out[no];
        if ((status = locate(command, o, 1, w)))
            break;
        out_option[no++] = o->option;
        if (w->kind == K_DIRECTORY) {
            fprintf(stderr, "efc: %s %s: is a directory\n", o->option, o->path);
            status = EXIT_IO;
            break;
        }
        for (size_t k = 0; k < ni && !status; k++)
            if (same(w, &in[k])) {
                char what[600];
                int std = strcmp(in_path[k], "-") == 0;
                /* the whole message as the argument: a path may hold '%' */
                snprintf(what, sizeof what, "%s would overwrite an input file (%s%s%.400s)",
                         o->option, in_option[k], std ? ", " : " ",
                         std ? "standard input" : in_path[k]);
                status = cli_usage(command, "%s", what);
            }
        for (size_t k = 0; k + 1 < no && !status; k++)
            if (same(w, &out[k])) {
                char what[200];
                snprintf(what, sizeof what, "%s and %s name the same file", out_option[k],
                         o->option);
                status = cli_usage(command, "%s", what);
            } else if (temporary_of(&out[k], w) || temporary_of(w, &out[k])) {
                /* renaming one into place would land on the other's stand-in */
                char what[200];
                snprintf(what, sizeof what,
                         "%s and %s name the same file (one is the other's "
                         "temporary name)",
                         out_option[k], o->option);
                status = cli_usage(command, "%s", what);
            }
    }
    forget(in, ni);
    forget(out, no);
    return status;
}

/* ---- pending outputs ---- */

/* An output written under a temporary name: a file, or a directory of
 * pages. The signal handler reads these, so a slot is filled before it is
 * published (state set last) and its strings live until the process ends
 * or the slot has been settled with signals blocked. */
typedef struct pending {
    volatile sig_atomic_t state; /* 0 free, 1 file, 2 directory, 3 and 4 settled */
    char *tmp;                   /* the temporary file or directory */
    char *target;                /* what it replaces */
    const char *path;            /* as given, for messages */
    char **pages;                /* directories: the files made in tmp */
    size_t capacity;
    volatile sig_atomic_t npages;
} pending;

#define MAX_PENDING 16
static pending slots[MAX_PENDING];

/* The signals that end a run and must not leave temporary files. They are
 * blocked in every thread (the library's worker threads inherit the mask)
 * and taken by one thread of the CLI with sigwait(), which holds slots_lock
 * while it removes the temporary files: so a signal can never be handled in
 * the middle of a creation, a publication or the settling, which hold the
 * lock too, whichever thread the kernel picked. (A handler run
 * asynchronously in another thread did leave a file just created, about
 * once in 250 signals; a SIGPIPE sent with kill still could, once, until
 * SIGPIPE was blocked too.) A write to a closed pipe then fails with EPIPE
 * instead of killing efc: the error functions call cli_broken_pipe(),
 * which removes the temporary files under the lock and ends efc by SIGPIPE,
 * as `efc ... | head` expects. */
static const int fatal_signals[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
                                    SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2};
#define NFATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static sigset_t waited; /* the fatal signals the signal thread takes */

/* Held while a temporary output is created, published, filled with a page
 * or settled: the signal thread takes it before removing anything. */
static void lock_outputs(void)
{
    pthread_mutex_lock(&slots_lock);
}

static void unlock_outputs(void)
{
    pthread_mutex_unlock(&slots_lock);
}

/* Only async-signal-safe calls: unlink, rmdir. */
static void remove_temporaries(void)
{
    for (int i = 0; i < MAX_PENDING; i++) {
        pending *s = &slots[i];
        sig_atomic_t state = s->state;
        atomic_signal_fence(memory_order_seq_cst);
        if (state == 1) {
            unlink(s->tmp);
        } else if (state == 2) {
            sig_atomic_t n = s->npages;
            atomic_signal_fence(memory_order_seq_cst);
            for (sig_atomic_t k = 0; k < n; k++)
                unlink(s->pages[k]);
            rmdir(s->tmp);
        }
    }
}

/* Ends the process by the signal itself, so that its status says which. */
static void die_by(int sig)
{
    sigset_t one;
    signal(sig, SIG_DFL);
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig);
}

/* 1 when SIGPIPE is one of the signals taken (not ignored at start). */
static int sigpipe_taken;

void cli_broken_pipe(void)
{
    if (!sigpipe_taken)
        return; /* ignored by whoever started efc: EPIPE is an error like others */
    pthread_mutex_lock(&slots_lock);
    remove_temporaries();
    die_by(SIGPIPE);
}

static void *signal_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int sig;
        if (sigwait(&waited, &sig) != 0)
            continue;
        pthread_mutex_lock(&slots_lock);
        remove_temporaries();
        die_by(sig); /* with the lock held: nothing is created any more */
    }
    return NULL; /* not reached; gcc asks for it */
}

void cli_files_init(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        /* taken by /dev/null, so that the survey or an output opened later
         * does not become this descriptor */
        int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (got >= 0 && got != fd) {
            dup2(got, fd);
            close(got);
        }
        std_closed[fd] = 1;
    }
    sigemptyset(&waited);
    for (size_t i = 0; i < NFATAL; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started efc stays ignored */
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaddset(&waited, fatal_signals[i]);
        if (fatal_signals[i] == SIGPIPE)
            sigpipe_taken = 1;
    }
    /* blocked here, before any thread exists, so in every thread; if the
     * signal thread cannot start they stay default and unblocked */
    pthread_t t;
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &waited, &old);
    if (pthread_create(&t, NULL, signal_thread, NULL) == 0) {
        pthread_detach(t);
    } else {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        sigpipe_taken = 0; /* default again: a closed pipe kills efc itself */
    }
    /* past `ulimit -f` a write fails with EFBIG, reported like any write
     * error, instead of the signal killing efc without a word */
    signal(SIGXFSZ, SIG_IGN);
}

static int take_slot(void)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (slots[i].state == 0 && !slots[i].tmp)
            return i;
    return -1;
}

static void publish(pending *s, sig_atomic_t state)
{
    atomic_signal_fence(memory_order_seq_cst);
    s->state = state;
    atomic_signal_fence(memory_order_seq_cst);
}

/* "efc: PATH: what: reason", or the option's name when there is no path. */
static int io_error(const char *option, const char *path, const char *what)
{
    int e = errno ? errno : EIO;
    if (e == EPIPE)
        cli_broken_pipe();
    fprintf(stderr, "efc: %s: %s: %s\n", path ? path : option, what, strerror(e));
    return EXIT_IO;
}

static int no_memory(void)
{
    fprintf(stderr, "efc: out of memory\n");
    return EXIT_NOMEM;
}

char *cli_output_target(const char *path, int *nomem)
{
    where w;
    classify(path, &w);
    *nomem = w.err == ENOMEM;
    if (w.kind != K_FILE) {
        free(w.target);
        return NULL;
    }
    return w.target;
}

/* A name beside `target` for its temporary stand-in: TARGET.tmpPID.K. */
static char *temporary_name(const char *target, unsigned k)
{
    size_t n = strlen(target) + 48;
    char *tmp = malloc(n);
    if (tmp)
        snprintf(tmp, n, "%s.tmp%ld.%u", target, (long)getpid(), k);
    return tmp;
}

int cli_output_open(cli_output *out, const char *option, const char *path)
{
    out->fp = NULL;
    out->option = option;
    out->path = path && strcmp(path, "-") != 0 ? path : NULL;
    out->slot = -1;
    if (!out->path) {
        if (cli_std_closed(1)) {
            fprintf(stderr, "efc: output: standard output is closed\n");
            return EXIT_IO;
        }
        out->fp = stdout;
        return EXIT_DONE;
    }
    if (!path[0])
        return cli_usage(NULL, "%s: an output file name is empty", option);
    where w;
    classify(path, &w);
    if (w.err == ENOMEM)
        return no_memory();
    int status = EXIT_DONE;
    switch (w.kind) {
    case K_STDIO:
        break;
    case K_FOREIGN:
        status =
            cli_usage(NULL, "%s: a descriptor of another process is not a file efc writes", option);
        break;
    case K_DESCRIPTOR: {
        /* written at the descriptor's own position (appending after
         * `>> log`), through a copy that closing does not take away */
        if ((status = check_descriptor(option, path, &w)))
            break;
        int fd = dup(w.fd);
        out->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!out->fp) {
            if (fd >= 0)
                close(fd);
            status = io_error(option, path, "cannot open");
        }
        break;
    }
    case K_DEVICE:
        out->fp = fopen(path, "wb");
        if (!out->fp)
            status = io_error(option, path, "cannot open");
        break;
    case K_DIRECTORY:
        errno = EISDIR;
        status = io_error(option, path, "cannot create");
        break;
    case K_FILE: {
        if (w.err) {
            errno = w.err;
            status = io_error(option, path, "cannot create");
            break;
        }
        int k = take_slot();
        if (k < 0) {
            fprintf(stderr, "efc: %s: too many outputs\n", path);
            status = EXIT_USAGE;
            break;
        }
        pending *s = &slots[k];
        int fd = -1;
        /* a signal between creating the file and publishing it would leave
         * the file behind: both happen with the fatal signals blocked */
        lock_outputs();
        errno = 0;
        for (unsigned n = 0; n < 1000 && fd < 0; n++) {
            free(s->tmp);
            if (!(s->tmp = temporary_name(w.target, n)))
                break;
            fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
            if (fd < 0 && errno != EEXIST)
                break;
        }
        if (fd < 0) {
            unlock_outputs(); /* errno kept: pthread calls return their errors */
            status = s->tmp ? io_error(option, path, "cannot create") : no_memory();
            free(s->tmp);
            s->tmp = NULL;
            break;
        }
        /* published before anything is written: a signal removes it */
        s->target = w.target;
        w.target = NULL;
        s->path = path;
        publish(s, 1);
        unlock_outputs();
        out->slot = k;
        /* replacing a file keeps its permissions */
        if (w.exists)
            fchmod(fd, w.st.st_mode & 07777);
        out->fp = fdopen(fd, "wb");
        if (!out->fp) {
            close(fd);
            status = io_error(option, path, "cannot create");
            cli_output_abort(out);
        }
        break;
    }
    }
    free(w.target);
    return status;
}

int cli_output_close(cli_output *out)
{
    if (!out->fp)
        return EXIT_DONE;
    /* errno kept: an earlier failed write left its reason there */
    int failed = fflush(out->fp) != 0 || ferror(out->fp);
    int e = errno;
    if (out->fp != stdout && fclose(out->fp) != 0 && !failed) {
        failed = 1;
        e = errno;
    }
    out->fp = NULL;
    if (failed) {
        errno = e;
        return io_error(out->option, out->path ? out->path : "<stdout>", "write error");
    }
    return EXIT_DONE;
}

static void discard(pending *s);
static void release(pending *s);

void cli_output_abort(cli_output *out)
{
    if (out->fp && out->fp != stdout)
        fclose(out->fp);
    else if (out->fp)
        fflush(stdout);
    out->fp = NULL;
    if (out->slot >= 0) {
        /* gone at once: a run that goes on to succeed must not rename it */
        lock_outputs();
        discard(&slots[out->slot]);
        release(&slots[out->slot]);
        unlock_outputs();
        out->slot = -1;
    }
}

/* ---- directories of pages ---- */

/* A report's page: a<number>.html. */
static int is_page_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 7 || name[0] != 'a' || strcmp(name + n - 5, ".html") != 0)
        return 0;
    for (size_t i = 1; i < n - 5; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    return 1;
}

int cli_check_pages(const char *command, const char *dir, const cli_file *inputs, size_t ninputs)
{
    where w;
    classify(dir, &w);
    if (w.err == ENOMEM)
        return no_memory();
    int status = EXIT_DONE;
    if (w.kind == K_DESCRIPTOR || w.kind == K_FOREIGN || w.kind == K_DEVICE ||
        (w.kind == K_FILE && w.exists))
        status = cli_usage(command, "--pages: %s exists and is not a directory", dir);
    if (!status && w.kind == K_DIRECTORY) {
        /* no input may live there, by any name (standard input, a hard
         * link): the directory goes as a whole */
        struct stat ist[8];
        size_t nist = 0;
        const char *ist_option[8], *ist_path[8];
        for (size_t i = 0; i < ninputs && nist < 8; i++) {
            if (!inputs[i].path)
                continue;
            int std = strcmp(inputs[i].path, "-") == 0;
            if ((std ? fstat(0, &ist[nist]) : stat(inputs[i].path, &ist[nist])) == 0 &&
                S_ISREG(ist[nist].st_mode)) {
                ist_option[nist] = inputs[i].option;
                ist_path[nist++] = std ? "standard input" : inputs[i].path;
            }
        }
        DIR *d = status ? NULL : opendir(dir);
        if (!status && !d) {
            status = io_error("--pages", dir, "cannot read the directory");
        }
        for (struct dirent *e; d && !status && (e = readdir(d));) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *path = join(dir, strlen(dir), e->d_name);
            struct stat es;
            int regular = path && lstat(path, &es) == 0 && S_ISREG(es.st_mode);
            free(path);
            char what[1200];
            for (size_t i = 0; regular && i < nist && !status; i++)
                if (es.st_dev == ist[i].st_dev && es.st_ino == ist[i].st_ino) {
                    snprintf(what, sizeof what,
                             "--pages: %.400s holds an input file (%s %.400s) and is replaced as "
                             "a whole",
                             dir, ist_option[i], ist_path[i]);
                    status = cli_usage(command, "%s", what);
                }
            if (!status && (!regular || !is_page_name(e->d_name))) {
                snprintf(what, sizeof what,
                         "--pages: %.400s holds '%.400s', which is not a page of a report; the "
                         "directory is replaced as a whole: move it or choose another -o",
                         dir, e->d_name);
                status = cli_usage(command, "%s", what);
            }
        }
        if (d)
            closedir(d);
    }
    free(w.target);
    return status;
}

int cli_pages_open(cli_pages *p, const char *dir, size_t capacity)
{
    p->slot = -1;
    int k = take_slot();
    if (k < 0) {
        fprintf(stderr, "efc: %s: too many outputs\n", dir);
        return EXIT_USAGE;
    }
    pending *s = &slots[k];
    /* the directory as it would be created: links followed */
    where w;
    classify(dir, &w);
    char *target = w.kind == K_DIRECTORY ? realpath(dir, NULL) : w.target;
    if (w.kind == K_DIRECTORY)
        free(w.target);
    if (w.err && w.err != ENOMEM) {
        free(target);
        errno = w.err;
        return io_error("--pages", dir, "cannot create the directory");
    }
    s->pages = calloc(capacity ? capacity : 1, sizeof *s->pages);
    if (w.err == ENOMEM || !target || !s->pages) {
        free(target);
        free(s->pages);
        s->pages = NULL;
        return no_memory();
    }
    s->capacity = capacity;
    /* made and published with the fatal signals blocked, so that a signal
     * in between does not leave the directory behind */
    lock_outputs();
    errno = 0;
    for (unsigned n = 0; n < 1000; n++) {
        free(s->tmp);
        if (!(s->tmp = temporary_name(target, n))) {
            unlock_outputs();
            free(target);
            return no_memory();
        }
        if (mkdir(s->tmp, 0777) == 0) {
            s->target = target;
            s->path = dir;
            s->npages = 0;
            publish(s, 2);
            unlock_outputs();
            p->slot = k;
            return EXIT_DONE;
        }
        if (errno != EEXIST)
            break;
    }
    unlock_outputs(); /* errno kept: pthread calls return their errors */
    int status = io_error("--pages", dir, "cannot create the directory");
    free(s->tmp);
    s->tmp = NULL;
    free(s->pages);
    s->pages = NULL;
    free(target);
    return status;
}

int cli_pages_file(cli_pages *p, const char *name, FILE **fp)
{
    pending *s = &slots[p->slot];
    *fp = NULL;
    if ((size_t)s->npages >= s->capacity) {
        fprintf(stderr, "efc: %s: more pages than planned\n", s->path);
        return EXIT_IO;
    }
    char *path = join(s->tmp, strlen(s->tmp), name);
    if (!path)
        return no_memory();
    /* listed and created under the lock the signal thread takes, so that
     * it never removes the directory while a page is being made in it */
    lock_outputs();
    s->pages[s->npages] = path;
    atomic_signal_fence(memory_order_seq_cst);
    s->npages = s->npages + 1;
    atomic_signal_fence(memory_order_seq_cst);
    *fp = fopen(path, "wb");
    unlock_outputs(); /* errno kept: pthread calls return their errors */
    if (!*fp)
        return io_error("--pages", path, "cannot create");
    return EXIT_DONE;
}

/* ---- settling ---- */

static void remove_pages_of(const char *dir)
{
    DIR *d = opendir(dir);
    size_t len = strlen(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!is_page_name(e->d_name))
            continue;
        char *path = join(dir, len, e->d_name);
        if (path)
            unlink(path);
        free(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* Put the new directory of pages in place of the old one. The old one was
 * checked to hold only pages; it is swapped out in one step where the
 * system can (Linux's renameat2), else moved aside first. */
static int replace_directory(pending *s)
{
    struct stat sb;
    if (stat(s->target, &sb) != 0)
        return rename(s->tmp, s->target);
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->target, RENAME_EXCHANGE) == 0) {
        remove_pages_of(s->tmp); /* the old pages, now under the temporary name */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    char *old = temporary_name(s->target, 999);
    if (!old) {
        errno = ENOMEM;
        return -1;
    }
    if (rename(s->target, old) != 0) {
        free(old);
        return -1;
    }
    if (rename(s->tmp, s->target) != 0) {
        int e = errno;
        rename(old, s->target); /* the old pages back */
        free(old);
        errno = e;
        return -1;
    }
    remove_pages_of(old);
    free(old);
    return 0;
}

static void discard(pending *s)
{
    if (s->state == 1) {
        unlink(s->tmp);
    } else if (s->state == 2) {
        for (sig_atomic_t k = 0; k < s->npages; k++)
            unlink(s->pages[k]);
        rmdir(s->tmp);
    }
}

static void release(pending *s)
{
    s->state = 0;
    for (sig_atomic_t k = 0; s->pages && k < s->npages; k++)
        free(s->pages[k]);
    free(s->pages);
    free(s->tmp);
    free(s->target);
    memset((void *)s, 0, sizeof *s);
}

/* Put back the files moved aside in phase 1 of cli_files_settle. */
static void restore(char **aside, int upto)
{
    for (int i = 0; i < upto; i++)
        if (aside[i] && rename(aside[i], slots[i].target) != 0)
            fprintf(stderr, "efc: %s: could not be put back; it is at %s\n", slots[i].target,
                    aside[i]);
}

int cli_files_settle(int status)
{
    lock_outputs();
    int ok = status == EXIT_DONE || status == EXIT_REJECTED;
    char *aside[MAX_PENDING] = {0};
    int failed_at = -1;
    /* 1: every file to be replaced moved aside first, so that a refusal
     * (permissions, a sticky directory) shows before anything is replaced */
    for (int i = 0; ok && i < MAX_PENDING; i++) {
        pending *s = &slots[i];
        struct stat sb;
        if (s->state != 1 || lstat(s->target, &sb) != 0)
            continue;
        errno = 0;
        aside[i] = temporary_name(s->target, 998);
        if (!aside[i] || rename(s->target, aside[i]) != 0) {
            status = io_error(NULL, s->path, "cannot replace the file");
            free(aside[i]);
            aside[i] = NULL;
            failed_at = i;
            ok = 0;
        }
    }
    if (!ok && failed_at >= 0)
        restore(aside, failed_at);
    /* 2: directories, then files, into place; a failure puts the old files back */
    for (int pass = 2; ok && pass >= 1; pass--)
        for (int i = 0; ok && i < MAX_PENDING; i++) {
            pending *s = &slots[i];
            if (s->state != pass)
                continue;
            errno = 0;
            if (pass == 2 ? replace_directory(s) : rename(s->tmp, s->target)) {
                status = io_error(NULL, s->path, "cannot replace the file");
                ok = 0;
                for (int j = 0; j < MAX_PENDING; j++)
                    if (slots[j].state == 3)
                        unlink(slots[j].target); /* the new file goes; the old comes back */
                restore(aside, MAX_PENDING);
            } else {
                s->state = pass == 1 ? 3 : 4; /* settled: a file, a directory */
            }
        }
    for (int i = 0; i < MAX_PENDING; i++) {
        if (ok && aside[i])
            unlink(aside[i]);
        free(aside[i]);
        pending *s = &slots[i];
        if (s->state == 1 || s->state == 2)
            discard(s);
        if (s->state)
            release(s);
    }
    unlock_outputs();
    return status;
}
