"""Formats whose lines stay apart: subtitles and transcripts (.srt, .vtt) a cue a line with
their times kept as `Document.cues`, tables saved as text (.csv, .tsv) and spreadsheets (.xlsx,
.ods) a row a line. Each line is cleaned on its own, so no cue or row is joined to the next as
wrapped prose would be."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from rag.ingest import office, opendocument, subtitles, tables, workbook
from rag.ingest.clean import clean_text
from rag.ingest.decode import decode
from rag.ingest.errors import broken
from rag.types import Document


def _cleaned_lines(lines: list[str]) -> str:
    """Lines cleaned one by one and kept apart: a subtitle cue or a table row is
    no wrapped prose for `reflow` to join with the next."""
    return clean_text("\n\n".join(lines), web=False).replace("\n\n", "\n")  # one call: a paragraph a line


def load_subtitles(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        lines = subtitles.timed_lines(text := decode(raw, name))
    except subtitles.NoCues as err:
        raise broken(name, "subtitle file", err) from None
    stored = _cleaned_lines([line.text for line in lines])
    return [Document(id=doc_id, title=subtitles.vtt_title(text) or Path(name).stem, text=stored,
                     cues=subtitles.placed_cues(lines, stored, lambda line: clean_text(line, web=False)))]


def load_table(raw: bytes, doc_id: str, name: str) -> list[Document]:
    kind = f"{Path(name).suffix.lower().lstrip('.').upper()} file"
    try:
        rows = tables.table_rows(decode(raw, name), Path(name).suffix.lower())
    except (tables.NoRows, csv.Error) as err:
        raise broken(name, kind, err) from None
    return [Document(id=doc_id, title=Path(name).stem, text=_cleaned_lines(rows))]


def _sheets(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], list[tuple[str, list[str]]]],
            kind: str) -> list[Document]:
    """Each sheet with rows: its name on a line, then its rows as a CSV file's are written."""
    try:
        sheets = read(raw)
    except office.BROKEN as err:  # tables.NoRows among them
        raise broken(name, kind, err) from None
    text = "\n\n".join(_cleaned_lines([sheet, *rows]) for sheet, rows in sheets)
    return [Document(id=doc_id, title=Path(name).stem, text=text)]


def load_workbook(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _sheets(raw, doc_id, name, workbook.workbook_sheets, "Excel workbook")


def load_spreadsheet(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _sheets(raw, doc_id, name, opendocument.spreadsheet_sheets, "OpenDocument spreadsheet")
