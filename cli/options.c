/* One option parser for every command, so that an option means the same
 * thing wherever it is accepted. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef enum opt_id { OPT_MODEL, OPT_OUTPUT, OPT_LANG, OPT_EXPORT, OPT_TEMPLATE, OPT_HELP } opt_id;

typedef struct opt_spec {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    int takes_value;
    int commands; /* CMD_* bits */
    opt_id id;
} opt_spec;

static const opt_spec specs[] = {
    {"model", 0, 1, CMD_MODEL, OPT_MODEL},       {"output", 'o', 1, CMD_MODEL, OPT_OUTPUT},
    {"lang", 0, 1, CMD_MODEL, OPT_LANG},         {"export", 0, 0, CMD_MODEL, OPT_EXPORT},
    {"template", 0, 0, CMD_MODEL, OPT_TEMPLATE}, {"help", 'h', 0, ~0, OPT_HELP},
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

static int apply(cli_options *o, const opt_spec *s, const char *value)
{
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
        o->lang = value;
        break;
    case OPT_EXPORT:
        o->export_codebook = 1;
        break;
    case OPT_TEMPLATE:
        o->template_header = 1;
        break;
    case OPT_HELP:
        o->help = 1;
        break;
    }
    return EXIT_DONE;
}

int cli_parse(cli_options *o, int command, const char *name, int argc, char **argv, int first)
{
    memset(o, 0, sizeof *o);
    o->command = name;
    int only_files = 0;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (only_files || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (o->file)
                return cli_usage(name, "more than one input file ('%s')", arg);
            o->file = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_files = 1;
            continue;
        }
        const char *value;
        const opt_spec *s = find(arg, &value);
        if (!s)
            return cli_usage(name, "unknown option '%s'", arg);
        if (!(s->commands & command))
            return cli_usage(name, "option '%s' does not apply to this command", arg);
        if (s->takes_value && !value) {
            if (i + 1 >= argc)
                return cli_usage(name, "option '%s' needs a value", arg);
            value = argv[++i];
        } else if (!s->takes_value && value) {
            char opt[64];
            snprintf(opt, sizeof opt, "--%s", s->name);
            return cli_usage(name, "option '%s' takes no value", opt);
        }
        int status = apply(o, s, value);
        if (status)
            return status;
    }
    return EXIT_DONE;
}
