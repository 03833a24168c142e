/* The questionnaire of a model as an HTML form: every item with its
 * description and the text of each level, in English or French. */
#ifndef EFC_CLI_QUESTIONNAIRE_H
#define EFC_CLI_QUESTIONNAIRE_H

#include <stdio.h>

#include "cli.h"
#include "locale_text.h"

/* Write the form for a finalized model; `model` names it ("default" or
 * the codebook's file name) and `sha256` is its hash. Returns EXIT_DONE or
 * EXIT_NOMEM; write errors show on the stream. */
int questionnaire_html(FILE *fp, const efc_model *m, const ui_text *ui, const char *model,
                       const char *sha256);

#endif
