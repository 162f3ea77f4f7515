"""The headings a source marks, placed as spans of the stored text.

A reader knows which lines are headings before cleaning (Markdown `#`, HTML h1-h6, Word and
OpenDocument heading styles, an EPUB chapter's h1-h6, reStructuredText titles); cleaning then
changes the text around them. `placed` finds each marked heading, cleaned as a line is, as a
whole line of the stored text, in order. A heading that cleaning removed, or joined to other
text, is left out rather than guessed at. Nothing here reads a format or changes text.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from rag.ingest.clean import clean_text
from rag.ingest.tables import cell_text
from rag.types import Heading


class Marked(NamedTuple):
    """A heading as its reader saw it: its text, and its level (1 the highest)."""

    text: str
    level: int


@dataclass
class ReadText:
    """A written document as its format's reader gives it (reStructuredText, LaTeX, JATS): its
    fields, its text before cleaning, and the headings marked in that text."""

    title: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    text: str = ""
    headings: list[Marked] = field(default_factory=list)


def placed(marked: list[Marked], stored: str) -> list[Heading]:
    """The spans in `stored` of the marked headings, in text order, each a whole line (its edge
    spaces left out); a heading is looked for only after the one before it."""
    lines: dict[str, list[tuple[int, int]]] = {}  # a line's words → its spans, in order
    at = 0
    for line in stored.split("\n"):
        if said := cell_text(line):
            lead = len(line) - len(line.lstrip())
            lines.setdefault(said, []).append((at + lead, at + len(line.rstrip())))
        at += len(line) + 1
    headings: list[Heading] = []
    after = 0
    for text, level in marked:
        spans = lines.get(cell_text(clean_text(text, web=False)), [])
        i = bisect_left(spans, (after, 0))
        if i < len(spans):
            start, after = spans[i]
            headings.append(Heading(start=start, end=after, level=level))
    return headings
