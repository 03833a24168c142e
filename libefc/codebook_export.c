/* realpath() is an X/Open function */
#define _XOPEN_SOURCE 700

/* Writing a model as a codebook CSV. The output is canonical: the same
 * model always gives the same bytes, and loading them gives the same model,
 * so `efc model --export` round-trips exactly. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "input.h"
#include "model_internal.h"
#include "number.h"
#include "sha256.h"
#include "strbuf.h"

static void put_number(efc__strbuf *b, double v)
{
    char buf[EFC__NUMBER_BUF];
    efc__fmt_number(v, buf);
    efc__strbuf_puts(b, buf);
}

static void put_text(efc__strbuf *b, const char *s)
{
    efc__strbuf_putc(b, ',');
    if (s)
        efc__strbuf_csv_field(b, s, ',');
}

/* The pipeline's columns are written only by models that use them, so
 * that every other model exports (and hashes) as before. */
static int has_steps(const efc_model *m)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->nodes[i].steps)
            return 1;
    return 0;
}

static void step_cells(const efc_model *m, size_t i, efc__strbuf *b)
{
    for (int k = EFC_STEP_DENOMINATOR; k <= EFC_STEP_NORMALISE; k++)
        put_text(b, efc_model_node_step(m, i, (efc_step)k));
    efc__strbuf_putc(b, ',');
    double t = efc_model_node_target(m, i);
    if (!isnan(t))
        put_number(b, t);
}

static void header(const efc_model *m, efc__strbuf *b, int steps)
{
    static const char *const texts[] = {"label", "description", "levels"};
    efc__strbuf_puts(b, "id,parent");
    for (int k = 0; k < 3; k++) {
        efc__strbuf_putc(b, ',');
        efc__strbuf_puts(b, texts[k]);
        for (size_t l = 0; l < m->lang_count; l++) {
            efc__strbuf_putc(b, ',');
            efc__strbuf_puts(b, texts[k]);
            efc__strbuf_putc(b, '_');
            efc__strbuf_puts(b, m->langs[l]);
        }
    }
    efc__strbuf_puts(b, ",weight,min,max,direction,transform,aggregate,min_coverage,threshold");
    if (steps)
        efc__strbuf_puts(b, ",denominator,impute,treat,normalise,target");
    efc__strbuf_putc(b, '\n');
}

static void node_row(const efc_model *m, size_t i, efc__strbuf *b, int steps)
{
    const efc__node *n = &m->nodes[i];
    efc__strbuf_csv_field(b, n->id, ',');
    put_text(b, n->parent_id);
    for (int k = 0; k < 3; k++) {
        put_text(b, n->text[k]);
        for (size_t l = 0; l < m->lang_count; l++)
            put_text(b, efc_model_node_text(m, i, (efc_text_kind)k, m->langs[l]));
    }
    efc__strbuf_putc(b, ',');
    put_number(b, n->weight);
    if (n->kind == EFC_NODE_LEAF) {
        efc__strbuf_putc(b, ',');
        if (!isnan(n->min)) /* none: normalised from the data */
            put_number(b, n->min);
        efc__strbuf_putc(b, ',');
        if (!isnan(n->max))
            put_number(b, n->max);
        efc__strbuf_putc(b, ',');
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_DIRECTION, (int)n->direction));
        efc__strbuf_putc(b, ',');
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_TRANSFORM, (int)n->transform));
        efc__strbuf_puts(b, ",,");
    } else {
        efc__strbuf_puts(b, ",,,,,");
        char method[EFC__NUMBER_BUF + 8];
        efc_aggregate_format(method, sizeof method, NULL, n->aggregate, n->power, NULL);
        efc__strbuf_puts(b, method);
        efc__strbuf_putc(b, ',');
        put_number(b, n->min_coverage);
    }
    efc__strbuf_putc(b, ',');
    if (!isnan(n->threshold))
        put_number(b, n->threshold);
    if (steps)
        step_cells(m, i, b);
    efc__strbuf_putc(b, '\n');
}

/* The whole codebook in a buffer owned by the caller (freed with strbuf). */
static efc_status render(const efc_model *m, efc__strbuf *b, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "only a finalized model can be exported");
    efc__strbuf_init(b, &m->alloc);
    int steps = has_steps(m);
    header(m, b, steps);
    for (size_t i = 0; i < m->count; i++)
        node_row(m, i, b, steps);
    if (b->failed) {
        efc__strbuf_free(b);
        return efc__nomem(err);
    }
    return EFC_OK;
}

efc_status efc_model_export_buffer(char *buf, size_t cap, size_t *len, const efc_model *m,
                                   efc_error *err)
{
    if (!len)
        return efc__fail(err, EFC_ERR_ARGUMENT, "len is NULL");
    efc__strbuf b;
    efc_status st = render(m, &b, err);
    if (st)
        return st;
    *len = b.len;
    if (buf) {
        if (cap <= b.len) {
            efc__strbuf_free(&b);
            return efc__fail(err, EFC_ERR_ARGUMENT,
                             "buffer too small: %zu bytes needed with the terminating NUL",
                             *len + 1);
        }
        memcpy(buf, b.data, b.len + 1);
    }
    efc__strbuf_free(&b);
    return EFC_OK;
}

static efc_status write_all(FILE *fp, const efc__strbuf *b, const char *name, efc_error *err)
{
    if (fwrite(b->data, 1, b->len, fp) != b->len || fflush(fp) != 0) {
        char why[128];
        efc__errno_text(errno, why, sizeof why);
        efc__fail(err, EFC_ERR_IO, "write error: %s", why);
        efc__locate(err, name, 0, 0, NULL);
        return EFC_ERR_IO;
    }
    return EFC_OK;
}

efc_status efc_model_export_file(const efc_model *m, FILE *fp, efc_error *err)
{
    if (!fp)
        return efc__fail(err, EFC_ERR_ARGUMENT, "stream is NULL");
    efc__strbuf b;
    efc_status st = render(m, &b, err);
    if (st)
        return st;
    st = write_all(fp, &b, "<stream>", err);
    efc__strbuf_free(&b);
    return st;
}

/* Create a new file beside `path` (its target when it is a symlink, so
 * the link stays) with the permissions of the file it replaces, or those a
 * plain fopen would give (0666 less the umask); mkstemp would make it
 * private (0600). *target_out receives the path to rename over. */
static FILE *create_temp(const efc_allocator *a, const char *path, char **tmp_out,
                         char **target_out)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    char *real = exists ? realpath(path, NULL) : NULL;
    const char *target = real ? real : path;
    size_t n = strlen(target) + 48;
    char *tmp = efc__malloc(a, n);
    char *tgt = efc__strdup(a, target);
    free(real); /* from the C library, not our allocator */
    if (!tmp || !tgt) {
        efc__free(a, tmp);
        efc__free(a, tgt);
        errno = ENOMEM;
        return NULL;
    }
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(tmp, n, "%s.tmp%ld.%u", tgt, (long)getpid(), k);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            break;
        }
        if (exists)
            fchmod(fd, sb.st_mode & 07777);
        FILE *fp = fdopen(fd, "wb");
        if (!fp) {
            int e = errno;
            close(fd);
            remove(tmp);
            errno = e;
            break;
        }
        *tmp_out = tmp;
        *target_out = tgt;
        return fp;
    }
    efc__free(a, tmp);
    efc__free(a, tgt);
    return NULL;
}

efc_status efc_model_export_path(const efc_model *m, const char *path, efc_error *err)
{
    if (!path)
        return efc__fail(err, EFC_ERR_ARGUMENT, "path is NULL");
    efc__strbuf b;
    efc_status st = render(m, &b, err);
    if (st)
        return st;
    char why[128];
    char *tmp = NULL, *target = NULL;
    /* A device or a pipe is written in place: renaming over it would
     * replace the device node itself. */
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *dev = fopen(path, "wb");
        if (!dev) {
            efc__errno_text(errno, why, sizeof why);
            efc__strbuf_free(&b);
            efc__fail(err, EFC_ERR_IO, "cannot open: %s", why);
            efc__locate(err, path, 0, 0, NULL);
            return EFC_ERR_IO;
        }
        st = write_all(dev, &b, path, err);
        if (fclose(dev) != 0 && !st) {
            efc__errno_text(errno, why, sizeof why);
            efc__fail(err, EFC_ERR_IO, "write error: %s", why);
            efc__locate(err, path, 0, 0, NULL);
            st = EFC_ERR_IO;
        }
        efc__strbuf_free(&b);
        return st;
    }
    errno = 0;
    FILE *fp = create_temp(&m->alloc, path, &tmp, &target);
    if (!fp) {
        efc__strbuf_free(&b);
        if (errno == ENOMEM)
            return efc__nomem(err);
        efc__errno_text(errno, why, sizeof why);
        efc__fail(err, EFC_ERR_IO, "cannot create: %s", why);
        efc__locate(err, path, 0, 0, NULL);
        return EFC_ERR_IO;
    }
    st = write_all(fp, &b, path, err);
    if (fclose(fp) != 0 && !st) {
        efc__errno_text(errno, why, sizeof why);
        efc__fail(err, EFC_ERR_IO, "write error: %s", why);
        efc__locate(err, path, 0, 0, NULL);
        st = EFC_ERR_IO;
    }
    if (!st && rename(tmp, target) != 0) {
        efc__errno_text(errno, why, sizeof why);
        efc__fail(err, EFC_ERR_IO, "cannot replace the file: %s", why);
        efc__locate(err, path, 0, 0, NULL);
        st = EFC_ERR_IO;
    }
    if (st)
        remove(tmp);
    efc__free(&m->alloc, tmp);
    efc__free(&m->alloc, target);
    efc__strbuf_free(&b);
    return st;
}

efc_status efc_model_sha256(char *out, const efc_model *m, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    efc__strbuf b;
    efc_status st = render(m, &b, err);
    if (st)
        return st;
    efc__sha256 h;
    efc__sha256_init(&h);
    efc__sha256_update(&h, b.data, b.len);
    efc__sha256_hex(&h, out);
    efc__strbuf_free(&b);
    return EFC_OK;
}
