"""Tables as lines a person can quote: one row a line, each value with its column's name.

Under a header row every row is written "Name: value | Name: value", its empty cells left
out, so that a quoted row says what each value is ("Ship: Aurora | Built: 1911" rather than
"Aurora | 1911"); the header row itself is not written again. A table without a header row
keeps its cells joined by " | ". `named_rows` is the one place this is done, for every format:
a spreadsheet saved as text (.csv, .tsv) or a workbook's sheet (workbook.py), whose first row
names the columns, a Markdown table (the row above its "|---|" rule, as trafilatura also
writes HTML tables) and the tables of Word, OpenDocument, PowerPoint, HTML and EPUB files (office.py, html.py), each of which says
where its header row is. A cell's own line breaks become spaces. The delimiter of a .csv is
found from its first lines (",", ";" as European spreadsheets save, tab or "|"); a .tsv is
split at tabs. Nothing here cleans or stores text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable


class NoRows(ValueError):
    """A table with no row under its header."""


def _delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    sample = text[:32768]
    sample = sample[:sample.rfind("\n") + 1] or sample  # whole lines: a cut quoted field misleads the sniffer
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:  # one column, or too little to tell: the format's own comma
        return ","


def cell_text(value: str) -> str:
    """A cell's text on one line: its line breaks and runs of spaces are one space."""
    return " ".join(value.split())


def named_row(header: list[str] | None, cells: list[str]) -> str:
    """One row as a line: under a header "Name: value | Name: value" (a column without a name
    is called by its number), else its cells joined by " | "; empty cells left out."""
    if header is None:
        return " | ".join(value for value in cells if value)
    return " | ".join(f"{header[i] if i < len(header) and header[i] else f'column {i + 1}'}: {value}"
                      for i, value in enumerate(cells) if value)


def column_names(cells: list[str | None]) -> list[str]:
    """A header row's names, a merged cell's name repeated in every column it spans (None)."""
    names: list[str] = []
    for value in cells:
        names.append(names[-1] if value is None and names else value or "")
    return names


def filled(cells: list[str | None]) -> list[str]:
    """A row's cells, the columns a merged cell spans after its first (None) left empty."""
    return [value or "" for value in cells]


def named_rows(header: list[str] | None, rows: list[list[str]]) -> list[str]:
    """The rows under `header` (None: the table has no header row) as lines; empty rows left out."""
    return [line for line in (named_row(header, cells) for cells in rows) if line]


def names_columns(cells: list[str]) -> bool:
    """Can this first row be a header? Every column named, and each name once. Only for a table
    whose format marks a header row by a style that is on by default (Word's and PowerPoint's
    "Header Row"), where a table of names and values may carry the mark as well."""
    return len(cells) > 1 and all(cells) and len(set(cells)) == len(cells)


def names_and_values(rows: list[list[str | None]]) -> bool:
    """Is this a table of names and values, one thing's record down its rows ("Name | Ann Lee",
    "Born | 1911", "Died | 1980")? Two columns, more than two rows, and a first column of labels:
    every cell filled, each once, of at most four words and no figure (a first column of years
    or codes is data). Its first row is a record too, never the columns' names. A table of two
    columns under a header ("Ship | Built" over "Aurora | 1911") looks the same and is read as
    one as well: a row whose column is not named says less, one named by another row says
    something false ("Name: Born | Ann Lee: 1911")."""
    labels = [cells[0] for cells in rows if len(cells) == 2]
    return len(rows) > 2 and len(labels) == len(rows) and len(set(labels)) == len(labels) and \
        all(label and len(label.split()) <= 4 and not any(c.isdigit() for c in label) for label in labels)


def _names(line: str) -> set[str]:
    """The column names a line as `named_row` writes one gives its values ("Year: 2018 |
    Ships: 412": Year, Ships)."""
    return {cell.split(": ", 1)[0] for cell in line.split(" | ") if ": " in cell}


def line_at(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The span of the line that holds `start` (of the lines that hold text[start:end]), without
    its line break."""
    stop = text.find("\n", start if end is None else end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop == -1 else stop


def _nearest_filled_line(text: str, begin: int, end: int, step: int) -> str:
    """The nearest non-blank line above (step -1) or below (step 1) the line begin:end:
    trafilatura writes a blank line between a table's rows."""
    while (begin > 0) if step < 0 else (end < len(text)):
        begin, end = line_at(text, begin - 1 if step < 0 else end + 1)
        if text[begin:end].strip():
            return text[begin:end]
    return ""


def in_named_table(text: str, start: int) -> bool:
    """Is the line that holds `start` a row of a table named by its header, even one that has a
    single value ("Year: 2018")? A table's rows are written on consecutive lines, each value
    under its column's name, so such a row shares a column's name with the row above or below
    it; a heading ("Part 1: Origins") does not."""
    begin, end = line_at(text, start)
    names = _names(text[begin:end])
    return bool(names) and any(names & _names(_nearest_filled_line(text, begin, end, step)) for step in (-1, 1))


def table_rows(text: str, suffix: str) -> list[str]:
    """Each data row as "Header: value | Header: value"; csv.Error on a malformed file (a
    field over the csv module's size limit), NoRows when there is nothing under the header."""
    return first_row_names(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, suffix), strict=False))


def first_row_names(rows: Iterable[list[str]]) -> list[str]:
    """Rows of cells whose first non-empty row names the columns (a CSV file's, a workbook
    sheet's) as lines; NoRows when there is no row, or none under the header."""
    filled = [cells for row in rows if any(cells := [cell_text(value) for value in row])]
    if not filled:
        raise NoRows("it holds no rows")
    if len(filled) == 1:
        raise NoRows("it has a header row and no rows under it")
    return named_rows(filled[0], filled[1:])


# A Markdown table as Markdown files and trafilatura's text write one: "|---|:--:|" is drawn, not
# written; the row above it is the header.
_TABLE_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$")
_BAR = re.compile(r"(?<!\\)\|")  # "\|" is a bar inside a cell


def _markdown_cells(line: str) -> list[str]:
    row = line.strip(" \t")
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [cell_text(cell) for cell in _BAR.split(row)]


def _next_filled(lines: list[str], i: int, across_blanks: bool) -> int:
    """The index of the first non-blank line from i on (len(lines) if none); only i itself
    unless `across_blanks`."""
    while across_blanks and i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _is_row(line: str, after_blank: bool) -> bool:
    """A table row goes on the table; past a blank line only one with an outer bar (trafilatura's)."""
    return bool(_BAR.search(line)) and not _TABLE_RULE.match(line) and \
        (not after_blank or line.lstrip(" \t").startswith("|"))


def markdown_tables(lines: list[str]) -> list[str]:
    """The lines with every Markdown table under a header written as named rows, its header and
    rule lines dropped, and any other rule dropped. trafilatura writes a table's rows with
    outer bars and blank lines between them; a Markdown file's rows are consecutive lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _TABLE_RULE.match(line):
            i += 1
            continue
        piped = line.lstrip(" \t").startswith("|")
        rule = _next_filled(lines, i + 1, piped)
        if not _BAR.search(line) or rule >= len(lines) or not _TABLE_RULE.match(lines[rule]):
            out.append(line)
            i += 1
            continue
        header = _markdown_cells(line)
        i, written = rule + 1, len(out)
        while (row := _next_filled(lines, i, piped)) < len(lines) and _is_row(lines[row], after_blank=row > i):
            out += [""] * (row - i)  # the blank lines between trafilatura's rows stay
            out.append(named_row(header, _markdown_cells(lines[row])))
            i = row + 1
        if len(out) == written:  # a header with no row under it is the table's only text
            out.append(named_row(None, header))
    return out
