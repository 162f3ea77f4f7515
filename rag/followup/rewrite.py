"""The follow-up rewritten as a question that stands alone: `resolve`.

Earlier questions are resolved in turn, so a third turn leans on a resolved second one.
What the follow-up leans on decides the rewrite:
- "the second one", "the former" → that item of a list of like things the previous answer
  gave ("the killer T cell and the helper T cell") (rag/followup/listed.py);
- a pronoun ("it", "he", "their") → the salient entity: for a person pronoun, the person
  the previous answer named (or the question gave) (rag/followup/person.py); otherwise the
  previous question's topic (rag/followup/referents.py); "they" after "Who won ...?" → the
  winner the answer names, else it stays and the answer's documents come first;
- "the word" with no word after it → the term the previous question asked about;
- "the duke", "the war" → the name of two or more words an earlier turn gave it;
- "then" / "there" → the previous answer's time or place ("by then" → "by March 1974")
  (rag/followup/then.py); "the year after", "ten days later" → that date (rag/followup/relative.py);
- ellipsis ("And in 1897?", "What about Yale?", "And adaptive immunity?", "And after?") →
  the previous question's frame with the new term in place of the one of its kind (a year
  for a year, a name said with the same preposition for that one, else a name for the name
  the question is about, "adaptive immunity" for "innate immunity", "after" for
  "before"); without "And" or "What about" ("Steam engine efficiency?") it is a fragment
  (rag/followup/ellipsis.py);
- a correction ("No, I meant the second oil crisis") → the previous question with it in
  place of what that question asked about;
- a comparison ("Which came first?", "Which one was bigger?") → the quotes that dated, or
  gave the amount of, the last two things asked about (rag/followup/compare.py);
- a bare short question ("Why?", "How many?", "In what year?") → the question plus what the
  previous question asked ("When? conquered Canary Islands");
- a few words naming nothing ("What convinced the oil producers?") → the same, as a new
  attribute of the previous topic. This and a fragment are guesses (`guessed`):
  rag/answer.py also reads the question as it stands and keeps the reading with the more
  probable best quote, so a new question ("When did the oil embargo end?" after the
  atmospheric engine) is not answered as "... end atmospheric engine?".
Interjections, a request's frame and a "please" around the question ("Interesting! when did it
end?") are dropped before it is resolved (rag/followup/filler.py); one that leans on nothing is
still searched as typed, as a first turn is.
A question that says its own referent (a topic fronted before a comma, a reported speaker) or
restates a whole question after "no, I meant" is read by that (rag/followup/bound.py).
A question that needs none of these is left as it is, and prefers no document, so a
change of topic is never locked onto the previous answer's document.
"""

from __future__ import annotations

import re

from rag.followup.bound import about, fronted, restated, self_bound, uncontracted
from rag.followup.casing import recased_turns, texts_to_read
from rag.followup.compare import by_size, compared, compares
from rag.followup.ellipsis import CORRECTION, ELLIPSIS_LEAD, corrected, elided, swap
from rag.followup.filler import unpadded
from rag.followup.history import MAX_EXCHANGES, recent_exchanges
from rag.followup.listed import ordinal_item
from rag.followup.more import asks_more, asks_next, continued_at, read_from
from rag.followup.person import (THEY, asked_about, asks_doer, asks_who, doer_in, of_person, people_in, person_in,
                                 placed)
from rag.followup.referents import (DEMONSTRATIVE, ONE, ONES, PERSON, THING, agreeing, as_named, definite,
                                    demonstrative, done_by, kept, named_by, own_possessor, substitute, termed)
from rag.followup.relative import shifted
from rag.followup.resolved import DocumentText, Locate, Passage, Resolved, Search, guessed
from rag.followup.spelling import respelt
from rag.followup.then import EXISTENTIAL, PLACE_WORD, TIME_WORDS, place_in, then, time_in, time_of
from rag.followup.words import GREETING, WORD, YEAR, content_words, names, topic
from rag.index import terms
from rag.types import Turn
from rag.vocabulary import Vocabulary, vocabulary


def resolve(question: str, history: list[Turn], locate: Locate | None = None,
            document_text: DocumentText | None = None, search: Search | None = None) -> Resolved:
    """The question made to stand alone from the recent exchanges (see the module doc); turns
    typed in lower case are read with the capitals the quoted documents (`document_text`) give
    their names, or when none was quoted, those the earlier questions find (`search`)
    (rag/followup/casing.py)."""
    question = question.strip()
    if asks_more(question) and (at := continued_at(history)) is not None:
        return _again(history, at, locate or (lambda turn: []), next_=asks_next(question) or _reading_on(history),
                      document_text=document_text, search=search)
    exchanges = recent_exchanges(history)
    if not exchanges:
        return Resolved(query=question)
    locate = locate or (lambda turn: [])
    replies = [locate(reply) if reply is not None else [] for _, reply in exchanges]
    ids = dict.fromkeys(p.document_id for quoted in replies for p in quoted)
    turns = [asked for asked, _ in exchanges] + [question]
    texts = texts_to_read(turns, [document_text(i) for i in ids] if document_text else [], search)
    *earlier, cased = recased_turns(turns, texts)
    # earlier questions are resolved first, so a third turn leans on a resolved second one
    known = vocabulary(texts)  # a slip ("electon") is read as these documents spell the word
    frame, quoted, entity, thing, answers = "", [], "", "", []
    for asked, located in zip(earlier, replies):
        asked = _typed(asked, known)
        previous = _resolve_one(asked, frame, quoted, entity, thing)
        quoted = located
        if guessed(previous) and _answered_alone(previous.entity, quoted):
            previous = standalone(asked)  # as answering chose: a new question, not a guess
        frame, entity = previous.query, previous.entity
        if not ("pronoun" in previous.leans_on and PERSON.search(asked)):
            thing = entity  # "its" is never the person "he" was: "its members" after "what happened to him"
        answers.append((entity, quoted))
    pair = compared(answers, by_size(question)) if compares(question) else []
    if pair:  # "Which came first?" after two dated answers; else it may pick among one answer's things
        return Resolved(query=question, leans_on=["compare"], compared=pair, entity=entity, asked_before=frame,
                        answered_before=quoted)
    resolved = _resolve_one(_typed(cased, known), frame, quoted, entity, thing, texts)
    if not resolved.leans_on:  # a question that stands alone is read as typed (its filler too, as a first turn's)
        resolved = resolved.model_copy(update={"query": question})
    else:  # "and what did it win" rewritten stands alone: its "and" only joined it to the conversation
        resolved = resolved.model_copy(update={"query": _joined(resolved.query)})
    return resolved.model_copy(update={"asked_before": frame, "answered_before": quoted})


_JOINING = re.compile(r"^\s*(?:and|but|so|also)\b[\s,]*(?=\w)", re.I)


def _joined(query: str) -> str:
    """The rewritten query without the "and" that joined the follow-up to the conversation, its
    first letter a capital as a question's is ("And what did it win" → "What did The Rocket win")."""
    rest = _JOINING.sub("", query)
    return rest[:1].upper() + rest[1:] if rest != query else query


def _typed(turn: str, known: Vocabulary) -> str:
    """A turn (already given the capitals the quoted documents give its words) as if typed with
    care: their spelling too, "whats" as "what is" (before spelling: it is no slip for "what")."""
    return respelt(uncontracted(turn), known)


def _again(history: list[Turn], at: int, locate: Locate, next_: bool = False,
           document_text: DocumentText | None = None, search: Search | None = None) -> Resolved:
    """"Tell me more": the question at history[at] read as it was, with every quote the
    conversation showed from the recent exchanges on (rag/followup/more.py). "What happened
    next?" (`next_`) reads on from the last answer only: after a decline, what came after an
    older answer is not what the user asks."""
    asked = history[at].content.strip()
    recent = [i for i, turn in enumerate(history) if turn.role == "user" and turn.content.strip()][-MAX_EXCHANGES:]
    answers = [locate(turn) for turn in history[min(at, *recent):] if turn.role == "assistant"]
    last = answers[-1:] if next_ else answers
    return resolve(asked, history[:at], locate, document_text, search).model_copy(update={
        "continues": asked, "shown_before": [p for quoted in answers for p in quoted],
        "read_from": next((quoted[0] if next_ else read_from(quoted, document_text) for quoted in reversed(last)
                           if quoted), None), "reads_on": next_})


def _reading_on(history: list[Turn]) -> bool:
    """Was the last question a "What happened next?"? Then "Tell me more" reads on further."""
    asked = [turn.content for turn in history if turn.role == "user" and turn.content.strip()]
    return bool(asked) and asks_next(asked[-1])


def standalone(question: str) -> Resolved:
    """The question read as it stands, leaning on nothing."""
    return Resolved(query=question, entity=topic(question))


def _resolve_one(question: str, frame: str, quoted: list[Passage], carried: str = "", thing: str = "", texts=()) -> Resolved:
    """`question` against the previous (resolved) question `frame`, the quotes that
    answered it, and the entity that question was itself resolved against (`carried`:
    a conversation that stays on one entity keeps it; `thing`: the last entity no person
    pronoun named, which "it" and "its" point at)."""
    greeted = GREETING.sub("", question)
    question = uncontracted(unpadded(greeted if WORD.search(greeted) else question))
    if not frame or not WORD.search(question):  # "???" leans on nothing
        return standalone(question)
    if again := restated(question):  # "no, I meant when did the embargo end": that question (rag/followup/bound.py)
        resolved = _resolve_one(again, frame, quoted, carried)
        return resolved if resolved.leans_on else resolved.model_copy(update={"leans_on": ["restated"]})
    if front := fronted(question):  # "back to france, when did it let algeria go": France, not the last topic
        inner = _resolve_one(about(*front), frame, quoted, carried, thing) if PERSON.search(front[0]) else None
        if inner and "pronoun" in inner.leans_on:  # "what about his nephew, ...": "his" is the conversation's
            return inner.model_copy(update={"leans_on": ["topic", *inner.leans_on]})
        return Resolved(query=about(*front), leans_on=["topic"], entity=front[0])
    if self_bound(question):  # "when opec said it would ...": the question names its own "it"
        return standalone(question)
    answer = " ".join(p.text for p in quoted)
    documents = list(dict.fromkeys(p.document_id for p in quoted))
    subject = carried or topic(frame)
    if asks_more(question):  # "Tell me more" earlier in the conversation: the question it continued
        return Resolved(query=frame, leans_on=["more"], entity=subject, prefer_documents=documents)
    if moved := shifted(question, frame, [p.text for p in quoted]):  # "and the year after?": that year itself
        query, whole = moved
        inner = Resolved(query=query, entity=subject, prefer_documents=documents) if whole else \
            _resolve_one(query, frame, quoted, carried, thing, texts)
        return inner.model_copy(update={"leans_on": [*inner.leans_on, "relative time"]})
    query, leans = question, []
    elliptical = elided(question)
    new = elliptical[0] if elliptical else ""
    if elliptical and not PERSON.search(new) and not THING.search(new):
        query, leans = swap(frame, new, texts), ["ellipsis" if elliptical[1] else "fragment"]
        if elliptical[1] and CORRECTION.search(question[:ELLIPSIS_LEAD.match(question).end()]) \
                and query == f"{frame.strip().rstrip('?').strip()} {new}?":
            query = corrected(frame, new) or query  # "No, I meant the second oil crisis"
        return Resolved(query=query, leans_on=leans, entity=_now_about(query, new, subject),
                        prefer_documents=documents if not _new_names(new, answer, frame) else [])
    if said := termed(query, subject):  # "Where does the word come from?": the word asked about
        query = said
        leans.append("term")
    if said := TIME_WORDS.search(query):
        before = (said.group(1) or "").lower() == "before"  # before the answer's first time, not its last
        when = time_of([p.text for p in quoted], before) or time_in(frame, before)
        if when:
            query = TIME_WORDS.sub(lambda m: then(m.group(1), when), query)
            leans.append("time")
    if PLACE_WORD.search(query) and not EXISTENTIAL.search(query):
        where = place_in(answer) or place_in(frame) or subject  # no place named: the thing itself
        if where:
            query = PLACE_WORD.sub(f"in {where}", query)
            leans.append("place")
    entity = ""
    if PERSON.search(query):
        # the person the best quote names (quotes come best first), else the question's
        named = asked_about(frame) or next((p for p in (person_in(q.text, frame) for q in quoted) if p), "")
        asked_who = asks_who(frame)
        found = [named] if asked_who else [*of_person(frame)[:1], named]
        # a one-word name the conversation said as a place is no one "he" can be ("When did Lahore die?")
        entity = next((n for n in found if n and not placed(n, f"{frame} {answer}")), "")
        if entity:
            query = substitute(query, PERSON, entity)
            leans.append("pronoun")
        elif asked_who or any(found):  # "he" is whoever answered "Who ...?", and no quote named anyone
            return Resolved(query=question, leans_on=["unresolved"], asked_before=frame)
    if listed := ordinal_item(query, answer) or ordinal_item(query, frame):
        query, entity = listed  # "the second one" after "the killer T cell and the helper T cell"
        leans.append("listed")
    if ONE.search(query) and subject:
        query = ONE.sub(lambda m: f"{m.group(1)} {subject}", query)
        leans.append("pronoun")
    shown = demonstrative(query)
    noun = WORD.match(query, shown.end()) if shown else None  # the lookahead holds a letter there
    named = named_by(noun.group(), answer, frame) if noun else ""
    if named:  # "that training" → the phrase the previous answer named it with
        query = f"{query[:shown.start()]}the {named}{query[noun.end():]}"
        entity = named
        leans.append("pronoun")
    if not leans and not _new_names(question, answer, frame) and (titled := definite(query, answer, frame)):
        query, entity = titled  # "Which king did the duke kill?" → "... did Duke William II of Normandy kill?"
        leans.append("definite")
    if THEY.search(query) and not PERSON.search(question) and (asks_doer(frame) or THEY.search(frame)):
        # "they" after "Who won ...?" is the winner, not what was won: the name the best quote
        # gives for who did it, else the pronoun stays and the answer's documents come first;
        # a "they" the previous question kept is the same "they"; with no doer named, a people
        # the question named ("the Acadians") is who "they" can be
        entity = (doer_in(quoted[0].text, frame) if quoted else "") or people_in(frame)
        query = substitute(query, THEY, entity) if entity else query
        leans.append("answer")
    elif (THING.search(query) and not own_possessor(query)) or demonstrative(query):
        entity = agreeing(done_by(frame, quoted) or as_named(thing or subject, quoted), query, people_in(frame))
        if entity:  # "that war" → "the war", then name it
            query = DEMONSTRATIVE.sub(lambda m, q=query: m.group() if kept(q, m) else "the ", query)
            query = substitute(query, THING, entity)
            if entity.lower() not in query.lower():
                query = f"{query.rstrip('?')} {entity}?"
            leans.append("pronoun")
    if not leans and len(content_words(question)) <= 1 and WORD.search(question):  # "???" asks nothing
        # what the previous question asked about, not only its topic: "When?" after "Who conquered
        # the Canary Islands?" is when they were conquered
        said = set(terms(question))  # "happened" is said already in "when did that happen"
        context = " ".join(w for w in content_words(frame)
                           if w.lower() not in question.lower() and not set(terms(w)) & said) or subject
        query, leans, entity = f"{question} {context}".strip(), ["short"], subject
    if not leans and not names(question) and subject and len(content_words(question)) <= 6 and not ONES.search(question):
        # a new attribute of the same entity, named by neither pronoun nor name
        # ("And which country was not badly hit?"): the previous topic comes along
        named = as_named(subject, quoted)  # "commission" → "Santer Commission", as for a pronoun
        query = f"{ELLIPSIS_LEAD.sub('', question).rstrip('?')} {named}?"
        leans, entity = ["attribute"], named
    if not leans:
        return standalone(question)
    prefer = documents if not _new_names(question, answer, frame) else []
    return Resolved(query=query, leans_on=leans, entity=entity or subject, prefer_documents=prefer)


def _now_about(query: str, new: str, subject: str) -> str:
    """What an elliptical follow-up is about: the new thing when it became what the question
    asks about ("And the steam pump?" after the atmospheric engine: "Which came first?" then
    compares the two), else the previous subject ("What about Japan?" still asks the price)."""
    asked = topic(query)
    return asked if asked and not YEAR.search(new) and set(terms(new)) & set(terms(asked)) else subject


def _answered_alone(subject: str, quoted: list[Passage]) -> bool:
    """Did the answer to a guessed follow-up leave the guessed subject out? Then answering
    read it as a new question (rag/answer.py), and the conversation goes on from there."""
    said = set(terms(" ".join(p.text for p in quoted)))
    return bool(quoted) and not said & set(terms(subject))


def _new_names(text: str, answer: str, frame: str) -> bool:
    """Does the follow-up name something neither the previous question nor its answer
    did? Then it has moved on, and the previous answer's document is not preferred."""
    known = f"{answer} {frame}".lower()
    return any(n.lower() not in known for n in names(text))
