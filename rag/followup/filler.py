"""What a typed question says around itself: "Interesting! when did it end?", "hi! quick one -
when was ...?", "hmm ok, can you tell me who made it please", "i was wondering where ..., if you
don't mind" → the question itself (`unpadded`). Interjections, greetings, thanks and a request's
frame ask nothing; left in, "Interesting" or "tell me" are searched for and read as words of the
question, and "don't" even as a negation every quote must share. The one reading for a follow-up
(rag/followup/rewrite.py) and for a first question (rag/meant.py).
Invariant: only words are dropped, never added or reordered; a turn that is all filler, or whose
rest opens no question, is kept as typed.
"""

from __future__ import annotations

import re

from rag.followup.words import GREETINGS
from rag.typed import opens_as_question

_INTERJECTION = (rf"(?:(?:hi|hello|hey)\s+there|{GREETINGS}|hiya|yo|oh|ah|aha|hm+|um+|uh+|er+m?|well|right|alright|"
                 r"cool|nice|great|interesting|wow|i\s+see|got\s+it|makes\s+sense|thx|sure|yes|yeah|so|really|"
                 r"basically|sorry|excuse\s+me|please|(?:a\s+|one\s+)?quick\s+(?:one|question)|random\s+question|"
                 # "how come? why were they buying arms": the second question says what the first asks
                 r"how\s+come(?=\s*[?!.]))")
# a request framing the question: "can you tell me", "i was wondering", "does anyone know"
_FRAME = (r"(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?(?:tell|show|remind|explain\s+to)\s+me|"
          r"(?:please\s+)?tell\s+me|i\s+wonder|"
          r"i(?:\s+was|\s+am|['’]m)\s+(?:just\s+)?(?:wondering|curious(?:\s+to\s+know)?)|"
          r"i(?:['’]d|\s+would)\s+(?:like|love)\s+to\s+know|i\s+(?:want|wanted|need|needed)\s+to\s+know|"
          r"(?:do|does)\s+(?:you|anyone|anybody)\s+know)")
# a run of them, each closed by a mark, a dash or a space: "ok thanks.", "Interesting!", "hi! quick one -"
_LEAD = re.compile(rf"^\s*(?:(?:{_INTERJECTION}|{_FRAME})(?:\s*[,.!?;:…]+\s*|\s+[-–—]\s+|\s+|$))+", re.I)
# what a follow-up left after the filler may start with: "and in 1897?"
_JOINED = re.compile(r"(?:and|but|also)\b", re.I)
# said after it: thanks after a mark ("..., thx", "...? thanks!"), "please", "if you don't mind"
_TAIL = re.compile(r"(?:(?:\s*[,;:.!?\-–—]+\s*(?:thanks|thank\s+you|thx|ty|cheers)(?:\s+(?:so\s+much|a\s+lot))?)|"
                   r"(?:[\s,;:\-–—]*\b(?<!\bto\s)(?:please|pls|plz|if\s+you\s+(?:don['’]?t|do\s+not)\s+mind|"
                   r"if\s+possible|if\s+you\s+(?:can|know)|by\s+any\s+chance)))+[\s.!?]*$", re.I)


def unpadded(question: str) -> str:
    """The question without what is said before it and the thanks or "please" after it (see
    the module doc); a "?" typed before the thanks stays, and a question typed with a capital
    keeps one. As typed when what is left opens no question ("ok so the french lost?" keeps
    its "so") or nothing is left."""
    lead = _LEAD.match(question)
    rest = question[lead.end():] if lead else question
    if not (opens_as_question(rest) or _JOINED.match(rest)):
        return question
    tail = _TAIL.search(rest)
    if tail and tail.start() > 0:
        rest = rest[:tail.start()].rstrip(" ,;:-–—") + ("?" if "?" in tail.group() else "")
    if rest == question:
        return question
    return rest[:1].upper() + rest[1:] if question[:1].isupper() else rest
