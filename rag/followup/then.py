""""then" and "there": the time or place the previous answer gave ("by then" → "by March
1974", "before that" → "before 1977", "there" → "in Normandy"). Only times and places written in the conversation's
own text are returned."""

from __future__ import annotations

import re

from rag.followup.words import WHEN, YEAR


# a bare "that" closing the question after "before" or "after" is the previous answer's time too:
# "what was the ratio before that?" after "...its 1977 merger" is before 1977, not before the merger's college
TIME_WORDS = re.compile(r"\b(?:(by|until|till|since|before|after|at|from)\s+)?(then|that time|that year|"
                        r"that date|that point|the same year|the same time|"
                        r"(?:(?<=before )|(?<=after )|(?<=since )|(?<=until ))that(?=\s*[?.!]*\s*$))\b", re.I)
PLACE_WORD = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|be|been|being|have|has|had|exist|exists|existed|"
                        r"remain|remains|remained|will|would|could|might|may|must|seem|seems|seemed)\b)", re.I)
EXISTENTIAL = re.compile(r"^\s*(is|are|was|were|has|have|had|will|would|could)\s+there\b", re.I)
_PLACE_AFTER = re.compile(r"\b(?:in|at|to|from|near|across|throughout|into)\s+((?:the\s+)?[A-Z][\w'’-]*"
                          r"(?:\s+(?:of\s+)?[A-Z][\w'’-]*)*)")
_Y = r"(?:1[0-9]{3}|20[0-9]{2})"
_RANGE = re.compile(rf"\bbetween\s+({_Y})\s+and\s+({_Y})\b|\bfrom\s+({_Y})\s+(?:to|until|till|through)\s+({_Y})\b|"
                    rf"\b({_Y})\s*[–—-]\s*({_Y})\b")
_AFTER_ITS_END = {"by", "until", "till", "since", "after", "from"}  # "by then" after 1754–1763: by 1763


def time_in(text: str, first: bool = False) -> str | tuple[str, str]:
    """The last time the text gives (its `first`, for "before then": "founded the party in 1941
    and remained its leader until 1972" was before 1941): a date, a year, or a range as (start, end)."""
    ranges = [(m.start(), m.end(), tuple(y for y in m.groups() if y)) for m in _RANGE.finditer(text)]
    found = [(m.start(), m.group()) for m in WHEN.finditer(text)
             if not any(a <= m.start() < b for a, b, _ in ranges)] + [(a, years) for a, _, years in ranges]
    return (min if first else max)(found, key=lambda f: f[0])[1] if found else ""


def time_of(texts: list[str], first: bool = False) -> str | tuple[str, str]:
    """The time of the first text that gives one (the previous answer's quotes come best first)."""
    return next((when for when in (time_in(text, first) for text in texts) if when), "")


def then(preposition: str | None, when: str | tuple[str, str]) -> str:
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


def place_in(text: str) -> str:
    found = [m.group(1) for m in _PLACE_AFTER.finditer(text)]
    found = [re.sub(r"^the\s+", "", p) for p in found if not YEAR.fullmatch(p) and not WHEN.fullmatch(p)]
    return found[0] if found else ""
