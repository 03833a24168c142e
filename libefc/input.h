/* A byte source (path, stream or memory) decoded to UTF-8 in chunks. */
#ifndef EFC_INPUT_H
#define EFC_INPUT_H

#include <stdio.h>

#include "efc/common.h"
#include "efc/error.h"

typedef enum efc__encoding {
    EFC__ENC_AUTO = 0, /* UTF-8, or what a byte order mark says */
    EFC__ENC_UTF8,
    EFC__ENC_UTF16LE,
    EFC__ENC_UTF16BE,
    EFC__ENC_UTF16, /* either order, the byte order mark decides (required) */
    EFC__ENC_CP1252
} efc__encoding;

typedef struct efc__input {
    const efc_allocator *alloc;
    char *name;
    FILE *fp;
    int own_fp;
    const unsigned char *mem;
    size_t mem_len;
    size_t mem_pos;
    efc__encoding enc;
    int started;
    int eof;
    unsigned char *raw; /* raw bytes read from the source */
    size_t raw_len;
    unsigned char *out; /* decoded UTF-8 for transcoded encodings */
    efc_status pending; /* error found after the valid bytes returned last */
    char pending_msg[200];
    size_t handed;               /* UTF-8 from a stream: bytes of raw handed out last */
    unsigned long long consumed; /* raw bytes consumed so far */
} efc__input;

efc_status efc__input_open_path(efc__input *in, const char *path, efc__encoding enc,
                                const efc_allocator *a, efc_error *err);
efc_status efc__input_open_file(efc__input *in, FILE *fp, const char *name, efc__encoding enc,
                                const efc_allocator *a, efc_error *err);
efc_status efc__input_open_buffer(efc__input *in, const void *data, size_t size, const char *name,
                                  efc__encoding enc, const efc_allocator *a, efc_error *err);

/* Next chunk of UTF-8: *len == 0 at the end. The chunk stays valid until
 * the next call. Errors: EFC_ERR_IO, EFC_ERR_CSV (invalid encoding; the
 * bytes before the problem are returned first, the error on the next
 * call, so the caller can say on which line it is). */
efc_status efc__input_read(efc__input *in, const char **data, size_t *len, efc_error *err);

void efc__input_close(efc__input *in);

/* Bytes of the source consumed so far (for progress). */
unsigned long long efc__input_consumed(const efc__input *in);

/* The text of an errno value, for error messages. */
void efc__errno_text(int errnum, char *buf, size_t cap);

#endif
