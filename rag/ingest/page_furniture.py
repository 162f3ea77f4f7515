"""What a printed page adds to its text: running headers and footers, page numbers, and the
page break inside a sentence. PDF pages are read through here before they are stored.

Invariant: only whole lines at a page's top or bottom (its first and last EDGE_LINES lines
with text) are dropped, and only in a document of more than one page: a line that some
other page does not bear out as furniture is kept. A running line is one repeated (its
digits aside, so "Annual report, page 7" repeats) at the edges of most pages, or of most odd
or most even pages (a book's verso and recto heads), and of RUNNING_PAGES pages at least; a
page number ("12", "Page 12", "- 12 -", "12 of 40") is one whose number counts up with the
pages as another page's does. Dropped lines are never stored, so never quoted; each page's
span of the stored text is still recorded by `office.join_parts`, and a sentence that a page
break cuts is joined again (`page_break`).
"""

from __future__ import annotations

import re

from rag.ingest.clean import runs_on

EDGE_LINES = 3  # a header or footer block is at most this many lines (title, author, number)
RUNNING_PAGES = 3  # a title printed atop two pages of thirty is the document's, not a running head
MAX_PAGE_LINE = 24  # "Page 12 of 40" and its kin are short
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:(?:page|p\.|pg\.?)\s*)?[-–—]?\s*(\d{1,5})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,5})?",
                          re.IGNORECASE)


def _key(line: str) -> str:
    """The line as a running head repeats it: spacing, case and numbers aside."""
    return _DIGITS.sub("#", " ".join(line.split()).casefold())


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last EDGE_LINES lines that hold text."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _counts_pages(numbers: dict[int, list[str]]) -> bool:
    """Do a line's numbers (per page, the digit runs of its line there) stay the same from page
    to page, or count up with the pages ("Annual report, page 7")? "Harbour 3 handled 2000
    tonnes" atop three pages in turn is text written to a pattern, not a running head."""
    for column in zip(*numbers.values()):
        if len(set(column)) > 1 and (max(map(len, column)) > 6 or len(
                {int(value) - page for value, page in zip(column, numbers)}) > 1):
            return False
    return True


def _running(pages: list[list[str]], edges: list[list[int]]) -> set[str]:
    """Keys of the lines at the edges of most pages, or of most odd or most even pages, whose
    numbers stay or count the pages."""
    on: dict[str, dict[int, list[str]]] = {}
    for number, (lines, at) in enumerate(zip(pages, edges), start=1):
        for i in at:
            on.setdefault(_key(lines[i]), {}).setdefault(number, _DIGITS.findall(lines[i]))
    count = len(pages)
    odd, even = (count + 1) // 2, count // 2
    return {key for key, numbers in on.items() if len(numbers) >= RUNNING_PAGES and (
        2 * len(numbers) > count or 2 * sum(n % 2 for n in numbers) > odd
        or 2 * sum(n % 2 == 0 for n in numbers) > even) and _counts_pages(numbers)}


def _page_numbers(pages: list[list[str]], edges: list[list[int]]) -> set[tuple[int, int]]:
    """(page, line) of each page-number line whose number minus its page's is the same as on
    another page (printed numbers may start anywhere: a chapter from a journal is pp. 345-360)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for number, (lines, at) in enumerate(zip(pages, edges), start=1):
        for i in at:
            line = " ".join(lines[i].split())  # one space at most between parts: no backtracking
            if len(line) <= MAX_PAGE_LINE and (m := _PAGE_NUMBER.fullmatch(line)):
                found.setdefault(int(m[1]) - number, []).append((number, i))
    return {where for places in found.values() if len({page for page, _ in places}) > 1 for where in places}


def without_furniture(texts: list[str]) -> list[str]:
    """Each page's text less its running header and footer lines and its page-number lines;
    a single page as it is."""
    if len(texts) < 2:
        return texts
    pages = [text.split("\n") for text in texts]
    edges = [_edges(lines) for lines in pages]
    running = _running(pages, edges)
    numbered = _page_numbers(pages, edges)
    out = []
    for number, (lines, at) in enumerate(zip(pages, edges), start=1):
        dropped = {i for i in at if _key(lines[i]) in running or (number, i) in numbered}
        out.append("\n".join(line for i, line in enumerate(lines) if i not in dropped))
    return out


def page_break(printed: str, after: str) -> str:
    """What joins a page's cleaned text (`after`) to the page before it, printed as `printed`:
    a space where the sentence that page leaves open goes on at the top of `after`, as a
    wrapped line does (`clean.runs_on`), so that it is one sentence (cited on the page where it
    starts); else a blank line."""
    lines = [line.strip() for line in printed.split("\n") if line.strip()]
    widest = max((len(line) for line in lines), default=0)
    first = after.split("\n", 1)[0]
    return " " if lines and runs_on(lines[-1], first, widest) else "\n\n"


# a word a typeset line broke at its end: "commer-" (or "commer ‐", as pypdf gives U+2010), its
# rest ("cially") on the next line, or atop the next page with the marks that close on it
_LINE_END_HYPHEN = r"([^\W\d_]) ?[-\u2010\u00ad][ \t]*"
_BROKEN_WORD = re.compile(_LINE_END_HYPHEN + r"\n[ \t]*([^\W\d_])")
_BROKEN_AT_FOOT = re.compile(_LINE_END_HYPHEN + r"\n?[ \t]*$")
_REST_AT_HEAD = re.compile(r"[ \t\n]*([^\W\d_]+\S*)")


def unhyphenate(text: str) -> str:
    """A page's words hyphenated across a line break made whole: the hyphen goes when the
    word goes on in lower case ("commer-\ncially" → "commercially"; "Anglo-\nFrench" stays)."""
    return _BROKEN_WORD.sub(lambda m: m[1] + m[2] if m[2].islower() else m[0], text)


def whole_words_across(pages: list[str]) -> list[str]:
    """The pages with a word a page break hyphenated made whole on the page where it starts
    ("commer-" at a page's foot, "cially" atop the next → "commercially" on the first page), as
    a line break's is within a page (`unhyphenate`): only when the word goes on in lower case
    ("Anglo-" then "French" stays apart)."""
    pages = list(pages)
    for i in range(len(pages) - 1):
        foot, head = _BROKEN_AT_FOOT.search(pages[i]), _REST_AT_HEAD.match(pages[i + 1])
        if foot and head and head[1][0].islower():
            pages[i] = pages[i][:foot.start()] + foot[1] + head[1]
            pages[i + 1] = pages[i + 1][head.end():]
    return pages
