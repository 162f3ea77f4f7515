"""reStructuredText (.rst, as Sphinx and Python projects write documentation) as the text it shows.

`rst_text` reads the markup line by line, without docutils: a section title (underlined, or
over- and underlined) becomes a line of its own, its adornment gone; a simple or grid table
becomes one line per row, cells joined by " | " as Word tables are read (office.py), as do a
csv-table's and a list-table's rows; comments, hyperlink targets, substitution definitions and
the directives that show no text (image, toctree, contents, raw, include, meta, ...) are left
out, other directives keep their text without their markup (a note's words, a figure's
caption, a code block's code); inline markup is reduced to what it shows (**x**, *x*,
``x``, `text <url>`_, :role:`x`, word_, |substitution|, footnote references dropped). A
literal block's "::" is written as the ":" it shows. Nothing here cleans or stores text.
Tables are cut into cells by restructured_tables.py, inline markup reduced by inline_markup.py.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

from rag.ingest.headings import Marked, ReadText
from rag.ingest.inline_markup import inline_text
from rag.ingest.restructured_tables import GRID_BORDER, SIMPLE_BORDER, grid_table, list_table, simple_table

_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+[ \t]*$")  # one punctuation character, repeated
_EXPLICIT = re.compile(r"\.\.(?:\s|$)")
_DIRECTIVE = re.compile(r"\.\.\s+([\w.+:-]+?)::(?:\s+(.*))?$")
_SUBSTITUTION = re.compile(r"\.\.\s+\|([^|]+)\|\s+([\w.+:-]+?)::(?:\s+(.*))?$")
_FOOTNOTE = re.compile(r"\.\.\s+\[[^\]\s]+\](?:\s+(.*))?$")
_OPTION = re.compile(r"\s*:[\w -]+:(?:\s|$)")
_FIELD = re.compile(r":([^:`\s][^:`]*?):(?:\s+(.*))?$")
# what shows no text at all, and what shows its content as written
_DROPPED = {"image", "raw", "toctree", "contents", "sectnum", "section-numbering", "meta", "include",
            "literalinclude", "highlight", "default-role", "role", "index", "target-notes", "header", "footer",
            "title", "tabularcolumns", "autosummary", "automodule", "autoclass", "autofunction", "automethod",
            "autodata", "autoattribute", "autoexception", "graphviz", "plot", "bibliography"}
_LITERAL = {"code", "code-block", "sourcecode", "math", "parsed-literal", "doctest", "testcode", "testoutput"}
_NO_ARGUMENT_TEXT = {"figure", "code", "code-block", "sourcecode", "class", "container", "parsed-literal",
                     "doctest", "testcode", "testoutput", "only", "ifconfig"}  # a path, language or class
_DOCINFO = {"author": "author", "authors": "author", "date": "date"}
_MAX_DEPTH = 16  # directives nested deeper are read as plain lines


@dataclass
class _Reading:
    """The items read so far: ("prose" or "field", line), ("heading", title), ("literal", line),
    ("row", cells) or ("blank", ""), which ends a paragraph. Inline markup is reduced at the
    end, once every substitution (often defined at the foot of the file) is known."""

    items: list[tuple[str, object]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    styles: list[tuple[str, bool]] = field(default_factory=list)  # adornments in the order first met: the levels
    substitutions: dict[str, str] = field(default_factory=dict)
    docinfo: dict[str, str] = field(default_factory=dict)
    docinfo_open: bool = True  # a field list before any paragraph is the document's own

    def add(self, kind: str, value: object) -> None:
        if kind in ("prose", "literal", "row"):
            self.docinfo_open = False
        self.items.append((kind, value))

    def heading(self, title: str, style: tuple[str, bool]) -> None:
        """A section title under the adornment `style` (its character, and whether it has an
        overline); reStructuredText gives each style its level in the order styles first appear."""
        if style not in self.styles:
            self.styles.append(style)
        self.titles.append(title)
        self.items += [("blank", ""), ("heading", (title, self.styles.index(style) + 1)), ("blank", "")]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _dedent(lines: list[str]) -> list[str]:
    depth = min((_indent(line) for line in lines if line.strip()), default=0)
    return [line[depth:].rstrip() for line in lines]


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The end of the block indented more than `indent` that follows line `start`."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _directive(name: str, argument: str, block: list[str], reading: _Reading, depth: int) -> None:
    options = 0
    while options < len(block) and _OPTION.match(block[options]):
        options += 1
    content = _dedent(block[options:])
    if name in _DROPPED:
        return
    if name in ("csv-table", "list-table") and argument:
        reading.add("prose", argument)  # the table's title
        reading.add("blank", "")
    if name in _LITERAL:
        for line in ([argument] if argument and name == "math" else []) + content:
            reading.add("literal" if line.strip() else "blank", line)
    elif name == "csv-table":
        header = [option.split(":header:", 1)[1] for option in block[:options] if ":header:" in option]
        try:
            rows = list(csv.reader(header + [line for line in content if line.strip()], skipinitialspace=True))
        except csv.Error:  # a field over the csv module's limit: the lines as written
            rows = [[line] for line in content]
        for row in rows:
            reading.add("row", row)
    elif name == "list-table":
        for row in list_table(content):
            reading.add("row", row)
    else:
        lead = [argument] if argument and name not in _NO_ARGUMENT_TEXT else []
        _read(lead + content, reading, depth + 1)
    reading.add("blank", "")


def _explicit(first: str, block: list[str], reading: _Reading, depth: int) -> None:
    """An explicit markup block (".. " and what is indented under it)."""
    if substitution := _SUBSTITUTION.match(first):
        name, kind, argument = substitution[1], substitution[2], substitution[3] or ""
        shown = " ".join([argument, *block]).split() if kind == "replace" else []
        reading.substitutions[name] = " ".join(shown) if kind == "replace" else ""
    elif directive := _DIRECTIVE.match(first):
        _directive(directive[1].lower(), (directive[2] or "").strip(), block, reading, depth)
    elif footnote := _FOOTNOTE.match(first):
        _read([footnote[1] or "", *_dedent(block)], reading, depth + 1)
        reading.add("blank", "")
    # anything else is a comment or a hyperlink target (".. _name: address"): no text


def _literal_marker(line: str) -> str:
    """A paragraph's closing "::" as it shows: ":" after a word, nothing after a space or alone."""
    body = line[:-2]
    return body.rstrip() if not body.strip() or body[-1:].isspace() else body + ":"


def _read(lines: list[str], reading: _Reading, depth: int = 0) -> None:
    i = 0
    literal_after: int | None = None  # the indent of a paragraph that ended with "::"
    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        indent, after = _indent(lines[i]), (lines[i + 1] if i + 1 < len(lines) else "")
        blank_before = i == 0 or not lines[i - 1].strip()
        if not stripped:
            reading.add("blank", "")
            i += 1
            continue
        if literal_after is not None and indent > literal_after:
            end = _block_end(lines, i - 1, literal_after)
            for kept in _dedent(lines[i:end]):
                reading.add("literal" if kept.strip() else "blank", kept)
            literal_after, i = None, end
            continue
        literal_after = None
        if depth >= _MAX_DEPTH:
            reading.add("prose", stripped)
        elif _EXPLICIT.match(stripped):
            end = _block_end(lines, i, indent)
            _explicit(stripped, lines[i + 1:end], reading, depth)
            i = end
            continue
        elif stripped == "__" or stripped.startswith("__ "):  # an anonymous hyperlink target
            i = _block_end(lines, i, indent)
            continue
        elif (blank_before and _ADORNMENT.match(stripped) and i + 2 < len(lines) and after.strip()
              and lines[i + 2].strip()[:1] == stripped[0] and _ADORNMENT.match(lines[i + 2].strip())):
            reading.heading(after.strip(), (stripped[0], True))
            i += 3
            continue
        elif (blank_before and not indent and not _ADORNMENT.match(stripped) and _ADORNMENT.match(after)
              and len(after.strip()) >= min(len(stripped), 4)):
            reading.heading(stripped, (after.strip()[0], False))
            i += 2
            continue
        elif _ADORNMENT.match(stripped) and len(stripped) >= 4:
            pass  # a transition, drawn not written
        elif GRID_BORDER.match(line):
            rows, i = grid_table(lines, i)
            for row in rows:
                reading.add("row", row)
            continue
        elif SIMPLE_BORDER.match(line) and (table := simple_table(lines, i)):
            rows, i = table
            for row in rows:
                reading.add("row", row)
            continue
        elif stripped.endswith("::"):
            literal_after = indent
            if shown := _literal_marker(stripped):
                reading.add("prose", shown)
        elif stripped == "|" or stripped.startswith("| "):  # a line block's line
            reading.add("prose", stripped[2:])
        elif (found := _FIELD.match(stripped)) and not indent:
            if reading.docinfo_open and found[1].lower() in _DOCINFO:
                reading.docinfo[_DOCINFO[found[1].lower()]] = (found[2] or "").strip()
            reading.add("field", f"{found[1]}: {found[2] or ''}".strip())
            reading.add("blank", "")  # a field is no wrapped prose to join with the next
        else:
            reading.add("prose", stripped)
        i += 1


def _written(reading: _Reading) -> tuple[str, list[Marked]]:
    """The items as lines, and the titles among them: a paragraph's prose lines reduced together
    (inline markup may go on over a line break), a row's cells reduced one by one and joined by " | "."""
    lines: list[str] = []
    marked: list[Marked] = []
    paragraph: list[str] = []
    subs = reading.substitutions
    for kind, value in [*reading.items, ("blank", "")]:
        if kind in ("prose", "field"):
            paragraph.append(str(value))
            continue
        if paragraph:
            lines += inline_text("\n".join(paragraph), subs).split("\n")
            paragraph = []
        if kind == "row":
            cells = [" ".join(inline_text(str(cell), subs).split()) for cell in value]  # type: ignore[union-attr]
            lines.append(" | ".join(cell for cell in cells if cell))
        elif kind == "heading":
            title, level = value  # type: ignore[misc]
            lines.append(" ".join(inline_text(title, subs).split()))
            marked.append(Marked(lines[-1], level))
        else:
            lines.append(str(value))
    return "\n".join(lines), marked


def rst_text(text: str) -> ReadText:
    """The document's title (its first section title), author and date (its bibliographic
    fields), and its text as it shows."""
    reading = _Reading()
    _read(text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(8).split("\n"), reading)
    title = inline_text(reading.titles[0], reading.substitutions) if reading.titles else ""
    text, marked = _written(reading)
    return ReadText(title=" ".join(title.split()), author=reading.docinfo.get("author", ""),
                        date=reading.docinfo.get("date", ""), text=text, headings=marked)
