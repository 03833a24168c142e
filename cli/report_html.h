/* The HTML report: one self-contained page (inline CSS and SVG, no script,
 * no external resource) with an overview of every actor and a section per
 * actor. */
#ifndef EFC_CLI_REPORT_HTML_H
#define EFC_CLI_REPORT_HTML_H

#include <stdio.h>

#include "report_data.h"

typedef struct report_page {
    const char *title;                 /* NULL: the language's default title */
    const char *survey;                /* the survey's name, shown in the header */
    const char *model;                 /* "default" or the codebook's file name */
    const char *sha256;                /* the model's hash */
    const unsigned char *with_section; /* per actor: 1 for a detailed section */
    int all_sections;                  /* every actor has a section */
} report_page;

/* Write the page. Returns EXIT_DONE or EXIT_NOMEM; write errors show on
 * the stream. */
int report_html(FILE *fp, const report_data *d, const report_page *page);

#endif
