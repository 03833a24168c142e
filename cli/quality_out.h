/* Writing what efc reliability and efc items share. */
#ifndef EFC_CLI_QUALITY_OUT_H
#define EFC_CLI_QUALITY_OUT_H

#include "cli.h"
#include "csv_out.h"

/* The options of efc reliability and efc items, and their exit statuses,
 * for --help. */
#define QUALITY_OPTIONS_HELP                                                                       \
    "  --min-answers N|P%    flag items answered by fewer than N rows, or P% of\n"                 \
    "                        them (default 50%)\n"                                                 \
    "  --keys FILE           the scales of a keys file (scale,item,sign), which may\n"             \
    "                        share items, instead of the model's\n"                                \
    "  --output-dialect D    csv (default) or excel-fr\n"                                          \
    "  -o, --output FILE     write to FILE (replaced only on success)\n"                           \
    "\n"                                                                                           \
    "Reading options, as for efc score: --model --id --period-column --delimiter\n"                \
    "--encoding --decimal-comma --date-format --na --strict-range --combine\n"                     \
    "--on-error --rejects -j -q (see efc score --help).\n"                                         \
    "\n"                                                                                           \
    "Exit status: 0 done, 1 bad data, 2 usage, 3 input/output, 4 out of memory,\n"                 \
    "5 finished with rejected rows (--on-error skip).\n"

/* The flags of an item as one field: their names joined by '|' ("" when none). */
void quality_out_flags(csv_out *w, unsigned flags);

#endif
