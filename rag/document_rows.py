"""A Document as one row of the store's `documents` table, and back. A transcript's cues and
the recorded headings are kept as compact JSON triples, pages as JSON objects; a document
without them stores NULL, and reads back with empty lists.
"""

from __future__ import annotations

import json

from rag.types import Cue, Document, Heading, Page

DOCUMENT_COLUMNS = "id, title, source, date, author, path, content_hash, pages, text, cues, headings"


def _cues_json(cues: list[Cue]) -> str | None:
    """A transcript's cues as [offset, start_ms, end_ms] triples: a 1-hour interview has about
    a thousand cues, each stored without repeating its field names. NULL for the rest."""
    return json.dumps([[c.offset, c.start_ms, c.end_ms] for c in cues], separators=(",", ":")) if cues else None


def _headings_json(headings: list[Heading]) -> str | None:
    """Headings as [start, end, level] triples, as cues are kept; NULL for a document without."""
    return json.dumps([[h.start, h.end, h.level] for h in headings], separators=(",", ":")) if headings else None


def document_row(document: Document) -> tuple:
    """The values of DOCUMENT_COLUMNS, in order."""
    return (document.id, document.title, document.source, document.date, document.author,
            document.path, document.content_hash,
            json.dumps([p.model_dump() for p in document.pages]), document.text, _cues_json(document.cues),
            _headings_json(document.headings))


def document_from_row(row: tuple) -> Document:
    """The Document a row of DOCUMENT_COLUMNS holds."""
    id_, title, source, date, author, path, content_hash, pages, text, cues, headings = row
    return Document(id=id_, title=title, source=source, date=date, author=author, path=path,
                    content_hash=content_hash, text=text,
                    pages=[Page(**p) for p in json.loads(pages or "[]")],
                    cues=[Cue(offset=o, start_ms=s, end_ms=e) for o, s, e in json.loads(cues or "[]")],
                    headings=[Heading(start=s, end=e, level=n) for s, e, n in json.loads(headings or "[]")])
