/* One option parser for every command, so that an option means the same
 * thing wherever it is accepted. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef enum opt_id {
    OPT_MODEL,
    OPT_OUTPUT,
    OPT_LANG,
    OPT_EXPORT,
    OPT_TEMPLATE,
    OPT_HELP,
    OPT_ID,
    OPT_PERIOD,
    OPT_GROUP,
    OPT_DELIMITER,
    OPT_ENCODING,
    OPT_DECIMAL_COMMA,
    OPT_DATE_FORMAT,
    OPT_NA,
    OPT_STRICT_RANGE,
    OPT_LABELS,
    OPT_COMBINE,
    OPT_ON_ERROR,
    OPT_REJECTS,
    OPT_SCALE,
    OPT_COVERAGE,
    OPT_ITEMS,
    OPT_OUTPUT_DIALECT,
    OPT_QUIET,
    OPT_JOBS,
    OPT_PERIOD_COLUMN,
    OPT_AT,
    OPT_TOLERANCE,
    OPT_STEPS,
    OPT_ACTORS,
    OPT_NODE,
    OPT_BY,
    OPT_STATS,
    OPT_DECIMALS,
    OPT_MIN_ANSWERS,
    OPT_KEYS,
    OPT_NODES,
    OPT_AGGREGATION,
    OPT_SPREAD,
    OPT_DIRICHLET,
    OPT_SAMPLES,
    OPT_SEED,
    OPT_TOP,
    OPT_SOBOL,
    OPT_BOOTSTRAP,
    OPT_RUNS,
    OPT_QUESTIONNAIRE,
    OPT_TITLE,
    OPT_ACTOR,
    OPT_PAGES,
    OPT_SCREEN,
    OPT_STAGES,
    OPT_REFERENCE_PERIOD,
    OPT_FIT
} opt_id;

typedef struct opt_spec {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    int takes_value;
    int commands; /* CMD_* bits */
    opt_id id;
} opt_spec;

static const opt_spec specs[] = {
    {"model", 0, 1, CMD_MODEL | CMD_READ, OPT_MODEL},
    {"output", 'o', 1, CMD_MODEL | CMD_READ, OPT_OUTPUT},
    {"lang", 0, 1, CMD_MODEL | CMD_GRAPHIC, OPT_LANG},
    {"export", 0, 0, CMD_MODEL, OPT_EXPORT},
    {"template", 0, 0, CMD_MODEL, OPT_TEMPLATE},
    {"questionnaire", 0, 0, CMD_MODEL, OPT_QUESTIONNAIRE},
    {"help", 'h', 0, ~0, OPT_HELP},
    {"id", 0, 1, CMD_READ | CMD_MODEL, OPT_ID},
    {"period", 0, 1, CMD_READ | CMD_MODEL, OPT_PERIOD},
    {"group", 0, 1, CMD_SURVEY & ~CMD_QUALITY, OPT_GROUP},
    {"delimiter", 0, 1, CMD_READ | CMD_MODEL, OPT_DELIMITER},
    {"encoding", 0, 1, CMD_READ | CMD_MODEL, OPT_ENCODING},
    {"decimal-comma", 0, 0, CMD_READ | CMD_MODEL, OPT_DECIMAL_COMMA},
    {"date-format", 0, 1, CMD_SURVEY, OPT_DATE_FORMAT},
    {"na", 0, 1, CMD_READ | CMD_MODEL, OPT_NA},
    {"strict-range", 0, 0, CMD_SURVEY, OPT_STRICT_RANGE},
    {"labels", 0, 0, CMD_SURVEY, OPT_LABELS},
    {"combine", 0, 1, CMD_SURVEY, OPT_COMBINE},
    {"on-error", 0, 1, CMD_SURVEY, OPT_ON_ERROR},
    {"rejects", 0, 1, CMD_SURVEY, OPT_REJECTS},
    {"scale", 0, 1, CMD_SURVEY & ~(CMD_QUALITY | CMD_GRAPHIC), OPT_SCALE},
    {"coverage", 0, 0, CMD_SCORE, OPT_COVERAGE},
    {"items", 0, 0, CMD_SURVEY & ~(CMD_QUALITY | CMD_GRAPHIC | CMD_SENSITIVITY), OPT_ITEMS},
    {"output-dialect", 0, 1, CMD_SURVEY & ~CMD_GRAPHIC, OPT_OUTPUT_DIALECT},
    {"quiet", 'q', 0, CMD_READ | CMD_MODEL, OPT_QUIET},
    {"jobs", 'j', 1, CMD_SURVEY | CMD_INDEX | CMD_MODEL, OPT_JOBS},
    {"period-column", 0, 1, CMD_READ | CMD_MODEL, OPT_PERIOD_COLUMN},
    {"at", 0, 1, CMD_RANK | CMD_SENSITIVITY | CMD_CHART, OPT_AT},
    {"tolerance", 0, 1, CMD_TRAJECTORY | CMD_GRAPHIC, OPT_TOLERANCE},
    {"steps", 0, 0, CMD_TRAJECTORY, OPT_STEPS},
    {"actors", 0, 1, CMD_COMPARE | CMD_REPORT, OPT_ACTORS},
    {"actor", 0, 1, CMD_CHART, OPT_ACTOR},
    {"node", 0, 1, CMD_COMPARE | CMD_CHART, OPT_NODE},
    {"title", 0, 1, CMD_GRAPHIC, OPT_TITLE},
    {"pages", 0, 0, CMD_REPORT, OPT_PAGES},
    {"by", 0, 1, CMD_RANK | CMD_SENSITIVITY, OPT_BY},
    {"stats", 0, 0, CMD_RANK, OPT_STATS},
    {"decimals", 0, 1, CMD_RANK, OPT_DECIMALS},
    {"min-answers", 0, 1, CMD_QUALITY, OPT_MIN_ANSWERS},
    {"keys", 0, 1, CMD_QUALITY | CMD_SCORE, OPT_KEYS},
    {"nodes", 0, 1, CMD_SENSITIVITY, OPT_NODES},
    {"aggregation", 0, 1, CMD_SENSITIVITY, OPT_AGGREGATION},
    {"spread", 0, 1, CMD_SENSITIVITY, OPT_SPREAD},
    {"dirichlet", 0, 1, CMD_SENSITIVITY, OPT_DIRICHLET},
    {"samples", 0, 1, CMD_SENSITIVITY, OPT_SAMPLES},
    {"seed", 0, 1, CMD_SENSITIVITY, OPT_SEED},
    {"top", 0, 1, CMD_SENSITIVITY, OPT_TOP},
    {"sobol", 0, 1, CMD_SENSITIVITY, OPT_SOBOL},
    {"bootstrap", 0, 1, CMD_SENSITIVITY, OPT_BOOTSTRAP},
    {"runs", 0, 1, CMD_SENSITIVITY, OPT_RUNS},
    {"screen", 0, 1, CMD_INDEX | CMD_MODEL, OPT_SCREEN},
    {"stages", 0, 1, CMD_INDEX, OPT_STAGES},
    {"reference-period", 0, 1, CMD_INDEX | CMD_MODEL, OPT_REFERENCE_PERIOD},
    {"fit", 0, 1, CMD_MODEL, OPT_FIT},
};

static const opt_spec *find(const char *arg, const char **value)
{
    *value = NULL;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const opt_spec *s = &specs[i];
        if (arg[1] == '-') {
            size_t n = strlen(s->name);
            if (strncmp(arg + 2, s->name, n) == 0 && (arg[2 + n] == '\0' || arg[2 + n] == '=')) {
                if (arg[2 + n] == '=')
                    *value = arg + 3 + n;
                return s;
            }
        } else if (s->short_name && arg[1] == s->short_name) {
            if (arg[2])
                *value = arg + 2;
            return s;
        }
    }
    return NULL;
}

/* A value of one of the library's enumerations, named as the library
 * names it (efc/names.h): the message lists the names accepted. */
static int enum_value(cli_options *o, const char *option, const char *value, efc_enum_type type,
                      int *out)
{
    efc_error *err = NULL;
    if (efc_error_create(&err, NULL) != EFC_OK) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    int status = EXIT_DONE;
    if (efc_enum_parse(out, type, value, err) != EFC_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: %s", option, efc_error_message(err));
        status = cli_usage(o->command, "%s", msg);
    }
    efc_error_free(err);
    return status;
}

static int one_of(cli_options *o, const char *option, const char *value, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(value, allowed[i]) == 0)
            return EXIT_DONE;
    char msg[160];
    snprintf(msg, sizeof msg, "%s: '%%s' is not one of", option);
    for (size_t i = 0; allowed[i]; i++) {
        strncat(msg, " ", sizeof msg - strlen(msg) - 1);
        strncat(msg, allowed[i], sizeof msg - strlen(msg) - 1);
    }
    return cli_usage(o->command, msg, value);
}

/* A whole number written in digits only, from lo to hi. */
static int whole(const char *value, unsigned long long lo, unsigned long long hi,
                 unsigned long long *out)
{
    size_t digits = strspn(value, "0123456789");
    if (!digits || value[digits] || digits > 20)
        return 0;
    errno = 0;
    unsigned long long v = strtoull(value, NULL, 10);
    if (errno || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* A decimal number (digits, an optional point and digits): no sign, no
 * exponent, nothing else strtod would also take. */
static int decimal(const char *value, double *out)
{
    size_t digits = strspn(value, "0123456789"), frac = 0;
    if (value[digits] == '.')
        frac = 1 + strspn(value + digits + 1, "0123456789");
    if (!digits || value[digits + frac] || frac == 1)
        return 0;
    *out = strtod(value, NULL);
    return 1;
}

static int apply(cli_options *o, const opt_spec *s, const char *value)
{
    static const char *const dialects[] = {"csv", "excel-fr", NULL};
    int named = 0, status;
    switch (s->id) {
    case OPT_MODEL:
        o->model_path = value;
        break;
    case OPT_OUTPUT:
        o->output = value;
        break;
    case OPT_LANG:
        if (strlen(value) != 2 || value[0] < 'a' || value[0] > 'z' || value[1] < 'a' ||
            value[1] > 'z')
            return cli_usage(o->command, "--lang needs a two-letter language code, got '%s'",
                             value);
        /* reports speak English and French: their words are the tool's */
        if ((o->command_bit & CMD_GRAPHIC) && strcmp(value, "en") && strcmp(value, "fr"))
            return cli_usage(o->command, "--lang: '%s' is not one of en fr", value);
        o->lang = value;
        break;
    case OPT_EXPORT:
        o->export_codebook = 1;
        break;
    case OPT_TEMPLATE:
        o->template_header = 1;
        break;
    case OPT_QUESTIONNAIRE:
        o->questionnaire = 1;
        break;
    case OPT_TITLE:
        o->title = value;
        break;
    case OPT_ACTOR:
        o->actor = value;
        break;
    case OPT_PAGES:
        o->pages = 1;
        break;
    case OPT_HELP:
        o->help = 1;
        break;
    case OPT_ID:
        o->id_column = value;
        break;
    case OPT_PERIOD:
        /* It meant the period column in some verbs and the period chosen in
         * others; each meaning has its own name now, and the old spelling
         * says which for one release before it goes. */
        if (o->command_bit & (CMD_RANK | CMD_SENSITIVITY | CMD_CHART))
            return cli_usage(o->command,
                             "--period is now --at '%s' for the period chosen (--period-column "
                             "COL names the period column, on every command)",
                             value);
        return cli_usage(o->command,
                         "--period is now --period-column '%s' for the period column, on every "
                         "command (--at P chooses a period in rank, sensitivity and chart radar)",
                         value);
    case OPT_AT:
        /* the library names each actor's latest assessment by NULL */
        o->at_period = strcmp(value, "latest") == 0 ? NULL : value;
        break;
    case OPT_PERIOD_COLUMN:
        o->period_column = value;
        break;
    case OPT_GROUP:
        o->groups[o->ngroups++] = value;
        break;
    case OPT_DELIMITER:
        o->delimiter = value;
        break;
    case OPT_ENCODING:
        if ((status = enum_value(o, "--encoding", value, EFC_ENUM_ENCODING, &named)))
            return status;
        o->encoding = value;
        o->encoding_value = (efc_encoding)named;
        break;
    case OPT_DECIMAL_COMMA:
        o->decimal_comma = 1;
        break;
    case OPT_DATE_FORMAT:
        if ((status = enum_value(o, "--date-format", value, EFC_ENUM_DATE_FORMAT, &named)))
            return status;
        o->date_format = (efc_date_format)named;
        break;
    case OPT_NA:
        o->na[o->nna++] = value;
        break;
    case OPT_STRICT_RANGE:
        o->strict_range = 1;
        break;
    case OPT_LABELS:
        o->labels = 1;
        break;
    case OPT_COMBINE:
        if ((status = enum_value(o, "--combine", value, EFC_ENUM_COMBINE, &named)))
            return status;
        o->combine = (efc_combine)named;
        break;
    case OPT_ON_ERROR:
        if ((status = enum_value(o, "--on-error", value, EFC_ENUM_ON_ERROR, &named)))
            return status;
        o->on_error = (efc_on_error)named;
        break;
    case OPT_REJECTS:
        o->rejects = value;
        break;
    case OPT_SCALE:
        if (strcmp(value, "1") && strcmp(value, "100"))
            return cli_usage(o->command, "--scale: '%s' is not one of 1 100", value);
        o->scale = atoi(value);
        break;
    case OPT_COVERAGE:
        o->coverage = 1;
        break;
    case OPT_ITEMS:
        o->items = 1;
        break;
    case OPT_OUTPUT_DIALECT:
        o->output_dialect = value;
        return one_of(o, "--output-dialect", value, dialects);
    case OPT_QUIET:
        o->quiet = 1;
        break;
    case OPT_TOLERANCE: {
        char *end;
        double t = strtod(value, &end);
        if (!*value || *end || !(t >= 0 && t <= 1))
            return cli_usage(o->command,
                             "--tolerance needs a number from 0 to 1 (on the scale of scores "
                             "from 0 to 1), got '%s'",
                             value);
        o->tolerance = t;
        break;
    }
    case OPT_MIN_ANSWERS: {
        /* a count of rows (digits), or a share of them written as a
         * percentage (digits, a point and digits, then %): no sign, no
         * exponent, no hexadecimal, nothing strtod would also take */
        size_t digits = strspn(value, "0123456789"), len = strlen(value);
        int pct = len > 0 && value[len - 1] == '%';
        size_t frac = pct && value[digits] == '.' ? strspn(value + digits + 1, "0123456789") : 0;
        size_t body = digits + (pct && value[digits] == '.' ? 1 + frac : 0);
        double v = strtod(value, NULL);
        if (!digits || body + (size_t)pct != len || digits > 12 || (pct && v > 100))
            return cli_usage(o->command,
                             "--min-answers needs a count of answers (30) or a percentage of "
                             "the rows (50%%), got '%s'",
                             value);
        o->min_count = pct ? 0 : (size_t)v;
        o->min_share = pct ? v / 100 : 0;
        o->min_answers_set = 1;
        break;
    }
    case OPT_KEYS:
        o->keys = value;
        break;
    case OPT_STEPS:
        o->steps = 1;
        break;
    case OPT_ACTORS:
        o->actors = value;
        break;
    case OPT_NODE:
        o->node = value;
        break;
    case OPT_BY:
        o->by = value;
        break;
    case OPT_STATS:
        o->stats = 1;
        break;
    case OPT_DECIMALS: {
        unsigned long long v;
        if (!whole(value, 0, 12, &v))
            return cli_usage(o->command,
                             "--decimals needs a number of decimals from 0 to 12, got '%s'", value);
        o->decimals = (int)v;
        break;
    }
    case OPT_NODES:
        o->nodes = value;
        break;
    case OPT_AGGREGATION:
        o->aggregations[o->naggregations++] = value;
        break;
    case OPT_SPREAD:
        if (!decimal(value, &o->spread) || !(o->spread < 1))
            return cli_usage(o->command,
                             "--spread needs a share of each weight from 0 to below 1 (0.25 for "
                             "+/-25 %%), got '%s'",
                             value);
        break;
    case OPT_DIRICHLET:
        if (!decimal(value, &o->dirichlet) || !(o->dirichlet >= 1e-6 && o->dirichlet < 1e300))
            return cli_usage(o->command,
                             "--dirichlet needs a concentration of at least 0.000001 (a larger "
                             "one keeps the weights closer to the model's), got '%s'",
                             value);
        break;
    case OPT_SAMPLES:
    case OPT_TOP:
    case OPT_BOOTSTRAP:
    case OPT_SEED: {
        unsigned long long v;
        const char *what = s->id == OPT_SAMPLES ? "--samples needs a number of runs from 2 to "
                                                  "4294967295, got '%s'"
                           : s->id == OPT_TOP   ? "--top needs a number of actors of at least 1, "
                                                  "got '%s'"
                           : s->id == OPT_SEED  ? "--seed needs a whole number from 0 to "
                                                  "18446744073709551615, got '%s'"
                                                : "--bootstrap needs a number of resamples from 0 "
                                                  "to 1000000, got '%s'";
        unsigned long long lo = s->id == OPT_SAMPLES ? 2 : s->id == OPT_TOP ? 1 : 0;
        unsigned long long hi = s->id == OPT_SAMPLES     ? 4294967295u
                                : s->id == OPT_BOOTSTRAP ? 1000000
                                                         : ~0ull;
        if (!whole(value, lo, hi, &v))
            return cli_usage(o->command, what, value);
        if (s->id == OPT_SAMPLES)
            o->samples = (size_t)v;
        else if (s->id == OPT_TOP)
            o->top = (size_t)(v > SIZE_MAX ? SIZE_MAX : v);
        else if (s->id == OPT_SEED)
            o->seed = v;
        else {
            o->bootstrap = (size_t)v;
            o->bootstrap_set = 1;
        }
        break;
    }
    case OPT_SOBOL:
        o->sobol = value;
        break;
    case OPT_RUNS:
        o->runs = value;
        break;
    case OPT_SCREEN:
        if (!decimal(value, &o->screen) || !(o->screen <= 1))
            return cli_usage(o->command,
                             "--screen needs a share of the leaves from 0 to 1 (0.65 keeps the "
                             "rows with at least 65 %% of them), got '%s'",
                             value);
        break;
    case OPT_STAGES:
        o->stages = value;
        break;
    case OPT_FIT:
        if (!value[0])
            return cli_usage(o->command, "%s", "--fit needs a data file (or - for standard input)");
        o->fit = value;
        break;
    case OPT_REFERENCE_PERIOD:
        if (!value[0])
            return cli_usage(o->command, "--reference-period needs a period, as the %s",
                             "period column writes it");
        o->reference_period = value;
        break;
    case OPT_JOBS: {
        char *end;
        long n = strtol(value, &end, 10);
        if (*value < '0' || *value > '9' || *end || n < 1 || n > 1024)
            return cli_usage(o->command,
                             "--jobs needs a number of threads from 1 to 1024, got '%s'", value);
        o->jobs = (int)n;
        break;
    }
    }
    return EXIT_DONE;
}

void cli_options_free(cli_options *o)
{
    free((void *)o->groups);
    free((void *)o->na);
    free((void *)o->aggregations);
    o->groups = o->na = o->aggregations = NULL;
}

int cli_parse(cli_options *o, int command, const char *name, int argc, char **argv, int first)
{
    memset(o, 0, sizeof *o);
    o->command = name;
    o->command_bit = command;
    o->scale = 1;
    o->tolerance = NAN; /* the library's default */
    /* repeated options point into argv: at most argc of them */
    o->groups = malloc((size_t)argc * sizeof *o->groups);
    o->na = malloc((size_t)argc * sizeof *o->na);
    o->aggregations = malloc((size_t)argc * sizeof *o->aggregations);
    o->spread = -1;
    o->samples = 1000;
    o->seed = 1;
    o->top = 10;
    o->bootstrap = 1000;
    o->decimals = -1;
    if (!o->groups || !o->na || !o->aggregations) {
        cli_options_free(o);
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    int only_files = 0;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        int status = EXIT_DONE;
        if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->file)
                status = cli_usage(name, "more than one input file ('%s')", arg);
            o->file = arg;
        } else if (strcmp(arg, "--") == 0) {
            only_files = 1;
        } else {
            const char *value;
            const opt_spec *s = find(arg, &value);
            char opt[64];
            snprintf(opt, sizeof opt, "--%s", s ? s->name : "");
            if (!s)
                status = cli_usage(name, "unknown option '%s'", arg);
            else if (!(s->commands & command))
                status = cli_usage(name, "option '%s' does not apply to this command", opt);
            else if (s->takes_value && !value && i + 1 >= argc)
                status = cli_usage(name, "option '%s' needs a value", opt);
            else if (!s->takes_value && value)
                status = cli_usage(name, "option '%s' takes no value", opt);
            else
                status = apply(o, s, s->takes_value && !value ? argv[++i] : value);
            /* efc model reads data only to fit: its reading options need --fit */
            if (!status && command == CMD_MODEL && (s->commands & CMD_INDEX) &&
                s->id != OPT_MODEL && s->id != OPT_OUTPUT && !o->fit_only)
                o->fit_only = s->name;
        }
        if (status) {
            cli_options_free(o);
            return status;
        }
    }
    return EXIT_DONE;
}

/* A delimiter given by name or as one character. */
static int delimiter_char(const char *v, char *out)
{
    static const struct {
        const char *name;
        char c;
    } names[] = {{"comma", ','}, {"semicolon", ';'}, {"tab", '\t'}, {"\\t", '\t'}, {"pipe", '|'}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(v, names[i].name) == 0) {
            *out = names[i].c;
            return 1;
        }
    if (strlen(v) == 1) {
        *out = v[0];
        return 1;
    }
    return 0;
}

int cli_survey_options(const cli_options *o, efc_survey_options **out)
{
    efc_survey_options *so = NULL;
    efc_error *err = NULL;
    int status = EXIT_DONE;
    if (efc_error_create(&err, NULL) || efc_survey_options_create(&so, NULL, err)) {
        efc_error_free(err);
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    efc_status st = EFC_OK;
    const char *what = NULL;
    if (!st && o->id_column && (st = efc_survey_options_set_id_column(so, o->id_column, err)))
        what = "--id";
    if (!st && o->period_column &&
        (st = efc_survey_options_set_period_column(so, o->period_column, err)))
        what = "--period";
    for (size_t g = 0; !st && g < o->ngroups; g++)
        if ((st = efc_survey_options_add_group_column(so, o->groups[g], err)))
            what = "--group";
    if (!st && o->decimal_comma && (st = efc_survey_options_set_decimal_comma(so, 1, err)))
        what = "--decimal-comma";
    if (!st && o->delimiter) {
        char d;
        if (!delimiter_char(o->delimiter, &d)) {
            status = cli_usage(o->command,
                               "--delimiter: '%s' is not one character or comma, semicolon, "
                               "tab, pipe",
                               o->delimiter);
            goto done;
        }
        if ((st = efc_survey_options_set_delimiter(so, d, err)))
            what = "--delimiter";
    }
    if (!st && o->encoding)
        st = efc_survey_options_set_encoding(so, o->encoding_value, err);
    if (!st)
        st = efc_survey_options_set_date_format(so, o->date_format, err);
    for (size_t i = 0; !st && i < o->nna; i++)
        if ((st = efc_survey_options_add_na_token(so, o->na[i], err)))
            what = "--na";
    if (!st && o->strict_range)
        st = efc_survey_options_set_strict_range(so, 1, err);
    if (!st && o->labels)
        st = efc_survey_options_set_labels(so, 1, err);
    if (!st)
        st = efc_survey_options_set_combine(so, o->combine, err);
    if (!st)
        st = efc_survey_options_set_on_error(so, o->on_error, err);
    if (!st)
        st = efc_survey_options_set_threads(so, (unsigned)o->jobs, err);
    if (st == EFC_ERR_ARGUMENT) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: %s", what ? what : "option", efc_error_message(err));
        status = cli_usage(o->command, "%s", msg);
    } else if (st) {
        status = cli_fail(err, st);
    }
done:
    efc_error_free(err);
    if (status) {
        efc_survey_options_free(so);
        return status;
    }
    *out = so;
    return EXIT_DONE;
}
