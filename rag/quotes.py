"""Choose the sentences that answer, merge neighbours, and cut them as Quotes.

This is the only place a Quote is born, through `Quote.cite(document, start, end)`,
which slices the stored text; so every quote equals `document.text[start:end]`.
Sentences are scored by IDF-weighted coverage of the question's terms, the retrieval
rank of their chunk and their cosine to the question; weights are tuned in eval/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from rag.index import terms
from rag.retrieve import Candidate
from rag.types import Chunk, Document, Quote

_GAP = re.compile(r"\s*")


@dataclass(frozen=True)
class Weights:
    coverage: float = 0.5
    rank: float = 0.2
    cosine: float = 0.3
    keep_ratio: float = 0.8  # a further sentence must score this share of the best one


@dataclass
class Sentence:
    document: Document
    start: int
    end: int
    chunk_rank: int
    coverage: float = 0.0
    cosine: float = 0.0
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
    return [Sentence(document, start, end, rank)
            for rank, (_, chunk, document) in enumerate(hits)
            for start, end in chunk.sentences]


def score_sentences(sentences: list[Sentence], query: str, idf: dict[str, float],
                    cosines: np.ndarray | None, weights: Weights) -> None:
    query_terms = set(terms(query))
    unknown_idf = max(idf.values(), default=1.0)
    for i, sentence in enumerate(sentences):
        context = sentence.document.title + " " + sentence.text
        sentence.coverage = coverage(query_terms, set(terms(context)), idf, unknown_idf)
        sentence.cosine = float(cosines[i]) if cosines is not None else 0.0
        sentence.score = (weights.coverage * sentence.coverage
                          + weights.rank / (1 + sentence.chunk_rank)
                          + weights.cosine * sentence.cosine)


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
