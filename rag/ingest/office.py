"""Text out of zipped document formats: Word (.docx), PowerPoint (.pptx) and EPUB; the zip
checks that OpenDocument's readers share (opendocument.py).

Each reader returns the title it finds and the text of its parts in reading order (Word
paragraphs, headings and table rows as the page shows them, read by word.py, its notes after the
body; one string per slide; one per EPUB chapter, its cover and contents pages skipped). They
raise the libraries' own errors; `written.py` and `lines.py` turn every error in `BROKEN` into a
LoadError naming the file. Nothing here cleans or stores text: offsets are made once, from the
cleaned parts, by `join_parts`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from rag.ingest import word
from rag.ingest.headings import Marked
from rag.ingest.tables import cell_text, column_names, filled, named_rows, names_and_values, names_columns
from rag.types import Page

NOTES_HEADING = "Notes"  # a word processor's footnotes and endnotes are stored under it (add_notes)
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024  # a zip bomb is refused before anything is read


class BrokenFile(ValueError):
    """A zipped document whose structure is not what its format promises."""


def open_zip(raw: bytes) -> zipfile.ZipFile:
    """The archive; BrokenFile when its members would unzip to more than MAX_UNZIPPED_BYTES
    (zipfile never inflates a member past the size its header declares)."""
    archive = zipfile.ZipFile(io.BytesIO(raw))
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
        raise BrokenFile(f"unzips to more than {MAX_UNZIPPED_BYTES // 2**20} MiB")
    return archive


def _broken_errors() -> tuple[type[BaseException], ...]:
    # a damaged archive surfaces as any of these from inside zipfile, zlib or the readers
    errors: list[type[BaseException]] = [zipfile.BadZipFile, BrokenFile, KeyError, ValueError, TypeError,
                                         IndexError, AttributeError, EOFError, RuntimeError,  # encrypted members too
                                         zlib.error, OSError, RecursionError, ElementTree.ParseError]
    try:  # optional formats: their errors count only where their libraries are installed
        from docx.opc.exceptions import OpcError
        from lxml.etree import LxmlError
        from pptx.exc import PythonPptxError
        errors += [OpcError, LxmlError, PythonPptxError]
    except ImportError:
        pass
    return tuple(errors)


BROKEN = _broken_errors()


def join_parts(parts: list[str], between: Callable[[int, int], str] | None = None) -> tuple[str, list[Page]]:
    """Non-empty parts joined by a blank line, or by what `between(i, j)` gives for parts[i] and
    the next non-empty parts[j] (a space where a PDF page's last sentence goes on over the page);
    part i (1-based) spans pages[...].start:end."""
    text, pages = "", []
    for number, part in enumerate(parts, start=1):
        if not part:
            continue
        if text:
            text += between(pages[-1].number - 1, number - 1) if between else "\n\n"
        pages.append(Page(number=number, start=len(text), end=len(text) + len(part)))
        text += part
    return text, pages


def _table_rows(table, text_of: Callable[[Any], str] = lambda cell: " ".join(cell.text.split())) -> list[str]:
    """A table as text: one line per row, named by its header row where it has one
    (tables.named_rows), else its distinct cells joined by " | "; `text_of` reads a cell."""
    rows: list[list[str | None]] = []  # None: a column a merged cell spans after its first
    nested: list[list[str]] = []  # the rows of the tables inside each row's cells
    for row in table.rows:
        cells: list[str | None] = []
        inner_rows: list[str] = []
        previous = None
        for cell in row.cells:  # a merged cell is the same cell in every column it spans
            value = text_of(cell)  # a cell's paragraphs; a table inside it comes after the row
            cells.append(None if cell is previous else value)
            previous = cell
            for inner in getattr(cell, "tables", []):  # Word cells hold tables; PowerPoint cells do not
                inner_rows += [r for r in _table_rows(inner, text_of) if r not in inner_rows]
        rows.append(cells)
        nested.append(inner_rows)
    header = _header(table, rows)
    lines: list[str] = []
    for i, (cells, inner_rows) in enumerate(zip(rows, nested)):
        if not (i == 0 and header):
            lines += named_rows(header, [filled(cells)])
        lines += inner_rows
    return lines


_FIRST_ROW_LOOK = 0x0020  # tblLook's bit for "Header Row" in Word 2007's hexadecimal form


def _header(table, rows: list[list[str | None]]) -> list[str] | None:
    """The first row's cells as column names, where the file marks a header row: Word's
    "Repeat as header row", or the "Header Row" style that Word and PowerPoint turn on by
    default, trusted only for a first row that names every column once (tables.names_columns)
    and does not head a table of names and values (tables.names_and_values)."""
    if len(rows) < 2:
        return None
    first = column_names(rows[0])
    if hasattr(table, "first_row"):  # PowerPoint
        styled = table.first_row
    else:
        repeated = table.rows[0]._tr.find(f"{word.W}trPr/{word.W}tblHeader")
        if repeated is not None and repeated.get(f"{word.W}val", "1") not in ("0", "false", "off"):
            return first
        styled = _word_first_row_look(table)
    return first if styled and names_columns(first) and not names_and_values(rows) else None


def _word_first_row_look(table) -> bool:
    look = table._tbl.find(f"{word.W}tblPr/{word.W}tblLook")
    if look is None:
        return False
    first_row = look.get(f"{word.W}firstRow")
    if first_row is not None:
        return first_row in ("1", "true", "on")
    try:
        return bool(int(look.get(f"{word.W}val") or "0", 16) & _FIRST_ROW_LOOK)
    except ValueError:
        return False


def docx_text(raw: bytes) -> tuple[str, str, list[Marked]]:
    """(title, text, headings): paragraphs and headings one per line, tables row by row, in body
    order, as the page shows them (word.py); a heading is a paragraph in a "Heading N" or the
    "Title" style (level 0). Footnotes and endnotes come after the body under a "Notes" heading."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    open_zip(raw).close()
    document = docx.Document(io.BytesIO(raw))
    marks = word.NoteMarks()
    lines: list[str] = []
    marked: list[Marked] = []
    for block in word.blocks(document.element.body):
        if block.tag == f"{word.W}tbl":
            lines += [""] + _table_rows(Table(block, document), lambda cell: word.cell_text(cell._tc, marks)) + [""]
            continue
        text, boxes = word.paragraph_text(block, marks)
        lines += [text, "", *(line for box in boxes for line in (box, ""))]
        if (level := _heading_level(Paragraph(block, document))) is not None and text.strip():
            marked.append(Marked(cell_text(text), level))
    add_notes(word.notes(document.part, marks), lines, marked)
    return _title(document), "\n".join(lines), marked


def add_notes(notes: list[str], lines: list[str], marked: list[Marked]) -> None:
    """A word processor's notes after its body's `lines`, a paragraph each, under NOTES_HEADING
    (added to `marked`, level 1): in the body a note would cut the sentence that refers to it."""
    if notes:
        lines += ["", NOTES_HEADING, "", *(line for note in notes for line in (note, ""))]
        marked.append(Marked(NOTES_HEADING, 1))


def _heading_level(paragraph) -> int | None:
    """The level of a Word paragraph's heading style ("Heading 2" is 2, "Title" 0), or None.
    python-docx names the built-in styles in English whatever the file's language."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 0
    parts = name.split()
    return int(parts[1]) if len(parts) == 2 and parts[0] == "Heading" and parts[1].isdigit() else None


_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def _title(document) -> str:
    """The title the file's own properties give; a file without a properties part has none
    (asked for it, python-docx and python-pptx make one up: "Word Document", "PowerPoint
    Presentation")."""
    try:
        document.part.package.part_related_by(_CORE_PROPERTIES)
    except KeyError:
        return ""
    return (document.core_properties.title or "").strip()


def _shape_texts(shapes) -> list[str]:
    texts = []
    for shape in shapes:
        if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            texts += _shape_texts(shape.shapes)
        elif getattr(shape, "has_table", False) and shape.has_table:
            texts.append("\n".join(_table_rows(shape.table)))
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            texts.append("\n".join(_lines(shape.text_frame)))
    return texts


def _lines(text_frame) -> list[str]:
    """A text frame's paragraphs; a line break inside one ("\v" in python-pptx) is a space, as
    OpenDocument's is (`_odf_inline`): cleaning drops control characters and would join the words."""
    return [paragraph.text.replace("\v", " ") for paragraph in text_frame.paragraphs]


def pptx_slides(raw: bytes) -> tuple[str, list[str], list[Marked]]:
    """(title, one text per slide in slide order, its speaker notes after its shapes; "" for a
    slide without text; the slides' titles (their title placeholders) as headings, level 1)."""
    import pptx

    open_zip(raw).close()
    presentation = pptx.Presentation(io.BytesIO(raw))
    slides = ["\n\n".join([*_shape_texts(slide.shapes), _notes(slide)]).strip() for slide in presentation.slides]
    marked = [Marked(line, 1) for slide in presentation.slides
              if (title := slide.shapes.title) is not None and title.has_text_frame
              for line in map(cell_text, _lines(title.text_frame)) if line]
    return _title(presentation), slides, marked


def _notes(slide) -> str:
    """A slide's speaker notes, which often say what its bullets only list."""
    if not slide.has_notes_slide or slide.notes_slide.notes_text_frame is None:
        return ""
    return "\n".join(_lines(slide.notes_slide.notes_text_frame)).strip()


_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"


def epub_chapters(raw: bytes, html_to_text: Callable[[str], str]) -> tuple[str, list[str]]:
    """(title, text of each spine document in reading order); the navigation page, and the cover
    and contents pages the package's guide or landmarks name, are skipped (they repeat the title
    and the chapters' headings); pages marked linear="no" (notes, answers) come after the rest."""
    archive = open_zip(raw)
    container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise BrokenFile("META-INF/container.xml names no package document")
    opf_path = rootfile.get("full-path")
    package = ElementTree.fromstring(archive.read(opf_path))
    manifest = {item.get("id"): item for item in package.iter(f"{_OPF}item")}
    title_tag = package.find(f".//{_DC}title")

    def path(href: str, relative_to: str = opf_path) -> str:
        # a manifest's hrefs are URLs: "chapter%201.xhtml" names the file "chapter 1.xhtml"
        return posixpath.normpath(posixpath.join(posixpath.dirname(relative_to), unquote(href.split("#")[0])))

    skipped = {path(href) for ref in package.iter(f"{_OPF}reference")  # not "book.xhtml#toc": a part of a page
               if (ref.get("type") or "").lower() in _NOT_CHAPTERS and "#" not in (href := ref.get("href") or "#")}
    linear, auxiliary = [], []
    for itemref in package.iter(f"{_OPF}itemref"):
        item = manifest.get(itemref.get("idref"))
        if item is None:
            raise BrokenFile(f"spine names {itemref.get('idref')!r}, which the manifest lacks")
        href = path(item.get("href") or "")
        if "nav" in (item.get("properties") or "").split():
            if href in archive.namelist():
                skipped |= {path(link, href) for link in _landmarks(archive.read(href)) if "#" not in link}
            continue
        (auxiliary if itemref.get("linear") == "no" else linear).append(href)
    pages = [href for href in linear + auxiliary if href not in skipped] or linear + auxiliary
    chapters = [html_to_text(archive.read(href).decode("utf-8-sig")) for href in pages]
    if not chapters:
        raise BrokenFile("its spine lists no chapters")
    return ((title_tag.text or "").strip() if title_tag is not None else ""), chapters


_NOT_CHAPTERS = {"cover", "toc"}  # EPUB 2 guide and EPUB 3 landmark types of pages that are no chapter
_XHTML = "{http://www.w3.org/1999/xhtml}"
_EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def _landmarks(nav: bytes) -> list[str]:
    """The hrefs an EPUB 3 navigation page's landmarks give the cover and the contents page."""
    try:
        root = ElementTree.fromstring(nav)
    except ElementTree.ParseError:  # a navigation page that is not XML names no landmarks
        return []
    return [link.get("href") or "" for nav_tag in root.iter(f"{_XHTML}nav")
            if "landmarks" in (nav_tag.get(_EPUB_TYPE) or "").split()
            for link in nav_tag.iter(f"{_XHTML}a") if set((link.get(_EPUB_TYPE) or "").split()) & _NOT_CHAPTERS]
