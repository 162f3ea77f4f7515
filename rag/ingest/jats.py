"""A JATS article (PubMed Central's .nxml, or an .xml file whose root is <article>) as its reader
sees it: the article title, authors, publication date and DOI as the document's fields; the
abstract under "Abstract", the body's sections as headings ("2.1 Sampling" where the section has a
label), each paragraph, list item and table row on its own line, a figure's or table's label and
caption as one paragraph after the paragraph that holds it; then the back matter: acknowledgements,
footnotes under "Notes", and the references under "References", one a line.

References are kept, after the body: they are text the reader sees, they answer "which study
gave the dataset", and set apart under their heading they cut no sentence of the body. Left out:
a citation or footnote mark set as a superscript ("cells.<sup>1</sup> They"), the journal's
metadata, graphics, and MathML's layout (a formula is its TeX where the file gives one, else its
characters). Nothing is fetched: the DOCTYPE's DTD is never read.
"""

from __future__ import annotations

from xml.etree import ElementTree

from rag.ingest import tables
from rag.ingest.headings import Marked, ReadText

_INLINE_BLOCKS = {"fig", "table-wrap", "list", "disp-quote", "boxed-text", "def-list"}  # set after their paragraph
_SKIPPED = {"graphic", "media", "alternatives", "object-id", "permissions", "supplementary-material"}
_MARKS = {"bibr", "fn", "table-fn"}


class NotJats(ValueError):
    """XML whose root is no JATS <article>."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if _local(child.tag) == name]


def _first(element: ElementTree.Element | None, path: str) -> ElementTree.Element | None:
    """The first element down `path` ("front/article-meta"), by local names."""
    for name in path.split("/"):
        found = _children(element, name) if element is not None else []
        element = found[0] if found else None
    return element


def _is_mark(element: ElementTree.Element) -> bool:
    """A superscript holding only citation or footnote marks ("<sup><xref>1</xref>,<xref>2</xref></sup>")."""
    xrefs = [x for x in element.iter() if _local(x.tag) == "xref"]
    loose = "".join([element.text or ""] + [x.tail or "" for x in element])
    return bool(xrefs) and all(x.get("ref-type") in _MARKS for x in xrefs) and not loose.strip(" ,;–-[]()")


def inline(element: ElementTree.Element) -> str:
    """An element's text as a run of a paragraph: marks, graphics and block elements left out."""
    out = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in _INLINE_BLOCKS or name in _SKIPPED or (name == "sup" and _is_mark(child)):
            pass
        elif name == "xref" and child.get("ref-type") in ("fn", "table-fn"):
            pass
        elif name in ("inline-formula", "disp-formula"):
            tex = next((t for t in child.iter() if _local(t.tag) == "tex-math"), None)
            out.append(" ".join((tex.text if tex is not None else "".join(child.itertext())).split()))
        elif name == "break":
            out.append("\n")
        else:
            out.append(inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _line(text: str) -> str:
    return " ".join(text.split())


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.headings: list[Marked] = []

    def heading(self, text: str, level: int) -> None:
        if text := _line(text):
            self.blocks.append(text)
            self.headings.append(Marked(text, level))

    def section(self, sec: ElementTree.Element, level: int) -> None:
        label, title = _first(sec, "label"), _first(sec, "title")
        self.heading(" ".join(_line(inline(e)) for e in (label, title) if e is not None), level)
        self.content(sec, level)

    def content(self, element: ElementTree.Element, level: int) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "sec":
                self.section(child, level + 1)
            elif name == "p":
                self.paragraph(child)
            elif name in _INLINE_BLOCKS or name == "disp-formula":
                self.block(child)
            elif name not in ("title", "label") and name not in _SKIPPED:
                self.content(child, level)

    def paragraph(self, p: ElementTree.Element) -> None:
        if text := _line(inline(p)):
            self.blocks.append(text)
        for block in _blocks_in(p):  # a figure, table or list set inside the paragraph comes after it
            self.block(block)

    def block(self, element: ElementTree.Element) -> None:
        name = _local(element.tag)
        if name in ("fig", "table-wrap", "boxed-text"):
            label, caption = _first(element, "label"), _first(element, "caption")
            parts = [e for e in (caption if caption is not None else []) if _local(e.tag) in ("title", "p")]
            said = _line(" ".join(inline(e) for e in parts))
            named = _line(inline(label)) if label is not None else ""
            if named or said:
                self.blocks.append(named + (" " if named.endswith((".", ":")) or not said else ": ") + said
                                   if named else said)
            for table in (t for t in element.iter() if _local(t.tag) == "table"):
                self.blocks.append("\n".join(_rows(table)))
            for note in (f for f in element.iter() if _local(f.tag) == "table-wrap-foot"):
                self.content(note, 0)
            if name == "boxed-text":
                self.content(element, 0)
        elif name in ("list", "def-list"):
            ordered = element.get("list-type") in ("order", "arabic", "number")
            items = [_line(" ".join(inline(p) for p in item if _local(p.tag) in ("p", "label", "term", "def")))
                     for item in element if _local(item.tag) in ("list-item", "def-item")]
            self.blocks.append("\n".join(f"{n}. {i}" if ordered else f"- {i}" for n, i in enumerate(items, 1) if i))
        elif name == "disp-quote":
            self.content(element, 0)
        elif text := _line(inline(element)):  # a displayed formula as written
            self.blocks.append(text)


def _blocks_in(element: ElementTree.Element):
    """The block elements inside a paragraph, outermost only, in order."""
    for child in element:
        if _local(child.tag) in _INLINE_BLOCKS:
            yield child
        else:
            yield from _blocks_in(child)


def _rows(table: ElementTree.Element) -> list[str]:
    """A table's rows, each value with its column's name where the table has a header row."""
    header, rows = None, []
    for group in table:
        for tr in (r for r in group.iter() if _local(r.tag) == "tr"):
            cells = [_line(inline(c)) for c in tr if _local(c.tag) in ("td", "th")]
            if _local(group.tag) == "thead" and header is None:
                header = cells
            else:
                rows.append(cells)
    return tables.named_rows(header, rows)


def _reference(ref: ElementTree.Element) -> str:
    """One reference as a line: its label, and its citation as written, or its parts in order."""
    label = _first(ref, "label")
    cited = next((c for c in ref.iter() if _local(c.tag) in ("mixed-citation", "element-citation", "citation")), None)
    if cited is None:
        return ""
    if _local(cited.tag) == "mixed-citation" or (cited.text or "").strip():
        said = _line(inline(cited))
    else:
        names = [_line(" ".join(n.itertext())) for n in cited.iter() if _local(n.tag) in ("name", "collab")]
        parts = [", ".join(names)] + [_line("".join(c.itertext())) for c in cited
                                      if _local(c.tag) in ("article-title", "source", "year", "volume", "fpage")]
        said = ". ".join(p for p in parts if p) + "."
    return (f"[{_line(label.text or '')}] " if label is not None and (label.text or "").strip() else "") + said


def _said(element: ElementTree.Element | None) -> str:
    """An element's characters on one line ('' where there is none)."""
    return _line("".join(element.itertext())) if element is not None else ""


def _authors(meta: ElementTree.Element) -> str:
    """The authors' names as "Given Surname" (or a group's name), joined by commas."""
    names = []
    for contrib in (c for c in meta.iter() if _local(c.tag) == "contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        name = _first(contrib, "name")
        names.append(_line(f"{_said(_first(name, 'given-names'))} {_said(_first(name, 'surname'))}")
                     if name is not None else _said(_first(contrib, "collab")))
    return ", ".join(n for n in names if n)


def _date(meta: ElementTree.Element) -> str:
    """The first publication date given, as ISO 8601 as far as it goes (2024, 2024-03, 2024-03-05)."""
    for pub in _children(meta, "pub-date"):
        year, month, day = (_said(_first(pub, part)) for part in ("year", "month", "day"))
        if year.isdigit():
            if not month.isdigit():
                return year
            return f"{year}-{month.zfill(2)}" + (f"-{day.zfill(2)}" if day.isdigit() else "")
    return ""


def _source(meta: ElementTree.Element) -> str:
    """The article's address: its DOI's, else its PubMed Central page."""
    ids = {i.get("pub-id-type"): _said(i) for i in _children(meta, "article-id")}
    if ids.get("doi"):
        return f"https://doi.org/{ids['doi']}"
    if pmc := ids.get("pmc") or ids.get("pmcid"):
        return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc if pmc.startswith('PMC') else 'PMC' + pmc}/"
    return ""


def jats_text(raw: bytes) -> ReadText:
    """The article in `raw`; NotJats where the XML's root is not a JATS <article>."""
    root = ElementTree.fromstring(raw)
    if _local(root.tag) != "article":
        raise NotJats(f"its root element is <{_local(root.tag)}>")
    if _first(root, "front") is None and _first(root, "body") is None:
        raise NotJats("its <article> has no <front> or <body>")
    meta = _first(root, "front/article-meta")
    if meta is None:
        meta = ElementTree.Element("article-meta")
    title = _line(inline(found)) if (found := _first(meta, "title-group/article-title")) is not None else ""
    writer = _Writer()
    for abstract in _children(meta, "abstract"):
        if abstract.get("abstract-type") in (None, "", "author"):
            writer.heading("Abstract", 1)
            writer.content(abstract, 1)
    if (body := _first(root, "body")) is not None:
        writer.content(body, 0)
    back = _first(root, "back")
    for part in (back if back is not None else []):
        name = _local(part.tag)
        if name in ("ack", "app-group", "app", "sec", "glossary"):
            writer.section(part, 1) if _first(part, "title") is not None else writer.content(part, 1)
        elif name == "fn-group":
            writer.heading(_line(inline(_first(part, "title"))) if _first(part, "title") is not None else "Notes", 1)
            writer.content(part, 1)
        elif name == "ref-list":
            named = _first(part, "title")
            writer.heading(_line(inline(named)) if named is not None else "References", 1)
            references = (_reference(ref) for ref in part.iter() if _local(ref.tag) == "ref")
            writer.blocks.append("\n".join(r for r in references if r))
    return ReadText(title=title, author=_authors(meta), date=_date(meta), source=_source(meta),
                text="\n\n".join(b for b in writer.blocks if b.strip()), headings=writer.headings)
