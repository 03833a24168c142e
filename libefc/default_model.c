/* The embedded default model: the EFC reference grid, kept as a codebook
 * (default_codebook.csv, compiled in by tools/embed.py) so that the file a
 * user exports with `efc model --export` is the very text the library reads. */
#include "alloc.h"
#include "efc/model.h"
#include "error_internal.h"
#include "input.h"
#include "model_internal.h"

extern const unsigned char efc__default_codebook[];
extern const size_t efc__default_codebook_size;

efc_status efc_model_default(efc_model **out, const efc_allocator *alloc, efc_error *err)
{
    efc_allocator a;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc__input in;
    efc_status st = efc__input_open_buffer(&in, efc__default_codebook, efc__default_codebook_size,
                                           "default", EFC__ENC_UTF8, &a, err);
    if (st)
        return st;
    st = efc__codebook_load(out, &in, &a, err);
    efc__input_close(&in);
    return st;
}
