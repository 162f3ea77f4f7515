"""From retrieved chunks to an Answer: quotes that answer, or a decline.

Grounded or declined are the only two outcomes. The only words not cut from a document
are the fixed lead-ins in rag.types (NO_ANSWER, RELATED_HEADING). Follow-up questions
arrive already resolved into a standalone query (rag/followup.py).
"""

from __future__ import annotations

from rag.quotes import Sentence, merge, select
from rag.types import NO_ANSWER, Answer


def compose(question: str, query: str, sentences: list[Sentence], *, max_quotes: int,
            max_words: int, decline_below: float, gain_per_word: float, joint: bool = False) -> Answer:
    """Answer with the best sentences that fit the question, or decline when the best of
    them is too unlikely to hold the answer; a decline lists the closest passages."""
    best = max((s.score for s in sentences if s.fits), default=None)
    if best is None or best < decline_below:
        related = sorted(sentences, key=lambda s: -s.score)[:max_quotes]
        return Answer(question=question, answered=False, lead=NO_ANSWER, query=query,
                      confidence=round(best or 0.0, 4), related=merge(related, max_quotes))
    quotes = select(sentences, max_quotes, max_words, gain_per_word, joint)
    return Answer(question=question, answered=True, quotes=quotes, query=query, confidence=round(best, 4))
