"""Questions as people type them: in lower case, without a question mark.

Search questions arrive as "who wrote to kill a mockingbird" or "how old is the earth". Two
things in the answer path read what such typing leaves out, and this module gives it back
without changing what was typed (the answer's `query` stays as asked):
- `punctuated`: the reading model was trained on questions that end in "?", and reads one
  without it as a different, weaker question; a line opened as a question (a question word,
  or an auxiliary, after at most a preposition or an opening phrase and its comma) is read
  with its mark. A request ("name the ...") or a statement is left as it is.
- `given_names`: the names check (quotes.names_found) holds a document to the names a
  question gives, found by their capitals. A question typed with no capital letter at all
  names things by the forms the texts write: a word of it that the candidate documents
  capitalise where no sentence starts, nearly always, is a name. A question with any capital
  is taken as typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

_PROPER = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][\w-]+")  # capitalised, not starting a sentence
_WORD = re.compile(r"\b\w[\w-]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(]\s*|\n\s*)$")
_AUXILIARY = r"is|are|was|were|am|do|does|did|can|could|will|would|should|shall|has|have|had"
# after an opening phrase and its comma only an auxiliary asks: "In mice, which lack ..." relates
_OPENS = re.compile(
    rf"^\W*(?:(?:(?:in|at|on|by|for|from|to|with|of|during|after|before|according\s+to)\s+)?"
    rf"(?:what|which|who|whom|whose|when|where|why|how)\b|(?:[^,?]{{1,40}},\s*)?(?:{_AUXILIARY})(?:n't)?\s)", re.I)
_ENDS_OPEN = re.compile(r"[\w\"'”’)]\s*$")  # no full stop, "!" or other mark the typist chose
NAME_SHARE = 0.7  # of a word's places inside sentences, the share written with a capital to count as a name
_LOOKBACK = 4  # characters before a word that can show a sentence starts there


def opens_as_question(text: str) -> bool:
    """Opened by a question word or an auxiliary, after at most a preposition ("in which
    year ...") or an opening phrase and its comma ("In 1972, did Norway ...")."""
    return _OPENS.match(text) is not None


def punctuated(query: str) -> str:
    """The query as the reading model reads questions: one opened as a question, with no "?"
    anywhere and no closing mark of its own, gets its "?" ("how old is the earth" → "how old
    is the earth?"); any other line is returned as it is."""
    if "?" in query or not _ENDS_OPEN.search(query) or not opens_as_question(query):
        return query
    return query.rstrip() + "?"


@lru_cache(maxsize=32)
def _casing(text: str) -> tuple[Counter, Counter]:
    """How often each word (lower-cased) is written with a capital, and without one, where no
    sentence starts. Cached per text: one question reads the same few documents many times."""
    upper, lower = Counter(), Counter()
    for match in _WORD.finditer(text):
        if _SENTENCE_START.search(text, max(0, match.start() - _LOOKBACK), match.start()):
            continue
        word = match.group()
        (upper if word[0].isupper() else lower)[word.lower()] += 1
    return upper, lower


def proper_names(text: str) -> list[str]:
    """The names a question gives as typed: capitalised words that do not start a sentence."""
    return _PROPER.findall(text.strip())


def given_names(question: str, texts: Iterable[str] = (),
                written: Callable[[str], Iterable[str]] | None = None) -> list[str]:
    """The names a question gives: its capitalised words that do not start a sentence; for a
    question with no capital letter, those of its words (but the first) that the texts write
    capitalised at least NAME_SHARE of the times they write them inside a sentence, as the
    texts write them (`_is_name`). A word the texts never write is looked up in `written(word)`, texts
    elsewhere in the corpus that hold it: a name the candidates lack ("japan" asked of the
    Normans) is what the names check is for."""
    question = question.strip()
    if question != question.lower():
        return proper_names(question)
    counts = [_casing(text) for text in dict.fromkeys(texts)]
    return [word[0].upper() + word[1:] for word in _WORD.findall(question)[1:] if _is_name(word, counts, written)]


def _is_name(word: str, counts: list[tuple[Counter, Counter]], written: Callable[[str], Iterable[str]] | None) -> bool:
    """Written capitalised nearly always where the texts (or, if they never write it, the
    corpus) write it; a hyphened word nowhere written whole, when each part is ("oxford-cambridge
    rivalry": the texts write Oxford and Cambridge, joined otherwise)."""
    upper, lower = _written(word, counts)
    if not upper + lower and written is not None:
        upper, lower = _written(word, [_casing(text) for text in dict.fromkeys(written(word))])
    if not upper + lower and "-" in word.strip("-"):
        return all(_is_name(part, counts, written) for part in word.split("-") if part)
    return upper > 0 and upper >= NAME_SHARE * (upper + lower)


def _written(word: str, counts: list[tuple[Counter, Counter]]) -> tuple[int, int]:
    """How often the texts counted write the word with a capital, and without one."""
    return sum(up[word] for up, _ in counts), sum(low[word] for _, low in counts)
