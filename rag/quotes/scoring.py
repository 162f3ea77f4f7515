"""Each candidate sentence's features, whether it fits the question (rag/quotes/fit.py), and
its probability of holding the answer: the logistic model's, then, for the sentences the
reading model reads, the calibrated mix of both (unread ones get 0 and are never quoted).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import replace

import numpy as np

from rag.embed.reader_input import Passage
from rag.index import terms
from rag.quotes.candidates import Sentence, is_transcript
from rag.quotes.fit import document_fits, fits, is_claim, says_term, term_asked
from rag.quotes.model import QuoteModel, ReaderCalibration

LONGEST = 60  # words: log_words is clipped to the lengths fitted on (nearly all SQuAD sentences)

_TIME = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b|\b(january|february|march|april|may|june|july|"
                   r"august|september|october|november|december|century|centuries|decade)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                     r"hundred|thousand|million|billion|dozen|several|half)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w-]+")
_ASKS = [("time", re.compile(r"\b(when|what year|which year|what century|what decade|what date)\b", re.I)),
         ("number", re.compile(r"\bhow (many|much|long|far|old|large|big|often|high|fast)\b|"
                               r"\bwhat (percentage|percent|number|amount)\b", re.I)),
         ("name", re.compile(r"\b(who|whom|whose|where)\b", re.I))]


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


def coverage(query_terms: set[str], sentence_terms: set[str], idf: dict[str, float], unknown_idf: float) -> float:
    """Share of the question's IDF mass found in the sentence; unseen terms weigh the most."""
    total = sum(idf.get(t, unknown_idf) for t in query_terms)
    if total == 0:
        return 0.0
    return sum(idf.get(t, unknown_idf) for t in query_terms & sentence_terms) / total


def reader_passage(sentence: Sentence) -> Passage:
    """The sentence with the text before it as its context; a table row has none: the row
    above is another record, and read as context it lent its answer to the row below ("Who
    skippered Betty?" read Clio's row after Betty's as answering)."""
    if sentence.previous is None or sentence.row:
        return Passage(sentence.document.title, sentence.text, "")
    return Passage(sentence.document.title, sentence.text, sentence.document.text[slice(*sentence.previous)])


def read(sentences: list[Sentence], question: str, reader, calibration: ReaderCalibration, *,
         claim: bool, also: Collection[int] = ()) -> list[Sentence]:
    """The sentences after the reading model read those the logistic model ranks highest:
    each keeps its logistic probability as the feature "prior"; a read one gets the feature
    "reader" (its logit) and the calibrated mix of both as its probability; the unread get
    probability 0 and cannot be quoted. `claim` is `is_claim(question)`: a claim may read more.
    `also`: indices read whatever their prior (the sentences that define what a "What is X?"
    question asks about, rag/definitions.py)."""
    ranked = calibration.to_read([s.score for s in sentences], claim=claim)
    ranked += [i for i in also if i not in ranked]
    logits = reader.logits(question, [reader_passage(sentences[i]) for i in ranked])
    read_logits = {i: float(score) for i, score in zip(ranked, logits)}
    out = []
    for i, sentence in enumerate(sentences):
        features = {**sentence.features, "prior": sentence.score}
        if i in read_logits:
            features["reader"] = read_logits[i]
            out.append(replace(sentence, features=features,
                               score=calibration.probability(read_logits[i], sentence.score)))
        else:
            out.append(replace(sentence, features=features, score=0.0))
    return out


def score_sentences(sentences: list[Sentence], query: str, idf: Mapping[str, float],
                    cosines: np.ndarray | None, model: QuoteModel, asked: str | None = None) -> list[Sentence]:
    """The sentences with their features, whether each fits the question, and its
    probability. `asked` is what the fit checks hold the sentence to when it differs from
    the query (a follow-up whose query only guessed the topic must not require that guess)."""
    asked = asked or query
    claim = is_claim(asked)  # once per question, not per sentence
    query_terms = set(terms(query))
    unknown_idf = max(idf.values(), default=1.0)
    kind = asks_for(query)
    term = term_asked(asked)
    found: dict[str, bool] = {}  # per document: names and numbers of the question present
    features: list[dict[str, float]] = []
    fitting: list[bool] = []
    naming: list[bool] = []  # a table row on its own, as a further row must answer (select)
    for i, sentence in enumerate(sentences):
        text = sentence.text
        own = set(terms(text))
        features.append({
            "coverage": coverage(query_terms, own | set(terms(sentence.document.title)), idf, unknown_idf),
            "cosine": float(cosines[i]) if cosines is not None else 0.0,
            "rank": 1.0 / (1 + sentence.chunk_rank),
            "answer_type": holds(kind, query, text),
            "novelty": len(own - query_terms) / max(1, len(own)),
            "log_words": math.log(min(max(1, sentence.words), LONGEST)),
        })
        if sentence.document.id not in found:
            found[sentence.document.id] = document_fits(asked, sentence.document.text, idf, claim)
        fitting.append(found[sentence.document.id] and fits(asked, text, claim, is_transcript(sentence.document))
                       and (not term or says_term(term, sentence)))
        naming.append(not sentence.row or document_fits(asked, text, idf, claim))
    for name in ("coverage", "cosine"):  # the gaps need every sentence's value first
        best = max((f[name] for f in features), default=0.0)
        for f in features:
            f[f"{name}_gap"] = f[name] - best
    return [replace(sentence, features=f, fits=fit, names_asked=named, score=model.probability(f))
            for sentence, f, fit, named in zip(sentences, features, fitting, naming)]
