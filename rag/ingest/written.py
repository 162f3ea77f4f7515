"""Files written as prose into one Document each: plain text, reStructuredText, web pages, word
processors' files (.docx, .odt, .rtf) with their headings, presentations (.pptx, .odp) a slide a
page with the slides' titles as headings, EPUB books a chapter at a time, and PDFs with their page
spans, less their running heads and page numbers (`page_furniture`). A format library's error
becomes a LoadError naming the file (`broken`); nothing here decides what a quote is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rag.ingest import html, jats, latex, office, opendocument, restructured, rtf
from rag.ingest.clean import clean_text
from rag.ingest.decode import decode, decode_html
from rag.ingest.errors import LoadError, broken
from rag.ingest.fields import title_from
from rag.ingest.headings import Marked, ReadText, placed
from rag.ingest.page_furniture import page_break, unhyphenate, whole_words_across, without_furniture
from rag.ingest.pdf_layout import page_runs, reading_order
from rag.types import Document, Heading


def load_restructured(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _stored(restructured.rst_text(decode(raw, name)), doc_id, name)


def load_latex(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        read = latex.latex_text(decode(raw, name))
    except latex.NotLatex as err:
        raise LoadError(f"{name}: {err}; not ingested") from None
    return _stored(read, doc_id, name)


def load_jats(raw: bytes, doc_id: str, name: str) -> list[Document]:
    from xml.etree.ElementTree import ParseError

    try:
        read = jats.jats_text(raw)
    except jats.NotJats as err:
        raise LoadError(f"{name}: {err}; an .xml file is read only as a JATS or PubMed Central article "
                        "(root <article>); save other XML as .txt, .html or .md") from None
    except (ParseError, RecursionError) as err:
        raise broken(name, "JATS XML file", err) from None
    return _stored(read, doc_id, name)


def _stored(read: ReadText, doc_id: str, name: str) -> list[Document]:
    """A written document (reStructuredText, LaTeX, JATS) as stored: its text cleaned as
    documents people write are, not as a page's chrome, its title the file name's when it has none."""
    text = clean_text(read.text, web=False)
    return [Document(id=doc_id, title=read.title or title_from(text, Path(name).stem), author=read.author,
                     date=read.date, source=read.source, text=text, headings=placed(read.headings, text))]


def load_text(raw: bytes, doc_id: str, name: str) -> list[Document]:
    text = clean_text(decode(raw, name))
    return [Document(id=doc_id, title=title_from(text, Path(name).stem), text=text)]


def load_html(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        page = html.page_text(decode_html(raw, name))
    except RecursionError:
        raise LoadError(f"{name}: HTML nested too deeply to parse safely; not ingested") from None
    text = clean_text(page.text)
    return [Document(id=doc_id, title=page.title or title_from(text, Path(name).stem), source=page.source,
                     text=text, headings=placed(page.headings, text))]
def _written(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], tuple[str, str, list[Marked]]],
             kind: str) -> list[Document]:
    """A word processor's file: `read` gives its title (or ""), its text and its headings."""
    try:
        title, body, marked = read(raw)
    except office.BROKEN as err:
        raise broken(name, kind, err) from None
    text = clean_text(body, web=False)
    return [Document(id=doc_id, title=title or title_from(text, Path(name).stem), text=text,
                     headings=placed(marked, text))]


def load_docx(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, office.docx_text, "Word file")


def load_odt(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, opendocument.odt_text, "OpenDocument file")


def load_rtf(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, rtf.rtf_text, "RTF file")


def _slides(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], tuple[str, list[str], list[Marked]]],
            kind: str) -> list[Document]:
    """A presentation: `read` gives its title (or ""), a text per slide (each slide a page) and
    the slides' titles as headings."""
    try:
        title, slides, marked = read(raw)
    except office.BROKEN as err:
        raise broken(name, kind, err) from None
    text, pages = office.join_parts([clean_text(slide, web=False) for slide in slides])
    headings = placed(marked, text)
    if headings:  # a slide is not under the title of the slide before it: one that does not open
        # with a title opens with an empty heading, which ends that section and names none
        opened = {h.start for h in headings}
        headings = sorted(headings + [Heading(start=p.start, end=p.start, level=1) for p in pages
                                      if p.start not in opened], key=lambda h: h.start)
    return [Document(id=doc_id, title=title or title_from(text, Path(name).stem), text=text, pages=pages,
                     headings=headings)]


def load_pptx(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _slides(raw, doc_id, name, office.pptx_slides, "PowerPoint file")


def load_odp(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _slides(raw, doc_id, name, opendocument.presentation_slides, "OpenDocument presentation")


def load_epub(raw: bytes, doc_id: str, name: str) -> list[Document]:
    marked: list[Marked] = []  # every chapter's headings, in reading order

    def chapter_text(page: str) -> str:
        chapter = html.rules_text(page, book=True)
        marked.extend(chapter.headings)
        return chapter.text

    try:
        title, chapters = office.epub_chapters(raw, chapter_text)
    except office.BROKEN as err:
        raise broken(name, "EPUB file", err) from None
    text, _ = office.join_parts([clean_text(chapter, web=False) for chapter in chapters])
    return [Document(id=doc_id, title=title or title_from(text, Path(name).stem), text=text,
                     headings=placed(marked, text))]
def load_pdf(raw: bytes, doc_id: str, name: str) -> list[Document]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        printed = whole_words_across(without_furniture(reading_order([page_runs(page) for page in reader.pages])))
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise LoadError(f"{name}: broken or unreadable PDF ({err.__class__.__name__}: {err})"[:300]) from None
    cleaned = [clean_text(unhyphenate(page), web=False) for page in printed]
    text, pages = office.join_parts(cleaned, lambda i, j: page_break(printed[i], cleaned[j]))
    if not text:
        raise LoadError(f"{name}: PDF has no extractable text (scanned images?); not ingested")
    return [Document(id=doc_id, title=str(info_title).strip() or title_from(text, Path(name).stem),
                     text=text, pages=pages)]
