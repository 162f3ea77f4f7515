"""What a thing pronoun or a demonstrative names: "it", "their", "that training", "the
second one", and whether a possessive points back into the question itself rather than
at the conversation. The name returned is one an earlier turn wrote ("Treaty of Paris"
for "the treaty"); nothing is made up."""

from __future__ import annotations

import re

from rag.followup.resolved import Passage
from rag.followup.words import AUX, SAYING, STOP, VERBS, WORD, names
from rag.index import terms


PERSON = re.compile(r"\b(he|she|him|his|her|hers|himself|herself)\b", re.I)
THING = re.compile(r"\b(it|its|itself|they|them|their|theirs)\b|\b(this|that|these|those)\b(?=\s*[?.!,]?$)", re.I)
# not "those who used more": a relative after it points at no earlier turn; nor "said that the
# war ...": a determiner is never followed by an article or a pronoun, so that "that" opens a clause
DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those)\s+(?=(?!is\b|was\b|are\b|were\b|has\b|had\b|did\b|does\b|"
                           r"do\b|can\b|could\b|would\b|will\b|time\b|year\b|date\b|point\b|who\b|whom\b|"
                           r"whose\b|which\b|the\b|an?\b|he\b|she\b|it\b|they\b|we\b|i\b|you\b|his\b|her\b|"
                           r"its\b|their\b|our\b|my\b|your\b|"
                           # nor "is that enough", "was that true": a word no noun is, so "that" is the pronoun
                           r"enough\b|true\b|right\b|correct\b|so\b|much\b|many\b|all\b|because\b|why\b|how\b|"
                           r"when\b|where\b|what\b|still\b|also\b|not\b|just\b|only\b|really\b)[a-z])", re.I)
ONE = re.compile(r"\b(first|second|third|other|next|last|same|earlier|later|previous) one\b", re.I)
# "when will the 2026 ones be held": the question says which of a thing it asks about, by its own
# modifier; the previous topic appended after it is a second thing, not the one "ones" stands for
ONES = re.compile(r"\bthe\s+[\w-]+\s+ones\b", re.I)


def substitute(question: str, pattern: re.Pattern, value: str) -> str:
    def repl(match: re.Match) -> str:
        word = match.group(0)
        if word.lower() in {"his", "her", "its", "their", "theirs", "hers"}:
            return f"{value}'s" if word.lower() != "her" else value
        return value
    return pattern.sub(repl, question)


# "the word" with no word after it: "Where does the word come from?", "Who first used the term?";
# not "the name of the king", which names its own thing
TERM = re.compile(r"\b(?:the|this|that)\s+(word|term|name)\b(?=\s+(?:comes?|came|means?|meant|derived?|derives|"
                  r"originated?|originates|first|originally|refers?|referred|used?|appeared?|describes?|described)"
                  r"\b|\s*[?.!]*$)", re.I)


def termed(question: str, subject: str) -> str:
    """The question with the term the conversation asked about after a bare "the word" ("Where
    does the word come from?" after "Who were the Normans?" → "... the word Normans come
    from?"); "" when it has no such "the word" or there is no subject."""
    if not subject or not TERM.search(question):
        return ""
    return TERM.sub(lambda m: f"the {m[1]} {subject}", question, count=1)


_DO_AUX = re.compile(r"\b(?:do|does|did|can|could|will|would|should|may|might|must)\s+", re.I)
_PRONOUNS = frozenset("it its they them their he she him his her this that these those there".split())


def own_possessor(query: str) -> bool:
    """Does the question's only thing-pronoun, a possessive, point back into the question
    itself ("What did the society newsletter print in its masthead?": the newsletter's)? So
    when the subject after a do or modal auxiliary is a name or a "the ..." phrase and a verb
    stands between it and the possessive; "What did they do with their army?" leans on the
    conversation, and so does "What was the population of its capital?" (no such subject)."""
    if any(m.group(0).lower() not in {"its", "their"} for m in THING.finditer(query)):
        return False
    aux = _DO_AUX.search(query)
    possessive = THING.search(query, aux.end()) if aux else None
    if possessive is None:
        return False
    before = query[aux.end():possessive.start()].split()
    return (len(before) >= 2 and before[0].lower() not in _PRONOUNS
            and (before[0].lower() == "the" or before[0][:1].isupper()))


def relative(question: str, shown: re.Match) -> bool:
    """Is this "that" a relative pronoun ("the treaty that ended the war"), not a
    demonstrative ("did that journey end")? After a noun and before a verb, a pronoun, an
    article or a name it is."""
    if shown.group().split()[0].lower() != "that":
        return False
    before = re.search(r"([\w'’-]+)\s*$", question[:shown.start()])
    after = WORD.match(question, shown.end())
    if before is None or after is None:
        return False
    noun, next_word = before.group(1).lower(), after.group()
    after_noun = noun not in STOP and noun not in VERBS and not AUX.fullmatch(noun) and not noun.endswith("ed")
    before_verb = next_word.lower().endswith("ed") or next_word.lower() in VERBS | STOP or next_word[0].isupper()
    return after_noun and before_verb


_AUX_BEFORE = re.compile(r"\b(?:do|does|did|can|could|will|would|should|may|might|must)\s+$", re.I)
_VERB_LAST = re.compile(r"\s*[\w'’-]+[\s?.!]*$")


def pronoun(question: str, shown: re.Match) -> bool:
    """Is this "that" the subject pronoun before the question's verb ("When did that
    change?"), not a determiner ("that change")? So after a do or modal auxiliary, with one
    word, the verb, after it."""
    return (_AUX_BEFORE.search(question[:shown.start()]) is not None
            and _VERB_LAST.fullmatch(question, shown.end()) is not None)


def kept(question: str, shown: re.Match) -> bool:
    """Does this "this/that ..." not point back as a determiner (a relative or a pronoun)?"""
    return relative(question, shown) or pronoun(question, shown)


def demonstrative(question: str) -> re.Match | None:
    """The first "this/that/these/those <word>" that points back, not a relative "that" or a
    pronoun before its verb."""
    return next((m for m in DEMONSTRATIVE.finditer(question) if not kept(question, m)), None)


_RUN_BREAK = re.compile(r"[^\w\s'’-]")


_PLURAL = frozenset({"they", "them", "their", "theirs"})


def agreeing(entity: str, query: str, people: str = "") -> str:
    """What only a plural pronoun can point at, when the entity is one thing: the owner of a
    possessed thing (after "how big is Harvard's endowment", "how many students do they teach"
    is about Harvard, an organisation, not its one endowment), else the people the previous
    question named ("they" after "when did the Normans take Dyrrachium" are the Normans)."""
    said = {m.group(0).lower() for m in THING.finditer(query)}
    if not said or not said <= _PLURAL or entity.endswith("s"):
        return entity
    owned = re.fullmatch(r"(.+?)['’]s\s+(\S+(?:\s+\S+)?)", entity)
    return owned[1] if owned else people or entity


def as_named(subject: str, quoted: list[Passage]) -> str:
    """A common noun the previous question asked about, under the name its best quote gives
    it: after "Who signed the treaty that ended the war in 1763?", "Where was it signed?" is
    about the Treaty of Paris, not any treaty."""
    if not quoted or " " in subject or not subject.islower():
        return subject
    return _name_holding(set(terms(subject)), quoted[0].text) or subject


_WHAT_DID = re.compile(r"^\s*what\s+(?:did|does|do)\s+", re.I)


def done_by(frame: str, quoted: list[Passage]) -> str:
    """What "it" is after "What did Thomas Savery patent?": not the person, the thing the best
    quote says was done ("patented a steam pump that ..." → "steam pump"); "" otherwise."""
    asked = _WHAT_DID.match(frame)
    doer = next((n for n in names(frame) if asked and frame.startswith(n, asked.end())), "")
    verb = re.match(r"\s+([a-z]+)\b", frame[asked.end() + len(doer):]) if doer else None
    if verb is None or not quoted:
        return ""
    stem = verb[1][:max(4, len(verb[1]) - 2)]
    done = re.search(rf"\b{re.escape(stem)}\w*\s+(?:(?:a|an|the|his|her|their|its)\s+)?((?:[\w-]+\s+){{0,2}}[\w-]+)",
                     quoted[0].text, re.I)
    words = []
    for word in (done[1].split() if done else []):
        if word.lower() in STOP or AUX.fullmatch(word) or word.lower() in VERBS:
            break
        words.append(word)
    return " ".join(words)


def definite(question: str, *texts: str) -> tuple[str, str] | None:
    """The question with "the <noun>" as the name an earlier turn gave it ("the duke" → "Duke
    William II of Normandy", "the war" → "French and Indian War", "the Italian court" → "Italian
    Constitutional Court"), and that name; None when no name of two or more words holds the noun
    (and its capitalised modifier)."""
    for said in re.finditer(r"\bthe\s+(?:([A-Z][\w-]*)\s+)?([a-z][\w-]*)\b(?!\s+of\b)", question):
        stem = set(terms(said[2]))
        if said[2] in STOP or not stem or _reported(question, said):
            continue
        for text in texts:  # "the Italian court": a name holding the modifier too ("Italian Constitutional Court")
            if name := _name_holding(stem, text, set(terms(said[1] or ""))):
                return f"{question[:said.start()]}{name}{question[said.end():]}", name
    return None


_SAID_BEFORE = re.compile(rf"\b{SAYING}\s+(that\s+)?$", re.I)
_VERB_AFTER = re.compile(r"\s+(?:do|does|did|is|was|are|were|has|have|had|can|could|will|would|may|might|should|"
                         r"must|\w+ed)\b", re.I)


def _reported(question: str, said: re.Match) -> bool:
    """Does this "the <noun>" open a clause that a verb of saying reports ("did they say that the
    war would end", "who said the war was over")? The clause gives someone's words, which the
    documents report as said; naming it there put one war's name in any speaker's mouth, and
    the "that" before that name then read as a demonstrative, and "they" as the war itself
    ("did French and Indian War say the French and Indian War would end"). "announce the
    treaty", with no verb after it, is a thing announced and is still named."""
    verb = _SAID_BEFORE.search(question, 0, said.start())
    return verb is not None and (verb[1] is not None or _VERB_AFTER.match(question, said.end()) is not None)


def _name_holding(stem: set[str], text: str, modifier: frozenset[str] | set[str] = frozenset()) -> str:
    """The first name of two or more words in the text with a word of this stem ("Treaty of
    Paris" for "treaty"), and a word of the modifier's stem when one is given; else ""."""
    return next((name for name in names(text)
                 if len(name.split()) > 1 and any(set(terms(w)) == stem for w in name.split())
                 and (not modifier or any(set(terms(w)) == modifier for w in name.split()))), "")


def named_by(noun: str, *texts: str) -> str:
    """The fuller phrase an earlier turn gave the thing a demonstrative points at ("that
    training" → "military training assemblies"): a name holding the noun, else the run of
    content words around it (at most four), in the first text that has one."""
    stem = set(terms(noun))
    if not stem or noun.lower() in STOP:
        return ""
    for text in texts:
        if named := _name_holding(stem, text):
            return named
        for piece in _RUN_BREAK.split(text):
            run: list[str] = []
            for word in [*WORD.findall(piece), "the"]:
                if word.lower() not in STOP and not AUX.fullmatch(word):
                    run.append(word)
                    continue
                at = [i for i, w in enumerate(run) if set(terms(w)) == stem]
                if at and len(run) > 1:
                    i = at[0]
                    return " ".join(run[max(0, i - 2):i + 2])
                run = []
    return ""
