"""Page chrome that main-text extractors keep, removed from a parsed web page before extraction.

Three kinds, each told by markup or by the appeal classifier, never by a site's wording:
in-page link marks (a heading's permalink "¶" or "#", a footnote's "↩": a link to "#..."
with no letter or digit, which trafilatura glues onto the heading as "Station files¶");
overlays (`<dialog>`, role="dialog" or "alertdialog", aria-modal: consent prompts and
sign-up pop-ups sit over the page, they are not in it), unless one holds the headline; and
appeal boxes (a block whose paragraphs are all appeals to the reader, `appeals.is_appeal`,
with at most a heading and buttons besides: the paragraphs would go in cleaning anyway,
their heading and "Start trial" button would not). Invariant: an appeal box holds no
paragraph that is not an appeal, and the page's article, main and body are never removed.
"""

from __future__ import annotations

import re

from rag.ingest.appeals import is_appeal

_OVERLAYS = 'dialog, [role="dialog"], [role="alertdialog"], [aria-modal="true"]'
_ALNUM = re.compile(r"\w")
_BLOCKS = ["p", "li"]
_BOX_TAGS = {"div", "section", "aside"}
# A box's heading and buttons ("Keep reading with a 7-day free trial", "Start trial", "Sign in")
# are short; a block holding more text than this besides its appeals holds something else.
_BOX_OTHER_WORDS = 30
_BOX_DEPTH = 8  # a box wraps its paragraphs closely; climbing further is the page's layout


def _remove(tags: list) -> bool:
    """Remove the tags (one inside another already removed goes with it). Removed any?"""
    for tag in tags:
        if not tag.decomposed:
            tag.decompose()
    return bool(tags)


def drop_link_marks(soup) -> bool:
    """Remove in-page links whose text is only a mark (no letter or digit): permalinks and
    back-references. Removed any?"""
    return _remove([a for a in soup.select('a[href^="#"]') if not _ALNUM.search(a.get_text())])


_NOTE_NUMBER = re.compile(r"[\[(]?(\d{1,3}|[*\u2020\u2021\u00a7]{1,3})[\])]?")  # "1", "[12]", "(3)", "*", "†"


def drop_note_marks(soup) -> bool:
    """In a book, where a note often lives in another file ("notes.xhtml#n1"): remove links to a
    fragment whose text is only a mark ("↩"), or a note number set as a superscript
    ("1911.<sup><a href="#n1">1</a></sup>", which would read "1911.1"). Removed any?"""
    marks = []
    for link in soup.select('a[href*="#"]'):
        said = link.get_text().strip()
        superscript = link.find("sup") is not None or link.find_parent("sup") is not None
        if not _ALNUM.search(said) or (superscript and _NOTE_NUMBER.fullmatch(said)):
            marks.append(link)
    return _remove(marks)


def drop_overlays(soup) -> bool:
    """Remove overlays, except one holding the page's headline, article or main: a page can show
    its article in a modal view, and then the dialog is the page. Removed any?"""
    return _remove([tag for tag in soup.select(_OVERLAYS) if tag.find(["h1", "article", "main"]) is None])


def _words(tag) -> int:
    return len(tag.get_text(" ").split())


def _appealing(block, appeal: dict[int, bool]) -> bool:
    """Is the block an appeal, or empty (a spacer)? Each block is classified once."""
    if id(block) not in appeal:
        text = block.get_text(" ", strip=True)
        appeal[id(block)] = not text or is_appeal(text)
    return appeal[id(block)]


def _all_appeals(node, appeal: dict[int, bool]) -> bool:
    """Does the block hold only appeal paragraphs, and little other text? Asked once per block:
    the paragraphs of one box share their ancestors."""
    if id(node) not in appeal:
        blocks = node.find_all(_BLOCKS)
        appeal[id(node)] = (all(_appealing(b, appeal) for b in blocks)
                            and _words(node) - sum(_words(b) for b in blocks) <= _BOX_OTHER_WORDS)
    return appeal[id(node)]


def _appeal_box(block, appeal: dict[int, bool]):
    """The widest block around `block` (an appeal paragraph) that holds only appeal paragraphs
    and little other text, below the page's article or main; None when there is none."""
    box, node = None, block.parent
    for _ in range(_BOX_DEPTH):
        if node is None or node.name not in _BOX_TAGS or not _all_appeals(node, appeal):
            break
        box, node = node, node.parent
    return box


def drop_appeal_boxes(soup) -> bool:
    """Remove the blocks that hold only appeals, their heading and buttons. Removed any?"""
    appeal: dict[int, bool] = {}  # by element id: a paragraph's or a block's verdict
    boxes = []
    for block in soup.find_all(_BLOCKS):
        if block.get_text(strip=True) and _appealing(block, appeal) and (box := _appeal_box(block, appeal)) is not None:
            boxes.append(box)
    return _remove(boxes)


def drop_chrome(soup) -> bool:
    """Remove link marks, overlays and appeal boxes from a parsed page. Removed any?"""
    return drop_link_marks(soup) | drop_overlays(soup) | drop_appeal_boxes(soup)
