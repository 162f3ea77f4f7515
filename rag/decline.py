"""What a decline may show: only closest passages plausibly related to the question.

A decline lists passages so a reader can see what the corpus holds nearby; passages under
`related_above` (Settings, measured by eval/related.py) are about something else, and
showing them would look like an answer to a different question.
"""

from __future__ import annotations

from rag.types import Answer


def plausibly_related(answer: Answer, related_above: float) -> Answer:
    """The answer with its closest passages cut to those scoring at least related_above."""
    if answer.answered or not answer.related:
        return answer
    kept = [quote for quote in answer.related if quote.score >= related_above]
    return answer if len(kept) == len(answer.related) else answer.model_copy(update={"related": kept})
