"""Turn one file into Documents whose `text` is the cleaned stored text: the table of which
module reads which suffix, and the checks every document passes whatever its format.

Supported: .txt, .md (YAML front matter), .html/.htm (main text), .pdf (page spans kept),
.jsonl and .json (a document per line, per object of an array; a bad one is skipped and reported,
the rest ingest), .docx, .odt, .rtf, .rst, .pptx and .odp (slide spans kept like PDF pages), .epub,
subtitles and transcripts (.srt, .vtt), e-mail (.eml, and .mbox: a document per message), tables
saved as text (.csv, .tsv) and spreadsheets (.xlsx, .ods), LaTeX sources (.tex) and JATS articles
(PubMed Central's .nxml; .xml only with a JATS <article> root). The readers live beside this
module: markdown.py, written.py (prose formats), lines.py (cues and rows), records.py (.json,
.jsonl) and messages.py (.eml, .mbox).
Anything unreadable raises LoadError naming the file and the reason, so the caller can report
it and go on with the rest of the corpus.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rag.ingest.errors import LoadError
from rag.ingest.fields import bad_id, has_text
from rag.ingest.lines import load_spreadsheet, load_subtitles, load_table, load_workbook
from rag.ingest.markdown import load_markdown
from rag.ingest.messages import load_mail, load_mbox_records
from rag.ingest.records import Loaded, load_json_records, load_jsonl_records
from rag.ingest.written import (load_docx, load_epub, load_html, load_jats, load_latex, load_odp, load_odt,
                                load_pdf, load_pptx, load_restructured, load_rtf, load_text)
from rag.types import Document

__all__ = ["PIPELINE_VERSION", "SUFFIXES", "LoadError", "Loaded", "bad_id", "file_hash", "has_text", "load_bytes",
           "load_file", "unsupported"]

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl", ".json", ".docx", ".pptx", ".odp",
            ".epub", ".odt", ".rtf", ".rst", ".srt", ".vtt", ".eml", ".mbox", ".csv", ".tsv", ".xlsx", ".ods", ".tex", ".nxml", ".xml"}
PIPELINE_VERSION = "16"  # bump when cleaning or chunking changes, so old documents re-ingest


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + raw).hexdigest()


_LOADERS = {".txt": load_text, ".md": load_markdown, ".markdown": load_markdown,
            ".html": load_html, ".htm": load_html, ".pdf": load_pdf,
            ".docx": load_docx, ".pptx": load_pptx, ".epub": load_epub, ".odt": load_odt, ".srt": load_subtitles,
            ".vtt": load_subtitles, ".eml": load_mail, ".csv": load_table, ".tsv": load_table,
            ".xlsx": load_workbook, ".rtf": load_rtf, ".rst": load_restructured, ".odp": load_odp,
            ".ods": load_spreadsheet, ".tex": load_latex, ".nxml": load_jats,
            ".xml": load_jats}
# files of many documents, each of which may be skipped while the rest ingest
_RECORDS = {".jsonl": load_jsonl_records, ".json": load_json_records, ".mbox": load_mbox_records}


def unsupported(name: str) -> str:
    """The one message for a file whose type Attest does not read."""
    suffix = Path(name).suffix.lower()
    return f"{name}: unsupported file type {suffix or '(none)'}; supported: {', '.join(sorted(SUFFIXES))}"


def load_file(raw: bytes, name: str, doc_id: str | None = None) -> Loaded:
    """Documents from one file's bytes; `name` is its path relative to the corpus root.
    A file of records (.jsonl, .json, .mbox) skips its bad ones; any other file is one
    document or a LoadError."""
    suffix = Path(name).suffix.lower()
    if suffix in _RECORDS:
        loaded = _RECORDS[suffix](raw, doc_id or name, name)
    elif suffix not in _LOADERS:
        raise LoadError(unsupported(name))
    else:
        loaded = Loaded(_LOADERS[suffix](raw, doc_id or name, name))
    digest = file_hash(raw)
    for document in loaded.documents:
        if not has_text(document.text):
            raise LoadError(f"{name}: no text left after cleaning; not ingested")
        if problem := bad_id(document.id):
            raise LoadError(f"{name}: document id {document.id!r} cannot be used: {problem}")
        document.path = name
        document.content_hash = digest
    return loaded


def load_bytes(raw: bytes, name: str, doc_id: str | None = None) -> list[Document]:
    """The documents of load_file, without the report of skipped records."""
    return load_file(raw, name, doc_id).documents
