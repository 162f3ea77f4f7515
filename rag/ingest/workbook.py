"""An Excel workbook (.xlsx) as its sheets' rows, read with zipfile and ElementTree.

`workbook_sheets` returns each sheet that holds rows, in the workbook's order, as its name and
its rows written as tables.py writes a CSV file's ("Ship: Aurora | Built: 1911"). A cell is
shown as Excel shows it: shared and inline strings as written, a number as its number format
shows it (number_formats.py: "$1,200.00", "12.5%", dates in ISO 8601), TRUE/FALSE, error codes
("#DIV/0!") and a formula's last result. A workbook of more than MAX_CELLS cells is refused:
its rows would be a document no one could read, and its XML is read as a stream, so it is
refused before it is held whole. Nothing here cleans or stores text.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from rag.ingest import number_formats, tables
from rag.ingest.office import BrokenFile, open_zip

MAX_CELLS = 1_000_000  # about what a CSV file at the default upload limit holds
_MAX_COLUMNS = 16_384  # Excel's last column, XFD
_REF = re.compile(r"([A-Za-z]{1,3})\d*$")


def _local(tag: str) -> str:
    """An element's or attribute's name without its namespace: a strict OOXML file (ISO 29500)
    uses other namespaces than a transitional one for the same parts."""
    return tag.rsplit("}", 1)[-1]


def _attribute(element, name: str) -> str:
    return next((value for key, value in element.attrib.items() if _local(key) == name), "")


def _relations(archive, path: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type's last word, the target's path in the archive)."""
    folder, base = posixpath.split(path)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    if rels_path not in archive.namelist():
        return {}
    found = {}
    for rel in ElementTree.fromstring(archive.read(rels_path)):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return found


def _text(element) -> str:
    """A string item's text: its runs joined; a phonetic guide (<rPh>, Japanese readings) left out."""
    if _local(element.tag) == "t":
        return element.text or ""
    return "".join(_text(child) for child in element if _local(child.tag) != "rPh")


def _shared_strings(archive, path: str | None) -> list[str]:
    if path is None:
        return []
    strings = []
    for _, element in ElementTree.iterparse(archive.open(path)):
        if _local(element.tag) == "si":
            strings.append(_text(element))
            element.clear()
    return strings


def _formats(archive, path: str | None) -> list[str]:
    """The number format code of each cell style (a cell's `s` attribute), "" for General."""
    if path is None:
        return []
    styles = ElementTree.fromstring(archive.read(path))
    custom = {int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
              for fmt in styles.iter() if _local(fmt.tag) == "numFmt"}
    codes = []
    for group in styles.iter():
        if _local(group.tag) == "cellXfs":
            for xf in group:
                number = int(xf.get("numFmtId", "0"))
                codes.append(custom.get(number) or number_formats.BUILTIN.get(number, ""))
    return codes


@dataclass
class _Book:
    """What every sheet's cells are read with, and how many cells were read so far."""

    archive: zipfile.ZipFile
    strings: list[str]
    formats: list[str]
    date1904: bool
    cells: int = 0

    def shown(self, cell) -> str:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            found = next((child for child in cell if _local(child.tag) == "is"), None)
            return _text(found) if found is not None else ""
        value = next((child.text or "" for child in cell if _local(child.tag) == "v"), "")
        if not value:
            return ""
        if kind == "s":
            index = int(value)
            if not 0 <= index < len(self.strings):
                raise BrokenFile(f"a cell names shared string {index}, which the workbook lacks")
            return self.strings[index]
        if kind == "b":
            return "TRUE" if value.strip() == "1" else "FALSE"
        if kind == "d":  # a date the file stores as text (ISO 8601)
            return value.removesuffix("T00:00:00")
        if kind in ("str", "e"):
            return value
        style = int(cell.get("s", "0"))
        code = self.formats[style] if 0 <= style < len(self.formats) else ""
        return number_formats.shown_number(value, code, self.date1904)

    def rows(self, path: str, sheet: str) -> Iterator[list[str]]:
        """A sheet's rows as lists of shown values, gaps between cells filled with ""."""
        parent = None
        for event, element in ElementTree.iterparse(self.archive.open(path), events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                parent = element if name == "sheetData" else parent
                continue
            if name != "row":
                continue
            row: list[str] = []
            for cell in element:
                if _local(cell.tag) == "c":
                    column = _column(cell.get("r", ""), len(row) - 1)
                    row += [""] * (column - len(row) + 1)
                    row[column] = self.shown(cell)
            self.cells = counted(self.cells + len(row), sheet)
            if parent is not None:
                parent.clear()  # the rows read so far: a large sheet is never held whole
            yield row


def counted(cells: int, sheet: str) -> int:
    """The cells read so far, when within MAX_CELLS (for .xlsx and .ods alike); BrokenFile past it."""
    if cells > MAX_CELLS:
        raise BrokenFile(f"more than {MAX_CELLS:,} cells (sheet {sheet!r} passes the limit); save "
                         f"the rows to be quoted in a smaller workbook or split it")
    return cells


def named_sheets(sheets: Iterable[tuple[str, Iterable[list[str]]]]) -> list[tuple[str, list[str]]]:
    """(sheet name, its rows as "Header: value | ..." lines) for each sheet with rows under a
    header; tables.NoRows when no sheet has any."""
    named = []
    for name, rows in sheets:
        try:
            named.append((name, tables.first_row_names(rows)))
        except tables.NoRows:
            continue  # an empty sheet (Sheet2, Sheet3) is no reason to refuse the workbook
    if not named:
        raise tables.NoRows("no sheet has a row under a header row")
    return named


def _column(ref: str, previous: int) -> int:
    """The 0-based column a cell reference ("AB12") names; the next one where it names none."""
    found = _REF.match(ref)
    if not found:
        return previous + 1
    column = 0
    for letter in found[1].upper():
        column = column * 26 + ord(letter) - 64
    if column > _MAX_COLUMNS:
        raise BrokenFile(f"cell {ref!r} is beyond Excel's last column")
    return column - 1


def workbook_sheets(raw: bytes) -> list[tuple[str, list[str]]]:
    """An .xlsx file's sheets with rows, as `named_sheets` gives them."""
    archive = open_zip(raw)
    package = {kind: target for kind, target in _relations(archive, "").values()}
    book_path = package.get("officeDocument", "xl/workbook.xml")
    root = ElementTree.fromstring(archive.read(book_path))
    parts = _relations(archive, book_path)
    by_kind = {kind: target for kind, target in parts.values()}
    book = _Book(archive, _shared_strings(archive, by_kind.get("sharedStrings")),
                 _formats(archive, by_kind.get("styles")),
                 any(_local(e.tag) == "workbookPr" and e.get("date1904", "").lower() in ("1", "true")
                     for e in root.iter()))

    def worksheets() -> Iterator[tuple[str, Iterator[list[str]]]]:
        for sheet in (e for e in root.iter() if _local(e.tag) == "sheet"):
            kind, path = parts.get(_attribute(sheet, "id"), ("", ""))
            if kind == "worksheet":  # a chart sheet or dialog sheet holds no cells
                name = " ".join(sheet.get("name", "").split())
                yield name, book.rows(path, name)

    return named_sheets(worksheets())
