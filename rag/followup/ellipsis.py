"""Elliptical follow-ups ("And in 1897?", "What about Yale?", "No, I meant the second oil
crisis"): the new term they give, and the previous question with it in place of the
term of its kind (`swap`: a year for a year, a name for a name, "adaptive immunity" for
"innate immunity", "after" for "before")."""

from __future__ import annotations

import re

from rag.followup.words import AUX, STOP, VERBISH, WH, YEAR, names


# "And ...", "What about ...", "What of ...", and a correction ("No, I meant ...")
ELLIPSIS_LEAD = re.compile(r"^\s*(?:and|but|also|so)?\s*(?:what|how)\s+about\s+|^\s*and\s+|^\s*what\s+of\s+|"
                           r"^\s*(?:(?:no|sorry|oops|actually)\b[\s,.!;:-]*)*i\s+mean[t]?\s+", re.I)
CORRECTION = re.compile(r"\bi\s+mean[t]?\s+", re.I)
_ASKS_IN = re.compile(r"(?:in|at|on|by|for|from|to|since|until|during|after|before|with|of|under)\s+"
                      r"(?:which|what|whom|whose|when|where|how)\b", re.I)  # "In what year?", "At which battle?"


def elided(question: str) -> tuple[str, bool] | None:
    """The new term of an elliptical follow-up ("And in 1897?" → "in 1897") and whether a
    lead ("And", "What about") said it was one; a bare fragment ("In 1897?", "Steam engine
    efficiency?") may as well be a new question. None: not elliptical."""
    lead = ELLIPSIS_LEAD.match(question)
    rest = question[lead.end():] if lead else question
    rest = rest.strip().rstrip("?.!").strip()
    if not rest:
        return None
    if lead and not WH.match(rest) and not VERBISH.search(rest.split(" ", 1)[-1] if " " in rest else ""):
        return rest, True
    if len(rest.split()) <= 3 and not WH.match(rest) and not VERBISH.search(rest) and not _ASKS_IN.match(rest):
        return rest, False
    return None


def swap(frame: str, new: str) -> str:
    """The previous question with `new` in place of the term of its kind, else added."""
    frame = frame.strip().rstrip("?").strip()
    year = YEAR.search(new)
    if year and YEAR.search(frame):
        return YEAR.sub(year.group(), frame, count=1) + "?"
    old_names = names(frame)
    new_names = [n for n in names(new) if n not in old_names]  # "T" of "helper T cells" is the frame's own
    if new_names and old_names:
        old = _subject_name(frame, old_names) or max(old_names, key=len)
        joined = re.match(r"(of|in|for|at|from)\s+", new)
        if joined and f" {joined[1]} " in old:  # "of the European Council" for "President of the European Commission"
            return frame.replace(old, f"{old.split(f' {joined[1]} ')[0]} {new.strip()}", 1) + "?"
        return frame.replace(old, new.removeprefix("the ").strip(), 1) + "?"
    if new.lower() in _WHEN_WORDS and (said := re.search(rf"\b(?:{'|'.join(_WHEN_WORDS)})\b", frame, re.I)):
        return f"{frame[:said.start()]}{new.lower()}{frame[said.end():]}?"  # "before the embargo" → "after ..."
    words = new.split()
    while len(words) > 2 and (words[0].lower() in STOP or words[0].lower() in _COUNTS):
        words.pop(0)  # "the two integer answers" for "the two simple word answers": the frame has "the two"
    for tail in range(len(words) - 1, 0, -1):  # the longest end of the new term the frame has too
        ending = r"\s+".join(map(re.escape, words[-tail:]))
        kind = re.search(rf"\b(\w+\s+)?{ending}\b", frame, re.I)
        if kind:  # "innate immunity" → "adaptive immunity", "killer T cells" → "helper T cells"
            modifier = kind[1] and kind[1].strip().lower() not in STOP
            start = kind.start() if modifier else kind.start(0) + len(kind[1] or "")
            return f"{frame[:start]}{' '.join(words)}{frame[kind.end():]}?"
    return f"{frame} {new}?"


_WHEN_WORDS = ("before", "after", "during", "since", "until")
_COUNTS = frozenset("two three four five six seven eight nine ten both all".split())


def _subject_name(frame: str, given: list[str]) -> str:
    """The name the question is about when it stands right after its auxiliary ("When did
    Hervé serve as a Byzantine general?" → "Hervé", not the longer "Byzantine")."""
    aux = AUX.search(frame)
    if aux is None:
        return ""
    after = re.sub(r"^(?:the\s+)", "", frame[aux.end():].lstrip(), flags=re.I)
    return next((n for n in sorted(given, key=len, reverse=True) if after.startswith(n)), "")
