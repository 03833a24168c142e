/* Reading a keys file (efc reliability --keys, efc items --keys): a CSV
 * with a header naming the columns scale and item, and optionally sign (+1
 * or -1, + or -, empty for +1), one row per item of a scale. Fields are
 * separated by commas; a field may be quoted with double quotes (no comma
 * or quote within). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys_file.h"

enum { MAX_FIELDS = 64 };

/* Split `line` in place into fields; returns their count. */
static size_t split(char *line, char **fields)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *end = strchr(p, ',');
        if (end)
            *end = 0;
        size_t len = strlen(p);
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\r'))
            p[--len] = 0;
        while (*p == ' ')
            p++, len--;
        if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
            p[len - 1] = 0;
            p++;
        }
        if (n < MAX_FIELDS)
            fields[n++] = p;
        if (!end)
            return n;
        p = end + 1;
    }
}

typedef struct pending {
    char *name;
    size_t *leaves;
    int *signs;
    size_t count, cap;
} pending;

static int add_item(pending **scales, size_t *n, const char *name, size_t leaf, int sign)
{
    size_t s = 0;
    while (s < *n && strcmp((*scales)[s].name, name))
        s++;
    if (s == *n) {
        pending *grown = realloc(*scales, (*n + 1) * sizeof **scales);
        if (!grown)
            return 0;
        *scales = grown;
        memset(&grown[s], 0, sizeof grown[s]);
        if (!(grown[s].name = malloc(strlen(name) + 1)))
            return 0;
        strcpy(grown[s].name, name);
        (*n)++;
    }
    pending *p = &(*scales)[s];
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        size_t *l = realloc(p->leaves, cap * sizeof *l);
        if (l)
            p->leaves = l;
        int *g = l ? realloc(p->signs, cap * sizeof *g) : NULL;
        if (!g)
            return 0;
        p->signs = g;
        p->cap = cap;
    }
    p->leaves[p->count] = leaf;
    p->signs[p->count++] = sign;
    return 1;
}

int cli_keys_load(efc_keys **out, const efc_model *model, const char *path, efc_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "efc: %s: %s\n", path, strerror(errno));
        return EXIT_IO;
    }
    pending *scales = NULL;
    size_t nscales = 0, line_no = 0;
    int status = EXIT_DONE, col_scale = -1, col_item = -1, col_sign = -1;
    char line[4096];
    while (!status && fgets(line, sizeof line, f)) {
        line_no++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(stderr, "efc: %s:%zu: line too long\n", path, line_no);
            status = EXIT_DATA;
            break;
        }
        if (len && line[len - 1] == '\n')
            line[--len] = 0;
        char *text = line;
        if (line_no == 1 && !strncmp(text, "\xEF\xBB\xBF", 3))
            text += 3;
        if (!*text || !strcmp(text, "\r"))
            continue;
        char *fields[MAX_FIELDS];
        size_t n = split(text, fields);
        if (col_scale < 0) {
            for (size_t i = 0; i < n; i++) {
                if (!strcmp(fields[i], "scale"))
                    col_scale = (int)i;
                else if (!strcmp(fields[i], "item"))
                    col_item = (int)i;
                else if (!strcmp(fields[i], "sign"))
                    col_sign = (int)i;
            }
            if (col_scale < 0 || col_item < 0) {
                fprintf(stderr, "efc: %s:%zu: a keys file needs the columns scale and item\n", path,
                        line_no);
                status = EXIT_DATA;
            }
            continue;
        }
        int need = col_scale > col_item ? col_scale : col_item;
        need = col_sign > need ? col_sign : need;
        if ((int)n <= need) {
            fprintf(stderr, "efc: %s:%zu: %zu fields, %d needed\n", path, line_no, n, need + 1);
            status = EXIT_DATA;
            break;
        }
        const char *sign = col_sign >= 0 ? fields[col_sign] : "";
        int sg = !*sign || !strcmp(sign, "+") || !strcmp(sign, "+1") || !strcmp(sign, "1") ? 1
                 : !strcmp(sign, "-") || !strcmp(sign, "-1")                               ? -1
                                                                                           : 0;
        if (!sg) {
            fprintf(stderr, "efc: %s:%zu: sign '%s' is not +1 or -1\n", path, line_no, sign);
            status = EXIT_DATA;
            break;
        }
        size_t leaf = efc_model_leaf_index(model, fields[col_item]);
        if (leaf == EFC_NONE) {
            fprintf(stderr, "efc: %s:%zu: the model has no item '%s'\n", path, line_no,
                    fields[col_item]);
            status = EXIT_DATA;
            break;
        }
        if (!add_item(&scales, &nscales, fields[col_scale], leaf, sg)) {
            fprintf(stderr, "efc: out of memory\n");
            status = EXIT_NOMEM;
        }
    }
    if (!status && ferror(f)) {
        fprintf(stderr, "efc: %s: %s\n", path, strerror(errno));
        status = EXIT_IO;
    }
    fclose(f);
    if (!status && col_scale < 0) {
        fprintf(stderr, "efc: %s: empty keys file\n", path);
        status = EXIT_DATA;
    }
    efc_status st = EFC_OK;
    if (!status && (st = efc_keys_create(out, model, NULL, err)))
        status = cli_fail(err, st);
    for (size_t s = 0; !status && s < nscales; s++)
        if ((st = efc_keys_add_scale(*out, scales[s].name, scales[s].count, scales[s].leaves,
                                     scales[s].signs, err))) {
            fprintf(stderr, "efc: %s: %s\n", path, efc_error_message(err));
            status = st == EFC_ERR_NOMEM ? EXIT_NOMEM : EXIT_DATA;
        }
    for (size_t s = 0; s < nscales; s++) {
        free(scales[s].name);
        free(scales[s].leaves);
        free(scales[s].signs);
    }
    free(scales);
    if (status) {
        efc_keys_free(*out);
        *out = NULL;
    }
    return status;
}
