/* The pipeline steps of a leaf (efc/index.h): their parameters, parsed
 * from and written back to the codebook's texts. */
#ifndef EFC_STEPS_H
#define EFC_STEPS_H

#include "efc/common.h"
#include "efc/error.h"
#include "efc/index.h"
#include "steps_apply.h"
#include "strmap.h"

typedef struct efc__steps {
    char *den;        /* denominator column, NULL: none */
    double den_scale; /* 1 unless given */
    efc_impute impute;
    char *impute_col;    /* the group column of group_mean, group_median, group_value */
    double impute_value; /* value: V */
    /* group_value: the value of each group, found by its key */
    size_t ngv;
    char **gv_key;
    double *gv_val;
    efc__strmap gv_map; /* key -> index into gv_val; keys borrowed from gv_key */
    efc_treat treat;
    double winmax;     /* winsorise: the most points moved, a count or a share */
    int winmax_share;  /* winmax is a share (0 < winmax <= 1) of the values */
    double winmax_pct; /* the share as written, in percent (canonical text) */
    double skew_max, kurt_max;
    double lambda; /* boxcox: NaN to estimate it */
    double t1, t2; /* clamp: LO, HI; shiftlog: LO, PAD */
    efc_normalise normalise;
    double a, b; /* minmax: LO, HI; zscore: MEAN, SD */
    /* a fitted normalisation: the parameters the data gave, of the values
     * times the direction: minmax, dist2max: min, max; zscore: mean, sd;
     * dist2target: min; dist2ref: the reference's value, min */
    int fitted;
    double p1, p2;
    char *ref; /* dist2ref: the reference unit */
    double target;
    char *text[4]; /* canonical texts by efc_step, NULL: none */
} efc__steps;

/* The longest step text: a fitted group_value lists every group. */
#define EFC__STEP_TEXT_MAX ((size_t)64 << 20)

/* Parse `text` as step `step` into *sp (allocated on first use; NULL or ""
 * removes the step). `alt_sep` is a second decimal separator for numbers
 * (a codebook in `;` accepts a comma), 0 for none. Errors: EFC_ERR_MODEL
 * (reason EFC_REASON_UNKNOWN_NAME or EFC_REASON_NOT_A_NUMBER), EFC_ERR_NOMEM;
 * *sp is unchanged on error. */
efc_status efc__steps_set(const efc_allocator *a, efc__steps **sp, efc_step step, const char *text,
                          char alt_sep, efc_error *err);
efc_status efc__steps_set_target(const efc_allocator *a, efc__steps **sp, double target,
                                 efc_error *err);
void efc__steps_free(const efc_allocator *a, efc__steps *s);
efc_status efc__steps_copy(const efc_allocator *a, efc__steps **out, const efc__steps *from,
                           efc_error *err);
/* 1 when the steps need a whole table (any step but goalposts). */
int efc__steps_data_driven(const efc__steps *s);
/* The parameters a fitted normalisation writes (s->fitted), for
 * efc__step_normalise; dir is the leaf's direction (1 or -1). */
efc__norm_params efc__steps_fitted_norm(const efc__steps *s, double dir);

/* The canonical text of step `step` of s appended to b (empty when s has
 * no such step): what efc_model_node_step returns, and what a fitted
 * model writes (index_fit.c). */
struct efc__strbuf;
void efc__steps_format(const efc__steps *s, efc_step step, struct efc__strbuf *b);

#endif
