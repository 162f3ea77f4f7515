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

from rag.followup.words import STOP

# "the second one", "the last one"; "the former"/"the latter" said alone, not "the former Frankish kingdom"
ORDINAL = re.compile(r"\bthe\s+(?:(first|second|third|last)\s+one|(former|latter))\b", re.I)
# what may follow a bare "the former": the end, a stop word, a past form, or the verb of "does the latter ask"
_ALONE = re.compile(rf"\s*(?:[?.!,;]|$)|\s+(?:{'|'.join(sorted(STOP))}|[a-z]+ed)\b", re.I)
_LAST_VERB = re.compile(r"\s+[a-z]+[\s?.!]*$")
_AUX_BEFORE = re.compile(r"\b(?:do|does|did|can|could|will|would|should)\b", re.I)
_PLACE = {"first": 0, "former": 0, "second": 1, "third": 2, "last": -1, "latter": -1}
_JOIN = re.compile(r",?\s+(?:and|or)\s+")
MAX_ITEM_WORDS = 6
_WORD = re.compile(r"[\w'’-]+")
_BOUNDARY = re.compile(r"[,:;(]\s*$")
# a clause's verb before the items ends the first of them: "... and the helper T cell" after "are"
_VERB = re.compile(r"^(?:is|are|was|were|be|been|include|includes|included|such|as|of|than)$", re.I)


_NAME_WORD = re.compile(r"[A-Z][\w'’-]*")
_NAME_JOINS = {"of", "the", "de"}
_STOP = {"the", "a", "an", "of", "and", "or", "who", "which", "that", "in", "on", "at", "to", "for", "by", "with",
         "were", "was", "are", "is", "had", "have", "has", "from"}


def _item_before(text: str, end: int) -> tuple[int, str]:
    """The item that ends at `end`: back to a comma, colon, a clause's verb, or MAX_ITEM_WORDS."""
    start = end
    for count, word in enumerate(reversed(list(_WORD.finditer(text, 0, end)))):
        if count == MAX_ITEM_WORDS or _VERB.match(word.group()):
            break
        start = word.start()
        if _BOUNDARY.search(text[:word.start()]):
            break
    return start, text[start:end].strip()


def _name_before(text: str, end: int) -> tuple[int, str]:
    """The run of capitalised words (with "of", "the", "de" inside) that ends at `end`, else (end, "")."""
    words = list(_WORD.finditer(text, 0, end))
    start = end
    for word in reversed(words):
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
    found = re.match(r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’-]*)*", text[at:])
    if found is None:
        return ""
    following = _WORD.match(text, at + found.end() + 1) if text[at + found.end():at + found.end() + 1] == " " else None
    return found.group() if following is None or following.group().lower() in _STOP else ""


def _listed(text: str, at: int, first: str, before_item) -> list[str]:
    """`first` (the last item) and the items before `at`, back over commas, while `before_item` gives one."""
    found = [first]
    while True:
        start, item = before_item(text, at)
        if not item:
            break
        found.insert(0, item)
        comma = re.search(r",\s*$", text[:start])
        if comma is None:
            break
        at = comma.start()
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
        for last in list(_WORD.finditer(text, join.end()))[:MAX_ITEM_WORDS]:
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
