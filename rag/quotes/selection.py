"""The quotes of an answer: the best fitting sentence, then those that bring enough, each
text once, adjacent sentences of one paragraph merged into one quote. The only place a
Quote is born (`Quote.cite`, which slices the stored text).
"""

from __future__ import annotations

import re

from rag.quotes.candidates import Sentence
from rag.types import Quote

SAME_PARAGRAPH = re.compile(r"[^\S\n]*\n?[^\S\n]*")  # spaces and at most one line break: never a paragraph break


def _adjacent(a: Sentence, b: Sentence) -> bool:
    if a.document.id != b.document.id or a.end > b.start:
        return False
    return SAME_PARAGRAPH.fullmatch(a.document.text, a.end, b.start) is not None


def distinct(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences best first, each text once: the best scoring copy of a sentence stands for
    the others (a sentence copied into another file is no new evidence, and is shown once).
    The only place answers and declines drop repeated text."""
    kept: dict[str, Sentence] = {}
    for sentence in sorted(sentences, key=lambda s: -s.score):  # stable: ties keep retrieval order
        kept.setdefault(sentence.text, sentence)
    return list(kept.values())


def select(sentences: list[Sentence], max_quotes: int, max_words: int, gain_per_word: float,
           joint: bool = False, alone_above: float = 0.0) -> list[Quote]:
    """The best fitting sentence, then others that bring at least gain_per_word of
    probability per word, while max_words last. With `joint`, what a sentence brings is how
    much it raises the probability that the answer is shown, 1 - prod(1 - p), over the
    sentences chosen before it (so a second weak sentence beside a strong one brings little).
    A further quote that is a table row must answer on its own: reach `alone_above` (the
    decline cut-off) and name what the question names (`Sentence.names_asked`). A row is
    short, so the gain per word asks little of it, and the rows of a table share their
    column names, so every row of the table that answers was probable enough to follow it."""
    ranked = distinct([s for s in sentences if s.fits])
    chosen: list[Sentence] = []
    words = 0
    missed = 1.0  # probability that no chosen sentence holds the answer
    for sentence in ranked:
        brings = sentence.score * missed if joint else sentence.score
        if chosen and (words + sentence.words > max_words or brings < gain_per_word * sentence.words):
            continue
        if chosen and sentence.row and (sentence.score < alone_above or not sentence.names_asked):
            continue
        chosen.append(sentence)
        words += sentence.words
        missed *= 1.0 - sentence.score
        if len(chosen) >= max_quotes * 2:
            break
    return merge(chosen, max_quotes)


def merge(chosen: list[Sentence], max_quotes: int) -> list[Quote]:
    """Adjacent sentences of one paragraph become one quote; order stays by best score. Two
    chosen sentences on either side of a paragraph break stay two quotes, so the better one
    is never shown behind the end of the paragraph before it."""
    groups: list[list[Sentence]] = []
    for sentence in chosen:
        for group in groups:
            ordered = sorted(group + [sentence], key=lambda s: s.start)
            if all(_adjacent(x, y) for x, y in zip(ordered, ordered[1:])):
                group.append(sentence)
                break
        else:
            groups.append([sentence])
    quotes = []
    for group in groups[:max_quotes]:
        ordered = sorted(group, key=lambda s: s.start)
        quotes.append(Quote.cite(ordered[0].document, ordered[0].start, ordered[-1].end,
                                 max(s.score for s in group)))
    return quotes
