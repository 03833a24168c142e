/* The names of enumerators (efc/names.h): one table per enumeration, the
 * only place in the project where these words are spelled. */
#include "efc/names.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "efc/index.h"
#include "efc/panel.h"
#include "efc/quality.h"
#include "efc/score.h"
#include "efc/sensitivity.h"
#include "efc/survey.h"
#include "efc/trajectory.h"
#include "error_internal.h"
#include "names_internal.h"
#include "number.h"

typedef struct named {
    int value;
    const char *name;
} named;

/* Names first, then aliases (accepted when parsing, never produced). */
typedef struct table {
    const named *names;
    size_t count;         /* the values, in declaration order */
    const named *aliases; /* may be NULL */
    size_t alias_count;
    int fold_case; /* encodings are written in either case */
} table;

#define N(x) (sizeof(x) / sizeof((x)[0]))
#define TABLE(v)                                                                                   \
    {                                                                                              \
        v, N(v), NULL, 0, 0                                                                        \
    }

static const named status_names[] = {{EFC_OK, "ok"},
                                     {EFC_ERR_ARGUMENT, "argument"},
                                     {EFC_ERR_NOMEM, "nomem"},
                                     {EFC_ERR_IO, "io"},
                                     {EFC_ERR_CSV, "csv"},
                                     {EFC_ERR_MODEL, "model"},
                                     {EFC_ERR_VALUE, "value"},
                                     {EFC_ERR_STATE, "state"},
                                     {EFC_ERR_NOT_FOUND, "not_found"},
                                     {EFC_ERR_SURVEY, "survey"}};
static const named node_kind_names[] = {{EFC_NODE_GROUP, "group"}, {EFC_NODE_LEAF, "leaf"}};
static const named aggregate_names[] = {
    {EFC_AGGREGATE_MEAN, "mean"},         {EFC_AGGREGATE_GEOMEAN, "geomean"},
    {EFC_AGGREGATE_HARMONIC, "harmonic"}, {EFC_AGGREGATE_MIN, "min"},
    {EFC_AGGREGATE_POWER, "power"},       {EFC_AGGREGATE_RATIO, "ratio"},
    {EFC_AGGREGATE_PRODUCT, "product"},   {EFC_AGGREGATE_COPELAND, "copeland"}};
static const named direction_names[] = {{EFC_DIRECTION_POSITIVE, "+"},
                                        {EFC_DIRECTION_NEGATIVE, "-"}};
static const named transform_names[] = {{EFC_TRANSFORM_NONE, "none"}, {EFC_TRANSFORM_LOG, "log"}};
static const named text_kind_names[] = {
    {EFC_TEXT_LABEL, "label"}, {EFC_TEXT_DESCRIPTION, "description"}, {EFC_TEXT_LEVELS, "levels"}};
static const named pass_names[] = {{EFC_PASS_NO_THRESHOLD, "no_threshold"},
                                   {EFC_PASS_MISSING, "missing"},
                                   {EFC_PASS_FAIL, "fail"},
                                   {EFC_PASS_OK, "pass"}};
static const named encoding_names[] = {
    {EFC_ENCODING_AUTO, "auto"},        {EFC_ENCODING_UTF8, "utf-8"},
    {EFC_ENCODING_UTF16, "utf-16"},     {EFC_ENCODING_UTF16LE, "utf-16le"},
    {EFC_ENCODING_UTF16BE, "utf-16be"}, {EFC_ENCODING_WINDOWS_1252, "windows-1252"}};
static const named encoding_aliases[] = {{EFC_ENCODING_UTF8, "utf8"},
                                         {EFC_ENCODING_UTF16, "utf16"},
                                         {EFC_ENCODING_WINDOWS_1252, "cp1252"}};
static const named date_format_names[] = {{EFC_DATE_FORMAT_ISO, "iso"},
                                          {EFC_DATE_FORMAT_DMY, "dmy"}};
static const named period_kind_names[] = {
    {EFC_PERIOD_NONE, "none"}, {EFC_PERIOD_NUMBER, "number"}, {EFC_PERIOD_DATE, "date"}};
static const named combine_names[] = {
    {EFC_COMBINE_NONE, "none"}, {EFC_COMBINE_MEAN, "mean"}, {EFC_COMBINE_MEDIAN, "median"}};
static const named on_error_names[] = {{EFC_ON_ERROR_FAIL, "fail"}, {EFC_ON_ERROR_SKIP, "skip"}};
static const named trajectory_names[] = {{EFC_TRAJECTORY_N, "n"},
                                         {EFC_TRAJECTORY_FIRST, "first"},
                                         {EFC_TRAJECTORY_LAST, "last"},
                                         {EFC_TRAJECTORY_CHANGE, "change"},
                                         {EFC_TRAJECTORY_SLOPE, "slope"},
                                         {EFC_TRAJECTORY_STEADINESS, "steadiness"},
                                         {EFC_TRAJECTORY_TRANSFERS, "transfers"},
                                         {EFC_TRAJECTORY_FIRST_PERIOD, "first_period"},
                                         {EFC_TRAJECTORY_LAST_PERIOD, "last_period"}};
static const named comparison_names[] = {{EFC_COMPARISON_CHANGE_A, "change_a"},
                                         {EFC_COMPARISON_CHANGE_B, "change_b"},
                                         {EFC_COMPARISON_DIFFERENCE, "difference"},
                                         {EFC_COMPARISON_COMMON_PERIODS, "common_periods"},
                                         {EFC_COMPARISON_MEAN_GAP, "mean_gap"},
                                         {EFC_COMPARISON_SPAN, "span"},
                                         {EFC_COMPARISON_AREA, "area"}};
static const named dominance_names[] = {{EFC_DOMINANCE_NEITHER, "neither"},
                                        {EFC_DOMINANCE_A, "a"},
                                        {EFC_DOMINANCE_B, "b"},
                                        {EFC_DOMINANCE_EQUAL, "equal"},
                                        {EFC_DOMINANCE_UNKNOWN, "unknown"}};
static const named rank_names[] = {{EFC_RANK_SCORE, "score"},
                                   {EFC_RANK_RANK, "rank"},
                                   {EFC_RANK_PERCENTILE, "percentile"},
                                   {EFC_RANK_CHANGE, "change"},
                                   {EFC_RANK_CHANGE_RANK, "change_rank"},
                                   {EFC_RANK_CHANGE_PERCENTILE, "change_percentile"},
                                   {EFC_RANK_PEERS, "peers"},
                                   {EFC_RANK_CHANGE_PEERS, "change_peers"}};
static const named stat_names[] = {{EFC_GROUP_COUNT, "count"}, {EFC_GROUP_MIN, "min"},
                                   {EFC_GROUP_Q1, "q1"},       {EFC_GROUP_MEDIAN, "median"},
                                   {EFC_GROUP_Q3, "q3"},       {EFC_GROUP_MAX, "max"},
                                   {EFC_GROUP_MEAN, "mean"}};
static const named scale_names[] = {{EFC_SCALE_ITEMS, "items"},
                                    {EFC_SCALE_ITEMS_USED, "items_used"},
                                    {EFC_SCALE_N, "n"},
                                    {EFC_SCALE_N_COMPLETE, "n_complete"},
                                    {EFC_SCALE_ALPHA, "alpha"},
                                    {EFC_SCALE_STD_ALPHA, "std_alpha"},
                                    {EFC_SCALE_AVERAGE_R, "average_r"},
                                    {EFC_SCALE_MEDIAN_R, "median_r"},
                                    {EFC_SCALE_ASE, "ase"},
                                    {EFC_SCALE_ALPHA_LOW, "alpha_low"},
                                    {EFC_SCALE_ALPHA_HIGH, "alpha_high"},
                                    {EFC_SCALE_ALPHA_R, "alpha_r"},
                                    {EFC_SCALE_G6, "g6"},
                                    {EFC_SCALE_SCOREITEMS_ASE, "scoreitems_ase"}};
static const named scale_item_names[] = {
    {EFC_SCALE_ITEM_N, "n"},
    {EFC_SCALE_ITEM_USED, "used"},
    {EFC_SCALE_ITEM_ALPHA_IF_DROPPED, "alpha_if_dropped"},
    {EFC_SCALE_ITEM_STD_ALPHA_IF_DROPPED, "std_alpha_if_dropped"},
    {EFC_SCALE_ITEM_R_DROP, "r_drop"},
    {EFC_SCALE_ITEM_R_TOTAL, "r_total"},
    {EFC_SCALE_ITEM_STD_R, "std_r"},
    {EFC_SCALE_ITEM_MEAN, "mean_norm"},
    {EFC_SCALE_ITEM_SD, "sd_norm"},
    {EFC_SCALE_ITEM_SIGN, "sign"}};
static const named item_names[] = {{EFC_ITEM_ANSWERS, "answers"},
                                   {EFC_ITEM_MISSING, "missing"},
                                   {EFC_ITEM_MISSING_SHARE, "missing_share"},
                                   {EFC_ITEM_CLAMPED, "clamped"},
                                   {EFC_ITEM_CLAMPED_SHARE, "clamped_share"},
                                   {EFC_ITEM_MIN, "min"},
                                   {EFC_ITEM_Q1, "q1"},
                                   {EFC_ITEM_MEDIAN, "median"},
                                   {EFC_ITEM_Q3, "q3"},
                                   {EFC_ITEM_MAX, "max"},
                                   {EFC_ITEM_MEAN, "mean"},
                                   {EFC_ITEM_SD, "sd"},
                                   {EFC_ITEM_DISTINCT, "distinct"},
                                   {EFC_ITEM_OFF_LEVEL, "off_level"}};
static const named item_flag_names[] = {{EFC_ITEM_FLAG_NO_VARIANCE, "no_variance"},
                                        {EFC_ITEM_FLAG_FEW_ANSWERS, "few_answers"},
                                        {EFC_ITEM_FLAG_NEGATIVE_R, "negative_r"},
                                        {EFC_ITEM_FLAG_RAISES_ALPHA, "raises_alpha"}};
static const named perturbation_names[] = {{EFC_PERTURBATION_UNIFORM, "uniform"},
                                           {EFC_PERTURBATION_DIRICHLET, "dirichlet"}};
static const named input_kind_names[] = {{EFC_INPUT_WEIGHT, "weight"},
                                         {EFC_INPUT_AGGREGATION, "aggregation"}};
static const named sensitivity_names[] = {
    {EFC_SENSITIVITY_SCORE, "score"},         {EFC_SENSITIVITY_NOMINAL_RANK, "nominal_rank"},
    {EFC_SENSITIVITY_MEAN_RANK, "mean_rank"}, {EFC_SENSITIVITY_MEDIAN_RANK, "median_rank"},
    {EFC_SENSITIVITY_RANK_P05, "rank_p05"},   {EFC_SENSITIVITY_RANK_P95, "rank_p95"},
    {EFC_SENSITIVITY_RANK_MIN, "rank_min"},   {EFC_SENSITIVITY_RANK_MAX, "rank_max"},
    {EFC_SENSITIVITY_P_TOP, "p_top_k"},       {EFC_SENSITIVITY_RUNS_RANKED, "ranked_runs"}};
static const named sobol_names[] = {
    {EFC_SOBOL_FIRST, "first_order"},         {EFC_SOBOL_FIRST_Q05, "first_order_q05"},
    {EFC_SOBOL_FIRST_Q95, "first_order_q95"}, {EFC_SOBOL_TOTAL, "total_order"},
    {EFC_SOBOL_TOTAL_Q05, "total_order_q05"}, {EFC_SOBOL_TOTAL_Q95, "total_order_q95"}};
static const named reason_names[] = {{EFC_REASON_NONE, "none"},
                                     {EFC_REASON_DUPLICATE_ASSESSMENT, "duplicate_assessment"},
                                     {EFC_REASON_DUPLICATE_ID, "duplicate_id"},
                                     {EFC_REASON_DUPLICATE_COLUMN, "duplicate_column"},
                                     {EFC_REASON_MISSING_COLUMN, "missing_column"},
                                     {EFC_REASON_UNKNOWN_COLUMN, "unknown_column"},
                                     {EFC_REASON_FIELD_COUNT, "field_count"},
                                     {EFC_REASON_NOT_A_NUMBER, "not_a_number"},
                                     {EFC_REASON_NOT_FINITE, "not_finite"},
                                     {EFC_REASON_OUT_OF_RANGE, "out_of_range"},
                                     {EFC_REASON_LOG_DOMAIN, "log_domain"},
                                     {EFC_REASON_EMPTY_ID, "empty_id"},
                                     {EFC_REASON_BAD_TEXT, "bad_text"},
                                     {EFC_REASON_BAD_PERIOD, "bad_period"},
                                     {EFC_REASON_MIXED_PERIODS, "mixed_periods"},
                                     {EFC_REASON_UNKNOWN_NAME, "unknown_name"},
                                     {EFC_REASON_UNKNOWN_PARENT, "unknown_parent"},
                                     {EFC_REASON_SECOND_ROOT, "second_root"},
                                     {EFC_REASON_NEEDS_INDEX, "needs_index"}};
static const named step_names[] = {{EFC_STEP_DENOMINATOR, "denominator"},
                                   {EFC_STEP_IMPUTE, "impute"},
                                   {EFC_STEP_TREAT, "treat"},
                                   {EFC_STEP_NORMALISE, "normalise"}};
static const named impute_names[] = {{EFC_IMPUTE_NONE, "none"},
                                     {EFC_IMPUTE_MEAN, "mean"},
                                     {EFC_IMPUTE_MEDIAN, "median"},
                                     {EFC_IMPUTE_GROUP_MEAN, "group_mean"},
                                     {EFC_IMPUTE_GROUP_MEDIAN, "group_median"},
                                     {EFC_IMPUTE_LATEST, "latest"},
                                     {EFC_IMPUTE_LINEAR, "linear"},
                                     {EFC_IMPUTE_VALUE, "value"},
                                     {EFC_IMPUTE_GROUP_VALUE, "group_value"}};
static const named treat_names[] = {{EFC_TREAT_NONE, "none"},   {EFC_TREAT_WINSORISE, "winsorise"},
                                    {EFC_TREAT_LOG, "log"},     {EFC_TREAT_BOXCOX, "boxcox"},
                                    {EFC_TREAT_CLAMP, "clamp"}, {EFC_TREAT_SHIFTLOG, "shiftlog"}};
static const named treat_aliases[] = {{EFC_TREAT_WINSORISE, "winsorize"}};
static const named normalise_names[] = {
    {EFC_NORMALISE_GOALPOSTS, "goalposts"},     {EFC_NORMALISE_MINMAX, "minmax"},
    {EFC_NORMALISE_ZSCORE, "zscore"},           {EFC_NORMALISE_RANK, "rank"},
    {EFC_NORMALISE_PERCENTILE, "percentile"},   {EFC_NORMALISE_DIST2MAX, "dist2max"},
    {EFC_NORMALISE_DIST2TARGET, "dist2target"}, {EFC_NORMALISE_DIST2REF, "dist2ref"}};
static const named column_kind_names[] = {{EFC_COLUMN_NUMBER, "number"}, {EFC_COLUMN_TEXT, "text"}};
static const named stage_names[] = {{EFC_STAGE_RAW, "raw"},
                                    {EFC_STAGE_DENOMINATED, "denominated"},
                                    {EFC_STAGE_IMPUTED, "imputed"},
                                    {EFC_STAGE_TREATED, "treated"},
                                    {EFC_STAGE_NORMALISED, "normalised"},
                                    {EFC_STAGE_AGGREGATED, "aggregated"}};
static const named treatment_names[] = {{EFC_TREATMENT_LOW, "low"},
                                        {EFC_TREATMENT_HIGH, "high"},
                                        {EFC_TREATMENT_SKEW, "skew"},
                                        {EFC_TREATMENT_KURTOSIS, "kurtosis"},
                                        {EFC_TREATMENT_SKEW_AFTER, "skew_after"},
                                        {EFC_TREATMENT_KURTOSIS_AFTER, "kurtosis_after"},
                                        {EFC_TREATMENT_LOWER, "lower"},
                                        {EFC_TREATMENT_UPPER, "upper"},
                                        {EFC_TREATMENT_LAMBDA, "lambda"},
                                        {EFC_TREATMENT_SHIFT, "shift"}};

static const named layout_names[] = {{EFC_LAYOUT_ROW_MAJOR, "row_major"},
                                     {EFC_LAYOUT_COLUMN_MAJOR, "column_major"}};

/* Indexed by efc_enum_type. */
static const table tables[] = {
    TABLE(status_names),
    TABLE(node_kind_names),
    TABLE(aggregate_names),
    TABLE(direction_names),
    TABLE(transform_names),
    TABLE(text_kind_names),
    TABLE(pass_names),
    {encoding_names, N(encoding_names), encoding_aliases, N(encoding_aliases), 1},
    TABLE(date_format_names),
    TABLE(period_kind_names),
    TABLE(combine_names),
    TABLE(on_error_names),
    TABLE(trajectory_names),
    TABLE(comparison_names),
    TABLE(dominance_names),
    TABLE(rank_names),
    TABLE(stat_names),
    TABLE(scale_names),
    TABLE(scale_item_names),
    TABLE(item_names),
    TABLE(item_flag_names),
    TABLE(perturbation_names),
    TABLE(input_kind_names),
    TABLE(sensitivity_names),
    TABLE(sobol_names),
    TABLE(layout_names),
    TABLE(reason_names),
    TABLE(step_names),
    TABLE(impute_names),
    {treat_names, N(treat_names), treat_aliases, N(treat_aliases), 0},
    TABLE(normalise_names),
    TABLE(column_kind_names),
    TABLE(stage_names),
    TABLE(treatment_names),
};

static const table *table_of(efc_enum_type type)
{
    return (unsigned)type < N(tables) ? &tables[type] : NULL;
}

size_t efc_enum_count(efc_enum_type type)
{
    const table *t = table_of(type);
    return t ? t->count : 0;
}

int efc_enum_value(efc_enum_type type, size_t i)
{
    const table *t = table_of(type);
    return t && i < t->count ? t->names[i].value : -1;
}

const char *efc_enum_name(efc_enum_type type, int value)
{
    const table *t = table_of(type);
    for (size_t i = 0; t && i < t->count; i++)
        if (t->names[i].value == value)
            return t->names[i].name;
    return NULL;
}

static int same_name(const char *a, const char *b, int fold)
{
    if (!fold)
        return strcmp(a, b) == 0;
    for (;; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        if (x != *b)
            return 0;
        if (!x)
            return 1;
    }
}

const char *efc__enum_list(efc_enum_type type, const char *sep, char *buf, size_t cap)
{
    const table *t = table_of(type);
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (size_t i = 0; t && i < t->count && len < cap; i++) {
        int power = type == EFC_ENUM_AGGREGATE && t->names[i].value == EFC_AGGREGATE_POWER;
        int n = snprintf(buf + len, cap - len, "%s%s%s", i ? sep : "", t->names[i].name,
                         power ? ":P" : "");
        if (n < 0)
            break;
        len += (size_t)n;
    }
    return buf;
}

efc_status efc_enum_parse(int *out, efc_enum_type type, const char *name, efc_error *err)
{
    const table *t = table_of(type);
    if (!out || !name || !t)
        return efc__fail(err, EFC_ERR_ARGUMENT, "efc_enum_parse: %s",
                         !t ? "unknown enumeration" : "NULL argument");
    for (size_t i = 0; i < t->count; i++)
        if (same_name(name, t->names[i].name, t->fold_case)) {
            *out = t->names[i].value;
            return EFC_OK;
        }
    for (size_t i = 0; i < t->alias_count; i++)
        if (same_name(name, t->aliases[i].name, t->fold_case)) {
            *out = t->aliases[i].value;
            return EFC_OK;
        }
    /* the message lists the names, as a user needs them */
    char list[400];
    return efc__fail_r(err, EFC_ERR_NOT_FOUND, EFC_REASON_UNKNOWN_NAME, "'%.100s' is not one of %s",
                       name, efc__enum_list(type, ", ", list, sizeof list));
}

efc_status efc__aggregate_parse(efc_aggregate *agg, double *power, const char *text, char alt_sep,
                                efc_error *err)
{
    if (!agg || !power || !text)
        return efc__fail(err, EFC_ERR_ARGUMENT, "efc_aggregate_parse: NULL argument");
    if (strncmp(text, "power:", 6) == 0) {
        double p;
        efc__num_status ns = efc__parse_number(text + 6, strlen(text + 6), '.', alt_sep, &p);
        if (ns != EFC__NUM_OK)
            return efc__fail_r(err, EFC_ERR_VALUE, EFC_REASON_NOT_A_NUMBER,
                               "the exponent in '%.100s' is %s", text, efc__num_reason(ns));
        *agg = EFC_AGGREGATE_POWER;
        *power = p;
        return EFC_OK;
    }
    for (size_t i = 0; i < N(aggregate_names); i++)
        if (aggregate_names[i].value != EFC_AGGREGATE_POWER &&
            strcmp(text, aggregate_names[i].name) == 0) {
            *agg = (efc_aggregate)aggregate_names[i].value;
            *power = 0;
            return EFC_OK;
        }
    char list[100];
    return efc__fail_r(err, EFC_ERR_NOT_FOUND, EFC_REASON_UNKNOWN_NAME, "'%.100s' is not one of %s",
                       text, efc__enum_list(EFC_ENUM_AGGREGATE, ", ", list, sizeof list));
}

efc_status efc_aggregate_parse(efc_aggregate *agg, double *power, const char *text, efc_error *err)
{
    return efc__aggregate_parse(agg, power, text, 0, err);
}

efc_status efc_aggregate_format(char *buf, size_t cap, size_t *len, efc_aggregate agg, double power,
                                efc_error *err)
{
    char out[EFC__NUMBER_BUF + 8];
    const char *n = efc_enum_name(EFC_ENUM_AGGREGATE, (int)agg);
    if (!n || (agg == EFC_AGGREGATE_POWER && !isfinite(power)))
        return efc__fail(err, EFC_ERR_ARGUMENT, "efc_aggregate_format: %s",
                         !n ? "unknown method" : "the exponent is not finite");
    size_t k;
    if (agg == EFC_AGGREGATE_POWER) {
        memcpy(out, "power:", 6);
        k = 6 + efc__fmt_number(power, out + 6);
    } else {
        k = strlen(n);
        memcpy(out, n, k + 1);
    }
    if (len)
        *len = k;
    if (!buf || cap <= k)
        return efc__fail(err, EFC_ERR_ARGUMENT, "efc_aggregate_format: the buffer needs %zu bytes",
                         k + 1);
    memcpy(buf, out, k + 1);
    return EFC_OK;
}
