"""Elliptical follow-ups ("And in 1897?", "What about Yale?", "No, I meant the second oil
crisis", "no, in developing countries"): the new term they give, and the previous question with it in place of the
term of its kind (`swap`: a year for a year, a name for a name, "to Spain" for "to Great
Britain", "adaptive immunity" for "innate immunity", "after" for "before")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.followup.roles import acted_on, undergoes
from rag.followup.words import AUX, CORRECTING, STOP, VERBISH, WH, YEAR, modified, names, topic


# "And ...", "What about ...", "What of ...", and a correction ("No, I meant ...")
ELLIPSIS_LEAD = re.compile(r"^\s*(?:and|but|also|so)?\s*(?:what|how)\s+about\s+|^\s*and\s+|^\s*what\s+of\s+|"
                           rf"^\s*(?:{CORRECTING}[\s,.!;:-]*)*i\s+mean[t]?\s+|"
                           # "No, in developing countries": a bare correction gives the new term too
                           rf"^\s*(?:{CORRECTING}[\s,.!;:-]+)+(?!.*\bones?\b)(?=\S)", re.I)
CORRECTION = re.compile(r"\bi\s+mean[t]?\s+", re.I)
_PREPOSITION = re.compile(r"^(in|at|on|to|from|for|with|by|under|near|against|into)\s+", re.I)
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
    if lead and _PREPOSITION.match(rest) and not _ASKS_IN.match(rest) and not AUX.search(rest):
        return rest, True  # "And in the British colonies?": a place, though "colonies" ends like a verb
    if len(rest.split()) <= 3 and not WH.match(rest) and not VERBISH.search(rest) and not _ASKS_IN.match(rest):
        return rest, False
    return None


def swap(frame: str, new: str, texts: Sequence[str] = ()) -> str:
    """The previous question with `new` in place of the term of its kind, else added; the
    conversation's documents (`texts`) say whether a new name is one done to (rag/followup/roles.py)."""
    frame = frame.strip().rstrip("?").strip()
    year = YEAR.search(new)
    if year and YEAR.search(frame):
        return YEAR.sub(year.group(), frame, count=1) + "?"
    old_names = names(frame)
    new_names = [n for n in names(new) if n not in old_names]  # "T" of "helper T cells" is the frame's own
    if new_names and old_names:
        joined = re.match(r"(of|in|for|at|from)\s+", new)
        old = _of_kind(frame, old_names, new, texts)
        if joined and f" {joined[1]} " in old:  # "of the European Council" for "President of the European Commission"
            return frame.replace(old, f"{old.split(f' {joined[1]} ')[0]} {new.strip()}", 1) + "?"
        return _put(frame, old, new.strip())
    if new.lower() in _WHEN_WORDS and (said := re.search(rf"\b(?:{'|'.join(_WHEN_WORDS)})\b", frame, re.I)):
        return f"{frame[:said.start()]}{new.lower()}{frame[said.end():]}?"  # "before the embargo" → "after ..."
    words = new.split()
    while len(words) > 2 and (words[0].lower() in STOP or words[0].lower() in _COUNTS):
        words.pop(0)  # "the two integer answers" for "the two simple word answers": the frame has "the two"
    for tail in range(len(words) - 1, 0, -1):  # the longest end of the new term the frame has too
        ending = r"\s+".join(map(re.escape, words[-tail:]))
        kind = re.search(rf"\b(\w+\s+)?{ending}\b", frame, re.I)
        if kind:  # "innate immunity" → "adaptive immunity", "killer T cells" → "helper T cells"
            modifier = kind[1] and (kind[1].strip().lower() not in STOP or kind[1].strip().lower() in _ORDINALS)
            start = kind.start() if modifier else kind.start(0) + len(kind[1] or "")
            return f"{frame[:start]}{' '.join(words)}{frame[kind.end():]}?"
    if not _ADJUNCT.match(new) and (put := _in_place_of_asked(frame, new)):
        return put
    return f"{frame} {new}?"


def corrected(frame: str, new: str) -> str:
    """The previous question with a correction's new term in the place of what it asked about
    ("No, I meant the second oil crisis" after "When did the first oil shock begin?" → "When did
    the second oil crisis begin?"); "" when that is not in it. A term naming no one, after a
    question of what a name did to another ("When did Bohemond besiege Dyrrachium?"), says which
    act was meant: it takes the doer's and the verb's place, and what was acted on stays ("the
    third attack" → "When did the third attack Dyrrachium?", not "... besiege third attack")."""
    if not names(new) and (act := _act_of(frame)):
        return f"{frame[:act[0]]}{new}{frame[act[1]:]}"
    asked = topic(frame)
    if not asked or asked not in frame:
        return ""
    return re.sub(rf"(?:\b(?:first|second|third|last|other|same)\s+)?{re.escape(asked)}",
                  new.removeprefix("the ").replace("\\", r"\\"), frame, count=1)


_DID = re.compile(r"\b(?:do|does|did)\s+", re.I)
_VERB_BEFORE_NAME = re.compile(r"\s+([a-z][\w-]*)\s+(?=[A-Z])")


def _act_of(frame: str) -> tuple[int, int] | None:
    """Where the doer and the verb of "did <name> <verb> <name>" are in the frame, else None."""
    did = _DID.search(frame)
    doer = next((n for n in names(frame) if did and frame.startswith(n, did.end())), "")
    verb = _VERB_BEFORE_NAME.match(frame, did.end() + len(doer)) if doer else None
    return (did.end(), verb.end(1)) if verb else None


def _in_place_of_asked(frame: str, new: str) -> str:
    """A new thing with no name and no preposition, put where the previous question's thing was:
    the noun it asked the number or kind of ("How many undergraduates does Harvard have?" → "And
    graduate students?"), else its subject ("Who invented the atmospheric engine?" → "And the steam
    pump?"); "a probabilistic one" keeps the subject's noun ("deterministic Turing machine")."""
    said = re.sub(r"^(?:the|a|an)\s+", "", new.strip(), flags=re.I)
    one = re.fullmatch(r"([\w-]+)\s+ones?", said, re.I)
    subject = topic(frame)
    kind = re.search(rf"\b([a-z][\w-]*\s+)?{re.escape(subject)}\b", frame) if subject else None
    if one and one[1].lower() not in _ORDINALS and kind:
        if kind[1] and kind[1].strip() not in STOP:  # "deterministic Turing machine" → "probabilistic ..."
            return f"{frame[:kind.start()]}{one[1]} {subject}{frame[kind.end():]}?"
        if " " in subject:  # "atmospheric engine" → "rotary engine"
            head = subject.split(" ", 1)[1]
            return f"{frame[:kind.start(0) + len(kind[1] or '')]}{one[1]} {head}{frame[kind.end():]}?"
    if one:
        return ""
    asked = _ASKED_NOUN.match(frame)
    if asked:
        return f"{frame[:asked.start(1)]}{_modifier_for(asked[1], said)}{frame[asked.end(1):]}?"
    # with its ordinal: "the first oil shock" → "the second oil crisis"
    subject_at = rf"\b(?:(?:{'|'.join(_ORDINALS)})\s+)?{re.escape(subject)}\b"
    if subject and subject.islower() and re.search(subject_at, frame, re.I):
        return re.sub(subject_at, _modifier_for(subject, said).replace("\\", r"\\"), frame, count=1, flags=re.I) + "?"
    return ""


def _modifier_for(phrase: str, new: str) -> str:
    """What one new word stands in for in a phrase of a modifier and its noun: the modifier
    ("the french" after "british settlers" → "french settlers", "the average" after
    "quicksort's worst case" → "quicksort's average case"); the whole phrase otherwise."""
    words = phrase.split()
    if " " in new.strip() or len(words) < 2 or words[-2].lower() in STOP or words[-2].endswith(("'s", "’s")):
        return new
    return " ".join([*words[:-2], new, words[-1]])


# "And before the embargo?", "And in the library?": a time or place added to the question, not its thing
_ADJUNCT = re.compile(r"^(?:in|at|on|to|from|for|with|by|under|near|against|into|before|after|during|since|until|"
                      r"of|about|over|without|through|within|around)\b", re.I)
_ORDINALS = frozenset("first second third fourth fifth last next other same earlier later previous".split())
# "How many undergraduates does ...", "Which theory of immunity did ...": the noun asked the number or kind of
_ASKED_NOUN = re.compile(r"^\s*(?:how\s+(?:many|much)|which|what)\s+((?:[\w-]+\s+){0,2}?[\w-]+)\s+"
                         r"(?=(?:did|does|do|is|was|are|were|has|have|had|can|could|will|would)\b)", re.I)


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


def _said_after(frame: str, name: str) -> str:
    """The preposition right before the name in the frame ("in" for "in the United States"), else ""."""
    before = re.search(r"\b(\w+)\s+(?:the\s+)?$", frame[:frame.find(name)])
    return before[1].lower() if before and _PREPOSITION.match(f"{before[1]} ") else ""


def _of_kind(frame: str, old_names: list[str], new: str, texts: Sequence[str] = ()) -> str:
    """The frame's name of the new term's kind: a place or party said with the same preposition
    ("to Spain" for "to Great Britain", "in Japan" for "in the United States"), else the name
    the question is about, unless the documents say the new name as one done to and the question's
    verb acts on another ("Korea" for "Taiwan" of "When did Japan take Taiwan?"), else its longest."""
    said = _PREPOSITION.match(new)
    same = [n for n in old_names if said and _said_after(frame, n) == said[1].lower()]
    if not said and re.match(r"the\s", new, re.I):  # "the Muslim Brotherhood" for "the Jamaat-e-Islami party"
        same = [n for n in old_names if re.search(rf"\bthe\s+{re.escape(n)}", frame, re.I)]
    doer = _subject_name(frame, old_names)
    done_to = acted_on(frame, doer, old_names) if doer and not same and undergoes(_name_of(new), texts) else ""
    return (same or [""])[0] or done_to or doer or max(old_names, key=len)


def _put(frame: str, old: str, new: str) -> str:
    """The frame with `new` in place of the name `old`, with the article (and preposition) said
    before it: "in Japan" for "in the United States", "Japan" for "the United States"; a name
    that only modifies a noun ("the Harvard football team") is swapped alone, unless the new
    term says the whole phrase again ("in the British colonies" for "in the French colonies")."""
    at, end = frame.find(old), frame.find(old) + len(old)
    said = _PREPOSITION.match(new)
    lead = re.search(rf"(?:\b{said[1]}\s+)?(?:the\s+)?$" if said else r"(?:\bthe\s+)?$", frame[:at], re.I)
    noun = modified(frame[end:])
    whole = re.match(r"the\s", new, re.I) and lead.group().lower().strip() == "the"  # "the Muslim Brotherhood"
    if noun and not whole and not new.lower().endswith(noun.split()[-1].lower()):
        return f"{frame[:at]}{_name_of(new)}{frame[end:]}?"
    end += len(noun)
    if said and not lead.group().lower().startswith(said[1].lower()):
        new = _name_of(new)  # "at Yale" where the frame said "did Harvard have": the name only
    return f"{frame[:lead.start()]}{new}{frame[end:]}?"


def _name_of(term: str) -> str:
    """The term without its preposition and article ("in the Netherlands" → "Netherlands")."""
    return re.sub(r"^the\s+", "", _PREPOSITION.sub("", term), flags=re.I)
