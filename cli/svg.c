/* SVG and HTML primitives. Every chart is written straight to its stream:
 * nothing is built in memory, so a report of many actors needs no more
 * memory than one of its sections. */
#include "svg.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <efc/efc.h>

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

void mk_text_n(FILE *fp, const char *s, size_t n)
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
                /* each byte that starts no character becomes one U+FFFD */
                rep = "\xef\xbf\xbd";
            }
        }
        if (rep) {
            fwrite(run, 1, (size_t)(p - run), fp);
            fputs(rep, fp);
            run = p + 1;
        }
    }
    fwrite(run, 1, (size_t)(end - run), fp);
}

void mk_text(FILE *fp, const char *s)
{
    mk_text_n(fp, s ? s : "", s ? strlen(s) : 0);
}

void svg_num(FILE *fp, double v)
{
    if (!isfinite(v))
        v = 0;
    /* integer tenths: no printf of a double, so no locale can turn the
     * point into a comma */
    int64_t n = (int64_t)(fabs(v) * 10 + 0.5);
    if (v < 0 && n)
        fputc('-', fp);
    fprintf(fp, "%lld", (long long)(n / 10));
    if (n % 10)
        fprintf(fp, ".%d", (int)(n % 10));
}

void svg_attr(FILE *fp, const char *name, double v)
{
    fprintf(fp, " %s=\"", name);
    svg_num(fp, v);
    fputc('"', fp);
}

void svg_begin(FILE *fp, double w, double h, const char *cls, const char *label, int standalone)
{
    if (standalone)
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", fp);
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ", fp);
    fputs(cls, fp);
    fputc('"', fp);
    svg_attr(fp, "width", w);
    svg_attr(fp, "height", h);
    fputs(" viewBox=\"0 0 ", fp);
    svg_num(fp, w);
    fputc(' ', fp);
    svg_num(fp, h);
    fputs("\" role=\"img\" aria-label=\"", fp);
    mk_text(fp, label);
    fputs("\"><title>", fp);
    mk_text(fp, label);
    fputs("</title>\n", fp);
    if (standalone)
        fprintf(fp, "<style>%s</style>\n", efc_chart_style());
    /* whole pixels and crisp edges: the frame keeps its exact colour */
    fputs("<rect class=\"frame\" shape-rendering=\"crispEdges\" x=\"1\" y=\"1\"", fp);
    svg_attr(fp, "width", w - 2);
    svg_attr(fp, "height", h - 2);
    fputs("/>\n", fp);
}

void svg_end(FILE *fp)
{
    fputs("</svg>\n", fp);
}

void svg_text(FILE *fp, double x, double y, const char *cls, const char *anchor, const char *text)
{
    fprintf(fp, "<text class=\"%s\"", cls);
    svg_attr(fp, "x", x);
    svg_attr(fp, "y", y);
    if (strcmp(anchor, "start") != 0)
        fprintf(fp, " text-anchor=\"%s\"", anchor);
    fputc('>', fp);
    mk_text(fp, text);
    fputs("</text>\n", fp);
}
