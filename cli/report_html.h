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
    const char *pages;    /* NULL: sections in the page; else the directory of the actors'
                             pages, as a URL path segment (report_url_segment) */
    const char *overview; /* on an actor's page: the overview's file name, as a URL path
                             segment */
} report_page;

/* A file name as a URL path segment: every byte but letters, digits and
 * "-._~" percent-encoded, into a malloc'ed string (NULL when out of memory). */
char *report_url_segment(const char *name);

/* Write one actor's section as a page of its own (efc report --pages),
 * linking back to the overview. Returns EXIT_DONE or EXIT_NOMEM. */
int report_actor_page(FILE *fp, const report_data *d, const report_page *page, size_t actor);

/* Write the page. Returns EXIT_DONE or EXIT_NOMEM; write errors show on
 * the stream. */
int report_html(FILE *fp, const report_data *d, const report_page *page);

#endif
