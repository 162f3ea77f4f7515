"""Tell a publisher's appeal to its reader from prose that merely mentions giving.

An appeal is a sentence that asks the page's reader, on the publisher's behalf, to
donate, subscribe or sign up ("Your support keeps our team in the field.", "Sign up for
our newsletter"). Prose that reports or argues about giving ("other people can donate
money", "the charity asked residents to donate blood") is not one, and neither is an
appeal quoted in a report. Invariant: a sentence is removed only when it matches a
reader-directed call to action; a short line goes whole only when at least half of its
sentences are appeals, so one donation word never deletes a paragraph of prose.
"""

from __future__ import annotations

import re

# Reader-directed calls to action; each names the reader ("your", "you") or the
# publisher ("us", "our"), or is an imperative at the start of its sentence.
_CALLS = re.compile(
    r"\byour (?:continued )?(?:support|donations?|contributions?|gifts?|generosity|subscription|membership)\b"
    r"|\bsupport (?:us|our (?:work|journalism|reporting|team|mission|newsroom|site)"
    r"|independent (?:journalism|media|reporting|news))\b"
    r"|\bour newsletters?\b"
    r"|\b(?:readers|people) like you\b"
    r"|\bplease (?:consider )?(?:donat|subscrib|support|contribut|chip in|sign up|becom)\w*"
    r"|\b(?:consider|by) (?:donating|subscribing|becoming a (?:member|supporter|patron))\b"
    r"|\b(?:make|making) a (?:one-off |monthly |small )?(?:donation|contribution|gift)\b",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(?:please\s+)?(?:donate|subscribe|sign up|chip in|join us|join our|become a (?:member|patron|supporter|subscriber|donor)"
    r"|support (?:us|our|independent)|give (?:today|now|monthly)|already a (?:subscriber|member|supporter)"
    r"|log in to (?:continue|keep) reading)\b",
    re.IGNORECASE,
)
_READER = re.compile(r"\b(?:you|your|us|our)\b", re.IGNORECASE)
# Quoted speech is reported, not addressed to the reader: it never counts as an appeal.
_QUOTED = re.compile(r"“[^”]{0,400}”|\"[^\"]{0,400}\"")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_MAX_APPEAL_LINE_WORDS = 60


def sentences(line: str) -> list[str]:
    """A line cut after sentence-final punctuation followed by a capital or a digit."""
    parts, start = [], 0
    for match in _SENTENCE.finditer(line):
        parts.append(line[start:match.start()].strip() + line[match.start():match.end()].strip())
        start = match.end()
    parts.append(line[start:].strip())
    return [part for part in parts if part]


def is_appeal_sentence(sentence: str) -> bool:
    unquoted = _QUOTED.sub(" ", sentence).strip()
    if _IMPERATIVE.match(unquoted):
        return True
    return bool(_CALLS.search(unquoted)) and bool(_READER.search(unquoted))


def is_appeal(line: str) -> bool:
    """A short line at least half of whose sentences are appeals (the rest is its framing)."""
    parts = sentences(line)
    if not parts or len(line.split()) > _MAX_APPEAL_LINE_WORDS:
        return False
    appeals = sum(is_appeal_sentence(part) for part in parts)
    return appeals > 0 and 2 * appeals >= len(parts)


def without_appeals(line: str) -> str:
    """The line with its appeal sentences removed ("" when the whole line is an appeal)."""
    if is_appeal(line):
        return ""
    parts = sentences(line)
    kept = [part for part in parts if not is_appeal_sentence(part)]
    return line if len(kept) == len(parts) else " ".join(kept)
