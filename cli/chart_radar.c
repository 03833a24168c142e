/* The radar: spokes clockwise from the top, one per axis or block, rings at
 * 25, 50, 75 and 100, the peer median dashed under the actor's filled
 * polygon, and each threshold as a short bar across its spoke. */
#include "chart_radar.h"

#include <math.h>
#include <string.h>

#include "svg.h"

#define WIDTH   540.0
#define RADIUS  112.0
#define TOP     30.0 /* room for the title */
#define LABELS  64.0 /* room for the labels around the rings */
#define LEGEND  44.0 /* room for the legend below */
#define LINE_CH 20   /* labels longer than this wrap onto two lines */

static const double PI = 3.14159265358979323846;

static double cx(size_t i, size_t n, double r)
{
    return WIDTH / 2 + r * sin(2 * PI * (double)i / (double)n);
}

static double cy(double top, size_t i, size_t n, double r)
{
    return top + LABELS / 2 + RADIUS - r * cos(2 * PI * (double)i / (double)n);
}

/* A polygon through the spokes that have a value; missing values are left
 * out rather than drawn at zero, which would read as a score of 0. */
static void series(FILE *fp, const radar_spec *s, const double *v, double top, const char *cls)
{
    size_t have = 0;
    for (size_t i = 0; i < s->n; i++)
        have += !isnan(v[i]);
    if (!have)
        return;
    fprintf(fp, "<polygon class=\"%s\" points=\"", cls);
    int first = 1;
    for (size_t i = 0; i < s->n; i++) {
        if (isnan(v[i]))
            continue;
        double r = RADIUS * fmin(fmax(v[i], 0), 1);
        if (!first)
            fputc(' ', fp);
        first = 0;
        svg_num(fp, cx(i, s->n, r));
        fputc(',', fp);
        svg_num(fp, cy(top, i, s->n, r));
    }
    fputs("\"/>\n", fp);
}

/* The label of spoke i, on one or two lines, placed outside the rings on
 * the side the spoke points to. */
static void spoke_label(FILE *fp, const radar_spec *s, size_t i, double top)
{
    double a = 2 * PI * (double)i / (double)s->n, sa = sin(a), ca = cos(a);
    double x = cx(i, s->n, RADIUS + 10), y = cy(top, i, s->n, RADIUS + 10);
    const char *anchor = fabs(sa) < 0.2 ? "middle" : sa > 0 ? "start" : "end";
    char text[512];
    snprintf(text, sizeof text, "%s%s", s->labels[i], isnan(s->values[i]) ? " (\xe2\x80\x93)" : "");
    size_t len = strlen(text);
    const char *cut = NULL;
    if (len > LINE_CH) {
        /* the space nearest the middle */
        for (const char *p = text; *p; p++)
            if (*p == ' ' && (!cut || fabs((double)(p - text) - (double)len / 2) <
                                          fabs((double)(cut - text) - (double)len / 2)))
                cut = p;
    }
    int lines = cut ? 2 : 1;
    /* above the top spoke the text grows upwards, below the bottom one
     * downwards, elsewhere around the spoke's end */
    double y0 = ca > 0.8 ? y - 12.0 * (lines - 1) : ca < -0.8 ? y + 10 : y + 4 - 6.0 * (lines - 1);
    fprintf(fp, "<text class=\"axis%s\"", isnan(s->values[i]) ? " missing" : "");
    svg_attr(fp, "x", x);
    svg_attr(fp, "y", y0);
    if (strcmp(anchor, "start") != 0)
        fprintf(fp, " text-anchor=\"%s\"", anchor);
    fputc('>', fp);
    if (!cut) {
        mk_text(fp, text);
    } else {
        fputs("<tspan", fp);
        svg_attr(fp, "x", x);
        fputc('>', fp);
        mk_text_n(fp, text, (size_t)(cut - text));
        fputs("</tspan><tspan", fp);
        svg_attr(fp, "x", x);
        fputs(" dy=\"12\">", fp);
        mk_text(fp, cut + 1);
        fputs("</tspan>", fp);
    }
    fputs("</text>\n", fp);
}

static void legend(FILE *fp, const radar_spec *s, double y)
{
    double x = 16;
    fputs("<rect class=\"sw-actor\"", fp);
    svg_attr(fp, "x", x);
    svg_attr(fp, "y", y - 9);
    fputs(" width=\"14\" height=\"10\"/>\n", fp);
    svg_text(fp, x + 20, y, "axis", "start", s->series);
    if (s->medians) {
        y += 18;
        fputs("<line class=\"sw-median\"", fp);
        svg_attr(fp, "x1", x);
        svg_attr(fp, "y1", y - 4);
        svg_attr(fp, "x2", x + 14);
        svg_attr(fp, "y2", y - 4);
        fputs("/>\n", fp);
        svg_text(fp, x + 20, y, "axis", "start", s->median_series);
    }
    for (size_t i = 0; s->thresholds && i < s->n; i++)
        if (!isnan(s->thresholds[i])) {
            y += 18;
            fputs("<line class=\"thrbar\"", fp);
            svg_attr(fp, "x1", x + 7);
            svg_attr(fp, "y1", y - 9);
            svg_attr(fp, "x2", x + 7);
            svg_attr(fp, "y2", y + 1);
            fputs("/>\n", fp);
            svg_text(fp, x + 20, y, "axis", "start", s->ui->threshold);
            break;
        }
}

void radar_chart(FILE *fp, const radar_spec *s)
{
    double top = s->title ? TOP : 8;
    double height = top + LABELS + 2 * RADIUS + LEGEND;
    svg_begin(fp, WIDTH, height, "radar", s->label, s->standalone);
    if (s->title)
        svg_text(fp, WIDTH / 2, 20, "title", "middle", s->title);
    size_t n = s->n;
    /* rings, spokes and the scale along the first spoke */
    for (int ring = 1; ring <= 4; ring++) {
        double r = RADIUS * ring / 4;
        fputs("<polygon class=\"grid\" points=\"", fp);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(' ', fp);
            svg_num(fp, cx(i, n, r));
            fputc(',', fp);
            svg_num(fp, cy(top, i, n, r));
        }
        fputs("\"/>\n", fp);
    }
    for (size_t i = 0; i < n; i++) {
        fputs("<line class=\"spoke\"", fp);
        svg_attr(fp, "x1", WIDTH / 2);
        svg_attr(fp, "y1", cy(top, 0, 1, 0));
        svg_attr(fp, "x2", cx(i, n, RADIUS));
        svg_attr(fp, "y2", cy(top, i, n, RADIUS));
        fputs("/>\n", fp);
    }
    for (int ring = 1; ring <= 4; ring++) {
        char t[8];
        snprintf(t, sizeof t, "%d", 25 * ring);
        svg_text(fp, WIDTH / 2 + 3, cy(top, 0, 1, RADIUS * ring / 4) + 10, "tick", "start", t);
    }
    for (size_t i = 0; s->thresholds && i < n; i++) {
        if (isnan(s->thresholds[i]))
            continue;
        /* a bar across the spoke, 10 units long */
        double r = RADIUS * s->thresholds[i], a = 2 * PI * (double)i / (double)n;
        double dx = 5 * cos(a), dy = 5 * sin(a);
        double x = cx(i, n, r), y = cy(top, i, n, r);
        fputs("<line class=\"thrbar\"", fp);
        svg_attr(fp, "x1", x - dx);
        svg_attr(fp, "y1", y - dy);
        svg_attr(fp, "x2", x + dx);
        svg_attr(fp, "y2", y + dy);
        fputs("/>\n", fp);
    }
    if (s->medians)
        series(fp, s, s->medians, top, "median");
    series(fp, s, s->values, top, "actor");
    for (size_t i = 0; i < n; i++) {
        if (isnan(s->values[i]))
            continue;
        double r = RADIUS * fmin(fmax(s->values[i], 0), 1);
        fputs("<circle class=\"pt\" r=\"3\"", fp);
        svg_attr(fp, "cx", cx(i, n, r));
        svg_attr(fp, "cy", cy(top, i, n, r));
        fputs("/>\n", fp);
    }
    for (size_t i = 0; i < n; i++)
        spoke_label(fp, s, i, top);
    legend(fp, s, top + LABELS + 2 * RADIUS + 16);
    svg_end(fp);
}
