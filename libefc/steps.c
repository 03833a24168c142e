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
#include "text.h"

#define TEXT_MAX 600

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

static void put(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n < cap) {
        memcpy(buf + *len, s, n + 1);
        *len += n;
    }
}

static void put_num(char *buf, size_t cap, size_t *len, double x)
{
    char b[EFC__NUMBER_BUF];
    efc__fmt_number(x, b);
    put(buf, cap, len, ":");
    put(buf, cap, len, b);
}

/* The canonical text of a step of s into buf. */
static void format_step(const efc__steps *s, efc_step step, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    switch (step) {
    case EFC_STEP_DENOMINATOR:
        if (!s->den)
            return;
        put(buf, cap, &len, s->den);
        if (s->den_scale != 1)
            put_num(buf, cap, &len, s->den_scale);
        return;
    case EFC_STEP_IMPUTE:
        if (s->impute == EFC_IMPUTE_NONE)
            return;
        put(buf, cap, &len, efc_enum_name(EFC_ENUM_IMPUTE, (int)s->impute));
        if (s->impute_col) {
            put(buf, cap, &len, ":");
            put(buf, cap, &len, s->impute_col);
        }
        return;
    case EFC_STEP_TREAT:
        if (s->treat == EFC_TREAT_NONE)
            return;
        put(buf, cap, &len, efc_enum_name(EFC_ENUM_TREAT, (int)s->treat));
        if (s->treat == EFC_TREAT_WINSORISE) {
            if (s->winmax_share) {
                char b[EFC__NUMBER_BUF];
                efc__fmt_number(s->winmax_pct, b);
                put(buf, cap, &len, ":");
                put(buf, cap, &len, b);
                put(buf, cap, &len, "%");
            } else {
                put_num(buf, cap, &len, s->winmax);
            }
            put_num(buf, cap, &len, s->skew_max);
            put_num(buf, cap, &len, s->kurt_max);
        } else if (s->treat == EFC_TREAT_BOXCOX && !isnan(s->lambda)) {
            put_num(buf, cap, &len, s->lambda);
        }
        return;
    case EFC_STEP_NORMALISE:
        if (s->normalise == EFC_NORMALISE_GOALPOSTS)
            return;
        put(buf, cap, &len, efc_enum_name(EFC_ENUM_NORMALISE, (int)s->normalise));
        if (s->normalise == EFC_NORMALISE_MINMAX || s->normalise == EFC_NORMALISE_ZSCORE) {
            put_num(buf, cap, &len, s->a);
            put_num(buf, cap, &len, s->b);
        } else if (s->normalise == EFC_NORMALISE_DIST2REF) {
            put(buf, cap, &len, ":");
            put(buf, cap, &len, s->ref);
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
    return s;
}

void efc__steps_free(const efc_allocator *a, efc__steps *s)
{
    if (!s)
        return;
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
    int ok = dup_field(a, &s->den, from->den);
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
        if (!isfinite(scale) || scale <= 0)
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

static efc_status parse_impute(efc__steps *t, char *s, const char *text, const efc_allocator *a,
                               efc_error *err)
{
    char *p[3];
    size_t n = split(s, p, 2);
    int v;
    if (efc_enum_parse(&v, EFC_ENUM_IMPUTE, p[0], NULL))
        return bad_name(err, EFC_ENUM_IMPUTE, "impute", p[0]);
    int grouped = v == EFC_IMPUTE_GROUP_MEAN || v == EFC_IMPUTE_GROUP_MEDIAN;
    if (grouped ? n != 2 || !p[1][0] : n != 1)
        return wrong_args(err, text,
                          "none, mean, median, group_mean:COLUMN, group_median:COLUMN, latest or "
                          "linear");
    t->impute = (efc_impute)v;
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
            if (!isfinite(t->lambda))
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                                   "'%s': lambda must be finite", text);
        }
        return EFC_OK;
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
        if (!(t->skew_max >= 0) || !isfinite(t->skew_max) || !isfinite(t->kurt_max))
            return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE,
                               "'%s': the thresholds must be finite, the skewness's >= 0", text);
    }
    return EFC_OK;
}

static efc_status parse_normalise(efc__steps *t, char *s, char alt, const char *text,
                                  const efc_allocator *a, efc_error *err)
{
    char *p[4];
    size_t n = split(s, p, 3);
    int v;
    if (efc_enum_parse(&v, EFC_ENUM_NORMALISE, p[0], NULL))
        return bad_name(err, EFC_ENUM_NORMALISE, "normalise", p[0]);
    t->normalise = (efc_normalise)v;
    efc_status st;
    switch (t->normalise) {
    case EFC_NORMALISE_MINMAX:
    case EFC_NORMALISE_ZSCORE: {
        const char *form =
            v == EFC_NORMALISE_MINMAX ? "minmax or minmax:LO:HI" : "zscore or zscore:MEAN:SD";
        if (n == 2 || n > 3)
            return wrong_args(err, text, form);
        t->a = 0;
        t->b = 1;
        if (n == 3) {
            if ((st =
                     num(p[1], alt, v == EFC_NORMALISE_MINMAX ? "LO" : "MEAN", text, &t->a, err)) ||
                (st = num(p[2], alt, v == EFC_NORMALISE_MINMAX ? "HI" : "SD", text, &t->b, err)))
                return st;
            int ok = isfinite(t->a) && isfinite(t->b) &&
                     (v == EFC_NORMALISE_MINMAX ? t->a < t->b : t->b > 0);
            if (!ok)
                return efc__fail_r(err, EFC_ERR_MODEL, EFC_REASON_OUT_OF_RANGE, "'%s': %s", text,
                                   v == EFC_NORMALISE_MINMAX
                                       ? "LO and HI must be finite, LO < HI"
                                       : "MEAN and SD must be finite, SD > 0");
        }
        return EFC_OK;
    }
    case EFC_NORMALISE_DIST2REF:
        if (n != 2 || !p[1][0])
            return wrong_args(err, text, "dist2ref:UNIT");
        if (!(t->ref = efc__strdup(a, p[1])))
            return efc__nomem(err);
        return EFC_OK;
    default:
        if (n != 1)
            return wrong_args(err, text, "the method's name alone");
        return EFC_OK;
    }
}

static efc_status set_text(const efc_allocator *a, efc__steps *s, efc_step step, efc_error *err)
{
    char buf[TEXT_MAX + 64];
    format_step(s, step, buf, sizeof buf);
    char *t = NULL;
    if (buf[0] && !(t = efc__strdup(a, buf)))
        return efc__nomem(err);
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
                           "the %s text is longer than %d bytes",
                           efc_enum_name(EFC_ENUM_STEP, (int)step), TEXT_MAX);
    char copy[TEXT_MAX + 1];
    snprintf(copy, sizeof copy, "%s", text ? text : "");
    char *s = efc__trim(copy);
    /* parse into a fresh copy, so that a failure changes nothing */
    efc__steps *t = NULL;
    efc_status st = *sp ? efc__steps_copy(a, &t, *sp, err) : EFC_OK;
    if (st)
        return st;
    if (!t && !(t = steps_new(a)))
        return efc__nomem(err);
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
        if (s[0])
            st = parse_impute(t, s, text, a, err);
        break;
    case EFC_STEP_TREAT:
        t->treat = EFC_TREAT_NONE;
        t->winmax = WINMAX_DEFAULT;
        t->winmax_share = 1;
        t->winmax_pct = 10.0;
        t->skew_max = SKEW_DEFAULT;
        t->kurt_max = KURTOSIS_DEFAULT;
        t->lambda = NAN;
        if (s[0])
            st = parse_treat(t, s, alt_sep, text, err);
        break;
    case EFC_STEP_NORMALISE:
        efc__free(a, t->ref);
        t->ref = NULL;
        t->normalise = EFC_NORMALISE_GOALPOSTS;
        t->a = 0;
        t->b = 1;
        if (s[0])
            st = parse_normalise(t, s, alt_sep, text, a, err);
        break;
    }
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
