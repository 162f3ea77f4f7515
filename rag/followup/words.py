"""The words a follow-up is read by: question words, auxiliaries, stop words, years and
dates, and what a question is about (`names`: the capitalised phrases it gives; `topic`:
its subject). Pure functions of the text; no conversation here."""

from __future__ import annotations

import re


WH = re.compile(r"^\s*(who|whom|whose|what|which|when|where|why|how)\b", re.I)
VERBISH = re.compile(r"\b(is|are|was|were|be|been|do|does|did|has|have|had|can|could|will|would|should|may|"
                     r"might|must|\w+ed|\w+es)\b", re.I)
YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
WHEN = re.compile(rf"\b(?:(?:\d{{1,2}} )?(?:{MONTHS})(?: \d{{1,2}})?,? (?:1[0-9]{{3}}|20[0-9]{{2}})|"
                  rf"(?:the )?(?:early |late |mid-)?(?:1[0-9]{{3}}|20[0-9]{{2}})s?|"
                  rf"the (?:\w+ )?(?:century|decade))\b")
# a name's lower-case joins: "Bank of England", "Ludwig van Beethoven", "Hassan al Banna"
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|de|von|van|and|al|el|bin|ibn|da|di|du|del|der|la|le)\s+)*"
                   r"(?:[A-Z]\.(?=\s+[A-Z])|[A-Z][\w'’-]*))*")
STOP = frozenset("""a an the of in on at to for from by with and or but as is are was were be been being do does
did has have had what which who whom whose when where why how that this these those it its they them their
there then he she his her him than so such not no any some many much more most other into over about after
before during between under up down out can could will would should may might must also very just only first
one new another""".split())
WORD = re.compile(r"[\w'’-]+")
# "hi! who drove ...?", "ok and what was he count of": a greeting is no part of what is asked
GREETINGS = r"hi|hello|hey|ok|okay|thanks|thank\s+you"
GREETING = re.compile(rf"^\s*(?:(?:{GREETINGS})\b[\s,.!;:]*)+", re.I)
# the words a correction opens with ("no, I meant ...", "sorry, in developing countries"), for
# both readings of one: a new term (rag/followup/ellipsis.py) or a whole question (bound.py)
CORRECTING = r"(?:no|nope|sorry|oops|actually|wait)\b"
# a verb that reports what someone said or decided: "OPEC said it would", "did they say that the war would end"
SAYING = (r"(?:say|says|said|announced?|announces|claim(?:s|ed)?|declared?|declares|stated?|states|promised?|"
          r"promises|agreed?|agrees|decided?|decides|threaten(?:s|ed)?|warn(?:s|ed)?|insist(?:s|ed)?|argued?|argues)")
# words that open a sentence with a capital they do not have elsewhere: "While Qutb's ideas ..."
_OPENERS = frozenset("""while although though because unless whereas despite following once if however meanwhile
moreover furthermore thus hence therefore yet still instead roughly""".split())


def content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() not in STOP]


def names(text: str) -> list[str]:
    """Capitalised phrases ("Thomas Newcomen", "Bank of England"), not the capital that
    only starts a sentence or a question word; leading/trailing "of/the/and" trimmed; a
    person's name said right after another name is a name of its own (`_split_person`)."""
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
        if at_sentence_start and (len(words) == 1 and words[0].lower() in STOP | _OPENERS | {"i"}):
            continue
        if at_sentence_start and words[0].lower() in STOP | _OPENERS:
            words = words[1:]
        if words:  # "Putin's decree" is about Putin
            words[-1] = re.sub(r"['’]s$", "", words[-1])
        if words and words[-1] and not YEAR.fullmatch(words[0]):
            out.append((" ".join(words), _ROLE_OF.search(text[:start]) is not None))
    alone = {phrase for phrase, _ in out}
    return [part for phrase, after_role in out for part in _split_person(phrase, after_role, alone)]


# a role said before "of": "the president of Harvard Joseph Willard" names an office's holder
ROLES = ("person|man|woman|individual|president|king|queen|duke|emperor|leader|ruler|general|commander|governor|"
         "minister|pope|bishop|author|writer|founder|inventor|scientist|explorer|chancellor|official|"
         "administrator|engineer|philosopher|professor|politician")
_ROLE_OF = re.compile(rf"\b(?:{ROLES})s?\s+of\s+(?:the\s+)?$", re.I)
_PARTICLE = re.compile(r"(?:[A-Z]\.|de|von|van|al|el|bin|ibn|da|di|du|del|der|la|le)")
# a name ending in one of these is an institution or a polity, not a person ("Harvard Corporation")
INSTITUTION = frozenset("""corporation university college company institute institution school society church
party council commission court committee parliament assembly government office department ministry agency bank
foundation association academy library museum press army navy union league states kingdom republic empire act
treaty""".split())
# a last word no person's name ends in: "Harvard Business School", "New York State"
_NOT_PERSON = INSTITUTION | frozenset("city state county province island river".split())


def _split_person(phrase: str, after_role: bool, alone: set[str]) -> list[str]:
    """The phrase as two names when it ends in a person's ("Joseph Willard": a first name, any
    initials or particles, a last name) after a name of its own, and the text tells the two
    apart: a role and "of" stood before it ("the president of Harvard Joseph Willard"), or the
    text gives the name before it alone too; a name of one piece otherwise ("Harvard Business
    School", "Secretary of State Henry Kissinger")."""
    words = phrase.split()
    first = len(words) - 2
    while first > 0 and _PARTICLE.fullmatch(words[first]):
        first -= 1  # "Hassan al Banna", "Charles W. Eliot"
    head = " ".join(words[:first])
    if first < 1 or not words[first - 1][0].isupper() or words[-1].lower() in _NOT_PERSON \
            or _PARTICLE.fullmatch(words[first]) or " of " in " ".join(words[first:]):
        return [phrase]
    return [head, " ".join(words[first:])] if after_role or head in alone - {phrase} else [phrase]


AUX = re.compile(r"\b(do|does|did|is|was|are|were|has|have|had|can|could|will|would)\b", re.I)
_HEADS = frozenset({"word", "term", "name", "concept", "idea", "notion"})
VERBS = frozenset("""come comes came protect protects use used mean means make made take took say said begin began
end ended start started lead led become became cause caused contain contains go went get got give gave work
worked serve served play played join joined found founded need needed help helped include included know known
call called build built run ran hold held win won lose lost fight fought rule ruled produce produced""".split())


def _modifies(words: list[str], i: int, subject: list[str]) -> bool:
    """Is the participle words[i] part of the subject, between its first word and a noun ("the
    earliest known reference"), rather than the question's verb ("When was it founded in ...")?"""
    word = words[i].lower()
    following = words[i + 1].lower() if i + 1 < len(words) else ""
    return bool(subject) and word.endswith(("ed", "n")) and bool(following) and following not in STOP \
        and following not in VERBS


def topic(question: str) -> str:
    """The thing a question is about: a name it gives, else the subject after its
    auxiliary ("When did the 1973 oil embargo end?" → "1973 oil embargo"), else its
    longest run of content words ("Who invented the atmospheric engine?" → "atmospheric engine")."""
    given = [n for n in names(question) if not re.fullmatch(MONTHS, n)]  # "the January 2006 election"
    # "Turing machine", not "Turing"; "Harvard's main campus", not "Harvard"
    given = [f"{n} {said}".replace(" 's", "'s").replace(" ’s", "’s") if (said := described(n, question)) else n
             for n in given]
    # "the Latin word", "the English name": a language, not what the question asks about
    given = [n for n in given if n.split()[-1].lower() not in _HEADS or len(n.split()) == 1]
    own = [n for n in given if not LOCATIVE.search(question[:question.find(n)])]
    if own:
        return max(own, key=len)
    # a name only where or when it happened ("the price of petrol in London") is not what is
    # asked about: "it" after that question is the price, not London; the name stays the
    # topic when the question has no subject of its own ("What happened in London?")
    return _subject(question) or (max(given, key=len) if given else _longest_run(question))


def modified(after: str) -> str:
    """The lower-case words right after a name that it modifies (" football team"), else ""."""
    end = 0
    for word in re.finditer(r"\s+([a-z][\w'’-]*)", after):
        said = word[1].lower()
        if word.start() != end or said in STOP or AUX.fullmatch(said) or said in VERBS or said.endswith("ed"):
            break
        end = word.end()
    return after[:end]


def described(name: str, text: str) -> str:
    """The noun a name only describes ("a Turing machine", "EU law", "Marxist conceptions"), up
    to three words; "" when the name is a thing of its own ("did Dyrrachium fall": after "did" the
    word that follows is the verb)."""
    at = text.find(name)
    if at < 0 or _DO_BEFORE.search(text[:at]):
        return ""
    after = text[at + len(name):]
    owner = re.match(r"['’]s(?=\s)", after)  # "Harvard's main campus": the campus
    nouns = []
    for word in modified(after[owner.end() if owner else 0:]).split():
        if len(nouns) == 3 or VERBISH.fullmatch(word) or word.endswith("ly"):
            break
        nouns.append(word)
    return f"{owner.group() if owner and nouns else ''} {' '.join(nouns)}".strip()


_DO_BEFORE = re.compile(r"\b(?:do|does|did|can|could|will|would|should|may|might|must)\s+(?:the\s+)?$", re.I)


# before a name that only says where or when: "in London", "at the Battle of Hastings", "in March 1974"
LOCATIVE = re.compile(r"\b(?:in|at|near|across|throughout|within|around)\s+(?:the\s+)?$", re.I)


def _subject(question: str) -> str:
    """The subject after the question's auxiliary ("When did the 1973 oil embargo end?" →
    "1973 oil embargo"), or the words before it when a verb follows ("What speed limit was
    imposed?" → "speed limit"); "" without an auxiliary."""
    body = WH.sub("", question)
    aux = AUX.search(body)
    if aux:
        asked = [w for w in WORD.findall(body[:aux.start()]) if w.lower() not in STOP]
        after = [w for w in WORD.findall(body[aux.end():]) if w.lower() not in STOP]
        if asked and after and (after[0].lower() in VERBS or after[0].lower().endswith("ed")):
            return " ".join(asked)  # "What speed limit was imposed in 1974?" is about the speed limit
        subject, verb = [], False
        words = WORD.findall(body[aux.end():])
        for i, word in enumerate(words):
            if word.lower() in {"of", "and"} and subject:
                subject.append(word)
                continue
            if word.lower() in VERBS and not _modifies(words, i, subject):
                verb = True
                break
            if subject and word.lower() in STOP:
                verb = AUX.fullmatch(word) is not None  # "What does the immune system do?"
                break
            if word.lower() not in STOP:
                subject.append(word)
        while subject and subject[-1] in {"of", "and"}:
            subject.pop()
        if aux.group().lower() in _BARE_VERB_AFTER and not verb and len(subject) > 1 and subject[-1].islower():
            # after "did" or "can" the subject is followed by its verb, and one not known stands last:
            # "When did the steam engine appear in England?" is about the steam engine, "How long can
            # the reservist training last?" about the training
            subject.pop()
        if len(subject) > 1 and subject[0].lower() in _HEADS:  # "the word imperialism" is about imperialism
            subject.pop(0)
        if subject:
            return " ".join(subject)
    return ""


_BARE_VERB_AFTER = frozenset("do does did can could will would".split())


def _longest_run(question: str) -> str:
    """The question's longest run of content words ("Who invented the atmospheric engine?"
    → "atmospheric engine")."""
    body = WH.sub("", question)
    runs, run = [], []
    for word in WORD.findall(body):
        if word.lower() in STOP or word.lower() in VERBS or (VERBISH.fullmatch(word) and not run):
            if run:
                runs.append(run)
            run = []
        else:
            run.append(word)
    if run:
        runs.append(run)
    runs = [r for r in runs if not (len(r) == 1 and VERBISH.fullmatch(r[0]))]
    # "the concept of duty" is about duty: a lone "concept", "term" or "idea" only heads it
    runs = [r for r in runs if not (len(r) == 1 and r[0].lower() in _HEADS)] or runs
    return " ".join(max(runs, key=len)) if runs else ""
