/* The error object holds fixed-size buffers so that recording a failure,
 * including an out-of-memory one, never allocates. Long texts are cut. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"

#define MESSAGE_SIZE     768
#define SOURCE_SIZE      1024
#define COLUMN_NAME_SIZE 272
#define TEXT_SIZE        (MESSAGE_SIZE + SOURCE_SIZE + COLUMN_NAME_SIZE + 64)

struct efc_error {
    efc_allocator alloc;
    efc_status code;
    efc_reason reason;
    size_t line;
    size_t column;
    size_t other_line;
    size_t other_column;
    size_t row;         /* EFC_NONE when not about a row */
    int row_in_message; /* the message starts "row <row>" (efc__row) */
    char message[MESSAGE_SIZE];
    char source[SOURCE_SIZE];
    char column_name[COLUMN_NAME_SIZE];
    char text[TEXT_SIZE];
};

/* Copy with truncation; a cut string ends with "..." so the reader knows. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, src, cap - 4);
    memcpy(dst + cap - 4, "...", 4);
}

/* For paths the end matters more than the start: keep the tail. */
static void copy_tail(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(dst, src, n + 1);
        return;
    }
    memcpy(dst, "...", 3);
    memcpy(dst + 3, src + n - (cap - 4), cap - 3);
}

static void compose(efc_error *e)
{
    char loc[SOURCE_SIZE + 64];
    size_t n = 0;
    loc[0] = '\0';
    if (e->source[0])
        n += (size_t)snprintf(loc + n, sizeof loc - n, "%s:", e->source);
    if (e->line)
        n += (size_t)snprintf(loc + n, sizeof loc - n, "%zu:", e->line);
    if (e->line && e->column)
        n += (size_t)snprintf(loc + n, sizeof loc - n, "%zu:", e->column);
    snprintf(e->text, sizeof e->text, "%s%s%s%s%s", loc, n ? " " : "", e->column_name,
             e->column_name[0] ? ": " : "", e->message);
}

efc_status efc_error_create(efc_error **out, const efc_allocator *alloc)
{
    efc_allocator a;
    if (!out)
        return EFC_ERR_ARGUMENT;
    *out = NULL;
    if (!efc__alloc_init(&a, alloc))
        return EFC_ERR_ARGUMENT;
    efc_error *e = efc__malloc(&a, sizeof *e);
    if (!e)
        return EFC_ERR_NOMEM;
    e->alloc = a;
    efc_error_clear(e);
    *out = e;
    return EFC_OK;
}

void efc_error_free(efc_error *err)
{
    if (err) {
        efc_allocator a = err->alloc;
        efc__free(&a, err);
    }
}

void efc_error_clear(efc_error *err)
{
    if (!err)
        return;
    err->code = EFC_OK;
    err->reason = EFC_REASON_NONE;
    err->line = 0;
    err->column = 0;
    err->other_line = 0;
    err->other_column = 0;
    err->row = EFC_NONE;
    err->row_in_message = 0;
    err->message[0] = '\0';
    err->source[0] = '\0';
    err->column_name[0] = '\0';
    err->text[0] = '\0';
}

efc_status efc_error_code(const efc_error *err)
{
    return err ? err->code : EFC_OK;
}

const char *efc_error_message(const efc_error *err)
{
    return err ? err->message : "";
}

const char *efc_error_source(const efc_error *err)
{
    return err ? err->source : "";
}

size_t efc_error_line(const efc_error *err)
{
    return err ? err->line : 0;
}

size_t efc_error_column(const efc_error *err)
{
    return err ? err->column : 0;
}

const char *efc_error_column_name(const efc_error *err)
{
    return err ? err->column_name : "";
}

const char *efc_error_text(const efc_error *err)
{
    return err ? err->text : "";
}

efc_reason efc_error_reason(const efc_error *err)
{
    return err ? err->reason : EFC_REASON_NONE;
}

size_t efc_error_other_line(const efc_error *err)
{
    return err ? err->other_line : 0;
}

size_t efc_error_other_column(const efc_error *err)
{
    return err ? err->other_column : 0;
}

size_t efc_error_row(const efc_error *err)
{
    return err ? err->row : EFC_NONE;
}

/* "row N" at the start of the message becomes "row N + offset": the
 * library wrote it (efc__row), so the library rewrites it, in place. */
void efc_error_shift_row(efc_error *err, size_t offset)
{
    if (!err || err->row == EFC_NONE || offset == 0)
        return;
    size_t row = err->row + offset < err->row ? EFC_NONE - 1 : err->row + offset;
    if (err->row_in_message) {
        char old[32], buf[MESSAGE_SIZE + 32];
        int n = snprintf(old, sizeof old, "row %zu", err->row);
        if (n > 0 && strncmp(err->message, old, (size_t)n) == 0) {
            snprintf(buf, sizeof buf, "row %zu%s", row, err->message + n);
            copy_cut(err->message, sizeof err->message, buf);
            compose(err);
        }
    }
    err->row = row;
}

static void vfail(efc_error *err, efc_status code, efc_reason reason, const char *fmt, va_list ap)
    EFC__PRINTF(4, 0);

static void vfail(efc_error *err, efc_status code, efc_reason reason, const char *fmt, va_list ap)
{
    char buf[MESSAGE_SIZE + 8];
    vsnprintf(buf, sizeof buf, fmt, ap);
    err->code = code;
    err->reason = reason;
    err->line = 0;
    err->column = 0;
    err->other_line = 0;
    err->other_column = 0;
    err->row = EFC_NONE;
    err->row_in_message = 0;
    err->source[0] = '\0';
    err->column_name[0] = '\0';
    copy_cut(err->message, sizeof err->message, buf);
    compose(err);
}

efc_status efc__fail(efc_error *err, efc_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vfail(err, code, EFC_REASON_NONE, fmt, ap);
    va_end(ap);
    return code;
}

efc_status efc__fail_r(efc_error *err, efc_status code, efc_reason reason, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vfail(err, code, reason, fmt, ap);
    va_end(ap);
    return code;
}

efc_status efc__nomem(efc_error *err)
{
    return efc__fail(err, EFC_ERR_NOMEM, "out of memory");
}

void efc__locate(efc_error *err, const char *source, size_t line, size_t column,
                 const char *column_name)
{
    if (!err)
        return;
    if (source)
        copy_tail(err->source, sizeof err->source, source);
    err->line = line;
    err->column = column;
    if (column_name)
        copy_cut(err->column_name, sizeof err->column_name, column_name);
    else
        err->column_name[0] = '\0';
    compose(err);
}

void efc__reason(efc_error *err, efc_reason reason)
{
    if (err)
        err->reason = reason;
}

void efc__other(efc_error *err, size_t line, size_t column)
{
    if (err) {
        err->other_line = line;
        err->other_column = column;
    }
}

void efc__row(efc_error *err, size_t row, int in_message)
{
    if (err) {
        err->row = row;
        err->row_in_message = in_message;
    }
}

void efc__prefix(efc_error *err, const char *prefix)
{
    if (!err)
        return;
    err->row_in_message = 0; /* the message no longer starts with the row */
    char buf[MESSAGE_SIZE + COLUMN_NAME_SIZE + 8];
    snprintf(buf, sizeof buf, "%s: %s", prefix, err->message);
    copy_cut(err->message, sizeof err->message, buf);
    compose(err);
}

void efc__error_copy(efc_error *dst, const efc_error *src)
{
    if (!dst || !src || dst == src)
        return;
    efc_allocator a = dst->alloc;
    *dst = *src;
    dst->alloc = a;
}
