/* Opening a survey: the header row decides which column holds the id, the
 * period, the grouping values and each leaf of the model. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "strmap.h"
#include "survey_internal.h"
#include "text.h"

static const efc__encoding encodings[] = {EFC__ENC_AUTO,    EFC__ENC_UTF8,    EFC__ENC_UTF16,
                                          EFC__ENC_UTF16LE, EFC__ENC_UTF16BE, EFC__ENC_CP1252};

void efc_survey_free(efc_survey *s)
{
    if (!s)
        return;
    efc_allocator a = s->alloc;
    efc__feeder_stop(s); /* first: it joins the reader thread */
    efc__combiner_free(s);

    efc__csv_close(s->csv);
    if (s->in_open)
        efc__input_close(&s->in);
    for (size_t i = 0; i < s->ncols; i++)
        efc__free(&a, s->cols[i]);
    efc__free(&a, s->cols);
    efc__free(&a, s->col_leaf);
    efc__free(&a, s->group_cols);
    efc__free(&a, s->missing);
    efc__free(&a, s->ignored);
    efc__free(&a, s->row);
    efc__free(&a, s->value_cols);
    efc__free(&a, s->col_role);
    efc__free(&a, s->col_index);
    efc__free(&a, s->group_span);
    efc__free(&a, s->digit_ok);
    efc__free(&a, s->aux_col);
    efc__free(&a, s->aux_row);
    efc__free(&a, s->leaf_col);
    efc__free(&a, s->check);
    efc__free(&a, s->check_cov);
    efc_survey_options_free(s->opts);
    efc__free(&a, s);
}

static efc_status header_fail(efc_survey *s, efc_error *err, efc_reason why, size_t col,
                              const char *fmt, const char *a, const char *b)
{
    efc__fail_r(err, EFC_ERR_SURVEY, why, fmt, a, b);
    efc__locate(err, s->in.name, s->header_line, col ? col : 0, NULL);
    return EFC_ERR_SURVEY;
}

static size_t column_named(const efc_survey *s, const char *name)
{
    for (size_t i = 0; i < s->ncols; i++)
        if (strcmp(s->cols[i], name) == 0)
            return i;
    return EFC_NO_NODE;
}

/* A column given by name for a role: it must exist and not be a leaf. */
static efc_status role_column(efc_survey *s, const char *role, const char *name, size_t *col,
                              efc_error *err)
{
    size_t c = column_named(s, name);
    if (c == EFC_NO_NODE)
        return header_fail(s, err, EFC_REASON_MISSING_COLUMN, 0, "no column '%s' for the %s", name,
                           role);
    if (s->col_leaf[c] != EFC_NO_NODE)
        return header_fail(s, err, EFC_REASON_NONE, c + 1,
                           "column '%s' is an item of the model and cannot be the %s", name, role);
    *col = c;
    return EFC_OK;
}

static efc_status read_header(efc_survey *s, efc_error *err)
{
    efc__csv_record rec;
    int have;
    efc_status st = efc__csv_next(s->csv, &rec, &have, err);
    if (st)
        return st;
    if (!have) {
        efc__fail(err, EFC_ERR_SURVEY, "empty survey: no header row");
        efc__locate(err, s->in.name, 0, 0, NULL);
        return EFC_ERR_SURVEY;
    }
    s->header_line = rec.line;
    s->cols = efc__alloc_array(&s->alloc, rec.nfields, sizeof *s->cols);
    s->col_leaf = efc__alloc_array(&s->alloc, rec.nfields, sizeof *s->col_leaf);
    if (!s->cols || !s->col_leaf)
        return efc__nomem(err);
    efc__strmap seen; /* names met so far: wide headers stay linear */
    efc__strmap_init(&seen);
    st = EFC_OK;
    for (size_t i = 0; i < rec.nfields && !st; i++) {
        const char *why = efc__text_problem(efc__field(&rec, i), rec.len[i], EFC__TEXT_LINE);
        if (why) {
            st = header_fail(s, err, EFC_REASON_BAD_TEXT, i + 1, "the column name %s%s", why, "");
            break;
        }
        if (!(s->cols[i] = efc__strndup(&s->alloc, efc__field(&rec, i), rec.len[i]))) {
            st = efc__nomem(err);
            break;
        }
        s->ncols = i + 1;
        s->col_leaf[i] = rec.len[i] ? efc_model_leaf_index(s->model, s->cols[i]) : EFC_NO_NODE;
        if (!rec.len[i])
            continue; /* unnamed columns (trailing delimiters) are not duplicates */
        size_t j = efc__strmap_get(&seen, s->cols[i]);
        if (j != EFC_NO_NODE) {
            char first[32];
            snprintf(first, sizeof first, "%zu", j + 1);
            st = header_fail(s, err, EFC_REASON_DUPLICATE_COLUMN, i + 1,
                             "duplicate column name '%s' (also column %s)", s->cols[i], first);
            efc__other(err, s->header_line, j + 1);
        } else if (!efc__strmap_put(&seen, &s->alloc, s->cols[i], i)) {
            st = efc__nomem(err);
        }
    }
    efc__strmap_free(&seen, &s->alloc);
    return st;
}

static efc_status assign_roles(efc_survey *s, efc_error *err)
{
    const efc_survey_options *o = s->opts;
    efc_status st;
    if (o->id_column) {
        if ((st = role_column(s, "id", o->id_column, &s->id_col, err)))
            return st;
    } else {
        s->id_col = column_named(s, "id");
        if (s->id_col == EFC_NO_NODE || s->col_leaf[s->id_col] != EFC_NO_NODE) {
            s->id_col = 0;
            if (s->ncols == 0 || s->col_leaf[0] != EFC_NO_NODE)
                return header_fail(s, err, EFC_REASON_MISSING_COLUMN, 1,
                                   "no 'id' column, and the first column '%s' is an item of the "
                                   "model: name the id column%s",
                                   s->ncols ? s->cols[0] : "", "");
        }
    }
    s->period_col = EFC_NO_NODE;
    if (o->period_column && o->period_column[0]) {
        if ((st = role_column(s, "period", o->period_column, &s->period_col, err)))
            return st;
    } else if (!o->period_column) {
        size_t c = column_named(s, "period");
        if (c != EFC_NO_NODE && s->col_leaf[c] == EFC_NO_NODE)
            s->period_col = c;
    }
    if (s->period_col == s->id_col && s->period_col != EFC_NO_NODE)
        return header_fail(s, err, EFC_REASON_NONE, s->id_col + 1,
                           "column '%s' cannot be both the id and the period%s", s->cols[s->id_col],
                           "");
    s->ngroups = o->ngroups;
    s->group_cols = efc__alloc_array(&s->alloc, o->ngroups ? o->ngroups : 1, sizeof *s->group_cols);
    if (!s->group_cols)
        return efc__nomem(err);
    for (size_t g = 0; g < o->ngroups; g++) {
        if ((st = role_column(s, "grouping column", o->groups[g], &s->group_cols[g], err)))
            return st;
        if (s->group_cols[g] == s->id_col || s->group_cols[g] == s->period_col)
            return header_fail(s, err, EFC_REASON_NONE, s->group_cols[g] + 1,
                               "column '%s' is already the %s", o->groups[g],
                               s->group_cols[g] == s->id_col ? "id" : "period");
    }
    return EFC_OK;
}

static int has_role(const efc_survey *s, size_t c)
{
    if (c == s->id_col || c == s->period_col)
        return 1;
    for (size_t a = 0; a < s->model->aux_count; a++)
        if (s->aux_col[a] == c)
            return 1;
    for (size_t g = 0; g < s->ngroups; g++)
        if (s->group_cols[g] == c)
            return 1;
    return 0;
}

static efc_status list_missing_and_ignored(efc_survey *s, efc_error *err)
{
    size_t leaves = efc_model_leaf_count(s->model);
    unsigned char *seen = efc__malloc(&s->alloc, leaves ? leaves : 1);
    s->missing = efc__alloc_array(&s->alloc, leaves ? leaves : 1, sizeof *s->missing);
    s->ignored = efc__alloc_array(&s->alloc, s->ncols ? s->ncols : 1, sizeof *s->ignored);
    s->row = efc__alloc_array(&s->alloc, leaves ? leaves : 1, sizeof *s->row);
    if (!seen || !s->missing || !s->ignored || !s->row) {
        efc__free(&s->alloc, seen);
        return efc__nomem(err);
    }
    memset(seen, 0, leaves);
    size_t matched = 0;
    s->value_cols = efc__alloc_array(&s->alloc, s->ncols ? s->ncols : 1, sizeof *s->value_cols);
    if (!s->value_cols) {
        efc__free(&s->alloc, seen);
        return efc__nomem(err);
    }
    for (size_t c = 0; c < s->ncols; c++) {
        if (s->col_leaf[c] != EFC_NO_NODE) {
            seen[s->col_leaf[c]] = 1;
            s->value_cols[s->nvalue_cols++] = c;
            matched++;
        } else if (!has_role(s, c)) {
            s->ignored[s->nignored++] = c;
        }
    }
    for (size_t j = 0; j < leaves; j++)
        if (!seen[j])
            s->missing[s->nmissing++] = j;
    efc__free(&s->alloc, seen);
    if (matched == 0) {
        const char *first = efc_model_node_id(s->model, efc_model_leaf_node(s->model, 0));
        char delim[16];
        char d = efc__csv_delimiter(s->csv);
        snprintf(delim, sizeof delim, d == '\t' ? "tab" : "'%c'", d);
        char msg[600];
        snprintf(msg, sizeof msg,
                 "no column matches an item of the model (the header was split on %s; items are "
                 "columns named by the ids of the model's leaves, such as '%s': see efc model "
                 "--template)",
                 delim, first ? first : "");
        return header_fail(s, err, EFC_REASON_MISSING_COLUMN, 0, "%s%s", msg, "");
    }
    return EFC_OK;
}

/* A fitted model's leaves may read other columns of the row (row_steps.h):
 * find them, and what checking the steps while parsing needs. */
static efc_status plan_aux(efc_survey *s, efc_error *err)
{
    const efc_model *m = s->model;
    size_t leaves = m->leaf_count;
    if (!m->row_steps)
        return EFC_OK;
    size_t naux = m->aux_count ? m->aux_count : 1;
    s->aux_col = efc__alloc_array(&s->alloc, naux, sizeof *s->aux_col);
    s->aux_row = efc__alloc_array(&s->alloc, naux, sizeof *s->aux_row);
    s->leaf_col = efc__alloc_array(&s->alloc, leaves ? leaves : 1, sizeof *s->leaf_col);
    s->check = efc__alloc_array(&s->alloc, m->count, sizeof *s->check);
    s->check_cov = efc__alloc_array(&s->alloc, m->count, sizeof *s->check_cov);
    if (!s->aux_col || !s->aux_row || !s->leaf_col || !s->check || !s->check_cov)
        return efc__nomem(err);
    for (size_t j = 0; j < leaves; j++)
        s->leaf_col[j] = EFC_NO_NODE;
    for (size_t c = 0; c < s->ncols; c++)
        if (s->col_leaf[c] != EFC_NO_NODE)
            s->leaf_col[s->col_leaf[c]] = c;
    /* a fitted leaf without its column would be imputed in every row, as
     * if it had been read: refused, as the pipeline refuses it */
    for (size_t j = 0; j < leaves; j++)
        if (m->plan_leaves[j].steps && s->leaf_col[j] == EFC_NO_NODE)
            return header_fail(s, err, EFC_REASON_MISSING_COLUMN, 0, "no column '%s' for %s",
                               m->nodes[m->plan_leaves[j].node].id,
                               "a leaf with pipeline steps (a fitted model's)");
    if (m->aux_count && s->opts->combine != EFC_COMBINE_NONE)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "the model's leaves read the column '%s' of each row (a denominator or "
                         "the groups of group_value): rows are combined as answers, and these "
                         "are not; score one row per unit, without combining",
                         m->aux[0].name);
    for (size_t a = 0; a < m->aux_count; a++) {
        s->aux_col[a] = EFC_NO_NODE;
        for (size_t c = 0; c < s->ncols && s->aux_col[a] == EFC_NO_NODE; c++)
            if (strcmp(s->cols[c], m->aux[a].name) == 0)
                s->aux_col[a] = c;
        if (s->aux_col[a] == EFC_NO_NODE)
            return header_fail(s, err, EFC_REASON_MISSING_COLUMN, 0, "no column '%s' for %s",
                               m->aux[a].name,
                               m->aux[a].text ? "the groups of a leaf's imputation (group_value)"
                                              : "the denominator of a leaf");
    }
    return EFC_OK;
}

/* The role of each column, for the fast path of survey_produce.c. */
static efc_status plan_roles(efc_survey *s, efc_error *err)
{
    s->col_role = efc__malloc(&s->alloc, s->ncols ? s->ncols : 1);
    s->col_index = efc__alloc_array(&s->alloc, s->ncols ? s->ncols : 1, sizeof *s->col_index);
    s->group_span = efc__alloc_array(&s->alloc, 2 * s->ngroups + 2, sizeof *s->group_span);
    if (!s->col_role || !s->col_index || !s->group_span)
        return efc__nomem(err);
    for (size_t c = 0; c < s->ncols; c++) {
        s->col_role[c] = ROLE_IGNORED;
        s->col_index[c] = 0;
        if (s->col_leaf[c] != EFC_NO_NODE) {
            s->col_role[c] = ROLE_LEAF;
            s->col_index[c] = s->col_leaf[c];
        }
    }
    s->col_role[s->id_col] = ROLE_ID;
    if (s->period_col != EFC_NO_NODE)
        s->col_role[s->period_col] = ROLE_PERIOD;
    for (size_t g = 0; g < s->ngroups; g++) {
        s->col_role[s->group_cols[g]] = ROLE_GROUP;
        s->col_index[s->group_cols[g]] = g;
    }
    size_t leaves = efc_model_leaf_count(s->model);
    s->digit_ok = efc__alloc_array(&s->alloc, leaves ? leaves : 1, sizeof *s->digit_ok);
    if (!s->digit_ok)
        return efc__nomem(err);
    for (size_t j = 0; j < leaves; j++) {
        s->row[j] = NAN; /* leaves without a column stay missing */
        /* one-digit answers inside the goalposts (and > 0 under log) */
        const efc__plan_leaf *pl = &s->model->plan_leaves[j];
        s->digit_ok[j] = 0;
        for (int dgt = 0; dgt <= 9; dgt++)
            if (dgt >= pl->min && dgt <= pl->max && (!pl->log || dgt > 0))
                s->digit_ok[j] |= (uint16_t)(1u << dgt);
    }
    char d = efc__csv_delimiter(s->csv);
    memset(s->ws, 0, sizeof s->ws);
    s->ws[' '] = d != ' ';
    s->ws['\t'] = d != '\t';
    return EFC_OK;
}

static efc_status open_survey(efc_survey **out, const efc_model *model,
                              const efc_survey_options *opts, const efc_allocator *alloc,
                              efc_survey **s_out, efc_error *err)
{
    efc_allocator a;
    *out = NULL;
    if (!model)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (!efc_model_is_finalized(model))
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized to read a survey");
    /* a fitted model's leaves may read other columns of the row: the
     * survey reads them (aux columns) */
    efc_status refused = model->needs_index ? efc__refuse_index_model(model, err) : EFC_OK;
    if (refused)
        return refused;
    if (!efc__alloc_init(&a, alloc))
        return efc__fail(err, EFC_ERR_ARGUMENT, "allocator with a NULL function");
    efc_survey *s = efc__malloc(&a, sizeof *s);
    if (!s)
        return efc__nomem(err);
    memset(s, 0, sizeof *s);
    s->alloc = a;
    s->model = model;
    efc_status st = efc__survey_options_copy(&s->opts, opts, &s->alloc, err);
    if (st) {
        efc__free(&a, s);
        return st;
    }
    *s_out = s;
    return EFC_OK;
}

/* After the input is open: the CSV reader, the header and the roles. */
static efc_status finish_open(efc_survey *s, efc_survey **out, efc_error *err)
{
    s->in_open = 1;
    efc__csv_config cfg = {s->opts->delimiter, s->opts->max_field, 0};
    efc_status st = efc__csv_open(&s->csv, &s->in, &cfg, &s->alloc, err);
    if (!st && s->opts->decimal_comma && efc__csv_delimiter(s->csv) == ',') {
        efc__fail(err, EFC_ERR_SURVEY,
                  "a decimal comma was asked for but the file is delimited "
                  "by commas");
        efc__locate(err, s->in.name, 1, 0, NULL);
        st = EFC_ERR_SURVEY;
    }
    if (!st)
        st = read_header(s, err);
    if (!st)
        st = assign_roles(s, err);
    if (!st)
        st = plan_aux(s, err);
    if (!st)
        st = list_missing_and_ignored(s, err);
    if (!st && s->opts->combine != EFC_COMBINE_NONE)
        st = efc__combiner_create(s, err);
    if (!st)
        st = plan_roles(s, err);
    if (!st) {
        s->bytes = efc__csv_bytes(s->csv);
        st = efc__feeder_start(s, err);
    }
    if (st) {
        efc_survey_free(s);
        return st;
    }
    *out = s;
    return EFC_OK;
}

efc_status efc_survey_open_path(efc_survey **out, const efc_model *model, const char *path,
                                const efc_survey_options *opts, const efc_allocator *alloc,
                                efc_error *err)
{
    if (!out || !path)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out or path is NULL");
    efc_survey *s;
    efc_status st = open_survey(out, model, opts, alloc, &s, err);
    if (st)
        return st;
    st = efc__input_open_path(&s->in, path, encodings[s->opts->encoding], &s->alloc, err);
    if (st) {
        efc_survey_free(s);
        return st;
    }
    return finish_open(s, out, err);
}

efc_status efc_survey_open_file(efc_survey **out, const efc_model *model, FILE *fp,
                                const char *name, const efc_survey_options *opts,
                                const efc_allocator *alloc, efc_error *err)
{
    if (!out || !fp)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out or stream is NULL");
    efc_survey *s;
    efc_status st = open_survey(out, model, opts, alloc, &s, err);
    if (st)
        return st;
    st = efc__input_open_file(&s->in, fp, name ? name : "<stream>", encodings[s->opts->encoding],
                              &s->alloc, err);
    if (st) {
        efc_survey_free(s);
        return st;
    }
    return finish_open(s, out, err);
}

efc_status efc_survey_open_buffer(efc_survey **out, const efc_model *model, const void *data,
                                  size_t size, const char *name, const efc_survey_options *opts,
                                  const efc_allocator *alloc, efc_error *err)
{
    if (!out || (!data && size))
        return efc__fail(err, EFC_ERR_ARGUMENT, "out or data is NULL");
    efc_survey *s;
    efc_status st = open_survey(out, model, opts, alloc, &s, err);
    if (st)
        return st;
    st = efc__input_open_buffer(&s->in, data, size, name ? name : "<buffer>",
                                encodings[s->opts->encoding], &s->alloc, err);
    if (st) {
        efc_survey_free(s);
        return st;
    }
    return finish_open(s, out, err);
}

size_t efc_survey_column_count(const efc_survey *s)
{
    return s ? s->ncols : 0;
}

const char *efc_survey_column_name(const efc_survey *s, size_t c)
{
    return s && c < s->ncols ? s->cols[c] : NULL;
}

size_t efc_survey_column_leaf(const efc_survey *s, size_t c)
{
    return s && c < s->ncols ? s->col_leaf[c] : EFC_NO_NODE;
}

size_t efc_survey_id_column(const efc_survey *s)
{
    return s ? s->id_col : EFC_NO_NODE;
}

size_t efc_survey_period_column(const efc_survey *s)
{
    return s ? s->period_col : EFC_NO_NODE;
}

size_t efc_survey_group_count(const efc_survey *s)
{
    return s ? s->ngroups : 0;
}

size_t efc_survey_group_column(const efc_survey *s, size_t i)
{
    return s && i < s->ngroups ? s->group_cols[i] : EFC_NO_NODE;
}

size_t efc_survey_missing_leaf_count(const efc_survey *s)
{
    return s ? s->nmissing : 0;
}

size_t efc_survey_missing_leaf(const efc_survey *s, size_t i)
{
    return s && i < s->nmissing ? s->missing[i] : EFC_NO_NODE;
}

size_t efc_survey_ignored_column_count(const efc_survey *s)
{
    return s ? s->nignored : 0;
}

size_t efc_survey_ignored_column(const efc_survey *s, size_t i)
{
    return s && i < s->nignored ? s->ignored[i] : EFC_NO_NODE;
}

char efc_survey_delimiter(const efc_survey *s)
{
    return s && s->csv ? efc__csv_delimiter(s->csv) : 0;
}

efc_period_kind efc_survey_period_kind(const efc_survey *s)
{
    return s ? s->period_kind : EFC_PERIOD_NONE;
}

unsigned long long efc_survey_rows_read(const efc_survey *s)
{
    return s ? s->rows_read : 0;
}

unsigned long long efc_survey_rows_rejected(const efc_survey *s)
{
    return s ? s->rows_rejected : 0;
}

unsigned long long efc_survey_rows_out(const efc_survey *s)
{
    return s ? s->rows_out : 0;
}

unsigned long long efc_survey_clamped_count(const efc_survey *s)
{
    return s ? s->clamped : 0;
}

unsigned long long efc_survey_rows_empty(const efc_survey *s)
{
    return s ? s->rows_empty : 0;
}

unsigned long long efc_survey_group_conflicts(const efc_survey *s)
{
    return s ? s->conflicts : 0;
}

unsigned long long efc_survey_bytes_read(const efc_survey *s)
{
    return s ? s->bytes : 0;
}
