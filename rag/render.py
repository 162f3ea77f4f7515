"""Render an Answer as terminal text or Markdown; quotes verbatim, citations numbered.

Nothing here writes answer words of its own: only quote text, citation metadata and the
fixed lead-ins from rag.types.
"""

from __future__ import annotations

import textwrap

from rag.types import NO_ANSWER, RELATED_HEADING, Answer, Quote


def citation(quote: Quote) -> str:
    parts = [quote.title or quote.document_id]
    if quote.source:
        parts.append(quote.source)
    if quote.date:
        parts.append(quote.date)
    where = f"{quote.document_id} chars {quote.start}–{quote.end}"
    if quote.page is not None:
        where += f", page {quote.page}"
    parts.append(where)
    return " · ".join(parts)


def _quote_lines(quotes: list[Quote]) -> list[str]:
    lines = []
    for n, quote in enumerate(quotes, start=1):
        body = textwrap.fill(f"“{quote.text}”", width=88, initial_indent=f"[{n}] ",
                             subsequent_indent="    ")
        lines += [body, f"    — {citation(quote)}", ""]
    return lines


def as_text(answer: Answer) -> str:
    if answer.answered:
        return "\n".join(_quote_lines(answer.quotes)).rstrip()
    lines = [NO_ANSWER]
    if answer.related:
        lines += ["", RELATED_HEADING, *_quote_lines(answer.related)]
    return "\n".join(lines).rstrip()


def as_markdown(answer: Answer) -> str:
    """Block quotes with [n] markers, then the numbered sources."""
    if not answer.answered:
        return NO_ANSWER
    body = ["\n".join(f"> {line}" if line else ">" for line in q.text.split("\n")) + f" [{n}]"
            for n, q in enumerate(answer.quotes, start=1)]
    sources = [f"[{n}] {citation(q)}" for n, q in enumerate(answer.quotes, start=1)]
    return "\n\n".join(body) + "\n\n" + "\n".join(sources)
