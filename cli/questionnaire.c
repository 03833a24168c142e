/* The form follows the model's tree: a section per group, nested as the
 * groups are, and a fieldset per item. Field names are the items' ids, the
 * columns of a survey (efc model --template), so that answers copied from
 * the form fit the survey as they are. No script and no action: the form
 * is filled on screen or on paper and printed. */
#include "questionnaire.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

static const char form_css[] =
    "body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:#1d2330;background:#fff;"
    "margin:0 auto;padding:16px 24px;max-width:900px;line-height:1.45;font-size:14px}"
    "h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:22px 0 4px;"
    "border-bottom:2px solid #1f6fb2;padding-bottom:3px}h3{font-size:16px;margin:16px 0 4px}"
    "h4{font-size:14px;margin:12px 0 4px}"
    ".meta{color:#4a5260}.desc{color:#39404c;margin:2px 0 8px}"
    "fieldset{border:1px solid #c3c7cf;border-radius:4px;margin:10px 0;padding:8px 12px}"
    "legend{font-weight:bold;padding:0 4px}legend code,.meta code{font-weight:normal;"
    "font-size:12px;color:#5f6670}"
    ".levels label{display:block;margin:3px 0;padding:2px 4px}"
    ".levels label:hover{background:#eef1f5}"
    ".levels b{display:inline-block;min-width:1.6em}"
    ".na{color:#5f6670;font-style:italic}"
    ".who label{display:inline-block;margin-right:24px}"
    "input[type=text],input[type=number]{font:inherit;padding:2px 4px;min-width:12em}"
    "@media print{body{max-width:none;padding:0;font-size:11px}"
    "fieldset{break-inside:avoid}h2,h3,h4{break-after:avoid}"
    "@page{size:A4;margin:14mm}}";

/* A number as the language writes it: a level's value or a goalpost. */
static void number(FILE *fp, const ui_text *ui, double v)
{
    char buf[64], out[80];
    /* the tool never sets the process locale: %g writes a point */
    snprintf(buf, sizeof buf, "%.15g", v);
    mk_text(fp, ui_period(ui, buf, out, sizeof out));
}

/* A text in the language, else the base text; NULL when there is none. */
static const char *text(const efc_model *m, size_t k, efc_text_kind kind, const char *lang)
{
    const char *t = efc_model_node_text(m, k, kind, lang);
    return t && *t ? t : efc_model_node_text(m, k, kind, NULL);
}

static void description(FILE *fp, const efc_model *m, size_t k, const ui_text *ui)
{
    const char *d = text(m, k, EFC_TEXT_DESCRIPTION, ui->lang);
    if (!d || !*d)
        return;
    fputs("<p class=\"desc\">", fp);
    mk_text(fp, d);
    fputs("</p>\n", fp);
}

static void item(FILE *fp, const efc_model *m, size_t k, size_t number_shown, const ui_text *ui)
{
    const char *id = efc_model_node_id(m, k);
    fprintf(fp, "<fieldset class=\"item\"><legend>%zu. ", number_shown);
    mk_text(fp, efc_model_node_label(m, k, ui->lang));
    fputs(" <code>", fp);
    mk_text(fp, id);
    fputs("</code></legend>\n", fp);
    description(fp, m, k, ui);
    size_t nl = efc_model_node_level_count(m, k);
    if (nl) {
        fputs("<div class=\"levels\">\n", fp);
        for (size_t i = 0; i < nl; i++) {
            fputs("<label><input type=\"radio\" name=\"", fp);
            mk_text(fp, id);
            fputs("\" value=\"", fp);
            /* the value a survey holds: with a point, whatever the language */
            char v[64];
            snprintf(v, sizeof v, "%.15g", efc_model_node_level_value(m, k, i));
            fputs(v, fp);
            fputs("\"> <b>", fp);
            number(fp, ui, efc_model_node_level_value(m, k, i));
            fputs("</b> ", fp);
            mk_text(fp, efc_model_node_level_text(m, k, i, ui->lang));
            fputs("</label>\n", fp);
        }
        fputs("<label class=\"na\"><input type=\"radio\" name=\"", fp);
        mk_text(fp, id);
        fprintf(fp, "\" value=\"\"> %s</label>\n</div>\n", ui->not_applicable);
    } else {
        fprintf(fp, "<label>%s ", ui->answer_between);
        number(fp, ui, efc_model_node_min(m, k));
        fprintf(fp, " %s ", ui->and_word);
        number(fp, ui, efc_model_node_max(m, k));
        fputs(ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ", fp);
        fputs("<input type=\"number\" step=\"any\" name=\"", fp);
        mk_text(fp, id);
        char lo[64], hi[64];
        snprintf(lo, sizeof lo, "%.15g", efc_model_node_min(m, k));
        snprintf(hi, sizeof hi, "%.15g", efc_model_node_max(m, k));
        fprintf(fp, "\" min=\"%s\" max=\"%s\"></label>\n", lo, hi);
    }
    fputs("</fieldset>\n", fp);
}

typedef struct visit {
    size_t node, depth;
    int leave; /* close the group's section */
} visit;

int questionnaire_html(FILE *fp, const efc_model *m, const ui_text *ui, const char *model,
                       const char *sha256)
{
    size_t n = efc_model_node_count(m);
    visit *stack = malloc(2 * n * sizeof *stack);
    if (!stack)
        return EXIT_NOMEM;
    const char *colon = ui->lang[0] == 'f' ? "\xc2\xa0: " : ": ";
    fprintf(fp,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"efc %s (libefc %s)\">\n<title>%s</title>\n"
            "<style>%s</style>\n</head>\n<body>\n<h1>%s</h1>\n<p class=\"meta\">%s%s",
            ui->lang, EFC_VERSION_STRING, efc_version_string(), ui->questionnaire_title, form_css,
            ui->questionnaire_title, ui->model, colon);
    mk_text(fp, model);
    fprintf(fp, " (SHA-256 <code>%s</code>)</p>\n<p>%s</p>\n", sha256, ui->questionnaire_intro);
    fprintf(fp,
            "<form>\n<fieldset class=\"who\"><label>%s%s<input type=\"text\" name=\"id\">"
            "</label><label>%s%s<input type=\"text\" name=\"period\"></label></fieldset>\n",
            ui->respondent, colon, ui->period_word, colon);
    size_t top = 0, shown = 0;
    stack[top++] = (visit){efc_model_root(m), 0, 0};
    while (top) {
        visit v = stack[--top];
        if (v.leave) {
            fputs("</section>\n", fp);
            continue;
        }
        size_t k = v.node;
        if (efc_model_node_kind(m, k) == EFC_NODE_LEAF) {
            item(fp, m, k, ++shown, ui);
            continue;
        }
        /* the root is the page: its description opens the form */
        if (v.depth == 0) {
            description(fp, m, k, ui);
        } else {
            int h = v.depth + 1 > 4 ? 4 : (int)v.depth + 1;
            fprintf(fp, "<section class=\"group\"><h%d>", h);
            mk_text(fp, efc_model_node_label(m, k, ui->lang));
            fprintf(fp, "</h%d>\n", h);
            description(fp, m, k, ui);
            stack[top++] = (visit){k, v.depth, 1};
        }
        for (size_t c = efc_model_node_child_count(m, k); c-- > 0;)
            stack[top++] = (visit){efc_model_node_child(m, k, c), v.depth + 1, 0};
    }
    fputs("</form>\n<footer class=\"meta\"><p>", fp);
    fprintf(fp, "%s efc %s (libefc %s)</p></footer>\n</body>\n</html>\n", ui->generated_by,
            EFC_VERSION_STRING, efc_version_string());
    free(stack);
    return EXIT_DONE;
}
