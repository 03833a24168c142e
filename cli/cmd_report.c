/* efc report: one self-contained HTML page of charts and tables for
 * directors and elected officials, in English or French. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "report_html.h"

static const char *const help =
    "usage: efc report [options] [FILE|-] -o REPORT.html\n"
    "\n"
    "Score a survey and write a report as one self-contained HTML page (inline\n"
    "CSS and SVG, no script, no external resource, printable): an overview of\n"
    "every actor (latest scores per group node on 0..100, thresholds met or\n"
    "missed, rank overall and within its peer group), then a section per actor:\n"
    "a radar of its axes and blocks against its peer group's median, its\n"
    "trajectory on every group node with impact transfers marked, the items\n"
    "furthest below the peer median, and every figure in tables.\n"
    "\n"
    "  --group COL           grouping column (repeatable); the first one makes\n"
    "                        the peer groups (default: all actors)\n"
    "  --lang en|fr          the report's language: labels, descriptions and\n"
    "                        numbers (decimal comma in French); default en\n"
    "  --title TEXT          the page's title (default: EFC assessment report)\n"
    "  --actors A,B,...      detailed sections for these actors only (all listed\n"
    "                        in the overview); default: every actor\n"
    "  --pages               write each actor's section as a page of its own in\n"
    "                        the directory FILE-actors beside the overview (for\n"
    "                        large surveys: a page stays quick to open)\n"
    "  --tolerance T         how much a node must fall for a transfer, on the\n"
    "                        0..1 scale of scores (default 0.01)\n"
    "  -o, --output FILE     write to FILE (replaced only on success)\n"
    "\n"
    "Reading options, as for efc score: --model --id --period-column COL --delimiter\n"
    "--encoding --decimal-comma --date-format --na --strict-range --labels --combine\n"
    "--on-error --rejects -j -q (see efc score --help).\n"
    "\n"
    "Exit status: 0 done, 1 bad data (an actor not in the survey), 2 usage,\n"
    "3 input/output, 4 out of memory, 5 finished with rejected rows.\n";

/* Mark the actors named by --actors. */
static int mark_sections(analysis *a, unsigned char *with)
{
    char *copy;
    const char **ids;
    size_t *actors, n;
    int status = cli_actor_list(a->panel, a->in.name, a->o.actors, &copy, &ids, &actors, &n);
    for (size_t i = 0; !status && i < n; i++)
        with[actors[i]] = 1;
    free(copy);
    free((void *)ids);
    free(actors);
    return status;
}

/* The last part of a path: reports name their sources without the
 * directories, so that they are the same from any checkout. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* Past this many sections one page grows beyond 15 MB, which browsers take
 * seconds to open (bench/report.sh measures it): --pages is then better. */
#define MAX_INLINE_SECTIONS 1000

/* Each actor's page, written into a temporary directory that replaces
 * `dir` as a whole at the end of a successful run (files.h): the
 * directory then holds exactly this report's pages. */
static int write_pages(analysis *a, const report_data *d, report_page *page, const char *dir)
{
    size_t n = 0, na = efc_panel_actor_count(a->panel);
    for (size_t actor = 0; actor < na; actor++)
        n += page->with_section[actor] != 0;
    cli_pages pages;
    int status = cli_pages_open(&pages, dir, n);
    for (size_t actor = 0; !status && actor < na; actor++) {
        if (!page->with_section[actor])
            continue;
        char name[32];
        snprintf(name, sizeof name, "a%zu.html", actor + 1);
        FILE *fp;
        if ((status = cli_pages_file(&pages, name, &fp)))
            break;
        if ((status = report_actor_page(fp, d, page, actor))) {
            fprintf(stderr, "efc: out of memory\n");
            fclose(fp);
        } else {
            errno = 0;
            int failed = fflush(fp) != 0 || ferror(fp);
            int e = errno;
            if (fclose(fp) != 0 && !failed) {
                failed = 1;
                e = errno;
            }
            if (failed) {
                errno = e;
                status = cli_io_error(dir, "write error");
            }
        }
    }
    return status;
}

static int write_report(analysis *a)
{
    report_data d = {0};
    size_t na = efc_panel_actor_count(a->panel);
    unsigned char *with = calloc(na ? na : 1, 1);
    char sha[65];
    int status = EXIT_DONE;
    if (!with) {
        fprintf(stderr, "efc: out of memory\n");
        return EXIT_NOMEM;
    }
    if (a->o.actors)
        status = mark_sections(a, with);
    else
        memset(with, 1, na);
    efc_status st;
    if (!status && (st = efc_model_sha256(sha, a->in.model, a->in.err)))
        status = cli_fail(a->in.err, st);
    if (!status)
        status =
            report_data_init(&d, a->panel, NULL, a->o.tolerance, ui_text_for(a->o.lang), a->in.err);
    char *dir = NULL, *dir_url = NULL, *overview_url = NULL;
    /* beside the file the overview replaces, named after it (links followed) */
    int nomem = 0;
    char *target = a->o.pages ? cli_output_target(a->o.output, &nomem) : NULL;
    if (!status && a->o.pages &&
        (!target || !(dir = analysis_pages_dir(target)) ||
         !(dir_url = report_url_segment(base_name(dir))) ||
         !(overview_url = report_url_segment(base_name(target))))) {
        fprintf(stderr, "efc: out of memory\n");
        status = EXIT_NOMEM;
    }
    report_page page = {.title = a->o.title,
                        .survey = base_name(a->in.name),
                        .model = a->o.model_path ? base_name(a->o.model_path) : "default",
                        .sha256 = sha,
                        .with_section = with,
                        .all_sections = !a->o.actors,
                        .pages = dir_url,
                        .overview = overview_url};
    if (!status && dir)
        status = write_pages(a, &d, &page, dir);
    page.overview = NULL;
    if (!status && (status = report_html(a->out.fp, &d, &page)))
        fprintf(stderr, "efc: out of memory\n");
    size_t sections = 0;
    for (size_t i = 0; i < na; i++)
        sections += with[i];
    if (!status && !dir && sections > MAX_INLINE_SECTIONS && !a->o.quiet)
        fprintf(stderr,
                "efc: warning: %zu actor sections in one page make it slow to open; --pages "
                "writes one page per actor (or --actors chooses the sections)\n",
                sections);
    report_data_free(&d);
    free(with);
    free(target);
    free(dir);
    free(dir_url);
    free(overview_url);
    return status;
}

int cmd_report(int argc, char **argv)
{
    analysis a;
    int status = analysis_begin(&a, CMD_REPORT, "report", help, NULL, argc, argv);
    if (status)
        return analysis_end(&a, status);
    return analysis_end(&a, write_report(&a));
}
