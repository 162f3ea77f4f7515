"""A first question as its typist meant it: the words around it dropped, a year said in words
written in figures, and a typing slip spelt as the index writes the word.

People type into a search box as they talk: "hi! quick one - when was ...", "can you tell me
who founded ... please", "i was wondering where ..., if you don't mind", "what did watt patent
in seventeen eighty one", "who invnted the atmospheric engine". The chatter reads to the
reading model as part of the question ("don't" even as a negation every quote must share), a
year in words matches no figure, and a slip matches no word. Follow-ups have their own
reading (rag/followup/); this is for a question with no conversation before it.
Invariant: only words around the question are dropped, only a year said in words becomes its
figures, and only a word the index never writes and English does not have
(rag/followup/spelling.py) is respelt, as a word the index writes; a question typed with care
is returned as it is.
"""

from __future__ import annotations

import re

from rag.followup.filler import unpadded
from rag.followup.spelling import respelt
from rag.vocabulary import Vocabulary

_CENTURIES = {w: n for n, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(), 10)}
_TEENS = {w: n for n, w in enumerate(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10)}
_TENS = dict(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10)))
_UNITS = {w: n for n, w in enumerate("one two three four five six seven eight nine".split(), 1)}


def _any(words) -> str:
    return "|".join(words)


# "seventeen eighty one", "nineteen oh five", "eighteen hundred", "ten sixty-six": a year as
# said, never one number word alone ("twenty one" is 21), a count of years ("sixteen twenty-year-olds")
# or a day before its year ("october sixteen nineteen seventy three": the year is 1973)
_SAID_YEAR = re.compile(
    rf"\b(?P<century>{_any(_CENTURIES)})[\s-]+(?:(?P<hundred>hundred)|(?:oh|o)[\s-]+(?P<oh>{_any(_UNITS)})|"
    rf"(?P<tens>{_any(_TENS)})(?:[\s-]+(?P<unit>{_any(_UNITS)}))?|(?P<teen>{_any(_TEENS)}))\b"
    rf"(?![\s-]*(?:years?\b|{_any(_TENS)}|{_any(_UNITS)}|{_any(_TEENS)}|hundred))", re.I)


def _figures(match: re.Match) -> str:
    said = {k: v.lower() for k, v in match.groupdict().items() if v}
    rest = (_UNITS[said["oh"]] if "oh" in said else _TEENS[said["teen"]] if "teen" in said
            else _TENS[said["tens"]] + _UNITS.get(said.get("unit", ""), 0) if "tens" in said else 0)
    return str(_CENTURIES[said["century"]] * 100 + rest)


def years_in_figures(question: str) -> str:
    """The question with each year said in words written in figures ("in seventeen eighty one"
    → "in 1781"): documents write years in figures."""
    return _SAID_YEAR.sub(_figures, question)


def meant(question: str, written: Vocabulary) -> str:
    """The first question as meant (module doc): without chatter (rag/followup/filler.py), its years in figures, its
    slips spelt as `written`, the index's vocabulary, writes the word, in the case typed: the
    index's capitals would hold a lower-case question to names it never gave (rag/typed.py)."""
    return respelt(years_in_figures(unpadded(question)), written, cased=False)
