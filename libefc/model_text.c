/* The translatable texts of nodes: labels, descriptions and level scales,
 * in a base language and in any two-letter language ("label_fr"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "error_internal.h"
#include "model_internal.h"
#include "number.h"
#include "text.h"

int efc__valid_lang(const char *lang)
{
    return lang && lang[0] >= 'a' && lang[0] <= 'z' && lang[1] >= 'a' && lang[1] <= 'z' &&
           lang[2] == '\0';
}

void efc__levels_free(const efc_allocator *a, efc__levels *lv)
{
    if (!lv)
        return;
    efc__free(a, lv->values);
    efc__free(a, (void *)lv->texts);
    efc__free(a, lv->storage);
    efc__free(a, lv);
}

efc_status efc__levels_parse(const efc_allocator *a, const char *text, efc__levels **out,
                             efc_error *err)
{
    *out = NULL;
    efc__levels *lv = efc__malloc(a, sizeof *lv);
    if (!lv)
        return efc__nomem(err);
    memset(lv, 0, sizeof *lv);
    size_t count = 1;
    for (const char *p = text; *p; p++)
        count += *p == '|';
    lv->storage = efc__strdup(a, text);
    lv->values = efc__alloc_array(a, count, sizeof *lv->values);
    lv->texts = efc__alloc_array(a, count, sizeof *lv->texts);
    if (!lv->storage || !lv->values || !lv->texts) {
        efc__levels_free(a, lv);
        return efc__nomem(err);
    }
    char *entry = lv->storage;
    efc_status st = EFC_OK;
    for (size_t i = 0; i < count && !st; i++) {
        char *bar = strchr(entry, '|');
        if (bar)
            *bar = '\0';
        char *eq = strchr(entry, '=');
        if (!eq) {
            st = efc__fail(err, EFC_ERR_MODEL,
                           "levels entry %zu has no '=': write value=text, entries separated "
                           "by '|'",
                           i + 1);
            break;
        }
        *eq = '\0';
        char *value = efc__trim(entry);
        char *label = efc__trim(eq + 1);
        double v;
        if (efc__parse_number(value, strlen(value), '.', ',', &v) != EFC__NUM_OK) {
            st = efc__fail(err, EFC_ERR_MODEL, "levels entry %zu: '%s' is not a number", i + 1,
                           value);
            break;
        }
        if (i > 0 && !(v > lv->values[i - 1])) {
            st = efc__fail(err, EFC_ERR_MODEL,
                           "levels entry %zu: values must be strictly increasing", i + 1);
            break;
        }
        const char *why =
            label[0] ? efc__text_problem(label, strlen(label), EFC__TEXT_LINE) : "is empty";
        if (why) {
            st = efc__fail(err, EFC_ERR_MODEL, "levels entry %zu: the text %s", i + 1, why);
            break;
        }
        lv->values[i] = v;
        lv->texts[i] = label;
        lv->count = i + 1;
        if (bar)
            entry = bar + 1;
    }
    if (st) {
        efc__levels_free(a, lv);
        return st;
    }
    *out = lv;
    return EFC_OK;
}

void efc__node_texts_free(const efc_allocator *a, efc__node *n)
{
    for (int k = 0; k < 3; k++)
        efc__free(a, n->text[k]);
    efc__levels_free(a, n->levels);
    for (size_t i = 0; i < n->tr_count; i++) {
        efc__free(a, n->tr[i].text);
        efc__levels_free(a, n->tr[i].levels);
    }
    efc__free(a, n->tr);
    memset(n->text, 0, sizeof n->text);
    n->levels = NULL;
    n->tr = NULL;
    n->tr_count = 0;
}

/* The sorted list of languages used by any translation: rebuilt from the
 * nodes when a translation is removed (rare), updated in place when one is
 * added, so loading a translated codebook stays linear. */
static efc_status refresh_langs(efc_model *m, efc_error *err)
{
    size_t total = 0;
    for (size_t i = 0; i < m->count; i++)
        total += m->nodes[i].tr_count;
    char(*langs)[3] = efc__alloc_array(&m->alloc, total ? total : 1, sizeof *langs);
    if (!langs)
        return efc__nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < m->count; i++) {
        for (size_t t = 0; t < m->nodes[i].tr_count; t++) {
            const char *l = m->nodes[i].tr[t].lang;
            size_t pos = 0;
            while (pos < n && strcmp(langs[pos], l) < 0)
                pos++;
            if (pos < n && strcmp(langs[pos], l) == 0)
                continue;
            memmove(langs + pos + 1, langs + pos, (n - pos) * sizeof *langs);
            memcpy(langs[pos], l, 3);
            n++;
        }
    }
    efc__free(&m->alloc, (void *)m->langs);
    m->langs = langs;
    m->lang_count = n;
    return EFC_OK;
}

static efc_status add_lang(efc_model *m, const char *lang, efc_error *err)
{
    size_t pos = 0;
    while (pos < m->lang_count && strcmp(m->langs[pos], lang) < 0)
        pos++;
    if (pos < m->lang_count && strcmp(m->langs[pos], lang) == 0)
        return EFC_OK;
    char(*langs)[3] =
        efc__realloc_array(&m->alloc, (void *)m->langs, m->lang_count + 1, sizeof *langs);
    if (!langs)
        return efc__nomem(err);
    memmove(langs + pos + 1, langs + pos, (m->lang_count - pos) * sizeof *langs);
    memcpy(langs[pos], lang, 3);
    m->langs = langs;
    m->lang_count++;
    return EFC_OK;
}

static efc__translation *find_tr(const efc__node *n, efc_text_kind kind, const char *lang)
{
    for (size_t i = 0; i < n->tr_count; i++)
        if (n->tr[i].kind == kind && strcmp(n->tr[i].lang, lang) == 0)
            return &n->tr[i];
    return NULL;
}

static const char *kind_name(efc_text_kind kind)
{
    return kind == EFC_TEXT_LABEL         ? "label"
           : kind == EFC_TEXT_DESCRIPTION ? "description"
                                          : "levels";
}

efc_status efc_model_set_text(efc_model *m, size_t node, efc_text_kind kind, const char *lang,
                              const char *text, efc_error *err)
{
    if (!m)
        return efc__fail(err, EFC_ERR_ARGUMENT, "model is NULL");
    if (m->finalized)
        return efc__fail(err, EFC_ERR_STATE,
                         "the model is finalized: edit a copy made with efc_model_copy");
    if (node >= m->count)
        return efc__fail(err, EFC_ERR_ARGUMENT, "node index %zu out of range (%zu nodes)", node,
                         m->count);
    if (kind != EFC_TEXT_LABEL && kind != EFC_TEXT_DESCRIPTION && kind != EFC_TEXT_LEVELS)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown text kind %d", (int)kind);
    int base = !lang || !lang[0];
    if (!base && !efc__valid_lang(lang))
        return efc__fail(err, EFC_ERR_ARGUMENT,
                         "language code must be two lowercase letters, got '%s'", lang);
    efc__node *n = &m->nodes[node];
    if (kind == EFC_TEXT_LEVELS && n->kind != EFC_NODE_LEAF && text && text[0])
        return efc__fail(err, EFC_ERR_MODEL,
                         "node '%s': levels are only for leaves, and it is "
                         "a group",
                         n->id);
    char *copy = NULL;
    efc__levels *lv = NULL;
    if (text && text[0]) {
        const char *why = efc__text_problem(
            text, strlen(text), kind == EFC_TEXT_DESCRIPTION ? EFC__TEXT_BLOCK : EFC__TEXT_LINE);
        if (why)
            return efc__fail(err, EFC_ERR_MODEL, "node '%s': %s %s", n->id, kind_name(kind), why);
        efc_status st;
        if (kind == EFC_TEXT_LEVELS && (st = efc__levels_parse(&m->alloc, text, &lv, err))) {
            char who[300];
            snprintf(who, sizeof who, "node '%s'", n->id);
            efc__prefix(err, who);
            return st;
        }
        copy = efc__strdup(&m->alloc, text);
        if (!copy) {
            efc__levels_free(&m->alloc, lv);
            return efc__nomem(err);
        }
    }
    if (base) {
        efc__free(&m->alloc, n->text[kind]);
        n->text[kind] = copy;
        if (kind == EFC_TEXT_LEVELS) {
            efc__levels_free(&m->alloc, n->levels);
            n->levels = lv;
        }
        return EFC_OK;
    }
    efc__translation *t = find_tr(n, kind, lang);
    if (t) {
        efc__free(&m->alloc, t->text);
        efc__levels_free(&m->alloc, t->levels);
        if (copy) {
            t->text = copy;
            t->levels = lv;
        } else {
            *t = n->tr[--n->tr_count];
        }
    } else if (copy) {
        efc__translation *tr = efc__realloc_array(&m->alloc, n->tr, n->tr_count + 1, sizeof *n->tr);
        if (!tr) {
            efc__free(&m->alloc, copy);
            efc__levels_free(&m->alloc, lv);
            return efc__nomem(err);
        }
        n->tr = tr;
        t = &n->tr[n->tr_count++];
        memcpy(t->lang, lang, 3);
        t->kind = kind;
        t->text = copy;
        t->levels = lv;
    }
    return copy ? add_lang(m, lang, err) : refresh_langs(m, err);
}

efc_status efc__node_texts_copy(efc_model *dst, efc__node *to, const efc__node *from,
                                efc_error *err)
{
    size_t k = (size_t)(to - dst->nodes);
    efc_status st;
    for (int kind = 0; kind < 3; kind++)
        if (from->text[kind] &&
            (st = efc_model_set_text(dst, k, (efc_text_kind)kind, NULL, from->text[kind], err)))
            return st;
    for (size_t i = 0; i < from->tr_count; i++)
        if ((st = efc_model_set_text(dst, k, from->tr[i].kind, from->tr[i].lang, from->tr[i].text,
                                     err)))
            return st;
    return EFC_OK;
}

const char *efc_model_node_text(const efc_model *m, size_t node, efc_text_kind kind,
                                const char *lang)
{
    if (!m || node >= m->count || (unsigned)kind > EFC_TEXT_LEVELS)
        return NULL;
    const efc__node *n = &m->nodes[node];
    if (!lang || !lang[0])
        return n->text[kind];
    const efc__translation *t = find_tr(n, kind, lang);
    return t ? t->text : NULL;
}

const char *efc_model_node_label(const efc_model *m, size_t node, const char *lang)
{
    if (!m || node >= m->count)
        return NULL;
    const char *s = lang && lang[0] ? efc_model_node_text(m, node, EFC_TEXT_LABEL, lang) : NULL;
    if (!s)
        s = m->nodes[node].text[EFC_TEXT_LABEL];
    return s ? s : m->nodes[node].id;
}

size_t efc_model_language_count(const efc_model *m)
{
    return m ? m->lang_count : 0;
}

const char *efc_model_language(const efc_model *m, size_t i)
{
    return m && i < m->lang_count ? m->langs[i] : NULL;
}

size_t efc_model_node_level_count(const efc_model *m, size_t node)
{
    if (!m || node >= m->count || !m->nodes[node].levels)
        return 0;
    return m->nodes[node].levels->count;
}

double efc_model_node_level_value(const efc_model *m, size_t node, size_t i)
{
    if (i >= efc_model_node_level_count(m, node))
        return (double)NAN;
    return m->nodes[node].levels->values[i];
}

const char *efc_model_node_level_text(const efc_model *m, size_t node, size_t i, const char *lang)
{
    if (i >= efc_model_node_level_count(m, node))
        return NULL;
    const efc__node *n = &m->nodes[node];
    if (lang && lang[0]) {
        const efc__translation *t = find_tr(n, EFC_TEXT_LEVELS, lang);
        if (t && i < t->levels->count)
            return t->levels->texts[i];
    }
    return n->levels->texts[i];
}

/* ---- a level named by its text ---- */

/* The next character of s[*i .. n), folded to lower case for ASCII and
 * Latin-1 letters (U+00C0 .. U+00DE but U+00D7, as UTF-8 C3 80 .. C3 9E):
 * returned as a code unit pair packed in an int, *i moved past it. */
static unsigned fold_next(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c >= 'A' && c <= 'Z') {
        (*i)++;
        return c + 32u;
    }
    if (c == 0xC3 && *i + 1 < n) {
        unsigned char d = (unsigned char)s[*i + 1];
        *i += 2;
        if (d >= 0x80 && d <= 0x9E && d != 0x97)
            d += 0x20;
        return 0xC300u | d;
    }
    (*i)++;
    return c;
}

static int same_folded(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        if (fold_next(a, na, &i) != fold_next(b, nb, &j))
            return 0;
    return i == na && j == nb;
}

/* The texts of level i of node n: the base one (t = 0), then each
 * translation's (t = 1 ..); NULL past the last. */
static const char *level_text_at(const efc__node *n, size_t i, size_t t)
{
    if (t == 0)
        return n->levels->texts[i];
    size_t seen = 0;
    for (size_t k = 0; k < n->tr_count; k++)
        if (n->tr[k].kind == EFC_TEXT_LEVELS && n->tr[k].levels && ++seen == t)
            return i < n->tr[k].levels->count ? n->tr[k].levels->texts[i] : "";
    return NULL;
}

int efc__level_lookup(const efc_model *m, size_t node, const char *s, size_t len, size_t *level,
                      char *why, size_t cap)
{
    const efc__node *n = &m->nodes[node];
    size_t count = n->levels ? n->levels->count : 0;
    for (int folded = 0; folded < 2; folded++) {
        size_t found = EFC_NONE;
        int ambiguous = 0;
        for (size_t i = 0; i < count; i++)
            for (size_t t = 0;; t++) {
                const char *x = level_text_at(n, i, t);
                if (!x)
                    break;
                size_t nx = strlen(x);
                if (folded ? same_folded(x, nx, s, len) : nx == len && memcmp(x, s, len) == 0) {
                    if (found != EFC_NONE && found != i)
                        ambiguous = 1;
                    found = i;
                }
            }
        if (ambiguous) {
            snprintf(why, cap, "'%.*s' names several levels of '%s'%s", (int)len, s, n->id,
                     folded ? " but for their case: write it exactly" : " (in several languages)");
            return 0;
        }
        if (found != EFC_NONE) {
            *level = found;
            return 1;
        }
    }
    if (!count) {
        snprintf(why, cap, "'%.*s' is not a number (and '%s' has no levels)", (int)len, s, n->id);
        return 0;
    }
    int w = snprintf(why, cap, "'%.*s' is not a number nor a level of '%s': ", (int)len, s, n->id);
    size_t used = w < 0 ? 0 : (size_t)w >= cap ? cap - 1 : (size_t)w;
    for (size_t i = 0; i < count && used + 1 < cap; i++) {
        const char *x = n->levels->texts[i];
        char value[EFC__NUMBER_BUF];
        efc__fmt_number(n->levels->values[i], value);
        size_t room = cap - used;
        int k = snprintf(why + used, room, "%s'%s' (%s)", i ? ", " : "", x, value);
        if (k < 0 || (size_t)k >= room) {
            /* no room for the rest: end with an ellipsis */
            if (cap > 5)
                memcpy(why + cap - 5, " ...", 5);
            return 0;
        }
        used += (size_t)k;
    }
    return 0;
}
