""""Which came first?", "Which one was bigger?": a follow-up that compares the two things
the conversation last asked about, in time or in size.

Ordering two dates or amounts is reasoning Attest does not do; what it can do without a
language model is quote, side by side, the sentence that gave each its date or amount: the
best quote holding a date (an amount: a number) of each of the last two answers, rather than
the last question plus "first" (which once quoted "Older than The Game by 23 years, the
Harvard-Yale Regatta ..." for "Which is older?" after Harvard and Yale). In time the two are
different things; in size they may be one thing twice ("how powerful were Watt's engines?",
"and by 1883?"). With no such pair it is read as any follow-up: "Which one was the first?"
after "Which treaties formed the European Union?" picks among one answer's things.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag.followup.resolved import Passage
from rag.followup.words import WHEN
from rag.index import terms
from rag.quotes import Sentence, candidate_sentences

_COMPARES = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)*which(?:\s+(?:one|of\s+(?:them|the\s+two|these|those)))?"
    r"\s+(?:(?:is|was|were|are|came|comes|happened|started|began|ended|did)\s+)?"
    r"(?:first|earlier|later|last|older|oldest|newer|newest|younger|more\s+recent"
    r"|the\s+(?:oldest|first|earliest|latest)|(?P<size>(?:the\s+)?(?:bigger|biggest|larger|largest|greater|"
    r"greatest|smaller|smallest|higher|highest|lower|lowest|longer|longest|shorter|heavier|faster|stronger|"
    r"more\s+powerful|more|less|fewer)))"
    r"(?:\s+(?:happen|come|start|begin|end))?[\s?.!]*$", re.I)


def compares(question: str) -> bool:
    """Does the question only ask which of two things came first ("Which came first?",
    "Which one was earlier?", "Which is older?") or is bigger ("which one was bigger")?"""
    return _COMPARES.match(question) is not None


def by_size(question: str) -> bool:
    """Does the comparison ask which is bigger, not which came first?"""
    compared_ = _COMPARES.match(question)
    return compared_ is not None and compared_["size"] is not None


# an amount: a figure, or a number written as a word ("Watt's ten-horsepower engines")
_AMOUNT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"forty|fifty|hundred|thousand|million|billion|dozen)\b", re.I)


def dated(quoted: list[Passage], entity: str) -> Passage | None:
    """The best quote of an answer that gives a date and names the thing asked about ("In
    1957 ... the Treaty of Rome", not a sentence on the treaties that began in 1951), else
    its best quote that gives a date."""
    about = set(terms(entity))
    with_date = [p for p in quoted if WHEN.search(p.text)]
    return next((p for p in with_date if about <= set(terms(p.text))), with_date[0] if with_date else None)


def measured(quoted: list[Passage]) -> Passage | None:
    """The best quote of an answer that gives an amount, else None."""
    return next((p for p in quoted if _AMOUNT.search(p.text)), None)


def compared(answers: list[tuple[str, list[Passage]]], size: bool = False) -> list[Passage]:
    """Of (entity, quotes) per exchange, oldest first: the dated quotes of the last two
    answers about different things (`size`: the quotes giving an amount of the last two
    answers, about one thing or two), in the order they were asked; [] without two."""
    found: list[tuple[str, Passage]] = []
    for entity, quoted in reversed(answers):
        quote = measured(quoted) if size else dated(quoted, entity)
        if quote is None or any((entity.lower() == seen.lower() and not size) or quote.text == p.text
                                for seen, p in found):
            continue
        found.append((entity, quote))
        if len(found) == 2:
            return [p for _, p in reversed(found)]
    return []


def dating(pair: list[Passage], following: Callable[[str, int], list]) -> list[Sentence]:
    """The candidate sentences of each compared quote, read from its stored chunks
    (`following`: the engine's chunks from an offset on), ranked in the order asked."""
    return [s for rank, p in enumerate(pair) for s in candidate_sentences(following(p.document_id, p.start),
                                                                          first_rank=rank)
            if s.document.id == p.document_id and p.start <= s.start and s.end <= p.end]


def asked_order(sentences: list[Sentence], pair: list[Passage]) -> list[Sentence]:
    """The sentences in the order their things were asked about, each quote's in its text's order."""
    def at(s: Sentence) -> tuple[int, int]:
        return next((i for i, p in enumerate(pair) if p.document_id == s.document.id and p.start <= s.start < p.end),
                    len(pair)), s.start
    return sorted(sentences, key=at)
