"""Render an Answer as terminal text or Markdown; quotes verbatim, citations numbered.

Nothing here writes answer words of its own: only quote text, citation metadata and the
fixed lead-ins from rag.types. Quote text is escaped so that it renders as stored (chat
Markdown) and metadata (title, source, date) is one line, cut to a length and escaped, so a
title cannot open a block quote or a new line of its own. Closest passages of a decline
never get the [n] numbers of an answer.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

from rag.config import Settings
from rag.types import NO_ANSWER, RELATED_HEADING, Answer, Quote

# Every ASCII punctuation character can be backslash-escaped in CommonMark, and escaping
# all of them leaves nothing for Markdown, LaTeX ($) or Streamlit's :directives: to act on.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Line and paragraph breaks of every kind, other control characters and bidi overrides:
# none may reach a one-line field.
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")


def one_line(value: str, limit: int | None = None) -> str:
    """Metadata as one line of at most limit characters (an ellipsis marks a cut)."""
    limit = limit or Settings.model_fields["meta_chars"].default
    flat = " ".join(_NOT_ONE_LINE.sub(" ", value or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def escape_markdown(text: str) -> str:
    """Text that a CommonMark renderer shows exactly as given (no emphasis, links, HTML, maths)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def strength(score: float, settings: Settings | None = None) -> str:
    """strong / medium / weak from a quote's score, by the cut-offs in Settings."""
    settings = settings or Settings()
    if score >= settings.strength_strong:
        return "strong"
    return "medium" if score >= settings.strength_medium else "weak"


def citation(quote: Quote, settings: Settings | None = None) -> str:
    """Title · source · date · where, every field one line (plain text, not escaped)."""
    limit = (settings or Settings()).meta_chars
    parts = [one_line(quote.title, limit) or one_line(quote.document_id, limit)]
    parts += [one_line(v, limit) for v in (quote.source, quote.date) if one_line(v, limit)]
    where = f"{one_line(quote.document_id, limit)} chars {quote.start}–{quote.end}"
    if quote.page is not None:
        where += f", page {quote.page}"
    parts.append(where)
    return " · ".join(parts)


def strength_note(quote: Quote, settings: Settings | None = None) -> str:
    return f"{strength(quote.score, settings)} ({quote.score:.2f})"


# terminal ----------------------------------------------------------------------------
def _quote_lines(quotes: list[Quote], settings: Settings, numbered: bool) -> list[str]:
    lines = []
    for n, quote in enumerate(quotes, start=1):
        lead = f"[{n}] " if numbered else "  - "
        body = textwrap.fill(f"“{quote.text}”", width=88, initial_indent=lead, subsequent_indent="    ")
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
    stored slice, and leading spaces would make a code block)."""
    return [escape_markdown(line.strip()) for line in text.split("\n")]


def markdown_parts(answer: Answer, settings: Settings | None = None) -> Iterator[str]:
    """The chat Markdown in the pieces a stream sends: one per quote, then the sources."""
    settings = settings or Settings()
    if not answer.answered:
        yield NO_ANSWER
        if answer.related:
            items = []
            for quote in answer.related:
                lines = [line for line in _quoted(quote.text) if line]
                items.append("- " + "\n  ".join(lines) + f"\n  — {escape_markdown(citation(quote, settings))}")
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
