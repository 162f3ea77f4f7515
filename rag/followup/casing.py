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
    than the conversation's). Nothing is searched when no turn is in lower case."""
    if quoted or search is None or not any(map(_uncased, turns)):
        return quoted
    return [document.text for asked in turns[:-1] for _, document in search(asked, SEARCHED_CHUNKS)]


def _uncased(turn: str) -> bool:
    """Typed with letters, none of them a capital: its case says nothing."""
    return turn == turn.lower() and any(c.isalpha() for c in turn)


def recased(turn: str, texts: Iterable[str]) -> str:
    """The turn as it would be typed with capitals, read off `texts` (see the module doc); a
    turn with any capital letter, or with no text to read, is returned as it is."""
    texts = [t for t in dict.fromkeys(texts) if t]
    if not _uncased(turn) or not texts:
        return turn
    words = [w for w in _WORD.finditer(turn) if any(c.isalpha() for c in w.group())]
    out, i = turn, 0
    while i < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            run = words[i:i + n]
            if (n == 1 and run[0].group() in _NOT_ENDS) or run[-1].group() in _NOT_ENDS or not _spaced(turn, run):
                continue
            if written := _capitalised(turn[run[0].start():run[-1].end()], texts):
                said = iter(written.split())  # word by word: the turn's own spacing stays
                cased = re.sub(r"\S+", lambda _: next(said), turn[run[0].start():run[-1].end()])
                out = out[:run[0].start()] + cased + out[run[-1].end():]
                i += n
                break
        else:
            i += 1
    at = next(k for k, c in enumerate(out) if c.isalpha())
    return out[:at] + out[at].upper() + out[at + 1:]


def _spaced(turn: str, run: list[re.Match]) -> bool:
    """Are the run's words only spaces apart ("united states", not "watt, engines")?"""
    return all(turn[a.end():b.start()].isspace() for a, b in zip(run, run[1:]))


def _capitalised(phrase: str, texts: list[str]) -> str:
    """The capitalised form the texts write `phrase` in (its first and last word capitalised),
    when they write it so at least NAME_SHARE of the times they write it where no sentence
    starts; else "". A single word counts only where it stands alone ("the fort", not "Fort
    Duquesne"), and a word the texts also write in lower case needs MIN_PLACES of them: "the
    title of King" once makes no name of "king" beside "the English king"; "Hervé" once does."""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b", re.I)
    one_word = " " not in phrase.strip()
    forms: Counter[str] = Counter()
    lower = False  # written in lower case anywhere inside a sentence, a longer name's place too
    for text in texts:
        for match in pattern.finditer(text):
            if _SENTENCE_START.search(text, max(0, match.start() - _LOOKBACK), match.start()):
                continue
            lower = lower or match.group().islower()
            if not (one_word and _in_longer_name(text, match)):
                forms[" ".join(match.group().split())] += 1
    capital = Counter({f: k for f, k in forms.items() if f[0].isupper() and f.split()[-1][0].isupper()})
    needed = MIN_PLACES if one_word and lower else 1
    if capital.total() < needed or capital.total() < NAME_SHARE * forms.total():
        return ""
    return capital.most_common(1)[0][0]


_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]*\s+$")
_NAME_AFTER = re.compile(r"\s+(?:(?:of|de|du|la|le|the)\s+)*[A-Z]")


def _in_longer_name(text: str, match: re.Match) -> bool:
    """Is this place of a word part of a longer name ("Fort Duquesne", "Court of Justice", "European
    Communities Act")? It says how that name is written, not the word alone: "the fort" is no
    name. A capitalised stop word before it ("In Japan") starts the sentence, not a name."""
    before = _NAME_BEFORE.search(text, max(0, match.start() - 40), match.start())
    return (before is not None and before.group().split()[0].lower() not in STOP) \
        or _NAME_AFTER.match(text, match.end()) is not None
