"""A question that asks what something is, and the sentences that say what it is.

"What is Islamism?" is answered by "Islamism, also known as Political Islam (...), is an
Islamic revival movement ...", not by "Another major division within Islamism is ...". Few
of SQuAD's questions ask for a definition, so the reading model was hardly taught the
difference and often puts a sentence that uses the term above the one that defines it. Here a
question of the form "What/Who is/are/was/were [the/a/an] X?" (X of one to six words) has a
subject, and a sentence defines it when it opens with X, optionally followed by parentheses
or one comma-enclosed aside, and then "is/are/was/were", "refers to" or "means", neither
negated nor passive.
`first()` gives the most probable such sentence the best fitting sentence's probability, so it
is quoted first; whether the question is answered or declined does not change.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag.quotes import Sentence

_ASKS = re.compile(r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:(?:an?|the)\s+)?(?P<subject>[^?]+?)\s*\??\s*$",
                   re.IGNORECASE)
# A subject that ends (or opens) with one of these is a longer question, not a term:
# "What is France a region of?", "What was it called?"
_NOT_A_TERM = {"of", "in", "to", "for", "with", "by", "on", "at", "from", "about", "as", "called", "named", "known",
               "used", "made", "like", "there", "it", "he", "she", "they", "this", "that", "these", "those"}
MOST_WORDS = 6
_ASIDE = r"(?:\s*\([^)]*\)|\s*,[^,]{0,150},)*"  # "(Arabic: ...)", ", also known as Political Islam,"
# "is applied by", "was founded in": a passive verb tells what happened to X, not what X is
_SAYS = r"\s+(?:is|are|was|were|refers?\s+to|means?)\s+(?!not\b|never\b|\w+ed\b)"


def subject(question: str) -> list[str] | None:
    """The words of what a "What is X?" question asks about, or None for any other question."""
    match = _ASKS.match(question)
    if not match:
        return None
    words = match.group("subject").split()
    if not 1 <= len(words) <= MOST_WORDS or {words[0].lower(), words[-1].lower()} & _NOT_A_TERM:
        return None
    return words


def defines(text: str, words: list[str]) -> bool:
    """Whether the sentence opens by saying what the subject is (a plural subject too)."""
    term = r"\s+".join(re.escape(w) for w in words) + r"(?:e?s)?"
    return re.match(rf"^\W*(?:(?:the|an?)\s+)?{term}{_ASIDE}{_SAYS}", text, re.IGNORECASE) is not None


def first(sentences: list[Sentence], query: str) -> list[Sentence]:
    """The sentences, with the most probable read one that defines the subject of a "What is
    X?" query raised to the best fitting sentence's probability (a hair above it, so that it
    is quoted first). Other questions, or none that defines, leave them as they are."""
    words = subject(query)
    fitting = [s for s in sentences if s.fits] if words else []
    if not fitting:
        return sentences
    best = max(s.score for s in fitting)
    defining = [s for s in fitting if s.score > 0 and defines(s.text, words)]
    if not defining:
        return sentences
    top = max(defining, key=lambda s: s.score)
    if top.score >= best:
        return sentences
    raised = min(1.0, best + 1e-6)
    return [replace(s, score=raised) if s is top else s for s in sentences]
