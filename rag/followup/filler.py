"""What a chat turn says around its question: "Interesting! when did it end?", "hmm ok, can you
tell me who made it please", "umm so who built it, if you know?" → the question itself
(`unpadded`). Interjections, thanks and a request's frame ask nothing; left in, "Interesting" or
"tell me" are searched for and read as words of the question.
Invariant: only words are dropped, never added or reordered; a turn that is all filler is kept.
"""

from __future__ import annotations

import re

from rag.followup.words import AUX, WH

_INTERJECTION = (r"(?:hi|hello|hey|ok|okay|oh|ah|aha|hmm+|um+|uh+|er|well|right|alright|cool|nice|great|"
                 r"interesting|wow|i\s+see|got\s+it|makes\s+sense|thanks|thank\s+you|thx|sure|yes|yeah|so|really|"
                 # "how come? why were they buying arms": the second question says what the first asks
                 r"how\s+come(?=\s*[?!.]))")
# a run of interjections, each closed by a mark or a space: "ok thanks.", "Interesting!", "hmm interesting,"
_LEAD = re.compile(rf"^\s*(?:{_INTERJECTION}(?:[,.!?;:…]+\s*|\s+-\s+|\s+|$))+", re.I)
# what a question left after the filler starts with: "well-known rulers?" or "great britain's role?" is no filler
_JOINED = re.compile(r"(?:and|but|also)\b", re.I)
# a request framing the question: "can you tell me", "could you please tell me", "do you know", "i'd like to know"
_FRAME = re.compile(r"^\s*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|remind|explain\s+to)\s+me|"
                    r"please\s+tell\s+me|tell\s+me|do\s+you\s+know|i(?:'d|\s+would)\s+like\s+to\s+know|"
                    r"i\s+(?:want|wanted)\s+to\s+know|i\s+wonder)\s*,?\s+"
                    r"(?=(?:who|whom|whose|what|which|when|where|why|how)\b)", re.I)
_TAIL = re.compile(r"[\s,]+(?:please|if\s+you\s+know|if\s+you\s+can|thanks|thank\s+you|thx)\s*(?=[?.!]*\s*$)", re.I)


def unpadded(question: str) -> str:
    """The question without the interjections before it, a request's frame around it, or a
    "please" after it (see the module doc); as typed when nothing else would be left, or when
    what is left is no question ("ok so the french lost?" keeps its "so")."""
    rest = _LEAD.sub("", question, count=1)
    rest = _FRAME.sub("", rest, count=1)
    rest = _TAIL.sub("", rest)
    if rest == question or not (WH.match(rest) or AUX.match(rest) or _JOINED.match(rest)):
        return question
    return rest[:1].upper() + rest[1:] if question[:1].isupper() else rest
