/* The inside of efc_model, shared by the files that build, check, load,
 * export and score it. */
#ifndef EFC_MODEL_INTERNAL_H
#define EFC_MODEL_INTERNAL_H

#include "efc/index.h"
#include "efc/model.h"
#include "strmap.h"

/* Attributes that a codebook column can hold, for error locations. */
typedef enum efc__attr {
    EFC__ATTR_ID,
    EFC__ATTR_PARENT,
    EFC__ATTR_LABEL,
    EFC__ATTR_DESCRIPTION,
    EFC__ATTR_LEVELS,
    EFC__ATTR_WEIGHT,
    EFC__ATTR_MIN,
    EFC__ATTR_MAX,
    EFC__ATTR_DIRECTION,
    EFC__ATTR_TRANSFORM,
    EFC__ATTR_AGGREGATE,
    EFC__ATTR_MIN_COVERAGE,
    EFC__ATTR_THRESHOLD,
    EFC__ATTR_DENOMINATOR,
    EFC__ATTR_IMPUTE,
    EFC__ATTR_TREAT,
    EFC__ATTR_NORMALISE,
    EFC__ATTR_TARGET,
    EFC__ATTR_COUNT
} efc__attr;

/* A parsed levels text: values and the text of each level. */
typedef struct efc__levels {
    size_t count;
    double *values;
    char **texts; /* point into storage */
    char *storage;
} efc__levels;

/* A translated text of a node. */
typedef struct efc__translation {
    char lang[3];
    efc_text_kind kind;
    char *text;
    efc__levels *levels; /* for EFC_TEXT_LEVELS */
} efc__translation;

typedef struct efc__node {
    char *id;
    char *parent_id; /* "" for the root */
    efc_node_kind kind;
    double weight;
    double min, max;
    efc_direction direction;
    efc_transform transform;
    efc_aggregate aggregate;
    double power;
    double min_coverage;
    double threshold; /* NaN: none */
    size_t line;      /* codebook line, 0 when built in code */
    char *text[3];    /* base texts by efc_text_kind, NULL when absent */
    efc__levels *levels;
    efc__translation *tr;
    size_t tr_count;
    struct efc__steps *steps; /* the pipeline steps of a leaf (steps.h), NULL: none */
    /* Resolved by finalize: */
    size_t parent;
    size_t leaf;  /* leaf number, or EFC_NO_NODE */
    size_t group; /* group number, or EFC_NO_NODE */
    size_t first_child;
    size_t child_count;
} efc__node;

/* What scoring needs, laid out by finalize in evaluation order. */
#define EFC__SMALL 16

typedef struct efc__plan_leaf {
    size_t node;
    double min, max; /* goalposts as given, for clamping */
    double lo, hi;   /* goalposts after the transform */
    double domain;   /* valid values are > domain (and finite): -inf, or 0 under log */
    int negative;
    int log;
    /* The scores of the answers 0, 1, ..., EFC__SMALL - 1, computed once by
     * the same code (so with the same bits): survey answers are mostly small
     * integers, and a look-up spares the goalpost branches, which the
     * processor cannot predict on such data, and the division. small_clamped
     * is 0 or 1, or 2 where the answer is outside the domain (0 under log). */
    double small[EFC__SMALL];
    unsigned char small_clamped[EFC__SMALL];
    /* Row-local steps (row_steps.c): NULL when the leaf has none, else its
     * steps, the aux columns its denominator and its group_value read
     * (EFC_NO_NODE: none), and its group_value's value by group code. */
    const struct efc__steps *steps;
    size_t den_aux, group_aux;
    double *gv_by_code;
} efc__plan_leaf;

/* A column besides the leaves' that row-local steps read: a denominator
 * (a number) or the group column of group_value (a text, read as the code
 * of its group: its index among the keys, NaN when not one of them). */
typedef struct efc__aux {
    const char *name; /* borrowed from a leaf's steps */
    int text;
    size_t nkeys;
    const char **keys; /* borrowed from the leaves' steps */
    efc__strmap codes; /* key -> code */
} efc__aux;

typedef struct efc__plan_group {
    size_t node;
    size_t first; /* into child_node / child_weight */
    size_t count; /* children of non-zero weight */
    double total_weight;
    efc_aggregate aggregate;
    double power;
    double min_coverage;
} efc__plan_group;

struct efc_model {
    efc_allocator alloc;
    char *source;
    efc__node *nodes;
    size_t count, cap;
    efc__strmap ids;
    size_t leaf_count, group_count;
    int finalized;
    char (*langs)[3];
    size_t lang_count;
    /* Codebook column of each attribute (0: unknown), for error messages. */
    size_t attr_col[EFC__ATTR_COUNT];
    /* Resolved by finalize: */
    size_t root;
    size_t *leaf_nodes;
    size_t *group_nodes;
    size_t *children; /* children of every group in the order added */
    efc__plan_leaf *plan_leaves;
    efc__plan_group *plan_groups; /* children before parents */
    size_t *child_node;           /* children of each plan group, by id */
    double *child_weight;
    size_t *threshold_nodes;
    size_t threshold_count;
    size_t *scale_nodes; /* groups whose children are all leaves, in node order */
    size_t scale_count;
    int needs_index; /* a leaf has a data-driven step (efc/index.h) */
    /* Row-local steps (a fitted model's): a leaf has some, so groups
     * aggregate unclamped, as the pipeline does; the columns they read. */
    int row_steps;
    efc__aux *aux;
    size_t aux_count;
};

/* efc_model_set_step with a second decimal separator (codebooks in `;`). */
efc_status efc__model_set_step(efc_model *m, size_t node, efc_step step, const char *text,
                               char alt_sep, efc_error *err);

/* EFC_ERR_MODEL with reason EFC_REASON_NEEDS_INDEX when a finalized model
 * has data-driven steps (scored by efc_index_run only), or row-local steps
 * that read columns besides the leaves' (scored from surveys and tables
 * only: efc__refuse_aux_model), else EFC_OK. */
efc_status efc__refuse_index_model(const efc_model *m, efc_error *err);

/* Names of attributes and columns. */
const char *efc__attr_name(efc__attr attr);

/* Locate a failure at a node's codebook line and an attribute's column. */
void efc__locate_node(const efc_model *m, size_t node, efc__attr attr, efc_error *err);

/* Free the finalize products and return to the editable state. */
void efc__model_unfinalize(efc_model *m);

/* Texts: parse a levels string; free a node's texts; copy them. */
efc_status efc__levels_parse(const efc_allocator *a, const char *text, efc__levels **out,
                             efc_error *err);
void efc__levels_free(const efc_allocator *a, efc__levels *lv);

/* The level of leaf `node` whose text, in the base levels or a
 * translation, is s[0 .. len): exactly, else but for the case of ASCII and
 * Latin-1 letters. 1 with *level set; 0 with the reason in why[cap]
 * (unknown: the levels accepted, with their values; or ambiguous). */
int efc__level_lookup(const efc_model *m, size_t node, const char *s, size_t len, size_t *level,
                      char *why, size_t cap);
void efc__node_texts_free(const efc_allocator *a, efc__node *n);
efc_status efc__node_texts_copy(efc_model *dst, efc__node *to, const efc__node *from,
                                efc_error *err);
int efc__valid_lang(const char *lang);

/* The model's own name for a model loaded from a codebook. */
efc_status efc__model_set_source(efc_model *m, const char *source, efc_error *err);

/* Load a codebook from an opened input (used by the load functions and the
 * embedded default model). */
struct efc__input;
efc_status efc__codebook_load(efc_model **out, struct efc__input *in, const efc_allocator *alloc,
                              efc_error *err);

#endif
