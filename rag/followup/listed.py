"""An item of a list the previous answer gave: "the second one", "the last one", "the former",
"the latter". "There are two major subtypes of T cells: the killer T cell and the helper T cell",
then "which co-receptor does the second one use" asks about the helper T cell, not about a
"second subtype". A list is of like things: items joined by commas and a last "and" or "or"
that end in the same noun ("the killer T cell and the helper T cell", "Fécamp Abbey and
Saint-Evroul Abbey"), or names of capitalised words only ("Denmark, Iceland and Norway"); the
two sides of "either ... or ..." are a list of two, though unlike ("the former" after "offered France
either its possessions east of the Mississippi or the Caribbean islands").
Invariant: the item returned is a span of the answer's own text; nothing is made up.
"""

from __future__ import annotations

import re
from itertools import islice

from rag.followup.words import STOP, WORD

# "the second one", "the last one"; "the former"/"the latter" said alone, not "the former Frankish kingdom"
ORDINAL = re.compile(r"\bthe\s+(?:(first|second|third|last)\s+one|(former|latter))\b", re.I)
# what may follow a bare "the former": the end, a stop word, a past form, or the verb of "does the latter ask"
_ALONE = re.compile(rf"\s*(?:[?.!,;]|$)|\s+(?:{'|'.join(sorted(STOP))}|[a-z]+ed)\b", re.I)
_LAST_VERB = re.compile(r"\s+[a-z]+[\s?.!]*$")
_AUX_BEFORE = re.compile(r"\b(?:do|does|did|can|could|will|would|should)\b", re.I)
_PLACE = {"first": 0, "former": 0, "second": 1, "third": 2, "last": -1, "latter": -1}
_JOIN = re.compile(r",?\s+(?:and|or)\s+")
MAX_ITEM_WORDS = 6
REACH = 400  # characters back that an item, a name or the comma before one is looked for
_BOUNDARY = re.compile(r"[,:;(]\s*$")
_CLAUSE_END = re.compile(r"[,:;()]|[.!?](?=\s|$)")
# a word that opens a list (a clause's verb, "such as", "of", "than") ends its first item:
# "... and the helper T cell" after "are"
_LIST_OPENER = re.compile(r"^(?:is|are|was|were|be|been|include|includes|included|such|as|of|than)$", re.I)


_NAME_WORD = re.compile(r"[A-Z][\w'’-]*")
_NAME_JOINS = {"of", "the", "de"}
_NAME_AT = re.compile(r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’-]*)*")
# a word after which a name has ended its noun phrase ("Norway were"; not "the Caribbean islands")
_AFTER_NAME = {"the", "a", "an", "of", "and", "or", "who", "which", "that", "in", "on", "at", "to", "for", "by", "with",
               "were", "was", "are", "is", "had", "have", "has", "from"}


def _words_back(text: str, end: int) -> list[re.Match]:
    """The words within REACH before `end`, nearest first; a word the reach cuts is left out. Only
    so far back: read from the text's start for every "and", a long answer took quadratic time."""
    start = max(0, end - REACH)
    found = list(WORD.finditer(text, start, end))
    if found and start and found[0].start() == start and WORD.match(text, start - 1):
        found = found[1:]
    return found[::-1]


def _item_before(text: str, end: int) -> tuple[int, str]:
    """The item that ends at `end`: back to a comma, colon, a clause's verb, or MAX_ITEM_WORDS."""
    start = end
    for count, word in enumerate(_words_back(text, end)):
        if count == MAX_ITEM_WORDS or _LIST_OPENER.match(word.group()):
            break
        start = word.start()
        if _BOUNDARY.search(text[max(0, word.start() - REACH):word.start()]):
            break
    return start, text[start:end].strip()


def _name_before(text: str, end: int) -> tuple[int, str]:
    """The run of capitalised words (with "of", "the", "de" inside) that ends at `end`, else (end, "")."""
    start = end
    for word in _words_back(text, end):
        if not _NAME_WORD.fullmatch(word.group()) and not (word.group() in _NAME_JOINS and start < end):
            break
        if start < end and text[word.end():start].strip():  # "Denmark, Iceland": two names
            break
        start = word.start()
    while text[start:end].split()[:1] and text[start:end].split()[0] in _NAME_JOINS:
        start += len(text[start:end].split()[0]) + 1
    return start, text[start:end].strip()


def _name_after(text: str, at: int) -> str:
    """The name of capitalised words that starts at `at` and ends the noun phrase there ("Norway",
    not "the Caribbean" of "the Caribbean islands"), else ""."""
    found = _NAME_AT.match(text, at)  # at `at`, not on a copy of the rest: read once for every "and"
    if found is None:
        return ""
    following = WORD.match(text, found.end() + 1) if text[found.end():found.end() + 1] == " " else None
    return found.group() if following is None or following.group().lower() in _AFTER_NAME else ""


def _listed(text: str, at: int, first: str, before_item) -> list[str]:
    """`first` (the last item) and the items before `at`, back over commas, while `before_item` gives one."""
    found = [first]
    while True:
        start, item = before_item(text, at)
        if not item:
            break
        found.insert(0, item)
        comma = re.search(r",\s*$", text[max(0, start - REACH):start])
        if comma is None:
            break
        at = max(0, start - REACH) + comma.start()
    return found


def _ending_in(head: str):
    """An `_item_before` that gives only items ending in `head` (the list's shared noun)."""
    def before_item(text: str, end: int) -> tuple[int, str]:
        start, item = _item_before(text, end)
        return (start, item) if item and item.split()[-1].lower() == head.lower() else (end, "")
    return before_item


# "the choice of either X or Y": the two sides of a choice, whatever their words; each ends where
# its clause does (a comma, a relative, or the end of the sentence)
_EITHER = re.compile(r"\beither\s+(?:(?:its|their|his|her|the|a|an)\s+)?(.+?)\s+or\s+(?:(?:its|their|his|her|the|a|an)\s+)?"
                     r"(.+?)(?=\s*(?:[,;:.!?()]|\s(?:which|who|that|while|but)\b|$))", re.I)


def items(text: str) -> list[str]:
    """The two sides of an "either X or Y" choice, else the first list of like things in the text
    (module doc), in its order; [] when there is none."""
    either = _EITHER.search(text)
    if either and all(len(side.split()) <= 2 * MAX_ITEM_WORDS for side in either.groups()):
        return list(either.groups())
    for join in _JOIN.finditer(text):
        for last in islice(WORD.finditer(text, join.end()), MAX_ITEM_WORDS):
            if _CLAUSE_END.search(text, join.end(), last.start() + 1):
                break  # the last item ends with its clause: "Paris and London. Later he lived in Paris"
            # the shortest last item whose last word ends the item before it too: "T cell and the helper T cell"
            found = _listed(text, join.start(), text[join.end():last.end()], _ending_in(last.group()))
            if len(found) >= 2:
                return found
        name = _name_after(text, join.end())
        if name and (found := _listed(text, join.start(), name, _name_before)) and len(found) >= 2:
            return found
    return []


def _alone(question: str, said: re.Match) -> bool:
    """Is this "the former" a pronoun, not an adjective ("the former Frankish kingdom")?"""
    rest = question[said.end():]
    return bool(_ALONE.match(rest)) or (_LAST_VERB.fullmatch(rest) is not None
                                        and _AUX_BEFORE.search(question[:said.start()]) is not None)


def ordinal_item(question: str, text: str) -> tuple[str, str] | None:
    """(the question with "the second one" as that item of the text's list, the item); None
    when the question says no such ordinal or the text lists no like things."""
    said = next((m for m in ORDINAL.finditer(question) if m[1] or _alone(question, m)), None)
    listed = items(text) if said else []
    place = _PLACE[(said[1] or said[2]).lower()] if said else 0
    if not listed or place >= len(listed):
        return None
    item = listed[place]
    return f"{question[:said.start()]}{item}{question[said.end():]}", item
