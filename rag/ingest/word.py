"""What a Word file shows, read from its XML (python-docx's `Paragraph.text` reads only a
paragraph's direct runs and links, so inserted text, fields' results, content controls, smart
tags and text boxes were lost).

Invariant: text the reader of the page does not see is never returned: deleted and moved-away
text (w:del, w:moveFrom), field instructions (w:instrText), hidden runs (w:vanish), a content
control's settings, comments, headers and footers, a table of contents. Text the reader sees is,
where it cuts no body sentence: a text box's paragraphs after the paragraph that anchors it,
footnotes and endnotes after the body (`notes`), their reference marks nowhere. Breaks and tabs
inside a paragraph are spaces, so no two words are glued. Nothing here cleans or stores text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # WordprocessingML, office.py too
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
# not shown on the page: deleted text, field codes, a control's settings, formatting (whose
# w:del and w:ins only mark a paragraph mark's changes)
_UNSEEN = {f"{W}{name}" for name in ("del", "moveFrom", "delText", "instrText", "sdtPr", "sdtEndPr", "rPr",
                                      "pPr", "tblPr", "trPr", "tcPr", "commentReference", "footnoteRef",
                                      "endnoteRef", "annotationRef")}
_SPACES = {f"{W}{name}" for name in ("tab", "ptab", "br", "cr")}  # a break inside a paragraph is a space
_NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
# containers whose blocks are the body's: content controls, custom XML, tracked insertions
_BLOCK_WRAPPERS = {f"{W}{name}" for name in ("sdt", "sdtContent", "customXml", "ins", "moveTo")}
_CONTENTS_STYLE = re.compile(r"(?i)toc\s*\d|tableofcontents|contents\d")  # Word's "TOC 1".."TOC 9" styles


@dataclass
class NoteMarks:
    """The notes the text read so far refers to, (kind, id) in order of first reference."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, note_id: str) -> None:
        if (kind, note_id) not in self.seen:
            self.seen.append((kind, note_id))


def blocks(container) -> Iterator:
    """A body's (or cell's, note's, text box's) paragraphs and tables in order, those inside
    content controls and tracked insertions included, deleted ones and a table of contents not."""
    for child in container:
        if child.tag in (f"{W}p", f"{W}tbl"):
            if not _is_contents(child):
                yield child
        elif child.tag in _BLOCK_WRAPPERS and not _is_contents(child):
            yield from blocks(child)


def _is_contents(element) -> bool:
    """A table of contents: a content control Word's gallery marks so, or a paragraph in a TOC
    style; it repeats the headings with page numbers."""
    if element.tag == f"{W}sdt":
        gallery = element.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
        return gallery is not None and gallery.get(f"{W}val", "") == "Table of Contents"
    style = element.find(f"{W}pPr/{W}pStyle") if element.tag == f"{W}p" else None
    return style is not None and bool(_CONTENTS_STYLE.fullmatch(style.get(f"{W}val", "")))


def paragraph_text(paragraph, marks: NoteMarks) -> tuple[str, list[str]]:
    """(the paragraph's text, the lines of the text boxes anchored in it); the notes it refers
    to are added to `marks`."""
    out: list[str] = []
    boxes: list[str] = []
    _inline(paragraph, out, boxes, marks)
    return "".join(out), boxes


def _inline(element, out: list[str], boxes: list[str], marks: NoteMarks) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _UNSEEN or _hidden(child):
            continue  # lxml's comments and processing instructions have no string tag
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag in _SPACES:
            out.append(" ")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag in _NOTE_REFERENCES:
            marks.add(_NOTE_REFERENCES[tag], child.get(f"{W}id", ""))
        elif tag == f"{W}txbxContent":
            boxes += box_lines(child, marks)
        elif tag == f"{_MC}AlternateContent":  # the same content twice (a shape and its VML copy): one
            chosen = child.find(f"{_MC}Choice")
            _inline(chosen if chosen is not None else child, out, boxes, marks)
        else:  # runs, links, simple fields' results, smart tags, inline controls, insertions
            _inline(child, out, boxes, marks)


def _hidden(element) -> bool:
    """A run formatted as hidden text (w:vanish), which Word does not show or print."""
    if element.tag != f"{W}r":
        return False
    vanish = element.find(f"{W}rPr/{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false", "off")


def box_lines(container, marks: NoteMarks) -> list[str]:
    """A text box's (or note's) paragraphs one per line; a table's row as its cells joined by " | "."""
    lines: list[str] = []
    for block in blocks(container):
        if block.tag == f"{W}tbl":
            for row in _own(block, "tr", "tbl"):
                cells = [" ".join(box_lines(cell, marks)) for cell in _own(row, "tc", "tr")]
                lines.append(" | ".join(" ".join(cell.split()) for cell in cells if cell.strip()))
            continue
        text, inner = paragraph_text(block, marks)
        lines += [text, *inner]
    return [line for line in lines if line.strip()]


def _own(element, tag: str, level: str) -> list:
    """The `tag` elements of this table (`level` "tbl") or row ("tr"), those a content control
    wraps included, not those of a table nested in one of its cells (read with that cell)."""
    return [found for found in element.iter(f"{W}{tag}")
            if next(found.iterancestors(f"{W}{level}"), None) is element]


def cell_text(tc, marks: NoteMarks) -> str:
    """A table cell's paragraphs (not the tables inside it, read after its row) as one line."""
    lines: list[str] = []
    for block in blocks(tc):
        if block.tag == f"{W}p":
            text, inner = paragraph_text(block, marks)
            lines += [text, *inner]
    return " ".join(" ".join(lines).split())


def notes(part, marks: NoteMarks) -> list[str]:
    """The text of the footnotes, then the endnotes, the document refers to, each in the order of
    its first reference, one paragraph a line; a note the text never refers to is not shown."""
    from docx.oxml import parse_xml

    roots = {}
    for rel in part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if rel.reltype == _RELATIONSHIPS + kind and kind in ("footnotes", "endnotes") and not rel.is_external:
            roots[kind[:-1]] = parse_xml(rel.target_part.blob)
    lines: list[str] = []
    for wanted in ("footnote", "endnote"):
        root = roots.get(wanted)
        if root is None:
            continue
        by_id = {note.get(f"{W}id"): note for note in root.iter(f"{W}{wanted}")}
        for kind, note_id in marks.seen:
            if kind == wanted and (note := by_id.get(note_id)) is not None:
                lines += box_lines(note, NoteMarks())  # a note's own marks lead nowhere further
    return lines
