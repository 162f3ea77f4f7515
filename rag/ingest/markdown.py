"""Markdown (.md, .markdown) into a Document: YAML front matter read as fields, the markup that
is drawn and not written removed (links keep their text, headings their words), the headings
kept with their levels, a label in bold on a line of its own among them. Every pattern here is
linear on any input; a hostile file cannot make ingest hang."""

from __future__ import annotations

import re
from pathlib import Path

from rag.ingest import tables
from rag.ingest.clean import clean_text
from rag.ingest.decode import decode
from rag.ingest.errors import LoadError
from rag.ingest.fields import text_field, title_from
from rag.ingest.headings import Marked, placed
from rag.types import Document

# Linear on any input: link text stops at the next '[' and the address at an unbalanced
# '(' (one level of parentheses, as in Wikipedia addresses), so no scan passes the start
# of the next candidate; comments are cut by str.find, not a lazy DOTALL pattern.
_MD_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\((?:[^()]|\([^()]*\))*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
# an ATX heading ("## Key facts") or a setext one (a line over "===")
_MD_HEADING_TEXT = re.compile(r"^(#{1,6})[ \t]+(.+)$|^(.+)\n {0,3}=+[ \t]*$", re.MULTILINE)
# A line that is only bold text ("**Key facts**") and ends no sentence is a label set as a
# heading is, whether or not the file has "#" headings too; it sits below them all (level 7), so
# a quote's section reads "History › Key facts". A bold sentence ("**Bring your ticket.**") is
# emphasis, and stays content.
_MD_BOLD_LINE = re.compile(r"^ {0,3}(?:\*\*([^*\n]+)\*\*|__([^_\n]+)__)[ \t]*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_BOLD_LEVEL = 7
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
_MD_REF_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\[\]\n]+\]:[ \t]+\S.*$", re.MULTILINE)
_MD_FOOTNOTE = re.compile(r"^( {0,3})\[\^[^\[\]\s]+\]:[ \t]*|\[\^[^\[\]\s]+\]", re.MULTILINE)
_MD_BREAK = re.compile(r"<(?:br|/?(?:div|p|details|summary|center))(?:\s[^<>\n]*)?/?>", re.IGNORECASE)
_MD_INLINE_HTML = re.compile(r"</?(?:sup|sub|span|b|i|u|s|em|strong|small|mark|kbd|abbr|cite|font)"
                             r"(?:\s[^<>\n]*)?/?>", re.IGNORECASE)
_MD_REF_LINK = re.compile(r"(?<!!)\[([^\[\]]+)\]\[[^\[\]]*\]")


def _drop_comments(body: str) -> str:
    """HTML comments removed; an unclosed '<!--' and what follows it stay as text."""
    kept, pos = [], 0
    while (start := body.find("<!--", pos)) != -1 and (end := body.find("-->", start + 4)) != -1:
        kept.append(body[pos:start])
        pos = end + 3
    return "".join(kept) + body[pos:]


def markdown_to_text(body: str) -> str:
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


def _marked(body: str) -> list[Marked]:
    """The headings and the bold labels (`_MD_BOLD_LINE`) of a Markdown body, in text order."""
    found = {m.start(): Marked(tables.cell_text(markdown_to_text(m[2] or m[3])), len(m[1] or "#"))
             for m in _MD_HEADING_TEXT.finditer(body) if (m[2] or m[3]).strip()}
    for m in _MD_BOLD_LINE.finditer(body):
        label = tables.cell_text(markdown_to_text(m[1] or m[2]))
        if label and not _SENTENCE_END.search(label):
            found.setdefault(m.start(), Marked(label, _BOLD_LEVEL))  # a setext heading's line stays its own
    return [found[start] for start in sorted(found)]


def load_markdown(raw: bytes, doc_id: str, name: str) -> list[Document]:
    meta, body = _split_front_matter(decode(raw, name), name)
    # a Markdown file may be a page saved from the web, so it is cleaned as one; its headings are known
    marked = _marked(body)
    text = clean_text(markdown_to_text(body), headings=frozenset(h.text for h in marked))
    return [Document(
        id=text_field(meta, "id", name) or doc_id,
        title=text_field(meta, "title", name) or title_from(text, Path(name).stem),
        source=text_field(meta, "source", name) or text_field(meta, "url", name),
        date=text_field(meta, "date", name),
        author=text_field(meta, "author", name),
        text=text,
        headings=placed(marked, text),
    )]
