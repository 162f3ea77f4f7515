"""Remove web-page boilerplate before text is stored, so it can never be quoted.

Removed: navigation crumbs (short bullet runs, menu words; a list a lead-in line introduces,
"The winners are:", a numbered list and a list whose items mostly state something, "- 2 eggs",
"- Bring a packed lunch", are content), donation and subscription
appeals (told from prose about giving in `appeals.py`), image-file fragments and markdown
images, Wikipedia's editorial tags such as "[citation needed]", control characters. Kept:
every sentence that is not an appeal. The output is the stored text.
"""

from __future__ import annotations

import re
import unicodedata

from rag.ingest.appeals import without_appeals
from rag.ingest.tables import markdown_tables

_NAV_WORDS = {
    "home", "menu", "search", "share", "tweet", "print", "email", "skip to content",
    "latest news", "latest", "news", "category", "categories", "tags", "related",
    "read more", "more", "subscribe", "donate", "log in", "login", "sign in", "sign up",
    "next", "previous", "back to top", "advertisement", "comments", "follow us",
}
_BULLET = re.compile(r"^\s*(?:[-*•·>»›]|\d+[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")
_SENTENCE_MARKS, _CLOSERS = ".!?…:;", "'\"”’)]"
# Every pattern here runs in linear time on any line: no pattern can scan past the start
# of its next possible match (the alt text stops at '[', the address at an unbalanced '('), and the
# image-fragment test is code over whitespace-delimited tokens, not one backtracking regex.
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\((?:[^()]|\([^()]*\))*\)")
_TOKEN = re.compile(r"[^\s()\[\]]+")
_IMAGE_END = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|avif)\b", re.IGNORECASE)
_FRAGMENT_MARK = re.compile(r"[0-9a-f]{6,}|\.\.\.|…", re.IGNORECASE)
_BARE_IMAGE = re.compile(r"^\s*[^\s]+\.(?:png|jpe?g|gif|webp|svg|avif)\)?\s*$", re.IGNORECASE)
KEPT_INVISIBLE = "\n\t\u200c\u200d"  # the only characters of category C that stored text keeps
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _printable(text: str) -> str:
    """Drop control and format characters except newlines, tabs and the zero-width joiners;
    normalise newlines. A joiner (U+200C, U+200D) is spelling, not markup: it decides how the
    letters beside it join in Persian and Indic scripts and which emoji form one, so a quote
    without it would not read as its source does. Categories are looked up once per distinct
    character, not once per character."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    drop = {ord(ch): None for ch in set(text)
            if ch not in KEPT_INVISIBLE and unicodedata.category(ch)[0] == "C"}
    return text.translate(drop) if drop else text


def _words(line: str) -> int:
    return len(line.split())


def _bare(line: str) -> str:
    return _BULLET.sub("", line).strip().strip("|»›>").strip()


def is_menu_word(line: str) -> bool:
    return _bare(line).lower() in _NAV_WORDS


def is_crumb(line: str) -> bool:
    """A short bullet that is not a sentence: a navigation crumb when it comes in a run.
    Numbered items are a list's content (menus are not numbered: "1. 2 eggs")."""
    bare = _bare(line)
    return (bool(_BULLET.match(line)) and not _NUMBERED.match(line) and _words(bare) <= 4
            and not _ends_sentence(bare))


# What a person's list item says and a menu's label does not: a number ("Founded 1911", "2 eggs";
# not a page number) or a lower-case article ("Bring a packed lunch"; "The Guardian" is a name).
# Menus label places ("Main page", "Contact us"), and tags are bare words too ("ships", "harbours").
_NUMBER = re.compile(r"\d")
_PAGE_NUMBER = re.compile(r"^(?:page|part|p\.)\s*\d+$", re.IGNORECASE)
_ARTICLE = re.compile(r"\b(?:a|an|the)\b")


def says_something(item: str) -> bool:
    """Does a list item (bullet mark and all) state something, rather than name a page?"""
    bare = _bare(item)
    return (_ends_sentence(bare) or bool(_ARTICLE.search(bare))
            or (bool(_NUMBER.search(bare)) and not _PAGE_NUMBER.match(bare)))


def _content_lists(lines: list[str]) -> set[int]:
    """Indices of the lines in a bullet run most of whose items say something (`says_something`):
    a list a person wrote, not a menu, though no heading or lead-in line introduces it."""
    content: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, ""]):
        if _BULLET.match(line) and not _NUMBERED.match(line):
            run.append(i)
            continue
        if 2 * sum(says_something(lines[j]) for j in run) > len(run):
            content.update(run)
        run = []
    return content


def _introduces_list(line: str) -> bool:
    """A lead-in, a line that is not a bullet, such as "The prize winners are:": the short
    bullets after it are its content, not a menu (a lead-in that is itself a menu word,
    "Tags:", introduces nothing)."""
    bare = line.rstrip()
    return bare.endswith(":") and not is_menu_word(bare[:-1])


def _ends_sentence(text: str) -> bool:
    """Ends in sentence punctuation, perhaps followed by closing quotes or brackets."""
    tail = text.rstrip().rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _SENTENCE_MARKS


def _strip_fragments(line: str) -> str:
    """Drop image-file fragments: a token (between spaces, brackets or parentheses) that
    holds a hash-like hex run or an ellipsis and then an image extension, as far as its
    last such extension, with a ")" that closes it."""
    if not _IMAGE_END.search(line):  # most lines name no image file: one linear scan
        return line
    pieces, last = [], 0
    for token in _TOKEN.finditer(line):
        start, end = token.span()
        mark = _FRAGMENT_MARK.search(line, start, end)
        if mark is None:
            continue
        ends = [m.end() for m in _IMAGE_END.finditer(line, mark.end(), end)]
        if not ends:
            continue
        cut = ends[-1] + (line[ends[-1]:ends[-1] + 1] == ")")
        pieces.append(line[last:start])
        last = cut
    return "".join(pieces) + line[last:] if pieces else line


def strip_images(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _strip_fragments(line)
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


# The page numbers of a Wikipedia citation left after a sentence once its bracketed reference is
# gone ("...Calvinist parties.:1–4 When the..."): only right after the sentence's end, so "3:16"
# and "10:30" stay.
_PAGE_MARK = re.compile(r"([.!?][\"”’)]?):\d+(?:[–-]\d+)?(?=\s|$)")


def strip_wiki_tags(line: str) -> str:
    """The line without Wikipedia maintenance tags ("[citation needed]", "[who?]", "[edit]")
    and citation page marks (".:1–4")."""
    return _PAGE_MARK.sub(r"\1", _WIKI_TAG.sub("", line))


_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_STARTS_BLOCK = re.compile(r"^(?:[-*+•·>»›]\s|\d+[.)]\s|#|\||```|~~~)")
WRAPPED_SHARE = 0.6  # a line this share of its paragraph's widest line, or more, may have been wrapped
WRAP_WIDTH = 40  # narrower paragraphs are not wrapped prose (addresses, verse, titles)


def runs_on(last: str, line: str, widest: int) -> bool:
    """Is `line` the rest of a sentence that the printed line `last` broke off (`widest`: the
    widest line printed beside it)? When `last` ends no sentence, `line` starts in lower case or
    `last` is about as wide as the widest, neither is a table row as ingest writes one (office.py,
    html tables), and `line` starts no list item, heading, table row or code fence."""
    wrapped = line[:1].islower() or (widest >= WRAP_WIDTH and len(last) >= WRAPPED_SHARE * widest)
    row = " | " in last or " | " in line
    return wrapped and not row and not _ENDS_SENTENCE.search(last) and not _STARTS_BLOCK.match(line)


def reflow(paragraph: str) -> str:
    """A paragraph's hard-wrapped lines joined into one line (PDF pages, text wrapped at 72
    characters): a line break inside a sentence is a space, or the sentence would be cut in two.
    Joined: a line that does not end a sentence and is no table row, before one that starts no
    list item, heading, table row or code fence, when the next starts in lower case or the line
    is about as wide as the paragraph's widest (a short title line is not wrapped)."""
    lines = paragraph.split("\n")
    widest = max(len(line) for line in lines)
    out = [lines[0]]
    last = lines[0]  # the physical line before the next one
    for line in lines[1:]:
        if runs_on(last, line, widest):
            out[-1] += " " + line
        else:
            out.append(line)
        last = line
    return "\n".join(out)


def table_row(line: str) -> str:
    """A row of a Markdown table without a header, without its outer pipes, so that it reads as
    a Word row does ("Monday | 9:00"); any other line as it is."""
    row = line.strip(" \t")
    inner = row[1:-1]
    return inner if len(row) > 2 and row[0] == row[-1] == "|" and "|" in inner and inner.strip() else line


def clean_text(text: str, web: bool = True, headings: frozenset[str] = frozenset()) -> str:
    """Cleaned, whitespace-normalised text: paragraphs separated by one blank line, a
    paragraph's wrapped lines joined (`reflow`), a Markdown table's rows named by its header
    (tables.markdown_tables).

    web: the text may be a scraped page (plain text, HTML, JSONL records), so navigation
    crumbs, menu words and appeals to the reader go. A format people write (Markdown, Word,
    PDF, e-mail, slides, books, transcripts, tables) is not a page's chrome: there a short
    bullet list ("- Founded 1911") or an appeal ("Please donate by Friday") is the content.
    headings: lines the source marks as headings (Markdown's "## Key facts"); a list right
    under one is its content, as under a lead-in line ("The winners are:")."""
    lines = [_SPACES.sub(" ", strip_images(strip_wiki_tags(table_row(line)))).strip()
             for line in markdown_tables(_printable(text).split("\n"))]
    kept: list[str] = []
    listed = False  # inside a list that a lead-in line introduced
    stating = _content_lists(lines) if web else set()
    for i, line in enumerate(lines):
        if not line:
            kept.append("")
            continue
        if not _BULLET.match(line):
            listed = _introduces_list(line) or (line in headings and not is_menu_word(line))
        neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        crumb_run = is_crumb(line) and any(is_crumb(n) or is_menu_word(n) for n in neighbours)
        if web and (is_menu_word(line) or (crumb_run and not listed and i not in stating)):
            continue
        line = without_appeals(line) if web else line
        if line:
            kept.append(line)
    paragraphs = "\n".join(kept).split("\n\n")
    return "\n\n".join(reflow(p.strip("\n")) for p in paragraphs if p.strip())
