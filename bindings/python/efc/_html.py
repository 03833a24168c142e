"""The HTML the package's objects show in a notebook (_repr_html_): small
tables, every text from a model, a survey or a frame escaped (& < > " ').
Nothing here computes: each object passes what it already holds, so showing
one costs no more than its repr. No style sheet, no script: the notebook's
own table style applies, and the HTML survives nbconvert and GitHub's
viewer."""
import html
import math
from typing import Iterable, Optional, Sequence

# rows shown before "... N more" in the tables of many rows
MAX_ROWS = 60


def esc(value) -> str:
    """Any value as escaped HTML text (None as an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def num(v, digits: int = 3) -> str:
    """A number for a table: integers as integers, NaN and None as an en
    dash (what the CLI's charts write for a missing score)."""
    if v is None:
        return "\u2013"
    try:
        f = float(v)
    except (TypeError, ValueError):
        return esc(v)
    if math.isnan(f):
        return "\u2013"
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.{digits}f}".rstrip("0").rstrip(".")


def box(title: str, summary: str, *parts: str) -> str:
    """The frame every repr shares: a bold title (escaped here), a summary
    line (escaped by the caller) and the parts (HTML)."""
    return (f'<div class="efc-repr"><strong>{esc(title)}</strong>'
            + (f" <span>{summary}</span>" if summary else "")
            + "".join(parts) + "</div>")


def table(header: Sequence[str], rows: Iterable[Sequence[str]], total: Optional[int] = None,
          max_rows: int = MAX_ROWS) -> str:
    """A table of cells that are HTML already (escape them with esc()); the
    header is escaped here. With more than max_rows rows, the first ones
    and a line saying how many were left out."""
    # the first column (names, the model's tree) reads left-aligned; the
    # notebook's style aligns the others (numbers to the right)
    left = '<td style="text-align:left">'
    out = ['<table class="efc-table"><thead><tr>']
    out += [f"<th>{esc(h)}</th>" for h in header]
    out.append("</tr></thead><tbody>")
    shown = 0
    for row in rows:
        if shown == max_rows:
            break
        out.append("<tr>" + "".join((left if i == 0 else "<td>") + f"{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
        shown += 1
    out.append("</tbody></table>")
    if total is not None and total > shown:
        out.append(f"<p>\u2026 {total - shown} more (of {total})</p>")
    return "".join(out)

