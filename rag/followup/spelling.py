"""A follow-up's typing slips, spelt as the documents the conversation quoted spell the word.

People type chat fast: "when did it first run in an electon", "and grad studnets". A word of
six letters or more that those documents never write is read as the one word they do write
that it is one slip from: two neighbouring letters swapped ("studnets" → "students", "travle"), or, in a
word of seven letters or more, one letter wrong, missing or added inside it, its first and last
letters kept ("electon" → "election", "harverd" → "Harvard"). A possessive typed without its
apostrophe ("and watts?") is the possessive the documents write ("Watt's") when they never write
the word as typed. A slip at either end is no slip but another form ("agree", "agreed";
"mostly", "costly"); an English word (english.py: "started", never "startled"; "infects", never
"insects"; "quantify", never "quantity") is spelt as meant, as is a word typed with an apostrophe
after a word the documents write ("Norman's") and a code with a figure in it ("M2-like" is not
"Ms-like"); and another form of the same word is left alone, as is a word two written words
are as near to.
Invariant: only a word the documents write replaces a word of the turn; nothing is added, dropped
or moved.
"""

from __future__ import annotations

import re

from rag.followup.english import english
from rag.followup.words import STOP
from rag.index import terms
from rag.vocabulary import WRITTEN, Vocabulary

MIN_LETTERS = 6  # a shorter word is too easily another one slip away ("three", "there")
INSIDE_LETTERS = 7  # letters from which a wrong, missing or added letter inside a word is a slip


def slips(typed: str, written: str, most: int) -> int:
    """The typing slips between two words (optimal string alignment distance), counted up to most + 1."""
    if abs(len(typed) - len(written)) > most:
        return most + 1
    before, row = None, list(range(len(written) + 1))
    for i, a in enumerate(typed, 1):
        current = [i]
        for j, b in enumerate(written, 1):
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a != b))
            if before is not None and i > 1 and j > 1 and a == written[j - 2] and typed[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)  # two letters swapped: one slip
            current.append(cost)
        before, row = row, current
        if min(row) > most:
            return most + 1
    return row[-1]


def slipped(typed: str, written: str) -> bool:
    """Is `typed` one slip from `written` (see the module doc), not another form of it?"""
    if typed[0] != written[0]:
        return False
    wrong = [i for i, (a, b) in enumerate(zip(typed, written)) if a != b] if len(typed) == len(written) else []
    swapped = len(wrong) == 2 and wrong[1] == wrong[0] + 1  # two neighbouring letters ("travle")
    one_inside = len(typed) >= INSIDE_LETTERS and typed[-1] == written[-1]
    # stems last: they cost most, and only a word one slip away needs them
    return ((swapped or one_inside) and slips(typed, written, 1) == 1
            and set(terms(typed)) != set(terms(written)))


def _possessive(low: str, known: Vocabulary) -> str:
    """The possessive the documents write for a word typed without its apostrophe ("watts" →
    "Watt's"), else "": people leave the apostrophe out in chat, and a plural the documents
    never write is no word of theirs."""
    if len(low) < 3 or not low.endswith("s"):
        return ""
    return next((known[f"{low[:-1]}{mark}s"] for mark in "'’" if f"{low[:-1]}{mark}s" in known), "")


def respelt(turn: str, known: Vocabulary, cased: bool = True) -> str:
    """The turn with each slip spelt as the documents write the word (module doc); `known` is
    `vocabulary(texts)` of those documents, or the whole index's (rag/index.py `words`). With
    `cased` the word takes the capitals the documents give it ("harverd" → "Harvard"), else
    the typed word's: a lower-case first question is held to no names (rag/typed.py)."""
    if not known:
        return turn

    def spelt(match: re.Match) -> str:
        word = match.group()
        low = word.lower().replace("’", "'")
        base = low.split("'")[0]  # "Norman's" typed with care: the word before the apostrophe is checked
        if low in known or low in STOP or base in known:
            return word
        if cased and (owner := _possessive(low, known)):  # a name's possessive ("Watt's"), with its capitals
            return owner
        if len(low) < MIN_LETTERS or english(base) or any(c.isdigit() for c in low):
            return word  # an English word ("started") is no slip for one the documents write ("startled"); a code ("M2-like") none
        found = {known[w] for w in known.near(low) if slipped(low, w)}
        return word if len(found) != 1 else found.pop() if cased else _as_typed(word, found.pop())
    return WRITTEN.sub(spelt, turn)


def _as_typed(typed: str, written: str) -> str:
    """`written` in the case `typed` was typed in: lower, all capitals, or a capital first; a
    word typed in mixed case as `written` writes it."""
    if typed.islower():
        return written.lower()
    if typed.isupper():
        return written.upper()
    capitalised = typed[:1].isupper() and typed[1:].islower()
    return written[:1].upper() + written[1:].lower() if capitalised else written  # "C-X75's": as written
