"""What a Document must hold, checked the same for every format: an id a URL can name, some
text to read, text fields (a front matter's or a record's) that are text, and a title, found
in the text where the file names none."""

from __future__ import annotations

import re

import unicodedata

from rag.ingest.clean import KEPT_INVISIBLE
from rag.ingest.errors import LoadError


def has_text(text: str) -> bool:
    """Is anything left to read: a character that is neither a space nor a joiner (U+200C,
    U+200D), which cleaning keeps for spelling but which alone say nothing?"""
    return any(not ch.isspace() and ch not in KEPT_INVISIBLE for ch in text)


def bad_id(document_id: str) -> str:
    """Why an id cannot be used (it could never be fetched or deleted by URL), or ''."""
    if not document_id.strip():
        return "the id is empty"
    if any(unicodedata.category(ch)[0] == "C" for ch in document_id):
        return "the id holds a newline or another control character"
    if len(document_id) > 512:
        return "the id is over 512 characters"
    return ""


_LISTED = {"author"}  # fields that Jekyll, Hugo and Pandoc write as a list ("author: [Ann, Bo]")


def text_field(meta: dict, key: str, name: str, kind: str = "front-matter field", then: str = "") -> str:
    """`meta[key]` as stripped text ('' where absent); a list or mapping is a LoadError, except
    a list of names in a field written as one (`_LISTED`), joined with commas."""
    value = meta.get(key)
    if value is None:
        return ""
    if key in _LISTED and isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, (dict, list)):
        raise LoadError(f"{name}: {kind} {key!r} must be text, got {type(value).__name__}{then}")
    return str(value).strip()


# a line that ends a statement is a sentence, not a title: answering leaves out a sentence equal
# to its document's title, so a one-line note titled by its own line could never be quoted
_STATEMENT_END = re.compile(r"[.!…][\"'”’)\]]*$")


def title_from(text: str, fallback: str) -> str:
    """The text's first line (its heading marks dropped) where it is short enough to be a title
    and does not end as a statement does, else `fallback` (the file's name)."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200] if len(line.split()) <= 20 and not _STATEMENT_END.search(line) else fallback
    return fallback
