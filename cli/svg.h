/* Markup shared by the trajectory charts and the HTML pages (the radar and
 * the charts' style sheet are the library's, efc/chart.h): escaped text and
 * coordinates written without the process locale. */
#ifndef EFC_CLI_SVG_H
#define EFC_CLI_SVG_H

#include <stddef.h>
#include <stdio.h>

/* Text from the model or the survey, escaped for XML and HTML text and
 * attribute values alike (& < > " '). What XML 1.0 cannot hold is written
 * as U+FFFD: control characters (tabs and line ends are kept), and bytes
 * that are not well-formed UTF-8 (a file name or --title in Latin-1), one
 * U+FFFD per byte. */
void mk_text(FILE *fp, const char *s);
/* The first `n` bytes of s, escaped the same way. */
void mk_text_n(FILE *fp, const char *s, size_t n);

/* A coordinate rounded to one decimal ("12.5", "-3", "100"). */
void svg_num(FILE *fp, double v);
/* x="..." y="..." style pairs: ` name="v"`. */
void svg_attr(FILE *fp, const char *name, double v);

/* Open an <svg> of w x h user units with a frame drawn in the colour kept
 * for chart frames (tests count charts by it), role="img" and an
 * aria-label and <title> saying what it shows (`label`). A standalone
 * chart (a .svg file) gets the XML declaration and its own style sheet;
 * a chart inside a report uses the page's. `cls` is the chart's class. */
void svg_begin(FILE *fp, double w, double h, const char *cls, const char *label, int standalone);
void svg_end(FILE *fp);

/* A text element: class cls, anchor "start", "middle" or "end". */
void svg_text(FILE *fp, double x, double y, const char *cls, const char *anchor, const char *text);

/* The charts' style sheet, shared by standalone charts and the reports,
 * is the library's: efc_chart_style() (efc/chart.h), whose frame colour,
 * #7a3e9d, is used nowhere else in a report or a chart. */

#endif
