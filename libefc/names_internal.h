/* The names of enumerators inside the library: parsing with the codebook's
 * second decimal separator, and the list of names for messages. */
#ifndef EFC_NAMES_INTERNAL_H
#define EFC_NAMES_INTERNAL_H

#include <stddef.h>

#include "efc/names.h"

/* efc_aggregate_parse, also accepting `alt_sep` (0 for none) as the
 * exponent's decimal separator, as codebooks in `;` accept a comma. */
efc_status efc__aggregate_parse(efc_aggregate *agg, double *power, const char *text, char alt_sep,
                                efc_error *err);

/* The names of enumeration `type` joined by `sep` into buf (NUL-terminated,
 * cut to cap); the power mean is written `power:P`. Returns buf. */
const char *efc__enum_list(efc_enum_type type, const char *sep, char *buf, size_t cap);

#endif
