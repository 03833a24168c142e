/* Loading a model from a codebook CSV (docs/codebook.md). A node is a
 * group when some row names it as parent and a leaf otherwise, so rows are
 * read in full before nodes are created. Every problem is reported with
 * the file, the line, the column and the reason. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"
#include "error_internal.h"
#include "input.h"
#include "model_internal.h"
#include "names_internal.h"
#include "number.h"
#include "steps.h"
#include "strmap.h"
#include "text.h"

/* A column of the codebook: an attribute, possibly translated. */
typedef struct column {
    efc__attr attr;
    char lang[3]; /* "" for the base text */
} column;

typedef struct row {
    size_t line;
    char **cells; /* one per column, "" when empty */
} row;

typedef struct loader {
    efc_model *m;
    const efc_allocator *a;
    const char *source;
    column *cols;
    char **names; /* the header's column names (NULL for one that is not valid text) */
    size_t ncols;
    size_t col_of[EFC__ATTR_COUNT]; /* 1-based column of each base attribute, 0 if absent */
    row *rows;
    size_t nrows, rows_cap;
    char sep_alt; /* accepted decimal comma, or 0 */
    efc_error *err;
} loader;

/* Attach the place to the failure recorded, with the column's name as the
 * header writes it (error.h promises it for file errors, as surveys give
 * it): a user who reads "column 12" still has to count the header. */
static void locate(loader *ld, size_t line, size_t col)
{
    const char *name = col && col <= ld->ncols && ld->names ? ld->names[col - 1] : NULL;
    efc__locate(ld->err, ld->source, line, col, name);
}

static efc_status at(loader *ld, size_t line, size_t col, efc_status code, efc_reason why,
                     const char *fmt, const char *a, const char *b)
{
    efc__fail_r(ld->err, code, why, fmt, a, b);
    locate(ld, line, col);
    return code;
}

/* Re-locate a failure reported by a model setter. */
static efc_status relocate(loader *ld, efc_status st, size_t line, size_t col)
{
    if (st != EFC_ERR_NOMEM)
        locate(ld, line, col);
    return st;
}

static const char *const attr_text[] = {"label", "description", "levels"};

static int parse_column_name(const char *name, column *c)
{
    for (int k = 0; k < EFC__ATTR_COUNT; k++) {
        if (strcmp(name, efc__attr_name((efc__attr)k)) == 0) {
            c->attr = (efc__attr)k;
            c->lang[0] = '\0';
            return 1;
        }
    }
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(attr_text[k]);
        if (strncmp(name, attr_text[k], n) == 0 && name[n] == '_' &&
            efc__valid_lang(name + n + 1)) {
            c->attr = (efc__attr)(EFC__ATTR_LABEL + k);
            memcpy(c->lang, name + n + 1, 3);
            return 1;
        }
    }
    return 0;
}

static efc_status read_header(loader *ld, const efc__csv_record *rec)
{
    ld->cols = efc__alloc_array(ld->a, rec->nfields, sizeof *ld->cols);
    ld->names = efc__alloc_array(ld->a, rec->nfields, sizeof *ld->names);
    if (!ld->cols || !ld->names)
        return efc__nomem(ld->err);
    memset(ld->names, 0, rec->nfields * sizeof *ld->names); /* freed whole if a copy fails */
    ld->ncols = rec->nfields;
    /* every name first, so that an error in any column of the header can
     * name it; a name that is not valid text is not repeated */
    for (size_t i = 0; i < rec->nfields; i++) {
        const char *name = efc__field(rec, i);
        if (!efc__text_problem(name, rec->len[i], EFC__TEXT_ID) &&
            !(ld->names[i] = efc__strndup(ld->a, name, rec->len[i])))
            return efc__nomem(ld->err);
    }
    for (size_t i = 0; i < rec->nfields; i++) {
        const char *name = efc__field(rec, i);
        const char *why = efc__text_problem(name, rec->len[i], EFC__TEXT_ID);
        if (why)
            return at(ld, rec->line, i + 1, EFC_ERR_MODEL, EFC_REASON_BAD_TEXT, "column name %s%s",
                      why, "");
        if (!parse_column_name(name, &ld->cols[i])) {
            char lower[300];
            size_t n = 0;
            for (; name[n] && n + 1 < sizeof lower; n++)
                lower[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] + 32 : name[n]);
            lower[n] = '\0';
            column probe;
            if (parse_column_name(lower, &probe))
                return at(ld, rec->line, i + 1, EFC_ERR_MODEL, EFC_REASON_UNKNOWN_COLUMN,
                          "unknown column '%s' (column names are lowercase: '%s')", name, lower);
            return at(ld, rec->line, i + 1, EFC_ERR_MODEL, EFC_REASON_UNKNOWN_COLUMN,
                      "unknown column '%s'%s (known: id, parent, label, description, levels, "
                      "weight, min, max, direction, transform, aggregate, min_coverage, "
                      "threshold, denominator, impute, treat, normalise, target, and label_xx, "
                      "description_xx, levels_xx for a language xx)",
                      name, "");
        }
        for (size_t j = 0; j < i; j++)
            if (ld->cols[j].attr == ld->cols[i].attr &&
                strcmp(ld->cols[j].lang, ld->cols[i].lang) == 0) {
                at(ld, rec->line, i + 1, EFC_ERR_MODEL, EFC_REASON_DUPLICATE_COLUMN,
                   "duplicate column '%s'%s", name, "");
                efc__other(ld->err, rec->line, j + 1);
                return EFC_ERR_MODEL;
            }
        if (!ld->cols[i].lang[0])
            ld->col_of[ld->cols[i].attr] = i + 1;
    }
    if (!ld->col_of[EFC__ATTR_ID])
        return at(ld, rec->line, 0, EFC_ERR_MODEL, EFC_REASON_MISSING_COLUMN,
                  "the header has no '%s' column%s", "id", "");
    if (!ld->col_of[EFC__ATTR_PARENT])
        return at(ld, rec->line, 0, EFC_ERR_MODEL, EFC_REASON_MISSING_COLUMN,
                  "the header has no '%s' column%s", "parent", "");
    for (size_t i = 0; i < ld->ncols; i++)
        if (ld->cols[i].lang[0] && !ld->col_of[ld->cols[i].attr]) {
            const char *base = efc__attr_name(ld->cols[i].attr);
            return at(ld, rec->line, i + 1, EFC_ERR_MODEL, EFC_REASON_MISSING_COLUMN,
                      "a translated column needs its base column '%s'%s", base, "");
        }
    return EFC_OK;
}

static void free_rows(loader *ld)
{
    for (size_t r = 0; r < ld->nrows; r++) {
        if (ld->rows[r].cells)
            for (size_t i = 0; i < ld->ncols; i++)
                efc__free(ld->a, ld->rows[r].cells[i]);
        efc__free(ld->a, ld->rows[r].cells);
    }
    efc__free(ld->a, ld->rows);
    efc__free(ld->a, ld->cols);
    if (ld->names)
        for (size_t i = 0; i < ld->ncols; i++)
            efc__free(ld->a, ld->names[i]);
    efc__free(ld->a, ld->names);
}

static efc_status keep_row(loader *ld, const efc__csv_record *rec)
{
    if (rec->nfields != ld->ncols) {
        char msg[160];
        snprintf(msg, sizeof msg, "this row has %zu fields and the header %zu", rec->nfields,
                 ld->ncols);
        return at(ld, rec->line, 0, EFC_ERR_CSV, EFC_REASON_FIELD_COUNT, "%s%s", msg, "");
    }
    int empty = 1;
    for (size_t i = 0; i < rec->nfields; i++) {
        if (rec->len[i])
            empty = 0;
        const char *why = efc__text_problem(efc__field(rec, i), rec->len[i], EFC__TEXT_BLOCK);
        if (why)
            return at(ld, rec->line, i + 1, EFC_ERR_CSV, EFC_REASON_BAD_TEXT, "the field %s%s", why,
                      "");
    }
    if (empty)
        return EFC_OK; /* a row of empty cells, as spreadsheets leave: nothing to define */
    if (!efc__grow(ld->a, (void **)&ld->rows, &ld->rows_cap, ld->nrows + 1, sizeof *ld->rows))
        return efc__nomem(ld->err);
    row *r = &ld->rows[ld->nrows++];
    r->line = rec->line;
    r->cells = efc__alloc_array(ld->a, ld->ncols, sizeof *r->cells);
    if (!r->cells)
        return efc__nomem(ld->err);
    memset(r->cells, 0, ld->ncols * sizeof *r->cells);
    for (size_t i = 0; i < ld->ncols; i++)
        if (!(r->cells[i] = efc__strndup(ld->a, efc__field(rec, i), rec->len[i])))
            return efc__nomem(ld->err);
    return EFC_OK;
}

static const char *cell(const loader *ld, const row *r, efc__attr attr)
{
    size_t c = ld->col_of[attr];
    return c ? r->cells[c - 1] : "";
}

static efc_status number(loader *ld, const row *r, efc__attr attr, double *out)
{
    const char *s = cell(ld, r, attr);
    efc__num_status ns = efc__parse_number(s, strlen(s), '.', ld->sep_alt, out);
    if (ns == EFC__NUM_OK)
        return EFC_OK;
    char msg[120];
    snprintf(msg, sizeof msg, "%s '%%s' is %s", efc__attr_name(attr), efc__num_reason(ns));
    efc__fail_r(ld->err, EFC_ERR_MODEL, EFC_REASON_NOT_A_NUMBER, msg, s);
    locate(ld, r->line, ld->col_of[attr]);
    return EFC_ERR_MODEL;
}

static efc_status bad_keyword(loader *ld, const row *r, efc__attr attr, const char *allowed)
{
    return at(ld, r->line, ld->col_of[attr], EFC_ERR_MODEL, EFC_REASON_UNKNOWN_NAME,
              "'%s' is not one of %s", cell(ld, r, attr), allowed);
}

/* A cell holding one of the library's names for enumeration `type`. */
static efc_status keyword(loader *ld, const row *r, efc__attr attr, char *s, efc_enum_type type,
                          int *out)
{
    char list[40];
    if (efc_enum_parse(out, type, efc__trim(s), NULL) == EFC_OK)
        return EFC_OK;
    return bad_keyword(ld, r, attr, efc__enum_list(type, " ", list, sizeof list));
}

static efc_status parse_aggregate(loader *ld, const row *r, efc_aggregate *agg, double *p)
{
    char *s = efc__trim(r->cells[ld->col_of[EFC__ATTR_AGGREGATE] - 1]);
    efc_status st = efc__aggregate_parse(agg, p, s, ld->sep_alt, NULL);
    if (st == EFC_OK)
        return EFC_OK;
    if (st == EFC_ERR_VALUE) {
        /* the reason again, located in the codebook */
        double ignored;
        efc__num_status ns = efc__parse_number(s + 6, strlen(s + 6), '.', ld->sep_alt, &ignored);
        return at(ld, r->line, ld->col_of[EFC__ATTR_AGGREGATE], EFC_ERR_MODEL,
                  EFC_REASON_NOT_A_NUMBER, "the exponent in '%s' is %s", s, efc__num_reason(ns));
    }
    char list[100];
    return bad_keyword(ld, r, EFC__ATTR_AGGREGATE,
                       efc__enum_list(EFC_ENUM_AGGREGATE, ", ", list, sizeof list));
}

static int is_leaf_attr(efc__attr a)
{
    return a == EFC__ATTR_MIN || a == EFC__ATTR_MAX || a == EFC__ATTR_DIRECTION ||
           a == EFC__ATTR_TRANSFORM || a == EFC__ATTR_LEVELS || a == EFC__ATTR_DENOMINATOR ||
           a == EFC__ATTR_IMPUTE || a == EFC__ATTR_TREAT || a == EFC__ATTR_NORMALISE ||
           a == EFC__ATTR_TARGET;
}

static int is_group_attr(efc__attr a)
{
    return a == EFC__ATTR_AGGREGATE || a == EFC__ATTR_MIN_COVERAGE;
}

/* Attributes that do not belong to the node's kind must be empty. */
static efc_status check_kind_columns(loader *ld, const row *r, const char *id, int group)
{
    for (size_t i = 0; i < ld->ncols; i++) {
        efc__attr a = ld->cols[i].attr;
        if (!r->cells[i][0] || !(group ? is_leaf_attr(a) : is_group_attr(a)))
            continue;
        char msg[200];
        snprintf(msg, sizeof msg, "node '%%s' %s, so it is a %s: this column is only for %s",
                 group ? "has children" : "has no children", group ? "group" : "leaf",
                 group ? "leaves" : "groups");
        efc__fail(ld->err, EFC_ERR_MODEL, msg, id);
        locate(ld, r->line, i + 1);
        return EFC_ERR_MODEL;
    }
    return EFC_OK;
}

static efc_status add_row(loader *ld, const row *r, const efc__strmap *parents)
{
    const char *id = cell(ld, r, EFC__ATTR_ID);
    const char *parent = cell(ld, r, EFC__ATTR_PARENT);
    size_t id_col = ld->col_of[EFC__ATTR_ID];
    if (!id[0])
        return at(ld, r->line, id_col, EFC_ERR_MODEL, EFC_REASON_EMPTY_ID, "id is empty%s%s", "",
                  "");
    int group = efc__strmap_get(parents, id) != EFC_NO_NODE;
    efc_status st = check_kind_columns(ld, r, id, group);
    if (st)
        return st;
    size_t k;
    if (group) {
        st = efc_model_add_group(&k, ld->m, id, parent, ld->err);
    } else {
        const char *mn = cell(ld, r, EFC__ATTR_MIN), *mx = cell(ld, r, EFC__ATTR_MAX);
        /* a leaf normalised from the data (efc/index.h) has no goalposts;
         * finalize says so if it has some all the same */
        char norm[64];
        snprintf(norm, sizeof norm, "%s", cell(ld, r, EFC__ATTR_NORMALISE));
        const char *nm = efc__trim(norm);
        int from_data = nm[0] && strcmp(nm, "goalposts") != 0;
        if (from_data && !mn[0] && !mx[0]) {
            st = efc_model_add_leaf(&k, ld->m, id, parent, NAN, NAN, ld->err);
        } else if (!mn[0] || !mx[0]) {
            efc__attr missing = !mn[0] ? EFC__ATTR_MIN : EFC__ATTR_MAX;
            return at(ld, r->line, ld->col_of[missing] ? ld->col_of[missing] : id_col,
                      EFC_ERR_MODEL, EFC_REASON_NONE,
                      "node '%s' has no children and no %s: a leaf needs min and max (or a "
                      "normalise method from the data), a group needs children",
                      id, efc__attr_name(missing));
        } else {
            double lo, hi;
            if ((st = number(ld, r, EFC__ATTR_MIN, &lo)) ||
                (st = number(ld, r, EFC__ATTR_MAX, &hi)))
                return st;
            if (!(lo < hi))
                return at(ld, r->line, ld->col_of[EFC__ATTR_MAX], EFC_ERR_MODEL, EFC_REASON_NONE,
                          "node '%s': min must be less than max%s", id, "");
            st = efc_model_add_leaf(&k, ld->m, id, parent, lo, hi, ld->err);
        }
    }
    if (st) {
        size_t col = id_col;
        if (strncmp(efc_error_message(ld->err), "parent", 6) == 0)
            col = ld->col_of[EFC__ATTR_PARENT];
        return relocate(ld, st, r->line, col);
    }
    ld->m->nodes[k].line = r->line;
    double v;
    for (size_t i = 0; i < ld->ncols; i++) {
        const column *c = &ld->cols[i];
        char *s = r->cells[i];
        if (!s[0] || c->attr == EFC__ATTR_ID || c->attr == EFC__ATTR_PARENT ||
            c->attr == EFC__ATTR_MIN || c->attr == EFC__ATTR_MAX)
            continue;
        switch (c->attr) {
        case EFC__ATTR_LABEL:
        case EFC__ATTR_DESCRIPTION:
        case EFC__ATTR_LEVELS:
            st = efc_model_set_text(ld->m, k, (efc_text_kind)(c->attr - EFC__ATTR_LABEL), c->lang,
                                    s, ld->err);
            break;
        case EFC__ATTR_WEIGHT:
            if (!(st = number(ld, r, c->attr, &v)))
                st = efc_model_set_weight(ld->m, k, v, ld->err);
            break;
        case EFC__ATTR_DIRECTION: {
            int d;
            if (!(st = keyword(ld, r, c->attr, s, EFC_ENUM_DIRECTION, &d)))
                st = efc_model_set_direction(ld->m, k, (efc_direction)d, ld->err);
            break;
        }
        case EFC__ATTR_TRANSFORM: {
            int t;
            if (!(st = keyword(ld, r, c->attr, s, EFC_ENUM_TRANSFORM, &t)))
                st = efc_model_set_transform(ld->m, k, (efc_transform)t, ld->err);
            break;
        }
        case EFC__ATTR_AGGREGATE: {
            efc_aggregate agg = EFC_AGGREGATE_MEAN;
            double p = 0;
            if (!(st = parse_aggregate(ld, r, &agg, &p)))
                st = efc_model_set_aggregate(ld->m, k, agg, p, ld->err);
            break;
        }
        case EFC__ATTR_MIN_COVERAGE:
            if (!(st = number(ld, r, c->attr, &v)))
                st = efc_model_set_min_coverage(ld->m, k, v, ld->err);
            break;
        case EFC__ATTR_THRESHOLD:
            if (!(st = number(ld, r, c->attr, &v)))
                st = efc_model_set_threshold(ld->m, k, v, ld->err);
            break;
        case EFC__ATTR_DENOMINATOR:
        case EFC__ATTR_IMPUTE:
        case EFC__ATTR_TREAT:
        case EFC__ATTR_NORMALISE:
            st = efc__model_set_step(ld->m, k, (efc_step)(c->attr - EFC__ATTR_DENOMINATOR), s,
                                     ld->sep_alt, ld->err);
            break;
        case EFC__ATTR_TARGET:
            if (!(st = number(ld, r, c->attr, &v)))
                st = efc_model_set_target(ld->m, k, v, ld->err);
            break;
        default:
            break;
        }
        if (st)
            return relocate(ld, st, r->line, i + 1);
    }
    return EFC_OK;
}

/* An unknown parent first: it would otherwise show as a childless group. */
static efc_status check_parents(loader *ld)
{
    efc__strmap ids;
    efc__strmap_init(&ids);
    efc_status st = EFC_OK;
    for (size_t r = 0; r < ld->nrows && !st; r++) {
        const char *id = cell(ld, &ld->rows[r], EFC__ATTR_ID);
        if (id[0] && efc__strmap_get(&ids, id) == EFC_NO_NODE &&
            !efc__strmap_put(&ids, ld->a, id, r))
            st = efc__nomem(ld->err);
    }
    for (size_t r = 0; r < ld->nrows && !st; r++) {
        const row *rw = &ld->rows[r];
        const char *p = cell(ld, rw, EFC__ATTR_PARENT);
        if (p[0] && efc__strmap_get(&ids, p) == EFC_NO_NODE)
            st = at(ld, rw->line, ld->col_of[EFC__ATTR_PARENT], EFC_ERR_MODEL,
                    EFC_REASON_UNKNOWN_PARENT, "node '%s': unknown parent '%s'",
                    cell(ld, rw, EFC__ATTR_ID), p);
    }
    efc__strmap_free(&ids, ld->a);
    return st;
}

static efc_status build(loader *ld)
{
    efc__strmap parents;
    efc__strmap_init(&parents);
    efc_status st = check_parents(ld);
    if (st)
        return st;
    for (size_t r = 0; r < ld->nrows && !st; r++) {
        const char *p = cell(ld, &ld->rows[r], EFC__ATTR_PARENT);
        if (p[0] && efc__strmap_get(&parents, p) == EFC_NO_NODE &&
            !efc__strmap_put(&parents, ld->a, p, r))
            st = efc__nomem(ld->err);
    }
    for (size_t r = 0; r < ld->nrows && !st; r++)
        st = add_row(ld, &ld->rows[r], &parents);
    efc__strmap_free(&parents, ld->a);
    return st;
}

efc_status efc__codebook_load(efc_model **out, efc__input *in, const efc_allocator *alloc,
                              efc_error *err)
{
    efc_model *m = NULL;
    efc__csv *csv = NULL;
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.err = err;
    ld.source = in->name;
    /* a fitted model's step lists every group (steps.c: 64 MiB at most) */
    efc__csv_config cfg = {0, EFC__STEP_TEXT_MAX + 1024, 0};
    efc_status st = efc_model_create(&m, alloc, err);
    if (st)
        return st;
    ld.m = m;
    ld.a = &m->alloc;
    if ((st = efc__model_set_source(m, in->name, err)) ||
        (st = efc__csv_open(&csv, in, &cfg, ld.a, err)))
        goto done;
    ld.sep_alt = efc__csv_delimiter(csv) == ',' ? 0 : ',';
    efc__csv_record rec;
    int have;
    if ((st = efc__csv_next(csv, &rec, &have, err)))
        goto done;
    if (!have) {
        st = at(&ld, 0, 0, EFC_ERR_MODEL, EFC_REASON_NONE, "empty codebook: no header row%s%s", "",
                "");
        goto done;
    }
    if ((st = read_header(&ld, &rec)))
        goto done;
    for (;;) {
        if ((st = efc__csv_next(csv, &rec, &have, err))) {
            /* the reader knows the field, not the header: name it here */
            if (st != EFC_ERR_NOMEM && efc_error_column(err))
                locate(&ld, efc_error_line(err), efc_error_column(err));
            break;
        }
        if (!have || (st = keep_row(&ld, &rec)))
            break;
    }
    if (st)
        goto done;
    if (ld.nrows == 0) {
        st = at(&ld, 1, 0, EFC_ERR_MODEL, EFC_REASON_NONE,
                "the codebook has a header but no nodes%s%s", "", "");
        goto done;
    }
    if ((st = build(&ld)))
        goto done;
    memcpy(m->attr_col, ld.col_of, sizeof m->attr_col);
    st = efc_model_finalize(m, err);
done:
    efc__csv_close(csv);
    free_rows(&ld);
    if (st) {
        efc_model_free(m);
        return st;
    }
    *out = m;
    return EFC_OK;
}

efc_status efc_model_load_path(efc_model **out, const char *path, const efc_allocator *alloc,
                               efc_error *err)
{
    efc_allocator a;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!path)
        return efc__fail(err, EFC_ERR_ARGUMENT, "path is NULL");
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc__input in;
    efc_status st = efc__input_open_path(&in, path, EFC__ENC_AUTO, &a, err);
    if (st)
        return st;
    st = efc__codebook_load(out, &in, &a, err);
    efc__input_close(&in);
    return st;
}

efc_status efc_model_load_file(efc_model **out, FILE *fp, const char *name,
                               const efc_allocator *alloc, efc_error *err)
{
    efc_allocator a;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!fp)
        return efc__fail(err, EFC_ERR_ARGUMENT, "stream is NULL");
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc__input in;
    efc_status st = efc__input_open_file(&in, fp, name ? name : "<stream>", EFC__ENC_AUTO, &a, err);
    if (st)
        return st;
    st = efc__codebook_load(out, &in, &a, err);
    efc__input_close(&in);
    return st;
}

efc_status efc_model_load_buffer(efc_model **out, const void *data, size_t size, const char *name,
                                 const efc_allocator *alloc, efc_error *err)
{
    efc_allocator a;
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!data && size)
        return efc__fail(err, EFC_ERR_ARGUMENT, "data is NULL");
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc__input in;
    efc_status st =
        efc__input_open_buffer(&in, data, size, name ? name : "<buffer>", EFC__ENC_AUTO, &a, err);
    if (st)
        return st;
    st = efc__codebook_load(out, &in, &a, err);
    efc__input_close(&in);
    return st;
}
