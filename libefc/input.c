/* Real survey exports come as UTF-8 with or without a byte order mark,
 * UTF-16 (Excel's "Unicode text") or Windows-1252 (older French Excel).
 * Everything above this layer sees UTF-8 only. Decoding happens chunk by
 * chunk so memory stays bounded whatever the size of the file. */
#include "input.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "error_internal.h"
#include "text.h"

#define RAW_SIZE 65536
/* Worst case growth of decoding: a Windows-1252 byte becomes 3 bytes. */
#define OUT_SIZE (RAW_SIZE * 3 + 8)

/* Windows-1252 bytes 0x80..0x9F; the five undefined ones map to the C1
 * controls of the same value (as the WHATWG encoding standard does), which
 * later checks reject as control characters instead of losing them. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void efc__errno_text(int errnum, char *buf, size_t cap)
{
    if (strerror_r(errnum, buf, cap) != 0)
        snprintf(buf, cap, "system error %d", errnum);
}

static efc_status init(efc__input *in, const char *name, efc__encoding enc, const efc_allocator *a,
                       efc_error *err)
{
    memset(in, 0, sizeof *in);
    in->alloc = a;
    in->enc = enc;
    in->pending = EFC_OK;
    in->name = efc__strdup(a, name ? name : "");
    if (!in->name)
        return efc__nomem(err);
    return EFC_OK;
}

efc_status efc__input_open_path(efc__input *in, const char *path, efc__encoding enc,
                                const efc_allocator *a, efc_error *err)
{
    efc_status st = init(in, path, enc, a, err);
    if (st)
        return st;
    in->fp = fopen(path, "rb");
    if (!in->fp) {
        char why[128];
        efc__errno_text(errno, why, sizeof why);
        efc__fail(err, EFC_ERR_IO, "cannot open: %s", why);
        efc__locate(err, path, 0, 0, NULL);
        efc__input_close(in);
        return EFC_ERR_IO;
    }
    struct stat sb;
    if (fstat(fileno(in->fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        efc__fail(err, EFC_ERR_IO, "cannot read: is a directory");
        efc__locate(err, path, 0, 0, NULL);
        efc__input_close(in);
        return EFC_ERR_IO;
    }
    in->own_fp = 1;
    return EFC_OK;
}

efc_status efc__input_open_file(efc__input *in, FILE *fp, const char *name, efc__encoding enc,
                                const efc_allocator *a, efc_error *err)
{
    efc_status st = init(in, name, enc, a, err);
    if (st)
        return st;
    in->fp = fp;
    return EFC_OK;
}

efc_status efc__input_open_buffer(efc__input *in, const void *data, size_t size, const char *name,
                                  efc__encoding enc, const efc_allocator *a, efc_error *err)
{
    efc_status st = init(in, name, enc, a, err);
    if (st)
        return st;
    in->mem = data ? data : (const unsigned char *)"";
    in->mem_len = data ? size : 0;
    return EFC_OK;
}

void efc__input_close(efc__input *in)
{
    if (in->own_fp && in->fp)
        fclose(in->fp);
    in->fp = NULL;
    efc__free(in->alloc, in->name);
    efc__free(in->alloc, in->raw);
    efc__free(in->alloc, in->out);
    in->name = NULL;
    in->raw = NULL;
    in->out = NULL;
}

unsigned long long efc__input_consumed(const efc__input *in)
{
    return in->consumed;
}

/* Fill in->raw after the `keep` bytes already there. */
static efc_status fill_raw(efc__input *in, efc_error *err)
{
    if (!in->raw) {
        in->raw = efc__malloc(in->alloc, RAW_SIZE);
        if (!in->raw)
            return efc__nomem(err);
    }
    while (!in->eof && in->raw_len < RAW_SIZE) {
        size_t got = fread(in->raw + in->raw_len, 1, RAW_SIZE - in->raw_len, in->fp);
        in->raw_len += got;
        if (got == 0) {
            if (ferror(in->fp)) {
                char why[128];
                efc__errno_text(errno, why, sizeof why);
                efc__fail(err, EFC_ERR_IO, "read error: %s", why);
                efc__locate(err, in->name, 0, 0, NULL);
                return EFC_ERR_IO;
            }
            in->eof = 1;
        }
    }
    return EFC_OK;
}

/* Raw bytes: a pointer to the next block of the source, and its length. */
static efc_status next_raw(efc__input *in, const unsigned char **p, size_t *n, efc_error *err)
{
    if (in->mem) {
        size_t k = in->mem_len - in->mem_pos;
        if (k > RAW_SIZE * 16)
            k = RAW_SIZE * 16;
        *p = in->mem + in->mem_pos;
        *n = k;
        return EFC_OK;
    }
    efc_status st = fill_raw(in, err);
    if (st)
        return st;
    *p = in->raw;
    *n = in->raw_len;
    return EFC_OK;
}

static void consume_raw(efc__input *in, size_t n)
{
    in->consumed += n;
    if (in->mem) {
        in->mem_pos += n;
        return;
    }
    memmove(in->raw, in->raw + n, in->raw_len - n);
    in->raw_len -= n;
}

static efc_status encoding_error(efc__input *in, efc_error *err, const char *msg)
{
    efc__fail(err, EFC_ERR_CSV, "%s", msg);
    efc__locate(err, in->name, 0, 0, NULL);
    return EFC_ERR_CSV;
}

/* Look at the byte order mark and settle the encoding. */
static efc_status start(efc__input *in, efc_error *err)
{
    const unsigned char *p;
    size_t n;
    efc_status st = next_raw(in, &p, &n, err);
    if (st)
        return st;
    in->started = 1;
    int utf8_bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
    int le_bom = n >= 2 && p[0] == 0xFF && p[1] == 0xFE;
    int be_bom = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;
    switch (in->enc) {
    case EFC__ENC_AUTO:
    case EFC__ENC_UTF8:
        if (utf8_bom) {
            consume_raw(in, 3);
            in->enc = EFC__ENC_UTF8;
        } else if (le_bom || be_bom) {
            if (in->enc == EFC__ENC_UTF8)
                return encoding_error(in, err,
                                      "the file starts with a UTF-16 byte order "
                                      "mark but the encoding given is UTF-8");
            consume_raw(in, 2);
            in->enc = le_bom ? EFC__ENC_UTF16LE : EFC__ENC_UTF16BE;
        } else {
            in->enc = EFC__ENC_UTF8;
        }
        break;
    case EFC__ENC_UTF16:
        if (!le_bom && !be_bom)
            return encoding_error(in, err,
                                  "UTF-16 without a byte order mark: give the byte "
                                  "order (utf-16le or utf-16be)");
        consume_raw(in, 2);
        in->enc = le_bom ? EFC__ENC_UTF16LE : EFC__ENC_UTF16BE;
        break;
    case EFC__ENC_UTF16LE:
    case EFC__ENC_UTF16BE:
        if ((in->enc == EFC__ENC_UTF16LE && be_bom) || (in->enc == EFC__ENC_UTF16BE && le_bom))
            return encoding_error(in, err, "the byte order mark contradicts the encoding given");
        if (utf8_bom)
            return encoding_error(in, err,
                                  "the file starts with a UTF-8 byte order mark but "
                                  "the encoding given is UTF-16");
        if (le_bom || be_bom)
            consume_raw(in, 2);
        break;
    case EFC__ENC_CP1252:
        if (utf8_bom || le_bom || be_bom)
            return encoding_error(in, err,
                                  "the file starts with a Unicode byte order mark "
                                  "but the encoding given is Windows-1252");
        break;
    }
    if (in->enc != EFC__ENC_UTF8 && !in->out) {
        in->out = efc__malloc(in->alloc, OUT_SIZE);
        if (!in->out)
            return efc__nomem(err);
    }
    return EFC_OK;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

static void set_pending(efc__input *in, const char *msg)
{
    in->pending = EFC_ERR_CSV;
    snprintf(in->pending_msg, sizeof in->pending_msg, "%s", msg);
}

/* Whether bytes of the source follow the current raw block. */
static int more_after(const efc__input *in, size_t n)
{
    if (in->mem)
        return in->mem_pos + n < in->mem_len;
    return !in->eof;
}

static size_t decode_utf16(efc__input *in, const unsigned char *p, size_t n, size_t *used)
{
    int le = in->enc == EFC__ENC_UTF16LE;
    size_t i = 0, k = 0;
    while (k + 4 <= OUT_SIZE) {
        if (i + 2 > n) {
            if (i < n && !more_after(in, n))
                set_pending(in, "invalid UTF-16: the file ends in the middle of a character");
            break; /* otherwise the rest of the character is in the next block */
        }
        unsigned u = le ? (unsigned)(p[i] | (p[i + 1] << 8)) : (unsigned)((p[i] << 8) | p[i + 1]);
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (i + 4 > n) {
                if (!more_after(in, n))
                    set_pending(in, "invalid UTF-16: a high surrogate at the end of the file");
                break;
            }
            unsigned v = le ? (unsigned)(p[i + 2] | (p[i + 3] << 8))
                            : (unsigned)((p[i + 2] << 8) | p[i + 3]);
            if (v < 0xDC00 || v > 0xDFFF) {
                set_pending(in, "invalid UTF-16: a high surrogate not followed by a low one");
                break;
            }
            k += put_utf8(in->out + k, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
            i += 4;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            set_pending(in, "invalid UTF-16: a low surrogate without a high one");
            break;
        } else {
            k += put_utf8(in->out + k, u);
            i += 2;
        }
    }
    *used = i;
    return k;
}

static size_t decode_cp1252(efc__input *in, const unsigned char *p, size_t n, size_t *used)
{
    size_t i = 0, k = 0;
    for (; i < n && k + 3 <= OUT_SIZE; i++) {
        unsigned c = p[i];
        unsigned cp = (c >= 0x80 && c < 0xA0) ? cp1252_high[c - 0x80] : c;
        k += put_utf8(in->out + k, cp);
    }
    *used = i;
    return k;
}

/* How many bytes at the end of s[0..n) begin a UTF-8 sequence that the
 * next block completes (0 when none). */
static size_t incomplete_tail(const unsigned char *s, size_t n, size_t valid)
{
    size_t rest = n - valid;
    if (rest == 0 || rest > 3)
        return 0;
    unsigned c = s[valid];
    size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                  : c >= 0xE0 && c <= 0xEF ? 3
                  : c >= 0xF0 && c <= 0xF4 ? 4
                                           : 0;
    if (need <= rest)
        return 0;
    for (size_t k = valid + 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return rest;
}

/* The part of a UTF-8 block to hand out: valid text up to a sequence cut
 * by the block's end (kept for the next block) or up to invalid bytes (an
 * error reported on the next call, once the lines before are read). */
static size_t checked_utf8(efc__input *in, const unsigned char *p, size_t n, int more)
{
    size_t valid = efc__utf8_valid_prefix((const char *)p, n);
    if (valid == n)
        return n;
    if (more && incomplete_tail(p, n, valid))
        return valid;
    set_pending(in, "the file is not valid UTF-8: give its encoding (from an older spreadsheet: "
                    "--encoding windows-1252)");
    return valid;
}

efc_status efc__input_read(efc__input *in, const char **data, size_t *len, efc_error *err)
{
    *data = "";
    *len = 0;
    if (in->pending) {
        efc__fail(err, in->pending, "%s", in->pending_msg);
        efc__locate(err, in->name, 0, 0, NULL);
        return in->pending;
    }
    if (!in->started) {
        efc_status st = start(in, err);
        if (st)
            return st;
    }
    if (in->handed) { /* the UTF-8 handed out last is used: keep only what followed */
        memmove(in->raw, in->raw + in->handed, in->raw_len - in->handed);
        in->raw_len -= in->handed;
        in->handed = 0;
    }
    const unsigned char *p;
    size_t n;
    efc_status st = next_raw(in, &p, &n, err);
    if (st)
        return st;
    if (n == 0)
        return EFC_OK;
    if (in->enc == EFC__ENC_UTF8) {
        size_t k = checked_utf8(in, p, n, more_after(in, n));
        if (k == 0 && in->pending) {
            efc__fail(err, in->pending, "%s", in->pending_msg);
            efc__locate(err, in->name, 0, 0, NULL);
            return in->pending;
        }
        *data = (const char *)p;
        *len = k;
        if (in->mem) {
            consume_raw(in, k);
        } else {
            /* hand out the raw block itself; the rest moves up on the next call */
            in->consumed += k;
            in->handed = k;
        }
        return EFC_OK;
    }
    size_t used = 0, k;
    if (in->enc == EFC__ENC_CP1252) {
        k = decode_cp1252(in, p, n, &used);
    } else {
        k = decode_utf16(in, p, n, &used);
    }
    consume_raw(in, used);
    *data = (const char *)in->out;
    *len = k;
    if (k == 0 && in->pending) {
        efc__fail(err, in->pending, "%s", in->pending_msg);
        efc__locate(err, in->name, 0, 0, NULL);
        return in->pending;
    }
    return EFC_OK;
}
