"""Render an Answer as terminal text or Markdown; quotes verbatim, citations numbered.

Nothing here writes answer words of its own: only quote text, citation metadata and the
fixed lead-ins from rag.types. Quote text is escaped so that it renders as stored (chat
Markdown) and metadata (title, source, date) is one line, cut to a length and escaped, so a
title cannot open a block quote or a new line of its own. Closest passages of a decline
never get the [n] numbers of an answer.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterator

from rag.config import AnswerSettings, Settings
from rag.strength import strength as score_strength
from rag.types import NO_ANSWER, RELATED_HEADING, Answer, Quote, Strength

# Only what can change how CommonMark/GFM or Streamlit renders a line is backslash-escaped
# (any ASCII punctuation may be), so a client that prints the raw content still reads the quote:
# anywhere, emphasis (not "_" inside a word: it cannot open one), code, links, a "<" that could
# open HTML or an autolink (not one before a space), an "&" that could open an entity,
# strikethrough, tables, maths ($), a colon that could open a Streamlit :emoji: or :color[...]
# (not one before a space or "/", as in "https://"); at a line's start, what opens a block
# (heading, quote, list, rule, setext line).
_MD_INLINE = re.compile(r"[\\`*\[\]~|$]|(?<![^\W_])_|_(?![^\W_])|<(?!\s|$)|&(?=#?\w+;)|:(?![\s/]|$)")
_MD_LINE_START = re.compile(r"^[ \t]*(?:[#>+=-]|\d+[.)])", re.M)  # its last character is escaped
# Line and paragraph breaks of every kind, other control characters and bidi overrides:
# none may reach a one-line field. The zero-width joiners stay: they are spelling (rag/ingest/clean.py).
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def one_line(value: str, limit: int | None = None) -> str:
    """Metadata as one line of at most limit characters (an ellipsis marks a cut)."""
    limit = limit or AnswerSettings.model_fields["meta_chars"].default
    flat = " ".join(_NOT_ONE_LINE.sub(" ", value or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def escape_markdown(text: str, literal: str = "") -> str:
    """Text that a CommonMark/GFM renderer or Streamlit shows exactly as given (no emphasis,
    links, HTML, maths, blocks), with no backslash before "," "." "/" and the like. Wherever
    `literal` (an address) occurs it is a code span instead: escaped, a port's colon showed in
    Streamlit as "127.0.0.1\\:8000", as its web addresses keep a backslash."""
    if literal and literal in text and "`" not in literal:
        return f"`{literal}`".join(escape_markdown(part) for part in text.split(literal))
    inline = _MD_INLINE.sub(lambda m: "\\" + m.group(), text)
    return _MD_LINE_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], inline)


def strength(score: float, settings: Settings | None = None) -> Strength:
    """strong / medium / weak from a score, by the cut-offs in Settings (rag/strength.py)."""
    return score_strength(score, (settings or Settings()).answer)


def label(quote: Quote, settings: Settings | None = None) -> Strength:
    """The label the engine gave the quote. Only a quote without one (from an Attest that did
    not send it, or made by hand) is labelled here, by these settings."""
    return quote.strength or strength(quote.score, settings)


def spoken(quote: Quote) -> str:
    """When a transcript's quote is spoken ("at 00:01:02.500–00:01:05.000"), or ""."""
    return f"at {quote.time.start}–{quote.time.end}" if quote.time else ""


def section(quote: Quote, limit: int | None = None) -> str:
    """The headings the quote sits under as one line ("History › Early designs"), cut as a
    title is; "" where its document records none."""
    return one_line(" › ".join(quote.section), limit) if quote.section else ""


def citation(quote: Quote, settings: Settings | None = None) -> str:
    """Title › section · source · date · where, every field one line (plain text, not escaped)."""
    limit = (settings or Settings()).answer.meta_chars
    title = one_line(quote.title, limit) or one_line(quote.document_id, limit)
    parts = [f"{title} › {section(quote, limit)}" if quote.section else title]
    parts += [one_line(v, limit) for v in (quote.source, quote.date) if one_line(v, limit)]
    where = f"{one_line(quote.document_id, limit)} chars {quote.start}–{quote.end}"
    if quote.page is not None:
        where += f", page {quote.page}"
    if quote.time:
        where += f", {spoken(quote)}"
    parts.append(where)
    return " · ".join(parts)


def strength_note(quote: Quote, settings: Settings | None = None) -> str:
    return f"{label(quote, settings)} ({quote.score:.2f})"


def read_as(answer: Answer) -> str:
    """How a follow-up was read ("Read with the conversation as: ..."), so a person sees why it
    found what it found; "" for a question read as typed."""
    if not answer.query or answer.query.strip() == answer.question.strip():
        return ""
    return f"Read with the conversation as: {one_line(answer.query, len(answer.query) + 1)}"


# terminal ----------------------------------------------------------------------------
def _wrapped(text: str, lead: str, indent: str = "    ", width: int = 88) -> str:
    """Quote text wrapped for a terminal: each stored line on lines of its own (a table row or
    list item stays a line), wrapped only at spaces, so every break shown is a stored line
    break or a stored space; a word longer than the width (a web address) is never split."""
    out = []
    for i, line in enumerate(text.split("\n")):
        out.append(textwrap.fill(line, width=width, initial_indent=lead if i == 0 else indent,
                                 subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
                   or (lead if i == 0 else indent).rstrip())
    return "\n".join(out)


def _quote_lines(quotes: list[Quote], settings: Settings, numbered: bool) -> list[str]:
    lines = []
    for n, quote in enumerate(quotes, start=1):
        lead = f"[{n}] " if numbered else "  - "
        body = _wrapped(f"“{quote.text}”", lead)
        note = f" · {strength_note(quote, settings)}" if numbered else ""
        lines += [body, f"    — {citation(quote, settings)}{note}", ""]
    return lines


def as_text(answer: Answer, settings: Settings | None = None) -> str:
    settings = settings or Settings()
    if answer.answered:
        return "\n".join(_quote_lines(answer.quotes, settings, numbered=True)).rstrip()
    lines = [NO_ANSWER]
    if answer.related:
        lines += ["", RELATED_HEADING, *_quote_lines(answer.related, settings, numbered=False)]
    return "\n".join(lines).rstrip()


# Markdown ----------------------------------------------------------------------------
def _quoted(text: str) -> list[str]:
    """One escaped Markdown line per stored line; edge spaces dropped (each line is still a
    stored slice, and leading spaces would make a code block). A line followed by another
    line of its paragraph ends in a hard break (two spaces): a soft break would show the two
    lines as one, a table row or list item run into the next."""
    lines = [escape_markdown(line.strip()) for line in text.split("\n")]
    return [line + "  " if line and i + 1 < len(lines) and lines[i + 1] else line
            for i, line in enumerate(lines)]


def markdown_parts(answer: Answer, settings: Settings | None = None) -> Iterator[str]:
    """The chat Markdown in the pieces a stream sends: one per quote, then the sources."""
    settings = settings or Settings()
    if not answer.answered:
        yield NO_ANSWER
        if answer.related:
            items = []
            for quote in answer.related:
                lines = [line.rstrip() for line in _quoted(quote.text) if line]  # each on a line of its own
                items.append("- " + "  \n  ".join(lines) + f"  \n  — {escape_markdown(citation(quote, settings))}")
            yield f"*{RELATED_HEADING}*\n\n" + "\n".join(items)
        return
    for n, quote in enumerate(answer.quotes, start=1):
        yield "\n".join(f"> {line}" if line else ">" for line in _quoted(quote.text)) + f" [{n}]"
    yield "\n".join(f"[{n}] {escape_markdown(citation(q, settings))} · {strength_note(q, settings)}  "
                    for n, q in enumerate(answer.quotes, start=1)).rstrip()


def as_markdown(answer: Answer, settings: Settings | None = None) -> str:
    """Block quotes with [n] markers, then the numbered sources with each quote's strength;
    a decline is the fixed lead-in and, apart and unnumbered, the closest passages."""
    return "\n\n".join(markdown_parts(answer, settings))


# HTML (the UI) -----------------------------------------------------------------------
# Quote text goes into elements that show it as text (escaped, whitespace kept), never
# through Markdown: what a person sees is the stored slice, character for character. Quote
# text and each metadata field are isolated for bidi (dir='auto', <bdi>): a quote ending in
# Arabic or Hebrew would otherwise pull its [n] marker and last full stop inside itself on
# screen, and a right-to-left title would swap places with the date beside it. A word longer
# than the column (a web address, a hash) wraps on screen instead of running out of it; the
# text, and what a copy takes, stay as stored.
_BORDER = {"strong": "#2e7d32", "medium": "#f9a825", "weak": "#9e9e9e"}
_FILLED = {"strong": 3, "medium": 2, "weak": 1}


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def strength_html(quote: Quote, settings: Settings | None = None) -> str:
    """A three-step bar and the label: the scale of the score is the model's, the steps are not."""
    shown = label(quote, settings)
    steps = "".join(
        f"<span style='display:inline-block;width:14px;height:6px;margin-right:2px;border-radius:2px;"
        f"background:{_BORDER[shown] if i < _FILLED[shown] else '#e0e0e0'}'></span>" for i in range(3))
    return (f"<span class='attest-strength' data-strength='{shown}' title='score {quote.score:.3f}'>"
            f"{steps} <span style='font-size:0.8em;color:#555'>{shown} ({quote.score:.2f})</span></span>")


def quote_html(quote: Quote, n: int, settings: Settings | None = None) -> str:
    """One answer quote: the stored text as text, its [n] marker, strength and source line."""
    shown = label(quote, settings)
    faded = "opacity:0.7;" if shown == "weak" else ""
    # only the quote is faded: faded too, the small grey source line fell to 3.5:1 contrast (WCAG asks 4.5)
    return (f"<div class='attest-answer-quote' data-n='{n}' style='margin:0.4rem 0'>"
            f"<blockquote style='{faded}margin:0;padding:0.3rem 0.8rem;border-left:4px solid {_BORDER[shown]};"
            f"background:#fafafa'><span class='attest-quote-text' dir='auto' style='white-space:pre-wrap;overflow-wrap:anywhere'>"
            f"{_h(quote.text)}</span> <b>[{n}]</b></blockquote>"
            f"<div style='font-size:0.85em;color:#555;margin-top:0.2rem;overflow-wrap:anywhere'>{strength_html(quote, settings)} · "
            f"<b>[{n}]</b> {source_html(quote, settings)}</div></div>")


def related_html(quote: Quote, settings: Settings | None = None) -> str:
    """A decline's closest passage: dashed, grey, labelled, and without a citation number."""
    return (f"<div class='attest-related' style='margin:0.4rem 0;padding:0.3rem 0.8rem;border:1px dashed #bdbdbd;"
            f"color:#616161;background:#f5f5f5'><span style='font-size:0.75em;text-transform:uppercase;"
            f"letter-spacing:0.05em'>not an answer</span><br>"
            f"<span class='attest-quote-text' dir='auto' style='white-space:pre-wrap;overflow-wrap:anywhere'>{_h(quote.text)}</span>"
            f"<div style='font-size:0.85em;margin-top:0.2rem;overflow-wrap:anywhere'>{source_html(quote, settings)}</div></div>")


def source_html(quote: Quote, settings: Settings | None = None) -> str:
    """Title (a link when the source is a web address) › section, date, page, the time in a
    recording and exact offsets, one line each field."""
    limit = (settings or Settings()).answer.meta_chars
    title = f"<bdi>{_h(one_line(quote.title, limit) or one_line(quote.document_id, limit))}</bdi>"
    source = one_line(quote.source, limit)
    if source.startswith(("http://", "https://")):
        title = f"<a href='{_h(source)}' target='_blank' rel='noopener noreferrer'>{title}</a>"
    parts = [f"<b>{title}</b>"]
    if quote.section:
        parts[0] += f" › <bdi class='attest-section'>{_h(section(quote, limit))}</bdi>"
    if source and not source.startswith(("http://", "https://")):
        parts.append(f"<bdi>{_h(source)}</bdi>")
    if one_line(quote.date, limit):
        parts.append(f"<bdi>{_h(one_line(quote.date, limit))}</bdi>")
    if quote.page is not None:
        parts.append(f"page {quote.page}")
    if quote.time:
        parts.append(f"<span class='attest-time'>{_h(spoken(quote))}</span>")
    parts.append(f"<code><bdi>{_h(one_line(quote.document_id, limit))}</bdi></code> chars {quote.start}–{quote.end}")
    return " · ".join(parts)


def context_html(text: str, start: int, end: int, context: int = 600) -> str:
    """The quote highlighted in its document; the context around it starts and ends at whole
    words (an ellipsis marks a cut)."""
    left, right = max(0, start - context), min(len(text), end + context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return (f"<div class='attest-context' style='white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.6'>"
            f"{'…' if left else ''}{_h(text[left:start])}"
            f"<mark style='background:#ffe08a;padding:0 2px'>{_h(text[start:end])}</mark>"
            f"{_h(text[end:right])}{'…' if right < len(text) else ''}</div>")
