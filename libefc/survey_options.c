/* Options for reading surveys: an opaque object, so options can be added
 * without breaking the ABI. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "survey_internal.h"
#include "text.h"

efc_status efc_survey_options_create(efc_survey_options **out, const efc_allocator *alloc,
                                     efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status made;
    efc_survey_options *o = EFC__NEW(efc_survey_options, alloc, &made, err);
    if (!o)
        return made;
    o->max_field = EFC__CSV_MAX_FIELD_DEFAULT;
    o->threads = 1;
    *out = o;
    return EFC_OK;
}

static void free_list(const efc_allocator *a, char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        efc__free(a, list[i]);
    efc__free(a, list);
}

void efc_survey_options_free(efc_survey_options *o)
{
    if (!o)
        return;
    efc_allocator a = o->alloc;
    efc__free(&a, o->id_column);
    efc__free(&a, o->period_column);
    free_list(&a, o->groups, o->ngroups);
    free_list(&a, o->na, o->nna);
    efc__free(&a, o);
}

static efc_status check(const efc_survey_options *o, efc_error *err)
{
    return o ? EFC_OK : efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
}

static efc_status check_name(const char *what, const char *name, efc_error *err)
{
    if (!name)
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s is NULL", what);
    const char *why = efc__text_problem(name, strlen(name), EFC__TEXT_LINE);
    return why ? efc__fail(err, EFC_ERR_ARGUMENT, "%s %s", what, why) : EFC_OK;
}

/* Replace *slot with a copy of s (or NULL). */
static efc_status set_string(efc_survey_options *o, char **slot, const char *s, efc_error *err)
{
    char *copy = NULL;
    if (s && !(copy = efc__strdup(&o->alloc, s)))
        return efc__nomem(err);
    efc__free(&o->alloc, *slot);
    *slot = copy;
    return EFC_OK;
}

static efc_status append(efc_survey_options *o, char ***list, size_t *n, const char *s,
                         efc_error *err)
{
    char *copy = efc__strdup(&o->alloc, s);
    char **grown = copy ? efc__realloc_array(&o->alloc, *list, *n + 1, sizeof *grown) : NULL;
    if (!grown) {
        efc__free(&o->alloc, copy);
        return efc__nomem(err);
    }
    grown[(*n)++] = copy;
    *list = grown;
    return EFC_OK;
}

efc_status efc_survey_options_set_id_column(efc_survey_options *o, const char *name, efc_error *err)
{
    efc_status st = check(o, err);
    if (st || (name && (st = check_name("the id column name", name, err))))
        return st;
    if (name && !name[0])
        return efc__fail(err, EFC_ERR_ARGUMENT, "the id column name is empty");
    return set_string(o, &o->id_column, name, err);
}

efc_status efc_survey_options_set_period_column(efc_survey_options *o, const char *name,
                                                efc_error *err)
{
    efc_status st = check(o, err);
    if (st || (name && (st = check_name("the period column name", name, err))))
        return st;
    return set_string(o, &o->period_column, name, err);
}

efc_status efc_survey_options_add_group_column(efc_survey_options *o, const char *name,
                                               efc_error *err)
{
    efc_status st = check(o, err);
    if (st || (st = check_name("a grouping column name", name, err)))
        return st;
    if (!name[0])
        return efc__fail(err, EFC_ERR_ARGUMENT, "a grouping column name is empty");
    for (size_t i = 0; i < o->ngroups; i++)
        if (strcmp(o->groups[i], name) == 0)
            return efc__fail(err, EFC_ERR_ARGUMENT, "grouping column '%s' given twice", name);
    return append(o, &o->groups, &o->ngroups, name, err);
}

efc_status efc_survey_options_set_delimiter(efc_survey_options *o, char delimiter, efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if (delimiter == '"' || delimiter == '\r' || delimiter == '\n')
        return efc__fail(err, EFC_ERR_ARGUMENT, "a quote, CR or LF cannot be the delimiter");
    if (delimiter == ',' && o->decimal_comma)
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "the comma cannot be the delimiter with a decimal comma");
    o->delimiter = delimiter;
    return EFC_OK;
}

efc_status efc_survey_options_set_encoding(efc_survey_options *o, efc_encoding encoding,
                                           efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if ((unsigned)encoding > EFC_ENCODING_WINDOWS_1252)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown encoding %d", (int)encoding);
    o->encoding = encoding;
    return EFC_OK;
}

efc_status efc_survey_options_set_decimal_comma(efc_survey_options *o, int on, efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if (on && o->delimiter == ',')
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "a decimal comma needs another delimiter than the comma");
    o->decimal_comma = on != 0;
    return EFC_OK;
}

efc_status efc_survey_options_set_date_format(efc_survey_options *o, efc_date_format format,
                                              efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if (format != EFC_DATE_FORMAT_ISO && format != EFC_DATE_FORMAT_DMY)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown date format %d", (int)format);
    o->date_format = format;
    return EFC_OK;
}

efc_status efc_survey_options_add_na_token(efc_survey_options *o, const char *token, efc_error *err)
{
    efc_status st = check(o, err);
    if (st || (st = check_name("a no-answer token", token, err)))
        return st;
    size_t n = strlen(token);
    if (n == 0 || token[0] == ' ' || token[n - 1] == ' ')
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "a no-answer token must be non-empty without surrounding spaces");
    return append(o, &o->na, &o->nna, token, err);
}

efc_status efc_survey_options_set_strict_range(efc_survey_options *o, int on, efc_error *err)
{
    efc_status st = check(o, err);
    if (!st)
        o->strict_range = on != 0;
    return st;
}

efc_status efc_survey_options_set_labels(efc_survey_options *o, int on, efc_error *err)
{
    efc_status st = check(o, err);
    if (!st)
        o->labels = on != 0;
    return st;
}

efc_status efc_answer_parse(double *value, const efc_model *m, size_t leaf, const char *text,
                            const efc_survey_options *o, efc_error *err)
{
    if (!value || !m || !text)
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s is NULL",
                         !value ? "value"
                         : !m   ? "model"
                                : "text");
    if (!m->finalized)
        return efc__fail(err, EFC_ERR_STATE, "the model must be finalized first");
    if (leaf >= m->leaf_count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "no leaf %zu in the model", leaf);
    size_t node = m->leaf_nodes[leaf];
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    while (n && (*text == ' ' || *text == '\t')) {
        text++;
        n--;
    }
    if (efc__survey_is_na(o, text, n))
        n = 0;
    if (n == 0) {
        *value = NAN;
        return EFC_OK;
    }
    int comma = o && o->decimal_comma;
    double x;
    efc__num_status ns = efc__parse_number(text, n, comma ? ',' : '.', 0, &x);
    if (ns == EFC__NUM_OK) {
        *value = x;
        return EFC_OK;
    }
    char why[400];
    size_t level;
    if (o && o->labels && ns == EFC__NUM_SYNTAX) {
        if (efc__level_lookup(m, node, text, n, &level, why, sizeof why)) {
            *value = m->nodes[node].levels->values[level];
            return EFC_OK;
        }
        efc_status st = efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_UNKNOWN_NAME, "%s", why);
        efc__locate(err, NULL, 0, 0, m->nodes[node].id);
        return st;
    }
    char shown[80];
    snprintf(shown, sizeof shown, "'%.*s' is %s", n > 60 ? 60 : (int)n, text, efc__num_reason(ns));
    efc_status st = efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_NOT_A_NUMBER, "%s%s", shown,
                                ns != EFC__NUM_SYNTAX ? ""
                                : !comma && memchr(text, ',', n)
                                    ? " (for a decimal comma, set the decimal comma option)"
                                : efc__level_lookup(m, node, text, n, &level, why, sizeof why)
                                    ? " (for the texts of its levels, set the labels option)"
                                    : "");
    efc__locate(err, NULL, 0, 0, m->nodes[node].id);
    return st;
}

efc_status efc_survey_options_set_combine(efc_survey_options *o, efc_combine combine,
                                          efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if ((unsigned)combine > EFC_COMBINE_MEDIAN)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown combine method %d", (int)combine);
    o->combine = combine;
    return EFC_OK;
}

efc_status efc_survey_options_set_on_error(efc_survey_options *o, efc_on_error policy,
                                           efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if (policy != EFC_ON_ERROR_FAIL && policy != EFC_ON_ERROR_SKIP)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown error policy %d", (int)policy);
    o->on_error = policy;
    return EFC_OK;
}

efc_status efc_survey_options_set_max_field(efc_survey_options *o, size_t bytes, efc_error *err)
{
    efc_status st = check(o, err);
    if (st)
        return st;
    if (bytes < 64 || bytes > ((size_t)1 << 30))
        return efc__fail(err, EFC_ERR_ARGUMENT, "the field size limit must be in [64, 2^30]");
    o->max_field = bytes;
    return EFC_OK;
}

efc_status efc_survey_options_set_threads(efc_survey_options *o, unsigned threads, efc_error *err)
{
    efc_status st = check(o, err);
    if (!st)
        o->threads = threads;
    return st;
}

efc_status efc__survey_options_copy(efc_survey_options **out, const efc_survey_options *src,
                                    const efc_allocator *alloc, efc_error *err)
{
    efc_survey_options *o;
    efc_status st = efc_survey_options_create(&o, alloc, err);
    if (st)
        return st;
    if (src) {
        o->delimiter = src->delimiter;
        o->encoding = src->encoding;
        o->decimal_comma = src->decimal_comma;
        o->date_format = src->date_format;
        o->strict_range = src->strict_range;
        o->labels = src->labels;
        o->combine = src->combine;
        o->on_error = src->on_error;
        o->max_field = src->max_field;
        o->threads = src->threads;
        if ((st = set_string(o, &o->id_column, src->id_column, err)) ||
            (st = set_string(o, &o->period_column, src->period_column, err)))
            goto fail;
        for (size_t i = 0; i < src->ngroups; i++)
            if ((st = append(o, &o->groups, &o->ngroups, src->groups[i], err)))
                goto fail;
        for (size_t i = 0; i < src->nna; i++)
            if ((st = append(o, &o->na, &o->nna, src->na[i], err)))
                goto fail;
    }
    *out = o;
    return EFC_OK;
fail:
    efc_survey_options_free(o);
    return st;
}

int efc__survey_is_na(const efc_survey_options *o, const char *s, size_t n)
{
    for (size_t i = 0; o && i < o->nna; i++)
        if (strlen(o->na[i]) == n && memcmp(o->na[i], s, n) == 0)
            return 1;
    return 0;
}
