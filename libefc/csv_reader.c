/* libcsv parses; this layer adds what it lacks (see STYLE.md):
 *  - physical line numbers: libcsv does not count lines, so input is fed one
 *    physical line at a time (a segment ends after LF, CRLF or a lone CR) and
 *    the line of each record is the line where its first byte was fed; with
 *    CSV_REPALL_NL blank lines and the LF of CRLF arrive as empty records,
 *    which are ignored;
 *  - a size limit on fields, enforced in libcsv's realloc hook, which has no
 *    context pointer and so finds its reader through a thread-local pointer
 *    set only around calls into libcsv;
 *  - rejection of NUL bytes and of more fields than a limit;
 *  - stopping: callbacks cannot stop libcsv, but it is never fed more than
 *    one line, so a caller can stop after any record. */
#include "csv_reader.h"

#include <csv.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"

struct efc__csv {
    const efc_allocator *alloc;
    efc__input *in;
    struct csv_parser parser;
    int parser_ready;
    char delim;
    size_t max_field;
    size_t max_fields;

    const char *chunk;
    size_t chunk_len;
    size_t chunk_pos;
    int input_done;
    int finished;

    size_t line;    /* physical line of the next byte fed */
    int cr_pending; /* the last segment ended with CR: a lone LF next is its pair */
    int in_record;  /* a record has started and not ended */
    size_t record_line;

    char *arena; /* the fields of the current record, each NUL-terminated */
    size_t arena_len, arena_cap;
    size_t *offsets;
    size_t *lens;
    const char **ptrs;
    size_t nfields, fields_cap;
    int record_ready;

    efc_status cb_status; /* a failure found in a callback */
    char cb_msg[160];
    int too_long; /* the last refusal of the realloc hook was the size limit */
};

static _Thread_local efc__csv *tls_reader;

static void *hook_realloc(void *p, size_t n)
{
    efc__csv *c = tls_reader;
    if (n > c->max_field + 1) {
        c->too_long = 1;
        return NULL;
    }
    c->too_long = 0;
    return efc__realloc(c->alloc, p, n);
}

static void hook_free(void *p)
{
    efc__free(tls_reader->alloc, p);
}

static void cb_fail(efc__csv *c, const char *msg)
{
    c->cb_status = EFC_ERR_CSV;
    snprintf(c->cb_msg, sizeof c->cb_msg, "%s", msg);
}

static void on_field(void *data, size_t len, void *ctx)
{
    efc__csv *c = ctx;
    if (c->cb_status)
        return;
    if (!data)
        len = 0;
    if (c->nfields >= c->max_fields) {
        cb_fail(c, "too many fields in one record");
        return;
    }
    if (len && memchr(data, '\0', len)) {
        cb_fail(c, "NUL byte in field (is the file UTF-16 without a byte order mark?)");
        return;
    }
    if (!efc__grow(c->alloc, (void **)&c->arena, &c->arena_cap, c->arena_len + len + 1, 1)) {
        c->cb_status = EFC_ERR_NOMEM;
        return;
    }
    if (c->nfields == c->fields_cap) {
        size_t cap = c->fields_cap ? c->fields_cap * 2 : 32;
        size_t *o = efc__realloc_array(c->alloc, c->offsets, cap, sizeof *o);
        if (o)
            c->offsets = o;
        size_t *l = efc__realloc_array(c->alloc, c->lens, cap, sizeof *l);
        if (l)
            c->lens = l;
        const char **p = efc__realloc_array(c->alloc, (void *)c->ptrs, cap, sizeof *p);
        if (p)
            c->ptrs = p;
        if (!o || !l || !p) {
            c->cb_status = EFC_ERR_NOMEM;
            return;
        }
        c->fields_cap = cap;
    }
    if (len)
        memcpy(c->arena + c->arena_len, data, len);
    c->arena[c->arena_len + len] = '\0';
    c->offsets[c->nfields] = c->arena_len;
    c->lens[c->nfields] = len;
    c->arena_len += len + 1;
    c->nfields++;
}

static void on_record(int term, void *ctx)
{
    efc__csv *c = ctx;
    (void)term;
    if (c->cb_status || c->nfields == 0)
        return; /* a blank line, or the LF of a CRLF */
    c->record_ready = 1;
    c->in_record = 0;
}

static int is_blank(const efc__csv *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\r' || ch == '\n' || ch == ' ' || (ch == '\t' && c->delim != '\t'))
            continue;
        return 0;
    }
    return 1;
}

/* Most frequent of , ; and tab outside quotes on the first line. */
static char detect_delimiter(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted && ch == ',')
            comma++;
        else if (!quoted && ch == ';')
            semi++;
        else if (!quoted && ch == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

static efc_status fail_here(efc__csv *c, efc_error *err, efc_status code, const char *msg)
{
    efc__fail(err, code, "%s", msg);
    efc__locate(err, c->in->name, c->line, c->in_record ? c->nfields + 1 : 0, NULL);
    return code;
}

static efc_status read_chunk(efc__csv *c, efc_error *err)
{
    const char *data;
    size_t len;
    efc_status st = efc__input_read(c->in, &data, &len, err);
    if (st) {
        /* Encoding problems are found after the bytes before them were
         * parsed, so the current line is where the problem is. */
        if (st == EFC_ERR_CSV)
            efc__locate(err, c->in->name, c->line, 0, NULL);
        return st;
    }
    c->chunk = data;
    c->chunk_len = len;
    c->chunk_pos = 0;
    if (len == 0)
        c->input_done = 1;
    return EFC_OK;
}

efc_status efc__csv_open(efc__csv **out, efc__input *in, const efc__csv_config *cfg,
                         const efc_allocator *a, efc_error *err)
{
    *out = NULL;
    efc__csv *c = efc__malloc(a, sizeof *c);
    if (!c)
        return efc__nomem(err);
    memset(c, 0, sizeof *c);
    c->alloc = a;
    c->in = in;
    c->line = 1;
    c->max_field = cfg && cfg->max_field ? cfg->max_field : EFC__CSV_MAX_FIELD_DEFAULT;
    c->max_fields = cfg && cfg->max_fields ? cfg->max_fields : EFC__CSV_MAX_FIELDS_DEFAULT;
    efc_status st = read_chunk(c, err);
    if (st) {
        efc__csv_close(c);
        return st;
    }
    c->delim = cfg && cfg->delimiter ? cfg->delimiter : detect_delimiter(c->chunk, c->chunk_len);
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL |
                                 CSV_EMPTY_IS_NULL) != 0) {
        efc__csv_close(c);
        return efc__nomem(err);
    }
    c->parser_ready = 1;
    csv_set_delim(&c->parser, (unsigned char)c->delim);
    csv_set_realloc_func(&c->parser, hook_realloc);
    csv_set_free_func(&c->parser, hook_free);
    csv_set_blk_size(&c->parser, 4096);
    *out = c;
    return EFC_OK;
}

char efc__csv_delimiter(const efc__csv *c)
{
    return c->delim;
}

void efc__csv_close(efc__csv *c)
{
    if (!c)
        return;
    if (c->parser_ready) {
        efc__csv *saved = tls_reader;
        tls_reader = c;
        csv_free(&c->parser);
        tls_reader = saved;
    }
    efc__free(c->alloc, c->arena);
    efc__free(c->alloc, c->offsets);
    efc__free(c->alloc, c->lens);
    efc__free(c->alloc, (void *)c->ptrs);
    efc__free(c->alloc, c);
}

/* After libcsv stopped early or a callback failed: say why. */
static efc_status parse_failure(efc__csv *c, efc_error *err)
{
    if (c->cb_status == EFC_ERR_NOMEM)
        return efc__nomem(err);
    if (c->cb_status)
        return fail_here(c, err, c->cb_status, c->cb_msg);
    int e = csv_error(&c->parser);
    if (e == CSV_EPARSE)
        return fail_here(c, err, EFC_ERR_CSV,
                         "malformed quoting: a quote inside an unquoted field or text after a "
                         "closing quote (quote the field and double its quotes)");
    if (c->too_long) {
        char msg[96];
        snprintf(msg, sizeof msg, "field longer than %zu bytes", c->max_field);
        return fail_here(c, err, EFC_ERR_CSV, msg);
    }
    return efc__nomem(err);
}

/* Feed the next physical line (or the part of it in this chunk). */
static efc_status feed_segment(efc__csv *c, efc_error *err)
{
    const char *s = c->chunk + c->chunk_pos;
    size_t avail = c->chunk_len - c->chunk_pos;
    size_t n = avail;
    char term = 0;
    for (size_t i = 0; i < avail; i++) {
        if (s[i] == '\n') {
            n = i + 1;
            term = '\n';
            break;
        }
        if (s[i] == '\r') {
            if (i + 1 < avail && s[i + 1] == '\n') {
                n = i + 2;
                term = '\n';
            } else {
                n = i + 1;
                term = '\r';
            }
            break;
        }
    }
    if (!c->in_record && !is_blank(c, s, n)) {
        c->in_record = 1;
        c->record_line = c->line;
    }
    efc__csv *saved = tls_reader;
    tls_reader = c;
    size_t done = csv_parse(&c->parser, s, n, on_field, on_record, c);
    tls_reader = saved;
    if (done != n || c->cb_status)
        return parse_failure(c, err);
    c->chunk_pos += n;
    if (term == '\n') {
        if (!(n == 1 && c->cr_pending))
            c->line++;
        c->cr_pending = 0;
    } else if (term == '\r') {
        c->line++;
        c->cr_pending = 1;
    } else {
        c->cr_pending = 0;
    }
    return EFC_OK;
}

static efc_status finish(efc__csv *c, efc_error *err)
{
    c->finished = 1;
    efc__csv *saved = tls_reader;
    tls_reader = c;
    int r = csv_fini(&c->parser, on_field, on_record, c);
    tls_reader = saved;
    if (r != 0) {
        char msg[128];
        snprintf(msg, sizeof msg,
                 "unterminated quoted field: the quote opened on line %zu is "
                 "never closed",
                 c->record_line);
        efc__fail(err, EFC_ERR_CSV, "%s", msg);
        efc__locate(err, c->in->name, c->record_line, c->nfields + 1, NULL);
        return EFC_ERR_CSV;
    }
    if (c->cb_status)
        return parse_failure(c, err);
    return EFC_OK;
}

efc_status efc__csv_next(efc__csv *c, efc__csv_record *rec, int *have, efc_error *err)
{
    *have = 0;
    c->arena_len = 0;
    c->nfields = 0;
    c->record_ready = 0;
    for (;;) {
        if (c->record_ready) {
            for (size_t i = 0; i < c->nfields; i++)
                c->ptrs[i] = c->arena + c->offsets[i];
            rec->line = c->record_line;
            rec->nfields = c->nfields;
            rec->fields = c->ptrs;
            rec->lens = c->lens;
            *have = 1;
            return EFC_OK;
        }
        if (c->finished)
            return EFC_OK;
        efc_status st;
        if (c->chunk_pos < c->chunk_len)
            st = feed_segment(c, err);
        else if (c->input_done)
            st = finish(c, err);
        else
            st = read_chunk(c, err);
        if (st)
            return st;
    }
}
