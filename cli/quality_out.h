/* Writing what efc reliability and efc items share. */
#ifndef EFC_CLI_QUALITY_OUT_H
#define EFC_CLI_QUALITY_OUT_H

#include "cli.h"
#include "csv_out.h"

/* The flags of an item as one field: their names joined by '|' ("" when none). */
void quality_out_flags(csv_out *w, unsigned flags);

#endif
