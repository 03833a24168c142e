/* A batch: up to `capacity` scored rows and as many rejected rows. Numbers
 * sit in dense row-major arrays (a view for numpy); strings in one arena,
 * addressed by offsets so the arena may grow. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "efc/score.h"
#include "error_internal.h"
#include "survey_internal.h"

efc_status efc_batch_create(efc_batch **out, const efc_survey *s, size_t capacity,
                            const efc_allocator *alloc, efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!s || capacity == 0)
        return efc__fail(err, EFC_ERR_ARGUMENT, "survey is NULL or capacity is 0");
    efc_status made;
    efc_batch *b = EFC__NEW(efc_batch, alloc, &made, err);
    if (!b)
        return made;
    b->survey = s;
    b->capacity = capacity;
    b->leaves = efc_model_leaf_count(s->model);
    b->nodes = efc_model_node_count(s->model);
    b->ngroups = s->ngroups;
    efc__strbuf_init(&b->text, &b->alloc);
    size_t per_row = 2 + b->ngroups;
    b->values = efc__alloc_array(&b->alloc, capacity, (b->leaves ? b->leaves : 1) * sizeof(double));
    b->scores = efc__alloc_array(&b->alloc, capacity, b->nodes * sizeof(double));
    b->coverage = efc__alloc_array(&b->alloc, capacity, b->nodes * sizeof(double));
    b->period_values = efc__alloc_array(&b->alloc, capacity, sizeof(double));
    b->lines = efc__alloc_array(&b->alloc, capacity, sizeof(size_t));
    b->respondents = efc__alloc_array(&b->alloc, capacity, sizeof(size_t));
    b->str = efc__alloc_array(&b->alloc, capacity, per_row * sizeof(size_t));
    b->rejects = efc__alloc_array(&b->alloc, capacity, sizeof(efc__reject));
    b->item_is_reject = efc__malloc(&b->alloc, capacity);
    b->item_index = efc__alloc_array(&b->alloc, capacity, sizeof(size_t));
    b->row_clamped = efc__alloc_array(&b->alloc, capacity, sizeof(size_t));
    if ((b->leaves && capacity > (size_t)-1 / b->leaves) || !b->values || !b->scores ||
        !b->coverage || !b->period_values || !b->lines || !b->respondents || !b->str ||
        !b->rejects || !b->item_is_reject || !b->item_index || !b->row_clamped) {
        efc_batch_free(b);
        return efc__nomem(err);
    }
    *out = b;
    return EFC_OK;
}

void efc_batch_free(efc_batch *b)
{
    if (!b)
        return;
    efc_allocator a = b->alloc;
    efc__free(&a, b->values);
    efc__free(&a, b->scores);
    efc__free(&a, b->coverage);
    efc__free(&a, b->period_values);
    efc__free(&a, b->lines);
    efc__free(&a, b->respondents);
    efc__free(&a, b->str);
    efc__free(&a, b->rejects);
    efc__free(&a, b->field_offs);
    efc__free(&a, b->item_is_reject);
    efc__free(&a, b->item_index);
    efc__free(&a, b->row_clamped);
    b->text.alloc = &a;
    efc__strbuf_free(&b->text);
    efc__free(&a, b);
}

void efc__batch_reset(efc_batch *b)
{
    b->rows = 0;
    b->nrejects = 0;
    b->nitems = 0;
    b->nfield_offs = 0;
    b->clamped = 0;
    b->scored = 0;
    b->text.len = 0;
    b->text.failed = 0;
}

int efc__batch_full(const efc_batch *b)
{
    return b->rows + b->nrejects >= b->capacity;
}

/* Append a string to the arena; its offset, or (size_t)-1 when out of memory. */
static size_t put(efc_batch *b, const char *s, size_t n)
{
    size_t off = b->text.len;
    if (!efc__strbuf_append(&b->text, s, n) || !efc__strbuf_putc(&b->text, '\0'))
        return (size_t)-1;
    return off;
}

size_t efc__batch_add_row(efc_batch *b, const char *id, size_t id_len, const char *period,
                          double period_value, size_t line, size_t respondents, size_t clamped)
{
    size_t r = b->rows;
    size_t *str = b->str + r * (2 + b->ngroups);
    size_t empty = put(b, "", 0);
    str[0] = put(b, id, id_len);
    str[1] = put(b, period, strlen(period));
    for (size_t g = 0; g < b->ngroups; g++)
        str[2 + g] = empty;
    if (empty == (size_t)-1 || str[0] == (size_t)-1 || str[1] == (size_t)-1)
        return EFC_NO_NODE;
    b->period_values[r] = period_value;
    b->lines[r] = line;
    b->respondents[r] = respondents;
    b->row_clamped[r] = clamped;
    b->clamped += clamped;
    b->item_is_reject[b->nitems] = 0;
    b->item_index[b->nitems++] = r;
    b->rows++;
    return r;
}

int efc__batch_add_group(efc_batch *b, size_t row, size_t g, const char *text, size_t n)
{
    size_t off = put(b, text, n);
    if (off == (size_t)-1)
        return 0;
    b->str[row * (2 + b->ngroups) + 2 + g] = off;
    return 1;
}

/* A rejected row whose fields are text + off[i] (len[i] bytes, or
 * NUL-terminated when len is NULL). */
static int add_reject(efc_batch *b, size_t line, size_t column, const char *name,
                      const char *reason, size_t nfields, const char *text, const size_t *off,
                      const size_t *len)
{
    efc__reject *r = &b->rejects[b->nrejects];
    r->line = line;
    r->column = column;
    r->name = put(b, name ? name : "", name ? strlen(name) : 0);
    r->reason = put(b, reason, strlen(reason));
    r->first_field = b->nfield_offs;
    r->nfields = nfields;
    if (r->name == (size_t)-1 || r->reason == (size_t)-1 ||
        !efc__grow(&b->alloc, (void **)&b->field_offs, &b->field_offs_cap, b->nfield_offs + nfields,
                   sizeof *b->field_offs))
        return 0;
    for (size_t i = 0; i < nfields; i++) {
        size_t n = len ? len[i] : strlen(text + off[i]);
        size_t o = put(b, text + off[i], n);
        if (o == (size_t)-1)
            return 0;
        b->field_offs[b->nfield_offs++] = o;
    }
    b->item_is_reject[b->nitems] = 1;
    b->item_index[b->nitems++] = b->nrejects;
    b->nrejects++;
    return 1;
}

int efc__batch_add_reject(efc_batch *b, size_t line, size_t column, const char *name,
                          const char *reason, const efc__csv_record *rec)
{
    return add_reject(b, line, column, name, reason, rec->nfields, rec->text, rec->off, rec->len);
}

int efc__batch_copy_items(efc_batch *dst, const efc_batch *src, size_t *pos, size_t end)
{
    const char *text = src->text.data;
    for (; *pos < end && !efc__batch_full(dst); (*pos)++) {
        size_t k = src->item_index[*pos];
        if (src->item_is_reject[*pos]) {
            const efc__reject *r = &src->rejects[k];
            if (!add_reject(dst, r->line, r->column, text + r->name, text + r->reason, r->nfields,
                            text, src->field_offs + r->first_field, NULL))
                return 0;
            continue;
        }
        const size_t *str = src->str + k * (2 + src->ngroups);
        size_t d = efc__batch_add_row(dst, text + str[0], strlen(text + str[0]), text + str[1],
                                      src->period_values[k], src->lines[k], src->respondents[k],
                                      src->row_clamped[k]);
        if (d == EFC_NO_NODE)
            return 0;
        for (size_t g = 0; g < src->ngroups; g++)
            if (!efc__batch_add_group(dst, d, g, text + str[2 + g], strlen(text + str[2 + g])))
                return 0;
        memcpy(dst->values + d * dst->leaves, src->values + k * src->leaves,
               src->leaves * sizeof(double));
        if (src->scored) {
            memcpy(dst->scores + d * dst->nodes, src->scores + k * src->nodes,
                   src->nodes * sizeof(double));
            memcpy(dst->coverage + d * dst->nodes, src->coverage + k * src->nodes,
                   src->nodes * sizeof(double));
        }
    }
    return 1;
}

efc_status efc__batch_score(efc_batch *b, const efc_model *m, efc_error *err)
{
    efc_status st = efc_model_score_batch(b->scores, b->coverage, (ptrdiff_t)b->nodes, 1, NULL, m,
                                          b->rows, b->values, (ptrdiff_t)b->leaves, 1, err);
    b->scored = st == EFC_OK;
    return st;
}

size_t efc_batch_rows(const efc_batch *b)
{
    return b ? b->rows : 0;
}

static const char *row_string(const efc_batch *b, size_t row, size_t k)
{
    if (!b || row >= b->rows)
        return NULL;
    return b->text.data + b->str[row * (2 + b->ngroups) + k];
}

const char *efc_batch_id(const efc_batch *b, size_t row)
{
    return row_string(b, row, 0);
}

const char *efc_batch_period(const efc_batch *b, size_t row)
{
    return row_string(b, row, 1);
}

const char *efc_batch_group(const efc_batch *b, size_t row, size_t g)
{
    return b && g < b->ngroups ? row_string(b, row, 2 + g) : NULL;
}

double efc_batch_period_value(const efc_batch *b, size_t row)
{
    return b && row < b->rows ? b->period_values[row] : NAN;
}

size_t efc_batch_line(const efc_batch *b, size_t row)
{
    return b && row < b->rows ? b->lines[row] : 0;
}

size_t efc_batch_respondents(const efc_batch *b, size_t row)
{
    return b && row < b->rows ? b->respondents[row] : 0;
}

const double *efc_batch_period_values(const efc_batch *b)
{
    return b ? b->period_values : NULL;
}

const size_t *efc_batch_lines(const efc_batch *b)
{
    return b ? b->lines : NULL;
}

const size_t *efc_batch_respondent_counts(const efc_batch *b)
{
    return b ? b->respondents : NULL;
}

const double *efc_batch_values(const efc_batch *b)
{
    return b ? b->values : NULL;
}

const double *efc_batch_scores(const efc_batch *b)
{
    return b ? b->scores : NULL;
}

const double *efc_batch_coverages(const efc_batch *b)
{
    return b ? b->coverage : NULL;
}

size_t efc_batch_clamped_count(const efc_batch *b)
{
    return b ? b->clamped : 0;
}

size_t efc_batch_rejected_count(const efc_batch *b)
{
    return b ? b->nrejects : 0;
}

static const efc__reject *reject_at(const efc_batch *b, size_t i)
{
    return b && i < b->nrejects ? &b->rejects[i] : NULL;
}

size_t efc_batch_rejected_line(const efc_batch *b, size_t i)
{
    const efc__reject *r = reject_at(b, i);
    return r ? r->line : 0;
}

size_t efc_batch_rejected_column(const efc_batch *b, size_t i)
{
    const efc__reject *r = reject_at(b, i);
    return r ? r->column : 0;
}

const char *efc_batch_rejected_column_name(const efc_batch *b, size_t i)
{
    const efc__reject *r = reject_at(b, i);
    return r ? b->text.data + r->name : NULL;
}

const char *efc_batch_rejected_reason(const efc_batch *b, size_t i)
{
    const efc__reject *r = reject_at(b, i);
    return r ? b->text.data + r->reason : NULL;
}

size_t efc_batch_rejected_field_count(const efc_batch *b, size_t i)
{
    const efc__reject *r = reject_at(b, i);
    return r ? r->nfields : 0;
}

const char *efc_batch_rejected_field(const efc_batch *b, size_t i, size_t field)
{
    const efc__reject *r = reject_at(b, i);
    if (!r || field >= r->nfields)
        return NULL;
    return b->text.data + b->field_offs[r->first_field + field];
}

int efc__batch_swap(efc_batch *a, efc_batch *b)
{
    if (a->capacity != b->capacity || a->leaves != b->leaves || a->nodes != b->nodes ||
        a->ngroups != b->ngroups || memcmp(&a->alloc, &b->alloc, sizeof a->alloc) != 0)
        return 0;
    efc_batch t = *a;
    *a = *b;
    *b = t;
    /* each keeps its own identity: the survey it belongs to */
    const efc_survey *sa = a->survey;
    a->survey = b->survey;
    b->survey = sa;
    /* the strbufs point at their batch's allocator: repoint them */
    a->text.alloc = &a->alloc;
    b->text.alloc = &b->alloc;
    return 1;
}
