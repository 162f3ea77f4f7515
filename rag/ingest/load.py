"""Turn one file into Documents whose `text` is the cleaned stored text.

Supported: .txt, .md (YAML front matter), .html/.htm (main text), .pdf (page spans kept),
.jsonl (one document per line), .docx, .pptx (slide spans kept like PDF pages) and .epub.
Anything unreadable raises LoadError naming the file and the reason, so the caller can
report it and go on with the rest of the corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from rag.ingest import html, office
from rag.ingest.clean import clean_text
from rag.types import Document, Page

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl", ".docx", ".pptx", ".epub"}
PIPELINE_VERSION = "2"  # bump when cleaning or chunking changes, so old documents re-ingest


class LoadError(Exception):
    """A file (or one record in it) that cannot be ingested; the message is for people."""


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + raw).hexdigest()


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:8192]:
        raise LoadError(f"{name}: looks like a binary file (NUL bytes); not ingested")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(f"{name}: not valid UTF-8 at byte {err.start}; re-save it as UTF-8") from None


def _field(meta: dict, key: str, name: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise LoadError(f"{name}: front-matter field {key!r} must be text, got {type(value).__name__}")
    return str(value).strip()


def _title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200] if len(line.split()) <= 20 else fallback
    return fallback


_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _markdown_to_text(body: str) -> str:
    body = _HTML_COMMENT.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    return _MD_EMPHASIS.sub(r"\2", body)


def _split_front_matter(text: str, name: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    import yaml

    end = text.find("\n---", 3)
    if end == -1:
        raise LoadError(f"{name}: front matter opened with '---' but never closed")
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as err:
        raise LoadError(f"{name}: front matter is not valid YAML ({err.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise LoadError(f"{name}: front matter must be a mapping of fields")
    return meta, text[end + 4 :].lstrip("-\n")


def load_markdown(raw: bytes, doc_id: str, name: str) -> list[Document]:
    meta, body = _split_front_matter(_decode(raw, name), name)
    text = clean_text(_markdown_to_text(body))
    return [Document(
        id=_field(meta, "id", name) or doc_id,
        title=_field(meta, "title", name) or _title_from(text, Path(name).stem),
        source=_field(meta, "source", name) or _field(meta, "url", name),
        date=_field(meta, "date", name),
        author=_field(meta, "author", name),
        text=text,
    )]


def load_text(raw: bytes, doc_id: str, name: str) -> list[Document]:
    text = clean_text(_decode(raw, name))
    return [Document(id=doc_id, title=_title_from(text, Path(name).stem), text=text)]


def load_html(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        page = html.page_text(_decode(raw, name))
    except RecursionError:
        raise LoadError(f"{name}: HTML nested too deeply to parse safely; not ingested") from None
    text = clean_text(page.text)
    return [Document(id=doc_id, title=page.title or _title_from(text, Path(name).stem), source=page.source,
                     text=text)]


def _broken(name: str, kind: str, err: BaseException) -> LoadError:
    return LoadError(f"{name}: broken or unreadable {kind} ({err.__class__.__name__}: {err})"[:300])


def load_docx(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        title, body = office.docx_text(raw)
    except office.BROKEN as err:
        raise _broken(name, "Word file", err) from None
    text = clean_text(body)
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text)]


def load_pptx(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        title, slides = office.pptx_slides(raw)
    except office.BROKEN as err:
        raise _broken(name, "PowerPoint file", err) from None
    text, pages = office.join_parts([clean_text(slide) for slide in slides])
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text, pages=pages)]


def load_epub(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        title, chapters = office.epub_chapters(raw, lambda page: html.rules_text(page).text)
    except office.BROKEN as err:
        raise _broken(name, "EPUB file", err) from None
    text, _ = office.join_parts([clean_text(chapter) for chapter in chapters])
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text)]


def load_pdf(raw: bytes, doc_id: str, name: str) -> list[Document]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        page_texts = [clean_text(page.extract_text() or "") for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise LoadError(f"{name}: broken or unreadable PDF ({err.__class__.__name__}: {err})"[:300]) from None
    text, pages = "", []
    for number, page_text in enumerate(page_texts, start=1):
        if not page_text:
            continue
        if text:
            text += "\n\n"
        pages.append(Page(number=number, start=len(text), end=len(text) + len(page_text)))
        text += page_text
    if not text:
        raise LoadError(f"{name}: PDF has no extractable text (scanned images?); not ingested")
    return [Document(id=doc_id, title=str(info_title).strip() or _title_from(text, Path(name).stem),
                     text=text, pages=pages)]


def load_jsonl(raw: bytes, doc_id: str, name: str) -> list[Document]:
    """Whole file or nothing: a bad line names its number, so the user can fix it."""
    documents = []
    for number, line in enumerate(_decode(raw, name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise LoadError(f"{name}:{number}: not valid JSON ({err.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise LoadError(f"{name}:{number}: each line needs an object with a string 'text'")
        where = f"{name}:{number}"
        rid = _field(record, "id", where) or _field(record, "_id", where) or f"{doc_id}#{number}"
        text = clean_text(record["text"])
        documents.append(Document(
            id=rid, title=_field(record, "title", where) or rid, text=text,
            source=_field(record, "url", where) or _field(record, "source", where),
            date=_field(record, "date", where), author=_field(record, "author", where),
        ))
    return documents


_LOADERS = {".txt": load_text, ".md": load_markdown, ".markdown": load_markdown,
            ".html": load_html, ".htm": load_html, ".pdf": load_pdf, ".jsonl": load_jsonl,
            ".docx": load_docx, ".pptx": load_pptx, ".epub": load_epub}


def load_bytes(raw: bytes, name: str, doc_id: str | None = None) -> list[Document]:
    """Documents from one file's bytes; `name` is its path relative to the corpus root."""
    suffix = Path(name).suffix.lower()
    if suffix not in _LOADERS:
        raise LoadError(f"{name}: unsupported file type {suffix or '(none)'}; "
                        f"supported: {', '.join(sorted(SUFFIXES))}")
    documents = _LOADERS[suffix](raw, doc_id or name, name)
    digest = file_hash(raw)
    for document in documents:
        if not document.text.strip():
            raise LoadError(f"{name}: no text left after cleaning; not ingested")
        document.path = name
        document.content_hash = digest
    return documents
