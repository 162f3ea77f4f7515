"""Choose the sentences that answer, merge neighbours, and cut them as Quotes.

This is the only place a Quote is born, through `Quote.cite(document, start, end)`,
which slices the stored text; so every quote equals `document.text[start:end]`.
Sentences are scored by IDF-weighted coverage of the question's terms, the retrieval
rank of their chunk, their cosine to the question and whether they hold the kind of
thing asked for (a date for "when", a number for "how many"); weights are calibrated
on SQuAD 2.0 by eval/calibrate.py. Headings are never quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.index import terms
from rag.retrieve import Candidate
from rag.types import Chunk, Document, Quote

_GAP = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)\]]*$")
_TIME = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b|\b(january|february|march|april|may|june|july|"
                   r"august|september|october|november|december|century|centuries|decade)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                     r"hundred|thousand|million|billion|dozen|several|half)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w-]+")
_ASKS = [("time", re.compile(r"\b(when|what year|which year|what century|what decade|what date)\b", re.I)),
         ("number", re.compile(r"\bhow (many|much|long|far|old|large|big|often|high|fast)\b|"
                               r"\bwhat (percentage|percent|number|amount)\b", re.I)),
         ("name", re.compile(r"\b(who|whom|whose|where)\b", re.I))]


@dataclass(frozen=True)
class Weights:
    coverage: float = 0.3
    rank: float = 0.05
    cosine: float = 0.5
    answer_type: float = 0.2
    keep_ratio: float = 0.8  # a further sentence must score this share of the best one

    def score(self, sentence: "Sentence") -> float:
        return (self.coverage * sentence.coverage + self.rank / (1 + sentence.chunk_rank)
                + self.cosine * sentence.cosine + self.answer_type * sentence.answer_type)


def asks_for(question: str) -> str:
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), "other")


def holds(kind: str, question: str, text: str) -> float:
    """1 when the sentence holds the kind of thing asked for, 0 when not, 0.5 when unknown."""
    if kind == "time":
        return float(bool(_TIME.search(text)))
    if kind == "number":
        return float(bool(_NUMBER.search(text)))
    if kind == "name":
        asked = {w.lower() for w in _NAME.findall(question)}
        return float(any(w.lower() not in asked for w in _NAME.findall(text)[1:]))
    return 0.5


def is_heading(text: str) -> bool:
    return len(text.split()) <= 12 and not _SENTENCE_END.search(text)


@dataclass
class Sentence:
    document: Document
    start: int
    end: int
    chunk_rank: int
    chunk_id: str = ""
    index: int = 0  # position in chunk.sentences, the row of its stored vector
    coverage: float = 0.0
    cosine: float = 0.0
    answer_type: float = 0.5
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    @property
    def words(self) -> int:
        return len(self.text.split())


def coverage(query_terms: set[str], sentence_terms: set[str], idf: dict[str, float], unknown_idf: float) -> float:
    """Share of the question's IDF mass found in the sentence; unseen terms weigh the most."""
    total = sum(idf.get(t, unknown_idf) for t in query_terms)
    if total == 0:
        return 0.0
    return sum(idf.get(t, unknown_idf) for t in query_terms & sentence_terms) / total


def candidate_sentences(hits: list[tuple[Candidate, Chunk, Document]]) -> list[Sentence]:
    return [Sentence(document, start, end, rank, chunk.id, index)
            for rank, (_, chunk, document) in enumerate(hits)
            for index, (start, end) in enumerate(chunk.sentences)
            if not is_heading(document.text[start:end])]


def score_sentences(sentences: list[Sentence], query: str, idf: dict[str, float],
                    cosines: np.ndarray | None, weights: Weights) -> None:
    query_terms = set(terms(query))
    unknown_idf = max(idf.values(), default=1.0)
    kind = asks_for(query)
    for i, sentence in enumerate(sentences):
        context = sentence.document.title + " " + sentence.text
        sentence.coverage = coverage(query_terms, set(terms(context)), idf, unknown_idf)
        sentence.cosine = float(cosines[i]) if cosines is not None else 0.0
        sentence.answer_type = holds(kind, query, sentence.text)
        sentence.score = weights.score(sentence)


def _adjacent(a: Sentence, b: Sentence) -> bool:
    if a.document.id != b.document.id or a.end > b.start:
        return False
    return _GAP.fullmatch(a.document.text, a.end, b.start) is not None


def select(sentences: list[Sentence], max_quotes: int, word_budget: int, weights: Weights) -> list[Quote]:
    """Best sentence first, then others close in score while the word budget lasts."""
    ranked = sorted(sentences, key=lambda s: -s.score)
    chosen: list[Sentence] = []
    words = 0
    for sentence in ranked:
        if chosen and (sentence.score < weights.keep_ratio * chosen[0].score
                       or words + sentence.words > word_budget):
            continue
        if any(s.document.id == sentence.document.id and s.start == sentence.start for s in chosen):
            continue
        chosen.append(sentence)
        words += sentence.words
        if len(chosen) >= max_quotes * 2:
            break
    return merge(chosen, max_quotes)


def merge(chosen: list[Sentence], max_quotes: int) -> list[Quote]:
    """Adjacent sentences of one document become one quote; order stays by best score."""
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
