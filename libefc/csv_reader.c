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
 *    one line, so a caller can stop after any record.
 * Fields go straight into a block (one arena for many records), the form in
 * which a reader thread hands them to the thread that scores them. */
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
    int chunk_has_cr; /* the chunk holds a CR: lines may end with CR alone */
    int input_done;
    int finished;

    size_t line;    /* physical line of the next byte fed */
    int cr_pending; /* the last segment ended with CR: a lone LF next is its pair */
    int in_record;  /* a record has started and not ended */
    size_t record_line;
    int nul_seen; /* a NUL byte was fed since the record started */

    efc__block *b;     /* where fields go */
    size_t rec_fields; /* fields of the record being parsed */
    size_t rec_text;   /* its start in b->text */
    size_t rec_field0; /* its first field in b->field_off */

    efc__block own;      /* for efc__csv_next */
    int libcsv_only;     /* tests: feed every line to libcsv */
    efc__block scratch;  /* records on their way to the record handler */
    efc__plain_fn plain; /* push mode: handlers and their context */
    efc__record_fn record;
    void *ctx;
    int stop; /* a handler asked to stop */

    efc_status cb_status; /* a failure found in a callback */
    char cb_msg[160];
    int too_long;      /* the last refusal of the realloc hook was the size limit */
    int out_of_memory; /* an allocation for libcsv failed: refuse every later one */
};

/* ---- blocks ---- */

void efc__block_init(efc__block *b)
{
    memset(b, 0, sizeof *b);
}

void efc__block_free(efc__block *b, const efc_allocator *a)
{
    efc__free(a, b->text);
    efc__free(a, b->field_off);
    efc__free(a, b->field_len);
    efc__free(a, b->rec_first);
    efc__free(a, b->rec_nfields);
    efc__free(a, b->rec_line);
    efc_error_free(b->error);
    efc__block_init(b);
}

void efc__block_clear(efc__block *b)
{
    b->text_len = 0;
    b->nfields = 0;
    b->nrec = 0;
    b->eof = 0;
    b->status = EFC_OK;
    efc_error_clear(b->error);
}

void efc__block_record(const efc__block *b, size_t k, efc__csv_record *r)
{
    r->line = b->rec_line[k];
    r->nfields = b->rec_nfields[k];
    r->text = b->text;
    r->off = b->field_off + b->rec_first[k];
    r->len = b->field_len + b->rec_first[k];
}

/* ---- libcsv hooks ---- */

static _Thread_local efc__csv *tls_reader;

/* libcsv's buffer holds a field with its closing quote and any trailing
 * spaces before they are dropped, and grows before it reads the next byte:
 * it may exceed the field limit, which on_field checks on the field itself.
 * Twice the limit still bounds memory. */
static void *hook_realloc(void *p, size_t n)
{
    efc__csv *c = tls_reader;
    if (n > 2 * c->max_field + 64) {
        c->too_long = 1;
        return NULL;
    }
    c->too_long = 0;
    /* libcsv retries a failed allocation with half the size: a failure
     * stays a failure, so that running out of memory always ends the read
     * with EFC_ERR_NOMEM rather than sometimes going on */
    if (c->out_of_memory)
        return NULL;
    void *q = efc__realloc(c->alloc, p, n);
    c->out_of_memory = q == NULL;
    /* libcsv grows its buffer by a fixed block (128 bytes): a long field
     * would be copied over and over, quadratic in its length. Growing the
     * block with the buffer makes it double instead (at most twice the
     * field, which the limit above allows). */
    if (q && n > c->parser.blk_size)
        csv_set_blk_size(&c->parser, n);
    return q;
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

/* Room for one more field of `len` bytes; the slow side of on_field. */
static int make_room(efc__csv *c, size_t len)
{
    efc__block *b = c->b;
    if (c->rec_fields >= c->max_fields) {
        cb_fail(c, "too many fields in one record");
        return 0;
    }
    if (!efc__grow(c->alloc, (void **)&b->text, &b->text_cap, b->text_len + len + 1, 1)) {
        c->cb_status = EFC_ERR_NOMEM;
        return 0;
    }
    if (b->nfields == b->fields_cap) {
        size_t cap = b->fields_cap ? b->fields_cap * 2 : 256;
        size_t *o = efc__realloc_array(c->alloc, b->field_off, cap, sizeof *o);
        if (o)
            b->field_off = o;
        size_t *l = efc__realloc_array(c->alloc, b->field_len, cap, sizeof *l);
        if (l)
            b->field_len = l;
        if (!o || !l) {
            c->cb_status = EFC_ERR_NOMEM;
            return 0;
        }
        b->fields_cap = cap;
    }
    return 1;
}

/* Called by libcsv for every field: keep a copy in the block. This is the
 * hottest code of survey reading, hence the checks kept off the common path. */
static void on_field(void *data, size_t len, void *ctx)
{
    efc__csv *c = ctx;
    efc__block *b = c->b;
    if (c->cb_status)
        return;
    if ((b->nfields >= b->fields_cap || c->rec_fields >= c->max_fields ||
         b->text_len + len + 1 > b->text_cap) &&
        !make_room(c, len))
        return;
    if (c->nul_seen && len && memchr(data, '\0', len)) {
        cb_fail(c, "NUL byte in field (is the file UTF-16 without a byte order mark?)");
        return;
    }
    if (len > c->max_field) {
        char msg[96];
        snprintf(msg, sizeof msg, "field longer than %zu bytes", c->max_field);
        cb_fail(c, msg);
        return;
    }
    char *dst = b->text + b->text_len;
    const char *src = data;
    if (len <= 8) {
        for (size_t i = 0; i < len; i++)
            dst[i] = src[i];
    } else {
        memcpy(dst, src, len);
    }
    dst[len] = '\0';
    b->field_off[b->nfields] = b->text_len;
    b->field_len[b->nfields] = len;
    b->text_len += len + 1;
    b->nfields++;
    c->rec_fields++;
}

static void on_record(int term, void *ctx)
{
    efc__csv *c = ctx;
    efc__block *b = c->b;
    (void)term;
    if (c->cb_status || c->rec_fields == 0)
        return; /* a blank line, or the LF of a CRLF */
    if (b->nrec == b->rec_cap) {
        size_t cap = b->rec_cap ? b->rec_cap * 2 : 64;
        size_t *f = efc__realloc_array(c->alloc, b->rec_first, cap, sizeof *f);
        if (f)
            b->rec_first = f;
        size_t *n = efc__realloc_array(c->alloc, b->rec_nfields, cap, sizeof *n);
        if (n)
            b->rec_nfields = n;
        size_t *l = efc__realloc_array(c->alloc, b->rec_line, cap, sizeof *l);
        if (l)
            b->rec_line = l;
        if (!f || !n || !l) {
            c->cb_status = EFC_ERR_NOMEM;
            return;
        }
        b->rec_cap = cap;
    }
    b->rec_first[b->nrec] = c->rec_field0;
    b->rec_nfields[b->nrec] = c->rec_fields;
    b->rec_line[b->nrec] = c->record_line;
    b->nrec++;
    c->rec_field0 = b->nfields;
    c->rec_text = b->text_len;
    c->rec_fields = 0;
    c->in_record = 0;
    c->nul_seen = 0;
    if (c->record) { /* push mode: hand the record over, then forget it */
        efc__csv_record r;
        efc__block_record(b, b->nrec - 1, &r);
        c->stop |= c->record(c->ctx, &r);
        efc__block_clear(b);
        c->rec_field0 = 0;
        c->rec_text = 0;
    }
}

static int is_blank(const efc__csv *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\r' || ch == '\n' || ((ch == ' ' || ch == '\t') && ch != c->delim))
            continue; /* a delimiter is content: "\t \t" holds fields when it is one */
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
    efc__locate(err, c->in->name, c->line, c->in_record ? c->rec_fields + 1 : 0, NULL);
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
            efc__locate(err, c->in->name, c->line, c->in_record ? c->rec_fields + 1 : 0, NULL);
        return st;
    }
    c->chunk = data;
    c->chunk_len = len;
    c->chunk_pos = 0;
    c->chunk_has_cr = len && memchr(data, '\r', len) != NULL;
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
    efc__block_init(&c->own);
    efc__block_init(&c->scratch);
    c->max_field = cfg && cfg->max_field ? cfg->max_field : EFC__CSV_MAX_FIELD_DEFAULT;
    c->max_fields = cfg && cfg->max_fields ? cfg->max_fields : EFC__CSV_MAX_FIELDS_DEFAULT;
    efc_status st = read_chunk(c, err);
    if (st) {
        efc__csv_close(c);
        return st;
    }
    c->delim = cfg && cfg->delimiter ? cfg->delimiter : detect_delimiter(c->chunk, c->chunk_len);
    if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL) !=
        0) {
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

void efc__csv_set_libcsv_only(efc__csv *c, int on)
{
    c->libcsv_only = on;
}

char efc__csv_delimiter(const efc__csv *c)
{
    return c->delim;
}

unsigned long long efc__csv_bytes(const efc__csv *c)
{
    return efc__input_consumed(c->in);
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
    efc__block_free(&c->own, c->alloc);
    efc__block_free(&c->scratch, c->alloc);
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

/* Append one field to the block, as on_field does. */
static int put_field(efc__csv *c, const char *data, size_t len)
{
    efc__block *b = c->b;
    if ((b->nfields >= b->fields_cap || c->rec_fields >= c->max_fields ||
         b->text_len + len + 1 > b->text_cap) &&
        !make_room(c, len))
        return 0;
    char *dst = b->text + b->text_len;
    for (size_t i = 0; i < len; i++)
        dst[i] = data[i];
    dst[len] = '\0';
    b->field_off[b->nfields] = b->text_len;
    b->field_len[b->nfields] = len;
    b->text_len += len + 1;
    b->nfields++;
    c->rec_fields++;
    return 1;
}

/* The common line of a survey export: complete, outside any quoted field,
 * with no quote and no NUL byte. It is split here on the delimiter with
 * libcsv's rules for unquoted fields (spaces and tabs around a field are
 * dropped, a trailing delimiter ends with an empty field), which is about
 * ten times faster than libcsv's byte-by-byte state machine. The tests
 * check that both give the same records. Returns 0 on error (in cb_status). */
static int split_line(efc__csv *c, const char *s, size_t n)
{
    const char d = c->delim;
    size_t i = 0;
#define WS(ch) (((ch) == ' ' || (ch) == '\t') && (ch) != d)
    for (;;) {
        while (i < n && WS(s[i]))
            i++;
        size_t start = i;
        while (i < n && s[i] != d)
            i++;
        size_t end = i;
        while (end > start && WS(s[end - 1]))
            end--;
        if (end - start > c->max_field) {
            char msg[96];
            snprintf(msg, sizeof msg, "field longer than %zu bytes", c->max_field);
            cb_fail(c, msg);
            return 0;
        }
        if (!put_field(c, s + start, end - start))
            return 0;
        if (i == n)
            break;
        i++; /* past the delimiter: a field follows, maybe empty */
    }
#undef WS
    on_record(0, c);
    return c->cb_status == EFC_OK;
}

/* Feed the next physical line (or the part of it in this chunk). */
static efc_status feed_segment(efc__csv *c, efc_error *err)
{
    const char *s = c->chunk + c->chunk_pos;
    size_t avail = c->chunk_len - c->chunk_pos;
    size_t n = avail;
    char term = 0;
    if (!c->chunk_has_cr) {
        const char *lf = memchr(s, '\n', avail);
        if (lf) {
            n = (size_t)(lf - s) + 1;
            term = '\n';
        }
    } else {
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
    }
    if (memchr(s, '\0', n))
        c->nul_seen = 1;
    int starting = !c->in_record; /* libcsv is between records */
    int blank = starting && is_blank(c, s, n);
    if (starting && !blank) {
        c->in_record = 1;
        c->record_line = c->line;
    }
    if (blank && !c->libcsv_only) {
        /* nothing for libcsv to do between records: skip the line */
    } else if (starting && term && !c->nul_seen && !c->libcsv_only && !memchr(s, '"', n)) {
        size_t body = n - (term == '\n' && n >= 2 && s[n - 2] == '\r' ? 2 : 1);
        if (c->plain) { /* push mode: the line as it is */
            c->in_record = 0;
            c->stop |= c->plain(c->ctx, s, body, c->line);
        } else if (!split_line(c, s, body)) {
            return parse_failure(c, err);
        }
    } else {
        efc__csv *saved = tls_reader;
        tls_reader = c;
        size_t done = csv_parse(&c->parser, s, n, on_field, on_record, c);
        tls_reader = saved;
        if (done != n || c->cb_status)
            return parse_failure(c, err);
    }
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
        efc__locate(err, c->in->name, c->record_line, c->rec_fields + 1, NULL);
        return EFC_ERR_CSV;
    }
    if (c->cb_status)
        return parse_failure(c, err);
    return EFC_OK;
}

efc_status efc__csv_fill(efc__csv *c, efc__block *b, size_t max_records, size_t max_text,
                         efc_error *err)
{
    c->b = b;
    c->rec_field0 = b->nfields;
    c->rec_text = b->text_len;
    c->rec_fields = 0;
    efc_status st = EFC_OK;
    /* never stop inside a record: its fields are already in the block */
    while ((b->nrec < max_records && b->text_len < max_text) || c->in_record) {
        if (c->finished) {
            b->eof = 1;
            break;
        }
        if (c->chunk_pos < c->chunk_len)
            st = feed_segment(c, err);
        else if (c->input_done)
            st = finish(c, err);
        else
            st = read_chunk(c, err);
        if (st)
            break;
    }
    if (st) {
        /* drop the fields of the record that failed */
        b->nfields = c->rec_field0;
        b->text_len = c->rec_text;
        c->finished = 1;
    }
    b->bytes = efc__input_consumed(c->in);
    c->b = NULL;
    return st;
}

efc_status efc__csv_next(efc__csv *c, efc__csv_record *rec, int *have, efc_error *err)
{
    *have = 0;
    efc__block_clear(&c->own);
    efc_status st = efc__csv_fill(c, &c->own, 1, (size_t)-1, err);
    if (st)
        return st;
    if (c->own.nrec == 1) {
        efc__block_record(&c->own, 0, rec);
        *have = 1;
    }
    return EFC_OK;
}

efc_status efc__csv_run(efc__csv *c, efc__plain_fn plain, efc__record_fn record, void *ctx,
                        int *eof, efc_error *err)
{
    *eof = 0;
    efc__block_clear(&c->scratch);
    c->b = &c->scratch;
    c->rec_field0 = 0;
    c->rec_text = 0;
    c->rec_fields = 0;
    c->plain = plain;
    c->record = record;
    c->ctx = ctx;
    c->stop = 0;
    efc_status st = EFC_OK;
    /* a handler stops the run between records: never inside one */
    while (!c->stop || c->in_record) {
        if (c->finished) {
            *eof = 1;
            break;
        }
        if (c->chunk_pos < c->chunk_len)
            st = feed_segment(c, err);
        else if (c->input_done)
            st = finish(c, err);
        else
            st = read_chunk(c, err);
        if (st) {
            c->finished = 1;
            break;
        }
    }
    c->plain = NULL;
    c->record = NULL;
    c->b = NULL;
    return st;
}

efc_status efc__csv_split(efc__csv *c, const char *line, size_t len, size_t lineno,
                          efc__csv_record *rec, efc_error *err)
{
    /* split into the reader's own block, leaving the push state as it is */
    efc__block *saved_b = c->b;
    efc__record_fn saved_record = c->record;
    size_t saved_field0 = c->rec_field0, saved_text = c->rec_text, saved_fields = c->rec_fields;
    int saved_in = c->in_record;
    efc__block_clear(&c->own);
    c->b = &c->own;
    c->record = NULL;
    c->rec_field0 = c->rec_text = c->rec_fields = 0;
    efc_status st = EFC_OK;
    if (!split_line(c, line, len)) {
        size_t keep_line = c->line;
        c->line = lineno;
        c->in_record = 1;
        st = parse_failure(c, err);
        c->line = keep_line;
        c->cb_status = EFC_OK;
    }
    c->b = saved_b;
    c->record = saved_record;
    c->rec_field0 = saved_field0;
    c->rec_text = saved_text;
    c->rec_fields = saved_fields;
    c->in_record = saved_in;
    if (st)
        return st;
    efc__block_record(&c->own, 0, rec);
    rec->line = lineno;
    return EFC_OK;
}
