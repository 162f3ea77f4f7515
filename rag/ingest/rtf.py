"""Rich Text Format (.rtf, as WordPad, TextEdit and Word save it) as plain text.

`rtf_text` reads the control words itself: paragraphs (\\par, \\sect, \\page) are kept apart by
a blank line, a table row (\\cell ... \\row) is one line with its cells joined by " | ", as
Word tables are read (office.py); \\'hh bytes are decoded in the file's code page (\\ansicpgN,
Windows-1252 by default) and \\uN as Unicode, its fallback characters (\\ucN) skipped. Groups
that are not the document's text are skipped whole: the font, colour and style tables,
pictures, field instructions (a link's address; its shown text stays), headers and footers,
and every group marked \\* that is not known here. Hidden text (\\v) is left out; a footnote
is read after its paragraph. The title is the one \\info gives, if any. A heading is a paragraph
with an outline level (\\outlinelevelN, as Word and LibreOffice write one) or in a style the
style sheet names "heading N" (\\sN). Nothing here cleans or stores text.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from rag.ingest.headings import Marked
from rag.ingest.tables import cell_text

_TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}\r\n]+)|"
                    r"[\r\n]+|\\\Z")
_SKIPPED = {"fonttbl", "colortbl", "listtable", "listoverridetable", "revtbl", "rsidtbl", "pict",
            "objdata", "fldinst", "header", "headerl", "headerr", "headerf", "footer", "footerl", "footerr",
            "footerf", "xmlnstbl", "filetbl", "latentstyles", "themedata", "colorschememapping", "datastore",
            "generator"}
_META = {"title"}  # read from \info; nothing else in it is the document's text
_CHARACTERS = {"emdash": "\u2014", "endash": "\u2013", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019",
               "ldblquote": "\u201c", "rdblquote": "\u201d", "emspace": " ", "enspace": " ", "qmspace": " ",
               "tab": "\t", "line": "\n", "zwj": "\u200d", "zwnj": "\u200c"}
_SYMBOLS = {"~": "\u00a0", "_": "-", "\\": "\\", "{": "{", "}": "}"}
_BASE_CHARSETS = {"ansi": "cp1252", "mac": "mac_roman", "pc": "cp437", "pca": "cp850"}
_HEADING_STYLE = re.compile(r"\s*heading\s*([1-9])\s*(?:,|$)", re.IGNORECASE)  # "heading 1", or "heading 1,H1"


class NotRtf(ValueError):
    """Bytes that do not open as an RTF file does ('{\\rtf')."""


def _codec(name: str, fallback: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return fallback


class _Group(NamedTuple):
    """A group's state: where its text goes, how many fallback characters follow a \\uN (\\uc),
    whether it is hidden (\\v), and the heading level of its paragraph (0: none)."""

    destination: str
    uc: int = 1
    hidden: bool = False
    level: int = 0


class _Reader:
    """The text of one file, token by token. A group's state (`_Group`) is pushed at '{' and
    popped at '}'; paragraph state (inside a table, the heading level) is reset by \\pard."""

    def __init__(self) -> None:
        self.stack: list[_Group] = [_Group("body")]
        self.fresh = self.ignorable = self.in_table = False
        self.codepage, self.skip = "cp1252", 0
        self.pending, self.units = bytearray(), []  # bytes of \'hh and text; UTF-16 units of \uN
        self.parts: dict[str, list[str]] = {"body": [], "footnote": [], "title": [], "stylesheet": []}
        self.paragraphs: list[str] = []
        self.headings: list[Marked] = []
        self.styles: dict[int, int] = {}  # a paragraph style's number (\sN) → its heading level
        self.style = 0  # the number of the style sheet entry being read
        self.notes: list[str] = []
        self.cells: list[str] = []
        self.rows: list[str] = []  # a table's rows so far: one block, a row a line, as Word tables are read

    def flush(self) -> None:
        if self.pending:
            self.write(self.pending.decode(self.codepage, "replace"))
            self.pending.clear()
        if self.units:
            self.write(b"".join(u.to_bytes(2, "little") for u in self.units).decode("utf-16-le", "replace"))
            self.units.clear()

    def write(self, text: str) -> None:
        group = self.stack[-1]
        if group.destination in self.parts and not group.hidden:
            self.parts[group.destination].append(text)

    def take(self, destination: str) -> str:
        text = "".join(self.parts[destination]).strip(" ")
        self.parts[destination].clear()
        return text

    def paragraph(self) -> None:
        destination = self.stack[-1][0]
        if destination == "footnote":
            self.notes.append(self.take("footnote"))
        elif destination == "body" and self.in_table:
            self.write(" ")  # a cell's second paragraph: the row stays one line
        elif destination == "body":
            self.end_paragraph()

    def end_paragraph(self) -> None:
        self.end_table()
        text = self.take("body")
        if self.stack[-1].level and (line := cell_text(text)):
            self.headings.append(Marked(line, self.stack[-1].level))
        self.paragraphs += [text, *self.notes]
        self.notes.clear()

    def end_table(self) -> None:
        if self.rows:
            self.paragraphs.append("\n".join(self.rows))
            self.rows.clear()

    def word(self, word: str, number: int | None) -> None:
        if self.fresh:  # the group's first word names where its text goes
            destination = self.stack[-1].destination
            if word in ("info", "stylesheet") or (word in _META and destination == "info"):
                destination = word
            elif word in _SKIPPED or self.ignorable:
                destination = "skip"
            elif word == "footnote" and destination == "body":
                destination = "footnote"
            self.stack[-1] = self.stack[-1]._replace(destination=destination)
        self.fresh = False
        group = self.stack[-1]
        if word == "u" and number is not None:
            self.units.append(number % 65536)
            self.skip = group.uc
            return
        self.flush()
        if word in _CHARACTERS:
            self.write(_CHARACTERS[word])
        elif word in ("par", "sect", "page"):
            self.paragraph()
        elif word in ("cell", "nestcell"):
            self.cells.append(" ".join(self.take("body").split()))
        elif word in ("row", "nestrow"):
            self.rows.append(" | ".join(cell for cell in self.cells if cell))
            self.cells.clear()
        elif word == "intbl":
            self.in_table = True
        elif word == "pard":
            self.in_table = False
            self.stack[-1] = group._replace(level=0)
        elif word == "s" and number is not None and group.destination == "stylesheet":
            self.style = number
        elif word == "s" and number is not None:
            self.stack[-1] = group._replace(level=self.styles.get(number, 0))
        elif word == "outlinelevel" and number is not None:
            self.stack[-1] = group._replace(level=number + 1 if 0 <= number < 9 else 0)  # 9: body text
        elif word == "uc" and number is not None:
            self.stack[-1] = group._replace(uc=max(0, min(number, 10)))
        elif word in ("v", "plain"):
            self.stack[-1] = group._replace(hidden=word == "v" and number != 0)
        elif word == "ansicpg" and number is not None:
            self.codepage = "utf-8" if number == 65001 else _codec(f"cp{number}", self.codepage)
        elif word in _BASE_CHARSETS:
            self.codepage = _BASE_CHARSETS[word]

    def close_group(self) -> None:
        self.flush()
        if len(self.stack) < 2:
            return
        closed = self.stack.pop()
        if closed.destination == "footnote" and self.stack[-1].destination != "footnote":
            self.notes.append(self.take("footnote"))
        elif closed.destination == "stylesheet":  # an entry ends ("{\s1 ... heading 1;}"), or the sheet
            name = self.take("stylesheet").rstrip(";")
            if self.stack[-1].destination == "stylesheet" and (level := closed.level or _named_level(name)):
                self.styles[self.style] = level
            self.style = 0

    def read(self, text: str) -> None:
        position = 0
        while position < len(text):
            token = _TOKEN.match(text, position)
            position = token.end()
            word, number, byte, symbol, brace, run = token.groups()
            if brace:
                self.skip = 0
                if brace == "{":
                    self.flush()
                    self.stack.append(self.stack[-1])
                    self.fresh, self.ignorable = True, False
                else:
                    self.close_group()
                continue
            if word == "bin":  # raw binary data follows: its bytes are no text or tokens
                position += max(0, int(number or 0))
                continue
            if self.skip and (word or byte or symbol or run):  # a \uN's fallback: one character each
                dropped = min(len(run), self.skip) if run else 1
                run, self.skip = run and run[dropped:], self.skip - dropped
                if not run:
                    continue
            if run:
                if self.units:
                    self.flush()
                self.pending += run.encode("latin-1")
                self.fresh = False
            elif byte:
                if self.units:
                    self.flush()
                self.pending.append(int(byte, 16))
            elif word:
                self.word(word, int(number) if number else None)
            elif symbol == "*":
                self.ignorable = True
            elif symbol in ("\n", "\r"):
                self.flush()
                self.paragraph()
            elif symbol:
                self.flush()
                self.write(_SYMBOLS.get(symbol, ""))
        self.flush()
        if self.cells:  # a last row without its \row
            self.rows.append(" | ".join(cell for cell in self.cells if cell))
        self.end_paragraph()


def _named_level(name: str) -> int:
    found = _HEADING_STYLE.match(name)
    return int(found[1]) if found else 0


def rtf_text(raw: bytes) -> tuple[str, str, list[Marked]]:
    """(title, text, headings) of an RTF file, paragraphs separated by a blank line; NotRtf if it
    is none."""
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise NotRtf("it does not start with '{\\rtf', as every RTF file does")
    reader = _Reader()
    reader.read(raw.decode("latin-1"))
    return " ".join(reader.take("title").split()), "\n\n".join(reader.paragraphs), reader.headings
