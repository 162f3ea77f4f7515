"""Reading the conversation: its recent exchanges (MAX_EXCHANGES), and the quotes an
assistant turn gave (`passages`). An assistant turn's quotes are its `citations` when it
carries them (checked against the store), else the stored sentences found verbatim in its
text (plain or Attest's chat Markdown), which works because every Attest answer is made
of quotes. A decline answered nothing, so it gives no quotes."""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.followup.resolved import Passage, Search
from rag.quotes import SAME_PARAGRAPH
from rag.types import NO_ANSWER, Document, Turn


MAX_EXCHANGES = 3  # the recent question/answer pairs read; older ones rarely hold the referent
LOCATE_CHUNKS = 8  # chunks searched for the sentences an uncited assistant turn quotes
MIN_QUOTE_CHARS = 20  # shorter stored sentences ("Yes.") match anywhere and prove nothing


def _norm(text: str) -> str:
    return " ".join(text.split())


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def passages(turn: Turn, documents: Callable[[str], Document | None], search: Search) -> list[Passage]:
    """The quotes an assistant turn gave: its citations that the store confirms
    (document present, `text[start:end]` equal to the cited text when given), else the
    stored sentences whose text appears verbatim in the turn (whitespace aside)."""
    confirmed = []
    for cited in turn.citations:
        document = documents(cited.document_id)
        if document is None or not 0 <= cited.start < cited.end <= len(document.text):
            continue
        text = document.text[cited.start:cited.end]
        if cited.text and _norm(cited.text) != _norm(text):
            continue
        confirmed.append(Passage(document_id=document.id, title=document.title, start=cited.start,
                                 end=cited.end, text=text))
    if confirmed or not turn.content.strip():
        return confirmed
    content = _MARKDOWN_ESCAPE.sub(r"\1", turn.content)  # Attest's chat Markdown escapes punctuation
    if _declined(content):  # its passages are "not an answer": nothing was answered to lean on
        return []
    said = _norm(content)
    found: dict[tuple[str, int], tuple[Document, int, int]] = {}
    for chunk, document in search(content[:2000], LOCATE_CHUNKS):
        for start, end in chunk.sentences:
            text = document.text[start:end]
            if len(text) >= MIN_QUOTE_CHARS and _norm(text) in said:
                found[(document.id, start)] = (document, start, end)
    return _as_quoted(sorted(found.values(), key=lambda f: said.find(_norm(f[0].text[f[1]:f[2]]))))


def _as_quoted(located: list[tuple[Document, int, int]]) -> list[Passage]:
    """Sentences found in a turn's text, in its order, as the quotes it showed: neighbours of
    one paragraph are one passage, as answering merges them into one quote, so the turn reads
    the same from its text as from its citations ("by then" is the time the quote ends on)."""
    merged: list[tuple[Document, int, int]] = []
    for document, start, end in located:
        if merged and merged[-1][0].id == document.id and merged[-1][2] <= start \
                and SAME_PARAGRAPH.fullmatch(document.text, merged[-1][2], start):
            merged[-1] = (document, merged[-1][1], end)
        else:
            merged.append((document, start, end))
    return [Passage(document_id=d.id, title=d.title, start=start, end=end, text=d.text[start:end])
            for d, start, end in merged]


def _declined(content: str) -> bool:
    """Is an assistant turn Attest's decline (its lead, in any rendering: plain, Markdown)?"""
    return content.lstrip(" *_>#\n").startswith(NO_ANSWER)


def recent_exchanges(history: list[Turn]) -> list[tuple[str, Turn | None]]:
    """(user question, the assistant turn after it) pairs, the most recent MAX_EXCHANGES."""
    pairs: list[tuple[str, Turn | None]] = []
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            pairs.append((turn.content.strip(), None))
        elif turn.role == "assistant" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], turn)
    return pairs[-MAX_EXCHANGES:]
