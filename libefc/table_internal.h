/* The inside of efc_table (table.c), read by the pipeline (index_run.c). */
#ifndef EFC_TABLE_INTERNAL_H
#define EFC_TABLE_INTERNAL_H

#include "efc/index.h"
#include "strmap.h"

typedef struct efc__column {
    char *name;
    efc_column_kind kind;
    double *num; /* rows values, NaN: missing (number columns) */
    char **txt;  /* rows texts, NULL: missing (text columns) */
} efc__column;

struct efc_table {
    efc_allocator alloc;
    char *source; /* "" when built in code */
    size_t rows;
    efc__column *cols;
    size_t ncols, cap;
    efc__strmap names;
    size_t *lines; /* file line of each row, NULL when built in code */
};

#endif
