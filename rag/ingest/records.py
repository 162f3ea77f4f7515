"""Files of many documents in JSON: .jsonl (a document per line) and .json (a document object,
or an array of them). A bad record (not JSON, no text, a bad or repeated id) is skipped and
reported by its line or number while the rest ingest; a file none of whose records can be
ingested is a LoadError."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from rag.ingest.clean import clean_text
from rag.ingest.decode import decode
from rag.ingest.errors import LoadError
from rag.ingest.fields import bad_id, has_text, text_field
from rag.types import Document


@dataclass
class Loaded:
    """A file's documents, and the records of it that were skipped (one message each,
    naming the line and the id) while the rest still ingest."""

    documents: list[Document] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # "name:line" → reason


def some_taken(loaded: Loaded, name: str) -> Loaded:
    """`loaded`, or a LoadError naming the first reasons where no record of the file was taken."""
    if not loaded.documents:
        reasons = "; ".join(list(loaded.skipped.values())[:3]) or "the file has no records"
        raise LoadError(f"{name}: no record could be ingested ({reasons})")
    return loaded


def _record_field(record: dict, key: str, where: str) -> str:
    return text_field(record, key, where, kind="field", then="; skipped")


def _take(loaded: Loaded, seen: dict[str, str], record: object, where: str, unit: str, number: int,
          doc_id: str) -> None:
    """One record of a .jsonl or .json file ({"id" or "_id", "title", "text", "url" or "source",
    "date", "author"}) added to `loaded` as a document, or its reason to `loaded.skipped`: no
    text, empty after cleaning, a bad id, or an id an earlier record took (`seen`: id -> where)."""
    try:
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise LoadError(f"{where}: each {unit} needs an object with a string 'text'; skipped")
        rid = _record_field(record, "id", where) or _record_field(record, "_id", where) or doc_id
        if problem := bad_id(rid):
            raise LoadError(f"{where} (id {rid!r}): {problem}; skipped")
        if rid in seen:
            raise LoadError(f"{where}: id {rid!r} was already used on {seen[rid]}; skipped (the first keeps it)")
        text = clean_text(record["text"])
        if not has_text(text):
            raise LoadError(f"{where} (id {rid!r}): no text left after cleaning; skipped")
        loaded.documents.append(Document(
            id=rid, title=_record_field(record, "title", where) or rid, text=text,
            source=_record_field(record, "url", where) or _record_field(record, "source", where),
            date=_record_field(record, "date", where), author=_record_field(record, "author", where),
        ))
        seen[rid] = f"{unit} {number}"
    except LoadError as err:
        loaded.skipped[where] = str(err)


def load_jsonl_records(raw: bytes, doc_id: str, name: str) -> Loaded:
    """One document per line. A bad line (not JSON, or a record `_take` skips) is skipped and
    reported by line number and id; the first line with an id keeps it."""
    loaded, seen = Loaded(), {}
    # JSON text holds no raw CR or LF, but may hold U+2028, U+2029 and U+0085, which
    # str.splitlines() would also break a record at
    for number, line in enumerate(re.split(r"\r\n|[\r\n]", decode(raw, name)), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = _parsed(line, where, "skipped")
        except LoadError as err:
            loaded.skipped[where] = str(err)
            continue
        _take(loaded, seen, record, where, "line", number, f"{doc_id}#{number}")
    return some_taken(loaded, name)


def _parsed(text: str, where: str, then: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise LoadError(f"{where}: not valid JSON ({err.msg}); {then}") from None
    except RecursionError:  # the decoder recurses per level: one record must not sink the file
        raise LoadError(f"{where}: JSON nested too deeply to read; {then}") from None


_JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "true or false", type(None): "null"}


def load_json_records(raw: bytes, doc_id: str, name: str) -> Loaded:
    """A document object with the fields of a .jsonl line, or an array of them (a bad one
    skipped and reported by its number, as a .jsonl line is); anything else is refused."""
    value = _parsed(decode(raw, name), name, "not ingested")
    loaded, seen = Loaded(), {}
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        _take(loaded, seen, value, name, "document", 1, doc_id)
    elif isinstance(value, list):
        for number, record in enumerate(value, start=1):
            _take(loaded, seen, record, f"{name} item {number}", "item", number, f"{doc_id}#{number}")
    else:
        found = "an object without a string \"text\"" if isinstance(value, dict) else _JSON_KINDS[type(value)]
        raise LoadError(f"{name}: expected a document object ({{\"text\": ...}}, with optional \"id\", \"title\", "
                        f"\"url\", \"date\") or an array of them, found {found}; not ingested")
    return some_taken(loaded, name)
