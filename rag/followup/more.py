""""Tell me more", "What else?", "Go on": a follow-up that asks the previous question again
for what the conversation has not shown yet.

It names nothing of its own, so it is answered as the question it continues was (the same
query, the same scores), less every quote the conversation showed since that question
(`unshown`, by document and offsets, and a copy of one in another file): the next most
probable quotes. When none of those passes the decline cut-off, the text goes on from the
best quote of the last answer (`reading_on`): the sentences after it in its document,
past those shown already, up to the next heading, still quotes with offsets. The best
quote, not the last: an answer's later quotes are the weaker ones, often from elsewhere
in the document, and "Go on" reads on from what answered. But where the best quote ends
its paragraph and another quote of that answer was cut from the middle of one, the text
goes on from that one (`read_from`): more of what answered, not the next paragraph's new
subject ("A steam turbine consists of ..." after a caption-like sentence on Newcomen). "Go on" asks for exactly that,
and so do "What happened next?", "What did that lead to?" and "What did they do next?", which read on first
(`asks_next`): another answer to the previous question does not say what came after it.
"What else?" after an answer the corpus has no second one for is better answered by where
the first one was found than by a decline that lists passages the user has seen. "Who
else?" is the exception (`naming_others`): when no unshown quote passes, a shown quote that
names several people already answers it ("led by ... Jean de Bethencourt and the Poitevine
Gadifer de la Salle"), and is quoted again rather than text that names no one.
"""

from __future__ import annotations

import re

from rag.followup.person import person_like
from rag.followup.resolved import DocumentText, Passage
from rag.followup.words import names
from rag.quotes import Sentence, candidate_sentences
from rag.types import Turn

_GOES_ON = re.compile(r"[^\S\n]*\n?[^\S\n]*\S")  # the same paragraph goes on: at most one line break, then text
FOLLOWING_CHUNKS = 2  # chunks read from the quote on: more than an answer's worth of words after it

_PRONOUN = r"(?:it|that|this|them|those|these|him|her)"
# The whole question is the request: "Tell me more about the Normans" names what it asks
# about, and is read as any question is.
_ASKS_MORE = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|please|great|thanks|thank you)\b[\s,.!]*)*"
    r"(?:(?:can|could|would|will)\s+you\s+)?"
    r"(?:(?:tell|show|give)\s+me\s+(?:a\s+(?:bit|little)\s+|some(?:thing)?\s+)?more"
    r"|(?:say|anything|something|what)\s+more|more|what\s+else|anything\s+else|who\s+else(?:\s+[a-z]+ed)?"
    r"|(?:go|carry|keep|read)\s+on|keep\s+going|continue|elaborate|expand)"
    rf"(?:\s+(?:about|on|of)\s+{_PRONOUN})?(?:[\s,]+please)?[\s?.!]*$", re.I)


# "What happened next?" asks for what the text tells after the last answer, not for another
# answer to the previous question: it reads on first.
_ASKS_NEXT = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)*"
    r"(?:what\s+(?:happened|happens|came|comes|followed|follows)(?:\s+(?:next|afterwards?|after\s+(?:that|this|it)))?"
    r"|what\s+next|(?:and\s+)?then\s+what|and\s+then|and\s+after\s+(?:that|this)"
    rf"|what\s+did\s+{_PRONOUN}\s+lead\s+to|where\s+did\s+{_PRONOUN}\s+lead"
    # "what did they do next": the doer's next step is what the text tells next
    r"|what\s+did\s+(?:they|he|she|it|we)\s+do\s+(?:next|then|afterwards?|after\s+(?:that|this)))"
    r"[\s?.!]*$", re.I)


def asks_more(question: str) -> bool:
    """Does the question only ask for more of the previous answer ("Tell me more", "What
    else?", "Who else joined?", "Go on", "Anything else?", "More about that", "What happened next?")?"""
    return _ASKS_MORE.match(question) is not None or asks_next(question)


def asks_next(question: str) -> bool:
    """Does the question ask what came after the previous answer ("What happened next?",
    "What did that lead to?", "And then?")? Then the text after its best quote answers first."""
    return _ASKS_NEXT.match(question) is not None


_WHO_ELSE = re.compile(r"^\s*(?:(?:and|so|ok|okay)\b[\s,]*)*who\s+else\b", re.I)


def asks_who_else(question: str) -> bool:
    """Does the question ask for other people than the answer gave ("Who else?", "And who else joined?")?"""
    return _WHO_ELSE.match(question) is not None


def naming_others(sentences: list[Sentence], shown: list[Passage]) -> list[Sentence]:
    """The shown sentences that name two people or more (names of two words or more, not an
    institution's), in their order: for "Who else?", the others may be there already."""
    return [s for s in sentences if _shown(s, shown) and len(_people(s.text)) >= 2]


def _people(text: str) -> list[str]:
    """The names of two words or more that may be a person's, "A and the B" read as two."""
    return [part for name in names(text) for part in re.split(r"\s+and\s+(?:the\s+)?", name)
            if len(part.split()) > 1 and person_like(part)]


def continued_at(history: list[Turn]) -> int | None:
    """The index in `history` of the question a "Tell me more" continues: the last user
    turn that is not itself a request for more; None when there is none."""
    asked = [i for i, turn in enumerate(history) if turn.role == "user" and turn.content.strip()
             and not asks_more(turn.content)]
    return asked[-1] if asked else None


def _norm(text: str) -> str:
    return " ".join(text.split())


def _shown(sentence: Sentence, shown: list[Passage]) -> bool:
    """Is the sentence (part of) a quote the conversation showed, or a copy of one in
    another file?"""
    text = _norm(sentence.text)
    return any((p.document_id == sentence.document.id and p.start < sentence.end and sentence.start < p.end)
               or text in _norm(p.text) for p in shown)


def unshown(sentences: list[Sentence], shown: list[Passage]) -> list[Sentence]:
    """The sentences the conversation has not shown yet."""
    return [s for s in sentences if not _shown(s, shown)] if shown else sentences


def following(hits: list, sentences: list[Sentence], first_rank: int) -> tuple[list[Sentence], list[int]]:
    """The sentences with those of `hits` (the chunks the text goes on in) added where
    missing, ranked from first_rank, and the indices of all of hits' sentences among them:
    they are read whatever their prior, so that each quote read on has a probability."""
    known = {(s.document.id, s.start) for s in sentences}
    added = [s for s in candidate_sentences(hits, first_rank=first_rank) if (s.document.id, s.start) not in known]
    out = sentences + added
    wanted = {(chunk.document_id, start) for _, chunk, _ in hits for start, _ in chunk.sentences}
    return out, [i for i, s in enumerate(out) if (s.document.id, s.start) in wanted]


def reading_on(sentences: list[Sentence], last: Passage | None, shown: list[Passage],
               max_words: int) -> list[Sentence]:
    """The sentences that follow the quote `last` in its document, in order, skipping those
    shown already, up to max_words (one at least) and no further than the next text that is
    not a candidate sentence (a heading, a new section)."""
    if last is None:
        return []
    spans = sorted([(s.start, s.end, s) for s in sentences if s.document.id == last.document_id
                    and s.start >= last.end]
                   + [(p.start, p.end, None) for p in shown if p.document_id == last.document_id
                      and p.start >= last.end], key=lambda span: span[:2])
    text = next((s.document.text for s in sentences if s.document.id == last.document_id), "")
    at, taken, words = last.end, [], 0
    for start, end, sentence in spans:
        if start < at:
            continue  # a sentence inside one read already
        if text[at:start].strip():
            break
        at = end
        if sentence is None or _shown(sentence, shown):
            continue
        if taken and words + sentence.words > max_words:
            break
        taken.append(sentence)
        words += sentence.words
    return taken


def read_from(quoted: list[Passage], document_text: DocumentText | None) -> Passage | None:
    """The quote of an answer (best first) that "Tell me more" reads on from: the best one
    whose paragraph goes on after it, else the best (module doc)."""
    if document_text is not None:
        for passage in quoted:
            if _GOES_ON.match(document_text(passage.document_id), passage.end):
                return passage
    return quoted[0] if quoted else None
