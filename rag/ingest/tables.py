"""A spreadsheet saved as text (.csv, .tsv), or a workbook's sheet (workbook.py), as lines a
person can quote: one row a line.

The first row names the columns; every later row is written "Name: value | Name: value",
its empty cells left out, so that a quoted row says what each value is ("Ship: Aurora |
Tonnage: 412" rather than "Aurora,412"). A cell's own line breaks become spaces. The
delimiter of a .csv is found from its first lines (",", ";" as European spreadsheets save,
tab or "|"); a .tsv is split at tabs. Nothing here cleans or stores text.
"""

from __future__ import annotations

import csv
import io
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


def _cell(value: str) -> str:
    return " ".join(value.split())


def table_rows(text: str, suffix: str) -> list[str]:
    """Each data row as "Header: value | Header: value"; csv.Error on a malformed file (a
    field over the csv module's size limit), NoRows when there is nothing under the header."""
    return named_rows(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, suffix), strict=False))


def named_rows(rows: Iterable[list[str]]) -> list[str]:
    """Rows of cells (a CSV file's, a workbook sheet's) as lines: the first non-empty row names
    the columns, each later one is "Header: value | Header: value"; NoRows when none is under it."""
    header: list[str] | None = None
    lines: list[str] = []
    for row in rows:
        cells = [_cell(value) for value in row]
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        named = [f"{header[i] if i < len(header) and header[i] else f'column {i + 1}'}: {value}"
                 for i, value in enumerate(cells) if value]
        lines.append(" | ".join(named))
    if header is None:
        raise NoRows("it holds no rows")
    if not lines:
        raise NoRows("it has a header row and no rows under it")
    return lines
