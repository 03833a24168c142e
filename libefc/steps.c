/* Parsing and writing the pipeline steps of a leaf. Texts are `METHOD` or
 * `METHOD:ARG:ARG`; the method words come from names.c. Every step is
 * written back in one canonical form (all its parameters, numbers in their
 * shortest round-trip form), so that a codebook exported and reloaded
 * gives the same model. */
#include "steps.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "efc/names.h"
#include "error_internal.h"
#include "names_internal.h"
#include "number.h"
#include "strbuf.h"
#include "text.h"

#define TEXT_MAX EFC__STEP_TEXT_MAX

/* Defaults of COINr's winsorisation (Treat, "winsorise"): at most 10 % of
 * the values moved, thresholds 2 on |skewness| and 3.5 on kurtosis. */
#define WINMAX_DEFAULT   0.1
#define SKEW_DEFAULT     2.0
#define KURTOSIS_DEFAULT 3.5

static efc_status bad_name(efc_error *err, efc_enum_type type, const char *what, const char *word)
{
    char list[200];
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_UNKNOWN_NAME, "%s '%s' is not one of %s",
                       what, word, efc__enum_list(type, ", ", list, sizeof list));
}

/* Split s at ':' into at most `max` parts (modified in place). */
static size_t split(char *s, char **parts, size_t max)
{
    size_t n = 0;
    parts[n++] = s;
    for (char *p = s; *p; p++)
        if (*p == ':') {
            if (n == max)
                return max + 1; /* too many */
            *p = '\0';
            parts[n++] = p + 1;
        }
    return n;
}

/* A number of a step's text: finite whenever it parses (efc__parse_number
 * refuses inf, nan and overflows), so no caller checks that again. */
static efc_status num(const char *s, char alt, const char *what, const char *text, double *out,
                      efc_error *err)
{
    efc__num_status ns = efc__parse_number(s, strlen(s), '.', alt, out);
    if (ns == EFC__NUM_OK)
        return EFC_OK;
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_NOT_A_NUMBER, "%s in '%s': '%s' is %s", what,
                       text, s, efc__num_reason(ns));
}

static efc_status wrong_args(efc_error *err, const char *text, const char *forms)
{
    return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_UNKNOWN_NAME, "'%s': expected %s", text,
                       forms);
}

static void put_num(efc__strbuf *b, double x)
{
    char n[EFC__NUMBER_BUF];
    efc__fmt_number(x, n);
    efc__strbuf_putc(b, ':');
    efc__strbuf_puts(b, n);
}

efc__norm_params efc__steps_fitted_norm(const efc__steps *s, double dir)
{
    efc__norm_params p = {NAN, NAN, NAN, NAN, NAN, NAN};
    switch (s->normalise) {
    case EFC_NORMALISE_ZSCORE:
        p.mean = s->p1;
        p.sd = s->p2;
        break;
    case EFC_NORMALISE_DIST2REF:
        p.ref = s->p1;
        p.lo = s->p2;
        break;
    case EFC_NORMALISE_DIST2TARGET:
        p.lo = s->p1;
        p.target = dir * s->target;
        break;
    default:
        p.lo = s->p1;
        p.hi = s->p2;
        break;
    }
    return p;
}

static int put_key(efc__strbuf *b, const char *key)
{
    for (const char *p = key; *p; p++) {
        const char *esc = *p == '%'   ? "%25"
                          : *p == '|' ? "%7C"
                          : *p == '=' ? "%3D"
                          : *p == ':' ? "%3A"
                                      : NULL;
        if (esc)
            efc__strbuf_puts(b, esc);
        else
            efc__strbuf_putc(b, *p);
    }
    return !b->failed;
}

void efc__steps_format(const efc__steps *s, efc_step step, efc__strbuf *b)
{
    switch (step) {
    case EFC_STEP_DENOMINATOR:
        if (!s->den)
            return;
        efc__strbuf_puts(b, s->den);
        if (s->den_scale != 1)
            put_num(b, s->den_scale);
        return;
    case EFC_STEP_IMPUTE:
        if (s->impute == EFC_IMPUTE_NONE)
            return;
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_IMPUTE, (int)s->impute));
        if (s->impute_col) {
            efc__strbuf_putc(b, ':');
            efc__strbuf_puts(b, s->impute_col);
        }
        if (s->impute == EFC_IMPUTE_VALUE)
            put_num(b, s->impute_value);
        if (s->impute == EFC_IMPUTE_GROUP_VALUE) {
            efc__strbuf_putc(b, ':');
            for (size_t i = 0; i < s->ngv; i++) {
                char n[EFC__NUMBER_BUF];
                efc__fmt_number(s->gv_val[i], n);
                if (i)
                    efc__strbuf_putc(b, '|');
                put_key(b, s->gv_key[i]);
                efc__strbuf_putc(b, '=');
                efc__strbuf_puts(b, n);
            }
        }
        return;
    case EFC_STEP_TREAT:
        if (s->treat == EFC_TREAT_NONE)
            return;
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_TREAT, (int)s->treat));
        if (s->treat == EFC_TREAT_WINSORISE) {
            if (s->winmax_share) {
                char n[EFC__NUMBER_BUF];
                efc__fmt_number(s->winmax_pct, n);
                efc__strbuf_putc(b, ':');
                efc__strbuf_puts(b, n);
                efc__strbuf_putc(b, '%');
            } else {
                put_num(b, s->winmax);
            }
            put_num(b, s->skew_max);
            put_num(b, s->kurt_max);
        } else if (s->treat == EFC_TREAT_BOXCOX && !isnan(s->lambda)) {
            put_num(b, s->lambda);
        } else if (s->treat == EFC_TREAT_CLAMP || s->treat == EFC_TREAT_SHIFTLOG) {
            put_num(b, s->t1);
            put_num(b, s->t2);
        }
        return;
    case EFC_STEP_NORMALISE:
        if (s->normalise == EFC_NORMALISE_GOALPOSTS)
            return;
        efc__strbuf_puts(b, efc_enum_name(EFC_ENUM_NORMALISE, (int)s->normalise));
        if (s->normalise == EFC_NORMALISE_MINMAX || s->normalise == EFC_NORMALISE_ZSCORE) {
            put_num(b, s->a);
            put_num(b, s->b);
        } else if (s->normalise == EFC_NORMALISE_DIST2REF) {
            efc__strbuf_putc(b, ':');
            efc__strbuf_puts(b, s->ref);
        }
        if (s->fitted) {
            put_num(b, s->p1);
            if (s->normalise != EFC_NORMALISE_DIST2TARGET)
                put_num(b, s->p2);
        }
        return;
    }
}

static efc__steps *steps_new(const efc_allocator *a)
{
    efc__steps *s = efc__malloc(a, sizeof *s);
    if (!s)
        return NULL;
    memset(s, 0, sizeof *s);
    s->den_scale = 1;
    s->winmax = WINMAX_DEFAULT;
    s->winmax_share = 1;
    s->winmax_pct = 10.0;
    s->skew_max = SKEW_DEFAULT;
    s->kurt_max = KURTOSIS_DEFAULT;
    s->lambda = NAN;
    s->a = 0;
    s->b = 1;
    s->target = NAN;
    s->impute_value = NAN;
    s->t1 = s->t2 = s->p1 = s->p2 = NAN;
    efc__strmap_init(&s->gv_map);
    return s;
}

static void free_gv(const efc_allocator *a, efc__steps *s)
{
    efc__strmap_free(&s->gv_map, a);
    efc__strmap_init(&s->gv_map);
    for (size_t i = 0; i < s->ngv; i++)
        efc__free(a, s->gv_key[i]);
    efc__free(a, s->gv_key);
    efc__free(a, s->gv_val);
    s->gv_key = NULL;
    s->gv_val = NULL;
    s->ngv = 0;
}

/* Index the keys of s's group values (the map borrows them). */
static int map_gv(const efc_allocator *a, efc__steps *s)
{
    for (size_t i = 0; i < s->ngv; i++)
        if (efc__strmap_get(&s->gv_map, s->gv_key[i]) == EFC_NO_NODE &&
            !efc__strmap_put(&s->gv_map, a, s->gv_key[i], i))
            return 0;
    return 1;
}

void efc__steps_free(const efc_allocator *a, efc__steps *s)
{
    if (!s)
        return;
    free_gv(a, s);
    efc__free(a, s->den);
    efc__free(a, s->impute_col);
    efc__free(a, s->ref);
    for (int k = 0; k < 4; k++)
        efc__free(a, s->text[k]);
    efc__free(a, s);
}

static int dup_field(const efc_allocator *a, char **to, const char *from)
{
    *to = NULL;
    return !from || (*to = efc__strdup(a, from)) != NULL;
}

efc_status efc__steps_copy(const efc_allocator *a, efc__steps **out, const efc__steps *from,
                           efc_error *err)
{
    *out = NULL;
    if (!from)
        return EFC_OK;
    efc__steps *s = efc__malloc(a, sizeof *s);
    if (!s)
        return efc__nomem(err);
    *s = *from;
    s->ngv = 0;
    s->gv_key = NULL;
    s->gv_val = NULL;
    efc__strmap_init(&s->gv_map);
    int ok = 1;
    if (from->ngv) {
        s->gv_key = efc__alloc_array(a, from->ngv, sizeof *s->gv_key);
        s->gv_val = efc__alloc_array(a, from->ngv, sizeof *s->gv_val);
        ok = s->gv_key && s->gv_val;
        for (size_t i = 0; ok && i < from->ngv; i++) {
            ok = (s->gv_key[i] = efc__strdup(a, from->gv_key[i])) != NULL;
            s->ngv += ok;
        }
        if (ok)
            memcpy(s->gv_val, from->gv_val, from->ngv * sizeof *s->gv_val);
        ok = ok && map_gv(a, s);
    }
    s->den = s->impute_col = s->ref = NULL;
    for (int k = 0; k < 4; k++)
        s->text[k] = NULL;
    ok &= dup_field(a, &s->den, from->den);
    ok &= dup_field(a, &s->impute_col, from->impute_col);
    ok &= dup_field(a, &s->ref, from->ref);
    for (int k = 0; k < 4; k++)
        ok &= dup_field(a, &s->text[k], from->text[k]);
    if (!ok) {
        efc__steps_free(a, s);
        return efc__nomem(err);
    }
    *out = s;
    return EFC_OK;
}

int efc__steps_data_driven(const efc__steps *s)
{
    return s && (s->den || s->impute != EFC_IMPUTE_NONE || s->treat != EFC_TREAT_NONE ||
                 s->normalise != EFC_NORMALISE_GOALPOSTS);
}

static efc_status parse_denominator(efc__steps *t, char *s, char alt, const char *text,
                                    const efc_allocator *a, efc_error *err)
{
    /* COL or COL:SCALE: a column name may hold ':' itself, so only a last
     * part that reads as a number is a scale */
    char *colon = strrchr(s, ':');
    double scale = 1;
    if (colon && efc__parse_number(colon + 1, strlen(colon + 1), '.', alt, &scale) == EFC__NUM_OK) {
        *colon = '\0';
        if (scale <= 0) /* finite: it parsed */
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                               "denominator '%s': the scale must be finite and > 0", text);
    } else {
        scale = 1;
    }
    if (!s[0])
        return wrong_args(err, text, "COLUMN or COLUMN:SCALE");
    if (!(t->den = efc__strdup(a, s)))
        return efc__nomem(err);
    t->den_scale = scale;
    return EFC_OK;
}

/* Undo put_key in place; 0 for a bad escape. */
static int unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        const char *codes[] = {"25%", "7C|", "3D=", "3A:"};
        int found = 0;
        for (int k = 0; k < 4 && !found; k++) {
            /* hex digits in either case: C, D and A may be written c, d, a */
            char low = codes[k][1] >= 'A' && codes[k][1] <= 'F' ? (char)(codes[k][1] + 32) : 0;
            if (p[1] == codes[k][0] && (p[2] == codes[k][1] || (low && p[2] == low))) {
                *o++ = codes[k][2];
                p += 2;
                found = 1;
            }
        }
        if (!found)
            return 0;
    }
    *o = '\0';
    return 1;
}

static efc_status parse_group_values(efc__steps *t, char *list, char alt, const char *text,
                                     const efc_allocator *a, efc_error *err)
{
    size_t n = 0;
    if (list[0]) {
        n = 1;
        for (const char *p = list; *p; p++)
            n += *p == '|';
    }
    if (n) {
        t->gv_key = efc__alloc_array(a, n, sizeof *t->gv_key);
        t->gv_val = efc__alloc_array(a, n, sizeof *t->gv_val);
        if (!t->gv_key || !t->gv_val)
            return efc__nomem(err);
    }
    char *p = list;
    for (size_t i = 0; i < n; i++) {
        char *end = strchr(p, '|');
        if (end)
            *end = '\0';
        char *eq = strchr(p, '='); /* a key's own '=' is written %3D */
        if (!eq || eq == p || !eq[1])
            return wrong_args(err, text, "group_value:COLUMN:KEY=VALUE|KEY=VALUE...");
        *eq = '\0';
        if (!unescape(p))
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_BAD_TEXT,
                               "'%s': a group's key has a '%%' that is not %%25, %%7C, %%3D or "
                               "%%3A",
                               text);
        efc_status st = num(eq + 1, alt, "a group's value", text, &t->gv_val[i], err);
        if (st)
            return st;
        if (efc__strmap_get(&t->gv_map, p) != EFC_NO_NODE)
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_NONE,
                               "'%s': the group '%s' is listed twice", text, p);
        if (!(t->gv_key[i] = efc__strdup(a, p)))
            return efc__nomem(err);
        t->ngv++;
        if (!efc__strmap_put(&t->gv_map, a, t->gv_key[i], i))
            return efc__nomem(err);
        p = end ? end + 1 : p + strlen(p);
    }
    return EFC_OK;
}

static efc_status parse_impute(efc__steps *t, char *s, char alt, const char *text,
                               const efc_allocator *a, efc_error *err)
{
    char *p[4];
    size_t n = split(s, p, 3);
    int v;
    if (efc_enum_parse(&v, EFC_ENUM_IMPUTE, p[0], NULL))
        return bad_name(err, EFC_ENUM_IMPUTE, "impute", p[0]);
    int grouped = v == EFC_IMPUTE_GROUP_MEAN || v == EFC_IMPUTE_GROUP_MEDIAN;
    t->impute = (efc_impute)v;
    if (v == EFC_IMPUTE_VALUE) {
        if (n != 2)
            return wrong_args(err, text, "value:V");
        efc_status st = num(p[1], alt, "the value", text, &t->impute_value, err);
        return st;
    }
    if (v == EFC_IMPUTE_GROUP_VALUE) {
        if (n != 3 || !p[1][0])
            return wrong_args(err, text, "group_value:COLUMN:KEY=VALUE|KEY=VALUE...");
        if (!(t->impute_col = efc__strdup(a, p[1])))
            return efc__nomem(err);
        return parse_group_values(t, p[2], alt, text, a, err);
    }
    if (grouped ? n != 2 || !p[1][0] : n != 1)
        return wrong_args(err, text,
                          "none, mean, median, group_mean:COLUMN, group_median:COLUMN, latest, "
                          "linear, value:V or group_value:COLUMN:KEY=VALUE|...");
    if (grouped && !(t->impute_col = efc__strdup(a, p[1])))
        return efc__nomem(err);
    return EFC_OK;
}

static efc_status parse_treat(efc__steps *t, char *s, char alt, const char *text, efc_error *err)
{
    char *p[5];
    size_t n = split(s, p, 4);
    int v;
    if (efc_enum_parse(&v, EFC_ENUM_TREAT, p[0], NULL))
        return bad_name(err, EFC_ENUM_TREAT, "treat", p[0]);
    t->treat = (efc_treat)v;
    efc_status st;
    switch (t->treat) {
    case EFC_TREAT_NONE:
    case EFC_TREAT_LOG:
        if (n != 1)
            return wrong_args(err, text,
                              "none, log, winsorise[:WINMAX[:SKEW:KURTOSIS]] or "
                              "boxcox[:LAMBDA]");
        return EFC_OK;
    case EFC_TREAT_BOXCOX:
        if (n > 2)
            return wrong_args(err, text, "boxcox or boxcox:LAMBDA");
        if (n == 2) {
            if ((st = num(p[1], alt, "lambda", text, &t->lambda, err)))
                return st;
        }
        return EFC_OK;
    case EFC_TREAT_CLAMP:
    case EFC_TREAT_SHIFTLOG: {
        int clamp = t->treat == EFC_TREAT_CLAMP;
        if (n != 3)
            return wrong_args(err, text, clamp ? "clamp:LO:HI" : "shiftlog:LO:PAD");
        if ((st = num(p[1], alt, "LO", text, &t->t1, err)) ||
            (st = num(p[2], alt, clamp ? "HI" : "PAD", text, &t->t2, err)))
            return st;
        if (clamp ? t->t1 > t->t2 : t->t2 < 0)
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE, "'%s': %s", text,
                               clamp ? "LO and HI must be finite, LO <= HI"
                                     : "LO and PAD must be finite, PAD >= 0");
        return EFC_OK;
    }
    case EFC_TREAT_WINSORISE:
        break;
    }
    if (n == 3 || n > 4)
        return wrong_args(err, text,
                          "winsorise, winsorise:WINMAX or winsorise:WINMAX:SKEW:KURTOSIS");
    if (n >= 2) {
        size_t len = strlen(p[1]);
        int share = len && p[1][len - 1] == '%';
        if (share)
            p[1][len - 1] = '\0';
        double w;
        if ((st = num(p[1], alt, "winmax", text, &w, err)))
            return st;
        if (share ? !(w > 0 && w <= 100) : !(w >= 0 && w == floor(w) && w < 1e9))
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                               "'%s': winmax must be a whole count >= 0 or a share in (0%%, 100%%]",
                               text);
        t->winmax = share ? w / 100 : w;
        t->winmax_share = share;
        t->winmax_pct = share ? w : NAN;
    }
    if (n == 4) {
        if ((st = num(p[2], alt, "the skewness threshold", text, &t->skew_max, err)) ||
            (st = num(p[3], alt, "the kurtosis threshold", text, &t->kurt_max, err)))
            return st;
        if (t->skew_max < 0)
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                               "'%s': the thresholds must be finite, the skewness's >= 0", text);
    }
    return EFC_OK;
}

/* The fitted parameters of a normalisation, parts p[0 .. n). */
static efc_status fitted_params(efc__steps *t, char **p, size_t n, char alt, const char *text,
                                efc_error *err)
{
    efc_status st;
    t->fitted = 1;
    if ((st = num(p[0], alt, "a fitted parameter", text, &t->p1, err)))
        return st;
    t->p2 = NAN;
    if (n == 2 && (st = num(p[1], alt, "a fitted parameter", text, &t->p2, err)))
        return st;
    return EFC_OK;
}

static efc_status parse_normalise(efc__steps *t, char *s, char alt, const char *text,
                                  const efc_allocator *a, efc_error *err)
{
    char *p[6];
    size_t n = split(s, p, 5);
    int v;
    if (efc_enum_parse(&v, EFC_ENUM_NORMALISE, p[0], NULL))
        return bad_name(err, EFC_ENUM_NORMALISE, "normalise", p[0]);
    t->normalise = (efc_normalise)v;
    t->fitted = 0;
    efc_status st;
    switch (t->normalise) {
    case EFC_NORMALISE_MINMAX:
    case EFC_NORMALISE_ZSCORE: {
        const char *form = v == EFC_NORMALISE_MINMAX
                               ? "minmax, minmax:LO:HI or minmax:LO:HI:MIN:MAX"
                               : "zscore, zscore:MEAN:SD or zscore:MEAN:SD:M:S";
        if (n == 2 || n == 4 || n > 5)
            return wrong_args(err, text, form);
        t->a = 0;
        t->b = 1;
        if (n >= 3) {
            if ((st =
                     num(p[1], alt, v == EFC_NORMALISE_MINMAX ? "LO" : "MEAN", text, &t->a, err)) ||
                (st = num(p[2], alt, v == EFC_NORMALISE_MINMAX ? "HI" : "SD", text, &t->b, err)))
                return st;
            int ok = v == EFC_NORMALISE_MINMAX ? t->a < t->b : t->b > 0;
            if (!ok)
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE, "'%s': %s", text,
                                   v == EFC_NORMALISE_MINMAX
                                       ? "LO and HI must be finite, LO < HI"
                                       : "MEAN and SD must be finite, SD > 0");
        }
        if (n == 5) {
            if ((st = fitted_params(t, p + 3, 2, alt, text, err)))
                return st;
            if (v == EFC_NORMALISE_MINMAX ? t->p1 > t->p2 : t->p2 < 0)
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE, "'%s': %s", text,
                                   v == EFC_NORMALISE_MINMAX ? "the fitted MIN is above MAX"
                                                             : "the fitted S is negative");
        }
        return EFC_OK;
    }
    case EFC_NORMALISE_DIST2REF:
        if ((n != 2 && n != 4) || !p[1][0])
            return wrong_args(err, text, "dist2ref:UNIT or dist2ref:UNIT:REF:MIN");
        if (!(t->ref = efc__strdup(a, p[1])))
            return efc__nomem(err);
        if (n == 4) {
            if ((st = fitted_params(t, p + 2, 2, alt, text, err)))
                return st;
            if (!(t->p1 > t->p2))
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                                   "'%s': the reference's value must be above MIN", text);
        }
        return EFC_OK;
    case EFC_NORMALISE_DIST2MAX:
        if (n != 1 && n != 3)
            return wrong_args(err, text, "dist2max or dist2max:MIN:MAX");
        if (n == 3) {
            if ((st = fitted_params(t, p + 1, 2, alt, text, err)))
                return st;
            if (t->p1 > t->p2)
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                                   "'%s': the fitted MIN is above MAX", text);
        }
        return EFC_OK;
    case EFC_NORMALISE_DIST2TARGET:
        if (n > 2)
            return wrong_args(err, text, "dist2target or dist2target:MIN");
        return n == 2 ? fitted_params(t, p + 1, 1, alt, text, err) : EFC_OK;
    default:
        if (n != 1)
            return wrong_args(err, text, "the method's name alone");
        return EFC_OK;
    }
}

static efc_status set_text(const efc_allocator *a, efc__steps *s, efc_step step, efc_error *err)
{
    efc__strbuf b;
    efc__strbuf_init(&b, a);
    efc__steps_format(s, step, &b);
    if (b.failed) {
        efc__strbuf_free(&b);
        return efc__nomem(err);
    }
    char *t = b.len ? b.data : NULL; /* the buffer's own bytes, now the text's */
    if (!t)
        efc__strbuf_free(&b);
    efc__free(a, s->text[step]);
    s->text[step] = t;
    return EFC_OK;
}

efc_status efc__steps_set(const efc_allocator *a, efc__steps **sp, efc_step step, const char *text,
                          char alt_sep, efc_error *err)
{
    if ((unsigned)step > EFC_STEP_NORMALISE)
        return efc__fail(err, EFC_ERR_ARGUMENT, "unknown step %d", (int)step);
    if (text && strlen(text) > TEXT_MAX)
        return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                           "the %s text is longer than %zu bytes",
                           efc_enum_name(EFC_ENUM_STEP, (int)step), TEXT_MAX);
    char *copy = efc__strdup(a, text ? text : "");
    if (!copy)
        return efc__nomem(err);
    char *s = efc__trim(copy);
    /* parse into a fresh copy, so that a failure changes nothing */
    efc__steps *t = NULL;
    efc_status st = *sp ? efc__steps_copy(a, &t, *sp, err) : EFC_OK;
    if (st) {
        efc__free(a, copy);
        return st;
    }
    if (!t && !(t = steps_new(a))) {
        efc__free(a, copy);
        return efc__nomem(err);
    }
    switch (step) {
    case EFC_STEP_DENOMINATOR:
        efc__free(a, t->den);
        t->den = NULL;
        t->den_scale = 1;
        if (s[0])
            st = parse_denominator(t, s, alt_sep, text, a, err);
        break;
    case EFC_STEP_IMPUTE:
        efc__free(a, t->impute_col);
        t->impute_col = NULL;
        t->impute = EFC_IMPUTE_NONE;
        t->impute_value = NAN;
        free_gv(a, t);
        if (s[0])
            st = parse_impute(t, s, alt_sep, text, a, err);
        break;
    case EFC_STEP_TREAT:
        t->treat = EFC_TREAT_NONE;
        t->winmax = WINMAX_DEFAULT;
        t->winmax_share = 1;
        t->winmax_pct = 10.0;
        t->skew_max = SKEW_DEFAULT;
        t->kurt_max = KURTOSIS_DEFAULT;
        t->lambda = NAN;
        t->t1 = t->t2 = NAN;
        if (s[0])
            st = parse_treat(t, s, alt_sep, text, err);
        break;
    case EFC_STEP_NORMALISE:
        efc__free(a, t->ref);
        t->ref = NULL;
        t->normalise = EFC_NORMALISE_GOALPOSTS;
        t->a = 0;
        t->b = 1;
        t->fitted = 0;
        t->p1 = t->p2 = NAN;
        if (s[0])
            st = parse_normalise(t, s, alt_sep, text, a, err);
        break;
    }
    efc__free(a, copy);
    if (!st)
        st = set_text(a, t, step, err);
    if (st) {
        efc__steps_free(a, t);
        return st;
    }
    efc__steps_free(a, *sp);
    *sp = t;
    return EFC_OK;
}

efc_status efc__steps_set_target(const efc_allocator *a, efc__steps **sp, double target,
                                 efc_error *err)
{
    if (!*sp && !(*sp = steps_new(a)))
        return efc__nomem(err);
    (*sp)->target = target;
    return EFC_OK;
}
