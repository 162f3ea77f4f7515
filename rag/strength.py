"""What a quote's score means to a reader: strong, medium or weak.

Invariant: the label is given once, by the answer step (rag/answer.py reply) with the
engine's own cut-offs (RAG_STRENGTH_STRONG, RAG_STRENGTH_MEDIUM), and travels on the
Quote; the CLI, the API, chat Markdown, MCP and the UI show that label and never work
one out from settings of their own, which could differ from the server's.
"""

from __future__ import annotations

from rag.config import AnswerSettings
from rag.types import Answer, Quote, Strength


def strength(score: float, options: AnswerSettings) -> Strength:
    """strong / medium / weak from a quote's score, by the cut-offs in options."""
    if score >= options.strength_strong:
        return "strong"
    return "medium" if score >= options.strength_medium else "weak"


def labelled(answer: Answer, options: AnswerSettings) -> Answer:
    """The answer with each quote labelled; a decline's related passages are not an answer
    and get no label."""
    if not answer.quotes:
        return answer
    quotes = [q.model_copy(update={"strength": strength(q.score, options)}) for q in answer.quotes]
    return answer.model_copy(update={"quotes": quotes})
