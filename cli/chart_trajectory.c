/* Small multiples rather than one chart of many lines: every node keeps
 * its own panel on the same 0..100 scale, so lines never hide each other
 * and panels compare at a glance. */
#include "chart_trajectory.h"

#include <math.h>
#include <string.h>

#include "svg.h"

typedef struct geometry {
    double pw, ph;                   /* a panel */
    double left, right, top, bottom; /* the plot inside a panel */
} geometry;

static const geometry small = {232, 150, 34, 14, 24, 26};
static const geometry big = {560, 300, 40, 24, 28, 30};

#define TITLE     30.0
#define LEGEND    24.0
#define MAX_TICKS 6

/* Which periods get a label on the x axis: all up to MAX_TICKS, else the
 * first, the last and evenly spread ones in between. */
static int labelled(size_t i, size_t n)
{
    if (n <= MAX_TICKS)
        return 1;
    for (size_t t = 0; t < MAX_TICKS; t++)
        if (i == t * (n - 1) / (MAX_TICKS - 1))
            return 1;
    return 0;
}

typedef struct frame {
    double x0, y0, w, h; /* the plot area */
    double xmin, xmax;
} frame;

static double px(const frame *f, double x)
{
    if (f->xmax <= f->xmin)
        return f->x0 + f->w / 2;
    /* from halves (exact): periods from -1.7e308 to 1.7e308 are finite, but
     * their distance is not; the share of the axis first, in [0, 1], so that
     * nothing overflows (a NaN coordinate was drawn at 0) */
    return f->x0 + f->w * ((x / 2 - f->xmin / 2) / (f->xmax / 2 - f->xmin / 2));
}

static double py(const frame *f, double v)
{
    return f->y0 + f->h * (1 - fmin(fmax(v, 0), 1));
}

static void line(FILE *fp, const char *cls, double x1, double y1, double x2, double y2)
{
    fprintf(fp, "<line class=\"%s\"", cls);
    svg_attr(fp, "x1", x1);
    svg_attr(fp, "y1", y1);
    svg_attr(fp, "x2", x2);
    svg_attr(fp, "y2", y2);
    fputs("/>\n", fp);
}

static void axes(FILE *fp, const traj_spec *s, const frame *f)
{
    for (int g = 0; g <= 4; g++) {
        double y = py(f, g / 4.0);
        line(fp, "grid", f->x0, y, f->x0 + f->w, y);
        if (g % 2 == 0) {
            char t[8];
            snprintf(t, sizeof t, "%d", 25 * g);
            svg_text(fp, f->x0 - 4, y + 3, "tick", "end", t);
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        if (!labelled(i, s->n))
            continue;
        char buf[80];
        svg_text(fp, px(f, s->x[i]), f->y0 + f->h + 13, "tick", "middle",
                 ui_period(s->ui, s->periods[i], buf, sizeof buf));
    }
}

static void panel(FILE *fp, const traj_spec *s, const traj_panel *p, const frame *f, double lx,
                  double ly)
{
    svg_text(fp, lx, ly, "panel", "start", p->label);
    axes(fp, s, f);
    if (!isnan(p->threshold))
        line(fp, "thr", f->x0, py(f, p->threshold), f->x0 + f->w, py(f, p->threshold));
    size_t have = 0;
    for (size_t i = 0; i < s->n; i++)
        have += !isnan(p->y[i]);
    /* the trajectory is made of the assessments with a score */
    if (have > 1) {
        fputs("<polyline class=\"line\" points=\"", fp);
        int first = 1;
        for (size_t i = 0; i < s->n; i++) {
            if (isnan(p->y[i]))
                continue;
            if (!first)
                fputc(' ', fp);
            first = 0;
            svg_num(fp, px(f, s->x[i]));
            fputc(',', fp);
            svg_num(fp, py(f, p->y[i]));
        }
        fputs("\"/>\n", fp);
    }
    for (size_t t = 0; t < p->ntransfers; t++) {
        size_t a = p->from[t], b = p->to[t];
        double x1 = px(f, s->x[a]), y1 = py(f, p->y[a]);
        double x2 = px(f, s->x[b]), y2 = py(f, p->y[b]);
        line(fp, "tr", x1, y1, x2, y2);
        /* a triangle pointing down just above the step's end */
        fputs("<polygon class=\"trm\" points=\"", fp);
        svg_num(fp, x2 - 5);
        fputc(',', fp);
        svg_num(fp, y2 - 13);
        fputc(' ', fp);
        svg_num(fp, x2 + 5);
        fputc(',', fp);
        svg_num(fp, y2 - 13);
        fputc(' ', fp);
        svg_num(fp, x2);
        fputc(',', fp);
        svg_num(fp, y2 - 5);
        fputs("\"/>\n", fp);
    }
    for (size_t i = 0; i < s->n; i++) {
        if (isnan(p->y[i]))
            continue;
        fputs("<circle class=\"pt\" r=\"2.5\"", fp);
        svg_attr(fp, "cx", px(f, s->x[i]));
        svg_attr(fp, "cy", py(f, p->y[i]));
        fputs("/>\n", fp);
    }
}

void trajectory_chart(FILE *fp, const traj_spec *s)
{
    const geometry *g = s->large ? &big : &small;
    size_t cols = s->columns ? s->columns : 1;
    if (cols > s->npanels)
        cols = s->npanels ? s->npanels : 1;
    size_t rows = (s->npanels + cols - 1) / cols;
    double top = s->title ? TITLE : 4;
    double width = 8 + g->pw * (double)cols, height = top + g->ph * (double)rows + LEGEND;
    svg_begin(fp, width, height, "trajectory", s->label, s->standalone);
    if (s->title)
        svg_text(fp, width / 2, 20, "title", "middle", s->title);
    double xmin = 0, xmax = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (i == 0 || s->x[i] < xmin)
            xmin = s->x[i];
        if (i == 0 || s->x[i] > xmax)
            xmax = s->x[i];
    }
    for (size_t k = 0; k < s->npanels; k++) {
        double ox = 4 + g->pw * (double)(k % cols), oy = top + g->ph * (double)(k / cols);
        /* a margin inside the plot so that the first and last points are
         * not drawn on its edges */
        double pad = 12;
        frame f = {ox + g->left + pad,         oy + g->top, g->pw - g->left - g->right - 2 * pad,
                   g->ph - g->top - g->bottom, xmin,        xmax};
        panel(fp, s, &s->panels[k], &f, ox + 8, oy + 15);
    }
    /* the legend of the marks */
    double ly = height - 9;
    line(fp, "thr", 12, ly - 4, 32, ly - 4);
    svg_text(fp, 38, ly, "tick", "start", s->ui->threshold);
    double lx = 38 + 9.0 * (double)strlen(s->ui->threshold) * 0.62 + 20;
    line(fp, "tr", lx, ly - 4, lx + 20, ly - 4);
    svg_text(fp, lx + 26, ly, "tick", "start", s->ui->transfer);
    svg_end(fp);
}
