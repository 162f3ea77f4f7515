"""What a resolved follow-up does to retrieval and to the candidate sentences.

The previous answer's documents come first among the hits (`prefer`). Once resolved, a
follow-up may be answered only by sentences holding one of its own terms
(`keep_to_question`): the sentence that answered the previous question names the entity
and would otherwise be quoted again ("What was it mostly used for?" after "Who invented
the atmospheric engine?"); a quote the previous answer gave may answer again only when it
holds a term the follow-up newly asks about ("last" in "How long can that training last?").
A follow-up that stays on the previous answer's document has the sentences in that
quote's paragraph raised (`near_previous`): what follows up on a passage is most often
answered beside it. Every function returns new lists and Sentences."""

from __future__ import annotations

from dataclasses import replace

from rag.followup.resolved import Passage, Resolved
from rag.followup.words import STOP, WORD
from rag.index import terms
from rag.quotes import logit, sigmoid


def prefer(hits: list, documents: list[str]) -> list:
    """Hits of the preferred documents first, each group in its retrieved order; a
    document absent from the hits is never pulled in (nothing is locked onto)."""
    if not documents:
        return hits
    wanted = set(documents)
    return [h for h in hits if h[1].document_id in wanted] + [h for h in hits if h[1].document_id not in wanted]


_ASKING = STOP | frozenset("""did does do was were is are has have had happen happens happened get got make made
kind type sort much many long often year years date day month century""".split())  # "In what year?" asks a time
# Irregular verb forms the stemmer leaves apart: "When did it begin?" is answered by "began".
_IRREGULAR = dict(pair.split(":") for pair in """began:begin begun:begin won:win fought:fight led:lead built:build
took:take taken:take wrote:write written:write held:hold came:come became:become gave:give given:give made:make
said:say went:go gone:go got:get ran:run lost:lose brought:bring bought:buy sold:sell told:tell thought:think
knew:know known:know grew:grow grown:grow rose:rise risen:rise fell:fall fallen:fall saw:see seen:see met:meet
paid:pay sent:send spent:spend struck:strike drew:draw drawn:draw chose:choose chosen:choose broke:break
broken:break spoke:speak spoken:speak stood:stand taught:teach caught:catch kept:keep meant:mean sought:seek
overthrew:overthrow overthrown:overthrow forbade:forbid forbidden:forbid undertook:undertake withdrew:withdraw
withdrawn:withdraw""".split())


def _lemmas(text: str) -> set[str]:
    return {_IRREGULAR.get(t, t) for t in terms(text)}


def own_terms(question: str) -> set[str]:
    """The lexical terms a follow-up asks about itself: its words, less the pronouns,
    question words and auxiliaries that lean on the conversation."""
    return {t for w in WORD.findall(question) if w.lower() not in _ASKING for t in _lemmas(w)}


def _shares(asked: set[str], said: set[str]) -> bool:
    """A term in common, or one that begins the other ("law" in "lawyer")."""
    return any(a == s or (min(len(a), len(s)) >= 3 and (a.startswith(s) or s.startswith(a)))
               for a in asked for s in said)


def keep_to_question(sentences: list, question: str, resolved: Resolved) -> list:
    """The sentences that may answer a resolved follow-up: those holding one of its own
    terms, so the sentence that answered the previous question, which names the entity
    the follow-up leans on, is not simply quoted again ("What was it mostly used for?").
    Chosen before scoring, so the best of them is measured against its peers, not against
    the previous answer. None holding them: no sentence, and the follow-up is declined."""
    asked = own_terms(question)
    if not resolved.leans_on or not asked:
        return sentences
    # what the follow-up asks that neither the previous question nor its referent already said
    known = _lemmas(f"{resolved.asked_before} {resolved.entity}")
    new = {t for t in asked if not _shares({t}, known)}
    kept = []
    for sentence in sentences:
        said = _lemmas(sentence.text)
        if not _shares(asked, said):
            continue
        if new and _repeats(sentence, resolved.answered_before) and not _shares(new, said):
            continue  # the previous answer again, with nothing the follow-up newly asks about
        kept.append(sentence)
    return kept


def _repeats(sentence, quoted: list[Passage]) -> bool:
    """Is the sentence (part of) a quote the previous answer gave?"""
    return any(p.document_id == sentence.document.id and p.start < sentence.end and sentence.start < p.end
               for p in quoted)


NEAR_LOGIT = 1.0  # log-odds added to a sentence beside the previous answer's quote (set on the tune half)


def _paragraph(text: str, at: int) -> tuple[int, int]:
    """The (start, end) of the line holding offset `at` (a stored paragraph is one line)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def near_previous(sentences: list, resolved: Resolved) -> list:
    """The sentences, those in the paragraph of a quote the previous answer gave (other
    than that quote) raised by NEAR_LOGIT in log-odds, when the follow-up was resolved and
    stays on that answer's document: what follows up on a passage is most often answered
    beside it ("Newcomen's engine ... in most cases was used for pumping water" two
    sentences after the invention). New Sentences; a question with no history is untouched."""
    if not resolved.leans_on or not resolved.prefer_documents:
        return sentences
    out = []
    for sentence in sentences:
        text = sentence.document.text
        here = _paragraph(text, sentence.start)
        near = any(p.document_id == sentence.document.id and _paragraph(text, p.start) == here
                   for p in resolved.answered_before) and not _repeats(sentence, resolved.answered_before)
        if near and sentence.score > 0:  # an unread sentence (probability 0) stays unquotable
            sentence = replace(sentence, score=sigmoid(logit(sentence.score) + NEAR_LOGIT))
        out.append(sentence)
    return out
