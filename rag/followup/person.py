"""The person a person pronoun ("he", "her") points at: the one a "Who was <name>?"
question named, else the name the previous answer gives for what that question asked
("their leader Rollo", "invented by Thomas Newcomen"), and never an institution ("Harvard
Corporation"); and whom "they" points at after "Who won ...?": the name the answer gives
for who won, else no one (the pronoun stays). Only names in the conversation's own text
are returned."""

from __future__ import annotations

import re

from rag.followup.words import (INSTITUTION, LOCATIVE, MONTHS, ROLES, STOP, VERBS, WHEN, YEAR, content_words, described,
                                names)
from rag.index import terms


ASKS_WHO = re.compile(rf"^\s*(?:who|whom|whose|(?:which|what)\s+(?:\w+\s+)?(?:{ROLES})s?)\b", re.I)
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was|are|were)\s+(.+?)[\s?.!]*$", re.I)


# "Who did King Malcolm marry?" asks for whom the name in it did something to: "he" is that name
_ASKS_OBJECT = re.compile(r"^\s*(?:who|whom)\s+(?:did|does|do|has|have|had|will|would|can|could)\s+", re.I)
# "Who was the first president of Harvard?", "Which president ...?": the holder of an office
_ROLE_ASKED = re.compile(rf"^\s*(?:who\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?|"
                         rf"(?:which|what)\s+(?:[\w-]+\s+)?)({ROLES})s?\b", re.I)


# "Who did Nixon name first Administrator of ...?" asks who came to hold an office: the answer
_MADE_ROLE = re.compile(rf"\b(?:{ROLES})s?\b", re.I)


def asks_who(frame: str) -> bool:
    """Does the question ask who someone is or who did something, so that "he" after it is
    the person its answer names? Not "Who did King Malcolm III marry?": "he" is the king;
    but "Who did Nixon name Administrator of ...?" asks who came to hold the office named, and
    "Who did Nixon name to run ...?" whom he chose (`_CHOOSING`)."""
    if ASKS_WHO.match(frame) is None:
        return False
    done_to = _ASKS_OBJECT.match(frame)
    if done_to is None:
        return True
    verb, after = _verb_and_after(frame[done_to.end():])
    return verb.lower() in _CHOOSING or _MADE_ROLE.search(after) is not None


# "Who did Nixon name to run the Federal Energy Office?", "Who did they send?": whoever was chosen
_CHOOSING = frozenset("""name names named appoint appoints appointed choose chooses chose pick picks picked select
selects selected elect elects elected nominate nominates nominated hire hires hired send sends sent""".split())


def _verb_and_after(asked: str) -> tuple[str, str]:
    """The verb of "Who did <name> <verb> ...?" and what it says after it ("first Administrator
    of ..."); ("", "") when no name stands first."""
    name = next((n for n in names(asked) if asked.startswith(n)), "")
    verb, _, after = asked[len(name):].strip().partition(" ")
    return (verb, after) if name else ("", "")


def holds_role(answer: str, frame: str) -> bool:
    """Does the answer say the office the question asks the holder of? A quote that never says
    "president" names no president: "John Harvard (its first benefactor)" did not answer "Who
    was the first president of Harvard?", and "he" after it is no one the conversation named."""
    role = _ROLE_ASKED.match(frame)
    if role is None:
        return True
    for name in names(answer):  # not the office inside an institution's name ("the President and Fellows of ...")
        if not person_like(name) and name not in frame and not _OFFICE.match(name):
            answer = answer.replace(name, " ")
    return bool(set(terms(role[1])) & set(terms(answer)))


_OFFICE = re.compile(rf"(?:{ROLES})s?\s+of\b", re.I)  # "Administrator of the Federal Energy Office" is an office


def of_person(frame: str) -> list[str]:
    """The names a question gives that may be a person's: not one said after an article ("the
    Normans", "a Commissioner"), which is a people, a country or a common noun, nor an
    institution's or an acronym (`person_like`)."""
    return [n for n in names(frame) if not re.search(r"\b(?:the|a|an)\s+$", frame[:frame.find(n)], re.I)
            and person_like(n)]


def asked_about(frame: str) -> str:
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


_MONTH = re.compile(rf"(?:{MONTHS})")
_DOER_AUX = "had|has|have|was|were|is|are|did|does|had been|has been|been|then|also|first|later"




def person_like(name: str) -> bool:
    """Could the name be a person's? Not when its last word names an institution or a polity,
    nor when it is an acronym ("EU", "OPEC", "ISW"): "he" after "the first case about EU law" is
    the person its answer names."""
    return name.split()[-1].lower() not in INSTITUTION and not (name.isupper() and len(name) > 1)


# where a one-word name is a place: "in Lahore", "back to Lahore", "the city of Lahore", "Lahore is a city"
_PLACE_CUES = (r"\b(?:in|at|from|near|(?:back|return\w*|mov\w*|went|go|goes|came|come|travel\w*|sail\w*|fled)"
               r"\s+to)\s+(?:the\s+)?{name}\b|\b(?:city|town)\s+(?:of\s+)?{name}\b|\b{name}\s+(?:city|town)\b|"
               r"\b{name}\s+(?:is|was)\s+(?:a|an|the)\s+(?:[\w-]+\s+){{0,2}}(?:city|town|capital)\b|"
               # "the fort the French called Carillon and the British called Ticonderoga"
               r"\b(?:city|town|village|fort|castle|port|island|river|settlement)\b[^.;,]{{0,60}}?\bcalled\s+{name}\b")


def placed(name: str, text: str) -> bool:
    """Did the conversation say this one-word name as a place ("in Lahore", "the city of
    Lahore", "the fort the British called Ticonderoga")? Then "he" is not it: "When did he
    die?" after a question about Lahore is not
    "When did Lahore die?". A name of two or more words is left to `person_like`."""
    if " " in name.strip():
        return False
    return re.search(_PLACE_CUES.format(name=re.escape(name)), text, re.I) is not None


def _told(answer: str, question: str) -> list[str]:
    """The names the answer gives that the question did not, a list split into its names
    ("Denmark, Iceland and Norway"), with no month or date."""
    asked = set(terms(" ".join(names(question))))
    return [part for n in names(answer) for part in n.split(" and ")
            if not WHEN.fullmatch(part) and not _MONTH.fullmatch(part)  # not "July" of "July 9, 1755"
            and not set(terms(part)) <= asked]  # not "Norman" for "Normans"


def _place_or_people(name: str, answer: str) -> bool:
    """Does the answer say the name as a place ("governors in North America met with General
    Edward Braddock") or a people ("the British", "3,600 Frenchmen": a count is of many, and a
    year is no count)? Neither is the person "he" points at."""
    at = answer.find(name)
    count = re.search(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+$", answer[:at]) if at >= 0 else None  # "3,600 Frenchmen"
    return name.lower().startswith("the ") or (at >= 0 and LOCATIVE.search(answer[:at]) is not None) \
        or (count is not None and not YEAR.fullmatch(count[1]))


def _describing(name: str, answer: str) -> bool:
    """Is a one-word name only a describing word ("Marxist conceptions"), or a name of any length
    ending in a people's word before a noun ("Native American allies")? One that owns what follows
    ("Qutb's ideas") may well be a person."""
    if _PEOPLES_WORD.search(name) and (after := re.match(r"\s+([a-z][\w-]*)", answer[answer.find(name) + len(name):])):
        return after[1] not in STOP and after[1] not in VERBS and not after[1].endswith("ed")  # "American allies"
    return " " not in name and described(name, answer)[:1] not in ("", "'", "’")


# the ending of a word naming a people's things: "American", "Canadian", "Japanese", "British"
_PEOPLES_WORD = re.compile(r"(?:ican|ian|ese|ish)$")


# between a doer and its verb: "Braddock (with George Washington as one of his aides) led",
# "Frank Burnet, inspired by a suggestion made by Niels Jerne, formulated"
_ASIDE = r"(?:\s*\([^)]*\)|,[^,;.()]*,)?"
# a second doer joined to the first: "Jean de Bethencourt and the Poitevine Gadifer de la Salle conquered"
_CO_DOER = r"(?:\s+and\s+[^,;.()]{1,60}?)?"


def _doers(answer: str, question: str, told: list[str]) -> list[str]:
    """The names that do what the question's verb says: "Conant led", "named for John Harvard",
    "invented by Savery", also "... and by Branca"."""
    lowered = answer.lower()
    acts = [w.lower()[:max(4, len(w) - 2)] for w in content_words(question)
            if w.lower() in VERBS or (len(w) > 4 and w.lower().endswith("ed"))]
    doers = []
    for stem in acts:
        for named in told:
            at = answer.find(named)
            doer = re.match(rf"{_ASIDE},?{_CO_DOER}\s+(?:(?:{_DOER_AUX})\s+)*(?:\w+ly\s+)?{re.escape(stem)}",
                            lowered[at + len(named):])
            if doer and re.search(r"\bby\s+(?:the\s+)?$", lowered[:at]):
                doer = None  # "made by Niels Jerne, formulated": Jerne made, someone else formulated
            done = re.search(rf"\b{re.escape(stem)}\w*\s+(?:by|for|after)\s+(?:the\s+)?"
                             rf"(?:[^;:.]*\band\s+(?:by|for|after)\s+(?:the\s+)?)?$", lowered[:at])
            if (doer or done) and named not in doers:
                doers.append(named)
    return doers


def person_in(answer: str, question: str) -> str:
    """The person a person pronoun points at: a name the answer gives right after one of the
    question's words ("their leader Rollo" for "Who was the leader ...?"), else the name that
    does what the question's verb says ("Henry Kissinger had negotiated", "named for John
    Harvard"; a month is no name: "July 9"), else, of the names of two or more words the
    answer gives that the question did not (of those doers, if several), the one nearest the
    question's own words; else any name it gave. A name that ends in an institution's word
    ("Harvard Corporation") is no person's, nor a place or a people ("in North America", "the
    British": `_place_or_people`), and an answer that never says the office asked
    about ("Who was the first president ...?") names no one (`holds_role`)."""
    if not holds_role(answer, question):
        return ""
    told = [n for n in _told(answer, question) if person_like(n) and not _describing(n, answer)
            and not _place_or_people(n, answer) and not placed(n, answer)]
    people = [_titled(n) for n in told if len(_titled(n).split()) >= 2] or told
    people = [re.sub(r"['’]s$", "", n) for n in people]  # "Charles W. Eliot's long tenure"
    if not people:
        return ""
    lowered = answer.lower()
    stems = [w.lower()[:max(4, len(w) - 2)] for w in content_words(question) if len(w) > 2]
    for stem in stems:  # in apposition to the question's word: "their leader Rollo", "duke, William"
        for match in re.finditer(rf"\b{re.escape(stem)}\w*,?\s+", lowered):
            named = next((n for n in told if answer.startswith(n, match.end())), "")
            if named:
                return re.sub(r"['’]s$", "", _titled(named) or named)
    doers = _doers(answer, question, told)
    if doers:  # more than one: the nearest the question's words, as below
        doers = [re.sub(r"['’]s$", "", _titled(n) or n) for n in doers]
        people = [n for n in doers if len(n.split()) >= 2] or doers
        if len(people) == 1:
            return people[0]
    cues = [m.start() for stem in stems for m in re.finditer(re.escape(stem), lowered)]
    if not cues:
        return people[0]
    return min(people, key=lambda n: min(abs(answer.find(n) - c) for c in cues))


# "they" after a "Who won ...?": whoever answered it, not the thing it was about
THEY = re.compile(r"\b(they|them|their|theirs)\b", re.I)


def asks_doer(frame: str) -> bool:
    """Does the question ask who did something ("Who won the Rose Bowl in 1920?"), rather than
    who someone is ("Who were the Normans?")? "They" after it is whoever did it."""
    return ASKS_WHO.match(frame) is not None and _WHO_IS.match(frame) is None


def people_in(frame: str) -> str:
    """A people the question names with "the" and a plural ("the Acadians", "the Normans"), else
    "": "them" after "Who ordered the deportation of the Acadians?", whose answer names one
    person as the doer, is that people."""
    return next((n for n in names(frame) if re.search(r"\bthe\s+$", frame[:frame.find(n)], re.I)
                 and re.search(r"[^s]s$", n) and " " not in n), "")


def doer_in(answer: str, question: str) -> str:
    """The name the answer gives for who did what the question's verb says ("Hamas won"), a
    group or a person; "" when it names none (", it won the majority": "it" is no name)."""
    doers = _doers(answer, question, _told(answer, question))
    return re.sub(r"['’]s$", "", doers[0]) if doers else _opening_doer(answer, question)


# the answer's subject, a name and its verb: "The Iroquois Confederation dominated ..."
_OPENS = re.compile(r"^\s*(?:[Tt]he\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*)\s+"
                    r"(?:(?:had|has|have|was|were|also|then|first)\s+)?[a-z]+ed\b")


def _opening_doer(answer: str, question: str) -> str:
    """The name the answer opens with as the subject of a past verb, when the question did not
    name it: who did it, said with another verb ("Who controlled upstate New York?" → "The
    Iroquois Confederation dominated ..."); "" otherwise."""
    opens = _OPENS.match(answer)
    return opens["name"] if opens and opens["name"] in _told(answer, question) else ""
