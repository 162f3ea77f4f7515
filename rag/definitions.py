"""A question that asks what something is, and the sentences that say what it is.

"What is Islamism?" is answered by "Islamism, also known as Political Islam (...), is an
Islamic revival movement ...", not by "Another major division within Islamism is ...". Few
of SQuAD's questions ask for a definition, so the reading model was hardly taught the
difference and often puts a sentence that uses the term above the one that defines it. Here a
question of the form "What/Who is/are/was/were [the/a/an] X?" (X of one to six words) has a
subject, and a sentence defines it when it opens with X, optionally followed by parentheses
or one comma-enclosed aside, and then "is/are/was/were", "refers to" or "means", neither
negated nor passive. A follow-up ("Who was he?") is left out: its X is the conversation's guess.

Every chunk of an article about X names X, so the chunk that defines it (often the article's
first) need not be among the few whose sentences compete. For such a question `further()`
looks for defining sentences in the chunks retrieved after those, down to FURTHER_CHUNKS,
and the reading model reads every defining sentence (`to_read()`), whatever its logistic
probability. `first()` then gives the most probable one the best fitting sentence's
probability, so it is quoted first. Raising never decides whether the question is answered;
a defining sentence read from further down can, by its own probability, like any sentence read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag.quotes import Sentence, candidate_sentences

_ASKS = re.compile(r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:(?:an?|the)\s+)?(?P<subject>[^?]+?)\s*\??\s*$",
                   re.IGNORECASE)
# A subject that ends (or opens) with one of these is a longer question, not a term:
# "What is France a region of?", "What was it called?"
_NOT_A_TERM = {"of", "in", "to", "for", "with", "by", "on", "at", "from", "about", "as", "called", "named", "known",
               "used", "made", "like", "there", "it", "he", "she", "they", "this", "that", "these", "those"}
MOST_WORDS = 6
FURTHER_CHUNKS = 20  # how far down the fused chunks a defining sentence is looked for
MOST_READ = 3  # defining sentences read beyond those the logistic model picks
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


def first(sentences: list[Sentence], words: list[str] | None) -> list[Sentence]:
    """The sentences, with the most probable read one that defines the subject (`subject()`'s
    words) raised to the best fitting sentence's probability (a hair above it, so that it is
    quoted first). No subject, or no sentence that defines it, leaves them as they are."""
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


def further(hits: list, quote_chunks: int, words: list[str] | None) -> list[Sentence]:
    """The defining sentences of the hits after the first quote_chunks (ranked as their
    chunks are), for a "What is X?" question; none for any other."""
    if not words:
        return []
    return [s for s in candidate_sentences(hits[quote_chunks:], first_rank=quote_chunks) if defines(s.text, words)]


def to_read(sentences: list[Sentence], words: list[str] | None) -> list[int]:
    """Indices of the defining sentences, best chunk first, at most MOST_READ."""
    if not words:
        return []
    return [i for i, s in enumerate(sentences) if defines(s.text, words)][:MOST_READ]
