"""What a follow-up says itself that would otherwise be read off the conversation.

- A fronted topic ("back to france, when did it let algeria go", "and karp, how many problems
  did he show were np-complete", "as for the dutch, what did they do"): the phrase before the
  comma is what the pronoun after it names, not the previous answer's subject (`fronted`).
- A reported speaker ("when opec said it would price oil in gold"): the pronoun right after
  "X said" is X, inside the question (`self_bound`).
- A correction that says a whole question again ("no, I meant when did the embargo end"): the
  question after the lead is what is asked (`restated`).
- A contracted question word ("what's", "who's", or "whats" typed without its apostrophe): the
  "is" is a word of the question (`uncontracted`), so its subject is read as in "what is".
Invariant: only the question's own words are returned, moved or dropped, never new ones.
"""

from __future__ import annotations

import re

from rag.followup.referents import PERSON, THING, substitute
from rag.followup.words import AUX, CORRECTING, INSTITUTION, SAYING, STOP, WH, content_words, names

# "back to X,", "going back to X,", "as for X,", "regarding X,", "what about X,", or a bare "and X,"; a dash
# closes X as a comma does ("back to the tapestry - who commissioned it?"), a hyphen in a word does not
_FRONT = re.compile(r"^\s*(?:(?:and|but|so|now|ok|okay|also)\b[\s,]*)?"
                    r"(?P<lead>(?:(?:going|coming|getting|turning|switching)\s+)?back\s+to|as\s+(?:for|to|regards)|"
                    r"regarding|(?:what|how)\s+about)?\s*(?P<topic>[^,;:?!.]{1,60}?)\s*(?:[,;:]|\s[-–—])\s*"
                    r"(?P<rest>\S.*)$", re.I)
_AND = re.compile(r"^\s*(?:and|but|now)\b", re.I)
# "and in 1974, what did it cost": a time or place said first is no topic
_ADVERBIAL = re.compile(r"^(?:in|at|on|by|after|before|during|since|from|for|with|to|of|until|under|over)\b", re.I)
MAX_TOPIC_WORDS = 5  # "the french and indian war": a noun phrase, not a clause
# a speaker and the pronoun that reports what it said: "OPEC said it would", "Rollo agreed that he"
_REPORTED = re.compile(rf"\b([\w'’-]+)\s+{SAYING}\s+(?:that\s+)?(he|she|it|they)\b", re.I)
# "I was asking", "I wanted to know" lead only a whole question, never a new term: so here, not in ellipsis.py
_CORRECTION_LEAD = re.compile(rf"^\s*(?:{CORRECTING}[\s,.!;:-]*)+"
                              r"(?:i\s+(?:mean[t]?|was\s+asking|wanted\s+to\s+know)\s+)?", re.I)
_CONTRACTED = re.compile(r"\b(who|what|where|when|why|how|which|that|there)['’]s\b", re.I)
# the same typed without its apostrophe, as chat often is: "whats the worst case", "wheres it"
_UNMARKED = re.compile(r"\b(who|what|where|how|that|there)s\b(?=\s+\w)", re.I)


def uncontracted(question: str) -> str:
    """The question with "what's", "who's", "where's" said as "what is" ... (see the module doc)."""
    return _UNMARKED.sub(lambda m: f"{m.group(1)} is", _CONTRACTED.sub(lambda m: f"{m.group(1)} is", question))


def fronted(question: str) -> tuple[str, str] | None:
    """(topic, question) when the question fronts its topic before a comma and then asks a
    whole question about it ("back to france, when did it let algeria go" → ("france",
    "when did it let algeria go")); None otherwise. Without a lead ("back to", "as for") only
    "and X, ..." with a name for X fronts a topic: "well, ...", "and back then, ..." do not;
    nor does a time or place said first ("and in 1974, ...")."""
    match = _FRONT.match(question)
    if match is None:
        return None
    topic, rest = match["topic"].strip(), match["rest"].strip()
    if not (match["lead"] or _AND.match(question)) or not (WH.match(rest) or AUX.match(rest)):
        return None
    topic = re.sub(r"^(?:and|but|now)\s+", "", topic, flags=re.I)
    words = topic.split()
    if not content_words(topic) or len(words) > MAX_TOPIC_WORDS or WH.match(topic) or AUX.search(topic) \
            or _ADVERBIAL.match(topic):
        return None
    # without a lead only a name is fronted: "and karp, ..." (recased "Karp"), not "and back then, ..."
    return (topic, rest) if match["lead"] or names(topic) else None


def about(topic: str, question: str) -> str:
    """The question with its pronoun naming the fronted topic ("when did it let algeria go" →
    "when did france let algeria go"), else the topic added at its end."""
    for pattern in (PERSON, THING):
        if pattern.search(question):
            return substitute(question, pattern, topic)
    return f"{question.rstrip('?').rstrip()} {topic}?"


def self_bound(question: str) -> bool:
    """Is every pronoun of the question a reported speaker's own ("when OPEC said it would
    price oil in gold")? Then the question names what its pronoun points at. The pronoun must
    agree with the speaker: "he" or "she" a name ("Rollo said he ..."), "it" or "they" an
    organisation's (an acronym, or a name ending "Company", "Party" ...); "Watt said it was
    inefficient" is about something else."""
    pronouns = [m.start() for pattern in (PERSON, THING) for m in pattern.finditer(question)]
    reported = [m.start(2) for m in _REPORTED.finditer(question) if _agrees(m[1], m[2], question[:m.end(1)])]
    return bool(pronouns) and set(pronouns) <= set(reported)


def _agrees(speaker: str, pronoun: str, before: str) -> bool:
    """Can this pronoun be the speaker's (see `self_bound`)? `before` is the question up to the speaker."""
    named = next((n for n in reversed(names(before)) if before.endswith(n)), "")
    if not named or speaker.lower() in STOP:
        return False
    if pronoun.lower() in {"he", "she"}:
        return not (named.isupper() or named.split()[-1].lower() in INSTITUTION)
    return (named.isupper() and len(named) > 1) or named.split()[-1].lower() in INSTITUTION


def restated(question: str) -> str:
    """The question after a correction's lead when it asks a whole question again ("no, I meant
    when did the embargo end" → "when did the embargo end"); "" otherwise: "No, in developing
    countries" only gives the new term (rag/followup/ellipsis.py)."""
    lead = _CORRECTION_LEAD.match(question)
    if lead is None or not lead.group().strip():
        return ""
    rest = question[lead.end():].strip()
    return rest if WH.match(rest) and len(rest.split()) > 2 else ""
