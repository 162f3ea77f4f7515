"""A PDF page's text in reading order, rebuilt from where its pieces are printed, for the pages
pypdf's `extract_text` reads wrongly: two columns (read in the order they are drawn, which may be
line by line across both), a preprint's line numbers in the margin, and footnote marks set as
small raised numbers ("engines.3 They").

Invariant: every printed piece of text is kept, in an order a reader follows, except a footnote
mark (a small raised number or symbol after a word, where a note on the page begins with it) and
a margin line number (a column of numbers going up one by one beside the text). A page with none
of these is returned as `extract_text` reads it, so a one-column PDF's stored text is what it
was. On a page that is rebuilt, each column is read top to bottom, the left before the right,
between the lines that span both (a title, a page number); on a two-column page, text set smaller
than the body (a figure's labels, footnotes) and captions ("Figure 2: ...") are put at the page's
last paragraph break, so that no sentence running down a column or over to the next page is cut
by them. Positions come from pypdf (`extract_text(visitor_text=...)`); widths are estimated.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from typing import Any, NamedTuple

_MARK = re.compile(r"[\d*†‡§¶,]{1,4}")  # a footnote mark: "3", "*", "1,2"
_CAPTION = re.compile(r"(?:Figure|Fig\.|Table|Algorithm)\s+\d+[.:]")
MIN_COLUMN_LINES = 5  # lines side by side needed to call a page two columns; a table row or two is not
MIN_NUMBERED = 5  # margin numbers needed to call them line numbers
SMALL = 0.9  # text set below this share of the body's size is a caption, a footnote or a figure's label


class Run(NamedTuple):
    """A piece of text as pypdf draws it: where (points from the page's lower left), how large."""

    x: float
    y: float
    size: float
    text: str


class _Line(NamedTuple):
    y: float
    size: float  # its body's size: the size most of its characters are set in
    text: str


class Printed(NamedTuple):
    """A page as pypdf reads it: its text, the runs it was drawn in (in drawing order), its width."""

    text: str
    runs: list[Run]
    width: float


def page_runs(page: Any) -> Printed:
    """pypdf's text of a page and the runs it was drawn in."""
    runs: list[Run] = []
    rise = [0.0]  # the text rise (Ts) a superscript is set with, which pypdf's positions leave out

    def operator(op: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if op == b"Ts" and args:
            rise[0] = float(args[0])

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text or text == "\n":
            return
        a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                      tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5] + rise[0] * abs(d)
        runs.append(Run(x, y, float(size) * abs(a * d - b * c) ** 0.5, text.replace("\n", " ")))

    text = page.extract_text(visitor_operand_before=operator, visitor_text=visit) or ""
    return Printed(text, runs, float(page.mediabox.width))


def _body_size(runs: list[Run]) -> float:
    sizes = Counter({})
    for run in runs:
        sizes[round(run.size, 1)] += len(run.text.strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _numbers(runs: list[Run]) -> dict[int, list[int]]:
    """Indices of the runs that are a number alone, by their x (in 2-point steps)."""
    by_x: dict[int, list[int]] = {}
    for i, r in enumerate(runs):
        if r.text.strip().isdigit() and len(r.text.strip()) <= 5:
            by_x.setdefault(round(r.x / 2), []).append(i)
    return by_x


def _line_numbers(runs: list[Run]) -> set[int]:
    """Indices of runs that are line numbers: at one x in the margin (left of all other text or
    right of it), each the one above it plus one, down the page."""
    by_x = _numbers(runs)
    numbers = {i for at in by_x.values() for i in at}
    others = [r.x for i, r in enumerate(runs) if r.text.strip() and i not in numbers]
    if not others:
        return set()
    lo, hi = min(others), max(others)
    found: set[int] = set()
    for at in by_x.values():
        if len(at) < MIN_NUMBERED or lo - 1 < runs[at[0]].x < hi + 1:
            continue
        values = [int(runs[i].text) for i in sorted(at, key=lambda i: -runs[i].y)]
        if sum(b == a + 1 for a, b in zip(values, values[1:])) >= 0.8 * (len(values) - 1):
            found.update(at)
    return found


def _long(runs: list[Run], body: float) -> list[Run]:
    return [r for r in runs if len(r.text.strip()) >= 20 and abs(r.size - body) < 0.5]


def _right_column(runs: list[Run], body: float, width: float) -> float | None:
    """The x where a right-hand column's lines start, where the page has two columns side by side."""
    long = _long(runs, body)
    starts = Counter(round(r.x) for r in long)
    if not starts:
        return None
    left = min(x for x, n in starts.items() if n >= 2) if any(n >= 2 for n in starts.values()) else None
    right = [(n, x) for x, n in starts.items() if left is not None and x - left >= 0.3 * width and x > 0.35 * width]
    if not right:
        return None
    _, x = max(right)
    left_rows = {round(r.y) for r in long if round(r.x) == left}
    side_by_side = sum(round(r.y) in left_rows for r in long if round(r.x) == x)
    # a page of full-width lines with a table beside them is one column: its rows stay rows
    across = sum(r.x < x - 2 and _end(r) > x + 0.1 * width for r in long)
    return float(x) if side_by_side >= MIN_COLUMN_LINES and side_by_side > across else None


def _end(run: Run) -> float:
    """Where a run ends, about: half its size a character (pypdf gives no widths)."""
    return run.x + 0.5 * run.size * len(run.text.strip())


def _notes(runs: list[Run], body: float) -> set[str]:
    """The marks that begin a footnote on the page: set small, first on their line, and followed
    by the note's words ("3 The engines were built in Leeds.", the 3 perhaps raised)."""
    marks = set()
    for i, run in enumerate(runs):
        said = run.text.strip()
        if run.size < SMALL * body and (m := re.match(r"([\d*†‡§¶]{1,3})\s+[^\W\d]", said)):
            marks.add(m[1])
        elif run.size < SMALL * body and _MARK.fullmatch(said) and i + 1 < len(runs):
            after = runs[i + 1]
            if abs(after.y - run.y) < body and after.size < SMALL * body and after.text.strip()[:1].isalpha():
                marks.add(said)
    return marks


def _lines(runs: list[Run], body: float, notes: set[str] = frozenset()) -> list[_Line]:
    """Runs on one baseline joined as drawn, top to bottom; a raised footnote mark after a word
    (one of `notes`, the marks a footnote on the page begins with) is left out, as the note is
    read at the column's foot: "engines.3 They" is "engines. They"."""
    rows: list[list[int]] = []
    for i in sorted(range(len(runs)), key=lambda i: -runs[i].y):
        if rows and abs(runs[rows[-1][0]].y - runs[i].y) <= 0.5 * body:
            rows[-1].append(i)
        else:
            rows.append([i])
    out = []
    for line in ([runs[i] for i in sorted(row)] for row in rows):  # a line's runs in drawing order
        sizes = Counter({})
        for run in line:
            sizes[run.size] += len(run.text.strip())
        size, base = sizes.most_common(1)[0][0], min(run.y for run in line)
        text = ""
        for run in line:
            if not (run.text.strip() in notes and run.size < 0.8 * size and run.y > base + 0.1 * size
                    and text.strip() and not text.rstrip()[-1].isdigit()):
                text += run.text
        if text.strip():
            out.append(_Line(base, size, " ".join(text.split())))
    return out


def _read(lines: list[_Line], body: float, apart: bool, listed: bool) -> tuple[str, list[str], bool]:
    """A column's body text (a blank line where a gap parts paragraphs), and where `apart` the
    blocks set apart from it: captions, footnotes and text smaller than the body; and whether it
    ends in a listing set small under a heading (a references list: `listed` says the column
    before ended so), which is body text. On a page of one column nothing is set apart: no text
    runs on past a footnote there."""
    if not apart:
        return _joined(lines, body), [], False
    kept: list[_Line] = []
    aside: list[list[_Line]] = []
    caption = False
    for i, line in enumerate(lines):
        gap = i > 0 and lines[i - 1].y - line.y > 1.6 * body
        small = line.size < SMALL * body
        if small and (listed or (kept and kept[-1] is lines[i - 1] and _heading(lines[:i], body))):
            listed = True
            kept.append(line)
        elif _CAPTION.match(line.text) or (small and (not aside or gap or aside[-1][-1] is not lines[i - 1])):
            aside.append([line])
            caption = bool(_CAPTION.match(line.text))
        elif aside and aside[-1][-1] is lines[i - 1] and ((caption and not gap) or small):
            aside[-1].append(line)
        else:
            caption = listed = False
            kept.append(line)
    return _joined(kept, body), [_joined(block, body) for block in aside], listed


def _heading(above: list[_Line], body: float) -> bool:
    """Is the last of these lines a heading: short, ending no sentence, with space above it?"""
    text = above[-1].text
    spaced = len(above) < 2 or above[-2].y - above[-1].y > 1.6 * body
    return spaced and len(text.split()) <= 6 and not re.search(r"[.!?:;,]$", text)


def _joined(lines: list[_Line], body: float) -> str:
    out = ""
    for i, line in enumerate(lines):
        if i:
            out += "\n\n" if lines[i - 1].y - line.y > 1.6 * max(body, line.size) else "\n"
        out += line.text
    return out


def reading_order(pages: list[Printed]) -> list[str]:
    """Each page's text in reading order where it has two columns, margin line numbers or raised
    footnote marks; else as pypdf read it. A page whose own lines do not show two columns (the
    last, its right column a few lines long, or only a references list) has them where most pages
    of its document do, if any of its text starts there."""
    numbered = [_line_numbers(page.runs) for page in pages]
    margins = {round(page.runs[i].x / 2) for page, found in zip(pages, numbered) for i in found}
    found = []
    for page, numbers in zip(pages, numbered):  # a page's few numbered lines, where other pages number theirs
        numbers |= {i for x, at in _numbers(page.runs).items() if x in margins for i in at}
        body = _body_size(page.runs)
        kept = [r for i, r in enumerate(page.runs) if i not in numbers]
        found.append((body, numbers, kept, _right_column(kept, body, page.width)))
    usual = Counter(right for *_, right in found if right is not None).most_common(1)
    out = []
    for page, (body, lined, kept, right) in zip(pages, found):
        if right is None and usual and any(abs(r.x - usual[0][0]) <= 2 and r.text.strip() for r in kept):
            right = usual[0][0]
        out.append(_in_order(page, body, bool(lined), kept, right))
    return out


def _in_order(page: Printed, body: float, numbered: bool, kept: list[Run], right: float | None) -> str:
    """One page's text read in order (`reading_order`), `right` where its right column starts."""
    width = page.width
    notes = _notes(kept, body)
    marked = any(r.size < 0.8 * body and r.text.strip() in notes for r in kept)
    if right is None and not numbered and not marked:
        return page.text

    def spans(r: Run) -> bool:
        if right is None:
            return False
        end = _end(r)
        return r.x < right - 2 and (end > right + 0.1 * width or abs((r.x + end) / 2 - width / 2) < 0.03 * width)

    spanning = _lines([r for r in kept if spans(r)], body, notes)
    bands: list[list[Run]] = [[] for _ in range(len(spanning) + 1)]  # the runs between two spanning lines
    floors = [-line.y for line in spanning]
    for r in kept:
        at = bisect_left(floors, -r.y)
        if not spans(r) and (at == len(spanning) or spanning[at].y != r.y):
            bands[at].append(r)
    parts: list[str] = []
    asides: list[str] = []
    listed = False
    across: list[_Line] = []  # spanning lines with nothing between them: one block (a full-width abstract)
    for k, band in enumerate(bands):
        if band and across:
            parts.append(_joined(across, body))
            across = []
        top = max((r.y for r in band if r.size >= SMALL * body and r.text.strip()), default=float("-inf"))
        head = _lines([r for r in band if r.y > top + 0.5 * body], body, notes)  # a running head over both columns
        parts += [line.text for line in head]
        band = [r for r in band if r.y <= top + 0.5 * body]
        flow = []
        for column in ([r for r in band if right is None or r.x < right - 2],
                       [r for r in band if right is not None and r.x >= right - 2]):
            text, blocks, listed = _read(_lines(column, body, notes), body, right is not None, listed)
            flow += [text] if text else []
            asides += blocks
        parts += ["\n".join(flow)] if flow else []
        across += spanning[k:k + 1]
    return _placed_aside(parts + [_joined(across, body)], asides)


def _placed_aside(parts: list[str], asides: list[str]) -> str:
    """The page's parts with the blocks set apart at its last paragraph break, so that neither
    a sentence running down the columns nor one running on to the next page is cut by them."""
    parts = [p for p in parts if p]
    if asides:
        for i in reversed(range(len(parts))):
            if (at := parts[i].rfind("\n\n")) != -1:
                parts[i] = parts[i][:at] + "\n\n" + "\n\n".join(asides) + parts[i][at:]
                break
        else:
            parts += asides
    return "\n\n".join(parts)
