"""A follow-up typed in lower case, given the capitals it would have been typed with.

People type chat in lower case ("what about japan", "who led the norse raiders"), and a
follow-up is read by its names (words.names), which are found by their capitals. A turn
typed with no capital letter at all says nothing by its case, so it is read as the documents
the conversation quoted write it: a run of its words that those documents write capitalised
where no sentence starts, nearly always (NAME_SHARE), takes their capitals ("united states" →
"United States", "the french" → "the French"), and its first letter is a capital. A turn with
any capital is the typist's own choice and is returned as typed; so is a word the documents
never write, or write in lower case as often as not ("new" of "a new treaty"). A conversation
that quoted no document (an API client that sends only its user's turns, or answers that all
declined) is read as the documents its earlier questions retrieve by their words (`texts_to_read`).
Invariant: only the case of letters changes; no word is added, dropped or moved.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rag.followup.resolved import Search
from rag.followup.words import STOP

NAME_SHARE = 0.7  # of a phrase's places inside sentences, the share written capitalised to count as a name
MAX_NAME_WORDS = 4  # "french and indian war"
MIN_PLACES = 2  # capitalised places a word also written in lower case needs: one may be a title's
SEARCHED_CHUNKS = 4  # BM25 chunks an earlier question finds, whose documents give the capitals when none was quoted
_WORD = re.compile(r"\b\w[\w-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“]\s*|\n\s*)$")  # not "(": "(EEC)" is a name's own case
_LOOKBACK = 4  # characters before a word that can show a sentence starts there
# a name ends on a word that can be one: not "the", nor "us" ("tell us more" is no "US"); it may start
# on one ("New France"), which the texts then write capitalised
_NOT_ENDS = STOP | frozenset("i me us we you".split())


def texts_to_read(turns: list[str], quoted: list[str], search: Search | None) -> list[str]:
    """The texts lower-case `turns` (the earlier questions, then the follow-up) are recased by:
    the documents the conversation quoted; when it quoted none, those the earlier questions find
    by a BM25 search (the follow-up's own words, "what about japan", find its new topic rather
    than the conversation's). Nothing is searched when no turn is in lower case. Each text is
    given once, in the order first found."""
    if quoted or search is None or not any(map(_uncased, turns)):
        found = quoted
    else:
        found = [document.text for asked in turns[:-1] for _, document in search(asked, SEARCHED_CHUNKS)]
    return [text for text in dict.fromkeys(found) if text]  # chunks of one document: its text once


def _uncased(turn: str) -> bool:
    """Typed with letters, none of them a capital: its case says nothing."""
    return turn == turn.lower() and any(c.isalpha() for c in turn)


def recased(turn: str, texts: Iterable[str]) -> str:
    """The turn as it would be typed with capitals, read off `texts` (see the module doc); a
    turn with any capital letter, or with no text to read, is returned as it is."""
    return recased_turns([turn], texts)[0]


def recased_turns(turns: list[str], texts: Iterable[str]) -> list[str]:
    """Each turn as `recased` gives it, the texts read once for the phrases of them all."""
    texts = [t for t in texts if t]
    runs = [_runs(turn) if texts and _uncased(turn) else None for turn in turns]
    phrases = list(dict.fromkeys(" ".join(p.split()) for said in runs if said for p in said.values()))
    written = _capitalised(phrases, texts) if phrases else {}
    return [turn if said is None else _with_capitals(turn, said, written) for turn, said in zip(turns, runs)]


def _runs(turn: str) -> dict[tuple[int, int], str]:
    """The runs of a turn's words that may be a name, by (first word, words): up to MAX_NAME_WORDS
    words only spaces apart, not ending on a word no name ends on (`_NOT_ENDS`)."""
    words = _words(turn)
    return {(i, n): turn[words[i].start():words[i + n - 1].end()] for i in range(len(words))
            for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1)
            if not ((n == 1 and words[i].group() in _NOT_ENDS) or words[i + n - 1].group() in _NOT_ENDS
                    or not _spaced(turn, words[i:i + n]))}


def _words(turn: str) -> list[re.Match]:
    return [w for w in _WORD.finditer(turn) if any(c.isalpha() for c in w.group())]


def _with_capitals(turn: str, runs: dict[tuple[int, int], str], written: dict[str, str]) -> str:
    """The turn with each run the texts write capitalised (`written`) so written, longest run
    first from left to right, and its first letter a capital."""
    words = _words(turn)
    out, i = turn, 0
    while i < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            phrase = runs.get((i, n))
            if phrase and (form := written.get(" ".join(phrase.split()), "")):
                said = iter(form.split())  # word by word: the turn's own spacing stays
                cased = re.sub(r"\S+", lambda _: next(said), phrase)
                out = out[:words[i].start()] + cased + out[words[i + n - 1].end():]
                i += n
                break
        else:
            i += 1
    at = next(k for k, c in enumerate(out) if c.isalpha())
    return out[:at] + out[at].upper() + out[at + 1:]


def _spaced(turn: str, run: list[re.Match]) -> bool:
    """Are the run's words only spaces apart ("united states", not "watt, engines")?"""
    return all(turn[a.end():b.start()].isspace() for a, b in zip(run, run[1:]))


def _capitalised(phrases: list[str], texts: list[str]) -> dict[str, str]:
    """For each phrase (its words, in lower case, joined by a space), the capitalised form the
    texts write it in (its first and last word capitalised), when they write it so at least
    NAME_SHARE of the times they write it where no sentence starts; else "". A single word
    counts only where it stands alone ("the fort", not "Fort Duquesne"), and a word the texts
    also write in lower case needs MIN_PLACES of them: "the title of King" once makes no name
    of "king" beside "the English king"; "Hervé" once does. Every phrase is looked for in one
    pass over each text: a place of "united states" is one of "united" too."""
    forms: dict[str, Counter[str]] = {phrase: Counter() for phrase in phrases}
    lower: set[str] = set()  # written in lower case somewhere inside a sentence, a longer name's place too
    pattern = re.compile(rf"(?=\b({_alternatives(phrases)}))", re.I)
    for text in texts:
        for match in pattern.finditer(text):
            start = match.start(1)
            if _SENTENCE_START.search(text, max(0, start - _LOOKBACK), start):
                continue
            # the longest phrase here; where each of its words ("np-complete": "np" too) ends, a shorter one may
            for end in dict.fromkeys(piece.end() for piece in _PIECE_END.finditer(match[1])):
                written = text[start:start + end]
                phrase = " ".join(written.lower().split())
                if phrase not in forms:
                    continue
                if written.islower():
                    lower.add(phrase)
                if not (" " not in phrase and _in_longer_name(text, start, start + end)):
                    forms[phrase][" ".join(written.split())] += 1
    return {phrase: _name_form(counted, " " not in phrase and phrase in lower) for phrase, counted in forms.items()}


_PIECE_END = re.compile(r"\w+|-(?!\w)")
_PIECE = re.compile(r"(^|\s+|-)([^\s-]*)")  # a phrase's pieces: "np-complete problems" → np, -complete, problems


def _alternatives(phrases: list[str]) -> str:
    """One pattern for all the phrases, pieces shared by their starts said once ("united(?:\\s+
    states)?"): at a place it matches the longest phrase there, whose starts are there too."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for joint, piece in _PIECE.findall(phrase):
            node = node.setdefault((r"\s+" if joint.isspace() else re.escape(joint), piece), {})

    def said(node: dict) -> str:
        return "|".join(joint + re.escape(piece) + (r"\b" if piece else "") + (f"(?:{said(rest)})?" if rest else "")
                        for (joint, piece), rest in node.items())

    return said(trie)


def _name_form(forms: Counter[str], also_lower: bool) -> str:
    """The capitalised form written most, when capitalised forms are written often enough (see
    `_capitalised`); else "". `also_lower`: a single word the texts also write in lower case."""
    capital = Counter({f: k for f, k in forms.items() if f[0].isupper() and f.split()[-1][0].isupper()})
    needed = MIN_PLACES if also_lower else 1
    if capital.total() < needed or capital.total() < NAME_SHARE * forms.total():
        return ""
    return capital.most_common(1)[0][0]


_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+$")
_NAME_AFTER = re.compile(r"\s+(?:(?:of|de|du|la|le|the)\s+)*[A-Z]")


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """Is this place of a word, text[start:end], part of a longer name ("Fort Duquesne", "Court of
    Justice", "European Communities Act")? It says how that name is written, not the word alone:
    "the fort" is no name. A capitalised stop word before it ("In Japan") starts the sentence,
    not a name."""
    before = _NAME_BEFORE.search(text, max(0, start - 40), start)
    return (before is not None and before.group().split()[0].lower() not in STOP) \
        or _NAME_AFTER.match(text, end) is not None
