"""A LaTeX source (.tex) as its reader sees the typeset text: \\title, \\author and \\date as the
document's fields, the abstract, \\section and its kin as numbered headings ("2.1 Data"), each
paragraph on one line, \\emph{x} as x, accents and ligatures as characters (\\'e é, `` “, -- –),
inline and display math as written ($x^2$), figure and table captions as "Figure 1: ..." (a
table's rows one a line, cells joined by " | "), lists an item a line, footnotes after the body
under "Notes", an inline bibliography under "References". Left out: comments, the preamble's
commands, \\label, citations (with the space before them: "as shown in~\\cite{x}." is "as shown
in."), \\ref to a label this file does not number, and what only lays out the page.

Invariant: the source is read, never run: no macro is expanded, no file \\input. A group nested
deeper than latex_reader.MAX_DEPTH is refused (NotLatex); a command it does not know shows its
first argument's text.
"""

from __future__ import annotations

import itertools
import re

from rag.ingest.headings import Marked, ReadText
from rag.ingest.latex_reader import DROPPED, LEVELS, REF, Reader, group

_COMMENT = re.compile(r"(?<!\\)%[^\n]*(?:\n[ \t]*)?")
MAX_FIELDS = 20  # \\author commands read at most (ACM's templates give one an author)
_IS_LATEX = re.compile(r"\\(?:documentclass|begin\s*\{|section\*?\s*\{|chapter\*?\s*\{|title\s*\{)")


_SPACES = re.compile(r"[ \t]+")
_CITED = re.compile(rf"\( ?{DROPPED} ?\)")  # "(\\cite{{x}})"
_GAP = re.compile(rf" ?{DROPPED}[{DROPPED} ]*")  # after _SPACES: a run of spaces is one
_REFERENCE = re.compile(rf"{REF}(\(?)([^{REF}]*){REF}")
_FIELD = r"\\{}\s*(?:\[[^\]]{{0,500}}\])?(?=\s*\{{)"


def _shown(text: str, labels: dict[str, str]) -> str:
    """The read text with references numbered, the places of dropped citations closed up, and
    each paragraph on its lines, their runs of spaces one space."""
    def numbered(ref: re.Match) -> str:
        if ref[2] not in labels:
            return DROPPED
        return f"({labels[ref[2]]})" if ref[1] else labels[ref[2]]

    text = _REFERENCE.sub(numbered, text)
    text = _GAP.sub(_closed, _CITED.sub(DROPPED, _SPACES.sub(" ", text)))
    paragraphs = ("\n".join(" ".join(line.split()) for line in p.split("\n") if line.strip())
                  for p in text.split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _closed(gap: re.Match) -> str:
    """What stays where a citation was: nothing before punctuation or a line's end ("in~\\cite{x}."
    is "in."), else one space where there was space."""
    after = gap.string[gap.end():gap.end() + 1]
    return "" if after in ("", "\n") or after in ".,;:!?)]" else (" " if gap[0].replace(DROPPED, "") else "")


def _field(src: str, name: str, reader: Reader) -> str:
    """A \\title's, \\author's or \\date's text on one line (several \\author commands joined by commas)."""
    shown = []
    for match in itertools.islice(re.finditer(_FIELD.format(name), src), MAX_FIELDS):
        value, _ = group(src, match.end())
        parts = re.split(r"\n|,", _shown(reader.read(value), {}))  # \\and and \\\\ part names and places
        shown.append(", ".join(" ".join(part.split()) for part in parts if part.strip()))
    return ", ".join(s for s in shown if s)


class NotLatex(ValueError):
    """A .tex file with none of LaTeX's commands."""


def latex_text(source: str) -> ReadText:
    src = _COMMENT.sub("", source.replace(DROPPED, "").replace(REF, ""))  # the reader's own marks
    if not _IS_LATEX.search(src):
        raise NotLatex("not a LaTeX source: no \\documentclass, \\begin{...}, \\section or \\title; "
                       "save plain text as .txt")
    start, end = src.find("\\begin{document}"), src.find("\\end{document}")
    body = src[start + len("\\begin{document}") if start != -1 else 0:end if end > start else len(src)]
    reader = Reader()
    try:
        read = reader.read(body)
        fields = {name: _field(src, name, Reader()) for name in ("title", "author", "date")}
    except RecursionError:
        raise NotLatex("LaTeX groups nested too deeply to read safely") from None
    if reader.notes:
        reader.headings.append(Marked("Notes", LEVELS["section"]))
        read += "\n\nNotes\n\n" + "\n".join(" ".join(note.split()) for note in reader.notes)
    return ReadText(title=fields["title"], author=fields["author"], date=fields["date"],
                 text=_shown(read, reader.labels), headings=reader.headings)
