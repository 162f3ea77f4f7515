"""What a resolved follow-up does to retrieval and to the candidate sentences.

The previous answer's documents come first among the hits (`prefer`). Once resolved, a
follow-up may be answered only by sentences holding one of its own terms
(`keep_to_question`): the sentence that answered the previous question names the entity
and would otherwise be quoted again ("What was it mostly used for?" after "Who invented
the atmospheric engine?"). Two exceptions: the sentence right after the previous quote
that names what the follow-up points at ("How did it work?" answered by "Savery's steam
pump used condensing steam ..."), and, for a follow-up asking something new, the previous
quote itself, which may say it in other words ("how big is it": "its 209-acre main
campus"); that quote is lowered by REPEAT_LOGIT, so it answers again only when read as
clearly answering, and never a "when" or "how long" it holds no time or amount for ("When did he
say that?" after a quote with no date) ("How long can that training last?" is not answered by the decree
again). A follow-up that stays on the previous answer's document has the other sentences
in that quote's paragraph raised (`near_previous`): what follows up on a passage is most
often answered beside it. Every function returns new lists and Sentences."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.followup.resolved import Passage, Resolved, guessed
from rag.followup.words import MONTHS, STOP, WHEN, WORD
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
kind type sort much many long often year years date day month century
second third former latter""".split())  # "In what year?" asks a time; "the second one" points back
# Irregular verb forms the stemmer leaves apart: "When did it begin?" is answered by "began", and
# "after he died" by "following the death of".
_IRREGULAR = dict(pair.split(":") for pair in """death:die dead:die
began:begin begun:begin won:win fought:fight led:lead built:build
took:take taken:take wrote:write written:write held:hold came:come became:become gave:give given:give made:make
said:say went:go gone:go got:get ran:run lost:lose brought:bring bought:buy sold:sell told:tell thought:think
knew:know known:know grew:grow grown:grow rose:rise risen:rise fell:fall fallen:fall saw:see seen:see met:meet
paid:pay sent:send spent:spend struck:strike drew:draw drawn:draw chose:choose chosen:choose broke:break
broken:break spoke:speak spoken:speak stood:stand taught:teach caught:catch kept:keep meant:mean sought:seek
laid:lay overthrew:overthrow overthrown:overthrow forbade:forbid forbidden:forbid undertook:undertake withdrew:withdraw
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
    terms (not the kind a "which X" asks for: the answer names one; with "the second one", the
    item's own words too), so the sentence that answered the previous question, which names the
    entity the follow-up leans on, is not simply quoted again ("What was it mostly used for?"),
    and, asked "when" or "how long", only those with a time or a length (`_says_asked`).
    Chosen before scoring, so the best of them is measured against its peers, not against
    the previous answer. Kept besides: the sentence right after the previous quote naming
    the entity, and the quote itself when the follow-up asks something new (module doc).
    None of them: no sentence, and the follow-up is declined."""
    if resolved.leans_on:  # asked "when" or "how long", a sentence with no time or length answers no follow-up
        sentences = [s for s in sentences if _says_asked(question, s.text, _repeats(s, resolved.answered_before))]
    asked = own_terms(question) - _kind_asked(question)
    if "listed" in resolved.leans_on:  # "the second one" said the item only by pointing: its own words are asked
        asked |= own_terms(resolved.entity) - _lemmas(resolved.asked_before)  # not "T cell", which all items share
    if not resolved.leans_on or not asked:
        return sentences
    new = _newly_asked(question, resolved)
    entity = _lemmas(resolved.entity) - STOP
    # a follow-up that pointed at its subject ("it", "the engine", not a guess) with one word of
    # its own ("How did it work?") says too little to ask for that word in the answer
    named = bool(entity) and not guessed(resolved) and len(asked) == 1
    kept = []
    for sentence in sentences:
        said = _lemmas(sentence.text)
        if _repeats(sentence, resolved.answered_before):
            # asking something new, the previous answer may say it in other words (lowered in
            # near_previous); asking nothing new, it answers only with the follow-up's words
            if new or _shares(asked, said):
                kept.append(sentence)
        elif _shares(asked, said) or (named and entity <= said and _next_to(sentence, resolved.answered_before)):
            kept.append(sentence)
    return kept


# "When did he say that?", "How long is it?": a time or a length is asked, which a sentence without one cannot give
_ASKS_WHEN = re.compile(r"^\W*(?:(?:and|so|ok|okay|but)\W+)?"
                        r"(?:when|(?:in\s+)?(?:what|which)\s+(?:year|date|century|decade))\b", re.I)
_ASKS_LENGTH = re.compile(r"\bhow\s+(?:long|old)\b", re.I)
_ASKS_AMOUNT = re.compile(r"\bhow\s+(?:many|much|long|old|big|large|far|tall|high|wide|often)\b", re.I)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundred|thousand|million|billion|dozen|twice)\b", re.I)
_DURATION = re.compile(r"\b(?:a\s+few|several|some|many)\s+(?:hours|days|weeks|months|years|decades|centuries|"
                       r"generations)\b", re.I)  # "a few days": no number, still a length


def _says_asked(question: str, text: str, repeat: bool) -> bool:
    """Can the sentence hold what the question's "when" or "how long" asks for: a time, or a number
    or a length of time ("from a few days up to several months")? The previous answer's quote
    (`repeat`) is held to any amount asked ("how big is it": "its 209-acre main campus"), as it
    answers again only when it says what is newly asked; other questions are not held to anything."""
    if _ASKS_WHEN.match(question):
        return WHEN.search(text) is not None or re.search(rf"\b(?:{MONTHS})\b|\d", text) is not None
    if _ASKS_LENGTH.search(question) or (repeat and _ASKS_AMOUNT.search(question)):
        return _NUMBER.search(text) is not None or _DURATION.search(text) is not None
    return True


# "Which country was it in?" asks for a country, which the answer names without the word: "in Algeria"
_KIND = re.compile(r"\b(?:which|what)\s+([a-z][\w-]*)\s+(?=(?:did|does|do|is|was|are|were|has|have|had|can|could|"
                   r"will|would)\b)", re.I)


def _kind_asked(question: str) -> set[str]:
    """The terms of the kind of thing a "which X" question asks for, which its answer need not say."""
    return {t for match in _KIND.finditer(question) for t in _lemmas(match[1])}


def _newly_asked(question: str, resolved: Resolved) -> set[str]:
    """What the follow-up asks that neither the previous question nor its referent already said."""
    known = _lemmas(f"{resolved.asked_before} {resolved.entity}")
    return {t for t in own_terms(question) if not _shares({t}, known)}


def _repeats(sentence, quoted: list[Passage]) -> bool:
    """Is the sentence (part of) a quote the previous answer gave?"""
    return any(p.document_id == sentence.document.id and p.start < sentence.end and sentence.start < p.end
               for p in quoted)


NEAR_LOGIT = 1.0  # log-odds added to a sentence beside the previous answer's quote (set on the tune half)
REPEAT_LOGIT = 2.0  # log-odds taken from the previous answer's quote when a follow-up asks something new


def _paragraph(text: str, at: int) -> tuple[int, int]:
    """The (start, end) of the line holding offset `at` (a stored paragraph is one line)."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def near_previous(sentences: list, resolved: Resolved, question: str = "") -> list:
    """The sentences, those in the paragraph of a quote the previous answer gave (other
    than that quote) raised by NEAR_LOGIT in log-odds, when the follow-up was resolved and
    stays on that answer's document: what follows up on a passage is most often answered
    beside it ("Newcomen's engine ... in most cases was used for pumping water" two
    sentences after the invention). The quote itself, kept for a follow-up asking something new
    it lacks the words of, is lowered by REPEAT_LOGIT and dropped unless it is then the best,
    whatever document the follow-up is on: the previous answer answers a new question only
    when read as clearly answering it. New Sentences; a question with no history is untouched."""
    if not resolved.leans_on or resolved.compared:  # "Which came first?" quotes the shown dates by design
        return sentences
    stays = bool(resolved.prefer_documents)  # "And to Spain?" names something new: nothing is raised
    new = _newly_asked(question, resolved) if question else set()
    out, lowered = [], []
    for sentence in sentences:
        if _repeats(sentence, resolved.answered_before):
            # the previous answer again, without the words the follow-up newly asks (keep_to_question)
            shift = -REPEAT_LOGIT if new and not _shares(new, _lemmas(sentence.text)) else 0.0
        else:
            shift = NEAR_LOGIT if stays and _beside(sentence, resolved.answered_before) else 0.0
        if shift and sentence.score > 0:  # an unread sentence (probability 0) stays unquotable
            sentence = replace(sentence, score=sigmoid(logit(sentence.score) + shift))
        out.append(sentence)
        if shift < 0:
            lowered.append(sentence)
    # such a quote answers again as the best answer or not at all: beside another, it only repeats
    best = max((s.score for s in out if s.fits), default=0.0)
    return [s for s in out if not any(s is x for x in lowered) or s.score >= best]


def _next_to(sentence, quoted: list[Passage]) -> bool:
    """Does the sentence come right after a quote the previous answer gave (only spaces between)?"""
    text = sentence.document.text
    return any(p.document_id == sentence.document.id and p.end <= sentence.start
               and not text[p.end:sentence.start].strip() for p in quoted)


def _beside(sentence, quoted: list[Passage]) -> bool:
    """Is the sentence in the paragraph of a quote the previous answer gave (and not that quote)?"""
    text = sentence.document.text
    here = _paragraph(text, sentence.start)
    return not _repeats(sentence, quoted) and any(
        p.document_id == sentence.document.id and _paragraph(text, p.start) == here for p in quoted)
