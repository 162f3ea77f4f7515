"""Remove web-page boilerplate before text is stored, so it can never be quoted.

Removed: navigation crumbs (short bullet runs, menu words), donation and subscription
appeals, image-file fragments and markdown images, Wikipedia's editorial tags such as
"[citation needed]", control characters. Kept: every
line that reads as a sentence and is not an appeal. The output is the stored text.
"""

from __future__ import annotations

import re
import unicodedata

_NAV_WORDS = {
    "home", "menu", "search", "share", "tweet", "print", "email", "skip to content",
    "latest news", "latest", "news", "category", "categories", "tags", "related",
    "read more", "more", "subscribe", "donate", "log in", "login", "sign in", "sign up",
    "next", "previous", "back to top", "advertisement", "comments", "follow us",
}
_BULLET = re.compile(r"^\s*(?:[-*•·>]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’)\]]*\s*$")
_APPEAL = re.compile(
    r"\b(donat\w*|subscri\w*|your support|support (?:us|our|independent)|newsletter|"
    r"sign up|become a (?:member|patron|supporter)|patreon|paywall|chip in|"
    r"pushes back against disinformation)\b",
    re.IGNORECASE,
)
_ADDRESSEE = re.compile(r"\b(you|your|us|our|we)\b", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_IMAGE_FRAGMENT = re.compile(
    r"[^\s()\[\]]*(?:[0-9a-f]{6,}|\.\.\.|…)[^\s()\[\]]*\.(?:png|jpe?g|gif|webp|svg|avif)\b\)?",
    re.IGNORECASE,
)
_BARE_IMAGE = re.compile(r"^\s*[^\s]+\.(?:png|jpe?g|gif|webp|svg|avif)\)?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _printable(text: str) -> str:
    """Drop control and format characters except newlines and tabs; normalise newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )


def _words(line: str) -> int:
    return len(line.split())


def _bare(line: str) -> str:
    return _BULLET.sub("", line).strip().strip("|»›>").strip()


def is_menu_word(line: str) -> bool:
    return _bare(line).lower() in _NAV_WORDS


def is_crumb(line: str) -> bool:
    """A short bullet that is not a sentence: a navigation crumb when it comes in a run."""
    bare = _bare(line)
    return bool(_BULLET.match(line)) and _words(bare) <= 4 and not _SENTENCE_END.search(bare)


def is_appeal(line: str) -> bool:
    return _words(line) <= 60 and bool(_APPEAL.search(line)) and bool(_ADDRESSEE.search(line))


def strip_images(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _IMAGE_FRAGMENT.sub("", line)
    return "" if _BARE_IMAGE.match(line) else line


# Wikipedia's inline maintenance tags: fixed wordings only, so real bracketed text ("[sic]",
# "a[1]", "[2020]", "[Ed.]") stays. A bounded alternation: linear in the line's length.
_WIKI_TAG = re.compile(
    r"\[(?:citation needed|clarification needed|verification needed|failed verification|"
    r"better source needed|full citation needed|page needed|year needed|attribution needed|"
    r"not in citation given|dubious(?: [–-] discuss)?|original research\??|unreliable source\??|"
    r"according to whom\?|by whom\?|when\?|who\?|which\?|where\?|why\?|specify|vague|edit)\]",
    re.IGNORECASE,
)


def strip_wiki_tags(line: str) -> str:
    """The line without Wikipedia maintenance tags ("[citation needed]", "[who?]", "[edit]")."""
    return _WIKI_TAG.sub("", line)


def clean_text(text: str) -> str:
    """Cleaned, whitespace-normalised text: paragraphs separated by one blank line."""
    lines = [_SPACES.sub(" ", strip_images(strip_wiki_tags(line))).strip() for line in _printable(text).split("\n")]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            kept.append("")
            continue
        neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        crumb_run = is_crumb(line) and any(is_crumb(n) or is_menu_word(n) for n in neighbours)
        if is_menu_word(line) or crumb_run or is_appeal(line):
            continue
        kept.append(line)
    paragraphs = "\n".join(kept).split("\n\n")
    return "\n\n".join(p.strip("\n") for p in paragraphs if p.strip())
