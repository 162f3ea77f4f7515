"""OpenDocument text (.odt), spreadsheets (.ods) and presentations (.odp), read with zipfile and
ElementTree.

`odt_text` gives what office.docx_text gives for a Word file: paragraphs and headings one per
line, a table row per line named by its header row, and the headings the body marks; notes after
the body, a frame's text box after its paragraph, tracked deletions, comments and generated
tables of contents nowhere;
`odf_blocks` reads the same blocks inside a spreadsheet's cells and a slide's shapes.
`spreadsheet_sheets` gives what workbook.py gives for an .xlsx file: each sheet with rows, under
its name, its rows written as a CSV file's are ("Ship: Aurora | Built: 1911"), the same cell
limit (workbook.MAX_CELLS, counted before a repeated row or cell is expanded: a file may claim a
million of them in a few bytes). A cell shows the text the sheet shows (its <text:p>: "$1,200.00",
"12.5%"), except dates and times, which are written in ISO 8601 ("2024-03-05", "09:30") from the
value the file stores, and TRUE/FALSE. `presentation_slides` gives what office.pptx_slides gives:
one text per slide, its shapes' then its speaker notes' text, and the slides' titles. Nothing
here cleans or stores text.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from rag.ingest import workbook
from rag.ingest.headings import Marked
from rag.ingest.office import BrokenFile, add_notes, open_zip
from rag.ingest.tables import cell_text, column_names, filled, named_rows

_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")  # a covered cell: a merged cell's other columns
_DATE = re.compile(r"(\d{4}-\d\d-\d\d)(?:T(\d\d):(\d\d)(?::(\d\d))?)?")  # "2024-03-05T09:30:00"
_DURATION = re.compile(r"PT(\d+)H(\d+)M(\d+)(?:[.,]\d+)?S")  # a time of day as ODF stores it: "PT09H30M00S"


def _odf_inline(element, notes: list[str], boxes: list[str]) -> str:
    """A paragraph's text: spans read, <text:s c="3"/> as spaces, tabs and line breaks as a
    space; a footnote's body goes to `notes`, its number nowhere; a frame's or shape's text box
    to `boxes` (read after its paragraph, which it would cut), its image's title and description
    nowhere."""
    out = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{_TEXT}s":
            out.append(" " * min(int(child.get(f"{_TEXT}c", "1") or 1), 100))  # a run of spaces, bounded
        elif tag in (f"{_TEXT}tab", f"{_TEXT}line-break"):
            out.append(" ")
        elif tag == f"{_TEXT}note":
            body = child.find(f"{_TEXT}note-body")
            if body is not None:
                notes += [line for line in odf_blocks(body) if line]
        elif tag.startswith(_DRAW):
            boxes += [line for line in odf_blocks(child, notes=notes) if line]
        elif tag != f"{_OFFICE}annotation":  # a reviewer's comment is not the document
            out.append(_odf_inline(child, notes, boxes))
        out.append(child.tail or "")
    return "".join(out)


# not the document's text: deleted text kept for review, a reviewer's comment, and the tables
# of contents and indexes a word processor generates from the text (headings with page numbers)
_NOT_SHOWN = {f"{_TEXT}tracked-changes", f"{_OFFICE}annotation", *(f"{_TEXT}{index}" for index in (
    "table-of-content", "illustration-index", "table-index", "object-index", "user-index", "alphabetical-index",
    "bibliography"))}


def odf_blocks(element, marked: list[Marked] | None = None, notes: list[str] | None = None) -> list[str]:
    """Headings and paragraphs one per line (lists' items included), a table row per line; the
    body's headings (<text:h>, at their outline level) are added to `marked` when given. Notes go
    to `notes` when given (a text document's, read after its body), else after their paragraph."""
    lines: list[str] = []
    for child in element:
        if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            own: list[str] = [] if notes is None else notes
            boxes: list[str] = []
            lines += [line := " ".join(_odf_inline(child, own, boxes).split()), *(own if notes is None else []), "",
                      *(box for box_line in boxes for box in (box_line, ""))]
            if marked is not None and child.tag == f"{_TEXT}h" and line:
                level = child.get(f"{_TEXT}outline-level", "1")
                marked.append(Marked(line, int(level) if level.isdigit() else 1))
        elif child.tag == f"{_TABLE}table":
            lines += _odf_table(child, notes)
        elif child.tag not in _NOT_SHOWN:
            lines += odf_blocks(child, marked, notes)
    return lines


def _odf_rows(element, in_header: bool = False,
              notes: list[str] | None = None) -> list[tuple[bool, list[str | None]]]:
    """A table's rows in order, each with whether it is one of the header rows the file marks
    (<table:table-header-rows>, Writer's "Heading" option); a merged cell's covered columns None;
    notes in cells go to `notes` when given (odf_blocks)."""
    rows: list[tuple[bool, list[str | None]]] = []
    for child in element:
        if child.tag == f"{_TABLE}table-row":
            cells: list[str | None] = []
            for cell in child:
                if cell.tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                    shown = cell.tag.endswith("}table-cell")
                    value = cell_text(" ".join(odf_blocks(cell, notes=notes))) if shown else None
                    cells += [value] * _repeated(cell)
            rows.append((in_header, cells))
        elif child.tag in (f"{_TABLE}table-header-rows", f"{_TABLE}table-rows",
                           f"{_TABLE}table-row-group"):
            rows += _odf_rows(child, in_header or child.tag == f"{_TABLE}table-header-rows", notes)
    return rows


def _repeated(cell) -> int:
    """How many columns a cell stands for (number-columns-repeated), bounded: a file may claim any."""
    count = cell.get(f"{_TABLE}number-columns-repeated", "1")
    return max(1, min(int(count), 64)) if count.isdigit() else 1


def _odf_table(table, notes: list[str] | None = None) -> list[str]:
    """A table row per line, named by the last of its header rows; a table without one joined."""
    rows = _odf_rows(table, notes=notes)
    headers = [cells for in_header, cells in rows if in_header]
    body = [filled(cells) for in_header, cells in rows if not in_header]
    if not headers or not body:  # nothing under the header: its rows are the table's text
        return named_rows(None, [filled(cells) for cells in headers] + body)
    return named_rows(None, [filled(cells) for cells in headers[:-1]]) + named_rows(column_names(headers[-1]), body)



def odt_text(raw: bytes) -> tuple[str, str, list[Marked]]:
    """(title, text, headings) of an OpenDocument text file, as docx_text gives a Word file's."""
    archive = open_zip(raw)
    content = ElementTree.fromstring(archive.read("content.xml"))
    body = content.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise BrokenFile("content.xml holds no text body (not a text document?)")
    marked: list[Marked] = []
    notes: list[str] = []
    lines = odf_blocks(body, marked, notes)
    add_notes(notes, lines, marked)  # after the body, as a Word file's
    return odf_title(archive), "\n".join(lines), marked


def odf_title(archive: zipfile.ZipFile) -> str:
    """The title an OpenDocument file's meta.xml gives, or ""."""
    if "meta.xml" not in archive.namelist():
        return ""
    found = ElementTree.fromstring(archive.read("meta.xml")).find(f".//{_DC}title")
    return (found.text or "").strip() if found is not None else ""


def _count(element, attribute: str) -> int:
    value = element.get(f"{_TABLE}{attribute}", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _clock(hours: int, minutes: int, seconds: int) -> str:
    return f"{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def _shown(cell) -> str:
    """What a cell shows; a date or time in ISO 8601, whatever the sheet's locale writes."""
    kind = cell.get(f"{_OFFICE}value-type", "")
    if kind == "date" and (found := _DATE.match(cell.get(f"{_OFFICE}date-value", ""))):
        day, hours, minutes, seconds = found[1], *(int(part or 0) for part in found.groups()[1:])
        return day + (" " + _clock(hours, minutes, seconds) if hours or minutes or seconds else "")
    if kind == "time" and (found := _DURATION.fullmatch(cell.get(f"{_OFFICE}time-value", ""))):
        hours, minutes, seconds = (int(part) for part in found.groups())
        if hours < 24:  # a longer duration ("36:00:00") is shown as the sheet writes it
            return _clock(hours, minutes, seconds)
    if kind == "boolean":
        return "TRUE" if cell.get(f"{_OFFICE}boolean-value", "") == "true" else "FALSE"
    text = cell_text(" ".join(odf_blocks(cell)))
    if text or kind not in ("float", "percentage", "currency"):
        return text
    return cell.get(f"{_OFFICE}value", "")  # a number written without the text it shows


def _runs(element) -> list[tuple[str, int]]:
    """A row's cells as (shown value, how many columns it repeats over), trailing empty ones
    dropped: a sheet's rows end in an empty cell repeated to its last column."""
    runs = [(_shown(cell) if cell.tag == _CELLS[0] else "", _count(cell, "number-columns-repeated"))
            for cell in element if cell.tag in _CELLS]
    while runs and not runs[-1][0]:
        runs.pop()
    return runs


def _sheet_rows(archive: zipfile.ZipFile) -> Iterator[tuple[tuple[int, str], list[str]]]:
    """((sheet number, sheet name), row) for every row of every sheet, streamed: a row read is
    taken out of the tree, so a large sheet is never held whole."""
    open_elements: list[ElementTree.Element] = []
    sheet, depth, cells, spreadsheet = (0, ""), 0, 0, False
    for event, element in ElementTree.iterparse(archive.open("content.xml"), events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            spreadsheet = spreadsheet or element.tag == f"{_OFFICE}spreadsheet"
            if element.tag == f"{_TABLE}table" and spreadsheet:
                depth += 1
                if depth == 1:
                    sheet = (sheet[0] + 1, " ".join(element.get(f"{_TABLE}name", "").split()))
            continue
        open_elements.pop()
        if element.tag == f"{_TABLE}table" and spreadsheet:
            depth -= 1
        elif element.tag == f"{_TABLE}table-row" and depth == 1:  # not the row of a table inside a cell
            if runs := _runs(element):
                repeated = _count(element, "number-rows-repeated")
                cells = workbook.counted(cells + sum(count for _, count in runs) * repeated, sheet[1])
                row = [value for value, count in runs for _ in range(count)]  # counted before it is built
                for _ in range(repeated):
                    yield sheet, row
            open_elements[-1].remove(element)
    if not spreadsheet:
        raise BrokenFile("content.xml holds no spreadsheet (not a spreadsheet?)")


def spreadsheet_sheets(raw: bytes) -> list[tuple[str, list[str]]]:
    """An .ods file's sheets with rows, as workbook.named_sheets gives them."""
    grouped = itertools.groupby(_sheet_rows(open_zip(raw)), key=lambda pair: pair[0])
    return workbook.named_sheets((name, (row for _, row in rows)) for (_, name), rows in grouped)


def presentation_slides(raw: bytes) -> tuple[str, list[str], list[Marked]]:
    """(title, one text per slide in slide order, each shape's lines then the speaker notes; ""
    for a slide without text; the slides' titles (a frame of class "title") as headings, level 1)."""
    archive = open_zip(raw)
    body = ElementTree.fromstring(archive.read("content.xml")).find(f"{_OFFICE}body/{_OFFICE}presentation")
    if body is None:
        raise BrokenFile("content.xml holds no presentation (not a presentation?)")
    slides, marked = [], []
    for page in body.findall(f"{_DRAW}page"):
        notes = page.find(f"{_PRESENTATION}notes")
        parts = [shape for shape in page if shape is not notes] + ([notes] if notes is not None else [])
        texts = [(part, "\n".join(filter(None, odf_blocks(part)))) for part in parts]
        slides.append("\n\n".join(text for _, text in texts if text))
        marked += [Marked(line, 1) for part, text in texts if part.get(f"{_PRESENTATION}class") == "title"
                   for line in text.split("\n")]
    return odf_title(archive), slides, marked
