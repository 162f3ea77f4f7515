"""Questions as people type them: in lower case, without a question mark.

Search questions arrive as "who wrote to kill a mockingbird" or "how old is the earth". Two
things in the answer path read what such typing leaves out; neither shows in the answer's
`query` (a first question's slips and chatter do: rag/meant.py):
- `punctuated`: the reading model was trained on questions that end in "?", and reads one
  without it as a different, weaker question; a line opened as a question (a question word,
  or an auxiliary, after at most a preposition or an opening phrase and its comma) is read
  with its mark. A request ("name the ...") or a statement is left as it is.
- `proper_names`: the names check (quotes.names_found) holds a document to the names a
  question gives, found by their capitals. A question typed with no capital names nothing, and
  is not held to names guessed for it: reading names off how the texts capitalise its words
  declined no more unanswerable tune-half questions than it lost answerable ones, and holds a
  search question's alias ("jfk", "shopnbc") to a spelling its document does not use.
"""

from __future__ import annotations

import re

# capitalised, not starting a sentence; an initial's full stop ends none ("William E. Simon")
_PROPER = re.compile(r"(?<!^)(?<!(?<!\b[A-Z])[.?!] )\b[A-Z][\w-]+")
_AUXILIARY = r"is|are|was|were|am|do|does|did|can|could|will|would|should|shall|has|have|had"
# after an opening phrase and its comma only an auxiliary asks: "In mice, which lack ..." relates
_OPENS = re.compile(
    rf"^\W*(?:(?:(?:in|at|on|by|for|from|to|with|of|during|after|before|according\s+to)\s+)?"
    rf"(?:what|which|who|whom|whose|when|where|why|how)\b|(?:[^,?]{{1,40}},\s*)?(?:{_AUXILIARY})(?:n't)?\s)", re.I)
_ENDS_OPEN = re.compile(r"[\w\"'”’)]\s*$")  # no full stop, "!" or other mark the typist chose


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


def proper_names(text: str) -> list[str]:
    """The names a question gives as typed: capitalised words that do not start a sentence."""
    return _PROPER.findall(text.strip())
