/*
 * libefc — common definitions: export macro, status codes, allocator.
 *
 * Every fallible function of libefc returns an efc_status and, when the
 * caller passes a non-NULL efc_error, fills it with the code, a message and,
 * for file input, the source name, line and column (see efc/error.h).
 *
 * Thread safety: libefc has no global mutable state. Objects may be used
 * from several threads as long as each non-const object is used by one
 * thread at a time; functions taking a const object (for example scoring
 * with a finalized `const efc_model *`) are safe from many threads at once.
 * The few const functions that allocate (exporting a model, its hash) use
 * the object's allocator, which must then be thread-safe, as the default is.
 */
#ifndef EFC_COMMON_H
#define EFC_COMMON_H

#include <stddef.h>

#if defined(EFC_BUILDING) && defined(__GNUC__)
#define EFC_API __attribute__((visibility("default")))
#else
#define EFC_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Status codes returned by every fallible function. 0 is success; new codes
 * may be appended in later releases, so treat unknown values as errors.
 */
typedef enum efc_status {
    EFC_OK = 0,
    /** An argument is invalid: NULL where an object is required, an index
     *  out of range, an unknown enumerator or option value. */
    EFC_ERR_ARGUMENT = 1,
    /** An allocation failed. The objects involved stay valid. */
    EFC_ERR_NOMEM = 2,
    /** Reading or writing a file or stream failed. */
    EFC_ERR_IO = 3,
    /** The bytes of a CSV file are malformed: bad quoting, invalid
     *  encoding, a NUL byte, a field over the size limit, too many fields;
     *  in a codebook, a row with the wrong number of fields. */
    EFC_ERR_CSV = 4,
    /** The model (a codebook file or a model built in code) is invalid. */
    EFC_ERR_MODEL = 5,
    /** A value cannot be scored: not a number, infinite, outside the
     *  domain of the leaf's transform, or outside the goalposts when range
     *  checking is strict. */
    EFC_ERR_VALUE = 6,
    /** The call is not allowed in the object's current state (for example
     *  scoring with a model that is not finalized, or editing one that is). */
    EFC_ERR_STATE = 7,
    /** An id or name was not found. */
    EFC_ERR_NOT_FOUND = 8,
    /** The structure of a survey is invalid: missing id column, duplicate
     *  column, no column matching the model, an empty file; or a survey
     *  row is (wrong number of fields, empty id). */
    EFC_ERR_SURVEY = 9
} efc_status;

/**
 * A short English description of a status code ("out of memory", ...).
 * Returns a static string, never NULL; unknown codes give "unknown status".
 */
EFC_API const char *efc_strerror(efc_status status);

/**
 * Memory allocation functions. Every constructor of libefc accepts a
 * `const efc_allocator *`; NULL means the C library's malloc, realloc and
 * free. The object copies the struct, so it may live on the caller's
 * stack, but `ctx` must stay valid as long as any object created with it.
 * All memory an object allocates goes through these functions and is
 * released by the object's own free function.
 *
 * realloc_fn is never called with a NULL pointer or a zero size, and
 * free_fn never with NULL. A function returning NULL makes the library
 * call fail with EFC_ERR_NOMEM.
 */
typedef struct efc_allocator {
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} efc_allocator;

/** An index meaning "none" (no actor, no assessment, not found). */
#define EFC_NONE ((size_t)-1)

/** Node index meaning "no node" (for example the parent of the root). */
#define EFC_NO_NODE EFC_NONE

#ifdef __cplusplus
}
#endif

#endif /* EFC_COMMON_H */
