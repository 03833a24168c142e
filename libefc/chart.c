/* Charts as SVG text (efc/chart.h): the markup primitives (escaped text,
 * coordinates without the locale, the frame and the style sheet) and the
 * radar. The chart is built in an efc__strbuf and copied out as
 * efc_model_export_buffer copies a codebook. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "efc/efc.h"
#include "error_internal.h"
#include "strbuf.h"

struct efc_chart_options {
    efc_allocator alloc;
    char *title, *label, *series, *median_series, *threshold, *lang;
    int standalone;
};

/* The colour of chart frames, used nowhere else in a report or a chart
 * (the command-line tool's tests count charts by it). */
#define FRAME_COLOUR "#7a3e9d"

/* Classes rather than presentation attributes: each element stays short,
 * which counts in a report of thousands of charts. */
static const char style[] =
    ".chart{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:11px}"
    ".chart .frame{fill:#fff;stroke:" FRAME_COLOUR ";stroke-width:2}"
    ".chart .grid{fill:none;stroke:#d5d8de;stroke-width:1}"
    ".chart .spoke{stroke:#c3c7cf;stroke-width:1}"
    ".chart .tick{fill:#5f6670;font-size:9px}"
    ".chart .axis{fill:#1d2330;font-size:11px}"
    ".chart .title{fill:#1d2330;font-size:13px;font-weight:bold}"
    ".chart .panel{fill:#1d2330;font-size:11px;font-weight:bold}"
    ".chart .actor{fill:#1f6fb2;fill-opacity:.22;stroke:#1f6fb2;stroke-width:2}"
    ".chart .median{fill:none;stroke:#d9730d;stroke-width:2;stroke-dasharray:6 4}"
    ".chart .pt{fill:#1f6fb2}"
    ".chart .line{fill:none;stroke:#1f6fb2;stroke-width:2}"
    ".chart .thr{stroke:#5f6670;stroke-width:1.5;stroke-dasharray:2 3}"
    ".chart .thrbar{stroke:#39404c;stroke-width:2.5}"
    ".chart .tr{stroke:#c62828;stroke-width:3.5}"
    ".chart .trm{fill:#c62828}"
    ".chart .sw-actor{fill:#1f6fb2;fill-opacity:.5;stroke:#1f6fb2}"
    ".chart .sw-median{stroke:#d9730d;stroke-width:2;stroke-dasharray:6 4}"
    ".chart .missing{fill:#5f6670;font-style:italic}";

const char *efc_chart_style(void)
{
    return style;
}

/* ---- options ---- */

efc_status efc_chart_options_create(efc_chart_options **out, const efc_allocator *alloc,
                                    efc_error *err)
{
    if (!out)
        return efc__fail(err, EFC_ERR_ARGUMENT, "out is NULL");
    *out = NULL;
    efc_status st = EFC_OK;
    efc_chart_options *o = EFC__NEW(efc_chart_options, alloc, &st, err);
    if (!o)
        return st;
    o->standalone = 1;
    o->label = efc__strdup(&o->alloc, "Radar chart");
    o->series = efc__strdup(&o->alloc, "Scores");
    o->median_series = efc__strdup(&o->alloc, "Median");
    o->threshold = efc__strdup(&o->alloc, "Threshold");
    if (!o->label || !o->series || !o->median_series || !o->threshold) {
        efc_chart_options_free(o);
        return efc__nomem(err);
    }
    *out = o;
    return EFC_OK;
}

void efc_chart_options_free(efc_chart_options *opts)
{
    if (!opts)
        return;
    efc_allocator copy = opts->alloc;
    char *texts[] = {opts->title,         opts->label,     opts->series,
                     opts->median_series, opts->threshold, opts->lang};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        efc__free(&copy, texts[i]);
    efc__free(&copy, opts);
}

/* Replace *slot by a copy of s (NULL allowed when `nullable`). */
static efc_status set_text(efc_chart_options *o, char **slot, const char *s, int nullable,
                           const char *what, efc_error *err)
{
    if (!o)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (!s && !nullable)
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s is NULL", what);
    char *copy = NULL;
    if (s && !(copy = efc__strdup(&o->alloc, s)))
        return efc__nomem(err);
    efc__free(&o->alloc, *slot);
    *slot = copy;
    return EFC_OK;
}

efc_status efc_chart_options_set_title(efc_chart_options *opts, const char *title, efc_error *err)
{
    return set_text(opts, opts ? &opts->title : NULL, title, 1, "title", err);
}

efc_status efc_chart_options_set_label(efc_chart_options *opts, const char *label, efc_error *err)
{
    return set_text(opts, opts ? &opts->label : NULL, label, 0, "label", err);
}

efc_status efc_chart_options_set_series(efc_chart_options *opts, const char *series, efc_error *err)
{
    return set_text(opts, opts ? &opts->series : NULL, series, 0, "series", err);
}

efc_status efc_chart_options_set_median_series(efc_chart_options *opts, const char *series,
                                               efc_error *err)
{
    return set_text(opts, opts ? &opts->median_series : NULL, series, 0, "median series", err);
}

efc_status efc_chart_options_set_threshold_text(efc_chart_options *opts, const char *text,
                                                efc_error *err)
{
    return set_text(opts, opts ? &opts->threshold : NULL, text, 0, "threshold text", err);
}

efc_status efc_chart_options_set_lang(efc_chart_options *opts, const char *lang, efc_error *err)
{
    return set_text(opts, opts ? &opts->lang : NULL, lang && *lang ? lang : NULL, 1, "lang", err);
}

efc_status efc_chart_options_set_standalone(efc_chart_options *opts, int standalone, efc_error *err)
{
    if (!opts)
        return efc__fail(err, EFC_ERR_ARGUMENT, "options is NULL");
    if (standalone != 0 && standalone != 1)
        return efc__fail(err, EFC_ERR_ARGUMENT, "standalone must be 0 or 1, got %d", standalone);
    opts->standalone = standalone;
    return EFC_OK;
}

/* ---- markup ---- */

typedef efc__strbuf out_t;

/* The length of the well-formed UTF-8 character at p (at most `left`
 * bytes), or 0 when the bytes there are not one: a stray continuation
 * byte, a truncated sequence, an overlong form, a surrogate, a code point
 * past U+10FFFF, or U+FFFE and U+FFFF, which XML cannot hold either. */
static size_t utf8_char(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    if (c < 0xc2 || c > 0xf4 || left < len)
        return 0;
    unsigned cp = c & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3fu);
    }
    static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
        cp == 0xffff)
        return 0;
    return len;
}

/* The first n bytes of s escaped for XML and HTML text and attribute
 * values alike (& < > " '); control characters (but tabs and line ends)
 * and bytes that start no well-formed character as U+FFFD. */
static void text_n(out_t *o, const char *s, size_t n)
{
    const char *run = s, *end = s + n;
    for (const char *p = s; p < end; p++) {
        const char *rep = NULL;
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                rep = "\xef\xbf\xbd";
            else if (c >= 0x80) {
                size_t len = utf8_char((const unsigned char *)p, (size_t)(end - p));
                if (len) {
                    p += len - 1; /* a whole character, copied with the run */
                    continue;
                }
                rep = "\xef\xbf\xbd";
            }
        }
        if (rep) {
            efc__strbuf_append(o, run, (size_t)(p - run));
            efc__strbuf_puts(o, rep);
            run = p + 1;
        }
    }
    efc__strbuf_append(o, run, (size_t)(end - run));
}

static void text(out_t *o, const char *s)
{
    text_n(o, s ? s : "", s ? strlen(s) : 0);
}

/* A coordinate rounded to one decimal ("12.5", "-3", "100"): integer
 * tenths, no printf of a double, so no locale can turn the point into a
 * comma. */
static void num(out_t *o, double v)
{
    if (!isfinite(v))
        v = 0;
    int64_t n = (int64_t)(fabs(v) * 10 + 0.5);
    char t[32];
    snprintf(t, sizeof t, "%s%lld", v < 0 && n ? "-" : "", (long long)(n / 10));
    efc__strbuf_puts(o, t);
    if (n % 10) {
        snprintf(t, sizeof t, ".%d", (int)(n % 10));
        efc__strbuf_puts(o, t);
    }
}

/* ` name="v"` */
static void attr(out_t *o, const char *name, double v)
{
    efc__strbuf_putc(o, ' ');
    efc__strbuf_puts(o, name);
    efc__strbuf_puts(o, "=\"");
    num(o, v);
    efc__strbuf_putc(o, '"');
}

static void begin(out_t *o, double w, double h, const char *cls, const char *label, int standalone)
{
    if (standalone)
        efc__strbuf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    efc__strbuf_puts(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ");
    efc__strbuf_puts(o, cls);
    efc__strbuf_putc(o, '"');
    attr(o, "width", w);
    attr(o, "height", h);
    efc__strbuf_puts(o, " viewBox=\"0 0 ");
    num(o, w);
    efc__strbuf_putc(o, ' ');
    num(o, h);
    efc__strbuf_puts(o, "\" role=\"img\" aria-label=\"");
    text(o, label);
    efc__strbuf_puts(o, "\"><title>");
    text(o, label);
    efc__strbuf_puts(o, "</title>\n");
    if (standalone) {
        efc__strbuf_puts(o, "<style>");
        efc__strbuf_puts(o, style);
        efc__strbuf_puts(o, "</style>\n");
    }
    /* whole pixels and crisp edges: the frame keeps its exact colour */
    efc__strbuf_puts(o, "<rect class=\"frame\" shape-rendering=\"crispEdges\" x=\"1\" y=\"1\"");
    attr(o, "width", w - 2);
    attr(o, "height", h - 2);
    efc__strbuf_puts(o, "/>\n");
}

/* A text element: class cls, anchor "start", "middle" or "end". */
static void text_at(out_t *o, double x, double y, const char *cls, const char *anchor,
                    const char *s)
{
    efc__strbuf_puts(o, "<text class=\"");
    efc__strbuf_puts(o, cls);
    efc__strbuf_putc(o, '"');
    attr(o, "x", x);
    attr(o, "y", y);
    if (strcmp(anchor, "start") != 0) {
        efc__strbuf_puts(o, " text-anchor=\"");
        efc__strbuf_puts(o, anchor);
        efc__strbuf_putc(o, '"');
    }
    efc__strbuf_putc(o, '>');
    text(o, s);
    efc__strbuf_puts(o, "</text>\n");
}

static void line(out_t *o, const char *cls, double x1, double y1, double x2, double y2)
{
    efc__strbuf_puts(o, "<line class=\"");
    efc__strbuf_puts(o, cls);
    efc__strbuf_putc(o, '"');
    attr(o, "x1", x1);
    attr(o, "y1", y1);
    attr(o, "x2", x2);
    attr(o, "y2", y2);
    efc__strbuf_puts(o, "/>\n");
}

/* ---- the radar ---- */

#define WIDTH   540.0
#define RADIUS  112.0
#define TOP     30.0 /* room for the title */
#define LABELS  64.0 /* room for the labels around the rings */
#define LEGEND  44.0 /* room for the legend below */
#define LINE_CH 20   /* labels longer than this wrap onto two lines */

static const double PI = 3.14159265358979323846;

typedef struct radar {
    size_t n;              /* spokes */
    const size_t *nodes;   /* the node of each spoke */
    const double *scores;  /* per node */
    const double *medians; /* per node, or NULL */
    const efc_model *model;
    const efc_chart_options *opts;
    double top;
} radar;

static double cx(size_t i, size_t n, double r)
{
    return WIDTH / 2 + r * sin(2 * PI * (double)i / (double)n);
}

static double cy(double top, size_t i, size_t n, double r)
{
    return top + LABELS / 2 + RADIUS - r * cos(2 * PI * (double)i / (double)n);
}

static double value(const radar *c, const double *v, size_t i)
{
    return v[c->nodes[i]];
}

static double threshold(const radar *c, size_t i)
{
    return efc_model_node_threshold(c->model, c->nodes[i]);
}

/* A polygon through the spokes that have a value; missing values are left
 * out rather than drawn at zero, which would read as a score of 0. */
static void series(out_t *o, const radar *c, const double *v, const char *cls)
{
    size_t have = 0;
    for (size_t i = 0; i < c->n; i++)
        have += !isnan(value(c, v, i));
    if (!have)
        return;
    efc__strbuf_puts(o, "<polygon class=\"");
    efc__strbuf_puts(o, cls);
    efc__strbuf_puts(o, "\" points=\"");
    int first = 1;
    for (size_t i = 0; i < c->n; i++) {
        double x = value(c, v, i);
        if (isnan(x))
            continue;
        double r = RADIUS * fmin(fmax(x, 0), 1);
        if (!first)
            efc__strbuf_putc(o, ' ');
        first = 0;
        num(o, cx(i, c->n, r));
        efc__strbuf_putc(o, ',');
        num(o, cy(c->top, i, c->n, r));
    }
    efc__strbuf_puts(o, "\"/>\n");
}

/* The label of spoke i, on one or two lines, placed outside the rings on
 * the side the spoke points to. */
static void spoke_label(out_t *o, const radar *c, size_t i)
{
    double a = 2 * PI * (double)i / (double)c->n, sa = sin(a), ca = cos(a);
    double x = cx(i, c->n, RADIUS + 10), y = cy(c->top, i, c->n, RADIUS + 10);
    const char *anchor = fabs(sa) < 0.2 ? "middle" : sa > 0 ? "start" : "end";
    int missing = isnan(value(c, c->scores, i));
    const char *label = efc_model_node_label(c->model, c->nodes[i], c->opts->lang);
    char t[512];
    snprintf(t, sizeof t, "%s%s", label ? label : "", missing ? " (\xe2\x80\x93)" : "");
    size_t len = strlen(t);
    const char *cut = NULL;
    if (len > LINE_CH) {
        /* the space nearest the middle */
        for (const char *p = t; *p; p++)
            if (*p == ' ' && (!cut || fabs((double)(p - t) - (double)len / 2) <
                                          fabs((double)(cut - t) - (double)len / 2)))
                cut = p;
    }
    int lines = cut ? 2 : 1;
    /* above the top spoke the text grows upwards, below the bottom one
     * downwards, elsewhere around the spoke's end */
    double y0 = ca > 0.8 ? y - 12.0 * (lines - 1) : ca < -0.8 ? y + 10 : y + 4 - 6.0 * (lines - 1);
    efc__strbuf_puts(o, missing ? "<text class=\"axis missing\"" : "<text class=\"axis\"");
    attr(o, "x", x);
    attr(o, "y", y0);
    if (strcmp(anchor, "start") != 0) {
        efc__strbuf_puts(o, " text-anchor=\"");
        efc__strbuf_puts(o, anchor);
        efc__strbuf_putc(o, '"');
    }
    efc__strbuf_putc(o, '>');
    if (!cut) {
        text(o, t);
    } else {
        efc__strbuf_puts(o, "<tspan");
        attr(o, "x", x);
        efc__strbuf_putc(o, '>');
        text_n(o, t, (size_t)(cut - t));
        efc__strbuf_puts(o, "</tspan><tspan");
        attr(o, "x", x);
        efc__strbuf_puts(o, " dy=\"12\">");
        text(o, cut + 1);
        efc__strbuf_puts(o, "</tspan>");
    }
    efc__strbuf_puts(o, "</text>\n");
}

static void legend(out_t *o, const radar *c, double y)
{
    double x = 16;
    efc__strbuf_puts(o, "<rect class=\"sw-actor\"");
    attr(o, "x", x);
    attr(o, "y", y - 9);
    efc__strbuf_puts(o, " width=\"14\" height=\"10\"/>\n");
    text_at(o, x + 20, y, "axis", "start", c->opts->series);
    if (c->medians) {
        y += 18;
        line(o, "sw-median", x, y - 4, x + 14, y - 4);
        text_at(o, x + 20, y, "axis", "start", c->opts->median_series);
    }
    for (size_t i = 0; i < c->n; i++)
        if (!isnan(threshold(c, i))) {
            y += 18;
            line(o, "thrbar", x + 7, y - 9, x + 7, y + 1);
            text_at(o, x + 20, y, "axis", "start", c->opts->threshold);
            break;
        }
}

static void draw_radar(out_t *o, const radar *c)
{
    const efc_chart_options *opts = c->opts;
    double top = c->top;
    double height = top + LABELS + 2 * RADIUS + LEGEND;
    begin(o, WIDTH, height, "radar", opts->label, opts->standalone);
    if (opts->title)
        text_at(o, WIDTH / 2, 20, "title", "middle", opts->title);
    size_t n = c->n;
    /* rings, spokes and the scale along the first spoke */
    for (int ring = 1; ring <= 4; ring++) {
        double r = RADIUS * ring / 4;
        efc__strbuf_puts(o, "<polygon class=\"grid\" points=\"");
        for (size_t i = 0; i < n; i++) {
            if (i)
                efc__strbuf_putc(o, ' ');
            num(o, cx(i, n, r));
            efc__strbuf_putc(o, ',');
            num(o, cy(top, i, n, r));
        }
        efc__strbuf_puts(o, "\"/>\n");
    }
    for (size_t i = 0; i < n; i++)
        line(o, "spoke", WIDTH / 2, cy(top, 0, 1, 0), cx(i, n, RADIUS), cy(top, i, n, RADIUS));
    for (int ring = 1; ring <= 4; ring++) {
        char t[8];
        snprintf(t, sizeof t, "%d", 25 * ring);
        text_at(o, WIDTH / 2 + 3, cy(top, 0, 1, RADIUS * ring / 4) + 10, "tick", "start", t);
    }
    for (size_t i = 0; i < n; i++) {
        double thr = threshold(c, i);
        if (isnan(thr))
            continue;
        /* a bar across the spoke, 10 units long */
        double r = RADIUS * thr, a = 2 * PI * (double)i / (double)n;
        double dx = 5 * cos(a), dy = 5 * sin(a);
        double x = cx(i, n, r), y = cy(top, i, n, r);
        line(o, "thrbar", x - dx, y - dy, x + dx, y + dy);
    }
    if (c->medians)
        series(o, c, c->medians, "median");
    series(o, c, c->scores, "actor");
    for (size_t i = 0; i < n; i++) {
        double v = value(c, c->scores, i);
        if (isnan(v))
            continue;
        double r = RADIUS * fmin(fmax(v, 0), 1);
        efc__strbuf_puts(o, "<circle class=\"pt\" r=\"3\"");
        attr(o, "cx", cx(i, n, r));
        attr(o, "cy", cy(top, i, n, r));
        efc__strbuf_puts(o, "/>\n");
    }
    for (size_t i = 0; i < n; i++)
        spoke_label(o, c, i);
    legend(o, c, top + LABELS + 2 * RADIUS + 16);
    efc__strbuf_puts(o, "</svg>\n");
}

efc_status efc_chart_radar_svg(char *buf, size_t cap, size_t *len, const efc_model *model,
                               const double *scores, const double *medians,
                               const efc_chart_options *opts, efc_error *err)
{
    if (!len)
        return efc__fail(err, EFC_ERR_ARGUMENT, "len is NULL");
    *len = 0;
    if (!model || !scores)
        return efc__fail(err, EFC_ERR_ARGUMENT, "%s is NULL", model ? "scores" : "model");
    if (!efc_model_is_finalized(model))
        return efc__fail(err, EFC_ERR_STATE, "the model is not finalized");
    efc_chart_options *defaults = NULL;
    if (!opts) {
        efc_status st = efc_chart_options_create(&defaults, NULL, err);
        if (st)
            return st;
        opts = defaults;
    }
    size_t n = efc_model_radar_count(model);
    size_t *nodes = efc__alloc_array(&opts->alloc, n ? n : 1, sizeof *nodes);
    if (!nodes) {
        efc_chart_options_free(defaults);
        return efc__nomem(err);
    }
    for (size_t i = 0; i < n; i++)
        nodes[i] = efc_model_radar_node(model, i);
    radar c = {.n = n,
               .nodes = nodes,
               .scores = scores,
               .medians = medians,
               .model = model,
               .opts = opts,
               .top = opts->title ? TOP : 8};
    efc__strbuf b;
    efc__strbuf_init(&b, &opts->alloc);
    draw_radar(&b, &c);
    efc__free(&opts->alloc, nodes);
    efc_status st = EFC_OK;
    if (b.failed)
        st = efc__nomem(err);
    else {
        *len = b.len;
        if (buf) {
            if (cap <= b.len)
                st = efc__fail(err, EFC_ERR_ARGUMENT,
                               "the buffer holds %zu bytes, the chart needs %zu and a NUL", cap,
                               b.len);
            else {
                memcpy(buf, b.data, b.len);
                buf[b.len] = '\0';
            }
        }
    }
    efc__strbuf_free(&b);
    efc_chart_options_free(defaults);
    return st;
}
