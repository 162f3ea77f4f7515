"""What a name undergoes in the documents the conversation quoted: is it said as one done to
("Korea was annexed in 1910", "Japan absorbed Taiwan") more than as a doer ("Japan took ...")?
"What about Korea?" after "When did Japan take Taiwan?" then takes the place of the name the
question's verb acts on, not of its doer: a name is swapped for one that plays the same part.
Invariant: only the documents' own sentences are read; nothing is added to the question here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.followup.words import AUX, STOP

# "was annexed", "had been taken": a passive after the name says something was done to it
_PASSIVE_AFTER = r"\s+(?:was|were|is|are|had\s+been|has\s+been|have\s+been|being)\s+(?:\w+ly\s+)?[a-z]+(?:ed|en|wn|ht)\b"
_VERB_AFTER = r"\s+(?:\w+ly\s+)?([a-z]+ed|took|gave|made|won|led|sent|held|ruled|fought|built|began)\b(?!\s+by\b)"
_VERB_BEFORE = r"\b([a-z]+ed|took|gave|made|won|led|sent|held|ruled|fought|built)\s+(?:the\s+)?$"


def undergoes(name: str, texts: Iterable[str]) -> bool:
    """Do the texts say the name as one done to more often than as a doer (module doc)?"""
    done_to = doing = 0
    for text in texts:
        for said in re.finditer(rf"\b{re.escape(name)}\b", text):
            after, before = text[said.end():said.end() + 60], text[max(0, said.start() - 40):said.start()]
            if re.match(_PASSIVE_AFTER, after):
                done_to += 1
            elif (verb := re.match(_VERB_AFTER, after)) and not AUX.fullmatch(verb[1]):
                doing += 1
            elif (verb := re.search(_VERB_BEFORE, before)) and verb[1].lower() not in STOP:
                done_to += 1
    return done_to > doing


def acted_on(frame: str, doer: str, old_names: list[str]) -> str:
    """The name the question's verb acts on ("Taiwan" of "When did Japan take Taiwan"): one said
    right after the doer and one word, its verb; "" when there is none."""
    at = frame.find(doer)
    verb = re.match(r"\s+[a-z][\w-]*\s+(?:the\s+)?", frame[at + len(doer):]) if doer and at >= 0 else None
    rest = frame[at + len(doer) + verb.end():] if verb else ""
    return next((n for n in old_names if n != doer and rest.startswith(n)), "")
