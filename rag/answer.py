"""From a question (and the conversation before it) to an Answer: quotes that answer, or a decline.

`answer()` is the whole answer step, in order:
0. a question with nothing to look for ("Who?") and no conversation before it is declined;
   with none, it is read as its typist meant it (chatter, years in words, slips: rag/meant.py);
1. a follow-up is resolved into a standalone query (rag/followup/); where that query only
   guesses the previous topic, the question as it stands is answered too (steps 2-4), and the
   reading with the more probable best quote goes on;
2. the query is embedded and the best chunks retrieved, the previous answer's documents first;
3. their sentences are the candidates; a resolved follow-up keeps those holding its own terms;
4. each candidate gets features and the logistic model's probability (rag/quotes/), and,
   with the reading model on, the best of them are read and rescored; for a resolved
   follow-up, those beside the previous answer's quote are raised (followup.near_previous),
   and for a "What is X?" question (not a follow-up) the sentence that says what X is,
   looked for in more chunks and always read (rag/definitions.py);
5. the best fitting sentences are quoted, each labelled strong, medium or weak (rag/strength.py),
   or, below the decline cut-off, the question is declined with the closest passages that are
   plausibly related (rag/decline.py).
"Tell me more" and its kind ask the question they continue again, less the quotes the
conversation showed; below the cut-off they read on from the last answer's best quote
(rag/followup/more.py), scored only then and with the question's own retrieval, except
"Who else?", which quotes again a shown quote naming several people when there is one;
"What happened next?" reads on first, and asks again only when nothing follows; "Which came
first?" quotes again the sentences that dated the two things compared
(rag/followup/compare.py), without retrieving.
Steps 1-4 are `scored_sentences()` and step 5 is `reply()`, public so that calibration
(eval/calibrate*.py, eval/claim_candidates.py) fits on exactly what answering sees. Every
step returns new values; nothing handed in is changed.

Grounded or declined are the only two outcomes. The only words not cut from a document
are the fixed lead-ins in rag.types (NO_ANSWER, RELATED_HEADING). What answering needs
from the engine comes in as `Parts`, so this module does not import the Engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Protocol

import numpy as np

from rag import definitions, followup
from rag.config import AnswerSettings
from rag.decline import plausibly_related
from rag.embed.reader_input import Passage
from rag.followup.words import content_words
from rag.meant import meant
from rag.quotes import (QuoteModel, ReaderCalibration, Sentence, candidate_sentences, distinct, is_claim,
                        merge, score_sentences, select)
from rag.quotes import read as read_sentences
from rag.retrieve import Candidate
from rag.strength import labelled
from rag.typed import punctuated
from rag.types import NO_ANSWER, Answer, Chunk, Document, Turn
from rag.vocabulary import Vocabulary

Hit = tuple[Candidate, Chunk, Document]


class ReadingModel(Protocol):
    """rag.embed.Reader as answering uses it."""

    def logits(self, question: str, passages: list[Passage]) -> np.ndarray: ...


@dataclass(frozen=True)
class Parts:
    """What answering needs from the engine, as plain callables and values."""

    embed_query: Callable[[str], np.ndarray]
    retrieve: Callable[[str, int, str, np.ndarray | None], list[Hit]]  # (query, k, mode, vector)
    sentence_cosines: Callable[[list[Sentence], np.ndarray], np.ndarray]
    idf: Callable[[], Mapping[str, float]]  # read after retrieval, which may catch BM25 up with the store
    model: QuoteModel
    calibration: ReaderCalibration | None  # None: the logistic model answers alone
    reader: Callable[[], ReadingModel]  # loaded on first use
    quoted: followup.Locate  # the stored quotes an earlier assistant turn gave
    following: Callable[[str, int], list[Hit]]  # (document id, offset): its chunks from there on
    document_text: followup.DocumentText  # a quoted document's text: the casing of a lower-case follow-up
    written: Callable[[], Vocabulary]  # the words the index writes: a first question's typing slips


@dataclass(frozen=True)
class Scored:
    """A question's candidate sentences with their features and probabilities."""

    question: str
    resolved: followup.Resolved
    sentences: list[Sentence]
    calibration: ReaderCalibration | None  # the reading model's, when it read the sentences
    claim: bool = False  # the query states a claim to check rather than asks (quotes.is_claim)
    # "Go on": the sentences from the last answer's best quote on, scored when the answer needs them
    going_on: Callable[[], list[Sentence]] = field(default=list)
    # "Who else?": shown sentences naming several people, quoted again when nothing unshown passes
    named_others: list[Sentence] = field(default_factory=list)

    @property
    def query(self) -> str:
        return self.resolved.query


def scored_sentences(question: str, history: list[Turn] | None, parts: Parts, *, quote_chunks: int,
                     mode: str = "hybrid", read: bool = True, vector: np.ndarray | None = None) -> Scored:
    """Steps 1-4 of the module doc. `vector` is the resolved query's embedding when the
    caller has it already (calibration embeds its questions in one batch); read=False
    leaves the reading model out."""
    resolved = followup.resolve(question, history or [], parts.quoted, parts.document_text,
                                lambda text, k: [(c, d) for _, c, d in parts.retrieve(text, k, "bm25", None)])
    if not history and asks_nothing(question):  # declined like an unresolved follow-up: nothing to read
        return Scored(question=question, resolved=resolved, sentences=[],
                      calibration=parts.calibration if read else None)
    if not history:  # "hi! who invnted the engine" is read as "who invented the engine"
        resolved = resolved.model_copy(update={"query": meant(resolved.query, parts.written())})
    asked = resolved.continues or question  # "Tell me more" asks the question it continues again
    if resolved.continues:
        parts = _once(parts)  # reading on asks the same query again: what it did once is not done twice
    going_on: Callable[[], list[Sentence]] | None = None
    if resolved.reads_on and resolved.read_from is not None and not followup.guessed(resolved):
        # "What happened next?": the text after the last answer answers, when there is any, so
        # the question it continues is asked again only without it
        going_on = _going_on(asked, resolved, resolved.read_from, parts, quote_chunks=quote_chunks, mode=mode,
                             read=read)
        if followup.reading_on(going_on(), resolved.read_from, resolved.shown_before, max_words=0):
            return Scored(question=question, resolved=resolved, sentences=[], going_on=going_on,
                          calibration=parts.calibration if read else None, claim=is_claim(resolved.query))
    scored = _scored(asked, resolved, parts, quote_chunks=quote_chunks, mode=mode, read=read, vector=vector)
    if followup.guessed(resolved):
        # the previous topic was only appended as a guess: the question may as well be a new
        # one ("When did the oil embargo end?" after the atmospheric engine), so it is also
        # read as it stands, and the reading whose best quote is more probable answers
        alone = _scored(asked, followup.standalone(asked), parts, quote_chunks=quote_chunks, mode=mode,
                        read=read)
        if _best(alone) > _best(scored):
            scored = alone
    if resolved.continues:  # what the conversation showed is not shown again
        if resolved.read_from is None:
            going_on = list
        elif going_on is None:  # not scored above; with the reading the guess left, if it was one
            going_on = _going_on(asked, scored.resolved, resolved.read_from, parts, quote_chunks=quote_chunks,
                                 mode=mode, read=read)
        others = (followup.naming_others(scored.sentences, resolved.shown_before)
                  if followup.asks_who_else(question) else [])
        scored = replace(scored, question=question, resolved=resolved.model_copy(update={"query": scored.query}),
                         sentences=followup.unshown(scored.sentences, resolved.shown_before), going_on=going_on,
                         named_others=others)
    return scored


def asks_nothing(question: str) -> bool:
    """Is there nothing to look for ("Who?", "What is it?": only question words, stop words and
    pronouns, no name)? Asked without a conversation, any sentence retrieval finds would answer
    some other question; after one, it is a follow-up (rag/followup/)."""
    return not content_words(question) and not followup.names(question)


def _going_on(asked: str, resolved: followup.Resolved, read_from: followup.Passage, parts: Parts, *,
              quote_chunks: int, mode: str, read: bool) -> Callable[[], list[Sentence]]:
    """The sentences from read_from on, scored when first asked for: only a "Tell me more" that
    no unshown quote answers, and "What happened next?", read on. Scored apart from the
    question's own candidates, so those keep the scores they had."""
    @cache
    def going_on() -> list[Sentence]:
        return _scored(asked, resolved, parts, quote_chunks=quote_chunks, mode=mode, read=read,
                       read_from=read_from).sentences
    return going_on


def _once(parts: Parts) -> Parts:
    """The parts for one "Tell me more", which asks its query again to read on: the query's
    vector and its retrieval are made once. The reading model still reads each pass's
    sentences together: an int8 logit depends on the pairs read beside it (their activations
    share one quantization scale), so a pair's logit from the first pass would change the answer."""
    vectors: dict[str, np.ndarray] = {}
    found: dict[tuple, list[Hit]] = {}

    def embed_query(query: str) -> np.ndarray:
        if query not in vectors:
            vectors[query] = parts.embed_query(query)
        return vectors[query]

    def retrieve(query: str, k: int, mode: str, vector: np.ndarray | None) -> list[Hit]:
        key = (query, k, mode, None if vector is None else vector.tobytes())
        if key not in found:
            found[key] = parts.retrieve(query, k, mode, vector)
        return found[key]

    return replace(parts, embed_query=embed_query, retrieve=retrieve)


def _best(scored: Scored) -> float:
    return max((s.score for s in scored.sentences if s.fits), default=0.0)


def _scored(question: str, resolved: followup.Resolved, parts: Parts, *, quote_chunks: int, mode: str,
            read: bool, vector: np.ndarray | None = None, read_from: followup.Passage | None = None) -> Scored:
    query = resolved.query
    calibration = parts.calibration if read else None
    if followup.unresolved(resolved):  # "When did he die?" after a "Who ...?" nobody answered: nothing to read
        return Scored(question=question, resolved=resolved, sentences=[], calibration=calibration,
                      claim=is_claim(query))
    read_as = punctuated(query)  # "how old is the earth" is read as the question it is, with its "?"
    if vector is None:
        vector = parts.embed_query(read_as)
    # "What is X?": X's words; not for a follow-up, whose X ("Who was he?") is only a guess
    defined = None if resolved.leans_on else definitions.subject(query)
    if resolved.compared:  # "Which came first?": the sentences that dated the two things, and only those
        found, sentences = [], followup.dating(resolved.compared, parts.following)
    else:
        found = parts.retrieve(query, max(quote_chunks, definitions.FURTHER_CHUNKS) if defined else quote_chunks,
                               mode, vector)
        hits = followup.prefer(found[:quote_chunks], resolved.prefer_documents)
        sentences = followup.keep_to_question(candidate_sentences(hits), question, resolved)
    sentences += definitions.further(found, quote_chunks, defined)
    also = definitions.to_read(sentences, defined)
    if read_from is not None:  # the text after the last answer's best quote, for "Go on"
        sentences, read_on = followup.following(parts.following(read_from.document_id, read_from.end), sentences,
                                                first_rank=quote_chunks)
        also = list(dict.fromkeys([*also, *read_on]))
    cosines = parts.sentence_cosines(sentences, vector) if sentences else None
    sentences = score_sentences(sentences, query, parts.idf(), cosines, parts.model,
                                asked=followup.checked(question, resolved))
    claim = is_claim(query)
    if calibration is not None and sentences:
        sentences = read_sentences(sentences, read_as, parts.reader(), calibration, claim=claim, also=also)
    sentences = followup.near_previous(sentences, resolved, question)
    sentences = definitions.first(sentences, defined)
    return Scored(question=question, resolved=resolved, sentences=sentences, calibration=calibration, claim=claim)


def rerank(hits: list[Hit], sentences: list[Sentence]) -> list[tuple[Hit, float | None]]:
    """The hits with those the reading model read a sentence of first, by the probability of
    their best read sentence, each with that probability; the others keep their retrieval
    order after them, with None. It uses only what answering reads. Measured as retrieval
    mode hybrid+reader (docs/reader.md): better on SciFact and SQuAD, worse on WikiQA train."""
    best: dict[str, float] = {}
    for sentence in sentences:
        if "reader" in sentence.features:
            best[sentence.chunk_id] = max(best.get(sentence.chunk_id, 0.0), sentence.score)
    order = sorted(range(len(hits)), key=lambda i: (hits[i][1].id not in best, -best.get(hits[i][1].id, 0.0), i))
    return [(hits[i], best.get(hits[i][1].id)) for i in order]


def answer(question: str, history: list[Turn] | None, parts: Parts, options: AnswerSettings, *,
           max_quotes: int | None = None, mode: str = "hybrid", read: bool = True) -> Answer:
    """Quotes that answer the question, or a decline listing plausibly related passages."""
    scored = scored_sentences(question, history, parts, quote_chunks=options.quote_chunks, mode=mode,
                              read=read)
    return reply(scored, parts.model, options, max_quotes=max_quotes)


def reply(scored: Scored, model: QuoteModel, options: AnswerSettings, *, max_quotes: int | None = None) -> Answer:
    """Step 5: the answer made of scored sentences. Public so that calibration can try
    cut-offs on sentences scored once (eval/claim_candidates.py)."""
    cutoffs = scored.calibration or model

    @cache
    def reading_on() -> list[Sentence]:  # read on only when the answer needs it
        return followup.reading_on(scored.going_on(), scored.resolved.read_from, scored.resolved.shown_before,
                                   options.quote_words) if scored.resolved.continues else []

    if scored.resolved.reads_on and (read_on := reading_on()):  # "What happened next?": the text after the last answer
        composed = _read_on(scored, read_on, max_quotes or options.max_quotes)
    elif scored.resolved.compared and scored.sentences:  # "Which came first?": both dates, as asked
        composed = _read_on(scored, followup.asked_order(scored.sentences, scored.resolved.compared),
                            max(2, max_quotes or options.max_quotes))
    else:
        composed = compose(scored.question, scored.query, scored.sentences,
                           max_quotes=max_quotes or options.max_quotes, max_words=options.quote_words,
                           joint=scored.calibration is not None,
                           decline_below=_first(options.decline_below, cutoffs.cutoff(scored.claim)),
                           gain_per_word=_first(options.gain_per_word, cutoffs.gain(scored.claim)))
    if not composed.answered and scored.named_others:  # "Who else?": the people the answer named already
        composed = _read_on(scored, scored.named_others, max_quotes or options.max_quotes)
    elif not composed.answered and (read_on := reading_on()):
        # "Tell me more" with no further answer above the cut-off: the text goes on from the last answer
        composed = _read_on(scored, read_on, max_quotes or options.max_quotes)
    # declines: related passages only; answers: each quote labelled strong/medium/weak, here only
    return labelled(plausibly_related(composed, options.related_above), options)


def _read_on(scored: Scored, read_on: list[Sentence], max_quotes: int) -> Answer:
    """The answer made of sentences the conversation chose, not the cut-off: the text after
    the last answer's best quote (followup.reading_on), or the two dated ones compared."""
    return Answer(question=scored.question, answered=True, query=scored.query, quotes=merge(read_on, max_quotes),
                  confidence=round(max(s.score for s in read_on), 4))


def _first(setting: float | None, calibrated: float) -> float:
    """A RAG_* override when set, else the calibrated value."""
    return calibrated if setting is None else setting


def compose(question: str, query: str, sentences: list[Sentence], *, max_quotes: int,
            max_words: int, decline_below: float, gain_per_word: float, joint: bool = False) -> Answer:
    """Answer with the best sentences that fit the question, or decline when the best of
    them is too unlikely to hold the answer; a decline lists the closest passages."""
    best = max((s.score for s in sentences if s.fits), default=None)
    if best is None or best < decline_below:
        related = distinct(sentences)[:max_quotes]
        return Answer(question=question, answered=False, lead=NO_ANSWER, query=query,
                      confidence=round(best or 0.0, 4), related=merge(related, max_quotes))
    quotes = select(sentences, max_quotes, max_words, gain_per_word, joint, alone_above=decline_below)
    return Answer(question=question, answered=True, quotes=quotes, query=query, confidence=round(best, 4))
