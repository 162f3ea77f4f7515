"""Turn one file into Documents whose `text` is the cleaned stored text.

Supported: .txt, .md (YAML front matter), .html/.htm (main text), .pdf (page spans kept),
.jsonl and .json (a document per line, per object of an array; a bad one is skipped and reported,
the rest ingest), .docx, .odt, .rtf, .rst, .pptx and .odp (slide spans kept like PDF pages), .epub,
subtitles and transcripts (.srt, .vtt), e-mail (.eml, and .mbox: a document per message), tables
saved as text (.csv, .tsv) and spreadsheets (.xlsx, .ods).
Anything unreadable raises LoadError naming the file and the reason, so the caller can report
it and go on with the rest of the corpus.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rag.ingest import html, mail, office, opendocument, restructured, rtf, subtitles, tables, workbook
from rag.ingest.clean import KEPT_INVISIBLE, clean_text
from rag.ingest.headings import Marked, placed
from rag.types import Document

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl", ".json", ".docx", ".pptx", ".odp",
            ".epub", ".odt", ".rtf", ".rst", ".srt", ".vtt", ".eml", ".mbox", ".csv", ".tsv", ".xlsx", ".ods"}
PIPELINE_VERSION = "10"  # bump when cleaning or chunking changes, so old documents re-ingest


def has_text(text: str) -> bool:
    """Is anything left to read: a character that is neither a space nor a joiner (U+200C,
    U+200D), which cleaning keeps for spelling but which alone say nothing?"""
    return any(not ch.isspace() and ch not in KEPT_INVISIBLE for ch in text)


class LoadError(Exception):
    """A file (or one record in it) that cannot be ingested; the message is for people."""


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + raw).hexdigest()


# <meta charset="windows-1252"> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_DECLARED_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)


def _decode_html(raw: bytes, name: str) -> str:
    """A page in UTF-8 or, where it is not, in the charset it declares in its first 4 KiB
    (saved pages of older sites say windows-1252 or ISO-8859-1). Valid UTF-8 wins over a
    declaration, which a page saved again as UTF-8 often still carries."""
    try:
        return _decode(raw, name)
    except LoadError:
        declared = _DECLARED_CHARSET.search(raw[:4096])
        try:
            if declared:
                return raw.decode(codecs.lookup(declared[1].decode("ascii")).name)
        except (LookupError, UnicodeDecodeError):
            pass
        raise


def _not_binary(raw: bytes, name: str) -> None:
    if b"\x00" in raw[:8192]:
        raise LoadError(f"{name}: looks like a binary file (NUL bytes); not ingested")


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows "Unicode" text
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise LoadError(f"{name}: starts with a UTF-16 mark but is not valid UTF-16 at byte "
                            f"{err.start}; re-save it as UTF-8") from None
    _not_binary(raw, name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(f"{name}: not valid UTF-8 at byte {err.start}; re-save it as UTF-8") from None


_LISTED = {"author"}  # fields that Jekyll, Hugo and Pandoc write as a list ("author: [Ann, Bo]")


def _field(meta: dict, key: str, name: str, kind: str = "front-matter field", then: str = "") -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if key in _LISTED and isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    if isinstance(value, (dict, list)):
        raise LoadError(f"{name}: {kind} {key!r} must be text, got {type(value).__name__}{then}")
    return str(value).strip()


def _record_field(record: dict, key: str, where: str) -> str:
    return _field(record, key, where, kind="field", then="; skipped")


def _title_from(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200] if len(line.split()) <= 20 else fallback
    return fallback


# Linear on any input: link text stops at the next '[' and the address at an unbalanced
# '(' (one level of parentheses, as in Wikipedia addresses), so no scan passes the start
# of the next candidate; comments are cut by str.find, not a lazy DOTALL pattern.
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\((?:[^()]|\([^()]*\))*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
# an ATX heading ("## Key facts") or a setext one (a line over "===")
_MD_HEADING_TEXT = re.compile(r"^(#{1,6})[ \t]+(.+)$|^(.+)\n {0,3}=+[ \t]*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_RULE = re.compile(r"^ {0,3}(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}$", re.MULTILINE)  # a thematic break, drawn not written
# Markup that is drawn, not written: a setext heading's "===" underline, a code fence line, a
# block quote's ">", an autolink's angle brackets, inline code's backticks
_MD_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$", re.MULTILINE)
_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~).*$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+", re.MULTILINE)
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^\s<>]+)>")
_MD_CODE = re.compile(r"`([^`\n]+)`")
# Italics, a reference link's "[text][ref]" and its "[ref]: address" line, a footnote's "[^1]"
# marker, and the inline HTML that Markdown renders and does not show ("<br>", "<sup>"). A star
# or underscore inside a word or beside a space ("2*3", "snake_case", "* item") is no italic.
_MD_ITALIC = re.compile(r"(?<![\w*\\])\*(?![\s*])([^*\n]*?[^\s*\\])\*(?![\w*])|"
                        r"(?<![\w_\\])_(?![\s_])([^_\n]*?[^\s_\\])_(?![\w_])")
_MD_REF_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\[[^\[\]]*\]")
_MD_REF_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\[\]\n]+\]:[ \t]+\S.*$", re.MULTILINE)
_MD_FOOTNOTE = re.compile(r"^( {0,3})\[\^[^\[\]\s]+\]:[ \t]*|\[\^[^\[\]\s]+\]", re.MULTILINE)
_MD_BREAK = re.compile(r"<(?:br|/?(?:div|p|details|summary|center))(?:\s[^<>\n]*)?/?>", re.IGNORECASE)
_MD_INLINE_HTML = re.compile(r"</?(?:sup|sub|span|b|i|u|s|em|strong|small|mark|kbd|abbr|cite|font)"
                             r"(?:\s[^<>\n]*)?/?>", re.IGNORECASE)


def _drop_comments(body: str) -> str:
    """HTML comments removed; an unclosed '<!--' and what follows it stay as text."""
    kept, pos = [], 0
    while (start := body.find("<!--", pos)) != -1 and (end := body.find("-->", start + 4)) != -1:
        kept.append(body[pos:start])
        pos = end + 3
    return "".join(kept) + body[pos:]


def _markdown_to_text(body: str) -> str:
    body = _drop_comments(body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    body = _MD_RULE.sub("", body)
    for drawn in (_MD_SETEXT, _MD_FENCE, _MD_QUOTE):
        body = drawn.sub("", body)
    body = _MD_REF_DEFINITION.sub("", _MD_REF_LINK.sub(r"\1", body))
    body = _MD_INLINE_HTML.sub("", _MD_BREAK.sub("\n", _MD_FOOTNOTE.sub(r"\1", body)))
    body = _MD_CODE.sub(r"\1", _MD_AUTOLINK.sub(r"\1", body))
    return _MD_ITALIC.sub(lambda m: m[1] or m[2], _MD_EMPHASIS.sub(r"\2", body))


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE)
_FIELD_LINE = re.compile(r"""^(?:[A-Za-z_][\w -]*:(?:\s|$)|["'][^"'\n]*["'][ \t]*:|\{)""")  # key: or "key": or {


def _split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """YAML front matter: a first line "---", fields, then a line "---" (or "..."). A file that
    opens with a "---" rule followed by prose has none: the block must start with a field.
    The body is everything after the closing line; only blank lines are dropped from its start
    (a body opening "-40 degrees" keeps its minus)."""
    first, newline, rest = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        return {}, text
    lines = [line for line in rest.splitlines() if line.strip()]
    closing = _FENCE.search(rest)
    if lines and _FENCE.fullmatch(lines[0]):
        block = ""  # empty front matter: "---" then "---" at once
    elif not lines or not _FIELD_LINE.match(lines[0]):
        return {}, text  # a horizontal rule, not front matter
    elif closing is None:
        raise LoadError(f"{name}: front matter opened with '---' but never closed")
    else:
        block = rest[:closing.start()]
    import yaml

    try:
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as err:
        raise LoadError(f"{name}: front matter is not valid YAML ({err.__class__.__name__})") from None
    if not isinstance(meta, dict):
        raise LoadError(f"{name}: front matter must be a mapping of fields")
    body = rest[closing.end():] if closing else ""
    return meta, body.lstrip("\r\n")


def load_markdown(raw: bytes, doc_id: str, name: str) -> list[Document]:
    meta, body = _split_front_matter(_decode(raw, name), name)
    # a Markdown file may be a page saved from the web, so it is cleaned as one; its headings are known
    marked = [Marked(tables.cell_text(_markdown_to_text(m[2] or m[3])), len(m[1] or "#"))
              for m in _MD_HEADING_TEXT.finditer(body) if (m[2] or m[3]).strip()]
    text = clean_text(_markdown_to_text(body), headings=frozenset(h.text for h in marked))
    return [Document(
        id=_field(meta, "id", name) or doc_id,
        title=_field(meta, "title", name) or _title_from(text, Path(name).stem),
        source=_field(meta, "source", name) or _field(meta, "url", name),
        date=_field(meta, "date", name),
        author=_field(meta, "author", name),
        text=text,
        headings=placed(marked, text),
    )]


def load_restructured(raw: bytes, doc_id: str, name: str) -> list[Document]:
    read = restructured.rst_text(_decode(raw, name))
    text = clean_text(read.text, web=False)  # documentation people write, not a page's chrome
    return [Document(id=doc_id, title=read.title or _title_from(text, Path(name).stem), author=read.author,
                     date=read.date, text=text, headings=placed(read.headings, text))]


def load_text(raw: bytes, doc_id: str, name: str) -> list[Document]:
    text = clean_text(_decode(raw, name))
    return [Document(id=doc_id, title=_title_from(text, Path(name).stem), text=text)]


def load_html(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        page = html.page_text(_decode_html(raw, name))
    except RecursionError:
        raise LoadError(f"{name}: HTML nested too deeply to parse safely; not ingested") from None
    text = clean_text(page.text)
    return [Document(id=doc_id, title=page.title or _title_from(text, Path(name).stem), source=page.source,
                     text=text, headings=placed(page.headings, text))]


def _broken(name: str, kind: str, err: BaseException) -> LoadError:
    return LoadError(f"{name}: broken or unreadable {kind} ({err.__class__.__name__}: {err})"[:300])


def _written(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], tuple[str, str, list[Marked]]],
             kind: str) -> list[Document]:
    """A word processor's file: `read` gives its title (or ""), its text and its headings."""
    try:
        title, body, marked = read(raw)
    except office.BROKEN as err:
        raise _broken(name, kind, err) from None
    text = clean_text(body, web=False)
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text,
                     headings=placed(marked, text))]


def load_docx(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, office.docx_text, "Word file")


def load_odt(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, office.odt_text, "OpenDocument file")


def load_rtf(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _written(raw, doc_id, name, lambda data: (*rtf.rtf_text(data), []), "RTF file")  # no headings kept


def _slides(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], tuple[str, list[str]]],
            kind: str) -> list[Document]:
    """A presentation: `read` gives its title (or "") and a text per slide, each slide a page."""
    try:
        title, slides = read(raw)
    except office.BROKEN as err:
        raise _broken(name, kind, err) from None
    text, pages = office.join_parts([clean_text(slide, web=False) for slide in slides])
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text, pages=pages)]


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
        raise _broken(name, "EPUB file", err) from None
    text, _ = office.join_parts([clean_text(chapter, web=False) for chapter in chapters])
    return [Document(id=doc_id, title=title or _title_from(text, Path(name).stem), text=text,
                     headings=placed(marked, text))]


def _cleaned_lines(lines: list[str]) -> str:
    """Lines cleaned one by one and kept apart: a subtitle cue or a table row is
    no wrapped prose for `reflow` to join with the next."""
    return clean_text("\n\n".join(lines), web=False).replace("\n\n", "\n")  # one call: a paragraph a line


def load_subtitles(raw: bytes, doc_id: str, name: str) -> list[Document]:
    try:
        lines = subtitles.timed_lines(text := _decode(raw, name))
    except subtitles.NoCues as err:
        raise _broken(name, "subtitle file", err) from None
    stored = _cleaned_lines([line.text for line in lines])
    return [Document(id=doc_id, title=subtitles.vtt_title(text) or Path(name).stem, text=stored,
                     cues=subtitles.placed_cues(lines, stored, lambda line: clean_text(line, web=False)))]


def load_table(raw: bytes, doc_id: str, name: str) -> list[Document]:
    kind = f"{Path(name).suffix.lower().lstrip('.').upper()} file"
    try:
        rows = tables.table_rows(_decode(raw, name), Path(name).suffix.lower())
    except (tables.NoRows, csv.Error) as err:
        raise _broken(name, kind, err) from None
    return [Document(id=doc_id, title=Path(name).stem, text=_cleaned_lines(rows))]


def _sheets(raw: bytes, doc_id: str, name: str, read: Callable[[bytes], list[tuple[str, list[str]]]],
            kind: str) -> list[Document]:
    """Each sheet with rows: its name on a line, then its rows as a CSV file's are written."""
    try:
        sheets = read(raw)
    except office.BROKEN as err:  # tables.NoRows among them
        raise _broken(name, kind, err) from None
    text = "\n\n".join(_cleaned_lines([sheet, *rows]) for sheet, rows in sheets)
    return [Document(id=doc_id, title=Path(name).stem, text=text)]


def load_workbook(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _sheets(raw, doc_id, name, workbook.workbook_sheets, "Excel workbook")


def load_spreadsheet(raw: bytes, doc_id: str, name: str) -> list[Document]:
    return _sheets(raw, doc_id, name, opendocument.spreadsheet_sheets, "OpenDocument spreadsheet")


def _mail_document(raw: bytes, doc_id: str, name: str, title: str) -> Document:
    """One message: its header line written as a table row, then its body; `title` where it has
    no subject."""
    try:
        message = mail.mail_text(raw, lambda page: html.rules_text(page).text)
    except (mail.NotMail, RecursionError) as err:
        raise _broken(name, "e-mail", err) from None
    text = "\n\n".join(part for part in (clean_text(message.header_line, web=False), clean_text(message.body, web=False))
                       if part)
    return Document(id=doc_id, title=message.subject or title, author=message.sender, date=message.date, text=text)


def load_mail(raw: bytes, doc_id: str, name: str) -> list[Document]:
    _not_binary(raw, name)  # the mail parser reads any bytes; the charsets are its own
    return [_mail_document(raw, doc_id, name, Path(name).stem)]


def load_mbox_records(raw: bytes, doc_id: str, name: str) -> Loaded:
    """A mail archive, a document per message, its id the file's and the Message-ID ("box.mbox#
    <id>", steady while other messages come and go) or, without one, its number ("box.mbox#3").
    A message that is no e-mail, or repeats an earlier Message-ID, is skipped and reported."""
    _not_binary(raw, name)
    try:
        messages = mail.mbox_messages(raw)
    except mail.NotMail as err:
        raise _broken(name, "mail archive", err) from None
    loaded, seen = Loaded(), {}
    for number, message in enumerate(messages, start=1):
        where = f"{name} message {number}"
        try:
            found = mail.message_id(message)
            found = "" if bad_id(found) else found  # none, or one no URL could name: its number instead
            document = _mail_document(message, f"{doc_id}#{found or number}", where, f"{Path(name).stem} {number}")
            if document.id in seen:
                raise LoadError(f"{where}: Message-ID {found!r} was already used by message {seen[document.id]}; "
                                f"skipped (the first keeps it)")
            loaded.documents.append(document)
            seen[document.id] = number
        except LoadError as err:
            loaded.skipped[where] = str(err)
    return _some_taken(loaded, name)


# a word a typeset page broke at its line's end: "commer-" (or "commer ‐", as pypdf gives U+2010)
# then "cially" on the next line
_BROKEN_WORD = re.compile(r"([^\W\d_]) ?[-\u2010\u00ad][ \t]*\n[ \t]*([^\W\d_])")


def _unhyphenate(text: str) -> str:
    """A PDF page's words hyphenated across a line break made whole: the hyphen goes when the
    word goes on in lower case ("commer-\ncially" → "commercially"; "Anglo-\nFrench" stays)."""
    return _BROKEN_WORD.sub(lambda m: m[1] + m[2] if m[2].islower() else m[0], text)


def load_pdf(raw: bytes, doc_id: str, name: str) -> list[Document]:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        page_texts = [clean_text(_unhyphenate(page.extract_text() or ""), web=False) for page in reader.pages]
        info_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as err:
        raise LoadError(f"{name}: broken or unreadable PDF ({err.__class__.__name__}: {err})"[:300]) from None
    text, pages = office.join_parts(page_texts)
    if not text:
        raise LoadError(f"{name}: PDF has no extractable text (scanned images?); not ingested")
    return [Document(id=doc_id, title=str(info_title).strip() or _title_from(text, Path(name).stem),
                     text=text, pages=pages)]


@dataclass
class Loaded:
    """A file's documents, and the records of it that were skipped (one message each,
    naming the line and the id) while the rest still ingest."""

    documents: list[Document] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # "name:line" → reason


def bad_id(document_id: str) -> str:
    """Why an id cannot be used (it could never be fetched or deleted by URL), or ''."""
    if not document_id.strip():
        return "the id is empty"
    if any(unicodedata.category(ch)[0] == "C" for ch in document_id):
        return "the id holds a newline or another control character"
    if len(document_id) > 512:
        return "the id is over 512 characters"
    return ""


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


def _some_taken(loaded: Loaded, name: str) -> Loaded:
    if not loaded.documents:
        reasons = "; ".join(list(loaded.skipped.values())[:3]) or "the file has no records"
        raise LoadError(f"{name}: no record could be ingested ({reasons})")
    return loaded


def load_jsonl_records(raw: bytes, doc_id: str, name: str) -> Loaded:
    """One document per line. A bad line (not JSON, or a record `_take` skips) is skipped and
    reported by line number and id; the first line with an id keeps it."""
    loaded, seen = Loaded(), {}
    # JSON text holds no raw CR or LF, but may hold U+2028, U+2029 and U+0085, which
    # str.splitlines() would also break a record at
    for number, line in enumerate(re.split(r"\r\n|[\r\n]", _decode(raw, name)), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = _parsed(line, where, "skipped")
        except LoadError as err:
            loaded.skipped[where] = str(err)
            continue
        _take(loaded, seen, record, where, "line", number, f"{doc_id}#{number}")
    return _some_taken(loaded, name)


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
    value = _parsed(_decode(raw, name), name, "not ingested")
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
    return _some_taken(loaded, name)


_LOADERS = {".txt": load_text, ".md": load_markdown, ".markdown": load_markdown,
            ".html": load_html, ".htm": load_html, ".pdf": load_pdf,
            ".docx": load_docx, ".pptx": load_pptx, ".epub": load_epub, ".odt": load_odt, ".srt": load_subtitles,
            ".vtt": load_subtitles, ".eml": load_mail, ".csv": load_table, ".tsv": load_table,
            ".xlsx": load_workbook, ".rtf": load_rtf, ".rst": load_restructured, ".odp": load_odp,
            ".ods": load_spreadsheet}
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
