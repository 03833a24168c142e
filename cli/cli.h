/* The efc command-line tool: shared declarations. The tool uses only the
 * public API of libefc. */
#ifndef EFC_CLI_H
#define EFC_CLI_H

#include <efc/efc.h>
#include <stdio.h>

#include "files.h"

/* Exit statuses of every command (docs/cli.md). */
enum {
    EXIT_DONE = 0,
    EXIT_DATA = 1,    /* bad data: stopped */
    EXIT_USAGE = 2,   /* bad command line */
    EXIT_IO = 3,      /* cannot read or write a file */
    EXIT_NOMEM = 4,   /* out of memory */
    EXIT_REJECTED = 5 /* finished in skip mode with rejected rows */
};

/* Options shared by the commands; each command accepts a subset. */
typedef struct cli_options {
    const char *command;
    int command_bit;        /* CMD_* */
    const char *model_path; /* --model */
    const char *output;     /* -o / --output */
    const char *lang;       /* --lang */
    int export_codebook;    /* model --export */
    int template_header;    /* model --template */
    int questionnaire;      /* model --questionnaire */
    const char *title;      /* report, chart --title */
    const char *actor;      /* chart --actor */
    int pages;              /* report --pages */
    int help;
    /* reading surveys */
    const char *id_column;
    const char *period_column; /* NULL: default */
    const char **groups;
    size_t ngroups;
    const char *delimiter;
    const char *encoding; /* as given; its value in encoding_value */
    efc_encoding encoding_value;
    int decimal_comma;
    efc_date_format date_format; /* --date-format (iso) */
    const char **na;
    size_t nna;
    int strict_range;
    int labels;            /* --labels: the texts of the items' levels as answers */
    efc_combine combine;   /* --combine (none) */
    efc_on_error on_error; /* --on-error (fail) */
    const char *rejects;
    /* writing scores */
    int scale; /* 1 or 100 */
    int coverage;
    int items;
    const char *output_dialect;
    int quiet;
    int jobs;         /* --jobs: 0 for one per core */
    const char *file; /* the positional input, NULL when none */
    /* the analysis verbs */
    double tolerance;      /* trajectory --tolerance; NaN: the library's default */
    int steps;             /* trajectory --steps */
    const char *actors;    /* compare --actors A,B,... */
    const char *node;      /* compare --node */
    const char *by;        /* rank --by */
    const char *at_period; /* rank, sensitivity, chart radar --at P|latest */
    int stats;             /* rank --stats */
    int decimals;          /* rank --decimals N; -1 when not given */
    size_t min_count;      /* reliability, items --min-answers N */
    double min_share;      /* --min-answers P% as a share */
    int min_answers_set;
    const char *keys; /* reliability, items --keys FILE */
    /* sensitivity */
    const char *nodes;         /* --nodes A,B,... */
    const char **aggregations; /* --aggregation NODE=M1,M2 (repeatable) */
    size_t naggregations;
    double spread;           /* --spread, -1 when not given */
    double dirichlet;        /* --dirichlet concentration, 0 when not given */
    size_t samples;          /* --samples (1000) */
    unsigned long long seed; /* --seed (1) */
    size_t top;              /* --top (10) */
    const char *sobol;       /* --sobol FILE */
    size_t bootstrap;        /* --bootstrap (1000) */
    int bootstrap_set;
    const char *runs; /* --runs FILE */
    /* index */
    double screen;                /* --screen SHARE (0: keep every row) */
    const char *stages;           /* --stages DIR */
    const char *reference_period; /* --reference-period P (NULL: every row) */
    /* model --fit */
    const char *fit;      /* --fit DATA */
    const char *fit_only; /* the first option given that applies with --fit only */
} cli_options;

/* Bits naming the commands an option applies to. */
enum {
    CMD_MODEL = 1 << 0,
    CMD_SCORE = 1 << 1,
    CMD_TRAJECTORY = 1 << 2,
    CMD_COMPARE = 1 << 3,
    CMD_RANK = 1 << 4,
    CMD_RELIABILITY = 1 << 5,
    CMD_ITEMS = 1 << 6,
    CMD_SENSITIVITY = 1 << 7,
    CMD_REPORT = 1 << 8,
    CMD_CHART = 1 << 9,
    CMD_INDEX = 1 << 10
};
/* The commands that draw: reports and single charts. */
#define CMD_GRAPHIC (CMD_REPORT | CMD_CHART)
/* The survey quality commands. */
#define CMD_QUALITY (CMD_RELIABILITY | CMD_ITEMS)
/* Reading options of surveys that efc index takes for its table. */
#define CMD_READ    (CMD_SURVEY | CMD_INDEX)
/* Commands that read a survey take its options. */
#define CMD_SURVEY                                                                                 \
    (CMD_SCORE | CMD_TRAJECTORY | CMD_COMPARE | CMD_RANK | CMD_QUALITY | CMD_SENSITIVITY |         \
     CMD_GRAPHIC)

/* Parse argv[first..argc) for `command` (one of CMD_*). Returns EXIT_DONE,
 * or EXIT_USAGE after printing the reason. cli_options_free releases it. */
int cli_parse(cli_options *o, int command, const char *name, int argc, char **argv, int first);
void cli_options_free(cli_options *o);

/* The library's survey options from the command line. Returns EXIT_DONE, or
 * EXIT_USAGE / EXIT_NOMEM after printing the reason. */
int cli_survey_options(const cli_options *o, efc_survey_options **out);

/* The pipeline's input (index_input.c): `file` (or "-": standard input,
 * called `name` in messages) read whole into *table with the reading
 * options, and *iopts from --id, --period-column, --screen,
 * --reference-period and --jobs; *id_name and *period_name (NULL: none)
 * are the columns chosen. Returns an exit status, messages printed. */
int cli_index_input(const cli_options *o, const char *file, const efc_model *m, const char *name,
                    const efc_survey_options *sopts, efc_table **table, efc_index_options **iopts,
                    const char **id_name, const char **period_name, efc_error *err);

/* Standard input read whole into *data (malloc'd; the caller frees it). */
int cli_read_stdin(char **data, size_t *size);

/* For the verbs that read surveys: a model with data-driven steps is
 * fitted on the input first (o->file, or `data` when not NULL: standard
 * input read whole), every row a unit of the fit (or, when a leaf imputes
 * by latest or linear, each unit and period), and *model replaced by the
 * fitted model; a note on stderr unless -q. Returns an exit status. */
int cli_fit_on_input(const cli_options *o, efc_model **model, const char *name,
                     const efc_survey_options *sopts, const void *data, size_t size,
                     efc_error *err);

/* Report a library failure on stderr and return the matching exit status. */
int cli_fail(const efc_error *err, efc_status st);
/* Report a usage error on stderr and return EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, const char *arg);

/* Load the model named by --model, or the embedded default. */
int cli_load_model(const cli_options *o, efc_model **model, efc_error *err);

/* Report a failed write or open with errno's reason; returns EXIT_IO. */
int cli_io_error(const char *path, const char *what);

/* Flush standard output at the end of a command; EXIT_IO on failure. */
int cli_finish_stdout(void);

/* The actors named by --actors `list` (comma-separated ids, blanks around
 * them ignored: "a, b" as typed), found in panel `p` read from `source`:
 * into *actors their indices and into *ids their ids (pointing into *copy),
 * *n of each; the caller frees the three, set even on failure. Returns
 * EXIT_DONE, or EXIT_DATA or EXIT_NOMEM after saying why (the first actor
 * not in the survey). */
int cli_actor_list(const efc_panel *p, const char *source, const char *list, char **copy,
                   const char ***ids, size_t **actors, size_t *n);

/* Seconds from `from` to `to` (CLOCK_MONOTONIC times), for progress lines. */
struct timespec;
double cli_seconds(const struct timespec *from, const struct timespec *to);

int cmd_model(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_trajectory(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_reliability(int argc, char **argv);
int cmd_items(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_chart(int argc, char **argv);

#endif
