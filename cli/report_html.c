/* The report page. Sections are written one actor at a time straight to
 * the stream; every figure printed in a chart is also printed in a table
 * next to it, for screen readers, for print and for copying. */
#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

/* The layout: a readable column, tables that scroll sideways rather than
 * overflow, and one actor per printed page. content-visibility lets the
 * browser skip the layout of sections out of view, which keeps a report of
 * thousands of actors quick to open and scroll. */
static const char page_css[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#1d2330;background:#fff;"
    "margin:0 auto;padding:16px 24px;max-width:1240px;line-height:1.4;font-size:14px}"
    "h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:20px 0 6px;"
    "border-bottom:2px solid #1f6fb2;padding-bottom:3px}h3{font-size:15px;margin:14px 0 4px}"
    ".meta{color:#4a5260;margin:4px 0}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;margin:6px 0;font-size:13px}"
    "th,td{border:1px solid #d5d8de;padding:3px 7px;text-align:right;vertical-align:top}"
    "th{background:#eef1f5}th:first-child,td:first-child{text-align:left}"
    "td.t{text-align:left}"
    /* fixed layout: the overview's chunks line up, and no chunk waits for
     * the widths of the rows of the others */
    "table.fixed{table-layout:fixed;width:100%}"
    "table.fixed th:first-child{width:13em}table.fixed th.thr{width:11em}"
    "table.fixed td{overflow-wrap:break-word}table.overview td:first-child{white-space:nowrap}"
    "table.fixed td:first-child{white-space:normal}"
    ".chunk{content-visibility:auto}"
    "td.f{background:#fdecea;color:#9b1c1c}td.p{color:#1b5e20}"
    "td.f b,td.p b{font-weight:bold;padding-left:3px}"
    "tbody tr:nth-child(even){background:#f8f9fb}"
    "figure{margin:6px 12px 6px 0}figcaption{font-size:12px;color:#4a5260;max-width:540px}"
    ".row{display:flex;flex-wrap:wrap;align-items:flex-start;gap:8px}"
    "section.actor{content-visibility:auto;contain-intrinsic-size:auto 1300px}"
    "code{font-size:12px;color:#4a5260}"
    "a{color:#1f5f9e}"
    "footer{margin-top:24px;color:#4a5260;font-size:12px}"
    "@media print{body{max-width:none;padding:0;font-size:11px}"
    "section.actor,.chunk{content-visibility:visible}section.actor{break-before:page}"
    ".back{display:none}a{color:inherit;text-decoration:none}"
    ".scroll{overflow:visible}figure,table{break-inside:avoid}"
    "@page{size:A4 landscape;margin:12mm}}";

static void esc(FILE *fp, const char *s)
{
    mk_text(fp, s);
}

/* A score cell: the score on 0..100, and its mark against the node's
 * threshold, in words for screen readers as well as in colour. */
static void score_cell(FILE *fp, const report_data *d, size_t k, double v)
{
    char buf[64];
    efc_pass pass = efc_model_pass(d->m, k, v);
    if (pass == EFC_PASS_OK || pass == EFC_PASS_FAIL) {
        int ok = pass == EFC_PASS_OK;
        fprintf(fp, "<td class=\"%s\">%s<b title=\"%s\">%s</b></td>", ok ? "p" : "f",
                ui_score(d->ui, v, buf), ok ? d->ui->pass_word : d->ui->fail_word,
                ok ? d->ui->pass_mark : d->ui->fail_mark);
    } else {
        fprintf(fp, "<td>%s</td>", ui_score(d->ui, v, buf));
    }
}

static void rank_text(FILE *fp, const report_data *d, size_t actor, size_t g)
{
    double r = efc_ranking_value(d->r, actor, g, EFC_RANK_RANK);
    double n = efc_ranking_value(d->r, actor, g, EFC_RANK_PEERS);
    char a[64], b[64];
    if (isnan(r))
        fputs("\xe2\x80\x93", fp);
    else
        fprintf(fp, "%s\xc2\xa0/\xc2\xa0%s", ui_count(d->ui, (unsigned long long)r, a),
                ui_count(d->ui, (unsigned long long)n, b));
}

/* The thresholds an assessment missed (failed or without a score), by
 * label, or that it met them all: the verdict is the library's
 * (efc_model_pass_all). */
static void thresholds_cell(FILE *fp, const report_data *d, size_t actor, size_t i)
{
    size_t nodes = efc_model_node_count(d->m);
    for (size_t k = 0; k < nodes; k++)
        d->row[k] = i == EFC_NONE ? NAN : efc_panel_score(d->p, actor, i, k);
    efc_pass all = efc_model_pass_all(d->m, d->row, 1);
    if (all == EFC_PASS_NO_THRESHOLD) {
        fprintf(fp, "<td class=\"t\">%s</td>", d->ui->no_thresholds);
        return;
    }
    if (all == EFC_PASS_OK) {
        fprintf(fp, "<td class=\"t p\">%s</td>", d->ui->passes_all);
        return;
    }
    fprintf(fp, "<td class=\"t f\">%s ", d->ui->fails);
    int first = 1;
    for (size_t g = 0; g < d->ngroups + d->nleaves; g++) {
        size_t k = g < d->ngroups ? d->groups[g] : d->leaves[g - d->ngroups];
        efc_pass p = efc_model_pass(d->m, k, d->row[k]);
        if (p != EFC_PASS_FAIL && p != EFC_PASS_MISSING)
            continue;
        if (!first)
            fputs(", ", fp);
        first = 0;
        esc(fp, efc_model_node_label(d->m, k, d->ui->lang));
    }
    fputs("</td>", fp);
}

static void period_text(FILE *fp, const report_data *d, const char *period)
{
    char buf[80];
    esc(fp, ui_period(d->ui, period, buf, sizeof buf));
}

/* Rows of the overview per table: each table is a block the browser can
 * skip while it is out of view (content-visibility), which is what keeps
 * the overview of 10,000 actors quick to open. */
#define CHUNK_ROWS 500

static void overview_head(FILE *fp, const report_data *d, size_t rows, int fixed)
{
    const efc_panel *p = d->p;
    /* the height the chunk takes while the browser skips it: about a row
     * of text per actor, so that the page does not jump when it is drawn;
     * and, when there are several chunks, a fixed layout that lines them
     * up and lays each out without the others' rows, with room for every
     * column (6 em each, more for the actor and the thresholds) */
    size_t ncols = efc_panel_group_column_count(p) + d->ngroups + 2 + (d->peer_col != EFC_NONE);
    fprintf(fp, "<div class=\"scroll chunk\" style=\"contain-intrinsic-size:auto %zupx\">",
            60 + 25 * rows);
    if (fixed)
        fprintf(fp, "<table class=\"overview fixed\" style=\"min-width:%zuem\">",
                13 + 11 + 6 * ncols);
    else
        fputs("<table class=\"overview\">", fp);
    fprintf(fp, "<thead><tr><th>%s</th>", d->ui->actor);
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++) {
        fputs("<th>", fp);
        esc(fp, efc_panel_group_column(p, g));
        fputs("</th>", fp);
    }
    fprintf(fp, "<th>%s</th>", d->ui->latest_period);
    for (size_t g = 0; g < d->ngroups; g++) {
        fputs("<th>", fp);
        esc(fp, efc_model_node_label(d->m, d->groups[g], d->ui->lang));
        fputs("</th>", fp);
    }
    fprintf(fp, "<th class=\"thr\">%s</th><th>%s</th>", d->ui->thresholds, d->ui->rank);
    if (d->peer_col != EFC_NONE) {
        fprintf(fp, "<th>%s ", d->ui->rank_in);
        esc(fp, efc_panel_group_column(p, d->peer_col));
        fputs("</th>", fp);
    }
    fputs("</tr></thead>\n<tbody>\n", fp);
}

static void overview_row(FILE *fp, const report_data *d, const report_page *page, size_t a)
{
    const efc_panel *p = d->p;
    size_t i = report_assessment(d, a);
    fputs("<tr><td>", fp);
    if (page->with_section[a] && page->pages)
        fprintf(fp, "<a href=\"%s/a%zu.html\">", page->pages, a + 1);
    else if (page->with_section[a])
        fprintf(fp, "<a href=\"#a%zu\">", a + 1);
    esc(fp, efc_panel_actor(p, a));
    fputs(page->with_section[a] ? "</a></td>" : "</td>", fp);
    for (size_t g = 0; g < efc_panel_group_column_count(p); g++) {
        fputs("<td class=\"t\">", fp);
        esc(fp, i == EFC_NONE ? "" : efc_panel_group(p, a, i, g));
        fputs("</td>", fp);
    }
    fputs("<td>", fp);
    if (i != EFC_NONE)
        period_text(fp, d, efc_panel_period(p, a, i));
    fputs("</td>", fp);
    for (size_t g = 0; g < d->ngroups; g++)
        score_cell(fp, d, d->groups[g],
                   i == EFC_NONE ? NAN : efc_panel_score(p, a, i, d->groups[g]));
    thresholds_cell(fp, d, a, i);
    fputs("<td>", fp);
    rank_text(fp, d, a, EFC_NONE);
    fputs("</td>", fp);
    if (d->peer_col != EFC_NONE) {
        fputs("<td>", fp);
        rank_text(fp, d, a, d->peer_col);
        fputs("</td>", fp);
    }
    fputs("</tr>\n", fp);
}

static void overview(FILE *fp, const report_data *d, const report_page *page)
{
    size_t na = efc_panel_actor_count(d->p);
    fprintf(fp, "<section id=\"overview\"><h2>%s</h2>\n<p>%s</p>\n", d->ui->overview,
            d->ui->overview_intro);
    if (!page->all_sections)
        fprintf(fp, "<p>%s</p>\n", d->ui->sections_note);
    for (size_t a = 0; a < na || a == 0; a++) {
        if (a % CHUNK_ROWS == 0) {
            if (a)
                fputs("</tbody></table></div>\n", fp);
            overview_head(fp, d, na - a < CHUNK_ROWS ? na - a : CHUNK_ROWS, na > CHUNK_ROWS);
        }
        if (a < na)
            overview_row(fp, d, page, a);
    }
    fputs("</tbody></table></div></section>\n", fp);
}

/* The figures of the radar: every group's score, peer median and threshold. */
static void scores_table(FILE *fp, const report_data *d, size_t actor, size_t i)
{
    const double *med = report_medians(d, actor);
    char buf[64];
    fprintf(fp,
            "<table class=\"nums\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
            "</tr></thead><tbody>\n",
            d->ui->node, d->ui->score, d->ui->peer_median, d->ui->threshold);
    for (size_t g = 0; g < d->ngroups; g++) {
        size_t k = d->groups[g];
        fputs("<tr><td>", fp);
        esc(fp, efc_model_node_label(d->m, k, d->ui->lang));
        fputs("</td>", fp);
        score_cell(fp, d, k, i == EFC_NONE ? NAN : efc_panel_score(d->p, actor, i, k));
        fprintf(fp, "<td>%s</td>", ui_score(d->ui, med[k], buf));
        double t = efc_model_node_threshold(d->m, k);
        fprintf(fp, "<td>%s</td></tr>\n", isnan(t) ? "" : ui_score(d->ui, t, buf));
    }
    fputs("</tbody></table>\n", fp);
}

/* The figures of the trajectory panels: every group's score per period. */
static void trajectory_table(FILE *fp, const report_data *d, size_t actor)
{
    size_t n = efc_panel_assessment_count(d->p, actor);
    char buf[64];
    fprintf(fp, "<div class=\"scroll\"><table class=\"nums\"><thead><tr><th>%s</th>", d->ui->node);
    for (size_t i = 0; i < n; i++) {
        fputs("<th>", fp);
        period_text(fp, d, efc_panel_period(d->p, actor, i));
        fputs("</th>", fp);
    }
    fputs("</tr></thead><tbody>\n", fp);
    for (size_t g = 0; g < d->ngroups; g++) {
        size_t k = d->groups[g];
        fputs("<tr><td>", fp);
        esc(fp, efc_model_node_label(d->m, k, d->ui->lang));
        fputs("</td>", fp);
        for (size_t i = 0; i < n; i++)
            fprintf(fp, "<td>%s</td>", ui_score(d->ui, efc_panel_score(d->p, actor, i, k), buf));
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table></div>\n", fp);
}

static void gaps_table(FILE *fp, const report_data *d, size_t actor, size_t i)
{
    size_t worst[5];
    size_t n = report_gaps(d, actor, worst, 5);
    const double *med = report_medians(d, actor);
    fprintf(fp, "<h3>%s</h3>\n", d->ui->largest_gaps);
    if (!n) {
        fprintf(fp, "<p>%s</p>\n", d->ui->no_gaps);
        return;
    }
    char a[64], b[64], c[64];
    fprintf(fp,
            "<p>%s</p>\n<table class=\"nums gaps\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
            "<th>%s</th></tr></thead><tbody>\n",
            d->ui->largest_gaps_intro, d->ui->item, d->ui->score, d->ui->peer_median, d->ui->gap);
    for (size_t j = 0; j < n; j++) {
        size_t k = worst[j];
        double v = efc_panel_score(d->p, actor, i, k);
        fputs("<tr><td>", fp);
        esc(fp, efc_model_node_label(d->m, k, d->ui->lang));
        fputs(" <code>", fp);
        esc(fp, efc_model_node_id(d->m, k));
        fprintf(fp, "</code></td><td>%s</td><td>%s</td><td>%s</td></tr>\n", ui_score(d->ui, v, a),
                ui_score(d->ui, med[k], b), ui_gap(d->ui, v - med[k], c));
    }
    fputs("</tbody></table>\n", fp);
}

/* The actor's transfers on groups, as the trajectory panels mark them. */
static void transfers_table(FILE *fp, const report_data *d, size_t actor)
{
    fprintf(fp, "<h3>%s</h3>\n", d->ui->transfers);
    int any = 0;
    char b1[64], b2[64], b3[64], b4[64];
    for (size_t t = d->tstart[actor]; t < d->tstart[actor + 1]; t++) {
        size_t k, from, to;
        efc_trajectories_transfer(NULL, &k, &from, &to, d->t, t, NULL);
        if (efc_model_node_kind(d->m, k) == EFC_NODE_LEAF)
            continue;
        if (!any)
            fprintf(fp,
                    "<table class=\"nums transfers\"><thead><tr><th>%s</th><th>%s</th>"
                    "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                    d->ui->node, d->ui->from, d->ui->to, d->ui->score, d->ui->parent, d->ui->score);
        any = 1;
        size_t parent = efc_model_node_parent(d->m, k);
        fputs("<tr><td>", fp);
        esc(fp, efc_model_node_label(d->m, k, d->ui->lang));
        fputs("</td><td>", fp);
        period_text(fp, d, efc_panel_period(d->p, actor, from));
        fputs("</td><td>", fp);
        period_text(fp, d, efc_panel_period(d->p, actor, to));
        fprintf(fp, "</td><td>%s\xc2\xa0\xe2\x86\x92\xc2\xa0%s</td><td class=\"t\">",
                ui_score(d->ui, efc_panel_score(d->p, actor, from, k), b1),
                ui_score(d->ui, efc_panel_score(d->p, actor, to, k), b2));
        esc(fp, efc_model_node_label(d->m, parent, d->ui->lang));
        fprintf(fp, "</td><td>%s\xc2\xa0\xe2\x86\x92\xc2\xa0%s</td></tr>\n",
                ui_score(d->ui, efc_panel_score(d->p, actor, from, parent), b3),
                ui_score(d->ui, efc_panel_score(d->p, actor, to, parent), b4));
    }
    if (any)
        fputs("</tbody></table>\n", fp);
    else
        fprintf(fp, "<p>%s</p>\n", d->ui->no_transfers);
}

static int actor_section(FILE *fp, const report_data *d, const report_page *page, size_t a)
{
    const efc_panel *p = d->p;
    size_t i = report_assessment(d, a);
    fprintf(fp, "<section class=\"actor\" id=\"a%zu\"><h2>", a + 1);
    esc(fp, efc_panel_actor(p, a));
    fputs("</h2>\n<p class=\"meta\">", fp);
    for (size_t g = 0; i != EFC_NONE && g < efc_panel_group_column_count(p); g++) {
        esc(fp, efc_panel_group_column(p, g));
        fputs(d->ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ", fp);
        esc(fp, efc_panel_group(p, a, i, g));
        fputs(" \xc2\xb7 ", fp);
    }
    fprintf(fp, "%s%s", d->ui->latest_period, d->ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ");
    if (i != EFC_NONE)
        period_text(fp, d, efc_panel_period(p, a, i));
    else
        fputs("\xe2\x80\x93", fp);
    fprintf(fp, " \xc2\xb7 %s%s", d->ui->rank, d->ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ");
    rank_text(fp, d, a, EFC_NONE);
    if (d->peer_col != EFC_NONE) {
        fprintf(fp, " \xc2\xb7 %s ", d->ui->rank_in);
        esc(fp, efc_panel_group_column(p, d->peer_col));
        fputs(d->ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ", fp);
        rank_text(fp, d, a, d->peer_col);
    }
    fputs("</p>\n<div class=\"row\"><figure>", fp);
    if (report_radar(d, fp, a, 0, NULL))
        return EXIT_NOMEM;
    fprintf(fp, "<figcaption>%s</figcaption></figure>\n", d->ui->radar_caption);
    scores_table(fp, d, a, i);
    fputs("</div>\n<figure>", fp);
    if (report_trajectory(d, fp, a, EFC_NO_NODE, 0, NULL))
        return EXIT_NOMEM;
    fprintf(fp, "<figcaption>%s</figcaption></figure>\n", d->ui->trajectory_caption);
    trajectory_table(fp, d, a);
    gaps_table(fp, d, a, i);
    transfers_table(fp, d, a);
    if (page->overview)
        fprintf(fp, "<p class=\"back\"><a href=\"../%s#overview\">%s</a></p></section>\n",
                page->overview, d->ui->back);
    else
        fprintf(fp, "<p class=\"back\"><a href=\"#overview\">%s</a></p></section>\n", d->ui->back);
    return EXIT_DONE;
}

/* The periods' range, as the panel's own texts. */
static void period_range(FILE *fp, const report_data *d)
{
    const efc_panel *p = d->p;
    size_t amin = EFC_NONE, amax = EFC_NONE, imin = 0, imax = 0;
    for (size_t a = 0; a < efc_panel_actor_count(p); a++) {
        size_t n = efc_panel_assessment_count(p, a);
        if (!n)
            continue;
        if (amin == EFC_NONE ||
            efc_panel_period_value(p, a, 0) < efc_panel_period_value(p, amin, imin))
            amin = a, imin = 0;
        if (amax == EFC_NONE ||
            efc_panel_period_value(p, a, n - 1) > efc_panel_period_value(p, amax, imax))
            amax = a, imax = n - 1;
    }
    if (amin == EFC_NONE) {
        fputs("\xe2\x80\x93", fp);
        return;
    }
    period_text(fp, d, efc_panel_period(p, amin, imin));
    if (efc_panel_period_value(p, amax, imax) != efc_panel_period_value(p, amin, imin)) {
        fputs("\xe2\x80\x93", fp);
        period_text(fp, d, efc_panel_period(p, amax, imax));
    }
}

/* The document's head and the page's heading. */
static void head(FILE *fp, const report_data *d, const char *title, const char *heading)
{
    fprintf(fp,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"efc %s (libefc %s)\">\n<title>",
            d->ui->lang, EFC_VERSION_STRING, efc_version_string());
    esc(fp, title);
    fprintf(fp, "</title>\n<style>%s\n%s</style>\n</head>\n<body>\n<header><h1>", page_css,
            efc_chart_style());
    esc(fp, heading);
    fputs("</h1>\n", fp);
}

/* The model and the tool, by hash and version rather than by date: the
 * same survey gives the same bytes. */
static void footer(FILE *fp, const report_data *d, const report_page *page)
{
    const char *colon = d->ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ";
    fprintf(fp, "<footer><p>%s efc %s (libefc %s). %s%s", d->ui->generated_by, EFC_VERSION_STRING,
            efc_version_string(), d->ui->model, colon);
    esc(fp, page->model);
    fprintf(fp, ", SHA-256 <code>%s</code>.</p></footer>\n</body>\n</html>\n", page->sha256);
}

char *report_url_segment(const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(3 * strlen(name) + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

int report_actor_page(FILE *fp, const report_data *d, const report_page *page, size_t actor)
{
    const char *title = page->title ? page->title : d->ui->report_title;
    head(fp, d, efc_panel_actor(d->p, actor), title);
    fprintf(fp, "<p class=\"meta\"><a href=\"../%s#overview\">%s</a></p>\n</header>\n",
            page->overview, d->ui->back);
    if (actor_section(fp, d, page, actor))
        return EXIT_NOMEM;
    footer(fp, d, page);
    return EXIT_DONE;
}

int report_html(FILE *fp, const report_data *d, const report_page *page)
{
    const ui_text *ui = d->ui;
    const char *title = page->title ? page->title : ui->report_title;
    const char *colon = ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ";
    char n1[64], n2[64];
    head(fp, d, title, title);
    fprintf(fp, "<p class=\"meta\">%s%s", ui->survey, colon);
    esc(fp, page->survey);
    fprintf(fp, " \xc2\xb7 %s %s \xc2\xb7 %s %s \xc2\xb7 %s%s",
            ui_count(ui, efc_panel_actor_count(d->p), n1), ui->actors,
            ui_count(ui, efc_panel_size(d->p), n2), ui->assessments, ui->periods, colon);
    period_range(fp, d);
    fprintf(fp, " \xc2\xb7 %s%s", ui->peer_group, colon);
    if (d->peer_col == EFC_NONE)
        fputs(ui->all_actors, fp);
    else
        esc(fp, efc_panel_group_column(d->p, d->peer_col));
    fprintf(fp, "</p>\n<p class=\"meta\">%s%s", ui->model, colon);
    esc(fp, page->model);
    fprintf(fp, " (SHA-256 <code>%s</code>) \xc2\xb7 %s efc %s (libefc %s)</p>\n</header>\n",
            page->sha256, ui->generated_by, EFC_VERSION_STRING, efc_version_string());
    overview(fp, d, page);
    for (size_t a = 0; !page->pages && a < efc_panel_actor_count(d->p); a++)
        if (page->with_section[a] && actor_section(fp, d, page, a))
            return EXIT_NOMEM;
    footer(fp, d, page);
    return EXIT_DONE;
}
