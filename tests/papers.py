"""Two-column papers written as real PDFs by hand, as the tests' other PDFs are
(tests.test_load.minimal_pdf): a title and authors across the page, then two columns holding the
abstract, numbered section headings, paragraphs, a figure (a drawn box with its axis labels) and
its caption, footnotes at the foot of the column that refers to them (the mark a raised small
number, as word processors set it with a text rise), a references list, a running head and a page
number; optionally a preprint's line numbers in the margins. `order` is the order the page's text
is drawn in: "columns" (the left column, then the right, as TeX writes it) or "rows" (line by line
across the page, as some converters do), which pypdf's extract_text follows.

A paragraph marks a footnote with "^N" after a word ("engines.^3 They"); `Paper.footnotes[N]`
is its text. Not a test module: tests and eval/paper_pages.py build their papers here.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from tests.test_load import pdf_string, pdf_file

WIDTH, HEIGHT = 612, 792
COLUMN_CHARS = 50  # Times at 9 points in a 246-point column
LEADING = 11
TOP, BOTTOM = 720, 72  # the text block; the running head above it, the page number below
LEFT, RIGHT = 54, 318  # the columns' left edges
FIRST_PAGE_TOP = 600  # below the title, the authors and their affiliations
_MARK = re.compile(r"\^(\d+)")


@dataclass
class Paper:
    title: str
    authors: list[str]
    abstract: str
    sections: list[tuple[str, list[str]]]  # heading ("1 Introduction"), paragraphs
    figures: list[tuple[int, str]] = field(default_factory=list)  # (paragraph it floats from, counted over all sections; caption)
    footnotes: dict[int, str] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    head: str = "Preprint. Under review."


@dataclass
class _Line:
    text: str
    font: str = "F1"  # F2 is bold
    size: int = 9
    kind: str = "body"  # body, heading, caption, figure, footnote, reference
    gap: int = 0  # blank lines before it


def _lines(paper: Paper) -> list[_Line]:
    """The paper's column text, line by line, in reading order; the figure is marked where it
    is referred to, and floats to the top of the next column (footnotes are placed later)."""
    out = [_Line("Abstract", "F2", 10, "heading")]
    out += [_Line(line) for line in textwrap.wrap(paper.abstract, COLUMN_CHARS, break_on_hyphens=False)]
    count = 0
    for heading, paragraphs in paper.sections:
        out.append(_Line(heading, "F2", 10, "heading", gap=1))
        for paragraph in paragraphs:
            count += 1
            out += [_Line(caption, kind="float") for at, caption in paper.figures if at == count]
            out += [_Line(line, gap=int(i == 0 and out[-1].kind not in ("heading", "float")))
                    for i, line in enumerate(textwrap.wrap(paragraph, COLUMN_CHARS, break_on_hyphens=False))]
    if paper.references:
        out.append(_Line("References", "F2", 10, "heading", gap=1))
        for entry in paper.references:
            out += [_Line(line, size=8, kind="reference", gap=int(i == 0)) for i, line in
                    enumerate(textwrap.wrap(entry, COLUMN_CHARS + 6, subsequent_indent="   ", break_on_hyphens=False))]
    return out


FIGURE_LINES = 9  # the drawn box's height in lines


def _columns(paper: Paper) -> list[list[tuple[int, list[_Line]]]]:
    """Per page, per column, (its top, its lines with footnotes at its foot)."""
    pages: list[list[tuple[int, list[_Line]]]] = []
    column: list[_Line] = []
    notes: list[_Line] = []
    top = FIRST_PAGE_TOP

    def room() -> int:
        used = sum(1 + max(line.gap, 0) + (FIGURE_LINES if line.kind == "figure" else 0) for line in column)
        return (top - BOTTOM) // LEADING - used - (len(notes) + 1 if notes else 0)

    def close() -> None:
        nonlocal column, notes, top
        if not pages or len(pages[-1]) == 2:
            pages.append([])
        pages[-1].append((top, column + ([_Line("", kind="rule")] + notes if notes else [])))
        column, notes = [], []
        top = FIRST_PAGE_TOP if len(pages) == 1 and len(pages[0]) < 2 else TOP

    floating: list[_Line] = []
    for line in _lines(paper):
        if line.kind == "float":
            floating = [_Line("[figure]", kind="figure")] + [
                _Line(text, size=8, kind="caption") for text in textwrap.wrap(line.text, COLUMN_CHARS + 6, break_on_hyphens=False)]
            continue
        marks = [int(m) for m in _MARK.findall(line.text)]
        wanted = [_Line(note, size=7, kind="footnote") for m in marks
                  for note in textwrap.wrap(f"{m} {paper.footnotes[m]}", COLUMN_CHARS + 10, break_on_hyphens=False)]
        need = 1 + line.gap + (FIGURE_LINES if line.kind == "figure" else 0) + len(wanted) + (1 if wanted and not notes else 0)
        if room() < need:
            close()
            line.gap = 0
            if floating:  # a float waits for the top of a column
                column += floating
                line.gap, floating = 1, []  # the float's space below it
        column.append(line)
        notes += wanted
    close()
    return pages


def _show(line: _Line) -> bytes:
    """A line's text operators: a footnote mark raised and small, as Word sets a superscript."""
    parts = _MARK.split(line.text)
    out = b"/%s %d Tf " % (line.font.encode(), line.size)
    for i, part in enumerate(parts):
        if i % 2:
            out += b"/F1 6 Tf 3.5 Ts %s Tj /%s %d Tf 0 Ts " % (pdf_string(part), line.font.encode(), line.size)
        elif part:
            out += pdf_string(part) + b" Tj "
    return out


def _placed(paper: Paper, line_numbers: bool) -> list[list[tuple[float, float, bytes, int]]]:
    """Per page, every drawn piece of text as (x, y, operators, column), numbered lines included."""
    out = []
    number = 0
    for n, page in enumerate(_columns(paper), start=1):
        drawn: list[tuple[float, float, bytes, int]] = []
        if n == 1:
            drawn.append((WIDTH / 2 - 3.6 * len(paper.title), 700, b"/F2 16 Tf " + pdf_string(paper.title) + b" Tj ", 0))
            for i, author in enumerate(paper.authors):
                drawn.append((WIDTH / 2 - 2.5 * len(author), 670 - 13 * i, b"/F1 11 Tf " + pdf_string(author) + b" Tj ", 0))
        for c, (top, lines) in enumerate(page):
            x, y = (LEFT, RIGHT)[c], top
            for line in lines:
                y -= LEADING * (1 + max(line.gap, 0))
                if line.kind == "rule":
                    continue
                if line.kind == "figure":  # the plot's labels are text too, drawn inside the box
                    drawn += [(x + 10 + 40 * i, y - 10 * LEADING + 14, b"/F1 7 Tf " + pdf_string(label) + b" Tj ", c)
                              for i, label in enumerate(["1990", "2000", "2010", "2020"])]
                    drawn.append((x + 2, y - 4 * LEADING, b"/F1 7 Tf (tonnes) Tj ", c))
                    y -= FIGURE_LINES * LEADING
                    continue
                drawn.append((x, y, _show(line), c))
                if line_numbers and line.kind in ("body", "heading", "caption"):
                    number += 1
                    drawn.append((x - 24 if c == 0 else x + 252, y, b"/F1 7 Tf " + pdf_string(str(number)) + b" Tj ", c))
        out.append(drawn)
    return out


def paper_pdf(paper: Paper, order: str = "columns", line_numbers: bool = False) -> bytes:
    """The paper as a PDF; `order` "columns" or "rows" (see the module's docstring)."""
    pages = _placed(paper, line_numbers)
    streams = []
    columns = _columns(paper)
    for n, drawn in enumerate(pages, start=1):
        if order == "rows":
            drawn = sorted(drawn, key=lambda d: (-round(d[1]), d[0]))
        else:
            drawn = sorted(drawn, key=lambda d: d[3])  # stable: each column's own order kept
        stream = b"BT /F1 8 Tf 54 750 Td " + pdf_string(paper.head) + b" Tj ET\n"
        stream += b"\n".join(b"BT %.1f %.1f Td %sET" % (x, y, ops) for x, y, ops, _ in drawn)
        stream += b"\nBT /F1 9 Tf 302 40 Td " + pdf_string(str(n)) + b" Tj ET"
        for c, (top, lines) in enumerate(columns[n - 1]):  # figure boxes and footnote rules
            y = top
            for line in lines:
                y -= LEADING * (1 + max(line.gap, 0))
                if line.kind == "figure":
                    stream += b"\n%d %d 240 %d re S" % ((LEFT, RIGHT)[c], y - FIGURE_LINES * LEADING + 6, FIGURE_LINES * LEADING)
                    y -= FIGURE_LINES * LEADING
                elif line.kind == "rule":
                    stream += b"\n%d %d m %d %d l S" % ((LEFT, RIGHT)[c], y + 6, (LEFT, RIGHT)[c] + 80, y + 6)
        streams.append(stream)
    return pdf_file(streams, [b"Times-Roman", b"Times-Bold"])
