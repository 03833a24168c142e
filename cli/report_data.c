/* The figures behind reports and charts. */
#include "report_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "chart_trajectory.h"

/* Nodes depth first (children in model order), iteratively: a deep model
 * needs no deep recursion. Groups and leaves go to their own lists. */
static int tree_lists(report_data *d)
{
    size_t n = efc_model_node_count(d->m);
    size_t *stack = malloc(n * sizeof *stack);
    d->groups = malloc(n * sizeof *d->groups);
    d->leaves = malloc(n * sizeof *d->leaves);
    d->spokes = malloc(n * sizeof *d->spokes);
    d->row = malloc(n * sizeof *d->row);
    if (!stack || !d->groups || !d->leaves || !d->spokes || !d->row) {
        free(stack);
        return 0;
    }
    size_t top = 0;
    stack[top++] = efc_model_root(d->m);
    while (top) {
        size_t k = stack[--top];
        if (efc_model_node_kind(d->m, k) == EFC_NODE_LEAF) {
            d->leaves[d->nleaves++] = k;
            continue;
        }
        d->groups[d->ngroups++] = k;
        for (size_t c = efc_model_node_child_count(d->m, k); c-- > 0;)
            stack[top++] = efc_model_node_child(d->m, k, c);
    }
    free(stack);
    /* the radar's spokes are the library's (its scales, or its items) */
    d->nspokes = efc_model_radar_count(d->m);
    for (size_t s = 0; s < d->nspokes; s++)
        d->spokes[s] = efc_model_radar_node(d->m, s);
    return 1;
}

static int transfer_index(report_data *d)
{
    size_t na = efc_panel_actor_count(d->p), nt = efc_trajectories_transfer_count(d->t);
    d->tstart = malloc((na + 1) * sizeof *d->tstart);
    if (!d->tstart)
        return 0;
    /* transfers come sorted by actor */
    size_t i = 0;
    for (size_t a = 0; a <= na; a++) {
        size_t actor = 0;
        while (i < nt &&
               (efc_trajectories_transfer(&actor, NULL, NULL, NULL, d->t, i, NULL), actor < a))
            i++;
        d->tstart[a] = i;
    }
    return 1;
}

/* The median of every node among all actors (row 0) and in each peer group
 * (rows 1 ..), from bulk reads. */
static efc_status medians(report_data *d, efc_error *err)
{
    size_t nn = efc_model_node_count(d->m);
    d->ngv = d->peer_col == EFC_NONE ? 0 : efc_ranking_group_count(d->r, d->peer_col);
    d->medians = malloc((d->ngv + 1) * nn * sizeof *d->medians);
    if (!d->medians)
        return EFC_ERR_NOMEM;
    for (size_t k = 0; k < nn; k++)
        d->medians[k] = NAN; /* an empty panel has no group of all actors */
    efc_status st = efc_ranking_fill_groups(d->medians, nn, (ptrdiff_t)nn, 1, d->r, EFC_NONE,
                                            EFC_GROUP_MEDIAN, err);
    if (!st && d->ngv)
        st = efc_ranking_fill_groups(d->medians + nn, d->ngv * nn, (ptrdiff_t)nn, 1, d->r,
                                     d->peer_col, EFC_GROUP_MEDIAN, err);
    return st;
}

int report_data_init(report_data *d, const efc_panel *p, const char *period, double tolerance,
                     const ui_text *ui, efc_error *err)
{
    memset(d, 0, sizeof *d);
    d->p = p;
    d->m = efc_panel_model(p);
    d->ui = ui;
    /* several grouping columns: the first one makes the peer groups */
    d->peer_col = efc_panel_group_column_count(p) ? 0 : EFC_NONE;
    efc_status st = cli_trajectories(&d->t, p, tolerance, err);
    if (!st)
        st = cli_ranking(&d->r, p, EFC_NO_NODE, period, -1, err);
    if (st)
        return cli_fail(err, st);
    if (!tree_lists(d) || !transfer_index(d) || (st = medians(d, err)) == EFC_ERR_NOMEM) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    return st ? cli_fail(err, st) : EXIT_DONE;
}

void report_data_free(report_data *d)
{
    efc_trajectories_free(d->t);
    efc_ranking_free(d->r);
    free(d->spokes);
    free(d->row);
    free(d->groups);
    free(d->leaves);
    free(d->medians);
    free(d->tstart);
    memset(d, 0, sizeof *d);
}

size_t report_assessment(const report_data *d, size_t actor)
{
    return efc_ranking_assessment(d->r, actor);
}

static size_t peer_row(const report_data *d, size_t actor)
{
    if (d->peer_col == EFC_NONE)
        return 0;
    size_t j = efc_ranking_actor_group(d->r, actor, d->peer_col);
    /* an actor in no group of the column is compared with everyone */
    return j == EFC_NONE ? 0 : j + 1;
}

const double *report_medians(const report_data *d, size_t actor)
{
    return d->medians + peer_row(d, actor) * efc_model_node_count(d->m);
}

const char *report_peer_value(const report_data *d, size_t actor)
{
    size_t j = peer_row(d, actor);
    return j ? efc_ranking_group_name(d->r, d->peer_col, j - 1) : NULL;
}

size_t report_peer_count(const report_data *d, size_t actor)
{
    size_t j = peer_row(d, actor);
    double c =
        j ? efc_ranking_group_value(d->r, d->peer_col, j - 1, efc_model_root(d->m), EFC_GROUP_COUNT)
          : efc_ranking_group_value(d->r, EFC_NONE, 0, efc_model_root(d->m), EFC_GROUP_COUNT);
    return isnan(c) ? 0 : (size_t)c;
}

const char *report_peer_legend(const report_data *d, size_t actor, char *buf, size_t cap)
{
    const char *v = report_peer_value(d, actor);
    char count[64];
    size_t n = report_peer_count(d, actor);
    const char *actors = n == 1 ? d->ui->one_actor : d->ui->actors;
    ui_count(d->ui, n, count);
    if (v)
        snprintf(buf, cap, "%s (%s\xc2\xa0: %s, %s %s)", d->ui->peer_median,
                 efc_panel_group_column(d->p, d->peer_col), v, count, actors);
    else
        snprintf(buf, cap, "%s (%s, %s %s)", d->ui->peer_median, d->ui->all_actors, count, actors);
    /* English puts no space before a colon */
    if (strcmp(d->ui->lang, "fr") != 0) {
        char *c = strstr(buf, "\xc2\xa0:");
        if (c)
            memmove(c, c + 2, strlen(c + 2) + 1);
    }
    return buf;
}

typedef struct gap {
    double gap;
    size_t node, order;
} gap;

static int by_gap(const void *x, const void *y)
{
    const gap *a = x, *b = y;
    if (a->gap != b->gap)
        return a->gap < b->gap ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

size_t report_gaps(const report_data *d, size_t actor, size_t *out, size_t max)
{
    size_t i = report_assessment(d, actor);
    if (i == EFC_NONE || !max)
        return 0;
    const double *med = report_medians(d, actor);
    /* the worst `max` gaps by insertion into a short sorted list: linear in
     * the items, however many actors */
    gap best[16];
    size_t nbest = 0;
    if (max > 16)
        max = 16;
    for (size_t j = 0; j < d->nleaves; j++) {
        size_t k = d->leaves[j];
        double g = efc_panel_score(d->p, actor, i, k) - med[k];
        /* below the median by at least what the report prints (0.1 on 0..100) */
        if (!(g <= -0.0005))
            continue;
        gap x = {g, k, j};
        if (nbest == max && by_gap(&x, &best[nbest - 1]) >= 0)
            continue;
        size_t pos = nbest < max ? nbest++ : max - 1;
        while (pos > 0 && by_gap(&x, &best[pos - 1]) < 0) {
            best[pos] = best[pos - 1];
            pos--;
        }
        best[pos] = x;
    }
    for (size_t j = 0; j < nbest; j++)
        out[j] = best[j].node;
    return nbest;
}

int report_radar(const report_data *d, FILE *fp, size_t actor, int standalone, const char *title)
{
    /* the library draws it (efc/chart.h): the actor's score of every node,
     * its peer group's medians, the texts of the language */
    size_t count = efc_model_node_count(d->m), i = report_assessment(d, actor);
    double *v = malloc((count ? count : 1) * sizeof *v);
    if (!v)
        return EXIT_NOMEM;
    for (size_t k = 0; k < count; k++)
        v[k] = i == EFC_NONE ? NAN : efc_panel_score(d->p, actor, i, k);
    char legend[512], label[768], period[80];
    const char *actor_id = efc_panel_actor(d->p, actor);
    snprintf(label, sizeof label, "%s, %s %s", actor_id, d->ui->scores_at,
             i == EFC_NONE
                 ? "\xe2\x80\x93"
                 : ui_period(d->ui, efc_panel_period(d->p, actor, i), period, sizeof period));
    const double *med = report_medians(d, actor);
    efc_chart_options *o = NULL;
    char *svg = NULL;
    size_t len = 0;
    int ok = efc_chart_options_create(&o, NULL, NULL) == EFC_OK &&
             efc_chart_options_set_title(o, title, NULL) == EFC_OK &&
             efc_chart_options_set_label(o, label, NULL) == EFC_OK &&
             efc_chart_options_set_series(o, label, NULL) == EFC_OK &&
             efc_chart_options_set_median_series(
                 o, report_peer_legend(d, actor, legend, sizeof legend), NULL) == EFC_OK &&
             efc_chart_options_set_threshold_text(o, d->ui->threshold, NULL) == EFC_OK &&
             efc_chart_options_set_lang(o, d->ui->lang, NULL) == EFC_OK &&
             efc_chart_options_set_standalone(o, standalone, NULL) == EFC_OK &&
             efc_chart_radar_svg(NULL, 0, &len, d->m, v, med, o, NULL) == EFC_OK &&
             (svg = malloc(len + 1)) != NULL &&
             efc_chart_radar_svg(svg, len + 1, &len, d->m, v, med, o, NULL) == EFC_OK;
    /* write errors show on the stream */
    if (ok)
        fwrite(svg, 1, len, fp);
    free(svg);
    efc_chart_options_free(o);
    free(v);
    return ok ? EXIT_DONE : EXIT_NOMEM;
}

int report_trajectory(const report_data *d, FILE *fp, size_t actor, size_t node, int standalone,
                      const char *title)
{
    size_t n = efc_panel_assessment_count(d->p, actor);
    size_t np = node == EFC_NO_NODE ? d->ngroups : 1;
    size_t nt = d->tstart[actor + 1] - d->tstart[actor];
    double *x = malloc((n ? n : 1) * sizeof *x);
    const char **periods = malloc((n ? n : 1) * sizeof *periods);
    double *y = malloc((n ? n : 1) * np * sizeof *y);
    size_t *steps = malloc((nt ? nt : 1) * 2 * sizeof *steps);
    traj_panel *panels = calloc(np, sizeof *panels);
    int status = EXIT_NOMEM;
    if (!x || !periods || !y || !steps || !panels)
        goto done;
    for (size_t i = 0; i < n; i++) {
        x[i] = efc_panel_period_value(d->p, actor, i);
        periods[i] = efc_panel_period(d->p, actor, i);
    }
    size_t used = 0;
    for (size_t j = 0; j < np; j++) {
        size_t k = node == EFC_NO_NODE ? d->groups[j] : node;
        traj_panel *p = &panels[j];
        p->label = efc_model_node_label(d->m, k, d->ui->lang);
        p->y = y + j * n;
        for (size_t i = 0; i < n; i++)
            y[j * n + i] = efc_panel_score(d->p, actor, i, k);
        p->threshold = efc_model_node_threshold(d->m, k);
        /* the actor's transfers on this node, into consecutive slots */
        p->from = steps + used;
        for (size_t t = d->tstart[actor]; t < d->tstart[actor + 1]; t++) {
            size_t tk, from;
            efc_trajectories_transfer(NULL, &tk, &from, NULL, d->t, t, NULL);
            if (tk == k)
                steps[used + p->ntransfers++] = from;
        }
        used += p->ntransfers;
        p->to = steps + used;
        for (size_t t = d->tstart[actor]; t < d->tstart[actor + 1]; t++) {
            size_t tk, to;
            efc_trajectories_transfer(NULL, &tk, NULL, &to, d->t, t, NULL);
            if (tk == k)
                steps[used++] = to;
        }
    }
    char label[768];
    snprintf(label, sizeof label, "%s: %s", efc_panel_actor(d->p, actor),
             node == EFC_NO_NODE ? d->ui->trajectory_caption
                                 : efc_model_node_label(d->m, node, d->ui->lang));
    traj_spec spec = {.n = n,
                      .x = x,
                      .periods = periods,
                      .panels = panels,
                      .npanels = np,
                      .columns = node == EFC_NO_NODE ? 4 : 1,
                      .large = node != EFC_NO_NODE,
                      .title = title,
                      .label = label,
                      .standalone = standalone,
                      .ui = d->ui};
    trajectory_chart(fp, &spec);
    status = EXIT_DONE;
done:
    free(x);
    free(periods);
    free(y);
    free(steps);
    free(panels);
    return status;
}
