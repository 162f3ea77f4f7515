"""Follow-up questions made answerable alone, without a language model.

`resolve(question, history, locate)` turns a question that leans on the conversation
into a retrieval query that stands alone, and names the documents the previous answer
quoted. It reads only the recent exchanges (MAX_EXCHANGES): the previous questions, each
resolved in turn, and the quotes that answered them. An assistant turn's quotes are its
`citations` when it carries them (checked against the store), else the stored sentences
found verbatim in its text, which works because every Attest answer is made of quotes.

What the follow-up leans on decides the rewrite:
- a pronoun ("it", "he", "their") → the salient entity: for a person pronoun, the person
  the previous answer named (or the question gave); otherwise the previous question's topic;
- "then" / "there" → the previous answer's time or place ("by then" → "by March 1974");
- ellipsis ("And in 1897?", "What about Yale?", "And adaptive immunity?", "And after?") →
  the previous question's frame with the new term in place of the one of its kind (a year
  for a year, a name for a name, "adaptive immunity" for "innate immunity", "after" for
  "before"); without "And" or "What about" ("Steam engine efficiency?") it is a fragment;
- a correction ("No, I meant the second oil crisis") → the previous question with it in
  place of what that question asked about;
- a bare short question ("Why?", "How many?", "In what year?") → the question plus what the
  previous question asked ("When? conquered Canary Islands");
- a few words naming nothing ("What convinced the oil producers?") → the same, as a new
  attribute of the previous topic. This and a fragment are guesses (`guessed`):
  rag/answer.py also reads the question as it stands and keeps the reading with the more
  probable best quote, so a new question ("When did the oil embargo end?" after the
  atmospheric engine) is not answered as "... end atmospheric engine?".
A question that needs none of these is left as it is, and prefers no document, so a
change of topic is never locked onto the previous answer's document. Once resolved, a
follow-up may be answered only by sentences holding one of its own terms
(`keep_to_question`): the sentence that answered the previous question names the entity
and would otherwise be quoted again ("What was it mostly used for?" after "Who invented
the atmospheric engine?"); a quote the previous answer gave may answer again only when it
holds a term the follow-up newly asks about ("last" in "How long can that training last?").
"That training" is the phrase the previous answer named it with ("2026 military training
assemblies"). A follow-up that stays on the previous answer's document has the sentences
in that quote's paragraph raised (`near_previous`): what follows up on a passage is most
often answered beside it.

Invariant: the resolved query is built only from the question and the conversation's
own words; nothing here invents text, and answers are still cut from documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from pydantic import BaseModel, Field

from rag.index import terms
from rag.quotes import SAME_PARAGRAPH, logit, sigmoid
from rag.types import NO_ANSWER, Chunk, Document, Turn

MAX_EXCHANGES = 3  # the recent question/answer pairs read; older ones rarely hold the referent
LOCATE_CHUNKS = 8  # chunks searched for the sentences an uncited assistant turn quotes
MIN_QUOTE_CHARS = 20  # shorter stored sentences ("Yes.") match anywhere and prove nothing


class Passage(BaseModel):
    """A quote an earlier answer gave, as found in the store."""

    document_id: str
    title: str = ""
    start: int
    end: int
    text: str


class Resolved(BaseModel):
    """The follow-up made to stand alone."""

    query: str = Field(description="The retrieval and scoring query (Answer.query).")
    prefer_documents: list[str] = Field(
        default_factory=list, description="The previous answer's documents, when the question stays on its entity.")
    leans_on: list[str] = Field(default_factory=list, description=(
        "What was resolved: pronoun, time, place, ellipsis, fragment, short, attribute; unresolved: a pronoun "
        "with no referent in the conversation, declined."))
    entity: str = Field("", description="The salient entity the question was resolved against.")
    asked_before: str = Field("", description="The previous question, resolved.")
    answered_before: list[Passage] = Field(default_factory=list, description="The quotes that answered it.")


Locate = Callable[[Turn], list[Passage]]

# ---------------------------------------------------------------------------- words
_PERSON = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.I)
_THING = re.compile(r"\b(it|its|itself|they|them|their|theirs)\b|\b(this|these|those)\b(?=\s*[?.!,]?$)", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those)\s+(?=(?!is\b|was\b|are\b|were\b|has\b|had\b|did\b|does\b|"
                            r"do\b|can\b|could\b|would\b|will\b|time\b|year\b|date\b|point\b)[a-z])", re.I)
_TIME_WORDS = re.compile(r"\b(?:(by|until|till|since|before|after|at|from)\s+)?(then|that time|that year|"
                         r"that date|that point|the same year|the same time)\b", re.I)
_PLACE_WORD = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|be|been|being|have|has|had|exist|exists|existed|"
                         r"remain|remains|remained|will|would|could|might|may|must|seem|seems|seemed)\b)", re.I)
_EXISTENTIAL = re.compile(r"^\s*(is|are|was|were|has|have|had|will|would|could)\s+there\b", re.I)
# "And ...", "What about ...", "What of ...", and a correction ("No, I meant ...")
_ELLIPSIS_LEAD = re.compile(r"^\s*(?:and|but|also|so)?\s*(?:what|how)\s+about\s+|^\s*and\s+|^\s*what\s+of\s+|"
                            r"^\s*(?:(?:no|sorry|oops|actually)\b[\s,.!;:-]*)*i\s+mean[t]?\s+", re.I)
_CORRECTION = re.compile(r"\bi\s+mean[t]?\s+", re.I)
_WH = re.compile(r"^\s*(who|whom|whose|what|which|when|where|why|how)\b", re.I)
_VERBISH = re.compile(r"\b(is|are|was|were|be|been|do|does|did|has|have|had|can|could|will|would|should|may|"
                      r"might|must|\w+ed|\w+es)\b", re.I)
_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_WHEN = re.compile(rf"\b(?:(?:\d{{1,2}} )?(?:{_MONTHS})(?: \d{{1,2}})?,? (?:1[0-9]{{3}}|20[0-9]{{2}})|"
                   rf"(?:the )?(?:early |late |mid-)?(?:1[0-9]{{3}}|20[0-9]{{2}})s?|"
                   rf"the (?:\w+ )?(?:century|decade))\b")
# a name's lower-case joins: "Bank of England", "Ludwig van Beethoven", "Hassan al Banna"
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|de|von|van|and|al|el|bin|ibn|da|di|du|del|der|la|le)\s+)*"
                   r"(?:[A-Z]\.(?=\s+[A-Z])|[A-Z][\w'’-]*))*")
_PLACE_AFTER = re.compile(r"\b(?:in|at|to|from|near|across|throughout|into)\s+((?:the\s+)?[A-Z][\w'’-]*"
                          r"(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)")
_STOP = frozenset("""a an the of in on at to for from by with and or but as is are was were be been being do does
did has have had what which who whom whose when where why how that this these those it its they them their
there then he she his her him than so such not no any some many much more most other into over about after
before during between under up down out can could will would should may might must also very just only first
one new another""".split())
_WORD = re.compile(r"[\w'’-]+")


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _STOP]


def names(text: str) -> list[str]:
    """Capitalised phrases ("Thomas Newcomen", "Bank of England"), not the capital that
    only starts a sentence or a question word; leading/trailing "of/the/and" trimmed."""
    out = []
    for match in _NAME.finditer(text):
        phrase = match.group()
        words = phrase.split()
        while words and not words[0][0].isupper():
            words.pop(0)
        while words and not words[-1][0].isupper():
            words.pop()
        if not words:
            continue
        start = match.start() + phrase.find(words[0])
        at_sentence_start = start == 0 or re.search(r"[.!?:;\"“(]\s*$", text[:start]) is not None
        if at_sentence_start and (len(words) == 1 and words[0].lower() in _STOP | {"i"}):
            continue
        if at_sentence_start and words[0].lower() in _STOP:
            words = words[1:]
        if words:  # "Putin's decree" is about Putin
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if words and words[-1] and not _YEAR.fullmatch(words[0]):
            out.append(" ".join(words))
    return out


_ASKS_WHO = re.compile(r"^\s*(?:who|whom|whose|(?:which|what)\s+(?:\w+\s+)?(?:person|man|woman|individual|"
                       r"president|king|queen|duke|emperor|leader|ruler|general|commander|governor|minister|"
                       r"pope|bishop|author|writer|founder|inventor|scientist|explorer|chancellor|official|"
                       r"administrator|engineer|philosopher|professor|politician)s?)\b", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(.+?)[\s?.!]*$", re.I)


def _asked_about(frame: str) -> str:
    """The person a "Who was <name>?" question named: "he" after it is that person, not
    another the answer names beside him ("Stephen Cook and ... Leonid Levin"). "Who is the
    President of the Council?" asks for a person by role: the answer names him. The name may
    be followed by where or when ("Who was Charles W. Eliot at Harvard?"); not by a verb ("Who
    is Harvard named after?") or a possessive ("Who was Harvard's first president?"), which
    ask for another person."""
    asked = _WHO_IS.match(frame)
    body = asked.group(1) if asked else ""
    return next((n for n in names(body) if body.startswith(n) and _PLACE_OR_TIME.fullmatch(body[len(n):])), "")


_PLACE_OR_TIME = re.compile(r"(?:\s+(?:at|in|of|from|during|for|on|under)\s+.*)?", re.I)


_AUX = re.compile(r"\b(do|does|did|is|was|are|were|has|have|had|can|could|will|would)\b", re.I)
_HEADS = frozenset({"word", "term", "name", "concept", "idea", "notion"})
_ONE = re.compile(r"\b(first|second|third|other|next|last|same|earlier|later|previous) one\b", re.I)
_VERBS = frozenset("""come comes came protect protects use used mean means make made take took say said begin began
end ended start started lead led become became cause caused contain contains go went get got give gave work
worked serve served play played join joined found founded need needed help helped include included know known
call called build built run ran hold held win won lose lost fight fought rule ruled produce produced""".split())


def _modifies(words: list[str], i: int, subject: list[str]) -> bool:
    """Is the participle words[i] part of the subject, between its first word and a noun ("the
    earliest known reference"), rather than the question's verb ("When was it founded in ...")?"""
    word = words[i].lower()
    following = words[i + 1].lower() if i + 1 < len(words) else ""
    return bool(subject) and word.endswith(("ed", "n")) and bool(following) and following not in _STOP \
        and following not in _VERBS


def topic(question: str) -> str:
    """The thing a question is about: a name it gives, else the subject after its
    auxiliary ("When did the 1973 oil embargo end?" → "1973 oil embargo"), else its
    longest run of content words ("Who invented the atmospheric engine?" → "atmospheric engine")."""
    given = names(question)
    if given:
        return max(given, key=len)
    body = _WH.sub("", question)
    aux = _AUX.search(body)
    if aux:
        asked = [w for w in _WORD.findall(body[:aux.start()]) if w.lower() not in _STOP]
        after = [w for w in _WORD.findall(body[aux.end():]) if w.lower() not in _STOP]
        if asked and after and (after[0].lower() in _VERBS or after[0].lower().endswith("ed")):
            return " ".join(asked)  # "What speed limit was imposed in 1974?" is about the speed limit
        subject = []
        words = _WORD.findall(body[aux.end():])
        for i, word in enumerate(words):
            if word.lower() in {"of", "and"} and subject:
                subject.append(word)
                continue
            if word.lower() in _VERBS and not _modifies(words, i, subject):
                break
            if subject and word.lower() in _STOP:
                break
            if word.lower() not in _STOP:
                subject.append(word)
        while subject and subject[-1] in {"of", "and"}:
            subject.pop()
        if len(subject) > 1 and subject[0].lower() in _HEADS:  # "the word imperialism" is about imperialism
            subject.pop(0)
        if subject:
            return " ".join(subject)
    runs, run = [], []
    for word in _WORD.findall(body):
        if word.lower() in _STOP or word.lower() in _VERBS or (_VERBISH.fullmatch(word) and not run):
            if run:
                runs.append(run)
            run = []
        else:
            run.append(word)
    if run:
        runs.append(run)
    runs = [r for r in runs if not (len(r) == 1 and _VERBISH.fullmatch(r[0]))]
    return " ".join(max(runs, key=len)) if runs else ""


_Y = r"(?:1[0-9]{3}|20[0-9]{2})"
_RANGE = re.compile(rf"\bbetween\s+({_Y})\s+and\s+({_Y})\b|\bfrom\s+({_Y})\s+(?:to|until|till|through)\s+({_Y})\b|"
                    rf"\b({_Y})\s*[–—-]\s*({_Y})\b")
_AFTER_ITS_END = {"by", "until", "till", "since", "after", "from"}  # "by then" after 1754–1763: by 1763


def _time_in(text: str) -> str | tuple[str, str]:
    """The last time the text gives: a date, a year, or a range of years as (start, end)."""
    ranges = [(m.start(), m.end(), tuple(y for y in m.groups() if y)) for m in _RANGE.finditer(text)]
    found = [(m.start(), m.group()) for m in _WHEN.finditer(text)
             if not any(a <= m.start() < b for a, b, _ in ranges)] + [(a, years) for a, _, years in ranges]
    return max(found, key=lambda f: f[0])[1] if found else ""


def _time_of(texts: list[str]) -> str | tuple[str, str]:
    """The time of the first text that gives one (the previous answer's quotes come best first)."""
    return next((when for when in map(_time_in, texts) if when), "")


def _then(preposition: str | None, when: str | tuple[str, str]) -> str:
    """"by then" → "by March 1974"; after a range, "by then" is its end, "before then" its
    start, and a bare "then" the whole of it ("between 1754 and 1763")."""
    if isinstance(when, str):
        return f"{preposition or 'in'} {when}"
    start, end = when
    if preposition and preposition.lower() in _AFTER_ITS_END:
        return f"{preposition} {end}"
    if preposition and preposition.lower() == "before":
        return f"{preposition} {start}"
    return f"between {start} and {end}"


def _place_in(text: str) -> str:
    found = [m.group(1) for m in _PLACE_AFTER.finditer(text)]
    found = [re.sub(r"^the\s+", "", p) for p in found if not _YEAR.fullmatch(p) and not _WHEN.fullmatch(p)]
    return found[0] if found else ""


def _titled(name: str) -> str:
    """A name as a person's: "Duke William II of Normandy" → "Duke William II"; a name whose
    "of" follows one word ("Battle of Hastings", "Bank of England") is not a person's ("")."""
    before = name.split(" of ")[0]
    after = name.split(" of ")[-1].split()
    # "Secretary of State Henry Kissinger": the name after the office; not "Administrator of
    # the Federal Energy Office", an office alone
    if " of " in name and len(after) >= 3 and after[0] != "the":
        return " ".join(after[1:])
    return before if " of " not in name or len(before.split()) >= 2 else ""


_MONTH = re.compile(rf"(?:{_MONTHS})")
_DOER_AUX = "had|has|have|was|were|is|are|did|does|had been|has been|been|then|also|first|later"


def _person_in(answer: str, question: str) -> str:
    """The person a person pronoun points at: a name the answer gives right after one of the
    question's words ("their leader Rollo" for "Who was the leader ...?"), else the name that
    does what the question's verb says ("Henry Kissinger had negotiated", "named for John
    Harvard"; a month is no name: "July 9"), else, of the names of two or more words the
    answer gives that the question did not (of those doers, if several), the one nearest the
    question's own words; else any name it gave."""
    asked = set(terms(" ".join(names(question))))
    told = [part for n in names(answer) for part in n.split(" and ")  # "Denmark, Iceland and Norway"
            if not _WHEN.fullmatch(part) and not _MONTH.fullmatch(part)  # not "July" of "July 9, 1755"
            and not set(terms(part)) <= asked]  # not "Norman" for "Normans"
    people = [_titled(n) for n in told if len(_titled(n).split()) >= 2] or told
    people = [re.sub(r"['’]s$", "", n) for n in people]  # "Charles W. Eliot's long tenure"
    if not people:
        return ""
    lowered = answer.lower()
    stems = [w.lower()[:max(4, len(w) - 2)] for w in _content_words(question) if len(w) > 2]
    for stem in stems:  # in apposition to the question's word: "their leader Rollo", "duke, William"
        for match in re.finditer(rf"\b{re.escape(stem)}\w*,?\s+", lowered):
            named = next((n for n in told if answer.startswith(n, match.end())), "")
            if named:
                return re.sub(r"['’]s$", "", _titled(named) or named)
    acts = [w.lower()[:max(4, len(w) - 2)] for w in _content_words(question)
            if w.lower() in _VERBS or (len(w) > 4 and w.lower().endswith("ed"))]
    doers = []  # who did what the question's verb says: "Conant led", "named for John Harvard"
    for stem in acts:
        for named in told:
            at = answer.find(named)
            doer = re.match(rf",?\s+(?:(?:{_DOER_AUX})\s+)*(?:\w+ly\s+)?{re.escape(stem)}",
                            lowered[at + len(named):])
            # "invented by Savery", also "... and by Branca"
            done = re.search(rf"\b{re.escape(stem)}\w*\s+(?:by|for|after)\s+(?:the\s+)?"
                             rf"(?:[^;:.]*\band\s+(?:by|for|after)\s+(?:the\s+)?)?$", lowered[:at])
            if (doer or done) and named not in doers:
                doers.append(named)
    if doers:  # more than one: the nearest the question's words, as below
        doers = [re.sub(r"['’]s$", "", _titled(n) or n) for n in doers]
        people = [n for n in doers if len(n.split()) >= 2] or doers
        if len(people) == 1:
            return people[0]
    cues = [m.start() for stem in stems for m in re.finditer(re.escape(stem), lowered)]
    if not cues:
        return people[0]
    return min(people, key=lambda n: min(abs(answer.find(n) - c) for c in cues))


# ---------------------------------------------------------------------------- locating
def _norm(text: str) -> str:
    return " ".join(text.split())


_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash before ASCII punctuation


def passages(turn: Turn, documents: Callable[[str], Document | None],
             search: Callable[[str, int], Sequence[tuple[Chunk, Document]]]) -> list[Passage]:
    """The quotes an assistant turn gave: its citations that the store confirms
    (document present, `text[start:end]` equal to the cited text when given), else the
    stored sentences whose text appears verbatim in the turn (whitespace aside)."""
    confirmed = []
    for cited in turn.citations:
        document = documents(cited.document_id)
        if document is None or not 0 <= cited.start < cited.end <= len(document.text):
            continue
        text = document.text[cited.start:cited.end]
        if cited.text and _norm(cited.text) != _norm(text):
            continue
        confirmed.append(Passage(document_id=document.id, title=document.title, start=cited.start,
                                 end=cited.end, text=text))
    if confirmed or not turn.content.strip():
        return confirmed
    content = _MARKDOWN_ESCAPE.sub(r"\1", turn.content)  # Attest's chat Markdown escapes punctuation
    if _declined(content):  # its passages are "not an answer": nothing was answered to lean on
        return []
    said = _norm(content)
    found: dict[tuple[str, int], tuple[Document, int, int]] = {}
    for chunk, document in search(content[:2000], LOCATE_CHUNKS):
        for start, end in chunk.sentences:
            text = document.text[start:end]
            if len(text) >= MIN_QUOTE_CHARS and _norm(text) in said:
                found[(document.id, start)] = (document, start, end)
    return _as_quoted(sorted(found.values(), key=lambda f: said.find(_norm(f[0].text[f[1]:f[2]]))))


def _as_quoted(located: list[tuple[Document, int, int]]) -> list[Passage]:
    """Sentences found in a turn's text, in its order, as the quotes it showed: neighbours of
    one paragraph are one passage, as answering merges them into one quote, so the turn reads
    the same from its text as from its citations ("by then" is the time the quote ends on)."""
    merged: list[tuple[Document, int, int]] = []
    for document, start, end in located:
        if merged and merged[-1][0].id == document.id and merged[-1][2] <= start \
                and SAME_PARAGRAPH.fullmatch(document.text, merged[-1][2], start):
            merged[-1] = (document, merged[-1][1], end)
        else:
            merged.append((document, start, end))
    return [Passage(document_id=d.id, title=d.title, start=start, end=end, text=d.text[start:end])
            for d, start, end in merged]


def _declined(content: str) -> bool:
    """Is an assistant turn Attest's decline (its lead, in any rendering: plain, Markdown)?"""
    return content.lstrip(" *_>#\n").startswith(NO_ANSWER)


# ---------------------------------------------------------------------------- resolving
def _exchanges(history: list[Turn]) -> list[tuple[str, Turn | None]]:
    """(user question, the assistant turn after it) pairs, the most recent MAX_EXCHANGES."""
    pairs: list[tuple[str, Turn | None]] = []
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            pairs.append((turn.content.strip(), None))
        elif turn.role == "assistant" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], turn)
    return pairs[-MAX_EXCHANGES:]


_ASKS_IN = re.compile(r"(?:in|at|on|by|for|from|to|since|until|during|after|before|with|of|under)\s+"
                      r"(?:which|what|whom|whose|when|where|how)\b", re.I)  # "In what year?", "At which battle?"


def _ellipsis(question: str) -> tuple[str, bool] | None:
    """The new term of an elliptical follow-up ("And in 1897?" → "in 1897") and whether a
    lead ("And", "What about") said it was one; a bare fragment ("In 1897?", "Steam engine
    efficiency?") may as well be a new question. None: not elliptical."""
    lead = _ELLIPSIS_LEAD.match(question)
    rest = question[lead.end():] if lead else question
    rest = rest.strip().rstrip("?.!").strip()
    if not rest:
        return None
    if lead and not _WH.match(rest) and not _VERBISH.search(rest.split(" ", 1)[-1] if " " in rest else ""):
        return rest, True
    if len(rest.split()) <= 3 and not _WH.match(rest) and not _VERBISH.search(rest) and not _ASKS_IN.match(rest):
        return rest, False
    return None


def _swap(frame: str, new: str) -> str:
    """The previous question with `new` in place of the term of its kind, else added."""
    frame = frame.strip().rstrip("?").strip()
    year = _YEAR.search(new)
    if year and _YEAR.search(frame):
        return _YEAR.sub(year.group(), frame, count=1) + "?"
    old_names = names(frame)
    new_names = [n for n in names(new) if n not in old_names]  # "T" of "helper T cells" is the frame's own
    if new_names and old_names:
        old = _subject_name(frame, old_names) or max(old_names, key=len)
        joined = re.match(r"(of|in|for|at|from)\s+", new)
        if joined and f" {joined[1]} " in old:  # "of the European Council" for "President of the European Commission"
            return frame.replace(old, f"{old.split(f' {joined[1]} ')[0]} {new.strip()}", 1) + "?"
        return frame.replace(old, new.removeprefix("the ").strip(), 1) + "?"
    if new.lower() in _WHEN_WORDS and (said := re.search(rf"\b(?:{'|'.join(_WHEN_WORDS)})\b", frame, re.I)):
        return f"{frame[:said.start()]}{new.lower()}{frame[said.end():]}?"  # "before the embargo" → "after ..."
    words = new.split()
    while len(words) > 2 and (words[0].lower() in _STOP or words[0].lower() in _COUNTS):
        words.pop(0)  # "the two integer answers" for "the two simple word answers": the frame has "the two"
    for tail in range(len(words) - 1, 0, -1):  # the longest end of the new term the frame has too
        ending = r"\s+".join(map(re.escape, words[-tail:]))
        kind = re.search(rf"\b(\w+\s+)?{ending}\b", frame, re.I)
        if kind:  # "innate immunity" → "adaptive immunity", "killer T cells" → "helper T cells"
            modifier = kind[1] and kind[1].strip().lower() not in _STOP
            start = kind.start() if modifier else kind.start(0) + len(kind[1] or "")
            return f"{frame[:start]}{' '.join(words)}{frame[kind.end():]}?"
    return f"{frame} {new}?"


_WHEN_WORDS = ("before", "after", "during", "since", "until")
_COUNTS = frozenset("two three four five six seven eight nine ten both all".split())


def _subject_name(frame: str, given: list[str]) -> str:
    """The name the question is about when it stands right after its auxiliary ("When did
    Hervé serve as a Byzantine general?" → "Hervé", not the longer "Byzantine")."""
    aux = _AUX.search(frame)
    if aux is None:
        return ""
    after = re.sub(r"^(?:the\s+)", "", frame[aux.end():].lstrip(), flags=re.I)
    return next((n for n in sorted(given, key=len, reverse=True) if after.startswith(n)), "")


def _substitute(question: str, pattern: re.Pattern, value: str) -> str:
    def repl(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() in {"his", "her", "its", "their", "theirs", "hers"}:
            return f"{value}'s" if word.lower() != "her" else value
        return value
    return pattern.sub(repl, question)


def resolve(question: str, history: list[Turn], locate: Locate | None = None) -> Resolved:
    """The question made to stand alone from the recent exchanges (see the module doc)."""
    question = question.strip()
    exchanges = _exchanges(history)
    if not exchanges:
        return Resolved(query=question)
    locate = locate or (lambda turn: [])
    # earlier questions are resolved first, so a third turn leans on a resolved second one
    frame, quoted, entity = "", [], ""
    for asked, reply in exchanges:
        previous = _resolve_one(asked, frame, quoted, entity)
        quoted = locate(reply) if reply is not None else []
        if guessed(previous) and _answered_alone(previous.entity, quoted):
            previous = standalone(asked)  # as answering chose: a new question, not a guess
        frame, entity = previous.query, previous.entity
    return _resolve_one(question, frame, quoted, entity).model_copy(
        update={"asked_before": frame, "answered_before": quoted})


def standalone(question: str) -> Resolved:
    """The question read as it stands, leaning on nothing."""
    return Resolved(query=question, entity=topic(question))


def _resolve_one(question: str, frame: str, quoted: list[Passage], carried: str = "") -> Resolved:
    """`question` against the previous (resolved) question `frame`, the quotes that
    answered it, and the entity that question was itself resolved against (`carried`:
    a conversation that stays on one entity keeps it)."""
    if not frame or not _WORD.search(question):  # "???" leans on nothing
        return standalone(question)
    answer = " ".join(p.text for p in quoted)
    documents = list(dict.fromkeys(p.document_id for p in quoted))
    subject = carried or topic(frame)
    query, leans = question, []
    elliptical = _ellipsis(question)
    new = elliptical[0] if elliptical else ""
    if elliptical and not _PERSON.search(new) and not _THING.search(new):
        query, leans = _swap(frame, new), ["ellipsis" if elliptical[1] else "fragment"]
        asked = topic(frame)
        if elliptical[1] and _CORRECTION.search(question[:_ELLIPSIS_LEAD.match(question).end()]) \
                and query == f"{frame.strip().rstrip('?').strip()} {new}?" and asked and asked in frame:
            # "No, I meant the second oil crisis" after "When did the first oil shock begin?"
            query = re.sub(rf"(?:\b(?:first|second|third|last|other|same)\s+)?{re.escape(asked)}",
                           new.removeprefix("the ").replace("\\", r"\\"), frame, count=1)
        return Resolved(query=query, leans_on=leans, entity=subject,
                        prefer_documents=documents if not _new_names(new, answer, frame) else [])
    if _TIME_WORDS.search(query):
        when = _time_of([p.text for p in quoted]) or _time_in(frame)
        if when:
            query = _TIME_WORDS.sub(lambda m: _then(m.group(1), when), query)
            leans.append("time")
    if _PLACE_WORD.search(query) and not _EXISTENTIAL.search(query):
        where = _place_in(answer) or _place_in(frame) or subject  # no place named: the thing itself
        if where:
            query = _PLACE_WORD.sub(f"in {where}", query)
            leans.append("place")
    entity = ""
    if _PERSON.search(query):
        # the person the best quote names (quotes come best first), else the question's
        named = _asked_about(frame) or next((p for p in (_person_in(q.text, frame) for q in quoted) if p), "")
        asked_who = _ASKS_WHO.match(frame) is not None
        entity = named if asked_who else ((names(frame) or [""])[0] or named)
        if entity:
            query = _substitute(query, _PERSON, entity)
            leans.append("pronoun")
        elif asked_who:  # "he" is whoever answered "Who ...?", and no quote named anyone
            return Resolved(query=question, leans_on=["unresolved"], asked_before=frame)
    if _ONE.search(query) and subject:
        query = _ONE.sub(lambda m: f"{m.group(1)} {subject}", query)
        leans.append("pronoun")
    shown = _demonstrative(query)
    noun = _WORD.match(query, shown.end()) if shown else None  # the lookahead holds a letter there
    named = _named_by(noun.group(), answer, frame) if noun else ""
    if named:  # "that training" → the phrase the previous answer named it with
        query = f"{query[:shown.start()]}the {named}{query[noun.end():]}"
        entity = named
        leans.append("pronoun")
    if (_THING.search(query) and not _own_possessor(query)) or _demonstrative(query):
        entity = _as_named(subject, quoted)
        if entity:  # "that war" → "the war", then name it
            query = _DEMONSTRATIVE.sub(lambda m, q=query: m.group() if _relative(q, m) else "the ", query)
            query = _substitute(query, _THING, entity)
            if entity.lower() not in query.lower():
                query = f"{query.rstrip('?')} {entity}?"
            leans.append("pronoun")
    if not leans and len(_content_words(question)) <= 1 and _WORD.search(question):  # "???" asks nothing
        # what the previous question asked about, not only its topic: "When?" after "Who conquered
        # the Canary Islands?" is when they were conquered
        context = " ".join(w for w in _content_words(frame) if w.lower() not in question.lower()) or subject
        query, leans, entity = f"{question} {context}".strip(), ["short"], subject
    if not leans and not names(question) and subject and len(_content_words(question)) <= 6:
        # a new attribute of the same entity, named by neither pronoun nor name
        # ("And which country was not badly hit?"): the previous topic comes along
        named = _as_named(subject, quoted)  # "commission" → "Santer Commission", as for a pronoun
        query = f"{_ELLIPSIS_LEAD.sub('', question).rstrip('?')} {named}?"
        leans, entity = ["attribute"], named
    if not leans:
        return standalone(question)
    prefer = documents if not _new_names(question, answer, frame) else []
    return Resolved(query=query, leans_on=leans, entity=entity or subject, prefer_documents=prefer)


_DO_AUX = re.compile(r"\b(?:do|does|did|can|could|will|would|should|may|might|must)\s+", re.I)
_PRONOUNS = frozenset("it its they them their he she him his her this that these those there".split())


def _own_possessor(query: str) -> bool:
    """Does the question's only thing-pronoun, a possessive, point back into the question
    itself ("What did the society newsletter print in its masthead?": the newsletter's)? So
    when the subject after a do or modal auxiliary is a name or a "the ..." phrase and a verb
    stands between it and the possessive; "What did they do with their army?" leans on the
    conversation, and so does "What was the population of its capital?" (no such subject)."""
    if any(m.group(0).lower() not in {"its", "their"} for m in _THING.finditer(query)):
        return False
    aux = _DO_AUX.search(query)
    possessive = _THING.search(query, aux.end()) if aux else None
    if possessive is None:
        return False
    before = query[aux.end():possessive.start()].split()
    return (len(before) >= 2 and before[0].lower() not in _PRONOUNS
            and (before[0].lower() == "the" or before[0][:1].isupper()))


def _relative(question: str, shown: re.Match) -> bool:
    """Is this "that" a relative pronoun ("the treaty that ended the war"), not a
    demonstrative ("did that journey end")? After a noun and before a verb, a pronoun, an
    article or a name it is."""
    if shown.group().split()[0].lower() != "that":
        return False
    before = re.search(r"([\w'’-]+)\s*$", question[:shown.start()])
    after = _WORD.match(question, shown.end())
    if before is None or after is None:
        return False
    noun, next_word = before.group(1).lower(), after.group()
    after_noun = noun not in _STOP and noun not in _VERBS and not _AUX.fullmatch(noun) and not noun.endswith("ed")
    before_verb = next_word.lower().endswith("ed") or next_word.lower() in _VERBS | _STOP or next_word[0].isupper()
    return after_noun and before_verb


def _demonstrative(question: str) -> re.Match | None:
    """The first "this/that/these/those <word>" that points back, not a relative "that"."""
    return next((m for m in _DEMONSTRATIVE.finditer(question) if not _relative(question, m)), None)


_RUN_BREAK = re.compile(r"[^\w\s'’-]")


def _as_named(subject: str, quoted: list[Passage]) -> str:
    """A common noun the previous question asked about, under the name its best quote gives
    it: after "Who signed the treaty that ended the war in 1763?", "Where was it signed?" is
    about the Treaty of Paris, not any treaty."""
    if not quoted or " " in subject or not subject.islower():
        return subject
    return _name_holding(set(terms(subject)), quoted[0].text) or subject


def _name_holding(stem: set[str], text: str) -> str:
    """The first name of two or more words in the text with a word of this stem ("Treaty of
    Paris" for "treaty"); else ""."""
    return next((name for name in names(text)
                 if len(name.split()) > 1 and any(set(terms(w)) == stem for w in name.split())), "")


def _named_by(noun: str, *texts: str) -> str:
    """The fuller phrase an earlier turn gave the thing a demonstrative points at ("that
    training" → "military training assemblies"): a name holding the noun, else the run of
    content words around it (at most four), in the first text that has one."""
    stem = set(terms(noun))
    if not stem or noun.lower() in _STOP:
        return ""
    for text in texts:
        if named := _name_holding(stem, text):
            return named
        for piece in _RUN_BREAK.split(text):
            run: list[str] = []
            for word in [*_WORD.findall(piece), "the"]:
                if word.lower() not in _STOP and not _AUX.fullmatch(word):
                    run.append(word)
                    continue
                at = [i for i, w in enumerate(run) if set(terms(w)) == stem]
                if at and len(run) > 1:
                    i = at[0]
                    return " ".join(run[max(0, i - 2):i + 2])
                run = []
    return ""


def _answered_alone(subject: str, quoted: list[Passage]) -> bool:
    """Did the answer to a guessed follow-up leave the guessed subject out? Then answering
    read it as a new question (rag/answer.py), and the conversation goes on from there."""
    said = set(terms(" ".join(p.text for p in quoted)))
    return bool(quoted) and not said & set(terms(subject))


def unresolved(resolved: Resolved) -> bool:
    """Does the question point at someone the conversation never named? Then nothing can
    answer it, and it is declined rather than answered about whoever retrieval finds."""
    return "unresolved" in resolved.leans_on


_APPENDED = {"attribute", "short"}  # the previous topic appended to the question as it was asked


def guessed(resolved: Resolved) -> bool:
    """Is the rewrite only a guess that the question follows up (an attribute follow-up, or a
    fragment with no "And" or "What about" before it)? A short one ("Why?", "How much?")
    asks nothing alone, so it is not."""
    return bool(resolved.leans_on) and set(resolved.leans_on) <= {"attribute", "fragment"}


def checked(question: str, resolved: Resolved) -> str:
    """What a quote's fit checks hold it to: the resolved query when the follow-up named its
    referent through a pronoun, "then", "there" or an ellipsis; the question as asked when
    the previous topic was only appended as a guess (a short or attribute follow-up, which
    may as well be a new question: "What code did the toll clerk use?" after the Normans)."""
    appended = bool(resolved.leans_on) and set(resolved.leans_on) <= _APPENDED
    return question if appended else resolved.query


def _new_names(text: str, answer: str, frame: str) -> bool:
    """Does the follow-up name something neither the previous question nor its answer
    did? Then it has moved on, and the previous answer's document is not preferred."""
    known = f"{answer} {frame}".lower()
    return any(n.lower() not in known for n in names(text))


def prefer(hits: list, documents: list[str]) -> list:
    """Hits of the preferred documents first, each group in its retrieved order; a
    document absent from the hits is never pulled in (nothing is locked onto)."""
    if not documents:
        return hits
    wanted = set(documents)
    return [h for h in hits if h[1].document_id in wanted] + [h for h in hits if h[1].document_id not in wanted]


_ASKING = _STOP | frozenset("""did does do was were is are has have had happen happens happened get got make made
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
    return {t for w in _WORD.findall(question) if w.lower() not in _ASKING for t in _lemmas(w)}


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
