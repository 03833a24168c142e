/* Keys files: scales over the model's leaves, which may share items
 * (docs/cli.md, "Scales that share items"). */
#ifndef EFC_CLI_KEYS_FILE_H
#define EFC_CLI_KEYS_FILE_H

#include "cli.h"

/* Read the keys file `path` (columns scale, item, sign) for `model` into
 * *out. EXIT_DONE, or EXIT_IO / EXIT_DATA / EXIT_NOMEM after printing the
 * reason (the file's line). */
int cli_keys_load(efc_keys **out, const efc_model *model, const char *path, efc_error *err);

#endif
